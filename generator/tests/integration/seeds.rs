//! The pipeline on the five documentation pages vendored in `spec/`:
//! snapshots of each stage, the reconciliation of the three `PersonalClient`
//! spellings, and independence from document order. (`spec/` also holds the
//! whole API, which `spellings.rs` and `full_spec.rs` test.)

use crate::common;

use std::path::Path;

use c1_codegen::load::{self, SourceDocument};
use c1_codegen::merge::{self, Merged};
use c1_codegen::normalize::{self, NormalizedDocument};
use serde_json::Value;

/// Relative, so that names in snapshots and messages are the same everywhere
/// (tests run in the crate's directory).
const SPEC: &str = "../spec";

/// The five pages (not the whole API beside them).
fn sources() -> Vec<SourceDocument> {
    let mut docs = c1_codegen::documents(Path::new(SPEC)).expect("spec/ loads");
    docs.retain(|d| !d.name.ends_with(".openapi.yaml"));
    docs
}

fn normalized() -> Vec<NormalizedDocument> {
    sources()
        .iter()
        .map(|d| normalize::normalize(d).expect("normalizes"))
        .collect()
}

fn merged() -> Merged {
    merge::merge(&normalized()).expect("merges")
}

fn yaml(value: &Value) -> String {
    serde_yaml::to_string(value).expect("serializes")
}

#[test]
fn spec_holds_the_whole_api_the_five_pages_and_the_overlay() {
    let names: Vec<String> = load::load_dir(Path::new(SPEC))
        .expect("spec/ loads")
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(
        names,
        [
            "../spec/c1.overlay.yaml",
            "../spec/conductor_one_api.openapi.yaml",
            "../spec/connector.revoke_credential.yaml",
            "../spec/personal_client.delete.yaml",
            "../spec/personal_client.get.yaml",
            "../spec/personal_client.list.yaml",
            "../spec/personal_client.update.yaml",
        ]
    );
}

#[test]
fn normalized_documents() {
    for doc in normalized() {
        let name = Path::new(&doc.name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        insta::assert_snapshot!(format!("normalized_{name}"), yaml(&doc.value));
    }
}

#[test]
fn merged_document_and_notes() {
    let merged = merged();
    insta::assert_snapshot!("merged", yaml(&merged.value));
    let notes: Vec<String> = merged.notes.iter().map(|n| n.to_string()).collect();
    insta::assert_snapshot!("merge_notes", notes.join("\n"));
}

#[test]
fn emitted_rust() {
    let generated = c1_codegen::generate_documents(&sources(), &c1_codegen::Options::default())
        .expect("generates");
    // The runtime's copies (and the crate root, mostly the runtime's) are
    // the same for any spec; the snapshot is of what the spec gives.
    let runtime: Vec<&str> = c1_codegen::runtime::SOURCES
        .iter()
        .map(|(p, _)| *p)
        .collect();
    let files: Vec<_> = generated
        .files
        .into_iter()
        .filter(|f| {
            let path = f.path.to_string_lossy();
            !runtime.contains(&path.as_ref()) && path != "src/lib.rs"
        })
        .collect();
    insta::assert_snapshot!("emitted", common::files_text(&files));
}

#[test]
fn the_three_personal_client_spellings_merge_into_one() {
    let docs = normalized();
    let pointer = "/components/schemas/c1.api.iam.v1.PersonalClient";
    let copies: Vec<&NormalizedDocument> = docs
        .iter()
        .filter(|d| d.value.pointer(pointer).is_some())
        .collect();
    assert_eq!(
        copies.len(),
        3,
        "the spec has three copies of PersonalClient"
    );
    // They really disagree before merging: the 3.1 copy has nullable scalars.
    let nullable = |d: &NormalizedDocument, prop: &str| {
        d.value
            .pointer(&format!("{pointer}/properties/{prop}/nullable"))
            == Some(&Value::Bool(true))
    };
    let get = copies
        .iter()
        .find(|d| d.name.ends_with("get.yaml"))
        .unwrap();
    let list = copies
        .iter()
        .find(|d| d.name.ends_with("list.yaml"))
        .unwrap();
    assert!(nullable(get, "displayName") && !nullable(list, "displayName"));

    let merged = merged();
    let schema = merged.value.pointer(pointer).unwrap();
    let properties = schema["properties"].as_object().unwrap();
    assert_eq!(properties.len(), 11);
    for (name, prop) in properties {
        assert_eq!(
            prop["nullable"],
            Value::Bool(true),
            "{name} is nullable after the merge"
        );
    }
    // Arrays were nullable everywhere: no note. Scalars: one note each naming the files.
    let noted: Vec<&str> = merged
        .notes
        .iter()
        .filter_map(|n| n.pointer.strip_prefix(&format!("{pointer}/properties/")))
        .collect();
    assert_eq!(
        noted,
        [
            "clientId",
            "createdAt",
            "deletedAt",
            "displayName",
            "expiresTime",
            "id",
            "lastUsedAt",
            "updatedAt",
            "userId"
        ]
    );
    assert!(merged.notes.iter().all(|n| n.message
        == "nullable in ../spec/personal_client.get.yaml but not in ../spec/personal_client.list.yaml, ../spec/personal_client.update.yaml; merged as nullable"));
}

/// Every ordering of `items` (Heap's algorithm).
fn permutations<T: Clone>(items: Vec<T>) -> Vec<Vec<T>> {
    fn heap<T: Clone>(k: usize, items: &mut Vec<T>, out: &mut Vec<Vec<T>>) {
        if k <= 1 {
            out.push(items.clone());
            return;
        }
        for i in 0..k {
            heap(k - 1, items, out);
            let j = if k % 2 == 0 { i } else { 0 };
            items.swap(j, k - 1);
        }
    }
    let mut out = Vec::new();
    let mut items = items;
    let n = items.len();
    heap(n, &mut items, &mut out);
    out
}

#[test]
fn document_order_does_not_change_the_result() {
    let docs = normalized();
    let expected = merge::merge(&docs).unwrap();
    let expected_text = serde_json::to_string(&expected.value).unwrap();
    let expected_files =
        c1_codegen::generate_documents(&sources(), &c1_codegen::Options::default())
            .unwrap()
            .files;
    let orders = permutations(docs);
    assert_eq!(orders.len(), 120);
    for order in orders {
        let merged = merge::merge(&order).unwrap();
        assert_eq!(serde_json::to_string(&merged.value).unwrap(), expected_text);
        assert_eq!(merged.notes, expected.notes);
    }
    for order in permutations(sources()).into_iter().step_by(7) {
        assert_eq!(
            c1_codegen::generate_documents(&order, &c1_codegen::Options::default())
                .unwrap()
                .files,
            expected_files
        );
    }
}

#[test]
fn the_whole_spec_merges_the_same_in_any_order() {
    let mut docs: Vec<NormalizedDocument> = c1_codegen::documents(Path::new(SPEC))
        .expect("spec/ loads")
        .iter()
        .map(|d| normalize::normalize(d).expect("normalizes"))
        .collect();
    assert_eq!(docs.len(), 6);
    let expected = merge::merge(&docs).unwrap();
    let expected_text = serde_json::to_string(&expected.value).unwrap();
    for _ in 0..docs.len() {
        docs.rotate_left(1);
        for order in [docs.clone(), docs.iter().rev().cloned().collect()] {
            let merged = merge::merge(&order).unwrap();
            assert_eq!(serde_json::to_string(&merged.value).unwrap(), expected_text);
            assert_eq!(merged.notes, expected.notes);
        }
    }
}

#[test]
fn generation_is_byte_identical_on_every_run() {
    let first = c1_codegen::generate(Path::new(SPEC), &c1_codegen::Options::default()).unwrap();
    let second = c1_codegen::generate(Path::new(SPEC), &c1_codegen::Options::default()).unwrap();
    assert_eq!(first.files, second.files);
}

#[test]
fn normalizing_a_normalized_document_changes_nothing() {
    for doc in normalized() {
        let again = normalize::normalize(&SourceDocument {
            name: doc.name.clone(),
            value: doc.value.clone(),
            text: String::new(),
        })
        .unwrap();
        assert_eq!(yaml(&again.value), yaml(&doc.value), "{}", doc.name);
    }
}

/// The five pages have no `auth.introspect` or `task.get`, which the
/// command line's built-in commands call: asking for a command line is an
/// error that says so, not a crate that fails to compile or panics.
#[test]
fn a_command_line_is_refused_for_an_api_without_what_its_built_ins_call() {
    let options = c1_codegen::Options {
        cli: true,
        ..c1_codegen::Options::default()
    };
    let Err(error) = c1_codegen::generate_documents(&sources(), &options) else {
        panic!("a command line was generated");
    };
    let message = error.to_string();
    assert!(
        message.contains("no command line can be generated")
            && message.contains("the operation `auth.introspect`"),
        "{message}"
    );
}
