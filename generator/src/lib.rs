//! An OpenAPI to Rust code generator for the C1 (ConductorOne) API.
//!
//! The pipeline has one module per stage:
//!
//! 1. [`load`]: read every document under the spec directory, and apply
//!    the [`overlay`]s among them (rules the documents state in prose);
//! 2. [`normalize`]: rewrite each into one canonical OpenAPI 3.0 form;
//! 3. [`merge`]: combine them into one API, reconciling or rejecting differences;
//! 4. [`model`]: build a typed model of the types and operations to emit,
//!    and run its passes (input types, boxes, pagination, layout, signatures);
//! 5. [`emit`]: render the model as Rust with `quote!` and `prettyplease`,
//!    with the client [`runtime`] copied in;
//! 6. [`write`](mod@write): bring the output crate up to date, or report how it differs.
//!
//! Stages 5 and 6 and the runtime share [`file`](mod@file): a [`GeneratedFile`] and
//! the header that marks it.
//!
//! [`generate`] runs stages 1 to 5 in memory; errors carry the file, JSON
//! pointer and line of what they are about. [`diff`] reads the public
//! surface of the crate from the model (`api.json`) and compares two of
//! them, for the change report. `generator/README.md` says where a change
//! goes.

pub mod diff;
pub mod emit;
pub mod error;
pub mod file;
pub mod load;
mod locate;
pub mod merge;
pub mod model;
mod names;
pub mod normalize;
pub mod overlay;
pub mod runtime;
pub mod write;

use std::path::Path;

pub use emit::Options;
pub use error::{Error, Result};
pub use file::GeneratedFile;
pub use merge::Note;

/// The rendered crate, what the merge reconciled on the way, and the crate's
/// public surface.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Every generated file, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// The command line's generated files (under
    /// [`emit::cli::DIR`] of its crate), when [`Options::cli`] asks for
    /// them (else none), sorted by path.
    pub cli: Vec<GeneratedFile>,
    /// Differences between documents that the merge reconciled.
    pub notes: Vec<Note>,
    /// Constructs typed less precisely than the spec describes (each once,
    /// with its location).
    pub warnings: Vec<model::Warning>,
    /// The public surface of the generated crate, to compare with the next.
    pub summary: diff::Summary,
}

/// The OpenAPI documents under `spec_dir` as the pipeline reads them: loaded,
/// with the overlays among them applied (and not returned themselves).
pub fn documents(spec_dir: &Path) -> Result<Vec<load::SourceDocument>> {
    let loaded = load::load_dir(spec_dir)?;
    overlay::apply(&loaded).map(|(docs, _)| docs)
}

/// Loads, normalizes, merges, models and emits the documents under `spec_dir`.
pub fn generate(spec_dir: &Path, options: &Options) -> Result<Generated> {
    let (docs, mut errors) = load::load_each(spec_dir)?;
    if errors.is_empty() {
        return generate_documents(&docs, options);
    }
    // Some files did not parse: check the others on their own too, so that
    // one run reports every problem it can, but merge nothing.
    for doc in docs.iter().filter(|d| !overlay::is_overlay(d)) {
        if let Err(e) = normalize::normalize(doc) {
            errors.extend(locate_errors(e, &docs).into_list());
        }
    }
    Err(Error::from_many(errors))
}

/// Runs stages 2 to 5 on documents already loaded. Errors say in which
/// document, and on which line, the node they point at is.
pub fn generate_documents(docs: &[load::SourceDocument], options: &Options) -> Result<Generated> {
    let mut generated = generate_unlocated(docs, options).map_err(|e| locate_errors(e, docs))?;
    let mut lines = Lines::new(docs);
    for warning in &mut generated.warnings {
        if let Some(file) = &warning.file {
            // Already placed (an overlay's own): find its line there.
            warning.line = lines.line(file, &warning.pointer);
        } else if let Some(doc) = holder(docs, &warning.pointer) {
            warning.line = lines.line(&doc.name, &warning.pointer);
            warning.file = Some(doc.name.clone());
        }
    }
    generated.warnings.dedup();
    Ok(generated)
}

fn generate_unlocated(docs: &[load::SourceDocument], options: &Options) -> Result<Generated> {
    let (docs, overlay_warnings) = overlay::apply(docs)?;
    let normalized = error::all(docs.iter().map(normalize::normalize))?;
    let merged = merge::merge(&normalized)?;
    let api = model::build(&merged)?;
    let summary = diff::Summary::of(&api)?;
    let mut files = emit::emit(&api, options)?;
    files.push(GeneratedFile {
        path: "api.json".into(),
        contents: summary.to_json().map_err(|e| Error::Emit {
            file: "api.json".into(),
            message: e.to_string(),
        })?,
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let cli = match options.cli {
        true => emit::cli::emit(&api, &options.package, options.format_cache.as_deref())?,
        false => Vec::new(),
    };
    let mut warnings = overlay_warnings;
    warnings.extend(emit::jobs::plan(&api).warnings());
    warnings.extend(api.warnings);
    warnings.extend(merged.warnings.into_iter().map(|note| model::Warning {
        file: None,
        line: None,
        pointer: note.pointer,
        message: note.message,
    }));
    Ok(Generated {
        files,
        cli,
        notes: merged.notes,
        summary,
        warnings,
    })
}

/// Adds the file and line of the node each error points at.
fn locate_errors(error: Error, docs: &[load::SourceDocument]) -> Error {
    let mut lines = Lines::new(docs);
    let mut line = |file: &str, pointer: &str| lines.line(file, pointer);
    let located = error.into_list().into_iter().map(|e| match e {
        Error::Invalid {
            file,
            pointer,
            message,
            line: None,
        } => {
            let line = line(&file, &pointer);
            Error::Invalid {
                file,
                line,
                pointer,
                message,
            }
        }
        Error::Conflict {
            pointer,
            first,
            second,
            message,
            ..
        } => {
            let short = |l: Option<usize>| l.and_then(|l| u32::try_from(l).ok());
            let lines = (
                short(line(&first, &pointer)),
                short(line(&second, &pointer)),
            );
            Error::Conflict {
                pointer,
                first,
                second,
                message,
                lines,
            }
        }
        Error::Model {
            file: None,
            pointer,
            message,
            ..
        } => {
            let file = holder(docs, &pointer).map(|d| d.name.clone());
            let line = file.as_deref().and_then(|f| line(f, &pointer));
            Error::Model {
                file,
                line,
                pointer,
                message,
            }
        }
        other => other,
    });
    Error::from_many(located.collect())
}

/// The line index of each document, built the first time it is asked for.
struct Lines<'a> {
    docs: &'a [load::SourceDocument],
    built: std::collections::HashMap<&'a str, locate::LineIndex>,
}

impl<'a> Lines<'a> {
    fn new(docs: &'a [load::SourceDocument]) -> Self {
        Lines {
            docs,
            built: std::collections::HashMap::new(),
        }
    }

    /// The line of the node at `pointer` in the document named `file` (or
    /// labelled so: a schema the merge kept under another name).
    fn line(&mut self, file: &str, pointer: &str) -> Option<usize> {
        let (file, pointer) = merge::source(file, pointer);
        let doc = self.docs.iter().find(|d| d.name == file)?;
        self.built
            .entry(&doc.name)
            .or_insert_with(|| locate::LineIndex::new(&doc.text))
            .line_of(&pointer)
    }
}

/// The document that holds the most of the path `pointer` names (the first
/// by name on a tie): where a problem found in the merged API comes from.
/// With one document, that one, even for a pointer it does not hold.
fn holder<'a>(docs: &'a [load::SourceDocument], pointer: &str) -> Option<&'a load::SourceDocument> {
    if let [only] = docs {
        return Some(only);
    }
    let depth = |doc: &load::SourceDocument| {
        let mut prefix = pointer;
        loop {
            if doc.value.pointer(prefix).is_some() {
                return prefix.matches('/').count();
            }
            match prefix.rfind('/') {
                Some(i) if i > 0 => prefix = &prefix[..i],
                _ => return 0,
            }
        }
    };
    let best = docs.iter().map(depth).max()?;
    docs.iter().find(|d| best > 0 && depth(d) == best)
}
