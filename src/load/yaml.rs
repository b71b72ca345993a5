//! YAML to a span-carrying tree.
//!
//! serde-saphyr parses the text into [`Node`]s with their spans; we then turn
//! them into [`Yaml`] values whose [`Loc`]s point into the casebook file (front
//! matter is parsed from a slice of a Markdown file, hence the `base` offset).
//! Decoding into the model happens later, on this tree, so that every problem
//! of a file can be reported, not only the first.

use crate::diagnostic::Diagnostic;
use crate::rule_id::RuleId;
use crate::source::{FileId, Loc, SourceFile};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use serde_saphyr::budget::BudgetBreach;
use std::fmt;

/// Deepest nesting accepted: records are shallow, so this only stops abuse.
pub const MAX_DEPTH: usize = 32;
/// Longest single value (a key or a scalar) in bytes.
pub const MAX_SCALAR_BYTES: usize = 64 * 1024;
/// Nodes in one file: a partnership's settings list tens of thousands of
/// people (about ten nodes each); aliases are capped separately, so this
/// only bounds the memory a file within the size limit can take.
const MAX_NODES: usize = 2_000_000;
const MAX_ALIASES: usize = 100;
const MAX_ANCHORS: usize = 100;
const MAX_TOTAL_SCALAR_BYTES: usize = super::read::MAX_FILE_BYTES as usize;

/// A YAML value with where it was written.
#[derive(Clone, Debug)]
pub struct Yaml {
    pub value: Value,
    pub loc: Loc,
    /// The author's spelling of a plain scalar that YAML typed as a boolean or
    /// a number (`no`, `07`), for fields that expect text.
    pub raw: Option<String>,
}

#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Yaml>),
    Map(Vec<Entry>),
}

/// One `key: value` of a mapping.
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: String,
    pub key_loc: Loc,
    pub value: Yaml,
}

impl Yaml {
    /// How a value is described in messages: "the number 20260914", "a list".
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Null => "nothing".into(),
            Value::Bool(b) => format!(
                "the boolean `{}`",
                self.raw.as_deref().unwrap_or(bool_str(*b))
            ),
            Value::Int(i) => format!("the number {}", self.raw.clone().unwrap_or(i.to_string())),
            Value::Float(f) => format!("the number {}", self.raw.clone().unwrap_or(f.to_string())),
            Value::Str(s) => format!("text `{}`", shorten(s)),
            Value::Seq(_) => "a list".into(),
            Value::Map(_) => "a mapping (`key: value` lines)".into(),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }
}

fn bool_str(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// A long value cut for a message.
pub fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    let line = s.lines().next().unwrap_or("");
    if line.chars().count() > MAX || line.len() < s.trim_end().len() {
        let cut: String = line.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

/// A schema error at `loc`.
pub fn schema(loc: Loc, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(RuleId::Schema, loc, message)
}

/// Where a YAML text lives in its file.
#[derive(Clone, Copy)]
pub struct Origin<'a> {
    pub file: FileId,
    pub source: &'a SourceFile,
    /// Byte offset of the YAML text in the file.
    pub base: usize,
    /// Number of lines of the file before the YAML text.
    pub line_offset: u32,
}

impl Origin<'_> {
    /// The [`Loc`] of a byte range of the YAML text.
    pub(super) fn loc_bytes(&self, offset: usize, len: usize) -> Loc {
        self.source
            .loc_at(self.file, self.base.saturating_add(offset), len)
    }

    /// The [`Loc`] of a 1-based line and character column of the YAML text.
    pub fn loc_line_col(&self, line: u64, column: u64) -> Loc {
        let line = u32::try_from(line)
            .unwrap_or(u32::MAX)
            .max(1)
            .saturating_add(self.line_offset);
        let column = u32::try_from(column).unwrap_or(u32::MAX).max(1);
        match self.source.offset_of(line, column) {
            Some(off) => self.source.loc_at(self.file, off, 0),
            None => self.source.loc_at(self.file, self.source.text.len(), 0),
        }
    }

    fn loc_of(&self, l: &serde_saphyr::Location) -> Loc {
        let span = l.span();
        match (span.byte_offset(), span.byte_len()) {
            (Some(off), Some(len)) => self.loc_bytes(
                usize::try_from(off).unwrap_or(usize::MAX),
                usize::try_from(len).unwrap_or(0),
            ),
            _ if l.line() > 0 => self.loc_line_col(l.line(), l.column()),
            _ => self.loc_bytes(0, 0),
        }
    }

    /// The text of the YAML at a serde-saphyr location, when it has byte info.
    fn raw_of(&self, l: &serde_saphyr::Location) -> Option<String> {
        let span = l.span();
        let off = self.base + usize::try_from(span.byte_offset()?).ok()?;
        let len = usize::try_from(span.byte_len()?).ok()?;
        self.source
            .text
            .get(off..off.checked_add(len)?)
            .map(|s| s.trim().to_string())
    }
}

/// Parses YAML `text` (which sits at `origin` in its file). Returns `None`
/// after reporting when the text cannot be parsed at all. An empty text (or
/// only comments) parses as null.
pub fn parse(text: &str, origin: Origin, diags: &mut Vec<Diagnostic>) -> Option<Yaml> {
    let tabs = indentation_tabs(text, origin);
    if !tabs.is_empty() {
        diags.extend(tabs);
        return None;
    }
    if is_blank(text) {
        return Some(Yaml {
            value: Value::Null,
            loc: origin.loc_bytes(0, 0),
            raw: None,
        });
    }
    if let Some(y) = super::plain_yaml::parse(text, origin) {
        return Some(y);
    }
    parse_full(text, origin, diags)
}

/// [`parse`] through serde-saphyr, for any YAML: what decides and reports
/// everything the fast way gives up on.
pub(super) fn parse_full(text: &str, origin: Origin, diags: &mut Vec<Diagnostic>) -> Option<Yaml> {
    let opts = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_nodes: MAX_NODES,
            max_events: MAX_NODES * 4,
            max_aliases: MAX_ALIASES,
            max_anchors: MAX_ANCHORS,
            max_documents: 1,
            max_total_scalar_bytes: MAX_TOTAL_SCALAR_BYTES,
            max_merge_keys: 100,
            enforce_alias_anchor_ratio: true,
            alias_anchor_min_aliases: 20,
            alias_anchor_ratio_multiplier: 10,
            max_recorded_anchor_events: 10_000,
            flow_nesting_limit: MAX_DEPTH + 1,
            max_recorded_anchor_bytes: 1024 * 1024,
        },
        alias_limits: alias_limits(),
        with_snippet: false,
    };
    match serde_saphyr::from_str_with_options::<Spanned<Node>>(text, opts) {
        Ok(root) => {
            let before = diags.len();
            let y = convert(root, origin, diags);
            if diags.len() > before {
                return None;
            }
            Some(y)
        }
        Err(e) => {
            diags.push(error_diagnostic(&e, origin, text));
            None
        }
    }
}

fn alias_limits() -> serde_saphyr::options::AliasLimits {
    let mut l = serde_saphyr::options::AliasLimits::default();
    l.max_total_replayed_events = 10_000;
    l.max_replay_stack_depth = MAX_DEPTH;
    l.max_alias_expansions_per_anchor = MAX_ALIASES;
    l
}

fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

/// Tabs in the indentation of a line. serde-saphyr reports these at a
/// confusing place, so we find them first and point at the tab itself.
/// Lines inside block scalars (`|`, `>`) are skipped: tabs are text there.
/// Works on bytes: files run to megabytes, and this runs before parsing.
fn indentation_tabs(text: &str, origin: Origin) -> Vec<Diagnostic> {
    // Past a few, more of the same helps nobody.
    const SHOWN: usize = 10;
    let bytes = text.as_bytes();
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut more = 0;
    // Indentation of the line that opened a block scalar, while inside one.
    let mut block: Option<usize> = None;
    let mut start = 0;
    while start < bytes.len() {
        // `str::find` with a char uses memchr, fast even in debug builds.
        let end = text
            .get(start..)
            .and_then(|t| t.find('\n'))
            .map_or(bytes.len(), |i| start + i);
        let line = &bytes[start..end];
        let line_start = start;
        start = end + 1;
        let lead_len = line
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let rest = line[lead_len..]
            .strip_suffix(b"\r")
            .unwrap_or(&line[lead_len..]);
        if let Some(indent) = block {
            if rest.is_empty() || lead_len > indent {
                continue;
            }
            block = None;
        }
        if opens_block_scalar(rest) {
            block = Some(lead_len);
        }
        if rest.is_empty() || rest.first() == Some(&b'#') {
            continue;
        }
        let Some(tab) = line[..lead_len].iter().position(|&b| b == b'\t') else {
            continue;
        };
        if out.len() == SHOWN {
            more += 1;
            continue;
        }
        out.push(
            schema(
                origin.loc_bytes(line_start + tab, 1),
                "tab character used for indentation; YAML indents with spaces",
            )
            .with_help("replace the tab with spaces (two per level, aligned with the lines above)"),
        );
    }
    if more > 0
        && let Some(last) = out.last_mut()
    {
        last.help = Some(format!(
            "replace the tabs with spaces: {more} more lines below are indented with tabs too"
        ));
    }
    out
}

/// Whether a line (without its indentation) ends with a block scalar
/// indicator, ignoring a trailing comment: `key: |`, `- >-  # notes`.
fn opens_block_scalar(rest: &[u8]) -> bool {
    if !rest.iter().any(|&b| b == b'|' || b == b'>') {
        return false;
    }
    let code = match rest.windows(2).position(|w| w == b" #") {
        Some(i) => &rest[..i],
        None => rest,
    };
    let code = code.trim_ascii_end();
    let token_start = code
        .iter()
        .rposition(|&b| b == b' ' || b == b'\t')
        .map_or(0, |i| i + 1);
    match code[token_start..].split_first() {
        Some((b'|' | b'>', indicators)) => indicators
            .iter()
            .all(|b| matches!(b, b'+' | b'-' | b'1'..=b'9')),
        _ => false,
    }
}

/// A serde-saphyr error as a diagnostic: its plain message, our location.
fn error_diagnostic(e: &serde_saphyr::Error, origin: Origin, text: &str) -> Diagnostic {
    let inner = original(e);
    let loc = e.location().filter(|l| l.line() > 0).map_or_else(
        || origin.loc_bytes(0, 0),
        |l| origin.loc_line_col(l.line(), l.column()),
    );
    let (message, mut help) = message_of(inner);
    if help.is_none()
        && let Some(key) = empty_list_with_items(text)
    {
        help = Some(format!(
            "`{key}: []` says the list is empty, so the items under it cannot be read: delete the `[]` after `{key}:`"
        ));
    }
    let d = schema(loc, message);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// The key of a `key: []` line followed by list items: an example written
/// under an empty list (as scaffolds write them) and then uncommented.
fn empty_list_with_items(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let code = line[..comment_start(line)].trim_end();
        let Some(key) = code
            .strip_suffix("[]")
            .map(str::trim_end)
            .and_then(|k| k.strip_suffix(':'))
        else {
            continue;
        };
        let key = key.trim().trim_start_matches("- ").trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            continue;
        }
        let next = lines[i + 1..].iter().find(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        });
        if next.is_some_and(|l| l.trim_start().starts_with("- ")) {
            return Some(key.to_string());
        }
    }
    None
}

/// The error under alias and snippet wrappers.
fn original(mut e: &serde_saphyr::Error) -> &serde_saphyr::Error {
    loop {
        match e {
            serde_saphyr::Error::AliasError { error, .. } => e = error,
            serde_saphyr::Error::WithSnippet { error, .. } => e = error,
            _ => return e,
        }
    }
}

fn message_of(e: &serde_saphyr::Error) -> (String, Option<String>) {
    use serde_saphyr::Error as E;
    let alias_bomb = || {
        (
            format!(
                "too many aliases: more than {MAX_ALIASES} uses of `*name`, or they expand too far (alias bomb?)"
            ),
            Some("write the values out; records do not need YAML aliases".to_string()),
        )
    };
    match e {
        E::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { .. } => (
                format!("YAML nesting deeper than {MAX_DEPTH} levels"),
                Some("records are shallow: check the brackets and the indentation".into()),
            ),
            BudgetBreach::Aliases { .. }
            | BudgetBreach::AliasAnchorRatio { .. }
            | BudgetBreach::RecordedAnchorEvents { .. }
            | BudgetBreach::RecordedAnchorBytes { .. } => alias_bomb(),
            BudgetBreach::Anchors { .. } => (
                format!("too many anchors: more than {MAX_ANCHORS} `&name` definitions"),
                None,
            ),
            BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } => (
                format!("too many values in one file: more than {MAX_NODES}"),
                Some("split the records, or check the file is what you meant".into()),
            ),
            BudgetBreach::ScalarBytes { .. } => (
                "the text values of this file add up to more than 8 MiB".into(),
                None,
            ),
            BudgetBreach::Documents { .. } => (
                "more than one YAML document: a record is a single document".into(),
                Some("remove the extra `---` line".into()),
            ),
            other => (format!("YAML too large or too complex ({other:?})"), None),
        },
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => alias_bomb(),
        E::DuplicateMappingKey { key, .. } => (
            match key {
                Some(k) => format!("duplicate key `{k}`: each key may appear only once here"),
                None => "duplicate key: each key may appear only once here".into(),
            },
            Some("remove one of the two, or merge their values".into()),
        ),
        E::MultipleDocuments { .. } => (
            "more than one YAML document: a record is a single document".into(),
            Some("remove the extra `---` line".into()),
        ),
        E::ExternalMessage { source, .. } if is_recursion_limit(source) => (
            format!("YAML nesting deeper than {MAX_DEPTH} levels"),
            Some("records are shallow: check the brackets and the indentation".into()),
        ),
        E::UnknownAnchor { .. } => (
            "alias `*name` refers to an anchor that is not defined".into(),
            None,
        ),
        other => {
            use serde_saphyr::MessageFormatter;
            let text = serde_saphyr::UserMessageFormatter.format_message(other);
            (sanitize(&text), None)
        }
    }
}

/// The parser's own nesting limit (it can trip before the budget's).
fn is_recursion_limit(source: &serde_saphyr::ExternalMessageSource) -> bool {
    use serde_saphyr::granit_parser::ErrorKind;
    matches!(
        source,
        serde_saphyr::ExternalMessageSource::Parser(e)
            if matches!(e.kind(), ErrorKind::RecursionLimitExceeded)
    )
}

/// Control characters in a message would garble the terminal.
fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Turns the serde-saphyr tree into ours, checking value sizes on the way.
fn convert(n: Spanned<Node>, origin: Origin, diags: &mut Vec<Diagnostic>) -> Yaml {
    let loc = origin.loc_of(&n.referenced);
    let scalar_raw = || origin.raw_of(&n.defined);
    let (value, raw) = match n.value {
        Node::Null => (Value::Null, None),
        Node::Bool(b) => (Value::Bool(b), scalar_raw()),
        Node::Int(i) => (Value::Int(i), scalar_raw()),
        Node::Float(f) => (Value::Float(f), scalar_raw()),
        Node::Str(s) => {
            check_size(&s, loc, diags);
            (Value::Str(s), None)
        }
        Node::Seq(items) => (
            Value::Seq(
                items
                    .into_iter()
                    .map(|i| convert(i, origin, diags))
                    .collect(),
            ),
            None,
        ),
        Node::Map(entries) => {
            let mut out = Vec::with_capacity(entries.len());
            for (k, v) in entries {
                let key_loc = origin.loc_of(&k.referenced);
                let key = match k.value {
                    Node::Str(s) => Some(s),
                    Node::Null => None,
                    Node::Bool(_) | Node::Int(_) | Node::Float(_) => origin.raw_of(&k.defined),
                    Node::Seq(_) | Node::Map(_) => None,
                };
                let value = convert(v, origin, diags);
                match key {
                    Some(key) => {
                        check_size(&key, key_loc, diags);
                        out.push(Entry {
                            key,
                            key_loc,
                            value,
                        });
                    }
                    None => diags.push(
                        schema(key_loc, "a key here must be a plain name")
                            .with_help("write `name: value`"),
                    ),
                }
            }
            (Value::Map(out), None)
        }
    };
    let loc = match &value {
        // A collection's span covers it whole; point at its first line only.
        Value::Seq(_) | Value::Map(_) => first_line(loc, origin.source),
        _ => loc,
    };
    Yaml { value, loc, raw }
}

/// A collection's loc: serde-saphyr gives only its start, so underline from
/// there to the end of that line, without a trailing comment.
pub(super) fn first_line(loc: Loc, source: &SourceFile) -> Loc {
    let rest = source.text.get(loc.start..).unwrap_or("");
    let line_len = rest
        .bytes()
        .position(|b| b == b'\n' || b == b'\r')
        .unwrap_or(rest.len());
    let line = &rest[..line_len];
    // Most lines have no `#`: no need to look for quotes then.
    let code = if line.as_bytes().contains(&b'#') {
        line[..comment_start(line)].trim_end()
    } else {
        line.trim_end()
    };
    Loc {
        end: loc.start + code.len(),
        ..loc
    }
}

/// Where a `#` comment starts in a line of YAML (its length if none),
/// skipping `#` inside quotes and inside words (`a#b`).
fn comment_start(line: &str) -> usize {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return i,
            None => {}
        }
        prev = c;
    }
    line.len()
}

fn check_size(s: &str, loc: Loc, diags: &mut Vec<Diagnostic>) {
    if s.len() > MAX_SCALAR_BYTES {
        diags.push(
            schema(
                Loc {
                    end: loc.start,
                    ..loc
                },
                format!(
                    "value too long: {} KiB, the limit is {} KiB",
                    s.len() / 1024,
                    MAX_SCALAR_BYTES / 1024
                ),
            )
            .with_help("long text belongs in the Markdown body, not in a YAML value"),
        );
    }
}

// ---------------------------------------------------------------- serde side

/// A generic YAML value with spans, as serde-saphyr hands it over.
enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        Ok(i64::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(i64::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        Ok(i64::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_char<E: de::Error>(self, v: char) -> Result<Node, E> {
        Ok(Node::Str(v.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Node, E> {
        Ok(Node::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = map.next_key::<Spanned<Node>>()? {
            let v = map.next_value::<Spanned<Node>>()?;
            entries.push((k, v));
        }
        Ok(Node::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> (Option<Yaml>, Vec<Diagnostic>, SourceFile) {
        let source = SourceFile::new("t.yaml", text);
        let mut diags = Vec::new();
        let origin = Origin {
            file: FileId(0),
            source: &source,
            base: 0,
            line_offset: 0,
        };
        let y = parse(text, origin, &mut diags);
        (y, diags, source)
    }

    #[test]
    fn spans_and_raw_text() {
        let text = "a: no\nb: \"quoted\"\nc: 07\nd:\n  - x\n  - 2026-09-14\ne: 10:00\n";
        let (y, diags, source) = parse_str(text);
        assert!(diags.is_empty(), "{diags:?}");
        let y = y.unwrap();
        let Value::Map(entries) = &y.value else {
            panic!("not a map: {y:?}")
        };
        let a = &entries[0];
        assert_eq!(a.key, "a");
        assert!(matches!(a.value.value, Value::Bool(false)));
        assert_eq!(a.value.raw.as_deref(), Some("no"));
        assert_eq!((a.value.loc.line, a.value.loc.column), (1, 4));
        let b = &entries[1].value;
        assert_eq!(&source.text[b.loc.start..b.loc.end], "\"quoted\"");
        assert_eq!(entries[2].value.raw.as_deref(), Some("07"));
        let Value::Seq(items) = &entries[3].value.value else {
            panic!()
        };
        assert!(matches!(&items[1].value, Value::Str(s) if s == "2026-09-14"));
        assert_eq!((items[1].loc.line, items[1].loc.column), (6, 5));
        let e = &entries[4].value;
        eprintln!("{e:?}");
    }

    #[test]
    fn collection_locations() {
        let text = "list:\n  - { agency: csc, person: jo }  # c\n  - agency: police\n    name: PC\ntop: [a, b]\n";
        let (y, diags, source) = parse_str(text);
        assert!(diags.is_empty(), "{diags:?}");
        let y = y.unwrap();
        let span = |y: &Yaml| source.text[y.loc.start..y.loc.end].to_string();
        let Value::Map(entries) = &y.value else {
            panic!()
        };
        assert_eq!((y.loc.line, y.loc.column), (1, 1));
        let Value::Seq(items) = &entries[0].value.value else {
            panic!()
        };
        assert_eq!(span(&y), "list:");
        assert_eq!(span(&items[0]), "{ agency: csc, person: jo }");
        assert_eq!(span(&items[1]), "agency: police");
        assert_eq!(span(&entries[1].value), "[a, b]");
        assert_eq!((items[0].loc.line, items[0].loc.column), (2, 5));
        assert_eq!((items[1].loc.line, items[1].loc.column), (3, 5));
    }

    #[test]
    fn tab_indentation_points_at_the_tab() {
        let (y, diags, _) = parse_str("a:\n  b: 1\n \tc: 2\nd: |\n\tkept\n");
        assert!(y.is_none());
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!((diags[0].loc.line, diags[0].loc.column), (3, 2));
        assert!(
            diags[0]
                .message
                .contains("tab character used for indentation")
        );
    }

    #[test]
    fn non_string_keys_do_not_abort() {
        let (y, diags, _) = parse_str("1: x\ntrue: y\n");
        assert!(diags.is_empty(), "{diags:?}");
        let Value::Map(entries) = y.unwrap().value else {
            panic!()
        };
        assert_eq!(entries[0].key, "1");
        assert_eq!(entries[1].key, "true");
    }

    #[test]
    fn complex_key_is_reported() {
        let (y, diags, _) = parse_str("? [a, b]\n: x\n");
        assert!(y.is_none());
        assert_eq!(diags.len(), 1, "{diags:?}");
    }

    #[test]
    fn syntax_error_has_plain_message_and_location() {
        let (y, diags, _) = parse_str("a: 1\nb: [1, 2\nc: 3\n");
        assert!(y.is_none());
        assert_eq!(diags.len(), 1);
        let d = &diags[0];
        assert!(!d.message.contains("line"), "{}", d.message);
        assert!(d.loc.line >= 2, "{d:?}");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let (y, diags, _) = parse_str("a: 1\na: 2\n");
        assert!(y.is_none());
        assert!(diags[0].message.contains("duplicate key `a`"), "{diags:?}");
        assert_eq!(diags[0].loc.line, 2);
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let (y, diags, _) = parse_str(&text);
        assert!(y.is_none());
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].message.contains("alias"), "{diags:?}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("a: {}{}\n", "[".repeat(20_000), "]".repeat(20_000));
        let (y, diags, _) = parse_str(&text);
        assert!(y.is_none());
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].message.contains("nesting"), "{diags:?}");
        // Block nesting: 2,000 levels is already 4 MB of indentation.
        let text = (0..2_000)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect::<String>();
        let (y, diags, _) = parse_str(&text);
        assert!(y.is_none());
        assert_eq!(diags.len(), 1, "{diags:?}");
    }

    #[test]
    fn long_scalar_is_reported() {
        let text = format!("a: {}\n", "x".repeat(MAX_SCALAR_BYTES + 1));
        let (y, diags, _) = parse_str(&text);
        assert!(y.is_none());
        assert_eq!((diags[0].loc.line, diags[0].loc.column), (1, 4));
    }

    #[test]
    fn empty_and_comments_are_null() {
        let (y, diags, _) = parse_str("# nothing\n\n");
        assert!(diags.is_empty());
        assert!(y.unwrap().is_null());
    }
}
