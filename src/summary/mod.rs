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
        .map(|f| summarise_for(checked, (quarter, f), &children.table))
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
                .map(move |f| summarise_for(checked, (q, f), &children.table))
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

/// The children table of each of `quarters`, in their order (oldest first),
/// each audited against every summary a forum holds from before it: those of
/// the quarters with a held meeting. Every forum gets the same table, so
/// comparing forums tells a reader nothing more.
pub fn children_tables(cb: &Casebook, quarters: &[Quarter]) -> Vec<Earlier> {
    let threshold = cb.settings.suppress_below;
    let release = |q: Quarter, earlier: &[Earlier]| {
        let counts = children_counts(cb, q);
        let table = protect(&counts, threshold, earlier);
        Earlier {
            label: q.to_string(),
            counts,
            table,
        }
    };
    let last = quarters.iter().max().copied();
    let mut held: Vec<Quarter> = Vec::new();
    let mut chain: Vec<Earlier> = Vec::new();
    for q in quarters_with_held_meetings(cb) {
        if Some(q) > last {
            break;
        }
        let e = release(q, &chain);
        held.push(q);
        chain.push(e);
    }
    quarters
        .iter()
        .map(|&q| match held.iter().position(|&h| h == q) {
            Some(i) => chain[i].clone(),
            None => {
                let before = held.iter().take_while(|&&h| h < q).count();
                release(q, &chain[..before])
            }
        })
        .collect()
}
