//! The jobs layer (`generator/jobs/`): the jobs C1 users do (request and
//! revoke access, check it, decide tasks), written by hand on top of the
//! generated operations and copied into the client crate like the runtime,
//! as `src/jobs/`.
//!
//! What goes in depends on the API ([`plan`]): an API with none of its
//! operations (another API) gets no jobs layer; one with all of them gets
//! all of it. Each [`Part`] that needs operations some real C1 documents
//! lack (the request form, listing your accounts) is copied from its
//! `without/` twin when they are missing; when an operation every job needs
//! is missing, the layer is left out. Either way the crate compiles, and a
//! warning says what was left out and why (`--deny-warnings` refuses it).

use crate::error::Pointer;
use crate::file::GeneratedFile;
use crate::model::{Api, TypeKind, Warning};

/// An operation the jobs layer calls: `(group module, method, HTTP
/// method, path)`; the path finds an operation that was renamed.
pub type Called = (&'static str, &'static str, &'static str, &'static str);

/// The hand-written sources every job needs, as `(path in the crate, source)`.
pub const SOURCES: [(&str, &str); 3] = [
    ("src/jobs/access.rs", include_str!("../../jobs/access.rs")),
    ("src/jobs/mod.rs", include_str!("../../jobs/mod.rs")),
    ("src/jobs/tasks.rs", include_str!("../../jobs/tasks.rs")),
];

/// The operations [`SOURCES`] call.
pub const OPERATIONS: [Called; 16] = [
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
    ("apps", "get", "get", "/api/v1/apps/{id}"),
    ("auth", "introspect", "get", "/api/v1/auth/introspect"),
    (
        "request_catalog_search",
        "search_entitlements",
        "post",
        "/api/v1/search/request_catalog/entitlements",
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

/// A part of the jobs layer that some real C1 documents cannot serve: its
/// source needs `operations`; `without` is its twin for an API that lacks
/// them (same functions, doing without).
#[derive(Debug)]
pub struct Part {
    /// Its module: `src/jobs/{module}.rs`.
    pub module: &'static str,
    /// What it does, as the warning names it.
    pub what: &'static str,
    /// What the crate does instead, as the warning says.
    pub instead: &'static str,
    /// Its source, with the operations.
    pub source: &'static str,
    /// Its source without them.
    pub without: &'static str,
    /// The operations `source` calls.
    pub operations: &'static [Called],
    /// The fields of models it sets or reads, as `(Rust type, Rust field)`.
    pub fields: &'static [(&'static str, &'static str)],
}

/// The parts, each with its twin in `generator/jobs/without/`.
pub const PARTS: [Part; 2] = [
    Part {
        module: "accounts",
        what: "finding your account in the app for a request",
        instead: "a request that names no account names you, and C1 picks the account",
        source: include_str!("../../jobs/accounts.rs"),
        without: include_str!("../../jobs/without/accounts.rs"),
        operations: &[(
            "app_user",
            "list_app_users_for_user",
            "get",
            "/api/v1/apps/{app_id}/users/{user_id}/app_users",
        )],
        fields: &[],
    },
    Part {
        module: "form",
        what: "request forms",
        instead: "a request with form fields is refused",
        source: include_str!("../../jobs/form.rs"),
        without: include_str!("../../jobs/without/form.rs"),
        operations: &[(
            "request_schema",
            "get",
            "get",
            "/api/v1/request_schemas/{request_schema_id}",
        )],
        fields: &[("TaskServiceCreateGrantRequest", "request_data")],
    },
];

/// What of the jobs layer an API gets.
#[derive(Debug)]
pub struct Plan {
    /// Whether the crate has a jobs layer at all.
    pub included: bool,
    /// The operations every job needs that the API lacks (the layer is
    /// left out), as the warning names them.
    pub missing: Vec<String>,
    /// Each part, and whether the API has what it calls.
    pub parts: Vec<(&'static Part, bool)>,
}

/// What of the jobs layer `api` gets: nothing for an API with none of its
/// operations; without a [`Part`] whose operations it lacks; nothing, with
/// a warning, when it lacks one that every job needs.
pub fn plan(api: &Api) -> Plan {
    let missing: Vec<String> = OPERATIONS.iter().filter_map(|op| absent(api, op)).collect();
    let parts: Vec<(&Part, bool)> = PARTS.iter().map(|part| (part, served(api, part))).collect();
    let unknown = |(_, _, verb, path): &Called| at(api, verb, path).is_none();
    let another_api = missing.len() == OPERATIONS.len() && OPERATIONS.iter().all(unknown);
    Plan {
        included: missing.is_empty(),
        missing: if another_api { Vec::new() } else { missing },
        parts,
    }
}

impl Plan {
    /// The groups the jobs layer calls, which are its features (sorted,
    /// once each).
    pub fn groups(&self) -> Vec<&'static str> {
        let present = self.parts.iter().filter(|(_, has)| *has);
        let parts = present.flat_map(|(part, _)| part.operations.iter());
        let mut groups: Vec<&str> = OPERATIONS.iter().chain(parts).map(|op| op.0).collect();
        groups.sort_unstable();
        groups.dedup();
        groups
    }

    /// One warning naming what was left out and why, if anything was.
    pub fn warnings(&self) -> Vec<Warning> {
        let message = if !self.missing.is_empty() {
            format!(
                "the jobs layer (generator/jobs/) is left out: this API lacks operations every job calls: {}",
                self.missing.join(", ")
            )
        } else if self.included && self.parts.iter().any(|(_, has)| !has) {
            let left: Vec<String> = self
                .parts
                .iter()
                .filter(|(_, has)| !has)
                .map(|(part, _)| {
                    let ops = part.operations.iter().map(name);
                    let fields = part.fields.iter().map(|(ty, f)| format!("`{ty}.{f}`"));
                    let needs: Vec<String> = ops.chain(fields).collect();
                    format!(
                        "{} (it needs {}: {})",
                        part.what,
                        needs.join(" and "),
                        part.instead
                    )
                })
                .collect();
            format!("the jobs layer is generated without {}", left.join("; "))
        } else {
            return Vec::new();
        };
        vec![Warning {
            file: None,
            line: None,
            pointer: Pointer::root().push("paths").to_string(),
            message,
        }]
    }

    /// The jobs layer as files of the output crate, marked as copies. Their
    /// examples name the crate `crate_name` (the sources say `c1_client`).
    pub fn files(&self, crate_name: &str) -> Vec<GeneratedFile> {
        let note = |path: &str| {
            let file = path.trim_start_matches("src/jobs/");
            format!("// A copy of generator/jobs/{file}, the jobs layer (written by hand).")
        };
        let mut files = crate::runtime::marked_copies(&SOURCES, note, crate_name);
        for (part, has) in &self.parts {
            let path = format!("src/jobs/{}.rs", part.module);
            let (source, from) = if *has {
                (part.source, format!("generator/jobs/{}.rs", part.module))
            } else {
                (
                    part.without,
                    format!("generator/jobs/without/{}.rs", part.module),
                )
            };
            let note = |_: &str| format!("// A copy of {from}, the jobs layer (written by hand).");
            files.extend(crate::runtime::marked_copies(
                &[(&path, source)],
                note,
                crate_name,
            ));
        }
        files
    }

    /// The crate root's declaration of the module, behind its groups' features.
    pub fn declaration(&self) -> String {
        // One feature a line, as rustfmt writes it (`cargo fmt` leaves it be).
        let features: String = self
            .groups()
            .iter()
            .map(|g| format!("    feature = \"{g}\",\n"))
            .collect();
        format!(
            "#[cfg(all(\n{features}))]\n#[cfg_attr(docsrs, doc(cfg(feature = \"jobs\")))]\npub mod jobs;\n"
        )
    }
}

/// Whether `api` has every operation and field `part` uses.
fn served(api: &Api, part: &Part) -> bool {
    let has_field = |(ty, field): &(&str, &str)| {
        api.types.iter().any(|def| match &def.kind {
            TypeKind::Struct(s) => def.name == *ty && s.fields.iter().any(|f| f.name == *field),
            _ => false,
        })
    };
    part.operations.iter().all(|op| absent(api, op).is_none()) && part.fields.iter().all(has_field)
}

/// `group.method` (`request_schema.get`).
fn name((group, method, ..): &Called) -> String {
    format!("`{group}.{method}`")
}

/// How a missing operation is named: `group.method (GET /path)`, and what
/// is at that endpoint now, if anything (a renamed operation).
fn absent(api: &Api, op: &Called) -> Option<String> {
    let (group, method, verb, path) = *op;
    let found = api
        .groups
        .iter()
        .find(|g| g.module == group)
        .and_then(|g| g.operations.iter().find(|op| op.name == method));
    if found.is_some() {
        return None;
    }
    let endpoint = format!("{} {path}", verb.to_uppercase());
    Some(match at(api, verb, path) {
        Some(now) => format!("`{group}.{method}` ({endpoint}, now `{now}`)"),
        None => format!("`{group}.{method}` ({endpoint})"),
    })
}

/// The operation at `verb path`, as `group.method`.
fn at(api: &Api, verb: &str, path: &str) -> Option<String> {
    api.groups.iter().find_map(|g| {
        let op = g
            .operations
            .iter()
            .find(|op| op.method.eq_ignore_ascii_case(verb) && op.path == path)?;
        Some(format!("{}.{}", g.module, op.name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file in `jobs/` is emitted: a source, or a part (with its
    /// twin in `jobs/without/`, and nothing else there).
    #[test]
    fn every_source_is_emitted() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("jobs");
        let names = |dir: &std::path::Path| -> Vec<String> {
            let mut names: Vec<String> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".rs"))
                .collect();
            names.sort();
            names
        };
        let mut listed: Vec<String> = SOURCES
            .iter()
            .map(|(p, _)| p.trim_start_matches("src/jobs/").to_string())
            .chain(PARTS.iter().map(|p| format!("{}.rs", p.module)))
            .collect();
        listed.sort();
        assert_eq!(listed, names(&dir));
        let mut parts: Vec<String> = PARTS.iter().map(|p| format!("{}.rs", p.module)).collect();
        parts.sort();
        assert_eq!(parts, names(&dir.join("without")));
        // The twins do without: they call nothing.
        for part in &PARTS {
            assert!(!part.without.contains("client."), "{}", part.module);
        }
    }

    /// [`OPERATIONS`] lists exactly the operations the sources call
    /// (`.group().method(`), so the check covers each and nothing else.
    #[test]
    fn the_list_is_what_the_sources_call() {
        // Without whitespace: a call may be split over lines.
        let sources = SOURCES.iter().map(|(_, s)| *s);
        let source: String = sources
            .chain(PARTS.iter().map(|p| p.source))
            .flat_map(|s| s.split_whitespace())
            .collect();
        let parts = PARTS.iter().flat_map(|p| p.operations.iter());
        let mut listed: Vec<(&str, &str)> = OPERATIONS
            .iter()
            .chain(parts)
            .map(|(g, m, ..)| (*g, *m))
            .collect();
        listed.sort_unstable();
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
