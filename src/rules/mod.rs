//! The rules of PROTOCOL.md: each a small function beside its id and kind.
//!
//! `schema` is reported by the loader while it reads the files, `anonymity` by
//! `build` when it writes anonymised summaries; every other rule runs here over
//! the loaded casebook.

mod actions;
mod anonymisation;
mod assessment;
pub mod catalogue;
mod connections;
mod exceptions;
mod meetings;
mod oversight;
mod references;
mod reviews;

/// The builder of small casebooks the rule tests use, for the domain modules' tests.
#[cfg(test)]
pub(crate) use meetings::tests as test_casebook;

use crate::diagnostic::Diagnostic;
use crate::model::{Casebook, Date};
pub use crate::rule_id::RuleId;
use crate::source::Loc;

pub use anonymisation::KEY_MESSAGES;
pub use catalogue::{RULES, Rule, rule};

/// What every rule gets to look at.
pub struct Ctx<'a> {
    pub casebook: &'a Casebook,
    /// The date rules compare against (`--today`, `as_of:`, or the clock).
    pub today: Date,
}

impl Ctx<'_> {
    /// A finding of `rule`.
    pub fn diag(&self, rule: RuleId, loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, loc, message)
    }
}

/// A rule's check: reads the casebook, pushes what it finds.
pub type CheckFn = fn(&Ctx, &mut Vec<Diagnostic>);

/// What the rules found.
pub struct Checked {
    /// Sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings of rules the casebook turned off, in the same order.
    pub turned_off: Vec<Diagnostic>,
}

/// Runs every rule over the casebook, applies the casebook's `rules:`, then
/// marks breaches explained by an `exceptions:` entry and warns about
/// exceptions that explain nothing. `loaded` are the loader's diagnostics;
/// the result is sorted and stable.
pub fn check(casebook: &Casebook, today: Date, loaded: Vec<Diagnostic>) -> Checked {
    use rayon::prelude::*;
    let ctx = Ctx { casebook, today };
    // Rules read the casebook and only add findings: they run in parallel,
    // each into its own list, joined in catalogue order (and sorted below).
    let found: Vec<Vec<Diagnostic>> = RULES
        .par_iter()
        .map(|r| {
            let mut found = Vec::new();
            if let Some(f) = r.check {
                f(&ctx, &mut found);
            }
            found
        })
        .collect();
    let mut out = loaded;
    out.extend(found.into_iter().flatten());
    let mut turned_off = configure(&casebook.settings.rules, &mut out);
    exceptions::apply(&ctx, &mut out);
    let path = |loc: &Loc| casebook.sources.path(loc.file).to_string();
    crate::diagnostic::sort(&mut out, path);
    crate::diagnostic::sort(&mut turned_off, path);
    Checked {
        diagnostics: out,
        turned_off,
    }
}

/// The one place a casebook's `rules:` changes what is reported: each
/// finding of a changed rule takes the casebook's level, remembering the
/// protocol's; findings of a rule turned off are taken out and returned.
/// (The loader has refused any change to an error rule.)
fn configure(changes: &[crate::model::RuleChange], found: &mut Vec<Diagnostic>) -> Vec<Diagnostic> {
    if changes.is_empty() {
        return Vec::new();
    }
    let mut off = Vec::new();
    let mut kept = Vec::with_capacity(found.len());
    for mut d in found.drain(..) {
        match changes
            .iter()
            .find(|c| c.rule.value == d.rule)
            .map(|c| c.level)
        {
            Some(None) => off.push(d),
            Some(Some(kind)) if kind != d.kind => {
                d.changed_from = Some(d.kind);
                d.kind = kind;
                kept.push(d);
            }
            _ => kept.push(d),
        }
    }
    *found = kept;
    off
}
