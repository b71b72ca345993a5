//! The catalogue of rules: id, kind, one line, and the passage each comes from.
//! `contextpack rules` and `contextpack explain` print from here.

use super::{
    CheckFn, actions, anonymisation, assessment, connections, meetings, oversight, references,
    reviews,
};
use crate::diagnostic::Kind;
use crate::model::Protocol;
use crate::rule_id::RuleId;

pub struct Rule {
    /// The rule's identity, which gives its id and kind.
    pub id: RuleId,
    /// One line: what is checked.
    pub summary: &'static str,
    /// The heading of the terms of reference (or document) the rule comes from.
    pub source: &'static str,
    /// The check itself; `None` for rules reported elsewhere (the loader's
    /// `schema`, `build`'s `anonymity`, and `exception-unused`, which runs
    /// after all the others).
    pub check: Option<CheckFn>,
    /// The settings of `contextpack.yaml` the rule reads; its summary and
    /// details name them as `{setting}`, filled in by [`Rule::summary_for`]
    /// and [`Rule::details_for`] with the casebook's own values.
    pub settings: &'static [Setting],
    /// What is checked, precisely: which meetings, which fields, which
    /// settings. Printed by `contextpack explain`.
    pub details: &'static str,
    /// How the author puts it right.
    pub fix: &'static str,
    /// For breaches and warnings that a record can explain: where the
    /// `exceptions:` entry goes, with a realistic reason. `None` for errors,
    /// which cannot be explained, and for `exception-unused`.
    pub exception: Option<ExceptionExample>,
    /// The passages the rule enforces, quoted word for word.
    pub passage: &'static [Quote],
}

/// An example `exceptions:` entry for `contextpack explain`.
pub struct ExceptionExample {
    /// The file the entry goes in: the one the diagnostic points at.
    pub file: &'static str,
    pub reason: &'static str,
}

/// A passage quoted verbatim from one of the documents rules come from.
pub struct Quote {
    pub doc: Doc,
    /// The heading the passage sits under.
    pub heading: &'static str,
    pub text: &'static str,
}

/// The documents rules come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doc {
    /// The terms of reference for Context Safeguarding Conferences.
    TermsOfReference,
    /// FORMAT.md, the casebook format.
    Format,
    /// PROTOCOL.md, the protocol as rules.
    Protocol,
}

impl Doc {
    pub fn title(self) -> &'static str {
        match self {
            Doc::TermsOfReference => "Terms of reference",
            Doc::Format => "FORMAT.md",
            Doc::Protocol => "PROTOCOL.md",
        }
    }
}

// Passages of the terms of reference that more than one rule comes from.

const BACKGROUND: Quote = Quote {
    doc: Doc::TermsOfReference,
    heading: "Background",
    text: "A Context Safeguarding Conference brings agencies together to review the \
        findings of a Context Assessment and develop an intervention plan to reduce \
        identified risk using four domains (Appendix 2).",
};

const LEAD_PRACTITIONER_ROLE: Quote = Quote {
    doc: Doc::TermsOfReference,
    heading: "Role of the Lead Practitioner",
    text: "The lead practitioner will have oversight of the plan and be responsible for \
        ensuring that objectives are met and actions are completed within the \
        required timeframe.",
};

const REPRESENTATION_REQUIRED: Quote = Quote {
    doc: Doc::TermsOfReference,
    heading: "Membership and attendance",
    text: "Members are required to ensure representation at the Context Safeguarding \
        Conference in their absence.",
};

const INFORMATION_SHARING: Quote = Quote {
    doc: Doc::TermsOfReference,
    heading: "Information Sharing",
    text: "Information and intelligence shared at the Context Safeguarding Conferences \
        will be bound by the Information Sharing and Confidentiality Statement (see \
        separate document).",
};

const MOVED_MEETING: Quote = Quote {
    doc: Doc::TermsOfReference,
    heading: "Governance and Accountability",
    text: "In the event that the meeting needs to be moved, express consent must be \
        obtained by the Chair and a Review Meeting should be scheduled to take place \
        within two weeks of the missed date.",
};

const OUTCOMES_MEASUREMENT: Quote = Quote {
    doc: Doc::TermsOfReference,
    heading: "Appendix 2, Domain 4: Outcomes measurement",
    text: "Monitor outcomes of success in relation to contextual, as well as \
        individual, change",
};

const THEMES_SHARED: Quote = Quote {
    doc: Doc::TermsOfReference,
    heading: "Governance and Accountability",
    text: "Identified themes, trends and learning will be shared with the various \
        strategic forums including the Operational Missing and Child Exploitation \
        (MACE) panel, the Safer Plymouth Partnership and the Strategic Missing and \
        Child Exploitation Group of the Plymouth Safeguarding Children Partnership.",
};

/// Breaches and warnings found in an initial or review conference's file.
const CONFERENCE_FILE: &str =
    "the front matter of the conference's file (cases/<context>/conferences/<date>-<kind>.md)";
/// Breaches found in any meeting's file, interim meetings included.
const MEETING_FILE: &str =
    "the front matter of the meeting's file (cases/<context>/conferences/<date>-<kind>.md)";
/// Warnings about the plan.
const PLAN_FILE: &str = "the plan (cases/<context>/plan.yaml)";

/// Every rule, in the order of PROTOCOL.md.
/// FORMAT.md's opening promise, which the rules about files keep.
const CONTRACT: Quote = Quote {
    doc: Doc::Format,
    heading: "The casebook format",
    text: "This page is the contract between the records that practitioners write and the tool.",
};

pub static RULES: &[Rule] = &[
    Rule {
        id: RuleId::Schema,
        summary: "every file parses; no unknown field; every value of the right type and vocabulary",
        source: "FORMAT.md",
        check: None,
        settings: &[],
        details: "Every file of the casebook is read: contextpack.yaml and, in each cases/<context>/ \
            folder, context.yaml, assessment.md, plan.yaml and every conferences/<date>-<kind>.md. \
            Each file must parse (YAML; a Markdown file starts with its front matter between two \
            `---` lines), use only the fields FORMAT.md lists, give every required field, and give \
            every value the right type (dates YYYY-MM-DD, times \"HH:MM\", whole numbers, true or \
            false) and, where the values are a fixed list, one of those words: context type, young \
            person's role, weighting level and weight, meeting kind and status, agenda item, \
            action domain and status, harm type. A meeting's end must be after its start, and a \
            moved meeting needs its `moved:` block with `to` and `reason`. A context folder \
            without context.yaml, and an exception naming a rule that does not exist, are schema \
            errors too.",
        fix: "Correct the file at the place shown; the help line gives the nearest known field name, \
            or the values allowed. Errors cannot be explained with an exception: the file itself \
            has to be put right.",
        exception: None,
        passage: &[Quote {
            doc: Doc::Format,
            heading: "The casebook format",
            text: "Field names and values below are fixed; the tool may accept more (and should \
                    say so in its docs), but it must accept every casebook written to this page, \
                    and reject every unknown field with an error that names the file, line and \
                    column and suggests the nearest known field.",
        }],
    },
    Rule {
        id: RuleId::Reference,
        summary: "every person, agency, forum, goal and young person reference resolves; ids are unique",
        source: "FORMAT.md",
        check: Some(references::reference),
        settings: &[],
        details: "Everything that refers to something defined elsewhere must exist: the agencies and \
            people under invited: and attendance:, the chair, review.agencies, \
            review.invitations_by and partner_reports of a meeting; the forums of its learning \
            items; the owner and goal of an action; each person's agency; the assessment's \
            lead_practitioner; the contexts under related_contexts: (another context's folder \
            name); and the context types used as keys under protocol.chairs. Ids must be unique: \
            agency, person and forum ids in contextpack.yaml, goal and action ids within a plan, \
            and young people's `ref` within a context. A `ref` stands for one child in the whole \
            casebook: the child is defined once (ref, name, born or age) and linked from other \
            contexts by `ref` and `role` alone; a link that no context defines is reported, and \
            two definitions of one ref that disagree are reported at both. The second use of a \
            duplicated id is reported, with a pointer to the first. venue_agreed_by is free text \
            and is not checked.",
        fix: "Use an id that is defined (the help suggests the nearest one), or add the missing \
            person, agency or forum to contextpack.yaml. For a duplicate, give one of the two a \
            new id.",
        exception: None,
        passage: &[
            Quote {
                doc: Doc::Format,
                heading: "The casebook format",
                text: "This page is the contract between the records that practitioners write and the \
                    tool.",
            },
            Quote {
                doc: Doc::Format,
                heading: "cases/<id>/context.yaml",
                text: "pseudonymous reference, unique in the casebook",
            },
        ],
    },
    Rule {
        id: RuleId::FileName,
        summary: "any meeting's file name matches its date and kind",
        source: "FORMAT.md",
        check: Some(meetings::file_name),
        settings: &[],
        details: "Each meeting's file is named conferences/<YYYY-MM-DD>-<kind>.md, and the date and kind \
            in its name must be the `date:` and `kind:` of its front matter. A file ending in \
            .yaml, .yml or .md in a context folder or in conferences/ must have one of the names \
            the casebook expects (context.yaml, assessment.md, plan.yaml, or a meeting's file \
            name); other files are ignored.",
        fix: "Rename the file, or correct date: or kind: in the front matter, so that the two agree; \
            the help gives the nearest expected name. If the meeting was moved to another day, \
            keep this file with `status: moved` and make a new file for the new date.",
        exception: None,
        passage: &[Quote {
            doc: Doc::Format,
            heading: "cases/<id>/conferences/<YYYY-MM-DD>-<kind>.md",
            text: "The date and kind in the file name must match the front matter.",
        }],
    },
    Rule {
        id: RuleId::HeldDate,
        summary: "a meeting marked held is dated on or before today",
        source: "FORMAT.md",
        check: Some(meetings::held_date),
        settings: &[],
        details: "Every meeting with `status: held` must have a `date:` on or before today (the \
            --today flag, else as_of: in contextpack.yaml, else the computer's date). An error, not \
            a warning: a future meeting recorded as held would count as met in every review \
            deadline, status report and summary before it has taken place, and nothing could \
            explain that.",
        fix: "Keep `status: scheduled` until the meeting has taken place. If the date is wrong, \
            correct it and rename the file to match.",
        exception: None,
        passage: &[Quote {
            doc: Doc::Format,
            heading: "cases/<id>/conferences/<YYYY-MM-DD>-<kind>.md",
            text: "status: held",
        }],
    },
    Rule {
        id: RuleId::UnsafeFile,
        summary: "every file read is a regular file inside the casebook",
        source: "FORMAT.md",
        check: None,
        settings: &[],
        details: "A casebook may come from anywhere (a clone, a shared drive, an e-mail), and is \
            built where secrets live. A symbolic link in the casebook (a record, a folder, \
            contextpack.yaml or a template) is followed only when it resolves inside the casebook; \
            one that leads outside, or nowhere, is reported at its own path and its target is \
            never read or shown. A FIFO, a device or a socket is never opened. Reported by the \
            loader, before any rule runs.",
        fix: "Copy the file into the casebook in place of the link, or remove the FIFO, device or \
            socket. Errors cannot be explained with an exception.",
        exception: None,
        passage: &[CONTRACT],
    },
    Rule {
        id: RuleId::HiddenFile,
        summary: "no hidden file or folder where records live",
        source: "FORMAT.md",
        check: None,
        settings: &[],
        details: "Files and folders whose names start with `.` under cases/ (in cases/ itself, in a \
            context folder, or in its conferences/) are never read. Each is named in a warning, so \
            that a record saved under a hidden name by mistake does not vanish without a word.",
        fix: "Rename it without the leading dot if it holds records, or move it out of the \
            casebook.",
        exception: None,
        passage: &[CONTRACT],
    },
    Rule {
        id: RuleId::Attachment,
        summary: "every image a record shows and every paper a meeting sends is a file of the context",
        source: "FORMAT.md",
        check: None,
        settings: &[],
        details: "An image in an assessment's or a meeting's Markdown (`![Peer map](images/peer-map.png)`) \
            is drawn in the PDF and copied beside the HTML page, so it must be a PNG, JPEG or SVG file \
            inside the context's folder, named by its path from the Markdown file. A meeting's \
            `papers:` are bound into its pack and listed on its agenda, so each must be a Markdown \
            or PDF file inside the context's folder, named by its path from that folder. A web \
            address, a path that leads out of the context's folder, a missing file, a file that is \
            not what its name says, a PDF that cannot be read and a file over 20 MiB are each an \
            error at the place that names them: documents never fetch anything, and one context's \
            documents never show another's files. Reported by the loader, before any rule runs.",
        fix: "Save the file in the context's folder (for example images/ or papers/ beside \
            context.yaml) and name it by its relative path; convert other image formats to PNG. \
            Errors cannot be explained with an exception.",
        exception: None,
        passage: &[CONTRACT],
    },
    Rule {
        id: RuleId::PeopleListed,
        summary: "contextpack.yaml lists the people who lead and chair conferences",
        source: "FORMAT.md",
        check: Some(references::people_listed),
        settings: &[],
        details: "Every context names its lead practitioner, and every conference its chair, by a \
            person's id from `people:` in contextpack.yaml. A casebook whose `people:` is empty, as \
            `contextpack init` writes it, has no one to name: until it lists them, the first \
            context written will not pass.",
        fix: "Add the practitioners, chairs and partners under `people:`, each with an id, a name \
            and an agency, and their roles (a chair's role decides which contexts they may chair). \
            Never a child.",
        exception: None,
        passage: &[CONTRACT, LEAD_PRACTITIONER_ROLE],
    },
    Rule {
        id: RuleId::ChairRole,
        summary: "the chair's role is one allowed for the context type, and the chair holds that role",
        source: "Structure of the meeting",
        check: Some(meetings::chair_role),
        settings: &[],
        details: "For every initial or review conference that is scheduled or held, chair_role must be \
            one of the roles allowed to chair the context's type (protocol.chairs in \
            contextpack.yaml; by default a peer group: isro or adolescent-safety-framework-chair; \
            a neighbourhood: community-safety-partnership-manager; a school: headteacher or dsl; \
            an online space: isro), and the person named as chair must hold that role in their \
            `roles:` in contextpack.yaml. Interim meetings are not checked.",
        fix: "If the record is wrong, correct chair or chair_role, or add the role to the chair's \
            `roles:` in contextpack.yaml. If the conference really was chaired by someone without \
            an allowed role, explain it.",
        exception: Some(ExceptionExample {
            file: CONFERENCE_FILE,
            reason: "ISRO unavailable at short notice; chaired by the Head of Service with the \
                partners' agreement.",
        }),
        passage: &[Quote {
            doc: Doc::TermsOfReference,
            heading: "Structure of the meeting",
            text: "The meeting will be chaired by either an Adolescent safety Framework \
                    Conference Chair Independent Safeguarding and Reviewing Officer (ISRO) in the \
                    case of a peer-group context conference; by the Community Safety Partnership \
                    Manager in the case of a Neighborhood Conference; or by the Headteacher or DSL \
                    in the case of a School Context Conference.",
        }],
    },
    Rule {
        id: RuleId::AssessmentSections,
        summary: "the assessment has every required section with text in it",
        source: "Role of the Lead Practitioner; Background",
        check: Some(assessment::sections),
        settings: &[],
        details: "assessment.md must have each of these 13 second-level (##) headings, in any order and \
            in any case, each with some text under it before the next # or ## heading: Themes, \
            Patterns, Trends, Risks, Vulnerabilities, Strengths, Capacity to safeguard, Methods, \
            Voice of young people, Voice of parents and carers, Parental capacity, Context \
            weighting, Suggested outline plan. One diagnostic lists every missing heading; each \
            empty section gets its own, at its heading. Other headings are allowed and kept.",
        fix: "Add the missing ## headings and write under each one what the assessment found. Where \
            there is little to say, say why in a sentence (for example, how parents and carers \
            were approached) rather than leave the section empty.",
        exception: None,
        passage: &[
            Quote {
                doc: Doc::TermsOfReference,
                heading: "Role of the Lead Practitioner",
                text: "The role of the lead practitioner is to present key issues (themes, patterns, \
                    trends, risks, vulnerabilities, strengths, capacity to safeguard) that have \
                    been identified during the assessment process. The lead practitioner should \
                    provide clarity on the methods undertaken to gather the information throughout \
                    the assessment process and should also clearly express the views of the young \
                    people impacted by extra-familial risk in said context (and their \
                    parents/carers) during this meeting. The lead practitioner should provide \
                    analysis and clear rationale of the context weighting factors that have \
                    emerged during the assessment and should make suggestions about an agreed way \
                    forward/outline plan.",
            },
            Quote {
                doc: Doc::TermsOfReference,
                heading: "Background",
                text: "They should look at the parental capacity to support the child, including \
                    helping the parents and carers to understand any risks, to support them to \
                    keep children safe, and to assess potential risk to the child(Working Together \
                    to Safeguard Children 2018).",
            },
        ],
    },
    Rule {
        id: RuleId::AssessmentBeforeConference,
        summary: "an assessment exists, dated on or before the first held conference",
        source: "Background",
        check: Some(assessment::before_conference),
        settings: &[],
        details: "Once a context has a held conference (initial or review), \
            cases/<context>/assessment.md must exist and the `date:` in its front matter must be \
            on or before the date of the first held conference. A late assessment is reported at \
            its date; a missing one at the date of the first held conference.",
        fix: "Add the assessment to the casebook, dated the day it was completed; if its date was \
            mistyped, correct it. The conference reviews the findings of the assessment, so the \
            assessment has to come first.",
        exception: None,
        passage: &[BACKGROUND],
    },
    Rule {
        id: RuleId::WeightingRationale,
        summary: "the assessment has at least one weighting factor, and every factor has a rationale",
        source: "Role of the Lead Practitioner",
        check: Some(assessment::weighting_rationale),
        settings: &[],
        details: "The front matter of assessment.md must list at least one context weighting factor \
            under `weighting:` (each with level, factor and weight), and every factor must have a \
            `rationale:` that is not blank: the analysis behind its weight.",
        fix: "Add the weighting factors that emerged from the assessment, each with its rationale: \
            what was seen or heard, by whom, and how often.",
        exception: None,
        passage: &[Quote {
            doc: Doc::TermsOfReference,
            heading: "Role of the Lead Practitioner",
            text: "The lead practitioner should provide analysis and clear rationale of the \
                    context weighting factors that have emerged during the assessment and should \
                    make suggestions about an agreed way forward/outline plan.",
        }],
    },
    Rule {
        id: RuleId::HarmerAssessed,
        summary: "a young person linked as an alleged harmer (or both) is named in the assessment",
        source: "Background",
        check: Some(assessment::harmer_assessed),
        settings: &[],
        details: "For every context with an assessment, each young person with role `alleged-harmer` \
            or `both` must be mentioned by their reference (as `YP-C`, standing alone) somewhere in \
            assessment.md: its text or a weighting factor or rationale. A warning rather than an \
            error: the assessment may cover them in words that do not use the reference, and only \
            the lead practitioner can tell; it cannot be explained in a record (context.yaml holds \
            no exceptions), so a partnership that writes assessments differently turns it off under \
            `rules:`.",
        fix: "Say in assessment.md, by their reference, what the assessment found about the context's \
            impact on that young person's own safety and welfare.",
        exception: None,
        passage: &[Quote {
            doc: Doc::TermsOfReference,
            heading: "Background",
            text: "Children who may be alleged perpetrators should also be assessed in order to \
                understand the impact of contextual issues on their safety and welfare.",
        }],
    },
    Rule {
        id: RuleId::LeadPractitioner,
        summary: "the context names a lead practitioner who is a known person",
        source: "Role of the Lead Practitioner",
        check: Some(references::lead_practitioner),
        settings: &[],
        details: "context.yaml must name the context's `lead_practitioner:`, and it must be the id of a \
            person listed under `people:` in contextpack.yaml.",
        fix: "Set lead_practitioner: to the person's id. If they are not yet in the casebook, add \
            them to people: in contextpack.yaml with their name and agency.",
        exception: None,
        passage: &[
            Quote {
                doc: Doc::TermsOfReference,
                heading: "Role of the Lead Practitioner",
                text: "The role of the lead practitioner is to present key issues (themes, patterns, \
                    trends, risks, vulnerabilities, strengths, capacity to safeguard) that have \
                    been identified during the assessment process.",
            },
            LEAD_PRACTITIONER_ROLE,
        ],
    },
    Rule {
        id: RuleId::CoreAgencies,
        summary: "every core agency is invited to each conference",
        source: "Membership and attendance",
        check: Some(meetings::core_agencies),
        settings: &[],
        details: "Every initial or review conference that is scheduled or held must list each core \
            agency under `invited:`. Core agencies are those marked `core: true` in \
            contextpack.yaml (in FORMAT.md's example: Children's Social Care, Education, Police \
            and Community Safety). One warning per conference names the agencies missing.",
        fix: "Add the missing agencies to invited:. If an agency was deliberately not invited, \
            explain it.",
        exception: Some(ExceptionExample {
            file: CONFERENCE_FILE,
            reason: "No school-age children are linked to this context; Education agreed it need not \
                attend.",
        }),
        passage: &[Quote {
            doc: Doc::TermsOfReference,
            heading: "Membership and attendance",
            text: "Attendees will vary depending on the context but should include practitioners, \
                    agencies or community partners who can influence the context of concern. \
                    Consideration should be given to including Children’s Social Care, Education, \
                    Police and Community Safety, local businesses and community organisations, \
                    relevant County and/or District Council departments.",
        }],
    },
    Rule {
        id: RuleId::AttendanceRecorded,
        summary: "any held meeting records attendance for every invited agency",
        source: "Membership and attendance",
        check: Some(meetings::attendance_recorded),
        settings: &[],
        details: "Every held meeting, of any kind (initial, review or interim), must have `attendance:` \
            with a line for every agency under `invited:`. A line names the agency and who came \
            (person or name), or says `absent: true` and, if someone stood in, `represented_by:`.",
        fix: "Add the attendance lines from the meeting's sign-in sheet or minutes, one per invited \
            agency. An agency that did not come gets `absent: true`, with `represented_by:` if \
            someone came in its place.",
        exception: None,
        passage: &[REPRESENTATION_REQUIRED],
    },
    Rule {
        id: RuleId::Representation,
        summary: "an invited agency absent from any held meeting sent a representative",
        source: "Membership and attendance; Expectation of Partners",
        check: Some(meetings::representation),
        settings: &[],
        details: "At every held meeting, of any kind, an attendance line with `absent: true` must name, \
            in `represented_by:`, who represented the agency in its member's absence.",
        fix: "If someone did attend for the agency, add represented_by: with their name or role. If \
            nobody did, explain it in the meeting's file.",
        exception: Some(ExceptionExample {
            file: MEETING_FILE,
            reason: "Education lead taken ill on the morning; briefing sent in writing.",
        }),
        passage: &[
            REPRESENTATION_REQUIRED,
            Quote {
                doc: Doc::TermsOfReference,
                heading: "Expectation of Partners",
                text: "All partner agencies identified should attend or, if unavailable, send another \
                    representative from their organisation to present their information.",
            },
        ],
    },
    Rule {
        id: RuleId::PartnerReports,
        summary: "each agency present at a held conference brought a report or briefing",
        source: "Expectation of Partners",
        check: Some(meetings::partner_reports),
        settings: &[],
        details: "At every held initial or review conference, each agency whose attendance line shows it \
            present or represented must be listed under `partner_reports:`, the agencies that \
            brought a report or detailed briefing about the context.",
        fix: "List under partner_reports: the agencies that brought a report or briefing. If an \
            agency attended without one, explain it.",
        exception: Some(ExceptionExample {
            file: CONFERENCE_FILE,
            reason: "Youth Service joined for the first time and will report at the review.",
        }),
        passage: &[Quote {
            doc: Doc::TermsOfReference,
            heading: "Expectation of Partners",
            text: "Partner agencies and organisations in attendance should provide \
                    reports/detailed briefings and information about the context in question.",
        }],
    },
    Rule {
        id: RuleId::VenueAgreed,
        summary: "the venue is agreed by the chair and by someone who manages the context",
        source: "Frequency, length and venue",
        check: Some(meetings::venue_agreed),
        settings: &[],
        details: "For every initial or review conference that is scheduled or held, `venue_agreed_by:` \
            must contain the chair's person id and at least one other entry: someone who manages \
            the context (a person id, or free text such as \"Centre manager\"; see managed_by in \
            context.yaml).",
        fix: "Record in venue_agreed_by: the chair's id and whoever manages the context who agreed \
            the venue. If the venue was set without them, explain it.",
        exception: Some(ExceptionExample {
            file: CONFERENCE_FILE,
            reason: "Online context with no one managing it; the chair chose to meet on Teams.",
        }),
        passage: &[Quote {
            doc: Doc::TermsOfReference,
            heading: "Frequency, length and venue",
            text: "The meeting will take place at a site agreed by the Chair and those who manage \
                    the context under discussion.",
        }],
    },
    Rule {
        id: RuleId::Duration,
        summary: "start to end is within tolerance of the expected length ({conference_minutes} ± {conference_minutes_tolerance} min)",
        source: "Frequency, length and venue",
        check: Some(meetings::duration),
        settings: &[
            Setting::ConferenceMinutes,
            Setting::ConferenceMinutesTolerance,
        ],
        details: "For every initial or review conference that is scheduled or held, the time from \
            `start` to `end` must be within protocol.conference_minutes_tolerance of \
            protocol.conference_minutes: {conference_minutes} ± {conference_minutes_tolerance} \
            (120 ± 30 by default).",
        fix: "Correct start or end if they were mistyped. If the conference really was shorter or \
            longer, explain it.",
        exception: Some(ExceptionExample {
            file: CONFERENCE_FILE,
            reason: "Fire alarm; the meeting closed after 80 minutes and the remaining items went to an \
                interim meeting.",
        }),
        passage: &[Quote {
            doc: Doc::TermsOfReference,
            heading: "Frequency, length and venue",
            text: "The duration of the conference will be for approximately 2 hours.",
        }],
    },
    Rule {
        id: RuleId::PlanDiscussionTime,
        summary: "the agenda gives the outline plan discussion at least {plan_discussion_min_minutes} minutes",
        source: "Governance and Accountability",
        check: Some(meetings::plan_discussion_time),
        settings: &[Setting::PlanDiscussionMinMinutes],
        details: "For every initial or review conference that is scheduled or held, the agenda must \
            include the `plan-discussion` item with at least protocol.plan_discussion_min_minutes \
            minutes: {plan_discussion_min_minutes} (30 by default). A conference without `agenda:` has the default agenda, which \
            gives it 40 minutes; an agenda that is written out replaces the default whole, so it \
            must include plan-discussion itself.",
        fix: "Give { item: plan-discussion, minutes: 30 } or more in the agenda. If the discussion \
            really had less time, explain it.",
        exception: Some(ExceptionExample {
            file: CONFERENCE_FILE,
            reason: "Partner reports overran; the plan discussion continued at an interim meeting a \
                week later.",
        }),
        passage: &[Quote {
            doc: Doc::TermsOfReference,
            heading: "Governance and Accountability",
            text: "The Chair must ensure that there is sufficient time during the meeting (no \
                    less than 30 min) for professionals in attendance to discuss the suggested \
                    outline plan and to contribute to it.",
        }],
    },
    Rule {
        id: RuleId::Confidentiality,
        summary: "any held meeting records that the Information Sharing and Confidentiality Statement was read",
        source: "Information Sharing",
        check: Some(meetings::confidentiality),
        settings: &[],
        details: "Every held meeting, of any kind, must record `confidentiality_statement_read: true`: \
            the Information Sharing and Confidentiality Statement was read to those present.",
        fix: "If the statement was read, set confidentiality_statement_read: true. This is an error, \
            so it cannot be explained with an exception; if the statement was not read, raise it \
            with the chair before the record is completed.",
        exception: None,
        passage: &[INFORMATION_SHARING],
    },
    Rule {
        id: RuleId::PlanShared,
        summary: "a held conference records that the action plan was finalised and shared verbally before it closed",
        source: "Governance and Accountability",
        check: Some(meetings::plan_shared),
        settings: &[],
        details: "Every held initial or review conference must record `plan_shared_verbally: true`: the \
            action plan was finalised and shared verbally with everyone present before the meeting \
            closed.",
        fix: "Set plan_shared_verbally: true if it was. If the plan was not finalised or not shared \
            before the meeting closed, explain it.",
        exception: Some(ExceptionExample {
            file: CONFERENCE_FILE,
            reason: "Meeting overran; the chair e-mailed the finalised plan to every attendee the same \
                afternoon.",
        }),
        passage: &[Quote {
            doc: Doc::TermsOfReference,
            heading: "Governance and Accountability",
            text: "The Chair must also ensure that an action plan is finalised before and shared \
                    (verbally) with all before the meeting concludes.",
        }],
    },
    Rule {
        id: RuleId::ReviewDate,
        summary: "a held conference sets a review date, the agencies to attend it, and who sends the invitations",
        source: "Frequency, length and venue; Governance and Accountability",
        check: Some(reviews::review_date),
        settings: &[],
        details: "Every held initial or review conference must set its review under `review:`: a `date` \
            after the conference, the `agencies` to attend (at least one), and who sends the \
            invitations (`invitations_by`, a person id). Not needed when the context's `closed:` \
            date is on or before the conference.",
        fix: "Add the review: block agreed at the close of the conference. If the context was closed \
            at this conference, set closed: in context.yaml instead.",
        exception: None,
        passage: &[
            Quote {
                doc: Doc::TermsOfReference,
                heading: "Frequency, length and venue",
                text: "A date for a review will be agreed at the close of the conference.",
            },
            Quote {
                doc: Doc::TermsOfReference,
                heading: "Governance and Accountability",
                text: "At the end of the conference a date should be set for a review meeting to take \
                    place, no later than 3 months to the present date. The Chair will make a \
                    decision, in consultation with partners, regarding which agencies will be \
                    required to attend the review meeting. Arrangements for inviting the partners \
                    and key stakeholders to the review meeting should be facilitated by the lead \
                    practitioner or allocated team.",
            },
        ],
    },
    Rule {
        id: RuleId::ReviewWithin,
        summary: "the review date is no later than {review_within_months} months after the conference",
        source: "Governance and Accountability",
        check: Some(reviews::review_within),
        settings: &[Setting::ReviewWithinMonths],
        details: "For every held initial or review conference, `review.date` must be no later than \
            protocol.review_within_months calendar months after the conference date: \
            {review_within_months} (3 by default). When that day does not exist the month's last day is used: a conference on \
            2026-08-31 must set its review on or before 2026-11-30.",
        fix: "Correct review.date if it was mistyped. If the review really was set later, explain it \
            in the conference that set it.",
        exception: Some(ExceptionExample {
            file: CONFERENCE_FILE,
            reason: "Review set after the school holidays so that the DSL can attend; agreed by the \
                chair with partners.",
        }),
        passage: &[Quote {
            doc: Doc::TermsOfReference,
            heading: "Governance and Accountability",
            text: "At the end of the conference a date should be set for a review meeting to take \
                    place, no later than 3 months to the present date.",
        }],
    },
    Rule {
        id: RuleId::ReviewHeld,
        summary: "a review conference is held or scheduled on the agreed review date; once the date has passed with no review held it is overdue",
        source: "Governance and Accountability",
        check: Some(reviews::review_held),
        settings: &[],
        details: "For every held initial or review conference that set a review date, unless the context \
            is closed by then, there must be a review conference on that date: the file \
            conferences/<review date>-review.md. It passes when that review is held, and while it \
            is scheduled and its date has not yet passed. A review recorded as moved is followed to \
            its moved.to date, where the same holds (moved-consent and moved-within govern the \
            move itself). It is a breach when there is no such file, or only a cancelled one, and \
            overdue when the date has passed and the review is still marked scheduled. `status`, \
            the dashboard, the calendar and the summaries read a review's date the same way. Interim meetings do not count: the review conference must still take place. \
            The breach is reported at the review.date that set the date.",
        fix: "Create conferences/<review date>-review.md with `status: scheduled` when the date is \
            agreed, and mark it held once it has taken place. If it could not go ahead that day, \
            set `status: moved` with its moved: block. If no review took place, explain it in the \
            conference that set the date.",
        exception: Some(ExceptionExample {
            file: CONFERENCE_FILE,
            reason: "Review cancelled: the context was stepped down to the school's own plan; closure \
                is due at the next panel.",
        }),
        passage: &[Quote {
            doc: Doc::TermsOfReference,
            heading: "Governance and Accountability",
            text: "If more regular meetings have been held during the intervention phase, the \
                    review conference must still go ahead on the date agreed in order for the \
                    Chair to have full oversight of the context plan.",
        }],
    },
    Rule {
        id: RuleId::ReviewInvitations,
        summary: "the next conference invites every agency the chair required at the one before",
        source: "Governance and Accountability",
        check: Some(reviews::review_invitations),
        settings: &[],
        details: "For every held initial or review conference with `review.agencies`, the next \
            initial or review conference of the context that is scheduled or held must list each of \
            those agencies under `invited:`. A breach, as the chair's decision binds the \
            invitations, but one a record can explain (an agency that has since withdrawn from \
            the context, with the chair's agreement).",
        fix: "Add the missing agencies to `invited:` of the review, with the person the agency \
            sends, or explain in the review's file why they were not invited.",
        exception: Some(ExceptionExample {
            file: CONFERENCE_FILE,
            reason: "The youth service withdrew from the context in October with the chair's agreement.",
        }),
        passage: &[Quote {
            doc: Doc::TermsOfReference,
            heading: "Governance and Accountability",
            text: "The Chair will make a decision, in consultation with partners, regarding which \
                agencies will be required to attend the review meeting.",
        }],
    },
    Rule {
        id: RuleId::MovedConsent,
        summary: "a moved conference records the chair's express consent",
        source: "Governance and Accountability",
        check: Some(reviews::moved_consent),
        settings: &[],
        details: "Every initial or review conference with `status: moved` must record \
            `moved.chair_consent: true`: the chair gave express consent to moving it.",
        fix: "Set chair_consent: true once the chair has consented. If the meeting was moved without \
            the chair's consent, explain it in the moved conference's file.",
        exception: Some(ExceptionExample {
            file: CONFERENCE_FILE,
            reason: "Venue flooded on the morning; the chair could not be reached and confirmed the new \
                date the next day.",
        }),
        passage: &[MOVED_MEETING],
    },
    Rule {
        id: RuleId::MovedWithin,
        summary: "a moved conference's new date is within {reschedule_within_days} days of the missed date, and a conference record exists on that date",
        source: "Governance and Accountability",
        check: Some(reviews::moved_within),
        settings: &[Setting::RescheduleWithinDays],
        details: "For every initial or review conference with `status: moved`, `moved.to` must be after \
            its date and no more than protocol.reschedule_within_days days later \
            ({reschedule_within_days}; 14 by default), \
            and the context must have an initial or review conference that is not cancelled on \
            that new date.",
        fix: "Check moved.to, and create the file for the new date \
            (conferences/<moved.to>-review.md, or -initial.md). If the meeting could not be \
            rescheduled within two weeks, explain it in the moved conference's file.",
        exception: Some(ExceptionExample {
            file: CONFERENCE_FILE,
            reason: "Chair and police lead both on leave; the earliest date all core agencies could \
                attend.",
        }),
        passage: &[MOVED_MEETING],
    },
    Rule {
        id: RuleId::ActionFields,
        summary: "every action has a domain, an owning agency, an agreed date of a held meeting, a due date on or after it, and a done date when done",
        source: "Expectation of Partners",
        check: Some(actions::action_fields),
        settings: &[],
        details: "Every action in plan.yaml must have a `domain` (target, legislative-framework, \
            partnerships or outcomes), an `owner` with an `agency`, an `agreed` date that is the \
            date of a held meeting (any kind) of this context, and a `due` date on or after the \
            agreed date. An action with `status: done` must have its `done:` date, and only a done \
            action may have one.",
        fix: "Fill in the field shown. agreed: is the date of the meeting that agreed the action; if \
            that meeting is not yet recorded as held, record it first.",
        exception: None,
        passage: &[Quote {
            doc: Doc::TermsOfReference,
            heading: "Expectation of Partners",
            text: "Partners are also be expected to contribute towards the conference plan, \
                    action tasks within their respective organisations, and complete these within \
                    a set and agreed timescale.",
        }],
    },
    Rule {
        id: RuleId::ActionOverdue,
        summary: "no open action (planned or in progress) is past its due date",
        source: "Role of the Lead Practitioner",
        check: Some(actions::action_overdue),
        settings: &[],
        details: "An open action (status planned or in-progress; an action without a status counts as \
            planned) must not have a `due` date before today: the --today flag, else as_of: in \
            contextpack.yaml, else the computer's date. Not checked once the context is closed on \
            or before today.",
        fix: "Bring the action up to date: mark it done with its done: date, agree a new due date \
            with its owner (and add an updates: entry saying why), or mark it dropped. If it stays \
            late for a known reason, explain it in plan.yaml.",
        exception: Some(ExceptionExample {
            file: PLAN_FILE,
            reason: "Lighting contractor delayed by the council's procurement; new date agreed at the \
                review.",
        }),
        passage: &[LEAD_PRACTITIONER_ROLE],
    },
    Rule {
        id: RuleId::PartnerTasks,
        summary: "every agency that takes part in a conference owns an action in the plan",
        source: "Expectation of Partners",
        check: Some(oversight::partner_tasks),
        settings: &[],
        details: "For a context still open today, every agency that took part in one of its held \
            initial or review conferences (present, or absent and represented; the attendance lines \
            of the chair and of the lead practitioner, who oversee the plan, do not count) must own at least one action of plan.yaml that is not \
            dropped (`owner: { agency: ... }`). One warning per agency, at its attendance line in \
            the latest conference it took part in. A warning: an agency may attend to advise, and \
            the record can say so.",
        fix: "Agree at the next meeting what the agency will do within its own organisation and add \
            it to plan.yaml. If the agency attended only to advise, explain it in that \
            conference's file.",
        exception: Some(ExceptionExample {
            file: CONFERENCE_FILE,
            reason: "The harbour trust attended to advise on the site; it carries no tasks of its own.",
        }),
        passage: &[Quote {
            doc: Doc::TermsOfReference,
            heading: "Expectation of Partners",
            text: "Partners are also be expected to contribute towards the conference plan, action \
                tasks within their respective organisations, and complete these within a set and \
                agreed timescale.",
        }],
    },
    Rule {
        id: RuleId::PlanOversight,
        summary: "an action open at a conference has an update since the meeting before it",
        source: "Role of the Lead Practitioner",
        check: Some(oversight::plan_oversight),
        settings: &[],
        details: "For a context still open today, and for every held initial or review conference \
            dated on or before today that follows another held meeting: each action agreed by that \
            earlier meeting and still open at the conference (planned or in progress, or done after \
            the conference's date; a dropped action is taken as closed) must have an `updates:` \
            entry dated after the earlier meeting and on or before the conference. One warning per \
            action, for the latest conference where it lapsed. A warning: the plan may have been \
            overseen without a note, and the record can say so.",
        fix: "Add an `updates:` entry to the action saying where it stood before the conference. If \
            there was nothing to report, explain it in plan.yaml.",
        exception: Some(ExceptionExample {
            file: PLAN_FILE,
            reason: "Owner on leave between the two meetings; progress was reported at the review.",
        }),
        passage: &[LEAD_PRACTITIONER_ROLE],
    },
    Rule {
        id: RuleId::FourDomains,
        summary: "the plan has at least one open or done action in each of the four domains",
        source: "Appendix 2",
        check: Some(actions::four_domains),
        settings: &[],
        details: "Once a context has a held conference, its plan must have at least one action that is \
            not dropped in each of the four domains: target, legislative-framework, partnerships \
            and outcomes. One warning names the domains that have none.",
        fix: "Agree an action in each missing domain at the next meeting and add it to plan.yaml. If \
            a domain truly does not apply to this context, explain it in plan.yaml.",
        exception: Some(ExceptionExample {
            file: PLAN_FILE,
            reason: "No legislative lever applies to an online group chat; agreed by the conference.",
        }),
        passage: &[BACKGROUND, OUTCOMES_MEASUREMENT],
    },
    Rule {
        id: RuleId::OutcomeMeasure,
        summary: "every action in the outcomes domain names a measure",
        source: "Appendix 2, Domain 4",
        check: Some(actions::outcome_measure),
        settings: &[],
        details: "Every action in the `outcomes` domain must say in `measure:` how success will be \
            measured.",
        fix: "Add measure: to the action: what will be counted or observed, and how often (for \
            example, evening incidents reported at the underpass, month by month). If no measure \
            can be agreed yet, explain it in plan.yaml.",
        exception: Some(ExceptionExample {
            file: PLAN_FILE,
            reason: "Measure to be agreed with the police analyst at the review.",
        }),
        passage: &[OUTCOMES_MEASUREMENT],
    },
    Rule {
        id: RuleId::ContextMeasure,
        summary: "once outcome measures say their level, at least one measures the context",
        source: "Appendix 2, Domain 4",
        check: Some(actions::context_measure),
        settings: &[],
        details: "An outcome measure written as a mapping may say what it measures: `level: context` \
            (the place, group or online space) or `level: individual` (the children). When at least \
            one outcomes action of a plan (not dropped) gives a level and none gives `context`, this \
            warns, once, at the first such measure. Measures written as plain text say nothing of \
            their level and are not counted, so a casebook written to FORMAT.md checks as before. \
            A warning: a plan may be early, with its contextual measure still to be agreed, and the \
            record can say so.",
        fix: "Agree a measure of the context itself (approaches reported at the underpass each \
            month, evenings with a capable guardian present) and add it to an outcomes action with \
            `level: context`, or explain in plan.yaml why there is none yet.",
        exception: Some(ExceptionExample {
            file: PLAN_FILE,
            reason: "Contextual measure to be agreed with the police analyst at the review.",
        }),
        passage: &[OUTCOMES_MEASUREMENT],
    },
    Rule {
        id: RuleId::LearningShared,
        summary: "a held conference records at least one learning item for a strategic forum",
        source: "Governance and Accountability, last paragraph",
        check: Some(meetings::learning_shared),
        settings: &[],
        details: "Every held initial or review conference must record at least one item under \
            `learning:` addressed to at least one strategic forum (`forums:`, forum ids from \
            contextpack.yaml).",
        fix: "Add the themes, trends and learning the conference identified, each with the forums \
            that should receive it. If there was none to share, explain it.",
        exception: Some(ExceptionExample {
            file: CONFERENCE_FILE,
            reason: "First conference; learning deferred until the assessment has been reviewed.",
        }),
        passage: &[THEMES_SHARED],
    },
    Rule {
        id: RuleId::RelatedContexts,
        summary: "two open contexts that share a young person list one another as related",
        source: "Aims of the Context Safeguarding Conference",
        check: Some(connections::related_contexts),
        settings: &[],
        details: "For every two contexts open today with a young person linked to both today (by the \
            same `ref`, within their `linked:` and `unlinked:` dates), at least one of the two must \
            name the other under `related_contexts:`. One warning per pair, at the first shared \
            young person of the later context. A warning: sharing a child does not always make two \
            contexts associated, and only the lead practitioners can say; it is turned off under \
            `rules:` by a partnership that records associations elsewhere.",
        fix: "Add `related_contexts:` to one of the two context.yaml files, naming the other and how \
            they relate (meets-at, attends, lives-near, online-space-of, or your own words).",
        exception: None,
        passage: &[Quote {
            doc: Doc::TermsOfReference,
            heading: "Aims of the Context Safeguarding Conference",
            text: "intervene effectively across associated peer groups, schools and public spaces",
        }],
    },
    Rule {
        id: RuleId::ExceptionUnused,
        summary: "every exception names a rule that the record actually breaches",
        source: "PROTOCOL.md",
        check: None,
        settings: &[],
        details: "Every entry under `exceptions:` must name a rule that fires in the same file, a breach \
            or warning that this record actually has. An exception for a rule that does not fire \
            there, or for an error rule (errors cannot be explained), is reported at its `rule:`. \
            An exception naming a rule that does not exist is a schema error instead.",
        fix: "Remove the exception if the breach has since been put right; otherwise move it into \
            the file the breach is reported in (the meeting's file or plan.yaml) or correct its \
            rule id.",
        exception: None,
        passage: &[Quote {
            doc: Doc::Protocol,
            heading: "Kinds",
            text: "History cannot be edited, so a breach passes once the record explains it with \
                    an `exceptions:` entry naming the rule and a reason; the explained breach is \
                    then printed in the documents and counted in the strategic summaries.",
        }],
    },
    Rule {
        id: RuleId::Anonymity,
        summary: "no anonymised output names a person, a young person or their reference, or a context title; small counts of children print as c",
        source: "Information Sharing",
        check: Some(anonymisation::anonymity),
        settings: &[],
        details: "The names searched for are the name and surname of every person under people: \
            and of every person named in attendance:, invited:, represented_by:, venue_agreed_by: \
            or as an action's owner, every young person's full name, surname and ref, and every \
            context's title, as whole words in any \
            case and as a reader would read them (accents, look-alike letters and invisible \
            characters do not hide a name). `check` searches every record text a summary prints \
            as written: learning items, their themes and context areas. `build` searches each \
            anonymised theme summary itself before it is written; a word that is only the \
            summary's own (\"Page 2 of 5\" for a child surnamed Page) is not a hit. A hit points \
            at the record text that carried it, with every form of the name masked in the \
            snippet. In these summaries, counts of children below anonymisation.suppress_below \
            (6 by default) print as c.",
        fix: "Reword the text that reaches the summary, usually a learning item, so that it \
            describes the pattern without naming anyone or the context; use the area instead of \
            the context's title.",
        exception: None,
        passage: &[INFORMATION_SHARING, THEMES_SHARED],
    },
    Rule {
        id: RuleId::SuppressionThreshold,
        summary: "anonymisation.suppress_below is at least 2, so no anonymised summary prints a count of 1 child",
        source: "Information Sharing",
        check: Some(anonymisation::suppression_threshold),
        settings: &[],
        details: "contextpack.yaml's anonymisation.suppress_below sets which counts of children the \
            anonymised summaries withhold: those from 1 to one less print as c. At 0 or 1 nothing \
            is withheld and a count of one child, which names that child to anyone who knows the \
            area, would be published. It is an error, checked with the records, so no summary is \
            built with it.",
        fix: "Set `suppress_below: 6`, the convention for published figures about children, and \
            never lower than 2.",
        exception: None,
        passage: &[INFORMATION_SHARING],
    },
    Rule {
        id: RuleId::SuppressionConvention,
        summary: "anonymisation.suppress_below is at least 6, the convention for published figures about children",
        source: "Information Sharing",
        check: Some(anonymisation::suppression_convention),
        settings: &[],
        details: "Counts of children from 2 to 5 are withheld in published statistics by convention \
            (the Department for Education suppresses counts below 6): with so few children in a \
            cell, anyone who knows the area may tell who they are. A suppress_below from 2 to 5 \
            is allowed, with this warning.",
        fix: "Set `suppress_below: 6`. If the partnership's information sharing agreement allows \
            a lower threshold, record that under `rules:` in contextpack.yaml \
            (`suppression-convention: { level: off, reason: ... }`), which every document prints.",
        exception: None,
        passage: &[THEMES_SHARED],
    },
    Rule {
        id: RuleId::AreaAddress,
        summary: "a context's area is a neighbourhood or ward, not a street address",
        source: "Information Sharing",
        check: Some(anonymisation::area_address),
        settings: &[],
        details: "The anonymised summaries count contexts by area and print the area beside every \
            learning item they attribute, for every forum. An area written with a number, such as \
            a house number or a postcode (\"12 Clarence Place, Stonehouse\", \"PL1 3AB\"), points \
            at one address, and so at the children who meet there.",
        fix: "Write the neighbourhood or ward the context is in (\"Stonehouse\"), and keep the \
            street and number in the assessment, which stays restricted. An area whose name has a \
            number and is no address can be allowed under `rules:` in contextpack.yaml \
            (`area-address: { level: off, reason: ... }`).",
        exception: None,
        passage: &[INFORMATION_SHARING, THEMES_SHARED],
    },
    Rule {
        id: RuleId::GivenNameWord,
        summary: "a young person's given name that is also a word (Rose, May, Will) is not written with a capital in text a summary prints",
        source: "Information Sharing",
        check: Some(anonymisation::given_name_word),
        settings: &[],
        details: "The name guard searches every summary for each young person's full name, \
            surname, reference and given name. A given name that is also an ordinary word or a \
            month (Rose, May, Will, Grace, Page...) is searched for only beside the surname: alone \
            it says nothing (\"numbers rose\", \"may attend\"). Written with a capital in a \
            learning item or a theme, it may be the child, so `check` warns. The snippet masks it.",
        fix: "Reword the learning item so that it describes the pattern without the child: \
            \"a young person\". When the word is the word (the month of May), explain it under \
            the conference's `exceptions:`.",
        exception: Some(ExceptionExample {
            file: CONFERENCE_FILE,
            reason: "The word here is the month of May, not a young person.",
        }),
        passage: &[INFORMATION_SHARING, THEMES_SHARED],
    },
    Rule {
        id: RuleId::PublishedSummary,
        summary: "a summary a forum already holds is not changed without being reissued",
        source: "Governance and Accountability",
        check: None,
        settings: &[],
        details: "`contextpack publish` records in `published/<quarter>/<forum>.yaml` each summary \
            as it was sent: its figures (the children table as printed) and the sha256 of its \
            CSV, HTML and PDF. `build` and `report` compare each summary's CSV, which holds its \
            figures and nothing that changes from build to build, with the last release \
            recorded, and refuse to write a summary whose figures would change: two copies of a \
            quarter that differ tell a reader what changed, a child joining or a correction, and \
            a forum's record of what it was told would be rewritten. Every release recorded is \
            also one of the tables the disclosure check compares the children table with.",
        fix: "Find what changed the quarter's figures: usually a child linked to a context \
            without a `linked:` date, so counted from the context's opening, or a record \
            corrected. Give the date, or, when the change is a correction the forum must have, \
            build with `--reissue <quarter>` (the summary is marked as a reissue on its first \
            page) and record what is sent with `contextpack publish --quarter <quarter>`.",
        exception: None,
        passage: &[THEMES_SHARED],
    },
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RuleId::parse(id).map(of)
}

/// The catalogue entry of `id`. [`RULES`] holds one entry per rule in
/// [`RuleId::ALL`]'s order (a test below proves it), so this is an index.
pub fn of(id: RuleId) -> &'static Rule {
    match RULES.get(id as usize) {
        Some(r) if r.id == id => r,
        // Unreachable while the test holds; a linear search keeps a
        // misordered catalogue from ever giving the wrong rule.
        _ => RULES.iter().find(|r| r.id == id).unwrap_or(&RULES[0]),
    }
}

impl Rule {
    /// The kind PROTOCOL.md gives the rule.
    pub fn kind(&self) -> Kind {
        self.id.kind()
    }

    /// The one-line summary with the casebook's settings filled in.
    pub fn summary_for(&self, protocol: &Protocol) -> String {
        self.fill(self.summary, protocol)
    }

    /// What is checked, with the casebook's settings filled in.
    pub fn details_for(&self, protocol: &Protocol) -> String {
        self.fill(self.details, protocol)
    }

    fn fill(&self, text: &str, protocol: &Protocol) -> String {
        let mut text = text.to_string();
        for setting in self.settings {
            text = text.replace(
                &format!("{{{}}}", setting.key()),
                &setting.value(protocol).to_string(),
            );
        }
        text
    }
}

/// A number of `protocol:` in contextpack.yaml that a rule reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    ReviewWithinMonths,
    RescheduleWithinDays,
    PlanDiscussionMinMinutes,
    ConferenceMinutes,
    ConferenceMinutesTolerance,
}

impl Setting {
    /// The key under `protocol:`.
    pub fn key(self) -> &'static str {
        match self {
            Setting::ReviewWithinMonths => "review_within_months",
            Setting::RescheduleWithinDays => "reschedule_within_days",
            Setting::PlanDiscussionMinMinutes => "plan_discussion_min_minutes",
            Setting::ConferenceMinutes => "conference_minutes",
            Setting::ConferenceMinutesTolerance => "conference_minutes_tolerance",
        }
    }

    pub fn value(self, p: &Protocol) -> u32 {
        match self {
            Setting::ReviewWithinMonths => p.review_within_months,
            Setting::RescheduleWithinDays => p.reschedule_within_days,
            Setting::PlanDiscussionMinMinutes => p.plan_discussion_min_minutes,
            Setting::ConferenceMinutes => p.conference_minutes,
            Setting::ConferenceMinutesTolerance => p.conference_minutes_tolerance,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_has_one_entry_per_rule_in_rule_id_order() {
        let ids: Vec<RuleId> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids, RuleId::ALL);
        for &id in RuleId::ALL {
            assert_eq!(of(id).id, id);
        }
    }

    #[test]
    fn every_placeholder_names_a_setting_the_rule_reads() {
        let protocol = Protocol::default();
        for r in RULES {
            for text in [r.summary_for(&protocol), r.details_for(&protocol)] {
                assert!(
                    !text.contains("{review") && !text.contains("{conference"),
                    "{}",
                    r.id
                );
                assert!(
                    !text.contains("{reschedule") && !text.contains("{plan_"),
                    "{}",
                    r.id
                );
            }
        }
    }
}
