//! Stage 1, load: read every OpenAPI document under the spec directory.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Result};

/// One document as read from disk, before normalization.
#[derive(Debug, Clone)]
pub struct SourceDocument {
    /// How messages name the file (the path as found under the spec directory).
    pub name: String,
    /// The parsed document.
    pub value: Value,
    /// The text it was parsed from, to find lines for messages.
    pub text: String,
}

impl SourceDocument {
    /// Parses `text` as YAML, or as JSON when `name` ends in `.json`. A
    /// leading byte-order mark (files saved on Windows) is ignored.
    pub fn parse(name: &str, text: &str) -> Result<Self> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value = if name.ends_with(".json") {
            serde_json::from_str::<Lenient>(text)
                .map(|v| v.0)
                .map_err(|e| Error::Syntax {
                    file: name.to_string(),
                    line: Some(e.line()),
                    column: Some(e.column()),
                    message: e.to_string(),
                })?
        } else {
            serde_yaml::from_str::<Lenient>(text)
                .map(|v| v.0)
                .map_err(|e| {
                    let at = e.location();
                    Error::Syntax {
                        file: name.to_string(),
                        line: at.as_ref().map(|l| l.line()),
                        column: at.as_ref().map(|l| l.column()),
                        message: e.to_string(),
                    }
                })?
        };
        Ok(SourceDocument {
            name: name.to_string(),
            value,
            text: text.to_string(),
        })
    }
}

/// A JSON value read from YAML or JSON, where an integer too large for
/// `i64`/`u64` (`minimum: -9223372036854776000`, as 3.1 documents write the
/// bounds of an int64) becomes the nearest `f64` instead of failing the load.
struct Lenient(Value);

impl<'de> serde::Deserialize<'de> for Lenient {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(LenientVisitor).map(Lenient)
    }
}

struct LenientVisitor;

impl<'de> serde::de::Visitor<'de> for LenientVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML or JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(v.into())
    }
    fn visit_i128<E>(self, v: i128) -> std::result::Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_u128<E>(self, v: u128) -> std::result::Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Lenient(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some((key, Lenient(value))) = map.next_entry::<String, Lenient>()? {
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// A float as JSON holds it; infinities and NaN (`.inf` in YAML) are `null`.
fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// Whether `path` names a file this stage reads.
fn is_document(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// Lists the document files under `dir`, recursively, sorted by path; a
/// `dir` that is a file is the one document.
pub fn document_paths(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.is_file() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).map_err(io(&current))? {
            let path = entry.map_err(io(&current))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if is_document(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The largest document read: the whole C1 API is 1.5 MB, and a document
/// many times that size is refused before it is read rather than risk
/// running out of memory parsing it.
pub const MAX_DOCUMENT_BYTES: u64 = 32 * 1024 * 1024;

/// Reads and parses every `*.yaml`, `*.yml` and `*.json` file under `dir`
/// (or the one file `dir` names), in sorted path order; the errors of all
/// files are reported together.
pub fn load_dir(dir: &Path) -> Result<Vec<SourceDocument>> {
    let (docs, errors) = load_each(dir)?;
    if errors.is_empty() {
        Ok(docs)
    } else {
        Err(Error::from_many(errors))
    }
}

/// Like [`load_dir`], but returns the documents that did load beside the
/// errors of those that did not, so that they can be checked further.
pub fn load_each(dir: &Path) -> Result<(Vec<SourceDocument>, Vec<Error>)> {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for result in load_files(dir)? {
        match result {
            Ok(doc) => docs.push(doc),
            Err(e) => errors.push(e),
        }
    }
    Ok((docs, errors))
}

fn load_files(dir: &Path) -> Result<Vec<Result<SourceDocument>>> {
    let paths = document_paths(dir)?;
    if paths.is_empty() {
        return Err(Error::NoDocuments {
            dir: dir.to_path_buf(),
        });
    }
    Ok(paths.iter().map(|path| load_file(path)).collect())
}

/// Reads and parses one document, refusing one too large to read safely.
fn load_file(path: &Path) -> Result<SourceDocument> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_DOCUMENT_BYTES {
        return Err(Error::Syntax {
            file: path.display().to_string(),
            line: None,
            column: None,
            message: format!(
                "{:.1} MB is over the {} MB limit for one document",
                size as f64 / 1e6,
                MAX_DOCUMENT_BYTES / 1024 / 1024
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|e| Error::Syntax {
        file: name.clone(),
        line: None,
        column: None,
        message: format!(
            "not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })?;
    SourceDocument::parse(&name, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_syntax_error_names_file_line_and_column() {
        let err = SourceDocument::parse("a.yaml", "openapi: 3.0.3\ninfo: [\n").unwrap_err();
        let Error::Syntax { file, line, .. } = &err else {
            panic!("expected a syntax error, got {err}");
        };
        assert_eq!(file, "a.yaml");
        assert_eq!(*line, Some(3));
        assert!(err.to_string().starts_with("a.yaml:3:"), "{err}");
    }

    #[test]
    fn a_byte_order_mark_and_crlf_line_ends_change_nothing() {
        let plain = "openapi: 3.1.0\ninfo:\n  title: t\n  description: |\n    two\n    lines\n";
        let windows = format!("\u{feff}{}", plain.replace('\n', "\r\n"));
        let a = SourceDocument::parse("a.yaml", plain).unwrap();
        let b = SourceDocument::parse("b.yaml", &windows).unwrap();
        assert_eq!(a.value, b.value);
        assert_eq!(b.value["info"]["description"], "two\nlines\n");
        let json = SourceDocument::parse("c.json", "\u{feff}{\"openapi\": \"3.0.3\"}\r\n").unwrap();
        assert_eq!(json.value["openapi"], "3.0.3");
    }

    #[test]
    fn integers_beyond_64_bits_load_as_floats() {
        let text = "minimum: -9223372036854776000\nmaximum: 99999999999999999999999\nsmall: -3\n";
        for (name, text) in [("a.yaml", text.to_string()), ("a.json", r#"{"minimum": -9223372036854776000, "maximum": 99999999999999999999999, "small": -3}"#.to_string())] {
            let doc = SourceDocument::parse(name, &text).unwrap();
            assert_eq!(doc.value["minimum"].as_f64(), Some(-9223372036854776000.0), "{name}");
            assert_eq!(doc.value["maximum"].as_f64(), Some(1e23), "{name}");
            assert_eq!(doc.value["small"].as_i64(), Some(-3), "{name}");
        }
    }

    #[test]
    fn json_files_are_parsed_as_json() {
        let doc = SourceDocument::parse("a.json", r#"{"openapi": "3.0.3"}"#).unwrap();
        assert_eq!(doc.value["openapi"], "3.0.3");
        let err = SourceDocument::parse("b.json", "{\n  \"a\": }").unwrap_err();
        assert!(err.to_string().starts_with("b.json:2:"), "{err}");
    }

    #[test]
    fn loads_documents_recursively_in_sorted_order_and_skips_others() {
        let dir = std::env::temp_dir().join(format!("c1-load-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("b.yaml"), "x: 1").unwrap();
        std::fs::write(dir.join("a.json"), "{\"x\": 2}").unwrap();
        std::fs::write(dir.join("sub/c.yml"), "x: 3").unwrap();
        std::fs::write(dir.join("README.md"), "# not a document").unwrap();
        let docs = load_dir(&dir).unwrap();
        let xs: Vec<_> = docs
            .iter()
            .map(|d| d.value["x"].as_i64().unwrap())
            .collect();
        assert_eq!(xs, [2, 1, 3]);
        assert!(docs[2].name.ends_with("sub/c.yml"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_is_loaded_on_its_own() {
        let dir = std::env::temp_dir().join(format!("c1-load-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("one.yaml"), "x: 1").unwrap();
        std::fs::write(dir.join("two.yaml"), "x: 2").unwrap();
        let docs = load_dir(&dir.join("one.yaml")).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].value["x"], 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn empty_directory_is_an_error() {
        let dir = std::env::temp_dir().join(format!("c1-load-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = load_dir(&dir).unwrap_err();
        assert!(matches!(err, Error::NoDocuments { .. }), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn non_utf8_file_is_a_clear_error() {
        let dir = std::env::temp_dir().join(format!("c1-load-utf8-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.yaml"), b"x: \xff\xfe").unwrap();
        let err = load_dir(&dir).unwrap_err().to_string();
        assert!(
            err.contains("a.yaml: not UTF-8 (invalid byte at offset 3)"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
