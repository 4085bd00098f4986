//! The tool table of `c1 mcp serve`: a small fixed set, whatever the API's
//! size. `search_operations`, `describe_operation` and `call_operation`
//! reach every operation of the catalog; one tool per job
//! (`request_access`, `approve_task`, ...) runs the `c1` command of that
//! job. Here is what each tool is, takes and answers; `tools.rs` calls them.

use serde_json::{Map, Value, json};

use super::allow::{Allow, Allowance};
use super::arguments::{boolean, fields_schema, known, limit, limit_schema, plain};

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
    /// The level it needs when given `true`, if more than its tool's
    /// (an emergency access request needs `write`).
    needs: Allow,
}

fn text(name: &'static str, given: Given, about: &str, required: bool) -> Param {
    Param {
        name,
        given,
        schema: json!({"type": "string", "description": about}),
        required,
        needs: Allow::Read,
    }
}

/// A job as a tool: the `c1` command it runs and its arguments.
pub struct Job {
    /// The tool's name.
    pub name: &'static str,
    /// The `c1` command it runs (`["task", "approve"]`).
    pub words: &'static [&'static str],
    /// The level it needs.
    allow: Allow,
    description: &'static str,
    params: Vec<Param>,
    /// A list answer.
    pub lists: bool,
    destructive: bool,
    idempotent: bool,
    /// Its answer is a task in brief ([`task_schema`]).
    task: bool,
}

const ENTITLEMENT: &str =
    "The entitlement: its alias (alone), or with `app` its id or display name";
const APP: &str = "The app the entitlement belongs to: its id or display name (with `entitlement`)";

/// The job tools, each with the command it runs.
pub fn jobs() -> Vec<Job> {
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
                    needs: Allow::Read,
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
                    needs: Allow::Read,
                },
                Param {
                    name: "force",
                    given: Given::Switch("force"),
                    schema: json!({"type": "boolean", "description": "Ask even when the user already has it"}),
                    required: false,
                    needs: Allow::Read,
                },
                Param {
                    name: "emergency",
                    given: Given::Switch("emergency"),
                    schema: json!({"type": "boolean", "description": "Ask for emergency (break-glass) access, where the entitlement allows it; only a server started with `--allow write` sends it"}),
                    required: false,
                    needs: Allow::Write,
                },
                Param {
                    name: "wait",
                    given: Given::Server,
                    schema: json!({"type": "boolean", "description": "Wait for the decision (up to an hour) as an MCP task, where the client runs tasks; otherwise the answer comes at once and wait_task waits"}),
                    required: false,
                    needs: Allow::Read,
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
                    needs: Allow::Read,
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
    /// Why `level` may not run it with `args`, if it may not: the tool
    /// needs more, or an argument given `true` does (`emergency`).
    pub fn refusal(&self, level: Allow, args: &Map<String, Value>) -> Option<String> {
        if self.allow > level {
            return Some(format!(
                "`{}` is not allowed by this server: `c1 mcp serve --allow {}` allows it",
                self.name,
                self.allow.name()
            ));
        }
        let raised = self.params.iter().find(|param| {
            param.needs > level && args.get(param.name) == Some(&Value::Bool(true))
        })?;
        Some(format!(
            "`{}` with `{}` is not allowed by this server: `c1 mcp serve --allow {}` allows it",
            self.name,
            raised.name,
            raised.needs.name()
        ))
    }

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
        let mut input = Map::from_iter([
            ("type".to_string(), json!("object")),
            ("properties".to_string(), Value::Object(properties)),
            ("additionalProperties".to_string(), json!(false)),
        ]);
        if !required.is_empty() {
            input.insert("required".into(), json!(required));
        }
        let input = Value::Object(input);
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
    pub fn flags(&self) -> Vec<(&'static str, &'static str)> {
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
    pub fn argv(&self, args: &Map<String, Value>) -> Result<Vec<String>, String> {
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

/// The tools `allowance` allows, in the order an agent should meet them.
pub fn list(allowance: Allowance) -> Vec<ToolInfo> {
    let writes = allowance.level == Allow::Write;
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
    let jobs = jobs()
        .into_iter()
        .filter(|job| job.allow <= allowance.level);
    tools.extend(jobs.map(|job| job.info()));
    tools
}

/// The names of the tools that reach the catalog's operations.
const OPERATION_TOOLS: [&str; 3] = ["search_operations", "describe_operation", "call_operation"];

/// Whether a tool is named `name`, allowed or not.
pub fn exists(name: &str) -> bool {
    OPERATION_TOOLS.contains(&name) || job(name).is_some()
}

/// The job tool named `name`.
pub fn job(name: &str) -> Option<Job> {
    jobs().into_iter().find(|job| job.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

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
