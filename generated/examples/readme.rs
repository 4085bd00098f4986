//! The usage example of the README, compiled by `cargo test --workspace`
//! (a test in `xtask` checks that the README shows exactly this code).

use c1_client::models::PersonalClientServiceUpdateRequest;

#[tokio::main]
async fn main() -> c1_client::Result<()> {
    let client = c1_client::Client::builder()
        .tenant("acme") // https://acme.conductor.one
        .bearer_token(std::env::var("CONDUCTORONE_ACCESS_TOKEN").unwrap_or_default())
        .build()?;

    let api = client.personal_client();
    for pc in api.list().await?.list.unwrap_or_default() {
        println!("{:?} {:?}", pc.id, pc.display_name);
    }

    // Rename one: copy the fetched client into an update, which sends only
    // the writable fields.
    let mut pc = api
        .get("blue-whale-12345")
        .await?
        .client
        .unwrap_or_default();
    pc.display_name = Some("CI robot".into());
    let request = PersonalClientServiceUpdateRequest {
        client: Some(pc.into()),
        update_mask: Some("displayName".into()),
    };
    api.update("blue-whale-12345", &request).await?;

    api.delete("blue-whale-12345").await?;
    client
        .connector()
        .revoke_credential("app-id", "connector-id", "credential-id")
        .await?;
    Ok(())
}
