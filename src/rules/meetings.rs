//! Rules: `file-name`, `chair-role`, `core-agencies`, `attendance-recorded`, `representation`, `partner-reports`, `venue-agreed`, `duration`, `plan-discussion-time`, `confidentiality`, `plan-shared`, `learning-shared`.
//!
//! Also the small helpers that the meeting and review rules share: which
//! meetings a rule looks at, and how agencies, counts and lists read in a message.

use super::Ctx;
use crate::diagnostic::Diagnostic;
use crate::model::{AgendaItem, AgendaItemId, Attendance, Casebook, Context, Meeting, MeetingKind};
use crate::rule_id::RuleId;
use crate::text::units;
use chrono::NaiveDate;

// ---------------------------------------------------------------- shared helpers

/// Every meeting of the casebook, with the context it belongs to.
pub(super) fn meetings(cb: &Casebook) -> impl Iterator<Item = (&Context, &Meeting)> {
    cb.contexts
        .iter()
        .flat_map(|c| c.meetings.iter().map(move |m| (c, m)))
}

/// Meetings of any kind (interim too) with `status: held`.
fn held_meetings(cb: &Casebook) -> impl Iterator<Item = (&Context, &Meeting)> {
    meetings(cb).filter(|(_, m)| m.is_held())
}

/// Initial and review conferences with `status: held`.
pub(super) fn held_conferences(cb: &Casebook) -> impl Iterator<Item = (&Context, &Meeting)> {
    meetings(cb).filter(|(_, m)| m.is_held() && m.is_conference())
}

/// Initial and review conferences that are going ahead (scheduled or held).
fn active_conferences(cb: &Casebook) -> impl Iterator<Item = (&Context, &Meeting)> {
    meetings(cb).filter(|(_, m)| m.is_active() && m.is_conference())
}

/// An agency as a chair would recognise it: "Devon and Cornwall Police (police)".
pub(super) fn agency_label(ctx: &Ctx, id: &str) -> String {
    match ctx.casebook.settings.agency(id) {
        Some(a) => format!("{} ({id})", a.name),
        None => id.to_string(),
    }
}

/// "a", "a and b", "a, b and c".
pub(super) fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", init.join(", "), last.as_ref())
        }
    }
}

/// The closing words of a help line for a breach or warning, which the record
/// may explain (PROTOCOL.md): "explain the breach under exceptions: ...".
pub(super) fn explain(rule: RuleId) -> String {
    let what = match rule.kind() {
        crate::diagnostic::Kind::Breach => "the breach",
        _ => "it",
    };
    format!("explain {what} under exceptions: with rule {rule} and a reason")
}

/// Where the record of a meeting on `date` of `kind` lives in the casebook.
pub(super) fn meeting_path(c: &Context, date: NaiveDate, kind: MeetingKind) -> String {
    format!("{}/conferences/{date}-{kind}.md", c.dir)
}

/// Text that is present and not blank.
pub(super) fn has_text(s: Option<&crate::source::Sp<String>>) -> bool {
    s.is_some_and(|s| !s.value.trim().is_empty())
}

/// The distinct agencies of a list, in the order first met.
fn distinct<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = Vec::new();
    for id in ids {
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    seen
}

// ---------------------------------------------------------------- rules

/// `file-name`: a meeting's file, `conferences/<YYYY-MM-DD>-<kind>.md`, is named
/// after the date and kind in its front matter, so that the folder lists the
/// meetings truly and the review rules find a meeting by its date (FORMAT.md).
///
/// A name that is not of that shape at all is reported by the loader; here the
/// name has the shape and one of its parts disagrees with the front matter.
pub(super) fn file_name(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (_, m) in meetings(ctx.casebook) {
        let Some((date, kind)) = split_name(&m.name) else {
            continue;
        };
        let expected = format!("{}-{}.md", m.date.value, m.kind.value);
        if date != m.date.value.to_string() {
            out.push(
                ctx.diag(
                    RuleId::FileName,
                    m.date.loc,
                    format!(
                        "the file name `{}.md` says {date} but the meeting's date is {}",
                        m.name, m.date.value
                    ),
                )
                .with_help(format!(
                    "rename the file to `{expected}`, or correct `date:` if the file name is right"
                )),
            );
        }
        if kind != m.kind.value.as_str() {
            out.push(
                ctx.diag(
                    RuleId::FileName,
                    m.kind.loc,
                    format!(
                        "the file name `{}.md` says {kind} but the meeting's kind is {}",
                        m.name, m.kind.value
                    ),
                )
                .with_help(format!(
                    "rename the file to `{expected}`, or correct `kind:` if the file name is right"
                )),
            );
        }
    }
}

/// `2026-09-14-initial` -> its date and kind parts; `None` when it is not of that shape.
///
/// Compared as text, so that a name whose date is not in the calendar
/// (`2026-02-30-review`), which the loader lets through, still disagrees.
fn split_name(name: &str) -> Option<(&str, &str)> {
    let date = name.get(..10)?;
    let kind = name.get(10..)?.strip_prefix('-')?;
    Some((date, kind))
}

/// `chair-role`: "The meeting will be chaired by either an Adolescent Safety
/// Framework Conference Chair or ISRO in the case of a peer-group context
/// conference; by the Community Safety Partnership Manager in the case of a
/// Neighbourhood Conference; or by the Headteacher or DSL in the case of a School
/// Context Conference" (Structure of the meeting). The role must be one allowed
/// for the context type (`protocol.chairs`), and the chair must hold it.
pub(super) fn chair_role(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (c, m) in active_conferences(ctx.casebook) {
        let (Some(ty), Some(role)) = (&c.context_type, &m.chair_role) else {
            continue;
        };
        let allowed: Vec<&str> = ctx
            .casebook
            .settings
            .protocol
            .chairs
            .get(&ty.value)
            .map(|rs| rs.iter().map(|r| r.value.as_str()).collect())
            .unwrap_or_default();
        if !allowed.contains(&role.value.as_str()) {
            let allowed_text = if allowed.is_empty() {
                format!(
                    "contextpack.yaml allows no chair role for a {}",
                    ty.value.label()
                )
            } else {
                format!("allowed: {}", and_list(&allowed))
            };
            out.push(
                ctx.diag(
                    RuleId::ChairRole,
                    role.loc,
                    format!(
                        "`{}` may not chair a conference about a {} ({allowed_text})",
                        role.value,
                        ty.value.label()
                    ),
                )
                .with_help(format!(
                    "have the conference chaired by someone in an allowed role and set chair_role to it, or {}",
                    explain(RuleId::ChairRole)
                )),
            );
            continue;
        }
        chair_holds_role(ctx, m, &role.value, out);
    }
}

/// The second half of `chair-role`: the person named as chair holds the role.
/// An unknown chair is the `reference` rule's to report.
fn chair_holds_role(ctx: &Ctx, m: &Meeting, role: &str, out: &mut Vec<Diagnostic>) {
    let Some(chair) = &m.chair else { return };
    let Some(person) = ctx.casebook.settings.person(&chair.value) else {
        return;
    };
    if person.roles.iter().any(|r| r.value == role) {
        return;
    }
    out.push(
        ctx.diag(
            RuleId::ChairRole,
            chair.loc,
            format!(
                "the chair, {} ({}), does not hold the role `{role}` in contextpack.yaml",
                person.name.value, chair.value
            ),
        )
        .with_help(format!(
            "if they hold it, add `{role}` to their roles in contextpack.yaml; otherwise name the chair who does, or {}",
            explain(RuleId::ChairRole)
        )),
    );
}

/// `core-agencies`: "Consideration should be given to including Children's
/// Social Care, Education, Police and Community Safety" (Membership and
/// attendance): every agency marked `core` is invited to each conference.
pub(super) fn core_agencies(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (_, m) in active_conferences(ctx.casebook) {
        // A missing `invited:` is a schema error already.
        let Some(invited) = &m.invited else { continue };
        let missing: Vec<String> = ctx
            .casebook
            .settings
            .agencies
            .iter()
            .filter(|a| a.core && !invited.value.iter().any(|i| i.agency.value == a.id.value))
            .map(|a| agency_label(ctx, &a.id.value))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let (noun, verb) = if missing.len() == 1 {
            ("core agency", "is")
        } else {
            ("core agencies", "are")
        };
        out.push(
            ctx.diag(
                RuleId::CoreAgencies,
                invited.loc,
                format!("the {noun} {} {verb} not invited", and_list(&missing)),
            )
            .with_help(format!(
                "add an `invited:` line for each (`- {{ agency: <id>, name: <who> }}`), or {}",
                explain(RuleId::CoreAgencies)
            )),
        );
    }
}

/// `attendance-recorded`: "Members are required to ensure representation ... in
/// their absence" (Membership and attendance) can only be checked if a held
/// meeting, of any kind, records attendance for every agency it invited.
pub(super) fn attendance_recorded(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (_, m) in held_meetings(ctx.casebook) {
        let invited: Vec<&str> = m
            .invited
            .iter()
            .flat_map(|i| i.value.iter().map(|i| i.agency.value.as_str()))
            .collect();
        let Some(attendance) = &m.attendance else {
            out.push(
                ctx.diag(
                    RuleId::AttendanceRecorded,
                    m.status.loc,
                    "the meeting is marked held but records no attendance",
                )
                .with_help(
                    "add `attendance:` with one line per invited agency, marking those who did not come `absent: true`",
                ),
            );
            continue;
        };
        let missing: Vec<String> = distinct(invited.into_iter())
            .into_iter()
            .filter(|id| !attendance.value.iter().any(|a| a.agency.value == *id))
            .map(|id| agency_label(ctx, id))
            .collect();
        if !missing.is_empty() {
            out.push(
                ctx.diag(
                    RuleId::AttendanceRecorded,
                    attendance.loc,
                    format!(
                        "attendance has no line for {}, which {} invited",
                        and_list(&missing),
                        if missing.len() == 1 { "was" } else { "were" }
                    ),
                )
                .with_help(
                    "add an attendance line for each; if an agency did not come, write `absent: true` and who represented it under `represented_by`",
                ),
            );
        }
    }
}

/// `representation`: "Members are required to ensure representation at the
/// Context Safeguarding Conference in their absence" (Membership and
/// attendance; Expectation of Partners): an agency recorded absent from any
/// held meeting names who represented it.
pub(super) fn representation(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (_, m) in held_meetings(ctx.casebook) {
        let lines = m.attendance.iter().flat_map(|a| a.value.iter());
        for line in lines.filter(|a| a.absent && !has_text(a.represented_by.as_ref())) {
            out.push(
                ctx.diag(
                    RuleId::Representation,
                    line.loc,
                    format!(
                        "{} was absent and sent no representative",
                        agency_label(ctx, &line.agency.value)
                    ),
                )
                .with_help(format!(
                    "write who represented them under `represented_by`, or {}",
                    explain(RuleId::Representation)
                )),
            );
        }
    }
}

/// Whether an attendance line means the agency took part: present, or absent but represented.
fn took_part(a: &Attendance) -> bool {
    !a.absent || has_text(a.represented_by.as_ref())
}

/// `partner-reports`: "Partner agencies and organisations in attendance should
/// provide reports/detailed briefings" (Expectation of Partners): every agency
/// present or represented at a held conference is listed in `partner_reports`.
pub(super) fn partner_reports(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (_, m) in held_conferences(ctx.casebook) {
        let present = distinct(
            m.attendance
                .iter()
                .flat_map(|a| a.value.iter())
                .filter(|a| took_part(a))
                .map(|a| a.agency.value.as_str()),
        );
        let reported = |id: &str| {
            m.partner_reports
                .as_ref()
                .is_some_and(|r| r.value.iter().any(|r| r.value == id))
        };
        let missing: Vec<String> = present
            .into_iter()
            .filter(|id| !reported(id))
            .map(|id| agency_label(ctx, id))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let loc = m.partner_reports.as_ref().map_or(m.status.loc, |r| r.loc);
        out.push(
            ctx.diag(
                RuleId::PartnerReports,
                loc,
                format!(
                    "no report or briefing is recorded from {}, which took part",
                    and_list(&missing)
                ),
            )
            .with_help(format!(
                "list each agency that brought a report or briefing under `partner_reports:`, or {}",
                explain(RuleId::PartnerReports)
            )),
        );
    }
}

/// `venue-agreed`: "The meeting will take place at a site agreed by the Chair and
/// those who manage the context under discussion" (Frequency, length and venue):
/// `venue_agreed_by` names the chair and at least one other (someone who manages
/// the context).
///
/// The chair may be written as their person id or their name: the list is free text.
pub(super) fn venue_agreed(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (c, m) in active_conferences(ctx.casebook) {
        let chair_id = m.chair.as_ref().map(|c| c.value.as_str());
        let chair_name = chair_id
            .and_then(|id| ctx.casebook.settings.person(id))
            .map(|p| p.name.value.as_str());
        let is_chair = |s: &str| {
            let s = s.trim();
            chair_id == Some(s) || chair_name.is_some_and(|n| n.eq_ignore_ascii_case(s))
        };
        let entries: Vec<&str> = m
            .venue_agreed_by
            .iter()
            .flat_map(|v| v.value.iter().map(|e| e.value.trim()))
            .filter(|e| !e.is_empty())
            .collect();
        let chair_agreed = chair_id.is_none() || entries.iter().any(|e| is_chair(e));
        let manager_agreed = entries.iter().any(|e| !is_chair(e));
        if chair_agreed && manager_agreed {
            continue;
        }
        let chair = chair_id.unwrap_or("the chair");
        let message = match (chair_agreed, manager_agreed) {
            (false, false) => format!(
                "the venue is not recorded as agreed by the chair ({chair}) nor by anyone who manages the context"
            ),
            (false, true) => format!("the chair ({chair}) is not recorded as agreeing the venue"),
            _ => "nobody who manages the context is recorded as agreeing the venue".to_string(),
        };
        let managers = c.managed_by.as_ref().map_or(String::new(), |mb| {
            format!(" (the context is managed by: {})", mb.value)
        });
        let loc = match (&m.venue_agreed_by, &m.venue) {
            (Some(v), _) => v.loc,
            (None, Some(v)) => v.loc,
            (None, None) => m.loc,
        };
        out.push(
            ctx.diag(RuleId::VenueAgreed, loc, message).with_help(format!(
                "list under `venue_agreed_by:` the chair's id ({chair}) and whoever agreed the site for those who manage the context{managers}, or {}",
                explain(RuleId::VenueAgreed)
            )),
        );
    }
}

/// `duration`: "The duration of the conference will be for approximately 2
/// hours" (Frequency, length and venue): start to end is within
/// `conference_minutes_tolerance` of `conference_minutes`.
pub(super) fn duration(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let p = &ctx.casebook.settings.protocol;
    let expected = i64::from(p.conference_minutes);
    let tolerance = i64::from(p.conference_minutes_tolerance);
    for (_, m) in active_conferences(ctx.casebook) {
        let (Some(start), Some(end)) = (&m.start, &m.end) else {
            continue;
        };
        let minutes = (end.value - start.value).num_minutes();
        // An end not after the start is a schema error already.
        if minutes <= 0 || (minutes - expected).abs() <= tolerance {
            continue;
        }
        let comparison = if minutes > expected {
            "longer"
        } else {
            "shorter"
        };
        out.push(
            ctx.diag(
                RuleId::Duration,
                end.loc,
                format!(
                    "the conference runs {minutes} minutes ({} to {}), {comparison} than the expected {expected} ± {tolerance} minutes ({} to {})",
                    start.value.format("%H:%M"),
                    end.value.format("%H:%M"),
                    (expected - tolerance).max(0),
                    expected + tolerance
                ),
            )
            .with_help(format!(
                "check `start` and `end`; if they are right, {}",
                explain(RuleId::Duration)
            )),
        );
    }
}

/// `plan-discussion-time`: "The Chair must ensure that there is sufficient time
/// during the meeting (no less than 30 min) for professionals in attendance to
/// discuss the suggested outline plan" (Governance and Accountability): the
/// agenda in force gives `plan-discussion` at least `plan_discussion_min_minutes`.
///
/// Time split over several `plan-discussion` items is added up: the passage asks
/// for time during the meeting, not for one block of it.
pub(super) fn plan_discussion_time(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let min = ctx.casebook.settings.protocol.plan_discussion_min_minutes;
    for (_, m) in active_conferences(ctx.casebook) {
        let items = m.agenda_items(ctx.casebook.settings.protocol.conference_minutes);
        let plan: Vec<_> = items
            .iter()
            .filter(|e| e.item == AgendaItem::Standard(AgendaItemId::PlanDiscussion))
            .collect();
        let agenda_loc = m.agenda.as_ref().map_or(m.loc, |a| a.loc);
        let Some(first) = plan.first() else {
            out.push(
                ctx.diag(
                    RuleId::PlanDiscussionTime,
                    agenda_loc,
                    format!(
                        "the agenda has no time to discuss the suggested outline plan; the chair must allow at least {}",
                        units(min, "minute")
                    ),
                )
                .with_help(format!(
                    "add `- {{ item: plan-discussion, minutes: {min} }}` to the agenda, or {}",
                    explain(RuleId::PlanDiscussionTime)
                )),
            );
            continue;
        };
        let total = plan
            .iter()
            .fold(0u32, |t, e| t.saturating_add(e.minutes.value));
        if total >= min {
            continue;
        }
        let (which, fix) = if m.agenda.is_some() {
            (
                "the agenda",
                format!("give the plan-discussion item at least {min} minutes"),
            )
        } else {
            (
                "the default agenda",
                format!("write an `agenda:` with a plan-discussion item of at least {min} minutes"),
            )
        };
        out.push(
            ctx.diag(
                RuleId::PlanDiscussionTime,
                first.minutes.loc,
                format!(
                    "{which} gives the outline plan discussion {}; the chair must allow at least {}",
                    units(total, "minute"),
                    units(min, "minute")
                ),
            )
            .with_help(format!("{fix}, or {}", explain(RuleId::PlanDiscussionTime))),
        );
    }
}

/// `confidentiality`: "Information and intelligence shared at the Context
/// Safeguarding Conferences will be bound by the Information Sharing and
/// Confidentiality Statement" (Information Sharing): any held meeting records
/// that the statement was read.
pub(super) fn confidentiality(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (_, m) in held_meetings(ctx.casebook) {
        if m.confidentiality_statement_read
            .as_ref()
            .is_some_and(|c| c.value)
        {
            continue;
        }
        let loc = m
            .confidentiality_statement_read
            .as_ref()
            .map_or(m.status.loc, |c| c.loc);
        out.push(
            ctx.diag(
                RuleId::Confidentiality,
                loc,
                "the meeting does not record that the Information Sharing and Confidentiality Statement was read",
            )
            .with_help(
                "if the statement was read, set `confidentiality_statement_read: true`; it must be read at every meeting",
            ),
        );
    }
}

/// `plan-shared`: "The Chair must also ensure that an action plan is finalised
/// before and shared (verbally) with all before the meeting concludes"
/// (Governance and Accountability): a held conference records that it was.
pub(super) fn plan_shared(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (_, m) in held_conferences(ctx.casebook) {
        if m.plan_shared_verbally.as_ref().is_some_and(|p| p.value) {
            continue;
        }
        let loc = m
            .plan_shared_verbally
            .as_ref()
            .map_or(m.status.loc, |p| p.loc);
        out.push(
            ctx.diag(
                RuleId::PlanShared,
                loc,
                "the conference does not record that the action plan was finalised and shared verbally before it closed",
            )
            .with_help(format!(
                "if the chair shared it, set `plan_shared_verbally: true`; if not, {}",
                explain(RuleId::PlanShared)
            )),
        );
    }
}

/// `learning-shared`: "Identified themes, trends and learning will be shared with
/// the various strategic forums" (Governance and Accountability, last
/// paragraph): a held conference records at least one learning item addressed
/// to a forum.
pub(super) fn learning_shared(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let forums: Vec<&str> = ctx
        .casebook
        .settings
        .forums
        .iter()
        .map(|f| f.id.value.as_str())
        .collect();
    for (_, m) in held_conferences(ctx.casebook) {
        if m.learning.iter().any(|l| !l.forums.is_empty()) {
            continue;
        }
        let (loc, message) = match m.learning.first() {
            Some(l) => (l.loc, "no learning item is addressed to a strategic forum"),
            None => (
                m.status.loc,
                "the conference records no themes, trends or learning for the strategic forums",
            ),
        };
        let forums_text = if forums.is_empty() {
            "the forums it goes to".to_string()
        } else {
            format!("the forums it goes to (of {})", forums.join(", "))
        };
        out.push(
            ctx.diag(RuleId::LearningShared, loc, message)
                .with_help(format!(
                    "add a `learning:` item with its text and {forums_text} under `forums:`, or {}",
                    explain(RuleId::LearningShared)
                )),
        );
    }
}

/// `held-date`: a meeting marked `held` has taken place, so its date is on or
/// before today. A future meeting marked held would count as met in every
/// review deadline and summary before anyone has sat down.
pub(super) fn held_date(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (_, m) in held_meetings(ctx.casebook).filter(|(_, m)| m.date.value > ctx.today) {
        out.push(
            ctx.diag(
                RuleId::HeldDate,
                m.status.loc,
                format!(
                    "the meeting on {} is marked held, but that is after today ({})",
                    m.date.value, ctx.today
                ),
            )
            .with_help(
                "keep `status: scheduled` until the meeting has taken place; if the date is wrong, \
                 correct it and the file's name (today is --today, else as_of: in contextpack.yaml, \
                 else the computer's date)"
                    .to_string(),
            ),
        );
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! A small builder of casebooks for the rule tests (shared with `reviews`
    //! and `deadline::review`): one neighbourhood context whose meetings are
    //! compliant unless a test changes them. Every value sits on its own line
    //! (see `line`), and each meeting in its own file, numbered by its date, so
    //! a test can assert which value of which meeting a diagnostic points at.

    use super::*;
    use crate::diagnostic::Kind;
    use crate::model::{
        Agency, AgendaEntry, Attendance, Invitee, Learning, MarkdownBody, MeetingStatus, Moved,
        Person, Review, Settings,
    };
    use crate::rules::CheckFn;
    use crate::source::{FileId, Loc, Sp};
    use chrono::{Datelike, Months, NaiveTime};

    /// The line of each value of a built meeting.
    pub(in crate::rules) mod line {
        pub const START_OF_FILE: u32 = 1;
        pub const KIND: u32 = 2;
        pub const DATE: u32 = 3;
        pub const STATUS: u32 = 4;
        pub const START: u32 = 5;
        pub const END: u32 = 6;
        pub const VENUE: u32 = 7;
        pub const VENUE_AGREED_BY: u32 = 8;
        pub const CHAIR: u32 = 9;
        pub const CHAIR_ROLE: u32 = 10;
        pub const INVITED: u32 = 11;
        pub const ATTENDANCE: u32 = 20;
        pub const AGENDA: u32 = 30;
        pub const CONFIDENTIALITY: u32 = 40;
        pub const PARTNER_REPORTS: u32 = 41;
        pub const PLAN_SHARED: u32 = 42;
        pub const REVIEW: u32 = 43;
        pub const REVIEW_DATE: u32 = 44;
        pub const REVIEW_AGENCIES: u32 = 45;
        pub const INVITATIONS_BY: u32 = 46;
        pub const MOVED: u32 = 47;
        pub const MOVED_TO: u32 = 48;
        pub const CHAIR_CONSENT: u32 = 49;
        pub const LEARNING: u32 = 50;
    }

    pub(crate) fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    /// The file of the meeting on `d`.
    pub(crate) fn file_of(d: &str) -> FileId {
        FileId(u64::from(date(d).num_days_from_ce().unsigned_abs()))
    }

    fn loc(file: FileId, line: u32) -> Loc {
        Loc {
            file,
            line,
            column: 1,
            start: 0,
            end: 0,
        }
    }

    fn sp<T>(value: T, file: FileId, line: u32) -> Sp<T> {
        Sp::new(value, loc(file, line))
    }

    fn text(s: &str, file: FileId, line: u32) -> Sp<String> {
        sp(s.to_string(), file, line)
    }

    fn time(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").expect("test time")
    }

    const CORE: [&str; 4] = ["csc", "education", "police", "community-safety"];

    pub(crate) fn settings() -> Settings {
        let f = FileId(0);
        let agency = |id: &str, name: &str, core: bool| Agency {
            id: text(id, f, 1),
            name: name.to_string(),
            name_at: text(name, f, 1).loc,
            public_name: None,
            core,
        };
        let person = |id: &str, name: &str, agency: &str, roles: &[&str]| Person {
            id: text(id, f, 1),
            name: text(name, f, 1),
            agency: text(agency, f, 1),
            roles: roles.iter().map(|r| text(r, f, 1)).collect(),
        };
        Settings {
            agencies: vec![
                agency("csc", "Children's Social Care", true),
                agency("education", "Education", true),
                agency("police", "Devon and Cornwall Police", true),
                agency("community-safety", "Community Safety Partnership", true),
                agency("youth-service", "Youth Service", false),
            ],
            people: vec![
                person(
                    "kim-davies",
                    "Kim Davies",
                    "community-safety",
                    &["community-safety-partnership-manager"],
                ),
                person("jo-smith", "Jo Smith", "csc", &[]),
                person("sam-head", "Sam Head", "education", &["headteacher"]),
            ],
            ..Settings::default()
        }
    }

    /// A meeting on `d` that satisfies every rule for its kind and status: chaired
    /// by the Community Safety Partnership Manager, two hours, every core agency
    /// invited and present with a report, default agenda, review set exactly
    /// three months later.
    pub(crate) fn meeting(kind: MeetingKind, d: &str, status: MeetingStatus) -> Meeting {
        let f = file_of(d);
        let on = date(d);
        let list = |first: u32, f2: &dyn Fn(&str, Loc) -> Invitee| -> Vec<Invitee> {
            CORE.iter()
                .zip(first..)
                .map(|(a, l)| f2(a, loc(f, l)))
                .collect()
        };
        let invited = list(line::INVITED + 1, &|a, l| Invitee {
            loc: l,
            agency: Sp::new(a.to_string(), l),
            person: None,
            name: None,
        });
        let attendance = CORE
            .iter()
            .zip(line::ATTENDANCE + 1..)
            .map(|(a, l)| Attendance {
                loc: loc(f, l),
                agency: text(a, f, l),
                person: None,
                name: Some(text("Someone", f, l)),
                absent: false,
                represented_by: None,
            })
            .collect();
        let review_date = on.checked_add_months(Months::new(3)).expect("test date");
        Meeting {
            file: f,
            name: format!("{d}-{kind}"),
            loc: loc(f, line::START_OF_FILE),
            kind: sp(kind, f, line::KIND),
            date: sp(on, f, line::DATE),
            status: sp(status, f, line::STATUS),
            start: Some(sp(time("10:00"), f, line::START)),
            end: Some(sp(time("12:00"), f, line::END)),
            venue: Some(text("Stonehouse Community Centre", f, line::VENUE)),
            venue_agreed_by: Some(sp(
                vec![
                    text("kim-davies", f, line::VENUE_AGREED_BY),
                    text("Centre manager", f, line::VENUE_AGREED_BY),
                ],
                f,
                line::VENUE_AGREED_BY,
            )),
            chair: Some(text("kim-davies", f, line::CHAIR)),
            chair_role: Some(text(
                "community-safety-partnership-manager",
                f,
                line::CHAIR_ROLE,
            )),
            invited: Some(sp(invited, f, line::INVITED)),
            attendance: Some(sp(attendance, f, line::ATTENDANCE)),
            agenda: None,
            confidentiality_statement_read: Some(sp(true, f, line::CONFIDENTIALITY)),
            partner_reports: Some(sp(
                CORE.iter()
                    .map(|a| text(a, f, line::PARTNER_REPORTS))
                    .collect(),
                f,
                line::PARTNER_REPORTS,
            )),
            plan_shared_verbally: Some(sp(true, f, line::PLAN_SHARED)),
            review: Some(Review {
                loc: loc(f, line::REVIEW),
                date: Some(sp(review_date, f, line::REVIEW_DATE)),
                agencies: Some(sp(
                    vec![text("csc", f, line::REVIEW_AGENCIES)],
                    f,
                    line::REVIEW_AGENCIES,
                )),
                invitations_by: Some(text("jo-smith", f, line::INVITATIONS_BY)),
            }),
            moved: None,
            exceptions: Vec::new(),
            learning: vec![Learning {
                loc: loc(f, line::LEARNING),
                text: text("Older males use the underpass", f, line::LEARNING),
                forums: vec![text("mace-operational", f, line::LEARNING)],
                themes: Vec::new(),
            }],
            minute_taker: None,
            approved: None,
            circulated_to: None,
            papers: Vec::new(),
            body: MarkdownBody::default(),
        }
    }

    pub(crate) fn held(kind: MeetingKind, d: &str) -> Meeting {
        meeting(kind, d, MeetingStatus::Held)
    }

    /// Marks `m` moved to `to`, with or without the chair's consent on record.
    pub(crate) fn moved(mut m: Meeting, to: &str, consent: Option<bool>) -> Meeting {
        let f = m.file;
        m.status = sp(MeetingStatus::Moved, f, line::STATUS);
        m.moved = Some(Moved {
            loc: loc(f, line::MOVED),
            to: Some(sp(date(to), f, line::MOVED_TO)),
            chair_consent: consent.map(|c| sp(c, f, line::CHAIR_CONSENT)),
            reason: Some(text("Venue flooded", f, line::MOVED)),
        });
        m
    }

    /// Replaces the review date set by `m`.
    pub(crate) fn with_review(mut m: Meeting, d: &str) -> Meeting {
        if let Some(r) = &mut m.review {
            r.date = Some(sp(date(d), m.file, line::REVIEW_DATE));
        }
        m
    }

    /// The one context of the test casebooks, holding `meetings`.
    pub(crate) fn context(meetings: Vec<Meeting>) -> Context {
        let f = FileId(1);
        Context {
            id: "stonehouse".into(),
            dir: "cases/stonehouse".into(),
            file: f,
            context_type: Some(sp(crate::model::ContextType::Neighbourhood, f, 1)),
            title: Some(text("Stonehouse parade", f, 2)),
            area: Some(text("Stonehouse", f, 3)),
            opened: Some(sp(date("2026-06-02"), f, 4)),
            closed: None,
            lead_practitioner: Some(text("jo-smith", f, 6)),
            managed_by: Some(text("Parade traders' association", f, 7)),
            harms: Vec::new(),
            young_people: Vec::new(),
            related: Vec::new(),
            assessment: None,
            plan: None,
            meetings,
            attachments: Vec::new(),
            incomplete: false,
        }
    }

    pub(crate) fn casebook_of(contexts: Vec<Context>, settings: Settings) -> Casebook {
        Casebook {
            sources: Default::default(),
            settings,
            contexts,
            published: Vec::new(),
            messages: Vec::new(),
        }
    }

    pub(crate) fn casebook(meetings: Vec<Meeting>) -> Casebook {
        casebook_of(vec![context(meetings)], settings())
    }

    /// Runs one rule as of `today`.
    pub(crate) fn run(cb: &Casebook, today: &str, rule: CheckFn) -> Vec<Diagnostic> {
        let ctx = Ctx {
            casebook: cb,
            today: date(today),
        };
        let mut out = Vec::new();
        rule(&ctx, &mut out);
        out
    }

    /// Asserts exactly one diagnostic, of `rule` and `kind`, on `line`; returns it.
    #[track_caller]
    pub(crate) fn one(out: &[Diagnostic], rule: RuleId, kind: Kind, line: u32) -> Diagnostic {
        assert_eq!(out.len(), 1, "expected one diagnostic, got {out:#?}");
        let d = out[0].clone();
        assert_eq!((d.rule, d.kind, d.loc.line), (rule, kind, line), "{d:#?}");
        assert!(d.help.is_some(), "every diagnostic says what to do next");
        d
    }

    const TODAY: &str = "2026-10-01";

    fn initial() -> Meeting {
        held(MeetingKind::Initial, "2026-09-02")
    }

    fn check_one(m: Meeting, rule: CheckFn) -> Vec<Diagnostic> {
        run(&casebook(vec![m]), TODAY, rule)
    }

    fn set_agenda(m: &mut Meeting, items: &[(AgendaItem, u32)]) {
        let f = m.file;
        let entries = items
            .iter()
            .zip(line::AGENDA + 1..)
            .map(|((item, minutes), l)| AgendaEntry {
                loc: Some(loc(f, l)),
                item: item.clone(),
                minutes: sp(*minutes, f, l),
            })
            .collect();
        m.agenda = Some(sp(entries, f, line::AGENDA));
    }

    fn plan_item() -> AgendaItem {
        AgendaItem::Standard(AgendaItemId::PlanDiscussion)
    }

    // ------------------------------------------------------------ the builder itself

    #[test]
    fn the_built_meetings_pass_every_meeting_rule() {
        let rules: [CheckFn; 12] = [
            file_name,
            chair_role,
            core_agencies,
            attendance_recorded,
            representation,
            partner_reports,
            venue_agreed,
            duration,
            plan_discussion_time,
            confidentiality,
            plan_shared,
            learning_shared,
        ];
        let cb = casebook(vec![
            initial(),
            held(MeetingKind::Interim, "2026-10-15"),
            meeting(MeetingKind::Review, "2026-12-02", MeetingStatus::Scheduled),
        ]);
        for rule in rules {
            assert_eq!(run(&cb, TODAY, rule), vec![]);
        }
    }

    // ------------------------------------------------------------ file-name

    #[test]
    fn file_name_that_disagrees_with_the_date_points_at_the_date() {
        let mut m = initial();
        m.name = "2026-09-03-initial".into();
        let d = one(
            &check_one(m, file_name),
            RuleId::FileName,
            Kind::Error,
            line::DATE,
        );
        assert!(d.message.contains("2026-09-03"), "{}", d.message);
        assert!(d.help.unwrap().contains("2026-09-02-initial.md"));
    }

    #[test]
    fn file_name_that_disagrees_with_the_kind_points_at_the_kind() {
        let mut m = initial();
        m.name = "2026-09-02-review".into();
        one(
            &check_one(m, file_name),
            RuleId::FileName,
            Kind::Error,
            line::KIND,
        );
    }

    #[test]
    fn file_name_with_a_date_not_in_the_calendar_disagrees() {
        let mut m = held(MeetingKind::Review, "2026-02-28");
        m.name = "2026-02-30-review".into();
        one(
            &check_one(m, file_name),
            RuleId::FileName,
            Kind::Error,
            line::DATE,
        );
    }

    #[test]
    fn file_name_of_the_wrong_shape_is_left_to_the_loader() {
        let mut m = initial();
        m.name = "minutes".into();
        assert_eq!(check_one(m, file_name), vec![]);
    }

    #[test]
    fn file_name_is_checked_for_cancelled_interim_meetings_too() {
        let mut m = meeting(MeetingKind::Interim, "2026-10-15", MeetingStatus::Cancelled);
        m.name = "2026-10-16-interim".into();
        one(
            &check_one(m, file_name),
            RuleId::FileName,
            Kind::Error,
            line::DATE,
        );
    }

    // ------------------------------------------------------------ chair-role

    #[test]
    fn chair_role_not_allowed_for_the_context_type() {
        let mut m = initial();
        m.chair = Some(text("sam-head", m.file, line::CHAIR));
        m.chair_role = Some(text("headteacher", m.file, line::CHAIR_ROLE));
        let d = one(
            &check_one(m, chair_role),
            RuleId::ChairRole,
            Kind::Breach,
            line::CHAIR_ROLE,
        );
        assert!(d.message.contains("neighbourhood"), "{}", d.message);
        assert!(d.message.contains("community-safety-partnership-manager"));
    }

    #[test]
    fn chair_role_not_held_by_the_chair_points_at_the_chair() {
        let mut m = initial();
        m.chair = Some(text("jo-smith", m.file, line::CHAIR));
        let d = one(
            &check_one(m, chair_role),
            RuleId::ChairRole,
            Kind::Breach,
            line::CHAIR,
        );
        assert!(d.message.contains("Jo Smith"), "{}", d.message);
    }

    #[test]
    fn chair_role_follows_the_chairs_setting() {
        let mut s = settings();
        s.protocol.chairs.insert(
            crate::model::ContextType::Neighbourhood,
            vec![text("headteacher", FileId(0), 1)],
        );
        let cb = casebook_of(vec![context(vec![initial()])], s);
        one(
            &run(&cb, TODAY, chair_role),
            RuleId::ChairRole,
            Kind::Breach,
            line::CHAIR_ROLE,
        );
    }

    #[test]
    fn chair_role_applies_to_scheduled_conferences_but_not_interim_or_cancelled() {
        let bad = |mut m: Meeting| {
            m.chair_role = Some(text("dsl", m.file, line::CHAIR_ROLE));
            m
        };
        let scheduled = bad(meeting(
            MeetingKind::Review,
            "2026-12-02",
            MeetingStatus::Scheduled,
        ));
        one(
            &check_one(scheduled, chair_role),
            RuleId::ChairRole,
            Kind::Breach,
            line::CHAIR_ROLE,
        );
        let interim = bad(held(MeetingKind::Interim, "2026-10-15"));
        assert_eq!(check_one(interim, chair_role), vec![]);
        let cancelled = bad(meeting(
            MeetingKind::Review,
            "2026-12-02",
            MeetingStatus::Cancelled,
        ));
        assert_eq!(check_one(cancelled, chair_role), vec![]);
    }

    // ------------------------------------------------------------ core-agencies

    #[test]
    fn core_agency_not_invited() {
        let mut m = initial();
        if let Some(i) = &mut m.invited {
            i.value.retain(|i| i.agency.value != "police");
        }
        let d = one(
            &check_one(m, core_agencies),
            RuleId::CoreAgencies,
            Kind::Warning,
            line::INVITED,
        );
        assert!(
            d.message
                .contains("Devon and Cornwall Police (police) is not invited"),
            "{}",
            d.message
        );
    }

    // ------------------------------------------------------------ attendance-recorded

    #[test]
    fn attendance_missing_points_at_status() {
        let mut m = initial();
        m.attendance = None;
        one(
            &check_one(m, attendance_recorded),
            RuleId::AttendanceRecorded,
            Kind::Error,
            line::STATUS,
        );
    }

    #[test]
    fn attendance_without_a_line_for_an_invited_agency() {
        let mut m = held(MeetingKind::Interim, "2026-10-15");
        if let Some(a) = &mut m.attendance {
            a.value.retain(|a| a.agency.value != "education");
        }
        let d = one(
            &check_one(m, attendance_recorded),
            RuleId::AttendanceRecorded,
            Kind::Error,
            line::ATTENDANCE,
        );
        assert!(d.message.contains("Education (education)"), "{}", d.message);
    }

    #[test]
    fn attendance_is_not_expected_before_the_meeting() {
        let mut m = meeting(MeetingKind::Review, "2026-12-02", MeetingStatus::Scheduled);
        m.attendance = None;
        assert_eq!(check_one(m, attendance_recorded), vec![]);
    }

    // ------------------------------------------------------------ representation

    fn absent(m: &mut Meeting, agency: &str, represented_by: Option<&str>) {
        let f = m.file;
        for a in m.attendance.iter_mut().flat_map(|a| a.value.iter_mut()) {
            if a.agency.value == agency {
                a.absent = true;
                a.name = None;
                a.represented_by = represented_by.map(|r| text(r, f, a.loc.line));
            }
        }
    }

    #[test]
    fn representation_by_someone_else_passes() {
        let mut m = initial();
        absent(&mut m, "police", Some("PC Sam Lee"));
        assert_eq!(check_one(m, representation), vec![]);
    }

    #[test]
    fn absent_without_a_representative_points_at_the_attendance_line() {
        let mut m = held(MeetingKind::Interim, "2026-10-15");
        absent(&mut m, "police", Some("  "));
        // police is the third attendance line
        let d = one(
            &check_one(m, representation),
            RuleId::Representation,
            Kind::Breach,
            line::ATTENDANCE + 3,
        );
        assert!(
            d.message.contains("Devon and Cornwall Police"),
            "{}",
            d.message
        );
    }

    // ------------------------------------------------------------ partner-reports

    #[test]
    fn partner_report_missing_from_an_agency_that_took_part() {
        let mut m = initial();
        absent(&mut m, "police", Some("PC Sam Lee"));
        if let Some(r) = &mut m.partner_reports {
            r.value.retain(|r| r.value != "police");
        }
        let d = one(
            &check_one(m, partner_reports),
            RuleId::PartnerReports,
            Kind::Warning,
            line::PARTNER_REPORTS,
        );
        assert!(d.message.contains("police"), "{}", d.message);
    }

    #[test]
    fn partner_reports_are_not_expected_from_agencies_that_did_not_take_part() {
        let mut m = initial();
        absent(&mut m, "police", None);
        if let Some(r) = &mut m.partner_reports {
            r.value.retain(|r| r.value != "police");
        }
        assert_eq!(check_one(m, partner_reports), vec![]);
    }

    #[test]
    fn partner_reports_absent_points_at_status() {
        let mut m = initial();
        m.partner_reports = None;
        one(
            &check_one(m, partner_reports),
            RuleId::PartnerReports,
            Kind::Warning,
            line::STATUS,
        );
    }

    // ------------------------------------------------------------ venue-agreed

    fn agreed_by(m: &mut Meeting, who: &[&str]) {
        let f = m.file;
        m.venue_agreed_by = Some(sp(
            who.iter()
                .map(|w| text(w, f, line::VENUE_AGREED_BY))
                .collect(),
            f,
            line::VENUE_AGREED_BY,
        ));
    }

    #[test]
    fn venue_agreed_by_the_chair_alone() {
        let mut m = initial();
        agreed_by(&mut m, &["kim-davies"]);
        let d = one(
            &check_one(m, venue_agreed),
            RuleId::VenueAgreed,
            Kind::Warning,
            line::VENUE_AGREED_BY,
        );
        assert!(d.message.contains("manages the context"), "{}", d.message);
    }

    #[test]
    fn venue_agreed_without_the_chair() {
        let mut m = initial();
        agreed_by(&mut m, &["Centre manager"]);
        let d = one(
            &check_one(m, venue_agreed),
            RuleId::VenueAgreed,
            Kind::Warning,
            line::VENUE_AGREED_BY,
        );
        assert!(d.message.contains("kim-davies"), "{}", d.message);
    }

    #[test]
    fn venue_agreed_may_name_the_chair_by_name() {
        let mut m = initial();
        agreed_by(&mut m, &["Kim Davies", "Centre manager"]);
        assert_eq!(check_one(m, venue_agreed), vec![]);
    }

    #[test]
    fn venue_agreed_missing_points_at_the_venue() {
        let mut m = initial();
        m.venue_agreed_by = None;
        one(
            &check_one(m, venue_agreed),
            RuleId::VenueAgreed,
            Kind::Warning,
            line::VENUE,
        );
    }

    // ------------------------------------------------------------ duration

    fn lasting(start: &str, end: &str) -> Vec<Diagnostic> {
        let mut m = initial();
        m.start = Some(sp(time(start), m.file, line::START));
        m.end = Some(sp(time(end), m.file, line::END));
        check_one(m, duration)
    }

    #[test]
    fn duration_at_the_edges_of_the_tolerance_passes() {
        assert_eq!(lasting("10:00", "12:30"), vec![], "150 minutes");
        assert_eq!(lasting("10:00", "11:30"), vec![], "90 minutes");
    }

    #[test]
    fn duration_beyond_the_tolerance_points_at_the_end() {
        let d = one(
            &lasting("10:00", "12:31"),
            RuleId::Duration,
            Kind::Warning,
            line::END,
        );
        assert!(
            d.message.contains("151 minutes (10:00 to 12:31)"),
            "{}",
            d.message
        );
        assert!(d.message.contains("120 ± 30"), "{}", d.message);
        one(
            &lasting("10:00", "11:29"),
            RuleId::Duration,
            Kind::Warning,
            line::END,
        );
    }

    #[test]
    fn duration_follows_the_settings() {
        let mut s = settings();
        s.protocol.conference_minutes = 90;
        s.protocol.conference_minutes_tolerance = 10;
        let cb = casebook_of(vec![context(vec![initial()])], s);
        let d = one(
            &run(&cb, TODAY, duration),
            RuleId::Duration,
            Kind::Warning,
            line::END,
        );
        assert!(d.message.contains("90 ± 10"), "{}", d.message);
    }

    // ------------------------------------------------------------ plan-discussion-time

    #[test]
    fn the_default_agenda_gives_the_plan_40_minutes() {
        let mut s = settings();
        s.protocol.plan_discussion_min_minutes = 40;
        let cb = casebook_of(vec![context(vec![initial()])], s);
        assert_eq!(run(&cb, TODAY, plan_discussion_time), vec![]);
    }

    #[test]
    fn the_default_agenda_is_too_short_for_a_longer_setting() {
        let mut s = settings();
        s.protocol.plan_discussion_min_minutes = 45;
        let cb = casebook_of(vec![context(vec![initial()])], s);
        let d = one(
            &run(&cb, TODAY, plan_discussion_time),
            RuleId::PlanDiscussionTime,
            Kind::Breach,
            line::START_OF_FILE,
        );
        assert!(d.message.contains("40 minutes"), "{}", d.message);
        assert!(d.message.contains("at least 45 minutes"), "{}", d.message);
    }

    #[test]
    fn a_short_plan_discussion_points_at_its_minutes() {
        let mut m = initial();
        set_agenda(
            &mut m,
            &[(AgendaItem::Free("Update".into()), 30), (plan_item(), 20)],
        );
        let d = one(
            &check_one(m, plan_discussion_time),
            RuleId::PlanDiscussionTime,
            Kind::Breach,
            line::AGENDA + 2,
        );
        assert!(d.message.contains("20 minutes"), "{}", d.message);
    }

    #[test]
    fn plan_discussion_split_over_two_items_is_added_up() {
        let mut m = initial();
        set_agenda(&mut m, &[(plan_item(), 15), (plan_item(), 15)]);
        assert_eq!(check_one(m, plan_discussion_time), vec![]);
        let mut m = initial();
        set_agenda(&mut m, &[(plan_item(), 15), (plan_item(), 14)]);
        let d = one(
            &check_one(m, plan_discussion_time),
            RuleId::PlanDiscussionTime,
            Kind::Breach,
            line::AGENDA + 1,
        );
        assert!(d.message.contains("29 minutes"), "{}", d.message);
    }

    #[test]
    fn an_agenda_without_plan_discussion_points_at_the_agenda() {
        let mut m = initial();
        set_agenda(&mut m, &[(AgendaItem::Free("Update".into()), 60)]);
        one(
            &check_one(m, plan_discussion_time),
            RuleId::PlanDiscussionTime,
            Kind::Breach,
            line::AGENDA,
        );
    }

    #[test]
    fn a_lower_plan_discussion_setting_is_honoured() {
        let mut s = settings();
        s.protocol.plan_discussion_min_minutes = 20;
        let mut m = initial();
        set_agenda(&mut m, &[(plan_item(), 20)]);
        let cb = casebook_of(vec![context(vec![m])], s);
        assert_eq!(run(&cb, TODAY, plan_discussion_time), vec![]);
    }

    // ------------------------------------------------------------ confidentiality

    #[test]
    fn confidentiality_not_read_points_at_the_value() {
        let mut m = held(MeetingKind::Interim, "2026-10-15");
        m.confidentiality_statement_read = Some(sp(false, m.file, line::CONFIDENTIALITY));
        one(
            &check_one(m, confidentiality),
            RuleId::Confidentiality,
            Kind::Error,
            line::CONFIDENTIALITY,
        );
    }

    #[test]
    fn confidentiality_unrecorded_points_at_status() {
        let mut m = initial();
        m.confidentiality_statement_read = None;
        one(
            &check_one(m, confidentiality),
            RuleId::Confidentiality,
            Kind::Error,
            line::STATUS,
        );
    }

    // ------------------------------------------------------------ plan-shared

    #[test]
    fn plan_not_shared() {
        let mut m = initial();
        m.plan_shared_verbally = Some(sp(false, m.file, line::PLAN_SHARED));
        one(
            &check_one(m, plan_shared),
            RuleId::PlanShared,
            Kind::Breach,
            line::PLAN_SHARED,
        );
    }

    #[test]
    fn plan_shared_does_not_bind_interim_meetings() {
        let mut m = held(MeetingKind::Interim, "2026-10-15");
        m.plan_shared_verbally = None;
        assert_eq!(check_one(m, plan_shared), vec![]);
    }

    // ------------------------------------------------------------ learning-shared

    #[test]
    fn no_learning_points_at_status() {
        let mut m = initial();
        m.learning.clear();
        one(
            &check_one(m, learning_shared),
            RuleId::LearningShared,
            Kind::Warning,
            line::STATUS,
        );
    }

    #[test]
    fn learning_for_no_forum_points_at_the_item() {
        let mut m = initial();
        for l in &mut m.learning {
            l.forums.clear();
        }
        let d = one(
            &check_one(m, learning_shared),
            RuleId::LearningShared,
            Kind::Warning,
            line::LEARNING,
        );
        assert!(d.help.unwrap().contains("mace-operational"));
    }

    // ------------------------------------------------------------ cancelled and moved meetings

    #[test]
    fn cancelled_and_moved_conferences_are_bound_by_no_meeting_rule_but_file_name() {
        let broken = |mut m: Meeting| {
            m.chair_role = Some(text("dsl", m.file, line::CHAIR_ROLE));
            m.invited = Some(sp(Vec::new(), m.file, line::INVITED));
            m.attendance = None;
            m.venue_agreed_by = None;
            m.end = Some(sp(time("15:00"), m.file, line::END));
            set_agenda(&mut m, &[]);
            m.confidentiality_statement_read = None;
            m.plan_shared_verbally = None;
            m.learning.clear();
            m
        };
        let cancelled = broken(meeting(
            MeetingKind::Review,
            "2026-12-02",
            MeetingStatus::Cancelled,
        ));
        let moved = moved(
            broken(held(MeetingKind::Review, "2026-12-09")),
            "2026-12-16",
            Some(true),
        );
        let cb = casebook(vec![cancelled, moved]);
        let rules: [CheckFn; 11] = [
            chair_role,
            core_agencies,
            attendance_recorded,
            representation,
            partner_reports,
            venue_agreed,
            duration,
            plan_discussion_time,
            confidentiality,
            plan_shared,
            learning_shared,
        ];
        for rule in rules {
            assert_eq!(run(&cb, TODAY, rule), vec![]);
        }
    }

    // ------------------------------------------------------------ helpers

    #[test]
    fn lists_read_as_english() {
        assert_eq!(and_list::<&str>(&[]), "");
        assert_eq!(and_list(&["a"]), "a");
        assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
        assert_eq!(units(1, "month"), "1 month");
        assert_eq!(units(3, "month"), "3 months");
    }
}
