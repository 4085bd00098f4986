//! The client-credentials flow against a fake token endpoint that verifies
//! each assertion's signature with the public key from the client's JWK and
//! checks every claim.

use crate::common;

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

/// Sends 50 list calls at the same moment; each must succeed.
async fn fifty_calls_at_once(client: &c1_client::Client) {
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
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_one_token_request() {
    let (server, tokens) = serve(3600).await;
    let client = client(&server);
    fifty_calls_at_once(&client).await;
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
    assert_eq!(err.status(), None, "the API did not answer");
    assert_eq!(err.auth_error().and_then(|a| a.status), Some(400));
    let c1_client::Error::Auth(auth) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(auth.body, r#"{"error":"bad signature"}"#);
    assert!(!err.to_string().contains("secret-token"));
    assert_eq!(tokens.problems(), ["bad signature"]);
}

/// The `jti` of each client assertion the token endpoint received.
async fn assertion_ids(server: &MockServer) -> Vec<String> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let requests = server.received_requests().await.unwrap_or_default();
    let token_requests = requests.iter().filter(|r| r.url.path() == "/auth/v1/token");
    token_requests
        .map(|r| {
            let form: Vec<(String, String)> =
                url::form_urlencoded::parse(&r.body).into_owned().collect();
            let assertion = &form
                .iter()
                .find(|(k, _)| k == "client_assertion")
                .unwrap()
                .1;
            let claims = assertion.split('.').nth(1).unwrap();
            let claims: serde_json::Value =
                serde_json::from_slice(&b64.decode(claims).unwrap()).unwrap();
            claims["jti"].as_str().unwrap().to_string()
        })
        .collect()
}

#[tokio::test]
async fn a_retried_token_request_signs_a_new_assertion() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/v1/token"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let tokens = TokenEndpoint::new(3600);
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
    client(&server).personal_client().list().await.unwrap();
    let ids = assertion_ids(&server).await;
    assert_eq!(ids.len(), 2, "a 503, then a token");
    assert_ne!(
        ids[0], ids[1],
        "assertions are single-use: each attempt signs anew"
    );
    assert_eq!(tokens.problems(), Vec::<String>::new());
}

/// Answers 401 to the revoked first token, 200 to any other.
struct RevokesFirstToken(Arc<std::sync::atomic::AtomicBool>);

impl wiremock::Respond for RevokesFirstToken {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let revoked = self.0.load(std::sync::atomic::Ordering::SeqCst);
        let authorization = request.headers.get("authorization");
        if revoked && authorization.is_some_and(|v| v == "Bearer issued-token-1") {
            return ResponseTemplate::new(401)
                .set_body_json(json!({"code": 16, "message": "revoked"}));
        }
        ResponseTemplate::new(200).set_body_json(json!({"list": []}))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_refused_with_a_revoked_token_make_one_token_request() {
    let server = MockServer::start().await;
    let tokens = TokenEndpoint::new(3600);
    Mock::given(method("POST"))
        .and(path("/auth/v1/token"))
        .respond_with(tokens.clone())
        .mount(&server)
        .await;
    let revoked = Arc::new(std::sync::atomic::AtomicBool::new(false));
    Mock::given(method("GET"))
        .and(path(API))
        .respond_with(RevokesFirstToken(revoked.clone()))
        .mount(&server)
        .await;
    let client = client(&server);
    client.personal_client().list().await.unwrap();
    revoked.store(true, std::sync::atomic::Ordering::SeqCst);
    fifty_calls_at_once(&client).await;
    assert_eq!(tokens.problems(), Vec::<String>::new());
    assert_eq!(
        tokens.issued(),
        2,
        "the revoked token, then exactly one new token for all 50 calls"
    );
}

#[tokio::test]
async fn an_absurd_lifetime_is_clamped_not_a_panic() {
    let (server, tokens) = serve(u64::MAX).await;
    let client = client(&server);
    client.personal_client().list().await.unwrap();
    client.personal_client().list().await.unwrap();
    assert_eq!(tokens.issued(), 1, "kept (a day at most), not refetched");
}

#[tokio::test]
async fn a_token_without_a_lifetime_is_kept_until_refused() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/v1/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "t"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(API))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"list": []})))
        .mount(&server)
        .await;
    let client = client(&server);
    for _ in 0..3 {
        client.personal_client().list().await.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    let token_requests = requests.iter().filter(|r| r.url.path() == "/auth/v1/token");
    assert_eq!(
        token_requests.count(),
        1,
        "no token request before every call"
    );
}
