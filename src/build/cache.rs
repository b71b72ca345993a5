//! What each output was made from, so a rebuild renders only what changed.
//!
//! Every document is keyed on everything that determines its bytes: the
//! data handed to its template (which carries the records it shows, the
//! date built for and its provenance line), the template sources, its
//! title, path and date, and the build of contextpack itself (code, fonts,
//! dependencies). A document whose key is unchanged is linked from the
//! previous output instead of rendered; the bytes are the same as a fresh
//! render, which `tests/` proves by comparing an incremental and a clean
//! build.
//!
//! The keys live in the output folder as [`FILE`]. It is contextpack's own
//! business: deleting it (or the output folder) only makes the next build
//! render everything. CI that keeps the output folder between runs keeps
//! the cache with it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The key store, inside the output folder.
pub const FILE: &str = ".contextpack-cache.json";

/// Raised when the store's layout changes; an older store is ignored.
const VERSION: u32 = 1;

/// A hash of contextpack's own sources, dependencies and fonts, made by
/// `build.rs`: a new contextpack renders everything once.
const BUILD_ID: &str = env!("CONTEXTPACK_BUILD_ID");

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    /// The output's key.
    pub key: String,
    pub sha256: String,
    pub bytes: u64,
    /// What a reader can see of a PDF (page text and metadata), kept for
    /// outputs the leak guard must search again on every build.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Store {
    version: u32,
    build: String,
    /// By output path.
    entries: HashMap<String, Entry>,
    /// By context id: a key over every input of the context's documents,
    /// so an untouched context is reused without building its views.
    #[serde(default)]
    contexts: HashMap<String, String>,
    /// The whole build's key and the files written whole, so a build whose
    /// inputs did not change at all finds the output already right.
    #[serde(default)]
    casebook: Option<Whole>,
}

/// What a whole build was made from, and the files it wrote whole (the
/// summaries, dashboard, calendar and manifest; the documents are in the
/// entries).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Whole {
    pub key: String,
    /// Files the manifest lists.
    pub documents: usize,
    pub files: std::collections::BTreeMap<String, Sum>,
}

/// A file's hash and size.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Sum {
    pub sha256: String,
    pub bytes: u64,
}

/// The keys of the previous build, read from its output folder.
#[derive(Debug, Default)]
pub struct Previous {
    /// The previous output folder, where reusable files are.
    dir: PathBuf,
    /// The previous output folder, so that a file is reused only from
    /// inside it: an output folder that came with a casebook could hold
    /// a link to `~/.ssh` among its documents.
    guard: Option<crate::fs_guard::Casebook>,
    entries: HashMap<String, Entry>,
    contexts: HashMap<String, String>,
    casebook: Option<Whole>,
}

/// Largest key store read back.
const MAX_STORE_BYTES: u64 = 1024 * 1024 * 1024;

impl Previous {
    /// The store in `out`; empty when there is none, it is unreadable, or
    /// an other build of contextpack wrote it.
    pub fn load(out: &Path) -> Previous {
        let store = crate::fs_guard::read_regular(&out.join(FILE), MAX_STORE_BYTES)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Store>(&bytes).ok())
            .filter(|s| s.version == VERSION && s.build == BUILD_ID)
            .unwrap_or_default();
        Previous {
            dir: out.to_path_buf(),
            guard: crate::fs_guard::Casebook::new(out).ok(),
            entries: store.entries,
            contexts: store.contexts,
            casebook: store.casebook,
        }
    }

    /// Nothing to reuse: every output is rendered.
    pub fn none() -> Previous {
        Previous::default()
    }

    /// The previous output at `path` when it was made with `key` and is
    /// still there, the size it was written with.
    pub fn reusable(&self, path: &str, key: &str) -> Option<(&Entry, PathBuf)> {
        self.entries.get(path).filter(|e| e.key == key)?;
        self.existing(path)
    }

    /// The previous output at `path`, whatever its key, when it is still
    /// there at the size it was written with.
    pub fn existing(&self, path: &str) -> Option<(&Entry, PathBuf)> {
        let entry = self.entries.get(path)?;
        let file = self.dir.join(path);
        // A regular file inside the previous output, reached through no link.
        match self.guard.as_ref()?.classify(&file) {
            crate::fs_guard::Kind::File(real) if real == file => {}
            _ => return None,
        }
        let meta = std::fs::symlink_metadata(&file).ok()?;
        (meta.is_file() && meta.len() == entry.bytes).then_some((entry, file))
    }
}

impl Previous {
    /// Whether the previous build was made from exactly the inputs `key`
    /// covers and its output folder still holds exactly what it wrote: its
    /// documents at their sizes, its whole files with their hashes, and
    /// nothing else.
    /// Returns how many documents the manifest lists.
    pub fn unchanged(&self, key: &str) -> Option<usize> {
        let whole = self.casebook.as_ref().filter(|w| w.key == key)?;
        let mut expected: HashMap<&str, super::output::Expect> = self
            .entries
            .iter()
            .map(|(path, e)| (path.as_str(), super::output::Expect::size(e.bytes)))
            .collect();
        expected.extend(whole.files.iter().map(|(path, sum)| {
            (
                path.as_str(),
                super::output::Expect::hash(sum.bytes, &sum.sha256),
            )
        }));
        expected.insert(FILE, super::output::Expect::any());
        super::output::holds_exactly(&self.dir, &expected).then_some(whole.documents)
    }

    /// Whether the context's inputs are those of the previous build.
    pub fn same_context(&self, id: &str, key: &str) -> bool {
        self.contexts.get(id).is_some_and(|k| k == key)
    }
}

/// The keys of this build, written into its output.
#[derive(Debug, Default)]
pub struct Keys {
    entries: std::sync::Mutex<HashMap<String, Entry>>,
    contexts: std::sync::Mutex<HashMap<String, String>>,
    casebook: std::sync::Mutex<Option<Whole>>,
}

impl Keys {
    pub fn set_casebook(&self, whole: Whole) {
        *self.casebook.lock().unwrap_or_else(|e| e.into_inner()) = Some(whole);
    }

    pub fn insert_context(&self, id: &str, key: String) {
        let mut contexts = self.contexts.lock().unwrap_or_else(|e| e.into_inner());
        contexts.insert(id.to_string(), key);
    }

    pub fn insert(&self, path: &str, entry: Entry) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.insert(path.to_string(), entry);
    }

    /// The store as JSON, keys sorted so two builds of the same records
    /// write the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let contexts = self.contexts.lock().unwrap_or_else(|e| e.into_inner());
        let sorted: std::collections::BTreeMap<&String, &Entry> = entries.iter().collect();
        let contexts: std::collections::BTreeMap<&String, &String> = contexts.iter().collect();
        let casebook = self.casebook.lock().unwrap_or_else(|e| e.into_inner());
        let value = serde_json::json!({
            "version": VERSION,
            "build": BUILD_ID,
            "entries": sorted,
            "contexts": contexts,
            "casebook": *casebook,
        });
        serde_json::to_vec(&value).unwrap_or_default()
    }
}

/// A key over the parts that determine an output, each length-prefixed so
/// no two different lists of parts hash alike.
pub fn key(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    h.update(BUILD_ID.as_bytes());
    for part in parts {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    format!("{:x}", h.finalize())
}

/// A fingerprint of a set of template sources, for the keys of every
/// document made with them.
pub fn fingerprint<'a>(sources: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut sorted: Vec<(&str, &str)> = sources.into_iter().collect();
    sorted.sort_unstable();
    let parts: Vec<&[u8]> = sorted
        .iter()
        .flat_map(|(name, text)| [name.as_bytes(), text.as_bytes()])
        .collect();
    key(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_not_confused_by_their_boundaries() {
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
        assert_eq!(key(&[b"ab", b"c"]), key(&[b"ab", b"c"]));
        assert_eq!(
            fingerprint([("b", "2"), ("a", "1")]),
            fingerprint([("a", "1"), ("b", "2")])
        );
    }

    #[test]
    fn a_store_round_trips_and_checks_the_file_is_there() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.html"), b"hello").expect("write");
        let keys = Keys::default();
        let entry = Entry {
            key: "k".into(),
            sha256: "s".into(),
            bytes: 5,
            text: None,
        };
        keys.insert("a.html", entry.clone());
        keys.insert("gone.html", entry.clone());
        std::fs::write(dir.path().join(FILE), keys.to_bytes()).expect("write");
        let previous = Previous::load(dir.path());
        assert!(previous.reusable("a.html", "k").is_some());
        assert!(previous.reusable("a.html", "other").is_none());
        assert!(previous.reusable("gone.html", "k").is_none());
        std::fs::write(dir.path().join(FILE), b"{not json").expect("write");
        assert!(Previous::load(dir.path()).reusable("a.html", "k").is_none());
    }
}
