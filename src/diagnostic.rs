//! Diagnostics: what the checker found, where, and what to do about it.

use crate::source::Loc;
use serde::Serialize;

pub use crate::rule_id::{Kind, RuleId};

/// One finding of the checker.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub rule: RuleId,
    pub kind: Kind,
    pub loc: Loc,
    pub message: String,
    /// What the author should do next.
    pub help: Option<String>,
    /// The reason given by an `exceptions:` entry that explains this breach.
    pub explained: Option<String>,
    /// The kind PROTOCOL.md gives the rule, when the casebook's `rules:`
    /// changed it to [`Diagnostic::kind`].
    pub changed_from: Option<Kind>,
    /// Texts the snippet under the message must not show (a child's name in
    /// an `anonymity` error): written as `█` wherever they are on the line.
    pub masked: Vec<String>,
}

impl Diagnostic {
    /// A finding of `rule`, of the kind PROTOCOL.md gives it.
    pub fn new(rule: RuleId, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            kind: rule.kind(),
            loc,
            message: message.into(),
            help: None,
            explained: None,
            changed_from: None,
            masked: Vec::new(),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_explained(&self) -> bool {
        self.explained.is_some()
    }
}

/// Counts of diagnostics, as printed at the end of a check and in `--format json`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub breaches: usize,
    pub warnings: usize,
    pub explained: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut s = Summary::default();
        for d in diagnostics {
            if d.is_explained() {
                s.explained += 1;
            } else {
                match d.kind {
                    Kind::Error => s.errors += 1,
                    Kind::Breach => s.breaches += 1,
                    Kind::Warning => s.warnings += 1,
                }
            }
        }
        s
    }

    /// Whether the run fails: errors or unexplained breaches, or warnings when denied.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.errors > 0 || self.breaches > 0 || (deny_warnings && self.warnings > 0)
    }
}

/// Sorts diagnostics by file path, line, column, then rule and message, so that
/// output is stable from run to run, and drops exact repeats (the same finding
/// reached by two routes is reported once).
pub fn sort(diagnostics: &mut Vec<Diagnostic>, path_of: impl Fn(&Loc) -> String) {
    diagnostics.sort_by_cached_key(|d| {
        (
            path_of(&d.loc),
            d.loc.line,
            d.loc.column,
            d.rule.as_str(),
            d.message.clone(),
        )
    });
    diagnostics.dedup_by(|a, b| a.loc == b.loc && a.rule == b.rule && a.message == b.message);
}
