//! Loading a casebook: walk the folder, read every record, keep every value's
//! location, and turn every problem into a diagnostic. Never panics.
//!
//! Reading happens in layers: [`read`] gets a file's text (refusing binary,
//! oversized or non-UTF-8 files), [`markdown`] cuts front matter and body,
//! [`yaml`] parses YAML into a tree with locations, and [`decode`] with the
//! record modules ([`settings`], [`context`], [`assessment`], [`plan`],
//! [`meeting`]) checks that tree against FORMAT.md and fills the model. Checks
//! that compare records (references, duplicates, file names against front
//! matter) are the rules' business, not the loader's.

mod assessment;
mod attachments;
mod context;
pub mod decode;
pub mod markdown;
mod meeting;
mod plain_yaml;
mod plan;
mod published;
mod read;
mod settings;
pub mod yaml;
mod yaml_lines;
mod young_people;

use crate::diagnostic::Diagnostic;
use crate::fs_guard::{self, Refusal};
use crate::model::{self, Casebook, Context, MeetingKind, Plan, Settings};
use crate::rule_id::RuleId;
use crate::source::{FileId, Loc, SourceFile, SourceMap};
use decode::Dec;
use std::path::{Path, PathBuf};
use yaml::{Origin, Yaml, schema};

/// A casebook loaded, with the diagnostics found while reading it.
pub struct Loaded {
    pub casebook: Casebook,
    pub diagnostics: Vec<Diagnostic>,
}

/// A problem that stops loading before any record can be read (exit code 2).
#[derive(Debug)]
pub enum FatalError {
    /// The casebook folder does not exist or is not a folder.
    NoCasebook(PathBuf),
    /// The folder exists but cannot be read.
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for FatalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FatalError::NoCasebook(p) => write!(
                f,
                "casebook folder `{}` does not exist or is not a folder",
                p.display()
            ),
            FatalError::Io(p, e) => write!(f, "cannot read `{}`: {e}", p.display()),
        }
    }
}

impl std::error::Error for FatalError {}

/// Whether a context's `context.yaml` is there to read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Record {
    Present,
    Missing,
    /// There, but not a regular file inside the casebook (reported).
    Refused,
}

/// The file names a context folder may hold.
const CONTEXT_FILES: &[&str] = &["context.yaml", "assessment.md", "plan.yaml"];

/// The casebook folder, readable, with its guard.
fn open(root: &Path) -> Result<fs_guard::Casebook, FatalError> {
    if !root.is_dir() {
        return Err(FatalError::NoCasebook(root.to_path_buf()));
    }
    std::fs::read_dir(root).map_err(|e| FatalError::Io(root.to_path_buf(), e))?;
    fs_guard::Casebook::new(root).map_err(|e| FatalError::Io(root.to_path_buf(), e))
}

/// Only `contextpack.yaml`, as [`load_casebook`] reads it (defaults where
/// it is missing or does not read cleanly): what `rules` and `explain`
/// need, without reading every record.
pub fn load_settings(root: &Path) -> Result<Settings, FatalError> {
    let guard = open(root)?;
    let mut l = Loader {
        root,
        guard: &guard,
        sources: SourceMap::default(),
        diags: Vec::new(),
    };
    Ok(l.settings())
}

/// Reads the casebook rooted at `root`.
pub fn load_casebook(root: &Path) -> Result<Loaded, FatalError> {
    load_casebook_with(root, fs_guard::Overlay::default())
}

/// Reads the casebook rooted at `root`, taking the texts of `overlay`
/// (an editor's unsaved files) in place of what is on disk.
pub fn load_casebook_with(root: &Path, overlay: fs_guard::Overlay) -> Result<Loaded, FatalError> {
    let guard = open(root)?.with_overlay(overlay);
    let mut l = Loader {
        root,
        guard: &guard,
        sources: SourceMap::default(),
        diags: Vec::new(),
    };
    let settings = l.settings();
    let dirs = l.context_dirs()?;
    // Each context is read into a shard of its own, in parallel: parsing
    // is most of a check's time. Merged in folder order, the files and
    // diagnostics come out as a sequential read would give them.
    let loaded: Vec<(Option<Context>, SourceMap, Vec<Diagnostic>)> = on_reading_threads(|| {
        use rayon::prelude::*;
        dirs.par_iter()
            .enumerate()
            .map(|(i, (id, path))| {
                let mut sub = Loader {
                    root,
                    guard: &guard,
                    sources: SourceMap::shard(i as u32 + 1),
                    diags: Vec::new(),
                };
                let c = sub.context(id, path, &settings);
                (c, sub.sources, sub.diags)
            })
            .collect()
    });
    let mut contexts = Vec::with_capacity(loaded.len());
    for (c, sources, mut diags) in loaded {
        l.sources.merge(sources);
        l.diags.append(&mut diags);
        contexts.extend(c);
    }
    young_people::resolve(&mut contexts, &mut l.diags);
    let published = l.published()?;
    let messages = l.messages(&settings)?;
    Ok(Loaded {
        casebook: Casebook {
            sources: l.sources,
            settings,
            contexts,
            published,
            messages,
        },
        diagnostics: l.diags,
    })
}

/// Runs `read` on threads of their own, four to a core. A file the system
/// has not cached (the first check after a pull, a reboot or a big build)
/// waits on the disk, and with one thread to a core the cores wait with
/// it; with more, some parse while others wait. Where no thread can be
/// made, the reading runs where it is called.
fn on_reading_threads<T: Send>(read: impl FnOnce() -> T + Send) -> T {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match rayon::ThreadPoolBuilder::new()
        .num_threads(cores * 4)
        .thread_name(|i| format!("contextpack-read-{i}"))
        .build()
    {
        Ok(pool) => pool.install(read),
        Err(_) => read(),
    }
}

/// How the files of a folder by quarter and forum are named, and the help
/// each misnamed entry gets.
struct QuarterForumLayout {
    top: &'static str,
    /// The files' extension, without the dot.
    ext: &'static str,
    file_help: &'static str,
    folder_help: &'static str,
    name_help: &'static str,
}

const PUBLISHED: QuarterForumLayout = QuarterForumLayout {
    top: "published",
    ext: "yaml",
    file_help: "`contextpack publish` files each record as `published/<YYYY>-Q<n>/<forum>.yaml`",
    folder_help: "`contextpack publish` files each record as `published/<YYYY>-Q<n>/<forum>.yaml`, like `published/2026-Q3/safer-plymouth.yaml`",
    name_help: "a published record is named after its forum's id: `<forum>.yaml`",
};

const MESSAGES: QuarterForumLayout = QuarterForumLayout {
    top: "messages",
    ext: "md",
    file_help: "key messages are written as `messages/<YYYY>-Q<n>/<forum>.md`, one file for each forum's summary of a quarter",
    folder_help: "key messages are written as `messages/<YYYY>-Q<n>/<forum>.md`, like `messages/2026-Q3/safer-plymouth.md`",
    name_help: "key messages are named after a forum's id: `<forum>.md`",
};

/// A Markdown record as read: its front matter tree (when it parses), its
/// body, and whether both were read whole.
struct MarkdownRecord {
    file: FileId,
    yaml: Option<Yaml>,
    body: model::MarkdownBody,
    whole: bool,
}

struct Loader<'r> {
    root: &'r Path,
    guard: &'r fs_guard::Casebook,
    sources: SourceMap,
    diags: Vec<Diagnostic>,
}

/// An entry of a folder the loader walks.
struct Entry {
    name: String,
    path: PathBuf,
    kind: fs_guard::Kind,
}

impl Entry {
    fn is_file(&self) -> bool {
        self.kind.is_file()
    }

    fn is_dir(&self) -> bool {
        self.kind.is_dir()
    }

    fn refusal(&self) -> Option<Refusal> {
        match self.kind {
            fs_guard::Kind::Refused(r) => Some(r),
            _ => None,
        }
    }
}

/// The entries of a folder, sorted by name, with names as text: the visible
/// ones, and apart the hidden ones (names starting with `.`) that could be
/// records: folders, and files named like records. `.gitkeep` or
/// `.DS_Store` are nobody's record and pass without a word.
fn entries(guard: &fs_guard::Casebook, dir: &Path) -> std::io::Result<(Vec<Entry>, Vec<String>)> {
    let mut out = Vec::new();
    let mut hidden = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir || extension_is_record(&name) {
                hidden.push(name);
            }
            continue;
        }
        let path = entry.path();
        let kind = match entry.file_type() {
            Ok(t) => guard.classify_entry(&path, t),
            Err(_) => guard.classify(&path),
        };
        out.push(Entry { name, path, kind });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    hidden.sort();
    Ok((out, hidden))
}

fn extension_is_record(name: &str) -> bool {
    [".yaml", ".yml", ".md"]
        .iter()
        .any(|ext| name.to_ascii_lowercase().ends_with(ext))
}

impl Loader<'_> {
    /// A file that is named in a diagnostic but not read.
    fn placeholder(&mut self, rel: &str) -> FileId {
        self.sources.add(SourceFile::new(rel, ""))
    }

    /// Reads and parses a YAML file (or front matter) into a tree. `Err` when
    /// it cannot be read or parsed (already reported).
    fn parse(&mut self, file: FileId, base: usize, end: usize, line_offset: u32) -> Option<Yaml> {
        let source = self.sources.get(file)?;
        let mut base = base;
        if source
            .text
            .get(base..)
            .is_some_and(|t| t.starts_with('\u{FEFF}'))
        {
            base += 3;
        }
        let text = source.text.get(base..end)?;
        let origin = Origin {
            file,
            source,
            base,
            line_offset,
        };
        yaml::parse(text, origin, &mut self.diags)
    }

    fn read(&mut self, rel: &str) -> Result<FileId, FileId> {
        read::read(
            self.guard,
            &self.root.join(rel),
            rel,
            &mut self.sources,
            &mut self.diags,
        )
    }

    /// Reports a path that is not read: a symbolic link out of the
    /// casebook, or a FIFO, device or socket. Its target is never named.
    fn refused(&mut self, rel: &str, why: Refusal) -> FileId {
        let fid = self.placeholder(rel);
        self.diags.push(read::unsafe_file(fid, rel, why));
        fid
    }

    /// Reports every refused entry of a folder listing.
    fn refuse_entries(&mut self, dir: &str, list: &[Entry]) -> bool {
        let mut any = false;
        for e in list {
            if let Some(why) = e.refusal() {
                self.refused(&format!("{dir}/{}", e.name), why);
                any = true;
            }
        }
        any
    }

    /// Warns of hidden files and folders, which are never read: a record
    /// saved as `.context.yaml` by mistake would otherwise vanish silently.
    fn hidden(&mut self, dir: &str, names: &[String]) {
        for name in names {
            let fid = self.placeholder(&format!("{dir}/{name}"));
            self.diags.push(
                Diagnostic::new(
                    RuleId::HiddenFile, Loc::file_start(fid),
                    format!("hidden `{name}` in `{dir}` is not read"),
                )
                .with_help(
                    "names starting with `.` are skipped: rename it without the dot if it holds records, or move it out of the casebook",
                ),
            );
        }
    }

    fn decode(&mut self, f: impl FnOnce(&mut Dec)) {
        let mut d = Dec::default();
        f(&mut d);
        self.diags.append(&mut d.diags);
    }

    fn settings(&mut self) -> Settings {
        let mut settings = Settings::default();
        let rel = "contextpack.yaml";
        let kind = self.guard.classify(&self.root.join(rel));
        if let fs_guard::Kind::Refused(why) = kind {
            settings.file = Some(self.refused(rel, why));
            settings.incomplete = true;
            return settings;
        }
        if !kind.is_file() {
            let id = self.placeholder(rel);
            settings.file = Some(id);
            self.diags.push(
                schema(Loc::file_start(id), "no contextpack.yaml in this casebook").with_help(
                    "create it: see FORMAT.md, or run `contextpack init` for a starting casebook",
                ),
            );
            return settings;
        }
        let id = match self.read(rel) {
            Ok(id) => id,
            Err(id) => {
                settings.file = Some(id);
                settings.incomplete = true;
                return settings;
            }
        };
        settings.file = Some(id);
        let len = self.sources.text(id).len();
        match self.parse(id, 0, len, 0) {
            Some(y) => self.decode(|d| settings::decode(d, &y, &mut settings)),
            None => settings.incomplete = true,
        }
        // Indexes made while the lists were still being read are partial.
        settings.lookup = model::Lookup::default();
        settings.logo = settings.logo.take().and_then(|logo| self.logo(logo));
        settings
    }

    /// The logo's bytes, when `logo:` names a PNG, JPEG or SVG file inside
    /// the casebook that is one; else a diagnostic at `logo:`, and none.
    fn logo(&mut self, mut logo: model::Logo) -> Option<model::Logo> {
        const MAX_LOGO_BYTES: u64 = 2 * 1024 * 1024;
        let at = logo.path.loc;
        let written = logo.path.value.clone();
        let help = "give `logo:` the path of a PNG, JPEG or SVG file inside the casebook, relative to contextpack.yaml, such as `branding/logo.png`";
        let path = Path::new(&written);
        let inside = !written.is_empty()
            && path
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside {
            self.diags.push(
                schema(
                    at,
                    format!("logo `{written}` is not a path inside the casebook"),
                )
                .with_help(help),
            );
            return None;
        }
        // Named and checked as the images of the records are.
        let format = match attachments::format_of(&written).filter(|f| f.is_image()) {
            Some(f) => f,
            None => {
                self.diags.push(
                    schema(
                        at,
                        format!("logo `{written}` is not a PNG, JPEG or SVG file"),
                    )
                    .with_help(help),
                );
                return None;
            }
        };
        let bytes = match self.guard.read(&self.root.join(path), MAX_LOGO_BYTES) {
            Ok(bytes) => bytes,
            Err(e) => {
                let why = match e {
                    fs_guard::ReadError::Missing => "there is no such file".to_string(),
                    fs_guard::ReadError::TooLarge(n) => {
                        format!("it is {n} bytes, over the 2 MiB a logo may have")
                    }
                    other => other.to_string(),
                };
                self.diags.push(
                    schema(at, format!("cannot use logo `{written}`: {why}")).with_help(help),
                );
                return None;
            }
        };
        if attachments::check_content(format, &bytes).is_err() {
            self.diags.push(
                schema(
                    at,
                    format!(
                        "logo `{written}` is named as a {} file but is not one",
                        format.extension()
                    ),
                )
                .with_help(help),
            );
            return None;
        }
        logo.format = format.extension();
        logo.hash = attachments::short_hash(&bytes);
        logo.bytes = bytes;
        Some(logo)
    }

    /// The context folders under `cases/`, sorted; reports folders whose
    /// names are not ids.
    fn context_dirs(&mut self) -> Result<Vec<(String, PathBuf)>, FatalError> {
        let cases = self.root.join("cases");
        match self.guard.classify(&cases) {
            fs_guard::Kind::Dir(_) => {}
            fs_guard::Kind::Refused(why) => {
                self.refused("cases", why);
                return Ok(Vec::new());
            }
            _ => return Ok(Vec::new()),
        }
        let (list, hidden) =
            entries(self.guard, &cases).map_err(|e| FatalError::Io(cases.clone(), e))?;
        self.hidden("cases", &hidden);
        self.refuse_entries("cases", &list);
        let mut out = Vec::new();
        for Entry { name, path, kind } in list {
            if !kind.is_dir() {
                continue;
            }
            if decode::is_id(&name) {
                out.push((name, path));
            } else {
                let id = self.placeholder(&format!("cases/{name}"));
                self.diags.push(
                    schema(
                        Loc::file_start(id),
                        format!("context folder `{name}` is not a valid id; it is not read"),
                    )
                    .with_help(
                        "name context folders with lowercase letters, digits and hyphens, like `stonehouse-parade`",
                    ),
                );
            }
        }
        Ok(out)
    }

    fn context(&mut self, id: &str, path: &Path, settings: &Settings) -> Option<Context> {
        let dir = format!("cases/{id}");
        let (list, hidden) = match entries(self.guard, path) {
            Ok(list) => list,
            Err(e) => {
                let fid = self.placeholder(&dir);
                self.diags.push(schema(
                    Loc::file_start(fid),
                    format!("cannot read the context folder: {e}"),
                ));
                return None;
            }
        };
        self.hidden(&dir, &hidden);
        let refused_any = self.refuse_entries(&dir, &list);
        let refused = |name: &str| list.iter().any(|e| e.name == name && e.refusal().is_some());
        let has = |name: &str| list.iter().any(|e| e.name == name && e.is_file());
        let (has_context, has_assessment, has_plan) =
            (has("context.yaml"), has("assessment.md"), has("plan.yaml"));
        let conferences = list
            .iter()
            .find(|e| e.name == "conferences" && e.is_dir())
            .map(|e| e.path.clone());
        self.unexpected_files(&dir, &list);

        let record = if refused("context.yaml") {
            Record::Refused
        } else if has_context {
            Record::Present
        } else {
            Record::Missing
        };
        let mut c = self.context_record(id, &dir, record, settings);
        if record == Record::Refused {
            return Some(c);
        }
        c.incomplete |= refused_any;
        if has_assessment {
            c.assessment = self.assessment(&format!("{dir}/assessment.md"), &mut c.incomplete);
        }
        if has_plan {
            c.plan = Some(self.plan(&format!("{dir}/plan.yaml"), &mut c.incomplete));
        }
        if let Some(conf) = conferences {
            self.meetings(&dir, &conf, &mut c);
        }
        self.attachments(&mut c);
        Some(c)
    }

    /// Reports record-like files in a context folder that are not one of its
    /// files (`plan.yml`, `notes.md`).
    fn unexpected_files(&mut self, dir: &str, list: &[Entry]) {
        for Entry { name, kind, .. } in list {
            if !kind.is_file()
                || CONTEXT_FILES.contains(&name.as_str())
                || !extension_is_record(name)
            {
                continue;
            }
            let help = match crate::text::nearest(name, CONTEXT_FILES) {
                Some(n) => {
                    format!("did you mean `{n}`? conference files go in `{dir}/conferences/`")
                }
                None => format!(
                    "a context folder holds context.yaml, assessment.md, plan.yaml and conferences/; conference files go in `{dir}/conferences/`"
                ),
            };
            self.file_name_error(
                &format!("{dir}/{name}"),
                format!("unexpected file `{name}` in a context folder"),
                help,
            );
        }
    }

    fn file_name_error(&mut self, rel: &str, message: String, help: String) {
        let fid = self.placeholder(rel);
        self.diags
            .push(Diagnostic::new(RuleId::FileName, Loc::file_start(fid), message).with_help(help));
    }

    fn context_record(
        &mut self,
        id: &str,
        dir: &str,
        record: Record,
        settings: &Settings,
    ) -> Context {
        let rel = format!("{dir}/context.yaml");
        let exists = record == Record::Present;
        let (file, readable) = if exists {
            match self.read(&rel) {
                Ok(f) => (f, true),
                Err(f) => (f, false),
            }
        } else {
            (self.placeholder(&rel), false)
        };
        let mut c = Context {
            id: id.to_string(),
            dir: dir.to_string(),
            file,
            context_type: None,
            title: None,
            area: None,
            opened: None,
            closed: None,
            lead_practitioner: None,
            managed_by: None,
            harms: Vec::new(),
            young_people: Vec::new(),
            related: Vec::new(),
            assessment: None,
            plan: None,
            meetings: Vec::new(),
            attachments: Vec::new(),
            incomplete: false,
        };
        if record == Record::Refused {
            // Already reported at its own path: "missing" would mislead.
            c.incomplete = true;
            return c;
        }
        if !exists {
            c.incomplete = true;
            self.diags.push(
                schema(
                    Loc::file_start(file),
                    format!("missing context.yaml in `{dir}`"),
                )
                .with_help(format!(
                    "create {rel} with type, title, area and opened (see FORMAT.md)"
                )),
            );
            return c;
        }
        if !readable {
            c.incomplete = true;
            return c;
        }
        let len = self.sources.text(file).len();
        match self.parse(file, 0, len, 0) {
            Some(y) => self.decode(|d| context::decode(d, &y, settings, &mut c)),
            None => c.incomplete = true,
        }
        c
    }

    /// Reads a Markdown record: its front matter tree (if it parses) and its
    /// body. `None` when the file cannot be read or has no front matter.
    fn markdown(&mut self, rel: &str, example: &str) -> Option<MarkdownRecord> {
        let file = self.read(rel).ok()?;
        let source = self.sources.get(file)?;
        let split = match markdown::split_front_matter(source, file, example) {
            Ok(s) => s,
            Err(d) => {
                self.diags.push(*d);
                return None;
            }
        };
        let (yaml_base, yaml_end, body_start) = (
            split.yaml_base,
            split.yaml_base + split.yaml.len(),
            split.body_start,
        );
        let (body, body_ok) = match markdown::body(source, file, body_start, &mut self.diags) {
            Ok(b) => (b, true),
            Err(b) => (b, false),
        };
        let yaml = self.parse(file, yaml_base, yaml_end, 1);
        Some(MarkdownRecord {
            file,
            whole: body_ok && yaml.is_some(),
            yaml,
            body,
        })
    }

    fn assessment(&mut self, rel: &str, incomplete: &mut bool) -> Option<model::Assessment> {
        let Some(MarkdownRecord {
            file,
            yaml: y,
            body,
            whole,
        }) = self.markdown(rel, assessment::EXAMPLE)
        else {
            *incomplete = true;
            return None;
        };
        *incomplete |= !whole;
        let loc = match &y {
            Some(y) => y.loc,
            None => Loc::file_start(file),
        };
        let mut a = model::Assessment {
            file,
            loc,
            date: None,
            lead_practitioner: None,
            methods: Vec::new(),
            influencers: Vec::new(),
            weighting_loc: None,
            weighting: Vec::new(),
            body,
        };
        if let Some(y) = y {
            self.decode(|d| assessment::decode(d, &y, &mut a));
        }
        Some(a)
    }

    fn plan(&mut self, rel: &str, incomplete: &mut bool) -> Plan {
        let mut plan = Plan::default();
        let file = match self.read(rel) {
            Ok(f) => f,
            Err(f) => {
                plan.file = Some(f);
                *incomplete = true;
                return plan;
            }
        };
        plan.file = Some(file);
        let len = self.sources.text(file).len();
        match self.parse(file, 0, len, 0) {
            Some(y) => self.decode(|d| plan::decode(d, &y, &mut plan)),
            None => *incomplete = true,
        }
        plan
    }

    /// `published/<quarter>/<forum>.yaml`, quarters and forums in order.
    fn published(&mut self) -> Result<Vec<model::Published>, FatalError> {
        let files = self.quarter_forum_files(&PUBLISHED)?;
        let mut out = Vec::new();
        for (quarter, forum, file_rel) in files {
            let Ok(file) = self.read(&file_rel) else {
                continue;
            };
            let len = self.sources.text(file).len();
            let Some(y) = self.parse(file, 0, len, 0) else {
                continue;
            };
            let mut record = None;
            self.decode(|d| record = published::decode(d, &y, file, (&quarter, &forum)));
            out.extend(record);
        }
        Ok(out)
    }

    /// `messages/<quarter>/<forum>.md`: the analyst's key messages, in
    /// Markdown, for one forum's summary of one quarter.
    fn messages(&mut self, settings: &Settings) -> Result<Vec<model::KeyMessages>, FatalError> {
        let files = self.quarter_forum_files(&MESSAGES)?;
        let mut out = Vec::new();
        for (quarter, forum, file_rel) in files {
            if !settings.forums.iter().any(|f| f.id.value == forum) {
                let known: Vec<&str> = settings
                    .forums
                    .iter()
                    .map(|f| f.id.value.as_str())
                    .collect();
                let help = match crate::text::nearest(&forum, &known) {
                    Some(near) => format!(
                        "did you mean `{near}.md`? Key messages are named after a forum's id under `forums:` in contextpack.yaml"
                    ),
                    None => format!(
                        "key messages are named after a forum's id under `forums:` in contextpack.yaml: {}",
                        known.join(", ")
                    ),
                };
                self.file_name_error(
                    &file_rel,
                    format!("no forum `{forum}` for `{file_rel}`"),
                    help,
                );
                continue;
            }
            let Ok(file) = self.read(&file_rel) else {
                continue;
            };
            let text = self.sources.text(file).to_string();
            let at = Loc::file_start(file);
            out.push(model::KeyMessages {
                file,
                quarter,
                forum,
                text: crate::source::Sp::new(text, at),
            });
        }
        Ok(out)
    }

    /// The files of a folder laid out by quarter and forum,
    /// `<top>/<YYYY>-Q<n>/<forum>.<ext>`, as (quarter, forum, path from the
    /// casebook's root), in order; anything else there is a diagnostic that
    /// says how such files are named.
    fn quarter_forum_files(
        &mut self,
        layout: &QuarterForumLayout,
    ) -> Result<Vec<(String, String, String)>, FatalError> {
        let QuarterForumLayout { top, ext, .. } = *layout;
        let dir = self.root.join(top);
        match self.guard.classify(&dir) {
            fs_guard::Kind::Dir(_) => {}
            fs_guard::Kind::Refused(why) => {
                self.refused(top, why);
                return Ok(Vec::new());
            }
            _ => return Ok(Vec::new()),
        }
        let (list, hidden) =
            entries(self.guard, &dir).map_err(|e| FatalError::Io(dir.clone(), e))?;
        self.hidden(top, &hidden);
        self.refuse_entries(top, &list);
        let mut out = Vec::new();
        for Entry { name, path, kind } in list {
            let rel = format!("{top}/{name}");
            if !kind.is_dir() {
                if kind.is_file() {
                    self.file_name_error(
                        &rel,
                        format!("unexpected file `{name}` in `{top}/`"),
                        layout.file_help.to_string(),
                    );
                }
                continue;
            }
            if name.parse::<crate::summary::Quarter>().is_err() {
                self.file_name_error(
                    &rel,
                    format!("folder `{name}` in `{top}/` is not a quarter"),
                    layout.folder_help.to_string(),
                );
                continue;
            }
            let (files, hidden) =
                entries(self.guard, &path).map_err(|e| FatalError::Io(path.clone(), e))?;
            self.hidden(&rel, &hidden);
            self.refuse_entries(&rel, &files);
            for f in files.iter().filter(|f| f.is_file()) {
                let forum = f
                    .name
                    .strip_suffix(ext)
                    .and_then(|s| s.strip_suffix('.'))
                    .filter(|s| decode::is_id(s));
                let file_rel = format!("{rel}/{}", f.name);
                match forum {
                    Some(forum) => out.push((name.clone(), forum.to_string(), file_rel)),
                    None => self.file_name_error(
                        &file_rel,
                        format!("unexpected file `{}` in `{rel}/`", f.name),
                        layout.name_help.to_string(),
                    ),
                }
            }
        }
        Ok(out)
    }

    fn meetings(&mut self, dir: &str, path: &Path, c: &mut Context) {
        let (list, hidden) = match entries(self.guard, path) {
            Ok(list) => list,
            Err(e) => {
                let fid = self.placeholder(&format!("{dir}/conferences"));
                self.diags.push(schema(
                    Loc::file_start(fid),
                    format!("cannot read the conferences folder: {e}"),
                ));
                c.incomplete = true;
                return;
            }
        };
        self.hidden(&format!("{dir}/conferences"), &hidden);
        c.incomplete |= self.refuse_entries(&format!("{dir}/conferences"), &list);
        for Entry { name, kind, .. } in list {
            if !kind.is_file() || !extension_is_record(&name) {
                continue;
            }
            let rel = format!("{dir}/conferences/{name}");
            if let Err(help) = check_meeting_name(&name) {
                self.file_name_error(
                    &rel,
                    format!("unexpected file name `{name}` for a conference"),
                    help,
                );
                c.incomplete = true;
                continue;
            }
            match self.meeting(&rel, &name, &mut c.incomplete) {
                Some(m) => c.meetings.push(m),
                None => c.incomplete = true,
            }
        }
        c.meetings.sort_by(|a, b| {
            (a.date.value, a.kind.value, &a.name).cmp(&(b.date.value, b.kind.value, &b.name))
        });
    }

    /// A meeting record; `incomplete` is set when it is not read whole.
    fn meeting(
        &mut self,
        rel: &str,
        file_name: &str,
        incomplete: &mut bool,
    ) -> Option<model::Meeting> {
        let Some(MarkdownRecord {
            file,
            yaml,
            body,
            whole,
        }) = self.markdown(rel, meeting::EXAMPLE)
        else {
            *incomplete = true;
            return None;
        };
        *incomplete |= !whole;
        let y = yaml?;
        let name = file_name
            .strip_suffix(".md")
            .unwrap_or(file_name)
            .to_string();
        let mut out = None;
        self.decode(|d| out = meeting::decode(d, &y, file, name, body));
        out
    }
}

/// A conference file is named `<YYYY-MM-DD>-<kind>.md`; otherwise the help
/// to give. Whether the name agrees with the front matter is the `file-name`
/// rule's business.
fn check_meeting_name(name: &str) -> Result<(), String> {
    let generic = "conference files are named <YYYY-MM-DD>-<kind>.md, with kind initial, review or interim: for example 2026-09-14-initial.md".to_string();
    let Some(stem) = name.strip_suffix(".md") else {
        return Err(match name.rsplit_once('.') {
            Some((stem, _)) => format!("conference files are Markdown: did you mean `{stem}.md`?"),
            None => generic,
        });
    };
    let (date, kind) = match (stem.get(..10), stem.get(10..11), stem.get(11..)) {
        (Some(date), Some("-"), Some(kind)) => (date, kind),
        _ => return Err(generic),
    };
    let date_shape = date.char_indices().all(|(i, ch)| match i {
        4 | 7 => ch == '-',
        _ => ch.is_ascii_digit(),
    });
    if !date_shape {
        return Err(generic);
    }
    if MeetingKind::parse(kind).is_some() {
        return Ok(());
    }
    Err(match crate::text::nearest(kind, MeetingKind::NAMES) {
        Some(k) => format!("did you mean `{date}-{k}.md`?"),
        None => generic,
    })
}

#[cfg(test)]
mod tests;
