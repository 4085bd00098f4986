//! Project automation, run as `cargo xtask <command>`.
//!
//! - `codegen [--check] [--notes] [--no-format-cache] [--spec DIR] [--out DIR] [--package NAME]`: regenerate the client crates.
//! - `diff [--report FILE] OLD NEW`: the API change report between two specs.
//! - `bench [--runs N] [--full FILE] [--first-build] [--cli] [--conformance] [--builds [--against REV] [--tests]]`: measure the generator and its output.
//! - `dist [--target TARGET]... [--download-url URL] [--test]`: a release of `c1` into `target/dist/`.
//! - `fuzz-seeds OUT DOCUMENT...`: small whole documents cut from large ones, to seed the fuzzer.
//! - `mcp-conformance`: the official MCP conformance suite against `c1 mcp serve --http`.
//! - `vendor [--spec DIR] INPUT...`: copy OpenAPI documents, or the one embedded in documentation pages, into the spec directory.

mod bench;
mod builds;
mod codegen;
mod dist;
mod mcp_conformance;
mod node;
mod seeds;
#[cfg(test)]
mod unify;
mod vendor;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  cargo xtask codegen [--check] [--deny-warnings] [--notes] [--bump]
                      [--no-format-cache] [--report FILE] [--spec DIR]
                      [--out DIR] [--package NAME]
      Regenerate the client crate generated/ from spec/, and the constructs
      fixture's crate; or, with --spec and/or --out, one crate from DIR
      (default spec/) into DIR (default generated/), named NAME (default
      c1-client). --check writes nothing and fails when a crate is stale;
      --deny-warnings fails on any warning (a construct typed as
      serde_json::Value, a misfiled reference), except in the constructs
      fixture, which shows warned constructs on purpose.
      What the merge of the documents reconciled is counted by kind
      (`312 notes: 280 nullability, ...`); --notes lists every one.
      Ends with the API changes since the crate's api.json (breaking ones
      marked, and the semver bump they need); --report writes them as
      Markdown; --bump raises the crate's version accordingly.
      Files whose tokens did not change since the last run are taken from
      the format cache (target/debug/codegen-format-cache, made by this
      build of xtask) rather than formatted again; --no-format-cache
      formats every file. The output is the same either way.
  cargo xtask diff [--report FILE] OLD NEW
      The same report between two spec files or directories; writes no crate.
  cargo xtask bench [--runs N] [--full FILE] [--first-build] [--cli] [--conformance]
                    [--builds [--against REV] [--tests]]
      Measure, as users run it (this debug build): whole-API codegen (FILE,
      default spec/conductor_one_api.openapi.yaml), `cargo xtask codegen
      --check`, and 2,000+ conflicts located and printed; with --first-build
      also a first build of xtask with and without the dev profile's
      optimizations. Then, in release: codegen next to a bare YAML parse, its
      peak memory, and cargo check time and memory of the generated crate;
      and the c1 command line: binary size, `c1 --help`, one call against a
      loopback server, cargo check of cli/. --cli measures the command line
      only. --conformance measures only the conformance suite as CI runs
      it (debug test builds, already built): requests, answers and the
      command line's dry runs. --builds measures only what users wait for,
      on fresh clones of HEAD (and of REV, the two alternately): `cargo
      install --path cli`, the binary's size and `c1 --help`, c1-cli and
      c1-client alone in release, or with --tests the first `cargo xtask
      codegen` and `cargo test --workspace`; wall and CPU time, 3 runs
      unless --runs says (each takes minutes).
      Medians of N runs (default 10).
  cargo xtask dist [--target TARGET]... [--download-url URL] [--test]
      Build a release of c1 into target/dist/ (whole or not at all): per
      target (default: this machine's; each one of cli/Cargo.toml's
      [package.metadata.dist] targets), an archive with the binary, the
      licenses, the README's sections on c1 and shell completions, the npm
      package of the binary and an MCP bundle; once, the npm launcher
      package (c1-cli) and install.sh, which downloads from URL (default:
      target/dist itself; $C1_DOWNLOAD_URL overrides it). A .sha256 file
      beside each. Needs npm (npm pack). --test then installs each into an
      empty folder (install.sh, npm install, the bundle with the official
      mcpb tool) and runs c1 --version and an MCP handshake from each, and
      checks the size budgets.
  cargo xtask fuzz-seeds OUT DOCUMENT...
      Write small whole documents cut from each DOCUMENT (one per path and
      per component schema, with the components they refer to; at most 400
      each) into OUT, to seed the fuzzer (see fuzz/README.md).
  cargo xtask mcp-conformance
      Run the official MCP conformance suite (an npm package, installed
      with Node 22 under target/mcp-conformance: needs npm) against
      `c1 mcp serve --http` with its token, for the requirements of MCP
      2025-11-25 and 2026-07-28. What does not apply to a tools-only server
      is in cli/tests/mcp-conformance/baseline.yml, each with why; any
      other failure fails, and so does a listed scenario that passes.
  cargo xtask vendor [--spec DIR] [--from SOURCE]... INPUT...
      Copy each OpenAPI document (*.yaml, *.yml, *.json) byte for byte into
      the spec directory as <title>.openapi.<ext>, and extract the one
      ```yaml block of each documentation page as <group>.<operation>.yaml;
      spec/README.md lists each vendored file with its source and sha256.
      --from, once per INPUT and in order, is the source to list (where the
      public can fetch it: a repository, commit and path, a page's URL);
      without it, the path as given.";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let mut args = pico_args::Arguments::from_env();
    let command = args.subcommand()?;
    if args.contains(["-h", "--help"]) {
        println!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    }
    match command.as_deref() {
        Some("codegen") => {
            let mode = codegen::Mode {
                check: args.contains("--check"),
                deny_warnings: args.contains("--deny-warnings"),
                bump: args.contains("--bump"),
                report: args.opt_value_from_str("--report")?,
                notes: args.contains("--notes"),
                format_cache: !args.contains("--no-format-cache"),
            };
            let spec: Option<PathBuf> = args.opt_value_from_str("--spec")?;
            let out: Option<PathBuf> = args.opt_value_from_str("--out")?;
            let package: Option<String> = args.opt_value_from_str("--package")?;
            finish(args)?;
            codegen::main(spec, out, package, mode)
        }
        Some("diff") => {
            let report: Option<PathBuf> = args.opt_value_from_str("--report")?;
            let specs: Vec<PathBuf> = args.finish().into_iter().map(PathBuf::from).collect();
            let [old, new] = specs.as_slice() else {
                anyhow::bail!("diff needs OLD and NEW\n{USAGE}");
            };
            codegen::diff_specs(old, new, report.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Some("bench") => {
            let runs_given: Option<usize> = args.opt_value_from_str("--runs")?;
            let runs = runs_given.unwrap_or(10);
            let full: Option<PathBuf> = args.opt_value_from_str("--full")?;
            let first_build = args.contains("--first-build");
            let cli_only = args.contains("--cli");
            let conformance = args.contains("--conformance");
            let builds = args.contains("--builds");
            let against: Option<String> = args.opt_value_from_str("--against")?;
            let tests = args.contains("--tests");
            finish(args)?;
            if builds {
                println!(
                    "{}",
                    builds::run(runs_given.unwrap_or(3), against.as_deref(), tests)?
                );
                return Ok(ExitCode::SUCCESS);
            }
            if conformance {
                println!("{}", bench::conformance(runs)?);
                return Ok(ExitCode::SUCCESS);
            }
            bench::run(runs, full, first_build, cli_only)?;
            Ok(ExitCode::SUCCESS)
        }
        Some("bench-exec") => {
            let rest: Vec<String> = args
                .finish()
                .into_iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            bench::exec(&rest)?;
            Ok(ExitCode::SUCCESS)
        }
        Some("bench-codegen-once") => {
            let rest: Vec<PathBuf> = args.finish().into_iter().map(PathBuf::from).collect();
            let [spec, out] = rest.as_slice() else {
                anyhow::bail!("usage: bench-codegen-once SPEC OUT");
            };
            bench::codegen_in_process(spec, out)?;
            Ok(ExitCode::SUCCESS)
        }
        Some("dist") => {
            let options = dist::Options {
                targets: args.values_from_str("--target")?,
                download_url: args.opt_value_from_str("--download-url")?,
                test: args.contains("--test"),
            };
            finish(args)?;
            dist::run(options)?;
            Ok(ExitCode::SUCCESS)
        }
        Some("fuzz-seeds") => {
            let rest: Vec<PathBuf> = args.finish().into_iter().map(PathBuf::from).collect();
            let [out, documents @ ..] = rest.as_slice() else {
                anyhow::bail!("fuzz-seeds needs OUT and DOCUMENT...\n{USAGE}");
            };
            anyhow::ensure!(
                !documents.is_empty(),
                "fuzz-seeds needs at least one DOCUMENT\n{USAGE}"
            );
            seeds::run(out, documents)?;
            Ok(ExitCode::SUCCESS)
        }
        Some("mcp-conformance") => {
            finish(args)?;
            Ok(if mcp_conformance::run()? {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some("vendor") => {
            let spec: PathBuf = args
                .opt_value_from_str("--spec")?
                .unwrap_or_else(|| codegen::relative(&codegen::root().join("spec")));
            let origins: Vec<String> = args.values_from_str("--from")?;
            let inputs: Vec<PathBuf> = args.finish().into_iter().map(PathBuf::from).collect();
            anyhow::ensure!(
                !inputs.is_empty(),
                "vendor needs at least one INPUT\n{USAGE}"
            );
            vendor::run(&spec, &inputs, &origins)?;
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            eprintln!("{USAGE}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// A child process killed when dropped.
pub struct Running(pub std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The target directory cargo builds into.
pub fn target_dir(root: &std::path::Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// `cargo`, without what `cargo run` (so `cargo xtask`) sets for the
/// program it runs: build scripts that watch those variables (ring's
/// `CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR`, ...) would see them change and
/// build again what a build from the shell made (a minute of ring, rustls
/// and the client, for a release build of `c1`).
pub fn cargo() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO"));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let set_by_run = name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || [
                "CARGO_CRATE_NAME",
                "CARGO_BIN_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "OUT_DIR",
            ]
            .contains(&name.as_ref());
        if set_by_run {
            command.env_remove(name.as_ref());
        }
    }
    command
}

fn finish(args: pico_args::Arguments) -> anyhow::Result<()> {
    let rest = args.finish();
    anyhow::ensure!(rest.is_empty(), "unexpected arguments: {rest:?}\n{USAGE}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The MCP fuzz target builds the command line's sources itself
    /// (fuzz/mcp, outside the workspace): its dependencies must be the
    /// command line's, or it stops building unseen.
    #[test]
    fn the_mcp_fuzz_target_depends_on_what_the_command_line_does() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let cli = std::fs::read_to_string(root.join("cli/Cargo.toml")).unwrap();
        let fuzz = std::fs::read_to_string(root.join("fuzz/mcp/Cargo.toml")).unwrap();
        let dependencies = cli
            .split("\n[dependencies]\n")
            .nth(1)
            .and_then(|rest| rest.split("\n[").next())
            .expect("cli/Cargo.toml has [dependencies]");
        for line in dependencies.lines() {
            let line = line.trim();
            // The client is there too, at its own relative path.
            if line.is_empty() || line.starts_with('#') || line.starts_with("c1-client ") {
                continue;
            }
            assert!(
                fuzz.lines().any(|l| l.trim() == line),
                "fuzz/mcp/Cargo.toml lacks `{line}`"
            );
        }
    }

    /// The README's usage example is `generated/examples/readme.rs`, which
    /// `cargo test` compiles: the README cannot show code that does not build.
    #[test]
    fn readme_example_is_the_compiled_example() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
        let example = std::fs::read_to_string(root.join("generated/examples/readme.rs")).unwrap();
        let start = readme
            .find("```rust\n")
            .expect("the README has a rust block")
            + "```rust\n".len();
        let end = start + readme[start..].find("```").expect("the rust block ends");
        let code = &readme[start..end];
        assert!(
            example.ends_with(code),
            "README.md's rust block and generated/examples/readme.rs differ"
        );
    }
}
