//! `cargo xtask dist --test`: each artifact installed the way a user
//! installs it, into an empty folder, then `c1 --version` and an MCP
//! handshake from what was installed:
//!
//! - the installer, from the dist folder as its download URL (and refusing
//!   an archive whose checksum does not match, installing nothing);
//! - the npm packages, with `npm install` of the two tarballs, run as
//!   `npx c1-cli mcp serve`;
//! - the bundle, read by the official tool (`mcpb info`, `mcpb unpack`,
//!   `mcpb validate`), its manifest's command run as a client runs it.
//!
//! And the budgets: the archive under 6 MB, the npm tarball under 7 MB.
//! Only the host's target can run here; the others' budgets are checked.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, ensure, Context, Result};
use serde_json::Value;

use super::mcp::{handshake, isolated, offline_server};
use super::npm;
use super::platform::Platform;
use super::Release;
use crate::node::npm as npm_command;

/// The official MCP bundle tool.
const MCPB: &str = "@anthropic-ai/mcpb@2.1.2";
/// Budgets, in bytes.
const ARCHIVE_BUDGET: u64 = 6_000_000;
const NPM_BUDGET: u64 = 7_000_000;
const BINARY_BUDGET: u64 = 12_000_000;
/// A client secret of the right form (a throwaway Ed25519 key).
const SECRET: &str = "secret-token:conductorone.com:v1:eyJrdHkiOiJPS1AiLCJjcnYiOiJFZDI1NTE5Iiwia2lkIjoiY2xpLXRlc3QiLCJkIjoiQndjSEJ3Y0hCd2NIQndjSEJ3Y0hCd2NIQndjSEJ3Y0hCd2NIQndjSEJ3YyIsIngiOiI2a3BzWS1LY1VncS05VkI3RXk3Ri1aVkhkcTYtdm51U1FoN3FhUlJHMGl3In0";

/// Checks every artifact of `platforms` in `dist`.
pub fn run(dist: &Path, release: &Release, platforms: &[Platform], host: &str) -> Result<()> {
    let work = dist.with_file_name("dist-check");
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    std::fs::create_dir_all(&work)?;
    for platform in platforms {
        budgets(dist, release, platform)?;
    }
    let Some(platform) = platforms.iter().find(|p| p.target == host) else {
        println!("dist --test: no artifact for {host}, this machine's target, to run");
        return Ok(());
    };
    let version = format!("c1 {}", release.version);
    // The installer is for Linux and macOS (Windows has the zip and npm).
    if !platform.windows() {
        let home = work.join("installer/home");
        let installed = installer(dist, &work.join("installer"))?;
        let server = offline_server(Command::new(&installed), &[], &home)?;
        runs(&installed, &version, server, "the installer's c1")?;
        checksum_refused(dist, release, platform, &work.join("tampered"))?;
        let home = work.join("piped/home");
        let piped = piped_installer(dist, &work.join("piped"))?;
        let server = offline_server(Command::new(&piped), &[], &home)?;
        runs(&piped, &version, server, "`curl URL/install.sh | sh`'s c1")?;
    }
    let (c1, npx) = npm_install(dist, release, platform, &work.join("npm"))?;
    let server = offline_server(npx, &[], &work.join("npm-home"))?;
    runs(&c1, &version, server, "the npm package's c1 (npx)")?;
    let (bundled, server) = bundle(dist, release, platform, &work)?;
    runs(&bundled, &version, server, "the bundle's server")?;
    Ok(())
}

/// Fails when an artifact is over its budget; prints each size.
fn budgets(dist: &Path, release: &Release, platform: &Platform) -> Result<()> {
    let archive = dist.join(platform.archive(&release.version));
    let npm = dist.join(npm::tarball(
        &platform.npm_package(&release.name),
        &release.version,
    ));
    let bundle = dist.join(platform.bundle(&release.version));
    for (file, budget) in [
        (&archive, ARCHIVE_BUDGET),
        (&npm, NPM_BUDGET),
        (&bundle, NPM_BUDGET),
    ] {
        let size = std::fs::metadata(file)
            .with_context(|| format!("{} was not written", file.display()))?
            .len();
        println!(
            "dist --test: {}: {size} bytes (budget {budget})",
            file.display()
        );
        ensure!(
            size < budget,
            "{} is {size} bytes, over its budget of {budget}",
            file.display()
        );
    }
    let binary = binary_size(&archive, platform)?;
    ensure!(
        binary <= BINARY_BUDGET,
        "the binary is {binary} bytes, over its budget of {BINARY_BUDGET}"
    );
    Ok(())
}

/// The size of the binary in an archive.
fn binary_size(archive: &Path, platform: &Platform) -> Result<u64> {
    let bytes = std::fs::read(archive)?;
    if platform.windows() {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
        for i in 0..zip.len() {
            let file = zip.by_index(i)?;
            if file.name().ends_with(platform.exe()) {
                return Ok(file.size());
            }
        }
    } else {
        let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
        for entry in tar.entries()? {
            let entry = entry?;
            if entry.path()?.ends_with(platform.exe()) {
                return Ok(entry.size());
            }
        }
    }
    bail!("{} holds no {}", archive.display(), platform.exe())
}

/// Runs the installer with the dist folder as its download URL, into an
/// empty folder; the installed binary.
pub fn installer(dist: &Path, work: &Path) -> Result<PathBuf> {
    let bin = work.join("bin");
    let status = installer_command(dist, work)?
        .arg(dist.join("install.sh"))
        .status()
        .context("sh install.sh")?;
    ensure!(status.success(), "install.sh failed ({status})");
    Ok(bin.join("c1"))
}

/// `sh` for the installer, installing into `work/bin` from `download`, with
/// `work/home` as HOME.
fn installer_command(download: &Path, work: &Path) -> Result<Command> {
    let home = work.join("home");
    std::fs::create_dir_all(&home)?;
    let mut command = Command::new("sh");
    command
        .env("C1_DOWNLOAD_URL", download)
        .env("C1_INSTALL_DIR", work.join("bin"))
        .env("HOME", home);
    Ok(command)
}

/// `curl -fsSL URL/install.sh | sh`, as the README says, with the dist
/// folder served over HTTP on loopback as the release's URL; the installed
/// binary.
fn piped_installer(dist: &Path, work: &Path) -> Result<PathBuf> {
    let url = serve(dist)?;
    let mut command = installer_command(Path::new(&url), work)?;
    let status = command
        .args(["-c", &format!("curl -fsSL {url}/install.sh | sh")])
        .status()
        .context("sh -c 'curl ... | sh'")?;
    ensure!(
        status.success(),
        "curl {url}/install.sh | sh failed ({status})"
    );
    Ok(work.join("bin/c1"))
}

/// Serves the files of `dir` (by name, GET only) on a loopback port, for
/// 20 requests at most, as a release's download URL does; its URL.
fn serve(dir: &Path) -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").context("listening on loopback")?;
    let url = format!("http://{}", listener.local_addr()?);
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(20) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
            let mut request = Vec::new();
            let mut buffer = [0; 1024];
            while !request.ends_with(b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let request = String::from_utf8_lossy(&request);
            let name = request
                .strip_prefix("GET /")
                .and_then(|rest| rest.split(' ').next())
                .filter(|name| !name.contains('/') && !name.starts_with('.'));
            let body = name.and_then(|name| std::fs::read(dir.join(name)).ok());
            let head = match &body {
                Some(body) => format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                ),
                None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .into(),
            };
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_deref().unwrap_or_default());
        }
    });
    Ok(url)
}

/// The installer refuses an archive that does not match its checksum, and
/// installs nothing.
pub fn checksum_refused(
    dist: &Path,
    release: &Release,
    platform: &Platform,
    work: &Path,
) -> Result<()> {
    let download = work.join("download");
    std::fs::create_dir_all(&download)?;
    let name = platform.archive(&release.version);
    let mut bytes = std::fs::read(dist.join(&name))?;
    if let Some(last) = bytes.last_mut() {
        *last ^= 1;
    }
    std::fs::write(download.join(&name), bytes)?;
    let sum = format!("{name}.sha256");
    std::fs::copy(dist.join(&sum), download.join(&sum))?;
    let output = installer_command(&download, work)?
        .arg(dist.join("install.sh"))
        .output()
        .context("sh install.sh")?;
    let said = String::from_utf8_lossy(&output.stderr);
    ensure!(
        !output.status.success() && said.contains("does not match its checksum"),
        "install.sh installed an archive that does not match its checksum: {said}"
    );
    ensure!(
        !work.join("bin/c1").exists(),
        "install.sh left a c1 behind after refusing it"
    );
    println!("dist --test: the installer refuses an archive that does not match its checksum");
    Ok(())
}

/// `npm install` of the launcher's and this platform's tarballs into an
/// empty project; the installed `c1` and `npx c1-cli mcp serve`.
fn npm_install(
    dist: &Path,
    release: &Release,
    platform: &Platform,
    work: &Path,
) -> Result<(PathBuf, Command)> {
    std::fs::create_dir_all(work)?;
    std::fs::write(
        work.join("package.json"),
        "{\"name\": \"dist-check\", \"private\": true}\n",
    )?;
    let main = dist.join(npm::tarball(&release.name, &release.version));
    let binary = dist.join(npm::tarball(
        &platform.npm_package(&release.name),
        &release.version,
    ));
    let status = Command::new(npm_command())
        .args(["install", "--no-audit", "--no-fund", "--no-package-lock"])
        .arg(&main)
        .arg(&binary)
        .current_dir(work)
        .status()
        .context("npm install")?;
    ensure!(status.success(), "npm install of {} failed", main.display());
    for package in [release.name.clone(), platform.npm_package(&release.name)] {
        for license in ["LICENSE-MIT", "LICENSE-APACHE"] {
            let path = work.join("node_modules").join(&package).join(license);
            ensure!(path.exists(), "the npm package {package} has no {license}");
        }
    }
    let mut npx = Command::new(if cfg!(windows) { "npx.cmd" } else { "npx" });
    npx.args(["--no", &release.name]).current_dir(work);
    let bin = if cfg!(windows) { "c1.cmd" } else { "c1" };
    Ok((work.join("node_modules/.bin").join(bin), npx))
}

/// `mcpb info`, `mcpb unpack` and `mcpb validate` of the bundle; the
/// unpacked binary and the manifest's command, as a client runs it.
fn bundle(
    dist: &Path,
    release: &Release,
    platform: &Platform,
    work: &Path,
) -> Result<(PathBuf, Command)> {
    let tools = work.with_file_name("dist-tools");
    let mcpb = install_mcpb(&tools)?;
    let file = dist.join(platform.bundle(&release.version));
    let unpacked = work.join("bundle");
    for args in [
        vec!["info".into(), file.clone()],
        vec!["unpack".into(), file.clone(), unpacked.clone()],
        vec!["validate".into(), unpacked.join("manifest.json")],
    ] {
        let output = Command::new(&mcpb).args(&args).output().context("mcpb")?;
        let said = String::from_utf8_lossy(&output.stdout);
        ensure!(
            output.status.success(),
            "mcpb {args:?} failed: {said}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        println!(
            "dist --test: mcpb {}: {}",
            args[0].display(),
            said.lines().next().unwrap_or_default()
        );
    }
    let manifest: Value = serde_json::from_slice(&std::fs::read(unpacked.join("manifest.json"))?)?;
    let server = client_command(&manifest, &unpacked)?;
    let entry = manifest["server"]["entry_point"]
        .as_str()
        .unwrap_or_default();
    Ok((unpacked.join(entry), server))
}

/// The manifest's server command with `${__dirname}` and the user's
/// settings filled in, as a client does (the settings a test tenant's).
fn client_command(manifest: &Value, dir: &Path) -> Result<Command> {
    let settings = [
        ("tenant", "acme"),
        ("client_id", "dist-check@acme.conductor.one/pcc"),
        ("client_secret", SECRET),
        ("allow", "read"),
    ];
    let fill = |text: &str| {
        let mut text = text.replace("${__dirname}", &dir.display().to_string());
        for (name, value) in settings {
            text = text.replace(&format!("${{user_config.{name}}}"), value);
        }
        text
    };
    let config = &manifest["server"]["mcp_config"];
    let Some(command) = config["command"].as_str() else {
        bail!("the bundle's manifest has no server command");
    };
    let mut server = Command::new(fill(command));
    isolated(&mut server, &dir.with_file_name("bundle-home"))?;
    for arg in config["args"].as_array().into_iter().flatten() {
        server.arg(fill(arg.as_str().unwrap_or_default()));
    }
    for (name, value) in config["env"].as_object().into_iter().flatten() {
        server.env(name, fill(value.as_str().unwrap_or_default()));
    }
    Ok(server)
}

/// Installs the official bundle tool under `dir` (once); its command.
fn install_mcpb(dir: &Path) -> Result<PathBuf> {
    crate::node::install_once(dir, &[MCPB])?;
    Ok(dir.join("node_modules/.bin/mcpb"))
}

/// `c1 --version` of `c1` is `version`, and `server` (which runs it as
/// `c1 mcp serve`) answers the handshake as that version, with tools.
fn runs(c1: &Path, version: &str, server: Command, what: &str) -> Result<()> {
    check_version(c1, version)?;
    let answered = handshake(server).with_context(|| what.to_string())?;
    ensure!(
        answered.server == version,
        "{what} says it is {}",
        answered.server
    );
    ensure!(!answered.tools.is_empty(), "{what} lists no tools");
    println!(
        "dist --test: {what} ({}): {version}, {} tools",
        c1.display(),
        answered.tools.len()
    );
    Ok(())
}

/// `c1 --version` prints `version`.
fn check_version(c1: &Path, version: &str) -> Result<()> {
    let output = Command::new(c1)
        .arg("--version")
        .output()
        .with_context(|| format!("running {} --version", c1.display()))?;
    let said = String::from_utf8_lossy(&output.stdout);
    ensure!(
        output.status.success() && said.trim() == version,
        "{} --version said `{}` ({})",
        c1.display(),
        said.trim(),
        output.status
    );
    Ok(())
}
