//! npm packages the tasks run (the MCP conformance suite, Node 22, the MCP
//! bundle tool), installed once under a folder of `target/`, at the
//! versions pinned where they are used.

use std::path::Path;
use std::process::Command;

use anyhow::{ensure, Context, Result};

/// npm's command (`npm.cmd` on Windows, which `Command` does not find by `npm`).
pub fn npm() -> &'static str {
    if cfg!(windows) {
        "npm.cmd"
    } else {
        "npm"
    }
}

/// Installs `packages` (each `name@version`, or `name@major` for any of
/// that major version) under `dir`, unless each is there already.
pub fn install_once(dir: &Path, packages: &[&str]) -> Result<()> {
    let missing = packages.iter().any(|package| {
        let (name, version) = package.rsplit_once('@').unwrap_or((package, ""));
        let manifest = dir.join("node_modules").join(name).join("package.json");
        let installed = std::fs::read_to_string(manifest).unwrap_or_default();
        let wanted = if version.matches('.').count() >= 2 {
            format!("\"version\": \"{version}\"")
        } else {
            format!("\"version\": \"{version}.")
        };
        !installed.contains(&wanted)
    });
    if !missing {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    let status = Command::new(npm())
        .args([
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
        ])
        .arg(dir)
        .args(packages)
        .status()
        .context("npm install (is npm on PATH?)")?;
    ensure!(
        status.success(),
        "npm install {} failed",
        packages.join(" ")
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    /// A package is there when its manifest has the pinned version.
    #[test]
    fn an_installed_package_at_its_version_is_not_installed_again() {
        let dir = std::env::temp_dir().join(format!("xtask-node-{}", std::process::id()));
        let manifest = dir.join("node_modules/@scope/tool/package.json");
        std::fs::create_dir_all(manifest.parent().unwrap()).unwrap();
        std::fs::write(
            &manifest,
            "{\"name\": \"@scope/tool\", \"version\": \"1.2.3\"}",
        )
        .unwrap();
        // npm is not called: nothing is missing.
        super::install_once(&dir, &["@scope/tool@1.2.3"]).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
