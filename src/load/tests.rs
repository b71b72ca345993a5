//! Loading whole casebooks from disk.

use super::*;
use crate::model::{
    ActionStatus, AgendaItem, AgendaItemId, ContextType, Domain, MeetingStatus, Weight,
    WeightingLevel, YoungPersonRole,
};
use crate::rule_id::RuleId;
use crate::source::SourceFile;
use std::fs;

const SETTINGS: &str = r#"partnership: Plymouth Safeguarding Children Partnership
marking: OFFICIAL-SENSITIVE      # printed on every page of every restricted document
anonymised_marking: OFFICIAL     # printed on anonymised summaries

agencies:
  - id: csc
    name: Children's Social Care
    core: true                   # core agencies are expected at every conference
  - id: education
    name: Education
    core: true
  - id: police
    name: Devon and Cornwall Police
    core: true
  - id: community-safety
    name: Community Safety Partnership
    core: true
  - id: youth-service
    name: Youth Service

people:                          # practitioners, chairs, partners -- never children
  - id: kim-davies
    name: Kim Davies
    agency: community-safety
    roles: [community-safety-partnership-manager]

forums:                          # strategic forums that receive anonymised summaries
  - id: mace-operational
    name: Operational Missing and Child Exploitation (MACE) panel
  - id: safer-plymouth
    name: Safer Plymouth Partnership
  - id: mace-strategic
    name: Strategic Missing and Child Exploitation Group

protocol:                        # every number of PROTOCOL.md lives here, with these defaults
  review_within_months: 3
  reschedule_within_days: 14
  plan_discussion_min_minutes: 30
  conference_minutes: 120
  conference_minutes_tolerance: 30
  chairs:                        # which chair roles may chair which context type
    peer-group: [isro, adolescent-safety-framework-chair]
    neighbourhood: [community-safety-partnership-manager]
    school: [headteacher, dsl]
    online: [isro]

anonymisation:
  suppress_below: 6              # counts of children from 1 to 5 print as "c"
"#;

const CONTEXT: &str = r#"type: neighbourhood              # peer-group | school | neighbourhood | online
title: Stonehouse parade and Victoria Park
area: Stonehouse                 # ward or locality; the only place detail in anonymised output
opened: 2026-06-02
closed: 2026-12-01               # optional; a closed context needs no further review
lead_practitioner: jo-smith      # a person id
managed_by: Parade traders' association; Parks team   # who manages the context
harms: [criminal-exploitation, county-lines]
young_people:                    # children linked to the context
  - ref: YP-A                    # pseudonymous reference, unique in the casebook
    name: Jordan Example         # restricted: never in anonymised output
    age: 15
    role: affected               # affected | alleged-harmer | both
  - ref: YP-B
    name: Casey Sample
    age: 16
    role: both
"#;

const ASSESSMENT: &str = r#"---
date: 2026-08-20
lead_practitioner: jo-smith
methods: [observation, peer-mapping, partner-intelligence, young-people-consultation, parent-consultation]
influencers:                     # adults and young people with influence over the context
  - Parade shopkeepers
  - Park wardens
weighting:                       # context weighting factors
  - level: neighbourhood         # child | family | peers | school | neighbourhood | online
    factor: Unlit underpass used to approach younger children
    weight: high                 # high | medium | low
    rationale: Seen in four of six evening observations; named by three young people.
---
# Context assessment

## Themes

Older males approach younger children.

## Risks

<b>Raw HTML</b> is kept as text.
"#;

const CONFERENCE: &str = r#"---
kind: initial                    # initial | review | interim
date: 2026-09-14
start: "10:00"
end: "12:00"
venue: Stonehouse Community Centre
venue_agreed_by: [kim-davies, Centre manager]   # the chair and those who manage the context
chair: kim-davies                # a person id
chair_role: community-safety-partnership-manager
status: held                     # scheduled | held | moved | cancelled
invited:
  - { agency: csc, person: jo-smith }
  - { agency: police, name: PC Alex Moore }     # a person id or a free-text name
  - { agency: education, name: Head of Year 10 }
  - { agency: community-safety, person: kim-davies }
attendance:                      # required once held: one line per invited agency
  - { agency: csc, person: jo-smith }
  - { agency: police, absent: true, represented_by: PC Sam Lee }
  - { agency: education, name: Head of Year 10 }
  - { agency: community-safety, person: kim-davies }
agenda:                          # optional: the whole agenda, in order; default below
  - { item: introductions, minutes: 10 }
  - { item: assessment, minutes: 25 }
  - { title: Update from the store owner, minutes: 10 }   # a free item
  - { item: plan-discussion, minutes: 45 }
confidentiality_statement_read: true
partner_reports: [police, education]            # agencies that brought a report or briefing
plan_shared_verbally: true
review:                          # required once an initial or review conference is held
  date: 2026-12-10
  agencies: [csc, police, education]            # chosen by the chair with partners
  invitations_by: jo-smith
moved:                           # required when status is moved
  to: 2026-12-17
  chair_consent: true
  reason: Venue flooded
exceptions:                      # a protocol breach that happened, explained (PROTOCOL.md)
  - rule: representation
    reason: Education lead taken ill on the morning; briefing sent in writing.
learning:                        # themes, trends and learning for the strategic forums
  - text: Older males use the underpass to approach younger children after school.
    forums: [mace-operational, safer-plymouth]
    themes: [county-lines, public-space-grooming]
---
# Minutes

## Introductions

All present.
"#;

const PLAN: &str = r#"goals:                           # safety goals for the context
  - id: g1
    text: Young people can use the parade after school without being approached.
actions:
  - id: a1
    domain: target               # target | legislative-framework | partnerships | outcomes
    action: Light the underpass and cut back the hedge line.
    goal: g1
    owner: { agency: community-safety, person: kim-davies }   # person or name optional
    agreed: 2026-09-14           # the date of the conference that agreed it
    due: 2026-10-31
    status: in-progress          # planned | in-progress | done | dropped
    done: 2026-10-20             # required when status is done
    measure: Evening incidents reported at the underpass, month by month
    updates:
      - { date: 2026-10-01, note: Contractor booked. }
exceptions: []                   # as in conferences
"#;

const MINIMAL_CONFERENCE: &str = "---\nkind: review\ndate: 2026-12-10\nstart: \"10:00\"\nend: \"12:00\"\nvenue: Hall\nchair: kim-davies\nchair_role: isro\nstatus: scheduled\ninvited: []\n---\n";

/// A casebook on disk: the FORMAT.md examples, with `files` written over them.
fn casebook(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let base: &[(&str, &[u8])] = &[
        ("contextpack.yaml", SETTINGS.as_bytes()),
        ("cases/stonehouse-parade/context.yaml", CONTEXT.as_bytes()),
        (
            "cases/stonehouse-parade/assessment.md",
            ASSESSMENT.as_bytes(),
        ),
        ("cases/stonehouse-parade/plan.yaml", PLAN.as_bytes()),
        (
            "cases/stonehouse-parade/conferences/2026-09-14-initial.md",
            CONFERENCE.as_bytes(),
        ),
    ];
    for (rel, text) in base.iter().chain(files) {
        let p = dir.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

fn load(files: &[(&str, &[u8])]) -> Loaded {
    let dir = casebook(files);
    load_casebook(dir.path()).unwrap()
}

/// The only diagnostic, as `path:line:col message`.
fn one(l: &Loaded) -> &Diagnostic {
    assert_eq!(l.diagnostics.len(), 1, "{:#?}", l.diagnostics);
    &l.diagnostics[0]
}

fn at(l: &Loaded, d: &Diagnostic) -> String {
    format!(
        "{}:{}:{}",
        l.casebook.sources.path(d.loc.file),
        d.loc.line,
        d.loc.column
    )
}

fn date(s: &str) -> model::Date {
    decode::parse_date(s).unwrap()
}

#[test]
fn format_examples_load_cleanly() {
    let l = load(&[]);
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    let cb = &l.casebook;
    let s = &cb.settings;
    assert_eq!(s.partnership, "Plymouth Safeguarding Children Partnership");
    assert_eq!(s.agencies.len(), 5);
    assert!(s.agencies[0].core && !s.agencies[4].core);
    assert_eq!(
        s.people[0].roles[0].value,
        "community-safety-partnership-manager"
    );
    assert_eq!(s.forums.len(), 3);
    assert_eq!(s.protocol.chairs[&ContextType::School].len(), 2);
    assert_eq!(s.suppress_below, 6);
    assert_eq!(cb.sources.path(s.file.unwrap()), "contextpack.yaml");

    assert_eq!(cb.contexts.len(), 1);
    let c = &cb.contexts[0];
    assert!(!c.incomplete);
    assert_eq!(c.id, "stonehouse-parade");
    assert_eq!(c.dir, "cases/stonehouse-parade");
    assert_eq!(
        c.context_type.as_ref().unwrap().value,
        ContextType::Neighbourhood
    );
    assert_eq!(c.opened.as_ref().unwrap().value, date("2026-06-02"));
    assert_eq!(c.closed.as_ref().unwrap().value, date("2026-12-01"));
    assert_eq!(
        c.managed_by.as_ref().unwrap().value,
        "Parade traders' association; Parks team"
    );
    assert_eq!(c.harms.len(), 2);
    assert_eq!(
        c.young_people[1].role.as_ref().unwrap().value,
        YoungPersonRole::Both
    );
    assert_eq!(c.young_people[0].age.as_ref().unwrap().value, 15);

    let a = c.assessment.as_ref().unwrap();
    assert_eq!(a.date.as_ref().unwrap().value, date("2026-08-20"));
    assert_eq!(a.methods.len(), 5);
    assert_eq!(a.influencers[1].value, "Park wardens");
    assert_eq!(
        a.weighting[0].level.as_ref().unwrap().value,
        WeightingLevel::Neighbourhood
    );
    assert_eq!(a.weighting[0].weight.as_ref().unwrap().value, Weight::High);
    assert_eq!(a.weighting_loc.unwrap().line, 8);
    let heads: Vec<_> = a
        .body
        .sections
        .iter()
        .map(|s| s.heading.value.as_str())
        .collect();
    assert_eq!(heads, ["Context assessment", "Themes", "Risks"]);
    assert_eq!(a.body.sections[1].heading.loc.line, 16);
    assert!(a.body.sections[2].content.contains("<b>Raw HTML</b>"));
    assert_eq!(a.body.loc.unwrap().line, 14);

    let p = c.plan.as_ref().unwrap();
    assert_eq!(p.goals[0].id.value, "g1");
    let act = &p.actions[0];
    assert_eq!(act.domain.as_ref().unwrap().value, Domain::Target);
    assert_eq!(act.status.as_ref().unwrap().value, ActionStatus::InProgress);
    assert_eq!(
        act.owner.as_ref().unwrap().person.as_ref().unwrap().value,
        "kim-davies"
    );
    assert_eq!(act.updates[0].note.value, "Contractor booked.");
    assert!(p.exceptions.is_empty());
    assert_eq!(p.actions_loc.unwrap().line, 4);

    let m = &c.meetings[0];
    assert_eq!(m.name, "2026-09-14-initial");
    assert_eq!(m.status.value, MeetingStatus::Held);
    assert_eq!(
        m.start.as_ref().unwrap().value.format("%H:%M").to_string(),
        "10:00"
    );
    assert_eq!(m.invited.as_ref().unwrap().value.len(), 4);
    let att = &m.attendance.as_ref().unwrap().value;
    assert!(att[1].absent && att[1].represented_by.is_some());
    let agenda = &m.agenda.as_ref().unwrap().value;
    assert_eq!(
        agenda[2].item,
        AgendaItem::Free("Update from the store owner".into())
    );
    assert_eq!(
        agenda[3].item,
        AgendaItem::Standard(AgendaItemId::PlanDiscussion)
    );
    assert_eq!(agenda[3].minutes.value, 45);
    assert_eq!(
        m.review.as_ref().unwrap().date.as_ref().unwrap().value,
        date("2026-12-10")
    );
    assert!(
        m.moved
            .as_ref()
            .unwrap()
            .chair_consent
            .as_ref()
            .unwrap()
            .value
    );
    assert_eq!(m.exceptions[0].rule.value, RuleId::Representation);
    assert_eq!(m.learning[0].themes.len(), 2);
    assert_eq!(m.body.sections[1].heading.value, "Introductions");
    // Locations point into the .md file, past the front matter's `---` line.
    let date_loc = m.date.loc;
    assert_eq!((date_loc.line, date_loc.column), (3, 7));
    assert_eq!(
        &cb.sources.get(m.file).expect("a file of the map").text[date_loc.start..date_loc.end],
        "2026-09-14"
    );
}

#[test]
fn the_sample_casebook_loads_without_schema_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let l = load_casebook(root).unwrap();
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    assert!(!l.casebook.contexts.is_empty());
    assert!(l.casebook.contexts.iter().all(|c| !c.incomplete));
}

#[test]
fn unknown_field_is_reported_with_suggestion() {
    let text = CONFERENCE.replace("attendance:", "atendance:");
    let l = load(&[(
        "cases/stonehouse-parade/conferences/2026-09-14-initial.md",
        text.as_bytes(),
    )]);
    let d = one(&l);
    assert_eq!(d.rule, RuleId::Schema);
    assert_eq!(d.message, "unknown field `atendance` in a conference");
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `attendance`?")
    );
    assert_eq!(
        at(&l, d),
        "cases/stonehouse-parade/conferences/2026-09-14-initial.md:16:1"
    );
}

#[test]
fn every_problem_of_a_file_is_reported() {
    let text = CONTEXT
        .replace("opened: 2026-06-02", "opened: 2026-02-30")
        .replace("age: 15", "age: fifteen")
        .replace("county-lines]", "county-line]")
        .replace("role: both", "role: bothe");
    let l = load(&[("cases/stonehouse-parade/context.yaml", text.as_bytes())]);
    let msgs: Vec<_> = l.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "2026-02-30 is not a date: February 2026 has 28 days",
            "unknown harm type `county-line`",
            "`age` must be a whole number, found text `fifteen`",
            "unknown young person role `bothe`",
        ]
    );
    assert!(
        l.diagnostics[1]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `county-lines`?")
    );
    assert_eq!(
        at(&l, &l.diagnostics[0]),
        "cases/stonehouse-parade/context.yaml:4:9"
    );
    // The context is still there, without the bad values.
    let c = &l.casebook.contexts[0];
    assert!(c.opened.is_none());
    assert_eq!(c.harms.len(), 1);
    assert!(!c.incomplete);
}

#[test]
fn number_for_date() {
    let text = PLAN.replace("due: 2026-10-31", "due: 20261031");
    let l = load(&[("cases/stonehouse-parade/plan.yaml", text.as_bytes())]);
    let d = one(&l);
    assert_eq!(
        d.message,
        "expected a date (YYYY-MM-DD) in `due`, found the number 20261031"
    );
    assert_eq!(at(&l, d), "cases/stonehouse-parade/plan.yaml:11:10");
}

#[test]
fn missing_required_field_is_reported_at_the_mapping() {
    let text = CONFERENCE.replace("venue: Stonehouse Community Centre\n", "");
    let l = load(&[(
        "cases/stonehouse-parade/conferences/2026-09-14-initial.md",
        text.as_bytes(),
    )]);
    let d = one(&l);
    assert_eq!(d.message, "missing field `venue` in a conference");
    assert_eq!((d.loc.line, d.loc.column), (2, 1));
}

#[test]
fn missing_kind_drops_the_meeting_and_marks_the_context() {
    let text = CONFERENCE.replace("kind: initial ", "kinds: initial");
    let l = load(&[(
        "cases/stonehouse-parade/conferences/2026-09-14-initial.md",
        text.as_bytes(),
    )]);
    assert_eq!(l.diagnostics.len(), 2, "{:#?}", l.diagnostics);
    let c = &l.casebook.contexts[0];
    assert!(c.meetings.is_empty());
    assert!(c.incomplete);
}

#[test]
fn tab_indentation_is_located_at_the_tab() {
    let text = PLAN.replace("    text: Young", "  \ttext: Young");
    let l = load(&[("cases/stonehouse-parade/plan.yaml", text.as_bytes())]);
    let d = one(&l);
    assert_eq!(
        d.message,
        "tab character used for indentation; YAML indents with spaces"
    );
    assert_eq!(at(&l, d), "cases/stonehouse-parade/plan.yaml:3:3");
    assert!(l.casebook.contexts[0].incomplete);
}

#[test]
fn tab_in_front_matter_is_located_in_the_md_file() {
    let text = CONFERENCE.replace("  date: 2026-12-10", "\tdate: 2026-12-10");
    let l = load(&[(
        "cases/stonehouse-parade/conferences/2026-09-14-initial.md",
        text.as_bytes(),
    )]);
    let d = one(&l);
    assert_eq!(
        at(&l, d),
        "cases/stonehouse-parade/conferences/2026-09-14-initial.md:30:1"
    );
}

#[test]
fn reason_no_stays_text() {
    let text = CONFERENCE.replace("reason: Venue flooded", "reason: no");
    let l = load(&[(
        "cases/stonehouse-parade/conferences/2026-09-14-initial.md",
        text.as_bytes(),
    )]);
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    let m = &l.casebook.contexts[0].meetings[0];
    assert_eq!(
        m.moved.as_ref().unwrap().reason.as_ref().unwrap().value,
        "no"
    );
}

#[test]
fn non_utf8_file_is_located_and_kept_for_snippets() {
    let mut bytes = CONTEXT.as_bytes().to_vec();
    let at_area = CONTEXT.find("Stonehouse     ").unwrap();
    bytes[at_area + 1] = 0xff;
    let l = load(&[("cases/stonehouse-parade/context.yaml", &bytes)]);
    let d = one(&l);
    assert_eq!(at(&l, d), "cases/stonehouse-parade/context.yaml:3:8");
    assert!(d.message.starts_with("file is not valid UTF-8 at byte"));
    let f = l
        .casebook
        .sources
        .get(d.loc.file)
        .expect("a file of the map");
    assert!(f.line_text(1).unwrap().starts_with("type: neighbourhood"));
    assert!(l.casebook.contexts[0].incomplete);
}

#[test]
fn nul_byte_is_reported() {
    let text = CONFERENCE.replace("Minutes", "Min\0utes");
    let l = load(&[(
        "cases/stonehouse-parade/conferences/2026-09-14-initial.md",
        text.as_bytes(),
    )]);
    let d = one(&l);
    assert!(d.message.contains("NUL byte"));
    assert_eq!((d.loc.line, d.loc.column), (45, 6));
    assert!(l.casebook.contexts[0].meetings.is_empty());
    assert!(l.casebook.contexts[0].incomplete);
}

#[test]
fn unterminated_front_matter() {
    let text = CONFERENCE.replacen("---\n# Minutes", "# Minutes", 1);
    let l = load(&[(
        "cases/stonehouse-parade/conferences/2026-09-14-initial.md",
        text.as_bytes(),
    )]);
    let d = one(&l);
    assert_eq!(
        d.message,
        "front matter is not closed: add a line `---` after it"
    );
    assert_eq!((d.loc.line, d.loc.column), (1, 1));
    assert!(l.casebook.contexts[0].incomplete);
}

#[test]
fn no_front_matter() {
    let l = load(&[(
        "cases/stonehouse-parade/assessment.md",
        b"# Assessment\n\n## Themes\n",
    )]);
    let d = one(&l);
    assert!(d.message.starts_with("no front matter"));
    assert_eq!(at(&l, d), "cases/stonehouse-parade/assessment.md:1:1");
    assert!(d.help.as_deref().unwrap().contains("date: 2026-08-20"));
    let c = &l.casebook.contexts[0];
    assert!(c.assessment.is_none() && c.incomplete);
}

#[test]
fn broken_front_matter_keeps_the_assessment_body() {
    let text = ASSESSMENT.replace("date: 2026-08-20", "date: [2026-08-20");
    let l = load(&[("cases/stonehouse-parade/assessment.md", text.as_bytes())]);
    assert_eq!(l.diagnostics.len(), 1, "{:#?}", l.diagnostics);
    let c = &l.casebook.contexts[0];
    let a = c.assessment.as_ref().unwrap();
    assert!(a.date.is_none());
    assert_eq!(a.body.sections.len(), 3);
    assert!(c.incomplete);
}

#[test]
fn alias_bomb_is_refused() {
    let mut text =
        String::from("partnership: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "x{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let l = load(&[("contextpack.yaml", text.as_bytes())]);
    let d = one(&l);
    assert!(d.message.contains("alias"), "{d:?}");
    assert_eq!(l.casebook.sources.path(d.loc.file), "contextpack.yaml");
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!("goals: {}{}\n", "[".repeat(20_000), "]".repeat(20_000));
    let l = load(&[("cases/stonehouse-parade/plan.yaml", text.as_bytes())]);
    let d = one(&l);
    assert!(d.message.contains("nesting deeper than 32"), "{d:?}");
}

#[test]
fn unknown_exception_rule_suggests_the_nearest() {
    let text = CONFERENCE.replace("rule: representation", "rule: representaton");
    let l = load(&[(
        "cases/stonehouse-parade/conferences/2026-09-14-initial.md",
        text.as_bytes(),
    )]);
    let d = one(&l);
    assert_eq!(d.rule, RuleId::Schema);
    assert_eq!(d.message, "unknown rule `representaton` in an exception");
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("did you mean `representation`?")
    );
    assert!(l.casebook.contexts[0].meetings[0].exceptions.is_empty());
}

#[test]
fn empty_settings() {
    let l = load(&[("contextpack.yaml", b"# nothing yet\n")]);
    let d = one(&l);
    assert_eq!(
        d.message,
        "contextpack.yaml is empty: it needs at least partnership, agencies and people"
    );
    assert_eq!(at(&l, d), "contextpack.yaml:1:1");
}

#[test]
fn missing_settings() {
    let dir = casebook(&[]);
    fs::remove_file(dir.path().join("contextpack.yaml")).unwrap();
    let l = load_casebook(dir.path()).unwrap();
    let d = one(&l);
    assert_eq!(d.message, "no contextpack.yaml in this casebook");
    assert_eq!(at(&l, d), "contextpack.yaml:1:1");
    assert!(d.help.as_deref().unwrap().contains("FORMAT.md"));
    assert_eq!(l.casebook.contexts.len(), 1);
}

#[test]
fn partial_protocol_keeps_defaults() {
    let text = "partnership: P\nagencies: []\npeople:\nprotocol:\n  review_within_months: 2\n  chairs:\n    school: [dsl]\n    shcool: [x]\nforums:\n";
    let l = load(&[("contextpack.yaml", text.as_bytes())]);
    let d = one(&l);
    assert_eq!(d.rule, RuleId::Reference);
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("did you mean `school`?")
    );
    let s = &l.casebook.settings;
    assert_eq!(s.protocol.review_within_months, 2);
    assert_eq!(s.protocol.reschedule_within_days, 14);
    assert_eq!(s.protocol.chairs.len(), 1);
    assert_eq!(s.marking, "OFFICIAL-SENSITIVE");
    assert_eq!(s.forums.len(), 3);
}

#[test]
fn settings_extensions() {
    let text = format!("{SETTINGS}as_of: 2026-11-27\nharms: [weapon-carrying]\n");
    let ctx = CONTEXT.replace("county-lines]", "weapon-carrying]");
    let l = load(&[
        ("contextpack.yaml", text.as_bytes()),
        ("cases/stonehouse-parade/context.yaml", ctx.as_bytes()),
    ]);
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    assert_eq!(
        l.casebook.settings.as_of.as_ref().unwrap().value,
        date("2026-11-27")
    );
}

#[test]
fn nonexistent_folder_is_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    assert!(matches!(
        load_casebook(&missing),
        Err(FatalError::NoCasebook(_))
    ));
}

#[test]
fn unexpected_file_names() {
    let l = load(&[
        ("cases/stonehouse-parade/plan.yml", b"goals: []\n"),
        (
            "cases/stonehouse-parade/conferences/2026-12-10-reveiw.md",
            MINIMAL_CONFERENCE.as_bytes(),
        ),
        ("cases/stonehouse-parade/conferences/notes.txt", b"ignored"),
    ]);
    assert_eq!(l.diagnostics.len(), 2, "{:#?}", l.diagnostics);
    assert!(l.diagnostics.iter().all(|d| d.rule == RuleId::FileName));
    assert!(
        l.diagnostics[0]
            .help
            .as_deref()
            .unwrap()
            .contains("`plan.yaml`")
    );
    assert!(
        l.diagnostics[1]
            .help
            .as_deref()
            .unwrap()
            .contains("2026-12-10-review.md")
    );
}

#[test]
fn context_folders_are_checked_and_sorted() {
    let l = load(&[
        ("cases/Bad Name/context.yaml", CONTEXT.as_bytes()),
        ("cases/a-first/assessment.md", ASSESSMENT.as_bytes()),
        ("cases/.hidden/context.yaml", b"junk: ["),
        ("cases/.DS_Store", b"\0\0"),
    ]);
    assert_eq!(l.diagnostics.len(), 3, "{:#?}", l.diagnostics);
    // A hidden folder is not read, and is named; .DS_Store is nobody's record.
    assert_eq!(l.diagnostics[0].rule, RuleId::HiddenFile);
    assert_eq!(at(&l, &l.diagnostics[0]), "cases/.hidden:1:1");
    assert_eq!(at(&l, &l.diagnostics[1]), "cases/Bad Name:1:1");
    assert_eq!(
        l.diagnostics[2].message,
        "missing context.yaml in `cases/a-first`"
    );
    assert_eq!(at(&l, &l.diagnostics[2]), "cases/a-first/context.yaml:1:1");
    let ids: Vec<_> = l.casebook.contexts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["a-first", "stonehouse-parade"]);
    assert!(l.casebook.contexts[0].incomplete);
}

#[test]
fn meetings_sorted_by_date_then_kind() {
    let interim = MINIMAL_CONFERENCE.replace("kind: review", "kind: interim");
    let l = load(&[
        (
            "cases/stonehouse-parade/conferences/2026-12-10-review.md",
            MINIMAL_CONFERENCE.as_bytes(),
        ),
        (
            "cases/stonehouse-parade/conferences/2026-12-10-interim.md",
            interim.as_bytes(),
        ),
    ]);
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    let names: Vec<_> = l.casebook.contexts[0]
        .meetings
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "2026-09-14-initial",
            "2026-12-10-review",
            "2026-12-10-interim"
        ]
    );
}

#[test]
fn meeting_field_rules() {
    let text = MINIMAL_CONFERENCE
        .replace("end: \"12:00\"", "end: \"09:00\"")
        .replace("status: scheduled", "status: moved")
        .replace("invited: []", "invited:\n  - { agency: csc, person: jo-smith, name: Jo }\nagenda:\n  - { item: learning, title: x, minutes: 5 }\n  - { title: Free, minutes: 0 }");
    let l = load(&[(
        "cases/stonehouse-parade/conferences/2026-12-10-review.md",
        text.as_bytes(),
    )]);
    let msgs: Vec<_> = l.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "the meeting ends at 09:00 but starts at 10:00",
            "an invitation names either a `person` (an id) or a `name` (free text), not both",
            "a moved meeting needs `moved:` saying when to and why",
            "an agenda item has either `item` or `title`, not both",
            "`minutes` must be at least 1, found 0",
        ]
    );
}

#[test]
fn interim_meetings_need_no_chair() {
    let text = MINIMAL_CONFERENCE
        .replace("kind: review", "kind: interim")
        .replace("chair: kim-davies\nchair_role: isro\n", "");
    let l = load(&[(
        "cases/stonehouse-parade/conferences/2026-12-10-interim.md",
        text.as_bytes(),
    )]);
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    let review = text.replace("kind: interim", "kind: review");
    let l = load(&[(
        "cases/stonehouse-parade/conferences/2026-12-10-review.md",
        review.as_bytes(),
    )]);
    assert_eq!(l.diagnostics.len(), 2, "{:#?}", l.diagnostics);
}

#[test]
fn garbage_never_panics() {
    let samples: &[&[u8]] = &[
        b"",
        b"---",
        b"---\n---\n",
        b"---\n...\n",
        b"- a\n- b\n",
        b"just text",
        b"a: *nope\n",
        b"? [a]\n: b\n",
        b"a: !!binary AAAA\n",
        b"{a: 1, a: 2}",
        b"\xef\xbb\xbfa: 1\n",
        b"---\n\xef\xbb\xbfkind: initial\n---\n",
        b"---\na: 1\n---\nb: 2\n---\n",
        b"a:\n  - b: [1, {c: d}]\n  - .nan\n  - 1e999\n  - 99999999999999999999999\n",
        b"\r\n\r\n",
        b"---\r\nkind: [\r\n---\r\n",
    ];
    for s in samples {
        let l = load(&[
            ("contextpack.yaml", s),
            ("cases/stonehouse-parade/context.yaml", s),
            ("cases/stonehouse-parade/plan.yaml", s),
            ("cases/stonehouse-parade/assessment.md", s),
            (
                "cases/stonehouse-parade/conferences/2026-09-14-initial.md",
                s,
            ),
        ]);
        assert!(!l.diagnostics.is_empty());
    }
}

#[test]
fn unquoted_times_and_null_lists() {
    let text = MINIMAL_CONFERENCE
        .replace("start: \"10:00\"", "start: 9:30")
        .replace("end: \"12:00\"", "end: 11:45")
        .replace(
            "invited: []",
            "invited:\npartner_reports:\nvenue_agreed_by: ~",
        );
    let l = load(&[(
        "cases/stonehouse-parade/conferences/2026-12-10-review.md",
        text.as_bytes(),
    )]);
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    let m = &l.casebook.contexts[0].meetings[1];
    assert_eq!(
        m.start.as_ref().unwrap().value.format("%H:%M").to_string(),
        "09:30"
    );
    assert_eq!(
        m.end.as_ref().unwrap().value.format("%H:%M").to_string(),
        "11:45"
    );
    assert!(m.invited.as_ref().unwrap().value.is_empty());
    assert!(m.partner_reports.as_ref().unwrap().value.is_empty());
    assert_eq!(m.invited.as_ref().unwrap().loc.line, 10);
}

#[test]
fn front_matter_syntax_error_is_located_in_the_md_file() {
    let text = CONFERENCE.replace("venue: Stonehouse Community Centre", "venue: [Stonehouse");
    let rel = "cases/stonehouse-parade/conferences/2026-09-14-initial.md";
    let l = load(&[(rel, text.as_bytes())]);
    let d = one(&l);
    assert_eq!(l.casebook.sources.path(d.loc.file), rel);
    assert!(d.loc.line >= 6, "{d:?}");
    assert!(!d.message.contains("line"), "{d:?}");
}

#[test]
fn overlong_body_is_reported() {
    let text = format!("{CONFERENCE}{}", "minutes\n".repeat(150_000));
    let l = load(&[(
        "cases/stonehouse-parade/conferences/2026-09-14-initial.md",
        text.as_bytes(),
    )]);
    let d = one(&l);
    assert!(d.message.contains("Markdown body is too long"), "{d:?}");
    assert_eq!(d.loc.line, 45);
    let c = &l.casebook.contexts[0];
    assert!(c.incomplete);
    assert!(c.meetings[0].body.sections.is_empty());
}

#[test]
fn ids_are_checked_where_they_are_defined() {
    let text = PLAN.replace("id: g1", "id: Goal One");
    let l = load(&[("cases/stonehouse-parade/plan.yaml", text.as_bytes())]);
    let d = one(&l);
    assert_eq!(d.message, "`Goal One` is not a valid id in `id`");
    assert!(d.help.as_deref().unwrap().contains("`goal-one`"));
    assert!(
        l.casebook.contexts[0]
            .plan
            .as_ref()
            .unwrap()
            .goals
            .is_empty()
    );
}

/// Runs every decoder over `text`, as YAML and as a Markdown record, in memory.
fn decode_everything(text: &str) {
    let source = SourceFile::new("x", text);
    let file = FileId(0);
    let mut diags = Vec::new();
    let origin = Origin {
        file,
        source: &source,
        base: 0,
        line_offset: 0,
    };
    if let Some(y) = yaml::parse(text, origin, &mut diags) {
        let mut d = Dec::default();
        let mut settings = Settings::default();
        settings::decode(&mut d, &y, &mut settings);
        let mut plan = Plan::default();
        plan::decode(&mut d, &y, &mut plan);
    }
    if let Ok(split) = markdown::split_front_matter(&source, file, "") {
        let body =
            markdown::body(&source, file, split.body_start, &mut diags).unwrap_or_else(|b| b);
        let origin = Origin {
            base: split.yaml_base,
            line_offset: 1,
            ..origin
        };
        if let Some(y) = yaml::parse(split.yaml, origin, &mut diags) {
            let mut d = Dec::default();
            meeting::decode(&mut d, &y, file, "x".into(), body);
        }
    }
}

#[test]
fn truncated_and_mangled_records_never_panic() {
    let samples = [SETTINGS, CONTEXT, ASSESSMENT, CONFERENCE, PLAN];
    for s in samples {
        for cut in (0..s.len()).step_by(5).filter(|&i| s.is_char_boundary(i)) {
            decode_everything(&s[..cut]);
        }
    }
    // Swap single characters for YAML's punctuation, deterministically.
    let mut rng = crate::test_rng::Rng::new(0x9e37_79b9_7f4a_7c15);
    let punct = [
        ':', '-', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '"', '\'', '\t', '\n', ' ',
        '?', ',',
    ];
    for _ in 0..200 {
        for s in samples {
            let mut chars: Vec<char> = s.chars().collect();
            for _ in 0..3 {
                let at = rng.below(chars.len());
                chars[at] = punct[rng.below(punct.len())];
            }
            decode_everything(&chars.into_iter().collect::<String>());
        }
    }
}

#[test]
fn empty_list_items_are_reported() {
    let text = CONTEXT.replace(
        "harms: [criminal-exploitation, county-lines]",
        "harms:\n  -\n  - county-lines",
    );
    let l = load(&[("cases/stonehouse-parade/context.yaml", text.as_bytes())]);
    let d = one(&l);
    assert_eq!(d.message, "empty item in `harms`");
    assert_eq!(l.casebook.contexts[0].harms.len(), 1);
}

#[test]
fn a_reference_that_is_ordinary_text_is_refused() {
    for (written, why) in [
        ("A", "has fewer than three letters or digits"),
        ("Y-1", "has fewer than three letters or digits"),
        ("\"14\"", "has fewer than three letters or digits"),
        ("\"140\"", "is only a number"),
        ("\"2026-01\"", "is only a number"),
    ] {
        let text = CONTEXT.replace("ref: YP-A ", &format!("ref: {written} "));
        let l = load(&[("cases/stonehouse-parade/context.yaml", text.as_bytes())]);
        let d = one(&l);
        assert_eq!(d.rule, RuleId::Schema, "{written}");
        assert_eq!(d.message, format!("a young person's `ref` {why}"));
        assert!(d.help.as_deref().unwrap().contains("`YP-A`"));
        assert_eq!(at(&l, d), "cases/stonehouse-parade/context.yaml:10:10");
    }
    // Three characters with a letter are a reference.
    let text = CONTEXT.replace("ref: YP-A ", "ref: YP1 ");
    let l = load(&[("cases/stonehouse-parade/context.yaml", text.as_bytes())]);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
}
