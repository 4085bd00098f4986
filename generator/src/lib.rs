//! An OpenAPI to Rust code generator for the C1 (ConductorOne) API.
//!
//! The pipeline has one module per stage:
//!
//! 1. [`load`]: read every document under the spec directory;
//! 2. [`normalize`]: rewrite each into one canonical OpenAPI 3.0 form;
//! 3. [`merge`]: combine them into one API, reconciling or rejecting differences;
//! 4. [`model`]: build a typed model of the types and operations to emit;
//! 5. [`emit`]: render Rust with `quote!` and `prettyplease`;
//! 6. [`write`]: bring the output crate up to date, or report how it differs.
//!
//! [`generate`] runs stages 1 to 5 in memory.

pub mod emit;
pub mod error;
pub mod load;
pub mod merge;
pub mod model;
mod names;
pub mod normalize;
pub mod write;

use std::path::Path;

pub use emit::GeneratedFile;
pub use error::{Error, Result};
pub use merge::Note;

/// The rendered crate and what the merge reconciled on the way.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Every generated file, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Differences between documents that the merge reconciled.
    pub notes: Vec<Note>,
}

/// Loads, normalizes, merges, models and emits the documents under `spec_dir`.
pub fn generate(spec_dir: &Path) -> Result<Generated> {
    generate_documents(&load::load_dir(spec_dir)?)
}

/// Runs stages 2 to 5 on documents already loaded.
pub fn generate_documents(docs: &[load::SourceDocument]) -> Result<Generated> {
    let normalized = docs
        .iter()
        .map(normalize::normalize)
        .collect::<Result<Vec<_>>>()?;
    let merged = merge::merge(&normalized)?;
    let api = model::build(&merged.api)?;
    Ok(Generated {
        files: emit::emit(&api)?,
        notes: merged.notes,
    })
}

/// The hand-written runtime of the client crate (`lib.rs`, client, auth,
/// errors, retries, wire encodings, pagination), as kept in `generated/`. They are written to an output
/// directory only where missing, so that `--out` at a new directory gives a
/// complete crate.
pub fn runtime_files() -> Vec<GeneratedFile> {
    let file = |path: &str, contents: &str| GeneratedFile {
        path: path.into(),
        contents: contents.to_string(),
    };
    vec![
        file("src/lib.rs", include_str!("../../generated/src/lib.rs")),
        file(
            "src/client.rs",
            include_str!("../../generated/src/client.rs"),
        ),
        file("src/error.rs", include_str!("../../generated/src/error.rs")),
        file("src/auth.rs", include_str!("../../generated/src/auth.rs")),
        file("src/env.rs", include_str!("../../generated/src/env.rs")),
        file("src/retry.rs", include_str!("../../generated/src/retry.rs")),
        file("src/wire.rs", include_str!("../../generated/src/wire.rs")),
        file(
            "src/pagination.rs",
            include_str!("../../generated/src/pagination.rs"),
        ),
    ]
}
