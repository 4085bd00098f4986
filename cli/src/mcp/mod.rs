//! `c1 mcp`: the C1 API for AI agents over the Model Context Protocol.
//! `c1 mcp serve` is a server (official Rust SDK, `rmcp`) over stdio or
//! streamable HTTP, signed in as `c1` is; `c1 mcp install` writes an
//! agent's configuration to run it or reach it.
//!
//! The modules, each using only those listed before it: `arguments` (what
//! an agent may give), `catalog` (the operations), `allow` (what a server
//! allows), `answers` (what an agent gets back), `table` (the tools),
//! `tools` (calling them), `log` (one line per call), `server` (the MCP
//! handler), `http` (serving it over HTTP, guarded), `install`.
//!
//! No panic reaches an agent's call: this code unwraps nothing (the lints
//! below hold it), and `cargo fuzz run mcp_tools` calls every tool with
//! arbitrary arguments (see the README's threat model).
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod allow;
mod answers;
mod arguments;
mod catalog;
mod http;
mod install;
mod log;
mod server;
mod table;
mod tools;

use std::net::SocketAddr;

use clap::{Arg, ArgMatches, Command};

use self::tools::Tools;
use crate::{Failure, config};

/// The `mcp` command: `serve` and `install`.
pub fn command() -> Command {
    Command::new("mcp")
        .about("The C1 API for AI agents (Model Context Protocol): serve it, or set an agent up to run it")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(serve_command())
        .subcommand(install::command().args(allow::args()))
}

fn serve_command() -> Command {
    Command::new("serve")
        .about("Serve the C1 API to an agent over stdio (default) or HTTP; only reads unless --allow says more")
        .args(allow::args())
        .args(http::args())
        .arg(
            Arg::new("log")
                .long("log")
                .value_name("FILE")
                .help("Append the log of calls to FILE (default: standard error); it never holds what an agent sent"),
        )
}

/// Runs `c1 mcp serve` or `c1 mcp install`.
pub async fn run(
    matches: &ArgMatches,
    profile: Option<&str>,
    dry_run: bool,
) -> Result<(), Failure> {
    match matches.subcommand() {
        Some(("serve", matches)) => serve(matches, profile).await,
        Some(("install", matches)) => install::run(matches, profile, dry_run),
        _ => Err(Failure::usage("`c1 mcp` needs serve or install".into())),
    }
}

/// `c1 mcp serve`: checks how it is to listen, signs in, then serves until
/// the agent leaves (stdio) or forever (HTTP).
async fn serve(matches: &ArgMatches, profile: Option<&str>) -> Result<(), Failure> {
    let listen = matches
        .get_one::<SocketAddr>("http")
        .map(|addr| http::Listen::new(*addr, matches))
        .transpose()
        .map_err(Failure::usage)?;
    log::start(matches.get_one::<String>("log").map(std::path::Path::new))?;
    let tools = Tools::new(allow::given(matches), config::connect(profile)?)?;
    let server = server::Server::new(tools);
    match listen {
        None => server.stdio().await,
        Some(listen) => http::serve(server, listen).await,
    }
}

/// Every tool, called in this process as a server calls it: what the fuzz
/// target (`fuzz/mcp/fuzz_targets/mcp_tools.rs`) sends arbitrary arguments to.
#[cfg(fuzzing)]
pub struct Fuzzing {
    tools: Tools,
}

#[cfg(fuzzing)]
impl Fuzzing {
    /// The tools at the widest allowance (`--allow write --allow-secrets`),
    /// calling with `client`.
    pub fn new(client: c1_client::Client) -> Result<Self, Failure> {
        let widest = allow::Allowance {
            level: allow::Allow::Write,
            secrets: true,
        };
        Ok(Fuzzing {
            tools: Tools::new(widest, client)?,
        })
    }

    /// The tools' names, as `tools/list` gives them.
    pub fn names(&self) -> Vec<&'static str> {
        self.tools
            .list()
            .into_iter()
            .map(|tool| tool.name)
            .collect()
    }

    /// Calls `tool` with `args`; whether it answered (not an error).
    pub async fn call(&self, tool: &str, args: serde_json::Map<String, serde_json::Value>) -> bool {
        self.tools.call(tool, args).await.result.is_ok()
    }
}
