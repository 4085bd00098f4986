//! `c1`: the C1 API from the shell. Every operation of the client is a
//! command (`c1 <group> <operation> [arguments] [--flags]`), from the
//! generated table in `generated/commands.rs`; this file, `input.rs`, `output.rs`
//! and `config.rs` are written by hand.
//!
//! The MCP fuzz target (`fuzz/mcp`) builds these sources as a library
//! (`cfg(fuzzing)`), to call the agents' tools in process (`Fuzzing`).
#![cfg_attr(fuzzing, allow(dead_code))]

/// What `cargo xtask codegen` writes from the document: the command table
/// (and, beside it, the agents' catalog `tools.json` and the conformance
/// suite's table). Everything else in this crate is written by hand.
#[rustfmt::skip]
mod generated {
    pub mod commands;
}
mod config;
mod files;
mod input;
mod jobs;
mod mcp;
mod output;

use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command};
use clap_complete::Shell;

use crate::generated::commands;
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
    /// The task the command left behind (created, then not waited out):
    /// its id, number and URL, to wait for it again.
    pub task: Option<Box<serde_json::Value>>,
}

impl Failure {
    /// A failure with exit status `code` (an empty message prints nothing).
    pub fn new(code: u8, message: String) -> Self {
        Failure {
            code,
            message,
            status: None,
            request_id: None,
            task: None,
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
            let mut line = serde_json::json!({
                "error": self.message,
                "exit_status": self.code,
                "http_status": self.status,
                "request_id": self.request_id,
            });
            if let Some(task) = &self.task {
                line["task"] = (**task).clone();
            }
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
            task: None,
        }
    }
}

#[cfg(fuzzing)]
pub use mcp::Fuzzing;

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

/// The commands for people, as `c1 --help` lists them first: each with
/// one line. (A test checks that these are the commands that are not the
/// API's groups, with `task` and `auth`, which are both.)
const JOBS: [(&str, &str); 9] = [
    ("whoami", "Who you are signed in as"),
    ("catalog", "What you can ask for: c1 catalog search [WORDS]"),
    (
        "request",
        "Ask for access to an entitlement (--wait: until it is decided)",
    ),
    ("revoke", "Give access back"),
    (
        "has",
        "Whether you have an entitlement: exit 0 if you do, 1 if not",
    ),
    (
        "task",
        "Tasks: inbox, approve, deny, comment, escalate, wait, and the API's",
    ),
    ("auth", "Sign in: login, status, token"),
    ("mcp", "Serve C1 to AI agents: serve, install"),
    ("completion", "Print shell completions"),
];

/// What `c1 --help` ends with: the common request.
const EXAMPLE: &str = "Example: ask for access, and wait until it is decided:
  c1 request aws-prod-admin --justification \"incident 4211\" --duration 2h --wait";

/// The whole command line: the jobs (`whoami`, `catalog`, `request`,
/// `revoke`, `has`, and `task inbox|approve|deny|...|wait` and `auth
/// login|status|token` in the API's `task` and `auth` groups), the API's
/// groups, and `mcp` for agents.
fn cli() -> Command {
    let groups = commands::groups()
        .into_iter()
        .map(|group| match group.get_name() {
            "auth" => with_jobs(group, config::commands().into()),
            "task" => with_jobs(group, jobs::task_commands().into()),
            _ => group,
        });
    let root = Command::new("c1")
        .about("The C1 (ConductorOne) API from the shell: every operation is a command")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args())
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
        .subcommands(groups);
    let template = root_help(&root);
    root.help_template(template).after_help(EXAMPLE)
}

/// The API group `group` with the built-in commands `jobs` first: listed
/// first in its help, and named first in its one line.
fn with_jobs(group: Command, jobs: Vec<Command>) -> Command {
    let operations: Vec<String> = group
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    let mut names: Vec<String> = jobs.iter().map(|c| c.get_name().to_string()).collect();
    names.extend(operations.iter().cloned());
    let about = group
        .get_about()
        .map(ToString::to_string)
        .unwrap_or_default();
    let title = about.split(':').next().unwrap_or_default().to_string();
    let mut group = group.about(format!("{title}: {}", names.join(", ")));
    for (order, name) in operations.iter().enumerate() {
        group = group.mut_subcommand(name, |c| c.display_order(jobs.len() + order));
    }
    let jobs = jobs
        .into_iter()
        .enumerate()
        .map(|(order, c)| c.display_order(order));
    group.subcommands(jobs)
}

/// `c1 --help`: the jobs first, a line each, then the API's groups by name
/// (each group's help lists its operations), then the options.
fn root_help(root: &Command) -> String {
    let width = JOBS.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    let mut text = String::from("{about-with-newline}\n{usage-heading} {usage}\n\nJobs:\n");
    for (name, about) in JOBS {
        text.push_str(&format!("  {name:<width$}  {about}\n"));
    }
    text.push_str("\nThe API, by group (`c1 GROUP --help` lists its operations):\n");
    let groups = root
        .get_subcommands()
        .map(|c| c.get_name())
        .filter(|name| !JOBS.iter().any(|(job, _)| job == name) || ["task", "auth"].contains(name));
    let mut line = String::from(" ");
    for name in groups {
        if line.len() + name.len() + 2 > 100 {
            text.push_str(&line);
            text.push('\n');
            line = String::from(" ");
        }
        line.push_str(&format!(" {name},"));
    }
    text.push_str(line.trim_end_matches(','));
    text.push_str("\n\nGlobal options:\n{options}{after-help}");
    text
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

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's own checks of every command: no two arguments share an id or
    /// a flag, and every command is well formed.
    #[test]
    fn every_command_is_well_formed() {
        cli().debug_assert();
    }

    /// Every name this crate gives a command or flag is one the generated
    /// table keeps free (`commands::reserved`, from the generator's
    /// `src/emit/cli.rs`), and every name kept free is used here: else the
    /// first operation of that name a new document brings would collide
    /// with a command written here.
    #[test]
    fn the_table_keeps_free_exactly_the_names_written_here() {
        let generated = commands::groups();
        let root = cli();
        let is_generated = |name: &str| generated.iter().any(|g| g.get_name() == name);
        for command in root.get_subcommands() {
            let name = command.get_name();
            let Some(group) = generated.iter().find(|g| g.get_name() == name) else {
                assert!(commands::reserved::GROUPS.contains(&name), "c1 {name}");
                continue;
            };
            let reserved = commands::reserved::OPERATIONS
                .iter()
                .find(|(g, _)| *g == name)
                .map_or(&[][..], |(_, operations)| operations);
            for operation in command.get_subcommands().map(Command::get_name) {
                let written_here = group.find_subcommand(operation).is_none();
                assert!(
                    !written_here || reserved.contains(&operation),
                    "c1 {name} {operation}"
                );
            }
        }
        for name in commands::reserved::GROUPS.iter().filter(|n| **n != "help") {
            assert!(
                root.find_subcommand(name).is_some() && !is_generated(name),
                "{name}"
            );
        }
        for (group, operations) in commands::reserved::OPERATIONS {
            let group = root.find_subcommand(group).unwrap();
            for operation in *operations {
                assert!(group.find_subcommand(operation).is_some(), "{operation}");
            }
        }
        let body = input::Body {
            fields: &[],
            mask: None,
        };
        let flags = global_args()
            .into_iter()
            .chain(input::paging())
            .chain(input::body_args(&body));
        let mut names: Vec<String> = Vec::new();
        for flag in flags {
            names.extend(flag.get_long().map(|long| long.replace('-', "_")));
            names.extend(flag.get_short().map(String::from));
        }
        for name in &names {
            assert!(
                commands::reserved::FLAGS.contains(&name.as_str()),
                "--{name}"
            );
        }
        for name in commands::reserved::FLAGS
            .iter()
            .filter(|n| !["help", "version"].contains(n))
        {
            assert!(names.iter().any(|n| n == name), "{name}");
        }
    }

    /// `c1 --help` lists each command that is not an API group among the
    /// jobs, and only commands that exist.
    #[test]
    fn the_jobs_listed_first_are_the_commands_for_people() {
        let api: Vec<String> = commands::groups()
            .iter()
            .map(|g| g.get_name().to_string())
            .collect();
        let root = cli();
        for command in root.get_subcommands() {
            let name = command.get_name();
            let listed = JOBS.iter().any(|(job, _)| *job == name);
            assert_eq!(
                listed,
                !api.iter().any(|g| g == name) || ["task", "auth"].contains(&name),
                "{name}"
            );
        }
        for (job, _) in JOBS {
            assert!(root.find_subcommand(job).is_some(), "{job}");
        }
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
