//! Tenants as users write them: `acme`, `acme.conductor.one`,
//! `https://acme.conductor.one/`, an EU tenant's `acme.c1eu.ai`, and the host
//! in a client id `name@acme.conductor.one/pcc`.

use std::net::IpAddr;

use url::Url;

/// Where a tenant is.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Server {
    /// A tenant of the server URL's domain (`acme` of `acme.conductor.one`).
    Tenant(String),
    /// A server of its own, such as `https://acme.c1eu.ai`.
    Url(String),
}

/// The forms a tenant can take, for error messages.
pub(crate) const TENANT_FORMS: &str = "give its name (`acme`), its host (`acme.conductor.one`, or `acme.c1eu.ai` for an EU tenant) or its URL (`https://acme.conductor.one`)";

/// Reads a tenant as the official tools do: a bare name is a tenant of the
/// server URL `template` (`https://{tenantDomain}.conductor.one`); a host
/// (with or without `https://`, a trailing `/` or a path, in any case) is
/// that tenant when it is one of the template's domain, and otherwise a
/// server of its own (EU tenants live on `*.c1eu.ai`). `http://` is
/// accepted for loopback hosts only. Errors name the accepted forms and
/// never repeat a `user:password@` part.
pub(crate) fn parse_tenant(template: &str, given: &str) -> Result<Server, String> {
    let shown = without_userinfo(given.trim());
    let invalid = |why: &str| format!("`{shown}` is not a tenant ({why}): {TENANT_FORMS}");
    let text = given.trim();
    if text.is_empty() {
        return Err(format!("the tenant is empty: {TENANT_FORMS}"));
    }
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (Some(scheme.to_ascii_lowercase()), rest),
        None => (None, text.strip_prefix("//").unwrap_or(text)),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority
        .rsplit('@')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if authority.is_empty() {
        return Err(invalid("no host"));
    }
    if scheme.is_none() && !authority.contains(['.', ':']) {
        return match is_label(&authority) {
            true if template.contains("{tenantDomain}") => Ok(Server::Tenant(authority)),
            true => Err(format!(
                "`{shown}` is a tenant name, but the server URL `{template}` has no tenant; give the server's URL"
            )),
            false => Err(invalid("a name has only letters, digits and `-`")),
        };
    }
    let scheme = scheme.unwrap_or_else(|| "https".to_string());
    let url =
        Url::parse(&format!("{scheme}://{authority}")).map_err(|e| invalid(&e.to_string()))?;
    match (scheme.as_str(), is_loopback(&url)) {
        ("https", _) | ("http", true) => {}
        ("http", false) => return Err(invalid("http is allowed only for loopback hosts")),
        _ => return Err(invalid(&format!("`{scheme}` is not https"))),
    }
    let host = url.host_str().unwrap_or_default();
    if matches!(url.host(), Some(url::Host::Domain(_))) && !host.split('.').all(is_label) {
        return Err(invalid(
            "a host is labels of letters, digits and `-`, joined by `.`",
        ));
    }
    match tenant_of(template, host) {
        Some(name) if scheme == "https" && url.port().is_none() => Ok(Server::Tenant(name)),
        _ => Ok(Server::Url(url.as_str().trim_end_matches('/').to_string())),
    }
}

/// The tenant's name when `host` is one of the server URL's domain:
/// `acme` for `acme.conductor.one` and `https://{tenantDomain}.conductor.one`.
fn tenant_of(template: &str, host: &str) -> Option<String> {
    let (_, suffix) = template.split_once("{tenantDomain}")?;
    let suffix = suffix.split(['/', ':']).next().unwrap_or("");
    let name = host.strip_suffix(&suffix.to_ascii_lowercase())?;
    (!suffix.is_empty() && is_label(name)).then(|| name.to_string())
}

/// The server named by a client id `name@acme.conductor.one/pcc` (or
/// `name@acme.c1eu.ai/wfe`), read as [`parse_tenant`] reads a host.
pub(crate) fn server_from_client_id(template: &str, client_id: &str) -> Option<Server> {
    let (_, rest) = client_id.trim().split_once('@')?;
    let host = rest.split('/').next().filter(|h| h.contains('.'))?;
    parse_tenant(template, host).ok()
}

/// One DNS label: letters, digits and `-`, not at either end.
fn is_label(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.ends_with('-')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// `text` without a `user:password@` before its host, so that an error
/// never repeats a password pasted into a URL.
fn without_userinfo(text: &str) -> String {
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), text),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{scheme}{}", &rest[at + 1..]),
        None => text.to_string(),
    }
}

/// Parses a server URL: `https`, or `http` only on a loopback host.
pub(crate) fn check_base_url(url: &str) -> Result<Url, String> {
    let parsed = Url::parse(url).map_err(|e| format!("invalid server URL `{url}`: {e}"))?;
    match parsed.scheme() {
        "https" if parsed.host().is_some() => Ok(parsed),
        "http" if is_loopback(&parsed) => Ok(parsed),
        "http" => Err(format!(
            "invalid server URL `{url}`: http is allowed only for loopback hosts; use https"
        )),
        _ => Err(format!("invalid server URL `{url}`: expected an https URL")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "https://{tenantDomain}.conductor.one";

    fn tenant(name: &str) -> Result<Server, String> {
        Ok(Server::Tenant(name.to_string()))
    }

    fn url(url: &str) -> Result<Server, String> {
        Ok(Server::Url(url.to_string()))
    }

    #[test]
    fn every_form_the_official_tools_accept() {
        let cases = [
            ("acme", tenant("acme")),
            (" Acme ", tenant("acme")),
            ("acme.conductor.one", tenant("acme")),
            ("ACME.Conductor.One", tenant("acme")),
            ("https://acme.conductor.one", tenant("acme")),
            ("https://acme.conductor.one/", tenant("acme")),
            ("HTTPS://acme.conductor.one/api/v1?x=1#y", tenant("acme")),
            ("//acme.conductor.one", tenant("acme")),
            ("my-co-2.conductor.one", tenant("my-co-2")),
            ("acme.c1eu.ai", url("https://acme.c1eu.ai")),
            ("https://acme.c1eu.ai/", url("https://acme.c1eu.ai")),
            ("https://Acme.C1EU.ai", url("https://acme.c1eu.ai")),
            ("c1.example.com", url("https://c1.example.com")),
            (
                "acme.conductor.one:8443",
                url("https://acme.conductor.one:8443"),
            ),
            ("https://c1-staging", url("https://c1-staging")),
            ("http://127.0.0.1:8080", url("http://127.0.0.1:8080")),
            ("http://localhost:3000/", url("http://localhost:3000")),
            ("https://user:pw@acme.conductor.one", tenant("acme")),
        ];
        for (given, expected) in cases {
            assert_eq!(parse_tenant(TEMPLATE, given), expected, "{given}");
        }
    }

    #[test]
    fn what_fits_no_form_is_an_error_naming_the_forms() {
        let cases = [
            ("", "the tenant is empty"),
            ("   ", "the tenant is empty"),
            (
                "acme corp",
                "`acme corp` is not a tenant (a name has only letters",
            ),
            ("-acme", "`-acme` is not a tenant (a name has only letters"),
            ("https://", "`https://` is not a tenant (no host)"),
            (
                "http://acme.conductor.one",
                "http is allowed only for loopback hosts",
            ),
            ("ftp://acme.conductor.one", "`ftp` is not https"),
            ("acme..conductor.one", "a host is labels"),
            ("acme_co.conductor.one", "a host is labels"),
        ];
        for (given, expected) in cases {
            let error = parse_tenant(TEMPLATE, given).unwrap_err();
            assert!(error.contains(expected), "{given}: {error}");
            assert!(error.contains(TENANT_FORMS), "{given}: {error}");
        }
    }

    #[test]
    fn errors_never_repeat_a_password() {
        let error = parse_tenant(TEMPLATE, "ftp://user:hunter2@acme.conductor.one").unwrap_err();
        assert!(!error.contains("hunter2"), "{error}");
        assert!(error.contains("`ftp://acme.conductor.one`"), "{error}");
        let error = parse_tenant(TEMPLATE, "user:hunter2@bad host").unwrap_err();
        assert!(!error.contains("hunter2"), "{error}");
    }

    #[test]
    fn a_name_needs_a_template_with_a_tenant() {
        let error = parse_tenant("https://api.example.com", "acme").unwrap_err();
        assert!(error.contains("has no tenant"), "{error}");
        assert_eq!(
            parse_tenant("https://api.example.com", "api.example.com"),
            url("https://api.example.com")
        );
    }

    #[test]
    fn client_ids_name_the_server() {
        let server = |id| server_from_client_id(TEMPLATE, id);
        assert_eq!(
            server("robot@acme.conductor.one/pcc"),
            Some(Server::Tenant("acme".into()))
        );
        assert_eq!(
            server("fox@acme.c1eu.ai/wfe"),
            Some(Server::Url("https://acme.c1eu.ai".into()))
        );
        assert_eq!(
            server("robot@c1.example.com/pcc"),
            Some(Server::Url("https://c1.example.com".into()))
        );
        assert_eq!(server("robot"), None);
        assert_eq!(server("robot@/pcc"), None);
        assert_eq!(server("robot@acme/pcc"), None, "a host, not a bare name");
    }

    #[test]
    fn http_is_only_for_loopback() {
        for ok in [
            "http://127.0.0.1:1",
            "http://127.8.9.1",
            "http://[::1]:80/x",
            "http://localhost:3000",
            "https://acme.conductor.one",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            check_base_url("http://acme.conductor.one").unwrap_err(),
            "invalid server URL `http://acme.conductor.one`: http is allowed only for loopback hosts; use https"
        );
        assert_eq!(
            check_base_url("http://10.0.0.1").unwrap_err(),
            "invalid server URL `http://10.0.0.1`: http is allowed only for loopback hosts; use https"
        );
        assert_eq!(
            check_base_url("ftp://x").unwrap_err(),
            "invalid server URL `ftp://x`: expected an https URL"
        );
        assert!(
            check_base_url("not a url")
                .unwrap_err()
                .starts_with("invalid server URL `not a url`: ")
        );
    }
}
