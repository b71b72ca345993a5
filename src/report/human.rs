//! Diagnostics for people, in the style of rustc:
//!
//! ```text
//! breach[review-within]: review date 2026-12-20 is more than 3 months after 2026-09-02
//!   --> cases/devonport-park/conferences/2026-09-02-review.md:14:9
//!    |
//! 14 |   date: 2026-12-20
//!    |         ^^^^^^^^^^
//!    |
//!    = help: ...
//! ```

use super::terminal::visible;
use super::{Scope, shown_path, source_file};
use crate::diagnostic::{Diagnostic, Kind};
use crate::source::{Loc, SourceFile, SourceMap};
use crate::text::count;
use annotate_snippets::{AnnotationKind, Element, Level, Origin, Renderer, Snippet};
use std::ops::Range;

/// Every diagnostic, a blank line between each, then the summary line.
/// `color` adds ANSI styling; only for a terminal.
pub fn render(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    scope: Scope,
    color: bool,
) -> String {
    let mut out = render_each(diagnostics, sources, color);
    out.push_str(&summary_line(diagnostics, scope));
    out.push('\n');
    out
}

/// As [`render`], with each explained breach on one line (rule, place,
/// reason) instead of a snippet: what `build` prints, so that a clean
/// casebook of a thousand contexts does not bury its result.
pub fn render_brief(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    scope: Scope,
    color: bool,
) -> String {
    let (explained, open): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        diagnostics.iter().partition(|d| d.is_explained());
    let open: Vec<Diagnostic> = open.into_iter().cloned().collect();
    let mut out = render_each(&open, sources, color);
    for d in explained {
        let reason = d.explained.as_deref().unwrap_or_default();
        out.push_str(&visible(&format!(
            "explained[{}]: {}:{}: {}",
            d.rule,
            shown_path(sources, d.loc.file),
            d.loc.line,
            one_line(reason)
        )));
        out.push('\n');
    }
    if out.ends_with('\n') && !out.ends_with("\n\n") && !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary_line(diagnostics, scope));
    out.push('\n');
    out
}

/// Text on one line: line breaks and runs of space folded to one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every diagnostic, each followed by a blank line, without the summary
/// line: for findings that are not the casebook's check (a leak found while
/// building).
pub fn render_each(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&render_one(&renderer, d, sources));
        out.push_str("\n\n");
    }
    out
}

/// One diagnostic, without a trailing newline.
pub fn render_one(renderer: &Renderer, d: &Diagnostic, sources: &SourceMap) -> String {
    // Messages, help and reasons quote what authors wrote: show control
    // characters and line breaks as symbols, so a record can neither drive
    // the terminal nor start a line of a CI log.
    let message = visible(&d.message).into_owned();
    let mut group = level_of(d)
        .primary_title(message)
        .id(d.rule.as_str())
        .element(location(d, sources));
    if let Some(reason) = &d.explained {
        let note = visible(&format!("explained: {reason}")).into_owned();
        group = group.element(Level::NOTE.message(note));
    } else if let Some(help) = &d.help {
        // An explained finding needs nothing more from its author, so its
        // help (usually "fix it or explain it") would only be noise.
        group = group.element(Level::HELP.message(visible(help).into_owned()));
    }
    renderer.render(&[group])
}

/// `error[...]`, `breach[...]`, `warning[...]`, or `explained[...]`.
fn level_of(d: &Diagnostic) -> Level<'static> {
    if d.is_explained() {
        return Level::NOTE.with_name("explained");
    }
    match d.kind {
        Kind::Error => Level::ERROR,
        Kind::Breach => Level::ERROR.with_name("breach"),
        Kind::Warning => Level::WARNING,
    }
}

/// The source line with the value underlined, or only `--> file:line:col`
/// when the file's text is not available (a missing or unreadable file).
fn location(d: &Diagnostic, sources: &SourceMap) -> Element<'static> {
    let path = shown_path(sources, d.loc.file);
    let line = source_file(sources, d.loc.file).and_then(|f| underline(f, &d.loc, &d.masked));
    match line {
        Some((text, span)) => Snippet::source(text)
            .line_start(d.loc.line as usize)
            .path(path)
            .annotation(AnnotationKind::Primary.span(span))
            .into(),
        None => Origin::path(path)
            .line(d.loc.line as usize)
            .char_column(d.loc.column as usize)
            .into(),
    }
}

/// The text of the diagnostic's line and the byte range to underline in it.
/// A value spanning several lines is underlined to the end of its first line;
/// a point underlines one character.
fn underline(file: &SourceFile, loc: &Loc, masked: &[String]) -> Option<(String, Range<usize>)> {
    if file.text.is_empty() {
        return None;
    }
    let text = file.line_text(loc.line)?;
    let line_start = file.line_start(loc.line)?;
    let line_end = line_start + text.len();
    let start = if (line_start..=line_end).contains(&loc.start) {
        loc.start - line_start
    } else {
        // The byte range disagrees with the line; trust line and column.
        file.offset_of(loc.line, loc.column)?
            .saturating_sub(line_start)
            .min(text.len())
    };
    let start = text.floor_char_boundary(start);
    let end = text.floor_char_boundary(loc.end.saturating_sub(line_start));
    let end = if end > start {
        end
    } else {
        text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8())
    };
    // The line is shown with its control characters as symbols; the
    // underline moves with them.
    let (before, value, after) = (&text[..start], &text[start..end], &text[end..]);
    // A masked name is hidden in each part, so the underline still fits.
    let hide = |part: &str| crate::summary::guard::mask(part, masked);
    let (before, value, after) = (hide(before), hide(value), hide(after));
    let (before, value, after) = (visible(&before), visible(&value), visible(&after));
    let span = before.len()..before.len() + value.len();
    Some((format!("{before}{value}{after}"), span))
}

/// The closing line. When nothing fails it says so, naming what was
/// explained: `contextpack: no problems found in 3 contexts, 9 meetings (1
/// explained breach)`; otherwise it counts each kind: `contextpack: 1 error,
/// 2 breaches (1 explained), 0 warnings in 3 contexts, 9 meetings`.
pub fn summary_line(diagnostics: &[Diagnostic], scope: Scope) -> String {
    let checked = format!(
        "{}, {}",
        count(scope.contexts, "context", "contexts"),
        count(scope.meetings, "meeting", "meetings")
    );
    let tallies = [
        Tally::of(diagnostics, Kind::Error, "error", "errors"),
        Tally::of(diagnostics, Kind::Breach, "breach", "breaches"),
        Tally::of(diagnostics, Kind::Warning, "warning", "warnings"),
    ];
    if tallies.iter().all(|t| t.total == t.explained) {
        let explained: Vec<String> = tallies
            .iter()
            .filter(|t| t.explained > 0)
            .map(|t| t.explained_phrase())
            .collect();
        let mut line = format!("contextpack: no problems found in {checked}");
        if !explained.is_empty() {
            line.push_str(&format!(" ({})", explained.join(", ")));
        }
        return line;
    }
    let counts: Vec<String> = tallies.iter().map(Tally::phrase).collect();
    format!("contextpack: {} in {checked}", counts.join(", "))
}

/// How many diagnostics of one kind, and how many of those are explained.
struct Tally<'a> {
    total: usize,
    explained: usize,
    singular: &'a str,
    plural: &'a str,
}

impl<'a> Tally<'a> {
    fn of(diagnostics: &[Diagnostic], kind: Kind, singular: &'a str, plural: &'a str) -> Self {
        let of_kind = diagnostics.iter().filter(|d| d.kind == kind);
        Tally {
            total: of_kind.clone().count(),
            explained: of_kind.filter(|d| d.is_explained()).count(),
            singular,
            plural,
        }
    }

    /// `2 breaches (1 explained)`.
    fn phrase(&self) -> String {
        let mut s = count(self.total, self.singular, self.plural);
        if self.explained > 0 {
            s.push_str(&format!(" ({} explained)", self.explained));
        }
        s
    }

    /// `1 explained breach`.
    fn explained_phrase(&self) -> String {
        let noun = if self.explained == 1 {
            self.singular
        } else {
            self.plural
        };
        format!("{} explained {noun}", self.explained)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule_id::RuleId;
    use crate::source::{FileId, SourceFile};

    const REVIEW: &str = "---\nkind: initial\ndate: 2026-09-02\nreview:\n  date: 2026-12-20\n---\n";

    fn sources() -> SourceMap {
        let mut map = SourceMap::default();
        map.add(SourceFile::new(
            "cases/devonport-park/conferences/2026-09-02-initial.md",
            REVIEW,
        ));
        map.add(SourceFile::new(
            "cases/café/context.yaml",
            "title: Zoë’s café\nlead_practitioner: jo\n",
        ));
        map.add(SourceFile::new("cases/empty/context.yaml", ""));
        map
    }

    fn at(map: &SourceMap, file: u64, needle: &str) -> Loc {
        let f = map.get(FileId(file)).expect("a file of the map");
        let offset = f.text.find(needle).unwrap_or(0);
        f.loc_at(FileId(file), offset, needle.len())
    }

    fn plain(d: &Diagnostic, map: &SourceMap) -> String {
        render_one(&Renderer::plain(), d, map)
    }

    fn breach(map: &SourceMap) -> Diagnostic {
        Diagnostic::new(
            RuleId::ReviewWithin,
            at(map, 0, "2026-12-20"),
            "review date 2026-12-20 is more than 3 months after 2026-09-02",
        )
        .with_help("set review.date on or before 2026-12-02")
    }

    #[test]
    fn breach_is_rendered_like_rustc() {
        let map = sources();
        let expected = "\
breach[review-within]: review date 2026-12-20 is more than 3 months after 2026-09-02
 --> cases/devonport-park/conferences/2026-09-02-initial.md:5:9
  |
5 |   date: 2026-12-20
  |         ^^^^^^^^^^
  |
  = help: set review.date on or before 2026-12-02";
        assert_eq!(plain(&breach(&map), &map), expected);
    }

    #[test]
    fn explained_breach_is_a_note_with_its_reason() {
        let map = sources();
        let mut d = breach(&map);
        d.explained = Some("Chair on leave; agreed with partners.".into());
        let out = plain(&d, &map);
        assert!(
            out.starts_with("explained[review-within]: review date"),
            "{out}"
        );
        assert!(out.contains("= note: explained: Chair on leave; agreed with partners."));
        assert!(!out.contains("help:"), "{out}");
    }

    #[test]
    fn errors_and_warnings_keep_their_names() {
        let map = sources();
        let mut d = breach(&map);
        d.kind = Kind::Error;
        assert!(plain(&d, &map).starts_with("error[review-within]: "));
        d.kind = Kind::Warning;
        assert!(plain(&d, &map).starts_with("warning[review-within]: "));
    }

    #[test]
    fn multi_byte_line_is_underlined_under_the_value() {
        let map = sources();
        let d = Diagnostic::new(RuleId::Reference, at(&map, 1, "café"), "unknown café");
        assert_eq!(d.loc.column, 14);
        let out = plain(&d, &map);
        assert!(out.contains(" --> cases/café/context.yaml:1:14\n"), "{out}");
        assert!(out.contains("1 | title: Zoë’s café\n"), "{out}");
        // Four carets under four characters, however many bytes they take.
        assert!(out.ends_with("\n  |              ^^^^"), "{out}");
    }

    #[test]
    fn a_point_underlines_one_character() {
        let map = sources();
        let loc = Loc::file_start(FileId(1));
        let d = Diagnostic::new(RuleId::Schema, loc, "unknown field");
        let out = plain(&d, &map);
        assert!(out.ends_with("\n  | ^"), "{out}");
        assert!(!out.contains("^^"), "{out}");
    }

    #[test]
    fn file_without_text_has_no_snippet() {
        let map = sources();
        let d = Diagnostic::new(
            RuleId::Schema,
            Loc::file_start(FileId(2)),
            "context.yaml is missing",
        );
        let out = plain(&d, &map);
        assert_eq!(
            out,
            "error[schema]: context.yaml is missing\n--> cases/empty/context.yaml:1:1"
        );
    }

    #[test]
    fn stray_file_id_and_bad_range_do_not_panic() {
        let map = sources();
        let loc = Loc {
            file: FileId(99),
            line: 7,
            column: 3,
            start: 500,
            end: 2,
        };
        let out = plain(&Diagnostic::new(RuleId::Schema, loc, "x"), &map);
        assert!(out.starts_with("error[schema]: x"));
        let loc = Loc {
            file: FileId(1),
            line: 1,
            column: 12,
            start: 9999,
            end: 3,
        };
        let out = plain(&Diagnostic::new(RuleId::Schema, loc, "x"), &map);
        assert!(out.contains(":1:12"), "{out}");
    }

    #[test]
    fn control_characters_in_messages_are_neutralised() {
        let map = sources();
        let mut d = breach(&map);
        d.message = "evil \u{1b}[31mred".into();
        assert!(!plain(&d, &map).contains('\u{1b}'));
    }

    #[test]
    fn summary_line_counts_with_plurals() {
        let map = sources();
        let scope = Scope {
            contexts: 3,
            meetings: 9,
        };
        assert_eq!(
            summary_line(&[], scope),
            "contextpack: no problems found in 3 contexts, 9 meetings"
        );
        let one = Scope {
            contexts: 1,
            meetings: 1,
        };
        let b = breach(&map);
        let mut e = b.clone();
        e.kind = Kind::Error;
        let mut explained = b.clone();
        explained.explained = Some("reason".into());
        assert_eq!(
            summary_line(&[e, b.clone(), explained.clone()], scope),
            "contextpack: 1 error, 2 breaches (1 explained), 0 warnings in 3 contexts, 9 meetings"
        );
        assert_eq!(
            summary_line(std::slice::from_ref(&explained), one),
            "contextpack: no problems found in 1 context, 1 meeting (1 explained breach)"
        );
        let mut explained_warning = explained.clone();
        explained_warning.kind = Kind::Warning;
        assert_eq!(
            summary_line(
                &[explained.clone(), explained.clone(), explained_warning],
                one
            ),
            "contextpack: no problems found in 1 context, 1 meeting \
             (2 explained breaches, 1 explained warning)"
        );
        let mut warning = b.clone();
        warning.kind = Kind::Warning;
        assert_eq!(
            summary_line(&[warning, explained], one),
            "contextpack: 0 errors, 1 breach (1 explained), 1 warning in 1 context, 1 meeting"
        );
    }

    #[test]
    fn render_separates_diagnostics_and_ends_with_the_summary() {
        let map = sources();
        let out = render(&[breach(&map), breach(&map)], &map, Scope::default(), false);
        assert_eq!(out.matches("breach[review-within]").count(), 2);
        assert!(out.contains("2026-12-02\n\nbreach[review-within]"), "{out}");
        assert!(
            out.ends_with("0 warnings in 0 contexts, 0 meetings\n"),
            "{out}"
        );
    }
}
