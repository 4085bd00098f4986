//! A stand-in for the API in users' tests (the `testing` cargo feature):
//! a local HTTP server that answers as the API would, set up with typed
//! expectations that mirror the client.
//!
//! [`MockServer::start`] starts one; [`MockServer::client`] is a client of
//! it. Each operation group has an accessor on the server as on the
//! client, and each operation a method with the client method's arguments
//! that expects that call: `mock.apps().get("app-1").returns(app).await`
//! sets up the answer to `client.apps().get("app-1")`, and
//! `mock.apps().get("app-1").fails(404, "no such app").times(1).await` an
//! error answered once. [`MockServer::received`] lists the calls made. The
//! crate's README has a complete test.
//!
//! Each expectation matches the request its client call sends: method,
//! path, the query and header parameters it was given and its JSON body.
//! Answers are [`returns`](Expectation::returns) (a value of the
//! operation's output type, as JSON), [`fails`](Expectation::fails) (the
//! API's JSON error body) or, when neither is given, `200` with `{}`. A
//! request that no expectation matches is answered `501` with a message
//! that names the closest expectation and how the request differs from it;
//! the call fails with that message. Expectations with
//! [`times`](Expectation::times) are checked when the server is dropped (or
//! by [`MockServer::verify`]): too few calls fail the test.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::header::HeaderMap;
use serde::Serialize;
use serde_json::Value;
use wiremock::matchers::{any, body_json, header, method, path, query_param};
use wiremock::{Mock, Respond, ResponseTemplate};

use crate::call::{Call, Operation};
use crate::client::Client;
use crate::error::Code;
use crate::retry::RetryPolicy;

/// An operation's route, by which [`MockServer::received`] names calls.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// The operation's name (`apps.get`).
    pub name: &'static str,
    /// Its HTTP method.
    pub method: &'static str,
    /// Its path template (`/api/v1/apps/{id}`).
    pub template: &'static str,
}

/// A local server that plays the API in tests; see the [module](self) docs.
///
/// `mock.apps()` (one accessor per operation group, as on [`Client`])
/// gives the group's expectations; [`client`](Self::client) a client of
/// the server.
pub struct MockServer {
    server: wiremock::MockServer,
    client: Client,
    expected: Arc<Mutex<Vec<Expected>>>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expected = lock(&self.expected).len();
        f.debug_struct("MockServer")
            .field("uri", &self.server.uri())
            .field("expectations", &expected)
            .finish()
    }
}

impl MockServer {
    /// Starts a server on a free port of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// If the client of the server cannot be built (it always can).
    pub async fn start() -> MockServer {
        let server = wiremock::MockServer::start().await;
        let expected = Arc::new(Mutex::new(Vec::new()));
        Mock::given(any())
            .respond_with(Unmatched {
                expected: Arc::clone(&expected),
            })
            .with_priority(u8::MAX)
            .named("requests no expectation matches")
            .mount(&server)
            .await;
        let retry = RetryPolicy::default().with_delays(RETRY_DELAY, RETRY_DELAY * 10);
        let client = Client::builder()
            .base_url(server.uri())
            .retry_policy(retry)
            .build()
            .unwrap_or_else(|e| panic!("the mock server's client: {e}"));
        MockServer {
            server,
            client,
            expected,
        }
    }

    /// A client of this server: no credentials, and the default retry
    /// policy with millisecond delays (so tests of retries stay fast).
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// The server's base URL (`http://127.0.0.1:PORT`), for a client built
    /// otherwise.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Expects `call`, as built on [`client`](Self::client) (setters
    /// included: its optional parameters must match too). The group
    /// accessors (`mock.apps().get(..)`) are this with the method's
    /// arguments.
    pub fn expect<Op: Operation>(&self, call: Call<Op>) -> Expectation<'_, Op> {
        Expectation {
            mock: self,
            op: call.op,
            answer: Answer::Empty,
            times: None,
        }
    }

    /// The client the group accessors build their calls with.
    #[doc(hidden)]
    pub fn calls(&self) -> &Client {
        &self.client
    }

    /// Every request the server received, in order.
    pub async fn received(&self) -> Vec<Received> {
        let requests = self.server.received_requests().await.unwrap_or_default();
        requests.iter().map(Received::of).collect()
    }

    /// Fails the test (panics) if an expectation with
    /// [`times`](Expectation::times) was not met; dropping the server
    /// checks the same.
    pub async fn verify(&self) {
        self.server.verify().await;
    }
}

/// The shortest delay between retries of the mock's client.
const RETRY_DELAY: Duration = Duration::from_millis(1);

/// A request the server received.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Received {
    /// The operation it is a call of (`apps.get`), if any.
    pub operation: Option<&'static str>,
    /// The HTTP method.
    pub method: String,
    /// The path, as sent (percent-encoded).
    pub path: String,
    /// The query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The JSON body; `None` when there is none (or it is not JSON).
    pub body: Option<Value>,
}

impl Received {
    fn of(request: &wiremock::Request) -> Received {
        let method = request.method.as_str().to_string();
        let path = request.url.path().to_string();
        Received {
            operation: route_of(&method, &path),
            query: request.url.query_pairs().into_owned().collect(),
            body: serde_json::from_slice(&request.body).ok(),
            method,
            path,
        }
    }
}

/// The operation whose route `method` and `path` are.
fn route_of(method: &str, path: &str) -> Option<&'static str> {
    crate::apis::ROUTES
        .iter()
        .find(|r| r.method == method && template_matches(r.template, path))
        .map(|r| r.name)
}

/// Whether `path` fills `template`: literal segments equal, each
/// `{parameter}` (with the text around it, as in `{id}:cancel`) one
/// non-empty segment.
fn template_matches(template: &str, path: &str) -> bool {
    let (mut pattern, mut actual) = (template.split('/'), path.split('/'));
    loop {
        match (pattern.next(), actual.next()) {
            (None, None) => return true,
            (Some(p), Some(a)) if segment_matches(p, a) => {}
            _ => return false,
        }
    }
}

fn segment_matches(pattern: &str, actual: &str) -> bool {
    let (Some(open), Some(close)) = (pattern.find('{'), pattern.rfind('}')) else {
        return pattern == actual;
    };
    let (prefix, suffix) = (&pattern[..open], &pattern[close + 1..]);
    actual.len() > prefix.len() + suffix.len()
        && actual.starts_with(prefix)
        && actual.ends_with(suffix)
}

/// One expected call: set how it is answered, then `.await` it to set it
/// up on the server.
#[must_use = "an expectation is set up when it is awaited"]
pub struct Expectation<'m, Op: Operation> {
    mock: &'m MockServer,
    op: Op,
    answer: Answer,
    times: Option<u64>,
}

impl<Op: Operation> fmt::Debug for Expectation<'_, Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expectation")
            .field("operation", &Op::NAME)
            .field("times", &self.times)
            .finish()
    }
}

/// How an expectation answers.
#[derive(Debug, Clone)]
enum Answer {
    /// `200` with `{}`.
    Empty,
    /// `200` with this JSON (or, if the value could not be written as
    /// JSON, `500` saying why).
    Json(Result<Value, String>),
    /// The API's error body, with this status.
    Error { status: u16, message: String },
}

impl<'m, Op: Operation> Expectation<'m, Op> {
    /// Answers with `output`, as the API would: `200` and its JSON.
    pub fn returns(mut self, output: Op::Output) -> Self
    where
        Op::Output: Serialize,
    {
        let json = serde_json::to_value(&output).map_err(|e| e.to_string());
        self.answer = Answer::Json(json);
        self
    }

    /// Answers as the API does when it fails: `status`, and a JSON error
    /// body with `message` and the gRPC code of that status
    /// (`{"code": 5, "message": "...", "details": []}` for 404).
    pub fn fails(mut self, status: u16, message: impl Into<String>) -> Self {
        self.answer = Answer::Error {
            status,
            message: message.into(),
        };
        self
    }

    /// Answers `n` calls, and expects exactly `n`: later calls go to the
    /// next expectation that matches; fewer fail the test when the server
    /// is dropped or [verified](MockServer::verify). `times(0)` expects no
    /// call at all.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Sets the expectation up on the server.
    ///
    /// # Panics
    ///
    /// If the call's request cannot be built (a parameter that cannot be
    /// written in a header, say): the same call would fail on a client.
    async fn set_up(self) {
        let request = self.op.request();
        if let Some(e) = request.error() {
            panic!("{}: the expected request cannot be built: {e}", Op::NAME);
        }
        let answered = Arc::new(AtomicU64::new(0));
        let expected = Expected {
            name: Op::NAME,
            method: request.method().as_str().to_string(),
            path: request.url(self.mock.client.base_url()).path().to_string(),
            query: request.query_pairs(),
            headers: request.header_pairs(),
            body: request.body().and_then(|b| serde_json::from_slice(b).ok()),
            times: self.times,
            answered: Arc::clone(&answered),
        };
        let mut builder =
            Mock::given(method(expected.method.as_str())).and(path(expected.path.as_str()));
        for (name, value) in &expected.query {
            builder = builder.and(query_param(name.as_str(), value.as_str()));
        }
        for (name, value) in &expected.headers {
            builder = builder.and(header(name.as_str(), value.as_str()));
        }
        if let Some(body) = &expected.body {
            builder = builder.and(body_json(body));
        }
        let mut mock = builder
            .respond_with(Answerer {
                answer: self.answer,
                answered,
            })
            .named(Op::NAME);
        match self.times {
            // Expects no call: one that comes is answered, and fails the test.
            Some(0) => mock = mock.expect(0),
            Some(n) => mock = mock.up_to_n_times(n).expect(n),
            None => {}
        }
        mock.mount(&self.mock.server).await;
        lock(&self.mock.expected).push(expected);
    }
}

impl<'m, Op: Operation> IntoFuture for Expectation<'m, Op> {
    type Output = ();
    type IntoFuture = Pin<Box<dyn Future<Output = ()> + Send + 'm>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.set_up())
    }
}

/// What an expectation matches, kept to explain requests that match none.
#[derive(Debug)]
struct Expected {
    name: &'static str,
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
    times: Option<u64>,
    answered: Arc<AtomicU64>,
}

impl Expected {
    /// How `request` differs from this expectation, one phrase per difference.
    fn differences(&self, request: &Received, headers: &HeaderMap) -> Vec<String> {
        let mut found = Vec::new();
        if self.method != request.method {
            found.push(format!(
                "the method is {}, not {}",
                request.method, self.method
            ));
        }
        if self.path != request.path {
            found.push(format!("the path is {}, not {}", request.path, self.path));
        }
        for (name, value) in &self.query {
            if !request.query.iter().any(|(n, v)| n == name && v == value) {
                found.push(format!("the query has no {name}={value}"));
            }
        }
        for (name, value) in &self.headers {
            if headers.get(name).and_then(|v| v.to_str().ok()) != Some(value.as_str()) {
                found.push(format!("the header {name} is not {value:?}"));
            }
        }
        if let Some(body) = &self.body {
            found.extend(body_differences(body, request.body.as_ref()));
        }
        let answered = self.answered.load(Ordering::SeqCst);
        if found.is_empty() && self.times.is_some_and(|n| answered >= n) {
            found.push(format!(
                "it was answered {answered} time(s) already, as `.times({answered})` allows"
            ));
        }
        found
    }
}

/// The top-level fields in which a received body differs from the expected one.
fn body_differences(expected: &Value, received: Option<&Value>) -> Vec<String> {
    let Some(received) = received else {
        return vec!["there is no JSON body".to_string()];
    };
    match (expected, received) {
        (Value::Object(want), Value::Object(got)) => {
            let mut keys: Vec<&String> = want.keys().chain(got.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .filter(|k| want.get(*k) != got.get(*k))
                .map(|k| {
                    let show = |v: Option<&Value>| v.map_or("absent".into(), short);
                    format!(
                        "the body's `{k}` is {}, not {}",
                        show(got.get(k)),
                        show(want.get(k))
                    )
                })
                .collect()
        }
        _ if expected == received => Vec::new(),
        _ => vec![format!(
            "the body is {}, not {}",
            short(received),
            short(expected)
        )],
    }
}

/// A JSON value, cut to a readable length.
fn short(value: &Value) -> String {
    const MAX: usize = 80;
    let text = value.to_string();
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text,
    }
}

/// Answers the requests an expectation matches, counting them.
struct Answerer {
    answer: Answer,
    answered: Arc<AtomicU64>,
}

impl Respond for Answerer {
    fn respond(&self, _request: &wiremock::Request) -> ResponseTemplate {
        self.answered.fetch_add(1, Ordering::SeqCst);
        match &self.answer {
            Answer::Empty | Answer::Json(Ok(Value::Null)) => {
                ResponseTemplate::new(200).set_body_json(serde_json::json!({}))
            }
            Answer::Json(Ok(value)) => ResponseTemplate::new(200).set_body_json(value),
            Answer::Json(Err(why)) => error_answer(
                500,
                &format!("the expected answer cannot be written as JSON: {why}"),
            ),
            Answer::Error { status, message } => error_answer(*status, message),
        }
    }
}

/// The API's error answer: `status` and a `google.rpc.Status` body.
fn error_answer(status: u16, message: &str) -> ResponseTemplate {
    let code = Code::for_http_status(status);
    let body = serde_json::json!({"code": code.number(), "message": message, "details": []});
    ResponseTemplate::new(status).set_body_json(body)
}

/// Answers the requests no expectation matches: `501`, naming the closest
/// expectation and how the request differs from it.
struct Unmatched {
    expected: Arc<Mutex<Vec<Expected>>>,
}

impl Respond for Unmatched {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let received = Received::of(request);
        let message = unmatched_message(&received, &request.headers, &lock(&self.expected));
        error_answer(501, &message)
    }
}

/// Why `received` got no answer: the closest expectation (of the same
/// operation first, then with the fewest differences) and how it differs.
fn unmatched_message(received: &Received, headers: &HeaderMap, expected: &[Expected]) -> String {
    let operation = received.operation.unwrap_or("no operation of the API");
    let what = format!(
        "no expectation matches {} {} ({operation})",
        received.method, received.path
    );
    let closest = expected
        .iter()
        .map(|e| (e, e.differences(received, headers)))
        .min_by_key(|(e, differences)| (Some(e.name) != received.operation, differences.len()));
    match closest {
        None => format!("{what}: none is set"),
        Some((e, differences)) => format!(
            "{what}; the closest expectation, {} {} ({}), differs: {}",
            e.method,
            e.path,
            e.name,
            differences.join("; ")
        ),
    }
}

/// The list of expectations, even if a test panicked while holding it.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_filled_paths() {
        assert!(template_matches("/api/v1/apps/{id}", "/api/v1/apps/a%2Fb"));
        assert!(template_matches("/v1/{name}:cancel", "/v1/job-1:cancel"));
        assert!(!template_matches("/v1/{name}:cancel", "/v1/:cancel"));
        assert!(!template_matches("/api/v1/apps/{id}", "/api/v1/apps"));
        assert!(!template_matches("/api/v1/apps/{id}", "/api/v1/apps/a/b"));
        assert!(!template_matches("/api/v1/apps", "/api/v1/users"));
    }

    fn expected(name: &'static str, path: &str, body: Option<Value>) -> Expected {
        Expected {
            name,
            method: "POST".into(),
            path: path.into(),
            query: vec![("view".into(), "full".into())],
            headers: Vec::new(),
            body,
            times: None,
            answered: Arc::new(AtomicU64::new(0)),
        }
    }

    #[test]
    fn an_unmatched_request_names_the_closest_expectation_and_the_differences() {
        let received = Received {
            operation: Some("things.update"),
            method: "POST".into(),
            path: "/things/b".into(),
            query: vec![("view".into(), "full".into())],
            body: Some(serde_json::json!({"name": "new", "size": 1})),
        };
        let list = [
            expected("others.get", "/other/x", None),
            expected(
                "things.update",
                "/things/a",
                Some(serde_json::json!({"name": "old", "size": 1})),
            ),
        ];
        let message = unmatched_message(&received, &HeaderMap::new(), &list);
        assert_eq!(
            message,
            "no expectation matches POST /things/b (things.update); the closest expectation, \
             POST /things/a (things.update), differs: the path is /things/b, not /things/a; \
             the body's `name` is \"new\", not \"old\""
        );
        let none = unmatched_message(&received, &HeaderMap::new(), &[]);
        assert!(none.ends_with("none is set"), "{none}");
    }
}
