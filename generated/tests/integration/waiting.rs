//! Streams that end: waiting for a task to close with `poll_until`, and
//! paging that stops when the server repeats a page token.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use c1_client::WaitError;
use c1_client::models::{TaskServiceGetResponse, TaskState};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A task that is open for `open_for` answers, then closed.
async fn task_server(open_for: usize) -> MockServer {
    let server = MockServer::start().await;
    let answers = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET"))
        .and(path("/api/v1/tasks/t1"))
        .respond_with(move |_: &Request| {
            let n = answers.fetch_add(1, Ordering::SeqCst);
            let state = if n < open_for {
                "TASK_STATE_OPEN"
            } else {
                "TASK_STATE_CLOSED"
            };
            ResponseTemplate::new(200)
                .set_body_json(json!({"taskView": {"task": {"id": "t1", "state": state}}}))
        })
        .mount(&server)
        .await;
    server
}

fn state(answer: &TaskServiceGetResponse) -> Option<&TaskState> {
    let task = answer.task_view.as_ref()?.task.as_ref()?;
    task.state.as_ref()
}

fn closed(answer: &TaskServiceGetResponse) -> bool {
    state(answer) == Some(&TaskState::Closed)
}

#[tokio::test]
async fn poll_until_gives_the_first_answer_that_is_done() {
    let server = task_server(2).await;
    let client = common::client(&server);
    let answer = client
        .task()
        .get("t1")
        .poll_until(closed, Duration::from_millis(10), Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(state(&answer), Some(&TaskState::Closed));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_timed_out_wait_keeps_the_last_answer_and_says_how_long() {
    let server = task_server(usize::MAX).await;
    let client = common::client(&server);
    let error = client
        .task()
        .get("t1")
        .poll_until(
            closed,
            Duration::from_millis(20),
            Duration::from_millis(100),
        )
        .await
        .unwrap_err();
    let calls = server.received_requests().await.unwrap().len();
    assert!((2..=6).contains(&calls), "{calls} calls in 100 ms at 20 ms");
    assert_eq!(
        error.last().and_then(state),
        Some(&TaskState::Open),
        "{error}"
    );
    let WaitError::TimedOut { waited, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(*waited >= Duration::from_millis(100), "{waited:?}");
    let shown = error.to_string();
    assert!(shown.starts_with("waited 0."), "{shown}");
    assert!(
        shown.contains(" s for `task.get` to give the awaited answer"),
        "{shown}"
    );
    assert!(shown.contains(&format!("{calls} calls")), "{shown}");
    // `?` into the crate's error keeps the message.
    let converted: c1_client::Error = error.into();
    assert_eq!(converted.to_string(), shown);
}

#[tokio::test]
async fn the_timeout_bounds_a_call_in_flight() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tasks/t1"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3600)))
        .mount(&server)
        .await;
    let client = common::client(&server);
    let started = std::time::Instant::now();
    let error = client
        .task()
        .get("t1")
        .poll_until(
            closed,
            Duration::from_millis(10),
            Duration::from_millis(200),
        )
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let WaitError::TimedOut { calls, last, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(
        (*calls, last.is_none()),
        (1, true),
        "cut in flight, no answer"
    );
}

#[tokio::test]
async fn a_timeout_or_interval_past_the_clock_waits_without_overflowing() {
    let server = task_server(1).await;
    let client = common::client(&server);
    let call = client.task().get("t1");
    let answer = call
        .clone()
        .poll_until(closed, Duration::from_millis(5), Duration::MAX)
        .await
        .unwrap();
    assert!(closed(&answer));
    let open = task_server(usize::MAX).await;
    let client = common::client(&open);
    let error = client
        .task()
        .get("t1")
        .poll_until(closed, Duration::MAX, Duration::from_millis(50))
        .await
        .unwrap_err();
    assert!(
        matches!(error, WaitError::TimedOut { calls: 1, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_failed_call_stops_the_wait() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"code": 5, "message": "no task t1"})),
        )
        .mount(&server)
        .await;
    let error = common::client(&server)
        .task()
        .get("t1")
        .poll_until(closed, Duration::from_millis(10), Duration::from_secs(10))
        .await
        .unwrap_err();
    let WaitError::Failed(error) = error else {
        panic!("{error:?}");
    };
    assert!(error.is_not_found(), "{error}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// Pages `a,b` then `c,d`, each pointing at the page token `same`.
async fn looping_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/apps"))
        .respond_with(|r: &Request| {
            let page = match r.url.query() {
                Some(q) if q.contains("page_token=same") => json!(["c", "d"]),
                _ => json!(["a", "b"]),
            };
            let list: Vec<_> = page
                .as_array()
                .unwrap()
                .iter()
                .map(|id| json!({"id": id}))
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({"list": list, "nextPageToken": "same"}))
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_repeated_page_token_ends_the_items_with_an_error_after_every_item() {
    let server = looping_server().await;
    let client = common::client(&server);
    let mut items = client.apps().list().items();
    let mut ids = Vec::new();
    let error = loop {
        match items.try_next().await {
            // Bounded, so that a stream that loops fails instead of hanging.
            Ok(Some(_)) if ids.len() == 10 => panic!("the stream goes on: {ids:?}"),
            Ok(Some(app)) => ids.push(app.id.unwrap_or_default()),
            Ok(None) => panic!("the stream ended without an error after {ids:?}"),
            Err(error) => break error,
        }
    };
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(
        error.to_string(),
        "`apps.list` answered with the page token `same` a second time; \
         paging stopped, as the server would repeat its pages forever"
    );
    assert!(!error.is_retryable());
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert!(
        items.try_next().await.unwrap().is_none(),
        "the stream ends after the error"
    );
}

#[tokio::test]
async fn a_repeated_page_token_ends_the_pages_too() {
    let server = looping_server().await;
    let pages: Vec<_> = common::client(&server)
        .apps()
        .list()
        .pages()
        .take(5)
        .collect()
        .await;
    assert_eq!(pages.len(), 3, "two pages and the error");
    assert!(pages[0].is_ok() && pages[1].is_ok());
    assert!(matches!(
        pages[2],
        Err(c1_client::Error::RepeatedPageToken { .. })
    ));
}

#[tokio::test]
async fn a_failed_wait_shows_each_cause_once() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = c1_client::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(c1_client::RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = client
        .task()
        .get("t1")
        .poll_until(closed, Duration::from_millis(10), Duration::from_secs(1))
        .await
        .unwrap_err();
    assert!(matches!(error, WaitError::Failed(_)), "{error:?}");
    assert!(error.to_string().contains("connection refused"), "{error}");
    common::assert_each_cause_once(&error);
}
