//! `contextpack build`: every restricted document of a checked casebook,
//! rendered in parallel into a fresh folder that replaces the output folder
//! only when all of it succeeded, with a manifest of what came from where.
//!
//! The command line does the talking (diagnostics, progress, the closing
//! line); [`command::run`] is the whole command as one call, and this
//! module decides what to render and renders it:
//!
//! 1. [`Target::resolve`]: where the output goes, refusing places where
//!    replacing it would delete records.
//! 2. [`Gate::of`]: which contexts are clean enough to render.
//! 3. [`build`]: provenance from git, templates loaded once, every document
//!    rendered (or reused from the previous output) on the render pool,
//!    the manifest, the swap.

pub mod cache;
pub mod calendar;
pub mod command;
pub mod dashboard;
pub mod git;
pub mod manifest;
pub mod one_quarter;
pub mod output;
mod packs;
pub mod pool;
pub mod publish;
pub mod summaries;

pub use git::{History, Provenance};
pub use output::{OutputError, Target};

use crate::Checked;
use crate::model::Context;
use crate::render::document::{self, Document, Format};
use crate::render::html::{HtmlTemplates, TemplateError, TemplateErrorKind};
use crate::render::pdf::{DATA_PATH, MAIN_PATH, PdfDocument, PdfEngine, Rendered};
use crate::render::templates::{self, TypstTemplates};
use crate::render::view::{self, Views};
use crate::summary::Quarter;
use manifest::{FileEntry, Manifest, NotRendered, OutputEntry};
use output::{MANIFEST, Staging, io_error};
use serde::Serialize;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

// ---------------------------------------------------------------- errors

/// Why a build wrote nothing.
#[derive(Debug)]
pub enum BuildError {
    /// The output folder was refused, or a file could not be read or
    /// written (exit 2).
    Output(OutputError),
    /// A template does not load (exit 1; exit 2 when its file is unreadable).
    Templates(TemplateError),
    /// Some documents failed to render (exit 1), sorted by path.
    Documents(Vec<DocumentError>),
    /// An anonymised output contains a name, reference or title from the
    /// records (rule `anonymity`, exit 1): one error per leak, pointing at
    /// the record the text came from.
    Anonymity(Vec<crate::diagnostic::Diagnostic>),
    /// A summary a forum already holds would change and its quarter is not
    /// being reissued (rule `published-summary`, exit 1).
    Published(Vec<crate::diagnostic::Diagnostic>),
}

impl BuildError {
    /// The exit code DESIGN.md gives this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            BuildError::Output(_) => 2,
            BuildError::Templates(e) if e.kind == TemplateErrorKind::Read => 2,
            BuildError::Templates(_)
            | BuildError::Documents(_)
            | BuildError::Anonymity(_)
            | BuildError::Published(_) => 1,
        }
    }
}

impl From<OutputError> for BuildError {
    fn from(e: OutputError) -> Self {
        BuildError::Output(e)
    }
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Output(e) => e.fmt(f),
            BuildError::Templates(e) => write!(f, "template: {e}"),
            BuildError::Documents(list) => {
                for (i, e) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
            BuildError::Anonymity(list) | BuildError::Published(list) => {
                for (i, d) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "{}", d.message)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for BuildError {}

/// A file made from the whole casebook rather than from one context: an
/// anonymised summary, the dashboard, the calendar.
#[derive(Debug, Clone)]
pub struct CasebookFile {
    /// Relative to the output folder, with `/` separators.
    pub path: String,
    pub bytes: Vec<u8>,
    /// The casebook files (records, settings, templates) it was made from,
    /// casebook-relative.
    pub inputs: Vec<String>,
}

/// A document that could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentError {
    /// The output path, relative to the output folder.
    pub path: String,
    /// The template, as a reader finds it: `built-in template agenda.typ`
    /// or `templates/agenda.typ` (the casebook's own).
    pub template: String,
    /// What went wrong, with places named after the template files.
    pub message: String,
}

impl std::fmt::Display for DocumentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot render {} with {}:\n{}",
            self.path, self.template, self.message
        )
    }
}

// ---------------------------------------------------------------- the gate

/// Which contexts may be rendered: those none of whose files has an error or
/// an unexplained breach. A failure in a file outside every context (the
/// settings) holds back all of them.
#[derive(Debug, Clone, Default)]
pub struct Gate {
    /// Ids of the contexts that check clean, in casebook order.
    pub renderable: Vec<String>,
    /// Contexts held back, by folder (`cases/<id>`).
    pub held_back: Vec<NotRendered>,
    /// Files outside every context with failures: `(path, errors, breaches)`.
    pub casebook_wide: Vec<(String, usize, usize)>,
}

impl Gate {
    pub fn of(checked: &Checked) -> Gate {
        let casebook = &checked.casebook;
        let per_file = checked.failures_by_file();
        let mut gate = Gate::default();
        let mut claimed = vec![false; per_file.len()];
        for c in &casebook.contexts {
            let (mut errors, mut breaches) = (0, 0);
            for (i, (path, (e, b))) in per_file.iter().enumerate() {
                if c.holds(path) {
                    errors += e;
                    breaches += b;
                    if let Some(flag) = claimed.get_mut(i) {
                        *flag = true;
                    }
                }
            }
            if errors + breaches > 0 {
                gate.held_back.push(NotRendered {
                    context: c.dir.clone(),
                    errors,
                    breaches,
                });
            } else {
                gate.renderable.push(c.id.clone());
            }
        }
        gate.casebook_wide = per_file
            .into_iter()
            .zip(claimed)
            .filter(|(_, claimed)| !claimed)
            .map(|((path, (e, b)), _)| (path, e, b))
            .collect();
        if !gate.casebook_wide.is_empty() {
            for c in &casebook.contexts {
                if gate.renderable.contains(&c.id) {
                    gate.held_back.push(NotRendered {
                        context: c.dir.clone(),
                        errors: 0,
                        breaches: 0,
                    });
                }
            }
            gate.renderable.clear();
        }
        gate.held_back.sort_by(|a, b| a.context.cmp(&b.context));
        gate
    }

    /// Whether every context may be rendered.
    pub fn all_clear(&self) -> bool {
        self.held_back.is_empty() && self.casebook_wide.is_empty()
    }
}

// ---------------------------------------------------------------- documents

/// A document to render and where it goes.
#[derive(Debug, Clone)]
struct Job<'c> {
    context: &'c Context,
    doc: Document<'c>,
    /// Relative to the output folder.
    path: String,
}

/// Every document of the given contexts: [`document::of_context`], which
/// the context page's links also come from, so links and files agree.
fn jobs<'c>(contexts: &[&'c Context]) -> Vec<Job<'c>> {
    contexts
        .iter()
        .flat_map(|&c| {
            document::of_context(c).into_iter().map(move |doc| Job {
                context: c,
                doc,
                path: doc.path(c),
            })
        })
        .collect()
}

/// The jobs of each context, its packs last: a pack lays out again the
/// agenda, plan and minutes rendered before it, from typst's cache. Jobs
/// come context by context, so a group is a run of one context's jobs.
fn by_context<'j, 'c>(jobs: &'j [Job<'c>]) -> Vec<Vec<&'j Job<'c>>> {
    let mut groups: Vec<Vec<&Job>> = Vec::new();
    for job in jobs {
        match groups.last_mut() {
            Some(group)
                if group
                    .first()
                    .is_some_and(|j| j.context.id == job.context.id) =>
            {
                group.push(job);
            }
            _ => groups.push(vec![job]),
        }
    }
    for group in &mut groups {
        // Stable: the packs keep their order among themselves.
        group.sort_by_key(|j| matches!(j.doc, Document::Pack(_)));
    }
    groups
}

/// The files of the images a body shows that were found.
fn shown(images: &[crate::model::ImageRef]) -> impl Iterator<Item = String> + '_ {
    images.iter().filter_map(|i| i.path.clone())
}

impl Job<'_> {
    /// The records this document shows: the settings, the context's own
    /// record, and the files its template is given.
    fn inputs(&self, views: &Views) -> Vec<String> {
        let casebook = views.casebook;
        let c = self.context;
        let path = |id: crate::source::FileId| casebook.sources.path(id).replace('\\', "/");
        let mut files: Vec<String> = casebook.settings.file.map(path).into_iter().collect();
        files.push(path(c.file));
        let assessment = c.assessment.as_ref().map(|a| path(a.file));
        let plan = c.plan.as_ref().and_then(|p| p.file).map(path);
        match self.doc {
            Document::ContextPage => {
                files = casebook
                    .settings
                    .file
                    .into_iter()
                    .chain(c.files())
                    .map(path)
                    .collect();
            }
            Document::Plan(_) => files.extend(plan),
            Document::Assessment(_) => {
                files.extend(assessment);
                files.extend(c.assessment.iter().flat_map(|a| shown(&a.body.images)));
            }
            // The agenda lists the assessment, the plan and the meeting's
            // papers; the minutes list the actions agreed at the meeting.
            Document::Agenda(m, _) | Document::Minutes(m, _) => {
                files.push(path(m.file));
                files.extend(assessment);
                files.extend(plan);
                files.extend(shown(&m.body.images));
                files.extend(m.papers.iter().filter_map(|p| p.path.clone()));
            }
            Document::Pack(m) => {
                files.push(path(m.file));
                files.extend(
                    view::minutes_since_conference(c, m)
                        .into_iter()
                        .map(|p| path(p.file)),
                );
                // The briefing lists the breaches explained up to the meeting.
                files.extend(
                    c.meetings
                        .iter()
                        .filter(|e| e.date.value <= m.date.value && !e.exceptions.is_empty())
                        .map(|e| path(e.file)),
                );
                files.extend(assessment);
                files.extend(plan);
                // Images and papers: it binds the assessment, minutes and
                // papers that show or are them.
                files.extend(c.attachments.iter().map(|a| a.path.clone()));
            }
        }
        // Children linked here by ref are named from their definition's file;
        // the context page's map shows its neighbours.
        for y in &c.young_people {
            let home = y
                .defined_in
                .as_deref()
                .and_then(|id| views.context_by_id(id));
            files.extend(home.map(|o| path(o.file)));
        }
        if matches!(self.doc, Document::ContextPage) {
            files.extend(views.neighbours(c).map(|o| path(o.file)));
        }
        files.retain(|f| !f.is_empty());
        files
    }
}

// ---------------------------------------------------------------- renderer

/// Everything shared by the documents of a build: the tera templates, the
/// typst templates and the typst engine (fonts and library), each loaded
/// once and used by every worker.
pub struct Renderer {
    pub html: HtmlTemplates,
    pub typst: TypstTemplates,
    pub engine: PdfEngine,
    /// Fingerprints of the template sources, for the cache keys.
    html_fingerprint: String,
    typst_fingerprint: String,
    /// The partnership's logo at its virtual path, for every PDF.
    logo: Option<crate::render::pdf::Asset>,
}

impl Renderer {
    /// The built-in templates, each replaced by the casebook's
    /// `templates/<name>` where it has one.
    pub fn load(casebook: &Path) -> Result<Renderer, BuildError> {
        let dir = casebook.join("templates");
        let html =
            HtmlTemplates::load(templates::HTML, Some(&dir)).map_err(BuildError::Templates)?;
        let typst = TypstTemplates::load(Some(&dir)).map_err(io_error(&dir))?;
        let html_fingerprint = cache::fingerprint(html.sources());
        let typst_fingerprint = cache::fingerprint(typst.sources());
        Ok(Renderer {
            html,
            typst,
            engine: PdfEngine::new(),
            html_fingerprint,
            typst_fingerprint,
            logo: None,
        })
    }

    /// Gives every PDF the casebook's logo (`logo:`), where the stamp of
    /// each document's data names it.
    pub fn with_logo(mut self, settings: &crate::model::Settings) -> Renderer {
        self.logo = settings
            .logo
            .as_ref()
            .map(|l| crate::render::pdf::Asset::new(l.virtual_path(), l.bytes.clone()));
        self
    }

    /// The HTML page at `path` (in the output folder) from a tera template.
    pub fn html(
        &self,
        template: &str,
        doc: &impl Serialize,
        path: &str,
    ) -> Result<Vec<u8>, String> {
        let root = "../".repeat(path.matches('/').count());
        self.html
            .render_at(template, doc, &root)
            .map(String::into_bytes)
            .map_err(|e| e.to_string())
    }

    /// A PDF from a typst document template: the data at `/data.json`, the
    /// library files beside it, the output path as the PDF's identifier.
    pub fn pdf(
        &self,
        template: &str,
        doc: &impl Serialize,
        title: &str,
        ident: &str,
        today: crate::model::Date,
    ) -> Result<Rendered, String> {
        let data = serde_json::to_vec(doc)
            .map_err(|e| format!("the document's data cannot be written as JSON: {e}"))?;
        self.pdf_from_data(template, &data, title, ident, today)
    }

    /// [`Renderer::pdf`] with the data already written as JSON.
    pub fn pdf_from_data(
        &self,
        template: &str,
        data: &[u8],
        title: &str,
        ident: &str,
        today: crate::model::Date,
    ) -> Result<Rendered, String> {
        self.pdf_with_files(template, data, title, ident, today, &[])
    }

    /// [`Renderer::pdf_from_data`] for a context's document, which may show
    /// the context's `files` (its images and papers) beside the logo.
    pub fn pdf_with_files(
        &self,
        template: &str,
        data: &[u8],
        title: &str,
        ident: &str,
        today: crate::model::Date,
        files: &[crate::render::pdf::Asset],
    ) -> Result<Rendered, String> {
        let main = self
            .typst
            .document(template)
            .ok_or_else(|| format!("there is no typst template named {template}"))?;
        let extra = self.typst.extra();
        let names = self.typst_names(template);
        let names: Vec<(&str, &str)> = names.iter().map(|(p, n)| (*p, n.as_str())).collect();
        let assets: Vec<crate::render::pdf::Asset> =
            self.logo.iter().chain(files).cloned().collect();
        let pdf = PdfDocument {
            extra: &extra,
            ident,
            names: &names,
            assets: &assets,
            ..PdfDocument::new(main, data, title, today)
        };
        self.engine.render(&pdf).map_err(|e| e.to_string())
    }

    /// The cache key of a document: its template and the sources of every
    /// template of its kind, its path, title and date, and its data.
    pub fn key(&self, template: &str, path: &str, title: &str, today: &str, data: &[u8]) -> String {
        let fingerprint = if template.ends_with(".typ") {
            &self.typst_fingerprint
        } else {
            &self.html_fingerprint
        };
        cache::key(&[
            template.as_bytes(),
            fingerprint.as_bytes(),
            path.as_bytes(),
            title.as_bytes(),
            today.as_bytes(),
            data,
        ])
    }

    /// A key over everything the documents of a context are made from:
    /// the settings and the context's records as read, what they show of
    /// other contexts (linked children, the map's neighbours), the date,
    /// the context's provenance line, the templates, and which documents
    /// there are. Equal keys mean equal documents.
    fn context_key(&self, views: &Views, c: &Context, jobs: &[&Job]) -> String {
        let sources = &views.casebook.sources;
        let text = |id: crate::source::FileId| sources.text(id).as_bytes();
        let mut parts: Vec<&[u8]> = vec![
            self.html_fingerprint.as_bytes(),
            self.typst_fingerprint.as_bytes(),
        ];
        let today = views.today.to_string();
        let provenance = views.stamp_of(c).provenance;
        // The linked children's definitions and the neighbouring contexts
        // of the map are written in other contexts' files.
        let outside = views.outside_inputs(c);
        parts.push(today.as_bytes());
        parts.push(provenance.as_bytes());
        parts.push(outside.as_bytes());
        if let Some(f) = views.casebook.settings.file {
            parts.push(text(f));
        }
        for f in c.files() {
            parts.push(sources.path(f).as_bytes());
            parts.push(text(f));
        }
        for a in &c.attachments {
            parts.push(a.path.as_bytes());
            parts.push(a.hash.as_bytes());
        }
        let logo = views
            .casebook
            .settings
            .logo
            .as_ref()
            .map(|l| l.virtual_path());
        parts.extend(logo.as_ref().map(String::as_bytes));
        parts.extend(jobs.iter().map(|j| j.path.as_bytes()));
        cache::key(&parts)
    }

    /// A key over everything a whole build is made from: the records and
    /// settings as read, the templates, the date, the provenance of the
    /// casebook and of each context, and which contexts the gate let
    /// through. (The build of contextpack is in every key; where the output
    /// goes is in none, as no document depends on it.) Equal keys mean an
    /// equal output folder.
    fn casebook_key(
        &self,
        checked: &Checked,
        history: &History,
        gate: &Gate,
        reissue: &[Quarter],
    ) -> String {
        let today = checked.today.to_string();
        let provenance = history.casebook.text();
        let mut parts: Vec<Vec<u8>> = Vec::new();
        for c in &checked.casebook.contexts {
            parts.push(c.id.clone().into_bytes());
            let text = history.contexts.get(&c.id).map(Provenance::text);
            parts.push(text.unwrap_or_default().into_bytes());
            for a in &c.attachments {
                parts.push(format!("{} {}", a.path, a.hash).into_bytes());
            }
        }
        if let Some(logo) = &checked.casebook.settings.logo {
            parts.push(logo.virtual_path().into_bytes());
        }
        parts.extend(gate.renderable.iter().map(|id| id.clone().into_bytes()));
        parts.extend(reissue.iter().map(|q| format!("reissue {q}").into_bytes()));
        for held in &gate.held_back {
            parts.push(format!("{} {} {}", held.context, held.errors, held.breaches).into_bytes());
        }
        for (path, errors, breaches) in &gate.casebook_wide {
            parts.push(format!("{path} {errors} {breaches}").into_bytes());
        }
        let mut refs: Vec<&[u8]> = vec![
            self.html_fingerprint.as_bytes(),
            self.typst_fingerprint.as_bytes(),
            today.as_bytes(),
            provenance.as_bytes(),
        ];
        refs.extend(parts.iter().map(Vec::as_slice));
        for (_, f) in checked.casebook.sources.iter() {
            refs.push(f.path.as_bytes());
            refs.push(f.text.as_bytes());
        }
        cache::key(&refs)
    }

    /// How a document's typst diagnostics name its files: the template
    /// files a reader can open, not typst's virtual paths.
    fn typst_names(&self, template: &str) -> Vec<(&str, String)> {
        let mut names = vec![
            (MAIN_PATH, self.template_label(template)),
            (DATA_PATH, "the document's data (data.json)".to_string()),
        ];
        for (path, _) in &self.typst.library {
            names.push((path, self.template_label(path.trim_start_matches('/'))));
        }
        names
    }

    /// `templates/agenda.typ` for a casebook's own template, `built-in
    /// template agenda.typ` otherwise.
    pub fn template_label(&self, name: &str) -> String {
        let own = format!("templates/{name}");
        let overridden = self.typst.overridden.contains(&own)
            || self.html.overrides().iter().any(|(n, _)| *n == name);
        if overridden {
            own
        } else {
            format!("built-in template {name}")
        }
    }

    /// The casebook's own template files (overrides), casebook-relative.
    pub fn own_template_files(&self) -> Vec<String> {
        let mut files: Vec<String> = self
            .html
            .overrides()
            .iter()
            .map(|(name, _)| format!("templates/{name}"))
            .chain(self.typst.overridden.iter().cloned())
            .collect();
        files.sort();
        files.dedup();
        files
    }

    /// The casebook's template files a document is made with: its own
    /// template, and the layout (`base.html`) or library files it builds on.
    fn template_inputs(&self, doc: Document) -> Vec<String> {
        let mut used = vec![doc.template().to_string()];
        match doc.format() {
            Format::Html => used.push("base.html".to_string()),
            Format::Pdf => used.extend(
                self.typst
                    .library
                    .iter()
                    .map(|(path, _)| path.trim_start_matches('/').to_string()),
            ),
            // Written by contextpack itself: no template to override.
            Format::Docx => {}
        }
        let overridden = self.own_template_files();
        used.iter()
            .map(|name| format!("templates/{name}"))
            .filter(|file| overridden.contains(file))
            .collect()
    }

    /// One document: linked from the previous output when its key is
    /// unchanged, rendered otherwise.
    #[allow(clippy::too_many_arguments)]
    fn make<D: Serialize>(
        &self,
        reuse: &Reuse,
        staging: &Staging,
        job: &Job,
        doc: &D,
        title: &str,
        today: crate::model::Date,
        word: Option<Word<D>>,
    ) -> Result<Made, Failure> {
        let template = job.doc.template();
        let failed = |message: String| {
            Failure::Document(DocumentError {
                path: job.path.clone(),
                template: self.template_label(template),
                message,
            })
        };
        let data = serde_json::to_vec(doc).map_err(|e| {
            failed(format!(
                "the document's data cannot be written as JSON: {e}"
            ))
        })?;
        let key = self.key(template, &job.path, title, &today.to_string(), &data);
        if let Some((entry, file)) = reuse.previous.reusable(&job.path, &key) {
            return Ok(reuse.take(&job.path, entry, file));
        }
        let bytes = match job.doc.format() {
            Format::Html => self.html(template, doc, &job.path).map_err(failed)?,
            Format::Pdf => {
                let files = files_of(job).map_err(failed)?;
                self.pdf_with_files(template, &data, title, &job.path, today, &files)
                    .map_err(failed)?
                    .pdf
            }
            Format::Docx => match word {
                Some(write) => write(doc).map_err(failed)?,
                None => return Err(failed("this document has no Word version".to_string())),
            },
        };
        reuse.written(staging, &job.path, key, &bytes)
    }

    /// The bytes of one document, or the previous build's copy of them.
    fn render(
        &self,
        views: &Views,
        reuse: &Reuse,
        staging: &Staging,
        job: &Job,
        bindery: &packs::Bindery,
    ) -> Result<Made, Failure> {
        let c = job.context;
        let today = views.today;
        use crate::render::docx;
        match job.doc {
            Document::ContextPage => {
                self.make(reuse, staging, job, &views.context_doc(c), "", today, None)
            }
            Document::Plan(_) => {
                let d = views.plan_doc(c);
                self.make(reuse, staging, job, &d, &d.title, today, Some(docx::plan))
            }
            Document::Assessment(_) => {
                let d = views.assessment_doc(c);
                self.make(reuse, staging, job, &d, &d.title, today, None)
            }
            Document::Agenda(m, _) => {
                let d = views.agenda_doc(c, m);
                self.make(reuse, staging, job, &d, &d.title, today, Some(docx::agenda))
            }
            Document::Minutes(m, _) => {
                let d = views.minutes_doc(c, m);
                self.make(
                    reuse,
                    staging,
                    job,
                    &d,
                    &d.title,
                    today,
                    Some(docx::minutes),
                )
            }
            Document::Pack(m) if self.binds_packs() => {
                self.bound_pack(views, reuse, staging, job, m, bindery)
            }
            Document::Pack(m) => {
                let d = views.pack_doc(c, m);
                self.make(reuse, staging, job, &d, &d.title, today, None)
            }
        }
    }
}

/// The images of the contexts built, copied beside their pages
/// (`restricted/<context>/images/<name>`), where the pages' `<img>` find
/// them.
fn image_copies(contexts: &[&Context]) -> Vec<CasebookFile> {
    contexts
        .iter()
        .flat_map(|c| {
            c.attachments
                .iter()
                .filter(|a| a.format.is_image())
                .map(|a| CasebookFile {
                    path: format!("restricted/{}/images/{}", c.id, a.file_name()),
                    bytes: a.bytes.to_vec(),
                    inputs: vec![a.path.clone()],
                })
        })
        .collect()
}

/// The logo at the top of the output folder, where every page's masthead
/// finds it.
fn logo_copy(settings: &crate::model::Settings) -> Option<CasebookFile> {
    let logo = settings.logo.as_ref()?;
    Some(CasebookFile {
        path: logo.virtual_path().trim_start_matches('/').to_string(),
        bytes: logo.bytes.clone(),
        inputs: vec![logo.path.value.clone()],
    })
}

/// The files a PDF of a context may show, at their virtual paths: the
/// context's images, and for a pack the pages of its meeting's PDF papers
/// (drawn here, for that pack only).
fn files_of(job: &Job) -> Result<Vec<crate::render::pdf::Asset>, String> {
    use crate::render::{paper, pdf::Asset};
    let c = job.context;
    let mut files: Vec<Asset> = c
        .attachments
        .iter()
        .filter(|a| a.format.is_image())
        .map(|a| Asset::shared(a.virtual_path(), a.bytes.clone()))
        .collect();
    if let Document::Pack(m) = job.doc {
        let pdfs = m
            .papers
            .iter()
            .filter_map(|p| c.attachment(p.path.as_deref()?))
            .filter(|a| a.format == crate::model::AttachmentFormat::Pdf);
        for a in pdfs {
            let pages = paper::pages_as_svg(&a.bytes)
                .map_err(|why| format!("paper `{}`: {why}", a.path))?;
            for (i, svg) in pages.into_iter().enumerate() {
                files.push(Asset::new(
                    paper::page_path(&a.virtual_path(), i + 1),
                    svg.into_bytes(),
                ));
            }
        }
    }
    Ok(files)
}

/// How a document's view becomes its Word file ([`crate::render::docx`]).
type Word<D> = fn(&D) -> Result<Vec<u8>, String>;

/// The previous build's keys and this build's, shared by the workers.
pub struct Reuse {
    pub previous: cache::Previous,
    pub keys: cache::Keys,
}

/// A document of this build: rendered into the staging folder, or the
/// previous build's file, linked in only if the output has to be replaced.
struct Made {
    sha256: String,
    bytes: u64,
    previous: Option<std::path::PathBuf>,
}

impl Reuse {
    /// The previous build's file at `path`, keeping its key, or `None`
    /// when it is not there.
    fn previous_file(&self, path: &str) -> Option<Made> {
        let (entry, file) = self.previous.existing(path)?;
        Some(self.take(path, entry, file))
    }

    /// Reuses the previous build's `file`, made as `entry`, for `path`,
    /// keeping its key for the next build.
    fn take(&self, path: &str, entry: &cache::Entry, file: std::path::PathBuf) -> Made {
        self.keys.insert(path, entry.clone());
        Made {
            sha256: entry.sha256.clone(),
            bytes: entry.bytes,
            previous: Some(file),
        }
    }

    /// Writes a document rendered now into the staging folder and keeps
    /// its key for the next build.
    fn written(
        &self,
        staging: &Staging,
        path: &str,
        key: String,
        bytes: &[u8],
    ) -> Result<Made, Failure> {
        staging.write(path, bytes).map_err(Failure::Io)?;
        let sha256 = manifest::sha256(bytes);
        let size = bytes.len() as u64;
        self.keys.insert(
            path,
            cache::Entry {
                key,
                sha256: sha256.clone(),
                bytes: size,
                text: None,
            },
        );
        Ok(Made {
            sha256,
            bytes: size,
            previous: None,
        })
    }

    /// Reuses nothing: every output is rendered.
    pub fn none() -> Reuse {
        Reuse {
            previous: cache::Previous::none(),
            keys: cache::Keys::default(),
        }
    }

    /// Reuses what the output folder at `out` holds.
    pub fn from(out: &Path) -> Reuse {
        Reuse {
            previous: cache::Previous::load(out),
            keys: cache::Keys::default(),
        }
    }
}

// ---------------------------------------------------------------- build

/// What a build did.
#[derive(Debug, Clone)]
pub struct Built {
    /// Documents written, the manifest aside.
    pub documents: usize,
    /// Restricted documents rendered by this build.
    pub rendered: usize,
    /// Restricted documents unchanged since the previous build, taken from
    /// its output instead of rendered.
    pub reused: usize,
    /// Contexts rendered.
    pub contexts: usize,
    pub provenance: Provenance,
    /// The output folder already held exactly what this build makes, from
    /// the same inputs, so it was left as it was.
    pub unchanged: bool,
}

/// What a build tells its caller as it goes.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// The records are being loaded and checked.
    Loading,
    /// The records are checked: every diagnostic, before anything renders.
    Checked(&'a Checked),
    /// The documents are about to be rendered: how many there are.
    Rendering { total: usize },
    /// One more document is done (rendered or reused): how many so far.
    Document { done: usize, total: usize },
    /// The anonymised summaries, dashboard and calendar are being made.
    Summaries,
    /// Everything is rendered; the output is being written and swapped in.
    Writing,
}

/// Called from the render threads as the build goes.
pub type Progress<'a> = &'a (dyn Fn(Event) + Sync);

/// The casebook's own template files, as they are on disk now.
fn own_templates(root: &Path, renderer: &Renderer) -> Vec<(String, Vec<u8>)> {
    renderer
        .own_template_files()
        .into_iter()
        .filter_map(|path| {
            crate::fs_guard::read_inside(root, &path, crate::render::templates::MAX_TEMPLATE_BYTES)
                .ok()
                .map(|bytes| (path, bytes))
        })
        .collect()
}

/// The provenance of the casebook and each context, from the files a build
/// read: every record as it was read, and the casebook's own templates.
pub fn history(target: &Target, checked: &Checked, renderer: &Renderer) -> History {
    let attachments = checked
        .casebook
        .contexts
        .iter()
        .flat_map(|c| &c.attachments);
    let paths: Vec<(String, &[u8])> = checked
        .casebook
        .sources
        .iter()
        .map(|(_, f)| (f.path.replace('\\', "/"), f.text.as_bytes()))
        .chain(attachments.map(|a| (a.path.clone(), &*a.bytes)))
        .collect();
    let templates = own_templates(&target.casebook, renderer);
    let read: Vec<git::FileRead> = paths
        .iter()
        .map(|(path, bytes)| git::FileRead { path, bytes })
        .chain(
            templates
                .iter()
                .map(|(path, bytes)| git::FileRead { path, bytes }),
        )
        .collect();
    let ids: Vec<&str> = checked
        .casebook
        .contexts
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    git::history(&target.casebook, &read, &ids)
}

/// Renders the contexts `gate` lets through into `target.out`, replacing it
/// whole, or changes nothing and says why. Documents whose inputs did not
/// change since the build that made `target.out` are taken from it.
pub fn build(
    checked: &Checked,
    target: &Target,
    gate: &Gate,
    progress: Option<Progress>,
    reissue: &[Quarter],
) -> Result<Built, BuildError> {
    let casebook = &checked.casebook;
    let staging = Staging::new(&target.out)?;
    let renderer = Renderer::load(&target.casebook)?.with_logo(&casebook.settings);
    let history = history(target, checked, &renderer);
    let provenance = history.casebook.clone();
    let mut views = Views::new(casebook, checked.today, &provenance.text());
    views.context_provenance = history
        .contexts
        .iter()
        .map(|(id, p)| (id.clone(), p.text()))
        .collect();
    let renderable: std::collections::HashSet<&str> =
        gate.renderable.iter().map(String::as_str).collect();
    let contexts: Vec<&Context> = casebook
        .contexts
        .iter()
        .filter(|c| renderable.contains(c.id.as_str()))
        .collect();
    let jobs = jobs(&contexts);
    let reuse = Reuse::from(&target.out);
    let whole_key = renderer.casebook_key(checked, &history, gate, reissue);
    if let Some(documents) = reuse.previous.unchanged(&whole_key) {
        return Ok(Built {
            documents,
            rendered: 0,
            reused: jobs.len(),
            contexts: contexts.len(),
            provenance,
            unchanged: true,
        });
    }

    // Refused before anything is rendered: a summary a forum holds would
    // change.
    let summaries = summaries::settled(checked, gate, reissue)?;

    let done = AtomicUsize::new(0);
    let reused_count = AtomicUsize::new(0);
    let tell = |event| {
        if let Some(report) = progress {
            report(event);
        }
    };
    tell(Event::Rendering { total: jobs.len() });
    let groups = by_context(&jobs);
    type Outcome = Result<(OutputEntry, Option<std::path::PathBuf>), Failure>;
    let results: Vec<Vec<Outcome>> = pool::run(groups, |group| {
        // A pack holds the agenda, the plan and the previous minutes:
        // rendered after them on the same thread, it lays them out again
        // from typst's cache.
        // A context none of whose inputs changed is linked whole, without
        // building its documents' data.
        let context_key = group
            .first()
            .map(|j| renderer.context_key(&views, j.context, &group));
        let unchanged = match (group.first(), &context_key) {
            (Some(j), Some(key)) => reuse.previous.same_context(&j.context.id, key),
            _ => false,
        };
        if let (Some(j), Some(key)) = (group.first(), context_key) {
            reuse.keys.insert_context(&j.context.id, key);
        }
        let mut bindery = packs::Bindery::default();
        let results = group
            .iter()
            .map(|job| {
                let previous = if unchanged {
                    reuse.previous_file(&job.path)
                } else {
                    None
                };
                let made = match previous {
                    Some(made) => Ok(made),
                    None => renderer.render(&views, &reuse, &staging, job, &bindery),
                };
                // Kept when linked from the previous output too: a pack
                // deleted from it is bound again from its parts there.
                if let Ok(made) = &made {
                    bindery.keep(job, made);
                }
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                tell(Event::Document {
                    done: n,
                    total: jobs.len(),
                });
                made.map(|made| {
                    if made.previous.is_some() {
                        reused_count.fetch_add(1, Ordering::Relaxed);
                    }
                    let mut inputs = job.inputs(&views);
                    inputs.extend(renderer.template_inputs(job.doc));
                    inputs.sort();
                    inputs.dedup();
                    let entry = OutputEntry {
                        path: job.path.clone(),
                        sha256: made.sha256,
                        bytes: made.bytes,
                        inputs,
                    };
                    (entry, made.previous)
                })
            })
            .collect();
        renderer.engine.trim_caches();
        results
    });
    let mut outputs = Vec::with_capacity(jobs.len());
    let mut previous_files = Vec::new();
    let mut failed = Vec::new();
    for result in results.into_iter().flatten() {
        match result {
            Ok((entry, previous)) => {
                if let Some(file) = previous {
                    previous_files.push((entry.path.clone(), file));
                }
                outputs.push(entry);
            }
            Err(Failure::Io(e)) => return Err(BuildError::Output(e)),
            Err(Failure::Document(e)) => failed.push(e),
        }
    }
    if !failed.is_empty() {
        failed.sort_by(|a, b| a.path.cmp(&b.path));
        return Err(BuildError::Documents(failed));
    }
    let reused = reused_count.into_inner();
    let rendered = jobs.len() - reused;

    // Made from the whole casebook, after the documents, so the dashboard
    // can link to everything that exists.
    tell(Event::Summaries);
    let summaries =
        summaries::render_summaries(&renderer, checked, &provenance, summaries, &reuse)?;
    let calendar = calendar::render(checked, gate)?;
    let children = dashboard::young_people(&renderer, checked, &views, gate)?;
    let mut whole: Vec<CasebookFile> = summaries
        .into_iter()
        .chain(calendar)
        .chain(children)
        .chain(image_copies(&contexts))
        .chain(logo_copy(&casebook.settings))
        .collect();
    let listed: Vec<&str> = outputs
        .iter()
        .map(|o| o.path.as_str())
        .chain(whole.iter().map(|f| f.path.as_str()))
        .collect();
    let dashboard = dashboard::render(&renderer, checked, &views, gate, &listed)?;
    whole.extend(dashboard);
    for file in &whole {
        let mut inputs = file.inputs.clone();
        inputs.sort();
        inputs.dedup();
        outputs.push(OutputEntry {
            path: file.path.clone(),
            sha256: manifest::sha256(&file.bytes),
            bytes: file.bytes.len() as u64,
            inputs,
        });
    }

    tell(Event::Writing);
    let mut manifest = Manifest::new(checked.today.to_string(), &provenance);
    manifest.inputs = hash_inputs(&target.casebook, checked, &outputs)?;
    manifest.not_rendered = gate.held_back.clone();
    manifest.outputs = outputs;
    let documents = manifest.outputs.len();
    let manifest_bytes = manifest.to_bytes();
    let sum = |bytes: &[u8]| cache::Sum {
        sha256: manifest::sha256(bytes),
        bytes: bytes.len() as u64,
    };
    let mut files: std::collections::BTreeMap<String, cache::Sum> = whole
        .iter()
        .map(|f| (f.path.clone(), sum(&f.bytes)))
        .collect();
    files.insert(MANIFEST.to_string(), sum(&manifest_bytes));
    reuse.keys.set_casebook(cache::Whole {
        key: whole_key,
        documents,
        files,
    });
    for (path, file) in &previous_files {
        staging.link(path, file)?;
    }
    for file in &whole {
        staging.write(&file.path, &file.bytes)?;
    }
    staging.write(MANIFEST, &manifest_bytes)?;
    staging.write(cache::FILE, &reuse.keys.to_bytes())?;
    staging.commit()?;
    Ok(Built {
        documents,
        rendered,
        reused,
        contexts: contexts.len(),
        provenance,
        unchanged: false,
    })
}

enum Failure {
    Io(OutputError),
    Document(DocumentError),
}

/// Every input named by an output, hashed as it was read (records) or as
/// it is on disk now (templates), so the hashes can be checked with
/// `sha256sum`.
fn hash_inputs(
    root: &Path,
    checked: &Checked,
    outputs: &[OutputEntry],
) -> Result<Vec<FileEntry>, OutputError> {
    let mut paths: Vec<&str> = outputs
        .iter()
        .flat_map(|o| o.inputs.iter().map(String::as_str))
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let attachments = checked
        .casebook
        .contexts
        .iter()
        .flat_map(|c| &c.attachments);
    let read: std::collections::HashMap<&str, &[u8]> = checked
        .casebook
        .sources
        .iter()
        .map(|(_, f)| (f.path.as_str(), f.text.as_bytes()))
        .chain(attachments.map(|a| (a.path.as_str(), &*a.bytes)))
        .collect();
    paths
        .into_iter()
        .map(|p| {
            let entry = |bytes: &[u8]| FileEntry {
                path: p.to_string(),
                sha256: manifest::sha256(bytes),
                bytes: bytes.len() as u64,
            };
            match read.get(p) {
                Some(bytes) => Ok(entry(bytes)),
                None => crate::fs_guard::read_inside(
                    root,
                    p,
                    crate::render::templates::MAX_TEMPLATE_BYTES,
                )
                .map(|bytes| entry(&bytes))
                .map_err(|e| io_error(&root.join(p))(std::io::Error::other(e.to_string()))),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_of_a_meeting_has_a_renderer() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let Ok(checked) = crate::check_casebook(root, None) else {
            panic!("the sample casebook loads");
        };
        let contexts: Vec<&Context> = checked.casebook.contexts.iter().collect();
        let jobs = jobs(&contexts);
        let meetings: usize = contexts.iter().map(|c| c.meetings.len()).sum();
        assert!(jobs.len() > 3 * contexts.len() + meetings, "{}", jobs.len());
        let mut paths: Vec<&str> = jobs.iter().map(|j| j.path.as_str()).collect();
        paths.sort_unstable();
        let before = paths.len();
        paths.dedup();
        assert_eq!(before, paths.len(), "two documents share a path");
    }
}
