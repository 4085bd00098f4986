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

/// Every hand-written file of the client crate's `src/` is part of the
/// runtime that `--out` writes, so a crate generated elsewhere is complete.
#[test]
fn runtime_lists_every_hand_written_source_file() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src");
    let runtime: Vec<String> = c1_codegen::runtime_files()
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    let mut pending = vec![src.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            if text.starts_with(c1_codegen::emit::HEADER) {
                continue;
            }
            let relative = format!("src/{}", path.strip_prefix(&src).unwrap().display());
            assert!(
                runtime.contains(&relative),
                "{relative} is hand-written but not in runtime_files()"
            );
        }
    }
}
