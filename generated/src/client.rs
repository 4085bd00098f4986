//! The HTTP client the generated operations run on.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use url::Url;

use crate::error::{Error, Result};

/// A client for the API. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: Url,
    http: reqwest::Client,
    token: Option<Secret>,
}

/// A bearer token; never shown by `Debug`.
struct Secret(String);

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("token", &self.inner.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    variables: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    token: Option<Secret>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("variables", &self.variables)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl ClientBuilder {
    /// Talks to the tenant's server: `acme` means `https://acme.conductor.one`.
    ///
    /// Sets the `tenantDomain` variable of [`SERVER_URL`](crate::spec::SERVER_URL).
    pub fn tenant(self, tenant: impl Into<String>) -> Self {
        self.server_variable("tenantDomain", tenant)
    }

    /// Sets a placeholder of [`SERVER_URL`](crate::spec::SERVER_URL); the
    /// others keep their defaults ([`SERVER_VARIABLES`](crate::spec::SERVER_VARIABLES)).
    pub fn server_variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.variables.push((name.into(), value.into()));
        self
    }

    /// Talks to this server instead of [`SERVER_URL`](crate::spec::SERVER_URL)
    /// (for example a test server).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sends `Authorization: Bearer <token>` with every request.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Secret(token.into()));
        self
    }

    /// Uses this `reqwest` client (for its proxy, TLS or timeout settings).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client; a base URL, or the server variables without a
    /// default (such as the tenant), must have been given.
    pub fn build(self) -> Result<Client> {
        let url = match self.base_url {
            Some(_) if !self.variables.is_empty() => {
                return Err(Error::Config(
                    "give a base URL or server variables (such as the tenant), not both".into(),
                ))
            }
            Some(url) => url,
            None => server_url(&self.variables)?,
        };
        let base_url = Url::parse(&url)
            .map_err(|e| Error::Config(format!("invalid server URL `{url}`: {e}")))?;
        if base_url.cannot_be_a_base() {
            return Err(Error::Config(format!(
                "invalid server URL `{url}`: it cannot have a path"
            )));
        }
        Ok(Client {
            inner: Arc::new(Inner {
                base_url,
                http: self.http.unwrap_or_default(),
                token: self.token,
            }),
        })
    }
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
        url = url.replace(&format!("{{{name}}}"), value);
    }
    for (name, default) in crate::spec::SERVER_VARIABLES {
        url = url.replace(&format!("{{{name}}}"), default);
    }
    Ok(url)
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The server this client talks to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Sends `request` and decodes the JSON response.
    pub(crate) async fn send<T: DeserializeOwned>(&self, request: Request<'_>) -> Result<T> {
        let body = self.execute(request).await?;
        serde_json::from_slice(&body).map_err(Error::Decode)
    }

    /// Sends `request` and ignores the response body.
    #[allow(dead_code)] // Used by operations without a response body.
    pub(crate) async fn send_no_content(&self, request: Request<'_>) -> Result<()> {
        self.execute(request).await.map(drop)
    }

    async fn execute(&self, request: Request<'_>) -> Result<Vec<u8>> {
        if let Some(error) = request.error {
            return Err(error);
        }
        let url = endpoint(&self.inner.base_url, request.segments, &request.query);
        let mut builder = self
            .inner
            .http
            .request(request.method, url)
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(Secret(token)) = &self.inner.token {
            let mut value = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
                Error::Config("the bearer token is not a valid header value".into())
            })?;
            value.set_sensitive(true);
            builder = builder.header(AUTHORIZATION, value);
        }
        if let Some(body) = request.body {
            builder = builder
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body);
        }
        let response = builder.send().await.map_err(Error::Transport)?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(Error::Transport)?;
        if !status.is_success() {
            return Err(Error::Api {
                status: status.as_u16(),
                body: String::from_utf8_lossy(&bytes).into_owned(),
            });
        }
        Ok(bytes.to_vec())
    }
}

/// One request, as the generated operations describe it.
pub(crate) struct Request<'a> {
    method: Method,
    segments: &'a [&'a str],
    query: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
    error: Option<Error>,
}

impl<'a> Request<'a> {
    /// A request to the path made of `segments`, each percent-encoded as one segment.
    pub(crate) fn new(method: Method, segments: &'a [&'a str]) -> Self {
        Request {
            method,
            segments,
            query: Vec::new(),
            body: None,
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

    /// Sets a JSON body.
    pub(crate) fn json(mut self, body: &impl Serialize) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(e) => self.error = Some(Error::Encode(e)),
        }
        self
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
fn endpoint(base: &Url, segments: &[&str], query: &[(&str, String)]) -> Url {
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
        endpoint(&Url::parse(base).unwrap(), segments, &[]).to_string()
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
    fn query_values_are_flattened() {
        let request = Request::new(Method::GET, &[])
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
        let url = endpoint(&Url::parse("http://h").unwrap(), &["p"], &request.query);
        assert_eq!(url.as_str(), "http://h/p?a=3&c=x&c=y&d=z+w");
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
}
