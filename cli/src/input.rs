//! A command's arguments and flags: how the generated command table
//! (`generated/commands.rs`) declares them, and how their text becomes the client's
//! types.
//!
//! Text is read as the type asks: a string type takes it as it is, any
//! other type (numbers, booleans, lists given as JSON) parses it as JSON.

use std::io::Read;

use clap::{Arg, ArgAction, ArgMatches, Command};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::Failure;

/// How a flag's text becomes a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // Each API's commands use the kinds its parameters have.
pub enum Kind {
    /// A string, an enum value, a protobuf int64.
    Text,
    /// An RFC 3339 timestamp (`2030-01-01T00:00:00Z`).
    Timestamp,
    /// A protobuf duration (`3.5s`).
    Duration,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`; the flag alone means `true`.
    Bool,
    /// Any JSON.
    Json,
}

impl Kind {
    fn value_name(self) -> &'static str {
        match self {
            Kind::Text => "TEXT",
            Kind::Timestamp => "RFC3339",
            Kind::Duration => "DURATION",
            Kind::Integer => "INT",
            Kind::Number => "NUMBER",
            Kind::Bool => "BOOL",
            Kind::Json => "JSON",
        }
    }

    /// What a value of this kind is, for messages: `a whole number`.
    fn expected(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Timestamp => "an RFC 3339 timestamp (2030-01-01T00:00:00Z)",
            Kind::Duration => "a duration in seconds (3600s)",
            Kind::Integer => "a whole number",
            Kind::Number => "a number",
            Kind::Bool => "true or false",
            Kind::Json => "JSON",
        }
    }

    /// The JSON value of a flag's text, given as `name`.
    fn json(self, name: &str, text: &str) -> Result<Value, Failure> {
        let parsed = match self {
            Kind::Text | Kind::Timestamp | Kind::Duration => {
                return Ok(Value::String(text.to_string()));
            }
            Kind::Integer => serde_json::from_str(text).ok().filter(Value::is_i64),
            Kind::Number => serde_json::from_str(text).ok().filter(Value::is_number),
            Kind::Bool => serde_json::from_str(text).ok().filter(Value::is_boolean),
            Kind::Json => serde_json::from_str(text).ok(),
        };
        parsed.ok_or_else(|| invalid(name, text, self, None))
    }
}

/// The one message of a value that cannot be read: ``--page-size: `abc`
/// is not a whole number``, with why the type refused it when that says more.
fn invalid(name: &str, text: &str, kind: Kind, why: Option<&str>) -> Failure {
    let expected = kind.expected();
    Failure::usage(match why {
        Some(why) => format!("{name}: `{text}` is not {expected} ({why})"),
        None => format!("{name}: `{text}` is not {expected}"),
    })
}

/// A flag that sets one field of a JSON request body.
#[derive(Debug)]
pub struct Field {
    /// The flag, without `--`.
    pub flag: &'static str,
    /// The field's JSON name.
    pub wire: &'static str,
    /// How its text is read.
    pub kind: Kind,
    /// The values an enum field takes (empty for any).
    pub values: &'static [&'static str],
    /// Its description.
    pub help: &'static str,
}

/// The flags of an operation's JSON body: `--body`, a flag per top-level
/// scalar or enum field, and for an update request a flag per field of the
/// message it updates.
#[derive(Debug)]
pub struct Body {
    /// Flags of the body's own fields.
    pub fields: &'static [Field],
    /// For an update request with an update mask: the message's fields.
    pub mask: Option<Mask>,
}

/// The fields an update request may change, each a flag; the fields given
/// are named in the mask.
#[derive(Debug)]
pub struct Mask {
    /// The JSON name of the mask field (`updateMask`).
    pub mask: &'static str,
    /// The JSON name of the field that carries the message (`client`); `None`
    /// when the request's own fields are the message.
    pub message: Option<&'static str>,
    /// The message's fields.
    pub fields: &'static [Field],
}

/// An operation's command.
pub fn operation(name: &'static str, about: &'static str, long_about: &'static str) -> Command {
    let command = Command::new(name).about(about);
    if long_about.is_empty() {
        command
    } else {
        command.long_about(long_about)
    }
}

/// A required argument, given in order after the operation, shown as `name`.
pub fn positional(
    id: &'static str,
    name: &'static str,
    kind: Kind,
    values: &[&'static str],
    help: &'static str,
) -> Arg {
    with_values(Arg::new(id).required(true).value_name(name), values)
        .help(help.lines().next().unwrap_or_default().to_string())
        .long_help(long(help, kind))
}

/// An optional parameter's flag; `list` takes it more than once.
pub fn flag(
    id: &'static str,
    kind: Kind,
    values: &[&'static str],
    list: bool,
    help: &'static str,
) -> Arg {
    let mut arg = Arg::new(id).long(id).value_name(kind.value_name());
    arg = with_values(arg, values);
    if kind == Kind::Bool {
        arg = arg
            .num_args(0..=1)
            .default_missing_value("true")
            .value_parser(["true", "false"]);
    }
    if list {
        arg = arg.action(ArgAction::Append);
    }
    arg.help(help.lines().next().unwrap_or_default().to_string())
        .long_help(long(help, kind))
}

fn with_values(arg: Arg, values: &[&'static str]) -> Arg {
    if values.is_empty() {
        arg
    } else {
        arg.value_parser(values.to_vec())
    }
}

/// The long help of an argument: its description and how it is read.
fn long(help: &str, kind: Kind) -> String {
    let read = match kind {
        Kind::Text => "",
        Kind::Timestamp => "An RFC 3339 timestamp: 2030-01-01T00:00:00Z.",
        Kind::Duration => "A duration in seconds: 3600s.",
        Kind::Integer => "A whole number.",
        Kind::Number => "A number.",
        Kind::Bool => "true or false; the flag alone means true.",
        Kind::Json => "JSON.",
    };
    [help, read]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A flag whose value is a duration (`10m`, `2h30m`, `500ms`).
pub fn duration_arg(id: &'static str, default: Option<&'static str>, help: &'static str) -> Arg {
    let arg = Arg::new(id)
        .long(id)
        .value_name("DURATION")
        .value_parser(|text: &str| humantime::parse_duration(text))
        .help(help);
    match default {
        Some(default) => arg.default_value(default),
        None => arg,
    }
}

/// `--timeout` and `--interval`, for a command that waits for a task to close.
pub fn waiting() -> [Arg; 2] {
    let interval = Arg::new("interval")
        .long("interval")
        .value_name("DURATION")
        .value_parser(interval)
        .default_value("5s")
        .help("Ask again after this long (at least 1s)");
    [
        duration_arg(
            "timeout",
            Some("10m"),
            "Give up after this long, a call in flight included (exit status 6)",
        ),
        interval,
    ]
}

/// A wait's interval: a second at least, so that a wait never asks
/// without a pause.
fn interval(text: &str) -> Result<std::time::Duration, String> {
    let interval = humantime::parse_duration(text).map_err(|e| e.to_string())?;
    if interval < std::time::Duration::from_secs(1) {
        return Err("a wait asks at most once a second: give 1s or more".into());
    }
    Ok(interval)
}

/// The value of a duration flag, zero when it has none.
pub fn duration(matches: &ArgMatches, id: &str) -> std::time::Duration {
    matches
        .get_one::<std::time::Duration>(id)
        .copied()
        .unwrap_or_default()
}

/// `--all` and `--limit`, for an operation that pages.
pub fn paging() -> [Arg; 2] {
    [
        Arg::new("all")
            .long("all")
            .action(ArgAction::SetTrue)
            .help("Every item of every page, one JSON object per line, as pages arrive"),
        Arg::new("limit")
            .long("limit")
            .value_name("N")
            .value_parser(clap::value_parser!(u64))
            .help("At most N items, one JSON object per line (implies --all)"),
    ]
}

/// `--body` and a flag per field of `body`.
pub fn body_args(body: &Body) -> Vec<Arg> {
    let mut args = vec![Arg::new("body").long("body").value_name("JSON").help(
        "The request body: JSON, @FILE, or - for standard input; field flags are merged over it",
    )];
    let mask = body.mask.iter().flat_map(|m| m.fields);
    for field in body.fields.iter().chain(mask) {
        args.push(flag(
            field.flag,
            field.kind,
            field.values,
            false,
            field.help,
        ));
    }
    args
}

/// The required argument `id`, as the type `T` (read as `kind`).
pub fn one<T: DeserializeOwned>(matches: &ArgMatches, id: &str, kind: Kind) -> Result<T, Failure> {
    let name = format!("<{}>", id.replace('-', "_").to_uppercase());
    let text = matches
        .get_one::<String>(id)
        .ok_or_else(|| Failure::usage(format!("missing argument {name}")))?;
    convert(&name, text, kind)
}

/// The flag `id`, as the type `T` (read as `kind`), if given.
pub fn opt<T: DeserializeOwned>(
    matches: &ArgMatches,
    id: &str,
    kind: Kind,
) -> Result<Option<T>, Failure> {
    matches
        .get_one::<String>(id)
        .map(|text| convert(&format!("--{id}"), text, kind))
        .transpose()
}

/// Every value of the flag `id`, each as the type `T` (read as `kind`).
#[allow(dead_code)] // Used by APIs with list parameters.
pub fn many<T: DeserializeOwned>(
    matches: &ArgMatches,
    id: &str,
    kind: Kind,
) -> Result<Vec<T>, Failure> {
    let values = matches.get_many::<String>(id).into_iter().flatten();
    values
        .map(|text| convert(&format!("--{id}"), text, kind))
        .collect()
}

/// The text of the argument `name` as the type `T`: as a JSON string
/// first (text, enums, timestamps), else as JSON (numbers, booleans,
/// lists). A value that is neither is refused with [`invalid`]'s message.
fn convert<T: DeserializeOwned>(name: &str, text: &str, kind: Kind) -> Result<T, Failure> {
    serde_json::from_value(Value::String(text.to_string()))
        .or_else(|first| serde_json::from_str(text).map_err(|_| first))
        .map_err(|e| {
            let why = e.to_string();
            // The type's words add to "JSON" only; the others say it all.
            let why = (kind == Kind::Json).then_some(why.as_str());
            invalid(name, text, kind, why)
        })
}

/// The request body of the type `T`: `--body`, with the field flags merged
/// over it, and the mask naming the message fields given. Decoded as the
/// client decodes answers, so a failure names where it was; only the
/// decoding is generic.
pub fn body<T: DeserializeOwned>(matches: &ArgMatches, flags: &Body) -> Result<T, Failure> {
    c1_client::decode_json(&body_json(matches, flags)?).map_err(body_failure)
}

/// The body's JSON text: `--body` with the field flags merged over it.
fn body_json(matches: &ArgMatches, flags: &Body) -> Result<Vec<u8>, Failure> {
    let mut body = match matches.get_one::<String>("body") {
        Some(given) => read_json(given)?,
        None => Value::Object(Map::new()),
    };
    set_fields(&mut body, flags, matches)?;
    Ok(serde_json::to_vec(&body).unwrap_or_default())
}

/// A body that does not decode as its type, said with the path.
fn body_failure(error: c1_client::Error) -> Failure {
    match error {
        c1_client::Error::Decode { path, message, .. } => {
            // The position is in the merged body's text, not in the user's.
            let message = message
                .rsplit_once(" at line ")
                .map_or(&*message, |(m, _)| m);
            Failure::usage(format!("--body: at `{path}`: {message}"))
        }
        other => Failure::usage(format!("--body: {other}")),
    }
}

/// The body as bytes (for a binary or text body): `--body` as given, from a
/// file, or from standard input.
#[allow(dead_code)] // Used by APIs with binary or text bodies.
pub fn raw_body(matches: &ArgMatches) -> Result<Vec<u8>, Failure> {
    match matches.get_one::<String>("body") {
        Some(given) => read_text(given).map(String::into_bytes),
        None => Err(Failure::usage("--body is required".to_string())),
    }
}

fn read_json(given: &str) -> Result<Value, Failure> {
    let text = read_text(given)?;
    serde_json::from_str(&text).map_err(|e| Failure::usage(format!("--body is not JSON: {e}")))
}

/// `--body`'s text: `-` reads standard input, `@FILE` the file.
fn read_text(given: &str) -> Result<String, Failure> {
    if given == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::usage(format!("--body -: cannot read standard input: {e}")))?;
        Ok(text)
    } else if let Some(path) = given.strip_prefix('@') {
        std::fs::read_to_string(path)
            .map_err(|e| Failure::usage(format!("--body @{path}: cannot read: {e}")))
    } else {
        Ok(given.to_string())
    }
}

/// Sets the fields given as flags, and extends the update mask.
fn set_fields(body: &mut Value, flags: &Body, matches: &ArgMatches) -> Result<(), Failure> {
    let object = body
        .as_object_mut()
        .ok_or_else(|| Failure::usage("--body must be a JSON object".to_string()))?;
    for field in flags.fields {
        if let Some(text) = matches.get_one::<String>(field.flag) {
            let name = format!("--{}", field.flag);
            object.insert(field.wire.to_string(), field.kind.json(&name, text)?);
        }
    }
    let Some(mask) = &flags.mask else {
        return Ok(());
    };
    let mut named = Vec::new();
    for field in mask.fields {
        if let Some(text) = matches.get_one::<String>(field.flag) {
            let value = field.kind.json(&format!("--{}", field.flag), text)?;
            let message = match mask.message {
                Some(name) => object
                    .entry(name)
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .ok_or_else(|| Failure::usage(format!("--body: `{name}` must be an object")))?,
                None => &mut *object,
            };
            message.insert(field.wire.to_string(), value);
            named.push(field.wire);
        }
    }
    if !named.is_empty() {
        let before = object.get(mask.mask).and_then(Value::as_str).unwrap_or("");
        let mut paths: Vec<&str> = before.split(',').filter(|p| !p.is_empty()).collect();
        paths.extend(
            named
                .iter()
                .filter(|n| !before.split(',').any(|p| p == **n)),
        );
        let joined = paths.join(",");
        object.insert(mask.mask.to_string(), Value::String(joined));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    static BODY: Body = Body {
        fields: &[Field {
            flag: "update-mask",
            wire: "updateMask",
            kind: Kind::Text,
            values: &[],
            help: "",
        }],
        mask: Some(Mask {
            mask: "updateMask",
            message: Some("client"),
            fields: &[
                Field {
                    flag: "display-name",
                    wire: "displayName",
                    kind: Kind::Text,
                    values: &[],
                    help: "",
                },
                Field {
                    flag: "expires-in",
                    wire: "expiresIn",
                    kind: Kind::Integer,
                    values: &[],
                    help: "",
                },
            ],
        }),
    };

    fn merged(args: &[&str]) -> Result<Value, Failure> {
        let command = Command::new("update").args(body_args(&BODY));
        let matches = command
            .try_get_matches_from(std::iter::once("update").chain(args.iter().copied()))
            .map_err(|e| Failure::usage(e.to_string()))?;
        body::<Value>(&matches, &BODY)
    }

    #[test]
    fn message_flags_set_the_message_and_name_it_in_the_mask() {
        let body = merged(&["--display-name", "CI robot"]).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"client": {"displayName": "CI robot"}, "updateMask": "displayName"})
        );
    }

    #[test]
    fn flags_merge_over_the_body_and_the_mask_keeps_what_it_named() {
        let given = r#"{"client": {"id": "x", "expiresIn": 1}, "updateMask": "expiresIn"}"#;
        let body = merged(&["--body", given, "--expires-in", "7", "--display-name", "a"]).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"client": {"id": "x", "expiresIn": 7, "displayName": "a"}, "updateMask": "expiresIn,displayName"})
        );
    }

    #[test]
    fn a_number_flag_with_text_is_a_usage_error() {
        let error = merged(&["--expires-in", "soon"]).unwrap_err();
        assert_eq!(error.code, crate::exit::USAGE);
        assert!(
            error
                .message
                .contains("--expires-in: `soon` is not a whole number"),
            "{}",
            error.message
        );
    }

    #[test]
    fn text_becomes_the_type_asked_for() {
        assert_eq!(convert::<String>("<ID>", "123", Kind::Text).unwrap(), "123");
        assert_eq!(convert::<i32>("--n", "123", Kind::Integer).unwrap(), 123);
        assert!(convert::<bool>("--b", "true", Kind::Bool).unwrap());
        let error = convert::<i32>("--page-size", "abc", Kind::Integer).unwrap_err();
        assert_eq!(error.message, "--page-size: `abc` is not a whole number");
        assert_eq!(error.code, crate::exit::USAGE);
    }
}
