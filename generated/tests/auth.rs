//! The client-credentials flow against a fake token endpoint that verifies
//! each assertion's signature with the public key from the client's JWK and
//! checks every claim.

mod common;

use std::sync::Arc;

use common::{CLIENT_ID, TokenEndpoint};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const API: &str = "/api/v1/iam/personal_clients";

async fn serve(expires_in: u64) -> (MockServer, TokenEndpoint) {
    let server = MockServer::start().await;
    let tokens = TokenEndpoint::new(expires_in);
    Mock::given(method("POST"))
        .and(path("/auth/v1/token"))
        .respond_with(tokens.clone())
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(API))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"list": []})))
        .mount(&server)
        .await;
    (server, tokens)
}

fn client(server: &MockServer) -> c1_client::Client {
    common::builder(server)
        .client_credentials(CLIENT_ID, common::secret())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_valid_assertion_gets_a_token_that_is_sent_and_reused() {
    let (server, tokens) = serve(3600).await;
    let client = client(&server);
    for _ in 0..3 {
        client.personal_client().list().await.unwrap();
    }
    assert_eq!(tokens.problems(), Vec::<String>::new());
    assert_eq!(tokens.issued(), 1, "one token for three calls");
    assert_eq!(
        common::authorizations(&server, API).await,
        ["Bearer issued-token-1"; 3]
    );
}

#[tokio::test]
async fn clones_share_the_token() {
    let (server, tokens) = serve(3600).await;
    let client = client(&server);
    client.personal_client().list().await.unwrap();
    client.clone().personal_client().list().await.unwrap();
    assert_eq!(tokens.issued(), 1);
}

#[tokio::test]
async fn expired_tokens_are_refreshed() {
    let (server, tokens) = serve(0).await;
    let client = client(&server);
    client.personal_client().list().await.unwrap();
    client.personal_client().list().await.unwrap();
    assert_eq!(tokens.problems(), Vec::<String>::new());
    assert_eq!(tokens.issued(), 2, "a token that has expired is not reused");
    assert_eq!(
        common::authorizations(&server, API).await,
        ["Bearer issued-token-1", "Bearer issued-token-2"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_one_token_request() {
    let (server, tokens) = serve(3600).await;
    let client = client(&server);
    let barrier = Arc::new(tokio::sync::Barrier::new(50));
    let calls = (0..50).map(|_| {
        let (client, barrier) = (client.clone(), barrier.clone());
        tokio::spawn(async move {
            barrier.wait().await;
            client.personal_client().list().await
        })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(tokens.problems(), Vec::<String>::new());
    assert_eq!(tokens.issued(), 1, "50 concurrent calls, one token request");
    let token_requests = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/auth/v1/token")
        .count();
    assert_eq!(token_requests, 1);
    assert_eq!(common::authorizations(&server, API).await.len(), 50);
}

#[tokio::test]
async fn a_rejected_token_is_replaced_and_the_call_tried_once_more() {
    let (server, tokens) = serve(3600).await;
    Mock::given(method("GET"))
        .and(path(API))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"code": 16, "message": "unauthenticated"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let client = client(&server);
    // The 401 drops the token; a new one is fetched and the call succeeds.
    client.personal_client().list().await.unwrap();
    assert_eq!(tokens.issued(), 2);
    let api_calls = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == API)
        .count();
    assert_eq!(api_calls, 2);
}

#[tokio::test]
async fn a_second_401_is_returned_not_retried_forever() {
    let (server, tokens) = serve(3600).await;
    Mock::given(method("GET"))
        .and(path(API))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"code": 16, "message": "unauthenticated"})),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    let err = client(&server).personal_client().list().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.code(), Some(c1_client::Code::Unauthenticated));
    assert_eq!(tokens.issued(), 2, "one token, then one more after the 401");
}

#[tokio::test]
async fn the_token_endpoint_rejects_a_forged_assertion() {
    // A secret whose key is not the one the endpoint knows.
    let (server, tokens) = serve(3600).await;
    let other = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let forged = common::secret_with(
        json!({"kty": "OKP", "crv": "Ed25519", "kid": "test-kid", "d": b64.encode(other.to_bytes())}),
    );
    let client = common::builder(&server)
        .client_credentials(CLIENT_ID, forged)
        .build()
        .unwrap();
    let err = client.personal_client().list().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"authentication failed: the token endpoint answered 400: {"error":"bad signature"}"#
    );
    assert_eq!(err.status(), Some(400));
    let c1_client::Error::Auth(auth) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(auth.body, r#"{"error":"bad signature"}"#);
    assert!(!err.to_string().contains("secret-token"));
    assert_eq!(tokens.problems(), ["bad signature"]);
}
