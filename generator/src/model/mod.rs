//! Stage 4, model: a typed description of what will be emitted, built from
//! the merged [`openapiv3::OpenAPI`].
//!
//! - [`ir`]: the model's types, and nothing else;
//! - [`schemas`]: schemas to types; [`operations`]: operations, their
//!   parameters, bodies and responses;
//! - [`protobuf`]: the conventions of protobuf-generated APIs (encodings,
//!   oneofs, packages, enum prefixes, pagination fields);
//! - [`rust_types`]: the Rust type of every construct, and the scalar table;
//! - [`passes`]: what needs the whole model, one pass per file, run in order
//!   by [`build`].

use openapiv3::OpenAPI;

use crate::error::{Error, Pointer, Result};
use crate::merge::Merged;

pub mod ir;
pub mod operations;
pub mod passes;
pub mod protobuf;
pub mod rust_types;
pub mod schemas;

pub use ir::*;
pub use rust_types::{field_type, rust_type};

/// Builds the model of a merged API and runs every pass on it.
pub fn build(merged: &Merged) -> Result<Api> {
    let mut api = lower(merged)?;
    passes::run_all(&mut api)?;
    Ok(api)
}

/// The model as the spec gives it, before any pass. Problems in schemas and
/// in operations are all reported at once.
pub fn lower(merged: &Merged) -> Result<Api> {
    let spec = &merged.api;
    let mut schemas = schemas::Schemas::new(spec, &merged.value);
    let components = schemas.define_components();
    let groups = operations::groups(spec, &mut schemas);
    let groups = match (components, groups) {
        (Ok(()), Ok(groups)) => groups,
        (components, groups) => {
            let errors = [components.err(), groups.err()];
            let list = errors.into_iter().flatten().flat_map(Error::into_list);
            return Err(Error::from_many(list.collect()));
        }
    };
    let (types, warnings) = schemas.finish()?;
    if groups.is_empty() && types.is_empty() {
        let message = "nothing to generate: the API has no operations under `paths` and no schemas under `components/schemas` (webhooks are not generated)";
        return Err(model_error(&Pointer::root(), message.into()));
    }
    Ok(Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: clean_doc(spec.info.description.as_deref()),
        servers: servers(spec),
        token_url: token_url(spec),
        types,
        groups,
        warnings,
        layout: Pending::Unknown,
    })
}

impl<T> Pending<T> {
    /// The value, once the pass that computes it has run; `what` names it
    /// in the internal error otherwise.
    pub fn get(&self, what: &str) -> Result<&T> {
        match self {
            Pending::Known(value) => Ok(value),
            Pending::Unknown => Err(model_error(
                &Pointer::root(),
                format!("internal error: {what} is read before the pass that computes it has run"),
            )),
        }
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: ")?,
            (Some(file), None) => write!(f, "{file}: ")?,
            _ => {}
        }
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// An error about the node at `at` of the merged document; it gets its file
/// and line once located.
pub(crate) fn model_error(at: &Pointer, message: String) -> Error {
    Error::Model {
        file: None,
        line: None,
        pointer: at.to_string(),
        message,
    }
}

/// Trims a description; empty text is no doc.
pub(crate) fn clean_doc(text: Option<&str>) -> Option<String> {
    let text = text?.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn servers(api: &OpenAPI) -> Vec<Server> {
    api.servers
        .iter()
        .map(|s| Server {
            url: s.url.clone(),
            description: clean_doc(s.description.as_deref()),
            variables: s
                .variables
                .iter()
                .flatten()
                .map(|(name, v)| ServerVariable {
                    name: name.clone(),
                    default: v.default.clone(),
                    description: clean_doc(v.description.as_deref()),
                })
                .collect(),
        })
        .collect()
}

fn token_url(api: &OpenAPI) -> Option<String> {
    let schemes = &api.components.as_ref()?.security_schemes;
    let mut names: Vec<&String> = schemes.keys().collect();
    names.sort();
    names
        .into_iter()
        .find_map(|name| match schemes.get(name)?.as_item()? {
            openapiv3::SecurityScheme::OAuth2 { flows, .. } => {
                Some(flows.client_credentials.as_ref()?.token_url.clone())
            }
            _ => None,
        })
}

#[cfg(test)]
mod tests;
