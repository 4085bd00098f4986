//! Documents, paths and operations: parameters, request bodies, tags and
//! the names an operation becomes in Rust.

use serde_json::{Map, Value};

use super::moves::operation_count;
use super::{
    files, items, match_items, ordered_union, show, split, support, Kind, Merger, Note, NoteKind,
    Part,
};
use crate::error::Pointer;
use crate::names::{group_module, operation_group, operation_spec_name, snake};

impl Merger {
    /// Parameters matched by name and location; one missing from some
    /// documents is optional (a path parameter stays required: the path
    /// template names it).
    pub(super) fn parameters(&mut self, at: &Pointer, key: &str, parts: &[Part]) -> Option<Value> {
        let lists: Vec<Vec<&Value>> = parts.iter().map(|p| items(p.value.get(key))).collect();
        let mut merged = Vec::new();
        for (i, (id, with, without)) in match_items(parts, &lists, parameter_key)
            .into_iter()
            .enumerate()
        {
            let child = at.index(i);
            let mut value = self.node(Kind::Parameter, &child, &with);
            if !without.is_empty() && id.0 != "path" {
                if let Some(obj) = value.as_object_mut() {
                    obj.shift_remove("required");
                }
                self.notes.push(Note {
                    kind: NoteKind::Parameters,
                    pointer: child.to_string(),
                    message: format!(
                        "parameter `{}` ({}) is in {} but not in {}; merged as optional",
                        id.1,
                        id.0,
                        files(&with),
                        without.join(", ")
                    ),
                });
            }
            merged.push(value);
        }
        let present = parts.iter().any(|p| p.value.get(key).is_some());
        present.then_some(Value::Array(merged))
    }

    /// A request body some documents lack is optional.
    pub(super) fn optional_body(
        &mut self,
        at: &Pointer,
        parts: &[Part],
        merged: &mut Map<String, Value>,
    ) {
        let (with, without) = split(parts, |v| v.get("requestBody"));
        if with.is_empty() || without.is_empty() {
            return;
        }
        if let Some(body) = merged.get_mut("requestBody").and_then(Value::as_object_mut) {
            body.shift_remove("required");
        }
        self.notes.push(Note {
            kind: NoteKind::RequestBodies,
            pointer: at.push("requestBody").to_string(),
            message: format!(
                "a request body is in {} but not in {}; merged as optional",
                files(&with),
                without.join(", ")
            ),
        });
    }

    /// The document's servers (`docs` are the documents): the URLs most
    /// documents give; on a tie, those of the document with more operations
    /// (the fuller, usually newer, spec), then the smaller. Of the documents
    /// giving those URLs, the fullest's servers are kept whole (descriptions,
    /// variables). A document generated against another server (a
    /// development host) disagrees with a note; the client's builder
    /// overrides the server anyway.
    pub(super) fn servers(&mut self, at: &Pointer, docs: &[Part]) -> Value {
        let groups = server_groups(docs);
        let Some((kept, others)) = groups.split_first() else {
            return Value::Array(Vec::new());
        };
        let fullest = kept
            .docs
            .iter()
            .max_by_key(|(part, doc)| {
                (
                    operation_count(doc),
                    std::cmp::Reverse(part.value.to_string()),
                )
            })
            .map_or(docs[0], |(part, _)| *part);
        let urls = |g: &ServerGroup| show(&Value::from(g.urls.clone()));
        let files = |g: &ServerGroup| {
            let files: Vec<&str> = g.docs.iter().map(|(p, _)| p.file).collect();
            files.join(", ")
        };
        if !others.is_empty() {
            let others: Vec<String> = others
                .iter()
                .map(|g| format!("{} in {}", urls(g), files(g)))
                .collect();
            self.note(
                NoteKind::Servers,
                at.clone(),
                format!(
                    "servers differ: {} in {}, {}; kept {}",
                    urls(kept),
                    files(kept),
                    others.join(", "),
                    urls(kept)
                ),
            );
        } else {
            let differing: Vec<&str> = kept
                .docs
                .iter()
                .filter(|(p, _)| p.value != fullest.value)
                .map(|(p, _)| p.file)
                .collect();
            if !differing.is_empty() {
                self.note(
                    NoteKind::Servers,
                    at.clone(),
                    format!(
                        "the servers' descriptions or variables differ; kept those of {}, which describes the most operations, over {}",
                        fullest.file,
                        differing.join(", ")
                    ),
                );
            }
        }
        fullest.value.clone()
    }

    /// The document's tags, united by name.
    pub(super) fn tags(&mut self, at: &Pointer, with: &[Part]) -> Value {
        let lists: Vec<Vec<&Value>> = with.iter().map(|p| items(Some(p.value))).collect();
        let name = |tag: &Value| tag.get("name").map(Value::to_string);
        let tags = match_items(with, &lists, name);
        let merged = tags
            .into_iter()
            .enumerate()
            .map(|(i, (_, tags, _))| self.node(Kind::Tag, &at.index(i), &tags))
            .collect();
        Value::Array(merged)
    }

    /// An operation's tags: the union (the group they may name is checked
    /// by [`Merger::check_operation_names`]).
    pub(super) fn tag_names(&mut self, at: &Pointer, with: &[Part], without: &[&str]) -> Value {
        let lists: Vec<Vec<&Value>> = with.iter().map(|p| items(Some(p.value))).collect();
        let union: Vec<Value> = ordered_union(lists.clone(), |v| v.to_string())
            .into_iter()
            .cloned()
            .collect();
        if lists.iter().any(|l| l.len() != union.len()) || !without.is_empty() {
            let all: Vec<&str> = with
                .iter()
                .map(|p| p.file)
                .chain(without.iter().copied())
                .collect();
            self.notes.push(Note {
                kind: NoteKind::Tags,
                pointer: at.to_string(),
                message: format!(
                    "tags differ between {}; merged as the union",
                    all.join(", ")
                ),
            });
        }
        Value::Array(union)
    }

    /// The Rust method an operation becomes, and the module of its group,
    /// must be the same in every document: they cannot have two names.
    pub(super) fn check_operation_names(&mut self, at: &Pointer, parts: &[Part]) {
        let tokens = at.tokens();
        let (path, method) = match tokens.as_slice() {
            [_, path, method] => (path.as_str(), method.as_str()),
            _ => ("", ""),
        };
        let text =
            |p: &Part, key: &str| p.value.get(key).and_then(Value::as_str).map(str::to_string);
        let method_name = |p: &Part| {
            let id = text(p, "operationId");
            let name = text(p, "x-speakeasy-name-override");
            snake(&operation_spec_name(
                name.as_deref(),
                id.as_deref(),
                method,
                path,
            ))
        };
        let module = |p: &Part| {
            let group = text(p, "x-speakeasy-group");
            let tag = p.value.pointer("/tags/0").and_then(Value::as_str);
            group_module(&operation_group(group.as_deref(), tag))
        };
        self.same_name(at, parts, "method", method_name);
        self.same_name(at, parts, "module", module);
    }
}

/// How parameters are matched: location and name (or the reference).
fn parameter_key(param: &Value) -> (String, String) {
    let text = |key: &str| {
        param
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    match param.get("$ref") {
        Some(reference) => ("$ref".into(), reference.to_string()),
        None => (text("in"), text("name")),
    }
}

/// Documents that give the same server URLs.
struct ServerGroup<'a> {
    urls: Vec<Value>,
    /// Each document's servers, and the document.
    docs: Vec<(Part<'a>, &'a Value)>,
}

/// The documents' servers grouped by their URLs, the kept group first (see
/// [`Merger::servers`]).
fn server_groups<'a>(docs: &[Part<'a>]) -> Vec<ServerGroup<'a>> {
    let mut groups: Vec<ServerGroup> = Vec::new();
    for doc in docs {
        let Some(servers) = doc.value.get("servers") else {
            continue;
        };
        let urls: Vec<Value> = items(Some(servers))
            .iter()
            .map(|s| s.get("url").cloned().unwrap_or(Value::Null))
            .collect();
        let part = Part {
            file: doc.file,
            value: servers,
        };
        match groups.iter_mut().find(|g| g.urls == urls) {
            Some(group) => group.docs.push((part, doc.value)),
            None => groups.push(ServerGroup {
                urls,
                docs: vec![(part, doc.value)],
            }),
        }
    }
    groups.sort_by_cached_key(|g| {
        (
            std::cmp::Reverse(support(g.docs.iter().map(|(_, doc)| *doc))),
            Value::from(g.urls.clone()).to_string(),
        )
    });
    groups
}
