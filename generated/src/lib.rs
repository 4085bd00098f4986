//! A Rust client for the C1 (ConductorOne) API.
//!
//! The operations are grouped as in the API's documentation; each group has
//! an accessor on [`Client`]:
//!
//! ```no_run
//! # async fn run() -> c1_client::Result<()> {
//! let client = c1_client::Client::builder()
//!     .tenant("acme")
//!     .bearer_token("...")
//!     .build()?;
//! let clients = client.personal_client().list().await?;
//! for pc in clients.list.unwrap_or_default() {
//!     println!("{}", pc.display_name.unwrap_or_default());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! [`models`], [`apis`] and [`spec`] are generated from the OpenAPI documents
//! by `cargo xtask codegen`; this file, [`Client`] and [`Error`] are written
//! by hand.

mod client;
mod error;

#[rustfmt::skip]
pub mod apis;
#[rustfmt::skip]
pub mod models;
#[rustfmt::skip]
pub mod spec;

pub use client::{Client, ClientBuilder};
pub use error::{Error, Result};
