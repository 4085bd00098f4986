//! Update masks. A protobuf update request carries the message to write and
//! an `updateMask`, the comma-separated JSON names of the fields to change
//! (`"displayName,description"`). This pass finds each such request and
//! what `from_changes(before, after)` compares: the fields of the message
//! a field of the request carries (`client: PersonalClient`), or, where the
//! request has no single message field, the request's own fields.

use crate::error::Result;
use crate::model::ir::{Api, Field, Scalar, TypeDef, TypeId, TypeKind, TypeRef, UpdateMask};

/// The request field that lists the fields to change.
pub const UPDATE_MASK: &str = "updateMask";
/// The suffix of mask fields (`updateMask`, `expandMask`), never compared.
const MASK_SUFFIX: &str = "Mask";

/// Sets [`crate::model::Struct::update_mask`] on every update request.
pub fn run(api: &mut Api) -> Result<()> {
    let masks: Vec<Option<UpdateMask>> = (0..api.types.len())
        .map(|id| update_mask(&api.types, TypeId(id)))
        .collect();
    for (def, mask) in api.types.iter_mut().zip(masks) {
        if let TypeKind::Struct(s) = &mut def.kind {
            s.update_mask = mask;
        }
    }
    Ok(())
}

/// What `from_changes` of the type `id` compares, if it is an update request.
fn update_mask(types: &[TypeDef], id: TypeId) -> Option<UpdateMask> {
    let TypeKind::Struct(s) = &types[id.0].kind else {
        return None;
    };
    let mask = s
        .fields
        .iter()
        .find(|f| f.wire_name == UPDATE_MASK && f.ty == TypeRef::Scalar(Scalar::String))?;
    let others: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| !f.wire_name.ends_with(MASK_SUFFIX))
        .collect();
    let messages: Vec<(&Field, TypeId)> = others
        .iter()
        .filter_map(|f| Some((*f, struct_type(types, &f.ty)?)))
        .collect();
    let all_optional = s.fields.iter().all(|f| f.optional() || f.collection());
    let (message, compared, fields) = match messages.as_slice() {
        [(field, ty)] if all_optional => {
            let full = struct_input_of(types, *ty).unwrap_or(*ty);
            let TypeKind::Struct(m) = &types[full.0].kind else {
                return None;
            };
            let fields: Vec<&Field> = m.fields.iter().collect();
            (Some(field.name.clone()), full, fields)
        }
        [] | [_, _, ..] => (None, id, others),
        [_] => return None,
    };
    let fields = fields
        .into_iter()
        .filter(|f| !f.read_only)
        .map(|f| (f.name.clone(), f.wire_name.clone()))
        .collect();
    Some(UpdateMask {
        mask_field: mask.name.clone(),
        message,
        compared,
        fields,
    })
}

/// The struct a field's type names, if it names one.
fn struct_type(types: &[TypeDef], ty: &TypeRef) -> Option<TypeId> {
    let id = ty.named()?;
    matches!(types[id.0].kind, TypeKind::Struct(_)).then_some(id)
}

/// The full type an input type keeps the writable fields of.
fn struct_input_of(types: &[TypeDef], id: TypeId) -> Option<TypeId> {
    match &types[id.0].kind {
        TypeKind::Struct(s) => s.input_of,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::passes::inputs;
    use crate::model::passes::testing::{doc, id, lowered};

    const SCHEMAS: &str = "c1.api.iam.v1.Client: {type: object, properties: {id: {type: string, readOnly: true}, displayName: {type: string}, scopes: {type: array, items: {type: string}}}}\n\
c1.api.iam.v1.UpdateRequest: {type: object, properties: {client: {$ref: '#/components/schemas/c1.api.iam.v1.Client'}, updateMask: {type: string}, expandMask: {type: object, properties: {paths: {type: array, items: {type: string}}}}}}\n\
c1.api.iam.v1.Rule: {type: object, properties: {cel: {type: string}}}\n\
c1.api.iam.v1.Other: {type: object, properties: {cel: {type: string}}}\n\
c1.api.iam.v1.UpdateRuleRequest: {type: object, properties: {displayName: {type: string}, basic: {$ref: '#/components/schemas/c1.api.iam.v1.Rule'}, cel: {$ref: '#/components/schemas/c1.api.iam.v1.Other'}, updateMask: {type: string}}}\n\
c1.api.iam.v1.NoMask: {type: object, properties: {client: {$ref: '#/components/schemas/c1.api.iam.v1.Client'}}}";

    const PATHS: &str = "/clients:\n  post:\n    operationId: x.Update\n    requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/c1.api.iam.v1.UpdateRequest'}}}}\n    responses: {'200': {description: ok}}\n";

    /// A request's name, its message field (`field: Type`) and the mask's fields.
    type Found = (String, Option<String>, Vec<String>);

    fn masks() -> (Api, Vec<Found>) {
        let mut api = lowered(&doc(SCHEMAS, PATHS)).unwrap();
        inputs::run(&mut api).unwrap();
        run(&mut api).unwrap();
        let found = api
            .types
            .iter()
            .filter_map(|t| match &t.kind {
                TypeKind::Struct(s) => s.update_mask.as_ref().map(|m| {
                    let compared = &api.types[m.compared.0].name;
                    let message = m.message.as_ref().map(|f| format!("{f}: {compared}"));
                    let wires = m.fields.iter().map(|(_, w)| w.clone()).collect();
                    (t.name.clone(), message, wires)
                }),
                _ => None,
            })
            .collect();
        (api, found)
    }

    #[test]
    fn a_message_field_is_compared_by_its_full_types_writable_fields() {
        let (api, found) = masks();
        assert!(
            id(&api, "ClientInput").0 > 0,
            "the body's client is an input type"
        );
        let update = found.iter().find(|(n, ..)| n == "UpdateRequest").unwrap();
        assert_eq!(update.1.as_deref(), Some("client: Client"));
        assert_eq!(update.2, ["displayName", "scopes"]);
    }

    #[test]
    fn without_one_message_field_the_request_compares_its_own_fields() {
        let (_, found) = masks();
        let rule = found
            .iter()
            .find(|(n, ..)| n == "UpdateRuleRequest")
            .unwrap();
        assert_eq!(rule.1, None);
        assert_eq!(rule.2, ["displayName", "basic", "cel"]);
        assert!(found.iter().all(|(n, ..)| n != "NoMask"));
    }
}
