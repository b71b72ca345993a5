//! `cases/<id>/context.yaml`: the context itself.

use super::decode::{Dec, suggestion};
use super::yaml::Yaml;
use crate::model::{Context, ContextType, Relation, Settings, YoungPerson, YoungPersonRole};
use crate::schema::records as R;
use crate::source::Sp;

/// Longest context title: it heads every document and names the PDF's
/// bookmarks, and a PDF string holds at most 32,767 bytes.
pub const MAX_TITLE_CHARS: usize = 300;

/// Fills `c` from the parsed context.yaml.
pub fn decode(d: &mut Dec, root: &Yaml, settings: &Settings, c: &mut Context) {
    let Some(m) = d.record(root, &R::CONTEXT) else {
        return;
    };
    c.context_type = d.req(&m, "type", |d, y, f| {
        d.vocab(y, f, "context type", ContextType::NAMES, ContextType::parse)
    });
    c.title = d.req(&m, "title", Dec::text);
    if let Some(t) = &c.title {
        let n = t.value.chars().count();
        if n > MAX_TITLE_CHARS {
            d.error_help(
                t.loc,
                format!("the title is {n} characters long; the limit is {MAX_TITLE_CHARS}"),
                "a title names the context in a line, like \"Harbour Walk and the quay\"; \
                 put the description in assessment.md",
            );
        }
    }
    c.area = d.req(&m, "area", Dec::text);
    c.opened = d.req(&m, "opened", Dec::date);
    c.closed = d.opt(&m, "closed", Dec::date);
    c.lead_practitioner = d.opt(&m, "lead_practitioner", Dec::reference);
    c.managed_by = d.opt(&m, "managed_by", Dec::text);
    if let Some(e) = m.entry("harms") {
        let known = settings.harm_names();
        c.harms = d.list(&e.value, "harms", |d, y| harm(d, y, &known));
    }
    if let Some(e) = m.entry("young_people") {
        c.young_people = d.list(&e.value, "young_people", young_person);
    }
    if let Some(e) = m.entry("related_contexts") {
        c.related = d.list(&e.value, "related_contexts", relation);
    }
}

/// `{ context: <id>, relation: <how> }`; the id is resolved by the rules.
fn relation(d: &mut Dec, y: &Yaml) -> Option<Relation> {
    let m = d.record(y, &R::RELATION)?;
    let context = d.req(&m, "context", Dec::reference);
    let relation = d.opt(&m, "relation", Dec::text);
    Some(Relation {
        loc: m.loc,
        context: context?,
        relation,
    })
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

/// Why a reference would collide with the summaries' own text: "A" (the
/// "Child A" convention) is in every sentence, "14" in every table.
fn weak_reference(reference: &str) -> Option<&'static str> {
    let kept: Vec<char> = reference.chars().filter(|c| c.is_alphanumeric()).collect();
    if kept.len() < 3 {
        Some("has fewer than three letters or digits")
    } else if kept.iter().all(|c| c.is_numeric()) {
        Some("is only a number")
    } else {
        None
    }
}

fn young_person(d: &mut Dec, y: &Yaml) -> Option<YoungPerson> {
    let m = d.record(y, &R::YOUNG_PERSON)?;
    let reference = d.req(&m, "ref", Dec::text);
    if let Some(why) = reference.as_ref().and_then(|r| weak_reference(&r.value)) {
        let at = reference.as_ref().map_or(m.loc, |r| r.loc);
        d.error_help(
            at,
            format!("a young person's `ref` {why}"),
            "the anonymity guard keeps a reference out of the summaries wherever it is written, so it must not be ordinary text: use letters and at least three characters, as `YP-A` or `DP-03`",
        );
    }
    // An entry with neither name nor age links a child defined in another
    // context; `load::young_people` fills them in from that definition.
    let link = ["name", "age", "born"].iter().all(|k| m.entry(k).is_none());
    let name = if link {
        reference.as_ref().map(|r| Sp::new(String::new(), r.loc))
    } else {
        d.req(&m, "name", Dec::text)
    };
    let age = d.opt(&m, "age", |d, y, f| d.uint(y, f, 0, 25));
    let born = d.opt(&m, "born", Dec::year_month);
    match (m.entry("age"), m.entry("born")) {
        (None, None) if !link => d.error_help(
            m.loc,
            "missing field `age` (or `born`) in a young person",
            "give `born: YYYY-MM` (the bands stay right as they grow up) or `age:`",
        ),
        (Some(_), Some(b)) => d.error_help(
            b.key_loc,
            "a young person has both `age` and `born`",
            "keep `born: YYYY-MM` and remove `age`; the age is worked out from it",
        ),
        _ => {}
    }
    let role = d.req(&m, "role", |d, y, f| {
        d.vocab(
            y,
            f,
            "young person role",
            YoungPersonRole::NAMES,
            YoungPersonRole::parse,
        )
    });
    let linked = d.opt(&m, "linked", Dec::date);
    let unlinked = d.opt(&m, "unlinked", Dec::date);
    if let (Some(l), Some(u)) = (&linked, &unlinked)
        && u.value < l.value
    {
        d.error_help(
            u.loc,
            format!("`unlinked` {} is before `linked` {}", u.value, l.value),
            "`unlinked` is the day the young person stopped being linked to this context, on or after `linked`",
        );
    }
    Some(YoungPerson {
        loc: m.loc,
        reference: reference?,
        name: name?,
        age,
        born,
        role,
        linked,
        unlinked,
        defined_in: link.then(String::new),
    })
}
