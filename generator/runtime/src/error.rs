//! The client's error type.

use std::fmt;
use std::time::Duration;

/// Everything a call can fail with.
///
/// No variant holds a token or a client secret, so errors can be logged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client was configured with something unusable.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The request could not be sent or the response not read.
    #[error("request failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// No complete response arrived within the configured timeout.
    #[error("request timed out after {0:?}")]
    Timeout(Duration),
    /// No access token could be obtained.
    #[error("authentication failed: {0}")]
    Auth(String),
    /// The server answered with a status other than 2xx.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The request body could not be encoded as JSON.
    #[error("cannot encode the request body: {0}")]
    Encode(#[source] serde_json::Error),
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

/// How much of a body [`Error::Decode`] and [`ApiError::body`] keep.
pub const SNIPPET_CHARS: usize = 512;

/// A non-2xx answer from the API.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status code.
    pub status: u16,
    /// The error code of the server's JSON error body (a gRPC status code).
    pub code: Option<i64>,
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
    /// Reads an error response: the JSON error body when there is one, the
    /// raw text otherwise.
    pub(crate) fn new(status: u16, body: &[u8], request_id: Option<String>) -> Self {
        let parsed = serde_json::from_slice::<ErrorBody>(body)
            .ok()
            .filter(|b| b.code.is_some() || b.message.is_some());
        let (code, message, details, body) = match parsed {
            Some(b) => (b.code, b.message, b.details, String::new()),
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
}

/// The start of `body` as text, at most [`SNIPPET_CHARS`] characters.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(SNIPPET_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.into_owned(),
    }
}

/// Decodes a JSON response, naming the path that failed.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| Error::Decode {
        path: e.path().to_string(),
        message: e.inner().to_string(),
        snippet: snippet(body),
    })
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_error_bodies_are_decoded() {
        let e = ApiError::new(
            404,
            br#"{"code": 5, "message": "not found", "details": [{"@type": "x"}]}"#,
            Some("r-1".into()),
        );
        assert_eq!(
            (e.code, e.message.as_deref(), e.details.len()),
            (Some(5), Some("not found"), 1)
        );
        assert_eq!(e.body, "");
        assert_eq!(
            e.to_string(),
            "the API answered 404: not found (code 5) [request id r-1]"
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
