//! Runs inside the generated `quirks` fixture crate: what the generator reads from defective or
//! unusual specs, on the wire, against a small HTTP server on 127.0.0.1 (a std thread: the
//! fixture crate has no server framework).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use fixture_quirks::Client;
use fixture_quirks::operations::{
    GetExportParams, ListEventsOptions, ListEventsParams, ReplyToCommentOptions, ReplyToCommentParams, SearchOptions,
};
use fixture_quirks::types::{Document, Either, Occurrence, PurgeQueueAction, ReplyToCommentRequest, Status};
use serde_json::json;

/// Answers one connection per answer, in order, with `(status, JSON body)`; sends each request
/// (head and body, as text) on the channel.
fn serve(answers: Vec<(u16, String)>) -> (Client, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for (status, body) in answers {
            let Ok((mut socket, _)) = listener.accept() else { return };
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            let head_end = loop {
                let n = socket.read(&mut buf).unwrap_or(0);
                if n == 0 {
                    return;
                }
                request.extend_from_slice(&buf[..n]);
                if let Some(i) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                    break i + 4;
                }
            };
            let head = String::from_utf8_lossy(&request[..head_end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            while request.len() < head_end + length {
                let n = socket.read(&mut buf).unwrap_or(0);
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
            }
            tx.send(String::from_utf8_lossy(&request).into_owned()).unwrap();
            let answer = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(answer.as_bytes());
        }
    });
    (Client::builder(url).allow_insecure_http(true).build().unwrap(), rx)
}

fn request_line(request: &str) -> &str {
    request.lines().next().unwrap()
}

fn body_of(request: &str) -> &str {
    request.split_once("\r\n\r\n").unwrap().1
}

#[tokio::test]
async fn nullable_query_parameters_are_left_out_when_none_and_arrays_explode() {
    let document = json!({
        "title": "t",
        "content": "bytes in JSON are text",
        "status": "draft",
        "owner": "ann",
        "reviewer": null,
        "size": 3,
        "extras": [1, "x"],
        "anything": {"a": 1},
        "nothing": null,
        "parent": "bob",
        "never": true
    })
    .to_string();
    let (client, requests) = serve(vec![(200, document.clone()), (200, document)]);
    let found = client.quirks().search(None, SearchOptions::default().tags(vec!["a".into(), "b c".into()])).await.unwrap();
    assert_eq!(request_line(&requests.recv().unwrap()), "GET /search?tags=a&tags=b+c HTTP/1.1");
    // `format: binary` inside JSON is a string; `allOf` around a reference is that type.
    assert_eq!(found.content.as_deref(), Some("bytes in JSON are text"));
    assert_eq!(found.status, Some(Status::Draft));
    assert_eq!(found.owner.as_deref(), Some("ann"));
    assert_eq!(found.reviewer, None);
    assert_eq!(found.size, Some(3));
    assert_eq!(found.extras, Some(vec![json!(1), json!("x")]));
    assert_eq!(found.anything, Some(json!({"a": 1})));
    assert_eq!(found.parent.as_deref(), Some("bob"));

    client.quirks().search(Some(5), SearchOptions::default().after(7)).await.unwrap();
    assert_eq!(request_line(&requests.recv().unwrap()), "GET /search?limit=5&after=7 HTTP/1.1");
}

#[tokio::test]
async fn delimited_query_arrays_are_joined_by_their_delimiter() {
    let (client, requests) = serve(vec![(200, "{}".into())]);
    let options = SearchOptions::default().words(vec!["a".into(), "b".into()]).codes(vec![1, 2]);
    client.quirks().search(None, options).await.unwrap();
    // `spaceDelimited` and `pipeDelimited` are not exploded unless they say so: one pair each.
    assert_eq!(request_line(&requests.recv().unwrap()), "GET /search?words=a+b&codes=1%7C2 HTTP/1.1");
}

#[test]
fn a_document_writes_binary_properties_as_text_and_leaves_out_the_false_property() {
    let mut document = Document::new();
    document.content = Some("text".into());
    document.size = Some(2);
    let value = serde_json::to_value(&document).unwrap();
    assert_eq!(value, json!({"content": "text", "size": 2}));
}

#[tokio::test]
async fn required_parameters_in_a_struct_reach_the_path_and_query() {
    let (client, requests) = serve(vec![(201, r#"{"id": 12}"#.into())]);
    let params = ReplyToCommentParams {
        org: "acme".into(),
        repo: "tools".into(),
        pull: 7,
        comment: 9,
        dry_run: true,
    };
    let reply = client
        .quirks()
        .reply_to_comment(&params, &ReplyToCommentRequest::new("thanks".into()), ReplyToCommentOptions::default().notify(false))
        .await
        .unwrap();
    assert_eq!(reply.id, Some(12));
    let request = requests.recv().unwrap();
    assert_eq!(request_line(&request), "POST /orgs/acme/repos/tools/pulls/7/comments/9?dryRun=true&notify=false HTTP/1.1");
    assert_eq!(serde_json::from_str::<serde_json::Value>(body_of(&request)).unwrap(), json!({"body": "thanks"}));
}

#[tokio::test]
async fn a_paths_fragment_is_not_sent_and_a_204_has_no_body() {
    let (client, requests) = serve(vec![(204, String::new())]);
    // A 204 has no body, whatever content the spec gives it: nothing to decode.
    let () = client.quirks().purge_queue("q 1", PurgeQueueAction::Purge).await.unwrap();
    assert_eq!(request_line(&requests.recv().unwrap()), "POST /queues/q%201/?Action=Purge HTTP/1.1");
}

#[tokio::test]
async fn a_structured_octet_stream_body_is_sent_as_the_callers_bytes() {
    let (client, requests) = serve(vec![(204, String::new())]);
    client.quirks().put_raw(Some(b"\x00raw\xff".to_vec().into())).await.unwrap();
    let request = requests.recv().unwrap();
    assert_eq!(request_line(&request), "PUT /raw HTTP/1.1");
    assert!(request.to_ascii_lowercase().contains("content-type: application/octet-stream"), "{request}");
}

#[tokio::test]
async fn a_path_item_reference_generates_the_operations_again_under_its_own_path() {
    let (client, requests) = serve(vec![(200, r#"[{"name": "a", "size": 1}]"#.into()), (201, String::new())]);
    // The copy's types are its original's, not inline copies under new names.
    let items: Vec<fixture_quirks::types::DocumentsItem> = client.quirks().get_documents_alias().await.unwrap();
    assert_eq!(items[0].name.as_deref(), Some("a"));
    assert_eq!(request_line(&requests.recv().unwrap()), "GET /documents-alias HTTP/1.1");
    let body: Option<&fixture_quirks::types::CreateDocumentRequest> = None;
    client.quirks().post_documents_alias(body).await.unwrap();
    assert_eq!(request_line(&requests.recv().unwrap()), "POST /documents-alias HTTP/1.1");
}

#[tokio::test]
async fn the_page_stream_sets_the_position_in_the_params_struct() {
    use futures_core::Stream;
    use std::pin::Pin;
    let (client, requests) = serve(vec![(200, r#"[{"id": 1}, {"id": 2}]"#.into()), (200, r#"[{"id": 3}]"#.into())]);
    let params = ListEventsParams {
        org: "acme".into(),
        repo: "tools".into(),
        kind: "push".into(),
        since: chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
        limit: 2,
    };
    let mut stream = client.quirks().list_events_stream(params, ListEventsOptions::default());
    let mut ids = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
        ids.push(item.unwrap().id.unwrap());
    }
    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(
        request_line(&requests.recv().unwrap()),
        "GET /orgs/acme/repos/tools/events?kind=push&since=2026-01-02&offset=0&limit=2 HTTP/1.1"
    );
    assert_eq!(
        request_line(&requests.recv().unwrap()),
        "GET /orgs/acme/repos/tools/events?kind=push&since=2026-01-02&offset=2&limit=2 HTTP/1.1"
    );
}

#[tokio::test]
async fn two_required_booleans_are_named_and_the_poll_helper_takes_them_too() {
    let (client, requests) = serve(vec![(200, r#"{"state": "running"}"#.into()), (200, r#"{"state": "done"}"#.into())]);
    let params = GetExportParams { export: "e1".into(), include_logs: true, verbose: false };
    let poll = fixture_quirks::PollOptions::default().interval(std::time::Duration::from_millis(1));
    let export = client.quirks().wait_for_export(params, poll).await.unwrap();
    assert_eq!(export.state, "done");
    for _ in 0..2 {
        assert_eq!(request_line(&requests.recv().unwrap()), "GET /exports/e1?includeLogs=true&verbose=false HTTP/1.1");
    }
}

#[test]
fn all_of_made_of_all_of_merges_every_object_and_incompatible_members_are_any_json() {
    let occurrence: Occurrence = serde_json::from_value(json!({"id": "o1", "kind": "push", "at": "noon"})).unwrap();
    assert_eq!((occurrence.id.as_str(), occurrence.kind.as_deref(), occurrence.at.as_deref()), ("o1", Some("push"), Some("noon")));
    assert!(serde_json::from_value::<Occurrence>(json!({"kind": "push"})).is_err(), "`id` of the innermost base stays required");
    let either: Either = serde_json::from_value(json!("anything")).unwrap();
    assert_eq!(either, json!("anything"));
}
