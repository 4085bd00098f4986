//! Client configuration for the C1 server.

use c1_client::Client;

#[test]
fn tenant_fills_the_server_url() {
    let client = Client::builder().tenant("acme").build().unwrap();
    assert_eq!(client.base_url().as_str(), "https://acme.conductor.one/");
}

#[test]
fn eu_tenants_and_hosts_are_their_own_server() {
    for (tenant, expected) in [
        ("acme.c1eu.ai", "https://acme.c1eu.ai/"),
        ("https://ACME.c1eu.ai/", "https://acme.c1eu.ai/"),
        ("acme.conductor.one", "https://acme.conductor.one/"),
        (
            "https://acme.conductor.one/some/page",
            "https://acme.conductor.one/",
        ),
    ] {
        let client = Client::builder().tenant(tenant).build().unwrap();
        assert_eq!(client.base_url().as_str(), expected, "{tenant}");
    }
}

#[test]
fn server_variables_default_to_the_spec() {
    let client = Client::builder().build().unwrap();
    assert_eq!(client.base_url().as_str(), "https://example.conductor.one/");
}

#[test]
fn contradictory_or_bad_settings_are_errors() {
    let err = Client::builder()
        .tenant("a")
        .base_url("http://x")
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid client configuration: give a base URL or server variables (such as the tenant), not both"
    );
    let err = Client::builder().tenant("acme corp").build().unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid client configuration: `acme corp` is not a tenant (a name has only letters, digits and `-`): give its name (`acme`), its host (`acme.conductor.one`, or `acme.c1eu.ai` for an EU tenant) or its URL (`https://acme.conductor.one`)"
    );
    let err = Client::builder()
        .server_variable("tenantDomain", "evil.com/x")
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid client configuration: `evil.com/x` is not a valid value for the server variable `tenantDomain`"
    );
    let err = Client::builder()
        .tenant("acme.c1eu.ai")
        .base_url("http://127.0.0.1:1")
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid client configuration: give a base URL or a tenant, not both"
    );
    let err = Client::builder()
        .server_variable("nope", "x")
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid client configuration: the server URL has no `{nope}` variable"
    );
    let err = Client::builder().base_url("not a url").build().unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid client configuration: invalid server URL `not a url`"),
        "{err}"
    );
}
