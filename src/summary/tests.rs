//! The summaries of a casebook where every number is known: written to a
//! temporary folder, loaded and checked with `check_casebook`, then counted.
//!
//! The casebook (today is 2026-08-01):
//!
//! | context | type | area | opened | closed | harms |
//! |---|---|---|---|---|---|
//! | harbour-walk (A) | neighbourhood | Waterside | 2026-01-10 | | criminal-exploitation, county-lines |
//! | drake-school (B) | school | St Budeaux | 2026-02-01 | | child-on-child-abuse |
//! | north-prospect (C) | peer-group | Ham | 2025-11-01 | 2026-04-15 | criminal-exploitation |
//! | plym-chat (D) | online | Citywide | 2026-07-01 | | online-abuse |
//! | old-park (E) | neighbourhood | Waterside | 2025-06-01 | 2026-03-31 | missing |
//!
//! Meetings (held unless said):
//! - A: 2026-01-20 initial (review 03-31; learning county-lines+grooming to
//!   safer-plymouth); 03-31 review (review 06-10; county-lines to
//!   mace-operational); 04-01 interim (county-lines+displacement to
//!   safer-plymouth); 06-10 review MOVED to 06-20 (within 14 days); 06-20
//!   review (review 09-15; displacement to safer-plymouth and mace-strategic,
//!   and an item to mace-strategic only that names a young person's surname);
//!   09-15 review scheduled.
//! - B: 03-10 initial (review 05-12; harmful-sexual-behaviour to
//!   mace-operational); 05-12 review (review 08-04; an absent agency not
//!   represented, explained as `representation`; harmful-sexual-behaviour +
//!   online-sharing to safer-plymouth).
//! - C: 2025-12-01 initial (review 2026-02-20, whose `review-held` breach is
//!   explained in this file); 2026-02-20 review CANCELLED; 03-05 interim.
//! - D: 07-14 initial (review 07-28, never held); 07-20 review MOVED to
//!   08-20 (31 days: not within).
//! - E: no meetings.

use super::aggregate::{
    ActionRow, Count, ThemeCount, Trend, children_counts, compare_themes, theme_counts,
};
use super::guard::{Guard, Term, TermKind, forbidden_terms, json_text, leak_diagnostic};
use super::quarter::{Quarter, quarters_with_held_meetings};
use super::suppress::Cell::{Count as N, Suppressed as C};
use super::{all_summaries, summary_for};
use crate::diagnostic::Kind;
use crate::rule_id::RuleId;
use crate::{Checked, check_casebook};
use std::collections::BTreeMap;
use std::path::Path;

const SETTINGS: &str = "\
partnership: Test Partnership
agencies:
  - { id: csc, name: Children's Social Care, core: true }
  - { id: education, name: Education, core: true }
  - { id: police, name: Devon and Cornwall Police, core: true }
  - { id: community-safety, name: Community Safety Partnership, core: true }
  - { id: youth-service, name: Youth Service }
people:
  - { id: kim-davies, name: Kim Davies, agency: community-safety, roles: [community-safety-partnership-manager] }
  - { id: jo-smith, name: Jo Smith, agency: csc }
  - { id: ria-patel, name: Ria Patel, agency: education, roles: [dsl] }
  - { id: helen-tremayne, name: Helen Tremayne, agency: csc, roles: [isro] }
anonymisation:
  suppress_below: SUPPRESS
";

fn context(
    kind: &str,
    title: &str,
    area: &str,
    opened: &str,
    closed: &str,
    harms: &str,
    yps: &[(&str, &str, u32, &str)],
) -> String {
    let mut s = format!(
        "type: {kind}\ntitle: {title}\narea: {area}\nopened: {opened}\n{closed}lead_practitioner: jo-smith\nharms: [{harms}]\nyoung_people:\n"
    );
    for (r, name, age, role) in yps {
        s.push_str(&format!(
            "  - ref: {r}\n    name: {name}\n    age: {age}\n    role: {role}\n"
        ));
    }
    s
}

/// A meeting file: `extra` is more front matter (review, learning, moved...).
fn meeting(kind: &str, date: &str, status: &str, chair: &str, extra: &str) -> String {
    let chair = if kind == "interim" {
        String::new()
    } else {
        format!("chair: {chair}\nchair_role: {}\n", role_of(chair))
    };
    let held = if status == "held" {
        "attendance:\n  - { agency: csc, person: jo-smith }\n  - { agency: police, name: PC Lee }\n\
         confidentiality_statement_read: true\nplan_shared_verbally: true\npartner_reports: [csc, police]\n"
    } else {
        ""
    };
    format!(
        "---\nkind: {kind}\ndate: {date}\nstart: \"10:00\"\nend: \"12:00\"\nvenue: Hall\n{chair}status: {status}\n\
         invited:\n  - {{ agency: csc, person: jo-smith }}\n  - {{ agency: police, name: PC Lee }}\n{held}{extra}---\nMinutes.\n"
    )
}

fn role_of(chair: &str) -> &'static str {
    match chair {
        "kim-davies" => "community-safety-partnership-manager",
        "ria-patel" => "dsl",
        _ => "isro",
    }
}

fn review(date: &str) -> String {
    format!("review:\n  date: {date}\n  agencies: [csc, police]\n  invitations_by: jo-smith\n")
}

fn learning(items: &[(&str, &str, &str)]) -> String {
    let mut s = String::from("learning:\n");
    for (text, forums, themes) in items {
        s.push_str(&format!(
            "  - text: {text}\n    forums: [{forums}]\n    themes: [{themes}]\n"
        ));
    }
    s
}

fn moved(to: &str) -> String {
    format!("moved:\n  to: {to}\n  chair_consent: true\n  reason: Venue flooded\n")
}

const PLAN_A: &str = "\
goals: [{ id: g1, text: Safer harbour }]
actions:
  - { id: a1, domain: target, action: Light the steps, owner: { agency: community-safety }, agreed: 2026-01-20, due: 2026-04-30, status: done, done: 2026-04-20 }
  - { id: a2, domain: legislative-framework, action: Apply for an order, owner: { agency: police }, agreed: 2026-03-31, due: 2026-05-31, status: in-progress }
  - { id: a3, domain: partnerships, action: Brief cafe owners, owner: { agency: youth-service }, agreed: 2026-04-01, due: 2026-06-30, status: done, done: 2026-07-05 }
  - { id: a4, domain: outcomes, action: Count approaches, owner: { agency: csc }, agreed: 2026-06-20, due: 2026-09-30, status: planned, measure: Approaches a month }
  - { id: a5, domain: target, action: Cut the hedge, owner: { agency: community-safety }, agreed: 2026-04-01, due: 2026-05-01, status: dropped }
";

const PLAN_B: &str = "\
goals: [{ id: g1, text: Safer school }]
actions:
  - { id: b1, domain: target, action: Supervise the yard, owner: { agency: education }, agreed: 2026-05-12, due: 2026-06-01, status: done, done: 2026-06-15 }
  - { id: b2, domain: outcomes, action: Survey pupils, owner: { agency: csc }, agreed: 2026-03-10, due: 2026-06-30, status: done, done: 2026-06-30, measure: Survey }
";

const PLAN_C: &str = "\
goals: [{ id: g1, text: Safer group }]
actions:
  - { id: c1, domain: partnerships, action: Mentoring, owner: { agency: police }, agreed: 2025-12-01, due: 2026-03-01, status: in-progress }
";

/// Writes the casebook described at the top of this file.
fn write_casebook(root: &Path, suppress_below: u32) {
    let mut files: Vec<(String, String)> = vec![(
        "contextpack.yaml".into(),
        SETTINGS.replace("SUPPRESS", &suppress_below.to_string()),
    )];
    let mut add = |path: &str, text: String| files.push((path.to_string(), text));
    let a = "cases/harbour-walk";
    add(
        &format!("{a}/context.yaml"),
        context(
            "neighbourhood",
            "Harbour Walk and the Quay Steps",
            "Waterside",
            "2026-01-10",
            "",
            "criminal-exploitation, county-lines",
            &[
                ("YP-A", "Jordan Example", 15, "affected"),
                ("YP-B", "Casey Sample", 16, "both"),
                ("YP-C", "Alex Thorne", 12, "affected"),
            ],
        ),
    );
    add(&format!("{a}/plan.yaml"), PLAN_A.into());
    add(
        &format!("{a}/conferences/2026-01-20-initial.md"),
        meeting(
            "initial",
            "2026-01-20",
            "held",
            "kim-davies",
            &(review("2026-03-31")
                + &learning(&[(
                    "Older males approach younger children.",
                    "safer-plymouth",
                    "county-lines, grooming",
                )])),
        ),
    );
    add(
        &format!("{a}/conferences/2026-03-31-review.md"),
        meeting(
            "review",
            "2026-03-31",
            "held",
            "kim-davies",
            &(review("2026-06-10")
                + &learning(&[(
                    "Deliveries start at the station.",
                    "mace-operational",
                    "county-lines",
                )])),
        ),
    );
    add(
        &format!("{a}/conferences/2026-04-01-interim.md"),
        meeting(
            "interim",
            "2026-04-01",
            "held",
            "",
            &learning(&[(
                "Approaches moved to the car park.",
                "safer-plymouth",
                "county-lines, displacement",
            )]),
        ),
    );
    add(
        &format!("{a}/conferences/2026-06-10-review.md"),
        meeting(
            "review",
            "2026-06-10",
            "moved",
            "kim-davies",
            &moved("2026-06-20"),
        ),
    );
    add(
        &format!("{a}/conferences/2026-06-20-review.md"),
        meeting(
            "review",
            "2026-06-20",
            "held",
            "kim-davies",
            &(review("2026-09-15")
                + &learning(&[
                    (
                        "Lighting displaced approaches to the car park.",
                        "safer-plymouth, mace-strategic",
                        "displacement",
                    ),
                    (
                        "The shop run by Mr Example's family is a meeting point.",
                        "mace-strategic",
                        "",
                    ),
                ])),
        ),
    );
    add(
        &format!("{a}/conferences/2026-09-15-review.md"),
        meeting("review", "2026-09-15", "scheduled", "kim-davies", ""),
    );

    let b = "cases/drake-school";
    add(
        &format!("{b}/context.yaml"),
        context(
            "school",
            "Drake School",
            "St Budeaux",
            "2026-02-01",
            "",
            "child-on-child-abuse",
            &[
                ("YP-D", "Dee Fairweather", 14, "alleged-harmer"),
                ("YP-E", "Eve Quillon", 13, "affected"),
                ("YP-F", "Fay Marsh", 17, "affected"),
                ("YP-G", "Gus Penrose", 19, "affected"),
            ],
        ),
    );
    add(&format!("{b}/plan.yaml"), PLAN_B.into());
    add(
        &format!("{b}/conferences/2026-03-10-initial.md"),
        meeting(
            "initial",
            "2026-03-10",
            "held",
            "ria-patel",
            &(review("2026-05-12")
                + &learning(&[(
                    "Harmful sexual behaviour in year 9.",
                    "mace-operational",
                    "harmful-sexual-behaviour",
                )])),
        ),
    );
    let b_review = meeting(
        "review",
        "2026-05-12",
        "held",
        "ria-patel",
        &(review("2026-08-04")
            + "exceptions:\n  - rule: representation\n    reason: Police called to an incident.\n"
            + &learning(&[(
                "Image sharing moved from school to evening group chats.",
                "safer-plymouth",
                "harmful-sexual-behaviour, online-sharing",
            )])),
    )
    .replace(
        "  - { agency: police, name: PC Lee }\nconfidentiality",
        "  - { agency: police, absent: true }\nconfidentiality",
    );
    add(&format!("{b}/conferences/2026-05-12-review.md"), b_review);

    let c = "cases/north-prospect";
    add(
        &format!("{c}/context.yaml"),
        context(
            "peer-group",
            "North Prospect Group",
            "Ham",
            "2025-11-01",
            "closed: 2026-04-15\n",
            "criminal-exploitation",
            &[
                ("YP-H", "Hal Borlase", 15, "alleged-harmer"),
                ("YP-A", "Jordan Example", 15, "alleged-harmer"),
            ],
        ),
    );
    add(&format!("{c}/plan.yaml"), PLAN_C.into());
    add(
        &format!("{c}/conferences/2025-12-01-initial.md"),
        meeting(
            "initial",
            "2025-12-01",
            "held",
            "helen-tremayne",
            &(review("2026-02-20")
                + "exceptions:\n  - rule: review-held\n    reason: Chair ill; the group was reviewed at the interim.\n"),
        ),
    );
    add(
        &format!("{c}/conferences/2026-02-20-review.md"),
        meeting("review", "2026-02-20", "cancelled", "helen-tremayne", ""),
    );
    add(
        &format!("{c}/conferences/2026-03-05-interim.md"),
        meeting("interim", "2026-03-05", "held", "", ""),
    );

    let d = "cases/plym-chat";
    add(
        &format!("{d}/context.yaml"),
        context(
            "online",
            "Plym Chat",
            "Citywide",
            "2026-07-01",
            "",
            "online-abuse",
            &[("YP-I", "Ivy Jago", 11, "affected")],
        ),
    );
    add(
        &format!("{d}/conferences/2026-07-14-initial.md"),
        meeting(
            "initial",
            "2026-07-14",
            "held",
            "helen-tremayne",
            &(review("2026-07-28")
                + &learning(&[("Groups move to new apps.", "safer-plymouth", "county-lines")])),
        ),
    );
    add(
        &format!("{d}/conferences/2026-07-20-review.md"),
        meeting(
            "review",
            "2026-07-20",
            "moved",
            "helen-tremayne",
            &moved("2026-08-20"),
        ),
    );

    let e = "cases/old-park";
    add(
        &format!("{e}/context.yaml"),
        context(
            "neighbourhood",
            "Old Park",
            "Waterside",
            "2025-06-01",
            "closed: 2026-03-31\n",
            "missing",
            &[("YP-J", "Jay Tonkin", 15, "affected")],
        ),
    );

    for (path, text) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    checked: Checked,
}

fn fixture(suppress_below: u32) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    write_casebook(dir.path(), suppress_below);
    let today = "2026-08-01".parse().unwrap();
    let checked = check_casebook(dir.path(), Some(today)).unwrap();
    // Every record was read whole: no value was dropped by the loader.
    let unread: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| matches!(d.rule, RuleId::Schema | RuleId::FileName))
        .collect();
    assert!(unread.is_empty(), "{unread:#?}");
    Fixture { _dir: dir, checked }
}

fn q(s: &str) -> Quarter {
    s.parse().unwrap()
}

fn counts(v: &[Count]) -> Vec<(&str, u32)> {
    v.iter().map(|c| (c.key.as_str(), c.count)).collect()
}

fn row(r: &ActionRow) -> (&str, u32, u32, u32, u32) {
    (r.key.as_str(), r.agreed, r.done, r.done_on_time, r.overdue)
}

#[test]
fn the_fixture_checks_as_designed() {
    let f = fixture(6);
    let mut explained: Vec<&str> = f
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.is_explained())
        .map(|d| d.rule.as_str())
        .collect();
    explained.sort_unstable();
    assert_eq!(explained, ["representation", "review-held"]);
    // YP-A, written out alike in two contexts, is one child: no error, and
    // the children test counts them once.
    assert!(
        !f.checked
            .diagnostics
            .iter()
            .any(|d| d.rule == RuleId::Reference && d.message.contains("YP-A"))
    );
}

#[test]
fn quarters_with_a_held_meeting() {
    let f = fixture(6);
    let quarters: Vec<String> = quarters_with_held_meetings(&f.checked.casebook)
        .iter()
        .map(Quarter::to_string)
        .collect();
    assert_eq!(quarters, ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]);
    // Four quarters, three forums (the defaults).
    let all = all_summaries(&f.checked);
    assert_eq!(all.len(), 12);
    assert_eq!(all[0].quarter.to_string(), "2025-Q4");
    assert_eq!(all[0].forum.id, "mace-operational");
    assert!(summary_for(&f.checked, q("2026-Q2"), "no-such-forum").is_none());
}

#[test]
fn contexts_in_the_second_quarter() {
    let f = fixture(6);
    let s = summary_for(&f.checked, q("2026-Q2"), "safer-plymouth").unwrap();
    // A, B and C (closed 15 April); not E (closed 31 March) nor D (opened July).
    assert_eq!(s.contexts.active, 3);
    assert_eq!((s.contexts.opened, s.contexts.closed), (0, 1));
    assert_eq!(
        counts(&s.contexts.by_type),
        [
            ("peer-group", 1),
            ("school", 1),
            ("neighbourhood", 1),
            ("online", 0)
        ]
    );
    let harms: Vec<(&str, u32)> = counts(&s.contexts.by_harm)
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(
        harms,
        [
            ("criminal-exploitation", 2),
            ("county-lines", 1),
            ("child-on-child-abuse", 1)
        ]
    );
    assert_eq!(s.contexts.by_harm.len(), 9, "every harm type, zeros too");
    assert_eq!(
        counts(&s.contexts.by_area),
        [("Ham", 1), ("St Budeaux", 1), ("Waterside", 1)]
    );
    assert_eq!(s.contexts.by_type[0].label, "Peer group");
    assert_eq!(s.contexts.by_harm[0].label, "Criminal exploitation");
}

#[test]
fn meetings_reviews_and_moves_in_the_second_quarter() {
    let f = fixture(6);
    let s = summary_for(&f.checked, q("2026-Q2"), "safer-plymouth").unwrap();
    let m = &s.meetings;
    assert_eq!(
        (
            m.conferences_held,
            m.initial_held,
            m.review_held,
            m.interim_held
        ),
        (2, 0, 2, 1)
    );
    // Due: A on 06-10 (moved, held 06-20: late), B on 05-12 (held: on time).
    let r = &s.reviews;
    assert_eq!(
        (r.due, r.on_time, r.late, r.overdue, r.upcoming),
        (2, 1, 1, 0, 0)
    );
    assert_eq!(
        (s.moved.moved, s.moved.within, s.moved.not_within),
        (1, 1, 0)
    );
    assert_eq!(s.moved.within_days, 14);
    assert_eq!(counts(&s.explained_breaches), [("representation", 1)]);
    assert!(!s.in_progress);
}

#[test]
fn the_quarter_in_progress_counts_up_to_today() {
    let f = fixture(6);
    let s = summary_for(&f.checked, q("2026-Q3"), "safer-plymouth").unwrap();
    assert!(s.in_progress);
    // D's 07-28 review was never held: overdue; A's 09-15 and B's 08-04 are ahead.
    let r = &s.reviews;
    assert_eq!(
        (r.due, r.on_time, r.late, r.overdue, r.upcoming),
        (3, 0, 0, 1, 2)
    );
    // D's review moved from 07-20 to 08-20: 31 days.
    assert_eq!(
        (s.moved.moved, s.moved.within, s.moved.not_within),
        (1, 0, 1)
    );
    // a3 done 07-05, after its due date; a2 still open and past due.
    assert_eq!(row(&s.actions.all), ("all", 0, 1, 0, 1));
    assert_eq!(s.contexts.active, 3, "A, B and D");
    assert_eq!(s.contexts.opened, 1);
}

#[test]
fn explained_breaches_land_in_the_quarter_of_their_meeting() {
    let f = fixture(6);
    let of = |quarter: &str| {
        summary_for(&f.checked, q(quarter), "safer-plymouth")
            .unwrap()
            .explained_breaches
    };
    // The review missed on 2026-02-20 is explained in the file of the
    // 2025-12-01 conference that set it; it belongs to the missed date's quarter.
    assert!(of("2025-Q4").is_empty());
    assert_eq!(counts(&of("2026-Q1")), [("review-held", 1)]);
    assert_eq!(counts(&of("2026-Q2")), [("representation", 1)]);
    assert!(of("2026-Q1")[0].label.contains("review conference"));
}

#[test]
fn actions_in_the_second_quarter() {
    let f = fixture(6);
    let s = summary_for(&f.checked, q("2026-Q2"), "safer-plymouth").unwrap();
    let a = &s.actions;
    // agreed a3 a4 a5 b1; done a1 b1 b2, on time a1 b2; overdue a2 a3
    // (c1 is past due but its context closed on 04-15).
    assert_eq!(row(&a.all), ("all", 4, 3, 2, 2));
    let domains: Vec<_> = a.by_domain.iter().map(row).collect();
    assert_eq!(
        domains,
        [
            ("target", 2, 2, 1, 0),
            ("legislative-framework", 0, 0, 0, 1),
            ("partnerships", 1, 0, 0, 1),
            ("outcomes", 1, 1, 1, 0),
        ]
    );
    let agencies: Vec<_> = a.by_agency.iter().map(row).collect();
    assert_eq!(
        agencies,
        [
            ("csc", 1, 1, 1, 0),
            ("education", 1, 1, 0, 0),
            ("police", 0, 0, 0, 1),
            ("community-safety", 1, 1, 1, 0),
            ("youth-service", 1, 0, 0, 1),
        ]
    );
    assert_eq!(a.by_agency[0].label, "Children's Social Care");
    // In the first quarter (agreed a1 a2 b2) C was open: c1 (due 03-01) is overdue.
    let q1 = summary_for(&f.checked, q("2026-Q1"), "safer-plymouth").unwrap();
    assert_eq!(row(&q1.actions.all), ("all", 3, 0, 0, 1));
}

#[test]
fn children_are_counted_once_by_reference() {
    let f = fixture(6);
    let raw = children_counts(&f.checked.casebook, q("2026-Q2"));
    // YP-A is affected in A and alleged harmer in C: one child, "both".
    //                 10-13 14-15 16-17 other
    assert_eq!(
        raw.cells,
        vec![
            vec![2, 0, 1, 1], // affected: C, E | F | G (19)
            vec![0, 2, 0, 0], // alleged harmer: D, H
            vec![0, 1, 1, 0], // both: A | B
        ]
    );
    // Q3: A, B and D are active (C closed): YP-A is affected only again.
    let q3 = children_counts(&f.checked.casebook, q("2026-Q3"));
    assert_eq!(
        q3.cells,
        vec![vec![3, 1, 1, 1], vec![0, 1, 0, 0], vec![0, 0, 1, 0]]
    );
}

#[test]
fn children_are_published_suppressed() {
    // With the default threshold every non-zero count but the total is small.
    let f = fixture(6);
    let s = summary_for(&f.checked, q("2026-Q2"), "safer-plymouth").unwrap();
    let t = &s.children;
    assert_eq!(
        t.cells,
        vec![
            vec![C, N(0), C, C],
            vec![N(0), C, N(0), N(0)],
            vec![N(0), C, C, N(0)]
        ]
    );
    assert_eq!(t.row_totals, vec![C, C, C]);
    assert_eq!(t.column_totals, vec![C, C, C, C]);
    assert_eq!(t.total, N(8));
    assert_eq!(t.row_labels, ["Affected", "Alleged harmer", "Both"]);
    assert_eq!(t.column_labels, ["10-13", "14-15", "16-17", "Other"]);
}

#[test]
fn the_threshold_comes_from_the_settings() {
    // suppress_below: 2 hides only the ones, and then whatever would give
    // them away: hand-worked in the comment below.
    //   affected  2 0 1 1 | 4        c 0 c c | c
    //   harmer    0 2 0 0 | 2   ->   0 c 0 0 | c
    //   both      0 1 1 0 | 2        0 c c 0 | c
    //             2 3 2 1 | 8        c 3 c c | 8
    // Primary: the four 1s and the column total 1. The totals row then hides
    // 2 (its first smallest), column 0 its 2, column 1 the harmers' 2, the
    // harmers' row its total, the row-total column the next 2. Every line then
    // hides two, but the columns 0 and 3 with the totals row give the 1 at
    // (affected, 16-17) away (C0 + C3 = 3, so 4 - 3 = 1): row "affected"
    // hides its total too. That was as far as hand counting went; the
    // attack also sees the column total 2 of 16-17 over two c, each at
    // least 1: both are exactly 1, so that total is hidden as well.
    let f = fixture(2);
    assert_eq!(f.checked.casebook.settings.suppress_below, 2);
    let s = summary_for(&f.checked, q("2026-Q2"), "safer-plymouth").unwrap();
    let t = &s.children;
    assert_eq!(t.suppress_below, 2);
    assert_eq!(
        t.cells,
        vec![
            vec![C, N(0), C, C],
            vec![N(0), C, N(0), N(0)],
            vec![N(0), C, C, N(0)]
        ]
    );
    assert_eq!(t.row_totals, vec![C, C, C]);
    assert_eq!(t.column_totals, vec![C, N(3), C, C]);
    assert_eq!(t.total, N(8));
    assert!(t.secondary, "a count of 2 or more is hidden");
}

#[test]
fn meetings_on_31_march_and_1_april_fall_in_different_quarters() {
    let f = fixture(6);
    let q1 = summary_for(&f.checked, q("2026-Q1"), "safer-plymouth").unwrap();
    let q2 = summary_for(&f.checked, q("2026-Q2"), "safer-plymouth").unwrap();
    // Q1: A's initial (01-20) and review (03-31), B's initial (03-10); C's interim.
    assert_eq!(
        (q1.meetings.conferences_held, q1.meetings.interim_held),
        (3, 1)
    );
    // Q2: A's interim on 04-01, B's and A's reviews.
    assert_eq!(
        (q2.meetings.conferences_held, q2.meetings.interim_held),
        (2, 1)
    );
    // A's review due on 03-31 was held that day: on time in Q1.
    assert_eq!((q1.reviews.due, q1.reviews.on_time), (2, 1));
    // C's review on 02-20 was cancelled: overdue in Q1.
    assert_eq!(q1.reviews.overdue, 1);
    // E closed on 31 March: active in Q1, not in Q2.
    assert_eq!(q1.contexts.active, 4);
    assert_eq!(q1.contexts.closed, 1);
}

#[test]
fn themes_against_the_previous_quarter() {
    let f = fixture(6);
    let cb = &f.checked.casebook;
    let q1 = theme_counts(cb, q("2026-Q1"), None);
    let q2 = theme_counts(cb, q("2026-Q2"), None);
    let as_vec =
        |m: &BTreeMap<String, u32>| m.iter().map(|(k, v)| (k.clone(), *v)).collect::<Vec<_>>();
    assert_eq!(
        as_vec(&q1),
        [
            ("county-lines".to_string(), 2),
            ("grooming".into(), 1),
            ("harmful-sexual-behaviour".into(), 1)
        ]
    );
    assert_eq!(
        as_vec(&q2),
        [
            ("county-lines".to_string(), 1),
            ("displacement".into(), 2),
            ("harmful-sexual-behaviour".into(), 1),
            ("online-sharing".into(), 1)
        ]
    );
    let s = summary_for(&f.checked, q("2026-Q2"), "safer-plymouth").unwrap();
    let themes: Vec<(&str, u32, u32, Trend)> = s
        .themes
        .iter()
        .map(|t: &ThemeCount| (t.theme.as_str(), t.count, t.previous, t.trend))
        .collect();
    assert_eq!(
        themes,
        [
            // Only the items addressed to safer-plymouth: in Q1 A's
            // (county-lines, grooming); B's two went to mace-operational.
            ("displacement", 2, 0, Trend::New),
            ("county-lines", 1, 1, Trend::Steady),
            ("harmful-sexual-behaviour", 1, 0, Trend::New),
            ("online-sharing", 1, 0, Trend::New),
            ("grooming", 0, 1, Trend::Falling),
        ]
    );
    // Rising, from hand-made counts.
    let before = BTreeMap::from([("a".to_string(), 1)]);
    let now = BTreeMap::from([("a".to_string(), 3)]);
    assert_eq!(compare_themes(&now, &before)[0].trend, Trend::Rising);
    let json = serde_json::to_value(&s.themes[0]).unwrap();
    assert_eq!(json["trend"], "new");
}

#[test]
fn learning_is_attributed_only_as_far_as_enough_contexts_share_it() {
    // 2026-Q1 with a threshold of 2: two neighbourhoods in Waterside, one
    // school in St Budeaux, one peer group in Ham.
    let f = fixture(2);
    let operational = summary_for(&f.checked, q("2026-Q1"), "mace-operational").unwrap();
    let from: Vec<(&str, &str)> = operational
        .learning
        .iter()
        .map(|l| (l.from.as_str(), l.area.as_str()))
        .collect();
    assert_eq!(
        from,
        [
            ("a context", ""),
            ("a neighbourhood context in Waterside", "Waterside"),
        ]
    );
}

#[test]
fn learning_for_each_forum_with_type_and_area_only() {
    let f = fixture(6);
    let safer = summary_for(&f.checked, q("2026-Q2"), "safer-plymouth").unwrap();
    let items: Vec<(&str, &str, &str)> = safer
        .learning
        .iter()
        .map(|l| (l.text.as_str(), l.context_type.as_str(), l.area.as_str()))
        .collect();
    // Three active contexts, no two of a type or an area: below the
    // threshold of 6, an attribution would point at one of them.
    assert_eq!(
        items,
        [
            ("Approaches moved to the car park.", "", ""),
            (
                "Image sharing moved from school to evening group chats.",
                "",
                ""
            ),
            ("Lighting displaced approaches to the car park.", "", ""),
        ]
    );
    assert!(safer.learning.iter().all(|l| l.from == "a context"));
    let operational = summary_for(&f.checked, q("2026-Q2"), "mace-operational").unwrap();
    assert!(operational.learning.is_empty());
    let strategic = summary_for(&f.checked, q("2026-Q2"), "mace-strategic").unwrap();
    assert_eq!(strategic.learning.len(), 2);
    // The rest of a summary does not depend on the forum.
    assert_eq!(strategic.actions, safer.actions);
    // Themes reach only the forums their items name: mace-strategic was
    // sent the lighting item alone.
    let strategic_themes: Vec<(&str, u32)> = strategic
        .themes
        .iter()
        .map(|t| (t.theme.as_str(), t.count))
        .collect();
    assert_eq!(strategic_themes, [("displacement", 1)]);
    assert!(operational.themes.iter().all(|t| t.count == 0));
}

#[test]
fn a_line_of_recent_quarters() {
    let f = fixture(6);
    let s = summary_for(&f.checked, q("2026-Q2"), "safer-plymouth").unwrap();
    let line: Vec<(String, u32, u32, u32, u32)> = s
        .recent
        .iter()
        .map(|p| {
            (
                p.quarter.to_string(),
                p.contexts_active,
                p.conferences_held,
                p.interim_held,
                p.learning_items,
            )
        })
        .collect();
    assert_eq!(
        line,
        [
            ("2025-Q3".to_string(), 1, 0, 0, 0),
            ("2025-Q4".into(), 2, 1, 0, 0),
            ("2026-Q1".into(), 4, 3, 1, 1),
            ("2026-Q2".into(), 3, 2, 1, 3),
        ]
    );
    // Nothing is plotted before the casebook's first record (a context
    // opened in 2025-Q2 here).
    let early = summary_for(&f.checked, q("2025-Q3"), "safer-plymouth").unwrap();
    let quarters: Vec<String> = early.recent.iter().map(|p| p.quarter.to_string()).collect();
    assert_eq!(quarters, ["2025-Q2", "2025-Q3"]);
    // The line counts the learning items the headline counts: this forum's.
    assert_eq!(s.recent.last().map(|p| p.learning_items), Some(3));
    assert_eq!(s.learning.len(), 3);
}

#[test]
fn summaries_are_stable_and_name_nobody() {
    let f = fixture(6);
    let first = serde_json::to_string(&all_summaries(&f.checked)).unwrap();
    let again = serde_json::to_string(&all_summaries(&f.checked)).unwrap();
    assert_eq!(first, again);
    for id in [
        "harbour-walk",
        "drake-school",
        "north-prospect",
        "plym-chat",
        "old-park",
    ] {
        assert!(!first.contains(id), "context id {id} in a summary");
    }
    let terms = forbidden_terms(&f.checked.casebook);
    let guard = Guard::new(&terms);
    // Only the mace-strategic summary of Q2 carries the learning item that
    // names Mr Example.
    for s in all_summaries(&f.checked) {
        let text = json_text(&serde_json::to_value(&s).unwrap());
        let leaks = guard.find(&text);
        let expected = s.quarter == q("2026-Q2") && s.forum.id == "mace-strategic";
        assert_eq!(
            !leaks.is_empty(),
            expected,
            "{} {}: {leaks:?}",
            s.quarter,
            s.forum.id
        );
    }
}

#[test]
fn the_guard_points_at_the_record_of_the_name() {
    let f = fixture(6);
    let cb = &f.checked.casebook;
    let terms = forbidden_terms(cb);
    let kinds = |k: TermKind| terms.iter().filter(|t| t.kind == k).count();
    let of_people = |k: TermKind| {
        let people = terms.iter().filter(|t| t.subject.starts_with("person "));
        people.filter(|t| t.kind == k).count()
    };
    assert_eq!(of_people(TermKind::PersonName), 4);
    assert_eq!(of_people(TermKind::PersonSurname), 4);
    // Names written in the meetings' records, each with its surname, and
    // each pointing at the meeting file it is written in.
    let written: Vec<&Term> = terms
        .iter()
        .filter(|t| t.subject.starts_with("a person named in context "))
        .collect();
    assert!(!written.is_empty());
    assert_eq!(
        written
            .iter()
            .filter(|t| t.kind == TermKind::PersonName)
            .count(),
        written
            .iter()
            .filter(|t| t.kind == TermKind::PersonSurname)
            .count()
    );
    assert!(
        written
            .iter()
            .all(|t| t.file.contains("/conferences/") || t.file.ends_with("plan.yaml"))
    );
    assert_eq!(kinds(TermKind::ContextTitle), 5);
    // Each full name as written and run together ("jordanexample").
    assert_eq!(kinds(TermKind::YoungPersonName), 22);
    assert_eq!(kinds(TermKind::YoungPersonSurname), 11);
    // Each ref as written, run together and spaced: YP-A, YPA, YP A.
    assert_eq!(kinds(TermKind::YoungPersonRef), 33);

    let s = summary_for(&f.checked, q("2026-Q2"), "mace-strategic").unwrap();
    let path = "anonymised/2026-Q2/mace-strategic.json";
    let text = json_text(&serde_json::to_value(&s).unwrap());
    let leaks = Guard::new(&terms).find(&text);
    // Jordan Example is YP-A in two contexts: the surname is found for both.
    assert_eq!(leaks.len(), 2);
    let d = leak_diagnostic(&leaks[0], path);
    assert_eq!((d.rule, d.kind), (RuleId::Anonymity, Kind::Error));
    assert_eq!(
        cb.sources.path(d.loc.file),
        "cases/harbour-walk/context.yaml"
    );
    let line = cb
        .sources
        .get(d.loc.file)
        .expect("a file of the map")
        .line_text(d.loc.line)
        .unwrap();
    assert_eq!(line.trim(), "name: Jordan Example");
    assert!(d.message.starts_with(
        "the anonymised summary anonymised/2026-Q2/mace-strategic.json contains the surname of young person YP-A (cases/harbour-walk/context.yaml)"
    ));
    let other = leak_diagnostic(&leaks[1], path);
    assert_eq!(
        cb.sources.path(other.loc.file),
        "cases/north-prospect/context.yaml"
    );
}

#[test]
fn the_guard_finds_every_route_of_a_leak() {
    let f = fixture(6);
    let guard = Guard::new(&forbidden_terms(&f.checked.casebook));
    let hit = |text: &str| -> Vec<(TermKind, String)> {
        guard
            .find(text)
            .into_iter()
            .map(|l| (l.term.kind, l.term.subject.to_string()))
            .collect()
    };
    let person = || {
        [
            (TermKind::PersonName, "person kim-davies".to_string()),
            (TermKind::PersonSurname, "person kim-davies".to_string()),
        ]
    };
    assert_eq!(hit("chaired by KIM\n DAVIES"), person());
    assert_eq!(hit("Kim Davies’s team"), person());
    let title = (TermKind::ContextTitle, "context drake-school".to_string());
    assert_eq!(hit("at drake\nschool today"), [title]);
    assert_eq!(
        hit("Casey Sample's friends"),
        [
            (TermKind::YoungPersonName, "young person YP-B".to_string()),
            (
                TermKind::YoungPersonSurname,
                "young person YP-B".to_string()
            ),
            (
                TermKind::YoungPersonGivenName,
                "young person YP-B".to_string()
            ),
        ]
    );
    // A first name alone points at a child too...
    assert_eq!(
        hit("Casey was seen at the gates"),
        [(
            TermKind::YoungPersonGivenName,
            "young person YP-B".to_string()
        )]
    );
    // ...unless it is an ordinary word: Ivy Jago is found by her full name
    // and surname only, so "ivy" on a wall is no leak.
    assert!(hit("ivy on the walls").is_empty());
    assert_eq!(hit("Ivy Jago").len(), 2);
    assert_eq!(
        hit("ref yp-i said"),
        [(TermKind::YoungPersonRef, "young person YP-I".to_string())]
    );
    assert!(hit("Drake School's").len() == 1);
    assert!(hit("Samples of work; Drakes School; exampled").is_empty());
}
