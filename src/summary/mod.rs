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
pub mod csv;
pub mod guard;
pub mod quarter;
pub mod suppress;
pub mod view;

#[cfg(test)]
mod tests;

pub use aggregate::{QuarterSummary, summarise};
pub use quarter::{Quarter, quarters_with_held_meetings};
pub use suppress::{Cell, SuppressedTable};

use crate::Checked;

/// The summary of `quarter` for the forum with id `forum`, if the casebook
/// has that forum.
pub fn summary_for(checked: &Checked, quarter: Quarter, forum: &str) -> Option<QuarterSummary> {
    let forum = checked.casebook.settings.forum(forum)?;
    Some(summarise(
        &checked.casebook,
        &checked.diagnostics,
        &checked.turned_off,
        checked.today,
        quarter,
        forum,
    ))
}

/// Every summary `build` writes: each quarter with a held meeting, oldest
/// first, and within it each forum in the order of `forums:`.
pub fn all_summaries(checked: &Checked) -> Vec<QuarterSummary> {
    let cb = &checked.casebook;
    quarters_with_held_meetings(cb)
        .into_iter()
        .flat_map(|q| {
            cb.settings.forums.iter().map(move |f| {
                summarise(
                    cb,
                    &checked.diagnostics,
                    &checked.turned_off,
                    checked.today,
                    q,
                    f,
                )
            })
        })
        .collect()
}
