//! Device login (RFC 8628): a person signs in in a browser, and the
//! program gets a personal client (a client id and secret) of their own,
//! as `cone login` and the Go SDK's `LoginFlow` do.

use std::fmt;
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use url::Url;
use zeroize::Zeroizing;

use crate::auth::Secret;
use crate::client::{Client, RawResponse, send_with_retry};
use crate::error::{ApiError, AuthError, Error, Result};

/// Where a device login starts, on the API's server.
const DEVICE_AUTHORIZATION_PATH: &str = "/auth/v1/device_authorization";
/// Where the personal client is created.
const PERSONAL_CLIENTS_PATH: &str = "/api/v1/iam/personal_clients";
const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// The poll interval when the server gives none (RFC 8628, 3.2).
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// How much slower to poll after `slow_down` (RFC 8628, 3.5).
const SLOW_DOWN: Duration = Duration::from_secs(5);

/// What to show the person signing in ([`DeviceLogin::run`]).
#[derive(Clone, Deserialize)]
#[non_exhaustive]
pub struct DeviceCode {
    /// The page to open: the verification page with the code filled in.
    pub verification_uri_complete: String,
    /// The verification page without the code, when the server gives it.
    #[serde(default)]
    pub verification_uri: Option<String>,
    /// The code the page shows; the person checks that the two match.
    pub user_code: String,
    /// How many seconds the code stays valid.
    #[serde(default)]
    pub expires_in: u64,
    /// How many seconds to wait between polls.
    #[serde(default)]
    pub interval: u64,
    /// The code exchanged for a token: not shown, not printed.
    device_code: Secret,
}

impl fmt::Debug for DeviceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCode")
            .field("verification_uri_complete", &self.verification_uri_complete)
            .field("user_code", &self.user_code)
            .field("expires_in", &self.expires_in)
            .field("interval", &self.interval)
            .finish_non_exhaustive()
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

/// The personal client a device login created: use it with
/// [`ClientBuilder::client_credentials`](crate::ClientBuilder::client_credentials),
/// and store the secret as a secret (it cannot be read again).
#[derive(Clone)]
pub struct PersonalClient {
    client_id: String,
    client_secret: Secret,
}

impl PersonalClient {
    /// The client id, such as `blue-whale-12345@acme.conductor.one/pcc`.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The client secret (`secret-token:conductorone.com:v1:...`).
    pub fn client_secret(&self) -> &str {
        self.client_secret.expose()
    }
}

impl fmt::Debug for PersonalClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PersonalClient")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .finish()
    }
}

/// A device login in preparation ([`Client::device_login`]).
#[derive(Debug)]
#[must_use = "a device login does nothing until it is run"]
pub struct DeviceLogin<'a> {
    client: &'a Client,
    oauth_client_id: String,
    display_name: String,
}

impl Client {
    /// Signs a person in with the device flow (RFC 8628) and creates a
    /// personal client of theirs. `oauth_client_id` is the id of the
    /// program's OAuth client, registered with C1 for device logins (each
    /// official tool has its own). This client needs only the server (a
    /// [`tenant`](crate::ClientBuilder::tenant)); its credentials, if any,
    /// are not used.
    ///
    /// ```no_run
    /// # async fn example() -> c1_client::Result<()> {
    /// let client = c1_client::Client::builder().tenant("acme").build()?;
    /// let created = client
    ///     .device_login("my-tool-oauth-client-id")
    ///     .display_name("my-tool on this laptop")
    ///     .run(|code| {
    ///         println!("Open {} and check that it shows {}", code.verification_uri_complete, code.user_code);
    ///         Ok(())
    ///     })
    ///     .await?;
    /// let client = c1_client::Client::builder()
    ///     .client_credentials(created.client_id(), created.client_secret())
    ///     .build()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn device_login(&self, oauth_client_id: impl Into<String>) -> DeviceLogin<'_> {
        DeviceLogin {
            client: self,
            oauth_client_id: oauth_client_id.into(),
            display_name: format!("Created by {}", crate::DEFAULT_USER_AGENT),
        }
    }
}

impl DeviceLogin<'_> {
    /// The name of the personal client to create, as C1 lists it.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = name.into();
        self
    }

    /// Runs the login: asks for a device code, gives it to `show` (print
    /// it, open the browser), polls until the person approves, then creates
    /// the personal client. Polling waits the server's `interval`, 5 s
    /// longer after each `slow_down`; a code that expires
    /// (`expired_token`) or a login that is denied (`access_denied`) is an
    /// [`Error::Auth`] that says so. An error from `show` stops the login.
    pub async fn run(self, show: impl FnOnce(&DeviceCode) -> Result<()>) -> Result<PersonalClient> {
        let code = self.device_code().await?;
        show(&code)?;
        let token = self.poll(&code).await?;
        self.create_personal_client(&token).await
    }

    fn url(&self, path: &str) -> Result<Url> {
        let base = self.client.base_url();
        base.join(path)
            .map_err(|e| Error::Config(format!("invalid URL `{path}` on `{base}`: {e}")))
    }

    /// Posts a form; asking twice does no harm.
    async fn post_form(&self, url: &Url, form: &str) -> Result<RawResponse> {
        let inner = self.client.inner();
        let sending = inner.sending(true);
        send_with_retry(&sending, || {
            Ok(inner
                .request(Method::POST, url.clone(), sending.timeout)
                .header(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                )
                .body(form.as_bytes().to_vec()))
        })
        .await
    }

    async fn device_code(&self) -> Result<DeviceCode> {
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", &self.oauth_client_id)
            .finish();
        let response = self
            .post_form(&self.url(DEVICE_AUTHORIZATION_PATH)?, &form)
            .await?;
        if response.status != StatusCode::OK {
            return Err(AuthError::rejected(response.status.as_u16(), &response.body).into());
        }
        let code: DeviceCode = serde_json::from_slice(&response.body).map_err(|e| {
            AuthError::new(format!(
                "the device authorization answer is not a device code: {e}"
            ))
        })?;
        if code.verification_uri_complete.is_empty() {
            return Err(
                AuthError::new("the device authorization answer has no verification URL").into(),
            );
        }
        Ok(code)
    }

    /// Polls the token endpoint until the person approves.
    async fn poll(&self, code: &DeviceCode) -> Result<Secret> {
        let token_path = crate::spec::TOKEN_URL
            .ok_or_else(|| Error::Config("the API describes no token URL".into()))?;
        let url = self.url(token_path)?;
        let form = Zeroizing::new(
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("grant_type", DEVICE_CODE_GRANT)
                .append_pair("device_code", code.device_code.expose())
                .append_pair("client_id", &self.oauth_client_id)
                .finish(),
        );
        let mut interval = match code.interval {
            0 => DEFAULT_INTERVAL,
            seconds => Duration::from_secs(seconds),
        };
        let expires = (code.expires_in > 0).then(|| Duration::from_secs(code.expires_in));
        let started = tokio::time::Instant::now();
        loop {
            tokio::time::sleep(interval).await;
            let response = self.post_form(&url, &form).await?;
            if response.status == StatusCode::OK {
                return token(&response.body);
            }
            match oauth_error(&response.body).as_deref() {
                Some("authorization_pending") => {}
                Some("slow_down") => interval += SLOW_DOWN,
                Some("expired_token") => return Err(expired()),
                Some("access_denied") => {
                    return Err(AuthError::new("the device login was denied in the browser").into());
                }
                _ => {
                    return Err(
                        AuthError::rejected(response.status.as_u16(), &response.body).into(),
                    );
                }
            }
            if expires.is_some_and(|expires| started.elapsed() + interval > expires) {
                return Err(expired());
            }
        }
    }

    async fn create_personal_client(&self, token: &Secret) -> Result<PersonalClient> {
        let url = self.url(PERSONAL_CLIENTS_PATH)?;
        let body = serde_json::to_vec(&serde_json::json!({"displayName": self.display_name}))
            .map_err(Error::Encode)?;
        let mut authorization = HeaderValue::try_from(format!("Bearer {}", token.expose()))
            .map_err(|_| AuthError::new("the access token is not a valid header value"))?;
        authorization.set_sensitive(true);
        let inner = self.client.inner();
        // A create: sent again only when it surely did not arrive.
        let sending = inner.sending(false);
        let response = send_with_retry(&sending, || {
            Ok(inner
                .request(Method::POST, url.clone(), sending.timeout)
                .header(AUTHORIZATION, authorization.clone())
                .header(ACCEPT, HeaderValue::from_static("application/json"))
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body.clone()))
        })
        .await?;
        if !response.status.is_success() {
            let id = crate::call::request_id(&response.headers).map(str::to_string);
            return Err(ApiError::new(response.status.as_u16(), &response.body, id).into());
        }
        personal_client(&response.body)
    }
}

fn expired() -> Error {
    AuthError::new("the device code expired before the login was approved; start the login again")
        .into()
}

/// The `error` of an OAuth error body.
fn oauth_error(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct OAuthError {
        error: String,
    }
    serde_json::from_slice::<OAuthError>(body)
        .ok()
        .map(|e| e.error)
}

/// The access token of the token endpoint's answer.
fn token(body: &[u8]) -> Result<Secret> {
    #[derive(Deserialize)]
    struct Answer {
        access_token: Secret,
    }
    let answer: Answer = serde_json::from_slice(body)
        .map_err(|e| AuthError::new(format!("the token endpoint's answer is not a token: {e}")))?;
    if answer.access_token.expose().is_empty() {
        return Err(AuthError::new("the token endpoint returned an empty access token").into());
    }
    Ok(answer.access_token)
}

/// The client id and secret of the personal client just created.
fn personal_client(body: &[u8]) -> Result<PersonalClient> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Created {
        client: Option<CreatedClient>,
        client_secret: Option<Secret>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct CreatedClient {
        client_id: Option<String>,
    }
    let created: Created = serde_json::from_slice(body).map_err(|e| {
        AuthError::new(format!(
            "the created personal client could not be read: {e}"
        ))
    })?;
    let client_id = created
        .client
        .and_then(|c| c.client_id)
        .filter(|id| !id.is_empty());
    let client_secret = created.client_secret.filter(|s| !s.expose().is_empty());
    match (client_id, client_secret) {
        (Some(client_id), Some(client_secret)) => Ok(PersonalClient {
            client_id,
            client_secret,
        }),
        _ => Err(AuthError::new("the created personal client has no client id or secret").into()),
    }
}
