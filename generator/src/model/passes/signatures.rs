//! Each operation's method signature, computed once: the emitted method and
//! the change report's summary both read it.
//!
//! Arguments: the parameters in [`Operation::params`] order (path, then
//! query and header), then the body (`body`, or `request_body` when a
//! parameter is named `body`) unless it is always `{}`.

use crate::error::Result;
use crate::model::ir::{Api, Arg, ArgSource, Operation, Pending, RustType, Signature, TypeDef};
use crate::model::rust_types::{param_type, rust_type};
use crate::names::unraw;

/// Computes [`Operation::signature`] for every operation.
pub fn run(api: &mut Api) -> Result<()> {
    let types = &api.types;
    for op in api.groups.iter_mut().flat_map(|g| &mut g.operations) {
        op.signature = Pending::Known(signature(op, types)?);
    }
    Ok(())
}

fn signature(op: &Operation, types: &[TypeDef]) -> Result<Signature> {
    let mut args: Vec<Arg> = op
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| Arg {
            name: p.name.clone(),
            ty: param_type(types, p),
            source: ArgSource::Param(i),
        })
        .collect();
    if let Some(body) = &op.body {
        if !*body.implicit_empty.get("which bodies are empty")? {
            let name = if args.iter().any(|a| unraw(&a.name) == "body") {
                "request_body"
            } else {
                "body"
            };
            args.push(Arg {
                name: name.to_string(),
                ty: RustType::Ref(Box::new(rust_type(types, &body.ty))),
                source: ArgSource::Body,
            });
        }
    }
    let returns = match &op.response {
        Some(ty) => rust_type(types, ty),
        None => RustType::Unit,
    };
    Ok(Signature { args, returns })
}

impl std::fmt::Display for Signature {
    /// `(id: &str, body: &Thing) -> Thing`, as the change report shows it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| format!("{}: {}", unraw(&a.name), a.ty))
            .collect();
        write!(f, "({}) -> {}", args.join(", "), self.returns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::passes::inputs;
    use crate::model::passes::testing::{doc, lowered};

    fn signatures(paths: &str) -> Vec<String> {
        let schemas =
            "Thing: {type: object, properties: {name: {type: string}}}\nEmpty: {type: object}";
        let mut api = lowered(&doc(schemas, paths)).unwrap();
        inputs::run(&mut api).unwrap();
        run(&mut api).unwrap();
        api.groups
            .iter()
            .flat_map(|g| &g.operations)
            .map(|o| o.signature.get("signature").unwrap().to_string())
            .collect()
    }

    #[test]
    fn the_body_is_renamed_when_a_parameter_takes_its_name() {
        let ops = "/w/{id}:\n  post:\n    operationId: x.Search\n    parameters: [{name: id, in: path, required: true, schema: {type: string}}, {name: body, in: query, required: true, schema: {type: string}}, {name: X-Trace, in: header, schema: {type: integer, format: int32}}]\n    requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}\n    responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}}";
        assert_eq!(
            signatures(ops),
            ["(id: &str, body: &str, x_trace: Option<i32>, request_body: &Thing) -> Thing"]
        );
    }

    #[test]
    fn always_empty_bodies_take_no_argument() {
        let ops = "/e:\n  post:\n    operationId: x.Touch\n    parameters: [{name: tags, in: query, schema: {type: array, items: {type: string}}}]\n    requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Empty'}}}}\n    responses: {'204': {description: done}}";
        assert_eq!(signatures(ops), ["(tags: Option<&[String]>) -> ()"]);
    }
}
