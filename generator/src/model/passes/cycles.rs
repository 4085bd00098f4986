//! Rejects aliases that lead back to themselves with no object in between
//! (`A = B`, `B = A`): no Rust type can stand for them.

use crate::error::{Error, Pointer, Result};
use crate::model::ir::{Api, TypeKind, TypeRef};
use crate::model::model_error;

/// Reports every alias cycle, each once, from its first type.
pub fn run(api: &mut Api) -> Result<()> {
    let types = &api.types;
    let mut errors = Vec::new();
    for start in 0..types.len() {
        let mut chain = vec![start];
        let mut current = start;
        while let TypeKind::Alias(TypeRef::Named(next)) = &types[current].kind {
            if next.0 == start && chain.iter().all(|i| *i >= start) {
                let names: Vec<&str> = chain
                    .iter()
                    .chain([&start])
                    .map(|i| types[*i].schema.as_str())
                    .collect();
                let at = Pointer::root()
                    .push("components")
                    .push("schemas")
                    .push(&types[start].schema);
                let message = format!(
                    "reference cycle with no object in between: {}",
                    names.join(" -> ")
                );
                errors.push(model_error(&at, message));
            }
            if chain.contains(&next.0) {
                break;
            }
            chain.push(next.0);
            current = next.0;
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::from_many(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::passes::testing::{doc, lowered};

    #[test]
    fn each_alias_cycle_is_reported_once_with_its_chain() {
        let schemas = "A: {$ref: '#/components/schemas/B'}\nB: {$ref: '#/components/schemas/A'}\nC: {$ref: '#/components/schemas/C'}\nD: {type: object, properties: {d: {$ref: '#/components/schemas/D'}}}";
        let mut api = lowered(&doc(schemas, "{}")).unwrap();
        let errors: Vec<String> = run(&mut api)
            .unwrap_err()
            .into_list()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errors,
            [
                "/components/schemas/A: reference cycle with no object in between: A -> B -> A",
                "/components/schemas/C: reference cycle with no object in between: C -> C",
            ]
        );
    }
}
