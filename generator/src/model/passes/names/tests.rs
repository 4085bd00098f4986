//! One test per namespace: names the spec makes collide come out unique,
//! the first in spec order keeps its name, wire names are kept.

use super::*;
use crate::model::ir::Location;
use crate::model::passes::testing::{doc, id, lowered};

/// The model of a document after this pass.
fn named(schemas: &str, paths: &str) -> Api {
    let api = lowered(&doc(schemas, paths)).unwrap();
    assert_eq!(duplicates(&api), Vec::<String>::new());
    api
}

fn op<'a>(api: &'a Api, spec_name: &str) -> &'a Operation {
    let ops = api.groups.iter().flat_map(|g| &g.operations);
    ops.clone()
        .find(|o| o.spec_name == spec_name)
        .unwrap_or_else(|| panic!("no {spec_name}"))
}

/// `(rust, wire)` of each parameter, then the body's name.
fn arguments(op: &Operation) -> Vec<(String, String)> {
    let params = op
        .params
        .iter()
        .map(|p| (p.name.clone(), p.wire_name.clone()));
    let body = op
        .body
        .iter()
        .map(|b| (b.name.clone(), "(body)".to_string()));
    params.chain(body).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn filter_parameters_get_a_name_each() {
    let paths = "/calls:\n  get:\n    operationId: x.ListCall\n    parameters:\n      - {name: DateCreated, in: query, schema: {type: string}}\n      - {name: DateCreated<, in: query, schema: {type: string}}\n      - {name: DateCreated>, in: query, schema: {type: string}}\n      - {name: StartTime>=, in: query, schema: {type: string}}\n      - {name: date_created, in: query, schema: {type: string}}\n      - {name: date-created, in: header, schema: {type: string}}\n    responses: {'204': {description: done}}";
    let api = named("{}", paths);
    assert_eq!(
        arguments(op(&api, "ListCall")),
        pairs(&[
            ("date_created", "DateCreated"),
            ("date_created_lt", "DateCreated<"),
            ("date_created_gt", "DateCreated>"),
            ("start_time_gte", "StartTime>="),
            ("date_created2", "date_created"),
            ("date_created3", "date-created"),
        ])
    );
}

#[test]
fn arguments_keep_off_the_calls_methods_and_the_body_off_the_parameters() {
    let paths = "/w/{body}:\n  post:\n    operationId: x.Send\n    parameters:\n      - {name: body, in: path, required: true, schema: {type: string}}\n      - {name: request_body, in: query, schema: {type: string}}\n      - {name: timeout, in: query, schema: {type: string}}\n      - {name: Timeout, in: header, schema: {type: string}}\n      - {name: timeout_param, in: query, schema: {type: string}}\n    requestBody: {content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}\n    responses: {'204': {description: done}}";
    let api = named("{}", paths);
    let send = op(&api, "Send");
    assert_eq!(
        arguments(send),
        pairs(&[
            ("body", "body"),
            ("request_body", "request_body"),
            ("timeout_param", "timeout"),
            ("timeout2", "Timeout"),
            ("timeout_param2", "timeout_param"),
            ("body2", "(body)"),
        ])
    );
    assert_eq!(send.params[3].location, Location::Header);
}

#[test]
fn struct_fields_are_unique_and_keep_their_wire_names() {
    let schemas = "Call: {type: object, properties: {DateCreated: {type: string}, date_created: {type: string}, DateCreated<: {type: string}, type: {type: string}, '@type': {type: string}, self: {type: string}, Self: {type: string}}}";
    let api = named(schemas, "{}");
    let TypeKind::Struct(s) = &api.types[id(&api, "Call").0].kind else {
        panic!("not a struct");
    };
    let fields: Vec<(&str, &str)> = s
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.wire_name.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("date_created", "DateCreated"),
            ("date_created2", "date_created"),
            ("date_created_lt", "DateCreated<"),
            ("r#type", "type"),
            ("type2", "@type"),
            ("self_", "self"),
            ("self2", "Self"),
        ]
    );
}

#[test]
fn enum_variants_are_unique_and_the_catch_all_is_another_name() {
    let schemas =
        "Order: {type: string, enum: [created-at, created_at, CREATED AT, UnknownValue, '<', '>']}";
    let api = named(schemas, "{}");
    let TypeKind::Enum(variants) = &api.types[id(&api, "Order").0].kind else {
        panic!("not an enum");
    };
    let names: Vec<(&str, &str)> = variants
        .iter()
        .map(|v| (v.name.as_str(), v.wire_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("CreatedAt", "created-at"),
            ("CreatedAt2", "created_at"),
            ("CreatedAt3", "CREATED AT"),
            ("UnknownValue", "UnknownValue"),
            ("Lt", "<"),
            ("Gt", ">"),
        ]
    );
    assert_eq!(crate::model::protobuf::catch_all(variants), "UnknownValue2");
}

#[test]
fn union_variants_and_the_catch_all_are_unique() {
    let schemas = "\
Pet:
  oneOf:
    - {type: object, title: other, properties: {kind: {type: string, enum: [a]}, x: {type: string}}, required: [kind]}
    - {type: object, title: Other, properties: {kind: {type: string, enum: [b]}, y: {type: string}}, required: [kind]}
  discriminator: {propertyName: kind}";
    let api = named(schemas, "{}");
    let TypeKind::Union(u) = &api.types[id(&api, "Pet").0].kind else {
        panic!("not a union");
    };
    let names: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Other", "Other2"]);
    assert_eq!(u.other.as_deref(), Some("Other3"));
}

#[test]
fn group_modules_keep_off_the_clients_methods_and_the_features() {
    let op = |path: &str, tag: &str| {
        format!("{path}:\n  get:\n    tags: ['{tag}']\n    operationId: x.{tag}\n    responses: {{'204': {{description: done}}}}\n")
    };
    let paths = [
        op("/a", "Client"),
        op("/b", "client_api"),
        op("/c", "default"),
        op("/d", "testing"),
        op("/e", "Builder"),
        op("/f", "Personal Client"),
        op("/g", "conformance"),
    ]
    .concat();
    let api = named("{}", &paths);
    let modules: Vec<(&str, &str)> = api
        .groups
        .iter()
        .map(|g| (g.tag.as_str(), g.module.as_str()))
        .collect();
    assert_eq!(
        modules,
        [
            ("Builder", "builder_api"),
            ("Client", "client_api"),
            ("client_api", "client_api2"),
            ("conformance", "conformance_api"),
            ("default", "default_api"),
            ("Personal Client", "personal_client"),
            ("testing", "testing_api"),
        ]
    );
}

#[test]
fn a_groups_methods_are_unique_and_never_its_constructor() {
    let op = |path: &str, id: &str| {
        format!("{path}:\n  get:\n    tags: [Widgets]\n    operationId: {id}\n    responses: {{'204': {{description: done}}}}\n")
    };
    let paths = [
        op("/a", "c1.WidgetService.List"),
        op("/b", "c1.GadgetService.List"),
        op("/c", "New"),
        op("/d", "x.Client"),
        op("/e", "x.WidgetsApi"),
        op("/f", "x.List"),
    ]
    .concat();
    let api = named("{}", &paths);
    let group = &api.groups[0];
    assert_eq!(
        (group.type_name.as_str(), group.mock_type.as_str()),
        ("WidgetsApi", "WidgetsMock")
    );
    let ops: Vec<(&str, &str, &str)> = group
        .operations
        .iter()
        .map(|o| {
            (
                o.operation_id.as_deref().unwrap_or(""),
                o.name.as_str(),
                o.params_type.as_str(),
            )
        })
        .collect();
    assert_eq!(
        ops,
        [
            (
                "c1.GadgetService.List",
                "c1_gadget_service_list",
                "C1GadgetServiceList"
            ),
            ("x.Client", "client", "ClientParams"),
            ("c1.WidgetService.List", "list", "List"),
            ("New", "new_op", "NewOp"),
            ("x.WidgetsApi", "widgets_api", "WidgetsApi2"),
            ("x.List", "x_list", "XList"),
        ]
    );
}

#[test]
fn type_names_keep_off_the_names_the_models_use() {
    let schemas = "Result: {type: string}\nx.Widget: {type: object, properties: {a: {type: string}}}\ny.Widget: {type: object, properties: {b: {type: string}}}\nString: {type: object, properties: {s: {type: string}}}";
    let api = named(schemas, "{}");
    let mut names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    names.sort_unstable();
    assert!(
        !names.contains(&"Result") && !names.contains(&"String"),
        "{names:?}"
    );
    assert_eq!(names.len(), 4);
}

#[test]
fn a_clash_of_type_names_is_an_internal_error() {
    let mut api = lowered(&doc("A: {type: string}\nB: {type: string}", "{}")).unwrap();
    api.types[1].name = api.types[0].name.clone();
    let error = run(&mut api).unwrap_err().to_string();
    assert!(error.contains("both named `A`"), "{error}");
}

/// Every name the model has twice in one namespace.
fn duplicates(api: &Api) -> Vec<String> {
    let mut found = Vec::new();
    let mut check = |what: String, names: Vec<&str>| {
        let mut seen = std::collections::HashSet::new();
        for name in names {
            if !seen.insert(unraw(name)) {
                found.push(format!("{what}: `{name}` twice"));
            }
        }
    };
    check(
        "types".into(),
        api.types.iter().map(|t| t.name.as_str()).collect(),
    );
    for def in &api.types {
        let names = match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| f.name.as_str()).collect(),
            TypeKind::Enum(v) => v.iter().map(|v| v.name.as_str()).collect(),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .map(|v| v.name.as_str())
                .chain(u.other.as_deref())
                .collect(),
            _ => Vec::new(),
        };
        check(format!("members of {}", def.name), names);
    }
    check(
        "modules".into(),
        api.groups.iter().map(|g| g.module.as_str()).collect(),
    );
    for g in &api.groups {
        let ops = g.operations.iter();
        check(
            format!("methods of {}", g.module),
            ops.clone().map(|o| o.name.as_str()).collect(),
        );
        let types = [g.type_name.as_str(), g.mock_type.as_str(), "Client"];
        let params = ops.clone().map(|o| o.params_type.as_str());
        check(
            format!("types of {}", g.module),
            types.into_iter().chain(params).collect(),
        );
        for op in ops {
            let args = op.params.iter().map(|p| p.name.as_str());
            let body = op.body.iter().map(|b| b.name.as_str());
            check(
                format!("arguments of {}", op.name),
                args.chain(body).collect(),
            );
        }
    }
    found
}
