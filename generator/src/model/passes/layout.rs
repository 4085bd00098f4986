//! Where the models go: one module per protobuf package, the operation
//! groups (cargo features) that need each module, and which types can
//! derive `Default`.

use std::collections::{BTreeMap, BTreeSet};

use super::direct_refs;
use crate::error::Result;
use crate::model::ir::{Api, Features, Layout, ModelModule, Pending, TypeDef, TypeId, TypeKind};
use crate::model::protobuf::module_names;

/// Computes [`Api::layout`].
pub fn run(api: &mut Api) -> Result<()> {
    let names = module_names(api.types.iter().map(|t| t.package.as_str()));
    let mut by_module: BTreeMap<&str, Vec<TypeId>> = BTreeMap::new();
    for (id, module) in names.iter().enumerate() {
        by_module.entry(module).or_default().push(TypeId(id));
    }
    let mut module_of = vec![0; api.types.len()];
    let mut modules = Vec::new();
    for (index, (name, mut types)) in by_module.into_iter().enumerate() {
        types.sort_by(|a, b| api.types[a.0].name.cmp(&api.types[b.0].name));
        for id in &types {
            module_of[id.0] = index;
        }
        modules.push(ModelModule {
            name: name.to_string(),
            package: api.types[types[0].0].package.clone(),
            uses_others: false,
            features: Features::Always,
            types,
        });
    }
    let depends = dependencies(&api.types, &modules, &module_of);
    for (index, module) in modules.iter_mut().enumerate() {
        module.uses_others = depends[index].iter().any(|m| *m != index);
    }
    let features = features(api, &depends, &module_of);
    for (module, features) in modules.iter_mut().zip(features) {
        module.features = features;
    }
    api.layout = Pending::Known(Layout {
        modules,
        module_of,
        default: defaults(&api.types),
    });
    Ok(())
}

/// The named types a type refers to: its fields', its alias target, the
/// full type an input type converts from, and what its resolvers return.
fn references(def: &TypeDef) -> Vec<TypeId> {
    let mut found: Vec<TypeId> = direct_refs(def).into_iter().map(|(t, _)| t).collect();
    if let TypeKind::Struct(s) = &def.kind {
        found.extend(s.input_of);
        for r in &s.resolvers {
            found.push(r.expanded);
            found.extend(r.target);
        }
    }
    found
}

/// For each module, the modules its types refer to.
fn dependencies(
    types: &[TypeDef],
    modules: &[ModelModule],
    module_of: &[usize],
) -> Vec<BTreeSet<usize>> {
    let mut depends = vec![BTreeSet::new(); modules.len()];
    for (id, def) in types.iter().enumerate() {
        depends[module_of[id]].extend(references(def).into_iter().map(|t| module_of[t.0]));
    }
    depends
}

/// For each module, the groups whose operations reach one of its types, or
/// reach a module that refers to it.
fn features(api: &Api, depends: &[BTreeSet<usize>], module_of: &[usize]) -> Vec<Features> {
    let mut needed: Vec<Vec<String>> = vec![Vec::new(); depends.len()];
    for group in &api.groups {
        let roots = group.operations.iter().flat_map(|op| {
            let params = op.params.iter().filter_map(|p| p.ty.named());
            params
                .chain(op.body.as_ref().and_then(|b| b.ty.named()))
                .chain(op.response.as_ref().and_then(|r| r.named()))
        });
        let mut stack: Vec<usize> = roots.map(|t| module_of[t.0]).collect();
        let mut seen = BTreeSet::new();
        while let Some(module) = stack.pop() {
            if seen.insert(module) {
                stack.extend(depends[module].iter().copied());
            }
        }
        for module in seen {
            needed[module].push(group.module.clone());
        }
    }
    needed
        .into_iter()
        .map(|groups| match groups.len() {
            0 => Features::FullOnly,
            n if n == api.groups.len() => Features::Always,
            _ => Features::Groups(groups),
        })
        .collect()
}

/// Which types can derive `Default`: structs whose fields are all optional
/// or have a default themselves, and aliases of types with one.
fn defaults(types: &[TypeDef]) -> Vec<bool> {
    let mut has = vec![false; types.len()];
    let mut changed = true;
    while changed {
        changed = false;
        for (i, t) in types.iter().enumerate() {
            let now = match &t.kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .all(|f| f.optional() || f.ty.has_default(&has)),
                TypeKind::Alias(ty) => ty.has_default(&has),
                TypeKind::Enum(_) | TypeKind::AnyMessage(_) | TypeKind::Union(_) => false,
            };
            if now && !has[i] {
                has[i] = true;
                changed = true;
            }
        }
    }
    has
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::passes::testing::{doc, id, lowered};

    fn ops() -> String {
        let op = |path: &str, tag: &str, ty: &str| {
            format!("{path}:\n  get:\n    tags: [{tag}]\n    operationId: x.{tag}\n    responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/{ty}'}}}}}}}}}}\n")
        };
        op("/a", "A", "c1.api.a.v1.Thing") + &op("/b", "B", "c1.api.b.v1.Other")
    }

    const SCHEMAS: &str = "c1.api.a.v1.Thing: {type: object, properties: {when: {type: string, format: date-time}, shared: {$ref: '#/components/schemas/c1.api.shared.v1.Shared'}}, required: [when]}\n\
c1.api.b.v1.Other: {type: object, properties: {shared: {$ref: '#/components/schemas/c1.api.shared.v1.Shared'}}}\n\
c1.api.shared.v1.Shared: {type: object, properties: {n: {type: integer}}, required: [n]}\n\
c1.api.unused.v1.Unused: {type: object, properties: {n: {type: integer}}}";

    #[test]
    fn modules_follow_packages_and_features_follow_operations() {
        let mut api = lowered(&doc(SCHEMAS, &ops())).unwrap();
        run(&mut api).unwrap();
        let layout = api.layout.get("layout").unwrap();
        let summary: Vec<(&str, &Features, bool)> = layout
            .modules
            .iter()
            .map(|m| (m.name.as_str(), &m.features, m.uses_others))
            .collect();
        assert_eq!(
            summary,
            [
                ("a_v1", &Features::Groups(vec!["a".into()]), true),
                ("b_v1", &Features::Groups(vec!["b".into()]), true),
                ("shared_v1", &Features::Always, false),
                ("unused_v1", &Features::FullOnly, false),
            ]
        );
        assert_eq!(
            layout.modules[layout.module_of[id(&api, "Shared").0]].name,
            "shared_v1"
        );
    }

    #[test]
    fn default_needs_every_required_field_to_have_one() {
        let mut api = lowered(&doc(SCHEMAS, &ops())).unwrap();
        run(&mut api).unwrap();
        let layout = api.layout.get("layout").unwrap();
        let default = |name: &str| layout.default[id(&api, name).0];
        assert!(!default("Thing"), "a required timestamp has no default");
        assert!(default("Other"));
        assert!(default("Shared"), "a required integer defaults to 0");
    }
}
