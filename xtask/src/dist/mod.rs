//! `cargo xtask dist`: everything a release of `c1` ships, written into
//! `target/dist/` (whole, or not at all: it is built in `dist.partial`
//! and renamed). For each target built (the host's, or `--target`'s, each
//! one of `cli/Cargo.toml`'s `[package.metadata.dist]` targets):
//!
//! - `c1-VERSION-TARGET.tar.gz` (`.zip` for Windows): the binary, the
//!   licenses (its own and its crates', `licenses.rs`), the README's
//!   sections on `c1` and shell completions;
//! - `c1-cli-OS-CPU-VERSION.tgz`: the npm package of that binary;
//! - `c1-VERSION-TARGET.mcpb`: the MCP bundle;
//!
//! and once: `c1-cli-VERSION.tgz` (the npm launcher), `install.sh`, and a
//! `.sha256` file beside every file. `--test` then installs each the way a
//! user does, into empty folders, and runs `c1 --version` and an MCP
//! handshake from each (`check.rs`).

mod archive;
mod bundle;
mod check;
mod licenses;
mod mcp;
mod npm;
mod platform;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::codegen::root;
use archive::Entry;
use platform::Platform;

/// The installer, written by hand; `@VERSION@` and `@DOWNLOAD_URL@` are filled in.
const INSTALLER: &str = "cli/dist/install.sh";
/// The README's sections the archives and packages carry, in this order.
const README_SECTIONS: [&str; 3] = [
    "Installing `c1`",
    "The `c1` command line",
    "Agents: `c1 mcp`",
];
/// The shells whose completions the archives carry, and their files.
const COMPLETIONS: [(&str, &str); 4] = [
    ("bash", "c1.bash"),
    ("zsh", "_c1"),
    ("fish", "c1.fish"),
    ("powershell", "_c1.ps1"),
];

/// What `cargo xtask dist` is asked for.
pub struct Options {
    /// The targets to build; none: the host's.
    pub targets: Vec<String>,
    /// The installer's default place to download from (a release's URL);
    /// none: the `target/dist` folder itself.
    pub download_url: Option<String>,
    /// Then install and run each artifact (`check.rs`).
    pub test: bool,
}

/// What is released: `cli/Cargo.toml`'s package, as cargo reads it, and
/// the files every artifact carries.
pub struct Release {
    /// The package's name, also the npm package's (`c1-cli`).
    pub name: String,
    pub version: String,
    pub description: String,
    pub license: String,
    /// Every target a release builds (`[package.metadata.dist]`).
    pub targets: Vec<String>,
    /// The workspace's root.
    pub root: PathBuf,
    /// The README's sections on `c1` and the licenses.
    pub docs: Vec<Entry>,
}

impl Release {
    /// Reads the package through `cargo metadata`, and its documents.
    fn read(root: &Path) -> Result<Self> {
        let metadata = cargo(
            root,
            &["metadata", "--no-deps", "--format-version", "1", "--locked"],
        )?;
        let metadata: Value = serde_json::from_str(&metadata)?;
        let Some(package) = metadata["packages"]
            .as_array()
            .and_then(|packages| packages.iter().find(|p| p["name"] == "c1-cli"))
        else {
            bail!("the workspace has no package c1-cli");
        };
        let text = |key: &str| package[key].as_str().unwrap_or_default().to_string();
        let targets: Vec<String> = package["metadata"]["dist"]["targets"]
            .as_array()
            .map(|targets| {
                targets
                    .iter()
                    .filter_map(|t| t.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        if targets.is_empty() {
            bail!("cli/Cargo.toml: [package.metadata.dist] names no targets");
        }
        for target in &targets {
            Platform::of(target).context("cli/Cargo.toml: [package.metadata.dist] targets")?;
        }
        Ok(Self {
            name: text("name"),
            version: text("version"),
            description: text("description"),
            license: text("license"),
            targets,
            root: root.to_path_buf(),
            docs: docs(root)?,
        })
    }

    #[cfg(test)]
    pub fn for_tests(targets: &[&str]) -> Self {
        Self {
            name: "c1-cli".into(),
            version: "0.1.0".into(),
            description: "c1".into(),
            license: "MIT OR Apache-2.0".into(),
            targets: targets.iter().map(|t| t.to_string()).collect(),
            root: root().to_path_buf(),
            docs: Vec::new(),
        }
    }
}

/// What every target's artifacts share, from a binary this machine runs.
struct Shared {
    /// Each shell's completions.
    completions: Vec<Entry>,
    /// The MCP tools, for the bundle's manifest.
    tools: Vec<(String, String)>,
    /// The archives' entries' date.
    mtime: u64,
}

/// Runs `cargo xtask dist`.
pub fn run(options: Options) -> Result<()> {
    let started = Instant::now();
    let root = root();
    let release = Release::read(root)?;
    let host = host_target()?;
    let targets = chosen(&release, &options.targets, &host)?;
    let target_dir = crate::target_dir(root);
    let dist = target_dir.join("dist");
    let partial = target_dir.join("dist.partial");
    let stage = target_dir.join("dist-stage");
    for dir in [&partial, &stage] {
        if dir.exists() {
            std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
        }
        std::fs::create_dir_all(dir)?;
    }

    let binaries: Vec<(Platform, PathBuf)> = targets
        .iter()
        .map(|target| {
            Ok((
                Platform::of(target)?,
                build(root, &target_dir, target, &host)?,
            ))
        })
        .collect::<Result<_>>()?;
    let runnable = match binaries.iter().find(|(p, _)| p.target == host) {
        Some((_, path)) => path.clone(),
        None => build(root, &target_dir, &host, &host)?,
    };
    let shared = Shared {
        completions: completions(&runnable)?,
        tools: mcp::handshake(widest_server(&runnable, &stage.join("home"))?)?.tools,
        mtime: commit_time(root),
    };

    let mut written = Vec::new();
    for (platform, path) in &binaries {
        written.extend(write_target(
            &partial, &stage, &release, platform, path, &shared,
        )?);
    }
    written.push(npm::pack_main(&stage, &partial, &release)?);
    let url = options.download_url.as_deref();
    written.push(installer(&partial, &release, url, &dist)?);
    for file in &written {
        checksum(file)?;
    }
    if dist.exists() {
        std::fs::remove_dir_all(&dist).with_context(|| format!("removing {}", dist.display()))?;
    }
    std::fs::rename(&partial, &dist)?;
    std::fs::remove_dir_all(&stage)?;
    report(&dist, &written, started)?;
    if options.test {
        let platforms: Vec<Platform> = binaries.into_iter().map(|(p, _)| p).collect();
        check::run(&dist, &release, &platforms, &host)?;
    }
    Ok(())
}

/// The targets asked for (none: the host's), each one a release builds.
fn chosen(release: &Release, asked: &[String], host: &str) -> Result<Vec<String>> {
    let targets = if asked.is_empty() {
        vec![host.to_string()]
    } else {
        asked.to_vec()
    };
    for target in &targets {
        if !release.targets.contains(target) {
            bail!(
                "--target {target}: not one of cli/Cargo.toml's [package.metadata.dist] targets ({})",
                release.targets.join(", ")
            );
        }
    }
    Ok(targets)
}

/// Writes `platform`'s archive, npm package and bundle into `out`; their paths.
fn write_target(
    out: &Path,
    stage: &Path,
    release: &Release,
    platform: &Platform,
    binary: &Path,
    shared: &Shared,
) -> Result<Vec<PathBuf>> {
    let root = &release.root;
    let binary = std::fs::read(binary).with_context(|| format!("reading {}", binary.display()))?;
    // What travels with this binary: the README, the licenses, its crates'.
    let mut docs = release.docs.clone();
    docs.push(licenses::third_party(root, &platform.target)?);
    let with_completions = [docs.as_slice(), &shared.completions].concat();
    Ok(vec![
        write_archive(
            out,
            release,
            platform,
            &binary,
            &with_completions,
            shared.mtime,
        )?,
        npm::pack_platform(stage, out, release, platform, &binary, &docs)?,
        bundle::write(out, release, platform, &binary, &shared.tools, &docs)?,
    ])
}

/// Prints what was written in `dist`, and how long it took.
fn report(dist: &Path, written: &[PathBuf], started: Instant) -> Result<()> {
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "dist: {} in {elapsed:.1} s:",
        crate::codegen::relative(dist).display()
    );
    for file in written {
        let name = file.file_name().unwrap_or_default();
        let size = std::fs::metadata(dist.join(name))?.len();
        println!("  {:>10} bytes  {}", size, name.to_string_lossy());
    }
    Ok(())
}

/// Writes `platform`'s archive into `out`: the binary and `docs` (the
/// README, the licenses, the completions), under one top directory.
fn write_archive(
    out: &Path,
    release: &Release,
    platform: &Platform,
    binary: &[u8],
    docs: &[Entry],
    mtime: u64,
) -> Result<PathBuf> {
    let stem = platform.stem(&release.version);
    let mut entries = vec![Entry::executable(
        format!("{stem}/{}", platform.exe()),
        binary,
    )];
    for doc in docs {
        entries.push(Entry::file(
            format!("{stem}/{}", doc.path),
            doc.bytes.clone(),
        ));
    }
    let bytes = if platform.windows() {
        archive::zip(&entries)?
    } else {
        archive::tar_gz(&entries, mtime)?
    };
    let path = out.join(platform.archive(&release.version));
    std::fs::write(&path, bytes)?;
    Ok(path)
}

/// What `cargo ARGS` prints, run in `root`.
fn cargo(root: &Path, args: &[&str]) -> Result<String> {
    let output = crate::cargo()
        .args(args)
        .current_dir(root)
        .output()
        .with_context(|| format!("cargo {}", args[0]))?;
    if !output.status.success() {
        bail!(
            "cargo {} failed: {}",
            args[0],
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The host's target triple, as rustc names it.
fn host_target() -> Result<String> {
    let output = Command::new("rustc")
        .arg("-vV")
        .output()
        .context("rustc -vV")?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_string)
        .context("rustc -vV names no host")
}

/// `cargo build --release --locked` of `c1` for `target`; the binary's
/// path. The host's build goes where `cargo install` and the benchmarks'
/// do (`target/release`), so a warm target directory builds nothing.
fn build(root: &Path, target_dir: &Path, target: &str, host: &str) -> Result<PathBuf> {
    let mut cargo = crate::cargo();
    cargo
        .args([
            "build",
            "--release",
            "--locked",
            "-p",
            "c1-cli",
            "--bin",
            "c1",
        ])
        .current_dir(root);
    let dir = if target == host {
        target_dir.join("release")
    } else {
        cargo.args(["--target", target]);
        target_dir.join(target).join("release")
    };
    let status = cargo.status().context("cargo build")?;
    if !status.success() {
        bail!(
            "cargo build --release -p c1-cli --target {target} failed{}",
            if target == host {
                ""
            } else {
                " (is the target installed? rustup target add it, on a machine that can link it)"
            }
        );
    }
    Ok(dir.join(Platform::of(target)?.exe()))
}

/// Each shell's completions, from `c1 completion SHELL`.
fn completions(c1: &Path) -> Result<Vec<Entry>> {
    COMPLETIONS
        .iter()
        .map(|(shell, file)| {
            let output = Command::new(c1)
                .args(["completion", shell])
                .output()
                .with_context(|| format!("{} completion {shell}", c1.display()))?;
            if !output.status.success() || output.stdout.is_empty() {
                bail!(
                    "c1 completion {shell} failed: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
            }
            Ok(Entry::file(format!("complete/{file}"), output.stdout))
        })
        .collect()
}

/// `c1 mcp serve` at its widest allowance, signed in to nowhere: every tool
/// it can offer, for the bundle's manifest.
fn widest_server(c1: &Path, home: &Path) -> Result<Command> {
    let widest = ["--allow", "write", "--allow-secrets"];
    mcp::offline_server(Command::new(c1), &widest, home)
}

/// The README's sections on `c1` (as `README.md`) and the licenses.
fn docs(root: &Path) -> Result<Vec<Entry>> {
    let readme = std::fs::read_to_string(root.join("README.md")).context("reading README.md")?;
    let mut text =
        String::from("# c1\n\nThe C1 (ConductorOne) API from the shell and for agents.\n");
    for title in README_SECTIONS {
        text.push('\n');
        text.push_str(section(&readme, title)?);
    }
    let mut docs = vec![Entry::file("README.md", text)];
    for license in ["LICENSE-MIT", "LICENSE-APACHE"] {
        let bytes =
            std::fs::read(root.join(license)).with_context(|| format!("reading {license}"))?;
        docs.push(Entry::file(license, bytes));
    }
    Ok(docs)
}

/// The README's `## title` section, up to the next `## ` heading.
fn section<'a>(readme: &'a str, title: &str) -> Result<&'a str> {
    let heading = format!("\n## {title}\n");
    let Some(start) = readme.find(&heading) else {
        bail!("README.md has no section `## {title}`, which the release's archives carry");
    };
    let body = &readme[start + 1..];
    let title_line = heading.len() - 1;
    let end = body[title_line..]
        .find("\n## ")
        .map_or(body.len(), |end| title_line + end);
    Ok(&body[..end])
}

/// Writes the installer, with this version and where to download from
/// (the dist folder itself, when no release URL is given).
fn installer(out: &Path, release: &Release, url: Option<&str>, dist: &Path) -> Result<PathBuf> {
    let template = release.root.join(INSTALLER);
    let text = std::fs::read_to_string(&template)
        .with_context(|| format!("reading {}", template.display()))?;
    let url = url.map_or_else(|| dist.display().to_string(), str::to_string);
    let path = out.join("install.sh");
    let text = text
        .replace("@VERSION@", &release.version)
        .replace("@DOWNLOAD_URL@", &url);
    write_entry(out, &Entry::executable("install.sh", text))?;
    Ok(path)
}

/// Writes `file`'s `.sha256` beside it.
fn checksum(file: &Path) -> Result<()> {
    let bytes = std::fs::read(file)?;
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let mut sum = file.as_os_str().to_owned();
    sum.push(".sha256");
    std::fs::write(sum, archive::sha256_line(&bytes, &name))?;
    Ok(())
}

/// Writes `entry` under `dir`, with its mode.
pub fn write_entry(dir: &Path, entry: &Entry) -> Result<()> {
    let path = dir.join(&entry.path);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, &entry.bytes).with_context(|| format!("writing {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if entry.executable { 0o755 } else { 0o644 };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

/// The last commit's time (the archives' entries' date, so that the same
/// commit gives the same archive), or 0 outside a git checkout.
fn commit_time(root: &Path) -> u64 {
    Command::new("git")
        .args(["log", "-1", "--format=%ct"])
        .current_dir(root)
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The installer, from a local folder: it installs the archive for this
    /// machine (a stand-in binary, so no release build) where it is told,
    /// and refuses one that does not match its checksum, installing nothing.
    #[cfg(unix)]
    #[test]
    fn the_installer_installs_this_machines_archive_and_refuses_a_tampered_or_broken_one() {
        let platform = Platform::of(&host_target().unwrap()).unwrap();
        let release = Release::for_tests(&[&platform.target]);
        let dir = std::env::temp_dir().join(format!("xtask-dist-installer-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let dist = dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        let stand_in = b"#!/bin/sh\necho 'c1 0.1.0'\n";
        let archive = write_archive(&dist, &release, &platform, stand_in, &[], 0).unwrap();
        checksum(&archive).unwrap();
        installer(&dist, &release, None, &dist).unwrap();

        let installed = check::installer(&dist, &dir.join("user")).unwrap();
        let said = Command::new(&installed).output().unwrap().stdout;
        assert_eq!(String::from_utf8_lossy(&said), "c1 0.1.0\n");
        check::checksum_refused(&dist, &release, &platform, &dir.join("tampered")).unwrap();

        // A binary that does not run here (an older C library) is refused.
        let broken = b"#!/bin/sh\nexit 127\n";
        let archive = write_archive(&dist, &release, &platform, broken, &[], 0).unwrap();
        checksum(&archive).unwrap();
        let refused = dir.join("refused");
        let error = check::installer(&dist, &refused).unwrap_err().to_string();
        assert!(error.contains("install.sh failed"), "{error}");
        assert!(!refused.join("bin/c1").exists(), "installed anyway");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_section_runs_to_the_next_heading_of_its_level() {
        let readme = "# T\n\n## A\n\none\n\n### A.1\n\ntwo\n\n## B\n\nthree\n";
        assert_eq!(
            section(readme, "A").unwrap(),
            "## A\n\none\n\n### A.1\n\ntwo\n"
        );
        assert_eq!(section(readme, "B").unwrap(), "## B\n\nthree\n");
        assert!(section(readme, "C")
            .unwrap_err()
            .to_string()
            .contains("`## C`"));
    }

    /// The archives carry the README's sections on `c1`: they are there.
    #[test]
    fn the_readme_has_the_sections_the_archives_carry() {
        let docs = docs(root()).unwrap();
        let readme = String::from_utf8(docs[0].bytes.clone()).unwrap();
        for title in README_SECTIONS {
            assert!(readme.contains(&format!("\n## {title}\n")), "{title}");
        }
        assert!(!readme.contains("## The jobs"), "only the sections named");
    }

    /// `cli/Cargo.toml` names the targets a release builds, each one every
    /// way of installing knows.
    #[test]
    fn the_release_targets_are_known_platforms() {
        let release = Release::read(root()).unwrap();
        assert_eq!(release.name, "c1-cli");
        assert!(release
            .targets
            .contains(&"x86_64-unknown-linux-gnu".to_string()));
        assert!(release.targets.iter().any(|t| t.contains("windows")));
        assert!(release.targets.iter().any(|t| t.contains("apple")));
    }
}
