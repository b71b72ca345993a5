//! `contextpack init` and `contextpack new`: a new casebook, context or
//! conference written to follow FORMAT.md, with comments saying what to fill in.
//!
//! Nothing here overwrites a file: every file is created with `create_new`, and
//! every target is looked at before the first one is written, so that a refusal
//! leaves the casebook exactly as it was.

mod moving;
pub mod repository;
pub mod text;

pub use moving::{MoveMeeting, move_meeting};

use crate::load::decode::{is_id, suggestion};
use crate::model::{
    Casebook, Context, ContextType, Date, Meeting, MeetingKind, Person, Settings, Time,
};
use crate::text::slug;
use std::fmt;
use std::io::Write;
use std::path::Path;
use text::{ConferenceDraft, ContextDraft, Invite};

/// Why nothing (or not everything) was written. Every variant is a problem
/// with the request or the disk, not with the records: exit code 2.
#[derive(Debug)]
pub enum Error {
    /// The request cannot be met: a bad id, an unknown person, no casebook.
    Invalid { message: String, help: String },
    /// A file to write is already there; nothing was written.
    Exists { files: Vec<String> },
    /// The disk said no. `written` lists what was created before it did.
    Io {
        path: String,
        error: std::io::Error,
        written: Vec<String>,
    },
}

impl Error {
    fn invalid(message: impl Into<String>, help: impl Into<String>) -> Self {
        Error::Invalid {
            message: message.into(),
            help: help.into(),
        }
    }

    /// What to do about it, for the `help:` line.
    pub fn help(&self) -> String {
        match self {
            Error::Invalid { help, .. } => help.clone(),
            Error::Exists { .. } => {
                "contextpack never overwrites a record: edit the existing file, or move it \
                 aside first if you mean to start again"
                    .to_string()
            }
            Error::Io { written, .. } if written.is_empty() => {
                "check that the folder exists and that you may write to it".to_string()
            }
            Error::Io { written, .. } => format!(
                "already written: {}; remove them or finish them by hand",
                written.join(", ")
            ),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid { message, .. } => f.write_str(message),
            Error::Exists { files } => {
                let noun = if files.len() == 1 { "file" } else { "files" };
                write!(
                    f,
                    "not written: the {noun} {} already exist{}",
                    files.join(", "),
                    if files.len() == 1 { "s" } else { "" }
                )
            }
            Error::Io { path, error, .. } => write!(f, "cannot write `{path}`: {error}"),
        }
    }
}

impl std::error::Error for Error {}

/// What a command wrote, for the message that follows it.
#[derive(Debug, Default)]
pub struct Written {
    /// Files created, relative to the casebook, `/`-separated.
    pub created: Vec<String>,
    /// Existing files added to (only `.gitignore`).
    pub updated: Vec<String>,
    /// Things worth knowing about what was written.
    pub notes: Vec<String>,
    /// What to do next, in order.
    pub next: Vec<String>,
}

/// One file to create: its path relative to the casebook, and its text.
struct NewFile {
    rel: String,
    text: String,
}

/// Refuses to write at `rel` when it, or a folder on the way to it, is a
/// symbolic link out of the casebook (or a FIFO, device or socket): a
/// casebook from elsewhere must not steer a new file outside it.
fn stays_inside(root: &Path, rel: &str) -> Result<(), Error> {
    let Ok(guard) = crate::fs_guard::Casebook::new(root) else {
        // The folder does not exist yet: nothing in it can lead out.
        return Ok(());
    };
    match guard.classify(&root.join(rel.trim_end_matches('/'))) {
        crate::fs_guard::Kind::Refused(why) => Err(Error::invalid(
            format!("`{rel}` {}; nothing was written", why.message()),
            why.help(),
        )),
        _ => Ok(()),
    }
}

/// Creates every file, after making sure none of them exists.
fn create_all(root: &Path, files: &[NewFile]) -> Result<Vec<String>, Error> {
    for f in files {
        stays_inside(root, &f.rel)?;
    }
    let existing: Vec<String> = files
        .iter()
        .filter(|f| root.join(&f.rel).exists())
        .map(|f| f.rel.clone())
        .collect();
    if !existing.is_empty() {
        return Err(Error::Exists { files: existing });
    }
    let mut written = Vec::new();
    for f in files {
        if let Err(error) = create_one(&root.join(&f.rel), &f.text) {
            // Lost a race with someone else creating it: still a refusal.
            if error.kind() == std::io::ErrorKind::AlreadyExists && written.is_empty() {
                return Err(Error::Exists {
                    files: vec![f.rel.clone()],
                });
            }
            return Err(Error::Io {
                path: f.rel.clone(),
                error,
                written,
            });
        }
        written.push(f.rel.clone());
    }
    Ok(written)
}

fn create_one(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

// ---------------------------------------------------------------- init

/// `contextpack init [DIR]`: `contextpack.yaml` with the defaults, an empty
/// `cases/`, and `.gitignore` lines for the output. Refuses a folder that
/// already holds a casebook.
/// A new casebook in `dir`: contextpack.yaml (the partnership's name and
/// `forums` as (id, name), or neutral names for the terms of reference's
/// three when none are given), `cases/` and a `.gitignore`.
pub fn init(
    dir: &Path,
    partnership: Option<&str>,
    forums: &[(String, String)],
) -> Result<Written, Error> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::invalid(
            format!("`{}` is not a folder", dir.display()),
            "give the folder to create the casebook in",
        ));
    }
    let partnership = partnership.unwrap_or(text::PARTNERSHIP_PLACEHOLDER);
    if partnership.trim().is_empty() {
        return Err(Error::invalid(
            "the partnership's name is blank",
            "give its name, for example --partnership \"Plymouth Safeguarding Children Partnership\"",
        ));
    }
    if dir.join("contextpack.yaml").exists() {
        return Err(Error::invalid(
            format!(
                "`{}` already holds a casebook (contextpack.yaml)",
                dir.display()
            ),
            "contextpack never overwrites a record: edit that contextpack.yaml, or give \
             `contextpack init` a new folder",
        ));
    }
    for rel in ["contextpack.yaml", "cases/", ".gitignore"] {
        stays_inside(dir, rel)?;
    }
    let cases = dir.join("cases");
    if cases.is_dir() && !is_empty_dir(&cases) {
        return Err(Error::invalid(
            format!("`{}` already holds records in cases/", dir.display()),
            "contextpack never overwrites a record: give `contextpack init` a new folder, \
             or write contextpack.yaml by hand (FORMAT.md)",
        ));
    }
    let mut w = Written {
        created: create_all(
            dir,
            &[NewFile {
                rel: "contextpack.yaml".into(),
                text: text::settings(partnership, forums),
            }],
        )?,
        ..Written::default()
    };
    if !cases.is_dir() {
        std::fs::create_dir_all(&cases).map_err(|error| Error::Io {
            path: "cases/".into(),
            error,
            written: w.created.clone(),
        })?;
        w.created.push("cases/".into());
    }
    gitignore(dir, &mut w)?;
    schemas(dir, &mut w)?;
    w.next = vec![
        "in contextpack.yaml: the partnership's name, your agencies and the people who lead \
         and chair conferences"
            .to_string(),
        "contextpack new context <id> --type TYPE --title TITLE --lead PERSON".to_string(),
        "contextpack check".to_string(),
    ];
    Ok(w)
}

/// The records' JSON Schemas in `schemas/`, which the files `init` and
/// `new` write name in their first line, for editors.
fn schemas(dir: &Path, w: &mut Written) -> Result<(), Error> {
    let known = match crate::load::load_casebook(dir) {
        Ok(loaded) => crate::schema::Known::of(&loaded.casebook),
        Err(_) => crate::schema::Known::builtin(),
    };
    let out = dir.join(crate::schema::SCHEMA_DIR);
    let written = crate::schema::write_all(&out, &known).map_err(|error| Error::Io {
        path: format!("{}/", crate::schema::SCHEMA_DIR),
        error,
        written: w.created.clone(),
    })?;
    w.created.extend(written.iter().filter_map(|p| {
        let name = p.file_name()?.to_str()?;
        Some(format!("{}/{name}", crate::schema::SCHEMA_DIR))
    }));
    Ok(())
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// Creates `.gitignore`, or adds the lines it lacks to one that exists (as
/// `cargo init` does): a repository usually has one already.
fn gitignore(dir: &Path, w: &mut Written) -> Result<(), Error> {
    let path = dir.join(".gitignore");
    let io = |error, w: &Written| Error::Io {
        path: ".gitignore".into(),
        error,
        written: w.created.clone(),
    };
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e, w)),
    };
    let missing: Vec<&str> = text::GITIGNORE_LINES
        .iter()
        .copied()
        .filter(|l| !existing.as_deref().is_some_and(|t| has_line(t, l)))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut add = String::new();
    if existing
        .as_deref()
        .is_some_and(|t| !t.is_empty() && !t.ends_with('\n'))
    {
        add.push('\n');
    }
    add.push_str("# contextpack: rendered documents are rebuilt from the records\n");
    for l in missing {
        add.push_str(l);
        add.push('\n');
    }
    let result = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .and_then(|mut f| f.write_all(add.as_bytes()));
    result.map_err(|e| io(e, w))?;
    if existing.is_some() {
        w.updated.push(".gitignore".into());
    } else {
        w.created.push(".gitignore".into());
    }
    Ok(())
}

/// Whether `.gitignore` text already ignores `line` (with or without its
/// leading or trailing slash).
fn has_line(text: &str, line: &str) -> bool {
    let bare = |s: &str| s.trim().trim_matches('/').to_string();
    text.lines().any(|l| bare(l) == bare(line))
}

// ---------------------------------------------------------------- loading

/// The casebook a `new` command adds to. Its records may have problems (that
/// is `check`'s business); only a missing `contextpack.yaml` stops us.
fn load(root: &Path) -> Result<Casebook, Error> {
    if !root.join("contextpack.yaml").is_file() {
        return Err(Error::invalid(
            format!(
                "no casebook at `{}`: it has no contextpack.yaml",
                root.display()
            ),
            "run this from the casebook folder or give --casebook DIR; \
             `contextpack init` creates a new casebook",
        ));
    }
    crate::load::load_casebook(root)
        .map(|l| l.casebook)
        .map_err(|e| Error::invalid(e.to_string(), "check that you may read the folder"))
}

/// A person of the casebook, or a did-you-mean.
fn person<'s>(settings: &'s Settings, id: &str, what: &str) -> Result<&'s Person, Error> {
    if let Some(p) = settings.person(id) {
        return Ok(p);
    }
    let ids: Vec<&str> = settings
        .people
        .iter()
        .map(|p| p.id.value.as_str())
        .collect();
    let help = if ids.is_empty() {
        "contextpack.yaml lists no people yet: add them under `people:` first".to_string()
    } else {
        format!(
            "{}; people are listed under `people:` in contextpack.yaml",
            suggestion(id, &ids, "people")
        )
    };
    Err(Error::invalid(
        format!("{what} `{id}` is not a person in contextpack.yaml"),
        help,
    ))
}

// ---------------------------------------------------------------- new context

/// What `new context` was asked for.
pub struct NewContext<'a> {
    pub id: &'a str,
    pub context_type: &'a str,
    pub title: &'a str,
    pub lead: &'a str,
    pub area: Option<&'a str>,
    pub opened: Date,
}

/// The date a new record is dated by when none is given: the same "today"
/// the checks use ([`crate::today_of`]), from contextpack.yaml alone.
pub fn today(root: &Path, given: Option<Date>) -> Date {
    let settings = crate::load::load_settings(root).unwrap_or_default();
    crate::today_of(given, &settings)
}

/// `contextpack new context`: `cases/<id>/` with context.yaml, an assessment
/// skeleton holding every required section, and an empty plan.
pub fn new_context(root: &Path, req: &NewContext) -> Result<Written, Error> {
    check_context_id(req.id)?;
    let context_type = ContextType::parse(req.context_type).ok_or_else(|| {
        Error::invalid(
            format!("unknown context type `{}`", req.context_type),
            suggestion(req.context_type, ContextType::NAMES, "context types"),
        )
    })?;
    if req.title.trim().is_empty() {
        return Err(Error::invalid(
            "the title is blank",
            "give the context's title, for example --title \"Stonehouse parade and Victoria Park\"",
        ));
    }
    let casebook = load(root)?;
    let dir = format!("cases/{}", req.id);
    if root.join(&dir).is_dir() && !is_empty_dir(&root.join(&dir)) {
        return Err(Error::invalid(
            format!("the context `{}` already exists ({dir}/)", req.id),
            format!(
                "choose another id, or edit its files; `contextpack new conference {} \
                 --date YYYY-MM-DD` adds a meeting to it",
                req.id
            ),
        ));
    }
    let lead = person(&casebook.settings, req.lead, "lead practitioner")?;
    let lead_id = lead.id.value.as_str();
    let area = req.area.filter(|a| !a.trim().is_empty());
    let draft = ContextDraft {
        context_type,
        title: req.title.trim(),
        area,
        opened: req.opened,
        lead: lead_id,
        harms: casebook
            .settings
            .harm_names()
            .into_iter()
            .map(str::to_string)
            .collect(),
    };
    let files = [
        NewFile {
            rel: format!("{dir}/context.yaml"),
            text: text::context(&draft),
        },
        NewFile {
            rel: format!("{dir}/assessment.md"),
            text: text::assessment(lead_id),
        },
        NewFile {
            rel: format!("{dir}/plan.yaml"),
            text: text::plan(),
        },
    ];
    let mut w = Written {
        created: create_all(root, &files)?,
        ..Written::default()
    };
    if area.is_none() {
        w.next.push(format!(
            "in {dir}/context.yaml: the area, harms and young people"
        ));
    } else {
        w.next
            .push(format!("in {dir}/context.yaml: the harms and young people"));
    }
    w.next.push(format!(
        "in {dir}/assessment.md: the date, the weighting factors and every section"
    ));
    w.next.push(format!(
        "contextpack new conference {} --date YYYY-MM-DD --chair PERSON --venue VENUE",
        req.id
    ));
    w.next.push("contextpack check".into());
    Ok(w)
}

/// A context id names its folder: FORMAT.md's ids, lowercase `a-z0-9-`.
fn check_context_id(id: &str) -> Result<(), Error> {
    if is_id(id) {
        return Ok(());
    }
    let guess = slug(id);
    let help = if guess.is_empty() {
        "use lowercase letters, digits and hyphens, like `stonehouse-parade`".to_string()
    } else {
        format!("use lowercase letters, digits and hyphens: did you mean `{guess}`?")
    };
    Err(Error::invalid(
        format!("`{id}` is not a valid context id (it names the folder cases/<id>)"),
        help,
    ))
}

// ---------------------------------------------------------------- new conference

/// What `new conference` was asked for.
pub struct NewConference<'a> {
    pub context: &'a str,
    pub date: Date,
    /// `None`: review when the context has held a conference before the
    /// date, initial otherwise.
    pub kind: Option<&'a str>,
    pub chair: Option<&'a str>,
    pub venue: Option<&'a str>,
    /// The day the command runs, for the notes on a past date.
    pub today: Date,
}

/// `contextpack new conference`: `cases/<ctx>/conferences/<date>-<kind>.md`,
/// scheduled. A review takes its chair, venue and invitations from the
/// previous conference and the review arrangements it agreed.
pub fn new_conference(root: &Path, req: &NewConference) -> Result<Written, Error> {
    let casebook = load(root)?;
    let c = find_context(&casebook, req.context)?;
    let previous = previous_conference(c, req.date);
    let kind = match req.kind {
        Some(k) => parse_kind(k)?,
        None if previous.is_some() => MeetingKind::Review,
        None => MeetingKind::Initial,
    };
    let chair = match req.chair {
        Some(id) => Some(person(&casebook.settings, id, "chair")?),
        None => None,
    };
    let venue = req.venue.filter(|v| !v.trim().is_empty()).map(str::trim);
    let mut notes = date_notes(c, req.date, req.today);
    let draft = match kind {
        MeetingKind::Review => {
            let prev = previous.ok_or_else(|| no_previous(c, req.date))?;
            notes.extend(review_date_note(prev, req.date));
            review_draft(&casebook.settings, c, prev, req.date, chair, venue)
        }
        MeetingKind::Initial | MeetingKind::Interim => {
            fresh_draft(&casebook.settings, c, kind, req.date, chair, venue)
        }
    };
    let mut draft = draft;
    draft.core_not_invited = core_not_invited(&casebook.settings, &draft);
    let rel = format!("{}/conferences/{}-{kind}.md", c.dir, req.date);
    let created = create_all(
        root,
        &[NewFile {
            rel: rel.clone(),
            text: text::conference(&draft),
        }],
    )?;
    let mut next = Vec::new();
    let blanks = blanks(&draft);
    if !blanks.is_empty() {
        next.push(format!("in {rel}: {}", blanks.join(", ")));
    }
    next.push("contextpack check".into());
    Ok(Written {
        created,
        updated: Vec::new(),
        notes,
        next,
    })
}

/// A meeting in the past or after the context closed is allowed (records
/// are often written up late) but worth a word.
fn date_notes(c: &Context, date: Date, today: Date) -> Vec<String> {
    let mut notes = Vec::new();
    if date < today {
        notes.push(format!(
            "{date} is in the past: once the meeting has happened, record it as `status: held`"
        ));
    }
    if let Some(closed) = c.closed.as_ref().filter(|cl| cl.value <= date) {
        notes.push(format!(
            "{} closed on {}: a closed context needs no further review",
            c.dir, closed.value
        ));
    }
    notes
}

/// The facts the draft leaves to fill in, as the next step names them.
fn blanks(d: &ConferenceDraft) -> Vec<&'static str> {
    let mut out = Vec::new();
    if d.venue.is_none() {
        out.push("the venue");
    }
    if d.kind != MeetingKind::Interim && d.chair.is_none() {
        out.push("the chair");
    }
    if d.kind != MeetingKind::Interim && d.chair_role.is_none() {
        out.push("the chair's role");
    }
    if d.kind != MeetingKind::Interim && d.venue_agreed_by.len() < 2 {
        out.push("who agreed the venue");
    }
    out.push("check the times and invitations");
    out
}

fn find_context<'c>(casebook: &'c Casebook, id: &str) -> Result<&'c Context, Error> {
    if let Some(c) = casebook.contexts.iter().find(|c| c.id == id) {
        return Ok(c);
    }
    let ids: Vec<&str> = casebook.contexts.iter().map(|c| c.id.as_str()).collect();
    let help = if ids.is_empty() {
        "this casebook has no contexts yet: `contextpack new context <id> ...` creates one"
            .to_string()
    } else {
        suggestion(id, &ids, "contexts")
    };
    Err(Error::invalid(
        format!("there is no context `{id}` in cases/"),
        help,
    ))
}

fn parse_kind(kind: &str) -> Result<MeetingKind, Error> {
    MeetingKind::parse(kind).ok_or_else(|| {
        Error::invalid(
            format!("unknown meeting kind `{kind}`"),
            suggestion(kind, MeetingKind::NAMES, "meeting kinds"),
        )
    })
}

/// The last initial or review conference held before `date`: the one a
/// review on `date` follows.
fn previous_conference(c: &Context, date: Date) -> Option<&Meeting> {
    c.meetings
        .iter()
        .filter(|m| m.is_held() && m.is_conference() && m.date.value < date)
        .max_by_key(|m| m.date.value)
}

fn no_previous(c: &Context, date: Date) -> Error {
    Error::invalid(
        format!(
            "a review follows a held conference, and {} has none before {date}",
            c.dir
        ),
        "give --kind initial for the first conference, or record the previous conference \
         as `status: held` first",
    )
}

/// A review on a date other than the one agreed is allowed (it may have been
/// moved) but worth saying: `review-held` will look for the agreed date.
fn review_date_note(prev: &Meeting, date: Date) -> Option<String> {
    let agreed = prev.review.as_ref()?.date.as_ref()?.value;
    (agreed != date).then(|| {
        format!(
            "the conference of {} agreed its review for {agreed}, not {date}; if the review \
             moved, record that in the file for {agreed} (status: moved)",
            prev.date.value
        )
    })
}

fn review_draft(
    settings: &Settings,
    c: &Context,
    prev: &Meeting,
    date: Date,
    chair: Option<&Person>,
    venue: Option<&str>,
) -> ConferenceDraft {
    let (chair_id, chair_role) = match chair {
        Some(p) => (Some(p.id.value.clone()), chair_role_for(settings, c, p)),
        None => (
            prev.chair.as_ref().map(|s| s.value.clone()),
            prev.chair_role.as_ref().map(|s| s.value.clone()),
        ),
    };
    let same_venue = venue.is_none();
    let venue_agreed_by = match &prev.venue_agreed_by {
        Some(list) if same_venue => list.value.iter().map(|s| s.value.clone()).collect(),
        _ => chair_id.iter().cloned().collect(),
    };
    ConferenceDraft {
        kind: MeetingKind::Review,
        date,
        start: prev.start.as_ref().map_or_else(default_start, |s| s.value),
        end: prev
            .end
            .as_ref()
            .map_or_else(|| default_end(settings, MeetingKind::Review), |s| s.value),
        venue: venue
            .map(str::to_string)
            .or_else(|| prev.venue.as_ref().map(|v| v.value.clone())),
        venue_agreed_by,
        chair_candidates: chair_candidates(settings, c),
        chair: chair_id,
        chair_role,
        invited: review_invites(prev),
        copied_from: Some(format!(
            "the conference of {} and the review arrangements it agreed",
            prev.date.value
        )),
        managed_by: c.managed_by.as_ref().map(|m| m.value.clone()),
        core_not_invited: Vec::new(),
    }
}

/// The agencies the previous conference chose for the review, each with the
/// person or name it invited last time; its own invitations when it chose none.
fn review_invites(prev: &Meeting) -> Vec<Invite> {
    let last_time = |agency: &str| {
        prev.invited
            .as_ref()
            .and_then(|list| list.value.iter().find(|i| i.agency.value == agency))
    };
    let chosen: Option<Vec<&str>> = prev
        .review
        .as_ref()
        .and_then(|r| r.agencies.as_ref())
        .map(|a| a.value.iter().map(|s| s.value.as_str()).collect());
    let agencies: Vec<&str> = match chosen {
        Some(list) => list,
        None => prev
            .invited
            .as_ref()
            .map(|l| l.value.iter().map(|i| i.agency.value.as_str()).collect())
            .unwrap_or_default(),
    };
    let mut out: Vec<Invite> = Vec::new();
    for agency in agencies {
        if out.iter().any(|i| i.agency == agency) {
            continue;
        }
        let before = last_time(agency);
        out.push(Invite {
            agency: agency.to_string(),
            person: before.and_then(|i| i.person.as_ref().map(|p| p.value.clone())),
            name: before.and_then(|i| i.name.as_ref().map(|n| n.value.clone())),
        });
    }
    out
}

/// An initial conference or an interim meeting: what the casebook knows
/// (the lead practitioner, the core agencies, the chair if given).
fn fresh_draft(
    settings: &Settings,
    c: &Context,
    kind: MeetingKind,
    date: Date,
    chair: Option<&Person>,
    venue: Option<&str>,
) -> ConferenceDraft {
    let lead = c
        .lead_practitioner
        .as_ref()
        .and_then(|l| settings.person(&l.value));
    ConferenceDraft {
        kind,
        date,
        start: default_start(),
        end: default_end(settings, kind),
        venue: venue.map(str::to_string),
        venue_agreed_by: chair.iter().map(|p| p.id.value.clone()).collect(),
        chair: chair.map(|p| p.id.value.clone()),
        chair_role: chair.and_then(|p| chair_role_for(settings, c, p)),
        chair_candidates: chair_candidates(settings, c),
        invited: fresh_invites(settings, kind, lead, chair),
        copied_from: None,
        managed_by: c.managed_by.as_ref().map(|m| m.value.clone()),
        core_not_invited: Vec::new(),
    }
}

/// A conference invites every core agency, and the lead's and chair's own; an
/// interim meeting, called by the lead practitioner, starts from the lead's.
fn fresh_invites(
    settings: &Settings,
    kind: MeetingKind,
    lead: Option<&Person>,
    chair: Option<&Person>,
) -> Vec<Invite> {
    let mut agencies: Vec<&str> = Vec::new();
    if kind != MeetingKind::Interim {
        agencies.extend(
            settings
                .agencies
                .iter()
                .filter(|a| a.core)
                .map(|a| a.id.value.as_str()),
        );
    }
    for p in [lead, chair].into_iter().flatten() {
        if !agencies.contains(&p.agency.value.as_str()) {
            agencies.push(&p.agency.value);
        }
    }
    agencies
        .into_iter()
        .map(|agency| {
            let person = [lead, chair]
                .into_iter()
                .flatten()
                .find(|p| p.agency.value == agency)
                .map(|p| p.id.value.clone());
            Invite {
                agency: agency.to_string(),
                person,
                name: None,
            }
        })
        .collect()
}

/// Core agencies a conference draft does not invite; an interim meeting
/// need not invite them.
fn core_not_invited(settings: &Settings, d: &ConferenceDraft) -> Vec<String> {
    if d.kind == MeetingKind::Interim {
        return Vec::new();
    }
    settings
        .agencies
        .iter()
        .filter(|a| a.core && !d.invited.iter().any(|i| i.agency == a.id.value))
        .map(|a| a.id.value.clone())
        .collect()
}

/// The chair roles allowed for the context's type.
fn allowed_roles<'s>(settings: &'s Settings, c: &Context) -> Vec<&'s str> {
    c.context_type
        .as_ref()
        .and_then(|t| settings.protocol.chairs.get(&t.value))
        .map(|roles| roles.iter().map(|r| r.value.as_str()).collect())
        .unwrap_or_default()
}

/// The person's role that allows them to chair this context, else their
/// first role (rule `chair-role` will then say what is wrong).
fn chair_role_for(settings: &Settings, c: &Context, p: &Person) -> Option<String> {
    let allowed = allowed_roles(settings, c);
    p.roles
        .iter()
        .find(|r| allowed.contains(&r.value.as_str()))
        .or_else(|| p.roles.first())
        .map(|r| r.value.clone())
}

/// "kim-davies (community-safety-partnership-manager)" for everyone whose
/// roles allow them to chair this context.
fn chair_candidates(settings: &Settings, c: &Context) -> Vec<String> {
    let allowed = allowed_roles(settings, c);
    settings
        .people
        .iter()
        .filter_map(|p| {
            let role = p
                .roles
                .iter()
                .find(|r| allowed.contains(&r.value.as_str()))?;
            Some(format!("{} ({})", p.id.value, role.value))
        })
        .collect()
}

fn default_start() -> Time {
    Time::from_hms_opt(10, 0, 0).unwrap_or_default()
}

/// The protocol's length for a conference; an hour for an interim meeting.
fn default_end(settings: &Settings, kind: MeetingKind) -> Time {
    let minutes = match kind {
        MeetingKind::Interim => 60,
        _ => settings.protocol.conference_minutes,
    };
    let (end, wrapped) = default_start()
        .overflowing_add_signed(chrono::Duration::minutes(i64::from(minutes.min(13 * 60))));
    // A length past midnight cannot be written as a time: stop the day at 23:59.
    if wrapped != 0 {
        Time::from_hms_opt(23, 59, 0).unwrap_or_default()
    } else {
        end
    }
}

#[cfg(test)]
mod tests;
