//! The machine contract of `ayx` (`--json`): an error is a JSON document on standard error with
//! a stable code, the exit code, whether a rerun may work and what to do; `ayx commands --json`
//! lists every command from the clap definitions. Through the built binary, against the mock.

mod support;

use serde_json::Value;
use support::server::{FakeServer, sample_world};
use support::{Ayx, Run};

/// The error document of a failed run.
fn error(run: &Run) -> Value {
    assert!(run.stdout.trim().is_empty(), "standard output stays data: {}", run.stdout);
    serde_json::from_str(run.stderr.trim()).unwrap_or_else(|e| panic!("not one JSON document ({e}): {}", run.stderr))
}

#[tokio::test(flavor = "multi_thread")]
async fn with_json_an_error_is_a_document_with_its_code_and_remedy() {
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("contract-errors", &server.url);

    let run = ayx.run(&["workflows", "get", "no-such-workflow", "--json"]).await;
    run.expect(3);
    let doc = error(&run);
    assert_eq!(doc["code"], "server_refused");
    assert_eq!(doc["exit_code"], 3);
    assert_eq!(doc["status"], 404);
    assert_eq!(doc["operation"], "getWorkflow");
    assert_eq!(doc["retryable"], false);
    assert!(doc["remediation"].as_str().unwrap().contains("check the id"), "{doc}");
    assert!(doc["message"].as_str().unwrap().contains("404"), "{doc}");

    let run = ayx.run(&["workflows", "get", "--json"]).await;
    run.expect(2);
    let doc = error(&run);
    assert_eq!((doc["code"].as_str(), doc["exit_code"].as_u64()), (Some("usage"), Some(2)));
    assert!(doc["message"].as_str().unwrap().contains("<ID>"), "{doc}");

    let run = ayx.run(&["groups", "create", "Nobody", "--json"]).await;
    run.expect(8);
    let doc = error(&run);
    assert_eq!(doc["code"], "declined");
    assert!(doc["remediation"].as_str().unwrap().contains("--yes"), "{doc}");

    // The server failing is worth a rerun.
    server.mock.server().reset();
    server.mock.workflows().get_workflow().reply(alteryx_server::mock::Reply::status(503));
    let run = ayx.run(&["workflows", "get", "app-1", "--json"]).await;
    run.expect(3);
    let doc = error(&run);
    assert_eq!((doc["status"].as_u64(), doc["retryable"].as_bool()), (Some(503), Some(true)), "{doc}");

    // Without --json, errors stay text.
    let run = ayx.run(&["workflows", "get", "app-1"]).await;
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn commands_lists_every_command_with_its_arguments_and_exit_codes() {
    let ayx = Ayx::new("contract-commands");
    let run = ayx.run(&["commands", "--json"]).await;
    run.expect(0);
    let doc = run.json();
    let commands = doc["commands"].as_array().unwrap();
    let find = |name: &str| commands.iter().find(|c| c["command"] == name).unwrap_or_else(|| panic!("{name}"));
    assert_eq!(find("groups create")["changes_server"], true);
    assert_eq!(find("doctor")["changes_server"], false);
    assert_eq!(find("api workflows delete-workflow")["changes_server"], true);
    assert_eq!(find("api workflows get-workflows")["changes_server"], false);
    let timeout =
        find("doctor")["arguments"].as_array().unwrap().iter().find(|a| a["name"] == "timeout").unwrap().clone();
    assert_eq!((timeout["long"].as_str(), timeout["default"].as_str()), (Some("--timeout"), Some("10s")));
    let codes: Vec<(u64, &str)> = doc["exit_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["exit_code"].as_u64().unwrap(), c["code"].as_str().unwrap()))
        .collect();
    assert!(codes.contains(&(3, "server_refused")) && codes.contains(&(8, "declined")), "{codes:?}");
    assert!(doc["global_arguments"].as_array().unwrap().iter().any(|a| a["long"] == "--json"));
    // For people: one line per command, the changing ones marked.
    let run = ayx.run(&["commands"]).await;
    run.expect(0);
    assert!(run.stdout.lines().any(|l| l.starts_with("groups delete") && l.contains("changes")), "{}", run.stdout);
}
