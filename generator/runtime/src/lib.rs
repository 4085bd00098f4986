//! A Rust client for the C1 (ConductorOne) API.
//!
//! The operations are grouped as in the API's documentation; each group has
//! an accessor on [`Client`], and each operation a method that takes its
//! required arguments (path parameters, the request body) and returns a
//! [`Call`]. Set the optional parameters on the call, then `.await` it:
//!
//! `client.apps().list().page_size(50).await?` (each operation's docs have
//! an example). The same options apply to every call:
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use c1_client::prelude::*;
//! use c1_client::{Call, Operation, Paginated};
//!
//! /// Sends any call with a 10-second timeout; gives its body and request id.
//! async fn timed<Op: Operation>(call: Call<Op>) -> Result<(Op::Output, Option<String>)> {
//!     let response = call.timeout(Duration::from_secs(10)).with_response().await?;
//!     let id = response.request_id().map(str::to_string);
//!     Ok((response.into_inner(), id))
//! }
//!
//! /// Every item of a paginated call, page after page.
//! async fn all<Op: Paginated>(call: Call<Op>) -> Result<Vec<Op::Item>> {
//!     call.items().try_collect().await
//! }
//! ```
//!
//! A call can also set its own [`timeout`](Call::timeout),
//! [`retry_policy`](Call::retry_policy) and extra [`header`](Call::header)s,
//! and [`with_response`](Call::with_response) gives the status, headers and
//! request id with the body. Paginated operations stream their
//! [`pages`](Call::pages) or [`items`](Call::items); the streams are
//! `Unpin + Send + 'static`, and end with [`Error::RepeatedPageToken`] if
//! the server repeats a page token. [`poll_until`](Call::poll_until) sends a
//! call again until its answer is the awaited one (a task closed).
//!
//! Configure a client with [`Client::builder`] (tenant or server URL; a
//! bearer token, client credentials or workload federation's OIDC token,
//! optionally DPoP-bound; user agent, timeouts, [`RetryPolicy`]) or from the
//! environment with [`Client::from_env`]. Every request has a timeout:
//! [`DEFAULT_TIMEOUT`] and [`DEFAULT_CONNECT_TIMEOUT`] unless the client or
//! the call sets its own. [`Client::device_login`] signs a
//! person in and creates client credentials for them. Retries respect
//! idempotency: operations that only read are retried on more failures than
//! creates and updates (see [`RetryPolicy`]). [`Error`] answers
//! [`status`](Error::status), [`is_not_found`](Error::is_not_found),
//! [`is_retryable`](Error::is_retryable) and
//! [`request_id`](Error::request_id). Each request runs in a `tracing` span
//! named `c1_request` with the operation, method, path template, status,
//! request id, retries and duration; nothing secret is recorded.
//!
//! Each operation group is a cargo feature; `full`, the default, enables them
//! all. With `default-features = false` and only the groups a program uses,
//! the crate compiles just those groups and the models they need. The
//! `testing` feature (off by default; enable it in `[dev-dependencies]`)
//! adds `testing::MockServer`, a local stand-in for the API with typed
//! expectations, for the tests of programs that use the client.
//!
//! [`models`], [`apis`] and [`spec`] are generated from the OpenAPI documents
//! by `cargo xtask codegen`; the rest of the crate, the runtime, is copied
//! from the generator's `runtime/` folder.

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
mod body;
mod builder;
mod call;
mod client;
mod credentials;
mod dpop;
pub mod env;
mod error;
mod login;
mod oauth;
mod pagination;
mod request;
mod retry;
mod secret;
mod send;
mod tenant;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
mod wait;
mod wire;

pub use body::File;
pub use builder::{ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT};
pub use call::{ByteStream, Call, JsonFuture, Operation, Response};
pub use client::Client;
pub use error::{ApiError, AuthError, Code, Error, Result, SNIPPET_CHARS, decode_json};
pub use login::{DeviceCode, DeviceLogin, PersonalClient};
pub use pagination::{CallStream, Items, Pages, Paginated};
pub use request::DryRun;
pub use retry::{Retries, RetryPolicy};
pub use wait::WaitError;

/// What most programs use: `use c1_client::prelude::*;` brings the client,
/// its errors and the stream traits that consume [`Call::pages`] and
/// [`Call::items`] (`while let Some(item) = items.try_next().await? {}`).
pub mod prelude {
    pub use crate::{Client, Error, Response, Result, RetryPolicy};
    pub use futures_util::{Stream, StreamExt, TryStreamExt};
}
