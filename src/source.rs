//! Source files of a casebook and positions inside them.
//!
//! Every value a rule can complain about carries a [`Loc`], so a diagnostic can
//! name the file, line and column and underline the value.

use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// A file of the [`SourceMap`]: its shard in the upper 32 bits (0 for the
/// settings, one per context after that, so contexts load in parallel),
/// its place in the shard in the lower. Ordered as the casebook is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u64);

impl FileId {
    fn shard(self) -> u32 {
        (self.0 >> 32) as u32
    }

    fn index(self) -> usize {
        (self.0 & 0xffff_ffff) as usize
    }
}

/// A position in a source file: 1-based line and (character) column, plus the
/// byte range of the value, used to underline it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Loc {
    pub file: FileId,
    pub line: u32,
    pub column: u32,
    /// Byte offset of the start of the value in the file's text.
    pub start: usize,
    /// Byte offset just past the value (equal to `start` for a point).
    pub end: usize,
}

impl Loc {
    /// The start of a file: where problems with the whole file are reported.
    pub fn file_start(file: FileId) -> Self {
        Loc {
            file,
            line: 1,
            column: 1,
            start: 0,
            end: 0,
        }
    }
}

/// A value together with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub loc: Loc,
}

impl<T> Sp<T> {
    pub fn new(value: T, loc: Loc) -> Self {
        Sp { value, loc }
    }
}

impl<T: fmt::Display> fmt::Display for Sp<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

/// A slice of a file's text that shares the file's buffer: a casebook's
/// Markdown is most of its bytes, and bodies and their sections are kept
/// for rendering without a copy of each.
#[derive(Clone, Default)]
pub struct SharedStr {
    whole: Option<Arc<String>>,
    range: Range<usize>,
}

impl SharedStr {
    /// `range` of `whole`, narrowed to character boundaries inside it.
    pub fn slice_of(whole: &Arc<String>, range: Range<usize>) -> Self {
        let end = floor_char_boundary(whole, range.end.min(whole.len()));
        let start = floor_char_boundary(whole, range.start.min(end));
        SharedStr {
            whole: Some(Arc::clone(whole)),
            range: start..end,
        }
    }

    pub fn as_str(&self) -> &str {
        self.whole.as_deref().map_or("", |w| &w[self.range.clone()])
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        let whole = Arc::new(s.to_string());
        let range = 0..whole.len();
        SharedStr {
            whole: Some(whole),
            range,
        }
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr::from(s.as_str())
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One file of the casebook as it was read.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the casebook root, with `/` separators.
    pub path: String,
    /// The file's text; empty when it could not be read as UTF-8. Shared:
    /// Markdown bodies and sections are slices of it, not copies. (An
    /// `Arc<String>` takes the text read without copying it, as an
    /// `Arc<str>` would.)
    pub text: Arc<String>,
    /// Byte offsets where each line starts.
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = Arc::new(text.into());
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// A part of the text, sharing it.
    pub fn slice(&self, range: Range<usize>) -> SharedStr {
        SharedStr::slice_of(&self.text, range)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: u32) -> Option<&str> {
        let idx = (line as usize).checked_sub(1)?;
        let start = *self.line_starts.get(idx)?;
        let end = self
            .line_starts
            .get(idx + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches(['\n', '\r']))
    }

    /// Byte offset of the start of a 1-based line.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        let idx = (line as usize).checked_sub(1)?;
        self.line_starts.get(idx).copied()
    }

    /// The [`Loc`] of a byte offset in this file.
    pub fn loc_at(&self, file: FileId, offset: usize, len: usize) -> Loc {
        let offset = offset.min(self.text.len());
        let idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[idx];
        let column = self.text[line_start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count() as u32
            + 1;
        Loc {
            file,
            line: idx as u32 + 1,
            column,
            start: offset,
            end: floor_char_boundary(&self.text, offset.saturating_add(len).min(self.text.len())),
        }
    }

    /// Byte offset of a 1-based line and character column, if it exists.
    pub fn offset_of(&self, line: u32, column: u32) -> Option<usize> {
        let start = self.line_start(line)?;
        let text = self.line_text(line)?;
        let col = (column as usize).checked_sub(1)?;
        match text.char_indices().nth(col) {
            Some((i, _)) => Some(start + i),
            None => Some(start + text.len()),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All files read while loading a casebook, in shards: the loader reads
/// each context into a shard of its own, in parallel, and merges them.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    /// The shard of `shards[0]`; the others follow it.
    first: u32,
    shards: Vec<Vec<SourceFile>>,
}

impl SourceMap {
    /// An empty map whose files go into shard `shard`, to be merged later.
    pub fn shard(shard: u32) -> Self {
        SourceMap {
            first: shard,
            shards: vec![Vec::new()],
        }
    }

    /// Adds a file to the last shard.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        if self.shards.is_empty() {
            self.shards.push(Vec::new());
        }
        let shard = self.first + self.shards.len() as u32 - 1;
        let files = self.shards.last_mut().map_or(0, |files| {
            files.push(file);
            files.len()
        });
        FileId((u64::from(shard) << 32) | (files as u64 - 1))
    }

    /// Takes in the files of `other`, a map made by [`SourceMap::shard`]
    /// for the next shard after this map's last (any shards between them
    /// stay empty).
    pub fn merge(&mut self, other: SourceMap) {
        let next = other.first.saturating_sub(self.first) as usize;
        while self.shards.len() < next {
            self.shards.push(Vec::new());
        }
        self.shards.extend(other.shards);
    }

    /// The file `id`, if this map holds it: two indexes, no search.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        let shard = id.shard().checked_sub(self.first)? as usize;
        self.shards.get(shard)?.get(id.index())
    }

    /// The path of file `id`; empty for an id this map does not hold.
    pub fn path(&self, id: FileId) -> &str {
        self.get(id).map_or("", |f| f.path.as_str())
    }

    /// The text of file `id`; empty for an id this map does not hold.
    pub fn text(&self, id: FileId) -> &str {
        self.get(id).map_or("", |f| &*f.text)
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.shards.iter().enumerate().flat_map(move |(s, files)| {
            let shard = u64::from(self.first + s as u32) << 32;
            files
                .iter()
                .enumerate()
                .map(move |(i, f)| (FileId(shard | i as u64), f))
        })
    }

    /// The id of the file with this casebook-relative path.
    pub fn find(&self, path: &str) -> Option<FileId> {
        self.iter().find(|(_, f)| f.path == path).map(|(id, _)| id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_characters_not_bytes() {
        let f = SourceFile::new("a.yaml", "name: Zoë\nage: 15\n");
        let loc = f.loc_at(FileId(0), f.text.find("15").unwrap(), 2);
        assert_eq!((loc.line, loc.column), (2, 6));
        let after = f.loc_at(FileId(0), f.text.find(" 15").unwrap() - 1, 1);
        assert_eq!((after.line, after.column), (2, 4));
        assert_eq!(f.line_text(1), Some("name: Zoë"));
        assert_eq!(f.offset_of(2, 6), Some(f.text.find("15").unwrap()));
    }
}
