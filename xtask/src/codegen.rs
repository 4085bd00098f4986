//! `cargo xtask codegen`: regenerate the client crate, or check that it is up to date.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use c1_codegen::write;

/// Generates from `spec` into `out`; with `check`, only reports what would change.
pub fn run(spec: &Path, out: &Path, check: bool) -> anyhow::Result<ExitCode> {
    let generated = c1_codegen::generate(spec)
        .with_context(|| format!("cannot generate from {}", spec.display()))?;
    for note in &generated.notes {
        eprintln!("note: {note}");
    }
    let changes = write::plan(out, &generated.files, &c1_codegen::runtime_files())?;
    if check {
        for change in &changes {
            eprintln!(
                "stale: {} (would {})",
                out.join(change.path()).display(),
                change.verb()
            );
        }
        if changes.is_empty() {
            eprintln!(
                "{} is up to date ({} generated files)",
                out.display(),
                generated.files.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("{} is stale: run `cargo xtask codegen`", out.display());
        return Ok(ExitCode::FAILURE);
    }
    write::apply(out, &changes)?;
    for change in &changes {
        eprintln!("{} {}", change.verb(), out.join(change.path()).display());
    }
    let count = |verb: &str| changes.iter().filter(|c| c.verb() == verb).count();
    let touched = changes
        .iter()
        .filter(|c| generated.files.iter().any(|f| f.path == c.path()))
        .count();
    eprintln!(
        "{}: {} created, {} updated, {} removed, {} unchanged",
        out.display(),
        count("create"),
        count("update"),
        count("remove"),
        generated.files.len() - touched
    );
    Ok(ExitCode::SUCCESS)
}
