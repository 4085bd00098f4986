//! Random values that the document allows, from a seed.
//!
//! [`Mode::Request`] makes what a program sends: every property the client
//! may send (not `readOnly`), values in the forms the API writes, known enum
//! values only. [`Mode::Answer`] makes what a server may answer: any subset
//! of the properties, `null` where nullable, enum values the document does
//! not list, properties it does not name, empty and missing lists, formats
//! in every form the document or the API allows (int64 as decimal strings
//! up to 2^63-1, durations with 0 to 9 decimals or in ISO 8601,
//! date-times with nanoseconds and offsets, base64 in either alphabet).

use base64::Engine;
use proptest::prelude::RngExt;
use proptest::test_runner::{RngAlgorithm, TestRng};
use serde_json::{Map, Number, Value};

use crate::document::Document;
use crate::formats::{Format, MAX_DURATION_SECONDS};

/// What the values are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A request's body or parameters.
    Request,
    /// A server's answer.
    Answer,
}

/// Nesting deeper than this holds only required properties and empty lists.
const MAX_DEPTH: usize = 4;

/// A seeded generator of values for one document.
pub struct Generator<'d> {
    doc: &'d Document,
    rng: TestRng,
    mode: Mode,
    /// Every list and map empty (a required one is still there, `[]`).
    empty_lists: bool,
}

impl<'d> Generator<'d> {
    /// A generator whose values depend only on `seed` (and the document).
    pub fn new(doc: &'d Document, mode: Mode, seed: u64) -> Generator<'d> {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        Generator {
            doc,
            rng: TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
            mode,
            empty_lists: false,
        }
    }

    /// The same generator, making every list and map empty: a round that
    /// checks that required ones are sent even then.
    pub fn with_empty_lists(mut self) -> Self {
        self.empty_lists = true;
        self
    }

    /// A value of `schema`. A whole value (a body, an answer) is never
    /// `null`: a component's `nullable` applies where it is referenced.
    pub fn value(&mut self, schema: &Value) -> Value {
        self.at(schema, 0)
    }

    /// The text of a parameter of `schema`, as it goes in a URL or header:
    /// a string as itself, a number or boolean as JSON writes it, an enum
    /// value as listed.
    pub fn text(&mut self, schema: &Value) -> String {
        match self.value(schema) {
            Value::String(text) => text,
            other => other.to_string(),
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn at(&mut self, schema: &Value, depth: usize) -> Value {
        let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
        let resolved = self.doc.resolve(schema);
        let nullable = nullable || resolved.get("nullable").and_then(Value::as_bool) == Some(true);
        if nullable && depth > 0 && self.mode == Mode::Answer && self.chance(0.15) {
            return Value::Null;
        }
        if let Some(members) = ["oneOf", "anyOf"]
            .iter()
            .find_map(|k| resolved.get(*k).and_then(Value::as_array))
        {
            let members: Vec<&Value> = members
                .iter()
                .filter(|m| self.doc.resolve(m).get("type") != Some(&Value::from("null")))
                .collect();
            if !members.is_empty() {
                let pick = self.rng.random_range(0..members.len());
                return self.at(members[pick], depth);
            }
        }
        if let Some(members) = resolved.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            for member in members {
                if let Value::Object(fields) = self.at(member, depth) {
                    merged.extend(fields);
                }
            }
            return Value::Object(merged);
        }
        if let Some(values) = resolved.get("enum").and_then(Value::as_array) {
            if self.mode == Mode::Answer && self.chance(0.1) {
                return Value::String(format!("NEW_VALUE_{}", self.rng.random_range(0..1000)));
            }
            if !values.is_empty() {
                let pick = self.rng.random_range(0..values.len());
                return values[pick].clone();
            }
        }
        match resolved.get("type").and_then(Value::as_str) {
            Some("object") => self.object(resolved, depth),
            Some("array") => self.array(resolved, depth),
            Some("string") => self.string(resolved),
            Some("integer") => self.integer(resolved),
            Some("number") => {
                let n = self.rng.random_range(-1.0e6..1.0e6_f64);
                Number::from_f64((n * 100.0).round() / 100.0).map_or(Value::Null, Value::Number)
            }
            Some("boolean") => Value::Bool(self.chance(0.5)),
            _ if resolved.get("properties").is_some() => self.object(resolved, depth),
            _ => self.any(),
        }
    }

    fn object(&mut self, schema: &Value, depth: usize) -> Value {
        let required: Vec<&str> = schema["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        if let Some(properties) = schema["properties"].as_object() {
            for (name, property) in properties {
                let is_required = required.contains(&name.as_str());
                let read_only = self.doc.resolve(property).get("readOnly")
                    == Some(&Value::Bool(true))
                    || property.get("readOnly") == Some(&Value::Bool(true));
                let wanted = match self.mode {
                    Mode::Request => !read_only && (is_required || depth < MAX_DEPTH),
                    Mode::Answer => is_required || (depth < MAX_DEPTH && self.chance(0.6)),
                };
                if wanted {
                    out.insert(name.clone(), self.at(property, depth + 1));
                }
            }
        }
        match schema.get("additionalProperties") {
            Some(Value::Bool(true)) if depth < MAX_DEPTH && self.chance(0.5) => {
                out.insert("extra".into(), self.any());
            }
            Some(values @ Value::Object(_)) if depth < MAX_DEPTH && !self.empty_lists => {
                for _ in 0..self.rng.random_range(0..3) {
                    let key = self.word();
                    out.insert(key, self.at(values, depth + 1));
                }
            }
            _ => {}
        }
        if self.mode == Mode::Answer && schema.get("properties").is_some() && self.chance(0.1) {
            out.insert("zzPropertyAddedLater".into(), self.any());
        }
        self.keep_apart(schema, &mut out);
        Value::Object(out)
    }

    /// Drops fields the schema says cannot be set together (`not: {required:
    /// [a, b]}`, from the overlay's prose rules) until they are not: one of
    /// them, picked at random, stays.
    fn keep_apart(&mut self, schema: &Value, out: &mut Map<String, Value>) {
        let Some(apart) = schema["not"]["required"].as_array() else {
            return;
        };
        let names: Vec<&str> = apart.iter().filter_map(Value::as_str).collect();
        if !names.iter().all(|n| out.contains_key(*n)) {
            return;
        }
        let kept = self.rng.random_range(0..names.len());
        for (i, name) in names.iter().enumerate() {
            if i != kept {
                out.shift_remove(*name);
            }
        }
    }

    fn array(&mut self, schema: &Value, depth: usize) -> Value {
        let items = schema.get("items").cloned().unwrap_or(Value::Bool(true));
        let count = if depth >= MAX_DEPTH || self.empty_lists {
            0
        } else {
            self.rng.random_range(0..3)
        };
        Value::Array((0..count).map(|_| self.at(&items, depth + 1)).collect())
    }

    fn integer(&mut self, schema: &Value) -> Value {
        let n: i64 = match Format::of(schema) {
            Some(Format::Uint32) => self.rng.random_range(0..=i64::from(u32::MAX)),
            Some(Format::Int64) => self.rng.random_range(i64::MIN..=i64::MAX),
            Some(Format::Uint64) => self.rng.random_range(0..=i64::MAX),
            _ => i64::from(self.rng.random_range(i32::MIN..=i32::MAX)),
        };
        // The document's bounds (page sizes: the overlay's), as whole numbers.
        let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
        match (bound("minimum"), bound("maximum")) {
            (Some(low), Some(high)) if low <= high => Value::from(
                self.rng
                    .random_range(low.ceil() as i64..=high.floor() as i64),
            ),
            (Some(low), None) => Value::from(n.max(low.ceil() as i64)),
            (None, Some(high)) => Value::from(n.min(high.floor() as i64)),
            _ => Value::from(n),
        }
    }

    fn string(&mut self, schema: &Value) -> Value {
        let answer = self.mode == Mode::Answer;
        Value::String(match Format::of(schema) {
            Some(Format::Int64) => self.rng.random_range(i64::MIN..=i64::MAX).to_string(),
            Some(Format::Uint64) => self.rng.random::<u64>().to_string(),
            Some(Format::Int32) => self.rng.random::<i32>().to_string(),
            Some(Format::Uint32) => self.rng.random::<u32>().to_string(),
            Some(Format::Duration) => self.duration(answer),
            Some(Format::Bytes) => self.base64(answer),
            Some(Format::DateTime) => self.date_time(),
            None => self.word_or_text(),
        })
    }

    /// A protobuf duration, or in an answer sometimes an ISO 8601 one.
    fn duration(&mut self, answer: bool) -> String {
        if answer && self.chance(0.25) {
            let (d, h, m, s) = (
                self.rng.random_range(0..30),
                self.rng.random_range(0..24),
                self.rng.random_range(0..60),
                self.rng.random_range(0..60),
            );
            return match self.rng.random_range(0..3) {
                0 => format!("P{d}DT{h}H"),
                1 => format!("PT{h}H{m}M"),
                _ => format!("PT{s}.5S"),
            };
        }
        let seconds = self
            .rng
            .random_range(-MAX_DURATION_SECONDS..=MAX_DURATION_SECONDS);
        let digits = self.rng.random_range(0..=9u32);
        if digits == 0 {
            return format!("{seconds}s");
        }
        let fraction = self.rng.random_range(0..10u64.pow(digits));
        let sign = if seconds == 0 && self.chance(0.5) {
            "-"
        } else {
            ""
        };
        format!(
            "{sign}{seconds}.{fraction:0width$}s",
            width = digits as usize
        )
    }

    /// Standard padded base64, or in an answer sometimes URL-safe or
    /// unpadded.
    fn base64(&mut self, answer: bool) -> String {
        let len = self.rng.random_range(0..20);
        let data: Vec<u8> = (0..len).map(|_| self.rng.random()).collect();
        use base64::engine::general_purpose::{
            STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
        };
        match if answer {
            self.rng.random_range(0..4)
        } else {
            0
        } {
            0 => STANDARD.encode(&data),
            1 => STANDARD_NO_PAD.encode(&data),
            2 => URL_SAFE.encode(&data),
            _ => URL_SAFE_NO_PAD.encode(&data),
        }
    }

    /// RFC 3339 with 0 to 9 decimals and a `Z` or an offset.
    fn date_time(&mut self) -> String {
        let seconds = self.rng.random_range(0..4_102_444_800i64); // 1970 to 2100
        let base = time::OffsetDateTime::from_unix_timestamp(seconds)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let (y, mo, d) = (base.year(), u8::from(base.month()), base.day());
        let (h, mi, s) = (base.hour(), base.minute(), base.second());
        let digits = self.rng.random_range(0..=9u32);
        let fraction = if digits == 0 {
            String::new()
        } else {
            let n = self.rng.random_range(0..10u64.pow(digits));
            format!(".{n:0width$}", width = digits as usize)
        };
        let offset = match self.rng.random_range(0..3) {
            0 => "Z".to_string(),
            1 => format!(
                "+{:02}:{:02}",
                self.rng.random_range(0..14),
                30 * self.rng.random_range(0..2)
            ),
            _ => format!("-{:02}:00", self.rng.random_range(1..12)),
        };
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{fraction}{offset}")
    }

    /// A short word, or text with characters a URL must escape.
    fn word_or_text(&mut self) -> String {
        if self.chance(0.3) {
            const TRICKY: [&str; 6] = ["a b", "x/y", "50%", "é漢", "q?&=#", "+plus"];
            let pick = self.rng.random_range(0..TRICKY.len());
            format!("{}-{}", self.word(), TRICKY[pick])
        } else {
            self.word()
        }
    }

    fn word(&mut self) -> String {
        let len = self.rng.random_range(1..10);
        (0..len)
            .map(|_| char::from(b'a' + self.rng.random_range(0..26u8)))
            .collect()
    }

    /// Any JSON value (for free-form places).
    fn any(&mut self) -> Value {
        match self.rng.random_range(0..5) {
            0 => Value::String(self.word()),
            1 => Value::from(self.rng.random_range(-1000..1000)),
            2 => Value::Bool(self.chance(0.5)),
            3 => Value::Array(vec![Value::String(self.word())]),
            _ => {
                let key = self.word();
                Value::Object(Map::from_iter([(key, Value::from(1))]))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Document {
        Document {
            root: json!({"components": {"schemas": {
                "Thing": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string", "format": "int64"},
                    "secret": {"type": "string", "readOnly": true},
                    "wait": {"type": "string", "format": "duration"},
                    "kind": {"type": "string", "enum": ["A", "B"]}
                }}
            }}}),
        }
    }

    #[test]
    fn requests_hold_every_writable_property_in_the_apis_forms() {
        let doc = doc();
        let schema = json!({"$ref": "#/components/schemas/Thing"});
        for seed in 0..20 {
            let value = Generator::new(&doc, Mode::Request, seed).value(&schema);
            assert!(Format::Int64.sent(value["id"].as_str().unwrap()));
            assert!(Format::Duration.sent(value["wait"].as_str().unwrap()));
            assert!(["A", "B"].contains(&value["kind"].as_str().unwrap()));
            assert!(value.get("secret").is_none());
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_values() {
        let doc = doc();
        let schema = json!({"$ref": "#/components/schemas/Thing"});
        let a = Generator::new(&doc, Mode::Answer, 7).value(&schema);
        let b = Generator::new(&doc, Mode::Answer, 7).value(&schema);
        assert_eq!(a, b);
    }
}
