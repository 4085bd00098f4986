//! Schemas to types. Every component schema gets its [`TypeId`] and Rust
//! name before any schema is converted, so forward and recursive references
//! resolve. Inline objects and enums become named types of their own, named
//! after where they appear and put in the package of the schema that holds
//! them.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, ObjectType, OpenAPI, ReferenceOr,
    Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::ir::{
    Field, Pending, Scalar, Struct, TypeDef, TypeId, TypeKind, TypeRef, Union, UnionVariant,
    Warning,
};
use super::protobuf::{self, oneofs, package_of, qualify, variants, with_oneof_note};
use super::{clean_doc, model_error};
use crate::error::{Error, Pointer, Result};
use crate::names::{component_type_name, pascal, snake, stem, Namespace, RESERVED_TYPES};

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// How deep `allOf`s may nest, and how many references may lead to
/// references, before the schema is taken to include itself.
const MAX_DEPTH: usize = 64;

/// Where a schema is used: the name a type made of it gets, and the package
/// that type goes in.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The Rust name for a type made of the schema (`ThingStoreGetResponse`).
    pub hint: String,
    /// The package of the schema that holds it.
    pub package: String,
}

impl Origin {
    /// The origin of a schema inside this one, named `hint` + `suffix`.
    pub fn inner(&self, suffix: &str) -> Origin {
        Origin {
            hint: format!("{}{}", stem(&self.hint), stem(suffix)),
            package: self.package.clone(),
        }
    }
}

/// A type whose id and name are reserved; its shape is known once its
/// schema is converted.
struct Draft {
    name: String,
    schema: String,
    doc: Option<String>,
    package: String,
    kind: Option<TypeKind>,
}

/// Converts schemas into types, collecting them.
pub struct Schemas<'a> {
    api: &'a OpenAPI,
    /// The same document as JSON, for references into any node of it.
    document: &'a serde_json::Value,
    types: Vec<Draft>,
    by_component: HashMap<&'a str, TypeId>,
    /// The named types made of inline schemas, by the schema's JSON pointer:
    /// a schema has one type however it is reached.
    by_pointer: HashMap<String, TypeId>,
    /// The types of references into a node (`#/components/schemas/X/properties/y`),
    /// and those being resolved (to catch a reference that contains itself).
    deep: HashMap<String, TypeRef>,
    resolving: HashSet<String>,
    /// The crate's type names.
    names: Namespace,
    warnings: Vec<Warning>,
}

impl<'a> Schemas<'a> {
    /// Assigns an id and a collision-free name to every component schema.
    pub fn new(api: &'a OpenAPI, document: &'a serde_json::Value) -> Self {
        let mut schemas = Schemas {
            api,
            document,
            types: Vec::new(),
            by_component: HashMap::new(),
            by_pointer: HashMap::new(),
            deep: HashMap::new(),
            resolving: HashSet::new(),
            names: Namespace::new(RESERVED_TYPES, ""),
            warnings: Vec::new(),
        };
        for (key, name) in component_names(&component_schemas(api)) {
            let id = schemas.reserve(name, key.to_string(), package_of(key));
            schemas.by_component.insert(key, id);
        }
        schemas
    }

    /// Every type, once every schema is converted; with the warnings.
    pub fn finish(self) -> Result<(Vec<TypeDef>, Vec<Warning>)> {
        let types = self.types.into_iter().map(|d| {
            let kind = d.kind.ok_or_else(|| {
                model_error(
                    &Pointer::root(),
                    format!("internal error: type `{}` was never converted", d.name),
                )
            })?;
            Ok(TypeDef {
                name: d.name,
                schema: d.schema,
                doc: d.doc,
                package: d.package,
                kind,
            })
        });
        Ok((crate::error::all(types)?, self.warnings))
    }

    fn reserve(&mut self, name: String, schema: String, package: String) -> TypeId {
        let name = self.names.claim(&name);
        self.types.push(Draft {
            name,
            schema,
            doc: None,
            package,
            kind: None,
        });
        TypeId(self.types.len() - 1)
    }

    /// Reserves the type of the inline schema at `at`.
    fn reserve_at(&mut self, origin: &Origin, at: &Pointer) -> TypeId {
        let id = self.reserve(origin.hint.clone(), at.to_string(), origin.package.clone());
        self.by_pointer.insert(at.to_string(), id);
        id
    }

    fn define(&mut self, id: TypeId, doc: Option<String>, kind: TypeKind) {
        self.types[id.0].doc = doc;
        self.types[id.0].kind = Some(kind);
    }

    /// Converts every component schema; the errors of all of them are
    /// reported together.
    pub fn define_components(&mut self) -> Result<()> {
        let components = component_schemas(self.api);
        crate::error::all(
            components
                .into_iter()
                .map(|(key, schema)| self.define_component(key, schema)),
        )
        .map(drop)
    }

    fn define_component(&mut self, key: &str, schema: &ReferenceOr<Schema>) -> Result<()> {
        let id = self.by_component[key];
        let at = Pointer::root().push("components").push("schemas").push(key);
        let origin = Origin {
            hint: self.types[id.0].name.clone(),
            package: self.types[id.0].package.clone(),
        };
        let (doc, kind) = match schema {
            ReferenceOr::Reference { reference } => (
                None,
                TypeKind::Alias(self.resolve(reference, &origin, &at)?),
            ),
            ReferenceOr::Item(s) => (schema_doc(s), self.kind_of(s, &origin, &at)?),
        };
        self.define(id, doc, kind);
        Ok(())
    }

    /// Records a warning about the node at `at`.
    pub fn warn(&mut self, at: &Pointer, message: String) {
        self.warnings.push(Warning {
            file: None,
            line: None,
            pointer: at.to_string(),
            message,
        });
    }

    /// The node of the merged document a local reference (`#/...`) names.
    pub fn node(&self, reference: &str) -> Option<&'a serde_json::Value> {
        let pointer = reference.strip_prefix('#')?;
        self.document.pointer(pointer)
    }

    /// Warns of the 3.1 keywords normalization could not express
    /// ([`crate::normalize::IGNORED_KEYWORDS`]).
    fn warn_ignored(&mut self, schema: &Schema, at: &Pointer) {
        let ignored = schema
            .schema_data
            .extensions
            .get(crate::normalize::IGNORED_KEYWORDS);
        for keyword in ignored.and_then(|v| v.as_array()).into_iter().flatten() {
            let message = match keyword.as_str() {
                Some("prefixItems") => "`prefixItems` (a tuple of different types) is ignored: the list's items are typed by `items`, else as serde_json::Value".to_string(),
                Some(other) => format!("`{other}` is ignored"),
                None => continue,
            };
            self.warnings.push(Warning {
                file: None,
                line: None,
                pointer: at.to_string(),
                message,
            });
        }
    }

    /// The kind of a schema that has a name of its own.
    fn kind_of(&mut self, schema: &Schema, origin: &Origin, at: &Pointer) -> Result<TypeKind> {
        self.warn_ignored(schema, at);
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::Object(obj)) if is_struct(obj) => TypeKind::Struct(Struct {
                fields: self.fields(schema, obj, origin, at)?,
                ..Struct::default()
            }),
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                TypeKind::Enum(variants(&s.enumeration))
            }
            SchemaKind::Any(any) if is_object_like(any) => TypeKind::Struct(Struct {
                fields: self.any_fields(any, origin, at)?,
                ..Struct::default()
            }),
            SchemaKind::OneOf { one_of: members } => {
                self.union(schema, members, "oneOf", origin, at)?
            }
            SchemaKind::AnyOf { any_of: members } => {
                self.union(schema, members, "anyOf", origin, at)?
            }
            SchemaKind::AllOf { all_of } if meaningful(all_of).len() > 1 => {
                self.all_of_kind(all_of, None, origin, at)?
            }
            SchemaKind::Any(any) if has_all_of(any) => {
                self.all_of_kind(&any.all_of, Some(any), origin, at)?
            }
            SchemaKind::Any(any) if has_union(any) => {
                let (keyword, members) = match any.one_of.is_empty() {
                    true => ("anyOf", &any.any_of),
                    false => ("oneOf", &any.one_of),
                };
                self.union(schema, members, keyword, origin, at)?
            }
            _ => TypeKind::Alias(self.inline(schema, origin, at)?),
        })
    }

    /// The fields of an object schema written without `type: object`.
    fn any_fields(&mut self, any: &AnySchema, origin: &Origin, at: &Pointer) -> Result<Vec<Field>> {
        let parts = ObjectParts::of(&any.properties, &any.required, at);
        self.parts_fields(parts, origin)
    }

    /// The struct of an `allOf` of objects (and of the properties written
    /// beside it, `own`): every member's properties, in member order (a
    /// later member's restatement of a property refines the earlier one in
    /// place), required when any member requires them. An `allOf` with a
    /// union among its members is `serde_json::Value`, with a warning.
    fn all_of_kind(
        &mut self,
        members: &[ReferenceOr<Schema>],
        own: Option<&AnySchema>,
        origin: &Origin,
        at: &Pointer,
    ) -> Result<TypeKind> {
        if self.includes_union(members, at, 0, &mut HashSet::new()) {
            let what = "an `allOf` that includes a union (each member would need the other members' fields)";
            return Ok(TypeKind::Alias(self.untyped(at, what.into())?));
        }
        let mut parts = ObjectParts::default();
        self.collect_all_of(members, at, 0, &mut parts)?;
        if let Some(own) = own {
            parts.add(self, &own.properties, &own.required, at)?;
        }
        Ok(TypeKind::Struct(Struct {
            fields: self.parts_fields(parts, origin)?,
            ..Struct::default()
        }))
    }

    /// Whether an `allOf` member (or a member of a nested `allOf`) is a union.
    /// Each schema is looked at once (`seen`): members that include each
    /// other, or one schema twice, cost no more than the schemas there are.
    fn includes_union(
        &self,
        members: &[ReferenceOr<Schema>],
        at: &Pointer,
        depth: usize,
        seen: &mut HashSet<String>,
    ) -> bool {
        depth <= MAX_DEPTH
            && members.iter().enumerate().any(|(i, member)| {
                let member_at = at.push("allOf").index(i);
                let Ok((schema, schema_at)) = self.deref(member, &member_at) else {
                    return false;
                };
                if !seen.insert(schema_at.to_string()) {
                    return false;
                }
                match &schema.schema_kind {
                    SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
                    SchemaKind::Any(any) => {
                        has_union(any)
                            || self.includes_union(&any.all_of, &schema_at, depth + 1, seen)
                    }
                    SchemaKind::AllOf { all_of } => {
                        self.includes_union(all_of, &schema_at, depth + 1, seen)
                    }
                    _ => false,
                }
            })
    }

    /// The fields of an object's properties, in order; the problems of all
    /// of them are reported together.
    fn parts_fields(&mut self, parts: ObjectParts, origin: &Origin) -> Result<Vec<Field>> {
        let mut fields: Vec<Field> = Vec::new();
        let mut errors = Vec::new();
        for (wire, prop, at) in &parts.properties {
            match self.field(prop, wire, origin, at) {
                Ok(mut field) => {
                    field.required = parts.required.contains(wire);
                    fields.push(field);
                }
                Err(e) => errors.extend(e.into_list()),
            }
        }
        if errors.is_empty() {
            Ok(fields)
        } else {
            Err(Error::from_many(errors))
        }
    }

    /// Adds the properties of each `allOf` member (following references and
    /// nested `allOf`s) to `parts`; a member that is not an object, or that
    /// gives a property a type of another kind, is an error.
    fn collect_all_of(
        &self,
        members: &[ReferenceOr<Schema>],
        at: &Pointer,
        depth: usize,
        parts: &mut ObjectParts,
    ) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(model_error(
                at,
                "`allOf` members nest too deeply (does a member include itself?)".into(),
            ));
        }
        for (i, member) in members.iter().enumerate() {
            let member_at = at.push("allOf").index(i);
            let (schema, schema_at) = self.deref(member, &member_at)?;
            // A schema included twice (not by itself) adds nothing new.
            if parts.collected.contains(schema_at.as_str()) {
                continue;
            }
            match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => {
                    self.collect_all_of(all_of, &schema_at, depth + 1, parts)?
                }
                SchemaKind::Type(Type::Object(obj)) => {
                    parts.add(self, &obj.properties, &obj.required, &schema_at)?
                }
                SchemaKind::Any(any) if is_object_like(any) => {
                    parts.add(self, &any.properties, &any.required, &schema_at)?
                }
                SchemaKind::Any(any) if is_annotation(any) => {}
                SchemaKind::Any(any) if has_all_of(any) => {
                    self.collect_all_of(&any.all_of, &schema_at, depth + 1, parts)?;
                    parts.add(self, &any.properties, &any.required, &schema_at)?
                }
                other => {
                    let message = format!(
                        "`allOf` member {i} is {}, which cannot be combined with objects into one struct",
                        kind_name(other)
                    );
                    return Err(model_error(&member_at, message));
                }
            }
            parts.collected.insert(schema_at.to_string());
        }
        Ok(())
    }

    /// A schema or the schema a reference points to (following references
    /// to references), with the pointer of where it is written.
    fn deref<S: std::borrow::Borrow<Schema>>(
        &self,
        schema: &ReferenceOr<S>,
        at: &Pointer,
    ) -> Result<(Schema, Pointer)> {
        let mut reference = match schema {
            ReferenceOr::Item(schema) => return Ok((schema.borrow().clone(), at.clone())),
            ReferenceOr::Reference { reference } => reference.clone(),
        };
        for _ in 0..MAX_DEPTH {
            let target = reference
                .strip_prefix('#')
                .and_then(|pointer| Some((self.document.pointer(pointer)?, pointer)));
            let Some((value, pointer)) = target else {
                return Err(model_error(
                    at,
                    format!("reference `{reference}` does not name a schema in the document"),
                ));
            };
            let target: ReferenceOr<Schema> =
                serde_json::from_value(value.clone()).map_err(|e| {
                    model_error(
                        at,
                        format!("reference `{reference}` does not point at a schema: {e}"),
                    )
                })?;
            match target {
                ReferenceOr::Item(schema) => return Ok((schema, Pointer::parse(pointer))),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        Err(model_error(
            at,
            "references lead to references too many times (a cycle?)".into(),
        ))
    }

    /// The enum of a `oneOf`/`anyOf`: tagged by its discriminator, else by a
    /// property every member fixes to a value of its own, else untagged.
    fn union(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        keyword: &str,
        origin: &Origin,
        at: &Pointer,
    ) -> Result<TypeKind> {
        let mut resolved = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_at = at.push(keyword).index(i);
            let (schema, schema_at) = self.deref(member, &member_at)?;
            // Reading the value as the union again would never end.
            if schema_at.to_string() == at.to_string() {
                let message = "this member is the union itself, which adds no values: left out";
                self.warn(&member_at, message.into());
                continue;
            }
            resolved.push((member, member_at, schema, schema_at));
        }
        if resolved.is_empty() {
            let message = "a union with no member but itself is typed as serde_json::Value";
            self.warn(at, message.into());
            return Ok(TypeKind::Alias(TypeRef::Scalar(Scalar::Any)));
        }
        let (tag, tags) = self.union_tags(schema, &resolved);
        let mut variants: Vec<UnionVariant> = Vec::new();
        // Named in spec order, before the untagged are sorted; the `names`
        // pass keeps them so and adds the catch-all.
        let mut names = Namespace::default();
        let mut required = Vec::new();
        for ((member, member_at, target, target_at), tags) in resolved.iter().zip(tags) {
            let base = match self.component_of(member) {
                Some(id) => self.types[id.0].name.clone(),
                None => variant_name(member, target, tags.first()),
            };
            let name = names.claim(&base);
            let ty = self.type_ref(member, &origin.inner(&name), member_at)?;
            let encoding = ty.encoding().map_err(|_| {
                model_error(
                    member_at,
                    "nested arrays or maps of protobuf-encoded values are not supported".into(),
                )
            })?;
            required.push(self.required_count(target, target_at));
            variants.push(UnionVariant {
                name,
                ty,
                encoding,
                tags,
                boxed: Pending::Unknown,
                doc: member.as_item().and_then(schema_doc),
            });
        }
        if tag.is_none() {
            // Untagged: the most specific members are tried first.
            let mut order: Vec<usize> = (0..variants.len()).collect();
            order.sort_by_key(|&i| {
                (
                    untagged_rank(&variants[i].ty),
                    std::cmp::Reverse(required[i]),
                )
            });
            let mut slots: Vec<Option<UnionVariant>> = variants.into_iter().map(Some).collect();
            variants = order.iter().filter_map(|&i| slots[i].take()).collect();
        }
        let other = tag.as_ref().map(|_| "Other".to_string());
        Ok(TypeKind::Union(Union {
            tag,
            variants,
            other,
            input_of: None,
        }))
    }

    /// The component a schema refers to, if it is a reference to one.
    fn component_of(&self, schema: &ReferenceOr<Schema>) -> Option<TypeId> {
        match schema {
            ReferenceOr::Reference { reference } => self.component_id(reference),
            ReferenceOr::Item(_) => None,
        }
    }

    /// The type of the component `#/components/schemas/<name>` names.
    fn component_id(&self, reference: &str) -> Option<TypeId> {
        let name = reference.strip_prefix(SCHEMA_PREFIX)?;
        let name = name.replace("~1", "/").replace("~0", "~");
        self.by_component.get(name.as_str()).copied()
    }

    /// How many properties a member requires (0 for one that is not an object).
    fn required_count(&self, schema: &Schema, at: &Pointer) -> usize {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(obj)) => obj.required.len(),
            SchemaKind::Any(any) => any.required.len(),
            SchemaKind::AllOf { all_of } => {
                let mut parts = ObjectParts::default();
                match self.collect_all_of(all_of, at, 0, &mut parts) {
                    Ok(()) => parts.required.len(),
                    Err(_) => 0,
                }
            }
            _ => 0,
        }
    }

    /// The union's tag property and each member's tag values: the
    /// discriminator's (its `mapping`, else the member's component name),
    /// else a property that every member fixes to one value of its own
    /// (`type: {enum: [message]}`, `type` preferred); `None` and no values
    /// when neither exists.
    fn union_tags(
        &self,
        schema: &Schema,
        members: &[(&ReferenceOr<Schema>, Pointer, Schema, Pointer)],
    ) -> (Option<String>, Vec<Vec<String>>) {
        let untagged = || (None, vec![Vec::new(); members.len()]);
        if let Some(d) = &schema.schema_data.discriminator {
            let tags: Vec<Vec<String>> = members
                .iter()
                .map(|(member, _, target, target_at)| {
                    let mut tags: Vec<String> = match member {
                        ReferenceOr::Reference { reference } => d
                            .mapping
                            .iter()
                            .filter(|(_, to)| {
                                *to == reference
                                    || reference.rsplit('/').next() == Some(to.as_str())
                            })
                            .map(|(value, _)| value.clone())
                            .collect(),
                        ReferenceOr::Item(_) => Vec::new(),
                    };
                    if tags.is_empty() {
                        tags.extend(self.fixed_value(target, target_at, &d.property_name));
                    }
                    if tags.is_empty() {
                        if let ReferenceOr::Reference { reference } = member {
                            tags.extend(reference.rsplit('/').next().map(str::to_string));
                        }
                    }
                    tags
                })
                .collect();
            if tags.iter().all(|t| !t.is_empty()) {
                return (Some(d.property_name.clone()), tags);
            }
            return untagged();
        }
        let Some((_, _, first, first_at)) = members.first() else {
            return untagged();
        };
        let mut candidates = self.object_property_names(first, first_at);
        candidates.sort_by_key(|name| name != "type");
        for name in candidates {
            let values: Option<Vec<String>> = members
                .iter()
                .map(|(_, _, target, at)| self.fixed_value(target, at, &name))
                .collect();
            let Some(values) = values else { continue };
            let distinct: HashSet<&String> = values.iter().collect();
            if distinct.len() == values.len() {
                return (Some(name), values.into_iter().map(|v| vec![v]).collect());
            }
        }
        untagged()
    }

    /// The property names of an object schema (through `allOf`).
    fn object_property_names(&self, schema: &Schema, at: &Pointer) -> Vec<String> {
        self.object_parts(schema, at)
            .map(|p| p.properties.into_iter().map(|(name, _, _)| name).collect())
            .unwrap_or_default()
    }

    /// An object schema's properties and required names (through `allOf`).
    fn object_parts(&self, schema: &Schema, at: &Pointer) -> Option<ObjectParts> {
        let mut parts = ObjectParts::default();
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(obj)) => {
                parts.add(self, &obj.properties, &obj.required, at).ok()?
            }
            SchemaKind::Any(any) if is_object_like(any) => {
                parts.add(self, &any.properties, &any.required, at).ok()?
            }
            SchemaKind::AllOf { all_of } => self.collect_all_of(all_of, at, 0, &mut parts).ok()?,
            SchemaKind::Any(any) if has_all_of(any) => {
                self.collect_all_of(&any.all_of, at, 0, &mut parts).ok()?;
                parts.add(self, &any.properties, &any.required, at).ok()?
            }
            _ => return None,
        }
        Some(parts)
    }

    /// The one string value an object schema fixes its property `name` to
    /// (`{enum: [message]}`, or `const`, which normalization made an enum).
    fn fixed_value(&self, schema: &Schema, at: &Pointer, name: &str) -> Option<String> {
        let parts = self.object_parts(schema, at)?;
        let (_, prop, prop_at) = parts.properties.iter().rev().find(|(n, _, _)| n == name)?;
        let (prop, _) = self.deref(prop, prop_at).ok()?;
        let values: Vec<&str> = match &prop.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                s.enumeration.iter().flatten().map(String::as_str).collect()
            }
            SchemaKind::Any(any) => any.enumeration.iter().filter_map(|v| v.as_str()).collect(),
            _ => return None,
        };
        match values[..] {
            [one] => Some(one.to_string()),
            _ => None,
        }
    }

    fn fields(
        &mut self,
        schema: &Schema,
        obj: &ObjectType,
        origin: &Origin,
        at: &Pointer,
    ) -> Result<Vec<Field>> {
        let oneofs = oneofs(schema.schema_data.description.as_deref().unwrap_or(""));
        let parts = ObjectParts::of(&obj.properties, &obj.required, at);
        let mut fields = self.parts_fields(parts, origin)?;
        for field in &mut fields {
            field.doc = with_oneof_note(field.doc.take(), &field.wire_name, &oneofs);
        }
        Ok(fields)
    }

    /// The field for property `wire` (not yet marked required).
    fn field(
        &mut self,
        prop: &ReferenceOr<Box<Schema>>,
        wire: &str,
        origin: &Origin,
        at: &Pointer,
    ) -> Result<Field> {
        let ty = self.type_ref(prop, &origin.inner(&pascal(wire)), at)?;
        let encoding = ty.encoding().map_err(|_| {
            model_error(
                at,
                "nested arrays or maps of protobuf-encoded values are not supported".into(),
            )
        })?;
        let data = prop.as_item().map(|s| &s.schema_data);
        // A reference to a nullable schema (`anyOf: [A, B, {type: 'null'}]`
        // as a component) may be null too.
        let nullable_target = match prop {
            ReferenceOr::Reference { reference } => reference
                .strip_prefix('#')
                .and_then(|pointer| self.document.pointer(pointer))
                .is_some_and(|target| {
                    target.get("nullable") == Some(&serde_json::Value::Bool(true))
                }),
            ReferenceOr::Item(_) => false,
        };
        Ok(Field {
            name: snake(wire),
            wire_name: wire.to_string(),
            ty,
            encoding,
            required: false,
            nullable: data.is_some_and(|d| d.nullable) || nullable_target,
            read_only: data.is_some_and(|d| d.read_only),
            boxed: Pending::Unknown,
            deprecated: data.is_some_and(|d| d.deprecated),
            doc: prop.as_item().and_then(|s| schema_doc(s)),
        })
    }

    /// Whether a value of `ty` is written as plain text in a path segment,
    /// header or cookie: a scalar that can be, a string enum, or another name
    /// for either.
    pub fn is_plain(&self, ty: &TypeRef) -> bool {
        let mut ty = ty;
        // An alias chain is at most as long as the list of types.
        for _ in 0..=self.types.len() {
            match ty {
                TypeRef::Scalar(s) => return s.info().in_path,
                TypeRef::Named(id) => match &self.types[id.0].kind {
                    Some(TypeKind::Enum(_)) => return true,
                    Some(TypeKind::Alias(inner)) => ty = inner,
                    _ => return false,
                },
                TypeRef::Vec(_) | TypeRef::Map(_) => return false,
            }
        }
        false
    }

    /// Whether `ty` is a union whose members are all text on the wire
    /// (strings of any format or pattern, string enums, such unions): an
    /// id or a name (`NameOrId`), written as its text where a parameter is.
    pub fn is_string_union(&self, ty: &TypeRef) -> bool {
        matches!(self.target(ty), Some(TypeKind::Union(_))) && self.is_text(ty, MAX_DEPTH)
    }

    /// Whether `ty` is a string, a string enum or an untagged union of them
    /// (unions nested `depth` deep at most, so one that contains itself
    /// is not text).
    fn is_text(&self, ty: &TypeRef, depth: usize) -> bool {
        match self.unaliased(ty) {
            TypeRef::Scalar(s) => matches!(s, Scalar::String | Scalar::DateTime),
            TypeRef::Named(id) => match &self.types[id.0].kind {
                Some(TypeKind::Enum(_)) => true,
                Some(TypeKind::Union(u)) => {
                    depth > 0
                        && u.tag.is_none()
                        && !u.variants.is_empty()
                        && u.variants.iter().all(|v| self.is_text(&v.ty, depth - 1))
                }
                _ => false,
            },
            TypeRef::Vec(_) | TypeRef::Map(_) => false,
        }
    }

    /// `ty` without the aliases that lead to it (itself if an alias chain
    /// does not end).
    fn unaliased<'t>(&'t self, ty: &'t TypeRef) -> &'t TypeRef {
        let mut current = ty;
        for _ in 0..=self.types.len() {
            match current {
                TypeRef::Named(id) => match &self.types[id.0].kind {
                    Some(TypeKind::Alias(inner)) => current = inner,
                    _ => return current,
                },
                _ => return current,
            }
        }
        ty
    }

    /// The kind of the named type `ty` is, through aliases; `None` for a
    /// scalar, list or map (or a type not converted yet).
    fn target(&self, ty: &TypeRef) -> Option<&TypeKind> {
        match self.unaliased(ty) {
            TypeRef::Named(id) => self.types[id.0].kind.as_ref(),
            _ => None,
        }
    }

    /// The type of a schema or reference used at `at`.
    pub fn type_ref<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        origin: &Origin,
        at: &Pointer,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve(reference, origin, at),
            ReferenceOr::Item(s) => self.inline(s.borrow(), origin, at),
        }
    }

    fn resolve(&mut self, reference: &str, origin: &Origin, at: &Pointer) -> Result<TypeRef> {
        match self.component_id(reference) {
            Some(id) => Ok(TypeRef::Named(id)),
            None if !reference.starts_with('#') => Err(model_error(at, format!("reference `{reference}` points outside the document; only local references (`#/...`) are supported"))),
            None if reference
                .strip_prefix(SCHEMA_PREFIX)
                .is_some_and(|name| !name.contains('/')) =>
            {
                Err(model_error(at, format!(
                    "reference `{reference}` does not name a schema in `components/schemas`"
                )))
            }
            None => self.resolve_inside(reference, &origin.package, at),
        }
    }

    /// A reference to a schema inside another node: a property of a schema
    /// (`#/components/schemas/X/properties/y`), a parameter's schema
    /// (`#/components/parameters/p/schema`), ... It has the type the schema
    /// has there. Types made of it go in the package of the component it is
    /// in, else in `package`, the package of the schema that refers to it.
    fn resolve_inside(&mut self, reference: &str, package: &str, at: &Pointer) -> Result<TypeRef> {
        if let Some(ty) = self.deep.get(reference) {
            return Ok(ty.clone());
        }
        let pointer = &reference[1..];
        let Some(value) = self.document.pointer(pointer) else {
            return Err(model_error(
                at,
                format!("reference `{reference}` does not name a schema in the document"),
            ));
        };
        let schema: ReferenceOr<Schema> = serde_json::from_value(value.clone()).map_err(|e| {
            model_error(
                at,
                format!("reference `{reference}` does not point at a schema: {e}"),
            )
        })?;
        if !self.resolving.insert(reference.to_string()) {
            return Err(model_error(
                at,
                format!("reference `{reference}` leads back to itself with no object in between"),
            ));
        }
        let target = Pointer::parse(pointer);
        let origin = self.origin_at(&target.tokens(), package);
        let ty = self.type_ref(&schema, &origin, &target);
        self.resolving.remove(reference);
        let ty = ty?;
        self.deep.insert(reference.to_string(), ty.clone());
        Ok(ty)
    }

    /// The origin of the schema at `tokens`, as if it were reached from its
    /// component: `XY` for a property `y` of `X`, `Item` for array items,
    /// `Value` for map values; in that component's package, else in `package`.
    fn origin_at(&self, tokens: &[String], package: &str) -> Origin {
        let (mut hint, package, rest) = match tokens {
            [c, s, key, rest @ ..] if c == "components" && s == "schemas" => {
                let name = match self.by_component.get(key.as_str()) {
                    Some(id) => self.types[id.0].name.clone(),
                    None => pascal(key),
                };
                (name, package_of(key), rest)
            }
            [c, _, name, rest @ ..] if c == "components" => {
                (pascal(name), package.to_string(), rest)
            }
            _ => (String::new(), package.to_string(), tokens),
        };
        let mut rest = rest.iter();
        while let Some(token) = rest.next() {
            match token.as_str() {
                "properties" => hint.push_str(&pascal(rest.next().map_or("", String::as_str))),
                "items" => hint.push_str("Item"),
                "additionalProperties" => hint.push_str("Value"),
                _ => {}
            }
        }
        if hint.is_empty() {
            hint = "Schema".to_string();
        }
        Origin { hint, package }
    }

    /// The type of a schema written in place.
    fn inline(&mut self, schema: &Schema, origin: &Origin, at: &Pointer) -> Result<TypeRef> {
        if let Some(id) = self.by_pointer.get(at.as_str()) {
            return Ok(TypeRef::Named(*id));
        }
        self.warn_ignored(schema, at);
        let scalar = |s: Scalar| Ok(TypeRef::Scalar(s));
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let id = self.reserve_at(origin, at);
                self.define(
                    id,
                    schema_doc(schema),
                    TypeKind::Enum(variants(&s.enumeration)),
                );
                Ok(TypeRef::Named(id))
            }
            SchemaKind::Type(Type::String(s)) => {
                scalar(protobuf::string_format(&string_format_name(&s.format)))
            }
            SchemaKind::Type(Type::Number(n)) => match n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => scalar(Scalar::F32),
                _ => scalar(Scalar::F64),
            },
            SchemaKind::Type(Type::Integer(i)) => match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => scalar(Scalar::I32),
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uint32" => scalar(Scalar::U32),
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uint64" => scalar(Scalar::U64),
                _ => scalar(Scalar::I64),
            },
            SchemaKind::Type(Type::Boolean(_)) => scalar(Scalar::Bool),
            SchemaKind::Type(Type::Array(a)) => Ok(TypeRef::Vec(Box::new(match &a.items {
                Some(items) => self.type_ref(items, &origin.inner("Item"), &at.push("items"))?,
                None => TypeRef::Scalar(Scalar::Any),
            }))),
            SchemaKind::Type(Type::Object(obj)) if is_free_form(obj) => {
                scalar(match protobuf::is_any(obj) {
                    true => Scalar::AnyMessage,
                    false => Scalar::Object,
                })
            }
            SchemaKind::Type(Type::Object(obj)) if !obj.properties.is_empty() => {
                let id = self.reserve_at(origin, at);
                let fields = self.fields(schema, obj, origin, at)?;
                let kind = TypeKind::Struct(Struct {
                    fields,
                    ..Struct::default()
                });
                self.define(id, schema_doc(schema), kind);
                Ok(TypeRef::Named(id))
            }
            SchemaKind::Type(Type::Object(obj)) => match &obj.additional_properties {
                Some(AdditionalProperties::Schema(values)) => {
                    let at = at.push("additionalProperties");
                    let values = self.type_ref(values, &origin.inner("Value"), &at)?;
                    Ok(TypeRef::Map(Box::new(values)))
                }
                _ => scalar(Scalar::Object),
            },
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                let id = self.reserve_at(origin, at);
                let kind = self.kind_of(schema, origin, at)?;
                self.define(id, schema_doc(schema), kind);
                Ok(TypeRef::Named(id))
            }
            SchemaKind::AllOf { all_of } => match meaningful(all_of)[..] {
                [] => scalar(Scalar::Any),
                [i] => self.type_ref(&all_of[i], origin, &at.push("allOf").index(i)),
                _ => {
                    let id = self.reserve_at(origin, at);
                    let kind = self.kind_of(schema, origin, at)?;
                    self.define(id, schema_doc(schema), kind);
                    Ok(TypeRef::Named(id))
                }
            },
            SchemaKind::Any(any) if is_object_like(any) || has_all_of(any) || has_union(any) => {
                let id = self.reserve_at(origin, at);
                let kind = self.kind_of(schema, origin, at)?;
                self.define(id, schema_doc(schema), kind);
                Ok(TypeRef::Named(id))
            }
            SchemaKind::Not { .. } => self.untyped(at, "`not`".into()),
            SchemaKind::Any(any) if is_annotation(any) => scalar(Scalar::Any),
            SchemaKind::Any(any) => self.any_schema(any, origin, at),
        }
    }

    /// A schema without a `type` that is not an object: typed by what it
    /// has (an enum of strings, `items`, a `format`), else `serde_json::Value`
    /// with a warning.
    fn any_schema(&mut self, any: &AnySchema, origin: &Origin, at: &Pointer) -> Result<TypeRef> {
        if let Some(items) = &any.items {
            let item = self.type_ref(items, &origin.inner("Item"), &at.push("items"))?;
            return Ok(TypeRef::Vec(Box::new(item)));
        }
        match any.typ.as_deref() {
            Some("string") => {
                return Ok(TypeRef::Scalar(protobuf::string_format(
                    any.format.as_deref().unwrap_or(""),
                )))
            }
            Some("integer") => return Ok(TypeRef::Scalar(Scalar::I64)),
            Some("number") => return Ok(TypeRef::Scalar(Scalar::F64)),
            Some("boolean") => return Ok(TypeRef::Scalar(Scalar::Bool)),
            _ => {}
        }
        let keywords = any_keywords(any);
        self.untyped(
            at,
            format!("a schema with no type and {}", keywords.join(", ")),
        )
    }

    /// `serde_json::Value` for a construct the model cannot type, with a warning.
    fn untyped(&mut self, at: &Pointer, what: String) -> Result<TypeRef> {
        self.warnings.push(Warning {
            file: None,
            line: None,
            pointer: at.to_string(),
            message: format!("{what} is typed as serde_json::Value"),
        });
        Ok(TypeRef::Scalar(Scalar::Any))
    }
}

/// A string format as the spec spells it.
fn string_format_name(format: &VariantOrUnknownOrEmpty<StringFormat>) -> String {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => "date-time".into(),
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => "date".into(),
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => "password".into(),
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => "byte".into(),
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => "binary".into(),
        VariantOrUnknownOrEmpty::Unknown(f) => f.clone(),
        VariantOrUnknownOrEmpty::Empty => String::new(),
    }
}

/// Rustdoc for a schema: its description, else its title.
pub fn schema_doc(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    let own = clean_doc(data.description.as_deref()).or_else(|| clean_doc(data.title.as_deref()));
    // An `allOf` may carry its description in a member of its own.
    let members = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of.as_slice(),
        _ => &[],
    };
    own.or_else(|| {
        members.iter().find_map(|m| match m {
            ReferenceOr::Item(s) if annotates_only(m) => {
                clean_doc(s.schema_data.description.as_deref())
            }
            _ => None,
        })
    })
}

/// Objects with properties, and empty objects without `additionalProperties`,
/// are structs; other objects are maps.
fn is_struct(obj: &ObjectType) -> bool {
    !is_free_form(obj)
        && (!obj.properties.is_empty()
            || matches!(
                obj.additional_properties,
                None | Some(AdditionalProperties::Any(false))
            ))
}

/// `additionalProperties: true` makes an object free-form, even where it
/// names some properties (protobuf `Any` values: `@type` and anything else).
fn is_free_form(obj: &ObjectType) -> bool {
    matches!(
        obj.additional_properties,
        Some(AdditionalProperties::Any(true))
    )
}

fn component_schemas(api: &OpenAPI) -> Vec<(&str, &ReferenceOr<Schema>)> {
    let mut schemas: Vec<_> = api
        .components
        .iter()
        .flat_map(|c| &c.schemas)
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    schemas.sort_by(|a, b| a.0.cmp(b.0));
    schemas
}

/// Rust names for component schemas: `x-speakeasy-name-override`, or the last
/// dotted segment of the key. Names that collide are qualified with package
/// segments ([`qualify`]), the same way for every member of the collision,
/// so the result does not depend on order.
fn component_names<'s>(schemas: &[(&'s str, &ReferenceOr<Schema>)]) -> Vec<(&'s str, String)> {
    let base = |key: &str, schema: &ReferenceOr<Schema>| {
        let name_override = schema
            .as_item()
            .and_then(|s| s.schema_data.extensions.get("x-speakeasy-name-override"))
            .and_then(|v| v.as_str());
        component_type_name(name_override, key)
    };
    let bases: Vec<String> = schemas.iter().map(|(k, s)| base(k, s)).collect();
    schemas
        .iter()
        .zip(&bases)
        .map(|((key, _), name)| {
            let rivals: Vec<&str> = schemas
                .iter()
                .zip(&bases)
                .filter(|(_, b)| *b == name)
                .map(|((k, _), _)| *k)
                .collect();
            if rivals.len() == 1 {
                return (*key, name.clone());
            }
            (*key, qualify(key, name, &rivals))
        })
        .collect()
}

/// The properties of an object schema gathered from one or more schemas,
/// each with the pointer of where it is written.
#[derive(Default)]
struct ObjectParts {
    properties: Vec<(String, ReferenceOr<Box<Schema>>, Pointer)>,
    required: Vec<String>,
    /// The `allOf` members whose properties are in already (by pointer).
    collected: HashSet<String>,
}

impl ObjectParts {
    /// The properties of one object schema at `at`.
    fn of(
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        at: &Pointer,
    ) -> Self {
        let properties = properties.iter().map(|(name, prop)| {
            let prop_at = at.push("properties").push(name);
            (name.clone(), prop.clone(), prop_at)
        });
        ObjectParts {
            properties: properties.collect(),
            required: required.to_vec(),
            collected: HashSet::new(),
        }
    }

    /// Adds an object's properties: a property already there keeps its
    /// place and takes the new schema, unless the two are of different
    /// kinds (a string and an object), which is an error.
    fn add(
        &mut self,
        schemas: &Schemas,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        at: &Pointer,
    ) -> Result<()> {
        for (name, prop) in properties {
            let prop_at = at.push("properties").push(name);
            match self.properties.iter_mut().find(|(n, _, _)| n == name) {
                Some((_, earlier, earlier_at)) => {
                    let (old, new) = (
                        schemas.kind_of_prop(earlier, earlier_at),
                        schemas.kind_of_prop(prop, &prop_at),
                    );
                    if let (Some(old), Some(new)) = (old, new) {
                        if old != new {
                            let message = format!("property `{name}` is {new} here but {old} at {earlier_at}, so the `allOf` members cannot be one struct");
                            return Err(model_error(&prop_at, message));
                        }
                    }
                    if !annotates_only(prop) {
                        *earlier = prop.clone();
                        *earlier_at = prop_at;
                    }
                }
                None => self.properties.push((name.clone(), prop.clone(), prop_at)),
            }
        }
        for name in required {
            if !self.required.contains(name) {
                self.required.push(name.clone());
            }
        }
        Ok(())
    }
}

impl Schemas<'_> {
    /// The JSON kind of a property's schema (`string`, `object`, ...), if
    /// it says one.
    fn kind_of_prop(&self, prop: &ReferenceOr<Box<Schema>>, at: &Pointer) -> Option<&'static str> {
        let (schema, _) = self.deref(prop, at).ok()?;
        match &schema.schema_kind {
            kind @ SchemaKind::Type(_) => Some(kind_name(kind)),
            _ => None,
        }
    }
}

/// A schema that only annotates (`{description: ...}`), written in place.
fn annotates_only<S: std::borrow::Borrow<Schema>>(schema: &ReferenceOr<S>) -> bool {
    match schema {
        ReferenceOr::Item(s) => {
            matches!(&s.borrow().schema_kind, SchemaKind::Any(any) if is_annotation(any))
        }
        ReferenceOr::Reference { .. } => false,
    }
}

/// The indexes of the `allOf` members that say something about the value
/// (not only `description`, `nullable`, ...).
fn meaningful(members: &[ReferenceOr<Schema>]) -> Vec<usize> {
    members
        .iter()
        .enumerate()
        .filter(|(_, m)| !annotates_only(*m))
        .map(|(i, _)| i)
        .collect()
}

/// A schema with no keyword that constrains the value.
fn is_annotation(any: &AnySchema) -> bool {
    *any == AnySchema::default()
}

/// A schema without `type: object` that has properties (or says `object`
/// in a form the model parses as untyped).
fn is_object_like(any: &AnySchema) -> bool {
    !has_union(any)
        && any.all_of.is_empty()
        && (!any.properties.is_empty()
            || any.typ.as_deref() == Some("object")
            || any.additional_properties.is_some())
}

/// A schema without a `type` keyword openapiv3 reads (`type: object`
/// beside `allOf`) that combines objects.
fn has_all_of(any: &AnySchema) -> bool {
    !any.all_of.is_empty() && !has_union(any)
}

/// A schema without a `type` keyword openapiv3 reads that is a union (not
/// only a constraint on which properties are set, see [`constrains_only`]).
fn has_union(any: &AnySchema) -> bool {
    let members = any.one_of.iter().chain(&any.any_of);
    members.clone().next().is_some() && !members.into_iter().all(constrains_only)
}

/// A union member that only says which properties are required
/// (`anyOf: [{required: [a]}, {required: [b]}]`): it constrains the object
/// it sits in, whose properties stay optional, and is otherwise ignored.
fn constrains_only(member: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = member else {
        return false;
    };
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return false;
    };
    let bare = AnySchema {
        required: Vec::new(),
        min_properties: None,
        max_properties: None,
        ..any.clone()
    };
    is_annotation(&bare)
}

/// The keywords an untyped schema has, for a warning.
fn any_keywords(any: &AnySchema) -> Vec<&'static str> {
    let mut found = Vec::new();
    let checks: [(&'static str, bool); 6] = [
        ("`oneOf`", !any.one_of.is_empty()),
        ("`anyOf`", !any.any_of.is_empty()),
        ("`allOf`", !any.all_of.is_empty()),
        ("`enum`", !any.enumeration.is_empty()),
        ("`not`", any.not.is_some()),
        ("`format`", any.format.is_some()),
    ];
    for (name, present) in checks {
        if present {
            found.push(name);
        }
    }
    if found.is_empty() {
        found.push("only constraints");
    }
    found
}

/// What a schema is, for messages.
fn kind_name(kind: &SchemaKind) -> &'static str {
    match kind {
        SchemaKind::Type(Type::String(_)) => "a string",
        SchemaKind::Type(Type::Number(_) | Type::Integer(_)) => "a number",
        SchemaKind::Type(Type::Boolean(_)) => "a boolean",
        SchemaKind::Type(Type::Array(_)) => "an array",
        SchemaKind::Type(Type::Object(_)) => "an object",
        SchemaKind::OneOf { .. } => "a `oneOf`",
        SchemaKind::AnyOf { .. } => "an `anyOf`",
        SchemaKind::AllOf { .. } => "an `allOf`",
        SchemaKind::Not { .. } => "a `not`",
        SchemaKind::Any(_) => "an untyped schema",
    }
}

/// A union member's variant name: its component's name, its title, its
/// tag value, or what it is (`String`, `List`, ...).
fn variant_name(member: &ReferenceOr<Schema>, target: &Schema, tag: Option<&String>) -> String {
    if let ReferenceOr::Reference { reference } = member {
        let last = reference.rsplit('/').next().unwrap_or(reference);
        let last = last.replace("~1", "/").replace("~0", "~");
        return component_type_name(None, &last);
    }
    if let Some(title) = target
        .schema_data
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        return pascal(title);
    }
    if let Some(tag) = tag {
        return pascal(tag);
    }
    match &target.schema_kind {
        SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => "Known".into(),
        SchemaKind::Type(Type::String(_)) => "String".into(),
        SchemaKind::Type(Type::Integer(_)) => "Integer".into(),
        SchemaKind::Type(Type::Number(_)) => "Number".into(),
        SchemaKind::Type(Type::Boolean(_)) => "Bool".into(),
        SchemaKind::Type(Type::Array(_)) => "List".into(),
        _ => "Object".into(),
    }
}

/// The order an untagged union tries a member in: types that accept less
/// first (structs, enums, numbers), then strings, then free-form objects and
/// any value.
fn untagged_rank(ty: &TypeRef) -> u8 {
    match ty {
        TypeRef::Scalar(Scalar::String) => 1,
        TypeRef::Scalar(Scalar::Object | Scalar::Any | Scalar::AnyMessage) => 2,
        TypeRef::Map(_) => 2,
        _ => 0,
    }
}
