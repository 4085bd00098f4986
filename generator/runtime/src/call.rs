//! One call of an operation: [`Call`], what it is awaited for, and the
//! options a single call can change.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use futures_util::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::request::{DryRun, Options, Request, header_pair};
use crate::retry::{Retries, RetryPolicy};
use crate::send::{RawResponse, request_id, transport_error};

/// An operation of the API: what one call sends and what it gives back.
///
/// The generated parameter types (`apis::apps::List`, ...) implement it;
/// it is not meant to be implemented elsewhere.
pub trait Operation: Clone + Send + Sync + 'static {
    /// What awaiting a call gives.
    type Output: Send + 'static;
    /// The operation's name in traces (`apps.list`).
    const NAME: &'static str;
    /// Which failures a call is tried again after: what the operation
    /// does decides (it reads, writes idempotently, or uses something up).
    const RETRIES: Retries;
    /// The request this call sends.
    #[doc(hidden)]
    fn request(&self) -> Request;
    /// Reads a successful response body.
    #[doc(hidden)]
    fn decode(body: &[u8]) -> Result<Self::Output>;
}

/// A call of one operation, ready to send: `.await` it, after setting the
/// operation's optional parameters and, if need be, this call's
/// [`timeout`](Self::timeout), [`retry_policy`](Self::retry_policy) or
/// extra [`header`](Self::header)s.
#[must_use = "a call does nothing until it is awaited"]
#[derive(Clone)]
pub struct Call<Op> {
    pub(crate) client: Client,
    pub(crate) op: Op,
    pub(crate) options: Options,
}

impl<Op: fmt::Debug> fmt::Debug for Call<Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("op", &self.op)
            .field("options", &self.options)
            .finish()
    }
}

impl<Op> Call<Op> {
    /// A call of `op` on `client`.
    #[allow(dead_code)] // Unused in a crate of models only (no operations).
    pub(crate) fn new(client: &Client, op: Op) -> Self {
        Call {
            client: client.clone(),
            op,
            options: Options::default(),
        }
    }

    /// Gives up on this call (each attempt) after `timeout`, instead of the
    /// client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Retries this call as `policy` says, instead of the client's policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Sends this header too. A name or value that is not valid in a header
    /// fails the call with [`Error::Config`] (which does not repeat the value).
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        match header_pair(name.as_ref(), value.as_ref()) {
            Ok(pair) => self.options.headers.push(pair),
            Err(e) => self.options.error = Some(e),
        }
        self
    }
}

impl<Op: Operation> Call<Op> {
    /// Sends the call; gives the decoded body with the response's status
    /// and headers.
    pub async fn with_response(self) -> Result<Response<Op::Output>> {
        let raw = self.send_raw().await?;
        let value = Op::decode(&raw.body)?;
        Ok(Response {
            status: raw.status,
            headers: raw.headers,
            value,
        })
    }

    /// Sends the call; gives the answer as the JSON the server sent, once
    /// it has been checked to decode as the operation's output (so a body
    /// the document does not allow is the same [`Error::Decode`] awaiting
    /// the call gives). Fields the client's models do not know are kept.
    /// An empty body is `null`; a text answer is a JSON string.
    ///
    /// For programs that pass answers on rather than read them (a command
    /// line, a proxy); the future is the same type for every operation.
    pub fn json(self) -> JsonFuture {
        let request = self.op.request();
        Box::pin(send_json(
            self.client,
            request,
            self.options,
            Op::NAME,
            Op::RETRIES,
            check::<Op>,
        ))
    }

    /// Sends the call; gives the raw answer. Generic only in what it takes
    /// from the operation: the sending is one function for all of them.
    fn send_raw(self) -> impl Future<Output = Result<RawResponse>> + Send + 'static {
        let request = self.op.request();
        send(self.client, request, self.options, Op::NAME, Op::RETRIES)
    }

    /// The request this call would send, without sending it: method, URL,
    /// headers and body, with credentials shown as `<redacted>` (no token
    /// is fetched). An argument that cannot be encoded is the same error
    /// sending would give.
    pub fn dry_run(&self) -> Result<DryRun> {
        self.client.dry_run(self.op.request(), &self.options)
    }

    /// Sends the call; gives the decoded body. The same as `.await`.
    pub async fn send(self) -> Result<Op::Output> {
        self.with_response().await.map(Response::into_inner)
    }
}

/// The answer of [`Call::json`].
pub type JsonFuture = Pin<Box<dyn Future<Output = Result<Response<serde_json::Value>>> + Send>>;

/// Checks that `body` decodes as `Op`'s output.
fn check<Op: Operation>(body: &[u8]) -> Result<()> {
    Op::decode(body).map(drop)
}

/// Sends `request` as `client` and `options` say.
pub(crate) async fn send(
    client: Client,
    request: Request,
    options: Options,
    name: &'static str,
    retries: Retries,
) -> Result<RawResponse> {
    if let Some(message) = options.error {
        return Err(Error::Config(message));
    }
    client.execute(request, &options, name, retries).await
}

/// Sends `request`, checks the answer with `check`, and gives it as JSON.
async fn send_json(
    client: Client,
    request: Request,
    options: Options,
    name: &'static str,
    retries: Retries,
    check: fn(&[u8]) -> Result<()>,
) -> Result<Response<serde_json::Value>> {
    let raw = send(client, request, options, name, retries).await?;
    check(&raw.body)?;
    Ok(Response {
        value: json_value(&raw.body),
        status: raw.status,
        headers: raw.headers,
    })
}

/// `body` as JSON: `null` when empty, a string when it is text, not JSON.
pub(crate) fn json_value(body: &[u8]) -> serde_json::Value {
    if body.iter().all(u8::is_ascii_whitespace) {
        return serde_json::Value::Null;
    }
    serde_json::from_slice(body)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(body).into_owned()))
}

/// A response body read chunk by chunk as it arrives ([`Call::stream`]).
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<bytes::Bytes>> + Send>>;

impl<Op: Operation<Output = Vec<u8>>> Call<Op> {
    /// Sends a call that answers with bytes (a download) and gives the body
    /// as a stream of chunks as they arrive, rather than in one `Vec`, with
    /// the response's status and headers. The call is retried as usual until
    /// an answer comes; a failure while reading the body ends the stream with
    /// its error. The client's timeout bounds the wait for the answer and
    /// each pause in the body ([`Error::Timeout`] when no chunk comes for
    /// that long), not the whole download; a call's own
    /// [`timeout`](Call::timeout) bounds the whole of it.
    pub async fn stream(mut self) -> Result<Response<ByteStream>> {
        self.options.stream = true;
        let timeout = self.options.timeout;
        let pause = match timeout {
            Some(_) => None,
            None => self.client.transport().timeout,
        };
        let raw = self.send_raw().await?;
        let chunks = futures_util::stream::try_unfold(raw.unread, move |response| async move {
            let Some(mut response) = response else {
                return Ok(None);
            };
            let chunk = match pause {
                Some(pause) => tokio::time::timeout(pause, response.chunk())
                    .await
                    .map_err(|_| Error::Timeout(pause))?,
                None => response.chunk().await,
            };
            match chunk {
                Ok(Some(chunk)) => Ok(Some((chunk, Some(response)))),
                Ok(None) => Ok(None),
                Err(e) => Err(transport_error(e, timeout)),
            }
        });
        Ok(Response {
            status: raw.status,
            headers: raw.headers,
            value: Box::pin(chunks),
        })
    }
}

impl<Op: Operation> IntoFuture for Call<Op> {
    type Output = Result<Op::Output>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<Op::Output>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A successful answer: the decoded body, with the status and headers it
/// came with ([`Call::with_response`]).
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    value: T,
}

impl<T> Response<T> {
    /// A response, for tests of code that takes one.
    pub fn new(status: StatusCode, headers: HeaderMap, value: T) -> Self {
        Response {
            status,
            headers,
            value,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `x-request-id` header, which C1 support asks for.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The decoded body.
    pub fn get_ref(&self) -> &T {
        &self.value
    }

    /// The decoded body, by value.
    pub fn into_inner(self) -> T {
        self.value
    }
}
