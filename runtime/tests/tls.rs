//! TLS options of the runtime against a real TLS server on 127.0.0.1 that asks for a client
//! certificate (mutual TLS): `root_certificates` to trust an in-house authority, and
//! `client_certificate` for servers behind a `mutualTLS` security scheme. The certificates in
//! `fixtures/tls/` are test-only (a throwaway authority, valid for a century). The mock server
//! speaks plain HTTP, so this server is TLS of its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

mod support;

use client_runtime::{Client, Error, TransportKind};
use tokio::io::AsyncWriteExt;
use tokio_rustls::rustls::{self, pki_types::pem::PemObject};

const CA: &str = include_str!("fixtures/tls/ca.pem");
const SERVER_CERT: &str = include_str!("fixtures/tls/server.pem");
const SERVER_KEY: &str = include_str!("fixtures/tls/server.key");
const CLIENT_CERT: &str = include_str!("fixtures/tls/client.pem");
const CLIENT_KEY: &str = include_str!("fixtures/tls/client.key");

/// Serves HTTPS that requires a client certificate signed by the test authority; every request
/// gets a 404 with a JSON body. Returns the base URL and the count of requests answered.
async fn serve_mutual_tls() -> (String, Arc<AtomicUsize>) {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls::pki_types::CertificateDer::pem_slice_iter(CA.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let verifier =
        rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone()).build().unwrap();
    let chain = rustls::pki_types::CertificateDer::pem_slice_iter(SERVER_CERT.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = rustls::pki_types::PrivateKeyDer::from_pem_slice(SERVER_KEY.as_bytes()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let answered = Arc::new(AtomicUsize::new(0));
    let count = answered.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (acceptor, count) = (acceptor.clone(), count.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else { return };
                if support::read_request_head(&mut tls).await.is_none() {
                    return;
                }
                count.fetch_add(1, Ordering::SeqCst);
                let body = r#"{"message":"no such workflow"}"#;
                let raw = format!(
                    "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(raw.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://127.0.0.1:{}/api", addr.port()), answered)
}

fn fast_retry() -> client_runtime::RetryPolicy {
    support::quick_retries()
}

async fn get(client: &Client) -> Result<serde_json::Value, Error> {
    client.request(&support::GET, &[&"w1"]).send_json().await
}

#[tokio::test]
async fn a_client_certificate_gets_through_mutual_tls() {
    let (url, answered) = serve_mutual_tls().await;
    let client = Client::builder(&url)
        .root_certificates(CA)
        .client_certificate(format!("{CLIENT_CERT}{CLIENT_KEY}"))
        .retry(fast_retry())
        .build()
        .unwrap();
    let err = get(&client).await.unwrap_err();
    // The server's own answer: the handshake and the request went through.
    assert!(matches!(&err, Error::Api(_)), "{err:?}");
    assert_eq!(err.status(), Some(404));
    assert_eq!(answered.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn without_a_client_certificate_the_server_answers_nothing() {
    let (url, answered) = serve_mutual_tls().await;
    let client = Client::builder(&url).root_certificates(CA).retry(fast_retry()).build().unwrap();
    let err = get(&client).await.unwrap_err();
    assert!(err.transport_kind().is_some(), "{err:?}");
    assert_eq!(answered.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn an_authority_the_client_does_not_trust_fails_the_handshake() {
    let (url, answered) = serve_mutual_tls().await;
    let client = Client::builder(&url)
        .client_certificate(format!("{CLIENT_CERT}{CLIENT_KEY}"))
        .retry(fast_retry())
        .build()
        .unwrap();
    let err = get(&client).await.unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportKind::Tls), "{err:?}");
    assert!(err.to_string().contains("TLS"), "{err}");
    assert_eq!(answered.load(Ordering::SeqCst), 0);
}

#[test]
fn unreadable_certificates_are_configuration_errors() {
    let err = Client::builder("https://example.com").client_certificate("not a certificate").build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("client certificate")), "{err:?}");
    // A certificate without its key is not an identity either.
    let err = Client::builder("https://example.com").client_certificate(CLIENT_CERT).build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("client certificate")), "{err:?}");
    let err = Client::builder("https://example.com").root_certificates("no pem here").build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("root certificates")), "{err:?}");
    // The secret key never shows in the builder's debug output.
    let builder = Client::builder("https://example.com").client_certificate(format!("{CLIENT_CERT}{CLIENT_KEY}"));
    assert!(!format!("{builder:?}").contains("PRIVATE KEY"));
}
