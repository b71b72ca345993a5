//! Rules: `review-date`, `review-within`, `review-held`, `review-invitations`, `moved-consent`,
//! `moved-within`.
//!
//! All from one paragraph of Governance and Accountability: "At the end of the
//! conference a date should be set for a review meeting to take place, no later
//! than 3 months to the present date. ... the review conference must still go
//! ahead on the date agreed ... In the event that the meeting needs to be moved,
//! express consent must be obtained by the Chair and a Review Meeting should be
//! scheduled to take place within two weeks of the missed date."

use super::Ctx;
use super::meetings::{
    agency_label, and_list, explain, has_text, held_conferences, meeting_path, meetings,
};
use crate::deadline::review::{self, Review, Standing};
use crate::diagnostic::Diagnostic;
use crate::model::{Casebook, Context, Date, Meeting, MeetingKind, MeetingStatus};
use crate::rule_id::RuleId;
use crate::text::units;

/// Moved initial and review conferences (a moved interim meeting is bound by no rule).
fn moved_conferences(cb: &Casebook) -> impl Iterator<Item = (&Context, &Meeting)> {
    meetings(cb).filter(|(_, m)| m.status.value == MeetingStatus::Moved && m.is_conference())
}

/// The latest review date allowed for a conference on `date`.
fn latest_review(ctx: &Ctx, date: Date) -> Option<Date> {
    review::latest_review(date, ctx.casebook.settings.protocol.review_within_months)
}

/// The latest date a conference missed on `date` may be moved to.
fn latest_move(ctx: &Ctx, date: Date) -> Option<Date> {
    review::latest_move(date, ctx.casebook.settings.protocol.reschedule_within_days)
}

/// `review-date`: "A date for a review will be agreed at the close of the
/// conference" (Frequency, length and venue); "The Chair will make a decision
/// ... regarding which agencies will be required to attend the review meeting.
/// Arrangements for inviting the partners ... should be facilitated by the lead
/// practitioner or allocated team" (Governance and Accountability). A held
/// conference sets a review date after its own, the agencies to attend, and who
/// sends the invitations, unless the context closed by the conference's date.
pub(super) fn review_date(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (c, m) in held_conferences(ctx.casebook) {
        if c.closed_by(m.date.value) {
            continue;
        }
        let latest = latest_review(ctx, m.date.value)
            .map_or(String::new(), |d| format!(", on or before {d}"));
        let Some(review) = &m.review else {
            out.push(
                ctx.diag(
                    RuleId::ReviewDate,
                    m.status.loc,
                    format!(
                        "the conference on {} is held but sets no review",
                        m.date.value
                    ),
                )
                .with_help(format!(
                    "add `review:` with the date agreed{latest}, the `agencies` to attend and who sends the invitations (`invitations_by`)"
                )),
            );
            continue;
        };
        match &review.date {
            None => out.push(
                ctx.diag(RuleId::ReviewDate, review.loc, "the review has no date")
                    .with_help(format!(
                        "add the review `date` agreed at the conference{latest}"
                    )),
            ),
            Some(d) if d.value <= m.date.value => out.push(
                ctx.diag(
                    RuleId::ReviewDate,
                    d.loc,
                    format!(
                        "review date {} is not after the conference on {}",
                        d.value, m.date.value
                    ),
                )
                .with_help(format!(
                    "set the review `date` agreed at the conference{latest}"
                )),
            ),
            Some(_) => {}
        }
        match &review.agencies {
            Some(a) if !a.value.is_empty() => {}
            found => out.push(
                ctx.diag(
                    RuleId::ReviewDate,
                    found.as_ref().map_or(review.loc, |a| a.loc),
                    "the review names no agencies to attend it",
                )
                .with_help(
                    "list under review `agencies:` the agencies the chair and partners decided must attend",
                ),
            ),
        }
        if !has_text(review.invitations_by.as_ref()) {
            let loc = review.invitations_by.as_ref().map_or(review.loc, |i| i.loc);
            let lead = c.lead_practitioner.as_ref().map_or(String::new(), |l| {
                format!(", usually the lead practitioner ({})", l.value)
            });
            out.push(
                ctx.diag(
                    RuleId::ReviewDate,
                    loc,
                    "the review does not say who sends the invitations",
                )
                .with_help(format!(
                    "set review `invitations_by:` to the person who will invite the partners{lead}"
                )),
            );
        }
    }
}

/// `review-within`: "a date should be set for a review meeting to take place, no
/// later than 3 months to the present date" (Governance and Accountability): the
/// review date is at most `review_within_months` after the conference. Month
/// ends clamp: 2026-08-31 + 3 months is 2026-11-30.
pub(super) fn review_within(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let months = ctx.casebook.settings.protocol.review_within_months;
    for (_, m) in held_conferences(ctx.casebook) {
        let Some(r) = m.review.as_ref().and_then(|r| r.date.as_ref()) else {
            continue;
        };
        let Some(latest) = latest_review(ctx, m.date.value) else {
            continue;
        };
        if r.value <= latest {
            continue;
        }
        out.push(
            ctx.diag(
                RuleId::ReviewWithin,
                r.loc,
                format!(
                    "review date {} is more than {} after the conference on {} (latest allowed: {latest})",
                    r.value,
                    units(months, "month"),
                    m.date.value
                ),
            )
            .with_help(format!(
                "set review.date on or before {latest}, or {}",
                explain(RuleId::ReviewWithin)
            )),
        );
    }
}

/// `review-held`: "If more regular meetings have been held during the
/// intervention phase, the review conference must still go ahead on the date
/// agreed in order for the Chair to have full oversight of the context plan"
/// (Governance and Accountability). For each review date a held conference set,
/// a review conference is recorded on that date: held, moved (then
/// `moved-consent` and `moved-within` govern), or scheduled and not yet past.
/// Interim meetings do not count; cancelled ones satisfy nothing. A context
/// closed on or before the review date needs no review.
pub(super) fn review_held(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for c in &ctx.casebook.contexts {
        for r in review::reviews(c).filter(Review::owed) {
            if let Some(d) = review_held_on(ctx, &r) {
                out.push(d);
            }
        }
    }
}

/// What is wrong, if anything, with review `r` (read through its moves).
fn review_held_on(ctx: &Ctx, r: &Review) -> Option<Diagnostic> {
    let c = r.context;
    let last = r.last();
    let status = last.record.map(|m| m.status.value);
    let review = if r.moved() {
        format!(
            "the review agreed at the conference on {} for {} and moved to {},",
            r.agreed_at.date.value, r.agreed.value, last.date
        )
    } else {
        format!(
            "the review on {}, agreed at the conference on {},",
            last.date, r.agreed_at.date.value
        )
    };
    let path = meeting_path(c, last.date, MeetingKind::Review);
    let interim_note = if c
        .meetings
        .iter()
        .any(|x| x.date.value == last.date && x.kind.value == MeetingKind::Interim)
    {
        "; the interim meeting on that date does not count as the review"
    } else {
        ""
    };
    let (message, help) = match r.standing(ctx.today)? {
        Standing::OnTime | Standing::HeldAfterMove | Standing::Scheduled => return None,
        // `moved-within` reports a missing record on the new date.
        _ if r.moved() && status.is_none() => return None,
        Standing::Overdue if status == Some(MeetingStatus::Scheduled) => (
            format!(
                "overdue: {review} is still marked scheduled (today is {})",
                ctx.today
            ),
            format!(
                "if it took place, set `status: held` in {path} and record it; if it was moved, set `status: moved` with `moved:`; otherwise {}",
                explain(RuleId::ReviewHeld)
            ),
        ),
        Standing::Overdue => {
            let what = if status == Some(MeetingStatus::Cancelled) {
                "was cancelled and no review was held"
            } else {
                "has no record of being held"
            };
            (
                format!("overdue: {review} {what}{interim_note}"),
                format!(
                    "record the review in {path} (held, or moved with its new date), or {}",
                    explain(RuleId::ReviewHeld)
                ),
            )
        }
        Standing::ToArrange if status == Some(MeetingStatus::Cancelled) => (
            format!(
                "{review} is cancelled, but the review must still go ahead on the date agreed{interim_note}"
            ),
            format!(
                "set `status: scheduled` in {path}; if it must move, set `status: moved` with the new date and the chair's consent, or {}",
                explain(RuleId::ReviewHeld)
            ),
        ),
        Standing::ToArrange => (
            format!(
                "no review conference is recorded for {}, the review date agreed at the conference on {}{interim_note}",
                last.date, r.agreed_at.date.value
            ),
            format!("create {path} with `status: scheduled`"),
        ),
    };
    Some(
        ctx.diag(RuleId::ReviewHeld, r.agreed.loc, message)
            .with_help(help),
    )
}

/// `moved-consent`: "In the event that the meeting needs to be moved, express
/// consent must be obtained by the Chair" (Governance and Accountability): a
/// moved conference records `moved.chair_consent: true`.
pub(super) fn moved_consent(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (_, m) in moved_conferences(ctx.casebook) {
        // `moved:` missing from a moved meeting is a schema error already.
        let Some(moved) = &m.moved else { continue };
        if moved.chair_consent.as_ref().is_some_and(|c| c.value) {
            continue;
        }
        let loc = moved.chair_consent.as_ref().map_or(moved.loc, |c| c.loc);
        out.push(
            ctx.diag(
                RuleId::MovedConsent,
                loc,
                format!(
                    "the conference on {} was moved without the chair's express consent on record",
                    m.date.value
                ),
            )
            .with_help(format!(
                "if the chair consented, set `moved.chair_consent: true`; if not, {}",
                explain(RuleId::MovedConsent)
            )),
        );
    }
}

/// `moved-within`: "a Review Meeting should be scheduled to take place within
/// two weeks of the missed date" (Governance and Accountability): a moved
/// conference's new date is after the missed date and at most
/// `reschedule_within_days` later, and a conference (not cancelled) is recorded
/// on the new date.
pub(super) fn moved_within(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let days = ctx.casebook.settings.protocol.reschedule_within_days;
    for (c, m) in moved_conferences(ctx.casebook) {
        let Some(to) = m.moved.as_ref().and_then(|mv| mv.to.as_ref()) else {
            continue;
        };
        let missed = m.date.value;
        let latest = latest_move(ctx, missed);
        let window = match (missed.succ_opt(), latest) {
            (Some(first), Some(last)) => format!("between {first} and {last}"),
            _ => format!("within {} of {missed}", units(days, "day")),
        };
        if to.value <= missed {
            out.push(
                ctx.diag(
                    RuleId::MovedWithin,
                    to.loc,
                    format!(
                        "the new date {} is not after the missed date {missed}",
                        to.value
                    ),
                )
                .with_help(format!("set `moved.to` to the new date, {window}")),
            );
        } else if !review::moved_in_time(missed, to.value, days) {
            let latest = latest.map_or(String::new(), |l| format!(" (latest allowed: {l})"));
            out.push(
                ctx.diag(
                    RuleId::MovedWithin,
                    to.loc,
                    format!(
                        "the conference was moved to {}, more than {} after the missed date {missed}{latest}",
                        to.value,
                        units(days, "day")
                    ),
                )
                .with_help(format!(
                    "hold it {window}, or {}",
                    explain(RuleId::MovedWithin)
                )),
            );
        }
        if !c.incomplete && !has_conference_on(c, to.value) {
            out.push(
                ctx.diag(
                    RuleId::MovedWithin,
                    to.loc,
                    format!(
                        "no conference is recorded on {}, the date the conference of {missed} was moved to",
                        to.value
                    ),
                )
                .with_help(format!(
                    "create {} with `status: scheduled`, or {}",
                    meeting_path(c, to.value, m.kind.value),
                    explain(RuleId::MovedWithin)
                )),
            );
        }
    }
}

/// Whether the context has an initial or review conference on `date` that is not cancelled.
fn has_conference_on(c: &Context, date: Date) -> bool {
    c.meetings.iter().any(|x| {
        x.date.value == date && x.is_conference() && x.status.value != MeetingStatus::Cancelled
    })
}

/// `review-invitations`: "The Chair will make a decision, in consultation
/// with partners, regarding which agencies will be required to attend the
/// review meeting" (Governance and Accountability). The next conference
/// after a held one (scheduled or held) invites every agency in the earlier
/// conference's `review.agencies`.
pub(super) fn review_invitations(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for c in &ctx.casebook.contexts {
        let conferences: Vec<&Meeting> = c
            .meetings
            .iter()
            .filter(|m| m.is_conference() && m.is_active())
            .collect();
        for pair in conferences.windows(2) {
            let (earlier, next) = (pair[0], pair[1]);
            let Some(required) = earlier
                .review
                .as_ref()
                .and_then(|r| r.agencies.as_ref())
                .filter(|_| earlier.is_held())
            else {
                continue;
            };
            let invited = |id: &str| {
                next.invited
                    .as_ref()
                    .is_some_and(|i| i.value.iter().any(|i| i.agency.value == id))
            };
            let mut missing: Vec<String> = Vec::new();
            for a in &required.value {
                let label = agency_label(ctx, &a.value);
                if !invited(&a.value) && !missing.contains(&label) {
                    missing.push(label);
                }
            }
            if missing.is_empty() {
                continue;
            }
            let loc = next.invited.as_ref().map_or(next.loc, |i| i.loc);
            out.push(
                ctx.diag(
                    RuleId::ReviewInvitations,
                    loc,
                    format!(
                        "the {} on {} does not invite {}, which the chair required at the conference on {}",
                        next.kind.value.as_str(),
                        next.date.value,
                        and_list(&missing),
                        earlier.date.value
                    ),
                )
                .with_help(format!(
                    "add them under `invited:` (the chair's decision is in `review.agencies` of {}), or {}",
                    meeting_path(c, earlier.date.value, earlier.kind.value),
                    explain(RuleId::ReviewInvitations)
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::meetings::tests::{
        casebook, casebook_of, context, date, file_of, held, line, meeting, moved, one, run,
        settings, with_review,
    };
    use super::*;
    use crate::diagnostic::Kind;
    use crate::source::Sp;

    const TODAY: &str = "2026-10-01";

    /// The held initial conference of 2026-09-02, agreeing a review on `review`.
    fn initial(review: &str) -> Meeting {
        with_review(held(MeetingKind::Initial, "2026-09-02"), review)
    }

    fn review_on(d: &str, status: MeetingStatus) -> Meeting {
        meeting(MeetingKind::Review, d, status)
    }

    // ------------------------------------------------------------ review-date

    #[test]
    fn review_date_set_in_full_passes() {
        assert_eq!(
            run(&casebook(vec![initial("2026-12-02")]), TODAY, review_date),
            vec![]
        );
    }

    #[test]
    fn a_held_conference_without_review_points_at_status() {
        let mut m = initial("2026-12-02");
        m.review = None;
        let d = one(
            &run(&casebook(vec![m]), TODAY, review_date),
            RuleId::ReviewDate,
            Kind::Error,
            line::STATUS,
        );
        assert!(d.help.unwrap().contains("on or before 2026-12-02"));
    }

    #[test]
    fn review_date_missing_parts() {
        let mut m = initial("2026-12-02");
        if let Some(r) = &mut m.review {
            r.date = None;
        }
        one(
            &run(&casebook(vec![m]), TODAY, review_date),
            RuleId::ReviewDate,
            Kind::Error,
            line::REVIEW,
        );

        let mut m = initial("2026-12-02");
        if let Some(r) = &mut m.review {
            r.agencies = r.agencies.take().map(|a| Sp::new(Vec::new(), a.loc));
        }
        one(
            &run(&casebook(vec![m]), TODAY, review_date),
            RuleId::ReviewDate,
            Kind::Error,
            line::REVIEW_AGENCIES,
        );

        let mut m = initial("2026-12-02");
        if let Some(r) = &mut m.review {
            r.invitations_by = None;
        }
        let d = one(
            &run(&casebook(vec![m]), TODAY, review_date),
            RuleId::ReviewDate,
            Kind::Error,
            line::REVIEW,
        );
        assert!(
            d.help.unwrap().contains("jo-smith"),
            "suggests the lead practitioner"
        );
    }

    #[test]
    fn review_date_not_after_the_conference() {
        let m = initial("2026-09-02");
        one(
            &run(&casebook(vec![m]), TODAY, review_date),
            RuleId::ReviewDate,
            Kind::Error,
            line::REVIEW_DATE,
        );
    }

    #[test]
    fn review_date_is_not_needed_once_the_context_is_closed() {
        let mut m = initial("2026-12-02");
        m.review = None;
        let mut c = context(vec![m]);
        c.closed = Some(Sp::new(date("2026-09-02"), c.meetings[0].date.loc));
        let cb = casebook_of(vec![c], settings());
        assert_eq!(run(&cb, TODAY, review_date), vec![]);
    }

    #[test]
    fn review_date_binds_neither_interim_nor_scheduled_meetings() {
        let mut interim = held(MeetingKind::Interim, "2026-10-15");
        interim.review = None;
        let mut scheduled = review_on("2026-12-02", MeetingStatus::Scheduled);
        scheduled.review = None;
        assert_eq!(
            run(&casebook(vec![interim, scheduled]), TODAY, review_date),
            vec![]
        );
    }

    // ------------------------------------------------------------ review-within

    fn within(conference: &str, review: &str) -> Vec<Diagnostic> {
        let m = with_review(held(MeetingKind::Review, conference), review);
        run(&casebook(vec![m]), TODAY, review_within)
    }

    #[test]
    fn review_exactly_three_months_later_passes_at_the_end_of_a_month() {
        assert_eq!(within("2026-08-31", "2026-11-30"), vec![]);
    }

    #[test]
    fn review_one_day_more_than_three_months_later_is_a_breach() {
        let d = one(
            &within("2026-08-31", "2026-12-01"),
            RuleId::ReviewWithin,
            Kind::Breach,
            line::REVIEW_DATE,
        );
        assert_eq!(
            d.message,
            "review date 2026-12-01 is more than 3 months after the conference on 2026-08-31 (latest allowed: 2026-11-30)"
        );
        assert_eq!(
            d.help.as_deref(),
            Some(
                "set review.date on or before 2026-11-30, or explain the breach under exceptions: with rule review-within and a reason"
            )
        );
    }

    #[test]
    fn review_within_follows_the_settings() {
        let mut s = settings();
        s.protocol.review_within_months = 1;
        let m = initial("2026-10-03");
        let cb = casebook_of(vec![context(vec![m])], s);
        let d = one(
            &run(&cb, TODAY, review_within),
            RuleId::ReviewWithin,
            Kind::Breach,
            line::REVIEW_DATE,
        );
        assert!(
            d.message.contains("more than 1 month after"),
            "{}",
            d.message
        );
    }

    #[test]
    fn review_within_never_overflows() {
        let mut m = initial("2026-12-02");
        m.date = Sp::new(chrono::NaiveDate::MAX, m.date.loc);
        assert_eq!(run(&casebook(vec![m]), TODAY, review_within), vec![]);
    }

    // ------------------------------------------------------------ review-held

    fn held_check(meetings: Vec<Meeting>, today: &str) -> Vec<Diagnostic> {
        run(&casebook(meetings), today, review_held)
    }

    #[test]
    fn a_review_held_on_the_agreed_date_passes() {
        let ms = vec![
            initial("2026-12-02"),
            review_on("2026-12-02", MeetingStatus::Held),
            // the review in turn agreed the next one, three months on
            review_on("2027-03-02", MeetingStatus::Scheduled),
        ];
        assert_eq!(held_check(ms, "2027-01-10"), vec![]);
    }

    #[test]
    fn a_review_moved_from_the_agreed_date_satisfies_review_held() {
        let ms = vec![
            initial("2026-12-02"),
            moved(
                review_on("2026-12-02", MeetingStatus::Held),
                "2026-12-09",
                Some(true),
            ),
        ];
        assert_eq!(held_check(ms, "2026-12-05"), vec![]);
    }

    #[test]
    fn a_review_scheduled_for_today_or_later_passes() {
        let ms = || {
            vec![
                initial("2026-12-02"),
                review_on("2026-12-02", MeetingStatus::Scheduled),
            ]
        };
        assert_eq!(held_check(ms(), TODAY), vec![]);
        assert_eq!(held_check(ms(), "2026-12-02"), vec![]);
    }

    #[test]
    fn a_scheduled_review_dated_before_today_is_overdue() {
        let ms = vec![
            initial("2026-12-02"),
            review_on("2026-12-02", MeetingStatus::Scheduled),
        ];
        let d = one(
            &held_check(ms, "2026-12-03"),
            RuleId::ReviewHeld,
            Kind::Breach,
            line::REVIEW_DATE,
        );
        assert_eq!(
            d.loc.file,
            file_of("2026-09-02"),
            "points at the review date that was agreed"
        );
        assert!(d.message.starts_with("overdue"), "{}", d.message);
        assert!(
            d.message.contains("still marked scheduled"),
            "{}",
            d.message
        );
    }

    #[test]
    fn no_review_record_for_a_future_date_asks_for_one() {
        let d = one(
            &held_check(vec![initial("2026-12-02")], TODAY),
            RuleId::ReviewHeld,
            Kind::Breach,
            line::REVIEW_DATE,
        );
        assert!(
            d.message
                .contains("no review conference is recorded for 2026-12-02"),
            "{}",
            d.message
        );
        assert!(
            d.help
                .unwrap()
                .contains("cases/stonehouse/conferences/2026-12-02-review.md")
        );
    }

    #[test]
    fn no_review_record_for_a_past_date_is_overdue() {
        let d = one(
            &held_check(vec![initial("2026-12-02")], "2027-01-01"),
            RuleId::ReviewHeld,
            Kind::Breach,
            line::REVIEW_DATE,
        );
        assert!(d.message.starts_with("overdue"), "{}", d.message);
    }

    #[test]
    fn an_interim_meeting_on_the_date_does_not_count() {
        let ms = vec![
            initial("2026-12-02"),
            held(MeetingKind::Interim, "2026-12-02"),
        ];
        let d = one(
            &held_check(ms, "2026-12-10"),
            RuleId::ReviewHeld,
            Kind::Breach,
            line::REVIEW_DATE,
        );
        assert!(
            d.message
                .contains("interim meeting on that date does not count"),
            "{}",
            d.message
        );
    }

    #[test]
    fn a_cancelled_review_satisfies_nothing() {
        let ms = || {
            vec![
                initial("2026-12-02"),
                review_on("2026-12-02", MeetingStatus::Cancelled),
            ]
        };
        let d = one(
            &held_check(ms(), TODAY),
            RuleId::ReviewHeld,
            Kind::Breach,
            line::REVIEW_DATE,
        );
        assert!(d.message.contains("cancelled"), "{}", d.message);
        let d = one(
            &held_check(ms(), "2027-01-01"),
            RuleId::ReviewHeld,
            Kind::Breach,
            line::REVIEW_DATE,
        );
        assert!(d.message.starts_with("overdue"), "{}", d.message);
    }

    #[test]
    fn a_closed_context_needs_no_review_after_closing() {
        let mut c = context(vec![initial("2026-12-02")]);
        c.closed = Some(Sp::new(
            date("2026-11-20"),
            crate::source::Loc::file_start(c.file),
        ));
        let cb = casebook_of(vec![c], settings());
        assert_eq!(run(&cb, "2027-01-01", review_held), vec![]);
    }

    #[test]
    fn a_context_closed_after_the_review_date_still_needed_it() {
        let mut c = context(vec![initial("2026-12-02")]);
        c.closed = Some(Sp::new(
            date("2026-12-20"),
            crate::source::Loc::file_start(c.file),
        ));
        let cb = casebook_of(vec![c], settings());
        one(
            &run(&cb, "2027-01-01", review_held),
            RuleId::ReviewHeld,
            Kind::Breach,
            line::REVIEW_DATE,
        );
    }

    #[test]
    fn an_incomplete_context_does_not_reason_from_a_missing_record() {
        let mut c = context(vec![initial("2026-12-02")]);
        c.incomplete = true;
        let cb = casebook_of(vec![c], settings());
        assert_eq!(run(&cb, "2027-01-01", review_held), vec![]);
    }

    #[test]
    fn only_held_conferences_set_a_review_date_to_keep() {
        let ms = vec![with_review(
            review_on("2026-09-02", MeetingStatus::Scheduled),
            "2026-12-02",
        )];
        assert_eq!(held_check(ms, "2027-01-01"), vec![]);
    }

    // ------------------------------------------------------------ moved-consent

    #[test]
    fn moved_with_consent_passes() {
        let m = moved(
            review_on("2026-12-02", MeetingStatus::Held),
            "2026-12-09",
            Some(true),
        );
        assert_eq!(run(&casebook(vec![m]), TODAY, moved_consent), vec![]);
    }

    #[test]
    fn moved_without_consent() {
        let m = moved(
            review_on("2026-12-02", MeetingStatus::Held),
            "2026-12-09",
            Some(false),
        );
        one(
            &run(&casebook(vec![m]), TODAY, moved_consent),
            RuleId::MovedConsent,
            Kind::Breach,
            line::CHAIR_CONSENT,
        );
        let m = moved(
            review_on("2026-12-02", MeetingStatus::Held),
            "2026-12-09",
            None,
        );
        one(
            &run(&casebook(vec![m]), TODAY, moved_consent),
            RuleId::MovedConsent,
            Kind::Breach,
            line::MOVED,
        );
    }

    #[test]
    fn a_moved_interim_meeting_needs_no_consent() {
        let m = moved(held(MeetingKind::Interim, "2026-10-15"), "2026-10-20", None);
        assert_eq!(run(&casebook(vec![m]), TODAY, moved_consent), vec![]);
    }

    // ------------------------------------------------------------ moved-within

    /// A review on 2026-12-02 moved to `to`, with a scheduled review record on `to` if `record`.
    fn moved_to(to: &str, record: Option<MeetingStatus>) -> Vec<Meeting> {
        let mut ms = vec![moved(
            review_on("2026-12-02", MeetingStatus::Held),
            to,
            Some(true),
        )];
        if let Some(status) = record {
            ms.push(review_on(to, status));
        }
        ms
    }

    fn within_check(ms: Vec<Meeting>) -> Vec<Diagnostic> {
        run(&casebook(ms), TODAY, moved_within)
    }

    #[test]
    fn moved_exactly_14_days_later_passes() {
        assert_eq!(
            within_check(moved_to("2026-12-16", Some(MeetingStatus::Scheduled))),
            vec![]
        );
    }

    #[test]
    fn moved_15_days_later_is_a_breach() {
        let d = one(
            &within_check(moved_to("2026-12-17", Some(MeetingStatus::Scheduled))),
            RuleId::MovedWithin,
            Kind::Breach,
            line::MOVED_TO,
        );
        assert!(d.message.contains("more than 14 days"), "{}", d.message);
        assert!(
            d.message.contains("latest allowed: 2026-12-16"),
            "{}",
            d.message
        );
    }

    #[test]
    fn moved_to_a_date_not_after_the_missed_one() {
        let d = one(
            &within_check(moved_to("2026-12-01", Some(MeetingStatus::Scheduled))),
            RuleId::MovedWithin,
            Kind::Breach,
            line::MOVED_TO,
        );
        assert!(
            d.help
                .unwrap()
                .contains("between 2026-12-03 and 2026-12-16")
        );
    }

    #[test]
    fn moved_to_a_date_with_no_conference_record() {
        let d = one(
            &within_check(moved_to("2026-12-09", None)),
            RuleId::MovedWithin,
            Kind::Breach,
            line::MOVED_TO,
        );
        assert!(
            d.help
                .unwrap()
                .contains("cases/stonehouse/conferences/2026-12-09-review.md")
        );
    }

    #[test]
    fn moved_to_a_date_whose_record_is_cancelled_or_interim() {
        one(
            &within_check(moved_to("2026-12-09", Some(MeetingStatus::Cancelled))),
            RuleId::MovedWithin,
            Kind::Breach,
            line::MOVED_TO,
        );
        let mut ms = moved_to("2026-12-09", None);
        ms.push(held(MeetingKind::Interim, "2026-12-09"));
        one(
            &within_check(ms),
            RuleId::MovedWithin,
            Kind::Breach,
            line::MOVED_TO,
        );
    }

    #[test]
    fn moved_within_does_not_reason_from_absence_in_an_incomplete_context() {
        let mut c = context(moved_to("2026-12-09", None));
        c.incomplete = true;
        let cb = casebook_of(vec![c], settings());
        assert_eq!(run(&cb, TODAY, moved_within), vec![]);
    }

    #[test]
    fn moved_within_follows_the_settings() {
        let mut s = settings();
        s.protocol.reschedule_within_days = 7;
        let cb = casebook_of(
            vec![context(moved_to(
                "2026-12-10",
                Some(MeetingStatus::Scheduled),
            ))],
            s,
        );
        let d = one(
            &run(&cb, TODAY, moved_within),
            RuleId::MovedWithin,
            Kind::Breach,
            line::MOVED_TO,
        );
        assert!(d.message.contains("more than 7 days"), "{}", d.message);
    }
}
