//! Schemas: how two documents' versions of one schema become one.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{files, items, ordered_union, show, Kind, Merger, Note, NoteKind, Part};
use crate::error::Pointer;
use crate::names::component_type_name;
use crate::normalize::wrap_ref_with_annotations;

impl Merger {
    /// A schema: a reference with annotations is compared as the reference
    /// and its annotations (`{$ref, nullable}`), then wrapped again.
    pub(super) fn schema(&mut self, at: &Pointer, parts: &[Part]) -> Value {
        let opened: Vec<Cow<Value>> = parts.iter().map(|p| open_reference(p.value)).collect();
        if opened.iter().all(|v| *v == opened[0]) {
            return parts[0].value.clone();
        }
        let opened = with_values(parts, &opened);
        if !opened.iter().all(|p| p.value.is_object()) {
            return self.node(Kind::Strict, at, &opened);
        }
        let widened = self.widen(at, &opened);
        let opened = match &widened {
            Some(values) => with_values(&opened, values),
            None => opened,
        };
        let mut merged = self.object(Kind::Schema, at, &opened);
        wrap_ref_with_annotations(&mut merged);
        Value::Object(merged)
    }

    /// The schemas with what some documents write narrower made as wide as
    /// the widest (`None`: nothing to widen), each widening noted:
    /// - `integer` beside `number` is a `number` (the integer's format
    ///   dropped): a later version that allows fractions;
    /// - `additionalProperties: true` beside a schema is `true`: any value
    ///   is what the schema allows at most (C1's SDK documents spell "any
    ///   JSON value" as an `anyOf` of every kind).
    fn widen(&mut self, at: &Pointer, parts: &[Part]) -> Option<Vec<Value>> {
        let integers = with_type(parts, "integer");
        let numbers = with_type(parts, "number");
        let typed = parts
            .iter()
            .filter(|p| p.value.get("type").is_some())
            .count();
        // Only where nothing else (a string, an object) stands beside them.
        let widen_numbers =
            !integers.is_empty() && !numbers.is_empty() && integers.len() + numbers.len() == typed;
        let (any, maps) = additional_properties(parts);
        let widen_maps = !any.is_empty() && !maps.is_empty();
        if !widen_numbers && !widen_maps {
            return None;
        }
        let mut values: Vec<Value> = parts.iter().map(|p| p.value.clone()).collect();
        for obj in values.iter_mut().filter_map(Value::as_object_mut) {
            if widen_numbers && obj.get("type").and_then(Value::as_str) == Some("integer") {
                obj.insert("type".into(), Value::from("number"));
                obj.shift_remove("format");
            }
            if widen_maps && obj.contains_key(ADDITIONAL) {
                obj.insert(ADDITIONAL.into(), Value::Bool(true));
            }
        }
        if widen_numbers {
            self.note(
                NoteKind::Widened,
                at.push("type"),
                format!(
                    "integer in {} but number in {}; merged as number",
                    files(&integers),
                    files(&numbers)
                ),
            );
        }
        if widen_maps {
            self.note(
                NoteKind::Widened,
                at.push(ADDITIONAL),
                format!(
                    "{ADDITIONAL} is true (any value) in {} but a schema in {}; merged as true",
                    files(&any),
                    files(&maps)
                ),
            );
        }
        Some(values)
    }

    /// A schema's `required`: the names every document requires.
    pub(super) fn required(&mut self, at: &Pointer, parts: &[Part]) -> Option<Value> {
        let lists: Vec<Vec<&Value>> = parts
            .iter()
            .map(|p| items(p.value.get("required")))
            .collect();
        let mut kept = Vec::new();
        for name in ordered_union(lists.clone(), |v| v.to_string()) {
            let mut with = Vec::new();
            let mut without = Vec::new();
            for (part, list) in parts.iter().zip(&lists) {
                if list.contains(&name) {
                    with.push(*part);
                } else {
                    without.push(*part);
                }
            }
            if without.is_empty() {
                kept.push(name.clone());
                continue;
            }
            self.notes.push(Note {
                kind: NoteKind::Required,
                pointer: at.to_string(),
                message: format!(
                    "{} is required in {} but not in {}; merged as optional",
                    show(name),
                    files(&with),
                    files(&without)
                ),
            });
        }
        (!kept.is_empty()).then_some(Value::Array(kept))
    }

    /// A schema's `enum`: every value of every document.
    pub(super) fn enum_values(&mut self, at: &Pointer, with: &[Part]) -> Value {
        let lists: Vec<Vec<&Value>> = with.iter().map(|p| items(Some(p.value))).collect();
        let union: Vec<&Value> = ordered_union(lists.clone(), |v| v.to_string());
        // One note per set of documents that lack some values.
        let mut groups: Vec<(Vec<&str>, Vec<&Value>)> = Vec::new();
        for value in &union {
            let lacking: Vec<&str> = with
                .iter()
                .zip(&lists)
                .filter(|(_, list)| !list.contains(value))
                .map(|(p, _)| p.file)
                .collect();
            if lacking.is_empty() {
                continue;
            }
            match groups.iter_mut().find(|(files, _)| *files == lacking) {
                Some((_, values)) => values.push(value),
                None => groups.push((lacking, vec![value])),
            }
        }
        for (lacking, values) in groups {
            let having: Vec<&str> = with
                .iter()
                .map(|p| p.file)
                .filter(|f| !lacking.contains(f))
                .collect();
            let shown: Vec<String> = values.iter().map(|v| show(v)).collect();
            self.notes.push(Note {
                kind: NoteKind::EnumValues,
                pointer: at.to_string(),
                message: format!(
                    "{} in {} but not in {}; merged as the union",
                    shown.join(", "),
                    having.join(", "),
                    lacking.join(", ")
                ),
            });
        }
        Value::Array(union.into_iter().cloned().collect())
    }

    /// A component schema's Rust type name must be the same in every document.
    pub(super) fn check_type_name(&mut self, at: &Pointer, parts: &[Part]) {
        let tokens = at.tokens();
        let [first, second, key] = tokens.as_slice() else {
            return;
        };
        if (first.as_str(), second.as_str()) != ("components", "schemas") {
            return;
        }
        let type_name = |p: &Part| {
            let name = p
                .value
                .get("x-speakeasy-name-override")
                .and_then(Value::as_str);
            component_type_name(name, key)
        };
        self.same_name(at, parts, "type", type_name);
    }
}

const ADDITIONAL: &str = "additionalProperties";

/// The parts with other values (one per part, in order).
fn with_values<'a, V: std::borrow::Borrow<Value>>(
    parts: &[Part<'a>],
    values: &'a [V],
) -> Vec<Part<'a>> {
    parts
        .iter()
        .zip(values)
        .map(|(p, value)| Part {
            file: p.file,
            value: value.borrow(),
        })
        .collect()
}

/// The parts whose schema has `type: kind`.
fn with_type<'a>(parts: &[Part<'a>], kind: &str) -> Vec<Part<'a>> {
    parts
        .iter()
        .filter(|p| p.value.get("type").and_then(Value::as_str) == Some(kind))
        .copied()
        .collect()
}

/// The parts whose `additionalProperties` is `true`, and those whose is a schema.
fn additional_properties<'a>(parts: &[Part<'a>]) -> (Vec<Part<'a>>, Vec<Part<'a>>) {
    let of = |p: &Part<'a>| p.value.get(ADDITIONAL);
    let any = parts.iter().filter(|p| of(p) == Some(&Value::Bool(true)));
    let maps = parts.iter().filter(|p| of(p).is_some_and(Value::is_object));
    (any.copied().collect(), maps.copied().collect())
}

/// `{allOf: [{$ref: X}], ...annotations}` as `{$ref: X, ...annotations}`, so
/// that a reference compares with the same reference written bare.
pub(super) fn open_reference(value: &Value) -> Cow<'_, Value> {
    let Some(obj) = value.as_object() else {
        return Cow::Borrowed(value);
    };
    let reference = match obj
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([Value::Object(member)]) if member.len() == 1 => member.get("$ref"),
        _ => None,
    };
    let Some(reference) = reference else {
        return Cow::Borrowed(value);
    };
    let mut opened = Map::new();
    opened.insert("$ref".into(), reference.clone());
    for (key, v) in obj.iter().filter(|(k, _)| *k != "allOf") {
        opened.insert(key.clone(), v.clone());
    }
    Cow::Owned(Value::Object(opened))
}
