//! Runs inside the generated `paging` fixture crate: every paging style's stream, against the
//! crate's own mock server over HTTP on 127.0.0.1, reads every item of every page and asks for
//! each page the way the API says; `--all` on the command line does the same.

use fixture_paging::mock::{Mock, Reply};
use fixture_paging::operations::{
    ListConversationsOptions, ListCustomersOptions, ListEventsOptions, ListFilesOptions, ListIssuesOptions,
    ListLogsOptions, ListReleasesOptions, ListRunsOptions,
};
use serde_json::json;

fn issues(from: i64, to: i64) -> serde_json::Value {
    json!((from..to).map(|id| json!({"id": id})).collect::<Vec<_>>())
}

fn ids(items: &[fixture_paging::types::Issue]) -> Vec<i64> {
    items.iter().map(|i| i.id).collect()
}

#[tokio::test]
async fn link_header_pages_are_followed_to_the_last() {
    let mock = Mock::start().await;
    let base = mock.base_url().to_owned();
    mock.paging().list_issues().respond_with(move |call| {
        let page = call.page.unwrap_or(1);
        let reply = Reply::json(200, &issues((page - 1) * 2, page * 2));
        if page < 3 {
            // As GitHub does: the next page under another path, its query complete.
            let next = format!("<{base}/repos/{}/issues?state=open&page={}>; rel=\"next\"", call.owner, page + 1);
            reply.header("link", &format!("{next}, <{base}/repos/x/issues?page=3>; rel=\"last\""))
        } else {
            reply
        }
    });
    let client = mock.client();
    let options = ListIssuesOptions::default().state("open".to_string());
    let all = client.paging().list_issues_stream("acme", options).collect_all().await.unwrap();
    assert_eq!(ids(&all), [0, 1, 2, 3, 4, 5]);
    let calls = mock.received().paging().list_issues();
    let pages: Vec<Option<i64>> = calls.iter().map(|c| c.page).collect();
    assert_eq!(pages, [None, Some(2), Some(3)]);
    assert!(calls.iter().all(|c| c.state.as_deref() == Some("open") && c.owner == "acme"));
}

#[tokio::test]
async fn link_header_pages_of_an_object_yield_its_list() {
    let mock = Mock::start().await;
    let base = mock.base_url().to_owned();
    mock.paging().list_runs().respond_with(move |call| {
        let page = call.page.unwrap_or(1);
        let reply = Reply::json(200, &json!({"total_count": 3, "workflow_runs": issues(page - 1, page)}));
        if page < 3 { reply.header("link", &format!("<{base}/runs?page={}>; rel=\"next\"", page + 1)) } else { reply }
    });
    let all = mock.client().paging().list_runs_stream(ListRunsOptions::default()).collect_all().await.unwrap();
    assert_eq!(ids(&all), [0, 1, 2]);
}

#[tokio::test]
async fn counted_pages_use_page_and_per_page() {
    let mock = Mock::start().await;
    mock.paging().list_releases().respond_with(|call| {
        let (page, size) = (call.page.unwrap(), call.per_page.unwrap());
        let first = (page - 1) * size;
        Reply::json(200, &issues(first, (first + size).min(5)))
    });
    let client = mock.client();
    let all = client.paging().list_releases_stream(ListReleasesOptions::default().per_page(2)).collect_all().await;
    assert_eq!(ids(&all.unwrap()), [0, 1, 2, 3, 4]);
    assert_eq!(mock.received().paging().list_releases().len(), 3);
}

#[tokio::test]
async fn a_nested_cursor_is_sent_back_until_it_is_empty() {
    let mock = Mock::start().await;
    mock.paging().list_conversations().respond_with(|call| {
        let at: i64 = call.cursor.as_deref().map_or(0, |c| c.parse().unwrap());
        // Slack ends with an empty cursor rather than none.
        let next = if at < 4 { (at + 2).to_string() } else { String::new() };
        Reply::json(200, &json!({"ok": true, "channels": issues(at, at + 2), "response_metadata": {"next_cursor": next}}))
    });
    let client = mock.client();
    let all = client.paging().list_conversations_stream(ListConversationsOptions::default()).collect_all().await;
    assert_eq!(ids(&all.unwrap()), [0, 1, 2, 3, 4, 5]);
    let cursors: Vec<Option<String>> =
        mock.received().paging().list_conversations().iter().map(|c| c.cursor.clone()).collect();
    assert_eq!(cursors, [None, Some("2".into()), Some("4".into())]);
}

#[tokio::test]
async fn has_more_pages_start_after_the_last_items_id() {
    let mock = Mock::start().await;
    mock.paging().list_customers().respond_with(|call| {
        let all = ["cus_a", "cus_b", "cus_c", "cus_d", "cus_e"];
        let start = call.starting_after.as_deref().map_or(0, |id| all.iter().position(|c| *c == id).unwrap() + 1);
        let end = (start + 2).min(all.len());
        let data: Vec<_> = all[start..end].iter().map(|id| json!({"id": id})).collect();
        Reply::json(200, &json!({"object": "list", "data": data, "has_more": end < all.len()}))
    });
    let client = mock.client();
    let all = client.paging().list_customers_stream(ListCustomersOptions::default()).collect_all().await.unwrap();
    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["cus_a", "cus_b", "cus_c", "cus_d", "cus_e"]);
    let after: Vec<Option<String>> =
        mock.received().paging().list_customers().iter().map(|c| c.starting_after.clone()).collect();
    assert_eq!(after, [None, Some("cus_b".into()), Some("cus_d".into())]);
}

#[tokio::test]
async fn a_page_token_starts_where_the_caller_says() {
    let mock = Mock::start().await;
    mock.paging().list_files().respond_with(|call| {
        let at: i64 = call.page_token.as_deref().map_or(0, |t| t.trim_start_matches('t').parse().unwrap());
        let mut page = json!({"files": issues(at, at + 3)});
        if at < 6 {
            page["nextPageToken"] = json!(format!("t{}", at + 3));
        }
        Reply::json(200, &page)
    });
    let client = mock.client();
    let options = ListFilesOptions::default().page_token("t3".to_string());
    let all = client.paging().list_files_stream(options).collect_all().await.unwrap();
    assert_eq!(ids(&all), [3, 4, 5, 6, 7, 8]);
}

#[tokio::test]
async fn a_next_link_in_the_answer_is_followed() {
    let mock = Mock::start().await;
    // One page with a nextLink (Azure's `$skiptoken` in its query), then the last.
    let base = mock.base_url().to_owned();
    let link = format!("{base}/vaults?api-version=2024-01-01&%24skiptoken=abc");
    mock.paging()
        .list_vaults()
        .reply(Reply::json(200, &json!({"value": issues(0, 2), "nextLink": link})))
        .reply(Reply::json(200, &json!({"value": issues(2, 3)})));
    let client = mock.client();
    let all = client.paging().list_vaults_stream("2024-01-01").collect_all().await;
    assert_eq!(ids(&all.unwrap()), [0, 1, 2]);
    let received = mock.server().received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].query_values("$skiptoken").collect::<Vec<_>>(), ["abc"]);
    assert_eq!(received[1].query_values("api-version").collect::<Vec<_>>(), ["2024-01-01"]);
}

#[tokio::test]
async fn declared_offsets_and_cursors_page_by_the_names_given() {
    let mock = Mock::start().await;
    mock.paging().list_events().respond_with(|call| {
        let (skip, take) = (call.skip.unwrap(), call.take.unwrap());
        Reply::json(200, &json!({"events": issues(skip, (skip + take).min(3))}))
    });
    mock.paging().list_logs().respond_with(|call| {
        let from = call.from.unwrap_or(0);
        let after = if from < 2 { json!(from + 1) } else { json!(null) };
        Reply::json(200, &json!({"entries": [format!("line {from}")], "links": {"after": after}}))
    });
    let client = mock.client();
    let events = client.paging().list_events_stream(ListEventsOptions::default().take(2)).collect_all().await;
    assert_eq!(ids(&events.unwrap()), [0, 1, 2]);
    let logs = client.paging().list_logs_stream(ListLogsOptions::default()).collect_all().await.unwrap();
    assert_eq!(logs, ["line 0", "line 1", "line 2"]);
    let froms: Vec<Option<i64>> = mock.received().paging().list_logs().iter().map(|c| c.from).collect();
    assert_eq!(froms, [None, Some(1), Some(2)]);
}

/// `--all` reads every page in the operation's own style, one item per line.
#[tokio::test]
async fn the_command_line_reads_every_page_in_each_style() {
    use fixture_paging::cli::{NoProgress, Output, run_from};
    let mock = Mock::start().await;
    let base = mock.base_url().to_owned();
    mock.paging().list_issues().respond_with(move |call| {
        let page = call.page.unwrap_or(1);
        let reply = Reply::json(200, &issues(page * 10, page * 10 + 1));
        if page < 2 { reply.header("link", &format!("<{base}/repos/a/issues?page=2>; rel=\"next\"")) } else { reply }
    });
    mock.paging().list_customers().respond_with(|call| {
        let more = call.starting_after.is_none();
        let id = if more { "cus_1" } else { "cus_2" };
        Reply::json(200, &json!({"object": "list", "data": [{"id": id}], "has_more": more}))
    });
    mock.paging().list_conversations().respond_with(|call| {
        let next = if call.cursor.is_none() { "c2" } else { "" };
        Reply::json(200, &json!({"ok": true, "channels": [{"id": 7}], "response_metadata": {"next_cursor": next}}))
    });
    let client = mock.client();
    let run = |args: &'static [&'static str]| {
        let client = client.clone();
        async move {
            let mut out = Vec::new();
            let mut output = Output { out: &mut out, terminal: false, progress: &NoProgress };
            run_from(&client, args.iter().copied(), &mut output).await.unwrap();
            String::from_utf8(out).unwrap()
        }
    };
    assert_eq!(run(&["fixture", "paging", "list-issues", "a", "--all"]).await, "{\"id\":10}\n{\"id\":20}\n");
    assert_eq!(run(&["fixture", "paging", "list-customers", "--all"]).await, "{\"id\":\"cus_1\"}\n{\"id\":\"cus_2\"}\n");
    assert_eq!(run(&["fixture", "paging", "list-conversations", "--all"]).await, "{\"id\":7}\n{\"id\":7}\n");
    let cursors: Vec<Option<String>> =
        mock.received().paging().list_conversations().iter().map(|c| c.cursor.clone()).collect();
    assert_eq!(cursors, [None, Some("c2".into())]);
}
