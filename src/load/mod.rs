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
mod context;
pub mod decode;
pub mod markdown;
mod meeting;
mod plan;
mod read;
mod settings;
pub mod yaml;

use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{self, Casebook, Context, MeetingKind, Plan, Settings};
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

/// The file names a context folder may hold.
const CONTEXT_FILES: &[&str] = &["context.yaml", "assessment.md", "plan.yaml"];

/// Reads the casebook rooted at `root`.
pub fn load_casebook(root: &Path) -> Result<Loaded, FatalError> {
    if !root.is_dir() {
        return Err(FatalError::NoCasebook(root.to_path_buf()));
    }
    std::fs::read_dir(root).map_err(|e| FatalError::Io(root.to_path_buf(), e))?;
    let mut l = Loader {
        root,
        sources: SourceMap::default(),
        diags: Vec::new(),
    };
    let settings = l.settings();
    let dirs = l.context_dirs()?;
    // Each context is read into a shard of its own, in parallel: parsing
    // is most of a check's time. Merged in folder order, the files and
    // diagnostics come out as a sequential read would give them.
    let loaded: Vec<(Option<Context>, SourceMap, Vec<Diagnostic>)> = {
        use rayon::prelude::*;
        dirs.par_iter()
            .enumerate()
            .map(|(i, (id, path))| {
                let mut sub = Loader {
                    root,
                    sources: SourceMap::shard(i as u32 + 1),
                    diags: Vec::new(),
                };
                let c = sub.context(id, path, &settings);
                (c, sub.sources, sub.diags)
            })
            .collect()
    };
    let mut contexts = Vec::with_capacity(loaded.len());
    for (c, sources, mut diags) in loaded {
        l.sources.merge(sources);
        l.diags.append(&mut diags);
        contexts.extend(c);
    }
    Ok(Loaded {
        casebook: Casebook {
            sources: l.sources,
            settings,
            contexts,
        },
        diagnostics: l.diags,
    })
}

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
    sources: SourceMap,
    diags: Vec<Diagnostic>,
}

/// The visible entries of a folder, sorted by name, with names as text.
fn entries(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            out.push((name, entry.path()));
        }
    }
    out.sort();
    Ok(out)
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
        let source = self.sources.get(file);
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
            &self.root.join(rel),
            rel,
            &mut self.sources,
            &mut self.diags,
        )
    }

    fn decode(&mut self, f: impl FnOnce(&mut Dec)) {
        let mut d = Dec::default();
        f(&mut d);
        self.diags.append(&mut d.diags);
    }

    fn settings(&mut self) -> Settings {
        let mut settings = Settings::default();
        let rel = "contextpack.yaml";
        if !self.root.join(rel).is_file() {
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
        let len = self.sources.get(id).text.len();
        match self.parse(id, 0, len, 0) {
            Some(y) => self.decode(|d| settings::decode(d, &y, &mut settings)),
            None => settings.incomplete = true,
        }
        // Indexes made while the lists were still being read are partial.
        settings.lookup = model::Lookup::default();
        settings
    }

    /// The context folders under `cases/`, sorted; reports folders whose
    /// names are not ids.
    fn context_dirs(&mut self) -> Result<Vec<(String, PathBuf)>, FatalError> {
        let cases = self.root.join("cases");
        if !cases.is_dir() {
            return Ok(Vec::new());
        }
        let list = entries(&cases).map_err(|e| FatalError::Io(cases.clone(), e))?;
        let mut out = Vec::new();
        for (name, path) in list {
            if !path.is_dir() {
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
        let list = match entries(path) {
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
        let has = |name: &str| list.iter().any(|(n, p)| n == name && p.is_file());
        let (has_context, has_assessment, has_plan) =
            (has("context.yaml"), has("assessment.md"), has("plan.yaml"));
        let conferences = list
            .iter()
            .find(|(n, p)| n == "conferences" && p.is_dir())
            .map(|(_, p)| p.clone());
        self.unexpected_files(&dir, &list);

        let mut c = self.context_record(id, &dir, has_context, settings);
        if has_assessment {
            c.assessment = self.assessment(&format!("{dir}/assessment.md"), &mut c.incomplete);
        }
        if has_plan {
            c.plan = Some(self.plan(&format!("{dir}/plan.yaml"), &mut c.incomplete));
        }
        if let Some(conf) = conferences {
            self.meetings(&dir, &conf, &mut c);
        }
        Some(c)
    }

    /// Reports record-like files in a context folder that are not one of its
    /// files (`plan.yml`, `notes.md`).
    fn unexpected_files(&mut self, dir: &str, list: &[(String, PathBuf)]) {
        for (name, path) in list {
            if !path.is_file()
                || CONTEXT_FILES.contains(&name.as_str())
                || !extension_is_record(name)
            {
                continue;
            }
            let help = match decode::nearest(name, CONTEXT_FILES) {
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
        self.diags.push(
            Diagnostic::new("file-name", Kind::Error, Loc::file_start(fid), message)
                .with_help(help),
        );
    }

    fn context_record(
        &mut self,
        id: &str,
        dir: &str,
        exists: bool,
        settings: &Settings,
    ) -> Context {
        let rel = format!("{dir}/context.yaml");
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
            assessment: None,
            plan: None,
            meetings: Vec::new(),
            incomplete: false,
        };
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
        let len = self.sources.get(file).text.len();
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
        let source = self.sources.get(file);
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
        let len = self.sources.get(file).text.len();
        match self.parse(file, 0, len, 0) {
            Some(y) => self.decode(|d| plan::decode(d, &y, &mut plan)),
            None => *incomplete = true,
        }
        plan
    }

    fn meetings(&mut self, dir: &str, path: &Path, c: &mut Context) {
        let list = match entries(path) {
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
        for (name, file_path) in list {
            if !file_path.is_file() || !extension_is_record(&name) {
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
    Err(match decode::nearest(kind, MeetingKind::NAMES) {
        Some(k) => format!("did you mean `{date}-{k}.md`?"),
        None => generic,
    })
}

#[cfg(test)]
mod tests;
