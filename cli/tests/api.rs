//! `ayx api`: every kind of argument the generated command line takes reaches the server as the
//! client would send it (read back from the mock's decoded calls), arguments that do not fit
//! exit 2 and send nothing, `--dry-run` prints the request and sends nothing (the server's log
//! stays empty, token requests included), and a refused request exits 3 with the server's words.

mod support;

use alteryx_server::types::{Role, View};
use serde_json::{Value, json};
use support::Ayx;
use support::server::{FakeServer, sample_world};

/// `ayx api workflows upload-workflow` of `package` with every required part, and `extra`.
fn upload_args(package: &std::path::Path, extra: &[&str]) -> Vec<String> {
    let file = format!("--file={}", package.display());
    let parts = [
        "--name=Sales",
        "--owner-id=o-1",
        "--is-public=false",
        "--is-ready-for-migration=false",
        "--others-may-download",
        "--others-can-execute=true",
        "--workflow-credential-type=Default",
    ];
    let fixed = ["api", "workflows", "upload-workflow", &file].into_iter().chain(parts);
    fixed.chain(extra.iter().copied()).map(str::to_owned).collect()
}

/// Runs `ayx` with owned arguments.
async fn run(ayx: &Ayx, args: &[String]) -> support::Run {
    ayx.run(&args.iter().map(String::as_str).collect::<Vec<_>>()).await
}

#[tokio::test(flavor = "multi_thread")]
async fn every_kind_of_argument_reaches_the_server_as_the_client_sends_it() {
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("api-kinds", &server.url);

    // A path parameter and a boolean flag.
    server.world.lock().unwrap().jobs.insert("job-1".into(), ("app-1".into(), 0));
    let job = ayx.run(&["api", "jobs", "get", "job-1", "--include-messages=false"]).await;
    job.expect(0);
    assert_eq!(job.json()["id"], "job-1");
    let calls = server.mock.received().jobs().get();
    assert_eq!((calls[0].job_id.as_str(), calls[0].include_messages), ("job-1", Some(false)));

    // A query enum, in any spelling; a value the spec does not list is sent with a warning.
    ayx.run(&["api", "credentials", "get-credentials", "--view", "full"]).await.expect(0);
    let unknown = ayx.run(&["api", "credentials", "get-credentials", "--view", "Everything"]).await;
    unknown.expect(0);
    assert!(
        unknown.stderr.contains("warning: `Everything` is not one of Default, Full: sent as it is"),
        "{}",
        unknown.stderr
    );
    let views: Vec<Option<View>> =
        server.mock.received().credentials().get_credentials().into_iter().map(|c| c.view).collect();
    assert_eq!(views, [Some(View::Full), Some(View::Unknown("Everything".into()))]);

    // A JSON body from a file, a field set by its flag over it.
    let body = ayx.path("group.json");
    std::fs::write(&body, r#"{"name": "Ops", "role": "Viewer"}"#).unwrap();
    let created = ayx
        .run(&[
            "api",
            "user-groups",
            "create-user-group",
            "--body",
            body.to_str().unwrap(),
            "--role",
            "artisan",
            "--yes",
        ])
        .await;
    created.expect(0);
    let group = &server.mock.received().user_groups().create_user_group()[0].body;
    assert_eq!((group.name.as_str(), &group.role), ("Ops", &Role::Artisan));

    // A multipart upload: the file streamed as its part, the other parts as flags.
    let package = ayx.path("flow.yxzp");
    std::fs::write(&package, b"PK\x03\x04 a package").unwrap();
    let upload = run(&ayx, &upload_args(&package, &["--execution-mode", "semi-safe", "--yes"])).await;
    upload.expect(0);
    assert_eq!(upload.json(), json!("wf-new-1"));
    let (fields, bytes) = server.world.lock().unwrap().uploads[0].clone();
    assert_eq!(bytes, b"PK\x03\x04 a package");
    assert_eq!(fields["executionMode"], "SemiSafe");
    assert_eq!((fields["othersMayDownload"].as_str(), fields["isPublic"].as_str()), ("true", "false"));

    // A download to a file, and to standard output when that is not a terminal.
    let out = ayx.path("app-1.yxzp");
    ayx.run(&["api", "workflows", "download-workflow-package", "app-1", "--out", out.to_str().unwrap()])
        .await
        .expect(0);
    assert_eq!(std::fs::read(&out).unwrap(), b"PK\x03\x04 package of app-1");
    let piped = ayx.run(&["api", "workflows", "download-workflow-package", "app-1"]).await;
    piped.expect(0);
    assert_eq!(piped.stdout, "PK\x03\x04 package of app-1");

    // Every page, as JSON lines, a page of the size asked for at a time.
    for i in 2..=6 {
        server.world.lock().unwrap().jobs.insert(format!("job-{i}"), ("app-1".into(), 0));
    }
    let before = server.count("GET /webapi/v3/workflows/app-1/jobs");
    let all = ayx.run(&["api", "jobs", "get-workflow-jobs", "app-1", "--limit", "2", "--all"]).await;
    all.expect(0);
    let ids: Vec<String> =
        all.stdout.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].to_string()).collect();
    assert_eq!(ids.len(), 6, "{}", all.stdout);
    assert_eq!(server.count("GET /webapi/v3/workflows/app-1/jobs") - before, 4, "pages of 2, 2, 2 and an empty one");
}

#[tokio::test(flavor = "multi_thread")]
async fn arguments_that_do_not_fit_exit_2_say_what_to_fix_and_send_nothing() {
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("api-usage", &server.url);
    let cases: &[(&[&str], &str)] = &[
        (&["api", "jobs", "get", "job-1", "--include-messages=maybe"], "`maybe` is not `true` or `false`"),
        (&["api", "credentials", "get-credentials", "--view="], "an empty value is not one of Default, Full"),
        (
            &["api", "user-groups", "create-user-group", "--body", r#"{"name": 5, "role": "Viewer"}"#],
            "does not fit CreateUserGroupContract at `name`",
        ),
        (&["api", "user-groups", "create-user-group", "--body", r#"{"name": "Ops", "role": 3}"#], "at `role`"),
        (&["api", "user-groups", "create-user-group", "--name", "Ops"], "missing field `role`"),
        (
            &["api", "user-groups", "create-user-group", "--body", "no-such.json"],
            "is not JSON, and not a file that can be read",
        ),
        (
            &[
                "api",
                "workflows",
                "upload-workflow",
                "--file=/no/such.yxzp",
                "--name=n",
                "--owner-id=o",
                "--is-public",
                "--is-ready-for-migration",
                "--others-may-download",
                "--others-can-execute",
                "--execution-mode=Safe",
                "--workflow-credential-type=Default",
            ],
            "cannot read the file `/no/such.yxzp`",
        ),
        (&["api", "workflows", "get-workflow"], "<WORKFLOW_ID>"),
        (&["api", "workflows", "no-such-command"], "unrecognized subcommand"),
    ];
    for (args, message) in cases {
        let run = ayx.run(args).await;
        assert_eq!(run.code, 2, "ayx {}: {}", args.join(" "), run.stderr);
        assert!(run.stderr.contains(message), "ayx {}: expected {message:?} in:\n{}", args.join(" "), run.stderr);
    }
    assert_eq!(server.log(), Vec::<String>::new(), "nothing reaches the server, not even a token request");
    // A change, checked, then refused without --yes where nobody can be asked: exit 8.
    let unconfirmed = ayx.run(&["api", "users", "deactivate-user", "u-1"]).await;
    unconfirmed.expect(8);
    assert!(
        unconfirmed.stderr.contains("POST /v3/users/{userId}/deactivate (deactivateUser)")
            && unconfirmed.stderr.contains("--yes"),
        "{}",
        unconfirmed.stderr
    );
    assert_eq!(server.log(), Vec::<String>::new(), "nothing reaches the server without --yes");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_prints_the_request_with_secrets_redacted_and_sends_nothing() {
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("api-dry", &server.url);
    let package = ayx.path("flow.yxzp");
    std::fs::write(&package, b"PK").unwrap();
    let upload = run(&ayx, &upload_args(&package, &["--execution-mode=Safe", "--dry-run"])).await;
    upload.expect(0);
    let text = &upload.stdout;
    assert!(text.starts_with(&format!("POST {}/v3/workflows\n", server.url)), "{text}");
    assert!(text.contains("authorization: Bearer <redacted: a token from"), "{text}");
    assert!(
        text.contains(&format!(
            "--- part `file`: file `flow.yxzp` (application/octet-stream), <the file {}, streamed>",
            package.display()
        )),
        "{text}"
    );
    assert!(text.contains("--- part `executionMode`: Safe"), "{text}");
    let patch =
        ayx.run(&["api", "schedules", "patch-schedule", "s-1", "--body", r#"{"enabled":false}"#, "--dry-run"]).await;
    patch.expect(0);
    assert!(patch.stdout.starts_with(&format!("PATCH {}/v3/schedules/s-1\n", server.url)), "{}", patch.stdout);
    assert!(patch.stdout.ends_with("\n\n{\n  \"enabled\": false\n}\n"), "{}", patch.stdout);
    for run in [&upload, &patch] {
        assert!(!run.stdout.contains(support::server::SECRET) && !run.stdout.contains(support::server::KEY));
    }
    assert_eq!(server.log(), Vec::<String>::new(), "a dry run sends nothing, not even a token request");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_request_exits_3_with_the_servers_words() {
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("api-refused", &server.url);
    let run = ayx.run(&["api", "workflows", "get-workflow", "nope"]).await;
    run.expect(3);
    assert!(run.stderr.contains("404") && run.stderr.contains("the server said: not found"), "{}", run.stderr);
    let help = ayx.run(&["api", "--help"]).await;
    help.expect(0);
    let commands = help.stdout.split("Commands:\n").nth(1).and_then(|rest| rest.split("\n\n").next()).unwrap_or("");
    let groups: Vec<&str> = commands
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .collect();
    assert_eq!(groups.len(), 15, "the 15 groups are listed: {groups:?}");
    assert!(groups.contains(&"dcm-connect") && groups.contains(&"user-groups"), "{groups:?}");
}

/// On a terminal (`script` gives `ayx` a pseudo-terminal; skipped where it is missing): JSON is
/// laid out for people, and bytes are refused unless `--out` says where (exit 2, nothing sent).
#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_json_is_pretty_and_bytes_need_out() {
    let Some(script) = std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|p| p.join("script")).find(|p| p.is_file()))
    else {
        eprintln!("`script` is not installed: the terminal case is not checked");
        return;
    };
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("api-tty", &server.url);
    let on_terminal = |args: &str| {
        let command = format!("AYX_CONFIG={} {} api {args}", ayx.config.display(), env!("CARGO_BIN_EXE_ayx"));
        let script = script.clone();
        async move {
            let output =
                tokio::process::Command::new(script).args(["-qec", &command, "/dev/null"]).output().await.unwrap();
            (output.status.code(), String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n"))
        }
    };
    let (code, text) = on_terminal("workflows get-workflow app-1").await;
    assert_eq!(code, Some(0), "{text}");
    assert!(text.starts_with("{\n  \"id\": \"app-1\",\n"), "pretty JSON on a terminal: {text:?}");
    let before = server.log().len();
    let (code, text) = on_terminal("workflows download-workflow-package app-1").await;
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("the answer is bytes: give --out FILE"), "{text}");
    assert_eq!(server.log().len(), before, "nothing was sent");
}
