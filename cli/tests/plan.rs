//! Plans: `ayx migrate --plan-out FILE` writes what a migration will do and changes nothing;
//! `ayx apply FILE` carries out exactly that, or refuses the whole plan (exit 9, nothing
//! changed) when the servers changed in a way that matters. The built binary, two mock servers.

mod support;

use serde_json::json;
use support::Ayx;
use support::server::{FakeServer, World, sample_world, user};

async fn two_servers() -> (FakeServer, FakeServer) {
    let mut source = sample_world();
    source.admin_v1 = true;
    for w in source.workflows.values_mut() {
        w["ownerId"] = json!("u-ada");
    }
    source.users.insert("u-ada".into(), user("u-ada", "ada@example.com"));
    let mut target = World { admin_v1: true, ..World::default() };
    target.users.insert("t-ada".into(), user("t-ada", "ada@example.com"));
    (FakeServer::start(source).await, FakeServer::start(target).await)
}

const MIGRATE: [&str; 9] =
    ["migrate", "--from", "dev", "--to", "prod", "--workflow", "app-1", "--workflow", "wf-plain"];

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_changes_nothing_and_apply_carries_out_exactly_it() {
    let (source, target) = two_servers().await;
    let ayx = Ayx::for_servers("plan-apply", &[("dev", &source.url), ("prod", &target.url)]);
    let plan = ayx.path("release.json");
    let run = ayx.run(&[&MIGRATE[..], &["--plan-out", plan.to_str().unwrap()]].concat()).await;
    run.expect(0);
    assert!(run.stdout.contains("carry it out with `ayx apply"), "{}", run.stdout);
    assert!(target.world.lock().unwrap().published.is_empty(), "a plan changes nothing");
    let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&plan).unwrap()).unwrap();
    assert_eq!((written["ayx_plan"].as_u64(), written["kind"].as_str()), (Some(1), Some("migrate")));
    assert_eq!(written["from"], json!({"profile": "dev", "url": source.url}));
    let ids: Vec<&str> =
        written["workflows"].as_array().unwrap().iter().map(|w| w["source_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["app-1", "wf-plain"]);
    assert_eq!(written["workflows"][0]["published_version_id"], "app-1-v2");
    assert_eq!(written["workflows"][0]["owner"], "ada@example.com");

    // Later, a workflow the plan does not name is marked on the source: apply does only the plan.
    source.world.lock().unwrap().workflows.insert("wf-new".into(), support::server::workflow("wf-new", "New"));
    let run = ayx.run(&["apply", plan.to_str().unwrap(), "--yes", "--json"]).await;
    run.expect(0);
    let results: Vec<(String, String)> = run.json()["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["source_id"].as_str().unwrap().into(), w["result"].as_str().unwrap().into()))
        .collect();
    assert_eq!(results, [("app-1".into(), "migrated".into()), ("wf-plain".into(), "migrated".into())]);
    let published: Vec<String> = target.world.lock().unwrap().published.iter().map(|p| p["sourceId"].clone()).collect();
    assert_eq!(published, ["app-1", "wf-plain"]);
    // A change: recorded as `apply`.
    let record = ayx.run(&["history", "show", "last", "--json"]).await.json();
    assert_eq!(record["command"], "apply");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_plan_is_refused_whole_with_every_reason() {
    let (source, target) = two_servers().await;
    let ayx = Ayx::for_servers("plan-stale", &[("dev", &source.url), ("prod", &target.url)]);
    let plan = ayx.path("release.json");
    ayx.run(&[&MIGRATE[..], &["--plan-out", plan.to_str().unwrap()]].concat()).await.expect(0);
    {
        let mut world = source.world.lock().unwrap();
        world.workflows.remove("wf-plain");
        world.workflows.get_mut("app-1").unwrap()["publishedVersionId"] = json!("app-1-v3");
    }
    target.world.lock().unwrap().users.clear();
    let run = ayx.run(&["apply", plan.to_str().unwrap(), "--yes"]).await;
    run.expect(9);
    for reason in [
        "the workflow wf-plain (Nightly load) is gone from `dev`",
        "the workflow app-1 (Sales by region) has another published version in `dev` since the plan (app-1-v2 then, app-1-v3 now)",
        "the owner ada@example.com of app-1 is gone from `prod`",
    ] {
        assert!(run.stderr.contains(reason), "{reason}\n{}", run.stderr);
    }
    assert!(run.stderr.contains("nothing was changed"), "{}", run.stderr);
    assert!(target.world.lock().unwrap().published.is_empty());
    let changes = target.log().into_iter().filter(|l| !l.starts_with("GET") && !l.contains("/oauth2/token")).count();
    assert_eq!(changes, 0, "only reads and tokens: {:?}", target.log());

    // A plan of another format, or not a plan, is refused before any request.
    std::fs::write(&plan, r#"{"ayx_plan": 7, "created": "2026-12-03T00:00:00Z", "kind": "migrate"}"#).unwrap();
    let run = ayx.run(&["apply", plan.to_str().unwrap(), "--yes"]).await;
    run.expect(2);
    assert!(run.stderr.contains("not a plan of ayx") || run.stderr.contains("format 7"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_offboarding_plan_is_applied_as_planned_or_refused_when_the_assets_changed() {
    let mut world = sample_world();
    for (id, email) in [("u-ada", "ada@example.com"), ("u-grace", "grace@example.com")] {
        world.users.insert(id.into(), user(id, email));
    }
    world.assets.insert(
        "u-ada".into(),
        json!({"workflows": [{"id": "app-1", "name": "Sales by region"}], "schedules": [{"id": "s-1", "name": "Nightly"}], "collections": []}),
    );
    let server = FakeServer::start(world).await;
    let ayx = Ayx::for_server("plan-offboard", &server.url);
    let plan = ayx.path("offboard.json");
    let offboard = ["users", "offboard", "ada@example.com", "--to", "grace@example.com", "--deactivate"];
    let run = ayx.run(&[&offboard[..], &["--plan-out", plan.to_str().unwrap()]].concat()).await;
    run.expect(0);
    let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&plan).unwrap()).unwrap();
    assert_eq!(written["kind"], "offboard");
    assert_eq!((written["user_id"].as_str(), written["new_owner_id"].as_str()), (Some("u-ada"), Some("u-grace")));
    assert_eq!((written["workflows"].clone(), written["schedules"].clone()), (json!(["app-1"]), json!(["s-1"])));
    assert!(server.world.lock().unwrap().transfers.is_empty(), "a plan changes nothing");

    // Ada gets another workflow after the plan: the plan no longer says what the transfer moves.
    let original = server.world.lock().unwrap().assets["u-ada"].clone();
    server.world.lock().unwrap().assets.get_mut("u-ada").unwrap()["workflows"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "wf-late", "name": "Late"}));
    let run = ayx.run(&["apply", plan.to_str().unwrap(), "--yes"]).await;
    run.expect(9);
    assert!(
        run.stderr.contains("ada@example.com now owns the workflow wf-late, which the plan does not list"),
        "{}",
        run.stderr
    );
    assert!(server.world.lock().unwrap().transfers.is_empty());

    // As planned again: applied, and the account deactivated as the plan says.
    server.world.lock().unwrap().assets.insert("u-ada".into(), original);
    let run = ayx.run(&["apply", plan.to_str().unwrap(), "--yes", "--json"]).await;
    run.expect(0);
    assert_eq!(run.json()["deactivated"], true);
    let world = server.world.lock().unwrap();
    assert_eq!(world.transfers.len(), 1);
    assert_eq!(world.transfers[0].0, "u-ada");
    assert_eq!(world.deactivated, ["u-ada"]);
}
