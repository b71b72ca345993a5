//! The fast way to a [`Yaml`] tree, for the YAML records are made of.
//!
//! serde-saphyr gives every value its spans through serde's machinery,
//! which is most of a check's time at a partnership's scale. Records use
//! little of YAML: mappings, lists, plain and quoted text, whole numbers,
//! booleans and dates. This reads the parser's events straight into the
//! tree when the text uses only that, with the same values, locations and
//! spellings serde-saphyr would give. Anything else (a tag, an anchor or
//! alias, a merge key, a repeated key, a second document, a number written
//! any other way than plain digits, a syntax error, nesting or size over
//! the limits) makes it give up, and the text goes the full way, which
//! decides and reports it exactly as before. A test compares the two ways
//! on every record of the sample and the fixtures.

use super::yaml::{Entry, MAX_DEPTH, Origin, Value, Yaml};
use super::yaml_lines::{self, Event};
use serde_saphyr::granit_parser::{Event as ParserEvent, Parser, ScalarStyle, Span};

/// Nodes in one file before giving the text to the full way, which
/// enforces the real budget.
const MAX_NODES: usize = 200_000;

/// Keys in one mapping before giving the text to the full way.
const MAX_KEYS: usize = 256;

/// The tree of `text`, or `None` when it uses more of YAML than records do
/// (or is not YAML): then the full parser must read it. Records read a
/// line at a time ([`yaml_lines`]); what that reader gives up on goes
/// through the parser's events. Where the line reader read the text, the
/// parser's events are the same, so a tree the builder refuses (a repeated
/// key, `1.5`) goes straight to the full way.
pub fn parse(text: &str, origin: Origin) -> Option<Yaml> {
    let events = match yaml_lines::events(text) {
        Some(events) => events,
        None => parser_events(text)?,
    };
    build(text, origin, events)
}

/// The parser's events for `text`, as [`yaml_lines`] gives them: `None`
/// for an error, an anchor, an alias, a tag or a second document.
pub(super) fn parser_events(text: &str) -> Option<Vec<Event<'_>>> {
    let mut out = Vec::new();
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.ok()?;
        match event {
            ParserEvent::StreamStart | ParserEvent::StreamEnd | ParserEvent::DocumentEnd => {}
            ParserEvent::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
            }
            ParserEvent::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                let (start, len) = bytes(&span)?;
                out.push(Event::Scalar {
                    value,
                    plain: style == ScalarStyle::Plain,
                    start,
                    end: start + len,
                });
            }
            ParserEvent::SequenceStart(_, anchor, ref tag)
            | ParserEvent::MappingStart(_, anchor, ref tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                let start = bytes(&span)?.0;
                out.push(if matches!(event, ParserEvent::SequenceStart(..)) {
                    Event::SeqStart(start)
                } else {
                    Event::MapStart(start)
                });
            }
            ParserEvent::SequenceEnd | ParserEvent::MappingEnd => out.push(Event::End),
            // Aliases, anchors' metadata and anything newer.
            _ => return None,
        }
    }
    (documents == 1).then_some(out)
}

fn build(text: &str, origin: Origin, events: Vec<Event>) -> Option<Yaml> {
    let mut b = Builder {
        text,
        origin,
        stack: Vec::new(),
        root: None,
        nodes: 0,
    };
    for event in events {
        b.event(event)?;
    }
    if !b.stack.is_empty() {
        return None;
    }
    b.root
}

/// A collection being read.
enum Open {
    Seq(Yaml, Vec<Yaml>),
    /// The mapping, its entries, and the key read whose value is next.
    Map(Yaml, Vec<Entry>, Option<(String, crate::source::Loc)>),
}

struct Builder<'t, 'o> {
    text: &'t str,
    origin: Origin<'o>,
    stack: Vec<Open>,
    root: Option<Yaml>,
    nodes: usize,
}

impl Builder<'_, '_> {
    fn event(&mut self, event: Event) -> Option<()> {
        match event {
            Event::Scalar {
                value,
                plain,
                start,
                end,
            } => {
                if value.len() > super::yaml::MAX_SCALAR_BYTES {
                    return None;
                }
                self.count()?;
                let len = end.checked_sub(start)?;
                // A key of a mapping: only plain names, each once.
                if let Some(Open::Map(_, entries, key @ None)) = self.stack.last_mut() {
                    let resolved = resolve(&value, plain)?;
                    let is_text = matches!(resolved, Value::Str(_));
                    // Keys are compared one by one, so a mapping longer
                    // than any record's goes the full way.
                    if !is_text
                        || value == "<<"
                        || entries.len() >= MAX_KEYS
                        || entries.iter().any(|e| e.key == *value)
                    {
                        return None;
                    }
                    *key = Some((value.into_owned(), self.origin.loc_bytes(start, len)));
                    return Some(());
                }
                let loc = self.origin.loc_bytes(start, len);
                let value = resolve(&value, plain)?;
                let raw = match value {
                    Value::Bool(_) | Value::Int(_) => {
                        self.text.get(start..end).map(|s| s.trim().to_string())
                    }
                    _ => None,
                };
                self.push(Yaml { value, loc, raw })?;
            }
            Event::SeqStart(start) | Event::MapStart(start) => {
                if self.stack.len() >= MAX_DEPTH {
                    return None;
                }
                self.count()?;
                if let Some(Open::Map(_, _, None)) = self.stack.last() {
                    // A collection as a key.
                    return None;
                }
                let node = Yaml {
                    value: Value::Null,
                    loc: super::yaml::first_line(
                        self.origin.loc_bytes(start, 0),
                        self.origin.source,
                    ),
                    raw: None,
                };
                let open = if matches!(event, Event::SeqStart(_)) {
                    Open::Seq(node, Vec::new())
                } else {
                    Open::Map(node, Vec::new(), None)
                };
                self.stack.push(open);
            }
            Event::End => {
                let done = match self.stack.pop()? {
                    Open::Seq(mut node, items) => {
                        node.value = Value::Seq(items);
                        node
                    }
                    Open::Map(mut node, entries, None) => {
                        node.value = Value::Map(entries);
                        node
                    }
                    Open::Map(_, _, Some(_)) => return None,
                };
                self.push(done)?;
            }
        }
        Some(())
    }

    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES).then_some(())
    }

    /// Hands a finished value to the collection it is in, or makes it the
    /// document's root.
    fn push(&mut self, value: Yaml) -> Option<()> {
        match self.stack.last_mut() {
            None => {
                if self.root.is_some() {
                    return None;
                }
                self.root = Some(value);
            }
            Some(Open::Seq(_, items)) => items.push(value),
            Some(Open::Map(_, entries, key)) => {
                let (key, key_loc) = key.take()?;
                entries.push(Entry {
                    key,
                    key_loc,
                    value,
                });
            }
        }
        Some(())
    }
}

/// The span's bytes: start and length.
fn bytes(span: &Span) -> Option<(usize, usize)> {
    let start = span.start.byte_offset()?;
    let end = span.end.byte_offset()?;
    Some((start, end.checked_sub(start)?))
}

/// What a scalar is, as serde-saphyr decides for a plain scalar with no
/// tag, for the spellings records use; `None` for any other spelling that
/// might be a number (the full way decides those).
fn resolve(value: &str, plain: bool) -> Option<Value> {
    if !plain {
        return Some(Value::Str(value.to_string()));
    }
    if matches!(value, "" | "~" | "null" | "Null" | "NULL") {
        return Some(Value::Null);
    }
    let is = |words: &[&str]| words.iter().any(|w| value.eq_ignore_ascii_case(w));
    if value.len() <= 5 {
        if is(&["true", "yes", "y", "on"]) {
            return Some(Value::Bool(true));
        }
        if is(&["false", "no", "n", "off"]) {
            return Some(Value::Bool(false));
        }
    }
    // Only a whole `inf` or `nan` might be read as a number: `influencers`
    // and `Nancy` are text, and must not send the file the slow way.
    let numberish = |s: &str| {
        let s = s.trim_start_matches(['+', '-']);
        s.starts_with(|c: char| c.is_ascii_digit() || c == '.')
            || ["inf", "infinity", "nan"]
                .iter()
                .any(|w| s.eq_ignore_ascii_case(w))
    };
    if !numberish(value) && !value.starts_with(char::is_whitespace) {
        return Some(Value::Str(value.to_string()));
    }
    let digits = value.strip_prefix('-').unwrap_or(value);
    let plain_integer = !digits.is_empty()
        && digits.len() <= 18
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if plain_integer {
        return value.parse().ok().map(Value::Int);
    }
    if is_date(value) {
        return Some(Value::Str(value.to_string()));
    }
    None
}

/// `2026-09-14`: text to YAML 1.2 and to serde-saphyr, a date to us.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::source::{FileId, SourceFile};

    fn origin(source: &SourceFile) -> Origin<'_> {
        Origin {
            file: FileId(0),
            source,
            base: 0,
            line_offset: 0,
        }
    }

    /// Both ways give the same tree, or the fast way gives up.
    fn same_as_full(text: &str) -> bool {
        let source = SourceFile::new("t.yaml", text);
        let Some(fast) = parse(text, origin(&source)) else {
            return false;
        };
        let mut diags: Vec<Diagnostic> = Vec::new();
        let full = super::super::yaml::parse_full(text, origin(&source), &mut diags)
            .expect("the full way reads what the fast way read");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{text}");
        true
    }

    #[test]
    fn records_read_the_same_either_way() {
        for text in [
            "a: 1\nb: text\nc: [x, 'y', \"z\"]\nd:\n  - { e: 2026-09-14, f: no }\n  - g: ~\n",
            "date: 2026-09-14\nstart: \"10:00\"\nnotes: |\n  one\n  two\nfolded: >\n  three\n  four\nflag: Yes\ncount: -12\nzero: 0\n",
            "list:\n- a\n- b: [1, 2]\n  c: {}\nempty: []\nnothing:\n",
            "k: Zoë's café, on the \"parade\"\nq: 'it''s'\n",
            "influencers: [Nancy, nanny, -information, +infant]\nnan_ny: info\n",
        ] {
            assert!(same_as_full(text), "{text}");
        }
    }

    #[test]
    fn anything_more_goes_the_full_way() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: 1\na: 2\n",
            "<<: {a: 1}\n",
            "a: 1.5\n",
            "a: 07\n",
            "a: 0x1f\n",
            "a: .inf\n",
            "a: inf\n",
            "a: -Infinity\n",
            "a: NaN\n",
            "a: 10:00\n",
            "a: 1\n---\nb: 2\n",
            "a: [1, 2\n",
            "? [a]\n: 1\n",
            "1: one\n",
        ]
        .into_iter()
        .map(String::from)
        .chain([(0..MAX_KEYS + 1).map(|i| format!("k{i}: {i}\n")).collect()])
        {
            let text = text.as_str();
            let source = SourceFile::new("t.yaml", text);
            assert!(parse(text, origin(&source)).is_none(), "{text}");
        }
    }

    /// Every YAML file and Markdown file with front matter of the sample
    /// and the fixtures: name, text, and where its YAML lies in the text.
    fn records() -> Vec<(String, String, std::ops::Range<usize>)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(list) = std::fs::read_dir(dir) else {
                return;
            };
            for e in list.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "yaml" || x == "md") {
                    out.push(p);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![root.join("contextpack.yaml")];
        walk(&root.join("cases"), &mut files);
        walk(&root.join("tests/fixtures"), &mut files);
        let mut out = Vec::new();
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            let name = f.display().to_string();
            if name.ends_with(".md") {
                let source = SourceFile::new(name.clone(), text.as_str());
                if let Ok(split) = crate::load::markdown::split_front_matter(&source, FileId(0), "")
                {
                    let yaml = split.yaml_base..split.yaml_base + split.yaml.len();
                    out.push((name, text.clone(), yaml));
                }
            } else {
                let whole = 0..text.len();
                out.push((name, text, whole));
            }
        }
        out
    }

    #[test]
    fn every_record_of_the_sample_and_fixtures_reads_the_same_either_way() {
        let (mut fast, mut all) = (0, 0);
        let mut slow_in_sample = Vec::new();
        for (name, text, range) in records() {
            let source = SourceFile::new(name.clone(), text.as_str());
            let base = range.start;
            let yaml = &text[range];
            let at = Origin {
                file: FileId(0),
                source: &source,
                base,
                line_offset: 0,
            };
            all += 1;
            let Some(quick) = parse(yaml, at) else {
                // The fixtures try YAML's corners; the sample is what
                // practitioners write, and must all take the fast way.
                if !name.contains("tests/fixtures") {
                    slow_in_sample.push(name);
                }
                continue;
            };
            fast += 1;
            let mut diags: Vec<Diagnostic> = Vec::new();
            let full = super::super::yaml::parse_full(yaml, at, &mut diags);
            assert_eq!(
                format!("{:?}", Some(quick)),
                format!("{full:?}"),
                "{name} reads differently"
            );
        }
        assert!(all >= 40, "{all} records");
        assert_eq!(slow_in_sample, Vec::<String>::new(), "took the slow way");
        assert!(
            fast * 10 >= all * 8,
            "only {fast} of {all} records took the fast way"
        );
    }

    /// The line reader's events are the parser's for `text`, or it gives
    /// up. Whether it read the text.
    fn lines_agree(name: &str, text: &str) -> bool {
        let Some(quick) = yaml_lines::events(text) else {
            return false;
        };
        let Some(parsed) = parser_events(text) else {
            panic!("{name}: the parser gives up on what the line reader read: {text:?}");
        };
        if let Some(i) = (0..quick.len().max(parsed.len())).find(|&i| quick.get(i) != parsed.get(i))
        {
            panic!(
                "{name}: event {i} differs: line reader {:?}, parser {:?}, after {:?}\n{text:?}",
                quick.get(i),
                parsed.get(i),
                &parsed[i.saturating_sub(3)..i.min(parsed.len())],
            );
        }
        true
    }

    #[test]
    fn the_line_reader_reads_every_sample_record_as_the_parser_does() {
        let mut unread = Vec::new();
        let mut read = 0;
        for (name, text, range) in records() {
            let yaml = &text[range];
            if lines_agree(&name, yaml) {
                read += 1;
            } else if !name.contains("tests/fixtures") {
                unread.push(name);
            }
        }
        assert_eq!(unread, Vec::<String>::new(), "the line reader gave up");
        assert!(read >= 40, "{read}");
    }

    #[test]
    fn the_line_reader_reads_yamls_corners_as_the_parser_does_or_gives_up() {
        let read: Vec<bool> = [
            "a: 1\nb:\n  c: x y # note\n  d: 'q''s'\n",
            "k:\n- a\n- b: 1\n  c: \"d\\\"q\"\n-\n- - n\n-   # none\nj:   # none\n",
            "e:\nf: [x, 'y', {g: h, i: [j]}]\nz: {}\ny: []\n",
            "t: |\n  one\n    two\n\n  three\n\nu: >-\n  four\n  five\n\n\n  six\nv: end\n",
            "t: |-\n  one\n# after\nu: x\n",
            "t: |\n  one\n\n\n",
            "- a\n-   b\n- c: 1\n  d:\n  - e\n  f: 2\n",
            "w:   \n  - q\n",
            "k:\n  text on its line\nj: 1\n",
            "k: Zoë's café: no, \"quoted\" # c\n",
            "k: a\n  b\n",
            "k: 'a\n  b'\n",
            "t: |\n  one",
            "t: |+\n  one\n",
            "t: >\n  one\n    two\n",
            "k: [a,\n  b]\n",
            "a : b\n",
            "\"k\": v\n",
            "k: v\n---\nj: 2\n",
            "k: \"\\u00e9\"\n",
            "k:\tv\n",
            &"- ".repeat(5000),
            &"[".repeat(5000),
            &format!("{}a{}", "[".repeat(20), "]".repeat(20)),
        ]
        .iter()
        .map(|t| lines_agree("corner", t))
        .collect();
        assert_eq!(
            read,
            [
                true, true, true, true, true, true, true, true, true, false, false, false, false,
                false, false, false, false, false, false, false, false, false, false, true
            ]
        );
    }

    /// The reader must never read a text differently from the parser. A
    /// damaged record is where a reader goes wrong: each record of the
    /// sample and fixtures is damaged many ways (characters YAML gives a
    /// meaning to put in or taken out, lines indented, dropped, repeated),
    /// and whatever the line reader reads must be what the parser reads.
    #[test]
    fn the_line_reader_reads_damaged_records_as_the_parser_does_or_gives_up() {
        let (rounds, mut next) = fuzz(60, 0x9e37_79b9_7f4a_7c15);
        const BITS: [&str; 24] = [
            " ", "  ", "\n", "- ", "-", ": ", ":", " #", "#", "'", "\"", "|", ">", "|-", "[", "]",
            "{", "}", ", ", "a", "7", "\\", "é", "~",
        ];
        let (mut tried, mut read) = (0, 0);
        for (name, text, range) in records() {
            let yaml = &text[range];
            for _ in 0..rounds {
                let mut lines: Vec<String> = yaml.split_inclusive('\n').map(String::from).collect();
                for _ in 0..1 + next(3) {
                    let l = next(lines.len());
                    if lines.is_empty() {
                        break;
                    }
                    match next(6) {
                        0 => lines[l].insert_str(0, [" ", "  "][next(2)]),
                        1 => {
                            let spaces = lines[l].len() - lines[l].trim_start_matches(' ').len();
                            lines[l].drain(..spaces.min(1 + next(2)));
                        }
                        2 => {
                            lines.remove(l);
                        }
                        3 => {
                            let copy = lines[l].clone();
                            lines.insert(l, copy);
                        }
                        _ => {
                            let line = &mut lines[l];
                            let mut at = next(line.len() + 1);
                            while !line.is_char_boundary(at) {
                                at -= 1;
                            }
                            if next(2) == 0 {
                                line.insert_str(at, BITS[next(BITS.len())]);
                            } else {
                                let mut to = (at + 1 + next(3)).min(line.len());
                                while !line.is_char_boundary(to) {
                                    to -= 1;
                                }
                                line.drain(at..to);
                            }
                        }
                    }
                }
                let damaged = lines.concat();
                tried += 1;
                if lines_agree(&name, &damaged) {
                    read += 1;
                }
            }
        }
        // Most damage leaves YAML the reader still reads: the test tests.
        eprintln!("the line reader read {read} of {tried} damaged records");
        assert!(read * 3 >= tried, "read {read} of {tried}");
    }

    /// Texts made at random of YAML's pieces reach corners no record
    /// does; the reader must read them as the parser does, or give up.
    #[test]
    fn the_line_reader_reads_random_yaml_as_the_parser_does_or_gives_up() {
        let (rounds, mut next) = fuzz(60, 0x2545_f491_4f6c_dd1d);
        let count = rounds * 300;
        const PIECES: [&str; 30] = [
            "\n",
            "\n",
            "\n",
            " ",
            "  ",
            "    ",
            "- ",
            "-",
            "key: ",
            "k:",
            "a",
            "text here",
            "7",
            "no",
            "~",
            ": ",
            " #c",
            "'",
            "''",
            "\"",
            "\\n",
            "|",
            "|-",
            ">",
            "[",
            "]",
            "{",
            "}",
            ", ",
            "é",
        ];
        // Lines like a record's: an indentation, perhaps a `- `, perhaps a
        // key, and a value.
        const INDENTS: [&str; 5] = ["", "  ", "    ", "      ", " "];
        const VALUES: [&str; 16] = [
            "",
            "text",
            "two words",
            "'quoted'",
            "\"dq\"",
            "[a, b]",
            "{k: v}",
            "[]",
            "|",
            "|-",
            ">",
            ">-",
            "# note",
            "12",
            "no",
            "10:30",
        ];
        let mut read = 0;
        for n in 0..count {
            let text: String = if n % 2 == 0 {
                (0..1 + next(24))
                    .map(|_| PIECES[next(PIECES.len())])
                    .collect()
            } else {
                // The indentation wanders by a step or two, as a record's does.
                let mut indent: usize = 0;
                (0..1 + next(10))
                    .map(|_| {
                        indent = match next(5) {
                            0 => indent.saturating_sub(2),
                            1 => indent + 2,
                            2 => INDENTS[next(INDENTS.len())].len(),
                            _ => indent,
                        };
                        let dash = ["", "- ", "-"][next(3)];
                        let key = ["", "k: ", "key:", "other: "][next(4)];
                        let value = VALUES[next(VALUES.len())];
                        format!("{}{dash}{key}{value}\n", " ".repeat(indent))
                    })
                    .collect()
            };
            if lines_agree("random", &text) {
                read += 1;
            }
        }
        eprintln!("the line reader read {read} of {count} random texts");
        assert!(read * 20 >= count, "read {read} of {count}");
    }

    /// How many rounds a fuzzing test runs (`CONTEXTPACK_YAML_FUZZ`, or
    /// `default`) and its random numbers below a bound, from
    /// `CONTEXTPACK_YAML_FUZZ_SEED` or `seed`: the same every run unless asked.
    fn fuzz(default: usize, seed: u64) -> (usize, impl FnMut(usize) -> usize) {
        let number = |name: &str| std::env::var(name).ok().and_then(|n| n.parse().ok());
        let rounds = number("CONTEXTPACK_YAML_FUZZ").map_or(default, |n| n as usize);
        let mut rng =
            crate::test_rng::Rng::new(number("CONTEXTPACK_YAML_FUZZ_SEED").unwrap_or(seed));
        (rounds, move |n: usize| rng.below(n))
    }
}
