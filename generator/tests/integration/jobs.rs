//! The jobs layer (`generator/jobs/`) is hand-written against operations of
//! the C1 API: a spec that loses one it calls must fail codegen with a
//! message naming the operation, never produce a crate that does not
//! compile; another API gets no jobs layer at all.

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

#[test]
fn a_renamed_or_removed_operation_the_jobs_call_fails_codegen_naming_it() {
    let mut docs = vendored();
    let paths = &mut whole_api(&mut docs)["paths"];
    let approve = &mut paths["/api/v1/tasks/{task_id}/action/approve"]["post"];
    approve["operationId"] = "c1.api.task.v1.TaskActionsService.ApproveTask".into();
    approve["x-speakeasy-name-override"] = "ApproveTask".into();
    let removed = paths
        .as_object_mut()
        .and_then(|p| p.remove("/api/v1/request_schemas/{request_schema_id}"));
    assert!(removed.is_some(), "the request schema path is in the spec");
    let Err(error) = generate_documents(&docs, &Options::default()) else {
        panic!("a client was generated whose jobs layer calls operations it lacks");
    };
    let message = error.to_string();
    for expected in [
        "the jobs layer (generator/jobs/) calls operations the API no longer has",
        "`task_actions.approve` (POST /api/v1/tasks/{task_id}/action/approve, now `task_actions.approve_task`)",
        "`request_schema.get` (GET /api/v1/request_schemas/{request_schema_id})",
    ] {
        assert!(message.contains(expected), "{expected}\nnot in: {message}");
    }
}

#[test]
fn the_c1_client_has_the_jobs_layer_behind_its_features_and_other_apis_do_not() {
    let generated = generate_documents(&vendored(), &Options::default()).expect("generates");
    let file = |path: &str| generated.files.iter().find(|f| f.path == Path::new(path));
    let root = file("src/lib.rs").expect("a crate root");
    assert!(
        root.contents.contains("#[cfg(all(\n    feature = \"app_entitlement_search\",\n")
            && root.contents.contains("    feature = \"user\",\n))]\n#[cfg_attr(docsrs, doc(cfg(feature = \"jobs\")))]\npub mod jobs;"),
        "{}",
        root.contents
    );
    let copy = file("src/jobs/access.rs").expect("the jobs layer is copied");
    assert!(copy
        .contents
        .contains("// A copy of generator/jobs/access.rs"));
    let manifest = file("Cargo.toml").expect("a manifest");
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
    let root = generated
        .files
        .iter()
        .find(|f| f.path == Path::new("src/lib.rs"));
    assert!(!root.expect("a crate root").contents.contains("mod jobs"));
}
