//! Properties over generated documents: normalization is idempotent, the
//! merge does not depend on document order, and the pipeline returns `Ok`
//! or `Err` for any document, never panicking.

use c1_codegen::load::SourceDocument;
use c1_codegen::normalize::{normalize_document, NormalizedDocument};
use c1_codegen::{merge, Options};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// A schema built from the keywords the normalizer and the model care about.
fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "string", "format": "date-time"})),
        Just(json!({"type": "string", "format": "int64"})),
        Just(json!({"type": "integer", "format": "int32"})),
        Just(json!({"type": ["string", "null"]})),
        Just(json!({"type": ["integer", "string"]})),
        Just(json!({"type": "boolean", "readOnly": false})),
        Just(json!({"const": "x"})),
        Just(json!({"type": "string", "enum": ["A_ONE", "A_TWO"]})),
        Just(json!({"type": "number", "exclusiveMinimum": 0})),
        Just(json!({"type": "number", "format": "int32"})),
        Just(json!({"type": "number"})),
        Just(json!({"type": "string", "examples": ["e"]})),
        Just(json!({"$ref": "#/components/schemas/S0"})),
        Just(json!({"$ref": "#/components/schemas/S1", "description": "d"})),
        Just(json!({"$ref": "#/components/schemas/Missing"})),
        Just(json!({"$ref": "#/components/schemas/S2"})),
        Just(json!({"type": "object", "additionalProperties": true})),
        Just(json!({})),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::btree_map("[a-z@.]{1,6}", inner.clone(), 0..4).prop_map(|props| {
                json!({"type": "object", "properties": Map::from_iter(props)})
            }),
            inner
                .clone()
                .prop_map(|items| json!({"type": ["array", "null"], "items": items})),
            inner
                .clone()
                .prop_map(|values| json!({"type": "object", "additionalProperties": values})),
            (inner.clone(), any::<bool>()).prop_map(|(s, null)| {
                let mut alternatives = vec![s];
                if null {
                    alternatives.push(json!({"type": "null"}));
                }
                json!({"oneOf": alternatives})
            }),
            prop::collection::vec(inner, 1..3)
                .prop_map(|all| json!({"allOf": all, "nullable": false})),
        ]
    })
}

/// A document with a few schemas and an operation that uses them.
fn document() -> impl Strategy<Value = Value> {
    (prop::collection::vec(schema(), 1..4), schema(), "[a-z]{1,5}", any::<bool>()).prop_map(|(schemas, body, name, with_id)| {
        let components: Map<String, Value> = schemas.into_iter().enumerate().map(|(i, s)| (format!("S{i}"), s)).collect();
        let path = if with_id { format!("/{name}/{{id}}") } else { format!("/{name}") };
        let parameters = if with_id { json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]) } else { json!([]) };
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {path: {"post": {
                "operationId": format!("x.{name}"),
                "parameters": parameters,
                "requestBody": {"content": {"application/json": {"schema": body}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}}
            }}},
            "components": {"schemas": components}
        })
    })
}

fn source(name: &str, value: &Value) -> SourceDocument {
    let text = serde_json::to_string_pretty(value).unwrap();
    SourceDocument::parse(name, &text).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn normalizing_twice_is_normalizing_once(doc in document()) {
        let mut once = doc;
        normalize_document(&mut once);
        let mut twice = once.clone();
        normalize_document(&mut twice);
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn merging_does_not_depend_on_order(a in document(), b in document(), c in document()) {
        let docs: Vec<NormalizedDocument> = [("a.yaml", a), ("b.yaml", b), ("c.yaml", c)]
            .into_iter()
            .map(|(name, mut value)| {
                normalize_document(&mut value);
                NormalizedDocument { name: name.into(), value }
            })
            .collect();
        let forward = merge::merge(&docs);
        let reversed: Vec<NormalizedDocument> = docs.iter().rev().cloned().collect();
        let backward = merge::merge(&reversed);
        match (forward, backward) {
            (Ok(f), Ok(b)) => {
                prop_assert_eq!(serde_json::to_string(&f.value).unwrap(), serde_json::to_string(&b.value).unwrap());
                prop_assert_eq!(f.notes, b.notes);
            }
            (Err(f), Err(b)) => prop_assert_eq!(f.to_string(), b.to_string()),
            (f, b) => prop_assert!(false, "one order merged, the other did not: {:?} / {:?}", f.err(), b.err()),
        }
    }

    #[test]
    fn the_pipeline_returns_instead_of_panicking(a in document(), b in document()) {
        let docs = [source("a.yaml", &a), source("b.yaml", &b)];
        let _ = c1_codegen::generate_documents(&docs, &Options::default());
        let _ = c1_codegen::generate_documents(&docs[..1], &Options::default());
    }

    #[test]
    fn arbitrary_text_is_an_error_not_a_panic(text in "\\PC{0,200}") {
        if let Ok(doc) = SourceDocument::parse("x.yaml", &text) {
            let _ = c1_codegen::generate_documents(&[doc], &Options::default());
        }
    }
}
