//! `cargo xtask contract`: any spec's generated crate held to Prism. The spec is generated as a
//! standalone crate with its command line (`target/contract/crates/<name>`), the program is
//! built, and every operation is called through it, once against Prism serving the spec's
//! examples and once against data Prism generates from the schemas. The arguments come from the
//! spec (`codegen::contract`: examples first, then values its schemas allow; when the command
//! line refuses an example that does not fit its own schema, or Prism finds a request built
//! from the examples breaks the spec, the call is made again with the schemas' values), with
//! made-up credentials for each operation's security. Each call is judged by Prism's log for
//! it (the stretch the call added) and by the program's exit: a request violation (with Prism's
//! message), an answer that does not decode into its type (with the JSON path), a call Prism
//! could not serve (with Prism's reason), or another failure.
//!
//! Where Prism serves a spec otherwise than the spec means, the run meets it halfway: paths
//! that differ only in a fragment are served by a Prism each (`sittings`), a paged list whose
//! example `Link` points at the real API is judged on its first page, and an operation that
//! documents only errors passes when the client returns the documented one. A call whose answer
//! breaks its own schema (a wrong example, a reference Prism's generator cuts short) says nothing
//! about the client: it is judged again on an answer Prism generates from a copy of the spec
//! whose responses are written out in full (`mend`), and the report counts it.
//!
//! What is called is the generated command layer, which builds its requests with the same
//! runtime and decodes answers into the same types as the typed methods; the typed methods
//! themselves are held to Prism by the workspace's contract tests.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use codegen::contract::{Samples, credentials, invocation};
use codegen::ir::Api;
use serde_json::{Value, json};

#[allow(dead_code)]
#[path = "../../../tests/support/prism.rs"]
mod prism;

use crate::flags::Flags;
use crate::generate::Input;

mod mend;
mod sittings;

/// The longest one call may take (a paged list included) before it is stopped.
const CALL_LIMIT: Duration = Duration::from_secs(30);

/// How one call went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    Passed,
    /// Prism found the request does not fit the spec.
    Violation(String),
    /// The answer did not decode into its type: the JSON path and the message; `spec` when
    /// Prism itself found that its answer breaks the spec's schema (the spec's example in the
    /// static round, data Prism generated in the dynamic one, say cut short in a cycle).
    Decode {
        path: String,
        message: String,
        spec: bool,
    },
    /// Prism could not serve the operation, and why.
    Unserved(String),
    /// Anything else: the exit code and what the program said.
    Failed(String),
}

/// One operation's two calls.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub id: String,
    pub rounds: [Verdict; 2],
    /// A round's first verdict, when Prism's first answer broke the schema and the round was
    /// judged again on an answer Prism generated within it (`mend`).
    pub first: [Option<Verdict>; 2],
}

/// The contract run of one spec.
#[derive(Debug, Clone, Default)]
pub(crate) struct Report {
    pub calls: Vec<Call>,
}

impl Report {
    pub fn operations(&self) -> usize {
        self.calls.len()
    }

    pub fn passed(&self) -> usize {
        self.calls.iter().filter(|c| c.rounds.iter().all(|v| *v == Verdict::Passed)).count()
    }

    fn count(&self, f: impl Fn(&Verdict) -> bool) -> usize {
        self.calls.iter().filter(|c| c.rounds.iter().any(&f)).count()
    }

    pub fn violations(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Violation(_)))
    }

    pub fn decode_failures(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Decode { spec: false, .. }))
    }

    pub fn broken_answers(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Decode { spec: true, .. }))
    }

    /// Operations Prism serves by the spec in both rounds: none it cannot serve, none it answers
    /// with data its own validator finds break the schema (a wrong example, a cycle cut short).
    pub fn served(&self) -> usize {
        let prisms = |v: &Verdict| matches!(v, Verdict::Unserved(_) | Verdict::Decode { spec: true, .. });
        self.operations() - self.count(prisms)
    }

    pub fn unserved(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Unserved(_)))
    }

    pub fn failed(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Failed(_)))
    }

    /// The figures as JSON, for the corpus's baseline.
    pub fn figures(&self) -> Value {
        json!({
            "operations": self.operations(),
            "passed": self.passed(),
            "violations": self.violations(),
            "decode_failures": self.decode_failures(),
            "broken_answers": self.broken_answers(),
            "unserved": self.unserved(),
            "failed": self.failed(),
            "judged_again": self.judged_again(),
        })
    }

    /// One line of figures.
    pub fn summary(&self) -> String {
        format!(
            "{} operations: {} passed both rounds ({} judged again on answers Prism generated within the schema); {} request violations, {} decode failures, {} answers Prism finds break the schema, {} Prism cannot serve, {} other failures",
            self.operations(),
            self.passed(),
            self.judged_again(),
            self.violations(),
            self.decode_failures(),
            self.broken_answers(),
            self.unserved(),
            self.failed()
        )
    }

    /// Operations with a round judged again on an answer Prism generated within the schema,
    /// after its first answer broke it.
    pub fn judged_again(&self) -> usize {
        self.calls.iter().filter(|c| c.first.iter().any(Option::is_some)).count()
    }

    /// Every call that did not pass, and every round judged again, a line each.
    pub fn details(&self) -> String {
        let mut out = String::new();
        for call in &self.calls {
            for ((round, verdict), first) in ["static", "dynamic"].iter().zip(&call.rounds).zip(&call.first) {
                let what = match (first, verdict) {
                    (None, Verdict::Passed) => continue,
                    (None, verdict) => describe(verdict),
                    (Some(first), verdict) => format!(
                        "{} on an answer Prism generated within the schema; its first answer: {}",
                        describe(verdict),
                        describe(first)
                    ),
                };
                let _ = writeln!(out, "  {} ({round}): {what}", call.id);
            }
        }
        out
    }
}

/// A verdict in words.
fn describe(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Passed => "passed".into(),
        Verdict::Violation(m) => format!("request violation: {m}"),
        Verdict::Decode { path, message, spec } => {
            let whose = if *spec { " (Prism finds its answer breaks the schema)" } else { "" };
            format!("decode failure at `{path}`: {message}{whose}")
        }
        Verdict::Unserved(why) => format!("Prism cannot serve it: {why}"),
        Verdict::Failed(m) => format!("failed: {m}"),
    }
}

/// `cargo xtask contract`: the default spec (with its overlays) or `--spec`.
pub(crate) fn contract(root: &Path, flags: &Flags) -> Result<(), String> {
    let input = Input::from_flags(flags);
    let spec = root.join(&input.spec);
    let overlays = input.overlay_files(root)?;
    let name = crate_name(&input.spec);
    let started = Instant::now();
    let report = run(root, &spec, &overlays, &name)?;
    eprint!("{}", report.details());
    println!("{}: {} ({:.0} s)", input.label(), report.summary(), started.elapsed().as_secs_f64());
    let bad = report.violations() + report.decode_failures() + report.failed();
    if bad > 0 {
        return Err(format!("{bad} operations break the contract (listed above)"));
    }
    Ok(())
}

/// A crate name for a spec file: `contract-` and its stem.
pub(crate) fn crate_name(spec: &str) -> String {
    let stem = Path::new(spec).file_stem().unwrap_or_default().to_string_lossy();
    let clean: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    format!("contract-{}", clean.trim_matches('-'))
}

/// Generates, builds and calls every operation of `spec` (with `overlays`) as the crate `name`.
pub(crate) fn run(root: &Path, spec: &Path, overlays: &[PathBuf], name: &str) -> Result<Report, String> {
    let read = |p: &Path| codegen::Source::read(p).map_err(|e| e.to_string());
    let source = read(spec)?;
    let overlays = overlays.iter().map(|p| read(p)).collect::<Result<Vec<_>, _>>()?;
    let doc = codegen::overlaid_document(&source, &overlays).map_err(|e| e.to_string())?;
    let api = codegen::api_from_sources(&source, &overlays).map_err(|e| e.to_string())?;
    if api.operations().next().is_none() {
        // Nothing to call (a spec of webhooks only): Prism, which refuses such a spec, is not asked.
        return Ok(Report::default());
    }
    let label = spec.strip_prefix(root).unwrap_or(spec).display().to_string();
    let files = codegen::generate(&api, &codegen::Settings::new(label)).map_err(|e| e.to_string())?;
    let work = root.join("target/contract").join(name);
    let krate = work.join("crate");
    crate::write_standalone(root, &api, files, name, &krate, true)?;
    let program = build(root, &krate, name)?;
    let routes: Vec<(&str, &str)> = api.operations().map(|op| (op.path.text.as_str(), op.method.key())).collect();
    let mut served = Vec::new();
    for (k, sitting) in sittings::sittings(&doc, &routes).into_iter().enumerate() {
        let file = work.join(if k == 0 { "spec.json".to_string() } else { format!("spec-{k}.json") });
        write_json(&file, &sitting.doc)?;
        served.push((file, sitting.ops, sitting.doc));
    }
    let file = work.join("upload.bin");
    std::fs::write(&file, b"PK\x03\x04 contract upload").map_err(|e| e.to_string())?;
    let operations =
        api.groups.iter().flat_map(|g| g.operations.iter().map(move |op| (g.cli_name.as_str(), op))).collect();
    let prefix = name.replace('-', "_").to_uppercase();
    let caller = Caller { api: &api, operations, doc: &doc, program: &program, prefix, work };
    let count = api.operations().count();
    let mut rounds = [false, true].map(|dynamic| {
        let mode = if dynamic { "dynamic" } else { "static" };
        let mut verdicts = vec![Verdict::Passed; count];
        for (k, (spec, ops, _)) in served.iter().enumerate() {
            let label = if k == 0 { format!("{name}-{mode}") } else { format!("{name}-{mode}-{k}") };
            let started = std::panic::catch_unwind(|| prism::Prism::start(spec, dynamic, &label));
            let judged = match started {
                Ok(mut prism) => caller.every_operation(&mut prism, &file, spec, &label, dynamic, ops),
                Err(panic) => {
                    let why = panic.downcast_ref::<String>().cloned().unwrap_or_else(|| "Prism did not start".into());
                    let first =
                        why.lines().find(|l| l.contains("rror")).unwrap_or(why.lines().next().unwrap_or("")).trim();
                    vec![Verdict::Unserved(format!("Prism does not start for this spec: {first}")); ops.len()]
                }
            };
            for (&i, verdict) in ops.iter().zip(judged) {
                verdicts[i] = verdict;
            }
        }
        verdicts
    });
    let mut first = vec![[None, None]; count];
    for (k, (_, ops, doc)) in served.iter().enumerate() {
        let label = format!("{name}-mended-{k}");
        caller.judge_again(doc, ops, &label, &file, &mut rounds, &mut first)?;
    }
    let mut report = Report::default();
    let [a, b] = rounds;
    for (((op, a), b), first) in api.operations().zip(a).zip(b).zip(first) {
        report.calls.push(Call { id: op.id.clone(), rounds: [a, b], first });
    }
    Ok(report)
}

/// Whether Prism's answer tells nothing about the client: Prism found it breaks the schema, its
/// data generator gave up on a recursion (the stack, or the memory, ran out), or it has no
/// schema to generate from (a media type without one allows any content).
fn is_broken(verdict: &Verdict) -> bool {
    match verdict {
        Verdict::Decode { spec, .. } => *spec,
        Verdict::Unserved(why) => {
            let gave_up = ["Maximum call stack size exceeded", "Stack overflow", "OOMErrorHandler"];
            gave_up.iter().any(|m| why.contains(m)) || why.contains("but schema is not defined")
        }
        _ => false,
    }
}

fn write_json(file: &Path, value: &Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    std::fs::write(file, text).map_err(|e| format!("{}: {e}", file.display()))
}

/// Builds the crate's command line; returns the program.
fn build(root: &Path, krate: &Path, name: &str) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = root.join("target/corpus-target");
    let output = Command::new(cargo)
        .args(["build", "--offline", "--quiet", "--message-format", "short", "-p", &format!("{name}-cli")])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(krate)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().find(|l| l.contains("error")).unwrap_or("cargo build failed");
        return Err(format!("the command line of {name} does not build: {first}"));
    }
    Ok(target.join("debug").join(name))
}

/// What calls the operations.
struct Caller<'a> {
    api: &'a Api,
    /// Each operation with its group's command, in the API's order.
    operations: Vec<(&'a str, &'a codegen::ir::Operation)>,
    doc: &'a Value,
    program: &'a Path,
    /// The program's environment variables start with it (`CONTRACT_PETSTORE`).
    prefix: String,
    work: PathBuf,
}

impl Caller<'_> {
    /// Calls the operations `ops` (their places in the API's order); a Prism that stops on one
    /// (its mock generator fails on some schemas) is started again for the next.
    fn every_operation(
        &self,
        prism: &mut prism::Prism,
        file: &Path,
        spec: &Path,
        name: &str,
        dynamic: bool,
        ops: &[usize],
    ) -> Vec<Verdict> {
        let mut out = Vec::new();
        for &i in ops {
            let (group, op) = self.operations[i];
            let mut verdict = self.call(prism, group, op, file);
            if !prism.is_alive() {
                let log = prism.log();
                let last = log.lines().rev().find(|l| l.contains("rror")).unwrap_or("no message").trim();
                verdict =
                    Verdict::Unserved(format!("Prism stopped on it: {}", last.chars().take(200).collect::<String>()));
                match std::panic::catch_unwind(|| prism::Prism::start(spec, dynamic, name)) {
                    Ok(again) => *prism = again,
                    Err(_) => {
                        out.push(verdict.clone());
                        let left = ops.len() - out.len();
                        out.extend(std::iter::repeat_n(Verdict::Unserved("Prism does not start again".into()), left));
                        return out;
                    }
                }
            }
            out.push(verdict);
        }
        out
    }

    /// Calls the operations `ops` (served from `doc`) whose answer in a round told nothing about
    /// the client (`is_broken`) again, on answers Prism generates from a copy of the spec that
    /// keeps them to the schema (`mend`); a verdict that says something about the client takes
    /// the round's place, which keeps its first verdict in `first`.
    fn judge_again(
        &self,
        doc: &Value,
        ops: &[usize],
        label: &str,
        file: &Path,
        rounds: &mut [Vec<Verdict>; 2],
        first: &mut [[Option<Verdict>; 2]],
    ) -> Result<(), String> {
        let broken: Vec<usize> = ops.iter().copied().filter(|&i| rounds.iter().any(|r| is_broken(&r[i]))).collect();
        if broken.is_empty() {
            return Ok(());
        }
        let routes: Vec<(&str, &str)> = (broken.iter().map(|&i| self.operations[i].1))
            .map(|op| (sittings::served_path(&op.path.text), op.method.key()))
            .collect();
        let spec = self.work.join(format!("{label}.json"));
        write_json(&spec, &mend::mended(doc, &routes))?;
        let Ok(mut prism) = std::panic::catch_unwind(|| prism::Prism::start(&spec, true, label)) else { return Ok(()) };
        let judged = self.every_operation(&mut prism, file, &spec, label, true, &broken);
        for (&i, verdict) in broken.iter().zip(judged) {
            if matches!(verdict, Verdict::Unserved(_)) || is_broken(&verdict) {
                continue;
            }
            for (round, first) in rounds.iter_mut().zip(&mut first[i]) {
                if is_broken(&round[i]) {
                    *first = Some(std::mem::replace(&mut round[i], verdict.clone()));
                }
            }
        }
        Ok(())
    }

    fn call(&self, prism: &mut prism::Prism, group: &str, op: &codegen::ir::Operation, file: &Path) -> Verdict {
        let answer = self.work.join("answer.out");
        let examples = Samples::new(self.doc);
        let args = invocation(self.api, &examples, group, op, file, &answer);
        let credentials = credentials(&examples, op);
        let paged = op.pagination.is_some();
        let schemas = || invocation(self.api, &Samples::schemas_only(self.doc), group, op, file, &answer);
        let before = prism.log_len();
        let mut sent = args.clone();
        let mut ran = self.run(&sent, &prism.base_url, &credentials);
        if ran.code == Some(2) {
            // An example the command line refuses (it does not fit its own schema): the
            // schema's value instead.
            let again = schemas();
            if again != args {
                sent = again;
                ran = self.run(&sent, &prism.base_url, &credentials);
            }
        }
        let log = settled_log(prism, before, ran.code != Some(2));
        let mut verdict = judge(&ran, &log, paged);
        if matches!(verdict, Verdict::Violation(_)) {
            // An example Prism finds breaks the spec (a key that misses its own pattern): the
            // call again with the schema's values, which decide.
            let again = schemas();
            if again != sent {
                sent = again;
                let before = prism.log_len();
                ran = self.run(&sent, &prism.base_url, &credentials);
                verdict = judge(&ran, &settled_log(prism, before, ran.code != Some(2)), paged);
            }
        }
        if matches!(&verdict, Verdict::Failed(said) if said.contains("leaves the API's origin")) {
            // Prism serves the spec's example `Link`, which points at the real API, and the
            // client does not follow a link to another origin: the call is judged on its first
            // page, asked for again without `--all`.
            sent.retain(|a| a != "--all");
            let before = prism.log_len();
            ran = self.run(&sent, &prism.base_url, &credentials);
            verdict = judge(&ran, &settled_log(prism, before, ran.code != Some(2)), false);
        }
        match verdict {
            // OpenAPI defines no way to write an object inside a list in the query, and Prism
            // reads none (the client sends each as JSON).
            Verdict::Violation(said) if object_in_query_list(&said) => {
                Verdict::Unserved(format!("Prism reads no object inside a list in the query ({said})"))
            }
            // Prism answers the spec's example redirect, whose `Location` is the real API's
            // download host: the client follows it out of reach.
            Verdict::Failed(said) if said.contains("cannot resolve the server's host name") => {
                Verdict::Unserved(format!("Prism's answer leads to a host outside the test ({said})"))
            }
            // The spec documents no success, only errors: Prism answers one of them, which the
            // client returns as the API's error with its status and body, as the spec says. Any
            // other end (an informational status Prism sends as the answer) is Prism's.
            Verdict::Failed(said) if !op.responses.iter().any(|r| r.status.is_success()) => match answered(&said) {
                Some(code) if op.responses.iter().any(|r| r.status.covers(code)) => Verdict::Passed,
                _ => Verdict::Unserved(format!("the spec documents no success response ({said})")),
            },
            verdict => verdict,
        }
    }

    fn run(&self, args: &[String], base_url: &str, credentials: &codegen::contract::Credentials) -> Ran {
        let var = |name: &str| format!("{}_{name}", self.prefix);
        let (out, err) = (self.work.join("stdout.txt"), self.work.join("stderr.txt"));
        let files = (std::fs::File::create(&out), std::fs::File::create(&err));
        let (Ok(stdout), Ok(stderr)) = files else {
            return Ran { code: None, stderr: "cannot create the output files".into(), timed_out: false };
        };
        let mut command = Command::new(self.program);
        command
            .args(args)
            .env(var("BASE_URL"), base_url)
            .env(var("INSECURE_HTTP"), "1")
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr);
        if let Some(token) = &credentials.bearer {
            command.env(var("TOKEN"), token);
        }
        let headers: Vec<String> = credentials.headers.iter().map(|(n, v)| format!("{n}: {v}")).collect();
        let query: Vec<String> = credentials.query.iter().map(|(n, v)| format!("{n}={v}")).collect();
        command.env(var("HEADERS"), headers.join("\n")).env(var("QUERY"), query.join("&"));
        let Ok(mut child) = command.spawn() else {
            return Ran { code: None, stderr: format!("cannot run {}", self.program.display()), timed_out: false };
        };
        let started = Instant::now();
        let (code, timed_out) = loop {
            match child.try_wait() {
                Ok(Some(status)) => break (status.code(), false),
                Ok(None) if started.elapsed() > CALL_LIMIT => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break (None, true);
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                Err(_) => break (None, false),
            }
        };
        Ran { code, stderr: std::fs::read_to_string(&err).unwrap_or_default(), timed_out }
    }
}

/// What Prism logged since `before`, once it has logged the end of every request it received
/// (it writes its log a moment after it answers); `sent`: the program may have sent something.
fn settled_log(prism: &prism::Prism, before: u64, sent: bool) -> String {
    let started = Instant::now();
    loop {
        let log = prism.log_from(before);
        let received = log.matches("Request received").count();
        let ended = log.matches("> Responding with").count() + log.matches("Request terminated with error").count();
        let waited = started.elapsed();
        if (received > 0 && ended >= received)
            || (!sent && waited > Duration::from_millis(50))
            || waited > Duration::from_secs(2)
        {
            return log;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The status of an API error the program reported (`...: the server answered 405: ...`).
fn answered(said: &str) -> Option<u16> {
    let (_, rest) = said.split_once("the server answered ")?;
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// Whether Prism's message is its refusal of an object as a list item in the query
/// (`Request query parameter entries.0 must be object`).
fn object_in_query_list(said: &str) -> bool {
    said.split("query parameter ").skip(1).any(|rest| {
        let (name, tail) = rest.split_once(' ').unwrap_or((rest, ""));
        let item = name.rsplit_once('.').is_some_and(|(_, i)| !i.is_empty() && i.bytes().all(|b| b.is_ascii_digit()));
        item && tail.starts_with("must be object")
    })
}

/// How the program ended.
struct Ran {
    code: Option<i32>,
    stderr: String,
    timed_out: bool,
}

/// The verdict on one call from the program's exit and Prism's log of it (`paged`: the call
/// follows pages).
fn judge(ran: &Ran, log: &str, paged: bool) -> Verdict {
    let violations = prism::violations_in(log);
    if let Some(first) = violations.first() {
        return Verdict::Violation(first.clone());
    }
    let said = ran.stderr.lines().rfind(|l| l.starts_with("error")).unwrap_or(ran.stderr.trim()).to_string();
    if let Some(why) = unserved(log, paged) {
        return match why {
            Unserved::Request(m) => Verdict::Violation(m),
            Unserved::Prism(m) => Verdict::Unserved(m),
        };
    }
    if ran.timed_out {
        return Verdict::Failed(format!("no end within {} s", CALL_LIMIT.as_secs()));
    }
    match ran.code {
        Some(0) => Verdict::Passed,
        _ if said.contains("cannot decode the") => {
            let path = said.split('`').nth(1).unwrap_or("").to_string();
            let message = said.rsplit("`: ").next().unwrap_or(&said).to_string();
            Verdict::Decode { path, message, spec: log.contains("Violation: response") }
        }
        _ if said.contains(", not JSON") => {
            Verdict::Decode { path: String::new(), message: said, spec: log.contains("Violation: response") }
        }
        Some(code) => match prism_error(&said) {
            // Prism's own error document, when its log of the call came too late to be read.
            Some((prism, title)) => {
                let refused = ["UNPROCESSABLE_ENTITY", "UNAUTHORIZED", "NO_PATH_MATCHED", "NO_METHOD_MATCHED"];
                if refused.iter().any(|r| prism.starts_with(r)) {
                    Verdict::Violation(format!("{prism}: {title}"))
                } else {
                    Verdict::Unserved(format!("{prism}: {title}"))
                }
            }
            None => Verdict::Failed(format!("exit {code}: {said}")),
        },
        None => Verdict::Failed(format!("killed: {said}")),
    }
}

/// The code and title of Prism's error document in an API error the program reported
/// (`... answered 500: {"type":"https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT","title":"..."`).
fn prism_error(said: &str) -> Option<(String, String)> {
    let (_, rest) = said.split_once("stoplight.io/prism/errors#")?;
    let code: String = rest.chars().take_while(|c| c.is_ascii_uppercase() || *c == '_').collect();
    let title = rest.split_once("\"title\":\"").map(|(_, t)| t.split('"').next().unwrap_or("")).unwrap_or("");
    (!code.is_empty()).then(|| (code, title.to_string()))
}

enum Unserved {
    /// Prism's refusal says the request is not one the spec describes.
    Request(String),
    /// Prism cannot answer a request the spec describes.
    Prism(String),
}

/// Prism's own error for a request, from its log (`Request terminated with error: ...#CODE: ...`).
fn unserved(log: &str, paged: bool) -> Option<Unserved> {
    let (at, line) = log.lines().enumerate().find(|(_, l)| l.contains("Request terminated with error"))?;
    // Prism's error code and message, or (an error of its mock generator, with no code) what
    // follows "Request terminated with error:".
    let what = (line.split("errors#").nth(1))
        .or_else(|| line.split("Request terminated with error:").nth(1))
        .unwrap_or(line)
        .trim()
        .to_string();
    // Prism's own 422 and 401: its validator says why, on the lines before.
    if what.starts_with("UNPROCESSABLE_ENTITY") || what.starts_with("UNAUTHORIZED") {
        let why: Vec<&str> = log
            .lines()
            .take(at)
            .filter(|l| l.contains("[VALIDATOR]") && l.contains("error"))
            .map(|l| l.split("error").nth(1).unwrap_or(l).trim())
            .collect();
        return Some(Unserved::Request(if why.is_empty() { what } else { why.join("; ") }));
    }
    if what.starts_with("NO_PATH_MATCHED") || what.starts_with("NO_METHOD_MATCHED") {
        // A later page of a paged call: the link or cursor came from Prism's made-up answer.
        let earlier = log.lines().take(at).filter(|l| l.contains("Request received")).count();
        if paged && earlier > 1 {
            let path = line.split("[HTTP SERVER] ").nth(1).and_then(|r| r.split_whitespace().nth(1)).unwrap_or("?");
            return Some(Unserved::Prism(format!(
                "the next-page link in Prism's made-up answer leads nowhere ({path})"
            )));
        }
        // The first request: the spec has no operation for what the client sent.
        return Some(Unserved::Request(what));
    }
    Some(Unserved::Prism(what))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ran(code: i32, stderr: &str) -> Ran {
        Ran { code: Some(code), stderr: stderr.into(), timed_out: false }
    }

    #[test]
    fn a_call_is_judged_by_prisms_log_then_by_the_exit() {
        let clean = "[HTTP SERVER] get /pets ℹ  info      Request received\n";
        assert_eq!(judge(&ran(0, ""), clean, false), Verdict::Passed);
        let violated =
            "[VALIDATOR] ✖  error     Violation: request.query.limit Request query parameter limit must be <= 10\n";
        assert_eq!(
            judge(&ran(3, "error: listPets: 422"), violated, false),
            Verdict::Violation("request.query.limit Request query parameter limit must be <= 10".into())
        );
        let decode = "error: getPet: cannot decode the 200 response at `owner.id`: invalid type: string, expected i64";
        assert_eq!(
            judge(&ran(1, decode), clean, false),
            Verdict::Decode {
                path: "owner.id".into(),
                message: "invalid type: string, expected i64".into(),
                spec: false
            }
        );
        let unserved = "Request terminated with error: https://stoplight.io/prism/errors#NO_RESPONSE_DEFINED: No response defined\n";
        assert!(
            matches!(judge(&ran(3, ""), unserved, false), Verdict::Unserved(m) if m.starts_with("NO_RESPONSE_DEFINED"))
        );
        let crashed = "[HTTP SERVER] get /pins.list ✖  error     Request terminated with error: Error: TypeError: Cannot read properties of undefined (reading 'items')\n";
        assert_eq!(
            judge(&ran(3, ""), crashed, false),
            Verdict::Unserved("Error: TypeError: Cannot read properties of undefined (reading 'items')".into())
        );
        let wrong_path = "Request terminated with error: https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR: Route not resolved\n";
        assert!(
            matches!(judge(&ran(3, ""), wrong_path, false), Verdict::Violation(m) if m.starts_with("NO_PATH_MATCHED"))
        );
        let followed = format!(
            "[HTTP SERVER] get /vaults ℹ  info      Request received\n[HTTP SERVER] get /string ℹ  info      Request received\n[HTTP SERVER] get /string ✖  error     {}",
            wrong_path
        );
        assert!(
            matches!(judge(&ran(3, ""), &followed, true), Verdict::Unserved(m) if m.contains("(/string)")),
            "{followed}"
        );
        let refused = "[VALIDATOR] ✖  error     Request query parameter limit must be >= 10\n[HTTP SERVER] get /orders/X ✖  error     Request terminated with error: https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY: Invalid request\n";
        assert_eq!(
            judge(&ran(3, ""), refused, false),
            Verdict::Violation("Request query parameter limit must be >= 10".into())
        );
        assert_eq!(judge(&ran(2, "error: bad flag"), "", false), Verdict::Failed("exit 2: error: bad flag".into()));
        // Prism's error document when its log of the call is not there yet.
        let late = r#"error: GET_SendMessage: the server answered 500: {"type":"https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT","title":"Cannot serialise complex objects as text","status":500}"#;
        assert_eq!(
            judge(&ran(3, late), "", false),
            Verdict::Unserved("NO_COMPLEX_OBJECT_TEXT: Cannot serialise complex objects as text".into())
        );
        let refused = r#"error: getPet: the server answered 422: {"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request","status":422}"#;
        assert_eq!(
            judge(&ran(3, refused), "", false),
            Verdict::Violation("UNPROCESSABLE_ENTITY: Invalid request".into())
        );
    }

    #[test]
    fn answers_that_tell_nothing_about_the_client_are_made_again() {
        let decode = |spec| Verdict::Decode { path: "a".into(), message: "missing field `b`".into(), spec };
        assert!(is_broken(&decode(true)) && !is_broken(&decode(false)));
        assert!(is_broken(&Verdict::Unserved("Error: RangeError: Maximum call stack size exceeded".into())));
        assert!(!is_broken(&Verdict::Unserved("NO_COMPLEX_OBJECT_TEXT: Cannot serialise".into())));
        let no_schema = "Error: Tried to force a dynamic response for: application/json but schema is not defined.";
        assert!(is_broken(&Verdict::Unserved(no_schema.into())));
        assert!(!is_broken(&Verdict::Passed) && !is_broken(&Verdict::Violation("x".into())));
    }

    #[test]
    fn an_api_error_gives_its_status() {
        assert_eq!(answered("exit 3: error: deletePet: the server answered 400"), Some(400));
        assert_eq!(answered("exit 3: error: get: the server answered 521: {\"code\": 1}"), Some(521));
        assert_eq!(answered("exit 1: error: get: cannot decode the 200 response"), None);
    }

    #[test]
    fn prism_reads_no_object_in_a_query_list() {
        assert!(object_in_query_list("Request query parameter entries.0 must be object"));
        assert!(!object_in_query_list("Request query parameter entries must be object"));
        assert!(!object_in_query_list("Request query parameter entries.0 must be string"));
        assert!(!object_in_query_list("Request body property entries.0 must be object"));
    }

    #[test]
    fn crate_names_come_from_the_file_stem() {
        assert_eq!(crate_name("tests/fixtures/paging.yaml"), "contract-paging");
        assert_eq!(crate_name(".cache/x/api.github.com.json"), "contract-api-github-com");
    }
}
