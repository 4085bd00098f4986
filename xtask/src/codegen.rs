//! `cargo xtask codegen`: regenerate the client crates, or check that they
//! are up to date.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use c1_codegen::write::{self, Change};
use c1_codegen::{GeneratedFile, Options};

/// A generated crate this repository commits.
pub struct Target {
    /// The spec directory, relative to the workspace root.
    pub spec: &'static str,
    /// The crate's directory, relative to the workspace root.
    pub out: &'static str,
    /// Its package name.
    pub package: &'static str,
}

/// The client crate, and the crate of the fixture that shows every construct.
pub const TARGETS: [Target; 2] = [
    Target {
        spec: "spec",
        out: "generated",
        package: "c1-client",
    },
    Target {
        spec: "generator/tests/fixtures/constructs/spec",
        out: "generator/tests/fixtures/constructs/client",
        package: "constructs-client",
    },
];

/// The workspace root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
}

/// What generating `spec` for `out` gives.
pub struct Rendered {
    /// The generated files and, except in `generated/` itself (where it is
    /// written by hand), the runtime.
    pub files: Vec<GeneratedFile>,
    /// What the merge reconciled.
    pub notes: Vec<String>,
    /// Constructs typed less precisely than the spec describes.
    pub warnings: Vec<String>,
}

/// Renders everything that belongs in `out` for `spec`, in memory.
pub fn render(spec: &Path, out: &Path, package: &str) -> anyhow::Result<Rendered> {
    let options = Options {
        package: package.to_string(),
    };
    let generated = c1_codegen::generate(spec, &options)
        .with_context(|| format!("cannot generate from {}", spec.display()))?;
    let mut files = generated.files;
    if !is_runtime_home(out) {
        files.extend(c1_codegen::runtime_copies());
    }
    Ok(Rendered {
        files,
        notes: generated.notes.iter().map(ToString::to_string).collect(),
        warnings: generated.warnings.iter().map(ToString::to_string).collect(),
    })
}

/// Whether `out` is `generated/`, where the runtime is written by hand.
fn is_runtime_home(out: &Path) -> bool {
    match (out.canonicalize(), root().join("generated").canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// What `out` needs to match `spec`.
pub struct Plan {
    /// The changes to make.
    pub changes: Vec<Change>,
    /// How many files are generated in all.
    pub total: usize,
    /// What the merge reconciled.
    pub notes: Vec<String>,
    /// Constructs typed less precisely than the spec describes.
    pub warnings: Vec<String>,
}

/// What `out` needs to match `spec`.
pub fn plan(spec: &Path, out: &Path, package: &str) -> anyhow::Result<Plan> {
    let Rendered {
        files,
        notes,
        warnings,
    } = render(spec, out, package)?;
    let changes = write::plan(out, &files)?;
    Ok(Plan {
        changes,
        total: files.len(),
        notes,
        warnings,
    })
}

/// How `cargo xtask codegen` runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mode {
    /// Write nothing; report what would change.
    pub check: bool,
    /// Treat warnings as errors.
    pub deny_warnings: bool,
}

/// Generates from `spec` into `out`; with `check`, only reports what would
/// change. Nothing is written unless every step succeeded. Returns whether
/// `out` is (now) up to date.
pub fn run(spec: &Path, out: &Path, package: &str, mode: Mode) -> anyhow::Result<bool> {
    let Plan {
        changes,
        total,
        notes,
        warnings,
    } = plan(spec, out, package)?;
    for note in notes {
        eprintln!("note: {note}");
    }
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    if mode.deny_warnings && !warnings.is_empty() {
        anyhow::bail!(
            "{} warning(s) with --deny-warnings; {} was not changed",
            warnings.len(),
            out.display()
        );
    }
    let check = mode.check;
    if check {
        for change in &changes {
            eprintln!(
                "stale: {} (would {})",
                out.join(change.path()).display(),
                change.verb()
            );
        }
        if changes.is_empty() {
            eprintln!("{} is up to date ({total} generated files)", out.display());
        } else {
            eprintln!("{} is stale: run `cargo xtask codegen`", out.display());
        }
        return Ok(changes.is_empty());
    }
    write::apply(out, &changes)?;
    for change in &changes {
        eprintln!("{} {}", change.verb(), out.join(change.path()).display());
    }
    let count = |verb: &str| changes.iter().filter(|c| c.verb() == verb).count();
    eprintln!(
        "{}: {} created, {} updated, {} removed, {} unchanged",
        out.display(),
        count("create"),
        count("update"),
        count("remove"),
        total - count("create") - count("update")
    );
    Ok(true)
}

/// `cargo xtask codegen`: one spec and output if either is given, otherwise
/// every entry of [`TARGETS`].
pub fn main(
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    package: Option<String>,
    mode: Mode,
) -> anyhow::Result<ExitCode> {
    let ok = if spec.is_none() && out.is_none() {
        let mut ok = true;
        for target in TARGETS {
            let (spec, out) = (
                relative(&root().join(target.spec)),
                relative(&root().join(target.out)),
            );
            ok &= run(
                &spec,
                &out,
                package.as_deref().unwrap_or(target.package),
                mode,
            )?;
        }
        ok
    } else {
        let spec = spec.unwrap_or_else(|| relative(&root().join("spec")));
        let out = out.unwrap_or_else(|| relative(&root().join("generated")));
        run(&spec, &out, package.as_deref().unwrap_or("c1-client"), mode)?
    };
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `path` relative to the current directory where possible, so that
/// messages stay short.
pub fn relative(path: &Path) -> PathBuf {
    match std::env::current_dir() {
        Ok(cwd) => path
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf()),
        Err(_) => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In the style of rust-analyzer's codegen tests: regenerate every
    /// committed crate in memory and fail when one differs.
    #[test]
    fn generated_crates_are_up_to_date() {
        for target in TARGETS {
            let plan = plan(
                &root().join(target.spec),
                &root().join(target.out),
                target.package,
            )
            .unwrap();
            let stale: Vec<String> = plan
                .changes
                .iter()
                .map(|c| format!("  {} (would {})", c.path().display(), c.verb()))
                .collect();
            assert!(
                stale.is_empty(),
                "{} is stale; run `cargo xtask codegen` and commit the result:\n{}",
                target.out,
                stale.join("\n")
            );
        }
    }

    /// Every hand-written source file of the client crate has a runtime copy,
    /// so a crate generated elsewhere is complete.
    #[test]
    fn runtime_copies_cover_every_hand_written_source_file() {
        let src = root().join("generated/src");
        let copies: Vec<String> = c1_codegen::runtime_copies()
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
                if std::fs::read_to_string(&path)
                    .unwrap()
                    .starts_with(c1_codegen::emit::HEADER)
                {
                    continue;
                }
                let relative = format!("src/{}", path.strip_prefix(&src).unwrap().display());
                assert!(
                    copies.contains(&relative),
                    "{relative} is hand-written but has no runtime copy"
                );
            }
        }
    }

    /// Every file under `dir` with its bytes.
    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(current) = pending.pop() {
            for entry in std::fs::read_dir(&current).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    files.push((path.clone(), std::fs::read(&path).unwrap()));
                }
            }
        }
        files.sort();
        files
    }

    fn temp_out(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("c1-xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_failing_spec_leaves_the_generated_crate_untouched() {
        let out = temp_out("atomic");
        let good = root().join(TARGETS[1].spec);
        assert!(run(&good, &out, "constructs-client", Mode::default()).unwrap());
        let before = snapshot(&out);
        assert!(before.len() > 10);
        for bad in [
            "generator/tests/bad_inputs/schema_conflict",
            "generator/tests/bad_inputs/several_problems",
        ] {
            let err = run(
                &root().join(bad),
                &out,
                "constructs-client",
                Mode::default(),
            )
            .unwrap_err();
            assert!(
                format!("{err:#}").contains("disagree") || format!("{err:#}").contains("Swagger"),
                "{err:#}"
            );
            assert_eq!(snapshot(&out), before, "{bad} changed the output");
        }
        let deny = Mode {
            deny_warnings: true,
            ..Mode::default()
        };
        let err = run(
            &root().join("generator/tests/warnings"),
            &out,
            "constructs-client",
            deny,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "2 warning(s) with --deny-warnings; {} was not changed",
                out.display()
            )
        );
        assert_eq!(snapshot(&out), before);
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn check_never_writes() {
        let out = temp_out("check");
        let check = Mode {
            check: true,
            ..Mode::default()
        };
        assert!(!run(
            &root().join(TARGETS[1].spec),
            &out,
            "constructs-client",
            check
        )
        .unwrap());
        assert!(!out.exists(), "--check created the output directory");
    }
}
