//! Calling the tools of `c1 mcp serve` (`table.rs` says what they are).
//! Every call runs the command `c1` would run for it, its answer kept
//! instead of printed (`answers.rs` cuts it for the agent), so an agent's
//! call and a shell's are one path.

use serde_json::{Map, Value, json};

use super::allow::Allowance;
use super::answers::{Answer, Outcome, Shape};
use super::arguments::{fields, known, limit};
use super::catalog::{Catalog, Entry, operation_argv, score, words};
use super::table::{self, Job, ToolInfo};
use crate::output::{Captured, Ctx};
use crate::{Failure, exit};

/// The tools of one server: the catalog, what it allows, and the signed-in client.
pub struct Tools {
    catalog: Catalog,
    allowance: Allowance,
    client: c1_client::Client,
    /// `c1`'s command line, which every call is read by.
    cli: clap::Command,
}

impl Tools {
    /// The tools `allowance` allows, calling with `client`.
    pub fn new(allowance: Allowance, client: c1_client::Client) -> Result<Self, Failure> {
        Ok(Tools {
            catalog: Catalog::load()?,
            allowance,
            client,
            cli: crate::cli(),
        })
    }

    /// The tools allowed, in the order an agent should meet them.
    pub fn list(&self) -> Vec<ToolInfo> {
        table::list(self.allowance)
    }

    /// Calls the tool `name` with `args`.
    pub async fn call(&self, name: &str, mut args: Map<String, Value>) -> Outcome {
        // For every tool, an argument given as `null` is one not given.
        args.retain(|_, value| !value.is_null());
        let outcome = |operation: Option<String>, result| Outcome { result, operation };
        match name {
            "search_operations" => outcome(None, self.search(&args).map_err(Failure::usage)),
            "describe_operation" => outcome(
                self.named(&args),
                self.describe(&args).map_err(Failure::usage),
            ),
            "call_operation" => outcome(self.named(&args), self.call_operation(&args).await),
            _ => match table::job(name) {
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

    /// The catalog's name for the operation `args` name, for the log: an
    /// agent's text that names none is never written there.
    fn named(&self, args: &Map<String, Value>) -> Option<String> {
        let name = args.get("operation").and_then(Value::as_str)?;
        let (name, _) = self.catalog.operations.get_key_value(name)?;
        Some(name.clone())
    }

    fn allowed(&self, entry: &Entry) -> bool {
        self.allowance.operation(entry)
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
        let secret = refused.iter().filter(|s| s.3.effect.sensitive).count();
        if secret < refused.len() {
            notes.push(format!(
                "{} more operations match but change things; this server does not allow them (`c1 mcp serve --allow write` does).",
                refused.len() - secret
            ));
        }
        if secret > 0 {
            notes.push(format!(
                "{secret} more operations match but answer with secrets; this server does not serve them (`c1 mcp serve --allow-secrets` does)."
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
            return Err(self.allowance.refusal(name, entry));
        }
        Ok((name, entry))
    }

    /// `describe_operation`: the operation, and its arguments' schema.
    fn describe(&self, args: &Map<String, Value>) -> Result<Answer, String> {
        known(args, ["operation"].into_iter())?;
        let (name, entry) = self.entry(args)?;
        let mut value = Map::from_iter([
            ("name".to_string(), json!(name)),
            ("summary".to_string(), json!(entry.summary())),
            ("description".to_string(), json!(entry.description)),
            ("endpoint".to_string(), json!(entry.endpoint)),
            ("access".to_string(), json!(entry.effect.kind.name())),
            ("idempotent".to_string(), json!(entry.idempotent())),
            ("arguments".to_string(), self.catalog.input_schema(entry)),
        ]);
        for (on, flag) in [
            (entry.effect.consumes, "consumes"),
            (entry.effect.sensitive, "sensitive"),
            (entry.deprecated, "deprecated"),
        ] {
            if on {
                value.insert(flag.into(), Value::Bool(true));
            }
        }
        if let Some(page) = &entry.page {
            let pages = json!({
                "items": page.list,
                "page_token_argument": page.token,
                "page_size_argument": page.size,
            });
            value.insert("pages".into(), pages);
        }
        Ok(Answer {
            value: Value::Object(value),
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
        if let Some(refusal) = job.refusal(self.allowance.level, args) {
            return Err(Failure::usage(refusal));
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
}
