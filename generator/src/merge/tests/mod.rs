//! One test per merge rule, each asserting the exact note or error; a file
//! per room of the merge (`schemas`, `documents`, `references`), the rules
//! of the whole merge here.

use super::*;
use serde_json::json;

pub(super) fn doc(name: &str, value: Value) -> NormalizedDocument {
    NormalizedDocument {
        name: name.into(),
        value,
    }
}

pub(super) fn base(components: Value) -> Value {
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": components}})
}

pub(super) fn merge_two(a: Value, b: Value) -> Result<Merged> {
    merge(&[doc("a.yaml", base(a)), doc("b.yaml", base(b))])
}

/// Merges two documents with one operation each, `GET /x/{id}`.
pub(super) fn merge_ops(a: Value, b: Value) -> Result<Merged> {
    let with = |op: Value| {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/x/{id}": {"get": op}}})
    };
    merge(&[doc("a.yaml", with(a)), doc("b.yaml", with(b))])
}

pub(super) fn op(extra: Value) -> Value {
    let mut op = json!({"operationId": "svc.Get", "responses": {"200": {"description": "ok"}}});
    if let (Some(op), Value::Object(extra)) = (op.as_object_mut(), extra) {
        op.extend(extra);
    }
    op
}

/// Merges documents named `a.yaml`, `b.yaml`, ... holding `values`, and
/// checks that every other assignment of the values to the names (so every
/// order the merge takes them in) gives the same document, the same notes
/// and the same conflicts, up to the names of the files.
pub(super) fn merge_each_order(values: &[Value]) -> Result<Merged> {
    let names: Vec<String> = (0..values.len())
        .map(|i| format!("{}.yaml", char::from(b'a' + i as u8)))
        .collect();
    let run = |order: &[usize]| {
        let docs: Vec<NormalizedDocument> = order
            .iter()
            .zip(&names)
            .map(|(&i, name)| doc(name, base_or_whole(&values[i])))
            .collect();
        merge(&docs)
    };
    let identity: Vec<usize> = (0..values.len()).collect();
    let expected = run(&identity);
    for order in permutations(&identity) {
        // The file named names[k] holds values[order[k]]: call it by that name.
        let rename = |text: &str| {
            let mut text = text.to_string();
            for (k, name) in names.iter().enumerate() {
                text = text.replace(name.as_str(), &format!("<{}>", order[k]));
            }
            for (i, name) in names.iter().enumerate() {
                text = text.replace(&format!("<{i}>"), name);
            }
            sort_file_lists(&text)
        };
        match (&expected, run(&order)) {
            (Ok(want), Ok(got)) => {
                assert_eq!(got.value, want.value, "order {order:?}");
                let mut renamed: Vec<String> = notes(&got).iter().map(|n| rename(n)).collect();
                let mut wanted: Vec<String> =
                    notes(want).iter().map(|n| sort_file_lists(n)).collect();
                renamed.sort();
                wanted.sort();
                assert_eq!(renamed, wanted, "order {order:?}");
                let shown = |m: &Merged| -> Vec<String> {
                    let mut warnings: Vec<String> =
                        m.warnings.iter().map(|w| w.to_string()).collect();
                    warnings.sort();
                    warnings
                };
                let renamed: Vec<String> = shown(&got).iter().map(|w| rename(w)).collect();
                let wanted: Vec<String> = shown(want).iter().map(|w| sort_file_lists(w)).collect();
                assert_eq!(renamed, wanted, "warnings, order {order:?}");
            }
            (Err(want), Err(got)) => {
                assert_eq!(
                    conflict_pointers(got),
                    conflict_pointers_of(want),
                    "order {order:?}"
                );
            }
            (want, got) => panic!("order {order:?}: {want:?} but {got:?}"),
        }
    }
    expected
}

/// Lists of files (`in c.yaml, a.yaml; merged`) in sorted order, as the
/// merge names them: renamed files may list out of order.
fn sort_file_lists(text: &str) -> String {
    let is_file = |w: &str| w.len() == 6 && w.ends_with(".yaml");
    let pieces: Vec<&str> = text.split(", ").collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        // A run starts with a piece ending in a file name (`in c.yaml`) and
        // goes on with pieces that start with one (`a.yaml; merged`).
        let start = pieces[i].rfind(' ').map_or(0, |k| k + 1);
        if !is_file(&pieces[i][start..]) {
            out.push(pieces[i].to_string());
            i += 1;
            continue;
        }
        let mut run = vec![&pieces[i][start..]];
        let mut tail = "";
        let mut j = i + 1;
        while tail.is_empty() && j < pieces.len() && pieces[j].get(..6).is_some_and(is_file) {
            let rest = &pieces[j][6..];
            if !rest.is_empty() && !rest.starts_with([';', ' ', ')']) {
                break;
            }
            run.push(&pieces[j][..6]);
            tail = rest;
            j += 1;
        }
        run.sort();
        out.push(format!("{}{}{tail}", &pieces[i][..start], run.join(", ")));
        i = j;
    }
    out.join(", ")
}

#[test]
fn file_lists_sort() {
    assert_eq!(
        sort_file_lists("x in c.yaml, a.yaml; kept b.yaml, d in b.yaml, a.yaml"),
        "x in a.yaml, c.yaml; kept b.yaml, d in a.yaml, b.yaml"
    );
}

/// A whole document as it is, or component schemas in a document.
fn base_or_whole(value: &Value) -> Value {
    if value.get("openapi").is_some() {
        value.clone()
    } else {
        base(value.clone())
    }
}

fn conflict_pointers(error: Error) -> Vec<String> {
    conflict_pointers_of(&error)
}

fn conflict_pointers_of(error: &Error) -> Vec<String> {
    let list = match error {
        Error::Many(list) => list.iter().collect(),
        one => vec![one],
    };
    let mut pointers: Vec<String> = list
        .iter()
        .map(|e| match e {
            Error::Conflict { pointer, .. } | Error::Invalid { pointer, .. } => pointer.clone(),
            other => other.to_string(),
        })
        .collect();
    pointers.sort();
    pointers
}

fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut all = Vec::new();
    for (i, first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, *first);
            all.push(tail);
        }
    }
    all
}

pub(super) fn notes(m: &Merged) -> Vec<String> {
    m.notes.iter().map(ToString::to_string).collect()
}

pub(super) fn at<'a>(m: &'a Merged, pointer: &str) -> &'a Value {
    m.value
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{pointer} is in the merged document"))
}

#[test]
fn every_conflict_is_reported_at_once() {
    let err = merge_two(
        json!({"A": {"type": "string"}, "B": {"type": "object", "properties": {"x": {"type": "string"}}}}),
        json!({"A": {"type": "integer"}, "B": {"type": "object", "properties": {"x": {"type": "boolean"}}}}),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml and b.yaml disagree at /components/schemas/A/type: \"string\" vs \"integer\"\n\
         a.yaml and b.yaml disagree at /components/schemas/B/properties/x/type: \"string\" vs \"boolean\""
    );
}

#[test]
fn input_order_does_not_matter() {
    let a = doc(
        "a.yaml",
        base(
            json!({"A": {"type": "object", "required": ["x"], "properties": {"x": {"type": "string", "nullable": true}, "y": {"type": "string", "enum": ["P", "Q"]}}}}),
        ),
    );
    let b = doc(
        "b.yaml",
        base(
            json!({"A": {"type": "object", "properties": {"y": {"type": "string", "description": "why", "enum": ["Q", "R"]}, "x": {"type": "string"}, "z": {"type": "string"}}}}),
        ),
    );
    let ab = merge(&[a.clone(), b.clone()]).unwrap();
    let ba = merge(&[b, a]).unwrap();
    assert_eq!(
        serde_json::to_string(&ab.value).unwrap(),
        serde_json::to_string(&ba.value).unwrap()
    );
    assert_eq!(ab.notes, ba.notes);
}

#[test]
fn ordered_union_keeps_each_lists_order() {
    let union = |lists: Vec<Vec<&'static str>>| ordered_union(lists, |s| *s);
    assert_eq!(
        union(vec![vec!["a", "b", "d"], vec!["a", "b", "c", "d"]]),
        ["a", "b", "c", "d"]
    );
    // An item with no predecessor goes before the item it precedes, in
    // either order of the lists.
    assert_eq!(union(vec![vec!["b", "c"], vec!["a", "c"]]), ["a", "b", "c"]);
    assert_eq!(union(vec![vec!["a", "c"], vec!["b", "c"]]), ["a", "b", "c"]);
    assert_eq!(union(vec![vec!["x"], vec!["y"]]), ["x", "y"]);
    assert_eq!(union(vec![vec![], vec![]]), Vec::<&str>::new());
}

#[test]
fn notes_are_summarized_by_kind() {
    let note = |kind| Note {
        kind,
        pointer: String::new(),
        message: String::new(),
    };
    let notes = [
        note(NoteKind::Descriptions),
        note(NoteKind::Nullability),
        note(NoteKind::Nullability),
    ];
    assert_eq!(summarize(&notes), "3 notes: 2 nullability, 1 descriptions");
    assert_eq!(summarize(&notes[..1]), "1 note: 1 descriptions");
}

mod documents;
mod references;
mod schemas;
