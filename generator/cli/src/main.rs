//! `c1`: the C1 API from the shell. Every operation of the client is a
//! command (`c1 <group> <operation> [arguments] [--flags]`), from the
//! generated table in `commands.rs`; this file, `input.rs`, `output.rs`
//! and `config.rs` are written by hand.

#[rustfmt::skip]
mod commands;
mod answers;
mod catalog;
mod config;
mod input;
mod jobs;
mod mcp;
mod output;
mod tools;

use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command};
use clap_complete::Shell;

use crate::output::{Ctx, Format, write_line};

/// The exit statuses scripts can tell apart.
pub mod exit {
    /// The command did what it was asked.
    pub const OK: u8 = 0;
    /// `c1 has`: you do not have the entitlement.
    pub const NOT_GRANTED: u8 = 1;
    /// The command line was wrong.
    pub const USAGE: u8 = 2;
    /// Configuration or sign-in failed.
    pub const CONFIG: u8 = 3;
    /// The API answered "not found".
    pub const NOT_FOUND: u8 = 4;
    /// The API answered with any other error.
    pub const API: u8 = 5;
    /// No answer came: the connection failed or timed out.
    pub const CONNECTION: u8 = 6;
    /// A task waited for (`--wait`) closed without doing what was asked:
    /// denied, cancelled, failed or expired.
    pub const CLOSED: u8 = 7;
}

/// Why a command failed, and the exit status that says so.
#[derive(Debug)]
pub struct Failure {
    /// The exit status ([`exit`]).
    pub code: u8,
    /// One line that says the cause.
    pub message: String,
    /// The HTTP status of the answer, if one came.
    pub status: Option<u16>,
    /// The answer's request id, if it had one.
    pub request_id: Option<String>,
}

impl Failure {
    /// A failure with exit status `code` (an empty message prints nothing).
    pub fn new(code: u8, message: String) -> Self {
        Failure {
            code,
            message,
            status: None,
            request_id: None,
        }
    }

    /// A wrong command line.
    pub fn usage(message: String) -> Self {
        Failure::new(exit::USAGE, message)
    }

    /// Missing or unusable configuration.
    pub fn config(message: String) -> Self {
        Failure::new(exit::CONFIG, message)
    }

    /// An answer that cannot be used.
    pub fn api(message: String) -> Self {
        Failure::new(exit::API, message)
    }

    /// Standard output was closed by its reader: nothing more to say.
    pub fn closed_pipe() -> Self {
        Failure::new(exit::OK, String::new())
    }

    /// Prints the failure on standard error: one line, JSON with `-o json`.
    fn print(&self, format: Format) {
        if self.message.is_empty() {
            return;
        }
        if format == Format::Json {
            let line = serde_json::json!({
                "error": self.message,
                "exit_status": self.code,
                "http_status": self.status,
                "request_id": self.request_id,
            });
            eprintln!("{line}");
        } else {
            eprintln!("c1: {}", self.message);
        }
    }
}

impl From<c1_client::Error> for Failure {
    fn from(error: c1_client::Error) -> Self {
        use c1_client::Error as E;
        let code = match &error {
            E::Argument(_) => exit::USAGE,
            E::Config(_) | E::Auth(_) => exit::CONFIG,
            E::Transport(_) | E::Timeout(_) | E::WaitTimedOut { .. } => exit::CONNECTION,
            _ if error.is_not_found() => exit::NOT_FOUND,
            E::Api(api) if api.status == 401 => exit::CONFIG,
            _ => exit::API,
        };
        let status = error
            .status()
            .or_else(|| error.auth_error().and_then(|e| e.status));
        Failure {
            code,
            message: error.to_string(),
            status,
            request_id: error.request_id().map(str::to_string),
        }
    }
}

impl From<c1_client::WaitError<c1_client::models::TaskServiceGetResponse>> for Failure {
    fn from(error: c1_client::WaitError<c1_client::models::TaskServiceGetResponse>) -> Self {
        c1_client::Error::from(error).into()
    }
}

fn main() -> ExitCode {
    let matches = match cli().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    let format = match matches.get_one::<String>("output").map(String::as_str) {
        Some("json") => Format::Json,
        Some("table") => Format::Table,
        _ => Format::Auto,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let result = match runtime {
        Ok(runtime) => runtime.block_on(run(&matches, format)),
        Err(e) => Err(Failure::config(format!("cannot start: {e}"))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.print(format);
            ExitCode::from(failure.code)
        }
    }
}

/// The whole command line: the API's groups with the built-in commands
/// (`auth login|status|token` in the `auth` group, `task wait` and the task
/// jobs in `task`), the jobs (`whoami`, `catalog`, `request`, `revoke`,
/// `has`), and `mcp` for agents.
fn cli() -> Command {
    let groups = commands::groups()
        .into_iter()
        .map(|group| match group.get_name() {
            "auth" => group.subcommands(config::commands()),
            "task" => group
                .subcommand(wait_command())
                .subcommands(jobs::task_commands()),
            _ => group,
        });
    Command::new("c1")
        .about("The C1 (ConductorOne) API from the shell: every operation is a command")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args())
        .subcommands(groups)
        .subcommands(jobs::commands())
        .subcommand(mcp::command())
        .subcommand(
            Command::new("completion")
                .about("Print shell completions: c1 completion bash > /etc/bash_completion.d/c1")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(Shell)),
                ),
        )
}

/// A global option a built-in command may refuse.
#[derive(Debug, Clone, Copy)]
enum Global {
    DryRun,
    /// `-o` of any format.
    Output,
    /// `-o table` only.
    Table,
    Fields,
}

impl Global {
    fn given(self, matches: &ArgMatches) -> bool {
        let output = matches.get_one::<String>("output").map(String::as_str);
        match self {
            Global::DryRun => matches.get_flag("dry-run"),
            Global::Output => output.is_some(),
            Global::Table => output == Some("table"),
            Global::Fields => matches.get_many::<String>("fields").is_some(),
        }
    }

    fn flag(self) -> &'static str {
        match self {
            Global::DryRun => "--dry-run",
            Global::Output => "--output",
            Global::Table => "-o table",
            Global::Fields => "--fields",
        }
    }
}

/// The global options a built-in command does not honour are usage errors
/// rather than ignored: `--dry-run` must never send anything.
fn refuse(matches: &ArgMatches, command: &str, refused: &[Global]) -> Result<(), Failure> {
    match refused.iter().find(|global| global.given(matches)) {
        Some(global) => Err(Failure::usage(format!(
            "`c1 {command}` does not take {}",
            global.flag()
        ))),
        None => Ok(()),
    }
}

fn global_args() -> [Arg; 4] {
    [
        Arg::new("profile")
            .long("profile")
            .global(true)
            .value_name("NAME")
            .help_heading("Global options")
            .help("Sign in with this profile of ~/.config/c1/config.toml (default: the environment's CONDUCTORONE_* credentials, else `default`)"),
        Arg::new("output")
            .short('o')
            .long("output")
            .global(true)
            .value_name("FORMAT")
            .value_parser(["json", "table"])
            .help_heading("Global options")
            .help("json (errors as JSON too) or table; default: JSON, indented on a terminal"),
        Arg::new("fields")
            .long("fields")
            .global(true)
            .value_name("NAMES")
            .value_delimiter(',')
            .help_heading("Global options")
            .help("Keep only these fields of each item: wire names, dotted for nested (id,displayName,app.id)"),
        Arg::new("dry-run")
            .long("dry-run")
            .global(true)
            .action(ArgAction::SetTrue)
            .help_heading("Global options")
            .help("Print the request instead of sending it (credentials redacted)"),
    ]
}

fn wait_command() -> Command {
    Command::new("wait")
        .about("Wait until a task is closed; prints the closed task")
        .arg(
            Arg::new("id")
                .required(true)
                .value_name("ID")
                .help("The task's id"),
        )
        .args(input::waiting())
}

/// Runs the command `matches` names.
async fn run(matches: &ArgMatches, format: Format) -> Result<(), Failure> {
    let profile = matches.get_one::<String>("profile").cloned();
    let Some((group, group_matches)) = matches.subcommand() else {
        return Err(Failure::usage("no command given".into()));
    };
    if group == "completion" {
        refuse(
            matches,
            "completion",
            &[Global::DryRun, Global::Output, Global::Fields],
        )?;
        return completion(group_matches);
    }
    if group == "mcp" {
        refuse(matches, "mcp", &[Global::Output, Global::Fields])?;
        let serving = group_matches.subcommand_name() == Some("serve");
        if serving {
            refuse(matches, "mcp serve", &[Global::DryRun])?;
        }
        let dry_run = matches.get_flag("dry-run");
        return mcp::run(group_matches, profile.as_deref(), dry_run).await;
    }
    let fields: Vec<String> = matches
        .get_many::<String>("fields")
        .into_iter()
        .flatten()
        .filter(|f| !f.is_empty())
        .cloned()
        .collect();
    let dry_run = matches.get_flag("dry-run");
    let signed_in = profile.clone();
    let connect = Box::new(move || config::connect(signed_in.as_deref()));
    let ctx = Ctx::new(format, fields, dry_run, connect);
    if let Some((operation, op_matches)) = group_matches.subcommand() {
        match (group, operation) {
            ("auth", "login") => {
                refuse(
                    matches,
                    "auth login",
                    &[Global::DryRun, Global::Table, Global::Fields],
                )?;
                return config::login(op_matches, profile.as_deref()).await;
            }
            ("auth", "token") => {
                refuse(
                    matches,
                    "auth token",
                    &[Global::DryRun, Global::Table, Global::Fields],
                )?;
                return config::token(&ctx).await;
            }
            ("auth", "status") => return config::status(&ctx, profile.as_deref()).await,
            ("task", "wait") => return wait(&ctx, op_matches).await,
            _ => {}
        }
    }
    dispatch(group, group_matches, &ctx).await
}

/// Runs the job or API command that `group` and its `matches` name: the
/// one way in for the shell and for the agents' tools (`tools.rs`).
pub(crate) async fn dispatch(group: &str, matches: &ArgMatches, ctx: &Ctx) -> Result<(), Failure> {
    let operation = matches.subcommand();
    let job_matches = operation.map_or(matches, |(_, m)| m);
    if let Some(done) = jobs::run(group, operation.map(|(o, _)| o), job_matches, ctx).await {
        return done;
    }
    let Some((operation, op_matches)) = operation else {
        return Err(Failure::usage(format!("`c1 {group}` needs an operation")));
    };
    let result = match commands::run(group, operation, op_matches, ctx) {
        Ok(sending) => ctx.answer(sending).await,
        Err(failure) => Err(failure),
    };
    result.map_err(|mut failure| {
        if failure.code == exit::NOT_FOUND {
            let what = subject(group, operation, op_matches);
            failure.message = format!("not found: {what} ({})", failure.message);
        }
        failure
    })
}

/// What a command asked for, in words: `personal client blue-whale-12345`.
fn subject(group: &str, operation: &str, matches: &ArgMatches) -> String {
    let mut words = vec![group.replace('-', " ")];
    let command = cli();
    let op = command
        .find_subcommand(group)
        .and_then(|g| g.find_subcommand(operation));
    if let Some(first) = op.and_then(|op| op.get_positionals().next()) {
        if let Some(value) = matches.get_one::<String>(first.get_id().as_str()) {
            words.push(value.clone());
        }
    }
    words.join(" ")
}

fn completion(matches: &ArgMatches) -> Result<(), Failure> {
    let shell = matches
        .get_one::<Shell>("shell")
        .copied()
        .ok_or_else(|| Failure::usage("which shell?".into()))?;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cli(), "c1", &mut out);
    write_line(String::from_utf8_lossy(&out).trim_end())
}

/// `c1 task wait ID`: asks for the task until it is closed.
async fn wait(ctx: &Ctx, matches: &ArgMatches) -> Result<(), Failure> {
    let id = input::one::<String>(matches, "id", input::Kind::Text)?;
    let call = ctx.client()?.task().get(id);
    if ctx.dry_run {
        return ctx.show(call).await;
    }
    let (interval, timeout) = (
        input::duration(matches, "interval"),
        input::duration(matches, "timeout"),
    );
    let closed = c1_client::jobs::is_closed;
    ctx.print_answer(&call.poll_until(closed, interval, timeout).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's own checks of every command: no two arguments share an id or
    /// a flag, and every command is well formed.
    #[test]
    fn every_command_is_well_formed() {
        cli().debug_assert();
    }

    /// Every operation of the client beside this crate (its `api.json`) is
    /// a command, and every setter of its calls is a flag.
    #[test]
    fn every_operation_is_a_command_and_every_setter_a_flag() {
        let api = concat!(env!("CARGO_MANIFEST_DIR"), "/../generated/api.json");
        let text = std::fs::read_to_string(api).unwrap();
        let summary: serde_json::Value = serde_json::from_str(&text).unwrap();
        let operations = summary["operations"].as_object().unwrap();
        let kebab = |name: &str| name.trim_start_matches("r#").replace('_', "-");
        let root = cli();
        for (key, op) in operations {
            let (group, method) = key.split_once('.').unwrap();
            let command = root
                .find_subcommand(kebab(group))
                .and_then(|g| g.find_subcommand(kebab(method)))
                .unwrap_or_else(|| panic!("no command for {key}"));
            let setters = op["setters"].as_array().into_iter().flatten();
            for setter in setters.filter_map(|s| s.as_str()?.split(':').next()) {
                let flag = kebab(setter);
                let found = command.get_arguments().any(|a| a.get_long() == Some(&flag));
                assert!(found, "{key}: no --{flag}");
            }
        }
        assert!(!operations.is_empty(), "{api} lists no operations");
    }
}
