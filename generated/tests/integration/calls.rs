//! Calls as users write them, against a loopback server: setters for the
//! optional parameters, per-call options, the response with its status and
//! request id, page and item streams, and which failures are retried.

use crate::common;

use std::time::Duration;

use c1_client::models::{CreateAppRequest, SearchAppsRequest, SearchUsersRequest, UserStatus};
use c1_client::prelude::*;
use c1_client::{ApiError, Code};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn bodies(requests: &[Request]) -> Vec<Value> {
    requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[tokio::test]
async fn optional_parameters_are_setters_and_unset_ones_are_not_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/apps"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"list": [{"id": "a"}]})))
        .mount(&server)
        .await;
    let client = common::client(&server);
    let page = client.apps().list().page_size(50).await.unwrap();
    assert_eq!(page.list[0].id.as_deref(), Some("a"));
    client.apps().list().await.unwrap();
    let queries: Vec<Option<String>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().map(str::to_string))
        .collect();
    assert_eq!(queries, [Some("page_size=50".to_string()), None]);
}

#[tokio::test]
async fn items_follow_the_page_tokens_and_can_be_spawned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/apps"))
        .and(query_param("page_token", "p2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"list": [{"id": "c"}], "nextPageToken": ""})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/apps"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"list": [{"id": "a"}, {"id": "b"}], "nextPageToken": "p2"})),
        )
        .with_priority(10)
        .mount(&server)
        .await;
    let client = common::client(&server);
    // The stream owns its client handle: it outlives `client` and moves to a task.
    let mut items = client.apps().list().page_size(2).items();
    drop(client);
    let ids = tokio::spawn(async move {
        let mut ids = Vec::new();
        while let Some(app) = items.try_next().await? {
            ids.push(app.id.unwrap_or_default());
        }
        Ok::<_, c1_client::Error>(ids)
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(ids, ["a", "b", "c"]);
    let received = server.received_requests().await.unwrap();
    let queries: Vec<&str> = received
        .iter()
        .map(|r| r.url.query().unwrap_or(""))
        .collect();
    assert_eq!(queries, ["page_size=2", "page_size=2&page_token=p2"]);
}

/// `json` and `json_pages` give the answers as sent (fields the models do
/// not know kept), each checked as the typed call would decode it, and
/// follow the page tokens as `pages` does.
#[tokio::test]
async fn json_answers_are_as_sent_and_checked_against_the_document() {
    let server = MockServer::start().await;
    let first = json!({"list": [{"id": "a", "new": 1}], "nextPageToken": "p2"});
    Mock::given(method("GET"))
        .and(path("/api/v1/apps"))
        .and(query_param("page_token", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"list": [{"id": 7}]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/apps"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-j")
                .set_body_json(first.clone()),
        )
        .with_priority(10)
        .mount(&server)
        .await;
    let client = common::client(&server);

    // One type of future for every operation.
    let call: c1_client::JsonFuture = client.apps().list().json();
    let response = call.await.unwrap();
    assert_eq!(response.request_id(), Some("req-j"));
    assert_eq!(response.into_inner(), first);

    let pages: Vec<_> = client.apps().list().json_pages().collect().await;
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].as_ref().unwrap(), &first);
    let error = pages[1].as_ref().unwrap_err();
    assert!(
        matches!(error, c1_client::Error::Decode { path, .. } if path == "list[0].id"),
        "{error}"
    );
    let typed = client.apps().list().page_token("p2").await.unwrap_err();
    assert_eq!(
        typed.to_string(),
        error.to_string(),
        "the typed call's error"
    );
}

#[tokio::test]
async fn searches_page_through_the_body_and_enums_are_shared() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/search/users"))
        .respond_with(move |r: &Request| {
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            let page = match body.get("pageToken").and_then(Value::as_str) {
                None => json!({"list": [{"user": {"id": "u1"}}], "nextPageToken": "n"}),
                Some(_) => json!({"list": [{"user": {"id": "u2"}}]}),
            };
            ResponseTemplate::new(200).set_body_json(page)
        })
        .mount(&server)
        .await;
    // A user's status is the type the search takes.
    let request = SearchUsersRequest {
        user_statuses: vec![UserStatus::Enabled],
        ..Default::default()
    };
    let pages: Vec<_> = common::client(&server)
        .user_search()
        .search(request)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        bodies(&received),
        [
            json!({"userStatuses": ["ENABLED"]}),
            json!({"userStatuses": ["ENABLED"], "pageToken": "n"})
        ]
    );
}

#[tokio::test]
async fn with_response_gives_status_headers_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-7")
                .set_body_json(json!({"app": {"id": "a"}})),
        )
        .mount(&server)
        .await;
    let response = common::client(&server)
        .apps()
        .get("a")
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id(), Some("req-7"));
    assert_eq!(response.headers()["x-request-id"], "req-7");
    assert_eq!(response.into_inner().app.unwrap().id.as_deref(), Some("a"));
}

#[tokio::test]
async fn a_call_can_set_its_own_timeout_retry_policy_and_headers() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/apps/slow"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(Duration::from_millis(500))
                .set_body_json(json!({})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/apps/busy"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/apps/traced"))
        .and(header("x-trace", "abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let apps = common::client(&server);
    let apps = apps.apps();
    let err = apps
        .get("slow")
        .timeout(Duration::from_millis(50))
        .await
        .unwrap_err();
    assert!(
        matches!(err, c1_client::Error::Timeout(t) if t == Duration::from_millis(50)),
        "{err:?}"
    );
    let err = apps
        .get("busy")
        .retry_policy(RetryPolicy::disabled())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.is_retryable());
    apps.get("traced").header("x-trace", "abc").await.unwrap();
    let busy = |r: &&Request| r.url.path() == "/api/v1/apps/busy";
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.iter().filter(busy).count(), 1, "retries disabled");
    // A header that cannot be sent fails the call before anything is sent,
    // without repeating the value.
    let before = received.len();
    let err = apps
        .get("traced")
        .header("x-trace", "secret\nvalue")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("`x-trace`"), "{err}");
    assert!(!err.to_string().contains("secret"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), before);
}

/// Answers `status` once, then 200; returns how many requests arrived
/// after `call` ran.
async fn attempts<F, Fut>(status: u16, call: F) -> usize
where
    F: FnOnce(c1_client::Client) -> Fut,
    Fut: std::future::Future<Output = c1_client::Result<()>>,
{
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .with_priority(2)
        .mount(&server)
        .await;
    let _ = call(common::client(&server)).await;
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn creates_are_not_retried_after_a_gateway_error_but_reads_are() {
    let create = |client: c1_client::Client| async move {
        client
            .apps()
            .create(CreateAppRequest::default())
            .await
            .map(drop)
    };
    let search = |client: c1_client::Client| async move {
        client
            .app_search()
            .search(SearchAppsRequest::default())
            .await
            .map(drop)
    };
    let get = |client: c1_client::Client| async move { client.apps().get("a").await.map(drop) };
    // The server may have acted on a create that got a 502 or 504.
    assert_eq!(attempts(502, create).await, 1);
    assert_eq!(attempts(504, create).await, 1);
    // 429 and 503 say it did not.
    assert_eq!(attempts(429, create).await, 2);
    assert_eq!(attempts(503, create).await, 2);
    // Searches and gets only read.
    assert_eq!(attempts(502, search).await, 2);
    assert_eq!(attempts(504, get).await, 2);
}

#[test]
fn users_can_build_api_errors_for_their_tests() {
    let err = c1_client::Error::from(
        ApiError::from_code(Code::NotFound, "no such app").with_request_id("r-1"),
    );
    assert!(err.is_not_found());
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("r-1"));
    let parsed = ApiError::new(503, br#"{"code": 14, "message": "later"}"#, None);
    assert_eq!(parsed.code, Some(Code::Unavailable));
    assert!(c1_client::Error::from(parsed).is_retryable());
}

#[test]
fn calls_and_streams_can_cross_tasks() {
    fn assert_send_static<T: Send + 'static>() {}
    fn assert_stream<T: Stream + Unpin + Send + 'static>() {}
    assert_send_static::<c1_client::Call<c1_client::apis::apps::List>>();
    assert_stream::<c1_client::Items<c1_client::models::App>>();
    assert_stream::<c1_client::Pages<c1_client::models::ListAppsResponse>>();
}

#[tokio::test]
async fn dry_run_shows_the_request_with_credentials_redacted_and_sends_nothing() {
    let server = MockServer::start().await;
    let client = common::client(&server);
    let body = CreateAppRequest {
        display_name: "Payroll".into(),
        ..Default::default()
    };
    let call = client
        .apps()
        .create(body)
        .header("x-trace", "t1")
        .header("authorization", "Bearer stolen");
    let request = call.dry_run().unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.url, format!("{}/api/v1/apps", server.uri()));
    let header = |name: &str| -> Vec<&str> {
        let found = request.headers.iter().filter(|(n, _)| n == name);
        found.map(|(_, v)| v.as_str()).collect()
    };
    assert_eq!(header("authorization"), ["Bearer <redacted>", "<redacted>"]);
    assert_eq!(header("x-trace"), ["t1"]);
    assert_eq!(header("content-type"), ["application/json"]);
    let sent: Value = serde_json::from_slice(request.body.as_deref().unwrap()).unwrap();
    assert_eq!(sent, json!({"displayName": "Payroll"}));
    let text = request.to_string();
    assert!(
        !text.contains(common::TOKEN) && !text.contains("stolen"),
        "{text}"
    );
    assert!(text.starts_with("POST http://127.0.0.1:"), "{text}");
    let get = client.personal_client().get("a b/c").dry_run().unwrap();
    assert!(
        get.url.ends_with("/api/v1/iam/personal_clients/a%20b%2Fc"),
        "{}",
        get.url
    );
    assert!(get.body.is_none());
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_path_parameter_that_would_change_the_path_is_refused_before_sending() {
    let server = MockServer::start().await;
    let client = common::client(&server);
    for id in ["..", ".", ""] {
        let err = client.apps().get(id).await.unwrap_err();
        assert!(
            matches!(&err, c1_client::Error::Argument(m) if m.contains(&format!("`id` is `{id}`"))),
            "{err:?}"
        );
        // `export.list_events` with `..` would post to `export.update`'s path.
        let body = Default::default();
        let err = client.export().list_events(id, body).await.unwrap_err();
        assert!(matches!(err, c1_client::Error::Argument(_)), "{err:?}");
        assert!(client.apps().get(id).dry_run().is_err());
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
