//! `ayx migrate --map`: values that differ between environments replaced inside the workflow
//! files of real zip packages before they are published. Both packages are unzipped and
//! compared: the published one differs from the source's only in the mapped values, its other
//! entries are untouched, and a package with nothing to replace is published byte for byte.

mod support;

use std::io::{Cursor, Read, Write};

use serde_json::{Value, json};
use support::Ayx;
use support::server::{FakeServer, World, sample_world, user};

const SALES: &str = r#"<?xml version="1.0"?>
<AlteryxDocument yxmdVer="2024.1">
  <Node ToolID="1"><Connection>odbc:DSN=SalesDev;UID=etl</Connection><File>\\devshare\in\orders.csv</File></Node>
  <Node ToolID="2"><Connection>aka:dcm-7d2c-dev</Connection><Query>SELECT 'R&amp;D' FROM t</Query></Node>
</AlteryxDocument>
"#;
const MACRO: &str = r#"<AlteryxDocument><Node><File>\\devshare\in\lookup.yxdb</File></Node></AlteryxDocument>"#;
/// Data inside the package that holds a mapped value: not a workflow file, so left alone.
const DATA: &str = "dsn,note\nodbc:DSN=SalesDev;UID=etl,kept as it is\n";

/// A package: (name, contents, stored rather than deflated).
fn package(entries: &[(&str, &str, bool)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text, stored) in entries {
        let method = if *stored { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        zip.start_file(*name, zip::write::SimpleFileOptions::default().compression_method(method)).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A package's entries: (name, compression, contents), in order.
fn unzip(bytes: &[u8]) -> Vec<(String, zip::CompressionMethod, String)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            (entry.name().unwrap().into_owned(), entry.compression(), text)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn mapped_values_are_replaced_in_workflow_files_and_nothing_else() {
    let mut source = sample_world();
    source.admin_v1 = true;
    let sales = package(&[
        ("Sales by region.yxmd", SALES, false),
        ("Macros/Clean.yxmc", MACRO, true),
        ("data/dsn.csv", DATA, false),
    ]);
    let plain = package(&[("Nightly load.yxmd", "<AlteryxDocument><Node/></AlteryxDocument>", false)]);
    source.packages.insert("app-1".into(), sales.clone());
    source.packages.insert("wf-plain".into(), plain.clone());
    for w in source.workflows.values_mut() {
        w["ownerId"] = json!("u-ada");
    }
    source.users.insert("u-ada".into(), user("u-ada", "ada@example.com"));
    let mut target = World { admin_v1: true, ..World::default() };
    target.users.insert("t-ada".into(), user("t-ada", "ada@example.com"));
    let (source, target) = (FakeServer::start(source).await, FakeServer::start(target).await);
    let ayx = Ayx::for_servers("migrate-map", &[("dev", &source.url), ("prod", &target.url)]);
    let map = ayx.path("prod.toml");
    std::fs::write(
        &map,
        r#"[replace]
"odbc:DSN=SalesDev;UID=etl" = "odbc:DSN=SalesProd;UID=etl"
'\\devshare\in' = '\\prodshare\in'
"aka:dcm-7d2c-dev" = "aka:dcm-91fe-prod"
"R&D" = "R&D (prod)"
"a value no package holds" = "is not an error"
"#,
    )
    .unwrap();
    let args = ["migrate", "--from", "dev", "--to", "prod", "--workflow", "app-1", "--workflow", "wf-plain"];
    let run = ayx.run(&[&args[..], &["--map", map.to_str().unwrap(), "--yes", "--json"]].concat()).await;
    run.expect(0);
    let report = run.json();
    let replaced = &report["workflows"][0]["replaced"];
    assert_eq!(
        replaced,
        &json!([
            {"file": "Sales by region.yxmd", "value": "R&D", "count": 1},
            {"file": "Sales by region.yxmd", "value": "\\\\devshare\\in", "count": 1},
            {"file": "Sales by region.yxmd", "value": "aka:dcm-7d2c-dev", "count": 1},
            {"file": "Sales by region.yxmd", "value": "odbc:DSN=SalesDev;UID=etl", "count": 1},
            {"file": "Macros/Clean.yxmc", "value": "\\\\devshare\\in", "count": 1},
        ]),
        "{report:#}"
    );
    assert_eq!(report["workflows"][1].get("replaced"), None::<&Value>, "nothing to replace in the plain one");

    let published = target.world.lock().unwrap().packages.clone();
    let (mut sales_out, mut plain_out) = (None, None);
    for bytes in published.values() {
        let names: Vec<String> = unzip(bytes).into_iter().map(|(n, ..)| n).collect();
        if names.contains(&"Sales by region.yxmd".to_string()) {
            sales_out = Some(bytes.clone());
        } else {
            plain_out = Some(bytes.clone());
        }
    }
    // Nothing to replace: the package as it came, byte for byte.
    assert_eq!(plain_out.unwrap(), plain);
    let (before, after) = (unzip(&sales), unzip(&sales_out.unwrap()));
    assert_eq!(before.len(), after.len());
    let expected = SALES
        .replace("odbc:DSN=SalesDev;UID=etl", "odbc:DSN=SalesProd;UID=etl")
        .replace(r"\\devshare\in", r"\\prodshare\in")
        .replace("aka:dcm-7d2c-dev", "aka:dcm-91fe-prod")
        .replace("R&amp;D", "R&amp;D (prod)");
    assert_eq!(after[0], ("Sales by region.yxmd".into(), zip::CompressionMethod::Deflated, expected));
    assert_eq!(
        after[1],
        ("Macros/Clean.yxmc".into(), zip::CompressionMethod::Stored, MACRO.replace("devshare", "prodshare"))
    );
    // Not a workflow file: untouched, though it holds a mapped value.
    assert_eq!(after[2], before[2]);

    // For people: what was replaced, file by file.
    let text = ayx.run(&[&args[..], &["--map", map.to_str().unwrap(), "--yes"]].concat()).await;
    text.expect(0);
    assert!(
        text.stdout.contains("app-1: replaced `aka:dcm-7d2c-dev` 1 time(s) in Sales by region.yxmd"),
        "{}",
        text.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_map_that_cannot_be_read_stops_before_any_request() {
    let source = FakeServer::start(sample_world()).await;
    let target = FakeServer::start(World::default()).await;
    let ayx = Ayx::for_servers("migrate-bad-map", &[("dev", &source.url), ("prod", &target.url)]);
    let map = ayx.path("bad.toml");
    std::fs::write(&map, "[replace]\n\"\" = \"x\"\n").unwrap();
    let run = ayx
        .run(&[
            "migrate",
            "--from",
            "dev",
            "--to",
            "prod",
            "--workflow",
            "app-1",
            "--map",
            map.to_str().unwrap(),
            "--yes",
        ])
        .await;
    run.expect(2);
    assert!(run.stderr.contains("a value to replace is empty"), "{}", run.stderr);
    assert!(source.log().is_empty() && target.log().is_empty());
}
