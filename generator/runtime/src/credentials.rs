//! C1 client secrets: the Ed25519 key inside one, and the signed JWT
//! assertions that exchange it for access tokens.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer, SigningKey};
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::error::{AuthError, Result};

/// The prefix and version of a C1 client secret.
const SECRET_PREFIX: &str = "secret-token";
const SECRET_VERSION: &str = "v1";

/// A client id and the Ed25519 key of its client secret.
pub(crate) struct ClientCredentials {
    pub(crate) client_id: String,
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
    /// minutes before `now` to two minutes after, with a random nonce in
    /// its header and a random `jti`: each assertion is single-use, so
    /// every token request (each retry too) signs a new one.
    pub(crate) fn assertion(&self, audience: &str, now: SystemTime) -> Result<String> {
        let seconds = now
            .duration_since(UNIX_EPOCH)
            .map_err(|_| AuthError::new("the system clock is before 1970"))?
            .as_secs();
        let mut nonce = [0u8; 16];
        let mut jti = [0u8; 16];
        getrandom::getrandom(&mut nonce)
            .and_then(|()| getrandom::getrandom(&mut jti))
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
            "exp": seconds.saturating_add(120),
            "jti": URL_SAFE_NO_PAD.encode(jti),
        });
        Ok(compact_jws(&self.key, &header, &claims))
    }
}

/// A JWS in compact form (`header.claims.signature`, base64url), signed
/// with `key` (EdDSA): client assertions and DPoP proofs.
pub(crate) fn compact_jws(
    key: &SigningKey,
    header: &serde_json::Value,
    claims: &serde_json::Value,
) -> String {
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = key.sign(signing_input.as_bytes());
    format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    )
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
    }

    #[test]
    fn assertion_is_a_signed_jwt_with_the_expected_claims() {
        use ed25519_dalek::Verifier;
        let creds =
            ClientCredentials::parse("robot@acme", &secret_for(&key(), Some("k1"), true)).unwrap();
        let now = UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
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
        let jti = claims["jti"].as_str().unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(jti).unwrap().len(), 16);
        assert_eq!(
            claims,
            serde_json::json!({"iss": "robot@acme", "sub": "robot@acme", "aud": "acme.conductor.one",
                "iat": 1_700_000_000u64, "nbf": 1_699_999_880u64, "exp": 1_700_000_120u64, "jti": jti})
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
        let again_claims: serde_json::Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(again.split('.').nth(1).unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_ne!(again_claims["jti"], claims["jti"], "and a new jti");
    }
}
