//! The Rust type of every construct, in one place: the table of scalars
//! ([`Scalar::info`]), and the [`RustType`] of a type reference, a field and
//! an argument. Emit renders these as tokens; the change report shows them
//! as text ([`RustType`]'s `Display`, short names).

use std::fmt;

use super::ir::{Encoding, Field, Param, Passed, RustType, Scalar, ScalarInfo, TypeDef, TypeRef};

impl Scalar {
    /// The table: Rust type, wire format, `Default`, use in a path, how it is passed.
    pub const fn info(self) -> ScalarInfo {
        use Passed::{Ref, Str, Value};
        let (rust, wire_format, default, in_path, passed) = match self {
            Scalar::Bool => ("bool", None, true, true, Value),
            Scalar::I32 => ("i32", None, true, true, Value),
            Scalar::I64 => ("i64", None, true, true, Value),
            Scalar::U32 => ("u32", None, true, true, Value),
            Scalar::U64 => ("u64", None, true, true, Value),
            Scalar::F32 => ("f32", None, true, false, Value),
            Scalar::F64 => ("f64", None, true, false, Value),
            Scalar::String => ("String", None, true, true, Str),
            Scalar::DateTime => (
                "time::OffsetDateTime",
                Some("Timestamp"),
                false,
                false,
                Value,
            ),
            Scalar::I64Str => ("i64", Some("Int64"), true, true, Value),
            Scalar::U64Str => ("u64", Some("Uint64"), true, true, Value),
            Scalar::Duration => ("time::Duration", Some("Duration"), false, false, Value),
            Scalar::Bytes => ("Vec<u8>", Some("Bytes"), true, false, Ref),
            Scalar::Any => ("serde_json::Value", None, true, false, Ref),
            Scalar::Object => (
                "serde_json::Map<String, serde_json::Value>",
                None,
                true,
                false,
                Ref,
            ),
        };
        ScalarInfo {
            rust,
            wire_format,
            default,
            in_path,
            passed,
        }
    }
}

impl TypeRef {
    /// The named type this refers to, looking through arrays and maps.
    pub fn named(&self) -> Option<super::TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.named(),
            TypeRef::Scalar(_) => None,
        }
    }

    /// The same reference with every named type mapped by `f`.
    pub fn map_named(&self, f: &impl Fn(super::TypeId) -> super::TypeId) -> TypeRef {
        match self {
            TypeRef::Named(id) => TypeRef::Named(f(*id)),
            TypeRef::Vec(inner) => TypeRef::Vec(Box::new(inner.map_named(f))),
            TypeRef::Map(inner) => TypeRef::Map(Box::new(inner.map_named(f))),
            TypeRef::Scalar(s) => TypeRef::Scalar(*s),
        }
    }

    /// How a value of this type is written in JSON beyond serde's defaults;
    /// an error for arrays or maps nested in arrays or maps of such values,
    /// which the runtime has no encoding for.
    pub fn encoding(&self) -> Result<Option<Encoding>, NestedEncoding> {
        let format = |t: &TypeRef| match t {
            TypeRef::Scalar(s) => s.info().wire_format,
            TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Named(_) => None,
        };
        if let Some(format) = format(self) {
            return Ok(Some(Encoding::Scalar(format)));
        }
        match self {
            TypeRef::Vec(inner) | TypeRef::Map(inner) => match (format(inner), inner.encoding()?) {
                (Some(f), _) if matches!(self, TypeRef::Vec(_)) => Ok(Some(Encoding::Seq(f))),
                (Some(f), _) => Ok(Some(Encoding::Map(f))),
                (None, None) => Ok(None),
                (None, Some(_)) => Err(NestedEncoding),
            },
            TypeRef::Scalar(_) | TypeRef::Named(_) => Ok(None),
        }
    }

    /// Whether the Rust type implements `Default`, given which named types do.
    pub fn has_default(&self, named: &[bool]) -> bool {
        match self {
            TypeRef::Scalar(s) => s.info().default,
            TypeRef::Vec(_) | TypeRef::Map(_) => true,
            TypeRef::Named(id) => named[id.0],
        }
    }
}

/// An array or map of arrays or maps of protobuf-encoded values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NestedEncoding;

/// The Rust type of a reference.
pub fn rust_type(types: &[TypeDef], ty: &TypeRef) -> RustType {
    match ty {
        TypeRef::Scalar(s) => RustType::Scalar(*s),
        TypeRef::Vec(inner) => RustType::Vec(Box::new(rust_type(types, inner))),
        TypeRef::Map(inner) => RustType::Map(Box::new(rust_type(types, inner))),
        TypeRef::Named(id) => RustType::Named(types[id.0].name.clone()),
    }
}

/// The Rust type of a field: boxed where it must be, `Option` where it may
/// be absent or null.
pub fn field_type(types: &[TypeDef], field: &Field, boxed: bool) -> RustType {
    let mut ty = rust_type(types, &field.ty);
    if boxed {
        ty = RustType::Box(Box::new(ty));
    }
    if field.optional() {
        ty = RustType::Option(Box::new(ty));
    }
    ty
}

/// The type a method takes a value of `ty` as: `&str`, `&[T]`, `&T` or `T`.
pub fn borrowed(types: &[TypeDef], ty: &TypeRef) -> RustType {
    let owned = || Box::new(rust_type(types, ty));
    match ty {
        TypeRef::Scalar(s) => match s.info().passed {
            Passed::Value => RustType::Scalar(*s),
            Passed::Str => RustType::Str,
            Passed::Ref => RustType::Ref(owned()),
        },
        TypeRef::Vec(inner) => RustType::Slice(Box::new(rust_type(types, inner))),
        TypeRef::Map(_) | TypeRef::Named(_) => RustType::Ref(owned()),
    }
}

/// The type of a parameter's argument: [`borrowed`], in an `Option` when
/// the parameter may be left out.
pub fn param_type(types: &[TypeDef], param: &Param) -> RustType {
    let ty = borrowed(types, &param.ty);
    if param.required {
        ty
    } else {
        RustType::Option(Box::new(ty))
    }
}

impl Field {
    /// Whether the Rust type is `Option<T>`: the property may be absent or null.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// Short names, as a user reads them: `Option<&[OffsetDateTime]>`.
impl fmt::Display for RustType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustType::Scalar(Scalar::Object) => f.write_str("Map<String, Value>"),
            RustType::Scalar(s) => {
                let rust = s.info().rust;
                f.write_str(rust.rsplit("::").next().unwrap_or(rust))
            }
            RustType::Named(name) => f.write_str(crate::names::unraw(name)),
            RustType::Vec(inner) => write!(f, "Vec<{inner}>"),
            RustType::Map(inner) => write!(f, "BTreeMap<String, {inner}>"),
            RustType::Option(inner) => write!(f, "Option<{inner}>"),
            RustType::Box(inner) => write!(f, "Box<{inner}>"),
            RustType::Ref(inner) => write!(f, "&{inner}"),
            RustType::Slice(inner) => write!(f, "&[{inner}]"),
            RustType::Str => f.write_str("&str"),
            RustType::Unit => f.write_str("()"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_with_short_names() {
        let nested = RustType::Option(Box::new(RustType::Slice(Box::new(RustType::Scalar(
            Scalar::DateTime,
        )))));
        assert_eq!(nested.to_string(), "Option<&[OffsetDateTime]>");
        assert_eq!(
            RustType::Ref(Box::new(RustType::Scalar(Scalar::Object))).to_string(),
            "&Map<String, Value>"
        );
        assert_eq!(RustType::Scalar(Scalar::Bytes).to_string(), "Vec<u8>");
        assert_eq!(RustType::Scalar(Scalar::I64Str).to_string(), "i64");
    }

    #[test]
    fn arguments_borrow_what_is_not_copied() {
        let s = |s| TypeRef::Scalar(s);
        assert_eq!(borrowed(&[], &s(Scalar::String)), RustType::Str);
        assert_eq!(
            borrowed(&[], &s(Scalar::I64Str)),
            RustType::Scalar(Scalar::I64Str)
        );
        assert_eq!(borrowed(&[], &s(Scalar::Bytes)).to_string(), "&Vec<u8>");
        assert_eq!(
            borrowed(&[], &TypeRef::Vec(Box::new(s(Scalar::String)))).to_string(),
            "&[String]"
        );
    }

    #[test]
    fn encodings_reach_into_one_container() {
        let s = |s| TypeRef::Scalar(s);
        assert_eq!(s(Scalar::String).encoding(), Ok(None));
        assert_eq!(
            s(Scalar::DateTime).encoding(),
            Ok(Some(Encoding::Scalar("Timestamp")))
        );
        let list = TypeRef::Vec(Box::new(s(Scalar::I64Str)));
        assert_eq!(list.encoding(), Ok(Some(Encoding::Seq("Int64"))));
        let map = TypeRef::Map(Box::new(s(Scalar::Bytes)));
        assert_eq!(map.encoding(), Ok(Some(Encoding::Map("Bytes"))));
        assert_eq!(TypeRef::Vec(Box::new(list)).encoding(), Err(NestedEncoding));
        let plain = TypeRef::Vec(Box::new(TypeRef::Vec(Box::new(s(Scalar::I32)))));
        assert_eq!(plain.encoding(), Ok(None));
    }

    #[test]
    fn only_timestamps_and_durations_lack_a_default() {
        let without: Vec<Scalar> = ALL.into_iter().filter(|s| !s.info().default).collect();
        assert_eq!(without, [Scalar::DateTime, Scalar::Duration]);
    }

    const ALL: [Scalar; 15] = [
        Scalar::Bool,
        Scalar::I32,
        Scalar::I64,
        Scalar::U32,
        Scalar::U64,
        Scalar::F32,
        Scalar::F64,
        Scalar::String,
        Scalar::DateTime,
        Scalar::I64Str,
        Scalar::U64Str,
        Scalar::Duration,
        Scalar::Bytes,
        Scalar::Any,
        Scalar::Object,
    ];
}
