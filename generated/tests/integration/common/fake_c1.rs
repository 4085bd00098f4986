//! A loopback server that behaves as C1 does for the jobs layer: a request
//! catalog over several pages, apps and entitlements found by id or by
//! name, grants that come and go as tasks close, accounts, a request form,
//! and tasks that close after a few polls. Every request is first checked
//! against the document and its overlay's rules, as C1 checks it, and
//! refused with a 400 that names the rule. The client's tests
//! (`tests/integration/jobs.rs`) and the command line's (`cli/tests/integration/jobs.rs`) both run
//! against it.
#![allow(dead_code)] // Each test file uses its own part of this.

use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The signed-in user.
pub const ME: &str = "u-me";
/// Who approves your requests.
pub const APPROVER: &str = "u-approver";
/// How many times a task is read before it closes.
pub const POLLS_TO_CLOSE: usize = 3;
/// Items per page of every search.
const PAGE: usize = 2;

/// The apps: `(id, display name)`. Two are named `Jira`.
const APPS: [(&str, &str); 5] = [
    ("app-aws", "AWS"),
    ("app-gh", "GitHub"),
    ("app-okta", "Okta"),
    ("app-jira-1", "Jira"),
    ("app-jira-2", "Jira"),
];

/// An entitlement of the catalog.
struct Ent {
    id: &'static str,
    app: &'static str,
    name: &'static str,
    alias: &'static str,
    /// The longest grant, as protobuf JSON writes it.
    max: Option<&'static str>,
    schema: Option<&'static str>,
    /// What approvers decide when it is requested.
    outcome: &'static str,
}

const ENTS: [Ent; 7] = [
    ent(
        "ent-admin",
        "app-aws",
        "Prod Admin",
        "aws-prod-admin",
        Some("28800s"),
        None,
        "GRANTED",
    ),
    ent(
        "ent-read",
        "app-aws",
        "Read Only",
        "aws-read",
        None,
        None,
        "GRANTED",
    ),
    ent(
        "ent-bill-1",
        "app-aws",
        "Billing",
        "aws-billing-1",
        None,
        None,
        "GRANTED",
    ),
    ent(
        "ent-bill-2",
        "app-aws",
        "billing",
        "aws-billing-2",
        None,
        None,
        "GRANTED",
    ),
    ent(
        "ent-owner",
        "app-gh",
        "Owner",
        "gh-owner",
        None,
        None,
        "DENIED",
    ),
    ent(
        "ent-maintain",
        "app-gh",
        "Maintainer",
        "gh-maintain",
        None,
        Some("rs-1"),
        "GRANTED",
    ),
    ent(
        "ent-member",
        "app-okta",
        "Member",
        "okta-member",
        None,
        None,
        "GRANTED",
    ),
];

#[allow(clippy::too_many_arguments)]
const fn ent(
    id: &'static str,
    app: &'static str,
    name: &'static str,
    alias: &'static str,
    max: Option<&'static str>,
    schema: Option<&'static str>,
    outcome: &'static str,
) -> Ent {
    Ent {
        id,
        app,
        name,
        alias,
        max,
        schema,
        outcome,
    }
}

/// An entitlement you hold (on your AWS account) but cannot request: it
/// is in no request catalog.
const HIDDEN: Ent = ent(
    "ent-break-glass",
    "app-aws",
    "Break Glass",
    "aws-break-glass",
    None,
    None,
    "GRANTED",
);

/// Every entitlement, requestable or not.
fn every_ent() -> impl Iterator<Item = &'static Ent> {
    ENTS.iter().chain(std::iter::once(&HIDDEN))
}

/// Your accounts: `(app, account id, username)`; two in Okta.
const ACCOUNTS: [(&str, &str, &str); 3] = [
    ("app-aws", "au-aws", "me-aws"),
    ("app-okta", "au-okta-1", "me"),
    ("app-okta", "au-okta-2", "me-admin"),
];

/// A task the fake keeps.
#[derive(Clone)]
struct Task {
    id: String,
    numeric: i64,
    kind: &'static str,
    app: String,
    ent: String,
    account: Option<String>,
    /// Its current policy step, while it awaits a decision.
    step: Option<String>,
    open: bool,
    /// Reads left before it closes, once decided.
    closes_in: Option<usize>,
    outcome: &'static str,
    comments: usize,
    emergency: bool,
}

impl Task {
    fn json(&self) -> Value {
        let mut kind =
            json!({"appId": self.app, "appEntitlementId": self.ent, "identityUserId": ME});
        if let Some(account) = &self.account {
            kind["appUserId"] = json!(account);
        }
        if !self.open {
            let prefix = if self.kind == "grant" {
                "GRANT"
            } else {
                "REVOKE"
            };
            kind["outcome"] = json!(format!("{prefix}_OUTCOME_{}", self.outcome));
        }
        let mut policy = json!({"history": []});
        let mut approvers = Vec::new();
        if let Some(step) = &self.step {
            policy["current"] = json!({"id": step, "state": "ACTIVE"});
        } else if self.open && self.account.as_deref() != Some("au-colleague") {
            // Yours, waiting on an approver.
            policy["current"] = json!({"id": "step-approval", "state": "ACTIVE", "approval": {}});
            approvers.push(APPROVER);
        }
        json!({
            "id": self.id,
            "numericId": self.numeric.to_string(),
            "displayName": format!("{} {}", self.kind, self.ent),
            "state": if self.open { "TASK_STATE_OPEN" } else { "TASK_STATE_CLOSED" },
            "type": {self.kind: kind},
            "policy": policy,
            "commentCount": self.comments,
            "emergencyAccess": self.emergency,
            "stepApproverIds": approvers,
        })
    }
}

/// What the fake knows and remembers.
struct State {
    tasks: Vec<Task>,
    /// `(entitlement, account)` you hold.
    grants: Vec<(String, String)>,
    /// How it misbehaves.
    trouble: Trouble,
}

/// The ways C1 fails at the worst moment, for [`FakeC1::set`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Trouble {
    /// A task's reads (`task.get`) are accepted and never answered.
    pub stall_reads: bool,
    /// Tasks created stay open for ever.
    pub never_close: bool,
    /// A create answers 200 without the task it created.
    pub bare_create: bool,
    /// Tasks created close at their first read.
    pub close_at_once: bool,
    /// A create is carried out and answered 504, as by a gateway that
    /// gave up waiting.
    pub lost_create: bool,
    /// A create is not carried out, and answered 502 by a gateway.
    pub failed_create: bool,
}

/// The fake C1, behind a wiremock server.
#[derive(Clone)]
pub struct FakeC1 {
    state: Arc<Mutex<State>>,
}

impl FakeC1 {
    /// A server playing C1: you hold `aws-read` on your AWS account, and
    /// three tasks wait on you (two to decide, one past its decision).
    pub async fn start() -> (MockServer, FakeC1) {
        let server = MockServer::start().await;
        let waiting = |id: &str, numeric: i64, step: Option<&str>| Task {
            id: id.to_string(),
            numeric,
            kind: "grant",
            app: "app-aws".into(),
            ent: "ent-admin".into(),
            account: Some("au-colleague".into()),
            step: step.map(str::to_string),
            open: true,
            closes_in: None,
            outcome: "GRANTED",
            comments: 0,
            emergency: false,
        };
        let state = State {
            tasks: vec![
                waiting("t-100", 100, Some("step-100")),
                waiting("t-101", 101, Some("step-101")),
                waiting("t-102", 102, None),
            ],
            grants: vec![
                ("ent-read".into(), "au-aws".into()),
                ("ent-break-glass".into(), "au-aws".into()),
            ],
            trouble: Trouble::default(),
        };
        let fake = FakeC1 {
            state: Arc::new(Mutex::new(state)),
        };
        Mock::given(any())
            .respond_with(fake.clone())
            .mount(&server)
            .await;
        (server, fake)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Makes it misbehave as `trouble` says, from now on.
    pub fn set(&self, trouble: Trouble) {
        self.state().trouble = trouble;
    }

    /// How many tasks were created.
    pub fn created(&self) -> usize {
        let tasks = &self.state().tasks;
        tasks
            .iter()
            .filter(|t| t.account.as_deref() != Some("au-colleague"))
            .count()
    }

    /// Whether you hold `ent` on any account.
    pub fn holds(&self, ent: &str) -> bool {
        self.state().grants.iter().any(|(e, _)| e == ent)
    }
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn not_found(what: &str) -> ResponseTemplate {
    ResponseTemplate::new(404)
        .set_body_json(json!({"code": 5, "message": format!("{what} not found")}))
}

fn bad(message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"code": 3, "message": message}))
}

fn ent_json(e: &Ent) -> Value {
    let mut value = json!({"id": e.id, "appId": e.app, "displayName": e.name, "alias": e.alias});
    if let Some(max) = e.max {
        value["durationGrant"] = json!(max);
    }
    if let Some(schema) = e.schema {
        value["requestSchemaId"] = json!(schema);
    }
    value
}

fn contains(text: &str, part: Option<&str>) -> bool {
    part.is_none_or(|p| text.to_lowercase().contains(&p.to_lowercase()))
}

/// One page of `items`, after the page `token` names.
fn page(items: Vec<Value>, token: Option<&str>) -> Value {
    let start: usize = token
        .and_then(|t| t.strip_prefix("page-")?.parse().ok())
        .unwrap_or(0);
    let end = (start + PAGE).min(items.len());
    let next = if end < items.len() {
        format!("page-{end}")
    } else {
        String::new()
    };
    json!({"list": items.get(start..end).unwrap_or_default(), "nextPageToken": next})
}

/// Why C1 would refuse `request`: it is for no operation of the document,
/// or departs from it (the overlay's prose rules included). The sign-in
/// endpoints (`/auth/v1/...`), which the document does not describe as
/// operations, are not checked.
pub fn refusal(request: &Request) -> Option<String> {
    if request.url.path().starts_with("/auth/") {
        return None;
    }
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .filter_map(|(k, v)| Some((k.to_string(), v.to_str().ok()?.to_string())))
        .collect();
    let strict = c1_conformance::strict::Strict::whole_api();
    let method = request.method.as_str();
    strict.refusal(method, &request.url, &headers, &request.body)
}

/// A loopback server as strict as the document: a request C1 would refuse
/// is answered 400 naming the rule, before any mock a test mounts sees it.
pub async fn strict_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(Refused)
        .respond_with(|request: &Request| bad(&refusal(request).unwrap_or_default()))
        .with_priority(1)
        .mount(&server)
        .await;
    server
}

/// Matches the requests C1 would refuse.
struct Refused;

impl wiremock::Match for Refused {
    fn matches(&self, request: &Request) -> bool {
        refusal(request).is_some()
    }
}

impl Respond for FakeC1 {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        // As strict as the document: what C1 would refuse is refused here,
        // 400 naming the rule, before the fake plays its part.
        if let Some(refusal) = refusal(request) {
            return bad(&refusal);
        }
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let path = request.url.path().to_string();
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let text = |key: &str| body.get(key).and_then(Value::as_str);
        match (request.method.as_str(), segments.as_slice()) {
            ("GET", ["api", "v1", "auth", "introspect"]) => {
                ok(json!({"userId": ME, "principleId": ME}))
            }
            ("GET", ["api", "v1", "users", ME]) => ok(json!({"userView": {"user": {
                "id": ME, "displayName": "Me Myself", "email": "me@acme.test"}}})),
            ("POST", ["api", "v1", "search", "request_catalog", "entitlements"]) => {
                let state = self.state();
                let granted = |e: &Ent| state.grants.iter().any(|(g, _)| g == e.id);
                let wanted = text("grantedStatus");
                let items = ENTS
                    .iter()
                    .filter(|e| text("entitlementAlias").is_none_or(|a| a == e.alias))
                    .filter(|e| contains(e.name, text("query")))
                    .filter(|e| {
                        let app = APPS.iter().find(|(id, _)| *id == e.app).map_or("", |a| a.1);
                        text("appDisplayName").is_none_or(|n| n.eq_ignore_ascii_case(app))
                    })
                    .filter(|e| match wanted {
                        Some("GRANTED") => granted(e),
                        Some("NOT_GRANTED") => !granted(e),
                        _ => true,
                    })
                    .map(|e| {
                        let bindings: Vec<Value> = state
                            .grants
                            .iter()
                            .filter(|(g, _)| g == e.id)
                            .map(|(g, account)| json!({"appEntitlementId": g, "appId": e.app, "appUserId": account}))
                            .collect();
                        json!({"entitlement": {"appEntitlement": ent_json(e)}, "appEntitlementUserBindings": bindings})
                    })
                    .collect();
                ok(page(items, text("pageToken")))
            }
            ("GET", ["api", "v1", "apps", id]) => match APPS.iter().find(|(app, _)| app == id) {
                Some((id, name)) => ok(json!({"app": {"id": id, "displayName": name}})),
                None => not_found("app"),
            },
            ("POST", ["api", "v1", "search", "apps"]) => {
                let items = APPS
                    .iter()
                    .filter(|(_, name)| contains(name, text("displayName")))
                    .map(|(id, name)| json!({"id": id, "displayName": name}))
                    .collect();
                ok(page(items, text("pageToken")))
            }
            ("GET", ["api", "v1", "apps", app, "entitlements", id]) => {
                match every_ent().find(|e| e.app == *app && e.id == *id) {
                    Some(e) => ok(json!({"appEntitlementView": {"appEntitlement": ent_json(e)}})),
                    None => not_found("entitlement"),
                }
            }
            ("POST", ["api", "v1", "search", "entitlements"]) => {
                let apps: Vec<&str> = body["appIds"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let items = every_ent()
                    .filter(|e| apps.is_empty() || apps.contains(&e.app))
                    .filter(|e| text("alias").is_none_or(|a| a == e.alias))
                    .filter(|e| contains(e.name, text("displayName")))
                    .filter(|e| contains(e.name, text("query")))
                    .map(|e| json!({"appEntitlement": ent_json(e)}))
                    .collect();
                ok(page(items, text("pageToken")))
            }
            (
                "GET",
                [
                    "api",
                    "v1",
                    "apps",
                    app,
                    "entitlements",
                    ent,
                    "users",
                    ME,
                    "grants",
                ],
            ) => {
                // Every account of yours in the app, granted or not, and a
                // grant that was taken away.
                let state = self.state();
                let mut bindings: Vec<Value> = ACCOUNTS
                    .iter()
                    .filter(|(a, ..)| a == app)
                    .map(|(_, account, _)| {
                        let held = state.grants.iter().any(|(g, h)| g == ent && h == account);
                        let id = if held { *ent } else { "" };
                        json!({"appId": app, "appUserId": account, "appEntitlementId": id})
                    })
                    .collect();
                let elsewhere = state.grants.iter().filter(|(g, h)| {
                    g == ent && !ACCOUNTS.iter().any(|(_, account, _)| account == h)
                });
                for (_, account) in elsewhere {
                    bindings
                        .push(json!({"appId": app, "appUserId": account, "appEntitlementId": ent}));
                }
                bindings.push(
                    json!({"appId": app, "appUserId": "au-old", "appEntitlementId": ent,
                    "deletedAt": "2026-01-01T00:00:00Z"}),
                );
                ok(json!({"bindings": bindings}))
            }
            ("GET", ["api", "v1", "apps", app, "users", ME, "app_users"]) => {
                let items = ACCOUNTS
                    .iter()
                    .filter(|(a, ..)| a == app)
                    .map(|(a, id, name)| json!({"appUser": {"id": id, "appId": a, "username": name}}))
                    .collect();
                ok(page(
                    items,
                    request
                        .url
                        .query_pairs()
                        .find(|(k, _)| k == "page_token")
                        .map(|(_, v)| v.into_owned())
                        .as_deref(),
                ))
            }
            ("GET", ["api", "v1", "request_schemas", "rs-1"]) => {
                ok(json!({"requestSchema": {"id": "rs-1", "form": {
                "displayName": "Access form",
                "fields": [
                    {"name": "ticket", "displayName": "Ticket", "description": "The change ticket", "required": true, "stringField": {}},
                    {"name": "note", "displayName": "Note", "stringField": {}},
                    {"name": "urgent", "displayName": "Urgent", "boolField": {}},
                    {"name": "hours", "displayName": "Hours", "int64Field": {}}
                ]}}}))
            }
            ("POST", ["api", "v1", "task", "grant"]) => self.create("grant", &body),
            ("POST", ["api", "v1", "task", "revoke"]) => self.create("revoke", &body),
            ("GET", ["api", "v1", "tasks", id]) => {
                if self.state().trouble.stall_reads {
                    return ok(json!({})).set_delay(std::time::Duration::from_secs(3600));
                }
                self.read(id)
            }
            ("POST", ["api", "v1", "search", "tasks"]) => {
                // The filters the jobs use, as C1 reads them: each given
                // list narrows; the tasks waiting on you are a colleague's
                // requests, the others are yours.
                let given = |key: &str| -> Option<Vec<String>> {
                    let list = body[key].as_array()?;
                    Some(
                        list.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect(),
                    )
                };
                let within = |key: &str, value: &str| {
                    given(key).is_none_or(|l| l.iter().any(|v| v == value))
                };
                let items = self
                    .state()
                    .tasks
                    .iter()
                    .filter(|t| {
                        let theirs = t.account.as_deref() == Some("au-colleague");
                        let state = if t.open {
                            "TASK_STATE_OPEN"
                        } else {
                            "TASK_STATE_CLOSED"
                        };
                        within("taskStates", state)
                            && within("appEntitlementIds", &t.ent)
                            && within("assigneesInIds", if theirs { ME } else { APPROVER })
                            && within("subjectIds", if theirs { "u-colleague" } else { ME })
                    })
                    .map(|t| json!({"task": t.json()}))
                    .collect();
                ok(page(items, text("pageToken")))
            }
            ("POST", ["api", "v1", "tasks", id, "action", action]) => self.act(id, action, &body),
            _ => not_found(&format!("{} {path}", request.method)),
        }
    }
}

impl FakeC1 {
    fn create(&self, kind: &'static str, body: &Value) -> ResponseTemplate {
        let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_string);
        let Some(ent) = every_ent().find(|e| Some(e.id) == text("appEntitlementId").as_deref())
        else {
            return bad("no such entitlement");
        };
        let mut state = self.state();
        if state.trouble.failed_create {
            return ResponseTemplate::new(502).set_body_string("bad gateway");
        }
        let numeric = 200 + state.tasks.len() as i64;
        let task = Task {
            id: format!("t-{numeric}"),
            numeric,
            kind,
            app: ent.app.into(),
            ent: ent.id.into(),
            account: text("appUserId"),
            step: None,
            open: true,
            closes_in: match state.trouble {
                Trouble {
                    never_close: true, ..
                } => None,
                Trouble {
                    close_at_once: true,
                    ..
                } => Some(1),
                _ => Some(POLLS_TO_CLOSE),
            },
            outcome: if kind == "grant" {
                ent.outcome
            } else {
                "REVOKED"
            },
            comments: 0,
            emergency: body["emergencyAccess"] == json!(true),
        };
        let answer = match state.trouble.bare_create {
            true => json!({}),
            false => json!({"taskView": {"task": task.json()}}),
        };
        let lost = state.trouble.lost_create;
        state.tasks.push(task);
        match lost {
            true => ResponseTemplate::new(504).set_body_string("upstream request timeout"),
            false => ok(answer),
        }
    }

    /// A task by id or numeric id; a decided task closes after a few reads,
    /// and a granted or revoked one changes your grants.
    fn read(&self, id: &str) -> ResponseTemplate {
        let mut state = self.state();
        let Some(at) = state
            .tasks
            .iter()
            .position(|t| t.id == id || t.numeric.to_string() == id)
        else {
            return not_found("task");
        };
        let task = &mut state.tasks[at];
        if let Some(left) = task.closes_in.as_mut() {
            *left = left.saturating_sub(1);
            if *left == 0 && task.open {
                task.open = false;
            }
        }
        let task = task.clone();
        // The tasks waiting on you are a colleague's requests.
        if !task.open && task.account.as_deref() != Some("au-colleague") {
            let account = task.account.clone().unwrap_or_else(|| "au-new".into());
            match task.outcome {
                "GRANTED" if !state.grants.contains(&(task.ent.clone(), account.clone())) => {
                    state.grants.push((task.ent.clone(), account));
                }
                "REVOKED" => state.grants.retain(|(e, _)| *e != task.ent),
                _ => {}
            }
        }
        ok(json!({"taskView": {"task": task.json()}}))
    }

    fn act(&self, id: &str, action: &str, body: &Value) -> ResponseTemplate {
        let mut state = self.state();
        let Some(task) = state.tasks.iter_mut().find(|t| t.id == id) else {
            return not_found("task");
        };
        let step = body.get("policyStepId").and_then(Value::as_str);
        match action {
            "approve" | "deny" => {
                if step.is_none() || step != task.step.as_deref() {
                    return bad("policy step is not the task's current step");
                }
                task.step = None;
                task.closes_in = Some(POLLS_TO_CLOSE);
                if action == "deny" {
                    task.outcome = "DENIED";
                }
            }
            "comment" => task.comments += 1,
            "escalate" => task.emergency = true,
            _ => return not_found("action"),
        }
        ok(json!({"taskView": {"task": task.json()}, "ticketActionId": "ta-1"}))
    }
}
