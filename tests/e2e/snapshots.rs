//! Snapshots of what a practitioner sees: the human report of a handful of
//! diagnostics, and the JSON report. Review changes with `cargo insta review`
//! (or delete the .snap file and rerun to accept a deliberate change).

use crate::common::TestCasebook;

const PLAN: &str = "cases/harbour-walk/plan.yaml";
const CONTEXT: &str = "cases/harbour-walk/context.yaml";
const INITIAL: &str = "cases/harbour-walk/conferences/2026-06-10-initial.md";
const REVIEW: &str = "cases/harbour-walk/conferences/2026-09-09-review.md";

/// A casebook with one finding of each kind, plus an explained breach.
fn mixed() -> TestCasebook {
    let cb = TestCasebook::clean();
    cb.edit(
        INITIAL,
        "attendance:",
        "atendance:\n  - { agency: csc, person: jo-smith }\nattendance:",
    );
    cb.edit(CONTEXT, "type: neighbourhood", "type: neighborhood");
    cb.edit(REVIEW, "date: 2026-12-02", "date: 2026-12-20");
    cb.edit(PLAN, "due: 2026-11-30", "due: 2026-10-30");
    cb.edit(
        REVIEW,
        "{ item: plan-discussion, minutes: 45 }",
        "{ item: plan-discussion, minutes: 25 }",
    );
    cb.edit(REVIEW, "plan_shared_verbally: true\n",
        "plan_shared_verbally: true\nexceptions:\n  - rule: plan-discussion-time\n    reason: Fire alarm; the discussion continued by e-mail the same day.\n");
    cb
}

#[test]
fn human_report() {
    let (code, text) = mixed().check_human(&[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(text);
}

#[test]
fn json_report() {
    let (code, report) = mixed().check_json();
    assert_eq!(code, 1);
    insta::assert_snapshot!(serde_json::to_string_pretty(&report.0).expect("json"));
}

#[test]
fn github_annotations() {
    let (_, text) = mixed().check_human(&["--format", "github"]);
    insta::assert_snapshot!(text);
}

#[test]
fn clean_report() {
    let (code, text) = TestCasebook::clean().check_human(&[]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(text);
}
