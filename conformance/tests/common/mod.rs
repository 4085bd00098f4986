//! What the conformance tests share: the document, and a client that
//! never sends.
#![allow(dead_code)] // Each test file uses part of it.

use c1_conformance::validate::Request;
use c1_conformance::{Document, Problem};

/// The whole-API document vendored in `spec/`.
pub fn document() -> Document {
    Document::whole_api().unwrap_or_else(|e| panic!("{e}"))
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
