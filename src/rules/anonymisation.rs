//! Rules: `anonymity` (the half `check` can do), `suppression-threshold`,
//! `suppression-convention`, `area-address`.
//!
//! The anonymised summaries go to wide-audience forums, where the terms of
//! reference's Information Sharing and Confidentiality Statement still binds
//! what is shared. A count of 1 names a child to anyone who knows the area;
//! `anonymisation.suppress_below` is what stops it printing.

use super::Ctx;
use crate::diagnostic::Diagnostic;
use crate::model::{Date, is_built_in_harm};
use crate::rule_id::RuleId;
use crate::source::Loc;
use crate::summary::guard::{self, Guard};
use crate::summary::quarter::Quarter;

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

/// `area-address`: an area holds no digit, as a house number or a postcode
/// would: the summaries print areas to every forum.
pub(super) fn area_address(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for c in &ctx.casebook.contexts {
        let Some(area) = &c.area else {
            continue;
        };
        if !area.value.chars().any(|ch| ch.is_ascii_digit()) {
            continue;
        }
        out.push(
            ctx.diag(
                RuleId::AreaAddress,
                area.loc,
                "this area looks like a street address (it has a number): the anonymised \
                 summaries print it to every forum"
                    .to_string(),
            )
            .with_help(
                "write the neighbourhood or ward the context is in, such as `area: Stonehouse`, \
                 and keep the address in the assessment",
            ),
        );
    }
}

/// `given-name-word`: a young person's given name that is also a word
/// ([`guard::ORDINARY_GIVEN_NAMES`]) is written with a capital in a
/// learning item or a theme, where it may stand for the child.
pub(super) fn given_name_word(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let mut names: Vec<String> = ctx
        .casebook
        .contexts
        .iter()
        .flat_map(|c| &c.young_people)
        .filter_map(|y| guard::ordinary_given_name(&y.name.value))
        .map(|g| capitalised(&g))
        .collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return;
    }
    for m in ctx.casebook.contexts.iter().flat_map(|c| &c.meetings) {
        for item in &m.learning {
            let texts = std::iter::once(&item.text).chain(&item.themes);
            for text in texts {
                let words: Vec<&str> = text.value.split(|ch: char| !ch.is_alphabetic()).collect();
                for name in names.iter().filter(|n| words.contains(&n.as_str())) {
                    let mut d = ctx
                        .diag(
                            RuleId::GivenNameWord,
                            text.loc,
                            "a word written here with a capital is also a young person's given name: \
                             the summaries print this text",
                        )
                        .with_help(
                            "if it stands for the child, write \"a young person\" instead; if it is the word \
                             (the month of May), explain it under the conference's `exceptions:`",
                        );
                    d.masked = vec![name.clone()];
                    out.push(d);
                }
            }
        }
    }
}

/// "rose" -> "Rose".
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// `anonymity`, before the commit: every record text an anonymised summary
/// prints as written (learning items, their themes, context areas, the
/// analyst's key messages) is
/// searched as `build` searches the summaries, so the pre-commit hook and
/// CI stop a name before any summary is made; so are the agencies' names
/// and ids the summaries print, for context titles and full names. `build`
/// still searches the summaries themselves.
pub(super) fn anonymity(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    use rayon::prelude::*;
    let terms = guard::forbidden_terms(ctx.casebook);
    let in_names: Vec<guard::Term> = terms
        .iter()
        .filter(|t| t.kind.identifies_in_organisation_names())
        .cloned()
        .collect();
    // The longest rule of a check at a partnership's scale: its guards are
    // built side by side and the contexts searched in parallel, their
    // findings joined in the contexts' order.
    let (names_guard, guard) = rayon::join(|| Guard::new(&in_names), || Guard::new(&terms));
    agency_names(&in_names, &names_guard, ctx, out);
    let screen =
        |text: &str, loc: Loc, what: &str, reaches: &Reaches, out: &mut Vec<Diagnostic>| {
            for leak in guard.find(text) {
                let mut d =
                    guard::leak_diagnostic_from(&leak, &reaches.first, loc, what, reaches.more);
                d.masked = guard::forms_of(&terms, &leak.term);
                out.push(d);
            }
        };
    let found: Vec<Vec<Diagnostic>> = ctx
        .casebook
        .contexts
        .par_iter()
        .map(|c| {
            let mut out = Vec::new();
            if let Some(area) = &c.area {
                screen(
                    &area.value,
                    area.loc,
                    "this area",
                    &Reaches::every_summary(),
                    &mut out,
                );
            }
            for m in &c.meetings {
                for item in &m.learning {
                    let reaches = Reaches::of(m.date.value, &item.forums);
                    screen(
                        &item.text.value,
                        item.text.loc,
                        "this learning item",
                        &reaches,
                        &mut out,
                    );
                    let free = item.themes.iter().filter(|t| !is_built_in_harm(&t.value));
                    for theme in free {
                        screen(&theme.value, theme.loc, "this theme", &reaches, &mut out);
                    }
                }
            }
            out
        })
        .collect();
    out.extend(found.into_iter().flatten());
    // A file of key messages is the whole text searched: each leak points
    // at the line that holds the name, not at the file's first line.
    for m in &ctx.casebook.messages {
        let reaches = Reaches {
            first: format!("anonymised/{}/{}.html", m.quarter, m.forum),
            more: 2,
        };
        let source = ctx.casebook.sources.get(m.file);
        for leak in guard.find(&m.text.value) {
            let at = source.map_or(m.text.loc, |f| {
                f.loc_at(m.file, leak.start, leak.end - leak.start)
            });
            let mut d = guard::leak_diagnostic_from(&leak, &reaches.first, at, KEY_MESSAGES, 2);
            d.masked = guard::forms_of(&terms, &leak.term);
            out.push(d.with_help(
                "take the name out of the key messages (they are printed as written), then check again",
            ));
        }
    }
    settings_names(&in_names, &names_guard, ctx, out);
}

/// How a diagnostic names a file of the analyst's key messages.
pub const KEY_MESSAGES: &str = "this file of key messages";

/// The settings every summary prints (the forum's name heads it, the
/// partnership and the marking are on every page), searched like the
/// agencies' names: for titles and full names only, as "Missing and Child
/// Exploitation" shares words with children surnamed Child or Missing.
/// `terms` and `guard` are those titles and full names.
fn settings_names(terms: &[guard::Term], guard: &Guard, ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let every = Reaches::every_summary();
    let settings = &ctx.casebook.settings;
    let mut printed: Vec<(&str, Loc, &str)> = settings
        .forums
        .iter()
        .map(|f| (f.name.as_str(), f.id.loc, "this forum's name"))
        .collect();
    if let Some(file) = settings.file {
        let at = Loc::file_start(file);
        printed.push((&settings.partnership, at, "the partnership's name"));
        printed.push((&settings.anonymised_marking, at, "the anonymised marking"));
    }
    for (text, loc, what) in printed {
        for leak in guard.find(text) {
            let mut d = guard::leak_diagnostic_from(&leak, &every.first, loc, what, every.more);
            d.masked = guard::forms_of(terms, &leak.term);
            out.push(d);
        }
    }
}

/// An agency's name (or its `public_name:`) and id, printed in the
/// summaries' actions by owning agency, must not say which context or
/// person the actions are about: a school that is also a context needs a
/// name for the summaries. Only titles and full names are searched, as an
/// agency may share a word with a child's surname ("Police"). `terms` and
/// `guard` are those titles and full names.
fn agency_names(terms: &[guard::Term], guard: &Guard, ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let reaches = Reaches::every_summary();
    for a in &ctx.casebook.settings.agencies {
        let help = match &a.public_name {
            Some(_) => {
                "choose a `public_name:` that says what kind of agency it is without naming it (\"a secondary school\"), then check again"
            }
            None => {
                "give the agency a `public_name:` for the anonymised summaries that says what kind of agency it is without naming it (\"a secondary school\"), then check again"
            }
        };
        let (at, what) = a.summary_name_at();
        let written = [
            (a.summary_name(), at, what, help),
            (
                a.id.value.as_str(),
                a.id.loc,
                guard::AGENCY_ID,
                "choose an id for the agency that names no context or person, and change it where people and actions give it, then check again",
            ),
        ];
        for (text, loc, what, help) in written {
            for leak in guard.find(text) {
                let mut d =
                    guard::leak_diagnostic_from(&leak, &reaches.first, loc, what, reaches.more);
                d.masked = guard::forms_of(terms, &leak.term);
                out.push(d.with_help(help));
            }
        }
    }
}

/// The summaries a record text reaches, as a diagnostic names them.
struct Reaches {
    first: String,
    more: usize,
}

impl Reaches {
    /// A learning item's: its forums' summaries of the meeting's quarter.
    fn of(date: Date, forums: &[crate::source::Sp<String>]) -> Self {
        let quarter = Quarter::of(date);
        match forums.first() {
            Some(f) => Reaches {
                first: format!("anonymised/{quarter}/{}.html", f.value),
                // Each forum's summary is an HTML, a PDF and a CSV file.
                more: forums.len() * 3 - 1,
            },
            None => Reaches::every_summary(),
        }
    }

    fn every_summary() -> Self {
        Reaches {
            first: "of every quarter that counts the context".to_string(),
            more: 0,
        }
    }
}
