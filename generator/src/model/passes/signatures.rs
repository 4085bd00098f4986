//! Each operation's method signature, computed once: the emitted method and
//! the change report's summary both read it.
//!
//! Arguments: the required parameters in [`Operation::params`] order (path,
//! then query and header), then the body unless it is always `{}`. Setters:
//! the optional parameters. Their names are the parameters' and the body's,
//! which the `names` pass made unique and kept off the methods every call
//! has ([`CALL_METHODS`]).

use crate::error::Result;
use crate::model::ir::{Api, Arg, ArgSource, Operation, Pending, RustType, Signature};
use crate::model::ir::{Media, Scalar, TypeDef};
use crate::model::rust_types::rust_type;
use crate::names::unraw;

/// The inherent methods of the runtime's `Call`, which a setter must not
/// share a name with (a test reads them from the runtime's source).
pub const CALL_METHODS: &[&str] = &[
    "timeout",
    "retry_policy",
    "header",
    "with_response",
    "json",
    "send",
    "pages",
    "json_pages",
    "items",
    "new",
    "stream",
    "send_raw",
    "poll_until",
    "dry_run",
];

/// Computes [`Operation::signature`] for every operation.
pub fn run(api: &mut Api) -> Result<()> {
    let types = &api.types;
    for op in api.groups.iter_mut().flat_map(|g| &mut g.operations) {
        op.signature = Pending::Known(signature(op, types)?);
    }
    Ok(())
}

fn signature(op: &Operation, types: &[TypeDef]) -> Result<Signature> {
    let mut args = Vec::new();
    let mut setters = Vec::new();
    for (i, p) in op.params.iter().enumerate() {
        let stored = rust_type(types, &p.ty);
        let source = ArgSource::Param(i);
        if p.required {
            let ty = argument_type(&stored);
            args.push(Arg {
                name: p.name.clone(),
                ty,
                stored,
                source,
            });
        } else {
            setters.push(Arg {
                name: p.name.clone(),
                ty: RustType::Into(Box::new(stored.clone())),
                stored,
                source,
            });
        }
    }
    if let Some(body) = &op.body {
        if !*body.implicit_empty.get("which bodies are empty")? {
            let stored = rust_type(types, &body.ty);
            // Bytes and text are taken as anything that converts into them.
            let ty = match body.media {
                Media::Binary(_) | Media::Text(_) => RustType::Into(Box::new(stored.clone())),
                _ => stored.clone(),
            };
            args.push(Arg {
                name: body.name.clone(),
                ty,
                stored,
                source: ArgSource::Body,
            });
        }
    }
    let returns = match &op.response {
        Some(ty) => rust_type(types, ty),
        None => RustType::Unit,
    };
    Ok(Signature {
        args,
        setters,
        returns,
    })
}

/// How a method takes a required argument: text as `impl Into<String>`,
/// anything else by value.
fn argument_type(stored: &RustType) -> RustType {
    match stored {
        RustType::Scalar(Scalar::String) => RustType::Into(Box::new(stored.clone())),
        _ => stored.clone(),
    }
}

impl Signature {
    /// The name of the field of the operation's parameters type that keeps
    /// `source`: the parameter's or the body's name.
    pub fn field<'a>(&'a self, op: &'a Operation, source: ArgSource) -> &'a str {
        match (source, &op.body) {
            (ArgSource::Param(i), _) => &op.params[i].name,
            (ArgSource::Body, Some(body)) => &body.name,
            (ArgSource::Body, None) => "body",
        }
    }

    /// The setters as the change report lists them: `page_size: impl Into<i32>`.
    pub fn setter_lines(&self) -> Vec<String> {
        self.setters
            .iter()
            .map(|a| format!("{}: {}", unraw(&a.name), a.ty))
            .collect()
    }
}

impl std::fmt::Display for Signature {
    /// `(id: impl Into<String>, body: Thing) -> Thing`, as the change report
    /// shows it (setters apart: [`Signature::setter_lines`]).
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
            .map(|o| {
                let signature = o.signature.get("signature").unwrap();
                let setters = signature.setter_lines();
                format!("{signature} [{}]", setters.join(", "))
            })
            .collect()
    }

    #[test]
    fn the_body_is_renamed_when_a_parameter_takes_its_name() {
        let ops = "/w/{id}:\n  post:\n    operationId: x.Search\n    parameters: [{name: id, in: path, required: true, schema: {type: string}}, {name: body, in: query, required: true, schema: {type: string}}, {name: X-Trace, in: header, schema: {type: integer, format: int32}}]\n    requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}\n    responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}}";
        assert_eq!(
            signatures(ops),
            ["(id: impl Into<String>, body: impl Into<String>, request_body: Thing) -> Thing [x_trace: impl Into<i32>]"]
        );
    }

    #[test]
    fn always_empty_bodies_take_no_argument() {
        let ops = "/e:\n  post:\n    operationId: x.Touch\n    parameters: [{name: tags, in: query, schema: {type: array, items: {type: string}}}]\n    requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Empty'}}}}\n    responses: {'204': {description: done}}";
        assert_eq!(signatures(ops), ["() -> () [tags: impl Into<Vec<String>>]"]);
    }

    /// The methods the runtime's inherent `impl .. Call<..>` blocks declare.
    fn runtime_call_methods() -> Vec<String> {
        runtime_methods("Call")
    }

    /// The methods the runtime's inherent impls of `ty` declare.
    fn runtime_methods(ty_name: &str) -> Vec<String> {
        let mut found = Vec::new();
        // The jobs layer adds methods to the client too (`client.access()`).
        let sources = crate::runtime::SOURCES
            .iter()
            .chain(&crate::emit::jobs::SOURCES);
        for (path, source) in sources {
            let file = syn::parse_file(source).unwrap_or_else(|e| panic!("{path}: {e}"));
            for item in file.items {
                let syn::Item::Impl(block) = item else {
                    continue;
                };
                if block.trait_.is_some() {
                    continue;
                }
                let syn::Type::Path(ty) = &*block.self_ty else {
                    continue;
                };
                if ty.path.segments.last().is_none_or(|s| s.ident != ty_name) {
                    continue;
                }
                for item in block.items {
                    if let syn::ImplItem::Fn(f) = item {
                        found.push(f.sig.ident.to_string());
                    }
                }
            }
        }
        found
    }

    #[test]
    fn call_methods_names_every_method_of_the_runtimes_call() {
        // An inherent method and a setter of the same name would not compile.
        let mut methods = runtime_call_methods();
        methods.sort();
        let mut listed: Vec<&str> = CALL_METHODS.to_vec();
        listed.sort_unstable();
        assert_eq!(methods, listed);
    }

    #[test]
    fn group_accessors_avoid_every_method_of_the_client_and_the_mock_server() {
        // A group accessor and an inherent method of the same name would not compile.
        let mut methods = runtime_methods("Client");
        methods.extend(runtime_methods("MockServer"));
        methods.sort();
        let mut listed: Vec<&str> = crate::names::ACCESSOR_RESERVED.to_vec();
        listed.sort_unstable();
        assert_eq!(methods, listed);
    }

    #[test]
    fn setters_do_not_shadow_the_methods_of_every_call() {
        let ops = "/t:\n  get:\n    operationId: x.Get\n    parameters: [{name: timeout, in: query, schema: {type: string}}, {name: items, in: query, schema: {type: string}}, {name: size, in: query, schema: {type: integer}}]\n    responses: {'204': {description: done}}";
        assert_eq!(
            signatures(ops),
            ["() -> () [timeout_param: impl Into<String>, items_param: impl Into<String>, size: impl Into<i64>]"]
        );
    }
}
