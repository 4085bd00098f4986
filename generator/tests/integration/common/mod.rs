//! Helpers shared by the integration tests.

use c1_codegen::GeneratedFile;

/// All files as one text for a snapshot, each after a `==> path <==` line.
pub fn files_text(files: &[GeneratedFile]) -> String {
    let parts: Vec<String> = files
        .iter()
        .map(|f| format!("==> {} <==\n{}", f.path.display(), f.contents))
        .collect();
    parts.join("\n")
}
