//! `c1 mcp`: the C1 API for AI agents over the Model Context Protocol.
//! `c1 mcp serve` is a server (official Rust SDK, `rmcp`) over stdio or
//! streamable HTTP, signed in as `c1` is, offering the tools of `tools.rs`;
//! `c1 mcp install` writes an agent's configuration to run it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Arg, ArgAction, ArgMatches, Command};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, CancelTaskParams, ContentBlock,
    CreateTaskResult, GetTaskParams, GetTaskResult, Implementation, ListToolsResult,
    PaginatedRequestParams, Resource, ServerCapabilities, ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::{RequestContext, RoleServer};
use rmcp::task_manager::{TaskContext, TaskExit, TaskManager, TaskOptions};
use rmcp::{ErrorData, ServerHandler, ServiceExt};
use serde_json::{Map, Value, json};

use crate::answers::{Outcome, error_json};
use crate::tools::{Allow, ToolInfo, Tools};
use crate::{Failure, config};

/// The `mcp` command: `serve` and `install`.
pub fn command() -> Command {
    Command::new("mcp")
        .about("The C1 API for AI agents (Model Context Protocol): serve it, or set an agent up to run it")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("serve")
                .about("Serve the C1 API to an agent over stdio (default) or HTTP; only reads unless --allow says more")
                .arg(allow_arg())
                .arg(
                    Arg::new("http")
                        .long("http")
                        .value_name("ADDR")
                        .value_parser(clap::value_parser!(SocketAddr))
                        .help("Serve streamable HTTP at http://ADDR/mcp (127.0.0.1:PORT; port 0 picks one) instead of stdio"),
                )
                .arg(
                    Arg::new("listen-any")
                        .long("listen-any")
                        .action(ArgAction::SetTrue)
                        .requires("http")
                        .help("Let --http listen on an address other than loopback: anyone who reaches it acts as you"),
                )
                .arg(
                    Arg::new("log")
                        .long("log")
                        .value_name("FILE")
                        .help("Append the log of calls to FILE (default: standard error)"),
                ),
        )
        .subcommand(
            Command::new("install")
                .about("Set an agent up to run `c1 mcp serve`: writes its configuration in this directory, keeping its other servers")
                .arg(
                    Arg::new("client")
                        .long("client")
                        .value_name("AGENT")
                        .required(true)
                        .value_parser(["claude-code", "cursor", "vscode"])
                        .help("The agent: claude-code (.mcp.json), cursor (.cursor/mcp.json) or vscode (.vscode/mcp.json)"),
                )
                .arg(allow_arg()),
        )
}

fn allow_arg() -> Arg {
    Arg::new("allow")
        .long("allow")
        .value_name("LEVEL")
        .value_parser(Allow::NAMES)
        .default_value("read")
        .help("read: operations that read; request: also request and revoke access and comment on tasks; write: every operation, and approving and denying tasks")
}

/// Runs `c1 mcp serve` or `c1 mcp install`.
pub async fn run(
    matches: &ArgMatches,
    profile: Option<&str>,
    dry_run: bool,
) -> Result<(), Failure> {
    match matches.subcommand() {
        Some(("serve", matches)) => serve(matches, profile).await,
        Some(("install", matches)) => install(matches, profile, dry_run),
        _ => Err(Failure::usage("`c1 mcp` needs serve or install".into())),
    }
}

fn allow(matches: &ArgMatches) -> Allow {
    let name = matches.get_one::<String>("allow");
    name.and_then(|n| Allow::named(n)).unwrap_or(Allow::Read)
}

/// `c1 mcp serve`: signs in, then serves until the agent leaves.
async fn serve(matches: &ArgMatches, profile: Option<&str>) -> Result<(), Failure> {
    let http = matches.get_one::<SocketAddr>("http").copied();
    if let Some(addr) = http {
        if !addr.ip().is_loopback() && !matches.get_flag("listen-any") {
            return Err(Failure::usage(format!(
                "--http {addr} is not a loopback address: anyone who reaches it would act as you; give --listen-any to mean it"
            )));
        }
    }
    start_log(matches.get_one::<String>("log").map(Path::new))?;
    let tools = Tools::new(allow(matches), config::connect(profile)?)?;
    let server = Server {
        tools: Arc::new(tools),
        tasks: TaskManager::new(),
    };
    match http {
        None => stdio(server).await,
        Some(addr) => serve_http(server, addr, matches.get_flag("listen-any")).await,
    }
}

async fn stdio(server: Server) -> Result<(), Failure> {
    let running = server
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| Failure::config(format!("mcp: cannot start: {e}")))?;
    running
        .waiting()
        .await
        .map_err(|e| Failure::config(format!("mcp: {e}")))?;
    Ok(())
}

/// Serves streamable HTTP at `addr`, one connection at a time each on its task.
async fn serve_http(server: Server, addr: SocketAddr, any_host: bool) -> Result<(), Failure> {
    use rmcp::transport::streamable_http_server::{
        StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager,
    };
    let mut config = StreamableHttpServerConfig::default();
    if any_host {
        config = config.disable_allowed_hosts();
    }
    let service = StreamableHttpService::new(
        move || Ok(server.clone()),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure::config(format!("--http {addr}: cannot listen: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| Failure::config(format!("--http {addr}: {e}")))?;
    eprintln!("c1 mcp: serving http://{bound}/mcp");
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!(target: "c1::mcp", error = %e, "cannot accept a connection");
                continue;
            }
        };
        let service = hyper_util::service::TowerToHyperService::new(service.clone());
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            let served = hyper::server::conn::http1::Builder::new()
                .serve_connection(io, service)
                .await;
            if let Err(e) = served {
                tracing::debug!(target: "c1::mcp", error = %e, "connection closed");
            }
        });
    }
}

/// Logs to `file` (appended) or standard error: `c1`'s calls, and only the
/// warnings of the libraries under it, whose debug lines could hold what
/// an agent sent.
fn start_log(file: Option<&Path>) -> Result<(), Failure> {
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::fmt::writer::BoxMakeWriter;
    use tracing_subscriber::prelude::*;
    let writer = match file {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| Failure::config(format!("--log {}: {e}", path.display())))?;
            BoxMakeWriter::new(Arc::new(file))
        }
        None => BoxMakeWriter::new(std::io::stderr),
    };
    let targets = Targets::new()
        .with_target("c1::mcp", tracing::Level::INFO)
        .with_default(tracing::Level::WARN);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(false)
        .with_filter(targets);
    // A second `serve` in one process (tests) keeps the first subscriber.
    let _ = tracing_subscriber::registry().with(layer).try_init();
    Ok(())
}

/// The MCP server: the tools, and the MCP tasks running (a
/// `request_access` that waits for its decision), shared by every session.
#[derive(Clone)]
struct Server {
    tools: Arc<Tools>,
    tasks: TaskManager,
}

/// The longest an MCP task waits for an access request's decision; then
/// it completes with the request still open, and wait_task goes on.
const TASK_WAIT: Duration = Duration::from_secs(3600);

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        let capabilities = ServerCapabilities::builder()
            .enable_tools()
            .enable_tasks()
            .build();
        ServerConfig::new(capabilities)
            .with_server_info(Implementation::new("c1", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let tools = self.tools.list().into_iter().map(tool).collect();
        Ok(ListToolsResult::with_all_items(tools))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools
            .list()
            .into_iter()
            .find(|t| t.name == name)
            .map(tool)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        // A name no tool has is the protocol's error; anything a tool says,
        // refusals included, is a tool error the agent reads.
        if !self.tools.knows(&request.name) {
            let message = format!("no tool is named `{}`", request.name);
            tracing::info!(target: "c1::mcp", tool = %request.name, outcome = "unknown tool");
            return Err(ErrorData::invalid_params(message, None));
        }
        let arguments = request.arguments.unwrap_or_default();
        let waits =
            request.name == "request_access" && arguments.get("wait") == Some(&Value::Bool(true));
        let tasks = context
            .client_capabilities()
            .is_some_and(|caps| caps.supports_tasks());
        if waits && tasks {
            let tools = self.tools.clone();
            let options = TaskOptions::new()
                .with_poll_interval_ms(5_000)
                .with_status_message("requesting access");
            let task = self.tasks.spawn(options, move |context| {
                Box::pin(async move { request_and_wait(&tools, arguments, &context).await })
            });
            return Ok(CallToolResponse::Task(CreateTaskResult::new(task)));
        }
        let started = Instant::now();
        let outcome = self.tools.call(&request.name, arguments).await;
        log(&request.name, &outcome, started);
        let mut result = result(outcome);
        if waits && result.is_error != Some(true) {
            result.content.push(ContentBlock::text(
                "Not waited for: this client does not run MCP tasks. Call wait_task with the task's `id` to wait for the decision.",
            ));
        }
        Ok(result.into())
    }

    async fn get_task(
        &self,
        request: GetTaskParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<GetTaskResult, ErrorData> {
        Ok(GetTaskResult::new(self.tasks.get_task(&request.task_id)?))
    }

    async fn cancel_task(
        &self,
        request: CancelTaskParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        self.tasks.cancel_task(&request.task_id)
    }
}

/// `request_access` with `wait: true`, as an MCP task: the request (or the
/// open one already asking), then `wait_task` until it closes, its status
/// message saying where it stands, for at most [`TASK_WAIT`]. Cancelling
/// the MCP task stops the wait, not the request.
async fn request_and_wait(
    tools: &Tools,
    arguments: Map<String, Value>,
    context: &TaskContext,
) -> Result<CallToolResult, TaskExit> {
    let started = Instant::now();
    let mut outcome = tools.call("request_access", arguments).await;
    log("request_access", &outcome, started);
    loop {
        let open = match &outcome.result {
            Ok(answer) if answer.value["state"] == "open" => answer.value["id"].as_str(),
            _ => None,
        };
        let Some(id) = open.map(str::to_string) else {
            return Ok(result(outcome));
        };
        if started.elapsed() >= TASK_WAIT {
            return Ok(result(outcome));
        }
        if let Ok(answer) = &outcome.result {
            let number = answer.value["number"].to_string();
            context.set_status_message(crate::jobs::status_line(&answer.value, &number));
        }
        let args = Map::from_iter([("task".to_string(), Value::String(id))]);
        let waited = Instant::now();
        outcome = tokio::select! {
            () = context.cancelled() => return Err(TaskExit::Cancelled),
            outcome = tools.call("wait_task", args) => outcome,
        };
        log("wait_task", &outcome, waited);
    }
}

/// What the server tells an agent when it connects.
const INSTRUCTIONS: &str = "C1 (ConductorOne) identity governance, as the signed-in user. For access: search_catalog, has_access, request_access, revoke_access, then wait_task for the decision. For decisions: task_inbox, approve_task, deny_task, comment_task. For anything else in the C1 API: search_operations, then describe_operation, then call_operation. Lists come in pages of at most 50 items; each answer says how to get more.";

/// A tool as MCP lists it.
fn tool(info: ToolInfo) -> Tool {
    let schema = match info.input {
        Value::Object(schema) => schema,
        _ => Map::new(),
    };
    let annotations = ToolAnnotations::new()
        .read_only(info.read_only)
        .destructive(info.destructive)
        .idempotent(info.idempotent)
        .open_world(true);
    let mut tool =
        Tool::new(info.name, info.description, Arc::new(schema)).with_annotations(annotations);
    if let Some(Value::Object(output)) = info.output {
        tool.output_schema = Some(Arc::new(output));
    }
    tool
}

/// A tool call's answer: structured JSON (also as text) and a line per
/// note; an error as a tool error, never a protocol failure.
fn result(outcome: Outcome) -> CallToolResult {
    match outcome.result {
        Ok(answer) => {
            // A task's URL, as a link the agent's client can show.
            let link = answer.value["url"].as_str().map(|url| {
                let name = format!("task {}", answer.value["number"]);
                ContentBlock::resource_link(Resource::new(url, name).with_mime_type("text/html"))
            });
            let mut result = CallToolResult::structured(answer.value);
            result
                .content
                .extend(answer.notes.into_iter().map(ContentBlock::text));
            result.content.extend(link);
            result
        }
        Err(refusal) => CallToolResult::structured_error(error_json(&refusal)),
    }
}

/// One line per call: the tool, the operation, the outcome, the request
/// id. Never the arguments: they may hold what is secret.
fn log(tool: &str, outcome: &Outcome, started: Instant) {
    let ms = started.elapsed().as_millis();
    let operation = outcome.operation.as_deref().unwrap_or("-");
    match &outcome.result {
        Ok(answer) => {
            let request_id = answer.request_id.as_deref().unwrap_or("-");
            tracing::info!(target: "c1::mcp", tool, operation, outcome = "ok", request_id, ms);
        }
        Err(refusal) => {
            let request_id = refusal.request_id.as_deref().unwrap_or("-");
            let status = refusal
                .status
                .map_or_else(|| "-".to_string(), |s| s.to_string());
            let error = refusal.message.as_str();
            tracing::info!(target: "c1::mcp", tool, operation, outcome = "error", status, request_id, error, ms);
        }
    }
}

/// The configuration file an agent reads its MCP servers from, in this
/// directory, and the key that holds them.
fn client_file(client: &str) -> (PathBuf, &'static str) {
    match client {
        "cursor" => (PathBuf::from(".cursor/mcp.json"), "mcpServers"),
        "vscode" => (PathBuf::from(".vscode/mcp.json"), "servers"),
        _ => (PathBuf::from(".mcp.json"), "mcpServers"),
    }
}

/// `c1 mcp install`: adds (or replaces) the server `c1` in the agent's
/// file, keeping the others; `--dry-run` prints the file instead.
fn install(matches: &ArgMatches, profile: Option<&str>, dry_run: bool) -> Result<(), Failure> {
    let client = matches
        .get_one::<String>("client")
        .map_or("claude-code", String::as_str);
    let (path, key) = client_file(client);
    let exe = std::env::current_exe()
        .map_err(|e| Failure::config(format!("cannot tell where c1 is: {e}")))?;
    let mut args: Vec<String> = Vec::new();
    if let Some(profile) = profile {
        args.extend(["--profile".into(), profile.into()]);
    }
    args.extend(["mcp".into(), "serve".into()]);
    let level = allow(matches);
    if level != Allow::Read {
        args.extend(["--allow".into(), level.name().into()]);
    }
    let mut server = json!({"command": exe.to_string_lossy(), "args": args});
    if client != "cursor" {
        server["type"] = json!("stdio");
    }
    let mut file = read_config(&path)?;
    let servers = file.entry(key).or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(servers) = servers else {
        return Err(Failure::config(format!(
            "{}: `{key}` is not an object; not changed",
            path.display()
        )));
    };
    servers.insert("c1".into(), server);
    let text = serde_json::to_string_pretty(&Value::Object(file)).unwrap_or_default() + "\n";
    if dry_run {
        eprintln!("c1: would write {}:", path.display());
        return crate::output::write_line(text.trim_end());
    }
    write_atomically(&path, &text)?;
    eprintln!(
        "c1: {} now runs `c1 {}` (in {})",
        client,
        args.join(" "),
        path.display()
    );
    Ok(())
}

/// The agent's configuration file as an object: empty when there is none.
fn read_config(path: &Path) -> Result<Map<String, Value>, Failure> {
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

/// Writes `text` to `path` whole or not at all: a file beside it, renamed.
fn write_atomically(path: &Path, text: &str) -> Result<(), Failure> {
    let failed =
        |e: std::io::Error| Failure::config(format!("{}: cannot write: {e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let partial = path.with_extension("json.partial");
    std::fs::write(&partial, text).map_err(failed)?;
    std::fs::rename(&partial, path).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        failed(e)
    })
}
