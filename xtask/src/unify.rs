//! `cargo xtask codegen` builds xtask alone; `cargo test --workspace` builds
//! it with every member and their dev-dependencies. Cargo turns on, in each
//! dependency, the features the packages being built ask for, and builds a
//! dependency again (and everything above it: the generator, at opt-level 2)
//! when that set differs. `xtask/Cargo.toml` asks for the rest of the
//! workspace's features itself, so the test suite reuses what the first
//! codegen built; this test says what to add there when that drifts.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// Every package `cargo tree` shows with its features, as `(package, features)`
/// (a package built for the host and for the target can appear twice).
fn feature_sets(args: &[&str]) -> BTreeSet<(String, String)> {
    let output = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--prefix", "none", "-e", "features"])
        .args(["--format", "{p}|{f}"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_once('|'))
        .map(|(package, features)| (package_name(package), features_of(features)))
        .collect()
}

/// `serde v1.0.0 (proc-macro) (*)` is `serde v1.0.0`; a member loses its path.
fn package_name(package: &str) -> String {
    let name = package.split_once(" (").map_or(package, |(name, _)| name);
    name.trim().to_string()
}

fn features_of(features: &str) -> String {
    features.trim_end_matches("(*)").trim().to_string()
}

#[test]
fn xtask_builds_with_the_workspace_features() {
    let alone = feature_sets(&["--package", "xtask", "-e", "normal,build"]);
    let workspace = feature_sets(&["--workspace"]);
    let mut workspace_has: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (package, features) in &workspace {
        workspace_has.entry(package).or_default().push(features);
    }
    let differ: Vec<String> = alone
        .difference(&workspace)
        .map(|(package, features)| {
            format!(
                "{package}: [{features}] alone, {:?} in the workspace",
                workspace_has
                    .get(package.as_str())
                    .cloned()
                    .unwrap_or_default()
            )
        })
        .collect();
    assert!(
        differ.is_empty(),
        "xtask alone builds these with other features than `cargo test --workspace` does, \
         so the test suite builds them (and the generator) again; add the missing features \
         to xtask/Cargo.toml:\n{}",
        differ.join("\n")
    );
}
