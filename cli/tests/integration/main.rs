//! The command line's integration tests, one module per subject, in one
//! test binary (one build and one link, not four).

mod cli;
mod conformance;
// A server that behaves as C1 does, shared with the client's tests.
#[path = "../../../generated/tests/integration/common/fake_c1.rs"]
mod fake_c1;
mod jobs;
mod mcp;
mod mcp_security;
