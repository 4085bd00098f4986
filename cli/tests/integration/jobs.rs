//! The job commands (`c1 whoami`, `catalog search`, `request`, `revoke`,
//! `has`, `task inbox|approve|deny|comment|escalate`) run as a user runs
//! them: the built binary, against a server that behaves as C1 does, with
//! the exit status, what was printed and the requests the server received.

use std::process::Output;

use crate::fake_c1::{FakeC1, ME};
use serde_json::{Value, json};
use wiremock::MockServer;

/// Runs `c1 args` signed in to `server`, without a config file.
async fn c1(server: &MockServer, args: &[&str]) -> Output {
    let uri = server.uri();
    let env = [
        ("CONDUCTORONE_ACCESS_TOKEN", "jobs-test-token"),
        ("CONDUCTORONE_SERVER_URL", uri.as_str()),
    ];
    c1_with(args, &env).await
}

/// Runs `c1 args` with only `env` (and no config file).
async fn c1_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = std::env::temp_dir().join(format!("c1-jobs-test-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&home);
    crate::cli::c1_with(args, env, &home).await
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json_out(output: &Output) -> Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

/// The bodies the server received at `at` (`POST /api/v1/task/grant`).
async fn sent(server: &MockServer, at: &str) -> Vec<Value> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .filter(|r| format!("{} {}", r.method, r.url.path()) == at)
        .map(|r| serde_json::from_slice(&r.body).unwrap_or(Value::Null))
        .collect()
}

const GRANT: &str = "POST /api/v1/task/grant";
const REVOKE: &str = "POST /api/v1/task/revoke";

#[tokio::test(flavor = "multi_thread")]
async fn whoami_prints_the_signed_in_user() {
    let (server, _) = FakeC1::start().await;
    let out = c1(&server, &["whoami", "--fields", "id,email"]).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json_out(&out), json!({"id": ME, "email": "me@acme.test"}));
}

#[tokio::test(flavor = "multi_thread")]
async fn catalog_search_reads_every_page_as_one_array_or_one_line_each() {
    let (server, _) = FakeC1::start().await;
    let out = c1(&server, &["catalog", "search", "--fields", "alias,granted"]).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let all = json_out(&out);
    assert_eq!(all.as_array().map(Vec::len), Some(7), "{all}");
    assert_eq!(all[1], json!({"alias": "aws-read", "granted": true}));

    let out = c1(
        &server,
        &[
            "catalog", "search", "--all", "--limit", "3", "--fields", "id",
        ],
    )
    .await;
    let printed = stdout(&out);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(
        lines,
        [
            r#"{"id":"ent-admin"}"#,
            r#"{"id":"ent-read"}"#,
            r#"{"id":"ent-bill-1"}"#
        ]
    );

    let out = c1(
        &server,
        &[
            "catalog",
            "search",
            "prod",
            "--app",
            "AWS",
            "--not-granted",
            "-o",
            "table",
            "--fields",
            "alias,displayName",
        ],
    )
    .await;
    assert_eq!(
        stdout(&out),
        "alias           displayName\naws-prod-admin  Prod Admin\n"
    );
    let bodies = sent(&server, "POST /api/v1/search/request_catalog/entitlements").await;
    assert_eq!(
        bodies.last().unwrap(),
        &json!({"appDisplayName": "AWS", "grantedStatus": "NOT_GRANTED", "query": "prod"})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn request_prints_the_task_and_its_url_then_wait_ends_granted() {
    let (server, _) = FakeC1::start().await;
    let out = c1(
        &server,
        &[
            "request",
            "aws-prod-admin",
            "--justification",
            "incident",
            "--duration",
            "2h",
        ],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let task = json_out(&out);
    assert_eq!(task["url"], json!(format!("{}/task/203", server.uri())));
    assert_eq!(task["state"], json!("TASK_STATE_OPEN"));
    assert_eq!(
        sent(&server, GRANT).await[0]["grantDuration"],
        json!("7200s")
    );

    let args = [
        "request",
        "--app",
        "aws",
        "--entitlement",
        "billing",
        "--justification",
        "x",
    ];
    let out = c1(&server, &args).await;
    assert_eq!(code(&out), 2, "ambiguous: {}", stderr(&out));
    assert!(
        stderr(&out).contains("ent-bill-1 (Billing), ent-bill-2 (billing)"),
        "{}",
        stderr(&out)
    );

    let args = [
        "request",
        "--app",
        "app-aws",
        "--entitlement",
        "ent-bill-1",
        "--justification",
        "x",
        "--wait",
        "--interval",
        "10ms",
    ];
    let out = c1(&server, &args).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let closed = json_out(&out);
    assert_eq!(
        (closed["outcome"].as_str(), closed["state"].as_str()),
        (Some("granted"), Some("TASK_STATE_CLOSED"))
    );
    assert!(
        stderr(&out).contains("/task/204: waiting"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn request_refusals_create_nothing_and_say_why() {
    let (server, _) = FakeC1::start().await;
    // Already held: exit 0, the grant, a note.
    let out = c1(&server, &["request", "aws-read", "--justification", "x"]).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let check = json_out(&out);
    assert_eq!(check["granted"], json!(true));
    assert_eq!(check["grants"][0]["appUserId"], json!("au-aws"));
    assert!(
        stderr(&out).contains("you already have `Read Only`") && stderr(&out).contains("--force"),
        "{}",
        stderr(&out)
    );

    let out = c1(
        &server,
        &[
            "request",
            "aws-prod-admin",
            "--justification",
            "x",
            "--duration",
            "9h",
        ],
    )
    .await;
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("longer than the maximum of `Prod Admin`, 8h"),
        "{}",
        stderr(&out)
    );

    let out = c1(&server, &["request", "okta-member", "--justification", "x"]).await;
    assert_eq!(code(&out), 2);
    let said = stderr(&out);
    assert!(
        said.contains("au-okta-1 (me), au-okta-2 (me-admin)") && said.contains("--app-user"),
        "{said}"
    );

    let out = c1(&server, &["request", "gh-maintain", "--justification", "x"]).await;
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("`ticket` (Ticket)") && stderr(&out).contains("--form NAME=VALUE"),
        "{}",
        stderr(&out)
    );

    let out = c1(
        &server,
        &["request", "no-such-alias", "--justification", "x"],
    )
    .await;
    assert_eq!(code(&out), 4, "{}", stderr(&out));

    let out = c1(&server, &["request", "aws-prod-admin"]).await;
    assert_eq!(code(&out), 2, "the justification is required");

    assert!(
        sent(&server, GRANT).await.is_empty(),
        "no task on a refusal"
    );

    let out = c1(
        &server,
        &[
            "request",
            "gh-maintain",
            "--justification",
            "x",
            "--form",
            "ticket=CHG-7",
            "--form-data",
            r#"{"note": "n"}"#,
        ],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        sent(&server, GRANT).await[0]["requestData"],
        json!({"note": "n", "ticket": "CHG-7"})
    );
    let out = c1(
        &server,
        &[
            "request",
            "okta-member",
            "--justification",
            "x",
            "--app-user",
            "au-okta-1",
        ],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        sent(&server, GRANT).await[1]["appUserId"],
        json!("au-okta-1")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_denied_request_is_exit_7_and_a_timeout_exit_6() {
    let (server, _) = FakeC1::start().await;
    let args = [
        "request",
        "gh-owner",
        "--justification",
        "x",
        "--wait",
        "--interval",
        "10ms",
        "-o",
        "json",
    ];
    let out = c1(&server, &args).await;
    assert_eq!(code(&out), 7, "{}", stderr(&out));
    assert_eq!(json_out(&out)["outcome"], json!("denied"));
    let error: Value = serde_json::from_str(stderr(&out).lines().last().unwrap()).unwrap();
    assert_eq!(error["error"], json!("task 203 closed: denied"));
    assert_eq!(error["exit_status"], json!(7));

    let args = [
        "request",
        "gh-owner",
        "--justification",
        "x",
        "--force",
        "--wait",
        "--interval",
        "1s",
        "--timeout",
        "100ms",
    ];
    // Two polls (at 0 and at the timeout) of a task that closes at the third.
    let out = c1(&server, &args).await;
    assert_eq!(code(&out), 6, "{}", stderr(&out));
    assert!(stderr(&out).contains("task.get"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_reads_but_shows_the_change_instead_of_sending_it() {
    let (server, _) = FakeC1::start().await;
    let out = c1(
        &server,
        &[
            "request",
            "aws-prod-admin",
            "--justification",
            "x",
            "--dry-run",
        ],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let shown = json_out(&out);
    assert_eq!(shown["method"], json!("POST"));
    assert_eq!(shown["body"]["appUserId"], json!("au-aws"));
    assert_eq!(
        shown["headers"]["authorization"],
        json!("Bearer <redacted>")
    );
    let out = c1(&server, &["task", "approve", "100", "--dry-run"]).await;
    assert_eq!(json_out(&out)["body"], json!({"policyStepId": "step-100"}));
    assert!(sent(&server, GRANT).await.is_empty());
    assert!(
        sent(&server, "POST /api/v1/tasks/t-100/action/approve")
            .await
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn revoke_and_has() {
    let (server, _) = FakeC1::start().await;
    let out = c1(
        &server,
        &["has", "aws-read", "--fields", "granted,entitlement.id"],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        json_out(&out),
        json!({"granted": true, "entitlement": {"id": "ent-read"}})
    );
    let out = c1(
        &server,
        &["has", "--app", "AWS", "--entitlement", "Prod Admin"],
    )
    .await;
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(json_out(&out)["granted"], json!(false));

    let out = c1(&server, &["revoke", "aws-prod-admin"]).await;
    assert_eq!(code(&out), 0);
    assert!(
        stderr(&out).contains("you do not have `Prod Admin`"),
        "{}",
        stderr(&out)
    );
    assert!(sent(&server, REVOKE).await.is_empty(), "nothing sent");

    let out = c1(
        &server,
        &[
            "revoke",
            "aws-read",
            "--justification",
            "done",
            "--wait",
            "--interval",
            "10ms",
        ],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json_out(&out)["outcome"], json!("revoked"));
    assert_eq!(sent(&server, REVOKE).await[0]["appUserId"], json!("au-aws"));
    let out = c1(&server, &["has", "aws-read"]).await;
    assert_eq!(code(&out), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_task_jobs() {
    let (server, _) = FakeC1::start().await;
    let out = c1(&server, &["task", "inbox", "--fields", "task.id"]).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        json_out(&out),
        json!([{"task": {"id": "t-100"}}, {"task": {"id": "t-101"}}, {"task": {"id": "t-102"}}])
    );

    let out = c1(
        &server,
        &[
            "task",
            "approve",
            "100",
            "--comment",
            "ok",
            "--wait",
            "--interval",
            "10ms",
        ],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json_out(&out)["outcome"], json!("granted"));
    assert_eq!(
        sent(&server, "POST /api/v1/tasks/t-100/action/approve").await,
        [json!({"comment": "ok", "policyStepId": "step-100"})]
    );
    let polls = sent(&server, "GET /api/v1/tasks/t-100").await.len();
    assert_eq!(polls, crate::fake_c1::POLLS_TO_CLOSE, "polled until closed");

    let out = c1(&server, &["task", "deny", "t-101", "--comment", "no"]).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        sent(&server, "POST /api/v1/tasks/t-101/action/deny").await,
        [json!({"comment": "no", "policyStepId": "step-101"})]
    );

    let out = c1(&server, &["task", "approve", "t-102"]).await;
    assert_eq!(code(&out), 5);
    assert!(
        stderr(&out).contains("task t-102 is not awaiting a decision"),
        "{}",
        stderr(&out)
    );

    let out = c1(&server, &["task", "comment", "102", "see ticket"]).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json_out(&out)["commentCount"], json!(1));
    let out = c1(&server, &["task", "escalate", "102"]).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        sent(&server, "POST /api/v1/tasks/t-102/action/escalate").await,
        [json!({})]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn arguments_are_read_before_signing_in() {
    // Signed out: a bad argument is still a usage error (2), not a sign-in one (3).
    let bad = [
        [
            "request",
            "aws-prod-admin",
            "--justification",
            "x",
            "--form-data",
            "[1]",
        ]
        .as_slice(),
        &[
            "request",
            "aws-prod-admin",
            "--justification",
            "x",
            "--form",
            "ticket",
        ],
        &[
            "revoke",
            "--app",
            "AWS",
            "--entitlement",
            "Root",
            "aws-read",
        ],
    ];
    for args in bad {
        let out = c1_with(args, &[]).await;
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
    }
    let out = c1_with(&["request", "aws-prod-admin", "--justification", "x"], &[]).await;
    assert_eq!(code(&out), 3, "{}", stderr(&out));
}
