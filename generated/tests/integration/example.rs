//! Runs the tests of `examples/personal_clients.rs` (argument parsing, each
//! command against a fake server, one-line errors) with `cargo test`.

#[allow(dead_code)] // `main` is the example's entry point, not called here.
#[path = "../../examples/personal_clients.rs"]
mod personal_clients;
