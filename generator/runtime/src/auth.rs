//! Authentication: a static bearer token, or C1 client credentials exchanged
//! for short-lived access tokens signed with the client's Ed25519 key.

use std::fmt;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer, SigningKey};
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde::Deserialize;
use url::Url;
use zeroize::Zeroizing;

use crate::client::{Inner, send_with_retry};
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

    /// `Bearer <token>` as a header value marked sensitive.
    fn bearer_header(&self) -> Result<HeaderValue> {
        let mut value = HeaderValue::try_from(format!("Bearer {}", self.expose()))
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

/// How requests are authenticated.
#[derive(Debug)]
pub(crate) enum Auth {
    /// No `Authorization` header.
    None,
    /// A static access token.
    Bearer(Secret),
    /// Access tokens obtained with client credentials, cached until shortly
    /// before they expire.
    ClientCredentials(Box<TokenSource>),
}

impl Auth {
    /// The `Authorization` header for the next request, fetching a token first if needed.
    pub(crate) async fn header(&self, inner: &Inner) -> Result<Option<HeaderValue>> {
        match self {
            Auth::None => Ok(None),
            Auth::Bearer(token) => token.bearer_header().map(Some),
            Auth::ClientCredentials(source) => source.token(inner).await?.bearer_header().map(Some),
        }
    }

    /// Forgets a cached token the server no longer accepts; whether a new
    /// one can be fetched (client credentials).
    pub(crate) async fn rejected(&self) -> bool {
        match self {
            Auth::ClientCredentials(source) => {
                *source.cache.lock().await = None;
                true
            }
            Auth::None | Auth::Bearer(_) => false,
        }
    }
}

/// The prefix and version of a C1 client secret.
const SECRET_PREFIX: &str = "secret-token";
const SECRET_VERSION: &str = "v1";

/// A client id and the Ed25519 key of its client secret.
pub(crate) struct ClientCredentials {
    client_id: String,
    key: SigningKey,
    kid: Option<String>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("key", &"<redacted>")
            .finish()
    }
}

/// The JSON Web Key inside a client secret.
#[derive(Deserialize)]
struct Jwk {
    kty: Option<String>,
    crv: Option<String>,
    d: Option<String>,
    x: Option<String>,
    kid: Option<String>,
}

impl ClientCredentials {
    /// Reads a client secret of the form
    /// `secret-token:conductorone.com:v1:<base64url JWK>`. Errors describe
    /// what is wrong without repeating the secret.
    pub(crate) fn parse(client_id: &str, secret: &str) -> Result<Self, String> {
        let parts: Vec<&str> = secret.trim().splitn(4, ':').collect();
        let [prefix, _, version, encoded] = parts.as_slice() else {
            return Err("expected `secret-token:conductorone.com:v1:<key>`".into());
        };
        if *prefix != SECRET_PREFIX || *version != SECRET_VERSION {
            return Err("expected `secret-token:conductorone.com:v1:<key>`".into());
        }
        let json = Zeroizing::new(
            URL_SAFE_NO_PAD
                .decode(encoded)
                .map_err(|_| "the key is not base64url".to_string())?,
        );
        let jwk: Jwk = serde_json::from_slice(&json)
            .map_err(|_| "the key is not a JSON Web Key".to_string())?;
        if jwk.kty.as_deref() != Some("OKP") || jwk.crv.as_deref() != Some("Ed25519") {
            return Err(format!(
                "the key is not an Ed25519 key (kty {}, crv {})",
                jwk.kty.as_deref().unwrap_or("missing"),
                jwk.crv.as_deref().unwrap_or("missing")
            ));
        }
        let d = jwk
            .d
            .as_deref()
            .ok_or("the key is public only (it has no private part `d`)")?;
        let d = Zeroizing::new(
            URL_SAFE_NO_PAD
                .decode(d)
                .map_err(|_| "the key's `d` is not base64url".to_string())?,
        );
        let bytes: &[u8; 32] = d
            .as_slice()
            .try_into()
            .map_err(|_| "the key's `d` is not 32 bytes".to_string())?;
        let key = SigningKey::from_bytes(bytes);
        if let Some(x) = &jwk.x {
            let public = URL_SAFE_NO_PAD
                .decode(x)
                .map_err(|_| "the key's `x` is not base64url".to_string())?;
            if public != key.verifying_key().as_bytes() {
                return Err("the key's public part `x` does not match its private part `d`".into());
            }
        }
        if client_id.trim().is_empty() {
            return Err("the client id is empty".into());
        }
        Ok(ClientCredentials {
            client_id: client_id.trim().to_string(),
            key,
            kid: jwk.kid,
        })
    }

    /// The public key, to check what was signed.
    #[cfg(test)]
    fn verifying_key(&self) -> ed25519_dalek::VerifyingKey {
        self.key.verifying_key()
    }

    /// A signed JWT client assertion (EdDSA) for `audience`, valid from two
    /// minutes before `now` to two minutes after, with a random nonce in its header.
    pub(crate) fn assertion(&self, audience: &str, now: SystemTime) -> Result<String> {
        let seconds = now
            .duration_since(UNIX_EPOCH)
            .map_err(|_| AuthError::new("the system clock is before 1970"))?
            .as_secs();
        let mut nonce = [0u8; 16];
        getrandom::getrandom(&mut nonce)
            .map_err(|e| AuthError::new(format!("no randomness for the assertion nonce: {e}")))?;
        let mut header =
            serde_json::json!({"alg": "EdDSA", "nonce": URL_SAFE_NO_PAD.encode(nonce)});
        if let Some(kid) = &self.kid {
            header["kid"] = kid.clone().into();
        }
        let claims = serde_json::json!({
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": audience,
            "iat": seconds,
            "nbf": seconds.saturating_sub(120),
            "exp": seconds + 120,
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = self.key.sign(signing_input.as_bytes());
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        ))
    }
}

/// Exchanges client credentials for access tokens and caches them.
#[derive(Debug)]
pub(crate) struct TokenSource {
    credentials: ClientCredentials,
    token_url: Url,
    audience: String,
    cache: tokio::sync::Mutex<Option<CachedToken>>,
}

#[derive(Debug)]
struct CachedToken {
    token: Secret,
    refresh_at: Instant,
}

/// The token endpoint's answer.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: u64,
}

impl TokenSource {
    /// Gets tokens from `token_url`; the assertion's audience is its host.
    pub(crate) fn new(credentials: ClientCredentials, token_url: Url) -> Result<Self> {
        let audience = token_url
            .host_str()
            .ok_or_else(|| Error::Config(format!("the token URL `{token_url}` has no host")))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        Ok(TokenSource {
            credentials,
            token_url,
            audience,
            cache: tokio::sync::Mutex::new(None),
        })
    }

    /// The client id.
    pub(crate) fn client_id(&self) -> &str {
        &self.credentials.client_id
    }

    /// A valid access token. Callers that arrive while a token is being
    /// fetched wait for that one: one token request, however many callers.
    async fn token(&self, inner: &Inner) -> Result<Secret> {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref().filter(|c| Instant::now() < c.refresh_at) {
            return Ok(cached.token.clone());
        }
        let fetched = self.fetch(inner).await?;
        let token = fetched.token.clone();
        *cache = Some(fetched);
        Ok(token)
    }

    async fn fetch(&self, inner: &Inner) -> Result<CachedToken> {
        let assertion = Secret::new(
            self.credentials
                .assertion(&self.audience, SystemTime::now())?,
        );
        let body = Zeroizing::new(
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("client_id", &self.credentials.client_id)
                .append_pair("grant_type", "client_credentials")
                .append_pair(
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                )
                .append_pair("client_assertion", assertion.expose())
                .finish(),
        );
        // Asking for a token twice does no harm.
        let sending = inner.sending(true);
        let response = send_with_retry(&sending, || {
            inner
                .request(
                    reqwest::Method::POST,
                    self.token_url.clone(),
                    sending.timeout,
                )
                .header(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                )
                .body(body.as_bytes().to_vec())
        })
        .await?;
        if response.status != reqwest::StatusCode::OK {
            return Err(AuthError::rejected(response.status.as_u16(), &response.body).into());
        }
        let answer: TokenResponse = serde_json::from_slice(&response.body).map_err(|e| {
            AuthError::new(format!("the token endpoint's answer is not a token: {e}"))
        })?;
        if answer.access_token.is_empty() {
            return Err(AuthError::new("the token endpoint returned an empty access token").into());
        }
        let lifetime = Duration::from_secs(answer.expires_in);
        // Refresh a minute early, or halfway through a short lifetime.
        let margin = (lifetime / 2).min(Duration::from_secs(60));
        Ok(CachedToken {
            token: Secret::new(answer.access_token),
            refresh_at: Instant::now() + lifetime - margin,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client secret for a fixed test key.
    pub(crate) fn secret_for(key: &SigningKey, kid: Option<&str>, with_d: bool) -> String {
        let mut jwk = serde_json::json!({
            "kty": "OKP",
            "crv": "Ed25519",
            "x": URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()),
        });
        if with_d {
            jwk["d"] = URL_SAFE_NO_PAD.encode(key.to_bytes()).into();
        }
        if let Some(kid) = kid {
            jwk["kid"] = kid.into();
        }
        format!(
            "secret-token:conductorone.com:v1:{}",
            URL_SAFE_NO_PAD.encode(jwk.to_string())
        )
    }

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    #[test]
    fn parses_a_client_secret() {
        let creds = ClientCredentials::parse(
            "robot@acme.conductor.one/pcc",
            &secret_for(&key(), Some("k1"), true),
        )
        .unwrap();
        assert_eq!(creds.client_id, "robot@acme.conductor.one/pcc");
        assert_eq!(creds.kid.as_deref(), Some("k1"));
        assert_eq!(creds.verifying_key(), key().verifying_key());
    }

    #[test]
    fn malformed_secrets_are_clear_errors_that_do_not_repeat_the_secret() {
        let good = secret_for(&key(), None, true);
        let encoded = good.rsplit(':').next().unwrap();
        let rsa = format!(
            "secret-token:conductorone.com:v1:{}",
            URL_SAFE_NO_PAD.encode(r#"{"kty":"RSA","n":"abc","e":"AQAB","d":"xyz"}"#)
        );
        let cases = [
            (
                "not-a-secret",
                "expected `secret-token:conductorone.com:v1:<key>`",
            ),
            (
                &format!("secret-token:conductorone.com:v2:{encoded}"),
                "expected `secret-token:conductorone.com:v1:<key>`",
            ),
            (
                "secret-token:conductorone.com:v1:%%%",
                "the key is not base64url",
            ),
            (
                &format!(
                    "secret-token:conductorone.com:v1:{}",
                    URL_SAFE_NO_PAD.encode("[1,2]")
                ),
                "the key is not a JSON Web Key",
            ),
            (&rsa, "the key is not an Ed25519 key (kty RSA, crv missing)"),
            (
                &secret_for(&key(), None, false),
                "the key is public only (it has no private part `d`)",
            ),
        ];
        for (secret, expected) in cases {
            let err = ClientCredentials::parse("id", secret).unwrap_err();
            assert_eq!(err, expected, "for {secret}");
            assert!(secret.len() < 20 || !err.contains(secret.rsplit(':').next().unwrap()));
        }
        let mismatched = {
            let mut jwk: serde_json::Value =
                serde_json::from_slice(&URL_SAFE_NO_PAD.decode(encoded).unwrap()).unwrap();
            jwk["x"] = URL_SAFE_NO_PAD
                .encode(SigningKey::from_bytes(&[8; 32]).verifying_key().as_bytes())
                .into();
            format!(
                "secret-token:conductorone.com:v1:{}",
                URL_SAFE_NO_PAD.encode(jwk.to_string())
            )
        };
        assert_eq!(
            ClientCredentials::parse("id", &mismatched).unwrap_err(),
            "the key's public part `x` does not match its private part `d`"
        );
    }

    #[test]
    fn debug_shows_no_key() {
        let creds = ClientCredentials::parse("id", &secret_for(&key(), None, true)).unwrap();
        let shown = format!("{creds:?}");
        assert!(
            shown.contains("<redacted>")
                && !shown.contains(&URL_SAFE_NO_PAD.encode(key().to_bytes()))
        );
        assert_eq!(format!("{:?}", Secret::new("s3cr3t".into())), "<redacted>");
    }

    #[test]
    fn assertion_is_a_signed_jwt_with_the_expected_claims() {
        use ed25519_dalek::Verifier;
        let creds =
            ClientCredentials::parse("robot@acme", &secret_for(&key(), Some("k1"), true)).unwrap();
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let jwt = creds.assertion("acme.conductor.one", now).unwrap();
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(header["alg"], "EdDSA");
        assert_eq!(header["kid"], "k1");
        assert_eq!(
            URL_SAFE_NO_PAD
                .decode(header["nonce"].as_str().unwrap())
                .unwrap()
                .len(),
            16
        );
        assert_eq!(
            claims,
            serde_json::json!({"iss": "robot@acme", "sub": "robot@acme", "aud": "acme.conductor.one",
                "iat": 1_700_000_000u64, "nbf": 1_699_999_880u64, "exp": 1_700_000_120u64})
        );
        let signature =
            ed25519_dalek::Signature::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
                .unwrap();
        let signed = format!("{}.{}", parts[0], parts[1]);
        key()
            .verifying_key()
            .verify(signed.as_bytes(), &signature)
            .unwrap();
        let again = creds.assertion("acme.conductor.one", now).unwrap();
        assert_ne!(
            jwt.split('.').next(),
            again.split('.').next(),
            "each assertion has a new nonce"
        );
    }
}
