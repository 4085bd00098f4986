//! Request bodies get types without read-only fields, and bodies that are
//! left with no fields are sent as `{}` without the caller passing one.
//!
//! A type that holds read-only fields (directly or below) and is sent in a
//! request gets an input variant. Where the full type is also received or
//! used elsewhere, the variant is a new type `NameInput` with a `From`
//! conversion from the full one; where the type is only ever sent, it is
//! itself rewritten without its read-only fields.

use super::direct_refs;
use crate::error::Result;
use crate::model::ir::{Api, Body, Group, Pending, TypeDef, TypeId, TypeKind, TypeRef};

/// Derives the input types, points request bodies at them, and decides
/// [`crate::model::Body::implicit_empty`].
pub fn run(api: &mut Api) -> Result<()> {
    derive_inputs(api);
    let types = &api.types;
    for body in bodies(&mut api.groups) {
        body.implicit_empty = Pending::Known(matches!(
            &body.ty,
            TypeRef::Named(id) if matches!(&types[id.0].kind, TypeKind::Struct(s) if s.fields.is_empty())
        ));
    }
    Ok(())
}

fn bodies(groups: &mut [Group]) -> impl Iterator<Item = &mut Body> {
    groups
        .iter_mut()
        .flat_map(|g| &mut g.operations)
        .filter_map(|o| o.body.as_mut())
}

fn derive_inputs(api: &mut Api) {
    let operations = || api.groups.iter().flat_map(|g| &g.operations);
    let sent_roots: Vec<TypeId> = operations()
        .filter_map(|o| o.body.as_ref()?.ty.named())
        .collect();
    let sent = reach(&api.types, sent_roots, true);
    let received = operations().filter_map(|o| o.response.as_ref()?.named());
    let unsent = (0..api.types.len()).filter(|i| !sent[*i]).map(TypeId);
    let full = reach(&api.types, received.chain(unsent).collect(), false);
    let needs = needs_input(&api.types);

    let originals = api.types.len();
    let mut names = super::names::type_names(&api.types);
    let mut input: Vec<TypeId> = (0..originals).map(TypeId).collect();
    for id in 0..originals {
        if needs[id] && sent[id] && full[id] {
            let def = &api.types[id];
            let name = names.claim(&format!("{}Input", crate::names::stem(&def.name)));
            let mut kind = def.kind.clone();
            match &mut kind {
                TypeKind::Struct(s) => s.input_of = Some(TypeId(id)),
                TypeKind::Union(u) => u.input_of = Some(TypeId(id)),
                _ => {}
            }
            api.types.push(TypeDef {
                name,
                kind,
                ..def.clone()
            });
            input[id] = TypeId(api.types.len() - 1);
        }
    }
    let map = |t: TypeId| {
        if t.0 < originals && needs[t.0] {
            input[t.0]
        } else {
            t
        }
    };
    for id in (0..originals).filter(|id| needs[*id] && sent[*id]) {
        match &mut api.types[input[id].0].kind {
            TypeKind::Struct(s) => {
                s.fields.retain(|f| !f.read_only);
                for f in &mut s.fields {
                    f.ty = f.ty.map_named(&map);
                }
            }
            TypeKind::Alias(ty) => *ty = ty.map_named(&map),
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    v.ty = v.ty.map_named(&map);
                }
            }
            TypeKind::Enum(_) | TypeKind::AnyMessage(_) => {}
        }
    }
    for body in bodies(&mut api.groups) {
        body.ty = body.ty.map_named(&map);
    }
}

/// Marks every type reachable from `roots` (through writable fields only, if `writable`).
fn reach(types: &[TypeDef], roots: Vec<TypeId>, writable: bool) -> Vec<bool> {
    let mut seen = vec![false; types.len()];
    let mut stack = roots;
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut seen[id.0], true) {
            continue;
        }
        stack.extend(
            direct_refs(&types[id.0])
                .into_iter()
                .filter(|(_, w)| *w || !writable)
                .map(|(t, _)| t),
        );
    }
    seen
}

/// Types that differ when sent: they hold read-only fields, directly or below.
fn needs_input(types: &[TypeDef]) -> Vec<bool> {
    let mut needs: Vec<bool> = types
        .iter()
        .map(|t| matches!(&t.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.read_only)))
        .collect();
    let mut changed = true;
    while changed {
        changed = false;
        for id in 0..types.len() {
            if !needs[id]
                && direct_refs(&types[id])
                    .iter()
                    .any(|(t, w)| *w && needs[t.0])
            {
                needs[id] = true;
                changed = true;
            }
        }
    }
    needs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::passes::testing::{doc, id, lowered};

    const SCHEMAS: &str = "Thing: {type: object, properties: {id: {type: string, readOnly: true}, name: {type: string}}}\n\
UpdateRequest: {type: object, properties: {thing: {$ref: '#/components/schemas/Thing'}, mask: {type: string}}}\n\
Empty: {type: object, properties: {id: {type: string, readOnly: true}}}";

    fn ops() -> String {
        let body = |s: &str| {
            format!("requestBody: {{content: {{application/json: {{schema: {{$ref: '#/components/schemas/{s}'}}}}}}}}")
        };
        let thing = "responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}}";
        format!(
            "/a:\n  post:\n    operationId: x.Update\n    {}\n    {thing}\n/b:\n  post:\n    operationId: x.Touch\n    {}\n    {thing}",
            body("UpdateRequest"),
            body("Empty")
        )
    }

    fn names(api: &Api, ty: &str) -> Vec<String> {
        match &api.types[id(api, ty).0].kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| f.wire_name.clone()).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn received_types_gain_an_input_variant_and_sent_only_types_lose_read_only_fields() {
        let mut api = lowered(&doc(SCHEMAS, &ops())).unwrap();
        run(&mut api).unwrap();
        assert_eq!(names(&api, "Thing"), ["id", "name"]);
        assert_eq!(names(&api, "ThingInput"), ["name"]);
        let TypeKind::Struct(s) = &api.types[id(&api, "ThingInput").0].kind else {
            panic!()
        };
        assert_eq!(s.input_of, Some(id(&api, "Thing")));
        assert_eq!(names(&api, "UpdateRequest"), ["thing", "mask"]);
        assert!(api.types.iter().all(|t| t.name != "UpdateRequestInput"));
    }

    #[test]
    fn bodies_left_without_fields_are_implicitly_empty() {
        let mut api = lowered(&doc(SCHEMAS, &ops())).unwrap();
        run(&mut api).unwrap();
        let empty: Vec<(&str, bool)> = api.groups[0]
            .operations
            .iter()
            .map(|o| {
                let body = o.body.as_ref().unwrap();
                (o.name.as_str(), *body.implicit_empty.get("empty").unwrap())
            })
            .collect();
        assert_eq!(empty, [("touch", true), ("update", false)]);
    }
}
