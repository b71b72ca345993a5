//! The due lists of the `due-mixed` fixture, read on chosen days.

use super::*;
use std::path::Path;

fn day(s: &str) -> Date {
    Date::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn checked(today: &str) -> Checked {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/due-mixed");
    match crate::check_casebook(&root, Some(day(today))) {
        Ok(c) => c,
        Err(e) => panic!("the due-mixed fixture loads: {e}"),
    }
}

fn action_ids(d: &Due) -> Vec<String> {
    d.actions
        .iter()
        .map(|a| format!("{}/{} {}", a.context, a.id, a.state))
        .collect()
}

#[test]
fn actions_overdue_and_due_soon_but_not_of_closed_contexts() {
    let d = due(&checked("2026-11-01"), &Filter::Everyone);
    // old-mill/m1 is overdue but its context closed; q2 and q4 are far off.
    assert_eq!(
        action_ids(&d),
        ["quarry-park/q3 overdue", "quarry-park/q1 due-soon"]
    );
    assert_eq!(d.actions[0].days, -12);
    assert_eq!(d.actions[1].days, 9);
    assert_eq!(
        d.actions[1].owner.label(),
        "Sam Lee, Devon and Cornwall Police"
    );
}

#[test]
fn due_soon_ends_after_fourteen_days() {
    // On 2026-11-16 a3 (due 11-30) is 14 days away: due soon; on 11-15, 15 days: not.
    let ids = |today| action_ids(&due(&checked(today), &Filter::Everyone));
    assert!(ids("2026-11-16").contains(&"harbour-walk/a3 due-soon".to_string()));
    assert!(
        !ids("2026-11-15")
            .iter()
            .any(|a| a.starts_with("harbour-walk/a3"))
    );
}

#[test]
fn meetings_in_the_next_28_days() {
    let d = due(&checked("2026-11-01"), &Filter::Everyone);
    let m: Vec<&str> = d.meetings.iter().map(|m| m.meeting.as_str()).collect();
    assert_eq!(m, ["2026-11-12-initial"]);
    let d = due(&checked("2026-11-04"), &Filter::Everyone);
    let m: Vec<&str> = d.meetings.iter().map(|m| m.meeting.as_str()).collect();
    assert_eq!(m, ["2026-11-12-initial", "2026-12-02-review"]);
}

#[test]
fn reviews_overdue_and_scheduled() {
    let d = due(&checked("2026-11-01"), &Filter::Everyone);
    let r: Vec<(&str, ReviewState)> = d
        .reviews
        .iter()
        .map(|r| (r.context.as_str(), r.state))
        .collect();
    // harbour-walk's review is scheduled 31 days ahead: not yet listed.
    assert_eq!(r, [("quarry-park", ReviewState::Overdue)]);
    assert_eq!(d.reviews[0].days, Some(-4));
    let all = reviews(
        &checked("2026-11-01").casebook,
        day("2026-11-01"),
        &Filter::Everyone,
    );
    assert_eq!(
        all.len(),
        2,
        "castle-school has held nothing, old-mill is closed"
    );
    let d = due(&checked("2026-11-20"), &Filter::Everyone);
    let hw = d.reviews.iter().find(|r| r.context == "harbour-walk");
    assert_eq!(hw.map(|r| r.state), Some(ReviewState::Scheduled));
    assert_eq!(
        hw.and_then(|r| r.meeting.as_deref()),
        Some("2026-12-02-review")
    );
}

#[test]
fn a_scheduled_review_left_in_the_past_is_overdue() {
    let d = due(&checked("2026-12-03"), &Filter::Everyone);
    let hw = d.reviews.iter().find(|r| r.context == "harbour-walk");
    assert_eq!(hw.map(|r| r.state), Some(ReviewState::Overdue));
}

#[test]
fn records_with_errors_count_breaches_not_warnings() {
    let d = due(&checked("2026-11-01"), &Filter::Everyone);
    assert_eq!(d.records_with_errors.len(), 1);
    let r = &d.records_with_errors[0];
    assert_eq!(
        r.file,
        "cases/quarry-park/conferences/2026-08-05-initial.md"
    );
    assert_eq!((r.errors, r.breaches), (0, 1));
    assert_eq!(r.context.as_deref(), Some("quarry-park"));
}

#[test]
fn filters_by_person_and_agency() {
    let c = checked("2026-11-01");
    let ria = due(&c, &Filter::Person("ria-patel".into()));
    assert_eq!(action_ids(&ria), ["quarry-park/q3 overdue"]);
    assert_eq!(ria.meetings.len(), 1, "she chairs castle-school");
    let police = due(&c, &Filter::Agency("police".into()));
    assert_eq!(action_ids(&police), ["quarry-park/q1 due-soon"]);
    assert_eq!(police.reviews.len(), 1, "sam-lee leads quarry-park");
    let youth = due(&c, &Filter::Agency("youth-service".into()));
    assert!(youth.actions.is_empty() && youth.meetings.is_empty());
    assert!(youth.records_with_errors.is_empty());
}

/// The loaded fixture with harbour-walk changed by `change`.
fn changed(today: &str, change: impl FnOnce(&mut Context)) -> Checked {
    let mut c = checked(today);
    if let Some(hw) = c
        .casebook
        .contexts
        .iter_mut()
        .find(|c| c.id == "harbour-walk")
    {
        change(hw);
    }
    c
}

fn harbour_review(c: &Checked) -> Option<ReviewDue> {
    reviews(&c.casebook, c.today, &Filter::Everyone)
        .into_iter()
        .find(|r| r.context == "harbour-walk")
}

#[test]
fn a_review_with_no_record_is_to_arrange_then_overdue() {
    let drop_record = |c: &mut Context| c.meetings.retain(|m| m.name != "2026-12-02-review");
    let r = harbour_review(&changed("2026-11-01", drop_record));
    assert_eq!(r.as_ref().map(|r| r.state), Some(ReviewState::ToArrange));
    assert_eq!(r.and_then(|r| r.meeting), None);
    let r = harbour_review(&changed("2026-12-03", drop_record));
    assert_eq!(r.map(|r| r.state), Some(ReviewState::Overdue));
}

#[test]
fn a_held_conference_without_a_review_date_is_listed() {
    let r = harbour_review(&changed("2026-11-01", |c| {
        for m in c
            .meetings
            .iter_mut()
            .filter(|m| m.name == "2026-09-09-review")
        {
            m.review = None;
        }
    }));
    let r = r.expect("listed");
    assert_eq!((r.state, r.date), (ReviewState::NoDate, None));
    assert_eq!(r.agreed_at, day("2026-09-09"));
}

#[test]
fn a_moved_review_is_followed_to_its_new_date() {
    let r = harbour_review(&changed("2026-11-01", |c| {
        for m in c
            .meetings
            .iter_mut()
            .filter(|m| m.name == "2026-12-02-review")
        {
            let loc = m.loc;
            m.status = crate::source::Sp::new(MeetingStatus::Moved, loc);
            m.moved = Some(crate::model::Moved {
                loc,
                to: Some(crate::source::Sp::new(day("2026-12-09"), loc)),
                chair_consent: None,
                reason: None,
            });
        }
    }));
    let r = r.expect("listed");
    assert_eq!(r.date, Some(day("2026-12-09")));
    assert_eq!(
        r.state,
        ReviewState::ToArrange,
        "nothing recorded on the new date"
    );
}

#[test]
fn a_context_closed_by_its_review_date_owes_no_review() {
    let r = harbour_review(&changed("2026-11-01", |c| {
        let loc = c.meetings.first().map(|m| m.loc);
        if let Some(loc) = loc {
            c.closed = Some(crate::source::Sp::new(day("2026-11-20"), loc));
        }
    }));
    assert!(r.is_none());
}
