//! Stage 3, merge: combine the normalized documents into one API.
//!
//! The documents may describe one API at different times (documentation
//! pages fetched months apart, older published versions, an SDK's
//! spelling). The merged API is the one a client needs to talk to any of
//! those servers. A room per kind of node, each with its tests under
//! `tests/`:
//!
//! - here: the walk, and the rule (`rule`) for each key of each kind of node;
//!   descriptions, titles, summaries, examples and `x-` extensions may
//!   differ (the longest text wins, ties going to the smaller one); flags;
//! - `documents`: paths, operations (parameters matched by name and
//!   location, one missing from some document optional), request bodies,
//!   responses, tags, servers (the ones most documents give), and the
//!   names of a Rust method (`operationId`, `x-speakeasy-name-override`,
//!   the group), which must agree;
//! - `schemas`: properties united (one missing from some document is
//!   optional), `required` the intersection, enum values the union,
//!   `nullable`, `deprecated`, `readOnly` and `writeOnly` if any document
//!   says so, `integer` beside `number` and a map's schema beside `true`
//!   widened; a type's Rust name must agree;
//! - `references`: different component schemas referenced at one place
//!   are one type under one name (merged in rounds until no new link);
//! - `moves`: an operation (one `operationId`) at different endpoints is
//!   merged at one of them.
//!
//! Anything else that changes a type (`type`, `format`, `items`, other
//! references, security schemes, ...) must be the same. Every
//! reconciliation is a [`Note`] naming the files; every disagreement an
//! [`Error::Conflict`] naming two files and the JSON pointer, all of them
//! reported at once. Documents are taken in file-name order and every rule
//! is independent of the order they are given in.

use serde_json::{Map, Value};

use crate::error::{Error, Pointer, Result};
use crate::normalize::{parse_openapi, NormalizedDocument, METHODS};

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
    /// Differences reconciled by choosing one document's side, which a
    /// user should look at (`--deny-warnings` refuses them): a field whose
    /// type changed between versions.
    pub warnings: Vec<Note>,
}

/// Merges normalized documents into one API.
pub fn merge(docs: &[NormalizedDocument]) -> Result<Merged> {
    let mut sorted: Vec<&NormalizedDocument> = docs.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let (relocated, moves) = moves::relocate(&sorted);
    let defined = std::rc::Rc::new(Defined::of(&relocated));
    let mut renames = Renames::default();
    // Each round links the schemas referenced at the same place under
    // different names; the next merges each class as one (see `references`).
    // Every round joins two classes at least, so this ends.
    loop {
        let renamed = renames.apply(&relocated);
        let parts: Vec<Part> = renamed
            .iter()
            .map(|d| Part {
                file: &d.name,
                value: &d.value,
            })
            .collect();
        let mut merger = Merger {
            notes: moves.clone(),
            warnings: Vec::new(),
            errors: Vec::new(),
            renames,
            found: Vec::new(),
            changed_types: Vec::new(),
            defined: defined.clone(),
        };
        let value = match parts.as_slice() {
            [] => Value::Object(Map::new()),
            [one] => one.value.clone(),
            _ => merger.node(Kind::Document, &Pointer::root(), &parts),
        };
        if !merger.found.is_empty() {
            renames = merger.renames;
            if renames.link(&merger.found, &relocated) {
                continue;
            }
            // Nothing joined: the references cannot be made one.
            let conflicts = merger.found.iter().map(Link::conflict);
            return Err(Error::from_many(
                merger.errors.into_iter().chain(conflicts).collect(),
            ));
        }
        if !merger.errors.is_empty() {
            return Err(Error::from_many(merger.errors));
        }
        merger.rename_notes();
        merger.changed_type_warnings();
        let api = parse_openapi(MERGED, &value)?;
        return Ok(Merged {
            value,
            api,
            notes: merger.notes,
            warnings: merger.warnings,
        });
    }
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
    /// The document's servers: the list most documents give.
    Servers,
    /// A schema's `$ref`: different component schemas are linked as one.
    Reference,
    /// The component schemas, linked ones merged under one name.
    ComponentSchemas,
    /// An operation's tags: the union.
    TagNames,
    /// A schema's `minimum` (false) or `maximum` (true): the tightest given,
    /// which every server accepts.
    Bound(bool),
}

fn rule(kind: Kind, key: &str) -> Rule {
    let specific = match (kind, key) {
        (Kind::Document, "info") => Some(Rule::Same(Kind::Info)),
        (Kind::Document, "paths" | "webhooks") => Some(Rule::Named(Kind::PathItem, None)),
        (Kind::Document, "components") => Some(Rule::Present(Kind::Components)),
        (Kind::Document, "tags") => Some(Rule::Tags),
        // A document that names no servers or security does not disagree.
        (Kind::Document, "servers") => Some(Rule::Servers),
        (Kind::Document, "security") => Some(Rule::Present(Kind::Strict)),
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
        (Kind::Components, "schemas") => Some(Rule::ComponentSchemas),
        (Kind::Components, "parameters" | "headers") => Some(Rule::Named(Kind::Parameter, None)),
        (Kind::Components, "requestBodies") => Some(Rule::Named(Kind::RequestBody, None)),
        (Kind::Components, "responses") => Some(Rule::Named(Kind::Response, None)),
        (Kind::Components, _) => Some(Rule::Named(Kind::Strict, None)),
        (Kind::Schema, "properties") => Some(Rule::Named(Kind::Schema, Some(NoteKind::Properties))),
        (Kind::Schema, "required") => Some(Rule::Required),
        (Kind::Schema, "enum") => Some(Rule::EnumValues),
        (Kind::Schema, "$ref") => Some(Rule::Reference),
        (Kind::Schema, "items" | "additionalProperties") => Some(Rule::Same(Kind::Schema)),
        // A rule some documents state (the overlay's "cannot both be set").
        (Kind::Schema, "not") => Some(Rule::Present(Kind::Schema)),
        (Kind::Schema, "minimum") => Some(Rule::Bound(false)),
        (Kind::Schema, "maximum") => Some(Rule::Bound(true)),
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
    /// Differences settled by taking one side (see [`Merged::warnings`]).
    warnings: Vec<Note>,
    /// Conflicts found so far; the merge goes on to find the others.
    errors: Vec<Error>,
    /// The schemas merged under another name, from earlier rounds.
    renames: Renames,
    /// Places found in this round where documents reference different
    /// schemas: the next round merges them as one.
    found: Vec<Link>,
    /// Places where documents that define both schemas reference
    /// different ones, and the name kept there: changed types, warned about.
    changed_types: Vec<(Link, String)>,
    /// What each document defines, for telling a rename from a changed type.
    defined: std::rc::Rc<Defined>,
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
            // Must be in every document that has the node.
            Rule::Same(_) | Rule::EnumValues | Rule::Reference if !without.is_empty() => {
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
            Rule::EnumValues => Some(self.enum_values(at, &with)),
            Rule::Parameters => self.parameters(at, key, parts),
            Rule::Tags => Some(self.tags(at, &with)),
            Rule::Servers => Some(self.servers(at, parts)),
            Rule::Reference => self
                .reference(at, &with)
                .or_else(|| Some(self.node(Kind::Strict, at, &with))),
            Rule::ComponentSchemas => Some(Value::Object(self.component_schemas(at, parts))),
            Rule::TagNames => Some(self.tag_names(at, &with, &without)),
            Rule::Bound(upper) => self.bound(at, key, upper, &with, &without),
        }
    }

    /// A numeric bound: the tightest of those given (the greatest minimum,
    /// the least maximum), noted when the documents differ.
    fn bound(
        &mut self,
        at: &Pointer,
        key: &str,
        upper: bool,
        with: &[Part],
        without: &[&str],
    ) -> Option<Value> {
        let number = |p: &Part| p.value.as_f64();
        if let Some(odd) = with.iter().find(|p| number(p).is_none()) {
            return self.not_a(odd, at, key, "number");
        }
        let tightest = with.iter().copied().reduce(|a, b| {
            let (x, y) = (number(&a).unwrap_or(0.0), number(&b).unwrap_or(0.0));
            if (upper && y < x) || (!upper && y > x) {
                b
            } else {
                a
            }
        })?;
        let differ = !without.is_empty() || with.iter().any(|p| p.value != tightest.value);
        if differ {
            self.notes.push(Note {
                kind: NoteKind::Bounds,
                pointer: at.to_string(),
                message: format!(
                    "{key} differs or is in some documents only; kept the tightest, {}, from {}",
                    tightest.value, tightest.file
                ),
            });
        }
        Some(tightest.value.clone())
    }

    /// Records that `key` of `part` is not the kind of value it must be;
    /// the key is left out.
    fn not_a(&mut self, part: &Part, at: &Pointer, key: &str, kind: &str) -> Option<Value> {
        self.errors.push(Error::Invalid {
            file: part.file.to_string(),
            line: None,
            pointer: at.to_string(),
            message: format!("`{key}` is not a {kind}"),
        });
        None
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
            return self.not_a(odd, at, key, "boolean");
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

    fn note(&mut self, kind: NoteKind, at: Pointer, message: String) {
        self.notes.push(Note {
            kind,
            pointer: at.to_string(),
            message,
        });
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

/// How well documents support a spelling of one thing (an endpoint, a
/// schema's name, servers), `docs` being those that give it: by how many
/// give it, then by the most operations one of them describes (the fuller,
/// usually newer, document). The merge keeps the best supported, and breaks
/// what ties remain by the smaller spelling, so that document order never
/// matters.
fn support<'a>(docs: impl IntoIterator<Item = &'a Value>) -> (usize, usize) {
    docs.into_iter().fold((0, 0), |(count, largest), doc| {
        (count + 1, largest.max(moves::operation_count(doc)))
    })
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

mod documents;
mod moves;
mod notes;
mod references;
mod schemas;

pub use notes::{summarize, Note, NoteKind};
pub use references::source;
use references::{Defined, Link, Renames};

#[cfg(test)]
mod tests;
