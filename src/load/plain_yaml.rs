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
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Span};

/// Nodes in one file before giving the text to the full way, which
/// enforces the real budget.
const MAX_NODES: usize = 200_000;

/// The tree of `text`, or `None` when it uses more of YAML than records do
/// (or is not YAML): then the full parser must read it.
pub fn parse(text: &str, origin: Origin) -> Option<Yaml> {
    let mut b = Builder {
        text,
        origin,
        stack: Vec::new(),
        root: None,
        nodes: 0,
        documents: 0,
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.ok()?;
        b.event(event, span)?;
    }
    if !b.stack.is_empty() || b.documents != 1 {
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
    documents: usize,
}

impl Builder<'_, '_> {
    fn event(&mut self, event: Event, span: Span) -> Option<()> {
        let is_seq = matches!(event, Event::SequenceStart(..));
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return None;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() || value.len() > super::yaml::MAX_SCALAR_BYTES {
                    return None;
                }
                self.count()?;
                // A key of a mapping: only plain names, each once.
                if let Some(Open::Map(_, entries, key @ None)) = self.stack.last_mut() {
                    let (start, len) = bytes(&span)?;
                    let resolved = resolve(&value, style)?;
                    let is_text = matches!(resolved, Value::Str(_));
                    if !is_text || value == "<<" || entries.iter().any(|e| e.key == *value) {
                        return None;
                    }
                    *key = Some((value.into_owned(), self.origin.loc_bytes(start, len)));
                    return Some(());
                }
                let (start, len) = bytes(&span)?;
                let loc = self.origin.loc_bytes(start, len);
                let value = resolve(&value, style)?;
                let raw = match value {
                    Value::Bool(_) | Value::Int(_) => self
                        .text
                        .get(start..start + len)
                        .map(|s| s.trim().to_string()),
                    _ => None,
                };
                self.push(Yaml { value, loc, raw })?;
            }
            Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag) => {
                if anchor != 0 || tag.is_some() || self.stack.len() >= MAX_DEPTH {
                    return None;
                }
                self.count()?;
                if let Some(Open::Map(_, _, None)) = self.stack.last() {
                    // A collection as a key.
                    return None;
                }
                let (start, _) = bytes(&span)?;
                let node = Yaml {
                    value: Value::Null,
                    loc: super::yaml::first_line(
                        self.origin.loc_bytes(start, 0),
                        self.origin.source,
                    ),
                    raw: None,
                };
                let open = if is_seq {
                    Open::Seq(node, Vec::new())
                } else {
                    Open::Map(node, Vec::new(), None)
                };
                self.stack.push(open);
            }
            Event::SequenceEnd | Event::MappingEnd => {
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
            // Aliases, anchors' metadata and anything newer.
            _ => return None,
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
fn resolve(value: &str, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain {
        return Some(Value::Str(value.to_string()));
    }
    if matches!(value, "" | "~" | "null" | "Null" | "NULL") {
        return Some(Value::Null);
    }
    let lower = value.to_ascii_lowercase();
    match lower.as_str() {
        "true" | "yes" | "y" | "on" => return Some(Value::Bool(true)),
        "false" | "no" | "n" | "off" => return Some(Value::Bool(false)),
        _ => {}
    }
    // Only a whole `inf` or `nan` might be read as a number: `influencers`
    // and `Nancy` are text, and must not send the file the slow way.
    let numberish = |s: &str| {
        let s = s.trim_start_matches(['+', '-']);
        s.starts_with(|c: char| c.is_ascii_digit() || c == '.')
            || matches!(s, "inf" | "infinity" | "nan")
    };
    if !numberish(&lower) && !value.starts_with(char::is_whitespace) {
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
        ] {
            let source = SourceFile::new("t.yaml", text);
            assert!(parse(text, origin(&source)).is_none(), "{text}");
        }
    }

    /// Every YAML file and Markdown file with front matter of the sample
    /// and the fixtures: name, text, and where the YAML starts.
    fn records() -> Vec<(String, String, usize)> {
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
                    out.push((name, text.clone(), split.yaml_base));
                }
            } else {
                out.push((name, text, 0));
            }
        }
        out
    }

    #[test]
    fn every_record_of_the_sample_and_fixtures_reads_the_same_either_way() {
        let (mut fast, mut all) = (0, 0);
        let mut slow_in_sample = Vec::new();
        for (name, text, base) in records() {
            let source = SourceFile::new(name.clone(), text.as_str());
            let end = if base == 0 {
                text.len()
            } else {
                crate::load::markdown::split_front_matter(&source, FileId(0), "")
                    .map(|s| s.yaml_base + s.yaml.len())
                    .unwrap_or(base)
            };
            let yaml = &text[base..end];
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
}
