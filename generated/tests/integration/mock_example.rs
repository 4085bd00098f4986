//! The README's example of the `testing` feature, word for word below this
//! comment (`tests/integration/testing.rs` checks that the two stay the same).

use c1_client::models::{
    PersonalClient, PersonalClientServiceGetResponse, PersonalClientServiceUpdateRequest,
    PersonalClientServiceUpdateResponse,
};
use c1_client::testing::MockServer;

/// The code under test: renames a personal client, sending only the change.
async fn rename(client: &c1_client::Client, id: &str, name: &str) -> c1_client::Result<()> {
    let fetched = client
        .personal_client()
        .get(id)
        .await?
        .client
        .unwrap_or_default();
    let mut edited = fetched.clone();
    edited.display_name = Some(name.to_string());
    let update = PersonalClientServiceUpdateRequest::from_changes(&fetched, &edited);
    client.personal_client().update(id, update).await?;
    Ok(())
}

#[tokio::test]
async fn rename_sends_only_the_new_name() {
    let mock = MockServer::start().await;
    let laptop = PersonalClient {
        id: Some("pc-1".into()),
        display_name: Some("laptop".into()),
        ..PersonalClient::default()
    };
    // Expectations take the same arguments as the client's methods.
    let found = PersonalClientServiceGetResponse {
        client: Some(laptop.clone()),
    };
    mock.personal_client()
        .get("pc-1")
        .returns(found)
        .times(1)
        .await;
    let renamed = PersonalClient {
        display_name: Some("desktop".into()),
        ..laptop.clone()
    };
    let update = PersonalClientServiceUpdateRequest::from_changes(&laptop, &renamed);
    let answer = PersonalClientServiceUpdateResponse {
        client: Some(renamed),
    };
    mock.personal_client()
        .update("pc-1", update)
        .returns(answer)
        .times(1)
        .await;
    mock.personal_client()
        .get("gone")
        .fails(404, "no such client")
        .await;

    rename(&mock.client(), "pc-1", "desktop").await.unwrap();
    let error = rename(&mock.client(), "gone", "x").await.unwrap_err();
    assert!(error.is_not_found());

    let calls: Vec<_> = mock
        .received()
        .await
        .into_iter()
        .map(|c| c.operation)
        .collect();
    assert_eq!(
        calls,
        [
            Some("personal_client.get"),
            Some("personal_client.update"),
            Some("personal_client.get")
        ]
    );
    let sent = &mock.received().await[1];
    assert_eq!(sent.body.as_ref().unwrap()["updateMask"], "displayName");
}
