//! `ayx api-diff` against a server that describes itself with a document that differs from the
//! client's in known ways: an operation it lacks, one only it has, a renamed field, a new enum
//! value. The server is a plain HTTP server on 127.0.0.1 serving a Swagger UI page and the
//! document it names, as `/webapi/swagger` does.

mod support;

use serde_json::{Value, json};
use support::Ayx;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Serves `/webapi/swagger` (a page naming the document) and `/webapi/swagger/docs/v3`.
async fn swagger_server(document: Value) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let document = document.to_string();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let document = document.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let line = String::from_utf8_lossy(&head).lines().next().unwrap_or_default().to_string();
                let (status, kind, body) = match line.split_whitespace().nth(1) {
                    Some("/webapi/swagger") => (
                        "200 OK",
                        "text/html",
                        r#"<html><script>SwaggerUIBundle({ url: "/webapi/swagger/docs/v3", dom_id: '#swagger-ui' })</script></html>"#.to_string(),
                    ),
                    Some("/webapi/swagger/docs/v3") => ("200 OK", "application/json", document),
                    _ => ("404 Not Found", "text/plain", "not found".to_string()),
                };
                let raw = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(raw.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}/webapi")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_servers_document_is_compared_with_the_clients_by_group() {
    let mut doc = workspace_tests::alteryx_document();
    // An operation the server lacks, one only it has, a renamed field, a new enum value.
    doc["paths"]["/v3/workflows/{workflowId}"].as_object_mut().unwrap().remove("delete");
    doc["paths"]["/v3/serverInfo"] = json!({"get": {"operationId": "getServerInfo", "tags": ["Workflows"], "summary": "The server's version",
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"version": {"type": "string"}}}}}}}}});
    let collection = doc["components"]["schemas"]["Collection"]["properties"].as_object_mut().unwrap();
    let added = collection.remove("dateAdded").unwrap();
    collection.insert("dateCreated".into(), added);
    doc["components"]["schemas"]["Priority"]["enum"].as_array_mut().unwrap().push(json!("Urgent"));
    let url = swagger_server(doc).await;
    let ayx = Ayx::for_server("api-diff", &url);

    let run = ayx.run(&["api-diff", "--json"]).await;
    run.expect(0);
    let report = run.json();
    assert_eq!(report["document"], format!("{url}/swagger/docs/v3"));
    let changes = report["changes"].as_array().unwrap();
    let has = |kind: &str, needle: &str| {
        changes.iter().any(|c| c["kind"] == kind && c["text"].as_str().unwrap().contains(needle))
    };
    assert!(has("server_lacks", "deleteWorkflow"), "{report:#}");
    assert!(has("server_only", "getServerInfo"), "{report:#}");
    assert!(has("differs", "Collection.dateAdded"), "{report:#}");
    assert!(has("differs", "`Urgent`"), "{report:#}");
    let lacks = changes.iter().find(|c| c["kind"] == "server_lacks").unwrap();
    assert!(lacks["group"].as_str().unwrap().starts_with("Workflows"), "{lacks}");
    // Documentation-only changes stay out unless asked for.
    assert!(changes.iter().all(|c| c["kind"] != "docs"));

    // For people, by group; and the same document given directly.
    let run = ayx.run(&["api-diff"]).await;
    run.expect(0);
    assert!(run.stdout.contains("server lacks  operation deleteWorkflow removed"), "{}", run.stdout);
    assert!(run.stdout.contains("server only   new operation getServerInfo"), "{}", run.stdout);
    let direct = ayx.run(&["api-diff", "--spec-url", &format!("{url}/swagger/docs/v3"), "--json"]).await;
    direct.expect(0);
    assert_eq!(direct.json()["changes"], report["changes"]);

    // The doctor reads the server's version from the same document (this server has no token
    // endpoint: the doctor fails there, after saying the version).
    let run = ayx.run(&["doctor", "--json"]).await;
    let version = run.json()["findings"].as_array().unwrap().iter().find(|f| f["check"] == "version").unwrap().clone();
    assert_eq!(version["status"], "ok");
    assert!(version["detail"].as_str().unwrap().starts_with("Alteryx Server API V3 "), "{version}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clients_own_document_shows_no_difference() {
    let url = swagger_server(workspace_tests::alteryx_document()).await;
    let ayx = Ayx::for_server("api-diff-same", &url);
    let run = ayx.run(&["api-diff"]).await;
    run.expect(0);
    assert!(run.stdout.contains("no difference"), "{}", run.stdout);
}
