//! Configuring a client: [`ClientBuilder`] collects the server, the
//! credentials (checked as they are given) and the sending settings, and
//! [`build`](ClientBuilder::build) resolves them once into a [`Client`].

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::header::HeaderValue;
use url::Url;

use crate::auth::{Credentials, OidcToken};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::send::Transport;
use crate::tenant::{Server, check_base_url, parse_tenant, server_from_client_id};

/// The `User-Agent` sent unless another is configured.
pub const DEFAULT_USER_AGENT: &str =
    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// How long a request may take, each attempt, unless the client or the
/// call says otherwise ([`ClientBuilder::timeout`], [`Call::timeout`](crate::Call::timeout)):
/// long enough for the largest page C1 sends, short enough that a server
/// that stops answering does not hold a program for ever.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// How long connecting to the server may take, unless the client says
/// otherwise ([`ClientBuilder::connect_timeout`]).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Configures a [`Client`].
pub struct ClientBuilder {
    base_url: Option<String>,
    tenant: Option<String>,
    variables: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    /// The credentials, or why those given are unusable.
    pub(crate) credentials: Result<Credentials, String>,
    dpop: bool,
    user_agent: String,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    retry: RetryPolicy,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            tenant: None,
            variables: Vec::new(),
            http: None,
            credentials: Ok(Credentials::None),
            dpop: false,
            user_agent: DEFAULT_USER_AGENT.to_string(),
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = match &self.credentials {
            Ok(credentials) => credentials.describe(),
            Err(_) => "invalid".into(),
        };
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("tenant", &self.tenant)
            .field("variables", &self.variables)
            .field("credentials", &credentials)
            .field("dpop", &self.dpop)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

impl ClientBuilder {
    /// Talks to the tenant's server, written as the official tools accept
    /// it: `acme`, `acme.conductor.one` and `https://acme.conductor.one/`
    /// all mean `https://acme.conductor.one` (the `tenantDomain` variable of
    /// [`SERVER_URL`](crate::spec::SERVER_URL)); a host of another domain,
    /// such as an EU tenant's `acme.c1eu.ai`, is that server
    /// (`https://acme.c1eu.ai`). Case, a trailing `/` and a path are
    /// ignored. Anything else fails [`build`](Self::build) with an error
    /// naming these forms.
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = Some(tenant.into());
        self
    }

    /// Sets a placeholder of [`SERVER_URL`](crate::spec::SERVER_URL); the
    /// others keep their defaults ([`SERVER_VARIABLES`](crate::spec::SERVER_VARIABLES)).
    pub fn server_variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.variables.push((name.into(), value.into()));
        self
    }

    /// Talks to this server instead of [`SERVER_URL`](crate::spec::SERVER_URL).
    /// It must be `https`, or `http` on a loopback address (for tests).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sends `Authorization: Bearer <token>` with every request.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Credentials::bearer(Secret::new(token.into()));
        self
    }

    /// Authenticates with C1 client credentials: a client id such as
    /// `name@acme.conductor.one/pcc` and its secret
    /// (`secret-token:conductorone.com:v1:...`). Access tokens are fetched
    /// from the API's token endpoint and cached until shortly before they
    /// expire. Without a tenant or base URL, the server is taken from the
    /// client id.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        let secret = Secret::new(client_secret.into());
        self.credentials = Credentials::client(&client_id.into(), &secret);
        self
    }

    /// Authenticates with workload federation: the OIDC token `oidc_token`
    /// (from GitHub Actions, a Kubernetes service account, HCP Terraform...)
    /// is exchanged (RFC 8693) for access tokens as the federation client
    /// `client_id` (`name@acme.conductor.one/wfe`). Tokens are cached and
    /// exchanged again shortly before they expire, or after a 401. Without
    /// a tenant or base URL, the server is taken from the client id.
    ///
    /// A token that is rotated (most are, hourly) needs
    /// [`oidc_token_file`](Self::oidc_token_file) instead.
    pub fn oidc_token(
        mut self,
        client_id: impl Into<String>,
        oidc_token: impl Into<String>,
    ) -> Self {
        let oidc = OidcToken::Fixed(Secret::new(oidc_token.into()));
        self.credentials = Credentials::federation(&client_id.into(), oidc);
        self
    }

    /// [`oidc_token`](Self::oidc_token), with the OIDC token read from the
    /// file at `path` each time one is exchanged, so that a token the
    /// platform rotates (Kubernetes projected service-account tokens, CI
    /// runners) is picked up.
    pub fn oidc_token_file(
        mut self,
        client_id: impl Into<String>,
        path: impl Into<PathBuf>,
    ) -> Self {
        let oidc = OidcToken::File(path.into());
        self.credentials = Credentials::federation(&client_id.into(), oidc);
        self
    }

    /// Binds access tokens to a key with DPoP (RFC 9449), as a credential
    /// with `requireDpop` demands: each token request and each API request
    /// carries a proof signed with a key made for this client, and a token
    /// the server binds (`token_type: DPoP`) is sent as `Authorization:
    /// DPoP <token>`. When a server asks for a nonce (`use_dpop_nonce`), the
    /// request is sent once more with it, and the nonce is kept for later
    /// proofs. Needs client credentials or workload federation.
    ///
    /// The key is a new Ed25519 key, made by [`build`](Self::build) and
    /// kept in memory only: not the client secret's long-lived key, since
    /// proofs travel with every request.
    pub fn dpop(mut self, enabled: bool) -> Self {
        self.dpop = enabled;
        self
    }

    /// Uses this `reqwest` client (for its proxy or TLS settings), with its
    /// own connect timeout. By default a new one is made, with rustls and
    /// [`connect_timeout`](Self::connect_timeout).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Sends this `User-Agent` (default: [`DEFAULT_USER_AGENT`]).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Gives up on a request (each attempt: connecting, sending, reading
    /// the whole answer) after this long, with [`Error::Timeout`]
    /// (default: [`DEFAULT_TIMEOUT`]). A call can set its own
    /// ([`Call::timeout`](crate::Call::timeout)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Lets requests take as long as the server does: no timeout but the
    /// connect timeout. For programs that bound their calls themselves.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// Gives up connecting to the server after this long (default:
    /// [`DEFAULT_CONNECT_TIMEOUT`]). Not used with
    /// [`http_client`](Self::http_client), whose own setting holds.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How failed requests are retried (default: [`RetryPolicy::default`];
    /// [`RetryPolicy::disabled`] turns retries off).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Builds the client. An empty token, client id or secret, or a tenant
    /// that is none, is an [`Error::Config`].
    pub fn build(self) -> Result<Client> {
        let credentials = self.credentials.map_err(Error::Config)?;
        let base_url = server(
            self.base_url,
            self.tenant.as_deref(),
            self.variables,
            credentials.client_id(),
        )?;
        let user_agent = HeaderValue::try_from(self.user_agent)
            .map_err(|_| Error::Config("the user agent is not a valid header value".into()))?;
        let auth = credentials.into_auth(self.dpop, &base_url)?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::Config(format!("cannot make an HTTP client: {e}")))?,
        };
        let transport = Transport {
            http,
            user_agent,
            timeout: self.timeout,
            retry: self.retry,
        };
        Ok(Client::from_parts(base_url, transport, auth))
    }
}

/// The server: the base URL, the tenant or the server variables (one of
/// them), or else the host in the client id, or else the default.
fn server(
    mut base_url: Option<String>,
    tenant: Option<&str>,
    mut variables: Vec<(String, String)>,
    client_id: Option<&str>,
) -> Result<Url> {
    if let Some(tenant) = tenant {
        match parse_tenant(crate::spec::SERVER_URL, tenant).map_err(Error::Config)? {
            Server::Tenant(name) => variables.push(("tenantDomain".into(), name)),
            Server::Url(_) if base_url.is_some() => {
                return Err(Error::Config(
                    "give a base URL or a tenant, not both".into(),
                ));
            }
            Server::Url(url) => base_url = Some(url),
        }
    }
    let url = match base_url {
        Some(_) if !variables.is_empty() => {
            return Err(Error::Config(
                "give a base URL or server variables (such as the tenant), not both".into(),
            ));
        }
        Some(url) => url,
        None if !variables.is_empty() => server_url(&variables)?,
        None => match client_id.and_then(|id| server_from_client_id(crate::spec::SERVER_URL, id)) {
            Some(Server::Tenant(tenant)) => server_url(&[("tenantDomain".into(), tenant)])?,
            Some(Server::Url(url)) => url,
            None => server_url(&[])?,
        },
    };
    check_base_url(&url).map_err(Error::Config)
}

/// [`SERVER_URL`](crate::spec::SERVER_URL) with its placeholders filled in.
fn server_url(given: &[(String, String)]) -> Result<String> {
    let mut url = crate::spec::SERVER_URL.to_string();
    for (name, value) in given {
        if !crate::spec::SERVER_VARIABLES
            .iter()
            .any(|(known, _)| known == name)
        {
            return Err(Error::Config(format!(
                "the server URL has no `{{{name}}}` variable"
            )));
        }
        if value.is_empty() || value.contains(['/', '?', '#', '@', ':']) {
            return Err(Error::Config(format!(
                "`{value}` is not a valid value for the server variable `{name}`"
            )));
        }
        if name == "tenantDomain" && value.contains('.') {
            return Err(Error::Config(format!(
                "`{value}` is not a tenant of {}: give the tenant's name (`acme`), or its server with `base_url`",
                crate::spec::SERVER_URL
            )));
        }
        url = url.replace(&format!("{{{name}}}"), value);
    }
    for (name, default) in crate::spec::SERVER_VARIABLES {
        url = url.replace(&format!("{{{name}}}"), default);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_credentials_are_configuration_errors() {
        let err = Client::builder().tenant("acme").bearer_token("").build();
        assert_eq!(
            err.unwrap_err().to_string(),
            "invalid client configuration: the bearer token is empty"
        );
        let err = Client::builder().client_credentials(" ", "s").build();
        assert_eq!(
            err.unwrap_err().to_string(),
            "invalid client configuration: the client id is empty"
        );
    }

    #[test]
    fn debug_never_shows_the_token() {
        let client = Client::builder()
            .base_url("http://127.0.0.1:1")
            .bearer_token("s3cr3t-token")
            .build()
            .unwrap();
        assert!(!format!("{client:?}").contains("s3cr3t"));
        let builder = Client::builder().bearer_token("s3cr3t-token");
        assert!(!format!("{builder:?}").contains("s3cr3t"));
    }

    #[test]
    fn a_client_secret_is_checked_when_given() {
        let builder = Client::builder().client_credentials("robot@acme", "not-a-secret");
        assert!(
            builder.credentials.is_err(),
            "parsed once, in client_credentials"
        );
        assert_eq!(
            builder.build().unwrap_err().to_string(),
            "invalid client configuration: invalid client secret: expected `secret-token:conductorone.com:v1:<key>`"
        );
    }
}
