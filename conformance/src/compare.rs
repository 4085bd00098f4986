//! Compares a value with what the client wrote after reading it, up to the
//! normalizations the client documents (the README's table):
//!
//! - an absent property, `null`, and (for lists and maps) an empty one are
//!   the same;
//! - properties the schema does not name are dropped;
//! - `int64`/`uint64` compare as integers, durations, date-times and base64
//!   as the values they spell; what the client writes must still be in the
//!   form the API writes ([`Format::sent`]).
//!
//! Everything else must come back as it went: every property, every list
//! item, enum values the client does not know.

use serde_json::Value;

use crate::document::{Document, Operation};
use crate::formats::{self, Format};
use crate::validate::{match_path, Request};
use crate::{child, Problem};

/// What a request was built from: each parameter's text by place (`path`,
/// `query`, ...) and wire name, and the body.
#[derive(Debug, Clone, Default)]
pub struct Given {
    /// `(place, wire name, text)`.
    pub params: Vec<(String, String, String)>,
    /// The body, as given.
    pub body: Option<Value>,
}

/// The problems where `request`, built for `op` against `base`, does not
/// carry what was `given`: a path or query parameter sent otherwise, or a
/// body that does not come back the same ([`compare`]).
pub fn sent_as_given(
    doc: &Document,
    op: &Operation,
    base: &url::Url,
    request: &Request,
    given: &Given,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let path = match_path(&op.path, base, &request.url).unwrap_or_default();
    for (place, name, text) in &given.params {
        let sent: Vec<String> = match place.as_str() {
            "path" => path
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .collect(),
            "query" => request
                .url
                .query_pairs()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
                .collect(),
            _ => continue,
        };
        if sent != [text.clone()] {
            problems.push(Problem {
                pointer: child(&format!("/{place}"), name),
                message: format!("{text:?} was sent as {sent:?}"),
            });
        }
    }
    if let (Some(schema), Some(before), Some(after)) = (&op.body, &given.body, &request.body) {
        for mut p in compare(doc, schema, before, after) {
            p.pointer = format!("/body{}", p.pointer);
            problems.push(p);
        }
    }
    problems
}

/// The differences between `before` and `after`, both values of `schema`.
pub fn compare(doc: &Document, schema: &Value, before: &Value, after: &Value) -> Vec<Problem> {
    walk(doc, schema, before, after, false)
}

/// As [`compare`], for a value the client sends: `readOnly` properties,
/// which it never sends, may be dropped.
pub fn compare_sent(doc: &Document, schema: &Value, before: &Value, after: &Value) -> Vec<Problem> {
    walk(doc, schema, before, after, true)
}

fn walk(doc: &Document, schema: &Value, before: &Value, after: &Value, sent: bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    Walk {
        doc,
        problems: &mut problems,
        sent,
    }
    .value(schema, before, after, "", 0);
    problems
}

struct Walk<'a> {
    doc: &'a Document,
    problems: &'a mut Vec<Problem>,
    /// `readOnly` properties may be dropped.
    sent: bool,
}

/// Deeper than this the walk stops (the generator never goes this deep).
const MAX_DEPTH: usize = 64;

impl Walk<'_> {
    fn problem(&mut self, pointer: &str, message: String) {
        self.problems.push(Problem {
            pointer: pointer.to_string(),
            message,
        });
    }

    fn value(&mut self, schema: &Value, before: &Value, after: &Value, at: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.doc.resolve(schema);
        if let Some(members) = ["oneOf", "anyOf"]
            .iter()
            .find_map(|k| schema.get(*k).and_then(Value::as_array))
        {
            self.union(members, before, after, at, depth);
            return;
        }
        let kind = schema.get("type").and_then(Value::as_str);
        let object = kind == Some("object")
            || schema.get("properties").is_some()
            || schema.get("allOf").is_some();
        match (before, after) {
            (Value::Null, Value::Null) => return,
            (Value::Null, _) if empty(after) => return,
            (_, Value::Null) if empty(before) => return,
            _ => {}
        }
        if kind == Some("array") {
            self.array(schema, before, after, at, depth);
        } else if object {
            self.object(schema, before, after, at, depth);
        } else if let (Some(format), Value::String(_) | Value::Number(_)) =
            (Format::of(schema), before)
        {
            self.formatted(format, before, after, at);
        } else if kind == Some("number") {
            if before.as_f64() != after.as_f64() {
                self.problem(at, format!("{before} came back as {after}"));
            }
        } else if before != after {
            self.problem(at, format!("{before} came back as {after}"));
        }
    }

    fn union(&mut self, members: &[Value], before: &Value, after: &Value, at: &str, depth: usize) {
        let mut first = None;
        for member in members {
            let mut found = Vec::new();
            Walk {
                doc: self.doc,
                problems: &mut found,
                sent: self.sent,
            }
            .value(member, before, after, at, depth + 1);
            if found.is_empty() {
                return;
            }
            first.get_or_insert(found);
        }
        self.problems.extend(first.unwrap_or_default());
    }

    fn array(&mut self, schema: &Value, before: &Value, after: &Value, at: &str, depth: usize) {
        // `null` is an empty list.
        let list = |v: &Value| match v {
            Value::Array(items) => Some(items.clone()),
            Value::Null => Some(Vec::new()),
            _ => None,
        };
        let (Some(b), Some(a)) = (list(before), list(after)) else {
            self.problem(at, format!("{before} came back as {after}"));
            return;
        };
        if b.len() != a.len() {
            self.problem(at, format!("{} items came back as {}", b.len(), a.len()));
            return;
        }
        let items = schema.get("items").cloned().unwrap_or(Value::Bool(true));
        for (i, (b, a)) in b.iter().zip(&a).enumerate() {
            self.value(&items, b, a, &format!("{at}/{i}"), depth + 1);
        }
    }

    /// Every property the schema names (its `allOf` members' too), and the
    /// entries of a map.
    fn object(&mut self, schema: &Value, before: &Value, after: &Value, at: &str, depth: usize) {
        let empty = serde_json::Map::new();
        let as_map = |v: &Value| match v {
            Value::Object(m) => Some(m.clone()),
            Value::Null => Some(empty.clone()),
            _ => None,
        };
        let (Some(b), Some(a)) = (as_map(before), as_map(after)) else {
            self.problem(at, format!("{before} came back as {after}"));
            return;
        };
        let mut named: Vec<(String, Value)> = Vec::new();
        let mut extra = schema.get("additionalProperties").cloned();
        let mut shapes = vec![schema.clone()];
        while let Some(shape) = shapes.pop() {
            let shape = self.doc.resolve(&shape).clone();
            if let Some(properties) = shape["properties"].as_object() {
                named.extend(properties.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            if let Some(members) = shape["allOf"].as_array() {
                shapes.extend(members.iter().cloned());
            }
            if extra.is_none() {
                extra = shape.get("additionalProperties").cloned();
            }
        }
        for (name, property) in &named {
            let read_only = |s: &Value| s.get("readOnly") == Some(&Value::Bool(true));
            if self.sent && (read_only(property) || read_only(self.doc.resolve(property))) {
                continue;
            }
            let (bv, av) = (
                b.get(name).unwrap_or(&Value::Null),
                a.get(name).unwrap_or(&Value::Null),
            );
            self.value(property, bv, av, &child(at, name), depth + 1);
        }
        let known = |key: &str| named.iter().any(|(k, _)| k == key);
        match extra {
            Some(Value::Bool(true)) => {
                for (key, bv) in b.iter().filter(|(k, _)| !known(k)) {
                    if a.get(key) != Some(bv) {
                        self.problem(
                            &child(at, key),
                            format!("{bv} came back as {:?}", a.get(key)),
                        );
                    }
                }
            }
            Some(values @ Value::Object(_)) => {
                let keys: std::collections::BTreeSet<&String> = b.keys().chain(a.keys()).collect();
                for key in keys.into_iter().filter(|k| !known(k)) {
                    let (bv, av) = (
                        b.get(key).unwrap_or(&Value::Null),
                        a.get(key).unwrap_or(&Value::Null),
                    );
                    if bv.is_null() != av.is_null() {
                        self.problem(&child(at, key), format!("{bv} came back as {av}"));
                    } else {
                        self.value(&values, bv, av, &child(at, key), depth + 1);
                    }
                }
            }
            _ => {
                for key in a.keys().filter(|k| !known(k)) {
                    self.problem(
                        &child(at, key),
                        "written, but the schema does not name it".into(),
                    );
                }
            }
        }
    }

    fn formatted(&mut self, format: Format, before: &Value, after: &Value, at: &str) {
        let text = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let (Some(b), Some(a)) = (text(before), text(after)) else {
            self.problem(at, format!("{before} came back as {after}"));
            return;
        };
        let string_format = matches!(format, Format::Int64 | Format::Uint64) && before.is_string()
            || matches!(format, Format::Duration | Format::Bytes | Format::DateTime);
        if string_format && !after.is_string() {
            self.problem(
                at,
                format!("{before} was written as {after}, not as a string"),
            );
            return;
        }
        if string_format && !format.sent(&a) {
            self.problem(
                at,
                format!("written as {a:?}, not as the API writes {format:?}"),
            );
        }
        let same = match format {
            Format::Int64 | Format::Uint64 | Format::Int32 | Format::Uint32 => {
                b.parse::<i128>().ok() == a.parse::<i128>().ok()
            }
            Format::Duration => formats::duration(&b) == formats::duration(&a),
            Format::Bytes => formats::bytes(&b) == formats::bytes(&a),
            Format::DateTime => formats::instant(&b) == formats::instant(&a),
        };
        if !same {
            self.problem(at, format!("{before} came back as {after}"));
        }
    }
}

/// `null`, `[]` or `{}`.
fn empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Document {
        Document {
            root: json!({"components": {"schemas": {
                "Thing": {"type": "object", "properties": {
                    "id": {"type": "string", "format": "int64"},
                    "wait": {"type": "string", "format": "duration"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "at": {"type": "string", "format": "date-time"},
                    "data": {"type": "string", "format": "base64"},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}}
                }}
            }}}),
        }
    }

    fn diff(before: Value, after: Value) -> Vec<String> {
        let schema = json!({"$ref": "#/components/schemas/Thing"});
        compare(&doc(), &schema, &before, &after)
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn documented_normalizations_are_no_difference() {
        assert!(diff(
            json!({"id": "7", "wait": "PT1H", "tags": [], "at": "2024-01-01T02:00:00.50+02:00", "data": "aGk", "labels": null, "zz": 1}),
            json!({"id": "7", "wait": "3600s", "at": "2024-01-01T00:00:00.5Z", "data": "aGk="})
        )
        .is_empty());
    }

    #[test]
    fn a_lost_or_changed_value_is_named_by_its_pointer() {
        assert_eq!(
            diff(json!({"tags": ["a"]}), json!({})),
            ["/tags: 1 items came back as 0"]
        );
        assert_eq!(
            diff(json!({"id": "7"}), json!({"id": 7})),
            ["/id: \"7\" was written as 7, not as a string"]
        );
        assert_eq!(
            diff(
                json!({"labels": {"a/b": "x"}}),
                json!({"labels": {"a/b": "y"}})
            ),
            ["/labels/a~1b: \"x\" came back as \"y\""]
        );
        assert_eq!(
            diff(json!({}), json!({"other": 1})),
            ["/other: written, but the schema does not name it"]
        );
        assert_eq!(
            diff(json!({"wait": "1.5s"}), json!({"wait": "PT1.5S"})),
            ["/wait: written as \"PT1.5S\", not as the API writes Duration"]
        );
    }
}
