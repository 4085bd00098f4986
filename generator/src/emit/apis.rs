//! The `apis` modules: one file per operation group, a method per operation
//! and, for paginated operations, a stream of all pages.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{doc, ident, rust, Emitter};
use crate::error::Result;
use crate::model::{ArgSource, Group, Location, Operation, PageToken, Scalar, Segment, TypeRef};
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
            if let Some(pages) = self.pages(op)? {
                methods.push(pages);
            }
        }
        let uses_models = group.operations.iter().any(|o| {
            o.body.is_some()
                || o.response.as_ref().is_some_and(|r| r.named().is_some())
                || o.params.iter().any(|p| p.ty.named().is_some())
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

    /// The method's arguments, as the model's signature gives them: `(name, type)`.
    fn arguments(&self, op: &Operation) -> Result<Vec<(Ident, TokenStream, ArgSource)>> {
        let signature = op.signature.get("signatures")?;
        Ok(signature
            .args
            .iter()
            .map(|a| (ident(&a.name), rust(&a.ty, true), a.source))
            .collect())
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
        let arguments = self.arguments(op)?;
        let args = arguments.iter().map(|(arg, ty, _)| quote!(#arg: #ty));
        // Path parameters that are not strings are written out first.
        let converted = |i: usize| op.params[i].ty != TypeRef::Scalar(Scalar::String);
        let conversions = op.segments.iter().filter_map(|s| match s {
            Segment::Param(i) if converted(*i) => {
                let arg = ident(&op.params[*i].name);
                Some(quote!(let #arg = #arg.to_string();))
            }
            Segment::Param(_) | Segment::Literal(_) => None,
        });
        let segments = op.segments.iter().map(|s| match s {
            Segment::Literal(text) => quote!(#text),
            Segment::Param(i) => {
                let arg = ident(&op.params[*i].name);
                if converted(*i) {
                    quote!(&#arg)
                } else {
                    quote!(#arg)
                }
            }
        });
        let setters = op.params.iter().filter_map(|p| {
            let arg = ident(&p.name);
            let wire = &p.wire_name;
            match p.location {
                Location::Path => None,
                Location::Query => Some(quote!(.query(#wire, &#arg))),
                Location::Header => Some(quote!(.header(#wire, &#arg))),
            }
        });
        let body = self.body(op, &arguments)?;
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
                let request = Request::new(#operation, Method::#method, #template, &path) #(#setters)* #body;
                self.client.#send(request).await
            }
        })
    }

    /// `<op>_pages`: every page of a paginated operation, as a stream that
    /// asks for the next page with the last `nextPageToken` and ends when it
    /// is empty.
    fn pages(&self, op: &Operation) -> Result<Option<TokenStream>> {
        let Some(pagination) = op.pagination.get("pagination")? else {
            return Ok(None);
        };
        let name = ident(&op.name);
        let pages = format_ident!("{}_pages", unraw(&op.name));
        let response = self.ty(
            op.response
                .as_ref()
                .unwrap_or(&TypeRef::Scalar(Scalar::Any)),
            true,
        );
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
                let token = ArgSource::Param(*index);
                let call = args.iter().map(|(arg, _, source)| {
                    if *source == token {
                        quote!(token.as_deref())
                    } else {
                        quote!(#arg)
                    }
                });
                let call: Vec<TokenStream> = call.collect();
                args.retain(|(_, _, source)| *source != token);
                quote!(move |token: Option<String>| async move { api.#name(#(#call),*).await })
            }
            PageToken::Body(field) => {
                let field = ident(field);
                let call = args.iter().map(|(arg, _, source)| {
                    if *source == ArgSource::Body {
                        quote!(&body)
                    } else {
                        quote!(#arg)
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
        let params = args.iter().map(|(arg, ty, _)| quote!(#arg: #ty));
        Ok(Some(quote! {
            #[doc = #text]
            #[doc = " `nextPageToken` of the one before, until that token is empty."]
            #deprecated
            pub fn #pages(&self, #(#params),*) -> impl futures_util::Stream<Item = crate::Result<#response>> {
                let api = *self;
                crate::pagination::pages(#fetch, |page: &#response| page.#next.as_deref())
            }
        }))
    }

    /// The `.json(..)` call: the body argument, or `{}` for bodies that are always empty.
    fn body(
        &self,
        op: &Operation,
        args: &[(Ident, TokenStream, ArgSource)],
    ) -> Result<Option<TokenStream>> {
        let Some(body) = &op.body else {
            return Ok(None);
        };
        if *body.implicit_empty.get("which bodies are empty")? {
            let ty = self.ty(&body.ty, true);
            return Ok(Some(quote!(.json(&#ty::default()))));
        }
        Ok(args
            .iter()
            .find(|(_, _, source)| *source == ArgSource::Body)
            .map(|(name, _, _)| quote!(.json(#name))))
    }
}
