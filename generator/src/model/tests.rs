//! Tests of the whole model stage: lowering and every pass, through [`build`].

use super::passes::testing::{doc, lowered};
use super::*;

/// Builds the model of one YAML document, every pass run.
fn model(yaml: &str) -> Result<Api> {
    let mut api = lowered(yaml)?;
    passes::run_all(&mut api)?;
    Ok(api)
}

fn ty<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no type {name} in {:?}",
                api.types.iter().map(|t| &t.name).collect::<Vec<_>>()
            )
        })
}

fn fields<'a>(api: &'a Api, name: &str) -> &'a [Field] {
    match &ty(api, name).kind {
        TypeKind::Struct(s) => &s.fields,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

fn field<'a>(api: &'a Api, name: &str, field: &str) -> &'a Field {
    fields(api, name)
        .iter()
        .find(|f| f.wire_name == field)
        .unwrap_or_else(|| panic!("no field {field}"))
}

#[test]
fn names_come_from_override_or_last_dotted_segment() {
    let api = model(&doc(
        "c1.api.iam.v1.PersonalClient: {type: object}\n\
         c1.api.iam.v1.UpdateRequestInput: {type: object, x-speakeasy-name-override: UpdateRequest}",
        "{}",
    ))
    .unwrap();
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["PersonalClient", "UpdateRequest"]);
    assert_eq!(api.types[0].schema, "c1.api.iam.v1.PersonalClient");
}

#[test]
fn colliding_short_names_are_qualified_by_package() {
    let api = model(&doc(
        "c1.api.app.v1.Action: {type: object}\nc1.api.automations.v1.Action: {type: object}\nc1.api.app.v1.Other: {type: object}",
        "{}",
    ))
    .unwrap();
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["AppAction", "Other", "AutomationsAction"]);
}

#[test]
fn reserved_and_repeated_names_get_a_number() {
    let api = model(&doc(
        "a.Error: {type: object}\nb.v1.Error: {type: object}\nx.String: {type: object}",
        "{}",
    ))
    .unwrap();
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["AError", "BError", "String2"]);
}

#[test]
fn optionality_follows_required_and_nullable() {
    let api = model(&doc(
        "S:\n  type: object\n  required: [a, b]\n  properties:\n    a: {type: string}\n    b: {type: [string, 'null']}\n    c: {type: string}",
        "{}",
    ))
    .unwrap();
    let optional: Vec<bool> = fields(&api, "S").iter().map(Field::optional).collect();
    assert_eq!(optional, [false, true, true]);
}

#[test]
fn field_names_are_snake_case_and_keep_the_wire_name() {
    let api = model(&doc(
        "S:\n  type: object\n  properties:\n    clientId: {type: string}\n    type: {type: string}\n    '@type': {type: string}\n    x-y.z: {type: string}",
        "{}",
    ))
    .unwrap();
    let names: Vec<(&str, &str)> = fields(&api, "S")
        .iter()
        .map(|f| (f.name.as_str(), f.wire_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("client_id", "clientId"),
            ("r#type", "type"),
            ("type2", "@type"),
            ("x_y_z", "x-y.z")
        ]
    );
}

#[test]
fn scalar_formats_map_to_rust_types() {
    let api = model(&doc(
        "S:\n  type: object\n  properties:\n    t: {type: string, format: date-time}\n    i: {type: integer, format: int32}\n    l: {type: integer, format: int64}\n    \
         u: {type: integer, format: uint32}\n    f: {type: number, format: float}\n    d: {type: number}\n    b: {type: boolean}\n    \
         m: {type: object, additionalProperties: {type: string}}\n    o: {type: object}\n    a: {type: array, items: {type: string}}\n    any: {}",
        "{}",
    ))
    .unwrap();
    let types: Vec<&TypeRef> = fields(&api, "S").iter().map(|f| &f.ty).collect();
    use TypeRef as T;
    assert_eq!(
        types,
        [
            &T::Scalar(Scalar::DateTime),
            &T::Scalar(Scalar::I32),
            &T::Scalar(Scalar::I64),
            &T::Scalar(Scalar::U32),
            &T::Scalar(Scalar::F32),
            &T::Scalar(Scalar::F64),
            &T::Scalar(Scalar::Bool),
            &T::Map(Box::new(T::Scalar(Scalar::String))),
            &T::Scalar(Scalar::Object),
            &T::Vec(Box::new(T::Scalar(Scalar::String))),
            &T::Scalar(Scalar::Any)
        ]
    );
}

#[test]
fn nullable_reference_resolves_to_the_type() {
    let api = model(&doc(
        "A:\n  type: object\n  properties:\n    b:\n      oneOf:\n        - $ref: '#/components/schemas/B'\n        - type: 'null'\nB: {type: object}",
        "{}",
    ))
    .unwrap();
    let b = field(&api, "A", "b");
    assert_eq!(b.ty, TypeRef::Named(TypeId(1)));
    assert!(b.nullable && b.optional());
}

#[test]
fn inline_objects_and_enums_become_named_types() {
    let api = model(&doc(
        "A:\n  type: object\n  properties:\n    inner:\n      type: object\n      properties:\n        kind: {type: string, enum: [X_ONE, x-two]}",
        "{}",
    ))
    .unwrap();
    assert!(matches!(field(&api, "A", "inner").ty, TypeRef::Named(_)));
    let TypeKind::Enum(variants) = &ty(&api, "AInnerKind").kind else {
        panic!("not an enum")
    };
    let names: Vec<(&str, &str)> = variants
        .iter()
        .map(|v| (v.name.as_str(), v.wire_name.as_str()))
        .collect();
    assert_eq!(names, [("XOne", "X_ONE"), ("XTwo", "x-two")]);
    assert_eq!(
        ty(&api, "AInner").schema,
        "/components/schemas/A/properties/inner"
    );
}

#[test]
fn recursive_types_box_their_direct_self_references() {
    let api = model(&doc(
        "Node:\n  type: object\n  properties:\n    parent: {$ref: '#/components/schemas/Node'}\n    children: {type: array, items: {$ref: '#/components/schemas/Node'}}",
        "{}",
    ))
    .unwrap();
    assert!(*field(&api, "Node", "parent").boxed.get("boxed").unwrap());
    assert!(!*field(&api, "Node", "children").boxed.get("boxed").unwrap());
}

#[test]
fn alias_cycles_are_an_error() {
    let err = model(&doc(
        "A: {$ref: '#/components/schemas/B'}\nB: {$ref: '#/components/schemas/A'}",
        "{}",
    ))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "/components/schemas/A: reference cycle with no object in between: A -> B -> A"
    );
}

#[test]
fn missing_and_external_references_are_errors() {
    let err = model(&doc(
        "A: {type: object, properties: {b: {$ref: '#/components/schemas/Nope'}}}",
        "{}",
    ))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "/components/schemas/A/properties/b: reference `#/components/schemas/Nope` does not name a schema in `components/schemas`"
    );
    let err = model(&doc(
        "A: {type: object, properties: {b: {$ref: 'other.yaml#/B'}}}",
        "{}",
    ))
    .unwrap_err();
    assert!(
        err.to_string().contains("points outside the document"),
        "{err}"
    );
}

const OPS: &str = "\
/things/{id}:
  get:
    tags: [Thing Store]
    operationId: c1.Things.Get
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - {name: page_size, in: query, schema: {type: integer, format: int32}}
    responses:
      '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
  post:
    tags: [Thing Store]
    operationId: c1.Things.Update
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/UpdateRequest'}}}}
    responses:
      '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
  delete:
    tags: [Thing Store]
    operationId: c1.Things.Delete
    x-speakeasy-name-override: remove
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Empty'}}}}
    responses:
      '200': {description: ok}
";

const THINGS: &str = "\
Thing:
  type: object
  properties:
    id: {type: string, readOnly: true}
    name: {type: string}
UpdateRequest:
  type: object
  properties:
    thing: {$ref: '#/components/schemas/Thing'}
    mask: {type: string}
    createdBy: {type: string, readOnly: true}
Empty: {type: object}";

#[test]
fn operations_are_grouped_and_named() {
    let api = model(&doc(THINGS, OPS)).unwrap();
    assert_eq!(api.groups.len(), 1);
    let group = &api.groups[0];
    assert_eq!(
        (
            group.tag.as_str(),
            group.module.as_str(),
            group.type_name.as_str()
        ),
        ("Thing Store", "thing_store", "ThingStoreApi")
    );
    let names: Vec<&str> = group.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["get", "remove", "update"]);
    let get = &group.operations[0];
    assert_eq!(
        get.segments,
        [Segment::Literal("things".into()), Segment::Param(0)]
    );
    assert_eq!(get.params[0].name, "id");
    assert_eq!(get.params[1].ty, TypeRef::Scalar(Scalar::I32));
    assert!(!get.params[1].required);
    assert!(group.operations[1].response.is_none());
}

#[test]
fn operations_of_one_name_in_a_group_are_told_apart_by_their_whole_id() {
    let ops =
        "/a:\n  get: {tags: [G], operationId: x.List, responses: {'200': {description: ok}}}\n\
               /b:\n  get: {tags: [G], operationId: y.List, responses: {'200': {description: ok}}}";
    let api = model(&doc("{}", ops)).unwrap();
    let names: Vec<(&str, &str)> = api.groups[0]
        .operations
        .iter()
        .map(|o| (o.path.as_str(), o.name.as_str()))
        .collect();
    assert_eq!(names, [("/a", "list"), ("/b", "y_list")]);
}

#[test]
fn path_parameters_must_match_the_template() {
    let undeclared = "/a/{id}:\n  get: {operationId: x.Get, responses: {'200': {description: ok}}}";
    let err = model(&doc("{}", undeclared)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "/paths/~1a~1{id}/get: path parameter `id` is in the path template but not declared"
    );
    let unused = "/a:\n  get:\n    operationId: x.Get\n    parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n    responses: {'200': {description: ok}}";
    let err = model(&doc("{}", unused)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "/paths/~1a/get: path parameter `id` is declared but not in the path template `/a`"
    );
    let twice = "/a/{id}/b/{id}:\n  get:\n    operationId: x.Get\n    parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n    responses: {'200': {description: ok}}";
    let err = model(&doc("{}", twice)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "/paths/~1a~1{id}~1b~1{id}/get: path parameter `id` appears twice in the path template `/a/{id}/b/{id}`"
    );
}

#[test]
fn an_operations_parameter_overrides_the_paths() {
    let ops = "/a/{id}:\n  parameters: [{name: id, in: path, required: true, schema: {type: string}}, {name: q, in: query, schema: {type: string}}]\n  get:\n    operationId: x.Get\n    parameters: [{name: id, in: path, required: true, schema: {type: integer, format: int32}}]\n    responses: {'200': {description: ok}}";
    let api = model(&doc("{}", ops)).unwrap();
    let get = &api.groups[0].operations[0];
    assert_eq!(
        get.params
            .iter()
            .filter(|p| p.location == Location::Path)
            .count(),
        1
    );
    assert_eq!(get.params[0].ty, TypeRef::Scalar(Scalar::I32));
    assert_eq!(get.params[1].wire_name, "q");
}

#[test]
fn references_into_a_schema_resolve_to_the_schema_there() {
    let schemas = "\
c1.v1.Outer:
  type: object
  properties:
    inner: {type: object, properties: {x: {type: string}}}
    when: {type: string, format: date-time}
    kind: {type: string, enum: [A, B]}
c1.v1.User:
  type: object
  properties:
    inner: {$ref: '#/components/schemas/c1.v1.Outer/properties/inner'}
    when: {$ref: '#/components/schemas/c1.v1.Outer/properties/when'}
    kind: {$ref: '#/components/schemas/c1.v1.Outer/properties/kind'}
    size: {$ref: '#/components/parameters/size/schema'}";
    let text = format!(
        "{}  parameters:\n    size: {{name: size, in: query, schema: {{type: string, format: int64}}}}\n",
        doc(schemas, "{}")
    );
    let api = model(&text).unwrap();
    assert_eq!(
        field(&api, "Outer", "inner").ty,
        field(&api, "User", "inner").ty
    );
    assert_eq!(ty(&api, "OuterInner").package, "c1.v1");
    assert_eq!(
        field(&api, "User", "when").ty,
        TypeRef::Scalar(Scalar::DateTime)
    );
    assert_eq!(
        field(&api, "Outer", "kind").ty,
        field(&api, "User", "kind").ty
    );
    assert_eq!(
        field(&api, "User", "size").ty,
        TypeRef::Scalar(Scalar::I64Str)
    );
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["Outer", "User", "OuterInner", "OuterKind"],
        "one type per schema"
    );
}

#[test]
fn a_reference_into_a_node_that_is_no_schema_or_contains_itself_is_an_error() {
    let err = model(&doc(
        "A: {type: object, properties: {b: {$ref: '#/components/schemas/A/properties/nope'}}}",
        "{}",
    ))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "/components/schemas/A/properties/b: reference `#/components/schemas/A/properties/nope` does not name a schema in the document"
    );
    let err = model(&doc(
        "A: {type: object, properties: {b: {type: array, items: {$ref: '#/components/schemas/A/properties/b'}}}}",
        "{}",
    ))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "/components/schemas/A/properties/b/items: reference `#/components/schemas/A/properties/b` leads back to itself with no object in between"
    );
}

#[test]
fn protobuf_json_scalars_have_their_own_types() {
    let api = model(&doc(
        "S:\n  type: object\n  properties:\n    a: {type: string, format: int64}\n    b: {type: string, format: uint64}\n    \
         c: {type: string, format: duration}\n    d: {type: string, format: base64}\n    e: {type: string, format: byte}\n    \
         f: {type: integer, format: int32}\n    g: {type: integer, format: uint32}\n    h: {type: array, items: {type: string, format: int64}}",
        "{}",
    ))
    .unwrap();
    let types: Vec<&TypeRef> = fields(&api, "S").iter().map(|f| &f.ty).collect();
    use TypeRef as T;
    assert_eq!(
        types,
        [
            &T::Scalar(Scalar::I64Str),
            &T::Scalar(Scalar::U64Str),
            &T::Scalar(Scalar::Duration),
            &T::Scalar(Scalar::Bytes),
            &T::Scalar(Scalar::Bytes),
            &T::Scalar(Scalar::I32),
            &T::Scalar(Scalar::U32),
            &T::Vec(Box::new(T::Scalar(Scalar::I64Str)))
        ]
    );
}

#[test]
fn objects_with_additional_properties_true_are_free_form_or_protobuf_anys() {
    let api = model(&doc(
        "S:\n  type: object\n  properties:\n    expanded:\n      type: array\n      items:\n        type: object\n        \
         properties: {'@type': {type: string}}\n        additionalProperties: true\nAny:\n  type: object\n  \
         properties: {'@type': {type: string}}\n  additionalProperties: true\nFree: {type: object, additionalProperties: true}",
        "{}",
    ))
    .unwrap();
    let expanded = api.types.iter().position(|t| t.name == "Expanded");
    assert_eq!(
        field(&api, "S", "expanded").ty,
        TypeRef::Vec(Box::new(TypeRef::Named(TypeId(expanded.unwrap()))))
    );
    assert!(matches!(
        ty(&api, "Any").kind,
        TypeKind::Alias(TypeRef::Scalar(Scalar::AnyMessage))
    ));
    assert!(matches!(
        ty(&api, "Free").kind,
        TypeKind::Alias(TypeRef::Scalar(Scalar::Object))
    ));
    assert_eq!(
        api.types.len(),
        4,
        "no struct for the @type item, one Expanded"
    );
}

#[test]
fn enum_variants_drop_the_prefix_every_value_repeats() {
    let names = |values: &str| -> Vec<String> {
        let api = model(&doc(&format!("E: {{type: string, enum: {values}}}"), "{}")).unwrap();
        let TypeKind::Enum(variants) = &api.types[0].kind else {
            panic!("not an enum")
        };
        variants.iter().map(|v| v.name.clone()).collect()
    };
    assert_eq!(
        names("[APP_USER_TYPE_UNSPECIFIED, APP_USER_TYPE_USER, APP_USER_TYPE_SERVICE_ACCOUNT]"),
        ["Unspecified", "User", "ServiceAccount"]
    );
    // Nothing shared up to an underscore: names as they are.
    assert_eq!(names("[read, write]"), ["Read", "Write"]);
    // Stripping would leave a leading digit: keep the prefix.
    assert_eq!(names("[SIZE_1, SIZE_2]"), ["Size1", "Size2"]);
    // `Unknown` is a name like any other: the catch-all case takes another.
    assert_eq!(names("[STATE_UNKNOWN, STATE_DONE]"), ["Unknown", "Done"]);
    // One value: nothing to compare with.
    assert_eq!(names("[ONLY_VALUE]"), ["OnlyValue"]);
}

#[test]
fn oneof_groups_are_documented_on_their_fields() {
    let description = "A choice.\n\nThis message contains a oneof named kind. Only a single field of the following list may be set at a time:\n  - a\n  - bC\n";
    let api = model(&doc(
        &format!("S:\n  type: object\n  description: {description:?}\n  properties:\n    a: {{type: string, description: The a.}}\n    bC: {{type: string}}\n    c: {{type: string}}"),
        "{}",
    ))
    .unwrap();
    assert_eq!(
        field(&api, "S", "a").doc.as_deref(),
        Some("The a.\n\nPart of the oneof `kind`: set at most one of this and `bC`.")
    );
    assert_eq!(
        field(&api, "S", "bC").doc.as_deref(),
        Some("Part of the oneof `kind`: set at most one of this and `a`.")
    );
    assert_eq!(field(&api, "S", "c").doc, None);
}

#[test]
fn deprecation_is_kept() {
    let ops =
        "/a:\n  get: {operationId: x.Old, deprecated: true, responses: {'200': {description: ok}}}";
    let api = model(&doc("S: {type: object, properties: {old: {type: string, deprecated: true}, new: {type: string}}}", ops)).unwrap();
    assert!(field(&api, "S", "old").deprecated && !field(&api, "S", "new").deprecated);
    assert!(api.groups[0].operations[0].deprecated);
}

#[test]
fn types_know_their_package() {
    let api = model(&doc(
        "c1.api.iam.v1.Client:\n  type: object\n  properties:\n    inner: {type: object, properties: {x: {type: string}}}\nPlain: {type: object}",
        "{}",
    ))
    .unwrap();
    let packages: Vec<(&str, &str)> = api
        .types
        .iter()
        .map(|t| (t.name.as_str(), t.package.as_str()))
        .collect();
    assert_eq!(
        packages,
        [
            ("Plain", ""),
            ("Client", "c1.api.iam.v1"),
            ("ClientInner", "c1.api.iam.v1")
        ]
    );
}

#[test]
fn required_nullable_path_parameters_stay_plain_strings() {
    let ops = "/a/{id}:\n  get:\n    operationId: x.Get\n    parameters: [{name: id, in: path, required: true, schema: {type: string, nullable: true}}]\n    responses: {'200': {description: ok}}";
    let api = model(&doc("{}", ops)).unwrap();
    let param = &api.groups[0].operations[0].params[0];
    assert_eq!(
        (param.ty.clone(), param.required),
        (TypeRef::Scalar(Scalar::String), true)
    );
}

#[test]
fn speakeasy_group_and_name_override_name_operations() {
    let ops = "/apps:\n  get: {tags: [Ignored], operationId: c1.api.app.v1.Apps.ListApps, x-speakeasy-group: Apps, x-speakeasy-name-override: List, responses: {'200': {description: ok}}}";
    let api = model(&doc("{}", ops)).unwrap();
    let group = &api.groups[0];
    assert_eq!(
        (
            group.module.as_str(),
            group.type_name.as_str(),
            group.operations[0].name.as_str()
        ),
        ("apps", "AppsApi", "list")
    );
}

fn union<'a>(api: &'a Api, name: &str) -> &'a Union {
    match &ty(api, name).kind {
        TypeKind::Union(u) => u,
        other => panic!("{name} is not a union: {other:?}"),
    }
}

fn variants(u: &Union) -> Vec<(&str, Vec<&str>)> {
    let names = u.variants.iter();
    names
        .map(|v| (v.name.as_str(), v.tags.iter().map(String::as_str).collect()))
        .collect()
}

#[test]
fn a_property_every_member_fixes_tags_a_union_and_type_is_preferred() {
    let schemas = "U:\n  oneOf:\n    - {type: object, properties: {kind: {const: a}, type: {const: x}}}\n    - {type: object, properties: {kind: {const: b}, type: {const: y}}}\nSame:\n  oneOf:\n    - {type: object, properties: {type: {const: x}}}\n    - {type: object, properties: {type: {const: x}}}";
    let api = model(&doc(schemas, "{}")).unwrap();
    let u = union(&api, "U");
    assert_eq!(u.tag.as_deref(), Some("type"));
    assert_eq!(variants(u), [("X", vec!["x"]), ("Y", vec!["y"])]);
    assert_eq!(u.other.as_deref(), Some("Other"));
    // Members that share their value are told apart by trying them: untagged,
    // and their variant names stay distinct.
    let same = union(&api, "Same");
    assert_eq!(same.tag, None);
    assert_eq!(variants(same), [("Object", vec![]), ("Object2", vec![])]);
}

#[test]
fn a_discriminator_takes_its_mapping_else_the_component_names() {
    let schemas = "Pet:\n  oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]\n  discriminator: {propertyName: pet, mapping: {kitty: '#/components/schemas/Cat', cat: Cat}}\nCat: {type: object, properties: {pet: {type: string}}}\nDog: {type: object, properties: {pet: {type: string}}}";
    let api = model(&doc(schemas, "{}")).unwrap();
    let u = union(&api, "Pet");
    assert_eq!(u.tag.as_deref(), Some("pet"));
    assert_eq!(
        variants(u),
        [("Cat", vec!["kitty", "cat"]), ("Dog", vec!["Dog"])]
    );
}

#[test]
fn untagged_members_are_tried_most_specific_first() {
    let schemas = "U:\n  anyOf:\n    - {type: object, additionalProperties: true}\n    - {type: string}\n    - {type: object, properties: {a: {type: string}}}\n    - {type: object, required: [a, b], properties: {a: {type: string}, b: {type: string}}}\n    - {type: integer}\n    - {type: 'null'}";
    let api = model(&doc(schemas, "{}")).unwrap();
    let u = union(&api, "U");
    assert_eq!(u.tag, None);
    let order: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(order, ["Object3", "Object2", "Integer", "String", "Object"]);
    // The null member made the union nullable: fields of it are `Option`s.
    let with =
        "W: {type: object, required: [u], properties: {u: {$ref: '#/components/schemas/U'}}}\n";
    let api = model(&doc(&format!("{with}{schemas}"), "{}")).unwrap();
    assert!(field(&api, "W", "u").optional());
}

#[test]
fn all_of_objects_are_one_struct_with_every_property() {
    let schemas = "Base: {type: object, required: [id], properties: {id: {type: string}, note: {type: string}}}\nD:\n  allOf:\n    - $ref: '#/components/schemas/Base'\n    - {type: object, required: [note], properties: {size: {type: integer}, note: {type: string, maxLength: 3}}}\n    - {description: Both.}";
    let api = model(&doc(schemas, "{}")).unwrap();
    let names: Vec<(&str, bool)> = fields(&api, "D")
        .iter()
        .map(|f| (f.wire_name.as_str(), f.required))
        .collect();
    assert_eq!(names, [("id", true), ("note", true), ("size", false)]);
    assert_eq!(ty(&api, "D").doc.as_deref(), Some("Both."));
}

#[test]
fn all_of_members_included_twice_are_read_once() {
    // Each level includes the next twice: 2^40 paths, 41 schemas.
    let mut schemas: Vec<String> = (0..40)
        .map(|i| {
            let next = format!("'#/components/schemas/S{}'", i + 1);
            format!("S{i}: {{allOf: [{{$ref: {next}}}, {{$ref: {next}}}, {{type: object, properties: {{p{i}: {{type: string}}}}}}]}}")
        })
        .collect();
    schemas.push("S40: {type: object, properties: {last: {type: integer}}}".into());
    let api = model(&doc(&schemas.join("\n"), "{}")).unwrap();
    let names: Vec<&str> = fields(&api, "S0")
        .iter()
        .map(|f| f.wire_name.as_str())
        .collect();
    assert_eq!(names.len(), 41);
    assert_eq!((names[0], names[40]), ("last", "p0"));
    // Members that include each other are still an error, found at once.
    let cycle = "A: {allOf: [{$ref: '#/components/schemas/B'}, {$ref: '#/components/schemas/B'}]}\nB: {allOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/A'}]}";
    let err = model(&doc(cycle, "{}")).unwrap_err().to_string();
    assert!(err.contains("nest too deeply"), "{err}");
}

#[test]
fn path_keys_with_fragments_queries_and_mixed_segments() {
    let paths = "/a/{id}.json#one:\n  get:\n    operationId: x.A.One\n    parameters: [{name: id, in: path, required: true, schema: {type: integer}}]\n    responses: {'204': {description: ok}}\n/a/{id}:cancel?beta=true&v=2:\n  post:\n    operationId: x.A.Two\n    parameters: [{name: id, in: path, required: true, schema: {$ref: '#/components/schemas/K'}}]\n    responses: {'204': {description: ok}}";
    let api = model(&doc("K: {type: string, enum: [a, b]}", paths)).unwrap();
    let ops = &api.groups[0].operations;
    assert_eq!(ops[0].path, "/a/{id}.json");
    assert_eq!(
        ops[0].segments,
        [
            Segment::Literal("a".into()),
            Segment::Mixed(vec![Segment::Param(0), Segment::Literal(".json".into())])
        ]
    );
    assert!(ops[0].fixed_query.is_empty());
    assert_eq!(ops[1].path, "/a/{id}:cancel");
    assert_eq!(
        ops[1].fixed_query,
        [
            ("beta".to_string(), "true".to_string()),
            ("v".into(), "2".into())
        ]
    );
    let bad = "'/a/{id':\n  get:\n    parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n    responses: {'204': {description: ok}}";
    let error = model(&doc("{}", bad)).unwrap_err().to_string();
    assert!(
        error.contains("path segment `{id` has an unbalanced or empty `{}`"),
        "{error}"
    );
}

#[test]
fn bodies_are_json_first_then_the_first_offered() {
    let op = |name: &str, content: &str| {
        format!("/{name}:\n  post:\n    operationId: x.A.{name}\n    requestBody: {{content: {content}}}\n    responses: {{'200': {{description: ok, content: {{'text/plain; charset=utf-8': {{schema: {{type: string}}}}}}}}}}\n")
    };
    let paths = [
        op("Json", "{application/xml: {schema: {type: string}}, application/merge-patch+json: {schema: {type: object}}}"),
        op("Form", "{application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: string}}}}, multipart/form-data: {}}"),
        op("Bytes", "{image/png: {}, text/plain: {}}"),
        op("Text", "{text/csv: {}}"),
    ]
    .concat();
    let api = model(&doc("{}", &paths)).unwrap();
    let media: Vec<(&str, Media, Media)> = api.groups[0]
        .operations
        .iter()
        .map(|o| {
            (
                o.spec_name.as_str(),
                o.body.as_ref().unwrap().media.clone(),
                o.response_media.clone(),
            )
        })
        .collect();
    let text = || Media::Text("text/plain".into());
    assert_eq!(
        media,
        [
            ("Bytes", Media::Binary("image/png".into()), text()),
            ("Form", Media::Form, text()),
            (
                "Json",
                Media::Json("application/merge-patch+json".into()),
                text()
            ),
            ("Text", Media::Text("text/csv".into()), text()),
        ]
    );
}

#[test]
fn form_and_multipart_answers_are_bytes_and_wildcard_bodies_octet_streams() {
    let paths = "/parts:\n  post:\n    operationId: x.A.Parts\n    requestBody: {content: {'*/*': {schema: {type: string, format: binary}}}}\n    responses: {'200': {description: ok, content: {'multipart/form-data; boundary=x': {schema: {type: object, properties: {a: {type: string}}}}}}}";
    let api = model(&doc("{}", paths)).unwrap();
    let op = &api.groups[0].operations[0];
    let body = op.body.as_ref().unwrap();
    assert_eq!(body.media, Media::Binary("application/octet-stream".into()));
    assert_eq!(
        op.response_media,
        Media::Binary("multipart/form-data".into())
    );
    assert_eq!(op.response, Some(TypeRef::Scalar(Scalar::Bytes)));
}

#[test]
fn a_union_of_strings_is_a_string_parameter() {
    let schemas = "\
Name: {type: string, pattern: '^[a-z]+$'}
NameOrId:
  oneOf:
    - {type: string, format: uuid}
    - {$ref: '#/components/schemas/Name'}
Shape: {oneOf: [{type: string}, {type: object, properties: {a: {type: string}}}]}";
    let ops = "\
/vpcs/{vpc}:
  get:
    operationId: x.Get
    parameters:
      - {name: vpc, in: path, required: true, schema: {$ref: '#/components/schemas/NameOrId'}}
      - {name: owner, in: query, schema: {anyOf: [{type: string}, {type: string, enum: [me]}]}}
      - {name: X-Project, in: header, schema: {$ref: '#/components/schemas/NameOrId'}}
    responses: {'204': {description: done}}";
    let api = model(&doc(schemas, ops)).unwrap();
    let params = &api.groups[0].operations[0].params;
    let types: Vec<(&str, &TypeRef)> = params
        .iter()
        .map(|p| (p.wire_name.as_str(), &p.ty))
        .collect();
    let string = TypeRef::Scalar(Scalar::String);
    assert_eq!(
        types,
        [("vpc", &string), ("owner", &string), ("X-Project", &string)]
    );
    // A union with a member that is not text stays refused in a path.
    let refused = ops.replace(
        "schemas/NameOrId'}}\n      - {name: owner",
        "schemas/Shape'}}\n      - {name: owner",
    );
    let err = model(&doc(schemas, &refused)).unwrap_err();
    assert!(
        err.to_string()
            .contains("path parameter `vpc` must be a string"),
        "{err}"
    );
}

/// A document with one operation answering `response` and taking `body`
/// and `parameter`, and a component of each kind to point them at.
fn misfiled(response: &str, body: &str, parameter: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /data:
    put:
      operationId: x.Put
      parameters: [{{$ref: '{parameter}'}}]
      requestBody: {{$ref: '{body}'}}
      responses:
        '200': {{$ref: '{response}'}}
components:
  schemas:
    Data: {{type: object, properties: {{value: {{type: string}}}}}}
  parameters:
    Limit: {{name: limit, in: query, schema: {{type: integer, format: int32}}}}
  headers:
    Trace: {{schema: {{type: string}}}}
  requestBodies:
    DataPutResponse:
      description: The data.
      content: {{application/json: {{schema: {{$ref: '#/components/schemas/Data'}}}}}}
  responses:
    DataBody:
      description: The data to put.
      content: {{application/json: {{schema: {{$ref: '#/components/schemas/Data'}}}}}}
"
    )
}

#[test]
fn references_into_another_section_are_read_when_they_fit_with_a_warning() {
    let yaml = misfiled(
        "#/components/requestBodies/DataPutResponse",
        "#/components/responses/DataBody",
        "#/components/parameters/Limit",
    );
    let api = model(&yaml).unwrap();
    let op = &api.groups[0].operations[0];
    let data = TypeRef::Named(super::passes::testing::id(&api, "Data"));
    assert_eq!(op.response.as_ref(), Some(&data));
    assert_eq!(op.body.as_ref().map(|b| &b.ty), Some(&data));
    assert_eq!(op.params[0].wire_name, "limit");
    let warnings: Vec<String> = api.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "/paths/~1data/put/responses/200: reference `#/components/requestBodies/DataPutResponse` is not in `components/responses`; read as a response, which it has the shape of",
            "/paths/~1data/put/requestBody: reference `#/components/responses/DataBody` is not in `components/requestBodies`; read as a request body, which it has the shape of",
            "/paths/~1data/put: `x.Put` (PUT /data) is not in the effects table (`x-c1-effect`, spec/c1.overlay.yaml): treated as a write that is neither idempotent nor retried once it may have been sent; review what it does and add it",
        ]
    );
}

/// A document of three operations, each with the `x-c1-effect` given
/// (`None`: none).
fn with_effects(effects: [Option<&str>; 3]) -> String {
    let op = |id: &str, effect: Option<&str>| {
        let effect = effect.map_or(String::new(), |e| format!("\n      x-c1-effect: {e}"));
        format!("\n    post:\n      operationId: s.{id}{effect}\n      responses: {{'200': {{description: ok}}}}")
    };
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:{}\n  /b:{}\n  /c:{}\n",
        op("GetA", effects[0]),
        op("GetB", effects[1]),
        op("Make", effects[2])
    )
}

#[test]
fn effects_come_from_the_table_never_from_names() {
    let api = model(&with_effects([
        Some("{kind: read}"),
        Some("{kind: write, idempotent: false, consumes: true, sensitive: true}"),
        None,
    ]))
    .unwrap();
    let ops = &api.groups[0].operations;
    let by = |name: &str| ops.iter().find(|o| o.name == name).unwrap();
    let (a, b, make) = (by("get_a"), by("get_b"), by("make"));
    assert!(a.reads() && a.effect.idempotent);
    assert_eq!(a.effect.retries(), Retries::Idempotent);
    // Named `get`, but it uses something up: a write, never retried.
    assert!(!b.reads() && b.effect.consumes && b.effect.sensitive);
    assert_eq!(b.effect.retries(), Retries::Never);
    // Not in the table: a write, retried only when unsent, and a warning.
    assert_eq!(make.effect, Effect::UNREVIEWED);
    assert_eq!(make.effect.retries(), Retries::Unsent);
    let warnings: Vec<String> = api.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("/paths/~1c/post: `s.Make` (POST /c) is not in the effects table"),
        "{warnings:?}"
    );
}

#[test]
fn a_document_without_the_table_gets_one_warning_for_all() {
    let api = model(&with_effects([None, None, None])).unwrap();
    let warnings: Vec<String> = api.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("no operation has an effect"),
        "{warnings:?}"
    );
    assert!(
        warnings[0].contains("all 3 are treated as a write"),
        "{warnings:?}"
    );
}

#[test]
fn a_malformed_effect_is_an_error_at_its_pointer() {
    for (effect, message) in [
        (
            "{kind: maybe}",
            "an effect's `kind` is `read`, `write` or `destructive`",
        ),
        ("{kind: write}", "a write says whether it is `idempotent`"),
        ("{kind: read, idempotent: false}", "a read is idempotent"),
        (
            "{kind: read, safe: true}",
            "`safe` is not a field of an effect",
        ),
        (
            "{kind: read, consumes: 'yes'}",
            "an effect's `consumes` is true or false",
        ),
        ("read", "an effect is an object"),
    ] {
        let err = model(&with_effects([
            Some(effect),
            Some("{kind: read}"),
            Some("{kind: read}"),
        ]))
        .err()
        .unwrap_or_else(|| panic!("{effect} was accepted"))
        .to_string();
        assert!(err.contains("/paths/~1a/post/x-c1-effect"), "{err}");
        assert!(err.contains(message), "{effect}: {err}");
    }
}

#[test]
fn references_into_another_section_that_do_not_fit_are_errors() {
    let yaml = misfiled(
        "#/components/schemas/Data",
        "#/components/responses/Nope",
        "#/components/headers/Trace",
    );
    let err = model(&yaml).unwrap_err().to_string();
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        [
            "/paths/~1data/put/parameters/0: reference `#/components/headers/Trace` does not name a parameter in `components/parameters`: what it names has no `name`, `in`, which a parameter needs",
        ]
    );
    let yaml = misfiled(
        "#/components/requestBodies/DataPutResponse",
        "#/components/responses/Nope",
        "#/components/parameters/Limit",
    );
    let err = model(&yaml).unwrap_err().to_string();
    assert!(err.contains("/paths/~1data/put/requestBody: reference `#/components/responses/Nope` does not name a request body in `components/requestBodies`"), "{err}");
    let yaml = misfiled(
        "#/components/schemas/Data",
        "#/components/responses/DataBody",
        "#/components/parameters/Limit",
    );
    let err = model(&yaml).unwrap_err().to_string();
    assert_eq!(err, "/paths/~1data/put/responses/200: reference `#/components/schemas/Data` does not name a response in `components/responses`: what it names has no `content`, which a response needs");
}

#[test]
fn a_union_member_that_is_the_union_itself_is_left_out() {
    let schemas = "\
A: {type: object, properties: {a: {type: string}}}
U: {oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/U'}]}
V: {oneOf: [{$ref: '#/components/schemas/V'}]}";
    let api = model(&doc(schemas, "{}")).unwrap();
    assert_eq!(union(&api, "U").variants.len(), 1);
    assert!(matches!(
        ty(&api, "V").kind,
        TypeKind::Alias(TypeRef::Scalar(Scalar::Any))
    ));
    let warnings: Vec<String> = api.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "/components/schemas/U/oneOf/1: this member is the union itself, which adds no values: left out",
            "/components/schemas/V/oneOf/0: this member is the union itself, which adds no values: left out",
            "/components/schemas/V: a union with no member but itself is typed as serde_json::Value",
        ]
    );
}
