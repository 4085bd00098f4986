//! `allOf`: which compositions are one object, which only annotate or
//! constrain a member, and which include a union.

use super::objects::ObjectParts;
use super::*;

impl Schemas<'_> {
    /// The struct of an `allOf` of objects (and of the properties written
    /// beside it, `own`): every member's properties, in member order (a
    /// later member's restatement of a property refines the earlier one in
    /// place), required when any member requires them. An `allOf` with a
    /// union among its members is `serde_json::Value`, with a warning.
    pub(super) fn all_of_kind(
        &mut self,
        members: &[ReferenceOr<Schema>],
        own: Option<&AnySchema>,
        origin: &Origin,
        at: &Pointer,
    ) -> Result<TypeKind> {
        if self.includes_union(members, at, 0, &mut HashSet::new()) {
            let what = "an `allOf` that includes a union (each member would need the other members' fields)";
            return Ok(TypeKind::Alias(self.untyped(at, what.into())?));
        }
        let mut parts = ObjectParts::default();
        self.collect_all_of(members, at, 0, &mut parts)?;
        if let Some(own) = own {
            parts.add(self, &own.properties, &own.required, at)?;
        }
        Ok(TypeKind::Struct(Struct {
            fields: self.parts_fields(parts, origin)?,
            ..Struct::default()
        }))
    }

    /// Whether an `allOf` member (or a member of a nested `allOf`) is a union.
    /// Each schema is looked at once (`seen`): members that include each
    /// other, or one schema twice, cost no more than the schemas there are.
    fn includes_union(
        &self,
        members: &[ReferenceOr<Schema>],
        at: &Pointer,
        depth: usize,
        seen: &mut HashSet<String>,
    ) -> bool {
        depth <= MAX_DEPTH
            && members.iter().enumerate().any(|(i, member)| {
                let member_at = at.push("allOf").index(i);
                let Ok((schema, schema_at)) = self.deref(member, &member_at) else {
                    return false;
                };
                if !seen.insert(schema_at.to_string()) {
                    return false;
                }
                match &schema.schema_kind {
                    SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
                    SchemaKind::Any(any) => {
                        has_union(any)
                            || self.includes_union(&any.all_of, &schema_at, depth + 1, seen)
                    }
                    SchemaKind::AllOf { all_of } => {
                        self.includes_union(all_of, &schema_at, depth + 1, seen)
                    }
                    _ => false,
                }
            })
    }

    /// Adds the properties of each `allOf` member (following references and
    /// nested `allOf`s) to `parts`; a member that is not an object, or that
    /// gives a property a type of another kind, is an error.
    pub(super) fn collect_all_of(
        &self,
        members: &[ReferenceOr<Schema>],
        at: &Pointer,
        depth: usize,
        parts: &mut ObjectParts,
    ) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(model_error(
                at,
                "`allOf` members nest too deeply (does a member include itself?)".into(),
            ));
        }
        for (i, member) in members.iter().enumerate() {
            let member_at = at.push("allOf").index(i);
            let (schema, schema_at) = self.deref(member, &member_at)?;
            // A schema included twice (not by itself) adds nothing new.
            if parts.collected.contains(schema_at.as_str()) {
                continue;
            }
            match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => {
                    self.collect_all_of(all_of, &schema_at, depth + 1, parts)?
                }
                SchemaKind::Type(Type::Object(obj)) => {
                    parts.add(self, &obj.properties, &obj.required, &schema_at)?
                }
                SchemaKind::Any(any) if is_object_like(any) => {
                    parts.add(self, &any.properties, &any.required, &schema_at)?
                }
                SchemaKind::Any(any) if is_annotation(any) => {}
                SchemaKind::Any(any) if has_all_of(any) => {
                    self.collect_all_of(&any.all_of, &schema_at, depth + 1, parts)?;
                    parts.add(self, &any.properties, &any.required, &schema_at)?
                }
                other => {
                    let message = format!(
                        "`allOf` member {i} is {}, which cannot be combined with objects into one struct",
                        kind_name(other)
                    );
                    return Err(model_error(&member_at, message));
                }
            }
            parts.collected.insert(schema_at.to_string());
        }
        Ok(())
    }
}

/// A schema that only annotates (`{description: ...}`), written in place.
pub(super) fn annotates_only<S: std::borrow::Borrow<Schema>>(schema: &ReferenceOr<S>) -> bool {
    match schema {
        ReferenceOr::Item(s) => {
            matches!(&s.borrow().schema_kind, SchemaKind::Any(any) if is_annotation(any))
        }
        ReferenceOr::Reference { .. } => false,
    }
}

/// The indexes of the `allOf` members that say something about the value
/// (not only `description`, `nullable`, ...).
pub(super) fn meaningful(members: &[ReferenceOr<Schema>]) -> Vec<usize> {
    members
        .iter()
        .enumerate()
        .filter(|(_, m)| !annotates_only(*m))
        .map(|(i, _)| i)
        .collect()
}

/// A schema with no keyword that constrains the value.
pub(super) fn is_annotation(any: &AnySchema) -> bool {
    *any == AnySchema::default()
}

/// A schema without `type: object` that has properties (or says `object`
/// in a form the model parses as untyped).
pub(super) fn is_object_like(any: &AnySchema) -> bool {
    !has_union(any)
        && any.all_of.is_empty()
        && (!any.properties.is_empty()
            || any.typ.as_deref() == Some("object")
            || any.additional_properties.is_some())
}

/// A schema without a `type` keyword openapiv3 reads (`type: object`
/// beside `allOf`) that combines objects.
pub(super) fn has_all_of(any: &AnySchema) -> bool {
    !any.all_of.is_empty() && !has_union(any)
}

/// A schema without a `type` keyword openapiv3 reads that is a union (not
/// only a constraint on which properties are set, see [`constrains_only`]).
pub(super) fn has_union(any: &AnySchema) -> bool {
    let members = any.one_of.iter().chain(&any.any_of);
    members.clone().next().is_some() && !members.into_iter().all(constrains_only)
}

/// A union member that only says which properties are required
/// (`anyOf: [{required: [a]}, {required: [b]}]`): it constrains the object
/// it sits in, whose properties stay optional, and is otherwise ignored.
fn constrains_only(member: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = member else {
        return false;
    };
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return false;
    };
    let bare = AnySchema {
        required: Vec::new(),
        min_properties: None,
        max_properties: None,
        ..any.clone()
    };
    is_annotation(&bare)
}
