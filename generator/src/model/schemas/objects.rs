//! Objects: the fields of an object schema, gathered from its properties
//! and those of the `allOf` members it includes.

use super::*;

impl Schemas<'_> {
    /// The fields of an object schema written without `type: object`.
    pub(super) fn any_fields(
        &mut self,
        any: &AnySchema,
        origin: &Origin,
        at: &Pointer,
    ) -> Result<Vec<Field>> {
        let parts = ObjectParts::of(&any.properties, &any.required, at);
        self.parts_fields(parts, origin)
    }

    /// The fields of an object's properties, in order; the problems of all
    /// of them are reported together.
    pub(super) fn parts_fields(
        &mut self,
        parts: ObjectParts,
        origin: &Origin,
    ) -> Result<Vec<Field>> {
        let mut fields: Vec<Field> = Vec::new();
        let mut errors = Vec::new();
        for (wire, prop, at) in &parts.properties {
            match self.field(prop, wire, origin, at) {
                Ok(mut field) => {
                    field.required = parts.required.contains(wire);
                    fields.push(field);
                }
                Err(e) => errors.extend(e.into_list()),
            }
        }
        if errors.is_empty() {
            Ok(fields)
        } else {
            Err(Error::from_many(errors))
        }
    }

    /// The property names of an object schema (through `allOf`).
    pub(super) fn object_property_names(&self, schema: &Schema, at: &Pointer) -> Vec<String> {
        self.object_parts(schema, at)
            .map(|p| p.properties.into_iter().map(|(name, _, _)| name).collect())
            .unwrap_or_default()
    }

    /// An object schema's properties and required names (through `allOf`).
    fn object_parts(&self, schema: &Schema, at: &Pointer) -> Option<ObjectParts> {
        let mut parts = ObjectParts::default();
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(obj)) => {
                parts.add(self, &obj.properties, &obj.required, at).ok()?
            }
            SchemaKind::Any(any) if is_object_like(any) => {
                parts.add(self, &any.properties, &any.required, at).ok()?
            }
            SchemaKind::AllOf { all_of } => self.collect_all_of(all_of, at, 0, &mut parts).ok()?,
            SchemaKind::Any(any) if has_all_of(any) => {
                self.collect_all_of(&any.all_of, at, 0, &mut parts).ok()?;
                parts.add(self, &any.properties, &any.required, at).ok()?
            }
            _ => return None,
        }
        Some(parts)
    }

    /// The one string value an object schema fixes its property `name` to
    /// (`{enum: [message]}`, or `const`, which normalization made an enum).
    pub(super) fn fixed_value(&self, schema: &Schema, at: &Pointer, name: &str) -> Option<String> {
        let parts = self.object_parts(schema, at)?;
        let (_, prop, prop_at) = parts.properties.iter().rev().find(|(n, _, _)| n == name)?;
        let (prop, _) = self.deref(prop, prop_at).ok()?;
        let values: Vec<&str> = match &prop.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                s.enumeration.iter().flatten().map(String::as_str).collect()
            }
            SchemaKind::Any(any) => any.enumeration.iter().filter_map(|v| v.as_str()).collect(),
            _ => return None,
        };
        match values[..] {
            [one] => Some(one.to_string()),
            _ => None,
        }
    }

    pub(super) fn fields(
        &mut self,
        schema: &Schema,
        obj: &ObjectType,
        origin: &Origin,
        at: &Pointer,
    ) -> Result<Vec<Field>> {
        let oneofs = oneofs(schema.schema_data.description.as_deref().unwrap_or(""));
        let parts = ObjectParts::of(&obj.properties, &obj.required, at);
        let mut fields = self.parts_fields(parts, origin)?;
        for field in &mut fields {
            field.doc = with_oneof_note(field.doc.take(), &field.wire_name, &oneofs);
        }
        Ok(fields)
    }

    /// The field for property `wire` (not yet marked required).
    pub(super) fn field(
        &mut self,
        prop: &ReferenceOr<Box<Schema>>,
        wire: &str,
        origin: &Origin,
        at: &Pointer,
    ) -> Result<Field> {
        let ty = self.type_ref(prop, &origin.inner(&pascal(wire)), at)?;
        let encoding = ty.encoding().map_err(|_| {
            model_error(
                at,
                "nested arrays or maps of protobuf-encoded values are not supported".into(),
            )
        })?;
        let data = prop.as_item().map(|s| &s.schema_data);
        // A reference to a nullable schema (`anyOf: [A, B, {type: 'null'}]`
        // as a component) may be null too.
        let nullable_target = match prop {
            ReferenceOr::Reference { reference } => reference
                .strip_prefix('#')
                .and_then(|pointer| self.document.pointer(pointer))
                .is_some_and(|target| {
                    target.get("nullable") == Some(&serde_json::Value::Bool(true))
                }),
            ReferenceOr::Item(_) => false,
        };
        Ok(Field {
            name: snake(wire),
            wire_name: wire.to_string(),
            ty,
            encoding,
            required: false,
            nullable: data.is_some_and(|d| d.nullable) || nullable_target,
            read_only: data.is_some_and(|d| d.read_only),
            boxed: Pending::Unknown,
            deprecated: data.is_some_and(|d| d.deprecated),
            range: super::range(prop.as_item().map(|s| &**s)),
            doc: prop.as_item().and_then(|s| schema_doc(s)),
        })
    }
}

/// Objects with properties, and empty objects without `additionalProperties`,
/// are structs; other objects are maps.
pub(super) fn is_struct(obj: &ObjectType) -> bool {
    !is_free_form(obj)
        && (!obj.properties.is_empty()
            || matches!(
                obj.additional_properties,
                None | Some(AdditionalProperties::Any(false))
            ))
}

/// `additionalProperties: true` makes an object free-form, even where it
/// names some properties (protobuf `Any` values: `@type` and anything else).
pub(super) fn is_free_form(obj: &ObjectType) -> bool {
    matches!(
        obj.additional_properties,
        Some(AdditionalProperties::Any(true))
    )
}

/// The properties of an object schema gathered from one or more schemas,
/// each with the pointer of where it is written.
#[derive(Default)]
pub(super) struct ObjectParts {
    pub(super) properties: Vec<(String, ReferenceOr<Box<Schema>>, Pointer)>,
    pub(super) required: Vec<String>,
    /// The `allOf` members whose properties are in already (by pointer).
    pub(super) collected: HashSet<String>,
}

impl ObjectParts {
    /// The properties of one object schema at `at`.
    pub(super) fn of(
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        at: &Pointer,
    ) -> Self {
        let properties = properties.iter().map(|(name, prop)| {
            let prop_at = at.push("properties").push(name);
            (name.clone(), prop.clone(), prop_at)
        });
        ObjectParts {
            properties: properties.collect(),
            required: required.to_vec(),
            collected: HashSet::new(),
        }
    }

    /// Adds an object's properties: a property already there keeps its
    /// place and takes the new schema, unless the two are of different
    /// kinds (a string and an object), which is an error.
    pub(super) fn add(
        &mut self,
        schemas: &Schemas,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        at: &Pointer,
    ) -> Result<()> {
        for (name, prop) in properties {
            let prop_at = at.push("properties").push(name);
            match self.properties.iter_mut().find(|(n, _, _)| n == name) {
                Some((_, earlier, earlier_at)) => {
                    let (old, new) = (
                        schemas.kind_of_prop(earlier, earlier_at),
                        schemas.kind_of_prop(prop, &prop_at),
                    );
                    if let (Some(old), Some(new)) = (old, new) {
                        if old != new {
                            let message = format!("property `{name}` is {new} here but {old} at {earlier_at}, so the `allOf` members cannot be one struct");
                            return Err(model_error(&prop_at, message));
                        }
                    }
                    if !annotates_only(prop) {
                        *earlier = prop.clone();
                        *earlier_at = prop_at;
                    }
                }
                None => self.properties.push((name.clone(), prop.clone(), prop_at)),
            }
        }
        for name in required {
            if !self.required.contains(name) {
                self.required.push(name.clone());
            }
        }
        Ok(())
    }
}

impl Schemas<'_> {
    /// The JSON kind of a property's schema (`string`, `object`, ...), if
    /// it says one.
    fn kind_of_prop(&self, prop: &ReferenceOr<Box<Schema>>, at: &Pointer) -> Option<&'static str> {
        let (schema, _) = self.deref(prop, at).ok()?;
        match &schema.schema_kind {
            kind @ SchemaKind::Type(_) => Some(kind_name(kind)),
            _ => None,
        }
    }
}
