//! Real documents of other APIs (`$C1_SPECS_DIR/thirdparty`, read in place;
//! `.ci/run` sets the variable and also builds each generated crate): each
//! generates, every operation is kept, the content types are the ones the
//! document offers, and the only `serde_json::Value` fallbacks are the ones
//! README.md lists and justifies. Without the variable these tests say so
//! and check nothing else.

use std::path::{Path, PathBuf};

use c1_codegen::model::{Api, Media, TypeKind};
use c1_codegen::{merge, model, normalize};
use serde_json::Value;

/// `$C1_SPECS_DIR/thirdparty/<name>`, or `None` (after saying so).
fn document(name: &str) -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("C1_SPECS_DIR") else {
        eprintln!("C1_SPECS_DIR is not set: skipping the test on {name} (see .ci/run)");
        return None;
    };
    let path = PathBuf::from(dir).join("thirdparty").join(name);
    assert!(path.is_file(), "{} is not a file", path.display());
    Some(path)
}

/// The document as JSON, and its model.
fn model(path: &Path) -> (Value, Api) {
    let docs = c1_codegen::documents(path).expect("loads");
    let raw = docs[0].value.clone();
    let normalized: Vec<_> = docs
        .iter()
        .map(|d| normalize::normalize(d).expect("normalizes"))
        .collect();
    let merged = merge::merge(&normalized).expect("merges");
    (raw, model::build(&merged).expect("models"))
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every operation of the raw document, with its request body's content
/// types (a `$ref` to `components/requestBodies` followed).
fn raw_operations(raw: &Value) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for item in raw["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let mut body = &op["requestBody"];
            if let Some(reference) = body.get("$ref").and_then(Value::as_str) {
                body = raw
                    .pointer(&reference[1..])
                    .expect("the body reference resolves");
            }
            let types = body["content"]
                .as_object()
                .map(|c| c.keys().cloned().collect())
                .unwrap_or_default();
            found.push(types);
        }
    }
    found
}

/// How many bodies of the model are sent as `media` (by variant).
fn bodies(api: &Api, media: impl Fn(&Media) -> bool) -> usize {
    api.groups
        .iter()
        .flat_map(|g| &g.operations)
        .filter_map(|o| o.body.as_ref())
        .filter(|b| media(&b.media))
        .count()
}

/// How many raw operations offer no JSON body and list `first` first.
fn raw_bodies(raw: &[Vec<String>], first: &str) -> usize {
    raw.iter()
        .filter(|types| !types.iter().any(|t| t.contains("json")))
        .filter(|types| types.first().is_some_and(|t| t == first))
        .count()
}

/// The warnings of constructs typed less precisely than the document says
/// (a fallback to `serde_json::Value`), by pointer: all but the one each
/// document gets for having no effects table, which this checks.
fn warnings(api: &Api) -> Vec<String> {
    let (effects, others): (Vec<_>, Vec<_>) = api
        .warnings
        .iter()
        .partition(|w| w.message.contains("no operation has an effect"));
    assert_eq!(effects.len(), 1, "one warning: no effects table");
    assert_eq!(effects[0].pointer, "/paths");
    others.iter().map(|w| w.pointer.clone()).collect()
}

fn unions(api: &Api) -> usize {
    let unions = api
        .types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Union(_)));
    unions.count()
}

fn operations(api: &Api) -> usize {
    api.groups.iter().map(|g| g.operations.len()).sum()
}

#[test]
fn openai_generates_with_four_documented_fallbacks() {
    let Some(path) = document("openai.yaml") else {
        return;
    };
    let (raw, api) = model(&path);
    let raw_ops = raw_operations(&raw);
    assert_eq!(operations(&api), raw_ops.len());
    assert_eq!(
        bodies(&api, |m| *m == Media::Multipart),
        raw_bodies(&raw_ops, "multipart/form-data")
    );
    assert!(bodies(&api, |m| *m == Media::Multipart) >= 10);
    // An `allOf` of a union and an object (events with a `stream_id`, an
    // item with an `id`): README.md, "What becomes serde_json::Value".
    assert_eq!(
        warnings(&api),
        [
            "/components/schemas/BetaInputItem/oneOf/1",
            "/components/schemas/BetaResponsesWebSocketStreamEvent",
            "/components/schemas/InputItem/oneOf/1",
            "/components/schemas/ResponsesWebSocketStreamEvent",
        ]
    );
    assert!(unions(&api) > 300, "{}", unions(&api));
}

#[test]
fn box_generates_with_no_fallback() {
    let Some(path) = document("box.json") else {
        return;
    };
    let (raw, api) = model(&path);
    let raw_ops = raw_operations(&raw);
    assert_eq!(operations(&api), raw_ops.len());
    for (media, first) in [
        (Media::Multipart, "multipart/form-data"),
        (Media::Form, "application/x-www-form-urlencoded"),
    ] {
        let expected = raw_bodies(&raw_ops, first);
        assert!(expected > 0, "{first}");
        assert_eq!(bodies(&api, |m| *m == media), expected, "{first}");
    }
    assert!(bodies(&api, |m| matches!(m, Media::Binary(_))) > 0);
    assert_eq!(warnings(&api), Vec::<String>::new());
}

#[test]
fn petstore_generates_with_no_fallback_and_json_first() {
    let Some(path) = document("swagger-petstore.yaml") else {
        return;
    };
    let (raw, api) = model(&path);
    let raw_ops = raw_operations(&raw);
    assert_eq!(operations(&api), raw_ops.len());
    // Bodies offered as JSON, XML and form are sent as JSON.
    let with_json = raw_ops
        .iter()
        .filter(|t| t.iter().any(|t| t == "application/json"))
        .count();
    assert_eq!(bodies(&api, |m| matches!(m, Media::Json(_))), with_json);
    assert_eq!(bodies(&api, |m| matches!(m, Media::Binary(_))), 1);
    assert_eq!(warnings(&api), Vec::<String>::new());
}
