//! `index.html`: the casebook at a glance for chairs and lead practitioners.
//!
//! What is due comes from [`crate::due`], like `status` and the calendar.
//! The page lists every context, rendered or held back, but links only to
//! files the build wrote: `outputs` is the list of them.

use super::{BuildError, CasebookFile, DocumentError, Gate, Renderer};
use crate::Checked;
use crate::due::{self, ActionDue, Due, Filter, MeetingDue, RecordErrors, ReviewDue, ReviewState};
use crate::model::{Casebook, Context, Date};
use crate::render::document::Kind;
use crate::render::view::{Link, Mark, Stamp, Views};
use serde::Serialize;
use std::collections::BTreeMap;

pub const PATH: &str = "index.html";
const TEMPLATE: &str = "dashboard.html";

/// The dashboard, linking to `outputs` (every other file of the build,
/// relative to the output folder).
pub fn render(
    renderer: &Renderer,
    checked: &Checked,
    views: &Views,
    gate: &Gate,
    outputs: &[&str],
) -> Result<Vec<CasebookFile>, BuildError> {
    let doc = dashboard(checked, views, gate, outputs);
    let bytes = renderer.html(TEMPLATE, &doc, PATH).map_err(|message| {
        BuildError::Documents(vec![DocumentError {
            path: PATH.to_string(),
            template: renderer.template_label(TEMPLATE),
            message,
        }])
    })?;
    Ok(vec![CasebookFile {
        path: PATH.to_string(),
        bytes,
        inputs: inputs(renderer, &checked.casebook),
    }])
}

/// The restricted page of each young person linked to a context whose
/// documents are built: what is known of them across the casebook.
pub fn young_people(
    renderer: &Renderer,
    checked: &Checked,
    views: &Views,
    gate: &Gate,
) -> Result<Vec<CasebookFile>, BuildError> {
    const PAGE: &str = "young-person.html";
    let cb = &checked.casebook;
    let shown = |c: &crate::model::Context| gate.renderable.contains(&c.id);
    let path = |id: crate::source::FileId| cb.sources.path(id).replace('\\', "/");
    let own: Vec<String> = renderer
        .html
        .overrides()
        .into_iter()
        .filter(|(name, _)| [PAGE, "base.html"].contains(name))
        .map(|(name, _)| format!("templates/{name}"))
        .collect();
    let mut files = Vec::new();
    let mut failed = Vec::new();
    for (at, doc, from) in views.child_docs(&shown) {
        let mut inputs: Vec<String> = cb.settings.file.map(path).into_iter().collect();
        for &i in &from {
            inputs.extend(cb.contexts[i].files().into_iter().map(path));
        }
        inputs.extend(own.iter().cloned());
        inputs.retain(|f| !f.is_empty());
        match renderer.html(PAGE, &doc, &at) {
            Ok(bytes) => files.push(CasebookFile {
                path: at,
                bytes,
                inputs,
            }),
            Err(message) => failed.push(DocumentError {
                path: at,
                template: renderer.template_label(PAGE),
                message,
            }),
        }
    }
    if failed.is_empty() {
        Ok(files)
    } else {
        Err(BuildError::Documents(failed))
    }
}

/// Every record read, and the casebook's own dashboard and layout templates.
/// The loader's empty stand-ins for missing files are left out: the manifest
/// hashes every input from disk, and a held-back context may lack a file.
fn inputs(renderer: &Renderer, cb: &Casebook) -> Vec<String> {
    let mut files: Vec<String> = cb
        .sources
        .iter()
        .filter(|(_, f)| !f.text.is_empty() && !f.path.is_empty())
        .map(|(_, f)| f.path.replace('\\', "/"))
        .collect();
    files.extend(
        renderer
            .html
            .overrides()
            .into_iter()
            .filter(|(name, _)| [TEMPLATE, "base.html"].contains(name))
            .map(|(name, _)| format!("templates/{name}")),
    );
    files
}

// ---------------------------------------------------------------- the view

/// What `dashboard.html` is given.
#[derive(Debug, Clone, Serialize)]
pub struct DashboardDoc {
    pub stamp: Stamp,
    pub title: String,
    pub upcoming_days: i64,
    pub due_soon_days: i64,
    pub counts: Counts,
    pub meetings: Vec<MeetingRow>,
    pub reviews: Vec<ReviewRow>,
    /// Actions overdue or due soon, grouped by owning agency (by name).
    pub actions: Vec<AgencyActions>,
    pub contexts: Vec<ContextRow>,
    pub records_with_errors: Vec<RecordErrors>,
    /// Restricted documents, one group per context rendered.
    pub documents: Vec<DocumentGroup>,
    /// Anonymised summaries, one group per quarter.
    pub summaries: Vec<DocumentGroup>,
    /// Files that are neither: the calendar, and anything new.
    pub other: Vec<Link>,
    /// How the contexts connect.
    pub map: crate::render::map::MapView,
    /// Explained breaches of open contexts' plans and recent or coming
    /// meetings: what the chair agreed to depart from, and why.
    pub exceptions: Vec<ExceptionRow>,
    /// Meetings of open contexts moved recently or to come: where to, why,
    /// and whether the chair consented.
    pub moved: Vec<MovedRow>,
    /// How far back those two lists go.
    pub recent_days: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExceptionRow {
    pub context: ContextRef,
    pub place: String,
    pub href: Option<String>,
    pub rule: String,
    pub summary: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MovedRow {
    pub context: ContextRef,
    pub date: String,
    pub kind_label: &'static str,
    pub to: String,
    pub reason: String,
    pub chair_consent: bool,
    pub agenda: Option<String>,
}

/// Explained breaches and moved meetings are listed from this many days
/// before the build's date: the last quarter, and everything to come.
const RECENT_DAYS: i64 = 92;

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub meetings: usize,
    pub reviews_overdue: usize,
    pub reviews_to_arrange: usize,
    pub actions_overdue: usize,
    pub actions_due_soon: usize,
    pub records_with_errors: usize,
    pub held_back: usize,
}

/// A context's title, linked to its page when the page was built.
#[derive(Debug, Clone, Serialize)]
pub struct ContextRef {
    pub id: String,
    pub title: String,
    pub href: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeetingRow {
    pub context: ContextRef,
    pub date: String,
    pub time: String,
    pub when: String,
    pub kind_label: &'static str,
    pub venue: String,
    /// The agenda, when it was built.
    pub agenda: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewRow {
    pub context: ContextRef,
    pub date: String,
    pub when: String,
    pub mark: Mark,
    pub agreed_at: String,
    /// Who sends the invitations: a person's name, or the text written.
    pub invitations_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgencyActions {
    pub agency: String,
    pub actions: Vec<ActionRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionRow {
    pub context: ContextRef,
    pub id: String,
    pub action: String,
    pub owner: String,
    pub due: String,
    pub when: String,
    pub mark: Mark,
    pub plan: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContextRow {
    pub context: ContextRef,
    pub kind_label: String,
    pub area: String,
    pub lead: String,
    pub lead_agency: String,
    pub last_meeting: Option<MeetingRef>,
    pub next_meeting: Option<MeetingRef>,
    pub open_actions: usize,
    pub overdue_actions: usize,
    /// "Open", "Closed", or why its documents were not built.
    pub state: String,
    pub rendered: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeetingRef {
    pub date: String,
    pub kind_label: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentGroup {
    pub id: String,
    pub title: String,
    pub rows: Vec<DocumentRow>,
}

/// One document in its formats: "Action plan": HTML, PDF.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentRow {
    pub label: String,
    pub links: Vec<Link>,
}

/// The dashboard's data: what is due for everyone, every context, every file.
pub fn dashboard(checked: &Checked, views: &Views, gate: &Gate, outputs: &[&str]) -> DashboardDoc {
    let cb = &checked.casebook;
    let today = checked.today;
    let due = due::due(checked, &Filter::Everyone);
    let refs = Refs { cb, outputs };
    DashboardDoc {
        stamp: views.stamp.clone(),
        title: if cb.settings.partnership.is_empty() {
            "Casebook dashboard".to_string()
        } else {
            format!("Casebook dashboard: {}", cb.settings.partnership)
        },
        upcoming_days: due.upcoming_days,
        due_soon_days: due.due_soon_days,
        counts: counts(&due, gate),
        meetings: due.meetings.iter().map(|m| meeting_row(&refs, m)).collect(),
        reviews: due.reviews.iter().map(|r| review_row(&refs, r)).collect(),
        actions: by_agency(&refs, &due.actions),
        contexts: cb
            .contexts
            .iter()
            .map(|c| context_row(&refs, c, gate, today))
            .collect(),
        records_with_errors: due.records_with_errors.clone(),
        documents: documents(cb, &views.child_pages, outputs),
        summaries: summaries(cb, outputs),
        other: other_files(outputs),
        map: {
            let href = |c: &crate::model::Context| {
                refs.file(format!("restricted/{}/index.html", c.id))
                    .unwrap_or_default()
            };
            crate::render::map::whole(cb, &views.links, MAP_GROUPS, &href)
        },
        exceptions: exception_rows(&refs, views, today),
        moved: moved_rows(&refs, today),
        recent_days: RECENT_DAYS,
    }
}

fn recent(date: &str, today: Date) -> bool {
    date.parse::<Date>()
        .is_ok_and(|d| (today - d).num_days() <= RECENT_DAYS)
}

fn exception_rows(refs: &Refs, views: &Views, today: Date) -> Vec<ExceptionRow> {
    let open = refs.cb.contexts.iter().filter(|c| c.closed.is_none());
    open.flat_map(|c| {
        views
            .exceptions_at(c)
            .into_iter()
            .filter(|e| e.date.is_empty() || recent(&e.date, today))
            .map(|e| ExceptionRow {
                context: refs.context(&c.id),
                place: e.place,
                href: refs
                    .file(format!(
                        "restricted/{}/{}",
                        c.id,
                        e.href.split('#').next().unwrap_or("")
                    ))
                    .map(|_| format!("restricted/{}/{}", c.id, e.href)),
                rule: e.exception.rule,
                summary: e.exception.summary,
                reason: e.exception.reason,
            })
            .collect::<Vec<_>>()
    })
    .collect()
}

fn moved_rows(refs: &Refs, today: Date) -> Vec<MovedRow> {
    let mut rows: Vec<MovedRow> = refs
        .cb
        .contexts
        .iter()
        .filter(|c| c.closed.is_none())
        .flat_map(|c| c.meetings.iter().map(move |m| (c, m)))
        .filter(|(_, m)| (today - m.date.value).num_days() <= RECENT_DAYS)
        .filter_map(|(c, m)| {
            let moved = m.moved.as_ref()?;
            Some(MovedRow {
                context: refs.context(&c.id),
                date: m.date.value.to_string(),
                kind_label: m.kind.value.label(),
                to: moved
                    .to
                    .as_ref()
                    .map_or_else(String::new, |d| d.value.to_string()),
                reason: moved
                    .reason
                    .as_ref()
                    .map_or_else(String::new, |r| r.value.clone()),
                chair_consent: moved.chair_consent.as_ref().is_some_and(|c| c.value),
                agenda: refs.file(format!("restricted/{}/{}/agenda.html", c.id, m.name)),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.context.id.cmp(&b.context.id))
    });
    rows
}

/// Groups of connected contexts the dashboard's map draws; its table lists
/// every link.
const MAP_GROUPS: usize = 12;

fn counts(due: &Due, gate: &Gate) -> Counts {
    let reviews = |s: ReviewState| due.reviews.iter().filter(|r| r.state == s).count();
    let actions = |k: &str| due.actions.iter().filter(|a| a.state == k).count();
    Counts {
        meetings: due.meetings.len(),
        reviews_overdue: reviews(ReviewState::Overdue) + reviews(ReviewState::NoDate),
        reviews_to_arrange: reviews(ReviewState::ToArrange),
        actions_overdue: actions("overdue"),
        actions_due_soon: actions("due-soon"),
        records_with_errors: due.records_with_errors.len(),
        held_back: gate.held_back.len(),
    }
}

/// Links into the build, only where the file exists.
struct Refs<'a> {
    cb: &'a Casebook,
    outputs: &'a [&'a str],
}

impl Refs<'_> {
    fn file(&self, path: String) -> Option<String> {
        self.outputs.contains(&path.as_str()).then_some(path)
    }

    fn context(&self, id: &str) -> ContextRef {
        let title = self
            .cb
            .contexts
            .iter()
            .find(|c| c.id == id)
            .map_or(id, |c| c.title_text());
        ContextRef {
            id: id.to_string(),
            title: title.to_string(),
            href: self.file(format!("restricted/{id}/index.html")),
        }
    }
}

/// "Overdue by 4 days", "Due today", "Due in 5 days".
fn due_when(days: i64) -> String {
    let s = |n: i64| if n == 1 { "" } else { "s" };
    match days {
        0 => "Due today".to_string(),
        d if d < 0 => format!("Overdue by {} day{}", -d, s(-d)),
        d => format!("Due in {d} day{}", s(d)),
    }
}

/// "Today", "Tomorrow", "In 5 days".
fn meeting_when(days: i64) -> String {
    match days {
        0 => "Today".to_string(),
        1 => "Tomorrow".to_string(),
        d => format!("In {d} days"),
    }
}

fn meeting_row(refs: &Refs, m: &MeetingDue) -> MeetingRow {
    let time = match (&m.start, &m.end) {
        (Some(s), Some(e)) => format!("{s}–{e}"),
        (Some(s), None) => s.clone(),
        _ => String::new(),
    };
    MeetingRow {
        context: refs.context(&m.context),
        date: m.date.to_string(),
        time,
        when: meeting_when(m.days),
        kind_label: m.kind_label,
        venue: m.venue.clone().unwrap_or_default(),
        agenda: refs.file(format!(
            "restricted/{}/{}/agenda.html",
            m.context, m.meeting
        )),
    }
}

const OVERDUE: Mark = Mark {
    key: "overdue",
    symbol: "!",
    label: "Overdue",
};

fn review_row(refs: &Refs, r: &ReviewDue) -> ReviewRow {
    let mark = match r.state {
        ReviewState::Overdue => OVERDUE,
        ReviewState::NoDate => Mark {
            label: "No review date set",
            ..OVERDUE
        },
        ReviewState::ToArrange => Mark {
            key: "due-soon",
            symbol: "◷",
            label: "To arrange: no record yet",
        },
        ReviewState::Scheduled => Mark {
            key: "on-track",
            symbol: "→",
            label: "Scheduled",
        },
    };
    ReviewRow {
        context: refs.context(&r.context),
        date: r.date.map(|d| d.to_string()).unwrap_or_default(),
        when: r.days.map(due_when).unwrap_or_default(),
        mark,
        agreed_at: r.agreed_at.to_string(),
        invitations_by: r
            .invitations_by
            .as_deref()
            .map_or_else(String::new, |i| refs.cb.settings.person_name(i)),
    }
}

fn action_row(refs: &Refs, a: &ActionDue) -> ActionRow {
    let mark = if a.state == "overdue" {
        OVERDUE
    } else {
        Mark {
            key: "due-soon",
            symbol: "◷",
            label: "Due soon",
        }
    };
    ActionRow {
        context: refs.context(&a.context),
        id: a.id.clone(),
        action: a.action.clone(),
        owner: a.owner.name.clone().unwrap_or_default(),
        due: a.due.to_string(),
        when: due_when(a.days),
        mark,
        plan: refs.file(format!("restricted/{}/action-plan.html", a.context)),
    }
}

/// Actions by owning agency name, agencies in alphabetical order, actions
/// by due date within each.
fn by_agency(refs: &Refs, actions: &[ActionDue]) -> Vec<AgencyActions> {
    let mut groups: BTreeMap<String, Vec<ActionRow>> = BTreeMap::new();
    for a in actions {
        let agency = a
            .owner
            .agency_name
            .clone()
            .unwrap_or_else(|| "No owning agency".to_string());
        groups.entry(agency).or_default().push(action_row(refs, a));
    }
    groups
        .into_iter()
        .map(|(agency, actions)| AgencyActions { agency, actions })
        .collect()
}

fn context_row(refs: &Refs, c: &Context, gate: &Gate, today: Date) -> ContextRow {
    let lead = c
        .lead_practitioner
        .as_ref()
        .map(|l| refs.cb.settings.person(&l.value).ok_or(&l.value));
    let (lead, lead_agency) = match lead {
        Some(Ok(p)) => (
            p.name.value.clone(),
            refs.cb
                .settings
                .agency(&p.agency.value)
                .map_or_else(|| p.agency.value.clone(), |a| a.name.clone()),
        ),
        Some(Err(id)) => (id.clone(), String::new()),
        None => (String::new(), String::new()),
    };
    let meeting_ref = |m: &crate::model::Meeting| MeetingRef {
        date: m.date.value.to_string(),
        kind_label: m.kind.value.label(),
    };
    let open: Vec<_> = c
        .plan
        .iter()
        .flat_map(|p| p.actions.iter())
        .filter(|a| a.is_open())
        .collect();
    let rendered = gate.renderable.contains(&c.id);
    let state = match (&c.closed, rendered) {
        (_, false) => "Not rendered: its records have errors".to_string(),
        (Some(d), true) if d.value <= today => format!("Closed {}", d.value),
        _ => "Open".to_string(),
    };
    ContextRow {
        context: refs.context(&c.id),
        kind_label: c
            .context_type
            .as_ref()
            .map_or_else(String::new, |t| capitalise(t.value.label())),
        area: c.area.as_ref().map(|a| a.value.clone()).unwrap_or_default(),
        lead,
        lead_agency,
        last_meeting: due::last_held(c, today).map(meeting_ref),
        next_meeting: due::next_scheduled(c, today).map(meeting_ref),
        open_actions: open.len(),
        // A closed context's plan is finished with: nothing of it is chased.
        overdue_actions: if c.closed_by(today) {
            0
        } else {
            open.iter()
                .filter(|a| Mark::of(a, today).key == "overdue")
                .count()
        },
        state,
        rendered,
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |f| {
        f.to_uppercase().chain(chars).collect::<String>()
    })
}

// ---------------------------------------------------------------- documents

/// `html` -> `HTML`: the name of a file's format, for its link.
fn format_label(path: &str) -> String {
    path.rsplit_once('.')
        .map_or_else(|| "File".to_string(), |(_, ext)| ext.to_uppercase())
}

/// Links to a document's formats read HTML, PDF, CSV, then anything else.
fn format_rank(path: &str) -> u8 {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => 0,
        Some("pdf") => 1,
        Some("csv") => 2,
        _ => 3,
    }
}

/// `agenda.pdf` -> `Agenda`; a file that is no document by its name.
fn document_label(file: &str) -> String {
    match Kind::of_file(file) {
        Some(kind) => kind.title().to_string(),
        None => capitalise(
            &file
                .rsplit_once('.')
                .map_or(file, |(s, _)| s)
                .replace('-', " "),
        ),
    }
}

/// Adds a link to the row labelled `label`, making the row when it is new.
fn add_link(rows: &mut Vec<DocumentRow>, label: String, path: &str) {
    let link = Link {
        label: format_label(path),
        href: path.to_string(),
    };
    match rows.iter_mut().find(|r| r.label == label) {
        Some(row) => row.links.push(link),
        None => rows.push(DocumentRow {
            label,
            links: vec![link],
        }),
    }
}

/// The restricted documents of each context, in casebook order: the
/// context's own pages first, then each meeting's.
fn documents(
    cb: &Casebook,
    child_pages: &BTreeMap<String, String>,
    outputs: &[&str],
) -> Vec<DocumentGroup> {
    cb.contexts
        .iter()
        .filter_map(|c| {
            let prefix = format!("restricted/{}/", c.id);
            let mut rows = Vec::new();
            let mut files: Vec<&str> = outputs
                .iter()
                .copied()
                .filter(|p| p.starts_with(&prefix))
                .collect();
            // The context page, then its plan, then each meeting's folder;
            // HTML before PDF.
            files.sort_by_key(|p| (p.matches('/').count(), !p.ends_with("/index.html"), *p));
            for path in files {
                let rest = path.strip_prefix(&prefix).unwrap_or(path);
                let label = match rest.split_once('/') {
                    Some((meeting, file)) => {
                        format!("{}: {}", meeting_label(c, meeting), document_label(file))
                    }
                    None => document_label(rest),
                };
                add_link(&mut rows, label, path);
            }
            (!rows.is_empty()).then(|| DocumentGroup {
                id: c.id.clone(),
                title: c.title_text().to_string(),
                rows,
            })
        })
        .chain(young_people_group(child_pages, outputs))
        .collect()
}

/// The young people's own pages, by ref.
fn young_people_group(
    child_pages: &BTreeMap<String, String>,
    outputs: &[&str],
) -> Option<DocumentGroup> {
    let mut rows = Vec::new();
    for (reference, file) in child_pages {
        let path = format!("restricted/young_people/{file}");
        if outputs.contains(&path.as_str()) {
            add_link(&mut rows, format!("Young person {reference}"), &path);
        }
    }
    // Not a context id: those have no underscore.
    (!rows.is_empty()).then(|| DocumentGroup {
        id: "young_people".to_string(),
        title: "Young people".to_string(),
        rows,
    })
}

/// `2026-09-09-review` -> `Review conference, 2026-09-09`.
fn meeting_label(c: &Context, name: &str) -> String {
    c.meetings.iter().find(|m| m.name == name).map_or_else(
        || name.to_string(),
        |m| format!("{}, {}", m.kind.value.label(), m.date.value),
    )
}

/// `anonymised/<quarter>/<forum>.<ext>`, grouped by quarter (newest first)
/// and by forum.
fn summaries(cb: &Casebook, outputs: &[&str]) -> Vec<DocumentGroup> {
    let mut quarters: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for path in outputs {
        if let Some(rest) = path.strip_prefix("anonymised/")
            && let Some((quarter, _)) = rest.split_once('/')
        {
            quarters.entry(quarter).or_default().push(path);
        }
    }
    quarters
        .into_iter()
        .rev()
        .map(|(quarter, mut files)| {
            // By forum, then the formats in reading order.
            files.sort_by_key(|p| (p.rsplit_once('.').map_or(*p, |(s, _)| s), format_rank(p)));
            let mut rows = Vec::new();
            for path in files {
                let file = path.rsplit('/').next().unwrap_or(path);
                let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
                let label = cb
                    .settings
                    .forum(stem)
                    .map_or_else(|| document_label(file), |f| f.name.clone());
                add_link(&mut rows, label, path);
            }
            DocumentGroup {
                id: quarter.to_string(),
                title: quarter_title(quarter),
                rows,
            }
        })
        .collect()
}

/// `2026-Q3` -> `2026 quarter 3`.
fn quarter_title(q: &str) -> String {
    match q.split_once("-Q") {
        Some((year, n)) => format!("{year} quarter {n}"),
        None => q.to_string(),
    }
}

/// Files outside `restricted/` and `anonymised/`.
fn other_files(outputs: &[&str]) -> Vec<Link> {
    let mut links: Vec<Link> = outputs
        .iter()
        .filter(|p| !p.starts_with("restricted/") && !p.starts_with("anonymised/"))
        .map(|p| Link {
            label: if *p == super::calendar::PATH {
                "Calendar of conferences, review dates and action due dates (iCalendar)".to_string()
            } else {
                (*p).to_string()
            },
            href: (*p).to_string(),
        })
        .collect();
    links.sort_by(|a, b| a.href.cmp(&b.href));
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_for_days() {
        assert_eq!(due_when(-1), "Overdue by 1 day");
        assert_eq!(due_when(0), "Due today");
        assert_eq!(due_when(5), "Due in 5 days");
        assert_eq!(meeting_when(1), "Tomorrow");
    }

    #[test]
    fn labels_of_files() {
        assert_eq!(document_label("action-plan.pdf"), "Action plan");
        assert_eq!(document_label("pack.pdf"), "Meeting pack");
        assert_eq!(format_label("x/minutes.html"), "HTML");
        assert_eq!(quarter_title("2026-Q3"), "2026 quarter 3");
    }

    #[test]
    fn other_files_skip_documents() {
        let out = other_files(&["restricted/a/index.html", "calendar.ics", "anonymised/x"]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].href, "calendar.ics");
    }
}
