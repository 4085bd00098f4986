//! A target as each way of installing names it: Rust's target triple,
//! Node's `process.platform` and `process.arch` (the npm packages), the
//! archive's kind and the binary's file name.

use anyhow::{bail, Result};

/// One target of a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    /// Rust's target triple (`x86_64-unknown-linux-gnu`).
    pub target: String,
    /// Node's `process.platform`: `linux`, `darwin` or `win32`.
    pub os: &'static str,
    /// Node's `process.arch`: `x64` or `arm64`.
    pub cpu: &'static str,
    /// The C library a Linux binary links (npm's `libc` field), else `None`.
    pub libc: Option<&'static str>,
}

impl Platform {
    /// The platform of a target triple; an error for one no way of
    /// installing knows.
    pub fn of(target: &str) -> Result<Self> {
        let cpu = match target.split('-').next() {
            Some("x86_64") => "x64",
            Some("aarch64") => "arm64",
            _ => bail!("{target}: not a target c1 is released for (x86_64 or aarch64 only)"),
        };
        let (os, libc) = if target.ends_with("-linux-gnu") {
            ("linux", Some("glibc"))
        } else if target.ends_with("-linux-musl") {
            ("linux", Some("musl"))
        } else if target.ends_with("-apple-darwin") {
            ("darwin", None)
        } else if target.ends_with("-pc-windows-msvc") {
            ("win32", None)
        } else {
            bail!("{target}: not a target c1 is released for (Linux, macOS or Windows)")
        };
        Ok(Self {
            target: target.to_string(),
            os,
            cpu,
            libc,
        })
    }

    pub fn windows(&self) -> bool {
        self.os == "win32"
    }

    /// The binary's file name.
    pub fn exe(&self) -> &'static str {
        if self.windows() {
            "c1.exe"
        } else {
            "c1"
        }
    }

    /// The archive's name without its extension, which is also its top
    /// directory: `c1-0.1.0-x86_64-unknown-linux-gnu`.
    pub fn stem(&self, version: &str) -> String {
        format!("c1-{version}-{}", self.target)
    }

    /// The archive's file name: a zip for Windows, else a gzipped tar.
    pub fn archive(&self, version: &str) -> String {
        let extension = if self.windows() { "zip" } else { "tar.gz" };
        format!("{}.{extension}", self.stem(version))
    }

    /// The MCP bundle's file name.
    pub fn bundle(&self, version: &str) -> String {
        format!("{}.mcpb", self.stem(version))
    }

    /// The npm package that holds this target's binary (`c1-cli-linux-x64`).
    pub fn npm_package(&self, main: &str) -> String {
        match self.libc {
            Some("musl") => format!("{main}-{}-{}-musl", self.os, self.cpu),
            _ => format!("{main}-{}-{}", self.os, self.cpu),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_released_target_has_its_names() {
        let linux = Platform::of("x86_64-unknown-linux-gnu").unwrap();
        assert_eq!(
            (linux.os, linux.cpu, linux.libc),
            ("linux", "x64", Some("glibc"))
        );
        assert_eq!(
            linux.archive("1.2.3"),
            "c1-1.2.3-x86_64-unknown-linux-gnu.tar.gz"
        );
        assert_eq!(linux.npm_package("c1-cli"), "c1-cli-linux-x64");
        let mac = Platform::of("aarch64-apple-darwin").unwrap();
        assert_eq!(mac.npm_package("c1-cli"), "c1-cli-darwin-arm64");
        assert_eq!(mac.exe(), "c1");
        let windows = Platform::of("x86_64-pc-windows-msvc").unwrap();
        assert_eq!(
            windows.archive("1.2.3"),
            "c1-1.2.3-x86_64-pc-windows-msvc.zip"
        );
        assert_eq!(windows.exe(), "c1.exe");
        assert_eq!(windows.npm_package("c1-cli"), "c1-cli-win32-x64");
        let alpine = Platform::of("aarch64-unknown-linux-musl").unwrap();
        assert_eq!(alpine.npm_package("c1-cli"), "c1-cli-linux-arm64-musl");
    }

    #[test]
    fn targets_no_installer_knows_are_refused_by_name() {
        for target in [
            "i686-unknown-linux-gnu",
            "x86_64-unknown-freebsd",
            "wasm32-wasip1",
        ] {
            let error = Platform::of(target).unwrap_err().to_string();
            assert!(error.starts_with(target), "{error}");
        }
    }
}
