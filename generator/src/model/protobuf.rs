//! The conventions of APIs generated from protobuf services, as the C1 API
//! is: JSON encodings of 64-bit integers, durations and bytes; `oneof`
//! groups described in prose; packages (`c1.api.iam.v1`) and the type and
//! module names they give; enum values that repeat their enum's name; and
//! the `pageToken` / `nextPageToken` pagination.

use std::collections::BTreeMap;

use super::ir::{MessageVariant, Scalar, Variant};
use crate::names::{pascal, snake, Namespace};

/// Whether a free-form object schema (`additionalProperties: true`) is a
/// protobuf `Any` in JSON: its one declared property is a string `@type`,
/// which names the message.
pub fn is_any(obj: &openapiv3::ObjectType) -> bool {
    let type_url = obj.properties.get(ANY_TYPE_KEY).and_then(|p| p.as_item());
    let is_string = |s: &openapiv3::Schema| {
        matches!(
            s.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::String(_))
        )
    };
    obj.properties.len() == 1 && type_url.is_some_and(|s| is_string(s))
}

/// The key of a protobuf `Any` that names its message type.
pub const ANY_TYPE_KEY: &str = "@type";

/// The response field that lists the objects other fields point to.
pub const EXPANDED: &str = "expanded";

/// The response field that holds the next page's token.
pub const NEXT_PAGE_TOKEN: &str = "nextPageToken";
/// The query parameter that asks for a page.
pub const PAGE_TOKEN_PARAM: &str = "page_token";
/// The request body field that asks for a page.
pub const PAGE_TOKEN_FIELD: &str = "pageToken";

/// The scalar a `type: string` schema with this `format` is: protobuf JSON
/// carries 64-bit integers, durations and bytes as strings.
pub fn string_format(format: &str) -> Scalar {
    match format {
        "date-time" => Scalar::DateTime,
        "int64" => Scalar::I64Str,
        "uint64" => Scalar::U64Str,
        "duration" => Scalar::Duration,
        "base64" | "byte" => Scalar::Bytes,
        "binary" => Scalar::File,
        _ => Scalar::String,
    }
}

/// A protobuf `oneof` as the C1 spec describes it in a message's description:
/// "This message contains a oneof named X. Only a single field of the
/// following list may be set at a time:" and a list of `  - field` lines.
#[derive(Debug, PartialEq)]
pub struct OneOf {
    /// The oneof's name.
    pub name: String,
    /// Its fields' JSON names.
    pub fields: Vec<String>,
}

/// The oneofs a message's description lists.
pub fn oneofs(description: &str) -> Vec<OneOf> {
    const INTRO: &str = "This message contains a oneof named ";
    let mut found = Vec::new();
    let mut rest = description;
    while let Some(start) = rest.find(INTRO) {
        rest = &rest[start + INTRO.len()..];
        let Some((name, after)) = rest.split_once(". ") else {
            break;
        };
        let fields: Vec<String> = after
            .lines()
            .skip(1)
            .map(str::trim)
            .take_while(|l| l.starts_with("- "))
            .map(|l| l.trim_start_matches("- ").trim().to_string())
            .collect();
        found.push(OneOf {
            name: name.to_string(),
            fields,
        });
    }
    found
}

/// Adds to a field's doc the oneof constraint it is part of.
pub fn with_oneof_note(doc: Option<String>, field: &str, oneofs: &[OneOf]) -> Option<String> {
    let Some(oneof) = oneofs.iter().find(|o| o.fields.iter().any(|f| f == field)) else {
        return doc;
    };
    let others: Vec<String> = oneof
        .fields
        .iter()
        .filter(|f| *f != field)
        .map(|f| format!("`{f}`"))
        .collect();
    let note = format!(
        "Part of the oneof `{}`: set at most one of this and {}.",
        oneof.name,
        others.join(", ")
    );
    Some(match doc {
        Some(text) => format!("{text}\n\n{note}"),
        None => note,
    })
}

/// Variants named after their values, without the prefix that protobuf
/// enums repeat in every value (`APP_USER_TYPE_USER` -> `User`) when every
/// value has it and what is left still names each one apart.
pub fn variants(values: &[Option<String>]) -> Vec<Variant> {
    let wires: Vec<&String> = values.iter().flatten().collect();
    let prefix = common_prefix(&wires);
    let stripped: Vec<String> = wires.iter().map(|w| pascal(&w[prefix.len()..])).collect();
    let usable = stripped.iter().enumerate().all(|(i, name)| {
        !name.starts_with('_') && !name.starts_with("r#") && !stripped[..i].contains(name)
    });
    let mut out: Vec<Variant> = Vec::new();
    for (i, wire) in wires.into_iter().enumerate() {
        let base = if usable {
            stripped[i].clone()
        } else {
            pascal(wire)
        };
        out.push(Variant {
            name: base,
            wire_name: wire.clone(),
        });
    }
    out
}

/// The name of an enum's case for values added to the API later: one no
/// variant has (`UnknownValue`, unless a value is spelled so).
pub fn catch_all(variants: &[Variant]) -> String {
    let mut names = Namespace::default();
    variants.iter().for_each(|v| names.insert(&v.name));
    names.claim("UnknownValue")
}

/// The name of a protobuf `Any`'s case for a message of no listed type:
/// one no variant has (`Other`, unless a message type is named so).
pub fn any_other(variants: &[MessageVariant]) -> String {
    let mut names = Namespace::default();
    variants.iter().for_each(|v| names.insert(&v.name));
    names.claim("Other")
}

/// The longest prefix ending in `_` that all of at least two values share.
fn common_prefix(values: &[&String]) -> String {
    let [first, rest @ ..] = values else {
        return String::new();
    };
    if rest.is_empty() {
        return String::new();
    }
    let mut len = first.len();
    for value in rest {
        let shared = first
            .char_indices()
            .zip(value.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8());
        len = len.min(shared);
    }
    match first[..len].rfind('_') {
        Some(end) if values.iter().all(|v| v.len() > end + 1) => first[..=end].to_string(),
        _ => String::new(),
    }
}

/// The protobuf package of a schema name: its leading lowercase segments
/// (`c1.api.iam.v1.Outer.Inner` -> `c1.api.iam.v1`).
pub fn package_of(key: &str) -> String {
    let segments: Vec<&str> = key.split('.').collect();
    let last = segments.len().saturating_sub(1);
    let package: Vec<&str> = segments[..last]
        .iter()
        .take_while(|s| s.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .copied()
        .collect();
    package.join(".")
}

/// The shortest package qualification that tells the type `name` of `key`
/// apart from `rivals` of the same name (`c1.api.app.v1.Foo` -> `AppFoo`);
/// version segments (`v1`) are skipped.
pub fn qualify(key: &str, name: &str, rivals: &[&str]) -> String {
    let packages = |k: &str| -> Vec<String> {
        let mut segs: Vec<&str> = k.split('.').collect();
        segs.pop();
        segs.into_iter()
            .filter(|s| !is_version(s))
            .map(pascal)
            .collect()
    };
    let own = packages(key);
    for depth in 1..=own.len() {
        let prefix = |segs: &[String]| segs[segs.len().saturating_sub(depth)..].concat();
        let mine = prefix(&own);
        if rivals
            .iter()
            .filter(|r| **r != key)
            .all(|r| prefix(&packages(r)) != mine)
        {
            return format!("{mine}{name}");
        }
    }
    format!("{}{name}", own.concat())
}

fn is_version(segment: &str) -> bool {
    let mut chars = segment.chars();
    chars.next() == Some('v') && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// The models module of each package: the package without the prefix shared
/// by all packages that begin with the same two segments (`c1.api.iam.v1`
/// -> `iam_v1`), keeping at least two segments; types outside any package
/// go to `types`.
pub fn module_names<'p>(packages: impl IntoIterator<Item = &'p str> + Clone) -> Vec<String> {
    let split = |p: &str| -> Vec<String> {
        p.split('.')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let family = |segments: &[String]| {
        segments
            .iter()
            .take(2)
            .cloned()
            .collect::<Vec<_>>()
            .join(".")
    };
    let mut shared: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for segments in packages
        .clone()
        .into_iter()
        .map(split)
        .filter(|p| !p.is_empty())
    {
        shared
            .entry(family(&segments))
            .and_modify(|prefix| {
                let len = prefix
                    .iter()
                    .zip(&segments)
                    .take_while(|(a, b)| a == b)
                    .count();
                prefix.truncate(len);
            })
            .or_insert(segments);
    }
    packages
        .into_iter()
        .map(|package| {
            let segments = split(package);
            let Some(prefix) = shared.get(&family(&segments)) else {
                return "types".to_string();
            };
            let start = prefix.len().min(segments.len().saturating_sub(2));
            snake(&segments[start..].join("_"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_give_module_names() {
        let packages = [
            "c1.api.iam.v1",
            "c1.api.app.v1",
            "c1.api.app.v1",
            "",
            "google.protobuf",
        ];
        assert_eq!(
            module_names(packages),
            ["iam_v1", "app_v1", "app_v1", "types", "google_protobuf"]
        );
    }

    #[test]
    fn string_formats_follow_protobuf_json() {
        assert_eq!(string_format("int64"), Scalar::I64Str);
        assert_eq!(string_format("uint64"), Scalar::U64Str);
        assert_eq!(string_format("duration"), Scalar::Duration);
        assert_eq!(string_format("byte"), Scalar::Bytes);
        assert_eq!(string_format("uuid"), Scalar::String);
    }

    #[test]
    fn packages_qualify_colliding_names() {
        let rivals = ["c1.api.app.v1.Foo", "c1.api.iam.v1.Foo"];
        assert_eq!(qualify(rivals[0], "Foo", &rivals), "AppFoo");
        assert_eq!(package_of("c1.api.iam.v1.Outer.Inner"), "c1.api.iam.v1");
    }
}
