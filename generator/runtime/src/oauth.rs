//! What every sign-in shares with the OAuth 2.0 token endpoint and the
//! device login: the form POST, the token URL, the token answer and OAuth
//! error bodies. Numbers a server sends are read leniently and clamped, so
//! that no answer can make the client panic or poll forever.

use std::time::Duration;

use reqwest::Method;
use reqwest::RequestBuilder;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde::Deserialize;
use url::Url;
use zeroize::Zeroizing;

use crate::error::{AuthError, Error, Result};
use crate::secret::Secret;
use crate::send::{RawResponse, Sending};

/// The longest a token is kept: a server's longer `expires_in` (or none)
/// is read as this.
pub(crate) const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The token endpoint on the server `base`.
pub(crate) fn token_url(base: &Url) -> Result<Url> {
    let path = crate::spec::TOKEN_URL
        .ok_or_else(|| Error::Config("the API describes no token URL".into()))?;
    base.join(path)
        .map_err(|e| Error::Config(format!("invalid token URL `{path}`: {e}")))
}

/// Posts an `application/x-www-form-urlencoded` form to `url`. The form
/// and the extra headers are made anew for each attempt, since client
/// assertions and DPoP proofs are single-use.
pub(crate) async fn post_form(
    sending: &Sending<'_>,
    url: &Url,
    form: impl Fn() -> Result<Zeroizing<String>>,
    headers: impl Fn(RequestBuilder) -> Result<RequestBuilder>,
) -> Result<RawResponse> {
    sending
        .send(|| {
            let body = form()?;
            let builder = sending
                .request(Method::POST, url.clone())
                .header(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                )
                .body(body.as_bytes().to_vec());
            headers(builder)
        })
        .await
}

/// The token endpoint's answer.
pub(crate) struct TokenAnswer {
    pub(crate) access_token: Secret,
    /// `Bearer`, or `DPoP` for a bound token.
    pub(crate) token_type: String,
    /// How long the token is valid, at most [`MAX_TOKEN_LIFETIME`]; `None`
    /// when the server did not say.
    pub(crate) lifetime: Option<Duration>,
}

impl TokenAnswer {
    /// Reads a successful answer; an empty token is an error.
    pub(crate) fn parse(body: &[u8]) -> Result<Self> {
        #[derive(Deserialize)]
        struct Answer {
            access_token: Secret,
            #[serde(default)]
            token_type: Option<String>,
            #[serde(default, deserialize_with = "seconds")]
            expires_in: Option<u64>,
        }
        let answer: Answer = serde_json::from_slice(body).map_err(|e| {
            AuthError::new(format!("the token endpoint's answer is not a token: {e}"))
        })?;
        if answer.access_token.is_blank() {
            return Err(AuthError::new("the token endpoint returned an empty access token").into());
        }
        Ok(TokenAnswer {
            access_token: answer.access_token,
            token_type: answer.token_type.unwrap_or_default(),
            lifetime: answer
                .expires_in
                .map(|s| clamp_seconds(s, MAX_TOKEN_LIFETIME)),
        })
    }
}

/// `seconds` as a duration of at most `max`.
pub(crate) fn clamp_seconds(seconds: u64, max: Duration) -> Duration {
    Duration::from_secs(seconds).min(max)
}

/// A number of seconds as servers write it: an integer, a float, a
/// negative number (read as 0), a numeric string or null (read as absent).
/// Anything else is absent too: a lifetime is advice, not worth failing
/// a sign-in over.
pub(crate) fn seconds<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u64>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(value.as_ref().and_then(seconds_of))
}

/// [`seconds`] for fields that are `0` when absent.
pub(crate) fn seconds_or_zero<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<u64, D::Error> {
    seconds(deserializer).map(Option::unwrap_or_default)
}

fn seconds_of(value: &serde_json::Value) -> Option<u64> {
    match value {
        serde_json::Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_i64().map(|_| 0))
            .or_else(|| n.as_f64().map(|f| f.clamp(0.0, u64::MAX as f64) as u64)),
        serde_json::Value::String(text) => text
            .trim()
            .parse::<serde_json::Number>()
            .ok()
            .and_then(|n| seconds_of(&serde_json::Value::Number(n))),
        _ => None,
    }
}

/// The `error` of an OAuth error body (`{"error": "slow_down"}`).
pub(crate) fn oauth_error(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct OAuthError {
        error: String,
    }
    serde_json::from_slice::<OAuthError>(body)
        .ok()
        .map(|e| e.error)
}

/// Whether a token endpoint's error body is `{"error": "use_dpop_nonce"}`.
pub(crate) fn wants_dpop_nonce(body: &[u8]) -> bool {
    oauth_error(body).as_deref() == Some("use_dpop_nonce")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lifetimes_are_read_leniently_and_clamped() {
        let lifetime = |json: &str| TokenAnswer::parse(json.as_bytes()).unwrap().lifetime;
        let day = Some(MAX_TOKEN_LIFETIME);
        assert_eq!(
            lifetime(r#"{"access_token":"t","expires_in":60}"#),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            lifetime(r#"{"access_token":"t","expires_in":18446744073709551615}"#),
            day
        );
        assert_eq!(lifetime(r#"{"access_token":"t","expires_in":1e300}"#), day);
        assert_eq!(
            lifetime(r#"{"access_token":"t","expires_in":-5}"#),
            Some(Duration::ZERO)
        );
        assert_eq!(
            lifetime(r#"{"access_token":"t","expires_in":"90"}"#),
            Some(Duration::from_secs(90))
        );
        assert_eq!(lifetime(r#"{"access_token":"t","expires_in":null}"#), None);
        assert_eq!(lifetime(r#"{"access_token":"t"}"#), None);
        assert_eq!(lifetime(r#"{"access_token":"t","expires_in":[1]}"#), None);
        let empty = TokenAnswer::parse(br#"{"access_token":" "}"#)
            .err()
            .unwrap();
        assert!(empty.to_string().contains("empty access token"), "{empty}");
    }

    #[test]
    fn oauth_errors_are_read() {
        assert_eq!(
            oauth_error(br#"{"error":"slow_down"}"#).as_deref(),
            Some("slow_down")
        );
        assert_eq!(oauth_error(b"<html>"), None);
        assert!(wants_dpop_nonce(br#"{"error":"use_dpop_nonce"}"#));
        assert!(!wants_dpop_nonce(br#"{"error":"invalid_grant"}"#));
        assert!(!wants_dpop_nonce(b"oops"));
    }

    /// A JSON number or string as a server might send it for a lifetime.
    fn any_seconds() -> impl Strategy<Value = Option<serde_json::Value>> {
        prop_oneof![
            Just(None),
            any::<u64>().prop_map(|n| Some(n.into())),
            any::<i64>().prop_map(|n| Some(n.into())),
            any::<f64>().prop_map(|f| Some(serde_json::json!(f))),
            any::<i64>().prop_map(|n| Some(n.to_string().into())),
        ]
    }

    proptest! {
        #[test]
        fn no_token_answer_panics(expires_in in any_seconds(), token_type in any::<Option<String>>()) {
            let mut answer = serde_json::json!({"access_token": "t", "token_type": token_type});
            if let Some(expires_in) = expires_in {
                answer["expires_in"] = expires_in;
            }
            let parsed = TokenAnswer::parse(answer.to_string().as_bytes()).unwrap();
            prop_assert!(parsed.lifetime.is_none_or(|l| l <= MAX_TOKEN_LIFETIME));
        }
    }
}
