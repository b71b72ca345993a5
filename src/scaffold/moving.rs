//! `contextpack move`: a scheduled meeting moved to another day, as the
//! terms of reference want it recorded. The meeting's file is marked
//! `status: moved` with `moved: { to, chair_consent, reason }`, and a new
//! scheduled record for the new day is written with the same front matter
//! (chair, venue, times, invitations, agenda) and body. A conference may only
//! move to a day `moved-within` allows; the new file never overwrites one.

use super::{Error, NewFile, Written, create_all, find_context, load};
use crate::deadline::review;
use crate::model::{Date, MeetingStatus};
use std::path::Path;

/// What `contextpack move` was asked.
pub struct MoveMeeting<'a> {
    pub context: &'a str,
    /// The meeting's file name without `.md` (`2026-12-01-review`), or its date.
    pub meeting: &'a str,
    pub to: Date,
    pub reason: &'a str,
    pub chair_consent: bool,
}

pub fn move_meeting(root: &Path, req: &MoveMeeting) -> Result<Written, Error> {
    let casebook = load(root)?;
    let c = find_context(&casebook, req.context)?;
    let found: Vec<_> = c
        .meetings
        .iter()
        .filter(|m| m.name == req.meeting || m.date.value.to_string() == req.meeting)
        .collect();
    let names = || {
        c.meetings
            .iter()
            .filter(|m| m.status.value == MeetingStatus::Scheduled)
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let m = match found.as_slice() {
        [m] => *m,
        [] => {
            return Err(Error::invalid(
                format!("context `{}` has no meeting `{}`", c.id, req.meeting),
                format!(
                    "give a meeting's file name without .md; scheduled: {}",
                    names()
                ),
            ));
        }
        _ => {
            return Err(Error::invalid(
                format!("more than one meeting of `{}` is on {}", c.id, req.meeting),
                format!("give the meeting's file name without .md: {}", names()),
            ));
        }
    };
    if m.status.value != MeetingStatus::Scheduled {
        return Err(Error::invalid(
            format!(
                "meeting `{}` is {}, not scheduled",
                m.name,
                m.status.value.as_str()
            ),
            "only a meeting that is still to happen can be moved",
        ));
    }
    let reason = req.reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid(
            "the reason is blank",
            "say why the meeting moved: --reason \"Chair called to a strategic meeting\"",
        ));
    }
    if req.to == m.date.value {
        return Err(Error::invalid(
            format!("the meeting is already on {}", req.to),
            "give the new day with --to",
        ));
    }
    let days = casebook.settings.protocol.reschedule_within_days;
    if m.is_conference()
        && (req.to <= m.date.value || !review::moved_in_time(m.date.value, req.to, days))
    {
        let latest = review::latest_move(m.date.value, days)
            .map_or_else(String::new, |d| format!(" and {d}"));
        return Err(Error::invalid(
            format!(
                "a conference missed on {} must be held again within {days} days after it (rule moved-within), not on {}",
                m.date.value, req.to
            ),
            format!(
                "choose a day between {}{latest}",
                m.date.value.succ_opt().unwrap_or(m.date.value)
            ),
        ));
    }
    let rel = casebook.sources.path(m.file).replace('\\', "/");
    let text = casebook.sources.text(m.file);
    let new_rel = format!("{}/conferences/{}-{}.md", c.dir, req.to, m.kind.value);
    let moved_text = mark_moved(text, req.to, req.chair_consent, reason).ok_or_else(|| {
        Error::invalid(
            format!("`{rel}` has no `status: scheduled` line in its front matter to change"),
            "write its status on a line of its own, `status: scheduled`, then move it",
        )
    })?;
    let new_text = redated(text, m.date.value, req.to).ok_or_else(|| {
        Error::invalid(
            format!(
                "`{rel}` has no `date: {}` line in its front matter",
                m.date.value
            ),
            "write its date on a line of its own, then move it",
        )
    })?;
    let created = create_all(
        root,
        &[NewFile {
            rel: new_rel.clone(),
            text: new_text,
        }],
    )?;
    crate::build::publish::write_whole(&root.join(&rel), &moved_text).map_err(|error| {
        Error::Io {
            path: rel.clone(),
            error,
            written: created.clone(),
        }
    })?;
    let mut notes = Vec::new();
    if !req.chair_consent && m.is_conference() {
        notes.push(
            "the chair's consent is recorded as not given: a `moved-consent` breach until it is, or an exception explains it"
                .to_string(),
        );
    }
    Ok(Written {
        created,
        updated: vec![rel.clone()],
        notes,
        next: vec![
            format!("in {new_rel}: check the venue and times for the new day"),
            "contextpack check".to_string(),
        ],
    })
}

/// The front matter's lines: from after the first `---` to the next.
fn front_matter_lines(text: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    let mut start = None;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" {
            match start {
                None => start = Some(offset + line.len()),
                Some(s) => return Some(s..offset),
            }
        }
        offset += line.len();
    }
    None
}

/// Replaces the one front-matter line for which `pick` gives the new text.
fn replace_line(text: &str, pick: impl Fn(&str) -> Option<String>) -> Option<String> {
    let range = front_matter_lines(text)?;
    let mut out = String::with_capacity(text.len() + 120);
    out.push_str(&text[..range.start]);
    let mut done = false;
    for line in text[range.clone()].split_inclusive('\n') {
        match (done, pick(line.trim_end_matches(['\n', '\r']))) {
            (false, Some(new)) => {
                out.push_str(&new);
                out.push('\n');
                done = true;
            }
            _ => out.push_str(line),
        }
    }
    out.push_str(&text[range.end..]);
    done.then_some(out)
}

/// The meeting's record marked moved: `status: moved` and `moved:`.
fn mark_moved(text: &str, to: Date, consent: bool, reason: &str) -> Option<String> {
    replace_line(text, |line| {
        let code = line.split(" #").next().unwrap_or(line).trim_end();
        (code == "status: scheduled").then(|| {
            format!(
                "status: moved\nmoved: {{ to: {to}, chair_consent: {consent}, reason: {} }}",
                quoted(reason)
            )
        })
    })
}

/// The record for the new day: the same, with its date changed.
fn redated(text: &str, from: Date, to: Date) -> Option<String> {
    let written = format!("date: {from}");
    replace_line(text, |line| {
        let code = line.split(" #").next().unwrap_or(line).trim_end();
        (code == written).then(|| format!("date: {to}  # moved from {from}"))
    })
}

/// A YAML double-quoted string: the reason is the practitioner's text,
/// never YAML syntax.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = "---\nkind: review\ndate: 2026-12-01\nstatus: scheduled  # still to happen\nvenue: Hub\n---\n# Minutes\n";

    #[test]
    fn the_record_is_marked_moved_and_redated() {
        let day = |s: &str| s.parse::<Date>().expect("date");
        let moved = mark_moved(RECORD, day("2026-12-08"), true, "Chair \"ill\"").expect("moved");
        assert_eq!(
            moved,
            "---\nkind: review\ndate: 2026-12-01\nstatus: moved\nmoved: { to: 2026-12-08, chair_consent: true, reason: \"Chair \\\"ill\\\"\" }\nvenue: Hub\n---\n# Minutes\n"
        );
        let new = redated(RECORD, day("2026-12-01"), day("2026-12-08")).expect("redated");
        assert!(new.contains("\ndate: 2026-12-08  # moved from 2026-12-01\nstatus: scheduled"));
        assert!(new.ends_with("---\n# Minutes\n"));
        assert!(mark_moved("---\nstatus: held\n---\n", day("2026-12-08"), true, "x").is_none());
    }
}
