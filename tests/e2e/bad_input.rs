//! Malformed and hostile input: every case gets a `schema` diagnostic with a
//! file, line and column, never a panic, and the check goes on to report
//! every other problem in the same run.

use crate::common::{TestCasebook, line_of};
use std::time::Duration;

const CONTEXT: &str = "cases/harbour-walk/context.yaml";
const PLAN: &str = "cases/harbour-walk/plan.yaml";
const INITIAL: &str = "cases/harbour-walk/conferences/2026-06-10-initial.md";

/// Checks `cb` (bounded in time so a hang fails rather than blocks the suite)
/// and returns the exit code and the schema diagnostics for `file`, asserting
/// that the run did not crash.
fn schema_errors(cb: &TestCasebook, file: &str) -> (i32, Vec<crate::common::Diag>) {
    let out = cb
        .cmd(&["check", "--format", "json", "--today", crate::common::TODAY])
        .timeout(Duration::from_secs(20))
        .output()
        .expect("run contextpack");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    let report = crate::common::Report(serde_json::from_slice(&out.stdout).expect("json report"));
    let diags = report.diagnostics();
    let mine: Vec<_> = diags
        .into_iter()
        .filter(|d| d.rule == "schema" && d.file == file)
        .collect();
    assert!(
        !mine.is_empty(),
        "no schema diagnostic for {file}: {:#?}",
        report.diagnostics()
    );
    for d in &mine {
        assert!(d.line >= 1 && d.column >= 1, "{d:#?}");
        assert_eq!(d.kind, "error");
    }
    (out.status.code().expect("exit code"), mine)
}

/// The human report of `cb`, for the help lines.
fn human(cb: &TestCasebook) -> String {
    cb.check_human(&[]).1
}

#[test]
fn invalid_yaml_syntax() {
    let cb = TestCasebook::clean();
    cb.edit(
        CONTEXT,
        "harms: [criminal-exploitation, county-lines]",
        "harms: [criminal-exploitation, county-lines",
    );
    let (code, d) = schema_errors(&cb, CONTEXT);
    assert_eq!(code, 1);
    assert!(d[0].line >= line_of(&cb, CONTEXT, "harms:"), "{d:#?}");
}

#[test]
fn tab_indentation_is_reported_at_the_tab() {
    let cb = TestCasebook::clean();
    cb.edit(PLAN, "    domain: partnerships", "\tdomain: partnerships");
    let (_, d) = schema_errors(&cb, PLAN);
    assert_eq!(
        (d[0].line, d[0].column),
        (line_of(&cb, PLAN, "\tdomain"), 1),
        "{d:#?}"
    );
    assert!(d[0].message.contains("tab"), "{d:#?}");
}

#[test]
fn number_where_a_date_is_expected() {
    let cb = TestCasebook::clean();
    cb.edit(CONTEXT, "opened: 2026-05-20", "opened: 20260520");
    let (code, d) = schema_errors(&cb, CONTEXT);
    assert_eq!(
        (d[0].line, d[0].column),
        (line_of(&cb, CONTEXT, "opened:"), 9)
    );
    assert!(d[0].message.contains("date"), "{d:#?}");
    assert_eq!(code, 1);
}

#[test]
fn impossible_date() {
    let cb = TestCasebook::clean();
    cb.edit(CONTEXT, "opened: 2026-05-20", "opened: 2026-02-30");
    let (_, d) = schema_errors(&cb, CONTEXT);
    assert_eq!(
        (d[0].line, d[0].column),
        (line_of(&cb, CONTEXT, "opened:"), 9)
    );
    assert!(d[0].message.contains("2026-02-30"), "{d:#?}");
}

#[test]
pub(crate) fn unknown_field_suggests_the_nearest_known_one() {
    let cb = TestCasebook::clean();
    cb.edit(INITIAL, "attendance:", "atendance:");
    let (code, d) = schema_errors(&cb, INITIAL);
    assert_eq!(
        (d[0].line, d[0].column),
        (line_of(&cb, INITIAL, "atendance:"), 1)
    );
    assert!(d[0].message.contains("atendance"), "{d:#?}");
    assert!(human(&cb).contains("`attendance`"), "help names the field");
    assert_eq!(code, 1);
}

#[test]
fn unknown_vocabulary_value() {
    let cb = TestCasebook::clean();
    cb.edit(CONTEXT, "type: neighbourhood", "type: neighborhood");
    let (_, d) = schema_errors(&cb, CONTEXT);
    assert_eq!((d[0].line, d[0].column), (1, 7));
    assert!(
        human(&cb).contains("`neighbourhood`"),
        "help names the known value"
    );
}

#[test]
fn dangling_agency_reference() {
    let cb = TestCasebook::clean();
    cb.edit(
        PLAN,
        "owner: { agency: youth-service }",
        "owner: { agency: youth-services }",
    );
    let (code, report) = cb.check_json();
    let d = report.only("reference");
    assert_eq!(
        (d.file.as_str(), d.line),
        (PLAN, line_of(&cb, PLAN, "youth-services"))
    );
    assert_eq!(code, 1);
}

#[test]
fn duplicate_agency_id() {
    let cb = TestCasebook::clean();
    cb.edit("contextpack.yaml", "  - { id: youth-service, name: Youth Service }",
        "  - { id: youth-service, name: Youth Service }\n  - { id: youth-service, name: Youth Offending Service }");
    let (_, report) = cb.check_json();
    let d = report.only("reference");
    assert_eq!(d.line, line_of(&cb, "contextpack.yaml", "Youth Offending"));
}

#[test]
fn missing_contextpack_yaml() {
    let cb = TestCasebook::clean();
    cb.remove("contextpack.yaml");
    let (code, d) = schema_errors(&cb, "contextpack.yaml");
    assert_eq!((d[0].line, d[0].column), (1, 1));
    assert_eq!(code, 1);
}

#[test]
fn empty_contextpack_yaml() {
    let cb = TestCasebook::clean();
    cb.write("contextpack.yaml", "# nothing here yet\n");
    let (code, _) = schema_errors(&cb, "contextpack.yaml");
    assert_eq!(code, 1);
}

#[test]
fn conference_without_front_matter() {
    let cb = TestCasebook::clean();
    cb.write(INITIAL, "## Minutes\nNo front matter at all.\n");
    let (_, d) = schema_errors(&cb, INITIAL);
    assert_eq!((d[0].line, d[0].column), (1, 1));
}

#[test]
fn conference_with_unterminated_front_matter() {
    let cb = TestCasebook::clean();
    let text = cb.read(INITIAL);
    let unterminated = text.replacen("\n---\n", "\n", 1);
    assert_ne!(text, unterminated);
    cb.write(INITIAL, unterminated);
    let (_, d) = schema_errors(&cb, INITIAL);
    assert_eq!(d[0].line, 1, "points at the opening ---: {d:#?}");
}

#[test]
fn file_that_is_not_utf8() {
    let cb = TestCasebook::clean();
    let title_line = line_of(&cb, CONTEXT, "title:");
    let mut bytes = cb.read(CONTEXT).into_bytes();
    let at = cb.read(CONTEXT).find("Harbour Walk").expect("title");
    bytes.splice(at..at, [0xff, 0xfe]);
    cb.write(CONTEXT, bytes);
    let (_, d) = schema_errors(&cb, CONTEXT);
    assert_eq!(d[0].line, title_line, "{d:#?}");
    assert!(d[0].message.contains("UTF-8"), "{d:#?}");
}

#[test]
fn nul_bytes() {
    let cb = TestCasebook::clean();
    cb.edit(PLAN, "Light the Quay Steps.", "Light the \0Quay Steps.");
    let (_, d) = schema_errors(&cb, PLAN);
    assert_eq!(d[0].line, line_of(&cb, PLAN, "Light the"), "{d:#?}");
}

#[test]
fn five_megabyte_value() {
    let cb = TestCasebook::clean();
    let huge = "x".repeat(5 * 1024 * 1024);
    cb.edit(
        CONTEXT,
        "managed_by: Harbour trust; Parks team",
        &format!("managed_by: {huge}"),
    );
    let (_, d) = schema_errors(&cb, CONTEXT);
    assert_eq!(d[0].line, line_of(&cb, CONTEXT, "managed_by:"), "{d:#?}");
}

#[test]
fn alias_bomb_is_refused() {
    let cb = TestCasebook::clean();
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10u8 {
        let (this, prev) = ((b'a' + i) as char, (b'a' + i - 1) as char);
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("{this}: &{this} [{refs}]\n"));
    }
    cb.write(PLAN, bomb);
    let (code, _) = schema_errors(&cb, PLAN);
    assert_eq!(code, 1);
}

#[test]
fn twenty_thousand_levels_of_nesting_are_refused() {
    let cb = TestCasebook::clean();
    let deep = format!("goals: {}{}\n", "[".repeat(20_000), "]".repeat(20_000));
    cb.write(PLAN, deep);
    schema_errors(&cb, PLAN);
}

#[test]
fn casebook_folder_that_does_not_exist() {
    let cb = TestCasebook::empty();
    let missing = cb.path().join("no-such-casebook");
    let out = assert_cmd::Command::cargo_bin("contextpack")
        .expect("binary")
        .args(["check", "--casebook"])
        .arg(&missing)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no-such-casebook") && stderr.contains("does not exist"),
        "{stderr}"
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let cb = TestCasebook::clean();
    cb.edit(CONTEXT, "opened: 2026-05-20", "opened: 2026-02-30");
    cb.edit(PLAN, "    domain: partnerships", "    domain: partnership");
    cb.edit(INITIAL, "attendance:", "atendance:");
    cb.edit(
        INITIAL,
        "venue: Waterside Community Centre",
        "venue: Waterside Community Centre\nvenu: again",
    );
    let (code, report) = cb.check_json();
    let files: Vec<_> = report
        .diagnostics()
        .into_iter()
        .filter(|d| d.rule == "schema")
        .map(|d| (d.file, d.line))
        .collect();
    assert!(files.iter().any(|(f, _)| f == CONTEXT), "{files:?}");
    assert!(files.iter().any(|(f, _)| f == PLAN), "{files:?}");
    assert_eq!(
        files.iter().filter(|(f, _)| f == INITIAL).count(),
        2,
        "both unknown fields of one file: {files:?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn minutes_approved_before_the_meeting() {
    let cb = TestCasebook::clean();
    cb.edit(
        INITIAL,
        "approved: { date: 2026-06-17,",
        "approved: { date: 2026-06-01,",
    );
    let (code, d) = schema_errors(&cb, INITIAL);
    assert_eq!(code, 1);
    assert_eq!(d[0].line, line_of(&cb, INITIAL, "approved:"), "{d:#?}");
    assert!(
        d[0].message
            .contains("the minutes are approved on 2026-06-01 but the meeting is on 2026-06-10"),
        "{d:#?}"
    );
}

#[test]
fn a_minute_taker_written_as_an_unknown_id_is_a_dangling_reference() {
    let cb = TestCasebook::clean();
    cb.edit(INITIAL, "minute_taker: jo-smith", "minute_taker: jo-smyth");
    cb.edit(
        INITIAL,
        "circulated_to: [csc, police,",
        "circulated_to: [csc, polize,",
    );
    let (code, report) = cb.check_json();
    assert_eq!(code, 1);
    let refs: Vec<_> = report
        .diagnostics()
        .into_iter()
        .filter(|d| d.rule == "reference" && d.file == INITIAL)
        .collect();
    assert_eq!(refs.len(), 2, "{refs:#?}");
    assert!(
        refs.iter().any(|d| d.message.contains("jo-smyth")),
        "{refs:#?}"
    );
    assert!(
        refs.iter().any(|d| d.message.contains("polize")),
        "{refs:#?}"
    );
    // A name is a name: not checked against `people:`.
    let cb = TestCasebook::clean();
    cb.edit(INITIAL, "minute_taker: jo-smith", "minute_taker: Lee Marsh");
    assert_eq!(cb.check_json().0, 0);
}

/// A date typed day first, as dates are written in England, gets the ISO
/// date to write in its help; one that is no day gets the example only.
#[test]
fn a_date_written_day_first_is_answered_with_the_date_to_write() {
    let cb = TestCasebook::clean();
    cb.edit(
        "cases/harbour-walk/plan.yaml",
        "    agreed: 2026-07-15\n",
        "    agreed: 15/07/2026\n",
    );
    let (code, d) = schema_errors(&cb, "cases/harbour-walk/plan.yaml");
    assert_eq!(code, 1);
    let help = d[0].help.clone().unwrap_or_default();
    assert!(
        help.contains("write `2026-07-15` (15 July 2026, read day first"),
        "{help}"
    );
    cb.edit(
        "cases/harbour-walk/plan.yaml",
        "    agreed: 15/07/2026\n",
        "    agreed: 31/02/2026\n",
    );
    let (_, d) = schema_errors(&cb, "cases/harbour-walk/plan.yaml");
    assert_eq!(d[0].help.as_deref(), Some("for example 2026-09-14"));
}

/// The traps of hand-written YAML get a help line that says what to write.
#[test]
fn an_example_uncommented_under_an_empty_list_says_to_delete_the_brackets() {
    let cb = TestCasebook::clean();
    let file = "cases/harbour-walk/context.yaml";
    let text = cb.read(file);
    cb.write(
        file,
        format!(
            "{text}related_contexts: []\n  - {{ context: other, reason: shared young people }}\n"
        ),
    );
    let out = human(&cb);
    assert!(
        out.contains("`related_contexts: []` says the list is empty, so the items under it cannot be read: delete the `[]` after `related_contexts:`"),
        "{out}"
    );
}

#[test]
fn an_unquoted_comma_in_a_flow_mapping_says_to_quote_the_value() {
    let cb = TestCasebook::clean();
    cb.edit(
        "cases/harbour-walk/conferences/2026-12-02-review.md",
        "  - { agency: youth-service, name: Detached youth worker }",
        "  - { agency: youth-service, name: Head of Year 10, Paignton Academy }",
    );
    let (exit, report) = cb.check_json();
    assert_eq!(exit, 1);
    let d = report.only("schema");
    assert_eq!(
        d.message,
        "unknown field `Paignton Academy` in an invitation"
    );
    let help = d.help.clone().unwrap_or_default();
    assert!(
        help.contains(
            "put the whole value in quotes: `name: \"Head of Year 10, Paignton Academy\"`"
        ),
        "{help}"
    );
}

#[test]
fn an_unknown_domain_is_one_error_not_also_a_missing_domain() {
    let cb = TestCasebook::clean();
    cb.edit(
        "cases/harbour-walk/plan.yaml",
        "domain: legislative-framework",
        "domain: legislative",
    );
    let (exit, report) = cb.check_json();
    assert_eq!(exit, 1);
    let d = report.only("schema");
    assert!(
        d.message.contains("unknown action domain `legislative`"),
        "{}",
        d.message
    );
    assert!(
        d.help
            .clone()
            .unwrap_or_default()
            .contains("did you mean `legislative-framework`?"),
        "{d:#?}"
    );
    assert!(
        !report.rules().contains(&"action-fields".to_string()),
        "{:#?}",
        report.diagnostics()
    );
}
