//! Schemas to types. Every component schema gets its [`TypeId`] and Rust
//! name before any schema is converted, so forward and recursive references
//! resolve. Inline objects and enums become named types of their own, named
//! after where they appear and put in the package of the schema that holds
//! them.
//!
//! Here: components, references and scalars; objects in `objects.rs`,
//! `allOf` in `all_of.rs`, unions in `unions.rs`; string enums are
//! [`super::protobuf::variants`].

mod all_of;
mod objects;
mod unions;

use all_of::{annotates_only, has_all_of, has_union, is_annotation, is_object_like, meaningful};
use objects::{is_free_form, is_struct};

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

/// The whole numbers an integer schema takes: its `minimum` and `maximum`,
/// and the least page size served (`x-c1-page-size.least`, the overlay's).
pub fn range(schema: Option<&Schema>) -> super::ir::Range {
    let Some(schema) = schema else {
        return super::ir::Range::default();
    };
    let (min, max) = match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(i)) => (i.minimum, i.maximum),
        _ => (None, None),
    };
    let least = schema
        .schema_data
        .extensions
        .get("x-c1-page-size")
        .and_then(|p| p.get("least"))
        .and_then(serde_json::Value::as_i64);
    super::ir::Range { min, max, least }
}
