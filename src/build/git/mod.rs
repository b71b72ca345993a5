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
//! Nothing a repository configures is executed, because the `git` program
//! is never run: [`repo`] and [`objects`] read `HEAD`, refs, commits and
//! trees as files. fsmonitor, filters, hooks, pagers, signature programs,
//! `core.sshCommand` and `includeIf` are never consulted; alternates are not
//! followed. Whether a file changed is decided by hashing the bytes
//! contextpack read the way git hashes a blob. A casebook outside git is
//! "not under version control"; a repository that cannot be read (damaged,
//! or objects kept elsewhere) says so, and the build goes on.

pub mod changes;
mod objects;
mod repo;

use objects::Oid;
use repo::Repo;
use serde::Serialize;
use sha2::Digest;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::path::Path;

/// Where the records of a build came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// A commit of a git repository.
    Commit(Commit),
    /// A git repository that has no commit yet.
    NoCommit,
    /// Not in a git working tree.
    Unversioned,
    /// In a git repository that could not be read: why.
    Unreadable(String),
}

/// The commit checked out when the build ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
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
    /// What every page says of its records, after "Issued <date> · ":
    /// a partner agency knows a version, not a commit.
    pub fn text(&self) -> String {
        match self {
            Provenance::Commit(c) if c.dirty => {
                format!("records version {} with uncommitted changes", c.short)
            }
            Provenance::Commit(c) => format!("records version {}", c.short),
            Provenance::NoCommit => {
                "records not yet committed (the repository has no commit)".to_string()
            }
            Provenance::Unversioned => "records not under version control".to_string(),
            Provenance::Unreadable(_) => {
                "records in a git repository that could not be read".to_string()
            }
        }
    }

    /// Why the repository could not be read, when it could not.
    pub fn problem(&self) -> Option<&str> {
        match self {
            Provenance::Unreadable(why) => Some(why),
            _ => None,
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

/// Reads the provenance of the casebook at `root`: `files` are the files
/// the build read (records, settings, templates), `contexts` the context
/// ids, each owning `cases/<id>/`.
pub fn history(root: &Path, files: &[FileRead], contexts: &[&str]) -> History {
    let all = |p: Provenance| History {
        contexts: contexts
            .iter()
            .map(|id| (id.to_string(), p.clone()))
            .collect(),
        casebook: p,
    };
    let repo = match Repo::discover(root) {
        Ok(Some(repo)) => repo,
        Ok(None) => return History::unversioned(),
        Err(why) => return all(Provenance::Unreadable(why.0)),
    };
    match read_history(&repo, root, files, contexts) {
        Ok(Some(h)) => h,
        Ok(None) => all(Provenance::NoCommit),
        Err(why) => all(Provenance::Unreadable(why.0)),
    }
}

/// The provenance of the casebook and its contexts; `None` before the first
/// commit.
fn read_history(
    repo: &Repo,
    root: &Path,
    files: &[FileRead],
    contexts: &[&str],
) -> Result<Option<History>, objects::Unreadable> {
    let Some(head) = repo.head()? else {
        return Ok(None);
    };
    let commit = repo.commit(&head)?;
    let prefix = prefix_in(repo, root);
    let tree = match repo.subtree(commit.tree, &prefix)? {
        Some(t) => repo.blobs(t)?.into_iter().collect(),
        None => BTreeMap::new(),
    };
    let changed = changed_paths(repo, &tree, files, root);
    let dirty_contexts: HashSet<&str> = changed.iter().filter_map(|p| context_of(p)).collect();
    // Counted once: it lists every folder of the object store. Contexts
    // mostly share a few commits, so each abbreviation is worked out once.
    let min = default_abbrev(repo);
    let mut shorts: HashMap<Oid, String> = HashMap::new();
    let mut short = |oid: &Oid| {
        shorts
            .entry(*oid)
            .or_insert_with(|| oid.hex()[..repo.store.unique_prefix(oid, min)].to_string())
            .clone()
    };
    let mut cases = prefix.clone();
    cases.push("cases".to_string());
    let last = last_commits(repo, head, &cases, contexts)?;
    let contexts = contexts
        .iter()
        .map(|id| {
            let oid = last.get(*id).copied().unwrap_or(head);
            let commit = Commit {
                hash: oid.hex(),
                short: short(&oid),
                dirty: dirty_contexts.contains(id),
            };
            (id.to_string(), Provenance::Commit(commit))
        })
        .collect();
    Ok(Some(History {
        casebook: Provenance::Commit(Commit {
            hash: head.hex(),
            short: short(&head),
            dirty: !changed.is_empty(),
        }),
        contexts,
    }))
}

/// The context a casebook path belongs to: `cases/<id>/...`.
fn context_of(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("cases/")?;
    rest.split_once('/').map(|(id, _)| id)
}

/// The casebook folder's place in the repository, as folder names.
fn prefix_in(repo: &Repo, root: &Path) -> Vec<String> {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    root.strip_prefix(&repo.work_tree)
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// git's default abbreviation: 7 digits, more as a repository grows.
fn default_abbrev(repo: &Repo) -> usize {
    let count = repo.store.approximate_count().max(1);
    let bits = usize::BITS - count.leading_zeros();
    (bits as usize).div_ceil(2).max(7)
}

/// The provenance of the casebook alone (the summaries' `report`).
pub fn provenance(root: &Path, files: &[FileRead]) -> Provenance {
    history(root, files, &[]).casebook
}

/// The casebook-relative paths whose bytes differ from HEAD: changed,
/// added (untracked or ignored), or committed but gone from the folder.
fn changed_paths(
    repo: &Repo,
    tree: &BTreeMap<String, Oid>,
    files: &[FileRead],
    root: &Path,
) -> Vec<String> {
    let mut changed = Vec::new();
    let mut seen = HashSet::new();
    for f in files {
        seen.insert(f.path);
        match tree.get(f.path) {
            Some(blob) if *blob == blob_id(repo.sha256, f.bytes) => {}
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

/// The object id git gives a blob holding `bytes`.
fn blob_id(sha256: bool, bytes: &[u8]) -> Oid {
    let header = format!("blob {}\0", bytes.len());
    let digest: Vec<u8> = if sha256 {
        let mut h = sha2::Sha256::new();
        h.update(header.as_bytes());
        h.update(bytes);
        h.finalize().to_vec()
    } else {
        let mut h = sha1::Sha1::new();
        h.update(header.as_bytes());
        h.update(bytes);
        h.finalize().to_vec()
    };
    Oid::from_bytes(&digest).unwrap_or_else(|| unreachable!("a digest is 20 or 32 bytes"))
}

/// For each context, the newest commit that changed `cases/<id>/`, as
/// `git log -- cases` would list it: commits in date order, a merge that
/// leaves `cases` as one parent had it followed down that parent alone,
/// and a merge credited with no change of its own. One walk, stopped as
/// soon as every context is found.
fn last_commits(
    repo: &Repo,
    head: Oid,
    cases: &[String],
    contexts: &[&str],
) -> Result<HashMap<String, Oid>, objects::Unreadable> {
    let mut found = HashMap::new();
    let head_info = repo.commit(&head)?;
    let Some(head_cases) = repo.subtree(head_info.tree, cases)? else {
        return Ok(found);
    };
    // A context HEAD does not have is untracked: nothing to look for.
    let head_map = folder_map(repo, &head_cases)?;
    let mut wanted: HashSet<&str> = contexts
        .iter()
        .copied()
        .filter(|id| head_map.contains_key(*id))
        .collect();
    let mut queue = BinaryHeap::new();
    let mut seen = HashSet::new();
    let mut order = 0u64;
    let mut push = |queue: &mut BinaryHeap<(i64, std::cmp::Reverse<u64>, Oid)>,
                    seen: &mut HashSet<Oid>,
                    oid: Oid,
                    time: i64| {
        if seen.insert(oid) {
            order += 1;
            queue.push((time, std::cmp::Reverse(order), oid));
        }
    };
    push(&mut queue, &mut seen, head, head_info.time);
    let mut maps: HashMap<Oid, std::rc::Rc<HashMap<String, Oid>>> = HashMap::new();
    let mut map_of =
        |tree: &Option<Oid>| -> Result<std::rc::Rc<HashMap<String, Oid>>, objects::Unreadable> {
            let Some(tree) = tree else {
                return Ok(std::rc::Rc::new(HashMap::new()));
            };
            if let Some(m) = maps.get(tree) {
                return Ok(m.clone());
            }
            if maps.len() > 256 {
                maps.clear();
            }
            let m = std::rc::Rc::new(folder_map(repo, tree)?);
            maps.insert(*tree, m.clone());
            Ok(m)
        };
    while let Some((_, _, oid)) = queue.pop() {
        if wanted.is_empty() {
            break;
        }
        let info = repo.commit(&oid)?;
        let mine = repo.subtree(info.tree, cases)?;
        let mut parents = Vec::with_capacity(info.parents.len());
        for p in &info.parents {
            let pi = repo.commit(p)?;
            parents.push((*p, pi.time, repo.subtree(pi.tree, cases)?));
        }
        if parents.len() > 1 {
            match parents.iter().find(|(_, _, t)| *t == mine) {
                Some((p, time, _)) => push(&mut queue, &mut seen, *p, *time),
                None => {
                    for (p, time, _) in &parents {
                        push(&mut queue, &mut seen, *p, *time);
                    }
                }
            }
            continue;
        }
        let before = match parents.first() {
            Some((p, time, t)) => {
                push(&mut queue, &mut seen, *p, *time);
                if *t == mine {
                    continue;
                }
                map_of(t)?
            }
            None => map_of(&None)?,
        };
        let after = map_of(&mine)?;
        wanted.retain(|id| {
            if after.get(*id) != before.get(*id) {
                found.insert(id.to_string(), oid);
                false
            } else {
                true
            }
        });
    }
    Ok(found)
}

/// The folders of a tree, by name.
fn folder_map(repo: &Repo, tree: &Oid) -> Result<HashMap<String, Oid>, objects::Unreadable> {
    Ok(repo
        .tree(tree)?
        .into_iter()
        .filter(|e| e.is_tree)
        .map(|e| (e.name, e.oid))
        .collect())
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
        assert_eq!(commit(false).text(), "records version 1a2b3c4");
        assert_eq!(
            commit(true).text(),
            "records version 1a2b3c4 with uncommitted changes"
        );
        assert!(
            Provenance::Unversioned
                .text()
                .contains("not under version control")
        );
    }

    #[test]
    fn blobs_hash_as_git_hashes_them() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            blob_id(false, b"hello\n").hex(),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }

    #[test]
    fn abbreviations_grow_with_the_repository() {
        let bits = |count: usize| (usize::BITS - count.leading_zeros()) as usize;
        assert_eq!(bits(16_384).div_ceil(2).max(7), 8);
        assert_eq!(bits(100).div_ceil(2).max(7), 7);
    }
}
