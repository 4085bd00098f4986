//! `src/conformance.rs`: the table the conformance suite drives the client
//! through (the crate's `conformance` feature, never a program's): every
//! operation's request built from text and JSON by its own method and
//! setters, and every model and response read and written again by the
//! crate's own serde code. It is rendered from the signatures the methods
//! are, so the suite calls exactly what a program calls.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, rust_at, Emitter};
use crate::error::Result;
use crate::model::ir::{ArgSource, Media, Operation, RustType, Scalar, Signature, TypeKind};

impl Emitter<'_> {
    /// The conformance table.
    pub(super) fn conformance(&self) -> Result<TokenStream> {
        let mut requests = Vec::new();
        let mut responses = Vec::new();
        let mut covered = Vec::new();
        for group in &self.api.groups {
            let accessor = ident(&group.module);
            for op in &group.operations {
                let Some(id) = &op.operation_id else { continue };
                let signature = op.signature.get("signature")?;
                if let Some(arm) = self.request_arm(op, signature, &accessor) {
                    requests.push(quote!(#id => { #arm }));
                    covered.push(id.clone());
                }
                if let (Media::Json(_), Some(_)) = (&op.response_media, &op.response) {
                    let returns = self.tokens(&signature.returns);
                    responses.push(quote!(#id => again::<#returns>(json),));
                }
            }
        }
        let models = self.model_arms();
        Ok(quote! {
            //! For this crate's conformance tests only (the `conformance`
            //! feature): each operation's request built by its own method and
            //! setters from text and JSON, and each model and response read
            //! and written again by the crate's own serde code.

            use std::fmt::Display;
            use std::str::FromStr;

            use serde_json::Value;

            /// The operations [`request`] builds, by `operationId`.
            pub const OPERATIONS: &[&str] = &[#(#covered),*];

            /// Builds the request of `operation_id` with `args`, `{"path":
            /// {..}, "query": {..}, "header": {..}, "body": ..}`: parameters by
            /// wire name, as text (a list parameter as a list of texts), and
            /// the body as JSON. Every parameter given is set.
            #[allow(unused_variables)] // An API may have none of these.
            pub fn request(client: &crate::Client, operation_id: &str, args: &Value) -> Result<crate::DryRun, String> {
                #[allow(deprecated)]
                match operation_id {
                    #(#requests)*
                    _ => Err(format!("no operation `{operation_id}` here")),
                }
            }

            /// Reads `json` as the response of `operation_id`, and writes it again.
            #[allow(unused_variables)] // An API may have none of these.
            pub fn response_again(operation_id: &str, json: &[u8]) -> Result<Vec<u8>, String> {
                #[allow(deprecated)]
                match operation_id {
                    #(#responses)*
                    _ => Err(format!("no JSON response for `{operation_id}` here")),
                }
            }

            /// Reads `json` as the type of the component schema `schema`, and
            /// writes it again.
            #[allow(unused_variables)] // An API may have none of these.
            pub fn model_again(schema: &str, json: &[u8]) -> Result<Vec<u8>, String> {
                #[allow(deprecated)]
                match schema {
                    #(#models)*
                    _ => Err(format!("no type for the schema `{schema}` here")),
                }
            }

            /// Reads `json` as `T` as a response is read, and writes it as a
            /// body is written.
            fn again<T: serde::de::DeserializeOwned + serde::Serialize>(json: &[u8]) -> Result<Vec<u8>, String> {
                let value: T = crate::error::decode(json).map_err(|e| e.to_string())?;
                serde_json::to_vec(&value).map_err(|e| e.to_string())
            }

            /// The parameter `name` in `place`, read from its text.
            #[allow(dead_code)] // Not every API has every kind of argument.
            fn text<T: FromStr>(args: &Value, place: &str, name: &str) -> Result<Option<T>, String>
            where
                T::Err: Display,
            {
                match &args[place][name] {
                    Value::Null => Ok(None),
                    Value::String(text) => text
                        .parse()
                        .map(Some)
                        .map_err(|e| format!("{place} parameter `{name}`: {e}")),
                    other => Err(format!("{place} parameter `{name}` is not text: {other}")),
                }
            }

            /// The list parameter `name` in `place`, each item read from its text.
            #[allow(dead_code)] // Not every API has every kind of argument.
            fn texts<T: FromStr>(args: &Value, place: &str, name: &str) -> Result<Vec<T>, String>
            where
                T::Err: Display,
            {
                match &args[place][name] {
                    Value::Null => Ok(Vec::new()),
                    Value::Array(items) => items
                        .iter()
                        .map(|item| match item {
                            Value::String(text) => text
                                .parse()
                                .map_err(|e| format!("{place} parameter `{name}`: {e}")),
                            other => Err(format!("{place} parameter `{name}` holds {other}")),
                        })
                        .collect(),
                    other => Err(format!("{place} parameter `{name}` is not a list: {other}")),
                }
            }

            /// A required value.
            #[allow(dead_code)] // Not every API has every kind of argument.
            fn given<T>(value: Option<T>, place: &str, name: &str) -> Result<T, String> {
                value.ok_or_else(|| format!("the required {place} parameter `{name}` is missing"))
            }

            /// The body, read as a response is read.
            #[allow(dead_code)] // Not every API has every kind of argument.
            fn body<T: serde::de::DeserializeOwned>(args: &Value) -> Result<T, String> {
                let json = serde_json::to_vec(&args["body"]).map_err(|e| e.to_string())?;
                crate::error::decode(&json).map_err(|e| format!("body: {e}"))
            }
        })
    }

    /// The statements that build one operation's request, if every
    /// parameter can be read from text and the body from JSON.
    fn request_arm(
        &self,
        op: &Operation,
        sig: &Signature,
        accessor: &proc_macro2::Ident,
    ) -> Option<TokenStream> {
        let mut values = Vec::new();
        for arg in &sig.args {
            values.push(match arg.source {
                ArgSource::Param(i) => {
                    let param = &op.params[i];
                    let (place, name) = (param.location.spec_name(), &param.wire_name);
                    let ty = self.text_type(&arg.stored)?;
                    quote!(given(text::<#ty>(args, #place, #name)?, #place, #name)?)
                }
                ArgSource::Body => {
                    match op.body.as_ref().map(|b| &b.media) {
                        Some(Media::Json(_) | Media::Form | Media::Multipart) => {}
                        _ => return None,
                    }
                    let ty = self.tokens(&arg.stored);
                    quote!(body::<#ty>(args)?)
                }
            });
        }
        let mut setters = Vec::new();
        for arg in &sig.setters {
            let ArgSource::Param(i) = arg.source else {
                return None;
            };
            let param = &op.params[i];
            let (place, name) = (param.location.spec_name(), &param.wire_name);
            let setter = ident(&arg.name);
            setters.push(match &arg.stored {
                RustType::Vec(item) => {
                    let ty = self.text_type(item)?;
                    quote! {
                        let given = texts::<#ty>(args, #place, #name)?;
                        if !given.is_empty() {
                            call = call.#setter(given);
                        }
                    }
                }
                stored => {
                    let ty = self.text_type(stored)?;
                    quote! {
                        if let Some(given) = text::<#ty>(args, #place, #name)? {
                            call = call.#setter(given);
                        }
                    }
                }
            });
        }
        let method = ident(&op.name);
        let mutable = (!setters.is_empty()).then(|| quote!(mut));
        Some(quote! {
            let #mutable call = client.#accessor().#method(#(#values),*);
            #(#setters)*
            call.dry_run().map_err(|e| e.to_string())
        })
    }

    /// The arms of `model_again`: each component schema's full type (not
    /// its input copy), once.
    fn model_arms(&self) -> Vec<TokenStream> {
        let mut seen = std::collections::BTreeSet::new();
        let mut arms = Vec::new();
        for def in &self.api.types {
            let input = match &def.kind {
                TypeKind::Struct(s) => s.input_of.is_some(),
                TypeKind::Union(u) => u.input_of.is_some(),
                _ => false,
            };
            if input || def.schema.contains('/') || !seen.insert(def.schema.as_str()) {
                continue;
            }
            let ty = self.tokens(&RustType::Named(def.name.clone()));
            let schema = &def.schema;
            arms.push(quote!(#schema => again::<#ty>(json),));
        }
        arms
    }

    /// The type a parameter's text is read as, if it has `FromStr`: a
    /// scalar that is text or a number, or a string enum.
    fn text_type(&self, ty: &RustType) -> Option<TokenStream> {
        let readable = match ty {
            RustType::Scalar(s) => matches!(
                s,
                Scalar::Bool
                    | Scalar::I32
                    | Scalar::I64
                    | Scalar::U32
                    | Scalar::U64
                    | Scalar::F32
                    | Scalar::F64
                    | Scalar::String
                    | Scalar::I64Str
                    | Scalar::U64Str
            ),
            RustType::Named(name) => self
                .api
                .types
                .iter()
                .any(|t| &t.name == name && matches!(t.kind, TypeKind::Enum(_))),
            _ => false,
        };
        readable.then(|| self.tokens(ty))
    }

    fn tokens(&self, ty: &RustType) -> TokenStream {
        rust_at(ty, Some(&quote!(crate::models)))
    }
}
