//! The entitlement's request form (`request_schema.get`): the fields given
//! are checked against it and typed as it says. An API without that
//! operation gets `without/form.rs` instead.

use serde_json::{Map, Value};

use super::{Error, FormField, Result};
use crate::Client;
use crate::models::{AppEntitlement, TaskServiceCreateGrantRequest};

/// The form data to send for `entitlement`: every required field given,
/// no field the form does not have (none at all when it has no form), and
/// each value as the field's type reads it (`true` for a checkbox, a
/// number for a whole-number field, when given as text).
pub(super) async fn check(
    client: &Client,
    entitlement: &AppEntitlement,
    given: &Map<String, Value>,
) -> Result<Map<String, Value>> {
    let schema = entitlement
        .request_schema_id
        .as_deref()
        .filter(|s| !s.is_empty());
    let Some(schema) = schema else {
        return match given.keys().next() {
            Some(name) => Err(Error::UnknownFormField {
                name: name.clone(),
                known: Vec::new(),
            }),
            None => Ok(Map::new()),
        };
    };
    let answer = client.request_schema().get(schema).await?;
    let form = answer
        .request_schema
        .and_then(|s| s.form)
        .unwrap_or_default();
    let known: Vec<String> = form.fields.iter().filter_map(|f| f.name.clone()).collect();
    if let Some(name) = given.keys().find(|name| !known.contains(name)) {
        return Err(Error::UnknownFormField {
            name: name.clone(),
            known,
        });
    }
    let mut data = Map::new();
    let mut missing = Vec::new();
    for field in form.fields {
        let Some(name) = field.name.clone() else {
            continue;
        };
        match given.get(&name) {
            Some(value) => {
                let typed = typed(&field, value).ok_or_else(|| {
                    Error::Invalid(format!("the form field `{name}` {}", expected(&field)))
                })?;
                data.insert(name, typed);
            }
            None if field.required == Some(true) => missing.push(FormField {
                display_name: field.display_name.unwrap_or_else(|| name.clone()),
                description: field.description.unwrap_or_default(),
                name,
            }),
            None => {}
        }
    }
    if missing.is_empty() {
        Ok(data)
    } else {
        Err(Error::MissingFormFields { fields: missing })
    }
}

/// Puts the form data into the grant task's body (`requestData`).
pub(super) fn attach(body: &mut TaskServiceCreateGrantRequest, data: Map<String, Value>) {
    body.request_data = (!data.is_empty()).then_some(data);
}

/// `value` as `field` takes it: text given for a checkbox or a whole
/// number is read as one; `None` when it is not one.
fn typed(field: &crate::models::FormField, value: &Value) -> Option<Value> {
    let text = value.as_str().map(str::trim);
    if field.bool_field.is_some() {
        return match (value, text) {
            (Value::Bool(_), _) => Some(value.clone()),
            (_, Some("true")) => Some(Value::Bool(true)),
            (_, Some("false")) => Some(Value::Bool(false)),
            _ => None,
        };
    }
    if field.int64_field.is_some() {
        return match (value, text) {
            (Value::Number(n), _) if n.is_i64() => Some(value.clone()),
            (_, Some(text)) => text.parse::<i64>().ok().map(Value::from),
            _ => None,
        };
    }
    Some(value.clone())
}

/// What a field of this type takes, for an error.
fn expected(field: &crate::models::FormField) -> &'static str {
    if field.bool_field.is_some() {
        "is a checkbox: give `true` or `false`"
    } else {
        "is a whole number"
    }
}
