//! The log of `c1 mcp serve`: one line per call, holding the tool, the
//! catalog's name of the operation, an outcome class, the HTTP status, the
//! API's request id and the time taken. Never what the agent sent: no
//! argument, no message quoting one (an error's text is the agent's, not
//! the log's), no name the catalog does not have.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use super::answers::Outcome;
use crate::{Failure, exit};

/// Logs to `file` (appended) or standard error: `c1`'s calls, and only the
/// warnings of the libraries under it, whose debug lines could hold what
/// an agent sent; of the MCP library only its errors (its warnings quote
/// the protocol errors answered, which quote the agent: a task's id).
pub fn start(file: Option<&Path>) -> Result<(), Failure> {
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
        .with_target("rmcp", tracing::Level::ERROR)
        .with_default(tracing::Level::WARN);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(false)
        .with_filter(targets);
    // A second `serve` in one process (tests) keeps the first subscriber.
    let _ = tracing_subscriber::registry().with(layer).try_init();
    Ok(())
}

/// One line for a call of `tool` (a name of the tool table) that gave `outcome`.
pub fn call(tool: &str, outcome: &Outcome, started: Instant) {
    let ms = started.elapsed().as_millis();
    let operation = outcome.operation.as_deref().unwrap_or("-");
    let (class, status, request_id) = match &outcome.result {
        Ok(answer) => ("ok", None, answer.request_id.as_deref()),
        Err(failure) => (
            class(failure),
            failure.status,
            failure.request_id.as_deref(),
        ),
    };
    let status = status.map_or_else(|| "-".to_string(), |s| s.to_string());
    let request_id = request_id.unwrap_or("-");
    tracing::info!(target: "c1::mcp", tool, operation, outcome = class, status, request_id, ms);
}

/// A call of a tool no one has: its name is the agent's text, and not logged.
pub fn unknown_tool() {
    tracing::info!(target: "c1::mcp", tool = "-", outcome = "unknown_tool");
}

/// What kind of failure it was, in a word.
fn class(failure: &Failure) -> &'static str {
    match failure.code {
        exit::USAGE => "refused",
        exit::CONFIG => "sign_in",
        exit::NOT_FOUND => "not_found",
        exit::CONNECTION => "unreachable",
        exit::CLOSED => "closed",
        _ => "api_error",
    }
}
