//! Every answer the document allows decodes, and comes back the same when
//! the client writes it again: for every operation's JSON answer and every
//! component schema, in three seeded rounds, a random instance (optional
//! properties left out or `null`, enum values and properties the document
//! does not name, formats in every form allowed) is read into its generated
//! type, written again, and compared with the input up to the README's
//! normalizations.

mod common;

use c1_conformance::compare::{compare, compare_sent};
use c1_conformance::generate::{Generator, Mode};
use c1_conformance::{Document, Failures, Problem, ROUNDS};
use serde_json::Value;

use common::document;

/// The problems of one value of `schema` read and written again by `again`.
fn round_trip(
    doc: &Document,
    schema: &Value,
    seed: u64,
    sent: bool,
    again: impl Fn(&[u8]) -> Result<Vec<u8>, String>,
) -> Vec<Problem> {
    let before = Generator::new(doc, Mode::Answer, seed).value(schema);
    let bytes = serde_json::to_vec(&before).expect("JSON");
    let problem = |message: String| {
        vec![Problem {
            pointer: String::new(),
            message,
        }]
    };
    let written = match again(&bytes) {
        Ok(written) => written,
        Err(message) => {
            return vec![Problem {
                pointer: pointer_in(&message),
                message: format!("does not decode: {message}"),
            }];
        }
    };
    match serde_json::from_slice::<Value>(&written) {
        Ok(after) if sent => compare_sent(doc, schema, &before, &after),
        Ok(after) => compare(doc, schema, &before, &after),
        Err(e) => problem(format!("written as something other than JSON: {e}")),
    }
}

/// The JSON pointer of the place a decode error names (the client's
/// ``at `list[0].id` ``): `/list/0/id`.
fn pointer_in(message: &str) -> String {
    let Some(path) = message
        .split_once("at `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(path, _)| path)
    else {
        return String::new();
    };
    path.split(['.', '['])
        .filter(|part| !part.is_empty())
        .map(|part| format!("/{}", part.trim_end_matches(']')))
        .collect()
}

#[test]
fn decode_errors_are_located_by_json_pointer() {
    assert_eq!(
        pointer_in("cannot decode the response body at `list[0].id`: bad"),
        "/list/0/id"
    );
    assert_eq!(
        pointer_in("cannot decode the response body at `.`: bad"),
        ""
    );
}

#[test]
fn every_answer_the_document_allows_decodes_and_comes_back() {
    let doc = document();
    let mut failures = Failures::default();
    let mut answered = 0;
    for (i, op) in doc.operations().iter().enumerate() {
        let Some(schema) = &op.answer else { continue };
        answered += 1;
        for round in 0..ROUNDS {
            let seed = round * 10_000 + i as u64;
            let again = |json: &[u8]| c1_client::conformance::response_again(&op.id, json);
            for problem in round_trip(&doc, schema, seed, false, again) {
                failures.add(&op.id, seed, problem);
            }
        }
    }
    assert_eq!(answered, 312, "every operation answers JSON");
    failures.assert_none("answers");
}

#[test]
fn every_component_schema_decodes_and_comes_back() {
    let doc = document();
    let mut failures = Failures::default();
    // Schemas only requests use are what the client sends: its types for
    // them leave read-only properties out.
    let operations = doc.operations();
    let answered = doc.reachable(operations.iter().filter_map(|op| op.answer.as_ref()));
    let requested = doc.reachable(operations.iter().filter_map(|op| op.body.as_ref()));
    for (i, name) in doc.component_names().iter().enumerate() {
        let schema = serde_json::json!({"$ref": format!("#/components/schemas/{name}")});
        let sent = requested.contains(name) && !answered.contains(name);
        for round in 0..ROUNDS {
            let seed = round * 10_000 + i as u64;
            let again = |json: &[u8]| c1_client::conformance::model_again(name, json);
            for problem in round_trip(&doc, &schema, seed, sent, again) {
                failures.add(name, seed, problem);
            }
        }
    }
    failures.assert_none("component schemas");
}
