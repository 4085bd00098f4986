//! In the style of rust-analyzer's codegen tests: regenerate the client crate
//! in memory and fail when the committed `generated/` differs.

use std::path::Path;

#[test]
fn generated_crate_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let generated = c1_codegen::generate(&root.join("spec")).expect("spec/ generates");
    let changes = c1_codegen::write::plan(
        &root.join("generated"),
        &generated.files,
        &c1_codegen::runtime_files(),
    )
    .expect("generated/ is readable");
    let stale: Vec<String> = changes
        .iter()
        .map(|c| format!("  {} (would {})", c.path().display(), c.verb()))
        .collect();
    assert!(
        stale.is_empty(),
        "generated/ is stale; run `cargo xtask codegen` and commit the result:\n{}",
        stale.join("\n")
    );
}
