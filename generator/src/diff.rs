//! What changed in the generated API between two specs, for a changelog:
//! operations, types, fields and enum values added, removed or changed,
//! each marked breaking or not for a user of the Rust crate, and the semver
//! bump that follows.
//!
//! The comparison is between [`Summary`]s of the generator's own model (the
//! public surface of the crate), not between texts, so a spec that moves or
//! renames nothing gives an empty report. The client crate keeps the summary
//! it was generated from in `api.json`, to compare the next spec with.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::model::{field_type, rust_type, Api, Effect, Retries, TypeKind};
use crate::names::unraw;

/// The public surface of a generated crate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// What wrote this file.
    pub generated_by: String,
    /// Operations by `group.method` (`personal_client.get`).
    pub operations: BTreeMap<String, OperationSummary>,
    /// Types by Rust name.
    pub types: BTreeMap<String, TypeSummary>,
}

/// An operation as a user calls it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationSummary {
    /// Its name in the spec: `Group.Name`.
    pub name: String,
    /// `METHOD /path`.
    pub endpoint: String,
    /// The method's arguments and what awaiting its call gives:
    /// `(id: impl Into<String>) -> PersonalClientServiceGetResponse`.
    pub signature: String,
    /// The call's setters, for the optional parameters: `page_size: impl Into<i32>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setters: Vec<String>,
    /// How failures are retried: `idempotent` (connection errors, 429,
    /// 502, 503, 504), `not idempotent` (429, 503, unsent requests) or
    /// `never` (it uses something up).
    #[serde(default)]
    pub retries: String,
    /// What it does, from the effects table: `read`, `write` or
    /// `destructive`, then `idempotent`, `consumes` and `sensitive` where
    /// they hold (`write, idempotent`), or `unreviewed` when the table does
    /// not list it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub effect: String,
}

/// [`OperationSummary::retries`] of an idempotent operation.
pub const IDEMPOTENT: &str = "idempotent";
/// [`OperationSummary::retries`] of an operation retried only when unsent.
pub const NOT_IDEMPOTENT: &str = "not idempotent";
/// [`OperationSummary::retries`] of an operation never retried.
pub const NEVER: &str = "never";

/// How `api.json` writes an effect: `write, idempotent, sensitive`.
fn effect_text(effect: &Effect) -> String {
    if !effect.reviewed {
        return "unreviewed".into();
    }
    let mut words = vec![effect.kind.name()];
    words.extend(effect.flags());
    words.join(", ")
}

/// A type's shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeSummary {
    /// A struct: its fields' Rust types by field name.
    Struct(BTreeMap<String, String>),
    /// An enum: its values as sent.
    Enum(Vec<String>),
    /// Another name for a type.
    Alias(String),
}

impl Summary {
    /// The summary of a model whose passes have run: signatures and field
    /// types are the model's own, the ones the emitted code declares.
    pub fn of(api: &Api) -> Result<Self> {
        let mut operations = BTreeMap::new();
        for group in &api.groups {
            for op in &group.operations {
                let key = group.operation_name(op);
                let signature = op.signature.get("signatures")?;
                let summary = OperationSummary {
                    name: format!("{}.{}", group.tag, op.spec_name),
                    endpoint: format!("{} {}", op.method.to_uppercase(), op.path),
                    signature: signature.to_string(),
                    setters: signature.setter_lines(),
                    retries: match op.effect.retries() {
                        Retries::Idempotent => IDEMPOTENT,
                        Retries::Unsent => NOT_IDEMPOTENT,
                        Retries::Never => NEVER,
                    }
                    .into(),
                    effect: effect_text(&op.effect),
                };
                operations.insert(key, summary);
            }
        }
        let mut types = BTreeMap::new();
        for def in &api.types {
            let shape = match &def.kind {
                TypeKind::Struct(s) => {
                    let mut fields = BTreeMap::new();
                    for f in &s.fields {
                        let ty = field_type(&api.types, f, *f.boxed.get("boxed fields")?);
                        fields.insert(unraw(&f.name).to_string(), ty.to_string());
                    }
                    TypeSummary::Struct(fields)
                }
                TypeKind::Enum(variants) => {
                    TypeSummary::Enum(variants.iter().map(|v| v.wire_name.clone()).collect())
                }
                // Like an enum's values: the `@type`s it reads, more of which break nobody.
                TypeKind::AnyMessage(variants) => {
                    TypeSummary::Enum(variants.iter().map(|v| v.full_name.clone()).collect())
                }
                TypeKind::Alias(target) => {
                    TypeSummary::Alias(rust_type(&api.types, target).to_string())
                }
                // A union's members by variant and type: a new one breaks
                // exhaustive matches, like a new struct field breaks literals.
                TypeKind::Union(u) => {
                    let mut variants = BTreeMap::new();
                    for v in &u.variants {
                        variants.insert(v.name.clone(), rust_type(&api.types, &v.ty).to_string());
                    }
                    TypeSummary::Struct(variants)
                }
            };
            types.insert(def.name.clone(), shape);
        }
        Ok(Summary {
            generated_by: "cargo xtask codegen: the API this crate was generated from, for the next change report".into(),
            operations,
            types,
        })
    }

    /// The summary as the crate keeps it, `api.json`.
    pub fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string_pretty(self).map(|text| text + "\n")
    }
}

/// How much a change asks of the crate's version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing a user can see changed.
    Patch,
    /// Additions only.
    Minor,
    /// Something a user relies on changed or went away.
    Major,
}

/// One change to the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiChange {
    /// What changed, in one line of Markdown.
    pub text: String,
    /// Whether code that compiled against the old crate may not compile now.
    pub breaking: bool,
}

/// The changes from one summary to the next, in sections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// `(section title, changes)`, in a fixed order.
    pub sections: Vec<(String, Vec<ApiChange>)>,
}

impl Report {
    /// Every change.
    pub fn changes(&self) -> impl Iterator<Item = &ApiChange> {
        self.sections.iter().flat_map(|(_, changes)| changes)
    }

    /// The version bump the changes need.
    pub fn bump(&self) -> Option<Bump> {
        let mut changes = self.changes().peekable();
        changes.peek()?;
        Some(if changes.any(|c| c.breaking) {
            Bump::Major
        } else {
            Bump::Minor
        })
    }

    /// The one-line count the report ends with.
    pub fn count_line(&self) -> String {
        let total = self.changes().count();
        let breaking = self.changes().filter(|c| c.breaking).count();
        match self.bump() {
            None => "No API changes.".to_string(),
            Some(bump) => format!(
                "{total} change{}, {breaking} breaking: {} version bump.",
                if total == 1 { "" } else { "s" },
                match bump {
                    Bump::Major => "a major",
                    Bump::Minor => "a minor",
                    Bump::Patch => "a patch",
                }
            ),
        }
    }

    /// The report as Markdown, for a changelog or a pull request.
    pub fn markdown(&self) -> String {
        let mut out = String::from("## API changes\n");
        for (title, changes) in &self.sections {
            if changes.is_empty() {
                continue;
            }
            let _ = write!(out, "\n### {title}\n\n");
            for change in changes {
                let mark = if change.breaking {
                    " **(breaking)**"
                } else {
                    ""
                };
                let _ = writeln!(out, "- {}{mark}", change.text);
            }
        }
        let _ = write!(out, "\n{}\n", self.count_line());
        out
    }
}

/// The changes from `old` to `new`.
pub fn diff(old: &Summary, new: &Summary) -> Report {
    let mut added_ops = Vec::new();
    let mut removed_ops = Vec::new();
    let mut changed_ops = Vec::new();
    for (key, op) in &new.operations {
        match old.operations.get(key) {
            None => added_ops.push(ApiChange {
                text: operation_line(key, op),
                breaking: false,
            }),
            Some(before) if before.signature != op.signature => changed_ops.push(ApiChange {
                text: format!(
                    "{}: now `{}` (was `{}`)",
                    operation_line(key, op),
                    op.signature,
                    before.signature
                ),
                breaking: true,
            }),
            Some(before) => changed_ops.extend(operation_changes(key, before, op)),
        }
    }
    for (key, op) in &old.operations {
        if !new.operations.contains_key(key) {
            removed_ops.push(ApiChange {
                text: operation_line(key, op),
                breaking: true,
            });
        }
    }
    let mut added_types = Vec::new();
    let mut removed_types = Vec::new();
    let mut changed_types = Vec::new();
    for (name, shape) in &new.types {
        match old.types.get(name) {
            None => added_types.push(ApiChange {
                text: format!("`{name}`"),
                breaking: false,
            }),
            Some(before) => changed_types.extend(type_changes(name, before, shape)),
        }
    }
    for name in old.types.keys() {
        if !new.types.contains_key(name) {
            removed_types.push(ApiChange {
                text: format!("`{name}`"),
                breaking: true,
            });
        }
    }
    let sections = [
        ("Operations added", added_ops),
        ("Operations removed", removed_ops),
        ("Operations changed", changed_ops),
        ("Types added", added_types),
        ("Types removed", removed_types),
        ("Types changed", changed_types),
    ];
    Report {
        sections: sections
            .into_iter()
            .map(|(t, c)| (t.to_string(), c))
            .collect(),
    }
}

/// The changes of an operation whose method's arguments stayed the same.
fn operation_changes(key: &str, old: &OperationSummary, new: &OperationSummary) -> Vec<ApiChange> {
    let line = operation_line(key, new);
    let mut changes = Vec::new();
    // The same method on another URL: nothing changes for its callers.
    if old.endpoint != new.endpoint {
        changes.push(ApiChange {
            text: format!("{line}: moved from `{}`", old.endpoint),
            breaking: false,
        });
    }
    let name = |s: &str| s.split(':').next().unwrap_or(s).to_string();
    for setter in &new.setters {
        match old.setters.iter().find(|o| name(o) == name(setter)) {
            // A new optional parameter is one more setter: no caller changes.
            None => changes.push(ApiChange {
                text: format!("{line}: setter `.{setter}` added"),
                breaking: false,
            }),
            Some(was) if was != setter => changes.push(ApiChange {
                text: format!("{line}: setter now `.{setter}` (was `.{was}`)"),
                breaking: true,
            }),
            Some(_) => {}
        }
    }
    for was in &old.setters {
        if !new.setters.iter().any(|s| name(s) == name(was)) {
            changes.push(ApiChange {
                text: format!("{line}: setter `.{was}` removed"),
                breaking: true,
            });
        }
    }
    if !old.effect.is_empty() && old.effect != new.effect {
        changes.push(ApiChange {
            text: format!("{line}: now does `{}` (was `{}`)", new.effect, old.effect),
            breaking: false,
        });
    }
    if !old.retries.is_empty() && old.retries != new.retries {
        changes.push(ApiChange {
            text: format!(
                "{line}: retries now `{}` (was `{}`)",
                new.retries, old.retries
            ),
            breaking: false,
        });
    }
    changes
}

fn operation_line(key: &str, op: &OperationSummary) -> String {
    let (group, method) = key.split_once('.').unwrap_or((key, ""));
    format!(
        "`client.{group}().{method}()` ({}, `{}`)",
        op.name, op.endpoint
    )
}

/// The changes inside one type.
fn type_changes(name: &str, old: &TypeSummary, new: &TypeSummary) -> Vec<ApiChange> {
    let mut changes = Vec::new();
    match (old, new) {
        (TypeSummary::Struct(before), TypeSummary::Struct(after)) => {
            for (field, ty) in after {
                match before.get(field) {
                    None => changes.push(ApiChange {
                        text: format!("`{name}`: field `{field}: {ty}` added"),
                        // A new required field must be given wherever the
                        // struct is built; `..Default::default()` fills the others.
                        breaking: !may_be_absent(ty),
                    }),
                    Some(was) if was != ty => {
                        let what = match (may_be_absent(was), may_be_absent(ty)) {
                            (true, false) => "became required",
                            (false, true) => "became optional",
                            _ => "changed type",
                        };
                        changes.push(ApiChange {
                            text: format!("`{name}`: field `{field}` {what}: `{was}` -> `{ty}`"),
                            breaking: true,
                        });
                    }
                    Some(_) => {}
                }
            }
            for field in before.keys().filter(|f| !after.contains_key(*f)) {
                changes.push(ApiChange {
                    text: format!("`{name}`: field `{field}` removed"),
                    breaking: true,
                });
            }
        }
        (TypeSummary::Enum(before), TypeSummary::Enum(after)) => {
            for value in after.iter().filter(|v| !before.contains(v)) {
                // Enums are `#[non_exhaustive]`: a new value breaks no match.
                changes.push(ApiChange {
                    text: format!("`{name}`: value `{value}` added"),
                    breaking: false,
                });
            }
            for value in before.iter().filter(|v| !after.contains(v)) {
                changes.push(ApiChange {
                    text: format!("`{name}`: value `{value}` removed"),
                    breaking: true,
                });
            }
        }
        (TypeSummary::Alias(before), TypeSummary::Alias(after)) if before != after => {
            changes.push(ApiChange {
                text: format!("`{name}`: now `{after}` (was `{before}`)"),
                breaking: true,
            })
        }
        (TypeSummary::Alias(_), TypeSummary::Alias(_)) => {}
        _ => changes.push(ApiChange {
            text: format!("`{name}`: a different kind of type"),
            breaking: true,
        }),
    }
    changes
}

/// Whether a field of this Rust type may be absent on the wire: an
/// `Option`, or a list or map (empty when absent).
fn may_be_absent(ty: &str) -> bool {
    ["Option<", "Vec<", "BTreeMap<"]
        .iter()
        .any(|p| ty.starts_with(p))
}

/// The next version after `version` for `bump`, by Cargo's rules: below
/// 1.0.0 a breaking change bumps the minor number and anything else the
/// patch number.
pub fn bumped(version: &str, bump: Bump) -> Option<String> {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().ok());
    let (major, minor, patch) = (parts.next()??, parts.next()??, parts.next()??);
    Some(match (major, bump) {
        (0, Bump::Major) => format!("0.{}.0", minor + 1),
        (0, _) => format!("0.{minor}.{}", patch + 1),
        (_, Bump::Major) => format!("{}.0.0", major + 1),
        (_, Bump::Minor) => format!("{major}.{}.0", minor + 1),
        (_, Bump::Patch) => format!("{major}.{minor}.{}", patch + 1),
    })
}
