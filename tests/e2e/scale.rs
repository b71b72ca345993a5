//! A partnership's casebook: many contexts, many people, rebuilt often.
//! Casebooks are generated from the sample (`contextpack::generate`), as
//! `cargo run --example casebook` makes them for the benchmark.

use crate::common::{git, tree};
use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn generated(contexts: usize, people: usize) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("contextpack-scale-")
        .tempdir()
        .expect("temp dir");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = contextpack::generate::Options {
        contexts,
        extra_people: people,
    };
    contextpack::generate::casebook(sample, dir.path(), &options).expect("generate");
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("contextpack")
        .expect("binary")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CI", "true")
        // The crash this guards against was hidden by a big stack.
        .env_remove("RUST_MIN_STACK")
        .args(args)
        .arg("--casebook")
        .arg(dir)
        .output()
        .expect("run contextpack")
}

fn ok(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn manifest(out: &Path) -> Value {
    let bytes = std::fs::read(out.join("manifest.json")).expect("manifest");
    serde_json::from_slice(&bytes).expect("json")
}

/// 60 contexts overflowed the stack before the documents had threads of
/// their own; a rebuild after one edit renders that context alone and
/// gives the bytes a clean build gives.
#[test]
fn sixty_contexts_build_and_rebuild_only_what_changed() {
    let cb = generated(60, 0);
    let first = ok(&run(cb.path(), &["build"]));
    assert!(first.contains("for 60 contexts"), "{first}");
    let out = cb.path().join("output");
    let before = tree(&out);
    assert!(before.len() > 800, "{} files", before.len());

    let again = run(cb.path(), &["build"]);
    ok(&again);
    let again = String::from_utf8_lossy(&again.stderr).into_owned();
    let documents = manifest(&out)["outputs"].as_array().map_or(0, Vec::len);
    // The contexts' own documents; the young people's pages, made from
    // several contexts, are casebook-wide like the dashboard.
    let restricted = before
        .keys()
        .filter(|p| p.starts_with("restricted/") && !p.starts_with("restricted/young_people/"))
        .count();
    assert!(
        again.contains(&format!("rendered 0 documents, {restricted} unchanged")),
        "{again}"
    );
    assert_eq!(
        tree(&out),
        before,
        "a rebuild with nothing changed changes nothing"
    );
    #[cfg(unix)]
    {
        // Nothing changed, so the folder was left in place, not swapped.
        use std::os::unix::fs::MetadataExt;
        let inode = |p: &Path| std::fs::metadata(p).expect("output").ino();
        let folder = inode(&out);
        ok(&run(cb.path(), &["build"]));
        assert_eq!(inode(&out), folder, "an unchanged output is not replaced");
    }
    // A file slipped into the output, or one edited there (the same size,
    // other bytes), is not what a clean build makes: the output is rebuilt.
    std::fs::write(out.join("restricted/stray.html"), b"<p>not ours</p>").expect("stray");
    let index = std::fs::read(out.join("index.html")).expect("index");
    let mut edited = index.clone();
    let at = edited.iter().position(|&b| b == b'<').expect("markup");
    edited[at] = b'(';
    std::fs::write(out.join("index.html"), &edited).expect("edit");
    ok(&run(cb.path(), &["build"]));
    assert_eq!(
        tree(&out),
        before,
        "the stray file is gone, index.html restored"
    );

    // A new person in the settings changes no document that does not
    // name them: each document's own key says so.
    let settings = cb.path().join("contextpack.yaml");
    let text = std::fs::read_to_string(&settings).expect("settings");
    let person = "people:\n  - id: new-starter\n    name: Robin Newstarter\n    agency: csc\n    roles: [social-worker]\n";
    std::fs::write(&settings, text.replacen("people:\n", person, 1)).expect("edit");
    let added = run(cb.path(), &["build"]);
    ok(&added);
    let added = String::from_utf8_lossy(&added.stderr).into_owned();
    assert!(
        added.contains(&format!("rendered 0 documents, {restricted} unchanged")),
        "{added}"
    );
    std::fs::write(&settings, text).expect("restore");
    ok(&run(cb.path(), &["build"]));
    assert_eq!(
        tree(&out),
        before,
        "back to the same records, the same bytes"
    );

    let plan = cb.path().join("cases/north-prospect-group-3/plan.yaml");
    let text = std::fs::read_to_string(&plan).expect("plan");
    std::fs::write(
        &plan,
        text.replacen("Two extra evening", "Three extra evening", 1),
    )
    .expect("edit");
    ok(&run(cb.path(), &["build"]));
    let after = tree(&out);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    for path in &changed {
        let ours = path.starts_with("restricted/north-prospect-group-3/");
        let casebook_wide = !path.starts_with("restricted/");
        assert!(ours || casebook_wide, "{path} changed");
    }
    assert!(
        changed
            .iter()
            .any(|p| p.ends_with("north-prospect-group-3/action-plan.pdf"))
    );

    // A clean build of the same records, elsewhere, is byte-identical.
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let clean = elsewhere.path().join("output");
    let clean_arg = clean.to_string_lossy().into_owned();
    ok(&run(cb.path(), &["build", "--out", &clean_arg]));
    assert_eq!(tree(&clean), after, "incremental and clean builds differ");
    assert_eq!(documents, after.len() - 2, "manifest and cache aside");
}

/// Each document lists the records it shows, not every file of its
/// context: a context with thousands of meetings must not make a
/// manifest of hundreds of megabytes.
#[test]
fn the_manifest_lists_each_documents_own_records() {
    let cb = generated(4, 0);
    ok(&run(cb.path(), &["build"]));
    let m = manifest(&cb.path().join("output"));
    let outputs = m["outputs"].as_array().cloned().unwrap_or_default();
    let inputs_of = |path: &str| -> Vec<String> {
        outputs
            .iter()
            .find(|o| o["path"] == path)
            .and_then(|o| o["inputs"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    let dir = "restricted/drakes-reach-academy-0";
    let agenda = inputs_of(&format!("{dir}/2027-01-12-review/agenda.html"));
    assert!(
        agenda.contains(&"cases/drakes-reach-academy-0/conferences/2027-01-12-review.md".into()),
        "{agenda:?}"
    );
    assert!(
        !agenda.iter().any(|f| f.ends_with("2026-07-14-initial.md")),
        "another meeting's record: {agenda:?}"
    );
    let page = inputs_of(&format!("{dir}/index.html"));
    assert!(
        page.iter().filter(|f| f.contains("/conferences/")).count() >= 4,
        "{page:?}"
    );
}

/// What a killed build left beside the output (staging folders holding
/// restricted PDFs, an old output moved aside) is tidied by the next one.
#[test]
fn leftovers_of_a_killed_build_are_removed() {
    let cb = generated(1, 0);
    ok(&run(cb.path(), &["build"]));
    for stale in [".output-tmp-999999", ".output-old-999998"] {
        let dir = cb.path().join(stale).join("restricted");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("pack.pdf"), b"%PDF-").expect("write");
    }
    // Not ours: a name that only looks alike.
    std::fs::create_dir_all(cb.path().join(".output-tmp-notes")).expect("mkdir");
    ok(&run(cb.path(), &["build"]));
    assert!(!cb.path().join(".output-tmp-999999").exists());
    assert!(!cb.path().join(".output-old-999998").exists());
    assert!(cb.path().join(".output-tmp-notes").exists());

    // Killed between the two renames of the swap: no output, the old one
    // aside. It is put back, then replaced by the new build.
    std::fs::rename(
        cb.path().join("output"),
        cb.path().join(".output-old-999997"),
    )
    .expect("rename");
    ok(&run(cb.path(), &["build"]));
    assert!(cb.path().join("output/manifest.json").is_file());
    assert!(!cb.path().join(".output-old-999997").exists());
}

/// A context's pages name the last commit of that context, and say
/// "with uncommitted changes" only when its own records changed.
#[test]
fn each_context_carries_its_own_provenance() {
    let cb = generated(2, 0);
    let dir = cb.path();
    if git(dir, &["init", "-q"]).is_none() {
        eprintln!("git is not installed; skipping");
        return;
    }
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "records"]);
    let first = git(dir, &["rev-parse", "--short", "HEAD"]).unwrap_or_default();
    let edited = dir.join("cases/drakes-reach-academy-0/plan.yaml");
    let text = std::fs::read_to_string(&edited).expect("plan");
    std::fs::write(&edited, format!("{text}\n# reviewed\n")).expect("edit");
    git(dir, &["commit", "-q", "-am", "plan reviewed"]);
    let second = git(dir, &["rev-parse", "--short", "HEAD"]).unwrap_or_default();
    let touched = dir.join("cases/north-prospect-group-0/context.yaml");
    let text = std::fs::read_to_string(&touched).expect("context");
    std::fs::write(&touched, format!("{text}# draft\n")).expect("edit");

    ok(&run(dir, &["build"]));
    let page = |id: &str| {
        std::fs::read_to_string(dir.join(format!("output/restricted/{id}/index.html")))
            .expect("page")
    };
    assert!(page("drakes-reach-academy-0").contains(&format!("records version {second}.")));
    assert!(
        page("north-prospect-group-0")
            .contains(&format!("records version {first} with uncommitted changes"))
    );
    let dashboard = std::fs::read_to_string(dir.join("output/index.html")).expect("dashboard");
    assert!(dashboard.contains(&format!(
        "records version {second} with uncommitted changes"
    )));
}

/// A record git ignores is not in any commit: the documents say so.
#[test]
fn an_ignored_record_counts_as_uncommitted() {
    let cb = generated(1, 0);
    let dir = cb.path();
    if git(dir, &["init", "-q"]).is_none() {
        return;
    }
    std::fs::write(
        dir.join(".gitignore"),
        "/output\n/.output-*\ncases/*/plan.yaml\n",
    )
    .expect("gitignore");
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "records"]);
    ok(&run(dir, &["build"]));
    let m = manifest(&dir.join("output"));
    assert_eq!(m["commit"]["dirty"], true, "{}", m["commit"]);
}

/// A partnership's directory of people fits in contextpack.yaml.
#[test]
fn twenty_thousand_people_check_clean() {
    let cb = generated(2, 20_000);
    let out = run(cb.path(), &["check"]);
    let stdout = ok(&out);
    assert!(
        stdout.contains("no problems found in 2 contexts"),
        "{stdout}"
    );
}

/// One broken settings file is one error, not one at every reference.
#[test]
fn a_broken_settings_file_does_not_cascade() {
    let cb = generated(4, 0);
    let settings = cb.path().join("contextpack.yaml");
    let text = std::fs::read_to_string(&settings).expect("settings");
    std::fs::write(&settings, text.replacen("agencies:", "agencies: [", 1)).expect("break");
    let out = run(cb.path(), &["check", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let references = report["diagnostics"]
        .as_array()
        .map_or(0, |d| d.iter().filter(|d| d["rule"] == "reference").count());
    assert_eq!(references, 0, "{}", report["summary"]);
    assert_eq!(out.status.code(), Some(1));
}

/// A clean build of many contexts ends with its result, not buried under
/// snippets: explained breaches take a line each unless `--verbose`.
#[test]
fn build_reports_explained_breaches_briefly_and_quiet_is_quiet() {
    let cb = generated(8, 0);
    let out = run(cb.path(), &["build"]);
    ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let brief: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("explained["))
        .collect();
    assert_eq!(brief.len(), 2, "{stderr}");
    assert!(
        brief[0].contains("conferences/2026-09-03-initial.md:"),
        "{}",
        brief[0]
    );
    assert!(!stderr.contains("  --> "), "no snippets: {stderr}");
    assert!(
        stderr.contains("build: rendering "),
        "a line per phase: {stderr}"
    );

    let verbose = run(cb.path(), &["build", "--verbose"]);
    assert!(String::from_utf8_lossy(&verbose.stderr).contains("  --> "));

    let quiet = run(cb.path(), &["build", "--quiet"]);
    let stdout = ok(&quiet);
    assert!(stdout.starts_with("built "), "{stdout}");
    assert_eq!(
        String::from_utf8_lossy(&quiet.stderr),
        "",
        "nothing but problems"
    );
}

/// Provenance is read from `.git` as files: it must agree with git itself
/// on loose objects, on packs with deltas after `git gc`, across a merge,
/// for a casebook in a subfolder of the repository, and in a SHA-256
/// repository.
#[test]
fn provenance_agrees_with_git_on_packs_merges_subfolders_and_sha256() {
    for format in ["sha1", "sha256"] {
        let repo = generated(4, 0);
        let top = repo.path();
        let inner = top.join("records");
        std::fs::create_dir(&inner).expect("mkdir");
        for name in ["contextpack.yaml", "cases"] {
            std::fs::rename(top.join(name), inner.join(name)).expect("move");
        }
        let init = format!("--object-format={format}");
        if git(top, &["init", "-q", &init]).is_none() {
            return;
        }
        git(top, &["add", "-A"]);
        git(top, &["commit", "-q", "-m", "records"]);
        let ids: Vec<String> = std::fs::read_dir(inner.join("cases"))
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        let touch = |id: &str, note: &str| {
            let plan = inner.join(format!("cases/{id}/plan.yaml"));
            let text = std::fs::read_to_string(&plan).expect("plan");
            std::fs::write(&plan, format!("{text}# {note}\n")).expect("edit");
        };
        touch(&ids[0], "first edit");
        git(top, &["commit", "-q", "-am", "one"]);
        git(top, &["checkout", "-q", "-b", "side"]);
        touch(&ids[1], "on a branch");
        git(top, &["commit", "-q", "-am", "side"]);
        git(top, &["checkout", "-q", "-"]);
        touch(&ids[2], "meanwhile");
        git(top, &["commit", "-q", "-am", "main"]);
        git(top, &["merge", "-q", "--no-edit", "side"]);
        git(top, &["gc", "-q", "--aggressive"]);
        touch(&ids[0], "after the pack");
        git(top, &["commit", "-q", "-am", "loose again"]);

        ok(&run(&inner, &["build"]));
        let m = manifest(&inner.join("output"));
        let head = git(top, &["rev-parse", "HEAD"]).expect("head");
        let short = git(top, &["rev-parse", "--short", "HEAD"]).expect("short");
        assert_eq!(m["commit"]["hash"], head.as_str(), "{format}");
        assert_eq!(m["commit"]["short"], short.as_str(), "{format}");
        assert_eq!(m["commit"]["dirty"], false, "{format}: {}", m["commit"]);
        for id in &ids {
            let last = git(
                top,
                &[
                    "log",
                    "-1",
                    "--format=%h",
                    "--",
                    &format!("records/cases/{id}"),
                ],
            )
            .expect("log");
            let page =
                std::fs::read_to_string(inner.join(format!("output/restricted/{id}/index.html")))
                    .expect("page");
            assert!(
                page.contains(&format!("records version {last}.")),
                "{format} {id}: expected {last}"
            );
        }
    }
}
