//! The conformance suite's harness: the OpenAPI document is the contract
//! the client is checked against, with no server.
//!
//! - [`document`] reads the document and lists its operations.
//! - [`formats`] is the table of how this API writes each `format` (protobuf
//!   JSON), and what the document's own words also allow.
//! - [`generate`] makes random values that the document allows, from a seed:
//!   what a request sends, or what an answer may hold.
//! - [`validate`] checks a value against a schema with a JSON Schema
//!   validator (draft 2020-12, formats asserted as this API writes them),
//!   and a request (path, query, headers, body) against its operation.
//! - [`strict`] checks every request a test server receives, as C1 would.
//! - [`compare`] compares a value with the same value after a round trip
//!   through the client, up to the normalizations the README lists.
//!
//! Every problem is named by the operation or schema and the JSON pointer.

pub mod compare;
pub mod document;
pub mod formats;
pub mod generate;
pub mod strict;
pub mod validate;

pub use document::{Document, Operation, Param};
/// The URL type requests are read with.
pub use url;

/// What can go wrong before a check starts.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The document could not be read.
    #[error("{path}: {message}")]
    Read {
        /// The document's file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A schema could not be compiled by the validator.
    #[error("{pointer}: the validator refuses the schema: {message}")]
    Schema {
        /// Where the schema is.
        pointer: String,
        /// What the validator said.
        message: String,
    },
}

/// One way a value or request departs from the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: a JSON pointer into the value (`/body/appEntitlements`), or a
    /// part of the request (`/query/page_size`).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(the value)"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {}", self.message)
    }
}

/// Appends a JSON pointer segment (`~` and `/` escaped).
pub fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// Seeded rounds of every operation, schema and command.
pub const ROUNDS: u64 = 3;

/// The failures of one suite, each named by what failed, its seed and
/// where.
#[derive(Debug, Default)]
pub struct Failures {
    lines: Vec<String>,
}

impl Failures {
    /// Records `problem` of `what` (an operation, a schema, a command) in
    /// the round of `seed`.
    pub fn add(&mut self, what: &str, seed: u64, problem: Problem) {
        self.lines.push(format!("{what} (seed {seed}): {problem}"));
    }

    /// Panics with every failure counted and the first ones shown (40, or
    /// as many as `C1_CONFORMANCE_SHOW` says), sorted; does nothing when
    /// there are none.
    pub fn assert_none(mut self, what: &str) {
        if self.lines.is_empty() {
            return;
        }
        self.lines.sort();
        let shown = std::env::var("C1_CONFORMANCE_SHOW")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(40);
        let mut report = format!("{} {what} failed:\n", self.lines.len());
        for line in self.lines.iter().take(shown) {
            report.push_str(&format!("  {line}\n"));
        }
        if self.lines.len() > shown {
            report.push_str(&format!("  ... and {} more\n", self.lines.len() - shown));
        }
        panic!("{report}");
    }
}
