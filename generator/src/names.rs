//! Rust names for spec names: types, fields, modules, functions.

use std::collections::HashSet;

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

/// Comparison operators that end filter parameters (`DateCreated<`,
/// `StartTime>=`), spelled as words so that each filter keeps a name of its
/// own: `date_created_lt`, `start_time_gte`. Longest first.
const OPERATORS: [(&str, &str); 6] = [
    ("<=", " lte "),
    (">=", " gte "),
    ("!=", " ne "),
    ("<", " lt "),
    (">", " gt "),
    ("=", " eq "),
];

/// `name` with its comparison operators spelled as words.
fn spell_operators(name: &str) -> String {
    if !name.contains(['<', '>', '=']) {
        return name.to_string();
    }
    let mut text = name.to_string();
    for (operator, word) in OPERATORS {
        text = text.replace(operator, word);
    }
    text
}

/// The snake_case identifier for a spec name (a field, parameter or
/// function); keywords become raw identifiers (`r#type`) or get a `_` suffix,
/// comparison operators words (`DateCreated<` -> `date_created_lt`), and a
/// plural acronym one word (`ListOwnerIDs` -> `list_owner_ids`).
pub fn snake(name: &str) -> String {
    let word = valid_start(
        plural_acronyms(&spell_operators(name)).to_snake_case(),
        "field",
    );
    escape_keyword(word)
}

/// The PascalCase identifier for a spec name (a type or variant).
pub fn pascal(name: &str) -> String {
    let word = valid_start(
        plural_acronyms(&spell_operators(name)).to_pascal_case(),
        "Unnamed",
    );
    escape_keyword(word)
}

/// Plural acronyms as people write them, one word: `IDs` -> `Ids`,
/// `URLs` -> `Urls` (case conversion would split `IDs` into `i_ds`). An
/// acronym is two or more capitals; its plural `s` ends a word (the name
/// ends, or a capital, digit or separator follows).
fn plural_acronyms(name: &str) -> std::borrow::Cow<'_, str> {
    let chars: Vec<char> = name.chars().collect();
    let plural_at = |i: usize| {
        chars[i] == 's'
            && i >= 2
            && chars[i - 1].is_ascii_uppercase()
            && chars[i - 2].is_ascii_uppercase()
            && chars.get(i + 1).is_none_or(|c| !c.is_ascii_lowercase())
    };
    if !(0..chars.len()).any(plural_at) {
        return std::borrow::Cow::Borrowed(name);
    }
    let mut out = chars.clone();
    for i in (0..chars.len()).filter(|i| plural_at(*i)) {
        // The capitals before the `s`, but the first, become lowercase.
        let mut j = i - 1;
        while j > 0 && chars[j - 1].is_ascii_uppercase() {
            out[j] = chars[j].to_ascii_lowercase();
            j -= 1;
        }
        out[j] = chars[j];
        out[i - 1] = chars[i - 1].to_ascii_lowercase();
    }
    std::borrow::Cow::Owned(out.into_iter().collect())
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

/// The methods of the runtime's `Client` (and the jobs layer's `access`, `me`,
/// `tasks`) and of `testing::MockServer`, which a
/// group's module, also its accessor on both, may not be named.
pub const ACCESSOR_RESERVED: [&str; 20] = [
    "access",
    "access_token",
    "base_url",
    "builder",
    "calls",
    "client",
    "device_login",
    "dry_run",
    "execute",
    "execute_in_span",
    "expect",
    "from_env",
    "from_parts",
    "me",
    "received",
    "start",
    "tasks",
    "transport",
    "uri",
    "verify",
];

/// The inherent methods a generated model may have besides its resolvers,
/// and the methods of the traits it derives, which a resolver may not take.
pub const STRUCT_METHODS: [&str; 9] = [
    "clone",
    "default",
    "deserialize",
    "eq",
    "fmt",
    "from",
    "from_changes",
    "into",
    "serialize",
];

/// The generated crate's own cargo features, which a group's module, also
/// its feature, may not be named.
pub const FEATURE_RESERVED: [&str; 5] = ["conformance", "default", "full", "jobs", "testing"];

/// A group's module as the group asks for it: the group in snake case
/// (operations whose groups give one module are one group). The `names`
/// pass keeps it off the client's methods and the crate's features
/// (`Client` -> `client_api`).
pub fn group_module(group: &str) -> String {
    snake(group)
}

/// The Rust name a component schema asks for (before collisions are
/// resolved): its `x-speakeasy-name-override`, else the last dotted segment
/// of its key, in PascalCase.
pub fn component_type_name(name_override: Option<&str>, key: &str) -> String {
    pascal(name_override.unwrap_or_else(|| key.rsplit('.').next().unwrap_or(key)))
}

/// A PascalCase identifier as the start or end of a longer one: without the
/// `_` that escaped a keyword (`Self_` + `Api` is `SelfApi`, not `Self_Api`).
pub fn stem(ident: &str) -> &str {
    unraw(ident).trim_end_matches('_')
}

/// The name an identifier has without its `r#` prefix.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// One Rust namespace (a struct's fields, a group's methods, the crate's
/// types, ...): every name it hands out is unique in it, and none is a name
/// it reserves. The one way the generator makes names unique.
///
/// A name that is taken gets, in turn: the namespace's suffix if the name
/// is reserved (`client` -> `client_api`), each alternative the caller
/// offers, then the smallest number that frees it (`list2`). Names compare
/// without their `r#` prefix, and a numbered keyword is no longer raw
/// (`r#type`, then `type2`).
#[derive(Debug, Clone, Default)]
pub struct Namespace {
    taken: HashSet<String>,
    reserved: HashSet<String>,
    suffix: String,
}

impl Namespace {
    /// A namespace where `reserved` are taken from the start; a wanted name
    /// that is reserved gets `suffix` (`_api`, `_param`) before a number.
    pub fn new<'a>(reserved: impl IntoIterator<Item = &'a str>, suffix: &str) -> Self {
        Namespace {
            taken: HashSet::new(),
            reserved: reserved.into_iter().map(str::to_string).collect(),
            suffix: suffix.to_string(),
        }
    }

    /// Whether `name` is taken or reserved.
    pub fn contains(&self, name: &str) -> bool {
        let name = unraw(name);
        self.taken.contains(name) || self.reserved.contains(name)
    }

    /// Takes `name` as it is, whether or not it was free: for names given
    /// before this namespace was made.
    pub fn insert(&mut self, name: &str) {
        self.taken.insert(unraw(name).to_string());
    }

    /// The first free name of: `wanted`, `wanted` with the suffix (when
    /// `wanted` is reserved), each of `alternatives`, `wanted` numbered; it
    /// is taken from now on.
    pub fn claim_any(&mut self, wanted: &str, alternatives: &[String]) -> String {
        let suffixed = (!self.suffix.is_empty() && self.reserved.contains(unraw(wanted)))
            .then(|| format!("{}{}", unraw(wanted), self.suffix));
        let free = std::iter::once(wanted.to_string())
            .chain(suffixed)
            .chain(alternatives.iter().cloned())
            .find(|name| !self.contains(name));
        let name = free.unwrap_or_else(|| {
            let base = unraw(wanted).trim_end_matches('_');
            (2..)
                .map(|n| format!("{base}{n}"))
                .find(|name| !self.contains(name))
                .unwrap_or_else(|| wanted.to_string())
        });
        self.insert(&name);
        name
    }

    /// [`Namespace::claim_any`] with no alternatives.
    pub fn claim(&mut self, wanted: &str) -> String {
        self.claim_any(wanted, &[])
    }
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
        assert_eq!(snake("ListOwnerIDs"), "list_owner_ids");
        assert_eq!(snake("appUserIDs"), "app_user_ids");
        assert_eq!(snake("IDsFor"), "ids_for");
        assert_eq!(snake("GetURLs2"), "get_urls2");
        assert_eq!(pascal("ListOwnerIDs"), "ListOwnerIds");
        // Not a plural acronym: `IDs` inside a word, `IDS`, a lone capital.
        assert_eq!(snake("userIDset"), "user_i_dset");
        assert_eq!(snake("LIST_IDS"), "list_ids");
        assert_eq!(snake("Ds"), "ds");
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
    fn comparison_operators_are_words() {
        assert_eq!(snake("DateCreated"), "date_created");
        assert_eq!(snake("DateCreated<"), "date_created_lt");
        assert_eq!(snake("DateCreated>"), "date_created_gt");
        assert_eq!(snake("StartTime<="), "start_time_lte");
        assert_eq!(snake("StartTime>="), "start_time_gte");
        assert_eq!(snake("a!=b"), "a_ne_b");
        assert_eq!(pascal(">"), "Gt");
    }

    #[test]
    fn a_namespace_numbers_what_is_taken() {
        let mut names = Namespace::default();
        assert_eq!(names.claim("a"), "a");
        assert_eq!(names.claim("a"), "a2");
        assert_eq!(names.claim("a2"), "a22");
        assert_eq!(names.claim("a"), "a3");
    }

    #[test]
    fn a_namespace_compares_without_raw_prefixes() {
        let mut names = Namespace::default();
        assert_eq!(names.claim("r#type"), "r#type");
        assert_eq!(names.claim("type"), "type2");
        assert_eq!(names.claim("r#type"), "type3");
        assert_eq!(names.claim("self_"), "self_");
        assert_eq!(names.claim("self_"), "self2");
    }

    #[test]
    fn a_reserved_name_gets_the_suffix_then_alternatives_then_a_number() {
        let mut names = Namespace::new(["timeout", "send"], "_param");
        assert_eq!(names.claim("timeout"), "timeout_param");
        assert_eq!(names.claim("timeout"), "timeout2");
        assert!(names.contains("send"));
        let mut bodies = Namespace::default();
        bodies.claim("body");
        let alternatives = ["request_body".to_string()];
        assert_eq!(bodies.claim_any("body", &alternatives), "request_body");
        assert_eq!(bodies.claim_any("body", &alternatives), "body2");
    }
}
