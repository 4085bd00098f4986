//! How this API writes each `format`, and what the document's own words
//! also allow. The API is protobuf JSON; the document's `format` names come
//! from JSON Schema, which reads some of them otherwise.
//!
//! | format | the API sends (what a request must be) | also read in answers |
//! | --- | --- | --- |
//! | `int64`, `uint64` (strings) | a decimal string in range (`"42"`) | a JSON number |
//! | `int32`, `uint32` (integers) | a number in range (`uint32` never negative) | |
//! | `duration` | seconds with 0 to 9 decimals and an `s` (`"3600s"`, `"1.5s"`) | ISO 8601 (`"PT1H"`, `"P1DT2H"`) |
//! | `base64`, `byte` | standard base64, padded | URL-safe, unpadded |
//! | `date-time` | RFC 3339 with up to 9 decimals and any offset | |

use base64::Engine;
use serde_json::Value;

/// The most seconds a protobuf `Duration` holds (10,000 years).
pub const MAX_DURATION_SECONDS: i64 = 315_576_000_000;

/// A `format` this API gives a meaning to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `format: int64` on a string.
    Int64,
    /// `format: uint64` on a string.
    Uint64,
    /// `format: int32` on an integer.
    Int32,
    /// `format: uint32` on an integer.
    Uint32,
    /// `format: duration`.
    Duration,
    /// `format: base64` or `byte`.
    Bytes,
    /// `format: date-time`.
    DateTime,
}

impl Format {
    /// The format of a (resolved) schema, if it is one of these.
    pub fn of(schema: &Value) -> Option<Format> {
        let format = schema.get("format")?.as_str()?;
        Some(match format {
            "int64" => Format::Int64,
            "uint64" => Format::Uint64,
            "int32" => Format::Int32,
            "uint32" => Format::Uint32,
            "duration" => Format::Duration,
            "base64" | "byte" => Format::Bytes,
            "date-time" => Format::DateTime,
            _ => return None,
        })
    }

    /// Whether `text` is written as the API writes this format (the custom
    /// format a request is validated with).
    pub fn sent(self, text: &str) -> bool {
        match self {
            Format::Int64 => decimal(text) && text.parse::<i64>().is_ok(),
            Format::Uint64 => {
                decimal(text) && !text.starts_with('-') && text.parse::<u64>().is_ok()
            }
            Format::Int32 => decimal(text) && text.parse::<i32>().is_ok(),
            Format::Uint32 => decimal(text) && text.parse::<u32>().is_ok(),
            Format::Duration => protobuf_duration(text).is_some(),
            Format::Bytes => base64::engine::general_purpose::STANDARD
                .decode(text)
                .is_ok(),
            Format::DateTime => instant(text).is_some(),
        }
    }

    /// The custom format names a validator registers, with their checks.
    pub fn custom() -> [(&'static str, Format); 8] {
        [
            ("int64", Format::Int64),
            ("uint64", Format::Uint64),
            ("int32", Format::Int32),
            ("uint32", Format::Uint32),
            ("duration", Format::Duration),
            ("base64", Format::Bytes),
            ("byte", Format::Bytes),
            ("date-time", Format::DateTime),
        ]
    }
}

/// Only ASCII digits, with an optional leading `-`.
fn decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A protobuf duration (`"-1.5s"`) in nanoseconds.
pub fn protobuf_duration(text: &str) -> Option<i128> {
    let number = text.strip_suffix('s')?;
    let (negative, digits) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) || fraction.len() > 9 {
        return None;
    }
    if digits.contains('.') && fraction.is_empty() {
        return None;
    }
    let seconds: i64 = whole.parse().ok()?;
    if seconds > MAX_DURATION_SECONDS {
        return None;
    }
    let nanos: i128 = format!("{fraction:0<9}").parse().ok()?;
    let total = i128::from(seconds) * 1_000_000_000 + nanos;
    Some(if negative { -total } else { total })
}

/// An ISO 8601 duration of weeks, days, hours, minutes and seconds
/// (`"P1DT2H"`, `"PT0.5S"`) in nanoseconds.
pub fn iso_duration(text: &str) -> Option<i128> {
    let rest = text.strip_prefix('P')?;
    let (date, clock) = match rest.split_once('T') {
        Some((_, "")) => return None,
        Some((date, clock)) => (date, clock),
        None => (rest, ""),
    };
    let mut total: i128 = 0;
    let mut any = false;
    for (part, units) in [
        (date, &[('W', 604_800), ('D', 86_400)][..]),
        (clock, &[('H', 3_600), ('M', 60), ('S', 1)][..]),
    ] {
        let mut rest = part;
        let mut units = units;
        while !rest.is_empty() {
            let end = rest.find(|c: char| c.is_ascii_alphabetic())?;
            let unit = rest[end..].chars().next()?;
            let at = units.iter().position(|(u, _)| *u == unit)?;
            let seconds: i128 = units[at].1;
            units = &units[at + 1..];
            let number = &rest[..end];
            rest = &rest[end + 1..];
            let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
            if whole.is_empty() || fraction.len() > 9 || !rest.is_empty() && !fraction.is_empty() {
                return None;
            }
            let whole: i128 = whole.parse().ok()?;
            let fraction: i128 = format!("{fraction:0<9}").parse().ok()?;
            total += whole * seconds * 1_000_000_000 + fraction * seconds;
            any = true;
        }
    }
    any.then_some(total)
}

/// A duration in either form, in nanoseconds.
pub fn duration(text: &str) -> Option<i128> {
    protobuf_duration(text).or_else(|| iso_duration(text))
}

/// Base64 in either alphabet, padded or not.
pub fn bytes(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    let config =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    [base64::alphabet::STANDARD, base64::alphabet::URL_SAFE]
        .iter()
        .find_map(|alphabet| GeneralPurpose::new(alphabet, config).decode(text).ok())
}

/// An RFC 3339 date-time as nanoseconds since the epoch.
pub fn instant(text: &str) -> Option<i128> {
    let parsed =
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    Some(parsed.unix_timestamp_nanos())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_forms_are_told_from_the_documents_words() {
        assert!(Format::Int64.sent("-9223372036854775808"));
        assert!(!Format::Int64.sent("9223372036854775808"));
        assert!(!Format::Int64.sent("1e3"));
        assert!(!Format::Uint64.sent("-1"));
        assert!(Format::Duration.sent("3600s"));
        assert!(Format::Duration.sent("1.000000001s"));
        assert!(!Format::Duration.sent("PT1H"));
        assert!(!Format::Duration.sent("1.s"));
        assert!(Format::Bytes.sent("aGk="));
        assert!(!Format::Bytes.sent("aGk"));
        assert!(!Format::Bytes.sent("aGk_"));
        assert!(Format::DateTime.sent("2024-05-01T12:00:00.123456789+02:00"));
        assert!(!Format::DateTime.sent("2024-05-01 12:00"));
    }

    #[test]
    fn durations_and_bytes_read_in_every_allowed_form() {
        assert_eq!(duration("PT1H"), duration("3600s"));
        assert_eq!(duration("P1DT2H"), Some(93_600 * 1_000_000_000));
        assert_eq!(duration("PT0.5S"), duration("0.500s"));
        assert_eq!(duration("P1Y"), None);
        assert_eq!(bytes("aGk_Pz4-"), bytes("aGk/Pz4+"));
        assert_eq!(bytes("aGk"), Some(b"hi".to_vec()));
    }
}
