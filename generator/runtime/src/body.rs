//! Request bodies other than JSON: files, forms and multipart bodies. Each is
//! encoded to bytes before the request is sent, so that a retry sends the
//! same bytes again.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::wire::{Bytes, Format};

/// A file to upload: its bytes, with the file name and content type the
/// server is told (a part of a `multipart/form-data` body). In a JSON
/// body, a file is its bytes in base64.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct File {
    bytes: Vec<u8>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl File {
    /// A file of these bytes, with no name and the content type
    /// `application/octet-stream`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        File {
            bytes: bytes.into(),
            ..File::default()
        }
    }

    /// Sets the file name the server is told.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the content type the server is told (`image/png`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The file name, if one is set.
    pub fn name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }
}

impl From<Vec<u8>> for File {
    fn from(bytes: Vec<u8>) -> Self {
        File::new(bytes)
    }
}

impl fmt::Debug for File {
    /// The name, type and size, not the bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl Serialize for File {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Bytes::serialize(&self.bytes, serializer)
    }
}

impl<'de> Deserialize<'de> for File {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Bytes::deserialize(deserializer).map(File::new)
    }
}

/// The text of a form field or multipart part: strings as they are, `null`
/// as nothing, numbers and booleans as JSON writes them, lists as one value
/// per item, objects as JSON.
fn texts(value: Value, out: &mut Vec<String>) {
    match value {
        Value::Null => {}
        Value::String(text) => out.push(text),
        Value::Array(items) => items.into_iter().for_each(|item| texts(item, out)),
        other => out.push(other.to_string()),
    }
}

/// An `application/x-www-form-urlencoded` body being built, field by field
/// (in the order the spec lists them).
#[derive(Debug)]
#[allow(dead_code)] // Used by operations with form bodies.
pub(crate) struct Form {
    pairs: Vec<(String, String)>,
    error: Option<serde_json::Error>,
}

#[allow(dead_code)] // Used by operations with form bodies.
impl Form {
    /// An empty body.
    pub(crate) fn new() -> Self {
        Form {
            pairs: Vec::new(),
            error: None,
        }
    }

    /// Adds a field (nothing for `None`, one pair per item of a list).
    pub(crate) fn field(mut self, name: &str, value: &impl Serialize) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => {
                let mut values = Vec::new();
                texts(value, &mut values);
                for value in values {
                    self.pairs.push((name.to_string(), value));
                }
            }
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// Adds each field of an object (a body with no declared fields).
    pub(crate) fn fields(mut self, body: &impl Serialize) -> Self {
        match object(body) {
            Ok(fields) => {
                for (name, value) in fields {
                    self = self.field(&name, &value);
                }
            }
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// The body's bytes.
    pub(crate) fn finish(self) -> serde_json::Result<Vec<u8>> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.extend_pairs(&self.pairs);
        Ok(form.finish().into_bytes())
    }
}

fn object(body: &impl Serialize) -> serde_json::Result<serde_json::Map<String, Value>> {
    match serde_json::to_value(body)? {
        Value::Object(fields) => Ok(fields),
        Value::Null => Ok(serde_json::Map::new()),
        other => Err(serde::ser::Error::custom(format!(
            "a form or multipart body must be an object, not {other}"
        ))),
    }
}

/// A `multipart/form-data` body being built, part by part.
#[derive(Debug)]
#[allow(dead_code)] // Used by operations with multipart bodies.
pub(crate) struct Multipart {
    boundary: String,
    bytes: Vec<u8>,
    error: Option<serde_json::Error>,
}

#[allow(dead_code)] // Used by operations with multipart bodies.
impl Multipart {
    /// An empty body with a random boundary.
    pub(crate) fn new() -> Self {
        let mut random = [0u8; 16];
        // A fixed boundary still works unless a part contains it.
        let _ = getrandom::getrandom(&mut random);
        let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
        Multipart {
            boundary: format!("c1-boundary-{hex}"),
            bytes: Vec::new(),
            error: None,
        }
    }

    /// Adds the text parts of a field (none for `None`, one per item of a list).
    pub(crate) fn text(mut self, name: &str, value: &impl Serialize) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => {
                let mut values = Vec::new();
                texts(value, &mut values);
                for value in values {
                    self.part(name, None, None, value.as_bytes());
                }
            }
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// Adds each field of an object (a body with no declared fields) as text.
    pub(crate) fn fields(mut self, body: &impl Serialize) -> Self {
        match object(body) {
            Ok(fields) => {
                for (name, value) in fields {
                    self = self.text(&name, &value);
                }
            }
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// Adds a file part per file.
    pub(crate) fn files(mut self, name: &str, files: &[File]) -> Self {
        for file in files {
            let file_name = file.file_name.as_deref().unwrap_or(name);
            let content_type = file.content_type.as_deref();
            self.part(name, Some(file_name), content_type, &file.bytes);
        }
        self
    }

    fn part(&mut self, name: &str, file: Option<&str>, content_type: Option<&str>, data: &[u8]) {
        // As browsers write them (WHATWG): a quote or line break in a name
        // cannot end the header or start another.
        let quoted = |text: &str| {
            text.replace('"', "%22")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        };
        let mut head = format!(
            "--{}\r\nContent-Disposition: form-data; name=\"{}\"",
            self.boundary,
            quoted(name)
        );
        if let Some(file) = file {
            head.push_str(&format!("; filename=\"{}\"", quoted(file)));
            let content_type = content_type.unwrap_or("application/octet-stream");
            head.push_str(&format!(
                "\r\nContent-Type: {}",
                content_type.replace(['\r', '\n'], "")
            ));
        }
        head.push_str("\r\n\r\n");
        self.bytes.extend_from_slice(head.as_bytes());
        self.bytes.extend_from_slice(data);
        self.bytes.extend_from_slice(b"\r\n");
    }

    /// The body's content type and bytes.
    pub(crate) fn finish(mut self) -> serde_json::Result<(String, Vec<u8>)> {
        if let Some(e) = self.error {
            return Err(e);
        }
        self.bytes
            .extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        let content_type = format!("multipart/form-data; boundary={}", self.boundary);
        Ok((content_type, self.bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_encode_each_field_in_order_and_each_item() {
        let form = Form::new()
            .field("grant_type", &"client_credentials")
            .field("scope", &["a b", "c&d"])
            .field("count", &3)
            .field("unset", &None::<String>)
            .field("nested", &serde_json::json!({"x": 1}));
        let text = String::from_utf8(form.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "grant_type=client_credentials&scope=a+b&scope=c%26d&count=3&nested=%7B%22x%22%3A1%7D"
        );
        let free = Form::new().fields(&serde_json::json!({"a": 1}));
        assert_eq!(free.finish().unwrap(), b"a=1");
        assert!(Form::new().fields(&3).finish().is_err());
    }

    #[test]
    fn multipart_bodies_have_text_and_file_parts() {
        let file = File::new(b"\x89PNG".to_vec())
            .file_name("a \"b\".png\r\nX-Injected: 1")
            .content_type("image/png");
        let mut multipart = Multipart::new();
        assert_eq!(multipart.boundary.len(), "c1-boundary-".len() + 32);
        multipart.boundary = "B".into();
        let multipart = multipart
            .text("purpose", &"fine-tune")
            .text("unset", &None::<String>)
            .files("file", &[file]);
        let (content_type, bytes) = multipart.finish().unwrap();
        assert_eq!(content_type, "multipart/form-data; boundary=B");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains("Content-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n"),
            "{text}"
        );
        assert!(!text.contains("unset"), "{text}");
        assert!(text.contains("name=\"file\"; filename=\"a %22b%22.png%0D%0AX-Injected: 1\"\r\nContent-Type: image/png\r\n\r\n\u{fffd}PNG\r\n"), "{text}");
        assert!(text.starts_with("--B\r\n"), "{text}");
        assert!(text.ends_with("\r\n--B--\r\n"), "{text}");
    }

    #[test]
    fn files_debug_without_their_bytes_and_are_base64_in_json() {
        let file = File::new(b"secret".to_vec()).file_name("k.txt");
        assert_eq!(
            format!("{file:?}"),
            "File { file_name: Some(\"k.txt\"), content_type: None, len: 6 }"
        );
        assert_eq!(serde_json::to_value(&file).unwrap(), "c2VjcmV0");
        let back: File = serde_json::from_value("c2VjcmV0".into()).unwrap();
        assert_eq!(back.bytes(), b"secret");
    }
}
