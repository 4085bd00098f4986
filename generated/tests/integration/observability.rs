//! What the client shows of itself: the tracing span of each request, and
//! that no token, secret or assertion appears in spans, events, `Debug` or
//! errors.

use crate::common;

use std::fmt::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Records every span, field update and event as a line of text.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Recorder {
    fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        let mut fields = Fields(format!("span {}", attrs.metadata().name()));
        attrs.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let name = ctx.span(id).map(|s| s.name()).unwrap_or("?");
        let mut fields = Fields(format!("record {name}"));
        values.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields(format!("event {}", event.metadata().level()));
        event.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }
}

impl Recorder {
    /// A recorder of everything this thread traces until the guard drops.
    fn install() -> (Self, tracing::subscriber::DefaultGuard) {
        let recorder = Recorder::default();
        let guard =
            tracing::subscriber::set_default(tracing_subscriber::registry().with(recorder.clone()));
        (recorder, guard)
    }

    fn text(&self) -> String {
        self.0.lock().unwrap().join("\n")
    }
}

#[tokio::test]
async fn each_request_has_a_span_with_operation_method_template_status_request_id_retries_and_duration()
 {
    let (recorder, _guard) = Recorder::install();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-42")
                .set_body_json(json!({"client": {"id": "x"}})),
        )
        .mount(&server)
        .await;
    common::client(&server)
        .personal_client()
        .get("secret-looking id")
        .await
        .unwrap();
    let text = recorder.text();
    assert!(
        text.contains(r#"span c1_request operation="personal_client.get" method=GET path="/api/v1/iam/personal_clients/{id}""#),
        "{text}"
    );
    assert!(text.contains("record c1_request status=200"), "{text}");
    assert!(
        text.contains(r#"record c1_request request_id="req-42""#),
        "{text}"
    );
    assert!(text.contains("record c1_request retries=1"), "{text}");
    assert!(text.contains("record c1_request duration_ms="), "{text}");
    assert!(
        text.contains("event DEBUG message=retrying retries=1 delay_ms="),
        "{text}"
    );
    assert!(
        !text.contains("secret-looking"),
        "the filled path is not recorded: {text}"
    );
}

#[tokio::test]
async fn failed_requests_record_the_error() {
    let (recorder, _guard) = Recorder::install();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    assert!(
        common::client(&server)
            .personal_client()
            .list()
            .await
            .is_err()
    );
    let text = recorder.text();
    assert!(text.contains("record c1_request status=404"), "{text}");
    assert!(
        text.contains("event DEBUG message=request failed error=the API answered 404"),
        "{text}"
    );
}

/// Answers every GET with a 403.
async fn deny_every_get(server: &MockServer) {
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(json!({"code": 7, "message": "denied"})),
        )
        .mount(server)
        .await;
}

#[tokio::test]
async fn no_secret_reaches_spans_events_debug_or_errors() {
    let (recorder, _guard) = Recorder::install();
    let server = MockServer::start().await;
    let tokens = common::TokenEndpoint::new(0);
    Mock::given(path("/auth/v1/token"))
        .respond_with(tokens.clone())
        .mount(&server)
        .await;
    deny_every_get(&server).await;
    let secret = common::secret();
    let builder = common::builder(&server).client_credentials(common::CLIENT_ID, secret.clone());
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let err = client.personal_client().list().await.unwrap_err();
    let bearer = c1_client::Client::builder()
        .base_url(server.uri())
        .bearer_token(common::TOKEN);
    let bearer_debug = format!("{bearer:?}");
    let bearer_client = bearer.build().unwrap();

    // What a program might print or log about the client and its failures.
    let shown = [
        builder_debug,
        format!("{client:?}"),
        format!("{err}"),
        format!("{err:?}"),
        bearer_debug,
        format!("{bearer_client:?}"),
        recorder.text(),
    ]
    .join("\n");
    let received = server.received_requests().await.unwrap();
    let assertion_sent = received
        .iter()
        .find(|r| r.url.path() == "/auth/v1/token")
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .unwrap();
    let key_part = secret.rsplit(':').next().unwrap();
    for (what, secret_text) in [
        ("client secret", key_part),
        ("client secret prefix", "secret-token:"),
        ("issued access token", "issued-token-1"),
        ("bearer token", common::TOKEN),
        (
            "client assertion",
            assertion_sent.split("client_assertion=").nth(1).unwrap(),
        ),
    ] {
        assert!(
            !shown.contains(secret_text),
            "the {what} is shown:\n{shown}"
        );
    }
    assert!(
        shown.contains("robot@acme.conductor.one/pcc"),
        "the client id, not secret, is shown"
    );
}

#[tokio::test]
async fn no_oidc_token_access_token_or_dpop_proof_reaches_spans_events_debug_or_errors() {
    let (recorder, _guard) = Recorder::install();
    let server = MockServer::start().await;
    Mock::given(path("/auth/v1/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "federated-access-token",
            "token_type": "DPoP",
            "expires_in": 3600,
        })))
        .mount(&server)
        .await;
    // A 401 asking for a nonce, then a 403: both paths log.
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("DPoP-Nonce", "n1")
                .insert_header("WWW-Authenticate", r#"DPoP error="use_dpop_nonce""#),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    deny_every_get(&server).await;
    let builder = common::builder(&server)
        .oidc_token(common::FEDERATION_ID, "eyJ.oidc-subject.sig")
        .dpop(true);
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let err = client.personal_client().list().await.unwrap_err();
    assert_eq!(err.status(), Some(403));

    let shown = [
        builder_debug,
        format!("{client:?}"),
        format!("{err}"),
        format!("{err:?}"),
        recorder.text(),
    ]
    .join("\n");
    let received = server.received_requests().await.unwrap();
    let proofs: Vec<String> = received
        .iter()
        .filter_map(|r| r.headers.get("dpop"))
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert_eq!(proofs.len(), 3, "the token request and two API requests");
    for secret in ["oidc-subject", "federated-access-token"] {
        assert!(!shown.contains(secret), "`{secret}` is shown:\n{shown}");
    }
    for proof in &proofs {
        let signature = proof.rsplit('.').next().unwrap();
        assert!(!shown.contains(signature), "a proof is shown:\n{shown}");
    }
    assert!(shown.contains(common::FEDERATION_ID), "{shown}");
    assert!(shown.contains("the API asked for a DPoP nonce"), "{shown}");
}
