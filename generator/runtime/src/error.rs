//! The client's error type.

use std::fmt;
use std::time::Duration;

/// Everything a call can fail with.
///
/// No variant holds a token or a client secret, so errors can be logged.
/// Ask it simple questions with [`status`](Self::status),
/// [`is_not_found`](Self::is_not_found), [`is_retryable`](Self::is_retryable)
/// and [`request_id`](Self::request_id).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client was configured with something unusable.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// An argument of the call cannot be sent as it is (a path parameter
    /// that would change the path: empty, `.` or `..`). Nothing was sent.
    #[error("invalid argument: {0}")]
    Argument(String),
    /// The request could not be sent or the response not read. The
    /// message says why: connection refused, DNS lookup failed, TLS
    /// problem, timed out...
    ///
    /// The message names the cause, so `source()` is `None`: error chains
    /// (`{:#}`, anyhow) show each cause once.
    #[error("{}", transport_message(.0))]
    Transport(reqwest::Error),
    /// No complete response arrived within the configured timeout.
    #[error("request timed out after {0:?}")]
    Timeout(Duration),
    /// No access token could be obtained.
    #[error("{0}")]
    Auth(Box<AuthError>),
    /// The server answered with a status other than 2xx.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A paginated operation answered with a page token it had given
    /// before: following it would repeat pages forever, so the page stream
    /// ends with this error (after the pages already read).
    #[error(
        "`{operation}` answered with the page token `{token}` a second time; paging stopped, as the server would repeat its pages forever"
    )]
    RepeatedPageToken {
        /// The operation, such as `apps.list`.
        operation: &'static str,
        /// The repeated token (at most 100 characters of it).
        token: String,
    },
    /// [`Call::poll_until`](crate::Call::poll_until) timed out (its
    /// [`WaitError`](crate::WaitError) holds the last answer).
    #[error("{}", Error::timed_out_waiting(operation, *waited, *calls))]
    WaitTimedOut {
        /// The operation, such as `task.get`.
        operation: &'static str,
        /// How long it waited.
        waited: Duration,
        /// How many calls were sent.
        calls: u32,
    },
    /// The request body could not be encoded as JSON.
    /// The message names the cause (`source()` is `None`).
    #[error("cannot encode the request body: {0}")]
    Encode(serde_json::Error),
    /// The response body was not the JSON the spec describes.
    #[error("cannot decode the response body at `{path}`: {message} (body starts: {snippet})")]
    Decode {
        /// Where in the JSON decoding failed, such as `list[0].createdAt`.
        path: String,
        /// What was wrong there.
        message: String,
        /// The start of the body, at most [`SNIPPET_CHARS`] characters.
        snippet: String,
    },
}

impl Error {
    /// The HTTP status of the API's answer this error comes from. A
    /// sign-in that failed has none here, even when the token endpoint
    /// answered (a wrong tenant's 404 is not "the object is absent"): see
    /// [`auth_error`](Self::auth_error).
    pub fn status(&self) -> Option<u16> {
        self.api_error().map(|e| e.status)
    }

    /// Why signing in failed, when it did: its message and the token
    /// endpoint's status and answer.
    pub fn auth_error(&self) -> Option<&AuthError> {
        match self {
            Error::Auth(e) => Some(e),
            _ => None,
        }
    }

    /// The API's error, when the server answered with one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The gRPC code of the API's error body.
    pub fn code(&self) -> Option<Code> {
        self.api_error().and_then(|e| e.code)
    }

    /// Whether the API answered that the thing asked for does not exist
    /// (404, or the code `NOT_FOUND`). Never true of a failed sign-in.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404) || self.code() == Some(Code::NotFound)
    }

    /// Whether trying again later may succeed: connection failures,
    /// timeouts, and the answers 429, 502, 503 and 504 (the API's or the
    /// token endpoint's). Whether *this client* retried is up to the
    /// [`RetryPolicy`](crate::RetryPolicy) and the operation.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_connect() || e.is_timeout() || e.is_request(),
            Error::Timeout(_) => true,
            Error::Api(e) => crate::retry::retryable_status(e.status),
            Error::Auth(e) => e.status.is_some_and(crate::retry::retryable_status),
            Error::Config(_)
            | Error::Argument(_)
            | Error::Encode(_)
            | Error::Decode { .. }
            | Error::RepeatedPageToken { .. }
            | Error::WaitTimedOut { .. } => false,
        }
    }

    /// The message of a wait that timed out.
    pub(crate) fn timed_out_waiting(operation: &str, waited: Duration, calls: u32) -> String {
        let calls = match calls {
            1 => "1 call, which did not".to_string(),
            n => format!("{n} calls, none did"),
        };
        format!(
            "waited {:.1} s for `{operation}` to give the awaited answer; {calls}",
            waited.as_secs_f64()
        )
    }

    /// The `x-request-id` of the API's answer, for support requests.
    pub fn request_id(&self) -> Option<&str> {
        self.api_error().and_then(|e| e.request_id.as_deref())
    }
}

/// `request to <url> failed: <why> (<the innermost cause>)`. reqwest's own
/// message names only the URL; the cause is at the end of its source chain.
fn transport_message(e: &reqwest::Error) -> String {
    let target = e.url().map(|url| {
        let mut url = url.clone();
        url.set_query(None);
        url.set_fragment(None);
        format!(" to {url}")
    });
    let mut causes: Vec<String> = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !text.is_empty() && !causes.iter().any(|c| c.contains(&text)) {
            causes.push(text);
        }
        source = cause.source();
    }
    let innermost = causes.last().cloned().unwrap_or_else(|| e.to_string());
    let target = target.unwrap_or_default();
    // The kind in a few words, then the innermost cause, unless that
    // already says it (`connection refused (os error 111)`): once each.
    let Some(kind) = transport_kind(e, &causes) else {
        return format!("request{target} failed: {innermost}");
    };
    let said = innermost.to_lowercase().starts_with(kind);
    match innermost.get(kind.len()..).filter(|_| said) {
        Some(rest) => format!("request{target} failed: {kind}{rest}"),
        None => format!("request{target} failed: {kind} ({innermost})"),
    }
}

/// What kind of failure a transport error is, in a few words.
fn transport_kind(e: &reqwest::Error, causes: &[String]) -> Option<&'static str> {
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return Some("connection refused"),
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
                    return Some("connection reset");
                }
                std::io::ErrorKind::TimedOut => return Some("timed out"),
                _ => {}
            }
        }
        source = cause.source();
    }
    let said = |words: &[&str]| {
        causes.iter().any(|c| {
            let c = c.to_ascii_lowercase();
            words.iter().any(|w| c.contains(w))
        })
    };
    if e.is_timeout() {
        Some("timed out")
    } else if said(&[
        "dns error",
        "failed to lookup address",
        "name or service not known",
    ]) {
        Some("DNS lookup failed")
    } else if said(&[
        "certificate",
        "tls",
        "handshake",
        "corrupt message",
        "invalidcontenttype",
    ]) {
        Some("TLS problem")
    } else if e.is_connect() {
        Some("cannot connect")
    } else if e.is_body() || e.is_decode() {
        Some("the response could not be read")
    } else {
        None
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

impl From<AuthError> for Error {
    fn from(e: AuthError) -> Self {
        Error::Auth(Box::new(e))
    }
}

/// How much of a body [`Error::Decode`] and [`ApiError::body`] keep.
pub const SNIPPET_CHARS: usize = 512;

/// A non-2xx answer from the API.
///
/// Build one in tests with [`ApiError::new`] (from a status and a body, as
/// the client does) or [`ApiError::from_code`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status code.
    pub status: u16,
    /// The code of the server's JSON error body.
    pub code: Option<Code>,
    /// The message of the server's JSON error body.
    pub message: Option<String>,
    /// The details of the server's JSON error body.
    pub details: Vec<serde_json::Value>,
    /// The body as text (at most [`SNIPPET_CHARS`] characters), for bodies
    /// that are not a JSON error.
    pub body: String,
    /// The `x-request-id` response header, for support requests.
    pub request_id: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API answered {}", self.status)?;
        match (&self.message, self.code) {
            (Some(message), Some(code)) => write!(f, ": {message} (code {code})")?,
            (Some(message), None) => write!(f, ": {message}")?,
            _ if !self.body.is_empty() => write!(f, ": {}", self.body)?,
            _ => {}
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

/// The JSON error body of the API (`google.rpc.Status`).
#[derive(serde::Deserialize)]
struct ErrorBody {
    code: Option<i64>,
    message: Option<String>,
    #[serde(default)]
    details: Vec<serde_json::Value>,
}

impl ApiError {
    /// Reads an error response as the client does: the JSON error body
    /// (`{"code": 5, "message": "..."}`) when there is one, the raw text
    /// otherwise.
    pub fn new(status: u16, body: &[u8], request_id: Option<String>) -> Self {
        let parsed = serde_json::from_slice::<ErrorBody>(body)
            .ok()
            .filter(|b| b.code.is_some() || b.message.is_some());
        let (code, message, details, body) = match parsed {
            Some(b) => (b.code.map(Code::from), b.message, b.details, String::new()),
            None => (None, None, Vec::new(), snippet(body)),
        };
        ApiError {
            status,
            code,
            message,
            details,
            body,
            request_id,
        }
    }

    /// The error the API answers with for `code`: its usual HTTP status and
    /// `message`.
    pub fn from_code(code: Code, message: impl Into<String>) -> Self {
        ApiError {
            status: code.http_status(),
            code: Some(code),
            message: Some(message.into()),
            details: Vec::new(),
            body: String::new(),
            request_id: None,
        }
    }

    /// The same error with this request id.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }
}

/// The code of an API error body: a gRPC status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// 0: not an error.
    Ok,
    /// 1: the operation was cancelled.
    Cancelled,
    /// 2: an unknown error.
    Unknown,
    /// 3: the request is invalid.
    InvalidArgument,
    /// 4: the deadline passed first.
    DeadlineExceeded,
    /// 5: the thing asked for does not exist.
    NotFound,
    /// 6: it exists already.
    AlreadyExists,
    /// 7: the caller may not do this.
    PermissionDenied,
    /// 8: a quota or rate limit is used up.
    ResourceExhausted,
    /// 9: the system is not in a state that allows this.
    FailedPrecondition,
    /// 10: a concurrency conflict.
    Aborted,
    /// 11: past the valid range.
    OutOfRange,
    /// 12: not implemented or supported.
    Unimplemented,
    /// 13: an internal error.
    Internal,
    /// 14: the service is unavailable for now.
    Unavailable,
    /// 15: unrecoverable data loss.
    DataLoss,
    /// 16: the request has no valid credentials.
    Unauthenticated,
    /// A code outside the list.
    Other(i64),
}

/// The codes in number order, from 0, with their gRPC names.
const CODES: [(Code, &str); 17] = [
    (Code::Ok, "OK"),
    (Code::Cancelled, "CANCELLED"),
    (Code::Unknown, "UNKNOWN"),
    (Code::InvalidArgument, "INVALID_ARGUMENT"),
    (Code::DeadlineExceeded, "DEADLINE_EXCEEDED"),
    (Code::NotFound, "NOT_FOUND"),
    (Code::AlreadyExists, "ALREADY_EXISTS"),
    (Code::PermissionDenied, "PERMISSION_DENIED"),
    (Code::ResourceExhausted, "RESOURCE_EXHAUSTED"),
    (Code::FailedPrecondition, "FAILED_PRECONDITION"),
    (Code::Aborted, "ABORTED"),
    (Code::OutOfRange, "OUT_OF_RANGE"),
    (Code::Unimplemented, "UNIMPLEMENTED"),
    (Code::Internal, "INTERNAL"),
    (Code::Unavailable, "UNAVAILABLE"),
    (Code::DataLoss, "DATA_LOSS"),
    (Code::Unauthenticated, "UNAUTHENTICATED"),
];

impl From<i64> for Code {
    fn from(n: i64) -> Self {
        usize::try_from(n)
            .ok()
            .and_then(|i| CODES.get(i))
            .map_or(Code::Other(n), |(code, _)| *code)
    }
}

impl Code {
    /// Its number.
    pub fn number(self) -> i64 {
        match self {
            Code::Other(n) => n,
            known => CODES.iter().position(|(c, _)| *c == known).unwrap_or(0) as i64,
        }
    }

    /// Its name, as gRPC writes it (`NOT_FOUND`); `OTHER` for codes outside the list.
    pub fn as_str(self) -> &'static str {
        CODES
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("OTHER", |(_, name)| name)
    }

    /// The code of an error answered with an HTTP `status`: the first code
    /// gRPC-gateway answers with it, [`Internal`](Code::Internal) for 500,
    /// [`Unknown`](Code::Unknown) for statuses it does not use.
    pub fn for_http_status(status: u16) -> Code {
        if status == Code::Internal.http_status() {
            return Code::Internal;
        }
        CODES
            .iter()
            .map(|(code, _)| *code)
            .find(|code| code.http_status() == status)
            .unwrap_or(Code::Unknown)
    }

    /// The HTTP status gRPC-gateway answers with for this code.
    pub fn http_status(self) -> u16 {
        match self {
            Code::Ok => 200,
            Code::Cancelled => 499,
            Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => 400,
            Code::DeadlineExceeded => 504,
            Code::NotFound => 404,
            Code::AlreadyExists | Code::Aborted => 409,
            Code::PermissionDenied => 403,
            Code::ResourceExhausted => 429,
            Code::Unimplemented => 501,
            Code::Unavailable => 503,
            Code::Unauthenticated => 401,
            Code::Unknown | Code::Internal | Code::DataLoss | Code::Other(_) => 500,
        }
    }
}

impl fmt::Display for Code {
    /// `NOT_FOUND (5)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.as_str(), self.number())
    }
}

/// Why no access token could be obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthError {
    /// What went wrong.
    pub message: String,
    /// The token endpoint's HTTP status, when it answered.
    pub status: Option<u16>,
    /// The start of the token endpoint's answer (at most [`SNIPPET_CHARS`]
    /// characters), when it was an error. It never holds the client secret,
    /// which is never sent.
    pub body: String,
}

impl AuthError {
    /// An error with this message and no answer from the token endpoint.
    pub fn new(message: impl Into<String>) -> Self {
        AuthError {
            message: message.into(),
            status: None,
            body: String::new(),
        }
    }

    /// An error answer of the token endpoint.
    pub fn rejected(status: u16, body: &[u8]) -> Self {
        AuthError {
            message: format!("the token endpoint answered {status}"),
            status: Some(status),
            body: snippet(body),
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "authentication failed: {}", self.message)?;
        if !self.body.is_empty() {
            write!(f, ": {}", self.body)?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {}

/// The start of `body` as text, at most [`SNIPPET_CHARS`] characters.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(SNIPPET_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.into_owned(),
    }
}

/// Decodes a JSON response, naming the path that failed.
#[allow(dead_code)] // Used by operations that answer with JSON.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T> {
    decode_json(body)
}

/// Decodes `json` as `T` the way the client decodes answers: a failure is
/// [`Error::Decode`], which names the path where decoding stopped
/// (`list[0].createdAt`, `.` for the whole value).
///
/// The path is read back from the text at the position serde_json gives,
/// rather than tracked while decoding: tracking it would be a second copy
/// of every model's decoding in each binary.
pub fn decode_json<T: serde::de::DeserializeOwned>(json: &[u8]) -> Result<T> {
    serde_json::from_slice(json).map_err(|e| decode_error(json, &e))
}

/// The [`Error::Decode`] of `error`, met decoding `body`.
fn decode_error(body: &[u8], error: &serde_json::Error) -> Error {
    Error::Decode {
        path: json_path(body, offset(body, error.line(), error.column())),
        message: error.to_string(),
        snippet: snippet(body),
    }
}

/// The byte offset of serde_json's 1-based `line` and its `column` (the
/// bytes of that line read before the error).
fn offset(body: &[u8], line: usize, column: usize) -> usize {
    let start = match line {
        0 | 1 => 0,
        n => body
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(n - 2)
            .map_or(body.len(), |(i, _)| i + 1),
    };
    (start + column).min(body.len())
}

/// One level of JSON being read: an object and its current key, or an
/// array and its current index.
enum Level {
    Object(Option<String>),
    Array(usize),
}

/// The path (`list[0].id`) of the value being read at byte `end` of the
/// JSON text `body`: its text is scanned up to there, keeping the key or
/// index of each open object and array.
fn json_path(body: &[u8], end: usize) -> String {
    let mut levels: Vec<Level> = Vec::new();
    let mut key_next = false;
    let mut i = 0;
    while i < end {
        match body[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < body.len() && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
                if key_next {
                    let quoted = &body[start..(i + 1).min(body.len())];
                    let key = serde_json::from_slice::<String>(quoted)
                        .unwrap_or_else(|_| String::from_utf8_lossy(quoted).into_owned());
                    if let Some(Level::Object(current)) = levels.last_mut() {
                        *current = Some(key);
                    }
                    key_next = false;
                }
            }
            b'{' => {
                levels.push(Level::Object(None));
                key_next = true;
            }
            b'[' => levels.push(Level::Array(0)),
            b'}' | b']' => {
                levels.pop();
            }
            b',' => match levels.last_mut() {
                Some(Level::Object(_)) => key_next = true,
                Some(Level::Array(index)) => *index += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for level in &levels {
        match level {
            Level::Object(Some(key)) if path.is_empty() => path.push_str(key),
            Level::Object(Some(key)) => {
                path.push('.');
                path.push_str(key);
            }
            Level::Object(None) => {}
            Level::Array(index) => path.push_str(&format!("[{index}]")),
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// Decodes a text response, which must be UTF-8.
#[allow(dead_code)] // Used by operations that answer with text.
pub(crate) fn decode_text(body: &[u8]) -> Result<String> {
    String::from_utf8(body.to_vec()).map_err(|e| Error::Decode {
        path: String::new(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
        snippet: snippet(body),
    })
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The path read back from the text is the one of the value that failed,
    /// at any depth, after strings holding brackets, commas and escapes,
    /// and on later lines.
    #[test]
    fn decode_errors_name_the_path_read_back_from_the_text() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            list: Vec<Item>,
            #[serde(default)]
            tags: std::collections::BTreeMap<String, u8>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            id: String,
            #[serde(default)]
            n: u8,
        }
        let path = |json: &str| match decode_json::<Page>(json.as_bytes()) {
            Err(Error::Decode { path, .. }) => path,
            other => panic!("{json}: {other:?}"),
        };
        assert_eq!(path(r#"{"list": [{"id": 7}]}"#), "list[0].id");
        assert_eq!(
            path(r#"{"list": [{"id": "a,[{\"}"}, {"id": "b", "n": 300}]}"#),
            "list[1].n"
        );
        assert_eq!(
            path("{\n  \"list\": [\n    {\"id\": \"a\"},\n    {}\n  ]\n}"),
            "list[1]"
        );
        assert_eq!(path(r#"{"list": [], "tags": {"x.y": -1}}"#), "tags.x.y");
        assert_eq!(
            path(r#"{"list": [], "tags": {"a": 1, "b\u0041": "no"}}"#),
            "tags.bA"
        );
        assert_eq!(path(r#"{"tags": {}}"#), ".");
        assert_eq!(path(r#""page""#), ".");
        assert!(
            path(r#"{"list": [{"id": "a"}"#).starts_with("list"),
            "a cut answer"
        );
    }

    #[test]
    fn json_error_bodies_are_decoded() {
        let e = ApiError::new(
            404,
            br#"{"code": 5, "message": "not found", "details": [{"@type": "x"}]}"#,
            Some("r-1".into()),
        );
        assert_eq!(
            (e.code, e.message.as_deref(), e.details.len()),
            (Some(Code::NotFound), Some("not found"), 1)
        );
        assert_eq!(e.body, "");
        assert_eq!(
            e.to_string(),
            "the API answered 404: not found (code NOT_FOUND (5)) [request id r-1]"
        );
        let error = Error::from(e);
        assert!(error.is_not_found() && !error.is_retryable());
        assert_eq!(
            (error.status(), error.request_id()),
            (Some(404), Some("r-1"))
        );
    }

    #[test]
    fn other_bodies_are_kept_as_text() {
        let e = ApiError::new(502, b"<html>bad gateway</html>", None);
        assert_eq!((e.code, e.message.clone()), (None, None));
        assert_eq!(e.body, "<html>bad gateway</html>");
        assert_eq!(
            e.to_string(),
            "the API answered 502: <html>bad gateway</html>"
        );
        let e = ApiError::new(500, br#"{"unrelated": true}"#, None);
        assert_eq!(e.body, r#"{"unrelated": true}"#);
    }

    #[test]
    fn statuses_map_back_to_codes() {
        let codes =
            [400, 401, 403, 404, 409, 429, 499, 500, 501, 503, 504, 418].map(Code::for_http_status);
        assert_eq!(
            codes,
            [
                Code::InvalidArgument,
                Code::Unauthenticated,
                Code::PermissionDenied,
                Code::NotFound,
                Code::AlreadyExists,
                Code::ResourceExhausted,
                Code::Cancelled,
                Code::Internal,
                Code::Unimplemented,
                Code::Unavailable,
                Code::DeadlineExceeded,
                Code::Unknown,
            ]
        );
        // Each code but the fallback is answered with a status that gives it back.
        for code in &codes[..codes.len() - 1] {
            assert_eq!(Code::for_http_status(code.http_status()), *code);
        }
    }

    #[test]
    fn codes_round_trip_and_map_to_statuses() {
        for n in -1..=17 {
            assert_eq!(Code::from(n).number(), n);
        }
        assert_eq!(Code::from(16), Code::Unauthenticated);
        assert_eq!(Code::from(99), Code::Other(99));
        assert_eq!(Code::Unavailable.to_string(), "UNAVAILABLE (14)");
        let e = ApiError::from_code(Code::Unavailable, "later").with_request_id("r");
        assert_eq!((e.status, e.request_id.as_deref()), (503, Some("r")));
        assert!(Error::from(e).is_retryable());
        let e = Error::from(ApiError::from_code(Code::NotFound, "gone"));
        assert!(e.is_not_found());
        assert_eq!(e.code(), Some(Code::NotFound));
    }

    #[test]
    fn auth_errors_keep_the_token_endpoints_answer() {
        let e = Error::from(AuthError::rejected(
            503,
            br#"{"error":"temporarily_unavailable"}"#,
        ));
        assert_eq!(e.auth_error().and_then(|a| a.status), Some(503));
        assert_eq!(e.status(), None, "the API did not answer");
        assert!(e.is_retryable());
        let wrong_tenant = Error::from(AuthError::rejected(404, b"no such tenant"));
        assert!(
            !wrong_tenant.is_not_found(),
            "a sign-in failure is not an absent object"
        );
        assert_eq!(wrong_tenant.status(), None);
        assert_eq!(
            e.to_string(),
            r#"authentication failed: the token endpoint answered 503: {"error":"temporarily_unavailable"}"#
        );
        assert!(!Error::from(AuthError::new("bad key")).is_retryable());
    }

    #[test]
    fn an_encoding_failure_names_its_cause_once() {
        let map = std::collections::HashMap::from([((1, 2), 3)]);
        let e = Error::Encode(serde_json::to_vec(&map).unwrap_err());
        assert_eq!(
            e.to_string(),
            "cannot encode the request body: key must be a string"
        );
        assert!(
            std::error::Error::source(&e).is_none(),
            "said in the message"
        );
    }

    #[test]
    fn snippets_are_bounded_on_a_char_boundary() {
        let long = "é".repeat(SNIPPET_CHARS + 10);
        let s = snippet(long.as_bytes());
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
    }

    #[test]
    fn decode_errors_name_the_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            n: i32,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            list: Vec<Item>,
        }
        let err = decode::<Page>(br#"{"list": [{"n": 1}, {"n": "x"}]}"#).unwrap_err();
        let Error::Decode { path, snippet, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(path, "list[1].n");
        assert_eq!(snippet, r#"{"list": [{"n": 1}, {"n": "x"}]}"#);
        assert!(
            err.to_string()
                .starts_with("cannot decode the response body at `list[1].n`: invalid type"),
            "{err}"
        );
    }
}
