//! `exceptions:` entries: explained breaches, and the `exception-unused` rule.
//!
//! History cannot be edited, so a breach that happened is explained in the
//! record instead: an `exceptions:` entry in the same file, naming the rule
//! and giving the reason. Errors are never explained: they are mistakes in
//! the record, and the fix is to correct it.

use super::Ctx;
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Casebook, Context, Exception};
use crate::rule_id::RuleId;
use crate::source::FileId;

/// An `exceptions:` entry with the file it is in and the context it belongs to.
struct Entry<'a> {
    file: FileId,
    exception: &'a Exception,
    context: &'a Context,
}

/// Marks each breach or warning explained by an exception in its own file, and
/// warns (`exception-unused`) about exceptions that explain nothing.
pub(super) fn apply(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let entries = entries(ctx.casebook);
    let mut used = vec![false; entries.len()];
    for d in out.iter_mut() {
        explain(d, &entries, &mut used);
    }
    let unused: Vec<Diagnostic> = entries
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .filter_map(|(e, _)| exception_unused(ctx, e, out))
        .collect();
    out.extend(unused);
}

/// Every exception in the casebook, from conference files and plans.
fn entries(cb: &Casebook) -> Vec<Entry<'_>> {
    let mut all = Vec::new();
    for c in &cb.contexts {
        for m in &c.meetings {
            all.extend(m.exceptions.iter().map(|e| Entry {
                file: m.file,
                exception: e,
                context: c,
            }));
        }
        if let Some(plan) = &c.plan {
            all.extend(plan.exceptions.iter().map(|e| Entry {
                file: plan.file.unwrap_or(e.loc.file),
                exception: e,
                context: c,
            }));
        }
    }
    all
}

/// Whether an exception may explain this diagnostic. `exception-unused` is
/// never explained: an exception for it would only hide a stale exception.
fn explainable(d: &Diagnostic) -> bool {
    matches!(d.kind, Kind::Breach | Kind::Warning)
        && d.rule != RuleId::ExceptionUnused
        && d.explained.is_none()
}

/// Explains `d` by every exception for its rule in its file. Two exceptions
/// for the same rule in one file (say, two absent agencies) both explain each
/// such breach, so their reasons are given together.
fn explain(d: &mut Diagnostic, entries: &[Entry], used: &mut [bool]) {
    if !explainable(d) {
        return;
    }
    let mut reasons: Vec<&str> = Vec::new();
    for (e, used) in entries.iter().zip(used.iter_mut()) {
        if e.file == d.loc.file && e.exception.rule.value == d.rule {
            *used = true;
            let reason = e.exception.reason.value.trim();
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
    }
    if !reasons.is_empty() {
        d.explained = Some(reasons.join("; "));
    }
}

/// `exception-unused`: every exception names a rule that its record actually
/// breaches. A stale exception would silently explain a later, different
/// breach of the same rule; one naming an error rule suggests the author
/// thinks a mistake in the record can be excused rather than corrected.
fn exception_unused(ctx: &Ctx, e: &Entry, diags: &[Diagnostic]) -> Option<Diagnostic> {
    let r = super::catalogue::of(e.exception.rule.value);
    let id = r.id.as_str();
    let loc = e.exception.rule.loc;
    if r.kind() == Kind::Error {
        return Some(
            ctx.diag(
                RuleId::ExceptionUnused,
                loc,
                format!("exception for `{id}` explains nothing: `{id}` finds errors, and errors cannot be explained"),
            )
            .with_help("fix the record instead, then remove this exception"),
        );
    }
    // A file that could not be read whole may hide the breach this explains.
    if e.context.incomplete {
        return None;
    }
    let kind = r.kind().as_str();
    let message = format!("exception for `{id}` explains nothing: no {id} {kind} in this record");
    let help = match reported_elsewhere(e, diags) {
        Some(file) => format!(
            "the {id} {kind} of this context is reported in {}: an exception explains only a {kind} in its own file, so move it there",
            super::references::path(ctx, file)
        ),
        None => "remove it, or check the rule id".to_string(),
    };
    Some(
        ctx.diag(RuleId::ExceptionUnused, loc, message)
            .with_help(help),
    )
}

/// Another file of the same context where the exception's rule fired: the
/// likely home of an exception written in the wrong file.
fn reported_elsewhere(e: &Entry, diags: &[Diagnostic]) -> Option<FileId> {
    let files = context_files(e.context);
    diags
        .iter()
        .filter(|d| explainable(d) && d.rule == e.exception.rule.value)
        .map(|d| d.loc.file)
        .find(|f| *f != e.file && files.contains(f))
}

fn context_files(c: &Context) -> Vec<FileId> {
    let mut files = vec![c.file];
    files.extend(c.assessment.as_ref().map(|a| a.file));
    files.extend(c.plan.as_ref().and_then(|p| p.file));
    files.extend(c.meetings.iter().map(|m| m.file));
    files
}

#[cfg(test)]
mod tests {
    use super::super::references::testkit::*;
    use super::*;
    use crate::model::Casebook;
    use crate::source::Loc;
    use crate::source::Sp;

    fn exception(b: &B, file: FileId, rule: RuleId, reason: &str) -> Exception {
        Exception {
            loc: b.loc(file),
            rule: Sp::new(rule, b.loc(file)),
            reason: b.s(reason, file),
        }
    }

    /// A diagnostic of `rule` (kind from the catalogue) in `file`.
    fn found(rule: RuleId, file: FileId, line: u32) -> Diagnostic {
        let loc = Loc {
            line,
            ..Loc::file_start(file)
        };
        Diagnostic::new(rule, loc, "found")
    }

    fn apply_to(cb: &Casebook, mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let ctx = Ctx {
            casebook: cb,
            today: today(),
        };
        apply(&ctx, &mut diags);
        diags
    }

    /// The good casebook, with exceptions added to files; lines from 1000 up.
    fn with_exceptions(list: &[(FileId, RuleId, &str)]) -> Casebook {
        let mut cb = good();
        let b = B::new();
        for _ in 0..1000 {
            b.loc(FileId(0));
        }
        for (file, rule, reason) in list {
            let e = exception(&b, *file, *rule, reason);
            let c = park_mut(&mut cb);
            match c.meetings.iter_mut().find(|m| m.file == *file) {
                Some(m) => m.exceptions.push(e),
                None => c.plan.as_mut().unwrap().exceptions.push(e),
            }
        }
        cb
    }

    fn exception_loc(cb: &Casebook, file: FileId) -> Loc {
        let c = &cb.contexts[0];
        let m = c.meetings.iter().find(|m| m.file == file);
        let list = m.map_or(&c.plan.as_ref().unwrap().exceptions, |m| &m.exceptions);
        list[0].rule.loc
    }

    #[test]
    fn no_exceptions_change_nothing() {
        let cb = good();
        let d = apply_to(&cb, vec![found(RuleId::Representation, INITIAL, 5)]);
        assert_eq!(d, vec![found(RuleId::Representation, INITIAL, 5)]);
    }

    #[test]
    fn exception_explains_a_breach_in_its_own_file() {
        let cb = with_exceptions(&[(INITIAL, RuleId::Representation, "Lead taken ill.")]);
        let d = apply_to(&cb, vec![found(RuleId::Representation, INITIAL, 5)]);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].explained.as_deref(), Some("Lead taken ill."));
    }

    #[test]
    fn exception_in_another_file_does_not_explain() {
        let cb = with_exceptions(&[(INTERIM, RuleId::Representation, "Lead taken ill.")]);
        let d = apply_to(&cb, vec![found(RuleId::Representation, INITIAL, 5)]);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!(d[0].explained, None);
        let w = &d[1];
        assert_eq!((w.rule, w.kind), (RuleId::ExceptionUnused, Kind::Warning));
        assert_eq!(w.loc, exception_loc(&cb, INTERIM));
        assert_eq!(
            w.message,
            "exception for `representation` explains nothing: no representation breach in this record"
        );
        let help = w.help.as_deref().unwrap();
        assert!(
            help.contains("reported in cases/park/conferences/2026-09-14-initial.md"),
            "{help}"
        );
    }

    #[test]
    fn plan_exception_explains_a_plan_warning() {
        let cb = with_exceptions(&[(PLAN, RuleId::ActionOverdue, "Contractor went bust.")]);
        let d = apply_to(&cb, vec![found(RuleId::ActionOverdue, PLAN, 7)]);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(d[0].is_explained());
    }

    #[test]
    fn unused_exception_warns_with_plain_help() {
        let cb = with_exceptions(&[(INITIAL, RuleId::Duration, "Fire alarm.")]);
        let d = apply_to(&cb, vec![]);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(d[0].message.contains("no duration warning in this record"));
        assert_eq!(
            d[0].help.as_deref(),
            Some("remove it, or check the rule id")
        );
        assert_eq!(d[0].loc, exception_loc(&cb, INITIAL));
    }

    #[test]
    fn exception_naming_an_error_rule_warns_and_explains_nothing() {
        let cb = with_exceptions(&[(INITIAL, RuleId::Confidentiality, "Forgot.")]);
        let d = apply_to(&cb, vec![found(RuleId::Confidentiality, INITIAL, 5)]);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!(d[0].explained, None);
        assert_eq!(
            (d[1].rule, d[1].kind),
            (RuleId::ExceptionUnused, Kind::Warning)
        );
        assert!(d[1].message.contains("errors cannot be explained"));
        assert!(
            d[1].help
                .as_deref()
                .unwrap()
                .contains("fix the record instead")
        );
    }

    #[test]
    fn two_exceptions_for_one_rule_are_both_used() {
        let cb = with_exceptions(&[
            (INITIAL, RuleId::Representation, "Police: ill."),
            (INITIAL, RuleId::Representation, "Education: strike."),
        ]);
        let d = apply_to(
            &cb,
            vec![
                found(RuleId::Representation, INITIAL, 5),
                found(RuleId::Representation, INITIAL, 6),
            ],
        );
        assert_eq!(d.len(), 2, "{d:#?}");
        for x in &d {
            assert_eq!(
                x.explained.as_deref(),
                Some("Police: ill.; Education: strike.")
            );
        }
    }

    #[test]
    fn exception_unused_is_never_explained() {
        let cb = with_exceptions(&[
            (INITIAL, RuleId::Duration, "Fire alarm."),
            (INITIAL, RuleId::ExceptionUnused, "Keep it."),
        ]);
        let d = apply_to(&cb, vec![]);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(
            d.iter()
                .all(|x| x.rule == RuleId::ExceptionUnused && x.explained.is_none())
        );
    }

    #[test]
    fn incomplete_context_keeps_quiet_about_unused_exceptions() {
        let mut cb = with_exceptions(&[
            (INITIAL, RuleId::Duration, "Fire alarm."),
            (INITIAL, RuleId::Schema, "Bad file."),
        ]);
        park_mut(&mut cb).incomplete = true;
        let d = apply_to(&cb, vec![]);
        assert_eq!(d.len(), 1, "only the error-rule warning: {d:#?}");
        assert!(d[0].message.contains("`schema`"));
    }
}
