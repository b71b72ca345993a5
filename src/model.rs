//! The typed casebook: records as FORMAT.md describes them, each value that a
//! rule can complain about kept with its source location.
//!
//! The loader fills these structures from the files; a value that could not be
//! read is left out (`None`, or dropped from its list) after its diagnostic has
//! been reported, so the rules only ever see well-typed values.

use crate::source::{FileId, Loc, SourceMap, Sp};
use chrono::{NaiveDate, NaiveTime};
use std::collections::BTreeMap;

pub type Date = NaiveDate;
pub type Time = NaiveTime;

/// A whole casebook as loaded.
#[derive(Debug, Default)]
pub struct Casebook {
    pub sources: SourceMap,
    pub settings: Settings,
    /// Contexts in the order of their ids.
    pub contexts: Vec<Context>,
    /// What was sent to the forums (`published/`), by quarter and forum.
    pub published: Vec<Published>,
    /// The analyst's key messages (`messages/`), by quarter and forum.
    pub messages: Vec<KeyMessages>,
}

/// The partnership's logo (`logo:` in contextpack.yaml): a PNG, JPEG or
/// SVG file inside the casebook, read once.
#[derive(Debug, Clone)]
pub struct Logo {
    /// The path as written, relative to the casebook, where it is written.
    pub path: Sp<String>,
    /// `png`, `jpg` or `svg`.
    pub format: &'static str,
    pub bytes: Vec<u8>,
    /// The first 12 hex digits of the bytes' SHA-256, taken once when read:
    /// every context's cache key names the logo.
    pub hash: String,
}

impl Logo {
    /// Where documents find it: a virtual path that changes with the
    /// image, so a new logo changes every document's data and key.
    pub fn virtual_path(&self) -> String {
        format!("/logo-{}.{}", self.hash, self.format)
    }
}

/// `messages/<YYYY>-Q<n>/<forum>.md`: what the analyst wants one forum to
/// take from one quarter's summary, printed at its top. Anonymised like a
/// learning item: `check` and `build` search it for names.
#[derive(Debug, Clone)]
pub struct KeyMessages {
    pub file: FileId,
    /// `2026-Q3`, checked to be a quarter.
    pub quarter: String,
    /// A forum's id, checked to be one.
    pub forum: String,
    /// The whole file, Markdown.
    pub text: Sp<String>,
}

// ---------------------------------------------------------------- published

/// `published/<YYYY>-Q<n>/<forum>.yaml`: every release of one quarter's
/// summary sent to one forum, as `contextpack publish` recorded it.
#[derive(Debug, Clone)]
pub struct Published {
    pub file: FileId,
    /// `2026-Q3`, checked to be a quarter.
    pub quarter: Sp<String>,
    pub forum: Sp<String>,
    /// Oldest first: issue 1, then each reissue.
    pub releases: Vec<Release>,
}

/// One summary as it was sent.
#[derive(Debug, Clone)]
pub struct Release {
    pub loc: Loc,
    /// 1 for the first issue, 2 for its first reissue...
    pub issue: Sp<u32>,
    pub published: Sp<Date>,
    /// sha256 of the CSV, which holds the summary's figures and nothing
    /// that changes from build to build: what a build compares with.
    pub csv_sha256: Sp<String>,
    /// sha256 of the HTML and PDF sent, which also carry the build's stamp.
    pub html_sha256: Option<Sp<String>>,
    pub pdf_sha256: Option<Sp<String>>,
    /// The children table as printed: what its readers hold.
    pub children: Option<ShownTable>,
}

/// A published table of counts with its margins, as its reader holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownTable {
    pub loc: Loc,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// `rows + 1` lines of `columns + 1` entries: the totals last.
    pub shown: Vec<Vec<Shown>>,
}

/// One printed entry: a number, a `c`, or a withheld `x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Count(u32),
    Suppressed,
    Withheld,
}

// ---------------------------------------------------------------- settings

#[derive(Debug, Clone)]
pub struct Settings {
    pub file: Option<FileId>,
    /// `logo:`, the partnership's logo, printed on the first page of every
    /// PDF and on each pack's cover.
    pub logo: Option<Logo>,
    pub partnership: String,
    pub marking: String,
    pub anonymised_marking: String,
    pub agencies: Vec<Agency>,
    pub people: Vec<Person>,
    /// Where `people:` is written.
    pub people_at: Option<Loc>,
    pub forums: Vec<Forum>,
    pub protocol: Protocol,
    /// `anonymisation.suppress_below`: counts of children from 1 to one
    /// less print as `c`.
    pub suppress_below: u32,
    /// Where `suppress_below` is written; `None` for the default.
    pub suppress_below_at: Option<Loc>,
    /// Extra harm types allowed beyond the built-in vocabulary.
    pub harms: Vec<Sp<String>>,
    /// `themes:`: when given, the only themes a learning item may name,
    /// each with the label the summaries print.
    pub themes: Vec<Theme>,
    /// `areas:`: when given, the only areas a context may be in.
    pub areas: Vec<Sp<String>>,
    /// `as_of:` pins "today" for sample and training casebooks.
    pub as_of: Option<Sp<Date>>,
    /// The settings file could not be read or parsed (already reported):
    /// references to its agencies and people are not checked, so one
    /// broken file does not become an error at every reference.
    pub incomplete: bool,
    /// Ids to positions, built on first use: a partnership lists thousands
    /// of people, and every record refers to them.
    pub lookup: Lookup,
    /// `rules:`: the partnership's own level for some rules, in rule order.
    pub rules: Vec<RuleChange>,
}

/// One entry of `themes:` in contextpack.yaml.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub id: Sp<String>,
    pub label: String,
}

/// One entry of `rules:` in contextpack.yaml.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleChange {
    pub rule: Sp<crate::rule_id::RuleId>,
    /// `None`: the rule is off.
    pub level: Option<crate::diagnostic::Kind>,
    /// Why; required when a breach is lowered or turned off, because that
    /// changes what the terms of reference require.
    pub reason: Option<Sp<String>>,
}

impl RuleChange {
    /// `off`, `error`, `breach` or `warning`.
    pub fn level_name(&self) -> &'static str {
        self.level.map_or("off", crate::diagnostic::Kind::as_str)
    }

    /// The reason as written, or empty.
    pub fn reason(&self) -> &str {
        self.reason.as_ref().map_or("", |r| r.value.as_str())
    }

    /// The reason as a reader sees it: "no reason given" when there is none.
    pub fn reason_text(&self) -> &str {
        match self.reason() {
            "" => "no reason given",
            reason => reason,
        }
    }
}

/// Indexes of [`Settings`]' lists by id.
#[derive(Debug, Clone, Default)]
pub struct Lookup {
    people: std::sync::OnceLock<Index>,
    agencies: std::sync::OnceLock<Index>,
}

/// Positions by id, and the length of the list they were made from.
#[derive(Debug, Clone)]
struct Index {
    len: usize,
    at: std::collections::HashMap<String, usize>,
}

/// The first item of `list` with this id: through `index` when it was
/// made from the whole list, by a search otherwise (the list still growing
/// while it is read).
fn by_id<'a, T>(
    list: &'a [T],
    index: &std::sync::OnceLock<Index>,
    id_of: impl Fn(&T) -> &str,
    id: &str,
) -> Option<&'a T> {
    let index = index.get_or_init(|| {
        let mut at = std::collections::HashMap::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            at.entry(id_of(item).to_string()).or_insert(i);
        }
        Index {
            len: list.len(),
            at,
        }
    });
    if index.len == list.len() {
        index.at.get(id).and_then(|&i| list.get(i))
    } else {
        list.iter().find(|x| id_of(x) == id)
    }
}

#[derive(Debug, Clone)]
pub struct Agency {
    pub id: Sp<String>,
    pub name: String,
    /// Where `name` is written.
    pub name_at: Loc,
    /// What the anonymised summaries call the agency, where its own name
    /// would say which context it is (a school that is also a context).
    pub public_name: Option<Sp<String>>,
    pub core: bool,
}

impl Agency {
    /// The agency's name as the anonymised summaries print it.
    pub fn summary_name(&self) -> &str {
        self.public_name.as_ref().map_or(&self.name, |p| &p.value)
    }

    /// Where [`Agency::summary_name`] is written, and what a diagnostic
    /// calls it.
    pub fn summary_name_at(&self) -> (Loc, &'static str) {
        match &self.public_name {
            Some(p) => (p.loc, "this agency's public name"),
            None => (self.name_at, "this agency's name"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Person {
    pub id: Sp<String>,
    pub name: Sp<String>,
    pub agency: Sp<String>,
    pub roles: Vec<Sp<String>>,
}

#[derive(Debug, Clone)]
pub struct Forum {
    pub id: Sp<String>,
    pub name: String,
}

/// Every number of PROTOCOL.md (`protocol:` in contextpack.yaml).
#[derive(Debug, Clone)]
pub struct Protocol {
    pub review_within_months: u32,
    pub reschedule_within_days: u32,
    pub plan_discussion_min_minutes: u32,
    pub conference_minutes: u32,
    pub conference_minutes_tolerance: u32,
    /// Context type -> chair roles allowed to chair its conferences.
    pub chairs: BTreeMap<ContextType, Vec<Sp<String>>>,
}

impl Default for Protocol {
    fn default() -> Self {
        let roles = |rs: &[&str]| -> Vec<Sp<String>> {
            rs.iter()
                .map(|r| Sp::new(r.to_string(), Loc::file_start(FileId(0))))
                .collect()
        };
        let mut chairs = BTreeMap::new();
        chairs.insert(
            ContextType::PeerGroup,
            roles(&["isro", "adolescent-safety-framework-chair"]),
        );
        chairs.insert(
            ContextType::Neighbourhood,
            roles(&["community-safety-partnership-manager"]),
        );
        chairs.insert(ContextType::School, roles(&["headteacher", "dsl"]));
        chairs.insert(ContextType::Online, roles(&["isro"]));
        Protocol {
            review_within_months: 3,
            reschedule_within_days: 14,
            plan_discussion_min_minutes: 30,
            conference_minutes: 120,
            conference_minutes_tolerance: 30,
            chairs,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            file: None,
            logo: None,
            partnership: String::new(),
            marking: "OFFICIAL-SENSITIVE".into(),
            anonymised_marking: "OFFICIAL".into(),
            agencies: Vec::new(),
            people: Vec::new(),
            people_at: None,
            forums: default_forums(),
            protocol: Protocol::default(),
            suppress_below: 6,
            suppress_below_at: None,
            harms: Vec::new(),
            themes: Vec::new(),
            areas: Vec::new(),
            as_of: None,
            incomplete: false,
            lookup: Lookup::default(),
            rules: Vec::new(),
        }
    }
}

/// The strategic forums of the terms of reference, used when `forums:` is absent.
pub fn default_forums() -> Vec<Forum> {
    [
        (
            "mace-operational",
            "Operational Missing and Child Exploitation (MACE) panel",
        ),
        ("safer-plymouth", "Safer Plymouth Partnership"),
        (
            "mace-strategic",
            "Strategic Missing and Child Exploitation Group",
        ),
    ]
    .into_iter()
    .map(|(id, name)| Forum {
        id: Sp::new(id.to_string(), Loc::file_start(FileId(0))),
        name: name.to_string(),
    })
    .collect()
}

impl Settings {
    /// The built-in harm types followed by the casebook's own (`harms:`).
    pub fn harm_names(&self) -> Vec<&str> {
        HARMS
            .iter()
            .copied()
            .chain(self.harms.iter().map(|h| h.value.as_str()))
            .collect()
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        by_id(&self.people, &self.lookup.people, |p| &p.id.value, id)
    }
    /// The name of the person with this id, or the text as written when it
    /// names no one in `people:` (records may give a free-text name).
    pub fn person_name(&self, id_or_name: &str) -> String {
        self.person(id_or_name)
            .map_or_else(|| id_or_name.to_string(), |p| p.name.value.clone())
    }
    pub fn agency(&self, id: &str) -> Option<&Agency> {
        by_id(&self.agencies, &self.lookup.agencies, |a| &a.id.value, id)
    }
    pub fn forum(&self, id: &str) -> Option<&Forum> {
        self.forums.iter().find(|f| f.id.value == id)
    }
}

// ---------------------------------------------------------------- vocabularies

/// Declares a closed vocabulary: an enum with its YAML spellings.
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const NAMES: &'static [&'static str] = &[$($text),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(ContextType {
    PeerGroup = "peer-group",
    School = "school",
    Neighbourhood = "neighbourhood",
    Online = "online",
});

vocabulary!(MeasureLevel {
    Context = "context",
    Individual = "individual",
});

vocabulary!(Better {
    Up = "up",
    Down = "down",
});

vocabulary!(YoungPersonRole {
    Affected = "affected",
    AllegedHarmer = "alleged-harmer",
    Both = "both",
});

vocabulary!(WeightingLevel {
    Child = "child",
    Family = "family",
    Peers = "peers",
    School = "school",
    Neighbourhood = "neighbourhood",
    Online = "online",
});

vocabulary!(Weight {
    High = "high",
    Medium = "medium",
    Low = "low",
});

vocabulary!(MeetingKind {
    Initial = "initial",
    Review = "review",
    Interim = "interim",
});

vocabulary!(MeetingStatus {
    Scheduled = "scheduled",
    Held = "held",
    Moved = "moved",
    Cancelled = "cancelled",
});

vocabulary!(AgendaItemId {
    Introductions = "introductions",
    Confidentiality = "confidentiality",
    PreviousMinutes = "previous-minutes",
    ActionProgress = "action-progress",
    Assessment = "assessment",
    PartnerReports = "partner-reports",
    PlanDiscussion = "plan-discussion",
    ActionPlan = "action-plan",
    ReviewArrangements = "review-arrangements",
    Learning = "learning",
    AnyOtherBusiness = "any-other-business",
});

vocabulary!(Domain {
    Target = "target",
    LegislativeFramework = "legislative-framework",
    Partnerships = "partnerships",
    Outcomes = "outcomes",
});

vocabulary!(ActionStatus {
    Planned = "planned",
    InProgress = "in-progress",
    Done = "done",
    Dropped = "dropped",
});

/// The built-in harm types; `harms:` in contextpack.yaml may add more.
/// The level-2 headings every assessment has (FORMAT.md), in its order: what
/// the lead practitioner presents at the conference. The rule
/// `assessment-sections` checks them; `new context` writes them.
pub const ASSESSMENT_SECTIONS: &[&str] = &[
    "Themes",
    "Patterns",
    "Trends",
    "Risks",
    "Vulnerabilities",
    "Strengths",
    "Capacity to safeguard",
    "Methods",
    "Voice of young people",
    "Voice of parents and carers",
    "Parental capacity",
    "Context weighting",
    "Suggested outline plan",
];

pub const HARMS: &[&str] = &[
    "criminal-exploitation",
    "county-lines",
    "sexual-exploitation",
    "trafficking",
    "online-abuse",
    "radicalisation",
    "serious-violence",
    "child-on-child-abuse",
    "missing",
];

/// Whether a learning item's theme is one of contextpack's own harm types
/// ("county-lines"): the vocabulary's word, not free text, so the name
/// guard does not read it as a name ("Lines" for a child surnamed Lines).
/// A casebook's own `harms:` are its words and stay screened.
pub fn is_built_in_harm(theme: &str) -> bool {
    HARMS.contains(&theme)
}

impl ContextType {
    /// How a person would say it: "peer group", "neighbourhood".
    pub fn label(self) -> &'static str {
        match self {
            ContextType::PeerGroup => "peer group",
            ContextType::School => "school",
            ContextType::Neighbourhood => "neighbourhood",
            ContextType::Online => "online space",
        }
    }
}

impl MeetingKind {
    /// "Initial conference", "Review conference", "Interim meeting".
    pub fn label(self) -> &'static str {
        match self {
            MeetingKind::Initial => "Initial conference",
            MeetingKind::Review => "Review conference",
            MeetingKind::Interim => "Interim meeting",
        }
    }
}

impl AgendaItemId {
    /// The default agenda of a kind of meeting, in order. A review (and an
    /// interim meeting, which follows a conference) starts from the last
    /// meeting: its minutes and matters arising, then progress on the actions.
    pub fn default_agenda(kind: MeetingKind) -> &'static [AgendaItemId] {
        use AgendaItemId::*;
        match kind {
            MeetingKind::Initial => &[
                Introductions,
                Confidentiality,
                Assessment,
                PartnerReports,
                PlanDiscussion,
                ActionPlan,
                ReviewArrangements,
                Learning,
                AnyOtherBusiness,
            ],
            MeetingKind::Review | MeetingKind::Interim => &[
                Introductions,
                Confidentiality,
                PreviousMinutes,
                ActionProgress,
                Assessment,
                PartnerReports,
                PlanDiscussion,
                ActionPlan,
                ReviewArrangements,
                Learning,
                AnyOtherBusiness,
            ],
        }
    }

    /// The default agenda with its minutes, adding up to `conference_minutes`
    /// (when the other items leave the plan discussion anything).
    pub fn default_timings(kind: MeetingKind, conference_minutes: u32) -> Vec<(AgendaItemId, u32)> {
        let items = AgendaItemId::default_agenda(kind);
        let others: u32 = items.iter().map(|id| id.default_minutes(kind)).sum();
        items
            .iter()
            .map(|&id| match id {
                AgendaItemId::PlanDiscussion => (id, conference_minutes.saturating_sub(others)),
                _ => (id, id.default_minutes(kind)),
            })
            .collect()
    }

    /// Default minutes of each item but the plan discussion, which has what
    /// is left of `conference_minutes` (40 of an initial conference's 120,
    /// 35 of a review's).
    pub fn default_minutes(self, kind: MeetingKind) -> u32 {
        let first = kind == MeetingKind::Initial;
        match self {
            AgendaItemId::Introductions => 10,
            AgendaItemId::Confidentiality => 5,
            AgendaItemId::PreviousMinutes => 10,
            AgendaItemId::ActionProgress => 15,
            AgendaItemId::Assessment if first => 20,
            AgendaItemId::Assessment => 10,
            AgendaItemId::PartnerReports if first => 20,
            AgendaItemId::PartnerReports => 10,
            AgendaItemId::PlanDiscussion => 0,
            AgendaItemId::ActionPlan => 10,
            AgendaItemId::ReviewArrangements => 5,
            AgendaItemId::Learning => 5,
            AgendaItemId::AnyOtherBusiness => 5,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            AgendaItemId::Introductions => "Introductions and apologies",
            AgendaItemId::Confidentiality => "Information Sharing and Confidentiality Statement",
            AgendaItemId::PreviousMinutes => "Minutes of the last meeting and matters arising",
            AgendaItemId::ActionProgress => "Progress on the actions",
            AgendaItemId::Assessment => "Context assessment (lead practitioner)",
            AgendaItemId::PartnerReports => "Partner reports and briefings",
            AgendaItemId::PlanDiscussion => "Discussion of the suggested outline plan",
            AgendaItemId::ActionPlan => "Action plan: finalised and shared",
            AgendaItemId::ReviewArrangements => "Review date and arrangements",
            AgendaItemId::Learning => "Themes, trends and learning for strategic forums",
            AgendaItemId::AnyOtherBusiness => "Any other business",
        }
    }
}

impl Domain {
    pub fn title(self) -> &'static str {
        match self {
            Domain::Target => "Target",
            Domain::LegislativeFramework => "Legislative framework",
            Domain::Partnerships => "Partnerships",
            Domain::Outcomes => "Outcomes measurement",
        }
    }
}

// ---------------------------------------------------------------- context

#[derive(Debug)]
pub struct Context {
    /// The folder name: `cases/<id>`.
    pub id: String,
    /// `cases/<id>` relative to the casebook root.
    pub dir: String,
    pub file: FileId,
    pub context_type: Option<Sp<ContextType>>,
    pub title: Option<Sp<String>>,
    pub area: Option<Sp<String>>,
    pub opened: Option<Sp<Date>>,
    pub closed: Option<Sp<Date>>,
    pub lead_practitioner: Option<Sp<String>>,
    pub managed_by: Option<Sp<String>>,
    pub harms: Vec<Sp<String>>,
    pub young_people: Vec<YoungPerson>,
    /// `related_contexts:`: the contexts this one is associated with.
    pub related: Vec<Relation>,
    pub assessment: Option<Assessment>,
    pub plan: Option<Plan>,
    /// Meetings in date order (then kind).
    pub meetings: Vec<Meeting>,
    /// The files its records draw on (images in their Markdown, meetings'
    /// papers), each once, by path.
    pub attachments: Vec<Attachment>,
    /// A file of this context could not be read whole (its errors are already
    /// reported): rules that reason from the absence of a record stay quiet
    /// rather than pile consequences onto the real problem.
    pub incomplete: bool,
}

#[derive(Debug, Clone)]
pub struct YoungPerson {
    pub loc: Loc,
    pub reference: Sp<String>,
    pub name: Sp<String>,
    /// The age as recorded; `born` instead keeps bands right over the years.
    pub age: Option<Sp<u32>>,
    /// `born: YYYY-MM`.
    pub born: Option<Sp<YearMonth>>,
    pub role: Option<Sp<YoungPersonRole>>,
    /// The day they were linked to the context; the context's `opened`
    /// when not given.
    pub linked: Option<Sp<Date>>,
    /// The day they stopped being linked, if they have.
    pub unlinked: Option<Sp<Date>>,
    /// The id of the context whose entry gives this child's name and age,
    /// when this entry links them by `ref` alone; `None` when this entry is
    /// itself a definition.
    pub defined_in: Option<String>,
}

/// An entry of `related_contexts:`: another context and how the two relate
/// (`meets-at`, `attends`, `lives-near`, `online-space-of`, or words of the
/// author's own).
#[derive(Debug, Clone)]
pub struct Relation {
    pub loc: Loc,
    pub context: Sp<String>,
    pub relation: Option<Sp<String>>,
}

/// The relations `related_contexts:` suggests; any other text is allowed.
pub const RELATIONS: &[&str] = &["meets-at", "attends", "lives-near", "online-space-of"];

/// A month of a year: `born: 2011-04`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct YearMonth {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

impl YearMonth {
    /// The age in whole years on `date`, counting a birthday in the month
    /// of `date` as reached (the day is not recorded); `None` before birth.
    pub fn age_on(self, date: Date) -> Option<u32> {
        use chrono::Datelike;
        let months = (date.year() - self.year) * 12 + date.month() as i32 - self.month as i32;
        u32::try_from(months.div_euclid(12))
            .ok()
            .filter(|_| months >= 0)
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl YoungPerson {
    /// Their age on `date`: from `born` when recorded, else `age` as written.
    pub fn age_on(&self, date: Date) -> Option<u32> {
        match &self.born {
            Some(b) => b.value.age_on(date),
            None => self.age.as_ref().map(|a| a.value),
        }
    }

    /// Whether they were linked to context `c` at any time from `first` to
    /// `last` (both inclusive).
    pub fn linked_during(&self, c: &Context, first: Date, last: Date) -> bool {
        let linked = self.linked.as_ref().or(c.opened.as_ref()).map(|d| d.value);
        let unlinked = self.unlinked.as_ref().map(|d| d.value);
        linked.is_some_and(|l| l <= last) && unlinked.is_none_or(|u| u >= first)
    }
}

impl Context {
    /// The attachment at `path` (relative to the casebook).
    pub fn attachment(&self, path: &str) -> Option<&Attachment> {
        self.attachments.iter().find(|a| a.path == path)
    }

    /// The records of this context that were read: `context.yaml`, the
    /// assessment, the plan and every meeting, in that order.
    pub fn files(&self) -> Vec<FileId> {
        let mut files = vec![self.file];
        files.extend(self.assessment.as_ref().map(|a| a.file));
        files.extend(self.plan.as_ref().and_then(|p| p.file));
        files.extend(self.meetings.iter().map(|m| m.file));
        files
    }

    /// Whether the context is closed on or before `date`.
    pub fn closed_by(&self, date: Date) -> bool {
        self.closed.as_ref().is_some_and(|c| c.value <= date)
    }

    /// Whether the casebook-relative `path` (`/` separators) is this
    /// context's folder or a file in it.
    pub fn holds(&self, path: &str) -> bool {
        in_folder(path, &self.dir)
    }

    pub fn held_meetings(&self) -> impl Iterator<Item = &Meeting> {
        self.meetings.iter().filter(|m| m.is_held())
    }

    /// The display title, falling back to the id.
    pub fn title_text(&self) -> &str {
        self.title.as_ref().map_or(&self.id, |t| &t.value)
    }
}

// ---------------------------------------------------------------- assessment

#[derive(Debug)]
pub struct Assessment {
    pub file: FileId,
    /// Where the front matter's mapping starts.
    pub loc: Loc,
    pub date: Option<Sp<Date>>,
    pub lead_practitioner: Option<Sp<String>>,
    pub methods: Vec<Sp<String>>,
    pub influencers: Vec<Sp<String>>,
    /// `weighting:` key position, when present.
    pub weighting_loc: Option<Loc>,
    pub weighting: Vec<WeightingFactor>,
    /// The Markdown body, split at its level-1 and level-2 headings.
    pub body: MarkdownBody,
}

#[derive(Debug, Clone)]
pub struct WeightingFactor {
    pub loc: Loc,
    pub level: Option<Sp<WeightingLevel>>,
    pub factor: Sp<String>,
    pub weight: Option<Sp<Weight>>,
    pub rationale: Option<Sp<String>>,
}

/// A Markdown body: its text, where it starts, and its sections.
#[derive(Debug, Clone, Default)]
pub struct MarkdownBody {
    pub text: crate::source::SharedStr,
    /// Location of the first character of the body in its file.
    pub loc: Option<Loc>,
    pub sections: Vec<Section>,
    /// Every image it shows (`![alt](peer-map.png)`), in order.
    pub images: Vec<ImageRef>,
}

/// An image of a Markdown body: its source as written, and the file of the
/// context it names when that is one the documents can show.
#[derive(Debug, Clone)]
pub struct ImageRef {
    pub written: Sp<String>,
    /// The [`Attachment`]'s path, when the image was found and read.
    pub path: Option<String>,
}

/// What kind of file an [`Attachment`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentFormat {
    Png,
    Jpeg,
    Svg,
    Pdf,
    Markdown,
}

impl AttachmentFormat {
    /// The extension its copies are written with.
    pub fn extension(self) -> &'static str {
        match self {
            AttachmentFormat::Png => "png",
            AttachmentFormat::Jpeg => "jpg",
            AttachmentFormat::Svg => "svg",
            AttachmentFormat::Pdf => "pdf",
            AttachmentFormat::Markdown => "md",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(
            self,
            AttachmentFormat::Png | AttachmentFormat::Jpeg | AttachmentFormat::Svg
        )
    }
}

/// A file inside a context's folder that its records draw on but that is
/// not itself a record: an image shown in its Markdown, or a meeting's
/// paper. Read and checked once, by the loader.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// Relative to the casebook, with `/` separators.
    pub path: String,
    pub format: AttachmentFormat,
    pub bytes: std::sync::Arc<[u8]>,
    /// Pages, for a PDF.
    pub pages: usize,
    /// The first 12 hex digits of the file's SHA-256.
    pub hash: String,
}

impl Attachment {
    /// The name its copy is written under, and typst finds it by: it
    /// changes with the file, so a new version changes every document that
    /// shows it (and their cache keys) and no reader keeps a stale copy.
    pub fn file_name(&self) -> String {
        let stem = std::path::Path::new(&self.path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("file");
        let stem: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .take(60)
            .collect();
        format!("{stem}-{}.{}", self.hash, self.format.extension())
    }

    /// Where typst documents read it.
    pub fn virtual_path(&self) -> String {
        format!("/attachments/{}", self.file_name())
    }
}

/// A heading of level 1 or 2 and the Markdown under it, up to the next such heading.
#[derive(Debug, Clone)]
pub struct Section {
    pub level: u8,
    /// The heading's text, as written.
    pub heading: Sp<String>,
    /// The Markdown source under the heading.
    pub content: crate::source::SharedStr,
}

impl Section {
    pub fn has_text(&self) -> bool {
        !self.content.trim().is_empty()
    }
}

// ---------------------------------------------------------------- plan

#[derive(Debug, Default)]
pub struct Plan {
    pub file: Option<FileId>,
    pub goals: Vec<Goal>,
    /// `actions:` key position, when present.
    pub actions_loc: Option<Loc>,
    pub actions: Vec<Action>,
    pub exceptions: Vec<Exception>,
}

#[derive(Debug, Clone)]
pub struct Goal {
    pub id: Sp<String>,
    pub text: Sp<String>,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub loc: Loc,
    pub id: Sp<String>,
    pub domain: Option<Sp<Domain>>,
    pub action: Sp<String>,
    pub goal: Option<Sp<String>>,
    pub owner: Option<Owner>,
    pub agreed: Option<Sp<Date>>,
    pub due: Option<Sp<Date>>,
    pub status: Option<Sp<ActionStatus>>,
    pub done: Option<Sp<Date>>,
    /// What is measured, in words: `measure:` as text, or its `what:`.
    pub measure: Option<Sp<String>>,
    /// `measure:` written as a mapping: its level, unit, direction and readings.
    pub metric: Option<Metric>,
    pub updates: Vec<Update>,
    /// A value of it could not be read (and was reported): rules about
    /// fields it lacks stay quiet rather than repeat that error.
    pub partly_read: bool,
}

/// A measure that is read over time (Appendix 2, Domain 4: "Monitor
/// outcomes of success in relation to contextual, as well as individual,
/// change").
#[derive(Debug, Clone)]
pub struct Metric {
    pub loc: Loc,
    /// Whether it measures the context or individual children.
    pub level: Option<Sp<MeasureLevel>>,
    /// "approaches a month".
    pub unit: Option<Sp<String>>,
    /// Whether a higher or a lower value is better.
    pub better: Option<Sp<Better>>,
    /// In date order; the first is the baseline.
    pub readings: Vec<Reading>,
}

#[derive(Debug, Clone)]
pub struct Reading {
    pub date: Sp<Date>,
    pub value: Sp<f64>,
    pub note: Option<Sp<String>>,
}

/// How a measure has moved from its baseline to its latest reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Trend {
    Improving,
    Steady,
    Worsening,
}

impl Trend {
    pub fn as_str(self) -> &'static str {
        match self {
            Trend::Improving => "improving",
            Trend::Steady => "steady",
            Trend::Worsening => "worsening",
        }
    }
}

impl Metric {
    /// The readings dated on or before `date`.
    pub fn readings_by(&self, date: Date) -> impl Iterator<Item = &Reading> {
        self.readings.iter().filter(move |r| r.date.value <= date)
    }

    /// Baseline against the latest reading on or before `date`; `None`
    /// with fewer than two readings by then, or no direction.
    pub fn trend_by(&self, date: Date) -> Option<Trend> {
        let better = self.better.as_ref()?.value;
        let mut by = self.readings_by(date);
        let first = by.next()?.value.value;
        let last = by.last()?.value.value;
        let gain = match better {
            Better::Up => last - first,
            Better::Down => first - last,
        };
        Some(if gain > 0.0 {
            Trend::Improving
        } else if gain < 0.0 {
            Trend::Worsening
        } else {
            Trend::Steady
        })
    }
}

impl Action {
    /// Planned or in progress (an action with no status counts as planned).
    pub fn is_open(&self) -> bool {
        matches!(
            self.status.as_ref().map(|s| s.value),
            None | Some(ActionStatus::Planned | ActionStatus::InProgress)
        )
    }
}

#[derive(Debug, Clone)]
pub struct Owner {
    pub loc: Loc,
    pub agency: Option<Sp<String>>,
    pub person: Option<Sp<String>>,
    pub name: Option<Sp<String>>,
}

#[derive(Debug, Clone)]
pub struct Update {
    pub date: Sp<Date>,
    pub note: Sp<String>,
    /// The action's new due date, when this update re-dated it.
    pub due: Option<Sp<Date>>,
}

/// An explained breach: `exceptions:` in a conference file or plan.yaml.
#[derive(Debug, Clone)]
pub struct Exception {
    pub loc: Loc,
    pub rule: Sp<crate::rule_id::RuleId>,
    pub reason: Sp<String>,
}

// ---------------------------------------------------------------- meetings

#[derive(Debug)]
pub struct Meeting {
    pub file: FileId,
    /// The file name without `.md`: `2026-09-14-initial`; used in output paths.
    pub name: String,
    /// Where the front matter's mapping starts.
    pub loc: Loc,
    pub kind: Sp<MeetingKind>,
    pub date: Sp<Date>,
    pub status: Sp<MeetingStatus>,
    pub start: Option<Sp<Time>>,
    pub end: Option<Sp<Time>>,
    pub venue: Option<Sp<String>>,
    pub venue_agreed_by: Option<Sp<Vec<Sp<String>>>>,
    pub chair: Option<Sp<String>>,
    pub chair_role: Option<Sp<String>>,
    pub invited: Option<Sp<Vec<Invitee>>>,
    pub attendance: Option<Sp<Vec<Attendance>>>,
    /// The agenda as written; `None` means the default agenda.
    pub agenda: Option<Sp<Vec<AgendaEntry>>>,
    pub confidentiality_statement_read: Option<Sp<bool>>,
    pub partner_reports: Option<Sp<Vec<Sp<String>>>>,
    pub plan_shared_verbally: Option<Sp<bool>>,
    pub review: Option<Review>,
    pub moved: Option<Moved>,
    pub exceptions: Vec<Exception>,
    pub learning: Vec<Learning>,
    /// Who took the minutes: a person's id or a name.
    pub minute_taker: Option<Sp<String>>,
    /// When, and by whom, the minutes were approved.
    pub approved: Option<Approval>,
    /// Who the minutes went to: agency or forum ids.
    pub circulated_to: Option<Sp<Vec<Sp<String>>>>,
    /// Papers sent with the agenda and bound into the pack.
    pub papers: Vec<Paper>,
    /// The minutes.
    pub body: MarkdownBody,
}

/// `papers:`: a Markdown or PDF file inside the context's folder, sent
/// with a meeting's agenda and bound into its pack.
#[derive(Debug, Clone)]
pub struct Paper {
    /// The path as written, relative to the context's folder.
    pub file: Sp<String>,
    /// How the agenda names it; the file's name when not given.
    pub title: Option<Sp<String>>,
    /// The [`Attachment`]'s path, when the file was found and read.
    pub path: Option<String>,
}

impl Paper {
    /// How the agenda and the pack name it.
    pub fn heading(&self) -> String {
        match &self.title {
            Some(t) => t.value.clone(),
            None => self.file.value.rsplit('/').next().unwrap_or("").to_string(),
        }
    }
}

impl Meeting {
    pub fn is_held(&self) -> bool {
        self.status.value == MeetingStatus::Held
    }
    /// Initial or review: a conference rather than an interim meeting.
    pub fn is_conference(&self) -> bool {
        self.kind.value != MeetingKind::Interim
    }
    /// Scheduled or held: a meeting that is going ahead.
    pub fn is_active(&self) -> bool {
        matches!(
            self.status.value,
            MeetingStatus::Scheduled | MeetingStatus::Held
        )
    }

    /// The agenda in force: the one written, or the default one, which
    /// adds up to `conference_minutes`.
    pub fn agenda_items(&self, conference_minutes: u32) -> Vec<AgendaEntry> {
        if let Some(a) = &self.agenda {
            return a.value.clone();
        }
        AgendaItemId::default_timings(self.kind.value, conference_minutes)
            .into_iter()
            .map(|(id, minutes)| AgendaEntry {
                loc: None,
                item: AgendaItem::Standard(id),
                minutes: Sp::new(minutes, self.loc),
            })
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct Invitee {
    pub loc: Loc,
    pub agency: Sp<String>,
    pub person: Option<Sp<String>>,
    pub name: Option<Sp<String>>,
}

#[derive(Debug, Clone)]
pub struct Attendance {
    pub loc: Loc,
    pub agency: Sp<String>,
    pub person: Option<Sp<String>>,
    pub name: Option<Sp<String>>,
    pub absent: bool,
    pub represented_by: Option<Sp<String>>,
}

#[derive(Debug, Clone)]
pub struct AgendaEntry {
    /// `None` for the default agenda's items.
    pub loc: Option<Loc>,
    pub item: AgendaItem,
    pub minutes: Sp<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AgendaItem {
    Standard(AgendaItemId),
    Free(String),
}

impl AgendaItem {
    pub fn title(&self) -> &str {
        match self {
            AgendaItem::Standard(id) => id.title(),
            AgendaItem::Free(t) => t,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Review {
    pub loc: Loc,
    pub date: Option<Sp<Date>>,
    pub agencies: Option<Sp<Vec<Sp<String>>>>,
    pub invitations_by: Option<Sp<String>>,
}

/// `approved: { date, by }`: the minutes agreed as a true record.
#[derive(Debug, Clone)]
pub struct Approval {
    pub loc: Loc,
    pub date: Option<Sp<Date>>,
    /// A person's id or a name ("the chair").
    pub by: Option<Sp<String>>,
}

#[derive(Debug, Clone)]
pub struct Moved {
    pub loc: Loc,
    pub to: Option<Sp<Date>>,
    pub chair_consent: Option<Sp<bool>>,
    pub reason: Option<Sp<String>>,
}

#[derive(Debug, Clone)]
pub struct Learning {
    pub loc: Loc,
    pub text: Sp<String>,
    pub forums: Vec<Sp<String>>,
    pub themes: Vec<Sp<String>>,
}

fn in_folder(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::{Date, YearMonth, in_folder};

    #[test]
    fn paths_in_folders() {
        assert!(in_folder("cases/a/plan.yaml", "cases/a"));
        assert!(in_folder("cases/a", "cases/a"));
        assert!(!in_folder("cases/ab/plan.yaml", "cases/a"));
        assert!(!in_folder("contextpack.yaml", "cases/a"));
    }

    #[test]
    fn age_from_the_month_of_birth() {
        let d = |s: &str| Date::parse_from_str(s, "%Y-%m-%d").expect("date");
        let born = YearMonth {
            year: 2012,
            month: 5,
        };
        assert_eq!(born.age_on(d("2026-04-30")), Some(13));
        assert_eq!(
            born.age_on(d("2026-05-01")),
            Some(14),
            "the birthday month counts"
        );
        assert_eq!(born.age_on(d("2026-06-30")), Some(14));
        assert_eq!(born.age_on(d("2012-04-30")), None, "before birth");
        assert_eq!(born.age_on(d("2012-05-31")), Some(0));
        assert_eq!(born.to_string(), "2012-05");
    }
}
