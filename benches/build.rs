//! How long `contextpack build` takes on the sample casebook (the repository
//! root): `cargo bench --bench build`. The issue asks for well under a
//! second in release mode: the figure for that is the fresh process's.

use contextpack::build::{Gate, Target, build};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

// As in the binary (src/main.rs), so the figures are the binary's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn sample_build(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let place = tempfile::tempdir().expect("temporary folder");
    let out = place.path().join("output");

    let mut group = c.benchmark_group("sample casebook");
    // A build takes tenths of a second or more: a few samples tell enough.
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("check", |b| {
        b.iter(|| contextpack::check_casebook(black_box(root), None).expect("loads"));
    });
    group.bench_function("check and build", |b| {
        b.iter(|| {
            let checked = contextpack::check_casebook(black_box(root), None).expect("loads");
            let target = Target::resolve(root, Some(&out)).expect("output folder");
            let gate = Gate::of(&checked);
            build(&checked, &target, &gate, None).expect("builds")
        });
    });
    // In one process typst's caches stay warm from one iteration to the
    // next, so the figure above is a rebuild's; a run of the command starts
    // cold, as a practitioner's does.
    let binary = env!("CARGO_BIN_EXE_contextpack");
    group.bench_function("contextpack build (a fresh process)", |b| {
        b.iter(|| {
            let status = std::process::Command::new(binary)
                .args(["build", "--casebook"])
                .arg(root)
                .arg("--out")
                .arg(&out)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .expect("run contextpack");
            assert!(status.success(), "contextpack build failed");
        });
    });
    group.finish();
}

criterion_group!(benches, sample_build);
criterion_main!(benches);
