//! The Rust type of every construct, in one place: the table of scalars
//! ([`Scalar::info`]), and the [`RustType`] of a type reference, a field and
//! an argument. Emit renders these as tokens; the change report shows them
//! as text ([`RustType`]'s `Display`, short names).

use std::fmt;

use super::ir::{Encoding, Field, RustType, Scalar, ScalarInfo, TypeDef, TypeRef};

impl Scalar {
    /// The table: Rust type, wire format, `Default`, use in a path.
    pub const fn info(self) -> ScalarInfo {
        let (rust, wire_format, default, in_path) = match self {
            Scalar::Bool => ("bool", None, true, true),
            Scalar::I32 => ("i32", None, true, true),
            Scalar::I64 => ("i64", None, true, true),
            Scalar::U32 => ("u32", None, true, true),
            Scalar::U64 => ("u64", None, true, true),
            Scalar::F32 => ("f32", None, true, false),
            Scalar::F64 => ("f64", None, true, false),
            Scalar::String => ("String", None, true, true),
            Scalar::DateTime => ("time::OffsetDateTime", Some("Timestamp"), false, false),
            Scalar::I64Str => ("i64", Some("Int64"), true, true),
            Scalar::U64Str => ("u64", Some("Uint64"), true, true),
            Scalar::Duration => ("time::Duration", Some("Duration"), false, false),
            Scalar::Bytes => ("Vec<u8>", Some("Bytes"), true, false),
            Scalar::File => ("crate::File", None, true, false),
            Scalar::Any => ("serde_json::Value", None, true, false),
            Scalar::Object | Scalar::AnyMessage => (
                "serde_json::Map<String, serde_json::Value>",
                None,
                true,
                false,
            ),
        };
        ScalarInfo {
            rust,
            wire_format,
            default,
            in_path,
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

impl Field {
    /// Whether the Rust type is `Option<T>`: the property may be absent or
    /// null, and is not a list or map (see [`Field::collection`]).
    pub fn optional(&self) -> bool {
        (!self.required || self.nullable) && !self.collection()
    }

    /// Whether it is a repeated or map field: never an `Option`, since in
    /// protobuf JSON an absent or null list or map is an empty one. It
    /// decodes absent or null as empty, and is not sent when empty.
    pub fn collection(&self) -> bool {
        matches!(self.ty, TypeRef::Vec(_) | TypeRef::Map(_))
    }
}

/// Short names, as a user reads them: `Option<Vec<OffsetDateTime>>`.
impl fmt::Display for RustType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustType::Scalar(Scalar::Object | Scalar::AnyMessage) => {
                f.write_str("Map<String, Value>")
            }
            RustType::Scalar(s) => {
                let rust = s.info().rust;
                f.write_str(rust.rsplit("::").next().unwrap_or(rust))
            }
            RustType::Named(name) => f.write_str(crate::names::unraw(name)),
            RustType::Vec(inner) => write!(f, "Vec<{inner}>"),
            RustType::Map(inner) => write!(f, "BTreeMap<String, {inner}>"),
            RustType::Option(inner) => write!(f, "Option<{inner}>"),
            RustType::Box(inner) => write!(f, "Box<{inner}>"),
            RustType::Into(inner) => write!(f, "impl Into<{inner}>"),
            RustType::Unit => f.write_str("()"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_with_short_names() {
        let nested = RustType::Option(Box::new(RustType::Vec(Box::new(RustType::Scalar(
            Scalar::DateTime,
        )))));
        assert_eq!(nested.to_string(), "Option<Vec<OffsetDateTime>>");
        assert_eq!(
            RustType::Into(Box::new(RustType::Scalar(Scalar::Object))).to_string(),
            "impl Into<Map<String, Value>>"
        );
        assert_eq!(RustType::Scalar(Scalar::Bytes).to_string(), "Vec<u8>");
        assert_eq!(RustType::Scalar(Scalar::I64Str).to_string(), "i64");
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

    const ALL: [Scalar; 16] = [
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
        Scalar::AnyMessage,
    ];
}
