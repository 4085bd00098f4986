//! The passes: what needs the whole model, each in its own file with its
//! own tests, each `run(api: &mut Api) -> Result<()>`. [`run_all`] runs them
//! in the order they depend on each other.

use super::ir::{Api, TypeDef, TypeId, TypeKind};
use crate::error::Result;

pub mod boxes;
pub mod cycles;
pub mod enums;
pub mod expanded;
pub mod inputs;
pub mod layout;
pub mod masks;
pub mod names;
pub mod pagination;
pub mod signatures;

/// Runs every pass: make every namespace's names unique, merge the enums with the same values, reject alias
/// cycles, derive input types (and which bodies are empty), type the
/// `expanded` lists and their paths, find the update masks, box recursive
/// fields, detect pagination, lay out the models modules, compute
/// signatures.
pub fn run_all(api: &mut Api) -> Result<()> {
    names::run(api)?;
    enums::run(api)?;
    cycles::run(api)?;
    inputs::run(api)?;
    expanded::run(api)?;
    masks::run(api)?;
    boxes::run(api)?;
    pagination::run(api)?;
    layout::run(api)?;
    signatures::run(api)
}

/// The named types a type refers to directly: `(type, through a field that
/// is not read-only)`, for fields and alias targets.
pub(crate) fn direct_refs(def: &TypeDef) -> Vec<(TypeId, bool)> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| f.ty.named().map(|t| (t, !f.read_only)))
            .collect(),
        TypeKind::Alias(ty) => ty.named().map(|t| (t, true)).into_iter().collect(),
        TypeKind::AnyMessage(variants) => variants.iter().map(|v| (v.ty, true)).collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| v.ty.named().map(|t| (t, true)))
            .collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Building a model from YAML for the passes' tests.
    use crate::error::Result;
    use crate::load::SourceDocument;
    use crate::model::{lower, Api};
    use crate::{merge, normalize};

    /// The model of one YAML document, before any pass but the `names`
    /// pass, which every other needs.
    pub fn lowered(yaml: &str) -> Result<Api> {
        let doc = SourceDocument::parse("t.yaml", yaml)?;
        let mut api = lower(&merge::merge(&[normalize::normalize(&doc)?])?)?;
        super::names::run(&mut api)?;
        Ok(api)
    }

    /// A document with these component schemas (YAML, indented as a map)
    /// and these paths.
    pub fn doc(schemas: &str, paths: &str) -> String {
        let indent = |text: &str, n: usize| {
            text.lines()
                .map(|l| format!("{}{l}\n", " ".repeat(n)))
                .collect::<String>()
        };
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n{}components:\n  schemas:\n{}",
            indent(paths, 2),
            indent(schemas, 4)
        )
    }

    /// The type named `name`.
    pub fn id(api: &Api, name: &str) -> crate::model::TypeId {
        let i = api.types.iter().position(|t| t.name == name);
        crate::model::TypeId(i.unwrap_or_else(|| panic!("no type {name}")))
    }
}
