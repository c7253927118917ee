//! `ayx` for administrators, end to end against fake servers on 127.0.0.1: backups that fail or
//! are killed part way and finish on a rerun without downloading again what was complete;
//! migrations between two servers that replace rather than duplicate on a rerun, with a target
//! that refuses one workflow and one that has no admin v1 endpoints; offboarding with and without
//! `--dry-run`; groups, schedules, the audit log over several pages; and changes refused without
//! `--yes` when there is no terminal to ask on.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use support::server::{FakeServer, World, sample_world, user, workflow};
use support::{Ayx, Run};

/// A world with workflows, users, groups, schedules, collections, credentials and connections.
fn admin_world() -> World {
    let mut world = sample_world();
    for (id, name) in [("wf-3", "Forecast"), ("wf-4", "Churn")] {
        world.workflows.insert(id.into(), workflow(id, name));
        world.packages.insert(id.into(), format!("PK\x03\x04 {id} ").repeat(5000).into_bytes());
    }
    for (id, email) in [("u-ada", "ada@example.com"), ("u-grace", "grace@example.com")] {
        world.users.insert(id.into(), user(id, email));
    }
    world.assets.insert(
        "u-ada".into(),
        json!({"workflows": [{"id": "app-1", "name": "Sales by region"}], "schedules": [{"id": "s-1", "name": "Nightly"}], "collections": []}),
    );
    world.groups.insert(
        "group-1".into(),
        json!({"id": "group-1", "name": "Finance", "role": "Artisan", "members": [{"userId": "u-ada"}]}),
    );
    for (id, enabled) in [("s-1", true), ("s-2", false)] {
        world.schedules.insert(
            id.into(),
            json!({"id": id, "name": id, "workflowId": "app-1", "ownerId": "u-ada", "enabled": enabled}),
        );
    }
    world.collections.insert(
        "c-1".into(),
        json!({"id": "c-1", "name": "Finance reports", "ownerId": "u-ada", "workflowIds": ["app-1", "wf-3"]}),
    );
    world.credentials.insert("cred-1".into(), json!({"id": "cred-1", "userName": r"CORP\svc", "userIds": ["u-ada"]}));
    world.connections.insert("conn-1".into(), json!({"id": "conn-1", "name": "Warehouse", "connectionType": "ODBC"}));
    world.admin_v1 = true;
    world
}

fn manifest(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

fn complete(manifest: &Value) -> usize {
    manifest["packages"].as_array().unwrap().iter().filter(|p| p["status"] == "complete").count()
}

fn sha256(path: &Path) -> String {
    Sha256::digest(std::fs::read(path).unwrap()).iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_that_fails_in_part_finishes_on_a_rerun_without_downloading_twice() {
    let mut world = admin_world();
    world.package_failures.insert("wf-3".into(), 1);
    let server = FakeServer::start(world).await;
    let ayx = Ayx::for_server("backup", &server.url);
    let out = ayx.path("backup");
    let first = ayx.run(&["backup", "--out", out.to_str().unwrap(), "--concurrency", "2", "--json"]).await;
    first.expect(7);
    let summary = first.json();
    assert_eq!(summary["packages"], json!({"total": 4, "downloaded": 3, "already_complete": 0, "failed": 1}));
    assert_eq!(summary["missing"][0]["workflow_id"], "wf-3");
    assert!(summary["missing"][0]["error"].as_str().unwrap().contains("500"), "{summary}");
    assert!(first.stderr.contains("the backup is incomplete: 1 package(s) failed"), "{}", first.stderr);
    let m = manifest(&out);
    assert_eq!(m["complete"], false);
    assert_eq!(m["inventory"]["users"].as_array().unwrap().len(), 2);
    assert_eq!(m["inventory"]["user_groups"][0]["members"][0]["userId"], "u-ada");
    assert_eq!(m["inventory"]["collections"][0]["workflowIds"], json!(["app-1", "wf-3"]));
    assert_eq!(m["inventory"]["credentials"][0]["userName"], r"CORP\svc");
    assert_eq!(m["inventory"]["workflows"][0]["versions"].as_array().unwrap().len(), 2);
    for p in m["packages"].as_array().unwrap().iter().filter(|p| p["status"] == "complete") {
        let file = out.join(p["path"].as_str().unwrap());
        assert_eq!(p["sha256"].as_str().unwrap(), sha256(&file), "{p}");
        assert_eq!(p["bytes"].as_u64().unwrap(), std::fs::metadata(&file).unwrap().len());
    }
    let downloads_before = server.count("GET /webapi/v3/workflows/");
    let second = ayx.run(&["backup", "--out", out.to_str().unwrap(), "--json"]).await;
    second.expect(0);
    assert_eq!(second.json()["packages"], json!({"total": 4, "downloaded": 1, "already_complete": 3, "failed": 0}));
    let package_requests: Vec<String> = server.log().into_iter().filter(|l| l.ends_with("/package")).collect();
    assert_eq!(package_requests.iter().filter(|l| l.contains("wf-3")).count(), 2, "{package_requests:?}");
    assert_eq!(package_requests.len(), 5, "only the failed package is fetched again: {package_requests:?}");
    assert!(server.count("GET /webapi/v3/workflows/") > downloads_before);
    assert_eq!(manifest(&out)["complete"], true);
    // A third run fetches no package at all; the human summary says so.
    let third = ayx.run(&["backup", "--out", out.to_str().unwrap()]).await;
    third.expect(0);
    assert!(third.stdout.contains("4 package(s): 0 downloaded, 4 already complete, 0 failed"), "{}", third.stdout);
    assert_eq!(server.log().iter().filter(|l| l.ends_with("/package")).count(), 5);
    // A changed file is found out by its sha256 and fetched again.
    let victim = out.join(manifest(&out)["packages"][0]["path"].as_str().unwrap());
    let mut bytes = std::fs::read(&victim).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&victim, bytes).unwrap();
    ayx.run(&["backup", "--out", out.to_str().unwrap()]).await.expect(0);
    assert_eq!(server.log().iter().filter(|l| l.ends_with("/package")).count(), 6);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_killed_part_way_is_resumed() {
    let mut world = admin_world();
    world.stalled_packages.push("wf-4".into());
    let server = FakeServer::start(world).await;
    let ayx = Ayx::for_server("backup-killed", &server.url);
    let out = ayx.path("backup");
    let mut child = ayx.spawn(&["backup", "--out", out.to_str().unwrap(), "--concurrency", "3", "--all-versions"]);
    // Every version of every workflow but the stalled one lands (its two versions hold two of the
    // three download slots for ever); then the run is killed.
    let started = std::time::Instant::now();
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        if out.join("manifest.json").exists() && complete(&manifest(&out)) == 6 {
            break;
        }
        assert!(started.elapsed().as_secs() < 30, "the backup never got that far");
    }
    child.kill().await.unwrap();
    let m = manifest(&out);
    assert_eq!((m["packages"].as_array().unwrap().len(), complete(&m)), (8, 6));
    server.world.lock().unwrap().stalled_packages.clear();
    let fetched_before = server.log().iter().filter(|l| l.contains("/package")).count();
    let rerun = ayx.run(&["backup", "--out", out.to_str().unwrap(), "--all-versions", "--json"]).await;
    rerun.expect(0);
    assert_eq!(rerun.json()["packages"]["already_complete"], 6);
    let fetched: Vec<String> =
        server.log().into_iter().filter(|l| l.contains("/package")).skip(fetched_before).collect();
    assert_eq!(fetched.len(), 2, "{fetched:?}");
    assert!(fetched.iter().all(|l| l.contains("wf-4/package?versionId=wf-4-v")), "{fetched:?}");
    let leftovers: Vec<_> = walk(&out).into_iter().filter(|p| p.ends_with(".part")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.path().is_dir() {
            out.extend(walk(&entry.path()));
        } else {
            out.push(entry.path().display().to_string());
        }
    }
    out
}

/// Two servers: a source with three workflows marked ready, and a target that refuses one.
async fn two_servers(target_admin_v1: bool) -> (FakeServer, FakeServer) {
    let mut source = admin_world();
    source.migratable = vec!["app-1".into(), "wf-3".into(), "wf-4".into()];
    for w in source.workflows.values_mut() {
        w["ownerId"] = json!("u-ada");
    }
    let mut target = World { admin_v1: target_admin_v1, ..World::default() };
    target.users.insert("t-ada".into(), user("t-ada", "ada@example.com"));
    target.users.insert("t-ops".into(), user("t-ops", "ops@example.com"));
    target.refuse_names.push("Forecast".into());
    (FakeServer::start(source).await, FakeServer::start(target).await)
}

fn target_workflows(target: &FakeServer) -> BTreeMap<String, Value> {
    target.world.lock().unwrap().workflows.clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_migration_replaces_on_a_rerun_and_reports_what_the_target_refused() {
    let (source, target) = two_servers(true).await;
    let ayx = Ayx::for_servers("migrate", &[("dev", &source.url), ("prod", &target.url)]);
    let dry = ayx.run(&["migrate", "--from", "dev", "--to", "prod", "--marked", "--dry-run", "--json"]).await;
    dry.expect(0);
    let plan = dry.json();
    assert_eq!(plan["workflows"].as_array().unwrap().len(), 3);
    assert_eq!(
        plan["workflows"][0],
        json!({"source_id": "app-1", "name": "Sales by region", "owner": "ada@example.com", "action": "publish", "replaces": null, "result": "planned", "target_id": null, "error": null})
    );
    assert!(target.world.lock().unwrap().published.is_empty(), "a dry run changes nothing");
    assert_eq!(source.world.lock().unwrap().migratable.len(), 3);

    // Without --yes and without a terminal, nothing happens.
    let refused = ayx.run(&["migrate", "--from", "dev", "--to", "prod", "--marked"]).await;
    refused.expect(8);
    assert!(refused.stderr.contains("run it again with --yes"), "{}", refused.stderr);
    assert!(target.world.lock().unwrap().published.is_empty());

    let first = ayx.run(&["migrate", "--from", "dev", "--to", "prod", "--marked", "--yes", "--json"]).await;
    first.expect(7);
    let results: Vec<(String, String)> = first.json()["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["source_id"].as_str().unwrap().to_string(), w["result"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        results,
        [("app-1".into(), "migrated".into()), ("wf-3".into(), "failed".into()), ("wf-4".into(), "migrated".into())]
    );
    assert!(first.json()["workflows"][1]["error"].as_str().unwrap().contains("failed validation"), "{}", first.stdout);
    {
        let published = &target.world.lock().unwrap().published;
        assert_eq!(published.len(), 2);
        assert_eq!(published[0]["sourceId"], "app-1");
        assert_eq!(published[0]["owner"], "ada@example.com");
        assert_eq!(published[0]["validate"], "true");
    }
    assert_eq!(source.world.lock().unwrap().migratable, ["wf-3"], "the migrated ones are no longer marked");
    assert_eq!(target.world.lock().unwrap().packages["wf-mig-1"], source.world.lock().unwrap().packages["app-1"]);

    // The target accepts it now: the rerun migrates only what is left.
    target.world.lock().unwrap().refuse_names.clear();
    let second = ayx.run(&["migrate", "--from", "dev", "--to", "prod", "--marked", "--yes", "--json"]).await;
    second.expect(0);
    assert_eq!(second.json()["workflows"].as_array().unwrap().len(), 1);
    assert!(source.world.lock().unwrap().migratable.is_empty());
    ayx.run(&["migrate", "--from", "dev", "--to", "prod", "--marked", "--yes"]).await.expect(0);

    // Named again, a workflow gets a new version in the target, not a twin.
    let again = ayx
        .run(&[
            "migrate",
            "--from",
            "dev",
            "--to",
            "prod",
            "--workflow",
            "app-1",
            "--owner",
            "ops@example.com",
            "--yes",
        ])
        .await;
    again.expect(0);
    let workflows = target_workflows(&target);
    let from_app = workflows.values().filter(|w| w["sourceAppId"] == "app-1").collect::<Vec<_>>();
    assert_eq!(from_app.len(), 1, "{workflows:?}");
    assert_eq!(from_app[0]["versions"].as_array().unwrap().len(), 3, "a version was added");
    assert_eq!(workflows.len(), 3);
    assert!(
        !source.world.lock().unwrap().migratable.contains(&"app-1".to_string()),
        "an unmarked workflow's flag is left alone"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_admin_v1_endpoints_a_migration_takes_the_v3_path() {
    let (source, target) = two_servers(false).await;
    target.world.lock().unwrap().refuse_names.clear();
    let ayx = Ayx::for_servers("migrate-v3", &[("dev", &source.url), ("prod", &target.url)]);
    let run = ayx
        .run(&["migrate", "--from", "dev", "--to", "prod", "--collection", "finance reports", "--yes", "--json"])
        .await;
    run.expect(0);
    assert!(
        run.stderr.contains("using V3, which replaces only workflows whose sourceAppId the target reports"),
        "{}",
        run.stderr
    );
    let workflows = target_workflows(&target);
    let sources: Vec<&str> = workflows.values().map(|w| w["sourceAppId"].as_str().unwrap()).collect();
    assert_eq!(sources, ["app-1", "wf-3"]);
    {
        let world = target.world.lock().unwrap();
        assert_eq!(world.uploads[0].0["ownerId"], "t-ada", "the owner is found in the target by email");
    }
    // Rerun on V3: the target reports the sourceAppIds, so each gets a new version.
    let rerun = ayx
        .run(&[
            "migrate",
            "--from",
            "dev",
            "--to",
            "prod",
            "--collection",
            "Finance reports",
            "--api",
            "v3",
            "--yes",
            "--json",
        ])
        .await;
    rerun.expect(0);
    let report = rerun.json();
    let actions: Vec<&str> =
        report["workflows"].as_array().unwrap().iter().map(|w| w["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["add-version", "add-version"]);
    assert_eq!(target_workflows(&target).len(), 2, "no twins");
    let marked = ayx.run(&["migrate", "--from", "prod", "--to", "dev", "--marked", "--dry-run"]).await;
    marked.expect(2);
    assert!(marked.stderr.contains("no admin v1 migration endpoints"), "{}", marked.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn offboarding_transfers_everything_then_deactivates() {
    let server = FakeServer::start(admin_world()).await;
    let ayx = Ayx::for_server("offboard", &server.url);
    let dry = ayx
        .run(&["users", "offboard", "ada@example.com", "--to", "grace@example.com", "--deactivate", "--dry-run"])
        .await;
    dry.expect(0);
    assert!(dry.stdout.contains("owns 1 workflow(s), 1 schedule(s) and 0 collection(s)"), "{}", dry.stdout);
    assert!(dry.stdout.contains("workflow   app-1  Sales by region"), "{}", dry.stdout);
    assert!(server.world.lock().unwrap().transfers.is_empty(), "a dry run changes nothing");
    let refused = ayx.run(&["users", "offboard", "u-ada", "--to", "u-grace"]).await;
    refused.expect(8);
    let run = ayx
        .run(&["users", "offboard", "ada@example.com", "--to", "grace@example.com", "--deactivate", "--yes", "--json"])
        .await;
    run.expect(0);
    assert_eq!(run.json()["affected_schedule_ids"], json!(["s-1"]));
    assert_eq!(run.json()["deactivated"], true);
    {
        let world = server.world.lock().unwrap();
        let body = json!({"ownerId": "u-grace", "transferWorkflows": true, "transferSchedules": true, "transferCollections": true});
        assert_eq!(world.transfers, vec![("u-ada".to_string(), body)]);
        assert_eq!(world.deactivated, ["u-ada"]);
    }
    // Run twice: nothing left to move.
    let again = ayx.run(&["users", "offboard", "u-ada", "--to", "u-grace", "--yes"]).await;
    again.expect(0);
    assert!(again.stdout.contains("transferred 0 workflow(s), 0 schedule(s) and 0 collection(s)"), "{}", again.stdout);
    let unknown = ayx.run(&["users", "offboard", "nobody@example.com", "--to", "u-grace", "--dry-run"]).await;
    unknown.expect(2);
}

#[tokio::test(flavor = "multi_thread")]
async fn groups_and_schedules_are_managed() {
    let server = FakeServer::start(admin_world()).await;
    let ayx = Ayx::for_server("groups", &server.url);
    let created = ayx.run(&["groups", "create", "Analysts", "--role", "artisan", "--yes", "--json"]).await;
    created.expect(0);
    let id = created.json()["id"].as_str().unwrap().to_string();
    ayx.run(&["groups", "add-users", &id, "ada@example.com", "u-grace", "--yes"]).await.expect(0);
    let group = ayx.run(&["groups", "get", &id, "--json"]).await;
    assert_eq!(group.json()["members"], json!([{"userId": "u-ada"}, {"userId": "u-grace"}]));
    ayx.run(&["groups", "remove-user", &id, "ada@example.com", "--yes"]).await.expect(0);
    let list = ayx.run(&["groups", "list", "--json"]).await;
    assert_eq!(list.json().as_array().unwrap().len(), 2);
    let refused = ayx.run(&["groups", "delete", &id]).await;
    refused.expect(8);
    ayx.run(&["groups", "delete", &id, "--force", "--yes"]).await.expect(0);
    assert!(server.log().iter().any(|l| l == &format!("DELETE /webapi/v3/usergroups/{id}?forceDelete=true")));

    let schedules = ayx.run(&["schedules", "list", "--json"]).await;
    assert_eq!(schedules.json().as_array().unwrap().len(), 2);
    let disabled = ayx.run(&["schedules", "disable", "s-1", "s-2", "--yes", "--json"]).await;
    disabled.expect(0);
    assert_eq!(disabled.json(), json!([{"id": "s-1", "result": "disabled"}, {"id": "s-2", "result": "unchanged"}]));
    assert_eq!(server.world.lock().unwrap().schedules["s-1"]["enabled"], false);
    let partial = ayx.run(&["schedules", "enable", "s-1", "missing", "--yes"]).await;
    partial.expect(7);
    assert_eq!(server.world.lock().unwrap().schedules["s-1"]["enabled"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_log_is_read_page_after_page() {
    let mut world = admin_world();
    for i in 0..25 {
        let day = 1 + i % 28;
        world.audit.push(json!({"id": format!("e{i}"), "entity": "User", "entityId": "u-ada", "userId": "u-grace", "timestamp": format!("2026-11-{day:02}T08:00:00Z"), "event": "Update", "oldValues": "{\"IsActive\":true}", "newValues": "{\"IsActive\":false}"}));
    }
    world
        .audit
        .push(json!({"id": "other", "entity": "Collection", "timestamp": "2026-11-02T08:00:00Z", "event": "Insert"}));
    let server = FakeServer::start(world).await;
    let ayx = Ayx::for_server("audit", &server.url);
    let lines = ayx.run(&["audit", "--entity", "User", "--json", "--page-size", "10"]).await;
    lines.expect(0);
    let events: Vec<Value> = lines.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events.len(), 25);
    assert_eq!(events[24]["id"], "e24");
    let pages: Vec<String> = server.log().into_iter().filter(|l| l.contains("auditlog")).collect();
    assert_eq!(
        pages,
        [
            "GET /webapi/admin/v1/auditlog?entity=User&page=1&pageSize=10",
            "GET /webapi/admin/v1/auditlog?entity=User&page=2&pageSize=10",
            "GET /webapi/admin/v1/auditlog?entity=User&page=3&pageSize=10",
        ]
    );
    let since = ayx.run(&["audit", "--entity", "User", "--since", "2026-11-20", "--json"]).await;
    assert_eq!(since.stdout.lines().count(), 6, "days 20 to 25: {}", since.stdout);
    let csv = ayx.run(&["audit", "--entity", "User", "--csv"]).await;
    let rows: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(rows[0], "id,timestamp,entity,entityId,userId,event,oldValues,newValues");
    assert_eq!(rows.len(), 26);
    assert!(rows[1].ends_with(r#","{""IsActive"":true}","{""IsActive"":false}""#), "{}", rows[1]);
    let table = ayx.run(&["audit", "--entity", "Collection"]).await;
    assert!(table.stdout.contains("Insert"), "{}", table.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_admin_commands_have_help_with_examples() {
    let ayx = Ayx::new("admin-help");
    let commands: &[&[&str]] = &[
        &["backup"],
        &["migrate"],
        &["users", "list"],
        &["users", "offboard"],
        &["groups", "list"],
        &["groups", "get"],
        &["groups", "create"],
        &["groups", "add-users"],
        &["groups", "remove-user"],
        &["groups", "delete"],
        &["schedules", "list"],
        &["schedules", "enable"],
        &["schedules", "disable"],
        &["audit"],
    ];
    for command in commands {
        let help: Run = ayx.run(&[*command, &["--help"]].concat()).await;
        help.expect(0);
        assert!(help.stdout.contains("Example"), "`ayx {} --help`:\n{}", command.join(" "), help.stdout);
    }
}
