//! Workload federation: an OIDC token exchanged (RFC 8693) at the token
//! endpoint for access tokens, against a fake endpoint that checks the
//! exchange form field by field.

use crate::common;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use c1_client::Client;
use common::FEDERATION_ID;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const API: &str = "/api/v1/iam/personal_clients";

/// The token endpoint: answers each exchange whose form is exactly right
/// with a new token, and records the OIDC tokens it was given.
#[derive(Clone, Default)]
struct Exchanges {
    subject_tokens: Arc<Mutex<Vec<String>>>,
    problems: Arc<Mutex<Vec<String>>>,
    expires_in: u64,
}

impl Exchanges {
    fn check(&self, request: &Request) -> Result<String, String> {
        let content_type = request.headers.get("content-type");
        if content_type.and_then(|v| v.to_str().ok()) != Some("application/x-www-form-urlencoded") {
            return Err(format!("content type {content_type:?}"));
        }
        let mut form: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect();
        form.sort();
        let subject = form
            .iter()
            .find(|(k, _)| k == "subject_token")
            .map(|(_, v)| v.clone())
            .ok_or("no subject_token")?;
        let mut expected = vec![
            ("client_id", FEDERATION_ID),
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange",
            ),
            ("subject_token", subject.as_str()),
            ("subject_token_type", "urn:ietf:params:oauth:token-type:jwt"),
        ];
        expected.sort();
        let expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if form != expected {
            return Err(format!("form {form:?}"));
        }
        Ok(subject)
    }

    fn exchanged(&self) -> Vec<String> {
        self.subject_tokens.lock().unwrap().clone()
    }
}

impl wiremock::Respond for Exchanges {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match self.check(request) {
            Ok(subject) => {
                let mut tokens = self.subject_tokens.lock().unwrap();
                tokens.push(subject);
                ResponseTemplate::new(200)
                    .set_body_json(json!({
                        "access_token": format!("fed-token-{}", tokens.len()),
                        "token_type": "Bearer",
                        "expires_in": self.expires_in,
                    }))
                    // Slow enough for concurrent callers to pile up.
                    .set_delay(Duration::from_millis(100))
            }
            Err(problem) => {
                self.problems.lock().unwrap().push(problem.clone());
                ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_request"}))
            }
        }
    }
}

async fn serve(expires_in: u64) -> (MockServer, Exchanges) {
    let server = MockServer::start().await;
    let exchanges = Exchanges {
        expires_in,
        ..Exchanges::default()
    };
    Mock::given(method("POST"))
        .and(path("/auth/v1/token"))
        .respond_with(exchanges.clone())
        .mount(&server)
        .await;
    (server, exchanges)
}

async fn api_answers(server: &MockServer, status: u16, authorization: Option<&str>) {
    let mock = Mock::given(method("GET")).and(path(API));
    let response = ResponseTemplate::new(status).set_body_json(json!({"list": []}));
    let mock = match authorization {
        Some(value) => mock
            .and(header("authorization", value))
            .respond_with(response)
            .with_priority(1),
        None => mock.respond_with(response),
    };
    mock.mount(server).await;
}

/// A federation client of `server` exchanging the OIDC token `jwt`.
fn federated(server: &MockServer, jwt: &str) -> Client {
    common::builder(server)
        .oidc_token(FEDERATION_ID, jwt)
        .build()
        .unwrap()
}

/// A federation client of `server` reading its OIDC token from `file`.
fn from_file(server: &MockServer, file: &std::path::Path) -> Client {
    common::builder(server)
        .oidc_token_file(FEDERATION_ID, file)
        .build()
        .unwrap()
}

/// A file of the temporary directory, unique to `name`.
fn token_file(name: &str, token: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("c1-oidc-{}-{name}", std::process::id()));
    std::fs::write(&path, token).unwrap();
    path
}

#[tokio::test]
async fn the_oidc_token_is_exchanged_once_and_the_access_token_sent_as_bearer() {
    let (server, exchanges) = serve(3600).await;
    api_answers(&server, 200, None).await;
    let client = federated(&server, "eyJ.github.jwt");
    for _ in 0..3 {
        client.personal_client().list().await.unwrap();
    }
    assert_eq!(*exchanges.problems.lock().unwrap(), Vec::<String>::new());
    assert_eq!(exchanges.exchanged(), ["eyJ.github.jwt"]);
    assert_eq!(
        common::authorizations(&server, API).await,
        ["Bearer fed-token-1"; 3]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_wait_for_one_exchange() {
    let (server, exchanges) = serve(3600).await;
    api_answers(&server, 200, None).await;
    let client = federated(&server, "eyJ.jwt");
    let calls = (0..8).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.personal_client().list().await })
    });
    for call in futures_util::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    assert_eq!(exchanges.exchanged().len(), 1, "one exchange for 8 callers");
}

#[tokio::test]
async fn a_rejected_access_token_is_exchanged_for_again_once() {
    let (server, exchanges) = serve(3600).await;
    api_answers(&server, 401, Some("Bearer fed-token-1")).await;
    api_answers(&server, 200, None).await;
    let client = federated(&server, "eyJ.jwt");
    client.personal_client().list().await.unwrap();
    assert_eq!(exchanges.exchanged().len(), 2);
    assert_eq!(
        common::authorizations(&server, API).await,
        ["Bearer fed-token-1", "Bearer fed-token-2"]
    );

    // A server that rejects every token gets one new exchange, not a loop.
    let (server, exchanges) = serve(3600).await;
    api_answers(&server, 401, None).await;
    let client = federated(&server, "eyJ.jwt");
    let error = client.personal_client().list().await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(exchanges.exchanged().len(), 2);
}

#[tokio::test]
async fn a_token_file_is_read_again_for_each_exchange() {
    // Tokens that last 1 s are exchanged again after half of it.
    let (server, exchanges) = serve(1).await;
    api_answers(&server, 200, None).await;
    let file = token_file("rotated", "eyJ.first\n");
    let client = from_file(&server, &file);
    client.personal_client().list().await.unwrap();
    std::fs::write(&file, "eyJ.second").unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    client.personal_client().list().await.unwrap();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(exchanges.exchanged(), ["eyJ.first", "eyJ.second"]);
    assert!(
        format!("{client:?}").contains(&format!("OIDC token read from {}", file.display())),
        "{client:?}"
    );
}

#[tokio::test]
async fn a_missing_or_empty_token_file_is_an_error_that_names_it() {
    let (server, exchanges) = serve(3600).await;
    api_answers(&server, 200, None).await;
    let missing = std::env::temp_dir().join("c1-oidc-no-such-file");
    let client = from_file(&server, &missing);
    let error = client.personal_client().list().await.unwrap_err();
    let shown = error.to_string();
    assert!(
        shown.contains(&format!(
            "cannot read the OIDC token file `{}`",
            missing.display()
        )),
        "{shown}"
    );

    let empty = token_file("empty", " \n");
    let client = from_file(&server, &empty);
    let shown = client
        .personal_client()
        .list()
        .await
        .unwrap_err()
        .to_string();
    std::fs::remove_file(&empty).unwrap();
    assert!(
        shown.contains(&format!(
            "the OIDC token file `{}` is empty",
            empty.display()
        )),
        "{shown}"
    );
    assert!(exchanges.exchanged().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_refused_exchange_says_what_the_token_endpoint_said() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/v1/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "invalid_grant",
            "error_description": "the token's issuer is not trusted",
        })))
        .mount(&server)
        .await;
    let client = federated(&server, "eyJ.secret-oidc.jwt");
    let shown = client
        .personal_client()
        .list()
        .await
        .unwrap_err()
        .to_string();
    assert!(shown.contains("invalid_grant"), "{shown}");
    assert!(shown.contains("issuer is not trusted"), "{shown}");
    assert!(!shown.contains("secret-oidc"), "{shown}");
}
