//! The runtime on its own, without generated code: calls built the way the `@generated` modules
//! build them, sent over 127.0.0.1 to a small HTTP server that answers from a script and records
//! every request head it reads.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::__private::{HttpMethod, Operation, PathPart};
use crate::{Client, Error};
use crate::{RetryPolicy, TransportKind};

/// Request heads (request line and headers) in arrival order, and the server's base URL.
struct Server {
    base: String,
    heads: Arc<Mutex<Vec<String>>>,
}

/// Answers each request with the next response of `script` (raw HTTP/1.1 responses, one
/// connection each); after the script, every connection is closed unanswered.
async fn serve(script: Vec<String>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api", listener.local_addr().unwrap());
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    tokio::spawn(async move {
        let mut script = script.into_iter();
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let mut read = Vec::new();
            let mut buf = [0u8; 4096];
            while !read.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => read.extend_from_slice(&buf[..n]),
                }
            }
            let text = String::from_utf8_lossy(&read).into_owned();
            seen.lock().unwrap().push(text.split("\r\n\r\n").next().unwrap_or_default().to_string());
            if let Some(response) = script.next() {
                let _ = socket.write_all(response.as_bytes()).await;
            }
        }
    });
    Server { base, heads }
}

fn response(status: &str, headers: &str, body: &str) -> String {
    format!("HTTP/1.1 {status}\r\nconnection: close\r\ncontent-length: {}\r\n{headers}\r\n{body}", body.len())
}

fn json(status: &str, body: &str) -> String {
    response(status, "content-type: application/json\r\n", body)
}

/// Descriptors as the generated modules declare them.
static GET_ITEM: Operation = Operation {
    id: "getItem",
    method: HttpMethod::Get,
    template: "/items/{id}",
    path: &[PathPart::Literal("/items/"), PathPart::Param("id")],
};
static CREATE_ITEM: Operation =
    Operation { id: "createItem", method: HttpMethod::Post, template: "/items", path: &[PathPart::Literal("/items")] };
static DELETE_ITEM: Operation = Operation { id: "deleteItem", method: HttpMethod::Delete, ..GET_ITEM };
static LIST_ITEMS: Operation = Operation { id: "listItems", method: HttpMethod::Get, ..CREATE_ITEM };

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().max_attempts(3).backoff(Duration::from_millis(1), Duration::from_millis(5))
}

#[tokio::test]
async fn a_get_fills_its_path_and_is_retried_after_a_503() {
    let server = serve(vec![
        response("503 Service Unavailable", "retry-after: 0\r\n", "busy"),
        json("200 OK", r#"{"id":"a b"}"#),
    ])
    .await;
    let client = Client::builder(&server.base)
        .allow_insecure_http(true)
        .bearer_token("t0ken")
        .retry(quick_retries())
        .build()
        .unwrap();
    let answer: serde_json::Value = client.request(&GET_ITEM, &[&"a b/c"]).send_json().await.unwrap();
    assert_eq!(answer["id"], "a b");
    let heads = server.heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 2, "one retry: {heads:?}");
    for head in &heads {
        assert!(head.starts_with("GET /api/items/a%20b%2Fc HTTP/1.1\r\n"), "{head}");
        assert!(head.to_ascii_lowercase().contains("authorization: bearer t0ken"), "{head}");
        assert!(head.contains(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))), "{head}");
    }
}

#[tokio::test]
async fn a_post_is_not_retried_and_its_error_keeps_status_and_body() {
    let server = serve(vec![json("503 Service Unavailable", r#"{"message":"busy"}"#)]).await;
    let client = Client::builder(&server.base).allow_insecure_http(true).retry(quick_retries()).build().unwrap();
    let mut request = client.request(&CREATE_ITEM, &[]);
    request.json(&serde_json::json!({"name": "x"}), "application/json");
    let error = request.send_json::<serde_json::Value>().await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!(api.text(), r#"{"message":"busy"}"#);
    assert_eq!(server.heads.lock().unwrap().len(), 1, "POST is not idempotent: one attempt");
}

#[tokio::test]
async fn a_dot_segment_is_refused_before_anything_is_sent() {
    let server = serve(vec![]).await;
    let client = Client::builder(&server.base).allow_insecure_http(true).build().unwrap();
    let error = client.request(&DELETE_ITEM, &[&".."]).send_empty().await.unwrap_err();
    assert!(matches!(error, Error::InvalidArgument { .. }), "{error:?}");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(server.heads.lock().unwrap().is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_a_transport_error_after_the_retries() {
    let server = serve(vec![]).await;
    let client = Client::builder(&server.base).allow_insecure_http(true).retry(quick_retries()).build().unwrap();
    let error = client.request(&LIST_ITEMS, &[]).send_json::<serde_json::Value>().await;
    let error = error.unwrap_err();
    assert!(matches!(&error, Error::Transport { kind: TransportKind::Closed | TransportKind::Reset, .. }), "{error:?}");
    assert_eq!(server.heads.lock().unwrap().len(), 3, "every attempt of the policy");
}

/// A struct declared the way `types.rs` declares them.
#[derive(Debug, PartialEq)]
struct Declared {
    id: String,
    r#type: Option<String>,
    cleared: Option<u32>,
    additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
}

crate::json_object! {
    Declared {
        id: "id" required,
        r#type: "type" optional,
        cleared: "clearedAt" nullable,
    } ..additional_properties
}

#[test]
fn json_object_reads_and_writes_each_kind_of_field() {
    let read: Declared = serde_json::from_str(r#"{"id":"a","clearedAt":null,"extra":[1]}"#).unwrap();
    assert_eq!(read.id, "a");
    assert_eq!(read.r#type, None);
    assert_eq!(read.cleared, None);
    assert_eq!(read.additional_properties["extra"], serde_json::json!([1]));
    // Optional and unset: left out; nullable and unset: null; extra keys after the known ones.
    assert_eq!(serde_json::to_string(&read).unwrap(), r#"{"id":"a","clearedAt":null,"extra":[1]}"#);
    let typed: Declared = serde_json::from_str(r#"{"type":"t","id":"b","clearedAt":3}"#).unwrap();
    assert_eq!((typed.r#type.as_deref(), typed.cleared), (Some("t"), Some(3)));
    // An optional field sent as null reads as unset; a key sent twice keeps its last value.
    let twice: Declared = serde_json::from_str(r#"{"id":"a","id":"b","type":null,"clearedAt":1}"#).unwrap();
    assert_eq!((twice.id.as_str(), twice.r#type, twice.cleared), ("b", None, Some(1)));
    let missing = serde_json::from_str::<Declared>(r#"{"type":"t"}"#).unwrap_err().to_string();
    assert!(missing.contains("missing field `id`"), "{missing}");
    let wrong = serde_json::from_str::<Declared>("[1]").unwrap_err().to_string();
    assert!(wrong.contains("a Declared object"), "{wrong}");
}

/// Two required fields, to see which one an error names.
#[derive(Debug, PartialEq)]
struct Pair {
    first: bool,
    second: Vec<Declared>,
}

crate::json_object! {
    Pair {
        first: "first" required,
        second: "second" required,
    }
}

/// No required field, and no field at all: no unreachable pattern, no warning.
#[derive(Debug, PartialEq)]
struct Loose {
    note: Option<String>,
}

crate::json_object! {
    Loose {
        note: "note" optional,
    }
}

#[derive(Debug, PartialEq)]
struct Empty {}

crate::json_object! { Empty {} }

#[test]
fn json_object_names_the_first_missing_field_and_writes_through_any_serializer() {
    let missing = serde_json::from_str::<Pair>(r#"{"first":true}"#).unwrap_err().to_string();
    assert!(missing.contains("missing field `second`"), "{missing}");
    let missing = serde_json::from_str::<Pair>(r#"{"second":[]}"#).unwrap_err().to_string();
    assert!(missing.contains("missing field `first`"), "{missing}");
    // A nested value's error keeps serde_json's own message and position.
    let nested = serde_json::from_str::<Pair>(r#"{"first":true,"second":[{"id":7}]}"#).unwrap_err();
    assert!(nested.is_data() && nested.column() == 31, "{nested}");
    assert!(nested.to_string().contains("invalid type: integer `7`, expected a string"), "{nested}");

    let pair: Pair = serde_json::from_str(r#"{"second":[{"id":"x","k":"v"}],"first":false}"#).unwrap();
    // Written through serde_json's `Value` serializer as well as its writer.
    let expected = serde_json::json!({"first": false, "second": [{"id": "x", "clearedAt": null, "k": "v"}]});
    assert_eq!(serde_json::to_value(&pair).unwrap(), expected);
    assert_eq!(serde_json::from_value::<Pair>(expected).unwrap(), pair);

    assert_eq!(serde_json::from_str::<Loose>("{}").unwrap(), Loose { note: None });
    assert_eq!(serde_json::to_string(&Loose { note: Some("n".into()) }).unwrap(), r#"{"note":"n"}"#);
    assert_eq!(serde_json::to_string(&Loose { note: None }).unwrap(), "{}");
    assert_eq!(serde_json::from_str::<Empty>(r#"{"any":1}"#).unwrap(), Empty {});
    assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
}
