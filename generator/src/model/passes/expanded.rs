//! Typed `expanded` lists. Protobuf APIs answer with the objects a result
//! refers to in a list of `Any`s (`expanded: [{"@type": ".../c1.api.app.v1.App",
//! ...}]`), and their views point into it with JSONPath fields
//! (`appPath: "$.expanded[8]"`). This pass makes one type for the list's
//! items, with a variant per message type a path can point to, and gives
//! each view a method per path field that returns the object.
//!
//! Which type a path points to comes from its name, as the spec has nothing
//! else to say it with (descriptions are prose, and some are swapped):
//! `appResourceTypePath` is an `AppResourceType`, `createdByUserPath` the
//! longest ending of its words that names a message (`User`); else the
//! view's message names the object by an id field with those words
//! (`entitlementPath` beside `appEntitlementId`: an `AppEntitlement`).
//! Paths with no such type (plurals such as `managersPath`, `ticketPath`)
//! resolve to the item as it is.

use std::collections::BTreeSet;

use crate::error::Result;
use crate::model::ir::{Api, MessageVariant, Resolver, Scalar, TypeDef, TypeId, TypeKind, TypeRef};
use crate::model::protobuf::EXPANDED;
use crate::names::{pascal, snake, Namespace, STRUCT_METHODS};

/// The suffix of a JSONPath field's JSON name.
const PATH_SUFFIX: &str = "Path";
/// The suffix of a field that holds another object's id.
const ID_SUFFIX: &str = "Id";

/// Adds the `expanded` item type, retypes the lists, and gives the views
/// their resolvers.
pub fn run(api: &mut Api) -> Result<()> {
    let lists = expanded_lists(&api.types);
    if lists.is_empty() {
        return Ok(());
    }
    let expanded = TypeId(api.types.len());
    let mut targets = BTreeSet::new();
    let mut resolvers = Vec::new();
    for view in views(&api.types, &lists) {
        let found = view_resolvers(&api.types, view, expanded);
        targets.extend(found.iter().filter_map(|r| r.target));
        resolvers.push((view, found));
    }
    let mut variants: Vec<MessageVariant> = targets
        .into_iter()
        .map(|ty| MessageVariant {
            name: api.types[ty.0].name.clone(),
            full_name: api.types[ty.0].schema.clone(),
            ty,
        })
        .collect();
    variants.sort_by(|a, b| a.name.cmp(&b.name));
    let name = super::names::type_names(&api.types).claim("Expanded");
    api.types.push(TypeDef {
        name,
        schema: format!("#/{EXPANDED}"),
        doc: Some(DOC.into()),
        package: EXPANDED.into(),
        kind: TypeKind::AnyMessage(variants),
    });
    for (id, index) in lists {
        if let TypeKind::Struct(s) = &mut api.types[id.0].kind {
            s.fields[index].ty = TypeRef::Vec(Box::new(TypeRef::Named(expanded)));
        }
    }
    for (view, found) in resolvers {
        if let TypeKind::Struct(s) = &mut api.types[view.0].kind {
            s.resolvers = found;
        }
    }
    Ok(())
}

const DOC: &str = "An object of a response's `expanded` list: one the response's other \
objects point to with their JSONPath fields (`app_path: \"$.expanded[8]\"`), which their \
resolver methods (`view.app(&response.expanded)`) find. Chosen by the object's `@type`; an \
object of another type, or one that does not decode as its type, is kept as it came.";

/// The `expanded` fields: `(struct, field index)` of each list of `Any`s so named.
fn expanded_lists(types: &[TypeDef]) -> Vec<(TypeId, usize)> {
    let any_list = TypeRef::Vec(Box::new(TypeRef::Scalar(Scalar::AnyMessage)));
    let mut lists = Vec::new();
    for (id, def) in types.iter().enumerate() {
        if let TypeKind::Struct(s) = &def.kind {
            let at = s
                .fields
                .iter()
                .position(|f| f.wire_name == EXPANDED && f.ty == any_list);
            lists.extend(at.map(|i| (TypeId(id), i)));
        }
    }
    lists
}

/// The types whose paths point into an `expanded` list: the structs that
/// the list's siblings hold (`list: [AppView]`, `appView: AppView`).
fn views(types: &[TypeDef], lists: &[(TypeId, usize)]) -> BTreeSet<TypeId> {
    let mut views = BTreeSet::new();
    for (holder, _) in lists {
        let TypeKind::Struct(s) = &types[holder.0].kind else {
            continue;
        };
        for f in &s.fields {
            let held = match &f.ty {
                TypeRef::Vec(item) => item.named(),
                ty => ty.named(),
            };
            if let Some(id) = held.filter(|id| !path_fields(&types[id.0]).is_empty()) {
                views.insert(id);
            }
        }
    }
    views
}

/// A struct's string fields named `*Path`: `(Rust name, JSON name)`.
fn path_fields(def: &TypeDef) -> Vec<(&str, &str)> {
    let TypeKind::Struct(s) = &def.kind else {
        return Vec::new();
    };
    s.fields
        .iter()
        .filter(|f| f.ty == TypeRef::Scalar(Scalar::String))
        .filter(|f| f.wire_name.len() > PATH_SUFFIX.len() && f.wire_name.ends_with(PATH_SUFFIX))
        .map(|f| (f.name.as_str(), f.wire_name.as_str()))
        .collect()
}

/// One resolver per path field of `view`.
fn view_resolvers(types: &[TypeDef], view: TypeId, expanded: TypeId) -> Vec<Resolver> {
    let def = &types[view.0];
    let fields = path_fields(def);
    let mut methods = Namespace::new(STRUCT_METHODS, "_target");
    fields
        .into_iter()
        .map(|(field, wire)| {
            let stem = &wire[..wire.len() - PATH_SUFFIX.len()];
            let method = methods.claim(&snake(stem));
            Resolver {
                method,
                field: field.to_string(),
                expanded,
                target: target(types, def, &words(stem)),
            }
        })
        .collect()
}

/// The lower-case words of a camelCase name.
fn words(name: &str) -> Vec<String> {
    snake(name)
        .trim_start_matches("r#")
        .trim_end_matches('_')
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The message type the path with these words points to, if the spec tells.
fn target(types: &[TypeDef], view: &TypeDef, words: &[String]) -> Option<TypeId> {
    named_by(types, view, words).or_else(|| {
        let id_words = id_field_words(types, view, words)?;
        named_by(types, view, &id_words)
    })
}

/// The message named by the longest ending of `words` (`created_by_user`:
/// `User`); among messages of one name, the one in the view's package.
fn named_by(types: &[TypeDef], view: &TypeDef, words: &[String]) -> Option<TypeId> {
    for start in 0..words.len() {
        let name = pascal(&words[start..].join("_"));
        let found: Vec<TypeId> = (0..types.len())
            .map(TypeId)
            .filter(|id| is_message_named(&types[id.0], &name))
            .collect();
        match found.as_slice() {
            [] => continue,
            [one] => return Some(*one),
            several => {
                let mut local = several
                    .iter()
                    .filter(|id| types[id.0].package == view.package);
                return match (local.next(), local.next()) {
                    (Some(id), None) => Some(*id),
                    _ => None,
                };
            }
        }
    }
    None
}

/// Whether a type is a component message whose own name is `name` (not
/// the input type made from one, which shares its schema).
fn is_message_named(def: &TypeDef, name: &str) -> bool {
    let own = def.schema.strip_prefix(&format!("{}.", def.package));
    matches!(&def.kind, TypeKind::Struct(s) if s.input_of.is_none())
        && !def.schema.starts_with('#')
        && own.unwrap_or(&def.schema) == name
}

/// The words of the id field in the view's messages that names the object
/// of a path: it ends with the path's last word and has all its words in
/// order (`parentResource`: `parentAppResourceId`); the shortest such.
fn id_field_words(types: &[TypeDef], view: &TypeDef, path: &[String]) -> Option<Vec<String>> {
    let TypeKind::Struct(s) = &view.kind else {
        return None;
    };
    let messages = s.fields.iter().filter_map(|f| f.ty.named());
    let mut candidates: Vec<Vec<String>> = Vec::new();
    for message in messages {
        let TypeKind::Struct(m) = &types[message.0].kind else {
            continue;
        };
        for f in &m.fields {
            let Some(stem) = f.wire_name.strip_suffix(ID_SUFFIX) else {
                continue;
            };
            let id_words = words(stem);
            if id_words.last() == path.last() && in_order(path, &id_words) {
                candidates.push(id_words);
            }
        }
    }
    candidates.sort_by_key(Vec::len);
    match candidates.as_slice() {
        [first, second, ..] if first.len() == second.len() && first != second => None,
        [first, ..] => Some(first.clone()),
        [] => None,
    }
}

/// Whether every word of `part` appears in `whole`, in order.
fn in_order(part: &[String], whole: &[String]) -> bool {
    let mut rest = whole.iter();
    part.iter().all(|w| rest.any(|x| x == w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::passes::testing::{doc, id, lowered};

    const ANY: &str = "{type: array, items: {type: object, properties: {'@type': {type: string}}, additionalProperties: true}}";

    fn schemas() -> String {
        format!(
            "c1.api.app.v1.App: {{type: object, properties: {{id: {{type: string, readOnly: true}}, name: {{type: string}}}}}}\n\
c1.api.app.v1.AppResource: {{type: object, properties: {{id: {{type: string}}, parentAppResourceId: {{type: string}}, appEntitlementId: {{type: string}}}}}}\n\
c1.api.app.v1.AppEntitlement: {{type: object, properties: {{id: {{type: string}}}}}}\n\
c1.api.user.v1.User: {{type: object, properties: {{id: {{type: string}}}}}}\n\
c1.api.app.v1.AppResourceView: {{type: object, properties: {{appResource: {{$ref: '#/components/schemas/c1.api.app.v1.AppResource'}}, appPath: {{type: string}}, createdByUserPath: {{type: string}}, parentResourcePath: {{type: string}}, entitlementPath: {{type: string}}, managersPath: {{type: string}}}}}}\n\
c1.api.app.v1.SearchResponse: {{type: object, properties: {{list: {{type: array, items: {{$ref: '#/components/schemas/c1.api.app.v1.AppResourceView'}}}}, expanded: {ANY}}}}}\n\
c1.api.app.v1.Status: {{type: object, properties: {{details: {ANY}}}}}"
        )
    }

    /// Operations that send and receive an `App`, which gets an input type
    /// of the same schema (never a target).
    const PATHS: &str = "/apps:\n  post:\n    operationId: x.Create\n    requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/c1.api.app.v1.App'}}}}\n    responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/c1.api.app.v1.App'}}}}}\n";

    fn run_on(schemas: &str) -> Api {
        let mut api = lowered(&doc(schemas, PATHS)).unwrap();
        crate::model::passes::inputs::run(&mut api).unwrap();
        assert!(api.types.iter().any(|t| t.name == "AppInput"));
        run(&mut api).unwrap();
        api
    }

    #[test]
    fn paths_resolve_to_the_message_their_name_or_id_field_gives() {
        let api = run_on(&schemas());
        let view = id(&api, "AppResourceView");
        let TypeKind::Struct(s) = &api.types[view.0].kind else {
            panic!("a struct")
        };
        let resolved: Vec<(&str, Option<&str>)> = s
            .resolvers
            .iter()
            .map(|r| {
                (
                    r.method.as_str(),
                    r.target.map(|t| api.types[t.0].name.as_str()),
                )
            })
            .collect();
        assert_eq!(
            resolved,
            [
                ("app", Some("App")),
                ("created_by_user", Some("User")),
                ("parent_resource", Some("AppResource")),
                ("entitlement", Some("AppEntitlement")),
                ("managers", None),
            ]
        );
    }

    #[test]
    fn expanded_lists_get_one_type_and_other_any_lists_stay_maps() {
        let api = run_on(&schemas());
        let expanded = id(&api, "Expanded");
        let TypeKind::AnyMessage(variants) = &api.types[expanded.0].kind else {
            panic!("an Any type")
        };
        let names: Vec<(&str, &str)> = variants
            .iter()
            .map(|v| (v.name.as_str(), v.full_name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("App", "c1.api.app.v1.App"),
                ("AppEntitlement", "c1.api.app.v1.AppEntitlement"),
                ("AppResource", "c1.api.app.v1.AppResource"),
                ("User", "c1.api.user.v1.User"),
            ]
        );
        let field_type = |ty: &str, field: &str| {
            let TypeKind::Struct(s) = &api.types[id(&api, ty).0].kind else {
                panic!("a struct")
            };
            s.fields
                .iter()
                .find(|f| f.wire_name == field)
                .unwrap()
                .ty
                .clone()
        };
        assert_eq!(
            field_type("SearchResponse", "expanded"),
            TypeRef::Vec(Box::new(TypeRef::Named(expanded)))
        );
        assert_eq!(
            field_type("Status", "details"),
            TypeRef::Vec(Box::new(TypeRef::Scalar(Scalar::AnyMessage)))
        );
    }

    #[test]
    fn resolvers_keep_off_the_methods_models_have() {
        let schemas = format!(
            "c1.api.app.v1.App: {{type: object, properties: {{id: {{type: string, readOnly: true}}}}}}\n\
c1.api.app.v1.View: {{type: object, properties: {{clonePath: {{type: string}}, fromChangesPath: {{type: string}}, ClonePath: {{type: string}}}}}}\n\
c1.api.app.v1.SearchResponse: {{type: object, properties: {{list: {{type: array, items: {{$ref: '#/components/schemas/c1.api.app.v1.View'}}}}, expanded: {ANY}}}}}"
        );
        let api = run_on(&schemas);
        let TypeKind::Struct(s) = &api.types[id(&api, "View").0].kind else {
            panic!("a struct")
        };
        let methods: Vec<&str> = s.resolvers.iter().map(|r| r.method.as_str()).collect();
        assert_eq!(methods, ["clone_target", "from_changes_target", "clone2"]);
    }

    #[test]
    fn an_api_without_expanded_lists_gets_nothing() {
        let api = run_on(
            "c1.api.app.v1.App: {type: object, properties: {id: {type: string, readOnly: true}}}\n\
c1.api.app.v1.AppView: {type: object, properties: {appPath: {type: string}}}",
        );
        assert!(api.types.iter().all(|t| t.name != "Expanded"));
    }
}
