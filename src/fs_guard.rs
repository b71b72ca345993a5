//! Reading a casebook that may have come from anywhere: nothing outside it
//! is read, and nothing that is not a regular file is opened for reading.
//!
//! A casebook is cloned, unzipped from e-mail or copied from a shared drive,
//! then built where secrets live (a CI runner, a practitioner's laptop). A
//! symbolic link to `/proc/self/environ` or `~/.ssh/id_ed25519` would put
//! those bytes into diagnostics and documents; a FIFO would hang the build;
//! `/dev/zero` would read until memory ran out. So every path is classified
//! before it is read: a symbolic link is followed only when it resolves
//! inside the casebook, and only regular files are read, opened without
//! following a final symbolic link and without blocking, with their kind
//! checked on the open file itself.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a path in the casebook is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A symbolic link that resolves outside the casebook (or nowhere).
    Outside,
    /// Not a regular file or folder: a FIFO, a device or a socket.
    Special(&'static str),
}

impl Refusal {
    /// What the path is, to follow "`<path>` is ...".
    pub fn message(self) -> String {
        match self {
            Refusal::Outside => {
                "is a symbolic link that leads outside the casebook; it is not read".to_string()
            }
            Refusal::Special(kind) => format!("is {kind}, not a regular file; it is not read"),
        }
    }

    pub fn help(self) -> &'static str {
        match self {
            Refusal::Outside => {
                "a casebook holds its own files: copy the file into the casebook instead of linking to it"
            }
            Refusal::Special(_) => {
                "a casebook holds only folders and text files: remove it, or move it out of the casebook"
            }
        }
    }
}

/// What a path in the casebook is, after following a symbolic link that
/// stays inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Missing,
    /// A regular file, at its real path.
    File(PathBuf),
    /// A folder, at its real path.
    Dir(PathBuf),
    Refused(Refusal),
}

impl Kind {
    pub fn is_file(&self) -> bool {
        matches!(self, Kind::File(_))
    }

    pub fn is_dir(&self) -> bool {
        matches!(self, Kind::Dir(_))
    }
}

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    Missing,
    Refused(Refusal),
    /// Larger than the limit: its size in bytes.
    TooLarge(u64),
    Io(io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Missing => write!(f, "it does not exist"),
            ReadError::Refused(r) => write!(f, "it {}", r.message()),
            ReadError::TooLarge(n) => write!(f, "it is too large ({n} bytes)"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// The words for a file that is neither a regular file nor a folder.
fn special_kind(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "not a regular file"
}

/// A casebook folder, by its real path.
#[derive(Debug)]
pub struct Casebook {
    root: PathBuf,
    /// Folders already found to be real folders inside the casebook: a
    /// thousand contexts share a few thousand folders, and resolving each
    /// again for each of their files is most of the cost of checking.
    plain: std::sync::RwLock<std::collections::HashSet<PathBuf>>,
    /// Texts to read instead of what is on disk, by real path: an editor's
    /// unsaved buffers, for the language server.
    overlay: Overlay,
}

/// Unsaved texts of files of the casebook, by their real (canonical) path.
/// Only files that exist are overlaid: the guard decides what is a file of
/// the casebook from the disk, whatever an editor holds.
pub type Overlay = std::sync::Arc<std::collections::HashMap<PathBuf, std::sync::Arc<String>>>;

impl Casebook {
    pub fn new(root: &Path) -> io::Result<Self> {
        Ok(Casebook {
            root: std::fs::canonicalize(root)?,
            plain: std::sync::RwLock::default(),
            overlay: Overlay::default(),
        })
    }

    /// Reads the texts of `overlay` in place of their files.
    pub fn with_overlay(mut self, overlay: Overlay) -> Self {
        self.overlay = overlay;
        self
    }

    /// What `path` (inside the casebook) is. Every symbolic link on the way
    /// is resolved; one that leads outside makes the path refused.
    pub fn classify(&self, path: &Path) -> Kind {
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(_) => return self.classify_missing(path),
        };
        if meta.file_type().is_symlink() || !self.lexically_plain(path) {
            return self.resolve(path);
        }
        kind_of(&meta, path.to_path_buf())
    }

    /// A name that does not exist may still sit under a symbolic link that
    /// leads out: that is refused, not missing, so that nothing is written
    /// there either.
    fn classify_missing(&self, path: &Path) -> Kind {
        let mut parent = path.parent();
        while let Some(p) = parent {
            if std::fs::symlink_metadata(p).is_ok() {
                return match std::fs::canonicalize(p) {
                    Ok(real) if real.starts_with(&self.root) => Kind::Missing,
                    _ => Kind::Refused(Refusal::Outside),
                };
            }
            parent = p.parent();
        }
        Kind::Missing
    }

    /// Whether every folder between the root and `path` is a real folder.
    fn lexically_plain(&self, path: &Path) -> bool {
        let Some(parent) = path.parent() else {
            return true;
        };
        if self.plain.read().is_ok_and(|set| set.contains(parent)) {
            return true;
        }
        let plain = match std::fs::canonicalize(parent) {
            Ok(real) => real.starts_with(&self.root) && same_tail(&real, parent),
            Err(_) => false,
        };
        if plain && let Ok(mut set) = self.plain.write() {
            set.insert(parent.to_path_buf());
        }
        plain
    }

    fn resolve(&self, path: &Path) -> Kind {
        match std::fs::canonicalize(path) {
            Ok(real) if real.starts_with(&self.root) => match std::fs::symlink_metadata(&real) {
                Ok(meta) => kind_of(&meta, real),
                Err(_) => Kind::Missing,
            },
            _ => Kind::Refused(Refusal::Outside),
        }
    }

    /// The kind of a folder entry whose type came from the directory
    /// listing: a symbolic link is resolved, anything else taken as listed.
    pub fn classify_entry(&self, path: &Path, file_type: std::fs::FileType) -> Kind {
        if file_type.is_symlink() {
            return self.resolve(path);
        }
        if file_type.is_file() {
            return Kind::File(path.to_path_buf());
        }
        if file_type.is_dir() {
            return Kind::Dir(path.to_path_buf());
        }
        match std::fs::symlink_metadata(path) {
            Ok(meta) => kind_of(&meta, path.to_path_buf()),
            Err(_) => Kind::Missing,
        }
    }

    /// Reads the regular file at `path` inside the casebook, at most `max`
    /// bytes.
    pub fn read(&self, path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
        match self.classify(path) {
            Kind::Missing => Err(ReadError::Missing),
            Kind::Refused(r) => Err(ReadError::Refused(r)),
            Kind::Dir(_) => Err(ReadError::Io(io::Error::other("it is a folder"))),
            Kind::File(real) => match self.overlay.get(&real) {
                Some(text) if text.len() as u64 > max => {
                    Err(ReadError::TooLarge(text.len() as u64))
                }
                Some(text) => Ok(text.as_bytes().to_vec()),
                None => read_regular(&real, max),
            },
        }
    }
}

/// `path` as a path from `root`, both with symbolic links resolved, with
/// `/` separators (`cases/quay/plan.yaml`); `None` when it is not inside
/// `root` or either does not exist.
pub fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let root = std::fs::canonicalize(root).ok()?;
    let path = std::fs::canonicalize(path).ok()?;
    let rel = path.strip_prefix(root).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// Reads `rel` inside the casebook at `root` (see [`Casebook::read`]).
pub fn read_inside(root: &Path, rel: &str, max: u64) -> Result<Vec<u8>, ReadError> {
    let guard = Casebook::new(root).map_err(ReadError::Io)?;
    guard.read(&root.join(rel), max)
}

/// Whether `real` ends with the normal components of `lexical` (so no
/// component of `lexical` was a symbolic link to elsewhere).
fn same_tail(real: &Path, lexical: &Path) -> bool {
    let lexical: Vec<_> = lexical
        .components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .collect();
    let real: Vec<_> = real.components().collect();
    real.len() >= lexical.len() && real[real.len() - lexical.len()..] == lexical[..]
}

fn kind_of(meta: &Metadata, path: PathBuf) -> Kind {
    if meta.is_file() {
        Kind::File(path)
    } else if meta.is_dir() {
        Kind::Dir(path)
    } else if meta.file_type().is_symlink() {
        Kind::Refused(Refusal::Outside)
    } else {
        Kind::Refused(Refusal::Special(special_kind(meta)))
    }
}

/// Opens `path` for reading only if it is a regular file: a final symbolic
/// link is not followed, and a FIFO is not waited on. The kind is checked
/// on the open file, so a swap after the check changes nothing.
pub fn open_regular(path: &Path) -> Result<(File, u64), ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ReadError::Missing),
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(ReadError::Refused(Refusal::Outside));
        }
        Err(e) => return Err(ReadError::Io(e)),
    };
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::Refused(Refusal::Special(special_kind(&meta))));
    }
    Ok((file, meta.len()))
}

/// Reads a regular file of at most `max` bytes (see [`open_regular`]).
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_regular(path)?;
    if len > max {
        return Err(ReadError::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // A file that grows while read is still cut at the limit.
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn casebook() -> (tempfile::TempDir, Casebook) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("cb/cases")).expect("mkdir");
        let cb = Casebook::new(&dir.path().join("cb")).expect("casebook");
        (dir, cb)
    }

    #[test]
    fn a_link_inside_is_followed_and_one_outside_refused() {
        let (dir, cb) = casebook();
        let root = dir.path().join("cb");
        std::fs::write(root.join("cases/a.yaml"), "a: 1\n").expect("write");
        std::fs::write(dir.path().join("secret"), "TOKEN=1\n").expect("write");
        symlink(root.join("cases/a.yaml"), root.join("cases/b.yaml")).expect("link");
        symlink(dir.path().join("secret"), root.join("cases/c.yaml")).expect("link");
        symlink("../../secret", root.join("cases/d.yaml")).expect("link");
        symlink("/nowhere/at/all", root.join("cases/e.yaml")).expect("link");
        assert_eq!(
            cb.read(&root.join("cases/b.yaml"), 100).expect("inside"),
            b"a: 1\n"
        );
        for name in ["c.yaml", "d.yaml", "e.yaml"] {
            assert!(
                matches!(
                    cb.read(&root.join("cases").join(name), 100),
                    Err(ReadError::Refused(Refusal::Outside))
                ),
                "{name}"
            );
        }
    }

    #[test]
    fn a_folder_linked_outside_is_refused_with_all_beneath_it() {
        let (dir, cb) = casebook();
        let root = dir.path().join("cb");
        std::fs::create_dir(dir.path().join("elsewhere")).expect("mkdir");
        std::fs::write(dir.path().join("elsewhere/context.yaml"), "x").expect("write");
        symlink(dir.path().join("elsewhere"), root.join("cases/x")).expect("link");
        assert_eq!(
            cb.classify(&root.join("cases/x")),
            Kind::Refused(Refusal::Outside)
        );
        assert_eq!(
            cb.classify(&root.join("cases/x/context.yaml")),
            Kind::Refused(Refusal::Outside)
        );
        assert_eq!(
            cb.classify(&root.join("cases/x/new.md")),
            Kind::Refused(Refusal::Outside)
        );
    }

    #[test]
    fn devices_and_fifos_are_never_opened() {
        let (dir, cb) = casebook();
        let root = dir.path().join("cb");
        let fifo = root.join("cases/pipe.yaml");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("path");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(
            cb.read(&fifo, 100),
            Err(ReadError::Refused(Refusal::Special(k))) if k.contains("FIFO")
        ));
        // Opened directly (past the classification), still refused unblocked.
        assert!(matches!(
            read_regular(&fifo, 100),
            Err(ReadError::Refused(Refusal::Special(_)))
        ));
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 100),
            Err(ReadError::Refused(Refusal::Special("a device")))
        ));
    }

    #[test]
    fn the_limit_is_kept() {
        let (dir, cb) = casebook();
        let p = dir.path().join("cb/cases/big.md");
        std::fs::write(&p, vec![b'a'; 200]).expect("write");
        assert!(matches!(cb.read(&p, 100), Err(ReadError::TooLarge(200))));
    }
}
