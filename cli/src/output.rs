//! What a command prints: the answer as JSON (indented on a terminal, one
//! line otherwise), items as JSON lines, `--fields` and `-o table`; and the
//! request instead with `--dry-run`.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use c1_client::{Call, Client, DryRun, JsonFuture, Operation, Pages, Paginated};
use clap::ArgMatches;
use futures_util::{Stream, StreamExt, TryStreamExt};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::Failure;

/// How answers are printed (`-o`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON; errors as plain text.
    Auto,
    /// JSON; errors as JSON too.
    Json,
    /// A table of the items (or of the one object).
    Table,
}

/// What every command shares: the client, and how to print.
pub struct Ctx {
    /// How answers are printed.
    pub format: Format,
    /// `--fields`: the wire names to keep, dotted for nested ones.
    pub fields: Vec<String>,
    /// `--dry-run`: print the request instead of sending it.
    pub dry_run: bool,
    /// The signed-in client, made when a command first needs it.
    client: std::sync::OnceLock<Client>,
    /// How to make it.
    pub(crate) connect: Connect,
    /// Where answers go instead of standard output (`c1 mcp serve`).
    captured: Option<Mutex<Captured>>,
}

/// How a context signs in.
pub type Connect = Box<dyn Fn() -> Result<Client, Failure> + Send + Sync>;

/// What a command said, kept instead of printed.
#[derive(Debug, Default)]
pub struct Captured {
    /// Its answers: one answer, or one value per item of a list.
    pub values: Vec<Value>,
    /// Whether `values` are the items of a list.
    pub items: bool,
    /// What it would have said on standard error.
    pub notes: Vec<String>,
    /// The request id of the answer, when one came.
    pub request_id: Option<String>,
    /// A job's answer in brief, for an agent: the task and where it stands
    /// (`request_access`, `wait_task`), or whether access is held.
    pub summary: Option<Value>,
}

impl Ctx {
    /// A context that makes its client with `connect`.
    pub fn new(format: Format, fields: Vec<String>, dry_run: bool, connect: Connect) -> Self {
        Ctx {
            format,
            fields,
            dry_run,
            client: std::sync::OnceLock::new(),
            connect,
            captured: None,
        }
    }

    /// A context that keeps what commands say (see [`Ctx::take`]) and
    /// calls with `client`.
    pub fn capturing(client: Client) -> Self {
        let ctx = Ctx {
            captured: Some(Mutex::new(Captured::default())),
            ..Ctx::new(
                Format::Json,
                Vec::new(),
                false,
                Box::new(|| Err(Failure::config("not signed in".into()))),
            )
        };
        let _ = ctx.client.set(client);
        ctx
    }

    /// What the commands run with a capturing context said.
    pub fn take(&self) -> Captured {
        self.captured
            .as_ref()
            .map(|c| std::mem::take(&mut *lock(c)))
            .unwrap_or_default()
    }

    /// Says `text` on standard error (`c1: text`), or keeps it.
    pub fn note(&self, text: String) {
        match &self.captured {
            Some(captured) => lock(captured).notes.push(text),
            None => eprintln!("c1: {text}"),
        }
    }

    /// Whether what commands say is kept (for an agent) rather than printed.
    pub fn captures(&self) -> bool {
        self.captured.is_some()
    }

    /// Keeps a job's answer in brief (see [`Captured::summary`]), when
    /// capturing; the shell prints the whole answer instead.
    pub fn summarize(&self, summary: Value) {
        if let Some(captured) = &self.captured {
            lock(captured).summary = Some(summary);
        }
    }

    /// Keeps `value` when capturing; gives it back otherwise.
    fn keep(&self, value: Value, item: bool) -> Option<Value> {
        let Some(captured) = &self.captured else {
            return Some(value);
        };
        let mut captured = lock(captured);
        captured.values.push(value);
        captured.items |= item;
        None
    }

    /// The signed-in client. With `--dry-run` and no sign-in, a client that
    /// is not signed in: a dry run needs none, and sends nothing.
    pub fn client(&self) -> Result<&Client, Failure> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let client = match (self.connect)() {
            Err(failure) if self.dry_run && failure.code == crate::exit::CONFIG => {
                crate::config::signed_out()?
            }
            connected => connected?,
        };
        Ok(self.client.get_or_init(|| client))
    }

    /// Prints one answer as `-o` and `--fields` say.
    pub fn print_answer(&self, answer: &impl Serialize) -> Result<(), Failure> {
        self.print(to_json(answer)?, None)
    }

    /// Sends `call` and prints its answer (or, with `--dry-run`, the request).
    pub async fn show<Op: Operation>(&self, call: Call<Op>) -> Result<(), Failure> {
        self.answer(self.send(call)).await
    }

    /// What sending `call` is: with `--dry-run` its request, else the call
    /// whose answer is printed as the server sent it, once the client has
    /// checked that it decodes as the document says ([`Call::json`]). The
    /// only generic step: the sending and printing ([`Ctx::answer`]) are
    /// one function for every operation.
    pub fn send<Op: Operation>(&self, call: Call<Op>) -> Sending {
        let what = match self.dry_run {
            true => What::DryRun(call.dry_run()),
            false => What::One(call.json()),
        };
        Sending { what, list: None }
    }

    /// What sending a call that pages is: one page as [`Ctx::send`], or
    /// with `--all` or `--limit` every item (up to the limit), one per
    /// line, as pages arrive. `list` is the JSON name of the page's items.
    pub fn send_paged<Op: Paginated>(
        &self,
        call: Call<Op>,
        matches: &ArgMatches,
        list: &'static str,
    ) -> Sending {
        let limit = matches.get_one::<u64>("limit").copied();
        let what = if self.dry_run {
            What::DryRun(call.dry_run())
        } else if matches.get_flag("all") || limit.is_some() {
            What::Every(call.json_pages(), limit)
        } else {
            What::One(call.json())
        };
        Sending {
            what,
            list: Some(list),
        }
    }

    /// Sends and prints.
    pub async fn answer(&self, sending: Sending) -> Result<(), Failure> {
        let list = sending.list;
        match sending.what {
            What::DryRun(request) => show_request(request),
            What::One(call) => {
                let response = call.await?;
                if let Some(captured) = &self.captured {
                    lock(captured).request_id = response.request_id().map(str::to_string);
                }
                self.print(response.into_inner(), list)
            }
            What::Every(pages, limit) => {
                let name = list.unwrap_or_default();
                let items = pages
                    .map_ok(move |mut page| {
                        let items = match page.get_mut(name).map(Value::take) {
                            Some(Value::Array(items)) => items,
                            _ => Vec::new(),
                        };
                        futures_util::stream::iter(items.into_iter().map(Ok::<_, c1_client::Error>))
                    })
                    .try_flatten();
                self.write_items(Box::pin(items), limit).await
            }
        }
    }

    /// Prints every item of `items`: with `--all` or `--limit` one JSON
    /// object per line (up to the limit) as they arrive, else all of them
    /// as one JSON array; `-o table` as a table either way.
    pub async fn show_items<T, E>(
        &self,
        items: impl Stream<Item = Result<T, E>> + Unpin,
        matches: &ArgMatches,
    ) -> Result<(), Failure>
    where
        T: Serialize,
        Failure: From<E>,
    {
        let limit = matches.get_one::<u64>("limit").copied();
        if matches.get_flag("all") || limit.is_some() || self.format == Format::Table {
            return self.write_items(items, limit).await;
        }
        let mut all = Vec::new();
        let mut items = items;
        while let Some(item) = items.next().await {
            all.push(select(to_json(&item?)?, &self.fields));
        }
        match self.keep(Value::Array(all), false) {
            Some(all) => write_json(&all),
            None => Ok(()),
        }
    }

    /// Items one per line as they arrive, at most `limit`, or a table of them.
    async fn write_items<T, E>(
        &self,
        items: impl Stream<Item = Result<T, E>> + Unpin,
        limit: Option<u64>,
    ) -> Result<(), Failure>
    where
        T: Serialize,
        Failure: From<E>,
    {
        let mut items = items.take(limit.map_or(usize::MAX, saturating));
        let mut rows = Vec::new();
        while let Some(item) = items.next().await {
            let item = select(to_json(&item?)?, &self.fields);
            let Some(item) = self.keep(item, true) else {
                continue;
            };
            if self.format == Format::Table {
                rows.push(item);
            } else {
                write_line(&serde_json::to_string(&item).unwrap_or_default())?;
            }
        }
        if self.format == Format::Table {
            write_line(&table(&rows, &self.fields))?;
        }
        Ok(())
    }

    /// Prints one answer; `list` names its items, if it is a page.
    fn print(&self, answer: Value, list: Option<&str>) -> Result<(), Failure> {
        if answer.is_null() {
            return Ok(());
        }
        let Some(answer) = self.keep(answer, false) else {
            return Ok(());
        };
        let items = list.and_then(|name| answer.get(name)?.as_array().cloned());
        match (self.format, items) {
            (Format::Table, Some(items)) => {
                let rows: Vec<Value> = items.into_iter().map(|i| select(i, &self.fields)).collect();
                write_line(&table(&rows, &self.fields))
            }
            (Format::Table, None) => {
                write_line(&table(&[select(answer, &self.fields)], &self.fields))
            }
            (_, Some(items)) if !self.fields.is_empty() => {
                let kept: Vec<Value> = items.into_iter().map(|i| select(i, &self.fields)).collect();
                let mut page = answer;
                if let (Some(object), Some(name)) = (page.as_object_mut(), list) {
                    object.insert(name.to_string(), Value::Array(kept));
                }
                write_json(&page)
            }
            _ => write_json(&select(answer, &self.fields)),
        }
    }
}

/// What a command sends, and how its answer is printed: made by
/// [`Ctx::send`] or [`Ctx::send_paged`], done by [`Ctx::answer`].
pub struct Sending {
    what: What,
    /// The JSON name of a page's items.
    list: Option<&'static str>,
}

/// Nothing (`--dry-run`), one call, or every page.
enum What {
    DryRun(c1_client::Result<DryRun>),
    One(JsonFuture),
    Every(Pages<Value>, Option<u64>),
}

/// The lock of `captured`, even if a command panicked holding it.
fn lock(captured: &Mutex<Captured>) -> std::sync::MutexGuard<'_, Captured> {
    captured
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn saturating(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// Prints the request a call would send (`Call::dry_run`), as JSON,
/// credentials redacted.
pub fn show_request(request: c1_client::Result<DryRun>) -> Result<(), Failure> {
    let request = request?;
    let headers: Map<String, Value> = request
        .headers
        .iter()
        .map(|(name, value)| (name.clone(), Value::String(value.clone())))
        .collect();
    let body = request.body.as_deref().map(|bytes| {
        serde_json::from_slice(bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
    });
    let shown = serde_json::json!({
        "method": request.method,
        "url": request.url,
        "headers": headers,
        "body": body,
    });
    write_json(&shown)
}

/// `value` as JSON.
pub fn to_json(value: &impl Serialize) -> Result<Value, Failure> {
    serde_json::to_value(value).map_err(|e| Failure::api(format!("cannot show the answer: {e}")))
}

/// Keeps the fields named by `fields` (wire names, dotted for nested ones),
/// or everything when none are named.
pub fn select(value: Value, fields: &[String]) -> Value {
    if fields.is_empty() {
        return value;
    }
    let mut kept = Map::new();
    for field in fields {
        if let Some(found) = lookup(&value, field) {
            insert(&mut kept, field, found.clone());
        }
    }
    Value::Object(kept)
}

fn lookup<'a>(value: &'a Value, dotted: &str) -> Option<&'a Value> {
    dotted.split('.').try_fold(value, |v, key| v.get(key))
}

fn insert(object: &mut Map<String, Value>, dotted: &str, value: Value) {
    match dotted.split_once('.') {
        None => {
            object.insert(dotted.to_string(), value);
        }
        Some((head, rest)) => {
            let inner = object
                .entry(head)
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(inner) = inner.as_object_mut() {
                insert(inner, rest, value);
            }
        }
    }
}

/// How many columns a table has when `--fields` does not say.
const DEFAULT_COLUMNS: usize = 6;
/// The widest a cell is shown.
const MAX_CELL: usize = 60;

/// The columns a table starts with when the rows have them, in this order.
const FIRST_COLUMNS: [&str; 3] = ["id", "displayName", "name"];

/// Rows as a table: the columns `fields`, or else the first few leaf fields
/// of the first row (nested objects flattened to dotted names): `id`, then
/// `displayName` and `name` (at any depth), then the others in the
/// answer's order.
pub fn table(rows: &[Value], fields: &[String]) -> String {
    let columns: Vec<String> = if fields.is_empty() {
        let mut leaves = Vec::new();
        if let Some(first) = rows.first() {
            flatten("", first, &mut leaves);
        }
        let rank = |leaf: &String| {
            let name = leaf.rsplit('.').next().unwrap_or(leaf);
            let at = FIRST_COLUMNS.iter().position(|c| *c == name);
            at.unwrap_or(FIRST_COLUMNS.len())
        };
        leaves.sort_by_key(rank);
        leaves.into_iter().take(DEFAULT_COLUMNS).collect()
    } else {
        fields.to_vec()
    };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| columns.iter().map(|c| cell(lookup(row, c))).collect())
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let widest = cells
                .iter()
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0);
            widest.max(c.chars().count())
        })
        .collect();
    let line = |values: &[String]| {
        let padded: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    let mut lines = vec![line(&columns)];
    lines.extend(cells.iter().map(|r| line(r)));
    lines.join("\n")
}

/// The dotted names of `value`'s leaves, in order.
fn flatten(prefix: &str, value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(object) if !object.is_empty() => {
            for (key, inner) in object {
                let name = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&name, inner, out);
            }
        }
        _ if !prefix.is_empty() => out.push(prefix.to_string()),
        _ => {}
    }
}

fn cell(value: Option<&Value>) -> String {
    let text = match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.replace(['\n', '\t'], " "),
        Some(other) => other.to_string(),
    };
    if text.chars().count() > MAX_CELL {
        let cut: String = text.chars().take(MAX_CELL - 1).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// Writes JSON: indented on a terminal, one line otherwise.
fn write_json(value: &Value) -> Result<(), Failure> {
    let text = if std::io::stdout().is_terminal() {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    write_line(&text.unwrap_or_default())
}

/// Writes a line to standard output. A closed pipe (`c1 ... | head`) ends
/// the command quietly.
pub fn write_line(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::closed_pipe()),
        Err(e) => Err(Failure::api(format!("cannot write the answer: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_keep_dotted_paths_nested() {
        let item =
            json!({"id": "a", "displayName": "A", "app": {"id": "x", "name": "n"}, "extra": 1});
        let fields = [
            "id".to_string(),
            "app.id".to_string(),
            "missing".to_string(),
        ];
        assert_eq!(
            select(item, &fields),
            json!({"id": "a", "app": {"id": "x"}})
        );
    }

    #[test]
    fn tables_flatten_nested_objects_and_align_columns() {
        let rows = [
            json!({"id": "a", "app": {"name": "Payroll"}, "tags": ["x"]}),
            json!({"id": "bbbb", "app": {"name": "HR"}}),
        ];
        assert_eq!(
            table(&rows, &[]),
            "id    app.name  tags\na     Payroll   [\"x\"]\nbbbb  HR"
        );
        assert_eq!(table(&rows, &["app.name".into()]), "app.name\nPayroll\nHR");
    }

    #[test]
    fn tables_start_with_the_id_then_the_names() {
        let rows = [json!({"createdAt": "t", "name": "n", "a": 1, "displayName": "D", "id": "x"})];
        assert_eq!(
            table(&rows, &[]).lines().next(),
            Some("id  displayName  name  createdAt  a")
        );
    }
}
