//! `check --changed [REF]` and `check FILE...`: the findings in the files a
//! change touched, and those the change made elsewhere, without the ones
//! that were there before it. A pre-commit hook then blocks what the commit
//! breaks, not an overdue review in a context nobody touched.
//!
//! "Made elsewhere" is decided by checking the casebook as it stood at the
//! base (written from git's objects into a temporary folder) on the same
//! day: a finding in an untouched file that the base does not have is the
//! change's doing (a person removed from `people:` while a context still
//! names them), and is reported.

use crate::Checked;
use crate::build::git::changes::{Base, Since, base};
use crate::diagnostic::Diagnostic;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

/// The files a narrowed check reports on: casebook-relative paths, and
/// folders (ending in `/`) that take every file under them.
#[derive(Debug, Default, Clone)]
pub struct Selection {
    pub paths: BTreeSet<String>,
}

impl Selection {
    pub fn holds(&self, path: &str) -> bool {
        self.paths.contains(path)
            || self
                .paths
                .iter()
                .any(|p| p.ends_with('/') && path.starts_with(p.as_str()))
    }
}

/// The outcome: the findings to report, and how many others were left out.
#[derive(Debug)]
pub struct Narrowed {
    pub diagnostics: Vec<Diagnostic>,
    /// Findings in other files that were there at the base.
    pub left_out: usize,
    /// The files reported on.
    pub files: Selection,
    /// Why the findings elsewhere could not be compared (no repository),
    /// when they could not: only the selection's are then reported.
    pub no_base: Option<String>,
}

/// Why `--changed` could not be answered.
#[derive(Debug)]
pub enum Unanswered {
    /// The casebook in the folder cannot be read (as for any `check`).
    Casebook(crate::load::FatalError),
    /// The repository, the revision or the base cannot be read.
    Changes(String),
}

/// What `--changed` selects: the staged files, or those changed since a
/// revision, with the casebook as it was then checked on the same day.
///
/// For the staged files, what is checked is the casebook as the next
/// commit will hold it (the staged text, not the folder's), so a broken
/// file that is not being committed blocks nothing, and the folder is not
/// checked at all. The result's `Checked` is the one the findings are of.
pub fn changed(
    root: &Path,
    today: Option<crate::model::Date>,
    since: Since,
) -> Result<(Checked, Narrowed), Unanswered> {
    let snapshot;
    let (now, base) = match since {
        Since::Staged => {
            let base = base(root, since, &[]).map_err(Unanswered::Changes)?;
            snapshot = tempdir().map_err(Unanswered::Changes)?;
            base.write_staged(snapshot.path())
                .map_err(Unanswered::Changes)?;
            let now = crate::check_casebook(snapshot.path(), today)
                .map_err(|e| Unanswered::Changes(e.to_string()))?;
            (now, base)
        }
        Since::Rev(_) => {
            let now = crate::check_casebook(root, today).map_err(Unanswered::Casebook)?;
            let base = base_of(root, &now, since).map_err(Unanswered::Changes)?;
            (now, base)
        }
    };
    let files = Selection {
        paths: base.changed.clone(),
    };
    let before = checked_at(&base, &now).map_err(Unanswered::Changes)?;
    let narrowed = narrow(&now, files, Some(&before), None);
    Ok((now, narrowed))
}

fn tempdir() -> Result<tempfile::TempDir, String> {
    tempfile::Builder::new()
        .prefix("contextpack-")
        .tempdir()
        .map_err(|e| format!("a temporary folder for the casebook as it was: {e}"))
}

/// What `check FILE...` selects, compared with `HEAD` when the casebook is
/// in a repository that has one.
pub fn files(root: &Path, checked: &Checked, files: Selection) -> Narrowed {
    let before = base_of(root, checked, Since::Rev("HEAD")).and_then(|b| checked_at(&b, checked));
    match before {
        Ok(before) => narrow(checked, files, Some(&before), None),
        Err(why) => narrow(checked, files, None, Some(why)),
    }
}

fn base_of(root: &Path, checked: &Checked, since: Since) -> Result<Base, String> {
    let on_disk: Vec<(&str, &[u8])> = checked
        .casebook
        .sources
        .iter()
        .map(|(_, f)| (f.path.as_str(), f.text.as_bytes()))
        .collect();
    base(root, since, &on_disk)
}

fn checked_at(base: &Base, now: &Checked) -> Result<Checked, String> {
    let dir = tempdir()?;
    base.write_records(dir.path())?;
    crate::check_casebook(dir.path(), Some(now.today)).map_err(|e| e.to_string())
}

/// What identifies a finding across two versions of a casebook.
fn key(checked: &Checked, d: &Diagnostic) -> (String, String, u32, u32, String, bool) {
    (
        d.rule.as_str().to_string(),
        checked.path_of(d.loc.file),
        d.loc.line,
        d.loc.column,
        d.message.clone(),
        d.is_explained(),
    )
}

fn narrow(
    now: &Checked,
    files: Selection,
    before: Option<&Checked>,
    no_base: Option<String>,
) -> Narrowed {
    let earlier: HashSet<_> = before
        .map(|b| b.diagnostics.iter().map(|d| key(b, d)).collect())
        .unwrap_or_default();
    let mut left_out = 0;
    let diagnostics = now
        .diagnostics
        .iter()
        .filter(|d| {
            let keep = files.holds(&now.path_of(d.loc.file))
                || (before.is_some() && !earlier.contains(&key(now, d)));
            left_out += usize::from(!keep);
            keep
        })
        .cloned()
        .collect();
    Narrowed {
        diagnostics,
        left_out,
        files,
        no_base,
    }
}
