//! An MCP handshake over stdio, as an agent's client makes one: initialize,
//! the initialized notification, `tools/list`; every read bounded in time.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::Running;

/// How long the server gets to answer each request.
const ANSWER: Duration = Duration::from_secs(30);

/// What the server said of itself and its tools.
pub struct Handshake {
    /// `serverInfo` of the initialize result: `name version`.
    pub server: String,
    /// Each tool's name and description.
    pub tools: Vec<(String, String)>,
}

/// Credentials that let `c1 mcp serve` start and reach nothing: the
/// handshake calls no tool.
const OFFLINE_ENV: [(&str, &str); 2] = [
    ("CONDUCTORONE_ACCESS_TOKEN", "dist-check"),
    ("CONDUCTORONE_SERVER_URL", "http://127.0.0.1:9"),
];

/// `command` without the caller's settings of `c1` (its `CONDUCTORONE_*`
/// and `C1_*` variables, its HOME and config directory): `home` instead.
pub fn isolated(command: &mut Command, home: &Path) -> Result<()> {
    std::fs::create_dir_all(home)?;
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CONDUCTORONE_") || name.starts_with("C1_") {
            command.env_remove(name.as_ref());
        }
    }
    command.env("HOME", home).env_remove("XDG_CONFIG_HOME");
    Ok(())
}

/// `c1 mcp serve ARGS` run by `command` (the binary, or what starts it),
/// signed in to nowhere, with `home` as its HOME.
pub fn offline_server(mut command: Command, args: &[&str], home: &Path) -> Result<Command> {
    isolated(&mut command, home)?;
    command.args(["mcp", "serve"]).args(args).envs(OFFLINE_ENV);
    Ok(command)
}

/// Starts `command` (which runs `c1 mcp serve` one way or another) and
/// makes the handshake.
pub fn handshake(mut command: Command) -> Result<Handshake> {
    // The program and its arguments: never the environment, which holds credentials.
    let shown = std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ");
    let child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("starting {shown}"))?;
    let mut running = Running(child);
    let mut stdin = running.0.stdin.take().context("the server's stdin")?;
    let stdout = running.0.stdout.take().context("the server's stdout")?;
    let (lines, answers) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let messages = [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "cargo-xtask-dist", "version": "1"},
        }}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
    ];
    for message in messages {
        writeln!(stdin, "{message}").with_context(|| format!("writing to {shown}"))?;
    }
    stdin.flush()?;
    let initialized = answer(&answers, 1, &shown)?;
    let listed = answer(&answers, 2, &shown)?;
    drop(stdin);
    let info = &initialized["serverInfo"];
    let server = format!(
        "{} {}",
        info["name"].as_str().unwrap_or_default(),
        info["version"].as_str().unwrap_or_default()
    );
    let tools = listed["tools"]
        .as_array()
        .map(|tools| {
            tools
                .iter()
                .map(|tool| {
                    let text = |key: &str| tool[key].as_str().unwrap_or_default().to_string();
                    (text("name"), text("description"))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Handshake { server, tools })
}

/// The result of the answer to request `id`, skipping notifications.
fn answer(
    answers: &mpsc::Receiver<std::io::Result<String>>,
    id: u64,
    shown: &str,
) -> Result<Value> {
    loop {
        let line = match answers.recv_timeout(ANSWER) {
            Ok(line) => line?,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                bail!("{shown} did not answer request {id} within {ANSWER:?}")
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                bail!("{shown} closed its output before answering request {id}")
            }
        };
        let message: Value = serde_json::from_str(&line)
            .with_context(|| format!("{shown} wrote a line that is not JSON: {line}"))?;
        if message["id"] != json!(id) {
            continue;
        }
        if let Some(error) = message.get("error") {
            bail!("{shown} answered request {id} with an error: {error}");
        }
        return Ok(message["result"].clone());
    }
}
