//! What the documents show: the records turned into plain data, the same for
//! the HTML templates (tera) and the PDF templates (typst reads it as JSON).
//!
//! Every text from a record travels as a string field; templates print it,
//! they never evaluate it. Markdown travels twice: as source for the HTML
//! `markdown` filter and as a node tree for typst (`markdown.typ`).

use crate::model::{
    Action, AgendaItem, AgendaItemId, Assessment, Attendance, Casebook, Context, Date, Domain,
    Meeting, MeetingStatus, Settings,
};
use crate::render::{document, markdown};
use serde::Serialize;
use serde_json::Value;

pub use crate::deadline::{DUE_SOON_DAYS, Mark};

/// What every page carries: the partnership, the marking, the date the
/// documents were built for and the commit they were built from.
#[derive(Debug, Clone, Serialize)]
pub struct Stamp {
    pub partnership: String,
    pub marking: String,
    /// "records version 1a2b3c4", "... with uncommitted changes", or
    /// "records not under version control".
    pub provenance: String,
    pub today: String,
    /// "Issued 27 November 2026": the build's date, as the footer says it.
    pub issued: String,
    /// The partnership's changes to the protocol (`rules:`), printed on
    /// every document so no reader takes a lowered rule for the protocol.
    pub protocol_changes: Vec<StampChange>,
    /// The logo's virtual path in a PDF's world ([`crate::model::Logo`]),
    /// when `logo:` is set.
    pub logo: Option<String>,
    /// Its copy's name at the top of the output folder, for the HTML pages.
    pub logo_file: Option<String>,
}

/// One entry of `rules:`, as a document prints it.
#[derive(Debug, Clone, Serialize)]
pub struct StampChange {
    pub rule: String,
    /// `off`, `error`, `breach` or `warning`.
    pub level: String,
    /// The kind PROTOCOL.md gives the rule.
    pub protocol_kind: String,
    pub reason: String,
}

impl Stamp {
    pub fn new(settings: &Settings, provenance: &str, today: Date) -> Self {
        Stamp {
            partnership: settings.partnership.clone(),
            marking: settings.marking.clone(),
            provenance: provenance.to_string(),
            today: today.to_string(),
            issued: format!("Issued {}", day_month_year(today)),
            protocol_changes: settings
                .rules
                .iter()
                .map(|c| StampChange {
                    rule: c.rule.value.as_str().to_string(),
                    level: c.level_name().to_string(),
                    protocol_kind: c.rule.value.kind().as_str().to_string(),
                    reason: c.reason().to_string(),
                })
                .collect(),
            logo: settings.logo.as_ref().map(crate::model::Logo::virtual_path),
            logo_file: settings
                .logo
                .as_ref()
                .map(|l| l.virtual_path().trim_start_matches('/').to_string()),
        }
    }

    /// The stamp of an anonymised summary: `anonymised_marking` in place of
    /// `marking`, so no anonymised page claims to be restricted (or the reverse).
    pub fn anonymised(settings: &Settings, provenance: &str, today: Date) -> Self {
        Stamp {
            marking: settings.anonymised_marking.clone(),
            ..Stamp::new(settings, provenance, today)
        }
    }
}

/// A person or a free-text name, with their agency.
#[derive(Debug, Clone, Serialize)]
pub struct Who {
    /// The person's name, the free-text name, or empty when only an agency is known.
    pub name: String,
    pub agency: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContextView {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub kind_label: String,
    pub area: String,
    pub opened: String,
    pub closed: Option<String>,
    pub lead_practitioner: Who,
    pub managed_by: String,
    pub harms: Vec<String>,
    pub young_people: Vec<YoungPersonView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct YoungPersonView {
    pub reference: String,
    pub name: String,
    pub age: Option<u32>,
    pub role: String,
    /// `young_people/<file>.html` under `restricted/`: their own page.
    pub page: String,
    pub linked: Option<String>,
    pub unlinked: Option<String>,
    /// The other contexts they are linked to (href from this context's folder).
    pub also_in: Vec<Link>,
}

/// `restricted/young_people/<file>.html`: one young person across the
/// casebook.
#[derive(Debug, Clone, Serialize)]
pub struct ChildDoc {
    pub stamp: Stamp,
    pub title: String,
    pub reference: String,
    pub name: String,
    pub age: Option<u32>,
    pub contexts: Vec<ChildContext>,
    pub meetings: Vec<ChildMeeting>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChildContext {
    pub title: String,
    pub href: String,
    pub kind_label: String,
    pub role: String,
    /// The day linked: the entry's `linked`, else the context's opening.
    pub linked: Option<String>,
    pub unlinked: Option<String>,
    pub closed: bool,
}

/// A meeting of one of their contexts while they were linked to it.
#[derive(Debug, Clone, Serialize)]
pub struct ChildMeeting {
    pub date: String,
    pub context: String,
    pub kind_label: String,
    pub status_label: String,
    pub links: Vec<Link>,
}

/// The details of a meeting and its agenda.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingView {
    /// The file name without `.md`, used in output paths.
    pub name: String,
    pub kind: String,
    /// "Initial conference", "Review conference", "Interim meeting".
    pub kind_label: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub venue: String,
    pub venue_agreed_by: Vec<String>,
    pub status: String,
    pub status_label: String,
    pub chair: Option<Who>,
    pub chair_role: String,
    pub invited: Vec<Who>,
    pub agenda: Vec<AgendaItemView>,
    pub plan_discussion_minutes: u32,
    pub plan_discussion_min: u32,
    pub moved: Option<MovedView>,
    /// The papers sent with the agenda.
    pub papers: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgendaItemView {
    pub number: usize,
    /// Clock time the item starts, `HH:MM`.
    pub at: String,
    pub until: String,
    pub title: String,
    pub minutes: u32,
    pub plan_discussion: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct MovedView {
    pub to: String,
    pub chair_consent: bool,
    pub reason: String,
}

/// What a held meeting recorded.
#[derive(Debug, Clone, Serialize)]
pub struct MinutesView {
    pub attendance: Vec<AttendanceView>,
    /// Agencies absent, with who represented them ("" when no one did).
    pub apologies: Vec<AttendanceView>,
    pub confidentiality_statement_read: bool,
    pub partner_reports: Vec<String>,
    pub plan_shared_verbally: bool,
    pub body_md: String,
    pub body: Value,
    /// The images `body_md` may show, with their copies' addresses from
    /// the minutes' page: `[written, address]`.
    pub images: Vec<(String, String)>,
    /// Actions whose `agreed` is this meeting's date, by domain.
    pub actions_agreed: Vec<DomainView>,
    pub review: Option<ReviewView>,
    pub exceptions: Vec<ExceptionView>,
    pub learning: Vec<LearningView>,
    /// The goals the actions agreed here serve, once each, in the plan's
    /// order: the tables name them by id.
    pub goals: Vec<GoalView>,
    pub minute_taker: Option<Who>,
    pub approved: Option<ApprovalView>,
    /// Agency and forum names.
    pub circulated_to: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApprovalView {
    pub date: String,
    pub by: Option<Who>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttendanceView {
    pub agency: String,
    pub name: String,
    pub absent: bool,
    pub represented_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewView {
    pub date: String,
    pub agencies: Vec<String>,
    pub invitations_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExceptionView {
    pub rule: String,
    pub summary: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LearningView {
    pub text: String,
    pub forums: Vec<String>,
    pub themes: Vec<String>,
}

/// The action plan of a context.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub goals: Vec<GoalView>,
    pub domains: Vec<DomainView>,
    /// Counts of actions by mark, for the summary line.
    pub counts: MarkCounts,
    pub exceptions: Vec<ExceptionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalView {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DomainView {
    pub id: String,
    pub title: String,
    pub actions: Vec<ActionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    pub id: String,
    pub action: String,
    /// The goal's text, and its id: documents that list the goals name an
    /// action's goal by id rather than repeating the sentence.
    pub goal: String,
    pub goal_id: String,
    pub owner: Who,
    pub agreed: String,
    pub due: String,
    pub status: String,
    pub done: String,
    pub measure: String,
    /// The measure's readings as a chart, when it has any.
    pub chart: Option<super::chart::ChartView>,
    pub mark: Mark,
    pub updates: Vec<UpdateView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpdateView {
    pub date: String,
    pub note: String,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct MarkCounts {
    pub done: usize,
    pub on_track: usize,
    pub due_soon: usize,
    pub overdue: usize,
    pub dropped: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    pub date: String,
    pub lead_practitioner: Option<Who>,
    pub methods: Vec<String>,
    pub influencers: Vec<String>,
    pub weighting: Vec<WeightingView>,
    pub sections: Vec<SectionView>,
    /// The images the sections may show, with their copies' addresses
    /// from the context's folder: `[written, address]`.
    pub images: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeightingView {
    pub level: String,
    pub factor: String,
    pub weight: String,
    pub rationale: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub level: u8,
    pub heading: String,
    pub body_md: String,
    pub body: Value,
}

/// The papers of `m` that the loader found and read, for its pack.
fn papers(c: &Context, m: &Meeting) -> Vec<PaperView> {
    use crate::model::AttachmentFormat;
    m.papers
        .iter()
        .filter_map(|p| {
            let file = c.attachment(p.path.as_deref()?)?;
            let (kind, body) = match file.format {
                AttachmentFormat::Markdown => {
                    let text = std::str::from_utf8(&file.bytes).unwrap_or("");
                    (
                        "markdown",
                        markdown::to_typst_data(markdown::without_title(text)),
                    )
                }
                AttachmentFormat::Pdf => ("pdf", Value::Null),
                _ => return None,
            };
            Some(PaperView {
                title: p.heading(),
                file: p.file.value.clone(),
                kind,
                body,
                path: file.virtual_path(),
                pages: file.pages,
            })
        })
        .collect()
}

/// The images of a body that the loader found, each as written and where
/// the output finds its copy: `html` followed by the copy's name for a
/// page, its virtual path for typst (`None`).
fn image_paths(
    c: &Context,
    images: &[crate::model::ImageRef],
    html: Option<&str>,
) -> Vec<(String, String)> {
    images
        .iter()
        .filter_map(|i| {
            let found = c.attachment(i.path.as_deref()?)?;
            let at = match html {
                Some(prefix) => format!("{prefix}{}", found.file_name()),
                None => found.virtual_path(),
            };
            Some((i.written.value.clone(), at))
        })
        .collect()
}

// ---------------------------------------------------------------- documents

/// `agenda.html|.pdf`
#[derive(Debug, Clone, Serialize)]
pub struct AgendaDoc {
    pub stamp: Stamp,
    pub title: String,
    pub context: ContextView,
    pub meeting: MeetingView,
    pub confidentiality_statement: &'static str,
}

/// `minutes.html|.pdf`
#[derive(Debug, Clone, Serialize)]
pub struct MinutesDoc {
    pub stamp: Stamp,
    pub title: String,
    pub context: ContextView,
    pub meeting: MeetingView,
    pub minutes: MinutesView,
}

/// `action-plan.html|.pdf`
#[derive(Debug, Clone, Serialize)]
pub struct PlanDoc {
    pub stamp: Stamp,
    pub title: String,
    pub context: ContextView,
    pub plan: PlanView,
}

/// `pack.pdf`: cover, agenda, assessment, current plan, previous minutes.
#[derive(Debug, Clone, Serialize)]
pub struct PackDoc {
    pub stamp: Stamp,
    pub title: String,
    pub context: ContextView,
    pub meeting: MeetingView,
    pub confidentiality_statement: &'static str,
    pub assessment: Option<AssessmentView>,
    pub plan: PlanView,
    /// The minutes a chair needs: the last conference's and those of every
    /// interim meeting held since, oldest first.
    pub earlier_minutes: Vec<PreviousMinutes>,
    /// The context and those linked to it (hrefs unused in print).
    pub map: super::map::MapView,
    /// What the chair reads first.
    pub briefing: BriefingView,
    /// The meeting's papers, bound in after the minutes.
    pub papers: Vec<PaperView>,
}

/// One of the parts of a bound meeting pack that are its own
/// (`pack-parts.typ`): `cover` (the cover, with the page each part starts
/// on, and the chair's briefing), `plan` (connected contexts and the plan
/// as it stood), `connected` (the connected contexts alone, when the plan
/// is bound as rendered) or `papers`. The agenda, assessment, minutes and
/// an unchanged plan are bound in as they were rendered.
#[derive(Debug, Clone, Serialize)]
pub struct PackPartDoc<'p> {
    pub part: &'static str,
    #[serde(flatten)]
    pub pack: &'p PackDoc,
    /// For the cover: the parts bound after it and where they start.
    pub contents: Vec<ContentsEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContentsEntry {
    pub title: String,
    /// The page it starts on, counted from the cover part's last page.
    pub after: usize,
}

/// A paper bound into a pack: a Markdown paper as a tree, a PDF's pages
/// as images of its virtual path.
#[derive(Debug, Clone, Serialize)]
pub struct PaperView {
    pub title: String,
    /// The file's path from the context's folder.
    pub file: String,
    /// `markdown` or `pdf`.
    pub kind: &'static str,
    pub body: Value,
    pub path: String,
    pub pages: usize,
}

/// The pack's briefing for the chair: when the review falls due, the
/// breaches already explained, and what moved in the plan since the last
/// conference. The young people and harm types come from the context.
#[derive(Debug, Clone, Serialize)]
pub struct BriefingView {
    /// The latest date this meeting may be held on, when it is a review:
    /// `review_within_months` from the conference before it.
    pub this_review_due: Option<ReviewBy>,
    /// The latest date of the review this conference must agree.
    pub next_review_by: String,
    pub within_months: u32,
    /// Explained breaches recorded up to this meeting's date.
    pub exceptions: Vec<ExceptionAt>,
    /// The last conference held before this meeting, `YYYY-MM-DD`; empty
    /// for a first conference.
    pub since: String,
    /// Actions agreed, done, dropped or updated since then, by date.
    pub changes: Vec<PlanChange>,
}

/// One change to an action between two conferences.
#[derive(Debug, Clone, Serialize)]
pub struct PlanChange {
    pub date: String,
    pub id: String,
    pub action: String,
    /// `added`, `done`, `dropped`, `re-dated` or `updated`.
    pub change: &'static str,
    /// The update's note, for `updated`, `re-dated` and `dropped`.
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PreviousMinutes {
    pub meeting: MeetingView,
    pub minutes: MinutesView,
}

/// `restricted/<context>/assessment.html|.pdf`
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentDoc {
    pub stamp: Stamp,
    pub title: String,
    pub context: ContextView,
    pub assessment: Option<AssessmentView>,
}

/// `restricted/<context>/index.html`
#[derive(Debug, Clone, Serialize)]
pub struct ContextDoc {
    pub stamp: Stamp,
    pub title: String,
    pub context: ContextView,
    pub meetings: Vec<MeetingLinks>,
    pub plan: PlanView,
    /// This context and those linked to it.
    pub map: super::map::MapView,
    /// The plan's actions whose measures have readings, to chart.
    pub measures: Vec<ActionView>,
    /// Every explained breach of the protocol in the context's records,
    /// with the meeting (or plan) it belongs to.
    pub exceptions: Vec<ExceptionAt>,
    /// The learning its meetings sent to the strategic forums, newest first.
    pub learning: Vec<LearningAt>,
    /// Whether the context has an assessment, so a page of its own.
    pub has_assessment: bool,
    /// When the next review must be held by: three months (the protocol's
    /// `review_within_months`) from the last conference held.
    pub review_by: Option<ReviewBy>,
}

/// An explained breach, and where it is recorded.
#[derive(Debug, Clone, Serialize)]
pub struct ExceptionAt {
    /// "Initial conference, 3 September 2026" or "Action plan".
    pub place: String,
    /// The meeting's date; empty for the plan.
    pub date: String,
    /// The document that prints it, from the context's folder.
    pub href: String,
    pub exception: ExceptionView,
}

#[derive(Debug, Clone, Serialize)]
pub struct LearningAt {
    pub place: String,
    pub date: String,
    pub href: String,
    pub learning: LearningView,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewBy {
    /// The latest date the protocol allows.
    pub latest: String,
    /// The conference it runs from: "initial conference of 3 September 2026".
    pub from: String,
    /// The review date agreed there, when one was.
    pub agreed: String,
    pub within_months: u32,
}

impl ReviewBy {
    /// The review that `conference` must be followed by within
    /// `within_months`.
    fn after(conference: &Meeting, within_months: u32) -> Option<ReviewBy> {
        let held = conference.date.value;
        let latest = crate::deadline::review::latest_review(held, within_months)?;
        Some(ReviewBy {
            latest: latest.to_string(),
            from: format!(
                "{} of {}",
                conference.kind.value.label().to_lowercase(),
                day_month_year(held)
            ),
            agreed: conference
                .review
                .as_ref()
                .and_then(|r| r.date.as_ref())
                .map_or_else(String::new, |d| d.value.to_string()),
            within_months,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MeetingLinks {
    pub meeting: MeetingView,
    /// `(label, relative href)` pairs, in a stable order.
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: String,
    pub href: String,
}

/// The reminder read at the start of every meeting (terms of reference,
/// "Information Sharing").
pub const CONFIDENTIALITY_STATEMENT: &str = "Information and intelligence shared at this meeting is bound by the Information Sharing and Confidentiality Statement. It is shared for the purpose of safeguarding children and must not be passed on outside the agencies present without the agreement of the chair.";

// ---------------------------------------------------------------- building views

/// Builds the views of one casebook on one day.
pub struct Views<'a> {
    pub casebook: &'a Casebook,
    pub today: Date,
    /// The casebook-wide stamp (the dashboard's).
    pub stamp: Stamp,
    /// Each context's own provenance line, by context id: its documents say
    /// which commit last touched that context, so an edit elsewhere leaves
    /// them as they were.
    pub context_provenance: std::collections::HashMap<String, String>,
    /// How the contexts connect, worked out once.
    pub links: Vec<crate::connections::Link>,
    /// Each young person's page under `restricted/young_people/`, by ref.
    pub child_pages: std::collections::BTreeMap<String, String>,
    /// The contexts each ref is linked to, by index, in casebook order.
    by_ref: std::collections::HashMap<String, Vec<usize>>,
    /// Each context's index in `casebook.contexts`, by id.
    index: std::collections::HashMap<String, usize>,
}

impl<'a> Views<'a> {
    pub fn new(casebook: &'a Casebook, today: Date, provenance: &str) -> Self {
        Views {
            casebook,
            today,
            stamp: Stamp::new(&casebook.settings, provenance, today),
            context_provenance: std::collections::HashMap::new(),
            links: crate::connections::links(casebook),
            child_pages: child_pages(casebook),
            by_ref: by_ref(casebook),
            index: casebook
                .contexts
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.clone(), i))
                .collect(),
        }
    }

    /// The context whose folder is `id`.
    pub fn context_by_id(&self, id: &str) -> Option<&'a Context> {
        self.index.get(id).map(|&i| &self.casebook.contexts[i])
    }

    /// The contexts linked to `c` by a relation or a shared child, in
    /// casebook order.
    pub fn neighbours(&self, c: &Context) -> impl Iterator<Item = &'a Context> + '_ {
        let i = self.index.get(&c.id).copied();
        let cb = self.casebook;
        self.links
            .iter()
            .filter(move |l| Some(l.a) == i || Some(l.b) == i)
            .filter_map(move |l| i.map(|i| &cb.contexts[l.other(i)]))
    }

    /// The links touching context `i`, and the other end's details, as
    /// words: what its documents show of other contexts, for the cache key.
    pub fn outside_inputs(&self, c: &Context) -> String {
        let mut out = String::new();
        let Some(&i) = self.index.get(&c.id) else {
            return out;
        };
        for l in self.links.iter().filter(|l| l.a == i || l.b == i) {
            let o = &self.casebook.contexts[l.other(i)];
            let kind = o.context_type.as_ref().map_or("", |t| t.value.as_str());
            out.push_str(&format!(
                "{}\u{1f}{}\u{1f}{kind}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1e}",
                o.id,
                o.title_text(),
                o.closed.as_ref().map(|d| d.value),
                l.relations,
                l.shared
            ));
        }
        for y in c.young_people.iter().filter(|y| y.defined_in.is_some()) {
            out.push_str(&format!(
                "{}\u{1f}{}\u{1f}{:?}\u{1f}{:?}\u{1e}",
                y.reference.value,
                y.name.value,
                y.age.as_ref().map(|a| a.value),
                y.born.as_ref().map(|b| b.value)
            ));
        }
        out
    }

    /// The pages of every young person linked to a context `shown` accepts
    /// (the contexts whose documents are built), in order of ref, with the
    /// ids of the contexts each page was made from.
    pub fn child_docs(
        &self,
        shown: &dyn Fn(&Context) -> bool,
    ) -> Vec<(String, ChildDoc, Vec<usize>)> {
        self.child_pages
            .iter()
            .filter_map(|(reference, file)| {
                let (doc, from) = self.child_doc(reference, shown)?;
                Some((format!("restricted/young_people/{file}"), doc, from))
            })
            .collect()
    }

    fn child_doc(
        &self,
        reference: &str,
        shown: &dyn Fn(&Context) -> bool,
    ) -> Option<(ChildDoc, Vec<usize>)> {
        let from: Vec<usize> = self
            .by_ref
            .get(reference)?
            .iter()
            .copied()
            .filter(|&i| shown(&self.casebook.contexts[i]))
            .collect();
        let entries: Vec<(&Context, &crate::model::YoungPerson)> = from
            .iter()
            .map(|&i| &self.casebook.contexts[i])
            .flat_map(|c| {
                c.young_people
                    .iter()
                    .filter(|y| y.reference.value == reference)
                    .map(move |y| (c, y))
            })
            .collect();
        let (_, first) = entries.first()?;
        let mut meetings: Vec<(Date, ChildMeeting)> = Vec::new();
        let mut contexts = Vec::new();
        for (c, y) in &entries {
            let linked = y.linked.as_ref().or(c.opened.as_ref()).map(|d| d.value);
            let unlinked = y.unlinked.as_ref().map(|d| d.value);
            contexts.push(ChildContext {
                title: c.title_text().to_string(),
                href: format!("../{}/index.html", c.id),
                kind_label: c
                    .context_type
                    .as_ref()
                    .map_or_else(String::new, |t| capitalise(t.value.label())),
                role: y
                    .role
                    .as_ref()
                    .map_or_else(String::new, |r| r.value.as_str().to_string()),
                linked: linked.map(|d| d.to_string()),
                unlinked: unlinked.map(|d| d.to_string()),
                closed: c.closed.is_some(),
            });
            let during = |d: Date| linked.is_none_or(|l| l <= d) && unlinked.is_none_or(|u| d <= u);
            for m in c
                .meetings
                .iter()
                .filter(|m| m.is_active() && during(m.date.value))
            {
                meetings.push((
                    m.date.value,
                    ChildMeeting {
                        date: m.date.value.to_string(),
                        context: c.title_text().to_string(),
                        kind_label: m.kind.value.label().to_string(),
                        status_label: status_label(m.status.value).to_string(),
                        links: document::of_meeting(m)
                            .into_iter()
                            .map(|d| Link {
                                label: d.label(),
                                href: format!("../{}/{}", c.id, d.path_in_context()),
                            })
                            .collect(),
                    },
                ));
            }
        }
        // Stable: meetings of one day keep their contexts' order.
        meetings.sort_by_key(|(d, _)| *d);
        let doc = ChildDoc {
            stamp: self.stamp.clone(),
            title: format!("Young person {reference}"),
            reference: reference.to_string(),
            name: first.name.value.clone(),
            age: first.age_on(self.today),
            contexts,
            meetings: meetings.into_iter().map(|(_, m)| m).collect(),
        };
        Some((doc, from))
    }

    /// The stamp of a context's documents.
    pub fn stamp_of(&self, c: &Context) -> Stamp {
        match self.context_provenance.get(&c.id) {
            Some(line) => Stamp {
                provenance: line.clone(),
                ..self.stamp.clone()
            },
            None => self.stamp.clone(),
        }
    }

    fn settings(&self) -> &Settings {
        &self.casebook.settings
    }

    fn agency_name(&self, id: &str) -> String {
        self.settings()
            .agency(id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    }

    fn person(&self, id: &str) -> Who {
        match self.settings().person(id) {
            Some(p) => Who {
                name: p.name.value.clone(),
                agency: self.agency_name(&p.agency.value),
            },
            None => Who {
                name: id.to_string(),
                agency: String::new(),
            },
        }
    }

    /// A theme as the casebook names it ("Environmental design"), not its id.
    fn theme_label(&self, id: &str) -> String {
        self.settings()
            .themes
            .iter()
            .find(|t| t.id.value == id)
            .map_or_else(|| crate::text::humanise(id), |t| t.label.clone())
    }

    /// A person id, a free-text name, or neither, at an agency.
    fn who(&self, agency: &str, person: Option<&str>, name: Option<&str>) -> Who {
        let name = match (person, name) {
            (Some(p), _) => self.person(p).name,
            (None, Some(n)) => n.to_string(),
            (None, None) => String::new(),
        };
        Who {
            name,
            agency: self.agency_name(agency),
        }
    }

    pub fn context(&self, c: &Context) -> ContextView {
        ContextView {
            id: c.id.clone(),
            title: c.title_text().to_string(),
            kind: text_of(c.context_type.as_ref().map(|t| t.value.as_str())),
            kind_label: c
                .context_type
                .as_ref()
                .map_or_else(String::new, |t| capitalise(t.value.label())),
            area: text_of(c.area.as_ref().map(|a| a.value.as_str())),
            opened: date_text(c.opened.as_ref().map(|d| d.value)),
            closed: c.closed.as_ref().map(|d| d.value.to_string()),
            lead_practitioner: c.lead_practitioner.as_ref().map_or(
                Who {
                    name: String::new(),
                    agency: String::new(),
                },
                |p| self.person(&p.value),
            ),
            managed_by: text_of(c.managed_by.as_ref().map(|m| m.value.as_str())),
            harms: c.harms.iter().map(|h| h.value.clone()).collect(),
            young_people: c
                .young_people
                .iter()
                .map(|y| YoungPersonView {
                    reference: y.reference.value.clone(),
                    name: y.name.value.clone(),
                    age: y.age_on(self.today),
                    role: y
                        .role
                        .as_ref()
                        .map_or_else(String::new, |r| r.value.as_str().to_string()),
                    page: self
                        .child_pages
                        .get(&y.reference.value)
                        .map_or_else(String::new, |f| format!("young_people/{f}")),
                    linked: y.linked.as_ref().map(|d| d.value.to_string()),
                    unlinked: y.unlinked.as_ref().map(|d| d.value.to_string()),
                    also_in: self
                        .by_ref
                        .get(&y.reference.value)
                        .into_iter()
                        .flatten()
                        .map(|&i| &self.casebook.contexts[i])
                        .filter(|o| o.id != c.id)
                        .map(|o| Link {
                            label: o.title_text().to_string(),
                            href: format!("../{}/index.html", o.id),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    pub fn meeting(&self, c: &Context, m: &Meeting) -> MeetingView {
        let start = m.start.as_ref().map(|t| t.value);
        let mut clock = start;
        let agenda: Vec<AgendaItemView> = m
            .agenda_items(self.settings().protocol.conference_minutes)
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let from = clock;
                let minutes = item.minutes.value;
                clock = from.map(|t| t + chrono::Duration::minutes(i64::from(minutes)));
                AgendaItemView {
                    number: i + 1,
                    at: time_text(from),
                    until: time_text(clock),
                    title: item.item.title().to_string(),
                    minutes,
                    plan_discussion: item.item
                        == AgendaItem::Standard(AgendaItemId::PlanDiscussion),
                }
            })
            .collect();
        let mut papers = Vec::new();
        if let Some(a) = &c.assessment {
            papers.push(format!(
                "Context assessment{}",
                a.date
                    .as_ref()
                    .map_or_else(String::new, |d| format!(" of {}", long_date(d.value)))
            ));
        }
        if c.plan.as_ref().is_some_and(|p| !p.actions.is_empty()) {
            papers.push("Current action plan".to_string());
        }
        for prev in minutes_since_conference(c, m) {
            papers.push(format!(
                "Minutes of the {} of {}",
                prev.kind.value.label().to_lowercase(),
                long_date(prev.date.value)
            ));
        }
        papers.extend(m.papers.iter().map(crate::model::Paper::heading));
        MeetingView {
            name: m.name.clone(),
            kind: m.kind.value.as_str().to_string(),
            kind_label: m.kind.value.label().to_string(),
            date: m.date.value.to_string(),
            start: time_text(start),
            end: time_text(m.end.as_ref().map(|t| t.value)),
            venue: text_of(m.venue.as_ref().map(|v| v.value.as_str())),
            venue_agreed_by: m
                .venue_agreed_by
                .as_ref()
                .map(|v| {
                    v.value
                        .iter()
                        .map(|e| match self.settings().person(&e.value) {
                            Some(p) => p.name.value.clone(),
                            None => e.value.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            status: m.status.value.as_str().to_string(),
            status_label: status_label(m.status.value).to_string(),
            chair: m.chair.as_ref().map(|p| self.person(&p.value)),
            chair_role: m
                .chair_role
                .as_ref()
                .map_or_else(String::new, |r| role_label(&r.value)),
            invited: m
                .invited
                .as_ref()
                .map(|i| {
                    i.value
                        .iter()
                        .map(|x| {
                            self.who(
                                &x.agency.value,
                                x.person.as_ref().map(|p| p.value.as_str()),
                                x.name.as_ref().map(|n| n.value.as_str()),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
            plan_discussion_minutes: agenda
                .iter()
                .filter(|a| a.plan_discussion)
                .map(|a| a.minutes)
                .sum(),
            plan_discussion_min: self.settings().protocol.plan_discussion_min_minutes,
            agenda,
            moved: m.moved.as_ref().map(|mv| MovedView {
                to: date_text(mv.to.as_ref().map(|d| d.value)),
                chair_consent: mv.chair_consent.as_ref().is_some_and(|c| c.value),
                reason: text_of(mv.reason.as_ref().map(|r| r.value.as_str())),
            }),
            papers,
        }
    }

    fn attendance(&self, a: &Attendance) -> AttendanceView {
        let who = self.who(
            &a.agency.value,
            a.person.as_ref().map(|p| p.value.as_str()),
            a.name.as_ref().map(|n| n.value.as_str()),
        );
        AttendanceView {
            agency: who.agency,
            name: who.name,
            absent: a.absent,
            represented_by: text_of(a.represented_by.as_ref().map(|r| r.value.as_str())),
        }
    }

    pub fn minutes(&self, c: &Context, m: &Meeting) -> MinutesView {
        let attendance: Vec<AttendanceView> = m
            .attendance
            .as_ref()
            .map(|a| a.value.iter().map(|x| self.attendance(x)).collect())
            .unwrap_or_default();
        let apologies = attendance.iter().filter(|a| a.absent).cloned().collect();
        let agreed_here: Vec<&Action> = c
            .plan
            .iter()
            .flat_map(|p| &p.actions)
            .filter(|a| a.agreed.as_ref().is_some_and(|d| d.value == m.date.value))
            .collect();
        let goals = c
            .plan
            .iter()
            .flat_map(|p| &p.goals)
            .filter(|g| {
                agreed_here
                    .iter()
                    .any(|a| a.goal.as_ref().is_some_and(|x| x.value == g.id.value))
            })
            .map(|g| GoalView {
                id: g.id.value.clone(),
                text: g.text.value.clone(),
            })
            .collect();
        let body = markdown::without_title(&m.body.text);
        MinutesView {
            goals,
            minute_taker: m.minute_taker.as_ref().map(|p| self.person(&p.value)),
            approved: m.approved.as_ref().map(|a| ApprovalView {
                date: date_text(a.date.as_ref().map(|d| d.value)),
                by: a.by.as_ref().map(|p| self.person(&p.value)),
            }),
            circulated_to: m
                .circulated_to
                .iter()
                .flat_map(|v| &v.value)
                .map(|x| match self.settings().forum(&x.value) {
                    Some(f) => f.name.clone(),
                    None => self.agency_name(&x.value),
                })
                .collect(),
            attendance,
            apologies,
            confidentiality_statement_read: flag(&m.confidentiality_statement_read),
            partner_reports: m
                .partner_reports
                .as_ref()
                .map(|p| p.value.iter().map(|a| self.agency_name(&a.value)).collect())
                .unwrap_or_default(),
            plan_shared_verbally: flag(&m.plan_shared_verbally),
            body_md: body.to_string(),
            body: markdown::to_typst_data_with(body, &image_paths(c, &m.body.images, None)),
            images: image_paths(c, &m.body.images, Some("../images/")),
            actions_agreed: self.domains(c, &agreed_here),
            review: m.review.as_ref().map(|r| ReviewView {
                date: date_text(r.date.as_ref().map(|d| d.value)),
                agencies: r
                    .agencies
                    .as_ref()
                    .map(|a| a.value.iter().map(|x| self.agency_name(&x.value)).collect())
                    .unwrap_or_default(),
                invitations_by: r
                    .invitations_by
                    .as_ref()
                    .map_or_else(String::new, |p| self.person(&p.value).name),
            }),
            exceptions: exceptions(&m.exceptions, &self.casebook.settings.protocol),
            learning: self.learning(m),
        }
    }

    fn learning(&self, m: &Meeting) -> Vec<LearningView> {
        m.learning
            .iter()
            .map(|l| LearningView {
                text: l.text.value.clone(),
                forums: l
                    .forums
                    .iter()
                    .map(|f| {
                        self.settings()
                            .forum(&f.value)
                            .map_or_else(|| f.value.clone(), |x| x.name.clone())
                    })
                    .collect(),
                themes: l
                    .themes
                    .iter()
                    .map(|t| self.theme_label(&t.value))
                    .collect(),
            })
            .collect()
    }

    fn action(&self, c: &Context, a: &Action) -> ActionView {
        let goal = a
            .goal
            .as_ref()
            .and_then(|g| {
                c.plan
                    .as_ref()?
                    .goals
                    .iter()
                    .find(|x| x.id.value == g.value)
            })
            .map_or_else(String::new, |g| g.text.value.clone());
        let goal_id = if goal.is_empty() {
            String::new()
        } else {
            a.goal
                .as_ref()
                .map_or_else(String::new, |g| g.value.clone())
        };
        ActionView {
            id: a.id.value.clone(),
            action: a.action.value.clone(),
            goal,
            goal_id,
            owner: a.owner.as_ref().map_or(
                Who {
                    name: String::new(),
                    agency: String::new(),
                },
                |o| {
                    self.who(
                        o.agency.as_ref().map_or("", |x| x.value.as_str()),
                        o.person.as_ref().map(|p| p.value.as_str()),
                        o.name.as_ref().map(|n| n.value.as_str()),
                    )
                },
            ),
            agreed: date_text(a.agreed.as_ref().map(|d| d.value)),
            due: date_text(a.due.as_ref().map(|d| d.value)),
            status: a
                .status
                .as_ref()
                .map_or("planned", |s| s.value.as_str())
                .to_string(),
            done: date_text(a.done.as_ref().map(|d| d.value)),
            measure: text_of(a.measure.as_ref().map(|m| m.value.as_str())),
            chart: a
                .metric
                .as_ref()
                .and_then(|m| super::chart::chart(m, self.today)),
            mark: Mark::of(a, self.today),
            updates: a
                .updates
                .iter()
                .map(|u| UpdateView {
                    date: u.date.value.to_string(),
                    note: u.note.value.clone(),
                })
                .collect(),
        }
    }

    /// Actions grouped under the four domains, in the order of Appendix 2;
    /// actions without a domain are not shown (the check reports them).
    fn domains(&self, c: &Context, actions: &[&Action]) -> Vec<DomainView> {
        Domain::ALL
            .iter()
            .map(|&d| DomainView {
                id: d.as_str().to_string(),
                title: d.title().to_string(),
                actions: actions
                    .iter()
                    .filter(|a| a.domain.as_ref().is_some_and(|x| x.value == d))
                    .map(|a| self.action(c, a))
                    .collect(),
            })
            .collect()
    }

    /// The plan, with only the actions agreed on or before `until` when given
    /// (a meeting pack shows the plan as it stood for that meeting).
    pub fn plan(&self, c: &Context, until: Option<Date>) -> PlanView {
        let plan = c.plan.as_ref();
        let actions = plan_actions(c, until);
        let domains = self.domains(c, &actions);
        let mut counts = MarkCounts::default();
        for a in domains.iter().flat_map(|d| &d.actions) {
            match a.mark.key {
                "done" => counts.done += 1,
                "dropped" => counts.dropped += 1,
                "overdue" => counts.overdue += 1,
                "due-soon" => counts.due_soon += 1,
                _ => counts.on_track += 1,
            }
        }
        PlanView {
            goals: plan
                .iter()
                .flat_map(|p| &p.goals)
                .map(|g| GoalView {
                    id: g.id.value.clone(),
                    text: g.text.value.clone(),
                })
                .collect(),
            domains,
            counts,
            exceptions: plan
                .map(|p| exceptions(&p.exceptions, &self.casebook.settings.protocol))
                .unwrap_or_default(),
        }
    }

    pub fn assessment(&self, c: &Context, a: &Assessment) -> AssessmentView {
        let in_pdf = image_paths(c, &a.body.images, None);
        AssessmentView {
            date: date_text(a.date.as_ref().map(|d| d.value)),
            lead_practitioner: a.lead_practitioner.as_ref().map(|p| self.person(&p.value)),
            methods: a
                .methods
                .iter()
                .map(|m| m.value.replace('-', " "))
                .collect(),
            influencers: a.influencers.iter().map(|i| i.value.clone()).collect(),
            weighting: a
                .weighting
                .iter()
                .map(|w| WeightingView {
                    level: w
                        .level
                        .as_ref()
                        .map_or_else(String::new, |l| capitalise(l.value.as_str())),
                    factor: w.factor.value.clone(),
                    weight: w
                        .weight
                        .as_ref()
                        .map_or_else(String::new, |x| capitalise(x.value.as_str())),
                    rationale: text_of(w.rationale.as_ref().map(|r| r.value.as_str())),
                })
                .collect(),
            sections: a
                .body
                .sections
                .iter()
                .map(|s| SectionView {
                    level: s.level,
                    heading: s.heading.value.clone(),
                    body_md: s.content.to_string(),
                    body: markdown::to_typst_data_with(&s.content, &in_pdf),
                })
                .collect(),
            images: image_paths(c, &a.body.images, Some("images/")),
        }
    }

    fn title(&self, what: &str, c: &Context, m: Option<&Meeting>) -> String {
        match m {
            Some(m) => format!(
                "{what}: {}, {} {}",
                c.title_text(),
                m.kind.value.label().to_lowercase(),
                long_date(m.date.value)
            ),
            None => format!("{what}: {}", c.title_text()),
        }
    }

    pub fn agenda_doc(&self, c: &Context, m: &Meeting) -> AgendaDoc {
        AgendaDoc {
            stamp: self.stamp_of(c),
            title: self.title("Agenda", c, Some(m)),
            context: self.context(c),
            meeting: self.meeting(c, m),
            confidentiality_statement: CONFIDENTIALITY_STATEMENT,
        }
    }

    pub fn minutes_doc(&self, c: &Context, m: &Meeting) -> MinutesDoc {
        MinutesDoc {
            stamp: self.stamp_of(c),
            title: self.title("Minutes", c, Some(m)),
            context: self.context(c),
            meeting: self.meeting(c, m),
            minutes: self.minutes(c, m),
        }
    }

    pub fn plan_doc(&self, c: &Context) -> PlanDoc {
        PlanDoc {
            stamp: self.stamp_of(c),
            title: self.title("Action plan", c, None),
            context: self.context(c),
            plan: self.plan(c, None),
        }
    }

    pub fn pack_doc(&self, c: &Context, m: &Meeting) -> PackDoc {
        PackDoc {
            assessment: c.assessment.as_ref().map(|a| self.assessment(c, a)),
            earlier_minutes: minutes_since_conference(c, m)
                .into_iter()
                .map(|p| PreviousMinutes {
                    meeting: self.meeting(c, p),
                    minutes: self.minutes(c, p),
                })
                .collect(),
            ..self.pack_own_doc(c, m)
        }
    }

    /// A pack's data without the assessment and earlier minutes: what a
    /// bound pack's own pages show (it binds those documents as rendered).
    pub fn pack_own_doc(&self, c: &Context, m: &Meeting) -> PackDoc {
        PackDoc {
            stamp: self.stamp_of(c),
            title: self.title("Meeting pack", c, Some(m)),
            context: self.context(c),
            meeting: self.meeting(c, m),
            confidentiality_statement: CONFIDENTIALITY_STATEMENT,
            assessment: None,
            plan: self.plan(c, Some(m.date.value)),
            earlier_minutes: Vec::new(),
            map: self.map_around(c),
            briefing: self.briefing(c, m),
            papers: papers(c, m),
        }
    }

    pub fn assessment_doc(&self, c: &Context) -> AssessmentDoc {
        AssessmentDoc {
            stamp: self.stamp_of(c),
            title: self.title("Context assessment", c, None),
            context: self.context(c),
            assessment: c.assessment.as_ref().map(|a| self.assessment(c, a)),
        }
    }

    /// The chair's briefing for the pack of `m`.
    pub fn briefing(&self, c: &Context, m: &Meeting) -> BriefingView {
        let within = self.settings().protocol.review_within_months;
        let day = m.date.value;
        let previous = c
            .meetings
            .iter()
            .filter(|p| p.is_held() && p.is_conference() && p.date.value < day)
            .max_by_key(|p| p.date.value);
        let this_review_due = previous
            .filter(|_| m.kind.value == crate::model::MeetingKind::Review)
            .and_then(|p| ReviewBy::after(p, within));
        // `ExceptionAt::date` is the meeting's ISO date (empty for the plan):
        // as text it sorts as the date does.
        let until = day.to_string();
        let exceptions = self
            .exceptions_at(c)
            .into_iter()
            .filter(|e| e.date.is_empty() || e.date <= until)
            .collect();
        BriefingView {
            this_review_due,
            next_review_by: date_text(crate::deadline::review::latest_review(day, within)),
            within_months: within,
            exceptions,
            since: date_text(previous.map(|p| p.date.value)),
            changes: previous
                .map(|p| plan_changes(c, p.date.value, day))
                .unwrap_or_default(),
        }
    }

    pub fn context_doc(&self, c: &Context) -> ContextDoc {
        ContextDoc {
            stamp: self.stamp_of(c),
            title: c.title_text().to_string(),
            context: self.context(c),
            meetings: c
                .meetings
                .iter()
                .map(|m| MeetingLinks {
                    meeting: self.meeting(c, m),
                    links: document::of_meeting(m)
                        .into_iter()
                        .map(|d| Link {
                            label: d.label(),
                            href: d.path_in_context(),
                        })
                        .collect(),
                })
                .collect(),
            plan: self.plan(c, None),
            map: self.map_around(c),
            measures: c
                .plan
                .iter()
                .flat_map(|p| &p.actions)
                .map(|a| self.action(c, a))
                .filter(|a| a.chart.is_some())
                .collect(),
            exceptions: self.exceptions_at(c),
            learning: self.learning_at(c),
            has_assessment: c.assessment.is_some(),
            review_by: self.review_by(c),
        }
    }

    pub fn exceptions_at(&self, c: &Context) -> Vec<ExceptionAt> {
        let protocol = &self.settings().protocol;
        let mut out: Vec<ExceptionAt> = c
            .meetings
            .iter()
            .flat_map(|m| {
                let place = meeting_place(m);
                let document = if m.is_held() { "minutes" } else { "agenda" };
                let href = format!("{}/{document}.html", m.name);
                exceptions(&m.exceptions, protocol)
                    .into_iter()
                    .map(move |exception| ExceptionAt {
                        place: place.clone(),
                        date: m.date.value.to_string(),
                        href: href.clone(),
                        exception,
                    })
            })
            .collect();
        if let Some(plan) = &c.plan {
            out.extend(
                exceptions(&plan.exceptions, protocol)
                    .into_iter()
                    .map(|exception| ExceptionAt {
                        place: "Action plan".to_string(),
                        date: String::new(),
                        href: "action-plan.html#exceptions".to_string(),
                        exception,
                    }),
            );
        }
        out
    }

    fn learning_at(&self, c: &Context) -> Vec<LearningAt> {
        let mut held: Vec<&Meeting> = c.held_meetings().collect();
        held.sort_by_key(|m| std::cmp::Reverse(m.date.value));
        held.into_iter()
            .flat_map(|m| {
                self.learning(m)
                    .into_iter()
                    .map(move |learning| LearningAt {
                        place: meeting_place(m),
                        date: m.date.value.to_string(),
                        href: format!("{}/minutes.html", m.name),
                        learning,
                    })
            })
            .collect()
    }

    fn review_by(&self, c: &Context) -> Option<ReviewBy> {
        if c.closed.is_some() {
            return None;
        }
        let last = crate::deadline::review::last_held_conference(c)?;
        ReviewBy::after(last, self.settings().protocol.review_within_months)
    }

    /// The map of `c` and the contexts linked to it, hrefs from `c`'s folder.
    pub fn map_around(&self, c: &Context) -> super::map::MapView {
        let i = self.index.get(&c.id).copied().unwrap_or(usize::MAX);
        let href = |o: &Context| format!("../{}/index.html", o.id);
        super::map::around(self.casebook, &self.links, i, &href)
    }
}

/// "Initial conference, 3 September 2026".
fn meeting_place(m: &Meeting) -> String {
    format!("{}, {}", m.kind.value.label(), day_month_year(m.date.value))
}

fn by_ref(cb: &Casebook) -> std::collections::HashMap<String, Vec<usize>> {
    let mut out: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
    for (i, c) in cb.contexts.iter().enumerate() {
        for y in &c.young_people {
            let list = out.entry(y.reference.value.clone()).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    out
}

/// A file name for each young person's page: their ref made a slug, with
/// a number added where two refs give the same slug.
fn child_pages(cb: &Casebook) -> std::collections::BTreeMap<String, String> {
    let refs: std::collections::BTreeSet<&str> = cb
        .contexts
        .iter()
        .flat_map(|c| c.young_people.iter().map(|y| y.reference.value.as_str()))
        .collect();
    let mut taken = std::collections::HashSet::new();
    let mut out = std::collections::BTreeMap::new();
    for r in refs {
        let base = match crate::text::slug(r) {
            s if s.is_empty() => "young-person".to_string(),
            s => s,
        };
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        out.insert(r.to_string(), format!("{name}.html"));
    }
    out
}

/// The meetings held before `m` whose minutes go with it: the last
/// conference and every interim meeting since (every held meeting, when no
/// conference was held before it), in date order.
/// What happened to the plan's actions after `since` and up to `until`:
/// agreed, done, dropped (dated by the last update to that day) or updated,
/// in date order.
fn plan_changes(c: &Context, since: Date, until: Date) -> Vec<PlanChange> {
    use crate::model::ActionStatus;
    let within = |d: Date| since < d && d <= until;
    let mut out = Vec::new();
    for a in c.plan.iter().flat_map(|p| &p.actions) {
        let change = |date: Date, change, note: &str| PlanChange {
            date: date.to_string(),
            id: a.id.value.clone(),
            action: a.action.value.clone(),
            change,
            note: note.to_string(),
        };
        if let Some(d) = a.agreed.as_ref().map(|d| d.value).filter(|d| within(*d)) {
            out.push(change(d, "added", ""));
        }
        if let Some(d) = a.done.as_ref().map(|d| d.value).filter(|d| within(*d)) {
            out.push(change(d, "done", ""));
        }
        let updates: Vec<_> = a.updates.iter().filter(|u| within(u.date.value)).collect();
        let dropped = a.status.as_ref().map(|s| s.value) == Some(ActionStatus::Dropped);
        for (i, u) in updates.iter().enumerate() {
            let last = i + 1 == updates.len();
            match &u.due {
                Some(to) => {
                    let note = format!("Now due {}. {}", day_month_year(to.value), u.note.value);
                    out.push(change(u.date.value, "re-dated", &note));
                }
                None if dropped && last => out.push(change(u.date.value, "dropped", &u.note.value)),
                None => out.push(change(u.date.value, "updated", &u.note.value)),
            }
        }
    }
    out.sort_by(|a, b| (&a.date, &a.id).cmp(&(&b.date, &b.id)));
    out
}

/// The actions of `c`'s plan agreed by `until` (all of them without it;
/// an action with no date agreed is in every plan).
fn plan_actions(c: &Context, until: Option<Date>) -> Vec<&Action> {
    c.plan
        .iter()
        .flat_map(|p| &p.actions)
        .filter(|a| match (until, a.agreed.as_ref()) {
            (Some(u), Some(d)) => d.value <= u,
            _ => true,
        })
        .collect()
}

/// Whether the plan as it stood on `day` is the plan as it is: no action
/// was agreed after it. A pack then binds the action plan as rendered.
pub fn plan_unchanged_since(c: &Context, day: Date) -> bool {
    plan_actions(c, Some(day)).len() == plan_actions(c, None).len()
}

pub fn minutes_since_conference<'c>(c: &'c Context, m: &Meeting) -> Vec<&'c Meeting> {
    let before: Vec<&Meeting> = c
        .meetings
        .iter()
        .filter(|p| p.is_held() && p.date.value < m.date.value)
        .collect();
    let from = before
        .iter()
        .filter(|p| p.is_conference())
        .map(|p| p.date.value)
        .max();
    let mut out: Vec<&Meeting> = before
        .into_iter()
        .filter(|p| from.is_none_or(|d| p.date.value >= d))
        .collect();
    out.sort_by_key(|p| p.date.value);
    out
}

fn exceptions(
    list: &[crate::model::Exception],
    protocol: &crate::model::Protocol,
) -> Vec<ExceptionView> {
    list.iter()
        .map(|e| ExceptionView {
            rule: e.rule.value.as_str().to_string(),
            summary: crate::rules::catalogue::of(e.rule.value).summary_for(protocol),
            reason: e.reason.value.clone(),
        })
        .collect()
}

fn flag(b: &Option<crate::source::Sp<bool>>) -> bool {
    b.as_ref().is_some_and(|b| b.value)
}

fn text_of(s: Option<&str>) -> String {
    s.unwrap_or_default().to_string()
}

fn date_text(d: Option<Date>) -> String {
    d.map_or_else(String::new, |d| d.to_string())
}

fn time_text(t: Option<crate::model::Time>) -> String {
    t.map_or_else(String::new, |t| t.format("%H:%M").to_string())
}

/// `14 September 2026`: the one date style of every document (GOV.UK's).
pub fn day_month_year(d: Date) -> String {
    d.format("%-d %B %Y").to_string()
}

/// `Monday 14 September 2026`: a meeting's day, where the weekday helps.
pub fn long_date(d: Date) -> String {
    d.format("%A %-d %B %Y").to_string()
}

pub fn status_label(s: MeetingStatus) -> &'static str {
    match s {
        MeetingStatus::Scheduled => "Scheduled",
        MeetingStatus::Held => "Held",
        MeetingStatus::Moved => "Moved",
        MeetingStatus::Cancelled => "Cancelled",
    }
}

/// `community-safety-partnership-manager` -> `Community Safety Partnership
/// Manager`; the acronyms of the terms of reference stay in capitals.
pub fn role_label(role: &str) -> String {
    role.split('-')
        .map(|w| match w {
            "isro" | "dsl" | "csp" | "mace" => w.to_uppercase(),
            _ => capitalise(w),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_labels_read_as_titles() {
        assert_eq!(
            role_label("community-safety-partnership-manager"),
            "Community Safety Partnership Manager"
        );
        assert_eq!(role_label("dsl"), "DSL");
        assert_eq!(role_label("isro"), "ISRO");
    }

    #[test]
    fn long_dates() {
        let d = Date::from_ymd_opt(2026, 9, 14).expect("date");
        assert_eq!(long_date(d), "Monday 14 September 2026");
    }
}
