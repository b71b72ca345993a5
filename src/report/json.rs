//! `check --format json`: one JSON object, the shape DESIGN.md gives.
//!
//! ```json
//! {"diagnostics": [{"rule": "review-within", "kind": "breach", "explained": false,
//!    "file": "cases/devonport-park/conferences/2026-09-02-review.md", "line": 14, "column": 9,
//!    "message": "...", "help": "..."}],
//!  "summary": {"errors": 0, "breaches": 1, "warnings": 0, "explained": 0}}
//! ```
//!
//! After DESIGN.md's fields each diagnostic has `help` (a string or null) and,
//! when it is explained, `reason`: the reason its `exceptions:` entry gives.

use super::path_of;
use crate::diagnostic::{Diagnostic, Kind, Summary};
use crate::source::SourceMap;
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    diagnostics: Vec<Entry<'a>>,
    summary: Summary,
}

/// Field order is the contract: serde writes them as declared.
#[derive(Serialize)]
struct Entry<'a> {
    rule: &'a str,
    kind: Kind,
    explained: bool,
    file: String,
    line: u32,
    column: u32,
    message: &'a str,
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

/// The whole report, as one line of JSON followed by a newline.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let report = Report {
        diagnostics: diagnostics.iter().map(|d| entry(d, sources)).collect(),
        summary: Summary::of(diagnostics),
    };
    // Serialising plain structs of strings and numbers cannot fail; should it
    // ever, an empty object is still valid JSON for the reader.
    let mut out = serde_json::to_string(&report).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}

fn entry<'a>(d: &'a Diagnostic, sources: &SourceMap) -> Entry<'a> {
    Entry {
        rule: d.rule.as_str(),
        kind: d.kind,
        explained: d.is_explained(),
        file: path_of(sources, d.loc.file),
        line: d.loc.line,
        column: d.loc.column,
        message: &d.message,
        help: d.help.as_deref(),
        reason: d.explained.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule_id::RuleId;
    use crate::source::{FileId, Loc, SourceFile};
    use serde_json::{Value, json};

    fn sources() -> SourceMap {
        let mut map = SourceMap::default();
        map.add(SourceFile::new(
            "cases/devonport-park/conferences/2026-09-02-review.md",
            "---\nreview:\n  date: 2026-12-20\n---\n",
        ));
        map.add(SourceFile::new(
            "cases/zoë/context.yaml",
            "title: \"Zoë’s \\\"café\\\"\"\n",
        ));
        map
    }

    fn loc(file: u64, line: u32, column: u32) -> Loc {
        Loc {
            file: FileId(file),
            line,
            column,
            start: 0,
            end: 0,
        }
    }

    fn parse(out: &str) -> Value {
        assert!(out.ends_with('\n'));
        assert_eq!(out.trim_end().lines().count(), 1, "one line: {out}");
        serde_json::from_str(out).unwrap_or(Value::Null)
    }

    #[test]
    fn has_the_shape_of_design_md() {
        let map = sources();
        let d = Diagnostic::new(
            RuleId::ReviewWithin,
            loc(0, 3, 9),
            "review date 2026-12-20 is more than 3 months after 2026-09-02",
        );
        let out = render(&[d], &map);
        assert_eq!(
            parse(&out),
            json!({"diagnostics": [{"rule": "review-within", "kind": "breach", "explained": false,
                "file": "cases/devonport-park/conferences/2026-09-02-review.md", "line": 3,
                "column": 9,
                "message": "review date 2026-12-20 is more than 3 months after 2026-09-02",
                "help": null}],
             "summary": {"errors": 0, "breaches": 1, "warnings": 0, "explained": 0}})
        );
        // Fields in the documented order.
        let order = [
            "\"rule\"",
            "\"kind\"",
            "\"explained\"",
            "\"file\"",
            "\"line\"",
        ];
        let at: Vec<usize> = order.iter().filter_map(|k| out.find(k)).collect();
        assert!(at.len() == order.len() && at.is_sorted(), "{out}");
    }

    #[test]
    fn explained_counts_only_under_explained_and_carries_its_reason() {
        let map = sources();
        let mut d = Diagnostic::new(RuleId::Representation, loc(0, 2, 1), "absent")
            .with_help("name the representative");
        d.explained = Some("Lead taken ill".into());
        let w = Diagnostic::new(RuleId::Duration, loc(0, 1, 1), "short");
        let v = parse(&render(&[d, w], &map));
        assert_eq!(
            v["summary"],
            json!({"errors": 0, "breaches": 0, "warnings": 1, "explained": 1})
        );
        assert_eq!(v["diagnostics"][0]["explained"], json!(true));
        assert_eq!(v["diagnostics"][0]["reason"], json!("Lead taken ill"));
        assert_eq!(
            v["diagnostics"][0]["help"],
            json!("name the representative")
        );
        assert!(v["diagnostics"][1].get("reason").is_none());
    }

    #[test]
    fn multi_byte_and_quotes_survive() {
        let map = sources();
        let d = Diagnostic::new(
            RuleId::Reference,
            loc(1, 1, 9),
            "unknown \"Zoë’s\" \\ café\nnext line",
        );
        let v = parse(&render(&[d], &map));
        assert_eq!(v["diagnostics"][0]["file"], json!("cases/zoë/context.yaml"));
        assert_eq!(
            v["diagnostics"][0]["message"],
            json!("unknown \"Zoë’s\" \\ café\nnext line")
        );
    }

    #[test]
    fn empty_report_is_valid() {
        let v = parse(&render(&[], &SourceMap::default()));
        assert_eq!(
            v,
            json!({"diagnostics": [], "summary": {"errors": 0, "breaches": 0, "warnings": 0, "explained": 0}})
        );
    }
}
