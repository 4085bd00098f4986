//! The client runtime: the hand-written part of every generated crate
//! (client, auth, errors, retries, wire encodings, pagination).
//!
//! Its sources live once, in the generator's `runtime/` folder, and are
//! emitted into every output crate (`generated/` included) as marked copies,
//! kept up to date like the generated files. To change the runtime, edit
//! `generator/runtime/` and run `cargo xtask codegen`.

use std::path::PathBuf;

use crate::file::{GeneratedFile, HEADER};

/// The runtime's dependencies and dev-dependencies, as `Cargo.toml` lines.
pub const DEPENDENCIES: &str = include_str!("../runtime/dependencies.toml");

/// The runtime's part of the crate root: the crate docs, its modules and
/// re-exports. The generated crate's `src/lib.rs` is this, then the
/// generated modules.
pub const ROOT: &str = include_str!("../runtime/src/lib.rs");

/// The runtime's modules, as `(path in the crate, source)`.
pub const SOURCES: [(&str, &str); 20] = [
    ("src/auth.rs", include_str!("../runtime/src/auth.rs")),
    ("src/body.rs", include_str!("../runtime/src/body.rs")),
    ("src/builder.rs", include_str!("../runtime/src/builder.rs")),
    ("src/call.rs", include_str!("../runtime/src/call.rs")),
    ("src/client.rs", include_str!("../runtime/src/client.rs")),
    (
        "src/credentials.rs",
        include_str!("../runtime/src/credentials.rs"),
    ),
    ("src/dpop.rs", include_str!("../runtime/src/dpop.rs")),
    ("src/env.rs", include_str!("../runtime/src/env.rs")),
    ("src/error.rs", include_str!("../runtime/src/error.rs")),
    ("src/login.rs", include_str!("../runtime/src/login.rs")),
    ("src/oauth.rs", include_str!("../runtime/src/oauth.rs")),
    (
        "src/pagination.rs",
        include_str!("../runtime/src/pagination.rs"),
    ),
    ("src/request.rs", include_str!("../runtime/src/request.rs")),
    ("src/retry.rs", include_str!("../runtime/src/retry.rs")),
    ("src/secret.rs", include_str!("../runtime/src/secret.rs")),
    ("src/send.rs", include_str!("../runtime/src/send.rs")),
    ("src/tenant.rs", include_str!("../runtime/src/tenant.rs")),
    ("src/testing.rs", include_str!("../runtime/src/testing.rs")),
    ("src/wait.rs", include_str!("../runtime/src/wait.rs")),
    ("src/wire.rs", include_str!("../runtime/src/wire.rs")),
];

/// The runtime's modules as files of the output crate, each marked with
/// [`HEADER`] and the source it is a copy of. Their examples name the crate
/// `crate_name` (the sources say `c1_client`).
pub fn files(crate_name: &str) -> Vec<GeneratedFile> {
    marked_copies(&SOURCES, copy_note, crate_name)
}

/// Hand-written `sources` as files of the output crate: each marked with
/// [`HEADER`] and the line `note` gives its path, and naming the crate
/// `crate_name` where the source says `c1_client`.
pub(crate) fn marked_copies(
    sources: &[(&str, &str)],
    note: impl Fn(&str) -> String,
    crate_name: &str,
) -> Vec<GeneratedFile> {
    sources
        .iter()
        .map(|(path, source)| GeneratedFile {
            path: PathBuf::from(path),
            contents: format!(
                "{HEADER}\n{}\n\n{}",
                note(path),
                source.replace("c1_client", crate_name)
            ),
        })
        .collect()
}

/// The line that says where a copy comes from.
pub fn copy_note(path: &str) -> String {
    format!("// A copy of generator/runtime/{path}, the client runtime.")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file in `runtime/src` is emitted (the crate root through [`ROOT`]).
    #[test]
    fn every_runtime_source_is_emitted() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| format!("src/{}", e.unwrap().file_name().to_string_lossy()))
            .filter(|p| p != "src/lib.rs")
            .collect();
        on_disk.sort();
        let listed: Vec<String> = SOURCES.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(listed, on_disk);
    }

    #[test]
    fn copies_are_marked_and_whole() {
        for (file, (path, source)) in files("c1_client").iter().zip(SOURCES) {
            assert_eq!(file.path, PathBuf::from(path));
            assert!(file.contents.starts_with(HEADER));
            assert!(file.contents.ends_with(source));
        }
    }

    /// The runtime's rooms in an order where each uses only rooms before
    /// it: no two files depend on each other (the generator README lists
    /// them).
    const ROOMS: [&str; 20] = [
        "wire",
        "body",
        "retry",
        "error",
        "secret",
        "tenant",
        "credentials",
        "dpop",
        "send",
        "oauth",
        "auth",
        "request",
        "client",
        "builder",
        "env",
        "login",
        "call",
        "pagination",
        "wait",
        "testing",
    ];

    #[test]
    fn no_room_of_the_runtime_depends_on_a_later_one() {
        let mut listed: Vec<String> = ROOMS.iter().map(|r| format!("src/{r}.rs")).collect();
        listed.sort();
        let sources: Vec<&str> = SOURCES.iter().map(|(p, _)| *p).collect();
        assert_eq!(listed, sources, "every source has a place in ROOMS");
        for (path, source) in SOURCES {
            let room = path.trim_start_matches("src/").trim_end_matches(".rs");
            let at = ROOMS.iter().position(|r| *r == room).unwrap();
            let code = source.lines().filter(|l| !l.trim_start().starts_with("//"));
            for line in code {
                for used in line.split("crate::").skip(1) {
                    let name: String = used
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    let Some(other) = ROOMS.iter().position(|r| *r == name) else {
                        continue; // A generated module (spec, models) or a root item.
                    };
                    assert!(other <= at, "{room} uses {name}, a later room: {line}");
                }
            }
        }
    }
}
