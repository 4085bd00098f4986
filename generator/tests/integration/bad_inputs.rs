//! Bad input never crashes the generator: each case under `bad_inputs/` (a
//! spec directory) and each made here fails with the message in its
//! snapshot, naming the file, the JSON pointer and the line where known.

use std::path::{Path, PathBuf};

use c1_codegen::Options;

/// The error message for the spec at `dir`.
fn message(dir: &Path) -> String {
    match c1_codegen::generate(dir, &Options::default()) {
        Ok(_) => panic!("{} generated without an error", dir.display()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn each_committed_case_fails_with_its_message() {
    let root = Path::new("tests/bad_inputs");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 13, "the corpus is there");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("bad_input_{name}"), message(&case));
    }
}

/// A fresh directory under the system's temporary directory.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("c1-bad-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn an_empty_directory() {
    let dir = temp_dir("empty");
    let text = message(&dir).replace(&dir.display().to_string(), "<dir>");
    assert_eq!(
        text,
        "<dir>: no OpenAPI documents (*.yaml, *.yml, *.json) found"
    );
}

#[test]
fn a_schema_nested_ten_thousand_levels_deep() {
    let dir = temp_dir("deep");
    let depth = 10_000;
    let schema = format!(
        "{}{{type: string}}{}",
        "{type: object, properties: {x: ".repeat(depth),
        "}}".repeat(depth)
    );
    let doc = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents: {{schemas: {{Deep: {schema}}}}}\n");
    std::fs::write(dir.join("deep.yaml"), doc).unwrap();
    let text = message(&dir).replace(&dir.display().to_string(), "<dir>");
    insta::assert_snapshot!("bad_input_deep_nesting", text);
}

#[test]
fn a_fifty_megabyte_document_is_refused_unread() {
    let dir = temp_dir("huge");
    let file = std::fs::File::create(dir.join("huge.yaml")).unwrap();
    file.set_len(50 * 1000 * 1000).unwrap(); // sparse: no 50 MB written
    let text = message(&dir).replace(&dir.display().to_string(), "<dir>");
    assert_eq!(
        text,
        "<dir>/huge.yaml: 50.0 MB is over the 32 MB limit for one document"
    );
}

#[test]
fn warnings_are_located_and_do_not_fail() {
    let generated = c1_codegen::generate(Path::new("tests/warnings"), &Options::default()).unwrap();
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "tests/warnings/api.yaml:10: /components/schemas/Widget/properties/notShape: `not` is typed as serde_json::Value",
            "tests/warnings/api.yaml:11: /components/schemas/Widget/properties/bounded: a schema with no type and only constraints is typed as serde_json::Value",
            "tests/warnings/api.yaml:12: /components/schemas/Widget/properties/tagged: an `allOf` that includes a union (each member would need the other members' fields) is typed as serde_json::Value",
        ]
    );
}
