//! Stage 3, merge: combine the normalized documents into one API.
//!
//! The documents may describe one API at different times (documentation
//! pages fetched months apart, a newer full spec). The merged API is the one
//! a client needs to talk to any of those servers:
//!
//! - paths, methods, components and tags are united by name;
//! - schemas: properties are united, and one missing from some document is
//!   optional; `required` is the intersection; enum values are the union;
//!   `nullable`, `deprecated`, `readOnly` and `writeOnly` hold if any
//!   document says so;
//! - operations merge node by node: parameters are matched by name and
//!   location (one missing from some document is optional), request bodies
//!   and responses by the schema rules;
//! - descriptions, titles, summaries, examples and `x-` extensions may
//!   differ: the longest text wins, ties going to the smaller one;
//! - the names of a Rust method (`operationId`, `x-speakeasy-name-override`,
//!   the group) and of a Rust type (a schema's `x-speakeasy-name-override`)
//!   must agree, and so must anything else that changes a type (`type`,
//!   `format`, `$ref`, `items`, servers, security schemes, ...).
//!
//! An operation (one `operationId`) at different endpoints in different
//! documents moved: it is merged at one of them (the `moves` module says
//! which).
//!
//! Every reconciliation is a [`Note`] naming the files; every disagreement an
//! [`Error::Conflict`] naming two files and the JSON pointer, all of them
//! reported at once. Documents are taken in file-name order and every rule
//! is independent of the order they are given in.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::error::{Error, Pointer, Result};
use crate::names::{
    component_type_name, group_module, operation_group, operation_spec_name, snake,
};
use crate::normalize::{parse_openapi, wrap_ref_with_annotations, NormalizedDocument, METHODS};

/// How the merged document is named in messages.
pub const MERGED: &str = "merged document";

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
    /// What kind of difference it was.
    pub kind: NoteKind,
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

/// The kinds of reconciliation, for counting notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteKind {
    /// A schema nullable in some documents only.
    Nullability,
    /// `readOnly` in some documents only.
    ReadOnly,
    /// `writeOnly` in some documents only.
    WriteOnly,
    /// `deprecated` in some documents only.
    Deprecation,
    /// A property in some documents only.
    Properties,
    /// A property required in some documents only.
    Required,
    /// Enum values in some documents only.
    EnumValues,
    /// A parameter, or its being required, in some documents only.
    Parameters,
    /// A request body, or its being required, in some documents only.
    RequestBodies,
    /// A response or response header in some documents only.
    Responses,
    /// A media type in some documents only.
    MediaTypes,
    /// Operation tags that differ.
    Tags,
    /// Descriptions, titles and summaries that differ.
    Descriptions,
    /// Examples that differ.
    Examples,
    /// `x-` extensions that differ.
    Extensions,
    /// `info.version` that differs.
    Versions,
    /// An operation (one `operationId`) at different endpoints.
    Endpoints,
    /// Spellings of a name that give the same Rust name (`operationId`,
    /// `x-speakeasy-name-override`, `x-speakeasy-group`).
    Names,
}

impl NoteKind {
    /// How a count of these notes is labelled (`280 nullability`).
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Nullability => "nullability",
            NoteKind::ReadOnly => "read-only",
            NoteKind::WriteOnly => "write-only",
            NoteKind::Deprecation => "deprecations",
            NoteKind::Properties => "properties",
            NoteKind::Required => "required",
            NoteKind::EnumValues => "enum values",
            NoteKind::Parameters => "parameters",
            NoteKind::RequestBodies => "request bodies",
            NoteKind::Responses => "responses",
            NoteKind::MediaTypes => "media types",
            NoteKind::Tags => "tags",
            NoteKind::Descriptions => "descriptions",
            NoteKind::Examples => "examples",
            NoteKind::Extensions => "extensions",
            NoteKind::Versions => "versions",
            NoteKind::Names => "names",
            NoteKind::Endpoints => "moved operations",
        }
    }
}

/// One line per kind of note, most frequent first:
/// `312 notes: 280 nullability, 32 descriptions`.
pub fn summarize(notes: &[Note]) -> String {
    let mut counts: Vec<(NoteKind, usize)> = Vec::new();
    for note in notes {
        match counts.iter_mut().find(|(k, _)| *k == note.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((note.kind, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let kinds: Vec<String> = counts
        .iter()
        .map(|(kind, n)| format!("{n} {}", kind.label()))
        .collect();
    let noun = if notes.len() == 1 { "note" } else { "notes" };
    format!("{} {noun}: {}", notes.len(), kinds.join(", "))
}

/// Merges normalized documents into one API.
pub fn merge(docs: &[NormalizedDocument]) -> Result<Merged> {
    let mut sorted: Vec<&NormalizedDocument> = docs.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let (relocated, moves) = moves::relocate(&sorted);
    let parts: Vec<Part> = relocated
        .iter()
        .map(|d| Part {
            file: &d.name,
            value: &d.value,
        })
        .collect();
    let mut merger = Merger {
        notes: moves,
        errors: Vec::new(),
    };
    let value = match parts.as_slice() {
        [] => Value::Object(Map::new()),
        [one] => one.value.clone(),
        _ => merger.node(Kind::Document, &Pointer::root(), &parts),
    };
    if !merger.errors.is_empty() {
        return Err(Error::from_many(merger.errors));
    }
    let api = parse_openapi(MERGED, &value)?;
    Ok(Merged {
        value,
        api,
        notes: merger.notes,
    })
}

/// One document's version of a node.
#[derive(Clone, Copy)]
struct Part<'a> {
    file: &'a str,
    value: &'a Value,
}

/// What a node is, which decides how its children merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Document,
    Info,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Media,
    Components,
    Tag,
    Schema,
    /// `allOf`, `oneOf` or `anyOf`: schemas position by position.
    Schemas,
    /// Anything else: must be the same, apart from prose and flags.
    Strict,
}

/// How one key of an object node merges.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Must be in every document, merged as `Kind`.
    Same(Kind),
    /// Merged as `Kind` from the documents that have it; absent elsewhere is fine.
    Present(Kind),
    /// Named things, each merged as `Kind` from the documents that have it;
    /// a name missing from some documents is noted as this kind, if any.
    Named(Kind, Option<NoteKind>),
    /// Text (or an extension) that may differ: the longest wins.
    Prose(NoteKind),
    /// True if any document says so.
    Any(NoteKind),
    /// True if every document says so.
    Every(NoteKind),
    /// A schema's `required`: the intersection.
    Required,
    /// A schema's `enum`: the union.
    EnumValues,
    /// Parameters, matched by name and location.
    Parameters,
    /// The document's tags, matched by name.
    Tags,
    /// An operation's tags: the union.
    TagNames,
}

fn rule(kind: Kind, key: &str) -> Rule {
    let specific = match (kind, key) {
        (Kind::Document, "info") => Some(Rule::Same(Kind::Info)),
        (Kind::Document, "paths" | "webhooks") => Some(Rule::Named(Kind::PathItem, None)),
        (Kind::Document, "components") => Some(Rule::Present(Kind::Components)),
        (Kind::Document, "tags") => Some(Rule::Tags),
        // A document that names no servers or security does not disagree.
        (Kind::Document, "servers" | "security") => Some(Rule::Present(Kind::Strict)),
        (Kind::Info, "version") => Some(Rule::Prose(NoteKind::Versions)),
        (Kind::PathItem, "parameters") | (Kind::Operation, "parameters") => Some(Rule::Parameters),
        (Kind::PathItem, method) if METHODS.contains(&method) => {
            Some(Rule::Present(Kind::Operation))
        }
        (Kind::Operation, "operationId" | "x-speakeasy-name-override" | "x-speakeasy-group") => {
            Some(Rule::Prose(NoteKind::Names))
        }
        (Kind::Operation, "tags") => Some(Rule::TagNames),
        (Kind::Operation, "requestBody") => Some(Rule::Present(Kind::RequestBody)),
        (Kind::Operation, "responses") => {
            Some(Rule::Named(Kind::Response, Some(NoteKind::Responses)))
        }
        (Kind::Parameter, "schema") | (Kind::Media, "schema") => Some(Rule::Same(Kind::Schema)),
        (Kind::Parameter, "required") => Some(Rule::Every(NoteKind::Parameters)),
        (Kind::RequestBody, "required") => Some(Rule::Every(NoteKind::RequestBodies)),
        (Kind::Parameter | Kind::RequestBody | Kind::Response, "content") => {
            Some(Rule::Named(Kind::Media, Some(NoteKind::MediaTypes)))
        }
        (Kind::Response, "headers") => {
            Some(Rule::Named(Kind::Parameter, Some(NoteKind::Responses)))
        }
        (Kind::Components, "schemas") => Some(Rule::Named(Kind::Schema, None)),
        (Kind::Components, "parameters" | "headers") => Some(Rule::Named(Kind::Parameter, None)),
        (Kind::Components, "requestBodies") => Some(Rule::Named(Kind::RequestBody, None)),
        (Kind::Components, "responses") => Some(Rule::Named(Kind::Response, None)),
        (Kind::Components, _) => Some(Rule::Named(Kind::Strict, None)),
        (Kind::Schema, "properties") => Some(Rule::Named(Kind::Schema, Some(NoteKind::Properties))),
        (Kind::Schema, "required") => Some(Rule::Required),
        (Kind::Schema, "enum") => Some(Rule::EnumValues),
        (Kind::Schema, "items" | "not" | "additionalProperties") => Some(Rule::Same(Kind::Schema)),
        (Kind::Schema, "allOf" | "oneOf" | "anyOf") => Some(Rule::Same(Kind::Schemas)),
        (Kind::Schema, "x-speakeasy-name-override") => Some(Rule::Prose(NoteKind::Names)),
        _ => None,
    };
    specific.unwrap_or(match key {
        "description" | "title" | "summary" => Rule::Prose(NoteKind::Descriptions),
        "example" | "examples" => Rule::Prose(NoteKind::Examples),
        "nullable" => Rule::Any(NoteKind::Nullability),
        "readOnly" => Rule::Any(NoteKind::ReadOnly),
        "writeOnly" => Rule::Any(NoteKind::WriteOnly),
        "deprecated" => Rule::Any(NoteKind::Deprecation),
        _ if key.starts_with("x-") => Rule::Prose(NoteKind::Extensions),
        _ => Rule::Same(Kind::Strict),
    })
}

/// What the merge found besides the merged value.
#[derive(Default)]
struct Merger {
    notes: Vec<Note>,
    /// Conflicts found so far; the merge goes on to find the others.
    errors: Vec<Error>,
}

impl Merger {
    /// Merges the versions of one node, each from a document that has it.
    fn node(&mut self, kind: Kind, at: &Pointer, parts: &[Part]) -> Value {
        let first = parts[0];
        if parts.iter().all(|p| p.value == first.value) {
            return first.value.clone();
        }
        match kind {
            Kind::Schema => {
                self.check_type_name(at, parts);
                return self.schema(at, parts);
            }
            Kind::Operation => self.check_operation_names(at, parts),
            _ => {}
        }
        if parts.iter().all(|p| p.value.is_object()) {
            return Value::Object(self.object(kind, at, parts));
        }
        if let Some(arrays) = all_arrays(parts) {
            if arrays.iter().all(|a| a.len() == arrays[0].len()) {
                let child = if kind == Kind::Schemas {
                    Kind::Schema
                } else {
                    Kind::Strict
                };
                return Value::Array(
                    (0..arrays[0].len())
                        .map(|i| self.node(child, &at.index(i), &item_parts(parts, &arrays, i)))
                        .collect(),
                );
            }
        }
        let other = differing(parts);
        self.conflict(
            at,
            first.file,
            other.file,
            format!("{} vs {}", show(first.value), show(other.value)),
        );
        first.value.clone()
    }

    /// Merges objects key by key, each key by its [`rule`].
    fn object(&mut self, kind: Kind, at: &Pointer, parts: &[Part]) -> Map<String, Value> {
        let keys = all_keys(parts);
        let mut merged = Map::new();
        for key in keys {
            let child = at.push(key);
            if let Some(value) = self.key(kind, &child, key, parts) {
                merged.insert(key.clone(), value);
            }
        }
        if kind == Kind::Operation {
            self.optional_body(at, parts, &mut merged);
        }
        merged
    }

    /// The merged value of `key` (`None`: leave it out), from the objects in `parts`.
    fn key(&mut self, kind: Kind, at: &Pointer, key: &str, parts: &[Part]) -> Option<Value> {
        let (with, without) = split(parts, |v| v.get(key));
        match rule(kind, key) {
            Rule::Same(_) if !without.is_empty() => {
                self.missing(at, with[0].file, without[0]);
                Some(with[0].value.clone())
            }
            Rule::Same(child) | Rule::Present(child) => Some(self.node(child, at, &with)),
            Rule::Named(child, note) => {
                let empty = Value::Object(Map::new());
                let all: Vec<Part> = parts
                    .iter()
                    .map(|p| Part {
                        file: p.file,
                        value: p.value.get(key).unwrap_or(&empty),
                    })
                    .collect();
                Some(Value::Object(self.named(child, note, at, &all)))
            }
            Rule::Prose(note) => Some(self.prose(note, at, key, &with)),
            Rule::Any(note) => self.flag(note, at, key, parts, true),
            Rule::Every(note) => self.flag(note, at, key, parts, false),
            Rule::Required => self.required(at, parts),
            Rule::EnumValues if !without.is_empty() => {
                self.missing(at, with[0].file, without[0]);
                Some(with[0].value.clone())
            }
            Rule::EnumValues => Some(self.enum_values(at, &with)),
            Rule::Parameters => self.parameters(at, key, parts),
            Rule::Tags => Some(self.tags(at, &with)),
            Rule::TagNames => Some(self.tag_names(at, &with, &without)),
        }
    }

    /// Named things (a map): each name merged from the documents that have it.
    fn named(
        &mut self,
        kind: Kind,
        note: Option<NoteKind>,
        at: &Pointer,
        parts: &[Part],
    ) -> Map<String, Value> {
        let names = all_keys(parts);
        let mut merged = Map::new();
        for name in names {
            let child = at.push(name);
            let (with, without) = split(parts, |v| v.get(name));
            if let (Some(kind), false) = (note, without.is_empty()) {
                self.notes.push(Note {
                    kind,
                    pointer: child.to_string(),
                    message: format!(
                        "`{name}` is in {} but not in {}; {}",
                        files(&with),
                        without.join(", "),
                        if kind == NoteKind::Properties {
                            "merged as optional"
                        } else {
                            "kept"
                        }
                    ),
                });
            }
            merged.insert(name.clone(), self.node(kind, &child, &with));
        }
        merged
    }

    /// A schema: a reference with annotations is compared as the reference
    /// and its annotations (`{$ref, nullable}`), then wrapped again.
    fn schema(&mut self, at: &Pointer, parts: &[Part]) -> Value {
        let opened: Vec<Cow<Value>> = parts.iter().map(|p| open_reference(p.value)).collect();
        if opened.iter().all(|v| *v == opened[0]) {
            return parts[0].value.clone();
        }
        let opened: Vec<Part> = parts
            .iter()
            .zip(&opened)
            .map(|(p, value)| Part {
                file: p.file,
                value: value.as_ref(),
            })
            .collect();
        if !opened.iter().all(|p| p.value.is_object()) {
            return self.node(Kind::Strict, at, &opened);
        }
        let mut merged = self.object(Kind::Schema, at, &opened);
        wrap_ref_with_annotations(&mut merged);
        Value::Object(merged)
    }

    /// Text that may differ: keeps the longest (ties: the smaller) and notes it.
    fn prose(&mut self, kind: NoteKind, at: &Pointer, key: &str, with: &[Part]) -> Value {
        let rank = |v: &Value| {
            let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
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
        if !others.is_empty() {
            self.notes.push(Note {
                kind,
                pointer: at.to_string(),
                message: format!(
                    "{key} differs; kept the longest, from {}, over {}",
                    kept.file,
                    others.join(", ")
                ),
            });
        }
        kept.value.clone()
    }

    /// A flag: with `any`, true if any document says so; otherwise true if
    /// every document does. A false result is left out (the default).
    fn flag(
        &mut self,
        kind: NoteKind,
        at: &Pointer,
        key: &str,
        parts: &[Part],
        any: bool,
    ) -> Option<Value> {
        let (set, unset): (Vec<Part>, Vec<Part>) = parts
            .iter()
            .partition(|p| p.value.get(key) == Some(&Value::Bool(true)));
        if let Some(odd) = parts
            .iter()
            .find(|p| p.value.get(key).is_some_and(|v| !v.is_boolean()))
        {
            self.errors.push(Error::Invalid {
                file: odd.file.to_string(),
                line: None,
                pointer: at.to_string(),
                message: format!("`{key}` is not a boolean"),
            });
            return None;
        }
        let result = if any {
            !set.is_empty()
        } else {
            unset.is_empty()
        };
        if !set.is_empty() && !unset.is_empty() {
            let pointer = if kind == NoteKind::Nullability {
                at.as_str().trim_end_matches("/nullable").to_string()
            } else {
                at.to_string()
            };
            self.notes.push(Note {
                kind,
                pointer,
                message: format!(
                    "{key} in {} but not in {}; merged as {}",
                    files(&set),
                    files(&unset),
                    if result {
                        key.to_string()
                    } else {
                        format!("not {key}")
                    }
                ),
            });
        }
        result.then_some(Value::Bool(true))
    }

    /// A schema's `required`: the names every document requires.
    fn required(&mut self, at: &Pointer, parts: &[Part]) -> Option<Value> {
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
    fn enum_values(&mut self, at: &Pointer, with: &[Part]) -> Value {
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

    /// Parameters matched by name and location; one missing from some
    /// documents is optional (a path parameter stays required: the path
    /// template names it).
    fn parameters(&mut self, at: &Pointer, key: &str, parts: &[Part]) -> Option<Value> {
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
    fn optional_body(&mut self, at: &Pointer, parts: &[Part], merged: &mut Map<String, Value>) {
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

    /// The document's tags, united by name.
    fn tags(&mut self, at: &Pointer, with: &[Part]) -> Value {
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
    fn tag_names(&mut self, at: &Pointer, with: &[Part], without: &[&str]) -> Value {
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
    fn check_operation_names(&mut self, at: &Pointer, parts: &[Part]) {
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

    /// A component schema's Rust type name must be the same in every document.
    fn check_type_name(&mut self, at: &Pointer, parts: &[Part]) {
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

    /// Records a conflict when `name` differs between documents.
    fn same_name(
        &mut self,
        at: &Pointer,
        parts: &[Part],
        what: &str,
        name: impl Fn(&Part) -> String,
    ) {
        let first = name(&parts[0]);
        if let Some((other, theirs)) = parts
            .iter()
            .map(|p| (p, name(p)))
            .find(|(_, n)| *n != first)
        {
            self.conflict(
                at,
                parts[0].file,
                other.file,
                format!("it is the Rust {what} `{first}` in one and `{theirs}` in the other, and cannot be both"),
            );
        }
    }

    /// A key that one document has and another lacks.
    fn missing(&mut self, at: &Pointer, with: &str, without: &str) {
        let (first, second) = if with < without {
            (with, without)
        } else {
            (without, with)
        };
        self.conflict(
            at,
            first,
            second,
            format!("present in {with}, absent in {without}"),
        );
    }

    fn conflict(&mut self, at: &Pointer, first: &str, second: &str, message: String) {
        self.errors.push(Error::Conflict {
            pointer: at.to_string(),
            lines: (None, None),
            first: first.to_string(),
            second: second.to_string(),
            message,
        });
    }
}

/// `{allOf: [{$ref: X}], ...annotations}` as `{$ref: X, ...annotations}`, so
/// that a reference compares with the same reference written bare.
fn open_reference(value: &Value) -> Cow<'_, Value> {
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

/// The items of every list, each once, in an order that keeps the order of
/// each list and does not depend on the order of `lists`: longer lists
/// first (ties by their keys); an item a list adds goes after the item it
/// follows there, or else before the item it precedes, or else last.
fn ordered_union<T: PartialEq + Clone, K: Ord>(
    mut lists: Vec<Vec<T>>,
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    lists.sort_by_cached_key(|l| {
        (
            std::cmp::Reverse(l.len()),
            l.iter().map(&key).collect::<Vec<K>>(),
        )
    });
    let mut out: Vec<T> = Vec::new();
    for list in lists {
        let mut cursor: Option<usize> = None;
        for (i, item) in list.iter().enumerate() {
            if let Some(found) = out.iter().position(|x| x == item) {
                cursor = Some(found + 1);
                continue;
            }
            let at = cursor.unwrap_or_else(|| {
                list[i + 1..]
                    .iter()
                    .find_map(|next| out.iter().position(|x| x == next))
                    .unwrap_or(out.len())
            });
            out.insert(at, item.clone());
            cursor = Some(at + 1);
        }
    }
    out
}

/// The parts whose node has the child `get` finds, and the files of the others.
fn split<'a>(
    parts: &[Part<'a>],
    get: impl Fn(&'a Value) -> Option<&'a Value>,
) -> (Vec<Part<'a>>, Vec<&'a str>) {
    let mut with = Vec::new();
    let mut without = Vec::new();
    for part in parts {
        match get(part.value) {
            Some(value) => with.push(Part {
                file: part.file,
                value,
            }),
            None => without.push(part.file),
        }
    }
    (with, without)
}

/// The keys of every part's object, each once (see [`ordered_union`]).
fn all_keys<'a>(parts: &[Part<'a>]) -> Vec<&'a String> {
    let lists = parts
        .iter()
        .map(|p| {
            p.value
                .as_object()
                .map_or(Vec::new(), |o| o.keys().collect())
        })
        .collect();
    ordered_union(lists, |k| *k)
}

/// The items of each part's list (`lists`, one per part) matched by `key`:
/// per key, in the order of [`ordered_union`], the items that have it (as
/// parts) and the files whose list lacks it.
fn match_items<'a, K: PartialEq + Clone + Ord>(
    parts: &[Part<'a>],
    lists: &[Vec<&'a Value>],
    key: impl Fn(&Value) -> K,
) -> Vec<(K, Vec<Part<'a>>, Vec<&'a str>)> {
    let keys = ordered_union(
        lists
            .iter()
            .map(|l| l.iter().map(|v| key(v)).collect())
            .collect(),
        Clone::clone,
    );
    keys.into_iter()
        .map(|id| {
            let mut with = Vec::new();
            let mut without = Vec::new();
            for (part, list) in parts.iter().zip(lists) {
                match list.iter().find(|v| key(v) == id) {
                    Some(value) => with.push(Part {
                        file: part.file,
                        value,
                    }),
                    None => without.push(part.file),
                }
            }
            (id, with, without)
        })
        .collect()
}

/// The items of an array (none for anything else).
fn items(value: Option<&Value>) -> Vec<&Value> {
    value
        .and_then(Value::as_array)
        .map_or(Vec::new(), |a| a.iter().collect())
}

fn all_arrays<'a>(parts: &[Part<'a>]) -> Option<Vec<&'a Vec<Value>>> {
    parts.iter().map(|p| p.value.as_array()).collect()
}

fn item_parts<'a>(parts: &[Part<'a>], arrays: &[&'a Vec<Value>], i: usize) -> Vec<Part<'a>> {
    parts
        .iter()
        .zip(arrays)
        .map(|(p, a)| Part {
            file: p.file,
            value: &a[i],
        })
        .collect()
}

/// The first part that differs from the first one.
fn differing<'a>(parts: &[Part<'a>]) -> Part<'a> {
    parts
        .iter()
        .find(|p| p.value != parts[0].value)
        .copied()
        .unwrap_or(parts[0])
}

fn files(parts: &[Part]) -> String {
    parts.iter().map(|p| p.file).collect::<Vec<_>>().join(", ")
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

mod moves;

#[cfg(test)]
mod tests;
