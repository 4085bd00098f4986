//! Every real C1 document generates alone (`tests/fixtures/releases/`): a
//! client whose jobs layer does without what the document lacks, saying so
//! in one warning, rather than an error or a crate that does not compile
//! (`.ci/run` lints each crate with every feature).

use std::path::Path;

use c1_codegen::{generate_documents, Options};

/// The warnings of the document `file` generated alone.
fn warnings(file: &str) -> Vec<String> {
    let path = Path::new("tests/fixtures/releases").join(file);
    let docs = c1_codegen::load::load_dir(&path).expect("loads");
    let generated = generate_documents(&docs, &Options::default())
        .unwrap_or_else(|e| panic!("{file} does not generate: {e}"));
    let src = |name: &str| generated.files.iter().any(|f| f.path == Path::new(name));
    assert!(src("src/jobs/access.rs"), "{file}: the jobs layer is there");
    generated
        .warnings
        .iter()
        .map(|w| w.message.clone())
        .collect()
}

const WITHOUT_FORMS: &str = "request forms (it needs `request_schema.get` and `TaskServiceCreateGrantRequest.request_data`: a request with form fields is refused)";
const WITHOUT_ACCOUNTS: &str = "finding your account in the app for a request (it needs `app_user.list_app_users_for_user`: a request that names no account names you, and C1 picks the account)";

fn check(file: &str, jobs: &str, operations: usize) {
    let warnings = warnings(file);
    assert_eq!(warnings.len(), 2, "{file}: {warnings:#?}");
    assert_eq!(
        warnings[0],
        format!("the jobs layer is generated without {jobs}"),
        "{file}"
    );
    let effects = format!("so all {operations} are treated as a write");
    assert!(warnings[1].contains(&effects), "{file}: {}", warnings[1]);
}

#[test]
fn the_go_sdks_documents_of_2023_and_2024_generate_without_accounts_and_forms() {
    let jobs = format!("{WITHOUT_ACCOUNTS}; {WITHOUT_FORMS}");
    check("conductorone-sdk-go-2023-09-25.yaml", &jobs, 86);
    check("conductorone-sdk-go-2024-04-18.yaml", &jobs, 103);
}

#[test]
fn the_go_sdks_2025_and_the_typescript_sdks_documents_generate_without_forms() {
    check("conductorone-sdk-go-2025-08-05.yaml", WITHOUT_FORMS, 213);
    check(
        "conductorone-sdk-typescript-2026-06-02.yaml",
        WITHOUT_FORMS,
        203,
    );
}
