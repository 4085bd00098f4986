//! The vendored spec merged with an older spelling of the same API
//! (`tests/fixtures/versions/`, cut from a real document of 2023): every
//! difference is reconciled as `README.md`'s merge section says, and the
//! model keeps one type per message.

use std::path::{Path, PathBuf};

use c1_codegen::merge::{Note, NoteKind};
use c1_codegen::model::{self, Scalar, TypeRef};
use c1_codegen::{merge, normalize};

fn dir(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The model of `spec/` and the fixture, and the merge's notes, with the
/// files named by their file names.
fn build() -> (model::Api, Vec<Note>) {
    let docs: Vec<_> = [dir("../spec"), dir("tests/fixtures/versions")]
        .iter()
        .flat_map(|d| c1_codegen::documents(d).expect("loads"))
        .collect();
    let normalized: Vec<_> = docs
        .iter()
        .map(|d| {
            let mut doc = normalize::normalize(d).expect("normalizes");
            doc.name = Path::new(&doc.name)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            doc
        })
        .collect();
    let merged = merge::merge(&normalized).expect("merges");
    (model::build(&merged).expect("models"), merged.notes)
}

fn of_kind(notes: &[Note], kind: NoteKind) -> Vec<String> {
    notes
        .iter()
        .filter(|n| n.kind == kind)
        .map(ToString::to_string)
        .collect()
}

#[test]
fn differently_named_schemas_are_one_type_under_one_name() {
    let (api, notes) = build();
    const FULL: &str = "conductor_one_api.openapi.yaml";
    const OLD: &str = "conductorone-sdk-2023.yaml";
    assert_eq!(
        of_kind(&notes, NoteKind::Renames),
        [
            format!("/components/schemas/c1.api.policy.v1.Policy/properties/rules/items/$ref: {OLD} references `c1.api.policy.v1.Policy.Rule` and {FULL} `c1.api.policy.v1.Rule` here; merged as one type, `c1.api.policy.v1.Rule`"),
            format!("/components/schemas/c1.api.requestcatalog.v1.RequestCatalogSearchServiceSearchEntitlementsResponse/properties/list/items/$ref: {OLD} references `c1.api.app.v1.AppEntitlementWithUserBindings` and {FULL} `c1.api.requestcatalog.v1.AppEntitlementWithUserBindings` here; merged as one type, `c1.api.requestcatalog.v1.AppEntitlementWithUserBindings`"),
            format!("/paths/~1api~1v1~1apps~1connectors~1credentials/post/requestBody/content/application~1json/schema/$ref: {FULL} references `c1.api.app.v1.ConnectorServiceRotateCredentialRequest` and {OLD} `c1.api.app.v1.ConnectorServiceRotateCredentialRequestInput` here; merged as one type, `c1.api.app.v1.ConnectorServiceRotateCredentialRequest`"),
            format!("/paths/~1api~1v1~1search~1policies/post/responses/200/content/application~1json/schema/$ref: {OLD} references `c1.api.policy.v1.ListPolicyResponse` and {FULL} `c1.api.policy.v1.SearchPoliciesResponse` here; merged as one type, `c1.api.policy.v1.ListPolicyResponse`"),
        ]
    );
    // The names merged under another are no types of their own.
    for gone in [
        "c1.api.policy.v1.Policy.Rule",
        "c1.api.app.v1.AppEntitlementWithUserBindings",
        "c1.api.app.v1.ConnectorServiceRotateCredentialRequestInput",
        "c1.api.policy.v1.SearchPoliciesResponse",
    ] {
        assert!(api.types.iter().all(|t| t.schema != gone), "{gone}");
    }
    let names: std::collections::BTreeSet<&str> =
        api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.len(), api.types.len(), "type names are unique");
    let search = operation(&api, "post", "/api/v1/search/policies");
    let answer = search
        .response
        .as_ref()
        .and_then(TypeRef::named)
        .expect("a type");
    assert_eq!(
        api.types[answer.0].schema,
        "c1.api.policy.v1.ListPolicyResponse"
    );
}

#[test]
fn a_moved_operation_keeps_the_current_path_and_body() {
    let (api, notes) = build();
    let rotate = operation(&api, "post", "/api/v1/apps/connectors/credentials");
    assert!(rotate.params.is_empty(), "{:?}", rotate.params);
    let body = rotate
        .body
        .as_ref()
        .and_then(|b| b.ty.named())
        .expect("a body");
    assert_eq!(
        api.types[body.0].schema,
        "c1.api.app.v1.ConnectorServiceRotateCredentialRequest"
    );
    assert_eq!(
        of_kind(&notes, NoteKind::Endpoints),
        ["/paths/~1api~1v1~1apps~1connectors~1credentials/post: operation `c1.api.app.v1.ConnectorService.RotateCredential` is POST /api/v1/apps/{app_id}/connectors/{connector_id}/credentials in conductorone-sdk-2023.yaml (whose path parameters `app_id`, `connector_id` the path at POST /api/v1/apps/connectors/credentials does not name, so dropped) but POST /api/v1/apps/connectors/credentials in conductor_one_api.openapi.yaml; merged at POST /api/v1/apps/connectors/credentials"]
    );
}

#[test]
fn numbers_maps_and_servers_are_reconciled() {
    let (api, notes) = build();
    // `type: number, format: int32` is the integer the whole API says.
    let list = operation(&api, "get", "/api/v1/policies");
    let page_size = list
        .params
        .iter()
        .find(|p| p.wire_name == "page_size")
        .expect("page_size");
    assert!(
        matches!(page_size.ty, TypeRef::Scalar(Scalar::I32)),
        "{:?}",
        page_size.ty
    );
    assert_eq!(
        of_kind(&notes, NoteKind::Widened),
        ["/components/schemas/c1.api.app.v1.AppUser/properties/profile/additionalProperties: additionalProperties is true (any value) in conductor_one_api.openapi.yaml but a schema in conductorone-sdk-2023.yaml; merged as true"]
    );
    assert_eq!(api.servers[0].url, "https://{tenantDomain}.conductor.one");
    assert_eq!(
        of_kind(&notes, NoteKind::Servers),
        ["/servers: servers differ: [\"https://{tenantDomain}.conductor.one\"] in conductor_one_api.openapi.yaml, connector.revoke_credential.yaml, personal_client.delete.yaml, personal_client.get.yaml, personal_client.list.yaml, personal_client.update.yaml, [\"https://{tenantDomain}.logan.d2.ductone.com:2443\"] in conductorone-sdk-2023.yaml; kept [\"https://{tenantDomain}.conductor.one\"]"]
    );
}

fn operation<'a>(api: &'a model::Api, method: &str, path: &str) -> &'a model::Operation {
    api.groups
        .iter()
        .flat_map(|g| &g.operations)
        .find(|o| o.path == path && o.method == method)
        .unwrap_or_else(|| panic!("an operation {method} {path}"))
}
