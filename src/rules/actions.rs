//! Rules: `action-fields`, `action-overdue`, `four-domains`, `outcome-measure`, `context-measure`.

use super::Ctx;
use crate::diagnostic::Diagnostic;
use crate::model::{Action, ActionStatus, Context, Date, Domain, Plan};
use crate::rule_id::RuleId;
use crate::source::Loc;

/// Every context that has a plan, with it.
fn plans<'a>(ctx: &'a Ctx) -> impl Iterator<Item = (&'a Context, &'a Plan)> {
    ctx.casebook
        .contexts
        .iter()
        .filter_map(|c| c.plan.as_ref().map(|p| (c, p)))
}

/// The status as a person would read it; no status counts as planned.
fn status_text(a: &Action) -> &'static str {
    match a.status.as_ref().map(|s| s.value) {
        None | Some(ActionStatus::Planned) => "planned",
        Some(ActionStatus::InProgress) => "in progress",
        Some(ActionStatus::Done) => "done",
        Some(ActionStatus::Dropped) => "dropped",
    }
}

/// `action-fields`: every action says what domain it is in, which agency owns
/// it, the held meeting that agreed it, when it is due, and when it was done.
/// Partners "complete these within a set and agreed timescale": an action
/// without an owner, an agreement or a due date has no timescale to keep.
pub(super) fn action_fields(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (c, plan) in plans(ctx) {
        let held: Vec<Date> = c.held_meetings().map(|m| m.date.value).collect();
        for a in &plan.actions {
            // Fields that could not be read were dropped after being reported.
            if !c.incomplete && !a.partly_read {
                missing_fields(ctx, a, out);
            }
            agreed_at_held_meeting(ctx, c, &held, a, out);
            due_after_agreed(ctx, a, out);
            done_date_matches_status(ctx, a, out);
        }
    }
}

fn missing_fields(ctx: &Ctx, a: &Action, out: &mut Vec<Diagnostic>) {
    let id = &a.id.value;
    let mut missing = |loc: Loc, what: &str, help: &str| {
        out.push(
            ctx.diag(
                RuleId::ActionFields,
                loc,
                format!("action `{id}` has no {what}"),
            )
            .with_help(help.to_string()),
        );
    };
    if a.domain.is_none() {
        missing(
            a.loc,
            "domain",
            "add `domain:` with one of target, legislative-framework, partnerships, outcomes (Appendix 2)",
        );
    }
    match &a.owner {
        None => missing(
            a.loc,
            "owner",
            "add `owner: { agency: <agency id> }`: the agency that will carry the action out",
        ),
        Some(o) if o.agency.is_none() => missing(
            o.loc,
            "owning agency",
            "add `agency: <agency id>` to `owner:`: the agency that will carry the action out",
        ),
        Some(_) => {}
    }
    if a.agreed.is_none() {
        missing(
            a.loc,
            "agreed date",
            "add `agreed:` with the date of the held meeting that agreed it",
        );
    }
    if a.due.is_none() {
        missing(
            a.loc,
            "due date",
            "add `due:` with the date agreed for completing it",
        );
    }
    let done = a
        .status
        .as_ref()
        .is_some_and(|s| s.value == ActionStatus::Done);
    if done && a.done.is_none() {
        let at = a.status.as_ref().map_or(a.loc, |s| s.loc);
        out.push(
            ctx.diag(
                RuleId::ActionFields,
                at,
                format!("action `{id}` is marked done but has no done date"),
            )
            .with_help("add `done:` with the date it was completed"),
        );
    }
}

/// An action is agreed by partners at a meeting that took place; interim
/// meetings count, as they exist "to add concerns to be addressed to the plan".
fn agreed_at_held_meeting(
    ctx: &Ctx,
    c: &Context,
    held: &[Date],
    a: &Action,
    out: &mut Vec<Diagnostic>,
) {
    let Some(agreed) = &a.agreed else { return };
    if held.contains(&agreed.value) {
        return;
    }
    let day = agreed.value;
    let not_held = c
        .meetings
        .iter()
        .find(|m| m.date.value == day)
        .map(|m| {
            format!(
                " (the {} meeting that day is {})",
                m.kind.value, m.status.value
            )
        })
        .unwrap_or_default();
    let message = format!(
        "action `{}` is recorded as agreed on {day}, but no meeting of this context was held that day{not_held}",
        a.id.value
    );
    let help = match held.iter().min_by_key(|d| (**d - day).num_days().abs()) {
        Some(near) => format!(
            "set `agreed:` to the date of the held meeting that agreed it; the nearest was on {near}"
        ),
        None => "an action is agreed at a held meeting: record that meeting as held, or correct the date".to_string(),
    };
    out.push(
        ctx.diag(RuleId::ActionFields, agreed.loc, message)
            .with_help(help),
    );
}

fn due_after_agreed(ctx: &Ctx, a: &Action, out: &mut Vec<Diagnostic>) {
    let (Some(agreed), Some(due)) = (&a.agreed, &a.due) else {
        return;
    };
    if due.value < agreed.value {
        out.push(
            ctx.diag(
                RuleId::ActionFields,
                due.loc,
                format!(
                    "action `{}` is due on {}, before it was agreed on {}",
                    a.id.value, due.value, agreed.value
                ),
            )
            .with_help(
                "correct the due date or the agreed date: an action falls due after it is agreed",
            ),
        );
    }
}

/// A done date on an action that is not done says two things at once.
fn done_date_matches_status(ctx: &Ctx, a: &Action, out: &mut Vec<Diagnostic>) {
    let Some(done) = &a.done else { return };
    let is_done = a
        .status
        .as_ref()
        .is_some_and(|s| s.value == ActionStatus::Done);
    if !is_done {
        out.push(
            ctx.diag(
                RuleId::ActionFields,
                done.loc,
                format!(
                    "action `{}` has a done date ({}) but its status is {}",
                    a.id.value,
                    done.value,
                    status_text(a)
                ),
            )
            .with_help("set `status: done` if it was completed; otherwise remove `done:`"),
        );
    }
}

/// `action-overdue`: no open action is past its due date. The lead
/// practitioner is "responsible for ensuring that objectives are met and
/// actions are completed within the required timeframe". A closed context's
/// plan is finished with, so its open actions are not chased.
pub(super) fn action_overdue(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (c, plan) in plans(ctx) {
        if c.closed_by(ctx.today) {
            continue;
        }
        for a in plan.actions.iter().filter(|a| a.is_open()) {
            let Some(due) = &a.due else { continue };
            if due.value >= ctx.today {
                continue;
            }
            let days = (ctx.today - due.value).num_days();
            let plural = if days == 1 { "" } else { "s" };
            out.push(
                ctx.diag(
                    RuleId::ActionOverdue,
                    due.loc,
                    format!(
                        "action `{}` was due on {} and is still {}: {days} day{plural} overdue",
                        a.id.value,
                        due.value,
                        status_text(a)
                    ),
                )
                .with_help(
                    "if it is finished, set `status: done` and `done:`; if not, add an update and agree a new due date at the next meeting, or drop it",
                ),
            );
        }
    }
}

/// `four-domains`: once a conference has been held, the plan works in each
/// of the four domains of Appendix 2 (target, legislative framework,
/// partnerships, outcomes measurement). Dropped actions do no work, so they
/// do not count.
pub(super) fn four_domains(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for c in &ctx.casebook.contexts {
        let held_conference = c.held_meetings().any(|m| m.is_conference());
        // Actions that could not be read would make a domain look empty.
        if !held_conference || c.incomplete {
            continue;
        }
        let actions: &[Action] = c.plan.as_ref().map_or(&[], |p| &p.actions);
        if actions.iter().any(|a| a.partly_read && a.domain.is_none()) {
            continue;
        }
        let missing: Vec<Domain> = Domain::ALL
            .iter()
            .copied()
            .filter(|d| !actions.iter().any(|a| working_in(a, *d)))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let loc = c
            .plan
            .as_ref()
            .and_then(|p| p.actions_loc.or(p.file.map(Loc::file_start)))
            .unwrap_or(Loc::file_start(c.file));
        let titles: Vec<&str> = missing.iter().map(|d| d.title()).collect();
        let keys: Vec<String> = missing.iter().map(|d| format!("`domain: {d}`")).collect();
        out.push(
            ctx.diag(
                RuleId::FourDomains,
                loc,
                format!(
                    "the plan has no open or done action in {} of the {} domains: {}",
                    missing.len(),
                    Domain::ALL.len(),
                    titles.join(", ")
                ),
            )
            .with_help(format!(
                "agree at least one action in each domain (Appendix 2) and add it to {}/plan.yaml with {}",
                c.dir,
                keys.join(", ")
            )),
        );
    }
}

fn working_in(a: &Action, d: Domain) -> bool {
    let dropped = a
        .status
        .as_ref()
        .is_some_and(|s| s.value == ActionStatus::Dropped);
    !dropped && a.domain.as_ref().is_some_and(|x| x.value == d)
}

/// `outcome-measure`: every action in the outcomes domain names what it will
/// measure. Domain 4 asks partners to "monitor outcomes of success": without
/// a measure there is nothing to monitor.
pub(super) fn outcome_measure(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (_, plan) in plans(ctx) {
        for a in &plan.actions {
            let outcomes = a
                .domain
                .as_ref()
                .is_some_and(|d| d.value == Domain::Outcomes);
            let blank = a.measure.as_ref().is_none_or(|m| m.value.trim().is_empty());
            if outcomes && blank {
                out.push(
                    ctx.diag(
                        RuleId::OutcomeMeasure,
                        a.loc,
                        format!("outcomes action `{}` names no measure", a.id.value),
                    )
                    .with_help(
                        "add `measure:` saying what will be counted or observed to show the context has changed",
                    ),
                );
            }
        }
    }
}

/// `context-measure`: Domain 4 asks partners to "monitor outcomes of success
/// in relation to contextual, as well as individual, change". Once a plan's
/// outcome measures say what they measure (`level:`), at least one of them
/// measures the context; a plan that measures only individuals is watching
/// the children, not the place. Measures written as plain text (FORMAT.md's)
/// say nothing of their level and are left alone.
pub(super) fn context_measure(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    use crate::model::MeasureLevel;
    for (_, plan) in plans(ctx) {
        let levels: Vec<(&Action, MeasureLevel)> = plan
            .actions
            .iter()
            .filter(|a| {
                a.domain
                    .as_ref()
                    .is_some_and(|d| d.value == Domain::Outcomes)
            })
            .filter(|a| a.status.as_ref().map(|s| s.value) != Some(ActionStatus::Dropped))
            .filter_map(|a| Some((a, a.metric.as_ref()?.level.as_ref()?.value)))
            .collect();
        let Some((first, _)) = levels.first() else {
            continue;
        };
        if levels.iter().any(|(_, l)| *l == MeasureLevel::Context) {
            continue;
        }
        out.push(
            ctx.diag(
                RuleId::ContextMeasure,
                first.metric.as_ref().map_or(first.loc, |m| m.loc),
                format!(
                    "every outcome measure of this plan measures individuals (`{}` first); none measures the context",
                    first.id.value
                ),
            )
            .with_help(
                "add an outcomes action whose `measure:` has `level: context`: something that shows the place \
                 or group has changed (approaches reported at the underpass, evenings with a guardian on duty), \
                 or explain it in plan.yaml",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::references::testkit::*;
    use super::*;
    use crate::diagnostic::Kind;
    use crate::model::{Casebook, MeetingKind, MeetingStatus};

    fn action_mut(cb: &mut Casebook, i: usize) -> &mut Action {
        &mut plan_mut(cb).actions[i]
    }

    #[test]
    fn good_plan_passes() {
        let cb = good();
        for rule in [action_fields, action_overdue, four_domains, outcome_measure] {
            assert_eq!(run(&cb, today(), rule), vec![]);
        }
    }

    #[test]
    fn missing_fields_each_reported() {
        let mut cb = good();
        let a = action_mut(&mut cb, 0);
        a.domain = None;
        a.agreed = None;
        a.due = None;
        let at = a.loc;
        let o = action_mut(&mut cb, 1).owner.as_mut().unwrap();
        o.agency = None;
        let owner_at = o.loc;
        action_mut(&mut cb, 2).owner = None;
        let d = run(&cb, today(), action_fields);
        assert_eq!(d.len(), 5, "{d:#?}");
        assert!(
            d.iter()
                .all(|d| d.rule == RuleId::ActionFields && d.kind == Kind::Error)
        );
        assert_eq!(d.iter().filter(|d| d.loc == at).count(), 3);
        assert!(
            d.iter()
                .any(|d| d.loc == owner_at && d.message.contains("owning agency"))
        );
        // A file that could not be read whole: absent fields are not chased.
        park_mut(&mut cb).incomplete = true;
        assert_eq!(run(&cb, today(), action_fields), vec![]);
    }

    #[test]
    fn done_without_done_date() {
        let mut cb = good();
        let a = action_mut(&mut cb, 2);
        a.done = None;
        let at = a.status.as_ref().unwrap().loc;
        let d = run(&cb, today(), action_fields);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].loc, at);
        assert!(d[0].message.contains("marked done but has no done date"));
    }

    #[test]
    fn done_date_on_an_open_action() {
        let mut cb = good();
        let a = action_mut(&mut cb, 0);
        a.done = Some(crate::source::Sp::new(date("2026-09-20"), a.loc));
        a.done.as_mut().unwrap().loc.line = 970;
        let d = run(&cb, today(), action_fields);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].loc.line, 970);
        assert!(d[0].message.contains("its status is in progress"));
    }

    #[test]
    fn due_before_agreed() {
        let mut cb = good();
        let a = action_mut(&mut cb, 1);
        a.due.as_mut().unwrap().value = date("2026-09-01");
        let at = a.due.as_ref().unwrap().loc;
        let d = run(&cb, today(), action_fields);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].loc, at);
        assert!(
            d[0].message
                .contains("due on 2026-09-01, before it was agreed on 2026-09-14")
        );
    }

    #[test]
    fn due_on_the_day_agreed_is_fine() {
        let mut cb = good();
        action_mut(&mut cb, 1).due.as_mut().unwrap().value = date("2026-09-14");
        assert_eq!(run(&cb, today(), action_fields), vec![]);
    }

    #[test]
    fn agreed_on_an_interim_meeting_date_counts() {
        let mut cb = good();
        assert_eq!(
            park_mut(&mut cb).meetings[1].kind.value,
            MeetingKind::Interim
        );
        action_mut(&mut cb, 0).agreed.as_mut().unwrap().value = date("2026-09-28");
        assert_eq!(run(&cb, today(), action_fields), vec![]);
    }

    #[test]
    fn agreed_on_a_scheduled_meetings_date_fails() {
        let mut cb = good();
        let a = action_mut(&mut cb, 0);
        a.agreed.as_mut().unwrap().value = date("2026-12-10");
        a.due.as_mut().unwrap().value = date("2026-12-31");
        let at = a.agreed.as_ref().unwrap().loc;
        let d = run(&cb, today(), action_fields);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!((d[0].rule, d[0].loc), (RuleId::ActionFields, at));
        assert!(
            d[0].message
                .contains("(the review meeting that day is scheduled)")
        );
        assert!(
            d[0].help
                .as_ref()
                .unwrap()
                .contains("nearest was on 2026-09-28")
        );
    }

    #[test]
    fn agreed_with_nothing_held() {
        let mut cb = good();
        park_mut(&mut cb)
            .meetings
            .iter_mut()
            .for_each(|m| m.status.value = MeetingStatus::Cancelled);
        let d = run(&cb, today(), action_fields);
        assert_eq!(d.len(), 4, "every action: {d:#?}");
        assert!(
            d[0].help
                .as_ref()
                .unwrap()
                .contains("record that meeting as held")
        );
    }

    #[test]
    fn overdue_open_actions_only() {
        let mut cb = good();
        let later = date("2026-11-05");
        let d = run(&cb, later, action_overdue);
        // a1 in progress and a2 planned were due 2026-10-31; a3 is done and a4 planned.
        let ids: Vec<&str> = d
            .iter()
            .map(|d| d.message.split('`').nth(1).unwrap())
            .collect();
        assert_eq!(ids, ["a1", "a2", "a4"], "{d:#?}");
        assert_eq!(d[0].kind, Kind::Warning);
        assert_eq!(d[0].loc, action_mut(&mut cb, 0).due.as_ref().unwrap().loc);
        assert!(
            d[0].message
                .contains("due on 2026-10-31 and is still in progress: 5 days overdue")
        );
        // Due today is not yet overdue.
        assert_eq!(run(&cb, date("2026-10-31"), action_overdue), vec![]);
    }

    #[test]
    fn closed_context_actions_are_not_chased() {
        let mut cb = good();
        let b = B::new();
        park_mut(&mut cb).closed = Some(b.d("2026-11-01", PARK));
        assert_eq!(run(&cb, date("2026-11-05"), action_overdue), vec![]);
        // Closing later than today: the plan is still live, so still chased.
        park_mut(&mut cb).closed = Some(b.d("2026-11-10", PARK));
        assert_eq!(run(&cb, date("2026-11-05"), action_overdue).len(), 3);
    }

    #[test]
    fn four_domains_ignores_dropped_actions() {
        let mut cb = good();
        action_mut(&mut cb, 1).status.as_mut().unwrap().value = ActionStatus::Dropped;
        action_mut(&mut cb, 3).domain = None;
        let at = plan_mut(&mut cb).actions_loc.unwrap();
        let d = run(&cb, today(), four_domains);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(
            (d[0].rule, d[0].kind, d[0].loc),
            (RuleId::FourDomains, Kind::Warning, at)
        );
        assert!(
            d[0].message
                .contains("2 of the 4 domains: Legislative framework, Outcomes measurement"),
            "{}",
            d[0].message
        );
        assert!(
            d[0].help
                .as_ref()
                .unwrap()
                .contains("`domain: legislative-framework`, `domain: outcomes`")
        );
    }

    #[test]
    fn four_domains_waits_for_a_held_conference() {
        let mut cb = good();
        let c = park_mut(&mut cb);
        c.plan = None;
        c.meetings[0].status.value = MeetingStatus::Scheduled;
        // Only the interim meeting is held.
        assert_eq!(run(&cb, today(), four_domains), vec![]);
        park_mut(&mut cb).meetings[0].status.value = MeetingStatus::Held;
        let d = run(&cb, today(), four_domains);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc, Loc::file_start(PARK));
        assert!(d[0].message.contains("4 of the 4"));
    }

    #[test]
    fn outcomes_action_without_measure() {
        let mut cb = good();
        action_mut(&mut cb, 3).measure = None;
        action_mut(&mut cb, 0).measure = None; // target: no measure needed
        let at = action_mut(&mut cb, 3).loc;
        let d = run(&cb, today(), outcome_measure);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(
            (d[0].rule, d[0].kind, d[0].loc),
            (RuleId::OutcomeMeasure, Kind::Warning, at)
        );
        action_mut(&mut cb, 3).measure = Some(crate::source::Sp::new(" ".into(), at));
        assert_eq!(run(&cb, today(), outcome_measure).len(), 1);
    }
}
