//! Test casebooks: a fixture copied to a temporary folder, changed one thing
//! at a time, and checked through the real binary.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The date every fixture is checked against unless a test says otherwise.
pub const TODAY: &str = "2026-11-01";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A casebook in a temporary folder.
pub struct TestCasebook {
    dir: TempDir,
}

impl TestCasebook {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("contextpack-test-")
            .tempdir()
            .expect("temp dir");
        copy_dir(&fixtures().join(name), dir.path());
        TestCasebook { dir }
    }

    /// A copy of the clean fixture: passes every rule on [`TODAY`].
    pub fn clean() -> Self {
        Self::fixture("clean")
    }

    /// The sample casebook at the repository root (`contextpack.yaml` and
    /// `cases/`), copied.
    pub fn sample() -> Self {
        let cb = Self::empty();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(
            root.join("contextpack.yaml"),
            cb.path().join("contextpack.yaml"),
        )
        .expect("copy settings");
        copy_dir(&root.join("cases"), &cb.path().join("cases"));
        cb
    }

    /// An empty folder.
    pub fn empty() -> Self {
        TestCasebook {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.path().join(file)).expect("read fixture file")
    }

    /// Replaces the only occurrence of `from` in `file` with `to`; fails the
    /// test when `from` is not there exactly once, so edits cannot silently
    /// stop applying when a fixture changes.
    pub fn edit(&self, file: &str, from: &str, to: &str) -> &Self {
        let text = self.read(file);
        let n = text.matches(from).count();
        assert_eq!(n, 1, "`{from}` occurs {n} times in {file}, expected once");
        self.write(file, text.replacen(from, to, 1))
    }

    pub fn write(&self, file: &str, content: impl AsRef<[u8]>) -> &Self {
        let p = self.path().join(file);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, content).expect("write fixture file");
        self
    }

    pub fn remove(&self, file: &str) -> &Self {
        let p = self.path().join(file);
        if p.is_dir() {
            std::fs::remove_dir_all(p).expect("remove dir");
        } else {
            std::fs::remove_file(p).expect("remove file");
        }
        self
    }

    /// `contextpack <args> --casebook <dir>`, run from the casebook folder.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("contextpack").expect("binary");
        cmd.current_dir(self.path())
            .env("NO_COLOR", "1")
            .args(args)
            .arg("--casebook")
            .arg(self.path());
        cmd
    }

    /// `build --today TODAY`, which must succeed.
    pub fn build_ok(&self) -> std::process::Output {
        self.build_ok_at(TODAY)
    }

    /// `build --today today`, which must succeed.
    pub fn build_ok_at(&self, today: &str) -> std::process::Output {
        let out = self
            .cmd(&["build", "--today", today])
            .output()
            .expect("run build");
        assert!(
            out.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// `check --format json --today TODAY`: the exit code and the parsed report.
    pub fn check_json(&self) -> (i32, Report) {
        self.check_json_on(TODAY)
    }

    pub fn check_json_on(&self, today: &str) -> (i32, Report) {
        let out = self
            .cmd(&["check", "--format", "json", "--today", today])
            .output()
            .expect("run contextpack");
        let code = out.status.code().expect("exit code");
        let stdout = String::from_utf8(out.stdout).expect("utf-8 output");
        let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "check --format json did not print JSON ({e}):\n{stdout}\nstderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (code, Report(json))
    }

    /// Human output of `check --today TODAY`, with the temp path replaced.
    pub fn check_human(&self, extra: &[&str]) -> (i32, String) {
        let mut args = vec!["check", "--today", TODAY];
        args.extend_from_slice(extra);
        let out = self.cmd(&args).output().expect("run contextpack");
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        let text = text.replace(&self.path().display().to_string(), "[CASEBOOK]");
        (out.status.code().expect("exit code"), text)
    }
}

/// A parsed `--format json` report.
#[derive(Debug)]
pub struct Report(pub Value);

/// One diagnostic of a report, reduced to what tests compare.
#[derive(Debug, Clone, PartialEq)]
pub struct Diag {
    pub rule: String,
    pub kind: String,
    pub explained: bool,
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
    pub help: Option<String>,
}

impl Report {
    pub fn diagnostics(&self) -> Vec<Diag> {
        self.0["diagnostics"]
            .as_array()
            .expect("diagnostics array")
            .iter()
            .map(|d| Diag {
                rule: d["rule"].as_str().expect("rule").to_string(),
                kind: d["kind"].as_str().expect("kind").to_string(),
                explained: d["explained"].as_bool().expect("explained"),
                file: d["file"].as_str().expect("file").to_string(),
                line: d["line"].as_u64().expect("line"),
                column: d["column"].as_u64().expect("column"),
                message: d["message"].as_str().expect("message").to_string(),
                help: d["help"].as_str().map(str::to_string),
            })
            .collect()
    }

    /// The one diagnostic of `rule`; fails when there is not exactly one, or
    /// when any other rule fired too (a fixture must trigger only its rule).
    pub fn only(&self, rule: &str) -> Diag {
        let all = self.diagnostics();
        let others: Vec<_> = all.iter().filter(|d| d.rule != rule).collect();
        assert!(others.is_empty(), "unexpected diagnostics: {others:#?}");
        let mine: Vec<_> = all.into_iter().filter(|d| d.rule == rule).collect();
        assert_eq!(mine.len(), 1, "expected one `{rule}`, got {mine:#?}");
        mine.into_iter().next().expect("one")
    }

    pub fn rules(&self) -> Vec<String> {
        self.diagnostics().into_iter().map(|d| d.rule).collect()
    }

    pub fn summary(&self, key: &str) -> u64 {
        self.0["summary"][key].as_u64().expect("summary count")
    }
}

/// Copies the folder `from` into `to`, creating `to` if needed.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir`, by `/`-separated relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk the folder"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            (rel.join("/"), std::fs::read(e.path()).expect("read file"))
        })
        .collect()
}

/// `git` in `dir` with no user or global configuration, or `None` when git
/// is missing.
pub fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The 1-based line of the first line of `file` in the casebook containing `needle`.
pub fn line_of(cb: &TestCasebook, file: &str, needle: &str) -> u64 {
    cb.read(file)
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in {file}")) as u64
        + 1
}

/// A small deterministic generator (xorshift64*) for the tests that damage
/// records at random: the same seed gives the same damage, so a failure
/// can be replayed with its seed.
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`; 0, which xorshift never leaves, is taken
    /// as 1.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}
