//! Stage 2, normalize: rewrite each document into one canonical form.
//!
//! The canonical form is OpenAPI 3.0 as the `openapiv3` crate reads it. Every
//! spelling of "X or null" becomes one:
//!
//! - `type: [T, 'null']` (in any order) becomes `type: T` with
//!   `nullable: true`, and `type: [T, U]` becomes `anyOf: [{type: T}, {type: U}]`;
//! - `oneOf`/`anyOf` of alternatives plus a null member (`{type: 'null'}`, or
//!   `{nullable: true}` alone), in any order, loses the null member and gains
//!   `nullable: true`; a single remaining alternative is that schema;
//! - `allOf` of exactly one schema, beside nothing but annotations
//!   (`nullable`, `description`, `title`, `readOnly`, `deprecated`, ...), is
//!   that schema with those annotations;
//! - a `$ref` with annotations (3.1 siblings, or any of the above that led
//!   to one) is `allOf: [{$ref}]` beside them, the only 3.0 spelling of a
//!   reference with annotations of its use site; a `$ref` with none is bare;
//! - `nullable` is `true` whatever version the document declares, and a path
//!   parameter, which is never null, loses it.
//!
//! Besides:
//!
//! - `nullable: false`, `readOnly: false`, `writeOnly: false` and
//!   `deprecated: false` (defaults) vanish;
//! - `const: v` becomes `enum: [v]` (with the type of `v` when none is given);
//! - numeric 3.1 `exclusiveMinimum`/`exclusiveMaximum` become `minimum`/`maximum`
//!   with the 3.0 boolean flag;
//! - schema `examples: [...]` becomes `example` (the first one);
//! - `$schema`, `$id` and `$comment` vanish;
//! - the `openapi` version becomes `3.0.3`.
//!
//! Normalizing a normalized document changes nothing.

use serde_json::{Map, Value};

use crate::error::{Error, Pointer, Result};
use crate::load::SourceDocument;

/// The version every normalized document declares.
pub const CANONICAL_VERSION: &str = "3.0.3";

/// HTTP methods of an OpenAPI path item.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A document in canonical form, known to parse as [`openapiv3::OpenAPI`].
#[derive(Debug, Clone)]
pub struct NormalizedDocument {
    /// The file it came from.
    pub name: String,
    /// The canonical document.
    pub value: Value,
}

/// Normalizes one document and checks that the result is OpenAPI.
pub fn normalize(doc: &SourceDocument) -> Result<NormalizedDocument> {
    check_version(doc)?;
    let mut value = doc.value.clone();
    normalize_document(&mut value);
    parse_openapi(&doc.name, &value)?;
    Ok(NormalizedDocument {
        name: doc.name.clone(),
        value,
    })
}

fn check_version(doc: &SourceDocument) -> Result<()> {
    let invalid = |pointer: &str, message: String| Error::Invalid {
        line: None,
        file: doc.name.clone(),
        pointer: pointer.to_string(),
        message,
    };
    let Some(root) = doc.value.as_object() else {
        return Err(invalid(
            "/",
            "not an OpenAPI document (expected a mapping at the top level)".into(),
        ));
    };
    if root.contains_key("swagger") {
        return Err(invalid(
            "/swagger",
            "Swagger 2.0 is not supported; convert the document to OpenAPI 3".into(),
        ));
    }
    match root.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") || v.starts_with("3.1.") => Ok(()),
        Some(v) => Err(invalid(
            "/openapi",
            format!("unsupported OpenAPI version `{v}` (3.0.x and 3.1.x are supported)"),
        )),
        None => Err(invalid(
            "/openapi",
            "not an OpenAPI document (no `openapi` version string)".into(),
        )),
    }
}

/// Parses a canonical document into `openapiv3`'s model, reporting the JSON
/// pointer of the first node that does not fit.
pub fn parse_openapi(file: &str, value: &Value) -> Result<openapiv3::OpenAPI> {
    use serde::Deserialize;
    // The fast way first; only a document that fails is read again to find where.
    if let Ok(api) = openapiv3::OpenAPI::deserialize(value) {
        return Ok(api);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut pointer = Pointer::root();
        for segment in e.path().iter() {
            pointer = match segment {
                serde_path_to_error::Segment::Seq { index } => pointer.index(*index),
                serde_path_to_error::Segment::Map { key } => pointer.push(key),
                serde_path_to_error::Segment::Enum { variant } => pointer.push(variant),
                serde_path_to_error::Segment::Unknown => pointer,
            };
        }
        Error::Invalid {
            line: None,
            file: file.to_string(),
            pointer: pointer.to_string(),
            message: e.into_inner().to_string(),
        }
    })
}

/// Rewrites a whole document in place into the canonical form.
pub fn normalize_document(root: &mut Value) {
    let Some(root) = root.as_object_mut() else {
        return;
    };
    root.insert("openapi".into(), Value::from(CANONICAL_VERSION));
    root.shift_remove("jsonSchemaDialect");
    // 3.1 documents of webhooks or models only may have no `paths`.
    if !root.contains_key("paths") {
        root.insert("paths".into(), Value::Object(Map::new()));
    }
    if let Some(defs) = root.get_mut("$defs").and_then(Value::as_object_mut) {
        defs.values_mut().for_each(schema);
    }
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        paths.values_mut().for_each(path_item);
    }
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        let each = |components: &mut Map<String, Value>, kind: &str, f: fn(&mut Value)| {
            if let Some(map) = components.get_mut(kind).and_then(Value::as_object_mut) {
                map.values_mut().for_each(f);
            }
        };
        each(components, "schemas", schema);
        each(components, "parameters", parameter);
        each(components, "headers", parameter);
        each(components, "requestBodies", content_holder);
        each(components, "responses", response);
    }
}

fn path_item(item: &mut Value) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for (key, value) in item.iter_mut() {
        if key == "parameters" {
            each_in_array(value, parameter);
        } else if METHODS.contains(&key.as_str()) {
            operation(value);
        }
    }
}

fn operation(op: &mut Value) {
    let Some(op) = op.as_object_mut() else {
        return;
    };
    if let Some(params) = op.get_mut("parameters") {
        each_in_array(params, parameter);
    }
    if let Some(body) = op.get_mut("requestBody") {
        content_holder(body);
    }
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
        responses.values_mut().for_each(response);
    }
}

/// A parameter or header: a `schema`, or `content` with schemas.
/// A parameter or header: a `schema`, or `content` with schemas. A path
/// parameter is never null: `nullable` on it or its schema is dropped.
fn parameter(param: &mut Value) {
    let in_path = param.get("in").and_then(Value::as_str) == Some("path");
    if let Some(s) = param.get_mut("schema") {
        if in_path {
            if let Some(obj) = s.as_object_mut() {
                obj.shift_remove("nullable");
            }
        }
        schema(s);
        if in_path {
            // A nullable reference was `allOf: [$ref]`; without `nullable`
            // it may now be the reference alone.
            if let Some(obj) = s.as_object_mut() {
                if obj.shift_remove("nullable").is_some() {
                    unwrap_single_all_of(obj);
                }
            }
        }
    }
    if in_path {
        if let Some(obj) = param.as_object_mut() {
            obj.shift_remove("nullable");
        }
    }
    content_holder(param);
}

fn response(resp: &mut Value) {
    content_holder(resp);
    if let Some(headers) = resp.get_mut("headers").and_then(Value::as_object_mut) {
        headers.values_mut().for_each(parameter);
    }
}

/// Normalizes the schema of every media type under `content`.
fn content_holder(holder: &mut Value) {
    if let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) {
        for media in content.values_mut() {
            if let Some(s) = media.get_mut("schema") {
                schema(s);
            }
        }
    }
}

fn each_in_array(value: &mut Value, f: fn(&mut Value)) {
    if let Some(items) = value.as_array_mut() {
        items.iter_mut().for_each(f);
    }
}

/// Normalizes one schema object and, first, every schema nested in it.
pub fn schema(value: &mut Value) {
    let Some(obj) = value.as_object_mut() else {
        return;
    };
    normalize_children(obj);
    for key in ["$schema", "$id", "$comment"] {
        obj.shift_remove(key);
    }
    split_type_array(obj);
    integer_formats(obj);
    drop_false_defaults(obj);
    json_schema_keywords(obj);
    const_to_enum(obj);
    exclusive_bounds(obj);
    examples_to_example(obj);
    drop_null_alternative(obj);
    unwrap_single_all_of(obj);
    wrap_ref_with_annotations(obj);
}

fn normalize_children(obj: &mut Map<String, Value>) {
    for key in ["items", "not", "additionalProperties"] {
        if let Some(child) = obj.get_mut(key) {
            schema(child);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = obj.get_mut(key) {
            each_in_array(list, schema);
        }
    }
    for key in ["properties", "$defs"] {
        if let Some(map) = obj.get_mut(key).and_then(Value::as_object_mut) {
            map.values_mut().for_each(schema);
        }
    }
    if let Some(list) = obj.get_mut("prefixItems") {
        each_in_array(list, schema);
    }
}

/// The extension that lists the 3.1 keywords of a schema that the model
/// ignores, so that it can warn where the schema is used.
pub const IGNORED_KEYWORDS: &str = "x-c1-ignored-keywords";

/// JSON Schema keywords 3.0 does not have:
/// - `unevaluatedProperties` becomes `additionalProperties` (where that is
///   not given), which is what it means for a schema without `allOf`;
/// - `contentEncoding: base64` on a string becomes `format: byte`;
/// - `prefixItems` (a tuple) whose items all have one schema becomes
///   `items`;
/// - any other `prefixItems` or `contentEncoding` is removed and named in
///   [`IGNORED_KEYWORDS`].
fn json_schema_keywords(obj: &mut Map<String, Value>) {
    let mut ignored = Vec::new();
    if let Some(unevaluated) = obj.shift_remove("unevaluatedProperties") {
        if !obj.contains_key("additionalProperties") {
            obj.insert("additionalProperties".into(), unevaluated);
        }
    }
    if let Some(encoding) = obj.shift_remove("contentEncoding") {
        let base64 = matches!(encoding.as_str(), Some("base64" | "base64url"));
        if base64 && !obj.contains_key("format") {
            obj.insert("format".into(), Value::from("byte"));
        } else if !base64 {
            ignored.push(Value::from("contentEncoding"));
        }
    }
    if let Some(Value::Array(items)) = obj.shift_remove("prefixItems") {
        let same = items
            .first()
            .filter(|first| items.iter().all(|i| i == *first));
        match same {
            Some(item) if !obj.contains_key("items") => {
                obj.insert("items".into(), item.clone());
            }
            _ => ignored.push(Value::from("prefixItems")),
        }
    }
    if !ignored.is_empty() {
        obj.insert(IGNORED_KEYWORDS.into(), Value::Array(ignored));
    }
}

/// `type: [T, 'null']` -> `type: T, nullable: true`.
fn split_type_array(obj: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = obj.get("type") else {
        return;
    };
    let has_null = types.iter().any(|t| t == "null");
    let others: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
    match others.len() {
        // `type: ['null']`: only null, which 3.0 cannot say otherwise.
        0 => {
            obj.shift_remove("type");
        }
        1 => {
            obj.insert("type".into(), others[0].clone());
        }
        // Several types: a union of one schema per type.
        _ => {
            obj.shift_remove("type");
            let alternatives = others
                .into_iter()
                .map(|t| Value::Object(Map::from_iter([("type".to_string(), t)])));
            obj.insert("anyOf".into(), Value::Array(alternatives.collect()));
        }
    }
    if has_null {
        obj.insert("nullable".into(), Value::Bool(true));
    }
}

/// The formats that make a number an integer.
const INTEGER_FORMATS: [&str; 8] = [
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
];

/// `type: number` with an integer format (`int32`, `uint64`, ...), as older
/// protobuf generators wrote page sizes and counts, is `type: integer`.
fn integer_formats(obj: &mut Map<String, Value>) {
    let integer_format = obj
        .get("format")
        .and_then(Value::as_str)
        .is_some_and(|f| INTEGER_FORMATS.contains(&f));
    if integer_format && obj.get("type").and_then(Value::as_str) == Some("number") {
        obj.insert("type".into(), Value::from("integer"));
    }
}

fn drop_false_defaults(obj: &mut Map<String, Value>) {
    for key in ["nullable", "readOnly", "writeOnly", "deprecated"] {
        if obj.get(key) == Some(&Value::Bool(false)) {
            obj.shift_remove(key);
        }
    }
}

fn const_to_enum(obj: &mut Map<String, Value>) {
    let Some(value) = obj.shift_remove("const") else {
        return;
    };
    if !obj.contains_key("type") {
        let ty = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            _ => None,
        };
        if let Some(ty) = ty {
            obj.insert("type".into(), Value::from(ty));
        }
    }
    obj.insert("enum".into(), Value::Array(vec![value]));
}

/// 3.1 `exclusiveMinimum: 5` -> 3.0 `minimum: 5, exclusiveMinimum: true`.
fn exclusive_bounds(obj: &mut Map<String, Value>) {
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n @ Value::Number(_)) = obj.get(exclusive).cloned() {
            obj.insert(bound.into(), n);
            obj.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

fn examples_to_example(obj: &mut Map<String, Value>) {
    if !matches!(obj.get("examples"), Some(Value::Array(_))) {
        return;
    }
    if let Some(Value::Array(examples)) = obj.shift_remove("examples") {
        if let Some(first) = examples.into_iter().next() {
            obj.entry("example").or_insert(first);
        }
    }
}

/// The null member of a `oneOf`/`anyOf`: `{type: 'null'}`, or `{nullable: true}`
/// alone as some tools write it (normalized first, `{type: ['null']}` is the latter).
fn is_null_schema(value: &Value) -> bool {
    value.as_object().is_some_and(|o| {
        !o.is_empty()
            && o.iter().all(|(k, v)| match k.as_str() {
                "type" => v == "null",
                "nullable" => v == true,
                _ => false,
            })
    })
}

/// `oneOf: [X, {type: 'null'}]` -> `X` made nullable.
fn drop_null_alternative(obj: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(alternatives)) = obj.get(key) else {
            continue;
        };
        if !alternatives.iter().any(is_null_schema) {
            continue;
        }
        let rest: Vec<Value> = alternatives
            .iter()
            .filter(|a| !is_null_schema(a))
            .cloned()
            .collect();
        obj.insert("nullable".into(), Value::Bool(true));
        match <[Value; 1]>::try_from(rest) {
            Ok([single]) => {
                obj.shift_remove(key);
                absorb(obj, single);
            }
            Err(rest) => {
                obj.insert(key.into(), Value::Array(rest));
            }
        }
    }
}

/// Keywords that describe a use of a schema rather than its shape: beside a
/// single `allOf` member or a `$ref` they annotate it, and change no type.
fn is_annotation(key: &str) -> bool {
    matches!(
        key,
        "nullable"
            | "description"
            | "title"
            | "readOnly"
            | "writeOnly"
            | "deprecated"
            | "example"
            | "default"
            | "externalDocs"
    ) || key.starts_with("x-")
}

/// `allOf: [X]` beside annotations only -> `X` with those annotations (and
/// again, while `X` was itself such a wrapper).
fn unwrap_single_all_of(obj: &mut Map<String, Value>) {
    loop {
        let single = matches!(obj.get("allOf"), Some(Value::Array(all)) if all.len() == 1);
        if !single || !obj.keys().all(|k| k == "allOf" || is_annotation(k)) {
            return;
        }
        match obj.shift_remove("allOf") {
            Some(Value::Array(mut all)) => match all.pop() {
                Some(member) => absorb(obj, member),
                None => return,
            },
            _ => return,
        }
    }
}

/// Puts the keywords of `member` into `obj`, the schema it stands in for:
/// a flag (`nullable`, `readOnly`, ...) is set when either sets it; for
/// anything else `obj`, the use site, wins.
fn absorb(obj: &mut Map<String, Value>, member: Value) {
    let Value::Object(member) = member else {
        return;
    };
    for (key, value) in member {
        if is_flag(&key) {
            if value == true {
                obj.insert(key, value);
            }
        } else {
            obj.entry(key).or_insert(value);
        }
    }
}

fn is_flag(key: &str) -> bool {
    matches!(key, "nullable" | "readOnly" | "writeOnly" | "deprecated")
}

/// `{$ref: X, description: ...}` -> `{allOf: [{$ref: X}], description: ...}`,
/// since a 3.0 reference object has no siblings.
pub(crate) fn wrap_ref_with_annotations(obj: &mut Map<String, Value>) {
    if obj.len() < 2 {
        return;
    }
    let Some(target) = obj.shift_remove("$ref") else {
        return;
    };
    let reference = Value::Object(Map::from_iter([("$ref".to_string(), target)]));
    match obj.get_mut("allOf") {
        Some(Value::Array(all)) => all.insert(0, reference),
        _ => {
            obj.insert("allOf".into(), Value::Array(vec![reference]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn norm(mut v: Value) -> Value {
        schema(&mut v);
        v
    }

    #[test]
    fn a_number_with_an_integer_format_is_an_integer() {
        for format in ["int32", "int64", "uint32", "uint64"] {
            assert_eq!(
                norm(json!({"type": "number", "format": format})),
                json!({"type": "integer", "format": format})
            );
        }
        assert_eq!(
            norm(json!({"type": ["number", "null"], "format": "int32"})),
            json!({"type": "integer", "format": "int32", "nullable": true})
        );
        for other in [
            json!({"type": "number", "format": "double"}),
            json!({"type": "number"}),
        ] {
            assert_eq!(norm(other.clone()), other);
        }
    }

    #[test]
    fn json_schema_keywords_are_used_where_3_0_can_say_them() {
        assert_eq!(
            norm(
                json!({"type": "object", "unevaluatedProperties": false, "properties": {"b": {"type": "string", "contentEncoding": "base64"}}})
            ),
            json!({"type": "object", "properties": {"b": {"type": "string", "format": "byte"}}, "additionalProperties": false})
        );
        assert_eq!(
            norm(
                json!({"type": "array", "prefixItems": [{"type": ["string", "null"]}, {"type": ["null", "string"]}]})
            ),
            json!({"type": "array", "items": {"type": "string", "nullable": true}})
        );
        assert_eq!(
            norm(
                json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]})
            ),
            json!({"type": "array", "x-c1-ignored-keywords": ["prefixItems"]})
        );
        assert_eq!(
            norm(json!({"type": "string", "contentEncoding": "quoted-printable"})),
            json!({"type": "string", "x-c1-ignored-keywords": ["contentEncoding"]})
        );
        assert_eq!(
            norm(json!({"$defs": {"a": {"const": 3}}, "properties": {"x": {"$ref": "#/$defs/a"}}})),
            json!({"$defs": {"a": {"type": "integer", "enum": [3]}}, "properties": {"x": {"$ref": "#/$defs/a"}}})
        );
    }

    #[test]
    fn a_document_without_paths_gets_empty_ones_and_root_defs_are_normalized() {
        let mut doc = json!({"openapi": "3.1.0", "$defs": {"n": {"type": ["integer", "null"]}}});
        normalize_document(&mut doc);
        assert_eq!(doc["paths"], json!({}));
        assert_eq!(
            doc["$defs"]["n"],
            json!({"type": "integer", "nullable": true})
        );
    }

    #[test]
    fn type_array_with_null_becomes_nullable() {
        assert_eq!(
            norm(json!({"type": ["string", "null"], "format": "date-time"})),
            json!({"type": "string", "format": "date-time", "nullable": true})
        );
        assert_eq!(
            norm(json!({"type": ["null", "array"], "items": {"type": "string"}})),
            json!({"type": "array", "items": {"type": "string"}, "nullable": true})
        );
    }

    #[test]
    fn type_array_with_two_real_types_becomes_a_union() {
        assert_eq!(
            norm(json!({"type": ["string", "integer", "null"]})),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn one_of_ref_and_null_becomes_nullable_all_of() {
        assert_eq!(
            norm(json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})),
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(
            norm(
                json!({"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/A"}], "description": "d"})
            ),
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
    }

    #[test]
    fn one_of_inline_and_null_inlines_the_schema() {
        assert_eq!(
            norm(json!({"oneOf": [{"type": "string"}, {"type": "null"}]})),
            json!({"nullable": true, "type": "string"})
        );
    }

    #[test]
    fn one_of_several_and_null_keeps_the_others() {
        assert_eq!(
            norm(json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})),
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn false_defaults_vanish() {
        assert_eq!(
            norm(
                json!({"type": "string", "readOnly": false, "writeOnly": false, "nullable": false})
            ),
            json!({"type": "string"})
        );
        assert_eq!(
            norm(json!({"type": "string", "readOnly": true})),
            json!({"type": "string", "readOnly": true})
        );
    }

    #[test]
    fn const_is_a_one_value_enum() {
        assert_eq!(
            norm(json!({"const": "x"})),
            json!({"type": "string", "enum": ["x"]})
        );
        assert_eq!(
            norm(json!({"type": "integer", "const": 3})),
            json!({"type": "integer", "enum": [3]})
        );
    }

    #[test]
    fn numeric_exclusive_bounds_become_3_0_flags() {
        assert_eq!(
            norm(json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10})),
            json!({"type": "integer", "exclusiveMinimum": true, "exclusiveMaximum": true, "minimum": 0, "maximum": 10})
        );
        let already = json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true});
        assert_eq!(norm(already.clone()), already);
    }

    #[test]
    fn examples_array_becomes_example() {
        assert_eq!(
            norm(json!({"type": "string", "examples": ["a", "b"]})),
            json!({"type": "string", "example": "a"})
        );
    }

    #[test]
    fn schema_dialect_keywords_vanish() {
        assert_eq!(
            norm(
                json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "x", "$comment": "c", "type": "string"})
            ),
            json!({"type": "string"})
        );
    }

    #[test]
    fn ref_with_siblings_is_wrapped_in_all_of() {
        assert_eq!(
            norm(json!({"$ref": "#/components/schemas/A", "description": "d"})),
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        let bare = json!({"$ref": "#/components/schemas/A"});
        assert_eq!(norm(bare.clone()), bare);
    }

    const A: &str = "#/components/schemas/A";

    /// Every spelling of "a reference to A, or null", each with the
    /// annotation of its use site, is the one canonical wrapper.
    #[test]
    fn every_spelling_of_a_nullable_reference_is_one_form() {
        let canonical = json!({"description": "d", "nullable": true, "allOf": [{"$ref": A}]});
        let null_type = json!({"type": "null"});
        let null_alone = json!({"nullable": true});
        let null_3_1 = json!({"type": ["null"]});
        let spellings = [
            json!({"oneOf": [{"$ref": A}, null_type], "description": "d"}),
            json!({"anyOf": [null_type, {"$ref": A}], "description": "d"}),
            json!({"oneOf": [null_alone, {"$ref": A}], "description": "d"}),
            json!({"anyOf": [{"$ref": A}, null_3_1], "description": "d"}),
            json!({"allOf": [{"$ref": A}], "nullable": true, "description": "d"}),
            json!({"$ref": A, "nullable": true, "description": "d"}),
            json!({"allOf": [{"$ref": A, "description": "d"}], "nullable": true}),
            json!({"allOf": [{"allOf": [{"$ref": A}], "description": "d"}], "nullable": true}),
            json!({"oneOf": [{"$ref": A, "description": "d"}, null_type]}),
        ];
        for spelling in spellings {
            assert_eq!(norm(spelling.clone()), canonical, "{spelling}");
        }
    }

    #[test]
    fn every_spelling_of_a_nullable_inline_schema_is_one_form() {
        let canonical =
            json!({"type": "string", "format": "date-time", "readOnly": true, "nullable": true});
        let spellings = [
            json!({"type": ["string", "null"], "format": "date-time", "readOnly": true}),
            json!({"type": ["null", "string"], "format": "date-time", "readOnly": true}),
            json!({"type": "string", "format": "date-time", "readOnly": true, "nullable": true}),
            json!({"allOf": [{"type": "string", "format": "date-time", "readOnly": true}], "nullable": true}),
            json!({"allOf": [{"type": "string", "format": "date-time"}], "nullable": true, "readOnly": true}),
            json!({"oneOf": [{"type": "string", "format": "date-time", "readOnly": true}, {"type": "null"}]}),
            json!({"anyOf": [{"nullable": true}, {"type": "string", "format": "date-time"}], "readOnly": true}),
        ];
        for spelling in spellings {
            assert_eq!(norm(spelling.clone()), canonical, "{spelling}");
        }
    }

    #[test]
    fn single_all_of_without_annotations_is_its_member() {
        assert_eq!(norm(json!({"allOf": [{"$ref": A}]})), json!({"$ref": A}));
        assert_eq!(
            norm(json!({"allOf": [{"type": "object", "properties": {"x": {"type": "string"}}}]})),
            json!({"type": "object", "properties": {"x": {"type": "string"}}})
        );
    }

    #[test]
    fn use_site_annotations_win_over_the_members() {
        assert_eq!(
            norm(
                json!({"allOf": [{"type": "string", "description": "inner", "readOnly": true}], "description": "outer"})
            ),
            json!({"description": "outer", "type": "string", "readOnly": true})
        );
    }

    #[test]
    fn composition_with_a_shape_beside_it_stays_composition() {
        let extended = json!({"allOf": [{"$ref": A}], "properties": {"x": {"type": "string"}}});
        assert_eq!(norm(extended.clone()), extended);
        let two =
            json!({"allOf": [{"$ref": A}, {"$ref": "#/components/schemas/B"}], "nullable": true});
        assert_eq!(norm(two.clone()), two);
    }

    #[test]
    fn false_flags_vanish_even_deprecated() {
        assert_eq!(
            norm(json!({"type": "string", "deprecated": false})),
            json!({"type": "string"})
        );
    }

    #[test]
    fn path_parameters_are_never_null() {
        let mut doc = json!({"openapi": "3.1.0", "paths": {"/a/{id}/{kind}": {"get": {"parameters": [
            {"name": "id", "in": "path", "required": true, "nullable": true, "schema": {"type": ["string", "null"]}},
            {"name": "kind", "in": "path", "required": true, "schema": {"allOf": [{"$ref": A}], "nullable": true}},
            {"name": "q", "in": "query", "schema": {"type": "string", "nullable": true}},
        ]}}}});
        normalize_document(&mut doc);
        let params = &doc["paths"]["/a/{id}/{kind}"]["get"]["parameters"];
        assert_eq!(
            params[0],
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}})
        );
        assert_eq!(params[1]["schema"], json!({"$ref": A}));
        assert_eq!(
            params[2]["schema"],
            json!({"type": "string", "nullable": true}),
            "a query parameter may be null"
        );
    }

    #[test]
    fn nested_schemas_are_normalized() {
        assert_eq!(
            norm(
                json!({"type": "object", "properties": {"a": {"type": ["string", "null"]}},
                "additionalProperties": {"type": ["integer", "null"]},
                "items": {"readOnly": false}})
            ),
            json!({"type": "object", "properties": {"a": {"type": "string", "nullable": true}},
                "additionalProperties": {"type": "integer", "nullable": true},
                "items": {}})
        );
    }

    #[test]
    fn document_positions_are_all_visited() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": ["string", "null"]}}],
                "post": {
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "string", "readOnly": false}}],
                    "requestBody": {"content": {"application/json": {"schema": {"const": "x"}}}},
                    "responses": {"200": {"description": "ok",
                        "headers": {"h": {"schema": {"type": ["integer", "null"]}}},
                        "content": {"application/json": {"schema": {"type": ["string", "null"]}}}}}
                }
            }},
            "components": {"schemas": {"S": {"type": ["string", "null"]}}}
        });
        normalize_document(&mut doc);
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(
            doc.pointer("/paths/~1a~1{id}/parameters/0/schema"),
            Some(&json!({"type": "string"})),
            "a path parameter is never null"
        );
        assert_eq!(
            doc.pointer("/paths/~1a~1{id}/post/parameters/0/schema"),
            Some(&json!({"type": "string"}))
        );
        assert_eq!(
            doc.pointer("/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/enum"),
            Some(&json!(["x"]))
        );
        assert_eq!(
            doc.pointer("/paths/~1a~1{id}/post/responses/200/headers/h/schema/nullable"),
            Some(&json!(true))
        );
        assert_eq!(
            doc.pointer(
                "/paths/~1a~1{id}/post/responses/200/content/application~1json/schema/nullable"
            ),
            Some(&json!(true))
        );
        assert_eq!(
            doc.pointer("/components/schemas/S"),
            Some(&json!({"type": "string", "nullable": true}))
        );
    }

    #[test]
    fn normalizing_twice_changes_nothing() {
        let mut once = json!({"openapi": "3.1.0", "components": {"schemas": {
            "A": {"oneOf": [{"$ref": "#/components/schemas/B"}, {"type": "null"}], "description": "x"},
            "B": {"type": ["object", "null"], "properties": {"c": {"const": 1, "examples": [1]}}},
            "C": {"$ref": "#/components/schemas/B", "readOnly": true},
        }}});
        normalize_document(&mut once);
        let mut twice = once.clone();
        normalize_document(&mut twice);
        assert_eq!(once, twice);
    }

    fn source(yaml: &str) -> SourceDocument {
        SourceDocument::parse("t.yaml", yaml).unwrap()
    }

    #[test]
    fn rejects_swagger_2() {
        let err = normalize(&source(
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}",
        ))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.yaml: /swagger: Swagger 2.0 is not supported; convert the document to OpenAPI 3"
        );
    }

    #[test]
    fn rejects_unsupported_versions_and_non_documents() {
        let err = normalize(&source(
            "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}",
        ))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.yaml: /openapi: unsupported OpenAPI version `4.0.0` (3.0.x and 3.1.x are supported)"
        );
        let err = normalize(&source("- a\n- b")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.yaml: /: not an OpenAPI document (expected a mapping at the top level)"
        );
        let err = normalize(&source("name: x")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.yaml: /openapi: not an OpenAPI document (no `openapi` version string)"
        );
    }

    #[test]
    fn result_that_is_not_openapi_names_the_pointer() {
        let err = normalize(&source("openapi: 3.1.0\ninfo: {title: t}\npaths: {}")).unwrap_err();
        assert_eq!(err.to_string(), "t.yaml: /info: missing field `version`");
    }
}
