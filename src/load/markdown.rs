//! Markdown files: YAML front matter, then a body split at its headings.

use super::yaml::schema;
use crate::diagnostic::Diagnostic;
use crate::model::{ImageRef, MarkdownBody, Section};
use crate::source::{FileId, SourceFile, Sp};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// Longest Markdown body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A Markdown file cut into its front matter and its body.
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Byte offset of the YAML in the file.
    pub yaml_base: usize,
    /// Lines of the file before the YAML.
    pub yaml_line_offset: u32,
    /// Byte offset where the body starts.
    pub body_start: usize,
}

/// Finds the front matter. `example` is the help shown when there is none.
pub fn split_front_matter<'a>(
    source: &'a SourceFile,
    file: FileId,
    example: &str,
) -> Result<Split<'a>, Box<Diagnostic>> {
    let text = &*source.text;
    let bom = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let mut lines = LineIter { text, pos: bom };
    let Some((first_start, first, _)) = lines.next() else {
        return Err(no_front_matter(source, file, example));
    };
    if first.trim_end() != "---" {
        return Err(no_front_matter(source, file, example));
    }
    let yaml_base = lines.pos;
    for (start, line, end) in lines.by_ref() {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            return Ok(Split {
                yaml: text.get(yaml_base..start).unwrap_or(""),
                yaml_base,
                yaml_line_offset: 1,
                body_start: end,
            });
        }
    }
    Err(Box::new(
        schema(
            source.loc_at(file, first_start, 3),
            "front matter is not closed: add a line `---` after it",
        )
        .with_help(
            "the front matter runs from the first line `---` to the next line `---`; the Markdown follows",
        ),
    ))
}

fn no_front_matter(source: &SourceFile, file: FileId, example: &str) -> Box<Diagnostic> {
    Box::new(
        schema(
            crate::source::Loc::file_start(file),
            "no front matter: the file must start with a line `---`",
        )
        .with_help(format!(
            "start {} with its YAML between two `---` lines, then the Markdown:\n{example}",
            source.path
        )),
    )
}

/// Lines with their start and end (past the line ending) byte offsets.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (usize, &'a str, usize);
    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.text.get(self.pos..)?;
        if rest.is_empty() {
            return None;
        }
        let start = self.pos;
        let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        self.pos += len;
        let line = rest.get(..len).unwrap_or("").trim_end_matches(['\n', '\r']);
        Some((start, line, self.pos))
    }
}

/// The body from `start` to the end of the file, split at its level-1 and
/// level-2 headings. A body over [`MAX_BODY_BYTES`] is reported and left
/// empty (`Err`), so nothing downstream works through megabytes of it.
pub fn body(
    source: &SourceFile,
    file: FileId,
    start: usize,
    diags: &mut Vec<Diagnostic>,
) -> Result<MarkdownBody, MarkdownBody> {
    let start = start.min(source.text.len());
    let text = source.text.get(start..).unwrap_or("");
    let loc = source.loc_at(file, start, 0);
    if text.len() > MAX_BODY_BYTES {
        diags.push(
            schema(
                loc,
                format!(
                    "the Markdown body is too long: {:.1} MiB, the limit is 1 MiB",
                    text.len() as f64 / (1024.0 * 1024.0),
                ),
            )
            .with_help("split the record or move attachments elsewhere"),
        );
        return Err(MarkdownBody {
            text: Default::default(),
            loc: Some(loc),
            sections: Vec::new(),
            images: Vec::new(),
        });
    }
    let (sections, images) = sections(source, file, start, text);
    for s in &sections {
        let n = s.heading.value.chars().count();
        if n > MAX_HEADING_CHARS {
            diags.push(
                schema(
                    s.heading.loc,
                    format!("this heading is {n} characters long; the limit is {MAX_HEADING_CHARS}"),
                )
                .with_help(
                    "a heading is a line that names a section: put the text under it as a paragraph",
                ),
            );
        }
    }
    Ok(MarkdownBody {
        text: source.slice(start..source.text.len()),
        loc: Some(loc),
        sections,
        images,
    })
}

/// Longest Markdown heading: headings become the PDF's bookmarks, and a PDF
/// string holds at most 32,767 bytes.
pub const MAX_HEADING_CHARS: usize = 1000;

/// A heading being read: level, where it starts and ends, its text so far.
struct Open {
    level: u8,
    range: std::ops::Range<usize>,
    text: String,
}

/// The body's sections, and the images it shows (for the loader to find).
fn sections(
    source: &SourceFile,
    file: FileId,
    base: usize,
    text: &str,
) -> (Vec<Section>, Vec<ImageRef>) {
    // (level, heading, heading range) of every level-1/2 heading, in order.
    let mut heads: Vec<(u8, Sp<String>, std::ops::Range<usize>)> = Vec::new();
    let mut images = Vec::new();
    let mut open: Option<Open> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                let raw = text.get(range.clone()).unwrap_or("");
                let first_line = raw.find('\n').unwrap_or(raw.len());
                images.push(ImageRef {
                    written: Sp::new(
                        dest_url.to_string(),
                        source.loc_at(file, base + range.start, first_line),
                    ),
                    path: None,
                });
            }
            Event::Start(Tag::Heading { level, .. }) if level <= HeadingLevel::H2 => {
                let level = if level == HeadingLevel::H1 { 1 } else { 2 };
                open = Some(Open {
                    level,
                    range,
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(o) = open.take() {
                    let raw = text.get(o.range.clone()).unwrap_or("");
                    let first_line = raw.find('\n').unwrap_or(raw.len());
                    let loc = source.loc_at(file, base + o.range.start, first_line);
                    heads.push((o.level, Sp::new(o.text.trim().to_string(), loc), o.range));
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                if let Some(o) = open.as_mut() {
                    o.text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(o) = open.as_mut() {
                    o.text.push(' ');
                }
            }
            _ => {}
        }
    }
    let ends: Vec<usize> = heads
        .iter()
        .skip(1)
        .map(|(_, _, r)| r.start)
        .chain(std::iter::once(text.len()))
        .collect();
    let sections = heads
        .into_iter()
        .zip(ends)
        .map(|((level, heading, range), end)| Section {
            level,
            heading,
            content: source.slice(base + range.end.min(end)..base + end),
        })
        .collect();
    (sections, images)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> SourceFile {
        SourceFile::new("x.md", text)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let s = src(
            "---\ndate: 2026-08-20\n---\n# Title\n\n## Themes\nSome.\n\n## Risks\n\n### Sub\nmore\n",
        );
        let split = split_front_matter(&s, FileId(0), "").unwrap();
        assert_eq!(split.yaml, "date: 2026-08-20\n");
        assert_eq!(split.yaml_base, 4);
        let mut diags = Vec::new();
        let b = body(&s, FileId(0), split.body_start, &mut diags).unwrap();
        assert_eq!(b.loc.unwrap().line, 4);
        let names: Vec<_> = b
            .sections
            .iter()
            .map(|s| s.heading.value.as_str())
            .collect();
        assert_eq!(names, ["Title", "Themes", "Risks"]);
        assert_eq!(b.sections[1].content.trim(), "Some.");
        assert_eq!(b.sections[1].heading.loc.line, 6);
        assert_eq!(b.sections[2].content.trim(), "### Sub\nmore");
        assert!(!b.sections[0].has_text());
    }

    #[test]
    fn setext_and_inline_markup_headings() {
        let s = src("Voice of *young* people\n---\ntext\n\n## `Code` here ##\n");
        let mut diags = Vec::new();
        let b = body(&s, FileId(0), 0, &mut diags).unwrap();
        assert_eq!(b.sections[0].heading.value, "Voice of young people");
        assert_eq!(b.sections[0].level, 2);
        assert_eq!(b.sections[1].heading.value, "Code here");
    }

    #[test]
    fn no_front_matter_is_reported_at_the_start() {
        let s = src("# Minutes\n");
        let e = split_front_matter(&s, FileId(0), "---\nkind: initial\n---")
            .err()
            .unwrap();
        assert_eq!((e.loc.line, e.loc.column), (1, 1));
        assert!(e.message.contains("no front matter"));
        assert!(e.help.unwrap().contains("kind: initial"));
    }

    #[test]
    fn unterminated_front_matter_points_at_the_opening_line() {
        let s = src("---\nkind: initial\n\n# Minutes\n");
        let e = split_front_matter(&s, FileId(0), "").err().unwrap();
        assert_eq!((e.loc.line, e.loc.column), (1, 1));
        assert!(e.message.contains("not closed"));
    }

    #[test]
    fn crlf_and_dots() {
        let s = src("---\r\nkind: initial\r\n...\r\nbody\r\n");
        let split = split_front_matter(&s, FileId(0), "").unwrap();
        assert_eq!(split.yaml, "kind: initial\r\n");
        assert_eq!(&s.text[split.body_start..], "body\r\n");
    }
}
