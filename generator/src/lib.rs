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

/// What to generate besides the API itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The client crate's package name (default `c1-client`).
    pub package: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            package: "c1-client".to_string(),
        }
    }
}

/// Loads, normalizes, merges, models and emits the documents under `spec_dir`.
pub fn generate(spec_dir: &Path, options: &Options) -> Result<Generated> {
    generate_documents(&load::load_dir(spec_dir)?, options)
}

/// Runs stages 2 to 5 on documents already loaded.
pub fn generate_documents(docs: &[load::SourceDocument], options: &Options) -> Result<Generated> {
    let normalized = docs
        .iter()
        .map(normalize::normalize)
        .collect::<Result<Vec<_>>>()?;
    let merged = merge::merge(&normalized)?;
    let api = model::build(&merged.api)?;
    Ok(Generated {
        files: emit::emit(&api, &options.package)?,
        notes: merged.notes,
    })
}

/// Copies of the hand-written runtime of the client crate (`lib.rs`,
/// client, auth, errors, retries, wire encodings, pagination), as kept in
/// `generated/src/`, for a crate generated anywhere else: with them it is
/// complete and builds where it stands. Each copy starts with
/// [`emit::HEADER`], so it is kept up to date like the generated files.
pub fn runtime_copies() -> Vec<GeneratedFile> {
    let copy = |path: &str, contents: &str| GeneratedFile {
        path: path.into(),
        contents: format!(
            "{}\n// A copy of generated/{path}, the client runtime.\n\n{contents}",
            emit::HEADER
        ),
    };
    vec![
        copy("src/lib.rs", include_str!("../../generated/src/lib.rs")),
        copy(
            "src/client.rs",
            include_str!("../../generated/src/client.rs"),
        ),
        copy("src/error.rs", include_str!("../../generated/src/error.rs")),
        copy("src/auth.rs", include_str!("../../generated/src/auth.rs")),
        copy("src/env.rs", include_str!("../../generated/src/env.rs")),
        copy("src/retry.rs", include_str!("../../generated/src/retry.rs")),
        copy("src/wire.rs", include_str!("../../generated/src/wire.rs")),
        copy(
            "src/pagination.rs",
            include_str!("../../generated/src/pagination.rs"),
        ),
    ]
}
