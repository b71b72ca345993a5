//! `cases/<id>/plan.yaml`: the intervention plan; and `exceptions:`, which
//! conference files share with it.

use super::decode::Dec;
use super::yaml::Yaml;
use crate::model::{
    Action, ActionStatus, Better, Domain, Exception, Goal, MeasureLevel, Metric, Owner, Plan,
    Reading, Update,
};
use crate::rules::RULES;
use crate::schema::records as R;
use crate::source::Sp;
use crate::text::nearest;

/// Fills `plan` from the parsed plan.yaml.
pub fn decode(d: &mut Dec, root: &Yaml, plan: &mut Plan) {
    let Some(m) = d.record(root, &R::PLAN) else {
        return;
    };
    if let Some(e) = m.entry("goals") {
        plan.goals = d.list(&e.value, "goals", goal);
    }
    if let Some(e) = m.entry("actions") {
        plan.actions_loc = Some(e.key_loc);
        plan.actions = d.list(&e.value, "actions", action);
    }
    if let Some(e) = m.entry("exceptions") {
        plan.exceptions = d.list(&e.value, "exceptions", exception);
    }
}

fn goal(d: &mut Dec, y: &Yaml) -> Option<Goal> {
    let m = d.record(y, &R::GOAL)?;
    let id = d.req(&m, "id", Dec::id);
    let text = d.req(&m, "text", Dec::text);
    Some(Goal {
        id: id?,
        text: text?,
    })
}

fn action(d: &mut Dec, y: &Yaml) -> Option<Action> {
    let reported = d.diags.len();
    let m = d.record(y, &R::ACTION)?;
    let id = d.req(&m, "id", Dec::id);
    let domain = d.opt(&m, "domain", |d, y, f| {
        d.vocab(y, f, "action domain", Domain::NAMES, Domain::parse)
    });
    let text = d.req(&m, "action", Dec::text);
    let goal = d.opt(&m, "goal", Dec::reference);
    let owner = m.get("owner").and_then(|y| owner(d, y));
    let agreed = d.opt(&m, "agreed", Dec::date);
    let due = d.opt(&m, "due", Dec::date);
    let status = d.opt(&m, "status", |d, y, f| {
        d.vocab(
            y,
            f,
            "action status",
            ActionStatus::NAMES,
            ActionStatus::parse,
        )
    });
    let done = d.opt(&m, "done", Dec::date);
    let (measure, metric) = match m.get("measure") {
        None => (None, None),
        Some(y) if matches!(y.value, super::yaml::Value::Map(_)) => metric(d, y),
        Some(y) => (d.text(y, "measure"), None),
    };
    let updates = match m.entry("updates") {
        Some(e) => d.list(&e.value, "updates", update),
        None => Vec::new(),
    };
    // The latest re-dating is the due date in force: `due:` must say it,
    // or the plan and its history disagree about when the action is due.
    let redated = updates
        .iter()
        .filter_map(|u| u.due.as_ref().map(|to| (u.date.value, to)))
        .max_by_key(|(on, _)| *on);
    if let (Some((on, to)), Some(due)) = (redated, &due)
        && to.value != due.value
    {
        d.error_help(
            due.loc,
            format!(
                "the action is due {} here, but its update of {on} re-dated it to {}",
                due.value, to.value
            ),
            format!(
                "write `due: {}`, the date the latest re-dating set",
                to.value
            ),
        );
    }
    Some(Action {
        loc: m.loc,
        id: id?,
        domain,
        action: text?,
        goal,
        owner,
        agreed,
        due,
        status,
        done,
        measure,
        metric,
        updates,
        partly_read: d.diags.len() > reported,
    })
}

/// `measure:` as a mapping: `what`, and how it is read over time.
fn metric(d: &mut Dec, y: &Yaml) -> (Option<Sp<String>>, Option<Metric>) {
    let Some(m) = d.record(y, &R::MEASURE) else {
        return (None, None);
    };
    let what = d.req(&m, "what", Dec::text);
    let level = d.opt(&m, "level", |d, y, f| {
        d.vocab(
            y,
            f,
            "measure level",
            MeasureLevel::NAMES,
            MeasureLevel::parse,
        )
    });
    let unit = d.opt(&m, "unit", Dec::text);
    let better = d.opt(&m, "better", |d, y, f| {
        d.vocab(y, f, "direction (`better`)", Better::NAMES, Better::parse)
    });
    let mut readings = match m.entry("readings") {
        Some(e) => d.list(&e.value, "readings", reading),
        None => Vec::new(),
    };
    if !readings.is_empty() && better.is_none() {
        d.error_help(
            m.loc,
            "a measure with readings does not say which way is better",
            "add `better: up` (more is better) or `better: down` (less is better), so the plan can say whether it is improving",
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    for r in &readings {
        if !seen.insert(r.date.value) {
            d.error_help(
                r.date.loc,
                format!("two readings are dated {}", r.date.value),
                "give each reading its own date; put both values in one reading's `note` if they are two counts of one day",
            );
        }
    }
    readings.sort_by_key(|r| r.date.value);
    let metric = Metric {
        loc: m.loc,
        level,
        unit,
        better,
        readings,
    };
    (what, Some(metric))
}

/// `{ date, value, note }`: one reading of a measure.
fn reading(d: &mut Dec, y: &Yaml) -> Option<Reading> {
    let m = d.record(y, &R::READING)?;
    let date = d.req(&m, "date", Dec::date);
    let value = d.req(&m, "value", Dec::number);
    let note = d.opt(&m, "note", Dec::text);
    Some(Reading {
        date: date?,
        value: value?,
        note,
    })
}

fn owner(d: &mut Dec, y: &Yaml) -> Option<Owner> {
    let m = d.record(y, &R::OWNER)?;
    Some(Owner {
        loc: m.loc,
        agency: d.opt(&m, "agency", Dec::reference),
        person: d.opt(&m, "person", Dec::reference),
        name: d.opt(&m, "name", Dec::text),
    })
}

fn update(d: &mut Dec, y: &Yaml) -> Option<Update> {
    let m = d.record(y, &R::UPDATE)?;
    let date = d.req(&m, "date", Dec::date);
    let note = d.req(&m, "note", Dec::text);
    let due = d.opt(&m, "due", Dec::date);
    Some(Update {
        date: date?,
        note: note?,
        due,
    })
}

/// One `exceptions:` entry; its `rule` must name a rule of the catalogue.
pub fn exception(d: &mut Dec, y: &Yaml) -> Option<Exception> {
    let m = d.record(y, &R::EXCEPTION)?;
    let rule = d.req(&m, "rule", Dec::text);
    let reason = d.req(&m, "reason", Dec::nonblank);
    let rule = rule?;
    let Some(id) = crate::rule_id::RuleId::parse(&rule.value) else {
        let ids: Vec<&str> = RULES.iter().map(|r| r.id.as_str()).collect();
        d.error_help(
            rule.loc,
            format!("unknown rule `{}` in an exception", rule.value),
            match nearest(&rule.value, &ids) {
                Some(n) => format!("did you mean `{n}`? `contextpack rules` lists every rule"),
                None => "`contextpack rules` lists every rule".to_string(),
            },
        );
        return None;
    };
    Some(Exception {
        loc: m.loc,
        rule: Sp::new(id, rule.loc),
        reason: reason?,
    })
}
