//! Typed `expanded` lists and their path resolvers, against a loopback
//! server answering a search shaped like the real API's.

use crate::common;

use c1_client::models::{
    App, AppEntitlementSearchServiceSearchRequest, AppEntitlementView, Expanded,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ITEMS: usize = 25;
const APPS: usize = 10;
const RESOURCE_TYPES: usize = 32;
const RESOURCES: usize = 32;

/// An `App` as the API writes it: unset messages `null`, int64 as strings,
/// empty strings and lists for unset scalars.
fn app(i: usize) -> Value {
    json!({
        "@type": "type.googleapis.com/c1.api.app.v1.App",
        "id": format!("app-{i}"),
        "displayName": format!("App {i}"),
        "description": "",
        "userCount": format!("{}", 1000 + i),
        "monthlyCostUsd": 0,
        "identityMatching": null,
        "appOwners": [],
        "createdAt": "2024-05-01T10:00:00.123456Z",
        "deletedAt": null,
        "isDirectory": false,
        "fieldMask": null
    })
}

fn resource_type(i: usize) -> Value {
    json!({
        "@type": "type.googleapis.com/c1.api.app.v1.AppResourceType",
        "id": format!("rt-{i}"),
        "appId": format!("app-{}", i % APPS),
        "displayName": "Group",
        "traitIds": ["GROUP"],
        "updatedAt": "2024-05-02T00:00:00Z"
    })
}

fn resource(i: usize) -> Value {
    json!({
        "@type": "type.googleapis.com/c1.api.app.v1.AppResource",
        "id": format!("res-{i}"),
        "appId": format!("app-{}", i % APPS),
        "appResourceTypeId": format!("rt-{i}"),
        "grantCount": "17",
        "secretTrait": null,
        "profile": {"source": "okta"},
        "parentAppResourceId": "",
        "customDescription": ""
    })
}

/// Item `i` of the page: its entitlement and where its app, resource type
/// and resource are in `expanded` (apps first, then types, then resources).
fn item(i: usize) -> Value {
    json!({
        "appEntitlement": {
            "id": format!("ent-{i}"),
            "appId": format!("app-{}", i % APPS),
            "durationGrant": "43200s",
            "durationUnset": null,
            "grantCount": format!("{i}"),
            "provisionerPolicy": null,
            "complianceFrameworkValueIds": [],
            "sourceConnectorIds": {},
            "alias": "",
            "purpose": "APP_ENTITLEMENT_PURPOSE_VALUE_PERMISSION"
        },
        "appPath": format!("$.expanded[{}]", i % APPS),
        "appResourceTypePath": format!("$.expanded[{}]", APPS + i),
        "appResourcePath": format!("$.expanded[{}]", APPS + RESOURCE_TYPES + i),
        "objectPermissions": null
    })
}

fn page() -> Value {
    let expanded: Vec<Value> = (0..APPS)
        .map(app)
        .chain((0..RESOURCE_TYPES).map(resource_type))
        .chain((0..RESOURCES).map(resource))
        .collect();
    json!({
        "list": (0..ITEMS).map(item).collect::<Vec<_>>(),
        "expanded": expanded,
        "nextPageToken": "",
        "facets": null
    })
}

async fn search(body: Value) -> c1_client::models::AppEntitlementSearchServiceSearchResponse {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/search/entitlements"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let client = common::client(&server);
    let request = AppEntitlementSearchServiceSearchRequest::default();
    client
        .app_entitlement_search()
        .search(request)
        .await
        .unwrap()
}

#[tokio::test]
async fn expanded_objects_decode_by_type_and_paths_resolve_to_them() {
    let page = search(page()).await;
    assert_eq!(page.list.len(), ITEMS);
    assert_eq!(page.expanded.len(), APPS + RESOURCE_TYPES + RESOURCES);
    let count = |f: fn(&Expanded) -> bool| page.expanded.iter().filter(|e| f(e)).count();
    assert_eq!(count(|e| matches!(e, Expanded::App(_))), APPS);
    assert_eq!(
        count(|e| matches!(e, Expanded::AppResourceType(_))),
        RESOURCE_TYPES
    );
    assert_eq!(count(|e| matches!(e, Expanded::AppResource(_))), RESOURCES);
    for (i, item) in page.list.iter().enumerate() {
        let app = item.app(&page.expanded).unwrap();
        assert_eq!(
            app.id.as_deref(),
            Some(format!("app-{}", i % APPS).as_str())
        );
        assert_eq!(app.user_count, Some(1000 + (i % APPS) as i64));
        assert_eq!(app.description.as_deref(), Some(""));
        assert!(app.app_owners.is_empty() && app.identity_matching.is_none());
        let kind = item.app_resource_type(&page.expanded).unwrap();
        assert_eq!(kind.id.as_deref(), Some(format!("rt-{i}").as_str()));
        assert_eq!(kind.trait_ids, ["GROUP"]);
        let resource = item.app_resource(&page.expanded).unwrap();
        assert_eq!(resource.app_resource_type_id, kind.id);
        assert_eq!(resource.grant_count, Some(17));
        let entitlement = item.app_entitlement.as_ref().unwrap();
        assert_eq!(
            entitlement.duration_grant,
            Some(time::Duration::seconds(43200))
        );
        assert_eq!(entitlement.grant_count, Some(i as i64));
    }
    assert_eq!(
        page.expanded[0].type_name(),
        Some("c1.api.app.v1.App"),
        "a typed object still names its type"
    );
}

#[tokio::test]
async fn unknown_types_and_objects_that_do_not_decode_are_kept_as_they_came() {
    let mut body = page();
    let unknown = json!({"@type": "type.googleapis.com/c1.api.future.v1.Gadget", "id": "g"});
    let broken = json!({"@type": "type.googleapis.com/c1.api.app.v1.App", "id": "x", "createdAt": "yesterday"});
    body["expanded"][3] = unknown.clone();
    body["expanded"][4] = broken.clone();
    body["expanded"][6] = json!("not an object");
    let page = search(body).await;
    assert_eq!(page.expanded.len(), APPS + RESOURCE_TYPES + RESOURCES);
    let (Expanded::Other(kept_unknown), Expanded::Other(kept_broken)) =
        (&page.expanded[3], &page.expanded[4])
    else {
        panic!("both kept: {:?}", &page.expanded[3..5])
    };
    assert_eq!(Value::Object(kept_unknown.clone()), unknown);
    assert_eq!(Value::Object(kept_broken.clone()), broken);
    assert_eq!(
        page.expanded[3].type_name(),
        Some("c1.api.future.v1.Gadget")
    );
    let Expanded::Other(text) = &page.expanded[6] else {
        panic!("kept: {:?}", page.expanded[6])
    };
    assert_eq!(
        Value::Object(text.clone()),
        json!({"value": "not an object"})
    );
    // Item 3 points at the unknown object: no `App` there; item 5 still resolves.
    assert!(page.list[3].app(&page.expanded).is_none());
    assert!(page.list[5].app(&page.expanded).is_some());
}

#[test]
fn paths_that_are_unset_or_out_of_range_resolve_to_nothing() {
    let expanded = vec![Expanded::App(App {
        id: Some("a".into()),
        ..App::default()
    })];
    let mut view = AppEntitlementView {
        app_path: Some("$.expanded[0]".into()),
        ..AppEntitlementView::default()
    };
    assert_eq!(view.app(&expanded).and_then(|a| a.id.as_deref()), Some("a"));
    assert!(view.app_resource(&expanded).is_none(), "unset path");
    view.app_path = Some("$.expanded[1]".into());
    assert!(view.app(&expanded).is_none(), "out of range");
}

#[test]
fn expanded_objects_are_written_with_their_type() {
    let app = Expanded::App(App {
        id: Some("a".into()),
        user_count: Some(3),
        ..App::default()
    });
    let json = serde_json::to_value(&app).unwrap();
    assert_eq!(
        json,
        json!({"@type": "type.googleapis.com/c1.api.app.v1.App", "id": "a", "userCount": "3"})
    );
    let back: Expanded = serde_json::from_value(json).unwrap();
    assert_eq!(back, app);
}
