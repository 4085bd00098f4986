//! Your accounts in an app, for an API that cannot list them (no
//! `app_user.list_app_users_for_user`, as in C1's documents before 2025):
//! a request that names no account names you, and C1 picks the account;
//! messages name accounts by id. `cargo xtask codegen` warns that this
//! crate was generated so.

use super::{Candidate, Result};
use crate::Client;

/// None known: the task names you (`identityUserId`) and C1 picks yours.
pub(super) async fn yours(_client: &Client, _app_id: &str, _me: &str) -> Result<Vec<Candidate>> {
    Ok(Vec::new())
}
