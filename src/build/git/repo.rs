//! A git repository found from the casebook folder and read as files:
//! `HEAD`, refs, the object format, commits and trees.
//!
//! Only what provenance needs is read, and nothing is taken on trust: ref
//! names must stay under `refs/`, files must be regular files of bounded
//! size, and the configuration is read for the object format alone (no
//! includes followed, no program named in it ever run).

use super::objects::{ObjectKind, Oid, Store, Unreadable};
use crate::fs_guard::{ReadError, read_regular};
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

type Result<T> = std::result::Result<T, Unreadable>;

/// Largest ref, `HEAD`, `.git` file or configuration read.
const MAX_SMALL_FILE: u64 = 1024 * 1024;
/// Largest index read.
const MAX_INDEX: u64 = 512 * 1024 * 1024;
/// Largest `packed-refs` read.
const MAX_PACKED_REFS: u64 = 256 * 1024 * 1024;

pub struct Repo {
    pub store: Store,
    /// Holds `HEAD` (a worktree's own folder for a linked worktree).
    git_dir: PathBuf,
    /// Holds refs, objects and the configuration.
    common: PathBuf,
    /// The folder the repository's paths are relative to.
    pub work_tree: PathBuf,
    pub sha256: bool,
    /// Commits whose parents a shallow clone does not have.
    shallow: HashSet<Oid>,
}

/// A commit, as far as provenance needs it.
pub struct CommitInfo {
    pub tree: Oid,
    pub parents: Vec<Oid>,
    /// The committer's time, seconds since 1970.
    pub time: i64,
}

/// One entry of a tree.
pub struct TreeEntry {
    pub name: String,
    pub oid: Oid,
    pub is_tree: bool,
    /// A blob (a file or a symbolic link), not a submodule.
    pub is_blob: bool,
}

fn unreadable<T>(what: impl Into<String>) -> Result<T> {
    Err(Unreadable(what.into()))
}

fn small_file(path: &Path) -> Result<Option<String>> {
    match read_regular(path, MAX_SMALL_FILE) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| Unreadable(format!("{} is not text", name_of(path)))),
        Err(ReadError::Missing) => Ok(None),
        Err(e) => unreadable(format!("{}: {e}", name_of(path))),
    }
}

/// A file's name inside the repository folder, for messages.
fn name_of(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

impl Repo {
    /// The repository holding `start` (a folder), looked for in it and its
    /// parents as git does. `Ok(None)` outside any repository.
    pub fn discover(start: &Path) -> Result<Option<Repo>> {
        let start = std::fs::canonicalize(start)
            .map_err(|e| Unreadable(format!("the casebook folder: {e}")))?;
        for dir in start.ancestors() {
            let dot_git = dir.join(".git");
            let Ok(meta) = std::fs::symlink_metadata(&dot_git) else {
                continue;
            };
            let git_dir = if meta.is_dir() {
                dot_git
            } else if meta.is_file() {
                // A linked worktree or submodule: `gitdir: <path>`.
                let text = small_file(&dot_git)?.unwrap_or_default();
                let Some(target) = text.trim_end().strip_prefix("gitdir: ") else {
                    return unreadable("the .git file does not name a repository");
                };
                dir.join(target)
            } else {
                continue;
            };
            if std::fs::symlink_metadata(git_dir.join("HEAD")).is_err() {
                continue;
            }
            return Repo::open(git_dir, dir.to_path_buf()).map(Some);
        }
        Ok(None)
    }

    fn open(git_dir: PathBuf, work_tree: PathBuf) -> Result<Repo> {
        let common = match small_file(&git_dir.join("commondir"))? {
            Some(rel) => git_dir.join(rel.trim_end()),
            None => git_dir.clone(),
        };
        let config = small_file(&common.join("config"))?.unwrap_or_default();
        let format = config_value(&config, "extensions", "objectformat");
        let sha256 = match format.as_deref() {
            None | Some("sha1") => false,
            Some("sha256") => true,
            Some(other) => return unreadable(format!("the object format `{other}` is unknown")),
        };
        if config_value(&config, "extensions", "refstorage").is_some_and(|v| v != "files") {
            return unreadable("refs are kept in a format contextpack does not read");
        }
        let hash_len = if sha256 { 32 } else { 20 };
        let shallow = small_file(&common.join("shallow"))?
            .unwrap_or_default()
            .lines()
            .filter_map(Oid::from_hex)
            .collect();
        Ok(Repo {
            store: Store::open(&common.join("objects"), hash_len),
            git_dir,
            common,
            work_tree: std::fs::canonicalize(&work_tree).unwrap_or(work_tree),
            sha256,
            shallow,
        })
    }

    /// The commit `HEAD` names; `None` before the first commit.
    pub fn head(&self) -> Result<Option<Oid>> {
        let text = small_file(&self.git_dir.join("HEAD"))?.unwrap_or_default();
        let Some(oid) = self.resolve(text.trim_end(), 0)? else {
            return Ok(None);
        };
        self.peel(oid).map(Some)
    }

    /// A ref's content (`ref: refs/heads/main` or an object name) to an
    /// object name, following symbolic refs a few levels deep.
    /// The commit a revision names, as `check --changed REF` takes it:
    /// `HEAD`, a branch, a tag, a remote branch (`origin/main`), a full ref
    /// (`refs/heads/main`) or a full commit id. `None` when it names none.
    pub fn rev(&self, name: &str) -> Result<Option<Oid>> {
        if name == "HEAD" {
            return self.head();
        }
        if let Some(oid) = Oid::from_hex(name) {
            return self.peel(oid).map(Some);
        }
        let candidates = [
            name.to_string(),
            format!("refs/heads/{name}"),
            format!("refs/tags/{name}"),
            format!("refs/remotes/{name}"),
        ];
        for full in candidates.iter().filter(|n| is_safe_ref(n)) {
            if let Some(oid) = self.resolve(&format!("ref: {full}"), 0)? {
                return self.peel(oid).map(Some);
            }
        }
        Ok(None)
    }

    /// The staging area: each path with the blob `git add` put there, at
    /// stage 0 (a path in a merge conflict is left out: it is not staged).
    pub fn index(&self) -> Result<Vec<(String, Oid)>> {
        let bytes = match read_regular(&self.git_dir.join("index"), MAX_INDEX) {
            Ok(bytes) => bytes,
            Err(ReadError::Missing) => return Ok(Vec::new()),
            Err(e) => return unreadable(format!("the index: {e}")),
        };
        parse_index(&bytes, self.store.hash_len()).ok_or_else(|| {
            Unreadable("the index is damaged or in a format contextpack does not read".into())
        })
    }

    fn resolve(&self, content: &str, depth: usize) -> Result<Option<Oid>> {
        if let Some(name) = content.strip_prefix("ref:") {
            if depth > 5 {
                return unreadable("HEAD is a loop of symbolic refs");
            }
            let name = name.trim();
            if !is_safe_ref(name) {
                return unreadable("HEAD names a ref outside refs/");
            }
            if let Some(loose) = small_file(&self.common.join(name))? {
                return self.resolve(loose.trim_end(), depth + 1);
            }
            return self.packed_ref(name);
        }
        match Oid::from_hex(content) {
            Some(oid) => Ok(Some(oid)),
            None => unreadable("HEAD is neither a ref nor a commit"),
        }
    }

    fn packed_ref(&self, name: &str) -> Result<Option<Oid>> {
        let path = self.common.join("packed-refs");
        let text = match read_regular(&path, MAX_PACKED_REFS) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(ReadError::Missing) => return Ok(None),
            Err(e) => return unreadable(format!("packed-refs: {e}")),
        };
        for line in text.lines() {
            if let Some((hex, ref_name)) = line.split_once(' ')
                && ref_name == name
                && !line.starts_with('#')
            {
                return Ok(Oid::from_hex(hex));
            }
        }
        Ok(None)
    }

    /// Follows annotated tags to the commit they name.
    fn peel(&self, mut oid: Oid) -> Result<Oid> {
        for _ in 0..10 {
            let (kind, body) = self.store.read(&oid)?;
            match kind {
                ObjectKind::Commit => return Ok(oid),
                ObjectKind::Tag => {
                    let text = String::from_utf8_lossy(&body);
                    let target = text
                        .lines()
                        .find_map(|l| l.strip_prefix("object "))
                        .and_then(Oid::from_hex);
                    match target {
                        Some(t) => oid = t,
                        None => return unreadable("a tag names no object"),
                    }
                }
                _ => return unreadable("HEAD does not name a commit"),
            }
        }
        unreadable("HEAD is a chain of tags too long to follow")
    }

    pub fn commit(&self, oid: &Oid) -> Result<CommitInfo> {
        let (kind, body) = self.store.read(oid)?;
        if kind != ObjectKind::Commit {
            return unreadable(format!("{} is not a commit", oid.hex()));
        }
        let mut tree = None;
        let mut parents = Vec::new();
        let mut time = 0;
        for line in body.split(|&b| b == b'\n') {
            if line.is_empty() {
                break;
            }
            let line = String::from_utf8_lossy(line);
            if let Some(hex) = line.strip_prefix("tree ") {
                tree = Oid::from_hex(hex);
            } else if let Some(hex) = line.strip_prefix("parent ") {
                parents.extend(Oid::from_hex(hex));
            } else if let Some(who) = line.strip_prefix("committer ") {
                let mut words = who.rsplit(' ');
                let _zone = words.next();
                time = words.next().and_then(|t| t.parse().ok()).unwrap_or(0);
            }
        }
        if self.shallow.contains(oid) {
            parents.clear();
        }
        match tree {
            Some(tree) => Ok(CommitInfo {
                tree,
                parents,
                time,
            }),
            None => unreadable(format!("commit {} names no tree", oid.hex())),
        }
    }

    pub fn tree(&self, oid: &Oid) -> Result<Vec<TreeEntry>> {
        let (kind, body) = self.store.read(oid)?;
        if kind != ObjectKind::Tree {
            return unreadable(format!("{} is not a tree", oid.hex()));
        }
        parse_tree(&body, self.store.hash_len())
    }

    /// The tree at `path` (folder names) under `tree`; `None` when there is
    /// no such folder.
    pub fn subtree(&self, mut tree: Oid, path: &[String]) -> Result<Option<Oid>> {
        for part in path {
            let entries = self.tree(&tree)?;
            match entries.into_iter().find(|e| &e.name == part && e.is_tree) {
                Some(e) => tree = e.oid,
                None => return Ok(None),
            }
        }
        Ok(Some(tree))
    }

    /// Every blob under `tree`, by `/`-separated path relative to it.
    pub fn blobs(&self, tree: Oid) -> Result<Vec<(String, Oid)>> {
        let mut out = Vec::new();
        let mut folders = vec![(String::new(), tree)];
        let mut seen = HashSet::new();
        while let Some((prefix, oid)) = folders.pop() {
            // A tree is a DAG; a damaged one could name itself.
            if !seen.insert((prefix.clone(), oid)) || prefix.len() > 4096 {
                continue;
            }
            for e in self.tree(&oid)? {
                let path = format!("{prefix}{}", e.name);
                if e.is_tree {
                    folders.push((format!("{path}/"), e.oid));
                } else if e.is_blob {
                    out.push((path, e.oid));
                }
            }
        }
        Ok(out)
    }
}

/// Whether a symbolic ref's target is a plain name under `refs/`: never a
/// path that climbs out of the repository folder.
/// `DIRC` versions 2 to 4: a fixed header per entry, the blob id, flags,
/// and the path (whole and padded to 8 bytes in 2 and 3; in 4, what to
/// cut from the previous path and what to add).
fn parse_index(bytes: &[u8], hash_len: usize) -> Option<Vec<(String, Oid)>> {
    let word = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    if bytes.get(..4)? != b"DIRC" {
        return None;
    }
    let version = word(4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = word(8)? as usize;
    let mut at = 12;
    let mut previous = Vec::<u8>::new();
    let mut out = Vec::with_capacity(count.min(1 << 20));
    for _ in 0..count {
        let start = at;
        let oid = Oid::from_bytes(bytes.get(at + 40..at + 40 + hash_len)?)?;
        at += 40 + hash_len;
        let flags = u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?);
        at += 2;
        if version >= 3 && flags & 0x4000 != 0 {
            at += 2;
        }
        let stage = (flags >> 12) & 0x3;
        let path = if version == 4 {
            let mut cut: usize = 0;
            loop {
                let b = *bytes.get(at)?;
                at += 1;
                cut = (cut << 7) | usize::from(b & 0x7f);
                if b & 0x80 == 0 {
                    break;
                }
                cut += 1;
            }
            let end = at + bytes.get(at..)?.iter().position(|&b| b == 0)?;
            let keep = previous.len().checked_sub(cut)?;
            let mut path = previous[..keep].to_vec();
            path.extend_from_slice(&bytes[at..end]);
            at = end + 1;
            path
        } else {
            let end = at + bytes.get(at..)?.iter().position(|&b| b == 0)?;
            let path = bytes[at..end].to_vec();
            // The entry is padded with 1 to 8 NULs to a multiple of 8.
            at = start + (end - start + 8) / 8 * 8;
            path
        };
        previous.clone_from(&path);
        if stage == 0 {
            out.push((String::from_utf8(path).ok()?, oid));
        }
    }
    Some(out)
}

fn is_safe_ref(name: &str) -> bool {
    name.starts_with("refs/")
        && !name.contains('\\')
        && !name.contains('\0')
        && Path::new(name)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

fn parse_tree(body: &[u8], hash_len: usize) -> Result<Vec<TreeEntry>> {
    let mut out = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let space = rest.iter().position(|&b| b == b' ');
        let nul = rest.iter().position(|&b| b == 0);
        let (Some(space), Some(nul)) = (space, nul) else {
            return unreadable("a damaged tree");
        };
        if space > nul || rest.len() < nul + 1 + hash_len {
            return unreadable("a damaged tree");
        }
        let mode = &rest[..space];
        let name = String::from_utf8_lossy(&rest[space + 1..nul]).into_owned();
        let oid = Oid::from_bytes(&rest[nul + 1..nul + 1 + hash_len])
            .ok_or_else(|| Unreadable("a damaged tree".into()))?;
        out.push(TreeEntry {
            name,
            oid,
            is_tree: mode == b"40000",
            is_blob: mode.starts_with(b"10") || mode == b"120000",
        });
        rest = &rest[nul + 1 + hash_len..];
    }
    Ok(out)
}

/// A value from git's configuration text, `[section] key = value`, with
/// names compared as git does (case-insensitively). Includes are not
/// followed: only the object format is wanted, and it lives here.
fn config_value(text: &str, section: &str, key: &str) -> Option<String> {
    let mut current = String::new();
    let mut found = None;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            current = rest
                .split(']')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            continue;
        }
        if current != section {
            continue;
        }
        let (k, v) = line.split_once('=').unwrap_or((line, "true"));
        if k.trim().eq_ignore_ascii_case(key) {
            let v = v.split(['#', ';']).next().unwrap_or_default();
            found = Some(v.trim().trim_matches('"').to_ascii_lowercase());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_may_not_climb_out() {
        assert!(is_safe_ref("refs/heads/main"));
        assert!(!is_safe_ref("refs/../../etc/passwd"));
        assert!(!is_safe_ref("/etc/passwd"));
        assert!(!is_safe_ref("HEAD"));
    }

    #[test]
    fn the_object_format_is_read_from_the_configuration() {
        let text = "[core]\n\tbare = false\n[extensions]\n\tobjectFormat = sha256\n";
        assert_eq!(
            config_value(text, "extensions", "objectformat").as_deref(),
            Some("sha256")
        );
        assert_eq!(config_value("[core]\n", "extensions", "objectformat"), None);
    }

    #[test]
    fn a_damaged_tree_is_an_error_not_a_panic() {
        assert!(parse_tree(b"100644 a", 20).is_err());
        assert!(parse_tree(b"100644 a\0short", 20).is_err());
        let mut ok = b"40000 cases\0".to_vec();
        ok.extend([7u8; 20]);
        let entries = parse_tree(&ok, 20).expect("parses");
        assert!(entries[0].is_tree && entries[0].name == "cases");
    }
}
