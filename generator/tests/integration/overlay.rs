//! The rules the documents state only in prose are data: every description
//! of `spec/` that states one ("cannot both be set", "0 <= pageSize <= 100",
//! "Values < 10 will be set to 10", ...) has its rule in the overlay, so
//! that the next spec that adds such a sentence fails here until someone
//! writes the rule; and every operation is in the effects table.

use std::path::Path;

use c1_codegen::load::{self, SourceDocument};
use c1_codegen::overlay;
use serde_json::Value;

const SPEC: &str = "../spec";

/// A sentence that states a rule, and how the rule is checked.
enum Prose {
    /// "This field and X cannot both be set", "cannot be set if X is also
    /// set": the schema holding the field has `not: {required: [..]}`
    /// naming it.
    Apart,
    /// "A <= pageSize <= B": the node has `minimum: A` and `maximum: B`.
    Bounds(f64, f64),
    /// "Values < N will be set to N": `x-c1-page-size.least` is N.
    Least(f64),
    /// Words that state a rule this scan cannot check yet ("mutually
    /// exclusive", "only one of"): a test failure until one is written.
    Unknown,
}

/// The rules a description states.
fn rules(text: &str) -> Vec<Prose> {
    let lower = text.to_lowercase();
    let mut found = Vec::new();
    if lower.contains("cannot both be set") || lower.contains("cannot be set if") {
        found.push(Prose::Apart);
    }
    if let Some((low, high)) = page_bounds(text) {
        found.push(Prose::Bounds(low, high));
    }
    if let Some(least) = least(text) {
        found.push(Prose::Least(least));
    }
    // (Protobuf oneofs, "Only a single field of the following list may be
    // set at a time", are read from their descriptions by the model.)
    let unknown = [
        "mutually exclusive",
        "only one of these fields",
        "exactly one of",
        "must not be set together",
    ];
    if unknown.iter().any(|w| lower.contains(w)) {
        found.push(Prose::Unknown);
    }
    found
}

/// `A <= pageSize <= B`.
fn page_bounds(text: &str) -> Option<(f64, f64)> {
    let (before, after) = text.split_once(" <= pageSize <= ")?;
    let low = before.rsplit(' ').next()?.parse().ok()?;
    let high = after
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    Some((low, high))
}

/// `Values < N will be set to N`.
fn least(text: &str) -> Option<f64> {
    let (_, after) = text.split_once("Values < ")?;
    let (n, rest) = after.split_once(' ')?;
    rest.starts_with("will be set to").then(|| n.parse().ok())?
}

/// Every description in `raw` that states a rule `applied` (the same
/// document, the overlay applied) lacks, as `file pointer: text`.
fn missing_rules(raw: &SourceDocument, applied: &Value) -> Vec<String> {
    let mut missing = Vec::new();
    let mut stack = vec![(String::new(), &raw.value)];
    while let Some((pointer, node)) = stack.pop() {
        match node {
            Value::Object(fields) => {
                for (key, child) in fields {
                    let at = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                    if let (true, Value::String(text)) = (key == "description", child) {
                        for rule in rules(text) {
                            if !holds(&rule, applied, &pointer) {
                                missing.push(format!("{} {pointer}: {text}", raw.name));
                            }
                        }
                    }
                    stack.push((at, child));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    stack.push((format!("{pointer}/{i}"), child));
                }
            }
            _ => {}
        }
    }
    missing.sort();
    missing
}

/// Whether `applied` has the rule at `pointer`, the node the description
/// describes.
fn holds(rule: &Prose, applied: &Value, pointer: &str) -> bool {
    let node = applied.pointer(pointer);
    match rule {
        Prose::Apart => {
            let Some((schema, field)) = pointer.rsplit_once("/properties/") else {
                return false;
            };
            let apart = applied.pointer(&format!("{schema}/not/required"));
            apart
                .and_then(Value::as_array)
                .is_some_and(|names| names.iter().any(|n| n == field))
        }
        Prose::Bounds(low, high) => node.is_some_and(|n| {
            n["minimum"].as_f64() == Some(*low) && n["maximum"].as_f64() == Some(*high)
        }),
        Prose::Least(least) => {
            node.is_some_and(|n| n["x-c1-page-size"]["least"].as_f64() == Some(*least))
        }
        Prose::Unknown => false,
    }
}

/// The documents of `spec/` as read, and the overlays among them.
fn spec() -> (Vec<SourceDocument>, Vec<SourceDocument>) {
    let all = load::load_dir(Path::new(SPEC)).expect("spec/ loads");
    all.into_iter().partition(|d| !overlay::is_overlay(d))
}

/// The documents with `overlays` applied, paired with their raw selves.
fn scan(documents: &[SourceDocument], overlays: &[SourceDocument]) -> Vec<String> {
    let mut all = documents.to_vec();
    all.extend(overlays.iter().cloned());
    let (applied, _) = overlay::apply(&all).expect("the overlay applies");
    documents
        .iter()
        .zip(&applied)
        .flat_map(|(raw, applied)| missing_rules(raw, &applied.value))
        .collect()
}

#[test]
fn every_rule_stated_in_prose_has_its_rule_in_the_overlay() {
    let (documents, overlays) = spec();
    assert!(!overlays.is_empty(), "spec/ has an overlay");
    let missing = scan(&documents, &overlays);
    assert!(
        missing.is_empty(),
        "descriptions that state a rule the overlay does not have:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_scan_finds_the_prose_it_looks_for_and_names_a_rule_taken_out() {
    let (documents, overlays) = spec();
    let whole: usize = documents
        .iter()
        .map(|d| missing_rules(d, &Value::Null).len())
        .sum();
    // With no rule at all: 2 pairs of account ids (4 sentences), 13 page
    // sizes with bounds and 11 with a least page.
    assert_eq!(whole, 4 + 13 + 11);
    // The overlay without its rule for the task search's page size.
    let target = "c1.api.task.v1.TaskSearchRequest'].properties.pageSize";
    let mut fewer = overlays[0].clone();
    let actions = fewer.value["actions"].as_array_mut().unwrap();
    let before = actions.len();
    actions.retain(|a| !a["target"].as_str().unwrap_or_default().contains(target));
    assert_eq!(actions.len(), before - 1);
    let missing = scan(&documents, &[fewer]);
    assert_eq!(missing.len(), 2, "{missing:#?}");
    for line in &missing {
        assert!(
            line.contains("/components/schemas/c1.api.task.v1.TaskSearchRequest/properties/pageSize: The pageSize where 0 <= pageSize <= 100."),
            "{line}"
        );
    }
}

#[test]
fn words_of_a_rule_the_scan_cannot_check_fail_it() {
    let raw = SourceDocument::parse(
        "new.yaml",
        "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      description: Fields a and b are mutually exclusive.\n",
    )
    .unwrap();
    let missing = missing_rules(&raw, &raw.value);
    assert_eq!(
        missing,
        ["new.yaml /components/schemas/A: Fields a and b are mutually exclusive."]
    );
}

#[test]
fn every_operation_of_the_whole_api_is_in_the_effects_table() {
    let documents = c1_codegen::documents(Path::new(SPEC)).expect("spec/ loads");
    let mut missing = Vec::new();
    for doc in &documents {
        let paths = doc.value["paths"].as_object().into_iter().flatten();
        for (path, item) in paths {
            let ops = item.as_object().into_iter().flatten();
            for (method, op) in ops.filter(|(_, op)| op.get("operationId").is_some()) {
                if op.get("x-c1-effect").is_none() {
                    missing.push(format!("{} {method} {path}", doc.name));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in the effects table:\n{}",
        missing.join("\n")
    );
}

#[test]
fn an_operation_left_out_of_the_effects_table_is_an_unreviewed_write_with_a_warning() {
    let mut all = load::load_dir(Path::new(SPEC)).expect("spec/ loads");
    let overlay = all.iter_mut().find(|d| overlay::is_overlay(d)).unwrap();
    let actions = overlay.value["actions"].as_array_mut().unwrap();
    let view = "$.paths['/api/v1/secrets/{vault_id}/view'].post";
    actions.retain(|a| a["target"] != view);
    let generated =
        c1_codegen::generate_documents(&all, &c1_codegen::Options::default()).expect("generates");
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].contains("`c1.api.secrets.v1.PaperSecretService.GetContent` (POST /api/v1/secrets/{vault_id}/view) is not in the effects table"),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[0].starts_with("../spec/conductor_one_api.openapi.yaml:"),
        "{}",
        warnings[0]
    );
    let op = &generated.summary.operations["paper_secret.get_content"];
    assert_eq!(op.effect, "unreviewed");
    assert_eq!(op.retries, c1_codegen::diff::NOT_IDEMPOTENT);
}
