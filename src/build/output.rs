//! The output folder: where it may be, and replacing it all at once.
//!
//! A build writes into a fresh folder beside the target and swaps it in only
//! when every document succeeded, so a reader never finds a half-written pack
//! and a failed build leaves the last good output as it was. The swap also
//! removes whatever the previous build wrote that this one did not.

use std::io;
use std::path::{Component, Path, PathBuf};

/// Top-level entries of a casebook that an output folder must never replace
/// or sit in: the records, the template overrides, the settings and git.
const PROTECTED: &[&str] = &["cases", "templates", "contextpack.yaml", ".git"];

/// The file every output folder holds; with its format marker it says
/// "ours to replace" (see [`super::manifest::is_ours`]).
pub const MANIFEST: &str = "manifest.json";

/// Largest manifest read back.
const MAX_MANIFEST_BYTES: u64 = 512 * 1024 * 1024;

/// Why a build cannot run: with the path concerned.
#[derive(Debug)]
pub enum OutputError {
    /// The output folder chosen would destroy something (exit 2).
    Refused {
        out: PathBuf,
        reason: String,
        help: String,
    },
    /// Reading or writing a file failed (exit 2).
    Io { path: PathBuf, error: io::Error },
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Refused { out, reason, .. } => {
                write!(f, "will not write to `{}`: {reason}", out.display())
            }
            OutputError::Io { path, error } => write!(f, "`{}`: {error}", path.display()),
        }
    }
}

impl std::error::Error for OutputError {}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |error| OutputError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// A casebook and the output folder it builds into, both absolute, checked
/// so that replacing the output cannot delete records.
#[derive(Debug, Clone)]
pub struct Target {
    /// The casebook folder, with symbolic links resolved.
    pub casebook: PathBuf,
    /// The output folder (it may not exist yet).
    pub out: PathBuf,
    /// The output folder as given on the command line, for messages.
    pub shown: PathBuf,
}

impl Target {
    /// `out` defaults to `<casebook>/output`. Refuses an output folder that
    /// is the casebook, contains it, holds or sits in its records, or is an
    /// existing folder that a build did not make (it would be deleted).
    pub fn resolve(casebook: &Path, out: Option<&Path>) -> Result<Target, OutputError> {
        let root = casebook.canonicalize().map_err(io_error(casebook))?;
        let shown = out.map_or_else(|| casebook.join("output"), Path::to_path_buf);
        let refuse = |reason: &str, help: &str| OutputError::Refused {
            out: shown.clone(),
            reason: reason.to_string(),
            help: help.to_string(),
        };
        if let Some(link) = symlink_on_the_way(casebook, &shown).map_err(io_error(&shown))? {
            return Err(refuse(
                &format!(
                    "`{}` is a symbolic link, so the folder replaced would be somewhere else",
                    link.display()
                ),
                "give --out the real folder, or remove the link (a committed `output` link \
                 would point every build elsewhere)",
            ));
        }
        let out = resolve_path(&shown).map_err(io_error(&shown))?;
        if out.file_name().is_none() {
            return Err(refuse(
                "it is the root of the file system",
                "choose a folder of its own, such as `output` inside the casebook",
            ));
        }
        if root.starts_with(&out) {
            return Err(refuse(
                "replacing it would delete the casebook",
                "the output folder must not be the casebook or a folder that contains it; \
                 leave --out out to write to `output` inside the casebook",
            ));
        }
        if let Ok(inside) = out.strip_prefix(&root) {
            let first = inside.components().next();
            if let Some(Component::Normal(name)) = first
                && PROTECTED.iter().any(|p| name == *p)
            {
                return Err(refuse(
                    &format!(
                        "it is or lies in `{}` of the casebook",
                        name.to_string_lossy()
                    ),
                    "records, templates and git's files are not output; \
                     leave --out out to write to `output` inside the casebook",
                ));
            }
        }
        check_replaceable(&out).map_err(|reason| {
            refuse(
                &reason,
                &format!(
                    "empty it or choose another folder; contextpack replaces only a folder \
                     it built (one whose {MANIFEST} says `\"format\": \"{}\"`)",
                    super::manifest::FORMAT
                ),
            )
        })?;
        Ok(Target {
            casebook: root,
            out,
            shown,
        })
    }

    /// The output folder relative to the casebook, when it lies inside it,
    /// with `/` separators.
    pub fn out_in_casebook(&self) -> Option<String> {
        let rel = self.out.strip_prefix(&self.casebook).ok()?;
        Some(slash_path(rel))
    }
}

/// An existing output folder may be replaced only if it is empty or holds a
/// manifest: `--out ~/Documents` must not delete someone's documents.
fn check_replaceable(out: &Path) -> Result<(), String> {
    let meta = match std::fs::symlink_metadata(out) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("it cannot be read ({e})")),
    };
    if !meta.is_dir() {
        return Err("it exists and is not a folder".to_string());
    }
    let mut entries = std::fs::read_dir(out).map_err(|e| format!("it cannot be read ({e})"))?;
    if entries.next().is_none() {
        return Ok(());
    }
    match crate::fs_guard::read_regular(&out.join(MANIFEST), MAX_MANIFEST_BYTES) {
        Ok(bytes) if super::manifest::is_ours(&bytes) => Ok(()),
        Ok(_) => Err(format!(
            "it is a folder contextpack did not build: its {MANIFEST} is not a contextpack manifest"
        )),
        Err(_) => Err(format!(
            "it is a folder with files in it that contextpack did not build (no {MANIFEST})"
        )),
    }
}

/// The first symbolic link on the way to `out` that a build would pass
/// through: `out` itself, or a folder between it and the casebook (or the
/// current folder, for a relative `--out`). Links above those are the
/// machine's own (`/tmp` on some systems) and are followed.
fn symlink_on_the_way(casebook: &Path, out: &Path) -> io::Result<Option<PathBuf>> {
    let out = lexically_absolute(out)?;
    let floors = [
        lexically_absolute(casebook)?,
        lexically_absolute(Path::new("."))?,
    ];
    let mut at = Some(out.as_path());
    let mut first = true;
    while let Some(p) = at {
        let below_a_floor = floors.iter().any(|f| p.starts_with(f) && p != f);
        let is_a_floor = floors.iter().any(|f| p == f);
        if !first && (is_a_floor || !below_a_floor) {
            break;
        }
        if std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()) {
            return Ok(Some(p.to_path_buf()));
        }
        first = false;
        at = p.parent();
    }
    Ok(None)
}

/// An absolute path with `.` and `..` resolved by name alone, no link
/// followed.
fn lexically_absolute(path: &Path) -> io::Result<PathBuf> {
    let mut clean = PathBuf::new();
    for c in std::path::absolute(path)?.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    Ok(clean)
}

/// An absolute path with `.` and `..` resolved and the symbolic links of its
/// existing part followed, for a path that may not exist yet.
fn resolve_path(path: &Path) -> io::Result<PathBuf> {
    let clean = lexically_absolute(path)?;
    // Follow links in the longest part that exists; the rest is appended.
    let mut existing = clean.as_path();
    let mut rest = Vec::new();
    loop {
        match existing.canonicalize() {
            Ok(real) => {
                let mut full = real;
                full.extend(rest.iter().rev());
                return Ok(full);
            }
            Err(_) => match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => return Ok(clean),
            },
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// What a file found by [`holds_exactly`] must be.
#[derive(Debug, Clone, Copy)]
pub struct Expect<'a> {
    bytes: Option<u64>,
    sha256: Option<&'a str>,
}

impl<'a> Expect<'a> {
    /// Any regular file.
    pub fn any() -> Expect<'a> {
        Expect {
            bytes: None,
            sha256: None,
        }
    }

    /// A regular file of this size.
    pub fn size(bytes: u64) -> Expect<'a> {
        Expect {
            bytes: Some(bytes),
            sha256: None,
        }
    }

    /// A regular file with these contents.
    pub fn hash(bytes: u64, sha256: &'a str) -> Expect<'a> {
        Expect {
            bytes: Some(bytes),
            sha256: Some(sha256),
        }
    }

    fn met_by(&self, path: &Path) -> bool {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return false;
        };
        if !meta.is_file() || self.bytes.is_some_and(|b| b != meta.len()) {
            return false;
        }
        match self.sha256 {
            None => true,
            Some(hash) => crate::fs_guard::read_regular(path, meta.len())
                .is_ok_and(|bytes| super::manifest::sha256(&bytes) == hash),
        }
    }
}

/// Whether the folder `out` holds exactly the files `expected` names
/// (`/`-separated paths), each a regular file reached through no link and
/// as expected. Any other file, link or special file in it means no.
pub fn holds_exactly(out: &Path, expected: &std::collections::HashMap<&str, Expect>) -> bool {
    if !out.is_dir() {
        return false;
    }
    let mut found = 0usize;
    let walked = walk(out, |rel, path, kind| {
        let as_expected = kind.is_file() && expected.get(rel).is_some_and(|e| e.met_by(path));
        found += 1;
        Ok(as_expected)
    });
    walked.is_ok_and(|all| all) && found == expected.len()
}

/// Visits every entry below `root` that is not a folder, with its
/// `/`-separated path, until `visit` says no (`Ok(false)`). Folders are
/// walked by their own entries; a link is visited as what it is, never
/// followed. A missing `root` is an empty folder.
fn walk(
    root: &Path,
    mut visit: impl FnMut(&str, &Path, std::fs::FileType) -> Result<bool, OutputError>,
) -> Result<bool, OutputError> {
    let mut folders = vec![(String::new(), root.to_path_buf())];
    while let Some((prefix, dir)) = folders.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound && prefix.is_empty() => continue,
            Err(e) => return Err(io_error(&dir)(e)),
        };
        for entry in entries {
            let entry = entry.map_err(io_error(&dir))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(io_error(&path))?;
            let rel = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if kind.is_dir() {
                folders.push((format!("{rel}/"), path));
            } else if !visit(&rel, &path, kind)? {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// A fresh folder beside the target that a build fills, then swaps in.
/// Dropped without [`Staging::commit`], it removes itself. While it lives it
/// holds the output folder's lock, so two builds (or a build and a
/// `report`) never stage into or swap the same folder at once.
#[derive(Debug)]
pub struct Staging {
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
    /// Folders made so far: thousands of documents share a few hundred
    /// folders, and asking the file system again for each is most of the
    /// cost of a rebuild that changes little.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    /// Held until the staging folder is swapped in or removed.
    _lock: Lock,
}

/// An advisory lock on an output folder: `.<name>-lock` beside it, held
/// for the whole of a build, removed when the build ends so it leaves
/// nothing behind.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    file: std::fs::File,
}

impl Lock {
    /// Waits for the lock of `target`'s output folder.
    pub fn take(target: &Path) -> Result<Lock, OutputError> {
        let path = target.with_file_name(format!(".{}-lock", file_name(target)));
        loop {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(io_error(&path))?;
            file.lock().map_err(io_error(&path))?;
            // The holder before us removes the file as it lets go: a lock
            // on a file no longer at the path guards nothing, so try again.
            if same_file(&file, &path) {
                return Ok(Lock { path, file });
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, so no one can lock the old file and
        // believe it is the current one.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

#[cfg(unix)]
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &std::fs::File, path: &Path) -> bool {
    path.exists()
}

impl Staging {
    /// Takes the output folder's lock (waiting for another build to
    /// finish), tidies what a killed build left, and creates
    /// `.<name>-tmp-<pid>` beside `target` (and `target`'s parent, if
    /// needed).
    pub fn new(target: &Path) -> Result<Staging, OutputError> {
        let parent = target.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        let lock = Lock::take(target)?;
        recover(target)?;
        let temp = sibling(target, "tmp");
        std::fs::create_dir(&temp).map_err(io_error(&temp))?;
        Ok(Staging {
            temp,
            target: target.to_path_buf(),
            committed: false,
            made: std::sync::Mutex::default(),
            _lock: lock,
        })
    }

    /// Puts the previous build's file `from` at `relative` (`/`-separated)
    /// without copying its bytes: a hard link, or a copy where the file
    /// system has none. Files in an output folder are only ever replaced,
    /// never written in place, so the two names never diverge.
    pub fn link(&self, relative: &str, from: &Path) -> Result<(), OutputError> {
        let path = self.path_of(relative)?;
        self.folder_of(&path)?;
        if std::fs::hard_link(from, &path).is_ok() {
            return Ok(());
        }
        std::fs::copy(from, &path)
            .map(|_| ())
            .map_err(io_error(&path))
    }

    /// Links every regular file of the folder being replaced into the
    /// staging folder, except the paths in `skip`: `report` replaces a few
    /// files of an output and keeps the rest. Symbolic links and anything
    /// that is not a regular file are left out, never followed.
    pub fn keep_previous(
        &self,
        skip: &std::collections::HashSet<String>,
    ) -> Result<(), OutputError> {
        walk(&self.target, |rel, path, kind| {
            if kind.is_file() && !skip.contains(rel) {
                self.link(rel, path)?;
            }
            Ok(true)
        })
        .map(|_| ())
    }

    /// Writes `bytes` to `relative` (`/`-separated) inside the staging
    /// folder, making the folders on the way. Safe to call from many threads.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.path_of(relative)?;
        self.folder_of(&path)?;
        std::fs::write(&path, bytes).map_err(io_error(&path))
    }

    /// Makes the folder `path` goes in, once.
    fn folder_of(&self, path: &Path) -> Result<(), OutputError> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        if made.contains(parent) {
            return Ok(());
        }
        std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        made.insert(parent.to_path_buf());
        Ok(())
    }

    /// Where `relative` (`/`-separated) goes in the staging folder; only
    /// plain names, so a record cannot steer a file out of the output
    /// folder.
    pub fn path_of(&self, relative: &str) -> Result<PathBuf, OutputError> {
        let mut path = self.temp.clone();
        for part in relative.split('/') {
            let plain = !part.is_empty()
                && part != "."
                && part != ".."
                && !part.contains('\\')
                && Path::new(part).components().count() == 1
                && matches!(
                    Path::new(part).components().next(),
                    Some(Component::Normal(_))
                );
            if !plain {
                return Err(OutputError::Io {
                    path: self.target.join(relative),
                    error: io::Error::new(
                        io::ErrorKind::InvalidInput,
                        "not a plain relative file name",
                    ),
                });
            }
            path.push(part);
        }
        Ok(path)
    }

    /// Swaps the staging folder in for the target in one atomic exchange
    /// where the platform has one (Linux), so there is never a moment with
    /// no output folder; the staging name then holds the old output, which
    /// is removed (or, if this process dies first, by the next run).
    /// Elsewhere, the two-rename swap below.
    pub fn commit(mut self) -> Result<(), OutputError> {
        match exchange(&self.temp, &self.target) {
            Ok(true) => {
                self.committed = true;
                remove_tree(&self.temp);
                return Ok(());
            }
            Ok(false) => {}
            Err(e) => return Err(io_error(&self.target)(e)),
        }
        self.swap_by_renames()
    }

    /// The old output is moved aside, the new one renamed into place, the
    /// old one removed. If the second rename fails, the old output is put
    /// back; a kill between the two is mended by the next run's [`recover`].
    fn swap_by_renames(mut self) -> Result<(), OutputError> {
        let old = sibling(&self.target, "old");
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(io_error(&old))?;
        }
        let had_old = match std::fs::rename(&self.target, &old) {
            Ok(()) => true,
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(io_error(&self.target)(e)),
        };
        if let Err(e) = std::fs::rename(&self.temp, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(io_error(&self.target)(e));
        }
        self.committed = true;
        if had_old {
            // The new output is in place; a leftover old folder is untidy,
            // not wrong, and the next build removes it.
            remove_tree(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.temp);
        }
    }
}

/// Exchanges two existing paths atomically: `Ok(false)` when the target
/// does not exist yet or the file system cannot exchange (the caller then
/// renames).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::os::unix::ffi::OsStrExt;
    if std::fs::symlink_metadata(b).is_err() {
        return Ok(false);
    }
    let (ca, cb) = (
        std::ffi::CString::new(a.as_os_str().as_bytes())?,
        std::ffi::CString::new(b.as_os_str().as_bytes())?,
    );
    // SAFETY: two valid NUL-terminated paths, relative to the working folder.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EPERM | libc::ENOTSUP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Removes a folder of thousands of files, its subfolders two levels down
/// (`restricted/<context>`) in parallel.
fn remove_tree(dir: &Path) {
    let children = |d: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(d)
            .map(|e| e.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default()
    };
    let mut parts = Vec::new();
    for child in children(dir) {
        if child.is_dir() && !child.is_symlink() {
            parts.extend(children(&child));
        } else {
            parts.push(child);
        }
    }
    super::pool::run(parts, |p| {
        if p.is_dir() && !p.is_symlink() {
            let _ = std::fs::remove_dir_all(&p);
        } else {
            let _ = std::fs::remove_file(&p);
        }
    });
    let _ = std::fs::remove_dir_all(dir);
}

/// Tidies what builds killed part-way left beside `target`: staging folders
/// (`.<name>-tmp-*`), and an old output moved aside for a swap that never
/// finished (`.<name>-old-*`), which is put back when no output took its
/// place. Called with the output folder's lock held, so none of them
/// belongs to a build still running.
fn recover(target: &Path) -> Result<(), OutputError> {
    let parent = target.parent().unwrap_or(Path::new("."));
    let name = file_name(target);
    let (tmp, old) = (format!(".{name}-tmp-"), format!(".{name}-old-"));
    let entries = std::fs::read_dir(parent).map_err(io_error(parent))?;
    let mut leftovers: Vec<(bool, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let entry = e.file_name().to_string_lossy().into_owned();
            let pid = entry
                .strip_prefix(&tmp)
                .map(|p| (false, p))
                .or_else(|| entry.strip_prefix(&old).map(|p| (true, p)))?;
            let is_ours = !pid.1.is_empty() && pid.1.bytes().all(|b| b.is_ascii_digit());
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            (is_ours && is_dir).then(|| (pid.0, e.path()))
        })
        .collect();
    leftovers.sort();
    for (is_old, path) in leftovers {
        let missing = matches!(std::fs::symlink_metadata(target), Err(e) if e.kind() == io::ErrorKind::NotFound);
        if is_old && missing {
            std::fs::rename(&path, target).map_err(io_error(&path))?;
        } else {
            std::fs::remove_dir_all(&path).map_err(io_error(&path))?;
        }
    }
    Ok(())
}

/// `.<name>-<what>-<pid>` in the same folder as `target`, so renames between
/// them stay on one file system.
fn sibling(target: &Path, what: &str) -> PathBuf {
    let name = format!(".{}-{what}-{}", file_name(target), std::process::id());
    target.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp() -> tempfile::TempDir {
        tempfile::tempdir().expect("temp dir")
    }

    #[test]
    fn refuses_to_replace_the_casebook_or_its_records() {
        let dir = temp();
        let casebook = dir.path().join("casebook");
        std::fs::create_dir_all(casebook.join("cases")).expect("mkdir");
        for out in [
            casebook.clone(),
            casebook.join("."),
            dir.path().to_path_buf(),
            casebook.join("cases"),
            casebook.join("cases/x/output"),
            casebook.join("templates"),
            casebook.join(".git"),
            PathBuf::from("/"),
        ] {
            let result = Target::resolve(&casebook, Some(&out));
            assert!(
                matches!(result, Err(OutputError::Refused { .. })),
                "{out:?}: {result:?}"
            );
        }
        let ok = Target::resolve(&casebook, None).expect("default");
        assert_eq!(ok.out_in_casebook().as_deref(), Some("output"));
        let nested = Target::resolve(&casebook, Some(&casebook.join("site/out"))).expect("nested");
        assert_eq!(nested.out_in_casebook().as_deref(), Some("site/out"));
        let outside = Target::resolve(&casebook, Some(&dir.path().join("out"))).expect("outside");
        assert_eq!(outside.out_in_casebook(), None);
    }

    #[test]
    fn refuses_a_folder_it_did_not_build() {
        let dir = temp();
        let out = dir.path().join("documents");
        std::fs::create_dir_all(&out).expect("mkdir");
        assert!(
            Target::resolve(dir.path(), Some(&out)).is_ok(),
            "empty is fine"
        );
        std::fs::write(out.join("letter.txt"), "x").expect("write");
        assert!(Target::resolve(dir.path(), Some(&out)).is_err());
        // A browser extension's manifest is not contextpack's.
        std::fs::write(
            out.join(MANIFEST),
            r#"{"manifest_version": 3, "name": "x"}"#,
        )
        .expect("write");
        assert!(Target::resolve(dir.path(), Some(&out)).is_err());
        std::fs::write(
            out.join(MANIFEST),
            r#"{"format": "contextpack-output", "manifest_version": 1}"#,
        )
        .expect("write");
        assert!(Target::resolve(dir.path(), Some(&out)).is_ok());
        let file = dir.path().join("file");
        std::fs::write(&file, "x").expect("write");
        assert!(Target::resolve(dir.path(), Some(&file)).is_err());
    }

    /// What is beside the output: the output and its lock file, nothing
    /// left over.
    fn beside(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn staging_swaps_in_whole_or_not_at_all() {
        let dir = temp();
        let out = dir.path().join("output");
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(out.join("stale.html"), "old").expect("write");

        let failed = Staging::new(&out).expect("staging");
        failed.write("a/b.html", b"new").expect("write");
        drop(failed);
        assert!(
            out.join("stale.html").is_file(),
            "a failed build changes nothing"
        );
        assert_eq!(beside(dir.path()), ["output"]);

        let staging = Staging::new(&out).expect("staging");
        staging.write("a/b.html", b"new").expect("write");
        assert!(staging.write("../escape", b"x").is_err());
        assert!(staging.write("a//b", b"x").is_err());
        staging.commit().expect("commit");
        assert!(!out.join("stale.html").exists(), "stale files go");
        assert_eq!(std::fs::read(out.join("a/b.html")).expect("read"), b"new");
        assert_eq!(beside(dir.path()), ["output"]);
    }
}
