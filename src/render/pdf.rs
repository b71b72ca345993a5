//! The PDF engine: typst embedded as a library, with a sealed virtual world.
//!
//! A template is typst source at `/main.typ`; the record data reaches it only
//! as bytes at `/data.json` (read with `json("/data.json")`), so record text
//! is never parsed as typst code. Extra template files (e.g. `/lib.typ`) can
//! be provided at fixed virtual paths. Nothing else exists in the world: no
//! file system, no packages, no clock, no system fonts.
//!
//! One [`PdfEngine`] (fonts and standard library) is built per process and
//! shared by every document of a build, across threads. Every document uses
//! the same virtual paths, because typst interns file ids in a table of 65,535
//! that is never freed.
//!
//! Output is deterministic: the creation date comes from the build's date,
//! the PDF identifier from [`PdfDocument::ident`], and typst's own output
//! depends only on its input. Documents are PDF/A-2b and tagged.

use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::Mutex;

use chrono::Datelike;
use typst::diag::{
    FileError, FileResult, PackageError, Severity, SourceDiagnostic, SourceResult, Warned,
};
use typst::foundations::{Bytes, Datetime, Duration, Output, Smart};
use typst::layout::{Abs, Frame, FrameItem, Point};
use typst::model::{Document, DocumentInfo};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, FontInfo, Lang, Locale, Region};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::fonts::FontStore;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::model::Date;

/// The virtual path of the template's entry point.
pub const MAIN_PATH: &str = "/main.typ";
/// The virtual path of the document's data, for `json("/data.json")`.
pub const DATA_PATH: &str = "/data.json";

/// How many trims ([`PdfEngine::trim_caches`]) an unused memoized result
/// survives. Without eviction, typst's global caches keep every laid-out
/// paragraph of every document until the process ends. Each render thread
/// trims once per context: 3 keeps what the contexts in hand on either
/// thread share (the fonts, library and templates are used by every
/// document and never grow old). typst-cli's watch mode uses 10: here that
/// held 470 MiB at 100 contexts against 310 MiB, for no less CPU; at 1 a
/// pack loses the layouts it shares with its context's documents rendered
/// before it, and the build takes 8% more CPU.
const CACHE_MAX_AGE: usize = 3;

/// The `/Creator` written into every PDF. No version: a new release of
/// contextpack alone should not change the bytes of an unchanged document.
const CREATOR: &str = "contextpack (Typst)";

/// Shared by every document of a build: one font book, one `Library`
/// (built once per process). `Sync`, so documents can compile in parallel.
pub struct PdfEngine {
    /// Embedded fonts only, in a fixed order, so layout never depends on the
    /// machine.
    fonts: FontStore,
    library: LazyHash<Library>,
    /// Template files already parsed. Every document of a build is given the
    /// same few files; parsing them once, not once per document, saves time,
    /// and a shared `Source` lets typst's cache recognise it by its hash.
    sources: SourceCache,
}

/// One document to compile.
#[derive(Clone, Copy, Debug)]
pub struct PdfDocument<'a> {
    /// The template, typst source placed at `/main.typ`.
    pub main: &'a str,
    /// The document's data, placed at `/data.json`.
    pub data: &'a [u8],
    /// Further template files as (virtual path, typst source), e.g.
    /// `("/lib.typ", ...)`, importable by the template. Use the same paths
    /// for every document: each distinct path takes a file id for good.
    pub extra: &'a [(&'a str, &'a str)],
    /// The title written to the PDF metadata when the template sets none
    /// (`#set document(title: ..)` wins).
    pub title: &'a str,
    /// The language written to the PDF metadata when the template's first
    /// top-level `#set text(lang: .., region: ..)` does not give one, as
    /// `en` or `en-GB`.
    pub lang: &'a str,
    /// A stable, unique name for the document, such as its output path: the
    /// PDF's document identifier is derived from it. Empty: the title is used.
    pub ident: &'a str,
    /// The build's date: the PDF's creation date (at 00:00 UTC) and what
    /// `datetime.today()` returns.
    pub today: Date,
    /// How diagnostics name the files, as (virtual path, name): a reader
    /// needs `templates/agenda.typ`, not `/main.typ`. A file not listed is
    /// named by its virtual path.
    pub names: &'a [(&'a str, &'a str)],
    /// Binary files the template may read: the partnership's logo, for
    /// `image(..)`. Never typst source.
    pub assets: &'a [Asset],
}

/// A binary file at a virtual path, held once for every document of a
/// build: typst's bytes share their buffer and their hash, so a logo is
/// neither copied nor hashed again for each of thousands of PDFs.
#[derive(Clone, Debug)]
pub struct Asset {
    path: String,
    bytes: Bytes,
}

impl Asset {
    pub fn new(path: String, bytes: Vec<u8>) -> Self {
        Asset {
            path,
            bytes: Bytes::new(bytes),
        }
    }

    /// An asset over bytes held elsewhere (a context's attachment), not
    /// copied.
    pub fn shared(path: String, bytes: std::sync::Arc<[u8]>) -> Self {
        Asset {
            path,
            bytes: Bytes::new(bytes),
        }
    }
}

impl<'a> PdfDocument<'a> {
    /// A document with no extra files, language `en-GB` and the title as
    /// identifier.
    pub fn new(main: &'a str, data: &'a [u8], title: &'a str, today: Date) -> Self {
        PdfDocument {
            main,
            data,
            extra: &[],
            title,
            lang: "en-GB",
            ident: "",
            today,
            names: &[],
            assets: &[],
        }
    }
}

/// Longest run of characters without a space or break that record text may
/// put on a page unbroken. A PDF string holds at most 32,767 bytes, and a
/// line typst cannot break is written as one string: 40,000 `.` in a row
/// would make a PDF no PDF/A reader accepts. No word, name or address is
/// this long, so only text that would break the document is touched.
const MAX_UNBROKEN: usize = 1000;

/// The document's data with a zero-width space (a break opportunity, and
/// invisible) after every [`MAX_UNBROKEN`] characters of a run without
/// white space inside a JSON string. Borrowed when there is no such run,
/// which is every real record.
pub fn with_break_opportunities(json: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let mut run = 0;
    let long = json.iter().any(|&b| {
        if b.is_ascii_whitespace() || b == b'"' || b == b'\\' {
            run = 0;
        } else if b & 0xc0 != 0x80 {
            run += 1;
        }
        run >= MAX_UNBROKEN
    });
    if !long {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = Vec::with_capacity(json.len() + json.len() / MAX_UNBROKEN * 6 + 6);
    let (mut in_string, mut escaped, mut run) = (false, false, 0);
    for &b in json {
        if in_string && !escaped && b & 0xc0 != 0x80 && run >= MAX_UNBROKEN {
            out.extend_from_slice(b"\\u200b");
            run = 0;
        }
        out.push(b);
        if escaped {
            escaped = false;
            run = 0;
        } else if in_string && b == b'\\' {
            escaped = true;
        } else if b == b'"' {
            in_string = !in_string;
            run = 0;
        } else if b.is_ascii_whitespace() {
            run = 0;
        } else if b & 0xc0 != 0x80 {
            run += 1;
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Longest title, author or keyword written to the PDF's metadata; the
/// document itself shows all of it.
const MAX_METADATA_CHARS: usize = 1000;

/// Cuts the metadata strings to a length every PDF reader takes (a PDF
/// string holds at most 32,767 bytes).
fn fit_metadata(info: &mut typst::model::DocumentInfo) {
    fn cut<S: std::ops::Deref<Target = str> + From<String>>(s: &mut S) {
        if s.chars().count() > MAX_METADATA_CHARS {
            let kept: String = s.chars().take(MAX_METADATA_CHARS - 1).collect();
            *s = S::from(format!("{kept}…"));
        }
    }
    if let Some(t) = info.title.as_mut() {
        cut(t);
    }
    if let Some(d) = info.description.as_mut() {
        cut(d);
    }
    info.author.iter_mut().for_each(cut);
    info.keywords.iter_mut().for_each(cut);
}

/// A compiled document: PDF bytes and text from one compile.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    /// The text of the laid-out pages, in layout order: lines separated by
    /// `\n`, pages by form feed (`\x0c`).
    pub text: String,
    /// The metadata written to the PDF (title, authors, description,
    /// keywords), one value a line: it leaks as surely as page text.
    pub metadata: String,
    /// typst's warnings (the document still compiled).
    pub warnings: Vec<RenderDiagnostic>,
}

impl Rendered {
    /// Everything a reader of the PDF can see: page text, then metadata.
    /// This is what the anonymity guard should search.
    pub fn searchable_text(&self) -> String {
        if self.metadata.is_empty() {
            return self.text.clone();
        }
        format!("{}\x0c{}", self.text, self.metadata)
    }

    /// A PDF rendered by an earlier build, with the text a reader sees of
    /// it ([`Rendered::searchable_text`] as it was then).
    pub fn reused(pdf: Vec<u8>, searchable: String) -> Self {
        Rendered {
            pdf,
            text: searchable,
            metadata: String::new(),
            warnings: Vec::new(),
        }
    }
}

/// A failed compile: every error typst reported, or a setup problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderError {
    pub diagnostics: Vec<RenderDiagnostic>,
}

/// One message from typst (or from the engine), with its place if known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderDiagnostic {
    pub is_error: bool,
    pub message: String,
    pub at: Option<Position>,
    /// typst's hints, then the trace of calls that led here, outermost last.
    pub notes: Vec<String>,
}

/// A place in a virtual file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    /// The virtual path: `/main.typ`, `/data.json` or an extra file.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
}

impl RenderError {
    /// An error that is not typst's: bad engine input.
    fn setup(message: impl Into<String>) -> Self {
        RenderError {
            diagnostics: vec![RenderDiagnostic {
                is_error: true,
                message: message.into(),
                at: None,
                notes: Vec::new(),
            }],
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

impl fmt::Display for RenderDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(at) = &self.at {
            write!(f, "{at}: ")?;
        }
        let severity = if self.is_error { "error" } else { "warning" };
        write!(f, "{severity}: {}", self.message)?;
        for note in &self.notes {
            write!(f, "\n  {note}")?;
        }
        Ok(())
    }
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.diagnostics.is_empty() {
            return f.write_str("typst failed without a diagnostic");
        }
        for (i, diagnostic) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RenderError {}

impl Default for PdfEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl PdfEngine {
    /// Loads the embedded fonts (never the system's) and builds the standard
    /// library: a few milliseconds, so build one per process and share it.
    pub fn new() -> Self {
        let mut fonts = FontStore::new();
        fonts.extend(typst_kit::fonts::embedded());
        fonts.extend(body_fonts());
        PdfEngine {
            fonts,
            library: LazyHash::new(Library::builder().build()),
            sources: SourceCache::default(),
        }
    }

    /// Compiles the document to PDF bytes.
    pub fn compile(&self, doc: &PdfDocument) -> Result<Vec<u8>, RenderError> {
        self.render(doc).map(|rendered| rendered.pdf)
    }

    /// Compiles the document and returns only its page text (no PDF export).
    pub fn compile_text(&self, doc: &PdfDocument) -> Result<String, RenderError> {
        self.run(doc, false).map(|rendered| rendered.text)
    }

    /// Compiles the document once and returns both its PDF and its text.
    pub fn render(&self, doc: &PdfDocument) -> Result<Rendered, RenderError> {
        self.run(doc, true)
    }

    fn run(&self, doc: &PdfDocument, export: bool) -> Result<Rendered, RenderError> {
        // A bug in typst must cost one document, not the whole build. The
        // engine holds no state a panic could leave half-updated.
        std::panic::catch_unwind(AssertUnwindSafe(|| self.run_once(doc, export)))
            .unwrap_or_else(|payload| Err(RenderError::setup(panic_message(&*payload))))
    }

    /// Drops what typst cached for documents rendered several trims ago.
    /// Rendering does not trim by itself: documents that share parts (a
    /// meeting pack holds the agenda, the plan and the previous minutes)
    /// reuse each other's layout from the cache, and that only works if
    /// the cache outlives one document. A build trims once per context.
    pub fn trim_caches(&self) {
        typst::comemo::evict(CACHE_MAX_AGE);
    }

    fn run_once(&self, doc: &PdfDocument, export: bool) -> Result<Rendered, RenderError> {
        let data = with_break_opportunities(doc.data);
        let doc = &PdfDocument {
            data: &data,
            ..*doc
        };
        let fallback_locale = parse_locale(doc.lang)?;
        let timestamp = Timestamp::new_utc(midnight(doc.today)?);
        let world = DocWorld::new(self, doc)?;

        let Warned { output, warnings } = compile_paged(&world, typst_pdf::pdf);
        let mut document = output.map_err(|errors| world.error(&errors))?;
        let warnings = warnings.iter().map(|w| world.diagnostic(w)).collect();

        let info = document.info_mut();
        if info.title.is_none() && !doc.title.is_empty() {
            info.title = Some(doc.title.into());
        }
        if info.locale.is_auto() {
            info.locale = Smart::Custom(fallback_locale);
        }
        fit_metadata(info);
        let metadata = metadata_text(document.info());
        let text = pages_text(document.pages().iter().map(|page| &page.frame));

        let pdf = if export {
            let options = pdf_options(doc, timestamp)?;
            typst_pdf::pdf(&document, &options).map_err(|errors| world.error(&errors))?
        } else {
            Vec::new()
        };
        Ok(Rendered {
            pdf,
            text,
            metadata,
            warnings,
        })
    }
}

/// Noto Sans, the documents' text face: a plain sans like the HTML's,
/// with Latin, Greek and Cyrillic for names. TrueType outlines also make
/// each PDF's font subset far cheaper to cut than Libertinus's CFF.
fn body_fonts() -> impl Iterator<Item = (Font, FontInfo)> {
    [
        notosans::REGULAR_TTF,
        notosans::BOLD_TTF,
        notosans::ITALIC_TTF,
        notosans::BOLD_ITALIC_TTF,
    ]
    .into_iter()
    .flat_map(|data| Font::iter(Bytes::new(data)))
    .map(|font| {
        let info = font.info().clone();
        (font, info)
    })
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let detail = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    format!("typst crashed while rendering this document ({detail})")
}

// The engine is shared by the threads of a build.
const _: fn() = || {
    fn shareable<T: Send + Sync>() {}
    shareable::<PdfEngine>();
};

/// `typst::compile` is generic over the output type, and the paged document
/// type lives in typst-layout, which is not a direct dependency: the
/// signature of `typst_pdf::pdf` names it for us.
fn compile_paged<D: Output>(
    world: &dyn World,
    _export: fn(&D, &PdfOptions) -> SourceResult<Vec<u8>>,
) -> Warned<SourceResult<D>> {
    typst::compile::<D>(world)
}

fn pdf_options(doc: &PdfDocument, timestamp: Timestamp) -> Result<PdfOptions, RenderError> {
    let standards = PdfStandards::new(&[PdfStandard::A_2b])
        .map_err(|e| RenderError::setup(format!("PDF/A-2b: {}", e.message())))?;
    let ident = if doc.ident.is_empty() {
        doc.title
    } else {
        doc.ident
    };
    Ok(PdfOptions {
        // typst-pdf hashes the ident; it never appears in the file.
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(CREATOR.to_string())),
        timestamp: Some(timestamp),
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    })
}

/// The build's date at 00:00 UTC.
fn midnight(day: Date) -> Result<Datetime, RenderError> {
    typst_date(day, |y, m, d| Datetime::from_ymd_hms(y, m, d, 0, 0, 0))
}

/// The build's date as a typst date (no time of day).
fn date_only(day: Date) -> Result<Datetime, RenderError> {
    typst_date(day, Datetime::from_ymd)
}

fn typst_date(
    day: Date,
    make: impl FnOnce(i32, u8, u8) -> Option<Datetime>,
) -> Result<Datetime, RenderError> {
    let month = u8::try_from(day.month()).ok();
    let dom = u8::try_from(day.day()).ok();
    month
        .zip(dom)
        .and_then(|(m, d)| make(day.year(), m, d))
        .ok_or_else(|| RenderError::setup(format!("date {day} cannot be a typst date")))
}

/// `en` or `en-GB` (also `en_GB`).
fn parse_locale(tag: &str) -> Result<Locale, RenderError> {
    let bad = || RenderError::setup(format!("language {tag:?} is not like `en` or `en-GB`"));
    let mut parts = tag.split(['-', '_']);
    let lang: Lang = parts.next().unwrap_or("").parse().map_err(|_| bad())?;
    let region: Option<Region> = match parts.next() {
        Some(region) => Some(region.parse().map_err(|_| bad())?),
        None => None,
    };
    if parts.next().is_some() {
        return Err(bad());
    }
    Ok(Locale::new(lang, region))
}

/// One file of a document's world.
#[derive(Clone)]
struct VirtualFile {
    id: FileId,
    /// Typst sources only; `/data.json` has none and cannot be imported.
    source: Option<Source>,
    bytes: Bytes,
}

/// The world of one document: the template, its data and its extra files,
/// nothing else.
struct DocWorld<'e> {
    engine: &'e PdfEngine,
    /// `/main.typ` first, then `/data.json`, then the extra files.
    files: Vec<VirtualFile>,
    main: FileId,
    today: Datetime,
    /// [`PdfDocument::names`].
    names: &'e [(&'e str, &'e str)],
}

impl<'e> DocWorld<'e> {
    fn new(engine: &'e PdfEngine, doc: &PdfDocument<'e>) -> Result<Self, RenderError> {
        let main = file_id(MAIN_PATH)?;
        let mut files = vec![
            engine.sources.get(main, doc.main),
            VirtualFile {
                id: file_id(DATA_PATH)?,
                source: None,
                bytes: Bytes::new(doc.data.to_vec()),
            },
        ];
        for (path, text) in doc.extra {
            let id = file_id(path)?;
            if files.iter().any(|f| f.id == id) {
                return Err(RenderError::setup(format!(
                    "template file {path} is given twice or clashes with {MAIN_PATH} or {DATA_PATH}"
                )));
            }
            files.push(engine.sources.get(id, text));
        }
        for Asset { path, bytes } in doc.assets {
            let id = file_id(path)?;
            if files.iter().any(|f| f.id == id) {
                return Err(RenderError::setup(format!(
                    "asset {path} clashes with a template file"
                )));
            }
            files.push(VirtualFile {
                id,
                source: None,
                bytes: bytes.clone(),
            });
        }
        Ok(DocWorld {
            engine,
            files,
            main,
            today: date_only(doc.today)?,
            names: doc.names,
        })
    }

    fn lookup(&self, id: FileId) -> FileResult<&VirtualFile> {
        if let VirtualRoot::Package(spec) = id.root() {
            return Err(FileError::Package(PackageError::Other(Some(
                format!("{spec}: packages are not available, documents are rendered offline")
                    .into(),
            ))));
        }
        self.files
            .iter()
            .find(|f| f.id == id)
            .ok_or_else(|| FileError::NotFound(id.vpath().get_with_slash().into()))
    }

    /// All of typst's errors as one `RenderError`.
    fn error(&self, diagnostics: &[SourceDiagnostic]) -> RenderError {
        RenderError {
            diagnostics: diagnostics.iter().map(|d| self.diagnostic(d)).collect(),
        }
    }

    fn diagnostic(&self, diagnostic: &SourceDiagnostic) -> RenderDiagnostic {
        let hints = diagnostic
            .hints
            .iter()
            // Hints about typst-cli's flags (`--root`) mislead our users.
            .filter(|hint| !hint.v.contains("`--"))
            .map(|hint| format!("hint: {}", hint.v));
        let trace = diagnostic
            .trace
            .iter()
            .map(|point| match self.position(point.span) {
                Some(at) => format!("{at}: {}", point.v),
                None => point.v.to_string(),
            });
        RenderDiagnostic {
            is_error: diagnostic.severity == Severity::Error,
            message: diagnostic.message.to_string(),
            at: self.position(diagnostic.span),
            notes: hints.chain(trace).collect(),
        }
    }

    /// Maps a typst span to file, line and column.
    fn position(&self, span: impl Into<typst::syntax::DiagSpan>) -> Option<Position> {
        let span = span.into();
        let file = self.lookup(span.id()?).ok()?;
        let start = self.range(span)?.start;
        let text = std::str::from_utf8(file.bytes.as_slice()).ok()?;
        let (line, column) = line_column(text, start)?;
        let path = file.id.vpath().get_with_slash();
        let name = self
            .names
            .iter()
            .find(|(p, _)| *p == path)
            .map_or(path, |(_, name)| *name);
        Some(Position {
            file: name.to_string(),
            line,
            column,
        })
    }
}

/// The typst sources parsed so far, each under its path and text.
#[derive(Default)]
struct SourceCache {
    files: Mutex<Vec<VirtualFile>>,
}

impl SourceCache {
    /// More distinct templates than any build uses; past it, the oldest go.
    const LIMIT: usize = 64;

    /// The file at `id` with this text, parsed once.
    fn get(&self, id: FileId, text: &str) -> VirtualFile {
        // A poisoned lock only means another document panicked mid-insert;
        // the list itself is still whole.
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        let cached = files
            .iter()
            .find(|f| f.id == id && f.source.as_ref().is_some_and(|s| s.text() == text));
        if let Some(file) = cached {
            return file.clone();
        }
        let file = source_file(id, text);
        if files.len() >= Self::LIMIT {
            files.remove(0);
        }
        files.push(file.clone());
        file
    }
}

fn source_file(id: FileId, text: &str) -> VirtualFile {
    let source = Source::new(id, text.to_string());
    // Bytes backed by the same text, as `World::file` must serve sources too.
    let bytes = Bytes::from_string(source.clone());
    VirtualFile {
        id,
        source: Some(source),
        bytes,
    }
}

/// Every document interns the same few paths, so the table of file ids
/// (never freed) does not grow with the casebook.
fn file_id(path: &str) -> Result<FileId, RenderError> {
    if !path.starts_with('/') {
        return Err(RenderError::setup(format!(
            "template file path {path:?} must be absolute, like /lib.typ"
        )));
    }
    let vpath = VirtualPath::new(path)
        .map_err(|e| RenderError::setup(format!("template file path {path:?}: {e}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// 1-based line and character column of a byte offset.
fn line_column(text: &str, offset: usize) -> Option<(usize, usize)> {
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let column = before.get(line_start..)?.chars().count() + 1;
    Some((line, column))
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.engine.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.lookup(id)?.source.clone().ok_or(FileError::NotSource)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        Ok(self.lookup(id)?.bytes.clone())
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.font(index)
    }

    /// The build's date, whatever the offset: documents speak of the day the
    /// build was made for, not of the machine's clock.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// Title, authors, description and keywords, one a line.
fn metadata_text(info: &DocumentInfo) -> String {
    let mut lines: Vec<&str> = Vec::new();
    lines.extend(info.title.as_deref());
    lines.extend(info.author.iter().map(|a| a.as_str()));
    lines.extend(info.description.as_deref());
    lines.extend(info.keywords.iter().map(|k| k.as_str()));
    lines.join("\n")
}

/// The text of the pages: text items in layout order, a newline where the
/// baseline moves, a space where a gap separates items on one line.
fn pages_text<'f>(pages: impl Iterator<Item = &'f Frame>) -> String {
    let mut out = TextCollector::default();
    for (i, frame) in pages.enumerate() {
        if i > 0 {
            out.break_with('\x0c');
            out.last = None;
        }
        out.frame(frame, Point::zero());
    }
    out.text
}

#[derive(Default)]
struct TextCollector {
    text: String,
    /// Baseline and right end of the last text item on this page.
    last: Option<(Abs, Abs)>,
}

impl TextCollector {
    fn frame(&mut self, frame: &Frame, origin: Point) {
        for (pos, item) in frame.items() {
            let at = origin + *pos;
            match item {
                // Translation only: rotated or scaled text is rare in our
                // templates and only affects where breaks go, not the text.
                FrameItem::Group(group) => {
                    let shift = Point::new(group.transform.tx, group.transform.ty);
                    self.frame(&group.frame, at + shift);
                }
                FrameItem::Text(text) => self.push(&text.text, at, text.width()),
                _ => {}
            }
        }
    }

    /// Ends a line or page; the space typst leaves at a line's end goes.
    fn break_with(&mut self, separator: char) {
        let kept = self.text.trim_end_matches(' ').len();
        self.text.truncate(kept);
        self.text.push(separator);
    }

    fn push(&mut self, text: &str, at: Point, width: Abs) {
        // Half a point: below any real space, above rounding noise.
        let tolerance = Abs::pt(0.5);
        if let Some((baseline, end)) = self.last {
            if (at.y - baseline).abs() > tolerance {
                self.break_with('\n');
            } else if at.x - end > tolerance && !self.text.ends_with(' ') && !text.starts_with(' ')
            {
                self.text.push(' ');
            }
        }
        self.text.push_str(text);
        self.last = Some((at.y, at.x + width));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static ENGINE: LazyLock<PdfEngine> = LazyLock::new(PdfEngine::new);

    const HOSTILE: &str = r#"#read("/etc/passwd") $x$ <script> {{ 7*7 }} \ ]"#;

    const TEMPLATE: &str = r#"#let data = json("/data.json")
#set document(title: data.title, author: "Plymouth CSC")
#set text(lang: "en", region: "gb")
= #data.title
Note: #data.note
"#;

    fn today() -> Date {
        Date::from_ymd_opt(2026, 9, 2).unwrap_or_default()
    }

    fn data(title: &str) -> Vec<u8> {
        serde_json::json!({ "title": title, "note": HOSTILE })
            .to_string()
            .into_bytes()
    }

    fn doc<'a>(main: &'a str, data: &'a [u8]) -> PdfDocument<'a> {
        PdfDocument::new(main, data, "Fallback title", today())
    }

    #[test]
    fn data_text_stays_text() {
        let data = data("Agenda for Devonport Park");
        let text = ENGINE.compile_text(&doc(TEMPLATE, &data)).unwrap();
        assert!(text.contains(HOSTILE), "{text}");
        assert!(text.contains("Agenda for Devonport Park"), "{text}");
        assert!(!text.contains("root:"), "{text}");
    }

    #[test]
    fn template_cannot_read_the_file_system() {
        for call in [
            r#"#read("/etc/passwd")"#,
            r#"#read("../../../../etc/passwd")"#,
            r#"#include "/etc/passwd""#,
            r#"#import "/lib.typ": x"#,
            r#"#image("/etc/hostname")"#,
        ] {
            let main = format!("Before\n{call}\n");
            let err = ENGINE.compile_text(&doc(&main, b"{}")).unwrap_err();
            let message = err.to_string();
            assert!(!message.contains("root:"), "{message}");
            let first = &err.diagnostics[0];
            assert!(first.is_error);
            assert_eq!(first.at.as_ref().map(|at| at.line), Some(2), "{message}");
            assert_eq!(
                first.at.as_ref().map(|at| at.file.as_str()),
                Some("/main.typ")
            );
        }
    }

    #[test]
    fn packages_are_refused() {
        let main = "#import \"@preview/cetz:0.3.0\": canvas\n";
        let err = ENGINE.compile_text(&doc(main, b"{}")).unwrap_err();
        assert!(
            err.to_string().contains("packages are not available"),
            "{err}"
        );
    }

    #[test]
    fn template_errors_have_line_and_column() {
        let main = "Hello\n\nWorld #undefined-thing\n";
        let err = ENGINE.compile(&doc(main, b"{}")).unwrap_err();
        let at = err.diagnostics[0].at.clone();
        assert_eq!(
            at,
            Some(Position {
                file: "/main.typ".into(),
                line: 3,
                column: 8
            }),
            "{err}"
        );
        assert!(
            err.to_string()
                .starts_with("/main.typ:3:8: error: unknown variable"),
            "{err}"
        );
    }

    #[test]
    fn diagnostics_name_files_as_the_caller_asks() {
        let main = "#import \"/lib.typ\": f\n#f()\n";
        let extra = [("/lib.typ", "#let f() = undefined-thing\n")];
        let names = [("/lib.typ", "templates/lib.typ")];
        let err = ENGINE
            .compile(&PdfDocument {
                extra: &extra,
                names: &names,
                ..doc(main, b"{}")
            })
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("templates/lib.typ:1:12: error: unknown variable"),
            "{text}"
        );
        // Unnamed files keep their virtual path.
        assert!(text.contains("/main.typ:2:2"), "{text}");
    }

    #[test]
    fn bad_data_points_into_data_json() {
        let err = ENGINE
            .compile_text(&doc(TEMPLATE, b"{\n \"title\": ]"))
            .unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("/data.json:2:11: error: failed to parse JSON"),
            "{message}"
        );
        assert!(
            message.contains("/main.typ:1:13: while calling `json`"),
            "{message}"
        );
    }

    #[test]
    fn extra_files_can_be_imported() {
        let lib = "#let greet(name) = [Hello, #name!]\n";
        let main = "#import \"/lib.typ\": greet\n#greet(json(\"/data.json\").title)\n";
        let data = data("Ada");
        let extra = [("/lib.typ", lib)];
        let doc = PdfDocument {
            extra: &extra,
            ..doc(main, &data)
        };
        let text = ENGINE.compile_text(&doc).unwrap();
        assert_eq!(text, "Hello, Ada!");
    }

    #[test]
    fn extra_file_paths_are_checked() {
        for path in ["lib.typ", "/main.typ", "/data.json"] {
            let extra = [(path, "")];
            let doc = PdfDocument {
                extra: &extra,
                ..doc("x", b"{}")
            };
            assert!(ENGINE.compile_text(&doc).is_err(), "{path}");
        }
    }

    #[test]
    fn today_is_the_build_date() {
        let main = "#datetime.today().display()";
        assert_eq!(
            ENGINE.compile_text(&doc(main, b"{}")).unwrap(),
            "2026-09-02"
        );
    }

    #[test]
    fn pdf_is_pdf_a_with_metadata_and_deterministic() {
        let data = data("Agenda 2026-09-02");
        let doc = PdfDocument {
            ident: "restricted/devonport-park/2026-09-02-review/agenda.pdf",
            ..doc(TEMPLATE, &data)
        };
        let first = ENGINE.render(&doc).unwrap();
        let pdf = &first.pdf;
        assert!(pdf.starts_with(b"%PDF-"));
        let raw = String::from_utf8_lossy(pdf);
        assert!(raw.contains("pdfaid:part"), "no PDF/A declaration");
        assert!(raw.contains("Agenda 2026-09-02"), "no title");
        assert!(raw.contains("en-GB"), "no language");
        assert!(raw.contains("/StructTreeRoot"), "not tagged");
        assert!(
            raw.contains("2026-09-02T00:00:00"),
            "no fixed creation date"
        );
        assert!(first.metadata.contains("Plymouth CSC"));
        assert!(first.text.contains(HOSTILE));
        let second = ENGINE.compile(&doc).unwrap();
        assert!(*pdf == second, "two compiles differ");
    }

    #[test]
    fn fallback_title_and_language() {
        let rendered = ENGINE.render(&doc("Just text", b"{}")).unwrap();
        let raw = String::from_utf8_lossy(&rendered.pdf);
        assert!(raw.contains("Fallback title"));
        assert!(raw.contains("en-GB"));
        let bad = PdfDocument {
            lang: "english",
            ..doc("x", b"{}")
        };
        assert!(ENGINE.compile_text(&bad).is_err());
    }

    #[test]
    fn pages_are_separated_by_form_feed() {
        let main = "First page\n#pagebreak()\nSecond *bold* page";
        let text = ENGINE.compile_text(&doc(main, b"{}")).unwrap();
        assert_eq!(text, "First page\x0cSecond bold page");
    }

    #[test]
    fn parallel_compiles() {
        use rayon::prelude::*;
        let titles: Vec<String> = (0..8).map(|i| format!("Document {i}")).collect();
        let datas: Vec<Vec<u8>> = titles.iter().map(|t| data(t)).collect();
        let texts: Vec<String> = datas
            .par_iter()
            .map(|data| ENGINE.render(&doc(TEMPLATE, data)).map(|r| r.text))
            .collect::<Result<_, _>>()
            .unwrap();
        for (title, text) in titles.iter().zip(&texts) {
            assert!(text.starts_with(title.as_str()), "{text}");
        }
    }
}
