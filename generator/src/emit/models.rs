//! The `models` modules: one file per protobuf package, each type with
//! hand-rolled serde impls (see [`Emitter::serde_impls`] for why).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{doc, ident, prose, rust, type_doc, Emitter};
use crate::error::{Pointer, Result};
use crate::model::protobuf::catch_all;
use crate::model::{field_type, Encoding, Features, Field, ModelModule, Struct, TypeDef, TypeId};
use crate::model::{TypeKind, TypeRef, Variant};
use crate::names::{unraw, Namespace};

/// `#[cfg(...)]` for a module built with `features`.
pub(crate) fn cfg(features: &Features) -> TokenStream {
    match features {
        Features::Always => TokenStream::new(),
        Features::FullOnly => quote!(#[cfg(feature = "full")]),
        Features::Groups(groups) if groups.len() == 1 => {
            let name = unraw(&groups[0]);
            quote!(#[cfg(feature = #name)])
        }
        Features::Groups(groups) => {
            let names = groups.iter().map(|g| unraw(g));
            quote!(#[cfg(any(#(feature = #names),*))])
        }
    }
}

impl Emitter<'_> {
    /// `src/models/mod.rs`: the modules, each behind the features that need
    /// it, and their types re-exported.
    pub(crate) fn models_root(&self) -> TokenStream {
        let declarations = self.layout.modules.iter().map(|module| {
            let name = ident(&module.name);
            let gate = cfg(&module.features);
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
    pub(crate) fn models_module(&self, module: &ModelModule) -> Result<TokenStream> {
        let items = module
            .types
            .iter()
            .map(|id| self.type_def(*id))
            .collect::<Result<Vec<_>>>()?;
        let module_doc = format!(" Types of the `{}` package.", module.package);
        let uses_super = module.uses_others.then(|| {
            quote!(
                use super::*;
            )
        });
        let reads_json = module.types.iter().any(|id| {
            matches!(
                &self.def(*id).kind,
                TypeKind::Struct(_) | TypeKind::AnyMessage(_) | TypeKind::Union(_)
            )
        });
        let uses_wire = reads_json.then(|| {
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
            TypeKind::AnyMessage(variants) => self.any_message(&name, docs, variants),
            TypeKind::Union(u) => self.union(&name, docs, u)?,
            TypeKind::Struct(s) => {
                let fields = self.serde_fields(s)?;
                let tokens = self.structure(def, s, &fields, self.layout.default[id.0]);
                let from = s
                    .input_of
                    .map(|full| self.input_from(&name, &fields, full))
                    .transpose()?;
                let methods = self.message_methods(&name, s)?;
                quote!(#tokens #from #methods)
            }
        })
    }

    /// The one description of each field that the struct, both serde
    /// directions and the input conversion are rendered from.
    fn serde_fields<'f>(&self, s: &'f Struct) -> Result<Vec<SerdeField<'f>>> {
        let mut locals = Namespace::new(RESERVED_LOCALS, "_");
        for f in &s.fields {
            locals.insert(&f.name);
        }
        s.fields
            .iter()
            .map(|f| {
                let boxed = *f.boxed.get("boxed fields")?;
                let local = match unraw(&f.name) {
                    name if RESERVED_LOCALS.contains(&name) => ident(&locals.claim(name)),
                    _ => ident(&f.name),
                };
                Ok(SerdeField {
                    field: f,
                    ident: ident(&f.name),
                    local,
                    ty: rust(&field_type(&self.api.types, f, boxed), false),
                    boxed,
                })
            })
            .collect()
    }

    fn structure(
        &self,
        def: &TypeDef,
        s: &Struct,
        fields: &[SerdeField],
        default: bool,
    ) -> TokenStream {
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
        let declarations = fields.iter().map(SerdeField::declaration);
        let serde = serde_impls(def, fields);
        let allow = allow_deprecated(fields);
        quote! {
            #docs
            #allow
            #[derive(Debug, Clone, PartialEq, #derive_default)]
            pub struct #name {
                #(#declarations)*
            }
            #serde
        }
    }

    /// `impl From<Full> for FullInput`, copying the writable fields.
    fn input_from(
        &self,
        name: &Ident,
        input: &[SerdeField],
        full_id: TypeId,
    ) -> Result<TokenStream> {
        let full = self.def(full_id);
        let full_name = ident(&full.name);
        let TypeKind::Struct(full_struct) = &full.kind else {
            let message = format!(
                "internal error: `{name}` is the input of `{}`, which is no struct",
                full.name
            );
            return Err(crate::model::model_error(&Pointer::root(), message));
        };
        let mut fields = Vec::new();
        for f in input {
            let Some(source) = full_struct
                .fields
                .iter()
                .find(|g| g.wire_name == f.field.wire_name)
            else {
                continue;
            };
            let field = &f.ident;
            let boxes = (*source.boxed.get("boxed fields")?, f.boxed);
            let value = convert(quote!(value.#field), source, f.field, boxes);
            fields.push(quote!(#field: #value,));
        }
        let doc = format!(
            " Keeps the writable fields of a [`{}`], ready to send.",
            full.name
        );
        // An input with no writable fields ignores the value.
        let value = if input.is_empty() {
            format_ident!("_value")
        } else {
            format_ident!("value")
        };
        let allow = allow_deprecated(input);
        Ok(quote! {
            #allow
            impl From<#full_name> for #name {
                #[doc = #doc]
                fn from(#value: #full_name) -> Self {
                    Self { #(#fields)* }
                }
            }
        })
    }
}

/// The names the deserializer's own variables take; a field's local
/// variable is renamed where it would be one of them.
const RESERVED_LOCALS: [&str; 2] = ["map", "key"];

/// One field as the struct and its serde impls see it.
struct SerdeField<'f> {
    field: &'f Field,
    /// The field's identifier.
    ident: Ident,
    /// The deserializer's variable for it: the field's name unless that is
    /// one of [`RESERVED_LOCALS`], then a name no field has.
    local: Ident,
    /// Its Rust type, `Option` and `Box` included.
    ty: TokenStream,
    boxed: bool,
}

impl SerdeField<'_> {
    /// `pub name: Type,` with its docs.
    fn declaration(&self) -> TokenStream {
        let (name, ty) = (&self.ident, &self.ty);
        let fallback = format!("The `{}` property.", self.field.wire_name);
        let docs = doc(Some(self.field.doc.as_deref().unwrap_or(&fallback)));
        let deprecated = self.field.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #docs
            #deprecated
            pub #name: #ty,
        }
    }

    /// `value` as written: through the field's wire format, if it has one.
    fn out(&self, value: TokenStream) -> TokenStream {
        wire_out(self.field.encoding, value)
    }

    /// The type a value is read as, when it has a wire format or is a list
    /// or map of named types (read without their `null` items).
    fn read_as(&self) -> Option<TokenStream> {
        let named = |t: &TypeRef| matches!(t, TypeRef::Named(_));
        wire_in(self.field.encoding).or_else(|| match &self.field.ty {
            TypeRef::Vec(item) if named(item) => Some(quote!(wire::Items<_>)),
            TypeRef::Map(value) if named(value) => Some(quote!(wire::Entries<_>)),
            _ => None,
        })
    }

    /// Whether it is read as an `Option`: it may be absent or null (lists
    /// and maps too, which are empty then).
    fn read_optional(&self) -> bool {
        self.field.optional() || self.field.collection()
    }

    /// The statement that writes the entry: absent `None`s, and empty lists
    /// and maps, are left out unless the property is required (a required
    /// list is sent empty, `[]`).
    fn write(&self) -> TokenStream {
        let (key, field) = (&self.field.wire_name, &self.ident);
        if self.field.collection() && !self.field.required {
            let value = self.out(quote!(&self.#field));
            quote!(if !self.#field.is_empty() { map.serialize_entry(#key, #value)?; })
        } else if !self.field.required {
            let value = self.out(quote!(value));
            quote!(if let Some(value) = &self.#field { map.serialize_entry(#key, #value)?; })
        } else if self.field.optional() && self.field.encoding.is_some() {
            let value = self.out(quote!(value));
            quote! {
                match &self.#field {
                    Some(value) => map.serialize_entry(#key, #value)?,
                    None => map.serialize_entry(#key, &None::<()>)?,
                }
            }
        } else {
            let value = self.out(quote!(&self.#field));
            quote!(map.serialize_entry(#key, #value)?;)
        }
    }

    /// The `match` arm that reads the entry into the local variable.
    fn read_local(&self) -> TokenStream {
        let (key, local) = (&self.field.wire_name, &self.local);
        match (self.read_optional(), self.read_as()) {
            (true, None) => quote!(#key => #local = map.next_value()?,),
            (false, None) => quote!(#key => #local = Some(map.next_value()?),),
            (true, Some(read)) => {
                quote!(#key => #local = map.next_value::<Option<#read>>()?.map(|v| v.0),)
            }
            (false, Some(read)) => quote!(#key => #local = Some(map.next_value::<#read>()?.0),),
        }
    }

    /// The `match` arm that reads the entry straight into `self` (structs
    /// whose fields are all optional).
    fn read_into_self(&self) -> TokenStream {
        let (key, field) = (&self.field.wire_name, &self.ident);
        let empty = self
            .field
            .collection()
            .then(|| quote!(.unwrap_or_default()));
        match self.read_as() {
            None if empty.is_some() => {
                quote!(#key => self.#field = map.next_value::<Option<_>>()? #empty,)
            }
            None => quote!(#key => self.#field = map.next_value()?,),
            Some(read) => {
                quote!(#key => self.#field = map.next_value::<Option<#read>>()?.map(|v| v.0) #empty,)
            }
        }
    }

    /// The field's initializer from its local variable.
    fn init(&self) -> TokenStream {
        let (key, field, local) = (&self.field.wire_name, &self.ident, &self.local);
        if self.field.collection() {
            quote!(#field: #local.unwrap_or_default())
        } else if self.field.optional() && local == field {
            quote!(#field)
        } else if self.field.optional() {
            quote!(#field: #local)
        } else {
            quote!(#field: #local.ok_or_else(|| serde::de::Error::missing_field(#key))?)
        }
    }
}

/// `#[allow(deprecated)]` where some field is deprecated.
/// `value` as written in `encoding`: through its wire format, if it has one.
pub(super) fn wire_out(encoding: Option<Encoding>, value: TokenStream) -> TokenStream {
    let (wrapper, f) = match encoding {
        None => return value,
        Some(Encoding::Scalar(f)) => ("Out", f),
        Some(Encoding::Seq(f)) => ("OutSeq", f),
        Some(Encoding::Map(f)) => ("OutMap", f),
    };
    let (wrapper, f) = (format_ident!("{wrapper}"), format_ident!("{f}"));
    quote!(&wire::#wrapper::<wire::#f>(#value))
}

/// The type a value in `encoding` is read as, when it has a wire format.
pub(super) fn wire_in(encoding: Option<Encoding>) -> Option<TokenStream> {
    let (wrapper, f) = match encoding? {
        Encoding::Scalar(f) => ("In", f),
        Encoding::Seq(f) => ("InSeq", f),
        Encoding::Map(f) => ("InMap", f),
    };
    let (wrapper, f) = (format_ident!("{wrapper}"), format_ident!("{f}"));
    Some(quote!(wire::#wrapper<wire::#f>))
}

fn allow_deprecated(fields: &[SerdeField]) -> Option<TokenStream> {
    fields
        .iter()
        .any(|f| f.field.deprecated)
        .then(|| quote!(#[allow(deprecated)]))
}

/// `Serialize` and `Deserialize` for a struct, written out rather than
/// derived: a JSON object written field by field (absent `None`s left out)
/// and read by one `match` on the key (unknown keys skipped). This is a
/// fraction of what `#[derive]` expands to (no field-identifier enum, no
/// sequence form, no duplicate tracking), which is what keeps `cargo check`
/// of the whole API within its budget.
fn serde_impls(def: &TypeDef, fields: &[SerdeField]) -> TokenStream {
    let name = ident(&def.name);
    let allow = allow_deprecated(fields);
    let entries = fields.iter().map(SerdeField::write);
    let serialize_body = if fields.is_empty() {
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
    if fields.iter().all(SerdeField::read_optional) {
        let read_field = if fields.is_empty() {
            quote! {
                fn read_field<'de, A: serde::de::MapAccess<'de>>(&mut self, _key: &str, map: &mut A) -> Result<(), A::Error> {
                    map.next_value::<serde::de::IgnoredAny>().map(drop)
                }
            }
        } else {
            let arms = fields.iter().map(SerdeField::read_into_self);
            quote! {
                fn read_field<'de, A: serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                    match key {
                        #(#arms)*
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                    Ok(())
                }
            }
        };
        let type_name = def.name.as_str();
        return quote! {
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
        };
    }
    let expecting = format!("a {} object", def.name);
    let locals = fields.iter().map(|f| {
        let local = &f.local;
        quote!(let mut #local = None;)
    });
    let arms = fields.iter().map(SerdeField::read_local);
    let inits = fields.iter().map(SerdeField::init);
    quote! {
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
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    }
}

/// A string enum with a case for values added to the API later
/// ([`catch_all`]), `as_str`, `Display`, `FromStr` and `From<&str>`, and
/// serde impls that read and write the value as a string.
fn enumeration(name: &Ident, docs: TokenStream, variants: &[Variant]) -> TokenStream {
    let other = format_ident!("{}", catch_all(variants));
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
            #other(String),
        }
        impl #name {
            #[doc = " The value as the API spells it."]
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::#other(value) => value,
                }
            }
        }
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_wire)*
                    _ => Self::#other(value.to_string()),
                }
            }
        }
        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                wire::read_enum(deserializer)
            }
        }
    }
}

/// The expression that turns `value` (of the full field's type) into the
/// input field's type; `boxes` says which of the two is boxed.
fn convert(value: TokenStream, full: &Field, input: &Field, boxes: (bool, bool)) -> TokenStream {
    if full.ty == input.ty && boxes.0 == boxes.1 {
        return value;
    }
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

/// `value` of type `full` converted to `input`, with the boxes of each.
pub(super) fn apply(
    value: TokenStream,
    full: &TypeRef,
    input: &TypeRef,
    boxes: (bool, bool),
) -> TokenStream {
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
