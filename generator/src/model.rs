//! Stage 4, model: a small typed description of what will be emitted.
//!
//! Built from the merged [`openapiv3::OpenAPI`]. Every component schema gets
//! its [`TypeId`] and Rust name before any schema is converted, so forward and
//! recursive references resolve. Inline objects and enums become named types
//! of their own, named after where they appear.

use std::collections::{BTreeMap, HashMap, HashSet};

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ObjectType, OpenAPI, Parameter,
    ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, StatusCode, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use crate::error::{Error, Pointer, Result};
use crate::merge::Merged;
use crate::names::{
    component_type_name, operation_group, operation_spec_name, pascal, snake, unique,
    RESERVED_TYPES,
};

/// The whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The servers, in spec order.
    pub servers: Vec<Server>,
    /// The token URL of the first OAuth2 client-credentials security scheme.
    pub token_url: Option<String>,
    /// Every named type, indexed by [`TypeId`].
    pub types: Vec<TypeDef>,
    /// Operation groups, sorted by module name.
    pub groups: Vec<Group>,
    /// Constructs typed less precisely than the spec describes them.
    pub warnings: Vec<Warning>,
}

/// A construct the generator cannot type precisely and falls back to
/// `serde_json::Value` for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The document that holds it, once located.
    pub file: Option<String>,
    /// Its 1-based line there.
    pub line: Option<usize>,
    /// JSON pointer into the merged document.
    pub pointer: String,
    /// What was done.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: ")?,
            (Some(file), None) => write!(f, "{file}: ")?,
            _ => {}
        }
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// A server URL template.
#[derive(Debug, Clone)]
pub struct Server {
    /// The URL, with `{variable}` placeholders.
    pub url: String,
    /// What the server is.
    pub description: Option<String>,
    /// The placeholders, in spec order.
    pub variables: Vec<ServerVariable>,
}

/// A placeholder in a server URL.
#[derive(Debug, Clone)]
pub struct ServerVariable {
    /// Its name in the URL.
    pub name: String,
    /// Its default value.
    pub default: String,
    /// What it is.
    pub description: Option<String>,
}

/// Index of a type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name, unique in the crate.
    pub name: String,
    /// The schema it comes from: a component name, or a path for inline schemas.
    pub wire_name: String,
    /// Rustdoc, from `description` or `title`.
    pub doc: Option<String>,
    /// The dotted package it belongs to (`c1.api.iam.v1`): its component's
    /// name without the last segment.
    pub package: String,
    /// What it is.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum; values outside the list decode into an `Unknown` case.
    Enum(Vec<Variant>),
    /// Another name for a type.
    Alias(TypeRef),
}

/// An object type.
#[derive(Debug, Clone, Default)]
pub struct Struct {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// For a request-body variant without read-only fields: the full type it
    /// converts from.
    pub input_of: Option<TypeId>,
}

/// A property of an object.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust name.
    pub name: String,
    /// JSON name.
    pub wire_name: String,
    /// Its type (without the `Option` that optionality adds).
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    /// `readOnly`: set by the server, never sent.
    pub read_only: bool,
    /// Boxed, because the type contains itself through this field.
    pub boxed: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Rustdoc.
    pub doc: Option<String>,
}

impl Field {
    /// Whether the Rust type is `Option<T>`: the property may be absent or null.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// A value of a string enum.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Rust name.
    pub name: String,
    /// JSON value.
    pub wire_name: String,
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// An RFC 3339 timestamp.
    DateTime,
    /// A 64-bit integer carried as a JSON string (protobuf `int64`).
    I64Str,
    /// An unsigned 64-bit integer carried as a JSON string (protobuf `uint64`).
    U64Str,
    /// A protobuf duration, `"3.5s"`.
    Duration,
    /// Bytes, base64 in JSON.
    Bytes,
    /// Any JSON value.
    Any,
    /// Any JSON object.
    Object,
    /// A JSON array.
    Vec(Box<TypeRef>),
    /// A JSON object with values of one type.
    Map(Box<TypeRef>),
    /// A named type.
    Named(TypeId),
}

impl TypeRef {
    /// The named type this refers to, looking through arrays and maps.
    pub fn named(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.named(),
            _ => None,
        }
    }

    fn map_named(&self, f: &impl Fn(TypeId) -> TypeId) -> TypeRef {
        match self {
            TypeRef::Named(id) => TypeRef::Named(f(*id)),
            TypeRef::Vec(inner) => TypeRef::Vec(Box::new(inner.map_named(f))),
            TypeRef::Map(inner) => TypeRef::Map(Box::new(inner.map_named(f))),
            other => other.clone(),
        }
    }
}

/// The operations that share a group (`x-speakeasy-group`, or the first tag).
#[derive(Debug, Clone)]
pub struct Group {
    /// The group as the spec names it.
    pub tag: String,
    /// Rust module and accessor name (`personal_client`).
    pub module: String,
    /// Rust name of the handle type (`PersonalClientApi`).
    pub type_name: String,
    /// Rustdoc, from the tag's description.
    pub doc: Option<String>,
    /// Operations, sorted by name.
    pub operations: Vec<Operation>,
}

/// One API operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Rust method name.
    pub name: String,
    /// `operationId`.
    pub operation_id: Option<String>,
    /// The operation's name in the spec: `x-speakeasy-name-override`, or the
    /// last segment of `operationId` (`GetFunctionSecretEncryptionKey`).
    pub spec_name: String,
    /// HTTP method, lower case.
    pub method: String,
    /// The path template.
    pub path: String,
    /// The path split into segments.
    pub segments: Vec<Segment>,
    /// Path parameters, in template order.
    pub path_params: Vec<Param>,
    /// Query parameters, in spec order.
    pub query_params: Vec<Param>,
    /// The JSON request body.
    pub body: Option<Body>,
    /// The JSON success response, `None` for no content.
    pub response: Option<TypeRef>,
    /// Rustdoc: summary and description.
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// How to ask for the next page, for operations whose response has a
    /// `nextPageToken`.
    pub pagination: Option<Pagination>,
}

/// How a paginated operation takes the token of the page it wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// Where the token goes.
    pub token: PageToken,
    /// The Rust name of the response's `nextPageToken` field.
    pub next_field: String,
}

/// Where a paginated operation takes its page token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageToken {
    /// The query parameter at this index of [`Operation::query_params`] (`page_token`).
    Query(usize),
    /// The request body field with this Rust name (`page_token`, sent as `pageToken`).
    Body(String),
}

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Literal text.
    Literal(String),
    /// The path parameter at this index of [`Operation::path_params`].
    Param(usize),
}

/// A path or query parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Rust name.
    pub name: String,
    /// Name on the wire.
    pub wire_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Whether it must be given.
    pub required: bool,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// A JSON request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Its type.
    pub ty: TypeRef,
    /// The body is an object with no fields: the caller passes nothing and `{}` is sent.
    pub implicit_empty: bool,
}

/// Builds the model of a merged API.
pub fn build(merged: &Merged) -> Result<Api> {
    let api = &merged.api;
    let mut builder = Builder::new(api, &merged.value)?;
    // Problems in schemas, in operations and in aliases are all reported at once.
    let components = builder.define_components();
    let groups = builder.groups();
    let cycles = builder.check_alias_cycles();
    let mut groups = match (components, groups, cycles) {
        (Ok(()), Ok(groups), Ok(())) => groups,
        (components, groups, cycles) => {
            let errors = [components.err(), groups.err(), cycles.err()];
            return Err(Error::from_many(
                errors
                    .into_iter()
                    .flatten()
                    .flat_map(Error::into_list)
                    .collect(),
            ));
        }
    };
    builder.derive_inputs(&mut groups);
    builder.mark_boxes();
    let warnings = std::mem::take(&mut builder.warnings);
    let types = builder.finish();
    for op in groups.iter_mut().flat_map(|g| g.operations.iter_mut()) {
        if let Some(body) = &mut op.body {
            body.implicit_empty = matches!(
                body.ty.named().map(|id| &types[id.0].kind),
                Some(TypeKind::Struct(s)) if s.fields.is_empty() && matches!(body.ty, TypeRef::Named(_))
            );
        }
        op.pagination = pagination(op, &types);
    }
    Ok(Api {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: clean_doc(api.info.description.as_deref()),
        servers: servers(api),
        token_url: token_url(api),
        types,
        groups,
        warnings,
    })
}

/// How `op` pages: its response has a `nextPageToken` string, and it takes
/// a `page_token` query parameter or a body with a `pageToken` field.
fn pagination(op: &Operation, types: &[TypeDef]) -> Option<Pagination> {
    let string_field = |ty: &TypeRef, wire: &str| -> Option<String> {
        let TypeRef::Named(id) = ty else { return None };
        let TypeKind::Struct(s) = &types[id.0].kind else {
            return None;
        };
        s.fields
            .iter()
            .find(|f| f.wire_name == wire && f.ty == TypeRef::String && f.optional())
            .map(|f| f.name.clone())
    };
    let next_field = string_field(op.response.as_ref()?, "nextPageToken")?;
    let query = op
        .query_params
        .iter()
        .position(|p| p.wire_name == "page_token" && p.ty == TypeRef::String && !p.required);
    let token = match (query, &op.body) {
        (Some(i), _) => PageToken::Query(i),
        (None, Some(body)) if !body.implicit_empty => {
            PageToken::Body(string_field(&body.ty, "pageToken")?)
        }
        _ => return None,
    };
    Some(Pagination { token, next_field })
}

fn servers(api: &OpenAPI) -> Vec<Server> {
    api.servers
        .iter()
        .map(|s| Server {
            url: s.url.clone(),
            description: clean_doc(s.description.as_deref()),
            variables: s
                .variables
                .iter()
                .flatten()
                .map(|(name, v)| ServerVariable {
                    name: name.clone(),
                    default: v.default.clone(),
                    description: clean_doc(v.description.as_deref()),
                })
                .collect(),
        })
        .collect()
}

fn token_url(api: &OpenAPI) -> Option<String> {
    let schemes = &api.components.as_ref()?.security_schemes;
    let mut names: Vec<&String> = schemes.keys().collect();
    names.sort();
    names
        .into_iter()
        .find_map(|name| match schemes.get(name)?.as_item()? {
            openapiv3::SecurityScheme::OAuth2 { flows, .. } => {
                Some(flows.client_credentials.as_ref()?.token_url.clone())
            }
            _ => None,
        })
}

/// Trims a description; empty text is no doc.
fn clean_doc(text: Option<&str>) -> Option<String> {
    let text = text?.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn schema_doc(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    clean_doc(data.description.as_deref()).or_else(|| clean_doc(data.title.as_deref()))
}

struct Builder<'a> {
    api: &'a OpenAPI,
    /// The same document as JSON, for references into any node of it.
    document: &'a serde_json::Value,
    types: Vec<TypeDef>,
    by_component: HashMap<&'a str, TypeId>,
    /// The named types made of inline schemas, by the schema's JSON pointer:
    /// a schema has one type however it is reached.
    by_pointer: HashMap<String, TypeId>,
    /// The types of references into a node (`#/components/schemas/X/properties/y`),
    /// and those being resolved (to catch a reference that contains itself).
    deep: HashMap<String, TypeRef>,
    resolving: HashSet<String>,
    names: HashSet<String>,
    /// The package of the schema being converted, for the inline types it holds.
    package: String,
    warnings: Vec<Warning>,
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

impl<'a> Builder<'a> {
    /// Assigns an id and a collision-free name to every component schema.
    fn new(api: &'a OpenAPI, document: &'a serde_json::Value) -> Result<Self> {
        let mut builder = Builder {
            api,
            document,
            types: Vec::new(),
            by_component: HashMap::new(),
            by_pointer: HashMap::new(),
            deep: HashMap::new(),
            resolving: HashSet::new(),
            names: RESERVED_TYPES.iter().map(|s| s.to_string()).collect(),
            package: String::new(),
            warnings: Vec::new(),
        };
        let schemas = component_schemas(api);
        for (key, name) in component_names(&schemas) {
            let package = package_of(key);
            let id = builder.reserve(name, key.to_string(), package);
            builder.by_component.insert(key, id);
        }
        Ok(builder)
    }

    fn reserve(&mut self, name: String, wire_name: String, package: String) -> TypeId {
        let name = unique(name, |n| self.names.contains(n));
        self.names.insert(name.clone());
        self.types.push(TypeDef {
            name,
            wire_name,
            doc: None,
            package,
            kind: TypeKind::Alias(TypeRef::Any),
        });
        TypeId(self.types.len() - 1)
    }

    /// Reserves the type of the inline schema at `at`.
    fn reserve_at(&mut self, hint: &str, at: &Pointer) -> TypeId {
        let id = self.reserve(hint.to_string(), at.to_string(), self.package.clone());
        self.by_pointer.insert(at.to_string(), id);
        id
    }

    fn finish(self) -> Vec<TypeDef> {
        self.types
    }

    /// Converts every component schema; the errors of all of them are
    /// reported together.
    fn define_components(&mut self) -> Result<()> {
        let mut errors = Vec::new();
        for (key, schema) in component_schemas(self.api) {
            if let Err(e) = self.define_component(key, schema) {
                errors.extend(e.into_list());
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::from_many(errors))
        }
    }

    fn define_component(&mut self, key: &str, schema: &ReferenceOr<Schema>) -> Result<()> {
        let id = self.by_component[key];
        let at = Pointer::root().push("components").push("schemas").push(key);
        let name = self.types[id.0].name.clone();
        self.package = self.types[id.0].package.clone();
        let (doc, kind) = match schema {
            ReferenceOr::Reference { reference } => {
                (None, TypeKind::Alias(self.resolve(reference, &at)?))
            }
            ReferenceOr::Item(s) => (schema_doc(s), self.kind_of(s, &name, &at)?),
        };
        self.types[id.0].doc = doc;
        self.types[id.0].kind = kind;
        Ok(())
    }

    /// The kind of a schema that has a name of its own.
    fn kind_of(&mut self, schema: &Schema, name: &str, at: &Pointer) -> Result<TypeKind> {
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::Object(obj)) if is_struct(obj) => TypeKind::Struct(Struct {
                fields: self.fields(schema, obj, name, at)?,
                input_of: None,
            }),
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                TypeKind::Enum(variants(&s.enumeration))
            }
            _ => TypeKind::Alias(self.inline(schema, name, at)?),
        })
    }

    fn fields(
        &mut self,
        schema: &Schema,
        obj: &ObjectType,
        parent: &str,
        at: &Pointer,
    ) -> Result<Vec<Field>> {
        let oneofs = oneofs(schema.schema_data.description.as_deref().unwrap_or(""));
        let mut fields: Vec<Field> = Vec::new();
        let mut errors = Vec::new();
        for (wire, prop) in &obj.properties {
            let at = at.push("properties").push(wire);
            let hint = format!("{parent}{}", pascal(wire));
            let ty = match self.type_ref(prop, &hint, &at) {
                Ok(ty) => ty,
                Err(e) => {
                    errors.extend(e.into_list());
                    continue;
                }
            };
            let data = match prop {
                ReferenceOr::Item(s) => Some(s),
                ReferenceOr::Reference { .. } => None,
            };
            let name = unique(snake(wire), |n| fields.iter().any(|f| f.name == n));
            fields.push(Field {
                name,
                wire_name: wire.clone(),
                ty,
                required: obj.required.contains(wire),
                nullable: data.is_some_and(|s| s.schema_data.nullable),
                read_only: data.is_some_and(|s| s.schema_data.read_only),
                boxed: false,
                deprecated: data.is_some_and(|s| s.schema_data.deprecated),
                doc: with_oneof_note(data.and_then(|s| schema_doc(s)), wire, &oneofs),
            });
        }
        if errors.is_empty() {
            Ok(fields)
        } else {
            Err(Error::from_many(errors))
        }
    }

    fn type_ref<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        at: &Pointer,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve(reference, at),
            ReferenceOr::Item(s) => self.inline(s.borrow(), hint, at),
        }
    }

    fn resolve(&mut self, reference: &str, at: &Pointer) -> Result<TypeRef> {
        let id = reference
            .strip_prefix(SCHEMA_PREFIX)
            .map(|name| name.replace("~1", "/").replace("~0", "~"))
            .and_then(|name| self.by_component.get(name.as_str()).copied());
        match id {
            Some(id) => Ok(TypeRef::Named(id)),
            None if !reference.starts_with('#') => Err(Error::Model {
                file: None,
                line: None,
                pointer: at.to_string(),
                message: format!("reference `{reference}` points outside the document; only local references (`#/...`) are supported"),
            }),
            None if reference
                .strip_prefix(SCHEMA_PREFIX)
                .is_some_and(|name| !name.contains('/')) =>
            {
                Err(Error::Model {
                    file: None,
                    line: None,
                    pointer: at.to_string(),
                    message: format!(
                        "reference `{reference}` does not name a schema in `components/schemas`"
                    ),
                })
            }
            None => self.resolve_inside(reference, at),
        }
    }

    /// A reference to a schema inside another node: a property of a schema
    /// (`#/components/schemas/X/properties/y`), a parameter's schema
    /// (`#/components/parameters/p/schema`), ... It has the type the schema
    /// has there.
    fn resolve_inside(&mut self, reference: &str, at: &Pointer) -> Result<TypeRef> {
        if let Some(ty) = self.deep.get(reference) {
            return Ok(ty.clone());
        }
        let error = |message: String| Error::Model {
            file: None,
            line: None,
            pointer: at.to_string(),
            message,
        };
        let pointer = &reference[1..];
        let Some(value) = self.document.pointer(pointer) else {
            return Err(error(format!(
                "reference `{reference}` does not name a schema in the document"
            )));
        };
        let schema: ReferenceOr<Schema> = serde_json::from_value(value.clone()).map_err(|e| {
            error(format!(
                "reference `{reference}` does not point at a schema: {e}"
            ))
        })?;
        if !self.resolving.insert(reference.to_string()) {
            return Err(error(format!(
                "reference `{reference}` leads back to itself with no object in between"
            )));
        }
        let target = Pointer::parse(pointer);
        let tokens = target.tokens();
        let hint = self.hint_at(&tokens);
        let package = self.package_at(&tokens);
        let outer = std::mem::replace(&mut self.package, package);
        let ty = self.type_ref(&schema, &hint, &target);
        self.package = outer;
        self.resolving.remove(reference);
        let ty = ty?;
        self.deep.insert(reference.to_string(), ty.clone());
        Ok(ty)
    }

    /// The name a type made of the schema at `tokens` gets, as if it were
    /// reached from its component: `XY` for a property `y` of `X`, `Item` for
    /// array items, `Value` for map values.
    fn hint_at(&self, tokens: &[String]) -> String {
        let (mut hint, rest) = match tokens {
            [c, s, key, rest @ ..] if c == "components" && s == "schemas" => {
                match self.by_component.get(key.as_str()) {
                    Some(id) => (self.types[id.0].name.clone(), rest),
                    None => (pascal(key), rest),
                }
            }
            [c, _, name, rest @ ..] if c == "components" => (pascal(name), rest),
            _ => (String::new(), tokens),
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
            "Schema".to_string()
        } else {
            hint
        }
    }

    /// The package of the component schema `tokens` lead into, if any.
    fn package_at(&self, tokens: &[String]) -> String {
        match tokens {
            [c, s, key, ..] if c == "components" && s == "schemas" => package_of(key),
            _ => self.package.clone(),
        }
    }

    /// The type of a schema written in place.
    fn inline(&mut self, schema: &Schema, hint: &str, at: &Pointer) -> Result<TypeRef> {
        if let Some(id) = self.by_pointer.get(at.as_str()) {
            return Ok(TypeRef::Named(*id));
        }
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let id = self.reserve_at(hint, at);
                self.types[id.0].doc = schema_doc(schema);
                self.types[id.0].kind = TypeKind::Enum(variants(&s.enumeration));
                TypeRef::Named(id)
            }
            SchemaKind::Type(Type::String(s)) => match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => TypeRef::Bytes,
                VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
                    "int64" => TypeRef::I64Str,
                    "uint64" => TypeRef::U64Str,
                    "duration" => TypeRef::Duration,
                    "base64" | "byte" => TypeRef::Bytes,
                    _ => TypeRef::String,
                },
                _ => TypeRef::String,
            },
            SchemaKind::Type(Type::Number(n)) => match n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Integer(i)) => match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uint32" => TypeRef::U32,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uint64" => TypeRef::U64,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => TypeRef::Vec(Box::new(self.type_ref(
                    items,
                    &format!("{hint}Item"),
                    &at.push("items"),
                )?)),
                None => TypeRef::Vec(Box::new(TypeRef::Any)),
            },
            SchemaKind::Type(Type::Object(obj)) if is_free_form(obj) => TypeRef::Object,
            SchemaKind::Type(Type::Object(obj)) if !obj.properties.is_empty() => {
                let id = self.reserve_at(hint, at);
                let fields = self.fields(schema, obj, hint, at)?;
                self.types[id.0].doc = schema_doc(schema);
                self.types[id.0].kind = TypeKind::Struct(Struct {
                    fields,
                    input_of: None,
                });
                TypeRef::Named(id)
            }
            SchemaKind::Type(Type::Object(obj)) => match &obj.additional_properties {
                Some(AdditionalProperties::Schema(values)) => {
                    TypeRef::Map(Box::new(self.type_ref(
                        values,
                        &format!("{hint}Value"),
                        &at.push("additionalProperties"),
                    )?))
                }
                _ => TypeRef::Object,
            },
            SchemaKind::OneOf {
                one_of: alternatives,
            }
            | SchemaKind::AnyOf {
                any_of: alternatives,
            } => {
                let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                self.warn(
                    at,
                    format!(
                        "a union (`{keyword}` of {} schemas) is typed as serde_json::Value",
                        alternatives.len()
                    ),
                );
                TypeRef::Any
            }
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                self.warn(
                    at,
                    format!(
                        "`allOf` of {} schemas is typed as serde_json::Value",
                        all_of.len()
                    ),
                );
                TypeRef::Any
            }
            SchemaKind::Not { .. } => {
                self.warn(at, "`not` is typed as serde_json::Value".into());
                TypeRef::Any
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.type_ref(&all_of[0], hint, &at.push("allOf").index(0))?
            }
            _ => TypeRef::Any,
        })
    }

    fn warn(&mut self, at: &Pointer, message: String) {
        self.warnings.push(Warning {
            file: None,
            line: None,
            pointer: at.to_string(),
            message,
        });
    }

    fn groups(&mut self) -> Result<Vec<Group>> {
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        let mut errors = Vec::new();
        let mut paths: Vec<_> = self.api.paths.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        for (path, item) in paths {
            let ReferenceOr::Item(item) = item else {
                errors.push(Error::Model {
                    file: None,
                    line: None,
                    pointer: Pointer::root().push("paths").push(path).to_string(),
                    message: "path item references are not supported".into(),
                });
                continue;
            };
            for (method, op) in item.iter() {
                let at = Pointer::root().push("paths").push(path).push(method);
                let tag = group_of(op);
                let module = snake(&tag);
                let group = groups.entry(module.clone()).or_insert_with(|| Group {
                    doc: tag_doc(self.api, &tag),
                    type_name: format!("{}Api", pascal(&tag)),
                    module,
                    tag: tag.clone(),
                    operations: Vec::new(),
                });
                let operation =
                    match self.operation(path, method, op, &item.parameters, &group.type_name, &at)
                    {
                        Ok(operation) => operation,
                        Err(e) => {
                            errors.extend(e.into_list());
                            continue;
                        }
                    };
                if let Some(other) = group.operations.iter().find(|o| o.name == operation.name) {
                    errors.push(Error::Model {
                        file: None,
                        line: None,
                        pointer: at.to_string(),
                        message: format!(
                            "two operations in group `{tag}` are both named `{}` ({} {} and {} {})",
                            operation.name, other.method, other.path, method, path
                        ),
                    });
                    continue;
                }
                group.operations.push(operation);
            }
        }
        if !errors.is_empty() {
            return Err(Error::from_many(errors));
        }
        let mut groups: Vec<Group> = groups.into_values().collect();
        for group in &mut groups {
            group.operations.sort_by(|a, b| a.name.cmp(&b.name));
        }
        Ok(groups)
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        op: &openapiv3::Operation,
        shared: &[ReferenceOr<Parameter>],
        group_type: &str,
        at: &Pointer,
    ) -> Result<Operation> {
        let name = operation_name(op, method, path);
        let hint = format!("{}{}", group_type.trim_end_matches("Api"), pascal(&name));
        let mut path_params = Vec::new();
        let mut query_params = Vec::new();
        let shared_at = Pointer::root().push("paths").push(path).push("parameters");
        let own_at = at.push("parameters");
        // An operation's own parameter overrides the path's of the same name and location.
        let key = |p: &ReferenceOr<Parameter>| {
            let p = self.parameter(p, at).ok()?;
            Some((p.parameter_data_ref().name.clone(), location(&p)))
        };
        let own_keys: Vec<_> = op.parameters.iter().filter_map(key).collect();
        let shared = shared
            .iter()
            .enumerate()
            .map(|(i, p)| (p, shared_at.index(i)))
            .filter(|(p, _)| key(p).is_none_or(|k| !own_keys.contains(&k)))
            .collect::<Vec<_>>();
        let own = op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, own_at.index(i)));
        for (param, param_at) in shared.into_iter().chain(own) {
            let param = self.parameter(param, &param_at)?;
            match param {
                Parameter::Path { parameter_data, .. } => {
                    path_params.push(self.param(&parameter_data, true, &hint, &param_at)?)
                }
                Parameter::Query { parameter_data, .. } => query_params.push(self.param(
                    &parameter_data,
                    parameter_data.required,
                    &hint,
                    &param_at,
                )?),
                // Header and cookie parameters are not modelled yet.
                Parameter::Header { .. } | Parameter::Cookie { .. } => {}
            }
        }
        let segments = segments(path, &mut path_params, at)?;
        let spec_name = spec_name(op, method, path);
        Ok(Operation {
            spec_name,
            name,
            operation_id: op.operation_id.clone(),
            method: method.to_string(),
            path: path.to_string(),
            segments,
            path_params,
            query_params,
            body: self.body(op, &hint, at)?,
            response: self.response(op, &hint, at)?,
            doc: operation_doc(op),
            deprecated: op.deprecated,
            pagination: None,
        })
    }

    fn parameter(&self, param: &'a ReferenceOr<Parameter>, at: &Pointer) -> Result<Parameter> {
        match param {
            ReferenceOr::Item(p) => Ok(p.clone()),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/parameters/")
                .and_then(|name| self.api.components.as_ref()?.parameters.get(name))
                .and_then(|p| p.as_item())
                .cloned()
                .ok_or_else(|| Error::Model {
                    file: None,
                    line: None,
                    pointer: at.to_string(),
                    message: format!("reference `{reference}` does not name a parameter in `components/parameters`"),
                }),
        }
    }

    fn param(
        &mut self,
        data: &openapiv3::ParameterData,
        required: bool,
        hint: &str,
        at: &Pointer,
    ) -> Result<Param> {
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(s) => self.type_ref(
                s,
                &format!("{hint}{}", pascal(&data.name)),
                &at.push("schema"),
            )?,
            ParameterSchemaOrContent::Content(_) => TypeRef::String,
        };
        let doc = clean_doc(data.description.as_deref()).or_else(|| match &data.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => schema_doc(s),
            _ => None,
        });
        Ok(Param {
            name: snake(&data.name),
            wire_name: data.name.clone(),
            ty,
            required,
            doc,
        })
    }

    fn body(
        &mut self,
        op: &openapiv3::Operation,
        hint: &str,
        at: &Pointer,
    ) -> Result<Option<Body>> {
        let Some(body) = &op.request_body else {
            return Ok(None);
        };
        let at = at.push("requestBody");
        let body = match body {
            ReferenceOr::Item(b) => b,
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/requestBodies/")
                .and_then(|name| self.api.components.as_ref()?.request_bodies.get(name)?.as_item())
                .ok_or_else(|| Error::Model {
                    file: None,
                    line: None,
                    pointer: at.to_string(),
                    message: format!("reference `{reference}` does not name a request body in `components/requestBodies`"),
                })?,
        };
        let Some(media) = body.content.get("application/json") else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            return Err(Error::Model {
                file: None,
                line: None,
                pointer: at.push("content").to_string(),
                message: format!(
                    "only application/json request bodies are supported, found: {}",
                    types.join(", ")
                ),
            });
        };
        let ty = match &media.schema {
            Some(s) => self.type_ref(
                s,
                &format!("{hint}Request"),
                &at.push("content").push("application/json").push("schema"),
            )?,
            None => TypeRef::Any,
        };
        Ok(Some(Body {
            ty,
            implicit_empty: false,
        }))
    }

    fn response(
        &mut self,
        op: &openapiv3::Operation,
        hint: &str,
        at: &Pointer,
    ) -> Result<Option<TypeRef>> {
        let success = op.responses.responses.iter().find(|(code, _)| match code {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        });
        let Some((code, response)) = success else {
            return Ok(None);
        };
        let at = at.push("responses").push(&code.to_string());
        let ReferenceOr::Item(response) = response else {
            return Err(Error::Model {
                file: None,
                line: None,
                pointer: at.to_string(),
                message: "response references are not supported".into(),
            });
        };
        match response
            .content
            .get("application/json")
            .and_then(|m| m.schema.as_ref())
        {
            Some(schema) => {
                let at = at.push("content").push("application/json").push("schema");
                Ok(Some(self.type_ref(
                    schema,
                    &format!("{hint}Response"),
                    &at,
                )?))
            }
            None => Ok(None),
        }
    }

    /// Direct references between named types: `(from, to, through a field that is not read-only)`.
    fn direct_refs(&self, id: TypeId) -> Vec<(TypeId, bool)> {
        match &self.types[id.0].kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter_map(|f| f.ty.named().map(|t| (t, !f.read_only)))
                .collect(),
            TypeKind::Alias(ty) => ty.named().map(|t| (t, true)).into_iter().collect(),
            TypeKind::Enum(_) => Vec::new(),
        }
    }

    /// Marks every type reachable from `roots` (through writable fields only, if `writable`).
    fn reach(&self, roots: impl IntoIterator<Item = TypeId>, writable: bool) -> Vec<bool> {
        let mut seen = vec![false; self.types.len()];
        let mut stack: Vec<TypeId> = roots.into_iter().collect();
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id.0], true) {
                continue;
            }
            stack.extend(
                self.direct_refs(id)
                    .into_iter()
                    .filter(|(_, w)| *w || !writable)
                    .map(|(t, _)| t),
            );
        }
        seen
    }

    /// Types that differ when sent: they hold read-only fields, directly or below.
    fn needs_input(&self) -> Vec<bool> {
        let mut needs: Vec<bool> = self
            .types
            .iter()
            .map(|t| matches!(&t.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.read_only)))
            .collect();
        let mut changed = true;
        while changed {
            changed = false;
            for id in 0..self.types.len() {
                if !needs[id]
                    && self
                        .direct_refs(TypeId(id))
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

    /// Gives request bodies types without read-only fields.
    ///
    /// A type that holds read-only fields (directly or below) and is sent in a
    /// request gets an input variant. Where the full type is also received or
    /// used elsewhere, the variant is a new type `NameInput` with a `From`
    /// conversion from the full one; where the type is only ever sent, it is
    /// itself rewritten without its read-only fields.
    fn derive_inputs(&mut self, groups: &mut [Group]) {
        let bodies = || {
            groups
                .iter()
                .flat_map(|g| &g.operations)
                .filter_map(|o| o.body.as_ref()?.ty.named())
        };
        let sent = self.reach(bodies().collect::<Vec<_>>(), true);
        let received_roots = groups
            .iter()
            .flat_map(|g| &g.operations)
            .filter_map(|o| o.response.as_ref()?.named());
        let unsent = (0..self.types.len()).filter(|i| !sent[*i]).map(TypeId);
        let full = self.reach(received_roots.chain(unsent).collect::<Vec<_>>(), false);
        let needs = self.needs_input();

        let mut input = (0..self.types.len()).map(TypeId).collect::<Vec<_>>();
        let originals = self.types.len();
        for id in 0..originals {
            if needs[id] && sent[id] && full[id] {
                let def = &self.types[id];
                let (name, wire) = (format!("{}Input", def.name), def.wire_name.clone());
                let doc = def.doc.clone();
                let package = def.package.clone();
                let new = self.reserve(name, wire, package);
                self.types[new.0].doc = doc;
                self.types[new.0].kind = self.types[id].kind.clone();
                if let TypeKind::Struct(s) = &mut self.types[new.0].kind {
                    s.input_of = Some(TypeId(id));
                }
                input[id] = new;
            }
        }
        let map = |t: TypeId| {
            if t.0 < originals && needs[t.0] {
                input[t.0]
            } else {
                t
            }
        };
        for id in 0..originals {
            if !(needs[id] && sent[id]) {
                continue;
            }
            let target = input[id].0;
            match &mut self.types[target].kind {
                TypeKind::Struct(s) => {
                    s.fields.retain(|f| !f.read_only);
                    for f in &mut s.fields {
                        f.ty = f.ty.map_named(&map);
                    }
                }
                TypeKind::Alias(ty) => *ty = ty.map_named(&map),
                TypeKind::Enum(_) => {}
            }
        }
        for body in groups
            .iter_mut()
            .flat_map(|g| &mut g.operations)
            .filter_map(|o| o.body.as_mut())
        {
            body.ty = body.ty.map_named(&map);
        }
    }

    /// A type that contains itself through plain (not array or map) fields
    /// would have infinite size: box those fields.
    fn mark_boxes(&mut self) {
        let direct = |types: &[TypeDef], id: usize| -> Vec<usize> {
            match &types[id].kind {
                TypeKind::Struct(s) => s.fields.iter().filter_map(|f| plain_named(&f.ty)).collect(),
                TypeKind::Alias(ty) => plain_named(ty).into_iter().collect(),
                TypeKind::Enum(_) => Vec::new(),
            }
        };
        for id in 0..self.types.len() {
            let TypeKind::Struct(s) = &self.types[id].kind else {
                continue;
            };
            let boxed: Vec<bool> = s
                .fields
                .iter()
                .map(|f| plain_named(&f.ty).is_some_and(|t| reaches(&self.types, t, id, direct)))
                .collect();
            if let TypeKind::Struct(s) = &mut self.types[id].kind {
                for (f, b) in s.fields.iter_mut().zip(boxed) {
                    f.boxed = b;
                }
            }
        }
    }

    /// Rejects aliases that lead back to themselves with no object in between.
    fn check_alias_cycles(&self) -> Result<()> {
        let mut errors = Vec::new();
        for start in 0..self.types.len() {
            let mut chain = vec![start];
            let mut current = start;
            while let TypeKind::Alias(TypeRef::Named(next)) = &self.types[current].kind {
                // Each cycle is reported once, from its first type.
                if next.0 == start && chain.iter().all(|i| *i >= start) {
                    let names: Vec<&str> = chain
                        .iter()
                        .chain([&start])
                        .map(|i| self.types[*i].wire_name.as_str())
                        .collect();
                    let pointer = Pointer::root()
                        .push("components")
                        .push("schemas")
                        .push(&self.types[start].wire_name);
                    errors.push(Error::Model {
                        file: None,
                        line: None,
                        pointer: pointer.to_string(),
                        message: format!(
                            "reference cycle with no object in between: {}",
                            names.join(" -> ")
                        ),
                    });
                }
                if chain.contains(&next.0) {
                    break;
                }
                chain.push(next.0);
                current = next.0;
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::from_many(errors))
        }
    }
}

/// Where a parameter goes (`path`, `query`, `header`, `cookie`).
fn location(param: &Parameter) -> &'static str {
    match param {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn plain_named(ty: &TypeRef) -> Option<usize> {
    match ty {
        TypeRef::Named(id) => Some(id.0),
        _ => None,
    }
}

/// Whether `target` is reachable from `from` along `edges`.
fn reaches(
    types: &[TypeDef],
    from: usize,
    target: usize,
    edges: impl Fn(&[TypeDef], usize) -> Vec<usize>,
) -> bool {
    let mut seen = vec![false; types.len()];
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if id == target {
            return true;
        }
        if !std::mem::replace(&mut seen[id], true) {
            stack.extend(edges(types, id));
        }
    }
    false
}

/// A protobuf `oneof` as the C1 spec describes it in a message's description:
/// "This message contains a oneof named X. Only a single field of the
/// following list may be set at a time:" and a list of `  - field` lines.
#[derive(Debug, PartialEq)]
struct OneOf {
    name: String,
    fields: Vec<String>,
}

fn oneofs(description: &str) -> Vec<OneOf> {
    const INTRO: &str = "This message contains a oneof named ";
    let mut found = Vec::new();
    let mut rest = description;
    while let Some(start) = rest.find(INTRO) {
        rest = &rest[start + INTRO.len()..];
        let Some((name, after)) = rest.split_once(". ") else {
            break;
        };
        let fields: Vec<String> = after
            .lines()
            .skip(1)
            .map(str::trim)
            .take_while(|l| l.starts_with("- "))
            .map(|l| l.trim_start_matches("- ").trim().to_string())
            .collect();
        found.push(OneOf {
            name: name.to_string(),
            fields,
        });
    }
    found
}

/// Adds to a field's doc the oneof constraint it is part of.
fn with_oneof_note(doc: Option<String>, field: &str, oneofs: &[OneOf]) -> Option<String> {
    let Some(oneof) = oneofs.iter().find(|o| o.fields.iter().any(|f| f == field)) else {
        return doc;
    };
    let others: Vec<String> = oneof
        .fields
        .iter()
        .filter(|f| *f != field)
        .map(|f| format!("`{f}`"))
        .collect();
    let note = format!(
        "Part of the oneof `{}`: set at most one of this and {}.",
        oneof.name,
        others.join(", ")
    );
    Some(match doc {
        Some(text) => format!("{text}\n\n{note}"),
        None => note,
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

/// Variants named after their values, without the prefix that protobuf
/// enums repeat in every value (`APP_USER_TYPE_USER` -> `User`) when every
/// value has it and what is left still names each one apart.
fn variants(values: &[Option<String>]) -> Vec<Variant> {
    let wires: Vec<&String> = values.iter().flatten().collect();
    let prefix = common_prefix(&wires);
    let stripped: Vec<String> = wires.iter().map(|w| pascal(&w[prefix.len()..])).collect();
    let usable = stripped.iter().enumerate().all(|(i, name)| {
        !name.starts_with('_')
            && !name.starts_with("r#")
            && name != "Unknown"
            && !stripped[..i].contains(name)
    });
    let mut out: Vec<Variant> = Vec::new();
    for (i, wire) in wires.into_iter().enumerate() {
        let base = if usable {
            stripped[i].clone()
        } else {
            pascal(wire)
        };
        let name = unique(base, |n| n == "Unknown" || out.iter().any(|v| v.name == n));
        out.push(Variant {
            name,
            wire_name: wire.clone(),
        });
    }
    out
}

/// The protobuf package of a schema name: its leading lowercase segments
/// (`c1.api.iam.v1.Outer.Inner` -> `c1.api.iam.v1`).
fn package_of(key: &str) -> String {
    let segments: Vec<&str> = key.split('.').collect();
    let last = segments.len().saturating_sub(1);
    let package: Vec<&str> = segments[..last]
        .iter()
        .take_while(|s| s.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .copied()
        .collect();
    package.join(".")
}

/// The longest prefix ending in `_` that all of at least two values share.
fn common_prefix(values: &[&String]) -> String {
    let [first, rest @ ..] = values else {
        return String::new();
    };
    if rest.is_empty() {
        return String::new();
    }
    let mut len = first.len();
    for value in rest {
        let shared = first
            .char_indices()
            .zip(value.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8());
        len = len.min(shared);
    }
    match first[..len].rfind('_') {
        Some(end) if values.iter().all(|v| v.len() > end + 1) => first[..=end].to_string(),
        _ => String::new(),
    }
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
/// segments (`c1.api.app.v1.Foo` -> `AppFoo`), the same way for every member
/// of the collision, so the result does not depend on order.
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

/// The shortest package qualification that tells `key` apart from `rivals`.
fn qualify(key: &str, name: &str, rivals: &[&str]) -> String {
    let packages = |k: &str| -> Vec<String> {
        let mut segs: Vec<&str> = k.split('.').collect();
        segs.pop();
        segs.into_iter()
            .filter(|s| !is_version(s))
            .map(pascal)
            .collect()
    };
    let own = packages(key);
    for depth in 1..=own.len() {
        let prefix = |segs: &[String]| segs[segs.len().saturating_sub(depth)..].concat();
        let mine = prefix(&own);
        if rivals
            .iter()
            .filter(|r| **r != key)
            .all(|r| prefix(&packages(r)) != mine)
        {
            return format!("{mine}{name}");
        }
    }
    format!("{}{name}", own.concat())
}

fn is_version(segment: &str) -> bool {
    let mut chars = segment.chars();
    chars.next() == Some('v') && chars.next().is_some_and(|c| c.is_ascii_digit())
}

fn group_of(op: &openapiv3::Operation) -> String {
    operation_group(
        op.extensions
            .get("x-speakeasy-group")
            .and_then(|v| v.as_str()),
        op.tags.first().map(String::as_str),
    )
}

fn tag_doc(api: &OpenAPI, tag: &str) -> Option<String> {
    api.tags
        .iter()
        .find(|t| t.name == tag)
        .and_then(|t| clean_doc(t.description.as_deref()))
}

/// The operation's name in the spec (see [`operation_spec_name`]).
fn spec_name(op: &openapiv3::Operation, method: &str, path: &str) -> String {
    operation_spec_name(
        op.extensions
            .get("x-speakeasy-name-override")
            .and_then(|v| v.as_str()),
        op.operation_id.as_deref(),
        method,
        path,
    )
}

/// The Rust method name of an operation: its [`spec_name`] in snake case.
fn operation_name(op: &openapiv3::Operation, method: &str, path: &str) -> String {
    snake(&spec_name(op, method, path))
}

fn operation_doc(op: &openapiv3::Operation) -> Option<String> {
    let summary = clean_doc(op.summary.as_deref());
    let description = clean_doc(op.description.as_deref());
    match (summary, description) {
        (Some(s), Some(d)) if d.starts_with(&s) => Some(d),
        (Some(s), Some(d)) => Some(format!("{s}\n\n{d}")),
        (s, d) => s.or(d),
    }
}

/// Splits a path template into segments and puts the path parameters in
/// template order; each must be declared exactly once and used.
fn segments(path: &str, params: &mut Vec<Param>, at: &Pointer) -> Result<Vec<Segment>> {
    let mut ordered = Vec::new();
    let mut segments = Vec::new();
    for part in path.split('/').filter(|s| !s.is_empty()) {
        let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) else {
            if part.contains(['{', '}']) {
                return Err(Error::Model {
                    file: None,
                    line: None,
                    pointer: at.to_string(),
                    message: format!(
                        "path segment `{part}` mixes text and parameters, which is not supported"
                    ),
                });
            }
            segments.push(Segment::Literal(part.to_string()));
            continue;
        };
        if ordered.iter().any(|p: &Param| p.wire_name == name) {
            return Err(Error::Model {
                file: None,
                line: None,
                pointer: at.to_string(),
                message: format!(
                    "path parameter `{name}` appears twice in the path template `{path}`"
                ),
            });
        }
        let Some(i) = params.iter().position(|p| p.wire_name == name) else {
            return Err(Error::Model {
                file: None,
                line: None,
                pointer: at.to_string(),
                message: format!(
                    "path parameter `{name}` is in the path template but not declared"
                ),
            });
        };
        segments.push(Segment::Param(ordered.len()));
        ordered.push(params.remove(i));
    }
    if let Some(extra) = params.first() {
        return Err(Error::Model {
            file: None,
            line: None,
            pointer: at.to_string(),
            message: format!(
                "path parameter `{}` is declared but not in the path template `{path}`",
                extra.wire_name
            ),
        });
    }
    *params = ordered;
    Ok(segments)
}

#[cfg(test)]
mod tests;
