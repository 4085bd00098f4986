//! What the conformance tests share: the document, a client that never
//! sends, and the report of failures.
#![allow(dead_code)] // Each test file uses part of it.

use std::fmt::Write;
use std::path::PathBuf;

use c1_conformance::validate::Request;
use c1_conformance::{Document, Problem};

/// Seeded rounds of every operation and schema.
pub const ROUNDS: u64 = 3;

/// At most this many failures are printed (all are counted), unless
/// `C1_CONFORMANCE_SHOW` says how many.
fn shown() -> usize {
    std::env::var("C1_CONFORMANCE_SHOW")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40)
}

/// The whole-API document vendored in `spec/`.
pub fn document() -> Document {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/conductor_one_api.openapi.yaml");
    Document::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// The server the test client is pointed at.
pub fn base() -> url::Url {
    url::Url::parse("https://acme.conductor.one/").expect("a URL")
}

/// A client that builds requests (and never sends one).
pub fn client() -> c1_client::Client {
    c1_client::Client::builder()
        .base_url(base().as_str())
        .bearer_token("conformance")
        .build()
        .expect("a client")
}

/// A dry run as the harness reads requests.
pub fn request_of(built: &c1_client::DryRun) -> Result<Request, Problem> {
    let problem = |message: String| Problem {
        pointer: String::new(),
        message,
    };
    let url = url::Url::parse(&built.url).map_err(|e| problem(format!("{}: {e}", built.url)))?;
    let body = match &built.body {
        Some(bytes) => Some(
            serde_json::from_slice(bytes)
                .map_err(|e| problem(format!("the body is not JSON: {e}")))?,
        ),
        None => None,
    };
    Ok(Request {
        method: built.method.clone(),
        url,
        headers: built.headers.clone(),
        body,
    })
}

/// Failures, by what failed, its seed and where.
#[derive(Default)]
pub struct Failures {
    lines: Vec<String>,
}

impl Failures {
    pub fn add(&mut self, what: &str, seed: u64, problem: Problem) {
        self.lines.push(format!("{what} (seed {seed}): {problem}"));
    }

    /// Fails the test with every failure counted and the first ones shown.
    pub fn assert_none(&self, what: &str) {
        if self.lines.is_empty() {
            return;
        }
        let mut report = format!("{} {what} failed:\n", self.lines.len());
        for line in self.lines.iter().take(shown()) {
            let _ = writeln!(report, "  {line}");
        }
        if self.lines.len() > shown() {
            let _ = writeln!(report, "  ... and {} more", self.lines.len() - shown());
        }
        panic!("{report}");
    }
}
