//! References and renames: different schemas referenced at one place are
//! one type under one name; only shapes that cannot be one type conflict.

use super::*;
use serde_json::json;

/// A document with one `POST /{path}` per `(path, body schema)`, and
/// `schemas` as its component schemas.
fn api(operations: &[(&str, &str)], schemas: Value) -> Value {
    let paths: Map<String, Value> = operations
        .iter()
        .map(|(path, body)| {
            let op = json!({"post": {
                "operationId": format!("svc.{path}"),
                "requestBody": {"content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{body}")}}}},
                "responses": {"200": {"description": "ok"}}}});
            (format!("/{path}"), op)
        })
        .collect();
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths,
        "components": {"schemas": schemas}})
}

fn schema_names(m: &Merged) -> Vec<&str> {
    m.value["components"]["schemas"]
        .as_object()
        .map(|s| s.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

fn body_ref<'a>(m: &'a Merged, path: &str) -> &'a Value {
    let pointer = format!("/paths/~1{path}/post/requestBody/content/application~1json/schema/$ref");
    at(m, &pointer)
}

#[test]
fn an_sdk_input_copy_is_the_schema_it_copies() {
    let full = api(
        &[("rotate", "c1.Rotate"), ("other", "c1.Other")],
        json!({
            "c1.Rotate": {"type": "object", "x-speakeasy-name-override": "Rotate",
                "properties": {"appId": {"type": "string"}, "id": {"type": "string", "readOnly": true}}},
            "c1.Other": {"type": "object"}}),
    );
    let sdk = api(
        &[("rotate", "c1.RotateInput")],
        json!({"c1.RotateInput": {"type": "object", "x-speakeasy-name-override": "Rotate",
            "properties": {"appId": {"type": "string"}}}}),
    );
    let m = merge_each_order(&[full, sdk]).unwrap();
    assert_eq!(schema_names(&m), ["c1.Rotate", "c1.Other"]);
    assert_eq!(body_ref(&m, "rotate"), "#/components/schemas/c1.Rotate");
    assert_eq!(
        at(&m, "/components/schemas/c1.Rotate"),
        &json!({"type": "object", "x-speakeasy-name-override": "Rotate",
            "properties": {"appId": {"type": "string"}, "id": {"type": "string", "readOnly": true}}})
    );
    assert_eq!(
        notes(&m),
        [
            "/components/schemas/c1.Rotate/properties/id: `id` is in a.yaml but not in b.yaml#/components/schemas/c1.RotateInput; merged as optional",
            "/paths/~1rotate/post/requestBody/content/application~1json/schema/$ref: a.yaml references `c1.Rotate` and b.yaml `c1.RotateInput` here; merged as one type, `c1.Rotate`",
        ]
    );
    assert_eq!(m.notes[1].kind, NoteKind::Renames);
}

#[test]
fn a_renamed_message_takes_the_fuller_documents_name_everywhere() {
    let props = json!({"cel": {"type": "string"}});
    let old = api(
        &[("validate", "FooEditorValidateRequest")],
        json!({
            "FooEditorValidateRequest": {"type": "object", "properties": props},
            // Another reference to the old name, from a schema.
            "Batch": {"type": "object", "properties": {"items": {"type": "array",
                "items": {"$ref": "#/components/schemas/FooEditorValidateRequest"}}}}}),
    );
    let new = api(
        &[("validate", "ValidateFooRequest"), ("other", "Other")],
        json!({"ValidateFooRequest": {"type": "object", "properties": props},
            "Other": {"type": "object"}}),
    );
    let m = merge_each_order(&[old, new]).unwrap();
    assert_eq!(schema_names(&m), ["ValidateFooRequest", "Batch", "Other"]);
    assert_eq!(
        body_ref(&m, "validate"),
        "#/components/schemas/ValidateFooRequest"
    );
    assert_eq!(
        at(&m, "/components/schemas/Batch/properties/items/items/$ref"),
        "#/components/schemas/ValidateFooRequest"
    );
    assert_eq!(
        notes(&m),
        ["/paths/~1validate/post/requestBody/content/application~1json/schema/$ref: a.yaml references `FooEditorValidateRequest` and b.yaml `ValidateFooRequest` here; merged as one type, `ValidateFooRequest`"]
    );
}

#[test]
fn the_name_more_documents_define_is_kept_then_the_smaller() {
    let with = |name: &str| api(&[("search", name)], json!({name: {"type": "object"}}));
    let m = merge_each_order(&[
        with("ListWidgetResponse"),
        with("SearchWidgetsResponse"),
        with("SearchWidgetsResponse"),
    ])
    .unwrap();
    assert_eq!(schema_names(&m), ["SearchWidgetsResponse"]);
    assert_eq!(
        notes(&m),
        ["/paths/~1search/post/requestBody/content/application~1json/schema/$ref: a.yaml references `ListWidgetResponse` and b.yaml, c.yaml `SearchWidgetsResponse` here; merged as one type, `SearchWidgetsResponse`"]
    );
    let m = merge_each_order(&[with("SearchWidgetsResponse"), with("ListWidgetResponse")]).unwrap();
    assert_eq!(schema_names(&m), ["ListWidgetResponse"]);
}

#[test]
fn a_moved_package_is_linked_through_its_properties_too() {
    let widget = |pkg: &str| {
        json!({
            format!("c1.api.{pkg}.v1.Widget"): {"type": "object", "properties": {
                "part": {"$ref": format!("#/components/schemas/c1.api.{pkg}.v1.Part")}}},
            format!("c1.api.{pkg}.v1.Part"): {"type": "object", "properties": {"id": {"type": "string"}}}})
    };
    let mut old = api(&[("widgets", "c1.api.a.v1.Widget")], widget("a"));
    let new = api(
        &[("widgets", "c1.api.b.v1.Widget"), ("x", "c1.api.b.v1.Part")],
        widget("b"),
    );
    old["paths"]["/unrelated"] = json!({});
    let m = merge_each_order(&[old, new]).unwrap();
    assert_eq!(schema_names(&m), ["c1.api.b.v1.Widget", "c1.api.b.v1.Part"]);
    assert_eq!(
        notes(&m),
        [
            "/components/schemas/c1.api.b.v1.Widget/properties/part/$ref: a.yaml#/components/schemas/c1.api.a.v1.Widget references `c1.api.a.v1.Part` and b.yaml `c1.api.b.v1.Part` here; merged as one type, `c1.api.b.v1.Part`",
            "/paths/~1widgets/post/requestBody/content/application~1json/schema/$ref: a.yaml references `c1.api.a.v1.Widget` and b.yaml `c1.api.b.v1.Widget` here; merged as one type, `c1.api.b.v1.Widget`",
        ]
    );
}

#[test]
fn both_names_in_one_document_merge_into_one() {
    // The fuller document defines both and uses the copy in the body.
    let full = api(
        &[("create", "c1.DefaultsInput"), ("get", "c1.Defaults")],
        json!({
            "c1.Defaults": {"type": "object", "properties": {"appId": {"type": "string", "readOnly": true}, "on": {"type": "boolean"}}},
            "c1.DefaultsInput": {"type": "object", "properties": {"on": {"type": "boolean"}}}}),
    );
    let old = api(
        &[("create", "c1.Defaults")],
        json!({"c1.Defaults": {"type": "object", "properties": {"appId": {"type": "string", "readOnly": true}, "on": {"type": "boolean"}}}}),
    );
    let m = merge_each_order(&[full, old]).unwrap();
    assert_eq!(schema_names(&m), ["c1.Defaults"]);
    assert_eq!(body_ref(&m, "create"), "#/components/schemas/c1.Defaults");
    assert_eq!(body_ref(&m, "get"), "#/components/schemas/c1.Defaults");
    assert_eq!(
        notes(&m),
        [
            "/components/schemas/c1.Defaults/properties/appId: `appId` is in a.yaml, b.yaml but not in a.yaml#/components/schemas/c1.DefaultsInput; merged as optional",
            "/paths/~1create/post/requestBody/content/application~1json/schema/$ref: b.yaml references `c1.Defaults` and a.yaml `c1.DefaultsInput` here; merged as one type, `c1.Defaults`",
        ]
    );
}

#[test]
fn shapes_that_cannot_be_one_type_are_a_conflict_naming_both_schemas() {
    let err = merge_each_order(&[
        api(&[("x", "Widget")], json!({"Widget": {"type": "object"}})),
        api(
            &[("x", "Widgets")],
            json!({"Widgets": {"type": "array", "items": {"type": "string"}}}),
        ),
    ])
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml#/components/schemas/Widgets disagree at /components/schemas/Widget/type: \"object\" vs \"array\"\n\
         a.yaml and b.yaml#/components/schemas/Widgets disagree at /components/schemas/Widget/items: present in b.yaml#/components/schemas/Widgets, absent in a.yaml"
    );
}

#[test]
fn a_reference_to_another_kind_of_component_stays_a_conflict() {
    let with = |r: &str| base(json!({"A": {"type": "object", "properties": {"x": {"$ref": r}}}}));
    let err =
        merge_each_order(&[with("#/components/schemas/B"), with("other.yaml#/B")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml disagree at /components/schemas/A/properties/x/$ref: \"#/components/schemas/B\" vs \"other.yaml#/B\""
    );
}

#[test]
fn a_merged_schemas_node_is_found_under_its_own_name() {
    assert_eq!(
        source(
            "b.yaml#/components/schemas/Widgets",
            "/components/schemas/Widget/type"
        ),
        ("b.yaml", "/components/schemas/Widgets/type".into())
    );
    assert_eq!(
        source("b.yaml#/components/schemas/a~1b", "/components/schemas/A"),
        ("b.yaml", "/components/schemas/a~1b".into())
    );
    assert_eq!(source("b.yaml", "/paths"), ("b.yaml", "/paths".into()));
    assert_eq!(source("a#b.yaml", "/paths"), ("a#b.yaml", "/paths".into()));
}

#[test]
fn names_with_slashes_and_tildes_are_linked_by_their_escaped_references() {
    let with = |name: &str, reference: &str| {
        let mut doc = api(&[], json!({name: {"type": "object"}}));
        doc["components"]["schemas"]["Holder"] =
            json!({"type": "object", "properties": {"x": {"$ref": reference}}});
        doc
    };
    let m = merge_each_order(&[
        with("v1/Widget~old", "#/components/schemas/v1~1Widget~0old"),
        with("v2/Widget", "#/components/schemas/v2~1Widget"),
    ])
    .unwrap();
    assert_eq!(schema_names(&m), ["v1/Widget~old", "Holder"]);
    assert_eq!(
        at(&m, "/components/schemas/Holder/properties/x/$ref"),
        "#/components/schemas/v1~1Widget~0old"
    );
}

#[test]
fn a_discriminators_mapping_follows_the_kept_name() {
    let with = |cat: &str| {
        let mut doc = api(
            &[("pets", "Pet")],
            json!({
            "Pet": {"oneOf": [{"$ref": format!("#/components/schemas/{cat}")}],
                "discriminator": {"propertyName": "kind",
                    "mapping": {"cat": format!("#/components/schemas/{cat}")}}},
            cat: {"type": "object", "properties": {"kind": {"type": "string"},
                // A property named like the discriminator's key holds a schema.
                "mapping": {"type": "array", "items": {"$ref": format!("#/components/schemas/{cat}")}}}}}),
        );
        doc["info"]["version"] = json!(cat);
        doc
    };
    let mut newer = with("Cat");
    newer["paths"]["/more"] = json!({"post": {"operationId": "svc.more",
        "responses": {"200": {"description": "ok"}}}});
    let m = merge_each_order(&[with("Kitty"), newer]).unwrap();
    assert_eq!(schema_names(&m), ["Pet", "Cat"]);
    assert_eq!(
        at(&m, "/components/schemas/Pet/discriminator/mapping/cat"),
        "#/components/schemas/Cat"
    );
    assert_eq!(
        at(&m, "/components/schemas/Cat/properties/mapping/items/$ref"),
        "#/components/schemas/Cat"
    );
}

#[test]
fn a_field_that_changed_its_type_keeps_two_types_and_is_warned_about() {
    // Both versions define both messages; the new one's `owner` became a
    // `Group` where the old one's was a `User`.
    let schemas = |owner: &str| {
        json!({
            "Widget": {"type": "object", "properties": {
                "owner": {"$ref": format!("#/components/schemas/{owner}")}}},
            "User": {"type": "object", "properties": {"email": {"type": "string"}}},
            "Group": {"type": "object", "properties": {"members": {"type": "integer"}}}})
    };
    let old = api(&[("widgets", "Widget")], schemas("User"));
    let new = api(
        &[("widgets", "Widget"), ("users", "User")],
        schemas("Group"),
    );
    let m = merge_each_order(&[old, new]).unwrap();
    assert_eq!(schema_names(&m), ["Widget", "User", "Group"]);
    assert_eq!(
        at(&m, "/components/schemas/Widget/properties/owner/$ref"),
        "#/components/schemas/Group",
        "the fuller document's reference"
    );
    assert_eq!(
        at(&m, "/components/schemas/User"),
        &json!({"type": "object", "properties": {"email": {"type": "string"}}}),
        "not merged with Group"
    );
    let warnings: Vec<String> = m.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["/components/schemas/Widget/properties/owner/$ref: b.yaml references `Group` and a.yaml `User` here, and each defines both: the type changed, so `Group` and `User` stay two types; kept `Group`, the best-supported"]
    );
    assert_eq!(m.warnings[0].kind, NoteKind::ChangedTypes);
    assert!(notes(&m).iter().all(|n| !n.contains("merged as one type")));
}
