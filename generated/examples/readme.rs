//! The usage example of the README, compiled by `cargo test --workspace`
//! (a test in `xtask` checks that the README shows exactly this code).

use std::time::Duration;

use c1_client::models::PersonalClientServiceUpdateRequest;
use c1_client::prelude::*;

#[tokio::main]
async fn main() -> c1_client::Result<()> {
    let client = Client::builder()
        .tenant("acme") // or "acme.conductor.one", or "https://acme.conductor.one"
        .bearer_token(std::env::var("CONDUCTORONE_ACCESS_TOKEN").unwrap_or_default())
        .build()?;

    // Every app, fetched 50 to a page, as one stream of items.
    let mut apps = client.apps().list().page_size(50).items();
    while let Some(app) = apps.try_next().await? {
        println!("{:?} {:?}", app.id, app.display_name);
    }

    // One call with its own timeout, and the response's request id.
    let api = client.personal_client();
    let response = api
        .get("blue-whale-12345")
        .timeout(Duration::from_secs(5))
        .with_response()
        .await?;
    println!("request id {:?}", response.request_id());

    // Rename it: copy the fetched client into an update, which sends only
    // the writable fields.
    let mut pc = response.into_inner().client.unwrap_or_default();
    pc.display_name = Some("CI robot".into());
    let request = PersonalClientServiceUpdateRequest {
        client: Some(pc.into()),
        update_mask: Some("displayName".into()),
    };
    api.update("blue-whale-12345", request).await?;

    // Errors answer simple questions.
    match api.delete("blue-whale-12345").await {
        Ok(_) => println!("deleted"),
        Err(e) if e.is_not_found() => println!("already gone"),
        Err(e) => return Err(e),
    }
    Ok(())
}
