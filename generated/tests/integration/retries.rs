//! Retries: which answers are retried, how often, and how long in between.

use crate::common;

use std::time::{Duration, Instant};

use c1_client::{Error, RetryPolicy};
use serde_json::json;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Answers `status` to the first `failures` requests, then 200.
async fn flaky(server: &MockServer, status: u16, failures: u64, retry_after: Option<&str>) {
    let mut failure =
        ResponseTemplate::new(status).set_body_json(json!({"code": 14, "message": "try again"}));
    if let Some(value) = retry_after {
        failure = failure.insert_header("retry-after", value);
    }
    Mock::given(wiremock::matchers::any())
        .respond_with(failure)
        .up_to_n_times(failures)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"list": []})))
        .with_priority(2)
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn throttling_and_gateway_errors_are_retried() {
    for status in [429, 502, 503, 504] {
        let server = MockServer::start().await;
        flaky(&server, status, 2, None).await;
        common::client(&server)
            .personal_client()
            .list()
            .await
            .unwrap();
        assert_eq!(
            requests(&server).await,
            3,
            "status {status}: two failures, then success"
        );
    }
}

#[tokio::test]
async fn other_errors_are_never_retried() {
    for status in [400, 401, 403, 404, 409, 500, 501] {
        let server = MockServer::start().await;
        flaky(&server, status, 5, None).await;
        let err = common::client(&server)
            .personal_client()
            .list()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Api(api) if api.status == status),
            "{err:?}"
        );
        assert_eq!(requests(&server).await, 1, "status {status} is not retried");
    }
}

#[tokio::test]
async fn retries_stop_at_the_maximum() {
    let server = MockServer::start().await;
    flaky(&server, 503, 100, None).await;
    let client = common::builder(&server)
        .retry_policy(
            RetryPolicy::default()
                .with_max_retries(4)
                .with_delays(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let err = client.personal_client().list().await.unwrap_err();
    assert!(
        matches!(&err, Error::Api(api) if api.status == 503),
        "{err:?}"
    );
    assert_eq!(requests(&server).await, 5, "one attempt and four retries");
}

#[tokio::test]
async fn retries_can_be_switched_off() {
    let server = MockServer::start().await;
    flaky(&server, 503, 1, None).await;
    let client = common::builder(&server)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    assert!(client.personal_client().list().await.is_err());
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    flaky(&server, 429, 1, Some("1")).await;
    let client = common::builder(&server)
        .retry_policy(
            RetryPolicy::default().with_delays(Duration::from_millis(1), Duration::from_secs(5)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    client.personal_client().list().await.unwrap();
    let waited = started.elapsed();
    assert_eq!(requests(&server).await, 2);
    assert!(
        waited >= Duration::from_secs(1),
        "waited {waited:?}, the server asked for 1 s"
    );
    assert!(waited < Duration::from_secs(4), "waited {waited:?}");
}

#[tokio::test]
async fn request_bodies_are_sent_again_on_retry() {
    let server = MockServer::start().await;
    flaky(&server, 503, 1, None).await;
    let request = c1_client::models::PersonalClientServiceUpdateRequest {
        update_mask: Some("displayName".into()),
        ..Default::default()
    };
    let _ = common::client(&server)
        .personal_client()
        .update("x", request)
        .await;
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].body, received[1].body);
    assert_eq!(received[1].body, br#"{"updateMask":"displayName"}"#);
}

/// A client of a server that is not up yet, retrying for seconds, and the
/// server, which comes up after 300 ms answering `answer` to everything.
fn late_server(answer: serde_json::Value) -> (c1_client::Client, tokio::task::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = c1_client::Client::builder()
        .base_url(format!("http://{addr}"))
        .retry_policy(
            RetryPolicy::default()
                .with_max_retries(20)
                .with_delays(Duration::from_millis(50), Duration::from_millis(100)),
        )
        .build()
        .unwrap();
    let server_task = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let listener = std::net::TcpListener::bind(addr).unwrap();
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(200).set_body_json(answer))
            .mount(&server)
            .await;
        tokio::time::sleep(Duration::from_secs(5)).await;
    });
    (client, server_task)
}

#[tokio::test]
async fn connection_failures_are_retried_until_the_server_is_up() {
    let (client, server_task) = late_server(json!({"list": [{"id": "up"}]}));
    let page = client.personal_client().list().await.unwrap();
    assert_eq!(page.list[0].id.as_deref(), Some("up"));
    server_task.abort();
}

/// `paper_secret.get_content`: a POST named `get` that spends one of the
/// secret's views each call (the effects table's `consumes`).
async fn view_secret(client: &c1_client::Client) -> c1_client::Result<()> {
    let body = c1_client::models::PaperSecretServiceGetContentRequest::default();
    client
        .paper_secret()
        .get_content("v-1", body)
        .await
        .map(drop)
}

#[tokio::test]
async fn what_uses_something_up_is_never_retried() {
    for status in [429, 502, 503, 504] {
        let server = MockServer::start().await;
        flaky(&server, status, 1, None).await;
        let err = view_secret(&common::client(&server)).await.unwrap_err();
        assert!(
            matches!(&err, Error::Api(api) if api.status == status),
            "{err:?}"
        );
        assert_eq!(
            requests(&server).await,
            1,
            "status {status}: one view spent, no retry"
        );
    }
}

#[tokio::test]
async fn what_uses_something_up_is_not_retried_on_a_refused_connection() {
    // The server comes up while a retried call would still be trying.
    let (client, server_task) = late_server(json!({}));
    let err = view_secret(&client).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    server_task.abort();
}

#[tokio::test]
async fn writes_that_are_not_idempotent_are_retried_only_when_not_acted_on() {
    for (status, sent) in [(429, 2), (503, 2), (502, 1), (504, 1)] {
        let server = MockServer::start().await;
        flaky(&server, status, 1, None).await;
        let body = c1_client::models::PersonalClientServiceCreateRequest::default();
        let _ = common::client(&server).personal_client().create(body).await;
        assert_eq!(requests(&server).await, sent, "status {status}");
    }
}
