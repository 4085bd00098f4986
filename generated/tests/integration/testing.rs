//! The `testing` feature's mock server, used as a user's tests use it
//! (the README's example is `mock_example.rs`).

use c1_client::Code;
use c1_client::models::{App, GetAppResponse, PersonalClient, PersonalClientServiceUpdateRequest};
use c1_client::testing::MockServer;

#[test]
fn the_readme_example_is_mock_example_rs() {
    let file = include_str!("mock_example.rs");
    let example = file.split_once("\n\n").map(|(_, code)| code).unwrap();
    let readme = include_str!("../../../README.md");
    let block = format!("```rust\n{example}```");
    assert!(
        readme.contains(&block),
        "README.md's testing example differs from tests/integration/mock_example.rs"
    );
}

#[tokio::test]
async fn failures_carry_the_apis_error_body() {
    let mock = MockServer::start().await;
    mock.apps().get("app-1").fails(403, "not yours").await;
    let error = mock.client().apps().get("app-1").await.unwrap_err();
    assert_eq!(error.status(), Some(403));
    assert_eq!(error.code(), Some(Code::PermissionDenied));
    assert!(error.to_string().contains("not yours"), "{error}");
}

#[tokio::test]
async fn an_unmatched_call_names_the_closest_expectation() {
    let mock = MockServer::start().await;
    mock.personal_client().list().await;
    mock.apps().get("app-1").await;
    let error = mock.client().apps().get("app-2").await.unwrap_err();
    assert_eq!(error.status(), Some(501));
    assert_eq!(
        error.api_error().and_then(|e| e.message.as_deref()),
        Some(
            "no expectation matches GET /api/v1/apps/app-2 (apps.get); the closest expectation, \
             GET /api/v1/apps/app-1 (apps.get), differs: the path is /api/v1/apps/app-2, not \
             /api/v1/apps/app-1"
        )
    );
}

#[tokio::test]
async fn a_body_that_differs_is_named_field_by_field() {
    let mock = MockServer::start().await;
    let before = PersonalClient::default();
    let after = PersonalClient {
        display_name: Some("a".into()),
        ..before.clone()
    };
    let expected = PersonalClientServiceUpdateRequest::from_changes(&before, &after);
    mock.personal_client().update("pc", expected).await;
    let other = PersonalClient {
        display_name: Some("b".into()),
        ..before.clone()
    };
    let sent = PersonalClientServiceUpdateRequest::from_changes(&before, &other);
    let error = mock
        .client()
        .personal_client()
        .update("pc", sent)
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains(r#"the body's `client` is {"displayName":"b"}, not {"displayName":"a"}"#),
        "{message}"
    );
}

#[tokio::test]
async fn times_answers_that_many_calls_then_says_so() {
    let mock = MockServer::start().await;
    let app = GetAppResponse {
        app: Some(App {
            id: Some("a".into()),
            ..App::default()
        }),
    };
    mock.apps().get("a").returns(app.clone()).times(1).await;
    assert_eq!(mock.client().apps().get("a").await.unwrap(), app);
    let error = mock.client().apps().get("a").await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("it was answered 1 time(s) already, as `.times(1)` allows"),
        "{error}"
    );
}

#[tokio::test]
#[should_panic(expected = "Verifications failed")]
async fn too_few_calls_fail_the_test() {
    let mock = MockServer::start().await;
    mock.apps().get("a").times(2).await;
    mock.client().apps().get("a").await.unwrap();
    mock.verify().await;
}

#[tokio::test]
async fn optional_parameters_match_when_the_expected_call_sets_them() {
    let mock = MockServer::start().await;
    let client = mock.client();
    mock.expect(client.apps().list().page_size(5)).await;
    client.apps().list().page_size(5).await.unwrap();
    let error = client.apps().list().page_size(6).await.unwrap_err();
    assert!(
        error.to_string().contains("the query has no page_size=5"),
        "{error}"
    );
    let received = mock.received().await;
    assert_eq!(
        received[1].query,
        [("page_size".to_string(), "6".to_string())]
    );
    assert_eq!(received[1].operation, Some("apps.list"));
    assert_eq!(received[1].path, "/api/v1/apps");
}

#[tokio::test]
async fn calls_of_paths_the_api_does_not_have_are_named_so() {
    let mock = MockServer::start().await;
    let url = format!("{}/nowhere", mock.uri());
    let text = reqwest_get(&url).await;
    assert!(text.contains("no operation of the API"), "{text}");
    assert!(text.contains("none is set"), "{text}");
    assert_eq!(mock.received().await[0].operation, None);
}

/// A plain GET, outside the client.
async fn reqwest_get(url: &str) -> String {
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), 501);
    response.text().await.unwrap()
}

#[tokio::test]
#[should_panic(expected = "Verifications failed")]
async fn times_zero_expects_no_call() {
    let mock = MockServer::start().await;
    mock.apps().delete("a").times(0).await;
    let _ = mock.client().apps().delete("a").await;
    mock.verify().await;
}
