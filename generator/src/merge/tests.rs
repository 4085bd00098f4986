//! One test per merge rule, each asserting the exact note or error.

use super::*;
use serde_json::json;

fn doc(name: &str, value: Value) -> NormalizedDocument {
    NormalizedDocument {
        name: name.into(),
        value,
    }
}

fn base(components: Value) -> Value {
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": components}})
}

fn merge_two(a: Value, b: Value) -> Result<Merged> {
    merge(&[doc("a.yaml", base(a)), doc("b.yaml", base(b))])
}

/// Merges two documents with one operation each, `GET /x/{id}`.
fn merge_ops(a: Value, b: Value) -> Result<Merged> {
    let with = |op: Value| {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/x/{id}": {"get": op}}})
    };
    merge(&[doc("a.yaml", with(a)), doc("b.yaml", with(b))])
}

fn op(extra: Value) -> Value {
    let mut op = json!({"operationId": "svc.Get", "responses": {"200": {"description": "ok"}}});
    if let (Some(op), Value::Object(extra)) = (op.as_object_mut(), extra) {
        op.extend(extra);
    }
    op
}

fn notes(m: &Merged) -> Vec<String> {
    m.notes.iter().map(ToString::to_string).collect()
}

fn at<'a>(m: &'a Merged, pointer: &str) -> &'a Value {
    m.value
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{pointer} is in the merged document"))
}

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
fn different_references_are_a_conflict() {
    let err = merge_two(
        json!({"A": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/B"}}}}),
        json!({"A": {"type": "object", "properties": {"x": {"allOf": [{"$ref": "#/components/schemas/C"}], "nullable": true}}}}),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml disagree at /components/schemas/A/properties/x/$ref: \"#/components/schemas/B\" vs \"#/components/schemas/C\""
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
fn operation_descriptions_summaries_and_extensions_are_notes() {
    let m = merge_ops(
        op(json!({"description": "Get one.", "summary": "Get", "x-speakeasy-entity-operation": "A#read"})),
        op(json!({"description": "Get retrieves one.", "summary": "Get", "x-codeSamples": [{"lang": "go"}]})),
    )
    .unwrap();
    assert_eq!(
        at(&m, "/paths/~1x~1{id}/get/description"),
        &json!("Get retrieves one.")
    );
    assert_eq!(
        at(&m, "/paths/~1x~1{id}/get/x-codeSamples"),
        &json!([{"lang": "go"}])
    );
    assert_eq!(
        notes(&m),
        ["/paths/~1x~1{id}/get/description: description differs; kept the longest, from b.yaml, over a.yaml"]
    );
}

#[test]
fn different_operation_ids_are_a_conflict() {
    let err = merge_ops(
        op(json!({"operationId": "svc.One"})),
        op(json!({"operationId": "svc.Two"})),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml disagree at /paths/~1x~1{id}/get: it is the Rust method `one` in one and `two` in the other, and cannot be both"
    );
}

#[test]
fn different_name_overrides_are_a_conflict() {
    let err = merge_ops(
        op(json!({"x-speakeasy-name-override": "Fetch"})),
        op(json!({})),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml disagree at /paths/~1x~1{id}/get: it is the Rust method `fetch` in one and `get` in the other, and cannot be both"
    );
}

#[test]
fn spellings_of_one_rust_name_are_notes() {
    let m = merge_ops(
        op(json!({"operationId": "c1.api.Svc.Get", "x-speakeasy-name-override": "Get", "x-speakeasy-group": "PersonalClient", "tags": ["Personal Client"]})),
        op(json!({"operationId": "c1.api.v2.Svc.Get", "tags": ["Personal Client"]})),
    )
    .unwrap();
    assert_eq!(
        at(&m, "/paths/~1x~1{id}/get/x-speakeasy-group"),
        &json!("PersonalClient")
    );
    assert_eq!(
        notes(&m),
        ["/paths/~1x~1{id}/get/operationId: operationId differs; kept the longest, from b.yaml, over a.yaml"]
    );
    assert_eq!(m.notes[0].kind, NoteKind::Names);
}

#[test]
fn different_groups_are_a_conflict_but_more_tags_are_a_note() {
    let err = merge_ops(
        op(json!({"tags": ["Apps"]})),
        op(json!({"tags": ["Users"]})),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml disagree at /paths/~1x~1{id}/get: it is the Rust module `apps` in one and `users` in the other, and cannot be both"
    );
    let one_module = merge_ops(
        op(json!({"tags": ["Apps"], "x-speakeasy-group": "apps"})),
        op(json!({"tags": ["Apps"]})),
    );
    assert!(one_module.is_ok(), "`apps` and `Apps` are one module");
    let m = merge_ops(
        op(json!({"tags": ["Apps"]})),
        op(json!({"tags": ["Apps", "Beta"]})),
    )
    .unwrap();
    assert_eq!(
        at(&m, "/paths/~1x~1{id}/get/tags"),
        &json!(["Apps", "Beta"])
    );
    assert_eq!(
        notes(&m),
        ["/paths/~1x~1{id}/get/tags: tags differ between a.yaml, b.yaml; merged as the union"]
    );
}

#[test]
fn parameters_match_by_name_and_location_and_one_missing_is_optional() {
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}});
    let m = merge_ops(
        op(json!({"parameters": [id, {"name": "q", "in": "query", "required": true, "schema": {"type": "string"}}]})),
        op(json!({"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "description": "The id."}]})),
    )
    .unwrap();
    assert_eq!(
        at(&m, "/paths/~1x~1{id}/get/parameters"),
        &json!([
            {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "description": "The id."},
            {"name": "q", "in": "query", "schema": {"type": "string"}},
        ])
    );
    assert_eq!(
        notes(&m),
        ["/paths/~1x~1{id}/get/parameters/1: parameter `q` (query) is in a.yaml but not in b.yaml; merged as optional"]
    );
    assert_eq!(m.notes[0].kind, NoteKind::Parameters);
}

#[test]
fn a_parameter_required_in_some_documents_only_is_optional() {
    let q = |required: bool| json!({"parameters": [{"name": "q", "in": "query", "required": required, "schema": {"type": "integer"}}]});
    let m = merge_ops(op(q(true)), op(q(false))).unwrap();
    assert_eq!(
        at(&m, "/paths/~1x~1{id}/get/parameters/0"),
        &json!({"name": "q", "in": "query", "schema": {"type": "integer"}})
    );
    assert_eq!(
        notes(&m),
        ["/paths/~1x~1{id}/get/parameters/0/required: required in a.yaml but not in b.yaml; merged as not required"]
    );
}

#[test]
fn a_parameter_of_an_incompatible_type_is_a_conflict() {
    let q =
        |ty: &str| json!({"parameters": [{"name": "q", "in": "query", "schema": {"type": ty}}]});
    let err = merge_ops(op(q("string")), op(q("integer"))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml disagree at /paths/~1x~1{id}/get/parameters/0/schema/type: \"string\" vs \"integer\""
    );
}

#[test]
fn request_and_response_schemas_merge_by_the_schema_rules() {
    let body = |props: Value| json!({"content": {"application/json": {"schema": {"type": "object", "properties": props}}}});
    let m = merge_ops(
        op(json!({"requestBody": body(json!({"a": {"type": "string"}})),
                  "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string", "enum": ["X"]}}}}}})),
        op(json!({"requestBody": body(json!({"b": {"type": "string"}})),
                  "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string", "enum": ["Y"]}}}}}})),
    )
    .unwrap();
    let get = "/paths/~1x~1{id}/get";
    assert_eq!(
        at(
            &m,
            &format!("{get}/requestBody/content/application~1json/schema/properties")
        ),
        &json!({"a": {"type": "string"}, "b": {"type": "string"}})
    );
    assert_eq!(
        at(
            &m,
            &format!("{get}/responses/200/content/application~1json/schema/enum")
        ),
        &json!(["X", "Y"])
    );
    let kinds: Vec<NoteKind> = m.notes.iter().map(|n| n.kind).collect();
    assert_eq!(
        kinds,
        [
            NoteKind::EnumValues,
            NoteKind::EnumValues,
            NoteKind::Properties,
            NoteKind::Properties
        ]
    );
}

#[test]
fn a_request_body_missing_from_some_documents_is_optional() {
    let body =
        json!({"required": true, "content": {"application/json": {"schema": {"type": "object"}}}});
    let m = merge_ops(op(json!({"requestBody": body})), op(json!({}))).unwrap();
    assert_eq!(
        at(&m, "/paths/~1x~1{id}/get/requestBody"),
        &json!({"content": {"application/json": {"schema": {"type": "object"}}}})
    );
    assert_eq!(
        notes(&m),
        ["/paths/~1x~1{id}/get/requestBody: a request body is in a.yaml but not in b.yaml; merged as optional"]
    );
}

#[test]
fn responses_and_media_types_are_united_with_notes() {
    let m = merge_ops(
        op(json!({"responses": {"200": {"description": "ok"}, "404": {"description": "gone"}}})),
        op(json!({})),
    )
    .unwrap();
    assert_eq!(
        at(&m, "/paths/~1x~1{id}/get/responses/404"),
        &json!({"description": "gone"})
    );
    assert_eq!(
        notes(&m),
        ["/paths/~1x~1{id}/get/responses/404: `404` is in a.yaml but not in b.yaml; kept"]
    );
    assert_eq!(m.notes[0].kind, NoteKind::Responses);
    let json = |media: &str| json!({"responses": {"200": {"description": "ok", "content": {media: {"schema": {"type": "string"}}}}}});
    let m = merge_ops(op(json("application/json")), op(json("text/plain"))).unwrap();
    assert_eq!(
        notes(&m),
        [
            "/paths/~1x~1{id}/get/responses/200/content/application~1json: `application/json` is in a.yaml but not in b.yaml; kept",
            "/paths/~1x~1{id}/get/responses/200/content/text~1plain: `text/plain` is in b.yaml but not in a.yaml; kept",
        ]
    );
    assert!(m.notes.iter().all(|n| n.kind == NoteKind::MediaTypes));
}

#[test]
fn same_path_with_different_methods_merges() {
    let op = |m: &str| {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/x": {m: {"operationId": m, "responses": {"200": {"description": "ok"}}}}}})
    };
    let m = merge(&[doc("a.yaml", op("get")), doc("b.yaml", op("post"))]).unwrap();
    assert_eq!(m.api.paths.paths.len(), 1);
    assert!(
        m.value.pointer("/paths/~1x/get").is_some() && m.value.pointer("/paths/~1x/post").is_some()
    );
}

#[test]
fn differing_servers_are_a_conflict() {
    let with = |url: &str| json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "servers": [{"url": url}]});
    let err = merge(&[
        doc("a.yaml", with("https://a")),
        doc("b.yaml", with("https://b")),
    ])
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml disagree at /servers/0/url: \"https://a\" vs \"https://b\""
    );
}

#[test]
fn differing_security_schemes_are_a_conflict() {
    let with = |scheme: &str| {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"securitySchemes": {"s": {"type": "http", "scheme": scheme}}}})
    };
    let err = merge(&[doc("a.yaml", with("bearer")), doc("b.yaml", with("basic"))]).unwrap_err();
    assert_eq!(err.to_string(), "a.yaml and b.yaml disagree at /components/securitySchemes/s/scheme: \"bearer\" vs \"basic\"");
}

#[test]
fn differing_api_versions_are_a_note() {
    let with = |version: &str| json!({"openapi": "3.0.3", "info": {"title": "t", "version": version}, "paths": {}});
    let m = merge(&[doc("a.yaml", with("1.0")), doc("b.yaml", with("1.10"))]).unwrap();
    assert_eq!(at(&m, "/info/version"), &json!("1.10"));
    assert_eq!(
        notes(&m),
        ["/info/version: version differs; kept the longest, from b.yaml, over a.yaml"]
    );
    assert_eq!(m.notes[0].kind, NoteKind::Versions);
}

#[test]
fn tags_are_united_by_name() {
    let with = |tags: Value| json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "tags": tags});
    let m = merge(&[
        doc("a.yaml", with(json!([{"name": "A"}]))),
        doc("b.yaml", with(json!([{"name": "B"}, {"name": "A"}]))),
    ])
    .unwrap();
    assert_eq!(m.value["tags"], json!([{"name": "B"}, {"name": "A"}]));
}

#[test]
fn every_conflict_is_reported_at_once() {
    let err = merge_two(
        json!({"A": {"type": "string"}, "B": {"type": "object", "properties": {"x": {"type": "string"}}}}),
        json!({"A": {"type": "integer"}, "B": {"type": "object", "properties": {"x": {"type": "boolean"}}}}),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml disagree at /components/schemas/A/type: \"string\" vs \"integer\"\n\
         a.yaml and b.yaml disagree at /components/schemas/B/properties/x/type: \"string\" vs \"boolean\""
    );
}

#[test]
fn input_order_does_not_matter() {
    let a = doc(
        "a.yaml",
        base(
            json!({"A": {"type": "object", "required": ["x"], "properties": {"x": {"type": "string", "nullable": true}, "y": {"type": "string", "enum": ["P", "Q"]}}}}),
        ),
    );
    let b = doc(
        "b.yaml",
        base(
            json!({"A": {"type": "object", "properties": {"y": {"type": "string", "description": "why", "enum": ["Q", "R"]}, "x": {"type": "string"}, "z": {"type": "string"}}}}),
        ),
    );
    let ab = merge(&[a.clone(), b.clone()]).unwrap();
    let ba = merge(&[b, a]).unwrap();
    assert_eq!(
        serde_json::to_string(&ab.value).unwrap(),
        serde_json::to_string(&ba.value).unwrap()
    );
    assert_eq!(ab.notes, ba.notes);
}

#[test]
fn ordered_union_keeps_each_lists_order() {
    let union = |lists: Vec<Vec<&'static str>>| ordered_union(lists, |s| *s);
    assert_eq!(
        union(vec![vec!["a", "b", "d"], vec!["a", "b", "c", "d"]]),
        ["a", "b", "c", "d"]
    );
    // An item with no predecessor goes before the item it precedes, in
    // either order of the lists.
    assert_eq!(union(vec![vec!["b", "c"], vec!["a", "c"]]), ["a", "b", "c"]);
    assert_eq!(union(vec![vec!["a", "c"], vec!["b", "c"]]), ["a", "b", "c"]);
    assert_eq!(union(vec![vec!["x"], vec!["y"]]), ["x", "y"]);
    assert_eq!(union(vec![vec![], vec![]]), Vec::<&str>::new());
}

#[test]
fn notes_are_summarized_by_kind() {
    let note = |kind| Note {
        kind,
        pointer: String::new(),
        message: String::new(),
    };
    let notes = [
        note(NoteKind::Descriptions),
        note(NoteKind::Nullability),
        note(NoteKind::Nullability),
    ];
    assert_eq!(summarize(&notes), "3 notes: 2 nullability, 1 descriptions");
    assert_eq!(summarize(&notes[..1]), "1 note: 1 descriptions");
}

#[test]
fn a_document_without_servers_or_security_does_not_disagree() {
    let with = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
        "servers": [{"url": "https://a"}], "security": [{"bearer": []}]});
    let without = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}});
    let m = merge(&[doc("a.yaml", with.clone()), doc("b.yaml", without)]).unwrap();
    assert_eq!(m.value["servers"], with["servers"]);
    assert_eq!(m.value["security"], with["security"]);
    assert!(m.notes.is_empty());
}
