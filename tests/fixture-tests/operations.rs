//! Runs inside the generated `operations` fixture crate: operations without operationId or tag
//! get derived names, and parameters of list and object types are encoded by their style.

use fixture_operations::operations::GetReportsByIdsOptions;
use fixture_operations::types::{Filter, FilterStatus, Page};

#[test]
fn derived_names_and_styles_exist_and_compile() {
    // The method names are derived from method and path; their options hold the parameters.
    let mut filter = Filter::new();
    filter.owner = Some("ann".into());
    filter.status = Some(FilterStatus::Open);
    let mut page = Page::new();
    page.size = Some(10);
    let options = GetReportsByIdsOptions::default().filter(filter).page(page).x_trace(vec!["a".into(), "b".into()]);
    assert_eq!(options.x_trace.as_ref().map(Vec::len), Some(2));
}

/// The filter (a deepObject) and page (an exploded object) the style tests send.
fn filter_and_page() -> (Filter, Page) {
    let mut filter = Filter::new();
    filter.owner = Some("ann".into());
    filter.status = Some(FilterStatus::Open);
    let mut page = Page::new();
    page.size = Some(10);
    page.cursor = Some("c1".into());
    (filter, page)
}

/// The fixture's own mock server (`--features mock`): a call whose parameters travel in every
/// style arrives decoded into the same values, and the mock answers in the operation's types.
#[tokio::test]
async fn the_mock_reads_back_every_style_the_client_writes() {
    use fixture_operations::mock::Mock;
    let mock = Mock::start().await;
    mock.untagged().get_reports_by_ids().ids(vec![3, 4]).respond(vec!["report 3".to_string(), "report 4".to_string()]);
    mock.untagged().post_reports_by_ids().respond();
    let client = mock.client();
    let (filter, page) = filter_and_page();
    let options = GetReportsByIdsOptions::default().filter(filter.clone()).page(page.clone()).x_trace(vec!["a".into(), "b".into()]);
    let reports = client.untagged().get_reports_by_ids(&[3, 4], options).await.unwrap();
    assert_eq!(reports, ["report 3", "report 4"]);
    let body = fixture_operations::types::PostReportsByIdsRequest::new("quarterly".into());
    client.untagged().post_reports_by_ids(&[7], &body).await.unwrap();
    let calls = mock.received().untagged().get_reports_by_ids();
    assert_eq!(calls[0].ids, [3, 4]);
    assert_eq!(calls[0].filter, Some(filter), "deepObject");
    assert_eq!(calls[0].page, Some(page), "an exploded object in the query");
    assert_eq!(calls[0].x_trace, Some(vec!["a".to_string(), "b".to_string()]), "a header list");
    let stored = mock.received().untagged().post_reports_by_ids();
    assert_eq!((stored[0].ids.clone(), stored[0].body.clone()), (vec![7], body));
    mock.verify().unwrap();
}

/// The spec declares `X-Correlation-ID` on its responses: the client reads the request id there,
/// for successes (`with_response`) and errors alike.
#[tokio::test]
async fn the_request_id_is_read_from_the_header_the_spec_names() {
    use fixture_operations::mock::{Mock, Reply};
    let mock = Mock::start().await;
    mock.untagged()
        .get_reports_by_ids()
        .reply(Reply::json(200, &["r"]).header("x-correlation-id", "corr-1"))
        .reply(Reply::json(500, &serde_json::json!({})).header("x-correlation-id", "corr-2"));
    let client = mock.client();
    let call = || client.untagged().get_reports_by_ids(&[1], GetReportsByIdsOptions::default());
    let answer = call().with_response().await.unwrap();
    assert_eq!((answer.request_id.as_deref(), answer.value.len()), (Some("corr-1"), 1));
    let err = call().await.unwrap_err();
    assert_eq!((err.status(), err.request_id()), (Some(500), Some("corr-2")));
}

/// The fixture's command line (`--features cli`), run in-process against its mock: a path list,
/// a deepObject and an exploded object given as JSON, a header list by a repeated flag, all
/// arrive as the client's own call sends them; the answer is the server's JSON, compact.
#[tokio::test]
async fn the_command_line_sends_every_style_as_the_client_does() {
    use fixture_operations::cli::{NoProgress, Output, run_from};
    use fixture_operations::mock::Mock;
    let mock = Mock::start().await;
    mock.untagged().get_reports_by_ids().respond(vec!["report 3".to_string(), "report 4".to_string()]);
    let client = mock.client();
    let mut out = Vec::new();
    let mut output = Output { out: &mut out, terminal: false, progress: &NoProgress };
    let args = [
        "fixture", "untagged", "get-reports-by-ids", "[3, 4]", "--filter", r#"{"owner": "ann", "status": "open"}"#,
        "--page", r#"{"size": 10, "cursor": "c1"}"#, "--x-trace", "a", "--x-trace", "b",
    ];
    run_from(&client, args, &mut output).await.unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "[\"report 3\",\"report 4\"]\n");
    let (filter, page) = filter_and_page();
    let calls = mock.received().untagged().get_reports_by_ids();
    assert_eq!(calls[0].ids, [3, 4]);
    assert_eq!(calls[0].filter, Some(filter), "deepObject");
    assert_eq!(calls[0].page, Some(page), "an exploded object in the query");
    assert_eq!(calls[0].x_trace, Some(vec!["a".to_string(), "b".to_string()]), "a header list");
    // A JSON value that does not fit its type stops the command before anything is sent.
    let mut out = Vec::new();
    let mut output = Output { out: &mut out, terminal: false, progress: &NoProgress };
    let bad = run_from(&client, ["fixture", "untagged", "get-reports-by-ids", "[3, \"x\"]"], &mut output).await;
    let message = bad.unwrap_err().to_string();
    assert!(message.contains("does not fit at `[1]`"), "{message}");
    assert_eq!(mock.received().untagged().get_reports_by_ids().len(), 1);
}

/// A placeholder the path names twice gets its value at both places, from the client and from
/// the command line (which has one argument for it).
#[tokio::test]
async fn a_placeholder_named_twice_is_filled_twice() {
    use fixture_operations::cli::{NoProgress, Output, run_from};
    use fixture_operations::mock::Mock;
    let mock = Mock::start().await;
    mock.untagged().get_things_by_id_by_action_by_id().respond("one".to_string());
    let client = mock.client();
    assert_eq!(client.untagged().get_things_by_id_by_action_by_id(7, "open").await.unwrap(), "one");
    let mut out = Vec::new();
    let mut output = Output { out: &mut out, terminal: false, progress: &NoProgress };
    let args = ["fixture", "untagged", "get-things-by-id-by-action-by-id", "8", "close"];
    run_from(&client, args, &mut output).await.unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "\"one\"\n");
    let calls = mock.received().untagged().get_things_by_id_by_action_by_id();
    assert_eq!((calls[0].id, calls[0].action.as_str()), (7, "open"));
    assert_eq!((calls[1].id, calls[1].action.as_str()), (8, "close"));
}
