//! `cases/<id>/context.yaml`: the context itself.

use super::decode::{Dec, suggestion};
use super::yaml::Yaml;
use crate::model::{Context, ContextType, HARMS, Settings, YoungPerson, YoungPersonRole};
use crate::source::Sp;

const FIELDS: &[&str] = &[
    "type",
    "title",
    "area",
    "opened",
    "closed",
    "lead_practitioner",
    "managed_by",
    "harms",
    "young_people",
];

/// Fills `c` from the parsed context.yaml.
pub fn decode(d: &mut Dec, root: &Yaml, settings: &Settings, c: &mut Context) {
    let Some(m) = d.map(root, "context.yaml", FIELDS) else {
        return;
    };
    c.context_type = d.req(&m, "type", |d, y, f| {
        d.vocab(y, f, "context type", ContextType::NAMES, ContextType::parse)
    });
    c.title = d.req(&m, "title", Dec::text);
    c.area = d.req(&m, "area", Dec::text);
    c.opened = d.req(&m, "opened", Dec::date);
    c.closed = d.opt(&m, "closed", Dec::date);
    c.lead_practitioner = d.opt(&m, "lead_practitioner", Dec::reference);
    c.managed_by = d.opt(&m, "managed_by", Dec::text);
    if let Some(e) = m.entry("harms") {
        let known = harm_names(settings);
        c.harms = d.list(&e.value, "harms", |d, y| harm(d, y, &known));
    }
    if let Some(e) = m.entry("young_people") {
        c.young_people = d.list(&e.value, "young_people", young_person);
    }
}

/// The built-in harm types and the casebook's own.
fn harm_names(settings: &Settings) -> Vec<&str> {
    HARMS
        .iter()
        .copied()
        .chain(settings.harms.iter().map(|h| h.value.as_str()))
        .collect()
}

fn harm(d: &mut Dec, y: &Yaml, known: &[&str]) -> Option<Sp<String>> {
    let t = d.text(y, "harms")?;
    if known.contains(&t.value.as_str()) {
        return Some(t);
    }
    d.error_help(
        t.loc,
        format!("unknown harm type `{}`", t.value),
        format!(
            "{}; a partnership may add its own under `harms:` in contextpack.yaml",
            suggestion(&t.value, known, "harm types")
        ),
    );
    None
}

fn young_person(d: &mut Dec, y: &Yaml) -> Option<YoungPerson> {
    let m = d.map(y, "a young person", &["ref", "name", "age", "role"])?;
    let reference = d.req(&m, "ref", Dec::text);
    let name = d.req(&m, "name", Dec::text);
    let age = d.req(&m, "age", |d, y, f| d.uint(y, f, 0, 25));
    let role = d.req(&m, "role", |d, y, f| {
        d.vocab(
            y,
            f,
            "young person role",
            YoungPersonRole::NAMES,
            YoungPersonRole::parse,
        )
    });
    Some(YoungPerson {
        loc: m.loc,
        reference: reference?,
        name: name?,
        age,
        role,
    })
}
