//! The jobs layer (`generator/jobs/`): the jobs C1 users do (request and
//! revoke access, check it, decide tasks), written by hand on top of the
//! generated operations and copied into the client crate like the runtime,
//! as `src/jobs/`.
//!
//! It is part of a crate whose API has the operations it calls. An API with
//! none of them (another API) gets no jobs layer; an API with some but not
//! all (C1 after an operation was removed or renamed) is an error naming
//! each missing operation, rather than a crate that does not compile.

use super::GeneratedFile;
use crate::error::{Pointer, Result};
use crate::model::Api;

/// The hand-written sources, as `(path in the crate, source)`.
pub const SOURCES: [(&str, &str); 3] = [
    ("src/jobs/access.rs", include_str!("../../jobs/access.rs")),
    ("src/jobs/mod.rs", include_str!("../../jobs/mod.rs")),
    ("src/jobs/tasks.rs", include_str!("../../jobs/tasks.rs")),
];

/// Every operation the jobs layer calls, as `(group module, method, HTTP
/// method, path)`: the path finds an operation that was renamed.
pub const OPERATIONS: [(&str, &str, &str, &str); 18] = [
    (
        "app_entitlement_search",
        "search",
        "post",
        "/api/v1/search/entitlements",
    ),
    (
        "app_entitlement_user_binding",
        "list_app_users_for_identity_with_grant",
        "get",
        "/api/v1/apps/{app_id}/entitlements/{app_entitlement_id}/users/{identity_user_id}/grants",
    ),
    (
        "app_entitlements",
        "get",
        "get",
        "/api/v1/apps/{app_id}/entitlements/{id}",
    ),
    ("app_search", "search", "post", "/api/v1/search/apps"),
    (
        "app_user",
        "list_app_users_for_user",
        "get",
        "/api/v1/apps/{app_id}/users/{user_id}/app_users",
    ),
    ("apps", "get", "get", "/api/v1/apps/{id}"),
    ("auth", "introspect", "get", "/api/v1/auth/introspect"),
    (
        "request_catalog_search",
        "search_entitlements",
        "post",
        "/api/v1/search/request_catalog/entitlements",
    ),
    (
        "request_schema",
        "get",
        "get",
        "/api/v1/request_schemas/{request_schema_id}",
    ),
    ("task", "create_grant_task", "post", "/api/v1/task/grant"),
    ("task", "create_revoke_task", "post", "/api/v1/task/revoke"),
    ("task", "get", "get", "/api/v1/tasks/{id}"),
    (
        "task_actions",
        "approve",
        "post",
        "/api/v1/tasks/{task_id}/action/approve",
    ),
    (
        "task_actions",
        "comment",
        "post",
        "/api/v1/tasks/{task_id}/action/comment",
    ),
    (
        "task_actions",
        "deny",
        "post",
        "/api/v1/tasks/{task_id}/action/deny",
    ),
    (
        "task_actions",
        "escalate_to_emergency_access",
        "post",
        "/api/v1/tasks/{task_id}/action/escalate",
    ),
    ("task_search", "search", "post", "/api/v1/search/tasks"),
    ("user", "get", "get", "/api/v1/users/{id}"),
];

/// The groups the jobs layer calls, which are its features (sorted, once each).
pub fn groups() -> Vec<&'static str> {
    let mut groups: Vec<&str> = OPERATIONS.iter().map(|(group, ..)| *group).collect();
    groups.dedup();
    groups
}

/// Whether `api` gets the jobs layer: `false` for an API with none of its
/// operations, `true` with all; an error naming the missing ones otherwise.
pub fn included(api: &Api) -> Result<bool> {
    let found = |group: &str, method: &str| {
        let group = api.groups.iter().find(|g| g.module == group)?;
        group.operations.iter().find(|op| op.name == method)
    };
    let at = |verb: &str, path: &str| {
        api.groups.iter().find_map(|g| {
            let op = g
                .operations
                .iter()
                .find(|op| op.method.eq_ignore_ascii_case(verb) && op.path == path)?;
            Some(format!("{}.{}", g.module, op.name))
        })
    };
    let mut missing = Vec::new();
    let mut present = 0;
    for (group, method, verb, path) in OPERATIONS {
        if found(group, method).is_some() {
            present += 1;
            continue;
        }
        missing.push(match at(verb, path) {
            Some(now) => format!(
                "`{group}.{method}` ({} {path}, now `{now}`)",
                verb.to_uppercase()
            ),
            None => format!("`{group}.{method}` ({} {path})", verb.to_uppercase()),
        });
    }
    match (present, missing.is_empty()) {
        (_, true) => Ok(true),
        (0, false) if OPERATIONS.iter().all(|(_, _, verb, path)| at(verb, path).is_none()) => {
            Ok(false)
        }
        _ => Err(crate::model::model_error(
            &Pointer::root(),
            format!(
                "the jobs layer (generator/jobs/) calls operations the API no longer has: {}; change generator/jobs/ to match the API",
                missing.join(", ")
            ),
        )),
    }
}

/// The jobs layer as files of the output crate, marked as copies. Their
/// examples name the crate `crate_name` (the sources say `c1_client`).
pub fn files(crate_name: &str) -> Vec<GeneratedFile> {
    let note = |path: &str| {
        let file = path.trim_start_matches("src/jobs/");
        format!("// A copy of generator/jobs/{file}, the jobs layer (written by hand).")
    };
    crate::runtime::marked_copies(&SOURCES, note, crate_name)
}

/// The crate root's declaration of the module, behind its groups' features.
pub fn declaration() -> String {
    // One feature a line, as rustfmt writes it (`cargo fmt` leaves it be).
    let features: String = groups()
        .iter()
        .map(|g| format!("    feature = \"{g}\",\n"))
        .collect();
    format!(
        "#[cfg(all(\n{features}))]\n#[cfg_attr(docsrs, doc(cfg(feature = \"jobs\")))]\npub mod jobs;\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file in `jobs/` is emitted.
    #[test]
    fn every_source_is_emitted() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("jobs");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| format!("src/jobs/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        on_disk.sort();
        let listed: Vec<String> = SOURCES.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(listed, on_disk);
    }

    /// [`OPERATIONS`] lists exactly the operations the sources call
    /// (`.group().method(`), so the check covers each and nothing else.
    #[test]
    fn the_list_is_what_the_sources_call() {
        // Without whitespace: a call may be split over lines.
        let source: String = SOURCES
            .iter()
            .flat_map(|(_, s)| s.split_whitespace())
            .collect();
        let listed: Vec<(&str, &str)> = OPERATIONS.iter().map(|(g, m, ..)| (*g, *m)).collect();
        // Every group of the C1 client, from its public surface.
        let api = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/api.json");
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(api).unwrap()).unwrap();
        let groups: Vec<&str> = summary["operations"]
            .as_object()
            .unwrap()
            .keys()
            .filter_map(|key| key.split_once('.').map(|(group, _)| group))
            .collect();
        assert!(groups.contains(&"task"), "api.json lists no groups");
        let mut called = Vec::new();
        for (at, _) in source.match_indices("().") {
            let before = &source[..at];
            let start = before.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
            let group = &before[start.map_or(0, |s| s + 1)..];
            let after = &source[at + 3..];
            let method: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let is_call = after[method.len()..].starts_with('(');
            if groups.contains(&group) && is_call && !called.contains(&(group, method.clone())) {
                called.push((group, method));
            }
        }
        let mut called: Vec<(&str, &str)> = called.iter().map(|(g, m)| (*g, m.as_str())).collect();
        called.sort_unstable();
        assert_eq!(called, listed);
    }
}
