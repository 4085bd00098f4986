//! How fast a large search response decodes into the generated models,
//! against decoding the same bytes into a `serde_json::Value`.
//!
//! `cargo xtask bench` runs it in release mode; by hand:
//! `cargo run --profile fast -p c1-client --example decode_bench -- [RUNS]`.
//!
//! The response is shaped like the API's user search: 2,000 users with
//! every kind of field the API sends (ids, RFC 3339 timestamps with
//! nanoseconds, enums, lists of strings and of messages, a free-form
//! profile, empty strings and lists for unset values, `null` messages), and
//! an `expanded` list of `@type`-tagged objects.

use std::time::{Duration, Instant};

use c1_client::models::SearchUsersResponse;
use serde_json::{Value, json};

/// The response body: `users` users.
fn search_response(users: usize) -> Vec<u8> {
    let statuses = ["ENABLED", "DISABLED", "DELETED"];
    let list: Vec<Value> = (0..users)
        .map(|i| {
            json!({
                "user": {
                    "id": format!("2Vd0jNNnmLvBHYpXFaDMiAeAPbk{i:05}"),
                    "displayName": format!("User Number {i}"),
                    "email": format!("user{i}@example.com"),
                    "emails": [format!("user{i}@example.com"), format!("u{i}@corp.example.com")],
                    "username": format!("user{i}"),
                    "usernames": [format!("user{i}")],
                    "status": statuses[i % 3],
                    "directoryStatus": statuses[(i + 1) % 3],
                    "type": "USER_TYPE_HUMAN",
                    "origin": "USER_ORIGIN_DIRECTORY",
                    "jobTitle": if i % 4 == 0 { "" } else { "Engineer" },
                    "department": "Research",
                    "employmentStatus": "Active",
                    "employmentType": "",
                    "managerIds": [format!("2Vd0jNNnmLvBHYpXFaDMiAeAPbk{:05}", i / 10)],
                    "directoryIds": ["2Vd0jP3SPa2JcDB7sTLHr1lQ4oU"],
                    "roleIds": [],
                    "employeeIds": [format!("E{i}")],
                    "delegatedUserId": "",
                    "createdAt": "2024-01-15T09:30:00.123456789Z",
                    "updatedAt": format!("2024-06-{:02}T12:00:00Z", i % 28 + 1),
                    "deletedAt": null,
                    "profile": {"costCenter": format!("CC-{}", i % 50), "level": i % 7, "remote": i % 2 == 0},
                    "emailSources": [{"appId": "2Vd0jQ", "appUserId": format!("au{i}"), "appUserProfileAttributeKey": "email", "value": format!("user{i}@example.com")}],
                    "jobTitleSources": [],
                    "managerSources": []
                },
                "managersPath": format!("$.expanded[{}]", i % 40),
                "directoriesPath": "$.expanded[40]",
                "rolesPath": "",
                "delegatedUserPath": ""
            })
        })
        .collect();
    let expanded: Vec<Value> = (0..41)
        .map(|i| {
            json!({
                "@type": "type.googleapis.com/c1.api.user.v1.User",
                "id": format!("manager-{i}"),
                "displayName": format!("Manager {i}"),
                "createdAt": "2023-01-01T00:00:00Z"
            })
        })
        .collect();
    let body = json!({"list": list, "expanded": expanded, "nextPageToken": "eyJvZmZzZXQiOjIwMDB9"});
    serde_json::to_vec(&body).unwrap_or_default()
}

/// The median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let runs = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(21usize)
        .max(1);
    let body = search_response(2000);
    let mb = body.len() as f64 / 1e6;
    let typed = median(runs, || {
        let page: SearchUsersResponse = serde_json::from_slice(&body).expect("decodes");
        std::hint::black_box(page);
    });
    let value = median(runs, || {
        let page: Value = serde_json::from_slice(&body).expect("decodes");
        std::hint::black_box(page);
    });
    let rate = |d: Duration| mb / d.as_secs_f64();
    println!(
        "| decode a {mb:.1} MB user search (2,000 users) into the models | {:.1} ms | {:.0} MB/s; serde_json::Value: {:.1} ms, {:.0} MB/s; models/Value speed {:.2}x, median of {runs} |",
        typed.as_secs_f64() * 1e3,
        rate(typed),
        value.as_secs_f64() * 1e3,
        rate(value),
        rate(typed) / rate(value),
    );
}
