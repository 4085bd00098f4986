//! Helpers shared by the integration tests: a wiremock server on 127.0.0.1
//! playing the API and its token endpoint.
#![allow(dead_code)] // Each test file uses its own part of this.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use c1_client::{Client, ClientBuilder, RetryPolicy};
use ed25519_dalek::{Signature, SigningKey, Verifier, VerifyingKey};
use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

pub mod fake_c1;

pub const TOKEN: &str = "test-bearer-token";
pub const CLIENT_ID: &str = "robot@acme.conductor.one/pcc";
/// A workload federation client id.
pub const FEDERATION_ID: &str = "fox@acme.conductor.one/wfe";

/// A builder for a client of `server` with a fast retry policy.
pub fn builder(server: &wiremock::MockServer) -> ClientBuilder {
    Client::builder().base_url(server.uri()).retry_policy(
        RetryPolicy::default().with_delays(Duration::from_millis(1), Duration::from_millis(20)),
    )
}

/// A bearer-token client of `server`.
pub fn client(server: &wiremock::MockServer) -> Client {
    builder(server).bearer_token(TOKEN).build().unwrap()
}

/// The test key pair.
pub fn key() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

/// A C1 client secret holding `jwk`.
pub fn secret_with(jwk: Value) -> String {
    format!(
        "secret-token:conductorone.com:v1:{}",
        URL_SAFE_NO_PAD.encode(jwk.to_string())
    )
}

/// The client secret of [`key`], with a `kid`.
pub fn secret() -> String {
    let key = key();
    secret_with(serde_json::json!({
        "kty": "OKP",
        "crv": "Ed25519",
        "kid": "test-kid",
        "d": URL_SAFE_NO_PAD.encode(key.to_bytes()),
        "x": URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()),
    }))
}

/// The token endpoint: checks each request (form fields, assertion signature
/// against the public key in the JWK, every claim), answers with a new token
/// per request, and records what it found wrong.
#[derive(Clone)]
pub struct TokenEndpoint {
    pub public_key: VerifyingKey,
    pub expires_in: u64,
    pub issued: Arc<Mutex<u32>>,
    pub problems: Arc<Mutex<Vec<String>>>,
    pub nonces: Arc<Mutex<Vec<String>>>,
}

impl TokenEndpoint {
    pub fn new(expires_in: u64) -> Self {
        let jwk: Value = {
            let encoded = secret();
            let b64 = encoded.rsplit(':').next().unwrap().to_string();
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(b64).unwrap()).unwrap()
        };
        let x = URL_SAFE_NO_PAD.decode(jwk["x"].as_str().unwrap()).unwrap();
        TokenEndpoint {
            public_key: VerifyingKey::from_bytes(&x.try_into().unwrap()).unwrap(),
            expires_in,
            issued: Arc::default(),
            problems: Arc::default(),
            nonces: Arc::default(),
        }
    }

    pub fn issued(&self) -> u32 {
        *self.issued.lock().unwrap()
    }

    pub fn problems(&self) -> Vec<String> {
        self.problems.lock().unwrap().clone()
    }

    fn check(&self, request: &Request) -> Result<(), String> {
        let content_type = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok());
        if content_type != Some("application/x-www-form-urlencoded") {
            return Err(format!("content type {content_type:?}"));
        }
        let form: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect();
        let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        if field("client_id").as_deref() != Some(CLIENT_ID) {
            return Err("client_id".into());
        }
        if field("grant_type").as_deref() != Some("client_credentials") {
            return Err("grant_type".into());
        }
        if field("client_assertion_type").as_deref()
            != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        {
            return Err("client_assertion_type".into());
        }
        let assertion = field("client_assertion").ok_or("no client_assertion")?;
        let parts: Vec<&str> = assertion.split('.').collect();
        let [header, claims, signature] = parts.as_slice() else {
            return Err("assertion is not a compact JWS".into());
        };
        let signature = Signature::from_slice(
            &URL_SAFE_NO_PAD
                .decode(signature)
                .map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        self.public_key
            .verify(format!("{header}.{claims}").as_bytes(), &signature)
            .map_err(|_| "bad signature".to_string())?;
        let decode = |part: &str| -> Result<Value, String> {
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())
        };
        let (header, claims) = (decode(header)?, decode(claims)?);
        if header["alg"] != "EdDSA" || header["kid"] != "test-kid" {
            return Err(format!("header {header}"));
        }
        let nonce = header["nonce"].as_str().ok_or("no nonce")?.to_string();
        if nonce.len() < 16 {
            return Err("short nonce".into());
        }
        let mut nonces = self.nonces.lock().unwrap();
        if nonces.contains(&nonce) {
            return Err("nonce reused".into());
        }
        nonces.push(nonce);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let number = |name: &str| claims[name].as_u64().ok_or(format!("claim {name} missing"));
        let (iat, nbf, exp) = (number("iat")?, number("nbf")?, number("exp")?);
        let checks = [
            (claims["iss"] == CLIENT_ID, "iss"),
            (claims["sub"] == CLIENT_ID, "sub"),
            (
                claims["aud"] == "127.0.0.1",
                "aud (the token host without port)",
            ),
            (iat.abs_diff(now) <= 5, "iat"),
            (nbf == iat - 120, "nbf"),
            (exp == iat + 120, "exp"),
        ];
        match checks.iter().find(|(ok, _)| !ok) {
            Some((_, claim)) => Err(format!("claim {claim}: {claims}")),
            None => Ok(()),
        }
    }
}

impl Respond for TokenEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if let Err(problem) = self.check(request) {
            self.problems.lock().unwrap().push(problem.clone());
            return ResponseTemplate::new(400).set_body_json(serde_json::json!({"error": problem}));
        }
        let mut issued = self.issued.lock().unwrap();
        *issued += 1;
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": format!("issued-token-{issued}"),
            "token_type": "Bearer",
            "expires_in": self.expires_in,
        }))
    }
}

/// The `authorization` header of each request `server` received at `path`.
pub async fn authorizations(server: &wiremock::MockServer, path: &str) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == path)
        .map(|r| {
            r.headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

/// A personal client as the server sends it, every field set, plus one the
/// crate does not know.
pub fn full_client() -> Value {
    json!({
        "id": "blue-whale-12345",
        "clientId": "blue-whale-12345@acme.conductor.one/pcc",
        "displayName": "CI robot",
        "userId": "2a3b4c",
        "allowSourceCidr": ["10.0.0.0/24"],
        "scopedRoles": ["role-1"],
        "createdAt": "2024-05-01T12:00:00.123456789Z",
        "updatedAt": "2024-05-02T08:30:00Z",
        "lastUsedAt": "2024-05-03T00:00:00.5Z",
        "expiresTime": "2025-01-01T00:00:00Z",
        "deletedAt": null,
        "addedNextYear": {"nested": [1, 2]}
    })
}

/// The messages of `error` and of each of its sources, outermost first.
pub fn chain(error: &dyn std::error::Error) -> Vec<String> {
    let mut messages = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        messages.push(cause.to_string());
        source = cause.source();
    }
    messages
}

/// Fails when a cause's message is repeated by an error above it in the
/// chain, as `{:#}` and anyhow would then print it twice.
pub fn assert_each_cause_once(error: &dyn std::error::Error) {
    let messages = chain(error);
    for (i, outer) in messages.iter().enumerate() {
        for inner in &messages[i + 1..] {
            assert!(
                inner.is_empty() || !outer.contains(inner.as_str()),
                "`{inner}` is shown twice in the chain {messages:#?}"
            );
        }
    }
}
