//! What an agent gets back from a tool (`c1 mcp serve`): the answer as
//! structured JSON with lines saying what was cut and how to get more, or
//! the error with the API's status and request id.

use serde_json::{Value, json};

use crate::Failure;
use crate::catalog::Page;
use crate::output::{Captured, select};

/// Items a list answer holds unless `limit` says otherwise.
pub const DEFAULT_ITEMS: usize = 50;
/// The most items `limit` may ask for.
pub const MAX_ITEMS: usize = 500;
/// The most characters of JSON a list answer takes.
pub const MAX_CHARS: usize = 20_000;

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

/// A failed call as an agent reads it: the message, and the HTTP status
/// and request id of the API's answer when one came.
pub fn error_json(failure: &Failure) -> Value {
    json!({"error": failure.message, "http_status": failure.status, "request_id": failure.request_id})
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
    /// The answer an agent gets from what a command said.
    pub fn answer(&self, captured: Captured) -> Answer {
        let Captured {
            mut values,
            items,
            notes,
            request_id,
        } = captured;
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
                object.insert(page.list.clone(), items);
                Value::Object(object)
            }
            (_, Value::Array(all)) if listed => {
                let list = Value::Array(all);
                json!({"items": self.job_items(list, &mut answer.notes)})
            }
            (_, Value::Array(all)) => json!({"items": all}),
            (_, Value::Null) => json!({}),
            (_, other) => select(other, self.fields),
        };
        answer
    }

    /// A page's items, cut, with how to get the rest.
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
        if kept.len() < total {
            notes.push(format!(
                "Showing {} of the {total} items of this page, to stay under {} items and {MAX_CHARS} characters. The page token skips the rest of this page: to see every item, ask again with a page size of {} (`{}`) or fewer `fields`.",
                kept.len(),
                self.limit,
                kept.len().max(1),
                page.size.as_deref().unwrap_or("page_size"),
            ));
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

    /// At most `limit` items, each with `fields` only, within [`MAX_CHARS`].
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_cut_to_the_limit_and_says_how_to_get_more() {
        let page = Page {
            list: "list".into(),
            token: Some("page_token".into()),
            size: Some("page_size".into()),
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
}
