//! The operations agents reach (`c1 mcp serve`), as the generated catalog
//! describes them (`src/generated/tools.json`, from the model the client
//! and the commands come from): each one's command, read or write class,
//! paging and argument schema. Here the schemas are made self-contained for
//! an agent, and an agent's arguments become the operation's command line.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::arguments::{MAX_CHARS, flag_text, known, plain};
use crate::Failure;

/// The operations, as `tools.json` describes them.
#[derive(Debug, Deserialize)]
pub struct Catalog {
    /// By name (`personal_client.list`).
    pub operations: BTreeMap<String, Entry>,
    /// The schemas the operations' arguments refer to, by name.
    pub definitions: Map<String, Value>,
}

/// One operation of the catalog.
#[derive(Debug, Deserialize)]
pub struct Entry {
    /// `c1 <group> <operation>`.
    pub command: [String; 2],
    /// One line, when it is not the description's first paragraph (see
    /// [`Entry::summary`]).
    #[serde(default)]
    summary: Option<String>,
    /// Its whole description.
    pub description: String,
    /// `GET /api/v1/...`.
    pub endpoint: String,
    /// What it does, from the effects table.
    pub effect: Effect,
    /// Whether the document deprecates it.
    #[serde(default)]
    pub deprecated: bool,
    /// How its pages are asked for, if it pages.
    #[serde(default)]
    pub page: Option<Page>,
    /// How each argument is given to the command, in order.
    pub args: Vec<ArgEntry>,
    /// The schema of its arguments, with `$ref`s into the definitions.
    pub input: Value,
}

/// What an operation does (the spec's effects table, `x-c1-effect`).
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Effect {
    /// Read, write or destructive.
    pub kind: Kind,
    /// A write that sending twice does what sending once does (the
    /// catalog says it of writes only: every read is; see
    /// [`Entry::idempotent`]).
    #[serde(default)]
    pub idempotent: bool,
    /// Each call uses something up (a secret's view).
    #[serde(default)]
    pub consumes: bool,
    /// Its answer carries a secret.
    #[serde(default)]
    pub sensitive: bool,
}

/// Whether an operation changes anything, and how much.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Changes nothing.
    Read,
    /// Creates or changes something.
    Write,
    /// Deletes, revokes, ends or replaces something.
    Destructive,
}

impl Kind {
    /// Its name: `read`, `write`, `destructive`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Read => "read",
            Kind::Write => "write",
            Kind::Destructive => "destructive",
        }
    }
}

impl Entry {
    /// Whether it only reads.
    pub fn reads(&self) -> bool {
        self.effect.kind == Kind::Read
    }

    /// One line: the catalog's, or the description's first paragraph.
    pub fn summary(&self) -> &str {
        match &self.summary {
            Some(summary) => summary,
            None => self.description.split("\n\n").next().unwrap_or_default(),
        }
    }

    /// Whether sending it twice does what sending it once does.
    pub fn idempotent(&self) -> bool {
        self.reads() || self.effect.idempotent
    }
}

/// How an operation's pages are asked for.
#[derive(Debug, Deserialize)]
pub struct Page {
    /// The JSON name of the page's items.
    pub list: String,
    /// The argument that takes the page token (`page_token`, `body.pageToken`).
    pub token: Option<String>,
    /// The argument that takes the page size.
    pub size: Option<String>,
    /// The least page size the API takes (`minimum`).
    #[serde(default)]
    pub size_min: Option<u64>,
    /// The greatest page size the API takes (`maximum`).
    #[serde(default)]
    pub size_max: Option<u64>,
    /// The least page the API serves: a smaller page size gets pages this long.
    #[serde(default)]
    pub least: Option<u64>,
}

impl Page {
    /// The page size to ask for to get `limit` items: `limit`, within the
    /// sizes the API takes and at least the least page it serves (the
    /// answer is then cut to `limit`).
    pub fn size_for(&self, limit: usize) -> u64 {
        let floor = self.size_min.unwrap_or(1).max(self.least.unwrap_or(1));
        let wanted = u64::try_from(limit).unwrap_or(u64::MAX).max(floor);
        self.size_max.map_or(wanted, |max| wanted.min(max))
    }

    /// The least page size that gets exactly that many items (a smaller
    /// one is served as the least page).
    pub fn smallest(&self) -> u64 {
        self.size_min.unwrap_or(1).max(self.least.unwrap_or(1))
    }
}

/// How one argument is given to the command.
#[derive(Debug, Deserialize)]
pub struct ArgEntry {
    /// Its Rust name: the argument's name for agents.
    pub name: String,
    /// The command's argument id (`page-size`, `body`).
    pub id: String,
    /// Given in order, not as a flag.
    #[serde(default)]
    pub positional: bool,
    /// A flag given once per item.
    #[serde(default)]
    pub list: bool,
}

impl Catalog {
    /// The catalog generated with this crate.
    pub fn load() -> Result<Self, Failure> {
        let unreadable =
            |e: String| Failure::config(format!("the operations' catalog is unreadable: {e}"));
        // `tools.json`, deflated by build.rs.
        #[cfg(not(fuzzing))]
        let text = miniz_oxide::inflate::decompress_to_vec_with_limit(
            include_bytes!(concat!(env!("OUT_DIR"), "/tools.json.deflate")),
            16 << 20,
        )
        .map_err(|e| unreadable(e.to_string()))?;
        // The fuzz target builds these sources without build.rs.
        #[cfg(fuzzing)]
        let text: &[u8] = include_bytes!("../generated/tools.json");
        serde_json::from_slice(&text).map_err(|e| unreadable(e.to_string()))
    }

    /// The operation's arguments as one schema: every `$ref` inlined, a
    /// type that contains itself cut where it repeats, with a note. A
    /// schema over [`MAX_CHARS`] loses its nested descriptions, then its
    /// deepest types (each cut with a note), until it fits.
    pub fn input_schema(&self, entry: &Entry) -> Value {
        let whole = Limits {
            depth: usize::MAX,
            described: usize::MAX,
        };
        let shorter = [usize::MAX, 8, 7, 6, 5, 4, 3, 2].map(|depth| Limits {
            depth,
            described: 5,
        });
        let mut schema = self.inline(&entry.input, whole);
        for limits in shorter {
            if schema.to_string().len() <= MAX_CHARS {
                break;
            }
            schema = self.inline(&entry.input, limits);
        }
        schema
    }

    fn inline(&self, schema: &Value, limits: Limits) -> Value {
        let mut inliner = Inliner {
            definitions: &self.definitions,
            within: Vec::new(),
            limits,
        };
        inliner.inline(schema, 0)
    }
}

/// How deep [`Inliner`] goes.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// Types nested deeper than this are cut.
    depth: usize,
    /// Descriptions are kept down to this depth.
    described: usize,
}

/// Replaces every `$ref` of a schema with the definition it names.
struct Inliner<'a> {
    definitions: &'a Map<String, Value>,
    /// The definitions being inlined, outermost first.
    within: Vec<String>,
    limits: Limits,
}

impl Inliner<'_> {
    fn inline(&mut self, schema: &Value, depth: usize) -> Value {
        match schema {
            Value::Object(object) => {
                if let Some(name) = object.get("$ref").and_then(Value::as_str) {
                    let name = name.trim_start_matches("#/$defs/").to_string();
                    let mut inlined = self.definition(&name, depth);
                    let description = object
                        .get("description")
                        .filter(|_| depth < self.limits.described);
                    if let (Some(target), Some(description)) =
                        (inlined.as_object_mut(), description)
                    {
                        target.insert("description".into(), description.clone());
                    }
                    return inlined;
                }
                let described = self.limits.described;
                let inlined = object
                    .iter()
                    .filter(|(key, _)| *key != "description" || depth < described)
                    .map(|(key, value)| (key.clone(), self.inline(value, depth + 1)))
                    .collect();
                Value::Object(inlined)
            }
            Value::Array(items) => {
                Value::Array(items.iter().map(|item| self.inline(item, depth)).collect())
            }
            other => other.clone(),
        }
    }

    /// The definition `name`, inlined, or a note where it is cut.
    fn definition(&mut self, name: &str, depth: usize) -> Value {
        if self.within.iter().any(|n| n == name) {
            return json!({
                "type": "object",
                "description": format!("A {name} again: the schema repeats itself here and is cut; its fields are those of the enclosing {name}"),
            });
        }
        if depth > self.limits.depth {
            return json!({
                "type": "object",
                "description": format!("A {name}: its fields are left out to keep this schema under {MAX_CHARS} characters"),
            });
        }
        let Some(definition) = self.definitions.get(name) else {
            return json!({});
        };
        self.within.push(name.to_string());
        let inlined = self.inline(definition, depth);
        self.within.pop();
        inlined
    }
}

/// The command line of an operation's call: its words, a flag per setter
/// given, `--body`, then `--` and the method's arguments in order. A
/// paginated call gets the page size `limit` unless it gives one.
pub fn operation_argv(
    entry: &Entry,
    mut given: Map<String, Value>,
    limit: usize,
) -> Result<Vec<String>, String> {
    known(&given, entry.args.iter().map(|a| a.name.as_str()))?;
    if let Some(page) = &entry.page {
        if let Some(size) = page.size.as_deref() {
            set_default(&mut given, size, page.size_for(limit))?;
        }
    }
    let mut argv: Vec<String> = entry.command.to_vec();
    let mut positional = Vec::new();
    for arg in &entry.args {
        let Some(value) = given.get(&arg.name).filter(|v| !v.is_null()) else {
            if arg.positional {
                return Err(format!("`{}` is required", arg.name));
            }
            continue;
        };
        if arg.id == "body" {
            argv.push(format!("--body={}", body_text(entry, value)?));
        } else if arg.positional {
            positional.push(plain(&arg.name, value)?);
        } else if let (true, Value::Array(items)) = (arg.list, value) {
            for item in items {
                argv.push(format!("--{}={}", arg.id, flag_text(item)));
            }
        } else {
            argv.push(format!("--{}={}", arg.id, flag_text(value)));
        }
    }
    argv.push("--".into());
    argv.extend(positional);
    Ok(argv)
}

/// `--body`'s text: JSON for a JSON body; for a text body, the text,
/// which may not name a file (`@FILE`) or standard input (`-`) as the
/// shell's `--body` may: an agent's call reads nothing on this machine.
fn body_text(entry: &Entry, value: &Value) -> Result<String, String> {
    let text_body = entry.input.pointer("/properties/body/type") == Some(&json!("string"));
    match value {
        Value::String(text) if text_body => {
            if text == "-" || text.starts_with('@') {
                return Err(
                    "a text `body` may not be `-` or start with `@`: give the text itself".into(),
                );
            }
            Ok(text.clone())
        }
        other => Ok(other.to_string()),
    }
}

/// Sets the page size `limit` at `at` (`page_size`, `body.pageSize`) unless given.
fn set_default(given: &mut Map<String, Value>, at: &str, size: u64) -> Result<(), String> {
    let (object, key) = match at.strip_prefix("body.") {
        Some(key) => {
            let body = given
                .entry("body")
                .or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(body) = body else {
                return Err("`body` must be an object".into());
            };
            (body, key)
        }
        None => (&mut *given, at),
    };
    object.entry(key).or_insert_with(|| json!(size));
    Ok(())
}

/// The lowercase words of `text`, without a plural `s`.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.to_lowercase();
            match w.strip_suffix('s') {
                Some(stem) if stem.len() > 2 && !stem.ends_with('s') => stem.to_string(),
                _ => w,
            }
        })
}

/// How many of `words` an operation matches, and how well: a word of its
/// name counts most, then a part of one, then the summary and the path; of
/// two that match as well, the one with the shorter name is the likelier.
pub fn score(words: &[String], name: &str, entry: &Entry) -> (usize, usize) {
    let own: Vec<String> = self::words(name).collect();
    let name = name.replace(['_', '.'], " ");
    let summary = entry.summary().to_lowercase();
    let path = entry.endpoint.to_lowercase();
    let (mut matched, mut score) = (0, 0);
    for word in words {
        let word = word.as_str();
        let weight = 6 * usize::from(own.iter().any(|w| w == word))
            + 3 * usize::from(name.contains(word))
            + usize::from(summary.contains(word))
            + usize::from(path.contains(word));
        matched += usize::from(weight > 0);
        score += weight;
    }
    (matched, (score * 10).saturating_sub(own.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_loads_and_every_schema_inlines_to_an_object() {
        let catalog = Catalog::load().unwrap();
        assert!(!catalog.operations.is_empty());
        for (name, entry) in &catalog.operations {
            let schema = catalog.input_schema(entry);
            assert_eq!(schema["type"], "object", "{name}");
            assert!(
                !schema.to_string().contains("$ref"),
                "{name}: a $ref is left"
            );
            assert!(
                schema.to_string().len() <= MAX_CHARS,
                "{name}: over {MAX_CHARS} characters"
            );
        }
    }

    /// The catalog's argument ids are its commands' own: an agent's call
    /// and the shell's are read by one command line.
    #[test]
    fn every_catalog_argument_is_its_commands_argument() {
        let catalog = Catalog::load().unwrap();
        let root = crate::cli();
        for (name, entry) in &catalog.operations {
            let [group, operation] = &entry.command;
            let command = root
                .find_subcommand(group)
                .and_then(|g| g.find_subcommand(operation))
                .unwrap_or_else(|| panic!("{name}: no command `c1 {group} {operation}`"));
            for arg in &entry.args {
                let found = command
                    .get_arguments()
                    .find(|a| a.get_id() == arg.id.as_str());
                let found = found.unwrap_or_else(|| panic!("{name}: no argument `{}`", arg.id));
                assert_eq!(found.is_positional(), arg.positional, "{name}: {}", arg.id);
            }
            assert_eq!(
                entry.page.is_some(),
                command.get_arguments().any(|a| a.get_id() == "limit"),
                "{name}"
            );
        }
    }

    #[test]
    fn a_type_that_contains_itself_is_cut_with_a_note() {
        let definitions =
            json!({"Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}}}});
        let catalog = Catalog {
            operations: BTreeMap::new(),
            definitions: definitions.as_object().unwrap().clone(),
        };
        let limits = Limits {
            depth: usize::MAX,
            described: usize::MAX,
        };
        let inlined = catalog.inline(&json!({"$ref": "#/$defs/Node"}), limits);
        let cut = &inlined["properties"]["next"];
        assert_eq!(cut["type"], "object");
        assert!(
            cut["description"].as_str().unwrap().contains("repeats"),
            "{cut}"
        );
        assert!(cut.get("properties").is_none());
    }

    fn entry_with_body(schema: Value) -> Entry {
        Entry {
            command: ["g".into(), "op".into()],
            summary: None,
            description: String::new(),
            endpoint: String::new(),
            effect: Effect {
                kind: Kind::Write,
                idempotent: false,
                consumes: false,
                sensitive: false,
            },
            deprecated: false,
            page: None,
            args: vec![ArgEntry {
                name: "body".into(),
                id: "body".into(),
                positional: false,
                list: false,
            }],
            input: json!({"type": "object", "properties": {"body": schema}}),
        }
    }

    #[test]
    fn arguments_become_the_command_line() {
        let entry = Entry {
            command: ["personal-client".into(), "list".into()],
            summary: None,
            description: String::new(),
            endpoint: String::new(),
            effect: Effect {
                kind: Kind::Read,
                idempotent: true,
                consumes: false,
                sensitive: false,
            },
            deprecated: false,
            page: Some(Page {
                list: "list".into(),
                token: Some("page_token".into()),
                size: Some("page_size".into()),
                size_min: Some(0),
                size_max: Some(100),
                least: Some(5),
            }),
            args: vec![
                ArgEntry {
                    name: "id".into(),
                    id: "id".into(),
                    positional: true,
                    list: false,
                },
                ArgEntry {
                    name: "page_size".into(),
                    id: "page-size".into(),
                    positional: false,
                    list: false,
                },
                ArgEntry {
                    name: "refs".into(),
                    id: "refs".into(),
                    positional: false,
                    list: true,
                },
            ],
            input: json!({}),
        };
        // A limit below the least page asks for the least page; above
        // the greatest, the greatest.
        let page = entry.page.as_ref().unwrap();
        assert_eq!((page.size_for(3), page.size_for(500)), (5, 100));
        let given = json!({"id": "-x", "refs": ["a", "b"]});
        let argv = operation_argv(&entry, given.as_object().unwrap().clone(), 7).unwrap();
        assert_eq!(
            argv,
            [
                "personal-client",
                "list",
                "--page-size=7",
                "--refs=a",
                "--refs=b",
                "--",
                "-x"
            ]
        );
        // A body is JSON: a string is a JSON string, never a file or stdin.
        let mut with_body = entry_with_body(json!({"$ref": "#/$defs/X"}));
        let argv = operation_argv(
            &with_body,
            json!({"body": "@/etc/passwd"}).as_object().unwrap().clone(),
            7,
        )
        .unwrap();
        assert_eq!(argv, ["g", "op", "--body=\"@/etc/passwd\"", "--"]);
        with_body = entry_with_body(json!({"type": "string"}));
        for given in ["-", "@/etc/passwd"] {
            let args = json!({"body": given}).as_object().unwrap().clone();
            let error = operation_argv(&with_body, args, 7).unwrap_err();
            assert!(
                error.contains("may not be `-` or start with `@`"),
                "{error}"
            );
        }
        let unknown = json!({"id": "x", "nope": 1});
        let error = operation_argv(&entry, unknown.as_object().unwrap().clone(), 7).unwrap_err();
        assert!(error.contains("unknown argument `nope`"), "{error}");
    }
}
