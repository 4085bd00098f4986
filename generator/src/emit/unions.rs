//! Unions (`oneOf`/`anyOf`): an enum with a variant per member. A tagged
//! union reads its tag and decodes the member it names (an unknown tag is
//! kept whole); an untagged one tries its members in the model's order.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::models::{apply, wire_in, wire_out};
use super::{doc, ident, rust, Emitter};
use crate::error::{Pointer, Result};
use crate::model::{rust_type, Encoding, RustType, TypeKind, TypeRef, Union, UnionVariant};

impl Emitter<'_> {
    /// The enum of a union, with its serde impls and a `From` per member
    /// whose type is a struct, enum or union no other member has.
    pub(crate) fn union(&self, name: &Ident, docs: TokenStream, u: &Union) -> Result<TokenStream> {
        let mut cases = Vec::new();
        let mut writes = Vec::new();
        let mut froms = Vec::new();
        for v in &u.variants {
            let case = ident(&v.name);
            let ty = self.variant_type(v)?;
            let docs = doc(Some(&self.variant_doc(u, v)));
            cases.push(quote!(#docs #case(#ty),));
            let value = wire_out(v.encoding, quote!(value));
            writes.push(match (&u.tag, v.tags.first()) {
                (Some(tag), Some(first)) => {
                    quote!(Self::#case(value) => wire::write_tagged(serializer, #tag, #first, #value),)
                }
                _ => quote!(Self::#case(value) => serde::Serialize::serialize(#value, serializer),),
            });
            froms.extend(self.conversion(name, u, v)?);
        }
        let read = match &u.tag {
            Some(tag) => read_tagged(name, tag, u),
            None => try_each(name, &u.variants.iter().collect::<Vec<_>>()),
        };
        let other = u.other.as_ref().map(|other| {
            let other = ident(other);
            let text = format!(
                " A value whose `{}` no member of this crate has, as it came.",
                u.tag.as_deref().unwrap_or("")
            );
            writes.push(
                quote!(Self::#other(value) => serde::Serialize::serialize(value, serializer),),
            );
            quote!(#[doc = #text] #other(serde_json::Value),)
        });
        let input_from = self.union_input_from(name, u)?;
        Ok(quote! {
            #docs
            #[derive(Debug, Clone, PartialEq)]
            // Variants hold their members whole, as users match on them.
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #(#cases)*
                #other
            }
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(#writes)*
                    }
                }
            }
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                    #read
                }
            }
            #(#froms)*
            #input_from
        })
    }

    /// `impl From<Full> for FullInput` of a union's request-body variant:
    /// each member converted to its input.
    fn union_input_from(&self, name: &Ident, u: &Union) -> Result<Option<TokenStream>> {
        let Some(full_id) = u.input_of else {
            return Ok(None);
        };
        let full = self.def(full_id);
        let full_name = ident(&full.name);
        let TypeKind::Union(full_union) = &full.kind else {
            let message = format!(
                "internal error: `{name}` is the input of `{}`, which is no union",
                full.name
            );
            return Err(crate::model::model_error(&Pointer::root(), message));
        };
        let mut arms = Vec::new();
        for (source, v) in full_union.variants.iter().zip(&u.variants) {
            let case = ident(&v.name);
            let boxes = (
                *source.boxed.get("boxed variants")?,
                *v.boxed.get("boxed variants")?,
            );
            let value = apply(quote!(value), &source.ty, &v.ty, boxes);
            arms.push(quote!(#full_name::#case(value) => Self::#case(#value),));
        }
        if let Some(other) = &u.other {
            let other = ident(other);
            arms.push(quote!(#full_name::#other(value) => Self::#other(value),));
        }
        let doc = format!(" The member of a [`{}`], ready to send.", full.name);
        Ok(Some(quote! {
            impl From<#full_name> for #name {
                #[doc = #doc]
                fn from(value: #full_name) -> Self {
                    match value {
                        #(#arms)*
                    }
                }
            }
        }))
    }

    /// A variant's rustdoc: the member's description, else the tag values
    /// that select it, else its type.
    fn variant_doc(&self, u: &Union, v: &UnionVariant) -> String {
        match (&v.doc, &u.tag) {
            (Some(text), _) => text.clone(),
            (None, Some(tag)) if !v.tags.is_empty() => {
                let values: Vec<String> = v.tags.iter().map(|t| format!("`\"{t}\"`")).collect();
                format!("`{tag}` is {}.", values.join(" or "))
            }
            (None, _) => format!("A value of type `{}`.", rust_type(&self.api.types, &v.ty)),
        }
    }

    /// `impl From<Member> for Union`, for a member whose type is a named
    /// type other than an alias (two of those are never the same Rust type,
    /// so the impls cannot overlap) that no other member has.
    fn conversion(&self, name: &Ident, u: &Union, v: &UnionVariant) -> Result<Option<TokenStream>> {
        let named =
            matches!(v.ty, TypeRef::Named(id) if !matches!(self.def(id).kind, TypeKind::Alias(_)));
        let once = u.variants.iter().filter(|o| o.ty == v.ty).count() == 1;
        if !(named && once) {
            return Ok(None);
        }
        let case = ident(&v.name);
        let wrap = match *v.boxed.get("boxed variants")? {
            true => quote!(Box::new(value)),
            false => quote!(value),
        };
        let inner = self.ty(&v.ty, true);
        Ok(Some(quote! {
            impl From<#inner> for #name {
                fn from(value: #inner) -> Self {
                    Self::#case(#wrap)
                }
            }
        }))
    }

    /// The Rust type a variant holds (boxed where the member contains the union).
    fn variant_type(&self, v: &UnionVariant) -> Result<TokenStream> {
        let mut ty = rust_type(&self.api.types, &v.ty);
        if *v.boxed.get("boxed variants")? {
            ty = RustType::Box(Box::new(ty));
        }
        Ok(rust(&ty, true))
    }
}

/// Reads the tag and decodes the member it names; members that share a
/// tag value are tried in order.
fn read_tagged(name: &Ident, tag: &str, u: &Union) -> TokenStream {
    let mut by_tag: Vec<(&str, Vec<&UnionVariant>)> = Vec::new();
    for v in &u.variants {
        for value in &v.tags {
            match by_tag.iter_mut().find(|(t, _)| t == value) {
                Some((_, members)) => members.push(v),
                None => by_tag.push((value, vec![v])),
            }
        }
    }
    let arms = by_tag.iter().map(|(value, members)| match &members[..] {
        [v] => {
            let case = ident(&v.name);
            let read = read_value(v.encoding);
            quote!(Some(#value) => #read.map(Self::#case),)
        }
        several => {
            let tries = try_each(name, several);
            quote!(Some(#value) => { #tries })
        }
    });
    let fallback = match &u.other {
        Some(other) => {
            let other = ident(other);
            quote!(_ => Ok(Self::#other(value)),)
        }
        None => {
            let text = format!("no member of `{name}` has this `{tag}`");
            quote!(_ => Err(serde::de::Error::custom(#text)),)
        }
    };
    quote! {
        let member = match wire::union_tag(&value, #tag) {
            #(#arms)*
            #fallback
        };
        member.map_err(serde::de::Error::custom)
    }
}

/// Statements that return the first member `value` decodes as, trying them
/// in order, ending in an error naming each member's reason.
fn try_each(name: &Ident, members: &[&UnionVariant]) -> TokenStream {
    let tries = members.iter().map(|v| {
        let case = ident(&v.name);
        let label = &v.name;
        let read = read_value(v.encoding);
        quote! {
            match #read {
                Ok(member) => return Ok(Self::#case(member)),
                Err(e) => tried.push((#label, e)),
            }
        }
    });
    let label = name.to_string();
    quote! {
        let mut tried = Vec::new();
        #(#tries)*
        Err(wire::no_member(#label, &tried))
    }
}

/// Decodes `value` as a member (through its wire format, if it has one).
fn read_value(encoding: Option<Encoding>) -> TokenStream {
    match wire_in(encoding) {
        Some(wrapper) => quote!(<#wrapper as serde::Deserialize>::deserialize(&value).map(|v| v.0)),
        None => quote!(serde::Deserialize::deserialize(&value)),
    }
}
