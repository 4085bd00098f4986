//! Cases the conformance suite found, kept as they were found: each names
//! what broke, so that it stays fixed whatever the seeds give.

mod common;

use c1_conformance::compare::compare;
use c1_conformance::validate::Schemas;
use serde_json::{json, Value};

use common::{base, client, document, request_of};

/// Reads `json` as the component `schema`'s type and writes it again.
fn again(schema: &str, json: Value) -> Value {
    let bytes = serde_json::to_vec(&json).expect("JSON");
    let written = c1_client::conformance::model_again(schema, &bytes)
        .unwrap_or_else(|e| panic!("{schema} does not decode {json}: {e}"));
    serde_json::from_slice(&written).expect("JSON")
}

/// A required list was left out when empty, and the server refused the
/// request (`appEntitlements`, `accessEntitlements`).
#[test]
fn required_lists_are_sent_when_empty() {
    let doc = document();
    let mut schemas = Schemas::new(&doc).expect("schemas");
    for (id, list) in [
        (
            "c1.api.requestcatalog.v1.RequestCatalogManagementService.AddAppEntitlements",
            "appEntitlements",
        ),
        (
            "c1.api.requestcatalog.v1.RequestCatalogManagementService.AddAccessEntitlements",
            "accessEntitlements",
        ),
        (
            "c1.api.requestcatalog.v1.RequestCatalogManagementService.UpdateAppEntitlements",
            "appEntitlements",
        ),
    ] {
        let op = doc
            .operations()
            .into_iter()
            .find(|op| op.id == id)
            .expect("the operation");
        let args = json!({"path": {"catalog_id": "cat-1"}, "body": {}});
        let built = c1_client::conformance::request(&client(), id, &args).expect("built");
        let request = request_of(&built).expect("a request");
        assert_eq!(request.body.as_ref().unwrap()[list], json!([]), "{id}");
        let problems = schemas.check_request(&op, &base(), &request).unwrap();
        assert!(problems.is_empty(), "{id}: {problems:?}");
    }
}

/// The document marks messages nullable, so a list of them may hold
/// `null` (and a map of them a `null` value): such an answer did not decode.
#[test]
fn null_items_of_lists_of_messages_decode_and_are_left_out() {
    let written = again(
        "c1.api.a2ui.v1.TextFieldComponent",
        json!({"checks": [null, {"call": "required"}], "multiline": true}),
    );
    assert_eq!(written["checks"], json!([{"call": "required"}]));
}

/// Durations in the document's own words (ISO 8601) decode, and are written
/// as the API writes them.
#[test]
fn iso_durations_decode_and_are_written_in_seconds() {
    let doc = document();
    let schema = "c1.api.accessreview.v1.AccessReviewTemplate";
    let before = json!({"accessReviewDuration": "P1DT2H"});
    let after = again(schema, before.clone());
    assert_eq!(after["accessReviewDuration"], "93600s");
    let reference = json!({"$ref": format!("#/components/schemas/{schema}")});
    assert!(compare(&doc, &reference, &before, &after).is_empty());
}

/// Base64 in the URL-safe alphabet, without padding, decodes, and is
/// written in the standard one, padded.
#[test]
fn url_safe_unpadded_base64_decodes_and_is_written_standard() {
    let after = again(
        "c1.api.app.v1.EncryptedData",
        json!({"encryptedBytes": "aGk_Pz4-aQ"}),
    );
    assert_eq!(after["encryptedBytes"], "aGk/Pz4+aQ==");
}

/// An int64 sent as a JSON number is read, and written as a string.
#[test]
fn int64_numbers_decode_and_are_written_as_strings() {
    let after = again(
        "c1.api.app.v1.App",
        json!({"userCount": 9_007_199_254_740_993u64}),
    );
    assert_eq!(after["userCount"], "9007199254740993");
}
