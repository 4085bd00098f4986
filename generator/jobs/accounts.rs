//! Your accounts in an app, each with its name
//! (`app_user.list_app_users_for_user`): to pick the account of a request
//! that names none, and to name accounts in messages. An API without that
//! operation gets `without/accounts.rs` instead.

use futures_util::TryStreamExt;

use super::{Candidate, Result};
use crate::Client;

/// Your accounts in app `app_id`, each with its id and name (its display
/// name, else its username, else its email).
pub(super) async fn yours(client: &Client, app_id: &str, me: &str) -> Result<Vec<Candidate>> {
    let call = client.app_user().list_app_users_for_user(app_id, me);
    let views: Vec<_> = call.items().try_collect().await?;
    let accounts = views
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
    Ok(accounts)
}
