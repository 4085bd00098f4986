//! Device login (RFC 8628) against a fake server: the device code, polling
//! through `authorization_pending` and `slow_down`, the ways a login ends
//! without approval, and the personal client created at the end.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use c1_client::Client;
use serde_json::{Value, json};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const OAUTH_CLIENT: &str = "my-tool";
const DEVICE_CODE: &str = "device-code-not-to-be-shown";
const SECRET: &str = "secret-token:conductorone.com:v1:eyJrZXkiOiJub3Qtc2hvd24ifQ";

/// A poll: when it came, and its form.
type Poll = (Instant, Vec<(String, String)>);

/// The token endpoint: answers polls with the scripted OAuth errors in
/// turn, then with a token; records when each poll came and its form.
#[derive(Clone)]
struct Polls {
    script: Arc<Vec<&'static str>>,
    seen: Arc<Mutex<Vec<Poll>>>,
}

impl Polls {
    fn new(script: &[&'static str]) -> Self {
        Polls {
            script: Arc::new(script.to_vec()),
            seen: Arc::default(),
        }
    }

    /// The time between consecutive polls.
    fn gaps(&self) -> Vec<Duration> {
        let seen = self.seen.lock().unwrap();
        seen.windows(2).map(|w| w[1].0 - w[0].0).collect()
    }

    fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

impl Respond for Polls {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let form = url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect();
        let mut seen = self.seen.lock().unwrap();
        seen.push((Instant::now(), form));
        match self.script.get(seen.len() - 1) {
            Some(error) => ResponseTemplate::new(400).set_body_json(json!({"error": error})),
            None => ResponseTemplate::new(200).set_body_json(json!({
                "access_token": "device-access-token",
                "token_type": "Bearer",
                "expires_in": 3600,
            })),
        }
    }
}

/// A server whose device codes last `expires_in` seconds and whose token
/// endpoint answers `script` before the token.
async fn serve(expires_in: u64, script: &[&'static str]) -> (MockServer, Polls) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/v1/device_authorization"))
        .and(body_string(format!("client_id={OAUTH_CLIENT}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "device_code": DEVICE_CODE,
            "user_code": "WDJB-MJHT",
            "verification_uri": format!("{}/device", server.uri()),
            "verification_uri_complete": format!("{}/device?user_code=WDJB-MJHT", server.uri()),
            "expires_in": expires_in,
            "interval": 1,
        })))
        .mount(&server)
        .await;
    let polls = Polls::new(script);
    Mock::given(method("POST"))
        .and(path("/auth/v1/token"))
        .respond_with(polls.clone())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/iam/personal_clients"))
        .and(header("authorization", "Bearer device-access-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "client": common::full_client(),
            "clientSecret": SECRET,
        })))
        .mount(&server)
        .await;
    (server, polls)
}

fn client(server: &MockServer) -> Client {
    // No credentials: the login is what gets them.
    common::builder(server).build().unwrap()
}

#[tokio::test]
async fn polling_waits_the_interval_slows_down_when_told_and_creates_a_personal_client() {
    let (server, polls) = serve(600, &["authorization_pending", "slow_down"]).await;
    let shown = Arc::new(Mutex::new(None));
    let created = client(&server)
        .device_login(OAUTH_CLIENT)
        .display_name("laptop")
        .run(|code| {
            *shown.lock().unwrap() = Some(format!("{code:?}"));
            assert_eq!(code.user_code, "WDJB-MJHT");
            assert!(
                code.verification_uri_complete
                    .ends_with("/device?user_code=WDJB-MJHT")
            );
            Ok(())
        })
        .await
        .unwrap();

    assert_eq!(
        created.client_id(),
        "blue-whale-12345@acme.conductor.one/pcc"
    );
    assert_eq!(created.client_secret(), SECRET);
    let gaps = polls.gaps();
    assert_eq!(gaps.len(), 2, "pending, slow_down, token");
    assert!(gaps[0] >= Duration::from_secs(1), "{gaps:?}");
    assert!(
        gaps[1] >= Duration::from_secs(6),
        "5 s more after slow_down: {gaps:?}"
    );
    let form = polls.seen.lock().unwrap()[0].1.clone();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        form,
        [
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", DEVICE_CODE),
            ("client_id", OAUTH_CLIENT),
        ]
    );
    let requests = server.received_requests().await.unwrap();
    let create = requests.last().unwrap();
    let body: Value = serde_json::from_slice(&create.body).unwrap();
    assert_eq!(body, json!({"displayName": "laptop"}));

    // Nothing secret is shown.
    let shown = shown.lock().unwrap().clone().unwrap();
    assert!(
        shown.contains("WDJB-MJHT") && !shown.contains(DEVICE_CODE),
        "{shown}"
    );
    let shown = format!("{created:?}");
    assert!(
        shown.contains("blue-whale") && !shown.contains("eyJ"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_denied_or_expired_login_says_so() {
    for (answer, says) in [
        (
            "access_denied",
            "the device login was denied in the browser",
        ),
        (
            "expired_token",
            "the device code expired before the login was approved",
        ),
    ] {
        let (server, polls) = serve(600, &[answer]).await;
        let error = client(&server)
            .device_login(OAUTH_CLIENT)
            .run(|_| Ok(()))
            .await
            .unwrap_err();
        assert!(error.to_string().contains(says), "{answer}: {error}");
        assert_eq!(polls.count(), 1, "{answer}: no polls after the answer");
    }
}

#[tokio::test]
async fn polling_stops_when_the_code_expires() {
    // Codes last 1 s and the interval is 1 s: one poll, then no time left.
    let (server, polls) = serve(1, &["authorization_pending"; 10]).await;
    let error = client(&server)
        .device_login(OAUTH_CLIENT)
        .run(|_| Ok(()))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("expired"), "{error}");
    assert_eq!(polls.count(), 1);
}

#[tokio::test]
async fn an_error_from_show_stops_the_login_before_polling() {
    let (server, polls) = serve(600, &[]).await;
    let error = client(&server)
        .device_login(OAUTH_CLIENT)
        .run(|_| Err(c1_client::Error::Config("no browser".into())))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("no browser"), "{error}");
    assert_eq!(polls.count(), 0);
}

#[tokio::test]
async fn an_unknown_oauth_client_is_an_error_with_the_servers_words() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/v1/device_authorization"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "unknown client",
        })))
        .mount(&server)
        .await;
    let error = client(&server)
        .device_login("nobody")
        .run(|_| Ok(()))
        .await
        .unwrap_err();
    assert_eq!(error.status(), None, "a sign-in failure, not an API answer");
    assert_eq!(error.auth_error().and_then(|a| a.status), Some(401));
    assert!(format!("{error:?}").contains("invalid_client"), "{error:?}");
}
