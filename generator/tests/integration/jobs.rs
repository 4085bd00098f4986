//! The jobs layer (`generator/jobs/`) is hand-written against operations of
//! the C1 API: a spec that lacks one it calls gets the layer without the
//! part that calls it, or no layer, with a warning naming what was left out
//! and why, never a crate that does not compile; another API gets no jobs
//! layer at all.

use std::path::Path;

use c1_codegen::load::SourceDocument;
use c1_codegen::{generate_documents, Options};

/// The vendored documents: the whole API and the five pages.
fn vendored() -> Vec<SourceDocument> {
    c1_codegen::documents(Path::new("../spec")).expect("spec/ loads")
}

fn whole_api(docs: &mut [SourceDocument]) -> &mut serde_json::Value {
    let doc = docs.iter_mut().find(|d| d.name.ends_with(".openapi.yaml"));
    &mut doc.expect("the whole API is vendored").value
}

/// The generated file at `path`, if there is one.
fn file<'a>(
    generated: &'a c1_codegen::Generated,
    path: &str,
) -> Option<&'a c1_codegen::GeneratedFile> {
    generated.files.iter().find(|f| f.path == Path::new(path))
}

/// The warnings of a generated crate, as messages.
fn warnings(generated: &c1_codegen::Generated) -> Vec<String> {
    generated
        .warnings
        .iter()
        .map(|w| w.message.clone())
        .collect()
}

#[test]
fn an_operation_every_job_calls_renamed_leaves_the_jobs_layer_out_with_a_warning() {
    let mut docs = vendored();
    let paths = &mut whole_api(&mut docs)["paths"];
    let approve = &mut paths["/api/v1/tasks/{task_id}/action/approve"]["post"];
    approve["operationId"] = "c1.api.task.v1.TaskActionsService.ApproveTask".into();
    approve["x-speakeasy-name-override"] = "ApproveTask".into();
    let generated = generate_documents(&docs, &Options::default()).expect("generates");
    assert!(generated
        .files
        .iter()
        .all(|f| !f.path.starts_with("src/jobs")));
    let manifest = file(&generated, "Cargo.toml").expect("a manifest");
    assert!(!manifest.contents.contains("\njobs = ["));
    assert_eq!(
        warnings(&generated),
        ["the jobs layer (generator/jobs/) is left out: this API lacks operations every job calls: `task_actions.approve` (POST /api/v1/tasks/{task_id}/action/approve, now `task_actions.approve_task`)"]
    );
}

#[test]
fn an_api_without_the_request_forms_gets_the_jobs_layer_without_them_and_a_warning() {
    let mut docs = vendored();
    let paths = &mut whole_api(&mut docs)["paths"];
    let removed = paths
        .as_object_mut()
        .and_then(|p| p.remove("/api/v1/request_schemas/{request_schema_id}"));
    assert!(removed.is_some(), "the request schema path is in the spec");
    let generated = generate_documents(&docs, &Options::default()).expect("generates");
    let file = |path: &str| file(&generated, path);
    let form = file("src/jobs/form.rs").expect("the form part is there");
    assert!(form
        .contents
        .contains("// A copy of generator/jobs/without/form.rs"));
    let accounts = file("src/jobs/accounts.rs").expect("the accounts part is there");
    assert!(accounts
        .contents
        .contains("// A copy of generator/jobs/accounts.rs"));
    let manifest = file("Cargo.toml").expect("a manifest");
    assert!(!manifest.contents.contains("\"request_schema\", \"task\""));
    assert_eq!(
        warnings(&generated),
        ["the jobs layer is generated without request forms (it needs `request_schema.get` and `TaskServiceCreateGrantRequest.request_data`: a request with form fields is refused)"]
    );
}

#[test]
fn the_c1_client_has_the_jobs_layer_behind_its_features_and_other_apis_do_not() {
    let generated = generate_documents(&vendored(), &Options::default()).expect("generates");
    let root = file(&generated, "src/lib.rs").expect("a crate root");
    assert!(
        root.contents.contains("#[cfg(all(\n    feature = \"app_entitlement_search\",\n")
            && root.contents.contains("    feature = \"user\",\n))]\n#[cfg_attr(docsrs, doc(cfg(feature = \"jobs\")))]\npub mod jobs;"),
        "{}",
        root.contents
    );
    let copy = file(&generated, "src/jobs/access.rs").expect("the jobs layer is copied");
    assert!(copy
        .contents
        .contains("// A copy of generator/jobs/access.rs"));
    let manifest = file(&generated, "Cargo.toml").expect("a manifest");
    assert!(manifest
        .contents
        .contains("\njobs = [\"app_entitlement_search\", "));

    // The five pages alone: none of the operations, no jobs layer.
    let mut pages = vendored();
    pages.retain(|d| !d.name.ends_with(".openapi.yaml"));
    let generated = generate_documents(&pages, &Options::default()).expect("generates");
    assert!(generated
        .files
        .iter()
        .all(|f| !f.path.starts_with("src/jobs")));
    let root = file(&generated, "src/lib.rs").expect("a crate root");
    assert!(!root.contents.contains("mod jobs"));
}
