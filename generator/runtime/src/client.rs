//! The HTTP client the generated operations run on: configuration,
//! authentication, retries and tracing.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{
    ACCEPT, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use tracing::Instrument;
use url::Url;

use crate::auth::{Auth, Grant, OidcToken, Secret, TokenSource};
use crate::call::{Options, request_id};
use crate::credentials::ClientCredentials;
use crate::dpop::{Audience, DpopKey, api_wants_nonce};
use crate::error::{ApiError, Error, Result};
use crate::retry::{RetryPolicy, retry_after, retry_status, retry_transport};
use crate::tenant::{Server, check_base_url, parse_tenant, server_from_client_id};

/// The `User-Agent` sent unless another is configured.
pub const DEFAULT_USER_AGENT: &str =
    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A client for the API.
///
/// Cheap to clone (clones share one connection pool and one token cache),
/// and `Send + Sync`, so one client can serve a whole program.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What every clone of a client shares.
pub(crate) struct Inner {
    base_url: Url,
    http: reqwest::Client,
    auth: Auth,
    user_agent: HeaderValue,
    timeout: Option<Duration>,
    retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth.describe())
            .field("user_agent", &self.inner.user_agent)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// How the builder was told to authenticate.
enum Credentials {
    None,
    Bearer(Secret),
    Client { id: String, secret: Secret },
    Federation { id: String, oidc: OidcToken },
}

impl Credentials {
    /// The client id, which names the tenant when nothing else does.
    fn client_id(&self) -> Option<&str> {
        match self {
            Credentials::Client { id, .. } | Credentials::Federation { id, .. } => Some(id),
            Credentials::None | Credentials::Bearer(_) => None,
        }
    }

    /// What `Debug` shows: nothing secret.
    fn describe(&self) -> String {
        match self {
            Credentials::None => "none".into(),
            Credentials::Bearer(_) => "bearer token <redacted>".into(),
            Credentials::Client { id, .. } => format!("client credentials of {id}"),
            Credentials::Federation { id, .. } => format!("workload federation as {id}"),
        }
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    base_url: Option<String>,
    tenant: Option<String>,
    variables: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    credentials: Credentials,
    dpop: bool,
    user_agent: String,
    timeout: Option<Duration>,
    retry: RetryPolicy,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            tenant: None,
            variables: Vec::new(),
            http: None,
            credentials: Credentials::None,
            dpop: false,
            user_agent: DEFAULT_USER_AGENT.to_string(),
            timeout: None,
            retry: RetryPolicy::default(),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("tenant", &self.tenant)
            .field("variables", &self.variables)
            .field("credentials", &self.credentials.describe())
            .field("dpop", &self.dpop)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
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
        self.credentials = Credentials::Bearer(Secret::new(token.into()));
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
        self.credentials = Credentials::Client {
            id: client_id.into(),
            secret: Secret::new(client_secret.into()),
        };
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
        self.credentials = Credentials::Federation {
            id: client_id.into(),
            oidc: OidcToken::Fixed(Secret::new(oidc_token.into())),
        };
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
        self.credentials = Credentials::Federation {
            id: client_id.into(),
            oidc: OidcToken::File(path.into()),
        };
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

    /// Uses this `reqwest` client (for its proxy or TLS settings). By default
    /// a new one is made, with rustls.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Sends this `User-Agent` (default: [`DEFAULT_USER_AGENT`]).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Gives up on a request (each attempt) after this long.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
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
        check_credentials(&self.credentials)?;
        let base_url = self.server()?;
        let user_agent = HeaderValue::try_from(self.user_agent)
            .map_err(|_| Error::Config("the user agent is not a valid header value".into()))?;
        let auth = auth(self.credentials, self.dpop, &base_url)?;
        Ok(Client {
            inner: Arc::new(Inner {
                base_url,
                http: self.http.unwrap_or_default(),
                auth,
                user_agent,
                timeout: self.timeout,
                retry: self.retry,
            }),
        })
    }

    /// The server: the base URL, the tenant or the server variables (one of
    /// them), or else the host in the client id, or else the default.
    fn server(&self) -> Result<Url> {
        let mut variables = self.variables.clone();
        let mut base_url = self.base_url.clone();
        if let Some(tenant) = &self.tenant {
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
            None => match self
                .credentials
                .client_id()
                .and_then(|id| server_from_client_id(crate::spec::SERVER_URL, id))
            {
                Some(Server::Tenant(tenant)) => server_url(&[("tenantDomain".into(), tenant)])?,
                Some(Server::Url(url)) => url,
                None => server_url(&[])?,
            },
        };
        check_base_url(&url).map_err(Error::Config)
    }
}

/// An empty token, client id, secret or OIDC token is a configuration error.
fn check_credentials(credentials: &Credentials) -> Result<()> {
    let empty = |what: &str| Err(Error::Config(format!("the {what} is empty")));
    match credentials {
        Credentials::Bearer(token) if token.expose().trim().is_empty() => empty("bearer token"),
        Credentials::Client { id, .. } | Credentials::Federation { id, .. }
            if id.trim().is_empty() =>
        {
            empty("client id")
        }
        Credentials::Client { secret, .. } if secret.expose().trim().is_empty() => {
            empty("client secret")
        }
        Credentials::Federation {
            oidc: OidcToken::Fixed(token),
            ..
        } if token.expose().trim().is_empty() => empty("OIDC token"),
        _ => Ok(()),
    }
}

/// How a client of `base_url` authenticates.
fn auth(credentials: Credentials, dpop: bool, base_url: &Url) -> Result<Auth> {
    let grant = match credentials {
        Credentials::None | Credentials::Bearer(_) if dpop => {
            return Err(Error::Config(
                "DPoP binds tokens from the token endpoint: use it with client credentials or workload federation".into(),
            ));
        }
        Credentials::None => return Ok(Auth::None),
        Credentials::Bearer(token) => return Ok(Auth::Bearer(token)),
        Credentials::Client { id, secret } => Grant::ClientCredentials(Box::new(
            ClientCredentials::parse(&id, secret.expose())
                .map_err(|e| Error::Config(format!("invalid client secret: {e}")))?,
        )),
        Credentials::Federation { id, oidc } => Grant::Federation {
            client_id: id.trim().to_string(),
            oidc,
        },
    };
    let token_path = crate::spec::TOKEN_URL
        .ok_or_else(|| Error::Config("the API describes no token URL".into()))?;
    let token_url = base_url
        .join(token_path)
        .map_err(|e| Error::Config(format!("invalid token URL `{token_path}`: {e}")))?;
    let key = if dpop {
        Some(DpopKey::generate()?)
    } else {
        None
    };
    Ok(Auth::Token(Box::new(TokenSource::new(
        grant, token_url, key,
    )?)))
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

/// A response: read in full, or with its body left unread for streaming.
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    /// A successful response whose body is left to read, when streaming.
    pub(crate) unread: Option<reqwest::Response>,
}

/// How one request is sent: the client's settings, or a call's.
pub(crate) struct Sending<'a> {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: &'a RetryPolicy,
    pub(crate) idempotent: bool,
    /// Leave a successful response's body unread.
    pub(crate) stream: bool,
}

impl Inner {
    /// A request with the headers every request carries.
    pub(crate) fn request(
        &self,
        method: Method,
        url: Url,
        timeout: Option<Duration>,
    ) -> reqwest::RequestBuilder {
        let builder = self
            .http
            .request(method, url)
            .header(USER_AGENT, self.user_agent.clone());
        match timeout {
            Some(timeout) => builder.timeout(timeout),
            None => builder,
        }
    }

    /// How requests are sent unless a call says otherwise.
    pub(crate) fn sending(&self, idempotent: bool) -> Sending<'_> {
        Sending {
            timeout: self.timeout,
            retry: &self.retry,
            idempotent,
            stream: false,
        }
    }
}

pub(crate) fn transport_error(e: reqwest::Error, timeout: Option<Duration>) -> Error {
    match timeout {
        Some(timeout) if e.is_timeout() => Error::Timeout(timeout),
        _ => Error::Transport(e),
    }
}

/// Sends the request `build` makes (anew for each attempt, so that each
/// carries a fresh DPoP proof), again after a backoff when the retry
/// policy and the operation's idempotency allow it (see
/// [`RetryPolicy`]); reads the final response in full.
pub(crate) async fn send_with_retry(
    sending: &Sending<'_>,
    build: impl Fn() -> Result<reqwest::RequestBuilder>,
) -> Result<RawResponse> {
    let mut backoff = sending.retry.backoff();
    let mut retries = 0u32;
    loop {
        let outcome = build()?.send().await;
        let wait = match &outcome {
            Ok(response) if retry_status(response.status().as_u16(), sending.idempotent) => {
                Some(retry_after(response.headers()))
            }
            Err(e) if retry_transport(e, sending.idempotent) => Some(None),
            _ => None,
        };
        if let (Some(retry_after), Some(backoff)) = (wait, backoff.next()) {
            let delay = sending.retry.delay(backoff, retry_after);
            retries += 1;
            tracing::debug!(retries, delay_ms = delay.as_millis() as u64, "retrying");
            tokio::time::sleep(delay).await;
            continue;
        }
        let response = outcome.map_err(|e| transport_error(e, sending.timeout))?;
        let status = response.status();
        let headers = response.headers().clone();
        tracing::Span::current().record("retries", retries);
        if sending.stream && status.is_success() {
            return Ok(RawResponse {
                status,
                headers,
                body: Vec::new(),
                unread: Some(response),
            });
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| transport_error(e, sending.timeout))?
            .to_vec();
        return Ok(RawResponse {
            status,
            headers,
            body,
            unread: None,
        });
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment; see [`ClientBuilder::from_env`].
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env()?.build()
    }

    /// An access token for this client's credentials, fetched (and cached)
    /// as a call would; for tools that send requests of their own, such as
    /// curl. A client without credentials has none (a [`Error::Config`]).
    /// A DPoP-bound token is useless without a proof, so DPoP clients get
    /// an error too.
    pub async fn access_token(&self) -> Result<String> {
        let inner = &*self.inner;
        if inner.auth.dpop().is_some() {
            return Err(Error::Config(
                "a DPoP client's tokens are bound to its key; they cannot be used alone".into(),
            ));
        }
        match inner.auth.credential(inner).await? {
            Some(credential) => Ok(credential.token().to_string()),
            None => Err(Error::Config("the client has no credentials".into())),
        }
    }

    /// The server this client talks to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// What every clone shares.
    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    /// Sends `request` for the operation `name` with a call's `options`.
    pub(crate) async fn execute(
        &self,
        request: Request,
        options: &Options,
        name: &'static str,
        idempotent: bool,
    ) -> Result<RawResponse> {
        let span = tracing::info_span!(
            "c1_request",
            operation = name,
            method = %request.method,
            path = request.template,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            retries = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .execute_in_span(request, options, idempotent)
            .instrument(span.clone())
            .await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        if let Err(e) = &result {
            let _entered = span.enter();
            tracing::debug!(error = %e, "request failed");
        }
        result
    }

    async fn execute_in_span(
        &self,
        request: Request,
        options: &Options,
        idempotent: bool,
    ) -> Result<RawResponse> {
        if let Some(error) = request.error {
            return Err(error);
        }
        let inner = &*self.inner;
        let mut sending = inner.sending(idempotent);
        sending.timeout = options.timeout.or(sending.timeout);
        if let Some(retry) = &options.retry {
            sending.retry = retry;
        }
        sending.stream = options.stream;
        let url = endpoint(&inner.base_url, &request.segments, &request.query);
        let cookie = request.cookie_header()?;
        // A 401 may ask for a DPoP nonce (send again with it), or mean that
        // the cached token was revoked (get a new one, send again). Once each.
        let (mut nonce_retried, mut token_renewed) = (false, false);
        loop {
            let credential = inner.auth.credential(inner).await?;
            let response = send_with_retry(&sending, || {
                let mut builder = inner
                    .request(request.method.clone(), url.clone(), sending.timeout)
                    .header(ACCEPT, request.accept.clone());
                if let Some(credential) = &credential {
                    builder = credential.apply(builder, &request.method, &url)?;
                }
                for (name, value) in request.headers.iter().chain(&options.headers) {
                    builder = builder.header(name.clone(), value.clone());
                }
                if let Some(cookie) = &cookie {
                    builder = builder.header(COOKIE, cookie.clone());
                }
                if let Some((media, body)) = &request.body {
                    builder = builder
                        .header(CONTENT_TYPE, media.clone())
                        .body(body.clone());
                }
                Ok(builder)
            })
            .await?;
            let span = tracing::Span::current();
            span.record("status", response.status.as_u16());
            let id = request_id(&response.headers).map(str::to_string);
            if let Some(id) = &id {
                span.record("request_id", id.as_str());
            }
            let new_nonce = inner
                .auth
                .dpop()
                .is_some_and(|key| key.remember_nonce(Audience::Api, &response.headers));
            if response.status.is_success() {
                return Ok(response);
            }
            if response.status == StatusCode::UNAUTHORIZED {
                if new_nonce && !nonce_retried && api_wants_nonce(&response.headers) {
                    nonce_retried = true;
                    tracing::debug!("the API asked for a DPoP nonce; sending again");
                    continue;
                }
                if !token_renewed && inner.auth.rejected().await {
                    token_renewed = true;
                    tracing::debug!("token rejected; fetching a new one");
                    continue;
                }
            }
            return Err(ApiError::new(response.status.as_u16(), &response.body, id).into());
        }
    }
}

impl Client {
    /// What `request` would send with a call's `options`, without sending
    /// it ([`Call::dry_run`](crate::Call::dry_run)): credentials and other
    /// sensitive header values are shown as `<redacted>`, and no token is
    /// fetched.
    pub(crate) fn dry_run(&self, request: Request, options: &Options) -> Result<DryRun> {
        if let Some(error) = request.error {
            return Err(error);
        }
        if let Some(message) = &options.error {
            return Err(Error::Config(message.clone()));
        }
        let inner = &*self.inner;
        let url = endpoint(&inner.base_url, &request.segments, &request.query);
        let text = |v: &HeaderValue| String::from_utf8_lossy(v.as_bytes()).into_owned();
        let mut headers = vec![
            ("accept".to_string(), text(&request.accept)),
            ("user-agent".to_string(), text(&inner.user_agent)),
        ];
        match &inner.auth {
            Auth::None => {}
            Auth::Token(_) if inner.auth.dpop().is_some() => {
                headers.push(("authorization".into(), "DPoP <redacted>".into()));
                headers.push(("dpop".into(), REDACTED.into()));
            }
            Auth::Bearer(_) | Auth::Token(_) => {
                headers.push(("authorization".into(), "Bearer <redacted>".into()));
            }
        }
        for (name, value) in request.headers.iter().chain(&options.headers) {
            let shown = if sensitive(name.as_str()) {
                REDACTED.to_string()
            } else {
                text(value)
            };
            headers.push((name.as_str().to_string(), shown));
        }
        if request.cookie_header()?.is_some() {
            headers.push(("cookie".into(), REDACTED.into()));
        }
        let body = request.body.map(|(media, bytes)| {
            headers.push(("content-type".into(), text(&media)));
            bytes
        });
        Ok(DryRun {
            method: request.method.to_string(),
            url: url.to_string(),
            headers,
            body,
        })
    }
}

/// How a secret is shown.
const REDACTED: &str = "<redacted>";

/// Headers whose values are credentials, whatever the caller marked.
fn sensitive(name: &str) -> bool {
    [
        "authorization",
        "proxy-authorization",
        "cookie",
        "dpop",
        "x-api-key",
    ]
    .contains(&name)
}

/// A request as it would be sent ([`Call::dry_run`](crate::Call::dry_run)):
/// credentials are `<redacted>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DryRun {
    /// The HTTP method (`GET`).
    pub method: String,
    /// The whole URL, query included.
    pub url: String,
    /// The headers, by lower-case name, in the order they would be sent.
    pub headers: Vec<(String, String)>,
    /// The body's bytes, if it has one.
    pub body: Option<Vec<u8>>,
}

impl fmt::Display for DryRun {
    /// As HTTP writes it: the request line, the headers, a blank line and
    /// the body (as text, where it is text).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method, self.url)?;
        for (name, value) in &self.headers {
            writeln!(f, "{name}: {value}")?;
        }
        if let Some(body) = &self.body {
            match std::str::from_utf8(body) {
                Ok(text) => write!(f, "\n{text}")?,
                Err(_) => write!(f, "\n<{} bytes>", body.len())?,
            }
        }
        Ok(())
    }
}

/// One request, as the generated operations describe it.
#[doc(hidden)]
pub struct Request {
    method: Method,
    template: &'static str,
    segments: Vec<String>,
    query: Vec<(&'static str, String)>,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// The `Cookie` header's pairs.
    cookies: Vec<String>,
    /// The body's content type and bytes.
    body: Option<(HeaderValue, Vec<u8>)>,
    /// The media type asked for.
    accept: HeaderValue,
    error: Option<Error>,
}

impl Request {
    /// A request to the path `template`, filled in as `segments`, each
    /// percent-encoded as one path segment.
    #[allow(dead_code)] // Unused in a crate of models only (no operations).
    pub(crate) fn new(method: Method, template: &'static str, segments: &[&str]) -> Self {
        Request {
            method,
            template,
            segments: segments.iter().map(|s| s.to_string()).collect(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            accept: HeaderValue::from_static("application/json"),
            error: None,
        }
    }

    /// Adds a query parameter; `None` adds nothing, a list adds the name once per item.
    #[allow(dead_code)] // Used by operations with query parameters.
    pub(crate) fn query(mut self, name: &'static str, value: &impl Serialize) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => push_query(&mut self.query, name, value),
            Err(e) => self.error = Some(Error::Encode(e)),
        }
        self
    }

    /// Adds a header parameter; `None` adds nothing. The value is sent as
    /// text (numbers and booleans as JSON writes them, a list's items
    /// separated by commas).
    #[allow(dead_code)] // Used by operations with header parameters.
    pub(crate) fn header(mut self, name: &'static str, value: &impl Serialize) -> Self {
        let text = match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => return self,
            Ok(serde_json::Value::Array(items)) if items.is_empty() => return self,
            Ok(value) => plain_text(value),
            Err(e) => {
                self.error = Some(Error::Encode(e));
                return self;
            }
        };
        match header_pair(name, &text) {
            Ok(pair) => self.headers.push(pair),
            Err(message) => self.error = Some(Error::Config(message)),
        }
        self
    }

    /// Adds a cookie parameter; `None` adds nothing.
    #[allow(dead_code)] // Used by operations with cookie parameters.
    pub(crate) fn cookie(mut self, name: &'static str, value: &impl Serialize) -> Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => {}
            Ok(value) => self.cookies.push(format!("{name}={}", plain_text(value))),
            Err(e) => self.error = Some(Error::Encode(e)),
        }
        self
    }

    /// Sets a JSON body.
    #[allow(dead_code)] // Used by operations with JSON bodies.
    pub(crate) fn json(self, body: &impl Serialize) -> Self {
        self.json_as("application/json", body)
    }

    /// Sets a JSON body sent as another JSON media type (`application/merge-patch+json`).
    #[allow(dead_code)] // Used by operations with JSON bodies.
    pub(crate) fn json_as(mut self, media: &'static str, body: &impl Serialize) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => match media_type(media) {
                Ok(media) => self.body = Some((media, bytes)),
                Err(e) => self.error = Some(e),
            },
            Err(e) => self.error = Some(Error::Encode(e)),
        }
        self
    }

    /// Sets an `application/x-www-form-urlencoded` body.
    #[allow(dead_code)] // Used by operations with form bodies.
    pub(crate) fn form(mut self, body: crate::body::Form) -> Self {
        match body.finish() {
            Ok(bytes) => {
                let media = HeaderValue::from_static("application/x-www-form-urlencoded");
                self.body = Some((media, bytes));
            }
            Err(e) => self.error = Some(Error::Encode(e)),
        }
        self
    }

    /// Sets a `multipart/form-data` body.
    #[allow(dead_code)] // Used by operations with multipart bodies.
    pub(crate) fn multipart(mut self, body: crate::body::Multipart) -> Self {
        match body.finish() {
            Ok((media, bytes)) => match HeaderValue::from_str(&media) {
                Ok(media) => self.body = Some((media, bytes)),
                Err(_) => {
                    self.error = Some(Error::Config(format!("invalid content type `{media}`")))
                }
            },
            Err(e) => self.error = Some(Error::Encode(e)),
        }
        self
    }

    /// Sets a body of bytes (or text) of the media type `media`.
    #[allow(dead_code)] // Used by operations with binary or text bodies.
    pub(crate) fn bytes(mut self, media: &'static str, body: impl Into<Vec<u8>>) -> Self {
        match media_type(media) {
            Ok(media) => self.body = Some((media, body.into())),
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// Asks for a response of the media type `media` rather than JSON.
    #[allow(dead_code)] // Used by operations that answer with bytes or text.
    pub(crate) fn accept(mut self, media: &'static str) -> Self {
        match media_type(media) {
            Ok(media) => self.accept = media,
            Err(e) => self.error = Some(e),
        }
        self
    }
}

/// What the mock server (the `testing` feature) reads of a request.
#[cfg(feature = "testing")]
impl Request {
    /// Why the request cannot be sent, if it cannot.
    pub(crate) fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// Its HTTP method.
    pub(crate) fn method(&self) -> &Method {
        &self.method
    }

    /// Its URL on `client`'s server.
    pub(crate) fn url(&self, client: &Client) -> Url {
        endpoint(client.base_url(), &self.segments, &self.query)
    }

    /// Its query parameters, in order.
    pub(crate) fn query_pairs(&self) -> Vec<(String, String)> {
        let pairs = self.query.iter();
        pairs.map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    /// Its headers, as text.
    pub(crate) fn header_pairs(&self) -> Vec<(String, String)> {
        let text = |v: &HeaderValue| String::from_utf8_lossy(v.as_bytes()).into_owned();
        let pairs = self.headers.iter();
        pairs
            .map(|(k, v)| (k.as_str().to_string(), text(v)))
            .collect()
    }

    /// Its body.
    pub(crate) fn body(&self) -> Option<&[u8]> {
        self.body.as_ref().map(|(_, bytes)| bytes.as_slice())
    }
}

impl Request {
    /// The `Cookie` header of its cookie parameters, if it has any.
    fn cookie_header(&self) -> Result<Option<HeaderValue>> {
        if self.cookies.is_empty() {
            return Ok(None);
        }
        let (_, value) = header_pair("cookie", &self.cookies.join("; ")).map_err(Error::Config)?;
        Ok(Some(value))
    }
}

/// A header as sent, marked sensitive; when either part is not valid in a
/// header, a message that does not repeat the value (it may be a secret).
pub(crate) fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    match (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(value),
    ) {
        (Ok(name), Ok(mut value)) => {
            value.set_sensitive(true);
            Ok((name, value))
        }
        _ => Err(format!(
            "the value of the `{name}` header is not a valid header value"
        )),
    }
}

/// A media type from the spec as a header value; one that cannot be (the
/// spec's content type is not valid in a header) fails the call.
fn media_type(media: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(media).map_err(|_| {
        Error::Config(format!(
            "the content type `{media}` is not a valid header value"
        ))
    })
}

/// A header or cookie value as text: a string as it is, a list's items
/// separated by commas (OpenAPI's `simple` style), anything else as JSON.
fn plain_text(value: serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text,
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.into_iter().map(plain_text).collect();
            items.join(",")
        }
        other => other.to_string(),
    }
}

fn push_query(
    query: &mut Vec<(&'static str, String)>,
    name: &'static str,
    value: serde_json::Value,
) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::String(s) => query.push((name, s)),
        serde_json::Value::Array(items) => items
            .into_iter()
            .for_each(|item| push_query(query, name, item)),
        other => query.push((name, other.to_string())),
    }
}

/// The URL of `segments` under `base`; every segment is percent-encoded, so
/// an id with `/`, `?`, `#` or `%` stays one segment.
fn endpoint(base: &Url, segments: &[String], query: &[(&str, String)]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(base: &str, segments: &[&str]) -> String {
        let segments: Vec<String> = segments.iter().map(|s| s.to_string()).collect();
        endpoint(&Url::parse(base).unwrap(), &segments, &[]).to_string()
    }

    #[test]
    fn path_parameters_stay_in_their_segment() {
        let id = "a/b?c#d%e f-ü";
        assert_eq!(
            url(
                "https://acme.conductor.one",
                &["api", "v1", "iam", "personal_clients", id]
            ),
            "https://acme.conductor.one/api/v1/iam/personal_clients/a%2Fb%3Fc%23d%25e%20f-%C3%BC"
        );
    }

    #[test]
    fn base_url_paths_are_kept() {
        assert_eq!(
            url("http://127.0.0.1:8080/prefix/", &["api", "x"]),
            "http://127.0.0.1:8080/prefix/api/x"
        );
        assert_eq!(
            url("http://127.0.0.1:8080", &["api"]),
            "http://127.0.0.1:8080/api"
        );
    }

    #[test]
    fn a_content_type_that_is_no_header_value_fails_the_call_without_a_panic() {
        let request = Request::new(Method::POST, "/p", &[]).bytes("text/\u{1}plain", b"x".to_vec());
        assert!(matches!(request.error, Some(Error::Config(_))));
        let request = Request::new(Method::GET, "/p", &[]).accept("a\nb");
        assert!(matches!(request.error, Some(Error::Config(_))));
        let request = Request::new(Method::GET, "/p", &[]).accept("image/png");
        assert_eq!(request.accept, "image/png");
    }

    #[test]
    fn query_values_are_flattened() {
        let request = Request::new(Method::GET, "/p", &[])
            .query("a", &Some(3))
            .query("b", &None::<i32>)
            .query("c", &vec!["x", "y"])
            .query("d", &"z w");
        assert_eq!(
            request.query,
            [
                ("a", "3".to_string()),
                ("c", "x".into()),
                ("c", "y".into()),
                ("d", "z w".into())
            ]
        );
        let url = endpoint(
            &Url::parse("http://h").unwrap(),
            &["p".to_string()],
            &request.query,
        );
        assert_eq!(url.as_str(), "http://h/p?a=3&c=x&c=y&d=z+w");
    }

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
    fn client_is_cheap_to_clone_and_shareable() {
        fn assert_traits<T: Clone + Send + Sync + 'static>() {}
        assert_traits::<Client>();
        assert_eq!(std::mem::size_of::<Client>(), std::mem::size_of::<usize>());
    }
}
