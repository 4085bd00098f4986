//! The whole C1 API, read from the directory `C1_SPECS_DIR` names (the
//! shared specs, never copied into this repository; `.ci/run` sets it).
//! Without the variable these tests say so on stderr and check nothing else.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use c1_codegen::model::{self, Pending, TypeKind};
use c1_codegen::{merge, normalize};

/// `$C1_SPECS_DIR/<name>`, or `None` (after saying so) when it is not set.
fn spec(name: &str) -> Option<PathBuf> {
    match std::env::var_os("C1_SPECS_DIR") {
        Some(dir) => {
            let path = PathBuf::from(dir).join(name);
            assert!(
                path.is_file(),
                "C1_SPECS_DIR is set but {} is not a file",
                path.display()
            );
            Some(path)
        }
        None => {
            eprintln!("C1_SPECS_DIR is not set: skipping the tests on {name} (see .ci/run)");
            None
        }
    }
}

fn build(path: &Path) -> model::Api {
    build_all(&[path]).0
}

/// The model of several documents merged, and the merge's notes.
fn build_all(paths: &[&Path]) -> (model::Api, Vec<merge::Note>) {
    let docs: Vec<_> = paths
        .iter()
        .flat_map(|p| c1_codegen::documents(p).expect("loads"))
        .collect();
    let normalized: Vec<_> = docs
        .iter()
        .map(|d| normalize::normalize(d).expect("normalizes"))
        .collect();
    let merged = merge::merge(&normalized).expect("merges");
    (model::build(&merged).expect("models"), merged.notes)
}

fn operation_ids(api: &model::Api) -> BTreeSet<String> {
    api.groups
        .iter()
        .flat_map(|g| &g.operations)
        .filter_map(|o| o.operation_id.clone())
        .collect()
}

#[test]
fn the_full_api_is_modelled_completely() {
    let Some(path) = spec("c1-full.openapi.yaml") else {
        return;
    };
    let api = build(&path);
    let operations: usize = api.groups.iter().map(|g| g.operations.len()).sum();
    assert_eq!(operations, 312);
    assert_eq!(api.groups.len(), 73);
    let enums = api
        .types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Enum(_)))
        .count();
    // The spec marks 167 enums `x-speakeasy-unknown-values: allow` (counted
    // in the YAML itself), written inline where they are used: 95 distinct
    // sets of values, one Rust type each.
    assert_eq!(enums, 95);
    let values: BTreeSet<Vec<String>> = api
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Enum(variants) => {
                let mut values: Vec<String> =
                    variants.iter().map(|v| v.wire_name.clone()).collect();
                values.sort();
                Some(values)
            }
            _ => None,
        })
        .collect();
    assert_eq!(values.len(), enums, "no two enums have the same values");
    let paginated = api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .filter(|o| matches!(o.pagination, Pending::Known(Some(_))))
        .count();
    assert_eq!(
        paginated, 64,
        "32 list operations (page_token query) and 32 searches (pageToken body)"
    );
    let names: std::collections::HashSet<&str> =
        api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.len(), api.types.len(), "type names are unique");
    let apps = api
        .groups
        .iter()
        .find(|g| g.module == "apps")
        .expect("an apps group");
    assert!(apps
        .operations
        .iter()
        .any(|o| o.name == "list" && o.path == "/api/v1/apps"));
}

#[test]
fn the_full_api_generates_the_same_bytes_twice() {
    let Some(path) = spec("c1-full.openapi.yaml") else {
        return;
    };
    let options = c1_codegen::Options::default();
    let first = c1_codegen::generate(&path, &options).expect("generates");
    let second = c1_codegen::generate(&path, &options).expect("generates");
    assert_eq!(first.files, second.files);
    assert!(first.files.len() > 80, "one file per group and per package");
}

#[test]
fn the_previous_api_generates_too() {
    let Some(path) = spec("c1-previous.openapi.yaml") else {
        return;
    };
    let api = build(&path);
    let operations: usize = api.groups.iter().map(|g| g.operations.len()).sum();
    assert_eq!(operations, 262);
}

#[test]
fn the_previous_and_the_current_api_merge_into_their_union() {
    let (Some(previous), Some(full)) = (
        spec("c1-previous.openapi.yaml"),
        spec("c1-full.openapi.yaml"),
    ) else {
        return;
    };
    let (merged, notes) = build_all(&[&previous, &full]);
    let union: BTreeSet<String> = operation_ids(&build(&previous))
        .union(&operation_ids(&build(&full)))
        .cloned()
        .collect();
    assert_eq!(operation_ids(&merged), union, "every operation of both");
    let operations: usize = merged.groups.iter().map(|g| g.operations.len()).sum();
    assert_eq!(operations, union.len(), "each once");
    assert!(operations > 312);
    // Three searches moved to /api/v1/search/...: merged at the current path.
    let moved: Vec<&str> = notes
        .iter()
        .filter(|n| n.kind == merge::NoteKind::Endpoints)
        .map(|n| n.pointer.as_str())
        .collect();
    assert_eq!(
        moved,
        [
            "/paths/~1api~1v1~1search~1automation_executions/post",
            "/paths/~1api~1v1~1search~1automation_versions/post",
            "/paths/~1api~1v1~1search~1automations/post",
        ]
    );
    // Versions months apart: properties and enum values added since, and
    // descriptions reworded, all reconciled.
    for kind in [
        merge::NoteKind::Properties,
        merge::NoteKind::EnumValues,
        merge::NoteKind::Descriptions,
    ] {
        assert!(notes.iter().any(|n| n.kind == kind), "{kind:?}");
    }
}

/// The whole API as vendored in `spec/` (always present).
fn vendored() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/conductor_one_api.openapi.yaml")
}

/// The component schemas of the vendored spec, read as plain YAML.
fn raw_schemas() -> serde_yaml::Mapping {
    let text = std::fs::read_to_string(vendored()).expect("reads");
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("parses");
    doc["components"]["schemas"]
        .as_mapping()
        .expect("schemas")
        .clone()
}

/// The properties of a raw schema whose names pass `keep`.
fn raw_properties(schema: &serde_yaml::Value, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let properties = schema["properties"]
        .as_mapping()
        .cloned()
        .unwrap_or_default();
    properties
        .keys()
        .filter_map(|k| k.as_str())
        .filter(|k| keep(k))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_update_request_gets_from_changes() {
    let update_requests = raw_schemas()
        .values()
        .filter(|s| !raw_properties(s, |p| p == "updateMask").is_empty())
        .count();
    assert_eq!(update_requests, 27, "the spec's count");
    let api = build(&vendored());
    let masked: BTreeSet<&str> = api
        .types
        .iter()
        .filter(|t| matches!(&t.kind, TypeKind::Struct(s) if s.update_mask.is_some()))
        .map(|t| t.schema.as_str())
        .collect();
    assert_eq!(masked.len(), update_requests, "{masked:?}");
}

#[test]
fn every_path_field_of_a_view_gets_a_resolver_and_most_a_type() {
    let path_fields = raw_schemas()
        .values()
        .map(|s| raw_properties(s, |p| p.len() > 4 && p.ends_with("Path")).len())
        .sum::<usize>();
    let api = build(&vendored());
    let resolvers: Vec<&model::Resolver> = api
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Struct(s) => Some(&s.resolvers),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(resolvers.len(), path_fields);
    let typed = resolvers.iter().filter(|r| r.target.is_some()).count();
    // The 14 without a type: plurals (`managersPath`) and names no message
    // has (`ticketPath`, `lastUsagePath`).
    assert_eq!(typed, 39);
    let expanded = api
        .types
        .iter()
        .find(|t| t.name == "Expanded")
        .expect("an Expanded type");
    let TypeKind::AnyMessage(variants) = &expanded.kind else {
        panic!("Expanded is an Any type");
    };
    let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "AccessReview",
            "App",
            "AppEntitlement",
            "AppResource",
            "AppResourceType",
            "AppUser",
            "Automation",
            "Policy",
            "User"
        ]
    );
    let lists = api
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Struct(s) => Some(&s.fields),
            _ => None,
        })
        .flatten()
        .filter(|f| f.wire_name == "expanded")
        .filter(|f| matches!(&f.ty, model::TypeRef::Vec(item) if item.named().is_some()))
        .count();
    assert_eq!(lists, 65, "every response's `expanded` list is typed");
}
