//! `cargo bench -p ayx --bench backup`: `ayx backup --concurrency 4` of 200 workflows whose
//! packages are 5 MiB each, against the fake server of the CLI tests on 127.0.0.1 (in this
//! process, generating each package on the fly). Measures the wall time and the `ayx` process's
//! peak RSS (its own, from `wait4`), then a rerun, which must fetch no package. Prints the figures
//! and writes them to `target/bench/backup.json` for `cargo xtask bench`. Nothing is asserted
//! but the rerun's package count, which is a correctness fact rather than a timing.

#[path = "../tests/support/server.rs"]
mod server;

use std::time::Instant;

const WORKFLOWS: usize = 200;
const PACKAGE: usize = 5 * 1024 * 1024;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let mut world = server::World::default();
    for i in 0..WORKFLOWS {
        let id = format!("wf-{i:03}");
        world.workflows.insert(id.clone(), server::workflow(&id, &format!("Workflow {i}")));
    }
    world.generated_package_size = Some(PACKAGE);
    let fake = runtime.block_on(server::FakeServer::start(world));
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    let dir = root.join("target/bench/backup");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("ayx.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.bench]\nurl = \"{}\"\nkey = \"{}\"\nsecret = \"{}\"\ninsecure_http = true\n",
            fake.url,
            server::KEY,
            server::SECRET
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = dir.join("out");

    let (first_s, first_rss) = backup(&config, &out);
    let packages = |log: &[String]| log.iter().filter(|l| l.ends_with("/package")).count();
    let fetched = packages(&fake.log());
    let (rerun_s, rerun_rss) = backup(&config, &out);
    let refetched = packages(&fake.log()) - fetched;
    assert_eq!(fetched, WORKFLOWS, "the first run fetches every package once");
    assert_eq!(refetched, 0, "a rerun fetches no package");
    let gib = (WORKFLOWS * PACKAGE) as f64 / (1 << 30) as f64;
    let figures = serde_json::json!({
        "backup 200 x 5 MiB, concurrency 4: wall time": format!("{first_s:.2} s"),
        "backup 200 x 5 MiB, concurrency 4: throughput": format!("{:.1} MB/s", (WORKFLOWS * PACKAGE) as f64 / 1e6 / first_s),
        "backup 200 x 5 MiB, concurrency 4: peak RSS": format!("{:.1} MB", first_rss as f64 / 1024.0),
        "backup rerun (all complete, sha256 checked): wall time": format!("{rerun_s:.2} s"),
        "backup rerun: peak RSS": format!("{:.1} MB", rerun_rss as f64 / 1024.0),
        "backup rerun: package requests": format!("{refetched} requests"),
    });
    println!("backup of {WORKFLOWS} packages ({gib:.2} GiB) through 127.0.0.1:");
    for (name, value) in figures.as_object().unwrap() {
        println!("  {name}: {}", value.as_str().unwrap());
    }
    std::fs::write(root.join("target/bench/backup.json"), serde_json::to_string_pretty(&figures).unwrap()).unwrap();
    let _ = std::fs::remove_dir_all(&out);
}

/// Runs `ayx backup` and returns its wall time and its own peak RSS in KiB.
fn backup(config: &std::path::Path, out: &std::path::Path) -> (f64, i64) {
    let started = Instant::now();
    // Reaped by `wait4` below, which also gives the child's own peak RSS.
    #[allow(clippy::zombie_processes)]
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_ayx"))
        .args(["backup", "--out", out.to_str().unwrap(), "--concurrency", "4", "--no-progress"])
        .env("AYX_CONFIG", config)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: `rusage` is plain data filled in by the kernel; `wait4` reaps this child only.
    let rss = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        let pid = libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage);
        assert_eq!(pid, child.id() as libc::pid_t);
        usage.ru_maxrss
    };
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "ayx backup failed ({status})");
    (started.elapsed().as_secs_f64(), rss)
}
