//! Stage 1b, overlay: rules the documents state only in prose, as data.
//!
//! An [OpenAPI Overlay 1.0](https://spec.openapis.org/overlay/v1.0.0.html)
//! document (`overlay: 1.0.0` where an OpenAPI document has `openapi`) in
//! the spec directory lists actions, each a JSONPath `target` and an
//! `update` merged into every node it selects (or `remove: true`). They are
//! applied, in file and action order, to every OpenAPI document beside them
//! right after loading, so that every later stage, and the conformance
//! suite's validator, reads the rules as the documents' own.
//!
//! An action that selects nothing in any document is a warning naming it
//! (its rule no longer applies: the spec changed under it), not an error.

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::error::{Error, Pointer, Result};
use crate::load::SourceDocument;
use crate::model::Warning;

/// Whether `doc` is an overlay rather than an OpenAPI document.
pub fn is_overlay(doc: &SourceDocument) -> bool {
    doc.value.get("overlay").is_some()
}

/// One overlay's actions, checked.
struct Overlay<'a> {
    name: &'a str,
    actions: Vec<Action>,
}

/// One action: where, and what it does there.
struct Action {
    /// Its pointer in the overlay (`/actions/3`).
    at: Pointer,
    target: String,
    path: JsonPath,
    change: Change,
}

enum Change {
    Update(Value),
    Remove,
}

/// The OpenAPI documents of `docs` with every overlay of `docs` applied,
/// and a warning for each action that selected nothing. Every problem of
/// every overlay is reported together.
pub fn apply(docs: &[SourceDocument]) -> Result<(Vec<SourceDocument>, Vec<Warning>)> {
    let mut documents: Vec<SourceDocument> =
        docs.iter().filter(|d| !is_overlay(d)).cloned().collect();
    let overlays = crate::error::all(docs.iter().filter(|d| is_overlay(d)).map(read))?;
    let mut warnings = Vec::new();
    for overlay in &overlays {
        for action in &overlay.actions {
            let mut selected = 0;
            for doc in &mut documents {
                selected += action.run(&mut doc.value);
            }
            if selected == 0 {
                warnings.push(Warning {
                    file: Some(overlay.name.to_string()),
                    line: None,
                    pointer: action.at.push("target").to_string(),
                    message: format!(
                        "the overlay's action selects nothing in any document: `{}` (the rule it states no longer applies; update or remove it)",
                        action.target
                    ),
                });
            }
        }
    }
    Ok((documents, warnings))
}

/// Reads and checks one overlay document.
fn read(doc: &SourceDocument) -> Result<Overlay<'_>> {
    let invalid = |at: &Pointer, message: String| Error::Invalid {
        file: doc.name.clone(),
        line: None,
        pointer: at.to_string(),
        message,
    };
    let root = Pointer::root();
    let version = doc.value["overlay"].as_str().unwrap_or_default();
    if !version.starts_with("1.") {
        let message = format!("overlay version `{version}` is not supported (1.x is)");
        return Err(invalid(&root.push("overlay"), message));
    }
    let Some(actions) = doc.value["actions"].as_array() else {
        let message = "an overlay needs a list of `actions`".to_string();
        return Err(invalid(&root.push("actions"), message));
    };
    let actions = actions.iter().enumerate().map(|(i, action)| {
        let at = root.push("actions").push(&i.to_string());
        Action::read(action, &at).map_err(|message| invalid(&at, message))
    });
    Ok(Overlay {
        name: &doc.name,
        actions: crate::error::all(actions)?,
    })
}

impl Action {
    fn read(action: &Value, at: &Pointer) -> std::result::Result<Action, String> {
        let target = action["target"]
            .as_str()
            .ok_or("an action needs a `target` (a JSONPath)")?;
        let path = JsonPath::parse(target)
            .map_err(|e| format!("`target` is not a JSONPath: `{target}`: {e}"))?;
        let change = match (action.get("update"), action["remove"].as_bool()) {
            (Some(update), None | Some(false)) => Change::Update(update.clone()),
            (None, Some(true)) => Change::Remove,
            (Some(_), Some(true)) => return Err("an action either updates or removes".into()),
            (None, _) => return Err("an action needs an `update` or `remove: true`".into()),
        };
        Ok(Action {
            at: at.clone(),
            target: target.to_string(),
            path,
            change,
        })
    }

    /// Applies the action to `doc`; how many nodes it selected.
    fn run(&self, doc: &mut Value) -> usize {
        let pointers: Vec<String> = self
            .path
            .query_located(doc)
            .locations()
            .map(|l| l.to_json_pointer())
            .collect();
        // Last first, so that removing an array's item leaves the pointers
        // of the earlier ones as they were.
        for pointer in pointers.iter().rev() {
            match &self.change {
                Change::Update(update) => {
                    if let Some(node) = doc.pointer_mut(pointer) {
                        merge(node, update);
                    }
                }
                Change::Remove => remove(doc, pointer),
            }
        }
        pointers.len()
    }
}

/// Overlay 1.0's update: objects merge key by key, recursively; an array
/// target gets the update appended (its items, when the update is an
/// array); anything else is replaced.
fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(node), Value::Object(update)) => {
            for (key, value) in update {
                match node.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        node.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(node), Value::Array(update)) => node.extend(update.iter().cloned()),
        (Value::Array(node), update) => node.push(update.clone()),
        (node, update) => *node = update.clone(),
    }
}

/// Removes the node at `pointer` from its parent.
fn remove(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(name: &str, value: Value) -> SourceDocument {
        SourceDocument {
            name: name.into(),
            text: serde_json::to_string_pretty(&value).unwrap(),
            value,
        }
    }

    fn overlay(actions: Value) -> SourceDocument {
        doc(
            "rules.overlay.yaml",
            json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions}),
        )
    }

    #[test]
    fn updates_merge_into_every_selected_node_of_every_document() {
        let a = doc(
            "a.yaml",
            json!({"openapi": "3.0.3", "paths": {"/x": {"post": {"operationId": "x"}}},
                "components": {"schemas": {"R": {"type": "object", "required": ["a"]}}}}),
        );
        let b = doc(
            "b.yaml",
            json!({"openapi": "3.0.3", "paths": {"/x": {"post": {"operationId": "x", "summary": "s"}}}}),
        );
        let rules = overlay(json!([
            {"target": "$.paths['/x'].post", "update": {"x-c1-effect": {"kind": "write"}}},
            {"target": "$.components.schemas.R", "update": {"required": ["b"], "not": {"required": ["a", "b"]}}},
        ]));
        let (docs, warnings) = apply(&[a, rules, b]).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(docs.len(), 2, "the overlay is not a document");
        for d in &docs {
            assert_eq!(
                d.value["paths"]["/x"]["post"]["x-c1-effect"]["kind"],
                "write"
            );
        }
        assert_eq!(docs[1].value["paths"]["/x"]["post"]["summary"], "s");
        let r = &docs[0].value["components"]["schemas"]["R"];
        assert_eq!(r["required"], json!(["a", "b"]), "arrays are appended to");
        assert_eq!(r["not"]["required"], json!(["a", "b"]));
    }

    #[test]
    fn remove_takes_the_node_out_of_its_parent() {
        let a = doc(
            "a.yaml",
            json!({"openapi": "3.0.3", "tags": [{"name": "a"}, {"name": "b"}], "x-y": 1}),
        );
        let rules = overlay(json!([
            {"target": "$.tags[?@.name == 'a']", "remove": true},
            {"target": "$['x-y']", "remove": true},
        ]));
        let (docs, _) = apply(&[a, rules]).unwrap();
        assert_eq!(
            docs[0].value,
            json!({"openapi": "3.0.3", "tags": [{"name": "b"}]})
        );
    }

    #[test]
    fn an_action_that_selects_nothing_is_a_warning_naming_it() {
        let a = doc("a.yaml", json!({"openapi": "3.0.3", "paths": {}}));
        let rules = overlay(json!([{"target": "$.paths['/gone'].get", "update": {"x": 1}}]));
        let (_, warnings) = apply(&[a, rules]).unwrap();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].file.as_deref(), Some("rules.overlay.yaml"));
        assert_eq!(warnings[0].pointer, "/actions/0/target");
        assert!(
            warnings[0].message.contains("`$.paths['/gone'].get`"),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn a_bad_overlay_is_an_error_naming_every_bad_action() {
        let a = doc("a.yaml", json!({"openapi": "3.0.3"}));
        let rules = overlay(json!([
            {"target": "paths[", "update": {}},
            {"target": "$.a"},
            {"target": "$.a", "update": {}, "remove": true},
        ]));
        let err = apply(&[a, rules]).err().unwrap().to_string();
        assert!(
            err.contains("/actions/0: `target` is not a JSONPath"),
            "{err}"
        );
        assert!(
            err.contains("/actions/1: an action needs an `update`"),
            "{err}"
        );
        assert!(
            err.contains("/actions/2: an action either updates or removes"),
            "{err}"
        );
        let old = doc("o.yaml", json!({"overlay": "2.0.0", "actions": []}));
        let err = apply(&[old]).err().unwrap().to_string();
        assert!(
            err.contains("o.yaml: /overlay: overlay version `2.0.0`"),
            "{err}"
        );
    }
}
