//! `c1 mcp` as something to trust with one's identity: HTTP that needs
//! the server's token and refuses foreign hosts and origins, a log and a
//! standard error that never hold what an agent sent, secrets and
//! emergency access behind allowances of their own, an install that keeps
//! what it finds, and a server that serves many clients at once.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::transport::{StreamableHttpClientTransport, TokioChildProcess};
use serde_json::{Map, Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::Child;

use crate::fake_c1::FakeC1;
use crate::mcp::{Client, answer, c1_command, call, message, names, scratch, serve};

/// What a server said on standard error before it served, and where.
struct Http {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
    /// Every line it wrote before `serving`.
    said: Vec<String>,
}

/// `c1 mcp serve --http ARGS`, with `env` set, started and listening.
async fn serve_http(server: &str, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Http {
    let mut all = vec!["mcp", "serve", "--http"];
    all.extend(args);
    let mut command = c1_command(server, dir, &all);
    command.envs(env.iter().copied());
    let mut child = command
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut said = Vec::new();
    let addr = loop {
        let line = lines
            .next_line()
            .await
            .unwrap()
            .expect("c1 mcp serve said nothing");
        if let Some(url) = line.strip_prefix("c1 mcp: serving http://") {
            break url.trim_end_matches("/mcp").to_string();
        }
        said.push(line);
    };
    // Keep reading, so that it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Http { child, addr, said }
}

/// An MCP client of `http://ADDR/mcp` sending `token`.
async fn http_client(addr: &str, token: Option<&str>) -> Result<Client, String> {
    let mut config = StreamableHttpClientTransportConfig::with_uri(format!("http://{addr}/mcp"));
    if let Some(token) = token {
        config = config.auth_header(token);
    }
    ().serve(StreamableHttpClientTransport::from_config(config))
        .await
        .map_err(|e| e.to_string())
}

/// The status and headers of an `initialize` POSTed to `addr` with
/// `headers` (the `Host` among them, if any), by hand: any `Host` at all.
async fn post(addr: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"probe","version":"1"}}}"#;
    let mut request = format!(
        "POST /mcp HTTP/1.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await.unwrap();
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&answer).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head)
}

/// The token file a server named on standard error.
fn token_file(said: &[String]) -> PathBuf {
    let line = said
        .iter()
        .find_map(|l| l.split("the token in ").nth(1))
        .unwrap_or_else(|| panic!("no token file named: {said:?}"));
    PathBuf::from(line.split(" (or set").next().unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn http_needs_the_token_and_refuses_foreign_hosts_and_origins() {
    let (server, _) = FakeC1::start().await;
    let dir = scratch("http-token");
    let http = serve_http(&server.uri(), &dir, &["127.0.0.1:0"], &[]).await;
    let file = token_file(&http.said);
    assert!(file.starts_with(&dir), "{}", file.display());
    let token = std::fs::read_to_string(&file).unwrap();
    assert_eq!(token.len(), 64, "32 random bytes, in hex");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the token file is the user's alone");
    }
    assert!(
        !http.said.concat().contains(&token),
        "the token was printed"
    );

    // With the token, an agent is served.
    let client = http_client(&http.addr, Some(&token)).await.unwrap();
    assert_eq!(client.list_all_tools().await.unwrap().len(), 8);
    let me = call(&client, "whoami", json!({})).await;
    assert_eq!(answer(&me)["id"], crate::fake_c1::ME);
    client.cancel().await.unwrap();

    // Without it, or with another, nothing is.
    assert!(http_client(&http.addr, None).await.is_err());
    assert!(
        http_client(&http.addr, Some("not-the-token-at-all"))
            .await
            .is_err()
    );
    let bearer = format!("Bearer {token}");
    let host = ("Host", http.addr.as_str());
    let (status, head) = post(&http.addr, &[host]).await;
    assert_eq!(status, 401, "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("www-authenticate: bearer"),
        "{head}"
    );
    assert_eq!(
        post(&http.addr, &[host, ("Authorization", "Bearer nope")])
            .await
            .0,
        401
    );
    assert_eq!(
        post(&http.addr, &[host, ("Authorization", &bearer)])
            .await
            .0,
        200
    );

    // A page on the web (a foreign Origin, a rebound Host) is refused, token or not.
    for origin in ["https://evil.example", "null", "http://evil.example:8787"] {
        let (status, head) = post(
            &http.addr,
            &[host, ("Origin", origin), ("Authorization", &bearer)],
        )
        .await;
        assert_eq!(status, 403, "{origin}: {head}");
    }
    let local = format!("http://localhost:{}", http.addr.rsplit(':').next().unwrap());
    let allowed = [host, ("Origin", local.as_str()), ("Authorization", &bearer)];
    assert_eq!(post(&http.addr, &allowed).await.0, 200);
    let rebound = [
        ("Host", "evil.example:8787"),
        ("Authorization", bearer.as_str()),
    ];
    assert_eq!(post(&http.addr, &rebound).await.0, 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn how_http_listens_is_settled_at_start() {
    let (server, _) = FakeC1::start().await;
    let dir = scratch("http-start");
    let token = ("C1_MCP_TOKEN", "a-token-of-twenty-chars");
    let refused = |args: &'static [&'static str]| {
        let mut command = c1_command(&server.uri(), &dir, args);
        async move { command.output().await.unwrap() }
    };
    for (args, says) in [
        (&["mcp", "serve", "--http", "0.0.0.0:0"][..], "--listen-any"),
        (
            &[
                "mcp",
                "serve",
                "--http",
                "0.0.0.0:0",
                "--listen-any",
                "--no-auth",
            ],
            "loopback",
        ),
        (
            &[
                "mcp",
                "serve",
                "--http",
                "127.0.0.1:0",
                "--allowed-host",
                "http://x/",
            ],
            "--allowed-host",
        ),
    ] {
        let out = refused(args).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    let mut short = c1_command(
        &server.uri(),
        &dir,
        &["mcp", "serve", "--http", "127.0.0.1:0"],
    );
    let short = short.env("C1_MCP_TOKEN", "short").output().await.unwrap();
    assert_eq!(short.status.code(), Some(3), "a guessable token is refused");

    // Any loopback address serves (its requests name it as their Host).
    let other = serve_http(&server.uri(), &dir, &["127.0.0.2:0"], &[token]).await;
    assert!(
        other.said.iter().any(|l| l.contains("C1_MCP_TOKEN")),
        "{:?}",
        other.said
    );
    let client = http_client(&other.addr, Some(token.1)).await.unwrap();
    assert_eq!(client.list_all_tools().await.unwrap().len(), 8);
    client.cancel().await.unwrap();

    // --no-auth on loopback: no token asked, and it says what that means.
    let open = serve_http(&server.uri(), &dir, &["127.0.0.1:0", "--no-auth"], &[]).await;
    assert!(
        open.said.concat().contains("any local user"),
        "{:?}",
        open.said
    );
    let client = http_client(&open.addr, None).await.unwrap();
    client.cancel().await.unwrap();

    // --listen-any keeps the Host check, widened by --allowed-host.
    let any = serve_http(
        &server.uri(),
        &dir,
        &[
            "0.0.0.0:0",
            "--listen-any",
            "--allowed-host",
            "c1-box.internal",
        ],
        &[token],
    )
    .await;
    let port = any.addr.rsplit(':').next().unwrap().to_string();
    let addr = format!("127.0.0.1:{port}");
    let bearer = format!("Bearer {}", token.1);
    let named = format!("c1-box.internal:{port}");
    assert_eq!(
        post(&addr, &[("Host", &named), ("Authorization", &bearer)])
            .await
            .0,
        200
    );
    let other_name = format!("elsewhere.example:{port}");
    assert_eq!(
        post(&addr, &[("Host", &other_name), ("Authorization", &bearer)])
            .await
            .0,
        403
    );
    drop((other, open, any));
}

/// The text no log line and no line of standard error may hold.
const CANARY: &str = "c4n4ry";

/// Every argument of `schema` given a canary, in the shape its type
/// takes, and once more as a string whatever its type.
fn canary_calls(schema: &Map<String, Value>) -> Vec<Map<String, Value>> {
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let shaped = |name: &str, about: &Value| match about["type"].as_str() {
        Some("array") => json!([format!("{CANARY}-{name}")]),
        Some("object") => json!({format!("{CANARY}-{name}"): format!("{CANARY}-{name}")}),
        _ => json!(format!("{CANARY}-{name}")),
    };
    let every: Map<String, Value> = properties
        .iter()
        .map(|(name, about)| (name.clone(), shaped(name, about)))
        .collect();
    let mut calls = vec![every];
    for (name, about) in &properties {
        calls.push(Map::from_iter([(name.clone(), shaped(name, about))]));
    }
    calls.push(Map::from_iter([(
        format!("{CANARY}-unknown"),
        json!(CANARY),
    )]));
    calls
}

#[tokio::test(flavor = "multi_thread")]
async fn no_argument_an_agent_sends_reaches_the_log_or_standard_error() {
    let (server, _) = FakeC1::start().await;
    let dir = scratch("canary");
    let log = dir.join("calls.log");
    let args = [
        "mcp",
        "serve",
        "--allow",
        "write",
        "--allow-secrets",
        "--log",
    ];
    let mut all: Vec<&str> = args.to_vec();
    let log_arg = log.to_string_lossy().into_owned();
    all.push(&log_arg);
    let command = c1_command(&server.uri(), &dir, &all);
    let (transport, stderr) = TokioChildProcess::builder(command)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = stderr.unwrap();
    let stderr_text = tokio::spawn(async move {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text).await;
        text
    });
    let client: Client = ().serve(transport).await.unwrap();
    let tools = client.list_all_tools().await.unwrap();
    let mut calls = 0;
    for tool in &tools {
        for args in canary_calls(&tool.input_schema) {
            let params = CallToolRequestParams::new(tool.name.to_string()).with_arguments(args);
            client.call_tool(params).await.unwrap();
            calls += 1;
        }
    }
    // Calls that get further: past validation to the API (a 404, a
    // created task), a value the command refuses, a name no one has.
    let deep = [
        (
            "call_operation",
            json!({"operation": "apps.get", "arguments": {"id": format!("{CANARY}-404")}}),
        ),
        (
            "call_operation",
            json!({"operation": "apps.list", "arguments": {"page_size": CANARY}}),
        ),
        ("call_operation", json!({"operation": CANARY})),
        ("describe_operation", json!({"operation": CANARY})),
        ("has_access", json!({"entitlement": CANARY})),
        (
            "has_access",
            json!({"entitlement": "Member", "app": CANARY}),
        ),
        (
            "request_access",
            json!({"entitlement": "gh-owner", "justification": CANARY}),
        ),
        (
            "request_access",
            json!({"entitlement": "aws-read", "justification": "x", "duration": CANARY}),
        ),
        ("approve_task", json!({"task": CANARY, "comment": CANARY})),
        ("wait_task", json!({"task": CANARY, "timeout": 1})),
    ];
    for (tool, args) in deep {
        call(&client, tool, args).await;
        calls += 1;
    }
    let unknown = CallToolRequestParams::new(format!("{CANARY}_tool"));
    assert!(client.call_tool(unknown).await.is_err());
    client.cancel().await.unwrap();
    let stderr = stderr_text.await.unwrap();
    let log = std::fs::read_to_string(&log).unwrap();
    eprintln!("{calls} calls; {} log lines", log.lines().count());
    assert!(
        log.lines().count() >= calls,
        "a call was not logged:\n{log}"
    );
    assert!(log.contains("status=\"404\""), "{log}");
    assert!(log.contains("outcome=\"refused\""), "{log}");
    assert!(!log.contains(CANARY), "an argument is in the log:\n{log}");
    assert!(
        !stderr.contains(CANARY),
        "an argument is on standard error:\n{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn secrets_are_neither_listed_nor_served_without_allow_secrets() {
    let (server, _) = FakeC1::start().await;
    let secret = json!({"operation": "connector.get_credentials", "arguments": {"app_id": "app-aws", "connector_id": "c-1", "id": "cred-1"}});
    let sent = |requests: &[wiremock::Request]| {
        requests
            .iter()
            .filter(|r| r.url.path().contains("/credentials/"))
            .count()
    };
    for level in ["read", "write"] {
        let client = serve(&server, &format!("secrets-{level}"), &["--allow", level]).await;
        let found = call(
            &client,
            "search_operations",
            json!({"query": "connector credentials secret", "limit": 50}),
        )
        .await;
        let listed = answer(&found)["operations"].to_string();
        for name in [
            "connector.get_credentials",
            "paper_secret.get_by_share_code",
            "connector.rotate_credential",
        ] {
            assert!(
                !listed.contains(name),
                "--allow {level} lists {name}: {listed}"
            );
        }
        assert!(
            crate::mcp::notes(&found)
                .join(" ")
                .contains("--allow-secrets"),
            "{found:?}"
        );
        for name in [
            "connector.get_credentials",
            "paper_secret.get_by_share_code",
        ] {
            let described = call(&client, "describe_operation", json!({"operation": name})).await;
            assert!(message(&described).contains("--allow-secrets"), "{name}");
        }
        assert!(
            message(&call(&client, "call_operation", secret.clone()).await)
                .contains("--allow-secrets")
        );
        // A secret that writes names each flag it lacks.
        let rotate = json!({"operation": "connector.rotate_credential"});
        let said = message(&call(&client, "describe_operation", rotate).await);
        assert!(said.contains("--allow-secrets"), "{said}");
        assert_eq!(said.contains("--allow write"), level == "read", "{said}");
        client.cancel().await.unwrap();
    }
    assert_eq!(
        sent(&server.received_requests().await.unwrap()),
        0,
        "a secret was asked for"
    );

    let client = serve(&server, "secrets-allowed", &["--allow-secrets"]).await;
    let described = call(
        &client,
        "describe_operation",
        json!({"operation": "connector.get_credentials"}),
    )
    .await;
    assert_eq!(answer(&described)["sensitive"], true);
    call(&client, "call_operation", secret).await;
    assert_eq!(
        sent(&server.received_requests().await.unwrap()),
        1,
        "--allow-secrets serves it"
    );
    // Secrets do not widen the level: a secret that writes still needs write.
    let rotate = json!({"operation": "connector.rotate_credential"});
    assert!(message(&call(&client, "describe_operation", rotate).await).contains("--allow write"));
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn emergency_access_needs_allow_write() {
    let (server, fake) = FakeC1::start().await;
    let emergency =
        json!({"entitlement": "gh-owner", "justification": "outage", "emergency": true});
    let client = serve(&server, "emergency-request", &["--allow", "request"]).await;
    let refused = call(&client, "request_access", emergency.clone()).await;
    assert!(message(&refused).contains("--allow write"), "{refused:?}");
    assert_eq!(fake.created(), 0, "an emergency request was sent");
    let escalate = json!({"operation": "task_actions.escalate_to_emergency_access"});
    assert!(
        message(&call(&client, "describe_operation", escalate).await).contains("--allow write")
    );
    client.cancel().await.unwrap();

    let client = serve(&server, "emergency-write", &["--allow", "write"]).await;
    answer(&call(&client, "request_access", emergency).await);
    assert_eq!(fake.created(), 1);
    client.cancel().await.unwrap();
}

/// `c1 mcp install ARGS` in `dir` with `HOME` there too.
async fn install(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["mcp", "install"];
    all.extend(args);
    c1_command("http://127.0.0.1:9", dir, &all)
        .output()
        .await
        .unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn install_keeps_the_mode_the_link_and_the_other_servers() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("install-keeps");
    // A 0600 file, reached through a symlink, holding another server's token.
    let real = dir.join("dotfiles/mcp.json");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    let other = json!({"mcpServers": {"other": {"type": "http", "url": "https://x", "headers": {"Authorization": "Bearer other-secret"}}}});
    std::fs::write(&real, other.to_string()).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink("dotfiles/mcp.json", dir.join(".mcp.json")).unwrap();

    let out = install(&dir, &["--client", "claude-code", "--allow-secrets"]).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = std::fs::symlink_metadata(dir.join(".mcp.json")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the mode was not kept");
    let written = read_json(&real);
    assert_eq!(written["mcpServers"]["other"], other["mcpServers"]["other"]);
    assert_eq!(
        written["mcpServers"]["c1"]["args"],
        json!(["mcp", "serve", "--allow-secrets"])
    );
    let leftovers: Vec<_> = std::fs::read_dir(real.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "mcp.json")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn install_writes_user_files_and_http_servers_as_each_agent_documents() {
    let dir = scratch("install-user");
    let user_files = [
        ("claude-code", dir.join(".claude.json"), "mcpServers"),
        ("cursor", dir.join(".cursor/mcp.json"), "mcpServers"),
        ("vscode", dir.join(".config/Code/User/mcp.json"), "servers"),
    ];
    // ~/.claude.json holds much besides servers: all of it is kept.
    std::fs::write(
        dir.join(".claude.json"),
        r#"{"numStartups": 3, "projects": {"/x": {}}}"#,
    )
    .unwrap();
    for (client, path, key) in &user_files {
        let out = install(&dir, &["--client", client, "--user"]).await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{client}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let written = read_json(path);
        assert_eq!(
            written[key]["c1"]["args"],
            json!(["mcp", "serve"]),
            "{client}"
        );
    }
    assert_eq!(read_json(&dir.join(".claude.json"))["numStartups"], 3);
    assert!(!dir.join(".mcp.json").exists() && !dir.join(".vscode").exists());

    let url = "http://127.0.0.1:8787/mcp";
    let expected = [
        (
            "claude-code",
            ".mcp.json",
            "mcpServers",
            json!({"type": "http", "url": url, "headers": {"Authorization": "Bearer ${C1_MCP_TOKEN}"}}),
        ),
        (
            "cursor",
            ".cursor/mcp.json",
            "mcpServers",
            json!({"url": url, "headers": {"Authorization": "Bearer ${env:C1_MCP_TOKEN}"}}),
        ),
        (
            "vscode",
            ".vscode/mcp.json",
            "servers",
            json!({"type": "http", "url": url, "headers": {"Authorization": "Bearer ${input:c1-mcp-token}"}}),
        ),
    ];
    for (client, file, key, server) in &expected {
        let out = install(&dir, &["--client", client, "--http", url]).await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{client}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(read_json(&dir.join(file))[key]["c1"], *server, "{client}");
    }
    // VS Code asks for the token once, as a password; twice installed, one input.
    install(&dir, &["--client", "vscode", "--http", url]).await;
    let inputs = read_json(&dir.join(".vscode/mcp.json"))["inputs"].clone();
    assert_eq!(inputs.as_array().unwrap().len(), 1, "{inputs}");
    assert_eq!(inputs[0]["password"], true);
    // The level is the server's: it is refused here.
    let out = install(
        &dir,
        &["--client", "cursor", "--http", url, "--allow", "write"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
}

/// `--npx` runs the npm package of this very version (`cargo xtask dist`
/// makes it, named after this crate), never stopping to ask (`-y`), with
/// the same arguments as the path form; it is the stdio form, so `--http`
/// is refused beside it.
#[tokio::test(flavor = "multi_thread")]
async fn install_npx_runs_this_version_from_npm() {
    let dir = scratch("install-npx");
    let out = install(&dir, &["--client", "cursor", "--npx", "--allow", "request"]).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let package = format!("c1-cli@{}", env!("CARGO_PKG_VERSION"));
    let npx = if cfg!(windows) {
        vec!["/c", "npx", "-y", &package]
    } else {
        vec!["-y", &package]
    };
    let args = [npx, vec!["mcp", "serve", "--allow", "request"]].concat();
    let command = if cfg!(windows) { "cmd" } else { "npx" };
    let expected = json!({"command": command, "args": args});
    assert_eq!(
        read_json(&dir.join(".cursor/mcp.json"))["mcpServers"]["c1"],
        expected
    );
    let out = install(
        &dir,
        &[
            "--client",
            "cursor",
            "--npx",
            "--http",
            "http://127.0.0.1:8787/mcp",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
}

/// The most memory (resident, at its peak) `pid` has used, in KiB.
#[cfg(target_os = "linux")]
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The most memory the server may take serving 20 clients at once.
#[cfg(target_os = "linux")]
const MAX_PEAK_KIB: u64 = 150 * 1024;

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread")]
async fn twenty_clients_at_once_are_all_served_in_bounded_memory() {
    let (server, _) = FakeC1::start().await;
    let dir = scratch("http-load");
    let token = "a-token-for-the-load-test";
    let http = serve_http(
        &server.uri(),
        &dir,
        &["127.0.0.1:0"],
        &[("C1_MCP_TOKEN", token)],
    )
    .await;
    let pid = http.child.id().unwrap();
    let idle = peak_kib(pid);
    let clients = (0..20).map(|i| {
        let addr = http.addr.clone();
        tokio::spawn(async move {
            let client = http_client(&addr, Some(token)).await.unwrap();
            let mut ok = 0;
            for n in 0..50 {
                let (tool, args) = match n % 3 {
                    0 => ("whoami", json!({})),
                    1 => ("search_operations", json!({"query": "list apps"})),
                    _ => ("call_operation", json!({"operation": "apps.get", "arguments": {"id": "app-aws"}, "fields": ["app.id"]})),
                };
                let result = call(&client, tool, args).await;
                if result.is_error != Some(true) {
                    ok += 1;
                }
            }
            assert_eq!(names(&client.list_all_tools().await.unwrap()).len(), 8, "client {i}");
            client.cancel().await.unwrap();
            ok
        })
    });
    let mut ok = 0;
    for client in clients.collect::<Vec<_>>() {
        ok += client.await.unwrap();
    }
    let peak = peak_kib(pid);
    eprintln!(
        "20 clients x 50 calls: {ok} succeeded; server memory at its peak {} KiB (idle {} KiB)",
        peak, idle
    );
    assert_eq!(ok, 20 * 50);
    assert!(peak < MAX_PEAK_KIB, "{peak} KiB");
}
