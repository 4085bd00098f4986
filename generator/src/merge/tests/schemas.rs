//! Schemas: properties, required, enums, flags, prose, types and formats.

use super::*;
use serde_json::json;

#[test]
fn disjoint_components_are_united() {
    let m = merge_two(
        json!({"A": {"type": "string"}}),
        json!({"B": {"type": "integer"}}),
    )
    .unwrap();
    assert_eq!(
        m.value["components"]["schemas"],
        json!({"A": {"type": "string"}, "B": {"type": "integer"}})
    );
    assert!(m.notes.is_empty());
}

#[test]
fn nullable_in_either_document_wins_with_a_note() {
    let m = merge_two(
        json!({"A": {"type": "object", "properties": {"x": {"type": "string", "nullable": true}}}}),
        json!({"A": {"type": "object", "properties": {"x": {"type": "string"}}}}),
    )
    .unwrap();
    assert_eq!(
        at(&m, "/components/schemas/A/properties/x/nullable"),
        &json!(true)
    );
    assert_eq!(
        m.notes,
        [Note {
            kind: NoteKind::Nullability,
            pointer: "/components/schemas/A/properties/x".into(),
            message: "nullable in a.yaml but not in b.yaml; merged as nullable".into()
        }]
    );
}

#[test]
fn a_nullable_reference_merges_with_the_bare_reference() {
    let r = json!({"$ref": "#/components/schemas/B"});
    let m = merge_two(
        json!({"A": {"type": "object", "properties": {"x": r}}}),
        json!({"A": {"type": "object", "properties": {"x": {"allOf": [r], "nullable": true}}}}),
    )
    .unwrap();
    assert_eq!(
        at(&m, "/components/schemas/A/properties/x"),
        &json!({"allOf": [r], "nullable": true})
    );
    assert_eq!(
        notes(&m),
        ["/components/schemas/A/properties/x: nullable in b.yaml but not in a.yaml; merged as nullable"]
    );
}

#[test]
fn read_only_in_either_document_wins_with_a_note() {
    let m = merge_two(
        json!({"A": {"type": "object", "properties": {"x": {"type": "string"}}}}),
        json!({"A": {"type": "object", "properties": {"x": {"type": "string", "readOnly": true}}}}),
    )
    .unwrap();
    assert_eq!(
        at(&m, "/components/schemas/A/properties/x/readOnly"),
        &json!(true)
    );
    assert_eq!(m.notes[0].kind, NoteKind::ReadOnly);
    assert_eq!(
        notes(&m),
        ["/components/schemas/A/properties/x/readOnly: readOnly in b.yaml but not in a.yaml; merged as readOnly"]
    );
}

#[test]
fn write_only_in_either_document_wins_with_a_note() {
    let m = merge_two(
        json!({"A": {"type": "string", "writeOnly": true}}),
        json!({"A": {"type": "string"}}),
    )
    .unwrap();
    assert_eq!(at(&m, "/components/schemas/A/writeOnly"), &json!(true));
    assert_eq!(m.notes[0].kind, NoteKind::WriteOnly);
    assert_eq!(
        notes(&m),
        ["/components/schemas/A/writeOnly: writeOnly in a.yaml but not in b.yaml; merged as writeOnly"]
    );
}

#[test]
fn deprecated_in_either_document_wins_with_a_note() {
    let m = merge_two(
        json!({"A": {"type": "string", "deprecated": true}}),
        json!({"A": {"type": "string"}}),
    )
    .unwrap();
    assert_eq!(at(&m, "/components/schemas/A/deprecated"), &json!(true));
    assert_eq!(m.notes[0].kind, NoteKind::Deprecation);
    assert_eq!(
        notes(&m),
        ["/components/schemas/A/deprecated: deprecated in a.yaml but not in b.yaml; merged as deprecated"]
    );
}

#[test]
fn properties_are_united_and_one_missing_somewhere_is_optional() {
    let m = merge_two(
        json!({"A": {"type": "object", "required": ["x"], "properties": {"x": {"type": "string"}}}}),
        json!({"A": {"type": "object", "required": ["x", "y"], "properties": {"x": {"type": "string"}, "y": {"type": "string"}}}}),
    )
    .unwrap();
    assert_eq!(
        at(&m, "/components/schemas/A"),
        &json!({"type": "object", "required": ["x"], "properties": {"x": {"type": "string"}, "y": {"type": "string"}}})
    );
    assert_eq!(
        notes(&m),
        [
            "/components/schemas/A/required: \"y\" is required in b.yaml but not in a.yaml; merged as optional",
            "/components/schemas/A/properties/y: `y` is in b.yaml but not in a.yaml; merged as optional",
        ]
    );
    assert_eq!(m.notes[0].kind, NoteKind::Required);
    assert_eq!(m.notes[1].kind, NoteKind::Properties);
}

#[test]
fn required_is_the_intersection_and_its_order_does_not_matter() {
    let obj = |req: Value| json!({"A": {"type": "object", "required": req, "properties": {"x": {"type": "string"}, "y": {"type": "string"}}}});
    let m = merge_two(obj(json!(["x"])), obj(json!(["y"]))).unwrap();
    assert_eq!(m.value.pointer("/components/schemas/A/required"), None);
    assert_eq!(
        notes(&m),
        [
            "/components/schemas/A/required: \"x\" is required in a.yaml but not in b.yaml; merged as optional",
            "/components/schemas/A/required: \"y\" is required in b.yaml but not in a.yaml; merged as optional",
        ]
    );
    let m = merge_two(obj(json!(["x", "y"])), obj(json!(["y", "x"]))).unwrap();
    assert!(m.notes.is_empty());
}

#[test]
fn enum_values_are_the_union_in_an_order_independent_of_files() {
    let e = |values: Value| json!({"E": {"type": "string", "enum": values}});
    let m = merge_two(e(json!(["A", "B", "D"])), e(json!(["A", "B", "C", "D"]))).unwrap();
    assert_eq!(
        at(&m, "/components/schemas/E/enum"),
        &json!(["A", "B", "C", "D"])
    );
    assert_eq!(
        notes(&m),
        ["/components/schemas/E/enum: \"C\" in b.yaml but not in a.yaml; merged as the union"]
    );
    assert_eq!(m.notes[0].kind, NoteKind::EnumValues);
    // The same two documents under each other's names give the same union.
    let swapped = merge_two(e(json!(["A", "B", "C", "D"])), e(json!(["A", "B", "D"]))).unwrap();
    assert_eq!(
        at(&swapped, "/components/schemas/E/enum"),
        &json!(["A", "B", "C", "D"])
    );
}

#[test]
fn an_enum_beside_a_plain_string_is_a_conflict() {
    let err = merge_two(
        json!({"E": {"type": "string", "enum": ["X"]}}),
        json!({"E": {"type": "string"}}),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml disagree at /components/schemas/E/enum: present in a.yaml, absent in b.yaml"
    );
}

#[test]
fn differing_descriptions_keep_the_longest_with_a_note() {
    let m = merge_two(
        json!({"A": {"type": "string", "description": "short"}}),
        json!({"A": {"type": "string", "description": "longer"}}),
    )
    .unwrap();
    assert_eq!(
        at(&m, "/components/schemas/A/description"),
        &json!("longer")
    );
    assert_eq!(
        notes(&m),
        ["/components/schemas/A/description: description differs; kept the longest, from b.yaml, over a.yaml"]
    );
    assert_eq!(m.notes[0].kind, NoteKind::Descriptions);
}

#[test]
fn equal_length_texts_resolve_the_same_in_any_order() {
    let a = json!({"A": {"type": "string", "title": "bbb"}});
    let b = json!({"A": {"type": "string", "title": "aaa"}});
    let ab = merge_two(a.clone(), b.clone()).unwrap();
    let ba = merge_two(b, a).unwrap();
    assert_eq!(at(&ab, "/components/schemas/A/title"), &json!("aaa"));
    assert_eq!(at(&ba, "/components/schemas/A/title"), &json!("aaa"));
}

#[test]
fn examples_and_extensions_are_notes() {
    let m = merge_two(
        json!({"A": {"type": "string", "example": "x", "x-speakeasy-unknown-values": "allow"}}),
        json!({"A": {"type": "string", "example": "xyz", "x-speakeasy-unknown-values": "deny!!"}}),
    )
    .unwrap();
    assert_eq!(
        notes(&m),
        [
            "/components/schemas/A/example: example differs; kept the longest, from b.yaml, over a.yaml",
            "/components/schemas/A/x-speakeasy-unknown-values: x-speakeasy-unknown-values differs; kept the longest, from b.yaml, over a.yaml",
        ]
    );
    assert_eq!(m.notes[0].kind, NoteKind::Examples);
    assert_eq!(m.notes[1].kind, NoteKind::Extensions);
}

#[test]
fn text_only_one_document_has_is_kept_without_a_note() {
    let m = merge_two(
        json!({"A": {"type": "string", "description": "d", "x-y": 1}}),
        json!({"A": {"type": "string"}}),
    )
    .unwrap();
    assert_eq!(
        at(&m, "/components/schemas/A"),
        &json!({"type": "string", "description": "d", "x-y": 1})
    );
    assert!(m.notes.is_empty());
}

#[test]
fn type_difference_is_a_conflict_naming_both_files() {
    let err = merge_two(
        json!({"A": {"type": "string"}}),
        json!({"A": {"type": "integer"}}),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml disagree at /components/schemas/A/type: \"string\" vs \"integer\""
    );
}

#[test]
fn object_versus_array_is_a_conflict() {
    let err = merge_two(
        json!({"A": {"type": "object", "properties": {"x": {"type": "object"}}}}),
        json!({"A": {"type": "object", "properties": {"x": {"type": "array", "items": {"type": "string"}}}}}),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml disagree at /components/schemas/A/properties/x/type: \"object\" vs \"array\"\n\
         a.yaml and b.yaml disagree at /components/schemas/A/properties/x/items: present in b.yaml, absent in a.yaml"
    );
}

#[test]
fn format_difference_is_a_conflict() {
    let err = merge_two(
        json!({"A": {"type": "string", "format": "date-time"}}),
        json!({"A": {"type": "string"}}),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "a.yaml and b.yaml disagree at /components/schemas/A/format: present in a.yaml, absent in b.yaml");
    let err = merge_two(
        json!({"A": {"type": "string", "format": "int64"}}),
        json!({"A": {"type": "string", "format": "date-time"}}),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml disagree at /components/schemas/A/format: \"int64\" vs \"date-time\""
    );
}

#[test]
fn a_schema_name_override_is_a_rust_name() {
    let err = merge_two(
        json!({"c1.A": {"type": "string", "x-speakeasy-name-override": "Alpha"}}),
        json!({"c1.A": {"type": "string", "x-speakeasy-name-override": "Beta"}}),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml disagree at /components/schemas/c1.A: it is the Rust type `Alpha` in one and `Beta` in the other, and cannot be both"
    );
    // An override that gives the name the key gives anyway is a spelling.
    let m = merge_two(
        json!({"c1.A": {"type": "string", "x-speakeasy-name-override": "A"}}),
        json!({"c1.A": {"type": "string"}}),
    )
    .unwrap();
    assert_eq!(
        at(&m, "/components/schemas/c1.A/x-speakeasy-name-override"),
        &json!("A")
    );
}

#[test]
fn an_integer_beside_a_number_is_a_number() {
    let m = merge_each_order(&[
        json!({"A": {"type": "object", "properties": {"n": {"type": "integer", "format": "int32"}}}}),
        json!({"A": {"type": "object", "properties": {"n": {"type": "number"}}}}),
    ])
    .unwrap();
    assert_eq!(
        at(&m, "/components/schemas/A/properties/n"),
        &json!({"type": "number"})
    );
    assert_eq!(m.notes[0].kind, NoteKind::Widened);
    assert_eq!(
        notes(&m),
        ["/components/schemas/A/properties/n/type: integer in a.yaml but number in b.yaml; merged as number"]
    );
}

#[test]
fn a_number_with_an_integer_format_merges_with_an_integer_without_a_note() {
    // Normalize reads the old spelling as an integer, so nothing differs.
    let old = {
        let mut value = base(json!({"A": {"type": "number", "format": "int32"}}));
        crate::normalize::normalize_document(&mut value);
        value["components"]["schemas"].clone()
    };
    let m = merge_each_order(&[old, json!({"A": {"type": "integer", "format": "int32"}})]).unwrap();
    assert_eq!(
        at(&m, "/components/schemas/A"),
        &json!({"type": "integer", "format": "int32"})
    );
    assert!(m.notes.is_empty(), "{:?}", notes(&m));
}

#[test]
fn any_value_beside_a_map_schema_is_any_value() {
    let any_json = json!({"nullable": true, "anyOf": [{"type": "string"}, {"type": "number"},
        {"type": "object"}, {"type": "array"}, {"type": "boolean"}]});
    let m = merge_each_order(&[
        json!({"A": {"type": "object", "additionalProperties": true}}),
        json!({"A": {"type": "object", "additionalProperties": any_json}}),
    ])
    .unwrap();
    assert_eq!(
        at(&m, "/components/schemas/A"),
        &json!({"type": "object", "additionalProperties": true})
    );
    assert_eq!(
        notes(&m),
        ["/components/schemas/A/additionalProperties: additionalProperties is true (any value) in a.yaml but a schema in b.yaml; merged as true"]
    );
}

#[test]
fn a_string_beside_an_integer_stays_a_conflict_in_any_order() {
    let err = merge_each_order(&[
        json!({"A": {"type": "string"}}),
        json!({"A": {"type": "integer"}}),
        json!({"A": {"type": "number"}}),
    ])
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml disagree at /components/schemas/A/type: \"string\" vs \"integer\""
    );
}

#[test]
fn bounds_keep_the_tightest_given_and_a_rule_in_one_document_stays() {
    let m = merge_two(
        json!({"A": {"type": "object", "not": {"required": ["x", "y"]},
            "properties": {"n": {"type": "integer", "minimum": 0, "maximum": 100}}}}),
        json!({"A": {"type": "object",
            "properties": {"n": {"type": "integer", "minimum": 10}}}}),
    )
    .unwrap();
    let n = at(&m, "/components/schemas/A/properties/n");
    assert_eq!(
        n,
        &json!({"type": "integer", "minimum": 10, "maximum": 100})
    );
    assert_eq!(
        at(&m, "/components/schemas/A/not"),
        &json!({"required": ["x", "y"]})
    );
    assert_eq!(
        notes(&m),
        [
            "/components/schemas/A/properties/n/minimum: minimum differs or is in some documents only; kept the tightest, 10, from b.yaml",
            "/components/schemas/A/properties/n/maximum: maximum differs or is in some documents only; kept the tightest, 100, from a.yaml",
        ]
    );
}
