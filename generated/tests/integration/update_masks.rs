//! `from_changes(before, after)` of the update requests: what goes over the
//! wire to a loopback server.

use crate::common;

use c1_client::models::{
    App, AppEntitlementAutomationRuleCel, AppEntitlementServiceUpdateAutomationRequest,
    AppIdentityMatching, PersonalClient, PersonalClientServiceUpdateRequest, Role,
    UpdateAppRequest, UpdateRoleRequest,
};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that answers `{}` to every POST, and the client of it.
async fn server() -> (MockServer, c1_client::Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = common::client(&server);
    (server, client)
}

/// The one request the server received: its path and JSON body.
async fn sent(server: &MockServer) -> (String, Value) {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let body = serde_json::from_slice(&requests[0].body).unwrap();
    (requests[0].url.path().to_string(), body)
}

fn fetched_client() -> PersonalClient {
    PersonalClient {
        id: Some("pc-1".into()),
        display_name: Some("laptop".into()),
        allow_source_cidr: vec!["10.0.0.0/8".into()],
        scoped_roles: vec!["role-a".into()],
        created_at: Some(time::OffsetDateTime::UNIX_EPOCH),
        ..PersonalClient::default()
    }
}

#[tokio::test]
async fn renaming_a_personal_client_sends_only_its_display_name_in_the_mask() {
    let (server, client) = server().await;
    let fetched = fetched_client();
    let mut edited = fetched.clone();
    edited.display_name = Some("desktop".into());
    let update = PersonalClientServiceUpdateRequest::from_changes(&fetched, &edited);
    client
        .personal_client()
        .update("pc-1", update)
        .await
        .unwrap();
    let (path, body) = sent(&server).await;
    assert_eq!(path, "/api/v1/iam/personal_clients/pc-1");
    assert_eq!(body["updateMask"], "displayName");
    assert_eq!(body["client"]["displayName"], "desktop");
    assert_eq!(body["client"]["allowSourceCidr"], json!(["10.0.0.0/8"]));
    // Read-only fields are the server's: never sent.
    let sent_fields: Vec<&String> = body["client"].as_object().unwrap().keys().collect();
    assert!(
        !sent_fields.iter().any(|k| *k == "id" || *k == "createdAt"),
        "{sent_fields:?}"
    );
}

#[test]
fn the_mask_lists_every_changed_writable_field_in_field_order_and_only_those() {
    let fetched = fetched_client();
    let mut edited = fetched.clone();
    edited.scoped_roles.clear();
    edited.allow_source_cidr.push("192.168.0.0/16".into());
    edited.id = Some("changed-by-mistake".into());
    let update = PersonalClientServiceUpdateRequest::from_changes(&fetched, &edited);
    assert_eq!(
        update.update_mask.as_deref(),
        Some("allowSourceCidr,scopedRoles"),
        "read-only `id` is never in the mask"
    );
    let unchanged = PersonalClientServiceUpdateRequest::from_changes(&fetched, &fetched);
    assert_eq!(unchanged.update_mask.as_deref(), Some(""));
}

#[tokio::test]
async fn an_app_update_names_its_changed_fields_but_not_read_only_ones() {
    let (server, client) = server().await;
    let before = App {
        id: Some("app-1".into()),
        display_name: Some("Okta".into()),
        user_count: Some(10),
        ..App::default()
    };
    let mut after = before.clone();
    after.identity_matching = Some(AppIdentityMatching::Strict);
    after.monthly_cost_usd = Some(12);
    after.user_count = Some(11); // read-only
    let update = UpdateAppRequest::from_changes(&before, &after);
    client.apps().update("app-1", update).await.unwrap();
    let (path, body) = sent(&server).await;
    assert_eq!(path, "/api/v1/apps/app-1");
    assert_eq!(body["updateMask"], "identityMatching,monthlyCostUsd");
    assert_eq!(body["app"]["monthlyCostUsd"], 12);
}

#[tokio::test]
async fn a_role_update_sends_its_changed_permissions() {
    let (server, client) = server().await;
    let before = Role {
        id: Some("r".into()),
        display_name: Some("Auditor".into()),
        permissions: vec!["read".into()],
        ..Role::default()
    };
    let mut after = before.clone();
    after.permissions.push("write".into());
    let update = UpdateRoleRequest::from_changes(&before, &after);
    client.roles().update("r", update).await.unwrap();
    let (_, body) = sent(&server).await;
    assert_eq!(body["updateMask"], "permissions");
    assert_eq!(body["role"]["permissions"], json!(["read", "write"]));
}

#[tokio::test]
async fn a_request_that_is_its_own_message_compares_its_own_fields_and_names_a_nested_message_by_its_field()
 {
    let (server, client) = server().await;
    let before = AppEntitlementServiceUpdateAutomationRequest {
        display_name: Some("Engineers".into()),
        description: Some("All engineers".into()),
        ..AppEntitlementServiceUpdateAutomationRequest::default()
    };
    let mut after = before.clone();
    after.cel = Some(AppEntitlementAutomationRuleCel {
        expression: Some("subject.department == 'eng'".into()),
    });
    let update = AppEntitlementServiceUpdateAutomationRequest::from_changes(&before, &after);
    client
        .app_entitlements()
        .update_automation("app-1", "ent-1", update)
        .await
        .unwrap();
    let (_, body) = sent(&server).await;
    assert_eq!(body["updateMask"], "cel");
    assert_eq!(body["displayName"], "Engineers");
    assert_eq!(body["cel"]["expression"], "subject.department == 'eng'");
}
