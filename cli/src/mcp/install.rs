//! `c1 mcp install`: writes an agent's configuration to run `c1 mcp serve`
//! (stdio) or reach one already serving (`--http URL`), in this project
//! (default) or for the user (`--user`), where each agent documents it.
//! The file keeps everything else: other servers and settings, its mode,
//! and, when it is a symlink, the link (its target is written). `--npx`
//! writes the entry as `npx -y c1-cli@VERSION mcp serve` (the npm package
//! `cargo xtask dist` makes, named after this crate), for a configuration
//! shared with people who have Node but not `c1`.

use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{Map, Value, json};

use super::allow::Allow;
use super::http::TOKEN_VAR;
use crate::Failure;
use crate::files::{Mode, write_atomically};

/// The agents `--client` takes.
const CLIENTS: [&str; 3] = ["claude-code", "cursor", "vscode"];

/// VS Code's input that asks for the token, once, and keeps it secret.
const VSCODE_INPUT: &str = "c1-mcp-token";

/// The `install` command, without `--allow` (see `allow::args`).
pub fn command() -> Command {
    Command::new("install")
        .about("Set an agent up to run `c1 mcp serve` (or reach one over HTTP): writes its configuration, keeping its other servers")
        .arg(
            Arg::new("client")
                .long("client")
                .value_name("AGENT")
                .required(true)
                .value_parser(CLIENTS)
                .help("The agent: claude-code (.mcp.json), cursor (.cursor/mcp.json) or vscode (.vscode/mcp.json)"),
        )
        .arg(
            Arg::new("user")
                .long("user")
                .action(ArgAction::SetTrue)
                .help("Write the agent's user-level file (every project of yours) instead of this directory's: ~/.claude.json, ~/.cursor/mcp.json, VS Code's user mcp.json"),
        )
        .arg(
            Arg::new("npx")
                .long("npx")
                .action(ArgAction::SetTrue)
                .conflicts_with("http")
                .help("Run the server as `npx -y c1-cli@VERSION mcp serve` (this version, from npm) rather than this c1 by its path: for a configuration shared with people who have Node but not c1"),
        )
        .arg(
            Arg::new("http")
                .long("http")
                .value_name("URL")
                .help("Reach a `c1 mcp serve --http` already running at URL (http://127.0.0.1:8787/mcp), its token read from C1_MCP_TOKEN (VS Code asks for it once)"),
        )
}

/// Runs `c1 mcp install`: adds (or replaces) the server `c1` in the
/// agent's file; `--dry-run` prints the file instead.
pub fn run(matches: &ArgMatches, profile: Option<&str>, dry_run: bool) -> Result<(), Failure> {
    let client = matches
        .get_one::<String>("client")
        .map_or("claude-code", String::as_str);
    let (path, key) = file(client, matches.get_flag("user"))?;
    let (server, says) = match matches.get_one::<String>("http") {
        Some(url) => {
            if super::allow::on_command_line(matches) {
                return Err(Failure::usage(
                    "--allow and --allow-secrets are the server's: give them to `c1 mcp serve --http`, not with --http here".into(),
                ));
            }
            (http_server(client, url)?, format!("reaches {url}"))
        }
        None => stdio_server(client, matches, profile)?,
    };
    let mut file = read(&path)?;
    let servers = file.entry(key).or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(servers) = servers else {
        return Err(Failure::config(format!(
            "{}: `{key}` is not an object; not changed",
            path.display()
        )));
    };
    servers.insert("c1".into(), server);
    if client == "vscode" && matches.contains_id("http") {
        vscode_input(&mut file, &path)?;
    }
    let text = serde_json::to_string_pretty(&Value::Object(file)).unwrap_or_default() + "\n";
    if dry_run {
        eprintln!("c1: would write {}:", path.display());
        return crate::output::write_line(text.trim_end());
    }
    write_atomically(&path, text.as_bytes(), Mode::Keep(0o644))
        .map_err(|e| Failure::config(format!("{}: cannot write: {e}", path.display())))?;
    eprintln!("c1: {client} now {says} (in {})", path.display());
    Ok(())
}

/// The server entry that runs `c1 mcp serve` as this command line asks,
/// and what it says of it.
fn stdio_server(
    client: &str,
    matches: &ArgMatches,
    profile: Option<&str>,
) -> Result<(Value, String), Failure> {
    let mut args: Vec<String> = Vec::new();
    if let Some(profile) = profile {
        args.extend(["--profile".into(), profile.into()]);
    }
    args.extend(["mcp".into(), "serve".into()]);
    let allowance = super::allow::given(matches);
    if allowance.level != Allow::Read {
        args.extend(["--allow".into(), allowance.level.name().into()]);
    }
    if allowance.secrets {
        args.push("--allow-secrets".into());
    }
    let (command, args, says) = if matches.get_flag("npx") {
        let (command, args) = npx(args);
        let says = format!("runs `{command} {}`", args.join(" "));
        (command.to_string(), args, says)
    } else {
        let exe = std::env::current_exe()
            .map_err(|e| Failure::config(format!("cannot tell where c1 is: {e}")))?;
        let says = format!("runs `c1 {}`", args.join(" "));
        (exe.to_string_lossy().into_owned(), args, says)
    };
    let mut server = Map::from_iter([
        ("command".to_string(), json!(command)),
        ("args".to_string(), json!(args)),
    ]);
    if client != "cursor" {
        server.insert("type".into(), json!("stdio"));
    }
    Ok((Value::Object(server), says))
}

/// The command and arguments that run `c1 ARGS` from npm, this version:
/// `npx -y` (which never stops to ask, as it would on the agent's stdio),
/// through `cmd /c` on Windows, where `npx` is a batch file agents cannot
/// start themselves.
fn npx(args: Vec<String>) -> (&'static str, Vec<String>) {
    let package = format!("{}@{}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
    let npx = ["npx".to_string(), "-y".into(), package];
    if cfg!(windows) {
        let cmd = ["/c".to_string()].into_iter().chain(npx).chain(args);
        ("cmd", cmd.collect())
    } else {
        ("npx", npx.into_iter().skip(1).chain(args).collect())
    }
}

/// The server entry that reaches `url` with the token, as the agent
/// documents a header from the environment (Claude Code `${VAR}`, Cursor
/// `${env:VAR}`) or from a secret input (VS Code `${input:ID}`).
fn http_server(client: &str, url: &str) -> Result<Value, Failure> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(Failure::usage(format!(
            "--http {url}: give the server's URL, http://HOST:PORT/mcp"
        )));
    }
    let token = match client {
        "cursor" => format!("${{env:{TOKEN_VAR}}}"),
        "vscode" => format!("${{input:{VSCODE_INPUT}}}"),
        _ => format!("${{{TOKEN_VAR}}}"),
    };
    let headers = json!({"Authorization": format!("Bearer {token}")});
    Ok(match client {
        "cursor" => json!({"url": url, "headers": headers}),
        _ => json!({"type": "http", "url": url, "headers": headers}),
    })
}

/// Adds (or replaces) VS Code's input that asks for the token, keeping the others.
fn vscode_input(file: &mut Map<String, Value>, path: &std::path::Path) -> Result<(), Failure> {
    let inputs = file.entry("inputs").or_insert_with(|| json!([]));
    let Value::Array(inputs) = inputs else {
        return Err(Failure::config(format!(
            "{}: `inputs` is not a list; not changed",
            path.display()
        )));
    };
    inputs.retain(|input| input["id"] != VSCODE_INPUT);
    inputs.push(json!({
        "type": "promptString",
        "id": VSCODE_INPUT,
        "description": format!("The token of `c1 mcp serve --http` ({TOKEN_VAR}, or the file it names at start)"),
        "password": true,
    }));
    Ok(())
}

/// The file the agent reads its MCP servers from, and the key that holds
/// them: this directory's, or with `user` the user's.
fn file(client: &str, user: bool) -> Result<(PathBuf, &'static str), Failure> {
    let key = if client == "vscode" {
        "servers"
    } else {
        "mcpServers"
    };
    if !user {
        let path = match client {
            "cursor" => ".cursor/mcp.json",
            "vscode" => ".vscode/mcp.json",
            _ => ".mcp.json",
        };
        return Ok((PathBuf::from(path), key));
    }
    let home = || {
        std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
            .ok_or_else(|| Failure::config("--user: neither HOME nor USERPROFILE is set".into()))
    };
    let path = match client {
        "cursor" => home()?.join(".cursor").join("mcp.json"),
        "vscode" => vscode_user_dir(home()?)?.join("mcp.json"),
        _ => home()?.join(".claude.json"),
    };
    Ok((path, key))
}

/// VS Code's user settings directory on this system.
fn vscode_user_dir(home: PathBuf) -> Result<PathBuf, Failure> {
    if cfg!(target_os = "macos") {
        return Ok(home.join("Library/Application Support/Code/User"));
    }
    if cfg!(windows) {
        let appdata = std::env::var_os("APPDATA").filter(|a| !a.is_empty());
        let roaming = appdata.map_or_else(|| home.join("AppData").join("Roaming"), PathBuf::from);
        return Ok(roaming.join("Code").join("User"));
    }
    Ok(crate::config::user_config()?.join("Code").join("User"))
}

/// The agent's configuration file as an object: empty when there is none.
fn read(path: &std::path::Path) -> Result<Map<String, Value>, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Map::new()),
        Err(e) => {
            return Err(Failure::config(format!(
                "{}: cannot read: {e}",
                path.display()
            )));
        }
    };
    match serde_json::from_str(text.trim_start_matches('\u{feff}')) {
        Ok(Value::Object(file)) => Ok(file),
        Ok(_) => Err(Failure::config(format!(
            "{}: not a JSON object; not changed",
            path.display()
        ))),
        Err(e) => Err(Failure::config(format!(
            "{}: not JSON ({e}); not changed",
            path.display()
        ))),
    }
}
