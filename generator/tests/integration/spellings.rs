//! Every spelling of "X or null" gives the same client: `spec/` (the five
//! pages and the whole C1 API) rewritten into each spelling real documents
//! use generates byte-identical files, `api.json` included.

use std::path::Path;

use c1_codegen::load::SourceDocument;
use c1_codegen::normalize;
use c1_codegen::{generate_documents, GeneratedFile, Options};
use serde_json::{json, Map, Value};

/// The spellings the documents of one API come in.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Spelling {
    /// OpenAPI 3.1: `type: [T, 'null']` (in either order); a nullable
    /// reference is `oneOf: [$ref, {type: 'null'}]`.
    TypeArrays,
    /// `oneOf`/`anyOf` of the schema and a null member, in either order,
    /// the member written `{type: 'null'}` or `{nullable: true}`.
    NullMembers,
    /// ConductorOne's SDK documents: `openapi: 3.1.0` with 3.0 `nullable`;
    /// every nullable schema wrapped as `allOf: [schema]` + `nullable: true`;
    /// path parameters marked `nullable: true`.
    SdkWrapped,
    /// OpenAPI 3.1 siblings of `$ref` (`$ref` + `nullable`, `description`,
    /// ...); a plain reference written `allOf: [$ref]`.
    RefSiblings,
    /// All of the above, taking turns node by node.
    Mixed,
}

const SPELLINGS: [Spelling; 4] = [
    Spelling::TypeArrays,
    Spelling::NullMembers,
    Spelling::SdkWrapped,
    Spelling::RefSiblings,
];

/// Rewrites canonical documents into one spelling.
struct Respeller {
    spelling: Spelling,
    /// Counts rewritten nodes, to take turns between variants.
    turn: usize,
}

impl Respeller {
    fn spelling(&mut self) -> Spelling {
        self.turn += 1;
        match self.spelling {
            Spelling::Mixed => SPELLINGS[self.turn % SPELLINGS.len()],
            one => one,
        }
    }

    /// Whether this node takes the first or the second variant of its spelling.
    fn flip(&self) -> bool {
        (self.turn / SPELLINGS.len()) % 2 == 0
    }

    fn document(&mut self, doc: &mut Value) {
        doc["openapi"] = json!("3.1.0");
        if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
            for item in paths.values_mut() {
                self.parameters(item.get_mut("parameters"));
                let Some(item) = item.as_object_mut() else {
                    continue;
                };
                for op in item.values_mut().filter(|op| op.get("responses").is_some()) {
                    self.parameters(op.get_mut("parameters"));
                    if let Some(body) = op.get_mut("requestBody") {
                        self.content(body);
                    }
                    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut)
                    {
                        responses.values_mut().for_each(|r| self.content(r));
                    }
                }
            }
        }
        if let Some(schemas) = doc
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        {
            schemas.values_mut().for_each(|s| self.schema(s));
        }
    }

    fn parameters(&mut self, params: Option<&mut Value>) {
        let Some(Value::Array(params)) = params else {
            return;
        };
        for param in params {
            let in_path = param["in"] == "path";
            if let Some(schema) = param.get_mut("schema") {
                self.schema(schema);
                if in_path && self.spelling == Spelling::SdkWrapped {
                    schema["nullable"] = json!(true);
                    param["nullable"] = json!(true);
                }
            }
        }
    }

    fn content(&mut self, holder: &mut Value) {
        if let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) {
            for media in content.values_mut() {
                if let Some(schema) = media.get_mut("schema") {
                    self.schema(schema);
                }
            }
        }
    }

    /// Rewrites the schemas inside `schema`, then `schema` itself.
    fn schema(&mut self, schema: &mut Value) {
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        for key in ["items", "additionalProperties", "not"] {
            if let Some(child) = obj.get_mut(key) {
                self.schema(child);
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = obj.get_mut(key) {
                members.iter_mut().for_each(|m| self.schema(m));
            }
        }
        if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
            props.values_mut().for_each(|p| self.schema(p));
        }
        *schema = self.respell(std::mem::take(obj));
    }

    /// One canonical schema in this node's spelling.
    fn respell(&mut self, mut obj: Map<String, Value>) -> Value {
        let spelling = self.spelling();
        let flip = self.flip();
        let reference = canonical_reference(&obj);
        let nullable = obj.get("nullable") == Some(&json!(true));
        match (spelling, reference, nullable) {
            (Spelling::TypeArrays, None, true) if obj.get("type").is_some_and(Value::is_string) => {
                obj.shift_remove("nullable");
                let ty = obj["type"].clone();
                obj["type"] = if flip {
                    json!([ty, "null"])
                } else {
                    json!(["null", ty])
                };
            }
            (Spelling::TypeArrays, Some(r), true) => {
                obj.shift_remove("nullable");
                obj.shift_remove("allOf");
                obj.insert("oneOf".into(), json!([{"$ref": r}, {"type": "null"}]));
            }
            (Spelling::NullMembers, _, true) => {
                obj.shift_remove("nullable");
                let (mut outer, inner) = split_annotations(obj);
                let null_member = if flip {
                    json!({"type": "null"})
                } else {
                    json!({"nullable": true})
                };
                let inner = Value::Object(inner);
                let members = if flip {
                    json!([inner, null_member])
                } else {
                    json!([null_member, inner])
                };
                outer.insert((if flip { "oneOf" } else { "anyOf" }).into(), members);
                obj = outer;
            }
            (Spelling::SdkWrapped, None, true) => {
                obj.shift_remove("nullable");
                let (mut outer, inner) = split_annotations(obj);
                // The SDK documents keep every annotation inside the wrapper.
                let mut inner = inner;
                if flip {
                    inner.extend(std::mem::take(&mut outer));
                }
                outer.insert("allOf".into(), json!([inner]));
                outer.insert("nullable".into(), json!(true));
                obj = outer;
            }
            (Spelling::RefSiblings, Some(r), _) if obj.len() > 1 => {
                obj.shift_remove("allOf");
                obj.insert("$ref".into(), r);
            }
            (Spelling::RefSiblings, _, _) if obj.len() == 1 && obj.contains_key("$ref") => {
                let bare = Value::Object(std::mem::take(&mut obj));
                obj.insert("allOf".into(), json!([bare]));
            }
            _ => {}
        }
        Value::Object(obj)
    }
}

/// The target of a canonical reference with annotations (`allOf: [{$ref}]` beside them).
fn canonical_reference(obj: &Map<String, Value>) -> Option<Value> {
    match obj.get("allOf")?.as_array()?.as_slice() {
        [Value::Object(member)] if member.len() == 1 => member.get("$ref").cloned(),
        _ => None,
    }
}

/// A schema's annotations (kept at the use site) and its shape.
fn split_annotations(obj: Map<String, Value>) -> (Map<String, Value>, Map<String, Value>) {
    obj.into_iter().partition(|(k, _)| {
        matches!(
            k.as_str(),
            "description"
                | "title"
                | "readOnly"
                | "writeOnly"
                | "deprecated"
                | "example"
                | "default"
        ) || k.starts_with("x-")
    })
}

const SPEC: &str = "../spec";

/// The documents of `spec/`, each normalized, rewritten into `spelling` and
/// printed again as YAML under its own name.
fn respelled(docs: &[SourceDocument], spelling: Spelling) -> Vec<SourceDocument> {
    docs.iter()
        .map(|doc| {
            let mut value = normalize::normalize(doc).expect("normalizes").value;
            Respeller { spelling, turn: 0 }.document(&mut value);
            let text = serde_yaml::to_string(&value).expect("prints");
            SourceDocument::parse(&doc.name, &text).expect("parses")
        })
        .collect()
}

fn generated(docs: &[SourceDocument]) -> Vec<GeneratedFile> {
    generate_documents(docs, &Options::default())
        .expect("generates")
        .files
}

/// The pointer of the first node where `a` and `b` differ.
fn differing_pointer(a: &Value, b: &Value, at: String) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x
            .iter()
            .find(|(k, v)| y.get(*k) != Some(v))
            .map(|(k, v)| match y.get(k) {
                Some(w) => differing_pointer(v, w, format!("{at}/{k}")),
                None => format!("{at}/{k} (only in one)"),
            })
            .or_else(|| {
                y.keys()
                    .find(|k| !x.contains_key(*k))
                    .map(|k| format!("{at}/{k} (only in one)"))
            })
            .unwrap_or(at),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find(|(_, (v, w))| v != w)
            .map(|(i, (v, w))| differing_pointer(v, w, format!("{at}/{i}")))
            .unwrap_or(at),
        _ => format!("{at}: {a} vs {b}"),
    }
}

/// The first file that differs, with its first differing line.
fn first_difference(a: &[GeneratedFile], b: &[GeneratedFile]) -> Option<String> {
    if a.len() != b.len() {
        return Some(format!("{} files vs {}", a.len(), b.len()));
    }
    a.iter().zip(b).find(|(x, y)| x != y).map(|(x, y)| {
        let line = x
            .contents
            .lines()
            .zip(y.contents.lines())
            .find(|(l, m)| l != m)
            .map(|(l, m)| format!("\n  - {l}\n  + {m}"))
            .unwrap_or_default();
        format!("{} vs {}{line}", x.path.display(), y.path.display())
    })
}

#[test]
fn every_spelling_of_spec_generates_the_same_crate() {
    let docs = c1_codegen::documents(Path::new(SPEC)).expect("spec/ loads");
    let expected = generated(&docs);
    for spelling in SPELLINGS.into_iter().chain([Spelling::Mixed]) {
        let respelled = respelled(&docs, spelling);
        // The rewrite did change the documents...
        assert!(
            respelled.iter().zip(&docs).any(|(r, d)| r.value != d.value),
            "{spelling:?} rewrote nothing"
        );
        // ...and they still normalize to the same canonical documents...
        for (r, d) in respelled.iter().zip(&docs) {
            let (r, d) = (
                normalize::normalize(r).unwrap(),
                normalize::normalize(d).unwrap(),
            );
            assert!(
                r.value == d.value,
                "{spelling:?}: {} differs at {}",
                d.name,
                differing_pointer(&r.value, &d.value, String::new())
            );
        }
        // ...so they generate the same files, byte for byte.
        let files = generated(&respelled);
        assert!(
            files == expected,
            "{spelling:?}: {}",
            first_difference(&expected, &files).unwrap_or_default()
        );
    }
}

#[test]
fn the_sdk_spelling_of_the_whole_api_merges_with_it_into_the_same_crate() {
    let docs = c1_codegen::documents(Path::new(SPEC)).expect("spec/ loads");
    let Some(whole) = docs.iter().find(|d| d.name.ends_with(".openapi.yaml")) else {
        panic!("spec/ holds the whole API");
    };
    let mut sdk = respelled(std::slice::from_ref(whole), Spelling::SdkWrapped).remove(0);
    sdk.name = "sdk.openapi.yaml".into();
    // The SDK's document leaves out `readOnly` on some properties.
    let mut dropped = 0;
    let mut text = String::new();
    for line in sdk.text.lines() {
        if line.trim() == "readOnly: true" && dropped < 25 {
            dropped += 1;
            continue;
        }
        text.push_str(line);
        text.push('\n');
    }
    let sdk = SourceDocument::parse(&sdk.name, &text).expect("parses");
    let alone = c1_codegen::generate_documents(std::slice::from_ref(whole), &Options::default())
        .expect("generates");
    let both = c1_codegen::generate_documents(&[whole.clone(), sdk], &Options::default())
        .expect("the two spellings merge");
    assert_eq!(dropped, 25);
    assert!(
        both.files == alone.files,
        "{}",
        first_difference(&alone.files, &both.files).unwrap_or_default()
    );
    let kinds: Vec<_> = both.notes.iter().map(|n| n.kind).collect();
    assert_eq!(
        kinds,
        vec![c1_codegen::merge::NoteKind::ReadOnly; 25],
        "{:#?}",
        both.notes
    );
}

#[test]
fn files_saved_on_windows_generate_the_same_crate() {
    // As read from disk, the overlay among them (the pipeline applies it).
    let docs = c1_codegen::load::load_dir(Path::new(SPEC)).expect("spec/ loads");
    let windows: Vec<SourceDocument> = docs
        .iter()
        .map(|d| {
            let text = format!("\u{feff}{}", d.text.replace('\n', "\r\n"));
            SourceDocument::parse(&d.name, &text).expect("parses")
        })
        .collect();
    assert!(windows.iter().all(|d| d.text.contains("\r\n")));
    let (plain, saved) = (generated(&docs), generated(&windows));
    assert!(
        plain == saved,
        "{}",
        first_difference(&plain, &saved).unwrap_or_default()
    );
}
