//! Operations that moved: one `operationId` at different endpoints (path
//! and method) in different documents is one operation, documented before
//! and after it moved. The merge keeps one endpoint for it and merges every
//! document's version of the operation there.
//!
//! The endpoint kept is the one more documents give; on a tie, the one of
//! the document describing more operations (the fuller, usually newer,
//! spec); then the smaller path. None of this depends on document order.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{support, Note, NoteKind};
use crate::error::Pointer;
use crate::normalize::{NormalizedDocument, METHODS};

/// Where an operation is in one document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Endpoint {
    path: String,
    method: String,
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method.to_uppercase(), self.path)
    }
}

/// The documents with every moved operation at its kept endpoint (only the
/// documents that change are copied), and a note per moved operation.
pub(super) fn relocate<'a>(
    docs: &[&'a NormalizedDocument],
) -> (Vec<Cow<'a, NormalizedDocument>>, Vec<Note>) {
    let mut docs: Vec<Cow<NormalizedDocument>> = docs.iter().map(|d| Cow::Borrowed(*d)).collect();
    let mut notes = Vec::new();
    for (id, places) in moved_operations(&docs) {
        let kept = kept_endpoint(&docs, &places);
        let mut moved_from = Vec::new();
        for (doc_index, endpoint) in &places {
            if *endpoint == kept {
                continue;
            }
            if let Some(dropped) = move_operation(docs[*doc_index].to_mut(), endpoint, &kept) {
                let mut from = format!("{endpoint} in {}", docs[*doc_index].name);
                if !dropped.is_empty() {
                    from.push_str(&format!(
                        " (whose path parameters {} the path at {kept} does not name, so dropped)",
                        dropped.join(", ")
                    ));
                }
                moved_from.push(from);
            }
        }
        if moved_from.is_empty() {
            continue;
        }
        let kept_in: Vec<&str> = places
            .iter()
            .filter(|(_, e)| *e == kept)
            .map(|(i, _)| docs[*i].name.as_str())
            .collect();
        notes.push(Note {
            kind: NoteKind::Endpoints,
            pointer: Pointer::root()
                .push("paths")
                .push(&kept.path)
                .push(&kept.method)
                .to_string(),
            message: format!(
                "operation `{id}` is {} but {kept} in {}; merged at {kept}",
                moved_from.join(", "),
                kept_in.join(", ")
            ),
        });
    }
    (docs, notes)
}

/// Each `operationId` found at more than one endpoint, with every
/// `(document index, endpoint)` that has it.
fn moved_operations(docs: &[Cow<NormalizedDocument>]) -> BTreeMap<String, Vec<(usize, Endpoint)>> {
    let mut places: BTreeMap<String, Vec<(usize, Endpoint)>> = BTreeMap::new();
    for (i, doc) in docs.iter().enumerate() {
        for (id, endpoint) in operations(&doc.value) {
            places.entry(id).or_default().push((i, endpoint));
        }
    }
    places.retain(|_, at| at.iter().any(|(_, e)| *e != at[0].1));
    // Two endpoints with one id in a single document are not a move.
    places.retain(|_, at| {
        let mut docs: Vec<usize> = at.iter().map(|(i, _)| *i).collect();
        docs.dedup();
        docs.len() == at.len()
    });
    places
}

/// Every operation of a document with an `operationId`, and where it is.
fn operations(doc: &Value) -> Vec<(String, Endpoint)> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item.iter().filter(|(m, _)| METHODS.contains(&m.as_str())) {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                found.push((
                    id.to_string(),
                    Endpoint {
                        path: path.clone(),
                        method: method.clone(),
                    },
                ));
            }
        }
    }
    found
}

/// How many operations (with an `operationId`) a document describes (see
/// [`support`]).
pub(super) fn operation_count(doc: &Value) -> usize {
    operations(doc).len()
}

fn kept_endpoint(docs: &[Cow<NormalizedDocument>], places: &[(usize, Endpoint)]) -> Endpoint {
    let rank = |endpoint: &Endpoint| {
        let giving = places
            .iter()
            .filter(|(_, e)| e == endpoint)
            .map(|(i, _)| &docs[*i].value);
        (support(giving), std::cmp::Reverse(endpoint.clone()))
    };
    places
        .iter()
        .map(|(_, e)| e)
        .max_by_key(|e| rank(e))
        .cloned()
        .unwrap_or_else(|| places[0].1.clone())
}

/// Moves the operation at `from` to `to` in `doc`, taking along the path
/// item's parameters, less the path parameters `to` does not name (an API
/// that moved an id from the path into the body): those are returned,
/// quoted. Returns `None`, changing nothing, where `to` is taken.
fn move_operation(
    doc: &mut NormalizedDocument,
    from: &Endpoint,
    to: &Endpoint,
) -> Option<Vec<String>> {
    let paths = doc.value.get_mut("paths").and_then(Value::as_object_mut)?;
    if paths
        .get(&to.path)
        .and_then(|item| item.get(&to.method))
        .is_some()
    {
        return None;
    }
    let item = paths.get_mut(&from.path).and_then(Value::as_object_mut)?;
    let mut op = item.shift_remove(&from.method)?;
    let shared = item.get("parameters").cloned();
    if !item.keys().any(|k| METHODS.contains(&k.as_str())) {
        paths.shift_remove(&from.path);
    }
    if let (Some(Value::Array(shared)), Some(op)) = (shared, op.as_object_mut()) {
        take_shared_parameters(op, shared);
    }
    let dropped = op
        .as_object_mut()
        .map(|op| drop_unnamed_path_parameters(op, &to.path))
        .unwrap_or_default();
    let target = paths
        .entry(to.path.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(target) = target.as_object_mut() {
        target.insert(to.method.clone(), op);
    }
    Some(dropped)
}

/// Removes the path parameters that `path` has no `{name}` for, and
/// returns their names, quoted.
fn drop_unnamed_path_parameters(op: &mut Map<String, Value>, path: &str) -> Vec<String> {
    let Some(Value::Array(params)) = op.get_mut("parameters") else {
        return Vec::new();
    };
    let mut dropped = Vec::new();
    params.retain(|p| {
        let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
        let unnamed = p.get("in").and_then(Value::as_str) == Some("path")
            && !path.contains(&format!("{{{name}}}"));
        if unnamed {
            dropped.push(format!("`{name}`"));
        }
        !unnamed
    });
    dropped
}

/// Adds the path item's parameters to the operation's own, where the
/// operation does not override them (same name and location).
fn take_shared_parameters(op: &mut Map<String, Value>, shared: Vec<Value>) {
    let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
    let own = op
        .entry("parameters")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(own) = own {
        let mut merged: Vec<Value> = shared
            .into_iter()
            .filter(|s| !own.iter().any(|o| key(o) == key(s)))
            .collect();
        merged.append(own);
        *own = merged;
    }
}
