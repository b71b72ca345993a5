//! The PDF syntax the binder needs: a file's cross-reference table and
//! trailer, its objects as values, and values written back with their
//! references renumbered.
//!
//! It reads what typst's PDF writer (krilla, through pdf-writer) writes: a
//! classic cross-reference table, no object streams, direct stream
//! lengths. Anything else is an error naming what was found, never a
//! guess: the binder only ever reads PDFs this program has just written.
//! Strings, names and real numbers are kept as the bytes they were written
//! as, so a value read and written back is the value that was read.

use std::collections::BTreeMap;

/// An object number (generations are always 0 in what we read).
pub type Id = u32;

/// A PDF value. Strings, names and reals keep their written bytes.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    /// A real number as written (`0.5`, `-12.25`).
    Real(&'a [u8]),
    /// A name without its slash, still `#`-escaped as written.
    Name(&'a [u8]),
    /// A string with its delimiters: `(..)` or `<..>`.
    Str(&'a [u8]),
    /// A string made by the binder, written as a literal string.
    Text(String),
    Array(Vec<Value<'a>>),
    Dict(Dict<'a>),
    Ref(Id),
}

/// A dictionary in written order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dict<'a>(pub Vec<(&'a [u8], Value<'a>)>);

impl<'a> Dict<'a> {
    pub fn get(&self, key: &[u8]) -> Option<&Value<'a>> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut Value<'a>> {
        self.0.iter_mut().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Sets `key`, in place if it is there, at the end otherwise.
    pub fn set(&mut self, key: &'a [u8], value: Value<'a>) {
        match self.get_mut(key) {
            Some(v) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn remove(&mut self, key: &[u8]) -> Option<Value<'a>> {
        let at = self.0.iter().position(|(k, _)| *k == key)?;
        Some(self.0.remove(at).1)
    }

    pub fn name(&self, key: &[u8]) -> Option<&'a [u8]> {
        match self.get(key) {
            Some(Value::Name(n)) => Some(n),
            _ => None,
        }
    }

    pub fn reference(&self, key: &[u8]) -> Option<Id> {
        match self.get(key) {
            Some(Value::Ref(id)) => Some(*id),
            _ => None,
        }
    }

    pub fn int(&self, key: &[u8]) -> Option<i64> {
        match self.get(key) {
            Some(Value::Int(n)) => Some(*n),
            _ => None,
        }
    }
}

/// One indirect object: its value and, for a stream, its raw data.
#[derive(Clone, Debug)]
pub struct Object<'a> {
    pub value: Value<'a>,
    pub stream: Option<&'a [u8]>,
}

impl<'a> Object<'a> {
    pub fn dict(&self) -> Option<&Dict<'a>> {
        match &self.value {
            Value::Dict(d) => Some(d),
            _ => None,
        }
    }
}

/// A whole PDF file: its objects by number and its trailer.
#[derive(Debug)]
pub struct File<'a> {
    /// Its length in bytes.
    pub bytes: usize,
    /// The header line (`%PDF-1.7`).
    pub version: &'a [u8],
    pub objects: BTreeMap<Id, Object<'a>>,
    pub trailer: Dict<'a>,
}

impl<'a> File<'a> {
    /// Reads every object the cross-reference table lists.
    pub fn parse(bytes: &'a [u8]) -> Result<File<'a>, String> {
        let version = bytes
            .split(|&b| b == b'\n' || b == b'\r')
            .next()
            .filter(|line| line.starts_with(b"%PDF-"))
            .ok_or("it does not start with a PDF header")?;
        let start = startxref(bytes)?;
        let mut lexer = Lexer::at(bytes, start);
        if lexer.keyword() != Some(b"xref".as_slice()) {
            return Err("no classic cross-reference table where startxref points".into());
        }
        let mut offsets = Vec::new();
        loop {
            lexer.skip_space();
            if lexer.peek_keyword(b"trailer") {
                lexer.keyword();
                break;
            }
            let first = lexer.unsigned()?;
            let count = lexer.unsigned()?;
            for n in 0..count {
                let offset = lexer.unsigned()?;
                let _generation = lexer.unsigned()?;
                let used = match lexer.keyword() {
                    Some(b"n") => true,
                    Some(b"f") => false,
                    _ => return Err("a cross-reference entry is neither n nor f".into()),
                };
                if used {
                    let id = Id::try_from(first + n).map_err(|_| "object number too large")?;
                    offsets.push((id, offset as usize));
                }
            }
        }
        let trailer = match lexer.value()? {
            Value::Dict(d) => d,
            _ => return Err("the trailer is not a dictionary".into()),
        };
        if trailer.get(b"Prev").is_some() || trailer.get(b"Encrypt").is_some() {
            return Err("an updated or encrypted PDF".into());
        }
        let mut objects = BTreeMap::new();
        for (id, offset) in offsets {
            let mut lexer = Lexer::at(bytes, offset);
            let number = lexer.unsigned()?;
            let _generation = lexer.unsigned()?;
            if number != u64::from(id) || lexer.keyword() != Some(b"obj".as_slice()) {
                return Err(format!("object {id} is not where the table says"));
            }
            let value = lexer.value()?;
            let stream = if lexer.peek_keyword(b"stream") {
                let Value::Dict(d) = &value else {
                    return Err(format!("object {id} has a stream without a dictionary"));
                };
                let length = d
                    .int(b"Length")
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or_else(|| format!("stream {id} has no direct length"))?;
                Some(lexer.stream(length)?)
            } else {
                None
            };
            if lexer.keyword() != Some(b"endobj".as_slice()) {
                return Err(format!("object {id} does not end with endobj"));
            }
            objects.insert(id, Object { value, stream });
        }
        Ok(File {
            bytes: bytes.len(),
            version,
            objects,
            trailer,
        })
    }

    pub fn get(&self, id: Id) -> Result<&Object<'a>, String> {
        self.objects
            .get(&id)
            .ok_or_else(|| format!("object {id} is missing"))
    }

    pub fn dict(&self, id: Id) -> Result<&Dict<'a>, String> {
        self.get(id)?
            .dict()
            .ok_or_else(|| format!("object {id} is not a dictionary"))
    }

    /// A dictionary given directly or by reference.
    pub fn resolve_dict<'v>(&'v self, value: &'v Value<'a>) -> Result<&'v Dict<'a>, String> {
        match value {
            Value::Dict(d) => Ok(d),
            Value::Ref(id) => self.dict(*id),
            _ => Err("expected a dictionary".into()),
        }
    }
}

fn startxref(bytes: &[u8]) -> Result<usize, String> {
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    let at = tail
        .windows(9)
        .rposition(|w| w == b"startxref")
        .ok_or("no startxref at the end")?;
    let mut lexer = Lexer::at(tail, at + 9);
    let offset = lexer.unsigned()? as usize;
    if offset >= bytes.len() {
        return Err("startxref points past the end".into());
    }
    Ok(offset)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// How deep arrays and dictionaries may nest: typst's deepest is a
/// handful; a limit keeps a damaged file from exhausting the stack.
const MAX_DEPTH: usize = 64;

struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl<'a> Lexer<'a> {
    fn at(bytes: &'a [u8], at: usize) -> Self {
        Lexer {
            bytes,
            // An offset from a damaged table may point past the end.
            at: at.min(bytes.len()),
            depth: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if is_space(b) {
                self.at += 1;
            } else if b == b'%' {
                while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                    self.at += 1;
                }
            } else {
                break;
            }
        }
    }

    /// A run of regular characters.
    fn word(&mut self) -> &'a [u8] {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| !is_space(b) && !is_delimiter(b))
        {
            self.at += 1;
        }
        &self.bytes[start..self.at]
    }

    fn keyword(&mut self) -> Option<&'a [u8]> {
        self.skip_space();
        let word = self.word();
        (!word.is_empty()).then_some(word)
    }

    fn peek_keyword(&mut self, keyword: &[u8]) -> bool {
        self.skip_space();
        let rest = &self.bytes[self.at.min(self.bytes.len())..];
        rest.starts_with(keyword)
            && rest
                .get(keyword.len())
                .is_none_or(|&b| is_space(b) || is_delimiter(b))
    }

    fn unsigned(&mut self) -> Result<u64, String> {
        self.skip_space();
        let word = self.word();
        std::str::from_utf8(word)
            .ok()
            .and_then(|w| w.parse().ok())
            .ok_or_else(|| format!("expected a number at byte {}", self.at))
    }

    fn stream(&mut self, length: usize) -> Result<&'a [u8], String> {
        self.skip_space();
        self.at += b"stream".len();
        // The keyword ends with CRLF or LF, never CR alone.
        if self.bytes.get(self.at) == Some(&b'\r') {
            self.at += 1;
        }
        if self.bytes.get(self.at) != Some(&b'\n') {
            return Err("a stream keyword is not followed by a line end".into());
        }
        self.at += 1;
        let data = self
            .bytes
            .get(self.at..self.at + length)
            .ok_or("a stream runs past the end")?;
        self.at += length;
        if self.keyword() != Some(b"endstream".as_slice()) {
            return Err("a stream's length does not reach endstream".into());
        }
        Ok(data)
    }

    fn value(&mut self) -> Result<Value<'a>, String> {
        self.skip_space();
        let Some(b) = self.peek() else {
            return Err("the file ends inside an object".into());
        };
        match b {
            b'/' => {
                self.at += 1;
                Ok(Value::Name(self.word()))
            }
            b'(' => self.literal(),
            b'<' if self.bytes.get(self.at + 1) == Some(&b'<') => {
                self.at += 2;
                self.nested(|lexer| {
                    let mut dict = Dict::default();
                    loop {
                        lexer.skip_space();
                        match lexer.peek() {
                            Some(b'>') if lexer.bytes.get(lexer.at + 1) == Some(&b'>') => {
                                lexer.at += 2;
                                return Ok(Value::Dict(dict));
                            }
                            Some(b'/') => {
                                lexer.at += 1;
                                let key = lexer.word();
                                let value = lexer.value()?;
                                dict.0.push((key, value));
                            }
                            _ => return Err("a dictionary key is not a name".into()),
                        }
                    }
                })
            }
            b'<' => {
                let start = self.at;
                let end = self.bytes[start..]
                    .iter()
                    .position(|&b| b == b'>')
                    .ok_or("a hex string does not end")?;
                self.at = start + end + 1;
                Ok(Value::Str(&self.bytes[start..self.at]))
            }
            b'[' => {
                self.at += 1;
                self.nested(|lexer| {
                    let mut items = Vec::new();
                    loop {
                        lexer.skip_space();
                        if lexer.peek() == Some(b']') {
                            lexer.at += 1;
                            return Ok(Value::Array(items));
                        }
                        items.push(lexer.value()?);
                    }
                })
            }
            _ => self.atom(),
        }
    }

    fn nested(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<Value<'a>, String>,
    ) -> Result<Value<'a>, String> {
        if self.depth >= MAX_DEPTH {
            return Err("values nest too deeply".into());
        }
        self.depth += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    /// `(..)` with balanced parentheses and backslash escapes.
    fn literal(&mut self) -> Result<Value<'a>, String> {
        let start = self.at;
        self.at += 1;
        let mut open = 1;
        while open > 0 {
            match self.peek() {
                None => return Err("a string does not end".into()),
                Some(b'\\') => self.at += 2,
                Some(b'(') => {
                    open += 1;
                    self.at += 1;
                }
                Some(b')') => {
                    open -= 1;
                    self.at += 1;
                }
                Some(_) => self.at += 1,
            }
        }
        Ok(Value::Str(&self.bytes[start..self.at]))
    }

    /// A number, a reference (`12 0 R`), `true`, `false` or `null`.
    fn atom(&mut self) -> Result<Value<'a>, String> {
        let word = self.word();
        match word {
            b"true" => return Ok(Value::Bool(true)),
            b"false" => return Ok(Value::Bool(false)),
            b"null" => return Ok(Value::Null),
            _ => {}
        }
        let text = std::str::from_utf8(word).map_err(|_| "an unreadable value")?;
        if let Ok(n) = text.parse::<i64>() {
            // `n 0 R` is a reference: look ahead without consuming otherwise.
            let back = self.at;
            if let Ok(id) = Id::try_from(n) {
                self.skip_space();
                let generation = self.word();
                self.skip_space();
                if generation == b"0" && self.peek() == Some(b'R') {
                    let after = self.bytes.get(self.at + 1).copied();
                    if after.is_none_or(|b| is_space(b) || is_delimiter(b)) {
                        self.at += 1;
                        return Ok(Value::Ref(id));
                    }
                }
            }
            self.at = back;
            return Ok(Value::Int(n));
        }
        if !word.is_empty() && text.parse::<f64>().is_ok() {
            return Ok(Value::Real(word));
        }
        Err(format!(
            "an unexpected token {:?} at byte {}",
            String::from_utf8_lossy(word),
            self.at
        ))
    }
}

/// The text of a string value (its delimiters included): UTF-16BE after
/// a byte order mark, PDFDocEncoding otherwise (read as Latin-1, which it
/// is for every character typst writes so).
pub fn decode_text(raw: &[u8]) -> Option<String> {
    let bytes = string_bytes(raw)?;
    if let Some(utf16) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = utf16
            .chunks(2)
            .map(|pair| u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]))
            .collect();
        return String::from_utf16(&units).ok();
    }
    Some(bytes.iter().map(|&b| char::from(b)).collect())
}

/// The bytes a literal `(..)` or hex `<..>` string stands for.
fn string_bytes(raw: &[u8]) -> Option<Vec<u8>> {
    let inner = raw.get(1..raw.len().checked_sub(1)?)?;
    if raw.first() == Some(&b'<') {
        let digits: Vec<u8> = inner.iter().copied().filter(|b| !is_space(*b)).collect();
        return digits
            .chunks(2)
            .map(|pair| {
                let hi = (pair[0] as char).to_digit(16)?;
                let lo = pair.get(1).map_or(Some(0), |b| (*b as char).to_digit(16))?;
                u8::try_from(hi * 16 + lo).ok()
            })
            .collect();
    }
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let b = inner[i];
        i += 1;
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let e = *inner.get(i)?;
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'0'..=b'7' => {
                let mut n = u32::from(e - b'0');
                for _ in 0..2 {
                    match inner.get(i) {
                        Some(d @ b'0'..=b'7') => {
                            n = n * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(n as u8);
            }
            // A backslash before a line end continues the string.
            b'\r' => {
                if inner.get(i) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => {}
            other => out.push(other),
        }
    }
    Some(out)
}

/// Writes `value` with every reference passed through `map`.
pub fn write(out: &mut Vec<u8>, value: &Value, map: &impl Fn(Id) -> Id) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Int(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Value::Real(raw) | Value::Str(raw) => out.extend_from_slice(raw),
        Value::Name(raw) => {
            out.push(b'/');
            out.extend_from_slice(raw);
        }
        Value::Text(text) => write_text(out, text),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write(out, item, map);
            }
            out.push(b']');
        }
        Value::Dict(dict) => {
            out.extend_from_slice(b"<<");
            for (key, value) in &dict.0 {
                out.push(b'/');
                out.extend_from_slice(key);
                // As pdf-writer writes them: a space only where the value
                // would otherwise run into the key.
                if !matches!(
                    value,
                    Value::Name(_)
                        | Value::Array(_)
                        | Value::Dict(_)
                        | Value::Str(_)
                        | Value::Text(_)
                ) {
                    out.push(b' ');
                }
                write(out, value, map);
            }
            out.extend_from_slice(b">>");
        }
        Value::Ref(id) => out.extend_from_slice(format!("{} 0 R", map(*id)).as_bytes()),
    }
}

/// A text string: PDFDocEncoding's ASCII as is, anything else as UTF-16BE
/// with a byte order mark, both in hex so no byte needs escaping.
fn write_text(out: &mut Vec<u8>, text: &str) {
    out.push(b'<');
    let hex = |out: &mut Vec<u8>, b: u8| out.extend_from_slice(format!("{b:02X}").as_bytes());
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        text.bytes().for_each(|b| hex(out, b));
    } else {
        hex(out, 0xfe);
        hex(out, 0xff);
        for unit in text.encode_utf16() {
            let [hi, lo] = unit.to_be_bytes();
            hex(out, hi);
            hex(out, lo);
        }
    }
    out.push(b'>');
}

/// Writes whole files: objects in order, then the table and the trailer.
pub struct Writer {
    pub out: Vec<u8>,
    offsets: Vec<(Id, usize)>,
}

impl Writer {
    pub fn new(version: &[u8], capacity: usize) -> Self {
        let mut out = Vec::with_capacity(capacity);
        out.extend_from_slice(version);
        // Four bytes above 127 tell transfer programs the file is binary.
        out.extend_from_slice(b"\n%\x80\x80\x80\x80\n\n");
        Writer {
            out,
            offsets: Vec::new(),
        }
    }

    pub fn object(&mut self, id: Id, value: &Value, stream: Option<&[u8]>) {
        self.offsets.push((id, self.out.len()));
        self.out
            .extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        write(&mut self.out, value, &|id| id);
        if let Some(data) = stream {
            self.out.extend_from_slice(b"\nstream\n");
            self.out.extend_from_slice(data);
            self.out.extend_from_slice(b"\nendstream");
        }
        self.out.extend_from_slice(b"\nendobj\n\n");
    }

    /// The cross-reference table (every number from 1 to the highest
    /// written, unused ones free) and the trailer.
    pub fn finish(mut self, trailer: &Value) -> Vec<u8> {
        self.offsets.sort_unstable();
        let size = self.offsets.last().map_or(0, |(id, _)| *id) + 1;
        let xref = self.out.len();
        self.out
            .extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f\r\n").as_bytes());
        let mut next = self.offsets.iter().peekable();
        for id in 1..size {
            match next.next_if(|(n, _)| *n == id) {
                Some((_, offset)) => self
                    .out
                    .extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes()),
                None => self.out.extend_from_slice(b"0000000000 65535 f\r\n"),
            }
        }
        self.out.extend_from_slice(b"trailer\n");
        write(&mut self.out, trailer, &|id| id);
        self.out
            .extend_from_slice(format!("\nstartxref\n{xref}\n%%EOF").as_bytes());
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(source: &str) -> String {
        let mut lexer = Lexer::at(source.as_bytes(), 0);
        let value = lexer.value().expect("parses");
        let mut out = Vec::new();
        write(&mut out, &value, &|id| id + 100);
        String::from_utf8(out).expect("ascii")
    }

    #[test]
    fn values_are_written_back_as_read_with_references_renumbered() {
        assert_eq!(
            round_trip("<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595.28 841.89] /Tabs /S >>"),
            "<</Type/Page/Parent 103 0 R/MediaBox[0 0 595.28 841.89]/Tabs/S>>"
        );
        // A string keeps its escapes and nested parentheses; numbers that are
        // not references stay numbers.
        assert_eq!(
            round_trip(r"[(a \) (b) c) <FEFF0041> 1 2 3 0 R -4 /A#20B true null]"),
            r"[(a \) (b) c) <FEFF0041> 1 2 103 0 R -4 /A#20B true null]"
        );
    }

    #[test]
    fn damaged_values_are_errors_not_panics() {
        for bad in ["(unclosed", "<< /A 1", "[1 2", "<</A>>", "<< 1 2 >>", "@"] {
            assert!(Lexer::at(bad.as_bytes(), 0).value().is_err(), "{bad}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert!(Lexer::at(deep.as_bytes(), 0).value().is_err());
    }

    #[test]
    fn text_strings_are_hex_ascii_or_utf16() {
        let mut out = Vec::new();
        write_text(&mut out, "Agenda (1)");
        assert_eq!(out, b"<4167656E646120283129>");
        let mut out = Vec::new();
        write_text(&mut out, "é");
        assert_eq!(out, b"<FEFF00E9>");
    }

    #[test]
    fn strings_decode_as_text() {
        assert_eq!(
            decode_text(br"(Agenda \(draft\)\051)").as_deref(),
            Some("Agenda (draft))")
        );
        assert_eq!(decode_text(b"<FEFF00E9>").as_deref(), Some("é"));
        assert_eq!(decode_text(b"(\xfe\xff\x00A)").as_deref(), Some("A"));
        let mut out = Vec::new();
        write_text(&mut out, "Minutes: “review”, 1 October");
        assert_eq!(
            decode_text(&out).as_deref(),
            Some("Minutes: “review”, 1 October")
        );
    }

    #[test]
    fn a_written_file_is_read_back() {
        let mut writer = Writer::new(b"%PDF-1.7", 0);
        writer.object(
            1,
            &Value::Dict(Dict(vec![(b"Type", Value::Name(b"Catalog"))])),
            None,
        );
        let data = b"BT /F1 12 Tf (endstream) Tj ET";
        let stream = Dict(vec![(b"Length", Value::Int(data.len() as i64))]);
        writer.object(3, &Value::Dict(stream), Some(data));
        let trailer = Dict(vec![(b"Size", Value::Int(4)), (b"Root", Value::Ref(1))]);
        let bytes = writer.finish(&Value::Dict(trailer));
        let file = File::parse(&bytes).expect("reads");
        assert_eq!(file.trailer.reference(b"Root"), Some(1));
        assert_eq!(file.get(3).unwrap().stream, Some(data.as_slice()));
        assert!(!file.objects.contains_key(&2));
    }
}
