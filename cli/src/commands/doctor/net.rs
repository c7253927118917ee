//! The doctor's network checks, below HTTP: the server's name (DNS), a TCP connection to it,
//! the proxy the client would go through, and the TLS certificate it presents (who it is for
//! and when it expires). Trust is not judged here: the client's own first request does that,
//! with the same roots the client uses, so the doctor cannot disagree with the commands.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use tokio_rustls::rustls;
use tokio_rustls::rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName, UnixTime};

/// Where a base URL points: `https`, host and port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `https` or `http`.
    pub scheme: String,
    /// The host name or address, without brackets.
    pub host: String,
    /// The port, the scheme's default when the URL names none.
    pub port: u16,
}

impl Target {
    /// Reads `https://host:port/path`.
    pub fn parse(url: &str) -> Result<Target, String> {
        let (scheme, rest) = url.split_once("://").ok_or_else(|| format!("`{url}` has no scheme (https://)"))?;
        let scheme = scheme.to_ascii_lowercase();
        let default = match scheme.as_str() {
            "https" => 443,
            "http" => 80,
            _ => return Err(format!("`{url}`: the scheme must be https (or http)")),
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or_else(|| format!("`{url}`: an unclosed [ in the host"))?;
            (host, after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(format!("`{url}` names no host"));
        }
        let port = match port {
            Some(p) => p.parse().map_err(|_| format!("`{url}`: `{p}` is not a port"))?,
            None => default,
        };
        Ok(Target { scheme, host: host.to_string(), port })
    }
}

/// The host's addresses, or why there are none.
pub async fn resolve(target: &Target, timeout: Duration) -> Result<Vec<SocketAddr>, String> {
    let lookup = tokio::net::lookup_host((target.host.as_str(), target.port));
    match tokio::time::timeout(timeout, lookup).await {
        Err(_) => Err(format!("no answer for {} within {}", target.host, humantime::format_duration(timeout))),
        Ok(Err(e)) => Err(format!("{} does not resolve: {e}", target.host)),
        Ok(Ok(addrs)) => {
            let addrs: Vec<SocketAddr> = addrs.collect();
            if addrs.is_empty() { Err(format!("{} has no address", target.host)) } else { Ok(addrs) }
        }
    }
}

/// The first address that takes a TCP connection, with how long it took, or every failure.
pub async fn connect(addrs: &[SocketAddr], timeout: Duration) -> Result<(SocketAddr, Duration), String> {
    let mut failures = Vec::new();
    for addr in addrs {
        let started = Instant::now();
        match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(_)) => return Ok((*addr, started.elapsed())),
            Ok(Err(e)) => failures.push(format!("{addr}: {e}")),
            Err(_) => failures.push(format!("{addr}: no answer within {}", humantime::format_duration(timeout))),
        }
    }
    Err(failures.join("; "))
}

/// The proxy the client would use for `target` (reqwest reads the same variables), if any.
pub fn proxy_for(target: &Target) -> Option<String> {
    proxy_from(target, |name| std::env::var(name).ok())
}

/// [`proxy_for`] over any environment.
fn proxy_from(target: &Target, env: impl Fn(&str) -> Option<String>) -> Option<String> {
    let var = |name: &str| env(name).or_else(|| env(&name.to_ascii_lowercase())).filter(|v| !v.is_empty());
    let proxy =
        if target.scheme == "https" { var("HTTPS_PROXY") } else { var("HTTP_PROXY") }.or_else(|| var("ALL_PROXY"))?;
    let bypassed = var("NO_PROXY").is_some_and(|list| {
        list.split(',').map(str::trim).filter(|e| !e.is_empty()).any(|entry| {
            entry == "*" || {
                let entry = entry.trim_start_matches('.');
                target.host == entry || target.host.ends_with(&format!(".{entry}"))
            }
        })
    });
    (!bypassed).then_some(proxy)
}

/// What the server's certificate says of itself.
#[derive(Debug, Clone)]
pub struct Certificate {
    /// When it stops being valid, when the certificate could be read.
    pub not_after: Option<DateTime<Utc>>,
    /// How many certificates the server sent (its own and the intermediates).
    pub chain_len: usize,
    /// The negotiated protocol (`TLSv1_3`).
    pub protocol: String,
}

/// A TLS handshake with `target` at `addr` that accepts any certificate, to read the one the
/// server presents. Nothing is sent over the connection, and nothing is trusted because of it.
pub async fn inspect_tls(target: &Target, addr: SocketAddr, timeout: Duration) -> Result<Certificate, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = Arc::new(Recorder { provider: provider.clone() });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot start TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    let name = ServerName::try_from(target.host.clone()).map_err(|e| format!("`{}`: {e}", target.host))?;
    let handshake = async {
        let tcp = tokio::net::TcpStream::connect(addr).await.map_err(|e| format!("{addr}: {e}"))?;
        tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
            .map_err(|e| format!("the TLS handshake failed: {e}"))
    };
    let stream = tokio::time::timeout(timeout, handshake)
        .await
        .map_err(|_| format!("no TLS handshake within {}", humantime::format_duration(timeout)))??;
    let (_, session) = stream.get_ref();
    let chain = session.peer_certificates().unwrap_or_default();
    Ok(Certificate {
        not_after: chain.first().and_then(|c| not_after(c.as_ref())),
        chain_len: chain.len(),
        protocol: session.protocol_version().map(|v| format!("{v:?}")).unwrap_or_default(),
    })
}

/// Accepts the server's certificate whatever it is (the handshake's signatures are still
/// checked), so that [`inspect_tls`] can read it.
#[derive(Debug)]
struct Recorder {
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// One DER element: its tag, its contents, and what follows it.
fn element(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let len = rest[..count].iter().fold(0usize, |n, b| (n << 8) | usize::from(*b));
        (len, &rest[count..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The end of an X.509 certificate's validity (RFC 5280 4.1.2.5), read from its DER:
/// `Certificate { tbsCertificate { [0] version?, serial, signature, issuer, validity { notBefore,
/// notAfter } ... } ... }`.
pub fn not_after(der: &[u8]) -> Option<DateTime<Utc>> {
    const SEQUENCE: u8 = 0x30;
    let (tag, certificate, _) = element(der)?;
    let (tbs_tag, tbs, _) = element(certificate)?;
    if tag != SEQUENCE || tbs_tag != SEQUENCE {
        return None;
    }
    let mut fields = tbs;
    let (tag, _, rest) = element(fields)?;
    if tag == 0xa0 {
        fields = rest; // the explicit version
    }
    for _ in 0..3 {
        fields = element(fields)?.2; // serial, signature algorithm, issuer
    }
    let (tag, validity, _) = element(fields)?;
    if tag != SEQUENCE {
        return None;
    }
    let (_, _, rest) = element(validity)?;
    let (tag, time, _) = element(rest)?;
    asn1_time(tag, std::str::from_utf8(time).ok()?)
}

/// A UTCTime (`YYMMDDHHMMSSZ`, tag 0x17) or GeneralizedTime (`YYYYMMDDHHMMSSZ`, tag 0x18).
fn asn1_time(tag: u8, text: &str) -> Option<DateTime<Utc>> {
    let digits = text.strip_suffix('Z')?;
    let (year, rest) = match tag {
        0x17 => {
            let yy: i32 = digits.get(..2)?.parse().ok()?;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, digits.get(2..)?)
        }
        0x18 => (digits.get(..4)?.parse().ok()?, digits.get(4..)?),
        _ => return None,
    };
    let number = |i: usize| -> Option<u32> { rest.get(i..i + 2)?.parse().ok() };
    if rest.len() != 10 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year, number(0)?, number(2)?)?;
    Some(date.and_hms_opt(number(4)?, number(6)?, number(8)?)?.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_names_its_scheme_host_and_port() {
        let t = |url: &str| Target::parse(url).map(|t| (t.scheme, t.host, t.port));
        assert_eq!(t("https://alteryx.example.com/webapi"), Ok(("https".into(), "alteryx.example.com".into(), 443)));
        assert_eq!(t("http://127.0.0.1:8080/webapi/"), Ok(("http".into(), "127.0.0.1".into(), 8080)));
        assert_eq!(t("HTTPS://[::1]:8443/webapi"), Ok(("https".into(), "::1".into(), 8443)));
        assert_eq!(t("https://[::1]/x"), Ok(("https".into(), "::1".into(), 443)));
        assert!(t("alteryx.example.com/webapi").unwrap_err().contains("no scheme"));
        assert!(t("ftp://host/").unwrap_err().contains("must be https"));
        assert!(t("https://host:port/").unwrap_err().contains("not a port"));
        assert!(t("https:///webapi").unwrap_err().contains("no host"));
    }

    #[test]
    fn the_proxy_is_the_one_reqwest_would_use() {
        let target = Target::parse("https://alteryx.corp.example/webapi").unwrap();
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        };
        assert_eq!(proxy_from(&target, env(&[])), None);
        assert_eq!(proxy_from(&target, env(&[("HTTP_PROXY", "http://p:3128")])), None);
        assert_eq!(proxy_from(&target, env(&[("https_proxy", "http://p:3128")])).as_deref(), Some("http://p:3128"));
        assert_eq!(proxy_from(&target, env(&[("ALL_PROXY", "socks5://p")])).as_deref(), Some("socks5://p"));
        let bypass = env(&[("HTTPS_PROXY", "http://p:3128"), ("NO_PROXY", "localhost, .corp.example")]);
        assert_eq!(proxy_from(&target, bypass), None);
        let other = env(&[("HTTPS_PROXY", "http://p:3128"), ("NO_PROXY", "example.org")]);
        assert_eq!(proxy_from(&target, other).as_deref(), Some("http://p:3128"));
    }

    #[test]
    fn a_certificates_end_of_validity_is_read_from_its_der() {
        let pem = include_str!("../../../../runtime/tests/fixtures/tls/server.pem");
        use rustls::pki_types::pem::PemObject;
        let der = CertificateDer::pem_slice_iter(pem.as_bytes()).next().unwrap().unwrap();
        // `openssl x509 -noout -enddate`: notAfter=Nov  5 23:51:52 2126 GMT.
        assert_eq!(not_after(der.as_ref()).unwrap().to_rfc3339(), "2126-11-05T23:51:52+00:00");
        assert_eq!(not_after(&der.as_ref()[..40]), None);
        assert_eq!(not_after(b"not a certificate"), None);
    }

    #[test]
    fn both_asn1_time_forms_are_read() {
        assert_eq!(asn1_time(0x17, "270131120000Z").unwrap().to_rfc3339(), "2027-01-31T12:00:00+00:00");
        assert_eq!(asn1_time(0x17, "991231235959Z").unwrap().to_rfc3339(), "1999-12-31T23:59:59+00:00");
        assert_eq!(asn1_time(0x18, "21261105235152Z").unwrap().to_rfc3339(), "2126-11-05T23:51:52+00:00");
        assert_eq!(asn1_time(0x17, "2701311200Z"), None);
        assert_eq!(asn1_time(0x17, "271331120000Z"), None);
        assert_eq!(asn1_time(0x02, "270131120000Z"), None);
    }
}
