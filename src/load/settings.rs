//! `contextpack.yaml`: the partnership's settings.

use super::decode::{Dec, Decode};
use super::yaml::{Value, Yaml};
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Agency, ContextType, Forum, Person, Protocol, RuleChange, Settings, Theme};
use crate::rule_id::RuleId;
use crate::schema::records as R;
use crate::source::Sp;
use std::collections::BTreeMap;

/// Decodes the settings from the parsed file (`root` is null when the file is
/// empty or only comments).
pub fn decode(d: &mut Dec, root: &Yaml, settings: &mut Settings) {
    if root.is_null() {
        d.error_help(
            root.loc,
            "contextpack.yaml is empty: it needs at least partnership, agencies and people",
            "see FORMAT.md for the settings, or run `contextpack init` for a starting casebook",
        );
        return;
    }
    let Some(m) = d.record(root, &R::SETTINGS) else {
        return;
    };
    if let Some(p) = d.req(&m, "partnership", Dec::text) {
        settings.partnership = p.value;
    }
    if let Some(v) = d.opt(&m, "marking", Dec::text) {
        settings.marking = v.value;
    }
    if let Some(v) = d.opt(&m, "anonymised_marking", Dec::text) {
        settings.anonymised_marking = v.value;
    }
    // Read by the loader, which alone may open files: see `Loader::logo`.
    if let Some(path) = d.opt(&m, "logo", Dec::text) {
        settings.logo = Some(crate::model::Logo {
            path,
            format: "",
            bytes: Vec::new(),
            hash: String::new(),
        });
    }
    if d.present(&m, "agencies") {
        settings.agencies = d.opt_list(&m, "agencies", |d, y, _| agency(d, y));
    }
    if d.present(&m, "people") {
        settings.people_at = m.key_loc("people");
        settings.people = d.opt_list(&m, "people", |d, y, _| person(d, y));
    }
    if let Some(y) = m.get("forums") {
        settings.forums = d.list(y, "forums", forum);
    }
    if let Some(y) = m.get("protocol") {
        protocol(d, y, &mut settings.protocol);
    }
    if let Some(y) = m.get("anonymisation")
        && let Some(a) = d.record(y, &R::ANONYMISATION)
        && let Some(n) = d.opt(&a, "suppress_below", Dec::count)
    {
        settings.suppress_below = n.value;
        settings.suppress_below_at = Some(n.loc);
    }
    settings.as_of = d.opt(&m, "as_of", Dec::date);
    settings.harms = d.opt_list(&m, "harms", Dec::id);
    settings.themes = d.opt_list(&m, "themes", |d, y, _| theme(d, y));
    settings.areas = d.opt_list(&m, "areas", Dec::nonblank);
    if let Some(y) = m.get("rules") {
        settings.rules = rules(d, y);
    }
}

const LEVELS: &[&str] = &["off", "error", "breach", "warning"];

/// `rules:`: rule id to `off`, `error`, `breach` or `warning`, or to
/// `{ level: .., reason: .. }`. An error stays an error: a malformed record
/// is put right, not allowed. A breach lowered to a warning or turned off
/// needs a reason, because the terms of reference require what it checks.
fn rules(d: &mut Dec, y: &Yaml) -> Vec<RuleChange> {
    let entries = match &y.value {
        Value::Map(entries) => entries,
        Value::Null => return Vec::new(),
        _ => {
            d.error_help(
                y.loc,
                format!(
                    "`rules` must map rule ids to levels, found {}",
                    y.describe()
                ),
                "for example `rules:` then `  venue-agreed: off` on the next line",
            );
            return Vec::new();
        }
    };
    let ids: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
    let mut out: Vec<RuleChange> = Vec::new();
    for e in entries {
        let Some(rule) = RuleId::parse(&e.key) else {
            d.error_help(
                e.key_loc,
                format!("unknown rule `{}` in `rules`", e.key),
                super::decode::suggestion(&e.key, &ids, "rules"),
            );
            continue;
        };
        let (level, reason) = match &e.value.value {
            Value::Map(_) => {
                let Some(m) = d.record(&e.value, &R::RULE_SETTING) else {
                    continue;
                };
                let level = d.req(&m, "level", Dec::text);
                let reason = d.opt(&m, "reason", Dec::nonblank);
                match level {
                    Some(level) => (level, reason),
                    None => continue,
                }
            }
            _ => match d.text(&e.value, &e.key) {
                Some(level) => (level, None),
                None => continue,
            },
        };
        let kind = match level.value.as_str() {
            "off" => None,
            "error" => Some(Kind::Error),
            "breach" => Some(Kind::Breach),
            "warning" => Some(Kind::Warning),
            other => {
                d.error_help(
                    level.loc,
                    format!("unknown level `{other}` for rule `{rule}`"),
                    super::decode::suggestion(other, LEVELS, "levels"),
                );
                continue;
            }
        };
        if rule.kind() == Kind::Error && kind != Some(Kind::Error) {
            d.error_help(
                level.loc,
                format!("`{rule}` finds errors, and an error cannot be lowered or turned off"),
                "an error means the record is malformed: put the record right; remove this line",
            );
            continue;
        }
        let lowers_a_breach =
            rule.kind() == Kind::Breach && kind != Some(Kind::Breach) && kind != Some(Kind::Error);
        if lowers_a_breach && reason.is_none() {
            d.error_help(
                level.loc,
                format!(
                    "`{rule}: {}` lowers a breach of the terms of reference, and needs a reason",
                    level.value
                ),
                format!(
                    "write it as `{rule}: {{ level: {}, reason: \"...\" }}`: the reason is printed in every document and summary",
                    level.value
                ),
            );
            continue;
        }
        if out.iter().any(|c| c.rule.value == rule) {
            d.error(e.key_loc, format!("`{rule}` is set twice in `rules`"));
            continue;
        }
        out.push(RuleChange {
            rule: Sp::new(rule, e.key_loc),
            level: kind,
            reason,
        });
    }
    out.sort_by_key(|c| c.rule.value);
    out
}

fn agency(d: &mut Dec, y: &Yaml) -> Option<Agency> {
    let m = d.record(y, &R::AGENCY)?;
    let id = d.req(&m, "id", Dec::id);
    let name = d.req(&m, "name", Dec::text);
    let public_name = d.opt(&m, "public_name", Dec::text);
    let core = d.opt(&m, "core", Dec::bool);
    let name = name?;
    Some(Agency {
        id: id?,
        name: name.value,
        name_at: name.loc,
        public_name,
        core: core.is_some_and(|c| c.value),
    })
}

fn person(d: &mut Dec, y: &Yaml) -> Option<Person> {
    let m = d.record(y, &R::PERSON)?;
    let id = d.req(&m, "id", Dec::id);
    let name = d.req(&m, "name", Dec::text);
    let agency = d.req(&m, "agency", Dec::reference);
    let roles = d.opt_list(&m, "roles", Dec::text);
    Some(Person {
        id: id?,
        name: name?,
        agency: agency?,
        roles,
    })
}

/// A theme: `{ id: county-lines, label: County lines }`, or its id alone
/// (the label is the id in words).
fn theme(d: &mut Dec, y: &Yaml) -> Option<Theme> {
    if !matches!(y.value, Value::Map(_)) {
        let id = d.id(y, "themes")?;
        let label = crate::text::humanise(&id.value);
        return Some(Theme { id, label });
    }
    let m = d.record(y, &R::THEME)?;
    let id = d.req(&m, "id", Dec::id);
    let label = d.opt(&m, "label", Dec::nonblank);
    let id = id?;
    let label = label.map_or_else(|| crate::text::humanise(&id.value), |l| l.value);
    Some(Theme { id, label })
}

fn forum(d: &mut Dec, y: &Yaml) -> Option<Forum> {
    let m = d.record(y, &R::FORUM)?;
    let id = d.req(&m, "id", Dec::id);
    let name = d.req(&m, "name", Dec::text);
    Some(Forum {
        id: id?,
        name: name?.value,
    })
}

/// A partial `protocol:` keeps the defaults of the keys it does not give.
fn protocol(d: &mut Dec, y: &Yaml, p: &mut Protocol) {
    let Some(m) = d.record(y, &R::PROTOCOL) else {
        return;
    };
    let numbers: [(&str, &mut u32, Decode<Sp<u32>>); 5] = [
        (
            "review_within_months",
            &mut p.review_within_months,
            Dec::positive,
        ),
        (
            "reschedule_within_days",
            &mut p.reschedule_within_days,
            Dec::count,
        ),
        (
            "plan_discussion_min_minutes",
            &mut p.plan_discussion_min_minutes,
            Dec::count,
        ),
        (
            "conference_minutes",
            &mut p.conference_minutes,
            Dec::positive,
        ),
        (
            "conference_minutes_tolerance",
            &mut p.conference_minutes_tolerance,
            Dec::count,
        ),
    ];
    for (field, slot, f) in numbers {
        if let Some(n) = d.opt(&m, field, f) {
            *slot = n.value;
        }
    }
    if let Some(e) = m.entry("chairs") {
        p.chairs = chairs(d, &e.value);
    }
}

/// `chairs:` replaces the whole default mapping. Its keys are context types;
/// an unknown one is a `reference` error (the model cannot hold it).
fn chairs(d: &mut Dec, y: &Yaml) -> BTreeMap<ContextType, Vec<Sp<String>>> {
    let mut out = BTreeMap::new();
    let entries = match &y.value {
        Value::Map(entries) => entries,
        Value::Null => return out,
        _ => {
            d.error(
                y.loc,
                format!(
                    "`chairs` must map context types to chair roles, found {}",
                    y.describe()
                ),
            );
            return out;
        }
    };
    for e in entries {
        let roles = d.list(&e.value, "chairs", |d, y| d.text(y, "chairs"));
        match ContextType::parse(&e.key) {
            Some(t) => {
                out.insert(t, roles);
            }
            None => d.diags.push(
                Diagnostic::new(
                    RuleId::Reference,
                    e.key_loc,
                    format!("`{}` in `chairs` is not a context type", e.key),
                )
                .with_help(super::decode::suggestion(
                    &e.key,
                    ContextType::NAMES,
                    "context types",
                )),
            ),
        }
    }
    out
}
