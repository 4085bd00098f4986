//! Task jobs: your inbox, deciding a task, commenting, escalating, and
//! waiting for a task to close.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use serde::Serialize;

use super::{Error, Result, me_id, task_of};
use crate::apis::task_actions::{Approve, Comment, Deny, EscalateToEmergencyAccess};
use crate::models::{
    Task, TaskActionsServiceApproveRequest, TaskActionsServiceCommentRequest,
    TaskActionsServiceDenyRequest, TaskActionsServiceEscalateToEmergencyAccessRequest,
    TaskSearchRequest, TaskSearchRequestSortBy, TaskServiceGetResponse, TaskState, TaskView,
};
use crate::{Call, Client, DryRun, Operation};

/// How often [`Ticket::wait`] asks whether the task is closed.
pub const WAIT_INTERVAL: Duration = Duration::from_secs(5);

/// Task jobs: `client.tasks()`.
#[derive(Debug, Clone, Copy)]
pub struct Tasks<'a> {
    client: &'a Client,
}

impl<'a> Tasks<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Tasks { client }
    }

    /// The open tasks assigned to you, every page, newest first (by ticket
    /// number, which every version of the API sorts by).
    pub async fn inbox(&self) -> Result<BoxStream<'static, Result<TaskView>>> {
        let me = me_id(self.client).await?;
        let body = TaskSearchRequest {
            assignees_in_ids: vec![me],
            task_states: vec![TaskState::Open],
            sort_by: Some(TaskSearchRequestSortBy::ReverseTicketId),
            ..TaskSearchRequest::default()
        };
        let items = self.client.task_search().search(body).items();
        Ok(items.map_err(Error::from).boxed())
    }

    /// The task `task` names: its id or its numeric id (the number in its
    /// URL), which the API answers for alike.
    pub async fn get(&self, task: &str) -> Result<Task> {
        let answer = self.client.task().get(task).await?;
        task_of(answer.task_view)
    }

    /// The task `task` names (its id or number), as a [`Ticket`] to wait
    /// for, unread: the wait reads it, within its timeout.
    pub fn ticket(&self, task: &str) -> Ticket {
        let task = Task {
            id: Some(task.to_string()),
            numeric_id: task.parse().ok(),
            ..Task::default()
        };
        Ticket::new(self.client, task)
    }

    /// Approves the task at its current policy step: `.await` it.
    pub fn approve(&self, task: impl Into<String>) -> Decide<'a, Approve> {
        Decide::new(self.client, task.into())
    }

    /// Denies the task at its current policy step: `.await` it.
    pub fn deny(&self, task: impl Into<String>) -> Decide<'a, Deny> {
        Decide::new(self.client, task.into())
    }

    /// Comments on the task.
    pub async fn comment(
        &self,
        task: &str,
        text: impl Into<String>,
    ) -> Result<Planned<'a, Comment>> {
        let id = self.id(task).await?;
        let body = TaskActionsServiceCommentRequest {
            comment: Some(text.into()),
            ..TaskActionsServiceCommentRequest::default()
        };
        let call = self.client.task_actions().comment(id.clone(), body);
        Ok(Planned::new(self.client, call, Recover::Read(id)))
    }

    /// Escalates an access request to emergency access.
    pub async fn escalate(&self, task: &str) -> Result<Planned<'a, EscalateToEmergencyAccess>> {
        let found = self.get(task).await?;
        let id = found.id.clone().ok_or(Error::Incomplete("task id"))?;
        let body = TaskActionsServiceEscalateToEmergencyAccessRequest {
            policy_step_id: current_step(&found),
            ..TaskActionsServiceEscalateToEmergencyAccessRequest::default()
        };
        let call = self
            .client
            .task_actions()
            .escalate_to_emergency_access(id.clone(), body);
        Ok(Planned::new(self.client, call, Recover::Read(id)))
    }

    /// Waits until the task is closed, asking every `interval`; gives up
    /// after `timeout` (a call in flight included) with
    /// [`crate::Error::WaitTimedOut`].
    pub async fn wait(&self, task: &str, interval: Duration, timeout: Duration) -> Result<Closed> {
        self.wait_watching(task, interval, timeout, |_| {}).await
    }

    /// [`Tasks::wait`], showing `watch` the task each time it is read (for
    /// a status line).
    pub async fn wait_watching(
        &self,
        task: &str,
        interval: Duration,
        timeout: Duration,
        mut watch: impl FnMut(&Task) + Send,
    ) -> Result<Closed> {
        let call = self.client.task().get(task);
        let done = |answer: &TaskServiceGetResponse| {
            if let Some(task) = answer.task_view.as_ref().and_then(|v| v.task.as_ref()) {
                watch(task);
            }
            is_closed(answer)
        };
        let answer = call.poll_until(done, interval, timeout).await?;
        Ok(Closed::new(self.client, task_of(answer.task_view)?))
    }

    async fn id(&self, task: &str) -> Result<String> {
        self.get(task).await?.id.ok_or(Error::Incomplete("task id"))
    }
}

/// Whether `task.get` answered with a closed task: what waiting waits for
/// (here and in `c1 task wait`).
pub fn is_closed(answer: &TaskServiceGetResponse) -> bool {
    let task = answer.task_view.as_ref().and_then(|v| v.task.as_ref());
    task.and_then(|t| t.state.as_ref()) == Some(&TaskState::Closed)
}

/// The task's current policy step, if it has one.
fn current_step(task: &Task) -> Option<String> {
    let step = task.policy.as_ref()?.current.as_ref()?;
    step.id.clone().filter(|id| !id.is_empty())
}

/// A decision on a task ([`Tasks::approve`], [`Tasks::deny`]): `.await` it.
#[derive(Debug, Clone)]
#[must_use = "a decision does nothing until it is awaited"]
pub struct Decide<'a, Op> {
    client: &'a Client,
    task: String,
    comment: Option<String>,
    op: std::marker::PhantomData<Op>,
}

/// The decisions [`Decide`] makes: approve or deny, at a policy step.
pub trait Decision: Operation<Output: TaskAnswer> + Sized {
    /// The call that decides task `id` at step `step`.
    #[doc(hidden)]
    fn call(client: &Client, id: String, step: String, comment: Option<String>) -> Call<Self>;
}

impl Decision for Approve {
    fn call(client: &Client, id: String, step: String, comment: Option<String>) -> Call<Self> {
        let body = TaskActionsServiceApproveRequest {
            comment,
            policy_step_id: step,
            ..TaskActionsServiceApproveRequest::default()
        };
        client.task_actions().approve(id, body)
    }
}

impl Decision for Deny {
    fn call(client: &Client, id: String, step: String, comment: Option<String>) -> Call<Self> {
        let body = TaskActionsServiceDenyRequest {
            comment,
            policy_step_id: Some(step),
            ..TaskActionsServiceDenyRequest::default()
        };
        client.task_actions().deny(id, body)
    }
}

impl<'a, Op: Decision> Decide<'a, Op> {
    fn new(client: &'a Client, task: String) -> Self {
        Decide {
            client,
            task,
            comment: None,
            op: std::marker::PhantomData,
        }
    }

    /// A comment to go with the decision.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }

    /// Everything but sending: reads the task and its current policy step
    /// ([`Error::NotAwaitingDecision`] when it has none, or is closed).
    pub async fn prepare(self) -> Result<Planned<'a, Op>> {
        let task = Tasks::new(self.client).get(&self.task).await?;
        let id = task.id.clone().ok_or(Error::Incomplete("task id"))?;
        let closed = task.state == Some(TaskState::Closed);
        let Some(step) = current_step(&task).filter(|_| !closed) else {
            return Err(Error::NotAwaitingDecision { task: id });
        };
        let call = Op::call(self.client, id.clone(), step, self.comment);
        Ok(Planned::new(self.client, call, Recover::Read(id)))
    }
}

impl<'a, Op> IntoFuture for Decide<'a, Op>
where
    Op: Decision + Send + 'a,
    Op::Output: TaskAnswer,
{
    type Output = Result<Ticket>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<Ticket>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.prepare().await?.send().await })
    }
}

/// The answers that carry the task they changed.
pub trait TaskAnswer {
    /// The task.
    #[doc(hidden)]
    fn task_view(self) -> Option<TaskView>;
}

macro_rules! task_answers {
    ($($answer:ident),*) => {$(
        impl TaskAnswer for crate::models::$answer {
            fn task_view(self) -> Option<TaskView> {
                self.task_view
            }
        }
    )*};
}

task_answers!(
    TaskServiceCreateGrantResponse,
    TaskServiceCreateRevokeResponse,
    TaskActionsServiceApproveResponse,
    TaskActionsServiceDenyResponse,
    TaskActionsServiceCommentResponse,
    TaskServiceActionResponse
);

/// A change a job has checked and not yet sent: [`Planned::dry_run`] shows
/// it, [`Planned::send`] makes it, unless an open task already asks for
/// the same ([`Planned::existing`]): then sending returns that task.
#[derive(Debug)]
#[must_use = "a planned change does nothing until it is sent"]
pub struct Planned<'a, Op> {
    client: &'a Client,
    call: Call<Op>,
    existing: Option<Task>,
    recover: Recover,
}

/// How to find the task a change made when its answer lacks it.
#[derive(Debug, Clone)]
pub(super) enum Recover {
    /// It is the task with this id (a decision, a comment).
    Read(String),
    /// It is your open task asking for the same thing (a create).
    Same(super::access::Same),
}

impl<'a, Op: Operation> Planned<'a, Op>
where
    Op::Output: TaskAnswer,
{
    pub(super) fn new(client: &'a Client, call: Call<Op>, recover: Recover) -> Self {
        Planned {
            client,
            call,
            existing: None,
            recover,
        }
    }

    /// This change, already asked for by the open task `task`: sending it
    /// returns that task and sends nothing.
    pub(super) fn already(mut self, task: Task) -> Self {
        self.existing = Some(task);
        self
    }

    /// The call that makes the change.
    pub fn call(&self) -> &Call<Op> {
        &self.call
    }

    /// The open task that already asks for this change, if one was found:
    /// [`Planned::send`] returns it instead of sending anything.
    pub fn existing(&self) -> Option<&Task> {
        self.existing.as_ref()
    }

    /// The request it would send, credentials redacted.
    pub fn dry_run(&self) -> Result<DryRun> {
        Ok(self.call.dry_run()?)
    }

    /// Sends it: the task it created or changed. With an
    /// [`existing`](Self::existing) task, that task (its ticket marked
    /// [`existing`](Ticket::existing)), and nothing is sent. An answer
    /// without its task is completed by finding the task (by its id, or
    /// as your open task for the same thing that was not open before); so
    /// is a create whose answer never came (a lost connection, a timeout,
    /// a gateway's 502 to 504), when the task it made is there.
    pub async fn send(self) -> Result<Ticket> {
        if let Some(task) = self.existing {
            let mut ticket = Ticket::new(self.client, task);
            ticket.existing = true;
            return Ok(ticket);
        }
        let (client, operation) = (self.client, Op::NAME);
        let task = match self.call.send().await {
            Ok(answer) => match answer.task_view().and_then(|view| view.task) {
                Some(task) => task,
                None => made(client, &self.recover)
                    .await?
                    .ok_or(Error::Unconfirmed { operation })?,
            },
            // No answer came, or a gateway's: a create may have been made
            // all the same, and is reported if it was.
            Err(error) if unanswered(&error) => match &self.recover {
                Recover::Same(same) => match same.made(client).await {
                    Ok(Some(task)) => task,
                    _ => return Err(error.into()),
                },
                Recover::Read(_) => return Err(error.into()),
            },
            Err(error) => return Err(error.into()),
        };
        Ok(Ticket::new(client, task))
    }
}

/// The task a change made, found again when its answer lacked it.
async fn made(client: &Client, recover: &Recover) -> Result<Option<Task>> {
    match recover {
        Recover::Read(id) => Tasks::new(client).get(id).await.map(Some),
        Recover::Same(same) => same.made(client).await,
    }
}

/// Whether a call that failed may have been carried out all the same: no
/// answer came (the connection, a timeout), or a gateway's (502, 503, 504).
fn unanswered(error: &crate::Error) -> bool {
    let gateway = matches!(error.status(), Some(502..=504));
    gateway || matches!(error, crate::Error::Transport(_) | crate::Error::Timeout(_))
}

/// A task a job created or changed, its ticket URL, and how to wait for it.
#[derive(Debug, Clone, Serialize)]
pub struct Ticket {
    /// The task.
    #[serde(flatten)]
    pub task: Task,
    /// Where people see it: `https://<tenant>/task/<numericId>`.
    pub url: Option<String>,
    /// The task was already open, asking for the same thing: nothing new
    /// was created.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub existing: bool,
    #[serde(skip)]
    client: Client,
}

impl Ticket {
    fn new(client: &Client, task: Task) -> Self {
        let url = url_of(client, &task);
        Ticket {
            task,
            url,
            existing: false,
            client: client.clone(),
        }
    }

    /// The task's number (the one in its URL), else its id: what to wait
    /// for it again by.
    pub fn reference(&self) -> String {
        match self.task.numeric_id {
            Some(number) => number.to_string(),
            None => self.task.id.clone().unwrap_or_default(),
        }
    }

    /// Waits until the task is closed (asking every five seconds), at most
    /// `timeout`. A wait that fails is [`Error::Waiting`], which holds
    /// this ticket as last seen.
    pub async fn wait(&self, timeout: Duration) -> Result<Closed> {
        self.wait_every(WAIT_INTERVAL, timeout).await
    }

    /// [`Ticket::wait`], asking every `interval`.
    pub async fn wait_every(&self, interval: Duration, timeout: Duration) -> Result<Closed> {
        self.wait_watching(interval, timeout, |_| {}).await
    }

    /// [`Ticket::wait_every`], showing `watch` the task each time it is
    /// read (for a status line).
    pub async fn wait_watching(
        &self,
        interval: Duration,
        timeout: Duration,
        mut watch: impl FnMut(&Task) + Send,
    ) -> Result<Closed> {
        let mut seen: Option<Task> = None;
        let waited = match self.task.id.as_deref() {
            Some(id) => {
                let tasks = Tasks::new(&self.client);
                let watching = |task: &Task| {
                    seen = Some(task.clone());
                    watch(task);
                };
                tasks.wait_watching(id, interval, timeout, watching).await
            }
            None => Err(Error::Incomplete("task id")),
        };
        waited.map_err(|error| {
            // The task as last seen, where it stands now.
            let mut ticket = match seen {
                Some(task) => Ticket::new(&self.client, task),
                None => self.clone(),
            };
            ticket.existing = self.existing;
            Error::Waiting {
                ticket: Box::new(ticket),
                error: Box::new(error),
            }
        })
    }

    /// Where the task stands.
    pub fn progress(&self) -> Progress {
        Progress::of(&self.task)
    }
}

impl std::fmt::Display for Ticket {
    /// `task 4211 (https://acme.conductor.one/task/4211)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "task {}", self.reference())?;
        match &self.url {
            Some(url) => write!(f, " ({url})"),
            None => Ok(()),
        }
    }
}

/// Where a task stands, in a few words: for a status line, and for an
/// agent deciding whether to wait again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// `open` or `closed`.
    pub state: &'static str,
    /// How it ended, once closed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The kind of its current policy step, while open: `approval`,
    /// `provision`, `form`, `wait`, `accept`, `reject` or `action`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<&'static str>,
    /// Who its current step waits on (user ids), where the task says.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waits_on: Vec<String>,
}

impl Progress {
    /// Where `task` stands.
    pub fn of(task: &Task) -> Progress {
        let closed = task.state == Some(TaskState::Closed);
        let current = task.policy.as_ref().and_then(|p| p.current.as_ref());
        // By the step's fields as sent, which every version of the API
        // names alike, rather than by the model's, which older documents
        // lack some of (`form`, `wait`, `action`).
        let step = current.filter(|_| !closed).and_then(|step| {
            let sent = serde_json::to_value(step).ok()?;
            let kinds = [
                "approval",
                "provision",
                "form",
                "wait",
                "accept",
                "reject",
                "action",
            ];
            kinds.into_iter().find(|kind| !sent[*kind].is_null())
        });
        Progress {
            state: if closed { "closed" } else { "open" },
            outcome: closed.then(|| Outcome::of(task)),
            step,
            waits_on: if closed {
                Vec::new()
            } else {
                task.step_approver_ids.clone()
            },
        }
    }
}

/// Where people see `task`: `https://<tenant>/task/<numericId>`.
fn url_of(client: &Client, task: &Task) -> Option<String> {
    task.numeric_id.map(|n| {
        let mut url = client.base_url().clone();
        url.set_path(&format!("task/{n}"));
        url.set_query(None);
        url.to_string()
    })
}

/// A closed task and how it ended.
#[derive(Debug, Clone, Serialize)]
pub struct Closed {
    /// How it ended.
    pub outcome: Outcome,
    /// The task.
    pub task: Task,
    /// Where people see it.
    pub url: Option<String>,
}

impl Closed {
    fn new(client: &Client, task: Task) -> Self {
        Closed {
            outcome: Outcome::of(&task),
            url: url_of(client, &task),
            task,
        }
    }

    /// Whether it ended as asked: granted or revoked, or any other task
    /// closed (a grant or revoke task without an outcome did not).
    pub fn succeeded(&self) -> bool {
        matches!(
            self.outcome,
            Outcome::Granted | Outcome::Revoked | Outcome::Done
        )
    }
}

/// How a closed task ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// The access was granted.
    Granted,
    /// The access was revoked.
    Revoked,
    /// Someone denied it.
    Denied,
    /// It was cancelled.
    Cancelled,
    /// Provisioning failed.
    Failed,
    /// It waited too long for someone and expired.
    Expired,
    /// A grant or revoke task closed without an outcome (or with one this
    /// crate does not know): not known to be granted or revoked.
    Unknown,
    /// A task of another kind, closed.
    Done,
}

impl Outcome {
    /// How `task` ended, read as if it were closed.
    pub fn of(task: &Task) -> Outcome {
        // By the values as sent, which every version of the API spells the
        // same, rather than by the enums' variants, which older documents
        // lack some of (`WAIT_TIMED_OUT`).
        let kind = task.r#type.as_ref();
        // A grant or revoke task without an outcome (absent, or the
        // protobuf zero value `..._UNSPECIFIED`) is not known to have done
        // anything: `Unknown`, never a success.
        let outcome =
            |value: Option<&str>, prefix: &str| match value.map(|v| v.trim_start_matches(prefix)) {
                Some("GRANTED") => Outcome::Granted,
                Some("REVOKED") => Outcome::Revoked,
                Some("DENIED") => Outcome::Denied,
                Some("CANCELLED") => Outcome::Cancelled,
                Some("WAIT_TIMED_OUT") => Outcome::Expired,
                Some("ERROR") => Outcome::Failed,
                _ => Outcome::Unknown,
            };
        if let Some(grant) = kind.and_then(|k| k.grant.as_ref()) {
            let value = grant.outcome.as_ref().map(|o| o.as_str());
            return outcome(value, "GRANT_OUTCOME_");
        }
        if let Some(revoke) = kind.and_then(|k| k.revoke.as_ref()) {
            let value = revoke.outcome.as_ref().map(|o| o.as_str());
            return outcome(value, "REVOKE_OUTCOME_");
        }
        Outcome::Done
    }

    /// The outcome in words: `granted`, `denied`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Granted => "granted",
            Outcome::Revoked => "revoked",
            Outcome::Denied => "denied",
            Outcome::Cancelled => "cancelled",
            Outcome::Failed => "failed",
            Outcome::Expired => "expired",
            Outcome::Unknown => "unknown",
            Outcome::Done => "done",
        }
    }
}
