//! `cargo xtask bench`: the project's performance figures, measured side by side on this machine,
//! printed as a table and written as JSON to `target/bench/bench.json`.
//!
//! - Generation, per stage in-process (load, lower, emit, format, write; min and median over
//!   repeated runs, one thread) and as a whole process timed from outside (`xtask generate`, min
//!   and median, with its peak RSS), for the Alteryx spec and for GitHub's REST spec (fetched
//!   with `npm pack` into the git-ignored `.cache/corpus`).
//! - The generated crate's own rebuild with its dependencies built (`touch`, non-incremental),
//!   debug and release, and its generated lines of code; the same beside progenitor 0.15.1's
//!   crate for the operations both generate (the ratio printed), and `cargo check` of GitHub's
//!   generated crate (see `rebuild.rs`).
//! - The backup figures of `cargo bench -p ayx --bench backup`: 200 packages of 5 MiB, wall
//!   time, peak RSS of `ayx`, and the rerun (no package fetched).
//! - The client figures of `cargo bench -p workspace-tests --bench client`: time per request
//!   next to raw reqwest, and peak RSS of 1 GiB transfers.
//!
//! The in-process micro-benchmarks also exist as divan benches (`cargo bench -p codegen`).

use std::path::{Path, PathBuf};

use crate::corpus::run_in as run;
use crate::figures::{Row, min_median, row};
use std::process::Command;
use std::time::{Duration, Instant};

/// The sections of the bench, in the order they run; `--only` picks one.
pub const SECTIONS: [&str; 5] = ["generation", "rebuild", "ayx-build", "client", "backup"];

pub fn bench(root: &Path, only: Option<&str>) -> Result<(), String> {
    if let Some(section) = only.filter(|s| !SECTIONS.contains(s)) {
        return Err(format!("no bench section `{section}` (sections: {})", SECTIONS.join(", ")));
    }
    let runs = |section: &str| only.is_none_or(|o| o == section);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut rows = Vec::new();
    let github = crate::corpus::github_spec(root)?;
    if runs("generation") {
        let alteryx = root.join(crate::DEFAULT_SPEC);
        let overlays =
            codegen::overlay::overlay_files(&root.join(crate::DEFAULT_OVERLAYS)).map_err(|e| e.to_string())?;
        eprintln!("==> generation stages, in process");
        rows.extend(stages("alteryx", &alteryx, &overlays, 20)?);
        rows.extend(stages("github", &github, &[], 3)?);
        eprintln!("==> divan micro-benchmarks (cargo bench -p codegen --bench stages)");
        rows.extend(divan_figures(root, &cargo)?);
        eprintln!("==> generation, whole process");
        // This very binary, wherever CARGO_TARGET_DIR put it.
        let xtask = std::env::current_exe().map_err(|e| format!("cannot find the xtask binary: {e}"))?;
        let out = root.join("target/bench/out");
        rows.extend(whole_process("alteryx", root, &xtask, &[], &out, 10)?);
        let github_arg = github.to_string_lossy().into_owned();
        rows.extend(whole_process("github", root, &xtask, &["--spec", &github_arg], &out, 3)?);
    }
    if runs("rebuild") {
        eprintln!("==> the generated crate's rebuild");
        rows.extend(crate::rebuild::rebuild(root, &cargo)?);
        eprintln!("==> rebuild beside progenitor 0.15.1's crate for the same operations");
        rows.extend(crate::rebuild::versus_progenitor(root, &cargo)?);
        eprintln!("==> cargo check of GitHub's generated crate");
        rows.extend(crate::rebuild::github_check(root, &cargo, &github)?);
    }
    if runs("ayx-build") {
        eprintln!("==> ayx's rebuild, with and without its command line of every operation");
        rows.extend(crate::rebuild::ayx_rebuild(root, &cargo)?);
    }
    if runs("client") {
        eprintln!("==> client figures (cargo bench -p workspace-tests --bench client)");
        run(root, &cargo, &["bench", "--quiet", "-p", "workspace-tests", "--bench", "client"])?;
        rows.extend(figures_of(root, "client.json", "client")?);
    }
    if runs("backup") {
        eprintln!("==> backup figures (cargo bench -p ayx --bench backup)");
        run(root, &cargo, &["bench", "--quiet", "-p", "ayx", "--bench", "backup"])?;
        rows.extend(figures_of(root, "backup.json", "ayx")?);
    }
    report(root, &rows)
}

/// Each stage of generation, `runs` times, in this process and on one thread.
fn stages(name: &str, spec: &Path, overlays: &[PathBuf], runs: usize) -> Result<Vec<Row>, String> {
    let mut times: [Vec<Duration>; 6] = Default::default();
    let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
    for _ in 0..runs {
        let all = Instant::now();
        let started = Instant::now();
        let source = codegen::Source::read(spec).map_err(|e| e.to_string())?;
        let overlay_sources = overlays
            .iter()
            .map(|p| codegen::Source::read(p))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        // Load = read + parse; lower = overlays, normalize, typing, lowering (it parses again,
        // so the parse is taken off).
        let parse = Instant::now();
        source.parse().map_err(|e| e.to_string())?;
        let parsed = parse.elapsed();
        times[0].push(started.elapsed());
        let started = Instant::now();
        let api = codegen::api_from_sources(&source, &overlay_sources).map_err(|e| e.to_string())?;
        times[1].push(started.elapsed().saturating_sub(parsed));
        let (files, staged) =
            codegen::generate_staged(&api, &codegen::Settings::new("bench")).map_err(|e| e.to_string())?;
        times[2].push(staged.emit);
        times[3].push(staged.format);
        let started = Instant::now();
        for f in &files {
            let path = dir.join(&f.path);
            std::fs::create_dir_all(path.parent().unwrap_or(&dir)).map_err(|e| e.to_string())?;
            std::fs::write(&path, &f.contents).map_err(|e| e.to_string())?;
        }
        times[4].push(started.elapsed());
        times[5].push(all.elapsed().saturating_sub(parsed));
    }
    let _ = std::fs::remove_dir_all(&dir);
    let mut rows = Vec::new();
    for (stage, t) in ["load", "lower", "emit", "format", "write", "all stages, one thread"].iter().zip(times) {
        let (min, median) = min_median(t);
        rows.push(row(format!("{name} generation: {stage} (min)"), min, "ms"));
        rows.push(row(format!("{name} generation: {stage} (median)"), median, "ms"));
    }
    Ok(rows)
}

/// The divan benches of the stages (Alteryx spec): fastest and median of each.
fn divan_figures(root: &Path, cargo: &str) -> Result<Vec<Row>, String> {
    let output = Command::new(cargo)
        .args(["bench", "--quiet", "-p", "codegen", "--bench", "stages"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!("the divan benches failed:\n{text}{}", String::from_utf8_lossy(&output.stderr)));
    }
    let rows = parse_divan(&text);
    if rows.is_empty() {
        return Err(format!("no figures in the divan output:\n{text}"));
    }
    Ok(rows)
}

/// Rows of divan's table: `├─ load   2.558 ms │ 3.094 ms │ 2.731 ms │ 2.74 ms │ 100 │ 100`.
fn parse_divan(text: &str) -> Vec<Row> {
    let to_ms = |cell: &str| -> Option<f64> {
        let mut words = cell.split_whitespace();
        let value: f64 = words.next()?.parse().ok()?;
        let scale = match words.next()? {
            "ns" => 1e-6,
            "µs" | "us" => 1e-3,
            "ms" => 1.0,
            "s" => 1e3,
            _ => return None,
        };
        Some(value * scale)
    };
    let mut rows = Vec::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('│').collect();
        let Some(first) = cells.first().and_then(|c| c.split("─ ").nth(1)) else { continue };
        let mut words = first.split_whitespace();
        let Some(name) = words.next() else { continue };
        let fastest = to_ms(&words.collect::<Vec<_>>().join(" "));
        let median = cells.get(2).and_then(|c| to_ms(c));
        if let (Some(fastest), Some(median)) = (fastest, median) {
            rows.push(row(format!("divan, alteryx: {name} (fastest)"), fastest, "ms"));
            rows.push(row(format!("divan, alteryx: {name} (median)"), median, "ms"));
        }
    }
    rows
}

/// `xtask generate` as a process, `runs` times: wall time and its own peak RSS.
fn whole_process(
    name: &str,
    root: &Path,
    xtask: &Path,
    args: &[&str],
    out: &Path,
    runs: usize,
) -> Result<Vec<Row>, String> {
    let out_dir = out.join(name);
    let out_arg = out_dir.to_string_lossy().into_owned();
    let mut times = Vec::new();
    let mut peak_kib = 0u64;
    for _ in 0..runs {
        let started = Instant::now();
        let output = Command::new(xtask)
            .arg("generate")
            .args(args)
            .args(["--out", &out_arg])
            .env("XTASK_PEAK_RSS", "1")
            .current_dir(root)
            .output()
            .map_err(|e| format!("cannot run xtask: {e}"))?;
        times.push(started.elapsed());
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            return Err(format!("xtask generate failed for {name}:\n{stderr}"));
        }
        let kib = stderr.lines().find_map(|l| l.strip_prefix("peak RSS: ")?.strip_suffix(" KiB")?.parse().ok());
        peak_kib = peak_kib.max(kib.unwrap_or(0));
    }
    let (min, median) = min_median(times);
    Ok(vec![
        row(format!("{name} generation: whole process (min)"), min, "ms"),
        row(format!("{name} generation: whole process (median)"), median, "ms"),
        row(format!("{name} generation: peak RSS"), peak_kib as f64 / 1024.0, "MB"),
    ])
}

/// The figures a bench wrote to `target/bench/<file>` (`{"name": "12.3 unit"}`), each named
/// `<prefix>: <name>`: the client bench (`cargo bench -p workspace-tests --bench client`) and the
/// backup bench (`cargo bench -p ayx --bench backup`).
fn figures_of(root: &Path, file: &str, prefix: &str) -> Result<Vec<Row>, String> {
    let path = root.join("target/bench").join(file);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let figures: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut rows = Vec::new();
    for (name, value) in figures {
        let text = value.as_str().unwrap_or_default();
        let (number, unit) = text.split_once(' ').unwrap_or((text.trim_end_matches('x'), "x"));
        let unit: &'static str = match unit {
            "µs" => "µs",
            "MB" => "MB",
            "MB/s" => "MB/s",
            "s" => "s",
            "bytes" => "bytes",
            "requests" => "requests",
            _ => "x",
        };
        if let Ok(v) = number.trim_end_matches('x').parse::<f64>() {
            rows.push(row(format!("{prefix}: {name}"), v, unit));
        }
    }
    Ok(rows)
}

fn report(root: &Path, rows: &[Row]) -> Result<(), String> {
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
    println!("{:<width$}  {:>12}  unit", "figure", "value");
    for r in rows {
        println!("{:<width$}  {:>12.3}  {}", r.name, r.value, r.unit);
    }
    let machine = format!(
        "{} cores, {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|c| c.lines().find_map(|l| l
                .strip_prefix("model name")?
                .split(':')
                .nth(1)
                .map(|s| s.trim().to_string())))
            .unwrap_or_else(|| "unknown CPU".into())
    );
    let json = serde_json::json!({
        "machine": machine,
        "figures": rows.iter().map(|r| serde_json::json!({"name": r.name, "value": r.value, "unit": r.unit})).collect::<Vec<_>>(),
    });
    let path = root.join("target/bench/bench.json");
    std::fs::create_dir_all(path.parent().unwrap_or(root)).map_err(|e| e.to_string())?;
    std::fs::write(&path, serde_json::to_string_pretty(&json).map_err(|e| e.to_string())? + "\n")
        .map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("machine: {machine}\nwritten to {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divan_tables_are_read() {
        let text = "stages                         fastest       │ slowest       │ median        │ mean          │ samples │ iters\n├─ emit_and_format_all_cores   14.52 ms      │ 28.19 ms      │ 15.28 ms      │ 15.45 ms      │ 100     │ 100\n╰─ load                        812.5 µs      │ 3.094 ms      │ 2.731 ms      │ 2.74 ms       │ 100     │ 100\n";
        let rows = parse_divan(text);
        let figures: Vec<(String, f64)> = rows.iter().map(|r| (r.name.clone(), r.value)).collect();
        assert_eq!(figures.len(), 4);
        assert_eq!(figures[0], ("divan, alteryx: emit_and_format_all_cores (fastest)".to_string(), 14.52));
        assert_eq!(figures[1].1, 15.28);
        assert!((figures[2].1 - 0.8125).abs() < 1e-9);
        assert_eq!(figures[3].0, "divan, alteryx: load (median)");
    }
}
