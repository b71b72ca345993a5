//! The review a held conference agreed, followed through its moves: the
//! one reading of "was this review held on time" that rule `review-held`,
//! `status`, the dashboard, the calendar and the quarterly summaries share.
//!
//! Governance and Accountability: "At the end of the conference a date
//! should be set for a review meeting ... the review conference must still go
//! ahead on the date agreed ... In the event that the meeting needs to be
//! moved, express consent must be obtained by the Chair and a Review Meeting
//! should be scheduled to take place within two weeks of the missed date."
//!
//! On the date agreed only a review conference counts (an interim meeting
//! that day is not the review). A review recorded `status: moved` continues
//! on its `moved.to` date, where the conference may be recorded as either
//! kind (rule `moved-within` accepts both).

use crate::model::{Context, Date, Meeting, MeetingKind, MeetingStatus};
use crate::source::Sp;
use chrono::{Days, Months};

/// Moves followed from an agreed review date; a loop of moves in the
/// records must not hang the build.
const MAX_MOVES: usize = 8;

/// One date of a review's timeline and the record on it, if any.
#[derive(Debug, Clone, Copy)]
pub struct Step<'c> {
    pub date: Date,
    pub record: Option<&'c Meeting>,
}

/// A review date agreed at a held conference, and where it went.
#[derive(Debug, Clone)]
pub struct Review<'c> {
    pub context: &'c Context,
    /// The held initial or review conference that agreed it.
    pub agreed_at: &'c Meeting,
    /// The date agreed, where it is written.
    pub agreed: &'c Sp<Date>,
    /// The agreed date first, then each date it was moved to.
    pub steps: Vec<Step<'c>>,
}

/// How a review stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Held on the date agreed.
    OnTime,
    /// Moved, and held on the date it was moved to.
    HeldAfterMove,
    /// Recorded as scheduled on a date not yet past.
    Scheduled,
    /// The date is not yet past, and no review conference is recorded for it
    /// (or the one recorded is cancelled).
    ToArrange,
    /// The date has passed and no review was held on it.
    Overdue,
}

impl<'c> Review<'c> {
    /// The record on the date agreed.
    pub fn first(&self) -> Step<'c> {
        self.steps[0]
    }

    /// Where the review stands now: the last date it was moved to.
    pub fn last(&self) -> Step<'c> {
        self.steps[self.steps.len() - 1]
    }

    /// The date it must now be held on.
    pub fn date(&self) -> Date {
        self.last().date
    }

    pub fn moved(&self) -> bool {
        self.steps.len() > 1
    }

    /// A context closed by the date the review now stands at owes no review.
    pub fn owed(&self) -> bool {
        !self.context.closed_by(self.date())
    }

    /// The standing on `today`; `None` when no record is found and a file
    /// of the context could not be read (the record may be in it).
    pub fn standing(&self, today: Date) -> Option<Standing> {
        let last = self.last();
        let status = last.record.map(|m| m.status.value);
        Some(match status {
            Some(MeetingStatus::Held) if self.moved() => Standing::HeldAfterMove,
            Some(MeetingStatus::Held) => Standing::OnTime,
            None if self.context.incomplete => return None,
            _ if last.date < today => Standing::Overdue,
            Some(MeetingStatus::Scheduled) => Standing::Scheduled,
            _ => Standing::ToArrange,
        })
    }
}

/// The review agreed at held conference `m`, when it set a date.
pub fn agreed_at<'c>(c: &'c Context, m: &'c Meeting) -> Option<Review<'c>> {
    let agreed = m.review.as_ref()?.date.as_ref()?;
    let mut steps = vec![Step {
        date: agreed.value,
        record: record_on(c, agreed.value, |x| x.kind.value == MeetingKind::Review),
    }];
    for _ in 0..MAX_MOVES {
        let here = steps[steps.len() - 1];
        let Some(to) = here.record.and_then(moved_to).filter(|to| *to > here.date) else {
            break;
        };
        steps.push(Step {
            date: to,
            record: record_on(c, to, Meeting::is_conference),
        });
    }
    Some(Review {
        context: c,
        agreed_at: m,
        agreed,
        steps,
    })
}

/// Every review the context's held conferences agreed, in the order of the
/// conferences' records.
pub fn reviews(c: &Context) -> impl Iterator<Item = Review<'_>> {
    c.meetings
        .iter()
        .filter(|m| m.is_held() && m.is_conference())
        .filter_map(|m| agreed_at(c, m))
}

/// The held conference with the latest date: its review arrangements are
/// the ones in force.
pub fn last_held_conference(c: &Context) -> Option<&Meeting> {
    c.meetings
        .iter()
        .filter(|m| m.is_held() && m.is_conference())
        .max_by_key(|m| m.date.value)
}

/// The latest review date allowed for a conference on `date`; `None` when it
/// is beyond the calendar, which no written date can exceed.
pub fn latest_review(date: Date, within_months: u32) -> Option<Date> {
    date.checked_add_months(Months::new(within_months))
}

/// The latest date a conference missed on `missed` may be moved to; `None`
/// beyond the calendar.
pub fn latest_move(missed: Date, within_days: u32) -> Option<Date> {
    missed.checked_add_days(Days::new(u64::from(within_days)))
}

/// Whether a conference missed on `missed` and moved to `to` was moved
/// within `within_days` (rule `moved-within`): after the missed date and no
/// later than the window allows.
pub fn moved_in_time(missed: Date, to: Date, within_days: u32) -> bool {
    to > missed && latest_move(missed, within_days).is_none_or(|latest| to <= latest)
}

/// The `moved.to` date of a meeting recorded as moved.
fn moved_to(m: &Meeting) -> Option<Date> {
    (m.status.value == MeetingStatus::Moved).then_some(m.moved.as_ref()?.to.as_ref()?.value)
}

/// The record on `date` that says most: held over scheduled over moved over
/// cancelled.
fn record_on(c: &Context, date: Date, counts: impl Fn(&Meeting) -> bool) -> Option<&Meeting> {
    let rank = |s: MeetingStatus| match s {
        MeetingStatus::Held => 0,
        MeetingStatus::Scheduled => 1,
        MeetingStatus::Moved => 2,
        MeetingStatus::Cancelled => 3,
    };
    c.meetings
        .iter()
        .filter(|m| m.date.value == date && counts(m))
        .min_by_key(|m| rank(m.status.value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MeetingKind::{Initial, Interim};
    use crate::model::MeetingStatus::{Cancelled, Scheduled};
    use crate::rules::test_casebook::{context, date, held, meeting, moved, with_review};

    /// An initial conference on 2026-06-03 that agreed a review for 2026-09-02,
    /// followed by `later`.
    fn with_initial(later: Vec<Meeting>) -> Context {
        let mut all = vec![with_review(held(Initial, "2026-06-03"), "2026-09-02")];
        all.extend(later);
        context(all)
    }

    fn first(c: &Context) -> Review<'_> {
        reviews(c).next().expect("the initial conference's review")
    }

    fn dates(r: &Review) -> Vec<String> {
        r.steps.iter().map(|s| s.date.to_string()).collect()
    }

    #[test]
    fn held_on_the_date_agreed_is_on_time() {
        let c = with_initial(vec![held(MeetingKind::Review, "2026-09-02")]);
        let r = first(&c);
        assert_eq!(dates(&r), ["2026-09-02"]);
        assert_eq!(r.standing(date("2026-12-01")), Some(Standing::OnTime));
    }

    #[test]
    fn a_move_is_followed_to_the_record_of_the_new_date() {
        let c = with_initial(vec![
            moved(
                meeting(MeetingKind::Review, "2026-09-02", Scheduled),
                "2026-09-09",
                Some(true),
            ),
            meeting(MeetingKind::Review, "2026-09-09", Scheduled),
        ]);
        let r = first(&c);
        assert_eq!(dates(&r), ["2026-09-02", "2026-09-09"]);
        assert!(r.moved());
        assert_eq!(r.standing(date("2026-09-05")), Some(Standing::Scheduled));
        assert_eq!(r.standing(date("2026-09-10")), Some(Standing::Overdue));

        let c = with_initial(vec![
            moved(
                meeting(MeetingKind::Review, "2026-09-02", Scheduled),
                "2026-09-09",
                Some(true),
            ),
            held(MeetingKind::Review, "2026-09-09"),
        ]);
        assert_eq!(
            first(&c).standing(date("2026-12-01")),
            Some(Standing::HeldAfterMove)
        );
    }

    #[test]
    fn an_interim_meeting_on_the_date_is_not_the_review() {
        let c = with_initial(vec![held(Interim, "2026-09-02")]);
        let r = first(&c);
        assert!(r.first().record.is_none());
        assert_eq!(r.standing(date("2026-08-01")), Some(Standing::ToArrange));
        assert_eq!(r.standing(date("2026-09-03")), Some(Standing::Overdue));
    }

    #[test]
    fn a_cancelled_review_is_to_arrange_then_overdue() {
        let c = with_initial(vec![meeting(MeetingKind::Review, "2026-09-02", Cancelled)]);
        let r = first(&c);
        assert_eq!(r.standing(date("2026-09-02")), Some(Standing::ToArrange));
        assert_eq!(r.standing(date("2026-09-03")), Some(Standing::Overdue));
    }

    #[test]
    fn a_chain_of_moves_stops_after_eight() {
        let mut later = Vec::new();
        let mut day = date("2026-09-02");
        for _ in 0..12 {
            let next = day.succ_opt().expect("a next day");
            let m = meeting(MeetingKind::Review, &day.to_string(), Scheduled);
            later.push(moved(m, &next.to_string(), Some(true)));
            day = next;
        }
        let c = with_initial(later);
        assert_eq!(first(&c).steps.len(), 1 + MAX_MOVES);
    }

    #[test]
    fn a_move_back_in_time_is_not_followed() {
        let c = with_initial(vec![moved(
            meeting(MeetingKind::Review, "2026-09-02", Scheduled),
            "2026-08-20",
            Some(true),
        )]);
        assert_eq!(dates(&first(&c)), ["2026-09-02"]);
    }

    #[test]
    fn a_context_closed_by_the_date_owes_no_review() {
        let mut c = with_initial(Vec::new());
        let loc = c.meetings[0].date.loc;
        c.closed = Some(Sp::new(date("2026-09-02"), loc));
        assert!(!first(&c).owed());
        c.closed = Some(Sp::new(date("2026-09-03"), loc));
        assert!(first(&c).owed());
    }

    #[test]
    fn moved_in_time_is_after_the_missed_date_and_within_the_window() {
        let missed = date("2026-09-02");
        assert!(!moved_in_time(missed, missed, 14));
        assert!(moved_in_time(missed, date("2026-09-03"), 14));
        assert!(moved_in_time(missed, date("2026-09-16"), 14));
        assert!(!moved_in_time(missed, date("2026-09-17"), 14));
        // Beyond the calendar any later date is within.
        assert!(moved_in_time(Date::MAX.pred_opt().unwrap(), Date::MAX, 14));
    }
}
