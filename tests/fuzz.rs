//! Fuzzing the generator with proptest over mutated specs: load → normalize → type → lower → emit
//! → format must return a result or a located error for any input, never panic.
//!
//! Seeds are the fixture specs and the Alteryx spec. A case applies a few mutations to one seed:
//! structural ones on its JSON value (delete, replace or copy a node, point a `$ref` elsewhere,
//! turn a node into a deep chain), then optionally byte-level ones on its text (flip, insert,
//! truncate), so both the parsers and the later stages are exercised. `cargo test` runs a few
//! cases; a long run is `FUZZ_MINUTES=30 cargo test --release -p workspace-tests --test fuzz --
//! --nocapture`, which prints the executions and the panics it found (none is the goal).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use workspace_tests::{SPEC, api_from_text, root};

/// The seed specs, as text.
fn seeds() -> Vec<(String, String)> {
    let mut out = vec![(SPEC.to_string(), std::fs::read_to_string(root().join(SPEC)).unwrap())];
    let mut fixtures: Vec<_> = std::fs::read_dir(root().join("tests/fixtures"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    for p in fixtures {
        out.push((p.display().to_string(), std::fs::read_to_string(&p).unwrap()));
    }
    out
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Replace(usize, Leaf),
    Copy { from: usize, to: usize },
    RefTo { node: usize, target: usize },
    Deepen(usize, u8),
}

#[derive(Debug, Clone)]
enum Leaf {
    Null,
    Bool(bool),
    Int(i64),
    Text(String),
    EmptyObject,
    EmptyArray,
}

#[derive(Debug, Clone)]
enum Bytes {
    Flip(usize, u8),
    Insert(usize, u8),
    Truncate(usize),
}

fn leaf() -> impl Strategy<Value = Leaf> {
    prop_oneof![
        Just(Leaf::Null),
        any::<bool>().prop_map(Leaf::Bool),
        any::<i64>().prop_map(Leaf::Int),
        prop_oneof![
            Just("string".to_string()),
            Just("object".to_string()),
            Just("array".to_string()),
            Just("#/components/schemas/Missing".to_string()),
            Just("3.1.0".to_string()),
            Just("2.0".to_string()),
            Just("#/definitions/Missing".to_string()),
            Just("formData".to_string()),
            "[a-zA-Z0-9_{}/#~ .-]{0,12}",
        ]
        .prop_map(Leaf::Text),
        Just(Leaf::EmptyObject),
        Just(Leaf::EmptyArray),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let n = 0..usize::MAX;
    prop_oneof![
        3 => n.clone().prop_map(Mutation::Delete),
        4 => (n.clone(), leaf()).prop_map(|(i, l)| Mutation::Replace(i, l)),
        2 => (n.clone(), n.clone()).prop_map(|(from, to)| Mutation::Copy { from, to }),
        2 => (n.clone(), n.clone()).prop_map(|(node, target)| Mutation::RefTo { node, target }),
        1 => (n, 1..64u8).prop_map(|(i, depth)| Mutation::Deepen(i, depth)),
    ]
}

fn bytes() -> impl Strategy<Value = Bytes> {
    let n = 0..usize::MAX;
    prop_oneof![
        (n.clone(), any::<u8>()).prop_map(|(i, b)| Bytes::Flip(i, b)),
        (n.clone(), prop_oneof![Just(b':'), Just(b'-'), Just(b'['), Just(b'{'), Just(b'\n'), Just(b' '), Just(b'\'')])
            .prop_map(|(i, b)| Bytes::Insert(i, b)),
        n.prop_map(Bytes::Truncate),
    ]
}

/// Every node's JSON pointer, in document order.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let child = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(child.clone());
                pointers(v, child, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let child = format!("{at}/{i}");
                out.push(child.clone());
                pointers(v, child, out);
            }
        }
        _ => {}
    }
}

fn apply(doc: &mut Value, m: &Mutation) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    if all.is_empty() {
        return;
    }
    let pick = |i: usize| all[i % all.len()].clone();
    match m {
        Mutation::Delete(i) => {
            let p = pick(*i);
            let (parent, key) = p.rsplit_once('/').unwrap_or(("", &p));
            let key = key.replace("~1", "/").replace("~0", "~");
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.shift_remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>()
                        && i < items.len()
                    {
                        items.remove(i);
                    }
                }
                _ => {}
            }
        }
        Mutation::Replace(i, leaf) => {
            if let Some(node) = doc.pointer_mut(&pick(*i)) {
                *node = match leaf {
                    Leaf::Null => Value::Null,
                    Leaf::Bool(b) => Value::Bool(*b),
                    Leaf::Int(n) => Value::from(*n),
                    Leaf::Text(s) => Value::String(s.clone()),
                    Leaf::EmptyObject => Value::Object(Default::default()),
                    Leaf::EmptyArray => Value::Array(Vec::new()),
                };
            }
        }
        Mutation::Copy { from, to } => {
            if let Some(value) = doc.pointer(&pick(*from)).cloned()
                && let Some(node) = doc.pointer_mut(&pick(*to))
            {
                *node = value;
            }
        }
        Mutation::RefTo { node, target } => {
            let target = format!("#{}", pick(*target));
            if let Some(node) = doc.pointer_mut(&pick(*node)) {
                *node = serde_json::json!({ "$ref": target });
            }
        }
        Mutation::Deepen(i, depth) => {
            if let Some(node) = doc.pointer_mut(&pick(*i)) {
                let mut value = node.take();
                for _ in 0..*depth {
                    value = serde_json::json!({"type": "object", "properties": {"x": value}});
                }
                *node = value;
            }
        }
    }
}

fn apply_bytes(text: &mut Vec<u8>, b: &Bytes) {
    if text.is_empty() {
        return;
    }
    match b {
        Bytes::Flip(i, v) => {
            let i = i % text.len();
            text[i] = *v;
        }
        Bytes::Insert(i, v) => {
            let i = i % text.len();
            text.insert(i, *v);
        }
        Bytes::Truncate(i) => {
            let i = i % text.len();
            text.truncate(i);
        }
    }
}

static EXECUTIONS: AtomicU64 = AtomicU64::new(0);

/// The case being run, and since when: a watchdog saves a case that runs over 5 s to
/// `target/fuzz/slow-N.txt` (a hang is a finding too) and the test then fails.
static CURRENT: std::sync::Mutex<Option<(Instant, String)>> = std::sync::Mutex::new(None);
static SLOW: AtomicU64 = AtomicU64::new(0);

fn start_watchdog() {
    std::thread::spawn(|| {
        let mut saved = String::new();
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let current = CURRENT.lock().unwrap().clone();
            if let Some((since, text)) = current
                && since.elapsed() > Duration::from_secs(5)
                && text != saved
            {
                let n = SLOW.fetch_add(1, Ordering::Relaxed);
                let dir = root().join("target/fuzz");
                let _ = std::fs::create_dir_all(&dir);
                let _ = std::fs::write(dir.join(format!("slow-{n}.txt")), &text);
                eprintln!("fuzz: a case has run for over 5 s; saved as target/fuzz/slow-{n}.txt");
                saved = text;
            }
        }
    });
}

/// One case: the pipeline must not panic (errors are fine).
fn run_case(seeds: &[(String, String)], seed: usize, mutations: &[Mutation], byte_mutations: &[Bytes], as_json: bool) {
    let (name, text) = &seeds[seed % seeds.len()];
    let source = codegen::Source { path: name.into(), text: text.clone() };
    let mut input = match source.parse() {
        Ok(doc) => doc,
        Err(_) => return,
    };
    for m in mutations {
        apply(&mut input, m);
    }
    let mut bytes = if as_json { serde_json::to_vec_pretty(&input).unwrap() } else { text.clone().into_bytes() };
    for b in byte_mutations {
        apply_bytes(&mut bytes, b);
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    EXECUTIONS.fetch_add(1, Ordering::Relaxed);
    if std::env::var_os("FUZZ_DUMP").is_some() {
        let dir = root().join("target/fuzz");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join("current.txt"), &text);
    }
    *CURRENT.lock().unwrap() = Some((Instant::now(), text.clone()));
    if let Ok(api) = api_from_text(name, &text) {
        let _ = codegen::generate(&api, &codegen::Settings::new(name));
        let _ = codegen::surface::render(&api);
    }
    *CURRENT.lock().unwrap() = None;
}

fn strategy() -> impl Strategy<Value = (usize, Vec<Mutation>, Vec<Bytes>, bool)> {
    (
        0..usize::MAX,
        prop::collection::vec(mutation(), 0..6),
        prop::collection::vec(bytes(), 0..3),
        prop::bool::weighted(0.8),
    )
}

#[test]
fn mutated_specs_never_panic() {
    let seeds = seeds();
    start_watchdog();
    let minutes: f64 = std::env::var("FUZZ_MINUTES").ok().and_then(|m| m.parse().ok()).unwrap_or(0.0);
    let deadline = Instant::now() + Duration::from_secs_f64(minutes * 60.0);
    let cases = if minutes > 0.0 { 100 } else { 48 };
    let started = Instant::now();
    // Replaying: `FUZZ_FROM_ROUND=N` starts at round N (rounds are deterministic), and
    // `FUZZ_DUMP=1` writes each case to `target/fuzz/current.txt` before running it, so that a
    // case that kills the process (a stack overflow) is left on disk.
    let mut round: u32 = std::env::var("FUZZ_FROM_ROUND").ok().and_then(|r| r.parse().ok()).unwrap_or(0);
    loop {
        let config = Config { cases, failure_persistence: None, ..Config::default() };
        let mut runner = TestRunner::new_with_rng(
            config,
            proptest::test_runner::TestRng::from_seed(
                proptest::test_runner::RngAlgorithm::ChaCha,
                &[round.to_le_bytes(), [7; 4], [1; 4], [9; 4], [2; 4], [6; 4], [0; 4], [3; 4]].concat(),
            ),
        );
        let result = runner.run(&strategy(), |(seed, mutations, byte_mutations, as_json)| {
            run_case(&seeds, seed, &mutations, &byte_mutations, as_json);
            Ok(())
        });
        if let Err(e) = result {
            panic!("the generator panicked on a mutated spec (shrunk): {e}");
        }
        round += 1;
        if minutes > 0.0 && round.is_multiple_of(10) {
            eprintln!(
                "fuzz: {} executions after {:.0} s",
                EXECUTIONS.load(Ordering::Relaxed),
                started.elapsed().as_secs_f64()
            );
        }
        if Instant::now() >= deadline {
            break;
        }
    }
    let executions = EXECUTIONS.load(Ordering::Relaxed);
    eprintln!(
        "fuzz: {executions} executions in {:.1} s over {} seeds, {round} rounds, no panic",
        started.elapsed().as_secs_f64(),
        seeds.len()
    );
    assert!(executions >= u64::from(cases), "the cases ran ({executions})");
    assert_eq!(SLOW.load(Ordering::Relaxed), 0, "slow cases were saved in target/fuzz/");
}
