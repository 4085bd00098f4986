//! References and renames: two documents that reference different schemas
//! at the same place describe the same JSON under two names.
//!
//! That happens when a message is renamed between versions
//! (`FooEditorValidateRequest` then `ValidateFooRequest`), moved to another
//! protobuf package (`c1.api.a.v1.Widget` then `c1.api.b.v1.Widget`), or
//! copied by an SDK generator into an `XInput` schema without its read-only
//! properties. In each case one of the names is absent from a document that
//! uses the other: that is the evidence two names are linked on. The names
//! so linked form one class (linked again where they are found,
//! transitively); each class is merged as one schema, by the schema rules,
//! under one name, and every reference to any of its names ends up at that
//! one. Shapes that cannot be one type (an object and an array) are still
//! conflicts, found when the schemas merge.
//!
//! When every document that references one name also defines the other,
//! and the other way round, nothing was renamed: the field changed its type
//! between versions. The two stay two types, the place takes the reference
//! of the best-supported documents (as for endpoints and names), and a
//! warning names both files.
//!
//! The name kept is the one more documents define; on a tie, the one of the
//! document describing more operations (the fuller, usually newer, spec);
//! then the smaller name. None of this depends on document order.
//!
//! The merge runs again after each round of links found, until a round
//! finds none (documents that agree on their references merge once).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{all_keys, support, Kind, Merger, Note, NoteKind, Part};
use crate::error::{Error, Pointer};
use crate::normalize::NormalizedDocument;

/// How a reference to a component schema starts.
const SCHEMAS: &str = "#/components/schemas/";

/// What each document defines and how much it describes, by file: what
/// tells a rename (a name absent from a document) from a changed type.
#[derive(Debug, Default)]
pub(super) struct Defined {
    /// Each file's component schema names, and its operation count.
    files: BTreeMap<String, (BTreeSet<String>, usize)>,
}

impl Defined {
    pub(super) fn of(docs: &[Cow<NormalizedDocument>]) -> Self {
        let files = docs
            .iter()
            .map(|doc| {
                let names = doc
                    .value
                    .pointer("/components/schemas")
                    .and_then(Value::as_object)
                    .map(|s| s.keys().cloned().collect())
                    .unwrap_or_default();
                let count = super::moves::operation_count(&doc.value);
                (doc.name.clone(), (names, count))
            })
            .collect();
        Defined { files }
    }

    /// What the file of `label` defines, and its operation count. A part of
    /// a schema merged under another name is labelled by where it is
    /// (`b.yaml#/components/schemas/B`, see [`source`]).
    fn of_label(&self, label: &str) -> Option<&(BTreeSet<String>, usize)> {
        self.files.get(source(label, "").0)
    }

    /// Whether some file of `files` does not define `name`.
    fn absent_from_any(&self, name: &str, files: &[&str]) -> bool {
        let defines = |label: &&str| {
            self.of_label(label)
                .is_some_and(|(names, _)| names.contains(name))
        };
        !files.iter().all(defines)
    }

    /// The support of the files in `files` (see [`support`]).
    fn support(&self, files: &[&str]) -> (usize, usize) {
        files.iter().fold((0, 0), |(count, largest), label| {
            let ops = self.of_label(label).map_or(0, |(_, ops)| *ops);
            (count + 1, largest.max(ops))
        })
    }
}

/// Two documents referencing different schemas at one place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Link {
    /// Where the references are.
    pub pointer: String,
    /// Each side's files and schema name, by name.
    pub sides: [(String, String); 2],
}

/// The classes of schema names found to be one type, and the links that
/// joined them.
#[derive(Debug, Clone, Default)]
pub(super) struct Renames {
    /// Each linked name's class, as the smallest name in it (union-find
    /// parents; a root points at itself).
    parent: BTreeMap<String, String>,
    /// The name each linked name is merged under.
    kept: BTreeMap<String, String>,
    links: Vec<Link>,
}

impl Renames {
    /// The name `name` is merged under.
    pub(super) fn kept<'a>(&'a self, name: &'a str) -> &'a str {
        self.kept.get(name).map_or(name, String::as_str)
    }

    /// Whether any schema is merged under another name.
    pub(super) fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    fn root(&self, name: &str) -> String {
        let mut at = name.to_string();
        while let Some(parent) = self.parent.get(&at).filter(|p| **p != at) {
            at = parent.clone();
        }
        at
    }

    /// Adds the links found in a round and chooses the kept names again.
    /// Returns whether any two classes were joined (if not, another round
    /// would find the same links again).
    pub(super) fn link(&mut self, found: &[Link], docs: &[Cow<NormalizedDocument>]) -> bool {
        let mut joined = false;
        for link in found {
            // A name not yet linked is a root of its own.
            let [a, b] = [self.root(&link.sides[0].1), self.root(&link.sides[1].1)];
            joined |= a != b;
            let (small, large) = if a <= b { (a, b) } else { (b, a) };
            self.parent.insert(small.clone(), small.clone());
            self.parent.insert(large, small);
            if !self.links.contains(link) {
                self.links.push(link.clone());
            }
        }
        self.links.sort();
        let mut classes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for name in self.parent.keys() {
            classes
                .entry(self.root(name))
                .or_default()
                .push(name.clone());
        }
        self.kept = classes
            .into_values()
            .flat_map(|names| {
                let kept = kept_name(&names, docs);
                names.into_iter().map(move |n| (n, kept.clone()))
            })
            .collect();
        joined
    }

    /// The documents with every reference to a linked schema pointing at
    /// the name it is kept under (only the documents that change are copied).
    pub(super) fn apply<'a>(
        &self,
        docs: &[Cow<'a, NormalizedDocument>],
    ) -> Vec<Cow<'a, NormalizedDocument>> {
        docs.iter()
            .map(|doc| {
                if self.is_empty() || !self.refers_to_renamed(&doc.value) {
                    return doc.clone();
                }
                let mut doc = doc.clone().into_owned();
                self.rewrite(&mut doc.value);
                Cow::Owned(doc)
            })
            .collect()
    }

    /// Whether `value` holds a reference (a `$ref`, or a discriminator's
    /// `mapping` value) to a schema kept under another name.
    fn refers_to_renamed(&self, value: &Value) -> bool {
        match value {
            Value::Object(obj) => obj.iter().any(|(key, v)| match (key.as_str(), v) {
                ("$ref", Value::String(r)) => self.renamed_reference(r).is_some(),
                // A discriminator's, or a property named so (a schema).
                ("mapping", Value::Object(map)) => map.values().any(|r| {
                    r.as_str().and_then(|r| self.renamed_reference(r)).is_some()
                        || self.refers_to_renamed(r)
                }),
                _ => self.refers_to_renamed(v),
            }),
            Value::Array(items) => items.iter().any(|v| self.refers_to_renamed(v)),
            _ => false,
        }
    }

    /// Points every reference in `value` (see [`Renames::refers_to_renamed`])
    /// at the kept name.
    fn rewrite(&self, value: &mut Value) {
        let renamed = |v: &Value| v.as_str().and_then(|r| self.renamed_reference(r));
        match value {
            Value::Object(obj) => {
                for (key, v) in obj.iter_mut() {
                    match key.as_str() {
                        "$ref" if v.is_string() => {
                            if let Some(kept) = renamed(v) {
                                *v = Value::String(kept);
                            }
                        }
                        "mapping" if v.is_object() => {
                            let targets =
                                v.as_object_mut().into_iter().flat_map(|m| m.values_mut());
                            for target in targets {
                                match renamed(target) {
                                    Some(kept) => *target = Value::String(kept),
                                    // A property named `mapping`: a schema.
                                    None => self.rewrite(target),
                                }
                            }
                        }
                        _ => self.rewrite(v),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.rewrite(v)),
            _ => {}
        }
    }

    /// The reference to the kept name, where `reference` names a schema
    /// kept under another.
    fn renamed_reference(&self, reference: &str) -> Option<String> {
        let name = schema_name(reference)?;
        let kept = self.kept.get(&name).filter(|k| **k != name)?;
        Some(format!(
            "{SCHEMAS}{}",
            kept.replace('~', "~0").replace('/', "~1")
        ))
    }
}

/// The component schema a reference names (`#/components/schemas/a~1b`:
/// `a/b`), if it names one.
fn schema_name(reference: &str) -> Option<String> {
    let token = reference.strip_prefix(SCHEMAS)?;
    (!token.contains('/')).then(|| token.replace("~1", "/").replace("~0", "~"))
}

/// The name a class of linked schemas is kept under (see the module docs).
fn kept_name(names: &[String], docs: &[Cow<NormalizedDocument>]) -> String {
    let rank = |name: &String| {
        let defining = docs.iter().map(|d| &d.value).filter(|d| {
            d.pointer("/components/schemas")
                .and_then(|s| s.get(name))
                .is_some()
        });
        (support(defining), std::cmp::Reverse(name.clone()))
    };
    names
        .iter()
        .max_by_key(|n| rank(n))
        .cloned()
        .unwrap_or_default()
}

/// The label of a schema merged under another name, in notes and errors:
/// its file and where it is there (`b.yaml#/components/schemas/B`).
fn label(file: &str, name: &str) -> String {
    format!(
        "{file}#{}",
        Pointer::root()
            .push("components")
            .push("schemas")
            .push(name)
    )
}

/// The file and the pointer in it that `label` and `pointer` (a node of a
/// merged schema, `/components/schemas/A/...`) stand for: for a schema
/// merged under another name, where the node is under its own name.
pub fn source<'a>(label: &'a str, pointer: &'a str) -> (&'a str, Cow<'a, str>) {
    let Some(at) = label.rfind("#/components/schemas/") else {
        return (label, Cow::Borrowed(pointer));
    };
    let (file, schema) = (&label[..at], &label[at + 1..]);
    // The merged schema's pointer is `/components/schemas/A`: three tokens.
    let rest = pointer
        .match_indices('/')
        .nth(3)
        .map_or("", |(i, _)| &pointer[i..]);
    (file, Cow::Owned(format!("{schema}{rest}")))
}

/// One document's schema in a class of linked names.
struct Member<'a> {
    /// Its file, or for a schema of another name its label (see [`label`]).
    label: String,
    /// Whether its name is not the kept one.
    renamed: bool,
    /// The schema; one of another name without its Rust name.
    value: Cow<'a, Value>,
}

impl<'a> Member<'a> {
    fn new(file: &str, name: &str, kept: &str, value: &'a Value) -> Self {
        if name == kept {
            return Member {
                label: file.to_string(),
                renamed: false,
                value: Cow::Borrowed(value),
            };
        }
        let mut value = value.clone();
        if let Some(obj) = value.as_object_mut() {
            obj.shift_remove("x-speakeasy-name-override");
        }
        Member {
            label: label(file, name),
            renamed: true,
            value: Cow::Owned(value),
        }
    }
}

impl Link {
    /// The conflict a link is when merging its schemas as one changes
    /// nothing (the references still differ).
    pub(super) fn conflict(&self) -> Error {
        let [(first, a), (second, b)] = &self.sides;
        Error::Conflict {
            pointer: self.pointer.clone(),
            lines: (None, None),
            first: first.clone(),
            second: second.clone(),
            message: format!("\"{SCHEMAS}{a}\" vs \"{SCHEMAS}{b}\""),
        }
    }
}

impl Merger {
    /// A schema reference (`$ref`) that differs between documents, where
    /// every side names a component schema: a link between each two names
    /// for the next round when one is absent from a document using the
    /// other (a rename or a copy); otherwise a changed type, warned about.
    /// The best-supported reference stands. `None` when a side names no
    /// component schema, for the strict rule to report.
    pub(super) fn reference(&mut self, at: &Pointer, with: &[Part]) -> Option<Value> {
        // Each name referenced, and the files that reference it.
        let mut names: Vec<(String, Vec<&str>)> = Vec::new();
        for part in with {
            let name = schema_name(part.value.as_str()?)?;
            match names.iter_mut().find(|(n, _)| *n == name) {
                Some((_, files)) => files.push(part.file),
                None => names.push((name, vec![part.file])),
            }
        }
        names.sort();
        let (kept, kept_files) = names.iter().max_by_key(|(name, files)| {
            (self.defined.support(files), std::cmp::Reverse(name.clone()))
        })?;
        for (i, (a, files_a)) in names.iter().enumerate() {
            for (b, files_b) in &names[i + 1..] {
                let sides = [
                    (files_a.join(", "), a.clone()),
                    (files_b.join(", "), b.clone()),
                ];
                let link = Link {
                    pointer: at.to_string(),
                    sides,
                };
                if self.defined.absent_from_any(b, files_a)
                    || self.defined.absent_from_any(a, files_b)
                {
                    self.found.push(link);
                } else {
                    self.changed_types.push((link, kept.clone()));
                }
            }
        }
        let kept = with.iter().find(|p| p.file == kept_files[0])?;
        Some(kept.value.clone())
    }

    /// A warning per place where documents that define both schemas
    /// reference different ones: a changed type, kept as two.
    pub(super) fn changed_type_warnings(&mut self) {
        let warnings = self.changed_types.iter().map(|(link, kept)| {
            let [(file_a, a), (file_b, b)] = &link.sides;
            Note {
                kind: NoteKind::ChangedTypes,
                pointer: link.pointer.clone(),
                message: format!(
                    "{file_a} references `{a}` and {file_b} `{b}` here, and each defines both: the type changed, so `{a}` and `{b}` stay two types; kept `{kept}`, the best-supported"
                ),
            }
        });
        self.warnings.extend(warnings.collect::<Vec<_>>());
    }

    /// The component schemas (`parts`: each document's `components`), each
    /// class of linked names merged as one schema under its kept name, in
    /// the order of the names.
    pub(super) fn component_schemas(&mut self, at: &Pointer, parts: &[Part]) -> Map<String, Value> {
        let empty = Value::Object(Map::new());
        let all: Vec<Part> = parts
            .iter()
            .map(|p| Part {
                file: p.file,
                value: p.value.get("schemas").unwrap_or(&empty),
            })
            .collect();
        let mut classes: Vec<(&str, Vec<Member>)> = Vec::new();
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for name in all_keys(&all) {
            let kept = self.renames.kept(name);
            index.entry(kept).or_insert_with(|| {
                classes.push((kept, Vec::new()));
                classes.len() - 1
            });
        }
        for part in &all {
            for (name, value) in part.value.as_object().into_iter().flatten() {
                let kept = self.renames.kept(name);
                if let Some(&i) = index.get(kept) {
                    classes[i].1.push(Member::new(part.file, name, kept, value));
                }
            }
        }
        let classes: Vec<(String, Vec<Member>)> = classes
            .into_iter()
            .map(|(kept, members)| (kept.to_string(), members))
            .collect();
        let mut merged = Map::new();
        for (kept, mut members) in classes {
            // Each document's schema of the kept name first.
            members.sort_by_key(|m| m.renamed);
            let value = self.class(&at.push(&kept), &members);
            merged.insert(kept, value);
        }
        merged
    }

    /// One class of schemas merged under one name; the schemas of other
    /// names (labelled by where they are) without their own Rust name: the
    /// kept schema's names the type.
    fn class(&mut self, at: &Pointer, members: &[Member]) -> Value {
        let parts: Vec<Part> = members
            .iter()
            .map(|m| Part {
                file: &m.label,
                value: m.value.as_ref(),
            })
            .collect();
        let same_name = members.iter().filter(|m| !m.renamed).count();
        if same_name == parts.len() {
            return self.node(Kind::Schema, at, &parts);
        }
        if parts.iter().all(|p| p.value == parts[0].value) {
            return parts[0].value.clone();
        }
        self.check_type_name(at, &parts[..same_name]);
        self.schema(at, &parts)
    }

    /// A note per place where documents referenced different schemas.
    pub(super) fn rename_notes(&mut self) {
        let notes: Vec<(Pointer, String)> = self
            .renames
            .links
            .iter()
            .map(|link| {
                let [(file_a, a), (file_b, b)] = &link.sides;
                let kept = self.renames.kept(a);
                let message = format!(
                    "{file_a} references `{a}` and {file_b} `{b}` here; merged as one type, `{kept}`"
                );
                (Pointer::parse(&link.pointer), message)
            })
            .collect();
        for (at, message) in notes {
            self.note(NoteKind::Renames, at, message);
        }
    }
}
