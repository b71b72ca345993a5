//! Rules: `suppression-threshold`, `suppression-convention`.
//!
//! The anonymised summaries go to wide-audience forums, where the terms of
//! reference's Information Sharing and Confidentiality Statement still binds
//! what is shared. A count of 1 names a child to anyone who knows the area;
//! `anonymisation.suppress_below` is what stops it printing.

use super::Ctx;
use crate::diagnostic::Diagnostic;
use crate::rule_id::RuleId;

/// Below this, counts of 1 print: no suppression at all.
pub const LEAST_THRESHOLD: u32 = 2;

/// The convention for published statistics about children (the Department
/// for Education suppresses counts below 6, as does the NHS for small
/// numbers): below it, a warning.
pub const CONVENTIONAL_THRESHOLD: u32 = 6;

/// `suppression-threshold`: `suppress_below` is at least 2, so a count of
/// one child never prints in an anonymised summary.
pub(super) fn suppression_threshold(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let settings = &ctx.casebook.settings;
    let (Some(loc), n) = (settings.suppress_below_at, settings.suppress_below) else {
        return;
    };
    if n >= LEAST_THRESHOLD {
        return;
    }
    out.push(
        ctx.diag(
            RuleId::SuppressionThreshold,
            loc,
            format!(
                "suppress_below: {n} withholds no count: a summary would print a count of 1 child"
            ),
        )
        .with_help(format!(
            "set `suppress_below: {CONVENTIONAL_THRESHOLD}` (the convention for published figures about children), and no lower than {LEAST_THRESHOLD}"
        )),
    );
}

/// `suppression-convention`: `suppress_below` is at least 6, the convention
/// for published figures about children.
pub(super) fn suppression_convention(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let settings = &ctx.casebook.settings;
    let (Some(loc), n) = (settings.suppress_below_at, settings.suppress_below) else {
        return;
    };
    if !(LEAST_THRESHOLD..CONVENTIONAL_THRESHOLD).contains(&n) {
        return;
    }
    out.push(
        ctx.diag(
            RuleId::SuppressionConvention,
            loc,
            format!(
                "suppress_below: {n} prints counts of children from {n} up; the convention for published figures about children (the Department for Education's) withholds counts below {CONVENTIONAL_THRESHOLD}"
            ),
        )
        .with_help(format!(
            "set `suppress_below: {CONVENTIONAL_THRESHOLD}`; if the partnership's information sharing agreement allows {n}, say so under `rules:` with `suppression-convention: {{ level: off, reason: ... }}`"
        )),
    );
}
