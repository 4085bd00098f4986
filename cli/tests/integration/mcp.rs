//! `c1 mcp serve` as an agent meets it: the built binary driven by an MCP
//! client (rmcp's) over stdio and over HTTP, signed in to a loopback server
//! that behaves as C1 does. And `c1 mcp install`, on the files agents read.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use std::time::{Duration, Instant};

use crate::fake_c1::{APPROVER, FakeC1, ME, Trouble};
use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, CallToolResult, Tool};
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::TokioChildProcess;
use serde_json::{Map, Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub type Client = RunningService<RoleClient, ()>;

/// The token the tests sign in with: it must never reach the log.
pub const TOKEN: &str = "mcp-test-secret-token";

/// A directory of this test's own, empty.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("c1-mcp-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `c1 args` signed in to `server` by the environment alone, in `dir`.
pub fn c1_command(server: &str, dir: &Path, args: &[&str]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_c1"));
    command
        .args(args)
        .env_clear()
        .env("HOME", dir)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("CONDUCTORONE_ACCESS_TOKEN", TOKEN)
        .env("CONDUCTORONE_SERVER_URL", server)
        .current_dir(dir);
    command
}

/// An MCP client of `c1 mcp serve ARGS` over stdio.
pub async fn serve(server: &MockServer, name: &str, args: &[&str]) -> Client {
    let dir = scratch(name);
    let mut all = vec!["mcp", "serve"];
    all.extend(args);
    let command = c1_command(&server.uri(), &dir, &all);
    let (transport, _stderr) = TokioChildProcess::builder(command)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    ().serve(transport).await.unwrap()
}

pub async fn call(client: &Client, tool: &str, args: Value) -> CallToolResult {
    let Value::Object(args) = args else {
        panic!("arguments must be an object");
    };
    let params = CallToolRequestParams::new(tool.to_string()).with_arguments(args);
    client.call_tool(params).await.unwrap()
}

/// The structured answer of a call that succeeded.
pub fn answer(result: &CallToolResult) -> &Value {
    assert_ne!(result.is_error, Some(true), "{result:?}");
    result.structured_content.as_ref().unwrap()
}

/// The error of a call that failed as a tool error.
pub fn error(result: &CallToolResult) -> &Value {
    assert_eq!(result.is_error, Some(true), "{result:?}");
    result.structured_content.as_ref().unwrap()
}

/// What a call that failed as a tool error says.
pub fn message(result: &CallToolResult) -> String {
    let said = error(result)["error"].as_str();
    said.unwrap_or_default().to_string()
}

/// The text lines after the JSON answer.
pub fn notes(result: &CallToolResult) -> Vec<String> {
    result
        .content
        .iter()
        .skip(1)
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect()
}

pub fn names(tools: &[Tool]) -> Vec<&str> {
    tools.iter().map(|t| t.name.as_ref()).collect()
}

/// Whether a schema is one an agent's client takes whole: an object at the
/// top, no `$ref` anywhere, no `anyOf`/`oneOf`/`allOf` at the top, and
/// every array with `items`.
fn self_contained(schema: &Map<String, Value>) -> Result<(), String> {
    if schema.get("type") != Some(&json!("object")) {
        return Err("no `type: object` at the top".into());
    }
    if let Some(key) = ["anyOf", "oneOf", "allOf"]
        .iter()
        .find(|k| schema.contains_key(**k))
    {
        return Err(format!("`{key}` at the top"));
    }
    fn walk(value: &Value, at: &str) -> Result<(), String> {
        match value {
            Value::Object(object) => {
                if object.contains_key("$ref") {
                    return Err(format!("a $ref at {at}"));
                }
                if object.get("type") == Some(&json!("array")) && !object.contains_key("items") {
                    return Err(format!("an array without items at {at}"));
                }
                object
                    .iter()
                    .try_for_each(|(k, v)| walk(v, &format!("{at}/{k}")))
            }
            Value::Array(items) => items.iter().try_for_each(|v| walk(v, at)),
            _ => Ok(()),
        }
    }
    walk(&Value::Object(schema.clone()), "")
}

#[tokio::test(flavor = "multi_thread")]
async fn few_tools_whose_schemas_clients_take_whole() {
    let (server, _) = FakeC1::start().await;
    let name_ok = |name: &str| {
        (1..=64).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
    };
    for (allow, expected) in [("read", 8), ("request", 11), ("write", 13)] {
        let client = serve(&server, &format!("tools-{allow}"), &["--allow", allow]).await;
        let tools = client.list_all_tools().await.unwrap();
        assert_eq!(
            tools.len(),
            expected,
            "--allow {allow}: {:?}",
            names(&tools)
        );
        for tool in &tools {
            assert!(name_ok(&tool.name), "bad tool name {}", tool.name);
            self_contained(&tool.input_schema).unwrap_or_else(|e| panic!("{}: {e}", tool.name));
            if let Some(output) = &tool.output_schema {
                self_contained(output).unwrap_or_else(|e| panic!("{} output: {e}", tool.name));
            }
            assert!(
                tool.description.as_deref().is_some_and(|d| d.len() > 30),
                "{}",
                tool.name
            );
        }
        // What an agent's context pays for the list: under 8k tokens, at
        // (a generous) 4 characters a token.
        let size = serde_json::to_string(&tools).unwrap().len();
        eprintln!(
            "tools/list with --allow {allow}: {} tools, {size} characters",
            tools.len()
        );
        assert!(size < 8_000 * 4, "{size} characters");
        let read_only = |name: &str| {
            let tool = tools.iter().find(|t| t.name == name).unwrap();
            tool.annotations.as_ref().and_then(|a| a.read_only_hint)
        };
        assert_eq!(read_only("whoami"), Some(true));
        assert_eq!(read_only("call_operation"), Some(allow != "write"));
        if allow == "read" {
            let listed = names(&tools);
            assert!(!listed.contains(&"request_access") && !listed.contains(&"approve_task"));
        }
        let with_output: Vec<&str> = tools
            .iter()
            .filter(|t| t.output_schema.is_some())
            .map(|t| t.name.as_ref())
            .collect();
        let expected: &[&str] = match allow {
            "read" => &["wait_task"],
            "request" => &[
                "request_access",
                "revoke_access",
                "comment_task",
                "wait_task",
            ],
            _ => &[
                "request_access",
                "revoke_access",
                "approve_task",
                "deny_task",
                "comment_task",
                "wait_task",
            ],
        };
        assert_eq!(with_output, expected, "--allow {allow}");
        client.cancel().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_is_described_by_a_self_contained_schema() {
    let (server, _) = FakeC1::start().await;
    let client = serve(
        &server,
        "describe",
        &["--allow", "write", "--allow-secrets"],
    )
    .await;
    let catalog: Value =
        serde_json::from_str(include_str!("../../src/generated/tools.json")).unwrap();
    let operations = catalog["operations"].as_object().unwrap();
    let mut largest = (0, String::new());
    for name in operations.keys() {
        let described = call(&client, "describe_operation", json!({"operation": name})).await;
        let arguments = answer(&described)["arguments"].as_object().unwrap().clone();
        self_contained(&arguments).unwrap_or_else(|e| panic!("{name}: {e}"));
        let size = serde_json::to_string(&arguments).unwrap().len();
        if size > largest.0 {
            largest = (size, name.clone());
        }
    }
    eprintln!(
        "{} operations; the largest schema: {} ({} characters)",
        operations.len(),
        largest.1,
        largest.0
    );
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_searches_describes_and_reads() {
    let (server, _) = FakeC1::start().await;
    let client = serve(&server, "read", &[]).await;
    let found = call(&client, "search_operations", json!({"query": "get app"})).await;
    let operations = answer(&found)["operations"].as_array().unwrap().clone();
    assert_eq!(operations[0]["name"], "apps.get", "{operations:?}");
    assert_eq!(operations[0]["access"], "read");
    assert!(
        operations.iter().all(|o| o["access"] == "read"),
        "a write was listed: {operations:?}"
    );

    let described = call(
        &client,
        "describe_operation",
        json!({"operation": "apps.get"}),
    )
    .await;
    let described = answer(&described);
    assert_eq!(described["endpoint"], "GET /api/v1/apps/{id}");
    assert_eq!(described["arguments"]["required"], json!(["id"]));

    let got = call(
        &client,
        "call_operation",
        json!({"operation": "apps.get", "arguments": {"id": "app-aws"}, "fields": ["app.displayName"]}),
    )
    .await;
    assert_eq!(answer(&got), &json!({"app": {"displayName": "AWS"}}));
    // The structured answer is also the text.
    let text = got.content[0].as_text().unwrap().text.clone();
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), *answer(&got));
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_is_refused_by_default_and_allowed_with_allow_write() {
    let (server, _) = FakeC1::start().await;
    let grant = json!({
        "operation": "task.create_grant_task",
        "arguments": {"body": {"appEntitlementId": "ent-read", "appId": "app-aws", "identityUserId": ME, "justification": "on call"}},
    });
    let client = serve(&server, "refused", &[]).await;
    let refused = call(&client, "call_operation", grant.clone()).await;
    let said = message(&refused);
    assert!(said.contains("--allow write"), "{said}");
    let approve = call(&client, "approve_task", json!({"task": "t-1"})).await;
    let said = message(&approve);
    assert!(said.contains("--allow write"), "{said}");
    client.cancel().await.unwrap();
    let grants = |requests: &[wiremock::Request]| {
        requests
            .iter()
            .filter(|r| r.url.path() == "/api/v1/task/grant")
            .count()
    };
    assert_eq!(
        grants(&server.received_requests().await.unwrap()),
        0,
        "a refused call was sent"
    );

    let client = serve(&server, "allowed", &["--allow", "write"]).await;
    let created = call(&client, "call_operation", grant).await;
    let task = &answer(&created)["taskView"]["task"];
    assert!(
        task["id"].as_str().is_some_and(|id| id.starts_with("t-")),
        "{task}"
    );
    assert_eq!(grants(&server.received_requests().await.unwrap()), 1);
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_workflows_request_access_and_say_what_they_did() {
    let (server, fake) = FakeC1::start().await;
    let client = serve(&server, "request", &["--allow", "request"]).await;
    let me = call(&client, "whoami", json!({})).await;
    assert_eq!(answer(&me)["id"], ME);

    let found = call(
        &client,
        "search_catalog",
        json!({"query": "member", "fields": ["alias", "granted"]}),
    )
    .await;
    let items = answer(&found)["items"].as_array().unwrap().clone();
    assert_eq!(items, [json!({"alias": "okta-member", "granted": false})]);

    let mut request = json!({"entitlement": "okta-member", "justification": "on call this week"});
    let two_accounts = call(&client, "request_access", request.clone()).await;
    let said = message(&two_accounts);
    assert!(
        said.contains("au-okta-1") && said.contains("`app_user`"),
        "{said}"
    );
    request["app_user"] = json!("au-okta-1");
    let requested = call(&client, "request_access", request).await;
    let ticket = answer(&requested);
    let id = ticket["id"].as_str().unwrap().to_string();
    let number = ticket["number"].as_i64().unwrap().to_string();
    assert!(
        ticket["url"].as_str().is_some_and(|u| u.ends_with(&number)),
        "{ticket}"
    );
    let by_name = call(
        &client,
        "has_access",
        json!({"app": "Okta", "entitlement": "Member"}),
    )
    .await;
    assert_eq!(
        answer(&by_name)["granted"],
        false,
        "not granted until the task closes"
    );

    // Asking for what one has creates nothing, and says so.
    let again = call(
        &client,
        "request_access",
        json!({"entitlement": "aws-read", "justification": "x"}),
    )
    .await;
    assert_eq!(answer(&again)["granted"], true);
    assert!(
        notes(&again).join(" ").contains("you already have"),
        "{again:?}"
    );
    let grants = server.received_requests().await.unwrap();
    let grants = grants
        .iter()
        .filter(|r| r.url.path() == "/api/v1/task/grant")
        .count();
    assert_eq!(grants, 1);
    let commented = call(
        &client,
        "comment_task",
        json!({"task": id, "comment": "thanks"}),
    )
    .await;
    answer(&commented);
    assert!(!fake.holds("ent-member"));

    let missing = call(
        &client,
        "request_access",
        json!({"entitlement": "aws-read"}),
    )
    .await;
    assert!(message(&missing).contains("`justification` is required"));
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_is_cut_with_its_page_token_and_the_next_call_goes_on() {
    let (server, _) = FakeC1::start().await;
    let client = serve(&server, "pages", &[]).await;
    let search = |body: Value| json!({"operation": "request_catalog_search.search_entitlements", "arguments": {"body": body}, "limit": 1});
    let first = call(&client, "call_operation", search(json!({}))).await;
    assert_eq!(answer(&first)["list"].as_array().unwrap().len(), 1);
    let notes = notes(&first).join("\n");
    assert!(notes.contains("Showing 1 of the 2 items"), "{notes}");
    assert!(notes.contains("`body.pageToken` = \"page-2\""), "{notes}");
    // Advice the agent can follow: the API serves no page under 10.
    assert!(notes.contains("raise `limit` to 2"), "{notes}");
    assert!(!notes.contains("page size of"), "{notes}");
    // The page size asked for is the limit, within what the document
    // allows: at least the least page (`Values < 10 will be set to 10`).
    let requests = server.received_requests().await.unwrap();
    let sent: Value = serde_json::from_slice(&requests.last().unwrap().body).unwrap();
    assert_eq!(sent["pageSize"], 10);

    let next = call(
        &client,
        "call_operation",
        search(json!({"pageToken": "page-2"})),
    )
    .await;
    let next = answer(&next)["list"].as_array().unwrap().clone();
    assert_eq!(next[0]["entitlement"]["appEntitlement"]["id"], "ent-bill-1");
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_error_is_a_tool_error_with_status_and_request_id() {
    let server = crate::fake_c1::strict_server().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/apps/app-x"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-request-id", "req-403")
                .set_body_json(json!({"code": 7, "message": "not an admin"})),
        )
        .mount(&server)
        .await;
    let client = serve(&server, "error", &[]).await;
    let failed = call(
        &client,
        "call_operation",
        json!({"operation": "apps.get", "arguments": {"id": "app-x"}}),
    )
    .await;
    let failed = error(&failed);
    assert_eq!(failed["http_status"], 403);
    assert_eq!(failed["request_id"], "req-403");
    assert!(
        failed["error"].as_str().unwrap().contains("not an admin"),
        "{failed}"
    );

    let bad = call(
        &client,
        "call_operation",
        json!({"operation": "apps.get", "arguments": {"nope": 1}}),
    )
    .await;
    assert!(message(&bad).contains("unknown argument `nope`"));
    // A value the command refuses is named as the agent named it.
    let args = json!({"operation": "apps.list", "arguments": {"page_size": "many"}});
    let refused = message(&call(&client, "call_operation", args).await);
    assert!(
        refused.contains("`page_size`: `many` is not a whole number"),
        "{refused}"
    );
    assert!(!refused.contains("--page-size"), "{refused}");
    let params = CallToolRequestParams::new("steal_everything");
    let no_tool = client.call_tool(params).await;
    assert!(
        no_tool.is_err(),
        "a tool no one has is a protocol error: {no_tool:?}"
    );
    let unknown = call(
        &client,
        "call_operation",
        json!({"operation": "apps.steal"}),
    )
    .await;
    assert!(message(&unknown).contains("search_operations"));
    // A path parameter that would move the call to another path (here to
    // export.update's, which writes) is refused; nothing is sent.
    let before = server.received_requests().await.unwrap_or_default().len();
    for id in ["..", ".", ""] {
        let args =
            json!({"operation": "export.list_events", "arguments": {"export_id": id, "body": {}}});
        let refused = message(&call(&client, "call_operation", args).await);
        assert!(
            refused.contains("the path parameter `export_id`"),
            "{id}: {refused}"
        );
    }
    let after = server.received_requests().await.unwrap_or_default().len();
    assert_eq!(after, before, "nothing was sent");
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn every_call_is_logged_without_the_token() {
    let (server, _) = FakeC1::start().await;
    let dir = scratch("log");
    let log = dir.join("calls.log");
    let log_arg = log.to_string_lossy().into_owned();
    let client = serve(&server, "log-serve", &["--log", &log_arg]).await;
    call(
        &client,
        "call_operation",
        json!({"operation": "apps.get", "arguments": {"id": "app-gh"}}),
    )
    .await;
    call(
        &client,
        "call_operation",
        json!({"operation": "apps.get", "arguments": {"id": "no-such-app"}}),
    )
    .await;
    client.cancel().await.unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("tool=\"call_operation\""))
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].contains("operation=\"apps.get\"") && lines[0].contains("outcome=\"ok\""),
        "{text}"
    );
    assert!(
        lines[1].contains("outcome=\"not_found\"") && lines[1].contains("status=\"404\""),
        "{text}"
    );
    assert!(!text.contains(TOKEN), "the token is in the log:\n{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn install_adds_c1_and_keeps_the_other_servers() {
    let dir = scratch("install");
    let file = dir.join(".vscode/mcp.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let before = json!({"servers": {"other": {"type": "stdio", "command": "other"}}, "inputs": []});
    std::fs::write(&file, before.to_string()).unwrap();
    let run = |args: &[&str]| {
        let mut command = c1_command("http://127.0.0.1:9", &dir, args);
        async move { command.output().await.unwrap() }
    };

    let dry = run(&["mcp", "install", "--client", "vscode", "--dry-run"]).await;
    assert_eq!(dry.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        before.to_string(),
        "--dry-run wrote"
    );

    let done = run(&[
        "--profile",
        "work",
        "mcp",
        "install",
        "--client",
        "vscode",
        "--allow",
        "request",
    ])
    .await;
    assert_eq!(
        done.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let after: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(after["servers"]["other"], before["servers"]["other"]);
    assert_eq!(after["inputs"], json!([]));
    let c1 = &after["servers"]["c1"];
    assert_eq!(c1["type"], "stdio");
    assert_eq!(
        c1["args"],
        json!(["--profile", "work", "mcp", "serve", "--allow", "request"])
    );
    assert!(c1["command"].as_str().unwrap().ends_with("c1"), "{c1}");

    let claude = run(&["mcp", "install", "--client", "claude-code"]).await;
    assert_eq!(claude.status.code(), Some(0));
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(".mcp.json")).unwrap()).unwrap();
    assert_eq!(written["mcpServers"]["c1"]["args"], json!(["mcp", "serve"]));

    // The global options `mcp` does not honour are refused, not ignored.
    for refused in [
        &["mcp", "serve", "--dry-run"][..],
        &["mcp", "install", "--client", "cursor", "-o", "json"],
    ] {
        assert_eq!(run(refused).await.status.code(), Some(2), "{refused:?}");
    }
    assert!(!dir.join(".cursor").exists());

    std::fs::write(dir.join(".mcp.json"), "{ not json").unwrap();
    let broken = run(&["mcp", "install", "--client", "claude-code"]).await;
    assert_eq!(broken.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("not JSON"));
    assert_eq!(
        std::fs::read_to_string(dir.join(".mcp.json")).unwrap(),
        "{ not json"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_answer_is_capped_lists_that_do_not_page_and_single_answers_too() {
    let server = crate::fake_c1::strict_server().await;
    let clients: Vec<Value> = (0..80)
        .map(|i| json!({"id": format!("pc-{i}"), "displayName": "laptop"}))
        .collect();
    Mock::given(method("GET"))
        .and(path("/api/v1/iam/personal_clients"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"list": clients})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/apps/app-big"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"app": {"id": "app-big", "description": "d".repeat(60_000)}}),
            ),
        )
        .mount(&server)
        .await;
    let client = serve(&server, "capped", &[]).await;
    let args = json!({"operation": "personal_client.list", "limit": 5});
    let listed = call(&client, "call_operation", args).await;
    assert_eq!(answer(&listed)["list"].as_array().unwrap().len(), 5);
    let said = notes(&listed).join("\n");
    assert!(
        said.contains("Showing 5 of the 80 items of `list`"),
        "{said}"
    );

    let args = json!({"operation": "apps.get", "arguments": {"id": "app-big"}});
    let one = call(&client, "call_operation", args).await;
    assert!(answer(&one).to_string().len() <= 20_000);
    assert_eq!(answer(&one)["app"]["id"], "app-big");
    let said = notes(&one).join("\n");
    assert!(said.contains("`/app/description` to "), "{said}");
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_null_argument_is_one_not_given_for_every_tool() {
    let (server, _) = FakeC1::start().await;
    let client = serve(&server, "nulls", &[]).await;
    for (tool, args) in [
        ("search_operations", json!({"query": "apps", "limit": null})),
        (
            "search_catalog",
            json!({"query": "admin", "app": null, "limit": null, "fields": null}),
        ),
        (
            "has_access",
            json!({"entitlement": "aws-read", "app": null}),
        ),
        (
            "call_operation",
            json!({"operation": "apps.get", "arguments": {"id": "app-gh"}, "limit": null}),
        ),
    ] {
        let result = call(&client, tool, args.clone()).await;
        assert_ne!(
            result.is_error,
            Some(true),
            "{tool} {args}: {}",
            message(&result)
        );
    }
    // A missing argument is named whole, as the agent names it.
    let missing = call(
        &client,
        "call_operation",
        json!({"operation": "apps.get", "arguments": {}}),
    )
    .await;
    assert!(
        message(&missing).contains("`id` is required"),
        "{}",
        message(&missing)
    );
    client.cancel().await.unwrap();
}

/// The task tools' answer is what their output schema says.
fn conforms(tools: &[Tool], name: &str, result: &CallToolResult) {
    let tool = tools.iter().find(|t| t.name == name).unwrap();
    let schema = Value::Object((**tool.output_schema.as_ref().unwrap()).clone());
    let validator = jsonschema::validator_for(&schema).unwrap();
    let value = answer(result);
    if let Err(error) = validator.validate(value) {
        panic!("{name}: {error}: {value}");
    }
}

/// The link a task tool's answer carries to its ticket.
fn link(result: &CallToolResult) -> Option<String> {
    result.content.iter().find_map(|c| match c {
        rmcp::model::ContentBlock::ResourceLink(resource) => Some(resource.uri.clone()),
        _ => None,
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn task_tools_answer_in_brief_under_their_schema_and_a_retry_gets_the_same_task() {
    let (server, fake) = FakeC1::start().await;
    let client = serve(&server, "brief", &["--allow", "write"]).await;
    let tools = client.list_all_tools().await.unwrap();
    let request = json!({"entitlement": "aws-prod-admin", "justification": "incident 4211"});
    let requested = call(&client, "request_access", request.clone()).await;
    conforms(&tools, "request_access", &requested);
    let task = answer(&requested).clone();
    assert_eq!(task["state"], "open");
    assert_eq!(task["step"], "approval");
    assert_eq!(task["waitsOn"], json!([APPROVER]));
    assert_eq!(link(&requested).as_deref(), task["url"].as_str());
    assert!(
        requested.content[0].as_text().is_some(),
        "a text copy for older clients"
    );

    // An agent that retries gets the same task, not a second request.
    let again = call(&client, "request_access", request).await;
    assert_eq!(answer(&again)["id"], task["id"]);
    assert_eq!(answer(&again)["existing"], true);
    assert_eq!(fake.created(), 1);

    // wait_task: open while it is, closed with its outcome at the end.
    let id = task["id"].clone();
    let mut waits = 0;
    let closed = loop {
        waits += 1;
        let waited = call(&client, "wait_task", json!({"task": id, "timeout": 1})).await;
        conforms(&tools, "wait_task", &waited);
        if answer(&waited)["state"] == "closed" {
            break waited;
        }
        assert!(
            notes(&waited).join(" ").contains("call wait_task again"),
            "{waited:?}"
        );
        assert!(waits < 5, "{waited:?}");
    };
    assert_eq!(answer(&closed)["outcome"], "granted");
    assert_eq!(link(&closed).as_deref(), task["url"].as_str());

    let approved = call(&client, "approve_task", json!({"task": "t-100"})).await;
    conforms(&tools, "approve_task", &approved);
    let denied = call(
        &client,
        "deny_task",
        json!({"task": "t-101", "comment": "no"}),
    )
    .await;
    conforms(&tools, "deny_task", &denied);
    let held = call(
        &client,
        "revoke_access",
        json!({"entitlement": "aws-prod-admin"}),
    )
    .await;
    conforms(&tools, "revoke_access", &held);
    let bad = call(&client, "wait_task", json!({"task": id, "timeout": 600})).await;
    assert!(message(&bad).contains("from 1 to 60"), "{bad:?}");
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_task_ends_on_time_against_a_server_that_never_answers() {
    let (server, fake) = FakeC1::start().await;
    let client = serve(&server, "stalled", &["--allow", "request"]).await;
    let request = json!({"entitlement": "aws-prod-admin", "justification": "x"});
    let requested = call(&client, "request_access", request).await;
    let id = answer(&requested)["id"].clone();
    fake.set(Trouble {
        stall_reads: true,
        ..Trouble::default()
    });
    let started = Instant::now();
    let waited = call(&client, "wait_task", json!({"task": id, "timeout": 2})).await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(answer(&waited)["id"], id);
    assert_eq!(answer(&waited)["state"], "open");
    let said = notes(&waited).join(" ");
    assert!(said.contains("Not closed yet (waited"), "{said}");
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn request_access_that_waits_runs_as_an_mcp_task_where_the_client_runs_tasks() {
    use rmcp::model::{
        CallToolResponse, ClientCapabilities, ClientConfig, GetTaskParams, Implementation,
        TaskPayload,
    };
    let (server, fake) = FakeC1::start().await;
    fake.set(Trouble {
        close_at_once: true,
        ..Trouble::default()
    });
    let dir = scratch("mcp-task");
    let command = c1_command(&server.uri(), &dir, &["mcp", "serve", "--allow", "request"]);
    let (transport, _) = TokioChildProcess::builder(command)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let capabilities = ClientCapabilities::builder().enable_tasks().build();
    let info = ClientConfig::new(capabilities, Implementation::new("test", "1"));
    let client = info.serve(transport).await.unwrap();
    let args = json!({"entitlement": "aws-prod-admin", "justification": "x", "wait": true});
    let Value::Object(args) = args else {
        unreachable!()
    };
    let params = CallToolRequestParams::new("request_access").with_arguments(args);
    let created = match client.call_tool_once(params).await.unwrap() {
        CallToolResponse::Task(created) => created,
        other => panic!("not a task: {other:?}"),
    };
    let started = Instant::now();
    let done = loop {
        let got = client
            .peer()
            .get_task(GetTaskParams::new(created.task.task_id.clone()))
            .await
            .unwrap();
        if got.task.status().is_terminal() {
            break got.task;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{got:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let TaskPayload::Completed { result } = done.payload else {
        panic!("{done:?}");
    };
    let result: CallToolResult = serde_json::from_value(Value::Object(result)).unwrap();
    assert_eq!(answer(&result)["state"], "closed");
    assert_eq!(answer(&result)["outcome"], "granted");
    assert_eq!(fake.created(), 1);
    client.cancel().await.unwrap();

    // A client without tasks gets the answer at once, and how to wait.
    let client = serve(&server, "mcp-no-task", &["--allow", "request"]).await;
    let args =
        json!({"entitlement": "aws-read", "justification": "x", "wait": true, "force": true});
    let answered = call(&client, "request_access", args).await;
    assert_eq!(answer(&answered)["state"], "open");
    assert!(
        notes(&answered).join(" ").contains("Call wait_task"),
        "{answered:?}"
    );
    client.cancel().await.unwrap();
}
