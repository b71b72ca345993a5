//! Record text made safe for a terminal or a CI log.
//!
//! Text a casebook author wrote must never drive the terminal (an escape
//! sequence that retitles the window or writes the clipboard) nor start a
//! line of its own: in a GitHub Actions log, a line that begins
//! `::error file=...::` is a workflow command. So every control character,
//! line break included, is shown as a visible symbol, as `check` shows a
//! control character in a snippet.

use std::borrow::Cow;

/// `text` with every control character (C0, DEL, C1), line and paragraph
/// separator, and bidirectional override shown as a visible symbol. Tabs
/// become four spaces.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_replacing) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '\t' => out.push_str("    "),
            '\n' | '\u{2028}' | '\u{2029}' | '\u{0085}' => out.push('␤'),
            // The control pictures block holds a symbol for each C0 code.
            '\0'..='\u{1f}' => {
                out.push(char::from_u32(0x2400 + ch as u32).unwrap_or('\u{fffd}'));
            }
            '\u{7f}' => out.push('␡'),
            c if needs_replacing(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A message of several lines (an error with the template line it points
/// at): each line made [`visible`], each after the first indented, so that
/// only contextpack's own words begin a line.
pub fn lines(text: &str) -> String {
    text.split('\n')
        .map(visible)
        .collect::<Vec<_>>()
        .join("\n  ")
}

fn needs_replacing(ch: char) -> bool {
    matches!(ch,
        '\0'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{200e}' | '\u{200f}'
        | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_can_start_a_line_or_drive_the_terminal() {
        let hostile = "venue\n::error file=README.md::INJECTED\x1b]0;title\x07\u{9b}31m\r\u{2028}x";
        let shown = visible(hostile);
        assert!(!shown.contains('\n') && !shown.contains('\r'));
        assert!(!shown.chars().any(|c| c.is_control()), "{shown}");
        assert!(shown.contains("␤::error"), "{shown}");
        assert_eq!(visible("Harbour Walk"), "Harbour Walk");
    }
}
