//! The command line itself: subcommands, arguments and exit codes. Checking
//! real casebooks end to end is the business of the other tests.

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

fn contextpack() -> Command {
    let mut cmd = Command::cargo_bin("contextpack").expect("the contextpack binary is built");
    cmd.env("NO_COLOR", "1");
    cmd
}

const ALL_RULES: [&str; 31] = [
    "schema",
    "reference",
    "file-name",
    "unsafe-file",
    "hidden-file",
    "chair-role",
    "assessment-sections",
    "assessment-before-conference",
    "weighting-rationale",
    "lead-practitioner",
    "core-agencies",
    "attendance-recorded",
    "representation",
    "partner-reports",
    "venue-agreed",
    "duration",
    "plan-discussion-time",
    "confidentiality",
    "plan-shared",
    "review-date",
    "review-within",
    "review-held",
    "moved-consent",
    "moved-within",
    "action-fields",
    "action-overdue",
    "four-domains",
    "outcome-measure",
    "learning-shared",
    "exception-unused",
    "anonymity",
];

#[test]
fn rules_lists_every_rule_in_order() {
    let out = contextpack()
        .arg("rules")
        .assert()
        .success()
        .get_output()
        .clone();
    let text = String::from_utf8_lossy(&out.stdout);
    let ids: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .filter(|id| ALL_RULES.contains(id))
        .collect();
    assert_eq!(ids, ALL_RULES, "{text}");
    assert!(
        text.contains("review-within                 breach   "),
        "{text}"
    );
}

#[test]
fn explain_quotes_the_terms_of_reference() {
    contextpack()
        .args(["explain", "review-within"])
        .assert()
        .success()
        .stdout(contains("review-within (breach)"))
        .stdout(contains("Governance and Accountability"))
        .stdout(contains("no later than 3 months"))
        .stdout(contains("- rule: review-within"));
}

/// `explain --help` says to give the rule as printed in brackets: copied
/// from a diagnostic, `breach[review-within]` explains review-within.
#[test]
fn explain_takes_the_rule_as_a_diagnostic_prints_it() {
    for printed in [
        "breach[review-within]",
        "explained[review-within]",
        " warning[review-within] ",
    ] {
        contextpack()
            .args(["explain", printed])
            .assert()
            .success()
            .stdout(contains("review-within (breach)"));
    }
    contextpack()
        .args(["explain", "breach[review-whithin]"])
        .assert()
        .code(2)
        .stderr(contains("did you mean `review-within`?"));
}

#[test]
fn explain_of_an_error_offers_no_exception() {
    contextpack()
        .args(["explain", "confidentiality"])
        .assert()
        .success()
        .stdout(contains(
            "Information Sharing and Confidentiality Statement",
        ))
        .stdout(contains("exceptions:\n").not());
}

#[test]
fn explain_unknown_rule_suggests_the_nearest() {
    contextpack()
        .args(["explain", "nope"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("error: there is no rule `nope`"))
        .stderr(contains("the nearest is `"))
        .stderr(contains("contextpack rules"));
    contextpack()
        .args(["explain", "review-whithin"])
        .assert()
        .code(2)
        .stderr(contains("did you mean `review-within`?"));
}

#[test]
fn missing_casebook_is_a_usage_error() {
    contextpack()
        .args(["check", "--casebook", "/nonexistent/casebook"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "error: casebook folder `/nonexistent/casebook` does not exist",
        ))
        .stderr(contains("--casebook"));
}

#[test]
fn impossible_date_is_a_usage_error() {
    contextpack()
        .args(["check", "--today", "2026-02-30"])
        .assert()
        .code(2)
        .stderr(contains("2026-02-30"))
        .stderr(contains("not a day of the calendar"));
    contextpack()
        .args(["check", "--today", "30/01/2026"])
        .assert()
        .code(2)
        .stderr(contains("YYYY-MM-DD"));
}

#[test]
fn unknown_subcommand_and_format_are_usage_errors() {
    contextpack()
        .arg("frobnicate")
        .assert()
        .code(2)
        .stderr(contains("Usage:"));
    contextpack()
        .args(["check", "--format", "xml"])
        .assert()
        .code(2)
        .stderr(contains("human"));
    contextpack().assert().code(2).stderr(contains("Usage:"));
}

#[test]
fn help_and_version_succeed() {
    contextpack()
        .arg("--help")
        .assert()
        .success()
        .stdout(contains("check"))
        .stdout(contains("explain"));
    contextpack()
        .args(["check", "--help"])
        .assert()
        .success()
        .stdout(contains("--deny-warnings"))
        .stdout(contains("--today <YYYY-MM-DD>"));
    contextpack()
        .arg("--version")
        .assert()
        .success()
        .stdout(contains("contextpack "));
}

/// `rules` and `explain` give the numbers of the casebook they are run in,
/// not PROTOCOL.md's defaults.
#[test]
fn rules_and_explain_use_the_casebooks_settings() {
    let cb = crate::common::TestCasebook::clean();
    let settings = cb.read("contextpack.yaml");
    cb.write(
        "contextpack.yaml",
        format!("{settings}\nprotocol:\n  review_within_months: 2\n  reschedule_within_days: 10\n"),
    );
    let out = cb.cmd(&["rules"]).output().expect("run");
    let table = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{table}");
    assert!(
        table.contains("no later than 2 months after the conference"),
        "{table}"
    );
    assert!(
        table.contains("within 10 days of the missed date"),
        "{table}"
    );
    let out = cb.cmd(&["explain", "review-within"]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("review_within_months: 2"), "{text}");
    assert!(!text.contains("later than 3 months after"), "{text}");

    // Outside a casebook, the defaults.
    let empty = tempfile::tempdir().expect("temp dir");
    let out = assert_cmd::Command::cargo_bin("contextpack")
        .expect("binary")
        .args(["rules", "--casebook"])
        .arg(empty.path())
        .output()
        .expect("run");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("no later than 3 months after the conference"),
        "{table}"
    );
}

/// Every command finds its casebook as git finds a repository: from a
/// folder inside it, without `--casebook`.
#[test]
fn a_command_run_inside_the_casebook_finds_it_in_a_parent_folder() {
    let cb = crate::common::TestCasebook::clean();
    let inside = cb.path().join("cases/harbour-walk/conferences");
    contextpack()
        .current_dir(&inside)
        .args(["check", "--today", "2026-11-01"])
        .assert()
        .success()
        .stdout(contains("no problems found in 1 context"));
    contextpack()
        .current_dir(&inside)
        .args(["status", "--today", "2026-11-01"])
        .assert()
        .success();
    contextpack()
        .current_dir(&inside)
        .args(["build", "--today", "2026-11-01", "--quiet"])
        .assert()
        .success();
    assert!(
        cb.path().join("output/index.html").is_file(),
        "built into the casebook's output/"
    );
}

/// A folder that is no casebook, and none above it: one sentence saying to
/// run `contextpack init`, exit 2, the same for every command.
#[test]
fn no_casebook_here_or_above_is_exit_2_with_what_to_do() {
    let empty = tempfile::tempdir().expect("temp dir");
    for args in [
        &["check"][..],
        &["build"],
        &["status"],
        &["report", "--quarter", "2026-Q3"],
        &["new", "conference", "x", "--date", "2026-12-01"],
    ] {
        contextpack()
            .current_dir(empty.path())
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains(
                "has no contextpack.yaml, nor does any folder above it",
            ))
            .stderr(contains("`contextpack init` creates a new casebook"));
        // The same folder given by name is no casebook either.
        contextpack()
            .current_dir(empty.path())
            .args(args)
            .arg("--casebook")
            .arg(empty.path())
            .assert()
            .code(2)
            .stderr(contains(
                "has no contextpack.yaml, so there is no casebook here",
            ));
    }
    assert_eq!(
        std::fs::read_dir(empty.path()).expect("list").count(),
        0,
        "nothing was written"
    );
}
