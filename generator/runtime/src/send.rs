//! Sending: one HTTP request, tried again as the retry policy allows, and
//! its answer read. Everything that talks to a server goes through here:
//! the API's operations, the token endpoint and the device login.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Method, StatusCode};
use url::Url;

use crate::error::{Error, Result};
use crate::retry::{Retries, RetryPolicy, retry_after, retry_status, retry_transport};

/// The HTTP client and the settings every request of a client shares.
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
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
    pub(crate) transport: &'a Transport,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: &'a RetryPolicy,
    pub(crate) retries: Retries,
    /// Leave a successful response's body unread.
    pub(crate) stream: bool,
    /// The timeout bounds the wait for the answer, not the reading of its
    /// body (a streamed download, whose reader bounds each pause instead).
    pub(crate) idle: bool,
}

impl Transport {
    /// How requests are sent unless a call says otherwise; `retries` says
    /// which failures are tried again.
    pub(crate) fn sending(&self, retries: Retries) -> Sending<'_> {
        Sending {
            transport: self,
            timeout: self.timeout,
            retry: &self.retry,
            retries,
            stream: false,
            idle: false,
        }
    }
}

impl Sending<'_> {
    /// A request with the headers every request carries.
    pub(crate) fn request(&self, method: Method, url: Url) -> reqwest::RequestBuilder {
        let builder = self
            .transport
            .http
            .request(method, url)
            .header(USER_AGENT, self.transport.user_agent.clone());
        match self.timeout.filter(|_| !self.idle) {
            Some(timeout) => builder.timeout(timeout),
            None => builder,
        }
    }

    /// Sends the request `build` makes (anew for each attempt, so that each
    /// carries a fresh DPoP proof or client assertion), again after a
    /// backoff when the retry policy and the operation's idempotency allow
    /// it (see [`RetryPolicy`]); reads the final response in full.
    pub(crate) async fn send(
        &self,
        build: impl Fn() -> Result<reqwest::RequestBuilder>,
    ) -> Result<RawResponse> {
        let mut backoff = self.retry.backoff();
        let mut retries = 0u32;
        loop {
            let sent = build()?.send();
            let outcome = match self.timeout.filter(|_| self.idle) {
                Some(timeout) => match tokio::time::timeout(timeout, sent).await {
                    Ok(outcome) => outcome,
                    Err(_) => return Err(Error::Timeout(timeout)),
                },
                None => sent.await,
            };
            let wait = match &outcome {
                Ok(response) if retry_status(response.status().as_u16(), self.retries) => {
                    Some(retry_after(response.headers()))
                }
                Err(e) if retry_transport(e, self.retries) => Some(None),
                _ => None,
            };
            if let (Some(retry_after), Some(backoff)) = (wait, backoff.next()) {
                let delay = self.retry.delay(backoff, retry_after);
                retries += 1;
                tracing::debug!(retries, delay_ms = delay.as_millis() as u64, "retrying");
                tokio::time::sleep(delay).await;
                continue;
            }
            tracing::Span::current().record("retries", retries);
            return self
                .read(outcome.map_err(|e| transport_error(e, self.timeout))?)
                .await;
        }
    }

    /// Reads a final response; a streamed success keeps its body unread.
    async fn read(&self, response: reqwest::Response) -> Result<RawResponse> {
        let status = response.status();
        let headers = response.headers().clone();
        if self.stream && status.is_success() {
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
            .map_err(|e| transport_error(e, self.timeout))?
            .to_vec();
        Ok(RawResponse {
            status,
            headers,
            body,
            unread: None,
        })
    }
}

/// A failure to send or read: [`Error::Timeout`] when the timeout passed.
pub(crate) fn transport_error(e: reqwest::Error, timeout: Option<Duration>) -> Error {
    match timeout {
        Some(timeout) if e.is_timeout() => Error::Timeout(timeout),
        _ => Error::Transport(e),
    }
}

/// The `x-request-id` header, which C1 support asks for.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-request-id").and_then(|v| v.to_str().ok())
}
