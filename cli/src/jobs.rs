//! The jobs C1 users do, as commands: `whoami`, `catalog search`,
//! `request`, `revoke`, `has`, and `task inbox|approve|deny|comment|escalate`.
//! Each calls the client's jobs layer (`c1_client::jobs`): the command line
//! only reads flags, prints, and says what each refusal means as an exit
//! status.

use std::time::Duration;

use tokio::time::Instant;

use c1_client::Operation;
use c1_client::jobs::{
    Check, Closed, Entitlement, Error, Outcome, Planned, Progress, TaskAnswer, Ticket,
};
use c1_client::models::Task;
use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Command};
use futures_util::future::BoxFuture;
use serde_json::{Map, Value, json};

use crate::input;
use crate::output::{Ctx, show_request, to_json};
use crate::{Failure, exit};

/// The top-level job commands.
pub fn commands() -> [Command; 5] {
    [
        Command::new("whoami").about("The signed-in user, as JSON"),
        Command::new("catalog")
            .about("The request catalog: what you can ask for")
            .subcommand_required(true)
            .subcommand(
                Command::new("search")
                    .about("The entitlements you can request, every page")
                    .arg(Arg::new("query").value_name("QUERY").help("Words to find in names and descriptions"))
                    .arg(Arg::new("alias").long("alias").value_name("ALIAS").help("Only the entitlement with this alias"))
                    .arg(Arg::new("app").long("app").value_name("NAME").help("Only entitlements of the app with this display name"))
                    .arg(flag("granted", "Only those you have"))
                    .arg(flag("not-granted", "Only those you do not have").conflicts_with("granted"))
                    .args(crate::input::paging()),
            ),
        target(
            Command::new("request")
                .about("Ask for access to an entitlement; prints the created task and its URL")
                .long_about("Ask for access to an entitlement, named by its alias or by --app and --entitlement (ids or display names). Nothing is created when you already have it (exit 0, unless --force), when an open request of yours already asks for it (that task is printed, exit 0, unless --force), when the duration is over its maximum, when you have several accounts in the app and gave no --app-user, or when its request form's required fields are not given (exit 2). The task is printed as soon as it exists; with --wait, the closed task follows: exit 0 when granted, 7 when the task closed any other way (a task closed without an outcome included), 6 when the wait timed out (the error names the task: `c1 task wait ID` waits again)."),
        )
        .arg(
            Arg::new("justification")
                .long("justification")
                .value_name("TEXT")
                .required(true)
                .help("Why you need it"),
        )
        .arg(input::duration_arg("duration", None, "For how long (default: the entitlement's maximum, if it has one)"))
        .arg(app_user())
        .arg(
            Arg::new("form")
                .long("form")
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .help("A field of the request form (repeat for several)"),
        )
        .arg(
            Arg::new("form-data")
                .long("form-data")
                .value_name("JSON")
                .help("Fields of the request form as a JSON object"),
        )
        .arg(flag("emergency", "Ask for emergency access"))
        .arg(flag("force", "Ask even if you already have it, or an open request of yours asks for it"))
        .args(waiting()),
        target(
            Command::new("revoke")
                .about("Give access back; prints the created task and its URL")
                .long_about("Give access to an entitlement back. When you do not have it, nothing is sent (exit 0, with a note); when an open revocation of yours already asks for it, that task is printed (exit 0, unless --force). With --wait, exit 0 when revoked, 7 when the task closed any other way, 6 when the wait timed out."),
        )
        .arg(Arg::new("justification").long("justification").value_name("TEXT").help("Why"))
        .arg(app_user())
        .arg(flag("force", "Send it even if an open revocation of yours asks for it"))
        .args(waiting()),
        target(
            Command::new("has").about("Whether you have an entitlement: exit 0 when you do, 1 when you do not"),
        ),
    ]
}

/// The job commands of the `task` group.
pub fn task_commands() -> [Command; 6] {
    let task = || {
        Arg::new("task")
            .required(true)
            .value_name("TASK")
            .help("The task's id or numeric id")
    };
    let comment = || {
        Arg::new("comment")
            .long("comment")
            .value_name("TEXT")
            .help("A comment to go with it")
    };
    [
        Command::new("inbox")
            .about("The open tasks waiting on you, every page")
            .args(crate::input::paging()),
        Command::new("approve")
            .about("Approve a task at its current policy step")
            .arg(task())
            .arg(comment())
            .args(waiting()),
        Command::new("deny")
            .about("Deny a task at its current policy step")
            .arg(task())
            .arg(comment()),
        Command::new("comment")
            .about("Comment on a task")
            .arg(task())
            .arg(
                Arg::new("text")
                    .required(true)
                    .value_name("TEXT")
                    .help("The comment"),
            ),
        Command::new("escalate")
            .about("Escalate an access request to emergency access")
            .arg(task()),
        Command::new("wait")
            .about("Wait until a task is closed; prints the closed task (exit 0 when it did what was asked, 7 when not)")
            .arg(task())
            .args(input::waiting()),
    ]
}

/// The entitlement arguments: an alias, or `--app` and `--entitlement`.
fn target(command: Command) -> Command {
    command
        .arg(
            Arg::new("alias")
                .value_name("ENTITLEMENT")
                .help("The entitlement's alias"),
        )
        .arg(
            Arg::new("app")
                .long("app")
                .value_name("APP")
                .requires("entitlement")
                .help("The app: its id or display name"),
        )
        .arg(
            Arg::new("entitlement")
                .long("entitlement")
                .value_name("ENT")
                .requires("app")
                .help("The entitlement: its id or display name (with --app)"),
        )
        .group(
            ArgGroup::new("target")
                .args(["alias", "app"])
                .required(true),
        )
}

fn flag(name: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .action(ArgAction::SetTrue)
        .help(help)
}

fn app_user() -> Arg {
    Arg::new("app-user")
        .long("app-user")
        .value_name("ID")
        .help("Your account in the app (needed when you have several)")
}

fn waiting() -> [Arg; 3] {
    let [timeout, interval] = input::waiting();
    [
        flag("wait", "Wait until the task is closed"),
        timeout,
        interval,
    ]
}

/// Runs a job command, if `group` (and `operation`) names one. Boxed here:
/// one copy of each job's code, however many places run jobs (the shell's
/// and the agents').
pub fn run<'a>(
    group: &'a str,
    operation: Option<&'a str>,
    matches: &'a ArgMatches,
    ctx: &'a Ctx,
) -> BoxFuture<'a, Option<Result<(), Failure>>> {
    Box::pin(async move {
        Some(match (group, operation) {
            ("whoami", None) => whoami(ctx).await,
            ("catalog", Some("search")) => catalog(ctx, matches).await,
            ("request", None) => request(ctx, matches).await,
            ("revoke", None) => revoke(ctx, matches).await,
            ("has", None) => has(ctx, matches).await,
            ("task", Some("inbox")) => inbox(ctx, matches).await,
            ("task", Some("approve")) => approve(ctx, matches).await,
            ("task", Some("deny")) => deny(ctx, matches).await,
            ("task", Some("comment")) => comment(ctx, matches).await,
            ("task", Some("escalate")) => escalate(ctx, matches).await,
            ("task", Some("wait")) => wait(ctx, matches).await,
            _ => return None,
        })
    })
}

/// What each refusal means as an exit status.
impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let code = match &error {
            Error::NotFound { .. } => exit::NOT_FOUND,
            Error::NotAwaitingDecision { .. }
            | Error::Incomplete(_)
            | Error::Unconfirmed { .. } => exit::API,
            _ => exit::USAGE,
        };
        let message = match error {
            Error::Client(error) => return error.into(),
            Error::Waiting { ticket, error } => return unfinished(&ticket, *error),
            Error::SeveralAccounts { .. } | Error::NotOnAccount { .. } => {
                format!("{error} (--app-user ID)")
            }
            error => error.to_string(),
        };
        Failure::new(code, message)
    }
}

/// A wait that ended before its task closed: the wait's failure, naming
/// the task (in the message, and in `-o json`'s `task`) so that it is
/// waited for again rather than asked for again.
fn unfinished(ticket: &Ticket, error: Error) -> Failure {
    let mut failure = Failure::from(error);
    failure.message = format!(
        "{}; {ticket} is still there: `c1 task wait {}` waits again",
        failure.message,
        ticket.reference()
    );
    failure.task = Some(Box::new(ticket_summary(ticket)));
    failure
}

/// The task as agents get it (and `-o json` errors name it): its id,
/// number and URL, and where it stands.
fn summary(task: &Task, url: Option<&str>, existing: bool) -> Value {
    let mut value = json!({"id": task.id, "number": task.numeric_id, "url": url});
    if existing {
        value["existing"] = Value::Bool(true);
    }
    if let (Some(object), Ok(Value::Object(progress))) = (
        value.as_object_mut(),
        serde_json::to_value(Progress::of(task)),
    ) {
        object.extend(progress);
    }
    value
}

/// [`summary`] of a ticket.
fn ticket_summary(ticket: &Ticket) -> Value {
    summary(&ticket.task, ticket.url.as_deref(), ticket.existing)
}

fn entitlement(matches: &ArgMatches) -> Result<Entitlement, Failure> {
    let get = |id: &str| matches.get_one::<String>(id).cloned();
    match (get("alias"), get("app"), get("entitlement")) {
        (Some(alias), None, None) => Ok(Entitlement::alias(alias)),
        (None, Some(app), Some(entitlement)) => Ok(Entitlement::in_app(app, entitlement)),
        _ => Err(Failure::usage(
            "name the entitlement by its alias, or by --app and --entitlement".into(),
        )),
    }
}

fn string(matches: &ArgMatches, id: &str) -> Option<String> {
    matches.get_one::<String>(id).cloned()
}

async fn whoami(ctx: &Ctx) -> Result<(), Failure> {
    let me = ctx.client()?.me().await?;
    ctx.print_answer(&me)
}

async fn catalog(ctx: &Ctx, matches: &ArgMatches) -> Result<(), Failure> {
    let mut search = ctx.client()?.access().catalog();
    if let Some(query) = string(matches, "query") {
        search = search.query(query);
    }
    if let Some(alias) = string(matches, "alias") {
        search = search.alias(alias);
    }
    if let Some(app) = string(matches, "app") {
        search = search.app(app);
    }
    if matches.get_flag("granted") || matches.get_flag("not-granted") {
        search = search.granted(matches.get_flag("granted"));
    }
    ctx.show_items(search.items(), matches).await
}

/// `--form NAME=VALUE` (repeated) and `--form-data JSON`, as one object.
fn form(matches: &ArgMatches) -> Result<Map<String, Value>, Failure> {
    let mut data = match string(matches, "form-data") {
        Some(text) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(data)) => data,
            Ok(_) => return Err(Failure::usage("--form-data must be a JSON object".into())),
            Err(e) => return Err(Failure::usage(format!("--form-data is not JSON: {e}"))),
        },
        None => Map::new(),
    };
    for pair in matches.get_many::<String>("form").into_iter().flatten() {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(Failure::usage(format!("--form {pair}: write NAME=VALUE")));
        };
        data.insert(name.to_string(), Value::String(value.to_string()));
    }
    Ok(data)
}

async fn request(ctx: &Ctx, matches: &ArgMatches) -> Result<(), Failure> {
    // Every argument is read before signing in: a bad one is exit 2 either way.
    let (target, form) = (entitlement(matches)?, form(matches)?);
    let mut request = ctx.client()?.access().request(target);
    if let Some(text) = string(matches, "justification") {
        request = request.justification(text);
    }
    if let Some(duration) = matches.get_one::<Duration>("duration") {
        request = request.duration(*duration);
    }
    if let Some(id) = string(matches, "app-user") {
        request = request.app_user(id);
    }
    let request = request
        .form_data(form)
        .emergency(matches.get_flag("emergency"))
        .force(matches.get_flag("force"));
    let deadline = deadline(matches);
    match within(deadline, request.prepare()).await? {
        Ok(planned) => change(ctx, matches, planned, Outcome::Granted, deadline).await,
        Err(Error::AlreadyGranted {
            entitlement,
            grants,
        }) => {
            ctx.note(format!(
                "you already have {entitlement}: nothing was requested (--force asks again)"
            ));
            ctx.summarize(json!({"granted": true}));
            let check = Check {
                granted: true,
                entitlement: *entitlement,
                grants,
            };
            ctx.print_answer(&check)
        }
        Err(error) => Err(error.into()),
    }
}

async fn revoke(ctx: &Ctx, matches: &ArgMatches) -> Result<(), Failure> {
    let target = entitlement(matches)?;
    let mut revoke = ctx.client()?.access().revoke(target);
    if let Some(text) = string(matches, "justification") {
        revoke = revoke.justification(text);
    }
    revoke = revoke.force(matches.get_flag("force"));
    if let Some(id) = string(matches, "app-user") {
        revoke = revoke.app_user(id);
    }
    let deadline = deadline(matches);
    match within(deadline, revoke.prepare()).await? {
        Ok(planned) => change(ctx, matches, planned, Outcome::Revoked, deadline).await,
        Err(Error::NotGranted { entitlement }) => {
            ctx.note(format!("you do not have {entitlement}: nothing was sent"));
            ctx.summarize(json!({"granted": false}));
            let check = Check {
                granted: false,
                entitlement: *entitlement,
                grants: Vec::new(),
            };
            ctx.print_answer(&check)
        }
        Err(error) => Err(error.into()),
    }
}

async fn has(ctx: &Ctx, matches: &ArgMatches) -> Result<(), Failure> {
    let target = entitlement(matches)?;
    let check = ctx.client()?.access().check(target).await?;
    ctx.print_answer(&check)?;
    if check.granted {
        Ok(())
    } else {
        Err(Failure::new(exit::NOT_GRANTED, String::new()))
    }
}

async fn inbox(ctx: &Ctx, matches: &ArgMatches) -> Result<(), Failure> {
    let tasks = ctx.client()?.tasks().inbox().await?;
    ctx.show_items(tasks, matches).await
}

async fn approve(ctx: &Ctx, matches: &ArgMatches) -> Result<(), Failure> {
    let task = task(matches)?;
    let mut approve = ctx.client()?.tasks().approve(task);
    if let Some(text) = string(matches, "comment") {
        approve = approve.comment(text);
    }
    let deadline = deadline(matches);
    let planned = within(deadline, approve.prepare()).await??;
    change(ctx, matches, planned, Outcome::Done, deadline).await
}

async fn deny(ctx: &Ctx, matches: &ArgMatches) -> Result<(), Failure> {
    let task = task(matches)?;
    let mut deny = ctx.client()?.tasks().deny(task);
    if let Some(text) = string(matches, "comment") {
        deny = deny.comment(text);
    }
    let planned = deny.prepare().await?;
    change(ctx, matches, planned, Outcome::Done, None).await
}

async fn comment(ctx: &Ctx, matches: &ArgMatches) -> Result<(), Failure> {
    let text = string(matches, "text").unwrap_or_default();
    let task = task(matches)?;
    let planned = ctx.client()?.tasks().comment(&task, text).await?;
    change(ctx, matches, planned, Outcome::Done, None).await
}

async fn escalate(ctx: &Ctx, matches: &ArgMatches) -> Result<(), Failure> {
    let task = task(matches)?;
    let planned = ctx.client()?.tasks().escalate(&task).await?;
    change(ctx, matches, planned, Outcome::Done, None).await
}

fn task(matches: &ArgMatches) -> Result<String, Failure> {
    string(matches, "task").ok_or_else(|| Failure::usage("which task?".into()))
}

/// Shows (`--dry-run`) or sends the change a job planned, and prints the
/// task at once (the one already open, when one asks for the same); with
/// `--wait`, waits for it to close and prints it again, closed.
async fn change<Op>(
    ctx: &Ctx,
    matches: &ArgMatches,
    planned: Planned<'_, Op>,
    wanted: Outcome,
    deadline: Option<Instant>,
) -> Result<(), Failure>
where
    Op: Operation,
    Op::Output: TaskAnswer,
{
    if ctx.dry_run {
        if let Some(task) = planned.existing() {
            let id = task.id.as_deref().unwrap_or_default();
            ctx.note(format!(
                "task {id} is open and already asks for this: nothing would be sent (--force sends it)"
            ));
        }
        return show_request(planned.call().dry_run());
    }
    let ticket = planned.send().await?;
    if ticket.existing {
        ctx.note(format!(
            "{ticket} is open and already asks for this: nothing new was created (--force asks again)"
        ));
    }
    ctx.summarize(ticket_summary(&ticket));
    ctx.print_answer(&ticket)?;
    match deadline {
        Some(deadline) => wait_for(ctx, matches, &ticket, wanted, deadline).await,
        None => Ok(()),
    }
}

/// `c1 task wait TASK`: the task, then the wait for it to close.
async fn wait(ctx: &Ctx, matches: &ArgMatches) -> Result<(), Failure> {
    let task = task(matches)?;
    let tasks = ctx.client()?.tasks();
    if ctx.dry_run {
        return ctx.show(ctx.client()?.task().get(task)).await;
    }
    let deadline = Instant::now() + input::duration(matches, "timeout");
    wait_for(ctx, matches, &tasks.ticket(&task), Outcome::Done, deadline).await
}

/// When a command that waits (`--wait`) gives up: its `--timeout` from
/// now. It bounds the whole command (the reads before the change too),
/// but for the change itself, which is never cut in flight: that could
/// leave a task that nobody knows of.
fn deadline(matches: &ArgMatches) -> Option<Instant> {
    let waits = matches.try_get_one::<bool>("wait").ok().flatten() == Some(&true);
    waits.then(|| Instant::now() + input::duration(matches, "timeout"))
}

/// A job's reads, before it changes anything, given up at `deadline`.
async fn within<T>(
    deadline: Option<Instant>,
    reads: impl std::future::Future<Output = T>,
) -> Result<T, Failure> {
    let Some(deadline) = deadline else {
        return Ok(reads.await);
    };
    tokio::time::timeout_at(deadline, reads).await.map_err(|_| {
        Failure::new(
            exit::CONNECTION,
            "--timeout passed before the server answered: nothing was sent".into(),
        )
    })
}

/// Waits for `ticket` to close, until `deadline` (a status line on a
/// terminal meanwhile), and prints it closed: exit 7 unless it ended as
/// `wanted` (any success, for [`Outcome::Done`]).
async fn wait_for(
    ctx: &Ctx,
    matches: &ArgMatches,
    ticket: &Ticket,
    wanted: Outcome,
    deadline: Instant,
) -> Result<(), Failure> {
    let status = Status::start(ctx, ticket);
    if status.is_none() {
        if let Some(url) = &ticket.url {
            ctx.note(format!("{url}: waiting until the task is closed"));
        }
    }
    let interval = input::duration(matches, "interval");
    let timeout = deadline.saturating_duration_since(Instant::now());
    let closed = ticket
        .wait_watching(interval, timeout, |task| {
            if let Some(status) = &status {
                status.show(task);
            }
        })
        .await;
    if let Some(status) = status {
        status.bar.finish_and_clear();
    }
    let closed = closed?;
    ctx.summarize(summary(
        &closed.task,
        closed.url.as_deref(),
        ticket.existing,
    ));
    ctx.print_answer(&closed_answer(&closed)?)?;
    let succeeded = match wanted {
        Outcome::Done => closed.succeeded(),
        wanted => closed.outcome == wanted,
    };
    if succeeded {
        return Ok(());
    }
    let outcome = closed.outcome.as_str();
    Err(Failure::new(
        exit::CLOSED,
        format!("task {} closed: {outcome}", ticket.reference()),
    ))
}

/// The live status line of a wait, on standard error when it is a
/// terminal: the task's state, step and who it waits on, the time waited,
/// its URL.
struct Status {
    bar: indicatif::ProgressBar,
    reference: String,
    url: String,
}

impl Status {
    /// A status line for `ticket`, if standard error is a terminal (and
    /// the command's output is not kept for an agent).
    fn start(ctx: &Ctx, ticket: &Ticket) -> Option<Status> {
        use std::io::IsTerminal;
        if ctx.captures() || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = indicatif::ProgressBar::new_spinner();
        let style = indicatif::ProgressStyle::with_template("{spinner} {msg} · {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(250));
        let status = Status {
            bar,
            reference: ticket.reference(),
            url: ticket.url.clone().unwrap_or_default(),
        };
        status.show(&ticket.task);
        Some(status)
    }

    /// Shows where `task` stands.
    fn show(&self, task: &Task) {
        let brief = summary(task, None, false);
        let mut line = status_line(&brief, &self.reference);
        if !self.url.is_empty() {
            line.push_str(&format!(" · {}", self.url));
        }
        self.bar.set_message(line);
    }
}

/// Where a task in brief ([`summary`]) stands, in a few words: `task 4211
/// open, approval step, waiting on u-1`. The status line of a wait, and
/// an MCP task's status message.
pub fn status_line(brief: &Value, reference: &str) -> String {
    let state = brief["state"].as_str().unwrap_or("open");
    let mut line = format!("task {reference} {state}");
    if let Some(step) = brief["step"].as_str() {
        line.push_str(&format!(", {step} step"));
    }
    let waits_on: Vec<&str> = brief["waitsOn"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if !waits_on.is_empty() {
        line.push_str(&format!(", waiting on {}", waits_on.join(", ")));
    }
    line
}

/// The closed task as printed: the task, its URL and its outcome.
fn closed_answer(closed: &Closed) -> Result<Value, Failure> {
    let mut answer = to_json(&closed.task)?;
    if let Some(object) = answer.as_object_mut() {
        object.insert("url".into(), closed.url.clone().into());
        object.insert("outcome".into(), closed.outcome.as_str().into());
    }
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_line_says_the_state_the_step_and_who_it_waits_on() {
        let brief = json!({"state": "open", "step": "approval", "waitsOn": ["u-1", "u-2"]});
        assert_eq!(
            status_line(&brief, "4211"),
            "task 4211 open, approval step, waiting on u-1, u-2"
        );
        let closed = json!({"state": "closed", "outcome": "granted"});
        assert_eq!(status_line(&closed, "4211"), "task 4211 closed");
    }

    #[test]
    fn form_fields_join_form_data() {
        let command = Command::new("t")
            .arg(Arg::new("form").long("form").action(ArgAction::Append))
            .arg(Arg::new("form-data").long("form-data"));
        let matches = command
            .try_get_matches_from(["t", "--form-data", r#"{"a": 1}"#, "--form", "b=x=y"])
            .unwrap();
        let data = form(&matches).unwrap();
        assert_eq!(Value::Object(data), serde_json::json!({"a": 1, "b": "x=y"}));
    }
}
