//! The MCP server: what `c1 mcp serve` answers over stdio or HTTP. It
//! lists the tool table, calls the tools, and runs a `request_access` that
//! waits for its decision as an MCP task.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, CancelTaskParams, ContentBlock,
    CreateTaskResult, GetTaskParams, GetTaskResult, Implementation, ListToolsResult,
    PaginatedRequestParams, Resource, ServerCapabilities, ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::{RequestContext, RoleServer};
use rmcp::task_manager::{TaskContext, TaskExit, TaskManager, TaskOptions};
use rmcp::{ErrorData, ServerHandler, ServiceExt};
use serde_json::{Map, Value, json};

use super::answers::{Outcome, error_json};
use super::log;
use super::table::{self, ToolInfo};
use super::tools::Tools;
use crate::Failure;

/// The MCP server: the tools, and the MCP tasks running (a
/// `request_access` that waits for its decision), shared by every session.
#[derive(Clone)]
pub struct Server {
    tools: Arc<Tools>,
    tasks: TaskManager,
}

impl Server {
    /// A server of `tools`, running no task yet.
    pub fn new(tools: Tools) -> Self {
        Server {
            tools: Arc::new(tools),
            tasks: TaskManager::new(),
        }
    }

    /// Serves one agent over standard input and output, until it leaves.
    pub async fn stdio(self) -> Result<(), Failure> {
        let running = self
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| Failure::config(format!("mcp: cannot start: {e}")))?;
        running
            .waiting()
            .await
            .map_err(|e| Failure::config(format!("mcp: {e}")))?;
        Ok(())
    }
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
        if !table::exists(&request.name) {
            let message = format!("no tool is named `{}`", request.name);
            log::unknown_tool();
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
        log::call(&request.name, &outcome, started);
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
    log::call("request_access", &outcome, started);
    loop {
        let open = match &outcome.result {
            Ok(answer) if answer.value.get("state") == Some(&json!("open")) => {
                answer.value.get("id").and_then(Value::as_str)
            }
            _ => None,
        };
        let Some(id) = open.map(str::to_string) else {
            return Ok(result(outcome));
        };
        if started.elapsed() >= TASK_WAIT {
            return Ok(result(outcome));
        }
        if let Ok(answer) = &outcome.result {
            let number = answer
                .value
                .get("number")
                .unwrap_or(&Value::Null)
                .to_string();
            context.set_status_message(crate::jobs::status_line(&answer.value, &number));
        }
        let args = Map::from_iter([("task".to_string(), Value::String(id))]);
        let waited = Instant::now();
        outcome = tokio::select! {
            () = context.cancelled() => return Err(TaskExit::Cancelled),
            outcome = tools.call("wait_task", args) => outcome,
        };
        log::call("wait_task", &outcome, waited);
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
            let link = answer.value.get("url").and_then(Value::as_str).map(|url| {
                let number = answer.value.get("number").unwrap_or(&Value::Null);
                let name = format!("task {number}");
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
