//! Unions (`oneOf`/`anyOf`): their members, the tag that tells them apart,
//! variant names and the order an untagged union tries its members in.

use super::objects::ObjectParts;
use super::*;

impl Schemas<'_> {
    /// The enum of a `oneOf`/`anyOf`: tagged by its discriminator, else by a
    /// property every member fixes to a value of its own, else untagged.
    pub(super) fn union(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        keyword: &str,
        origin: &Origin,
        at: &Pointer,
    ) -> Result<TypeKind> {
        let mut resolved = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_at = at.push(keyword).index(i);
            let (schema, schema_at) = self.deref(member, &member_at)?;
            // Reading the value as the union again would never end.
            if schema_at.to_string() == at.to_string() {
                let message = "this member is the union itself, which adds no values: left out";
                self.warn(&member_at, message.into());
                continue;
            }
            resolved.push((member, member_at, schema, schema_at));
        }
        if resolved.is_empty() {
            let message = "a union with no member but itself is typed as serde_json::Value";
            self.warn(at, message.into());
            return Ok(TypeKind::Alias(TypeRef::Scalar(Scalar::Any)));
        }
        let (tag, tags) = self.union_tags(schema, &resolved);
        let mut variants: Vec<UnionVariant> = Vec::new();
        // Named in spec order, before the untagged are sorted; the `names`
        // pass keeps them so and adds the catch-all.
        let mut names = Namespace::default();
        let mut required = Vec::new();
        for ((member, member_at, target, target_at), tags) in resolved.iter().zip(tags) {
            let base = match self.component_of(member) {
                Some(id) => self.types[id.0].name.clone(),
                None => variant_name(member, target, tags.first()),
            };
            let name = names.claim(&base);
            let ty = self.type_ref(member, &origin.inner(&name), member_at)?;
            let encoding = ty.encoding().map_err(|_| {
                model_error(
                    member_at,
                    "nested arrays or maps of protobuf-encoded values are not supported".into(),
                )
            })?;
            required.push(self.required_count(target, target_at));
            variants.push(UnionVariant {
                name,
                ty,
                encoding,
                tags,
                boxed: Pending::Unknown,
                doc: member.as_item().and_then(schema_doc),
            });
        }
        if tag.is_none() {
            // Untagged: the most specific members are tried first.
            let mut order: Vec<usize> = (0..variants.len()).collect();
            order.sort_by_key(|&i| {
                (
                    untagged_rank(&variants[i].ty),
                    std::cmp::Reverse(required[i]),
                )
            });
            let mut slots: Vec<Option<UnionVariant>> = variants.into_iter().map(Some).collect();
            variants = order.iter().filter_map(|&i| slots[i].take()).collect();
        }
        let other = tag.as_ref().map(|_| "Other".to_string());
        Ok(TypeKind::Union(Union {
            tag,
            variants,
            other,
            input_of: None,
        }))
    }

    /// How many properties a member requires (0 for one that is not an object).
    fn required_count(&self, schema: &Schema, at: &Pointer) -> usize {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(obj)) => obj.required.len(),
            SchemaKind::Any(any) => any.required.len(),
            SchemaKind::AllOf { all_of } => {
                let mut parts = ObjectParts::default();
                match self.collect_all_of(all_of, at, 0, &mut parts) {
                    Ok(()) => parts.required.len(),
                    Err(_) => 0,
                }
            }
            _ => 0,
        }
    }

    /// The union's tag property and each member's tag values: the
    /// discriminator's (its `mapping`, else the member's component name),
    /// else a property that every member fixes to one value of its own
    /// (`type: {enum: [message]}`, `type` preferred); `None` and no values
    /// when neither exists.
    fn union_tags(
        &self,
        schema: &Schema,
        members: &[(&ReferenceOr<Schema>, Pointer, Schema, Pointer)],
    ) -> (Option<String>, Vec<Vec<String>>) {
        let untagged = || (None, vec![Vec::new(); members.len()]);
        if let Some(d) = &schema.schema_data.discriminator {
            let tags: Vec<Vec<String>> = members
                .iter()
                .map(|(member, _, target, target_at)| {
                    let mut tags: Vec<String> = match member {
                        ReferenceOr::Reference { reference } => d
                            .mapping
                            .iter()
                            .filter(|(_, to)| {
                                *to == reference
                                    || reference.rsplit('/').next() == Some(to.as_str())
                            })
                            .map(|(value, _)| value.clone())
                            .collect(),
                        ReferenceOr::Item(_) => Vec::new(),
                    };
                    if tags.is_empty() {
                        tags.extend(self.fixed_value(target, target_at, &d.property_name));
                    }
                    if tags.is_empty() {
                        if let ReferenceOr::Reference { reference } = member {
                            tags.extend(reference.rsplit('/').next().map(str::to_string));
                        }
                    }
                    tags
                })
                .collect();
            if tags.iter().all(|t| !t.is_empty()) {
                return (Some(d.property_name.clone()), tags);
            }
            return untagged();
        }
        let Some((_, _, first, first_at)) = members.first() else {
            return untagged();
        };
        let mut candidates = self.object_property_names(first, first_at);
        candidates.sort_by_key(|name| name != "type");
        for name in candidates {
            let values: Option<Vec<String>> = members
                .iter()
                .map(|(_, _, target, at)| self.fixed_value(target, at, &name))
                .collect();
            let Some(values) = values else { continue };
            let distinct: HashSet<&String> = values.iter().collect();
            if distinct.len() == values.len() {
                return (Some(name), values.into_iter().map(|v| vec![v]).collect());
            }
        }
        untagged()
    }
}

/// A union member's variant name: its component's name, its title, its
/// tag value, or what it is (`String`, `List`, ...).
fn variant_name(member: &ReferenceOr<Schema>, target: &Schema, tag: Option<&String>) -> String {
    if let ReferenceOr::Reference { reference } = member {
        let last = reference.rsplit('/').next().unwrap_or(reference);
        let last = last.replace("~1", "/").replace("~0", "~");
        return component_type_name(None, &last);
    }
    if let Some(title) = target
        .schema_data
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        return pascal(title);
    }
    if let Some(tag) = tag {
        return pascal(tag);
    }
    match &target.schema_kind {
        SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => "Known".into(),
        SchemaKind::Type(Type::String(_)) => "String".into(),
        SchemaKind::Type(Type::Integer(_)) => "Integer".into(),
        SchemaKind::Type(Type::Number(_)) => "Number".into(),
        SchemaKind::Type(Type::Boolean(_)) => "Bool".into(),
        SchemaKind::Type(Type::Array(_)) => "List".into(),
        _ => "Object".into(),
    }
}

/// The order an untagged union tries a member in: types that accept less
/// first (structs, enums, numbers), then strings, then free-form objects and
/// any value.
fn untagged_rank(ty: &TypeRef) -> u8 {
    match ty {
        TypeRef::Scalar(Scalar::String) => 1,
        TypeRef::Scalar(Scalar::Object | Scalar::Any | Scalar::AnyMessage) => 2,
        TypeRef::Map(_) => 2,
        _ => 0,
    }
}
