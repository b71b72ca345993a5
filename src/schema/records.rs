//! Every record of a casebook, field by field. The descriptions are what
//! an editor shows on hover: say what to write, not how it is stored.

use super::{Kind, Target, shape};
use crate::model::{
    ActionStatus, AgendaItemId, Better, ContextType, Domain, MeasureLevel, MeetingKind,
    MeetingStatus, Weight, WeightingLevel, YoungPersonRole,
};

const AGENCY_REF: Kind = Kind::Ref(&[Target::Agency]);
const PERSON_REF: Kind = Kind::Ref(&[Target::Person]);
const AGENCY_LIST: Kind = Kind::List(&AGENCY_REF);

// ------------------------------------------------------------ contextpack.yaml

shape!(SETTINGS, "contextpack.yaml", "The partnership's settings: one per casebook, at its root.", {
    "partnership": Kind::Text, Required, "The partnership's name, printed on every document.";
    "marking": Kind::Text, Optional, "The protective marking on every page of every restricted document (default OFFICIAL-SENSITIVE).";
    "anonymised_marking": Kind::Text, Optional, "The marking on the anonymised summaries (default OFFICIAL).";
    "agencies": Kind::List(&Kind::Record(&AGENCY)), Listed, "The agencies of the partnership; core agencies are expected at every conference.";
    "people": Kind::List(&Kind::Record(&PERSON)), Listed, "Practitioners, chairs and partners, never children: records name them by id.";
    "forums": Kind::List(&Kind::Record(&FORUM)), Optional, "The strategic forums that receive the anonymised summaries.";
    "protocol": Kind::Record(&PROTOCOL), Optional, "The numbers of the terms of reference, each with its default.";
    "anonymisation": Kind::Record(&ANONYMISATION), Optional, "How the anonymised summaries suppress small counts.";
    "as_of": Kind::Date, Optional, "The date `check` and `build` judge deadlines against when `--today` is not given.";
    "harms": Kind::List(&Kind::Id), Optional, "Harm types this partnership adds to the built-in ones.";
    "themes": Kind::List(&Kind::Either(&[Kind::Id, Kind::Record(&THEME)])), Optional, "The themes learning may be filed under; when listed, learning's `themes` must be among them.";
    "areas": Kind::List(&Kind::NonBlank), Optional, "The wards or localities a context's `area` must be one of, when listed.";
    "rules": Kind::Keyed { keys: &Kind::Ref(&[Target::Rule]), values: &Kind::Either(&[Kind::Words(&["off", "error", "breach", "warning"]), Kind::Record(&RULE_SETTING)]) }, Optional, "The partnership's changes to the protocol: a rule id and its level (`off`, `warning`, `breach`); lowering a breach needs a reason.";
    "logo": Kind::Text, Optional, "A PNG, JPEG or SVG file in the casebook, printed on every document.";
});

shape!(AGENCY, "an agency", "An agency of the partnership.", {
    "id": Kind::Id, Required, "The agency's id, as records name it: `police`.";
    "name": Kind::Text, Required, "The agency's name as documents print it.";
    "public_name": Kind::Text, Optional, "The name the anonymised summaries print, when it differs.";
    "core": Kind::Bool, Optional, "`true` for an agency expected at every conference.";
});

shape!(PERSON, "a person", "A practitioner, chair or partner. Never a child.", {
    "id": Kind::Id, Required, "The person's id, as records name them: `kim-davies`.";
    "name": Kind::Text, Required, "Their name as documents print it.";
    "agency": AGENCY_REF, Required, "The id of their agency.";
    "roles": Kind::List(&Kind::Text), Optional, "Their roles, as `protocol: chairs:` names them: `dsl`, `isro`.";
});

shape!(FORUM, "a forum", "A strategic forum that receives anonymised summaries.", {
    "id": Kind::Id, Required, "The forum's id, as learning names it.";
    "name": Kind::Text, Required, "The forum's name.";
});

shape!(THEME, "a theme", "A theme learning may be filed under.", {
    "id": Kind::Id, Required, "The theme's id, as learning names it.";
    "label": Kind::NonBlank, Optional, "How summaries print it (the id in words otherwise).";
});

shape!(RULE_SETTING, "a rule's setting", "A rule's level, with the reason for lowering it.", {
    "level": Kind::Words(&["off", "error", "breach", "warning"]), Required, "`off`, `warning`, `breach` or `error`.";
    "reason": Kind::NonBlank, Optional, "Why: printed in every document and summary. Needed to lower a breach.";
});

shape!(PROTOCOL, "protocol", "The numbers of the terms of reference.", {
    "review_within_months": Kind::Whole { min: 1, max: 100_000 }, Optional, "A conference is reviewed within this many months (default 3).";
    "reschedule_within_days": Kind::Whole { min: 0, max: 100_000 }, Optional, "A moved meeting is held within this many days (default 14).";
    "plan_discussion_min_minutes": Kind::Whole { min: 0, max: 100_000 }, Optional, "The least time for discussing the plan (default 30).";
    "conference_minutes": Kind::Whole { min: 1, max: 100_000 }, Optional, "A conference's usual length in minutes (default 120).";
    "conference_minutes_tolerance": Kind::Whole { min: 0, max: 100_000 }, Optional, "How far a conference may run from its usual length (default 30).";
    "chairs": Kind::Keyed { keys: &Kind::Words(ContextType::NAMES), values: &Kind::List(&Kind::Text) }, Optional, "Which chair roles may chair which type of context.";
});

shape!(ANONYMISATION, "anonymisation", "How anonymised summaries suppress small counts.", {
    "suppress_below": Kind::Whole { min: 0, max: 100_000 }, Optional, "Counts of children from 1 to this less one print as `c` (default 6).";
});

// ------------------------------------------------------------ context.yaml

shape!(CONTEXT, "context.yaml", "A context: a place, a school, a peer group or an online space. The folder's name is its id.", {
    "type": Kind::Words(ContextType::NAMES), Required, "`peer-group`, `school`, `neighbourhood` or `online`.";
    "title": Kind::Text, Required, "The context's name in a line, at most 300 characters.";
    "area": Kind::Ref(&[Target::Area]), Required, "The ward or locality: the only place detail in anonymised output.";
    "opened": Kind::Date, Required, "The day the context was opened.";
    "closed": Kind::Date, Optional, "The day it was closed; a closed context needs no further review.";
    "lead_practitioner": PERSON_REF, Optional, "The lead practitioner's person id.";
    "managed_by": Kind::Text, Optional, "Who manages the place or space.";
    "harms": Kind::List(&Kind::Ref(&[Target::Harm])), Optional, "The harm types seen in this context.";
    "young_people": Kind::List(&Kind::Record(&YOUNG_PERSON)), Optional, "The children linked to the context, each by a pseudonymous `ref`.";
    "related_contexts": Kind::List(&Kind::Record(&RELATION)), Optional, "Other contexts linked to this one: the school its peer group attends.";
});

shape!(YOUNG_PERSON, "a young person", "A child linked to the context. A child defined in another context is linked by `ref` and `role` alone.", {
    "ref": Kind::Text, Required, "A pseudonymous reference, unique in the casebook: `YP-A`.";
    "name": Kind::Text, Optional, "Their name: restricted, never in anonymised output.";
    "age": Kind::Whole { min: 0, max: 25 }, Optional, "Their age; `born` keeps it right as they grow up.";
    "born": Kind::Month, Optional, "Their month of birth, `YYYY-MM`.";
    "role": Kind::Words(YoungPersonRole::NAMES), Required, "`affected`, `alleged-harmer` or `both`.";
    "linked": Kind::Date, Optional, "The day they were linked to this context.";
    "unlinked": Kind::Date, Optional, "The day they stopped being linked to it.";
});

shape!(RELATION, "a related context", "A link to another context.", {
    "context": Kind::Ref(&[Target::Context]), Required, "The other context's id (its folder's name).";
    "relation": Kind::Text, Optional, "How they are linked.";
});

// ------------------------------------------------------------ assessment.md

shape!(ASSESSMENT, "an assessment", "The front matter of `assessment.md`; the body has the thirteen `##` sections.", {
    "date": Kind::Date, Required, "The day the assessment was completed.";
    "lead_practitioner": PERSON_REF, Optional, "Who led it: a person id.";
    "methods": Kind::List(&Kind::Text), Optional, "How the context was assessed: `observation`, `peer-mapping`...";
    "influencers": Kind::List(&Kind::Text), Optional, "Adults and young people with influence over the context.";
    "weighting": Kind::List(&Kind::Record(&WEIGHTING_FACTOR)), Optional, "The context weighting factors.";
});

shape!(WEIGHTING_FACTOR, "a weighting factor", "A factor weighing on the context.", {
    "level": Kind::Words(WeightingLevel::NAMES), Required, "`child`, `family`, `peers`, `school`, `neighbourhood` or `online`.";
    "factor": Kind::Text, Required, "What the factor is.";
    "weight": Kind::Words(Weight::NAMES), Required, "`high`, `medium` or `low`.";
    "rationale": Kind::Text, Optional, "Why it weighs as it does.";
});

// ------------------------------------------------------------ conferences/*.md

shape!(MEETING, "a conference", "The front matter of a meeting's file, `conferences/<YYYY-MM-DD>-<kind>.md`; the body is its minutes.", {
    "kind": Kind::Words(MeetingKind::NAMES), Required, "`initial`, `review` or `interim`, as in the file's name.";
    "date": Kind::Date, Required, "The day of the meeting, as in the file's name.";
    "start": Kind::Time, Required, "Start time, `\"HH:MM\"` in quotes.";
    "end": Kind::Time, Required, "End time, `\"HH:MM\"` in quotes.";
    "venue": Kind::Text, Required, "Where it is held.";
    "venue_agreed_by": Kind::List(&Kind::Text), Optional, "The chair and those who manage the context, who agreed the venue.";
    "chair": PERSON_REF, Optional, "The chair's person id (required for a conference).";
    "chair_role": Kind::Text, Optional, "The role they chair in, as `protocol: chairs:` names it.";
    "status": Kind::Words(MeetingStatus::NAMES), Required, "`scheduled`, `held`, `moved` or `cancelled`.";
    "invited": Kind::List(&Kind::Record(&INVITATION)), Optional, "Who is invited: every core agency.";
    "attendance": Kind::List(&Kind::Record(&ATTENDANCE)), Optional, "Once held: one line per invited agency.";
    "agenda": Kind::List(&Kind::Record(&AGENDA_ITEM)), Optional, "The whole agenda in order, replacing the default one.";
    "confidentiality_statement_read": Kind::Bool, Optional, "Whether the confidentiality statement was read.";
    "partner_reports": AGENCY_LIST, Optional, "Agencies that brought a report or briefing.";
    "plan_shared_verbally": Kind::Bool, Optional, "Whether the plan was shared before the meeting closed.";
    "review": Kind::Record(&REVIEW), Optional, "The review agreed: required once an initial or review conference is held.";
    "moved": Kind::Record(&MOVED), Optional, "Where a moved meeting went: required when `status: moved`.";
    "exceptions": Kind::List(&Kind::Record(&EXCEPTION)), Optional, "A protocol breach that happened here, and why.";
    "learning": Kind::List(&Kind::Record(&LEARNING)), Optional, "Themes, trends and learning for the strategic forums.";
    "minute_taker": Kind::PersonOrName, Optional, "Who took the minutes: a person id or a name.";
    "approved": Kind::Record(&APPROVAL), Optional, "When the minutes were agreed as a true record.";
    "circulated_to": Kind::List(&Kind::Ref(&[Target::Agency, Target::Forum])), Optional, "Agencies and forums the minutes went to.";
    "papers": Kind::List(&Kind::Either(&[Kind::Text, Kind::Record(&PAPER)])), Optional, "PDF or Markdown papers sent with the agenda, paths from the context's folder.";
});

shape!(INVITATION, "an invitation", "An agency invited, and who from it.", {
    "agency": AGENCY_REF, Required, "The agency's id.";
    "person": PERSON_REF, Optional, "The person's id, when they are in `people:`.";
    "name": Kind::Text, Optional, "A name or role, when they are not.";
});

shape!(ATTENDANCE, "an attendance line", "Who came for an agency, or who stood in.", {
    "agency": AGENCY_REF, Required, "The agency's id.";
    "person": PERSON_REF, Optional, "The person's id, when they are in `people:`.";
    "name": Kind::Text, Optional, "A name or role, when they are not.";
    "absent": Kind::Bool, Optional, "`true` when the agency's member was absent.";
    "represented_by": Kind::Text, Optional, "Who represented an absent member.";
});

shape!(AGENDA_ITEM, "an agenda item", "A standard item (`item`) or a free one (`title`), and its minutes.", {
    "item": Kind::Words(AgendaItemId::NAMES), Optional, "A standard item: `introductions`, `assessment`, `plan-discussion`...";
    "title": Kind::Text, Optional, "A free item's title.";
    "minutes": Kind::Whole { min: 1, max: 100_000 }, Required, "Its length in minutes.";
});

shape!(REVIEW, "a review", "The review a conference agreed.", {
    "date": Kind::Date, Optional, "The review's date, within the protocol's months.";
    "agencies": AGENCY_LIST, Optional, "The agencies chosen by the chair with partners.";
    "invitations_by": PERSON_REF, Optional, "Who sends the invitations: a person id.";
});

shape!(MOVED, "`moved`", "Where and why a meeting moved.", {
    "to": Kind::Date, Required, "The new date, within the protocol's days.";
    "chair_consent": Kind::Bool, Optional, "`true`: the chair consented to the move.";
    "reason": Kind::Text, Required, "Why it moved.";
});

shape!(APPROVAL, "`approved`", "When the minutes were agreed.", {
    "date": Kind::Date, Required, "The day they were approved, on or after the meeting.";
    "by": Kind::PersonOrName, Optional, "Who approved them: a person id or a name.";
});

shape!(LEARNING, "a learning item", "Learning for the strategic forums.", {
    "text": Kind::Text, Required, "The learning, without names: it goes to the summaries.";
    "forums": Kind::List(&Kind::Ref(&[Target::Forum])), Optional, "The forums it goes to.";
    "themes": Kind::List(&Kind::Ref(&[Target::Theme])), Optional, "The themes it is filed under.";
});

shape!(PAPER, "a paper", "A paper sent with the agenda.", {
    "file": Kind::Text, Required, "Its path from the context's folder.";
    "title": Kind::Text, Optional, "How the agenda lists it.";
});

// ------------------------------------------------------------ plan.yaml

shape!(PLAN, "plan.yaml", "The living intervention plan: goals and actions in the four domains.", {
    "goals": Kind::List(&Kind::Record(&GOAL)), Optional, "The safety goals for the context.";
    "actions": Kind::List(&Kind::Record(&ACTION)), Optional, "The actions agreed.";
    "exceptions": Kind::List(&Kind::Record(&EXCEPTION)), Optional, "A protocol breach in the plan, and why.";
});

shape!(GOAL, "a goal", "A safety goal.", {
    "id": Kind::Id, Required, "The goal's id, as actions name it: `g1`.";
    "text": Kind::Text, Required, "The goal.";
});

shape!(ACTION, "an action", "An action of the plan.", {
    "id": Kind::Id, Required, "The action's id: `a1`.";
    "domain": Kind::Words(Domain::NAMES), Optional, "`target`, `legislative-framework`, `partnerships` or `outcomes`.";
    "action": Kind::Text, Required, "What will be done.";
    "goal": Kind::Ref(&[Target::Goal]), Optional, "The id of the goal it serves.";
    "owner": Kind::Record(&OWNER), Optional, "Who owns it.";
    "agreed": Kind::Date, Optional, "The date of the conference that agreed it.";
    "due": Kind::Date, Optional, "When it is due: the latest update's `due` when one re-dated it.";
    "status": Kind::Words(ActionStatus::NAMES), Optional, "`planned`, `in-progress`, `done` or `dropped`.";
    "done": Kind::Date, Optional, "The day it was done: required when `status: done`.";
    "measure": Kind::Either(&[Kind::Text, Kind::Record(&MEASURE)]), Optional, "How its outcome is measured: a sentence, or `what` with readings.";
    "updates": Kind::List(&Kind::Record(&UPDATE)), Optional, "Progress, dated.";
});

shape!(OWNER, "an action owner", "The agency and person owning an action.", {
    "agency": AGENCY_REF, Optional, "The agency's id.";
    "person": PERSON_REF, Optional, "The person's id.";
    "name": Kind::Text, Optional, "A name, when they are not in `people:`.";
});

shape!(MEASURE, "a measure", "An outcome measure read over time.", {
    "what": Kind::Text, Required, "What is measured, as documents print it.";
    "level": Kind::Words(MeasureLevel::NAMES), Optional, "`context` (the place, group or space) or `individual`.";
    "unit": Kind::Text, Optional, "The unit of the readings.";
    "better": Kind::Words(Better::NAMES), Optional, "`down`: less is better; `up`: more is better. Needed with readings.";
    "readings": Kind::List(&Kind::Record(&READING)), Optional, "The readings, the first the baseline, each on its own date.";
});

shape!(READING, "a reading", "One reading of a measure.", {
    "date": Kind::Date, Required, "The day of the reading.";
    "value": Kind::Number, Required, "The value read.";
    "note": Kind::Text, Optional, "A note on it.";
});

shape!(UPDATE, "an update", "Progress on an action.", {
    "date": Kind::Date, Required, "The day of the update.";
    "note": Kind::Text, Required, "What happened.";
    "due": Kind::Date, Optional, "A new due date, when the update re-dated the action.";
});

shape!(EXCEPTION, "an exception", "A protocol breach that happened, explained.", {
    "rule": Kind::Ref(&[Target::Rule]), Required, "The rule's id: `representation`.";
    "reason": Kind::NonBlank, Required, "Why: printed wherever the breach is reported.";
});

/// The records a casebook's files hold, by the schema file each gets.
pub const FILES: &[(&str, &super::Shape)] = &[
    ("contextpack", &SETTINGS),
    ("context", &CONTEXT),
    ("assessment", &ASSESSMENT),
    ("meeting", &MEETING),
    ("plan", &PLAN),
];
