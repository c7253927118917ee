//! Uploads, downloads and odd responses over real HTTP on 127.0.0.1: a file streamed as a
//! multipart part and sent again on a retry, a one-shot stream sent once, a download larger than
//! any buffer written to a file in small chunks, a download cut short, bodies of the wrong type,
//! empty or truncated, pages until a short one, pages by cursor and by `Link` header (and a link
//! to another origin refused), and the `User-Agent`.

mod support;

use std::time::Duration;

use client_runtime::__private::{In, MultipartForm, Paging, paginate, paginate_cursor, paginate_links};
use client_runtime::mock::{MockServer, Reply, pattern};
use client_runtime::{Client, Error, FilePart};
use serde_json::json;
use support::{DOWNLOAD, GET, LIST, UPLOAD, builder, mock, quick_retries, scratch};

/// An upload of `file` with two text parts, the way a generated form sends it.
async fn upload(client: &Client, file: FilePart) -> Result<String, Error> {
    let mut form = MultipartForm::new();
    form.file("file", file);
    form.text("name", &"Flow");
    form.text("isPublic", &false);
    let mut request = client.request(&UPLOAD, &[&"w1"]);
    request.multipart(form);
    request.send_text().await
}

/// A 3 MiB file of varied bytes.
fn package_file(name: &str) -> (std::path::PathBuf, Vec<u8>) {
    let data: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let path = scratch(name);
    std::fs::write(&path, &data).unwrap();
    (path, data)
}

async fn upload_mock(replies: Vec<Reply>) -> MockServer {
    let mock = mock().await;
    let rule = mock.expect(&UPLOAD);
    for reply in replies {
        rule.reply(reply);
    }
    mock
}

#[tokio::test]
async fn a_file_is_streamed_as_its_part_with_name_type_and_length() {
    let mock = upload_mock(vec![Reply::json(200, &json!("new-id"))]).await;
    let (path, data) = package_file("flow.yxzp");
    let client = builder(&mock).build().unwrap();
    assert_eq!(upload(&client, FilePart::from_path(&path)).await.unwrap(), "new-id");
    let request = &mock.received_for(&UPLOAD)[0];
    assert_eq!(
        request.header("content-length").unwrap().parse::<u64>().unwrap(),
        request.body_len,
        "the form's length is declared up front, not chunked"
    );
    let form = request.multipart_body().unwrap();
    let file = form.file("file").unwrap();
    assert_eq!(file.file_name.as_deref(), Some(path.file_name().unwrap().to_str().unwrap()));
    assert_eq!(file.content_type.as_deref(), Some("application/octet-stream"));
    assert!(file.data == data, "the file arrives whole and unchanged");
    assert_eq!((form.text("name").as_deref(), form.text("isPublic").as_deref()), (Some("Flow"), Some("false")));
}

#[tokio::test]
async fn a_file_upload_is_read_again_when_a_post_is_retried_by_opt_in() {
    let mock = upload_mock(vec![Reply::status(503), Reply::json(200, &json!("id"))]).await;
    let (path, data) = package_file("retried.yxzp");
    let client = builder(&mock).retry(quick_retries().retry_non_idempotent(true)).build().unwrap();
    upload(&client, FilePart::from_path(&path).content_type("application/zip")).await.unwrap();
    let attempts = mock.received_for(&UPLOAD);
    assert_eq!(attempts.len(), 2);
    for request in attempts {
        let form = request.multipart_body().unwrap();
        let file = form.file("file").unwrap();
        assert_eq!(file.content_type.as_deref(), Some("application/zip"));
        assert!(file.data == data, "each attempt sends the whole file");
    }
}

#[tokio::test]
async fn a_one_shot_stream_is_sent_once_even_with_retries_allowed() {
    let mock = upload_mock(vec![Reply::status(503), Reply::json(200, &json!("id"))]).await;
    let client = builder(&mock).retry(quick_retries().retry_non_idempotent(true)).build().unwrap();
    let (reader, mut writer) = tokio::io::duplex(64 * 1024);
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        for _ in 0..64 {
            writer.write_all(&[7u8; 16 * 1024]).await.unwrap();
        }
    });
    let err = upload(&client, FilePart::from_reader("streamed.yxzp", reader, None)).await.unwrap_err();
    let attempts = mock.received_for(&UPLOAD);
    assert_eq!((err.status(), attempts.len()), (Some(503), 1));
    let form = attempts[0].multipart_body().unwrap();
    let file = form.file("file").unwrap();
    assert_eq!((file.file_name.as_deref(), file.data.len()), (Some("streamed.yxzp"), 1024 * 1024));
}

#[tokio::test]
async fn a_missing_file_is_an_io_error_that_names_it() {
    let mock = upload_mock(vec![Reply::json(200, &json!("id"))]).await;
    let client = builder(&mock).build().unwrap();
    let err = upload(&client, FilePart::from_path("/no/such/flow.yxzp")).await.unwrap_err();
    assert!(matches!(&err, Error::Io { operation_id: "uploadItem", .. }), "{err:?}");
    assert!(err.to_string().contains("/no/such/flow.yxzp"), "{err}");
    assert!(mock.received_for(&UPLOAD).is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_large_download_arrives_in_small_chunks_and_is_written_to_a_file() {
    const SIZE: u64 = 96 * 1024 * 1024;
    let mock = mock().await;
    mock.expect(&DOWNLOAD).reply(Reply::stream(200, "application/octet-stream", SIZE));
    let client = builder(&mock).build().unwrap();
    let download = || client.request(&DOWNLOAD, &[&"w1"]).send_stream();

    let mut stream = download().await.unwrap();
    assert_eq!(stream.content_length(), Some(SIZE));
    let (mut total, mut largest, mut in_order) = (0u64, 0usize, true);
    while let Some(chunk) = stream.next_chunk().await {
        let chunk = chunk.unwrap();
        // One byte in 4 KiB, so that a debug build reads fast: any slip shows at every one.
        in_order &= chunk.iter().enumerate().step_by(4096).all(|(i, b)| *b == pattern(total + i as u64));
        total += chunk.len() as u64;
        largest = largest.max(chunk.len());
    }
    assert_eq!(total, SIZE);
    assert!(in_order, "every byte arrives in order");
    assert!(largest <= 1024 * 1024, "chunks stay small ({largest} bytes): the body is never held whole");

    // An observer sees every chunk the file gets (to hash or count a download on its way).
    let path = scratch("package.yxzp");
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counting = seen.clone();
    let stream = download().await.unwrap().inspect(move |chunk| {
        counting.fetch_add(chunk.len() as u64, std::sync::atomic::Ordering::SeqCst);
    });
    assert_eq!(stream.save_to_file(&path).await.unwrap(), SIZE);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), SIZE);
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), SIZE);
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn a_download_cut_short_is_a_transport_error_and_leaves_no_file() {
    let mock = mock().await;
    mock.expect(&DOWNLOAD).reply(Reply::stream(200, "application/octet-stream", 10 << 20).cut_after(1 << 20));
    let client = builder(&mock).build().unwrap();
    let stream = client.request(&DOWNLOAD, &[&"w1"]).send_stream().await.unwrap();
    let path = scratch("cut-short.yxzp");
    let err = stream.save_to_file(&path).await.unwrap_err();
    assert!(matches!(err, Error::Transport { operation_id: "downloadItem", .. }), "{err:?}");
    assert!(!path.exists(), "no truncated file under the real name");
    assert!(!path.with_extension("yxzp.part").exists(), "the partial file is removed");
}

#[tokio::test]
async fn a_json_body_cut_short_or_of_the_wrong_type_or_empty_is_a_typed_error() {
    let mock = mock().await;
    let client = builder(&mock).build().unwrap();
    let get = |id: &'static str| client.request(&GET, &[&id]).send_json::<serde_json::Value>();
    let reply_for = |id: &'static str, reply: Reply| {
        mock.expect(&GET)
            .matching(format!("id {id:?}"), move |r| {
                let got: Option<String> = r.param(client_runtime::mock::Place::Path, "id")?;
                if got.as_deref() == Some(id) { Ok(()) } else { Err(format!("{got:?}")) }
            })
            .reply(reply);
    };
    reply_for("cut", Reply::bytes(200, "application/json", &b"{\"id\": \"w1\", \"na         "[..]).cut_after(16));
    reply_for("html", Reply::bytes(200, "text/html", "<html>login</html>"));
    reply_for("empty", Reply::bytes(200, "application/json", ""));
    reply_for("problem", Reply::bytes(200, "application/problem+json", "{}"));
    let err = get("cut").await.unwrap_err();
    assert!(matches!(err, Error::Transport { operation_id: "getItem", .. }), "{err:?}");
    match get("html").await.unwrap_err() {
        Error::ContentType { status: 200, content_type: Some(ct), body, .. } => {
            assert_eq!(ct, "text/html");
            assert_eq!(body.as_ref(), b"<html>login</html>");
        }
        other => panic!("expected a content-type error, got {other:?}"),
    }
    let err = client.request(&GET, &[&"empty"]).send_json::<Vec<u8>>().await.unwrap_err();
    assert!(matches!(&err, Error::Decode { path, .. } if path == "."), "{err:?}");
    assert!(get("problem").await.is_ok(), "+json types are JSON");
}

#[tokio::test]
async fn pages_are_fetched_until_a_short_one() {
    let mock = mock().await;
    mock.expect(&LIST).reply_with(|request| {
        let number = |name| request.param::<u64>(client_runtime::mock::Place::Query, name).unwrap().unwrap() as usize;
        let (offset, limit) = (number("offset"), number("limit"));
        Reply::json(200, &(offset..(offset + limit).min(250)).collect::<Vec<_>>())
    });
    let client = builder(&mock).build().unwrap();
    let page = move |offset: u64, limit: u64| {
        let mut request = client.request(&LIST, &[]);
        request.param(In::Query, "offset", &offset);
        request.param(In::Query, "limit", &limit);
        request.send_json::<Vec<usize>>()
    };
    let all = paginate(Paging::Offset, None, None, page.clone()).collect_all().await.unwrap();
    assert_eq!(all, (0..250).collect::<Vec<_>>());
    let asked: Vec<String> = mock.received().iter().map(|r| format!("{:?}", r.query)).collect();
    assert_eq!(asked.len(), 3, "100, 100, then 50: {asked:?}");
    let tail = paginate(Paging::Offset, Some(240), Some(4), page).collect_all().await.unwrap();
    assert_eq!(tail, (240..250).collect::<Vec<_>>());
}

/// Ten items, three a page, after the cursor `c<n>` (the index of the first item of the page).
fn cursor_page(request: &client_runtime::mock::Request) -> Reply {
    let after: usize = request.query_values("cursor").next().map_or(0, |c| c.trim_start_matches('c').parse().unwrap());
    let items: Vec<usize> = (after..(after + 3).min(10)).collect();
    let next = (after + 3 < 10).then(|| format!("c{}", after + 3));
    Reply::json(200, &json!({"data": items, "meta": {"next_cursor": next}}))
}

#[tokio::test]
async fn cursor_pages_follow_the_token_until_there_is_none() {
    let mock = mock().await;
    mock.expect(&LIST).reply_with(cursor_page);
    let client = builder(&mock).build().unwrap();
    let all = paginate_cursor(move |cursor: Option<String>| {
        let mut request = client.request(&LIST, &[]);
        if let Some(cursor) = &cursor {
            request.param(In::Query, "cursor", cursor);
        }
        let call = request.send_json::<serde_json::Value>();
        async move {
            let page = call.await?;
            let items: Vec<usize> = serde_json::from_value(page["data"].clone()).unwrap();
            Ok((items, page["meta"]["next_cursor"].as_str().map(str::to_owned)))
        }
    })
    .collect_all()
    .await
    .unwrap();
    assert_eq!(all, (0..10).collect::<Vec<_>>());
    let asked: Vec<Option<String>> =
        mock.received().iter().map(|r| r.query_values("cursor").next().map(str::to_owned)).collect();
    assert_eq!(asked, [None, Some("c3".into()), Some("c6".into()), Some("c9".into())]);
}

#[tokio::test]
async fn a_token_sent_again_ends_the_stream_instead_of_looping() {
    let mock = mock().await;
    mock.expect(&LIST).reply_with(|_| Reply::json(200, &json!({"data": [1], "next": "same"})));
    let client = builder(&mock).build().unwrap();
    let all = paginate_cursor(move |_cursor: Option<String>| {
        let call = client.request(&LIST, &[]).send_json::<serde_json::Value>();
        async move {
            let page = call.await?;
            Ok((vec![page["data"][0].as_u64().unwrap()], page["next"].as_str().map(str::to_owned)))
        }
    })
    .collect_all()
    .await
    .unwrap();
    assert_eq!(all, [1, 1], "the first page, the page at `same`, and no third");
    assert_eq!(mock.received().len(), 2);
}

#[tokio::test]
async fn link_pages_follow_rel_next_with_the_clients_credentials() {
    let mock = mock().await;
    let base = mock.base_url().to_owned();
    mock.expect(&LIST).reply_with(move |request| {
        let page: usize = request.query_values("page").next().map_or(1, |p| p.parse().unwrap());
        let reply = Reply::json(200, &((page - 1) * 2..page * 2).collect::<Vec<_>>());
        if page < 3 {
            let link = format!(
                "<{base}/items?page={}&per_page=2>; rel=\"next\", <{base}/items?page=3>; rel=\"last\"",
                page + 1
            );
            reply.header("link", &link)
        } else {
            reply
        }
    });
    let client = builder(&mock).build().unwrap().with_query("api-version", "7");
    let all = paginate_links(
        move |link: Option<String>| match link {
            None => client.request(&LIST, &[]).send_json::<Vec<usize>>(),
            Some(url) => client.follow(&LIST, &url),
        },
        std::convert::identity,
    )
    .collect_all()
    .await
    .unwrap();
    assert_eq!(all, (0..6).collect::<Vec<_>>());
    let received = mock.received();
    let queries: Vec<String> = received.iter().map(|r| format!("{:?}", r.query)).collect();
    assert_eq!(received.len(), 3, "{queries:?}");
    let first = received[0].header("authorization").expect("the mock's token");
    for request in &received {
        assert_eq!(request.header("authorization"), Some(first));
        assert_eq!(request.query_values("api-version").collect::<Vec<_>>(), ["7"], "{queries:?}");
    }
    assert_eq!(received[2].query_values("per_page").collect::<Vec<_>>(), ["2"], "the link's own query is kept");
}

#[tokio::test]
async fn a_link_to_another_origin_is_refused_without_sending() {
    let mock = mock().await;
    mock.expect(&LIST)
        .reply(Reply::json(200, &json!([1])).header("link", "<https://elsewhere.example/items?page=2>; rel=\"next\""));
    let client = builder(&mock).build().unwrap();
    let mut stream = paginate_links(
        move |link: Option<String>| match link {
            None => client.request(&LIST, &[]).send_json::<Vec<u32>>(),
            Some(url) => client.follow(&LIST, &url),
        },
        std::convert::identity,
    );
    assert_eq!(stream.next_item().await.unwrap().unwrap(), 1);
    let refused = stream.next_item().await.unwrap().unwrap_err();
    assert!(matches!(&refused, Error::InvalidArgument { reason, .. } if reason.contains("origin")), "{refused}");
    assert!(stream.next_item().await.is_none());
    assert_eq!(mock.received().len(), 1);
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_its_error() {
    let mock = mock().await;
    mock.expect(&LIST).reply(Reply::json(200, &json!(["a", "b"]))).reply(Reply::json(404, &json!({})));
    let client = builder(&mock).build().unwrap();
    let mut stream =
        paginate(Paging::Offset, None, Some(2), move |_, _| client.request(&LIST, &[]).send_json::<Vec<String>>());
    assert!(stream.next_item().await.unwrap().is_ok());
    assert!(stream.next_item().await.unwrap().is_ok());
    assert_eq!(stream.next_item().await.unwrap().unwrap_err().status(), Some(404));
    assert!(stream.next_item().await.is_none());
}

#[tokio::test]
async fn requests_carry_the_user_agent_and_futures_are_send() {
    let mock = mock().await;
    mock.expect(&GET).reply(Reply::json(200, &json!({})));
    let client = builder(&mock).build().unwrap();
    let call = client.request(&GET, &[&"w1"]).send_json::<serde_json::Value>();
    fn assert_send<T: Send>(t: T) -> T {
        t
    }
    tokio::time::timeout(Duration::from_secs(10), assert_send(call)).await.unwrap().unwrap();
    let agent = mock.received()[0].header("user-agent").unwrap().to_owned();
    assert_eq!(agent, concat!("client-runtime/", env!("CARGO_PKG_VERSION")));
}
