//! `cargo xtask bench`: how fast the generator is, and how heavy its output.
//!
//! Measured, each as the median of several runs, in one release build:
//!
//! - end-to-end codegen (load, normalize, merge, model, emit, format, write
//!   into an empty directory) of `spec/` and of the whole C1 API, next to the
//!   time it takes only to parse the same YAML into a `serde_yaml::Value`;
//! - the peak memory of one full-API codegen run (its own process);
//! - `cargo check` of the generated full-API crate with its dependencies
//!   already built (non-incremental, so the whole crate is checked): time
//!   and peak memory, with all features and with `personal_client` alone;
//! - the line count of its generated files.
//!
//! Peak memory comes from `getrusage` (Linux, `ru_maxrss`), taken in a helper
//! process per measurement so that runs do not mix.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use crate::codegen;

/// Runs the benchmark; in a debug build, runs itself again in release first.
pub fn run(runs: usize, full: Option<PathBuf>) -> anyhow::Result<()> {
    if cfg!(debug_assertions) {
        eprintln!("bench: building xtask in release mode");
        let mut command = Command::new(env!("CARGO"));
        command.args([
            "run",
            "--quiet",
            "--release",
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
        let status = command.current_dir(codegen::root()).status()?;
        if !status.success() {
            bail!("the release benchmark failed");
        }
        return Ok(());
    }
    let full = match full.or_else(|| {
        std::env::var_os("C1_SPECS_DIR").map(|d| PathBuf::from(d).join("c1-full.openapi.yaml"))
    }) {
        Some(path) if path.is_file() => path,
        Some(path) => bail!("{} is not a file", path.display()),
        None => {
            bail!("give --full FILE, or set C1_SPECS_DIR to the directory of c1-full.openapi.yaml")
        }
    };
    let work = codegen::root().join("target/bench");
    std::fs::create_dir_all(&work)?;
    let mut report = String::from("| measure | median | notes |\n| --- | --- | --- |\n");
    for (name, spec) in [
        ("spec/ (5 documents)", codegen::root().join("spec")),
        ("c1-full.openapi.yaml", full.clone()),
    ] {
        let texts: Vec<String> = c1_codegen::load::document_paths(&spec)?
            .iter()
            .map(std::fs::read_to_string)
            .collect::<Result<_, _>>()?;
        let parse = median(runs, || {
            for text in &texts {
                let _: serde_yaml::Value = serde_yaml::from_str(text)?;
            }
            Ok(())
        })?;
        let mut generate = Vec::new();
        for run in 0..runs.max(1) {
            let out = work.join(format!("codegen-out-{run}"));
            if out.exists() {
                std::fs::remove_dir_all(&out)?;
            }
            let started = Instant::now();
            codegen_once(&spec, &out)?;
            generate.push(started.elapsed());
        }
        generate.sort();
        let generate = generate[generate.len() / 2];
        let ratio = generate.as_secs_f64() / parse.as_secs_f64();
        report.push_str(&format!(
            "| parse YAML only, {name} | {} | serde_yaml::Value |\n",
            ms(parse)
        ));
        report.push_str(&format!(
            "| codegen end to end, {name} | {} | {ratio:.2}x the bare parse |\n",
            ms(generate)
        ));
    }
    let exe = std::env::current_exe()?;
    let rss_out = work.join("codegen-rss");
    if rss_out.exists() {
        std::fs::remove_dir_all(&rss_out)?;
    }
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
    if crate_dir.exists() {
        std::fs::remove_dir_all(&crate_dir)?;
    }
    codegen_once(&full, &crate_dir)?;
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
    println!("{report}");
    std::fs::write(work.join("report.md"), &report)?;
    eprintln!("bench: written to {}", work.join("report.md").display());
    Ok(())
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

/// The median duration of `runs` calls of `f`.
fn median(runs: usize, mut f: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<Duration> {
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        f()?;
        samples.push(started.elapsed());
    }
    samples.sort();
    Ok(samples[samples.len() / 2])
}

/// Generates `spec` into `out`: render in memory, then write.
pub fn codegen_once(spec: &Path, out: &Path) -> anyhow::Result<()> {
    let files = codegen::render(spec, out, "c1-client", "0.1.0")?.files;
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
    codegen_once(spec, out)?;
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
                if text.starts_with(c1_codegen::emit::HEADER)
                    && !text.contains("// A copy of generated/")
                {
                    total += text.lines().count();
                }
            }
        }
    }
    Ok(total)
}

fn touch(path: &Path) -> anyhow::Result<()> {
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
