//! A Rust client for the C1 (ConductorOne) API.
//!
//! The operations are grouped as in the API's documentation; each group has
//! an accessor on [`Client`]:
//!
//! ```no_run
//! # async fn run() -> c1_client::Result<()> {
//! // CONDUCTORONE_CLIENT_ID and CONDUCTORONE_CLIENT_SECRET, or CONDUCTORONE_ACCESS_TOKEN
//! let client = c1_client::Client::from_env()?;
//! let clients = client.personal_client().list().await?;
//! for pc in clients.list.unwrap_or_default() {
//!     println!("{}", pc.display_name.unwrap_or_default());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Configure a client with [`Client::builder`] (tenant or server URL, bearer
//! token or client credentials, user agent, timeout, [`RetryPolicy`]) or
//! from the environment with [`Client::from_env`]. Each request runs in a
//! `tracing` span named `c1_request` with the operation, method, path
//! template, status, retries and duration; nothing secret is recorded.
//!
//! [`models`], [`apis`] and [`spec`] are generated from the OpenAPI documents
//! by `cargo xtask codegen`; the rest of the crate is written by hand.

#![warn(missing_docs)]

mod auth;
mod client;
pub mod env;
mod error;
mod pagination;
mod retry;
mod wire;

#[rustfmt::skip]
pub mod apis;
#[rustfmt::skip]
pub mod models;
#[rustfmt::skip]
pub mod spec;

pub use client::{Client, ClientBuilder, DEFAULT_USER_AGENT};
pub use error::{ApiError, Error, Result, SNIPPET_CHARS};
pub use retry::RetryPolicy;
