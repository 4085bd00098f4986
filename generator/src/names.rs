//! Rust names for spec names: types, fields, modules, functions.

use heck::{ToPascalCase, ToSnakeCase};

/// Rust keywords, strict and reserved (2024 edition).
const KEYWORDS: [&str; 52] = [
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: [&str; 4] = ["crate", "self", "Self", "super"];

/// Type names the generated models use unqualified, which a spec type must
/// not shadow.
pub const RESERVED_TYPES: [&str; 11] = [
    "Box", "Err", "None", "Ok", "Option", "Result", "Self", "Some", "String", "Vec", "Visitor",
];

/// Makes `word` a valid identifier: a leading digit gets a `_` before it,
/// an empty word becomes `fallback`.
fn valid_start(word: String, fallback: &str) -> String {
    match word.chars().next() {
        None => fallback.to_string(),
        Some(c) if c.is_ascii_digit() => format!("_{word}"),
        Some(_) => word,
    }
}

/// The snake_case identifier for a spec name (a field, parameter or
/// function); keywords become raw identifiers (`r#type`) or get a `_` suffix.
pub fn snake(name: &str) -> String {
    let word = valid_start(name.to_snake_case(), "field");
    escape_keyword(word)
}

/// The PascalCase identifier for a spec name (a type or variant).
pub fn pascal(name: &str) -> String {
    let word = valid_start(name.to_pascal_case(), "Unnamed");
    escape_keyword(word)
}

fn escape_keyword(word: String) -> String {
    if NOT_RAW.contains(&word.as_str()) {
        format!("{word}_")
    } else if KEYWORDS.contains(&word.as_str()) {
        format!("r#{word}")
    } else {
        word
    }
}

/// An operation's name in the spec: its `x-speakeasy-name-override`, else
/// the last dotted segment of its `operationId`, else method and path.
pub fn operation_spec_name(
    name_override: Option<&str>,
    operation_id: Option<&str>,
    method: &str,
    path: &str,
) -> String {
    name_override
        .map(str::to_string)
        .or_else(|| operation_id.map(|id| id.rsplit('.').next().unwrap_or(id).to_string()))
        .unwrap_or_else(|| format!("{} {path}", method.to_uppercase()))
}

/// An operation's group: its `x-speakeasy-group`, else its first tag, else
/// `default`. Its module is [`group_module`].
pub fn operation_group(x_group: Option<&str>, first_tag: Option<&str>) -> String {
    x_group.or(first_tag).unwrap_or("default").to_string()
}

/// The methods of the runtime's `Client` and `testing::MockServer`, which a
/// group's module, also its accessor on both, may not be named.
pub const ACCESSOR_RESERVED: [&str; 12] = [
    "base_url",
    "builder",
    "calls",
    "client",
    "execute",
    "execute_in_span",
    "expect",
    "from_env",
    "received",
    "start",
    "uri",
    "verify",
];

/// The generated crate's own cargo features, which a group's module, also
/// its feature, may not be named.
pub const FEATURE_RESERVED: [&str; 3] = ["default", "full", "testing"];

/// A group's module: the group in snake case, with `_api` added where that
/// is a method of the client or of the mock server (`Client` -> `client_api`)
/// or one of the crate's own features (`default` -> `default_api`).
pub fn group_module(group: &str) -> String {
    let module = snake(group);
    let name = unraw(&module);
    match ACCESSOR_RESERVED.contains(&name) || FEATURE_RESERVED.contains(&name) {
        true => format!("{}_api", unraw(&module)),
        false => module,
    }
}

/// The Rust name a component schema asks for (before collisions are
/// resolved): its `x-speakeasy-name-override`, else the last dotted segment
/// of its key, in PascalCase.
pub fn component_type_name(name_override: Option<&str>, key: &str) -> String {
    pascal(name_override.unwrap_or_else(|| key.rsplit('.').next().unwrap_or(key)))
}

/// The name an identifier has without its `r#` prefix.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Appends the smallest number that makes `name` unused, if it is used.
pub fn unique(name: String, taken: impl Fn(&str) -> bool) -> String {
    if !taken(&name) {
        return name;
    }
    (2..)
        .map(|n| format!("{name}{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_snake_case_and_keywords_are_escaped() {
        assert_eq!(snake("allowSourceCidr"), "allow_source_cidr");
        assert_eq!(snake("clientId"), "client_id");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("@type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("x-request.id"), "x_request_id");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("@@"), "field");
    }

    #[test]
    fn types_are_pascal_case() {
        assert_eq!(pascal("Personal Client"), "PersonalClient");
        assert_eq!(
            pascal("APP_USER_TYPE_UNSPECIFIED"),
            "AppUserTypeUnspecified"
        );
        assert_eq!(pascal("self"), "Self_");
        assert_eq!(pascal("3d"), "_3d");
    }

    #[test]
    fn unique_appends_a_number() {
        let taken = ["A", "A2"];
        assert_eq!(unique("A".into(), |n| taken.contains(&n)), "A3");
        assert_eq!(unique("B".into(), |n| taken.contains(&n)), "B");
    }
}
