//! Each error case, over real HTTP on 127.0.0.1.

use crate::common;

use std::time::Duration;

use c1_client::{Error, RetryPolicy};
use common::client;
use serde_json::json;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answer(server: &MockServer, template: ResponseTemplate) {
    Mock::given(wiremock::matchers::any())
        .respond_with(template)
        .mount(server)
        .await;
}

#[tokio::test]
async fn json_error_bodies_are_decoded_with_the_request_id() {
    let server = MockServer::start().await;
    let body = json!({"code": 5, "message": "personal client not found", "details": [{"@type": "type.googleapis.com/x"}]});
    answer(
        &server,
        ResponseTemplate::new(404)
            .set_body_json(body)
            .insert_header("x-request-id", "req-123"),
    )
    .await;
    let err = client(&server)
        .personal_client()
        .get("missing")
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status, 404);
    assert_eq!(api.code, Some(c1_client::Code::NotFound));
    assert_eq!(api.message.as_deref(), Some("personal client not found"));
    assert_eq!(api.details, [json!({"@type": "type.googleapis.com/x"})]);
    assert_eq!(api.request_id.as_deref(), Some("req-123"));
    assert_eq!(
        err.to_string(),
        "the API answered 404: personal client not found (code NOT_FOUND (5)) [request id req-123]"
    );
    assert!(err.is_not_found() && !err.is_retryable());
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("req-123"));
    assert_eq!(err.code(), Some(c1_client::Code::NotFound));
}

#[tokio::test]
async fn other_error_bodies_are_kept_raw() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(500).set_body_string("<html>oops</html>"),
    )
    .await;
    let err = client(&server).personal_client().list().await.unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (
            api.status,
            api.code,
            api.body.as_str(),
            api.request_id.clone()
        ),
        (500, None, "<html>oops</html>", None)
    );
}

#[tokio::test]
async fn undecodable_responses_name_the_json_path_and_keep_a_bounded_snippet() {
    let server = MockServer::start().await;
    let long_name = "x".repeat(5000);
    let body = json!({"list": [{"id": "a"}, {"id": "b", "createdAt": "not a time", "displayName": long_name}]});
    answer(&server, ResponseTemplate::new(200).set_body_json(body)).await;
    let err = client(&server).personal_client().list().await.unwrap_err();
    let Error::Decode { path, snippet, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "list[1].createdAt");
    assert_eq!(snippet.chars().count(), c1_client::SNIPPET_CHARS + 1);
    assert!(snippet.starts_with(r#"{"list":[{"id":"a"}"#), "{snippet}");
}

#[tokio::test]
async fn slow_answers_time_out() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(json!({}))
            .set_delay(Duration::from_secs(5)),
    )
    .await;
    let client = common::builder(&server)
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client.personal_client().list().await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout(d) if d == Duration::from_millis(200)),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "request timed out after 200ms");
}

/// The error of a list call to `base_url`, which cannot be reached.
async fn unreachable(base_url: String) -> Error {
    let client = c1_client::Client::builder()
        .base_url(base_url)
        .retry_policy(
            RetryPolicy::default()
                .with_max_retries(1)
                .with_delays(Duration::from_millis(1), Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    client.personal_client().list().await.unwrap_err()
}

#[tokio::test]
async fn a_refused_connection_says_so() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let err = unreachable(format!("http://127.0.0.1:{port}")).await;
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.is_retryable());
    let expected = format!(
        "request to http://127.0.0.1:{port}/api/v1/iam/personal_clients failed: connection refused"
    );
    let text = err.to_string();
    assert!(text.starts_with(&expected), "{err}");
    // The cause said once: not "connection refused (connection refused (os error 111))".
    assert_eq!(
        text.to_lowercase().matches("connection refused").count(),
        1,
        "{err}"
    );
    common::assert_each_cause_once(&err);
}

#[tokio::test]
async fn an_unknown_host_says_the_dns_lookup_failed() {
    let err = unreachable("https://no-such-tenant.invalid".into()).await;
    assert!(
        err.to_string().starts_with(
            "request to https://no-such-tenant.invalid/api/v1/iam/personal_clients failed: DNS lookup failed ("
        ),
        "{err}"
    );
}

#[tokio::test]
async fn a_server_that_does_not_speak_tls_is_a_tls_problem() {
    let server = MockServer::start().await;
    let https = server.uri().replace("http://", "https://");
    let err = unreachable(https.clone()).await;
    assert!(
        err.to_string().starts_with(&format!(
            "request to {https}/api/v1/iam/personal_clients failed: TLS problem ("
        )),
        "{err}"
    );
}

/// The error of a list call when the token endpoint answers `answer`.
async fn error_with_token_answer(answer: ResponseTemplate) -> (Error, MockServer) {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/auth/v1/token"))
        .respond_with(answer)
        .mount(&server)
        .await;
    let client = common::builder(&server)
        .client_credentials(common::CLIENT_ID, common::secret())
        .build()
        .unwrap();
    (client.personal_client().list().await.unwrap_err(), server)
}

#[tokio::test]
async fn authentication_failures_are_auth_errors() {
    let (err, server) = error_with_token_answer(
        ResponseTemplate::new(401).set_body_json(json!({"error": "invalid_client"})),
    )
    .await;
    assert_eq!(
        err.to_string(),
        r#"authentication failed: the token endpoint answered 401: {"error":"invalid_client"}"#
    );
    let api_calls = common::authorizations(&server, "/api/v1/iam/personal_clients").await;
    assert!(api_calls.is_empty(), "no API call without a token");
}

#[tokio::test]
async fn a_wrong_tenants_404_at_the_token_endpoint_is_not_an_absent_object() {
    let (err, _) = error_with_token_answer(ResponseTemplate::new(404)).await;
    assert!(
        !err.is_not_found(),
        "delete-if-present must not succeed silently"
    );
    assert_eq!(err.status(), None, "the API did not answer");
    let auth = err.auth_error().expect("a sign-in failure");
    assert_eq!(auth.status, Some(404));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn empty_tokens_are_auth_errors() {
    let body = json!({"access_token": "", "token_type": "Bearer", "expires_in": 3600});
    let (err, _) = error_with_token_answer(ResponseTemplate::new(200).set_body_json(body)).await;
    assert_eq!(
        err.to_string(),
        "authentication failed: the token endpoint returned an empty access token"
    );
}

#[tokio::test]
async fn answers_that_are_not_tokens_are_auth_errors() {
    let (err, _) =
        error_with_token_answer(ResponseTemplate::new(200).set_body_string("<html>login</html>"))
            .await;
    assert!(
        err.to_string()
            .starts_with("authentication failed: the token endpoint's answer is not a token: "),
        "{err}"
    );
}

#[tokio::test]
async fn bad_client_secrets_fail_at_build_without_repeating_the_secret() {
    let server = MockServer::start().await;
    let cases = [
        (
            common::secret_with(json!({"kty": "OKP", "crv": "Ed25519", "x": "AAAA"})),
            "invalid client configuration: invalid client secret: the key is public only (it has no private part `d`)",
        ),
        (
            common::secret_with(
                json!({"kty": "EC", "crv": "P-256", "d": "AAAA", "x": "AAAA", "y": "AAAA"}),
            ),
            "invalid client configuration: invalid client secret: the key is not an Ed25519 key (kty EC, crv P-256)",
        ),
    ];
    for (secret, expected) in cases {
        let err = common::builder(&server)
            .client_credentials(common::CLIENT_ID, secret.clone())
            .build()
            .unwrap_err();
        assert_eq!(err.to_string(), expected);
        let encoded = secret.rsplit(':').next().unwrap();
        assert!(
            !format!("{err} {err:?}").contains(encoded),
            "the secret is not repeated"
        );
    }
}
