//! `ayx` end to end: the built binary against a fake Alteryx Server on 127.0.0.1. Every command,
//! `--json` output parsed and checked, exit codes, jobs that fail in each way, answers the app
//! does not ask for, configuration that is missing or unsafe, and no progress output when
//! standard error is not a terminal.

mod support;

use std::os::unix::fs::PermissionsExt;

use serde_json::json;
use support::server::{FakeServer, JobScript, KEY, SECRET, sample_world};
use support::{Ayx, write_private};

#[tokio::test(flavor = "multi_thread")]
async fn profiles_are_added_listed_chosen_and_removed_without_showing_secrets() {
    let ayx = Ayx::new("config");
    let add = ["config", "add", "dev", "--url", "https://dev.example.com/webapi", "--key", KEY, "--secret-stdin"];
    ayx.run_with_input(&add, Some(&format!("{SECRET}\n"))).await.expect(0);
    let mode = std::fs::metadata(&ayx.config).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a config that holds a secret is private");
    let secret_file = ayx.path("prod.secret");
    write_private(&secret_file, "prod-secret\n");
    let add = ["config", "add", "prod", "--url", "https://prod.example.com/webapi", "--key", "k2", "--secret-file"];
    ayx.run(&[&add[..], &[secret_file.to_str().unwrap()]].concat()).await.expect(0);

    let list = ayx.run(&["config", "list", "--json"]).await;
    list.expect(0);
    let profiles = list.json();
    assert_eq!(profiles.as_array().unwrap().len(), 2);
    assert_eq!(
        profiles[0],
        json!({"name": "dev", "url": "https://dev.example.com/webapi", "key": KEY, "secret": "inline", "default": true})
    );
    assert_eq!(profiles[1]["secret"], "file");
    let table = ayx.run(&["config", "list"]).await;
    assert!(table.stdout.contains("prod.example.com") && !table.stdout.contains(SECRET), "{}", table.stdout);

    ayx.run(&["config", "use", "prod"]).await.expect(0);
    let show = ayx.run(&["config", "show", "--json"]).await;
    show.expect(0);
    assert_eq!(show.json()["profile"], "prod");
    assert_eq!(show.json()["secret_from"], "profile");
    assert!(!show.stdout.contains("prod-secret"));
    // The environment overrides the profile.
    let env = ayx.same_config().env("AYX_URL", "https://other.example.com/webapi").env("AYX_SECRET", "x");
    let show = env.run(&["config", "show", "--json"]).await;
    assert_eq!(
        (show.json()["url"].as_str(), show.json()["url_from"].as_str()),
        (Some("https://other.example.com/webapi"), Some("environment"))
    );

    ayx.run(&["config", "remove", "dev"]).await.expect(0);
    assert_eq!(ayx.run(&["config", "list", "--json"]).await.json().as_array().unwrap().len(), 1);
    let missing = ayx.run(&["config", "remove", "dev"]).await;
    missing.expect(6);
    // http:// needs --insecure-http.
    let plain = ayx
        .run_with_input(&["config", "add", "x", "--url", "http://h/webapi", "--key", "k", "--secret-stdin"], Some("s"))
        .await;
    plain.expect(2);
}

#[tokio::test(flavor = "multi_thread")]
async fn unsafe_unreadable_or_incomplete_configuration_is_refused_with_the_fix() {
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("unsafe", &server.url);
    std::fs::set_permissions(&ayx.config, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = ayx.run(&["workflows", "list"]).await;
    run.expect(6);
    assert!(run.stderr.contains("others can read it (mode 644)") && run.stderr.contains("chmod 600"), "{}", run.stderr);
    assert!(!run.stderr.contains(SECRET));
    assert!(server.log().is_empty(), "nothing was sent");

    std::fs::write(&ayx.config, "default = \"test\"\n[profiles.test\nurl = ").unwrap();
    let run = ayx.run(&["workflows", "list"]).await;
    run.expect(6);
    assert!(run.stderr.contains("is not a valid config"), "{}", run.stderr);

    std::fs::remove_file(&ayx.config).unwrap();
    std::fs::create_dir_all(&ayx.config).unwrap();
    let run = ayx.run(&["workflows", "list"]).await;
    run.expect(6);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);

    let ayx = Ayx::new("no-secret");
    std::fs::create_dir_all(ayx.config.parent().unwrap()).unwrap();
    std::fs::write(
        &ayx.config,
        format!("[profiles.test]\nurl = \"{}\"\nkey = \"k\"\ninsecure_http = true\n", server.url),
    )
    .unwrap();
    let run = ayx.run(&["workflows", "list"]).await;
    run.expect(6);
    assert!(run.stderr.contains("no API secret for `test`") && run.stderr.contains("AYX_SECRET"), "{}", run.stderr);
    let run = Ayx::new("nothing").run(&["workflows", "list"]).await;
    run.expect(6);
    assert!(run.stderr.contains("no server"), "{}", run.stderr);

    // Refused credentials are the server's answer: exit 3.
    let env = Ayx::new("wrong-secret")
        .env("AYX_URL", &server.url)
        .env("AYX_KEY", KEY)
        .env("AYX_SECRET", "wrong")
        .env("AYX_INSECURE_HTTP", "1");
    let run = env.run(&["workflows", "list"]).await;
    run.expect(3);
    assert!(run.stderr.contains("refused the credentials") && !run.stderr.contains("wrong\n"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn workflows_are_listed_shown_uploaded_and_downloaded() {
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("workflows", &server.url);
    let list = ayx.run(&["workflows", "list", "--json"]).await;
    list.expect(0);
    let listed = list.json();
    let names: Vec<&str> = listed.as_array().unwrap().iter().map(|w| w["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Sales by region", "Nightly load"]);
    let table = ayx.run(&["workflows", "list", "--name", "Sales"]).await;
    assert!(table.stdout.contains("Sales by region") && !table.stdout.contains("Nightly"), "{}", table.stdout);
    assert!(server.log().iter().any(|l| l == "GET /webapi/v3/workflows?view=Default&name=Sales"), "{:?}", server.log());
    // Tables name the owner (one user list per run); JSON keeps the API's ids and looks nothing up.
    assert!(table.stdout.contains("owner-1"), "an owner the list lacks shows its id: {}", table.stdout);
    server.world.lock().unwrap().users.insert("owner-1".into(), support::server::user("owner-1", "ada@example.com"));
    let before = server.count("GET /webapi/v3/users");
    let table = ayx.run(&["workflows", "list"]).await;
    assert!(table.stdout.contains("ada@example.com") && !table.stdout.contains("owner-1"), "{}", table.stdout);
    assert_eq!(server.count("GET /webapi/v3/users"), before + 1);
    ayx.run(&["workflows", "list", "--json"]).await.expect(0);
    assert_eq!(server.count("GET /webapi/v3/users"), before + 1);
    let shown = ayx.run(&["workflows", "get", "app-1"]).await;
    assert!(shown.stdout.contains("ada@example.com"), "{}", shown.stdout);

    let get = ayx.run(&["workflows", "get", "app-1", "--json"]).await;
    assert_eq!(get.json()["runCount"], 3);
    let shown = ayx.run(&["workflows", "get", "app-1"]).await;
    assert!(shown.stdout.contains("execution mode") && shown.stdout.contains("Standard"), "{}", shown.stdout);
    let versions = ayx.run(&["workflows", "versions", "app-1", "--json"]).await;
    assert_eq!(versions.json().as_array().unwrap().len(), 2);
    let questions = ayx.run(&["workflows", "questions", "app-1", "--json"]).await;
    let required: Vec<bool> =
        questions.json().as_array().unwrap().iter().map(|q| q["required"].as_bool().unwrap()).collect();
    assert_eq!(required, [true, true, false]);

    let package = ayx.path("flow.yxzp");
    std::fs::write(&package, vec![7u8; 300_000]).unwrap();
    let upload = ayx
        .run(&[
            "workflows",
            "upload",
            package.to_str().unwrap(),
            "--name",
            "Uploaded",
            "--owner",
            "owner-1",
            "--others-can-execute",
            "--json",
        ])
        .await;
    upload.expect(0);
    assert_eq!(upload.json()["id"], "wf-new-1");
    {
        let world = server.world.lock().unwrap();
        let (fields, bytes) = &world.uploads[0];
        assert_eq!(bytes.len(), 300_000);
        assert_eq!(fields["name"], "Uploaded");
        assert_eq!((fields["othersCanExecute"].as_str(), fields["isPublic"].as_str()), ("true", "false"));
        assert_eq!(fields["executionMode"], "Standard");
    }
    let out = ayx.path("down.yxzp");
    let download = ayx.run(&["workflows", "download", "wf-new-1", "--out", out.to_str().unwrap(), "--json"]).await;
    download.expect(0);
    assert_eq!(download.json()["bytes"], 300_000);
    assert_eq!(std::fs::read(&out).unwrap(), vec![7u8; 300_000]);
    let default_name = ayx.run(&["workflows", "download", "app-1"]).await;
    default_name.expect(0);
    assert!(ayx.path("app-1.yxzp").exists());

    let missing = ayx.run(&["workflows", "get", "nope"]).await;
    missing.expect(3);
    assert!(
        missing.stderr.contains("404") && missing.stderr.contains("the server said: not found"),
        "{}",
        missing.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_app_runs_with_answers_and_leaves_its_outputs() {
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("run", &server.url);
    let customers = ayx.path("customers.csv");
    std::fs::write(&customers, "id,name\n1,Ada\n").unwrap();
    let out = ayx.path("results");
    let run = ayx
        .run(&[
            "jobs",
            "run",
            "app-1",
            "--answer",
            "Region=EMEA",
            "--answer-file",
            &format!("Customers={}", customers.display()),
            "--wait",
            "--interval",
            "10ms",
            "--out",
            out.to_str().unwrap(),
            "--format",
            "csv",
            "--json",
        ])
        .await;
    run.expect(0);
    let result = run.json();
    assert_eq!(result["verdict"], "succeeded");
    assert_eq!(result["status"], "Completed");
    assert_eq!(
        result["messages"][0],
        json!({"kind": "info", "status": 1, "tool_id": 3, "text": "Input: 3 records read"})
    );
    assert_eq!(result["outputs"][0]["format"], "Csv");
    assert_eq!(std::fs::read_to_string(out.join("results.csv")).unwrap(), "region,total\nEMEA,42\n");
    assert!(std::fs::read_dir(&out).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".part")));
    {
        let world = server.world.lock().unwrap();
        assert_eq!(world.input_files[0].1, b"id,name\n1,Ada\n");
        assert_eq!(
            world.job_requests[0]["questions"],
            json!([{"name": "Region", "value": "EMEA"}, {"name": "Customers", "value": "ref-1"}])
        );
    }
    assert!(server.count("GET /webapi/v3/jobs/job-1") >= 3, "polled until final: {:?}", server.log());

    // The same for people: messages and the verdict in words.
    let run = ayx.run(&["jobs", "run", "wf-plain", "--wait", "--interval", "10ms"]).await;
    run.expect(0);
    assert!(
        run.stdout.contains("job job-2 finished: Completed (Success)") && run.stdout.ends_with("succeeded\n"),
        "{}",
        run.stdout
    );
    // Without --wait, the job id at once.
    let queued = ayx.run(&["jobs", "run", "wf-plain", "--json"]).await;
    assert_eq!(queued.json(), json!({"job_id": "job-3", "workflow_id": "wf-plain"}));
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_the_app_does_not_ask_for_are_refused_before_anything_runs() {
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("answers", &server.url);
    let run = ayx.run(&["jobs", "run", "app-1", "--answer", "Regoin=EMEA", "--answer", "Customers=x", "--wait"]).await;
    run.expect(2);
    assert!(run.stderr.contains(r#"the app has no question named "Regoin""#), "{}", run.stderr);
    assert!(
        run.stderr.contains("Region (QuestionTextBox, required), Customers (QuestionFileBrowse, required), Top"),
        "{}",
        run.stderr
    );
    let run = ayx.run(&["jobs", "run", "app-1", "--answer", "Region=EMEA", "--wait"]).await;
    run.expect(2);
    assert!(run.stderr.contains(r#"no answer to the required question "Customers""#), "{}", run.stderr);
    assert_eq!(server.count("POST /webapi/v3/workflows/app-1/jobs"), 0, "no job was created");
    let run = ayx.run(&["jobs", "run", "app-1", "--answer-file", "Customers=missing.csv"]).await;
    run.expect(2);
    assert!(run.stderr.contains("no such file"), "{}", run.stderr);
    let bad = ayx.run(&["jobs", "run", "app-1", "--answer", "novalue"]).await;
    bad.expect(2);
}

#[tokio::test(flavor = "multi_thread")]
async fn jobs_that_fail_exit_4_and_jobs_that_do_not_finish_exit_5() {
    let mut world = sample_world();
    let mut inside = JobScript::success();
    inside.messages.push((3, "Input Data (1): file not found"));
    world.scripts.insert("wf-plain".into(), inside);
    world.workflows.insert("wf-error".into(), support::server::workflow("wf-error", "Broken"));
    world.scripts.insert(
        "wf-error".into(),
        JobScript { status: "Error", disposition: Some("Error"), outputs: vec![], ..JobScript::success() },
    );
    world.workflows.insert("wf-slow".into(), support::server::workflow("wf-slow", "Slow"));
    world.scripts.insert("wf-slow".into(), JobScript { polls: 1_000, ..JobScript::success() });
    let server = FakeServer::start(world).await;
    let ayx = Ayx::for_server("failures", &server.url);

    // Completed, but the workflow wrote an error: exit 4, the messages shown, outputs still kept.
    let out = ayx.path("partial");
    let run =
        ayx.run(&["jobs", "run", "wf-plain", "--wait", "--interval", "10ms", "--out", out.to_str().unwrap()]).await;
    run.expect(4);
    assert!(run.stdout.contains("error    tool 3: Input Data (1): file not found"), "{}", run.stdout);
    assert!(
        run.stderr.contains("the workflow wrote 1 error message: Input Data (1): file not found"),
        "{}",
        run.stderr
    );
    assert!(out.join("results.csv").exists());
    let json = ayx.run(&["jobs", "run", "wf-plain", "--wait", "--interval", "10ms", "--json"]).await;
    json.expect(4);
    assert_eq!(json.json()["verdict"], "failed");

    let run = ayx.run(&["jobs", "run", "wf-error", "--wait", "--interval", "10ms"]).await;
    run.expect(4);
    assert!(run.stderr.contains("status is Error"), "{}", run.stderr);

    let run = ayx.run(&["jobs", "run", "wf-slow", "--wait", "--interval", "20ms", "--timeout", "300ms"]).await;
    run.expect(5);
    assert!(run.stderr.contains("had not finished") && run.stderr.contains("ayx jobs get"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn jobs_are_read_with_their_messages_and_outputs() {
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("jobs", &server.url);
    ayx.run(&["jobs", "run", "app-1", "--no-check", "--answer", "Region=EMEA"]).await.expect(0);
    ayx.run(&["jobs", "run", "wf-plain"]).await.expect(0);
    for _ in 0..3 {
        ayx.run(&["jobs", "get", "job-1"]).await.expect(0);
    }
    let job = ayx.run(&["jobs", "get", "job-1", "--json"]).await;
    assert_eq!(job.json()["status"], "Completed");
    assert_eq!(job.json()["disposition"], "Success");
    let list = ayx.run(&["jobs", "list", "app-1", "--json"]).await;
    assert_eq!(list.json().as_array().unwrap().len(), 1);
    assert!(
        server.log().iter().any(|l| l == "GET /webapi/v3/workflows/app-1/jobs?offset=0&limit=100"),
        "{:?}",
        server.log()
    );
    let messages = ayx.run(&["jobs", "messages", "job-1", "--json"]).await;
    assert_eq!(messages.json()[1]["kind"], "complete");
    let outputs = ayx.run(&["jobs", "outputs", "job-1", "--json"]).await;
    assert_eq!(outputs.json()[0]["availableFormats"], json!(["Csv", "Yxdb"]));
    let dir = ayx.path("outs");
    let fetched =
        ayx.run(&["jobs", "outputs", "job-1", "--out", dir.to_str().unwrap(), "--format", "Yxdb", "--json"]).await;
    fetched.expect(0);
    assert_eq!(fetched.json()[0]["format"], "Yxdb");
    let wrong = ayx.run(&["jobs", "outputs", "job-1", "--out", dir.to_str().unwrap(), "--format", "Xlsx"]).await;
    wrong.expect(2);
    assert!(wrong.stderr.contains("cannot be downloaded as `Xlsx`; it offers Csv, Yxdb"), "{}", wrong.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_is_drawn_when_standard_error_is_not_a_terminal() {
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("quiet", &server.url);
    let package = ayx.path("big.yxzp");
    std::fs::write(&package, vec![1u8; 2_000_000]).unwrap();
    let runs = [
        ayx.run(&["workflows", "upload", package.to_str().unwrap(), "--name", "Big", "--owner", "o"]).await,
        ayx.run(&["jobs", "run", "wf-plain", "--wait", "--interval", "10ms", "--out", ayx.path("o").to_str().unwrap()])
            .await,
    ];
    for run in runs {
        run.expect(0);
        assert!(run.stderr.is_empty(), "stderr must stay empty: {:?}", run.stderr);
        assert!(!run.stdout.contains('\r') && !run.stdout.contains('\u{1b}'), "{:?}", run.stdout);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn progress_is_drawn_on_a_terminal() {
    // `script` runs the command on a pseudo-terminal (util-linux); skipped where it is missing.
    let Ok(script) = which("script") else {
        eprintln!("`script` is not installed: the terminal case is not checked");
        return;
    };
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::for_server("tty", &server.url);
    let command = format!(
        "AYX_CONFIG={} {} jobs run wf-plain --wait --interval 300ms",
        ayx.config.display(),
        env!("CARGO_BIN_EXE_ayx")
    );
    let output = tokio::process::Command::new(script).args(["-qec", &command, "/dev/null"]).output().await.unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("job job-1: Running") || text.contains("job job-1: Queued"),
        "the spinner shows the status: {text:?}"
    );
}

fn which(program: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|p| p.join(program)).find(|p| p.is_file()))
        .ok_or(())
}

#[tokio::test(flavor = "multi_thread")]
async fn every_command_has_help_with_examples_and_completions_are_printed() {
    let ayx = Ayx::new("help");
    let commands: &[&[&str]] = &[
        &["config", "add"],
        &["config", "list"],
        &["config", "remove"],
        &["config", "use"],
        &["config", "show"],
        &["workflows", "list"],
        &["workflows", "get"],
        &["workflows", "upload"],
        &["workflows", "download"],
        &["workflows", "versions"],
        &["workflows", "questions"],
        &["jobs", "run"],
        &["jobs", "get"],
        &["jobs", "list"],
        &["jobs", "messages"],
        &["jobs", "outputs"],
        &["completions"],
    ];
    for command in commands {
        let help = ayx.run(&[*command, &["--help"]].concat()).await;
        help.expect(0);
        assert!(help.stdout.contains("Example"), "`ayx {} --help` has no example:\n{}", command.join(" "), help.stdout);
    }
    let top = ayx.run(&["--help"]).await;
    assert!(top.stdout.contains("Exit codes: 0 success") && top.stdout.contains("AYX_SECRET"), "{}", top.stdout);
    let completions = ayx.run(&["completions", "bash"]).await;
    completions.expect(0);
    assert!(completions.stdout.contains("_ayx()"), "{}", &completions.stdout[..200.min(completions.stdout.len())]);
    // `ayx api`'s commands complete too, with the spec's enum values.
    for expected in [
        "ayx__subcmd__api__subcmd__credentials,get-credentials)",
        "compgen -W \"Default Full\"",
        "compgen -W \"Safe SemiSafe Standard\"",
    ] {
        assert!(completions.stdout.contains(expected), "the completions lack {expected}");
    }
    let usage = ayx.run(&["jobs", "run"]).await;
    usage.expect(2);
}
