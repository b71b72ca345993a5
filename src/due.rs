//! What is due and overdue: the one answer that `status`, the dashboard and
//! the calendar all show, so the three can never disagree.
//!
//! Everything is reckoned from a [`Checked`] casebook and its `today`:
//!
//! - meetings scheduled in the next [`UPCOMING_DAYS`] days;
//! - the review each open context owes: the date agreed at its last held
//!   conference (followed through `moved.to`), and whether a review
//!   conference is recorded for it (the reading of rule `review-held`);
//! - open actions overdue or due within [`DUE_SOON_DAYS`] days, the same
//!   marks the action plans show;
//! - the files with errors or unexplained breaches.
//!
//! A closed context owes nothing. A [`Filter`] narrows every list to what
//! concerns one agency or one person.

use crate::Checked;
use crate::deadline::Mark;
use crate::deadline::review::{self, Review, Standing, last_held_conference};
use crate::model::{
    Action, ActionStatus, Casebook, Context, Date, Meeting, MeetingStatus, Settings,
};
use serde::{Serialize, Serializer};

pub use crate::deadline::DUE_SOON_DAYS;

/// How far ahead "meetings coming up" looks.
pub const UPCOMING_DAYS: i64 = 28;

// ---------------------------------------------------------------- filter

/// Whose work to show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    Everyone,
    /// An agency id of contextpack.yaml.
    Agency(String),
    /// A person id of contextpack.yaml.
    Person(String),
}

impl Filter {
    /// Whether an owner, invitee or chair (`agency`, `person`) is this filter's.
    /// A person given without an agency counts for the agency they work for.
    fn matches(&self, settings: &Settings, agency: Option<&str>, person: Option<&str>) -> bool {
        match self {
            Filter::Everyone => true,
            Filter::Person(p) => person == Some(p.as_str()),
            Filter::Agency(a) => {
                let of_person = person
                    .and_then(|p| settings.person(p))
                    .map(|p| p.agency.value.as_str());
                agency == Some(a.as_str()) || (agency.is_none() && of_person == Some(a.as_str()))
            }
        }
    }

    /// The context's lead practitioner is this filter's (or works for its agency).
    fn leads(&self, settings: &Settings, c: &Context) -> bool {
        let lead = c.lead_practitioner.as_ref().map(|l| l.value.as_str());
        match self {
            Filter::Everyone => true,
            Filter::Person(p) => lead == Some(p.as_str()),
            Filter::Agency(_) => lead.is_some() && self.matches(settings, None, lead),
        }
    }

    /// The meeting involves this filter's agency or person: as chair, as an
    /// invitee, or as the context's lead practitioner.
    fn in_meeting(&self, settings: &Settings, c: &Context, m: &Meeting) -> bool {
        if self.leads(settings, c) {
            return true;
        }
        let chair = m.chair.as_ref().map(|p| p.value.as_str());
        let chaired = chair.is_some() && self.matches(settings, None, chair);
        let invited = m.invited.as_ref().is_some_and(|list| {
            list.value.iter().any(|i| {
                let person = i.person.as_ref().map(|p| p.value.as_str());
                self.matches(settings, Some(&i.agency.value), person)
            })
        });
        chaired || invited
    }

    /// The action is owned by this filter's agency or person.
    fn owns(&self, settings: &Settings, a: &Action) -> bool {
        let Some(owner) = &a.owner else {
            return *self == Filter::Everyone;
        };
        let agency = owner.agency.as_ref().map(|x| x.value.as_str());
        let person = owner.person.as_ref().map(|x| x.value.as_str());
        self.matches(settings, agency, person)
    }

    /// The context concerns this filter at all: it leads it, owns an action
    /// in it, or is asked to one of its meetings.
    fn concerns(&self, settings: &Settings, c: &Context) -> bool {
        self.leads(settings, c)
            || c.plan
                .as_ref()
                .is_some_and(|p| p.actions.iter().any(|a| self.owns(settings, a)))
            || c.meetings.iter().any(|m| self.in_meeting(settings, c, m))
    }
}

// ---------------------------------------------------------------- what is due

/// Everything due, for one filter on one day. Serialised as-is by
/// `status --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct Due {
    #[serde(serialize_with = "date")]
    pub today: Date,
    pub upcoming_days: i64,
    pub due_soon_days: i64,
    /// Meetings scheduled from today to `upcoming_days` ahead, by date.
    pub meetings: Vec<MeetingDue>,
    /// Reviews overdue, with no record or no date, or coming up within
    /// `upcoming_days`, by date.
    pub reviews: Vec<ReviewDue>,
    /// Open actions overdue or due within `due_soon_days`, by due date.
    pub actions: Vec<ActionDue>,
    /// Files with errors or unexplained breaches, by path.
    pub records_with_errors: Vec<RecordErrors>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeetingDue {
    pub context: String,
    pub context_title: String,
    /// The file name without `.md`: `2026-12-02-review`.
    pub meeting: String,
    /// `initial`, `review` or `interim`.
    pub kind: &'static str,
    /// "Review conference".
    pub kind_label: &'static str,
    #[serde(serialize_with = "date")]
    pub date: Date,
    /// `HH:MM`, when recorded.
    pub start: Option<String>,
    pub end: Option<String>,
    pub venue: Option<String>,
    /// Days from today (0 is today).
    pub days: i64,
}

/// Where a context's next review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewState {
    /// A review conference is recorded as scheduled for the date, not yet past.
    Scheduled,
    /// The date is still ahead but no review conference is recorded for it.
    ToArrange,
    /// The date has passed and no review was held (or it is still marked
    /// scheduled).
    Overdue,
    /// The last held conference set no review date.
    NoDate,
}

impl ReviewState {
    pub fn label(self) -> &'static str {
        match self {
            ReviewState::Scheduled => "Scheduled",
            ReviewState::ToArrange => "To arrange: no record yet",
            ReviewState::Overdue => "Overdue",
            ReviewState::NoDate => "No review date set",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewDue {
    pub context: String,
    pub context_title: String,
    /// The held conference that agreed the review.
    #[serde(serialize_with = "date")]
    pub agreed_at: Date,
    /// The date agreed, after any moves; `None` when no date was set.
    #[serde(serialize_with = "opt_date")]
    pub date: Option<Date>,
    pub state: ReviewState,
    /// Days from today to `date`; negative when past.
    pub days: Option<i64>,
    /// The review conference's record, when there is one.
    pub meeting: Option<String>,
    /// Who sends the invitations (a person id or a name).
    pub invitations_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionDue {
    pub context: String,
    pub context_title: String,
    pub id: String,
    pub action: String,
    pub owner: OwnerDue,
    #[serde(serialize_with = "date")]
    pub due: Date,
    /// Days from today to the due date; negative when overdue.
    pub days: i64,
    /// `overdue` or `due-soon`, the action plans' marks.
    pub state: &'static str,
    /// `planned` or `in-progress`.
    pub status: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct OwnerDue {
    /// The agency id, as written or from the person.
    pub agency: Option<String>,
    pub agency_name: Option<String>,
    pub person: Option<String>,
    /// The person's name or the free-text name.
    pub name: Option<String>,
}

impl OwnerDue {
    /// "Jo Smith, Children's Social Care", "Youth Service", or "No owner".
    pub fn label(&self) -> String {
        match (&self.name, &self.agency_name) {
            (Some(n), Some(a)) => format!("{n}, {a}"),
            (Some(n), None) => n.clone(),
            (None, Some(a)) => a.clone(),
            (None, None) => "No owner".to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordErrors {
    /// Casebook-relative path.
    pub file: String,
    /// The context the file belongs to; `None` for casebook-wide files.
    pub context: Option<String>,
    pub errors: usize,
    pub breaches: usize,
}

// ---------------------------------------------------------------- status

/// Whose work `contextpack status` is asked about, as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who<'a> {
    Everyone,
    Agency(&'a str),
    Person(&'a str),
}

/// Why the status could not be worked out.
#[derive(Debug)]
pub enum StatusError {
    /// The casebook cannot be read at all.
    Casebook(crate::load::FatalError),
    /// The agency or person asked about is not in contextpack.yaml.
    Unknown {
        /// `agency` or `person`.
        what: &'static str,
        id: String,
        /// What to type instead: the nearest id, or the list.
        help: String,
    },
}

/// What `contextpack status` shows: everything due, for whom.
#[derive(Debug)]
pub struct Status {
    pub checked: Checked,
    pub filter: Filter,
    pub due: Due,
}

/// `contextpack status` as one call: checks the casebook and works out
/// what is due for `who`.
pub fn status(
    casebook: &std::path::Path,
    today: Option<Date>,
    who: Who,
) -> Result<Status, StatusError> {
    let checked = crate::check_casebook(casebook, today).map_err(StatusError::Casebook)?;
    let filter = Filter::of(who, &checked.casebook.settings)?;
    let due = due(&checked, &filter);
    Ok(Status {
        checked,
        filter,
        due,
    })
}

impl Filter {
    /// The filter for `who`, when contextpack.yaml knows them.
    pub fn of(who: Who, settings: &Settings) -> Result<Filter, StatusError> {
        let known = |id: &str, ids: Vec<&str>, what: &'static str, list: &str| {
            if ids.contains(&id) {
                return Ok(());
            }
            let help = match crate::text::nearest(id, &ids) {
                Some(k) => format!("did you mean `{k}`?"),
                None if ids.is_empty() => format!("contextpack.yaml lists no {list}"),
                None => format!("the {list} of contextpack.yaml are: {}", ids.join(", ")),
            };
            Err(StatusError::Unknown {
                what,
                id: id.to_string(),
                help,
            })
        };
        match who {
            Who::Everyone => Ok(Filter::Everyone),
            Who::Agency(a) => {
                let ids = settings
                    .agencies
                    .iter()
                    .map(|x| x.id.value.as_str())
                    .collect();
                known(a, ids, "agency", "agencies")?;
                Ok(Filter::Agency(a.to_string()))
            }
            Who::Person(p) => {
                let ids = settings
                    .people
                    .iter()
                    .map(|x| x.id.value.as_str())
                    .collect();
                known(p, ids, "person", "people")?;
                Ok(Filter::Person(p.to_string()))
            }
        }
    }
}

/// What is due on `checked.today` for `filter`.
pub fn due(checked: &Checked, filter: &Filter) -> Due {
    let cb = &checked.casebook;
    let today = checked.today;
    Due {
        today,
        upcoming_days: UPCOMING_DAYS,
        due_soon_days: DUE_SOON_DAYS,
        meetings: upcoming_meetings(cb, today, filter),
        reviews: reviews(cb, today, filter)
            .into_iter()
            .filter(needs_attention)
            .collect(),
        actions: actions(cb, today, filter),
        records_with_errors: records_with_errors(checked, filter),
    }
}

fn open_contexts(cb: &Casebook, today: Date) -> impl Iterator<Item = &Context> {
    cb.contexts.iter().filter(move |c| !c.closed_by(today))
}

/// Days from `today` to `date`.
pub fn days_from(today: Date, date: Date) -> i64 {
    (date - today).num_days()
}

// ---------------------------------------------------------------- meetings

pub fn meeting_due(c: &Context, m: &Meeting, today: Date) -> MeetingDue {
    MeetingDue {
        context: c.id.clone(),
        context_title: c.title_text().to_string(),
        meeting: m.name.clone(),
        kind: m.kind.value.as_str(),
        kind_label: m.kind.value.label(),
        date: m.date.value,
        start: m
            .start
            .as_ref()
            .map(|t| t.value.format("%H:%M").to_string()),
        end: m.end.as_ref().map(|t| t.value.format("%H:%M").to_string()),
        venue: m.venue.as_ref().map(|v| v.value.clone()),
        days: days_from(today, m.date.value),
    }
}

/// Scheduled meetings of open contexts from today to [`UPCOMING_DAYS`] ahead.
pub fn upcoming_meetings(cb: &Casebook, today: Date, filter: &Filter) -> Vec<MeetingDue> {
    let mut out: Vec<MeetingDue> = open_contexts(cb, today)
        .flat_map(|c| c.meetings.iter().map(move |m| (c, m)))
        .filter(|(_, m)| m.status.value == MeetingStatus::Scheduled)
        .filter(|(_, m)| (0..=UPCOMING_DAYS).contains(&days_from(today, m.date.value)))
        .filter(|(c, m)| filter.in_meeting(&cb.settings, c, m))
        .map(|(c, m)| meeting_due(c, m, today))
        .collect();
    out.sort_by(|a, b| (a.date, &a.start, &a.context).cmp(&(b.date, &b.start, &b.context)));
    out
}

/// The last meeting held on or before `today`.
pub fn last_held(c: &Context, today: Date) -> Option<&Meeting> {
    c.meetings
        .iter()
        .filter(|m| m.is_held() && m.date.value <= today)
        .max_by_key(|m| m.date.value)
}

/// The first meeting scheduled for `today` or later.
pub fn next_scheduled(c: &Context, today: Date) -> Option<&Meeting> {
    c.meetings
        .iter()
        .filter(|m| m.status.value == MeetingStatus::Scheduled && m.date.value >= today)
        .min_by_key(|m| m.date.value)
}

// ---------------------------------------------------------------- reviews

/// The review each open context owes, whatever its date, in date order.
/// A context with no held conference owes no review yet.
pub fn reviews(cb: &Casebook, today: Date, filter: &Filter) -> Vec<ReviewDue> {
    let mut out: Vec<ReviewDue> = open_contexts(cb, today)
        .filter_map(|c| review_of(c, today).map(|r| (c, r)))
        .filter(|(c, _)| review_concerns(&cb.settings, filter, c))
        .map(|(_, r)| r)
        .collect();
    out.sort_by(|a, b| (a.date, &a.context).cmp(&(b.date, &b.context)));
    out
}

/// Reviews worth a reader's time: anything not yet in order, and scheduled
/// ones coming up soon.
fn needs_attention(r: &ReviewDue) -> bool {
    r.state != ReviewState::Scheduled || r.days.is_some_and(|d| d <= UPCOMING_DAYS)
}

/// The agencies the last held conference asked to the review, its
/// invitations, and the lead practitioner all make a review this filter's.
fn review_concerns(settings: &Settings, filter: &Filter, c: &Context) -> bool {
    if filter.leads(settings, c) {
        return true;
    }
    let Some(review) = last_held_conference(c).and_then(|m| m.review.as_ref()) else {
        return false;
    };
    let invites = review.invitations_by.as_ref().map(|i| i.value.as_str());
    let asked = review.agencies.as_ref().is_some_and(|a| {
        a.value
            .iter()
            .any(|x| filter.matches(settings, Some(&x.value), None))
    });
    asked || (invites.is_some() && filter.matches(settings, None, invites))
}

/// Where the review agreed at the context's last held conference stands;
/// `None` when nothing is owed (no conference held, the review already held,
/// the context closed by the review date, or a file of it unreadable).
fn review_of(c: &Context, today: Date) -> Option<ReviewDue> {
    let conference = last_held_conference(c)?;
    let invitations_by = conference
        .review
        .as_ref()
        .and_then(|r| r.invitations_by.as_ref())
        .map(|i| i.value.clone());
    let base = ReviewDue {
        context: c.id.clone(),
        context_title: c.title_text().to_string(),
        agreed_at: conference.date.value,
        date: None,
        state: ReviewState::NoDate,
        days: None,
        meeting: None,
        invitations_by,
    };
    let Some(review) = review::agreed_at(c, conference) else {
        return Some(base);
    };
    if !review.owed() {
        return None;
    }
    let state = match review.standing(today)? {
        Standing::OnTime | Standing::HeldAfterMove => return None,
        Standing::Scheduled => ReviewState::Scheduled,
        Standing::ToArrange => ReviewState::ToArrange,
        Standing::Overdue => ReviewState::Overdue,
    };
    let last = review.last();
    Some(ReviewDue {
        date: Some(last.date),
        state,
        days: Some(days_from(today, last.date)),
        meeting: last
            .record
            .filter(|m| m.status.value != MeetingStatus::Cancelled)
            .map(|m| m.name.clone()),
        ..base
    })
}

/// The review deadlines for the calendar: every review a held conference
/// agreed, on the date it now stands at (after moves), unless the context
/// closed by then.
pub fn review_deadlines(c: &Context) -> impl Iterator<Item = Review<'_>> {
    review::reviews(c).filter(Review::owed)
}

// ---------------------------------------------------------------- actions

/// Open actions of open contexts overdue or due within [`DUE_SOON_DAYS`],
/// marked as the action plans mark them.
pub fn actions(cb: &Casebook, today: Date, filter: &Filter) -> Vec<ActionDue> {
    let mut out: Vec<ActionDue> = open_contexts(cb, today)
        .flat_map(|c| {
            c.plan
                .iter()
                .flat_map(move |p| p.actions.iter().map(move |a| (c, a)))
        })
        .filter(|(_, a)| a.is_open() && filter.owns(&cb.settings, a))
        .filter_map(|(c, a)| action_due(&cb.settings, c, a, today))
        .filter(|a| a.state != "on-track")
        .collect();
    out.sort_by(|a, b| (a.due, &a.context, &a.id).cmp(&(b.due, &b.context, &b.id)));
    out
}

/// An open action with a due date, as the lists show it.
pub fn action_due(settings: &Settings, c: &Context, a: &Action, today: Date) -> Option<ActionDue> {
    let due = a.due.as_ref()?.value;
    Some(ActionDue {
        context: c.id.clone(),
        context_title: c.title_text().to_string(),
        id: a.id.value.clone(),
        action: a.action.value.clone(),
        owner: owner_of(settings, a),
        due,
        days: days_from(today, due),
        state: Mark::of(a, today).key,
        status: match a.status.as_ref().map(|s| s.value) {
            Some(ActionStatus::InProgress) => "in-progress",
            Some(ActionStatus::Done) => "done",
            Some(ActionStatus::Dropped) => "dropped",
            None | Some(ActionStatus::Planned) => "planned",
        },
    })
}

/// Who owns an action: the agency (written, or the person's), the name.
pub fn owner_of(settings: &Settings, a: &Action) -> OwnerDue {
    let owner = a.owner.as_ref();
    let person_id = owner
        .and_then(|o| o.person.as_ref())
        .map(|p| p.value.clone());
    let person = person_id.as_deref().and_then(|p| settings.person(p));
    let agency = owner
        .and_then(|o| o.agency.as_ref())
        .map(|x| x.value.clone())
        .or_else(|| person.map(|p| p.agency.value.clone()));
    let name = person
        .map(|p| p.name.value.clone())
        .or_else(|| owner.and_then(|o| o.name.as_ref()).map(|n| n.value.clone()))
        .or_else(|| person_id.clone());
    OwnerDue {
        agency_name: agency.as_deref().map(|id| {
            settings
                .agency(id)
                .map_or_else(|| id.to_string(), |a| a.name.clone())
        }),
        agency,
        person: person_id,
        name,
    }
}

// ---------------------------------------------------------------- records

/// Files with errors or unexplained breaches (warnings aside): those of the
/// contexts that concern the filter, and casebook-wide files always, since
/// they hold up everything.
pub fn records_with_errors(checked: &Checked, filter: &Filter) -> Vec<RecordErrors> {
    let cb = &checked.casebook;
    checked
        .failures_by_file()
        .into_iter()
        // A diagnostic of a file the casebook does not know has no path to show.
        .filter(|(file, _)| !file.is_empty())
        .filter_map(|(file, (errors, breaches))| {
            let context = cb.contexts.iter().find(|c| c.holds(&file));
            if let Some(c) = context
                && !filter.concerns(&cb.settings, c)
            {
                return None;
            }
            Some(RecordErrors {
                context: context.map(|c| c.id.clone()),
                file,
                errors,
                breaches,
            })
        })
        .collect()
}

// ---------------------------------------------------------------- serde

fn date<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

fn opt_date<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests;
