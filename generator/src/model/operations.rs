//! Operations: grouped by `x-speakeasy-group` (or first tag), named after
//! their `operationId`, with their parameters (path, query, header), JSON
//! request body and JSON success response.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{
    MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Response,
    StatusCode,
};
use serde::de::DeserializeOwned;

use super::clean_doc;
use super::ir::{
    Body, Effect, EffectKind, Group, Location, Media, Operation, Param, Pending, Range, Retries,
    Scalar, Segment, TypeRef,
};
use super::model_error;
use super::schemas::{schema_doc, Origin, Schemas};
use crate::error::{Error, Pointer, Result};
use crate::names::{
    group_module, operation_group, operation_spec_name, pascal, snake, stem, unraw,
};

/// Header parameters OpenAPI says to ignore: the client sets these itself.
const IGNORED_HEADERS: [&str; 3] = ["accept", "content-type", "authorization"];

/// Every operation of `api`, in groups sorted by module name; the types of
/// their parameters, bodies and responses are added to `schemas`.
pub fn groups(api: &OpenAPI, schemas: &mut Schemas) -> Result<Vec<Group>> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut unreviewed = Vec::new();
    let mut paths: Vec<_> = api.paths.paths.iter().collect();
    paths.sort_by(|a, b| a.0.cmp(b.0));
    for (path, item) in paths {
        let ReferenceOr::Item(item) = item else {
            let at = Pointer::root().push("paths").push(path);
            errors.push(model_error(
                &at,
                "path item references are not supported".into(),
            ));
            continue;
        };
        for (method, op) in item.iter() {
            let at = Pointer::root().push("paths").push(path).push(method);
            let tag = group_of(op);
            let module = group_module(&tag);
            let group = groups.entry(module.clone()).or_insert_with(|| Group {
                doc: tag_doc(api, &tag),
                type_name: format!("{}Api", stem(&pascal(&tag))),
                mock_type: format!("{}Mock", stem(&pascal(&tag))),
                module,
                tag: tag.clone(),
                operations: Vec::new(),
            });
            let lowering = Lowering {
                path,
                method,
                op,
                shared: &item.parameters,
                at,
            };
            match lowering.operation(&group.type_name, schemas) {
                Ok(operation) => {
                    if !operation.effect.reviewed {
                        unreviewed.push((lowering.at.clone(), lowering.described()));
                    }
                    group.operations.push(operation);
                }
                Err(e) => errors.extend(e.into_list()),
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::from_many(errors));
    }
    let total = groups.values().map(|g| g.operations.len()).sum();
    warn_unreviewed(&unreviewed, total, schemas);
    // Sorted by name once the `names` pass has made the names unique.
    Ok(groups.into_values().collect())
}

/// One operation being turned into its model.
struct Lowering<'a> {
    path: &'a str,
    method: &'a str,
    op: &'a openapiv3::Operation,
    /// The path item's parameters, shared by its operations.
    shared: &'a [ReferenceOr<Parameter>],
    at: Pointer,
}

impl Lowering<'_> {
    fn operation(&self, group_type: &str, schemas: &mut Schemas) -> Result<Operation> {
        let spec_name = spec_name(self.op, self.method, self.path);
        let name = snake(&spec_name);
        // Types made of inline schemas of an operation belong to no package.
        let origin = Origin {
            hint: format!(
                "{}{}",
                group_type.trim_end_matches("Api"),
                stem(&pascal(unraw(&name)))
            ),
            package: String::new(),
        };
        // Every parameter's problem is reported, not only the first.
        let params = self.parameters(schemas)?;
        let params = params
            .iter()
            .map(|(param, at)| self.param(param, &origin, at, schemas));
        let mut params: Vec<Param> = crate::error::all(params)?.into_iter().flatten().collect();
        let template = Template::parse(self.path);
        let segments = segments(template.path, &mut params, &self.at)?;
        let (response, response_media) = self.response(&origin, schemas)?;
        Ok(Operation {
            effect: self.effect()?,
            params_type: String::new(),
            spec_name,
            name,
            operation_id: self.op.operation_id.clone(),
            method: self.method.to_string(),
            path: template.path.to_string(),
            segments,
            fixed_query: template.query,
            params,
            body: self.body(&origin, schemas)?,
            response,
            response_media,
            doc: operation_doc(self.op),
            deprecated: self.op.deprecated,
            pagination: Pending::Unknown,
            signature: Pending::Unknown,
        })
    }

    /// The path item's parameters that the operation does not override (an
    /// operation's own parameter replaces the path's of the same name and
    /// location), then the operation's own; each with its pointer.
    fn parameters(&self, schemas: &mut Schemas) -> Result<Vec<(Parameter, Pointer)>> {
        let shared_at = Pointer::root()
            .push("paths")
            .push(self.path)
            .push("parameters");
        let own_at = self.at.push("parameters");
        let mut resolve = |list: &[ReferenceOr<Parameter>], at: &Pointer| {
            let resolved = list.iter().enumerate().map(|(i, p)| {
                let at = at.index(i);
                let p = match p {
                    ReferenceOr::Item(p) => p.clone(),
                    ReferenceOr::Reference { reference } => {
                        self.referenced(reference, &PARAMETER, &at, schemas)?
                    }
                };
                Ok((p, at))
            });
            crate::error::all(resolved.collect::<Vec<_>>())
        };
        let own = resolve(&self.op.parameters, &own_at)?;
        let key = |p: &Parameter| (p.parameter_data_ref().name.clone(), location_name(p));
        let mut all: Vec<(Parameter, Pointer)> = resolve(self.shared, &shared_at)?
            .into_iter()
            .filter(|(p, _)| !own.iter().any(|(o, _)| key(o) == key(p)))
            .collect();
        all.extend(own);
        Ok(all)
    }

    /// The component a reference at `at` names: in its section of
    /// `components`, or, misfiled in another section, read as what the
    /// place needs when it has that shape (with a warning); else a located
    /// error.
    fn referenced<T: DeserializeOwned>(
        &self,
        reference: &str,
        place: &Place,
        at: &Pointer,
        schemas: &mut Schemas,
    ) -> Result<T> {
        let own = reference.starts_with(&format!("#/components/{}/", place.section));
        // A reference to a reference is not followed.
        let node = schemas
            .node(reference)
            .filter(|node| node.is_object() && node.get("$ref").is_none());
        let missing: Vec<&str> = match node {
            Some(node) if !own => place
                .needs
                .iter()
                .copied()
                .filter(|k| node.get(k).is_none())
                .collect(),
            _ => Vec::new(),
        };
        let read = node
            .filter(|_| missing.is_empty())
            .and_then(|node| serde_json::from_value::<T>(node.clone()).ok());
        match (read, own) {
            (Some(value), true) => Ok(value),
            (Some(value), false) => {
                let message = format!(
                    "reference `{reference}` is not in `components/{}`; read as a {}, which it has the shape of",
                    place.section, place.what
                );
                schemas.warn(at, message);
                Ok(value)
            }
            (None, _) => {
                let why = match (node, missing.as_slice()) {
                    (None, _) => String::new(),
                    (Some(_), []) => format!(": what it names is not a {}", place.what),
                    (Some(_), keys) => format!(
                        ": what it names has no `{}`, which a {} needs",
                        keys.join("`, `"),
                        place.what
                    ),
                };
                let message = format!(
                    "reference `{reference}` does not name a {} in `components/{}`{why}",
                    place.what, place.section
                );
                Err(model_error(at, message))
            }
        }
    }

    /// The model of a parameter; `None` for a header OpenAPI says to ignore.
    fn param(
        &self,
        param: &Parameter,
        origin: &Origin,
        at: &Pointer,
        schemas: &mut Schemas,
    ) -> Result<Option<Param>> {
        let data = param.parameter_data_ref();
        let (location, required) = match param {
            Parameter::Path { .. } => (Location::Path, true),
            Parameter::Query { .. } => (Location::Query, data.required),
            Parameter::Header { .. }
                if IGNORED_HEADERS.contains(&data.name.to_ascii_lowercase().as_str()) =>
            {
                return Ok(None)
            }
            Parameter::Header { .. } if !is_token(&data.name) => {
                let message = format!(
                    "header parameter `{}` is not a valid header name",
                    data.name
                );
                return Err(model_error(at, message));
            }
            Parameter::Header { .. } => (Location::Header, data.required),
            Parameter::Cookie { .. } if !is_token(&data.name) => {
                let message = format!(
                    "cookie parameter `{}` is not a valid cookie name",
                    data.name
                );
                return Err(model_error(at, message));
            }
            Parameter::Cookie { .. } => (Location::Cookie, data.required),
        };
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                schemas.type_ref(s, &origin.inner(&pascal(&data.name)), &at.push("schema"))?
            }
            ParameterSchemaOrContent::Content(_) => TypeRef::Scalar(Scalar::String),
        };
        // A union of strings (an id or a name) is taken and sent as its text.
        let ty = match schemas.is_string_union(&ty) {
            true => TypeRef::Scalar(Scalar::String),
            false => ty,
        };
        let plain = match (&ty, location) {
            (_, Location::Query) => true,
            (TypeRef::Vec(item), Location::Header | Location::Cookie) => schemas.is_plain(item),
            (ty, _) => schemas.is_plain(ty),
        };
        if !plain {
            let message = format!(
                "{} parameter `{}` must be a string, integer, boolean, string enum or union of strings{}",
                location_name(param),
                data.name,
                match location {
                    Location::Path => "",
                    _ => ", or a list of them",
                }
            );
            return Err(model_error(at, message));
        }
        let doc = clean_doc(data.description.as_deref()).or_else(|| match &data.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => schema_doc(s),
            _ => None,
        });
        let range = match &data.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => {
                super::schemas::range(Some(s))
            }
            _ => Range::default(),
        };
        Ok(Some(Param {
            name: snake(&data.name),
            wire_name: data.name.clone(),
            location,
            ty,
            required,
            range,
            doc,
        }))
    }

    fn body(&self, origin: &Origin, schemas: &mut Schemas) -> Result<Option<Body>> {
        let Some(body) = &self.op.request_body else {
            return Ok(None);
        };
        let at = self.at.push("requestBody");
        let body: RequestBody = match body {
            ReferenceOr::Item(b) => b.clone(),
            ReferenceOr::Reference { reference } => {
                self.referenced(reference, &REQUEST_BODY, &at, schemas)?
            }
        };
        let Some((key, media)) = choose(&body.content) else {
            return Err(model_error(
                &at.push("content"),
                "the request body lists no content type".into(),
            ));
        };
        let at = at.push("content").push(key);
        check_media_type(key, &at)?;
        // A body the spec accepts as anything (`*/*`, `image/*`) is sent as bytes.
        let media = match media {
            Media::Binary(m) if m.contains('*') => Media::Binary("application/octet-stream".into()),
            media => media,
        };
        let ty = payload_type(
            &media,
            &body.content[key],
            &origin.inner("Request"),
            &at,
            schemas,
        )?;
        Ok(Some(Body {
            name: "body".to_string(),
            ty,
            media,
            implicit_empty: Pending::Unknown,
        }))
    }

    /// The success response's type and how it is read.
    fn response(&self, origin: &Origin, schemas: &mut Schemas) -> Result<(Option<TypeRef>, Media)> {
        let json = Media::Json("application/json".into());
        let success = self
            .op
            .responses
            .responses
            .iter()
            .find(|(code, _)| match code {
                StatusCode::Code(c) => (200..300).contains(c),
                StatusCode::Range(r) => *r == 2,
            });
        let Some((code, response)) = success else {
            return Ok((None, json));
        };
        let at = self.at.push("responses").push(&code.to_string());
        let response: Response = match response {
            ReferenceOr::Item(r) => r.clone(),
            ReferenceOr::Reference { reference } => {
                self.referenced(reference, &RESPONSE, &at, schemas)?
            }
        };
        let Some((key, media)) = choose(&response.content) else {
            return Ok((None, json));
        };
        let at = at.push("content").push(key);
        check_media_type(key, &at)?;
        let content = &response.content[key];
        if matches!(media, Media::Json(_)) && content.schema.is_none() {
            return Ok((None, json));
        }
        // Form and multipart answers are not decoded: the caller gets their bytes.
        let media = match media {
            Media::Form | Media::Multipart => Media::Binary(essence(key)),
            media => media,
        };
        let ty = payload_type(&media, content, &origin.inner("Response"), &at, schemas)?;
        Ok((Some(ty), media))
    }
}

/// A place a reference may stand: what it needs, and where in
/// `components` its kind is kept.
struct Place {
    /// What it needs (`response`).
    what: &'static str,
    /// The section of `components` (`responses`).
    section: &'static str,
    /// The keys a component must have to be read as one.
    needs: &'static [&'static str],
}

const PARAMETER: Place = Place {
    what: "parameter",
    section: "parameters",
    needs: &["name", "in"],
};

const REQUEST_BODY: Place = Place {
    what: "request body",
    section: "requestBodies",
    needs: &["content"],
};

/// A response needs only a description; one read from another section
/// must have content too, or any object would pass.
const RESPONSE: Place = Place {
    what: "response",
    section: "responses",
    needs: &["content"],
};

/// The content type a body is written or read as: JSON first (any
/// `application/json` or `+json` type), else the first listed.
fn choose(content: &IndexMap<String, MediaType>) -> Option<(&str, Media)> {
    content
        .keys()
        .find(|k| matches!(media_of(k), Media::Json(_)))
        .or_else(|| content.keys().next())
        .map(|k| (k.as_str(), media_of(k)))
}

/// A content type that can be sent in a header: `type/subtype`, each a
/// token (`*` is one), then parameters, which are not sent.
fn check_media_type(key: &str, at: &Pointer) -> Result<()> {
    let valid = essence(key)
        .split_once('/')
        .is_some_and(|(kind, sub)| is_token(kind) && is_token(sub));
    if valid {
        Ok(())
    } else {
        let message = format!("content type `{key}` is not a media type (`type/subtype`)");
        Err(model_error(at, message))
    }
}

/// A content type without its parameters (`charset`), in lower case.
fn essence(key: &str) -> String {
    let essence = key.split(';').next().unwrap_or("");
    essence.trim().to_ascii_lowercase()
}

/// What a media type is, by its [`essence`].
fn media_of(key: &str) -> Media {
    let essence = essence(key);
    let (kind, sub) = essence.split_once('/').unwrap_or((&essence, ""));
    match (kind, sub) {
        ("application", "json") => Media::Json(essence.clone()),
        ("application", s) if s.ends_with("+json") => Media::Json(essence.clone()),
        ("application", "x-www-form-urlencoded") => Media::Form,
        ("multipart", "form-data") => Media::Multipart,
        ("text", _) => Media::Text(essence.clone()),
        ("application", "xml" | "yaml" | "x-yaml" | "sdp") => Media::Text(essence.clone()),
        _ => Media::Binary(essence.clone()),
    }
}

/// The type of a body as `media` carries it: JSON, form and multipart bodies
/// have their schema's type (an object with no schema is a free-form
/// object); text is a `String` and binary content `Vec<u8>`.
fn payload_type(
    media: &Media,
    content: &MediaType,
    origin: &Origin,
    at: &Pointer,
    schemas: &mut Schemas,
) -> Result<TypeRef> {
    match (media, &content.schema) {
        (Media::Text(_), _) => Ok(TypeRef::Scalar(Scalar::String)),
        (Media::Binary(_), _) => Ok(TypeRef::Scalar(Scalar::Bytes)),
        (Media::Json(_), None) => Ok(TypeRef::Scalar(Scalar::Any)),
        (Media::Form | Media::Multipart, None) => Ok(TypeRef::Scalar(Scalar::Object)),
        (_, Some(schema)) => schemas.type_ref(schema, origin, &at.push("schema")),
    }
}

/// Whether `name` is a valid HTTP header name (an RFC 9110 token).
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

impl Location {
    /// Where the parameter goes, as the spec's `in` says it (`path`).
    pub fn spec_name(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

/// Where a parameter goes, as the spec says it.
fn location_name(param: &Parameter) -> &'static str {
    match param {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
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

/// The operation's name in the spec (see [`operation_spec_name`]); its Rust
/// method name is this in snake case.
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

fn operation_doc(op: &openapiv3::Operation) -> Option<String> {
    let summary = clean_doc(op.summary.as_deref());
    let description = clean_doc(op.description.as_deref());
    match (summary, description) {
        (Some(s), Some(d)) if d.starts_with(&s) => Some(d),
        (Some(s), Some(d)) => Some(format!("{s}\n\n{d}")),
        (s, d) => s.or(d),
    }
}

/// A path as the spec's key writes it, split into what is sent: Box keys
/// operations that share a path with a fragment (`/files/{id}#copy`), which
/// is never sent; OpenAI keys variants with a fixed query
/// (`/responses?beta=true`), which is.
struct Template<'a> {
    /// The path template proper.
    path: &'a str,
    /// The fixed query pairs.
    query: Vec<(String, String)>,
}

impl<'a> Template<'a> {
    fn parse(key: &'a str) -> Self {
        let key = key.split_once('#').map_or(key, |(path, _)| path);
        let (path, query) = key.split_once('?').unwrap_or((key, ""));
        let query = url::form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Template { path, query }
    }
}

/// Splits a path template into segments and puts the path parameters first,
/// in template order (the others keep theirs); each must be declared exactly
/// once and used. A segment that mixes text and parameters (`{sid}.json`,
/// `{name}:cancel`) is a [`Segment::Mixed`].
fn segments(path: &str, params: &mut Vec<Param>, at: &Pointer) -> Result<Vec<Segment>> {
    let (mut declared, others): (Vec<Param>, Vec<Param>) = std::mem::take(params)
        .into_iter()
        .partition(|p| p.location == Location::Path);
    let error = |message: String| Err(model_error(at, message));
    let mut ordered: Vec<Param> = Vec::new();
    let mut segments = Vec::new();
    for part in path.split('/').filter(|s| !s.is_empty()) {
        let mut pieces = Vec::new();
        for piece in pieces_of(part) {
            let name = match piece {
                Ok(text) => {
                    pieces.push(Segment::Literal(text.to_string()));
                    continue;
                }
                Err(name) => name,
            };
            if name.is_empty() || name.contains(['{', '}']) {
                return error(format!(
                    "path segment `{part}` has an unbalanced or empty `{{}}`"
                ));
            }
            if ordered.iter().any(|p| p.wire_name == name) {
                return error(format!(
                    "path parameter `{name}` appears twice in the path template `{path}`"
                ));
            }
            let Some(i) = declared.iter().position(|p| p.wire_name == name) else {
                return error(format!(
                    "path parameter `{name}` is in the path template but not declared"
                ));
            };
            pieces.push(Segment::Param(ordered.len()));
            ordered.push(declared.remove(i));
        }
        segments.push(match <[Segment; 1]>::try_from(pieces) {
            Ok([one]) => one,
            Err(pieces) => Segment::Mixed(pieces),
        });
    }
    if let Some(extra) = declared.first() {
        return error(format!(
            "path parameter `{}` is declared but not in the path template `{path}`",
            extra.wire_name
        ));
    }
    ordered.extend(others);
    *params = ordered;
    Ok(segments)
}

/// The pieces of one path segment: `Ok(text)` for literal text, `Err(name)`
/// for a `{name}` (an unbalanced brace gives a name with a brace in it).
fn pieces_of(part: &str) -> Vec<std::result::Result<&str, &str>> {
    let mut pieces = Vec::new();
    let mut rest = part;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            pieces.push(Ok(&rest[..open]));
        }
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                pieces.push(Err(&after[..close]));
                rest = &after[close + 1..];
            }
            None => {
                pieces.push(Err(&rest[open..]));
                rest = "";
            }
        }
    }
    if !rest.is_empty() {
        pieces.push(if rest.contains('}') {
            Err(rest)
        } else {
            Ok(rest)
        });
    }
    pieces
}

/// The key of an operation's entry in the effects table.
pub const EFFECT: &str = "x-c1-effect";

impl Lowering<'_> {
    /// What the operation does, as its `x-c1-effect` says (the overlay's
    /// reviewed table); [`Effect::UNREVIEWED`] when it has none.
    fn effect(&self) -> Result<Effect> {
        let Some(entry) = self.op.extensions.get(EFFECT) else {
            return Ok(Effect::UNREVIEWED);
        };
        let at = self.at.push(EFFECT);
        read_effect(entry).map_err(|message| model_error(&at, message))
    }

    /// The operation as a warning names it: `Apps.List (GET /api/v1/apps)`.
    fn described(&self) -> String {
        let id = self.op.operation_id.as_deref().unwrap_or("an operation");
        format!("`{id}` ({} {})", self.method.to_uppercase(), self.path)
    }
}

/// Reads one entry of the effects table: `{kind: read|write|destructive,
/// idempotent, consumes, sensitive}` (a read is always idempotent).
fn read_effect(entry: &serde_json::Value) -> std::result::Result<Effect, String> {
    let fields = entry.as_object().ok_or(
        "an effect is an object: {kind: read|write|destructive, idempotent, consumes, sensitive}",
    )?;
    if let Some(key) = fields
        .keys()
        .find(|k| !["kind", "idempotent", "consumes", "sensitive"].contains(&k.as_str()))
    {
        return Err(format!(
            "`{key}` is not a field of an effect (kind, idempotent, consumes, sensitive)"
        ));
    }
    let named = fields.get("kind").and_then(|k| k.as_str());
    let kinds = [EffectKind::Read, EffectKind::Write, EffectKind::Destructive];
    let kind = kinds
        .into_iter()
        .find(|kind| named == Some(kind.name()))
        .ok_or("an effect's `kind` is `read`, `write` or `destructive`")?;
    let flag = |name: &str| match fields.get(name) {
        None => Ok(None),
        Some(serde_json::Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(format!("an effect's `{name}` is true or false")),
    };
    let idempotent = match (kind, flag("idempotent")?) {
        (EffectKind::Read, Some(false)) => {
            return Err("a read is idempotent: say `kind: write` for one that is not".into())
        }
        (EffectKind::Read, _) => true,
        (_, Some(idempotent)) => idempotent,
        (_, None) => return Err(format!("a {} says whether it is `idempotent`", kind.name())),
    };
    Ok(Effect {
        kind,
        idempotent,
        consumes: flag("consumes")?.unwrap_or(false),
        sensitive: flag("sensitive")?.unwrap_or(false),
        reviewed: true,
    })
}

/// One warning for each operation the effects table does not list, or one
/// for them all when it lists none (a spec directory without the table).
fn warn_unreviewed(unreviewed: &[(Pointer, String)], total: usize, schemas: &mut Schemas) {
    const TREATED: &str =
        "treated as a write that is neither idempotent nor retried once it may have been sent";
    let all = unreviewed.len() > 1 && unreviewed.len() == total;
    if all {
        let message = format!(
            "no operation has an effect (`{EFFECT}`): the spec directory has no effects table (spec/c1.overlay.yaml), so all {} are {TREATED}",
            unreviewed.len()
        );
        schemas.warn(&Pointer::root().push("paths"), message);
        return;
    }
    for (at, described) in unreviewed {
        let message = format!(
            "{described} is not in the effects table (`{EFFECT}`, spec/c1.overlay.yaml): {TREATED}; review what it does and add it"
        );
        schemas.warn(at, message);
    }
}

impl EffectKind {
    /// Its name in the effects table and in `api.json`: `read`.
    pub fn name(self) -> &'static str {
        match self {
            EffectKind::Read => "read",
            EffectKind::Write => "write",
            EffectKind::Destructive => "destructive",
        }
    }
}

impl Effect {
    /// What an operation the table does not list is taken to be.
    pub const UNREVIEWED: Effect = Effect {
        kind: EffectKind::Write,
        idempotent: false,
        consumes: false,
        sensitive: false,
        reviewed: false,
    };

    /// Whether it only reads.
    pub fn reads(&self) -> bool {
        self.kind == EffectKind::Read
    }

    /// The flags that hold, by name: `idempotent` (of a write: every read
    /// is), `consumes`, `sensitive`.
    pub fn flags(&self) -> Vec<&'static str> {
        let flags = [
            (self.idempotent && !self.reads(), "idempotent"),
            (self.consumes, "consumes"),
            (self.sensitive, "sensitive"),
        ];
        flags
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, name)| *name)
            .collect()
    }

    /// Which failures are retried: none when it uses something up.
    pub fn retries(&self) -> Retries {
        match (self.consumes, self.idempotent) {
            (true, _) => Retries::Never,
            (false, true) => Retries::Idempotent,
            (false, false) => Retries::Unsent,
        }
    }
}

impl Operation {
    /// Whether it only reads, changing nothing: what an agent may call
    /// without being allowed to write (`c1 mcp serve`).
    pub fn reads(&self) -> bool {
        self.effect.reads()
    }
}

impl Group {
    /// The name of its operation `op` as traces, the mock server,
    /// `api.json` and the agents' tools spell it: `apps.list`.
    pub fn operation_name(&self, op: &Operation) -> String {
        format!("{}.{}", unraw(&self.module), unraw(&op.name))
    }
}
