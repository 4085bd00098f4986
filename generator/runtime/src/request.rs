//! Request encoding: one request as the generated operations describe it
//! (path, query, headers, cookies, body), the options a call adds, and the
//! request shown without being sent ([`DryRun`]).

use std::fmt;
use std::time::Duration;

use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;
use url::Url;

use crate::error::{Error, Result};
use crate::retry::RetryPolicy;

/// What one call changes from the client's configuration.
#[derive(Clone, Default)]
pub(crate) struct Options {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// A header given that is not valid; reported when the call is sent.
    pub(crate) error: Option<String>,
    /// Leave a successful response's body unread, for [`Call::stream`](crate::Call::stream).
    pub(crate) stream: bool,
}

impl fmt::Debug for Options {
    /// Header values are not shown: they may carry credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Options")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("headers", &headers)
            .finish()
    }
}

/// How a secret is shown.
const REDACTED: &str = "<redacted>";

/// Headers whose values are credentials, whatever the caller marked.
fn sensitive(name: &str) -> bool {
    [
        "authorization",
        "proxy-authorization",
        "cookie",
        "dpop",
        "x-api-key",
    ]
    .contains(&name)
}

/// A request as it would be sent ([`Call::dry_run`](crate::Call::dry_run)):
/// credentials are `<redacted>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DryRun {
    /// The HTTP method (`GET`).
    pub method: String,
    /// The whole URL, query included.
    pub url: String,
    /// The headers, by lower-case name, in the order they would be sent.
    pub headers: Vec<(String, String)>,
    /// The body's bytes, if it has one.
    pub body: Option<Vec<u8>>,
}

impl fmt::Display for DryRun {
    /// As HTTP writes it: the request line, the headers, a blank line and
    /// the body (as text, where it is text).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method, self.url)?;
        for (name, value) in &self.headers {
            writeln!(f, "{name}: {value}")?;
        }
        if let Some(body) = &self.body {
            match std::str::from_utf8(body) {
                Ok(text) => write!(f, "\n{text}")?,
                Err(_) => write!(f, "\n<{} bytes>", body.len())?,
            }
        }
        Ok(())
    }
}

/// One request, as the generated operations describe it.
#[doc(hidden)]
pub struct Request {
    method: Method,
    template: &'static str,
    segments: Vec<String>,
    query: Vec<(&'static str, String)>,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// The `Cookie` header's pairs.
    cookies: Vec<String>,
    /// The body's content type and bytes.
    body: Option<(HeaderValue, Vec<u8>)>,
    /// The media type asked for.
    accept: HeaderValue,
    error: Option<Error>,
}

impl Request {
    /// A request to the path `template`, filled in as `segments`, each
    /// percent-encoded as one path segment. A parameter that would not stay
    /// one segment (empty, `.` or `..`, which URLs drop or read as a step
    /// up, even percent-encoded) fails the call before anything is sent.
    #[allow(dead_code)] // Unused in a crate of models only (no operations).
    pub(crate) fn new(method: Method, template: &'static str, segments: &[&str]) -> Self {
        let error = moved_segment(template, segments).map(Error::Argument);
        Request {
            method,
            template,
            segments: segments.iter().map(|s| s.to_string()).collect(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            accept: HeaderValue::from_static("application/json"),
            error,
        }
    }

    /// Adds a query parameter; `None` adds nothing, a list adds the name once per item.
    #[allow(dead_code)] // Used by operations with query parameters.
    pub(crate) fn query(mut self, name: &'static str, value: &impl Serialize) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => push_query(&mut self.query, name, value),
            Err(e) => self.error = Some(Error::Encode(e)),
        }
        self
    }

    /// Adds a header parameter; `None` adds nothing. The value is sent as
    /// text (numbers and booleans as JSON writes them, a list's items
    /// separated by commas).
    #[allow(dead_code)] // Used by operations with header parameters.
    pub(crate) fn header(mut self, name: &'static str, value: &impl Serialize) -> Self {
        let text = match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => return self,
            Ok(serde_json::Value::Array(items)) if items.is_empty() => return self,
            Ok(value) => plain_text(value),
            Err(e) => {
                self.error = Some(Error::Encode(e));
                return self;
            }
        };
        match header_pair(name, &text) {
            Ok(pair) => self.headers.push(pair),
            Err(message) => self.error = Some(Error::Config(message)),
        }
        self
    }

    /// Adds a cookie parameter; `None` adds nothing.
    #[allow(dead_code)] // Used by operations with cookie parameters.
    pub(crate) fn cookie(mut self, name: &'static str, value: &impl Serialize) -> Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => {}
            Ok(value) => self.cookies.push(format!("{name}={}", plain_text(value))),
            Err(e) => self.error = Some(Error::Encode(e)),
        }
        self
    }

    /// Sets a JSON body.
    #[allow(dead_code)] // Used by operations with JSON bodies.
    pub(crate) fn json(self, body: &impl Serialize) -> Self {
        self.json_as("application/json", body)
    }

    /// Sets a JSON body sent as another JSON media type (`application/merge-patch+json`).
    #[allow(dead_code)] // Used by operations with JSON bodies.
    pub(crate) fn json_as(mut self, media: &'static str, body: &impl Serialize) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => match media_type(media) {
                Ok(media) => self.body = Some((media, bytes)),
                Err(e) => self.error = Some(e),
            },
            Err(e) => self.error = Some(Error::Encode(e)),
        }
        self
    }

    /// Sets an `application/x-www-form-urlencoded` body.
    #[allow(dead_code)] // Used by operations with form bodies.
    pub(crate) fn form(mut self, body: crate::body::Form) -> Self {
        match body.finish() {
            Ok(bytes) => {
                let media = HeaderValue::from_static("application/x-www-form-urlencoded");
                self.body = Some((media, bytes));
            }
            Err(e) => self.error = Some(Error::Encode(e)),
        }
        self
    }

    /// Sets a `multipart/form-data` body.
    #[allow(dead_code)] // Used by operations with multipart bodies.
    pub(crate) fn multipart(mut self, body: crate::body::Multipart) -> Self {
        match body.finish() {
            Ok((media, bytes)) => match HeaderValue::from_str(&media) {
                Ok(media) => self.body = Some((media, bytes)),
                Err(_) => {
                    self.error = Some(Error::Config(format!("invalid content type `{media}`")))
                }
            },
            Err(e) => self.error = Some(Error::Encode(e)),
        }
        self
    }

    /// Sets a body of bytes (or text) of the media type `media`.
    #[allow(dead_code)] // Used by operations with binary or text bodies.
    pub(crate) fn bytes(mut self, media: &'static str, body: impl Into<Vec<u8>>) -> Self {
        match media_type(media) {
            Ok(media) => self.body = Some((media, body.into())),
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// Asks for a response of the media type `media` rather than JSON.
    #[allow(dead_code)] // Used by operations that answer with bytes or text.
    pub(crate) fn accept(mut self, media: &'static str) -> Self {
        match media_type(media) {
            Ok(media) => self.accept = media,
            Err(e) => self.error = Some(e),
        }
        self
    }
}

/// What the client reads of a request to send it.
impl Request {
    /// The request, or why it cannot be sent (an argument that could not
    /// be encoded).
    pub(crate) fn checked(mut self) -> Result<Self> {
        match self.error.take() {
            Some(error) => Err(error),
            None => Ok(self),
        }
    }

    /// Its HTTP method.
    pub(crate) fn method(&self) -> &Method {
        &self.method
    }

    /// Its path template (`/api/v1/apps/{id}`), for traces.
    pub(crate) fn template(&self) -> &'static str {
        self.template
    }

    /// Its URL on the server `base`.
    pub(crate) fn url(&self, base: &Url) -> Url {
        endpoint(base, &self.segments, &self.query)
    }

    /// Adds what the request carries (accept, its headers, then `extra`,
    /// cookies and body) to `builder`.
    pub(crate) fn encode(
        &self,
        mut builder: reqwest::RequestBuilder,
        extra: &[(HeaderName, HeaderValue)],
    ) -> Result<reqwest::RequestBuilder> {
        builder = builder.header(reqwest::header::ACCEPT, self.accept.clone());
        for (name, value) in self.headers.iter().chain(extra) {
            builder = builder.header(name.clone(), value.clone());
        }
        if let Some(cookie) = self.cookie_header()? {
            builder = builder.header(reqwest::header::COOKIE, cookie);
        }
        if let Some((media, body)) = &self.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, media.clone())
                .body(body.clone());
        }
        Ok(builder)
    }

    /// The request as [`encode`](Self::encode) would send it to `base`,
    /// after the headers `first` (accept, user agent, credentials, already
    /// shown as they may be), with sensitive values `<redacted>`.
    pub(crate) fn dry_run(
        self,
        base: &Url,
        first: Vec<(String, String)>,
        options: &Options,
    ) -> Result<DryRun> {
        let request = self.checked()?;
        if let Some(message) = &options.error {
            return Err(Error::Config(message.clone()));
        }
        let text = |v: &HeaderValue| String::from_utf8_lossy(v.as_bytes()).into_owned();
        let mut headers = vec![("accept".to_string(), text(&request.accept))];
        headers.extend(first);
        for (name, value) in request.headers.iter().chain(&options.headers) {
            let shown = match sensitive(name.as_str()) {
                true => REDACTED.to_string(),
                false => text(value),
            };
            headers.push((name.as_str().to_string(), shown));
        }
        if request.cookie_header()?.is_some() {
            headers.push(("cookie".into(), REDACTED.into()));
        }
        let url = request.url(base).to_string();
        let body = request.body.map(|(media, bytes)| {
            headers.push(("content-type".into(), text(&media)));
            bytes
        });
        Ok(DryRun {
            method: request.method.to_string(),
            url,
            headers,
            body,
        })
    }
}

/// What the mock server (the `testing` feature) reads of a request.
#[cfg(feature = "testing")]
impl Request {
    /// Why the request cannot be sent, if it cannot.
    pub(crate) fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// Its query parameters, in order.
    pub(crate) fn query_pairs(&self) -> Vec<(String, String)> {
        let pairs = self.query.iter();
        pairs.map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    /// Its headers, as text.
    pub(crate) fn header_pairs(&self) -> Vec<(String, String)> {
        let text = |v: &HeaderValue| String::from_utf8_lossy(v.as_bytes()).into_owned();
        let pairs = self.headers.iter();
        pairs
            .map(|(k, v)| (k.as_str().to_string(), text(v)))
            .collect()
    }

    /// Its body.
    pub(crate) fn body(&self) -> Option<&[u8]> {
        self.body.as_ref().map(|(_, bytes)| bytes.as_slice())
    }
}

impl Request {
    /// The `Cookie` header of its cookie parameters, if it has any.
    fn cookie_header(&self) -> Result<Option<HeaderValue>> {
        if self.cookies.is_empty() {
            return Ok(None);
        }
        let (_, value) = header_pair("cookie", &self.cookies.join("; ")).map_err(Error::Config)?;
        Ok(Some(value))
    }
}

/// A header as sent, marked sensitive; when either part is not valid in a
/// header, a message that does not repeat the value (it may be a secret).
pub(crate) fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    match (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(value),
    ) {
        (Ok(name), Ok(mut value)) => {
            value.set_sensitive(true);
            Ok((name, value))
        }
        _ => Err(format!(
            "the value of the `{name}` header is not a valid header value"
        )),
    }
}

/// A media type from the spec as a header value; one that cannot be (the
/// spec's content type is not valid in a header) fails the call.
fn media_type(media: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(media).map_err(|_| {
        Error::Config(format!(
            "the content type `{media}` is not a valid header value"
        ))
    })
}

/// A header or cookie value as text: a string as it is, a list's items
/// separated by commas (OpenAPI's `simple` style), anything else as JSON.
fn plain_text(value: serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text,
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.into_iter().map(plain_text).collect();
            items.join(",")
        }
        other => other.to_string(),
    }
}

fn push_query(
    query: &mut Vec<(&'static str, String)>,
    name: &'static str,
    value: serde_json::Value,
) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::String(s) => query.push((name, s)),
        serde_json::Value::Array(items) => items
            .into_iter()
            .for_each(|item| push_query(query, name, item)),
        other => query.push((name, other.to_string())),
    }
}

/// Why a path parameter of `segments` would not reach the server as the one
/// segment `template` has for it: empty (`/apps/` is another path), `.` or
/// `..` (a URL drops them or steps up, and `%2E` is the same to every URL
/// parser and most servers). `None` when every segment stays.
fn moved_segment(template: &str, segments: &[&str]) -> Option<String> {
    let names = template.trim_start_matches('/').split('/');
    names.zip(segments).find_map(|(name, value)| {
        let name = name.strip_prefix('{')?.strip_suffix('}')?;
        let why = match *value {
            "" => "is empty",
            "." | ".." => "would move the request to another path",
            _ => return None,
        };
        Some(format!(
            "the path parameter `{name}` is `{value}`, which {why}; refused before anything was sent"
        ))
    })
}

/// The URL of `segments` under `base`; every segment is percent-encoded, so
/// an id with `/`, `?`, `#` or `%` stays one segment.
fn endpoint(base: &Url, segments: &[String], query: &[(&str, String)]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(base: &str, segments: &[&str]) -> String {
        let segments: Vec<String> = segments.iter().map(|s| s.to_string()).collect();
        endpoint(&Url::parse(base).unwrap(), &segments, &[]).to_string()
    }

    #[test]
    fn path_parameters_stay_in_their_segment() {
        let id = "a/b?c#d%e f-ü";
        assert_eq!(
            url(
                "https://acme.conductor.one",
                &["api", "v1", "iam", "personal_clients", id]
            ),
            "https://acme.conductor.one/api/v1/iam/personal_clients/a%2Fb%3Fc%23d%25e%20f-%C3%BC"
        );
    }

    #[test]
    fn a_path_parameter_that_would_not_stay_one_segment_is_refused() {
        for value in ["", ".", ".."] {
            let request = Request::new(
                Method::GET,
                "/api/v1/apps/{id}",
                &["api", "v1", "apps", value],
            );
            let Some(Error::Argument(message)) = request.error else {
                panic!("`{value}` was not refused");
            };
            assert!(message.contains(&format!("`id` is `{value}`")), "{message}");
        }
        for value in ["...", ".a", "a.", "%2E"] {
            let request = Request::new(Method::GET, "/apps/{id}", &["apps", value]);
            assert!(request.error.is_none(), "{value}");
        }
        // Part of a segment, they stay in it.
        let request = Request::new(Method::GET, "/files/{id}.json", &["files", "..json"]);
        assert!(request.error.is_none());
    }

    #[test]
    fn base_url_paths_are_kept() {
        assert_eq!(
            url("http://127.0.0.1:8080/prefix/", &["api", "x"]),
            "http://127.0.0.1:8080/prefix/api/x"
        );
        assert_eq!(
            url("http://127.0.0.1:8080", &["api"]),
            "http://127.0.0.1:8080/api"
        );
    }

    #[test]
    fn a_content_type_that_is_no_header_value_fails_the_call_without_a_panic() {
        let request = Request::new(Method::POST, "/p", &[]).bytes("text/\u{1}plain", b"x".to_vec());
        assert!(matches!(request.error, Some(Error::Config(_))));
        let request = Request::new(Method::GET, "/p", &[]).accept("a\nb");
        assert!(matches!(request.error, Some(Error::Config(_))));
        let request = Request::new(Method::GET, "/p", &[]).accept("image/png");
        assert_eq!(request.accept, "image/png");
    }

    #[test]
    fn query_values_are_flattened() {
        let request = Request::new(Method::GET, "/p", &[])
            .query("a", &Some(3))
            .query("b", &None::<i32>)
            .query("c", &vec!["x", "y"])
            .query("d", &"z w");
        assert_eq!(
            request.query,
            [
                ("a", "3".to_string()),
                ("c", "x".into()),
                ("c", "y".into()),
                ("d", "z w".into())
            ]
        );
        let url = endpoint(
            &Url::parse("http://h").unwrap(),
            &["p".to_string()],
            &request.query,
        );
        assert_eq!(url.as_str(), "http://h/p?a=3&c=x&c=y&d=z+w");
    }
}
