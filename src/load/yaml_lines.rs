//! The YAML records are written in, read a line at a time.
//!
//! The YAML parser reads a character at a time through a token queue, and
//! at a partnership's scale that is most of a check's time. Records use a
//! small, regular part of YAML: block mappings and lists, one-line plain
//! and quoted text, one-line flow lists and mappings, and literal or folded
//! blocks of text. This reads exactly that and gives the events the
//! parser would give, with the same values and the same spans. Anything
//! else, and anything it is not sure of (a tab, a carriage return, a
//! control character, a plain text running onto a second line, a quoted
//! text running onto a second line, an escape other than the common ones,
//! an anchor, a tag, a document marker, a key over 1,024 characters), makes
//! it give up, and the parser reads the text instead. Tests hold it to the
//! parser's events on every record of the sample and the fixtures and on
//! thousands of damaged copies of them.

use std::borrow::Cow;

/// What a reader of YAML sees, in order; spans are byte offsets in the
/// text.
#[derive(Clone, Debug, PartialEq)]
pub enum Event<'t> {
    Scalar {
        value: Cow<'t, str>,
        /// Plain text, which may be a number, a boolean or null; quoted and
        /// block text is always text.
        plain: bool,
        start: usize,
        end: usize,
    },
    SeqStart(usize),
    MapStart(usize),
    /// The end of the innermost open list or mapping.
    End,
}

/// The events of `text`, or `None` when it uses more of YAML than this
/// reads, or is not YAML.
pub fn events(text: &str) -> Option<Vec<Event<'_>>> {
    if !plain_characters(text.as_bytes()) {
        return None;
    }
    let mut s = Scanner {
        text,
        b: text.as_bytes(),
        pos: 0,
        out: Vec::with_capacity(text.len() / 12),
        frames: Vec::new(),
        pending: None,
        root_done: false,
    };
    s.run()?;
    Some(s.out)
}

/// Whether the text holds only characters this reader may meet: no tab,
/// carriage return or other control character, no byte order mark, and
/// none of the characters YAML treats specially as line breaks.
fn plain_characters(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {}
            0..=0x1f | 0x7f => return false,
            // U+0080 to U+009F, NEL among them.
            0xc2 if matches!(b.get(i + 1), Some(0x80..=0x9f)) => return false,
            // U+2028 and U+2029.
            0xe2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xa8 | 0xa9)) => {
                return false;
            }
            // U+FEFF, U+FFFE, U+FFFF.
            0xef if b.get(i + 1) == Some(&0xbb) && b.get(i + 2) == Some(&0xbf) => return false,
            0xef if b.get(i + 1) == Some(&0xbf) && matches!(b.get(i + 2), Some(0xbe | 0xbf)) => {
                return false;
            }
            _ => {}
        }
        i += 1;
    }
    true
}

/// A block list or mapping being read.
struct Frame {
    seq: bool,
    /// The column of its `-` or of its keys.
    indent: usize,
    /// A list written at the indentation of the key it is the value of.
    beside_key: bool,
}

/// A key or a list item whose value did not follow on its line.
struct Pending {
    /// The indentation of the mapping or list it belongs to.
    owner: isize,
    /// Where the parser places the null it stands for, if nothing follows.
    null_at: usize,
    after_key: bool,
}

/// Where a node starts.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// At the start of a line's content, or after a `-`: a list or a
    /// mapping may start here.
    Block,
    /// After a key's `: `: only a one-line value or a block of text.
    Inline,
}

/// A line's content.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    indent: usize,
    /// First character after the indentation.
    first: usize,
    /// The end, before its `\n`.
    end: usize,
}

struct Scanner<'t> {
    text: &'t str,
    b: &'t [u8],
    /// Start of the next line to read.
    pos: usize,
    out: Vec<Event<'t>>,
    frames: Vec<Frame>,
    pending: Option<Pending>,
    root_done: bool,
}

/// Deeper than the tree builder takes: give up before recursing further.
const MAX_DEPTH: usize = super::yaml::MAX_DEPTH;

/// YAML allows a key of 1,024 characters on its line; this reader takes
/// fewer, in bytes, and leaves the count of characters to the parser.
const MAX_KEY_BYTES: usize = 1000;

impl<'t> Scanner<'t> {
    fn run(&mut self) -> Option<()> {
        while let Some(line) = self.next_content_line()? {
            self.line(line)?;
        }
        if let Some(p) = self.pending.take() {
            self.null(p.null_at);
        }
        while self.frames.pop().is_some() {
            self.out.push(Event::End);
        }
        self.root_done.then_some(())
    }

    /// The next line holding more than spaces or a comment.
    fn next_content_line(&mut self) -> Option<Option<Line>> {
        while self.pos < self.b.len() {
            let start = self.pos;
            let end = self.line_end(start);
            self.pos = (end + 1).min(self.b.len());
            let rest = &self.b[start..end];
            if rest.starts_with(b"---") || rest.starts_with(b"...") || rest.starts_with(b"%") {
                return None;
            }
            let indent = rest.iter().take_while(|&&c| c == b' ').count();
            let first = start + indent;
            if first == end || self.b[first] == b'#' {
                continue;
            }
            return Some(Some(Line {
                start,
                indent,
                first,
                end,
            }));
        }
        Some(None)
    }

    fn line_end(&self, from: usize) -> usize {
        self.b[from..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(self.b.len(), |i| from + i)
    }

    fn line(&mut self, line: Line) -> Option<()> {
        let dash = self.is_dash(line.first, line.end);
        let indent = line.indent as isize;
        if let Some(p) = self.pending.take() {
            if indent > p.owner {
                return self.node(line, line.first, p.owner, Place::Block);
            }
            if p.after_key && indent == p.owner && dash {
                // The parser places a list beside its key at its first
                // item's value.
                let value = skip_spaces(self.b, line.first + 1, line.end);
                if value == line.end || self.b[value] == b'#' {
                    return None;
                }
                self.open(true, line.indent, true)?;
                self.out.push(Event::SeqStart(value));
                return self.item(line, line.first);
            }
            self.null(p.null_at);
        }
        while let Some(top) = self.frames.last() {
            let closes = top.indent > line.indent
                || (top.seq && top.beside_key && top.indent == line.indent && !dash);
            if !closes {
                break;
            }
            self.frames.pop();
            self.out.push(Event::End);
        }
        match self.frames.last() {
            Some(top) if top.indent == line.indent => {
                if top.seq && dash {
                    self.item(line, line.first)
                } else if !top.seq && !dash {
                    self.key_line(line, line.first)
                } else {
                    None
                }
            }
            Some(_) => None,
            None if self.root_done => None,
            None => {
                self.root_done = true;
                self.node(line, line.first, -1, Place::Block)
            }
        }
    }

    /// Opens a block list or mapping, unless that is too deep to read.
    fn open(&mut self, seq: bool, indent: usize, beside_key: bool) -> Option<()> {
        if self.frames.len() >= MAX_DEPTH {
            return None;
        }
        self.frames.push(Frame {
            seq,
            indent,
            beside_key,
        });
        Some(())
    }

    fn is_dash(&self, at: usize, end: usize) -> bool {
        self.b[at] == b'-' && (at + 1 == end || self.b[at + 1] == b' ')
    }

    /// A node starting at `at`, in a collection indented `parent`.
    fn node(&mut self, line: Line, at: usize, parent: isize, place: Place) -> Option<()> {
        let column = at - line.start;
        match self.b[at] {
            b'-' if self.is_dash(at, line.end) => {
                if place == Place::Inline {
                    return None;
                }
                self.open(true, column, false)?;
                self.out.push(Event::SeqStart(at));
                self.item(line, at)
            }
            b'[' | b'{' => {
                let after = self.flow(at, line.end, self.frames.len())?;
                self.rest_is_blank(after, line.end)
            }
            b'\'' | b'"' => {
                let after = self.quoted(at, line.end)?;
                self.rest_is_blank(after, line.end)
            }
            b'|' | b'>' => self.block_text(line, at, parent),
            b'?' | b':' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`' | b',' | b']' | b'}' | b'#' => {
                None
            }
            _ => self.plain_or_key(line, at, place),
        }
    }

    fn plain_or_key(&mut self, line: Line, at: usize, place: Place) -> Option<()> {
        let (end, colon) = self.block_plain(at, line.end);
        if colon.is_some() {
            if place == Place::Inline {
                return None;
            }
            self.open(false, at - line.start, false)?;
            self.out.push(Event::MapStart(at));
            return self.key_line(line, at);
        }
        self.scalar_borrowed(at, end, true);
        Some(())
    }

    /// A `key: value` line of a mapping indented at `at`'s column.
    fn key_line(&mut self, line: Line, at: usize) -> Option<()> {
        if !key_may_start(self.b[at]) {
            return None;
        }
        let (end, colon) = self.block_plain(at, line.end);
        let colon = colon?;
        let key = &self.b[at..end];
        if end != colon || key.iter().any(|c| KEY_NEVER.contains(c)) || end - at > MAX_KEY_BYTES {
            return None;
        }
        self.scalar_borrowed(at, end, true);
        let value = skip_spaces(self.b, colon + 1, line.end);
        if value == line.end || self.b[value] == b'#' {
            self.pending = Some(Pending {
                owner: (at - line.start) as isize,
                null_at: colon,
                after_key: true,
            });
            return Some(());
        }
        self.node(line, value, (at - line.start) as isize, Place::Inline)
    }

    /// A list item whose `-` is at `dash`.
    fn item(&mut self, line: Line, dash: usize) -> Option<()> {
        let at = skip_spaces(self.b, dash + 1, line.end);
        if at == line.end || self.b[at] == b'#' {
            self.pending = Some(Pending {
                owner: (dash - line.start) as isize,
                null_at: line.end,
                after_key: false,
            });
            return Some(());
        }
        self.node(line, at, (dash - line.start) as isize, Place::Block)
    }

    /// The end of a plain text in block context starting at `at`, and the
    /// `:` that makes it a key, if one does.
    fn block_plain(&self, at: usize, end: usize) -> (usize, Option<usize>) {
        let b = self.b;
        let mut i = at;
        while i < end {
            match b[i] {
                b':' if i + 1 == end || b[i + 1] == b' ' => {
                    return (trim_end(b, at, i), Some(i));
                }
                b'#' if i > at && b[i - 1] == b' ' => return (trim_end(b, at, i), None),
                _ => {}
            }
            i += 1;
        }
        (trim_end(b, at, end), None)
    }

    fn rest_is_blank(&self, from: usize, end: usize) -> Option<()> {
        let at = skip_spaces(self.b, from, end);
        (at == end || (self.b[at] == b'#' && at > from)).then_some(())
    }

    fn scalar_borrowed(&mut self, start: usize, end: usize, plain: bool) {
        self.out.push(Event::Scalar {
            value: Cow::Borrowed(&self.text[start..end]),
            plain,
            start,
            end,
        });
    }

    fn null(&mut self, at: usize) {
        self.out.push(Event::Scalar {
            value: Cow::Borrowed("~"),
            plain: true,
            start: at,
            end: at,
        });
    }

    /// A quoted text that ends on its line; the position after it.
    fn quoted(&mut self, at: usize, end: usize) -> Option<usize> {
        let b = self.b;
        let quote = b[at];
        let mut value: Option<String> = None;
        let mut run = at + 1;
        let mut i = at + 1;
        loop {
            if i >= end {
                return None;
            }
            match b[i] {
                b'\'' if quote == b'\'' => {
                    if b.get(i + 1) == Some(&b'\'') && i + 1 < end {
                        let v = value.get_or_insert_with(String::new);
                        v.push_str(&self.text[run..=i]);
                        i += 2;
                        run = i;
                        continue;
                    }
                    break;
                }
                b'"' if quote == b'"' => break,
                b'\\' if quote == b'"' => {
                    let escaped = match b.get(i + 1) {
                        Some(b'\\') => '\\',
                        Some(b'"') => '"',
                        Some(b'/') => '/',
                        Some(b'n') => '\n',
                        Some(b't') => '\t',
                        _ => return None,
                    };
                    if i + 1 >= end {
                        return None;
                    }
                    let v = value.get_or_insert_with(String::new);
                    v.push_str(&self.text[run..i]);
                    v.push(escaped);
                    i += 2;
                    run = i;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        let value = match value {
            Some(mut v) => {
                v.push_str(&self.text[run..i]);
                Cow::Owned(v)
            }
            None => Cow::Borrowed(&self.text[at + 1..i]),
        };
        self.out.push(Event::Scalar {
            value,
            plain: false,
            start: at,
            end: i + 1,
        });
        Some(i + 1)
    }

    /// A flow list or mapping closed on its line; the position after it.
    fn flow(&mut self, at: usize, end: usize, depth: usize) -> Option<usize> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let b = self.b;
        let seq = b[at] == b'[';
        let close = if seq { b']' } else { b'}' };
        self.out.push(if seq {
            Event::SeqStart(at)
        } else {
            Event::MapStart(at)
        });
        let mut i = skip_spaces(b, at + 1, end);
        if i < end && b[i] == close {
            self.out.push(Event::End);
            return Some(i + 1);
        }
        loop {
            if !seq {
                let key_end = self.flow_plain(i, end)?;
                if key_end >= end || b[key_end] != b':' {
                    return None;
                }
                if trim_end(b, i, key_end) != key_end
                    || b[i..key_end].iter().any(|c| KEY_NEVER.contains(c))
                {
                    return None;
                }
                self.scalar_borrowed(i, key_end, true);
                if b.get(key_end + 1) != Some(&b' ') || key_end + 1 >= end {
                    return None;
                }
                i = skip_spaces(b, key_end + 1, end);
            }
            i = self.flow_node(i, end, depth + 1)?;
            i = skip_spaces(b, i, end);
            if i >= end {
                return None;
            }
            if b[i] == close {
                self.out.push(Event::End);
                return Some(i + 1);
            }
            if b[i] != b',' {
                return None;
            }
            i = skip_spaces(b, i + 1, end);
            if i >= end || b[i] == close || b[i] == b',' {
                return None;
            }
        }
    }

    fn flow_node(&mut self, at: usize, end: usize, depth: usize) -> Option<usize> {
        if at >= end {
            return None;
        }
        match self.b[at] {
            b'[' | b'{' => self.flow(at, end, depth),
            b'\'' | b'"' => self.quoted(at, end),
            _ => {
                let stop = self.flow_plain(at, end)?;
                if stop < end && self.b[stop] == b':' {
                    return None;
                }
                let text_end = trim_end(self.b, at, stop);
                self.scalar_borrowed(at, text_end, true);
                Some(stop)
            }
        }
    }

    /// Where a plain text in a flow collection, starting at `at`, stops:
    /// at a `,`, a bracket or a `:`. `None` where the reader gives up.
    fn flow_plain(&self, at: usize, end: usize) -> Option<usize> {
        let b = self.b;
        // A `-` starts text only before a character that could go on it.
        let dash_alone =
            b[at..end].starts_with(b"-") && b.get(at + 1).is_none_or(|c| b" ,[]{}\n".contains(c));
        if at >= end || !key_may_start(b[at]) || dash_alone {
            return None;
        }
        let mut i = at;
        while i < end {
            match b[i] {
                // `10:30` is text: a `:` ends it only before a space or
                // a flow indicator.
                b':' if i + 1 < end && !b" ,[]{}".contains(&b[i + 1]) => i += 1,
                b',' | b'[' | b']' | b'{' | b'}' | b':' => break,
                b'#' => return None,
                _ => i += 1,
            }
        }
        (i < end && i > at).then_some(i)
    }

    /// A literal (`|`) or folded (`>`) block of text whose header is at
    /// `at`, in a collection indented `parent`.
    fn block_text(&mut self, line: Line, at: usize, parent: isize) -> Option<()> {
        let b = self.b;
        let literal = b[at] == b'|';
        let mut h = at + 1;
        let strip = h < line.end && b[h] == b'-';
        if strip {
            h += 1;
        }
        if h < line.end && b[h] != b' ' {
            return None;
        }
        self.rest_is_blank(h, line.end)?;
        if line.end >= b.len() {
            return None;
        }
        let mut lines: Vec<(usize, usize)> = Vec::new();
        let mut indent = 0;
        let mut next = line.end + 1;
        let mut stop = b.len();
        let mut span_end = b.len();
        while next < b.len() {
            let end = self.line_end(next);
            let spaces = b[next..end].iter().take_while(|&&c| c == b' ').count();
            if next == end {
                if lines.is_empty() {
                    return None;
                }
                lines.push((next, next));
            } else if next + spaces == end {
                return None;
            } else if lines.is_empty() {
                if spaces as isize <= parent {
                    return None;
                }
                indent = spaces;
                lines.push((next + spaces, end));
            } else if spaces >= indent {
                if !literal && spaces > indent {
                    return None;
                }
                lines.push((next + indent, end));
            } else {
                // The parser's span takes in the next line's indentation.
                stop = next;
                span_end = next + spaces;
                break;
            }
            if end == b.len() {
                // The last line has no line break: the parser's chomping
                // differs there.
                return None;
            }
            next = end + 1;
        }
        let &(start, _) = lines.first()?;
        while lines.last().is_some_and(|(s, e)| s == e) {
            lines.pop();
        }
        let mut value = String::with_capacity(stop - start);
        let mut blank_run = 0;
        for (n, &(s, e)) in lines.iter().enumerate() {
            if s == e {
                blank_run += 1;
                if literal {
                    value.push('\n');
                }
                continue;
            }
            if n > 0 && !literal {
                if blank_run > 0 {
                    value.extend(std::iter::repeat_n('\n', blank_run));
                } else {
                    value.push(' ');
                }
            } else if n > 0 {
                value.push('\n');
            }
            blank_run = 0;
            value.push_str(&self.text[s..e]);
        }
        if !strip {
            value.push('\n');
        }
        self.out.push(Event::Scalar {
            value: Cow::Owned(value),
            plain: false,
            start,
            end: span_end,
        });
        self.pos = stop;
        Some(())
    }
}

/// Characters never in a key this reader takes: YAML's indicators, and
/// quotes.
const KEY_NEVER: &[u8] = b"[]{},#&*!|>'\"%@`";

fn key_may_start(c: u8) -> bool {
    !matches!(
        c,
        b'?' | b':'
            | b'&'
            | b'*'
            | b'!'
            | b'%'
            | b'@'
            | b'`'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b' '
    )
}

fn skip_spaces(b: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && b[i] == b' ' {
        i += 1;
    }
    i
}

fn trim_end(b: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && b[end - 1] == b' ' {
        end -= 1;
    }
    end
}
