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

    /// [`from_env`](Self::from_env) with the variables read through `get`
    /// instead (from a secrets store, say).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self> {
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
