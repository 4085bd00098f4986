//! The crate-level generated files: `spec.rs` (facts from the spec) and
//! `Cargo.toml` (the runtime's dependencies, and one cargo feature per
//! operation group).

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, prose, Emitter};
use crate::file::{GeneratedFile, TOML_HEADER};
use crate::names::unraw;

/// The client crate's manifest, but for its features.
const MANIFEST: &str = r#"description = "Rust client for the C1 (ConductorOne) API, generated from its OpenAPI documents."
edition = "2024"
rust-version = "1.85"
license = "MIT OR Apache-2.0"
publish = false

# docs.rs documents every group and marks the feature each one needs.
[package.metadata.docs.rs]
all-features = true
rustdoc-args = ["--cfg", "docsrs"]

"#;

impl Emitter<'_> {
    pub(crate) fn spec(&self) -> TokenStream {
        let title = &self.api.title;
        let version = &self.api.version;
        let server = self.api.servers.first();
        let url = server.map(|s| s.url.as_str()).unwrap_or_default();
        let description = server
            .and_then(|s| s.description.as_deref())
            .unwrap_or("The API server.");
        let url_doc = [
            doc(Some(description)),
            prose("\nThe `{name}` placeholders are listed in [`SERVER_VARIABLES`]."),
        ];
        let mut vars_doc = vec![prose(
            "The placeholders of [`SERVER_URL`], with their default values.\n\n",
        )];
        for v in server.iter().flat_map(|s| &s.variables) {
            let what = v
                .description
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            vars_doc.push(doc(Some(&format!("- `{}`{what}", v.name))));
        }
        let token_url = match &self.api.token_url {
            Some(url) => quote!(Some(#url)),
            None => quote!(None),
        };
        let vars = server.iter().flat_map(|s| &s.variables).map(|v| {
            let (name, default) = (&v.name, &v.default);
            quote!((#name, #default))
        });
        quote! {
            #![doc = " Facts about the API, from its OpenAPI documents."]
            #[doc = " The API's title (`info.title`)."]
            pub const API_TITLE: &str = #title;
            #[doc = " The version of the API these bindings were generated from (`info.version`)."]
            pub const API_VERSION: &str = #version;
            #(#url_doc)*
            pub const SERVER_URL: &str = #url;
            #(#vars_doc)*
            pub const SERVER_VARIABLES: &[(&str, &str)] = &[#(#vars),*];
            #[doc = " Where client credentials are exchanged for access tokens (the OAuth2"]
            #[doc = " client-credentials `tokenUrl`), relative to the server URL."]
            pub const TOKEN_URL: Option<&str> = #token_url;
        }
    }

    /// `Cargo.toml`: [`MANIFEST`] and a feature per operation group;
    /// `full`, the default, enables them all.
    /// With the jobs layer, `jobs` enables the groups it calls.
    pub(crate) fn manifest(
        &self,
        options: &super::Options,
        jobs: &super::jobs::Plan,
    ) -> GeneratedFile {
        let (package, version) = (&options.package, &options.version);
        let groups: Vec<&str> = self.api.groups.iter().map(|g| unraw(&g.module)).collect();
        let quoted: Vec<String> = groups.iter().map(|g| format!("\"{g}\"")).collect();
        let mut features = String::from("\n# One feature per operation group, each with the models its operations use.\n[features]\n");
        features.push_str("default = [\"full\"]\n");
        features
            .push_str("# `testing::MockServer`, for the tests of programs that use the client.\n");
        features.push_str("testing = [\"dep:wiremock\"]\n");
        features.push_str(
            "# `conformance`: the table the conformance suite drives every operation through (tests only).\n",
        );
        features.push_str("conformance = [\"full\"]\n");
        features.push_str(&format!("full = [{}]\n", quoted.join(", ")));
        if jobs.included {
            let needed: Vec<String> = jobs.groups().iter().map(|g| format!("\"{g}\"")).collect();
            features.push_str("# `jobs`: the jobs layer (request and revoke access, decide tasks) and the groups it calls.\n");
            features.push_str(&format!("jobs = [{}]\n", needed.join(", ")));
        }
        for group in groups {
            features.push_str(&format!("{group} = []\n"));
        }
        // The crate's own tests use the mock server too.
        let mut itself = format!("{package} = {{ path = \".\", features = [\"testing\"] }}\n");
        if let Some(path) = &options.conformance_path {
            itself.push_str(&format!("# The conformance harness: the tests' fake C1 checks every request against the document.\nc1-conformance = {{ path = \"{path}\" }}\n"));
        }
        GeneratedFile {
            path: PathBuf::from("Cargo.toml"),
            contents: format!(
                "{TOML_HEADER}\n\n[package]\nname = \"{package}\"\nversion = \"{version}\"\n{MANIFEST}{}{itself}{features}",
                crate::runtime::DEPENDENCIES
            ),
        }
    }
}
