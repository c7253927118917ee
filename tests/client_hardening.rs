//! The client's defences, tried over real TCP on 127.0.0.1 against servers that misbehave on
//! purpose: path parameters that would address another resource are refused before anything is
//! sent (a property test over arbitrary strings checks the raw request path), idempotent calls
//! are retried after a reset, a closed connection or a silent attempt, errors say what happened,
//! and page streams and poll helpers own what they need.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use alteryx_server::operations::{GetWorkflowJobsOptions, GetWorkflowsOptions};
use alteryx_server::types::{CreateJobContract, JobSummary};
use alteryx_server::{Client, Error, Paged, RetryPolicy, TimeoutKind, TransportKind};
use tokio::io::AsyncWriteExt;

use support::builder;

/// What the server does with one connection.
#[derive(Clone)]
enum Conn {
    /// Reads the request, then resets the connection (RST, no answer).
    Reset,
    /// Reads the request, then closes the connection cleanly without answering.
    Close,
    /// Reads the request and says nothing for ten seconds.
    Silent,
    /// Reads the request and writes this whole response.
    Reply(Vec<u8>),
}

/// A raw HTTP/1.1 server: each connection gets the next behaviour of `script` (the last one
/// repeats). Returns the base URL and the request lines received, exactly as sent.
async fn scripted(script: Vec<Conn>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let seen = lines.clone();
    tokio::spawn(async move {
        let mut script = script.into_iter().peekable();
        let mut last = None;
        while let Ok((mut socket, _)) = listener.accept().await {
            let conn = match script.next() {
                Some(c) => {
                    last = Some(c.clone());
                    c
                }
                None => last.clone().unwrap(),
            };
            let seen = seen.clone();
            tokio::spawn(async move {
                let Some(request) = support::read_request_head(&mut socket).await else { return };
                let text = String::from_utf8_lossy(&request).into_owned();
                seen.lock().unwrap().push(text.lines().next().unwrap_or_default().to_string());
                match conn {
                    Conn::Reset => {
                        // SO_LINGER 0: closing sends RST instead of FIN.
                        let std = socket.into_std().unwrap();
                        socket2::SockRef::from(&std).set_linger(Some(Duration::ZERO)).unwrap();
                        drop(std);
                    }
                    Conn::Close => drop(socket),
                    Conn::Silent => {
                        tokio::time::sleep(Duration::from_secs(10)).await;
                    }
                    Conn::Reply(raw) => {
                        let _ = socket.write_all(&raw).await;
                        let _ = socket.shutdown().await;
                    }
                }
            });
        }
    });
    (format!("http://{addr}/webapi"), lines)
}

fn ok(body: &str) -> Conn {
    Conn::Reply(
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

fn client(base: &str) -> Client {
    builder(base).bearer_token("the-bearer-token").timeout(Some(Duration::from_millis(300))).build().unwrap()
}

fn seen(lines: &Arc<Mutex<Vec<String>>>) -> Vec<String> {
    lines.lock().unwrap().clone()
}

// 1. Path parameters that would address another resource.

#[tokio::test]
async fn dot_segments_and_empty_ids_are_refused_before_anything_is_sent() {
    let (base, lines) = scripted(vec![ok("{}")]).await;
    let client = client(&base);
    for bad in ["", ".", ".."] {
        let err = client.workflows().get_workflow(bad).await.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidArgument { operation_id: "getWorkflow", name, .. } if name == "workflowId"),
            "{bad:?}: {err:?}"
        );
        assert!(err.to_string().contains("invalid `workflowId`"), "{err}");
        let err = client.credentials().remove_credential_user_access("cred-1", bad).await.unwrap_err();
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "userId"), "{bad:?}: {err:?}");
        let err = client.credentials().remove_credential_user_access(bad, "user-1").await.unwrap_err();
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "credentialId"), "{bad:?}: {err:?}");
        // The helpers refuse the same values: polling a job with an empty id asks nothing.
        let err = client.jobs().wait_until_done(bad, Default::default(), Default::default()).await.unwrap_err();
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "jobId"), "{bad:?}: {err:?}");
    }
    assert!(seen(&lines).is_empty(), "nothing may reach the server: {:?}", seen(&lines));
    // A value that only looks like one is sent, inside its segment.
    client.workflows().get_workflow("...").await.unwrap();
    assert_eq!(seen(&lines), ["GET /webapi/v3/workflows/... HTTP/1.1"]);
}

/// Percent-decodes one path segment as a server does.
fn decode(segment: &str) -> Vec<u8> {
    let bytes = segment.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            out.push(u8::from_str_radix(&segment[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn any_string_is_refused_or_arrives_intact_in_its_own_segment() {
    use proptest::prelude::*;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (base, lines) = runtime.block_on(scripted(vec![ok("{}")]));
    let client = runtime.block_on(async { client(&base) });
    // Arbitrary text, weighted towards what URL parsers treat specially.
    let special = prop::sample::select(vec![
        ".", "..", "", "/", "%", "%2e", "%2E%2E", "?", "#", "\\", " ", "\t", "\n", "é", "\u{0}", ";", "@", ":", "+",
    ]);
    let piece = prop_oneof![any::<String>(), special.prop_map(str::to_string), "[a-z.]{0,3}"];
    let value = prop::collection::vec(piece, 0..4).prop_map(|parts| parts.concat());
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 400, ..ProptestConfig::default() });
    runner
        .run(&(value.clone(), value), |(credential, user)| {
            lines.lock().unwrap().clear();
            let result = runtime.block_on(client.credentials().remove_credential_user_access(&credential, &user));
            let refused = |v: &str| matches!(v, "" | "." | "..");
            if refused(&credential) || refused(&user) {
                prop_assert!(matches!(result, Err(Error::InvalidArgument { .. })), "{result:?}");
                prop_assert!(seen(&lines).is_empty());
                return Ok(());
            }
            prop_assert!(result.is_ok(), "{result:?}");
            let line = seen(&lines).pop().unwrap();
            let path = line.strip_prefix("DELETE ").and_then(|l| l.strip_suffix(" HTTP/1.1")).unwrap();
            let segments: Vec<&str> = path.split('/').collect();
            prop_assert_eq!(segments.len(), 7, "{}", path);
            prop_assert_eq!(&segments[..4], &["", "webapi", "v3", "credentials"]);
            prop_assert_eq!(segments[5], "users");
            prop_assert_eq!(decode(segments[4]), credential.as_bytes().to_vec(), "{}", path);
            prop_assert_eq!(decode(segments[6]), user.as_bytes().to_vec(), "{}", path);
            Ok(())
        })
        .unwrap();
}

// 2. and 4. Retries after failures that happened before a response status.

async fn workflows(client: &Client) -> Result<usize, Error> {
    client.workflows().get_workflows(GetWorkflowsOptions::default()).await.map(|l| l.len())
}

#[tokio::test]
async fn a_get_is_retried_after_a_reset_or_a_closed_connection() {
    for failure in [Conn::Reset, Conn::Close] {
        let (base, lines) = scripted(vec![failure, ok(r#"[{"id":"w1"}]"#)]).await;
        assert_eq!(workflows(&client(&base)).await.unwrap(), 1);
        assert_eq!(seen(&lines).len(), 2);
    }
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_reset_unless_the_caller_opts_in() {
    let job = r#"{"id":"job-1","status":"Queued"}"#;
    let (base, lines) = scripted(vec![Conn::Reset, ok(job)]).await;
    let err = client(&base).jobs().create_job("wf-1", &CreateJobContract::new()).await.unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportKind::Reset), "{err:?}");
    assert_eq!(seen(&lines).len(), 1);

    let (base, lines) = scripted(vec![Conn::Reset, ok(job)]).await;
    let opted = client(&base).with_retry(RetryPolicy::default().retry_non_idempotent(true));
    let created = opted.jobs().create_job("wf-1", &CreateJobContract::new()).await.unwrap();
    assert_eq!(created.id.as_deref(), Some("job-1"));
    assert_eq!(seen(&lines).len(), 2);
}

#[tokio::test]
async fn a_silent_attempt_of_a_get_is_retried_within_the_deadline() {
    let (base, lines) = scripted(vec![Conn::Silent, ok("[]")]).await;
    assert_eq!(workflows(&client(&base)).await.unwrap(), 0);
    assert_eq!(seen(&lines).len(), 2);

    // A POST that timed out may have been acted on: it is not sent again.
    let (base, lines) = scripted(vec![Conn::Silent, ok("{}")]).await;
    let err = client(&base).jobs().create_job("wf-1", &CreateJobContract::new()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { kind: TimeoutKind::Attempt, .. }), "{err:?}");
    assert_eq!(seen(&lines).len(), 1);

    // The deadline still bounds the whole call: no attempt starts that cannot finish in time.
    let (base, lines) = scripted(vec![Conn::Silent]).await;
    let started = std::time::Instant::now();
    let err = workflows(&client(&base).with_deadline(Some(Duration::from_millis(450)))).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert!(seen(&lines).len() <= 2, "{:?}", seen(&lines));
}

// 3. Errors that say what happened.

#[tokio::test]
async fn transport_errors_say_what_happened_without_secrets() {
    let never = RetryPolicy::never();
    let mut shown = Vec::new();
    let (base, _) = scripted(vec![Conn::Reset]).await;
    let err = workflows(&client(&base).with_retry(never)).await.unwrap_err();
    shown.push(format!("{err} {err:?}"));
    let text = err.to_string();
    assert_eq!(err.transport_kind(), Some(TransportKind::Reset), "{err:?}");
    assert!(text.starts_with("getWorkflows: the connection was reset before the server answered ("), "{text}");
    assert!(text.to_lowercase().contains("reset"), "{text}");

    let (base, _) = scripted(vec![Conn::Close]).await;
    let err = workflows(&client(&base).with_retry(never)).await.unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportKind::Closed), "{err:?}");
    shown.push(format!("{err} {err:?}"));
    assert!(err.to_string().contains("the connection closed before the server answered"), "{err}");

    // Nobody listens on a port that was just freed.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let err = workflows(&client(&format!("http://127.0.0.1:{port}/webapi")).with_retry(never)).await.unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportKind::Connect), "{err:?}");
    assert!(err.to_string().contains("cannot connect to the server"), "{err}");

    // A body that ends early, read as JSON and as a download stream.
    let cut = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n[{\"id\":\"w".to_vec();
    let (base, _) = scripted(vec![Conn::Reply(cut.clone())]).await;
    let err = workflows(&client(&base)).await.unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportKind::BodyCutShort { received: 9, expected: Some(1000) }));
    assert!(err.to_string().contains("the response body was cut short after 9 of 1000 bytes"), "{err}");
    shown.push(format!("{err} {err:?}"));
    let (base, _) = scripted(vec![Conn::Reply(cut)]).await;
    let download = client(&base).workflows().download_workflow_package("wf-1", Default::default()).await.unwrap();
    let err = download.collect().await.unwrap_err();
    assert!(err.to_string().contains("cut short after 9 of 1000 bytes"), "{err}");

    shown.push(format!("{err} {err:?}"));
    for text in shown {
        assert!(!text.contains("the-bearer-token"), "{text}");
        assert!(!text.split(" Transport").next().unwrap().contains("error sending request"), "{text}");
    }
}

// 5. Streams and helpers that own what they need.

/// A page stream returned from a function that only borrowed the client.
fn every_job_of(client: &Client, workflow_id: &str) -> Paged<JobSummary> {
    client.jobs().get_workflow_jobs_stream(workflow_id, GetWorkflowJobsOptions::default().limit("2".into()))
}

#[tokio::test]
async fn page_streams_and_poll_helpers_can_be_returned_and_spawned() {
    let (base, lines) = scripted(vec![
        ok(r#"[{"id":"j1"},{"id":"j2"}]"#),
        ok(r#"[{"id":"j3"}]"#),
        ok(r#"{"id":"j9","status":"Completed"}"#),
    ])
    .await;
    let client = client(&base);
    let stream = every_job_of(&client, "wf-1");
    let jobs = tokio::spawn(stream.collect_all()).await.unwrap().unwrap();
    assert_eq!(jobs.iter().filter_map(|j| j.id.as_deref()).collect::<Vec<_>>(), ["j1", "j2", "j3"]);
    let waiting = client.jobs().wait_until_done("j9", Default::default(), Default::default());
    drop(client);
    let done = tokio::spawn(waiting).await.unwrap().unwrap();
    assert_eq!(done.id.as_deref(), Some("j9"));
    assert_eq!(
        seen(&lines),
        [
            "GET /webapi/v3/workflows/wf-1/jobs?offset=0&limit=2 HTTP/1.1",
            "GET /webapi/v3/workflows/wf-1/jobs?offset=2&limit=2 HTTP/1.1",
            "GET /webapi/v3/jobs/j9 HTTP/1.1",
        ]
    );
}
