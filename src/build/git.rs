//! Which commit the records of a build came from, for the casebook as a
//! whole and for each context.
//!
//! Every document says where it came from, so a chair can tell a pack built
//! from committed records from one built from someone's unsaved edits. A
//! context's documents carry the context's own provenance: the last commit
//! that touched its folder, "with uncommitted changes" only when its files
//! differ from that commit. An edit in one context then changes that
//! context's documents and the casebook-wide files, nothing else, which is
//! what lets a rebuild render only what changed.
//!
//! Nothing a repository configures is executed. git is asked only to read
//! objects (`rev-parse`, `ls-tree`, `log --name-only`), which never run
//! fsmonitor, filters, hooks, textconv or external diffs; the pager and
//! signature checks are turned off, and inherited `GIT_*` variables are
//! dropped. Whether a file changed is decided here, by hashing the bytes
//! contextpack read the way git hashes a blob, never by `git status`. A
//! casebook outside git, or a machine without git, is "not under version
//! control": the build goes on, and the documents say so.

use serde::Serialize;
use sha2::Digest;
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read};
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
    /// The records differ from the commit (changed, added, deleted, or
    /// present but not committed: ignored and untracked records count).
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

/// The provenance of the casebook and of each of its contexts.
#[derive(Debug, Clone)]
pub struct History {
    /// HEAD, dirty when any file read differs from it.
    pub casebook: Provenance,
    /// By context id: the last commit that touched `cases/<id>/`, dirty
    /// when one of that context's files differs from HEAD.
    pub contexts: HashMap<String, Provenance>,
}

impl History {
    /// Outside version control, for the casebook and every context.
    pub fn unversioned() -> Self {
        History {
            casebook: Provenance::Unversioned,
            contexts: HashMap::new(),
        }
    }

    /// The provenance of a context's documents (the casebook's when the
    /// context is unknown).
    pub fn of_context(&self, id: &str) -> &Provenance {
        self.contexts.get(id).unwrap_or(&self.casebook)
    }
}

/// A file the build read, as it read it.
pub struct FileRead<'a> {
    /// Casebook-relative, `/` separators.
    pub path: &'a str,
    pub bytes: &'a [u8],
}

/// Asks git about the casebook at `root`: `files` are the files the build
/// read (records, settings, templates), `contexts` the context ids, each
/// owning `cases/<id>/`.
pub fn history(root: &Path, files: &[FileRead], contexts: &[&str]) -> History {
    let Some(repo) = Repo::open(root) else {
        return History::unversioned();
    };
    let Some(head) = repo.head() else {
        let contexts = contexts
            .iter()
            .map(|id| (id.to_string(), Provenance::NoCommit))
            .collect();
        return History {
            casebook: Provenance::NoCommit,
            contexts,
        };
    };
    let tree = repo.tree();
    let changed = changed_paths(&repo, tree.as_ref(), files, root);
    let context_of = |path: &str| -> Option<String> {
        let rest = path.strip_prefix("cases/")?;
        let (id, _) = rest.split_once('/')?;
        Some(id.to_string())
    };
    // Without a tree listing nothing can be vouched for.
    let casebook_dirty = tree.is_none() || !changed.is_empty();
    let dirty_contexts: std::collections::HashSet<String> =
        changed.iter().filter_map(|p| context_of(p)).collect();
    let last = repo.last_commits(contexts);
    let contexts = contexts
        .iter()
        .map(|id| {
            let (hash, short) = last
                .get(*id)
                .cloned()
                .unwrap_or_else(|| (head.0.clone(), head.1.clone()));
            let commit = Commit {
                hash,
                short,
                dirty: tree.is_none() || dirty_contexts.contains(*id),
            };
            (id.to_string(), Provenance::Commit(commit))
        })
        .collect();
    History {
        casebook: Provenance::Commit(Commit {
            hash: head.0,
            short: head.1,
            dirty: casebook_dirty,
        }),
        contexts,
    }
}

/// The casebook provenance alone (the summaries' `report`).
pub fn provenance(root: &Path, files: &[FileRead]) -> Provenance {
    history(root, files, &[]).casebook
}

/// The casebook-relative paths whose bytes differ from HEAD: changed,
/// added (untracked or ignored), or committed but gone from the folder.
fn changed_paths(
    repo: &Repo,
    tree: Option<&BTreeMap<String, String>>,
    files: &[FileRead],
    root: &Path,
) -> Vec<String> {
    let Some(tree) = tree else {
        return Vec::new();
    };
    let mut changed = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for f in files {
        seen.insert(f.path);
        match tree.get(f.path) {
            Some(blob) if *blob == repo.blob_id(f.bytes) => {}
            Some(_) => changed.push(f.path.to_string()),
            // Named in a diagnostic but not on disk: nothing was read.
            None if std::fs::symlink_metadata(root.join(f.path)).is_err() => {}
            None => changed.push(f.path.to_string()),
        }
    }
    // A committed record deleted from the folder changes what is built.
    for path in tree.keys() {
        let is_record = path.starts_with("cases/")
            || path.starts_with("templates/")
            || path == "contextpack.yaml";
        if is_record
            && !seen.contains(path.as_str())
            && std::fs::symlink_metadata(root.join(path)).is_err()
        {
            changed.push(path.clone());
        }
    }
    changed
}

/// A git repository holding the casebook, asked through the `git` program
/// with nothing of the repository's configuration that could run code.
struct Repo<'a> {
    root: &'a Path,
    sha256: bool,
    /// The casebook folder's path inside the repository (`""` or `sub/`):
    /// git names paths from the top of the repository.
    prefix: String,
}

impl<'a> Repo<'a> {
    fn open(root: &'a Path) -> Option<Repo<'a>> {
        let inside = git(root, ["rev-parse", "--is-inside-work-tree"])?;
        if inside.trim() != "true" {
            return None;
        }
        let format = git(root, ["rev-parse", "--show-object-format"]).unwrap_or_default();
        let prefix = git(root, ["rev-parse", "--show-prefix"]).unwrap_or_default();
        Some(Repo {
            root,
            sha256: format.trim() == "sha256",
            prefix: prefix.trim_end_matches('\n').to_string(),
        })
    }

    /// `(hash, short)` of HEAD, `None` before the first commit.
    fn head(&self) -> Option<(String, String)> {
        let hash = git(
            self.root,
            ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"],
        )?;
        let hash = hash.trim().to_string();
        let short = git(self.root, ["rev-parse", "--short", hash.as_str()])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| hash.chars().take(7).collect());
        Some((hash, short))
    }

    /// HEAD's blobs under the casebook folder: casebook-relative path to
    /// object id.
    fn tree(&self) -> Option<BTreeMap<String, String>> {
        let listing = git(
            self.root,
            ["ls-tree", "-r", "-z", "--full-tree", "HEAD", "--", "."],
        )?;
        let prefix = self.prefix.as_str();
        let mut out = BTreeMap::new();
        for entry in listing.split('\0').filter(|e| !e.is_empty()) {
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let mut parts = meta.split(' ');
            let (_, kind, id) = (parts.next(), parts.next(), parts.next());
            if kind != Some("blob") {
                continue;
            }
            if let (Some(id), Some(rel)) = (id, path.strip_prefix(prefix)) {
                out.insert(rel.to_string(), id.to_string());
            }
        }
        Some(out)
    }

    /// The object id git gives a blob holding `bytes`.
    fn blob_id(&self, bytes: &[u8]) -> String {
        let header = format!("blob {}\0", bytes.len());
        if self.sha256 {
            let mut h = sha2::Sha256::new();
            h.update(header.as_bytes());
            h.update(bytes);
            format!("{:x}", h.finalize())
        } else {
            let mut h = sha1::Sha1::new();
            h.update(header.as_bytes());
            h.update(bytes);
            format!("{:x}", h.finalize())
        }
    }

    /// For each context, `(hash, short)` of the newest commit that touched
    /// `cases/<id>/`. One walk of the history, stopped as soon as every
    /// context is found.
    fn last_commits(&self, contexts: &[&str]) -> HashMap<String, (String, String)> {
        let mut found = HashMap::new();
        if contexts.is_empty() {
            return found;
        }
        let wanted: std::collections::HashSet<&str> = contexts.iter().copied().collect();
        let prefix = self.prefix.as_str();
        let Some(mut child) = command(self.root)
            .args([
                "log",
                "-z",
                "--no-renames",
                "--no-show-signature",
                "--format=%x01%H %h",
                "--name-only",
                "HEAD",
                "--",
                "cases",
            ])
            .stdout(Stdio::piped())
            .spawn()
            .ok()
        else {
            return found;
        };
        if let Some(stdout) = child.stdout.take() {
            let mut current: Option<(String, String)> = None;
            for record in BufReader::new(stdout).split(0) {
                let Ok(record) = record else { break };
                let text = String::from_utf8_lossy(&record);
                // The format line follows the previous commit's last name.
                let mut names = text.as_ref();
                if let Some(at) = names.find('\x01') {
                    let header = &names[at + 1..];
                    let line = header.split('\n').next().unwrap_or_default();
                    let mut parts = line.split(' ');
                    if let (Some(h), Some(s)) = (parts.next(), parts.next()) {
                        current = Some((h.to_string(), s.to_string()));
                    }
                    names = header.split_once('\n').map_or("", |(_, rest)| rest);
                }
                let name = names.trim_start_matches('\n');
                let id = name
                    .strip_prefix(prefix)
                    .and_then(|p| p.strip_prefix("cases/"))
                    .and_then(|p| p.split_once('/'))
                    .map(|(id, _)| id);
                if let (Some(id), Some(commit)) = (id, &current)
                    && wanted.contains(id)
                    && !found.contains_key(id)
                {
                    found.insert(id.to_string(), commit.clone());
                    if found.len() == wanted.len() {
                        break;
                    }
                }
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        found
    }
}

/// `git` with nothing inherited that points it elsewhere and nothing of
/// the repository's that runs a program for the commands used here.
fn command(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("GIT_") {
            cmd.env_remove(key);
        }
    }
    cmd.arg("--no-pager")
        .args(["-c", "core.fsmonitor=false"])
        .args(["-c", "core.pager=cat"])
        .args(["-c", "log.showSignature=false"])
        .arg("-C")
        .arg(dir)
        // Never take a lock or write into the repository.
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Runs `git -C dir args`: its standard output when it succeeds, `None` when
/// git is missing or fails.
fn git<I, S>(dir: &Path, args: I) -> Option<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut child = command(dir)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut out = Vec::new();
    child.stdout.take()?.read_to_end(&mut out).ok()?;
    if !child.wait().ok()?.success() {
        return None;
    }
    String::from_utf8(out).ok()
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
    fn blobs_hash_as_git_hashes_them() {
        let repo = Repo {
            root: Path::new("."),
            sha256: false,
            prefix: String::new(),
        };
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            repo.blob_id(b"hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }

    #[test]
    fn a_folder_outside_git_is_unversioned() {
        let dir = tempfile::tempdir().expect("temp dir");
        // /tmp is not a repository on any sane machine; if it is, say nothing.
        if git(dir.path(), ["rev-parse", "--git-dir"]).is_none() {
            assert_eq!(provenance(dir.path(), &[]), Provenance::Unversioned);
        }
    }
}
