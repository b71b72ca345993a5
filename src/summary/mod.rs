//! Anonymised quarterly theme summaries for the strategic forums: the logic,
//! without any rendering.
//!
//! - [`quarter`]: calendar quarters (`2026-Q3`) and which quarters get a summary.
//! - [`aggregate`]: the numbers and learning of one quarter for one forum, as
//!   plain serialisable data ([`QuarterSummary`]).
//! - [`suppress`]: small-number suppression of counts of children.
//! - [`guard`]: the leak guard, rule `anonymity`: search an output's text for
//!   every name, reference and title of the casebook.
//!
//! A renderer takes a [`QuarterSummary`], renders it, extracts the text of
//! what it rendered (HTML with [`guard::html_text`], JSON with
//! [`guard::json_text`], CSV as it is, PDF text as typst laid it out), and
//! passes it to a [`guard::Guard`] made once from [`guard::forbidden_terms`]
//! before anything is written; each [`guard::Leak`] becomes an error with
//! [`guard::leak_diagnostic`].

pub mod aggregate;
pub mod attack;
pub mod csv;
pub mod guard;
pub mod published;
pub mod quarter;
pub mod suppress;
pub mod view;

#[cfg(test)]
mod tests;

pub use aggregate::{QuarterSummary, summarise};
pub use quarter::{Quarter, quarters_with_held_meetings};
pub use suppress::{Cell, Earlier, SuppressedTable};

use aggregate::children_counts;
use suppress::protect;

use crate::Checked;
use crate::model::{Casebook, Forum};

/// The summary of `quarter` for the forum with id `forum`, if the casebook
/// has that forum.
pub fn summary_for(checked: &Checked, quarter: Quarter, forum: &str) -> Option<QuarterSummary> {
    quarter_summaries(checked, quarter, Some(forum)).pop()
}

/// The summaries of `quarter` for every forum, in the order of `forums:`,
/// or for the one with id `only`: the children table protected once for
/// them all.
pub fn quarter_summaries(
    checked: &Checked,
    quarter: Quarter,
    only: Option<&str>,
) -> Vec<QuarterSummary> {
    let cb = &checked.casebook;
    let forums: Vec<&Forum> = cb
        .settings
        .forums
        .iter()
        .filter(|f| only.is_none_or(|id| f.id.value == id))
        .collect();
    if forums.is_empty() {
        return Vec::new();
    }
    let Some(children) = children_tables(cb, &[quarter]).pop() else {
        return Vec::new();
    };
    forums
        .into_iter()
        .map(|f| summarise_for(checked, (quarter, f), &children))
        .collect()
}

/// Every summary `build` writes: each quarter with a held meeting, oldest
/// first, and within it each forum in the order of `forums:`.
pub fn all_summaries(checked: &Checked) -> Vec<QuarterSummary> {
    let cb = &checked.casebook;
    let quarters = quarters_with_held_meetings(cb);
    children_tables(cb, &quarters)
        .into_iter()
        .zip(quarters)
        .flat_map(|(children, q)| {
            cb.settings
                .forums
                .iter()
                .map(move |f| summarise_for(checked, (q, f), &children))
        })
        .collect()
}

/// [`summarise`] with the checked casebook's diagnostics and date.
fn summarise_for(
    checked: &Checked,
    (quarter, forum): (Quarter, &Forum),
    children: &SuppressedTable,
) -> QuarterSummary {
    summarise(
        &checked.casebook,
        &checked.diagnostics,
        &checked.turned_off,
        checked.today,
        (quarter, forum),
        children.clone(),
    )
}

/// The children table of each of `quarters`, in their order, each audited
/// against every table a forum holds from before it: the summaries of the
/// quarters with a held meeting, and every release recorded in
/// `published/` up to its own quarter (a reissue is audited against the
/// issue it replaces). Every forum gets the same table, so comparing forums
/// tells a reader nothing more.
pub fn children_tables(cb: &Casebook, quarters: &[Quarter]) -> Vec<SuppressedTable> {
    let threshold = cb.settings.suppress_below;
    // What readers hold of each quarter, built up oldest first.
    let mut held: Vec<(Quarter, Earlier)> = Vec::new();
    let release = |q: Quarter, held: &[(Quarter, Earlier)]| {
        let counts = children_counts(cb, q);
        let sent = published::sent_tables(cb, q, &counts);
        // Earlier quarters as sent, else as built; this quarter's own
        // issues by their date, as a reissue is audited against them.
        let mut against: Vec<Earlier> = Vec::new();
        let mut own: Vec<Earlier> = Vec::new();
        for s in &sent {
            if s.quarter < q {
                against.push(s.table.clone());
            } else {
                let mut e = s.table.clone();
                e.label = format!("issue {} of {q}, sent on {}", s.issue, s.date);
                own.push(e);
            }
        }
        for (h, e) in held.iter().filter(|(h, _)| *h < q) {
            if !sent
                .iter()
                .any(|s| s.quarter == *h && s.table.shown == e.shown)
            {
                against.push(e.clone());
            }
        }
        against.extend(own.iter().cloned());
        let mut table = protect(&counts, threshold, &against);
        // An issue with the same figures is this table: not worth a word.
        let grid = table.grid();
        let same: Vec<&str> = own
            .iter()
            .filter(|e| e.shown == grid)
            .map(|e| e.label.as_str())
            .collect();
        let mut labels: Vec<String> = Vec::new();
        for l in std::mem::take(&mut table.audited_against) {
            if !same.contains(&l.as_str()) && !labels.contains(&l) {
                labels.push(l);
            }
        }
        table.audited_against = labels;
        (Earlier::of(q.to_string(), &counts, &table), table)
    };
    let last = quarters.iter().max().copied();
    let mut done: Vec<(Quarter, SuppressedTable)> = Vec::new();
    for q in quarters_with_held_meetings(cb) {
        if Some(q) > last {
            break;
        }
        let (this, table) = release(q, &held);
        held.push((q, this));
        done.push((q, table));
    }
    quarters
        .iter()
        .map(|&q| match done.iter().find(|(d, _)| *d == q) {
            Some((_, t)) => t.clone(),
            None => release(q, &held).1,
        })
        .collect()
}
