//! The numbers of an anonymised summary, for one quarter and one forum.
//!
//! Everything here is plain, serialisable data in a fixed order, so the same
//! casebook gives the same summary byte for byte. Nothing in it names a
//! person, a child, a context title or a context id: contexts appear only as
//! counts, by type, harm type and area, and learning items only with their
//! context's type and area. Counts of children exist only after suppression
//! ([`super::suppress`]); counts of contexts, meetings and actions are not
//! about children and are printed as they are (PROTOCOL.md, notes).
//!
//! # Definitions
//!
//! A quarter runs from its first to its last day, both included. `today` is
//! the date the casebook is checked against; for the quarter in progress,
//! "by the end of the quarter" means "by today".
//!
//! - **Active context**: `opened` on or before the quarter's last day, and not
//!   `closed` before its first day. A context without `opened` is never active
//!   (it fails `check`, so `build` does not reach here).
//! - **Opened / closed**: the `opened` / `closed` date is in the quarter.
//! - **Meetings held**: `status: held`, dated in the quarter; initial, review
//!   and interim counted apart.
//! - **Reviews due**: each distinct review date R in the quarter set by a held
//!   initial or review conference (`review.date`), unless the context is
//!   closed on or before R (as rule `review-held`). Each is exactly one of:
//!   *on time*, a held review conference of that context is dated R;
//!   *late*, the review was moved (`status: moved`, followed through
//!   `moved.to`) and held on the date it was moved to; *overdue*, neither,
//!   and the date it now stands at is before today (a review held on another
//!   day without its move recorded is overdue, as rule `review-held` says);
//!   *upcoming*, neither, and that date is today or later. This is the
//!   reading of `crate::deadline::review`, shared with the rule, `status`,
//!   the dashboard and the calendar.
//! - **Conferences moved**: initial or review conferences with `status: moved`
//!   whose original date is in the quarter; *within* when `moved.to` is after
//!   that date and no more than `reschedule_within_days` after it, *not within*
//!   otherwise (including no new date).
//! - **Explained breaches**: diagnostics of kind breach that an `exceptions:`
//!   entry explains, by rule. Each belongs to the quarter of the meeting whose
//!   file it points at, except `review-held`, which belongs to the quarter of
//!   the review date that was missed. One that points into `plan.yaml` (no
//!   breach rule does today) belongs to the quarter of the `agreed` date of the
//!   action it points into, and is left out when it points at no action.
//! - **Actions** (every context's plan): *agreed*, `agreed` in the quarter;
//!   *done*, status done with `done` in the quarter; *done on time*, those with
//!   `done` on or before `due`; *overdue*, not dropped, agreed (if dated) by the
//!   end of the quarter, due before the end of the quarter (for a past quarter:
//!   on or before its last day; in progress: before today), and not done by
//!   then, in a context not closed by then. Counted in all, by domain (all four
//!   listed, zeros too) and by owning agency (agencies with any count, in the
//!   order of `agencies:`).
//! - **Children**: the young people of the active contexts, counted once each
//!   by `ref` (a ref in two contexts is one child: roles merge, affected plus
//!   alleged harmer being both, and the greater age is kept), by role and by age
//!   band 10-13, 14-15, 16-17 and other (any other age, or none). A record
//!   without a role is left out (it fails `check`).
//! - **Outcome measures**: outcomes actions (not dropped) of the active
//!   contexts whose `measure:` has readings and a direction, by how the latest
//!   reading on or before the period's end compares with the first (the
//!   baseline): *improving*, *steady*, *worsening*; and how many of those
//!   measure the context itself. Left out of every output when there are none.
//! - **Themes**: the `themes` of the learning items of the meetings held in the
//!   quarter, all forums (a theme is counted once per learning item), against
//!   the previous quarter: *new* (none before), *rising*, *falling* (including
//!   to none: a theme of the previous quarter only is listed with count 0),
//!   *steady*. Sorted by count, most first, then by theme.
//! - **Learning**: the learning items of meetings held in the quarter that name
//!   the forum, text as written, with the context's type and area only; in
//!   meeting date order.

use super::quarter::Quarter;
use super::suppress::{CountTable, SuppressedTable};
use crate::deadline::review::{self, Review, Standing};
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{
    Action, ActionStatus, Casebook, Context, ContextType, Date, Domain, Forum, HARMS, Meeting,
    MeetingKind, MeetingStatus, YoungPersonRole,
};
use crate::rule_id::RuleId;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The anonymised summary of one quarter for one forum.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuarterSummary {
    pub quarter: Quarter,
    pub previous_quarter: Quarter,
    /// `YYYY-MM-DD`.
    pub first_day: String,
    pub last_day: String,
    /// The date the casebook was checked against.
    pub as_of: String,
    /// Whether the quarter was still in progress on that date.
    pub in_progress: bool,
    pub forum: ForumInfo,
    pub partnership: String,
    /// `anonymised_marking`, printed on every page.
    pub marking: String,
    pub contexts: ContextCounts,
    pub meetings: MeetingCounts,
    pub reviews: ReviewCounts,
    pub moved: MovedCounts,
    /// Explained breaches by rule, rules in alphabetical order; only rules
    /// with at least one.
    pub explained_breaches: Vec<Count>,
    /// The partnership's changes to the protocol (`rules:`), each with how
    /// many of the quarter's findings it lowered or turned off.
    pub protocol_changes: Vec<ProtocolChange>,
    pub actions: ActionCounts,
    pub measures: MeasureCounts,
    /// Children by role (rows) and age band (columns), suppressed.
    pub children: SuppressedTable,
    pub themes: Vec<ThemeCount>,
    pub learning: Vec<LearningItem>,
    /// This quarter and the three before it, oldest first: a small line of
    /// quarters for the charts.
    pub recent: Vec<QuarterPoint>,
    /// Set when this summary replaces one already sent to its forum
    /// ([`super::published::settle`]).
    pub reissue: Option<super::published::Reissue>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ForumInfo {
    pub id: String,
    pub name: String,
}

/// A labelled count: `key` is the id (a vocabulary id, an area as written, a
/// rule id), `label` how a reader would say it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Count {
    pub key: String,
    pub label: String,
    pub count: u32,
}

/// One entry of `rules:` as a summary reports it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProtocolChange {
    /// The rule id.
    pub key: String,
    pub label: String,
    /// `off`, `error`, `breach` or `warning`.
    pub level: String,
    /// The kind PROTOCOL.md gives the rule.
    pub protocol_kind: String,
    pub reason: String,
    /// Findings of the quarter this change lowered or turned off.
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContextCounts {
    pub active: u32,
    pub opened: u32,
    pub closed: u32,
    /// Every context type, in vocabulary order, zeros included.
    pub by_type: Vec<Count>,
    /// Every harm type of the vocabulary (built-in, then `harms:` of the
    /// settings), zeros included, then any other harm written, alphabetically.
    /// A context with two harm types counts under both.
    pub by_harm: Vec<Count>,
    /// Areas of the active contexts, alphabetically (as written).
    pub by_area: Vec<Count>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MeetingCounts {
    /// Initial and review conferences held.
    pub conferences_held: u32,
    pub initial_held: u32,
    pub review_held: u32,
    pub interim_held: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReviewCounts {
    /// Review dates falling in the quarter: on_time + late + overdue + upcoming.
    pub due: u32,
    pub on_time: u32,
    pub late: u32,
    pub overdue: u32,
    pub upcoming: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MovedCounts {
    pub moved: u32,
    pub within: u32,
    pub not_within: u32,
    /// `reschedule_within_days`, for the label ("within 14 days").
    pub within_days: u32,
}

/// Outcome measures of the active contexts with readings, by how they moved
/// from their baseline to their latest reading by the quarter's end.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MeasureCounts {
    pub improving: u32,
    pub steady: u32,
    pub worsening: u32,
    /// Of all three, those that measure the context itself (`level: context`).
    pub of_the_context: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionCounts {
    pub all: ActionRow,
    pub by_domain: Vec<ActionRow>,
    pub by_agency: Vec<ActionRow>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ActionRow {
    pub key: String,
    pub label: String,
    pub agreed: u32,
    pub done: u32,
    pub done_on_time: u32,
    pub overdue: u32,
}

impl ActionRow {
    fn new(key: &str, label: &str) -> Self {
        ActionRow {
            key: key.to_string(),
            label: label.to_string(),
            ..ActionRow::default()
        }
    }

    fn add(&mut self, t: &ActionTally) {
        self.agreed += u32::from(t.agreed);
        self.done += u32::from(t.done);
        self.done_on_time += u32::from(t.done_on_time);
        self.overdue += u32::from(t.overdue);
    }

    fn is_empty(&self) -> bool {
        self.agreed + self.done + self.done_on_time + self.overdue == 0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    New,
    Rising,
    Falling,
    Steady,
}

impl Trend {
    /// As printed: `new`, `rising`, `falling`, `steady`.
    pub fn as_str(self) -> &'static str {
        match self {
            Trend::New => "new",
            Trend::Rising => "rising",
            Trend::Falling => "falling",
            Trend::Steady => "steady",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ThemeCount {
    pub theme: String,
    pub label: String,
    pub count: u32,
    /// The count in the previous quarter.
    pub previous: u32,
    pub trend: Trend,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LearningItem {
    /// As written in the record.
    pub text: String,
    /// The context type id (`peer-group`), or empty when unknown.
    pub context_type: String,
    /// "peer group".
    pub context_type_label: String,
    pub area: String,
    /// Where it came from, as far as the summary may say: "a school context
    /// in St Budeaux", "a school context", "a context in St Budeaux" or "a
    /// context" (see `attribution`). Type and area are empty when withheld.
    pub from: String,
    pub themes: Vec<String>,
    /// Where the item's text is written: a leak found in a summary points here.
    #[serde(skip)]
    pub loc: crate::source::Loc,
}

/// A few counts of one quarter, for a line across quarters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuarterPoint {
    pub quarter: Quarter,
    pub contexts_active: u32,
    pub conferences_held: u32,
    pub interim_held: u32,
    pub learning_items: u32,
}

/// The summary of `quarter` for `forum`. `diagnostics` are the checked
/// diagnostics (only explained breaches are used); `today` the date checked
/// against; `children` the quarter's children table as
/// [`children_tables`](super::children_tables) protected it.
pub fn summarise(
    casebook: &Casebook,
    diagnostics: &[Diagnostic],
    turned_off: &[Diagnostic],
    today: Date,
    (quarter, forum): (Quarter, &Forum),
    children: SuppressedTable,
) -> QuarterSummary {
    let settings = &casebook.settings;
    let period = Period::new(quarter, today);
    let this = theme_counts(casebook, quarter, Some(&forum.id.value));
    let before = theme_counts(casebook, quarter.previous(), Some(&forum.id.value));
    QuarterSummary {
        quarter,
        previous_quarter: quarter.previous(),
        first_day: quarter.first_day().to_string(),
        last_day: quarter.last_day().to_string(),
        as_of: today.to_string(),
        in_progress: today <= quarter.last_day(),
        forum: ForumInfo {
            id: forum.id.value.clone(),
            name: forum.name.clone(),
        },
        partnership: settings.partnership.clone(),
        marking: settings.anonymised_marking.clone(),
        contexts: context_counts(casebook, quarter),
        meetings: meeting_counts(casebook, quarter),
        reviews: review_counts(casebook, &period),
        moved: moved_counts(casebook, quarter),
        explained_breaches: explained_breaches(casebook, diagnostics, quarter),
        protocol_changes: protocol_changes(casebook, diagnostics, turned_off, quarter),
        actions: action_counts(casebook, &period),
        measures: measure_counts(casebook, &period),
        children,
        themes: labelled(compare_themes(&this, &before), settings),
        learning: learning_for(casebook, quarter, &forum.id.value),
        recent: recent(casebook, quarter, &forum.id.value),
        reissue: None,
    }
}

// ---------------------------------------------------------------- helpers

/// Outcomes actions (not dropped) of the quarter's active contexts whose
/// measures have two readings or more by the end of the period.
fn measure_counts(cb: &Casebook, p: &Period) -> MeasureCounts {
    use crate::model::{MeasureLevel, Trend};
    let mut counts = MeasureCounts::default();
    for c in active_contexts(cb, p.quarter) {
        let actions = c.plan.iter().flat_map(|plan| &plan.actions);
        for a in actions.filter(|a| {
            a.domain
                .as_ref()
                .is_some_and(|d| d.value == Domain::Outcomes)
        }) {
            if a.status.as_ref().map(|s| s.value) == Some(ActionStatus::Dropped) {
                continue;
            }
            let Some(m) = &a.metric else { continue };
            let Some(trend) = m.trend_by(p.end) else {
                continue;
            };
            match trend {
                Trend::Improving => counts.improving += 1,
                Trend::Steady => counts.steady += 1,
                Trend::Worsening => counts.worsening += 1,
            }
            if m.level
                .as_ref()
                .is_some_and(|l| l.value == MeasureLevel::Context)
            {
                counts.of_the_context += 1;
            }
        }
    }
    counts
}

/// The quarter and how far into it the casebook reaches.
struct Period {
    quarter: Quarter,
    today: Date,
    /// The last day whose events count: the quarter's last day, or today
    /// while the quarter is in progress.
    end: Date,
}

impl Period {
    fn new(quarter: Quarter, today: Date) -> Self {
        Period {
            quarter,
            today,
            end: quarter.last_day().min(today),
        }
    }

    /// Whether a thing due on `due` is past due at the end: due on or before
    /// the last day of a past quarter, before today in the current one.
    fn past_due(&self, due: Date) -> bool {
        if self.today > self.quarter.last_day() {
            due <= self.quarter.last_day()
        } else {
            due < self.today
        }
    }
}

fn is_active(c: &Context, q: Quarter) -> bool {
    let Some(opened) = &c.opened else {
        return false;
    };
    let not_closed_before = c
        .closed
        .as_ref()
        .is_none_or(|closed| closed.value >= q.first_day());
    opened.value <= q.last_day() && not_closed_before
}

fn active_contexts(cb: &Casebook, q: Quarter) -> impl Iterator<Item = &Context> {
    cb.contexts.iter().filter(move |c| is_active(c, q))
}

fn held_in(cb: &Casebook, q: Quarter) -> impl Iterator<Item = (&Context, &Meeting)> {
    cb.contexts.iter().flat_map(move |c| {
        c.held_meetings()
            .filter(move |m| q.contains(m.date.value))
            .map(move |m| (c, m))
    })
}

use crate::text::humanise;

fn count(key: &str, label: impl Into<String>, n: u32) -> Count {
    Count {
        key: key.to_string(),
        label: label.into(),
        count: n,
    }
}

fn bump<K: Ord>(map: &mut BTreeMap<K, u32>, key: K) {
    let n = map.entry(key).or_insert(0);
    *n = n.saturating_add(1);
}

fn len(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------- contexts

fn context_counts(cb: &Casebook, q: Quarter) -> ContextCounts {
    let active: Vec<&Context> = active_contexts(cb, q).collect();
    let mut types = BTreeMap::new();
    let mut harms = BTreeMap::new();
    let mut areas = BTreeMap::new();
    for c in &active {
        if let Some(t) = &c.context_type {
            bump(&mut types, t.value);
        }
        let distinct: BTreeSet<&str> = c.harms.iter().map(|h| h.value.as_str()).collect();
        for h in distinct {
            bump(&mut harms, h.to_string());
        }
        if let Some(a) = &c.area {
            bump(&mut areas, a.value.trim().to_string());
        }
    }
    let by_type = ContextType::ALL
        .iter()
        .map(|&t| {
            let n = types.get(&t).copied().unwrap_or(0);
            count(t.as_str(), humanise(t.label()), n)
        })
        .collect();
    let mut vocabulary: Vec<String> = HARMS.iter().map(|h| h.to_string()).collect();
    for h in &cb.settings.harms {
        if !vocabulary.contains(&h.value) {
            vocabulary.push(h.value.clone());
        }
    }
    let mut by_harm: Vec<Count> = vocabulary
        .iter()
        .map(|h| count(h, humanise(h), harms.remove(h).unwrap_or(0)))
        .collect();
    by_harm.extend(harms.iter().map(|(h, &n)| count(h, humanise(h), n)));
    let on = |d: Option<Date>| d.is_some_and(|d| q.contains(d));
    ContextCounts {
        active: len(active.len()),
        opened: len(cb
            .contexts
            .iter()
            .filter(|c| on(c.opened.as_ref().map(|d| d.value)))
            .count()),
        closed: len(cb
            .contexts
            .iter()
            .filter(|c| on(c.closed.as_ref().map(|d| d.value)))
            .count()),
        by_type,
        by_harm,
        by_area: areas.iter().map(|(a, &n)| count(a, a.clone(), n)).collect(),
    }
}

// ---------------------------------------------------------------- meetings

fn meeting_counts(cb: &Casebook, q: Quarter) -> MeetingCounts {
    let mut m = MeetingCounts {
        conferences_held: 0,
        initial_held: 0,
        review_held: 0,
        interim_held: 0,
    };
    for (_, meeting) in held_in(cb, q) {
        match meeting.kind.value {
            MeetingKind::Initial => m.initial_held += 1,
            MeetingKind::Review => m.review_held += 1,
            MeetingKind::Interim => m.interim_held += 1,
        }
    }
    m.conferences_held = m.initial_held + m.review_held;
    m
}

/// The reviews of a context agreed for a date in the quarter, each date once.
fn reviews_due(c: &Context, q: Quarter) -> BTreeMap<Date, Review<'_>> {
    let mut out = BTreeMap::new();
    for r in review::reviews(c) {
        if q.contains(r.agreed.value) && r.owed() {
            out.entry(r.agreed.value).or_insert(r);
        }
    }
    out
}

fn review_counts(cb: &Casebook, p: &Period) -> ReviewCounts {
    let mut r = ReviewCounts {
        due: 0,
        on_time: 0,
        late: 0,
        overdue: 0,
        upcoming: 0,
    };
    for c in &cb.contexts {
        for review in reviews_due(c, p.quarter).values() {
            r.due += 1;
            // A casebook that builds has every file read.
            match review.standing(p.today) {
                Some(Standing::OnTime) => r.on_time += 1,
                Some(Standing::HeldAfterMove) => r.late += 1,
                Some(Standing::Overdue) | None => r.overdue += 1,
                Some(Standing::Scheduled | Standing::ToArrange) => r.upcoming += 1,
            }
        }
    }
    r
}

fn moved_counts(cb: &Casebook, q: Quarter) -> MovedCounts {
    let days = cb.settings.protocol.reschedule_within_days;
    let mut out = MovedCounts {
        moved: 0,
        within: 0,
        not_within: 0,
        within_days: days,
    };
    let moved = cb.contexts.iter().flat_map(|c| &c.meetings).filter(|m| {
        m.status.value == MeetingStatus::Moved && m.is_conference() && q.contains(m.date.value)
    });
    for m in moved {
        out.moved += 1;
        let to = m
            .moved
            .as_ref()
            .and_then(|mv| mv.to.as_ref())
            .map(|t| t.value);
        if to.is_some_and(|to| review::moved_in_time(m.date.value, to, days)) {
            out.within += 1;
        } else {
            out.not_within += 1;
        }
    }
    out
}

// ---------------------------------------------------------------- breaches

/// The date an explained breach belongs to (see the module docs).
fn breach_date(cb: &Casebook, d: &Diagnostic) -> Option<Date> {
    let file = d.loc.file;
    for c in &cb.contexts {
        if let Some(m) = c.meetings.iter().find(|m| m.file == file) {
            let missed = m
                .review
                .as_ref()
                .and_then(|r| r.date.as_ref())
                .filter(|r| d.rule == RuleId::ReviewHeld && r.loc == d.loc);
            return Some(missed.map_or(m.date.value, |r| r.value));
        }
        if let Some(plan) = c.plan.as_ref().filter(|p| p.file == Some(file)) {
            return action_at(&plan.actions, d.loc.start)?
                .agreed
                .as_ref()
                .map(|a| a.value);
        }
    }
    None
}

/// The action a byte offset of plan.yaml falls in: the last one starting at
/// or before it (actions are read in file order).
fn action_at(actions: &[Action], offset: usize) -> Option<&Action> {
    actions
        .iter()
        .filter(|a| a.loc.start <= offset)
        .max_by_key(|a| a.loc.start)
}

/// Every change of `rules:`, with the findings of the quarter it lowered
/// (reported at a lower kind than PROTOCOL.md gives) or turned off.
fn protocol_changes(
    cb: &Casebook,
    diagnostics: &[Diagnostic],
    turned_off: &[Diagnostic],
    q: Quarter,
) -> Vec<ProtocolChange> {
    cb.settings
        .rules
        .iter()
        .map(|change| {
            let rule = change.rule.value;
            let lowered = diagnostics
                .iter()
                .filter(|d| d.rule == rule && d.changed_from.is_some_and(|k| k < d.kind));
            let count = lowered
                .chain(turned_off.iter().filter(|d| d.rule == rule))
                .filter(|d| breach_date(cb, d).is_some_and(|date| q.contains(date)))
                .count();
            ProtocolChange {
                key: rule.as_str().to_string(),
                label: crate::rules::catalogue::of(rule).summary_for(&cb.settings.protocol),
                level: change.level_name().to_string(),
                protocol_kind: rule.kind().as_str().to_string(),
                reason: change.reason().to_string(),
                count: u32::try_from(count).unwrap_or(u32::MAX),
            }
        })
        .collect()
}

fn explained_breaches(cb: &Casebook, diagnostics: &[Diagnostic], q: Quarter) -> Vec<Count> {
    let mut by_rule = BTreeMap::new();
    for d in diagnostics {
        if d.kind != Kind::Breach || !d.is_explained() {
            continue;
        }
        if breach_date(cb, d).is_some_and(|date| q.contains(date)) {
            bump(&mut by_rule, d.rule.as_str());
        }
    }
    by_rule
        .into_iter()
        .map(|(rule, n)| {
            let label = crate::rules::rule(rule).map_or_else(
                || rule.to_string(),
                |r| r.summary_for(&cb.settings.protocol),
            );
            count(rule, label, n)
        })
        .collect()
}

// ---------------------------------------------------------------- actions

/// What one action adds to the counts of a quarter.
struct ActionTally {
    agreed: bool,
    done: bool,
    done_on_time: bool,
    overdue: bool,
}

fn tally(c: &Context, a: &Action, p: &Period) -> ActionTally {
    let date = |d: &Option<crate::source::Sp<Date>>| d.as_ref().map(|d| d.value);
    let (agreed, due, done_on) = (date(&a.agreed), date(&a.due), date(&a.done));
    let status = a.status.as_ref().map(|s| s.value);
    let is_done = status == Some(ActionStatus::Done);
    let done = is_done && done_on.is_some_and(|d| p.quarter.contains(d));
    let done_by_end = is_done && done_on.is_some_and(|d| d <= p.end);
    let overdue = status != Some(ActionStatus::Dropped)
        && agreed.is_none_or(|d| d <= p.end)
        && due.is_some_and(|d| p.past_due(d))
        && !done_by_end
        && !c.closed_by(p.end);
    ActionTally {
        agreed: agreed.is_some_and(|d| p.quarter.contains(d)),
        done,
        done_on_time: done && matches!((done_on, due), (Some(d), Some(due)) if d <= due),
        overdue,
    }
}

fn action_counts(cb: &Casebook, p: &Period) -> ActionCounts {
    let mut all = ActionRow::new("all", "All actions");
    let mut domains: Vec<ActionRow> = Domain::ALL
        .iter()
        .map(|d| ActionRow::new(d.as_str(), d.title()))
        .collect();
    let mut agencies: BTreeMap<String, ActionRow> = BTreeMap::new();
    for c in &cb.contexts {
        let Some(plan) = &c.plan else { continue };
        for a in &plan.actions {
            let t = tally(c, a, p);
            all.add(&t);
            if let Some(d) = &a.domain
                && let Some(row) = domains.iter_mut().find(|r| r.key == d.value.as_str())
            {
                row.add(&t);
            }
            if let Some(agency) = a.owner.as_ref().and_then(|o| o.agency.as_ref()) {
                let id = &agency.value;
                let label = cb
                    .settings
                    .agency(id)
                    .map_or(id.as_str(), |a| a.summary_name());
                agencies
                    .entry(id.clone())
                    .or_insert_with(|| ActionRow::new(id, label))
                    .add(&t);
            }
        }
    }
    // Agencies in the order the partnership lists them, then any other.
    let mut by_agency = Vec::new();
    for a in &cb.settings.agencies {
        if let Some(row) = agencies.remove(&a.id.value) {
            by_agency.push(row);
        }
    }
    by_agency.extend(agencies.into_values());
    by_agency.retain(|r| !r.is_empty());
    ActionCounts {
        all,
        by_domain: domains,
        by_agency,
    }
}

// ---------------------------------------------------------------- children

/// Row labels of the children table, in role order.
pub const ROLE_LABELS: &[&str] = &["Affected", "Alleged harmer", "Both"];
/// Column labels of the children table.
pub const AGE_BANDS: &[&str] = &["10-13", "14-15", "16-17", "Other"];

fn role_row(role: YoungPersonRole) -> usize {
    match role {
        YoungPersonRole::Affected => 0,
        YoungPersonRole::AllegedHarmer => 1,
        YoungPersonRole::Both => 2,
    }
}

fn age_column(age: Option<u32>) -> usize {
    match age {
        Some(10..=13) => 0,
        Some(14..=15) => 1,
        Some(16..=17) => 2,
        _ => 3,
    }
}

fn merge_roles(a: YoungPersonRole, b: YoungPersonRole) -> YoungPersonRole {
    if a == b { a } else { YoungPersonRole::Both }
}

/// The raw counts of children linked to the contexts active in the quarter,
/// by role and age band. NOT for publication: the summaries publish them
/// only through [`protect`](super::suppress::protect).
pub fn children_counts(cb: &Casebook, q: Quarter) -> CountTable {
    let mut children: BTreeMap<&str, (YoungPersonRole, Option<u32>)> = BTreeMap::new();
    let (first, last) = (q.first_day(), q.last_day());
    for c in active_contexts(cb, q) {
        // Only children linked during the quarter, aged at its end: a
        // quarter's figures stay as they were when a child is linked later.
        let linked = c
            .young_people
            .iter()
            .filter(|y| y.linked_during(c, first, last));
        for y in linked {
            let Some(role) = y.role.as_ref().map(|r| r.value) else {
                continue;
            };
            let age = y.age_on(last);
            children
                .entry(y.reference.value.trim())
                .and_modify(|(r, a)| {
                    *r = merge_roles(*r, role);
                    *a = (*a).max(age);
                })
                .or_insert((role, age));
        }
    }
    let mut table = CountTable::zeros(ROLE_LABELS, AGE_BANDS);
    for (role, age) in children.values() {
        table.add_one(role_row(*role), age_column(*age));
    }
    table
}

// ---------------------------------------------------------------- themes

/// Each theme of the learning items of meetings held in the quarter (those
/// addressed to `forum`, or all of them), with the
/// number of items that name it.
pub fn theme_counts(cb: &Casebook, q: Quarter, forum: Option<&str>) -> BTreeMap<String, u32> {
    let mut themes = BTreeMap::new();
    for (_, m) in held_in(cb, q) {
        // A theme reaches only the forums its item names: it is the item's
        // words, which its author shared with them and no one else.
        let shared = |item: &&crate::model::Learning| {
            forum.is_none_or(|f| item.forums.iter().any(|x| x.value == f))
        };
        for item in m.learning.iter().filter(shared) {
            let distinct: BTreeSet<&str> = item
                .themes
                .iter()
                .map(|t| t.value.trim())
                .filter(|t| !t.is_empty())
                .collect();
            for t in distinct {
                bump(&mut themes, t.to_string());
            }
        }
    }
    themes
}

/// Themes with the labels of `themes:`, where the casebook lists them.
fn labelled(mut themes: Vec<ThemeCount>, settings: &crate::model::Settings) -> Vec<ThemeCount> {
    for t in &mut themes {
        if let Some(v) = settings.themes.iter().find(|v| v.id.value == t.theme) {
            t.label = v.label.clone();
        }
    }
    themes
}

/// Themes of this quarter against the previous one (see the module docs).
pub fn compare_themes(
    this: &BTreeMap<String, u32>,
    before: &BTreeMap<String, u32>,
) -> Vec<ThemeCount> {
    let names: BTreeSet<&String> = this.keys().chain(before.keys()).collect();
    let mut out: Vec<ThemeCount> = names
        .into_iter()
        .map(|theme| {
            let count = this.get(theme).copied().unwrap_or(0);
            let previous = before.get(theme).copied().unwrap_or(0);
            let trend = match (previous, count) {
                (0, _) => Trend::New,
                (p, n) if n > p => Trend::Rising,
                (p, n) if n < p => Trend::Falling,
                _ => Trend::Steady,
            };
            ThemeCount {
                theme: theme.clone(),
                label: humanise(theme),
                count,
                previous,
                trend,
            }
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.theme.cmp(&b.theme)));
    out
}

// ---------------------------------------------------------------- learning

/// How much of where a learning item came from a summary may say: its
/// context's type and area only when at least `suppress_below` active
/// contexts of the quarter share them, so the attribution points at none in
/// particular; else the type alone, or the area alone, whichever is as
/// safe; else neither.
fn attribution(active: &[&Context], c: &Context, threshold: u32) -> (bool, bool) {
    let ty = c.context_type.as_ref().map(|t| t.value);
    let area = c.area.as_ref().map(|a| a.value.trim().to_lowercase());
    let same_type = |x: &&&Context| ty.is_some() && x.context_type.as_ref().map(|t| t.value) == ty;
    let same_area = |x: &&&Context| {
        area.is_some() && x.area.as_ref().map(|a| a.value.trim().to_lowercase()) == area
    };
    let enough = |n: usize| u32::try_from(n).unwrap_or(u32::MAX) >= threshold;
    let both = active
        .iter()
        .filter(|x| same_type(x) && same_area(x))
        .count();
    if enough(both) {
        (true, true)
    } else if enough(active.iter().filter(same_type).count()) {
        (true, false)
    } else if enough(active.iter().filter(same_area).count()) {
        (false, true)
    } else {
        (false, false)
    }
}

fn learning_for(cb: &Casebook, q: Quarter, forum: &str) -> Vec<LearningItem> {
    let active: Vec<&Context> = active_contexts(cb, q).collect();
    let threshold = cb.settings.suppress_below.max(2);
    let mut held: Vec<(&Context, &Meeting)> = held_in(cb, q).collect();
    // Date order; contexts are already in id order, so ties stay stable.
    held.sort_by_key(|(_, m)| m.date.value);
    let mut out = Vec::new();
    for (c, m) in held {
        for item in &m.learning {
            if !item.forums.iter().any(|f| f.value == forum) {
                continue;
            }
            let (show_type, show_area) = attribution(&active, c, threshold);
            let t = c
                .context_type
                .as_ref()
                .map(|t| t.value)
                .filter(|_| show_type);
            let area = c
                .area
                .as_ref()
                .filter(|_| show_area)
                .map_or(String::new(), |a| a.value.clone());
            let from = match (t, area.as_str()) {
                (Some(t), "") => format!("a {} context", t.label().to_lowercase()),
                (Some(t), a) => format!("a {} context in {a}", t.label().to_lowercase()),
                (None, "") => "a context".to_string(),
                (None, a) => format!("a context in {a}"),
            };
            out.push(LearningItem {
                text: item.text.value.clone(),
                context_type: t.map_or(String::new(), |t| t.as_str().to_string()),
                context_type_label: t.map_or("context", |t| t.label()).to_string(),
                area,
                from,
                themes: item.themes.iter().map(|t| t.value.clone()).collect(),
                loc: item.text.loc,
            });
        }
    }
    out
}

// ---------------------------------------------------------------- recent

/// A quarter's counts; its learning items are those addressed to `forum`,
/// as the summary's headline counts them.
fn point(cb: &Casebook, q: Quarter, forum: &str) -> QuarterPoint {
    let meetings = meeting_counts(cb, q);
    let for_forum = |m: &Meeting| {
        m.learning
            .iter()
            .filter(|l| l.forums.iter().any(|f| f.value == forum))
            .count()
    };
    QuarterPoint {
        quarter: q,
        contexts_active: len(active_contexts(cb, q).count()),
        conferences_held: meetings.conferences_held,
        interim_held: meetings.interim_held,
        learning_items: len(held_in(cb, q).map(|(_, m)| for_forum(m)).sum()),
    }
}

/// The quarter of the casebook's first record (a context opened, a meeting
/// dated): no line goes back before it, where its zeros would mean nothing.
fn first_quarter(cb: &Casebook) -> Option<Quarter> {
    let opened = cb.contexts.iter().filter_map(|c| c.opened.as_ref());
    let met = cb
        .contexts
        .iter()
        .flat_map(|c| &c.meetings)
        .map(|m| &m.date);
    opened.chain(met).map(|d| d.value).min().map(Quarter::of)
}

/// Up to four quarters to `q`, none before the casebook's first record.
fn recent(cb: &Casebook, q: Quarter, forum: &str) -> Vec<QuarterPoint> {
    let first = first_quarter(cb).unwrap_or(q).min(q);
    let mut quarters = vec![q];
    for _ in 0..3 {
        let Some(&oldest) = quarters.last() else {
            break;
        };
        let prev = oldest.previous();
        if prev == oldest || prev < first {
            break;
        }
        quarters.push(prev);
    }
    quarters.reverse();
    quarters.into_iter().map(|q| point(cb, q, forum)).collect()
}
