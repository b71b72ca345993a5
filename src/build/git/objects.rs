//! git's object database, read directly: loose objects and pack files
//! (with their deltas), never through the `git` program.
//!
//! Reading the files ourselves is what makes provenance safe on a casebook
//! from elsewhere: no configuration is consulted, so nothing a repository
//! names (fsmonitor, filters, hooks, pagers, signature programs, includes)
//! can run. Alternates are not followed, so nothing outside the repository
//! is read; an object found only there is "missing", and provenance says
//! it could not be read. Every size is bounded before it is allocated.

use crate::fs_guard::{ReadError, open_regular, read_regular};
use flate2::{Decompress, FlushDecompress, Status};
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Largest object inflated: far above any record, tree or commit.
const MAX_OBJECT: u64 = 256 * 1024 * 1024;
/// Longest delta chain followed (git's own default depth is 50).
const MAX_CHAIN: usize = 10_000;
/// Bytes of resolved delta bases kept for reuse.
const CACHE_BYTES: usize = 64 * 1024 * 1024;

/// An object name: 20 bytes (SHA-1) or 32 (SHA-256).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid {
    bytes: [u8; 32],
    len: u8,
}

impl Oid {
    pub fn from_bytes(b: &[u8]) -> Option<Oid> {
        if b.len() != 20 && b.len() != 32 {
            return None;
        }
        let mut bytes = [0; 32];
        bytes[..b.len()].copy_from_slice(b);
        Some(Oid {
            bytes,
            len: b.len() as u8,
        })
    }

    pub fn from_hex(hex: &str) -> Option<Oid> {
        let hex = hex.trim();
        if hex.len() != 40 && hex.len() != 64 {
            return None;
        }
        let mut out = Vec::with_capacity(hex.len() / 2);
        for pair in hex.as_bytes().chunks(2) {
            let s = std::str::from_utf8(pair).ok()?;
            out.push(u8::from_str_radix(s, 16).ok()?);
        }
        Oid::from_bytes(&out)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    pub fn hex(&self) -> String {
        self.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Commit,
    Tree,
    Blob,
    Tag,
}

impl ObjectKind {
    fn from_pack(code: u8) -> Option<ObjectKind> {
        match code {
            1 => Some(ObjectKind::Commit),
            2 => Some(ObjectKind::Tree),
            3 => Some(ObjectKind::Blob),
            4 => Some(ObjectKind::Tag),
            _ => None,
        }
    }

    fn from_name(name: &[u8]) -> Option<ObjectKind> {
        match name {
            b"commit" => Some(ObjectKind::Commit),
            b"tree" => Some(ObjectKind::Tree),
            b"blob" => Some(ObjectKind::Blob),
            b"tag" => Some(ObjectKind::Tag),
            _ => None,
        }
    }
}

/// Why an object could not be read.
#[derive(Debug)]
pub struct Unreadable(pub String);

type Result<T> = std::result::Result<T, Unreadable>;

fn fail<T>(what: impl Into<String>) -> Result<T> {
    Err(Unreadable(what.into()))
}

/// A pack file and its index.
struct Pack {
    file: Mutex<std::fs::File>,
    len: u64,
    /// The whole `.idx` (version 2).
    idx: Vec<u8>,
    count: usize,
    hash_len: usize,
}

impl Pack {
    fn open(idx_path: &Path, hash_len: usize) -> Result<Pack> {
        let idx = read_regular(idx_path, 1 << 32).map_err(|e| Unreadable(format!("{e}")))?;
        if idx.len() < 8 + 256 * 4 || idx[..4] != [0xff, b't', b'O', b'c'] || be32(&idx[4..]) != 2 {
            return fail("a pack index is not version 2");
        }
        let count = be32(&idx[8 + 255 * 4..]) as usize;
        let need = 8 + 256 * 4 + count * (hash_len + 8);
        if idx.len() < need {
            return fail("a pack index is cut short");
        }
        let (file, len) = open_regular(&idx_path.with_extension("pack"))
            .map_err(|e| Unreadable(format!("a pack file: {e}")))?;
        Ok(Pack {
            file: Mutex::new(file),
            len,
            idx,
            count,
            hash_len,
        })
    }

    fn name(&self, i: usize) -> &[u8] {
        let at = 8 + 256 * 4 + i * self.hash_len;
        &self.idx[at..at + self.hash_len]
    }

    /// The index of the first name not less than `oid`.
    fn lower_bound(&self, oid: &[u8]) -> usize {
        let first = oid[0] as usize;
        let mut lo = if first == 0 {
            0
        } else {
            be32(&self.idx[8 + (first - 1) * 4..]) as usize
        };
        let mut hi = be32(&self.idx[8 + first * 4..]) as usize;
        hi = hi.min(self.count);
        lo = lo.min(hi);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.name(mid) < oid {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    fn find(&self, oid: &[u8]) -> Option<u64> {
        let i = self.lower_bound(oid);
        if i < self.count && self.name(i) == oid {
            Some(self.offset(i))
        } else {
            None
        }
    }

    fn offset(&self, i: usize) -> u64 {
        let base = 8 + 256 * 4 + self.count * (self.hash_len + 4);
        let small = be32(&self.idx[base + i * 4..]);
        if small & 0x8000_0000 == 0 {
            return small as u64;
        }
        let large = base + self.count * 4 + (small & 0x7fff_ffff) as usize * 8;
        match self.idx.get(large..large + 8) {
            Some(b) => u64::from_be_bytes(b.try_into().unwrap_or_default()),
            None => u64::MAX,
        }
    }

    /// The bytes at `offset..offset+len`, cut at the end of the file.
    fn bytes_at(&self, offset: u64, len: usize) -> Result<Vec<u8>> {
        if offset >= self.len {
            return fail("a pack entry lies past the end of its pack");
        }
        let len = len.min((self.len - offset) as usize);
        let mut buf = vec![0; len];
        let mut file = self
            .file
            .lock()
            .map_err(|_| Unreadable("a pack file is in use".into()))?;
        file.seek(SeekFrom::Start(offset))
            .and_then(|_| file.read_exact(&mut buf))
            .map_err(|e| Unreadable(format!("reading a pack: {e}")))?;
        Ok(buf)
    }

    /// Inflates the zlib stream at `offset` into exactly `size` bytes.
    fn inflate_at(&self, offset: u64, size: u64) -> Result<Vec<u8>> {
        if size > MAX_OBJECT {
            return fail("an object is larger than contextpack reads");
        }
        let mut out = Vec::with_capacity(size as usize);
        let mut z = Decompress::new(true);
        let mut at = offset;
        // zlib adds a few bytes to what it cannot shrink.
        let chunk_len = (size as usize + size as usize / 64 + 64).min(1024 * 1024);
        loop {
            let chunk = self.bytes_at(at, chunk_len)?;
            let (before_in, before_out) = (z.total_in(), z.total_out());
            let status = z
                .decompress_vec(&chunk, &mut out, FlushDecompress::None)
                .map_err(|_| Unreadable("a damaged pack entry".into()))?;
            at += z.total_in() - before_in;
            match status {
                Status::StreamEnd => break,
                _ if out.len() as u64 > size => return fail("a pack entry inflates too large"),
                _ if out.len() == out.capacity() => {
                    if out.len() as u64 >= size {
                        // Only the end-of-stream marker is left.
                        out.reserve(1);
                    } else {
                        out.reserve(64 * 1024);
                    }
                }
                _ if z.total_in() == before_in && z.total_out() == before_out => {
                    return fail("a pack entry is cut short");
                }
                _ => {}
            }
        }
        if out.len() as u64 != size {
            return fail("a pack entry has the wrong size");
        }
        Ok(out)
    }
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// What one pack entry is.
enum Entry {
    Whole(ObjectKind, u64, u64),
    /// A delta against the entry at an offset in the same pack.
    OfsDelta(u64, u64, u64),
    /// A delta against a named object.
    RefDelta(Oid, u64, u64),
}

/// The object database of one repository.
pub struct Store {
    objects: PathBuf,
    packs: Vec<Pack>,
    hash_len: usize,
    cache: Mutex<Cache>,
}

/// An object's kind and content, shared between the cache and its readers.
pub type Object = (ObjectKind, std::sync::Arc<Vec<u8>>);

#[derive(Default)]
struct Cache {
    by_offset: HashMap<(usize, u64), Object>,
    bytes: usize,
}

impl Store {
    pub fn open(objects: &Path, hash_len: usize) -> Store {
        let mut packs = Vec::new();
        if let Ok(dir) = std::fs::read_dir(objects.join("pack")) {
            let mut names: Vec<PathBuf> = dir
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                .collect();
            names.sort();
            // A pack that cannot be read is skipped: its objects then count
            // as missing, and provenance says it could not be read.
            packs.extend(names.iter().filter_map(|p| Pack::open(p, hash_len).ok()));
        }
        Store {
            objects: objects.to_path_buf(),
            packs,
            hash_len,
            cache: Mutex::new(Cache::default()),
        }
    }

    pub fn hash_len(&self) -> usize {
        self.hash_len
    }

    /// The kind and content of an object.
    pub fn read(&self, oid: &Oid) -> Result<Object> {
        for (p, pack) in self.packs.iter().enumerate() {
            if let Some(offset) = pack.find(oid.as_bytes()) {
                return self.packed(p, offset);
            }
        }
        self.loose(oid)
            .map(|(k, v)| (k, std::sync::Arc::new(v)))
            .ok_or_else(|| Unreadable(format!("object {} is not in the repository", oid.hex())))
    }

    fn loose(&self, oid: &Oid) -> Option<(ObjectKind, Vec<u8>)> {
        let hex = oid.hex();
        let path = self.objects.join(&hex[..2]).join(&hex[2..]);
        let compressed = match read_regular(&path, MAX_OBJECT) {
            Ok(b) => b,
            Err(ReadError::Missing) | Err(_) => return None,
        };
        let mut z = Decompress::new(true);
        let mut out = Vec::with_capacity(compressed.len() * 3 + 64);
        loop {
            let consumed = z.total_in() as usize;
            let produced = z.total_out();
            let status = z
                .decompress_vec(&compressed[consumed..], &mut out, FlushDecompress::Finish)
                .ok()?;
            match status {
                Status::StreamEnd => break,
                _ if out.len() as u64 > MAX_OBJECT + 64 => return None,
                _ if out.len() == out.capacity() => out.reserve(out.len().max(4096)),
                _ if z.total_in() as usize == consumed && z.total_out() == produced => return None,
                _ => {}
            }
        }
        let nul = out.iter().position(|&b| b == 0)?;
        let header = &out[..nul];
        let space = header.iter().position(|&b| b == b' ')?;
        let kind = ObjectKind::from_name(&header[..space])?;
        let size: usize = std::str::from_utf8(&header[space + 1..])
            .ok()?
            .parse()
            .ok()?;
        let body = out.split_off(nul + 1);
        (body.len() == size).then_some((kind, body))
    }

    fn entry(&self, p: usize, offset: u64) -> Result<Entry> {
        let pack = &self.packs[p];
        let head = pack.bytes_at(offset, 64)?;
        let mut i = 0;
        let byte = |i: &mut usize| -> Result<u8> {
            let b = *head
                .get(*i)
                .ok_or_else(|| Unreadable("a pack entry header is cut short".into()))?;
            *i += 1;
            Ok(b)
        };
        let mut c = byte(&mut i)?;
        let code = (c >> 4) & 7;
        let mut size = (c & 15) as u64;
        let mut shift = 4;
        while c & 0x80 != 0 {
            c = byte(&mut i)?;
            if shift > 56 {
                return fail("a pack entry header is damaged");
            }
            size |= ((c & 0x7f) as u64) << shift;
            shift += 7;
        }
        match code {
            6 => {
                c = byte(&mut i)?;
                let mut back = (c & 0x7f) as u64;
                while c & 0x80 != 0 {
                    c = byte(&mut i)?;
                    back = back
                        .checked_add(1)
                        .and_then(|b| b.checked_mul(128))
                        .ok_or_else(|| Unreadable("a delta offset is damaged".into()))?
                        | (c & 0x7f) as u64;
                }
                let base = offset
                    .checked_sub(back)
                    .filter(|_| back > 0)
                    .ok_or_else(|| Unreadable("a delta points before its pack".into()))?;
                Ok(Entry::OfsDelta(base, offset + i as u64, size))
            }
            7 => {
                let name = head
                    .get(i..i + self.hash_len)
                    .and_then(Oid::from_bytes)
                    .ok_or_else(|| Unreadable("a delta base name is cut short".into()))?;
                Ok(Entry::RefDelta(
                    name,
                    offset + (i + self.hash_len) as u64,
                    size,
                ))
            }
            _ => match ObjectKind::from_pack(code) {
                Some(kind) => Ok(Entry::Whole(kind, offset + i as u64, size)),
                None => fail("a pack entry of an unknown type"),
            },
        }
    }

    /// Resolves the entry at `offset` of pack `p`, following its delta
    /// chain without recursion.
    fn packed(&self, p: usize, offset: u64) -> Result<Object> {
        if let Some(hit) = self.cached(p, offset) {
            return Ok(hit);
        }
        // Deltas from the wanted entry down to a whole object.
        let mut deltas: Vec<(u64, u64, u64)> = Vec::new();
        let mut at = (p, offset);
        let (kind, mut data) = loop {
            if deltas.len() > MAX_CHAIN {
                return fail("a delta chain is too long");
            }
            if let Some(hit) = self.cached(at.0, at.1) {
                break hit;
            }
            match self.entry(at.0, at.1)? {
                Entry::Whole(kind, data_at, size) => {
                    let bytes = std::sync::Arc::new(self.packs[at.0].inflate_at(data_at, size)?);
                    self.remember(at.0, at.1, kind, &bytes);
                    break (kind, bytes);
                }
                Entry::OfsDelta(base, data_at, size) => {
                    deltas.push((at.1, data_at, size));
                    at = (at.0, base);
                }
                Entry::RefDelta(base, data_at, size) => {
                    deltas.push((at.1, data_at, size));
                    match self
                        .packs
                        .iter()
                        .position(|pk| pk.find(base.as_bytes()).is_some())
                    {
                        Some(q) if q == at.0 => {
                            at = (q, self.packs[q].find(base.as_bytes()).unwrap_or(0));
                        }
                        _ => {
                            // A thin pack's base in another pack or loose.
                            let (kind, bytes) = self.read(&base)?;
                            break (kind, bytes);
                        }
                    }
                }
            }
        };
        while let Some((entry_at, data_at, size)) = deltas.pop() {
            let delta = self.packs[p].inflate_at(data_at, size)?;
            let out = std::sync::Arc::new(apply_delta(&data, &delta)?);
            self.remember(p, entry_at, kind, &out);
            data = out;
        }
        Ok((kind, data))
    }

    fn cached(&self, p: usize, offset: u64) -> Option<Object> {
        let cache = self.cache.lock().ok()?;
        cache.by_offset.get(&(p, offset)).cloned()
    }

    fn remember(&self, p: usize, offset: u64, kind: ObjectKind, bytes: &std::sync::Arc<Vec<u8>>) {
        // Blobs are read once each; trees and commits are what the history
        // walk reads again as delta bases.
        if kind == ObjectKind::Blob {
            return;
        }
        let Ok(mut cache) = self.cache.lock() else {
            return;
        };
        if cache.bytes + bytes.len() > CACHE_BYTES {
            cache.by_offset.clear();
            cache.bytes = 0;
        }
        cache.bytes += bytes.len();
        cache.by_offset.insert((p, offset), (kind, bytes.clone()));
    }

    /// How many hex digits of `oid` name it alone: at least `min`, one more
    /// than it shares with its nearest neighbour.
    pub fn unique_prefix(&self, oid: &Oid, min: usize) -> usize {
        let hex = oid.hex();
        let mut shared = 0;
        let mut consider = |other: &str| {
            if other != hex {
                let n = hex
                    .bytes()
                    .zip(other.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                shared = shared.max(n);
            }
        };
        for pack in &self.packs {
            let i = pack.lower_bound(oid.as_bytes());
            for j in [i.wrapping_sub(1), i, i + 1] {
                if j < pack.count {
                    let name = Oid::from_bytes(pack.name(j)).map(|o| o.hex());
                    if let Some(name) = name {
                        consider(&name);
                    }
                }
            }
        }
        if let Ok(dir) = std::fs::read_dir(self.objects.join(&hex[..2])) {
            for e in dir.flatten() {
                let rest = e.file_name().to_string_lossy().into_owned();
                consider(&format!("{}{rest}", &hex[..2]));
            }
        }
        (shared + 1).max(min).min(hex.len())
    }

    /// About how many objects the repository holds (git scales its
    /// abbreviations by this).
    pub fn approximate_count(&self) -> usize {
        let packed: usize = self.packs.iter().map(|p| p.count).sum();
        let loose: usize = (0..256u32)
            .map(|i| {
                std::fs::read_dir(self.objects.join(format!("{i:02x}"))).map_or(0, |d| d.count())
            })
            .sum();
        packed + loose
    }
}

/// A copy instruction's offset or size: for each of the low `count` bits
/// of `flags` that is set, the next byte of `delta`, placed little-endian.
fn copy_field(delta: &[u8], i: &mut usize, flags: u8, count: u32) -> Result<usize> {
    let mut value = 0usize;
    for bit in 0..count {
        if flags & (1 << bit) != 0 {
            let b = *delta
                .get(*i)
                .ok_or_else(|| Unreadable("a delta is cut short".into()))?;
            value |= (b as usize) << (8 * bit);
            *i += 1;
        }
    }
    Ok(value)
}

/// Applies a git delta to `base`.
fn apply_delta(base: &[u8], delta: &[u8]) -> Result<Vec<u8>> {
    let mut i = 0;
    let varint = |i: &mut usize| -> Result<u64> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = *delta
                .get(*i)
                .ok_or_else(|| Unreadable("a delta is cut short".into()))?;
            *i += 1;
            if shift > 56 {
                return fail("a delta is damaged");
            }
            v |= ((b & 0x7f) as u64) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
    };
    let src = varint(&mut i)?;
    let dst = varint(&mut i)?;
    if src != base.len() as u64 {
        return fail("a delta does not fit its base");
    }
    if dst > MAX_OBJECT {
        return fail("an object is larger than contextpack reads");
    }
    let mut out = Vec::with_capacity(dst as usize);
    while i < delta.len() {
        let op = delta[i];
        i += 1;
        if op & 0x80 != 0 {
            // The low four flag bits say which offset bytes follow, the
            // next three which size bytes: little-endian, absent bytes zero.
            let offset = copy_field(delta, &mut i, op, 4)?;
            let mut size = copy_field(delta, &mut i, op >> 4, 3)?;
            if size == 0 {
                size = 0x10000;
            }
            let piece = offset
                .checked_add(size)
                .and_then(|end| base.get(offset..end))
                .ok_or_else(|| Unreadable("a delta copies from outside its base".into()))?;
            out.extend_from_slice(piece);
        } else if op != 0 {
            let piece = delta
                .get(i..i + op as usize)
                .ok_or_else(|| Unreadable("a delta is cut short".into()))?;
            out.extend_from_slice(piece);
            i += op as usize;
        } else {
            return fail("a delta is damaged");
        }
        if out.len() as u64 > dst {
            return fail("a delta makes more than it says");
        }
    }
    if out.len() as u64 != dst {
        return fail("a delta makes less than it says");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delta_copies_and_inserts() {
        let base = b"hello, world";
        // Base 12 bytes, result 11: copy 5 from offset 0, insert " there".
        let delta = [12, 11, 0x90, 5, 6, b' ', b't', b'h', b'e', b'r', b'e'];
        assert_eq!(apply_delta(base, &delta).expect("applies"), b"hello there");
        // A copy past the end of the base is refused, not a panic.
        assert!(apply_delta(base, &[12, 20, 0x91, 8, 20]).is_err());
        assert!(apply_delta(base, &[3, 1, 1, b'x']).is_err());
    }

    #[test]
    fn names_round_trip() {
        let hex = "ce013625030ba8dba906f756967f9e9ca394464a";
        assert_eq!(Oid::from_hex(hex).expect("hex").hex(), hex);
        assert!(Oid::from_hex("zz").is_none());
    }
}
