//! What changed in a casebook, for `check --changed` and `check FILE...`:
//! which files differ from a base (the staged files from `HEAD`, or the
//! working folder from a named revision), and the casebook as it stood at
//! that base, to tell a finding the change made from one that was there.
//!
//! Read as files like the rest of this module: git is never run.

use super::objects::{ObjectKind, Oid};
use super::repo::Repo;
use super::{blob_id, prefix_in};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What a narrowed check compares against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since<'a> {
    /// What `git add` staged, against `HEAD`: a pre-commit hook's question.
    Staged,
    /// The files on disk, against a commit, branch or tag.
    Rev(&'a str),
}

/// A base to compare with: the casebook's files at that commit.
pub struct Base {
    repo: Repo,
    /// Casebook-relative path to blob, at the base.
    pub files: BTreeMap<String, Oid>,
    /// Casebook-relative paths that differ from the base (for `Staged`,
    /// those staged; else those on disk whose bytes differ, or that the
    /// base has and the folder has not, or the other way round).
    pub changed: BTreeSet<String>,
    /// For `Staged`: the casebook's files as the next commit will hold them.
    pub staged: Option<BTreeMap<String, Oid>>,
}

/// The base of `since` for the casebook at `root`, whose files on disk are
/// `on_disk` (casebook-relative path and bytes). An error says why the
/// repository or the revision cannot be read.
pub fn base(root: &Path, since: Since, on_disk: &[(&str, &[u8])]) -> Result<Base, String> {
    let repo = match Repo::discover(root) {
        Ok(Some(repo)) => repo,
        Ok(None) => return Err("the casebook is not in a git repository".into()),
        Err(why) => return Err(format!("the git repository cannot be read: {}", why.0)),
    };
    let prefix = prefix_in(&repo, root);
    let under = |path: &str| -> Option<String> {
        let mut rest = path;
        for part in &prefix {
            rest = rest.strip_prefix(part.as_str())?.strip_prefix('/')?;
        }
        Some(rest.to_string())
    };
    let rev = match since {
        Since::Staged => "HEAD",
        Since::Rev(name) => name,
    };
    let commit = repo.rev(rev).map_err(|e| e.0)?;
    let files: BTreeMap<String, Oid> = match commit {
        Some(oid) => {
            let tree = repo.commit(&oid).map_err(|e| e.0)?.tree;
            match repo.subtree(tree, &prefix).map_err(|e| e.0)? {
                Some(t) => repo.blobs(t).map_err(|e| e.0)?.into_iter().collect(),
                None => BTreeMap::new(),
            }
        }
        // Before the first commit, everything staged is new.
        None if since == Since::Staged => BTreeMap::new(),
        None => {
            return Err(format!(
                "`{rev}` names no commit, branch or tag of the repository"
            ));
        }
    };
    let mut staged_files = None;
    let changed = match since {
        Since::Staged => {
            let staged: BTreeMap<String, Oid> = repo
                .index()
                .map_err(|e| e.0)?
                .into_iter()
                .filter_map(|(path, oid)| Some((under(&path)?, oid)))
                .collect();
            let mut changed: BTreeSet<String> = staged
                .iter()
                .filter(|(path, oid)| files.get(*path) != Some(oid))
                .map(|(path, _)| path.clone())
                .collect();
            changed.extend(files.keys().filter(|p| !staged.contains_key(*p)).cloned());
            staged_files = Some(staged);
            changed
        }
        Since::Rev(_) => {
            let mut changed = BTreeSet::new();
            let mut seen = BTreeSet::new();
            for (path, bytes) in on_disk {
                seen.insert(*path);
                if files.get(*path) != Some(&blob_id(repo.sha256, bytes)) {
                    changed.insert(path.to_string());
                }
            }
            changed.extend(
                files
                    .keys()
                    .filter(|p| is_record(p) && !seen.contains(p.as_str()))
                    .cloned(),
            );
            changed
        }
    };
    Ok(Base {
        repo,
        files,
        changed,
        staged: staged_files,
    })
}

/// A path `check` reads.
fn is_record(path: &str) -> bool {
    path == "contextpack.yaml"
        || ["cases/", "published/", "messages/"]
            .iter()
            .any(|p| path.starts_with(p))
}

impl Base {
    /// Writes the base's records into `dir` (an empty folder), as the
    /// casebook stood then, to be checked beside the casebook as it is.
    pub fn write_records(&self, dir: &Path) -> Result<(), String> {
        self.write(&self.files, dir)
    }

    /// Writes the staged records into `dir`: the casebook as the next
    /// commit will hold it, whatever else the folder holds. `Ok(false)`
    /// when this base is not of the staged files.
    pub fn write_staged(&self, dir: &Path) -> Result<bool, String> {
        match &self.staged {
            Some(staged) => self.write(staged, dir).map(|()| true),
            None => Ok(false),
        }
    }

    fn write(&self, files: &BTreeMap<String, Oid>, dir: &Path) -> Result<(), String> {
        for (path, oid) in files.iter().filter(|(p, _)| is_record(p)) {
            let unsafe_path = Path::new(path)
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)));
            if unsafe_path {
                continue;
            }
            let (kind, bytes) = self.repo.store.read(oid).map_err(|e| e.0)?;
            if kind != ObjectKind::Blob {
                continue;
            }
            let target = dir.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            std::fs::write(&target, &*bytes).map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}
