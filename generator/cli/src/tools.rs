//! The tools `c1 mcp serve` offers agents: a small fixed set, whatever the
//! API's size. `search_operations`, `describe_operation` and
//! `call_operation` reach every operation of the catalog (`catalog.rs`);
//! one tool per job (`request_access`, `approve_task`, ...) calls the jobs
//! layer. Every call runs the command `c1` would run for it, its answer
//! kept instead of printed (`answers.rs` cuts it for the agent), so an
//! agent's call and a shell's are one path.

use serde_json::{Map, Value, json};

use crate::answers::{Answer, DEFAULT_ITEMS, MAX_CHARS, MAX_ITEMS, Outcome, Shape};
use crate::catalog::{Catalog, Entry, operation_argv, score, words};
use crate::output::{Captured, Ctx};
use crate::{Failure, exit};

/// What an agent may do (`c1 mcp serve --allow`), each level with the ones before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Allow {
    /// Operations that only read, and the jobs that only read.
    Read,
    /// Also the self-service jobs: request and revoke access, comment on tasks.
    Request,
    /// Also every operation, and approving and denying tasks.
    Write,
}

impl Allow {
    /// The levels' names, as `--allow` takes them.
    pub const NAMES: [&'static str; 3] = [
        Allow::Read.name(),
        Allow::Request.name(),
        Allow::Write.name(),
    ];

    /// The level named `name`.
    pub fn named(name: &str) -> Option<Allow> {
        [Allow::Read, Allow::Request, Allow::Write]
            .into_iter()
            .find(|level| level.name() == name)
    }

    /// Its name, as `--allow` takes it.
    pub const fn name(self) -> &'static str {
        match self {
            Allow::Read => "read",
            Allow::Request => "request",
            Allow::Write => "write",
        }
    }
}

/// A tool as `tools/list` shows it.
#[derive(Debug, Clone)]
pub struct ToolInfo {
    /// Its name.
    pub name: &'static str,
    /// What it does, for an agent deciding whether to call it.
    pub description: String,
    /// Its arguments' schema.
    pub input: Value,
    /// It changes nothing.
    pub read_only: bool,
    /// It may take something away (revoke, deny, delete).
    pub destructive: bool,
    /// Calling it twice does what calling it once does.
    pub idempotent: bool,
    /// Its answers' schema, for tools whose answer is a task in brief.
    pub output: Option<Value>,
}

/// How a job tool's argument is given to its command.
#[derive(Debug, Clone, Copy)]
enum Given {
    /// The command's next positional argument.
    Positional,
    /// `--flag=value`.
    Flag(&'static str),
    /// `--flag` when true.
    Switch(&'static str),
    /// `--granted` when true, `--not-granted` when false.
    Granted,
    /// An alias (positional), or with `app` the entitlement's `--entitlement`.
    Entitlement,
    /// An object, as `--form-data JSON`.
    FormData,
    /// Whole seconds, as `--flag=Ns`.
    Seconds(&'static str),
    /// Read by the server itself, not by the command (`wait`).
    Server,
}

/// One argument of a job tool.
struct Param {
    name: &'static str,
    given: Given,
    schema: Value,
    required: bool,
}

fn text(name: &'static str, given: Given, about: &str, required: bool) -> Param {
    Param {
        name,
        given,
        schema: json!({"type": "string", "description": about}),
        required,
    }
}

/// A job as a tool: the `c1` command it runs and its arguments.
struct Job {
    name: &'static str,
    words: &'static [&'static str],
    allow: Allow,
    description: &'static str,
    params: Vec<Param>,
    /// A list answer.
    lists: bool,
    destructive: bool,
    idempotent: bool,
    /// Its answer is a task in brief ([`task_schema`]).
    task: bool,
}

const ENTITLEMENT: &str =
    "The entitlement: its alias (alone), or with `app` its id or display name";
const APP: &str = "The app the entitlement belongs to: its id or display name (with `entitlement`)";

/// The job tools, each with the command it runs.
fn jobs() -> Vec<Job> {
    let entitlement = || text("entitlement", Given::Entitlement, ENTITLEMENT, true);
    let app = || text("app", Given::Flag("app"), APP, false);
    let task = || {
        text(
            "task",
            Given::Positional,
            "The task's id or numeric id",
            true,
        )
    };
    let app_user = || {
        text(
            "app_user",
            Given::Flag("app-user"),
            "The user's account in the app, by id: needed when they have several (the error lists them)",
            false,
        )
    };
    vec![
        Job {
            name: "whoami",
            words: &["whoami"],
            allow: Allow::Read,
            description: "The signed-in C1 user (id, email, display name). Call it first to know who the other tools act as.",
            params: Vec::new(),
            lists: false,
            destructive: false,
            idempotent: true,
            task: false,
        },
        Job {
            name: "search_catalog",
            words: &["catalog", "search"],
            allow: Allow::Read,
            description: "Search the request catalog: the entitlements the signed-in user can request, each with its alias, app and whether they have it. Use one with request_access or has_access.",
            params: vec![
                text(
                    "query",
                    Given::Positional,
                    "Words to find in names and descriptions",
                    false,
                ),
                text(
                    "app",
                    Given::Flag("app"),
                    "Only entitlements of the app with this display name",
                    false,
                ),
                Param {
                    name: "granted",
                    given: Given::Granted,
                    schema: json!({"type": "boolean", "description": "true: only those the user has; false: only those they do not"}),
                    required: false,
                },
            ],
            lists: true,
            destructive: false,
            idempotent: true,
            task: false,
        },
        Job {
            name: "has_access",
            words: &["has"],
            allow: Allow::Read,
            description: "Whether the signed-in user has an entitlement: `granted` true or false, with their grants.",
            params: vec![entitlement(), app()],
            lists: false,
            destructive: false,
            idempotent: true,
            task: false,
        },
        Job {
            name: "request_access",
            words: &["request"],
            allow: Allow::Request,
            description: "Ask for access to an entitlement for the signed-in user: creates an access request task for the approvers to decide, and returns it in brief (id, number, URL, state, current step). Calling it again returns the same open task instead of a second one (`existing`). Nothing is created when the user already has it (`granted: true`), when `duration` is over the entitlement's maximum, when they have several accounts in the app and no `app_user` is given, or when the request form's required fields are missing from `form`; the error says which. Wait for the decision with wait_task.",
            params: vec![
                entitlement(),
                app(),
                text(
                    "justification",
                    Given::Flag("justification"),
                    "Why the user needs it, for the approvers",
                    true,
                ),
                text(
                    "duration",
                    Given::Flag("duration"),
                    "For how long: `8h`, `30m`, `7d` (default: the entitlement's maximum, if it has one)",
                    false,
                ),
                app_user(),
                Param {
                    name: "form",
                    given: Given::FormData,
                    schema: json!({"type": "object", "description": "The request form's fields, by name, when the entitlement has a form"}),
                    required: false,
                },
                Param {
                    name: "force",
                    given: Given::Switch("force"),
                    schema: json!({"type": "boolean", "description": "Ask even when the user already has it"}),
                    required: false,
                },
                Param {
                    name: "emergency",
                    given: Given::Switch("emergency"),
                    schema: json!({"type": "boolean", "description": "Ask for emergency access, where the entitlement allows it"}),
                    required: false,
                },
                Param {
                    name: "wait",
                    given: Given::Server,
                    schema: json!({"type": "boolean", "description": "Wait for the decision (up to an hour) as an MCP task, where the client runs tasks; otherwise the answer comes at once and wait_task waits"}),
                    required: false,
                },
            ],
            lists: false,
            destructive: false,
            idempotent: false,
            task: true,
        },
        Job {
            name: "revoke_access",
            words: &["revoke"],
            allow: Allow::Request,
            description: "Give back the signed-in user's access to an entitlement: creates a revoke task and returns it in brief (id, number, URL, state). Calling it again returns the same open task. When they do not have it, nothing is sent (`granted: false`).",
            params: vec![
                entitlement(),
                app(),
                text("justification", Given::Flag("justification"), "Why", false),
                app_user(),
            ],
            lists: false,
            destructive: true,
            idempotent: false,
            task: true,
        },
        Job {
            name: "task_inbox",
            words: &["task", "inbox"],
            allow: Allow::Read,
            description: "The open tasks waiting on the signed-in user's decision (access requests, reviews), newest first. Decide one with approve_task or deny_task.",
            params: Vec::new(),
            lists: true,
            destructive: false,
            idempotent: true,
            task: false,
        },
        Job {
            name: "approve_task",
            words: &["task", "approve"],
            allow: Allow::Write,
            description: "Approve a task at its current policy step, as the signed-in user. Returns the task in brief (id, number, URL, state, current step). Refused when the task is not waiting on a decision.",
            params: vec![
                task(),
                text(
                    "comment",
                    Given::Flag("comment"),
                    "A comment to go with the approval",
                    false,
                ),
            ],
            lists: false,
            destructive: false,
            idempotent: false,
            task: true,
        },
        Job {
            name: "deny_task",
            words: &["task", "deny"],
            allow: Allow::Write,
            description: "Deny a task at its current policy step, as the signed-in user. Returns the task in brief (id, number, URL, state). Refused when the task is not waiting on a decision.",
            params: vec![
                task(),
                text("comment", Given::Flag("comment"), "Why it is denied", false),
            ],
            lists: false,
            destructive: true,
            idempotent: false,
            task: true,
        },
        Job {
            name: "comment_task",
            words: &["task", "comment"],
            allow: Allow::Request,
            description: "Add a comment to a task, as the signed-in user.",
            params: vec![
                task(),
                text("comment", Given::Positional, "The comment", true),
            ],
            lists: false,
            destructive: false,
            idempotent: false,
            task: true,
        },
        Job {
            name: "wait_task",
            words: &["task", "wait"],
            allow: Allow::Read,
            description: "Wait up to `timeout` seconds for a task to close (an access request to be decided), and return it in brief: `state` closed with its `outcome` (granted, denied...), or open with its current step and who it waits on. While it is open, call again to keep waiting.",
            params: vec![
                task(),
                Param {
                    name: "timeout",
                    given: Given::Seconds("timeout"),
                    schema: json!({"type": "integer", "minimum": 1, "maximum": MAX_WAIT, "description": format!("At most this many seconds (default {MAX_WAIT})")}),
                    required: false,
                },
            ],
            lists: false,
            destructive: false,
            idempotent: true,
            task: true,
        },
    ]
}

/// The longest a `wait_task` call waits, in seconds: agents' clients give
/// up on calls that take much longer.
const MAX_WAIT: u64 = 60;

/// The schema of a task in brief: what the task tools answer with
/// (`jobs.rs` makes it).
fn task_schema() -> Value {
    let text = |about: &str| json!({"type": "string", "description": about});
    json!({
        "type": "object",
        "properties": {
            "id": text("The task's id: give it to wait_task, approve_task, deny_task"),
            "number": {"type": "integer", "description": "The task's number, as people see it"},
            "url": text("Where people see the task"),
            "state": {"type": "string", "enum": ["open", "closed"], "description": "Whether it is still open"},
            "outcome": text("How it ended, once closed: granted, revoked, denied, cancelled, failed, expired, unknown (closed without an outcome), done"),
            "step": text("Its current policy step, while open: approval, provision, form, wait, accept, reject, action"),
            "waitsOn": {"type": "array", "items": {"type": "string"}, "description": "Who the current step waits on (user ids)"},
            "existing": {"type": "boolean", "description": "true: an open task already asked for this, and is returned instead of a new one"},
            "granted": {"type": "boolean", "description": "When no task was needed: whether the user has the entitlement"},
        },
    })
}

impl Job {
    fn info(&self) -> ToolInfo {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for param in &self.params {
            properties.insert(param.name.into(), param.schema.clone());
            if param.required {
                required.push(param.name);
            }
        }
        if self.lists {
            properties.insert("limit".into(), limit_schema());
        }
        properties.insert("fields".into(), fields_schema());
        let mut input =
            json!({"type": "object", "properties": properties, "additionalProperties": false});
        if !required.is_empty() {
            input["required"] = json!(required);
        }
        ToolInfo {
            name: self.name,
            description: self.description.to_string(),
            input,
            read_only: self.allow == Allow::Read,
            destructive: self.destructive,
            idempotent: self.idempotent,
            output: self.task.then(task_schema),
        }
    }

    /// Its command's flags and the arguments that give them.
    fn flags(&self) -> Vec<(&'static str, &'static str)> {
        let flag = |param: &Param| match param.given {
            Given::Flag(flag) | Given::Switch(flag) | Given::Seconds(flag) => {
                Some((flag, param.name))
            }
            _ => None,
        };
        self.params.iter().filter_map(flag).collect()
    }

    /// The command line for `args`: the words, then flags, then `--` and the
    /// positional arguments.
    fn argv(&self, args: &Map<String, Value>) -> Result<Vec<String>, String> {
        known(
            args,
            self.params
                .iter()
                .map(|p| p.name)
                .chain(["limit", "fields"]),
        )?;
        let mut flags = Vec::new();
        let mut positional = Vec::new();
        for param in &self.params {
            let Some(value) = args.get(param.name).filter(|v| !v.is_null()) else {
                if param.required {
                    return Err(format!("`{}` is required", param.name));
                }
                // A wait not given its length waits the longest a call may.
                if let Given::Seconds(flag) = param.given {
                    flags.push(format!("--{flag}={MAX_WAIT}s"));
                }
                continue;
            };
            let text = || plain(param.name, value);
            match param.given {
                Given::Positional => positional.push(text()?),
                Given::Flag(flag) => flags.push(format!("--{flag}={}", text()?)),
                Given::Switch(flag) => {
                    if boolean(param.name, value)? {
                        flags.push(format!("--{flag}"));
                    }
                }
                Given::Granted => flags.push(if boolean(param.name, value)? {
                    "--granted".into()
                } else {
                    "--not-granted".into()
                }),
                Given::Entitlement if args.contains_key("app") => {
                    flags.push(format!("--entitlement={}", text()?));
                }
                Given::Entitlement => positional.push(text()?),
                Given::FormData => {
                    if !value.is_object() {
                        return Err(format!("`{}` must be an object", param.name));
                    }
                    flags.push(format!("--form-data={value}"));
                }
                Given::Seconds(flag) => {
                    let seconds = value.as_u64().filter(|n| (1..=MAX_WAIT).contains(n));
                    let Some(seconds) = seconds else {
                        return Err(format!(
                            "`{}` must be a whole number of seconds from 1 to {MAX_WAIT}",
                            param.name
                        ));
                    };
                    flags.push(format!("--{flag}={seconds}s"));
                }
                Given::Server => {
                    boolean(param.name, value)?;
                }
            }
        }
        if self.lists {
            // One item more than is kept tells whether there are more.
            flags.push(format!("--limit={}", limit(args)? + 1));
        }
        let mut argv: Vec<String> = self.words.iter().map(|w| w.to_string()).collect();
        argv.extend(flags);
        argv.push("--".into());
        argv.extend(positional);
        Ok(argv)
    }
}

fn limit_schema() -> Value {
    json!({"type": "integer", "minimum": 1, "maximum": MAX_ITEMS, "description": format!("At most this many items (default {DEFAULT_ITEMS}); answers are also cut to {MAX_CHARS} characters")})
}

fn fields_schema() -> Value {
    json!({"type": "array", "items": {"type": "string"}, "description": "Keep only these fields of each item (or of the answer): JSON names, dotted for nested ones (`id`, `displayName`, `app.id`)"})
}

/// Refuses an argument not in `names`.
pub fn known<'a>(
    args: &Map<String, Value>,
    names: impl Iterator<Item = &'a str> + Clone,
) -> Result<(), String> {
    match args
        .keys()
        .find(|key| !names.clone().any(|n| n == key.as_str()))
    {
        Some(key) => {
            let names: Vec<&str> = names.collect();
            Err(format!(
                "unknown argument `{key}`; the arguments are: {}",
                names.join(", ")
            ))
        }
        None => Ok(()),
    }
}

/// A value as a command line writes it: a string as it is, any other JSON as JSON.
pub fn plain(name: &str, value: &Value) -> Result<String, String> {
    match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => Ok(flag_text(value)),
        _ => Err(format!("`{name}` must be a string")),
    }
}

/// A flag's text: a string as it is, any other JSON as JSON.
pub fn flag_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn boolean(name: &str, value: &Value) -> Result<bool, String> {
    value
        .as_bool()
        .ok_or_else(|| format!("`{name}` must be true or false"))
}

/// The `limit` argument, or the default.
fn limit(args: &Map<String, Value>) -> Result<usize, String> {
    match args.get("limit") {
        None | Some(Value::Null) => Ok(DEFAULT_ITEMS),
        Some(value) => value
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| (1..=MAX_ITEMS).contains(n))
            .ok_or_else(|| format!("`limit` must be a whole number from 1 to {MAX_ITEMS}")),
    }
}

/// The `fields` argument.
fn fields(args: &Map<String, Value>) -> Result<Vec<String>, String> {
    match args.get("fields") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(names)) => names
            .iter()
            .map(|n| n.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| "`fields` must be a list of names".to_string()),
        Some(_) => Err("`fields` must be a list of names".into()),
    }
}

/// The tools of one server: the catalog, what it allows, and the signed-in client.
pub struct Tools {
    catalog: Catalog,
    allow: Allow,
    client: c1_client::Client,
    /// `c1`'s command line, which every call is read by.
    cli: clap::Command,
}

impl Tools {
    /// The tools allowed by `allow`, calling with `client`.
    pub fn new(allow: Allow, client: c1_client::Client) -> Result<Self, Failure> {
        Ok(Tools {
            catalog: Catalog::load()?,
            allow,
            client,
            cli: crate::cli(),
        })
    }

    /// The tools allowed, in the order an agent should meet them.
    pub fn list(&self) -> Vec<ToolInfo> {
        let writes = self.allow == Allow::Write;
        let call_about = if writes {
            "Call any C1 API operation by name (from search_operations), with the arguments describe_operation lists. Returns the API's answer as JSON; lists are cut to `limit` items (default 50) or 20000 characters, with the next page's token and how to ask for it."
        } else {
            "Call a C1 API operation that reads (from search_operations), with the arguments describe_operation lists. Returns the API's answer as JSON; lists are cut to `limit` items (default 50) or 20000 characters, with the next page's token and how to ask for it. Operations that change anything are not allowed by this server."
        };
        let mut tools = vec![
            ToolInfo {
                name: "search_operations",
                description: "Find C1 API operations by words (`list apps`, `user email`, `access review`). Returns each one's name, one-line summary and whether it reads or writes. Describe one with describe_operation, then run it with call_operation.".into(),
                input: json!({
                    "type": "object",
                    "properties": {
                        "query": {"type": "string", "description": "Words to look for in the operations' names, summaries and paths"},
                        "limit": {"type": "integer", "minimum": 1, "maximum": 50, "description": "At most this many operations (default 15)"},
                    },
                    "required": ["query"],
                    "additionalProperties": false,
                }),
                read_only: true,
                destructive: false,
                idempotent: true,
                output: None,
            },
            ToolInfo {
                name: "describe_operation",
                description: "One C1 API operation: what it does, its HTTP method and path, whether it pages, and the JSON Schema of the `arguments` call_operation takes for it.".into(),
                input: json!({
                    "type": "object",
                    "properties": {"operation": {"type": "string", "description": "The operation's name, as search_operations gives it (`personal_client.list`)"}},
                    "required": ["operation"],
                    "additionalProperties": false,
                }),
                read_only: true,
                destructive: false,
                idempotent: true,
                output: None,
            },
            ToolInfo {
                name: "call_operation",
                description: call_about.into(),
                input: json!({
                    "type": "object",
                    "properties": {
                        "operation": {"type": "string", "description": "The operation's name (`personal_client.list`)"},
                        "arguments": {"type": "object", "description": "Its arguments, as describe_operation gives their schema: path and query parameters by name, and `body` for the request body"},
                        "fields": fields_schema(),
                        "limit": limit_schema(),
                    },
                    "required": ["operation"],
                    "additionalProperties": false,
                }),
                read_only: !writes,
                destructive: writes,
                idempotent: !writes,
                output: None,
            },
        ];
        let jobs = jobs().into_iter().filter(|job| job.allow <= self.allow);
        tools.extend(jobs.map(|job| job.info()));
        tools
    }

    /// Calls the tool `name` with `args`.
    pub async fn call(&self, name: &str, mut args: Map<String, Value>) -> Outcome {
        // For every tool, an argument given as `null` is one not given.
        args.retain(|_, value| !value.is_null());
        let outcome = |operation: Option<String>, result| Outcome { result, operation };
        match name {
            "search_operations" => outcome(None, self.search(&args).map_err(Failure::usage)),
            "describe_operation" => {
                let name = args
                    .get("operation")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                outcome(name, self.describe(&args).map_err(Failure::usage))
            }
            "call_operation" => {
                let name = args
                    .get("operation")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                outcome(name, self.call_operation(&args).await)
            }
            _ => match jobs().into_iter().find(|job| job.name == name) {
                Some(job) => outcome(
                    Some(format!("c1 {}", job.words.join(" "))),
                    self.job(&job, &args).await,
                ),
                None => outcome(
                    None,
                    Err(Failure::usage(format!("no tool is named `{name}`"))),
                ),
            },
        }
    }

    /// Whether a tool is named `name`, allowed or not.
    pub fn knows(&self, name: &str) -> bool {
        ["search_operations", "describe_operation", "call_operation"].contains(&name)
            || jobs().iter().any(|job| job.name == name)
    }

    fn allowed(&self, entry: &Entry) -> bool {
        entry.reads() || self.allow == Allow::Write
    }

    /// `search_operations`: the allowed operations that match the most words.
    fn search(&self, args: &Map<String, Value>) -> Result<Answer, String> {
        known(args, ["query", "limit"].into_iter())?;
        let query = args
            .get("query")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let most = match args.get("limit") {
            Some(v) => v
                .as_u64()
                .filter(|n| (1..=50).contains(n))
                .ok_or("`limit` must be from 1 to 50")?,
            None => 15,
        };
        let words: Vec<String> = words(query).collect();
        if words.is_empty() {
            return Err(
                "`query` needs a word: what the operation is about (`apps`, `review`, `user`)"
                    .into(),
            );
        }
        let mut scored: Vec<(usize, usize, &String, &Entry)> = self
            .catalog
            .operations
            .iter()
            .filter_map(|(name, entry)| {
                let (matched, score) = score(&words, name, entry);
                (matched > 0).then_some((matched, score, name, entry))
            })
            .collect();
        scored.sort_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)).then(a.2.cmp(b.2)));
        let (allowed, refused): (Vec<_>, Vec<_>) =
            scored.into_iter().partition(|s| self.allowed(s.3));
        let shown: Vec<Value> = allowed
            .iter()
            .take(usize::try_from(most).unwrap_or(15))
            .map(|(_, _, name, entry)| {
                json!({"name": name, "summary": entry.summary(), "access": entry.effect.kind.name()})
            })
            .collect();
        let mut notes = Vec::new();
        if shown.is_empty() {
            notes.push(format!(
                "No operation matches `{query}`: try other words, or fewer."
            ));
        }
        if !refused.is_empty() {
            notes.push(format!(
                "{} more operations match but change things; this server does not allow them (`c1 mcp serve --allow write` does).",
                refused.len()
            ));
        }
        Ok(Answer {
            value: json!({"operations": shown}),
            notes,
            request_id: None,
        })
    }

    /// The entry of an allowed operation.
    fn entry(&self, args: &Map<String, Value>) -> Result<(&String, &Entry), String> {
        let name = args
            .get("operation")
            .and_then(Value::as_str)
            .ok_or("`operation` is required: a name from search_operations")?;
        let (name, entry) = self.catalog.operations.get_key_value(name).ok_or_else(|| {
            format!("no operation is named `{name}`: search_operations finds names")
        })?;
        if !self.allowed(entry) {
            return Err(format!(
                "`{name}` changes things ({}); this server allows only operations that read: `c1 mcp serve --allow write` allows it",
                entry.endpoint
            ));
        }
        Ok((name, entry))
    }

    /// `describe_operation`: the operation, and its arguments' schema.
    fn describe(&self, args: &Map<String, Value>) -> Result<Answer, String> {
        known(args, ["operation"].into_iter())?;
        let (name, entry) = self.entry(args)?;
        let mut value = json!({
            "name": name,
            "summary": entry.summary(),
            "description": entry.description,
            "endpoint": entry.endpoint,
            "access": entry.effect.kind.name(),
            "idempotent": entry.idempotent(),
            "arguments": self.catalog.input_schema(entry),
        });
        for (on, flag) in [
            (entry.effect.consumes, "consumes"),
            (entry.effect.sensitive, "sensitive"),
        ] {
            if on {
                value[flag] = Value::Bool(true);
            }
        }
        if entry.deprecated {
            value["deprecated"] = Value::Bool(true);
        }
        if let Some(page) = &entry.page {
            value["pages"] = json!({
                "items": page.list,
                "page_token_argument": page.token,
                "page_size_argument": page.size,
            });
        }
        Ok(Answer {
            value,
            notes: Vec::new(),
            request_id: None,
        })
    }

    /// `call_operation`: runs the operation's command, and cuts its answer.
    async fn call_operation(&self, args: &Map<String, Value>) -> Result<Answer, Failure> {
        known(
            args,
            ["operation", "arguments", "fields", "limit"].into_iter(),
        )
        .map_err(Failure::usage)?;
        let (_, entry) = self.entry(args).map_err(Failure::usage)?;
        let (limit, fields) = (
            limit(args).map_err(Failure::usage)?,
            fields(args).map_err(Failure::usage)?,
        );
        let given = match args.get("arguments") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(given)) => given.clone(),
            Some(_) => return Err(Failure::usage("`arguments` must be an object".into())),
        };
        let argv = operation_argv(entry, given, limit).map_err(Failure::usage)?;
        let flags: Vec<(&str, &str)> = entry
            .args
            .iter()
            .filter(|arg| !arg.positional)
            .map(|arg| (arg.id.as_str(), arg.name.as_str()))
            .collect();
        let captured = self.run(argv, &flags).await?;
        let shape = Shape {
            page: entry.page.as_ref(),
            lists: false,
            limit,
            fields: &fields,
        };
        Ok(shape.answer(captured))
    }

    /// A job tool: runs its command, and cuts its answer.
    async fn job(&self, job: &Job, args: &Map<String, Value>) -> Result<Answer, Failure> {
        if job.allow > self.allow {
            return Err(Failure::usage(format!(
                "`{}` is not allowed by this server: `c1 mcp serve --allow {}` allows it",
                job.name,
                job.allow.name()
            )));
        }
        let argv = job.argv(args).map_err(Failure::usage)?;
        let (limit, fields) = (
            limit(args).map_err(Failure::usage)?,
            fields(args).map_err(Failure::usage)?,
        );
        let captured = self.run(argv, &job.flags()).await?;
        let shape = Shape {
            page: None,
            lists: job.lists,
            limit,
            fields: &fields,
        };
        Ok(shape.answer(captured))
    }

    /// Runs `c1 ARGV` with its answers kept, and says what it said in the
    /// tool's words: each of `flags`, `(flag, argument)`, by its argument.
    async fn run(&self, argv: Vec<String>, flags: &[(&str, &str)]) -> Result<Captured, Failure> {
        // Only the group's command is read (its first word stands where the
        // program's name would): building all of `c1` for each call is waste.
        let group = argv.first().map_or("", String::as_str).to_string();
        let command = self
            .cli
            .find_subcommand(&group)
            .ok_or_else(|| Failure::usage(format!("`c1` has no command `{group}`")))?;
        let matches = command
            .clone()
            .try_get_matches_from(argv)
            .map_err(|e| Failure::usage(in_words(&clap_message(&e), flags)))?;
        let ctx = Ctx::capturing(self.client.clone());
        let ran = crate::dispatch(&group, &matches, &ctx).await;
        let mut captured = ctx.take();
        for note in &mut captured.notes {
            *note = in_words(note, flags);
        }
        match ran {
            Ok(()) => Ok(captured),
            // `has`: "no" is an answer, not an error.
            Err(failure) if failure.code == exit::NOT_GRANTED => Ok(captured),
            // A task that closed not as asked (denied) is an answer too.
            Err(failure) if failure.code == exit::CLOSED => {
                captured.notes.push(failure.message);
                Ok(captured)
            }
            // A wait that ended before its task closed: the task, still
            // open, and what to do.
            Err(failure) if failure.task.is_some() => {
                let cause = failure.message.split("; task ").next().unwrap_or_default();
                captured.notes.push(format!(
                    "Not closed yet ({cause}): call wait_task again with its `id` to keep waiting."
                ));
                captured.summary = failure.task.map(|task| *task);
                Ok(captured)
            }
            Err(mut failure) => {
                failure.message = in_words(&failure.message, flags);
                Err(failure)
            }
        }
    }
}

/// `text` with each command flag of `flags` named as the argument that
/// gives it: `--app-user` as `` `app_user` ``.
fn in_words(text: &str, flags: &[(&str, &str)]) -> String {
    let mut flags = flags.to_vec();
    // The longest first: `--app-user` is not `--app` followed by `-user`.
    flags.sort_by_key(|(flag, _)| std::cmp::Reverse(flag.len()));
    flags.iter().fold(text.to_string(), |text, (flag, name)| {
        text.replace(&format!("--{flag}"), &format!("`{name}`"))
    })
}

/// What clap says of arguments it refuses, whole (the missing arguments'
/// names, an invalid value's possible values), without its usage lines
/// and its pointer to `--help`, which name the shell's flags.
fn clap_message(error: &clap::Error) -> String {
    let text = error.render().to_string();
    let kept: Vec<&str> = text
        .lines()
        .take_while(|line| !line.starts_with("Usage:"))
        .map(str::trim_end)
        .filter(|line| !line.is_empty() && !line.starts_with("For more information"))
        .collect();
    kept.join("\n").trim_start_matches("error: ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_errors_keep_what_they_name_without_the_usage() {
        let missing = crate::cli().try_get_matches_from(["c1", "apps", "get"]);
        let message = clap_message(&missing.unwrap_err());
        assert!(
            message.starts_with("the following required arguments were not provided:\n"),
            "{message}"
        );
        assert!(message.contains("<ID>"), "{message}");
        assert!(
            !message.contains("Usage:") && !message.contains("--help"),
            "{message}"
        );
    }

    #[test]
    fn every_job_tool_runs_a_command_that_exists() {
        let root = crate::cli();
        for job in jobs() {
            let mut command = &root;
            for word in job.words {
                command = command
                    .find_subcommand(word)
                    .unwrap_or_else(|| panic!("{}: no `{word}`", job.name));
            }
            for param in &job.params {
                if let Given::Flag(flag) | Given::Switch(flag) = param.given {
                    assert!(
                        command.get_arguments().any(|a| a.get_long() == Some(flag)),
                        "{}: no --{flag}",
                        job.name
                    );
                }
            }
        }
    }
}
