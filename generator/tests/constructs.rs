//! The emitted Rust for `fixtures/constructs`, a small document that shows
//! every construct the emitter handles (enums with unknown values, input
//! types with nested conversions, recursion, maps, timestamps, query
//! parameters, an operation without a response body). CI also builds it as
//! a crate of its own.

mod common;

use std::path::Path;

#[test]
fn emitted_rust_for_constructs() {
    let generated =
        c1_codegen::generate(Path::new("tests/fixtures/constructs")).expect("generates");
    insta::assert_snapshot!("constructs", common::files_text(&generated.files));
}
