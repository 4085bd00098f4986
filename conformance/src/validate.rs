//! Checks values and requests against the document with a JSON Schema
//! validator (the `jsonschema` crate, draft 2020-12, formats asserted as
//! this API writes them: [`crate::formats`]).
//!
//! OpenAPI 3.0 spellings are read as JSON Schema first: `nullable: true`
//! allows `null`; `int32`, `uint32` and `int64` on integers bound them.

use std::collections::HashMap;

use jsonschema::{Registry, Validator};
use serde_json::{json, Map, Value};

use crate::document::{Document, Operation};
use crate::formats::Format;
use crate::{child, Error, Problem};

/// The URI the converted document is registered under.
const DOCUMENT_URI: &str = "urn:c1:openapi";

/// Validates values against the schemas of one document.
pub struct Schemas {
    registry: Registry<'static>,
    cache: HashMap<String, Validator>,
}

impl Schemas {
    /// Converts `doc`'s schemas to JSON Schema and registers them.
    pub fn new(doc: &Document) -> Result<Schemas, Error> {
        let converted = json!({"components": {"schemas": to_json_schema(&doc.root["components"]["schemas"], true)}});
        let registry = Registry::new()
            .add(DOCUMENT_URI, converted)
            .and_then(|builder| builder.prepare())
            .map_err(|e| Error::Schema {
                pointer: "/components/schemas".into(),
                message: e.to_string(),
            })?;
        Ok(Schemas {
            registry,
            cache: HashMap::new(),
        })
    }

    /// The problems of `value` against `schema` (a schema of the document;
    /// its references are to the document's components). `key` names the
    /// schema for the cache of compiled validators; problems are located
    /// under `pointer`.
    pub fn check(
        &mut self,
        key: &str,
        schema: &Value,
        value: &Value,
        pointer: &str,
    ) -> Result<Vec<Problem>, Error> {
        if !self.cache.contains_key(key) {
            let mut converted = to_json_schema(schema, false);
            if let Value::Object(fields) = &mut converted {
                fields.insert(
                    "$schema".into(),
                    "https://json-schema.org/draft/2020-12/schema".into(),
                );
            }
            let mut options = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true)
                .with_registry(&self.registry);
            for (name, format) in Format::custom() {
                options = options.with_format(name, move |text: &str| format.sent(text));
            }
            let validator = options.build(&converted).map_err(|e| Error::Schema {
                pointer: key.to_string(),
                message: e.to_string(),
            })?;
            self.cache.insert(key.to_string(), validator);
        }
        let Some(validator) = self.cache.get(key) else {
            return Ok(Vec::new());
        };
        Ok(validator
            .iter_errors(value)
            .map(|e| Problem {
                pointer: format!("{pointer}{}", e.instance_path()),
                message: e.to_string(),
            })
            .collect())
    }

    /// The problems of a request the client built for `op`: its method,
    /// path, query and headers against the parameters, and its body against
    /// the body's schema.
    pub fn check_request(
        &mut self,
        op: &Operation,
        base: &url::Url,
        request: &Request,
    ) -> Result<Vec<Problem>, Error> {
        let mut problems = Vec::new();
        let problem = |pointer: &str, message: String| Problem {
            pointer: pointer.to_string(),
            message,
        };
        if request.method != op.method {
            problems.push(problem(
                "/method",
                format!("{} instead of {}", request.method, op.method),
            ));
        }
        let mut params: Vec<(String, String, Value)> = Vec::new();
        match match_path(&op.path, base, &request.url) {
            Ok(segments) => {
                for (name, text) in segments {
                    params.push(("path".into(), name, Value::String(text)));
                }
            }
            Err(message) => problems.push(problem("/path", message)),
        }
        for (name, text) in request.url.query_pairs() {
            params.push((
                "query".into(),
                name.into_owned(),
                Value::String(text.into_owned()),
            ));
        }
        for (name, text) in &request.headers {
            params.push((
                "header".into(),
                name.to_ascii_lowercase(),
                Value::String(text.clone()),
            ));
        }
        for param in &op.params {
            let wire = match param.location.as_str() {
                "header" => param.name.to_ascii_lowercase(),
                _ => param.name.clone(),
            };
            let given: Vec<&Value> = params
                .iter()
                .filter(|(place, name, _)| *place == param.location && *name == wire)
                .map(|(_, _, v)| v)
                .collect();
            let pointer = child(&format!("/{}", param.location), &param.name);
            if given.is_empty() && param.required {
                problems.push(problem(
                    &pointer,
                    "the required parameter is missing".into(),
                ));
            }
            for text in given {
                let value = typed(&param.schema, text);
                let key = format!("{}{pointer}", op.id);
                problems.extend(self.check(&key, &param.schema, &value, &pointer)?);
            }
        }
        for (place, name, _) in &params {
            let declared = op.params.iter().any(|p| {
                p.location == *place
                    && match place.as_str() {
                        "header" => p.name.eq_ignore_ascii_case(name),
                        _ => p.name == *name,
                    }
            });
            if place == "query" && !declared {
                problems.push(Problem {
                    pointer: child("/query", name),
                    message: "the document has no such query parameter".into(),
                });
            }
        }
        match (&op.body, &request.body) {
            (Some(schema), Some(body)) => {
                let key = format!("{}/body", op.id);
                problems.extend(self.check(&key, schema, body, "/body")?);
            }
            (Some(_), None) => problems.push(Problem {
                pointer: "/body".into(),
                message: "the operation takes a JSON body and none was sent".into(),
            }),
            (None, Some(_)) => problems.push(Problem {
                pointer: "/body".into(),
                message: "a body was sent to an operation that takes none".into(),
            }),
            (None, None) => {}
        }
        Ok(problems)
    }
}

/// A request as the client would send it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The method, upper case.
    pub method: String,
    /// The whole URL.
    pub url: url::Url,
    /// The headers.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: Option<Value>,
}

/// A parameter's text as the JSON value its schema describes: a number or a
/// boolean where the (inline, as C1's are) schema says so; text that is not
/// one stays text, and fails the check.
fn typed(schema: &Value, text: &Value) -> Value {
    let Value::String(s) = text else {
        return text.clone();
    };
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") | Some("number") => serde_json::from_str::<serde_json::Number>(s)
            .map(Value::Number)
            .unwrap_or_else(|_| text.clone()),
        Some("boolean") => match s.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => text.clone(),
        },
        _ => text.clone(),
    }
}

/// The path parameters of `url` under `base`, by the template `path`
/// (`/api/v1/apps/{id}`), percent-decoded; an error if the path does not
/// have the template's shape.
pub fn match_path(
    template: &str,
    base: &url::Url,
    url: &url::Url,
) -> Result<Vec<(String, String)>, String> {
    let prefix = base.path().trim_end_matches('/');
    let path = url.path();
    let rest = path
        .strip_prefix(prefix)
        .ok_or_else(|| format!("{path} is not under {prefix}"))?;
    let sent: Vec<&str> = rest.split('/').collect();
    let wanted: Vec<&str> = template.split('/').collect();
    if sent.len() != wanted.len() {
        return Err(format!("{rest} does not have the shape of {template}"));
    }
    let mut found = Vec::new();
    for (segment, pattern) in sent.iter().zip(&wanted) {
        let decoded = percent_decode(segment);
        match pattern.find('{') {
            None if decoded == *pattern => {}
            None => return Err(format!("segment {segment:?} is not {pattern:?}")),
            Some(open) => {
                let close = pattern.find('}').ok_or("a template without `}`")?;
                let (before, name, after) = (
                    &pattern[..open],
                    &pattern[open + 1..close],
                    &pattern[close + 1..],
                );
                let value = decoded
                    .strip_prefix(before)
                    .and_then(|v| v.strip_suffix(after))
                    .ok_or_else(|| format!("segment {segment:?} is not {pattern:?}"))?;
                found.push((name.to_string(), value.to_string()));
            }
        }
    }
    Ok(found)
}

/// A path segment with its `%XX` escapes decoded (`+` is itself in a path).
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An OpenAPI schema as JSON Schema 2020-12: `nullable` allows `null`,
/// integer formats bound the value, references point into the registered
/// document, and `x-` extensions and examples are dropped. `components` is
/// true for the map of all component schemas.
pub fn to_json_schema(schema: &Value, components: bool) -> Value {
    if components {
        if let Value::Object(all) = schema {
            return Value::Object(
                all.iter()
                    .map(|(k, v)| (k.clone(), to_json_schema(v, false)))
                    .collect(),
            );
        }
    }
    let Value::Object(fields) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in fields {
        if key.starts_with("x-") || key == "example" || key == "discriminator" || key == "nullable"
        {
            continue;
        }
        let value = match key.as_str() {
            "$ref" => match value.as_str() {
                Some(target) if target.starts_with('#') => {
                    Value::String(format!("{DOCUMENT_URI}{target}"))
                }
                _ => value.clone(),
            },
            "properties" | "patternProperties" | "$defs" => match value {
                Value::Object(map) => Value::Object(
                    map.iter()
                        .map(|(k, v)| (k.clone(), to_json_schema(v, false)))
                        .collect(),
                ),
                other => other.clone(),
            },
            "items" | "additionalProperties" | "not" => to_json_schema(value, false),
            "allOf" | "anyOf" | "oneOf" => match value {
                Value::Array(items) => {
                    Value::Array(items.iter().map(|v| to_json_schema(v, false)).collect())
                }
                other => other.clone(),
            },
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    if out.get("type") == Some(&Value::from("integer")) {
        let bounds: Option<(i128, i128)> = match Format::of(schema) {
            Some(Format::Int32) => Some((i32::MIN.into(), i32::MAX.into())),
            Some(Format::Uint32) => Some((0, u32::MAX.into())),
            Some(Format::Int64) => Some((i64::MIN.into(), i64::MAX.into())),
            Some(Format::Uint64) => Some((0, u64::MAX.into())),
            _ => None,
        };
        // The format's range, unless the document bounds it more tightly
        // (page sizes: the overlay's `0 <= pageSize <= 100`).
        if let Some((min, max)) = bounds {
            out.entry("minimum").or_insert_with(|| json_number(min));
            out.entry("maximum").or_insert_with(|| json_number(max));
        }
        // The format is checked by the bounds; as a string format it would
        // be ignored on a number anyway.
        out.remove("format");
    }
    if fields.get("nullable") != Some(&Value::Bool(true)) {
        return Value::Object(out);
    }
    // `null` joins the type (and the enum) where there is one, so that a
    // wrong item is still named by its own pointer; else an `anyOf`.
    match out.get("type").cloned() {
        Some(Value::String(kind)) => {
            out.insert("type".into(), json!([kind, "null"]));
            if let Some(Value::Array(values)) = out.get_mut("enum") {
                values.push(Value::Null);
            }
            Value::Object(out)
        }
        _ => json!({"anyOf": [{"type": "null"}, Value::Object(out)]}),
    }
}

fn json_number(n: i128) -> Value {
    if let Ok(n) = i64::try_from(n) {
        Value::from(n)
    } else if let Ok(n) = u64::try_from(n) {
        Value::from(n)
    } else {
        Value::Null
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        Document {
            root: json!({"components": {"schemas": {
                "Thing": {"type": "object", "required": ["ids"], "properties": {
                    "ids": {"type": "array", "items": {"type": "string", "format": "int64"}, "nullable": true},
                    "count": {"type": "integer", "format": "uint32"},
                    "wait": {"type": "string", "format": "duration"}
                }}
            }}}),
        }
    }

    fn problems(value: Value) -> Vec<String> {
        let doc = doc();
        let mut schemas = Schemas::new(&doc).unwrap();
        let schema = json!({"$ref": "#/components/schemas/Thing"});
        schemas
            .check("Thing", &schema, &value, "")
            .unwrap()
            .iter()
            .map(|p| p.pointer.clone())
            .collect()
    }

    #[test]
    fn a_value_in_the_apis_forms_passes() {
        assert!(
            problems(json!({"ids": ["1", "-2"], "count": 4_000_000_000u64, "wait": "1.5s"}))
                .is_empty()
        );
        assert!(problems(json!({"ids": null})).is_empty());
    }

    #[test]
    fn each_departure_is_named_by_its_pointer() {
        assert_eq!(problems(json!({})), [""]);
        assert_eq!(problems(json!({"ids": [1]})), ["/ids/0"]);
        assert_eq!(problems(json!({"ids": [], "count": -1})), ["/count"]);
        assert_eq!(problems(json!({"ids": [], "wait": "PT1H"})), ["/wait"]);
    }

    #[test]
    fn paths_give_their_parameters() {
        let base = url::Url::parse("https://x.test/").unwrap();
        let url = url::Url::parse("https://x.test/api/v1/apps/a%2Fb%26%3D+/users/7:grant").unwrap();
        assert_eq!(
            match_path("/api/v1/apps/{app_id}/users/{id}:grant", &base, &url).unwrap(),
            [
                ("app_id".to_string(), "a/b&=+".to_string()),
                ("id".to_string(), "7".to_string())
            ]
        );
        assert!(match_path("/api/v1/apps/{app_id}", &base, &url).is_err());
    }
}
