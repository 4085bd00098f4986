//! The jobs C1 users do, each in one call: find what they can ask for, ask
//! for access and wait for it, give it back, check it, and decide the tasks
//! waiting on them.
//!
//! ```no_run
//! # async fn example(client: c1_client::Client) -> Result<(), c1_client::jobs::Error> {
//! use std::time::Duration;
//! use c1_client::jobs::{Entitlement, Outcome};
//!
//! let ticket = client
//!     .access()
//!     .request(Entitlement::alias("aws-prod-admin"))
//!     .justification("incident 4211")
//!     .duration(Duration::from_secs(2 * 3600))
//!     .await?;
//! println!("asked: {}", ticket.url.as_deref().unwrap_or("-"));
//! let closed = ticket.wait(Duration::from_secs(600)).await?;
//! assert_eq!(closed.outcome, Outcome::Granted);
//! # Ok(())
//! # }
//! ```
//!
//! Each job reads what it needs first (who you are, the entitlement, your
//! grants and accounts, the request form, the task's current step) and
//! refuses with a typed [`Error`] before anything is changed. The change
//! itself is a [`Planned`] call: `.await` on a job sends it, `prepare()`
//! stops before, for a dry run. A request (or a revocation) that an open
//! task of yours already asks for returns that task ([`Ticket::existing`])
//! instead of making approvers decide twice, and a wait that ends before
//! its task closes says which task it was ([`Error::Waiting`]).
//!
//! This layer is written by hand on top of the generated operations (its
//! source is `generator/jobs/`, copied into the crate like the runtime), and
//! is built only with the features of the groups it calls (`jobs` turns
//! them all on). `c1` runs these same jobs (`c1 request`, `c1 task approve`).

mod access;
mod accounts;
mod form;
mod tasks;

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::Client;
use crate::models::{AppEntitlementUserBinding, Task, User};

pub use access::{Access, CatalogEntry, CatalogSearch, Check, Request, Resolved, Revoke};
pub use tasks::{
    Closed, Decide, Decision, Outcome, Planned, Progress, TaskAnswer, Tasks, Ticket, WAIT_INTERVAL,
    is_closed,
};

/// What this module's jobs return.
pub type Result<T> = std::result::Result<T, Error>;

impl Client {
    /// Access jobs: the request catalog, requesting, revoking and checking
    /// access to entitlements.
    pub fn access(&self) -> Access<'_> {
        Access::new(self)
    }

    /// Task jobs: your inbox, approving, denying, commenting, escalating,
    /// waiting for a task to close.
    pub fn tasks(&self) -> Tasks<'_> {
        Tasks::new(self)
    }

    /// The signed-in user: who the credentials are (`auth.introspect`),
    /// then that user (`user.get`).
    pub async fn me(&self) -> Result<User> {
        let id = me_id(self).await?;
        let answer = self.user().get(id).await?;
        answer
            .user_view
            .and_then(|view| view.user)
            .ok_or(Error::Incomplete("the user"))
    }
}

/// The signed-in user's id.
async fn me_id(client: &Client) -> Result<String> {
    let answer = client.auth().introspect().await?;
    answer
        .user_id
        .filter(|id| !id.is_empty())
        .ok_or(Error::Incomplete("the signed-in user's id"))
}

/// An entitlement as a person names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entitlement {
    /// Its alias in the request catalog (`aws-prod-admin`).
    Alias(String),
    /// An app and one of its entitlements, each by id or by display name
    /// (case-insensitive, exact).
    InApp {
        /// The app's id or display name.
        app: String,
        /// The entitlement's id or display name.
        entitlement: String,
    },
}

impl Entitlement {
    /// The entitlement whose alias is `alias`.
    pub fn alias(alias: impl Into<String>) -> Self {
        Entitlement::Alias(alias.into())
    }

    /// The entitlement `entitlement` of the app `app`, each an id or a
    /// display name.
    pub fn in_app(app: impl Into<String>, entitlement: impl Into<String>) -> Self {
        Entitlement::InApp {
            app: app.into(),
            entitlement: entitlement.into(),
        }
    }
}

impl fmt::Display for Entitlement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entitlement::Alias(alias) => write!(f, "`{alias}`"),
            Entitlement::InApp { app, entitlement } => write!(f, "`{entitlement}` of `{app}`"),
        }
    }
}

/// One of several things a name matched, or an account to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    /// Its id: what to give instead of the name.
    pub id: String,
    /// Its display name (an account's username or email when it has none).
    pub display_name: String,
}

impl fmt::Display for Candidate {
    /// `au-1 (alice)`, or the id alone when it has no other name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.display_name.trim();
        if name.is_empty() || name == self.id {
            write!(f, "{}", self.id)
        } else {
            write!(f, "{} ({name})", self.id)
        }
    }
}

impl Candidate {
    /// `id` with its name among `named`, if it has one there.
    fn named(id: String, named: &[Candidate]) -> Candidate {
        let name = named.iter().find(|c| c.id == id);
        Candidate {
            display_name: name.map(|c| c.display_name.clone()).unwrap_or_default(),
            id,
        }
    }
}

/// A field of a request form that was not given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FormField {
    /// The name to give it by (`--form NAME=VALUE`).
    pub name: String,
    /// What the form calls it.
    pub display_name: String,
    /// What it asks for.
    pub description: String,
}

/// Why a job did not do what it was asked. Every refusal is decided before
/// anything is changed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A call failed: the API's error, the connection, a timeout.
    #[error(transparent)]
    Client(#[from] crate::Error),
    /// No app or entitlement has that name.
    #[error("no {what} is named `{name}`")]
    NotFound {
        /// What was looked for: `app`, `entitlement`, `entitlement alias`.
        what: &'static str,
        /// The name given.
        name: String,
    },
    /// A name matched several apps or entitlements: give an id instead.
    #[error("{} {what}s are named `{name}`; give one's id instead: {}", candidates.len(), list(candidates))]
    Ambiguous {
        /// What was looked for.
        what: &'static str,
        /// The name given.
        name: String,
        /// What it matched.
        candidates: Vec<Candidate>,
    },
    /// You already hold the entitlement: nothing was requested (force the
    /// request to ask anyway).
    #[error("you already have {entitlement}: nothing was requested (force it to ask again)")]
    AlreadyGranted {
        /// The entitlement.
        entitlement: Box<Resolved>,
        /// Your grants of it, one per account.
        grants: Vec<AppEntitlementUserBinding>,
    },
    /// You do not hold the entitlement: nothing was revoked.
    #[error("you do not have {entitlement}: there is nothing to revoke")]
    NotGranted {
        /// The entitlement.
        entitlement: Box<Resolved>,
    },
    /// You hold the entitlement, but not on the account named: nothing was
    /// revoked.
    #[error(
        "you do not have {entitlement} on account {account}; you have it on {}",
        list(held)
    )]
    NotOnAccount {
        /// The entitlement.
        entitlement: Box<Resolved>,
        /// The account named.
        account: String,
        /// The accounts that hold it.
        held: Vec<Candidate>,
    },
    /// The duration asked for is longer than the entitlement allows.
    #[error("a grant of {} is longer than the maximum of `{}`, {}", human(*requested), entitlement.name(), human(*maximum))]
    OverMaximum {
        /// The entitlement.
        entitlement: Box<Resolved>,
        /// The duration asked for.
        requested: Duration,
        /// The longest grant it allows.
        maximum: Duration,
    },
    /// You have several accounts in the app: say which one.
    #[error("you have {} accounts in app {app_id}; choose one with the app user id: {}", accounts.len(), list(accounts))]
    SeveralAccounts {
        /// The app.
        app_id: String,
        /// Your accounts in it.
        accounts: Vec<Candidate>,
    },
    /// The entitlement's request form has required fields that were not given.
    #[error("the request form asks for {}; give each as a form field (`--form NAME=VALUE` or `--form-data '{{\"NAME\": VALUE}}'`)", fields.iter().map(|f| format!("`{}` ({})", f.name, f.display_name)).collect::<Vec<_>>().join(", "))]
    MissingFormFields {
        /// The fields not given.
        fields: Vec<FormField>,
    },
    /// A form field was given that the entitlement's request form does not
    /// have (`known` is empty when it has no form).
    #[error("{}", unknown_field(name, known))]
    UnknownFormField {
        /// The name given.
        name: String,
        /// The form's fields.
        known: Vec<String>,
    },
    /// The task has no current policy step to approve or deny.
    #[error("task {task} is not awaiting a decision: it has no current policy step")]
    NotAwaitingDecision {
        /// The task's id.
        task: String,
    },
    /// An argument cannot be used (an empty justification, a zero duration).
    #[error("{0}")]
    Invalid(String),
    /// The API's answer lacks something the job needs.
    #[error("the API's answer has no {0}")]
    Incomplete(&'static str),
    /// A create was sent and accepted, but its answer has no task, and no
    /// open task of yours was found for it: it may exist all the same.
    #[error(
        "`{operation}` was accepted, but its answer has no task and no open task of yours was found for it: look for one before asking again"
    )]
    Unconfirmed {
        /// The operation sent: `task.create_grant_task`.
        operation: &'static str,
    },
    /// Waiting for a task failed (the wait timed out, a call failed): the
    /// task is still there, and can be waited for again. `ticket` is the
    /// task as last seen.
    #[error("{error}; {ticket} is still there: wait for it again rather than asking again")]
    Waiting {
        /// The task.
        ticket: Box<Ticket>,
        /// Why the wait ended.
        #[source]
        error: Box<Error>,
    },
}

impl Error {
    /// The task this error leaves behind, to wait for or look at: the one
    /// a wait was for ([`Error::Waiting`]).
    pub fn ticket(&self) -> Option<&Ticket> {
        match self {
            Error::Waiting { ticket, .. } => Some(ticket),
            _ => None,
        }
    }

    /// The client's error under this one, if any: a wait's cause included.
    pub fn client_error(&self) -> Option<&crate::Error> {
        match self {
            Error::Client(error) => Some(error),
            Error::Waiting { error, .. } => error.client_error(),
            _ => None,
        }
    }
}

impl<T> From<crate::WaitError<T>> for Error {
    fn from(error: crate::WaitError<T>) -> Self {
        Error::Client(error.into())
    }
}

fn unknown_field(name: &str, known: &[String]) -> String {
    if known.is_empty() {
        format!("the entitlement has no request form, so no field `{name}`")
    } else {
        format!(
            "the request form has no field `{name}`; its fields: {}",
            known.join(", ")
        )
    }
}

fn list(candidates: &[Candidate]) -> String {
    let items: Vec<String> = candidates.iter().map(ToString::to_string).collect();
    items.join(", ")
}

/// `2h30m`, `45s`, `3d`: a duration as a person writes it.
pub(crate) fn human(duration: Duration) -> String {
    let mut left = duration.as_secs();
    if left == 0 {
        return format!("{}ms", duration.as_millis());
    }
    let mut text = String::new();
    for (unit, seconds) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if left >= seconds {
            text.push_str(&format!("{}{unit}", left / seconds));
            left %= seconds;
        }
    }
    text
}

/// Your account in app `app_id` for a request that names none: none (the
/// app makes one, or C1 picks it), the one you have, or
/// [`Error::SeveralAccounts`], each account with its name.
async fn account(client: &Client, app_id: &str, me: &str) -> Result<Option<String>> {
    let mut accounts = accounts::yours(client, app_id, me).await?;
    match accounts.len() {
        0 => Ok(None),
        1 => Ok(Some(accounts.remove(0).id)),
        _ => Err(Error::SeveralAccounts {
            app_id: app_id.to_string(),
            accounts,
        }),
    }
}

/// The task in an answer that carries one.
fn task_of(view: Option<crate::models::TaskView>) -> Result<Task> {
    view.and_then(|view| view.task)
        .ok_or(Error::Incomplete("task"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(human(Duration::from_secs(2 * 3600 + 1800)), "2h30m");
        assert_eq!(human(Duration::from_secs(86_400 + 5)), "1d5s");
        assert_eq!(human(Duration::from_millis(300)), "300ms");
    }
}
