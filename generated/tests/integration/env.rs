//! Configuration from the environment (through `ClientBuilder::from_lookup`, so
//! that tests do not touch the process environment).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use c1_client::env::*;
use c1_client::{ClientBuilder, Result};

fn secret() -> String {
    let key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
    let jwk = serde_json::json!({"kty": "OKP", "crv": "Ed25519", "d": URL_SAFE_NO_PAD.encode(key.to_bytes())});
    format!(
        "secret-token:conductorone.com:v1:{}",
        URL_SAFE_NO_PAD.encode(jwk.to_string())
    )
}

fn build(vars: &[(&str, &str)]) -> Result<c1_client::Client> {
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    ClientBuilder::from_lookup(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))?
        .build()
}

fn error(vars: &[(&str, &str)]) -> String {
    build(vars).unwrap_err().to_string()
}

#[test]
fn access_token_comes_first() {
    let client = build(&[
        (ACCESS_TOKEN, "tok"),
        (CLIENT_ID, "x@acme.conductor.one/pcc"),
        (CLIENT_SECRET, "garbage"),
    ])
    .unwrap();
    assert!(format!("{client:?}").contains("bearer token <redacted>"));
    assert_eq!(client.base_url().as_str(), "https://acme.conductor.one/");
}

#[test]
fn client_credentials_name_the_tenant() {
    let secret = secret();
    let client = build(&[
        (CLIENT_ID, "robot@acme.conductor.one/pcc"),
        (CLIENT_SECRET, &secret),
    ])
    .unwrap();
    assert_eq!(client.base_url().as_str(), "https://acme.conductor.one/");
    assert!(format!("{client:?}").contains("client credentials of robot@acme.conductor.one/pcc"));
    let client = build(&[
        (CLIENT_ID, "robot@c1.example.com/pcc"),
        (CLIENT_SECRET, &secret),
    ])
    .unwrap();
    assert_eq!(client.base_url().as_str(), "https://c1.example.com/");
}

#[test]
fn explicit_server_settings_win_over_the_client_id() {
    let secret = secret();
    let id = (CLIENT_ID, "robot@acme.conductor.one/pcc");
    let client = build(&[id, (CLIENT_SECRET, &secret), (TENANT_DOMAIN, "other")]).unwrap();
    assert_eq!(client.base_url().as_str(), "https://other.conductor.one/");
    let client = build(&[
        id,
        (CLIENT_SECRET, &secret),
        (SERVER_URL, "http://127.0.0.1:9000"),
    ])
    .unwrap();
    assert_eq!(client.base_url().as_str(), "http://127.0.0.1:9000/");
}

#[test]
fn missing_or_contradictory_settings_name_the_variable() {
    let secret = secret();
    assert_eq!(
        error(&[]),
        "invalid client configuration: no credentials: set CONDUCTORONE_ACCESS_TOKEN; or CONDUCTORONE_OIDC_TOKEN (or CONDUCTORONE_OIDC_TOKEN_FILE) and CONDUCTORONE_CLIENT_ID; or CONDUCTORONE_CLIENT_ID and CONDUCTORONE_CLIENT_SECRET"
    );
    assert_eq!(
        error(&[(CLIENT_ID, "a@b.conductor.one")]),
        "invalid client configuration: CONDUCTORONE_CLIENT_SECRET is not set (CONDUCTORONE_CLIENT_ID is); or set CONDUCTORONE_OIDC_TOKEN for workload federation"
    );
    assert_eq!(
        error(&[(CLIENT_SECRET, &secret)]),
        "invalid client configuration: CONDUCTORONE_CLIENT_ID is not set (CONDUCTORONE_CLIENT_SECRET is)"
    );
    assert_eq!(
        error(&[
            (ACCESS_TOKEN, "t"),
            (TENANT_DOMAIN, "a"),
            (SERVER_URL, "https://a")
        ]),
        "invalid client configuration: CONDUCTORONE_TENANT_DOMAIN and CONDUCTORONE_SERVER_URL are both set; set only one"
    );
    assert_eq!(
        error(&[(ACCESS_TOKEN, "t")]),
        "invalid client configuration: no server: set CONDUCTORONE_TENANT_DOMAIN or CONDUCTORONE_SERVER_URL (or a CONDUCTORONE_CLIENT_ID of the form name@tenant.conductor.one/pcc)"
    );
    assert_eq!(
        error(&[(ACCESS_TOKEN, "t"), (SERVER_URL, "http://c1.example.com")]),
        "invalid client configuration: CONDUCTORONE_SERVER_URL: invalid server URL `http://c1.example.com`: http is allowed only for loopback hosts; use https"
    );
    let bad = error(&[
        (CLIENT_ID, "a@b.conductor.one/pcc"),
        (
            CLIENT_SECRET,
            "secret-token:conductorone.com:v1:bm90IGpzb24",
        ),
    ]);
    assert_eq!(
        bad,
        "invalid client configuration: CONDUCTORONE_CLIENT_SECRET: invalid client secret: the key is not a JSON Web Key"
    );
    assert_eq!(
        error(&[(ACCESS_TOKEN, " "), (CLIENT_ID, "")]),
        error(&[]),
        "blank values count as unset"
    );
}

#[test]
fn tenants_are_read_as_users_write_them() {
    for tenant in ["acme", "acme.conductor.one", "https://acme.conductor.one/"] {
        let client = build(&[(ACCESS_TOKEN, "t"), (TENANT_DOMAIN, tenant)]).unwrap();
        assert_eq!(
            client.base_url().as_str(),
            "https://acme.conductor.one/",
            "{tenant}"
        );
        let client = c1_client::Client::builder()
            .tenant(tenant)
            .bearer_token("t")
            .build()
            .unwrap();
        assert_eq!(client.base_url().as_str(), "https://acme.conductor.one/");
    }
    let client = build(&[(ACCESS_TOKEN, "t"), (TENANT_DOMAIN, "acme.c1eu.ai")]).unwrap();
    assert_eq!(client.base_url().as_str(), "https://acme.c1eu.ai/");
    assert!(
        error(&[(ACCESS_TOKEN, "t"), (TENANT_DOMAIN, "acme corp")])
            .contains("`acme corp` is not a tenant"),
    );
}

/// Which credentials win when several are set: the order of every official
/// C1 tool (access token, then OIDC token, then client credentials).
#[test]
fn credentials_follow_the_priority_of_the_official_tools() {
    let secret = secret();
    let id = "fox@acme.conductor.one/wfe";
    let table: [(&[(&str, &str)], &str); 7] = [
        (
            &[
                (ACCESS_TOKEN, "t"),
                (OIDC_TOKEN, "jwt"),
                (CLIENT_ID, id),
                (CLIENT_SECRET, &secret),
            ],
            "bearer token <redacted>",
        ),
        (
            &[
                (OIDC_TOKEN, "jwt"),
                (CLIENT_ID, id),
                (CLIENT_SECRET, &secret),
            ],
            "workload federation as fox@acme.conductor.one/wfe (OIDC token <redacted>)",
        ),
        (
            &[
                (OIDC_TOKEN, "jwt"),
                (OIDC_TOKEN_FILE, "/run/token"),
                (CLIENT_ID, id),
            ],
            "workload federation as fox@acme.conductor.one/wfe (OIDC token <redacted>)",
        ),
        (
            &[
                (OIDC_TOKEN_FILE, "/run/token"),
                (CLIENT_ID, id),
                (CLIENT_SECRET, &secret),
            ],
            "workload federation as fox@acme.conductor.one/wfe (OIDC token read from /run/token)",
        ),
        (
            &[(OIDC_TOKEN, " "), (CLIENT_ID, id), (CLIENT_SECRET, &secret)],
            "client credentials of fox@acme.conductor.one/wfe",
        ),
        (
            &[(CLIENT_ID, id), (CLIENT_SECRET, &secret)],
            "client credentials of fox@acme.conductor.one/wfe",
        ),
        (
            &[(ACCESS_TOKEN, "t"), (TENANT_DOMAIN, "acme")],
            "bearer token <redacted>",
        ),
    ];
    for (vars, expected) in table {
        let client = build(vars).unwrap();
        let shown = format!("{client:?}");
        assert!(
            shown.contains(&format!("auth: \"{expected}\"")),
            "{vars:?}: {shown}"
        );
        assert!(
            !shown.contains("jwt\"") && !shown.contains("secret-token"),
            "{shown}"
        );
        assert_eq!(client.base_url().as_str(), "https://acme.conductor.one/");
    }
    let eu = build(&[(OIDC_TOKEN, "jwt"), (CLIENT_ID, "fox@acme.c1eu.ai/wfe")]).unwrap();
    assert_eq!(
        eu.base_url().as_str(),
        "https://acme.c1eu.ai/",
        "the tenant comes from the client id"
    );
    assert_eq!(
        error(&[(OIDC_TOKEN, "jwt"), (CLIENT_SECRET, &secret)]),
        "invalid client configuration: CONDUCTORONE_OIDC_TOKEN needs CONDUCTORONE_CLIENT_ID, the federation client"
    );
    assert_eq!(
        error(&[(OIDC_TOKEN_FILE, "/run/token"), (TENANT_DOMAIN, "acme")]),
        "invalid client configuration: CONDUCTORONE_OIDC_TOKEN_FILE needs CONDUCTORONE_CLIENT_ID, the federation client"
    );
}

#[test]
fn empty_credentials_fail_at_build() {
    let empty = |builder: ClientBuilder| builder.tenant("acme").build().unwrap_err().to_string();
    assert_eq!(
        empty(c1_client::Client::builder().bearer_token("")),
        "invalid client configuration: the bearer token is empty"
    );
    assert_eq!(
        empty(c1_client::Client::builder().client_credentials("", secret())),
        "invalid client configuration: the client id is empty"
    );
}
