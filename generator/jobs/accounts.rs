//! Your accounts in an app, for a request that does not name one
//! (`app_user.list_app_users_for_user`). An API without that operation
//! gets `without/accounts.rs` instead.

use futures_util::TryStreamExt;

use super::{Candidate, Error, Result};
use crate::Client;

/// Your account in app `app_id`: none (the app makes one), the one you
/// have, or [`Error::SeveralAccounts`], each account with its name.
pub(super) async fn account(client: &Client, app_id: &str, me: &str) -> Result<Option<String>> {
    let call = client.app_user().list_app_users_for_user(app_id, me);
    let views: Vec<_> = call.items().try_collect().await?;
    let mut accounts: Vec<Candidate> = views
        .into_iter()
        .filter_map(|view| view.app_user)
        .filter(|user| user.deleted_at.is_none())
        .filter_map(|user| {
            let name = [&user.display_name, &user.username, &user.email]
                .into_iter()
                .find_map(|n| n.clone().filter(|n| !n.is_empty()));
            Some(Candidate {
                id: user.id.filter(|id| !id.is_empty())?,
                display_name: name.unwrap_or_default(),
            })
        })
        .collect();
    match accounts.len() {
        0 => Ok(None),
        1 => Ok(Some(accounts.remove(0).id)),
        _ => Err(Error::SeveralAccounts {
            app_id: app_id.to_string(),
            accounts,
        }),
    }
}
