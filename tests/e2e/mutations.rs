//! Mutation testing: the clean fixture, damaged the ways an editor, a bad
//! merge or an attacker damages records, through `check` and `build`.
//!
//! Every run must end (no hang), exit 0, 1 or 2 (never a panic or a crash
//! signal), and when `check` passes `build` must succeed. The run here is
//! bounded for `cargo test`; a longer one, documented in README.md:
//!
//! ```text
//! CONTEXTPACK_MUTATIONS=5000 cargo test --release --test e2e mutations
//! ```

use crate::common::{Rng, TODAY, TestCasebook};
use std::path::PathBuf;
use std::time::Duration;

/// Text a hostile author would try, inserted at random places.
const HOSTILE: &[&str] = &[
    "\u{0}",
    "\u{c}",
    "\u{1b}]0;title\u{7}",
    "\u{9b}31m",
    "\n::error file=README.md::INJECTED\n",
    "{{ 7 * 7 }}",
    "{% include \"/etc/passwd\" %}",
    "#import \"/etc/passwd\"",
    "#read(\"/etc/passwd\")",
    "<script>alert(1)</script>",
    "</style><style>*{display:none}",
    "\"; color: red; x: \"",
    "&anchor [*anchor, *anchor]",
    "!!binary AAAA",
    "!!python/object:os.system [\"id\"]",
    ": : :",
    "- - - -",
    "\t",
    "\u{feff}",
    "\u{202e}",
    "9999-99-99",
    "2026-02-30",
    "25:61",
    "-1",
    "99999999999999999999999999",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{",
    "---\n",
    "```\n",
    "> > > > > > > > > > > > > > > >",
    "![x](/etc/passwd)",
    "[x](javascript:alert(1))",
    "Page",
];

/// The records of the fixture, relative paths.
fn records(cb: &TestCasebook) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = crate::common::tree(cb.path())
        .keys()
        .map(PathBuf::from)
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "md"))
        .collect();
    out.sort();
    out
}

/// Damages `bytes` one way, chosen by `rng`.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) -> String {
    let len = bytes.len().max(1);
    let at = rng.below(len).min(bytes.len());
    match rng.below(6) {
        0 => {
            let s = HOSTILE[rng.below(HOSTILE.len())];
            bytes.splice(at..at, s.bytes());
            format!("insert {s:?} at {at}")
        }
        1 => {
            let end = (at + 1 + rng.below(40)).min(bytes.len());
            bytes.drain(at..end);
            format!("delete {at}..{end}")
        }
        2 => {
            let end = (at + 1 + rng.below(200)).min(bytes.len());
            let copy: Vec<u8> = bytes[at..end].to_vec();
            bytes.splice(at..at, copy);
            format!("duplicate {at}..{end}")
        }
        3 => {
            if let Some(b) = bytes.get_mut(at) {
                *b ^= 1 << rng.below(8);
            }
            format!("flip a bit at {at}")
        }
        4 => {
            bytes.truncate(at);
            format!("truncate at {at}")
        }
        _ => {
            let n = 1 + rng.below(5000);
            let ch = [b'.', b'a', b' ', b'\n', b'-'][rng.below(5)];
            bytes.splice(at..at, std::iter::repeat_n(ch, n));
            format!("insert {n} x {:?} at {at}", ch as char)
        }
    }
}

fn runs() -> usize {
    std::env::var("CONTEXTPACK_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300)
}

#[test]
fn damaged_records_never_crash_hang_or_break_the_promise_of_check() {
    let seed = std::env::var("CONTEXTPACK_MUTATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_c0de_u64);
    let mut rng = Rng::new(seed);
    let pristine = TestCasebook::clean();
    let files = records(&pristine);
    let n = runs();
    // Builds are slower: every sixth mutation is also built.
    for i in 0..n {
        let cb = TestCasebook::clean();
        let mut done = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let file = &files[rng.below(files.len())];
            let path = cb.path().join(file);
            let mut bytes = std::fs::read(&path).expect("read");
            let what = mutate(&mut rng, &mut bytes);
            std::fs::write(&path, bytes).expect("write");
            done.push(format!("{}: {what}", file.display()));
        }
        let replay = format!("mutation {i} (seed {seed}): {done:?}");
        let check = cb
            .cmd(&["check", "--today", TODAY, "--format", "json"])
            .timeout(Duration::from_secs(60))
            .output()
            .expect("run check");
        let code = check.status.code();
        let stderr = String::from_utf8_lossy(&check.stderr);
        assert!(
            matches!(code, Some(0..=2)) && !stderr.contains("panicked"),
            "check ended with {:?}: {stderr}\n{replay}",
            check.status
        );
        if i % 6 == 0 {
            let build = cb
                .cmd(&["build", "--today", TODAY, "--keep-going"])
                .timeout(Duration::from_secs(300))
                .output()
                .expect("run build");
            let stderr = String::from_utf8_lossy(&build.stderr);
            assert!(
                matches!(build.status.code(), Some(0..=2)) && !stderr.contains("panicked"),
                "build ended with {:?}: {stderr}\n{replay}",
                build.status
            );
            if code == Some(0) {
                assert_eq!(
                    build.status.code(),
                    Some(0),
                    "check passed but build failed: {stderr}\n{replay}"
                );
            }
        }
    }
}
