//! `calendar.ics` (RFC 5545): conferences, review deadlines and the due
//! dates of open actions, with UIDs that stay the same between builds.
//!
//! A calendar is subscribed to on phones, so it says as little as will do:
//! the context's title, the meeting's kind, time and venue, the action's
//! text and owning agency. Never a child's name or reference.
//!
//! The file is a pure function of the records and the build's `today`:
//! `DTSTAMP` is today at midnight UTC, not the clock, so two builds of the
//! same records are byte-identical and a subscriber only sees real changes.
//! Times are local (Europe/London), given with `TZID` and the zone's rules.

use super::{BuildError, CasebookFile, Gate};
use crate::Checked;
use crate::deadline::review::Review;
use crate::due;
use crate::model::{Action, Casebook, Context, Date, Meeting, MeetingStatus};
use chrono::{Days, NaiveDateTime, TimeDelta};

pub const PATH: &str = "calendar.ics";

/// The UID domain: every UID ends `@contextpack`.
const UID_DOMAIN: &str = "contextpack";

const TZID: &str = "Europe/London";

/// Europe/London since 1996: BST from 01:00 UTC on the last Sunday of March
/// to 01:00 UTC on the last Sunday of October.
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/London",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// The calendar of the contexts `gate` lets through.
pub fn render(checked: &Checked, gate: &Gate) -> Result<Vec<CasebookFile>, BuildError> {
    let cb = &checked.casebook;
    let contexts: Vec<&Context> = cb
        .contexts
        .iter()
        .filter(|c| gate.renderable.contains(&c.id))
        .collect();
    Ok(vec![CasebookFile {
        path: PATH.to_string(),
        bytes: calendar(cb, &contexts, checked.today).into_bytes(),
        inputs: inputs(cb, &contexts),
    }])
}

/// The whole calendar, CRLF-terminated and folded.
pub fn calendar(cb: &Casebook, contexts: &[&Context], today: Date) -> String {
    let mut ics = Ics::default();
    ics.prop("BEGIN", "VCALENDAR");
    ics.prop("VERSION", "2.0");
    ics.prop(
        "PRODID",
        "-//contextpack//Context Safeguarding Conferences//EN",
    );
    ics.prop("CALSCALE", "GREGORIAN");
    ics.prop("METHOD", "PUBLISH");
    let name = if cb.settings.partnership.is_empty() {
        "Context conferences".to_string()
    } else {
        format!("{}: context conferences", cb.settings.partnership)
    };
    ics.text("X-WR-CALNAME", &name);
    ics.prop("X-WR-TIMEZONE", TZID);
    for line in VTIMEZONE {
        ics.line(line);
    }
    let stamp = format!("{}T000000Z", compact(today));
    for c in contexts {
        for m in c.meetings.iter().filter(|m| listed(m)) {
            meeting_event(&mut ics, cb, c, m, &stamp);
        }
        if c.closed_by(today) {
            // A closed context owes nothing: no deadlines to keep.
            continue;
        }
        for r in due::review_deadlines(c) {
            review_event(&mut ics, &r, &stamp);
        }
        let open = c
            .plan
            .iter()
            .flat_map(|p| p.actions.iter())
            .filter(|a| a.is_open());
        for a in open {
            action_event(&mut ics, cb, c, a, &stamp);
        }
    }
    ics.prop("END", "VCALENDAR");
    ics.out
}

/// Scheduled and held meetings; moved and cancelled ones have left the diary.
fn listed(m: &Meeting) -> bool {
    matches!(
        m.status.value,
        MeetingStatus::Scheduled | MeetingStatus::Held
    )
}

fn meeting_event(ics: &mut Ics, cb: &Casebook, c: &Context, m: &Meeting, stamp: &str) {
    ics.prop("BEGIN", "VEVENT");
    ics.text("UID", &format!("{}/{}@{UID_DOMAIN}", c.id, m.name));
    ics.prop("DTSTAMP", stamp);
    match meeting_times(cb, m) {
        Some((start, end)) => {
            ics.prop(&format!("DTSTART;TZID={TZID}"), &local(start));
            ics.prop(&format!("DTEND;TZID={TZID}"), &local(end));
        }
        None => all_day(ics, m.date.value),
    }
    let kind = m.kind.value.label();
    ics.text("SUMMARY", &format!("{kind}: {}", c.title_text()));
    if let Some(v) = &m.venue {
        ics.text("LOCATION", &v.value);
    }
    let status = if m.is_held() { "held" } else { "scheduled" };
    ics.text(
        "DESCRIPTION",
        &format!("{kind} of the context {} ({status}).", c.id),
    );
    ics.prop("STATUS", "CONFIRMED");
    ics.prop("TRANSP", "OPAQUE");
    ics.prop("END", "VEVENT");
}

/// Local start and end: the recorded times, an end missing (or not after
/// the start) taken as the protocol's conference length.
fn meeting_times(cb: &Casebook, m: &Meeting) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let start = m.date.value.and_time(m.start.as_ref()?.value);
    let length = TimeDelta::minutes(i64::from(cb.settings.protocol.conference_minutes));
    let end = m
        .end
        .as_ref()
        .map(|e| m.date.value.and_time(e.value))
        .filter(|e| *e > start)
        .or_else(|| start.checked_add_signed(length))?;
    Some((start, end))
}

fn review_event(ics: &mut Ics, r: &Review, stamp: &str) {
    let c = r.context;
    ics.prop("BEGIN", "VEVENT");
    // Keyed by the conference that agreed it, so a changed date updates the
    // same event instead of adding another.
    ics.text(
        "UID",
        &format!("review/{}/{}@{UID_DOMAIN}", c.id, r.agreed_at.name),
    );
    ics.prop("DTSTAMP", stamp);
    all_day(ics, r.date());
    ics.text("SUMMARY", &format!("Review due: {}", c.title_text()));
    let moved = if r.moved() {
        format!(", moved from {}", r.agreed.value)
    } else {
        String::new()
    };
    ics.text(
        "DESCRIPTION",
        &format!(
            "Review conference agreed at the {} on {}{moved} (context {}).",
            r.agreed_at.kind.value.label().to_lowercase(),
            r.agreed_at.date.value,
            c.id
        ),
    );
    ics.prop("TRANSP", "TRANSPARENT");
    ics.prop("END", "VEVENT");
}

fn action_event(ics: &mut Ics, cb: &Casebook, c: &Context, a: &Action, stamp: &str) {
    let Some(date) = a.due.as_ref().map(|d| d.value) else {
        return;
    };
    let owner = due::owner_of(&cb.settings, a)
        .agency_name
        .unwrap_or_default();
    ics.prop("BEGIN", "VEVENT");
    ics.text(
        "UID",
        &format!("action/{}/{}@{UID_DOMAIN}", c.id, a.id.value),
    );
    ics.prop("DTSTAMP", stamp);
    all_day(ics, date);
    ics.text(
        "SUMMARY",
        &format!("Action {} due: {}", a.id.value, c.title_text()),
    );
    let owner = if owner.is_empty() {
        String::new()
    } else {
        format!("\nOwner: {owner}")
    };
    ics.text("DESCRIPTION", &format!("{}{owner}", a.action.value.trim()));
    ics.prop("TRANSP", "TRANSPARENT");
    ics.prop("END", "VEVENT");
}

fn all_day(ics: &mut Ics, date: Date) {
    ics.prop("DTSTART;VALUE=DATE", &compact(date));
    let next = date.checked_add_days(Days::new(1)).unwrap_or(date);
    ics.prop("DTEND;VALUE=DATE", &compact(next));
}

/// `20261202`
fn compact(d: Date) -> String {
    d.format("%Y%m%d").to_string()
}

/// `20261202T100000`, a local time for `TZID`.
fn local(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

/// The records the calendar is made from: the settings and every file of
/// each context shown.
fn inputs(cb: &Casebook, contexts: &[&Context]) -> Vec<String> {
    // Each context knows its files: no scan of every file for every context.
    cb.settings
        .file
        .into_iter()
        .chain(contexts.iter().flat_map(|c| c.files()))
        // Empty stand-ins for missing files are not records to hash.
        .filter(|id| !cb.sources.text(*id).is_empty())
        .map(|id| cb.sources.path(id).replace('\\', "/"))
        .collect()
}

// ---------------------------------------------------------------- writing

/// Content lines being written: each ends CRLF, and is folded at 75 octets.
#[derive(Default)]
struct Ics {
    out: String,
}

impl Ics {
    /// A property whose value is written as given.
    fn prop(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{value}"));
    }

    /// A TEXT property: its value escaped.
    fn text(&mut self, name: &str, value: &str) {
        self.prop(name, &escape(value));
    }

    fn line(&mut self, line: &str) {
        fold_into(&mut self.out, line);
    }
}

/// RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            // Other control characters are not allowed in TEXT.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// RFC 5545 3.1: lines longer than 75 octets are folded with CRLF and a
/// space, never inside a UTF-8 character.
fn fold_into(out: &mut String, line: &str) {
    const MAX: usize = 75;
    let mut used = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if used + len > MAX {
            out.push_str("\r\n ");
            // The space that starts the continuation counts.
            used = 1;
        }
        out.push(ch);
        used += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(line: &str) -> String {
        let mut out = String::new();
        fold_into(&mut out, line);
        out
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(folded("VERSION:2.0"), "VERSION:2.0\r\n");
        let exact = "X".repeat(75);
        assert_eq!(folded(&exact), format!("{exact}\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let line = format!("SUMMARY:{}", "é".repeat(100));
        let out = folded(&line);
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("a\\b;c,d\ne\r\nf"),
            "a\\\\b\\;c\\,d\\ne\\nf".to_string()
        );
    }

    #[test]
    fn times_are_local_and_compact() {
        let d = Date::from_ymd_opt(2026, 12, 2).unwrap_or_default();
        assert_eq!(compact(d), "20261202");
        let t = d.and_hms_opt(10, 0, 0).unwrap_or_default();
        assert_eq!(local(t), "20261202T100000");
    }
}
