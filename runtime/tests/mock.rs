//! The mock server on its own, through its untyped API: how a request finds its expectation and
//! its answer in a sequence, faults, the token endpoint, what is recorded, the 501 that says
//! why nothing answered, and `verify`.

mod support;

use std::time::Duration;

use client_runtime::mock::{Reply, Times};
use client_runtime::{Error, RetryPolicy, TransportKind};
use serde_json::json;
use support::{CREATE, GET, LIST, builder, create, list, mock};

#[tokio::test]
async fn answers_come_in_sequence_and_the_last_repeats() {
    let mock = mock().await;
    let client = builder(&mock).build().unwrap();
    mock.expect(&LIST).reply(Reply::json(200, &json!(["a"]))).reply(Reply::json(200, &json!(["a", "b"])));
    assert_eq!(list(&client).await.unwrap(), json!(["a"]));
    assert_eq!(list(&client).await.unwrap(), json!(["a", "b"]));
    assert_eq!(list(&client).await.unwrap(), json!(["a", "b"]), "the last answer repeats");
    assert_eq!(mock.tokens().issued(), 1, "one token for the three calls");
}

#[tokio::test]
async fn the_first_matching_expectation_that_is_not_used_up_answers() {
    let mock = mock().await;
    let client = builder(&mock).build().unwrap();
    let get = |id: &str| client.request(&GET, &[&id]).send_json::<serde_json::Value>();
    let wanted = |id: &'static str| {
        move |r: &client_runtime::mock::Request| {
            let got = r.param::<String>(client_runtime::mock::Place::Path, "id")?.unwrap_or_default();
            if got == id { Ok(()) } else { Err(format!("{got:?}")) }
        }
    };
    mock.expect(&GET)
        .matching("id \"a\"", wanted("a"))
        .reply(Reply::json(200, &json!("first a")))
        .times(Times::Exactly(1));
    mock.expect(&GET)
        .matching("id \"a\"", wanted("a"))
        .reply(Reply::json(200, &json!("later a")))
        .times(Times::AtMost(1));
    mock.expect(&GET).matching("id \"b\"", wanted("b")).reply(Reply::json(200, &json!("b")));
    assert_eq!(get("a").await.unwrap(), json!("first a"));
    assert_eq!(get("a").await.unwrap(), json!("later a"));
    assert_eq!(get("b").await.unwrap(), json!("b"));
    let why = |err: Error| {
        assert_eq!(err.status(), Some(501));
        let Error::Api(api) = &err else { panic!("{err:?}") };
        let body: serde_json::Value = api.parse().unwrap();
        assert_eq!(body["operation"], "getItem");
        body["why"].as_str().unwrap().to_owned()
    };
    let c = why(get("c").await.unwrap_err());
    assert!(c.contains("#1 getItem (id \"a\"): wanted id \"a\", got \"c\""), "{c}");
    assert!(c.contains("#3 getItem (id \"b\"): wanted id \"b\", got \"c\""), "{c}");
    let a = why(get("a").await.unwrap_err());
    assert!(a.starts_with("#1 getItem (id \"a\"): used up; #2 getItem (id \"a\"): used up"), "{a}");
    let unmet = mock.verify().unwrap_err().to_string();
    assert!(unmet.contains("GET /api/items/c was answered by no expectation (getItem)"), "{unmet}");
}

#[tokio::test]
async fn a_request_of_no_operation_or_no_expectation_gets_a_501_that_says_so() {
    let mock = mock().await;
    let client = builder(&mock).retry(RetryPolicy::never()).build().unwrap();
    let err = list(&client).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.status, 501);
    assert!(api.text().contains("no expectation was made for listItems"), "{}", api.text());
    let unknown = client_runtime::Client::builder(format!("{}/nothing", mock.base_url()))
        .allow_insecure_http(true)
        .client_credentials("k", "s")
        .token_url(format!("{}/oauth2/token", mock.base_url()))
        .build()
        .unwrap();
    let err = list(&unknown).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert!(api.text().contains("no operation of the spec is `GET /nothing/items`"), "{}", api.text());
}

#[tokio::test]
async fn faults_are_retried_like_a_real_servers() {
    let mock = mock().await;
    let client = builder(&mock).build().unwrap();
    mock.expect(&LIST)
        .reply(Reply::reset())
        .reply(Reply::close())
        .reply(Reply::json(503, &json!({"busy": true})).retry_after(0))
        .reply(Reply::json(200, &json!([])));
    assert_eq!(
        list(&client.with_retry(
            RetryPolicy::default().max_attempts(4).backoff(Duration::from_millis(1), Duration::from_millis(5))
        ))
        .await
        .unwrap(),
        json!([])
    );
    assert_eq!(mock.received().len(), 4, "a reset, a close, a 503, then the answer");

    let mock = support::mock().await;
    let client = builder(&mock).retry(RetryPolicy::never()).build().unwrap();
    mock.expect(&LIST)
        .reply(Reply::reset())
        .reply(Reply::json(200, &json!([])).cut_after(1))
        .reply(Reply::silent(Duration::from_secs(5)));
    assert_eq!(list(&client).await.unwrap_err().transport_kind(), Some(TransportKind::Reset));
    let cut = list(&client).await.unwrap_err();
    assert_eq!(cut.transport_kind(), Some(TransportKind::BodyCutShort { received: 1, expected: Some(2) }), "{cut:?}");
    let silent = list(&client.with_timeout(Some(Duration::from_millis(200)))).await.unwrap_err();
    assert!(silent.is_timeout(), "{silent:?}");
}

#[tokio::test]
async fn a_delay_holds_the_answer_back() {
    let mock = mock().await;
    let client = builder(&mock).build().unwrap();
    mock.expect(&LIST).reply(Reply::json(200, &json!([])).after(Duration::from_millis(300)));
    let started = std::time::Instant::now();
    list(&client).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
}

#[tokio::test]
async fn the_token_endpoint_issues_refuses_and_revokes() {
    let mock = mock().await;
    let client = builder(&mock).build().unwrap();
    mock.expect(&LIST).reply(Reply::json(200, &json!([])));
    list(&client).await.unwrap();
    let form = mock.tokens().requests()[0].form_body::<serde_json::Value>().unwrap();
    assert_eq!(
        form,
        json!({"grant_type": "client_credentials", "client_id": "mock-key", "client_secret": "mock-secret"})
    );
    mock.tokens().revoke();
    list(&client).await.unwrap();
    assert_eq!(mock.tokens().issued(), 2, "the 401 made the client fetch a new token");
    let received = mock.received();
    let bearers: Vec<Option<&str>> = received.iter().map(|r| r.header("authorization")).collect();
    assert_eq!(bearers, [Some("Bearer mock-token-1"), Some("Bearer mock-token-1"), Some("Bearer mock-token-2")]);

    let refused = support::mock().await;
    refused.tokens().refuse_with(Some(Reply::json(401, &json!({"error": "invalid_client"}))));
    let err = list(&builder(&refused).build().unwrap()).await.unwrap_err();
    assert!(matches!(&err, Error::Auth(a) if a.status == 401 && a.text().contains("invalid_client")), "{err:?}");

    let open = support::mock().await;
    open.tokens().required(false);
    open.expect(&LIST).reply(Reply::json(200, &json!([1])));
    assert_eq!(list(&support::builder_for(open.base_url()).build().unwrap()).await.unwrap(), json!([1]));
}

#[tokio::test]
async fn verify_names_every_expectation_not_met() {
    let mock = mock().await;
    let client = builder(&mock).build().unwrap();
    mock.expect(&LIST).reply(Reply::json(200, &json!([]))).times(Times::Exactly(2));
    mock.expect(&CREATE).reply(Reply::json(200, &json!({}))).times(Times::AtLeast(1));
    list(&client).await.unwrap();
    let unmet = mock.verify().unwrap_err();
    assert_eq!(
        unmet.0,
        [
            "#1 listItems was to be met exactly 2 times, and was met 1 times",
            "#2 createItem was to be met at least 1 times, and was met 0 times"
        ]
    );
    list(&client).await.unwrap();
    create(&client).await.unwrap();
    mock.verify().unwrap();
}

#[tokio::test]
async fn a_handler_answers_from_the_request_and_bodies_are_recorded() {
    let mock = mock().await;
    let client = builder(&mock).build().unwrap();
    mock.expect(&CREATE).reply_with(|request| {
        let body: serde_json::Value = request.json_body().unwrap();
        Reply::json(201, &json!({"echo": body["name"]}))
    });
    assert_eq!(create(&client).await.unwrap(), json!({"echo": "x"}));
    let received = mock.received_for(&CREATE);
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].content_type(), Some("application/json"));
    assert_eq!(received[0].text(), r#"{"name":"x"}"#);
}
