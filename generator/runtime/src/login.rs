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

use crate::client::Client;
use crate::error::{ApiError, AuthError, Error, Result};
use crate::oauth::{
    MAX_TOKEN_LIFETIME, TokenAnswer, clamp_seconds, oauth_error, post_form, token_url,
};
use crate::retry::Retries;
use crate::secret::Secret;
use crate::send::{RawResponse, request_id};

/// Where a device login starts, on the API's server.
const DEVICE_AUTHORIZATION_PATH: &str = "/auth/v1/device_authorization";
/// Where the personal client is created.
const PERSONAL_CLIENTS_PATH: &str = "/api/v1/iam/personal_clients";
const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// The poll interval when the server gives none (RFC 8628, 3.2).
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// How much slower to poll after `slow_down` (RFC 8628, 3.5).
const SLOW_DOWN: Duration = Duration::from_secs(5);
/// The slowest polling: a longer `interval` is read as this.
const MAX_INTERVAL: Duration = Duration::from_secs(60);
/// How long a device code is taken to be valid when the server gives no
/// `expires_in`; a longer one is read as a day.
const DEFAULT_CODE_LIFETIME: Duration = Duration::from_secs(10 * 60);

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
    /// How many seconds the code stays valid (0 when the server did not
    /// say: the login then gives up after 10 minutes). At most a day is
    /// waited, whatever it says.
    #[serde(default, deserialize_with = "crate::oauth::seconds_or_zero")]
    pub expires_in: u64,
    /// How many seconds to wait between polls (0 when the server did not
    /// say: 5). At most a minute is waited, whatever it says.
    #[serde(default, deserialize_with = "crate::oauth::seconds_or_zero")]
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
        let sending = self.client.transport().sending(Retries::Idempotent);
        let form = || Ok(Zeroizing::new(form.to_string()));
        post_form(&sending, url, form, Ok).await
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
        let url = token_url(self.client.base_url())?;
        let form = Zeroizing::new(
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("grant_type", DEVICE_CODE_GRANT)
                .append_pair("device_code", code.device_code.expose())
                .append_pair("client_id", &self.oauth_client_id)
                .finish(),
        );
        let mut schedule = Schedule::of(code);
        let started = tokio::time::Instant::now();
        loop {
            tokio::time::sleep(schedule.interval).await;
            let response = self.post_form(&url, &form).await?;
            if response.status == StatusCode::OK {
                return Ok(TokenAnswer::parse(&response.body)?.access_token);
            }
            match oauth_error(&response.body).as_deref() {
                Some("authorization_pending") => {}
                Some("slow_down") => schedule.slow_down(),
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
            if schedule.expired(started.elapsed()) {
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
        // A create: sent again only when it surely did not arrive.
        let sending = self.client.transport().sending(Retries::Unsent);
        let response = sending
            .send(|| {
                Ok(sending
                    .request(Method::POST, url.clone())
                    .header(AUTHORIZATION, authorization.clone())
                    .header(ACCEPT, HeaderValue::from_static("application/json"))
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(body.clone()))
            })
            .await?;
        if !response.status.is_success() {
            let id = request_id(&response.headers).map(str::to_string);
            return Err(ApiError::new(response.status.as_u16(), &response.body, id).into());
        }
        personal_client(&response.body)
    }
}

fn expired() -> Error {
    AuthError::new("the device code expired before the login was approved; start the login again")
        .into()
}

/// When to poll and when to give up, from what the server said, clamped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Schedule {
    interval: Duration,
    lifetime: Duration,
}

impl Schedule {
    fn of(code: &DeviceCode) -> Self {
        Schedule {
            interval: match code.interval {
                0 => DEFAULT_INTERVAL,
                seconds => clamp_seconds(seconds, MAX_INTERVAL),
            },
            lifetime: match code.expires_in {
                0 => DEFAULT_CODE_LIFETIME,
                seconds => clamp_seconds(seconds, MAX_TOKEN_LIFETIME),
            },
        }
    }

    /// Polls more slowly, as `slow_down` asks.
    fn slow_down(&mut self) {
        self.interval = (self.interval + SLOW_DOWN).min(MAX_INTERVAL);
    }

    /// Whether the code will have expired by the next poll, `elapsed`
    /// after the first.
    fn expired(&self, elapsed: Duration) -> bool {
        elapsed.saturating_add(self.interval) > self.lifetime
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code(json: serde_json::Value) -> DeviceCode {
        let mut code = serde_json::json!({
            "verification_uri_complete": "https://acme.conductor.one/device?code=X",
            "user_code": "X",
            "device_code": "d",
        });
        if let (Some(code), Some(extra)) = (code.as_object_mut(), json.as_object()) {
            code.extend(extra.clone());
        }
        serde_json::from_value(code).unwrap()
    }

    #[test]
    fn absurd_intervals_and_lifetimes_are_clamped() {
        let schedule = Schedule::of(&code(serde_json::json!({})));
        assert_eq!(schedule.interval, DEFAULT_INTERVAL);
        assert_eq!(schedule.lifetime, DEFAULT_CODE_LIFETIME);
        let huge = serde_json::json!({"interval": u64::MAX, "expires_in": u64::MAX});
        let mut schedule = Schedule::of(&code(huge));
        assert_eq!(
            (schedule.interval, schedule.lifetime),
            (MAX_INTERVAL, MAX_TOKEN_LIFETIME)
        );
        schedule.slow_down();
        assert_eq!(schedule.interval, MAX_INTERVAL);
        assert!(schedule.expired(Duration::MAX));
        let odd = serde_json::json!({"interval": -3, "expires_in": "600"});
        let schedule = Schedule::of(&code(odd));
        assert_eq!(schedule.interval, DEFAULT_INTERVAL);
        assert_eq!(schedule.lifetime, Duration::from_secs(600));
    }

    fn any_seconds() -> impl Strategy<Value = serde_json::Value> {
        prop_oneof![
            Just(serde_json::Value::Null),
            any::<u64>().prop_map(Into::into),
            any::<i64>().prop_map(Into::into),
            any::<f64>().prop_map(|f| serde_json::json!(f)),
        ]
    }

    proptest! {
        #[test]
        fn no_device_answer_panics(
            interval in any_seconds(),
            expires_in in any_seconds(),
            slow_downs in 0..40usize,
            elapsed in any::<u64>(),
        ) {
            let mut schedule = Schedule::of(&code(serde_json::json!({
                "interval": interval, "expires_in": expires_in,
            })));
            for _ in 0..slow_downs {
                schedule.slow_down();
            }
            prop_assert!(schedule.interval <= MAX_INTERVAL && schedule.interval > Duration::ZERO);
            prop_assert!(schedule.lifetime <= MAX_TOKEN_LIFETIME);
            let _ = schedule.expired(Duration::from_secs(elapsed));
        }
    }
}
