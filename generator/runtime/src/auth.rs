//! Authentication: how each request proves who sends it.
//!
//! A static bearer token, or access tokens from the API's token endpoint
//! (client credentials, or workload federation's OIDC token exchange),
//! cached until shortly before they expire and, on request, bound to a
//! DPoP key.

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::Deserialize;
use url::Url;
use zeroize::Zeroizing;

use crate::client::{Inner, send_with_retry};
use crate::credentials::ClientCredentials;
use crate::dpop::{Audience, DPOP, DpopKey, token_endpoint_wants_nonce};
use crate::error::{AuthError, Error, Result};

/// Text that must never be shown: `Debug` prints `<redacted>`, and the
/// memory is wiped on drop.
#[derive(Clone)]
pub(crate) struct Secret(Zeroizing<String>);

impl Secret {
    pub(crate) fn new(text: String) -> Self {
        Secret(Zeroizing::new(text))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// `<scheme> <token>` as an `Authorization` value marked sensitive.
    fn authorization(&self, scheme: &str) -> Result<HeaderValue> {
        let mut value = HeaderValue::try_from(format!("{scheme} {}", self.expose()))
            .map_err(|_| AuthError::new("the access token is not a valid header value"))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Where workload federation's OIDC token comes from.
#[derive(Debug, Clone)]
pub(crate) enum OidcToken {
    /// A token given once.
    Fixed(Secret),
    /// A file read again for each exchange: Kubernetes and CI runners
    /// rotate the token in it.
    File(PathBuf),
}

impl OidcToken {
    /// The token to exchange now. The file is small and read in full.
    fn read(&self) -> Result<Secret> {
        let path = match self {
            OidcToken::Fixed(token) => return Ok(token.clone()),
            OidcToken::File(path) => path,
        };
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
            AuthError::new(format!(
                "cannot read the OIDC token file `{}`: {e}",
                path.display()
            ))
        })?);
        match text.trim() {
            "" => Err(
                AuthError::new(format!("the OIDC token file `{}` is empty", path.display())).into(),
            ),
            token => Ok(Secret::new(token.to_string())),
        }
    }
}

/// How the token endpoint is asked for a token.
#[derive(Debug)]
pub(crate) enum Grant {
    /// Client credentials: a JWT assertion signed with the secret's key.
    ClientCredentials(Box<ClientCredentials>),
    /// Workload federation: an OIDC token exchanged (RFC 8693) as the
    /// federation client `client_id` (`name@acme.conductor.one/wfe`).
    Federation { client_id: String, oidc: OidcToken },
}

const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const JWT_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";
const JWT_BEARER_ASSERTION: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

impl Grant {
    /// What the client's `Debug` shows: nothing secret.
    fn describe(&self) -> String {
        match self {
            Grant::ClientCredentials(c) => format!("client credentials of {}", c.client_id),
            Grant::Federation {
                client_id,
                oidc: OidcToken::Fixed(_),
            } => format!("workload federation as {client_id} (OIDC token <redacted>)"),
            Grant::Federation {
                client_id,
                oidc: OidcToken::File(path),
            } => format!(
                "workload federation as {client_id} (OIDC token read from {})",
                path.display()
            ),
        }
    }

    /// The token request's form, made anew for each request (assertions
    /// are single-use; the OIDC file may have been rotated).
    fn form(&self, audience: &str) -> Result<Zeroizing<String>> {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        match self {
            Grant::ClientCredentials(credentials) => {
                let assertion = Secret::new(credentials.assertion(audience, SystemTime::now())?);
                form.append_pair("client_id", &credentials.client_id)
                    .append_pair("grant_type", "client_credentials")
                    .append_pair("client_assertion_type", JWT_BEARER_ASSERTION)
                    .append_pair("client_assertion", assertion.expose());
            }
            Grant::Federation { client_id, oidc } => {
                let token = oidc.read()?;
                form.append_pair("grant_type", TOKEN_EXCHANGE)
                    .append_pair("subject_token", token.expose())
                    .append_pair("subject_token_type", JWT_TOKEN_TYPE)
                    .append_pair("client_id", client_id);
            }
        }
        Ok(Zeroizing::new(form.finish()))
    }
}

/// How requests are authenticated.
pub(crate) enum Auth {
    /// No `Authorization` header.
    None,
    /// A static access token.
    Bearer(Secret),
    /// Access tokens from the token endpoint.
    Token(Box<TokenSource>),
}

impl Auth {
    /// What the client's `Debug` shows: nothing secret.
    pub(crate) fn describe(&self) -> String {
        match self {
            Auth::None => "none".into(),
            Auth::Bearer(_) => "bearer token <redacted>".into(),
            Auth::Token(source) if source.dpop.is_some() => {
                format!("{}, DPoP", source.grant.describe())
            }
            Auth::Token(source) => source.grant.describe(),
        }
    }

    /// What authenticates the next request, fetching a token first if needed.
    pub(crate) async fn credential(&self, inner: &Inner) -> Result<Option<Credential<'_>>> {
        match self {
            Auth::None => Ok(None),
            Auth::Bearer(token) => Ok(Some(Credential {
                token: token.clone(),
                dpop: None,
            })),
            Auth::Token(source) => source.credential(inner).await.map(Some),
        }
    }

    /// Forgets a cached token the server no longer accepts; whether a new
    /// one can be fetched.
    pub(crate) async fn rejected(&self) -> bool {
        match self {
            Auth::Token(source) => {
                *source.cache.lock().await = None;
                true
            }
            Auth::None | Auth::Bearer(_) => false,
        }
    }

    /// The DPoP key, when tokens are bound to one.
    pub(crate) fn dpop(&self) -> Option<&DpopKey> {
        match self {
            Auth::Token(source) => source.dpop.as_ref(),
            Auth::None | Auth::Bearer(_) => None,
        }
    }
}

/// What authenticates one request: a token, and the DPoP key it is bound to.
pub(crate) struct Credential<'a> {
    token: Secret,
    dpop: Option<&'a DpopKey>,
}

impl Credential<'_> {
    /// The access token itself.
    pub(crate) fn token(&self) -> &str {
        self.token.expose()
    }

    /// Adds `Authorization: Bearer <token>`, or `Authorization: DPoP
    /// <token>` and a new proof for `method` and `url`.
    pub(crate) fn apply(
        &self,
        builder: RequestBuilder,
        method: &Method,
        url: &Url,
    ) -> Result<RequestBuilder> {
        let Some(key) = self.dpop else {
            return Ok(builder.header(AUTHORIZATION, self.token.authorization("Bearer")?));
        };
        let proof = key.proof(method, url, Some(self.token.expose()), Audience::Api)?;
        Ok(builder
            .header(AUTHORIZATION, self.token.authorization("DPoP")?)
            .header(DPOP, proof))
    }
}

/// Gets access tokens from the token endpoint and caches them.
pub(crate) struct TokenSource {
    grant: Grant,
    token_url: Url,
    audience: String,
    dpop: Option<DpopKey>,
    cache: tokio::sync::Mutex<Option<CachedToken>>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("grant", &self.grant.describe())
            .field("token_url", &self.token_url.as_str())
            .field("dpop", &self.dpop)
            .finish_non_exhaustive()
    }
}

struct CachedToken {
    token: Secret,
    /// Whether the token is DPoP-bound (`token_type: DPoP`).
    bound: bool,
    refresh_at: Instant,
}

/// The token endpoint's answer.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    token_type: String,
    #[serde(default)]
    expires_in: u64,
}

impl TokenSource {
    /// Gets tokens from `token_url` as `grant` says; a client assertion's
    /// audience is the URL's host. With a DPoP key, each token request
    /// carries a proof.
    pub(crate) fn new(grant: Grant, token_url: Url, dpop: Option<DpopKey>) -> Result<Self> {
        let audience = token_url
            .host_str()
            .ok_or_else(|| Error::Config(format!("the token URL `{token_url}` has no host")))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        Ok(TokenSource {
            grant,
            token_url,
            audience,
            dpop,
            cache: tokio::sync::Mutex::new(None),
        })
    }

    /// A valid token. Callers that arrive while a token is being fetched
    /// wait for that one: one token request, however many callers.
    async fn credential(&self, inner: &Inner) -> Result<Credential<'_>> {
        let mut cache = self.cache.lock().await;
        let cached = match cache.take() {
            Some(cached) if Instant::now() < cached.refresh_at => cached,
            _ => self.fetch(inner).await?,
        };
        let credential = Credential {
            token: cached.token.clone(),
            dpop: self.dpop.as_ref().filter(|_| cached.bound),
        };
        *cache = Some(cached);
        Ok(credential)
    }

    /// Asks the token endpoint for a token; once more with the server's
    /// nonce when it answers `use_dpop_nonce`.
    async fn fetch(&self, inner: &Inner) -> Result<CachedToken> {
        let mut nonce_retried = false;
        loop {
            let form = self.grant.form(&self.audience)?;
            // Asking for a token twice does no harm.
            let sending = inner.sending(true);
            let response = send_with_retry(&sending, || {
                let mut builder = inner
                    .request(Method::POST, self.token_url.clone(), sending.timeout)
                    .header(
                        CONTENT_TYPE,
                        HeaderValue::from_static("application/x-www-form-urlencoded"),
                    )
                    .body(form.as_bytes().to_vec());
                if let Some(key) = &self.dpop {
                    let proof = key.proof(
                        &Method::POST,
                        &self.token_url,
                        None,
                        Audience::TokenEndpoint,
                    )?;
                    builder = builder.header(DPOP, proof);
                }
                Ok(builder)
            })
            .await?;
            let new_nonce = self
                .dpop
                .as_ref()
                .is_some_and(|key| key.remember_nonce(Audience::TokenEndpoint, &response.headers));
            if response.status == StatusCode::BAD_REQUEST
                && new_nonce
                && !nonce_retried
                && token_endpoint_wants_nonce(&response.body)
            {
                nonce_retried = true;
                tracing::debug!("the token endpoint asked for a DPoP nonce; asking again");
                continue;
            }
            if response.status != StatusCode::OK {
                return Err(AuthError::rejected(response.status.as_u16(), &response.body).into());
            }
            return self.cached(&response.body);
        }
    }

    /// Reads the token endpoint's answer.
    fn cached(&self, body: &[u8]) -> Result<CachedToken> {
        let answer: TokenResponse = serde_json::from_slice(body).map_err(|e| {
            AuthError::new(format!("the token endpoint's answer is not a token: {e}"))
        })?;
        let token = Secret::new(answer.access_token);
        if token.expose().is_empty() {
            return Err(AuthError::new("the token endpoint returned an empty access token").into());
        }
        let lifetime = Duration::from_secs(answer.expires_in);
        // Refresh a minute early, or halfway through a short lifetime.
        let margin = (lifetime / 2).min(Duration::from_secs(60));
        Ok(CachedToken {
            token,
            bound: self.dpop.is_some() && answer.token_type.eq_ignore_ascii_case("dpop"),
            refresh_at: Instant::now() + lifetime - margin,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_never_shown() {
        assert_eq!(format!("{:?}", Secret::new("s3cr3t".into())), "<redacted>");
        let oidc = OidcToken::Fixed(Secret::new("eyJ.oidc.jwt".into()));
        assert!(!format!("{oidc:?}").contains("eyJ"));
        let grant = Grant::Federation {
            client_id: "fox@acme.conductor.one/wfe".into(),
            oidc,
        };
        assert_eq!(
            grant.describe(),
            "workload federation as fox@acme.conductor.one/wfe (OIDC token <redacted>)"
        );
        assert!(!format!("{grant:?}").contains("eyJ"));
    }

    #[test]
    fn the_exchange_form_has_exactly_the_four_fields() {
        let grant = Grant::Federation {
            client_id: "fox@acme.conductor.one/wfe".into(),
            oidc: OidcToken::Fixed(Secret::new("eyJ.a.b".into())),
        };
        let form = grant.form("acme.conductor.one").unwrap();
        let fields: Vec<(String, String)> = url::form_urlencoded::parse(form.as_bytes())
            .into_owned()
            .collect();
        let expected = [
            ("grant_type", TOKEN_EXCHANGE),
            ("subject_token", "eyJ.a.b"),
            ("subject_token_type", JWT_TOKEN_TYPE),
            ("client_id", "fox@acme.conductor.one/wfe"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(fields, expected);
    }

    #[test]
    fn an_unreadable_or_empty_token_file_is_a_clear_error() {
        let missing = OidcToken::File("/nonexistent/c1/token".into());
        let error = missing.read().unwrap_err().to_string();
        assert!(
            error.contains("cannot read the OIDC token file `/nonexistent/c1/token`: "),
            "{error}"
        );
        let dir = std::env::temp_dir().join(format!("c1-oidc-empty-{}", std::process::id()));
        std::fs::write(&dir, " \n").unwrap();
        let error = OidcToken::File(dir.clone()).read().unwrap_err().to_string();
        std::fs::remove_file(&dir).unwrap();
        assert!(error.ends_with("` is empty"), "{error}");
    }
}
