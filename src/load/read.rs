//! Reading one file of the casebook into the source map, refusing what is not
//! a text record (too large, not UTF-8, binary) with a diagnostic.

use super::yaml::schema;
use crate::diagnostic::Diagnostic;
use crate::fs_guard::{self, ReadError};
use crate::rule_id::RuleId;
use crate::source::{FileId, Loc, SourceFile, SourceMap};
use std::path::Path;

/// Largest file read.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The `unsafe-file` error for a path that is not read: a symbolic link
/// out of the casebook, or a FIFO, device or socket. Its target is never
/// named.
pub fn unsafe_file(file: FileId, rel: &str, why: fs_guard::Refusal) -> Diagnostic {
    Diagnostic::new(
        RuleId::UnsafeFile,
        Loc::file_start(file),
        format!("`{rel}` {}", why.message()),
    )
    .with_help(why.help())
}

/// Reads `path` (shown as `rel`) into `sources`. Returns `Ok` when it is a
/// readable UTF-8 text file; otherwise reports why and returns `Err`. Either
/// way the file is in the source map, so diagnostics about it can name it (and
/// show what could be decoded of it).
pub fn read(
    guard: &fs_guard::Casebook,
    path: &Path,
    rel: &str,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Result<FileId, FileId> {
    let refuse = |sources: &mut SourceMap, text: String| sources.add(SourceFile::new(rel, text));
    let bytes = match guard.read(path, MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(ReadError::TooLarge(len)) => {
            let id = refuse(sources, String::new());
            diags.push(
                schema(
                    Loc::file_start(id),
                    format!(
                        "file too large: {:.1} MiB, the limit is {} MiB",
                        len as f64 / (1024.0 * 1024.0),
                        MAX_FILE_BYTES / (1024 * 1024)
                    ),
                )
                .with_help("a record is a few pages of text; check this is the file you meant"),
            );
            return Err(id);
        }
        Err(ReadError::Refused(why)) => {
            let id = refuse(sources, String::new());
            diags.push(unsafe_file(id, rel, why));
            return Err(id);
        }
        Err(e) => {
            let id = refuse(sources, String::new());
            diags.push(schema(
                Loc::file_start(id),
                format!("cannot read the file: {e}"),
            ));
            return Err(id);
        }
    };
    let nul = bytes.iter().position(|&b| b == 0);
    let invalid = std::str::from_utf8(&bytes).err().map(|e| e.valid_up_to());
    match (nul, invalid) {
        (None, None) => {
            let text = String::from_utf8(bytes).unwrap_or_default();
            Ok(sources.add(SourceFile::new(rel, text)))
        }
        (Some(n), inv) if inv.is_none_or(|i| n < i) => {
            let id = refuse(sources, String::from_utf8_lossy(&bytes).into_owned());
            let loc = sources
                .get(id)
                .map_or(Loc::file_start(id), |f| f.loc_at(id, n, 1));
            diags.push(
                schema(
                    loc,
                    "file contains a NUL byte; it is binary or damaged, not a text record",
                )
                .with_help("save it again as plain UTF-8 text"),
            );
            Err(id)
        }
        (_, inv) => {
            let at = inv.unwrap_or(0);
            // The valid prefix is kept verbatim, so positions in it are exact.
            let id = refuse(sources, String::from_utf8_lossy(&bytes).into_owned());
            let loc = sources
                .get(id)
                .map_or(Loc::file_start(id), |f| f.loc_at(id, at, 1));
            diags.push(
                schema(
                    loc,
                    format!("file is not valid UTF-8 at byte {at}; save it as UTF-8"),
                )
                .with_help("most editors offer \"UTF-8\" as an encoding when saving"),
            );
            Err(id)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_bytes(bytes: &[u8]) -> (Result<FileId, FileId>, Vec<Diagnostic>, SourceMap) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.yaml");
        std::fs::write(&p, bytes).unwrap();
        let mut sources = SourceMap::default();
        let mut diags = Vec::new();
        let guard = fs_guard::Casebook::new(dir.path()).unwrap();
        let id = read(&guard, &p, "f.yaml", &mut sources, &mut diags);
        (id, diags, sources)
    }

    #[test]
    fn reads_utf8() {
        let (id, diags, sources) = read_bytes("a: Zoë\n".as_bytes());
        assert!(diags.is_empty());
        assert_eq!(
            sources
                .get(id.unwrap())
                .expect("a file of the map")
                .text
                .as_ref(),
            "a: Zoë\n"
        );
    }

    #[test]
    fn non_utf8_is_located() {
        let (id, diags, sources) = read_bytes(b"a: 1\nb: caf\xe9\n");
        assert!(id.is_err());
        assert_eq!(diags.len(), 1);
        let d = &diags[0];
        assert_eq!((d.loc.line, d.loc.column), (2, 7));
        assert!(
            d.message.contains("not valid UTF-8 at byte 11"),
            "{}",
            d.message
        );
        let f = sources.find("f.yaml").unwrap();
        assert_eq!(
            sources.get(f).expect("a file of the map").line_text(1),
            Some("a: 1")
        );
    }

    #[test]
    fn nul_is_located() {
        let (id, diags, _) = read_bytes(b"a: 1\nb: x\0y\n");
        assert!(id.is_err());
        assert_eq!((diags[0].loc.line, diags[0].loc.column), (2, 5));
        assert!(diags[0].message.contains("NUL"));
    }

    #[test]
    fn too_large_is_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.yaml");
        let f = std::fs::File::create(&p).unwrap();
        f.set_len(MAX_FILE_BYTES + 1).unwrap();
        let mut sources = SourceMap::default();
        let mut diags = Vec::new();
        let guard = fs_guard::Casebook::new(dir.path()).unwrap();
        assert!(read(&guard, &p, "big.yaml", &mut sources, &mut diags).is_err());
        assert_eq!((diags[0].loc.line, diags[0].loc.column), (1, 1));
        assert!(diags[0].message.contains("too large"));
    }
}
