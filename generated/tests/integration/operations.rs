//! Every generated operation against a fake API on 127.0.0.1: method, path,
//! headers and body sent, response decoded.

use crate::common;

use c1_client::models::{PersonalClient, PersonalClientServiceUpdateRequest};
use common::{TOKEN, client, full_client};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn mock(server: &MockServer, http_method: &str, body: Value) {
    Mock::given(method(http_method))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

/// The one request the server received.
async fn received(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

fn header<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Headers every request carries.
fn assert_common_headers(request: &wiremock::Request) {
    assert_eq!(
        header(request, "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(header(request, "accept"), Some("application/json"));
    assert_eq!(
        header(request, "user-agent"),
        Some(concat!("c1-client/", env!("CARGO_PKG_VERSION")))
    );
}

#[tokio::test]
async fn list() {
    let server = MockServer::start().await;
    mock(
        &server,
        "GET",
        json!({"list": [full_client(), {"id": "other"}], "nextPageToken": "next"}),
    )
    .await;
    let page = client(&server).personal_client().list().await.unwrap();
    let items = page.list;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].display_name.as_deref(), Some("CI robot"));
    assert_eq!(items[0].created_at.unwrap().nanosecond(), 123_456_789);
    assert_eq!(items[0].deleted_at, None);
    assert_eq!(
        items[1],
        PersonalClient {
            id: Some("other".into()),
            ..Default::default()
        }
    );
    assert_eq!(page.next_page_token.as_deref(), Some("next"));

    let request = received(&server).await;
    assert_eq!(
        (request.method.as_str(), request.url.path()),
        ("GET", "/api/v1/iam/personal_clients")
    );
    assert_common_headers(&request);
    assert_eq!(header(&request, "content-type"), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn get_keeps_awkward_ids_in_one_segment() {
    for (id, encoded) in [
        ("blue-whale-12345", "blue-whale-12345"),
        ("a/b", "a%2Fb"),
        ("what?", "what%3F"),
        ("#1", "%231"),
        ("100%", "100%25"),
        ("two words", "two%20words"),
        ("ünï-çødé", "%C3%BCn%C3%AF-%C3%A7%C3%B8d%C3%A9"),
    ] {
        let server = MockServer::start().await;
        mock(&server, "GET", json!({"client": full_client()})).await;
        let got = client(&server).personal_client().get(id).await.unwrap();
        assert_eq!(got.client.unwrap().user_id.as_deref(), Some("2a3b4c"));
        let request = received(&server).await;
        assert_eq!(request.method.as_str(), "GET");
        assert_eq!(
            request.url.path(),
            format!("/api/v1/iam/personal_clients/{encoded}"),
            "for {id:?}"
        );
        assert_eq!(request.url.query(), None);
        assert_common_headers(&request);
    }
}

#[tokio::test]
async fn get_decodes_missing_and_null_fields() {
    let server = MockServer::start().await;
    mock(
        &server,
        "GET",
        json!({"client": {"id": "x", "displayName": null, "scopedRoles": null}}),
    )
    .await;
    let got = client(&server)
        .personal_client()
        .get("x")
        .await
        .unwrap()
        .client
        .unwrap();
    assert_eq!(
        got,
        PersonalClient {
            id: Some("x".into()),
            ..Default::default()
        }
    );
    let server = MockServer::start().await;
    mock(&server, "GET", json!({"client": null})).await;
    assert_eq!(
        client(&server)
            .personal_client()
            .get("x")
            .await
            .unwrap()
            .client,
        None
    );
}

#[tokio::test]
async fn update_sends_only_writable_fields() {
    let server = MockServer::start().await;
    mock(&server, "POST", json!({"client": full_client()})).await;
    let mut fetched: PersonalClient = serde_json::from_value(full_client()).unwrap();
    fetched.display_name = Some("renamed".into());
    let request = PersonalClientServiceUpdateRequest {
        client: Some(fetched.into()),
        update_mask: Some("displayName".into()),
    };
    let updated = client(&server)
        .personal_client()
        .update("blue whale", request)
        .await
        .unwrap();
    assert_eq!(
        updated.client.unwrap().display_name.as_deref(),
        Some("CI robot")
    );

    let sent = received(&server).await;
    assert_eq!(
        (sent.method.as_str(), sent.url.path()),
        ("POST", "/api/v1/iam/personal_clients/blue%20whale")
    );
    assert_common_headers(&sent);
    assert_eq!(header(&sent, "content-type"), Some("application/json"));
    let body: Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(
        body,
        json!({
            "client": {
                "allowSourceCidr": ["10.0.0.0/24"],
                "displayName": "renamed",
                "expiresTime": "2025-01-01T00:00:00Z",
                "scopedRoles": ["role-1"]
            },
            "updateMask": "displayName"
        })
    );
    for read_only in [
        "id",
        "clientId",
        "userId",
        "createdAt",
        "updatedAt",
        "lastUsedAt",
        "deletedAt",
    ] {
        assert!(
            body["client"].get(read_only).is_none(),
            "{read_only} is not sent"
        );
    }
}

#[tokio::test]
async fn delete_sends_an_empty_object() {
    let server = MockServer::start().await;
    mock(&server, "DELETE", json!({"unexpected": "extra"})).await;
    client(&server)
        .personal_client()
        .delete("blue-whale-12345")
        .await
        .unwrap();
    let sent = received(&server).await;
    assert_eq!(
        (sent.method.as_str(), sent.url.path()),
        ("DELETE", "/api/v1/iam/personal_clients/blue-whale-12345")
    );
    assert_common_headers(&sent);
    assert_eq!(header(&sent, "content-type"), Some("application/json"));
    assert_eq!(sent.body, b"{}");
}

#[tokio::test]
async fn revoke_credential_fills_three_path_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v1/apps/app%201/connectors/conn%2F2/credentials/cred-%C3%BC",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .connector()
        .revoke_credential("app 1", "conn/2", "cred-ü")
        .await
        .unwrap();
    let sent = received(&server).await;
    assert_common_headers(&sent);
    assert_eq!(sent.body, b"{}");
}

#[tokio::test]
async fn custom_user_agent_and_caller_supplied_http_client() {
    let server = MockServer::start().await;
    mock(&server, "GET", json!({})).await;
    let http = reqwest::Client::builder().build().unwrap();
    let client = common::builder(&server)
        .http_client(http)
        .user_agent("my-tool/2.0")
        .build()
        .unwrap();
    client.personal_client().list().await.unwrap();
    let request = received(&server).await;
    assert_eq!(header(&request, "user-agent"), Some("my-tool/2.0"));
    assert_eq!(
        header(&request, "authorization"),
        None,
        "no credentials, no header"
    );
}
