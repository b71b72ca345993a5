//! Markdown written by practitioners (minutes, assessments) converted for the
//! two kinds of output: HTML that cannot carry script, and a JSON tree that
//! typst renders as data (`templates/markdown.typ`), never as markup.
//!
//! Both outputs come from one tree, built from pulldown-cmark's events, so
//! the HTML page and the PDF show the same content under the same policy:
//!
//! - raw HTML in the Markdown is shown as text, never interpreted;
//! - links keep their target only for `http:`, `https:` and `mailto:` (the
//!   pages are standalone files, so relative links would point nowhere);
//!   other links keep their text and lose their target;
//! - an image is shown only when the caller names its source among the
//!   context's files (the loader found and checked them), as the copy's
//!   address in HTML or its virtual path in typst; any other image is its
//!   alt text, and nothing is ever fetched;
//! - nesting beyond a budget is flattened (the content stays, the deeper
//!   quotes, lists or emphasis go), so hostile input cannot exhaust the stack
//!   of the renderers nor typst's nesting limits.
//!
//! The HTML is then cleaned by ammonia, allowing only the tags this module
//! writes, as a second layer.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// How deep block containers may nest before their content is flattened
/// into the enclosing one: a list or a list item costs 1, a quote 3 (typst
/// spends about three times as much of its nesting limit on a quote). 16
/// allows 8 levels of nested lists or 5 of quotes, far beyond real minutes,
/// and leaves about a third of typst's limits (64 nested show rules) to the
/// document that embeds the Markdown.
const BLOCK_BUDGET: u32 = 16;

/// How deep emphasis, strike-through and links may nest.
const INLINE_BUDGET: u32 = 6;

/// Longer link targets lose their link (typst refuses URLs over 8000 bytes).
const MAX_URL_LEN: usize = 8000;

/// The images a body may show: each source as written in the Markdown,
/// with where the output finds the file (a relative address for HTML, a
/// virtual path for typst).
pub type Images<'a> = &'a [(String, String)];

/// Options for [`to_html_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HtmlOptions<'a> {
    /// Added to every heading level (the result is capped at 6). The default
    /// is 1: a page has its own `<h1>`, so a minutes `#` becomes `<h2>`.
    pub heading_offset: u8,
    pub images: Images<'a>,
}

impl Default for HtmlOptions<'_> {
    fn default() -> Self {
        HtmlOptions {
            heading_offset: 1,
            images: &[],
        }
    }
}

/// Converts Markdown to sanitised HTML with the default options (headings
/// shifted down by one level).
pub fn to_html(md: &str) -> String {
    to_html_with(md, HtmlOptions::default())
}

/// Converts Markdown to sanitised HTML.
pub fn to_html_with(md: &str, options: HtmlOptions) -> String {
    let mut html = String::with_capacity(md.len() + md.len() / 2);
    write_html(
        &mut html,
        &parse(md, options.images),
        options.heading_offset,
    );
    SANITISER.clean(&html).to_string()
}

/// Converts Markdown to a JSON tree for `templates/markdown.typ`: an array of
/// block nodes, each an object with a `"type"`. Every piece of text is a JSON
/// string; heading levels are those of the source (the typst side shifts them).
///
/// Block nodes: `heading` (`level`, `children`), `paragraph` (`children`),
/// `list` (`ordered`, `start` when ordered, `tight`, `items`: arrays of
/// nodes), `table` (`header`: cells, `rows`: arrays of cells; a cell is an
/// array of inline nodes), `code` (`block: true`, `text`), `quote`
/// (`children`), `rule`.
///
/// Inline nodes: `text` (`text`), `code` (`block: false`, `text`),
/// `linebreak`, `strong`, `emph`, `strike` (`children`), `link` (`url`,
/// `children`).
/// The body without a first-line `# Title`: the document prints its own
/// title, and minutes headed `# Minutes` would say "Minutes" again under it.
pub fn without_title(md: &str) -> &str {
    let start = md.len() - md.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    let rest = &md[md[..start].rfind('\n').map_or(0, |i| i + 1)..];
    let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
    let indent = line.len() - line.trim_start_matches(' ').len();
    let heading = line.trim_start_matches(' ');
    let is_title = indent <= 3
        && heading.starts_with('#')
        && (heading.len() == 1 || heading[1..].starts_with([' ', '\t', '\r']));
    if is_title { after } else { md }
}

pub fn to_typst_data(md: &str) -> Value {
    to_typst_data_with(md, &[])
}

/// [`to_typst_data`] showing `images` (by their virtual paths): `image`
/// nodes (`path`, `alt`).
pub fn to_typst_data_with(md: &str, images: Images) -> Value {
    Value::Array(nodes_json(&parse(md, images)))
}

// ---------------------------------------------------------------------------
// The tree shared by both outputs.

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Heading {
        level: u8,
        children: Vec<Node>,
    },
    /// `tight` paragraphs are the bare text of tight list items: no `<p>`.
    Paragraph {
        tight: bool,
        children: Vec<Node>,
    },
    List {
        start: Option<u64>,
        tight: bool,
        items: Vec<Vec<Node>>,
    },
    Table {
        header: Vec<Vec<Node>>,
        rows: Vec<Vec<Vec<Node>>>,
    },
    CodeBlock(String),
    Quote(Vec<Node>),
    Rule,
    Text(String),
    Code(String),
    SoftBreak,
    LineBreak,
    Strong(Vec<Node>),
    Emph(Vec<Node>),
    Strike(Vec<Node>),
    Link {
        url: String,
        children: Vec<Node>,
    },
    /// An image the caller named: where the output finds it, and its alt text.
    Image {
        src: String,
        alt: String,
    },
}

impl Node {
    fn is_inline(&self) -> bool {
        matches!(
            self,
            Node::Text(_)
                | Node::Code(_)
                | Node::SoftBreak
                | Node::LineBreak
                | Node::Strong(_)
                | Node::Emph(_)
                | Node::Strike(_)
                | Node::Link { .. }
                | Node::Image { .. }
        )
    }
}

/// An element being built, with the data its children fill in.
enum Kind {
    Root,
    Quote,
    List {
        start: Option<u64>,
        items: Vec<Vec<Node>>,
    },
    Item,
    Heading(u8),
    Paragraph,
    CodeBlock(String),
    HtmlBlock(String),
    Table {
        header: Vec<Vec<Node>>,
        rows: Vec<Vec<Vec<Node>>>,
    },
    TableRow {
        head: bool,
        cells: Vec<Vec<Node>>,
    },
    TableCell,
    Strong,
    Emph,
    Strike,
    Link(String),
    Image(String),
}

struct Frame {
    kind: Kind,
    children: Vec<Node>,
    /// Tags opened on top of this frame that were skipped (images, unsafe
    /// links, nesting too deep): their content flows into this frame, and
    /// their end events only count this down.
    skipped: usize,
}

impl Frame {
    fn new(kind: Kind) -> Self {
        Frame {
            kind,
            children: Vec::new(),
            skipped: 0,
        }
    }

    /// Adds a node, joining adjacent text so the JSON stays compact.
    fn push(&mut self, node: Node) {
        if let (Node::Text(new), Some(Node::Text(last))) = (&node, self.children.last_mut()) {
            last.push_str(new);
            return;
        }
        self.children.push(node);
    }
}

/// What a finished element gives its parent.
enum Finished {
    Node(Node),
    Item(Vec<Node>),
    Cell(Vec<Node>),
    Row { head: bool, cells: Vec<Vec<Node>> },
}

fn parse(md: &str, images: Images) -> Vec<Node> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut builder = Builder {
        stack: vec![Frame::new(Kind::Root)],
        blocks_used: 0,
        inlines_used: 0,
        images,
    };
    for event in Parser::new_ext(md, options) {
        builder.event(event);
    }
    builder.finish()
}

struct Builder<'i> {
    /// Never empty: the root frame stays at the bottom.
    stack: Vec<Frame>,
    images: Images<'i>,
    /// The nesting spent by the open block containers (see [`BLOCK_BUDGET`]).
    blocks_used: u32,
    /// The number of open inline containers.
    inlines_used: u32,
}

impl Builder<'_> {
    fn top(&mut self) -> &mut Frame {
        if self.stack.is_empty() {
            self.stack.push(Frame::new(Kind::Root));
        }
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(_) => self.end(),
            Event::Text(text) => self.text(&text),
            Event::Html(html) => self.text(&html),
            // Raw HTML is shown as what it is: text.
            Event::InlineHtml(html) => self.top().push(Node::Text(html.into_string())),
            Event::Code(code) => self.top().push(Node::Code(code.into_string())),
            // Math, footnotes and task lists are not enabled; should they
            // appear, they are shown as their source text.
            Event::InlineMath(math) => self.top().push(Node::Text(format!("${math}$"))),
            Event::DisplayMath(math) => self.top().push(Node::Text(format!("$${math}$$"))),
            Event::FootnoteReference(label) => self.top().push(Node::Text(format!("[^{label}]"))),
            Event::TaskListMarker(done) => {
                let mark = if done { "[x] " } else { "[ ] " };
                self.top().push(Node::Text(mark.to_string()));
            }
            Event::SoftBreak => self.top().push(Node::SoftBreak),
            Event::HardBreak => self.top().push(Node::LineBreak),
            Event::Rule => self.top().push(Node::Rule),
        }
    }

    fn text(&mut self, text: &str) {
        let top = self.top();
        match &mut top.kind {
            Kind::CodeBlock(source) | Kind::HtmlBlock(source) => source.push_str(text),
            _ => top.push(Node::Text(text.to_string())),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match self.kind_for(tag) {
            Some(kind) => {
                let (blocks, inlines) = nesting_cost(&kind);
                self.blocks_used += blocks;
                self.inlines_used += inlines;
                self.stack.push(Frame::new(kind));
            }
            None => self.top().skipped += 1,
        }
    }

    /// The element to build for a tag, or `None` to skip the tag and keep
    /// its content in the enclosing element.
    fn kind_for(&mut self, tag: Tag<'_>) -> Option<Kind> {
        let quote_room = self.blocks_used + 3 <= BLOCK_BUDGET;
        let list_room = self.blocks_used + 2 <= BLOCK_BUDGET;
        let inline_room = self.inlines_used < INLINE_BUDGET;
        let images = self.images;
        let top = self.top();
        let in_real = |want: fn(&Kind) -> bool| top.skipped == 0 && want(&top.kind);
        match tag {
            Tag::Paragraph => Some(Kind::Paragraph),
            Tag::Heading { level, .. } => Some(Kind::Heading(level as u8)),
            Tag::CodeBlock(_) => Some(Kind::CodeBlock(String::new())),
            Tag::HtmlBlock => Some(Kind::HtmlBlock(String::new())),
            Tag::Table(_) => Some(Kind::Table {
                header: Vec::new(),
                rows: Vec::new(),
            }),
            Tag::BlockQuote(_) if quote_room => Some(Kind::Quote),
            // Room for the list's items too.
            Tag::List(start) if list_room => Some(Kind::List {
                start,
                items: Vec::new(),
            }),
            Tag::Item if in_real(|k| matches!(k, Kind::List { .. })) => Some(Kind::Item),
            Tag::TableHead if in_real(|k| matches!(k, Kind::Table { .. })) => {
                Some(Kind::TableRow {
                    head: true,
                    cells: Vec::new(),
                })
            }
            Tag::TableRow if in_real(|k| matches!(k, Kind::Table { .. })) => Some(Kind::TableRow {
                head: false,
                cells: Vec::new(),
            }),
            Tag::TableCell if in_real(|k| matches!(k, Kind::TableRow { .. })) => {
                Some(Kind::TableCell)
            }
            Tag::Emphasis if inline_room => Some(Kind::Emph),
            Tag::Strong if inline_room => Some(Kind::Strong),
            Tag::Strikethrough if inline_room => Some(Kind::Strike),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } if inline_room => safe_url(link_type, &dest_url).map(Kind::Link),
            Tag::Image { dest_url, .. } if inline_room => images
                .iter()
                .find(|(written, _)| *written == *dest_url)
                .map(|(_, src)| Kind::Image(src.clone())),
            // Images not named (their alt text stays), unsupported tags,
            // and containers nested too deep.
            _ => None,
        }
    }

    fn end(&mut self) {
        let top = self.top();
        if top.skipped > 0 {
            top.skipped -= 1;
            return;
        }
        if self.stack.len() > 1 {
            self.close();
        }
    }

    /// Pops the top element and hands it to its parent.
    fn close(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (blocks, inlines) = nesting_cost(&frame.kind);
        self.blocks_used = self.blocks_used.saturating_sub(blocks);
        self.inlines_used = self.inlines_used.saturating_sub(inlines);
        let finished = finish(frame);
        let parent = self.top();
        match (finished, &mut parent.kind) {
            (Finished::Item(item), Kind::List { items, .. }) => items.push(item),
            (Finished::Cell(cell), Kind::TableRow { cells, .. }) => cells.push(cell),
            (Finished::Row { head: true, cells }, Kind::Table { header, .. }) => *header = cells,
            (Finished::Row { head: false, cells }, Kind::Table { rows, .. }) => rows.push(cells),
            (Finished::Node(node), _) => parent.push(node),
            // Parts out of place cannot come from pulldown-cmark's balanced
            // events; keep their content anyway.
            (Finished::Item(nodes) | Finished::Cell(nodes), _) => {
                nodes.into_iter().for_each(|n| parent.push(n));
            }
            (Finished::Row { cells, .. }, _) => {
                cells.into_iter().flatten().for_each(|n| parent.push(n));
            }
        }
    }

    fn finish(mut self) -> Vec<Node> {
        while self.stack.len() > 1 {
            self.close();
        }
        match self.stack.pop() {
            Some(root) => group_blocks(root.children),
            None => Vec::new(),
        }
    }
}

/// What an open element spends of the block and inline budgets.
fn nesting_cost(kind: &Kind) -> (u32, u32) {
    match kind {
        Kind::Quote => (3, 0),
        Kind::List { .. } | Kind::Item => (1, 0),
        Kind::Strong | Kind::Emph | Kind::Strike | Kind::Link(_) | Kind::Image(_) => (0, 1),
        _ => (0, 0),
    }
}

fn finish(frame: Frame) -> Finished {
    let children = frame.children;
    let node = match frame.kind {
        Kind::Item => return Finished::Item(group_blocks(children)),
        Kind::TableCell => return Finished::Cell(children),
        Kind::TableRow { head, cells } => return Finished::Row { head, cells },
        // The root is never closed (`Builder::finish` takes it apart).
        Kind::Root | Kind::Quote => Node::Quote(group_blocks(children)),
        Kind::List { start, mut items } => {
            if !children.is_empty() {
                items.push(group_blocks(children));
            }
            let tight = !items
                .iter()
                .flatten()
                .any(|n| matches!(n, Node::Paragraph { tight: false, .. }));
            Node::List {
                start,
                tight,
                items,
            }
        }
        Kind::Heading(level) => Node::Heading { level, children },
        Kind::Paragraph => Node::Paragraph {
            tight: false,
            children,
        },
        Kind::CodeBlock(text) => Node::CodeBlock(text),
        Kind::HtmlBlock(source) => html_block(&source),
        Kind::Table { header, rows } => table(header, rows),
        Kind::Strong => Node::Strong(children),
        Kind::Emph => Node::Emph(children),
        Kind::Strike => Node::Strike(children),
        Kind::Link(url) => Node::Link { url, children },
        Kind::Image(src) => Node::Image {
            src,
            alt: plain_text(&children),
        },
    };
    Finished::Node(node)
}

/// The text of inline nodes, without their markup: an image's alt text.
fn plain_text(nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        match node {
            Node::Text(t) | Node::Code(t) => out.push_str(t),
            Node::SoftBreak | Node::LineBreak => out.push(' '),
            Node::Strong(c) | Node::Emph(c) | Node::Strike(c) | Node::Link { children: c, .. } => {
                out.push_str(&plain_text(c));
            }
            Node::Image { alt, .. } => out.push_str(alt),
            _ => {}
        }
    }
    out
}

/// A raw HTML block becomes a paragraph of its source text, line by line.
fn html_block(source: &str) -> Node {
    let mut children = Vec::new();
    for (i, line) in source.trim_end().lines().enumerate() {
        if i > 0 {
            children.push(Node::LineBreak);
        }
        children.push(Node::Text(line.to_string()));
    }
    Node::Paragraph {
        tight: false,
        children,
    }
}

/// Gives every row as many cells as the header, so both renderers can lay
/// the table out as a grid.
fn table(header: Vec<Vec<Node>>, rows: Vec<Vec<Vec<Node>>>) -> Node {
    let width = header.len();
    let rows = rows
        .into_iter()
        .map(|mut row| {
            row.resize_with(width, Vec::new);
            row
        })
        .collect();
    Node::Table { header, rows }
}

/// Wraps each run of inline nodes among blocks (the text of a tight list
/// item) in a tight paragraph, so containers hold only blocks.
fn group_blocks(children: Vec<Node>) -> Vec<Node> {
    let mut blocks = Vec::new();
    let mut run = Vec::new();
    for node in children {
        if node.is_inline() {
            run.push(node);
        } else {
            flush_run(&mut blocks, &mut run);
            blocks.push(node);
        }
    }
    flush_run(&mut blocks, &mut run);
    blocks
}

fn flush_run(blocks: &mut Vec<Node>, run: &mut Vec<Node>) {
    if !run.is_empty() {
        blocks.push(Node::Paragraph {
            tight: true,
            children: std::mem::take(run),
        });
    }
}

/// The target of a link if it may be kept: only web and mail addresses.
/// `https:example.org` (no `//`) is not kept: browsers and PDF readers
/// disagree about it.
fn safe_url(link_type: LinkType, dest: &str) -> Option<String> {
    if dest.len() > MAX_URL_LEN - "mailto:".len() || dest.chars().any(char::is_control) {
        return None;
    }
    // pulldown-cmark gives e-mail autolinks (`<a@b.org>`) without the scheme.
    if link_type == LinkType::Email {
        return Some(format!("mailto:{dest}"));
    }
    // The same test as `_link` in templates/markdown.typ.
    let allowed = ["https://", "http://", "mailto:"].iter().any(|prefix| {
        dest.get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
            && dest.len() > prefix.len()
    });
    allowed.then(|| dest.to_string())
}

// ---------------------------------------------------------------------------
// HTML

/// The tags `write_html` emits: the only ones the sanitiser lets through.
const ALLOWED_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "em",
    "strong",
    "del",
    "a",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
];

/// The second layer: whatever `write_html` produced, only these tags and
/// attributes survive.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let attributes = HashMap::from([
        ("a", HashSet::from(["href"])),
        ("ol", HashSet::from(["start"])),
        ("img", HashSet::from(["src", "alt"])),
    ]);
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(ALLOWED_TAGS.iter().copied().collect())
        .clean_content_tags(HashSet::from(["script", "style"]))
        .tag_attributes(attributes)
        .generic_attributes(HashSet::new())
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        // The only relative addresses written are images' copies beside
        // the page; any other is dropped.
        .url_relative(ammonia::UrlRelative::Custom(Box::new(keep_image_copy)))
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    builder
});

fn keep_image_copy(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    is_image_copy(url).then_some(std::borrow::Cow::Borrowed(url))
}

/// `images/<name>` or `../images/<name>`, the name made of letters,
/// digits, `-`, `_` and one `.`: where `build` copies a context's images.
pub fn is_image_copy(url: &str) -> bool {
    let name = url
        .strip_prefix("../images/")
        .or_else(|| url.strip_prefix("images/"));
    name.is_some_and(|n| {
        !n.is_empty()
            && n.matches('.').count() == 1
            && !n.starts_with('.')
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    })
}

fn write_html(out: &mut String, nodes: &[Node], offset: u8) {
    for node in nodes {
        write_html_node(out, node, offset);
    }
}

fn write_html_node(out: &mut String, node: &Node, offset: u8) {
    match node {
        Node::Heading { level, children } => {
            let level = level.saturating_add(offset).clamp(1, 6);
            out.push_str(&format!("<h{level}>"));
            write_html(out, children, offset);
            out.push_str(&format!("</h{level}>\n"));
        }
        Node::Paragraph {
            tight: true,
            children,
        } => write_html(out, children, offset),
        Node::Paragraph { children, .. } => wrap(out, "p", children, offset),
        Node::List { start, items, .. } => write_list(out, *start, items, offset),
        Node::Table { header, rows } => write_table(out, header, rows, offset),
        Node::CodeBlock(text) => {
            out.push_str("<pre><code>");
            escape_into(out, text);
            out.push_str("</code></pre>\n");
        }
        Node::Quote(children) => {
            out.push_str("<blockquote>\n");
            write_html(out, children, offset);
            out.push_str("</blockquote>\n");
        }
        Node::Rule => out.push_str("<hr>\n"),
        Node::Text(text) => escape_into(out, text),
        Node::Code(text) => {
            out.push_str("<code>");
            escape_into(out, text);
            out.push_str("</code>");
        }
        Node::SoftBreak => out.push('\n'),
        Node::LineBreak => out.push_str("<br>\n"),
        Node::Strong(children) => wrap(out, "strong", children, offset),
        Node::Emph(children) => wrap(out, "em", children, offset),
        Node::Strike(children) => wrap(out, "del", children, offset),
        Node::Link { url, children } => {
            out.push_str("<a href=\"");
            escape_into(out, url);
            out.push_str("\">");
            write_html(out, children, offset);
            out.push_str("</a>");
        }
        Node::Image { src, alt } => {
            out.push_str("<img src=\"");
            escape_into(out, src);
            out.push_str("\" alt=\"");
            escape_into(out, alt);
            out.push_str("\">");
        }
    }
}

fn wrap(out: &mut String, tag: &str, children: &[Node], offset: u8) {
    out.push_str(&format!("<{tag}>"));
    write_html(out, children, offset);
    out.push_str(&format!("</{tag}>"));
    if tag == "p" {
        out.push('\n');
    }
}

fn write_list(out: &mut String, start: Option<u64>, items: &[Vec<Node>], offset: u8) {
    let tag = match start {
        None => "ul",
        Some(1) => {
            out.push_str("<ol>\n");
            "ol"
        }
        Some(n) => {
            out.push_str(&format!("<ol start=\"{n}\">\n"));
            "ol"
        }
    };
    if tag == "ul" {
        out.push_str("<ul>\n");
    }
    for item in items {
        out.push_str("<li>");
        write_html(out, item, offset);
        out.push_str("</li>\n");
    }
    out.push_str(&format!("</{tag}>\n"));
}

fn write_table(out: &mut String, header: &[Vec<Node>], rows: &[Vec<Vec<Node>>], offset: u8) {
    out.push_str("<table>\n<thead>\n");
    write_row(out, "th", header, offset);
    out.push_str("</thead>\n<tbody>\n");
    for row in rows {
        write_row(out, "td", row, offset);
    }
    out.push_str("</tbody>\n</table>\n");
}

fn write_row(out: &mut String, cell_tag: &str, cells: &[Vec<Node>], offset: u8) {
    out.push_str("<tr>");
    for cell in cells {
        wrap(out, cell_tag, cell, offset);
    }
    out.push_str("</tr>\n");
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

// ---------------------------------------------------------------------------
// JSON for typst

fn nodes_json(nodes: &[Node]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(nodes.len());
    for node in nodes {
        let value = node_json(node);
        // A soft break is a space: join it with the text around it.
        if let (Some(text), Some(last)) = (text_of(&value), out.last_mut())
            && let Some(Value::String(previous)) = text_slot(last)
        {
            previous.push_str(text);
            continue;
        }
        out.push(value);
    }
    out
}

fn text_of(value: &Value) -> Option<&str> {
    match value.get("type") {
        Some(Value::String(t)) if t == "text" => value.get("text").and_then(Value::as_str),
        _ => None,
    }
}

fn text_slot(value: &mut Value) -> Option<&mut Value> {
    if text_of(value).is_some() {
        value.get_mut("text")
    } else {
        None
    }
}

fn node_json(node: &Node) -> Value {
    match node {
        Node::Heading { level, children } => object(
            "heading",
            [
                ("level", Value::from(*level)),
                ("children", nodes_value(children)),
            ],
        ),
        Node::Paragraph { children, .. } => {
            object("paragraph", [("children", nodes_value(children))])
        }
        Node::List {
            start,
            tight,
            items,
        } => {
            let items = items.iter().map(|item| nodes_value(item)).collect();
            let mut fields = vec![
                ("ordered", Value::Bool(start.is_some())),
                ("tight", Value::Bool(*tight)),
                ("items", Value::Array(items)),
            ];
            if let Some(start) = start {
                fields.push(("start", Value::from(*start)));
            }
            object("list", fields)
        }
        Node::Table { header, rows } => {
            let row_value =
                |row: &Vec<Vec<Node>>| Value::Array(row.iter().map(|c| nodes_value(c)).collect());
            object(
                "table",
                [
                    ("header", row_value(header)),
                    ("rows", Value::Array(rows.iter().map(row_value).collect())),
                ],
            )
        }
        Node::CodeBlock(text) => code(text, true),
        Node::Quote(children) => object("quote", [("children", nodes_value(children))]),
        Node::Rule => object("rule", []),
        Node::Text(text) => text_node(text),
        Node::Code(text) => code(text, false),
        Node::SoftBreak => text_node(" "),
        Node::LineBreak => object("linebreak", []),
        Node::Strong(children) => object("strong", [("children", nodes_value(children))]),
        Node::Emph(children) => object("emph", [("children", nodes_value(children))]),
        Node::Strike(children) => object("strike", [("children", nodes_value(children))]),
        Node::Link { url, children } => object(
            "link",
            [
                ("url", Value::String(url.clone())),
                ("children", nodes_value(children)),
            ],
        ),
        Node::Image { src, alt } => object(
            "image",
            [
                ("path", Value::String(src.clone())),
                ("alt", Value::String(alt.clone())),
            ],
        ),
    }
}

fn nodes_value(nodes: &[Node]) -> Value {
    Value::Array(nodes_json(nodes))
}

fn text_node(text: &str) -> Value {
    object("text", [("text", Value::String(text.to_string()))])
}

fn code(text: &str, block: bool) -> Value {
    object(
        "code",
        [
            ("block", Value::Bool(block)),
            ("text", Value::String(text.to_string())),
        ],
    )
}

fn object<'a>(kind: &str, fields: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
    let mut map = Map::new();
    map.insert("type".to_string(), Value::String(kind.to_string()));
    for (key, value) in fields {
        map.insert(key.to_string(), value);
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_first_line_title_is_left_out_and_nothing_else() {
        use super::without_title;
        assert_eq!(without_title("# Minutes\n\nText"), "\nText");
        assert_eq!(without_title("\n\n  # Minutes: initial\nText"), "Text");
        assert_eq!(
            without_title("## Introductions\nText"),
            "## Introductions\nText"
        );
        assert_eq!(without_title("#hashtag\nText"), "#hashtag\nText");
        assert_eq!(without_title("Text\n# Later"), "Text\n# Later");
        assert_eq!(without_title("    # code"), "    # code");
        assert_eq!(without_title("# Only"), "");
        assert_eq!(without_title(""), "");
    }

    use super::*;
    use serde_json::json;

    const HOSTILE: &[&str] = &[
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "#read(\"/etc/passwd\")",
        "#import \"x\"",
        "$x^2$",
        "{{ 7*7 }}",
        "{% raw %}",
        "\\\\ \\n",
        "]]) [(",
        "*unclosed",
    ];

    /// Every `<...>` of the output: the tags a browser would see.
    fn tags(html: &str) -> Vec<&str> {
        let mut found = Vec::new();
        let mut rest = html;
        while let Some(open) = rest.find('<') {
            let after = &rest[open + 1..];
            let close = after.find('>').unwrap_or(after.len());
            found.push(&after[..close]);
            rest = &after[close..];
        }
        found
    }

    /// Fails unless the output has only allowed tags, with only `href`
    /// (web or mail), `rel` and `start` attributes.
    fn assert_safe_html(html: &str) {
        for tag in tags(html) {
            let tag = tag.trim_start_matches('/');
            let mut parts = tag.split_whitespace();
            let name = parts.next().unwrap_or("");
            assert!(ALLOWED_TAGS.contains(&name), "tag <{tag}> in {html}");
            for attribute in parts {
                let attribute = attribute.to_ascii_lowercase();
                let ok = attribute.starts_with("href=\"https://")
                    || attribute.starts_with("href=\"http://")
                    || attribute.starts_with("href=\"mailto:")
                    || attribute.starts_with("start=\"")
                    || attribute.starts_with("rel=\"noopener")
                    || attribute == "noreferrer\"";
                assert!(ok, "attribute {attribute} in <{tag}> of {html}");
            }
        }
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains("<script"), "{html}");
        assert!(!lower.contains("<img"), "{html}");
        assert!(!lower.contains("href=\"javascript"), "{html}");
    }

    /// All the text of a typst tree, in order, and checks every node's shape.
    fn typst_text(value: &Value, out: &mut String) {
        match value {
            Value::Array(nodes) => nodes.iter().for_each(|n| typst_text(n, out)),
            Value::Object(node) => {
                let kind = node.get("type").and_then(Value::as_str).unwrap_or("");
                assert!(
                    [
                        "heading",
                        "paragraph",
                        "list",
                        "table",
                        "code",
                        "quote",
                        "rule",
                        "text",
                        "linebreak",
                        "strong",
                        "emph",
                        "strike",
                        "link"
                    ]
                    .contains(&kind),
                    "node type {kind}"
                );
                if let Some(text) = node.get("text") {
                    out.push_str(text.as_str().expect("text is a string"));
                }
                for key in ["children", "items", "header", "rows"] {
                    if let Some(children) = node.get(key) {
                        typst_text(children, out);
                    }
                }
            }
            other => panic!("unexpected value {other}"),
        }
    }

    fn all_text(md: &str) -> String {
        let mut text = String::new();
        typst_text(&to_typst_data(md), &mut text);
        text
    }

    #[test]
    fn hostile_inputs_are_text_in_html() {
        for input in HOSTILE {
            for md in [input.to_string(), format!("Before {input} after.")] {
                let html = to_html(&md);
                assert_safe_html(&html);
                assert!(!html.contains("javascript:"), "{md:?} gave {html}");
            }
        }
        let html = to_html("<script>alert(1)</script>");
        assert_eq!(html, "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
        let html = to_html("See <img src=x onerror=alert(1)> here");
        assert_eq!(html, "<p>See &lt;img src=x onerror=alert(1)&gt; here</p>\n");
        assert_eq!(to_html("[x](javascript:alert(1))"), "<p>x</p>\n");
        assert_eq!(
            to_html("{{ 7*7 }} {% raw %}"),
            "<p>{{ 7*7 }} {% raw %}</p>\n"
        );
        assert_eq!(
            to_html("#read(\"/etc/passwd\")"),
            "<p>#read(\"/etc/passwd\")</p>\n"
        );
        assert_eq!(
            to_html("\\\\ \\n ]]) [( *unclosed"),
            "<p>\\ \\n ]]) [( *unclosed</p>\n"
        );
    }

    #[test]
    fn hostile_inputs_are_strings_in_typst_data() {
        assert_eq!(
            to_typst_data("<script>alert(1)</script>"),
            json!([{"type": "paragraph", "children": [
                {"type": "text", "text": "<script>alert(1)</script>"}]}])
        );
        assert_eq!(
            to_typst_data("Hi <img src=x onerror=alert(1)> [x](javascript:alert(1))"),
            json!([{"type": "paragraph", "children": [
                {"type": "text", "text": "Hi <img src=x onerror=alert(1)> x"}]}])
        );
        for input in HOSTILE {
            let text = all_text(input);
            let expected = match *input {
                "[x](javascript:alert(1))" => "x",
                "\\\\ \\n" => "\\ \\n",
                other => other,
            };
            assert_eq!(text, expected, "{input}");
        }
    }

    #[test]
    fn raw_html_block_keeps_its_lines() {
        let md = "<div onclick=\"x()\">\n<b>bold</b>\n</div>\n\nAfter";
        let html = to_html(md);
        assert_safe_html(&html);
        assert!(html.contains("&lt;div onclick=\"x()\"&gt;<br>"), "{html}");
        assert_eq!(
            to_typst_data("<div>\n<b>x</b>\n</div>"),
            json!([{"type": "paragraph", "children": [
                {"type": "text", "text": "<div>"}, {"type": "linebreak"},
                {"type": "text", "text": "<b>x</b>"}, {"type": "linebreak"},
                {"type": "text", "text": "</div>"}]}])
        );
    }

    #[test]
    fn only_web_and_mail_links_keep_their_target() {
        let md = "[a](https://example.org/x?y=1&z=2) [b](http://example.org) \
                  [c](mailto:chair@example.org) <https://auto.example> <person@example.org> \
                  [d](/relative) [e](#fragment) [f](data:text/html,x) [g](vbscript:x) \
                  [h](JavaScript:alert(1)) [i](file:///etc/passwd) [j](https:no-slashes) \
                  [k](HTTPS://UPPER.EXAMPLE) [l](https://)";
        let html = to_html(md);
        assert_safe_html(&html);
        assert!(html.contains(
            "<a href=\"https://example.org/x?y=1&amp;z=2\" rel=\"noopener noreferrer\">a</a>"
        ));
        assert!(html.contains("<a href=\"http://example.org\" rel=\"noopener noreferrer\">b</a>"));
        assert!(html.contains("href=\"mailto:chair@example.org\""));
        assert!(html.contains("href=\"https://auto.example\""));
        assert!(html.contains("href=\"mailto:person@example.org\""));
        assert!(
            html.contains("href=\"HTTPS://UPPER.EXAMPLE\"")
                || html.contains("href=\"https://upper.example/\""),
            "{html}"
        );
        assert_eq!(html.matches("<a ").count(), 6, "{html}");
        for text in ["d", "e", "f", "g", "h", "i", "j", "l"] {
            assert!(html.contains(&format!(" {text} ")) || html.contains(&format!(" {text}<")));
        }
        let quoted = to_html(
            "[q](<https://x.example/\"onmouseover=alert(1)>) [r](https://x.example/'a'<b>)",
        );
        assert_safe_html(&quoted);
        assert!(
            quoted.contains("href=\"https://x.example/&quot;onmouseover=alert(1)\""),
            "{quoted}"
        );

        let data =
            to_typst_data("[a](https://x.example) [b](javascript:x) ![alt](https://x/i.png)");
        assert_eq!(
            data,
            json!([{"type": "paragraph", "children": [
                {"type": "link", "url": "https://x.example", "children": [{"type": "text", "text": "a"}]},
                {"type": "text", "text": " b alt"}]}])
        );
    }

    #[test]
    fn images_show_their_alt_text() {
        let html = to_html("![A photo of the *park*](https://example.org/p.png)");
        assert_eq!(html, "<p>A photo of the <em>park</em></p>\n");
        assert_eq!(to_html("![](https://example.org/p.png)"), "<p></p>\n");
    }

    #[test]
    fn headings_are_shifted() {
        let md = "# Minutes\n## Actions\n###### Six";
        assert_eq!(
            to_html(md),
            "<h2>Minutes</h2>\n<h3>Actions</h3>\n<h6>Six</h6>\n"
        );
        let zero = HtmlOptions {
            heading_offset: 0,
            images: &[],
        };
        assert_eq!(to_html_with("# A", zero), "<h1>A</h1>\n");
        let big = HtmlOptions {
            heading_offset: 250,
            images: &[],
        };
        assert_eq!(to_html_with("## A", big), "<h6>A</h6>\n");
        assert_eq!(
            to_typst_data("## Actions *now*"),
            json!([{"type": "heading", "level": 2, "children": [
                {"type": "text", "text": "Actions "},
                {"type": "emph", "children": [{"type": "text", "text": "now"}]}]}])
        );
    }

    #[test]
    fn nested_lists() {
        let md = "- one\n- two\n  1. a\n  2. b\n     - deep\n- three\n\n3. x\n4. y\n";
        let html = to_html(md);
        assert_safe_html(&html);
        assert_eq!(
            html,
            "<ul>\n<li>one</li>\n<li>two<ol>\n<li>a</li>\n<li>b<ul>\n<li>deep</li>\n\
             </ul>\n</li>\n</ol>\n</li>\n<li>three</li>\n</ul>\n<ol start=\"3\">\n<li>x</li>\n\
             <li>y</li>\n</ol>\n"
        );
        let data = to_typst_data("- one\n- two\n  1. a\n");
        assert_eq!(
            data,
            json!([{"type": "list", "ordered": false, "tight": true, "items": [
                [{"type": "paragraph", "children": [{"type": "text", "text": "one"}]}],
                [{"type": "paragraph", "children": [{"type": "text", "text": "two"}]},
                 {"type": "list", "ordered": true, "start": 1, "tight": true, "items": [
                    [{"type": "paragraph", "children": [{"type": "text", "text": "a"}]}]]}]]}])
        );
        let loose = to_typst_data("- one\n\n- two\n");
        assert_eq!(loose[0]["tight"], json!(false));
        assert_eq!(
            to_html("- one\n\n- two\n"),
            "<ul>\n<li><p>one</p>\n</li>\n<li><p>two</p>\n</li>\n</ul>\n"
        );
    }

    #[test]
    fn tables() {
        let md = "| Agency | Action |\n|---|:-:|\n| Police | *patrol* <b> |\n| School |\n";
        let html = to_html(md);
        assert_safe_html(&html);
        assert_eq!(
            html,
            "<table>\n<thead>\n<tr><th>Agency</th><th>Action</th></tr>\n</thead>\n<tbody>\n\
             <tr><td>Police</td><td><em>patrol</em> &lt;b&gt;</td></tr>\n\
             <tr><td>School</td><td></td></tr>\n</tbody>\n</table>\n"
        );
        assert_eq!(
            to_typst_data(md),
            json!([{"type": "table",
                "header": [[{"type": "text", "text": "Agency"}], [{"type": "text", "text": "Action"}]],
                "rows": [
                    [[{"type": "text", "text": "Police"}],
                     [{"type": "emph", "children": [{"type": "text", "text": "patrol"}]},
                      {"type": "text", "text": " <b>"}]],
                    [[{"type": "text", "text": "School"}], []]]}])
        );
    }

    #[test]
    fn other_blocks_and_inlines() {
        let md = "> quoted **bold** ~~gone~~\n\n---\n\n```rust\nfn main() { \"<x>\" }\n```\n\n\
                  line one  \nline two `co<de>`\nsoft";
        let html = to_html(md);
        assert_safe_html(&html);
        assert_eq!(
            html,
            "<blockquote>\n<p>quoted <strong>bold</strong> <del>gone</del></p>\n</blockquote>\n\
             <hr>\n<pre><code>fn main() { \"&lt;x&gt;\" }\n</code></pre>\n\
             <p>line one<br>\nline two <code>co&lt;de&gt;</code>\nsoft</p>\n"
        );
        assert_eq!(
            to_typst_data(md),
            json!([
                {"type": "quote", "children": [{"type": "paragraph", "children": [
                    {"type": "text", "text": "quoted "},
                    {"type": "strong", "children": [{"type": "text", "text": "bold"}]},
                    {"type": "text", "text": " "},
                    {"type": "strike", "children": [{"type": "text", "text": "gone"}]}]}]},
                {"type": "rule"},
                {"type": "code", "block": true, "text": "fn main() { \"<x>\" }\n"},
                {"type": "paragraph", "children": [
                    {"type": "text", "text": "line one"}, {"type": "linebreak"},
                    {"type": "text", "text": "line two "},
                    {"type": "code", "block": false, "text": "co<de>"},
                    {"type": "text", "text": " soft"}]}
            ])
        );
    }

    #[test]
    fn deep_nesting_is_flattened_not_fatal() {
        let quotes = ">".repeat(100_000) + " deep";
        let html = to_html(&quotes);
        assert!(html.contains("deep"));
        assert_eq!(html.matches("<blockquote>").count(), 5);
        assert!(all_text(&quotes).contains("deep"));

        let lists: String = (0..2_000)
            .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
            .collect();
        let html = to_html(&lists);
        assert!(html.contains("item 1999"));
        assert!(all_text(&lists).contains("item 1999"));

        let emphasis = "*_".repeat(20_000) + "x" + &"_*".repeat(20_000);
        assert!(to_html(&emphasis).contains('x'));
        assert!(all_text(&emphasis).contains('x'));

        let brackets = "[".repeat(50_000) + &"](".repeat(50_000);
        assert_safe_html(&to_html(&brackets));
    }

    #[test]
    fn empty_and_whitespace() {
        assert_eq!(to_html(""), "");
        assert_eq!(to_typst_data(""), json!([]));
        assert_eq!(to_typst_data("   \n\n"), json!([]));
    }

    /// Compiles `md` through `templates/markdown.typ`, inside `wrap` nested
    /// blocks as a document would put it, and returns the page text.
    fn typst_page_text(md: &str, wrap: usize) -> String {
        use crate::render::pdf::{PdfDocument, PdfEngine};
        let data = serde_json::to_vec(&json!({ "body": to_typst_data(md) })).expect("json");
        let main = format!(
            "#import \"/markdown.typ\": md\n#let data = json(\"/data.json\")\n#{}md(data.body){}\n",
            "block(".repeat(wrap),
            ")".repeat(wrap)
        );
        let template = include_str!("../../templates/markdown.typ");
        let extra = [("/markdown.typ", template)];
        let today = chrono::NaiveDate::from_ymd_opt(2026, 9, 14).expect("date");
        let mut doc = PdfDocument::new(&main, &data, "test", today);
        doc.extra = &extra;
        match PdfEngine::new().compile_text(&doc) {
            Ok(text) => text,
            Err(e) => panic!("typst failed: {e}"),
        }
    }

    /// The typst side: `templates/markdown.typ` renders every node type and
    /// prints hostile text as text.
    #[test]
    fn typst_template_prints_text_literally() {
        let md = "# Minutes\n\n#read(\"/etc/passwd\") #import \"x\" $x^2$ {{ 7*7 }} \
                  <script>alert(1)</script> \\\\ \\n ]]) [( *unclosed `#eval(\"1\")`\n\n\
                  - one **bold** _it_ ~~s~~\n- two\n  1. nested\n\n\
                  | A | B |\n|---|---|\n| c | [link](https://example.org) |\n| d |\n\n\
                  > quote\n\n---\n\n```\n#panic(\"x\")\n```\n\nlast  \nline [bad](javascript:x)\n";
        let text = typst_page_text(md, 0);
        let flat = text.replace('\n', " ");
        for expected in [
            "Minutes",
            "#read(\"/etc/passwd\")",
            "#import \"x\"",
            "$x^2$",
            "{{ 7*7 }}",
            "<script>alert(1)</script>",
            "\\ \\n ]]) [( *unclosed",
            "#eval(\"1\")",
            "bold",
            "nested",
            "link",
            "quote",
            "#panic(\"x\")",
            "bad",
        ] {
            assert!(flat.contains(expected), "{expected:?} missing from {text}");
        }
    }

    /// The deepest trees `parse` can build, inside a document that nests
    /// them 10 blocks deep, stay within typst's nesting limits.
    #[test]
    fn typst_template_survives_deep_nesting() {
        let inline = "**_~~*__[deep](https://example.org)__*~~_**";
        let table = |indent: &str| format!("{indent}| a |\n{indent}|---|\n{indent}| {inline} |\n");
        let quotes = table(&"> ".repeat(50));
        let lists: String = (0..20)
            .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
            .chain([table(&"  ".repeat(20))])
            .collect();
        let mixed: String = (0..40).map(|i| format!("{}> - ", "  ".repeat(i))).collect();
        for md in [quotes, lists, mixed + "end"] {
            let text = typst_page_text(&md, 10);
            assert!(text.contains("deep") || text.contains("end"), "{text}");
        }
    }
}
