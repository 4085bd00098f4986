//! What an agent gets back from a tool (`c1 mcp serve`): the answer as
//! structured JSON with lines saying what was cut and how to get more, or
//! the error with the API's status and request id.

use serde_json::{Map, Value, json};

use super::arguments::{MAX_CHARS, MAX_ITEMS};
use super::catalog::Page;
use crate::Failure;
use crate::output::{Captured, select};

/// What a tool call gave: its answer or its error, and what the log says of it.
#[derive(Debug)]
pub struct Outcome {
    /// The answer (an object), or the error.
    pub result: Result<Answer, Failure>,
    /// The operation or command it ran (`personal_client.list`, `c1 request`).
    pub operation: Option<String>,
}

/// A tool's answer.
#[derive(Debug)]
pub struct Answer {
    /// The answer as structured JSON (always an object).
    pub value: Value,
    /// Lines for the agent: what was cut and how to get more, what a job said.
    pub notes: Vec<String>,
    /// The API's request id for it, when one came.
    pub request_id: Option<String>,
}

/// A failed call as an agent reads it: the message (cut to
/// [`MAX_CHARS`]), and the HTTP status and request id of the API's answer
/// when one came.
pub fn error_json(failure: &Failure) -> Value {
    let mut message = Value::String(failure.message.clone());
    let cuts = fit(&mut message, MAX_CHARS - 200);
    let mut error = Map::from_iter([
        ("error".to_string(), message),
        ("http_status".to_string(), json!(failure.status)),
        ("request_id".to_string(), json!(failure.request_id)),
    ]);
    if !cuts.is_empty() {
        error.insert("cut".into(), Value::String(cut_note(&cuts)));
    }
    if let Some(task) = &failure.task {
        error.insert("task".into(), (**task).clone());
    }
    Value::Object(error)
}

/// How an answer is cut for an agent.
pub struct Shape<'a> {
    /// The page, for an operation that pages.
    pub page: Option<&'a Page>,
    /// A job whose answers are list items.
    pub lists: bool,
    /// The most items kept.
    pub limit: usize,
    /// The fields kept of each item, or of the answer (all when empty).
    pub fields: &'a [String],
}

impl Shape<'_> {
    /// The answer an agent gets from what a command said: every list in
    /// it at most `limit` items, and the whole within [`MAX_CHARS`] (cut
    /// inside what is too large, with a note naming each place cut).
    pub fn answer(&self, captured: Captured) -> Answer {
        let Captured {
            mut values,
            items,
            notes,
            request_id,
            summary,
        } = captured;
        // A job that says its answer in brief (a task and where it
        // stands) answers with that: what its tool's output schema says.
        if let Some(mut value) = summary {
            let mut notes = notes;
            let cuts = fit(&mut value, MAX_CHARS);
            if !cuts.is_empty() {
                notes.push(cut_note(&cuts));
            }
            return Answer {
                value,
                notes,
                request_id,
            };
        }
        let listed = items || self.lists;
        let mut answer = Answer {
            value: Value::Null,
            notes,
            request_id,
        };
        let value = match (listed, values.len()) {
            (false, 0) => Value::Null,
            (false, 1) => values.pop().unwrap_or_default(),
            _ => Value::Array(values),
        };
        answer.value = match (self.page, value) {
            (Some(page), Value::Object(mut object)) => {
                let list = object
                    .remove(&page.list)
                    .unwrap_or(Value::Array(Vec::new()));
                let token = object
                    .get("nextPageToken")
                    .and_then(Value::as_str)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string);
                let items = self.items(list, &mut answer.notes, page, token.as_deref());
                self.other_lists(&mut object, &mut answer.notes);
                object.insert(page.list.clone(), items);
                Value::Object(object)
            }
            (_, Value::Array(all)) if listed => {
                let list = Value::Array(all);
                json!({"items": self.job_items(list, &mut answer.notes)})
            }
            (_, Value::Array(all)) => {
                json!({"items": self.job_items(Value::Array(all), &mut answer.notes)})
            }
            (_, Value::Null) => json!({}),
            (_, Value::Object(object)) => {
                let mut object = match select(Value::Object(object), self.fields) {
                    Value::Object(object) => object,
                    other => return self.finish(answer, other),
                };
                self.other_lists(&mut object, &mut answer.notes);
                Value::Object(object)
            }
            (_, other) => other,
        };
        let value = std::mem::take(&mut answer.value);
        self.finish(answer, value)
    }

    /// The answer with `value` cut to [`MAX_CHARS`] where it is still over.
    fn finish(&self, mut answer: Answer, mut value: Value) -> Answer {
        let cuts = fit(&mut value, MAX_CHARS);
        if !cuts.is_empty() {
            answer.notes.push(format!(
                "{} Ask for fewer `fields` to see what was cut.",
                cut_note(&cuts)
            ));
        }
        answer.value = value;
        answer
    }

    /// Every list of an answer other than its page's items (`expanded`, a
    /// list of an operation that does not page): at most `limit` items.
    fn other_lists(&self, object: &mut Map<String, Value>, notes: &mut Vec<String>) {
        for (key, value) in object.iter_mut() {
            let Value::Array(items) = value else {
                continue;
            };
            let total = items.len();
            if total > self.limit {
                items.truncate(self.limit);
                notes.push(format!(
                    "Showing {} of the {total} items of `{key}`, the `limit`; raise `limit` (at most {MAX_ITEMS}) to see more.",
                    self.limit
                ));
            }
        }
    }

    /// A page's items, cut, with how to get the rest: advice the agent
    /// can follow (a page size the API serves as asked, or `limit`).
    fn items(
        &self,
        list: Value,
        notes: &mut Vec<String>,
        page: &Page,
        token: Option<&str>,
    ) -> Value {
        let all = match list {
            Value::Array(all) => all,
            other => return other,
        };
        let total = all.len();
        let kept = self.cut(all);
        let how = page.token.as_deref().unwrap_or("page_token");
        let size = page.size.as_deref().unwrap_or("page_size");
        if kept.len() < total {
            let shown = format!(
                "Showing {} of the {total} items of this page, to stay under {} items and {MAX_CHARS} characters. The page token skips the rest of this page: to see every item,",
                kept.len(),
                self.limit,
            );
            let advice = if kept.len() == self.limit {
                format!(
                    "raise `limit` to {total} (at most {MAX_ITEMS}), or ask again with fewer `fields`."
                )
            } else if kept.len() as u64 >= page.smallest() {
                format!(
                    "ask again with a page size of {} (`{size}`), or with fewer `fields`.",
                    kept.len()
                )
            } else {
                // The API serves no smaller page: only smaller items help.
                "ask again with fewer `fields`.".to_string()
            };
            notes.push(format!("{shown} {advice}"));
        }
        if let Some(token) = token {
            notes.push(format!(
                "More items: call again with the same arguments and `{how}` = \"{token}\"."
            ));
        }
        Value::Array(kept)
    }

    /// A job's items (asked for one more than `limit`), cut.
    fn job_items(&self, list: Value, notes: &mut Vec<String>) -> Value {
        let Value::Array(all) = list else {
            return list;
        };
        let total = all.len();
        let kept = self.cut(all);
        if kept.len() < total {
            notes.push(format!(
                "Showing {} items; there are more. Narrow the search, raise `limit` (at most {MAX_ITEMS}) or keep fewer `fields`.",
                kept.len()
            ));
        }
        Value::Array(kept)
    }

    /// At most `limit` items, each with `fields` only, within [`MAX_CHARS`]
    /// (the first item always: [`fit`] cuts inside it if need be).
    fn cut(&self, all: Vec<Value>) -> Vec<Value> {
        let mut kept = Vec::new();
        let mut chars = 2;
        for item in all.into_iter().take(self.limit) {
            let item = select(item, self.fields);
            let size = item.to_string().len() + 1;
            if chars + size > MAX_CHARS && !kept.is_empty() {
                break;
            }
            chars += size;
            kept.push(item);
        }
        kept
    }
}

/// One place [`fit`] cut: its JSON pointer, and how long it was and is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// Where, as a JSON pointer into the answer.
    pub pointer: String,
    /// `characters` of a string, `items` of a list, `keys` of an object.
    pub unit: &'static str,
    /// How many it had.
    pub was: usize,
    /// How many it has.
    pub now: usize,
}

/// The note that says what [`fit`] cut.
fn cut_note(cuts: &[Cut]) -> String {
    let places: Vec<String> = cuts
        .iter()
        .map(|c| {
            let at = if c.pointer.is_empty() {
                "the answer"
            } else {
                &c.pointer
            };
            format!("`{at}` to {} of {} {}", c.now, c.was, c.unit)
        })
        .collect();
    format!(
        "Cut to stay under {MAX_CHARS} characters: {}.",
        places.join(", ")
    )
}

/// Cuts `value` until its JSON takes at most `max` characters: the
/// largest string, list or object in it is halved (a string to its first
/// half, a list or object to its first half of items), again and again;
/// each place cut is reported once, with its first and last length.
pub fn fit(value: &mut Value, max: usize) -> Vec<Cut> {
    let mut cuts: Vec<Cut> = Vec::new();
    // Each round halves something, so this ends; the bound is a backstop.
    for _ in 0..10_000 {
        let (size, pick) = sized(value, String::new());
        let Some((pointer, _)) = pick.filter(|_| size > max) else {
            break;
        };
        let Some(node) = value.pointer_mut(&pointer) else {
            break;
        };
        let (unit, was, now) = match node {
            Value::String(text) => {
                let chars = text.chars().count();
                let keep = chars / 2;
                *text = text.chars().take(keep).collect::<String>() + "…";
                ("characters", chars, keep)
            }
            Value::Array(items) => {
                let was = items.len();
                items.truncate(was / 2);
                ("items", was, items.len())
            }
            Value::Object(fields) => {
                let was = fields.len();
                let keep: Vec<String> = fields.keys().take(was / 2).cloned().collect();
                fields.retain(|k, _| keep.contains(k));
                ("keys", was, fields.len())
            }
            _ => break,
        };
        match cuts.iter_mut().find(|c| c.pointer == pointer) {
            Some(cut) => cut.now = now,
            None => cuts.push(Cut {
                pointer,
                unit,
                was,
                now,
            }),
        }
    }
    // A place inside one cut later may be gone: report what is left.
    cuts.retain(|c| c.pointer.is_empty() || value.pointer(&c.pointer).is_some());
    cuts
}

/// `value`'s length as JSON, and the node worth halving under `at` (its
/// pointer and length): a string longer than 64 characters, or a list or
/// object whose own items are each smaller than a quarter of it (else the
/// pick inside the largest of those). One walk: each node's length is
/// summed from its children's.
fn sized(value: &Value, at: String) -> (usize, Option<(String, usize)>) {
    let child = |key: &str| format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
    let (mut size, children): (usize, Vec<(String, &Value)>) = match value {
        Value::Array(items) => {
            let children = items.iter().enumerate();
            (
                2,
                children.map(|(i, v)| (child(&i.to_string()), v)).collect(),
            )
        }
        Value::Object(fields) => {
            // Each key as JSON, and its colon.
            let keys: usize = fields
                .keys()
                .map(|k| Value::from(k.as_str()).to_string().len() + 1)
                .sum();
            (
                2 + keys,
                fields.iter().map(|(k, v)| (child(k), v)).collect(),
            )
        }
        Value::String(text) => {
            let size = value.to_string().len();
            let pick = (text.chars().count() > 64).then_some((at, size));
            return (size, pick);
        }
        other => return (other.to_string().len(), None),
    };
    size += children.len().saturating_sub(1);
    let mut best: Option<(String, usize)> = None;
    for (pointer, v) in children {
        let (inner, pick) = sized(v, pointer);
        size += inner;
        if let Some(pick) = pick.filter(|p| best.as_ref().is_none_or(|b| p.1 > b.1)) {
            best = Some(pick);
        }
    }
    let pick = match best {
        Some((pointer, inner)) if inner * 4 >= size || value_len(value) < 2 => {
            Some((pointer, inner))
        }
        _ if value_len(value) >= 2 => Some((at, size)),
        best => best,
    };
    (size, pick)
}

/// How many items or keys a list or object has.
fn value_len(value: &Value) -> usize {
    match value {
        Value::Array(items) => items.len(),
        Value::Object(fields) => fields.len(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_cut_to_the_limit_and_says_how_to_get_more() {
        let page = Page {
            list: "list".into(),
            token: Some("page_token".into()),
            size: Some("page_size".into()),
            size_min: None,
            size_max: None,
            least: None,
        };
        let items: Vec<Value> = (0..10)
            .map(|i| json!({"id": i, "big": "x".repeat(10)}))
            .collect();
        let captured = Captured {
            values: vec![json!({"list": items, "nextPageToken": "T"})],
            ..Captured::default()
        };
        let fields = vec!["id".to_string()];
        let shape = Shape {
            page: Some(&page),
            lists: false,
            limit: 3,
            fields: &fields,
        };
        let answer = shape.answer(captured);
        assert_eq!(
            answer.value["list"],
            json!([{"id": 0}, {"id": 1}, {"id": 2}])
        );
        assert!(
            answer
                .notes
                .iter()
                .any(|n| n.contains("`page_token` = \"T\"")),
            "{:?}",
            answer.notes
        );
        assert!(
            answer
                .notes
                .iter()
                .any(|n| n.contains("Showing 3 of the 10")),
            "{:?}",
            answer.notes
        );
    }

    #[test]
    fn a_list_is_cut_to_the_characters_allowed() {
        let items: Vec<Value> = (0..100)
            .map(|i| json!({"id": i, "text": "y".repeat(1_000)}))
            .collect();
        let shape = Shape {
            page: None,
            lists: true,
            limit: 100,
            fields: &[],
        };
        let answer = shape.answer(Captured {
            values: items,
            items: true,
            ..Captured::default()
        });
        let text = answer.value.to_string();
        assert!(text.len() <= MAX_CHARS + 20, "{}", text.len());
        assert!(answer.value["items"].as_array().unwrap().len() < 100);
        assert!(
            answer.notes[0].contains("there are more"),
            "{:?}",
            answer.notes
        );
    }
    fn page(least: Option<u64>) -> Page {
        Page {
            list: "list".into(),
            token: Some("page_token".into()),
            size: Some("page_size".into()),
            size_min: Some(0),
            size_max: Some(100),
            least,
        }
    }

    fn shape(page: Option<&Page>, limit: usize) -> Shape<'_> {
        Shape {
            page,
            lists: false,
            limit,
            fields: &[],
        }
    }

    fn one(value: Value) -> Captured {
        Captured {
            values: vec![value],
            ..Captured::default()
        }
    }

    #[test]
    fn a_single_answer_over_the_cap_is_cut_inside_naming_the_place() {
        let answer = shape(None, 50).answer(one(json!({
            "id": "x",
            "secret": {"description": "d".repeat(100_000)},
        })));
        assert!(answer.value.to_string().len() <= MAX_CHARS);
        assert_eq!(answer.value["id"], "x");
        let text = answer.value["secret"]["description"].as_str().unwrap();
        assert!(text.len() > 1_000 && text.ends_with('…'), "{}", text.len());
        assert!(
            answer.notes[0]
                .starts_with("Cut to stay under 20000 characters: `/secret/description` to "),
            "{:?}",
            answer.notes
        );
        assert!(
            answer.notes[0].contains("of 100000 characters"),
            "{:?}",
            answer.notes
        );
    }

    #[test]
    fn lists_that_do_not_page_and_expanded_are_cut_to_the_limit() {
        let items: Vec<Value> = (0..60).map(|i| json!({"id": i})).collect();
        let answer = shape(None, 50).answer(one(json!({"list": items})));
        assert_eq!(answer.value["list"].as_array().unwrap().len(), 50);
        assert!(
            answer.notes[0].contains("Showing 50 of the 60 items of `list`"),
            "{:?}",
            answer.notes
        );

        let page = page(None);
        let expanded: Vec<Value> = (0..9).map(|i| json!({"@type": "x", "id": i})).collect();
        let answer = shape(Some(&page), 3).answer(one(json!({
            "list": [{"id": 1}], "expanded": expanded, "nextPageToken": "",
        })));
        assert_eq!(answer.value["expanded"].as_array().unwrap().len(), 3);
        assert!(
            answer.notes.iter().any(|n| n.contains("of `expanded`")),
            "{:?}",
            answer.notes
        );
    }

    #[test]
    fn a_first_item_of_any_size_is_kept_and_cut_inside() {
        let page = page(None);
        let big = json!({"id": "a", "text": "t".repeat(50_000)});
        let answer = shape(Some(&page), 5).answer(one(json!({"list": [big, {"id": "b"}]})));
        assert!(answer.value.to_string().len() <= MAX_CHARS);
        assert_eq!(answer.value["list"][0]["id"], "a");
        assert!(
            answer
                .notes
                .iter()
                .any(|n| n.contains("`/list/0/text` to ")),
            "{:?}",
            answer.notes
        );
    }

    #[test]
    fn the_advice_is_one_the_agent_can_follow() {
        // Cut by `limit` where the API serves pages of at least 10: raise
        // `limit`, not the page size (which would still be 10).
        let least = page(Some(10));
        let items: Vec<Value> = (0..10).map(|i| json!({"id": i})).collect();
        let answer = shape(Some(&least), 3).answer(one(json!({"list": items})));
        assert!(
            answer.notes[0].contains("raise `limit` to 10"),
            "{:?}",
            answer.notes
        );
        // Cut by size to 2 items where pages are at least 10: fewer fields.
        let items: Vec<Value> = (0..10)
            .map(|i| json!({"id": i, "t": "x".repeat(8_000)}))
            .collect();
        let answer = shape(Some(&least), 50).answer(one(json!({"list": items.clone()})));
        assert!(
            answer.notes[0].ends_with("ask again with fewer `fields`."),
            "{:?}",
            answer.notes
        );
        assert!(
            !answer.notes[0].contains("page size of"),
            "{:?}",
            answer.notes
        );
        // Where the API serves any page size, the smaller page is the advice.
        let any = page(None);
        let answer = shape(Some(&any), 50).answer(one(json!({"list": items})));
        assert!(
            answer.notes[0].contains("a page size of 2 (`page_size`)"),
            "{:?}",
            answer.notes
        );
    }

    #[test]
    fn sizes_are_the_lengths_of_the_json() {
        let value = json!({"a": [1, "two", {"k~/": null}], "b": "x".repeat(70), "c": true});
        assert_eq!(sized(&value, String::new()).0, value.to_string().len());
        assert_eq!(sized(&value, String::new()).1, Some(("/b".into(), 72)));
    }

    #[test]
    fn an_error_message_is_capped_too() {
        let failure = Failure::usage("e".repeat(100_000));
        let error = error_json(&failure);
        assert!(error.to_string().len() <= MAX_CHARS);
        assert!(
            error["cut"].as_str().unwrap().contains("`the answer` to"),
            "{error}"
        );
    }
}
