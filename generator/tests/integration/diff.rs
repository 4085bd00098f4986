//! The API change report: one small spec pair per kind of change, and the
//! two real versions of the C1 API (from `C1_SPECS_DIR`) as a snapshot.

use c1_codegen::diff::{self, Bump, Report, Summary};
use c1_codegen::load::SourceDocument;
use c1_codegen::Options;

const BASE: &str = "\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /widgets/{id}:
    get:
      tags: [Widgets]
      operationId: x.Widgets.Get
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}}}
components:
  schemas:
    Widget:
      type: object
      required: [name]
      properties:
        name: {type: string}
        size: {type: integer, format: int32}
        kind: {$ref: '#/components/schemas/Kind'}
    Kind: {type: string, enum: [KIND_A, KIND_B]}
    Label: {type: string}
";

fn summary_of(docs: &[(&str, &str)]) -> Summary {
    let docs: Vec<SourceDocument> = docs
        .iter()
        .map(|(name, text)| SourceDocument::parse(name, text).unwrap())
        .collect();
    c1_codegen::generate_documents(&docs, &Options::default())
        .unwrap()
        .summary
}

/// The report from `BASE` to `BASE` with `from` replaced by `to`.
fn report(from: &str, to: &str) -> Report {
    assert!(BASE.contains(from), "{from:?} is not in the base spec");
    let changed = BASE.replace(from, to);
    diff::diff(
        &summary_of(&[("api.yaml", BASE)]),
        &summary_of(&[("api.yaml", &changed)]),
    )
}

/// `(text, breaking)` of every change.
fn changes(report: &Report) -> Vec<(String, bool)> {
    report
        .changes()
        .map(|c| (c.text.clone(), c.breaking))
        .collect()
}

#[test]
fn the_same_api_moved_between_files_is_no_change() {
    let (paths, components) = BASE.split_at(BASE.find("components:").unwrap());
    let head = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let split = summary_of(&[
        ("b.yaml", paths),
        ("a.yaml", &format!("{head}{components}")),
    ]);
    let report = diff::diff(&summary_of(&[("api.yaml", BASE)]), &split);
    assert_eq!(changes(&report), []);
    assert_eq!(report.bump(), None);
    assert_eq!(report.count_line(), "No API changes.");
}

#[test]
fn added_and_removed_operations() {
    let added = report(
        "components:",
        "  /labels:\n    get:\n      tags: [Widgets]\n      operationId: x.Widgets.ListLabels\n      responses: {'200': {description: ok}}\ncomponents:",
    );
    assert_eq!(
        changes(&added),
        [(
            "`client.widgets().list_labels()` (Widgets.ListLabels, `GET /labels`)".to_string(),
            false
        )]
    );
    assert_eq!(added.bump(), Some(Bump::Minor));
    let removed = report(
        "    get:\n      tags: [Widgets]",
        "    x-get:\n      tags: [Widgets]",
    );
    assert_eq!(
        changes(&removed),
        [(
            "`client.widgets().get()` (Widgets.Get, `GET /widgets/{id}`)".to_string(),
            true
        )]
    );
    assert_eq!(removed.bump(), Some(Bump::Major));
    assert_eq!(
        removed.markdown(),
        "## API changes\n\n### Operations removed\n\n- `client.widgets().get()` (Widgets.Get, `GET /widgets/{id}`) **(breaking)**\n\n1 change, 1 breaking: a major version bump.\n"
    );
}

#[test]
fn changed_operations() {
    let retyped = report("schema: {type: string}}]", "schema: {type: integer}}]");
    assert_eq!(
        changes(&retyped),
        [(
            "`client.widgets().get()` (Widgets.Get, `GET /widgets/{id}`): now `(id: i64) -> Widget` (was `(id: impl Into<String>) -> Widget`)".to_string(),
            true
        )]
    );
    // A new optional parameter is one more setter: no caller breaks.
    let query = "{name: id, in: path, required: true, schema: {type: string}}";
    let optional = report(
        query,
        &format!("{query}, {{name: view, in: query, schema: {{type: string}}}}"),
    );
    assert_eq!(
        changes(&optional),
        [(
            "`client.widgets().get()` (Widgets.Get, `GET /widgets/{id}`): setter `.view: impl Into<String>` added".to_string(),
            false
        )]
    );
    assert_eq!(optional.bump(), Some(Bump::Minor));
    // A new required one is a new argument.
    let required = report(
        query,
        &format!("{query}, {{name: view, in: query, required: true, schema: {{type: string}}}}"),
    );
    assert_eq!(required.bump(), Some(Bump::Major));
    let moved = report("  /widgets/{id}:", "  /v2/widgets/{id}:");
    assert_eq!(
        changes(&moved),
        [("`client.widgets().get()` (Widgets.Get, `GET /v2/widgets/{id}`): moved from `GET /widgets/{id}`".to_string(), false)]
    );
}

#[test]
fn added_and_removed_types() {
    let added = report(
        "    Label: {type: string}",
        "    Label: {type: string}\n    Tag: {type: object}",
    );
    assert_eq!(changes(&added), [("`Tag`".to_string(), false)]);
    let removed = report("    Label: {type: string}\n", "");
    assert_eq!(changes(&removed), [("`Label`".to_string(), true)]);
}

#[test]
fn field_changes() {
    let optional = report(
        "        name: {type: string}",
        "        name: {type: string}\n        color: {type: string}",
    );
    assert_eq!(
        changes(&optional),
        [(
            "`Widget`: field `color: Option<String>` added".to_string(),
            false
        )]
    );
    let required = report(
        "      required: [name]\n      properties:\n        name: {type: string}",
        "      required: [name, color]\n      properties:\n        name: {type: string}\n        color: {type: string}",
    );
    assert_eq!(
        changes(&required),
        [("`Widget`: field `color: String` added".to_string(), true)]
    );
    // Lists and maps are never `Option`, yet may be absent: adding one,
    // even a required one, breaks no `..Default::default()`.
    let list = report(
        "      required: [name]\n      properties:\n        name: {type: string}",
        "      required: [name, tags]\n      properties:\n        name: {type: string}\n        tags: {type: array, items: {type: string}}",
    );
    assert_eq!(
        changes(&list),
        [(
            "`Widget`: field `tags: Vec<String>` added".to_string(),
            false
        )]
    );
    let removed = report("        size: {type: integer, format: int32}\n", "");
    assert_eq!(
        changes(&removed),
        [("`Widget`: field `size` removed".to_string(), true)]
    );
    let retyped = report(
        "size: {type: integer, format: int32}",
        "size: {type: string, format: int64}",
    );
    assert_eq!(
        changes(&retyped),
        [(
            "`Widget`: field `size` changed type: `Option<i32>` -> `Option<i64>`".to_string(),
            true
        )]
    );
    let became_required = report("required: [name]", "required: [name, size]");
    assert_eq!(
        changes(&became_required),
        [(
            "`Widget`: field `size` became required: `Option<i32>` -> `i32`".to_string(),
            true
        )]
    );
    let became_optional = report("required: [name]", "required: []");
    assert_eq!(
        changes(&became_optional),
        [(
            "`Widget`: field `name` became optional: `String` -> `Option<String>`".to_string(),
            true
        )]
    );
}

#[test]
fn enum_value_changes() {
    let added = report("[KIND_A, KIND_B]", "[KIND_A, KIND_B, KIND_C]");
    assert_eq!(
        changes(&added),
        [("`Kind`: value `KIND_C` added".to_string(), false)]
    );
    assert_eq!(added.bump(), Some(Bump::Minor));
    let removed = report("[KIND_A, KIND_B]", "[KIND_A, KIND_X]");
    assert_eq!(
        changes(&removed),
        [
            ("`Kind`: value `KIND_X` added".to_string(), false),
            ("`Kind`: value `KIND_B` removed".to_string(), true)
        ]
    );
}

#[test]
fn alias_and_kind_changes() {
    let alias = report("Label: {type: string}", "Label: {type: integer}");
    assert_eq!(
        changes(&alias),
        [("`Label`: now `i64` (was `String`)".to_string(), true)]
    );
    let kind = report("Label: {type: string}", "Label: {type: string, enum: [A]}");
    assert_eq!(
        changes(&kind),
        [("`Label`: a different kind of type".to_string(), true)]
    );
}

#[test]
fn versions_follow_cargo_semver() {
    assert_eq!(diff::bumped("0.1.0", Bump::Major).as_deref(), Some("0.2.0"));
    assert_eq!(diff::bumped("0.1.3", Bump::Minor).as_deref(), Some("0.1.4"));
    assert_eq!(diff::bumped("0.1.3", Bump::Patch).as_deref(), Some("0.1.4"));
    assert_eq!(diff::bumped("1.4.2", Bump::Major).as_deref(), Some("2.0.0"));
    assert_eq!(diff::bumped("1.4.2", Bump::Minor).as_deref(), Some("1.5.0"));
    assert_eq!(diff::bumped("1.4.2", Bump::Patch).as_deref(), Some("1.4.3"));
    assert_eq!(diff::bumped("one", Bump::Patch), None);
}

#[test]
fn the_real_api_from_the_previous_version_to_the_current_one() {
    let Some(dir) = std::env::var_os("C1_SPECS_DIR").map(std::path::PathBuf::from) else {
        eprintln!("C1_SPECS_DIR is not set: skipping the report on the real C1 API (see .ci/run)");
        return;
    };
    let summary = |file: &str| {
        c1_codegen::generate(&dir.join(file), &Options::default())
            .unwrap()
            .summary
    };
    let report = diff::diff(
        &summary("c1-previous.openapi.yaml"),
        &summary("c1-full.openapi.yaml"),
    );
    let markdown = report.markdown();
    for expected in [
        "`client.paper_secret().create_external()`",
        "`client.principal().create()`",
        "(WorkloadFederation.",
    ] {
        assert!(markdown.contains(expected), "the report lists {expected}");
    }
    assert!(markdown.contains(
        "- `client.functions().get_function_secret_encryption_key()` (Functions.GetFunctionSecretEncryptionKey, `GET /api/v1/functions/{function_id}/secret-encryption-key`) **(breaking)**"
    ));
    insta::assert_snapshot!("c1_previous_to_full", markdown);
}
