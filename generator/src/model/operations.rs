//! Operations: grouped by `x-speakeasy-group` (or first tag), named after
//! their `operationId`, with their parameters (path, query, header), JSON
//! request body and JSON success response.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};

use super::clean_doc;
use super::ir::{Body, Group, Location, Operation, Param, Pending, Scalar, Segment, TypeRef};
use super::model_error;
use super::protobuf;
use super::schemas::{schema_doc, Origin, Schemas};
use crate::error::{Error, Pointer, Result};
use crate::names::{group_module, operation_group, operation_spec_name, pascal, snake};

/// Header parameters OpenAPI says to ignore: the client sets these itself.
const IGNORED_HEADERS: [&str; 3] = ["accept", "content-type", "authorization"];

/// Every operation of `api`, in groups sorted by module name; the types of
/// their parameters, bodies and responses are added to `schemas`.
pub fn groups(api: &OpenAPI, schemas: &mut Schemas) -> Result<Vec<Group>> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut errors = Vec::new();
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
                type_name: format!("{}Api", pascal(&tag)),
                module,
                tag: tag.clone(),
                operations: Vec::new(),
            });
            let lowering = Lowering {
                api,
                path,
                method,
                op,
                shared: &item.parameters,
                at,
            };
            let operation = match lowering.operation(&group.type_name, schemas) {
                Ok(operation) => operation,
                Err(e) => {
                    errors.extend(e.into_list());
                    continue;
                }
            };
            if let Some(other) = group.operations.iter().find(|o| o.name == operation.name) {
                let message = format!(
                    "two operations in group `{tag}` are both named `{}` ({} {} and {} {})",
                    operation.name, other.method, other.path, method, path
                );
                errors.push(model_error(&lowering.at, message));
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

/// One operation being turned into its model.
struct Lowering<'a> {
    api: &'a OpenAPI,
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
            hint: format!("{}{}", group_type.trim_end_matches("Api"), pascal(&name)),
            package: String::new(),
        };
        // Every parameter's problem is reported, not only the first.
        let params = self.parameters()?;
        let params = params
            .iter()
            .map(|(param, at)| self.param(param, &origin, at, schemas));
        let mut params: Vec<Param> = crate::error::all(params)?.into_iter().flatten().collect();
        let segments = segments(self.path, &mut params, &self.at)?;
        Ok(Operation {
            idempotent: idempotent(self.method, &name),
            spec_name,
            name,
            operation_id: self.op.operation_id.clone(),
            method: self.method.to_string(),
            path: self.path.to_string(),
            segments,
            params,
            body: self.body(&origin, schemas)?,
            response: self.response(&origin, schemas)?,
            doc: operation_doc(self.op),
            deprecated: self.op.deprecated,
            pagination: Pending::Unknown,
            signature: Pending::Unknown,
        })
    }

    /// The path item's parameters that the operation does not override (an
    /// operation's own parameter replaces the path's of the same name and
    /// location), then the operation's own; each with its pointer.
    fn parameters(&self) -> Result<Vec<(Parameter, Pointer)>> {
        let shared_at = Pointer::root()
            .push("paths")
            .push(self.path)
            .push("parameters");
        let own_at = self.at.push("parameters");
        let resolve = |list: &[ReferenceOr<Parameter>], at: &Pointer| {
            crate::error::all(list.iter().enumerate().map(|(i, p)| {
                let at = at.index(i);
                Ok((self.resolve(p, &at)?, at))
            }))
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

    fn resolve(&self, param: &ReferenceOr<Parameter>, at: &Pointer) -> Result<Parameter> {
        match param {
            ReferenceOr::Item(p) => Ok(p.clone()),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/parameters/")
                .and_then(|name| self.api.components.as_ref()?.parameters.get(name))
                .and_then(|p| p.as_item())
                .cloned()
                .ok_or_else(|| model_error(at, format!("reference `{reference}` does not name a parameter in `components/parameters`"))),
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
            Parameter::Cookie { .. } => {
                let message = format!("cookie parameter `{}` is not supported", data.name);
                return Err(model_error(at, message));
            }
        };
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                schemas.type_ref(s, &origin.inner(&pascal(&data.name)), &at.push("schema"))?
            }
            ParameterSchemaOrContent::Content(_) => TypeRef::Scalar(Scalar::String),
        };
        let plain = matches!(&ty, TypeRef::Scalar(s) if s.info().in_path);
        if location != Location::Query && !plain {
            let message = format!(
                "{} parameter `{}` must be a string, integer or boolean",
                location_name(param),
                data.name
            );
            return Err(model_error(at, message));
        }
        let doc = clean_doc(data.description.as_deref()).or_else(|| match &data.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => schema_doc(s),
            _ => None,
        });
        Ok(Some(Param {
            name: snake(&data.name),
            wire_name: data.name.clone(),
            location,
            ty,
            required,
            doc,
        }))
    }

    fn body(&self, origin: &Origin, schemas: &mut Schemas) -> Result<Option<Body>> {
        let Some(body) = &self.op.request_body else {
            return Ok(None);
        };
        let at = self.at.push("requestBody");
        let body = match body {
            ReferenceOr::Item(b) => b,
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/requestBodies/")
                .and_then(|name| self.api.components.as_ref()?.request_bodies.get(name)?.as_item())
                .ok_or_else(|| model_error(&at, format!("reference `{reference}` does not name a request body in `components/requestBodies`")))?,
        };
        let Some(media) = body.content.get("application/json") else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            let message = format!(
                "only application/json request bodies are supported, found: {}",
                types.join(", ")
            );
            return Err(model_error(&at.push("content"), message));
        };
        let ty = match &media.schema {
            Some(s) => {
                let at = at.push("content").push("application/json").push("schema");
                schemas.type_ref(s, &origin.inner("Request"), &at)?
            }
            None => TypeRef::Scalar(Scalar::Any),
        };
        Ok(Some(Body {
            ty,
            implicit_empty: Pending::Unknown,
        }))
    }

    fn response(&self, origin: &Origin, schemas: &mut Schemas) -> Result<Option<TypeRef>> {
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
            return Ok(None);
        };
        let at = self.at.push("responses").push(&code.to_string());
        let ReferenceOr::Item(response) = response else {
            return Err(model_error(
                &at,
                "response references are not supported".into(),
            ));
        };
        let Some(schema) = response
            .content
            .get("application/json")
            .and_then(|m| m.schema.as_ref())
        else {
            return Ok(None);
        };
        let at = at.push("content").push("application/json").push("schema");
        Ok(Some(schemas.type_ref(
            schema,
            &origin.inner("Response"),
            &at,
        )?))
    }
}

/// Whether `name` is a valid HTTP header name (an RFC 9110 token).
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
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

/// Splits a path template into segments and puts the path parameters first,
/// in template order (the others keep theirs); each must be declared exactly
/// once and used.
fn segments(path: &str, params: &mut Vec<Param>, at: &Pointer) -> Result<Vec<Segment>> {
    let (mut declared, others): (Vec<Param>, Vec<Param>) = std::mem::take(params)
        .into_iter()
        .partition(|p| p.location == Location::Path);
    let error = |message: String| Err(model_error(at, message));
    let mut ordered: Vec<Param> = Vec::new();
    let mut segments = Vec::new();
    for part in path.split('/').filter(|s| !s.is_empty()) {
        let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) else {
            if part.contains(['{', '}']) {
                return error(format!(
                    "path segment `{part}` mixes text and parameters, which is not supported"
                ));
            }
            segments.push(Segment::Literal(part.to_string()));
            continue;
        };
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
        segments.push(Segment::Param(ordered.len()));
        ordered.push(declared.remove(i));
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

/// Whether an operation can be sent twice without harm: its HTTP method is
/// idempotent, or it is a POST that only reads ([`protobuf::reads_only`]).
fn idempotent(method: &str, name: &str) -> bool {
    matches!(method, "get" | "head" | "put" | "delete" | "options")
        || (method == "post" && protobuf::reads_only(name))
}
