//! The npm packages, as esbuild and biome ship a native binary: `c1-cli`
//! holds a small launcher (`cli/dist/npm/c1.js`, its `bin` named `c1`) and
//! names one package per target as an optional dependency,
//! `c1-cli-<os>-<cpu>`, which holds that target's binary and which npm
//! installs only on its platform (`os`, `cpu`, `libc`). So `npx c1-cli mcp
//! serve` downloads one binary, the one it runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde_json::{json, Map, Value};

use super::archive::Entry;
use super::platform::Platform;
use super::Release;
use crate::node::npm;

/// The launcher, written by hand.
const LAUNCHER: &str = "cli/dist/npm/c1.js";

/// The `package.json` of the package that holds `platform`'s binary and `docs`.
pub fn platform_manifest(release: &Release, platform: &Platform, docs: &[Entry]) -> Value {
    let mut manifest = json!({
        "name": platform.npm_package(&release.name),
        "version": release.version,
        "description": format!("The c1 binary for {} {}, run by the {} package.", platform.os, platform.cpu, release.name),
        "license": release.license,
        "os": [platform.os],
        "cpu": [platform.cpu],
        "files": files(format!("bin/{}", platform.exe()), docs),
        "preferUnplugged": true,
    });
    if let (Some(libc), Value::Object(fields)) = (platform.libc, &mut manifest) {
        fields.insert("libc".into(), json!([libc]));
    }
    manifest
}

/// The `package.json` of the launcher's package: every target of the
/// release an optional dependency, at this version exactly.
pub fn main_manifest(release: &Release) -> Result<Value> {
    let mut binaries = Map::new();
    for target in &release.targets {
        let platform = Platform::of(target)?;
        binaries.insert(platform.npm_package(&release.name), json!(release.version));
    }
    Ok(json!({
        "name": release.name,
        "version": release.version,
        "description": release.description,
        "license": release.license,
        "keywords": ["conductorone", "c1", "mcp", "identity-governance", "cli"],
        "bin": {"c1": "bin/c1.js"},
        "files": files("bin/c1.js".into(), &release.docs),
        "engines": {"node": ">=18"},
        "optionalDependencies": binaries,
    }))
}

/// What a package holds: `file` and `docs` (npm leaves out what `files`
/// does not name, but for the README).
fn files(file: String, docs: &[Entry]) -> Vec<String> {
    std::iter::once(file)
        .chain(docs.iter().map(|doc| doc.path.clone()))
        .collect()
}

/// Packs the package of `platform`'s binary, with `docs`, into `out`; the
/// tarball's path.
pub fn pack_platform(
    stage: &Path,
    out: &Path,
    release: &Release,
    platform: &Platform,
    binary: &[u8],
    docs: &[Entry],
) -> Result<PathBuf> {
    let manifest = platform_manifest(release, platform, docs);
    let binary = Entry::executable(format!("bin/{}", platform.exe()), binary);
    let dir = stage.join(platform.npm_package(&release.name));
    write_package(&dir, &manifest, docs, binary)?;
    pack(&dir, out)
}

/// Packs the launcher's package into `out`; the tarball's path.
pub fn pack_main(stage: &Path, out: &Path, release: &Release) -> Result<PathBuf> {
    let launcher = release.root.join(LAUNCHER);
    let launcher =
        std::fs::read(&launcher).with_context(|| format!("reading {}", launcher.display()))?;
    let dir = stage.join(&release.name);
    let manifest = main_manifest(release)?;
    write_package(
        &dir,
        &manifest,
        &release.docs,
        Entry::executable("bin/c1.js", launcher),
    )?;
    pack(&dir, out)
}

/// Writes a package's directory: its manifest, the README and licenses, `file`.
fn write_package(dir: &Path, manifest: &Value, docs: &[Entry], file: Entry) -> Result<()> {
    let manifest = serde_json::to_string_pretty(manifest)? + "\n";
    let manifest = Entry::file("package.json", manifest);
    for entry in docs.iter().chain([&manifest, &file]) {
        super::write_entry(dir, entry)?;
    }
    Ok(())
}

/// The name `npm pack` gives the tarball of `package` at `version`.
pub fn tarball(package: &str, version: &str) -> String {
    format!("{package}-{version}.tgz")
}

/// `npm pack` of `dir` into `out`; the tarball's path.
fn pack(dir: &Path, out: &Path) -> Result<PathBuf> {
    let output = Command::new(npm())
        .args(["pack", "--json", "--pack-destination"])
        .arg(out)
        .current_dir(dir)
        .output()
        .context("npm pack (is npm on PATH?)")?;
    if !output.status.success() {
        bail!(
            "npm pack in {} failed: {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let packed: Value = serde_json::from_slice(&output.stdout)
        .with_context(|| format!("npm pack's report of {}", dir.display()))?;
    let Some(name) = packed[0]["filename"].as_str() else {
        bail!("npm pack named no tarball for {}", dir.display());
    };
    Ok(out.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release() -> Release {
        Release::for_tests(&[
            "x86_64-unknown-linux-gnu",
            "aarch64-apple-darwin",
            "x86_64-pc-windows-msvc",
        ])
    }

    #[test]
    fn the_launcher_package_names_every_target_at_its_own_version() {
        let manifest = main_manifest(&release()).unwrap();
        assert_eq!(manifest["bin"], json!({"c1": "bin/c1.js"}));
        assert_eq!(
            manifest["optionalDependencies"],
            json!({
                "c1-cli-linux-x64": "0.1.0",
                "c1-cli-darwin-arm64": "0.1.0",
                "c1-cli-win32-x64": "0.1.0",
            })
        );
    }

    #[test]
    fn a_binary_package_installs_on_its_platform_alone() {
        let linux = Platform::of("x86_64-unknown-linux-gnu").unwrap();
        let docs = [Entry::file("LICENSE-MIT", "MIT")];
        let manifest = platform_manifest(&release(), &linux, &docs);
        assert_eq!(manifest["name"], "c1-cli-linux-x64");
        assert_eq!(manifest["os"], json!(["linux"]));
        assert_eq!(manifest["cpu"], json!(["x64"]));
        assert_eq!(manifest["libc"], json!(["glibc"]));
        assert_eq!(manifest["files"], json!(["bin/c1", "LICENSE-MIT"]));
        let windows = Platform::of("x86_64-pc-windows-msvc").unwrap();
        let manifest = platform_manifest(&release(), &windows, &docs);
        assert_eq!(manifest.get("libc"), None);
        assert_eq!(manifest["files"][0], "bin/c1.exe");
    }

    /// The launcher finds the package this module names: the same
    /// `<name>-<platform>-<arch>` both ways.
    #[test]
    fn the_launcher_looks_for_the_package_named_here() {
        let launcher = std::fs::read_to_string(release().root.join(LAUNCHER)).unwrap();
        for line in [
            "const base = `${name}-${process.platform}-${process.arch}`;",
            "[base, `${base}-musl`]",
            "require.resolve(`${candidate}/bin/${exe}`)",
        ] {
            assert!(launcher.contains(line), "{line}");
        }
    }
}
