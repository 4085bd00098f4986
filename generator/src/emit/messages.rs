//! What protobuf messages give users beyond their fields: the type of the
//! `expanded` lists, the views' path resolvers and the update requests'
//! `from_changes` (all decided by the model's `expanded` and `masks` passes).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{ident, prose, Emitter};
use crate::error::Result;
use crate::model::{Field, MessageVariant, Resolver, Struct, TypeKind, UpdateMask};

impl Emitter<'_> {
    /// The enum of an `expanded` list's items: one variant per message, and
    /// one for anything else.
    pub(crate) fn any_message(
        &self,
        name: &Ident,
        docs: TokenStream,
        variants: &[MessageVariant],
    ) -> TokenStream {
        let other = format_ident!("{}", crate::model::protobuf::any_other(variants));
        let cases = variants.iter().map(|v| {
            let (case, ty) = (ident(&v.name), ident(&self.def(v.ty).name));
            let text = format!(" A `{}`.", v.full_name);
            quote!(#[doc = #text] #case(#ty),)
        });
        let type_names = variants.iter().map(|v| {
            let (case, full) = (ident(&v.name), &v.full_name);
            quote!(Self::#case(_) => Some(#full),)
        });
        let writes = variants.iter().map(|v| {
            let (case, full) = (ident(&v.name), &v.full_name);
            quote!(Self::#case(message) => wire::write_any(serializer, #full, message),)
        });
        let reads = variants.iter().map(|v| {
            let (case, full) = (ident(&v.name), &v.full_name);
            quote!(Some(#full) => wire::read_any(any).map_or_else(Self::#other, Self::#case),)
        });
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            // Variants hold messages whole, as users match on them.
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #(#cases)*
                #[doc = " An object of another type, or one that did not decode as its type, as it came"]
                #[doc = " (anything but an object is kept under the key `value`)."]
                #other(serde_json::Map<String, serde_json::Value>),
            }
            impl #name {
                #[doc = " The full name of the message's type (`c1.api.app.v1.App`), from its `@type`."]
                pub fn type_name(&self) -> Option<&str> {
                    match self {
                        #(#type_names)*
                        Self::#other(any) => wire::any_type_name(any),
                    }
                }
            }
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(#writes)*
                        Self::#other(any) => serde::Serialize::serialize(any, serializer),
                    }
                }
            }
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let any = wire::any_object(<serde_json::Value as serde::Deserialize>::deserialize(deserializer)?);
                    Ok(match wire::any_type_name(&any) {
                        #(#reads)*
                        _ => Self::#other(any),
                    })
                }
            }
        }
    }

    /// The methods a struct has besides its fields: path resolvers and
    /// `from_changes`.
    pub(crate) fn message_methods(&self, name: &Ident, s: &Struct) -> Result<Option<TokenStream>> {
        let resolvers = s
            .resolvers
            .iter()
            .map(|r| self.resolver(s, r))
            .collect::<Result<Vec<_>>>()?;
        let from_changes = s
            .update_mask
            .as_ref()
            .map(|m| self.changes_constructor(s, m))
            .transpose()?;
        if resolvers.is_empty() && from_changes.is_none() {
            return Ok(None);
        }
        Ok(Some(quote! {
            impl #name {
                #(#resolvers)*
                #from_changes
            }
        }))
    }

    /// `view.app(&response.expanded) -> Option<&App>`.
    fn resolver(&self, s: &Struct, r: &Resolver) -> Result<TokenStream> {
        let field = field(s, &r.field)?;
        let (method, path) = (ident(&r.method), ident(&field.name));
        let list = ident(&self.def(r.expanded).name);
        let path_value = match field.optional() {
            true => quote!(self.#path.as_deref()),
            false => quote!(Some(self.#path.as_str())),
        };
        let item = quote!(wire::expanded_item(#path_value, expanded));
        let allow = field.deprecated.then(|| quote!(#[allow(deprecated)]));
        let Some(target) = r.target else {
            let text = format!(
                "The object of the response's `expanded` list that `{}` points to. The spec does not say which type it is.",
                field.wire_name
            );
            let docs = prose(&text);
            return Ok(quote! {
                #docs
                #allow
                pub fn #method<'a>(&self, expanded: &'a [#list]) -> Option<&'a #list> {
                    #item
                }
            });
        };
        let target_def = self.def(target);
        let TypeKind::AnyMessage(variants) = &self.def(r.expanded).kind else {
            return Err(internal("a resolver's list is no Any type"));
        };
        let Some(variant) = variants.iter().find(|v| v.ty == target) else {
            return Err(internal("a resolver's type is no variant of its list"));
        };
        let (ty, case) = (ident(&target_def.name), ident(&variant.name));
        let text = format!(
            "The [`{}`] of the response's `expanded` list that `{}` points to; `None` when the path is unset or its object is not one.",
            target_def.name, field.wire_name
        );
        let docs = prose(&text);
        Ok(quote! {
            #docs
            #allow
            pub fn #method<'a>(&self, expanded: &'a [#list]) -> Option<&'a #ty> {
                match #item? {
                    #list::#case(message) => Some(message),
                    _ => None,
                }
            }
        })
    }

    /// `Request::from_changes(&before, &after)`: the update of the fields
    /// that differ.
    fn changes_constructor(&self, s: &Struct, m: &UpdateMask) -> Result<TokenStream> {
        let compared = self.def(m.compared);
        let TypeKind::Struct(compared_struct) = &compared.kind else {
            return Err(internal("an update mask compares no struct"));
        };
        let mut deprecated = false;
        let checks = m
            .fields
            .iter()
            .map(|(name, wire)| {
                deprecated |= field(compared_struct, name)?.deprecated;
                let name = ident(name);
                Ok(quote!(if before.#name != after.#name { changed.push(#wire); }))
            })
            .collect::<Result<Vec<_>>>()?;
        let mask_field = field(s, &m.mask_field)?;
        let mask = ident(&mask_field.name);
        let mask_value = match mask_field.optional() {
            true => quote!(Some(changed.join(","))),
            false => quote!(changed.join(",")),
        };
        let (ty, build, what) = match &m.message {
            Some(message) => {
                let message_field = field(s, message)?;
                let name = ident(&message_field.name);
                let boxed = *message_field.boxed.get("boxed fields")?;
                // An input type converts from the full one; the full one is it.
                let value = match message_field.ty.named() == Some(m.compared) {
                    true => quote!(after.clone()),
                    false => quote!(after.clone().into()),
                };
                let value = match boxed {
                    true => quote!(Box::new(#value)),
                    false => value,
                };
                let value = match message_field.optional() {
                    true => quote!(Some(#value)),
                    false => value,
                };
                let ty = ident(&compared.name);
                let rest = (s.fields.len() > 2).then(|| quote!(..Self::default()));
                let build = quote!(Self { #name: #value, #mask: #mask_value, #rest });
                let what = format!("`{}` set to `after`", message_field.wire_name);
                (quote!(#ty), build, what)
            }
            None => {
                let build = quote!(Self { #mask: #mask_value, ..after.clone() });
                (quote!(Self), build, "`after`".to_string())
            }
        };
        let text = format!(
            "An update with {what} and its `{}` naming the writable fields in which `after` differs from `before` (in field order; a nested message by its own field), so that only those change. When nothing differs the mask is empty, which the API may read as \"every field\": compare before sending if that matters.",
            mask_field.wire_name
        );
        let docs = prose(&text);
        let allow = deprecated.then(|| quote!(#[allow(deprecated)]));
        Ok(quote! {
            #docs
            #allow
            pub fn from_changes(before: &#ty, after: &#ty) -> Self {
                let mut changed: Vec<&str> = Vec::new();
                #(#checks)*
                #build
            }
        })
    }
}

/// The field of `s` with this Rust name.
fn field<'s>(s: &'s Struct, name: &str) -> Result<&'s Field> {
    s.fields
        .iter()
        .find(|f| f.name == name)
        .ok_or_else(|| internal(&format!("no field `{name}`")))
}

fn internal(what: &str) -> crate::error::Error {
    crate::model::model_error(
        &crate::error::Pointer::root(),
        format!("internal error: {what}"),
    )
}
