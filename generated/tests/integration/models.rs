//! The generated models decode and re-encode the example payloads of each
//! operation exactly.

use c1_client::models::{
    ConnectorServiceRevokeCredentialRequest, ConnectorServiceRevokeCredentialResponse,
    PersonalClient, PersonalClientInput, PersonalClientServiceDeleteRequest,
    PersonalClientServiceDeleteResponse, PersonalClientServiceGetResponse,
    PersonalClientServiceListResponse, PersonalClientServiceUpdateRequest,
    PersonalClientServiceUpdateResponse,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// A personal client with every field set (and nothing else, so that it
/// round-trips exactly).
fn every_field() -> Value {
    json!({
        "id": "blue-whale-12345",
        "clientId": "blue-whale-12345@acme.conductor.one/pcc",
        "displayName": "CI robot",
        "userId": "2a3b4c",
        "allowSourceCidr": ["10.0.0.0/24", "2001:db8::/32"],
        "scopedRoles": ["role-1"],
        "createdAt": "2024-05-01T12:00:00.123456789Z",
        "updatedAt": "2024-05-02T08:30:00Z",
        "lastUsedAt": "2024-05-03T00:00:00.5Z",
        "expiresTime": "2025-01-01T00:00:00Z",
        "deletedAt": "2024-06-01T00:00:00.000000001Z"
    })
}

/// Decodes `payload` as `T` and checks that encoding gives it back.
fn round_trip<T: Serialize + DeserializeOwned>(payload: Value) -> T {
    let decoded: T = serde_json::from_value(payload.clone()).expect("decodes");
    assert_eq!(serde_json::to_value(&decoded).expect("encodes"), payload);
    decoded
}

#[test]
fn list_response_round_trips() {
    let list: PersonalClientServiceListResponse =
        round_trip(json!({"list": [every_field(), {"id": "x"}], "nextPageToken": "page-2"}));
    let items = list.list;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].display_name.as_deref(), Some("CI robot"));
    assert_eq!(list.next_page_token.as_deref(), Some("page-2"));
}

#[test]
fn get_response_round_trips_with_nanosecond_timestamps() {
    let got: PersonalClientServiceGetResponse = round_trip(json!({"client": every_field()}));
    let created = got.client.unwrap().created_at.unwrap();
    assert_eq!(created.nanosecond(), 123_456_789);
    assert_eq!(created.unix_timestamp(), 1_714_564_800);
}

#[test]
fn update_round_trips() {
    let _: PersonalClientServiceUpdateResponse = round_trip(json!({"client": every_field()}));
    let _: PersonalClientServiceUpdateRequest = round_trip(json!({
        "client": {"displayName": "renamed", "scopedRoles": ["r"], "expiresTime": "2025-01-01T00:00:00Z"},
        "updateMask": "displayName"
    }));
    // An empty list is the same as none in protobuf JSON: read as empty, not sent.
    let request: PersonalClientServiceUpdateRequest = serde_json::from_value(json!({
        "client": {"displayName": "renamed", "scopedRoles": []}
    }))
    .unwrap();
    assert!(request.client.as_ref().unwrap().scoped_roles.is_empty());
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"client": {"displayName": "renamed"}})
    );
}

#[test]
fn empty_messages_round_trip_and_accept_any_object() {
    let _: PersonalClientServiceDeleteRequest = round_trip(json!({}));
    let _: PersonalClientServiceDeleteResponse = round_trip(json!({}));
    let _: ConnectorServiceRevokeCredentialRequest = round_trip(json!({}));
    let _: ConnectorServiceRevokeCredentialResponse = round_trip(json!({}));
    let decoded: ConnectorServiceRevokeCredentialResponse =
        serde_json::from_value(json!({"future": 1})).unwrap();
    assert_eq!(serde_json::to_value(decoded).unwrap(), json!({}));
}

#[test]
fn missing_null_and_unknown_fields_decode() {
    let decoded: PersonalClient = serde_json::from_value(json!({
        "id": "x",
        "displayName": null,
        "createdAt": null,
        "allowSourceCidr": null,
        "someFutureField": {"nested": true}
    }))
    .unwrap();
    assert_eq!(decoded.id.as_deref(), Some("x"));
    assert_eq!(decoded.display_name, None);
    assert_eq!(decoded.created_at, None);
    assert_eq!(serde_json::to_value(&decoded).unwrap(), json!({"id": "x"}));
    let empty: PersonalClient = serde_json::from_value(json!({})).unwrap();
    assert_eq!(empty, PersonalClient::default());
}

#[test]
fn bad_timestamps_are_decode_errors() {
    let err =
        serde_json::from_value::<PersonalClient>(json!({"createdAt": "yesterday"})).unwrap_err();
    assert_eq!(err.to_string(), "the 'year' component could not be parsed");
}

#[test]
fn input_conversion_keeps_only_writable_fields() {
    let fetched: PersonalClient = serde_json::from_value(every_field()).unwrap();
    let request = PersonalClientServiceUpdateRequest {
        client: Some(fetched.into()),
        update_mask: Some("displayName".into()),
    };
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({
            "client": {
                "allowSourceCidr": ["10.0.0.0/24", "2001:db8::/32"],
                "displayName": "CI robot",
                "expiresTime": "2025-01-01T00:00:00Z",
                "scopedRoles": ["role-1"]
            },
            "updateMask": "displayName"
        })
    );
    // The full model still serializes every field for a user's own use.
    let fetched: PersonalClient = serde_json::from_value(every_field()).unwrap();
    assert_eq!(serde_json::to_value(&fetched).unwrap(), every_field());
    let _: PersonalClientInput = PersonalClientInput::from(fetched);
}

/// A required list is sent even when empty (the document requires the
/// property, and a server that checks it refuses a body without it); an
/// optional one is left out.
#[test]
fn required_lists_are_sent_empty_and_optional_ones_left_out() {
    use c1_client::models::{
        RequestCatalogManagementServiceAddAppEntitlementsRequest,
        RequestCatalogManagementServiceUpdateAppEntitlementsRequest,
    };
    let add = RequestCatalogManagementServiceAddAppEntitlementsRequest::default();
    assert_eq!(
        serde_json::to_value(&add).unwrap(),
        json!({"appEntitlements": []})
    );
    let update = RequestCatalogManagementServiceUpdateAppEntitlementsRequest::default();
    assert_eq!(
        serde_json::to_value(&update).unwrap(),
        json!({"appEntitlements": []})
    );
    let list = PersonalClientServiceListResponse::default();
    assert_eq!(serde_json::to_value(&list).unwrap(), json!({}));
}
