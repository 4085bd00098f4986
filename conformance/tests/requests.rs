//! Every request the client builds conforms to the document: for each of
//! the document's operations, in three seeded rounds, the client builds the
//! request with every path, query and header parameter and a body holding
//! every property it may send (generated from the schemas), and the request
//! is validated against the document, and compared with what was given.

mod common;

use c1_conformance::compare::{sent_as_given, Given};
use c1_conformance::generate::{Generator, Mode};
use c1_conformance::validate::Schemas;
use c1_conformance::{Failures, Operation, Problem, ROUNDS};
use serde_json::{json, Map, Value};

use common::{document, request_of};

/// The arguments of one request, generated from the operation's schemas:
/// every parameter and the body, as `c1_client::conformance::request` takes
/// them.
fn arguments(generator: &mut Generator<'_>, op: &Operation) -> Value {
    let mut places: Map<String, Value> = Map::new();
    for param in &op.params {
        let text = generator.text(&param.schema);
        let place = places
            .entry(param.location.clone())
            .or_insert_with(|| json!({}));
        place[&param.name] = Value::String(text);
    }
    if let Some(schema) = &op.body {
        places.insert("body".into(), generator.value(schema));
    }
    Value::Object(places)
}

/// The problems of one operation's request in one round.
fn check(
    schemas: &mut Schemas,
    doc: &c1_conformance::Document,
    client: &c1_client::Client,
    op: &Operation,
    seed: u64,
) -> Vec<Problem> {
    let mut generator = Generator::new(doc, Mode::Request, seed);
    if seed < 10_000 {
        // The first round: every list empty, required ones still sent.
        generator = generator.with_empty_lists();
    }
    let args = arguments(&mut generator, op);
    let built = match c1_client::conformance::request(client, &op.id, &args) {
        Ok(built) => built,
        Err(message) => {
            return vec![Problem {
                pointer: String::new(),
                message: format!("the client did not build the request: {message}"),
            }];
        }
    };
    let request = match request_of(&built) {
        Ok(request) => request,
        Err(problem) => return vec![problem],
    };
    let mut problems = schemas
        .check_request(op, &common::base(), &request)
        .unwrap_or_else(|e| panic!("{}: {e}", op.id));
    let given = Given {
        params: ["path", "query"]
            .iter()
            .flat_map(|place| {
                let texts = args[*place].as_object().cloned().unwrap_or_default();
                texts.into_iter().map(move |(name, text)| {
                    let text = text.as_str().unwrap_or_default().to_string();
                    (place.to_string(), name, text)
                })
            })
            .collect(),
        body: args.get("body").cloned(),
    };
    problems.extend(sent_as_given(doc, op, &common::base(), &request, &given));
    problems
}

#[test]
fn every_request_the_client_builds_conforms_to_the_document() {
    let doc = document();
    let mut schemas = Schemas::new(&doc).expect("the document's schemas compile");
    let client = common::client();
    let operations = doc.operations();
    assert_eq!(operations.len(), 312, "the whole API");
    let mut failures = Failures::default();
    for round in 0..ROUNDS {
        for (i, op) in operations.iter().enumerate() {
            let seed = round * 10_000 + i as u64;
            for problem in check(&mut schemas, &doc, &client, op, seed) {
                failures.add(&op.id, seed, problem);
            }
        }
    }
    failures.assert_none("requests");
}

#[test]
fn the_client_builds_every_operation_of_the_document() {
    let doc = document();
    let missing: Vec<String> = doc
        .operations()
        .into_iter()
        .map(|op| op.id)
        .filter(|id| !c1_client::conformance::OPERATIONS.contains(&id.as_str()))
        .collect();
    assert!(missing.is_empty(), "not built by the client: {missing:?}");
}
