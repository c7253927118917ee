//! Records of changes and `ayx history`, through the built binary against the generated mock:
//! a change leaves a private record of what was asked, sent and answered; reads, dry runs and
//! declined changes leave none; a change the server refuses is recorded with its answer.

mod support;

use support::Ayx;
use support::server::{FakeServer, sample_world};

/// The records of `ayx`'s state directory, as `ayx history list --json` gives them.
async fn listed(ayx: &Ayx) -> Vec<serde_json::Value> {
    let run = ayx.run(&["history", "list", "--json"]).await;
    run.expect(0);
    run.json().as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_is_recorded_with_each_call_and_its_answer() {
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("history-change", &server.url);
    let run = ayx.run(&["groups", "create", "Finance analysts", "--role", "artisan", "--yes"]).await;
    run.expect(0);
    assert!(run.stderr.is_empty(), "said on a terminal only: {}", run.stderr);
    let list = listed(&ayx).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!((list[0]["command"].as_str(), list[0]["changes"].as_u64()), (Some("groups create"), Some(1)));
    assert_eq!(list[0]["outcome"], "ok");

    let run = ayx.run(&["history", "show", "last", "--json"]).await;
    run.expect(0);
    let record = run.json();
    assert_eq!(
        record["argv"],
        serde_json::json!(["groups", "create", "Finance analysts", "--role", "artisan", "--yes"])
    );
    assert_eq!(record["servers"][0]["profile"], "test");
    assert_eq!(record["servers"][0]["url"], server.url.as_str());
    let calls = record["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 1, "{record:#}");
    assert_eq!((calls[0]["method"].as_str(), calls[0]["status"].as_u64()), (Some("POST"), Some(200)));
    assert_eq!(calls[0]["operation"], "createUserGroup");
    assert!(calls[0]["url"].as_str().unwrap().ends_with("/webapi/v3/usergroups"), "{}", calls[0]);
    assert_eq!(record["outcome"]["exit_code"], 0);

    // For people, by the start of its id.
    let id = record["id"].as_str().unwrap();
    let run = ayx.run(&["history", "show", &id[..12]]).await;
    run.expect(0);
    assert!(run.stdout.contains("POST ") && run.stdout.contains("createUserGroup → 200"), "{}", run.stdout);

    // Owner-only, in a directory of its own.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = ayx.dir.join("state/records");
        assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
        let file = dir.join(format!("{id}.json"));
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn reads_dry_runs_and_declined_changes_leave_no_record() {
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("history-none", &server.url);
    ayx.run(&["groups", "list", "--json"]).await.expect(0);
    ayx.run(&["users", "offboard", "u-ada", "--to", "u-grace", "--dry-run"]).await;
    ayx.run(&["api", "users", "deactivate-user", "u-ada", "--dry-run"]).await.expect(0);
    // No terminal and no --yes: refused before anything is sent.
    ayx.run(&["groups", "create", "Nobody"]).await.expect(8);
    assert!(listed(&ayx).await.is_empty());
    let run = ayx.run(&["history", "list"]).await;
    run.expect(0);
    assert!(run.stdout.contains("no records yet"), "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_change_is_recorded_with_the_servers_answer() {
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("history-refused", &server.url);
    let run = ayx.run(&["--yes", "api", "user-groups", "delete-user-group", "no-such-group"]).await;
    run.expect(3);
    let run = ayx.run(&["history", "show", "last", "--json"]).await;
    run.expect(0);
    let record = run.json();
    assert_eq!(record["command"], "api user-groups delete-user-group");
    assert_eq!(record["outcome"]["code"], "server_refused");
    assert_eq!(record["outcome"]["exit_code"], 3);
    assert_eq!(record["calls"][0]["status"], 404);
    assert_eq!(record["calls"][0]["method"], "DELETE");
    let run = ayx.run(&["history", "show", "nothing-like-this"]).await;
    run.expect(2);
}
