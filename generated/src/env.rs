//! Configuration from environment variables.

use crate::auth::ClientCredentials;
use crate::client::{ClientBuilder, Server, check_base_url, server_from_client_id};
use crate::error::{Error, Result};

/// A static access token; used first when set.
pub const ACCESS_TOKEN: &str = "CONDUCTORONE_ACCESS_TOKEN";
/// The client id of client credentials.
pub const CLIENT_ID: &str = "CONDUCTORONE_CLIENT_ID";
/// The client secret of client credentials.
pub const CLIENT_SECRET: &str = "CONDUCTORONE_CLIENT_SECRET";
/// The tenant, such as `acme` for `https://acme.conductor.one`.
pub const TENANT_DOMAIN: &str = "CONDUCTORONE_TENANT_DOMAIN";
/// The full server URL, instead of a tenant.
pub const SERVER_URL: &str = "CONDUCTORONE_SERVER_URL";

impl ClientBuilder {
    /// A builder configured from the environment:
    ///
    /// - credentials: `CONDUCTORONE_ACCESS_TOKEN` if set, otherwise
    ///   `CONDUCTORONE_CLIENT_ID` and `CONDUCTORONE_CLIENT_SECRET`;
    /// - server: `CONDUCTORONE_TENANT_DOMAIN` or `CONDUCTORONE_SERVER_URL`
    ///   (not both); with neither, the tenant (or host) in the client id
    ///   `name@acme.conductor.one/pcc`.
    ///
    /// Missing or contradictory settings are an [`Error::Config`] naming the variable.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with variables read through `get`.
    pub(crate) fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let get = |name: &str| {
            get(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let config = |message: String| Error::Config(message);
        let client_id = get(CLIENT_ID);
        let mut builder = match (get(ACCESS_TOKEN), &client_id, get(CLIENT_SECRET)) {
            (Some(token), _, _) => ClientBuilder::default().bearer_token(token),
            (None, Some(id), Some(secret)) => {
                ClientCredentials::parse(id, &secret)
                    .map_err(|e| config(format!("{CLIENT_SECRET}: invalid client secret: {e}")))?;
                ClientBuilder::default().client_credentials(id.clone(), secret)
            }
            (None, Some(_), None) => {
                return Err(config(format!(
                    "{CLIENT_SECRET} is not set ({CLIENT_ID} is)"
                )));
            }
            (None, None, Some(_)) => {
                return Err(config(format!(
                    "{CLIENT_ID} is not set ({CLIENT_SECRET} is)"
                )));
            }
            (None, None, None) => {
                return Err(config(format!(
                    "no credentials: set {ACCESS_TOKEN}, or {CLIENT_ID} and {CLIENT_SECRET}"
                )));
            }
        };
        builder = match (get(TENANT_DOMAIN), get(SERVER_URL)) {
            (Some(_), Some(_)) => {
                return Err(config(format!(
                    "{TENANT_DOMAIN} and {SERVER_URL} are both set; set only one"
                )));
            }
            (Some(tenant), None) => builder.tenant(tenant),
            (None, Some(url)) => {
                check_base_url(&url).map_err(|e| config(format!("{SERVER_URL}: {e}")))?;
                builder.base_url(url)
            }
            (None, None) => match client_id.as_deref().and_then(server_from_client_id) {
                Some(Server::Tenant(tenant)) => builder.tenant(tenant),
                Some(Server::Url(url)) => builder.base_url(url),
                None => {
                    return Err(config(format!(
                        "no server: set {TENANT_DOMAIN} or {SERVER_URL} (or a {CLIENT_ID} of the form name@tenant.conductor.one/pcc)"
                    )));
                }
            },
        };
        Ok(builder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn secret() -> String {
        let key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
        let jwk = serde_json::json!({"kty": "OKP", "crv": "Ed25519", "d": URL_SAFE_NO_PAD.encode(key.to_bytes())});
        format!(
            "secret-token:conductorone.com:v1:{}",
            URL_SAFE_NO_PAD.encode(jwk.to_string())
        )
    }

    fn build(vars: &[(&str, &str)]) -> Result<crate::Client> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ClientBuilder::from_lookup(|name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })?
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
        assert!(
            format!("{client:?}").contains("client credentials of robot@acme.conductor.one/pcc")
        );
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
            "invalid client configuration: no credentials: set CONDUCTORONE_ACCESS_TOKEN, or CONDUCTORONE_CLIENT_ID and CONDUCTORONE_CLIENT_SECRET"
        );
        assert_eq!(
            error(&[(CLIENT_ID, "a@b.conductor.one")]),
            "invalid client configuration: CONDUCTORONE_CLIENT_SECRET is not set (CONDUCTORONE_CLIENT_ID is)"
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
}
