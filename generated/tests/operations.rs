//! Each of the five operations against a small HTTP server on 127.0.0.1:
//! method, path, headers and body sent; response decoded.

use std::sync::{Arc, Mutex};

use c1_client::models::PersonalClientServiceUpdateRequest;
use c1_client::{Client, Error};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A request as the server received it.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("the request body is JSON")
    }
}

/// Serves one canned response per connection, in order, recording requests.
async fn serve(responses: Vec<(u16, &'static str)>) -> (Client, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    tokio::spawn(async move {
        for (status, body) in responses {
            let (mut socket, _) = listener.accept().await.unwrap();
            let request = read_request(&mut socket).await;
            log.lock().unwrap().push(request);
            let reply = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            socket.write_all(reply.as_bytes()).await.unwrap();
        }
    });
    let client = Client::builder()
        .base_url(format!("http://{addr}"))
        .bearer_token("test-token")
        .build()
        .unwrap();
    (client, received)
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Received {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut buf).await.unwrap();
        data.extend_from_slice(&buf[..n]);
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        assert!(n > 0, "connection closed before the headers ended");
    };
    let head = String::from_utf8(data[..head_end].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap().split(' ');
    let (method, target) = (
        first.next().unwrap().to_string(),
        first.next().unwrap().to_string(),
    );
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse().unwrap())
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = socket.read(&mut buf).await.unwrap();
        assert!(n > 0, "connection closed before the body ended");
        data.extend_from_slice(&buf[..n]);
    }
    Received {
        method,
        target,
        headers,
        body: String::from_utf8(data[head_end..head_end + length].to_vec()).unwrap(),
    }
}

const CLIENT: &str = r#"{"client": {"id": "blue-whale-12345", "displayName": "robot", "createdAt": "2024-05-01T12:00:00.123456789Z", "unknownField": 1}}"#;

#[tokio::test]
async fn list_sends_get_and_decodes_the_page() {
    let (client, received) = serve(vec![(
        200,
        r#"{"list": [{"id": "a"}, {"id": "b"}], "nextPageToken": ""}"#,
    )])
    .await;
    let page = client.personal_client().list().await.unwrap();
    let ids: Vec<String> = page
        .list
        .unwrap()
        .into_iter()
        .filter_map(|c| c.id)
        .collect();
    assert_eq!(ids, ["a", "b"]);
    let request = received.lock().unwrap()[0].clone();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("GET", "/api/v1/iam/personal_clients")
    );
    assert_eq!(request.header("authorization"), Some("Bearer test-token"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.body, "");
}

#[tokio::test]
async fn get_encodes_the_id_as_one_segment() {
    let (client, received) = serve(vec![(200, CLIENT)]).await;
    let got = client.personal_client().get("a/b?c#d%e f-ü").await.unwrap();
    assert_eq!(got.client.unwrap().display_name.as_deref(), Some("robot"));
    let request = received.lock().unwrap()[0].clone();
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.target,
        "/api/v1/iam/personal_clients/a%2Fb%3Fc%23d%25e%20f-%C3%BC"
    );
}

#[tokio::test]
async fn update_sends_only_writable_fields() {
    let (client, received) = serve(vec![(200, CLIENT), (200, CLIENT)]).await;
    let api = client.personal_client();
    let mut fetched = api.get("blue-whale-12345").await.unwrap().client.unwrap();
    fetched.display_name = Some("renamed".into());
    let request = PersonalClientServiceUpdateRequest {
        client: Some(fetched.into()),
        update_mask: Some("displayName".into()),
    };
    api.update("blue-whale-12345", &request).await.unwrap();
    let sent = received.lock().unwrap()[1].clone();
    assert_eq!(
        (sent.method.as_str(), sent.target.as_str()),
        ("POST", "/api/v1/iam/personal_clients/blue-whale-12345")
    );
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(
        sent.json(),
        json!({"client": {"displayName": "renamed"}, "updateMask": "displayName"})
    );
}

#[tokio::test]
async fn delete_sends_an_empty_object() {
    let (client, received) = serve(vec![(200, "{}")]).await;
    client
        .personal_client()
        .delete("blue-whale-12345")
        .await
        .unwrap();
    let sent = received.lock().unwrap()[0].clone();
    assert_eq!(
        (sent.method.as_str(), sent.target.as_str()),
        ("DELETE", "/api/v1/iam/personal_clients/blue-whale-12345")
    );
    assert_eq!(sent.json(), json!({}));
}

#[tokio::test]
async fn revoke_credential_fills_three_path_parameters() {
    let (client, received) = serve(vec![(200, "{}")]).await;
    client
        .connector()
        .revoke_credential("app 1", "conn/2", "cred-3")
        .await
        .unwrap();
    let sent = received.lock().unwrap()[0].clone();
    assert_eq!(sent.method, "POST");
    assert_eq!(
        sent.target,
        "/api/v1/apps/app%201/connectors/conn%2F2/credentials/cred-3"
    );
    assert_eq!(sent.json(), json!({}));
}

#[tokio::test]
async fn error_status_carries_status_and_body() {
    let (client, _) = serve(vec![(404, r#"{"code": 5, "message": "not found"}"#)]).await;
    let err = client.personal_client().get("missing").await.unwrap_err();
    let Error::Api { status, body } = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(*status, 404);
    assert_eq!(body, r#"{"code": 5, "message": "not found"}"#);
}

#[tokio::test]
async fn undecodable_response_is_a_decode_error() {
    let (client, _) = serve(vec![(200, r#"{"list": "not a list"}"#)]).await;
    let err = client.personal_client().list().await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}
