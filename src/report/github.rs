//! `check --format github`: GitHub Actions workflow commands, which GitHub
//! shows as annotations on the pull request's files.
//!
//! ```text
//! ::error file=cases/x/conferences/2026-09-02-review.md,line=14,col=9,title=review-within::review date ...
//! ```
//!
//! Errors and unexplained breaches are `::error`, warnings `::warning`, and
//! explained breaches and warnings `::notice`. The help (or, when explained,
//! the reason) follows the message on a second line of the annotation.

use super::{Scope, path_of};
use crate::diagnostic::{Diagnostic, Kind};
use crate::report::human::summary_line;
use crate::source::SourceMap;

/// One annotation per diagnostic, then the summary line as plain log text.
///
/// GitHub wants paths relative to the repository root while diagnostics carry
/// paths relative to the casebook; `prefix` is the casebook folder as seen
/// from the repository root (`""` when the casebook is the repository).
pub fn render(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    scope: Scope,
    prefix: &str,
) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&annotation(d, sources, prefix));
        out.push('\n');
    }
    out.push_str(&summary_line(diagnostics, scope));
    out.push('\n');
    out
}

/// One workflow command, without a trailing newline.
pub fn annotation(d: &Diagnostic, sources: &SourceMap, prefix: &str) -> String {
    let command = match (d.is_explained(), d.kind) {
        (true, _) => "notice",
        (false, Kind::Error | Kind::Breach) => "error",
        (false, Kind::Warning) => "warning",
    };
    let path = path_of(sources, d.loc.file);
    let prefix = prefix.trim_end_matches('/');
    let file = if prefix.is_empty() || prefix == "." {
        path
    } else {
        format!("{prefix}/{path}")
    };
    let mut message = d.message.clone();
    if let Some(reason) = &d.explained {
        message.push_str(&format!("\nexplained: {reason}"));
    } else if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    format!(
        "::{command} file={},line={},col={},title={}::{}",
        escape_property(&file),
        d.loc.line,
        d.loc.column,
        escape_property(d.rule.as_str()),
        escape_data(&message)
    )
}

/// The message part: GitHub's `escapeData`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A `key=value` property: GitHub's `escapeProperty`, which also escapes the
/// `:` and `,` that would otherwise end the value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule_id::RuleId;
    use crate::source::{FileId, Loc, SourceFile};

    fn sources() -> SourceMap {
        let mut map = SourceMap::default();
        map.add(SourceFile::new(
            "cases/devonport-park/conferences/2026-09-02-review.md",
            "",
        ));
        map.add(SourceFile::new("cases/zoë, café:1/plan.yaml", ""));
        map
    }

    fn loc(file: u64) -> Loc {
        Loc {
            file: FileId(file),
            line: 14,
            column: 9,
            start: 0,
            end: 0,
        }
    }

    #[test]
    fn breach_is_an_error_annotation() {
        let d = Diagnostic::new(
            RuleId::ReviewWithin,
            loc(0),
            "review date 2026-12-20 is more than 3 months after 2026-09-02",
        );
        assert_eq!(
            annotation(&d, &sources(), ""),
            "::error file=cases/devonport-park/conferences/2026-09-02-review.md,line=14,col=9,\
             title=review-within::review date 2026-12-20 is more than 3 months after 2026-09-02"
        );
    }

    #[test]
    fn kinds_map_to_commands() {
        let map = sources();
        let mut d = Diagnostic::new(RuleId::Duration, loc(0), "short");
        assert!(annotation(&d, &map, "").starts_with("::warning file="));
        d.kind = Kind::Error;
        assert!(annotation(&d, &map, "").starts_with("::error file="));
        d.kind = Kind::Breach;
        d.explained = Some("agreed".into());
        let out = annotation(&d, &map, "");
        assert!(out.starts_with("::notice file="), "{out}");
        assert!(out.ends_with("::short%0Aexplained: agreed"), "{out}");
    }

    #[test]
    fn escapes_data_and_properties() {
        let map = sources();
        let d = Diagnostic::new(RuleId::Reference, loc(1), "100% wrong:\r\nZoë, again")
            .with_help("fix it");
        assert_eq!(
            annotation(&d, &map, "sub/dir/"),
            "::error file=sub/dir/cases/zoë%2C café%3A1/plan.yaml,line=14,col=9,\
             title=reference::100%25 wrong:%0D%0AZoë, again%0Ahelp: fix it"
        );
        assert_eq!(escape_property("a%b,c:d\ne"), "a%25b%2Cc%3Ad%0Ae");
    }

    #[test]
    fn ends_with_the_summary() {
        let d = Diagnostic::new(RuleId::Duration, loc(0), "short");
        let out = render(&[d], &sources(), Scope::default(), ".");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("::warning file=cases/devonport-park/"));
        assert!(lines[1].starts_with("contextpack: 0 errors, 0 breaches, 1 warning"));
    }
}
