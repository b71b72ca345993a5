//! One fixture per rule: the clean casebook with one change that breaks that
//! rule and nothing else, checked through the binary. Each test asserts the
//! rule id, its kind, the file and line it points at, and the exit code.

use crate::common::{TODAY, TestCasebook, line_of};
use contextpack::rule_id::RuleId;

const CONTEXT: &str = "cases/harbour-walk/context.yaml";
const ASSESSMENT: &str = "cases/harbour-walk/assessment.md";
const PLAN: &str = "cases/harbour-walk/plan.yaml";
const INITIAL: &str = "cases/harbour-walk/conferences/2026-06-10-initial.md";
const INTERIM: &str = "cases/harbour-walk/conferences/2026-07-15-interim.md";
const REVIEW: &str = "cases/harbour-walk/conferences/2026-09-09-review.md";
const NEXT: &str = "cases/harbour-walk/conferences/2026-12-02-review.md";

/// Checks `cb`, expects exactly one diagnostic of `rule` and nothing else, of
/// `kind`, in `file` at the line holding `needle`, and the exit code.
fn expect_only(cb: &TestCasebook, rule: &str, kind: &str, file: &str, needle: &str, code: i32) {
    let (exit, report) = cb.check_json();
    let d = report.only(rule);
    assert_eq!(d.kind, kind, "{d:#?}");
    assert_eq!(d.file, file, "{d:#?}");
    assert_eq!(d.line, line_of(cb, file, needle), "{d:#?}");
    assert!(!d.explained, "{d:#?}");
    assert_eq!(exit, code, "{d:#?}");
}

#[test]
fn clean_casebook_passes_every_rule() {
    let cb = TestCasebook::clean();
    let (code, report) = cb.check_json();
    assert_eq!(
        report.diagnostics(),
        vec![],
        "the clean fixture must be clean"
    );
    assert_eq!(code, 0);
    for key in ["errors", "breaches", "warnings", "explained"] {
        assert_eq!(report.summary(key), 0, "{key}");
    }
}

#[test]
pub(crate) fn reference_unknown_person() {
    let cb = TestCasebook::clean();
    cb.edit(INITIAL, "{ agency: csc, person: jo-smith }\n  - { agency: police, person: sam-lee }\n  - { agency: education",
        "{ agency: csc, person: jo-smyth }\n  - { agency: police, person: sam-lee }\n  - { agency: education");
    expect_only(&cb, "reference", "error", INITIAL, "jo-smyth", 1);
}

/// `themes:` and `areas:` in contextpack.yaml make those fields vocabularies.
fn with_vocabularies(cb: &TestCasebook) {
    let settings = cb.read("contextpack.yaml");
    cb.write(
        "contextpack.yaml",
        format!(
            "{settings}\nthemes:\n  - {{ id: county-lines, label: County lines }}\n  - {{ id: public-space-grooming, label: Grooming in public spaces }}\n  - displacement\nareas: [Waterside, Stonehouse]\n"
        ),
    );
}

#[test]
fn themes_and_areas_listed_in_the_settings_are_vocabularies() {
    let cb = TestCasebook::clean();
    // Without the lists, themes and areas are free text (FORMAT.md).
    cb.edit(
        INITIAL,
        "themes: [county-lines, public-space-grooming]",
        "themes: [county-lines, Public-Space-Grooming]",
    );
    assert!(cb.check_json().1.rules().is_empty());
    with_vocabularies(&cb);
    let (code, report) = cb.check_json();
    assert_eq!(code, 1);
    let d = report.only("reference");
    assert_eq!(
        (d.file.as_str(), d.line),
        (INITIAL, line_of(&cb, INITIAL, "Public-Space-Grooming"))
    );
    assert!(
        d.message.contains("learning theme `Public-Space-Grooming`"),
        "{d:#?}"
    );
    let help = d.help.clone().unwrap_or_default();
    assert!(
        help.contains("did you mean `public-space-grooming`?"),
        "{help}"
    );
    cb.edit(INITIAL, "Public-Space-Grooming", "criminal exploitation");
    let d = cb.check_json().1.only("reference");
    assert!(
        d.message
            .contains("`criminal exploitation` is not one of the themes"),
        "{d:#?}"
    );
    cb.edit(INITIAL, "criminal exploitation", "public-space-grooming");
    assert!(cb.check_json().1.rules().is_empty());
    // An area outside `areas:`.
    cb.edit(CONTEXT, "area: Waterside", "area: Watersde");
    let d = cb.check_json().1.only("reference");
    assert_eq!(
        (d.file.as_str(), d.line),
        (CONTEXT, line_of(&cb, CONTEXT, "area: Watersde"))
    );
    assert!(
        d.help
            .clone()
            .unwrap_or_default()
            .contains("did you mean `Waterside`?")
    );
    // The summaries print a listed theme's label.
    cb.edit(CONTEXT, "area: Watersde", "area: Waterside");
    let out = cb
        .cmd(&["build", "--today", "2026-10-01"])
        .output()
        .expect("build");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = cb.read("output/anonymised/2026-Q2/safer-plymouth.csv");
    assert!(
        csv.contains(",themes,public-space-grooming,Grooming in public spaces,count,1,"),
        "{csv}"
    );
}

#[test]
fn reference_duplicate_young_person_ref() {
    let cb = TestCasebook::clean();
    cb.edit(CONTEXT, "ref: YP-B", "ref: YP-A");
    // The assessment follows, so that only the repeat is wrong.
    cb.edit(ASSESSMENT, "YP-B has been", "YP-A has been");
    let (code, report) = cb.check_json();
    let d = report.only("reference");
    // The second use of the ref is the one reported.
    assert_eq!(
        (d.file.as_str(), d.line),
        (CONTEXT, line_of(&cb, CONTEXT, "Casey Sample") - 1)
    );
    assert_eq!(code, 1);
}

#[test]
pub(crate) fn file_name_must_match_date() {
    let cb = TestCasebook::clean();
    cb.edit(INTERIM, "date: 2026-07-15", "date: 2026-07-16");
    // The plan's action a2 was agreed at this meeting: keep it consistent.
    cb.edit(PLAN, "agreed: 2026-07-15", "agreed: 2026-07-16");
    expect_only(&cb, "file-name", "error", INTERIM, "date: 2026-07-16", 1);
}

#[test]
pub(crate) fn chair_role_not_allowed_for_context_type() {
    let cb = TestCasebook::clean();
    cb.edit(
        REVIEW,
        "chair: kim-davies\nchair_role: community-safety-partnership-manager",
        "chair: kim-davies\nchair_role: dsl",
    );
    expect_only(&cb, "chair-role", "breach", REVIEW, "chair_role: dsl", 1);
}

#[test]
fn chair_role_not_held_by_the_chair() {
    let cb = TestCasebook::clean();
    cb.edit(
        REVIEW,
        "venue_agreed_by: [kim-davies, Harbour trust manager]\nchair: kim-davies",
        "venue_agreed_by: [jo-smith, Harbour trust manager]\nchair: jo-smith",
    );
    let (code, report) = cb.check_json();
    let d = report.only("chair-role");
    assert_eq!((d.kind.as_str(), d.file.as_str()), ("breach", REVIEW));
    assert_eq!(code, 1);
}

#[test]
pub(crate) fn assessment_sections_missing() {
    let cb = TestCasebook::clean();
    cb.edit(
        ASSESSMENT,
        "## Parental capacity\nParents are supportive but unaware of the routes used.\n\n",
        "",
    );
    let (code, report) = cb.check_json();
    let d = report.only("assessment-sections");
    assert_eq!(
        (d.kind.as_str(), d.file.as_str(), code),
        ("error", ASSESSMENT, 1)
    );
    assert!(
        d.message.to_lowercase().contains("parental capacity"),
        "{d:#?}"
    );
}

#[test]
fn assessment_section_empty() {
    let cb = TestCasebook::clean();
    cb.edit(
        ASSESSMENT,
        "## Trends\nRising since the spring.\n",
        "## Trends\n",
    );
    expect_only(
        &cb,
        "assessment-sections",
        "error",
        ASSESSMENT,
        "## Trends",
        1,
    );
}

#[test]
pub(crate) fn assessment_after_first_conference() {
    let cb = TestCasebook::clean();
    cb.edit(ASSESSMENT, "date: 2026-06-01", "date: 2026-06-11");
    expect_only(
        &cb,
        "assessment-before-conference",
        "error",
        ASSESSMENT,
        "date: 2026-06-11",
        1,
    );
}

#[test]
fn assessment_missing_once_a_conference_is_held() {
    let cb = TestCasebook::clean();
    cb.remove(ASSESSMENT);
    expect_only(
        &cb,
        "assessment-before-conference",
        "error",
        INITIAL,
        "date: 2026-06-10",
        1,
    );
}

#[test]
pub(crate) fn weighting_factor_without_rationale() {
    let cb = TestCasebook::clean();
    cb.edit(
        ASSESSMENT,
        "    rationale: Named by two young people and by police intelligence.\n",
        "",
    );
    expect_only(
        &cb,
        "weighting-rationale",
        "error",
        ASSESSMENT,
        "- level: peers",
        1,
    );
}

#[test]
pub(crate) fn lead_practitioner_unknown() {
    let cb = TestCasebook::clean();
    cb.edit(
        CONTEXT,
        "lead_practitioner: jo-smith",
        "lead_practitioner: jo-smit",
    );
    expect_only(
        &cb,
        "lead-practitioner",
        "error",
        CONTEXT,
        "lead_practitioner",
        1,
    );
}

#[test]
pub(crate) fn core_agency_not_invited() {
    let cb = TestCasebook::clean();
    cb.edit(NEXT, "  - { agency: education, person: ria-patel }\n", "");
    expect_only(&cb, "core-agencies", "warning", NEXT, "invited:", 0);
}

#[test]
fn warnings_fail_only_when_denied() {
    let cb = TestCasebook::clean();
    cb.edit(NEXT, "  - { agency: education, person: ria-patel }\n", "");
    let out = cb
        .cmd(&["check", "--today", crate::common::TODAY, "--deny-warnings"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
pub(crate) fn attendance_not_recorded_for_an_invited_agency() {
    let cb = TestCasebook::clean();
    cb.edit(INTERIM, "attendance:\n  - { agency: csc, person: jo-smith }\n  - { agency: police, person: sam-lee }\n",
        "attendance:\n  - { agency: csc, person: jo-smith }\n");
    expect_only(
        &cb,
        "attendance-recorded",
        "error",
        INTERIM,
        "attendance:",
        1,
    );
}

/// The initial conference with the police absent, no one in their place
/// and so no police report: a representation breach and nothing else.
pub(crate) fn police_absent_and_unrepresented(cb: &TestCasebook) {
    cb.edit(
        INITIAL,
        "{ agency: police, absent: true, represented_by: PC Alex Moore }",
        "{ agency: police, absent: true }",
    );
    cb.edit(
        INITIAL,
        "partner_reports: [csc, police, education, community-safety]",
        "partner_reports: [csc, education, community-safety]",
    );
}

#[test]
pub(crate) fn absent_agency_not_represented() {
    let cb = TestCasebook::clean();
    police_absent_and_unrepresented(&cb);
    expect_only(&cb, "representation", "breach", INITIAL, "absent: true", 1);
}

#[test]
fn explained_breach_passes_and_is_reported_as_explained() {
    let cb = TestCasebook::clean();
    police_absent_and_unrepresented(&cb);
    cb.edit(INITIAL, "plan_shared_verbally: true\n",
        "plan_shared_verbally: true\nexceptions:\n  - rule: representation\n    reason: Officer called to an incident; briefing sent in writing.\n");
    let (code, report) = cb.check_json();
    let d = report.only("representation");
    assert!(d.explained, "{d:#?}");
    assert_eq!(code, 0);
    assert_eq!(report.summary("explained"), 1);
    assert_eq!(report.summary("breaches"), 0);
}

#[test]
pub(crate) fn exception_that_explains_nothing_is_a_warning() {
    let cb = TestCasebook::clean();
    cb.edit(
        REVIEW,
        "plan_shared_verbally: true\n",
        "plan_shared_verbally: true\nexceptions:\n  - rule: plan-shared\n    reason: Not needed.\n",
    );
    expect_only(
        &cb,
        "exception-unused",
        "warning",
        REVIEW,
        "rule: plan-shared",
        0,
    );
}

#[test]
pub(crate) fn present_agency_without_report() {
    let cb = TestCasebook::clean();
    cb.edit(
        REVIEW,
        "partner_reports: [csc, police, education, community-safety, youth-service]",
        "partner_reports: [csc, police, education, community-safety]",
    );
    expect_only(
        &cb,
        "partner-reports",
        "warning",
        REVIEW,
        "partner_reports:",
        0,
    );
}

#[test]
pub(crate) fn venue_not_agreed_by_the_chair() {
    let cb = TestCasebook::clean();
    cb.edit(
        NEXT,
        "venue_agreed_by: [kim-davies, Harbour trust manager]",
        "venue_agreed_by: [Harbour trust manager]",
    );
    expect_only(&cb, "venue-agreed", "warning", NEXT, "venue_agreed_by:", 0);
}

#[test]
pub(crate) fn conference_too_short() {
    let cb = TestCasebook::clean();
    cb.edit(NEXT, "end: \"12:00\"", "end: \"11:00\"");
    expect_only(&cb, "duration", "warning", NEXT, "end: \"11:00\"", 0);
}

#[test]
pub(crate) fn plan_discussion_under_thirty_minutes() {
    let cb = TestCasebook::clean();
    cb.edit(
        REVIEW,
        "{ item: plan-discussion, minutes: 45 }",
        "{ item: plan-discussion, minutes: 25 }",
    );
    expect_only(
        &cb,
        "plan-discussion-time",
        "breach",
        REVIEW,
        "plan-discussion, minutes: 25",
        1,
    );
}

#[test]
fn plan_discussion_minimum_comes_from_settings() {
    let cb = TestCasebook::clean();
    cb.edit(
        "contextpack.yaml",
        "anonymised_marking: OFFICIAL\n",
        "anonymised_marking: OFFICIAL\nprotocol:\n  plan_discussion_min_minutes: 50\n",
    );
    let (_, report) = cb.check_json();
    let hits: Vec<_> = report
        .diagnostics()
        .into_iter()
        .filter(|d| d.rule == "plan-discussion-time")
        .collect();
    // The initial (default agenda, 40) and review (45) conferences and the scheduled one (default, 40).
    assert_eq!(hits.len(), 3, "{hits:#?}");
}

#[test]
pub(crate) fn confidentiality_statement_not_read() {
    let cb = TestCasebook::clean();
    cb.edit(
        INTERIM,
        "confidentiality_statement_read: true",
        "confidentiality_statement_read: false",
    );
    expect_only(
        &cb,
        "confidentiality",
        "error",
        INTERIM,
        "confidentiality_statement_read",
        1,
    );
}

#[test]
pub(crate) fn plan_not_shared_verbally() {
    let cb = TestCasebook::clean();
    cb.edit(
        REVIEW,
        "plan_shared_verbally: true",
        "plan_shared_verbally: false",
    );
    expect_only(
        &cb,
        "plan-shared",
        "breach",
        REVIEW,
        "plan_shared_verbally",
        1,
    );
}

#[test]
pub(crate) fn held_conference_without_review_arrangements() {
    let cb = TestCasebook::clean();
    cb.edit(REVIEW, "  invitations_by: jo-smith\n", "");
    expect_only(&cb, "review-date", "error", REVIEW, "review:", 1);
}

#[test]
pub(crate) fn review_later_than_three_months() {
    let cb = TestCasebook::clean();
    cb.edit(REVIEW, "date: 2026-12-02", "date: 2026-12-10");
    cb.edit(NEXT, "date: 2026-12-02", "date: 2026-12-10");
    std::fs::rename(
        cb.path().join(NEXT),
        cb.path()
            .join("cases/harbour-walk/conferences/2026-12-10-review.md"),
    )
    .expect("rename");
    expect_only(
        &cb,
        "review-within",
        "breach",
        REVIEW,
        "date: 2026-12-10",
        1,
    );
}

#[test]
fn review_exactly_three_months_later_passes() {
    let cb = TestCasebook::clean();
    cb.edit(REVIEW, "date: 2026-12-02", "date: 2026-12-09");
    cb.edit(NEXT, "date: 2026-12-02", "date: 2026-12-09");
    std::fs::rename(
        cb.path().join(NEXT),
        cb.path()
            .join("cases/harbour-walk/conferences/2026-12-09-review.md"),
    )
    .expect("rename");
    let (code, report) = cb.check_json();
    assert_eq!(report.diagnostics(), vec![]);
    assert_eq!(code, 0);
}

#[test]
pub(crate) fn review_not_recorded_on_the_agreed_date() {
    let cb = TestCasebook::clean();
    cb.remove(NEXT);
    expect_only(&cb, "review-held", "breach", REVIEW, "date: 2026-12-02", 1);
}

#[test]
fn review_overdue_when_still_scheduled_after_its_date() {
    let cb = TestCasebook::clean();
    let (code, report) = cb.check_json_on("2026-12-03");
    let d = report.diagnostics();
    let hit = d
        .iter()
        .find(|d| d.rule == "review-held")
        .expect("review-held");
    assert_eq!((hit.kind.as_str(), hit.file.as_str()), ("breach", REVIEW));
    assert_eq!(code, 1);
}

#[test]
fn interim_meeting_does_not_count_as_the_review() {
    let cb = TestCasebook::clean();
    cb.remove(NEXT);
    cb.write("cases/harbour-walk/conferences/2026-12-02-interim.md",
        cb.read(INTERIM).replace("2026-07-15", "2026-12-02").replace("status: held", "status: scheduled").replace("attendance:\n  - { agency: csc, person: jo-smith }\n  - { agency: police, person: sam-lee }\n", ""));
    let (_, report) = cb.check_json();
    assert!(
        report.rules().contains(&"review-held".to_string()),
        "{:#?}",
        report.diagnostics()
    );
}

/// Moves the scheduled review from 2026-12-02 to `to`, with or without a record on `to`.
fn move_next_review(cb: &TestCasebook, to: &str, consent: bool, record_new_date: bool) {
    let original = cb.read(NEXT);
    cb.edit(NEXT, "status: scheduled\n", &format!(
        "status: moved\nmoved:\n  to: {to}\n  chair_consent: {consent}\n  reason: Venue flooded\n"));
    if record_new_date {
        cb.write(
            &format!("cases/harbour-walk/conferences/{to}-review.md"),
            original.replace("2026-12-02", to),
        );
    }
}

#[test]
fn moved_within_fourteen_days_with_consent_passes() {
    let cb = TestCasebook::clean();
    move_next_review(&cb, "2026-12-16", true, true);
    let (code, report) = cb.check_json();
    assert_eq!(report.diagnostics(), vec![]);
    assert_eq!(code, 0);
}

#[test]
pub(crate) fn moved_without_chair_consent() {
    let cb = TestCasebook::clean();
    move_next_review(&cb, "2026-12-09", false, true);
    expect_only(&cb, "moved-consent", "breach", NEXT, "chair_consent", 1);
}

#[test]
pub(crate) fn moved_more_than_fourteen_days() {
    let cb = TestCasebook::clean();
    move_next_review(&cb, "2026-12-17", true, true);
    expect_only(&cb, "moved-within", "breach", NEXT, "to: 2026-12-17", 1);
}

#[test]
fn moved_to_a_date_with_no_conference_record() {
    let cb = TestCasebook::clean();
    move_next_review(&cb, "2026-12-09", true, false);
    expect_only(&cb, "moved-within", "breach", NEXT, "to: 2026-12-09", 1);
}

#[test]
pub(crate) fn action_due_before_it_was_agreed() {
    let cb = TestCasebook::clean();
    cb.edit(PLAN, "due: 2026-08-31", "due: 2026-06-01");
    expect_only(&cb, "action-fields", "error", PLAN, "due: 2026-06-01", 1);
}

#[test]
fn action_agreed_on_a_day_without_a_held_meeting() {
    let cb = TestCasebook::clean();
    cb.edit(PLAN, "agreed: 2026-09-09", "agreed: 2026-09-08");
    expect_only(&cb, "action-fields", "error", PLAN, "agreed: 2026-09-08", 1);
}

#[test]
fn done_action_without_done_date() {
    let cb = TestCasebook::clean();
    cb.edit(PLAN, "    done: 2026-08-20\n", "");
    expect_only(&cb, "action-fields", "error", PLAN, "status: done", 1);
}

#[test]
pub(crate) fn open_action_past_its_due_date() {
    let cb = TestCasebook::clean();
    cb.edit(PLAN, "due: 2026-11-30", "due: 2026-10-30");
    expect_only(&cb, "action-overdue", "warning", PLAN, "due: 2026-10-30", 0);
}

#[test]
fn closed_context_has_no_overdue_actions_or_reviews() {
    let cb = TestCasebook::clean();
    cb.edit(
        CONTEXT,
        "opened: 2026-05-20\n",
        "opened: 2026-05-20\nclosed: 2026-10-01\n",
    );
    cb.remove(NEXT);
    let (code, report) = cb.check_json_on("2027-06-01");
    assert_eq!(report.diagnostics(), vec![]);
    assert_eq!(code, 0);
}

#[test]
pub(crate) fn plan_missing_a_domain() {
    let cb = TestCasebook::clean();
    // The one partnerships action is written down as a target action.
    cb.edit(PLAN, "    domain: partnerships\n", "    domain: target\n");
    expect_only(&cb, "four-domains", "warning", PLAN, "actions:", 0);
}

#[test]
pub(crate) fn outcome_action_without_measure() {
    let cb = TestCasebook::clean();
    cb.edit(
        PLAN,
        "    measure: Approaches reported per month against the June baseline\n",
        "",
    );
    expect_only(&cb, "outcome-measure", "warning", PLAN, "id: a4", 0);
}

#[test]
pub(crate) fn held_conference_without_learning() {
    let cb = TestCasebook::clean();
    cb.edit(REVIEW, "learning:\n  - text: Lighting alone moved the approaches to the next street.\n    forums: [safer-plymouth]\n    themes: [displacement]\n", "");
    expect_only(&cb, "learning-shared", "warning", REVIEW, "status: held", 0);
}

/// The fixture of each rule: a test that makes a clean casebook break it
/// and checks what is reported. Typed both ways, so a misspelt rule or a
/// renamed test does not compile.
#[test]
pub(crate) fn suppression_threshold_below_two() {
    let cb = TestCasebook::clean();
    let settings = cb.read("contextpack.yaml");
    cb.write(
        "contextpack.yaml",
        format!("{settings}\nanonymisation:\n  suppress_below: 1\n"),
    );
    let (code, report) = cb.check_json();
    let d = report.only("suppression-threshold");
    assert_eq!(
        (d.kind.as_str(), d.file.as_str()),
        ("error", "contextpack.yaml")
    );
    assert_eq!(
        d.line,
        line_of(&cb, "contextpack.yaml", "suppress_below: 1")
    );
    assert!(d.message.contains("count of 1 child"), "{d:#?}");
    assert!(report.rules().iter().all(|r| r != "suppression-convention"));
    assert_eq!(code, 1);
    // Nothing is built, summaries least of all.
    let out = cb
        .cmd(&["build", "--today", TODAY])
        .output()
        .expect("build");
    assert_eq!(out.status.code(), Some(1));
    assert!(!cb.path().join("output").exists());
}

#[test]
pub(crate) fn area_written_as_a_street_address() {
    let cb = TestCasebook::clean();
    let file = "cases/harbour-walk/context.yaml";
    cb.edit(
        file,
        "area: Waterside",
        "area: 12 Clarence Place, Waterside",
    );
    let (code, report) = cb.check_json();
    let d = report.only("area-address");
    assert_eq!((d.kind.as_str(), d.file.as_str()), ("warning", file));
    assert_eq!(d.line, line_of(&cb, file, "area: 12 Clarence Place"));
    assert!(d.message.contains("street address"), "{d:#?}");
    assert_eq!(code, 0, "a warning only");
    // A postcode is a number too; a ward is not.
    cb.edit(file, "area: 12 Clarence Place, Waterside", "area: PL1 3AB");
    assert_eq!(cb.check_json().1.only("area-address").line, d.line);
    cb.edit(file, "area: PL1 3AB", "area: St Peter and the Waterfront");
    assert!(cb.check_json().1.rules().is_empty());
}

#[test]
pub(crate) fn given_name_that_is_a_word_written_with_a_capital() {
    let cb = TestCasebook::clean();
    cb.edit(CONTEXT, "name: Casey Sample", "name: Rose Sample");
    // The word in lower case is the word: nothing to say.
    cb.edit(
        INITIAL,
        "approach younger children after school.",
        "approach younger children; numbers rose after school.",
    );
    assert!(cb.check_json().1.rules().is_empty());
    cb.edit(
        INITIAL,
        "numbers rose after school.",
        "Rose was seen after school.",
    );
    let (code, report) = cb.check_json();
    let d = report.only("given-name-word");
    assert_eq!((d.kind.as_str(), d.file.as_str()), ("warning", INITIAL));
    assert_eq!(d.line, line_of(&cb, INITIAL, "Rose was seen"));
    assert!(!d.message.contains("Rose"), "{d:#?}");
    assert_eq!(code, 0, "a warning only");
    // The snippet masks the word too.
    let (_, human) = cb.check_human(&[]);
    assert!(!human.contains("Rose"), "{human}");
    assert!(human.contains("████ was seen"), "{human}");
}

#[test]
pub(crate) fn suppression_below_the_convention() {
    let cb = TestCasebook::clean();
    let settings = cb.read("contextpack.yaml");
    cb.write(
        "contextpack.yaml",
        format!("{settings}\nanonymisation:\n  suppress_below: 3\n"),
    );
    let (code, report) = cb.check_json();
    let d = report.only("suppression-convention");
    assert_eq!(
        (d.kind.as_str(), d.file.as_str()),
        ("warning", "contextpack.yaml")
    );
    assert!(d.message.contains("Department for Education"), "{d:#?}");
    assert_eq!(code, 0, "a warning only");
    // The partnership's agreement, on record: the warning goes, the reason shows.
    cb.edit(
        "contextpack.yaml",
        "suppress_below: 3",
        "suppress_below: 3\nrules:\n  suppression-convention: { level: off, reason: Agreed by the ISA of May 2026 }",
    );
    let (_, report) = cb.check_json();
    assert!(report.rules().is_empty(), "{:?}", report.rules());
}

#[test]
pub(crate) fn people_empty_after_init() {
    let cb = TestCasebook::empty();
    assert_cmd::Command::cargo_bin("contextpack")
        .unwrap()
        .args(["init", "--no-git", "--partnership", "Test Partnership"])
        .arg(cb.path())
        .assert()
        .success();
    let (code, report) = cb.check_json();
    let d = report.only("people-listed");
    assert_eq!(
        (d.kind.as_str(), d.file.as_str(), d.line),
        (
            "warning",
            "contextpack.yaml",
            crate::common::line_of(&cb, "contextpack.yaml", "people:")
        )
    );
    assert_eq!(code, 0, "a warning only");
    cb.edit(
        "contextpack.yaml",
        "people:\n",
        "people:\n  - { id: jo-smith, name: Jo Smith, agency: csc }\n",
    );
    let (_, report) = cb.check_json();
    assert!(report.rules().is_empty(), "{:?}", report.rules());
}

fn fixtures() -> Vec<(RuleId, fn())> {
    #[allow(unused_mut)]
    let mut list: Vec<(RuleId, fn())> = vec![
        (
            RuleId::Schema,
            crate::bad_input::unknown_field_suggests_the_nearest_known_one,
        ),
        (RuleId::Reference, reference_unknown_person),
        (RuleId::FileName, file_name_must_match_date),
        (RuleId::HeldDate, meeting_marked_held_before_its_date),
        (RuleId::HiddenFile, hidden_conference_file),
        (RuleId::ChairRole, chair_role_not_allowed_for_context_type),
        (RuleId::AssessmentSections, assessment_sections_missing),
        (
            RuleId::AssessmentBeforeConference,
            assessment_after_first_conference,
        ),
        (
            RuleId::WeightingRationale,
            weighting_factor_without_rationale,
        ),
        (
            RuleId::HarmerAssessed,
            alleged_harmer_the_assessment_never_mentions,
        ),
        (RuleId::LeadPractitioner, lead_practitioner_unknown),
        (RuleId::CoreAgencies, core_agency_not_invited),
        (
            RuleId::AttendanceRecorded,
            attendance_not_recorded_for_an_invited_agency,
        ),
        (RuleId::Representation, absent_agency_not_represented),
        (RuleId::PartnerReports, present_agency_without_report),
        (RuleId::VenueAgreed, venue_not_agreed_by_the_chair),
        (RuleId::Duration, conference_too_short),
        (
            RuleId::PlanDiscussionTime,
            plan_discussion_under_thirty_minutes,
        ),
        (RuleId::Confidentiality, confidentiality_statement_not_read),
        (RuleId::PlanShared, plan_not_shared_verbally),
        (
            RuleId::ReviewDate,
            held_conference_without_review_arrangements,
        ),
        (RuleId::ReviewWithin, review_later_than_three_months),
        (RuleId::ReviewHeld, review_not_recorded_on_the_agreed_date),
        (
            RuleId::ReviewInvitations,
            review_does_not_invite_an_agency_the_chair_required,
        ),
        (RuleId::MovedConsent, moved_without_chair_consent),
        (RuleId::MovedWithin, moved_more_than_fourteen_days),
        (RuleId::ActionFields, action_due_before_it_was_agreed),
        (RuleId::ActionOverdue, open_action_past_its_due_date),
        (RuleId::PartnerTasks, agency_that_took_part_owns_no_action),
        (
            RuleId::PlanOversight,
            open_action_with_no_update_before_the_conference,
        ),
        (RuleId::FourDomains, plan_missing_a_domain),
        (RuleId::OutcomeMeasure, outcome_action_without_measure),
        (
            RuleId::ContextMeasure,
            outcome_measures_that_measure_only_individuals,
        ),
        (RuleId::LearningShared, held_conference_without_learning),
        (
            RuleId::RelatedContexts,
            crate::connections::contexts_sharing_a_child_that_neither_lists,
        ),
        (
            RuleId::ExceptionUnused,
            exception_that_explains_nothing_is_a_warning,
        ),
        (
            RuleId::SuppressionThreshold,
            suppression_threshold_below_two,
        ),
        (
            RuleId::SuppressionConvention,
            suppression_below_the_convention,
        ),
        (RuleId::AreaAddress, area_written_as_a_street_address),
        (RuleId::PeopleListed, people_empty_after_init),
        (
            RuleId::GivenNameWord,
            given_name_that_is_a_word_written_with_a_capital,
        ),
        (
            RuleId::Anonymity,
            crate::summaries::guard_catches_a_person_name,
        ),
        (
            RuleId::PublishedSummary,
            crate::publish::a_changed_published_summary_is_refused_without_reissue,
        ),
    ];
    #[cfg(unix)]
    list.push((RuleId::UnsafeFile, record_linked_from_outside_the_casebook));
    list.push((
        RuleId::Attachment,
        crate::attachments::what_is_not_a_file_of_the_context_is_an_error_where_it_is_named,
    ));
    list
}

#[test]
fn every_rule_in_the_registry_has_a_fixture() {
    let fixtures = fixtures();
    for &id in RuleId::ALL {
        #[cfg(not(unix))]
        if id == RuleId::UnsafeFile {
            continue;
        }
        assert!(
            fixtures.iter().any(|(rule, _)| *rule == id),
            "no fixture for {id}: add a test to tests/e2e/rules.rs and list it in fixtures()"
        );
    }
}

#[cfg(unix)]
#[test]
pub(crate) fn record_linked_from_outside_the_casebook() {
    let cb = TestCasebook::clean();
    let outside = tempfile::tempdir().expect("temp dir");
    let secret = outside.path().join("plan.yaml");
    std::fs::write(&secret, "goals: []\n").expect("write");
    let plan = cb.path().join("cases/harbour-walk/plan.yaml");
    std::fs::remove_file(&plan).expect("remove");
    std::os::unix::fs::symlink(&secret, &plan).expect("link");
    let (exit, report) = cb.check_json();
    let d = report.only("unsafe-file");
    assert_eq!(d.kind, "error", "{d:#?}");
    assert_eq!(d.file, "cases/harbour-walk/plan.yaml", "{d:#?}");
    assert_eq!((d.line, d.column), (1, 1), "{d:#?}");
    assert_eq!(exit, 1);
}

#[test]
pub(crate) fn hidden_conference_file() {
    let cb = TestCasebook::clean();
    let file = "cases/harbour-walk/conferences/.2026-12-01-interim.md";
    cb.write(file, "---\nkind: interim\n---\n");
    let (exit, report) = cb.check_json();
    let d = report.only("hidden-file");
    assert_eq!(d.kind, "warning", "{d:#?}");
    assert_eq!(d.file, file, "{d:#?}");
    assert_eq!(exit, 0);
}

#[test]
pub(crate) fn meeting_marked_held_before_its_date() {
    let cb = TestCasebook::clean();
    // 8 September: the 9 September review is recorded as held a day early.
    let (code, report) = cb.check_json_on("2026-09-08");
    let d = report.only("held-date");
    assert_eq!(
        (d.kind.as_str(), d.file.as_str()),
        ("error", REVIEW),
        "{d:#?}"
    );
    assert_eq!(d.line, line_of(&cb, REVIEW, "status: held"), "{d:#?}");
    assert!(d.message.contains("after today (2026-09-08)"), "{d:#?}");
    assert_eq!(code, 1);
}

#[test]
pub(crate) fn alleged_harmer_the_assessment_never_mentions() {
    let cb = TestCasebook::clean();
    cb.edit(
        ASSESSMENT,
        " YP-B has been approached and has also been asked to bring younger children to the steps.",
        "",
    );
    expect_only(&cb, "harmer-assessed", "warning", CONTEXT, "ref: YP-B", 0);
}

#[test]
fn a_reference_inside_a_longer_one_is_not_a_mention() {
    let cb = TestCasebook::clean();
    cb.edit(
        ASSESSMENT,
        "YP-B has been approached",
        "YP-BX has been approached",
    );
    expect_only(&cb, "harmer-assessed", "warning", CONTEXT, "ref: YP-B", 0);
}

#[test]
pub(crate) fn review_does_not_invite_an_agency_the_chair_required() {
    let cb = TestCasebook::clean();
    cb.edit(
        NEXT,
        "  - { agency: youth-service, name: Detached youth worker }\n",
        "",
    );
    expect_only(&cb, "review-invitations", "breach", NEXT, "invited:", 1);
    let (_, report) = cb.check_json();
    let d = report.only("review-invitations");
    assert!(d.message.contains("youth-service"), "{d:#?}");
    assert!(d.message.contains("2026-09-09"), "{d:#?}");
}

#[test]
pub(crate) fn agency_that_took_part_owns_no_action() {
    let cb = TestCasebook::clean();
    cb.edit(
        PLAN,
        "owner: { agency: education, person: ria-patel }",
        "owner: { agency: youth-service }",
    );
    let (code, report) = cb.check_json();
    let d = report.only("partner-tasks");
    assert_eq!(
        (d.kind.as_str(), d.file.as_str()),
        ("warning", REVIEW),
        "{d:#?}"
    );
    // Its line under `attendance:` in the latest conference it took part in.
    let text = cb.read(REVIEW);
    let lines: Vec<&str> = text.lines().collect();
    let attendance = lines
        .iter()
        .position(|l| l.starts_with("attendance:"))
        .unwrap();
    let line = (attendance..lines.len())
        .find(|&i| lines[i].contains("agency: education"))
        .unwrap();
    assert_eq!(d.line, line as u64 + 1, "{d:#?}");
    assert!(d.message.contains("owns no action"), "{d:#?}");
    assert_eq!(code, 0);
}

#[test]
fn the_chair_alone_is_no_partner_without_a_task() {
    let cb = TestCasebook::clean();
    // The chair's agency owns nothing: chairing is its contribution.
    cb.edit(
        PLAN,
        "owner: { agency: community-safety, person: kim-davies }",
        "owner: { agency: police, person: sam-lee }",
    );
    let (code, report) = cb.check_json();
    assert_eq!(report.diagnostics(), vec![]);
    assert_eq!(code, 0);
}

#[test]
pub(crate) fn open_action_with_no_update_before_the_conference() {
    let cb = TestCasebook::clean();
    cb.edit(
        PLAN,
        "    updates:\n      - { date: 2026-09-02, note: July and August counts collected. }\n",
        "",
    );
    expect_only(&cb, "plan-oversight", "warning", PLAN, "id: a4", 0);
    let (_, report) = cb.check_json();
    let d = report.only("plan-oversight");
    assert!(
        d.message
            .contains("review on 2026-09-09 with no update since the meeting on 2026-07-15"),
        "{d:#?}"
    );
}

#[test]
fn an_update_after_the_conference_does_not_count_for_it() {
    let cb = TestCasebook::clean();
    cb.edit(
        PLAN,
        "{ date: 2026-09-02, note: July",
        "{ date: 2026-09-10, note: July",
    );
    expect_only(&cb, "plan-oversight", "warning", PLAN, "id: a4", 0);
}

/// Action a4's measure, written with a level and readings.
fn a4_measure_read(level: &str) -> String {
    format!(
        "    measure:\n      what: Approaches reported per month against the June baseline\n      level: {level}\n      unit: approaches a month\n      better: down\n      readings:\n        - {{ date: 2026-06-30, value: 9 }}\n        - {{ date: 2026-09-30, value: 5, note: After the lighting }}\n"
    )
}

const A4_MEASURE: &str = "    measure: Approaches reported per month against the June baseline\n";

#[test]
pub(crate) fn outcome_measures_that_measure_only_individuals() {
    let cb = TestCasebook::clean();
    cb.edit(PLAN, A4_MEASURE, &a4_measure_read("individual"));
    expect_only(
        &cb,
        "context-measure",
        "warning",
        PLAN,
        "what: Approaches",
        0,
    );
}

#[test]
fn a_measure_of_the_context_with_readings_checks_clean_and_is_charted() {
    let cb = TestCasebook::clean();
    cb.edit(PLAN, A4_MEASURE, &a4_measure_read("context"));
    let (code, report) = cb.check_json();
    assert_eq!(report.diagnostics(), vec![]);
    assert_eq!(code, 0);
    cb.build_ok();
    let read = |p: &str| std::fs::read_to_string(cb.path().join(p)).expect(p);
    let said = "Baseline 9 approaches a month on 30 Jun 2026; latest 5 approaches a month on 30 Sep 2026: improving.";
    for page in [
        "output/restricted/harbour-walk/action-plan.html",
        "output/restricted/harbour-walk/index.html",
    ] {
        let html = read(page);
        assert!(html.contains("<polyline points="), "{page}");
        assert!(html.contains(said), "{page}");
        assert!(html.contains("Context measure."), "{page}");
    }
    // The quarter's summary counts the measure as improving.
    let csv = read("output/anonymised/2026-Q3/safer-plymouth.csv");
    assert!(
        csv.contains("outcome-measures,improving,Outcome measures improving,count,1,"),
        "{csv}"
    );
    assert!(csv.contains("outcome-measures,of-the-context,"), "{csv}");
}

#[test]
fn readings_without_a_direction_or_with_a_word_for_a_value_are_schema_errors() {
    let cb = TestCasebook::clean();
    let measure = a4_measure_read("context")
        .replace("      better: down\n", "")
        .replace("value: 5,", "value: five,");
    cb.edit(PLAN, A4_MEASURE, &measure);
    let (code, report) = cb.check_json();
    let found: Vec<(String, u64, String)> = report
        .diagnostics()
        .into_iter()
        .map(|d| (d.rule, d.line, d.message))
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|(r, _, _)| r == "schema"), "{found:#?}");
    assert!(
        found
            .iter()
            .any(|(_, l, m)| *l == line_of(&cb, PLAN, "value: five")
                && m.contains("must be a number"))
    );
    assert!(
        found
            .iter()
            .any(|(_, _, m)| m.contains("does not say which way is better"))
    );
    assert_eq!(code, 1);
}

#[test]
fn a_summary_without_readings_has_no_outcome_measure_rows() {
    let cb = TestCasebook::clean();
    cb.build_ok();
    let csv = std::fs::read_to_string(
        cb.path()
            .join("output/anonymised/2026-Q3/safer-plymouth.csv"),
    )
    .expect("csv");
    assert!(!csv.contains("outcome-measures"), "{csv}");
}
