//! Manage your C1 personal client credentials from the command line.
//!
//! ```text
//! personal_clients               list them (the default)
//! personal_clients get ID        show one
//! personal_clients rename ID NAME  change its display name
//! personal_clients delete ID     delete it
//! ```
//!
//! Configured from the environment: `CONDUCTORONE_ACCESS_TOKEN`, or
//! `CONDUCTORONE_CLIENT_ID` with `CONDUCTORONE_OIDC_TOKEN` (or
//! `CONDUCTORONE_OIDC_TOKEN_FILE`) or `CONDUCTORONE_CLIENT_SECRET`; the tenant
//! comes from the client id unless `CONDUCTORONE_TENANT_DOMAIN` or
//! `CONDUCTORONE_SERVER_URL` is set. Errors are printed as one line, with
//! exit status 1.

use std::io::Write;
use std::process::ExitCode;

use c1_client::Client;
use c1_client::models::{PersonalClient, PersonalClientServiceUpdateRequest};

const USAGE: &str = "usage: personal_clients [list | get ID | rename ID NAME | delete ID]";

/// What to do.
#[derive(Debug, PartialEq)]
enum Command {
    List,
    Get(String),
    Rename(String, String),
    Delete(String),
}

fn parse(args: &[String]) -> Result<Command, String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["list"] => Ok(Command::List),
        ["get", id] => Ok(Command::Get(id.to_string())),
        ["rename", id, name] => Ok(Command::Rename(id.to_string(), name.to_string())),
        ["delete", id] => Ok(Command::Delete(id.to_string())),
        _ => Err(USAGE.to_string()),
    }
}

type Outcome<T> = Result<T, Box<dyn std::error::Error>>;

async fn execute(client: &Client, command: Command, out: &mut impl Write) -> Outcome<()> {
    let api = client.personal_client();
    match command {
        Command::List => {
            let clients = api.list().await?.list;
            if clients.is_empty() {
                writeln!(out, "no personal clients")?;
            }
            for pc in &clients {
                writeln!(out, "{:<24} {}", text(&pc.id), text(&pc.display_name))?;
            }
        }
        Command::Get(id) => {
            let pc = api
                .get(&id)
                .await?
                .client
                .ok_or(format!("the API returned no client for `{id}`"))?;
            show(&pc, out)?;
        }
        Command::Rename(id, name) => {
            let fetched = api
                .get(&id)
                .await?
                .client
                .ok_or(format!("the API returned no client for `{id}`"))?;
            let mut edited = fetched.clone();
            edited.display_name = Some(name);
            let request = PersonalClientServiceUpdateRequest::from_changes(&fetched, &edited);
            let updated = api.update(&id, request).await?.client.unwrap_or_default();
            writeln!(out, "renamed {id} to {}", text(&updated.display_name))?;
        }
        Command::Delete(id) => match api.delete(&id).await {
            Ok(_) => writeln!(out, "deleted {id}")?,
            Err(e) if e.is_not_found() => writeln!(out, "{id} does not exist")?,
            Err(e) => return Err(e.into()),
        },
    }
    Ok(())
}

fn text(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("-")
}

fn show(pc: &PersonalClient, out: &mut impl Write) -> std::io::Result<()> {
    let time = |t: &Option<time::OffsetDateTime>| t.map_or("-".to_string(), |t| t.to_string());
    let list = |l: &[String]| {
        if l.is_empty() {
            "-".to_string()
        } else {
            l.join(", ")
        }
    };
    writeln!(out, "id:           {}", text(&pc.id))?;
    writeln!(out, "display name: {}", text(&pc.display_name))?;
    writeln!(out, "client id:    {}", text(&pc.client_id))?;
    writeln!(out, "created:      {}", time(&pc.created_at))?;
    writeln!(out, "last used:    {}", time(&pc.last_used_at))?;
    writeln!(out, "expires:      {}", time(&pc.expires_time))?;
    writeln!(out, "source CIDRs: {}", list(&pc.allow_source_cidr))?;
    writeln!(out, "scoped roles: {}", list(&pc.scoped_roles))
}

/// The error as one line.
fn one_line(error: &dyn std::fmt::Display) -> String {
    error
        .to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = async {
        let command = parse(&args)?;
        let client = Client::from_env()?;
        execute(&client, command, &mut std::io::stdout().lock()).await
    };
    match outcome.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn parses_the_commands() {
        assert_eq!(parse(&args(&[])), Ok(Command::List));
        assert_eq!(parse(&args(&["list"])), Ok(Command::List));
        assert_eq!(parse(&args(&["get", "a"])), Ok(Command::Get("a".into())));
        assert_eq!(
            parse(&args(&["rename", "a", "New name"])),
            Ok(Command::Rename("a".into(), "New name".into()))
        );
        assert_eq!(
            parse(&args(&["delete", "a"])),
            Ok(Command::Delete("a".into()))
        );
        assert_eq!(parse(&args(&["delete"])), Err(USAGE.to_string()));
        assert_eq!(parse(&args(&["frobnicate"])), Err(USAGE.to_string()));
    }

    async fn run(server: &MockServer, command: Command) -> Outcome<String> {
        let client = Client::builder()
            .base_url(server.uri())
            .bearer_token("t")
            .build()?;
        let mut out = Vec::new();
        execute(&client, command, &mut out).await?;
        Ok(String::from_utf8(out)?)
    }

    #[tokio::test]
    async fn lists_gets_renames_and_deletes() {
        let server = MockServer::start().await;
        let pc = json!({"id": "blue-whale", "displayName": "old", "clientId": "c", "createdAt": "2024-05-01T12:00:00Z", "scopedRoles": ["r1", "r2"]});
        Mock::given(method("GET"))
            .and(path("/api/v1/iam/personal_clients"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"list": [pc]})))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/v1/iam/personal_clients/blue-whale"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"client": pc})))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/api/v1/iam/personal_clients/blue-whale"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"client": {"id": "blue-whale", "displayName": "new"}})),
            )
            .mount(&server)
            .await;
        Mock::given(method("DELETE"))
            .and(path("/api/v1/iam/personal_clients/blue-whale"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .mount(&server)
            .await;

        assert_eq!(
            run(&server, Command::List).await.unwrap(),
            "blue-whale               old\n"
        );
        let shown = run(&server, Command::Get("blue-whale".into()))
            .await
            .unwrap();
        assert!(
            shown.contains("display name: old\n") && shown.contains("scoped roles: r1, r2\n"),
            "{shown}"
        );
        assert!(
            shown.contains("created:      2024-05-01 12:00:00.0 +00:00:00\n"),
            "{shown}"
        );
        assert_eq!(
            run(&server, Command::Rename("blue-whale".into(), "new".into()))
                .await
                .unwrap(),
            "renamed blue-whale to new\n"
        );
        let update = server
            .received_requests()
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.method.as_str() == "POST")
            .unwrap();
        let sent: serde_json::Value = serde_json::from_slice(&update.body).unwrap();
        assert_eq!(
            sent,
            json!({"client": {"displayName": "new", "scopedRoles": ["r1", "r2"]}, "updateMask": "displayName"})
        );
        assert_eq!(
            run(&server, Command::Delete("blue-whale".into()))
                .await
                .unwrap(),
            "deleted blue-whale\n"
        );
    }

    #[tokio::test]
    async fn errors_are_one_line() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(404).set_body_string("not\nfound\n"))
            .mount(&server)
            .await;
        let err = run(&server, Command::Get("x".into())).await.unwrap_err();
        assert_eq!(one_line(&err), "the API answered 404: not found");
        assert_eq!(
            run(&server, Command::Delete("x".into())).await.unwrap(),
            "x does not exist\n"
        );
    }
}
