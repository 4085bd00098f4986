//! `cargo xtask fuzz-seeds OUT DOCUMENT...`: small seeds for the fuzzer cut
//! from large documents. Each seed is one path of a document (or one
//! component schema) with every component it refers to, directly or not, so
//! that it is a whole document of a few kilobytes that exercises what the
//! original does. The seeds are written to OUT (a scratch directory: they
//! come from documents that are read in place, never copied here).

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Context;
use serde_json::{json, Map, Value};

/// Seeds per document at most, so that the corpus stays quick to replay.
const MAX_SEEDS: usize = 400;

/// The largest seed kept: the fuzzer's inputs are at most as long as its
/// longest seed, and short inputs run many times faster.
const MAX_SEED_BYTES: usize = 64 * 1024;

/// Writes the seeds of each document to `out`.
pub fn run(out: &Path, documents: &[std::path::PathBuf]) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for path in documents {
        let docs = c1_codegen::documents(path)?;
        for doc in docs {
            let stem = Path::new(&doc.name)
                .file_stem()
                .map_or("doc".into(), |s| s.to_string_lossy().into_owned());
            let mut written = 0;
            for (i, seed) in seeds(&doc.value).iter().enumerate() {
                let text = serde_yaml::to_string(seed)?;
                if text.len() <= MAX_SEED_BYTES {
                    std::fs::write(out.join(format!("{stem}-{i:04}.yaml")), text)?;
                    written += 1;
                }
            }
            eprintln!("{}: {written} seeds", doc.name);
        }
    }
    Ok(())
}

/// One document per path, then one per component schema, up to [`MAX_SEEDS`].
fn seeds(doc: &Value) -> Vec<Value> {
    let mut seeds = Vec::new();
    let paths = doc["paths"].as_object().into_iter().flatten();
    for (key, item) in paths {
        let paths = Map::from_iter([(key.clone(), item.clone())]);
        seeds.push(with_refs(doc, json!({"paths": paths}), item));
    }
    let schemas = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten();
    for (key, schema) in schemas {
        let start = json!({"components": {"schemas": {key: schema}}});
        seeds.push(with_refs(doc, start, schema));
    }
    // Spread the picks over the whole document.
    let step = seeds.len().div_ceil(MAX_SEEDS).max(1);
    seeds.into_iter().step_by(step).collect()
}

/// `seed` with the document's `openapi` and `info`, and every node under
/// `components` that `node` refers to, transitively.
fn with_refs(doc: &Value, mut seed: Value, node: &Value) -> Value {
    seed["openapi"] = doc["openapi"].clone();
    seed["info"] = doc["info"].clone();
    if seed.get("paths").is_none() {
        seed["paths"] = json!({});
    }
    let mut seen = BTreeSet::new();
    let mut pending = Vec::new();
    refs(node, &mut pending);
    while let Some(reference) = pending.pop() {
        let Some(pointer) = reference.strip_prefix('#') else {
            continue;
        };
        let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
        // The component the reference is in: `/components/<section>/<name>`.
        let [section @ "components", kind, name, ..] = tokens[..] else {
            continue;
        };
        let component = format!("/{section}/{kind}/{name}");
        if !seen.insert(component.clone()) {
            continue;
        }
        if let Some(target) = doc.pointer(&component) {
            refs(target, &mut pending);
            let name = name.replace("~1", "/").replace("~0", "~");
            seed["components"][kind][name] = target.clone();
        }
    }
    seed
}

/// Every `$ref` under `node`.
fn refs(node: &Value, found: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                found.push(r.clone());
            }
            map.values().for_each(|v| refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_holds_its_path_and_what_it_refers_to_only() {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/R"}}}}},
            "components": {
                "responses": {"R": {"description": "r", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}},
                "schemas": {
                    "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                    "B": {"type": "string"},
                    "Unused": {"type": "integer"}
                }
            }
        });
        let seeds = seeds(&doc);
        // One per path, then one per schema.
        assert_eq!(seeds.len(), 4);
        let first = &seeds[0];
        assert_eq!(first["paths"], doc["paths"]);
        assert_eq!(
            first["components"]["responses"],
            doc["components"]["responses"]
        );
        let schemas: Vec<&String> = first["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(schemas, ["A", "B"]);
        assert_eq!(
            seeds[3]["components"]["schemas"],
            json!({"Unused": {"type": "integer"}})
        );
        assert_eq!(seeds[3]["paths"], json!({}));
    }
}
