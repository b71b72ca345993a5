//! The CI recipes in docs/ci/ do what their comments say: the contextpack
//! commands of each recipe are read out of the file and run, exactly as
//! written, against a clean casebook, and what the artifact step keeps exists.

use crate::common::{TODAY, TestCasebook};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn docs(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/ci")
        .join(file)
}

fn recipe(file: &str) -> Value {
    let text = std::fs::read_to_string(docs(file)).expect("read the recipe");
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{file} is not YAML: {e}"))
}

/// The shell lines of a `run:` block or a `script:` list.
fn lines(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => s.lines().map(|l| l.trim().to_string()).collect(),
        Value::Array(items) => items.iter().flat_map(lines).collect(),
        _ => Vec::new(),
    }
}

/// The lines that run contextpack itself, split into words. A line with
/// quoting, expansion or redirection would not split the way the shell
/// splits it, so the recipes keep these lines plain.
fn contextpack_commands(shell: &[String]) -> Vec<Vec<String>> {
    shell
        .iter()
        .filter(|l| l.split_whitespace().next() == Some("contextpack"))
        .map(|l| {
            assert!(
                !l.contains(['"', '\'', '$', '|', '>', '<', ';', '&', '\\']),
                "keep contextpack lines plain in the recipes: {l}"
            );
            l.split_whitespace().map(str::to_string).collect()
        })
        .collect()
}

/// A clean casebook pinned to the day the fixture is clean on, as a
/// partnership's repository would be checked out in CI.
fn checked_out() -> TestCasebook {
    let cb = TestCasebook::clean();
    let settings = cb.read("contextpack.yaml");
    cb.write("contextpack.yaml", format!("{settings}\nas_of: {TODAY}\n"));
    cb
}

/// Runs `contextpack <args>` with the binary under test, from `dir`.
fn run(dir: &Path, words: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_contextpack"))
        .args(words.iter().skip(1))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run contextpack")
}

fn run_all(dir: &Path, commands: &[Vec<String>]) {
    for words in commands {
        let out = run(dir, words);
        assert!(
            out.status.success(),
            "`{}` failed ({:?}):\n{}{}",
            words.join(" "),
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// What a build leaves in the folder the artifact step keeps.
fn assert_packs(dir: &Path, kept: &str) {
    let kept = dir.join(kept);
    assert!(
        kept.join("manifest.json").is_file(),
        "no manifest in {kept:?}"
    );
    let pack = kept.join("restricted/harbour-walk/2026-09-09-review/pack.pdf");
    assert!(pack.is_file(), "no pack at {pack:?}");
}

#[test]
fn github_actions_checks_builds_and_keeps_the_packs_briefly() {
    let wf = recipe("github-actions.yml");
    // Every push and pull request, and a schedule: deadlines pass on days
    // nobody commits.
    assert!(wf["on"].get("pull_request").is_some(), "{:?}", wf["on"]);
    assert!(
        wf["on"]["schedule"][0]["cron"].is_string(),
        "{:?}",
        wf["on"]
    );
    let steps: Vec<&Value> = wf["jobs"]
        .as_object()
        .expect("jobs")
        .values()
        .flat_map(|job| job["steps"].as_array().expect("steps"))
        .collect();
    let shell: Vec<String> = steps.iter().flat_map(|s| lines(&s["run"])).collect();
    let commands = contextpack_commands(&shell);
    let written: Vec<String> = commands.iter().map(|c| c.join(" ")).collect();
    assert_eq!(
        written,
        [
            "contextpack check --format github",
            "contextpack build --format github"
        ]
    );
    assert!(
        shell
            .iter()
            .any(|l| l.contains("cargo install --locked --git"))
    );

    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact@"))
        })
        .expect("an upload-artifact step");
    let kept = upload["with"]["path"].as_str().expect("artifact path");
    let days = upload["with"]["retention-days"]
        .as_u64()
        .expect("retention-days");
    assert!(
        days <= 30,
        "OFFICIAL-SENSITIVE packs are kept briefly, not {days} days"
    );
    let text = std::fs::read_to_string(docs("github-actions.yml")).unwrap_or_default();
    assert!(text.contains("OFFICIAL-SENSITIVE") && text.contains("private"));

    let cb = checked_out();
    run_all(cb.path(), &commands);
    assert_packs(cb.path(), kept);
}

#[test]
fn github_annotations_fail_the_run_on_a_broken_record() {
    let cb = checked_out();
    cb.edit(
        "cases/harbour-walk/context.yaml",
        "type: neighbourhood",
        "type: neighborhood",
    );
    let words: Vec<String> = ["contextpack", "check", "--format", "github"]
        .map(str::to_string)
        .to_vec();
    let out = run(cb.path(), &words);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::error file=cases/harbour-walk/context.yaml,line=1"),
        "{stdout}"
    );
}

#[test]
fn gitlab_ci_checks_builds_and_keeps_the_packs_briefly() {
    let ci = recipe("gitlab-ci.yml");
    let job = &ci["contextpack"];
    let shell: Vec<String> = ["before_script", "script"]
        .iter()
        .flat_map(|k| lines(&job[*k]))
        .collect();
    let commands = contextpack_commands(&shell);
    let written: Vec<String> = commands.iter().map(|c| c.join(" ")).collect();
    assert_eq!(written, ["contextpack check", "contextpack build"]);
    assert!(
        shell
            .iter()
            .any(|l| l.contains("cargo install --locked --git"))
    );

    let artifacts = &job["artifacts"];
    let paths = artifacts["paths"].as_array().expect("artifact paths");
    assert_eq!(paths.len(), 1);
    let kept = paths.first().and_then(Value::as_str).expect("a path");
    assert!(
        artifacts["expire_in"].as_str().is_some(),
        "packs must expire"
    );
    assert_eq!(artifacts["access"].as_str(), Some("developer"));

    let cb = checked_out();
    run_all(cb.path(), &commands);
    assert_packs(cb.path(), kept);
}

#[test]
fn the_pre_commit_framework_hook_runs_check() {
    let config = recipe("pre-commit-config.yaml");
    let hook = &config["repos"][0]["hooks"][0];
    assert_eq!(hook["language"].as_str(), Some("system"));
    assert_eq!(hook["pass_filenames"].as_bool(), Some(false));
    let entry = lines(&hook["entry"]);
    let commands = contextpack_commands(&entry);
    assert_eq!(commands.len(), 1);
    let cb = checked_out();
    git(cb.path(), &["init", "--quiet"]);
    git(cb.path(), &["add", "--all"]);
    run_all(cb.path(), &commands);
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .status()
        .expect("git is installed");
    assert!(status.success(), "git {args:?}");
}

/// Runs docs/ci/pre-commit with `sh`, as git would, from the repository root.
fn pre_commit(dir: &Path) -> Output {
    Command::new("sh")
        .arg(docs("pre-commit"))
        .current_dir(dir)
        .env("CONTEXTPACK", env!("CARGO_BIN_EXE_contextpack"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run the hook")
}

#[test]
fn the_pre_commit_hook_checks_what_is_staged() {
    let cb = checked_out();
    git(cb.path(), &["init", "--quiet"]);
    git(cb.path(), &["add", "--all"]);
    let out = pre_commit(cb.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A broken record that is not staged is not being committed.
    let file = "cases/harbour-walk/context.yaml";
    cb.edit(file, "type: neighbourhood", "type: neighborhood");
    assert_eq!(pre_commit(cb.path()).status.code(), Some(0));

    git(cb.path(), &["add", file]);
    let out = pre_commit(cb.path());
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("did you mean `neighbourhood`?"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("pre-commit: contextpack check failed"),
        "{stderr}"
    );
}

#[test]
fn the_pre_commit_hook_says_when_contextpack_is_missing() {
    let cb = checked_out();
    git(cb.path(), &["init", "--quiet"]);
    let out = Command::new("sh")
        .arg(docs("pre-commit"))
        .current_dir(cb.path())
        .env("CONTEXTPACK", "contextpack-not-installed")
        .output()
        .expect("run the hook");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("contextpack is not installed"));
}

#[test]
fn the_release_recipe_tests_then_builds_for_linux_macos_and_windows() {
    let wf = recipe("release.yml");
    assert!(
        wf["on"]["push"]["tags"][0]
            .as_str()
            .unwrap()
            .starts_with('v')
    );
    let build = &wf["jobs"]["build"];
    assert_eq!(build["needs"], "test", "binaries only after the tests pass");
    let test: Vec<String> = wf["jobs"]["test"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| lines(&s["run"]))
        .collect();
    assert!(test.iter().any(|l| l == "cargo test --locked"), "{test:?}");
    let targets: Vec<&str> = build["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["target"].as_str().unwrap())
        .collect();
    for os in ["linux", "apple-darwin", "windows"] {
        assert!(targets.iter().any(|t| t.contains(os)), "{os}: {targets:?}");
    }
    let steps: Vec<String> = build["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| lines(&s["run"]))
        .collect();
    assert!(
        steps
            .iter()
            .any(|l| l.starts_with("cargo build --release --locked --target")),
        "{steps:?}"
    );
    assert!(steps.iter().any(|l| l.contains("sha256")), "{steps:?}");
}
