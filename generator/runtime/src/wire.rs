//! What the generated models' serde impls share: the protobuf JSON
//! encodings that serde's defaults do not give, object keys, and the visitor
//! of structs whose fields are all optional ([`ReadFields`]).
//!
//! | format | Rust type | JSON |
//! | --- | --- | --- |
//! | [`Int64`], [`Uint64`] | `i64`, `u64` | a string (`"123"`); numbers are accepted too |
//! | [`Duration`] | [`time::Duration`] | seconds with an `s`: `"3.5s"`, `"-0.000000001s"` (ISO 8601 `"PT1H"` read too) |
//! | [`Bytes`] | `Vec<u8>` | base64 (standard alphabet; URL-safe and unpadded accepted) |
//! | [`Timestamp`] | [`time::OffsetDateTime`] | RFC 3339, nanoseconds kept |
//!
//! The models write values through [`Out`], [`OutSeq`] and [`OutMap`], and
//! read them through [`In`], [`InSeq`] and [`InMap`], which apply a
//! [`Format`]; object keys are read as a [`Key`].
// Not every spec uses every encoding in every container.
#![allow(dead_code)]

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use base64::Engine;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// One JSON encoding of one Rust type.
pub(crate) trait Format {
    /// The Rust type.
    type Value;
    /// Writes `value` in this encoding.
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads a value in this encoding.
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self::Value, D::Error>;
}

/// A value to write in format `F`.
pub(crate) struct Out<'a, F: Format>(pub(crate) &'a F::Value);

impl<F: Format> Serialize for Out<'_, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        F::serialize(self.0, serializer)
    }
}

/// A list of values to write in format `F`.
pub(crate) struct OutSeq<'a, F: Format>(pub(crate) &'a [F::Value]);

impl<F: Format> Serialize for OutSeq<'_, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(Out::<F>))
    }
}

/// A map of values to write in format `F`.
pub(crate) struct OutMap<'a, F: Format>(pub(crate) &'a BTreeMap<String, F::Value>);

impl<F: Format> Serialize for OutMap<'_, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, Out::<F>(v))))
    }
}

/// A value read in format `F`.
pub(crate) struct In<F: Format>(pub(crate) F::Value);

impl<'de, F: Format> Deserialize<'de> for In<F> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        F::deserialize(deserializer).map(In)
    }
}

/// A list of values read in format `F`.
pub(crate) struct InSeq<F: Format>(pub(crate) Vec<F::Value>);

impl<'de, F: Format> Deserialize<'de> for InSeq<F> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(InSeq(
            Vec::<In<F>>::deserialize(deserializer)?
                .into_iter()
                .map(|v| v.0)
                .collect(),
        ))
    }
}

/// A map of values read in format `F`.
pub(crate) struct InMap<F: Format>(pub(crate) BTreeMap<String, F::Value>);

impl<'de, F: Format> Deserialize<'de> for InMap<F> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries = BTreeMap::<String, In<F>>::deserialize(deserializer)?;
        Ok(InMap(entries.into_iter().map(|(k, v)| (k, v.0)).collect()))
    }
}

/// A list of messages read without its `null` items. The document marks
/// messages nullable, so it allows `[null]`; protobuf has no null in a
/// repeated field, so a `null` item is no item.
pub(crate) struct Items<T>(pub(crate) Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Items<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = Vec::<Option<T>>::deserialize(deserializer)?;
        Ok(Items(items.into_iter().flatten().collect()))
    }
}

/// A map of messages read without its `null` values (as [`Items`]).
pub(crate) struct Entries<T>(pub(crate) BTreeMap<String, T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries = BTreeMap::<String, Option<T>>::deserialize(deserializer)?;
        let kept = entries.into_iter().filter_map(|(k, v)| Some((k, v?)));
        Ok(Entries(kept.collect()))
    }
}

/// An object key, borrowed from the input when it can be.
pub(crate) struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// A generated struct whose fields are all optional, read from a JSON
/// object one field at a time into its default value.
pub(crate) trait ReadFields: Default {
    /// Reads the value of `key` into its field; skips keys it does not know.
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error>;
}

/// Reads a JSON object into a [`ReadFields`] type named `name`.
pub(crate) fn read_object<'de, T: ReadFields, D: Deserializer<'de>>(
    deserializer: D,
    name: &'static str,
) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(&'static str, PhantomData<T>);
    impl<'de, T: ReadFields> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} object", self.0)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut value = T::default();
            while let Some(key) = map.next_key::<Key>()? {
                value.read_field(key.as_str(), &mut map)?;
            }
            Ok(value)
        }
    }
    deserializer.deserialize_map(ObjectVisitor(name, PhantomData))
}

/// Reads a string enum from its value, without copying the text when the
/// input allows.
#[allow(dead_code)] // Used by specs with enums.
pub(crate) fn read_enum<'de, T: for<'a> From<&'a str>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct EnumVisitor<T>(PhantomData<T>);
    impl<T: for<'a> From<&'a str>> Visitor<'_> for EnumVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }
    }
    deserializer.deserialize_str(EnumVisitor(PhantomData))
}

/// The key of a protobuf `Any` that names its message type.
const ANY_TYPE_KEY: &str = "@type";

/// What the API's `@type` URLs start with.
const TYPE_URL_PREFIX: &str = "type.googleapis.com/";

/// The message an `Any` holds, by full name: its `@type` URL after the last
/// `/` (`c1.api.app.v1.App`).
pub(crate) fn any_type_name(any: &serde_json::Map<String, serde_json::Value>) -> Option<&str> {
    let url = any.get(ANY_TYPE_KEY)?.as_str()?;
    url.rsplit('/').next()
}

/// An `expanded` item as an object: a value that is not one (which the API
/// never sends) is kept under the key `value`.
pub(crate) fn any_object(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match value {
        serde_json::Value::Object(any) => any,
        other => serde_json::Map::from_iter([("value".to_string(), other)]),
    }
}

/// Reads an `Any` as the message `T`; one that does not decode as `T` is
/// given back as it came.
pub(crate) fn read_any<T: serde::de::DeserializeOwned>(
    any: serde_json::Map<String, serde_json::Value>,
) -> Result<T, serde_json::Map<String, serde_json::Value>> {
    let value = serde_json::Value::Object(any);
    T::deserialize(&value).map_err(|_| match value {
        serde_json::Value::Object(any) => any,
        _ => serde_json::Map::new(),
    })
}

/// Writes `message` as an `Any`: its fields, and its `@type` from its full
/// name.
pub(crate) fn write_any<T: Serialize, S: Serializer>(
    serializer: S,
    name: &str,
    message: &T,
) -> Result<S::Ok, S::Error> {
    let mut any = match serde_json::to_value(message).map_err(serde::ser::Error::custom)? {
        serde_json::Value::Object(fields) => fields,
        _ => serde_json::Map::new(),
    };
    let url = format!("{TYPE_URL_PREFIX}{name}");
    any.insert(ANY_TYPE_KEY.into(), serde_json::Value::String(url));
    any.serialize(serializer)
}

/// The value of a tagged union's tag property, if it is a string.
#[allow(dead_code)] // Used by tagged unions.
pub(crate) fn union_tag<'v>(value: &'v serde_json::Value, tag: &str) -> Option<&'v str> {
    value.get(tag)?.as_str()
}

/// The error of a value that matches no member of the union `name`: each
/// member's reason, in the order they were tried.
#[allow(dead_code)] // Used by untagged unions.
pub(crate) fn no_member<E: de::Error>(name: &str, tried: &[(&str, serde_json::Error)]) -> E {
    let reasons: Vec<String> = tried.iter().map(|(m, e)| format!("{m}: {e}")).collect();
    E::custom(format!(
        "the value matches no member of `{name}` ({})",
        reasons.join("; ")
    ))
}

/// Writes a tagged union's member: its fields, with the tag set to `value`
/// when the member leaves it out.
#[allow(dead_code)] // Used by tagged unions.
pub(crate) fn write_tagged<T: Serialize, S: Serializer>(
    serializer: S,
    tag: &str,
    value: &str,
    member: &T,
) -> Result<S::Ok, S::Error> {
    match serde_json::to_value(member).map_err(serde::ser::Error::custom)? {
        serde_json::Value::Object(mut fields) => {
            if fields.get(tag).is_none_or(serde_json::Value::is_null) {
                fields.insert(tag.into(), serde_json::Value::String(value.into()));
            }
            fields.serialize(serializer)
        }
        other => other.serialize(serializer),
    }
}

/// The item of a response's `expanded` list that a JSONPath field points
/// to: `$.expanded[8]` (or `$['expanded'][8]`) is its ninth.
pub(crate) fn expanded_item<'a, T>(path: Option<&str>, expanded: &'a [T]) -> Option<&'a T> {
    let path = path?.trim();
    let rest = ["$.expanded[", "$['expanded'][", "$[\"expanded\"]["]
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix))?;
    let index = rest.strip_suffix(']')?.trim();
    expanded.get(index.parse::<usize>().ok()?)
}

/// A 64-bit integer as a string; reads strings and numbers.
pub(crate) struct Int64;
/// An unsigned 64-bit integer as a string; reads strings and numbers.
pub(crate) struct Uint64;

macro_rules! string_integer {
    ($format:ty, $int:ty, $what:literal) => {
        impl Format for $format {
            type Value = $int;
            fn serialize<S: Serializer>(value: &$int, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(value)
            }
            fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<$int, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = $int;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!($what, " as a string or a number"))
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$int, E> {
                        v.trim()
                            .parse()
                            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$int, E> {
                        <$int>::try_from(v)
                            .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$int, E> {
                        <$int>::try_from(v)
                            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
                    }
                }
                deserializer.deserialize_any(V)
            }
        }
    };
}

string_integer!(Int64, i64, "a 64-bit integer");
string_integer!(Uint64, u64, "an unsigned 64-bit integer");

/// A protobuf `Duration`: seconds with up to nine decimals and an `s`.
pub(crate) struct Duration;

impl Format for Duration {
    type Value = time::Duration;

    fn serialize<S: Serializer>(value: &time::Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_duration(*value))
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<time::Duration, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        parse_duration(&text)
            .or_else(|| parse_iso_duration(&text))
            .ok_or_else(|| {
                de::Error::invalid_value(
                    de::Unexpected::Str(&text),
                    &"a duration such as \"3.5s\" or \"PT1H30M\"",
                )
            })
    }
}

/// `"3.5s"`: whole seconds, then 0, 3, 6 or 9 decimals, as protobuf writes them.
pub(crate) fn format_duration(value: time::Duration) -> String {
    let sign = if value.is_negative() { "-" } else { "" };
    let (seconds, nanos) = (
        value.whole_seconds().unsigned_abs(),
        value.subsec_nanoseconds().unsigned_abs(),
    );
    match nanos {
        0 => format!("{sign}{seconds}s"),
        n if n % 1_000_000 == 0 => format!("{sign}{seconds}.{:03}s", n / 1_000_000),
        n if n % 1_000 == 0 => format!("{sign}{seconds}.{:06}s", n / 1_000),
        n => format!("{sign}{seconds}.{n:09}s"),
    }
}

/// Reads `"3.5s"`, `"-0.25s"`, `"10s"`.
pub(crate) fn parse_duration(text: &str) -> Option<time::Duration> {
    let number = text.trim().strip_suffix('s')?;
    let (negative, digits) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 9
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let seconds: i64 = whole.parse().ok()?;
    let nanos: i32 = if fraction.is_empty() {
        0
    } else {
        format!("{fraction:0<9}").parse().ok()?
    };
    let value = time::Duration::new(seconds, nanos);
    Some(if negative { -value } else { value })
}

/// Reads an ISO 8601 duration, as JSON Schema's `format: duration` spells
/// it: `"PT1H"`, `"P1DT2H30M"`, `"PT0.5S"`, `"P2W"`, with an optional `-`.
/// Weeks are 7 days and days 24 hours; years and months, which have no fixed
/// length, are refused. Only the last number may have a fraction (up to
/// nine decimals).
pub(crate) fn parse_iso_duration(text: &str) -> Option<time::Duration> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let rest = text.strip_prefix('P')?;
    let (date, clock) = match rest.split_once('T') {
        Some((date, clock)) if !clock.is_empty() => (date, Some(clock)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut total = time::Duration::ZERO;
    let mut fraction_seen = false;
    let mut units = 0;
    for (part, table) in [
        (date, &[('W', 604_800), ('D', 86_400)][..]),
        (
            clock.unwrap_or(""),
            &[('H', 3_600), ('M', 60), ('S', 1)][..],
        ),
    ] {
        let mut rest = part;
        let mut allowed = table;
        while !rest.is_empty() {
            if fraction_seen {
                return None;
            }
            let end = rest.find(|c: char| !c.is_ascii_digit() && c != '.' && c != ',')?;
            let (number, unit) = (&rest[..end], rest[end..].chars().next()?);
            let position = allowed.iter().position(|(u, _)| *u == unit)?;
            let seconds = allowed[position].1;
            allowed = &allowed[position + 1..];
            rest = &rest[end + unit.len_utf8()..];
            let (whole, fraction) = number.split_once(['.', ',']).unwrap_or((number, ""));
            fraction_seen = !fraction.is_empty();
            if whole.is_empty()
                || fraction.len() > 9
                || !fraction.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            let whole: i64 = whole.parse().ok()?;
            let nanos: i64 = if fraction.is_empty() {
                0
            } else {
                format!("{fraction:0<9}").parse().ok()?
            };
            let part = time::Duration::seconds(whole.checked_mul(seconds)?)
                .checked_add(time::Duration::nanoseconds(nanos.checked_mul(seconds)?))?;
            total = total.checked_add(part)?;
            units += 1;
        }
    }
    if units == 0 {
        return None;
    }
    Some(if negative { -total } else { total })
}

/// Bytes as base64.
pub(crate) struct Bytes;

impl Format for Bytes {
    type Value = Vec<u8>;

    fn serialize<S: Serializer>(value: &Vec<u8>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&base64::engine::general_purpose::STANDARD.encode(value))
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
        let config =
            GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        GeneralPurpose::new(&base64::alphabet::STANDARD, config)
            .decode(text.as_bytes())
            .or_else(|_| {
                GeneralPurpose::new(&base64::alphabet::URL_SAFE, config).decode(text.as_bytes())
            })
            .map_err(|_| de::Error::invalid_value(de::Unexpected::Str(&text), &"base64"))
    }
}

/// An RFC 3339 timestamp.
pub(crate) struct Timestamp;

impl Format for Timestamp {
    type Value = time::OffsetDateTime;

    fn serialize<S: Serializer>(
        value: &time::OffsetDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        time::serde::rfc3339::serialize(value, serializer)
    }

    fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<time::OffsetDateTime, D::Error> {
        time::serde::rfc3339::deserialize(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Reads `json` in format `F` and writes it back.
    fn round_trip<F: Format>(json: serde_json::Value) -> (F::Value, serde_json::Value) {
        let value = serde_json::from_value::<In<F>>(json).expect("reads").0;
        let back = serde_json::to_value(Out::<F>(&value)).expect("writes");
        (value, back)
    }

    fn read<F: Format>(json: serde_json::Value) -> Result<F::Value, String> {
        serde_json::from_value::<In<F>>(json)
            .map(|v| v.0)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn int64_is_a_string_and_reads_numbers_too() {
        assert_eq!(
            round_trip::<Int64>(json!("-9007199254740993")),
            (-9_007_199_254_740_993, json!("-9007199254740993"))
        );
        assert_eq!(round_trip::<Int64>(json!(42)), (42, json!("42")));
        assert_eq!(
            round_trip::<Uint64>(json!(18446744073709551615u64)),
            (u64::MAX, json!("18446744073709551615"))
        );
        assert_eq!(
            read::<Int64>(json!("12x")).unwrap_err(),
            "invalid value: string \"12x\", expected a 64-bit integer as a string or a number"
        );
        assert!(read::<Uint64>(json!(-1)).is_err());
        assert!(read::<Int64>(json!(1.5)).is_err());
    }

    #[test]
    fn durations_round_trip_in_protobuf_form() {
        for (text, seconds, nanos) in [
            ("3s", 3, 0),
            ("3.500s", 3, 500_000_000),
            ("0.000001s", 0, 1_000),
            ("-1.000000001s", -1, -1),
            ("0s", 0, 0),
        ] {
            let value = time::Duration::new(seconds, nanos);
            assert_eq!(parse_duration(text), Some(value), "{text}");
            assert_eq!(format_duration(value), text);
        }
        assert_eq!(
            parse_duration("3.5s"),
            Some(time::Duration::milliseconds(3500))
        );
        assert_eq!(
            parse_duration("-0.25s"),
            Some(time::Duration::milliseconds(-250))
        );
        for bad in ["3", "s", "1.2.3s", "1.0000000001s", "-s", "1e3s", "abc"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(
            round_trip::<Duration>(json!("2.5s")),
            (time::Duration::milliseconds(2500), json!("2.500s"))
        );
        assert!(read::<Duration>(json!("soon")).is_err());
    }

    #[test]
    fn durations_read_iso_8601_as_the_document_spells_them() {
        let d = |s: i64, n: i32| Some(time::Duration::new(s, n));
        for (text, expected) in [
            ("PT1H", d(3_600, 0)),
            ("P1DT2H", d(93_600, 0)),
            ("PT1H30M", d(5_400, 0)),
            ("PT0.5S", d(0, 500_000_000)),
            ("PT1.000000001S", d(1, 1)),
            ("P2W", d(1_209_600, 0)),
            ("P1D", d(86_400, 0)),
            ("-PT90S", d(-90, 0)),
            ("PT1,5M", d(90, 0)),
            ("P0D", d(0, 0)),
        ] {
            assert_eq!(parse_iso_duration(text), expected, "{text}");
        }
        for bad in [
            "P",
            "PT",
            "P1Y",
            "P1M",
            "PT1H1H",
            "PT1M1H",
            "P1DT",
            "PT0.5H1M",
            "1H",
            "PT1.0000000001S",
            "PTH",
            "P1.5W2D",
            "PT99999999999999999999S",
        ] {
            assert_eq!(parse_iso_duration(bad), None, "{bad}");
        }
        assert_eq!(
            round_trip::<Duration>(json!("PT1H")),
            (time::Duration::hours(1), json!("3600s"))
        );
        assert_eq!(
            read::<Duration>(json!("P1Y")).unwrap_err(),
            "invalid value: string \"P1Y\", expected a duration such as \"3.5s\" or \"PT1H30M\""
        );
    }

    #[test]
    fn bytes_are_base64_in_any_alphabet_and_padding() {
        assert_eq!(
            round_trip::<Bytes>(json!("aGk/Pz4+")),
            (b"hi??>>".to_vec(), json!("aGk/Pz4+"))
        );
        assert_eq!(read::<Bytes>(json!("aGk_Pz4-")).unwrap(), b"hi??>>");
        assert_eq!(
            round_trip::<Bytes>(json!("aGk")),
            (b"hi".to_vec(), json!("aGk="))
        );
        assert!(read::<Bytes>(json!("!!")).is_err());
    }

    #[test]
    fn timestamps_keep_nanoseconds() {
        let (value, back) = round_trip::<Timestamp>(json!("2024-05-01T12:00:00.123456789Z"));
        assert_eq!(value.nanosecond(), 123_456_789);
        assert_eq!(back, json!("2024-05-01T12:00:00.123456789Z"));
    }

    #[test]
    fn containers_apply_the_format_to_each_value() {
        let list = serde_json::from_value::<InSeq<Int64>>(json!(["1", 2]))
            .unwrap()
            .0;
        assert_eq!(list, [1, 2]);
        assert_eq!(
            serde_json::to_value(OutSeq::<Int64>(&list)).unwrap(),
            json!(["1", "2"])
        );
        let map = serde_json::from_value::<InMap<Bytes>>(json!({"a": "aGk="}))
            .unwrap()
            .0;
        assert_eq!(map["a"], b"hi");
        assert_eq!(
            serde_json::to_value(OutMap::<Bytes>(&map)).unwrap(),
            json!({"a": "aGk="})
        );
    }

    #[test]
    fn null_items_and_values_of_messages_are_left_out() {
        let items = serde_json::from_value::<Items<String>>(json!(["a", null, "b"])).unwrap();
        assert_eq!(items.0, ["a", "b"]);
        let entries =
            serde_json::from_value::<Entries<String>>(json!({"a": "x", "b": null})).unwrap();
        assert_eq!(
            entries.0.into_iter().collect::<Vec<_>>(),
            [("a".to_string(), "x".to_string())]
        );
        assert!(serde_json::from_value::<Items<String>>(json!([1])).is_err());
    }

    #[test]
    fn expanded_paths_give_their_item() {
        let list = ["a", "b", "c"];
        assert_eq!(expanded_item(Some("$.expanded[2]"), &list), Some(&"c"));
        assert_eq!(
            expanded_item(Some(" $['expanded'][ 0 ] "), &list),
            Some(&"a")
        );
        assert_eq!(expanded_item(Some("$[\"expanded\"][1]"), &list), Some(&"b"));
        for missing in [
            "$.expanded[3]",
            "$.expanded[-1]",
            "$.other[0]",
            "$.expanded[0",
            "",
        ] {
            assert_eq!(expanded_item(Some(missing), &list), None, "{missing}");
        }
        assert_eq!(expanded_item(None, &list), None);
    }

    #[test]
    fn anys_name_their_message_and_keep_what_does_not_decode() {
        #[derive(Debug, serde::Deserialize, serde::Serialize, PartialEq)]
        struct Thing {
            n: u8,
        }
        let json = serde_json::json!({"@type": "type.googleapis.com/x.v1.Thing", "n": 300});
        let serde_json::Value::Object(any) = json else {
            panic!("an object")
        };
        assert_eq!(any_type_name(&any), Some("x.v1.Thing"));
        let kept = read_any::<Thing>(any.clone()).unwrap_err();
        assert_eq!(kept, any, "300 is no u8: the object is given back whole");
        let mut fitting = any;
        fitting.insert("n".into(), 7.into());
        assert_eq!(read_any::<Thing>(fitting), Ok(Thing { n: 7 }));
        let written = serde_json::to_value(AnyOut(Thing { n: 7 })).unwrap();
        assert_eq!(
            written,
            serde_json::json!({"@type": "type.googleapis.com/x.v1.Thing", "n": 7})
        );
    }

    struct AnyOut<T>(T);
    impl<T: Serialize> Serialize for AnyOut<T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            write_any(serializer, "x.v1.Thing", &self.0)
        }
    }

    #[test]
    fn keys_borrow_from_the_input_when_they_can() {
        let mut de = serde_json::Deserializer::from_str(r#""plain""#);
        assert!(matches!(
            Key::deserialize(&mut de).unwrap().0,
            Cow::Borrowed("plain")
        ));
        let mut de = serde_json::Deserializer::from_str(r#""esc\u0061ped""#);
        assert_eq!(Key::deserialize(&mut de).unwrap().as_str(), "escaped");
    }
}
