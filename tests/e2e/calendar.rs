//! `output/calendar.ics` end to end: built by the binary, read back with an
//! iCalendar parser (the `icalendar` crate), and checked against RFC 5545's
//! form: CRLF, folding, escaping, stable UIDs.

use crate::common::{TODAY, TestCasebook};
use icalendar::{Calendar, CalendarDateTime, Component, DatePerhapsTime, Event, EventLike};
use std::collections::BTreeMap;

const ICS: &str = "output/calendar.ics";

/// Builds the casebook on [`TODAY`]; `--keep-going` so a fixture with a
/// held-back context still writes its calendar.
fn build(cb: &TestCasebook) -> String {
    // A build that writes nothing must not pass for one that wrote this.
    let _ = std::fs::remove_dir_all(cb.path().join("output"));
    let out = cb
        .cmd(&["build", "--today", TODAY, "--keep-going"])
        .output()
        .expect("run contextpack build");
    std::fs::read_to_string(cb.path().join(ICS)).unwrap_or_else(|e| {
        panic!(
            "no calendar ({e}); build said:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn parse(ics: &str) -> Calendar {
    ics.parse::<Calendar>()
        .unwrap_or_else(|e| panic!("calendar.ics does not parse: {e}\n{ics}"))
}

/// The events by UID.
fn events(cal: &Calendar) -> BTreeMap<String, Event> {
    cal.events()
        .map(|e| {
            (
                e.get_uid().expect("every event has a UID").to_string(),
                e.clone(),
            )
        })
        .collect()
}

fn event<'a>(events: &'a BTreeMap<String, Event>, uid: &str) -> &'a Event {
    events
        .get(uid)
        .unwrap_or_else(|| panic!("no event {uid}; have {:?}", events.keys()))
}

fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn local(s: &str, hm: (u32, u32)) -> DatePerhapsTime {
    DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone {
        date_time: date(s).and_hms_opt(hm.0, hm.1, 0).expect("time"),
        tzid: "Europe/London".to_string(),
    })
}

#[test]
fn every_conference_review_date_and_open_action() {
    let cal = parse(&build(&TestCasebook::clean()));
    let events = events(&cal);
    let uids: Vec<&str> = events.keys().map(String::as_str).collect();
    assert_eq!(
        uids,
        [
            "action/harbour-walk/a2@contextpack",
            "action/harbour-walk/a3@contextpack",
            "action/harbour-walk/a4@contextpack",
            "harbour-walk/2026-06-10-initial@contextpack",
            "harbour-walk/2026-07-15-interim@contextpack",
            "harbour-walk/2026-09-09-review@contextpack",
            "harbour-walk/2026-12-02-review@contextpack",
            "review/harbour-walk/2026-06-10-initial@contextpack",
            "review/harbour-walk/2026-09-09-review@contextpack",
        ],
        "a1 is done: no event"
    );

    let review = event(&events, "harbour-walk/2026-12-02-review@contextpack");
    assert_eq!(review.get_start(), Some(local("2026-12-02", (10, 0))));
    assert_eq!(review.get_end(), Some(local("2026-12-02", (12, 0))));
    assert_eq!(review.get_location(), Some("Waterside Community Centre"));
    assert_eq!(
        review.get_summary(),
        Some("Review conference: Harbour Walk and the Quay Steps")
    );
    // Summer time: still written as local time with the zone.
    let initial = event(&events, "harbour-walk/2026-06-10-initial@contextpack");
    assert_eq!(initial.get_start(), Some(local("2026-06-10", (10, 0))));

    let deadline = event(&events, "review/harbour-walk/2026-09-09-review@contextpack");
    assert_eq!(
        deadline.get_start(),
        Some(DatePerhapsTime::Date(date("2026-12-02")))
    );
    assert_eq!(
        deadline.get_end(),
        Some(DatePerhapsTime::Date(date("2026-12-03")))
    );

    let a3 = event(&events, "action/harbour-walk/a3@contextpack");
    assert_eq!(
        a3.get_start(),
        Some(DatePerhapsTime::Date(date("2026-11-30")))
    );
    let text = a3.get_description().unwrap_or_default();
    assert!(text.contains("Brief cafe owners"), "{text}");
    assert!(text.contains("Youth Service"), "{text}");

    for e in events.values() {
        assert_eq!(
            e.get_timestamp().map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-11-01T00:00:00+00:00"),
            "DTSTAMP is the build's today, not the clock"
        );
    }
}

#[test]
fn rfc_5545_form() {
    let ics = build(&TestCasebook::clean());
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"),
        "{ics}"
    );
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(ics.contains("\r\nCALSCALE:GREGORIAN\r\n"));
    assert!(ics.contains("\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"));
    assert!(ics.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"));
    assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let cal = parse(&ics);
    assert_eq!(cal.property_value("VERSION"), Some("2.0"));
}

#[test]
fn text_is_escaped_and_long_lines_folded() {
    let cb = TestCasebook::clean();
    let venue = "Waterside Community Centre, Room 3; the long hall by the Quay Steps — ask at the café\\reception";
    cb.edit(
        "cases/harbour-walk/conferences/2026-12-02-review.md",
        "venue: Waterside Community Centre",
        &format!("venue: \"{}\"", venue.replace('\\', "\\\\")),
    );
    let ics = build(&cb);
    assert!(ics.contains("Room 3\\; the long"), "escaped ;");
    assert!(ics.contains("Centre\\, Room"), "escaped ,");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let events = events(&parse(&ics));
    let review = event(&events, "harbour-walk/2026-12-02-review@contextpack");
    assert_eq!(review.get_location(), Some(venue));
}

#[test]
fn byte_identical_across_builds_and_uids_survive_unrelated_changes() {
    let cb = TestCasebook::clean();
    let first = build(&cb);
    assert_eq!(first, build(&cb), "two builds of the same records differ");

    // An unrelated change: a new action, and an action's text reworded.
    cb.edit(
        "cases/harbour-walk/plan.yaml",
        "action: Light the Quay Steps.",
        "action: Light the Quay Steps and the car park.",
    );
    cb.edit(
        "cases/harbour-walk/plan.yaml",
        "exceptions: []",
        "  - id: a5\n    domain: partnerships\n    action: Meet the harbour master.\n    goal: g1\n    owner: { agency: police }\n    agreed: 2026-09-09\n    due: 2026-12-10\n    status: planned\nexceptions: []",
    );
    let second = build(&cb);
    let before = events(&parse(&first));
    let after = events(&parse(&second));
    for (uid, e) in &before {
        let again = event(&after, uid);
        assert_eq!(e.get_start(), again.get_start(), "{uid} moved");
        assert_eq!(e.get_summary(), again.get_summary(), "{uid} renamed");
    }
    assert_eq!(after.len(), before.len() + 1);
    assert!(after.contains_key("action/harbour-walk/a5@contextpack"));
}

#[test]
fn a_moved_review_date_updates_its_event_not_adds_one() {
    let cb = TestCasebook::clean();
    let before = events(&parse(&build(&cb)));
    cb.edit(
        "cases/harbour-walk/conferences/2026-09-09-review.md",
        "  date: 2026-12-02",
        "  date: 2026-12-03",
    );
    // The review conference's record moves with it.
    let old = "cases/harbour-walk/conferences/2026-12-02-review.md";
    let text = cb.read(old).replace("date: 2026-12-02", "date: 2026-12-03");
    cb.remove(old);
    cb.write("cases/harbour-walk/conferences/2026-12-03-review.md", text);
    let after = events(&parse(&build(&cb)));
    let uid = "review/harbour-walk/2026-09-09-review@contextpack";
    assert_eq!(
        event(&after, uid).get_start(),
        Some(DatePerhapsTime::Date(date("2026-12-03")))
    );
    assert_eq!(before.len(), after.len());
}

#[test]
fn no_child_is_named() {
    let ics = build(&TestCasebook::clean());
    for secret in ["Jordan Example", "Casey Sample", "YP-A", "YP-B"] {
        assert!(!ics.contains(secret), "{secret} is in the calendar");
    }
}

#[test]
fn closed_contexts_owe_nothing_and_held_back_ones_are_left_out() {
    let ics = build(&TestCasebook::fixture("due-mixed"));
    let events = events(&parse(&ics));
    // quarry-park has a breach: not rendered, not in the calendar.
    assert!(!events.keys().any(|u| u.contains("quarry-park")));
    // old-mill closed on 2026-10-01: its conferences stay, it owes nothing.
    assert!(events.contains_key("old-mill/2026-09-02-review@contextpack"));
    assert!(!events.contains_key("action/old-mill/m1@contextpack"));
    assert!(!events.keys().any(|u| u.starts_with("review/old-mill/")));
    let school = event(&events, "castle-school/2026-11-12-initial@contextpack");
    assert_eq!(school.get_location(), Some("Castle Hill School; library"));
}
