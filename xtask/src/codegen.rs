//! `cargo xtask codegen`: regenerate the client crates, or check that they
//! are up to date.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};
use std::time::UNIX_EPOCH;

use anyhow::Context;
use c1_codegen::diff::{self, Report, Summary};
use c1_codegen::emit::FormatCache;
use c1_codegen::write::{self, FileChange};
use c1_codegen::{GeneratedFile, Note, Options};

/// A generated crate this repository commits.
pub struct Target {
    /// The spec directory, relative to the workspace root.
    pub spec: &'static str,
    /// The crate's directory, relative to the workspace root.
    pub out: &'static str,
    /// Its package name.
    pub package: &'static str,
    /// Whether its spec is warning-free, so that `--deny-warnings` holds it
    /// to that (the fixture has warned constructs on purpose).
    pub warning_free: bool,
    /// The command-line crate whose generated part (`src/generated/`) is
    /// written beside it, if any: its directory, relative to the workspace
    /// root.
    pub cli: Option<&'static str>,
}

/// The client crate, and the crate of the fixture that shows every construct.
pub const TARGETS: [Target; 2] = [
    Target {
        spec: "spec",
        out: "generated",
        package: "c1-client",
        warning_free: true,
        cli: Some("cli"),
    },
    Target {
        spec: "generator/tests/fixtures/constructs/spec",
        out: "generator/tests/fixtures/constructs/client",
        package: "constructs-client",
        warning_free: false,
        cli: None,
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
    /// Every file of the crate: the generated modules and the runtime's copies.
    pub files: Vec<GeneratedFile>,
    /// The command line's generated files, if they were asked for.
    pub cli: Vec<GeneratedFile>,
    /// What the merge reconciled.
    pub notes: Vec<Note>,
    /// Constructs typed less precisely than the spec describes.
    pub warnings: Vec<String>,
    /// The public surface of the crate.
    pub summary: Summary,
}

/// Renders the whole crate for `spec`, in memory; with `cli`, the command
/// line's generated files too.
pub fn render(
    spec: &Path,
    out: &Path,
    package: &str,
    version: &str,
    cli: bool,
    format_cache: Option<Arc<FormatCache>>,
) -> anyhow::Result<Rendered> {
    let options = Options {
        format_cache,
        conformance_path: conformance_path(out),
        package: package.to_string(),
        version: version.to_string(),
        cli,
    };
    let generated = c1_codegen::generate(spec, &options)
        .with_context(|| format!("cannot generate from {}", spec.display()))?;
    Ok(Rendered {
        files: generated.files,
        cli: generated.cli,
        notes: generated.notes,
        warnings: generated.warnings.iter().map(ToString::to_string).collect(),
        summary: generated.summary,
    })
}

/// The conformance harness beside the client crate `dir`, if there is one
/// (the workspace's `conformance/`), as its manifest names it.
fn conformance_path(dir: &Path) -> Option<String> {
    let harness = dir.parent()?.join("conformance");
    harness
        .join("Cargo.toml")
        .is_file()
        .then(|| "../conformance".to_string())
}

/// The version in `out/Cargo.toml`, or `0.1.0` for a new crate.
fn current_version(out: &Path) -> String {
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap_or_default();
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \"")?.strip_suffix('"'))
        .unwrap_or("0.1.0")
        .to_string()
}

/// The API summary the crate in `out` was generated from, if it has one.
fn previous_summary(out: &Path) -> Option<Summary> {
    serde_json::from_str(&std::fs::read_to_string(out.join("api.json")).ok()?).ok()
}

/// What `out` needs to match `spec`.
pub struct Plan {
    /// The changes to make.
    pub changes: Vec<FileChange>,
    /// How many files are generated in all.
    pub total: usize,
    /// The command-line crate's directory, and the changes to and count of
    /// its generated files, if they are generated too.
    pub cli: Option<(PathBuf, Vec<FileChange>, usize)>,
    /// What the merge reconciled.
    pub notes: Vec<Note>,
    /// Constructs typed less precisely than the spec describes.
    pub warnings: Vec<String>,
    /// The API changes since the crate was last generated (`None` for a
    /// crate without an `api.json`).
    pub report: Option<Report>,
    /// The crate's version, and the one it is bumped to.
    pub version: (String, String),
}

/// What `out` needs to match `spec`; with `bump`, with the crate's version
/// raised as the API changes require.
pub fn plan(
    spec: &Path,
    out: &Path,
    package: &str,
    bump: bool,
    cli: Option<&Path>,
    cache: Option<Arc<FormatCache>>,
) -> anyhow::Result<Plan> {
    let version = current_version(out);
    let mut rendered = render(spec, out, package, &version, cli.is_some(), cache.clone())?;
    let report = previous_summary(out).map(|old| diff::diff(&old, &rendered.summary));
    let mut next = version.clone();
    if let Some(level) = report.as_ref().and_then(Report::bump).filter(|_| bump) {
        next = diff::bumped(&version, level)
            .with_context(|| format!("cannot bump version `{version}`"))?;
        rendered = render(spec, out, package, &next, cli.is_some(), cache)?;
    }
    let Rendered {
        files,
        cli: cli_files,
        notes,
        warnings,
        ..
    } = rendered;
    let changes = write::plan(out, &files)?;
    let cli = match cli {
        Some(dir) => Some((
            dir.to_path_buf(),
            write::plan(dir, &cli_files)?,
            cli_files.len(),
        )),
        None => None,
    };
    Ok(Plan {
        changes,
        total: files.len(),
        cli,
        notes,
        warnings,
        report,
        version: (version, next),
    })
}

/// How `cargo xtask codegen` runs.
#[derive(Debug, Clone, Default)]
pub struct Mode {
    /// Write nothing; report what would change.
    pub check: bool,
    /// Treat warnings as errors.
    pub deny_warnings: bool,
    /// Raise the crate's version as the API changes require.
    pub bump: bool,
    /// Also write the API change report to this file, as Markdown.
    pub report: Option<PathBuf>,
    /// List every note of the merge, not only their count by kind.
    pub notes: bool,
    /// Take files whose tokens did not change from the format cache.
    pub format_cache: bool,
}

/// Generates from `spec` into `out`; with `check`, only reports what would
/// change. Nothing is written unless every step succeeded. Ends with the
/// report of API changes. Returns whether `out` is (now) up to date.
pub fn run(
    spec: &Path,
    out: &Path,
    package: &str,
    mode: &Mode,
    cli: Option<&Path>,
) -> anyhow::Result<bool> {
    let Plan {
        changes,
        total,
        cli,
        notes,
        warnings,
        report,
        version,
    } = plan(spec, out, package, mode.bump, cli, cache_for(mode))?;
    print_notes(&notes, mode.notes);
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    if !warnings.is_empty() {
        let fallbacks = warnings
            .iter()
            .filter(|w| w.contains("serde_json::Value"))
            .count();
        eprintln!(
            "{} warning(s); {fallbacks} construct(s) typed as serde_json::Value",
            warnings.len()
        );
    }
    if mode.deny_warnings && !warnings.is_empty() {
        anyhow::bail!(
            "{} warning(s) with --deny-warnings; {} was not changed",
            warnings.len(),
            out.display()
        );
    }
    let mut up_to_date = settle(out, &changes, total, mode.check)?;
    if let Some((dir, changes, total)) = &cli {
        up_to_date &= settle(dir, changes, *total, mode.check)?;
    }
    if version.0 != version.1 {
        eprintln!("{}: version {} -> {}", out.display(), version.0, version.1);
    }
    match &report {
        Some(report) if report.bump().is_some() => {
            eprintln!("\n{}", report.markdown());
            write_report(mode, report)?;
        }
        Some(report) => {
            eprintln!("{}: {}", out.display(), report.count_line());
            write_report(mode, report)?;
        }
        None => eprintln!(
            "{}: no api.json from an earlier run, so no change report",
            out.display()
        ),
    }
    Ok(up_to_date)
}

/// With `check`, reports how `out` is stale (returns whether it is up to
/// date); else applies `changes` and says what changed.
fn settle(out: &Path, changes: &[FileChange], total: usize, check: bool) -> anyhow::Result<bool> {
    if check {
        for change in changes {
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
    write::apply(out, changes)?;
    for change in changes {
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

/// What the merge reconciled: one line per kind, or with `all` every note.
fn print_notes(notes: &[Note], all: bool) {
    if notes.is_empty() {
        return;
    }
    if all {
        for note in notes {
            eprintln!("note: {note}");
        }
    } else {
        eprintln!(
            "{}; --notes to list them",
            c1_codegen::merge::summarize(notes)
        );
    }
}

fn write_report(mode: &Mode, report: &Report) -> anyhow::Result<()> {
    if let Some(path) = &mode.report {
        std::fs::write(path, report.markdown())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// `cargo xtask diff OLD NEW`: the change report between two specs, without
/// touching any crate.
pub fn diff_specs(old: &Path, new: &Path, report_file: Option<&Path>) -> anyhow::Result<()> {
    let summary = |spec: &Path| -> anyhow::Result<Summary> {
        Ok(c1_codegen::generate(spec, &Options::default())
            .with_context(|| format!("cannot generate from {}", spec.display()))?
            .summary)
    };
    let report = diff::diff(&summary(old)?, &summary(new)?);
    println!("{}", report.markdown());
    if let Some(path) = report_file {
        std::fs::write(path, report.markdown())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
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
            let mode = Mode {
                deny_warnings: mode.deny_warnings && target.warning_free,
                ..mode.clone()
            };
            let cli = target.cli.map(|dir| relative(&root().join(dir)));
            ok &= run(
                &spec,
                &out,
                package.as_deref().unwrap_or(target.package),
                &mode,
                cli.as_deref(),
            )?;
        }
        ok
    } else {
        let spec = spec.unwrap_or_else(|| relative(&root().join("spec")));
        let out = out.unwrap_or_else(|| relative(&root().join("generated")));
        eprintln!(
            "{}: the client crate only; no command line is written with --spec or --out (`c1`'s command table, cli/src/generated/, comes from spec/ and `cargo xtask codegen` alone: the commands written by hand beside it call C1's `auth.introspect` and `task.get`)",
            out.display()
        );
        run(
            &spec,
            &out,
            package.as_deref().unwrap_or("c1-client"),
            &mode,
            None,
        )?
    };
    save_format_cache();
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The files this build of xtask formatted before ([`FormatCache`]),
/// loaded once per run.
static CACHE: OnceLock<Option<Arc<FormatCache>>> = OnceLock::new();

/// The format cache, unless `mode` says not to use one: formatting is most
/// of codegen, and most files keep their tokens from one run to the next.
fn cache_for(mode: &Mode) -> Option<Arc<FormatCache>> {
    if !mode.format_cache {
        return None;
    }
    CACHE
        .get_or_init(|| {
            let (path, identity) = format_cache_file()?;
            Some(Arc::new(FormatCache::load(&path, &identity)))
        })
        .clone()
}

/// Keeps what this run formatted for the next, if it used the cache;
/// failing to is only said.
fn save_format_cache() {
    let (Some(Some(cache)), Some((path, _))) = (CACHE.get(), format_cache_file()) else {
        return;
    };
    if let Err(e) = cache.save(&path) {
        eprintln!("note: cannot keep the format cache: {e}");
    }
}

/// The format cache's file, beside this binary in the target directory, and
/// the binary's identity (path, size, time): a rebuilt generator, which may
/// format otherwise, does not use what the one before formatted.
fn format_cache_file() -> Option<(PathBuf, String)> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let built = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    let identity = format!("{} {} {}", exe.display(), meta.len(), built.as_nanos());
    Some((exe.parent()?.join("codegen-format-cache"), identity))
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
            let cli = target.cli.map(|dir| root().join(dir));
            let plan = plan(
                &root().join(target.spec),
                &root().join(target.out),
                target.package,
                false,
                cli.as_deref(),
                None,
            )
            .unwrap();
            let cli_changes = plan.cli.iter().flat_map(|(dir, changes, _)| {
                changes.iter().map(move |c| (dir.join(c.path()), c.verb()))
            });
            let stale: Vec<String> = plan
                .changes
                .iter()
                .map(|c| (PathBuf::from(c.path()), c.verb()))
                .chain(cli_changes)
                .map(|(path, verb)| format!("  {} (would {verb})", path.display()))
                .collect();
            assert!(
                stale.is_empty(),
                "{} is stale; run `cargo xtask codegen` and commit the result:\n{}",
                target.out,
                stale.join("\n")
            );
        }
    }

    /// Nothing under the client crate's `src/` is written by hand: the
    /// runtime's source of truth is `generator/runtime/`, and every file
    /// there is a marked copy.
    #[test]
    fn every_source_file_of_the_client_crate_is_generated() {
        for (path, bytes) in snapshot(&root().join("generated/src")) {
            assert!(
                bytes.starts_with(c1_codegen::file::HEADER.as_bytes()),
                "{} is not generated; the runtime lives in generator/runtime/",
                path.display()
            );
        }
    }

    /// The command line is written by hand where it is built, but for
    /// `cli/src/generated/`: every file there is the generator's (marked,
    /// or for the JSON catalog naming it), and no file elsewhere in `cli/`
    /// is, so nothing hand-written says not to edit it.
    #[test]
    fn the_command_line_is_hand_written_but_for_its_generated_directory() {
        let cli = root().join("cli");
        let generated = cli.join(c1_codegen::emit::cli::DIR);
        let marked = |bytes: &[u8]| {
            bytes.starts_with(c1_codegen::file::HEADER.as_bytes())
                || bytes.starts_with(c1_codegen::file::TOML_HEADER.as_bytes())
                || bytes.starts_with(b"{\n\"generated_by\": \"cargo xtask codegen")
        };
        let mut inside = 0;
        for dir in ["src", "tests", "build.rs", "Cargo.toml"] {
            for (path, bytes) in snapshot(&cli.join(dir)) {
                let is_generated = path.starts_with(&generated);
                inside += usize::from(is_generated);
                assert_eq!(marked(&bytes), is_generated, "{}", path.display());
            }
        }
        assert_eq!(inside, 3, "commands.rs, conformance.rs and tools.json");
    }

    /// Every file under `dir` (or `dir` itself, a file) with its bytes.
    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        if dir.is_file() {
            return vec![(dir.to_path_buf(), std::fs::read(dir).unwrap())];
        }
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
        assert!(run(&good, &out, "constructs-client", &Mode::default(), None).unwrap());
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
                &Mode::default(),
                None,
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
            &deny,
            None,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "3 warning(s) with --deny-warnings; {} was not changed",
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
            &check,
            None,
        )
        .unwrap());
        assert!(!out.exists(), "--check created the output directory");
    }

    /// A spec directory holding `text` as `api.yaml`.
    fn spec_dir(name: &str, text: &str) -> PathBuf {
        let dir = temp_out(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("api.yaml"), text).unwrap();
        dir
    }

    const SPEC: &str = "openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    get: {tags: [G], operationId: x.A, responses: {'200': {description: ok}}}
  /b:
    get: {tags: [G], operationId: x.B, responses: {'200': {description: ok}}}
";

    #[test]
    fn bump_and_report_follow_the_api_changes() {
        let out = temp_out("bump");
        let version = |out: &Path| current_version(out);
        let report = temp_out("bump-report.md");
        let bump = Mode {
            bump: true,
            report: Some(report.clone()),
            ..Mode::default()
        };
        assert!(run(&spec_dir("bump-1", SPEC), &out, "c1-client", &bump, None).unwrap());
        assert_eq!(
            version(&out),
            "0.1.0",
            "a new crate has nothing to compare with"
        );
        assert!(!report.exists());

        let removed = SPEC.replace("  /b:\n    get: {tags: [G], operationId: x.B, responses: {'200': {description: ok}}}\n", "");
        assert!(run(
            &spec_dir("bump-2", &removed),
            &out,
            "c1-client",
            &bump,
            None
        )
        .unwrap());
        assert_eq!(version(&out), "0.2.0", "a removed operation is breaking");
        let markdown = std::fs::read_to_string(&report).unwrap();
        assert!(
            markdown.contains("- `client.g().b()` (G.B, `GET /b`) **(breaking)**"),
            "{markdown}"
        );
        assert!(
            markdown.ends_with("1 change, 1 breaking: a major version bump.\n"),
            "{markdown}"
        );

        assert!(run(&spec_dir("bump-3", SPEC), &out, "c1-client", &bump, None).unwrap());
        assert_eq!(version(&out), "0.2.1", "an added operation is not");

        assert!(run(&spec_dir("bump-4", SPEC), &out, "c1-client", &bump, None).unwrap());
        assert_eq!(version(&out), "0.2.1", "no change, no bump");
        for dir in ["bump", "bump-1", "bump-2", "bump-3", "bump-4"] {
            let _ = std::fs::remove_dir_all(temp_out(dir));
        }
        let _ = std::fs::remove_file(report);
    }
}
