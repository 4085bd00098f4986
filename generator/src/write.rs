//! Stage 6, write: bring an output directory up to date with the rendered
//! files, or report how it differs.
//!
//! Everything is rendered in memory before this stage runs, so a failing spec
//! never reaches the disk. Files are written only when their bytes change, each
//! through a temporary file and a rename. Generated files (those that start
//! with [`HEADER`]) that are no longer produced are removed; hand-written files
//! are never touched.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::file::{GeneratedFile, HEADER};

/// One difference between the output directory and what was rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChange {
    /// A file to create.
    Create(GeneratedFile),
    /// A generated file whose contents differ.
    Update(GeneratedFile),
    /// A generated file that is no longer produced.
    Remove(PathBuf),
}

impl FileChange {
    /// The path, relative to the output directory.
    pub fn path(&self) -> &Path {
        match self {
            FileChange::Create(f) | FileChange::Update(f) => &f.path,
            FileChange::Remove(p) => p,
        }
    }

    /// A verb for messages.
    pub fn verb(&self) -> &'static str {
        match self {
            FileChange::Create(_) => "create",
            FileChange::Update(_) => "update",
            FileChange::Remove(_) => "remove",
        }
    }
}

/// What it takes to bring `out` up to date with the generated `files`.
pub fn plan(out: &Path, files: &[GeneratedFile]) -> Result<Vec<FileChange>> {
    let mut changes = Vec::new();
    for file in files {
        match read_if_exists(&out.join(&file.path))? {
            None => changes.push(FileChange::Create(file.clone())),
            Some(existing) if existing != file.contents => {
                changes.push(FileChange::Update(file.clone()))
            }
            Some(_) => {}
        }
    }
    for stale in generated_files(out)? {
        if !files.iter().any(|f| f.path == stale) {
            changes.push(FileChange::Remove(stale));
        }
    }
    Ok(changes)
}

/// Applies `changes` under `out`.
pub fn apply(out: &Path, changes: &[FileChange]) -> Result<()> {
    for change in changes {
        let path = out.join(change.path());
        match change {
            FileChange::Create(file) | FileChange::Update(file) => {
                write_atomically(&path, &file.contents)?
            }
            FileChange::Remove(_) => {
                std::fs::remove_file(&path).map_err(|source| Error::Io { path, source })?
            }
        }
    }
    Ok(())
}

fn read_if_exists(path: &Path) -> Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The `.rs` files under `out/src` that start with [`HEADER`], relative to `out`.
fn generated_files(out: &Path) -> Result<Vec<PathBuf>> {
    let src = out.join("src");
    let mut found = Vec::new();
    let mut pending = vec![src.clone()];
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(Error::Io { path: dir, source }),
        };
        for entry in entries {
            let path = entry
                .map_err(|source| Error::Io {
                    path: dir.clone(),
                    source,
                })?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && read_if_exists(&path)?.is_some_and(|text| text.starts_with(HEADER))
            {
                if let Ok(relative) = path.strip_prefix(out) {
                    found.push(relative.to_path_buf());
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Writes through a temporary file in the same directory and a rename, so
/// the file is either old or new, never half-written.
pub(crate) fn write_atomically(path: &Path, contents: &str) -> Result<()> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.tmp{}", std::process::id()));
    std::fs::write(&temp, contents).map_err(io(&temp))?;
    std::fs::rename(&temp, path).map_err(|source| {
        let _ = std::fs::remove_file(&temp);
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: PathBuf::from(path),
            contents: contents.to_string(),
        }
    }

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("c1-write-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        dir
    }

    #[test]
    fn plans_creates_updates_and_removals_and_leaves_hand_written_files() {
        let out = temp_dir("plan");
        let generated = |body: &str| format!("{HEADER}\n\n{body}");
        std::fs::write(out.join("src/same.rs"), generated("same")).unwrap();
        std::fs::write(out.join("src/changed.rs"), generated("old")).unwrap();
        std::fs::write(out.join("src/stale.rs"), generated("gone")).unwrap();
        std::fs::write(out.join("src/lib.rs"), "// hand-written").unwrap();
        let files = [
            file("src/same.rs", &generated("same")),
            file("src/changed.rs", &generated("new")),
            file("src/new.rs", &generated("new")),
        ];
        let changes = plan(&out, &files).unwrap();
        let summary: Vec<String> = changes
            .iter()
            .map(|c| format!("{} {}", c.verb(), c.path().display()))
            .collect();
        assert_eq!(
            summary,
            [
                "update src/changed.rs",
                "create src/new.rs",
                "remove src/stale.rs"
            ]
        );

        apply(&out, &changes).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("src/changed.rs")).unwrap(),
            generated("new")
        );
        assert_eq!(
            std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
            "// hand-written"
        );
        assert!(!out.join("src/stale.rs").exists());
        assert!(plan(&out, &files).unwrap().is_empty());
        let leftovers: Vec<_> = std::fs::read_dir(out.join("src"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let out = temp_dir("mtime");
        let contents = format!("{HEADER}\n\nx");
        std::fs::write(out.join("src/a.rs"), &contents).unwrap();
        let before = std::fs::metadata(out.join("src/a.rs"))
            .unwrap()
            .modified()
            .unwrap();
        let changes = plan(&out, &[file("src/a.rs", &contents)]).unwrap();
        assert!(changes.is_empty());
        apply(&out, &changes).unwrap();
        assert_eq!(
            std::fs::metadata(out.join("src/a.rs"))
                .unwrap()
                .modified()
                .unwrap(),
            before
        );
        std::fs::remove_dir_all(&out).unwrap();
    }
}
