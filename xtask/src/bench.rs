//! `cargo xtask bench`: how fast the generator is, and how heavy its output.
//!
//! First, as users run it: the debug build `cargo xtask codegen` runs (the
//! dev profile, which optimizes the generator and its parsers), each as the
//! median of several runs in a process of its own:
//!
//! - whole-API codegen into an empty directory, and `spec/` as vendored;
//! - `cargo xtask codegen --check` on the committed crates (cargo included);
//! - locating and printing every conflict of the whole API beside a copy
//!   whose string properties are integers (over 2,000 conflicts);
//! - with `--first-build`: a first `cargo build -p xtask` in an empty target
//!   directory, with the dev profile's optimizations and without them, and
//!   whole-API codegen with the build made without them.
//!
//! Then, in a release build (the workspace's `fast` profile: the default
//! release settings, which a library user's own release build has; the
//! `release` profile is the command line's, built for size):
//!
//! - end-to-end codegen (load, normalize, merge, model, emit, format, write
//!   into an empty directory) of `spec/` and of the whole C1 API, next to the
//!   time it takes only to parse the same YAML into a `serde_yaml::Value`;
//! - the peak memory of one full-API codegen run (its own process);
//! - `cargo check` of the generated full-API crate with its dependencies
//!   already built (non-incremental, so the whole crate is checked): time
//!   and peak memory, with all features and with `personal_client` alone;
//! - the line count of its generated files;
//! - decoding a 2 MB user search response into the models of the committed
//!   crate, against decoding it into a `serde_json::Value`
//!   (`generated/examples/decode_bench.rs`, in the `fast` profile).
//!
//! - the command line (`cli/`, binary `c1`, release): the binary's size,
//!   `c1 --help`, `c1 personal-client list` against a loopback server that
//!   answers at once, and `cargo check` of the crate with its dependencies
//!   already built.
//!
//! `--conformance` measures only the conformance suite, as CI runs it (the
//! debug test builds of `c1-conformance` and of `c1-cli`'s
//! `tests/integration/conformance.rs`, built once first): each part's wall time.
//!
//! Peak memory comes from `getrusage` (Linux, `ru_maxrss`), taken in a helper
//! process per measurement so that runs do not mix.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use c1_codegen::emit::FormatCache;

use crate::codegen;

/// Runs the benchmark: in a debug build, what users run, then itself again
/// in release for the rest.
pub fn run(
    runs: usize,
    full: Option<PathBuf>,
    first_build: bool,
    cli_only: bool,
) -> anyhow::Result<()> {
    if cfg!(not(debug_assertions)) && cli_only {
        let report = format!(
            "| measure | median | notes |\n| --- | --- | --- |\n{}",
            cli_bench(runs, &std::env::current_exe()?)?
        );
        println!("{report}");
        return Ok(());
    }
    if cfg!(debug_assertions) {
        if !cli_only {
            as_users_run_it(runs, full.as_deref(), first_build)?;
        }
        eprintln!("bench: building xtask in release mode (the `fast` profile)");
        let mut command = Command::new(env!("CARGO"));
        command.args([
            "run",
            "--quiet",
            "--profile",
            "fast",
            "--package",
            "xtask",
            "--",
            "bench",
            "--runs",
            &runs.to_string(),
        ]);
        if let Some(full) = &full {
            command.arg("--full").arg(full);
        }
        if cli_only {
            command.arg("--cli");
        }
        let status = command.current_dir(codegen::root()).status()?;
        if !status.success() {
            bail!("the release benchmark failed");
        }
        return Ok(());
    }
    let full = whole_api(full.as_deref())?;
    let work = codegen::root().join("target/bench");
    std::fs::create_dir_all(&work)?;
    let mut report = String::from("| measure | median | notes |\n| --- | --- | --- |\n");
    for (name, spec) in [
        (
            "spec/ (5 pages and the whole API)",
            codegen::root().join("spec"),
        ),
        ("the whole API alone", full.clone()),
    ] {
        let texts: Vec<String> = c1_codegen::load::document_paths(&spec)?
            .iter()
            .map(std::fs::read_to_string)
            .collect::<Result<_, _>>()?;
        let parse = median_of(runs, |_| {
            let started = Instant::now();
            for text in &texts {
                let _: serde_yaml::Value = serde_yaml::from_str(text)?;
            }
            Ok(started.elapsed())
        })?;
        let generate = median_of(runs, |run| {
            let out = work.join(format!("codegen-out-{run}"));
            fresh(&out)?;
            let started = Instant::now();
            codegen_once(&spec, &out, None)?;
            Ok(started.elapsed())
        })?;
        // As a second run finds it: the cache the first one saved, loaded.
        let cache_file = work.join("format-cache");
        let first = std::sync::Arc::new(FormatCache::new("bench"));
        codegen_once(&spec, &work.join("codegen-out-cache"), Some(first.clone()))?;
        first.save(&cache_file)?;
        let cached = median_of(runs, |run| {
            let out = work.join(format!("codegen-out-{run}"));
            fresh(&out)?;
            let started = Instant::now();
            let cache = FormatCache::load(&cache_file, "bench");
            codegen_once(&spec, &out, Some(std::sync::Arc::new(cache)))?;
            Ok(started.elapsed())
        })?;
        let ratio = |d: Duration| d.as_secs_f64() / parse.as_secs_f64();
        report.push_str(&format!(
            "| parse YAML only, {name} | {} | serde_yaml::Value |\n",
            ms(parse)
        ));
        report.push_str(&format!(
            "| codegen end to end, {name}, every file formatted | {} | {:.2}x the bare parse |\n",
            ms(generate),
            ratio(generate)
        ));
        report.push_str(&format!(
            "| the same, unchanged files from the format cache | {} | {:.2}x the bare parse |\n",
            ms(cached),
            ratio(cached)
        ));
    }
    let exe = std::env::current_exe()?;
    let rss_out = work.join("codegen-rss");
    fresh(&rss_out)?;
    let rss = helper(
        Command::new(&exe)
            .arg("bench-codegen-once")
            .arg(&full)
            .arg(&rss_out),
    )?;
    report.push_str(&format!(
        "| peak memory, codegen of the full API | {} | one process |\n",
        mb(rss.1)
    ));

    let crate_dir = work.join("c1-full");
    fresh(&crate_dir)?;
    codegen_once(&full, &crate_dir, None)?;
    std::fs::copy(
        codegen::root().join("Cargo.lock"),
        crate_dir.join("Cargo.lock"),
    )?;
    let lines = generated_lines(&crate_dir)?;
    for (label, features) in [
        ("all features", vec![]),
        (
            "personal_client only",
            vec!["--no-default-features", "--features", "personal_client"],
        ),
    ] {
        cargo_check(&crate_dir, &features)?; // dependencies
        let mut samples = Vec::new();
        for _ in 0..runs.clamp(1, 5) {
            touch(&crate_dir.join("src/lib.rs"))?;
            samples.push(helper(&mut check_command(&exe, &crate_dir, &features))?);
        }
        samples.sort_by_key(|s| s.0);
        let (time, _) = samples[samples.len() / 2];
        let peak = samples.iter().map(|s| s.1).max().unwrap_or(0);
        report.push_str(&format!(
            "| cargo check of the generated full crate, {label} | {} | peak memory {} over {} runs |\n",
            secs(time),
            mb(peak),
            samples.len()
        ));
    }
    report.push_str(&format!(
        "| generated full crate | {lines} lines | generated files only |\n"
    ));
    report.push_str(&decode_bench(runs)?);
    report.push_str(&cli_bench(runs, &exe)?);
    println!("{report}");
    std::fs::write(work.join("report.md"), &report)?;
    eprintln!("bench: written to {}", work.join("report.md").display());
    Ok(())
}

/// The decoding benchmark's line of the report (`generated/examples/decode_bench.rs`).
fn decode_bench(runs: usize) -> anyhow::Result<String> {
    eprintln!("bench: decoding (builds c1-client in release mode)");
    let output = Command::new(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "--profile",
            "fast",
            "--package",
            "c1-client",
            "--example",
            "decode_bench",
            "--",
        ])
        .arg((runs * 4 + 1).to_string())
        .current_dir(codegen::root())
        .output()?;
    if !output.status.success() {
        bail!(
            "the decoding benchmark failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8(output.stdout)?)
}

/// The whole API: `full`, or the one vendored in `spec/`.
fn whole_api(full: Option<&Path>) -> anyhow::Result<PathBuf> {
    let path = full
        .map(Path::to_path_buf)
        .unwrap_or_else(|| codegen::root().join(WHOLE_API));
    if !path.is_file() {
        bail!("{} is not a file", path.display());
    }
    Ok(path)
}

/// The whole C1 API as vendored.
const WHOLE_API: &str = "spec/conductor_one_api.openapi.yaml";

/// What users run, measured in the build they run it in (see the module docs).
fn as_users_run_it(runs: usize, full: Option<&Path>, first_build: bool) -> anyhow::Result<()> {
    let full = whole_api(full)?;
    let exe = std::env::current_exe()?;
    let work = codegen::root().join("target/bench");
    std::fs::create_dir_all(&work)?;
    let mut report =
        String::from("| as users run it (debug build) | median | notes |\n| --- | --- | --- |\n");
    for (name, spec) in [
        ("whole-API codegen into an empty directory", full.clone()),
        (
            "codegen of spec/ into an empty directory",
            codegen::root().join("spec"),
        ),
    ] {
        let cold = codegen_runs(&exe, &spec, &work, runs, &["--no-format-cache"])?;
        let warm = codegen_runs(&exe, &spec, &work, runs, &[])?;
        report.push_str(&format!(
            "| {name} | {} / {} | `xtask codegen --spec ... --out ...`: every file formatted / the format cache |\n",
            ms(cold),
            ms(warm)
        ));
    }
    let check = |args: &'static [&'static str]| {
        median_of(runs, |_| {
            let mut command = Command::new(env!("CARGO"));
            command
                .args(["xtask", "codegen", "--check"])
                .args(args)
                .current_dir(codegen::root());
            timed(&mut command)
        })
    };
    let (cold, warm) = (check(&["--no-format-cache"])?, check(&[])?);
    report.push_str(&format!(
        "| `cargo xtask codegen --check`, crates up to date | {} / {} | every file formatted / the format cache; cargo's own start included |\n",
        ms(cold),
        ms(warm)
    ));
    let conflicts = conflicting_spec(&full, &work.join("conflicts"))?;
    let mut printed = 0;
    let time = median_of(runs, |_| {
        let mut command = Command::new(&exe);
        command
            .arg("codegen")
            .arg("--spec")
            .arg(&conflicts)
            .arg("--out")
            .arg(work.join("conflicts-out"));
        let started = Instant::now();
        let output = command.output()?;
        let elapsed = started.elapsed();
        if output.status.success() {
            bail!("the conflicting spec generated");
        }
        printed = String::from_utf8_lossy(&output.stderr)
            .matches(" disagree at ")
            .count();
        Ok(elapsed)
    })?;
    report.push_str(&format!(
        "| {printed} conflicts located and printed | {} | the whole API beside a copy with integer strings |\n",
        ms(time)
    ));
    if first_build {
        first_builds(&full, &work, &mut report)?;
    }
    println!("{report}");
    std::fs::write(work.join("report-dev.md"), &report)?;
    eprintln!("bench: written to {}", work.join("report-dev.md").display());
    Ok(())
}

/// `dir` holding the whole API and a copy of it whose `type: string`
/// properties are `type: integer`.
fn conflicting_spec(full: &Path, dir: &Path) -> anyhow::Result<PathBuf> {
    let text = std::fs::read_to_string(full)?;
    let changed: String = text
        .lines()
        .map(|line| {
            if line.trim() == "type: string" {
                line.replace("type: string", "type: integer")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("a.yaml"), text)?;
    std::fs::write(dir.join("b.yaml"), changed)?;
    Ok(dir.to_path_buf())
}

/// The packages the dev profile optimizes (`[profile.dev.package.NAME]`
/// with an `opt-level`), from the workspace manifest.
fn optimized_packages() -> anyhow::Result<Vec<String>> {
    let manifest = std::fs::read_to_string(codegen::root().join("Cargo.toml"))?;
    let mut packages = Vec::new();
    let mut current: Option<&str> = None;
    for line in manifest.lines() {
        if let Some(name) = line
            .strip_prefix("[profile.dev.package.")
            .and_then(|l| l.strip_suffix(']'))
        {
            current = Some(name.trim_matches('"'));
        } else if line.starts_with('[') {
            current = None;
        } else if let (Some(name), true) = (current, line.starts_with("opt-level")) {
            packages.push(name.to_string());
        }
    }
    Ok(packages)
}

/// A first build of xtask in an empty target directory, with the dev
/// profile's optimizations and without them, and codegen with each build.
fn first_builds(full: &Path, work: &Path, report: &mut String) -> anyhow::Result<()> {
    let packages = optimized_packages()?;
    for optimized in [true, false] {
        let target = work.join(if optimized {
            "first-build"
        } else {
            "first-build-unoptimized"
        });
        fresh(&target)?;
        let mut build = Command::new(env!("CARGO"));
        build
            .args(["build", "--quiet", "--package", "xtask"])
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(codegen::root());
        if !optimized {
            // Profiles given with --config take precedence over the manifest's.
            for name in &packages {
                build
                    .arg("--config")
                    .arg(format!("profile.dev.package.{name}.opt-level=0"));
            }
        }
        let built = timed(&mut build)?;
        let exe = target.join("debug/xtask");
        let codegen = codegen_runs(&exe, full, work, 3, &["--no-format-cache"])?;
        let label = if optimized {
            "with the dev profile's optimizations"
        } else {
            "without them (every package at opt-level 0)"
        };
        report.push_str(&format!(
            "| first `cargo build -p xtask`, {label} | {} | then whole-API codegen: {} (median of 3) |\n",
            secs(built),
            ms(codegen)
        ));
    }
    Ok(())
}

/// The conformance suite's parts, as CI runs them (debug test builds, built
/// before timing): the median wall time of `runs` runs of each, cargo's own
/// start included.
pub fn conformance(runs: usize) -> anyhow::Result<String> {
    let parts: [(&str, &[&str]); 3] = [
        (
            "requests: 312 operations x 3 rounds, through the client",
            &["-p", "c1-conformance", "--test", "requests"],
        ),
        (
            "answers: 312 responses and every component schema x 3 rounds",
            &["-p", "c1-conformance", "--test", "answers"],
        ),
        (
            "command line: 312 commands' --dry-run x 3 rounds",
            &["-p", "c1-cli", "--test", "integration", "conformance::"],
        ),
    ];
    let test = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO"));
        command
            .current_dir(codegen::root())
            .args(["test", "--quiet"])
            .args(args);
        command
    };
    eprintln!("bench: building the conformance suite");
    for (_, args) in parts {
        let mut build = test(args);
        build.arg("--no-run");
        timed(&mut build)?;
    }
    let mut report = String::from(
        "| conformance suite (debug test build) | median | notes |\n| --- | --- | --- |\n",
    );
    let mut total = Duration::ZERO;
    for (name, args) in parts {
        let median = median_of(runs, |_| timed(&mut test(args)))?;
        total += median;
        report.push_str(&format!(
            "| {name} | {} | `cargo test {}` |\n",
            ms(median),
            args.join(" ")
        ));
    }
    report.push_str(&format!(
        "| the whole suite | {} | sum of the medians |\n",
        ms(total)
    ));
    Ok(report)
}

/// The median time of `runs` runs of `exe codegen --spec SPEC --out DIR
/// [ARGS]`, each into an empty directory: codegen as the build `exe` is
/// runs it.
fn codegen_runs(
    exe: &Path,
    spec: &Path,
    work: &Path,
    runs: usize,
    args: &[&str],
) -> anyhow::Result<Duration> {
    median_of(runs, |run| {
        let out = work.join(format!("exe-out-{run}"));
        fresh(&out)?;
        let mut command = Command::new(exe);
        command
            .arg("codegen")
            .args(args)
            .arg("--spec")
            .arg(spec)
            .arg("--out")
            .arg(&out);
        timed(&mut command)
    })
}

/// Runs `command` (its output discarded) and times it; fails when it fails.
pub(crate) fn timed(command: &mut Command) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let output = command.output()?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        bail!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(elapsed)
}

/// The median of `runs` timed calls of `f` (given the run's number).
pub(crate) fn median_of(
    runs: usize,
    mut f: impl FnMut(usize) -> anyhow::Result<Duration>,
) -> anyhow::Result<Duration> {
    let mut samples = (0..runs.max(1))
        .map(&mut f)
        .collect::<anyhow::Result<Vec<_>>>()?;
    samples.sort();
    Ok(samples[samples.len() / 2])
}

fn check_command(exe: &Path, crate_dir: &Path, features: &[&str]) -> Command {
    let mut command = Command::new(exe);
    command.args([
        "bench-exec",
        env!("CARGO"),
        "check",
        "--offline",
        "--quiet",
        "--manifest-path",
    ]);
    command.arg(crate_dir.join("Cargo.toml")).args(features);
    command
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_TARGET_DIR", codegen::root().join("target"));
    command
}

fn cargo_check(crate_dir: &Path, features: &[&str]) -> anyhow::Result<()> {
    let status = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .args(features)
        .env("CARGO_TARGET_DIR", codegen::root().join("target"))
        .status()?;
    if !status.success() {
        bail!("cargo check of {} failed", crate_dir.display());
    }
    Ok(())
}

/// Removes the directory `path` if it exists, so that a run starts empty.
fn fresh(path: &Path) -> anyhow::Result<()> {
    if path.exists() {
        std::fs::remove_dir_all(path)?;
    }
    Ok(())
}

/// Generates `spec` into `out` (through `cache`, if given): render in
/// memory, then write.
pub fn codegen_once(
    spec: &Path,
    out: &Path,
    cache: Option<std::sync::Arc<FormatCache>>,
) -> anyhow::Result<()> {
    let files = codegen::render(spec, out, "c1-client", "0.1.0", false, cache)?.files;
    let changes = c1_codegen::write::plan(out, &files)?;
    c1_codegen::write::apply(out, &changes)?;
    Ok(())
}

/// Runs a helper process that prints `<seconds> <peak KiB>`, and reads it.
fn helper(command: &mut Command) -> anyhow::Result<(Duration, u64)> {
    let output = command
        .output()
        .context("cannot run the benchmark helper")?;
    if !output.status.success() {
        bail!(
            "benchmark helper failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut words = text.split_whitespace();
    let seconds: f64 = words.next().context("no time")?.parse()?;
    let kib: u64 = words.next().context("no memory")?.parse()?;
    Ok((Duration::from_secs_f64(seconds), kib))
}

/// `xtask bench-exec CMD...`: runs CMD and prints its time and the peak
/// memory of its process tree.
pub fn exec(args: &[String]) -> anyhow::Result<()> {
    let (program, rest) = args.split_first().context("bench-exec needs a command")?;
    let started = Instant::now();
    let status = Command::new(program).args(rest).status()?;
    let elapsed = started.elapsed();
    if !status.success() {
        bail!("{program} failed");
    }
    println!(
        "{} {}",
        elapsed.as_secs_f64(),
        peak_kib(libc::RUSAGE_CHILDREN)
    );
    Ok(())
}

/// `xtask bench-codegen-once SPEC OUT`: one codegen run, then its time and
/// this process's peak memory.
pub fn codegen_in_process(spec: &Path, out: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    codegen_once(spec, out, None)?;
    println!(
        "{} {}",
        started.elapsed().as_secs_f64(),
        peak_kib(libc::RUSAGE_SELF)
    );
    Ok(())
}

/// The peak resident set (KiB) of this process, or of its largest waited-for
/// child tree.
fn peak_kib(who: libc::c_int) -> u64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage.
    let ok = unsafe { libc::getrusage(who, &mut usage) } == 0;
    if ok {
        usage.ru_maxrss.max(0) as u64
    } else {
        0
    }
}

/// The lines of the generated files under `dir/src`.
fn generated_lines(dir: &Path) -> anyhow::Result<usize> {
    let mut total = 0;
    let mut pending = vec![dir.join("src")];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let text = std::fs::read_to_string(&path)?;
                if text.starts_with(c1_codegen::file::HEADER)
                    && !text.contains("// A copy of generated/")
                {
                    total += text.lines().count();
                }
            }
        }
    }
    Ok(total)
}

/// Makes cargo see `path` as changed (rewrites it as it is).
pub(crate) fn touch(path: &Path) -> anyhow::Result<()> {
    let text = std::fs::read(path)?;
    std::fs::write(path, text)?;
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn mb(kib: u64) -> String {
    format!("{:.0} MB", kib as f64 / 1024.0)
}

/// The command line: binary size, start-up (`--help`), one call against a
/// loopback server, and `cargo check` of the crate.
fn cli_bench(runs: usize, exe: &Path) -> anyhow::Result<String> {
    eprintln!("bench: the command line (builds c1-cli in release mode)");
    let root = codegen::root();
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--release", "--package", "c1-cli"])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("cannot build c1-cli");
    }
    let c1 = root.join("target/release/c1");
    let size = std::fs::metadata(&c1)?.len();
    let help = median_of(runs, |_| timed(Command::new(&c1).arg("--help")))?;
    let server = loopback_server()?;
    let list = median_of(runs, |_| {
        timed(
            Command::new(&c1)
                .args(["personal-client", "list"])
                .env("CONDUCTORONE_ACCESS_TOKEN", "bench")
                .env("CONDUCTORONE_SERVER_URL", &server),
        )
    })?;
    let crate_dir = root.join("cli");
    cargo_check(&crate_dir, &[])?; // dependencies
    let mut samples = Vec::new();
    for _ in 0..runs.clamp(1, 5) {
        touch(&crate_dir.join("src/main.rs"))?;
        samples.push(helper(&mut check_command(exe, &crate_dir, &[]))?.0);
    }
    samples.sort();
    let check = samples[samples.len() / 2];
    Ok(format!(
        "| c1 binary (release) | {:.1} MB | target/release/c1 |\n\
         | c1 --help | {} | budget 20 ms |\n\
         | c1 personal-client list, loopback | {} | budget 50 ms |\n\
         | cargo check of cli/ | {} | dependencies built, {} runs |\n",
        size as f64 / 1e6,
        ms(help),
        ms(list),
        secs(check),
        samples.len()
    ))
}

/// A server on 127.0.0.1 that answers every request with an empty list, in
/// a thread of its own; its URL.
fn loopback_server() -> anyhow::Result<String> {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}", listener.local_addr()?);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer);
            let body = r#"{"list":[]}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Ok(url)
}
