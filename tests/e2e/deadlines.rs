//! One reading of "is this review on time": rule `review-held`, `status`,
//! the dashboard, the calendar and the quarterly summaries agree on a
//! casebook whose reviews were moved, cancelled, or fell on an interim
//! meeting's day (all of them read `deadline::review`).

use crate::common::TestCasebook;
use serde_json::Value;
use std::path::Path;

const CONFERENCES: &str = "cases/harbour-walk/conferences";
/// Agreed at the initial conference for 2026-09-09.
const FIRST_REVIEW: &str = "cases/harbour-walk/conferences/2026-09-09-review.md";
/// Agreed at the first review for 2026-12-02.
const NEXT_REVIEW: &str = "cases/harbour-walk/conferences/2026-12-02-review.md";

/// Records `file`'s meeting as moved to `to` (with the chair's consent), and
/// writes the record of `to` as `file` was, under `status`.
fn move_to(cb: &TestCasebook, file: &str, from: &str, to: &str, status: &str) {
    let original = cb.read(file);
    let old_status = ["status: held\n", "status: scheduled\n"]
        .into_iter()
        .find(|s| original.contains(s))
        .expect("a held or scheduled meeting");
    cb.write(
        &format!("{CONFERENCES}/{to}-review.md"),
        original
            .replacen(&format!("date: {from}"), &format!("date: {to}"), 1)
            .replace(old_status, &format!("status: {status}\n")),
    );
    // The front matter as planned: up to attendance (what happened) or its end.
    let moved = original
        .lines()
        .enumerate()
        .take_while(|(i, l)| !l.starts_with("attendance:") && (*i == 0 || *l != "---"))
        .map(|(_, l)| l)
        .filter(|l| *l != old_status.trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    cb.write(
        file,
        format!(
            "{moved}\nstatus: moved\nmoved:\n  to: {to}\n  chair_consent: true\n  reason: Venue flooded\n---\n"
        ),
    );
}

/// The first review (2026-09-09) moved a week and held on 2026-09-16; the
/// review it agreed stays on 2026-12-02.
fn first_review_moved_and_held() -> TestCasebook {
    let cb = TestCasebook::clean();
    move_to(&cb, FIRST_REVIEW, "2026-09-09", "2026-09-16", "held");
    let plan = cb.read("cases/harbour-walk/plan.yaml");
    cb.write(
        "cases/harbour-walk/plan.yaml",
        plan.replace("agreed: 2026-09-09", "agreed: 2026-09-16"),
    );
    cb
}

/// A held interim meeting on `date`, as the one of 2026-07-15.
fn interim_on(cb: &TestCasebook, date: &str) {
    let interim = cb
        .read(&format!("{CONFERENCES}/2026-07-15-interim.md"))
        .replace("date: 2026-07-15", &format!("date: {date}"));
    cb.write(&format!("{CONFERENCES}/{date}-interim.md"), interim);
}

/// Explains the `review-held` breach at the review date that 2026-09-16's
/// review agreed, so the casebook builds.
fn explain_missed_review(cb: &TestCasebook) {
    cb.edit(
        &format!("{CONFERENCES}/2026-09-16-review.md"),
        "learning:\n",
        "exceptions:\n  - rule: review-held\n    reason: The chair was taken ill; the review is being rearranged.\nlearning:\n",
    );
}

fn check(cb: &TestCasebook, today: &str) -> Vec<(String, String, String)> {
    let (_, report) = cb.check_json_on(today);
    report
        .diagnostics()
        .into_iter()
        .filter(|d| d.rule == "review-held")
        .map(|d| (d.file.clone(), d.kind.clone(), d.message.clone()))
        .collect()
}

/// `status --format json`'s reviews: `(agreed_at, date, state)`.
fn status(cb: &TestCasebook, today: &str) -> Vec<(String, String, String)> {
    let out = cb
        .cmd(&["status", "--today", today, "--format", "json"])
        .output()
        .expect("run status");
    let v: Value = serde_json::from_slice(&out.stdout).expect("status JSON");
    v["reviews"]
        .as_array()
        .expect("reviews")
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
            (s("agreed_at"), s("date"), s("state"))
        })
        .collect()
}

/// The dashboard's "Reviews due" section, as text.
fn dashboard_reviews(out: &Path) -> String {
    let html = std::fs::read_to_string(out.join("index.html")).expect("dashboard");
    let start = html.find("<h2 id=\"reviews\">").expect("reviews section");
    let rest = &html[start..];
    let section = &rest[..rest[4..].find("<h2").map_or(rest.len(), |e| e + 4)];
    let mut text = String::new();
    let mut in_tag = false;
    for ch in section.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(ch),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The all-day date (`YYYYMMDD`) and description of the calendar's review
/// deadline for the conference `agreed_at` (`2026-06-10-initial`).
fn calendar_review(out: &Path, agreed_at: &str) -> (String, String) {
    let ics = std::fs::read_to_string(out.join("calendar.ics")).expect("calendar");
    let ics = ics.replace("\r\n ", "");
    let uid = format!("UID:review/harbour-walk/{agreed_at}@contextpack");
    let event = ics
        .split("BEGIN:VEVENT")
        .find(|e| e.contains(&uid))
        .unwrap_or_else(|| panic!("no review deadline for {agreed_at}"));
    let prop = |name: &str| {
        event
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or("")
            .to_string()
    };
    (prop("DTSTART;VALUE=DATE:"), prop("DESCRIPTION:"))
}

/// `reviews` and `conferences-moved` counts of a quarter's summary CSV.
fn summary_counts(out: &Path, quarter: &str) -> Vec<(String, String)> {
    let csv =
        std::fs::read_to_string(out.join(format!("anonymised/{quarter}/mace-operational.csv")))
            .expect("summary CSV");
    csv.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f.len() == 8 && (f[2] == "reviews" || f[2] == "conferences-moved"))
                .then(|| (format!("{}/{}", f[2], f[3]), f[6].to_string()))
        })
        .collect()
}

fn count(counts: &[(String, String)], key: &str) -> String {
    counts
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("no {key} in {counts:?}"))
}

#[test]
fn a_review_moved_and_held_is_late_but_not_overdue_everywhere() {
    let cb = first_review_moved_and_held();
    // Within `status`'s 28 days of the next review.
    let today = "2026-11-10";
    assert_eq!(check(&cb, today), vec![], "the rule: nothing missed");
    assert_eq!(
        status(&cb, today),
        vec![(
            "2026-09-16".to_string(),
            "2026-12-02".to_string(),
            "scheduled".to_string()
        )],
        "status: the review the held (moved) review agreed"
    );
    cb.build_ok_at(today);
    let out = cb.path().join("output");
    let dashboard = dashboard_reviews(&out);
    assert!(dashboard.contains("Scheduled"), "{dashboard}");
    assert!(!dashboard.contains("Overdue"), "{dashboard}");
    let (date, description) = calendar_review(&out, "2026-06-10-initial");
    assert_eq!(date, "20260916", "the calendar follows the move");
    assert!(
        description.contains("moved from 2026-09-09"),
        "{description}"
    );
    let q3 = summary_counts(&out, "2026-Q3");
    assert_eq!(count(&q3, "reviews/due"), "1");
    assert_eq!(count(&q3, "reviews/on-time"), "0");
    assert_eq!(count(&q3, "reviews/late"), "1", "moved and held: late");
    assert_eq!(count(&q3, "reviews/overdue"), "0");
    assert_eq!(count(&q3, "conferences-moved/moved"), "1");
    assert_eq!(count(&q3, "conferences-moved/within"), "1");
}

#[test]
fn a_moved_review_whose_new_date_passed_is_overdue_everywhere() {
    let cb = first_review_moved_and_held();
    move_to(&cb, NEXT_REVIEW, "2026-12-02", "2026-12-09", "scheduled");
    // Summaries cover quarters with a held meeting: an interim in November.
    interim_on(&cb, "2026-11-18");
    let today = "2026-12-10";
    let found = check(&cb, today);
    assert_eq!(found.len(), 1, "{found:?}");
    let (file, kind, message) = &found[0];
    assert_eq!(file, "cases/harbour-walk/conferences/2026-09-16-review.md");
    assert_eq!(kind, "breach");
    assert!(
        message.contains("moved to 2026-12-09") && message.contains("still marked scheduled"),
        "the rule follows the move: {message}"
    );
    assert_eq!(
        status(&cb, today),
        vec![(
            "2026-09-16".to_string(),
            "2026-12-09".to_string(),
            "overdue".to_string()
        )]
    );
    explain_missed_review(&cb);
    cb.build_ok_at(today);
    let out = cb.path().join("output");
    let dashboard = dashboard_reviews(&out);
    assert!(dashboard.contains("Overdue"), "{dashboard}");
    let (date, description) = calendar_review(&out, "2026-09-16-review");
    assert_eq!(date, "20261209");
    assert!(
        description.contains("moved from 2026-12-02"),
        "{description}"
    );
    let q4 = summary_counts(&out, "2026-Q4");
    assert_eq!(count(&q4, "reviews/due"), "1");
    assert_eq!(count(&q4, "reviews/late"), "0");
    assert_eq!(count(&q4, "reviews/overdue"), "1");
    assert_eq!(count(&q4, "reviews/upcoming"), "0");
    assert_eq!(count(&q4, "conferences-moved/moved"), "1");
    assert_eq!(count(&q4, "conferences-moved/within"), "1");
}

#[test]
fn a_cancelled_review_on_an_interim_meetings_day_is_overdue_everywhere() {
    let cb = first_review_moved_and_held();
    cb.edit(NEXT_REVIEW, "status: scheduled\n", "status: cancelled\n");
    interim_on(&cb, "2026-12-02");
    let today = "2026-12-10";
    let found = check(&cb, today);
    assert_eq!(found.len(), 1, "{found:?}");
    let message = &found[0].2;
    assert!(
        message.contains("was cancelled and no review was held")
            && message.contains("the interim meeting on that date does not count"),
        "{message}"
    );
    assert_eq!(
        status(&cb, today),
        vec![(
            "2026-09-16".to_string(),
            "2026-12-02".to_string(),
            "overdue".to_string()
        )]
    );
    explain_missed_review(&cb);
    cb.build_ok_at(today);
    let out = cb.path().join("output");
    assert!(dashboard_reviews(&out).contains("Overdue"));
    let (date, _) = calendar_review(&out, "2026-09-16-review");
    assert_eq!(date, "20261202", "a cancelled review keeps its deadline");
    let q4 = summary_counts(&out, "2026-Q4");
    assert_eq!(count(&q4, "reviews/due"), "1");
    assert_eq!(
        count(&q4, "reviews/on-time"),
        "0",
        "the interim is not the review"
    );
    assert_eq!(count(&q4, "reviews/overdue"), "1");
}
