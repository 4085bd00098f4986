//! Boxes the fields through which a type contains itself directly (not
//! through an array or map), which would otherwise give it infinite size.

use crate::error::Result;
use crate::model::ir::{Api, Pending, TypeDef, TypeKind, TypeRef};

/// Decides [`crate::model::Field::boxed`] for every field.
pub fn run(api: &mut Api) -> Result<()> {
    let boxed: Vec<Vec<bool>> = (0..api.types.len())
        .map(|id| match &api.types[id].kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| plain_named(&f.ty).is_some_and(|t| reaches(&api.types, t, id)))
                .collect(),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .map(|v| plain_named(&v.ty).is_some_and(|t| reaches(&api.types, t, id)))
                .collect(),
            TypeKind::Enum(_) | TypeKind::Alias(_) | TypeKind::AnyMessage(_) => Vec::new(),
        })
        .collect();
    for (def, boxed) in api.types.iter_mut().zip(boxed) {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for (f, b) in s.fields.iter_mut().zip(boxed) {
                    f.boxed = Pending::Known(b);
                }
            }
            TypeKind::Union(u) => {
                for (v, b) in u.variants.iter_mut().zip(boxed) {
                    v.boxed = Pending::Known(b);
                }
            }
            TypeKind::Enum(_) | TypeKind::Alias(_) | TypeKind::AnyMessage(_) => {}
        }
    }
    Ok(())
}

/// The named type a reference is, not looking into arrays or maps.
fn plain_named(ty: &TypeRef) -> Option<usize> {
    match ty {
        TypeRef::Named(id) => Some(id.0),
        TypeRef::Scalar(_) | TypeRef::Vec(_) | TypeRef::Map(_) => None,
    }
}

/// Whether `target` is reachable from `from` through plain fields and aliases.
fn reaches(types: &[TypeDef], from: usize, target: usize) -> bool {
    let edges = |id: usize| -> Vec<usize> {
        match &types[id].kind {
            TypeKind::Struct(s) => s.fields.iter().filter_map(|f| plain_named(&f.ty)).collect(),
            TypeKind::Alias(ty) => plain_named(ty).into_iter().collect(),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .filter_map(|v| plain_named(&v.ty))
                .collect(),
            TypeKind::Enum(_) | TypeKind::AnyMessage(_) => Vec::new(),
        }
    };
    let mut seen = vec![false; types.len()];
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if id == target {
            return true;
        }
        if !std::mem::replace(&mut seen[id], true) {
            stack.extend(edges(id));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::passes::testing::{doc, id, lowered};

    #[test]
    fn direct_self_references_are_boxed_and_others_not() {
        let schemas = "Node: {type: object, properties: {next: {$ref: '#/components/schemas/Node'}, children: {type: array, items: {$ref: '#/components/schemas/Node'}}, other: {$ref: '#/components/schemas/Leaf'}}}\nLeaf: {type: object, properties: {x: {type: string}}}";
        let mut api = lowered(&doc(schemas, "{}")).unwrap();
        run(&mut api).unwrap();
        let TypeKind::Struct(s) = &api.types[id(&api, "Node").0].kind else {
            panic!()
        };
        let boxed: Vec<(&str, bool)> = s
            .fields
            .iter()
            .map(|f| (f.wire_name.as_str(), *f.boxed.get("boxed").unwrap()))
            .collect();
        assert_eq!(
            boxed,
            [("next", true), ("children", false), ("other", false)]
        );
    }
}
