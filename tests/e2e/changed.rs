//! `check --changed [REF]` and `check FILE...`: findings in what a change
//! touched and in what it made worse elsewhere, not those there before.

use crate::common::{TestCasebook, git};
use std::process::Output;

/// due-mixed, committed: on this day it has an unexplained breach (an
/// overdue review) and warnings, none of them in castle-school.
const DAY: &str = "2026-12-01";
const MINUTES: &str = "cases/castle-school/conferences/2026-11-12-initial.md";

fn committed() -> TestCasebook {
    let cb = TestCasebook::fixture("due-mixed");
    git(cb.path(), &["init", "--quiet"]);
    git(cb.path(), &["add", "--all"]);
    git(cb.path(), &["commit", "--quiet", "-m", "records"]);
    cb
}

fn check(cb: &TestCasebook, args: &[&str]) -> Output {
    let mut all = vec!["check", "--today", DAY];
    all.extend_from_slice(args);
    cb.cmd(&all).output().expect("run check")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn an_overdue_review_elsewhere_does_not_block_a_commit_that_fixes_a_typo() {
    let cb = committed();
    let whole = check(&cb, &[]);
    assert_eq!(whole.status.code(), Some(1), "{}", text(&whole));
    assert!(
        text(&whole).contains("breach[review-held]"),
        "{}",
        text(&whole)
    );

    cb.edit(MINUTES, "\n---\n", "\n---\n\nMinutes taken on the day.\n");
    git(cb.path(), &["add", MINUTES]);
    let out = check(&cb, &["--changed"]);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(!said.contains("review-held"), "{said}");
    assert!(said.contains("reported on 1 file"), "{said}");
    assert!(said.contains("there before, left out"), "{said}");
}

#[test]
fn what_is_staged_is_checked_not_what_the_folder_holds() {
    let cb = committed();
    let file = "cases/castle-school/context.yaml";
    cb.edit(file, "type: school", "type: skool");
    git(cb.path(), &["add", file]);
    let out = check(&cb, &["--changed"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("did you mean `school`?"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains(&format!("{file}:")), "{}", text(&out));

    // Put right in the folder but not staged: the commit would still break it.
    cb.edit(file, "type: skool", "type: school");
    assert_eq!(check(&cb, &["--changed"]).status.code(), Some(1));
    // Staged, the commit is clean; broken again but not staged, it still is.
    git(cb.path(), &["add", file]);
    assert_eq!(check(&cb, &["--changed"]).status.code(), Some(0));
    cb.edit(file, "type: school", "type: skool");
    assert_eq!(check(&cb, &["--changed"]).status.code(), Some(0));
}

#[test]
fn a_change_that_breaks_records_elsewhere_is_reported_where_they_break() {
    let cb = committed();
    let settings = cb.read("contextpack.yaml");
    let person =
        "  - id: ria-patel\n    name: Ria Patel\n    agency: education\n    roles: [dsl]\n";
    assert!(settings.contains(person));
    cb.write("contextpack.yaml", settings.replace(person, ""));
    git(cb.path(), &["add", "contextpack.yaml"]);
    let out = check(&cb, &["--changed"]);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("error[lead-practitioner]: lead practitioner `ria-patel`"),
        "{said}"
    );
    assert!(
        said.contains("--> cases/castle-school/context.yaml:"),
        "{said}"
    );
    assert!(!said.contains("review-held"), "{said}");
}

#[test]
fn an_index_written_by_newer_git_is_read_too() {
    let cb = committed();
    git(cb.path(), &["update-index", "--index-version", "4"]);
    let file = "cases/castle-school/context.yaml";
    cb.edit(file, "type: school", "type: skool");
    git(cb.path(), &["add", file]);
    let out = check(&cb, &["--changed"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains(&format!("{file}:")), "{}", text(&out));
}

#[test]
fn changed_since_a_revision_compares_the_folder_with_it() {
    let cb = committed();
    git(cb.path(), &["tag", "sent"]);
    let file = "cases/castle-school/context.yaml";
    cb.edit(file, "type: school", "type: skool");
    // Not staged: `--changed sent` looks at the folder.
    let out = check(&cb, &["--changed", "sent"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains(&format!("{file}:")), "{}", text(&out));
    assert!(!text(&out).contains("review-held"), "{}", text(&out));

    let out = check(&cb, &["--changed", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("`no-such-branch` names no commit, branch or tag"),
        "{}",
        text(&out)
    );
}

#[test]
fn changed_outside_a_repository_says_so() {
    let cb = TestCasebook::fixture("due-mixed");
    let out = check(&cb, &["--changed"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("not in a git repository"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("without --changed"), "{}", text(&out));
}

#[test]
fn check_files_reports_on_the_files_and_folders_given() {
    let cb = committed();
    // From inside the context's folder, as a practitioner works.
    let dir = cb.path().join("cases/castle-school");
    let run = |args: &[&str]| {
        let mut cmd = assert_cmd::Command::cargo_bin("contextpack").unwrap();
        cmd.current_dir(&dir)
            .env("NO_COLOR", "1")
            .args(["check", "--today", DAY])
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["context.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("reported on 1 file"), "{}", text(&out));

    // The casebook's overdue review is in quarry-park's records.
    let out = run(&["../quarry-park/"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("breach[review-held]"), "{}", text(&out));

    let out = run(&["/etc/passwd"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("is not a file or folder of the casebook"),
        "{}",
        text(&out)
    );
}
