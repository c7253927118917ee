//! Prism (`@stoplight/prism-cli`, pinned), the independent mock server of the contract tests:
//! installed with npm into the git-ignored `.cache/prism` when missing, started on a free port of
//! 127.0.0.1 for a spec file, waited for (bounded), and always stopped: the guard kills it when
//! dropped, also when a test panics. Its log tells which requests it received and what it found
//! wrong with them. The workspace tests, `ayx`'s tests and `cargo xtask contract` share this file.

use std::io::Read;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The project's root: every crate that includes this file (the workspace tests, `ayx`'s tests,
/// `xtask`) sits one directory below it.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The Prism version the contract tests are written against.
pub const PRISM_VERSION: &str = "5.16.0";

/// The `prism` executable, installed first if it is missing or not the pinned version.
pub fn prism_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let dir = root().join(".cache/prism");
        let bin = dir.join("node_modules/.bin/prism");
        let manifest = dir.join("node_modules/@stoplight/prism-cli/package.json");
        let installed =
            std::fs::read_to_string(&manifest).is_ok_and(|m| m.contains(&format!("\"version\": \"{PRISM_VERSION}\"")));
        if !(installed && bin.exists()) {
            std::fs::create_dir_all(&dir).unwrap();
            eprintln!("installing @stoplight/prism-cli@{PRISM_VERSION} into {}", dir.display());
            let status = Command::new("npm")
                .args(["install", "--prefix"])
                .arg(&dir)
                .args(["--no-audit", "--no-fund", "--loglevel=error"])
                .arg(format!("@stoplight/prism-cli@{PRISM_VERSION}"))
                .stdin(Stdio::null())
                .status()
                .expect("npm runs (Node and npm are needed for the contract tests)");
            assert!(status.success() && bin.exists(), "npm could not install Prism {PRISM_VERSION}");
        }
        bin
    })
    .clone()
}

/// A running Prism; stopped when dropped.
pub struct Prism {
    child: Child,
    /// `http://127.0.0.1:PORT`, to which the client adds its paths (Prism serves them without
    /// the `/webapi` prefix of the spec's server).
    pub base_url: String,
    log: PathBuf,
}

impl Prism {
    /// Starts `prism mock` for `spec`; `dynamic` serves data generated from the schemas (with a
    /// fixed seed) instead of the spec's examples. Returns once Prism accepts connections.
    pub fn start(spec: &Path, dynamic: bool, name: &str) -> Prism {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = root().join(format!("target/contract/prism-{name}.log"));
        std::fs::create_dir_all(log.parent().unwrap()).unwrap();
        let out = std::fs::File::create(&log).unwrap();
        let mut command = Command::new(prism_bin());
        command.args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()]);
        if dynamic {
            command.args(["--dynamic", "--seed", "20261123"]);
        }
        let child = command
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("prism starts");
        let mut prism = Prism { child, base_url: format!("http://127.0.0.1:{port}"), log };
        let started = Instant::now();
        loop {
            prism.assert_alive();
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "Prism did not answer within 60 s:\n{}", prism.log());
            std::thread::sleep(Duration::from_millis(100));
        }
        prism
    }

    /// Prism's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops Prism now (for the tests of what a dead Prism does to a run).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Whether Prism is still running.
    pub fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Fails at once, with Prism's log, when Prism has exited.
    pub fn assert_alive(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("Prism exited ({status}):\n{}", self.log());
        }
    }

    /// Everything Prism has logged so far.
    pub fn log(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(&self.log) {
            let _ = f.read_to_string(&mut text);
        }
        text
    }

    /// The length of the log so far, for [`Prism::log_from`].
    pub fn log_len(&self) -> u64 {
        std::fs::metadata(&self.log).map(|m| m.len()).unwrap_or(0)
    }

    /// What Prism has logged since the log was `offset` bytes long.
    pub fn log_from(&self, offset: u64) -> String {
        use std::io::{Seek, SeekFrom};
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(&self.log)
            && f.seek(SeekFrom::Start(offset)).is_ok()
        {
            let mut bytes = Vec::new();
            let _ = f.read_to_end(&mut bytes);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        text
    }

    /// The requests Prism received: `(method, path)` in upper-case method, path without query.
    pub fn requests(&self) -> Vec<(String, String)> {
        requests_in(&self.log())
    }

    /// The request violations Prism found, one line each.
    pub fn violations(&self) -> Vec<String> {
        violations_in(&self.log())
    }
}

/// The requests a stretch of Prism's log shows: `(method, path)`, path without query.
pub fn requests_in(log: &str) -> Vec<(String, String)> {
    log.lines()
        .filter(|l| l.contains("[HTTP SERVER]") && l.contains("Request received"))
        .filter_map(|l| {
            let rest = l.split("[HTTP SERVER] ").nth(1)?;
            let mut words = rest.split_whitespace();
            let method = words.next()?.to_ascii_uppercase();
            let path = words.next()?.split('?').next()?.to_string();
            Some((method, path))
        })
        .collect()
}

/// The request violations a stretch of Prism's log shows, one line each.
pub fn violations_in(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.contains("Violation: request"))
        .map(|l| l.split("Violation: ").nth(1).unwrap_or(l).trim().to_string())
        .collect()
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `path` (`/v3/jobs/abc`) fits `template` (`/v3/jobs/{jobId}`).
pub fn fits(template: &str, path: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    a.len() == b.len() && a.iter().zip(&b).all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
}
