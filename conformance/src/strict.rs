//! A test server as strict as the document: every request a loopback fake
//! receives is checked against the operation it is for (its path, query,
//! headers and body, the overlay's prose rules included) before it is
//! answered, so that a client that sends what C1 would refuse fails the
//! test, with a message naming the rule.

use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use crate::document::{Document, Operation};
use crate::validate::{match_path, Request, Schemas};

/// The document's operations and their validators.
pub struct Strict {
    operations: Vec<Operation>,
    schemas: Mutex<Schemas>,
}

impl Strict {
    /// The whole API of the workspace's `spec/`, with its overlay, built
    /// once per process (the validators compile as requests need them).
    pub fn whole_api() -> &'static Strict {
        static SHARED: OnceLock<Strict> = OnceLock::new();
        SHARED.get_or_init(|| {
            let doc = Document::whole_api().unwrap_or_else(|e| panic!("{e}"));
            Strict::new(&doc).unwrap_or_else(|e| panic!("{e}"))
        })
    }

    /// The checks of `doc`.
    pub fn new(doc: &Document) -> Result<Strict, crate::Error> {
        Ok(Strict {
            operations: doc.operations(),
            schemas: Mutex::new(Schemas::new(doc)?),
        })
    }

    /// Why C1 would refuse this request, if it would: no operation at its
    /// method and path, or how it departs from the operation's parameters
    /// and body (each problem with its pointer). `url`'s path is the
    /// operation's (the server's root is the API's base).
    pub fn refusal(
        &self,
        method: &str,
        url: &url::Url,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Option<String> {
        let base = url.join("/").ok()?;
        let Some(op) = self.operation(method, &base, url) else {
            return Some(format!(
                "no operation of the document is {method} {}",
                url.path()
            ));
        };
        let body = match body {
            [] => None,
            bytes => match serde_json::from_slice::<Value>(bytes) {
                Ok(value) => Some(value),
                Err(e) => return Some(format!("{}: the body is not JSON: {e}", op.id)),
            },
        };
        let request = Request {
            method: method.to_string(),
            url: url.clone(),
            headers: headers.to_vec(),
            body,
        };
        let mut schemas = self.schemas.lock().unwrap_or_else(|e| e.into_inner());
        let problems = match schemas.check_request(op, &base, &request) {
            Ok(problems) => problems,
            Err(e) => return Some(format!("{}: {e}", op.id)),
        };
        if problems.is_empty() {
            return None;
        }
        let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Some(format!(
            "{} does not conform to the document: {}",
            op.id,
            listed.join("; ")
        ))
    }

    /// The operation a request is for: its method, and the path template
    /// it matches with the most literal segments (`/apps/search` before
    /// `/apps/{id}`).
    fn operation(&self, method: &str, base: &url::Url, url: &url::Url) -> Option<&Operation> {
        self.operations
            .iter()
            .filter(|op| op.method.eq_ignore_ascii_case(method))
            .filter(|op| match_path(&op.path, base, url).is_ok())
            .max_by_key(|op| op.path.split('/').filter(|s| !s.contains('{')).count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(path: &str) -> url::Url {
        url::Url::parse(&format!("http://127.0.0.1:1{path}")).unwrap()
    }

    #[test]
    fn both_account_ids_are_refused_naming_the_rule() {
        let strict = Strict::whole_api();
        let both =
            br#"{"appId": "a", "appEntitlementId": "e", "appUserId": "au", "identityUserId": "u"}"#;
        let refusal = strict
            .refusal("POST", &url("/api/v1/task/grant"), &[], both)
            .expect("refused");
        assert!(
            refusal.contains("appUserId") && refusal.contains("identityUserId"),
            "{refusal}"
        );
        for one in [
            br#"{"appId": "a", "appEntitlementId": "e", "appUserId": "au"}"#.as_slice(),
            br#"{"appId": "a", "appEntitlementId": "e", "identityUserId": "u"}"#,
        ] {
            let refusal = strict.refusal("POST", &url("/api/v1/task/revoke"), &[], one);
            assert_eq!(refusal, None);
        }
    }

    #[test]
    fn page_sizes_out_of_bounds_and_unknown_paths_are_refused() {
        let strict = Strict::whole_api();
        let body = br#"{"pageSize": 500}"#;
        let refusal = strict.refusal("POST", &url("/api/v1/search/tasks"), &[], body);
        assert!(refusal.is_some_and(|r| r.contains("/body/pageSize")));
        let fine = strict.refusal(
            "POST",
            &url("/api/v1/search/tasks"),
            &[],
            br#"{"pageSize": 100}"#,
        );
        assert_eq!(fine, None);
        let refusal = strict.refusal("GET", &url("/api/v1/nowhere"), &[], b"");
        assert!(refusal.is_some_and(|r| r.contains("no operation")));
        let query = strict.refusal("GET", &url("/api/v1/catalogs?page_size=101"), &[], b"");
        assert!(query.is_some_and(|r| r.contains("/query/page_size")));
    }
}
