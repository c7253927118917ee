//! `ayx doctor` against servers with something wrong: the built binary against the client's
//! generated mock (healthy, refusing the key, without the admin v1 API), and behind a TLS
//! front whose certificate a throwaway authority signed (untrusted, then trusted through the
//! profile's `ca_file`). Each finding is checked as data (`--json`) and by its exit code.

mod support;

use std::sync::Arc;

use alteryx_server::mock::Reply;
use serde_json::Value;
use support::server::{FakeServer, KEY, SECRET, sample_world};
use support::{Ayx, write_private};
use tokio_rustls::rustls::{self, pki_types::pem::PemObject};

const CA: &str = include_str!("../../runtime/tests/fixtures/tls/ca.pem");
const SERVER_CERT: &str = include_str!("../../runtime/tests/fixtures/tls/server.pem");
const SERVER_KEY: &str = include_str!("../../runtime/tests/fixtures/tls/server.key");

/// The finding of `check`.
fn finding<'a>(report: &'a Value, check: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == check)
        .unwrap_or_else(|| panic!("no finding `{check}` in {report:#}"))
}

fn status<'a>(report: &'a Value, check: &str) -> &'a str {
    finding(report, check)["status"].as_str().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_healthy_server_passes_with_every_family_reachable() {
    let mut world = sample_world();
    world.admin_v1 = true;
    let server = FakeServer::start(world).await;
    let ayx = Ayx::for_server("doctor-ok", &server.url);
    let run = ayx.run(&["doctor", "--json"]).await;
    run.expect(0);
    let report = run.json();
    assert_eq!(report["ok"], true, "{report:#}");
    for check in ["config", "dns", "tcp", "token", "clock"] {
        assert_eq!(status(&report, check), "ok", "{check}: {report:#}");
    }
    assert!(finding(&report, "config")["detail"].as_str().unwrap().contains("mode 600"), "{report:#}");
    // The mock has no Swagger page: the version is not said, and that is no failure.
    assert!(
        finding(&report, "version")["detail"].as_str().unwrap().starts_with("the server does not say"),
        "{report:#}"
    );
    // Plain HTTP is allowed for this test server, and said to be for test servers only.
    assert_eq!(status(&report, "profile"), "warning");
    assert_eq!(status(&report, "tls"), "warning");
    for family in ["api v3", "admin v1 migration", "audit log", "user v2 input files"] {
        assert_eq!(finding(&report, family)["reach"], "reachable", "{family}: {report:#}");
    }
    // The checks changed nothing: reads, and an input-file upload without a file.
    {
        let world = server.world.lock().unwrap();
        assert!(world.input_files.is_empty() && world.uploads.is_empty());
    }
    // For people: a line per check.
    let run = ayx.run(&["doctor"]).await;
    run.expect(0);
    assert!(run.stdout.lines().any(|l| l.starts_with("ok") && l.contains("api v3")), "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_key_fails_the_token_check_and_skips_the_rest() {
    let server = FakeServer::start(sample_world()).await;
    server.mock.server().tokens().refuse_with(Some(Reply::json(401, &serde_json::json!({"error": "invalid_client"}))));
    let ayx = Ayx::for_server("doctor-refused", &server.url);
    let run = ayx.run(&["doctor", "--json"]).await;
    run.expect(3);
    let report = run.json();
    assert_eq!(report["ok"], false);
    let token = finding(&report, "token");
    assert_eq!(token["status"], "failed");
    assert!(token["detail"].as_str().unwrap().contains("refused the key and secret (401"), "{token}");
    assert!(token["fix"].as_str().unwrap().contains("ayx config add"), "{token}");
    assert_eq!(status(&report, "api v3"), "skipped");
    assert!(run.stderr.contains("1 check failed"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_without_admin_v1_warns_that_migrate_will_not_work() {
    let mut world = sample_world();
    world.admin_v1 = false; // as in a server older than the admin v1 API
    let server = FakeServer::start(world).await;
    let ayx = Ayx::for_server("doctor-no-admin", &server.url);
    let run = ayx.run(&["doctor", "--json"]).await;
    // Migration can go through V3 (`--api v3`): the family is a warning, not a failure.
    run.expect(0);
    let report = run.json();
    let migration = finding(&report, "admin v1 migration");
    assert_eq!(migration["status"], "warning");
    assert_eq!(migration["reach"], "absent");
    assert!(migration["fix"].as_str().unwrap().contains("ayx migrate"), "{migration}");
    assert_eq!(finding(&report, "api v3")["reach"], "reachable");
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_without_the_setting_names_the_setting_that_allows_it() {
    let server = FakeServer::start(sample_world()).await;
    let ayx = Ayx::new("doctor-http");
    std::fs::create_dir_all(ayx.config.parent().unwrap()).unwrap();
    let text = format!("[profiles.test]\nurl = \"{}\"\nkey = \"{KEY}\"\nsecret = \"{SECRET}\"\n", server.url);
    write_private(&ayx.config, &text);
    let run = ayx.run(&["doctor", "--json"]).await;
    run.expect(6);
    let profile = finding(&run.json(), "profile").clone();
    assert_eq!(profile["status"], "failed");
    let fix = profile["fix"].as_str().unwrap();
    assert!(fix.contains("insecure_http = true") && fix.contains("AYX_INSECURE_HTTP=1"), "{fix}");
    // Every command says the same, not the library's builder method.
    let run = ayx.run(&["workflows", "list"]).await;
    run.expect(6);
    assert!(
        run.stderr.contains("AYX_INSECURE_HTTP=1") && !run.stderr.contains("allow_insecure_http"),
        "{}",
        run.stderr
    );
    assert!(server.log().is_empty(), "{:?}", server.log());
    // The variable allows it for one run.
    let run = ayx.same_config().env("AYX_INSECURE_HTTP", "1").run(&["workflows", "list", "--json"]).await;
    run.expect(0);
}

/// A TLS front on 127.0.0.1 for `backend` (host:port), with a certificate for `localhost` that
/// the test authority signed: each connection's bytes are passed through once decrypted.
async fn tls_front(backend: String) -> u16 {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let chain = rustls::pki_types::CertificateDer::pem_slice_iter(SERVER_CERT.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = rustls::pki_types::PrivateKeyDer::from_pem_slice(SERVER_KEY.as_bytes()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (acceptor, backend) = (acceptor.clone(), backend.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else { return };
                let Ok(mut plain) = tokio::net::TcpStream::connect(&backend).await else { return };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread")]
async fn an_untrusted_certificate_is_named_and_the_profiles_authority_fixes_it() {
    let server = FakeServer::start(sample_world()).await;
    let backend = server.url.trim_start_matches("http://").split('/').next().unwrap().to_string();
    let port = tls_front(backend).await;
    let url = format!("https://localhost:{port}/webapi");
    let ayx = Ayx::new("doctor-tls");
    std::fs::create_dir_all(ayx.config.parent().unwrap()).unwrap();
    let profile = format!("[profiles.test]\nurl = \"{url}\"\nkey = \"{KEY}\"\nsecret = \"{SECRET}\"\n");
    write_private(&ayx.config, &profile);
    let run = ayx.run(&["doctor", "--json"]).await;
    run.expect(1);
    let report = run.json();
    let tls = finding(&report, "tls");
    assert_eq!(tls["status"], "failed");
    assert!(tls["detail"].as_str().unwrap().contains("an authority this machine does not trust"), "{tls}");
    assert!(tls["fix"].as_str().unwrap().contains("--ca-file"), "{tls}");
    assert_eq!(status(&report, "tcp"), "ok");
    assert_eq!(status(&report, "token"), "skipped");
    assert!(server.log().is_empty(), "nothing got through: {:?}", server.log());

    // The authority, named in the profile, is trusted by the doctor and by every command.
    let ca = ayx.path("ca.pem");
    std::fs::write(&ca, CA).unwrap();
    write_private(&ayx.config, &format!("{profile}ca_file = \"{}\"\n", ca.display()));
    let run = ayx.run(&["doctor", "--json"]).await;
    run.expect(0);
    let report = run.json();
    let tls = finding(&report, "tls");
    assert_eq!(tls["status"], "ok", "{report:#}");
    assert!(tls["detail"].as_str().unwrap().contains("valid until 2126-11-05"), "{tls}");
    assert_eq!(status(&report, "profile"), "ok");
    assert_eq!(finding(&report, "api v3")["reach"], "reachable");
    ayx.run(&["workflows", "list", "--json"]).await.expect(0);
}
