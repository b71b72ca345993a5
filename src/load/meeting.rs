//! `cases/<id>/conferences/<YYYY-MM-DD>-<kind>.md`: a meeting's front matter.

use super::decode::{Dec, Map};
use super::plan::exception;
use super::yaml::{Value, Yaml};
use crate::model::{
    AgendaEntry, AgendaItem, AgendaItemId, Approval, Attendance, Invitee, Learning, MarkdownBody,
    Meeting, MeetingKind, MeetingStatus, Moved, Paper, Review,
};
use crate::schema::records as R;
use crate::source::{FileId, Loc};

/// The shape shown when the front matter is missing.
pub const EXAMPLE: &str = "---\nkind: initial\ndate: 2026-09-14\nstart: \"10:00\"\nend: \"12:00\"\nvenue: ...\nchair: ...\nchair_role: ...\nstatus: scheduled\ninvited:\n  - { agency: csc, person: jo-smith }\n---\n# Minutes";

/// Decodes a meeting. Returns `None` when its kind, date or status cannot be
/// read: without them the record cannot take part in any rule.
pub fn decode(
    d: &mut Dec,
    root: &Yaml,
    file: FileId,
    name: String,
    body: MarkdownBody,
) -> Option<Meeting> {
    let m = d.record(root, &R::MEETING)?;
    let kind = d.req(&m, "kind", |d, y, f| {
        d.vocab(y, f, "meeting kind", MeetingKind::NAMES, MeetingKind::parse)
    });
    let date = d.req(&m, "date", Dec::date);
    let status = d.req(&m, "status", |d, y, f| {
        d.vocab(y, f, "status", MeetingStatus::NAMES, MeetingStatus::parse)
    });
    let start = d.req(&m, "start", Dec::time);
    let end = d.req(&m, "end", Dec::time);
    if let (Some(s), Some(e)) = (&start, &end)
        && e.value <= s.value
    {
        d.error(
            e.loc,
            format!(
                "the meeting ends at {} but starts at {}",
                e.value.format("%H:%M"),
                s.value.format("%H:%M")
            ),
        );
    }
    let conference = kind
        .as_ref()
        .is_none_or(|k| k.value != MeetingKind::Interim);
    let (chair, chair_role) = if conference {
        (
            d.req(&m, "chair", Dec::reference),
            d.req(&m, "chair_role", Dec::text),
        )
    } else {
        (
            d.opt(&m, "chair", Dec::reference),
            d.opt(&m, "chair_role", Dec::text),
        )
    };
    let venue = d.req(&m, "venue", Dec::text);
    let invited = if d.present(&m, "invited") {
        d.opt_list_at(&m, "invited", |d, y, _| invitee(d, y))
    } else {
        None
    };
    let moved = m.get("moved").and_then(|y| moved(d, y, &m));
    if let Some(s) = &status
        && s.value == MeetingStatus::Moved
        && m.get("moved").is_none()
    {
        d.error_help(
            s.loc,
            "a moved meeting needs `moved:` saying when to and why",
            "add `moved: { to: YYYY-MM-DD, chair_consent: true, reason: ... }`",
        );
    }
    // Every field is read before giving up on a missing kind, date or status,
    // so that all of the file's problems are reported at once.
    let venue_agreed_by = d.opt_list_at(&m, "venue_agreed_by", Dec::text);
    let attendance = d.opt_list_at(&m, "attendance", |d, y, _| attendance(d, y));
    let agenda = d.opt_list_at(&m, "agenda", |d, y, _| agenda_entry(d, y));
    let confidentiality_statement_read = d.opt(&m, "confidentiality_statement_read", Dec::bool);
    let partner_reports = d.opt_list_at(&m, "partner_reports", Dec::reference);
    let plan_shared_verbally = d.opt(&m, "plan_shared_verbally", Dec::bool);
    let review = m.get("review").and_then(|y| review(d, y, &m));
    let exceptions = d.opt_list(&m, "exceptions", |d, y, _| exception(d, y));
    let learning = d.opt_list(&m, "learning", |d, y, _| learning(d, y));
    let minute_taker = d.opt(&m, "minute_taker", Dec::text);
    let approved = m.get("approved").and_then(|y| approval(d, y, &m));
    if let (Some(a), Some(held)) = (approved.as_ref().and_then(|a| a.date.as_ref()), &date)
        && a.value < held.value
    {
        d.error_help(
            a.loc,
            format!(
                "the minutes are approved on {} but the meeting is on {}",
                a.value, held.value
            ),
            "minutes are approved after the meeting: give the date they were agreed as a true record",
        );
    }
    let circulated_to = d.opt_list_at(&m, "circulated_to", Dec::reference);
    let papers = d.opt_list(&m, "papers", paper);
    let meeting = Meeting {
        file,
        name,
        loc: m.loc,
        kind: kind?,
        date: date?,
        status: status?,
        start,
        end,
        venue,
        venue_agreed_by,
        chair,
        chair_role,
        invited,
        attendance,
        agenda,
        confidentiality_statement_read,
        partner_reports,
        plan_shared_verbally,
        review,
        moved,
        exceptions,
        learning,
        minute_taker,
        approved,
        circulated_to,
        papers,
        body,
    };
    Some(meeting)
}

fn invitee(d: &mut Dec, y: &Yaml) -> Option<Invitee> {
    let m = d.record(y, &R::INVITATION)?;
    let agency = d.req(&m, "agency", Dec::reference);
    let person = d.opt(&m, "person", Dec::reference);
    let name = d.opt(&m, "name", Dec::text);
    if let (Some(_), Some(n)) = (&person, &name) {
        d.error_help(
            n.loc,
            "an invitation names either a `person` (an id) or a `name` (free text), not both",
            "keep `person` when they are in contextpack.yaml, otherwise `name`",
        );
    }
    Some(Invitee {
        loc: m.loc,
        agency: agency?,
        person,
        name,
    })
}

fn attendance(d: &mut Dec, y: &Yaml) -> Option<Attendance> {
    let m = d.record(y, &R::ATTENDANCE)?;
    let agency = d.req(&m, "agency", Dec::reference);
    let person = d.opt(&m, "person", Dec::reference);
    let name = d.opt(&m, "name", Dec::text);
    let absent = d.opt(&m, "absent", Dec::bool);
    let represented_by = d.opt(&m, "represented_by", Dec::text);
    Some(Attendance {
        loc: m.loc,
        agency: agency?,
        person,
        name,
        absent: absent.is_some_and(|a| a.value),
        represented_by,
    })
}

fn agenda_entry(d: &mut Dec, y: &Yaml) -> Option<AgendaEntry> {
    let m = d.record(y, &R::AGENDA_ITEM)?;
    let minutes = d.req(&m, "minutes", Dec::positive);
    let item = match (m.get("item"), m.get("title")) {
        (Some(i), None) => d
            .vocab(
                i,
                "item",
                "agenda item",
                AgendaItemId::NAMES,
                AgendaItemId::parse,
            )
            .map(|v| AgendaItem::Standard(v.value)),
        (None, Some(t)) => d.text(t, "title").map(|t| AgendaItem::Free(t.value)),
        (Some(_), Some(_)) => {
            agenda_shape_error(
                d,
                &m,
                "an agenda item has either `item` or `title`, not both",
            );
            None
        }
        (None, None) => {
            agenda_shape_error(
                d,
                &m,
                "an agenda item needs `item` (a standard item) or `title` (a free item)",
            );
            None
        }
    };
    Some(AgendaEntry {
        loc: Some(m.loc),
        item: item?,
        minutes: minutes?,
    })
}

fn agenda_shape_error(d: &mut Dec, m: &Map, message: &str) {
    d.error_help(
        m.loc,
        message,
        format!("standard items: {}", AgendaItemId::NAMES.join(", ")),
    );
}

fn review(d: &mut Dec, y: &Yaml, parent: &Map) -> Option<Review> {
    let m = d.record(y, &R::REVIEW)?;
    Some(Review {
        loc: key_or(parent, "review", m.loc),
        date: d.opt(&m, "date", Dec::date),
        agencies: d.opt_list_at(&m, "agencies", Dec::reference),
        invitations_by: d.opt(&m, "invitations_by", Dec::reference),
    })
}

fn approval(d: &mut Dec, y: &Yaml, parent: &Map) -> Option<Approval> {
    let m = d.record(y, &R::APPROVAL)?;
    Some(Approval {
        loc: key_or(parent, "approved", m.loc),
        date: d.req(&m, "date", Dec::date),
        by: d.opt(&m, "by", Dec::text),
    })
}

/// A paper: its path, or `{ file, title }`.
fn paper(d: &mut Dec, y: &Yaml, field: &str) -> Option<Paper> {
    if let Value::Map(_) = y.value {
        let m = d.record(y, &R::PAPER)?;
        return Some(Paper {
            file: d.req(&m, "file", Dec::text)?,
            title: d.opt(&m, "title", Dec::text),
            path: None,
        });
    }
    Some(Paper {
        file: d.text(y, field)?,
        title: None,
        path: None,
    })
}

fn moved(d: &mut Dec, y: &Yaml, parent: &Map) -> Option<Moved> {
    let m = d.record(y, &R::MOVED)?;
    Some(Moved {
        loc: key_or(parent, "moved", m.loc),
        to: d.req(&m, "to", Dec::date),
        chair_consent: d.opt(&m, "chair_consent", Dec::bool),
        reason: d.req(&m, "reason", Dec::text),
    })
}

fn learning(d: &mut Dec, y: &Yaml) -> Option<Learning> {
    let m = d.record(y, &R::LEARNING)?;
    let text = d.req(&m, "text", Dec::text);
    Some(Learning {
        loc: m.loc,
        text: text?,
        forums: d.opt_list(&m, "forums", Dec::reference),
        themes: d.opt_list(&m, "themes", Dec::text),
    })
}

fn key_or(m: &Map, key: &str, fallback: Loc) -> Loc {
    m.key_loc(key).unwrap_or(fallback)
}
