//! One Rust type per distinct enum. Protobuf-generated specs write the same
//! enum inline wherever it is used (a search request's `userStatuses`
//! items, a user's `status`), and each place would otherwise be its own
//! type, so a `UserStatus` could not be passed where the search wants one.
//!
//! Enums with the same set of values (in any order) become the one type
//! named, in this order of preference: a component schema's type over an
//! inline one, then the shortest name, then the first in alphabetical
//! order. The choice depends on names only, never on file or spec order.
//! Every reference to the others is redirected to it, and they are removed.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::model::ir::{Api, TypeDef, TypeId, TypeKind};

/// Merges the enums that have the same values.
pub fn run(api: &mut Api) -> Result<()> {
    let target = targets(&api.types);
    // The index of each kept type once the others are removed.
    let mut kept = Vec::with_capacity(target.len());
    let mut next = 0;
    for (i, t) in target.iter().enumerate() {
        kept.push(next);
        if t.0 == i {
            next += 1;
        }
    }
    let remap = |id: TypeId| TypeId(kept[target[id.0].0]);
    let types = std::mem::take(&mut api.types);
    api.types = types
        .into_iter()
        .enumerate()
        .filter(|(i, _)| target[*i].0 == *i)
        .map(|(_, mut def)| {
            redirect(&mut def, &remap);
            def
        })
        .collect();
    for op in api.groups.iter_mut().flat_map(|g| &mut g.operations) {
        for p in &mut op.params {
            p.ty = p.ty.map_named(&remap);
        }
        if let Some(body) = &mut op.body {
            body.ty = body.ty.map_named(&remap);
        }
        if let Some(response) = &mut op.response {
            *response = response.map_named(&remap);
        }
    }
    Ok(())
}

/// For each type, the type that stands for it: itself, or the enum chosen
/// among those with the same values.
fn targets(types: &[TypeDef]) -> Vec<TypeId> {
    let mut by_values: BTreeMap<Vec<&str>, Vec<TypeId>> = BTreeMap::new();
    for (i, def) in types.iter().enumerate() {
        if let TypeKind::Enum(variants) = &def.kind {
            let mut values: Vec<&str> = variants.iter().map(|v| v.wire_name.as_str()).collect();
            values.sort_unstable();
            by_values.entry(values).or_default().push(TypeId(i));
        }
    }
    let mut target: Vec<TypeId> = (0..types.len()).map(TypeId).collect();
    for ids in by_values.values().filter(|ids| ids.len() > 1) {
        let preference = |id: &&TypeId| {
            let def = &types[id.0];
            (inline(def), def.name.len(), def.name.as_str())
        };
        if let Some(chosen) = ids.iter().min_by_key(preference) {
            for id in ids {
                target[id.0] = *chosen;
            }
        }
    }
    target
}

/// Whether the type comes from an inline schema (its schema is a pointer)
/// rather than a component.
fn inline(def: &TypeDef) -> bool {
    def.schema.starts_with('/')
}

/// Points the references of `def` at the types that stand for them.
fn redirect(def: &mut TypeDef, remap: &impl Fn(TypeId) -> TypeId) {
    match &mut def.kind {
        TypeKind::Struct(s) => {
            for f in &mut s.fields {
                f.ty = f.ty.map_named(remap);
            }
            s.input_of = s.input_of.map(remap);
        }
        TypeKind::Alias(ty) => *ty = ty.map_named(remap),
        TypeKind::AnyMessage(variants) => {
            for v in variants {
                v.ty = remap(v.ty);
            }
        }
        TypeKind::Union(u) => {
            for v in &mut u.variants {
                v.ty = v.ty.map_named(remap);
            }
        }
        TypeKind::Enum(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ir::TypeRef;
    use crate::model::passes::testing::{doc, id, lowered};

    const SCHEMAS: &str = "\
c1.api.user.v1.UserStatus: {type: string, enum: [ENABLED, DISABLED, DELETED]}
c1.api.user.v1.User: {type: object, properties: {status: {$ref: '#/components/schemas/c1.api.user.v1.UserStatus'}, kind: {type: string, enum: [A, B]}}}
c1.api.user.v1.Search: {type: object, properties: {statuses: {type: array, items: {type: string, enum: [DISABLED, ENABLED, DELETED]}}, kinds: {type: array, items: {type: string, enum: [B, A]}}, other: {type: string, enum: [A, B, C]}}}";

    fn enums(api: &Api) -> Vec<&str> {
        api.types
            .iter()
            .filter(|t| matches!(t.kind, TypeKind::Enum(_)))
            .map(|t| t.name.as_str())
            .collect()
    }

    #[test]
    fn enums_with_the_same_values_are_one_type() {
        let ops = "/s:\n  post:\n    operationId: x.Search\n    parameters: [{name: kind, in: query, schema: {type: string, enum: [A, B]}}]\n    requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/c1.api.user.v1.Search'}}}}\n    responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/c1.api.user.v1.User'}}}}}";
        let mut api = lowered(&doc(SCHEMAS, ops)).unwrap();
        let before = enums(&api).len();
        run(&mut api).unwrap();
        // The component wins over the inline copy; of two inline copies, the shorter name.
        assert_eq!(before, 6);
        assert_eq!(enums(&api), ["UserStatus", "SearchOther", "UserKind"]);
        let (user, search) = (id(&api, "User"), id(&api, "Search"));
        let fields = |t: TypeId| match &api.types[t.0].kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| f.ty.clone()).collect::<Vec<_>>(),
            _ => panic!("a struct"),
        };
        let status = TypeRef::Named(id(&api, "UserStatus"));
        let kind = TypeRef::Named(id(&api, "UserKind"));
        assert_eq!(fields(user), [status.clone(), kind.clone()]);
        assert_eq!(
            fields(search)[..2],
            [
                TypeRef::Vec(Box::new(status)),
                TypeRef::Vec(Box::new(kind.clone()))
            ]
        );
        let op = &api.groups[0].operations[0];
        assert_eq!(op.params[0].ty, kind);
    }

    #[test]
    fn the_choice_does_not_depend_on_spec_order() {
        let reordered = "\
c1.api.user.v1.Search: {type: object, properties: {other: {type: string, enum: [A, B, C]}, kinds: {type: array, items: {type: string, enum: [B, A]}}, statuses: {type: array, items: {type: string, enum: [DISABLED, ENABLED, DELETED]}}}}
c1.api.user.v1.User: {type: object, properties: {kind: {type: string, enum: [A, B]}, status: {$ref: '#/components/schemas/c1.api.user.v1.UserStatus'}}}
c1.api.user.v1.UserStatus: {type: string, enum: [ENABLED, DISABLED, DELETED]}";
        let names = |schemas: &str| {
            let mut api = lowered(&doc(schemas, "{}")).unwrap();
            run(&mut api).unwrap();
            let mut names: Vec<String> = api.types.iter().map(|t| t.name.clone()).collect();
            names.sort();
            names
        };
        assert_eq!(names(SCHEMAS), names(reordered));
    }
}
