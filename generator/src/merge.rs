//! Stage 3, merge: combine the normalized documents into one API.
//!
//! Named things (paths, methods, components, tags) are united by name. Where
//! two documents describe the same node they must agree, except that:
//!
//! - a schema is `nullable` when any document says so (a note names the files);
//! - `description`, `title`, `summary` and `example` may differ (a note names
//!   the files); the longest text wins, ties going to the smaller one, so the
//!   choice does not depend on file order.
//!
//! Every other difference is a [`Error::Conflict`] naming both files and the
//! first differing JSON pointer. The same path and method in two documents
//! must be the same operation. Documents are taken in file-name order, so the
//! result does not depend on the order they are given in.

use serde_json::{Map, Value};

use crate::error::{Error, Pointer, Result};
use crate::normalize::{parse_openapi, NormalizedDocument, METHODS};

/// How the merged document is named in messages.
pub const MERGED: &str = "merged document";

/// Keys whose differences are reported as notes, not conflicts.
const PROSE: [&str; 4] = ["description", "title", "summary", "example"];

/// The merged API.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The merged canonical document.
    pub value: Value,
    /// The same, as `openapiv3` reads it.
    pub api: openapiv3::OpenAPI,
    /// Reconciliations made along the way.
    pub notes: Vec<Note>,
}

/// A difference between documents that the merge reconciled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Where the documents differed.
    pub pointer: String,
    /// What was reconciled, naming the files.
    pub message: String,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// What the merge found besides the merged value.
#[derive(Default)]
struct Ctx {
    notes: Vec<Note>,
    /// Conflicts found so far; the merge goes on to find the others.
    errors: Vec<Error>,
}

/// One document's version of a node.
#[derive(Clone, Copy)]
struct Part<'a> {
    file: &'a str,
    value: &'a Value,
}

/// Merges normalized documents into one API.
pub fn merge(docs: &[NormalizedDocument]) -> Result<Merged> {
    let mut sorted: Vec<&NormalizedDocument> = docs.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let parts: Vec<Part> = sorted
        .iter()
        .map(|d| Part {
            file: &d.name,
            value: &d.value,
        })
        .collect();
    let mut ctx = Ctx::default();
    let value = match parts.as_slice() {
        [] => Value::Object(Map::new()),
        [one] => one.value.clone(),
        _ => merge_node(&Pointer::root(), &parts, &mut ctx)?,
    };
    if !ctx.errors.is_empty() {
        return Err(Error::from_many(ctx.errors));
    }
    let notes = ctx.notes;
    let api = parse_openapi(MERGED, &value)?;
    Ok(Merged { value, api, notes })
}

/// Whether the children of the node at `pointer` are named things that the
/// documents may each contribute some of.
fn is_union(pointer: &str) -> bool {
    let depth = pointer.matches('/').count();
    pointer == "/"
        || pointer == "/paths"
        || pointer == "/components"
        || (depth == 2 && (pointer.starts_with("/paths/") || pointer.starts_with("/components/")))
}

/// Whether `pointer` is an operation (`/paths/{path}/{method}`).
fn is_operation(pointer: &str) -> bool {
    let tokens: Vec<&str> = pointer.split('/').collect();
    tokens.len() == 4 && tokens[1] == "paths" && METHODS.contains(&tokens[3])
}

fn merge_node(at: &Pointer, parts: &[Part], ctx: &mut Ctx) -> Result<Value> {
    let first = parts[0];
    if parts.iter().all(|p| p.value == first.value) {
        return Ok(first.value.clone());
    }
    if is_operation(at.as_str()) {
        return Err(operation_conflict(at, parts));
    }
    if at.as_str() == "/tags" {
        return merge_tags(at, parts, ctx);
    }
    if parts.iter().all(|p| p.value.is_object()) {
        return merge_objects(at, parts, ctx);
    }
    if let Some(arrays) = all_arrays(parts) {
        if arrays.iter().all(|a| a.len() == arrays[0].len()) {
            return merge_arrays(at, parts, &arrays, ctx);
        }
    }
    let other = parts
        .iter()
        .find(|p| p.value != first.value)
        .copied()
        .unwrap_or(first);
    Err(conflict(
        at,
        first,
        other,
        format!("{} vs {}", show(first.value), show(other.value)),
    ))
}

fn all_arrays<'a>(parts: &[Part<'a>]) -> Option<Vec<&'a Vec<Value>>> {
    parts.iter().map(|p| p.value.as_array()).collect()
}

fn merge_arrays(
    at: &Pointer,
    parts: &[Part],
    arrays: &[&Vec<Value>],
    ctx: &mut Ctx,
) -> Result<Value> {
    if at.as_str().ends_with("/required") && same_set(arrays) {
        return Ok(parts[0].value.clone());
    }
    (0..arrays[0].len())
        .map(|i| {
            let items: Vec<Part> = parts
                .iter()
                .zip(arrays)
                .map(|(p, a)| Part {
                    file: p.file,
                    value: &a[i],
                })
                .collect();
            merge_node(&at.index(i), &items, ctx)
        })
        .collect::<Result<Vec<_>>>()
        .map(Value::Array)
}

fn same_set(arrays: &[&Vec<Value>]) -> bool {
    let sorted = |a: &Vec<Value>| {
        let mut v: Vec<String> = a.iter().map(Value::to_string).collect();
        v.sort();
        v
    };
    let first = sorted(arrays[0]);
    arrays.iter().all(|a| sorted(a) == first)
}

fn merge_objects(at: &Pointer, parts: &[Part], ctx: &mut Ctx) -> Result<Value> {
    let union = is_union(at.as_str());
    let mut keys: Vec<&String> = Vec::new();
    for part in parts {
        for key in part.value.as_object().into_iter().flat_map(Map::keys) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    let mut merged = Map::new();
    for key in keys {
        let child = at.push(key);
        let (with, without): (Vec<Part>, Vec<Part>) =
            parts.iter().partition(|p| p.value.get(key).is_some());
        let with: Vec<Part> = with
            .iter()
            .filter_map(|p| {
                p.value.get(key).map(|value| Part {
                    file: p.file,
                    value,
                })
            })
            .collect();
        let value = if without.is_empty() || union || PROSE.contains(&key.as_str()) {
            merge_present(&child, key, &with, ctx)
        } else if key == "nullable" {
            ctx.notes.push(nullable_note(&child, &with, &without));
            Ok(Value::Bool(true))
        } else {
            Err(missing_conflict(&child, with[0], without[0]))
        };
        // A conflict is recorded and the merge goes on, to report the others too.
        match value {
            Ok(value) => {
                merged.insert(key.clone(), value);
            }
            Err(e) => {
                ctx.errors.extend(e.into_list());
                merged.insert(key.clone(), with[0].value.clone());
            }
        }
    }
    Ok(Value::Object(merged))
}

/// Merges the versions of `key` from the documents that have it.
fn merge_present(at: &Pointer, key: &str, with: &[Part], ctx: &mut Ctx) -> Result<Value> {
    if PROSE.contains(&key) && with.iter().any(|p| p.value != with[0].value) {
        return Ok(choose_prose(at, key, with, ctx));
    }
    if key == "nullable" && with.iter().any(|p| p.value != with[0].value) {
        return Err(conflict(
            at,
            with[0],
            with[1],
            "nullable has a non-boolean value".into(),
        ));
    }
    merge_node(at, with, ctx)
}

/// Keeps the longest text (ties: the smaller one) and notes the difference.
fn choose_prose(at: &Pointer, key: &str, with: &[Part], ctx: &mut Ctx) -> Value {
    let rank = |v: &Value| {
        let text = v
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string());
        (std::cmp::Reverse(text.chars().count()), text)
    };
    let kept = with
        .iter()
        .min_by(|a, b| rank(a.value).cmp(&rank(b.value)))
        .copied()
        .unwrap_or(with[0]);
    let others: Vec<&str> = with
        .iter()
        .filter(|p| p.value != kept.value)
        .map(|p| p.file)
        .collect();
    ctx.notes.push(Note {
        pointer: at.to_string(),
        message: format!(
            "{key} differs; kept the longest, from {}, over {}",
            kept.file,
            others.join(", ")
        ),
    });
    kept.value.clone()
}

fn nullable_note(at: &Pointer, with: &[Part], without: &[Part]) -> Note {
    let files = |ps: &[Part]| ps.iter().map(|p| p.file).collect::<Vec<_>>().join(", ");
    Note {
        pointer: at.as_str().trim_end_matches("/nullable").to_string(),
        message: format!(
            "nullable in {} but not in {}; merged as nullable",
            files(with),
            files(without)
        ),
    }
}

/// Unites top-level tags by name.
fn merge_tags(at: &Pointer, parts: &[Part], ctx: &mut Ctx) -> Result<Value> {
    let mut names: Vec<String> = Vec::new();
    let mut by_name: Vec<Vec<Part>> = Vec::new();
    for part in parts {
        for tag in part.value.as_array().into_iter().flatten() {
            let name = tag.get("name").map(|n| n.to_string()).unwrap_or_default();
            let slot = match names.iter().position(|n| *n == name) {
                Some(i) => i,
                None => {
                    names.push(name);
                    by_name.push(Vec::new());
                    names.len() - 1
                }
            };
            by_name[slot].push(Part {
                file: part.file,
                value: tag,
            });
        }
    }
    by_name
        .iter()
        .enumerate()
        .map(|(i, tags)| merge_node(&at.index(i), tags, ctx))
        .collect::<Result<Vec<_>>>()
        .map(Value::Array)
}

fn operation_conflict(at: &Pointer, parts: &[Part]) -> Error {
    let first = parts[0];
    let other = parts
        .iter()
        .find(|p| p.value != first.value)
        .copied()
        .unwrap_or(first);
    let pointer = first_difference(at, first.value, other.value);
    Error::Conflict {
        pointer: at.to_string(),
        lines: (None, None),
        first: first.file.to_string(),
        second: other.file.to_string(),
        message: format!("the same path and method is defined twice with different operations (first difference at {pointer})"),
    }
}

/// The pointer of the first node where `a` and `b` differ.
fn first_difference(at: &Pointer, a: &Value, b: &Value) -> Pointer {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (key, va) in x {
                match y.get(key) {
                    Some(vb) if vb == va => continue,
                    Some(vb) => return first_difference(&at.push(key), va, vb),
                    None => return at.push(key),
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| at.push(k))
                .unwrap_or_else(|| at.clone())
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find(|(_, (va, vb))| va != vb)
            .map(|(i, (va, vb))| first_difference(&at.index(i), va, vb))
            .unwrap_or_else(|| at.clone()),
        _ => at.clone(),
    }
}

/// A key that one document has and another lacks; files in name order.
fn missing_conflict(at: &Pointer, with: Part, without: Part) -> Error {
    let (first, second) = if with.file < without.file {
        (with, without)
    } else {
        (without, with)
    };
    conflict(
        at,
        first,
        second,
        format!("present in {}, absent in {}", with.file, without.file),
    )
}

fn conflict(at: &Pointer, a: Part, b: Part, message: String) -> Error {
    Error::Conflict {
        pointer: at.to_string(),
        lines: (None, None),
        first: a.file.to_string(),
        second: b.file.to_string(),
        message,
    }
}

/// A short rendering of a value for messages.
fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(name: &str, value: Value) -> NormalizedDocument {
        NormalizedDocument {
            name: name.into(),
            value,
        }
    }

    fn base(components: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": components}})
    }

    fn merge_two(a: Value, b: Value) -> Result<Merged> {
        merge(&[doc("a.yaml", base(a)), doc("b.yaml", base(b))])
    }

    #[test]
    fn disjoint_components_are_united() {
        let m = merge_two(
            json!({"A": {"type": "string"}}),
            json!({"B": {"type": "integer"}}),
        )
        .unwrap();
        assert_eq!(
            m.value["components"]["schemas"],
            json!({"A": {"type": "string"}, "B": {"type": "integer"}})
        );
        assert!(m.notes.is_empty());
    }

    #[test]
    fn nullable_in_either_document_wins_with_a_note() {
        let m = merge_two(
            json!({"A": {"type": "object", "properties": {"x": {"type": "string", "nullable": true}}}}),
            json!({"A": {"type": "object", "properties": {"x": {"type": "string"}}}}),
        )
        .unwrap();
        assert_eq!(
            m.value
                .pointer("/components/schemas/A/properties/x/nullable"),
            Some(&json!(true))
        );
        assert_eq!(
            m.notes,
            [Note {
                pointer: "/components/schemas/A/properties/x".into(),
                message: "nullable in a.yaml but not in b.yaml; merged as nullable".into()
            }]
        );
    }

    #[test]
    fn differing_descriptions_keep_the_longest_with_a_note() {
        let m = merge_two(
            json!({"A": {"type": "string", "description": "short"}}),
            json!({"A": {"type": "string", "description": "longer"}}),
        )
        .unwrap();
        assert_eq!(
            m.value.pointer("/components/schemas/A/description"),
            Some(&json!("longer"))
        );
        assert_eq!(m.notes[0].to_string(), "/components/schemas/A/description: description differs; kept the longest, from b.yaml, over a.yaml");
    }

    #[test]
    fn equal_length_descriptions_resolve_the_same_in_any_order() {
        let a = json!({"A": {"type": "string", "title": "bbb"}});
        let b = json!({"A": {"type": "string", "title": "aaa"}});
        let ab = merge_two(a.clone(), b.clone()).unwrap();
        let ba = merge_two(b, a).unwrap();
        assert_eq!(
            ab.value.pointer("/components/schemas/A/title"),
            Some(&json!("aaa"))
        );
        assert_eq!(
            ba.value.pointer("/components/schemas/A/title"),
            Some(&json!("aaa"))
        );
    }

    #[test]
    fn type_difference_is_a_conflict_naming_both_files() {
        let err = merge_two(
            json!({"A": {"type": "string"}}),
            json!({"A": {"type": "integer"}}),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.yaml and b.yaml disagree at /components/schemas/A/type: \"string\" vs \"integer\""
        );
    }

    #[test]
    fn format_difference_is_a_conflict() {
        let err = merge_two(
            json!({"A": {"type": "string", "format": "date-time"}}),
            json!({"A": {"type": "string"}}),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "a.yaml and b.yaml disagree at /components/schemas/A/format: present in a.yaml, absent in b.yaml");
        let err = merge_two(
            json!({"A": {"type": "string"}}),
            json!({"A": {"type": "string", "format": "date-time"}}),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "a.yaml and b.yaml disagree at /components/schemas/A/format: present in b.yaml, absent in a.yaml");
    }

    #[test]
    fn enum_values_difference_is_a_conflict() {
        let err = merge_two(
            json!({"E": {"type": "string", "enum": ["X", "Y"]}}),
            json!({"E": {"type": "string", "enum": ["X", "Z"]}}),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.yaml and b.yaml disagree at /components/schemas/E/enum/1: \"Y\" vs \"Z\""
        );
        let err = merge_two(
            json!({"E": {"type": "string", "enum": ["X"]}}),
            json!({"E": {"type": "string", "enum": ["X", "Z"]}}),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.yaml and b.yaml disagree at /components/schemas/E/enum: [\"X\"] vs [\"X\",\"Z\"]"
        );
    }

    #[test]
    fn required_set_difference_is_a_conflict_but_order_is_not() {
        let obj = |req: Value| json!({"A": {"type": "object", "required": req, "properties": {"x": {"type": "string"}, "y": {"type": "string"}}}});
        let err = merge_two(obj(json!(["x"])), obj(json!(["y"]))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.yaml and b.yaml disagree at /components/schemas/A/required/0: \"x\" vs \"y\""
        );
        assert!(merge_two(obj(json!(["x", "y"])), obj(json!(["y", "x"]))).is_ok());
    }

    #[test]
    fn property_set_difference_is_a_conflict() {
        let err = merge_two(
            json!({"A": {"type": "object", "properties": {"x": {"type": "string"}}}}),
            json!({"A": {"type": "object", "properties": {"x": {"type": "string"}, "y": {"type": "string"}}}}),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "a.yaml and b.yaml disagree at /components/schemas/A/properties/y: present in b.yaml, absent in a.yaml");
    }

    #[test]
    fn same_path_and_method_with_different_operations_is_a_conflict() {
        let op = |id: &str| {
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"operationId": id, "responses": {"200": {"description": "ok"}}}}}})
        };
        let err = merge(&[doc("a.yaml", op("one")), doc("b.yaml", op("two"))]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.yaml and b.yaml disagree at /paths/~1x/get: the same path and method is defined twice with different operations (first difference at /paths/~1x/get/operationId)"
        );
        assert!(merge(&[doc("a.yaml", op("one")), doc("b.yaml", op("one"))]).is_ok());
    }

    #[test]
    fn same_path_with_different_methods_merges() {
        let op = |m: &str| {
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/x": {m: {"operationId": m, "responses": {"200": {"description": "ok"}}}}}})
        };
        let m = merge(&[doc("a.yaml", op("get")), doc("b.yaml", op("post"))]).unwrap();
        assert_eq!(m.api.paths.paths.len(), 1);
        assert!(
            m.value.pointer("/paths/~1x/get").is_some()
                && m.value.pointer("/paths/~1x/post").is_some()
        );
    }

    #[test]
    fn differing_servers_are_a_conflict() {
        let with = |url: &str| json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "servers": [{"url": url}]});
        let err = merge(&[
            doc("a.yaml", with("https://a")),
            doc("b.yaml", with("https://b")),
        ])
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.yaml and b.yaml disagree at /servers/0/url: \"https://a\" vs \"https://b\""
        );
    }

    #[test]
    fn differing_security_schemes_are_a_conflict() {
        let with = |scheme: &str| {
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"securitySchemes": {"s": {"type": "http", "scheme": scheme}}}})
        };
        let err =
            merge(&[doc("a.yaml", with("bearer")), doc("b.yaml", with("basic"))]).unwrap_err();
        assert_eq!(err.to_string(), "a.yaml and b.yaml disagree at /components/securitySchemes/s/scheme: \"bearer\" vs \"basic\"");
    }

    #[test]
    fn tags_are_united_by_name() {
        let with = |tags: Value| json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "tags": tags});
        let m = merge(&[
            doc("a.yaml", with(json!([{"name": "A"}]))),
            doc("b.yaml", with(json!([{"name": "B"}, {"name": "A"}]))),
        ])
        .unwrap();
        assert_eq!(m.value["tags"], json!([{"name": "A"}, {"name": "B"}]));
    }

    #[test]
    fn every_conflict_is_reported_at_once() {
        let err = merge_two(
            json!({"A": {"type": "string"}, "B": {"type": "object", "properties": {"x": {"type": "string"}}}}),
            json!({"A": {"type": "integer"}, "B": {"type": "object", "properties": {"x": {"type": "boolean"}}}}),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.yaml and b.yaml disagree at /components/schemas/A/type: \"string\" vs \"integer\"\n\
             a.yaml and b.yaml disagree at /components/schemas/B/properties/x/type: \"string\" vs \"boolean\""
        );
    }

    #[test]
    fn input_order_does_not_matter() {
        let a = doc(
            "a.yaml",
            base(
                json!({"A": {"type": "object", "properties": {"x": {"type": "string", "nullable": true}, "y": {"type": "string"}}}}),
            ),
        );
        let b = doc(
            "b.yaml",
            base(
                json!({"A": {"type": "object", "properties": {"y": {"type": "string", "description": "why"}, "x": {"type": "string"}}}}),
            ),
        );
        let ab = merge(&[a.clone(), b.clone()]).unwrap();
        let ba = merge(&[b, a]).unwrap();
        assert_eq!(
            serde_json::to_string(&ab.value).unwrap(),
            serde_json::to_string(&ba.value).unwrap()
        );
        assert_eq!(ab.notes, ba.notes);
    }
}
