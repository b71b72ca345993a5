//! Meeting packs bound from documents already rendered.
//!
//! A pack holds its meeting's agenda, the context assessment, the plan as
//! it stood and the minutes of the meetings since the last conference:
//! documents the same build renders on their own, a few jobs earlier on
//! the same thread (the plan is `action-plan.pdf` when no action was
//! agreed after the meeting). Laying them out and writing them again was
//! half of a cold build, so a pack renders only the pages that are its own
//! (the cover with its contents and the chair's briefing; the connected
//! contexts, and the plan when it has changed since; the papers) and binds
//! them with the others' PDFs as they were written (`render::bind`). A
//! casebook whose own `templates/pack.typ` lays out the whole pack keeps
//! that.

use super::output::Staging;
use super::{Failure, Job, Made, Renderer, Reuse, files_of};
use crate::model::{Context, Meeting};
use crate::render::bind::{self, Part};
use crate::render::document::{Document, Format};
use crate::render::view::{self, ContentsEntry, PackDoc, PackPartDoc, Views};
use std::collections::HashMap;
use std::path::PathBuf;

/// The template of a bound pack's own pages.
pub const PARTS_TEMPLATE: &str = "pack-parts.typ";

/// The PDFs a context's packs bind, as the context's jobs make them: their
/// hash, and the previous build's file where it was kept (the staging
/// folder holds the others). Only names are held, never bytes: a context
/// may have thousands of meetings.
#[derive(Default)]
pub struct Bindery {
    parts: HashMap<String, (String, Option<PathBuf>)>,
}

impl Bindery {
    /// Keeps what a pack may bind: the PDF agendas, assessments, action
    /// plans and minutes.
    pub fn keep(&mut self, job: &Job, made: &Made) {
        let bound = matches!(
            job.doc,
            Document::Agenda(_, Format::Pdf)
                | Document::Minutes(_, Format::Pdf)
                | Document::Assessment(Format::Pdf)
                | Document::Plan(Format::Pdf)
        );
        if bound {
            self.parts.insert(
                job.path.clone(),
                (made.sha256.clone(), made.previous.clone()),
            );
        }
    }

    fn hash(&self, path: &str) -> Option<&str> {
        self.parts.get(path).map(|(hash, _)| hash.as_str())
    }

    fn bytes(&self, path: &str, staging: &Staging) -> Result<Vec<u8>, String> {
        let file = match self.parts.get(path) {
            Some((_, Some(previous))) => previous.clone(),
            Some((_, None)) => staging.path_of(path).map_err(|e| e.to_string())?,
            None => return Err(format!("{path} was not rendered")),
        };
        std::fs::read(&file).map_err(|e| format!("{path} cannot be read back: {e}"))
    }
}

/// A document a pack binds as it was rendered, and its bookmark's title.
struct Bound {
    path: String,
    title: String,
}

/// What a pack binds between its own pages, in order.
struct Binding {
    /// The agenda and the assessment, after the cover and briefing.
    before: Vec<Bound>,
    /// The action plan, after the connected contexts, when the plan as it
    /// stood on the meeting's day is the plan as it is: then its pages are
    /// `action-plan.pdf`'s and not laid out again.
    plan: Option<Bound>,
    /// The minutes since the last conference, after the plan.
    minutes: Vec<Bound>,
}

impl Binding {
    fn all(&self) -> impl Iterator<Item = &Bound> {
        self.before.iter().chain(&self.plan).chain(&self.minutes)
    }
}

fn bound_documents(c: &Context, m: &Meeting, plan_bound: bool) -> Binding {
    let mut before = vec![Bound {
        path: Document::Agenda(m, Format::Pdf).path(c),
        title: "Agenda".to_string(),
    }];
    if c.assessment.is_some() {
        before.push(Bound {
            path: Document::Assessment(Format::Pdf).path(c),
            title: "Context assessment".to_string(),
        });
    }
    let minutes = view::minutes_since_conference(c, m)
        .into_iter()
        .map(|p| Bound {
            path: Document::Minutes(p, Format::Pdf).path(c),
            title: format!(
                "Minutes: {}, {}",
                p.kind.value.label().to_lowercase(),
                p.date.value.format("%-d %B %Y")
            ),
        })
        .collect();
    let plan = plan_bound.then(|| Bound {
        path: Document::Plan(Format::Pdf).path(c),
        title: "Action plan".to_string(),
    });
    Binding {
        before,
        plan,
        minutes,
    }
}

impl Renderer {
    /// Whether packs are bound: unless the casebook's own `pack.typ` (one
    /// that is not a copy of the built-in) lays them out itself.
    pub fn binds_packs(&self) -> bool {
        self.built_in("pack.typ")
    }

    /// Whether a pack may bind the action plan as rendered: its own pages
    /// come from the built-in `pack-parts.typ`, which can lay out the
    /// connected contexts without the plan.
    fn binds_plan(&self) -> bool {
        self.built_in(PARTS_TEMPLATE)
    }

    fn built_in(&self, template: &str) -> bool {
        let built_in = crate::render::templates::TYPST_DOCUMENTS
            .iter()
            .find(|(name, _)| *name == template)
            .map(|(_, source)| *source);
        self.typst.document(template) == built_in
    }

    /// The pack of `m`, bound from its own pages and the PDFs of `bindery`,
    /// or the previous build's when nothing it is made of changed.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn bound_pack(
        &self,
        views: &Views,
        reuse: &Reuse,
        staging: &Staging,
        job: &Job,
        m: &Meeting,
        bindery: &Bindery,
    ) -> Result<Made, Failure> {
        let c = job.context;
        let today = views.today;
        let failed = |message: String| {
            Failure::Document(super::DocumentError {
                path: job.path.clone(),
                template: self.template_label(PARTS_TEMPLATE),
                message,
            })
        };
        // The bound documents are keyed by their hashes below, not their data.
        let pack = views.pack_own_doc(c, m);
        let plan_bound = self.binds_plan() && view::plan_unchanged_since(c, m.date.value);
        let binding = bound_documents(c, m, plan_bound);
        let mut keyed = serde_json::to_vec(&pack).map_err(|e| failed(e.to_string()))?;
        for b in binding.all() {
            let hash = bindery
                .hash(&b.path)
                .ok_or_else(|| failed(format!("it binds {}, which was not rendered", b.path)))?;
            keyed.extend_from_slice(hash.as_bytes());
        }
        let key = self.key(
            PARTS_TEMPLATE,
            &job.path,
            &pack.title,
            &today.to_string(),
            &keyed,
        );
        if let Some((entry, file)) = reuse.previous.reusable(&job.path, &key) {
            return Ok(reuse.take(&job.path, entry, file));
        }
        let bytes = self
            .bind_pack(&pack, job, today, &binding, bindery, staging)
            .map_err(failed)?;
        reuse.written(staging, &job.path, key, &bytes)
    }

    fn bind_pack(
        &self,
        pack: &PackDoc,
        job: &Job,
        today: crate::model::Date,
        binding: &Binding,
        bindery: &Bindery,
        staging: &Staging,
    ) -> Result<Vec<u8>, String> {
        let files = files_of(job)?;
        let own = |part: &'static str, contents: Vec<ContentsEntry>| {
            let doc = PackPartDoc {
                part,
                pack,
                contents,
            };
            let data = serde_json::to_vec(&doc)
                .map_err(|e| format!("the document's data cannot be written as JSON: {e}"))?;
            let ident = format!("{}#{part}", job.path);
            let title = if part == "cover" {
                pack.title.as_str()
            } else {
                ""
            };
            self.pdf_with_files(PARTS_TEMPLATE, &data, title, &ident, today, &files)
                .map(|r| r.pdf)
        };
        let read = |bound: &[Bound]| {
            bound
                .iter()
                .map(|b| bindery.bytes(&b.path, staging))
                .collect::<Result<Vec<_>, _>>()
        };
        let before_bytes = read(&binding.before)?;
        let minutes_bytes = read(&binding.minutes)?;
        let plan_bytes = read(binding.plan.as_slice())?;
        // The plan's own part: the connected contexts and the plan as it
        // stood, or the connected contexts alone (when there are any)
        // before the plan bound as rendered.
        let own_plan = match &binding.plan {
            None => Some((
                "Connected contexts and action plan",
                own("plan", Vec::new())?,
            )),
            Some(_) if pack.map.nodes.is_empty() => None,
            Some(_) => Some(("Connected contexts", own("connected", Vec::new())?)),
        };
        let papers = if pack.papers.is_empty() {
            None
        } else {
            Some(own("papers", Vec::new())?)
        };

        // Every part after the cover, in order.
        let mut rest: Vec<Part> = Vec::new();
        for (b, bytes) in binding.before.iter().zip(&before_bytes) {
            rest.push(Part::read(&b.title, bytes)?);
        }
        if let Some((title, pdf)) = &own_plan {
            rest.push(Part::read(title, pdf)?);
        }
        for (b, bytes) in binding.plan.iter().zip(&plan_bytes) {
            rest.push(Part::read(&b.title, bytes)?);
        }
        for (b, bytes) in binding.minutes.iter().zip(&minutes_bytes) {
            rest.push(Part::read(&b.title, bytes)?.renamed());
        }
        if let Some(papers) = &papers {
            rest.push(Part::read("Papers", papers)?);
        }

        let cover = own("cover", contents(&rest)?)?;
        let mut parts = vec![Part::read("Cover and briefing for the chair", &cover)?];
        parts.extend(rest);
        bind::bind(&parts)
    }
}

/// The cover's contents for the parts bound after it: each part's
/// bookmarks, and the page they lead to counted from the cover's last.
fn contents(rest: &[Part]) -> Result<Vec<ContentsEntry>, String> {
    let mut entries = Vec::new();
    let mut first = 0;
    for part in rest {
        for (title, page) in part.bookmarks()? {
            entries.push(ContentsEntry {
                title,
                after: first + page + 1,
            });
        }
        first += part.pages();
    }
    Ok(entries)
}
