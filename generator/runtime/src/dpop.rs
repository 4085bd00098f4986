//! DPoP (RFC 9449): proofs that bind access tokens to a key the client
//! holds, so that a stolen token is useless without it.
//!
//! The key is a fresh Ed25519 key made when the client is built; it lives
//! only in memory and is never sent (only its public half, in each proof).
//! It is not the client secret's key: that key is an identity kept for
//! years, while a proof is sent with every request and may be logged by a
//! proxy; a separate key also serves workload federation, which has no key
//! of its own. Tokens last minutes and a client gets new ones with its key,
//! so nothing needs the key to outlive the client.

use std::fmt;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::SigningKey;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderValue, WWW_AUTHENTICATE};
use sha2::{Digest, Sha256};
use url::Url;

use crate::credentials::compact_jws;
use crate::error::{AuthError, Result};

/// The header a proof is sent in, and the header a server sends a nonce in.
pub(crate) const DPOP: &str = "dpop";
const DPOP_NONCE: &str = "dpop-nonce";

/// Which server a proof is for: each keeps its own nonce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    /// The token endpoint (authorization server).
    TokenEndpoint,
    /// The API (resource server).
    Api,
}

/// A DPoP key and the nonces the servers last gave.
pub(crate) struct DpopKey {
    key: SigningKey,
    /// The public key as a JWK, in each proof's header.
    jwk: serde_json::Value,
    token_nonce: Mutex<Option<String>>,
    api_nonce: Mutex<Option<String>>,
}

impl fmt::Debug for DpopKey {
    /// Shows the public key's thumbprint only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DpopKey")
            .field("jkt", &self.thumbprint())
            .finish_non_exhaustive()
    }
}

impl DpopKey {
    /// A new random key.
    pub(crate) fn generate() -> Result<Self> {
        let mut seed = zeroize::Zeroizing::new([0u8; 32]);
        getrandom::getrandom(seed.as_mut())
            .map_err(|e| AuthError::new(format!("no randomness for a DPoP key: {e}")))?;
        Ok(Self::from_key(SigningKey::from_bytes(&seed)))
    }

    fn from_key(key: SigningKey) -> Self {
        let x = URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes());
        DpopKey {
            key,
            jwk: serde_json::json!({"crv": "Ed25519", "kty": "OKP", "x": x}),
            token_nonce: Mutex::new(None),
            api_nonce: Mutex::new(None),
        }
    }

    /// The JWK SHA-256 thumbprint (RFC 7638) of the public key: what the
    /// server binds tokens to (`cnf.jkt`).
    pub(crate) fn thumbprint(&self) -> String {
        // The required members in lexicographic order, no whitespace.
        let canonical = format!(
            r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
            self.jwk["x"].as_str().unwrap_or_default()
        );
        URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
    }

    /// A proof for one request: `typ: dpop+jwt`, the public key, a new
    /// `jti`, `htm`, `htu` (without query and fragment), `iat`, the
    /// server's last nonce, and `ath` (the token's hash) when a token is
    /// sent. The header value is marked sensitive.
    pub(crate) fn proof(
        &self,
        method: &Method,
        url: &Url,
        access_token: Option<&str>,
        audience: Audience,
    ) -> Result<HeaderValue> {
        let proof = self.sign(method, url, access_token, audience, SystemTime::now())?;
        let mut value = HeaderValue::try_from(proof)
            .map_err(|_| AuthError::new("a DPoP proof is not a valid header value"))?;
        value.set_sensitive(true);
        Ok(value)
    }

    fn sign(
        &self,
        method: &Method,
        url: &Url,
        access_token: Option<&str>,
        audience: Audience,
        now: SystemTime,
    ) -> Result<String> {
        let iat = now
            .duration_since(UNIX_EPOCH)
            .map_err(|_| AuthError::new("the system clock is before 1970"))?
            .as_secs();
        let mut jti = [0u8; 16];
        getrandom::getrandom(&mut jti)
            .map_err(|e| AuthError::new(format!("no randomness for a DPoP proof: {e}")))?;
        let header = serde_json::json!({"typ": "dpop+jwt", "alg": "EdDSA", "jwk": self.jwk});
        let mut claims = serde_json::json!({
            "jti": URL_SAFE_NO_PAD.encode(jti),
            "htm": method.as_str(),
            "htu": htu(url),
            "iat": iat,
        });
        if let Some(nonce) = self.nonce(audience) {
            claims["nonce"] = nonce.into();
        }
        if let Some(token) = access_token {
            claims["ath"] = URL_SAFE_NO_PAD
                .encode(Sha256::digest(token.as_bytes()))
                .into();
        }
        Ok(compact_jws(&self.key, &header, &claims))
    }

    fn slot(&self, audience: Audience) -> &Mutex<Option<String>> {
        match audience {
            Audience::TokenEndpoint => &self.token_nonce,
            Audience::Api => &self.api_nonce,
        }
    }

    fn nonce(&self, audience: Audience) -> Option<String> {
        let slot = self.slot(audience).lock();
        slot.unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Keeps the nonce of a response's `DPoP-Nonce` header for later
    /// proofs to `audience`; whether there was one.
    pub(crate) fn remember_nonce(&self, audience: Audience, headers: &HeaderMap) -> bool {
        let Some(nonce) = headers.get(DPOP_NONCE).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let mut slot = self
            .slot(audience)
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        *slot = Some(nonce.trim().to_string());
        true
    }
}

/// `htu`: the request URL without its query and fragment.
fn htu(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.to_string()
}

/// Whether an API's 401 asks for a proof with a nonce:
/// `WWW-Authenticate: DPoP error="use_dpop_nonce"`.
pub(crate) fn api_wants_nonce(headers: &HeaderMap) -> bool {
    headers.get_all(WWW_AUTHENTICATE).iter().any(|value| {
        let text = value.to_str().unwrap_or_default();
        let scheme = text.trim_start().get(..4).unwrap_or_default();
        scheme.eq_ignore_ascii_case("dpop")
            && text
                .replace(' ', "")
                .to_ascii_lowercase()
                .contains("error=\"use_dpop_nonce\"")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::Verifier;

    fn decode(part: &str) -> serde_json::Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    }

    #[test]
    fn a_proof_is_a_signed_dpop_jwt_with_every_claim() {
        let key = DpopKey::from_key(SigningKey::from_bytes(&[9; 32]));
        let url = Url::parse("https://acme.conductor.one/api/v1/apps?page_size=5#top").unwrap();
        let now = UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let proof = key
            .sign(&Method::GET, &url, Some("tok"), Audience::Api, now)
            .unwrap();
        let parts: Vec<&str> = proof.split('.').collect();
        let (header, claims) = (decode(parts[0]), decode(parts[1]));
        assert_eq!(header["typ"], "dpop+jwt");
        assert_eq!(header["alg"], "EdDSA");
        assert_eq!(header["jwk"], key.jwk);
        assert!(header["jwk"].get("d").is_none(), "only the public key");
        assert_eq!(claims["htm"], "GET");
        assert_eq!(claims["htu"], "https://acme.conductor.one/api/v1/apps");
        assert_eq!(claims["iat"], 1_700_000_000u64);
        assert_eq!(
            claims["ath"],
            URL_SAFE_NO_PAD.encode(Sha256::digest(b"tok")),
            "ath is the token's SHA-256"
        );
        assert!(claims.get("nonce").is_none());
        let signature =
            ed25519_dalek::Signature::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
                .unwrap();
        key.key
            .verifying_key()
            .verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature)
            .unwrap();
        let again = key
            .sign(&Method::GET, &url, Some("tok"), Audience::Api, now)
            .unwrap();
        assert_ne!(
            decode(again.split('.').nth(1).unwrap())["jti"],
            claims["jti"]
        );
    }

    #[test]
    fn nonces_are_kept_per_server() {
        let key = DpopKey::from_key(SigningKey::from_bytes(&[9; 32]));
        let mut headers = HeaderMap::new();
        headers.insert(DPOP_NONCE, HeaderValue::from_static("n-1"));
        assert!(key.remember_nonce(Audience::TokenEndpoint, &headers));
        assert!(!key.remember_nonce(Audience::Api, &HeaderMap::new()));
        let url = Url::parse("https://h/auth/v1/token").unwrap();
        let claims = |audience| {
            let proof = key
                .sign(&Method::POST, &url, None, audience, SystemTime::now())
                .unwrap();
            decode(proof.split('.').nth(1).unwrap())
        };
        assert_eq!(claims(Audience::TokenEndpoint)["nonce"], "n-1");
        assert!(claims(Audience::Api).get("nonce").is_none());
        assert!(claims(Audience::TokenEndpoint).get("ath").is_none());
    }

    #[test]
    fn the_thumbprint_follows_rfc_7638() {
        // RFC 8037, appendix A.3: the thumbprint of its Ed25519 example key.
        let x = URL_SAFE_NO_PAD
            .decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
            .unwrap();
        let mut key = DpopKey::from_key(SigningKey::from_bytes(&[0; 32]));
        key.jwk["x"] = URL_SAFE_NO_PAD.encode(x).into();
        assert_eq!(
            key.thumbprint(),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
        assert!(format!("{key:?}").contains("kPrK_"));
    }

    #[test]
    fn challenges_are_recognised() {
        let mut headers = HeaderMap::new();
        headers.insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static(r#"DPoP error="use_dpop_nonce", error_description="x""#),
        );
        assert!(api_wants_nonce(&headers));
        headers.insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static(r#"Bearer error="invalid_token""#),
        );
        assert!(!api_wants_nonce(&headers));
    }
}
