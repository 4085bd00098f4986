//! The operations `c1 mcp serve` offers agents: the command-line crate's
//! `src/generated/tools.json`. For each operation, its name as the client spells it
//! (`personal_client.list`), the command that runs it, a one-line summary,
//! whether it only reads, how its pages are asked for, and the JSON Schema
//! of its arguments (the method's arguments and setters by their Rust
//! names, plus `body`), with the types they use as shared definitions that
//! the server inlines when an agent asks. It is read from the same model,
//! and the same command table, as the client and `c1`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use serde_json::{json, Map, Value};

use super::cli::first_paragraph;
use crate::error::Result;
use crate::file::GeneratedFile;
use crate::model::{
    Api, ArgSource, Field, Media, Operation, PageToken, Range, RustType, Scalar, Signature,
    TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::names::unraw;

/// The catalog's name in the command line's generated directory.
const NAME: &str = "tools.json";

/// Descriptions in schemas are cut to this many characters: an agent reads
/// every one of them in the schema it asks for.
const DESCRIPTION_CHARS: usize = 300;

/// How one argument of an operation is given to its command.
#[derive(Debug, Clone)]
pub struct ToolArg {
    /// The argument's or setter's Rust name, unraw (`type`, `page_size`).
    pub name: String,
    /// The command's argument id (`page-size`).
    pub id: String,
    /// A positional argument (the method's), not a flag (a setter's).
    pub positional: bool,
    /// A flag given once per item.
    pub list: bool,
}

/// One operation of the command table, as the catalog describes it.
#[derive(Debug)]
pub struct Entry<'a> {
    /// `group.method`, as `api.json` spells it.
    pub key: String,
    /// `c1 <group> <operation>`.
    pub command: [String; 2],
    /// The operation.
    pub op: &'a Operation,
    /// Its signature.
    pub signature: &'a Signature,
    /// How each argument and setter is given, in signature order.
    pub args: Vec<ToolArg>,
    /// The JSON name of its page's items, for an operation that pages.
    pub list: Option<String>,
}

/// `tools.json`: every operation of `entries`, and the definitions of
/// the types their arguments use.
pub fn file(api: &Api, entries: &[Entry]) -> Result<GeneratedFile> {
    let mut schemas = Schemas::new(api);
    let mut operations = Map::new();
    for entry in entries {
        operations.insert(entry.key.clone(), schemas.operation(entry));
    }
    let definitions = schemas.definitions();
    let generated_by = "cargo xtask codegen: the operations `c1 mcp serve` offers agents, read from the model the client and the commands come from";
    // One operation and one definition per line: compact in the binary
    // that embeds it, and its diffs still name what changed.
    let contents = format!(
        "{{\n\"generated_by\": {},\n\"operations\": {{\n{}\n}},\n\"definitions\": {{\n{}\n}}\n}}\n",
        compact(&json!(generated_by))?,
        per_line(&operations)?,
        per_line(&definitions)?,
    );
    Ok(GeneratedFile {
        path: PathBuf::from(super::cli::DIR).join(NAME),
        contents,
    })
}

/// The entries of a map, one `"key": value` per line.
fn per_line<'a>(entries: impl IntoIterator<Item = (&'a String, &'a Value)>) -> Result<String> {
    let lines = entries
        .into_iter()
        .map(|(key, value)| Ok(format!("{}: {}", compact(&json!(key))?, compact(value)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(lines.join(",\n"))
}

fn compact(value: &Value) -> Result<String> {
    serde_json::to_string(value).map_err(|e| {
        crate::model::model_error(
            &crate::error::Pointer::root(),
            format!("cannot write {NAME}: {e}"),
        )
    })
}

/// JSON Schemas of the model's types, each named type once, as a
/// definition (`#/$defs/Name`).
struct Schemas<'a> {
    api: &'a Api,
    by_name: HashMap<&'a str, TypeId>,
    /// The named types referred to so far.
    used: BTreeSet<TypeId>,
}

impl<'a> Schemas<'a> {
    fn new(api: &'a Api) -> Self {
        let by_name = api
            .types
            .iter()
            .enumerate()
            .map(|(i, def)| (def.name.as_str(), TypeId(i)))
            .collect();
        Schemas {
            api,
            by_name,
            used: BTreeSet::new(),
        }
    }

    /// One operation's entry: what it is, and its arguments' schema.
    fn operation(&mut self, entry: &Entry) -> Value {
        let op = entry.op;
        let doc = op.doc.as_deref().unwrap_or_default();
        let mut properties = Map::new();
        let mut required = Vec::new();
        let args = entry.signature.args.iter().chain(&entry.signature.setters);
        for (arg, given) in args.zip(&entry.args) {
            let schema = match arg.source {
                ArgSource::Param(i) => {
                    let param = &op.params[i];
                    described(self.rust(&arg.stored), param.doc.as_deref())
                }
                ArgSource::Body => self.body(op, &arg.stored),
            };
            properties.insert(given.name.clone(), schema);
            if given.positional {
                required.push(Value::String(given.name.clone()));
            }
        }
        let mut input = json!({"type": "object", "properties": properties});
        if !required.is_empty() {
            input["required"] = Value::Array(required);
        }
        input["additionalProperties"] = Value::Bool(false);
        // Flags that are false, and a page that is not, are left out (the
        // catalog is in the binary: every byte of it is in every install).
        let args: Vec<Value> = entry
            .args
            .iter()
            .map(|a| {
                let mut arg = json!({"name": a.name, "id": a.id});
                set_if(&mut arg, "positional", a.positional);
                set_if(&mut arg, "list", a.list);
                arg
            })
            .collect();
        let mut effect = json!({"kind": op.effect.kind.name()});
        for flag in op.effect.flags() {
            set_if(&mut effect, flag, true);
        }
        let mut entry_json = json!({
            "command": entry.command,
            "description": doc,
            "endpoint": format!("{} {}", op.method.to_uppercase(), op.path),
            "effect": effect,
            "args": args,
            "input": input,
        });
        // The summary, unless it is the description's first paragraph (as
        // the command line reads it back: up to the first blank line).
        let summary = summary(doc);
        if summary != doc.split("\n\n").next().unwrap_or_default() {
            entry_json["summary"] = Value::String(summary);
        }
        set_if(&mut entry_json, "deprecated", op.deprecated);
        let page = self.page(entry);
        if !page.is_null() {
            entry_json["page"] = page;
        }
        entry_json
    }

    /// A body argument's schema: its type's, or text for a text or binary body.
    fn body(&mut self, op: &Operation, stored: &RustType) -> Value {
        let media = op.body.as_ref().map(|b| &b.media);
        if let Some(Media::Text(media) | Media::Binary(media)) = media {
            return json!({"type": "string", "description": format!("The request body, as text ({media})")});
        }
        described(self.rust(stored), Some("The request body"))
    }

    /// How an operation that pages is asked for its next page: the JSON name
    /// of its items, and the arguments that take the page token and size
    /// (`page_token`, or `body.pageToken` for a token sent in the body).
    fn page(&self, entry: &Entry) -> Value {
        let Some(list) = &entry.list else {
            return Value::Null;
        };
        let op = entry.op;
        let Ok(Some(pagination)) = op.pagination.get("pagination") else {
            return Value::Null;
        };
        let setters = &entry.signature.setters;
        let offset = entry.signature.args.len();
        let setter = |pick: &dyn Fn(&crate::model::Arg) -> bool| {
            let found = setters.iter().position(pick)?;
            entry.args.get(offset + found).map(|a| a.name.clone())
        };
        let token = match &pagination.token {
            PageToken::Query(i) => setter(&|a| a.source == ArgSource::Param(*i)),
            PageToken::Body(field) => self.body_wire(op, field).map(|w| format!("body.{w}")),
        };
        let query = op.params.iter().find(|p| unraw(&p.name) == "page_size");
        let (size, range) = match (setter(&|a| unraw(&a.name) == "page_size"), query) {
            (Some(size), Some(param)) => (Some(size), param.range),
            _ => match self.body_field(op, "page_size") {
                Some(field) => (Some(format!("body.{}", field.wire_name)), field.range),
                None => (None, Range::default()),
            },
        };
        let mut page = json!({"list": list, "token": token, "size": size});
        // The page sizes a server takes, and the least page it serves.
        for (key, bound) in [
            ("size_min", range.min),
            ("size_max", range.max),
            ("least", range.least),
        ] {
            if let Some(bound) = bound {
                page[key] = json!(bound);
            }
        }
        page
    }

    /// The wire name of the body field with Rust name `field`.
    fn body_wire(&self, op: &Operation, field: &str) -> Option<String> {
        self.body_field(op, field).map(|f| f.wire_name.clone())
    }

    /// The body field with Rust name `field`.
    fn body_field(&self, op: &Operation, field: &str) -> Option<&'a Field> {
        let TypeRef::Named(id) = &op.body.as_ref()?.ty else {
            return None;
        };
        let TypeKind::Struct(st) = &self.api.types[id.0].kind else {
            return None;
        };
        st.fields.iter().find(|f| f.name == field)
    }

    /// The schema of a type as the client keeps it.
    fn rust(&mut self, ty: &RustType) -> Value {
        match ty {
            RustType::Scalar(s) => scalar(*s),
            RustType::Named(name) => match self.by_name.get(name.as_str()) {
                Some(id) => self.named(*id),
                None => json!({}),
            },
            RustType::Vec(item) => json!({"type": "array", "items": self.rust(item)}),
            RustType::Map(value) => {
                json!({"type": "object", "additionalProperties": self.rust(value)})
            }
            RustType::Option(inner) | RustType::Box(inner) | RustType::Into(inner) => {
                self.rust(inner)
            }
            RustType::Unit => json!({"type": "object"}),
        }
    }

    /// The schema of a type of the model.
    fn type_ref(&mut self, ty: &TypeRef) -> Value {
        match ty {
            TypeRef::Scalar(s) => scalar(*s),
            TypeRef::Vec(item) => json!({"type": "array", "items": self.type_ref(item)}),
            TypeRef::Map(value) => {
                json!({"type": "object", "additionalProperties": self.type_ref(value)})
            }
            TypeRef::Named(id) => self.named(*id),
        }
    }

    fn named(&mut self, id: TypeId) -> Value {
        self.used.insert(id);
        json!({"$ref": format!("#/$defs/{}", self.api.types[id.0].name)})
    }

    /// Every type referred to, and every type those refer to, by name.
    fn definitions(&mut self) -> BTreeMap<String, Value> {
        let mut done = BTreeMap::new();
        let mut defined = BTreeSet::new();
        while let Some(id) = self.used.difference(&defined).next().copied() {
            defined.insert(id);
            let def = &self.api.types[id.0];
            let schema = self.definition(def);
            done.insert(def.name.clone(), schema);
        }
        done
    }

    /// A named type's schema, as sent: read-only fields left out.
    fn definition(&mut self, def: &TypeDef) -> Value {
        let schema = match &def.kind {
            TypeKind::Struct(st) => {
                let mut properties = Map::new();
                let mut required = Vec::new();
                for field in st.fields.iter().filter(|f| !f.read_only) {
                    let schema = described(self.type_ref(&field.ty), field.doc.as_deref());
                    properties.insert(field.wire_name.clone(), schema);
                    if field.required {
                        required.push(Value::String(field.wire_name.clone()));
                    }
                }
                let mut schema = json!({"type": "object", "properties": properties});
                if !required.is_empty() {
                    schema["required"] = Value::Array(required);
                }
                schema
            }
            TypeKind::Enum(variants) => {
                let values: Vec<&str> = variants.iter().map(|v| v.wire_name.as_str()).collect();
                json!({"type": "string", "enum": values})
            }
            TypeKind::Alias(inner) => self.type_ref(inner),
            TypeKind::AnyMessage(messages) => {
                let urls: Vec<String> = messages
                    .iter()
                    .map(|m| format!("type.googleapis.com/{}", m.full_name))
                    .collect();
                json!({
                    "type": "object",
                    "description": "A protobuf Any: `@type` names the message; the other properties are that message's",
                    "properties": {"@type": {"type": "string", "enum": urls}},
                    "required": ["@type"],
                })
            }
            TypeKind::Union(union) => {
                let members: Vec<Value> = union
                    .variants
                    .iter()
                    .map(|v| self.type_ref(&v.ty))
                    .collect();
                json!({"anyOf": members})
            }
        };
        described(schema, def.doc.as_deref())
    }
}

/// `schema` with `doc`'s first paragraph as its description, unless it has
/// one or the paragraph only names the field (`The appId field.`, as
/// protobuf generators write it: 843 of them, which tell an agent nothing
/// the property's name does not).
fn described(mut schema: Value, doc: Option<&str>) -> Value {
    let text = doc.map(|d| cut(&first_paragraph(d), DESCRIPTION_CHARS));
    let names_only = |text: &str| {
        let name = text
            .strip_prefix("The ")
            .and_then(|t| t.strip_suffix(" field."));
        name.is_some_and(|name| !name.contains(char::is_whitespace))
    };
    if let (Some(object), Some(text)) = (schema.as_object_mut(), text) {
        if !text.is_empty() && !names_only(&text) && !object.contains_key("description") {
            object.insert("description".into(), Value::String(text));
        }
    }
    schema
}

/// The schema of a value with no name of its own, as sent.
fn scalar(s: Scalar) -> Value {
    match s {
        Scalar::Bool => json!({"type": "boolean"}),
        Scalar::I32 | Scalar::I64 => json!({"type": "integer"}),
        Scalar::U32 | Scalar::U64 => json!({"type": "integer", "minimum": 0}),
        Scalar::F32 | Scalar::F64 => json!({"type": "number"}),
        Scalar::String => json!({"type": "string"}),
        Scalar::DateTime => json!({"type": "string", "format": "date-time"}),
        Scalar::I64Str | Scalar::U64Str => {
            json!({"type": "string", "pattern": "^-?[0-9]+$", "description": "A 64-bit integer, as a string"})
        }
        Scalar::Duration => {
            json!({"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?s$", "description": "A duration in seconds: `3600s`"})
        }
        Scalar::Bytes | Scalar::File => json!({"type": "string", "contentEncoding": "base64"}),
        Scalar::Any => json!({}),
        Scalar::Object => json!({"type": "object"}),
        Scalar::AnyMessage => json!({
            "type": "object",
            "description": "A protobuf Any: `@type` names the message; the other properties are that message's",
            "properties": {"@type": {"type": "string"}},
        }),
    }
}

/// An operation's one-line summary: its description's first sentence.
fn summary(doc: &str) -> String {
    let first = first_paragraph(doc);
    let sentence = match first.find(". ") {
        Some(end) => &first[..=end],
        None => first.as_str(),
    };
    cut(sentence, 160)
}

/// Sets `key` to `true` on `object` when `on`; a false flag is left out.
fn set_if(object: &mut Value, key: &str, on: bool) {
    if on {
        object[key] = Value::Bool(true);
    }
}

/// `text`, cut at a word to at most `max` characters (with `…`).
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max).collect();
    let at_word = kept.rfind(' ').map_or(kept.as_str(), |i| &kept[..i]);
    format!("{}…", at_word.trim_end_matches([',', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_that_only_names_the_field_is_left_out() {
        let plain = json!({"type": "string"});
        let empty = described(plain.clone(), Some("The appId field."));
        assert_eq!(empty, plain);
        let said = described(plain.clone(), Some("The ID of the app field."));
        assert_eq!(said["description"], "The ID of the app field.");
        let said = described(plain, Some("The appId field.\n\nMore words."));
        assert_eq!(
            said.get("description"),
            None,
            "the first paragraph names it only"
        );
    }
}
