//! What an agent's arguments may be, read for a command line: the names a
//! tool takes, values as a command line writes them, and how much of an
//! answer an agent may ask for.

use serde_json::{Map, Value, json};

/// Items a list answer holds unless `limit` says otherwise.
pub const DEFAULT_ITEMS: usize = 50;
/// The most items `limit` may ask for.
pub const MAX_ITEMS: usize = 500;
/// The most characters of JSON an answer takes.
pub const MAX_CHARS: usize = 20_000;

pub fn limit_schema() -> Value {
    json!({"type": "integer", "minimum": 1, "maximum": MAX_ITEMS, "description": format!("At most this many items (default {DEFAULT_ITEMS}); answers are also cut to {MAX_CHARS} characters")})
}

pub fn fields_schema() -> Value {
    json!({"type": "array", "items": {"type": "string"}, "description": "Keep only these fields of each item (or of the answer): JSON names, dotted for nested ones (`id`, `displayName`, `app.id`)"})
}

/// Refuses an argument not in `names`.
pub fn known<'a>(
    args: &Map<String, Value>,
    names: impl Iterator<Item = &'a str> + Clone,
) -> Result<(), String> {
    match args
        .keys()
        .find(|key| !names.clone().any(|n| n == key.as_str()))
    {
        Some(key) => {
            let names: Vec<&str> = names.collect();
            Err(format!(
                "unknown argument `{key}`; the arguments are: {}",
                names.join(", ")
            ))
        }
        None => Ok(()),
    }
}

/// A value as a command line writes it: a string as it is, any other JSON as JSON.
pub fn plain(name: &str, value: &Value) -> Result<String, String> {
    match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => Ok(flag_text(value)),
        _ => Err(format!("`{name}` must be a string")),
    }
}

/// A flag's text: a string as it is, any other JSON as JSON.
pub fn flag_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn boolean(name: &str, value: &Value) -> Result<bool, String> {
    value
        .as_bool()
        .ok_or_else(|| format!("`{name}` must be true or false"))
}

/// The `limit` argument, or the default.
pub fn limit(args: &Map<String, Value>) -> Result<usize, String> {
    match args.get("limit") {
        None | Some(Value::Null) => Ok(DEFAULT_ITEMS),
        Some(value) => value
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| (1..=MAX_ITEMS).contains(n))
            .ok_or_else(|| format!("`limit` must be a whole number from 1 to {MAX_ITEMS}")),
    }
}

/// The `fields` argument.
pub fn fields(args: &Map<String, Value>) -> Result<Vec<String>, String> {
    match args.get("fields") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(names)) => names
            .iter()
            .map(|n| n.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| "`fields` must be a list of names".to_string()),
        Some(_) => Err("`fields` must be a list of names".into()),
    }
}
