//! `contextpack status` through the binary, on the `due-mixed` fixture:
//! the text tables (snapshots), the JSON shape, the filters, unknown ids.

use crate::common::{TODAY, TestCasebook};
use serde_json::Value;
use std::process::Output;

fn due_mixed() -> TestCasebook {
    TestCasebook::fixture("due-mixed")
}

fn status(cb: &TestCasebook, extra: &[&str]) -> Output {
    let mut args = vec!["status", "--today", TODAY];
    args.extend_from_slice(extra);
    cb.cmd(&args).output().expect("run contextpack status")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(cb: &TestCasebook, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let out = status(cb, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("status --format json prints JSON")
}

/// `<context>/<id>` of each action listed.
fn actions(v: &Value) -> Vec<String> {
    v["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| {
            format!(
                "{}/{}",
                a["context"].as_str().unwrap_or(""),
                a["id"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn text_for_everyone() {
    let out = status(&due_mixed(), &[]);
    assert_eq!(out.status.code(), Some(0), "overdue items still exit 0");
    let text = stdout(&out);
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn text_for_an_agency() {
    let out = status(&due_mixed(), &["--agency", "police"]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn text_later_in_the_month() {
    let cb = due_mixed();
    let out = cb
        .cmd(&["status", "--today", "2026-11-20"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn a_clean_casebook_with_nothing_due() {
    let out = status(&TestCasebook::clean(), &[]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with("Status on 2026-11-01 for everyone\n"),
        "{text}"
    );
    assert_eq!(text.matches("  none\n").count(), 4, "{text}");
}

#[test]
fn no_colour_without_no_color_either_when_piped() {
    let cb = due_mixed();
    let out = cb
        .cmd(&["status", "--today", TODAY])
        .env_remove("NO_COLOR")
        .output()
        .expect("run");
    assert!(!stdout(&out).contains('\x1b'));
}

#[test]
fn json_shape() {
    let v = json(&due_mixed(), &[]);
    assert_eq!(v["today"], "2026-11-01");
    assert_eq!(v["upcoming_days"], 28);
    assert_eq!(v["due_soon_days"], 14);
    assert_eq!(
        v["for"],
        serde_json::json!({"agency": null, "person": null})
    );
    assert_eq!(actions(&v), ["quarry-park/q3", "quarry-park/q1"]);
    let q3 = &v["actions"][0];
    assert_eq!(q3["state"], "overdue");
    assert_eq!(q3["days"], -12);
    assert_eq!(q3["due"], "2026-10-20");
    assert_eq!(q3["owner"]["agency"], "education");
    assert_eq!(q3["owner"]["person"], "ria-patel");
    let m = &v["meetings"][0];
    assert_eq!(m["context"], "castle-school");
    assert_eq!(m["meeting"], "2026-11-12-initial");
    assert_eq!(m["start"], "14:00");
    assert_eq!(m["days"], 11);
    let r = &v["reviews"][0];
    assert_eq!(r["context"], "quarry-park");
    assert_eq!(r["state"], "overdue");
    assert_eq!(r["date"], "2026-10-28");
    assert_eq!(r["agreed_at"], "2026-08-05");
    let e = &v["records_with_errors"][0];
    assert_eq!(
        e["file"],
        "cases/quarry-park/conferences/2026-08-05-initial.md"
    );
    assert_eq!(e["breaches"], 1);
}

#[test]
fn filters_by_person_and_agency() {
    let cb = due_mixed();
    let ria = json(&cb, &["--person", "ria-patel"]);
    assert_eq!(ria["for"]["person"], "ria-patel");
    assert_eq!(actions(&ria), ["quarry-park/q3"]);
    assert_eq!(ria["meetings"].as_array().map(Vec::len), Some(1));
    let police = json(&cb, &["--agency", "police"]);
    assert_eq!(actions(&police), ["quarry-park/q1"]);
    let youth = json(&cb, &["--agency", "youth-service"]);
    assert_eq!(actions(&youth), Vec::<String>::new());
    assert_eq!(
        youth["records_with_errors"].as_array().map(Vec::len),
        Some(0)
    );
}

#[test]
fn closed_contexts_owe_nothing() {
    // old-mill closed on 2026-10-01 with action m1 open since 2026-10-15.
    let v = json(&due_mixed(), &[]);
    assert!(!actions(&v).iter().any(|a| a.starts_with("old-mill/")));
    assert!(!v.to_string().contains("old-mill"));
}

#[test]
fn unknown_agency_suggests_the_nearest() {
    let out = status(&due_mixed(), &["--agency", "polce"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("there is no agency `polce`"), "{err}");
    assert!(err.contains("did you mean `police`?"), "{err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn unknown_person_lists_the_people() {
    let out = status(&due_mixed(), &["--person", "nobody-at-all"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("there is no person `nobody-at-all`"), "{err}");
    assert!(err.contains("jo-smith"), "{err}");
}

#[test]
fn agency_and_person_together_are_refused() {
    let out = status(&due_mixed(), &["--agency", "police", "--person", "sam-lee"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn no_casebook_exits_2() {
    let cb = TestCasebook::empty();
    let missing = cb.path().join("missing");
    let out = assert_cmd::Command::cargo_bin("contextpack")
        .expect("binary")
        .args(["status", "--casebook"])
        .arg(&missing)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
}

/// `status` run on a pseudo-terminal by util-linux `script`, or `None`
/// when `script` is not installed.
fn on_a_terminal(cb: &TestCasebook, no_color: bool) -> Option<String> {
    let bin = assert_cmd::cargo::cargo_bin("contextpack");
    let line = format!(
        "'{}' status --today {TODAY} --casebook '{}'",
        bin.display(),
        cb.path().display()
    );
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(std::process::Stdio::null());
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let out = cmd.output().ok()?;
    out.status.success().then(|| stdout(&out))
}

#[test]
fn colour_on_a_terminal_unless_no_color() {
    let cb = due_mixed();
    let Some(coloured) = on_a_terminal(&cb, false) else {
        eprintln!(
            "SKIPPED colour_on_a_terminal_unless_no_color: util-linux `script` is not installed"
        );
        return;
    };
    assert!(
        coloured.contains("\x1b[1;31moverdue by 12 days\x1b[0m"),
        "{coloured:?}"
    );
    assert!(
        coloured.contains("\x1b[33min 9 days\x1b[0m"),
        "{coloured:?}"
    );
    let plain = on_a_terminal(&cb, true).expect("script ran before");
    assert!(!plain.contains('\x1b'), "NO_COLOR: {plain:?}");
    assert!(plain.contains("overdue by 12 days"));
}

/// Fitted to a width (a terminal's, or `--width`), every line of the
/// tables fits: the action text, then the owner, are cut with "…"; wider,
/// more of the action's text is shown than the piped table's 60 characters.
#[test]
fn tables_fit_the_width_they_are_given() {
    let cb = due_mixed();
    for width in [80usize, 100] {
        let out = status(&cb, &["--width", &width.to_string()]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        for line in text.lines() {
            assert!(
                line.chars().count() <= width,
                "{} > {width}: {line:?}",
                line.chars().count()
            );
        }
        assert!(text.contains('…'), "{text}");
    }
    let piped = stdout(&status(&cb, &[]));
    let wide = stdout(&status(&cb, &["--width", "400"]));
    let longest = |t: &str| t.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest(&wide) >= longest(&piped), "{wide}\n{piped}");
}
