//! The MCP bundle (`.mcpb`, manifest 0.3): a zip of `manifest.json`, the
//! binary under `server/`, the README and licenses, which Claude Desktop
//! and other clients install in one click. The manifest runs `c1 mcp
//! serve` and asks the user, when installing, for the tenant and a
//! client's credentials (the secret `sensitive`, which the bundle format
//! keeps in the system's keychain) and what agents may do.
//!
//! One bundle per target: its server is a native binary, and a bundle's
//! manifest can choose a command per operating system (`platform_overrides`)
//! but not per processor.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde_json::{json, Value};

use super::archive::{self, Entry};
use super::platform::Platform;
use super::Release;

/// The manifest version written, the newest the official tool reads.
const MANIFEST_VERSION: &str = "0.3";

/// The bundle's manifest for `platform`, listing `tools` (name, description).
pub fn manifest(release: &Release, platform: &Platform, tools: &[(String, String)]) -> Value {
    let tools: Vec<Value> = tools
        .iter()
        .map(|(name, description)| {
            let summary = description.split("\n\n").next().unwrap_or_default();
            json!({"name": name, "description": summary})
        })
        .collect();
    json!({
        "manifest_version": MANIFEST_VERSION,
        "name": "c1",
        "display_name": "C1 (ConductorOne)",
        "version": release.version,
        "description": "Request and approve access, and call the whole C1 API, as the signed-in user.",
        "long_description": "The C1 (ConductorOne) identity-governance API for agents: search the catalog, check and request access, approve or deny tasks, and call any of the API's operations, within what you allow (read by default). Every call is logged without its arguments.",
        "author": {"name": format!("The {} authors", release.name)},
        "license": release.license,
        "keywords": ["conductorone", "c1", "access", "identity-governance"],
        "server": {
            "type": "binary",
            "entry_point": format!("server/{}", platform.exe()),
            "mcp_config": {
                "command": format!("${{__dirname}}/server/{}", platform.exe()),
                "args": ["mcp", "serve", "--allow", "${user_config.allow}"],
                "env": {
                    "CONDUCTORONE_TENANT_DOMAIN": "${user_config.tenant}",
                    "CONDUCTORONE_CLIENT_ID": "${user_config.client_id}",
                    "CONDUCTORONE_CLIENT_SECRET": "${user_config.client_secret}",
                },
            },
        },
        "tools": tools,
        "compatibility": {"platforms": [platform.os]},
        "user_config": {
            "tenant": {
                "type": "string",
                "title": "Tenant",
                "description": "Your C1 tenant (acme, acme.conductor.one or acme.c1eu.ai). Leave it empty to use the one in the client id.",
                "required": false,
            },
            "client_id": {
                "type": "string",
                "title": "Client id",
                "description": "A personal or service client's id (name@acme.conductor.one/pcc): create one in C1, or with `c1 auth login`.",
                "required": true,
            },
            "client_secret": {
                "type": "string",
                "title": "Client secret",
                "description": "That client's secret (secret-token:conductorone.com:v1:...).",
                "required": true,
                "sensitive": true,
            },
            "allow": {
                "type": "string",
                "title": "Allow",
                "description": "What agents may do: read (the default: read, check and wait, no secrets), request (also request and revoke access, comment on tasks) or write (every operation, approving and denying too).",
                "required": false,
                "default": "read",
            },
        },
    })
}

/// Writes `platform`'s bundle, with `docs`, into `out`; its path.
pub fn write(
    out: &Path,
    release: &Release,
    platform: &Platform,
    binary: &[u8],
    tools: &[(String, String)],
    docs: &[Entry],
) -> Result<PathBuf> {
    let manifest = serde_json::to_string_pretty(&manifest(release, platform, tools))? + "\n";
    let mut entries = vec![
        Entry::file("manifest.json", manifest),
        Entry::executable(format!("server/{}", platform.exe()), binary),
    ];
    entries.extend(docs.iter().cloned());
    let path = out.join(platform.bundle(&release.version));
    std::fs::write(&path, archive::zip(&entries)?)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `${user_config.X}` the server's configuration uses is a
    /// setting the manifest declares, and the secret is marked sensitive.
    #[test]
    fn the_server_reads_only_settings_the_user_is_asked_for() {
        let release = Release::for_tests(&["x86_64-unknown-linux-gnu"]);
        let linux = Platform::of("x86_64-unknown-linux-gnu").unwrap();
        let manifest = manifest(
            &release,
            &linux,
            &[("whoami".into(), "Who.\n\nMore.".into())],
        );
        let config = manifest["server"]["mcp_config"].to_string();
        let declared = manifest["user_config"].as_object().unwrap();
        let used: Vec<&str> = config
            .split("${user_config.")
            .skip(1)
            .filter_map(|rest| rest.split('}').next())
            .collect();
        assert_eq!(used, ["allow", "tenant", "client_id", "client_secret"]);
        for name in used {
            assert!(declared.contains_key(name), "{name} is not declared");
        }
        assert_eq!(manifest["user_config"]["client_secret"]["sensitive"], true);
        assert_eq!(manifest["server"]["entry_point"], "server/c1");
        assert_eq!(
            manifest["tools"],
            json!([{"name": "whoami", "description": "Who."}])
        );
        let windows = Platform::of("x86_64-pc-windows-msvc").unwrap();
        let manifest = super::manifest(&release, &windows, &[]);
        assert_eq!(
            manifest["server"]["mcp_config"]["command"],
            "${__dirname}/server/c1.exe"
        );
        assert_eq!(manifest["compatibility"]["platforms"], json!(["win32"]));
    }
}
