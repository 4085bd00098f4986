//! `THIRD-PARTY-LICENSES.md`: the licenses of every crate `c1` is built
//! from, for the archives and packages (MIT, Apache-2.0, BSD and ISC all
//! ask that their notices travel with a binary). The crates are those
//! `cargo tree` gives for a build of `c1-cli` for the target (normal
//! dependencies with the features that build turns on: not the tests' nor
//! the build scripts' alone); each one's license and license files come
//! from `cargo metadata`, every text once with the crates that ship it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;

use super::archive::Entry;
use super::cargo;

/// The file names a crate's license texts go by (upper case, prefixes).
const LICENSE_FILES: [&str; 5] = ["LICENSE", "LICENCE", "COPYING", "NOTICE", "COPYRIGHT"];

/// One crate in the binary.
struct Crate {
    name: String,
    version: String,
    license: String,
    /// Each license file's name and text.
    texts: Vec<(String, String)>,
}

/// The file for `target`'s binary.
pub fn third_party(root: &Path, target: &str) -> Result<Entry> {
    let tree = cargo(
        root,
        &[
            "tree", "-p", "c1-cli", "-e", "normal", "--target", target, "--prefix", "none",
            "--format", "{p}", "--locked",
        ],
    )?;
    let metadata: Value = serde_json::from_str(&cargo(
        root,
        &["metadata", "--format-version", "1", "--locked"],
    )?)?;
    let crates = crates(&tree, &metadata)?;
    Ok(Entry::file("THIRD-PARTY-LICENSES.md", render(&crates)))
}

/// The crates of `tree` (`name vVERSION (...)` lines), but the
/// workspace's own, described from `metadata`.
fn crates(tree: &str, metadata: &Value) -> Result<Vec<Crate>> {
    let members: BTreeSet<&str> = metadata["workspace_members"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let packages: BTreeMap<(&str, &str), &Value> = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| !p["id"].as_str().is_some_and(|id| members.contains(id)))
        .filter_map(|p| Some(((p["name"].as_str()?, p["version"].as_str()?), p)))
        .collect();
    let used: BTreeSet<(&str, &str)> = tree
        .lines()
        .filter_map(|line| {
            let mut words = line.split(' ');
            Some((words.next()?, words.next()?.strip_prefix('v')?))
        })
        .collect();
    used.into_iter()
        .filter_map(|key| packages.get(&key))
        .map(|package| describe(package))
        .collect()
}

/// A package's license and the license files in its directory.
fn describe(package: &Value) -> Result<Crate> {
    let text = |key: &str| package[key].as_str().unwrap_or_default().to_string();
    let manifest = text("manifest_path");
    let dir = Path::new(&manifest)
        .parent()
        .context("a manifest without a directory")?;
    let mut texts = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            LICENSE_FILES
                .iter()
                .any(|p| name.to_uppercase().starts_with(p))
        })
        .collect();
    if let Some(file) = package["license_file"].as_str() {
        names.push(file.to_string());
    }
    names.sort();
    names.dedup();
    for name in names {
        let path = dir.join(&name);
        let body = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        texts.push((name, body.replace("\r\n", "\n")));
    }
    let license = match text("license") {
        license if license.is_empty() => "see its license file".to_string(),
        license => license,
    };
    Ok(Crate {
        name: text("name"),
        version: text("version"),
        license,
        texts,
    })
}

/// The Markdown: the table of crates, then every text once.
fn render(crates: &[Crate]) -> String {
    let mut out = format!(
        "# Third-party licenses\n\n`c1` is built from these {} crates, each under its license. \
         The license texts they ship follow, each once, with the crates that ship it.\n\n\
         | crate | version | license |\n| --- | --- | --- |\n",
        crates.len()
    );
    let mut texts: BTreeMap<&str, (BTreeSet<&str>, Vec<String>)> = BTreeMap::new();
    for krate in crates {
        let files = if krate.texts.is_empty() {
            " (no license file)"
        } else {
            ""
        };
        out.push_str(&format!(
            "| {} | {} | {}{files} |\n",
            krate.name, krate.version, krate.license
        ));
        for (name, body) in &krate.texts {
            let (names, users) = texts.entry(body.trim()).or_default();
            names.insert(name);
            users.push(format!("{} {}", krate.name, krate.version));
        }
    }
    for (body, (names, users)) in texts {
        let names: Vec<&str> = names.into_iter().collect();
        out.push_str(&format!(
            "\n## {} of {}\n\n```text\n{body}\n```\n",
            names.join(", "),
            users.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_text_is_given_once_with_the_crates_that_ship_it() {
        let mit = ("LICENSE-MIT".to_string(), "MIT text\n".to_string());
        let crates = [
            Crate {
                name: "a".into(),
                version: "1.0.0".into(),
                license: "MIT".into(),
                texts: vec![mit.clone()],
            },
            Crate {
                name: "b".into(),
                version: "2.0.0".into(),
                license: "MIT OR Apache-2.0".into(),
                texts: vec![mit],
            },
            Crate {
                name: "c".into(),
                version: "0.1.0".into(),
                license: "ISC".into(),
                texts: vec![],
            },
        ];
        let text = render(&crates);
        assert!(text.contains("built from these 3 crates"));
        assert!(text.contains("| b | 2.0.0 | MIT OR Apache-2.0 |\n"));
        assert!(text.contains("| c | 0.1.0 | ISC (no license file) |\n"));
        assert_eq!(text.matches("MIT text").count(), 1);
        assert!(text.contains("## LICENSE-MIT of a 1.0.0, b 2.0.0\n"));
    }

    /// The binary's crates, from this workspace: its dependencies, not the
    /// tests' (wiremock) nor the build scripts' alone, nor the workspace's.
    #[test]
    fn the_binarys_crates_are_its_normal_dependencies() {
        let entry = third_party(crate::codegen::root(), "x86_64-unknown-linux-gnu").unwrap();
        let text = String::from_utf8(entry.bytes).unwrap();
        for name in [
            "| clap |",
            "| rmcp |",
            "| tokio |",
            "| ring |",
            "| reqwest |",
        ] {
            assert!(text.contains(name), "{name} missing");
        }
        for name in [
            "| wiremock |",
            "| insta |",
            "| c1-client |",
            "| c1-cli |",
            "| jsonschema |",
        ] {
            assert!(!text.contains(name), "{name} listed");
        }
    }
}
