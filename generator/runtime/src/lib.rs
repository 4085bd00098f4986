//! A Rust client for the C1 (ConductorOne) API.
//!
//! The operations are grouped as in the API's documentation; each group has
//! an accessor on [`Client`]:
//!
//! `client.personal_client().list()` lists your personal client
//! credentials; the repository's README and `examples/personal_clients.rs`
//! show a whole program.
//!
//! Configure a client with [`Client::builder`] (tenant or server URL, bearer
//! token or client credentials, user agent, timeout, [`RetryPolicy`]) or
//! from the environment with [`Client::from_env`]. Each request runs in a
//! `tracing` span named `c1_request` with the operation, method, path
//! template, status, retries and duration; nothing secret is recorded.
//!
//! Each operation group is a cargo feature; `full`, the default, enables them
//! all. With `default-features = false` and only the groups a program uses,
//! the crate compiles just those groups and the models they need. Paginated
//! operations also have an `<operation>_pages` method: a `Stream` of every page.
//!
//! [`models`], [`apis`] and [`spec`] are generated from the OpenAPI documents
//! by `cargo xtask codegen`; the rest of the crate, the runtime, is copied
//! from the generator's `runtime/` folder.

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
mod call;
mod client;
pub mod env;
mod error;
mod pagination;
mod retry;
mod wire;

pub use call::{Call, Operation, Response};
pub use client::{Client, ClientBuilder, DEFAULT_USER_AGENT};
pub use error::{ApiError, AuthError, Code, Error, Result, SNIPPET_CHARS};
pub use pagination::{Items, Pages, Paginated};
pub use retry::RetryPolicy;

/// What most programs use: `use c1_client::prelude::*;` brings the client,
/// its errors and the stream traits that consume [`Call::pages`] and
/// [`Call::items`] (`while let Some(item) = items.try_next().await? {}`).
pub mod prelude {
    pub use crate::{Client, Error, Response, Result, RetryPolicy};
    pub use futures_util::{Stream, StreamExt, TryStreamExt};
}
