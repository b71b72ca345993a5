//! Completion from the records' shapes: the field names where a key is
//! being written, and where a value is, the values its field may take (a
//! closed vocabulary, or the casebook's own ids).

use crate::schema::records::{ASSESSMENT, CONTEXT, MEETING, PLAN, SETTINGS};
use crate::schema::{Field, Kind, Known, Shape, Target};
use lsp_types as lsp;

/// The shape of the record at a casebook-relative path.
pub fn shape_of(rel: &str) -> Option<&'static Shape> {
    match rel {
        "contextpack.yaml" => Some(&SETTINGS),
        p if p.starts_with("cases/") && p.ends_with("/context.yaml") => Some(&CONTEXT),
        p if p.starts_with("cases/") && p.ends_with("/plan.yaml") => Some(&PLAN),
        p if p.starts_with("cases/") && p.ends_with("/assessment.md") => Some(&ASSESSMENT),
        p if p.contains("/conferences/") && p.ends_with(".md") => Some(&MEETING),
        _ => None,
    }
}

/// The records a kind holds.
fn shapes_in(kind: &'static Kind, out: &mut Vec<&'static Shape>) {
    match kind {
        Kind::Record(s) => out.push(s),
        Kind::List(k) => shapes_in(k, out),
        Kind::Either(ks) => ks.iter().for_each(|k| shapes_in(k, out)),
        Kind::Keyed { values, .. } => shapes_in(values, out),
        _ => {}
    }
}

/// The field called `name` in `shape` or a record inside it, nearest first.
pub fn field_named(shape: &'static Shape, name: &str) -> Option<&'static Field> {
    let mut queue = vec![shape];
    let mut seen = 0;
    while seen < queue.len() {
        let s = queue[seen];
        seen += 1;
        if let Some(f) = s.field(name) {
            return Some(f);
        }
        for f in s.fields {
            shapes_in(&f.kind, &mut queue);
        }
        if queue.len() > 200 {
            break;
        }
    }
    None
}

/// The key written on the line around `offset` when the cursor is on it:
/// `status` in `  status: planned`.
pub fn key_at(text: &str, offset: usize) -> Option<(String, usize)> {
    let (word, start) = super::convert::word_at(text, offset)?;
    text[start + word.len()..]
        .starts_with(':')
        .then(|| (word.to_string(), start))
}

/// What may be written at `offset` of the record at `rel`.
pub fn items(
    rel: &str,
    text: &str,
    offset: usize,
    known: &Known,
    goals: &[String],
) -> Option<Vec<lsp::CompletionItem>> {
    let root = shape_of(rel)?;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let body = before.trim_start().trim_start_matches("- ").trim_start();
    let indent = before.len() - before.trim_start().len();
    let parent = parent_key(text, line_start, indent);
    let mut inner = Vec::new();
    if let Some(f) = parent.as_deref().and_then(|k| field_named(root, k)) {
        shapes_in(&f.kind, &mut inner);
    }
    // A list item under a list of values (`partner_reports:`) is a value.
    let item_of_values =
        before.trim_start().starts_with('-') && parent.is_some() && inner.is_empty();
    // Where a key is being written: the fields of the record around it.
    if !body.contains(':') && !body.contains('{') && !body.starts_with('#') && !item_of_values {
        let shape = match &parent {
            None => root,
            Some(_) => inner.first().copied()?,
        };
        return Some(
            shape
                .fields
                .iter()
                .map(|f| lsp::CompletionItem {
                    label: f.name.to_string(),
                    kind: Some(lsp::CompletionItemKind::FIELD),
                    detail: Some(f.doc.to_string()),
                    insert_text: Some(format!("{}: ", f.name)),
                    ..Default::default()
                })
                .collect(),
        );
    }
    // Where a value is: the values of the field it belongs to.
    let key = last_key(before).or(parent)?;
    let field = field_named(root, &key)?;
    let mut values = Vec::new();
    values_of(&field.kind, known, goals, &mut values);
    values.sort();
    values.dedup();
    Some(
        values
            .into_iter()
            .map(|v| lsp::CompletionItem {
                label: v,
                kind: Some(lsp::CompletionItemKind::VALUE),
                detail: Some(field.doc.to_string()),
                ..Default::default()
            })
            .collect(),
    )
}

/// The last `key:` written on the line before the cursor, in a flow
/// mapping (`{ agency: `) or a block one (`owner:`).
fn last_key(before: &str) -> Option<String> {
    let colon = before
        .rfind(": ")
        .or_else(|| before.strip_suffix(':').map(str::len))?;
    let head = &before[..colon];
    let start = head
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .map_or(0, |i| i + 1);
    let key = &head[start..];
    (!key.is_empty()).then(|| key.to_string())
}

/// The key of the mapping that holds a line indented by `indent`: the
/// nearest line above indented less, that is not an item of the same
/// mapping (`  - id: a1` holds its siblings at four spaces).
fn parent_key(text: &str, line_start: usize, indent: usize) -> Option<String> {
    if line_start == 0 {
        return None;
    }
    for line in text[..line_start - 1].lines().rev() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" {
            continue;
        }
        let own = line.len() - trimmed.len();
        let is_item = trimmed.starts_with("- ");
        if own >= indent || (is_item && own + 2 == indent) {
            continue;
        }
        let key = trimmed.trim_start_matches("- ");
        let end = key.find(':')?;
        return Some(key[..end].trim().to_string());
    }
    None
}

fn values_of(kind: &Kind, known: &Known, goals: &[String], out: &mut Vec<String>) {
    match kind {
        Kind::Words(words) => out.extend(words.iter().map(|w| w.to_string())),
        Kind::Bool => out.extend(["true".to_string(), "false".to_string()]),
        Kind::Ref(targets) => {
            for t in *targets {
                match t {
                    Target::Goal => out.extend(goals.iter().cloned()),
                    t => out.extend(known.ids(*t).unwrap_or_default().iter().cloned()),
                }
            }
        }
        Kind::PersonOrName => out.extend(
            known
                .ids(Target::Person)
                .unwrap_or_default()
                .iter()
                .cloned(),
        ),
        Kind::List(k) => values_of(k, known, goals, out),
        Kind::Either(ks) => ks.iter().for_each(|k| values_of(k, known, goals, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(rel: &str, text: &str, known: &Known) -> Vec<String> {
        let at = text.find('|').unwrap();
        let text = text.replace('|', "");
        items(rel, &text, at, known, &["g1".into(), "g2".into()])
            .unwrap_or_default()
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn values_come_from_the_field_under_the_cursor() {
        let mut known = Known::builtin();
        known.set(Target::Agency, ["csc".into(), "police".into()]);
        known.set(Target::Person, ["jo-smith".into()]);
        let plan = "cases/quay/plan.yaml";
        assert_eq!(
            labels(plan, "actions:\n  - id: a1\n    status: |\n", &known),
            ["done", "dropped", "in-progress", "planned"]
        );
        assert_eq!(
            labels(plan, "actions:\n  - id: a1\n    owner: { agency: |", &known),
            ["csc", "police"]
        );
        assert_eq!(
            labels(plan, "actions:\n  - id: a1\n    goal: |", &known),
            ["g1", "g2"]
        );
        let meeting = "cases/quay/conferences/2026-11-20-initial.md";
        assert_eq!(labels(meeting, "---\nchair: |\n", &known), ["jo-smith"]);
        assert_eq!(
            labels(meeting, "---\npartner_reports:\n  - |\n", &known),
            ["csc", "police"]
        );
    }

    #[test]
    fn keys_come_from_the_record_being_written() {
        let known = Known::builtin();
        let plan = "cases/quay/plan.yaml";
        let top = labels(plan, "|", &known);
        assert_eq!(top, ["goals", "actions", "exceptions"]);
        let action = labels(plan, "actions:\n  - id: a1\n    sta|", &known);
        assert!(action.contains(&"status".to_string()), "{action:?}");
        assert!(action.contains(&"owner".to_string()), "{action:?}");
    }
}
