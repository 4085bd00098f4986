//! The job commands (`c1 whoami`, `catalog search`, `request`, `revoke`,
//! `has`, `task inbox|approve|deny|comment|escalate`) run as a user runs
//! them: the built binary, against a server that behaves as C1 does, with
//! the exit status, what was printed and the requests the server received.

use std::process::Output;

use std::time::{Duration, Instant};

use crate::fake_c1::{APPROVER, FakeC1, ME, Trouble};
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

/// Each JSON answer printed: one, or with `--wait` the task as created
/// then as closed.
fn printed(output: &Output) -> Vec<Value> {
    let text = stdout(output);
    let values = serde_json::Deserializer::from_str(&text).into_iter::<Value>();
    values
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The last JSON answer printed.
fn json_out(output: &Output) -> Value {
    let mut all = printed(output);
    all.pop()
        .unwrap_or_else(|| panic!("nothing printed: {}", stderr(output)))
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
        "1s",
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
        "1s",
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
            "1s",
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
            "1s",
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

/// `c1 request` for `aws-prod-admin`, with `more` arguments.
fn ask<'a>(more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "request",
        "aws-prod-admin",
        "--justification",
        "incident 4211",
    ];
    args.extend(more);
    args
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_never_answers_ends_a_wait_on_time_and_the_task_is_kept() {
    let (server, fake) = FakeC1::start().await;
    let created = c1(&server, &ask(&[])).await;
    assert_eq!(code(&created), 0, "{}", stderr(&created));
    let id = json_out(&created)["id"].as_str().unwrap().to_string();
    fake.set(Trouble {
        stall_reads: true,
        ..Trouble::default()
    });

    let started = Instant::now();
    let out = c1(&server, &["task", "wait", &id, "--timeout", "2s"]).await;
    let waited = started.elapsed();
    assert_eq!(code(&out), 6, "{}", stderr(&out));
    assert!(waited < Duration::from_secs(3), "exit 6 after {waited:?}");

    // A request that waits: the task is on standard output before the
    // wait, and the error names it, so that nobody asks again.
    let started = Instant::now();
    let out = c1(
        &server,
        &ask(&["--force", "--wait", "--timeout", "2s", "-o", "json"]),
    )
    .await;
    let waited = started.elapsed();
    assert_eq!(code(&out), 6, "{}", stderr(&out));
    assert!(waited < Duration::from_secs(3), "exit 6 after {waited:?}");
    let printed = printed(&out);
    assert_eq!(printed.len(), 1, "the created task, and no closed one");
    let created = &printed[0];
    assert_eq!(created["state"], "TASK_STATE_OPEN");
    let error: Value = serde_json::from_str(stderr(&out).lines().last().unwrap()).unwrap();
    assert_eq!(error["exit_status"], 6);
    assert_eq!(error["task"]["id"], created["id"]);
    assert_eq!(error["task"]["url"], created["url"]);
    let number = created["numericId"].as_str().unwrap();
    let said = error["error"].as_str().unwrap();
    assert!(
        said.contains(&format!("`c1 task wait {number}` waits again")),
        "{said}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_accepts_and_never_answers_anything_is_exit_6_on_time() {
    // Connections are accepted (by the kernel) and never read or answered.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", silent.local_addr().unwrap());
    let env = [
        ("CONDUCTORONE_ACCESS_TOKEN", "jobs-test-token"),
        ("CONDUCTORONE_SERVER_URL", uri.as_str()),
    ];
    for args in [
        ask(&["--wait", "--timeout", "2s"]),
        vec!["task", "wait", "4211", "--timeout", "2s"],
    ] {
        let started = Instant::now();
        let out = c1_with(&args, &env).await;
        let waited = started.elapsed();
        assert_eq!(code(&out), 6, "{:?}: {}", args, stderr(&out));
        assert!(
            waited < Duration::from_secs(3),
            "{args:?}: exit 6 after {waited:?}"
        );
        assert!(
            stdout(&out).is_empty(),
            "nothing was created: {}",
            stdout(&out)
        );
    }
    drop(silent);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_task_that_never_closes_times_out_with_exit_6_naming_it() {
    let (server, fake) = FakeC1::start().await;
    fake.set(Trouble {
        never_close: true,
        ..Trouble::default()
    });
    let out = c1(&server, &ask(&["--wait", "--timeout", "1500ms"])).await;
    assert_eq!(code(&out), 6, "{}", stderr(&out));
    let created = &printed(&out)[0];
    assert!(
        created["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/task/203"))
    );
    let said = stderr(&out);
    assert!(said.contains("task 203 ("), "{said}");
    // Not on a terminal: a note, and no status line.
    assert!(
        !said.contains('\r') && !said.contains("\u{1b}["),
        "{said:?}"
    );
    // Resuming waits on the same task.
    let out = c1(
        &server,
        &["task", "wait", "203", "--timeout", "1s", "-o", "json"],
    )
    .await;
    assert_eq!(code(&out), 6);
    let error: Value = serde_json::from_str(stderr(&out).lines().last().unwrap()).unwrap();
    assert_eq!(error["task"]["id"], "t-203");
    assert_eq!(error["task"]["step"], "approval");
    assert_eq!(error["task"]["waitsOn"], json!([APPROVER]));
    assert_eq!(fake.created(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_open_request_already_there_is_returned_not_doubled() {
    let (server, fake) = FakeC1::start().await;
    let first = c1(&server, &ask(&[])).await;
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let again = c1(&server, &ask(&[])).await;
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    let (first, again_task) = (json_out(&first), json_out(&again));
    assert_eq!(again_task["id"], first["id"]);
    assert_eq!(again_task["existing"], true);
    assert!(
        stderr(&again).contains("is open and already asks for this"),
        "{}",
        stderr(&again)
    );
    assert_eq!(sent(&server, GRANT).await.len(), 1);
    // --wait waits on it.
    let out = c1(&server, &ask(&["--wait", "--interval", "1s"])).await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json_out(&out)["outcome"], "granted");
    assert_eq!(fake.created(), 1);

    let forced = c1(&server, &ask(&["--force"])).await;
    assert_eq!(code(&forced), 0, "{}", stderr(&forced));
    assert_eq!(fake.created(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_answered_without_its_task_or_lost_prints_the_task_it_made() {
    let bare = Trouble {
        bare_create: true,
        ..Trouble::default()
    };
    let lost = Trouble {
        lost_create: true,
        ..Trouble::default()
    };
    for trouble in [bare, lost] {
        let (server, fake) = FakeC1::start().await;
        fake.set(trouble);
        let out = c1(&server, &ask(&[])).await;
        assert_eq!(code(&out), 0, "{trouble:?}: {}", stderr(&out));
        assert_eq!(json_out(&out)["id"], "t-203", "{trouble:?}");
        assert_eq!(fake.created(), 1);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interval_under_a_second_is_refused_before_signing_in() {
    let (server, _) = FakeC1::start().await;
    for args in [
        ask(&["--wait", "--interval", "0s"]),
        vec!["task", "wait", "t-1", "--interval", "500ms"],
    ] {
        let out = c1(&server, &args).await;
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        assert!(stderr(&out).contains("give 1s or more"), "{}", stderr(&out));
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn help_puts_the_jobs_first_and_a_group_lists_all_it_has() {
    let (server, _) = FakeC1::start().await;
    let out = c1(&server, &["--help"]).await;
    let help = stdout(&out);
    let jobs = help.find("Jobs:").unwrap();
    let api = help.find("The API, by group").unwrap();
    assert!(jobs < api, "{help}");
    for job in [
        "whoami", "catalog", "request", "revoke", "has", "task", "auth", "mcp",
    ] {
        let at = help
            .find(&format!("\n  {job} "))
            .unwrap_or_else(|| panic!("{job}: {help}"));
        assert!(at < api, "{job} is not among the jobs: {help}");
    }
    assert!(
        help.contains("c1 request aws-prod-admin --justification"),
        "{help}"
    );
    let out = c1(&server, &["task", "--help"]).await;
    let help = stdout(&out);
    let first_line = help.lines().next().unwrap();
    for job in ["inbox", "approve", "deny", "wait", "create-grant-task"] {
        assert!(first_line.contains(job), "{first_line}");
    }
    let inbox = help.find("\n  inbox").unwrap();
    let get = help.find("\n  get").unwrap();
    assert!(inbox < get, "the jobs lead: {help}");
}

/// Runs `c1 args` signed in to the server at `uri` with standard error on
/// a terminal (a pseudo-terminal of 120 columns): what it drew there.
fn c1_on_a_terminal(uri: &str, args: &[String]) -> (i32, String) {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut leader, mut follower) = (0, 0);
    let size = libc::winsize {
        ws_row: 40,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors it opened, which are then
    // owned here and closed once.
    let opened = unsafe {
        libc::openpty(
            &mut leader,
            &mut follower,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
    let (leader, follower) =
        unsafe { (OwnedFd::from_raw_fd(leader), OwnedFd::from_raw_fd(follower)) };
    let home = std::env::temp_dir().join(format!("c1-tty-test-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&home);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_c1"))
        .args(args)
        .env_clear()
        .env("HOME", &home)
        .env("TERM", "xterm")
        .env("CONDUCTORONE_ACCESS_TOKEN", "jobs-test-token")
        .env("CONDUCTORONE_SERVER_URL", uri)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::from(follower))
        .spawn()
        .unwrap();
    let mut drawn = Vec::new();
    let mut terminal = std::fs::File::from(leader);
    let reader = std::thread::spawn(move || {
        // Until the last writer is gone (EIO on Linux).
        let _ = terminal.read_to_end(&mut drawn);
        drawn
    });
    let status = child.wait().unwrap();
    drop(child);
    let drawn = reader.join().unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&drawn).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_a_wait_shows_where_the_task_stands() {
    let (server, _) = FakeC1::start().await;
    let uri = server.uri();
    let args: Vec<String> = ask(&["--wait", "--interval", "1s"])
        .into_iter()
        .map(str::to_string)
        .collect();
    let (code, drawn) = tokio::task::spawn_blocking(move || c1_on_a_terminal(&uri, &args))
        .await
        .unwrap();
    assert_eq!(code, 0, "{drawn}");
    assert!(
        drawn.contains("task 203 open, approval step, waiting on u-approver · http://127.0.0.1:"),
        "{drawn:?}"
    );
}
