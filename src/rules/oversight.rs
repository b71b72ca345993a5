//! Rules: `partner-tasks`, `plan-oversight`: the plan is carried by the
//! partners who agree it and overseen by the lead practitioner between
//! meetings.

use super::Ctx;
use super::meetings::{agency_label, explain};
use crate::diagnostic::Diagnostic;
use crate::model::{Action, ActionStatus, Attendance, Context, Date, Meeting};
use crate::rule_id::RuleId;

/// Contexts still open today, with their plans.
fn open_plans<'a>(ctx: &'a Ctx) -> impl Iterator<Item = (&'a Context, &'a crate::model::Plan)> {
    ctx.casebook
        .contexts
        .iter()
        .filter(|c| !c.closed_by(ctx.today) && !c.incomplete)
        .filter_map(|c| c.plan.as_ref().map(|p| (c, p)))
}

/// An attendance line of a partner who took part, other than the chair and
/// the lead practitioner: chairing, and overseeing the plan, are their part.
fn partner_present(c: &Context, m: &Meeting, a: &Attendance) -> bool {
    let person = a.person.as_ref().map(|p| p.value.as_str());
    let lead = c.lead_practitioner.as_ref().map(|p| p.value.as_str());
    if person.is_some() && person == lead {
        return false;
    }
    let chair = m.chair.as_ref().map(|c| c.value.as_str());
    let took_part = !a.absent
        || a.represented_by
            .as_ref()
            .is_some_and(|r| !r.value.trim().is_empty());
    took_part && (chair.is_none() || a.person.as_ref().map(|p| p.value.as_str()) != chair)
}

/// `partner-tasks`: "Partners are also be expected to contribute towards the
/// conference plan, action tasks within their respective organisations, and
/// complete these within a set and agreed timescale" (Expectation of
/// Partners). Each agency that took part in a held conference of an open
/// context owns at least one action of its plan that is not dropped; one
/// warning per agency, at its line in the latest conference it took part in.
pub(super) fn partner_tasks(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let settings = &ctx.casebook.settings;
    for (c, plan) in open_plans(ctx) {
        // An owner that names no agency is a `reference` error, and may be
        // the very agency found owning nothing: that is reported once, there.
        let misspelt = plan.actions.iter().any(|a| {
            a.owner
                .as_ref()
                .and_then(|o| o.agency.as_ref())
                .is_some_and(|o| settings.agency(&o.value).is_none())
        });
        if misspelt || settings.incomplete {
            continue;
        }
        let owns = |agency: &str| {
            plan.actions.iter().any(|a| {
                a.status.as_ref().map(|s| s.value) != Some(ActionStatus::Dropped)
                    && a.owner
                        .as_ref()
                        .and_then(|o| o.agency.as_ref())
                        .is_some_and(|o| o.value == agency)
            })
        };
        let mut latest: Vec<(&str, &Meeting, &Attendance)> = Vec::new();
        for m in c.held_meetings().filter(|m| m.is_conference()) {
            for a in m.attendance.iter().flat_map(|v| &v.value) {
                if !partner_present(c, m, a) {
                    continue;
                }
                let id = a.agency.value.as_str();
                match latest.iter_mut().find(|(k, _, _)| *k == id) {
                    Some(entry) => *entry = (id, m, a),
                    None => latest.push((id, m, a)),
                }
            }
        }
        for (agency, m, line) in latest.into_iter().filter(|(id, _, _)| !owns(id)) {
            out.push(
                ctx.diag(
                    RuleId::PartnerTasks,
                    line.loc,
                    format!(
                        "{} took part in the {} on {} but owns no action in the plan",
                        agency_label(ctx, agency),
                        m.kind.value.as_str(),
                        m.date.value
                    ),
                )
                .with_help(format!(
                    "agree at the next meeting what {agency} will do within its own organisation and \
                     add it to plan.yaml with `owner: {{ agency: {agency} }}`, or {}",
                    explain(RuleId::PartnerTasks)
                )),
            );
        }
    }
}

/// Whether the action was open on `date`: agreed by then, not dropped, and
/// not yet done. (A dropped action's day is not recorded, so it is taken as
/// closed; so is a done one whose day is missing.)
fn open_on(a: &Action, date: Date) -> bool {
    let agreed = a.agreed.as_ref().is_some_and(|d| d.value <= date);
    agreed
        && match a.status.as_ref().map(|s| s.value) {
            Some(ActionStatus::Dropped) => false,
            // Done with no date is `action-fields`' to report.
            Some(ActionStatus::Done) => a.done.as_ref().is_some_and(|d| d.value > date),
            _ => true,
        }
}

/// `plan-oversight`: "The lead practitioner will have oversight of the plan
/// and be responsible for ensuring that objectives are met and actions are
/// completed within the required timeframe" (Role of the Lead Practitioner).
/// An action open at a held conference, and already agreed at the meeting
/// before it, has an `updates:` entry dated after that meeting and on or
/// before the conference: otherwise nobody recorded where it stood. One
/// warning per action, for the latest such conference.
pub(super) fn plan_oversight(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (c, plan) in open_plans(ctx) {
        let held: Vec<&Meeting> = c
            .held_meetings()
            .filter(|m| m.date.value <= ctx.today)
            .collect();
        for a in &plan.actions {
            let lapse = held.windows(2).rev().find(|w| {
                let (before, conference) = (w[0].date.value, w[1]);
                let at = conference.date.value;
                conference.is_conference()
                    && open_on(a, before)
                    && open_on(a, at)
                    && !a
                        .updates
                        .iter()
                        .any(|u| u.date.value > before && u.date.value <= at)
            });
            let Some(w) = lapse else { continue };
            out.push(
                ctx.diag(
                    RuleId::PlanOversight,
                    a.id.loc,
                    format!(
                        "action `{}` was still open at the {} on {} with no update since the meeting on {}",
                        a.id.value,
                        w[1].kind.value.as_str(),
                        w[1].date.value,
                        w[0].date.value
                    ),
                )
                .with_help(format!(
                    "add an `updates:` entry saying where the action stood before {} (the lead \
                     practitioner oversees the plan between meetings), or {}",
                    w[1].date.value,
                    explain(RuleId::PlanOversight)
                )),
            );
        }
    }
}
