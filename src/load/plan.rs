//! `cases/<id>/plan.yaml`: the intervention plan; and `exceptions:`, which
//! conference files share with it.

use super::decode::Dec;
use super::yaml::Yaml;
use crate::model::{Action, ActionStatus, Domain, Exception, Goal, Owner, Plan, Update};
use crate::rules::RULES;
use crate::source::Sp;
use crate::text::nearest;

const FIELDS: &[&str] = &["goals", "actions", "exceptions"];

const ACTION_FIELDS: &[&str] = &[
    "id", "domain", "action", "goal", "owner", "agreed", "due", "status", "done", "measure",
    "updates",
];

/// Fills `plan` from the parsed plan.yaml.
pub fn decode(d: &mut Dec, root: &Yaml, plan: &mut Plan) {
    let Some(m) = d.map(root, "plan.yaml", FIELDS) else {
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
    let m = d.map(y, "a goal", &["id", "text"])?;
    let id = d.req(&m, "id", Dec::id);
    let text = d.req(&m, "text", Dec::text);
    Some(Goal {
        id: id?,
        text: text?,
    })
}

fn action(d: &mut Dec, y: &Yaml) -> Option<Action> {
    let m = d.map(y, "an action", ACTION_FIELDS)?;
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
    let measure = d.opt(&m, "measure", Dec::text);
    let updates = match m.entry("updates") {
        Some(e) => d.list(&e.value, "updates", update),
        None => Vec::new(),
    };
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
        updates,
    })
}

fn owner(d: &mut Dec, y: &Yaml) -> Option<Owner> {
    let m = d.map(y, "an action owner", &["agency", "person", "name"])?;
    Some(Owner {
        loc: m.loc,
        agency: d.opt(&m, "agency", Dec::reference),
        person: d.opt(&m, "person", Dec::reference),
        name: d.opt(&m, "name", Dec::text),
    })
}

fn update(d: &mut Dec, y: &Yaml) -> Option<Update> {
    let m = d.map(y, "an update", &["date", "note"])?;
    let date = d.req(&m, "date", Dec::date);
    let note = d.req(&m, "note", Dec::text);
    Some(Update {
        date: date?,
        note: note?,
    })
}

/// One `exceptions:` entry; its `rule` must name a rule of the catalogue.
pub fn exception(d: &mut Dec, y: &Yaml) -> Option<Exception> {
    let m = d.map(y, "an exception", &["rule", "reason"])?;
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
