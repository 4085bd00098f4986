//! Access jobs: the request catalog, and requesting, revoking and checking
//! an entitlement.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use serde::Serialize;
use serde_json::{Map, Value};

use super::tasks::{Planned, Recover, TaskAnswer, Ticket};
use super::{Candidate, Entitlement, Error, Result, me_id};
use crate::apis::task::{CreateGrantTask, CreateRevokeTask};
use crate::models::{
    AppEntitlement, AppEntitlementSearchServiceSearchRequest, AppEntitlementUserBinding,
    AppEntitlementWithUserBindings, RequestCatalogSearchServiceSearchEntitlementsRequest,
    RequestCatalogSearchServiceSearchEntitlementsRequestGrantedStatus as GrantedStatus,
    SearchAppsRequest, Task, TaskSearchRequest, TaskServiceCreateGrantRequest,
    TaskServiceCreateRevokeRequest, TaskState,
};
use crate::{Call, Client, Operation};

/// Access jobs: `client.access()`.
#[derive(Debug, Clone, Copy)]
pub struct Access<'a> {
    client: &'a Client,
}

impl<'a> Access<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Access { client }
    }

    /// The entitlements you can request, every page: narrow it with the
    /// builder's methods, then read [`CatalogSearch::items`].
    pub fn catalog(&self) -> CatalogSearch<'a> {
        CatalogSearch {
            client: self.client,
            body: RequestCatalogSearchServiceSearchEntitlementsRequest::default(),
        }
    }

    /// Asks for `entitlement` for yourself: set a justification, then
    /// `.await` it (or [`Request::prepare`] it to see the request first).
    pub fn request(&self, entitlement: Entitlement) -> Request<'a> {
        Request {
            client: self.client,
            entitlement,
            justification: String::new(),
            duration: None,
            app_user: None,
            form: Map::new(),
            emergency: false,
            force: false,
        }
    }

    /// Gives `entitlement` back: `.await` it (or [`Revoke::prepare`] it).
    pub fn revoke(&self, entitlement: Entitlement) -> Revoke<'a> {
        Revoke {
            client: self.client,
            entitlement,
            justification: None,
            app_user: None,
            force: false,
        }
    }

    /// Whether you hold `entitlement`.
    pub async fn check(&self, entitlement: Entitlement) -> Result<Check> {
        let me = me_id(self.client).await?;
        let entitlement = self.resolve(&entitlement).await?;
        let grants = grants(self.client, &entitlement, &me).await?;
        Ok(Check {
            granted: !grants.is_empty(),
            entitlement,
            grants,
        })
    }

    /// The app and entitlement a name means: an alias (through the request
    /// catalog, else among every entitlement: one you hold may not be
    /// requestable), an app and entitlement by id, else by display name.
    /// An empty name is refused before anything is read.
    pub async fn resolve(&self, entitlement: &Entitlement) -> Result<Resolved> {
        let empty = |name: &str| name.trim().is_empty();
        let named = match entitlement {
            Entitlement::Alias(alias) => !empty(alias),
            Entitlement::InApp { app, entitlement } => !empty(app) && !empty(entitlement),
        };
        if !named {
            return Err(Error::Invalid(
                "an entitlement needs a name: an alias, or an app and an entitlement".into(),
            ));
        }
        match entitlement {
            Entitlement::Alias(alias) => self.by_alias(alias).await,
            Entitlement::InApp { app, entitlement } => {
                let app_id = self.app_id(app).await?;
                let entitlement = self.in_app(&app_id, entitlement).await?;
                Resolved::new(entitlement)
            }
        }
    }

    async fn by_alias(&self, alias: &str) -> Result<Resolved> {
        let aliased = |e: &AppEntitlement| same_name(e.alias.as_deref(), alias);
        let requestable: Vec<AppEntitlement> = self
            .catalog()
            .alias(alias)
            .items()
            .map_ok(|entry| entry.entitlement)
            .try_filter(|e| std::future::ready(aliased(e)))
            .try_collect()
            .await?;
        if !requestable.is_empty() {
            return one(
                "entitlement alias",
                alias,
                requestable,
                entitlement_candidate,
            )
            .and_then(Resolved::new);
        }
        // Not requestable (yet held, perhaps): every entitlement.
        let body = AppEntitlementSearchServiceSearchRequest {
            alias: Some(alias.to_string()),
            ..AppEntitlementSearchServiceSearchRequest::default()
        };
        let search = self.client.app_entitlement_search().search(body);
        let views: Vec<_> = search.items().try_collect().await?;
        let found = views
            .into_iter()
            .filter_map(|view| view.app_entitlement)
            .filter(aliased);
        one(
            "entitlement alias",
            alias,
            found.collect(),
            entitlement_candidate,
        )
        .and_then(Resolved::new)
    }

    /// The id of the app `app` names: an id, else a display name.
    async fn app_id(&self, app: &str) -> Result<String> {
        if let Some(answer) = unless_not_found(self.client.apps().get(app).await)? {
            return answer
                .app
                .and_then(|app| app.id)
                .ok_or(Error::Incomplete("app id"));
        }
        let body = SearchAppsRequest {
            display_name: Some(app.to_string()),
            ..SearchAppsRequest::default()
        };
        let apps: Vec<_> = self
            .client
            .app_search()
            .search(body)
            .items()
            .try_collect()
            .await?;
        let named = apps
            .into_iter()
            .filter(|a| same_name(a.display_name.as_deref(), app));
        let candidate = |a: &crate::models::App| Candidate {
            id: a.id.clone().unwrap_or_default(),
            display_name: a.display_name.clone().unwrap_or_default(),
        };
        one("app", app, named.collect(), candidate)?
            .id
            .ok_or(Error::Incomplete("app id"))
    }

    /// The entitlement of app `app_id` that `name` names: an id, else a
    /// display name.
    async fn in_app(&self, app_id: &str, name: &str) -> Result<AppEntitlement> {
        let by_id = self.client.app_entitlements().get(app_id, name).await;
        if let Some(answer) = unless_not_found(by_id)? {
            let found = answer.app_entitlement_view.and_then(|v| v.app_entitlement);
            return found.ok_or(Error::Incomplete("entitlement"));
        }
        // `query` (names and descriptions, which every version of the API
        // has), then the exact name below.
        let body = AppEntitlementSearchServiceSearchRequest {
            app_ids: vec![app_id.to_string()],
            query: Some(name.to_string()),
            ..AppEntitlementSearchServiceSearchRequest::default()
        };
        let search = self.client.app_entitlement_search().search(body);
        let views: Vec<_> = search.items().try_collect().await?;
        let named = views
            .into_iter()
            .filter_map(|view| view.app_entitlement)
            .filter(|e| same_name(e.display_name.as_deref(), name));
        one("entitlement", name, named.collect(), entitlement_candidate)
    }
}

/// The answer, `None` for "not found" (a name rather than an id), or the error.
fn unless_not_found<T>(answer: crate::Result<T>) -> Result<Option<T>> {
    match answer {
        Ok(answer) => Ok(Some(answer)),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// Names and aliases match case-insensitively (Unicode's lower case), and
/// exactly otherwise.
fn same_name(name: Option<&str>, wanted: &str) -> bool {
    name.is_some_and(|name| name.to_lowercase() == wanted.to_lowercase())
}

fn entitlement_candidate(e: &AppEntitlement) -> Candidate {
    Candidate {
        id: e.id.clone().unwrap_or_default(),
        display_name: e.display_name.clone().unwrap_or_default(),
    }
}

/// The one thing found: none is [`Error::NotFound`], several (with
/// different ids: the same one found on two pages is one) [`Error::Ambiguous`].
fn one<T>(
    what: &'static str,
    name: &str,
    mut found: Vec<T>,
    candidate: impl Fn(&T) -> Candidate,
) -> Result<T> {
    let mut seen = std::collections::HashSet::new();
    found.retain(|item| seen.insert(candidate(item).id));
    match found.len() {
        0 => Err(Error::NotFound {
            what,
            name: name.to_string(),
        }),
        1 => Ok(found.remove(0)),
        _ => Err(Error::Ambiguous {
            what,
            name: name.to_string(),
            candidates: found.iter().map(candidate).collect(),
        }),
    }
}

/// Your grants of `entitlement` (the endpoint lists every account of
/// yours, granted or not: see [`is_grant`]).
async fn grants(
    client: &Client,
    entitlement: &Resolved,
    me: &str,
) -> Result<Vec<AppEntitlementUserBinding>> {
    let answer = client
        .app_entitlement_user_binding()
        .list_app_users_for_identity_with_grant(entitlement.app_id(), entitlement.id(), me)
        .await?;
    Ok(answer.bindings.into_iter().filter(is_grant).collect())
}

/// Whether a binding is a grant: it has an entitlement id and no
/// `deletedAt` (bindings also list accounts that hold nothing).
fn is_grant(binding: &AppEntitlementUserBinding) -> bool {
    let entitlement = binding.app_entitlement_id.as_deref();
    entitlement.is_some_and(|id| !id.is_empty()) && binding.deleted_at.is_none()
}

/// An id that is there: neither absent nor empty.
fn present(id: &Option<String>) -> Option<&str> {
    id.as_deref().filter(|id| !id.is_empty())
}

/// An entitlement found by name, with its id and its app's id (checked
/// present). It is written as the entitlement it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Resolved {
    entitlement: AppEntitlement,
}

impl Resolved {
    fn new(entitlement: AppEntitlement) -> Result<Self> {
        if present(&entitlement.app_id).is_none() {
            return Err(Error::Incomplete("entitlement's app id"));
        }
        if present(&entitlement.id).is_none() {
            return Err(Error::Incomplete("entitlement id"));
        }
        Ok(Resolved { entitlement })
    }

    /// The app's id.
    pub fn app_id(&self) -> &str {
        self.entitlement.app_id.as_deref().unwrap_or_default()
    }

    /// The entitlement's id.
    pub fn id(&self) -> &str {
        self.entitlement.id.as_deref().unwrap_or_default()
    }

    /// Its display name, or its id when it has none.
    pub fn name(&self) -> &str {
        self.entitlement
            .display_name
            .as_deref()
            .unwrap_or(self.id())
    }

    /// The entitlement.
    pub fn entitlement(&self) -> &AppEntitlement {
        &self.entitlement
    }

    /// The longest grant the entitlement allows, if it has a maximum.
    pub fn maximum(&self) -> Option<Duration> {
        let maximum = self.entitlement.duration_grant?;
        Duration::try_from(maximum).ok().filter(|d| !d.is_zero())
    }
}

impl std::fmt::Display for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (name, app, id) = (self.name(), self.app_id(), self.id());
        write!(f, "`{name}` (app {app}, entitlement {id})")
    }
}

/// Whether you hold an entitlement: [`Access::check`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// Whether you hold it on any account.
    pub granted: bool,
    /// The entitlement.
    pub entitlement: Resolved,
    /// Your grants of it, one per account.
    pub grants: Vec<AppEntitlementUserBinding>,
}

/// The request catalog's search: [`Access::catalog`].
#[derive(Debug, Clone)]
pub struct CatalogSearch<'a> {
    client: &'a Client,
    body: RequestCatalogSearchServiceSearchEntitlementsRequest,
}

impl CatalogSearch<'_> {
    /// Entitlements matching `query` (names and descriptions).
    pub fn query(mut self, query: impl Into<String>) -> Self {
        self.body.query = Some(query.into());
        self
    }

    /// The entitlement with this alias.
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.body.entitlement_alias = Some(alias.into());
        self
    }

    /// Entitlements of the app with this display name.
    pub fn app(mut self, app: impl Into<String>) -> Self {
        self.body.app_display_name = Some(app.into());
        self
    }

    /// Only those you hold (`true`) or do not hold (`false`).
    pub fn granted(mut self, granted: bool) -> Self {
        self.body.granted_status = Some(if granted {
            GrantedStatus::Granted
        } else {
            GrantedStatus::NotGranted
        });
        self
    }

    /// Every entitlement found, page after page.
    pub fn items(self) -> BoxStream<'static, Result<CatalogEntry>> {
        let search = self
            .client
            .request_catalog_search()
            .search_entitlements(self.body);
        search
            .items()
            .map_ok(CatalogEntry::from)
            .map_err(Error::from)
            .boxed()
    }
}

/// An entitlement of the request catalog, and whether you hold it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogEntry {
    /// The entitlement.
    #[serde(flatten)]
    pub entitlement: AppEntitlement,
    /// Whether you hold it.
    pub granted: bool,
}

impl From<AppEntitlementWithUserBindings> for CatalogEntry {
    fn from(found: AppEntitlementWithUserBindings) -> Self {
        let granted = found.app_entitlement_user_bindings.iter().any(is_grant);
        CatalogEntry {
            entitlement: found
                .entitlement
                .and_then(|v| v.app_entitlement)
                .unwrap_or_default(),
            granted,
        }
    }
}

/// A request for access: [`Access::request`]. `.await` it to send it.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited"]
pub struct Request<'a> {
    client: &'a Client,
    entitlement: Entitlement,
    justification: String,
    duration: Option<Duration>,
    app_user: Option<String>,
    form: Map<String, Value>,
    emergency: bool,
    force: bool,
}

impl<'a> Request<'a> {
    /// Why you need it (required).
    pub fn justification(mut self, text: impl Into<String>) -> Self {
        self.justification = text.into();
        self
    }

    /// For how long (default: the entitlement's maximum, if it has one).
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// On this account of yours in the app (needed when you have several).
    pub fn app_user(mut self, id: impl Into<String>) -> Self {
        self.app_user = Some(id.into());
        self
    }

    /// A field of the entitlement's request form.
    pub fn form(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.form.insert(name.into(), value.into());
        self
    }

    /// Fields of the request form, all at once.
    pub fn form_data(mut self, data: Map<String, Value>) -> Self {
        self.form.extend(data);
        self
    }

    /// Ask for emergency access.
    pub fn emergency(mut self, emergency: bool) -> Self {
        self.emergency = emergency;
        self
    }

    /// Ask even if you already hold it, or an open request of yours
    /// already asks for it (by default that request is returned instead of
    /// creating another).
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// Everything but sending: who you are, the entitlement, your grants,
    /// the maximum duration, your accounts in the app and the request form
    /// are read and checked, and your open requests searched for one that
    /// already asks for it ([`Planned::existing`]); the task that would be
    /// created is returned unsent.
    pub async fn prepare(self) -> Result<Planned<'a, CreateGrantTask>> {
        if self.justification.trim().is_empty() {
            return Err(Error::Invalid("a request needs a justification".into()));
        }
        if self.duration.is_some_and(|d| d.is_zero()) {
            return Err(Error::Invalid(
                "a grant's duration must be more than zero".into(),
            ));
        }
        let access = Access::new(self.client);
        let me = me_id(self.client).await?;
        let target = access.resolve(&self.entitlement).await?;
        if !self.force {
            let mut held = grants(self.client, &target, &me).await?;
            // Held on another account is not held on the one asked for.
            if let Some(wanted) = &self.app_user {
                held.retain(|b| b.app_user_id.as_ref() == Some(wanted));
            }
            if !held.is_empty() {
                let entitlement = Box::new(target);
                return Err(Error::AlreadyGranted {
                    entitlement,
                    grants: held,
                });
            }
        }
        let duration = self.duration_for(&target)?;
        let app_user = match self.app_user {
            Some(id) => Some(id),
            None => super::account(self.client, target.app_id(), &me).await?,
        };
        let form = super::form::check(self.client, target.entitlement(), &self.form).await?;
        let grant_duration = duration
            .map(time::Duration::try_from)
            .transpose()
            .map_err(|_| Error::Invalid("the duration is too long".into()))?;
        let same = Same {
            kind: Kind::Grant,
            me: me.clone(),
            entitlement_id: target.id().to_string(),
            account: app_user.clone(),
            before: Vec::new(),
        };
        // The document: appUserId "and identityUserId cannot both be set".
        let (app_user_id, identity_user_id) = account_or_me(app_user, me);
        let mut body = TaskServiceCreateGrantRequest {
            app_entitlement_id: target.id().to_string(),
            app_id: target.app_id().to_string(),
            app_user_id,
            description: Some(self.justification),
            emergency_access: self.emergency.then_some(true),
            grant_duration,
            identity_user_id,
            ..TaskServiceCreateGrantRequest::default()
        };
        super::form::attach(&mut body, form);
        let call = self.client.task().create_grant_task(body);
        unless_open(self.client, call, same, self.force).await
    }

    /// The duration to ask for: the one given, at most the maximum; the
    /// maximum when none is given.
    fn duration_for(&self, target: &Resolved) -> Result<Option<Duration>> {
        match (self.duration, target.maximum()) {
            (Some(requested), Some(maximum)) if requested > maximum => Err(Error::OverMaximum {
                entitlement: Box::new(target.clone()),
                requested,
                maximum,
            }),
            (Some(requested), _) => Ok(Some(requested)),
            (None, maximum) => Ok(maximum),
        }
    }
}

impl<'a> IntoFuture for Request<'a> {
    type Output = Result<Ticket>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<Ticket>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.prepare().await?.send().await })
    }
}

/// Who a grant or revoke task is for, as the document allows it: the
/// account when one is known, else you (`appUserId` "and identityUserId
/// cannot both be set for a given request"; the overlay makes it a rule).
fn account_or_me(account: Option<String>, me: String) -> (Option<String>, Option<String>) {
    match account {
        Some(account) => (Some(account), None),
        None => (None, Some(me)),
    }
}

/// Giving access back: [`Access::revoke`]. `.await` it to send it.
#[derive(Debug, Clone)]
#[must_use = "a revocation does nothing until it is awaited"]
pub struct Revoke<'a> {
    client: &'a Client,
    entitlement: Entitlement,
    justification: Option<String>,
    app_user: Option<String>,
    force: bool,
}

impl<'a> Revoke<'a> {
    /// Why.
    pub fn justification(mut self, text: impl Into<String>) -> Self {
        self.justification = Some(text.into());
        self
    }

    /// On this account of yours (needed when several hold it).
    pub fn app_user(mut self, id: impl Into<String>) -> Self {
        self.app_user = Some(id.into());
        self
    }

    /// Send a revocation even if an open one of yours already asks for it
    /// (by default that one is returned instead of creating another).
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// Everything but sending: you must hold the entitlement
    /// ([`Error::NotGranted`] otherwise), on one account or the one named
    /// ([`Error::NotOnAccount`] when that one does not hold it), and your
    /// open revocations are searched for one that already asks for it.
    pub async fn prepare(self) -> Result<Planned<'a, CreateRevokeTask>> {
        let me = me_id(self.client).await?;
        let target = Access::new(self.client).resolve(&self.entitlement).await?;
        let held = grants(self.client, &target, &me).await?;
        let mut accounts: Vec<String> = held.iter().filter_map(|b| b.app_user_id.clone()).collect();
        accounts.sort();
        accounts.dedup();
        if held.is_empty() {
            return Err(Error::NotGranted {
                entitlement: Box::new(target),
            });
        }
        let account = match (&self.app_user, accounts.len()) {
            (Some(wanted), _) if accounts.contains(wanted) => Some(wanted.clone()),
            (Some(_), _) | (None, 2..) => {
                let named = super::accounts::yours(self.client, target.app_id(), &me).await?;
                let held = accounts
                    .into_iter()
                    .map(|id| Candidate::named(id, &named))
                    .collect();
                return Err(match self.app_user {
                    Some(account) => Error::NotOnAccount {
                        entitlement: Box::new(target),
                        account,
                        held,
                    },
                    None => Error::SeveralAccounts {
                        app_id: target.app_id().to_string(),
                        accounts: held,
                    },
                });
            }
            (None, _) => accounts.pop(),
        };
        let same = Same {
            kind: Kind::Revoke,
            me: me.clone(),
            entitlement_id: target.id().to_string(),
            account: account.clone(),
            before: Vec::new(),
        };
        let (app_user_id, identity_user_id) = account_or_me(account, me);
        let body = TaskServiceCreateRevokeRequest {
            app_entitlement_id: target.id().to_string(),
            app_id: target.app_id().to_string(),
            app_user_id,
            description: self.justification,
            identity_user_id,
            ..TaskServiceCreateRevokeRequest::default()
        };
        let call = self.client.task().create_revoke_task(body);
        unless_open(self.client, call, same, self.force).await
    }
}

/// The create `call`, planned; unless `force`d, your open task that
/// `same` describes is looked for first, and sending returns it instead.
async fn unless_open<'a, Op>(
    client: &'a Client,
    call: Call<Op>,
    same: Same,
    force: bool,
) -> Result<Planned<'a, Op>>
where
    Op: Operation<Output: TaskAnswer>,
{
    let mut same = same;
    let open = same.open(client).await?;
    // Forced or not, the tasks open before are known: the one this create
    // makes, if its answer is lost, is found as none of them.
    same.before = open.iter().filter_map(|task| task.id.clone()).collect();
    let newest = open.into_iter().next().filter(|_| !force);
    let planned = Planned::new(client, call, Recover::Same(same));
    Ok(match newest {
        Some(task) => planned.already(task),
        None => planned,
    })
}

/// Which kind of task asks for a change of access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Grant,
    Revoke,
}

/// What your open task asking for the same change looks like: what a
/// request (or a revocation) looks for before creating one, so that a
/// retry returns the first task instead of making approvers decide twice,
/// and after a create whose answer lacks its task.
#[derive(Debug, Clone)]
pub(super) struct Same {
    pub(super) kind: Kind,
    pub(super) me: String,
    pub(super) entitlement_id: String,
    /// The account, when one is named or picked.
    pub(super) account: Option<String>,
    /// The ids of those tasks open before the create was sent.
    pub(super) before: Vec<String>,
}

impl Same {
    /// Your open tasks of this kind for the entitlement (and the account),
    /// newest first, through the task search's filters (the subject, the
    /// entitlement, the state), each task checked again here.
    pub(super) async fn open(&self, client: &Client) -> Result<Vec<Task>> {
        let body = TaskSearchRequest {
            subject_ids: vec![self.me.clone()],
            app_entitlement_ids: vec![self.entitlement_id.clone()],
            task_states: vec![TaskState::Open],
            ..TaskSearchRequest::default()
        };
        let found: Vec<_> = client
            .task_search()
            .search(body)
            .items()
            .try_collect()
            .await?;
        let mut open: Vec<Task> = found
            .into_iter()
            .filter_map(|view| view.task)
            .filter(|task| self.matches(task))
            .collect();
        open.sort_by_key(|task| std::cmp::Reverse(task.numeric_id));
        Ok(open)
    }

    /// The task the create made, when its answer did not say: your open
    /// task for the same thing that was not open before.
    pub(super) async fn made(&self, client: &Client) -> Result<Option<Task>> {
        let open = self.open(client).await?;
        let new = |task: &Task| task.id.as_ref().is_none_or(|id| !self.before.contains(id));
        Ok(open.into_iter().find(new))
    }

    /// Whether `task` is an open task of this kind for the entitlement and
    /// the account (one that names no account is for any of yours).
    fn matches(&self, task: &Task) -> bool {
        let kind = task.r#type.as_ref();
        let (entitlement, account, user) = match self.kind {
            Kind::Grant => match kind.and_then(|k| k.grant.as_ref()) {
                Some(g) => (&g.app_entitlement_id, &g.app_user_id, &g.identity_user_id),
                None => return false,
            },
            Kind::Revoke => match kind.and_then(|k| k.revoke.as_ref()) {
                Some(r) => (&r.app_entitlement_id, &r.app_user_id, &r.identity_user_id),
                None => return false,
            },
        };
        let same_account = match (&self.account, present(account)) {
            (Some(wanted), Some(account)) => wanted == account,
            _ => true,
        };
        task.state == Some(TaskState::Open)
            && present(entitlement) == Some(self.entitlement_id.as_str())
            && present(user).is_none_or(|user| user == self.me)
            && same_account
    }
}

impl<'a> IntoFuture for Revoke<'a> {
    type Output = Result<Ticket>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<Ticket>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.prepare().await?.send().await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: &&str) -> Candidate {
        Candidate {
            id: id.to_string(),
            display_name: "Billing".into(),
        }
    }

    #[test]
    fn the_same_one_found_twice_is_one_and_two_are_ambiguous() {
        let found = one("entitlement", "billing", vec!["e-1", "e-1"], candidate);
        assert_eq!(found.unwrap(), "e-1");
        let two = one(
            "entitlement",
            "billing",
            vec!["e-1", "e-2", "e-1"],
            candidate,
        );
        let Err(Error::Ambiguous { candidates, .. }) = two else {
            panic!("{two:?}");
        };
        assert_eq!(candidates.len(), 2);
    }

    #[test]
    fn names_and_aliases_compare_alike() {
        assert!(same_name(Some("ÉQUIPE-Admin"), "équipe-admin"));
        assert!(!same_name(Some("team"), "teams"));
        assert!(!same_name(None, ""));
    }
}
