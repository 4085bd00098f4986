//! `cargo xtask bench --builds`: what users wait for, on fresh clones.
//!
//! Each side is a clone of a commit (`HEAD`, and with `--against REV` that
//! revision too) in `target/bench/builds/`, built with its own empty target
//! directory. Per run, and for each side in turn (so that the machine's
//! load falls on both alike):
//!
//! - `cargo install --path cli` from an empty target directory;
//! - the installed binary's size, and `c1 --help`;
//! - the `c1-cli` crate alone in release (its `main.rs` touched), then the
//!   `c1-client` crate alone (its `lib.rs` touched);
//! - with `--tests`, instead: from an empty target directory, the first
//!   `cargo xtask codegen`, then `cargo test --workspace`.
//!
//! Every figure is the median of the runs, as wall time and CPU time (user
//! and system time of the whole process tree, from `getrusage`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use crate::bench::{median_of, timed, touch};
use crate::codegen;

/// Wall and CPU time of one measured command.
#[derive(Debug, Clone, Copy, Default)]
struct Timing {
    wall: Duration,
    cpu: Duration,
}

/// The measures, in the report's order; each side keeps a sample per run.
const MEASURES: [&str; 6] = [
    "`cargo install --path cli`, empty target directory",
    "`c1-cli` alone, release",
    "`c1-client` alone, release",
    "first `cargo xtask codegen`, empty target directory",
    "`cargo test --workspace` after it",
    "`c1 --help` (budget 20 ms)",
];

/// One commit being measured: its clone and what was measured there.
struct Side {
    label: String,
    dir: PathBuf,
    samples: Vec<Vec<Timing>>,
    sizes: Vec<u64>,
}

/// Measures HEAD (and `against`), `runs` times each, alternately; the
/// report as a Markdown table.
pub fn run(runs: usize, against: Option<&str>, tests: bool) -> anyhow::Result<String> {
    let work = codegen::root().join("target/bench/builds");
    std::fs::create_dir_all(&work)?;
    let mut sides = vec![side(&work, "HEAD")?];
    if let Some(rev) = against {
        sides.push(side(&work, rev)?);
    }
    for run in 0..runs.max(1) {
        for side in &mut sides {
            eprintln!("bench: run {} of {runs}, {}", run + 1, side.label);
            measure(side, tests)?;
        }
    }
    Ok(report(&sides, tests))
}

/// A fresh clone of `rev` in `work`.
fn side(work: &Path, rev: &str) -> anyhow::Result<Side> {
    let root = codegen::root();
    let sha = git(root, &["rev-parse", "--short", rev])?;
    let dir = work.join(format!("clone-{sha}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let mut clone = Command::new("git");
    clone
        .args(["clone", "--quiet", "--no-checkout"])
        .arg(root)
        .arg(&dir);
    timed(&mut clone)?;
    git(&dir, &["checkout", "--quiet", &sha])?;
    Ok(Side {
        label: format!("{rev} ({sha})"),
        dir,
        samples: vec![Vec::new(); MEASURES.len()],
        sizes: Vec::new(),
    })
}

/// One run of the measures on `side`: the build ones, or with `tests`
/// the first codegen and the test suite.
fn measure(side: &mut Side, tests: bool) -> anyhow::Result<()> {
    let taken = if tests {
        measure_tests(&side.dir)?
    } else {
        let (taken, size) = measure_builds(&side.dir)?;
        side.sizes.push(size);
        taken
    };
    for (samples, timing) in side.samples.iter_mut().zip(taken) {
        samples.push(timing);
    }
    Ok(())
}

/// Install, each crate alone, `c1 --help`; and the binary's size.
fn measure_builds(dir: &Path) -> anyhow::Result<(Vec<Timing>, u64)> {
    let target = dir.join("target-install");
    let root = dir.join("installed");
    for path in [&target, &root] {
        if path.exists() {
            std::fs::remove_dir_all(path)?;
        }
    }
    let install = cargo(dir, &target)
        .args(["install", "--locked", "--path", "cli", "--root"])
        .args([&root])
        .timed()?;
    let binary = root.join("bin/c1");
    let size = std::fs::metadata(&binary)?.len();
    // Warm: the same units as a plain release build of the command line,
    // and the client's dependencies with the client's own features (the
    // command line's add some: built alone, they would be built again).
    let release = ["build", "--locked", "--release", "-p"];
    cargo(dir, &target).args(release).args(["c1-cli"]).timed()?;
    cargo(dir, &target)
        .args(release)
        .args(["c1-client"])
        .timed()?;
    touch(&dir.join("cli/src/main.rs"))?;
    let cli = cargo(dir, &target).args(release).args(["c1-cli"]).timed()?;
    touch(&dir.join("generated/src/lib.rs"))?;
    let client = cargo(dir, &target)
        .args(release)
        .args(["c1-client"])
        .timed()?;
    let help = median_of(10, |_| timed(Command::new(&binary).arg("--help")))?;
    let help = Timing {
        wall: help,
        cpu: Duration::ZERO,
    };
    let none = Timing::default();
    Ok((vec![install, cli, client, none, none, help], size))
}

/// From an empty target directory: the first codegen, then the tests.
/// The clone's own `target/` goes too: the tests keep the crates they
/// check there (`target/compiles`), which a fresh clone does not have.
fn measure_tests(dir: &Path) -> anyhow::Result<Vec<Timing>> {
    let target = dir.join("target-tests");
    for old in [&target, &dir.join("target")] {
        if old.exists() {
            std::fs::remove_dir_all(old)?;
        }
    }
    let codegen = cargo(dir, &target).args(["xtask", "codegen"]).timed()?;
    let tests = cargo(dir, &target).args(["test", "--workspace"]).timed()?;
    let none = Timing::default();
    Ok(vec![none, none, none, codegen, tests, none])
}

/// The report: a row per measure, a column per side, and the ratio of the
/// first side to the second.
fn report(sides: &[Side], tests: bool) -> String {
    let mut text = String::from("| measure |");
    for side in sides {
        text.push_str(&format!(" {} |", side.label));
    }
    if sides.len() == 2 {
        text.push_str(" ratio |");
    }
    text.push_str(&format!(
        "\n|---|{}\n",
        "---|".repeat(sides.len() + usize::from(sides.len() == 2))
    ));
    for (i, name) in MEASURES.iter().enumerate() {
        if tests != (3..5).contains(&i) {
            continue;
        }
        let medians: Vec<Timing> = sides.iter().map(|s| median_timing(&s.samples[i])).collect();
        text.push_str(&format!("| {name} |"));
        for m in &medians {
            if m.cpu.is_zero() {
                text.push_str(&format!(" {:.1} ms |", m.wall.as_secs_f64() * 1000.0));
            } else {
                text.push_str(&format!(
                    " {:.1} s wall, {:.1} s CPU |",
                    m.wall.as_secs_f64(),
                    m.cpu.as_secs_f64()
                ));
            }
        }
        if let [a, b] = medians.as_slice() {
            text.push_str(&format!(" {:.2}x |", ratio(a.wall, b.wall)));
        }
        text.push('\n');
    }
    let runs = sides.first().map_or(0, |s| s.samples[0].len());
    let footer = format!("\n\nMedians of {runs} run(s), the sides measured alternately.\n");
    if tests {
        return text + &footer;
    }
    text.push_str("| binary size (`bin/c1`) |");
    let sizes: Vec<u64> = sides.iter().map(|s| median_size(&s.sizes)).collect();
    for size in &sizes {
        text.push_str(&format!(" {:.2} MB |", *size as f64 / 1e6));
    }
    if let [a, b] = sizes.as_slice() {
        text.push_str(&format!(" {:.2}x |", *a as f64 / (*b).max(1) as f64));
    }
    text + &footer
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(f64::EPSILON)
}

/// The median by wall time (its CPU time with it), then the median CPU.
fn median_timing(samples: &[Timing]) -> Timing {
    let mut walls: Vec<Duration> = samples.iter().map(|t| t.wall).collect();
    let mut cpus: Vec<Duration> = samples.iter().map(|t| t.cpu).collect();
    walls.sort();
    cpus.sort();
    Timing {
        wall: walls.get(walls.len() / 2).copied().unwrap_or_default(),
        cpu: cpus.get(cpus.len() / 2).copied().unwrap_or_default(),
    }
}

fn median_size(sizes: &[u64]) -> u64 {
    let mut sorted = sizes.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

/// `cargo` in `dir` with `target` as its target directory, quiet.
fn cargo(dir: &Path, target: &Path) -> Measured {
    let mut command = Command::new(env!("CARGO"));
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_INCREMENTAL");
    Measured(command)
}

/// A command to time.
struct Measured(Command);

impl Measured {
    fn args<I, S>(&mut self, args: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.0.args(args);
        self
    }

    /// Runs it, its output discarded unless it fails: wall time, and the
    /// CPU time of its process tree.
    fn timed(&mut self) -> anyhow::Result<Timing> {
        let before = children_cpu();
        let started = Instant::now();
        let output = self
            .0
            .output()
            .with_context(|| format!("cannot run {:?}", self.0))?;
        let wall = started.elapsed();
        if !output.status.success() {
            bail!(
                "{:?} failed:\n{}",
                self.0,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(Timing {
            wall,
            cpu: children_cpu().saturating_sub(before),
        })
    }
}

/// User and system time of every child this process has waited for.
fn children_cpu() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage.
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn git(dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new("git").current_dir(dir).args(args).output()?;
    if !output.status.success() {
        bail!(
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}
