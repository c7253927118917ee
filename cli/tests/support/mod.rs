//! Running the built `ayx` binary in the tests: each test gets its own scratch directory and
//! config file, and an environment without the caller's `AYX_*` variables.

#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde_json::Value;
use tokio::io::AsyncWriteExt;

/// What a run of `ayx` did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Standard output as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }

    /// Asserts the exit code, showing the output when it differs.
    pub fn expect(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit code\nstdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }
}

/// An `ayx` with its own config file and scratch directory.
pub struct Ayx {
    pub dir: PathBuf,
    pub config: PathBuf,
    env: Vec<(String, String)>,
}

impl Ayx {
    /// A fresh scratch directory (removed first) and an empty config.
    pub fn new(name: &str) -> Ayx {
        let dir = workspace_tests::root().join("target/cli-tests").join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config/ayx.toml");
        Ayx { dir, config, env: Vec::new() }
    }

    /// An `ayx` whose default profile `test` points at `url` with the fake server's credentials
    /// (the secret kept inline, the file private).
    pub fn for_server(name: &str, url: &str) -> Ayx {
        let ayx = Ayx::new(name);
        std::fs::create_dir_all(ayx.config.parent().unwrap()).unwrap();
        let text = format!(
            "default = \"test\"\n\n[profiles.test]\nurl = \"{url}\"\nkey = \"{}\"\nsecret = \"{}\"\ninsecure_http = true\n",
            server::KEY,
            server::SECRET
        );
        write_private(&ayx.config, &text);
        ayx
    }

    /// An `ayx` with one profile per `(name, url)`, the first the default.
    pub fn for_servers(name: &str, servers: &[(&str, &str)]) -> Ayx {
        let ayx = Ayx::new(name);
        std::fs::create_dir_all(ayx.config.parent().unwrap()).unwrap();
        let mut text = format!("default = \"{}\"\n", servers[0].0);
        for (profile, url) in servers {
            text.push_str(&format!(
                "\n[profiles.{profile}]\nurl = \"{url}\"\nkey = \"{}\"\nsecret = \"{}\"\ninsecure_http = true\n",
                server::KEY,
                server::SECRET
            ));
        }
        write_private(&ayx.config, &text);
        ayx
    }

    /// Starts `ayx args...` without waiting for it (standard streams discarded).
    pub fn spawn(&self, args: &[&str]) -> tokio::process::Child {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_ayx"));
        command.args(args).current_dir(&self.dir).env("AYX_CONFIG", &self.config);
        command.env("AYX_STATE_DIR", self.dir.join("state"));
        command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        command.kill_on_drop(true).spawn().expect("ayx runs")
    }

    /// Another `ayx` on the same config and directory, without this one's environment.
    pub fn same_config(&self) -> Ayx {
        Ayx { dir: self.dir.clone(), config: self.config.clone(), env: Vec::new() }
    }

    /// Sets an environment variable for the runs.
    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    /// A path in the scratch directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Runs `ayx args...` with nothing on standard input.
    pub async fn run(&self, args: &[&str]) -> Run {
        self.run_with_input(args, None).await
    }

    /// Runs `ayx args...` with `input` on standard input.
    pub async fn run_with_input(&self, args: &[&str], input: Option<&str>) -> Run {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_ayx"));
        command.args(args).current_dir(&self.dir).env("AYX_CONFIG", &self.config);
        command.env("AYX_STATE_DIR", self.dir.join("state"));
        for name in ["AYX_URL", "AYX_KEY", "AYX_SECRET", "AYX_SECRET_FILE", "AYX_PROFILE", "AYX_INSECURE_HTTP"] {
            command.env_remove(name);
        }
        for (name, value) in &self.env {
            command.env(name, value);
        }
        command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command.spawn().expect("ayx runs");
        let mut stdin = child.stdin.take().unwrap();
        if let Some(input) = input {
            stdin.write_all(input.as_bytes()).await.unwrap();
        }
        drop(stdin);
        let output = tokio::time::timeout(std::time::Duration::from_secs(60), child.wait_with_output())
            .await
            .expect("ayx finishes within a minute")
            .unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// Writes a file readable by its owner only.
pub fn write_private(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}
