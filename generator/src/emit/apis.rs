//! The `apis` modules: one file per operation group, a method per operation
//! and, for paginated operations, a stream of all pages.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, ident, Emitter};
use crate::error::{Error, Result};
use crate::model::{Body, Group, Operation, PageToken, Param, Segment, TypeRef};
use crate::names::unraw;

impl Emitter<'_> {
    /// `src/apis/mod.rs`: the group modules and their accessors on `Client`,
    /// each behind the group's cargo feature.
    pub(crate) fn apis_mod(&self) -> TokenStream {
        let mods = self.api.groups.iter().map(|g| {
            let module = ident(&g.module);
            let feature = unraw(&g.module);
            quote!(#[cfg(feature = #feature)] pub mod #module;)
        });
        let accessors = self.api.groups.iter().map(|g| {
            let module = ident(&g.module);
            let feature = unraw(&g.module);
            let ty = ident(&g.type_name);
            let text = format!(" The `{}` operations.", g.tag);
            quote! {
                #[doc = #text]
                #[cfg(feature = #feature)]
                pub fn #module(&self) -> #module::#ty<'_> {
                    #module::#ty::new(self)
                }
            }
        });
        quote! {
            #![doc = " API operations, one module per group; each group is a cargo feature."]
            #(#mods)*
            impl crate::Client {
                #(#accessors)*
            }
        }
    }

    /// One group's module.
    pub(crate) fn group(&self, group: &Group) -> Result<TokenStream> {
        let ty = ident(&group.type_name);
        let module_doc = format!(" The `{}` operations.", group.tag);
        let type_doc = match &group.doc {
            Some(text) => doc(Some(text)),
            None => {
                let text = format!(
                    " The `{}` operations: `client.{}()`.",
                    group.tag,
                    unraw(&group.module)
                );
                quote!(#[doc = #text])
            }
        };
        let mut methods = Vec::new();
        for op in &group.operations {
            methods.push(self.operation(group, op)?);
            if op.pagination.is_some() {
                methods.push(self.pages(op)?);
            }
        }
        let uses_models = group.operations.iter().any(|o| {
            o.body.is_some()
                || o.response.as_ref().is_some_and(|r| r.named().is_some())
                || o.query_params
                    .iter()
                    .chain(&o.path_params)
                    .any(|p| p.ty.named().is_some())
        });
        let models = uses_models.then(|| {
            quote!(
                use crate::models;
            )
        });
        Ok(quote! {
            #![doc = #module_doc]
            use reqwest::Method;
            use crate::client::{Client, Request};
            #models
            #type_doc
            #[derive(Debug, Clone, Copy)]
            pub struct #ty<'a> {
                client: &'a Client,
            }
            impl<'a> #ty<'a> {
                pub(crate) fn new(client: &'a Client) -> Self {
                    Self { client }
                }
                #(#methods)*
            }
        })
    }

    /// The arguments of an operation's method: path parameters, query
    /// parameters, then the body (unless it is always `{}`).
    fn arguments(&self, op: &Operation) -> Result<Vec<(TokenStream, TokenStream)>> {
        let mut args = Vec::new();
        for p in &op.path_params {
            let arg = ident(&p.name);
            let ty = match &p.ty {
                TypeRef::String => quote!(&str),
                TypeRef::Bool
                | TypeRef::I32
                | TypeRef::I64
                | TypeRef::U32
                | TypeRef::U64
                | TypeRef::I64Str
                | TypeRef::U64Str => self.ty(&p.ty, true),
                _ => {
                    return Err(Error::Model {
                        file: None,
                        line: None,
                        pointer: op.path.clone(),
                        message: format!(
                            "path parameter `{}` must be a string, integer or boolean",
                            p.wire_name
                        ),
                    })
                }
            };
            args.push((quote!(#arg), ty));
        }
        for p in &op.query_params {
            let arg = ident(&p.name);
            args.push((quote!(#arg), self.query_ty(p)));
        }
        if let Some(body) = op.body.as_ref().filter(|b| !b.implicit_empty) {
            let ty = self.ty(&body.ty, true);
            let name = format_ident!("{}", body_arg(op));
            args.push((quote!(#name), quote!(&#ty)));
        }
        Ok(args)
    }

    fn operation(&self, group: &Group, op: &Operation) -> Result<TokenStream> {
        let name = ident(&op.name);
        let operation = format!("{}.{}", unraw(&group.module), unraw(&op.name));
        let template = &op.path;
        let method = format_ident!("{}", op.method.to_uppercase());
        let mut docs = doc(op.doc.as_deref());
        let endpoint = format!(" `{} {}`", op.method.to_uppercase(), op.path);
        if op.doc.is_some() {
            docs.extend(quote!(#[doc = ""]));
        }
        docs.extend(quote!(#[doc = #endpoint]));
        let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
        let args = self
            .arguments(op)?
            .into_iter()
            .map(|(arg, ty)| quote!(#arg: #ty));
        let conversions = op
            .path_params
            .iter()
            .filter(|p| p.ty != TypeRef::String)
            .map(|p| {
                let arg = ident(&p.name);
                quote!(let #arg = #arg.to_string();)
            });
        let segments = op.segments.iter().map(|s| match s {
            Segment::Literal(text) => quote!(#text),
            Segment::Param(i) => {
                let arg = ident(&op.path_params[*i].name);
                if op.path_params[*i].ty == TypeRef::String {
                    quote!(#arg)
                } else {
                    quote!(&#arg)
                }
            }
        });
        let query = op.query_params.iter().map(|p| {
            let arg = ident(&p.name);
            let wire = &p.wire_name;
            quote!(.query(#wire, &#arg))
        });
        let body = op.body.as_ref().map(|b| self.body(op, b));
        let (ret, send) = match &op.response {
            Some(ty) => (self.ty(ty, true), quote!(send)),
            None => (quote!(()), quote!(send_no_content)),
        };
        Ok(quote! {
            #docs
            #deprecated
            pub async fn #name(&self, #(#args),*) -> crate::Result<#ret> {
                #(#conversions)*
                let path = [#(#segments),*];
                let request = Request::new(#operation, Method::#method, #template, &path) #(#query)* #body;
                self.client.#send(request).await
            }
        })
    }

    /// `<op>_pages`: every page of a paginated operation, as a stream that
    /// asks for the next page with the last `nextPageToken` and ends when it
    /// is empty.
    fn pages(&self, op: &Operation) -> Result<TokenStream> {
        let Some(pagination) = &op.pagination else {
            return Ok(TokenStream::new());
        };
        let name = ident(&op.name);
        let pages = format_ident!("{}_pages", unraw(&op.name));
        let response = self.ty(op.response.as_ref().unwrap_or(&TypeRef::Any), true);
        let next = ident(&pagination.next_field);
        let text = format!(
            " Every page of [`{0}`](Self::{0}), as a stream: each page is asked for with the",
            unraw(&op.name)
        );
        let deprecated = op
            .deprecated
            .then(|| quote!(#[deprecated] #[allow(deprecated)]));
        let mut args = self.arguments(op)?;
        let fetch = match &pagination.token {
            PageToken::Query(index) => {
                let token = ident(&op.query_params[*index].name).to_string();
                let call: Vec<TokenStream> = args
                    .iter()
                    .map(|(arg, _)| {
                        if arg.to_string() == token {
                            quote!(token.as_deref())
                        } else {
                            arg.clone()
                        }
                    })
                    .collect();
                args.retain(|(arg, _)| arg.to_string() != token);
                quote!(move |token: Option<String>| async move { api.#name(#(#call),*).await })
            }
            PageToken::Body(field) => {
                let field = ident(field);
                let call = args.iter().map(|(arg, _)| {
                    if arg.to_string() == body_arg(op) {
                        quote!(&body)
                    } else {
                        arg.clone()
                    }
                });
                let call: Vec<TokenStream> = call.collect();
                quote! {{
                    let body = body.clone();
                    move |token: Option<String>| {
                        let mut body = body.clone();
                        body.#field = token;
                        async move { api.#name(#(#call),*).await }
                    }
                }}
            }
        };
        let params = args.iter().map(|(arg, ty)| quote!(#arg: #ty));
        Ok(quote! {
            #[doc = #text]
            #[doc = " `nextPageToken` of the one before, until that token is empty."]
            #deprecated
            pub fn #pages(&self, #(#params),*) -> impl futures_util::Stream<Item = crate::Result<#response>> {
                let api = *self;
                crate::pagination::pages(#fetch, |page: &#response| page.#next.as_deref())
            }
        })
    }

    fn query_ty(&self, p: &Param) -> TokenStream {
        let ty = match &p.ty {
            TypeRef::String => quote!(&str),
            TypeRef::Vec(inner) => {
                let inner = self.ty(inner, true);
                quote!(&[#inner])
            }
            TypeRef::Named(_)
            | TypeRef::Any
            | TypeRef::Object
            | TypeRef::Map(_)
            | TypeRef::Bytes => {
                let ty = self.ty(&p.ty, true);
                quote!(&#ty)
            }
            other => self.ty(other, true),
        };
        if p.required {
            ty
        } else {
            quote!(Option<#ty>)
        }
    }

    /// The `.json(..)` call: the body argument, or `{}` for bodies that are always empty.
    fn body(&self, op: &Operation, body: &Body) -> TokenStream {
        if body.implicit_empty {
            let ty = self.ty(&body.ty, true);
            return quote!(.json(&#ty::default()));
        }
        let name = format_ident!("{}", body_arg(op));
        quote!(.json(#name))
    }
}

/// The name of the request body argument: `body`, unless a parameter has
/// that name.
fn body_arg(op: &Operation) -> &'static str {
    if op
        .path_params
        .iter()
        .chain(&op.query_params)
        .any(|p| unraw(&p.name) == "body")
    {
        "request_body"
    } else {
        "body"
    }
}
