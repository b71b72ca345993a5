//! The tables of a summary as CSV, for analysts: one long ("tidy") table
//! with a row per published number, so a spreadsheet's pivot table or any
//! analysis tool can read every quarter and forum the same way.
//!
//! Columns: `quarter, forum, table, key, label, measure, value, flag`. `key`
//! is the stable id (vocabulary id, rule id, age band), `label` the words a
//! reader sees; `value` is always a whole number or empty, so a spreadsheet
//! can sum the column. `flag` says why a value is empty:
//!
//! - `c`: a count of children suppressed (from 1 to `suppress_below - 1`,
//!   or a larger count hidden so that no `c` can be worked out);
//! - `coarsened`: not given, because this quarter the children table is
//!   published by role only or by age band only;
//! - `withheld`: not given, because this quarter only the total (or nothing)
//!   of the children table is published.
//!
//! A theme's trend is not a row: it follows from its two counts.
//!
//! Cells are quoted as RFC 4180 asks (fields holding a comma, a quote or a
//! line break go in double quotes, quotes doubled; lines end CRLF). Text
//! written in the records (areas, agency names) may start with `=`, `+`,
//! `-` or `@`, which a spreadsheet would run as a formula ("CSV injection"),
//! so such a cell gets a leading apostrophe, which spreadsheets show as text.

use super::aggregate::{ActionRow, Count, QuarterSummary};
use super::suppress::{Cell, Detail};
use crate::text::slug;

/// The header line's fields.
pub const COLUMNS: &[&str] = &[
    "quarter", "forum", "table", "key", "label", "measure", "value", "flag",
];

/// The summary's tables as CSV text.
pub fn summary_csv(s: &QuarterSummary) -> String {
    let mut w = Writer::new(s);
    w.line(COLUMNS.iter().map(|c| (*c).to_string()));
    contexts(&mut w, s);
    meetings(&mut w, s);
    actions(&mut w, s);
    children(&mut w, s);
    themes(&mut w, s);
    quarters(&mut w, s);
    w.out
}

/// One field, quoted and defused as the module docs say.
pub fn field(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

struct Writer {
    quarter: String,
    forum: String,
    out: String,
}

impl Writer {
    fn new(s: &QuarterSummary) -> Self {
        Writer {
            quarter: s.quarter.to_string(),
            forum: s.forum.id.clone(),
            out: String::new(),
        }
    }

    fn line(&mut self, fields: impl IntoIterator<Item = String>) {
        let fields: Vec<String> = fields.into_iter().map(|f| field(&f)).collect();
        self.out.push_str(&fields.join(","));
        self.out.push_str("\r\n");
    }

    /// One published number of a table.
    fn row(&mut self, table: &str, key: &str, label: &str, measure: &str, value: String) {
        self.flagged(table, key, label, measure, (value, ""));
    }

    /// One entry of a table: a number, or an empty value and its flag.
    fn flagged(
        &mut self,
        table: &str,
        key: &str,
        label: &str,
        measure: &str,
        entry: (String, &str),
    ) {
        let (value, flag) = entry;
        let fields = [
            self.quarter.clone(),
            self.forum.clone(),
            table.to_string(),
            key.to_string(),
            label.to_string(),
            measure.to_string(),
            value,
            flag.to_string(),
        ];
        self.line(fields);
    }

    fn counts(&mut self, table: &str, measure: &str, counts: &[Count]) {
        for c in counts {
            self.row(table, &c.key, &c.label, measure, c.count.to_string());
        }
    }

    fn action_row(&mut self, table: &str, r: &ActionRow) {
        let measures = [
            ("agreed", r.agreed),
            ("done", r.done),
            ("done-by-due-date", r.done_on_time),
            ("overdue-at-quarter-end", r.overdue),
        ];
        for (measure, n) in measures {
            self.row(table, &r.key, &r.label, measure, n.to_string());
        }
    }
}

fn contexts(w: &mut Writer, s: &QuarterSummary) {
    let c = &s.contexts;
    w.row(
        "contexts",
        "active",
        "Contexts active",
        "count",
        c.active.to_string(),
    );
    w.row(
        "contexts",
        "opened",
        "Contexts opened",
        "count",
        c.opened.to_string(),
    );
    w.row(
        "contexts",
        "closed",
        "Contexts closed",
        "count",
        c.closed.to_string(),
    );
    w.counts("contexts-by-type", "active", &c.by_type);
    w.counts("contexts-by-harm", "active", &c.by_harm);
    w.counts("contexts-by-area", "active", &c.by_area);
}

fn meetings(w: &mut Writer, s: &QuarterSummary) {
    let m = &s.meetings;
    let held = [
        ("conferences", "Conferences held", m.conferences_held),
        ("initial", "Initial conferences held", m.initial_held),
        ("review", "Review conferences held", m.review_held),
        ("interim", "Interim meetings held", m.interim_held),
    ];
    for (key, label, n) in held {
        w.row("meetings", key, label, "held", n.to_string());
    }
    let r = &s.reviews;
    let reviews = [
        ("due", "Reviews due", r.due),
        ("on-time", "Held on time", r.on_time),
        ("late", "Held late", r.late),
        ("overdue", "Overdue", r.overdue),
        ("upcoming", "Not yet due", r.upcoming),
    ];
    for (key, label, n) in reviews {
        w.row("reviews", key, label, "count", n.to_string());
    }
    let mv = &s.moved;
    let within = format!("Moved within {} days", mv.within_days);
    let not_within = format!("Not moved within {} days", mv.within_days);
    let moved = [
        ("moved", "Conferences moved", mv.moved),
        ("within", within.as_str(), mv.within),
        ("not-within", not_within.as_str(), mv.not_within),
    ];
    for (key, label, n) in moved {
        w.row("conferences-moved", key, label, "count", n.to_string());
    }
    w.counts("explained-breaches", "count", &s.explained_breaches);
    let ms = &s.measures;
    let measures = [
        ("improving", "Outcome measures improving", ms.improving),
        ("steady", "Outcome measures steady", ms.steady),
        ("worsening", "Outcome measures worsening", ms.worsening),
        (
            "of-the-context",
            "Of these, measures of the context",
            ms.of_the_context,
        ),
    ];
    // Only when a measure has readings: a casebook that records none keeps
    // the CSV it had, so a summary already sent is not "changed" by this.
    if ms.improving + ms.steady + ms.worsening > 0 {
        for (key, label, n) in measures {
            w.row("outcome-measures", key, label, "count", n.to_string());
        }
    }
}

fn actions(w: &mut Writer, s: &QuarterSummary) {
    w.action_row("actions", &s.actions.all);
    for r in &s.actions.by_domain {
        w.action_row("actions-by-domain", r);
    }
    for r in &s.actions.by_agency {
        w.action_row("actions-by-agency", r);
    }
}

/// The children table: each entry a number, or empty with its flag.
fn children(w: &mut Writer, s: &QuarterSummary) {
    let t = &s.children;
    let hidden_as = match t.detail {
        Detail::Full => "c",
        Detail::ByRole | Detail::ByAge => "coarsened",
        Detail::TotalOnly | Detail::Withheld => "withheld",
    };
    let entry = |c: &Cell| match c {
        Cell::Count(n) => (n.to_string(), ""),
        Cell::Suppressed => (String::new(), "c"),
        Cell::Withheld => (String::new(), hidden_as),
    };
    for (r, label) in t.row_labels.iter().enumerate() {
        let key = slug(label);
        let cells = t.cells.get(r).map(Vec::as_slice).unwrap_or(&[]);
        for (band, c) in t.column_labels.iter().zip(cells) {
            w.flagged("children", &key, label, &format!("age {band}"), entry(c));
        }
        if let Some(total) = t.row_totals.get(r) {
            w.flagged("children", &key, label, "all ages", entry(total));
        }
    }
    for (band, c) in t.column_labels.iter().zip(&t.column_totals) {
        let measure = format!("age {band}");
        w.flagged("children", "all", "All roles", &measure, entry(c));
    }
    w.flagged("children", "all", "All roles", "all ages", entry(&t.total));
}

fn themes(w: &mut Writer, s: &QuarterSummary) {
    let previous = format!("count {}", s.previous_quarter);
    for t in &s.themes {
        w.row("themes", &t.theme, &t.label, "count", t.count.to_string());
        w.row(
            "themes",
            &t.theme,
            &t.label,
            &previous,
            t.previous.to_string(),
        );
    }
    let n = s.learning.len().to_string();
    w.row(
        "learning",
        "items",
        "Learning items for this forum",
        "count",
        n,
    );
}

fn quarters(w: &mut Writer, s: &QuarterSummary) {
    for p in &s.recent {
        let q = p.quarter.to_string();
        let measures = [
            ("Contexts active", p.contexts_active),
            ("Conferences held", p.conferences_held),
            ("Interim meetings held", p.interim_held),
            ("Learning items", p.learning_items),
        ];
        for (label, n) in measures {
            w.row("recent-quarters", &q, &q, &slug(label), n.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_fields_stay_as_they_are() {
        assert_eq!(field("Stonehouse"), "Stonehouse");
        assert_eq!(field("10-13"), "10-13");
        assert_eq!(field(""), "");
    }

    #[test]
    fn rfc_4180_quoting() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("cr\rhere"), "\"cr\rhere\"");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("-2"), "'-2");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\tx"), "'\tx");
        // Only at the start: a formula needs its sign first.
        assert_eq!(field("a=b"), "a=b");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Alleged harmer"), "alleged-harmer");
        assert_eq!(slug("Both"), "both");
    }
}
