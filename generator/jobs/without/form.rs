//! The request form, for an API that has none (no `request_schema.get`, or
//! no `requestData` in a grant task, as in C1's documents before 2026): a
//! request with form fields is refused, since they could not be checked or
//! would not be sent. `cargo xtask codegen` warns that this crate was
//! generated so.

use serde_json::{Map, Value};

use super::{Error, Result};
use crate::Client;
use crate::models::{AppEntitlement, TaskServiceCreateGrantRequest};

/// No form data: there is no form to check it against.
pub(super) async fn check(
    _client: &Client,
    _entitlement: &AppEntitlement,
    given: &Map<String, Value>,
) -> Result<Map<String, Value>> {
    match given.keys().next() {
        Some(name) => Err(Error::Invalid(format!(
            "this client's API has no request forms, so the form field `{name}` cannot be sent"
        ))),
        None => Ok(Map::new()),
    }
}

/// Nothing to put in the body.
pub(super) fn attach(_body: &mut TaskServiceCreateGrantRequest, _data: Map<String, Value>) {}
