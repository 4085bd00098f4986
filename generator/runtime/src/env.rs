//! Configuration from environment variables, read as every official C1
//! tool reads them.

use crate::auth::Credentials;
use crate::builder::ClientBuilder;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::tenant::{Server, check_base_url, server_from_client_id};

/// A static access token; used first when set.
pub const ACCESS_TOKEN: &str = "CONDUCTORONE_ACCESS_TOKEN";
/// An OIDC token for workload federation, with [`CLIENT_ID`] the
/// federation client; used next.
pub const OIDC_TOKEN: &str = "CONDUCTORONE_OIDC_TOKEN";
/// A file holding the OIDC token, read again for each exchange (rotated
/// tokens); used after [`OIDC_TOKEN`], with [`CLIENT_ID`].
pub const OIDC_TOKEN_FILE: &str = "CONDUCTORONE_OIDC_TOKEN_FILE";
/// The client id of client credentials or workload federation.
pub const CLIENT_ID: &str = "CONDUCTORONE_CLIENT_ID";
/// The client secret of client credentials; used last.
pub const CLIENT_SECRET: &str = "CONDUCTORONE_CLIENT_SECRET";
/// The tenant, such as `acme`, `acme.conductor.one` or `acme.c1eu.ai`.
pub const TENANT_DOMAIN: &str = "CONDUCTORONE_TENANT_DOMAIN";
/// The full server URL, instead of a tenant.
pub const SERVER_URL: &str = "CONDUCTORONE_SERVER_URL";

impl Client {
    /// A client configured from the environment; see [`ClientBuilder::from_env`].
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env()?.build()
    }
}

impl ClientBuilder {
    /// A builder configured from the environment:
    ///
    /// - credentials, the first that is set: `CONDUCTORONE_ACCESS_TOKEN`;
    ///   `CONDUCTORONE_OIDC_TOKEN` (or `CONDUCTORONE_OIDC_TOKEN_FILE`) with
    ///   `CONDUCTORONE_CLIENT_ID`; `CONDUCTORONE_CLIENT_ID` with
    ///   `CONDUCTORONE_CLIENT_SECRET`;
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
        let oidc = (get(OIDC_TOKEN), get(OIDC_TOKEN_FILE));
        let secret = get(CLIENT_SECRET);
        let mut builder = match (get(ACCESS_TOKEN), oidc, &client_id, secret) {
            (Some(token), _, _, _) => ClientBuilder::default().bearer_token(token),
            (None, (Some(_), _), None, _) => {
                return Err(config(format!(
                    "{OIDC_TOKEN} needs {CLIENT_ID}, the federation client"
                )));
            }
            (None, (None, Some(_)), None, _) => {
                return Err(config(format!(
                    "{OIDC_TOKEN_FILE} needs {CLIENT_ID}, the federation client"
                )));
            }
            (None, (Some(token), _), Some(id), _) => ClientBuilder::default().oidc_token(id, token),
            (None, (None, Some(path)), Some(id), _) => {
                ClientBuilder::default().oidc_token_file(id, path)
            }
            (None, (None, None), Some(id), Some(secret)) => {
                let credentials = Credentials::client(id, &Secret::new(secret))
                    .map_err(|e| config(format!("{CLIENT_SECRET}: {e}")))?;
                let mut builder = ClientBuilder::default();
                builder.credentials = Ok(credentials);
                builder
            }
            (None, (None, None), Some(_), None) => {
                return Err(config(format!(
                    "{CLIENT_SECRET} is not set ({CLIENT_ID} is); or set {OIDC_TOKEN} for workload federation"
                )));
            }
            (None, (None, None), None, Some(_)) => {
                return Err(config(format!(
                    "{CLIENT_ID} is not set ({CLIENT_SECRET} is)"
                )));
            }
            (None, (None, None), None, None) => {
                return Err(config(format!(
                    "no credentials: set {ACCESS_TOKEN}; or {OIDC_TOKEN} (or {OIDC_TOKEN_FILE}) and {CLIENT_ID}; or {CLIENT_ID} and {CLIENT_SECRET}"
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
            (None, None) => {
                let server = client_id
                    .as_deref()
                    .and_then(|id| server_from_client_id(crate::spec::SERVER_URL, id));
                match server {
                    Some(Server::Tenant(tenant)) => builder.tenant(tenant),
                    Some(Server::Url(url)) => builder.base_url(url),
                    None => {
                        return Err(config(format!(
                            "no server: set {TENANT_DOMAIN} or {SERVER_URL} (or a {CLIENT_ID} of the form name@tenant.conductor.one/pcc)"
                        )));
                    }
                }
            }
        };
        Ok(builder)
    }
}
