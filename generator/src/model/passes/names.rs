//! Unique Rust names in every namespace the generated crate has. Lowering
//! gives each item the name its spec name asks for (`date_created`,
//! `UnknownValue`); this pass, the first, makes them unique where Rust needs
//! them to be, all by one `Namespace` (`crate::names`) each, so that no
//! later pass copies a name that is about to change:
//!
//! | namespace | reserved (the generated code's own names) | a reserved name becomes |
//! |---|---|---|
//! | the crate's types (made unique as lowering names them) | `RESERVED_TYPES` | a number |
//! | a struct's fields | | |
//! | an enum's variants | | |
//! | a union's variants, and its catch-all `Other` | | |
//! | group modules (also `Client` methods, mock accessors, features) | `ACCESSOR_RESERVED`, `FEATURE_RESERVED` | `client_api` |
//! | a group's methods | `new` | `new_op` |
//! | a group module's types | `Client`, `RESERVED_TYPES` | `ClientParams` |
//! | an operation's arguments, setters and parameters fields | `CALL_METHODS` | `timeout_param` |
//! | a model's resolvers (named by the `expanded` pass, by a `Namespace` too) | `STRUCT_METHODS` | `clone_target` |
//!
//! A later name that is taken gets an alternative where there is a better
//! one (an operation's whole `operationId`, `request_body` for the body),
//! else the smallest free number: `DateCreated` and `date_created` give
//! `date_created` and `date_created2`. The first in spec order keeps its
//! name. Wire names never change.

use std::collections::BTreeMap;

use super::signatures::CALL_METHODS;
use crate::error::{Pointer, Result};
use crate::model::ir::{Api, Group, Operation, TypeDef, TypeKind};
use crate::model::model_error;
use crate::names::{
    pascal, snake, unraw, Namespace, ACCESSOR_RESERVED, FEATURE_RESERVED, RESERVED_TYPES,
};

/// Makes every namespace's names unique (see the module's table).
pub fn run(api: &mut Api) -> Result<()> {
    check_type_names(&api.types)?;
    for def in &mut api.types {
        members(&mut def.kind);
    }
    let mut modules = Namespace::new(
        ACCESSOR_RESERVED.into_iter().chain(FEATURE_RESERVED),
        "_api",
    );
    for group in &mut api.groups {
        group.module = modules.claim(&group.module);
        group_items(group);
    }
    api.groups
        .sort_by(|a, b| unraw(&a.module).cmp(unraw(&b.module)));
    Ok(())
}

/// The crate's type names, for a pass that adds a type.
pub fn type_names(types: &[TypeDef]) -> Namespace {
    let mut names = Namespace::new(RESERVED_TYPES, "");
    for def in types {
        names.insert(&def.name);
    }
    names
}

/// Type names are unique as lowering gives them (an inline type is named
/// after the type that holds it, so they are chosen there, by a
/// [`Namespace`] too); a type that shares a name is an internal error.
fn check_type_names(types: &[TypeDef]) -> Result<()> {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for def in types {
        if let Some(first) = seen.insert(unraw(&def.name), &def.schema) {
            let message = format!(
                "internal error: types of `{first}` and `{}` are both named `{}`",
                def.schema, def.name
            );
            return Err(model_error(&Pointer::root(), message));
        }
    }
    Ok(())
}

/// A type's fields or variants.
fn members(kind: &mut TypeKind) {
    match kind {
        TypeKind::Struct(s) => {
            let mut fields = Namespace::default();
            for f in &mut s.fields {
                f.name = fields.claim(&f.name);
            }
        }
        TypeKind::Enum(variants) => {
            let mut names = Namespace::default();
            for v in variants {
                v.name = names.claim(&v.name);
            }
        }
        TypeKind::Union(u) => {
            let mut names = Namespace::default();
            for v in &mut u.variants {
                v.name = names.claim(&v.name);
            }
            if let Some(other) = &mut u.other {
                *other = names.claim(other);
            }
        }
        TypeKind::Alias(_) | TypeKind::AnyMessage(_) => {}
    }
}

/// A group's methods, its module's types and each operation's arguments.
fn group_items(group: &mut Group) {
    let mut methods = Namespace::new(["new"], "_op");
    let mut types = Namespace::new(["Client"].into_iter().chain(RESERVED_TYPES), "Params");
    group.type_name = types.claim(&group.type_name);
    group.mock_type = types.claim(&group.mock_type);
    for op in &mut group.operations {
        let whole = op.operation_id.as_deref().map(snake);
        op.name = methods.claim_any(&op.name, whole.as_slice());
        op.params_type = types.claim(&pascal(unraw(&op.name)));
        arguments(op);
    }
    group
        .operations
        .sort_by(|a, b| unraw(&a.name).cmp(unraw(&b.name)));
}

/// An operation's parameters and body: arguments, setters and the fields
/// of its parameters type, one namespace.
fn arguments(op: &mut Operation) {
    let mut names = Namespace::new(CALL_METHODS.iter().copied(), "_param");
    for p in &mut op.params {
        p.name = names.claim(&p.name);
    }
    if let Some(body) = &mut op.body {
        body.name = names.claim_any(&body.name, &["request_body".to_string()]);
    }
}

#[cfg(test)]
mod tests;
