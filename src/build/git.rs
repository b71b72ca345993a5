//! Which commit a build came from, asked of the machine's own `git`.
//!
//! Every document says where it came from, so a chair can tell a pack built
//! from committed records from one built from someone's unsaved edits. A
//! casebook outside git, or a machine without git, is "not under version
//! control": the build goes on, and the documents say so.

use serde::Serialize;
use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};

/// Where the records of a build came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// A commit of a git repository.
    Commit(Commit),
    /// A git repository that has no commit yet.
    NoCommit,
    /// Not in a git working tree, or git is not installed.
    Unversioned,
}

/// The commit checked out when the build ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commit {
    /// The full object name.
    pub hash: String,
    /// git's abbreviation: unique in the repository, at least 7 digits.
    pub short: String,
    /// The casebook folder differs from the commit (changed, added or
    /// deleted files, the output folder aside).
    pub dirty: bool,
}

impl Provenance {
    /// The line printed on every page.
    pub fn text(&self) -> String {
        match self {
            Provenance::Commit(c) if c.dirty => {
                format!("Built from commit {} with uncommitted changes", c.short)
            }
            Provenance::Commit(c) => format!("Built from commit {}", c.short),
            Provenance::NoCommit => {
                "Built from uncommitted records (the repository has no commit yet)".to_string()
            }
            Provenance::Unversioned => "Built from records not under version control".to_string(),
        }
    }

    pub fn commit(&self) -> Option<&Commit> {
        match self {
            Provenance::Commit(c) => Some(c),
            _ => None,
        }
    }
}

/// Asks git about the casebook folder. `ignore` are folders inside it whose
/// changes do not count (the output folder and a build's temporary folders),
/// as paths relative to the casebook with `/` separators; entries ending in
/// `*` are globs.
pub fn provenance(casebook: &Path, ignore: &[String]) -> Provenance {
    match git(casebook, ["rev-parse", "--is-inside-work-tree"]) {
        Some(inside) if inside.trim() == "true" => {}
        // Not a repository, inside a `.git` folder, git missing or refusing
        // (a repository owned by someone else): nothing we can vouch for.
        _ => return Provenance::Unversioned,
    }
    let Some(hash) = git(
        casebook,
        ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"],
    ) else {
        return Provenance::NoCommit;
    };
    let hash = hash.trim().to_string();
    let short = git(casebook, ["rev-parse", "--short", hash.as_str()])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| hash.chars().take(7).collect());
    Provenance::Commit(Commit {
        dirty: is_dirty(casebook, ignore),
        hash,
        short,
    })
}

/// Whether `git status` shows any change in the casebook folder outside
/// `ignore`. If git cannot tell, the records cannot be vouched for: dirty.
fn is_dirty(casebook: &Path, ignore: &[String]) -> bool {
    // Only the casebook folder: a change elsewhere in a larger repository
    // does not touch the records.
    let mut args = vec![
        "status".to_string(),
        "--porcelain".to_string(),
        "-z".to_string(),
        "--untracked-files=normal".to_string(),
        "--".to_string(),
        ".".to_string(),
    ];
    for path in ignore {
        if path.contains('*') {
            args.push(format!(":(exclude,glob){path}"));
        } else {
            args.push(format!(":(exclude,literal){path}"));
        }
    }
    git(casebook, &args).is_none_or(|status| !status.is_empty())
}

/// Runs `git -C dir args`: its standard output when it succeeds, `None` when
/// git is missing or fails. Variables that would point git at another
/// repository (set inside git hooks) are removed.
fn git<I, S>(dir: &Path, args: I) -> Option<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        // `status` would otherwise refresh the index, writing into the
        // repository while someone else may be using it.
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording() {
        let commit = |dirty| {
            Provenance::Commit(Commit {
                hash: "1a2b3c4d5e".into(),
                short: "1a2b3c4".into(),
                dirty,
            })
        };
        assert_eq!(commit(false).text(), "Built from commit 1a2b3c4");
        assert_eq!(
            commit(true).text(),
            "Built from commit 1a2b3c4 with uncommitted changes"
        );
        assert!(
            Provenance::Unversioned
                .text()
                .contains("not under version control")
        );
    }

    #[test]
    fn a_folder_outside_git_is_unversioned() {
        let dir = std::env::temp_dir().join(format!("contextpack-git-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        // /tmp is not a repository on any sane machine; if it is, say nothing.
        if git(&dir, ["rev-parse", "--git-dir"]).is_none() {
            assert_eq!(provenance(&dir, &[]), Provenance::Unversioned);
        }
        let _ = std::fs::remove_dir(&dir);
    }
}
