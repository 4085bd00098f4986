//! The `apis` modules: one file per operation group. Each operation is a
//! method that returns a `Call` of the operation's parameters type (its
//! required arguments set, its optional parameters set by the `Call`'s
//! setters), the parameters type's `Operation` impl (the request it sends,
//! how its answer is read) and, for operations that page, its `Paginated`
//! impl.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, doc_lines, ident, prose, rust, Emitter};
use crate::error::Result;
use crate::model::{
    field_type, Arg, ArgSource, Group, Location, Media, Operation, PageToken, Pagination, Retries,
    RustType, Scalar, Segment, Signature, TypeKind, TypeRef,
};
use crate::names::unraw;

impl Emitter<'_> {
    /// `src/apis/mod.rs`: the group modules and their accessors on `Client`,
    /// each behind the group's cargo feature.
    pub(crate) fn apis_mod(&self) -> TokenStream {
        let mods = self.api.groups.iter().map(|g| {
            let module = ident(&g.module);
            let feature = unraw(&g.module);
            quote! {
                #[cfg(feature = #feature)]
                #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
                pub mod #module;
            }
        });
        let accessors = self.api.groups.iter().map(|g| {
            let module = ident(&g.module);
            let feature = unraw(&g.module);
            let ty = ident(&g.type_name);
            let text = format!(" The `{}` operations.", g.tag);
            quote! {
                #[doc = #text]
                #[cfg(feature = #feature)]
                #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
                pub fn #module(&self) -> #module::#ty<'_> {
                    #module::#ty::new(self)
                }
            }
        });
        let routes = self.api.groups.iter().flat_map(|g| {
            g.operations.iter().map(move |op| {
                let name = g.operation_name(op);
                let (method, template) = (op.method.to_uppercase(), &op.path);
                quote!(crate::testing::Route { name: #name, method: #method, template: #template },)
            })
        });
        quote! {
            #![doc = " API operations, one module per group; each group is a cargo feature."]
            #(#mods)*
            impl crate::Client {
                #(#accessors)*
            }
            #[doc = " Every operation's route, by which the mock server names the calls it receives."]
            #[cfg(feature = "testing")]
            pub(crate) const ROUTES: &[crate::testing::Route] = &[#(#routes)*];
        }
    }

    /// One group's module: its handle type with a method per operation,
    /// and each operation's parameters type.
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
        let mut items = Vec::new();
        let mut expectations = Vec::new();
        for op in &group.operations {
            let signature = op.signature.get("signatures")?;
            methods.push(self.method(group, op, signature)?);
            items.push(self.parameters_type(group, op, signature)?);
            expectations.push(expectation(group, op, signature));
        }
        let mock = mock_type(group, &expectations);
        Ok(quote! {
            #![doc = #module_doc]
            use crate::client::Client;
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
            #(#items)*
            #mock
        })
    }

    /// The group's method: takes the required arguments, returns the call.
    fn method(&self, group: &Group, op: &Operation, signature: &Signature) -> Result<TokenStream> {
        let name = ident(&op.name);
        let params = ident(&op.params_type);
        let docs = prose(&self.method_doc(group, op, signature)?);
        let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
        let args = signature.args.iter().map(|a| {
            let (arg, ty) = (ident(&a.name), rust(&a.ty, true));
            quote!(#arg: #ty)
        });
        let fields = signature.args.iter().map(|a| {
            let arg = ident(&a.name);
            match a.ty {
                RustType::Into(_) => quote!(#arg: #arg.into()),
                _ => quote!(#arg),
            }
        });
        let unset = signature.setters.iter().map(|a| {
            let arg = ident(&a.name);
            quote!(#arg: None)
        });
        Ok(quote! {
            #docs
            #deprecated
            pub fn #name(&self, #(#args),*) -> crate::Call<#params> {
                crate::Call::new(self.client, #params { #(#fields,)* #(#unset,)* })
            }
        })
    }

    /// The operation's parameters type, its `Operation` impl, its setters
    /// and, when it pages, its `Paginated` impl.
    fn parameters_type(
        &self,
        group: &Group,
        op: &Operation,
        signature: &Signature,
    ) -> Result<TokenStream> {
        let params = ident(&op.params_type);
        let text = format!(
            "The parameters of [`{0}::{1}`]: its arguments, and the optional parameters\nthat the [`Call`](crate::Call) it returns sets.",
            group.type_name,
            unraw(&op.name)
        );
        let text = prose(&text);
        let fields = signature.args.iter().map(|a| {
            let (arg, ty) = (ident(&a.name), rust(&a.stored, true));
            quote!(#arg: #ty)
        });
        let optional = signature.setters.iter().map(|a| {
            let (arg, ty) = (ident(&a.name), rust(&a.stored, true));
            quote!(#arg: Option<#ty>)
        });
        let operation = self.operation_impl(group, op, signature)?;
        let setters = self.setters(op, signature);
        let paginated = self.paginated(op)?;
        Ok(quote! {
            #text
            #[derive(Debug, Clone)]
            pub struct #params {
                #(#fields,)*
                #(#optional,)*
            }
            #operation
            #setters
            #paginated
        })
    }

    /// `impl Operation`: the request the call sends and how its answer is read.
    fn operation_impl(
        &self,
        group: &Group,
        op: &Operation,
        signature: &Signature,
    ) -> Result<TokenStream> {
        let params = ident(&op.params_type);
        let name = group.operation_name(op);
        let retries = format_ident!(
            "{}",
            match op.effect.retries() {
                Retries::Idempotent => "Idempotent",
                Retries::Unsent => "Unsent",
                Retries::Never => "Never",
            }
        );
        let template = &op.path;
        let method = format_ident!("{}", op.method.to_uppercase());
        let field_of = |index: usize| ident(signature.field(op, ArgSource::Param(index)));
        let segments = op.segments.iter().map(|s| match s {
            Segment::Literal(text) => quote!(#text),
            Segment::Param(i) => {
                let field = field_of(*i);
                if op.params[*i].ty == TypeRef::Scalar(Scalar::String) {
                    quote!(&self.#field)
                } else {
                    quote!(&self.#field.to_string())
                }
            }
            Segment::Mixed(pieces) => {
                let mut format = String::new();
                let mut args = Vec::new();
                for piece in pieces {
                    match piece {
                        Segment::Param(i) => {
                            format.push_str("{}");
                            let field = field_of(*i);
                            args.push(quote!(self.#field));
                        }
                        Segment::Literal(text) => {
                            format.push_str(&text.replace('{', "{{").replace('}', "}}"))
                        }
                        // The model never nests them.
                        Segment::Mixed(_) => {}
                    }
                }
                quote!(&format!(#format, #(#args),*))
            }
        });
        let fixed = op.fixed_query.iter().map(|(k, v)| quote!(.query(#k, &#v)));
        let parameters = op.params.iter().enumerate().filter_map(|(i, p)| {
            let field = field_of(i);
            let wire = &p.wire_name;
            match p.location {
                Location::Path => None,
                Location::Query => Some(quote!(.query(#wire, &self.#field))),
                Location::Header => Some(quote!(.header(#wire, &self.#field))),
                Location::Cookie => Some(quote!(.cookie(#wire, &self.#field))),
            }
        });
        let body = self.body(op, signature)?;
        let accept = match (&op.response, &op.response_media) {
            (Some(_), Media::Text(media) | Media::Binary(media)) => Some(quote!(.accept(#media))),
            _ => None,
        };
        let (output, decode) = match (&op.response, &op.response_media) {
            (Some(ty), Media::Text(_)) => {
                (self.ty(ty, true), quote!(crate::error::decode_text(body)))
            }
            (Some(ty), Media::Binary(_)) => (self.ty(ty, true), quote!(Ok(body.to_vec()))),
            (Some(ty), _) => (self.ty(ty, true), quote!(crate::error::decode(body))),
            (None, _) => (
                quote!(()),
                quote!({
                    let _ = body;
                    Ok(())
                }),
            ),
        };
        Ok(quote! {
            impl crate::Operation for #params {
                type Output = #output;
                const NAME: &'static str = #name;
                const RETRIES: crate::Retries = crate::Retries::#retries;
                fn request(&self) -> crate::request::Request {
                    crate::request::Request::new(reqwest::Method::#method, #template, &[#(#segments),*])
                        #(#fixed)* #(#parameters)* #body #accept
                }
                fn decode(body: &[u8]) -> crate::Result<Self::Output> {
                    #decode
                }
            }
        })
    }

    /// The call that sets the body: the body field as its media type has
    /// it, or `{}` for JSON bodies that are always empty.
    fn body(&self, op: &Operation, signature: &Signature) -> Result<Option<TokenStream>> {
        let Some(body) = &op.body else {
            return Ok(None);
        };
        if *body.implicit_empty.get("which bodies are empty")? {
            let ty = self.ty(&body.ty, true);
            return Ok(Some(quote!(.json(&#ty::default()))));
        }
        let field = ident(signature.field(op, ArgSource::Body));
        Ok(Some(match &body.media {
            Media::Json(media) if media == "application/json" => quote!(.json(&self.#field)),
            Media::Json(media) => quote!(.json_as(#media, &self.#field)),
            Media::Form => {
                let fields = self.form_fields(&body.ty, &field);
                quote!(.form(crate::body::Form::new() #fields))
            }
            Media::Multipart => {
                let parts = self.multipart_parts(&body.ty, &field);
                quote!(.multipart(crate::body::Multipart::new() #parts))
            }
            Media::Text(media) | Media::Binary(media) => {
                quote!(.bytes(#media, self.#field.clone()))
            }
        }))
    }

    /// The struct a form or multipart body is, if it is one (else its
    /// fields are read from its JSON object when the call is sent).
    fn body_struct(&self, ty: &TypeRef) -> Option<&crate::model::Struct> {
        match ty {
            TypeRef::Named(id) => match &self.api.types[id.0].kind {
                TypeKind::Struct(st) => Some(st),
                _ => None,
            },
            _ => None,
        }
    }

    /// The fields of a form body, in spec order.
    fn form_fields(&self, ty: &TypeRef, field: &proc_macro2::Ident) -> TokenStream {
        let Some(st) = self.body_struct(ty) else {
            return quote!(.fields(&self.#field));
        };
        let fields = st.fields.iter().map(|f| {
            let (name, wire) = (ident(&f.name), &f.wire_name);
            quote!(.field(#wire, &self.#field.#name))
        });
        quote!(#(#fields)*)
    }

    /// The parts of a multipart body: a struct's fields one by one (files
    /// as file parts), or any other object's fields as text.
    fn multipart_parts(&self, ty: &TypeRef, field: &proc_macro2::Ident) -> TokenStream {
        let Some(st) = self.body_struct(ty) else {
            return quote!(.fields(&self.#field));
        };
        let parts = st.fields.iter().map(|f| {
            let (name, wire) = (ident(&f.name), &f.wire_name);
            let file = RustType::Scalar(Scalar::File);
            match field_type(&self.api.types, f, false) {
                t if t == file => quote!(.files(#wire, std::slice::from_ref(&self.#field.#name))),
                RustType::Option(t) if *t == file => {
                    quote!(.files(#wire, self.#field.#name.as_slice()))
                }
                RustType::Vec(t) if *t == file => quote!(.files(#wire, &self.#field.#name)),
                _ => quote!(.text(#wire, &self.#field.#name)),
            }
        });
        quote!(#(#parts)*)
    }

    /// The setters of the optional parameters, on the operation's `Call`.
    fn setters(&self, op: &Operation, signature: &Signature) -> Option<TokenStream> {
        if signature.setters.is_empty() {
            return None;
        }
        let params = ident(&op.params_type);
        let setters = signature.setters.iter().map(|a| {
            let (arg, ty) = (ident(&a.name), rust(&a.ty, true));
            let docs = match a.source {
                ArgSource::Param(i) => param_doc(&op.params[i]),
                ArgSource::Body => String::new(),
            };
            let docs = doc(Some(&docs));
            quote! {
                #docs
                pub fn #arg(mut self, #arg: #ty) -> Self {
                    self.op.#arg = Some(#arg.into());
                    self
                }
            }
        });
        Some(quote! {
            impl crate::Call<#params> {
                #(#setters)*
            }
        })
    }

    /// `impl Paginated`, for operations that page and list their items.
    fn paginated(&self, op: &Operation) -> Result<Option<TokenStream>> {
        let Some(Pagination {
            token,
            next_field,
            items: Some(items),
        }) = op.pagination.get("pagination")?
        else {
            return Ok(None);
        };
        let params = ident(&op.params_type);
        let signature = op.signature.get("signatures")?;
        let set = match token {
            PageToken::Query(index) => {
                let field = ident(signature.field(op, ArgSource::Param(*index)));
                quote!(self.#field = token;)
            }
            PageToken::Body(field) => {
                let body = ident(signature.field(op, ArgSource::Body));
                let field = ident(field);
                quote!(self.#body.#field = token;)
            }
        };
        let next = ident(next_field);
        let item = self.ty(&items.item, true);
        let list = ident(&items.field);
        Ok(Some(quote! {
            impl crate::Paginated for #params {
                type Item = #item;
                fn set_page_token(&mut self, token: Option<String>) {
                    #set
                }
                fn next_page_token(page: &Self::Output) -> Option<&str> {
                    page.#next.as_deref()
                }
                fn items(page: Self::Output) -> Vec<Self::Item> {
                    page.#list
                }
            }
        }))
    }

    /// The method's rustdoc: the operation's text, its endpoint, arguments,
    /// setters, paging and retries, and an example that compiles.
    fn method_doc(&self, group: &Group, op: &Operation, signature: &Signature) -> Result<String> {
        let mut out = String::new();
        if let Some(text) = &op.doc {
            for line in doc_lines(text) {
                out.push_str(&line);
                out.push('\n');
            }
            out.push('\n');
        }
        out.push_str(&format!("`{} {}`\n", op.method.to_uppercase(), op.path));
        let mut section = |title: &str, args: &[Arg], item: fn(&str) -> String| {
            if args.is_empty() {
                return;
            }
            out.push_str(&format!("\n# {title}\n\n"));
            for arg in args {
                let name = item(unraw(&arg.name));
                out.push_str(&format!("- {name}: {}\n", self.arg_doc(op, arg)));
            }
        };
        section("Arguments", &signature.args, |n| format!("`{n}`"));
        section(
            "Optional parameters\n\nSet on the returned [`Call`](crate::Call) before awaiting it:",
            &signature.setters,
            |n| format!("`.{n}(..)`"),
        );
        let paged = matches!(
            op.pagination.get("pagination")?,
            Some(Pagination { items: Some(_), .. })
        );
        if paged {
            out.push_str("\nIt pages: [`Call::pages`](crate::Call::pages) streams every page, [`Call::items`](crate::Call::items) every item.\n");
        }
        if op.response.is_some() && matches!(op.response_media, Media::Binary(_)) {
            out.push_str("\nIt answers with bytes: [`Call::stream`](crate::Call::stream) reads them chunk by chunk as they arrive, for downloads too large to hold in memory.\n");
        }
        out.push_str(match op.effect.retries() {
            Retries::Idempotent => "\nRetried (as the [`RetryPolicy`](crate::RetryPolicy) allows) on connection errors and on 429, 502, 503 and 504: sending it twice does no harm.\n",
            Retries::Unsent => "\nNot idempotent: retried only on 429 and 503 and when the connection could not be made, so it never runs twice.\n",
            Retries::Never => "\nNever retried: each call uses something up, so a second try could spend what the first did.\n",
        });
        if op.effect.sensitive {
            out.push_str("\nIts answer carries a secret: keep it out of logs.\n");
        }
        out.push_str("\n# Example\n\n");
        out.push_str(&self.example(group, op, signature, paged));
        Ok(out)
    }

    /// What an argument is, for the method's docs.
    fn arg_doc(&self, op: &Operation, arg: &Arg) -> String {
        match arg.source {
            ArgSource::Param(i) => param_doc(&op.params[i]).replace('\n', " "),
            ArgSource::Body => match (&arg.stored, op.body.as_ref().map(|b| &b.media)) {
                (RustType::Named(name), _) => {
                    format!("the request: [`{name}`](crate::models::{name}).")
                }
                (_, Some(Media::Binary(media) | Media::Text(media))) => {
                    format!("the request body, sent as `{media}`.")
                }
                (stored, _) => format!("the request: `{stored}`."),
            },
        }
    }

    /// A value of a required parameter for the example: its name for text,
    /// zero for numbers, an enum's first value, `Default::default()` where
    /// the type has one, else `todo!()`.
    fn example_value(&self, param: &crate::model::Param, stored: &RustType) -> String {
        let krate = self.crate_name.as_str();
        match (&param.ty, stored) {
            (_, RustType::Scalar(Scalar::String)) => format!("{:?}", param.wire_name),
            (_, RustType::Scalar(Scalar::Bool)) => "false".into(),
            (_, RustType::Scalar(Scalar::F32 | Scalar::F64)) => "0.0".into(),
            (
                _,
                RustType::Scalar(
                    Scalar::I32
                    | Scalar::I64
                    | Scalar::U32
                    | Scalar::U64
                    | Scalar::I64Str
                    | Scalar::U64Str,
                ),
            ) => "0".into(),
            (TypeRef::Named(id), _) => match &self.def(*id).kind {
                TypeKind::Enum(variants) if !variants.is_empty() => {
                    let def = self.def(*id);
                    format!("{krate}::models::{}::{}", def.name, variants[0].name)
                }
                _ if self.layout.default[id.0] => "Default::default()".into(),
                _ => "todo!()".into(),
            },
            (ty, _) if ty.has_default(&self.layout.default) => "Default::default()".into(),
            _ => "todo!()".into(),
        }
    }

    /// A `no_run` doctest that calls the operation.
    fn example(&self, group: &Group, op: &Operation, signature: &Signature, paged: bool) -> String {
        let krate = self.crate_name.as_str();
        let mut lines = vec![
            "```no_run".to_string(),
            format!("# async fn example(client: {krate}::Client) -> {krate}::Result<()> {{"),
        ];
        if paged {
            lines.push(format!("use {krate}::prelude::*;"));
        }
        let mut args = Vec::new();
        for arg in &signature.args {
            match arg.source {
                ArgSource::Body if !matches!(arg.stored, RustType::Named(_)) => {
                    let value = match &arg.stored {
                        RustType::Scalar(Scalar::Bytes) => "b\"file contents\".to_vec()",
                        RustType::Scalar(Scalar::String) => "String::from(\"text\")",
                        _ => "Default::default()",
                    };
                    lines.push(format!("let {} = {value};", unraw(&arg.name)));
                    args.push(unraw(&arg.name).to_string());
                }
                ArgSource::Body => {
                    let ty = format!("{krate}::models::{}", arg.stored);
                    let has_default = op
                        .body
                        .as_ref()
                        .and_then(|b| b.ty.named())
                        .is_some_and(|id| self.layout.default.get(id.0).copied().unwrap_or(false));
                    lines.push(if has_default {
                        format!("let {} = {ty}::default();", unraw(&arg.name))
                    } else {
                        format!("let {}: {ty} = todo!(\"the request\");", unraw(&arg.name))
                    });
                    args.push(unraw(&arg.name).to_string());
                }
                ArgSource::Param(i) => args.push(self.example_value(&op.params[i], &arg.stored)),
            }
        }
        let call = format!(
            "client.{}().{}({})",
            unraw(&group.module),
            unraw(&op.name),
            args.join(", ")
        );
        if paged {
            lines.push(format!("let mut items = {call}.items();"));
            lines.push("while let Some(item) = items.try_next().await? {".into());
            lines.push("    println!(\"{item:?}\");".into());
            lines.push("}".into());
        } else if op.response.is_some() {
            lines.push(format!("let response = {call}.await?;"));
            lines.push("println!(\"{response:?}\");".into());
        } else {
            lines.push(format!("{call}.await?;"));
        }
        lines.push("# Ok(())".into());
        lines.push("# }".into());
        lines.push("```".into());
        lines.join("\n")
    }
}

/// The group's expectations type (`AppsMock`, from `AppsApi`), its
/// methods, and its accessor on the mock server; all with the `testing`
/// feature only.
fn mock_type(group: &Group, expectations: &[TokenStream]) -> TokenStream {
    let api = &group.type_name;
    let mock = ident(&group.mock_type);
    let accessor = ident(&group.module);
    let type_doc = format!(
        " Expectations of the `{}` operations, one method per method of [`{api}`], with the same arguments: `mock.{}()`.",
        group.tag,
        unraw(&group.module)
    );
    let accessor_doc = format!(" Expectations of the `{}` operations.", group.tag);
    quote! {
        #[doc = #type_doc]
        #[cfg(feature = "testing")]
        #[derive(Debug, Clone, Copy)]
        pub struct #mock<'a> {
            mock: &'a crate::testing::MockServer,
        }
        #[cfg(feature = "testing")]
        impl<'a> #mock<'a> {
            #(#expectations)*
        }
        #[cfg(feature = "testing")]
        impl crate::testing::MockServer {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #mock<'_> {
                #mock { mock: self }
            }
        }
    }
}

/// The expectation method of an operation: the client method's arguments,
/// passed to it to build the call the server expects.
fn expectation(group: &Group, op: &Operation, signature: &Signature) -> TokenStream {
    let name = ident(&op.name);
    let params = ident(&op.params_type);
    let accessor = ident(&group.module);
    let args = signature.args.iter().map(|a| {
        let (arg, ty) = (ident(&a.name), rust(&a.ty, true));
        quote!(#arg: #ty)
    });
    let passed = signature.args.iter().map(|a| ident(&a.name));
    let text = format!(
        " Expects [`{}::{}`] with these arguments.",
        group.type_name,
        unraw(&op.name)
    );
    let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    quote! {
        #[doc = #text]
        #allow
        pub fn #name(&self, #(#args),*) -> crate::testing::Expectation<'a, #params> {
            self.mock.expect(self.mock.calls().#accessor().#name(#(#passed),*))
        }
    }
}

/// A parameter's description, or what it is.
fn param_doc(p: &crate::model::Param) -> String {
    let location = match p.location {
        Location::Path => "path parameter",
        Location::Query => "query parameter",
        Location::Header => "header",
        Location::Cookie => "cookie",
    };
    match &p.doc {
        Some(text) => doc_lines(text).join("\n"),
        None => format!("the `{}` {location}.", p.wire_name),
    }
}
