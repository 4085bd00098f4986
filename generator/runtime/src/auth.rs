//! Authentication: how each request proves who sends it.
//!
//! [`Credentials`] are what a client was given, checked once when given;
//! [`Auth`] is what they become when the client is built: nothing, a static
//! bearer token, or a [`TokenSource`] that gets access tokens from the
//! token endpoint (client credentials, or workload federation's OIDC token
//! exchange), caches them until shortly before they expire and, on
//! request, binds them to a DPoP key. Tokens are fetched through
//! [`send`](crate::send), never through the client.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::AUTHORIZATION;
use reqwest::{Method, RequestBuilder, StatusCode};
use url::Url;
use zeroize::Zeroizing;

use crate::credentials::ClientCredentials;
use crate::dpop::{Audience, DPOP, DpopKey};
use crate::error::{AuthError, Error, Result};
use crate::oauth::{MAX_TOKEN_LIFETIME, TokenAnswer, post_form, token_url, wants_dpop_nonce};
use crate::retry::Retries;
use crate::secret::Secret;
use crate::send::Transport;

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

/// The credentials a client was given ([`ClientBuilder`](crate::ClientBuilder)),
/// checked when given: a client secret is parsed once, here.
#[derive(Debug)]
pub(crate) enum Credentials {
    /// No `Authorization` header.
    None,
    /// A static access token.
    Bearer(Secret),
    /// Access tokens from the token endpoint.
    Grant(Grant),
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

impl Credentials {
    /// A static bearer token.
    pub(crate) fn bearer(token: Secret) -> Result<Self, String> {
        match token.is_blank() {
            true => Err("the bearer token is empty".into()),
            false => Ok(Credentials::Bearer(token)),
        }
    }

    /// A client id and its C1 client secret, parsed.
    pub(crate) fn client(id: &str, secret: &Secret) -> Result<Self, String> {
        if id.trim().is_empty() {
            return Err("the client id is empty".into());
        }
        if secret.is_blank() {
            return Err("the client secret is empty".into());
        }
        let credentials = ClientCredentials::parse(id, secret.expose())
            .map_err(|e| format!("invalid client secret: {e}"))?;
        Ok(Credentials::Grant(Grant::ClientCredentials(Box::new(
            credentials,
        ))))
    }

    /// A workload federation client and where its OIDC token comes from.
    pub(crate) fn federation(id: &str, oidc: OidcToken) -> Result<Self, String> {
        if id.trim().is_empty() {
            return Err("the client id is empty".into());
        }
        if let OidcToken::Fixed(token) = &oidc {
            if token.is_blank() {
                return Err("the OIDC token is empty".into());
            }
        }
        Ok(Credentials::Grant(Grant::Federation {
            client_id: id.trim().to_string(),
            oidc,
        }))
    }

    /// The client id, which names the tenant when nothing else does.
    pub(crate) fn client_id(&self) -> Option<&str> {
        match self {
            Credentials::Grant(grant) => Some(grant.client_id()),
            Credentials::None | Credentials::Bearer(_) => None,
        }
    }

    /// What `Debug` shows: nothing secret.
    pub(crate) fn describe(&self) -> String {
        match self {
            Credentials::None => "none".into(),
            Credentials::Bearer(_) => "bearer token <redacted>".into(),
            Credentials::Grant(grant) => grant.describe(),
        }
    }

    /// How a client of `base_url` authenticates; `dpop` binds its tokens
    /// to a new key.
    pub(crate) fn into_auth(self, dpop: bool, base_url: &Url) -> Result<Auth> {
        let grant = match self {
            Credentials::None | Credentials::Bearer(_) if dpop => {
                return Err(Error::Config(
                    "DPoP binds tokens from the token endpoint: use it with client credentials or workload federation".into(),
                ));
            }
            Credentials::None => return Ok(Auth::None),
            Credentials::Bearer(token) => return Ok(Auth::Bearer(token)),
            Credentials::Grant(grant) => grant,
        };
        let key = if dpop {
            Some(DpopKey::generate()?)
        } else {
            None
        };
        let source = TokenSource::new(grant, token_url(base_url)?, key)?;
        Ok(Auth::Token(Box::new(source)))
    }
}

const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const JWT_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";
const JWT_BEARER_ASSERTION: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

impl Grant {
    fn client_id(&self) -> &str {
        match self {
            Grant::ClientCredentials(credentials) => &credentials.client_id,
            Grant::Federation { client_id, .. } => client_id,
        }
    }

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
    pub(crate) async fn credential(&self, transport: &Transport) -> Result<Option<Credential<'_>>> {
        match self {
            Auth::None => Ok(None),
            Auth::Bearer(token) => Ok(Some(Credential {
                token: token.clone(),
                dpop: None,
            })),
            Auth::Token(source) => source.credential(transport).await.map(Some),
        }
    }

    /// Forgets `refused`, a token the server no longer accepts, if it is
    /// still the cached one (a newer token fetched meanwhile is kept);
    /// whether a new one can be fetched.
    pub(crate) async fn rejected(&self, refused: &Credential<'_>) -> bool {
        match self {
            Auth::Token(source) => {
                let mut cache = source.cache.lock().await;
                if cache.as_ref().is_some_and(|c| c.token == refused.token) {
                    *cache = None;
                }
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
#[derive(Debug)]
pub(crate) struct TokenSource {
    grant: Grant,
    token_url: Url,
    audience: String,
    dpop: Option<DpopKey>,
    cache: tokio::sync::Mutex<Option<CachedToken>>,
}

#[derive(Debug)]
struct CachedToken {
    token: Secret,
    /// Whether the token is DPoP-bound (`token_type: DPoP`).
    bound: bool,
    refresh_at: Instant,
}

impl TokenSource {
    /// Gets tokens from `token_url` as `grant` says; a client assertion's
    /// audience is the URL's host. With a DPoP key, each token request
    /// carries a proof.
    fn new(grant: Grant, token_url: Url, dpop: Option<DpopKey>) -> Result<Self> {
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
    async fn credential(&self, transport: &Transport) -> Result<Credential<'_>> {
        let mut cache = self.cache.lock().await;
        let cached = match cache.take() {
            Some(cached) if Instant::now() < cached.refresh_at => cached,
            _ => self.fetch(transport).await?,
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
    async fn fetch(&self, transport: &Transport) -> Result<CachedToken> {
        let mut nonce_retried = false;
        loop {
            // Asking for a token twice does no harm.
            let sending = transport.sending(Retries::Idempotent);
            let form = || self.grant.form(&self.audience);
            let response = post_form(&sending, &self.token_url, form, |builder| {
                let Some(key) = &self.dpop else {
                    return Ok(builder);
                };
                let proof = key.proof(
                    &Method::POST,
                    &self.token_url,
                    None,
                    Audience::TokenEndpoint,
                )?;
                Ok(builder.header(DPOP, proof))
            })
            .await?;
            let new_nonce = self
                .dpop
                .as_ref()
                .is_some_and(|key| key.remember_nonce(Audience::TokenEndpoint, &response.headers));
            if response.status == StatusCode::BAD_REQUEST
                && new_nonce
                && !nonce_retried
                && wants_dpop_nonce(&response.body)
            {
                nonce_retried = true;
                tracing::debug!("the token endpoint asked for a DPoP nonce; asking again");
                continue;
            }
            if response.status != StatusCode::OK {
                return Err(AuthError::rejected(response.status.as_u16(), &response.body).into());
            }
            return self.cached(TokenAnswer::parse(&response.body)?, Instant::now());
        }
    }

    /// The token of `answer`, received at `now`, as cached.
    fn cached(&self, answer: TokenAnswer, now: Instant) -> Result<CachedToken> {
        Ok(CachedToken {
            bound: self.dpop.is_some() && answer.token_type.eq_ignore_ascii_case("dpop"),
            refresh_at: refresh_at(now, answer.lifetime),
            token: answer.access_token,
        })
    }
}

/// When a token received at `now` and valid for `lifetime` is replaced: a
/// minute early, or halfway through a short lifetime. A token whose
/// lifetime the server did not give is kept until a 401 refuses it, for
/// [`MAX_TOKEN_LIFETIME`] at most.
fn refresh_at(now: Instant, lifetime: Option<Duration>) -> Instant {
    let lifetime = lifetime
        .unwrap_or(MAX_TOKEN_LIFETIME)
        .min(MAX_TOKEN_LIFETIME);
    let margin = (lifetime / 2).min(Duration::from_secs(60));
    now.checked_add(lifetime - margin).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_never_shown() {
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

    #[test]
    fn refresh_times_never_overflow_and_are_at_most_a_day_away() {
        let now = Instant::now();
        let day = MAX_TOKEN_LIFETIME - Duration::from_secs(60);
        assert_eq!(refresh_at(now, Some(Duration::MAX)), now + day);
        assert_eq!(
            refresh_at(now, None),
            now + day,
            "absent: until a 401, a day at most"
        );
        assert_eq!(refresh_at(now, Some(Duration::ZERO)), now);
        assert_eq!(
            refresh_at(now, Some(Duration::from_secs(3600))),
            now + Duration::from_secs(3540)
        );
        assert_eq!(
            refresh_at(now, Some(Duration::from_secs(30))),
            now + Duration::from_secs(15)
        );
    }
}
