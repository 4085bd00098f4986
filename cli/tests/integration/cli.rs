//! The built `c1` binary against a loopback server: arguments and flags on
//! the wire, output formats, paging, dry runs, exit statuses, profiles,
//! device login and waiting for a task.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "cli-test-token";
/// A client secret of a real shape (an Ed25519 JWK), for profiles.
const SECRET: &str = "secret-token:conductorone.com:v1:eyJrdHkiOiJPS1AiLCJjcnYiOiJFZDI1NTE5Iiwia2lkIjoiY2xpLXRlc3QiLCJkIjoiQndjSEJ3Y0hCd2NIQndjSEJ3Y0hCd2NIQndjSEJ3Y0hCd2NIQndjSEJ3YyIsIngiOiI2a3BzWS1LY1VncS05VkI3RXk3Ri1aVkhkcTYtdm51U1FoN3FhUlJHMGl3In0";

/// A fresh directory for a test's config files.
fn home(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("c1-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `c1 args` with only `env` set of the variables that matter.
pub(crate) async fn c1_with(args: &[&str], env: &[(&str, &str)], home: &Path) -> Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_c1"));
    command.args(args).env_clear();
    command
        .env("HOME", home)
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (name, value) in env {
        command.env(name, value);
    }
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

/// Runs `c1 args` signed in to `server` with a bearer token.
async fn c1(server: &MockServer, args: &[&str]) -> Output {
    let uri = server.uri();
    let env = [
        ("CONDUCTORONE_ACCESS_TOKEN", TOKEN),
        ("CONDUCTORONE_SERVER_URL", uri.as_str()),
    ];
    c1_with(args, &env, &home("none")).await
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

async fn answer(server: &MockServer, verb: &str, at: &str, body: Value) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_get_encodes_its_id_as_one_path_segment() {
    let server = crate::fake_c1::strict_server().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/iam/personal_clients/a%20b%2Fc"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"client": {"id": "a b/c"}})))
        .mount(&server)
        .await;
    let output = c1(&server, &["personal-client", "get", "a b/c"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(lines(&output), [json!({"client": {"id": "a b/c"}})]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_path_parameter_that_would_change_the_path_is_refused_before_sending() {
    let server = crate::fake_c1::strict_server().await;
    for id in ["..", ".", ""] {
        let output = c1(&server, &["apps", "get", id]).await;
        assert_eq!(output.status.code(), Some(2), "`{id}`: {}", stderr(&output));
        assert!(
            stderr(&output).contains("the path parameter `id`"),
            "{}",
            stderr(&output)
        );
    }
    let output = c1(&server, &["apps", "get", "..", "--dry-run"]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn field_flags_merge_over_the_body_and_name_the_mask() {
    let server = crate::fake_c1::strict_server().await;
    answer(
        &server,
        "POST",
        "/api/v1/iam/personal_clients/blue-whale-12345",
        json!({}),
    )
    .await;
    let output = c1(
        &server,
        &[
            "personal-client",
            "update",
            "blue-whale-12345",
            "--display-name",
            "CI robot",
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let file = home("body").join("body.json");
    std::fs::write(
        &file,
        r#"{"client": {"expiresTime": "2030-01-01T00:00:00Z"}, "updateMask": "expiresTime"}"#,
    )
    .unwrap();
    let at_file = format!("@{}", file.display());
    let args = [
        "personal-client",
        "update",
        "blue-whale-12345",
        "--body",
        &at_file,
        "--display-name",
        "CI robot",
    ];
    let output = c1(&server, &args).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let bodies: Vec<Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            json!({"client": {"displayName": "CI robot"}, "updateMask": "displayName"}),
            json!({"client": {"expiresTime": "2030-01-01T00:00:00Z", "displayName": "CI robot"}, "updateMask": "expiresTime,displayName"}),
        ]
    );
}

/// Three pages of apps; the middle one is empty.
async fn three_pages(server: &MockServer) {
    let page = |token: Option<&str>, list: Value, next: &str| {
        let mut mock = Mock::given(method("GET")).and(path("/api/v1/apps"));
        if let Some(token) = token {
            mock = mock.and(query_param("page_token", token));
        }
        mock.respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"list": list, "nextPageToken": next})),
        )
    };
    let first = Mock::given(method("GET"))
        .and(path("/api/v1/apps"))
        .and(|r: &wiremock::Request| !r.url.query().unwrap_or("").contains("page_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "list": [{"id": "a", "displayName": "A"}, {"id": "b", "displayName": "B"}],
            "nextPageToken": "p2",
        })));
    first.mount(server).await;
    page(Some("p2"), json!([]), "p3").mount(server).await;
    page(Some("p3"), json!([{"id": "c", "displayName": "C"}]), "")
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn all_writes_every_item_as_a_line_across_an_empty_page_and_limit_stops() {
    let server = crate::fake_c1::strict_server().await;
    three_pages(&server).await;
    let output = c1(&server, &["apps", "list", "--all", "--fields", "id"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        lines(&output),
        [json!({"id": "a"}), json!({"id": "b"}), json!({"id": "c"})]
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    let output = c1(
        &server,
        &["apps", "list", "--limit", "1", "--page-size", "2"],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let items = lines(&output);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], "a");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 4, "--limit 1 reads one page");
    assert_eq!(requests[3].url.query(), Some("page_size=2"));
}

/// The answer is printed as the server sent it (in its order, with fields
/// the models do not know and its nulls), once it decodes as the document
/// says; one that does not is an API failure naming where, paging included.
#[tokio::test(flavor = "multi_thread")]
async fn answers_print_as_sent_once_they_decode() {
    let server = crate::fake_c1::strict_server().await;
    let sent =
        json!({"app": {"monthlyCostUsd": 12, "id": "x", "addedLater": [1], "description": null}});
    answer(&server, "GET", "/api/v1/apps/x", sent.clone()).await;
    answer(
        &server,
        "GET",
        "/api/v1/apps/bad",
        json!({"app": {"id": 7}}),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/apps"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "list": [{"id": "a", "extra": true}, {"id": ["not", "a", "string"]}],
        })))
        .mount(&server)
        .await;

    let output = c1(&server, &["apps", "get", "x"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&output)).unwrap(),
        sent
    );
    assert_eq!(
        stdout(&output).trim(),
        serde_json::to_string(&sent).unwrap(),
        "in the server's order"
    );

    for args in [&["apps", "get", "bad"][..], &["apps", "list", "--all"]] {
        let output = c1(&server, args).await;
        assert_eq!(
            output.status.code(),
            Some(5),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("cannot decode the response body at `"),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(
            stdout(&output),
            "",
            "{args:?}: nothing of a page that does not decode"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn fields_keep_dotted_names_and_tables_show_the_items() {
    let server = crate::fake_c1::strict_server().await;
    three_pages(&server).await;
    let client =
        json!({"client": {"id": "blue-whale-12345", "displayName": "CI robot", "userId": "u1"}});
    answer(
        &server,
        "GET",
        "/api/v1/iam/personal_clients/blue-whale-12345",
        client,
    )
    .await;
    let output = c1(&server, &["apps", "list", "--fields", "id"]).await;
    assert_eq!(
        lines(&output),
        [json!({"list": [{"id": "a"}, {"id": "b"}], "nextPageToken": "p2"})]
    );
    let get = ["personal-client", "get", "blue-whale-12345"];
    let output = c1(
        &server,
        &[&get[..], &["--fields", "client.id,client.userId"]].concat(),
    )
    .await;
    assert_eq!(
        lines(&output),
        [json!({"client": {"id": "blue-whale-12345", "userId": "u1"}})]
    );

    let output = c1(
        &server,
        &["apps", "list", "-o", "table", "--fields", "id,displayName"],
    )
    .await;
    assert_eq!(stdout(&output), "id  displayName\na   A\nb   B\n");
    let output = c1(&server, &[&get[..], &["-o", "table"]].concat()).await;
    assert_eq!(
        stdout(&output),
        "client.id         client.displayName  client.userId\nblue-whale-12345  CI robot            u1\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_prints_the_request_and_sends_nothing() {
    let server = crate::fake_c1::strict_server().await;
    let output = c1(&server, &["apps", "list", "--page-size", "5", "--dry-run"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let shown = &lines(&output)[0];
    assert_eq!(shown["method"], "GET");
    assert_eq!(
        shown["url"],
        format!("{}/api/v1/apps?page_size=5", server.uri())
    );
    assert_eq!(shown["headers"]["authorization"], "Bearer <redacted>");
    assert!(!stdout(&output).contains(TOKEN));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_statuses_tell_failures_apart() {
    let server = crate::fake_c1::strict_server().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/iam/personal_clients/gone"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "req-404")
                .set_body_json(json!({"code": 5, "message": "personal client not found"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/iam/personal_clients/secret"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(json!({"code": 7, "message": "denied"})),
        )
        .mount(&server)
        .await;
    let status = |o: &Output| o.status.code();

    let done = c1(&server, &["personal-client", "list", "--dry-run"]).await;
    assert_eq!(status(&done), Some(0));
    let usage = c1(&server, &["personal-client", "get"]).await;
    assert_eq!(status(&usage), Some(2), "{}", stderr(&usage));
    let bad_number = c1(&server, &["apps", "list", "--page-size", "many"]).await;
    assert_eq!(status(&bad_number), Some(2), "{}", stderr(&bad_number));
    let signed_out = c1_with(&["apps", "list"], &[], &home("signed-out")).await;
    assert_eq!(status(&signed_out), Some(3));
    assert!(
        stderr(&signed_out).contains("not signed in"),
        "{}",
        stderr(&signed_out)
    );

    let missing = c1(&server, &["personal-client", "get", "gone"]).await;
    assert_eq!(status(&missing), Some(4));
    let said = stderr(&missing);
    assert!(
        said.starts_with("c1: not found: personal client gone ("),
        "{said}"
    );
    assert!(
        said.contains("req-404") && said.lines().count() == 1,
        "{said}"
    );
    let as_json = c1(&server, &["personal-client", "get", "gone", "-o", "json"]).await;
    let error: Value = serde_json::from_str(stderr(&as_json).trim()).unwrap();
    assert_eq!(
        (error["exit_status"].clone(), error["request_id"].clone()),
        (json!(4), json!("req-404"))
    );

    let denied = c1(&server, &["personal-client", "get", "secret"]).await;
    assert_eq!(status(&denied), Some(5), "{}", stderr(&denied));
    let env = [
        ("CONDUCTORONE_ACCESS_TOKEN", TOKEN),
        ("CONDUCTORONE_SERVER_URL", "http://127.0.0.1:9"),
    ];
    let refused = c1_with(&["apps", "list"], &env, &home("refused")).await;
    assert_eq!(status(&refused), Some(6));
    assert!(
        stderr(&refused).contains("connection refused"),
        "{}",
        stderr(&refused)
    );
}

/// The device login endpoints, a token endpoint for the created client,
/// and the API.
async fn login_server() -> MockServer {
    let server = crate::fake_c1::strict_server().await;
    answer(
        &server,
        "POST",
        "/auth/v1/device_authorization",
        json!({
            "device_code": "dc",
            "user_code": "WDJB-MJHT",
            "verification_uri": format!("{}/device", server.uri()),
            "verification_uri_complete": format!("{}/device?user_code=WDJB-MJHT", server.uri()),
            "expires_in": 60,
            "interval": 1,
        }),
    )
    .await;
    answer(
        &server,
        "POST",
        "/auth/v1/token",
        json!({
            "access_token": "login-token", "token_type": "Bearer", "expires_in": 3600,
        }),
    )
    .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/iam/personal_clients"))
        .and(body_json(json!({"displayName": "laptop"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "client": {"id": "blue-whale-12345", "clientId": "blue-whale-12345@acme.conductor.one/pcc"},
            "clientSecret": SECRET,
        })))
        .mount(&server)
        .await;
    answer(
        &server,
        "GET",
        "/api/v1/auth/introspect",
        json!({"userId": "u1", "principleId": "p1"}),
    )
    .await;
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn login_keeps_a_profile_readable_by_its_owner_only_and_later_commands_use_it() {
    let server = login_server().await;
    let home = home("login");
    let args = [
        "auth",
        "login",
        &server.uri(),
        "--name",
        "laptop",
        "--profile",
        "work",
    ];
    let output = c1_with(&args, &[], &home).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("WDJB-MJHT"), "{}", stderr(&output));
    let file = home.join(".config/c1/config.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("[profiles.work]") && text.contains(SECRET),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(!stdout(&output).contains(SECRET) && !stderr(&output).contains(SECRET));

    let status = c1_with(&["auth", "status", "--profile", "work"], &[], &home).await;
    assert!(status.status.success(), "{}", stderr(&status));
    let shown = &lines(&status)[0];
    assert_eq!(
        (shown["user_id"].clone(), shown["signed_in_by"].clone()),
        (json!("u1"), json!("profile work"))
    );
    let token = c1_with(&["auth", "token", "--profile", "work"], &[], &home).await;
    assert_eq!(stdout(&token), "login-token\n");
    let other = c1_with(&["auth", "status", "--profile", "home"], &[], &home).await;
    assert_eq!(other.status.code(), Some(3));
    assert!(
        stderr(&other).contains("no profile `home`"),
        "{}",
        stderr(&other)
    );
}

async fn task_server(closed: bool) -> MockServer {
    let server = crate::fake_c1::strict_server().await;
    let state = if closed {
        "TASK_STATE_CLOSED"
    } else {
        "TASK_STATE_OPEN"
    };
    let task = json!({"taskView": {"task": {"id": "t1", "state": state}}});
    answer(&server, "GET", "/api/v1/tasks/t1", task).await;
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn task_wait_ends_when_closed_and_times_out_with_status_6() {
    let server = task_server(true).await;
    let output = c1(
        &server,
        &["task", "wait", "t1", "--fields", "state,outcome"],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        lines(&output),
        [json!({"state": "TASK_STATE_CLOSED", "outcome": "done"})]
    );

    let server = task_server(false).await;
    let args = ["task", "wait", "t1", "--timeout", "100ms", "-o", "json"];
    let output = c1(&server, &args).await;
    assert_eq!(output.status.code(), Some(6), "{}", stderr(&output));
    let error: Value = serde_json::from_str(stderr(&output).trim()).unwrap();
    assert!(
        error["error"].as_str().unwrap().contains("task.get"),
        "{error}"
    );
    assert_eq!(error["task"]["id"], "t1", "{error}");
    assert_eq!(error["task"]["state"], "open", "{error}");
    // One read: the next (a second later) would come after the timeout.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn help_shows_the_operation_its_arguments_and_flags() {
    let server = crate::fake_c1::strict_server().await;
    let output = c1(&server, &["personal-client", "update", "--help"]).await;
    assert!(output.status.success());
    insta::assert_snapshot!(stdout(&output));
}

#[tokio::test(flavor = "multi_thread")]
async fn plural_acronyms_are_one_word_in_command_names() {
    let server = crate::fake_c1::strict_server().await;
    let output = c1(&server, &["app-owners", "--help"]).await;
    assert!(output.status.success());
    let help = stdout(&output);
    assert!(help.contains("list-owner-ids"), "{help}");
    assert!(!help.contains("i-ds"), "{help}");
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_name_the_commands() {
    let server = crate::fake_c1::strict_server().await;
    let output = c1(&server, &["completion", "bash"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("personal-client"));
}

#[tokio::test(flavor = "multi_thread")]
async fn arguments_are_checked_before_signing_in_and_dry_runs_need_no_sign_in() {
    let signed_out = home("signed-out");
    let output = c1_with(&["apps", "list", "--page-size", "abc"], &[], &signed_out).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "c1: --page-size: `abc` is not a whole number\n"
    );
    // A body that does not fit its type is refused naming where, and
    // without a position in a text the user never wrote.
    let body = r#"--body={"client": {"displayName": "x", "allowSourceCidr": ["a", 7]}}"#;
    let args = ["personal-client", "update", "x", "--dry-run", body];
    let output = c1_with(&args, &[], &signed_out).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "c1: --body: at `client.allowSourceCidr[1]`: invalid type: integer `7`, expected a string\n"
    );
    let output = c1_with(
        &["personal-client", "get", "x", "--dry-run"],
        &[],
        &signed_out,
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let shown = &lines(&output)[0];
    assert_eq!(shown["headers"]["authorization"], "Bearer <redacted>");
    assert!(
        shown["url"]
            .as_str()
            .unwrap()
            .ends_with("/api/v1/iam/personal_clients/x")
    );
    let output = c1_with(&["apps", "list"], &[], &signed_out).await;
    assert_eq!(
        output.status.code(),
        Some(3),
        "signed out, with good arguments"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn built_in_commands_honour_or_refuse_the_global_flags() {
    let server = crate::fake_c1::strict_server().await;
    let who = json!({"userId": "u1", "principleId": "p1", "roles": ["admin"]});
    answer(&server, "GET", "/api/v1/auth/introspect", who).await;
    for args in [
        &["auth", "token", "--dry-run"][..],
        &["auth", "token", "-o", "table"],
        &["auth", "token", "--fields", "x"],
        &["auth", "login", "acme", "--dry-run"],
        &["completion", "bash", "--dry-run"],
    ] {
        let output = c1(&server, args).await;
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("does not take"),
            "{}",
            stderr(&output)
        );
        assert!(!stdout(&output).contains(TOKEN), "{args:?}");
    }
    let output = c1(&server, &["auth", "status", "--dry-run"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("/api/v1/auth/introspect"));
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing sent"
    );

    let output = c1(&server, &["auth", "status", "--fields", "user_id,roles"]).await;
    assert_eq!(
        lines(&output),
        [json!({"user_id": "u1", "roles": ["admin"]})]
    );
    let output = c1(&server, &["auth", "token", "-o", "json"]).await;
    assert_eq!(lines(&output), [json!({"access_token": TOKEN})]);

    let tasks = task_server(true).await;
    let output = c1(&tasks, &["task", "wait", "t1", "-o", "table"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "id  state              url  outcome\nt1  TASK_STATE_CLOSED       done\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_line_names_itself_in_the_user_agent() {
    let server = crate::fake_c1::strict_server().await;
    let agent = concat!("c1/", env!("CARGO_PKG_VERSION"));
    Mock::given(method("GET"))
        .and(path("/api/v1/apps"))
        .and(header("user-agent", agent))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"list": []})))
        .mount(&server)
        .await;
    let output = c1(&server, &["apps", "list"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
}
