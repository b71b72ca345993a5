//! The text of the files that `init` and `new` write: valid FORMAT.md records
//! whose comments say what each key is for and what is left to fill in.
//!
//! Values that contextpack can know (the defaults, what the command line gave,
//! what the previous conference agreed) are written out. Facts only the
//! practitioner knows are left empty with a `FILL IN` comment beside them, so
//! that `contextpack check` points at exactly the lines still to write rather
//! than letting an invented placeholder pass as a real record.

use crate::model::{AgendaItemId, ContextType, Date, MeetingKind, Protocol, Settings, Time};

/// The partnership name `init` writes when none is given: plainly not a real
/// one, and harmless if it reaches a test pack.
pub const PARTNERSHIP_PLACEHOLDER: &str = "Example Safeguarding Children Partnership";

/// The agencies the terms of reference expect at every conference ("core").
const CORE_AGENCIES: &[(&str, &str)] = &[
    ("csc", "Children's Social Care"),
    ("education", "Education"),
    ("police", "Police"),
    ("community-safety", "Community Safety Partnership"),
];

/// The `.gitignore` lines `init` needs: rendered documents are rebuilt from
/// the records and must not be committed (they repeat restricted material),
/// nor the staging folders a build swaps into place.
pub const GITIGNORE_LINES: &[&str] = &["/output/", "/.output-*"];

// ---------------------------------------------------------------- quoting

/// A YAML scalar for free text given on the command line: plain when that
/// cannot change its meaning, otherwise double-quoted (JSON strings are YAML).
pub fn yaml_str(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
    }
}

/// Conservative: letters first, a small set of punctuation (no `:`, `#`, and
/// no `,`, which would end the value inside `{ ... }` or `[ ... ]`), and not a
/// word YAML 1.1 reads as a boolean or null.
fn is_plain_safe(s: &str) -> bool {
    const WORDS: &[&str] = &["yes", "no", "on", "off", "true", "false", "null", "y", "n"];
    let first_ok = s.chars().next().is_some_and(char::is_alphabetic);
    let chars_ok = s
        .chars()
        .all(|c| c.is_alphanumeric() || " .'()/;&-".contains(c));
    first_ok
        && chars_ok
        && !s.ends_with(' ')
        && !s.contains("  ")
        && !WORDS.contains(&s.to_ascii_lowercase().as_str())
}

/// Appends `text` as `#` comment lines of at most 78 characters.
pub fn push_comment(out: &mut String, text: &str) {
    let mut line = String::from("#");
    for word in comment_safe(text).split_whitespace() {
        if line.len() > 1 && line.len() + 1 + word.len() > 78 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
}

/// Text safe inside a `#` comment: one line, no control characters.
pub fn comment_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

// ---------------------------------------------------------------- contextpack.yaml

/// `contextpack.yaml` with the defaults of the model written out, so that a
/// partnership sees every number of the protocol where it can change it.
/// The forums `contextpack init` writes when it is given none: the terms
/// of reference's three, named without Plymouth's place names, as a new
/// casebook may be another partnership's.
pub const NEUTRAL_FORUMS: [(&str, &str); 3] = [
    (
        "mace-operational",
        "Operational Missing and Child Exploitation (MACE) panel",
    ),
    ("csp", "Community Safety Partnership"),
    (
        "mace-strategic",
        "Strategic Missing and Child Exploitation Group",
    ),
];

/// The line that tells an editor's YAML language server which schema (as
/// `contextpack schema` writes them into `schemas/`) checks the file, for a
/// file `depth` folders below the casebook's root.
pub fn schema_line(record: &str, depth: usize) -> String {
    format!(
        "# yaml-language-server: $schema={}{}/{}\n",
        "../".repeat(depth),
        crate::schema::SCHEMA_DIR,
        crate::schema::file_name(record)
    )
}

pub fn settings(partnership: &str, forums: &[(String, String)]) -> String {
    let defaults = Settings::default();
    let mut out = schema_line("contextpack", 0);
    out.push_str(SETTINGS_HEAD);
    out.push_str(&format!("partnership: {}\n\n", yaml_str(partnership)));
    out.push_str(SETTINGS_MARKINGS_NOTE);
    out.push_str(&format!("marking: {}\n", yaml_str(&defaults.marking)));
    out.push_str("# Marking printed on the anonymised theme summaries for the strategic forums.\n");
    out.push_str(&format!(
        "anonymised_marking: {}\n\n",
        yaml_str(&defaults.anonymised_marking)
    ));
    out.push_str(SETTINGS_AGENCIES_NOTE);
    out.push_str("agencies:\n");
    for (id, name) in CORE_AGENCIES {
        out.push_str(&format!(
            "  - id: {id}\n    name: {}\n    core: true\n",
            yaml_str(name)
        ));
    }
    out.push_str(SETTINGS_AGENCIES_EXAMPLE);
    out.push_str(SETTINGS_PEOPLE);
    out.push_str(SETTINGS_FORUMS_NOTE);
    out.push_str("forums:\n");
    let neutral = NEUTRAL_FORUMS.map(|(id, name)| (id.to_string(), name.to_string()));
    let forums = if forums.is_empty() {
        &neutral[..]
    } else {
        forums
    };
    for (id, name) in forums {
        out.push_str(&format!("  - id: {id}\n    name: {}\n", yaml_str(name)));
    }
    out.push('\n');
    out.push_str(&protocol(&defaults.protocol));
    out.push_str(SETTINGS_ANONYMISATION_NOTE);
    out.push_str(&format!(
        "anonymisation:\n  suppress_below: {}\n\n",
        defaults.suppress_below
    ));
    out.push_str(SETTINGS_TAIL);
    out
}

const SETTINGS_HEAD: &str = "\
# contextpack.yaml: this partnership's settings, one file per casebook.
# The contract for every key is FORMAT.md, section \"contextpack.yaml\"; the
# rules named below are those of PROTOCOL.md (`contextpack rules` lists them,
# `contextpack explain <rule>` explains one).
#
# Only partnership, agencies and people are required. Every other key below is
# written out with its default value, so that you can see it and adapt it.
# Lines starting with # are comments.

# The partnership that owns these records: printed on the cover of every pack.
";

const SETTINGS_MARKINGS_NOTE: &str = "\
# Protective marking printed in the header and footer of every restricted
# document (agendas, minutes, packs, action plans).
";

const SETTINGS_AGENCIES_NOTE: &str = "\
# Agencies that sit on conferences (FORMAT.md, \"contextpack.yaml\"). `id` is
# how every record names the agency. `core: true` marks the agencies the terms
# of reference expect at every conference: rule `core-agencies` warns when one
# is not invited. Rename them to your local names; add the others you work with.
# An agency named like a context (a school that is also one) needs a
# `public_name:` for the anonymised summaries, such as \"A secondary school\".
";

const SETTINGS_AGENCIES_EXAMPLE: &str = "  # - id: youth-service\n  #   name: Youth Service\n\n";

const SETTINGS_PEOPLE: &str = "\
# Practitioners, chairs and partners: adult professionals only, never
# children (children are listed, under a pseudonymous ref, in each context).
# `agency` is an agency id above. `roles` are ids of your choosing; the ones
# named under protocol.chairs below decide who may chair which conference
# (rule `chair-role`). Add everyone who leads, chairs or is invited by name:
people:
  # - id: jo-smith
  #   name: Jo Smith
  #   agency: csc
  #   roles: [lead-practitioner]
  # - id: kim-davies
  #   name: Kim Davies
  #   agency: community-safety
  #   roles: [community-safety-partnership-manager]

";

const SETTINGS_FORUMS_NOTE: &str = "\
# Strategic forums that receive the anonymised theme summaries, quarter by
# quarter (`contextpack report`). Learning items in conference records name
# these ids. The terms of reference name an operational and a strategic MACE
# group and the community safety partnership: give yours their own names
# (`contextpack init --forum ID=NAME`).
";

/// The `protocol:` block with each number's rule.
fn protocol(p: &Protocol) -> String {
    let mut out = String::from(
        "# Every number of PROTOCOL.md, with its default (FORMAT.md, \"contextpack.yaml\").\n\
         protocol:\n",
    );
    out.push_str(&format!(
        "  # A review conference is held no later than this many months after the\n  \
         # conference that set it (rule `review-within`).\n  \
         review_within_months: {}\n",
        p.review_within_months
    ));
    out.push_str(&format!(
        "  # A moved conference is held again within this many days of the missed\n  \
         # date (rule `moved-within`).\n  \
         reschedule_within_days: {}\n",
        p.reschedule_within_days
    ));
    out.push_str(&format!(
        "  # The least time an agenda gives the outline plan discussion\n  \
         # (rule `plan-discussion-time`).\n  \
         plan_discussion_min_minutes: {}\n",
        p.plan_discussion_min_minutes
    ));
    out.push_str(&format!(
        "  # Expected length of a conference and the tolerance either side\n  \
         # (rule `duration`).\n  \
         conference_minutes: {}\n  \
         conference_minutes_tolerance: {}\n",
        p.conference_minutes, p.conference_minutes_tolerance
    ));
    out.push_str(
        "  # Which people's roles may chair a conference about each type of context\n  \
         # (rule `chair-role`). Giving `chairs` replaces this whole list.\n  \
         chairs:\n",
    );
    for (ty, roles) in &p.chairs {
        let roles: Vec<&str> = roles.iter().map(|r| r.value.as_str()).collect();
        out.push_str(&format!("    {ty}: [{}]\n", roles.join(", ")));
    }
    out.push('\n');
    out
}

const SETTINGS_ANONYMISATION_NOTE: &str = "\
# Anonymised summaries: counts of children from 1 up to (not including) this
# number print as \"c\", so that no child can be identified from a small count.
";

const SETTINGS_TAIL: &str = "\
# Two more keys, not in FORMAT.md:
# harms: [weapon-carrying]   # harm types added to the built-in vocabulary
# as_of: 2026-11-01          # pins \"today\" for a training casebook; leave it
#                            # out of a live one, or nothing ever falls due
";

// ---------------------------------------------------------------- context

/// What `new context` knows about the context it writes.
pub struct ContextDraft<'a> {
    pub context_type: ContextType,
    pub title: &'a str,
    pub area: Option<&'a str>,
    pub opened: Date,
    pub lead: &'a str,
    /// Built-in harm types and the casebook's own, for the comment.
    pub harms: Vec<String>,
}

pub fn context(d: &ContextDraft) -> String {
    let mut out = schema_line("context", 2);
    out.push_str(
        "# The context (FORMAT.md, section \"cases/<id>/context.yaml\"). The folder's\n\
         # name is the context's id.\n\n",
    );
    out.push_str(&format!(
        "type: {}                 # {}\n",
        d.context_type,
        ContextType::NAMES.join(" | ")
    ));
    out.push_str(&format!("title: {}\n", yaml_str(d.title)));
    match d.area {
        Some(area) => out.push_str(&format!(
            "area: {}   # the only place detail in anonymised output\n",
            yaml_str(area)
        )),
        None => out.push_str(
            "area:    # FILL IN: the ward or locality; the only place detail in anonymised output\n",
        ),
    }
    out.push_str(&format!("opened: {}\n", d.opened));
    out.push_str("# closed: YYYY-MM-DD           # once closed, no further review is due\n");
    out.push_str(&format!(
        "lead_practitioner: {}   # a person id from contextpack.yaml\n",
        d.lead
    ));
    out.push_str(
        "# managed_by: who manages the place or space (they agree the venue)\n\n\
         # Harm types, for example [criminal-exploitation, county-lines]. Known:\n",
    );
    for line in wrap_list(&d.harms, 74) {
        out.push_str(&format!("#   {line}\n"));
    }
    out.push_str("harms: []\n\n");
    out.push_str(CONTEXT_YOUNG_PEOPLE);
    out
}

const CONTEXT_YOUNG_PEOPLE: &str = "\
# Children linked to the context. `ref` is a pseudonymous reference, unique
# in the casebook: only the ref belongs in minutes, plans and learning. The
# name never leaves restricted documents. role: affected | alleged-harmer | both
# born: YYYY-MM (or age:) keeps the summaries' age bands right as they grow
# up; linked: the day they were linked (default: opened); unlinked: if ended.
# Empty until the first child is written under it: take the `#` off the
# example's lines below and it is a valid entry to fill in.
young_people:
#  - ref: YP-A
#    name: Full Name
#    born: 2011-04
#    role: affected
#    linked: 2026-09-14
";

/// Items joined with ", " in lines of at most `width` characters.
fn wrap_list(items: &[String], width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for item in items {
        if !line.is_empty() && line.len() + item.len() + 2 > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push_str(", ");
        }
        line.push_str(item);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

// ---------------------------------------------------------------- assessment

use crate::model::ASSESSMENT_SECTIONS;

pub fn assessment(lead: &str) -> String {
    let mut out = format!(
        "---\n{}\
         # The context assessment (FORMAT.md, section \"cases/<id>/assessment.md\").\n\
         # Until every section below has text and the date is filled in,\n\
         # `contextpack check` lists what is missing.\n\
         date:    # FILL IN: the date the assessment was completed (YYYY-MM-DD)\n\
         lead_practitioner: {lead}\n\
         # methods: observation, peer-mapping, partner-intelligence,\n\
         #          young-people-consultation, parent-consultation, ...\n\
         methods: []\n\
         # Adults and young people with influence over the context.\n\
         influencers: []\n\
         # Context weighting factors: at least one, each with its rationale\n\
         # (rule `weighting-rationale`). level: child | family | peers | school |\n\
         # neighbourhood | online; weight: high | medium | low.\n\
         weighting: []\n\
         #  - level: neighbourhood\n\
         #    factor: What increases or reduces the harm\n\
         #    weight: high\n\
         #    rationale: What the evidence is and where it comes from\n\
         ---\n",
        schema_line("assessment", 2)
    );
    for title in ASSESSMENT_SECTIONS {
        out.push_str(&format!("\n## {title}\n"));
    }
    out
}

// ---------------------------------------------------------------- plan

pub fn plan() -> String {
    schema_line("plan", 2) + PLAN
}

const PLAN: &str = "\
# The intervention plan (FORMAT.md, section \"cases/<id>/plan.yaml\"): goals
# and the actions agreed at conferences, in the four domains of Appendix 2.
# `agreed` is the date of the conference that agreed an action.

# Each list is empty until its first entry is written under it: take the
# `#` off an example's lines and it is a valid entry to fill in.
goals:
#  - id: g1
#    text: Young people can use the place without being approached.

actions:
#  - id: a1
#    domain: target        # target | legislative-framework | partnerships | outcomes
#    action: What will be done
#    goal: g1
#    owner: { agency: community-safety, person: kim-davies }
#    agreed: YYYY-MM-DD
#    due: YYYY-MM-DD
#    status: planned       # planned | in-progress | done | dropped
#    measure: How the change will be measured (outcomes actions)

exceptions: []
";

// ---------------------------------------------------------------- conference

/// One invitation to write.
pub struct Invite {
    pub agency: String,
    pub person: Option<String>,
    pub name: Option<String>,
}

/// What `new conference` has resolved about the meeting it writes; `None`
/// is a fact left for the practitioner to fill in.
pub struct ConferenceDraft {
    pub kind: MeetingKind,
    pub date: Date,
    pub start: Time,
    pub end: Time,
    pub venue: Option<String>,
    pub venue_agreed_by: Vec<String>,
    pub chair: Option<String>,
    pub chair_role: Option<String>,
    /// People who may chair this context's conferences, for the comment.
    pub chair_candidates: Vec<String>,
    pub invited: Vec<Invite>,
    /// Where the chair, venue and invitations came from, for the comment.
    pub copied_from: Option<String>,
    /// Who manages the context, for the venue comment.
    pub managed_by: Option<String>,
    /// Core agencies the invitations leave out, for the comment.
    pub core_not_invited: Vec<String>,
}

pub fn conference(d: &ConferenceDraft) -> String {
    let mut out = String::from("---\n");
    out.push_str(&schema_line("meeting", 3));
    let article = match d.kind {
        MeetingKind::Review => "A",
        MeetingKind::Initial | MeetingKind::Interim => "An",
    };
    out.push_str(&format!(
        "# {article} {} meeting (FORMAT.md, section\n# \"cases/<id>/conferences/<YYYY-MM-DD>-<kind>.md\").\n",
        d.kind
    ));
    if let Some(from) = &d.copied_from {
        push_comment(
            &mut out,
            &format!("Chair, venue and invitations follow {from}."),
        );
    }
    out.push_str(&format!("kind: {}\ndate: {}\n", d.kind, d.date));
    out.push_str(&format!(
        "start: \"{}\"   # agreed times, 24-hour, in quotes\nend: \"{}\"\n",
        d.start.format("%H:%M"),
        d.end.format("%H:%M")
    ));
    venue_lines(d, &mut out);
    chair_lines(d, &mut out);
    out.push_str("status: scheduled               # scheduled | held | moved | cancelled\n");
    invited_lines(d, &mut out);
    let length = (d.end - d.start).num_minutes().max(0);
    agenda_lines(d.kind, u32::try_from(length).unwrap_or(0), &mut out);
    out.push_str(AFTER_THE_MEETING);
    if d.kind != MeetingKind::Interim {
        out.push_str(AFTER_A_CONFERENCE);
    }
    out.push_str("---\n");
    out
}

fn venue_lines(d: &ConferenceDraft, out: &mut String) {
    match &d.venue {
        Some(v) => out.push_str(&format!("venue: {}\n", yaml_str(v))),
        None => out.push_str("venue:    # FILL IN: where the meeting is held\n"),
    }
    let managers = d
        .managed_by
        .as_deref()
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    let list: Vec<String> = d.venue_agreed_by.iter().map(|s| yaml_str(s)).collect();
    push_comment(
        out,
        &format!(
            "The venue is agreed by the chair and by someone who manages the \
             context{managers} (rule `venue-agreed`): person ids or names."
        ),
    );
    out.push_str(&format!("venue_agreed_by: [{}]\n", list.join(", ")));
}

fn chair_lines(d: &ConferenceDraft, out: &mut String) {
    let optional = d.kind == MeetingKind::Interim;
    match (&d.chair, optional) {
        (Some(c), _) => out.push_str(&format!("chair: {c}\n")),
        (None, true) => out.push_str("# chair: a person id (optional for an interim meeting)\n"),
        (None, false) => {
            let who = if d.chair_candidates.is_empty() {
                "no one in contextpack.yaml holds a role under protocol.chairs for this type yet"
                    .to_string()
            } else {
                format!("may chair: {}", d.chair_candidates.join(", "))
            };
            out.push_str(&format!(
                "chair:    # FILL IN: a person id; {}\n",
                comment_safe(&who)
            ));
        }
    }
    match (&d.chair_role, optional) {
        (Some(r), _) => out.push_str(&format!(
            "chair_role: {}   # the chair's role (rule `chair-role`)\n",
            yaml_str(r)
        )),
        (None, true) => {}
        (None, false) => out.push_str(
            "chair_role:    # FILL IN: the chair's role, one allowed under protocol.chairs\n",
        ),
    }
}

fn invited_lines(d: &ConferenceDraft, out: &mut String) {
    out.push_str(
        "# Who is invited: an agency with a person id or a free-text name. Every core\n\
         # agency is expected at a conference (rule `core-agencies`).\n",
    );
    if !d.core_not_invited.is_empty() {
        push_comment(
            out,
            &format!(
                "Core agencies not invited: {} (add them, or expect a `core-agencies` warning).",
                d.core_not_invited.join(", ")
            ),
        );
    }
    out.push_str("invited:\n");
    if d.invited.is_empty() {
        out.push_str("  # - { agency: csc, person: jo-smith }\n");
    }
    for i in &d.invited {
        let who = match (&i.person, &i.name) {
            (Some(p), _) => format!(", person: {p}"),
            (None, Some(n)) => format!(", name: {}", yaml_str(n)),
            (None, None) => String::new(),
        };
        out.push_str(&format!("  - {{ agency: {}{who} }}\n", i.agency));
    }
}

/// The default agenda of FORMAT.md written out for a conference, so the
/// chair can change it, filling the meeting's `minutes`; a shorter one for
/// an interim meeting.
fn agenda_lines(kind: MeetingKind, minutes: u32, out: &mut String) {
    let items = agenda(kind, minutes);
    let total: u32 = items.iter().map(|(_, m)| m).sum();
    out.push_str(&format!(
        "# The agenda, in order ({total} minutes). Free items are written\n\
         # {{ title: ..., minutes: N }}. Standard items:\n"
    ));
    let names: Vec<String> = AgendaItemId::NAMES.iter().map(|n| n.to_string()).collect();
    for line in wrap_list(&names, 74) {
        out.push_str(&format!("#   {line}\n"));
    }
    out.push_str("agenda:\n");
    for (id, minutes) in items {
        out.push_str(&format!("  - {{ item: {id}, minutes: {minutes} }}\n"));
    }
}

/// The agenda items and minutes `new` writes for a meeting of `kind`: a
/// conference's default agenda, or a short interim one.
pub fn agenda(kind: MeetingKind, conference_minutes: u32) -> Vec<(AgendaItemId, u32)> {
    match kind {
        MeetingKind::Interim => vec![
            (AgendaItemId::Introductions, 10),
            (AgendaItemId::Confidentiality, 5),
            (AgendaItemId::ActionProgress, 10),
            (AgendaItemId::PartnerReports, 15),
            (AgendaItemId::ActionPlan, 10),
            (AgendaItemId::Learning, 5),
            (AgendaItemId::AnyOtherBusiness, 5),
        ],
        MeetingKind::Initial | MeetingKind::Review => {
            AgendaItemId::default_timings(kind, conference_minutes)
        }
    }
}

const AFTER_THE_MEETING: &str = "\
# After the meeting: set `status: held`, fill in what follows, and write the
# minutes below the closing --- (one ## heading per agenda item).
# attendance:                         # one line per invited agency
#   - { agency: csc, person: jo-smith }
#   - { agency: police, absent: true, represented_by: PC Sam Lee }
# confidentiality_statement_read: true
# partner_reports: [csc, police]      # agencies that brought a report or briefing
# minute_taker: jo-smith              # a person's id, or a name
# approved: { date: YYYY-MM-DD, by: jo-smith }   # when the minutes were agreed
# circulated_to: [csc, police, mace-operational] # agencies and forums sent them
";

const AFTER_A_CONFERENCE: &str = "\
# plan_shared_verbally: true
# review:                             # within protocol.review_within_months
#   date: YYYY-MM-DD
#   agencies: [csc, police, education, community-safety]
#   invitations_by: jo-smith
# learning:                           # for the strategic forums
#   - text: What partners learnt about this context
#     forums: [mace-operational]
#     themes: [county-lines]
";
