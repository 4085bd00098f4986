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

use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches, Command};

pub use self::allow::{Allow, Allowance};
pub use self::tools::Tools;
use crate::{Failure, config};

/// The `mcp` command: `serve` and `install`.
pub fn command() -> Command {
    Command::new("mcp")
        .about("The C1 API for AI agents (Model Context Protocol): serve it, or set an agent up to run it")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(serve_command())
        .subcommand(install::command().args(allow_args()))
}

fn serve_command() -> Command {
    Command::new("serve")
        .about("Serve the C1 API to an agent over stdio (default) or HTTP; only reads unless --allow says more")
        .args(allow_args())
        .args(http::args())
        .arg(
            Arg::new("log")
                .long("log")
                .value_name("FILE")
                .help("Append the log of calls to FILE (default: standard error); it never holds what an agent sent"),
        )
}

/// `--allow LEVEL` and `--allow-secrets`.
fn allow_args() -> [Arg; 2] {
    [
        Arg::new("allow")
            .long("allow")
            .value_name("LEVEL")
            .value_parser(Allow::NAMES)
            .default_value("read")
            .help("read: operations that read; request: also request and revoke access and comment on tasks; write: every operation, approving and denying tasks, and emergency access requests"),
        Arg::new("allow-secrets")
            .long("allow-secrets")
            .action(ArgAction::SetTrue)
            .help("Also list and serve the operations whose answers carry secrets (credentials, paper secrets, functions' code), at any level"),
    ]
}

/// The allowance `--allow` and `--allow-secrets` give.
fn allowance(matches: &ArgMatches) -> Allowance {
    let name = matches.get_one::<String>("allow");
    Allowance {
        level: name.and_then(|n| Allow::named(n)).unwrap_or(Allow::Read),
        secrets: matches.get_flag("allow-secrets"),
    }
}

/// Whether `--allow` or `--allow-secrets` was given (not defaulted).
fn allowance_given(matches: &ArgMatches) -> bool {
    matches.value_source("allow") == Some(ValueSource::CommandLine)
        || matches.get_flag("allow-secrets")
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
    let tools = Tools::new(allowance(matches), config::connect(profile)?)?;
    let server = server::Server::new(tools);
    match listen {
        None => server.stdio().await,
        Some(listen) => http::serve(server, listen).await,
    }
}
