//! Small, reusable decoders from the YAML tree to typed values.
//!
//! Each decoder reports what is wrong with a value as a `schema` diagnostic and
//! returns `None` (or drops the item from a list), so that one pass over a
//! record reports every problem in it and the model only holds good values.

use super::yaml::{Entry, Value, Yaml, schema, shorten};
use crate::diagnostic::Diagnostic;
use crate::model::{Date, Time};
use crate::source::{Loc, Sp};
use crate::text::{nearest, slug};
use chrono::{Datelike, NaiveDate, NaiveTime};

/// Collects the diagnostics of one file while it is decoded.
#[derive(Default)]
pub struct Dec {
    pub diags: Vec<Diagnostic>,
}

/// A YAML mapping whose keys have been checked against a record's fields.
#[derive(Clone, Copy)]
pub struct Map<'y> {
    pub loc: Loc,
    /// "a conference", "an agency": how the record is named in messages.
    pub record: &'static str,
    entries: &'y [Entry],
}

impl<'y> Map<'y> {
    pub fn entry(&self, name: &str) -> Option<&'y Entry> {
        self.entries.iter().find(|e| e.key == name)
    }

    /// The value of a key; `None` when the key is absent or has no value.
    pub fn get(&self, name: &str) -> Option<&'y Yaml> {
        self.entry(name).map(|e| &e.value).filter(|v| !v.is_null())
    }

    pub fn key_loc(&self, name: &str) -> Option<Loc> {
        self.entry(name).map(|e| e.key_loc)
    }

    pub fn has(&self, name: &str) -> bool {
        self.entry(name).is_some()
    }
}

/// The help for a "field" that is the rest of the value before it, cut at
/// a comma inside `{ }`: `{ name: Head of Year 10, Paignton Academy }`
/// reads `Paignton Academy` as a key with no value.
fn comma_in_value(before: &Entry, e: &Entry) -> Option<String> {
    let Value::Str(text) = &before.value.value else {
        return None;
    };
    let same_line =
        before.value.loc.file == e.key_loc.file && before.value.loc.line == e.key_loc.line;
    if !e.value.is_null() || !same_line || is_id(&e.key) {
        return None;
    }
    Some(format!(
        "a comma inside `{{ }}` ends a value: if `{}` belongs to `{}`, put the whole value in quotes: `{}: \"{}, {}\"`",
        shorten(&e.key),
        before.key,
        before.key,
        shorten(text),
        shorten(&e.key)
    ))
}

/// "did you mean `x`?", with the list of what is known when it is short or
/// when nothing is close.
pub fn suggestion(word: &str, known: &[&str], noun: &str) -> String {
    let list = known
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match nearest(word, known) {
        Some(n) if known.len() > 10 => format!("did you mean `{n}`?"),
        Some(n) => format!("did you mean `{n}`? known {noun}: {list}"),
        None => format!("known {noun}: {list}"),
    }
}

/// Whether `s` is an id: `^[a-z0-9][a-z0-9-]*$`.
pub fn is_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('a'..='z' | '0'..='9'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '-'))
}

/// A decoder of one field's value: the decoder, the value, the field name.
pub type Decode<T> = fn(&mut Dec, &Yaml, &str) -> Option<T>;

impl Dec {
    pub fn error(&mut self, loc: Loc, message: impl Into<String>) {
        self.diags.push(schema(loc, message));
    }

    pub fn error_help(&mut self, loc: Loc, message: impl Into<String>, help: impl Into<String>) {
        self.diags.push(schema(loc, message).with_help(help));
    }

    /// Reads `y` as a record of `shape`, reporting every key that is not
    /// one of its fields.
    pub fn record<'y>(
        &mut self,
        y: &'y Yaml,
        shape: &'static crate::schema::Shape,
    ) -> Option<Map<'y>> {
        self.map(y, shape.noun, shape.names)
    }

    /// Reads `y` as the mapping of a record, reporting every key that is not
    /// one of `known`. A null value reads as an empty mapping.
    pub fn map<'y>(
        &mut self,
        y: &'y Yaml,
        record: &'static str,
        known: &[&str],
    ) -> Option<Map<'y>> {
        let entries: &'y [Entry] = match &y.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            _ => {
                self.error_help(
                    y.loc,
                    format!(
                        "expected {record} as `key: value` lines, found {}",
                        y.describe()
                    ),
                    format!("known fields: {}", known.join(", ")),
                );
                return None;
            }
        };
        for (i, e) in entries.iter().enumerate() {
            if !known.contains(&e.key.as_str()) {
                let before = i.checked_sub(1).map(|j| &entries[j]);
                let help = match before.and_then(|b| comma_in_value(b, e)) {
                    Some(help) => help,
                    None => suggestion(&e.key, known, "fields"),
                };
                self.error_help(
                    e.key_loc,
                    format!("unknown field `{}` in {record}", shorten(&e.key)),
                    help,
                );
            }
        }
        Some(Map {
            loc: y.loc,
            record,
            entries,
        })
    }

    /// The value of a required field, reporting it missing or empty.
    pub fn required<'y>(&mut self, m: &Map<'y>, field: &str) -> Option<&'y Yaml> {
        match m.entry(field) {
            None => {
                self.error(m.loc, format!("missing field `{field}` in {}", m.record));
                None
            }
            Some(e) if e.value.is_null() => {
                self.error(e.key_loc, format!("`{field}` is empty: it needs a value"));
                None
            }
            Some(e) => Some(&e.value),
        }
    }

    /// Whether a required key is there, reporting it missing if not. For
    /// lists, where `key:` with no value is the empty list.
    pub fn present(&mut self, m: &Map, field: &str) -> bool {
        if m.has(field) {
            return true;
        }
        self.error(m.loc, format!("missing field `{field}` in {}", m.record));
        false
    }

    /// An optional field decoded with `f`.
    pub fn opt<T>(&mut self, m: &Map, field: &str, f: Decode<T>) -> Option<T> {
        let y = m.get(field)?;
        f(self, y, field)
    }

    /// A required field decoded with `f`.
    pub fn req<T>(&mut self, m: &Map, field: &str, f: Decode<T>) -> Option<T> {
        let y = self.required(m, field)?;
        f(self, y, field)
    }

    /// A list; null is the empty list. Items that fail to decode are dropped.
    pub fn list<T>(
        &mut self,
        y: &Yaml,
        field: &str,
        f: impl FnMut(&mut Dec, &Yaml) -> Option<T>,
    ) -> Vec<T> {
        let mut f = f;
        match &y.value {
            Value::Seq(items) => items.iter().filter_map(|i| f(self, i)).collect(),
            Value::Null => Vec::new(),
            _ => {
                self.error_help(
                    y.loc,
                    format!("`{field}` must be a list, found {}", y.describe()),
                    "write `[a, b]`, or one `- item` per line",
                );
                Vec::new()
            }
        }
    }

    /// An optional list field; absent is the empty list.
    pub fn opt_list<T>(&mut self, m: &Map, field: &str, f: Decode<T>) -> Vec<T> {
        match m.entry(field) {
            Some(e) => self.list(&e.value, field, |d, y| f(d, y, field)),
            None => Vec::new(),
        }
    }

    /// An optional list field kept with the position of its key, for rules that
    /// point at the list as a whole; `key:` with no value is an empty list.
    pub fn opt_list_at<T>(&mut self, m: &Map, field: &str, f: Decode<T>) -> Option<Sp<Vec<T>>> {
        let e = m.entry(field)?;
        if !matches!(e.value.value, Value::Seq(_) | Value::Null) {
            self.list(&e.value, field, |d, y| f(d, y, field));
            return None;
        }
        let items = self.list(&e.value, field, |d, y| f(d, y, field));
        Some(Sp::new(items, e.key_loc))
    }

    /// Text, as the author wrote it: a plain `no` or `07` stays `no` and `07`.
    pub fn text(&mut self, y: &Yaml, field: &str) -> Option<Sp<String>> {
        let s = match &y.value {
            Value::Str(s) => s.clone(),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => match &y.raw {
                Some(raw) => raw.clone(),
                None => scalar_fallback(&y.value),
            },
            // Fields with no value never get here (see `opt`, `req`): this
            // is an empty list item.
            Value::Null => {
                self.error(y.loc, format!("empty item in `{field}`"));
                return None;
            }
            Value::Seq(_) | Value::Map(_) => {
                self.error(
                    y.loc,
                    format!("`{field}` must be text, found {}", y.describe()),
                );
                return None;
            }
        };
        Some(Sp::new(s, y.loc))
    }

    /// Text that must not be blank.
    pub fn nonblank(&mut self, y: &Yaml, field: &str) -> Option<Sp<String>> {
        let t = self.text(y, field)?;
        if t.value.trim().is_empty() {
            self.error(y.loc, format!("`{field}` is blank: it needs some text"));
            return None;
        }
        Some(t)
    }

    /// An id: lowercase letters, digits and hyphens.
    pub fn id(&mut self, y: &Yaml, field: &str) -> Option<Sp<String>> {
        let t = self.text(y, field)?;
        if is_id(&t.value) {
            return Some(t);
        }
        let guess = slug(&t.value);
        let help = if is_id(&guess) {
            format!("ids use lowercase letters, digits and hyphens, for example `{guess}`")
        } else {
            "ids use lowercase letters, digits and hyphens, starting with a letter or digit".into()
        };
        self.error_help(
            y.loc,
            format!("`{}` is not a valid id in `{field}`", shorten(&t.value)),
            help,
        );
        None
    }

    /// A reference to an id (a person, an agency): any text; the `reference`
    /// rule checks it resolves.
    pub fn reference(&mut self, y: &Yaml, field: &str) -> Option<Sp<String>> {
        self.text(y, field)
    }

    pub fn bool(&mut self, y: &Yaml, field: &str) -> Option<Sp<bool>> {
        match y.value {
            Value::Bool(b) => Some(Sp::new(b, y.loc)),
            _ => {
                self.error(
                    y.loc,
                    format!(
                        "`{field}` must be `true` or `false`, found {}",
                        y.describe()
                    ),
                );
                None
            }
        }
    }

    /// A number, whole or not: a measure's reading.
    pub fn number(&mut self, y: &Yaml, field: &str) -> Option<Sp<f64>> {
        let n = match y.value {
            Value::Int(i) => i as f64,
            Value::Float(f) if f.is_finite() => f,
            _ => {
                self.error(
                    y.loc,
                    format!("`{field}` must be a number, found {}", y.describe()),
                );
                return None;
            }
        };
        if n.abs() > 1e12 {
            self.error(y.loc, format!("`{field}` is too large to chart: {n}"));
            return None;
        }
        Some(Sp::new(n, y.loc))
    }

    /// A whole number in `min..=max`.
    pub fn uint(&mut self, y: &Yaml, field: &str, min: u32, max: u32) -> Option<Sp<u32>> {
        let Value::Int(i) = y.value else {
            self.error(
                y.loc,
                format!("`{field}` must be a whole number, found {}", y.describe()),
            );
            return None;
        };
        match u32::try_from(i) {
            Ok(n) if (min..=max).contains(&n) => Some(Sp::new(n, y.loc)),
            _ if i < i64::from(min) => {
                self.error(
                    y.loc,
                    format!("`{field}` must be at least {min}, found {i}"),
                );
                None
            }
            _ => {
                self.error(y.loc, format!("`{field}` must be at most {max}, found {i}"));
                None
            }
        }
    }

    /// A positive whole number (a count of minutes, days...).
    pub fn positive(&mut self, y: &Yaml, field: &str) -> Option<Sp<u32>> {
        self.uint(y, field, 1, 100_000)
    }

    /// A whole number that may be zero.
    pub fn count(&mut self, y: &Yaml, field: &str) -> Option<Sp<u32>> {
        self.uint(y, field, 0, 100_000)
    }

    /// A value of a closed vocabulary.
    pub fn vocab<T>(
        &mut self,
        y: &Yaml,
        field: &str,
        what: &str,
        names: &[&str],
        parse: fn(&str) -> Option<T>,
    ) -> Option<Sp<T>> {
        let t = self.text(y, field)?;
        if let Some(v) = parse(&t.value) {
            return Some(Sp::new(v, t.loc));
        }
        self.error_help(
            t.loc,
            format!("unknown {what} `{}`", shorten(&t.value)),
            suggestion(&t.value, names, "values"),
        );
        None
    }

    /// A month, `YYYY-MM`: `born: 2011-04`.
    pub fn year_month(&mut self, y: &Yaml, field: &str) -> Option<Sp<crate::model::YearMonth>> {
        let text = match &y.value {
            Value::Str(s) => s.trim().to_string(),
            _ => y.raw.clone().unwrap_or_default(),
        };
        let parsed = text.split_once('-').and_then(|(year, month)| {
            let ok = year.len() == 4 && month.len() == 2;
            let year: i32 = year.parse().ok().filter(|_| ok)?;
            let month: u32 = month.parse().ok().filter(|m| (1..=12).contains(m))?;
            (1900..=2200)
                .contains(&year)
                .then_some(crate::model::YearMonth { year, month })
        });
        match parsed {
            Some(ym) => Some(Sp::new(ym, y.loc)),
            None => {
                self.error_help(
                    y.loc,
                    format!(
                        "expected a month (YYYY-MM) in `{field}`, found {}",
                        y.describe()
                    ),
                    "write the year and month of birth, for example 2011-04",
                );
                None
            }
        }
    }

    /// A date, `YYYY-MM-DD`.
    pub fn date(&mut self, y: &Yaml, field: &str) -> Option<Sp<Date>> {
        let s = match &y.value {
            Value::Str(s) => s.trim(),
            Value::Int(_) | Value::Float(_) => {
                self.error_help(
                    y.loc,
                    format!(
                        "expected a date (YYYY-MM-DD) in `{field}`, found {}",
                        y.describe()
                    ),
                    "write the date as YYYY-MM-DD, for example 2026-09-14",
                );
                return None;
            }
            _ => {
                self.error(
                    y.loc,
                    format!(
                        "expected a date (YYYY-MM-DD) in `{field}`, found {}",
                        y.describe()
                    ),
                );
                return None;
            }
        };
        match parse_date(s) {
            Ok(d) => Some(Sp::new(d, y.loc)),
            Err(why) if why.contains("YYYY-MM-DD") => {
                let help = match day_first(s) {
                    Some(d) => format!(
                        "write `{d}` ({}, read day first as dates are written in England)",
                        d.format("%-d %B %Y")
                    ),
                    None => "for example 2026-09-14".to_string(),
                };
                self.error_help(y.loc, why, help);
                None
            }
            Err(why) => {
                self.error_help(y.loc, why, "check the day and the month");
                None
            }
        }
    }

    /// A time of day, `HH:MM` on the 24-hour clock.
    pub fn time(&mut self, y: &Yaml, field: &str) -> Option<Sp<Time>> {
        let s = match (&y.value, &y.raw) {
            (Value::Str(s), _) => s.trim().to_string(),
            // YAML 1.1 reads an unquoted 10:00 as a sexagesimal number.
            (Value::Int(_) | Value::Float(_), Some(raw)) if raw.contains(':') => raw.clone(),
            _ => {
                self.error_help(
                    y.loc,
                    format!(
                        "expected a time (HH:MM) in `{field}`, found {}",
                        y.describe()
                    ),
                    "write the time in quotes as \"HH:MM\", for example \"10:00\"",
                );
                return None;
            }
        };
        match parse_time(&s) {
            Ok(t) => Some(Sp::new(t, y.loc)),
            Err(why) => {
                self.error_help(
                    y.loc,
                    why,
                    "write the time as \"HH:MM\" on the 24-hour clock, for example \"14:30\"",
                );
                None
            }
        }
    }
}

fn scalar_fallback(v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        _ => String::new(),
    }
}

/// A date written day first, `DD/MM/YYYY` (or with `.` or `-`, and one-
/// digit days and months), when it is a real day: what a practitioner
/// most often types instead of `YYYY-MM-DD`.
fn day_first(s: &str) -> Option<Date> {
    let parts: Vec<&str> = s.split(['/', '.', '-']).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    let short = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !short(day) || !short(month) || year.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// Parses `YYYY-MM-DD`, explaining why a date is impossible.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let shape = s.len() == 10
        && s.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return Err(format!(
            "`{}` is not a date: dates are written YYYY-MM-DD",
            shorten(s)
        ));
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    let year_i = i32::try_from(year).unwrap_or(0);
    if let Some(d) = NaiveDate::from_ymd_opt(year_i, month, day) {
        return Ok(d);
    }
    if !(1..=12).contains(&month) {
        return Err(format!("{s} is not a date: there is no month {month}"));
    }
    let days = days_in_month(year_i, month);
    let name = NaiveDate::from_ymd_opt(year_i, month, 1)
        .map(|d| d.format("%B").to_string())
        .unwrap_or_default();
    Err(format!("{s} is not a date: {name} {year} has {days} days"))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(31, |d| d.day())
}

/// Parses `HH:MM` (24 h).
pub fn parse_time(s: &str) -> Result<Time, String> {
    let bad = || format!("`{}` is not a time: times are written HH:MM", shorten(s));
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit())
    };
    if !digits(h, 1..=2) || !digits(m, 2..=2) {
        return Err(bad());
    }
    let hour: u32 = h.parse().map_err(|_| bad())?;
    let minute: u32 = m.parse().map_err(|_| bad())?;
    if hour > 23 {
        return Err(format!("{s} is not a time: hours go from 00 to 23"));
    }
    if minute > 59 {
        return Err(format!("{s} is not a time: minutes go from 00 to 59"));
    }
    NaiveTime::from_hms_opt(hour, minute, 0).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2026-02-30").unwrap_err(),
            "2026-02-30 is not a date: February 2026 has 28 days"
        );
        assert_eq!(
            parse_date("2028-02-30").unwrap_err(),
            "2028-02-30 is not a date: February 2028 has 29 days"
        );
        assert!(
            parse_date("2026-13-01")
                .unwrap_err()
                .contains("no month 13")
        );
        assert!(parse_date("14/09/2026").unwrap_err().contains("YYYY-MM-DD"));
        assert_eq!(
            day_first("01/12/2026"),
            NaiveDate::from_ymd_opt(2026, 12, 1)
        );
        assert_eq!(day_first("1.2.2026"), NaiveDate::from_ymd_opt(2026, 2, 1));
        assert_eq!(day_first("31/02/2026"), None);
        assert_eq!(day_first("2026/12/01"), None);
        assert_eq!(
            parse_date("2026-09-14").unwrap(),
            NaiveDate::from_ymd_opt(2026, 9, 14).unwrap()
        );
    }

    #[test]
    fn times() {
        assert_eq!(
            parse_time("10:00").unwrap(),
            NaiveTime::from_hms_opt(10, 0, 0).unwrap()
        );
        assert_eq!(
            parse_time("9:30").unwrap(),
            NaiveTime::from_hms_opt(9, 30, 0).unwrap()
        );
        assert!(parse_time("24:00").unwrap_err().contains("hours"));
        assert!(parse_time("10:60").unwrap_err().contains("minutes"));
        assert!(parse_time("ten").is_err());
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            nearest("atendance", &["attendance", "agenda"]),
            Some("attendance")
        );
        assert_eq!(
            nearest("county-line", crate::model::HARMS),
            Some("county-lines")
        );
        assert_eq!(nearest("Held", &["held", "moved"]), Some("held"));
        assert_eq!(nearest("zzzzzz", &["held", "moved"]), None);
    }

    #[test]
    fn ids() {
        assert!(is_id("kim-davies"));
        assert!(is_id("a1"));
        assert!(!is_id("-a"));
        assert!(!is_id("Kim"));
        assert!(!is_id(""));
        assert_eq!(slug("Kim Davies"), "kim-davies");
    }
}
