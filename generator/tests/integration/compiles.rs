//! "Every crate the generator writes compiles, or the generator says why",
//! checked: small documents whose names collide in every namespace the
//! generated crate has (fields, variants, parameters and setters, methods,
//! modules, types, the runtime's own names), from a pool of names that
//! collide after case conversion, keyword escaping or operator spelling.
//!
//! - `every_document_generates_unique_rust_names` (proptest, 256 cases):
//!   each document generates, or fails with an error that names its place;
//!   every generated file parses as Rust.
//! - `sampled_crates_compile_warning_free`: 12 documents of a fixed seed
//!   (`C1_COMPILE_CASES` and `C1_COMPILE_SEED` to sample others) each
//!   generate a crate; one `cargo check --offline` of all of them, with
//!   every feature and `-D warnings`, must pass. Its target directory is
//!   `target/compiles`, so later runs only check the crates.

use std::path::{Path, PathBuf};
use std::process::Command;

use c1_codegen::load::SourceDocument;
use c1_codegen::{Generated, Options};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Map, Value};

/// Spec names that give the same Rust name once converted (`DateCreated<`
/// and `DateCreated>` without operators, `type` and `@type`), keywords, and
/// names the generated code or its runtime uses itself.
const NAMES: &[&str] = &[
    "DateCreated",
    "DateCreated<",
    "DateCreated>",
    "DateCreated<=",
    "date_created",
    "dateCreated",
    "date-created",
    "type",
    "@type",
    "Type",
    "self",
    "Self",
    "super",
    "crate",
    "2fa",
    "new",
    "client",
    "Client",
    "timeout",
    "send",
    "body",
    "request_body",
    "items",
    "pages",
    "calls",
    "default",
    "full",
    "testing",
    "Result",
    "Option",
    "String",
    "Vec",
    "Box",
    "map",
    "key",
    "value",
    "Other",
    "UnknownValue",
    "List",
    "list",
    "x.y",
    "a b",
];

/// Names that are valid HTTP header names (RFC 9110 tokens).
const HEADERS: &[&str] = &[
    "X-Trace", "x-trace", "X_Trace", "timeout", "body", "Type", "self",
];

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_string)
}

/// A property's schema: a scalar, an enum of colliding values, or a
/// reference to one of the document's schemas (`S0`..`S2`).
fn property() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "integer", "format": "int32"})),
        prop::collection::vec(name(), 1..4).prop_map(|values| {
            let mut values: Vec<String> = values;
            values.dedup();
            json!({"type": "string", "enum": values})
        }),
        (0..3usize).prop_map(|i| json!({"$ref": format!("#/components/schemas/S{i}")})),
        (0..3usize).prop_map(
            |i| json!({"type": "array", "items": {"$ref": format!("#/components/schemas/S{i}")}})
        ),
    ]
}

/// An object schema with properties of colliding names, or a union of the
/// document's schemas.
fn schema() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop::collection::btree_map(name(), property(), 0..6)
            .prop_map(|props| json!({"type": "object", "properties": Map::from_iter(props)})),
        1 => prop::collection::vec(0..3usize, 2..4).prop_map(|members| {
            let members: Vec<Value> = members
                .into_iter()
                .map(|i| json!({"$ref": format!("#/components/schemas/S{i}")}))
                .collect();
            json!({"oneOf": members})
        }),
    ]
}

/// An operation: its group, its id, its query and header parameters, and
/// whether it takes and answers a schema.
#[allow(clippy::type_complexity)]
fn operation() -> impl Strategy<Value = (String, String, Vec<String>, Vec<String>, bool, bool)> {
    (
        name(),
        name(),
        prop::collection::vec(name(), 0..6),
        prop::collection::vec(prop::sample::select(HEADERS).prop_map(str::to_string), 0..3),
        any::<bool>(),
        any::<bool>(),
    )
}

/// A document of three schemas and up to five operations, every name drawn
/// from [`NAMES`].
fn document() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(schema(), 3..=3),
        prop::collection::vec(operation(), 1..6),
    )
        .prop_map(|(schemas, operations)| {
            let components: Map<String, Value> = schemas
                .into_iter()
                .enumerate()
                .map(|(i, s)| (format!("S{i}"), s))
                .collect();
            let mut paths = Map::new();
            for (i, (group, id, query, headers, body, answer)) in operations.into_iter().enumerate() {
                let mut parameters: Vec<Value> = query
                    .iter()
                    .map(|n| json!({"name": n, "in": "query", "schema": {"type": "string"}}))
                    .collect();
                parameters.extend(headers.iter().map(|n| json!({"name": n, "in": "header", "schema": {"type": "string"}})));
                parameters.push(json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}));
                let mut op = json!({
                    "tags": [group],
                    "operationId": format!("{id}.{id}"),
                    "parameters": parameters,
                    "responses": {"204": {"description": "done"}}
                });
                if body {
                    op["requestBody"] = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}});
                }
                if answer {
                    op["responses"] = json!({"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S1"}}}}});
                }
                paths.insert(format!("/p{i}/{{id}}"), json!({"post": op}));
            }
            json!({
                "openapi": "3.1.0",
                "info": {"title": "t", "version": "1"},
                "paths": paths,
                "components": {"schemas": components}
            })
        })
}

/// The crate a document generates, or the generator's error.
fn generate(doc: &Value, package: &str) -> Result<Generated, c1_codegen::Error> {
    let text = serde_json::to_string_pretty(doc).expect("a JSON value prints");
    let source = SourceDocument::parse("api.json", &text)?;
    let options = Options {
        package: package.to_string(),
        ..Options::default()
    };
    c1_codegen::generate_documents(&[source], &options)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_document_generates_unique_rust_names(doc in document()) {
        match generate(&doc, "case") {
            Ok(generated) => {
                for file in generated.files.iter().filter(|f| f.path.extension().is_some_and(|e| e == "rs")) {
                    let parsed = syn::parse_file(&file.contents);
                    prop_assert!(parsed.is_ok(), "{}: {:?}", file.path.display(), parsed.err());
                }
            }
            // A refusal must say where.
            Err(e) => prop_assert!(e.to_string().contains("api.json"), "{e}"),
        }
    }
}

/// The documents of one seed.
fn sample(seed: u64, count: usize) -> Vec<Value> {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let strategy = document();
    (0..count)
        .map(|_| {
            let tree = strategy
                .new_tree(&mut runner)
                .expect("the strategy makes documents");
            tree.current()
        })
        .collect()
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The workspace's root, where `Cargo.lock` and `target/` are.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator is in the workspace")
        .to_path_buf()
}

#[test]
fn sampled_crates_compile_warning_free() {
    let count = env_number("C1_COMPILE_CASES", 12) as usize;
    let seed = env_number("C1_COMPILE_SEED", 22);
    let dir = std::env::temp_dir().join(format!("c1-compiles-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut members = Vec::new();
    for (i, doc) in sample(seed, count).iter().enumerate() {
        let package = format!("case{i}");
        let generated = match generate(doc, &package) {
            Ok(generated) => generated,
            Err(e) => {
                assert!(e.to_string().contains("api.json"), "{e}");
                continue;
            }
        };
        let root = dir.join(&package);
        for file in &generated.files {
            let path = root.join(&file.path);
            std::fs::create_dir_all(path.parent().expect("a file is in a folder")).expect("mkdir");
            std::fs::write(&path, &file.contents).expect("write");
        }
        let text = serde_json::to_string_pretty(doc).expect("prints");
        std::fs::write(root.join("api.input.json"), text).expect("write");
        members.push(format!("\"{package}\""));
    }
    assert!(
        members.len() * 2 >= count,
        "most sampled documents generate: {} of {count}",
        members.len()
    );
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write");
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock"))
        .expect("copy the lockfile");
    let output = Command::new(env!("CARGO"))
        .args([
            "check",
            "--offline",
            "--workspace",
            "--all-features",
            "--quiet",
        ])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", workspace().join("target/compiles"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        // The crates are kept to look at.
        panic!(
            "the sampled crates do not compile (kept in {}):\n{stderr}",
            dir.display()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
