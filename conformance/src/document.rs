//! The OpenAPI document, read as JSON: its operations, their parameters,
//! bodies and answers, and its component schemas.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::Error;

/// The methods an OpenAPI path item may hold operations under.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A whole OpenAPI document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document as JSON.
    pub root: Value,
}

/// One operation, as the document describes it.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`.
    pub id: String,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path template (`/api/v1/apps/{id}`).
    pub path: String,
    /// Its parameters (the path item's, then the operation's).
    pub params: Vec<Param>,
    /// The JSON request body's schema.
    pub body: Option<Value>,
    /// The JSON success answer's schema.
    pub answer: Option<Value>,
    /// The pointer of the operation in the document.
    pub pointer: String,
}

/// One parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Its name on the wire.
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    pub location: String,
    /// `required: true`.
    pub required: bool,
    /// Its schema.
    pub schema: Value,
}

impl Document {
    /// Reads a YAML or JSON document.
    pub fn load(path: &Path) -> Result<Document, Error> {
        let read = |message: String| Error::Read {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| read(e.to_string()))?;
        let root: Value = serde_yaml::from_str(&text).map_err(|e| read(e.to_string()))?;
        Ok(Document { root })
    }

    /// The whole-API document vendored in the workspace's `spec/`, with the
    /// rules of the overlays there applied (fields that cannot both be set,
    /// page sizes, effects): the contract the conformance suite and the test
    /// servers hold the client to.
    pub fn whole_api() -> Result<Document, Error> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        Document::with_overlays(&dir.join("conductor_one_api.openapi.yaml"), &dir)
    }

    /// The document at `path`, one of the spec directory `dir`, as codegen
    /// reads it: with every overlay (`overlay: 1.0.0`) there applied.
    pub fn with_overlays(path: &Path, dir: &Path) -> Result<Document, Error> {
        let read = |message: String| Error::Read {
            path: path.display().to_string(),
            message,
        };
        let name = path.display().to_string();
        let docs = c1_codegen::documents(dir).map_err(|e| read(e.to_string()))?;
        let doc = docs.into_iter().find(|d| d.name == name);
        let doc = doc.ok_or_else(|| read(format!("not a document of {}", dir.display())))?;
        Ok(Document { root: doc.value })
    }

    /// The component schema `name`.
    pub fn component(&self, name: &str) -> Option<&Value> {
        self.root
            .pointer(&crate::child("/components/schemas", name))
    }

    /// The names of every component schema, in document order.
    pub fn component_names(&self) -> Vec<String> {
        self.root["components"]["schemas"]
            .as_object()
            .map(|schemas| schemas.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The schema a `$ref` names, following references (only to component
    /// schemas of this document, as C1's are); `schema` itself otherwise.
    pub fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        for _ in 0..32 {
            let Some(target) = schema.get("$ref").and_then(Value::as_str) else {
                break;
            };
            match target.strip_prefix('#').and_then(|p| self.root.pointer(p)) {
                Some(found) => schema = found,
                None => break,
            }
        }
        schema
    }

    /// The names of the component schemas `roots` refer to, transitively.
    pub fn reachable<'a>(&self, roots: impl IntoIterator<Item = &'a Value>) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        let mut stack: Vec<Value> = roots.into_iter().cloned().collect();
        while let Some(node) = stack.pop() {
            match node {
                Value::Object(fields) => {
                    if let Some(name) = fields
                        .get("$ref")
                        .and_then(Value::as_str)
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    {
                        if found.insert(name.to_string()) {
                            stack.extend(self.component(name).cloned());
                        }
                    }
                    stack.extend(fields.into_iter().map(|(_, v)| v));
                }
                Value::Array(items) => stack.extend(items),
                _ => {}
            }
        }
        found
    }

    /// Every operation that has an `operationId`, in document order.
    pub fn operations(&self) -> Vec<Operation> {
        let mut found = Vec::new();
        let Some(paths) = self.root["paths"].as_object() else {
            return found;
        };
        for (path, item) in paths {
            let shared = item["parameters"].as_array().cloned().unwrap_or_default();
            for method in METHODS {
                let op = &item[method];
                let Some(id) = op["operationId"].as_str() else {
                    continue;
                };
                let mut params: Vec<Param> = Vec::new();
                let own = op["parameters"].as_array().cloned().unwrap_or_default();
                for p in shared.iter().chain(&own) {
                    let p = self.resolve(p);
                    let param = Param {
                        name: p["name"].as_str().unwrap_or_default().to_string(),
                        location: p["in"].as_str().unwrap_or_default().to_string(),
                        required: p["required"].as_bool().unwrap_or(false),
                        schema: p.get("schema").cloned().unwrap_or(Value::Bool(true)),
                    };
                    params.retain(|q| (&q.name, &q.location) != (&param.name, &param.location));
                    params.push(param);
                }
                let body = json_schema(self.resolve(&op["requestBody"]));
                let answer = ["200", "201", "2XX", "default"]
                    .iter()
                    .find_map(|status| json_schema(self.resolve(&op["responses"][status])));
                found.push(Operation {
                    id: id.to_string(),
                    method: method.to_uppercase(),
                    path: path.clone(),
                    params,
                    body,
                    answer,
                    pointer: crate::child(&crate::child("/paths", path), method),
                });
            }
        }
        found
    }
}

/// The `application/json` (or `+json`) schema of a body or response.
fn json_schema(holder: &Value) -> Option<Value> {
    let content = holder.get("content")?.as_object()?;
    content
        .iter()
        .find(|(media, _)| media.starts_with("application/json") || media.contains("+json"))
        .and_then(|(_, media)| media.get("schema").cloned())
}
