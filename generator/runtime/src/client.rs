//! The client the generated operations run on: what its clones share, and
//! how one call is sent (credentials, DPoP nonces, a refused token
//! replaced once, tracing). Configuring is in [`builder`](crate::builder),
//! encoding in [`request`](crate::request), sending in [`send`](crate::send).

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use reqwest::StatusCode;
use tracing::Instrument;
use url::Url;

use crate::auth::Auth;
use crate::dpop::{Audience, api_wants_nonce};
use crate::error::{ApiError, Error, Result};
use crate::request::{DryRun, Options, Request};
use crate::retry::Retries;
use crate::send::{RawResponse, Transport, request_id};

/// A client for the API.
///
/// Cheap to clone (clones share one connection pool and one token cache),
/// and `Send + Sync`, so one client can serve a whole program.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What every clone of a client shares.
struct Inner {
    base_url: Url,
    transport: Transport,
    auth: Auth,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let transport = &self.inner.transport;
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth.describe())
            .field("user_agent", &transport.user_agent)
            .field("timeout", &transport.timeout)
            .field("retry", &transport.retry)
            .finish()
    }
}

impl Client {
    /// A client of the server `base_url` ([`ClientBuilder::build`](crate::ClientBuilder::build)).
    pub(crate) fn from_parts(base_url: Url, transport: Transport, auth: Auth) -> Self {
        Client {
            inner: Arc::new(Inner {
                base_url,
                transport,
                auth,
            }),
        }
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
        match inner.auth.credential(&inner.transport).await? {
            Some(credential) => Ok(credential.token().to_string()),
            None => Err(Error::Config("the client has no credentials".into())),
        }
    }

    /// The server this client talks to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// How this client sends requests.
    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// Sends `request` for the operation `name` with a call's `options`.
    pub(crate) async fn execute(
        &self,
        request: Request,
        options: &Options,
        name: &'static str,
        retries: Retries,
    ) -> Result<RawResponse> {
        let span = tracing::info_span!(
            "c1_request",
            operation = name,
            method = %request.method(),
            path = request.template(),
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            retries = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .execute_in_span(request, options, retries)
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
        retries: Retries,
    ) -> Result<RawResponse> {
        let request = request.checked()?;
        let inner = &*self.inner;
        let mut sending = inner.transport.sending(retries);
        // A streamed download is not cut at the client's timeout, only
        // when it stops (see `Call::stream`); its own timeout cuts it.
        sending.idle = options.stream && options.timeout.is_none();
        sending.timeout = options.timeout.or(sending.timeout);
        if let Some(retry) = &options.retry {
            sending.retry = retry;
        }
        sending.stream = options.stream;
        let url = request.url(&inner.base_url);
        let method = request.method();
        // A 401 may ask for a DPoP nonce (send again with it), or mean that
        // the token was revoked (get a new one, send again). Once each.
        let (mut nonce_retried, mut token_renewed) = (false, false);
        loop {
            let credential = inner.auth.credential(&inner.transport).await?;
            let response = sending
                .send(|| {
                    let mut builder = sending.request(method.clone(), url.clone());
                    if let Some(credential) = &credential {
                        builder = credential.apply(builder, method, &url)?;
                    }
                    request.encode(builder, &options.headers)
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
                if let Some(refused) = &credential {
                    if !token_renewed && inner.auth.rejected(refused).await {
                        token_renewed = true;
                        tracing::debug!("token rejected; fetching a new one");
                        continue;
                    }
                }
            }
            return Err(ApiError::new(response.status.as_u16(), &response.body, id).into());
        }
    }

    /// What `request` would send with a call's `options`, without sending
    /// it ([`Call::dry_run`](crate::Call::dry_run)): credentials and other
    /// sensitive header values are shown as `<redacted>`, and no token is
    /// fetched.
    pub(crate) fn dry_run(&self, request: Request, options: &Options) -> Result<DryRun> {
        let inner = &*self.inner;
        let text = String::from_utf8_lossy(inner.transport.user_agent.as_bytes()).into_owned();
        let mut first = vec![("user-agent".to_string(), text)];
        match &inner.auth {
            Auth::None => {}
            Auth::Token(_) if inner.auth.dpop().is_some() => {
                first.push(("authorization".into(), "DPoP <redacted>".into()));
                first.push(("dpop".into(), "<redacted>".into()));
            }
            Auth::Bearer(_) | Auth::Token(_) => {
                first.push(("authorization".into(), "Bearer <redacted>".into()));
            }
        }
        request.dry_run(&inner.base_url, first, options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_cheap_to_clone_and_shareable() {
        fn assert_traits<T: Clone + Send + Sync + 'static>() {}
        assert_traits::<Client>();
        assert_eq!(std::mem::size_of::<Client>(), std::mem::size_of::<usize>());
    }
}
