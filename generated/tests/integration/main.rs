//! The client's integration tests, one module per subject, in one test
//! binary: each binary links the whole client, so one is built, not twenty.

mod auth;
mod calls;
mod client;
mod common;
mod device_login;
mod dpop;
mod env;
mod errors;
mod example;
mod expanded;
mod federation;
mod jobs;
mod mock_example;
mod models;
mod observability;
mod operations;
mod retries;
mod testing;
mod update_masks;
mod waiting;
