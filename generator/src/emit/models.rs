//! The `models` modules: one file per protobuf package, each type with
//! hand-rolled serde impls (see [`Emitter::serde_impls`] for why).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{doc, ident, prose, type_doc, Emitter};
use crate::error::{Error, Result};
use crate::model::{Api, Field, Struct, TypeDef, TypeId, TypeKind, TypeRef, Variant};
use crate::names::{snake, unraw};

/// The models module of each type: its package without the prefix shared by
/// all packages that begin with the same two segments (`c1.api.iam.v1` ->
/// `iam_v1`), keeping at least two segments; types outside any package go to
/// `types`.
pub(crate) fn modules(api: &Api) -> Vec<String> {
    let split = |p: &str| -> Vec<String> {
        p.split('.')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let family = |segments: &[String]| {
        segments
            .iter()
            .take(2)
            .cloned()
            .collect::<Vec<_>>()
            .join(".")
    };
    let mut shared: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for segments in api
        .types
        .iter()
        .map(|t| split(&t.package))
        .filter(|p| !p.is_empty())
    {
        shared
            .entry(family(&segments))
            .and_modify(|prefix| {
                let len = prefix
                    .iter()
                    .zip(&segments)
                    .take_while(|(a, b)| a == b)
                    .count();
                prefix.truncate(len);
            })
            .or_insert(segments);
    }
    api.types
        .iter()
        .map(|t| {
            let segments = split(&t.package);
            if segments.is_empty() {
                return "types".to_string();
            }
            let start = shared[&family(&segments)]
                .len()
                .min(segments.len().saturating_sub(2));
            snake(&segments[start..].join("_"))
        })
        .collect()
}

/// The named types a type refers to: its fields', its alias target, and the
/// full type an input type converts from.
fn references(def: &TypeDef) -> Vec<TypeId> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| f.ty.named())
            .chain(s.input_of)
            .collect(),
        TypeKind::Alias(ty) => ty.named().into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// For each models module, the operation groups (cargo features) that need
/// it: those whose operations reach one of its types, or reach a module that
/// refers to it. `None` when every group needs it; an empty list when none
/// does (it is built with the `full` feature only).
pub(crate) fn module_features(
    api: &Api,
    modules: &[String],
) -> BTreeMap<String, Option<Vec<String>>> {
    let mut depends: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (id, def) in api.types.iter().enumerate() {
        let entry = depends.entry(modules[id].as_str()).or_default();
        entry.extend(references(def).into_iter().map(|t| modules[t.0].as_str()));
    }
    let mut needed: BTreeMap<&str, Vec<String>> =
        depends.keys().map(|m| (*m, Vec::new())).collect();
    for group in &api.groups {
        let roots = group.operations.iter().flat_map(|op| {
            let params = op
                .path_params
                .iter()
                .chain(&op.query_params)
                .filter_map(|p| p.ty.named());
            params
                .chain(op.body.as_ref().and_then(|b| b.ty.named()))
                .chain(op.response.as_ref().and_then(TypeRef::named))
        });
        let mut stack: Vec<&str> = roots.map(|t| modules[t.0].as_str()).collect();
        let mut seen = BTreeSet::new();
        while let Some(module) = stack.pop() {
            if seen.insert(module) {
                stack.extend(depends.get(module).into_iter().flatten().copied());
            }
        }
        for module in seen {
            if let Some(groups) = needed.get_mut(module) {
                groups.push(group.module.clone());
            }
        }
    }
    needed
        .into_iter()
        .map(|(module, groups)| {
            let all = !api.groups.is_empty() && groups.len() == api.groups.len();
            (module.to_string(), (!all).then_some(groups))
        })
        .collect()
}

/// `#[cfg(...)]` for a module needed by `features` (see [`module_features`]).
pub(crate) fn cfg(features: &Option<Vec<String>>) -> TokenStream {
    match features {
        None => TokenStream::new(),
        Some(groups) if groups.is_empty() => quote!(#[cfg(feature = "full")]),
        Some(groups) if groups.len() == 1 => {
            let name = unraw(&groups[0]);
            quote!(#[cfg(feature = #name)])
        }
        Some(groups) => {
            let names = groups.iter().map(|g| unraw(g));
            quote!(#[cfg(any(#(feature = #names),*))])
        }
    }
}

/// The wire encoding a value needs beyond serde's defaults, and in which container.
enum Wire {
    Scalar(TokenStream),
    Seq(TokenStream),
    Map(TokenStream),
}

/// The `crate::wire` format of a scalar, if it has one.
fn format_of(ty: &TypeRef) -> Option<TokenStream> {
    Some(match ty {
        TypeRef::DateTime => quote!(wire::Timestamp),
        TypeRef::I64Str => quote!(wire::Int64),
        TypeRef::U64Str => quote!(wire::Uint64),
        TypeRef::Duration => quote!(wire::Duration),
        TypeRef::Bytes => quote!(wire::Bytes),
        _ => return None,
    })
}

fn wire_of(ty: &TypeRef) -> std::result::Result<Option<Wire>, ()> {
    if let Some(format) = format_of(ty) {
        return Ok(Some(Wire::Scalar(format)));
    }
    match ty {
        TypeRef::Vec(inner) | TypeRef::Map(inner) => match (format_of(inner), wire_of(inner)?) {
            (Some(format), _) if matches!(ty, TypeRef::Vec(_)) => Ok(Some(Wire::Seq(format))),
            (Some(format), _) => Ok(Some(Wire::Map(format))),
            (None, None) => Ok(None),
            (None, Some(_)) => Err(()),
        },
        _ => Ok(None),
    }
}

impl Emitter<'_> {
    /// The models modules and their types, sorted by name.
    pub(crate) fn model_modules(&self) -> Vec<(String, Vec<TypeId>)> {
        let mut by_module: BTreeMap<&str, Vec<TypeId>> = BTreeMap::new();
        for (id, module) in self.modules.iter().enumerate() {
            by_module
                .entry(module.as_str())
                .or_default()
                .push(TypeId(id));
        }
        by_module
            .into_iter()
            .map(|(module, mut ids)| {
                ids.sort_by(|a, b| self.def(*a).name.cmp(&self.def(*b).name));
                (module.to_string(), ids)
            })
            .collect()
    }

    /// `src/models/mod.rs`: the modules, each behind the features that need
    /// it, and their types re-exported.
    pub(crate) fn models_root(&self, modules: &[(String, Vec<TypeId>)]) -> TokenStream {
        let declarations = modules.iter().map(|(module, _)| {
            let name = ident(module);
            let gate = cfg(&self.module_features[module]);
            quote! {
                #gate
                mod #name;
                #gate
                pub use #name::*;
            }
        });
        quote! {
            #![doc = " Request and response types of the API."]
            #![doc = ""]
            #![doc = " One module per protobuf package; every type is re-exported here."]
            #(#declarations)*
        }
    }

    /// One models module.
    pub(crate) fn models_module(&self, module: &str, ids: &[TypeId]) -> Result<TokenStream> {
        let items = ids
            .iter()
            .map(|id| self.type_def(*id))
            .collect::<Result<Vec<_>>>()?;
        let package = &self.def(ids[0]).package;
        let module_doc = format!(" Types of the `{package}` package.");
        let foreign = ids
            .iter()
            .flat_map(|id| references(self.def(*id)))
            .any(|t| self.modules[t.0] != module);
        let uses_super = foreign.then(|| {
            quote!(
                use super::*;
            )
        });
        let structs = ids
            .iter()
            .any(|id| matches!(&self.def(*id).kind, TypeKind::Struct(_)));
        let uses_wire = structs.then(|| {
            quote!(
                use crate::wire;
            )
        });
        Ok(quote! {
            #![doc = #module_doc]
            #uses_super
            #uses_wire
            #(#items)*
        })
    }

    fn type_def(&self, id: TypeId) -> Result<TokenStream> {
        let def = self.def(id);
        let name = ident(&def.name);
        let docs = doc(Some(&type_doc(def)));
        Ok(match &def.kind {
            TypeKind::Alias(ty) => {
                let ty = self.ty(ty, false);
                quote!(#docs pub type #name = #ty;)
            }
            TypeKind::Enum(variants) => enumeration(&name, docs, variants),
            TypeKind::Struct(s) => {
                let tokens = self.structure(def, s, self.has_default[id.0])?;
                let from = s.input_of.map(|full| self.input_from(&name, s, full));
                quote!(#tokens #from)
            }
        })
    }

    fn structure(&self, def: &TypeDef, s: &Struct, default: bool) -> Result<TokenStream> {
        let name = ident(&def.name);
        let mut docs = doc(Some(&type_doc(def)));
        if let Some(full) = s.input_of {
            let note = format!(
                "\nThe writable fields of [`{}`], as sent in requests.",
                self.def(full).name
            );
            docs.extend(prose(&note));
        }
        let derive_default = default.then(|| quote!(Default,));
        let fields = s.fields.iter().map(|f| self.field(f));
        let serde = self.serde_impls(def, s)?;
        let allow = s
            .fields
            .iter()
            .any(|f| f.deprecated)
            .then(|| quote!(#[allow(deprecated)]));
        Ok(quote! {
            #docs
            #allow
            #[derive(Debug, Clone, PartialEq, #derive_default)]
            pub struct #name {
                #(#fields)*
            }
            #serde
        })
    }

    fn field(&self, f: &Field) -> TokenStream {
        let name = ident(&f.name);
        let fallback = format!("The `{}` property.", f.wire_name);
        let docs = doc(Some(f.doc.as_deref().unwrap_or(&fallback)));
        let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
        let ty = self.field_ty(f);
        quote! {
            #docs
            #deprecated
            pub #name: #ty,
        }
    }

    fn field_ty(&self, f: &Field) -> TokenStream {
        let mut ty = self.ty(&f.ty, false);
        if f.boxed {
            ty = quote!(Box<#ty>);
        }
        if f.optional() {
            ty = quote!(Option<#ty>);
        }
        ty
    }

    /// `Serialize` and `Deserialize` for a struct, written out rather than
    /// derived: a JSON object written field by field (absent `None`s left
    /// out) and read by one `match` on the key (unknown keys skipped). This
    /// is a fraction of what `#[derive]` expands to (no field-identifier
    /// enum, no sequence form, no duplicate tracking), which is what keeps
    /// `cargo check` of the whole API within its budget.
    fn serde_impls(&self, def: &TypeDef, s: &Struct) -> Result<TokenStream> {
        let name = ident(&def.name);
        let mut entries = Vec::new();
        let mut locals = Vec::new();
        let mut arms = Vec::new();
        let mut inits = Vec::new();
        let mut fields_arms = Vec::new();
        for f in &s.fields {
            let wire_name = &f.wire_name;
            let field = ident(&f.name);
            let local = match unraw(&f.name) {
                "map" | "key" => format_ident!("{}_", unraw(&f.name)),
                _ => field.clone(),
            };
            let wire = wire_of(&f.ty).map_err(|()| Error::Model {
                file: None,
                line: None,
                pointer: format!("{}/properties/{}", def.wire_name, f.wire_name),
                message: "nested arrays or maps of protobuf-encoded values are not supported"
                    .into(),
            })?;
            let out = |value: TokenStream| match &wire {
                None => value,
                Some(Wire::Scalar(format)) => quote!(&wire::Out::<#format>(#value)),
                Some(Wire::Seq(format)) => quote!(&wire::OutSeq::<#format>(#value)),
                Some(Wire::Map(format)) => quote!(&wire::OutMap::<#format>(#value)),
            };
            let read_as = match &wire {
                None => None,
                Some(Wire::Scalar(format)) => Some(quote!(wire::In<#format>)),
                Some(Wire::Seq(format)) => Some(quote!(wire::InSeq<#format>)),
                Some(Wire::Map(format)) => Some(quote!(wire::InMap<#format>)),
            };
            entries.push(if !f.required {
                let value = out(quote!(value));
                quote!(if let Some(value) = &self.#field { map.serialize_entry(#wire_name, #value)?; })
            } else if f.optional() && wire.is_some() {
                let value = out(quote!(value));
                quote! {
                    match &self.#field {
                        Some(value) => map.serialize_entry(#wire_name, #value)?,
                        None => map.serialize_entry(#wire_name, &None::<()>)?,
                    }
                }
            } else {
                let value = out(quote!(&self.#field));
                quote!(map.serialize_entry(#wire_name, #value)?;)
            });
            locals.push(quote!(let mut #local = None;));
            fields_arms.push(match &read_as {
                None => quote!(#wire_name => self.#field = map.next_value()?,),
                Some(read) => quote!(#wire_name => self.#field = map.next_value::<Option<#read>>()?.map(|v| v.0),),
            });
            arms.push(match (f.optional(), read_as) {
                (true, None) => quote!(#wire_name => #local = map.next_value()?,),
                (false, None) => quote!(#wire_name => #local = Some(map.next_value()?),),
                (true, Some(read)) => {
                    quote!(#wire_name => #local = map.next_value::<Option<#read>>()?.map(|v| v.0),)
                }
                (false, Some(read)) => {
                    quote!(#wire_name => #local = Some(map.next_value::<#read>()?.0),)
                }
            });
            inits.push(if f.optional() && local == field {
                quote!(#field)
            } else if f.optional() {
                quote!(#field: #local)
            } else {
                quote!(#field: #local.ok_or_else(|| serde::de::Error::missing_field(#wire_name))?)
            });
        }
        let expecting = format!("a {} object", def.name);
        let read_fields = quote! {
            #(#locals)*
            while let Some(key) = map.next_key::<wire::Key>()? {
                match key.as_str() {
                    #(#arms)*
                    _ => {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
            }
            Ok(#name { #(#inits),* })
        };
        let allow = s
            .fields
            .iter()
            .any(|f| f.deprecated)
            .then(|| quote!(#[allow(deprecated)]));
        let serialize_body = if s.fields.is_empty() {
            quote!(serializer.serialize_map(Some(0))?.end())
        } else {
            quote! {
                let mut map = serializer.serialize_map(None)?;
                #(#entries)*
                map.end()
            }
        };
        let serialize = quote! {
            #allow
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    use serde::ser::SerializeMap;
                    #serialize_body
                }
            }
        };
        // A struct whose fields are all optional starts from its default and
        // reads the fields present; the shared visitor is in the runtime.
        if s.fields.iter().all(Field::optional) {
            let read_field = if s.fields.is_empty() {
                quote! {
                    fn read_field<'de, A: serde::de::MapAccess<'de>>(&mut self, _key: &str, map: &mut A) -> Result<(), A::Error> {
                        map.next_value::<serde::de::IgnoredAny>().map(drop)
                    }
                }
            } else {
                quote! {
                    fn read_field<'de, A: serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                        match key {
                            #(#fields_arms)*
                            _ => {
                                map.next_value::<serde::de::IgnoredAny>()?;
                            }
                        }
                        Ok(())
                    }
                }
            };
            let type_name = def.name.as_str();
            return Ok(quote! {
                #serialize
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        wire::read_object(deserializer, #type_name)
                    }
                }
                #allow
                impl wire::ReadFields for #name {
                    #read_field
                }
            });
        }
        Ok(quote! {
            #serialize
            #allow
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    struct Visitor;
                    impl<'de> serde::de::Visitor<'de> for Visitor {
                        type Value = #name;
                        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                            f.write_str(#expecting)
                        }
                        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                            #read_fields
                        }
                    }
                    deserializer.deserialize_map(Visitor)
                }
            }
        })
    }
    /// `impl From<Full> for FullInput`, copying the writable fields.
    fn input_from(&self, name: &Ident, input: &Struct, full_id: TypeId) -> TokenStream {
        let full = self.def(full_id);
        let full_name = ident(&full.name);
        let TypeKind::Struct(full_struct) = &full.kind else {
            return TokenStream::new();
        };
        let fields = input.fields.iter().filter_map(|f| {
            let source = full_struct
                .fields
                .iter()
                .find(|g| g.wire_name == f.wire_name)?;
            let field = ident(&f.name);
            let value = convert(quote!(value.#field), source, f);
            Some(quote!(#field: #value,))
        });
        let doc = format!(
            " Keeps the writable fields of a [`{}`], ready to send.",
            full.name
        );
        // An input with no writable fields ignores the value.
        let value = if input.fields.is_empty() {
            format_ident!("_value")
        } else {
            format_ident!("value")
        };
        let allow = input
            .fields
            .iter()
            .any(|f| f.deprecated)
            .then(|| quote!(#[allow(deprecated)]));
        quote! {
            #allow
            impl From<#full_name> for #name {
                #[doc = #doc]
                fn from(#value: #full_name) -> Self {
                    Self { #(#fields)* }
                }
            }
        }
    }
}

/// A string enum with an `Unknown` case for values added to the API later,
/// and serde impls that read and write the value as a string.
fn enumeration(name: &Ident, docs: TokenStream, variants: &[Variant]) -> TokenStream {
    let cases = variants.iter().map(|v| {
        let case = ident(&v.name);
        let text = format!(" `{}`", v.wire_name);
        quote!(#[doc = #text] #case,)
    });
    let to_wire = variants.iter().map(|v| {
        let case = ident(&v.name);
        let wire = &v.wire_name;
        quote!(Self::#case => #wire,)
    });
    let from_wire = variants.iter().map(|v| {
        let case = ident(&v.name);
        let wire = &v.wire_name;
        quote!(#wire => Self::#case,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#cases)*
            #[doc = " A value this version of the crate does not know, kept as received."]
            Unknown(String),
        }
        impl #name {
            #[doc = " The value as the API spells it."]
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::Unknown(value) => value,
                }
            }
        }
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(match value.as_str() {
                    #(#from_wire)*
                    _ => Self::Unknown(value),
                })
            }
        }
    }
}

/// The expression that turns `value` (of the full field's type) into the input field's type.
fn convert(value: TokenStream, full: &Field, input: &Field) -> TokenStream {
    if full.ty == input.ty && full.boxed == input.boxed {
        return value;
    }
    let boxes = (full.boxed, input.boxed);
    if full.optional() {
        let f = callable(&full.ty, &input.ty, boxes);
        quote!(#value.map(#f))
    } else {
        apply(value, &full.ty, &input.ty, boxes)
    }
}

/// A function (path or closure) converting one value.
fn callable(full: &TypeRef, input: &TypeRef, boxes: (bool, bool)) -> TokenStream {
    if matches!(full, TypeRef::Named(_)) && boxes == (false, false) {
        return quote!(Into::into);
    }
    let body = apply(quote!(v), full, input, boxes);
    quote!(|v| #body)
}

fn apply(value: TokenStream, full: &TypeRef, input: &TypeRef, boxes: (bool, bool)) -> TokenStream {
    match (full, input) {
        _ if full == input && boxes.0 == boxes.1 => value,
        (TypeRef::Vec(f), TypeRef::Vec(i)) => {
            let each = callable(f, i, (false, false));
            quote!(#value.into_iter().map(#each).collect())
        }
        (TypeRef::Map(f), TypeRef::Map(i)) => {
            let each = apply(quote!(v), f, i, (false, false));
            quote!(#value.into_iter().map(|(k, v)| (k, #each)).collect())
        }
        _ => {
            let inner = if boxes.0 { quote!((*#value)) } else { value };
            if boxes.1 {
                quote!(Box::new(#inner.into()))
            } else {
                quote!(#inner.into())
            }
        }
    }
}
