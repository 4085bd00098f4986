//! Documents, paths and operations: names, parameters, bodies, responses,
//! servers, security, versions and tags.

use super::*;
use serde_json::json;

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
fn differing_servers_keep_the_ones_most_documents_give() {
    let with = |url: &str, ops: usize| {
        let paths: Map<String, Value> = (0..ops)
            .map(|i| {
                (
                    format!("/x{i}"),
                    json!({"get": op(json!({"operationId": format!("svc.Op{i}")}))}),
                )
            })
            .collect();
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths,
            "servers": [{"url": url, "variables": {"tenantDomain": {"default": "example"}}}]})
    };
    let tenant = "https://{tenantDomain}.conductor.one";
    let dev = "https://{tenantDomain}.example-dev.com:2443";
    // Two documents against one: the two win, however large the one.
    let m = merge_each_order(&[with(tenant, 1), with(dev, 3), with(tenant, 1)]).unwrap();
    assert_eq!(m.value["servers"][0]["url"], json!(tenant));
    assert_eq!(
        notes(&m)
            .into_iter()
            .filter(|n| n.starts_with("/servers"))
            .collect::<Vec<_>>(),
        [format!("/servers: servers differ: [\"{tenant}\"] in a.yaml, c.yaml, [\"{dev}\"] in b.yaml; kept [\"{tenant}\"]")]
    );
    assert_eq!(
        m.notes
            .iter()
            .filter(|n| n.kind == NoteKind::Servers)
            .count(),
        1
    );
    // One against one: the document with more operations wins.
    let m = merge_each_order(&[with(dev, 1), with(tenant, 2)]).unwrap();
    assert_eq!(m.value["servers"][0]["url"], json!(tenant));
    // The same URL with other variables: the fullest document's, noted.
    let mut example = with(tenant, 1);
    example["servers"][0]["variables"]["tenantDomain"]["default"] = json!("invalid-example");
    let m = merge_each_order(&[example, with(tenant, 2)]).unwrap();
    assert_eq!(m.value["servers"], with(tenant, 2)["servers"]);
    assert_eq!(
        notes(&m).into_iter().filter(|n| n.starts_with("/servers")).collect::<Vec<_>>(),
        ["/servers: the servers' descriptions or variables differ; kept those of b.yaml, which describes the most operations, over a.yaml"]
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
fn a_document_without_servers_or_security_does_not_disagree() {
    let with = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
        "servers": [{"url": "https://a"}], "security": [{"bearer": []}]});
    let without = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}});
    let m = merge(&[doc("a.yaml", with.clone()), doc("b.yaml", without)]).unwrap();
    assert_eq!(m.value["servers"], with["servers"]);
    assert_eq!(m.value["security"], with["security"]);
    assert!(m.notes.is_empty());
}
