//! What the forums already hold: the releases `contextpack publish` recorded
//! in `published/`, how a build's summary stands against them, and the mark
//! a reissue carries.
//!
//! A release is final. A summary whose figures differ from the last release
//! of its quarter and forum is refused ([`RuleId::PublishedSummary`]) unless
//! the build reissues that quarter; then it is marked as issue N + 1 on its
//! first page, and its children table is protected against every release
//! already sent, so comparing the two copies gives no child away. The CSV
//! holds the figures and nothing that changes from build to build (no date,
//! no commit), so its sha256 is what is compared.

use super::aggregate::QuarterSummary;
use super::csv::summary_csv;
use super::quarter::Quarter;
use super::suppress::{Cell, CountTable, Earlier, SuppressedTable};
use crate::diagnostic::Diagnostic;
use crate::model::{Casebook, Published, Release, Shown, ShownTable};
use crate::rule_id::RuleId;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The mark of a reissued summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reissue {
    /// 2 for the first reissue.
    pub issue: u32,
    /// `YYYY-MM-DD`: when the issue this one replaces was sent.
    pub replaces: String,
}

/// The record of what forum `forum` was sent of quarter `q`.
pub fn record<'a>(cb: &'a Casebook, q: Quarter, forum: &str) -> Option<&'a Published> {
    cb.published
        .iter()
        .find(|p| p.forum.value == forum && p.quarter.value.parse() == Ok(q))
}

/// A children table a forum was sent.
#[derive(Clone, Debug)]
pub struct Sent {
    pub quarter: Quarter,
    pub issue: u32,
    pub date: crate::model::Date,
    pub table: Earlier,
}

/// Every children table sent of a quarter up to `last`, each once (every
/// forum is sent the same table), oldest quarter first; only those laid out
/// like `counts`, the table they are compared with. Each is labelled with
/// its quarter.
pub fn sent_tables(cb: &Casebook, last: Quarter, counts: &CountTable) -> Vec<Sent> {
    let mut out: Vec<Sent> = Vec::new();
    for p in &cb.published {
        let Ok(q) = p.quarter.value.parse::<Quarter>() else {
            continue;
        };
        if q > last {
            continue;
        }
        for r in &p.releases {
            let Some(t) = r.children.as_ref().filter(|t| same_layout(t, counts)) else {
                continue;
            };
            let grid = grid_of(t);
            if out.iter().any(|s| s.quarter == q && s.table.shown == grid) {
                continue;
            }
            if let Some(table) = Earlier::printed(q.to_string(), grid) {
                out.push(Sent {
                    quarter: q,
                    issue: r.issue.value,
                    date: r.published.value,
                    table,
                });
            }
        }
    }
    out.sort_by_key(|s| (s.quarter, s.issue));
    out
}

fn same_layout(t: &ShownTable, counts: &CountTable) -> bool {
    t.rows == counts.row_labels && t.columns == counts.column_labels
}

/// The table as [`Cell`]s, as the attack reads it.
pub fn grid_of(t: &ShownTable) -> Vec<Vec<Cell>> {
    t.shown
        .iter()
        .map(|line| {
            line.iter()
                .map(|s| match *s {
                    Shown::Count(n) => Cell::Count(n),
                    Shown::Suppressed => Cell::Suppressed,
                    Shown::Withheld => Cell::Withheld,
                })
                .collect()
        })
        .collect()
}

/// The children table as a record keeps it.
pub fn shown_of(t: &SuppressedTable) -> Vec<Vec<Shown>> {
    t.grid()
        .iter()
        .map(|line| {
            line.iter()
                .map(|c| match *c {
                    Cell::Count(n) => Shown::Count(n),
                    Cell::Suppressed => Shown::Suppressed,
                    Cell::Withheld => Shown::Withheld,
                })
                .collect()
        })
        .collect()
}

/// The sha256 of a summary's CSV, in hexadecimal.
pub fn csv_sha256(s: &QuarterSummary) -> String {
    format!("{:x}", Sha256::digest(summary_csv(s).as_bytes()))
}

/// How one summary stands against its forum's record.
#[derive(Debug, PartialEq, Eq)]
pub enum Standing {
    /// Nothing of this quarter was sent to this forum.
    Unsent,
    /// Its figures are those of the last release.
    AsSent,
    /// Its figures differ from the last release.
    Changed,
}

/// [`Standing`] of `s`, with the record's last release.
pub fn standing<'a>(cb: &'a Casebook, s: &QuarterSummary) -> (Standing, Option<&'a Release>) {
    let Some(last) = record(cb, s.quarter, &s.forum.id).and_then(|p| p.releases.last()) else {
        return (Standing::Unsent, None);
    };
    if csv_sha256(s) == last.csv_sha256.value {
        (Standing::AsSent, Some(last))
    } else {
        (Standing::Changed, Some(last))
    }
}

/// Marks each summary as the record says it stands: a summary as sent keeps
/// the mark its release carried, a changed one in a quarter of `reissue` is
/// the next issue. Every changed summary of any other quarter is refused,
/// one error each at the release it would contradict.
pub fn settle(
    cb: &Casebook,
    summaries: &mut [QuarterSummary],
    reissue: &[Quarter],
) -> Vec<Diagnostic> {
    let mut refused = Vec::new();
    for s in summaries.iter_mut() {
        let record = record(cb, s.quarter, &s.forum.id);
        let (standing, last) = standing(cb, s);
        let Some((record, last)) = record.zip(last) else {
            continue;
        };
        s.reissue = match standing {
            Standing::Unsent => None,
            Standing::AsSent => mark_of(record, last.issue.value),
            Standing::Changed if reissue.contains(&s.quarter) => Some(Reissue {
                issue: last.issue.value + 1,
                replaces: last.published.value.to_string(),
            }),
            Standing::Changed => {
                refused.push(refusal(s, last));
                None
            }
        };
    }
    refused
}

/// The mark issue `issue` of `record` carries: none on the first.
fn mark_of(record: &Published, issue: u32) -> Option<Reissue> {
    let before = record
        .releases
        .iter()
        .find(|r| r.issue.value + 1 == issue)?;
    Some(Reissue {
        issue,
        replaces: before.published.value.to_string(),
    })
}

fn refusal(s: &QuarterSummary, last: &Release) -> Diagnostic {
    let changes = changes(last, &s.children);
    let what = if changes.is_empty() {
        "its figures would change (the children table is as sent)".to_string()
    } else {
        format!("its children table would change: {}", changes.join("; "))
    };
    Diagnostic::new(
        RuleId::PublishedSummary,
        last.loc,
        format!(
            "the {} summary for {} was sent on {} (issue {}), and {what}",
            s.quarter, s.forum.name, last.published.value, last.issue.value
        ),
    )
    .with_help(format!(
        "a forum already holds it: if the change is a correction it must have, build with `--reissue {q}` and record what you send with `contextpack publish --quarter {q}`; otherwise find the change (a child linked without a `linked:` date counts from the context's opening) and undo it",
        q = s.quarter
    ))
}

/// Each entry of the children table that differs from the release, as
/// "Affected, 14-15: 6 -> 7", at most five.
fn changes(last: &Release, now: &SuppressedTable) -> Vec<String> {
    let Some(sent) = &last.children else {
        return Vec::new();
    };
    let now_grid = now.grid();
    let then = grid_of(sent);
    let rows: Vec<&str> = now
        .row_labels
        .iter()
        .map(String::as_str)
        .chain(["All roles"])
        .collect();
    let cols: Vec<&str> = now
        .column_labels
        .iter()
        .map(String::as_str)
        .chain(["all ages"])
        .collect();
    let mut out = Vec::new();
    for (r, line) in now_grid.iter().enumerate() {
        for (c, cell) in line.iter().enumerate() {
            let before = then.get(r).and_then(|l| l.get(c));
            if before != Some(cell) {
                let before = before.map_or("nothing".to_string(), Cell::to_string);
                out.push(format!(
                    "{}, {}: {before} -> {cell}",
                    rows.get(r).unwrap_or(&"?"),
                    cols.get(c).unwrap_or(&"?")
                ));
            }
        }
    }
    if out.len() > 5 {
        let more = out.len() - 5;
        out.truncate(5);
        out.push(format!("and {more} more"));
    }
    out
}
