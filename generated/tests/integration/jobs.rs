//! The jobs layer (`c1_client::jobs`) against a server that behaves as C1
//! does (`common/fake_c1.rs`): every job and every refusal, with the
//! requests the server received.

use crate::common;

use std::time::Duration;

use c1_client::jobs::{Entitlement, Error, Outcome};
use common::fake_c1::{APPROVER, FakeC1, ME, POLLS_TO_CLOSE, Trouble};
use futures_util::TryStreamExt;
use serde_json::{Value, json};
use wiremock::MockServer;

const FAST: Duration = Duration::from_millis(5);
const LONG: Duration = Duration::from_secs(10);

/// The requests the server received, as `METHOD /path`, with their bodies.
async fn received(server: &MockServer) -> Vec<(String, Value)> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|r| {
            let body = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
            (format!("{} {}", r.method, r.url.path()), body)
        })
        .collect()
}

/// The bodies of the requests to `at` (`POST /api/v1/task/grant`).
async fn sent(server: &MockServer, at: &str) -> Vec<Value> {
    let all = received(server).await;
    all.into_iter()
        .filter(|(r, _)| r == at)
        .map(|(_, b)| b)
        .collect()
}

const GRANT: &str = "POST /api/v1/task/grant";
const REVOKE: &str = "POST /api/v1/task/revoke";

#[tokio::test]
async fn me_is_the_introspected_user() {
    let (server, _) = FakeC1::start().await;
    let me = common::client(&server).me().await.unwrap();
    assert_eq!(me.id.as_deref(), Some(ME));
    assert_eq!(me.display_name.as_deref(), Some("Me Myself"));
    let paths: Vec<String> = received(&server)
        .await
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    assert_eq!(
        paths,
        ["GET /api/v1/auth/introspect", "GET /api/v1/users/u-me"]
    );
}

#[tokio::test]
async fn the_catalog_is_read_to_its_last_page() {
    let (server, _) = FakeC1::start().await;
    let client = common::client(&server);
    let all: Vec<_> = client
        .access()
        .catalog()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 7, "seven entitlements over four pages");
    let tokens: Vec<Value> = sent(&server, "POST /api/v1/search/request_catalog/entitlements")
        .await
        .into_iter()
        .map(|b| b.get("pageToken").cloned().unwrap_or(Value::Null))
        .collect();
    assert_eq!(
        tokens,
        [
            Value::Null,
            json!("page-2"),
            json!("page-4"),
            json!("page-6")
        ]
    );
    let held: Vec<_> = all.iter().filter(|e| e.granted).collect();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].entitlement.alias.as_deref(), Some("aws-read"));

    let search = client
        .access()
        .catalog()
        .granted(false)
        .app("aws")
        .query("a");
    let found: Vec<_> = search.items().try_collect().await.unwrap();
    let names: Vec<_> = found
        .iter()
        .filter_map(|e| e.entitlement.display_name.as_deref())
        .collect();
    assert_eq!(names, ["Prod Admin"]);
    let last = sent(&server, "POST /api/v1/search/request_catalog/entitlements").await;
    assert_eq!(
        last.last().unwrap(),
        &json!({"appDisplayName": "aws", "grantedStatus": "NOT_GRANTED", "query": "a"})
    );
}

#[tokio::test]
async fn a_request_is_created_with_what_it_needs_and_waited_for_until_granted() {
    let (server, fake) = FakeC1::start().await;
    let client = common::client(&server);
    let ticket = client
        .access()
        .request(Entitlement::alias("aws-prod-admin"))
        .justification("incident 4211")
        .duration(Duration::from_secs(2 * 3600))
        .await
        .unwrap();
    assert_eq!(ticket.url, Some(format!("{}/task/203", server.uri())));
    assert_eq!(
        sent(&server, GRANT).await,
        [json!({
            "appEntitlementId": "ent-admin",
            "appId": "app-aws",
            "appUserId": "au-aws",
            "description": "incident 4211",
            "grantDuration": "7200s",
        })],
        "the account, not also the user: the document says they cannot both be set"
    );
    let before = received(&server).await.len();
    let closed = ticket.wait_every(FAST, LONG).await.unwrap();
    assert_eq!(closed.outcome, Outcome::Granted);
    assert!(closed.succeeded());
    let polls = received(&server).await.len() - before;
    assert_eq!(
        polls, POLLS_TO_CLOSE,
        "asked until the task closed, then stopped"
    );
    assert!(fake.holds("ent-admin"));
    let check = client
        .access()
        .check(Entitlement::alias("aws-prod-admin"))
        .await
        .unwrap();
    assert!(check.granted);
}

#[tokio::test]
async fn a_request_without_a_duration_asks_for_the_maximum() {
    let (server, _) = FakeC1::start().await;
    let client = common::client(&server);
    let request = client
        .access()
        .request(Entitlement::in_app("AWS", "prod ADMIN"));
    request.justification("on call").await.unwrap();
    let bodies = sent(&server, GRANT).await;
    assert_eq!(bodies[0]["grantDuration"], json!("28800s"));
}

#[tokio::test]
async fn a_duration_over_the_maximum_is_refused_naming_the_maximum() {
    let (server, _) = FakeC1::start().await;
    let client = common::client(&server);
    let request = client
        .access()
        .request(Entitlement::alias("aws-prod-admin"));
    let error = request
        .justification("x")
        .duration(Duration::from_secs(9 * 3600))
        .await
        .unwrap_err();
    let Error::OverMaximum {
        maximum, requested, ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(
        (*maximum, *requested),
        (Duration::from_secs(8 * 3600), Duration::from_secs(9 * 3600))
    );
    assert!(error.to_string().contains("8h"), "{error}");
    assert!(
        sent(&server, GRANT).await.is_empty(),
        "no task on a refusal"
    );
}

#[tokio::test]
async fn an_entitlement_already_held_is_not_requested_again_unless_forced() {
    let (server, _) = FakeC1::start().await;
    let client = common::client(&server);
    let ask = || {
        client
            .access()
            .request(Entitlement::alias("aws-read"))
            .justification("x")
    };
    let error = ask().await.unwrap_err();
    let Error::AlreadyGranted {
        grants,
        entitlement,
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(entitlement.id(), "ent-read");
    // The account without the grant and the deleted binding are not grants.
    let accounts: Vec<_> = grants
        .iter()
        .filter_map(|g| g.app_user_id.as_deref())
        .collect();
    assert_eq!(accounts, ["au-aws"]);
    assert!(sent(&server, GRANT).await.is_empty());

    ask().force(true).await.unwrap();
    assert_eq!(sent(&server, GRANT).await.len(), 1);
}

#[tokio::test]
async fn names_resolve_by_id_or_case_insensitive_display_name_and_ambiguity_lists_the_ids() {
    let (server, _) = FakeC1::start().await;
    let access = common::client(&server);
    let access = access.access();
    let by_ids = access
        .resolve(&Entitlement::in_app("app-aws", "ent-admin"))
        .await
        .unwrap();
    let by_names = access
        .resolve(&Entitlement::in_app("aws", "PROD admin"))
        .await
        .unwrap();
    assert_eq!((by_ids.app_id(), by_ids.id()), ("app-aws", "ent-admin"));
    assert_eq!(by_names, by_ids);

    let error = access
        .resolve(&Entitlement::in_app("AWS", "Billing"))
        .await
        .unwrap_err();
    let Error::Ambiguous {
        what, candidates, ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(*what, "entitlement");
    let ids: Vec<_> = candidates.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["ent-bill-1", "ent-bill-2"]);
    assert!(
        error
            .to_string()
            .contains("ent-bill-1 (Billing), ent-bill-2 (billing)"),
        "{error}"
    );

    let error = access
        .resolve(&Entitlement::in_app("jira", "x"))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Ambiguous { what: "app", candidates, .. } if candidates.len() == 2),
        "{error:?}"
    );

    let error = access
        .resolve(&Entitlement::alias("nope"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            Error::NotFound {
                what: "entitlement alias",
                ..
            }
        ),
        "{error:?}"
    );
    let error = access
        .resolve(&Entitlement::in_app("AWS", "Root"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            Error::NotFound {
                what: "entitlement",
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn several_accounts_in_the_app_need_one_chosen() {
    let (server, _) = FakeC1::start().await;
    let client = common::client(&server);
    let ask = || {
        client
            .access()
            .request(Entitlement::alias("okta-member"))
            .justification("x")
    };
    let error = ask().await.unwrap_err();
    let Error::SeveralAccounts { accounts, app_id } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(app_id, "app-okta");
    let ids: Vec<_> = accounts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["au-okta-1", "au-okta-2"]);
    assert!(sent(&server, GRANT).await.is_empty());

    ask().app_user("au-okta-2").await.unwrap();
    assert_eq!(
        sent(&server, GRANT).await[0]["appUserId"],
        json!("au-okta-2")
    );
}

#[tokio::test]
async fn a_denied_request_closes_denied() {
    let (server, fake) = FakeC1::start().await;
    let client = common::client(&server);
    let ticket = client
        .access()
        .request(Entitlement::alias("gh-owner"))
        .justification("x")
        .emergency(true)
        .await
        .unwrap();
    let grant = &sent(&server, GRANT).await[0];
    assert_eq!(grant["emergencyAccess"], json!(true));
    // No account of yours in GitHub: the task names you, and no account.
    assert_eq!(grant["identityUserId"], json!(ME));
    assert_eq!(grant.get("appUserId"), None);
    let closed = ticket.wait_every(FAST, LONG).await.unwrap();
    assert_eq!(closed.outcome, Outcome::Denied);
    assert!(!closed.succeeded());
    assert!(!fake.holds("ent-owner"));
}

#[tokio::test]
async fn required_form_fields_are_named_before_anything_is_created() {
    let (server, _) = FakeC1::start().await;
    let client = common::client(&server);
    let ask = || {
        client
            .access()
            .request(Entitlement::alias("gh-maintain"))
            .justification("x")
    };
    let error = ask().form("note", "hi").await.unwrap_err();
    let Error::MissingFormFields { fields } = &error else {
        panic!("{error:?}");
    };
    let names: Vec<_> = fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["ticket"]);
    assert!(error.to_string().contains("`ticket` (Ticket)"), "{error}");
    let error = ask()
        .form("ticket", "CHG-1")
        .form("tciket", "x")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::UnknownFormField { name, .. } if name == "tciket"),
        "{error:?}"
    );
    assert!(sent(&server, GRANT).await.is_empty());

    // As the command line gives them: text, read as each field's type.
    let error = ask()
        .form("ticket", "CHG-1")
        .form("urgent", "maybe")
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the form field `urgent` is a checkbox: give `true` or `false`"
    );
    assert!(sent(&server, GRANT).await.is_empty());

    ask()
        .form("ticket", "CHG-1")
        .form("urgent", "true")
        .form("hours", "4")
        .await
        .unwrap();
    assert_eq!(
        sent(&server, GRANT).await[0]["requestData"],
        json!({"ticket": "CHG-1", "urgent": true, "hours": 4})
    );
}

#[tokio::test]
async fn form_fields_for_an_entitlement_without_a_form_are_refused() {
    let (server, _) = FakeC1::start().await;
    let client = common::client(&server);
    let error = client
        .access()
        .request(Entitlement::alias("gh-owner"))
        .justification("x")
        .form("ticket", "CHG-1")
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the entitlement has no request form, so no field `ticket`"
    );
    assert!(sent(&server, GRANT).await.is_empty());
}

#[tokio::test]
async fn revoking_what_you_hold_waits_until_revoked_and_nothing_held_sends_nothing() {
    let (server, fake) = FakeC1::start().await;
    let client = common::client(&server);
    let error = client
        .access()
        .revoke(Entitlement::alias("aws-prod-admin"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::NotGranted { .. }), "{error:?}");
    assert!(sent(&server, REVOKE).await.is_empty());

    let ticket = client
        .access()
        .revoke(Entitlement::alias("aws-read"))
        .justification("done")
        .await
        .unwrap();
    assert_eq!(
        sent(&server, REVOKE).await,
        [
            json!({"appEntitlementId": "ent-read", "appId": "app-aws", "appUserId": "au-aws",
            "description": "done"})
        ]
    );
    let closed = ticket.wait_every(FAST, LONG).await.unwrap();
    assert_eq!(closed.outcome, Outcome::Revoked);
    assert!(!fake.holds("ent-read"));
    let check = client
        .access()
        .check(Entitlement::alias("aws-read"))
        .await
        .unwrap();
    assert!(!check.granted && check.grants.is_empty());
}

#[tokio::test]
async fn the_inbox_is_every_open_task_assigned_to_you() {
    let (server, _) = FakeC1::start().await;
    let client = common::client(&server);
    let tasks: Vec<_> = client
        .tasks()
        .inbox()
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = tasks
        .iter()
        .filter_map(|v| v.task.as_ref()?.id.as_deref())
        .collect();
    assert_eq!(ids, ["t-100", "t-101", "t-102"], "two pages");
    let searches = sent(&server, "POST /api/v1/search/tasks").await;
    assert_eq!(searches.len(), 2);
    assert_eq!(
        searches[0],
        json!({"assigneesInIds": [ME], "sortBy": "TASK_SEARCH_SORT_BY_REVERSE_TICKET_ID", "taskStates": ["TASK_STATE_OPEN"]})
    );
}

#[tokio::test]
async fn approving_sends_the_current_step_and_waits_until_closed() {
    let (server, _) = FakeC1::start().await;
    let client = common::client(&server);
    // By its numeric id, as its URL shows it.
    let ticket = client.tasks().approve("100").comment("ok").await.unwrap();
    assert_eq!(
        sent(&server, "POST /api/v1/tasks/t-100/action/approve").await,
        [json!({"comment": "ok", "policyStepId": "step-100"})]
    );
    let closed = ticket.wait_every(FAST, LONG).await.unwrap();
    assert_eq!(closed.outcome, Outcome::Granted);

    client.tasks().deny("t-101").await.unwrap();
    assert_eq!(
        sent(&server, "POST /api/v1/tasks/t-101/action/deny").await,
        [json!({"policyStepId": "step-101"})]
    );
}

#[tokio::test]
async fn a_task_without_a_current_step_is_not_awaiting_a_decision() {
    let (server, _) = FakeC1::start().await;
    let client = common::client(&server);
    let error = client.tasks().approve("t-102").await.unwrap_err();
    assert!(
        matches!(&error, Error::NotAwaitingDecision { task } if task == "t-102"),
        "{error:?}"
    );
    let error = client.tasks().deny("102").await.unwrap_err();
    assert!(
        matches!(error, Error::NotAwaitingDecision { .. }),
        "{error:?}"
    );
    let actions = received(&server).await;
    assert!(
        actions.iter().all(|(r, _)| !r.contains("/action/")),
        "{actions:?}"
    );
}

#[tokio::test]
async fn comments_and_escalations_go_to_the_task_by_its_id() {
    let (server, _) = FakeC1::start().await;
    let tasks = common::client(&server);
    let tasks = tasks.tasks();
    let ticket = tasks
        .comment("100", "looking")
        .await
        .unwrap()
        .send()
        .await
        .unwrap();
    assert_eq!(ticket.task.comment_count, Some(1));
    let ticket = tasks.escalate("t-101").await.unwrap().send().await.unwrap();
    assert_eq!(ticket.task.emergency_access, Some(true));
    assert_eq!(
        sent(&server, "POST /api/v1/tasks/t-100/action/comment").await,
        [json!({"comment": "looking"})]
    );
    assert_eq!(
        sent(&server, "POST /api/v1/tasks/t-101/action/escalate").await,
        [json!({"policyStepId": "step-101"})]
    );
}

#[tokio::test]
async fn waiting_gives_up_after_the_timeout() {
    let (server, _) = FakeC1::start().await;
    let client = common::client(&server);
    let error = client
        .tasks()
        .wait("t-102", FAST, Duration::from_millis(40))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Client(c1_client::Error::WaitTimedOut { .. })),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_prepared_request_shows_what_it_would_send_and_sends_nothing() {
    let (server, _) = FakeC1::start().await;
    let client = common::client(&server);
    let planned = client
        .access()
        .request(Entitlement::alias("aws-prod-admin"))
        .justification("x")
        .prepare()
        .await
        .unwrap();
    let shown = planned.dry_run().unwrap();
    assert_eq!(shown.method, "POST");
    assert!(shown.url.ends_with("/api/v1/task/grant"), "{}", shown.url);
    let body: Value = serde_json::from_slice(shown.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["appEntitlementId"], json!("ent-admin"));
    assert!(sent(&server, GRANT).await.is_empty());
}

#[tokio::test]
async fn a_request_needs_a_justification() {
    let (server, _) = FakeC1::start().await;
    let client = common::client(&server);
    let error = client
        .access()
        .request(Entitlement::alias("aws-prod-admin"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Invalid(_)), "{error:?}");
    assert!(
        received(&server).await.is_empty(),
        "refused before any call"
    );
}

#[test]
fn the_readme_example_is_examples_jobs_rs() {
    let file = include_str!("../../examples/jobs.rs");
    let example = file.split_once("\n\n").map(|(_, code)| code).unwrap();
    let readme = include_str!("../../../README.md");
    assert!(
        readme.contains(&format!("```rust\n{example}```")),
        "README.md's jobs example differs from examples/jobs.rs"
    );
}

#[tokio::test]
async fn answers_without_what_a_job_needs_are_errors_not_panics() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};
    let server = MockServer::start().await;
    let empty = || ResponseTemplate::new(200).set_body_json(json!({}));
    Mock::given(method("GET"))
        .and(path("/api/v1/auth/introspect"))
        .respond_with(empty())
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tasks/t-1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"taskView": {"task": {
            "state": "TASK_STATE_OPEN", "policy": {"current": {"id": "s"}}}}})),
        )
        .mount(&server)
        .await;
    let client = common::client(&server);
    let error = client.me().await.unwrap_err();
    assert!(
        matches!(error, Error::Incomplete("the signed-in user's id")),
        "{error:?}"
    );
    let error = client.tasks().approve("t-1").await.unwrap_err();
    assert!(matches!(error, Error::Incomplete("task id")), "{error:?}");
    let error = client
        .access()
        .check(Entitlement::alias("a"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Incomplete(_)), "{error:?}");
}

#[tokio::test]
async fn an_alias_you_hold_but_cannot_request_is_found_and_an_empty_name_is_refused() {
    let (server, _) = FakeC1::start().await;
    let client = common::client(&server);
    let check = client
        .access()
        .check(Entitlement::alias("aws-break-glass"))
        .await
        .unwrap();
    assert!(check.granted);
    assert_eq!(check.entitlement.id(), "ent-break-glass");
    client
        .access()
        .revoke(Entitlement::alias("aws-break-glass"))
        .await
        .unwrap();
    assert_eq!(
        sent(&server, REVOKE).await[0]["appEntitlementId"],
        "ent-break-glass"
    );

    let catalog = "POST /api/v1/search/request_catalog/entitlements";
    let before = sent(&server, catalog).await.len();
    for empty in [Entitlement::alias(""), Entitlement::alias("  ")] {
        let error = client.access().check(empty).await.unwrap_err();
        assert!(matches!(error, Error::Invalid(_)), "{error:?}");
    }
    let searched = sent(&server, catalog).await.len();
    assert_eq!(searched, before, "the catalog was not paged through");
}

#[tokio::test]
async fn a_second_request_returns_the_open_one_unless_forced() {
    let (server, fake) = FakeC1::start().await;
    let client = common::client(&server);
    let ask = || {
        client
            .access()
            .request(Entitlement::alias("aws-prod-admin"))
            .justification("incident 4211")
    };
    let first = ask().await.unwrap();
    assert!(!first.existing);
    let again = ask().await.unwrap();
    assert!(again.existing, "the retry gets the open task");
    assert_eq!(again.task.id, first.task.id);
    assert_eq!(again.url, first.url);
    assert_eq!(
        sent(&server, GRANT).await.len(),
        1,
        "one task for the approvers"
    );
    // The search asked for your open tasks for that entitlement.
    let search = &sent(&server, "POST /api/v1/search/tasks").await[0];
    assert_eq!(search["subjectIds"], json!([ME]));
    assert_eq!(search["appEntitlementIds"], json!(["ent-admin"]));
    assert_eq!(search["taskStates"], json!(["TASK_STATE_OPEN"]));

    let forced = ask().force(true).await.unwrap();
    assert!(!forced.existing);
    assert_ne!(forced.task.id, first.task.id);
    assert_eq!(fake.created(), 2);

    // A revocation is looked for alike.
    let revoke = || client.access().revoke(Entitlement::alias("aws-read"));
    let first = revoke().await.unwrap();
    let again = revoke().await.unwrap();
    assert!(again.existing && again.task.id == first.task.id);
    assert_eq!(sent(&server, REVOKE).await.len(), 1);
}

/// A fake C1 in `trouble`, a client of it, and your request for
/// `aws-prod-admin` sent.
async fn admin_requested(trouble: Trouble) -> (MockServer, FakeC1, c1_client::jobs::Ticket) {
    let (server, fake) = FakeC1::start().await;
    fake.set(trouble);
    let client = common::client(&server);
    let ask = client
        .access()
        .request(Entitlement::alias("aws-prod-admin"));
    let ticket = ask.justification("x").await.unwrap();
    (server, fake, ticket)
}

#[tokio::test]
async fn a_create_answered_without_its_task_finds_the_task_it_made() {
    let bare = Trouble {
        bare_create: true,
        ..Trouble::default()
    };
    let (_server, fake, ticket) = admin_requested(bare).await;
    assert_eq!(ticket.task.id.as_deref(), Some("t-203"));
    assert!(!ticket.existing, "it is the one this request created");
    assert!(
        ticket
            .url
            .as_deref()
            .is_some_and(|u| u.ends_with("/task/203"))
    );
    assert_eq!(fake.created(), 1);
}

#[tokio::test]
async fn a_wait_ends_on_time_with_a_call_in_flight_and_keeps_the_ticket() {
    let (_server, fake, ticket) = admin_requested(Trouble::default()).await;
    fake.set(Trouble {
        stall_reads: true,
        ..Trouble::default()
    });
    let started = std::time::Instant::now();
    let error = ticket
        .wait_every(FAST, Duration::from_millis(300))
        .await
        .unwrap_err();
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(2), "waited {waited:?}");
    assert_eq!(error.ticket().map(|t| &t.task.id), Some(&ticket.task.id));
    let Error::Waiting { error, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(
        matches!(
            **error,
            Error::Client(c1_client::Error::WaitTimedOut { calls: 1, .. })
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_reports_the_task_it_made() {
    let lost = Trouble {
        lost_create: true,
        ..Trouble::default()
    };
    let (server, fake, ticket) = admin_requested(lost).await;
    assert_eq!(ticket.task.id.as_deref(), Some("t-203"));
    assert_eq!(fake.created(), 1);
    assert_eq!(
        sent(&server, GRANT).await.len(),
        1,
        "a create is not sent twice"
    );
}

#[tokio::test]
async fn a_forced_create_that_failed_is_not_mistaken_for_the_open_one() {
    let (server, fake, first) = admin_requested(Trouble::default()).await;
    fake.set(Trouble {
        failed_create: true,
        ..Trouble::default()
    });
    let client = common::client(&server);
    let ask = client
        .access()
        .request(Entitlement::alias("aws-prod-admin"));
    let error = ask.justification("x").force(true).await.unwrap_err();
    assert_eq!(
        error.client_error().and_then(|e| e.status()),
        Some(502),
        "{error:?}"
    );
    assert_eq!(first.task.id.as_deref(), Some("t-203"));
    assert_eq!(fake.created(), 1);
}

#[tokio::test]
async fn a_task_that_never_closes_says_where_it_stands() {
    let open = Trouble {
        never_close: true,
        ..Trouble::default()
    };
    let (_server, _fake, ticket) = admin_requested(open).await;
    let error = ticket
        .wait_every(FAST, Duration::from_millis(60))
        .await
        .unwrap_err();
    let kept = error.ticket().unwrap();
    let progress = kept.progress();
    assert_eq!(progress.state, "open");
    assert_eq!(progress.step, Some("approval"));
    assert_eq!(progress.waits_on, [APPROVER]);
    assert!(
        matches!(
            error.client_error(),
            Some(c1_client::Error::WaitTimedOut { .. })
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn accounts_count_in_both_directions_and_are_named() {
    let (server, _) = FakeC1::start().await;
    let client = common::client(&server);
    let ask = |account: &str| {
        client
            .access()
            .request(Entitlement::alias("okta-member"))
            .justification("x")
            .app_user(account)
    };
    let ticket = ask("au-okta-1").await.unwrap();
    ticket.wait_every(FAST, LONG).await.unwrap();
    // Held on one account is not held on the other.
    let other = ask("au-okta-2").await.unwrap();
    assert!(!other.existing);
    assert_eq!(
        sent(&server, GRANT).await[1]["appUserId"],
        json!("au-okta-2")
    );
    let error = ask("au-okta-1").await.unwrap_err();
    assert!(matches!(error, Error::AlreadyGranted { .. }), "{error:?}");

    // Revoking on the account without it names the one with it.
    let revoke = |account: &str| {
        client
            .access()
            .revoke(Entitlement::alias("okta-member"))
            .app_user(account)
    };
    let error = revoke("au-okta-2").await.unwrap_err();
    let Error::NotOnAccount { account, held, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(account, "au-okta-2");
    assert_eq!(held[0].id, "au-okta-1");
    assert!(
        error.to_string().contains("you have it on au-okta-1 (me)"),
        "{error}"
    );

    // Held on both: revoking names each account with its name.
    other.wait_every(FAST, LONG).await.unwrap();
    let error = client
        .access()
        .revoke(Entitlement::alias("okta-member"))
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("au-okta-1 (me), au-okta-2 (me-admin)"),
        "{error}"
    );
    assert!(sent(&server, REVOKE).await.is_empty());
}

#[tokio::test]
async fn a_grant_task_closed_without_an_outcome_is_not_granted() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};
    let server = MockServer::start().await;
    for (id, outcome) in [("t-1", None), ("t-2", Some("GRANT_OUTCOME_UNSPECIFIED"))] {
        let mut grant = json!({"appEntitlementId": "ent-admin"});
        if let Some(outcome) = outcome {
            grant["outcome"] = json!(outcome);
        }
        let task = json!({"id": id, "state": "TASK_STATE_CLOSED", "type": {"grant": grant}});
        Mock::given(method("GET"))
            .and(path(format!("/api/v1/tasks/{id}")))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"taskView": {"task": task}})),
            )
            .mount(&server)
            .await;
    }
    let client = common::client(&server);
    for id in ["t-1", "t-2"] {
        let closed = client.tasks().wait(id, FAST, LONG).await.unwrap();
        assert_eq!(closed.outcome, Outcome::Unknown, "{id}");
        assert!(!closed.succeeded(), "{id}");
    }
}

#[test]
fn every_request_has_a_timeout_unless_one_says_otherwise() {
    let built = c1_client::Client::builder()
        .base_url("https://acme.conductor.one")
        .build();
    let shown = format!("{:?}", built.unwrap());
    assert!(shown.contains("timeout: Some(60s)"), "{shown}");
    let none = c1_client::Client::builder()
        .base_url("https://acme.conductor.one")
        .no_timeout()
        .build();
    assert!(format!("{:?}", none.unwrap()).contains("timeout: None"));
}
