//! DPoP (RFC 9449) against a fake server that plays both the token
//! endpoint and the API, verifies every proof (signature with the key in
//! its header, `htm`, `htu`, `iat`, a fresh `jti`, `ath`, the nonce it
//! last gave) and asks for a nonce the first time each is reached.

use crate::common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const API: &str = "/api/v1/iam/personal_clients";
const TOKEN: &str = "/auth/v1/token";

#[derive(Default)]
struct State {
    /// Whether tokens are bound (`token_type: DPoP`).
    bind: bool,
    /// The server's URL (wiremock shows requests as `http://localhost/...`).
    base: String,
    jtis: HashSet<String>,
    /// The thumbprint of the key of every proof.
    jkts: HashSet<String>,
    problems: Vec<String>,
    token_requests: u32,
    api_requests: u32,
    /// What each API request's `Authorization` was.
    authorizations: Vec<String>,
}

#[derive(Clone, Default)]
struct Server(Arc<Mutex<State>>);

fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn decode(part: &str) -> Result<Value, String> {
    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| e.to_string())
}

/// Checks the request's proof; gives its claims and key thumbprint.
fn verify(request: &Request, base: &str, token: Option<&str>) -> Result<(Value, String), String> {
    let proof = request
        .headers
        .get("dpop")
        .ok_or("no DPoP header")?
        .to_str()
        .map_err(|e| e.to_string())?;
    let [header, claims, signature] = proof.split('.').collect::<Vec<_>>()[..] else {
        return Err("the proof is not a compact JWS".into());
    };
    let (head, body) = (decode(header)?, decode(claims)?);
    if head["typ"] != "dpop+jwt" || head["alg"] != "EdDSA" {
        return Err(format!("header {head}"));
    }
    let jwk = &head["jwk"];
    if jwk["kty"] != "OKP" || jwk["crv"] != "Ed25519" || jwk.get("d").is_some() {
        return Err(format!("jwk {jwk}"));
    }
    let x = URL_SAFE_NO_PAD
        .decode(jwk["x"].as_str().ok_or("no x")?)
        .map_err(|e| e.to_string())?;
    let key = VerifyingKey::from_bytes(&x.try_into().map_err(|_| "x is not 32 bytes")?)
        .map_err(|e| e.to_string())?;
    let signature = Signature::from_slice(
        &URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    key.verify(format!("{header}.{claims}").as_bytes(), &signature)
        .map_err(|_| "bad signature")?;
    let htu = format!("{base}{}", request.url.path());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let checks = [
        (body["htm"] == request.method.as_str(), "htm"),
        (body["htu"] == htu, "htu"),
        (
            body["iat"]
                .as_u64()
                .is_some_and(|iat| iat.abs_diff(now) <= 5),
            "iat",
        ),
        (
            body["jti"].as_str().is_some_and(|jti| jti.len() >= 16),
            "jti",
        ),
        (
            body["ath"].as_str().map(str::to_string) == token.map(|t| b64(Sha256::digest(t))),
            "ath",
        ),
    ];
    if let Some((_, claim)) = checks.iter().find(|(ok, _)| !ok) {
        return Err(format!("claim {claim}: {body} (request {htu})"));
    }
    let jkt = b64(Sha256::digest(format!(
        r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
        jwk["x"].as_str().unwrap_or_default()
    )));
    Ok((body, jkt))
}

impl State {
    /// Checks the proof and its nonce; records its `jti` and key.
    fn check(
        &mut self,
        request: &Request,
        token: Option<&str>,
        nonce: &str,
    ) -> Result<bool, String> {
        let (claims, jkt) = verify(request, &self.base, token)?;
        if !self
            .jtis
            .insert(claims["jti"].as_str().unwrap_or_default().into())
        {
            return Err("jti reused".into());
        }
        self.jkts.insert(jkt);
        Ok(claims["nonce"] == nonce)
    }

    fn token(&mut self, request: &Request) -> ResponseTemplate {
        self.token_requests += 1;
        match self.check(request, None, "token-nonce") {
            Err(problem) => self.problem(problem),
            Ok(false) => ResponseTemplate::new(400)
                .insert_header("DPoP-Nonce", "token-nonce")
                .set_body_json(json!({"error": "use_dpop_nonce"})),
            Ok(true) => ResponseTemplate::new(200).set_body_json(json!({
                "access_token": format!("dpop-token-{}", self.token_requests),
                "token_type": if self.bind { "DPoP" } else { "Bearer" },
                "expires_in": 3600,
            })),
        }
    }

    fn api(&mut self, request: &Request) -> ResponseTemplate {
        self.api_requests += 1;
        let authorization = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        self.authorizations.push(authorization.clone());
        let Some(token) = authorization.strip_prefix("DPoP ") else {
            return ResponseTemplate::new(200).set_body_json(json!({"list": []}));
        };
        match self.check(request, Some(token), "api-nonce") {
            Err(problem) => self.problem(problem),
            Ok(false) => ResponseTemplate::new(401)
                .insert_header("DPoP-Nonce", "api-nonce")
                .insert_header("WWW-Authenticate", r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#),
            Ok(true) => ResponseTemplate::new(200).set_body_json(json!({"list": []})),
        }
    }

    fn problem(&mut self, problem: String) -> ResponseTemplate {
        self.problems.push(problem.clone());
        ResponseTemplate::new(400)
            .set_body_json(json!({"error": "invalid_dpop_proof", "error_description": problem}))
    }
}

impl Respond for Server {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.0.lock().unwrap();
        match request.url.path() {
            TOKEN => state.token(request),
            _ => state.api(request),
        }
    }
}

async fn serve(bind: bool) -> (MockServer, Server) {
    let server = MockServer::start().await;
    let state = Server::default();
    *state.0.lock().unwrap() = State {
        bind,
        base: server.uri(),
        ..State::default()
    };
    Mock::given(wiremock::matchers::any())
        .respond_with(state.clone())
        .mount(&server)
        .await;
    (server, state)
}

/// A federation client of `server` with DPoP.
fn dpop_client(server: &MockServer) -> c1_client::Client {
    common::builder(server)
        .oidc_token(common::FEDERATION_ID, "eyJ.jwt")
        .dpop(true)
        .build()
        .unwrap()
}

#[tokio::test]
async fn bound_tokens_are_sent_with_a_proof_and_nonces_are_asked_for_once() {
    let (server, state) = serve(true).await;
    let client = dpop_client(&server);
    for _ in 0..3 {
        client.personal_client().list().await.unwrap();
    }
    let state = state.0.lock().unwrap();
    assert_eq!(state.problems, Vec::<String>::new());
    assert_eq!(state.token_requests, 2, "one nonce challenge, one token");
    assert_eq!(
        state.api_requests, 4,
        "one nonce challenge, then three calls with the kept nonce"
    );
    assert_eq!(state.authorizations, ["DPoP dpop-token-2"; 4]);
    assert_eq!(state.jkts.len(), 1, "one key for every proof");
    assert_eq!(state.jtis.len(), 6, "a new jti for every proof");
}

#[tokio::test]
async fn client_credentials_get_bound_tokens_too() {
    let (server, state) = serve(true).await;
    let client = common::builder(&server)
        .client_credentials(common::CLIENT_ID, common::secret())
        .dpop(true)
        .build()
        .unwrap();
    client.personal_client().list().await.unwrap();
    let state = state.0.lock().unwrap();
    assert_eq!(state.problems, Vec::<String>::new());
    assert_eq!(state.authorizations.last().unwrap(), "DPoP dpop-token-2");
}

#[tokio::test]
async fn a_token_the_server_did_not_bind_is_sent_as_bearer_without_a_proof() {
    let (server, state) = serve(false).await;
    let client = dpop_client(&server);
    client.personal_client().list().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let api = requests.iter().find(|r| r.url.path() == API).unwrap();
    assert!(api.headers.get("dpop").is_none());
    assert_eq!(
        state.0.lock().unwrap().authorizations,
        ["Bearer dpop-token-2"]
    );
}

#[tokio::test]
async fn each_client_has_its_own_key_and_debug_says_dpop_without_tokens() {
    let (server, state) = serve(true).await;
    let (first, second) = (dpop_client(&server), dpop_client(&server));
    first.personal_client().list().await.unwrap();
    second.personal_client().list().await.unwrap();
    let jkts = state.0.lock().unwrap().jkts.clone();
    assert_eq!(jkts.len(), 2);
    let shown = format!("{first:?}");
    assert!(shown.contains("DPoP"), "{shown}");
    assert!(
        !shown.contains("eyJ.jwt") && !shown.contains("dpop-token"),
        "{shown}"
    );
}

#[test]
fn dpop_needs_a_grant_that_gets_tokens() {
    for builder in [
        c1_client::Client::builder()
            .base_url("http://127.0.0.1:1")
            .bearer_token("t"),
        c1_client::Client::builder().base_url("http://127.0.0.1:1"),
    ] {
        let error = builder.dpop(true).build().unwrap_err().to_string();
        assert!(error.contains("DPoP"), "{error}");
    }
}
