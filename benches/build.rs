//! How long `check` and `build` take on casebooks of a partnership's size:
//! `cargo bench --bench build`.
//!
//! Casebooks of 10, 100 and 1,000 contexts are generated from the sample
//! (`contextpack::generate`, the same as `cargo run --release --example
//! casebook -- N DIR`). For each size: `check` in the process; then, each
//! as a fresh `contextpack build` process as a practitioner runs it, a cold
//! build (no previous output), a build with nothing changed, and a build
//! after one context's `plan.yaml` was edited. Peak memory of each build is
//! printed after the timings (the child's maximum resident set).
//!
//! `CONTEXTPACK_BENCH_SIZES=10,100` picks the sizes; a cold build of 1,000
//! contexts takes about a minute, so it is sampled fewer times.

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

// As in the binary (src/main.rs), so the figures are the binary's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn sizes() -> Vec<usize> {
    std::env::var("CONTEXTPACK_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10, 100, 1000])
}

fn casebook(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = contextpack::generate::Options {
        contexts: n,
        extra_people: 0,
    };
    contextpack::generate::casebook(sample, dir.path(), &options).expect("generate");
    dir
}

/// Runs `contextpack build` on `root`: the peak resident memory in KiB,
/// from `wait4`'s rusage, when the platform tells it.
fn build(root: &Path, out: &Path) -> Option<u64> {
    let binary = env!("CARGO_BIN_EXE_contextpack");
    let time = Path::new("/usr/bin/time");
    let report = tempfile::NamedTempFile::new().ok()?;
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M", "-o"]).arg(report.path()).arg(binary);
        c
    } else {
        Command::new(binary)
    };
    let status = cmd
        .args(["build", "--quiet", "--casebook"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run contextpack");
    assert!(status.success(), "contextpack build failed");
    std::fs::read_to_string(report.path())
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn edit_one_plan(root: &Path, round: usize) {
    let plan = root.join("cases/north-prospect-group-0/plan.yaml");
    let text = std::fs::read_to_string(&plan).expect("plan");
    let edited = match text.find("# benchmark edit") {
        Some(at) => format!("{}# benchmark edit {round}\n", &text[..at]),
        None => format!("{text}# benchmark edit {round}\n"),
    };
    // A comment changes the file, not the documents: edit an action too.
    let edited = if round.is_multiple_of(2) {
        edited.replacen("Two extra evening", "Three extra evening", 1)
    } else {
        edited.replacen("Three extra evening", "Two extra evening", 1)
    };
    std::fs::write(&plan, edited).expect("edit");
}

fn at_scale(c: &mut Criterion) {
    let mut peaks = Vec::new();
    for n in sizes() {
        let cb = casebook(n);
        let root = cb.path();
        let out = root.join("output");
        let mut group = c.benchmark_group(format!("{n} contexts"));
        group.sample_size(10);
        // One build per sample: a build takes seconds, criterion's default
        // (1 + 2 + ... + 10 runs) would take an hour at 1,000 contexts.
        group.sampling_mode(SamplingMode::Flat);
        group.bench_function(BenchmarkId::from_parameter("check"), |b| {
            b.iter(|| contextpack::check_casebook(black_box(root), None).expect("loads"));
        });
        // Long enough for ten cold builds of this size, so criterion does
        // not warn (about 1.2 s for 10 contexts, 8 s for 100, 80 s for 1,000).
        group.measurement_time(Duration::from_secs((n as u64 / 10).max(2) * 10));
        let mut peak_cold = None;
        group.bench_function(BenchmarkId::from_parameter("cold build"), |b| {
            b.iter(|| {
                let _ = std::fs::remove_dir_all(&out);
                peak_cold = build(root, &out);
            });
        });
        group.measurement_time(Duration::from_secs(((n as u64 / 100).max(1)) * 20));
        let mut peak_same = None;
        build(root, &out);
        group.bench_function(BenchmarkId::from_parameter("nothing changed"), |b| {
            b.iter(|| peak_same = build(root, &out));
        });
        let mut peak_edit = None;
        let mut round = 0;
        group.bench_function(BenchmarkId::from_parameter("one plan.yaml edited"), |b| {
            b.iter(|| {
                round += 1;
                edit_one_plan(root, round);
                peak_edit = build(root, &out);
            });
        });
        group.finish();
        peaks.push((n, peak_cold, peak_same, peak_edit));
    }
    for (n, cold, same, edit) in peaks {
        let mib = |k: Option<u64>| k.map_or("?".to_string(), |k| format!("{} MiB", k / 1024));
        println!(
            "peak memory, {n} contexts: cold build {}, nothing changed {}, one plan edited {}",
            mib(cold),
            mib(same),
            mib(edit)
        );
    }
}

criterion_group!(benches, at_scale);
criterion_main!(benches);
