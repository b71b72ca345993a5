//! Between contextpack's positions (byte offsets, 1-based lines) and the
//! protocol's (0-based lines, UTF-16 columns), and its findings and theirs.

use crate::diagnostic::{Diagnostic, Kind};
use crate::source::Loc;
use lsp_types as lsp;

/// How published findings name where they come from.
pub const SOURCE: &str = "contextpack";

/// A text with its line starts, for converting positions.
pub struct Text<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Text<'t> {
    pub fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Text { text, starts }
    }

    /// The protocol's position of a byte offset.
    pub fn position(&self, offset: usize) -> lsp::Position {
        let offset = floor(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let character = self.text[self.starts[line]..offset]
            .chars()
            .map(char::len_utf16)
            .sum::<usize>();
        lsp::Position::new(line as u32, character as u32)
    }

    /// The byte offset of a protocol position, if it is in the text.
    pub fn offset(&self, at: lsp::Position) -> Option<usize> {
        let start = *self.starts.get(at.line as usize)?;
        let end = self
            .starts
            .get(at.line as usize + 1)
            .copied()
            .unwrap_or(self.text.len());
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= at.character as usize {
                return Some(start + i);
            }
            units += c.len_utf16();
        }
        Some(end)
    }
}

fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

pub fn range_of(loc: &Loc, text: &Text) -> lsp::Range {
    lsp::Range::new(text.position(loc.start), text.position(loc.end))
}

/// A finding as the protocol publishes it: the help kept as `data`, for
/// the code action that applies it.
pub fn diagnostic(d: &Diagnostic, text: &Text) -> lsp::Diagnostic {
    let severity = match d.kind {
        _ if d.is_explained() => lsp::DiagnosticSeverity::INFORMATION,
        Kind::Error | Kind::Breach => lsp::DiagnosticSeverity::ERROR,
        Kind::Warning => lsp::DiagnosticSeverity::WARNING,
    };
    let mut message = format!("{}[{}]: {}", d.kind.as_str(), d.rule, d.message);
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    lsp::Diagnostic {
        range: range_of(&d.loc, text),
        severity: Some(severity),
        code: Some(lsp::NumberOrString::String(d.rule.to_string())),
        source: Some(SOURCE.to_string()),
        message,
        data: d.help.clone().map(serde_json::Value::String),
        ..Default::default()
    }
}

/// The id-like word around `offset` (letters, digits, `-`, `_`), and where
/// it starts.
pub fn word_at(text: &str, offset: usize) -> Option<(&str, usize)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let offset = floor(text, offset.min(text.len()));
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    (start < end).then(|| (&text[start..end], start))
}

/// The one replacement a finding's help names: "did you mean `x`?" or
/// "write `x`" (a date, a quoted time), when it is a single value.
pub fn replacement(help: &str) -> Option<String> {
    let quoted = |marker: &str| -> Option<String> {
        let rest = &help[help.find(marker)? + marker.len()..];
        let end = rest.find('`')?;
        Some(rest[..end].to_string())
    };
    let value = quoted("did you mean `").or_else(|| {
        help.starts_with("write `")
            .then(|| quoted("write `"))
            .flatten()
    })?;
    let single =
        !value.is_empty() && !value.contains(": ") && !value.contains('\n') && value.len() <= 200;
    single.then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_come_back() {
        let text = "a: 1\nname: Zoë 😀 x\n";
        let t = Text::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(t.position(x), lsp::Position::new(1, 13));
        assert_eq!(t.offset(lsp::Position::new(1, 13)), Some(x));
        assert_eq!(t.offset(lsp::Position::new(7, 0)), None);
    }

    #[test]
    fn the_word_under_the_cursor_is_an_id() {
        let text = "chair: kim-davies\n";
        assert_eq!(word_at(text, 9), Some(("kim-davies", 7)));
        assert_eq!(word_at(text, 5), Some(("chair", 0)));
        assert_eq!(word_at(text, 6), None);
    }

    #[test]
    fn a_replacement_is_one_value_the_help_names() {
        assert_eq!(
            replacement("did you mean `in-progress`? known values: `planned`"),
            Some("in-progress".into())
        );
        assert_eq!(
            replacement(
                "write `2026-12-01` (1 December 2026, read day first as dates are written in England)"
            ),
            Some("2026-12-01".into())
        );
        assert_eq!(
            replacement("write it as `rule: { level: off, reason: \"...\" }`"),
            None
        );
        assert_eq!(replacement("add `better: up`"), None);
    }
}
