//! `manifest.json`: what a build wrote and what it wrote it from, so a chair
//! can show exactly which records (and which commit) a pack came from.
//!
//! Everything in it follows from the casebook, the date built for and the
//! commit: no clock, no machine names, sorted lists, so two builds of the same
//! records give the same bytes.

use super::git::{Commit, Provenance};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The manifest's layout; raised when a field changes meaning.
pub const VERSION: u32 = 1;

/// The first field of every manifest: what says a folder is a contextpack
/// output, which an unrelated `manifest.json` (a browser extension's, a web
/// app's) does not say.
pub const FORMAT: &str = "contextpack-output";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`] (missing from manifests written before it).
    #[serde(default = "format")]
    pub format: String,
    pub manifest_version: u32,
    /// The date the documents were built for (`--today` or `as_of:`).
    pub built_for: String,
    /// `null` outside git or before the first commit.
    pub commit: Option<Commit>,
    /// The line printed on every page.
    pub provenance: String,
    /// Every output, sorted by path.
    pub outputs: Vec<OutputEntry>,
    /// Every input file used by some output, sorted by path, with its hash,
    /// so uncommitted records can be told apart too.
    #[serde(default)]
    pub inputs: Vec<FileEntry>,
    /// Contexts left out by `--keep-going`, sorted.
    #[serde(default)]
    pub not_rendered: Vec<NotRendered>,
}

fn format() -> String {
    FORMAT.to_string()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutputEntry {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    /// Casebook files it was made from, relative to the casebook, sorted.
    #[serde(default)]
    pub inputs: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotRendered {
    /// `cases/<id>`.
    pub context: String,
    pub errors: usize,
    pub breaches: usize,
}

impl Manifest {
    pub fn new(built_for: String, provenance: &Provenance) -> Self {
        Manifest {
            format: FORMAT.to_string(),
            manifest_version: VERSION,
            built_for,
            commit: provenance.commit().cloned(),
            provenance: provenance.text(),
            outputs: Vec::new(),
            inputs: Vec::new(),
            not_rendered: Vec::new(),
        }
    }

    /// A manifest contextpack wrote ([`is_ours`]), read back; it comes out
    /// in this release's format.
    pub fn read(bytes: &[u8]) -> Option<Manifest> {
        if !is_ours(bytes) {
            return None;
        }
        let mut m: Manifest = serde_json::from_slice(bytes).ok()?;
        m.format = FORMAT.to_string();
        m.manifest_version = VERSION;
        Some(m)
    }

    /// Sorts every list, then serialises: pretty JSON ending in a newline.
    pub fn to_bytes(mut self) -> Vec<u8> {
        self.outputs.sort_by(|a, b| a.path.cmp(&b.path));
        for o in &mut self.outputs {
            o.inputs.sort();
            o.inputs.dedup();
        }
        self.inputs.sort_by(|a, b| a.path.cmp(&b.path));
        self.inputs.dedup_by(|a, b| a.path == b.path);
        self.not_rendered.sort_by(|a, b| a.context.cmp(&b.context));
        // Plain data with string keys: serialising cannot fail.
        let mut bytes = serde_json::to_vec_pretty(&self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

/// Whether `bytes` are a manifest contextpack wrote: the format marker and
/// a version it knows. A manifest from before the marker (version 1 with
/// contextpack's own fields, `built_for`, `provenance` and `outputs`) is
/// still recognised, so an output built by an earlier release can be
/// rebuilt.
pub fn is_ours(bytes: &[u8]) -> bool {
    use serde_json::value::RawValue;
    // Only the fields that identify a manifest, each kept as raw JSON: a
    // large output's manifest is tens of megabytes, and nothing else in it
    // matters here.
    #[derive(serde::Deserialize)]
    struct Head<'a> {
        #[serde(borrow)]
        format: Option<&'a RawValue>,
        #[serde(borrow)]
        manifest_version: Option<&'a RawValue>,
        #[serde(borrow)]
        built_for: Option<&'a RawValue>,
        #[serde(borrow)]
        provenance: Option<&'a RawValue>,
        #[serde(borrow)]
        outputs: Option<&'a RawValue>,
    }
    let Ok(head) = serde_json::from_slice::<Head>(bytes) else {
        return false;
    };
    let starts = |raw: Option<&RawValue>, c: char| raw.is_some_and(|r| r.get().starts_with(c));
    let version = head
        .manifest_version
        .and_then(|r| serde_json::from_str::<u64>(r.get()).ok());
    let known = version.is_some_and(|v| v >= 1 && v <= VERSION as u64);
    match head
        .format
        .and_then(|r| serde_json::from_str::<String>(r.get()).ok())
    {
        Some(format) => format == FORMAT && known,
        None => {
            version == Some(1)
                && starts(head.built_for, '"')
                && starts(head.provenance, '"')
                && starts(head.outputs, '[')
        }
    }
}

/// Lower-case hexadecimal SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_lower_hex() {
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn lists_come_out_sorted() {
        let mut m = Manifest::new("2026-11-01".into(), &Provenance::Unversioned);
        for path in ["b", "a"] {
            m.outputs.push(OutputEntry {
                path: path.into(),
                sha256: String::new(),
                bytes: 0,
                inputs: vec!["z".into(), "y".into(), "z".into()],
            });
        }
        let text = String::from_utf8(m.to_bytes()).expect("utf-8");
        let value: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(value["outputs"][0]["path"], "a");
        assert_eq!(value["outputs"][0]["inputs"], serde_json::json!(["y", "z"]));
        assert!(value["commit"].is_null());
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn a_manifest_reads_back_and_an_older_one_gets_the_marker() {
        let mut m = Manifest::new("2026-11-01".into(), &Provenance::Unversioned);
        m.outputs.push(OutputEntry {
            path: "a".into(),
            sha256: "x".into(),
            bytes: 1,
            inputs: vec![],
        });
        let bytes = m.to_bytes();
        let back = Manifest::read(&bytes).expect("reads");
        assert_eq!(back.outputs[0].path, "a");
        assert_eq!(back.to_bytes(), bytes);
        let old = br#"{"manifest_version":1,"built_for":"2026-11-01","commit":null,"provenance":"p","outputs":[{"path":"b","sha256":"s","bytes":2}]}"#;
        let back = Manifest::read(old).expect("an older manifest reads");
        assert_eq!(back.format, FORMAT);
        assert_eq!(back.outputs[0].inputs, Vec::<String>::new());
        assert!(Manifest::read(br#"{"name":"a web app"}"#).is_none());
    }
}
