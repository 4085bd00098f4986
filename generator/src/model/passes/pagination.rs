//! Finds the operations that page, by the protobuf convention
//! ([`crate::model::protobuf`]): the response has an optional string
//! `nextPageToken`, and the operation takes an optional string `page_token`
//! query parameter or a body with a `pageToken` field.

use crate::error::Result;
use crate::model::ir::{Api, Items, Location, Operation, PageToken, Pagination, Pending, Scalar};
use crate::model::ir::{TypeDef, TypeKind, TypeRef};
use crate::model::protobuf::{NEXT_PAGE_TOKEN, PAGE_TOKEN_FIELD, PAGE_TOKEN_PARAM};

/// Decides [`Operation::pagination`] for every operation.
pub fn run(api: &mut Api) -> Result<()> {
    let types = &api.types;
    for op in api.groups.iter_mut().flat_map(|g| &mut g.operations) {
        op.pagination = Pending::Known(pagination(op, types)?);
    }
    Ok(())
}

fn pagination(op: &Operation, types: &[TypeDef]) -> Result<Option<Pagination>> {
    let Some(next_field) = op
        .response
        .as_ref()
        .and_then(|r| token_field(r, NEXT_PAGE_TOKEN, types))
    else {
        return Ok(None);
    };
    let query = op.params.iter().position(|p| {
        p.location == Location::Query
            && p.wire_name == PAGE_TOKEN_PARAM
            && p.ty == TypeRef::Scalar(Scalar::String)
            && !p.required
    });
    let token = match (query, &op.body) {
        (Some(i), _) => Some(PageToken::Query(i)),
        (None, Some(body)) if !*body.implicit_empty.get("which bodies are empty")? => {
            token_field(&body.ty, PAGE_TOKEN_FIELD, types).map(PageToken::Body)
        }
        (None, _) => None,
    };
    let items = op.response.as_ref().and_then(|r| items(r, types));
    Ok(token.map(|token| Pagination {
        token,
        next_field,
        items,
    }))
}

/// The field of a page that lists its items: the array `list`, or else the
/// only array field other than `expanded`.
fn items(ty: &TypeRef, types: &[TypeDef]) -> Option<Items> {
    let TypeRef::Named(id) = ty else { return None };
    let TypeKind::Struct(s) = &types[id.0].kind else {
        return None;
    };
    let arrays: Vec<_> = s
        .fields
        .iter()
        .filter(|f| matches!(f.ty, TypeRef::Vec(_)) && f.wire_name != "expanded")
        .collect();
    let field = match arrays.iter().find(|f| f.wire_name == "list") {
        Some(list) => list,
        None if arrays.len() == 1 => &arrays[0],
        None => return None,
    };
    let TypeRef::Vec(item) = &field.ty else {
        return None;
    };
    Some(Items {
        field: field.name.clone(),
        item: (**item).clone(),
    })
}

/// The Rust name of the optional string field `wire` of the struct `ty`.
fn token_field(ty: &TypeRef, wire: &str, types: &[TypeDef]) -> Option<String> {
    let TypeRef::Named(id) = ty else { return None };
    let TypeKind::Struct(s) = &types[id.0].kind else {
        return None;
    };
    s.fields
        .iter()
        .find(|f| f.wire_name == wire && f.ty == TypeRef::Scalar(Scalar::String) && f.optional())
        .map(|f| f.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::passes::{
        inputs,
        testing::{doc, lowered},
    };

    const PAGED: &str = "Page: {type: object, properties: {nextPageToken: {type: string}, list: {type: array, items: {type: string}}}}\n\
Search: {type: object, properties: {pageToken: {type: string}, query: {type: string}}}\n\
Unpaged: {type: object, properties: {query: {type: string}}}";

    #[test]
    fn list_and_search_operations_are_paginated() {
        let page = "responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Page'}}}}}";
        let body = |s: &str| {
            format!("requestBody: {{content: {{application/json: {{schema: {{$ref: '#/components/schemas/{s}'}}}}}}}}")
        };
        let ops = format!(
            "/list/{{id}}:\n  get:\n    operationId: x.List\n    parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}, {{name: page_size, in: query, schema: {{type: integer}}}}, {{name: page_token, in: query, schema: {{type: string}}}}]\n    {page}\n\
             /search:\n  post:\n    operationId: x.Search\n    {}\n    {page}\n\
             /other:\n  post:\n    operationId: x.Other\n    {}\n    {page}",
            body("Search"),
            body("Unpaged")
        );
        let mut api = lowered(&doc(PAGED, &ops)).unwrap();
        inputs::run(&mut api).unwrap();
        run(&mut api).unwrap();
        let by_name = |n: &str| {
            let op = api.groups[0]
                .operations
                .iter()
                .find(|o| o.name == n)
                .unwrap();
            op.pagination.get("pagination").unwrap().clone()
        };
        let next_field = "next_page_token".to_string();
        let items = Some(Items {
            field: "list".into(),
            item: TypeRef::Scalar(Scalar::String),
        });
        assert_eq!(
            by_name("list"),
            Some(Pagination {
                token: PageToken::Query(2),
                next_field: next_field.clone(),
                items: items.clone(),
            }),
            "the index counts the path parameter before the query ones"
        );
        assert_eq!(
            by_name("search"),
            Some(Pagination {
                token: PageToken::Body("page_token".into()),
                next_field,
                items,
            })
        );
        assert_eq!(
            by_name("other"),
            None,
            "a next token but no way to pass it back"
        );
    }

    #[test]
    fn pagination_needs_to_know_which_bodies_are_empty() {
        let ops = "/s:\n  post:\n    operationId: x.Search\n    requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Search'}}}}\n    responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Page'}}}}}";
        let mut api = lowered(&doc(PAGED, ops)).unwrap();
        let error = run(&mut api).unwrap_err().to_string();
        assert!(
            error.contains("which bodies are empty is read before the pass"),
            "{error}"
        );
    }
}
