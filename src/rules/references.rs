//! Rules: `reference`, `lead-practitioner`.

use super::Ctx;
use crate::diagnostic::Diagnostic;
use crate::model::{Context, Meeting, Plan, Settings, YoungPerson};
use crate::rule_id::RuleId;
use crate::source::{FileId, Loc, Sp};
use crate::text::nearest;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How many known ids the help lists when none is close to the unknown one.
const LIST_KNOWN: usize = 6;

/// `reference`: every person, agency, forum and goal that a record names is
/// defined, and ids are unique. A reference that does not resolve would leave
/// a pack naming someone nobody can contact, and a duplicate id makes every
/// later reference ambiguous.
pub(super) fn reference(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let settings = &ctx.casebook.settings;
    settings_references(ctx, settings, out);
    young_person_refs_unique(ctx, out);
    for c in &ctx.casebook.contexts {
        if let Some(lp) = c
            .assessment
            .as_ref()
            .and_then(|a| a.lead_practitioner.as_ref())
        {
            Known::people(settings).check(
                ctx,
                RuleId::Reference,
                "the assessment's lead practitioner",
                lp,
                out,
            );
        }
        if let Some(area) = &c.area {
            Known::areas(settings).check(ctx, RuleId::Reference, "the area", area, out);
        }
        related_references(ctx, c, out);
        for m in &c.meetings {
            meeting_references(ctx, settings, m, out);
        }
        if let Some(plan) = &c.plan {
            plan_references(ctx, settings, plan, out);
        }
    }
}

/// `lead-practitioner`: the context names its lead practitioner, a known
/// person. The terms of reference give them the assessment and oversight of
/// the plan, so a context without one has nobody answerable for either.
pub(super) fn lead_practitioner(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let settings = &ctx.casebook.settings;
    for c in &ctx.casebook.contexts {
        match &c.lead_practitioner {
            Some(lp) => Known::people(settings).check(
                ctx,
                RuleId::LeadPractitioner,
                "lead practitioner",
                lp,
                out,
            ),
            // A value that could not be read is already reported by the loader.
            None if c.incomplete => {}
            None => out.push(missing_lead_practitioner(ctx, c)),
        }
    }
}

fn missing_lead_practitioner(ctx: &Ctx, c: &Context) -> Diagnostic {
    let from_assessment = c
        .assessment
        .as_ref()
        .and_then(|a| a.lead_practitioner.as_ref())
        .map(|lp| format!(" (the assessment names `{}`)", lp.value))
        .unwrap_or_default();
    ctx.diag(
        RuleId::LeadPractitioner,
        Loc::file_start(c.file),
        format!("the context `{}` names no lead practitioner", c.id),
    )
    .with_help(format!(
        "add `lead_practitioner: <person id>` to context.yaml{from_assessment}: \
         the lead practitioner presents the assessment and oversees the plan"
    ))
}

// ---------------------------------------------------------------- per record

fn settings_references(ctx: &Ctx, s: &Settings, out: &mut Vec<Diagnostic>) {
    unique(ctx, AGENCY_ID, s.agencies.iter().map(|a| &a.id), out);
    unique(ctx, PERSON_ID, s.people.iter().map(|p| &p.id), out);
    unique(ctx, FORUM_ID, s.forums.iter().map(|f| &f.id), out);
    let agencies = Known::agencies(s);
    for p in &s.people {
        let role = format!("{}'s agency", p.id.value);
        agencies.check(ctx, RuleId::Reference, &role, &p.agency, out);
    }
}

/// `people-listed`: `people:` has someone in it, or no context can name
/// its lead practitioner nor any conference its chair.
pub(super) fn people_listed(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let s = &ctx.casebook.settings;
    let Some(at) = s.people_at.filter(|_| s.people.is_empty()) else {
        return;
    };
    out.push(
        ctx.diag(
            RuleId::PeopleListed,
            at,
            "`people:` is empty: no context can name its lead practitioner, nor any conference its chair",
        )
        .with_help(
            "add the practitioners and chairs, one per line: \
             `- { id: kim-davies, name: Kim Davies, agency: community-safety, roles: [community-safety-partnership-manager] }` (never a child)",
        ),
    );
}

/// Young person references are pseudonyms that stand for a child in every
/// document, so one reference must never stand for two children. Within a
/// context a reference is listed once; across contexts the same child may
/// be linked from many, but written out (name and age) in more than one
/// place only if every such definition agrees: each one that disagrees with
/// another is reported where it is written, naming the other.
fn young_person_refs_unique(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for c in &ctx.casebook.contexts {
        unique(
            ctx,
            YOUNG_PERSON_REF,
            c.young_people.iter().map(|yp| &yp.reference),
            out,
        );
    }
    let mut definitions: BTreeMap<&str, Vec<&YoungPerson>> = BTreeMap::new();
    for c in &ctx.casebook.contexts {
        // A ref repeated in one context is reported above, once.
        let mut seen = HashSet::new();
        for y in &c.young_people {
            if y.defined_in.is_none() && seen.insert(y.reference.value.as_str()) {
                definitions.entry(&y.reference.value).or_default().push(y);
            }
        }
    }
    for (reference, defs) in definitions {
        for y in &defs {
            if let Some(other) = defs.iter().find(|o| !same_child(y, o)) {
                out.push(disagreeing_definition(ctx, reference, y, other));
            }
        }
    }
}

/// Whether two definitions give the same name and the same age.
fn same_child(a: &YoungPerson, b: &YoungPerson) -> bool {
    let born = |y: &YoungPerson| y.born.as_ref().map(|b| b.value);
    let age = |y: &YoungPerson| y.age.as_ref().map(|a| a.value);
    a.name.value.trim() == b.name.value.trim() && born(a) == born(b) && age(a) == age(b)
}

/// "Jordan Example, born 2011-04" as a definition reads.
fn definition_text(y: &YoungPerson) -> String {
    match (&y.born, &y.age) {
        (Some(b), _) => format!("{}, born {}", y.name.value.trim(), b.value),
        (None, Some(a)) => format!("{}, age {}", y.name.value.trim(), a.value),
        (None, None) => y.name.value.trim().to_string(),
    }
}

fn disagreeing_definition(
    ctx: &Ctx,
    reference: &str,
    y: &YoungPerson,
    other: &YoungPerson,
) -> Diagnostic {
    ctx.diag(
        RuleId::Reference,
        y.reference.loc,
        format!(
            "young person `{reference}` is defined here as {} and at {} as {}",
            definition_text(y),
            place(ctx, other.reference.loc),
            definition_text(other)
        ),
    )
    .with_help(
        "a reference stands for one child in every context: write the name and `born` once, \
         and link the child from the other contexts by `ref` and `role` alone; \
         if these are two children, give one a reference of their own"
            .to_string(),
    )
}

/// Each related context exists, is another context, and is listed once.
fn related_references(ctx: &Ctx, c: &Context, out: &mut Vec<Diagnostic>) {
    let known = Known::contexts(ctx.casebook);
    for r in &c.related {
        if r.context.value == c.id {
            out.push(
                ctx.diag(
                    RuleId::Reference,
                    r.context.loc,
                    format!("context `{}` lists itself as related", c.id),
                )
                .with_help(
                    "`related_contexts:` names other contexts: the school its peer group attends, \
                     the neighbourhood where it meets"
                        .to_string(),
                ),
            );
        } else {
            known.check(ctx, RuleId::Reference, "related context", &r.context, out);
        }
    }
    unique(
        ctx,
        RELATED_CONTEXT,
        c.related.iter().map(|r| &r.context),
        out,
    );
}

fn meeting_references(ctx: &Ctx, s: &Settings, m: &Meeting, out: &mut Vec<Diagnostic>) {
    let people = Known::people(s);
    let agencies = Known::agencies(s);
    if let Some(chair) = &m.chair {
        people.check(ctx, RuleId::Reference, "the chair", chair, out);
    }
    for i in m.invited.iter().flat_map(|v| &v.value) {
        agencies.check(ctx, RuleId::Reference, "invited agency", &i.agency, out);
        if let Some(p) = &i.person {
            people.check(ctx, RuleId::Reference, "invited person", p, out);
        }
    }
    for a in m.attendance.iter().flat_map(|v| &v.value) {
        agencies.check(
            ctx,
            RuleId::Reference,
            "agency in `attendance`",
            &a.agency,
            out,
        );
        if let Some(p) = &a.person {
            people.check(ctx, RuleId::Reference, "person in `attendance`", p, out);
        }
    }
    if let Some(r) = &m.review {
        for a in r.agencies.iter().flat_map(|v| &v.value) {
            agencies.check(ctx, RuleId::Reference, "review agency", a, out);
        }
        if let Some(p) = &r.invitations_by {
            people.check(ctx, RuleId::Reference, "`invitations_by`", p, out);
        }
    }
    for a in m.partner_reports.iter().flat_map(|v| &v.value) {
        agencies.check(
            ctx,
            RuleId::Reference,
            "agency in `partner_reports`",
            a,
            out,
        );
    }
    let forums = Known::forums(s);
    for f in m.learning.iter().flat_map(|l| &l.forums) {
        forums.check(ctx, RuleId::Reference, "learning forum", f, out);
    }
    for to in m.circulated_to.iter().flat_map(|v| &v.value) {
        if !(forums.has)(&to.value) {
            let role = "agency (or forum) in `circulated_to`";
            agencies.check(ctx, RuleId::Reference, role, to, out);
        }
    }
    // A person's id or a name: what reads as an id must be one.
    let minuted = m.minute_taker.iter().map(|p| ("`minute_taker`", p)).chain(
        m.approved
            .iter()
            .filter_map(|a| a.by.as_ref().map(|p| ("`approved: by`", p))),
    );
    for (role, p) in minuted {
        if looks_like_id(&p.value) {
            people.check(ctx, RuleId::Reference, role, p, out);
        }
    }
    let themes = Known::themes(s);
    for t in m.learning.iter().flat_map(|l| &l.themes) {
        themes.check(ctx, RuleId::Reference, "learning theme", t, out);
    }
}

fn plan_references(ctx: &Ctx, s: &Settings, plan: &Plan, out: &mut Vec<Diagnostic>) {
    unique(ctx, GOAL_ID, plan.goals.iter().map(|g| &g.id), out);
    unique(ctx, ACTION_ID, plan.actions.iter().map(|a| &a.id), out);
    let goals = Known::goals(plan);
    let people = Known::people(s);
    let agencies = Known::agencies(s);
    for a in &plan.actions {
        if let Some(g) = &a.goal {
            let role = format!("goal of action `{}`", a.id.value);
            goals.check(ctx, RuleId::Reference, &role, g, out);
        }
        let Some(owner) = &a.owner else { continue };
        if let Some(ag) = &owner.agency {
            let role = format!("owning agency of action `{}`", a.id.value);
            agencies.check(ctx, RuleId::Reference, &role, ag, out);
        }
        if let Some(p) = &owner.person {
            let role = format!("owner of action `{}`", a.id.value);
            people.check(ctx, RuleId::Reference, &role, p, out);
        }
    }
}

/// `jamal-hussain` rather than "Jamal Hussain" or "the chair".
fn looks_like_id(s: &str) -> bool {
    s.contains('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

// ---------------------------------------------------------------- resolving

/// The ids a reference may name, and where a new one is added.
struct Known<'a> {
    /// What the ids name: "agencies", "people".
    plural: &'static str,
    /// The list a new one goes in, and its file: "`agencies:` in contextpack.yaml".
    home: &'static str,
    /// The file they are defined in, for messages.
    file: &'static str,
    /// Every id, in the order written (for "did you mean").
    ids: Box<dyn Fn() -> Vec<&'a str> + 'a>,
    /// Whether an id is known, without going through the list.
    has: Box<dyn Fn(&str) -> bool + 'a>,
    /// The file defining them could not be read: any reference may be
    /// right, so none is reported.
    unchecked: bool,
}

impl<'a> Known<'a> {
    fn agencies(s: &'a Settings) -> Self {
        Known {
            plural: "agencies",
            home: "`agencies:` in contextpack.yaml",
            file: "contextpack.yaml",
            ids: Box::new(|| s.agencies.iter().map(|a| a.id.value.as_str()).collect()),
            has: Box::new(|id| s.agency(id).is_some()),
            unchecked: s.incomplete,
        }
    }

    fn people(s: &'a Settings) -> Self {
        Known {
            plural: "people",
            home: "`people:` in contextpack.yaml",
            file: "contextpack.yaml",
            ids: Box::new(|| s.people.iter().map(|p| p.id.value.as_str()).collect()),
            has: Box::new(|id| s.person(id).is_some()),
            unchecked: s.incomplete,
        }
    }

    fn forums(s: &'a Settings) -> Self {
        Known {
            plural: "forums",
            home: "`forums:` in contextpack.yaml",
            file: "contextpack.yaml",
            ids: Box::new(|| s.forums.iter().map(|f| f.id.value.as_str()).collect()),
            has: Box::new(|id| s.forum(id).is_some()),
            unchecked: s.incomplete,
        }
    }

    /// Free text unless the casebook lists `themes:`.
    fn themes(s: &'a Settings) -> Self {
        Known {
            plural: "themes",
            home: "`themes:` in contextpack.yaml",
            file: "contextpack.yaml",
            ids: Box::new(|| s.themes.iter().map(|t| t.id.value.as_str()).collect()),
            has: Box::new(|id| s.themes.iter().any(|t| t.id.value == id)),
            unchecked: s.incomplete || s.themes.is_empty(),
        }
    }

    /// Free text unless the casebook lists `areas:`.
    fn areas(s: &'a Settings) -> Self {
        Known {
            plural: "areas",
            home: "`areas:` in contextpack.yaml",
            file: "contextpack.yaml",
            ids: Box::new(|| s.areas.iter().map(|a| a.value.as_str()).collect()),
            has: Box::new(|id| s.areas.iter().any(|a| a.value == id)),
            unchecked: s.incomplete || s.areas.is_empty(),
        }
    }

    /// The folders under `cases/`, for `related_contexts:`.
    fn contexts(cb: &'a crate::model::Casebook) -> Self {
        Known {
            plural: "contexts",
            home: "`cases/` (a folder of its own with a context.yaml)",
            file: "cases/",
            ids: Box::new(|| cb.contexts.iter().map(|c| c.id.as_str()).collect()),
            has: Box::new(|id| cb.contexts.iter().any(|c| c.id == id)),
            unchecked: false,
        }
    }

    fn goals(plan: &'a Plan) -> Self {
        Known {
            plural: "goals",
            home: "`goals:` in plan.yaml",
            file: "plan.yaml",
            ids: Box::new(|| plan.goals.iter().map(|g| g.id.value.as_str()).collect()),
            has: Box::new(|id| plan.goals.iter().any(|g| g.id.value == id)),
            unchecked: false,
        }
    }

    /// Reports `r` under `rule` unless it names a known id; `role` says what
    /// the reference is ("the chair", "invited agency").
    fn check(
        &self,
        ctx: &Ctx,
        rule: RuleId,
        role: &str,
        r: &Sp<String>,
        out: &mut Vec<Diagnostic>,
    ) {
        if self.unchecked || (self.has)(r.value.as_str()) {
            return;
        }
        let message = format!(
            "{role} `{}` is not one of the {} in {}",
            r.value, self.plural, self.file
        );
        out.push(
            ctx.diag(rule, r.loc, message)
                .with_help(self.help(&r.value)),
        );
    }

    fn help(&self, id: &str) -> String {
        let ids = (self.ids)();
        // "Criminal exploitation" for `criminal-exploitation`.
        let spelt = crate::text::slug(id);
        let near = ids
            .iter()
            .find(|k| crate::text::slug(k) == spelt)
            .copied()
            .or_else(|| nearest(id, &ids));
        if let Some(near) = near {
            return format!(
                "did you mean `{near}`? If `{id}` is new, add it under {}",
                self.home
            );
        }
        if ids.is_empty() {
            return format!(
                "no {} are listed yet: add `{id}` under {}",
                self.plural, self.home
            );
        }
        let shown: Vec<String> = ids
            .iter()
            .take(LIST_KNOWN)
            .map(|k| format!("`{k}`"))
            .collect();
        let more = match ids.len().saturating_sub(LIST_KNOWN) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        format!(
            "known {}: {}{more}; if `{id}` is new, add it under {}",
            self.plural,
            shown.join(", "),
            self.home
        )
    }
}

// ---------------------------------------------------------------- uniqueness

/// A kind of id that must be unique, and how to say so.
struct IdKind {
    /// "agency id", "young person reference".
    what: &'static str,
    /// Where it must be unique: "in contextpack.yaml", "in the casebook".
    scope: &'static str,
    /// What to do about a second one.
    fix: &'static str,
}

const AGENCY_ID: IdKind = IdKind {
    what: "agency id",
    scope: "in contextpack.yaml",
    fix: "give each agency its own id, or remove the repeated entry",
};
const PERSON_ID: IdKind = IdKind {
    what: "person id",
    scope: "in contextpack.yaml",
    fix: "give each person their own id, or remove the repeated entry",
};
const FORUM_ID: IdKind = IdKind {
    what: "forum id",
    scope: "in contextpack.yaml",
    fix: "give each forum its own id, or remove the repeated entry",
};
const GOAL_ID: IdKind = IdKind {
    what: "goal id",
    scope: "in this plan",
    fix: "give each goal its own id (actions name their goal by it)",
};
const ACTION_ID: IdKind = IdKind {
    what: "action id",
    scope: "in this plan",
    fix: "give each action its own id",
};
const RELATED_CONTEXT: IdKind = IdKind {
    what: "related context",
    scope: "in `related_contexts:`",
    fix: "list each related context once; say every way they relate in its `relation:`",
};
const YOUNG_PERSON_REF: IdKind = IdKind {
    what: "young person reference",
    scope: "in this context",
    fix: "a reference stands for one child in every document: give this young person a reference of their own",
};

/// Reports every repeat of an id, at the repeat, naming where it first appears.
fn unique<'a>(
    ctx: &Ctx,
    kind: IdKind,
    ids: impl IntoIterator<Item = &'a Sp<String>>,
    out: &mut Vec<Diagnostic>,
) {
    let mut first: HashMap<&str, Loc> = HashMap::new();
    for id in ids {
        match first.get(id.value.as_str()) {
            None => {
                first.insert(&id.value, id.loc);
            }
            Some(at) => {
                let message = format!("{} `{}` is used twice {}", kind.what, id.value, kind.scope);
                let help = format!("it is first used at {}; {}", place(ctx, *at), kind.fix);
                out.push(ctx.diag(RuleId::Reference, id.loc, message).with_help(help));
            }
        }
    }
}

/// `path:line` of a location, for help that points at another place.
pub(super) fn place(ctx: &Ctx, loc: Loc) -> String {
    format!("{}:{}", path(ctx, loc.file), loc.line)
}

/// The casebook-relative path of a file, without panicking on a stray id.
pub(super) fn path<'a>(ctx: &Ctx<'a>, file: FileId) -> &'a str {
    ctx.casebook
        .sources
        .get(file)
        .map_or("(unknown file)", |f| f.path.as_str())
}

#[cfg(test)]
pub(super) mod testkit {
    //! A small builder of casebooks for the tests of the rules in this team's
    //! files: the loader is written separately, so tests build the model
    //! directly. Every value gets a line of its own, so a test can assert
    //! which value a diagnostic points at.

    use crate::diagnostic::Diagnostic;
    use crate::model::*;
    use crate::rules::{CheckFn, Ctx};
    use crate::source::{FileId, Loc, SourceFile, Sp};
    use std::cell::Cell;

    pub fn date(s: &str) -> Date {
        Date::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    /// The date the tests run "today".
    pub fn today() -> Date {
        date("2026-10-01")
    }

    /// Runs one rule over a casebook.
    pub fn run(cb: &Casebook, today: Date, rule: CheckFn) -> Vec<Diagnostic> {
        let ctx = Ctx {
            casebook: cb,
            today,
        };
        let mut out = Vec::new();
        rule(&ctx, &mut out);
        out
    }

    /// Hands out locations on fresh lines.
    pub struct B {
        next: Cell<u32>,
    }

    impl B {
        pub fn new() -> Self {
            B { next: Cell::new(1) }
        }
        pub fn loc(&self, file: FileId) -> Loc {
            let line = self.next.get();
            self.next.set(line + 1);
            Loc {
                file,
                line,
                column: 1,
                start: 0,
                end: 0,
            }
        }
        pub fn sp<T>(&self, value: T, file: FileId) -> Sp<T> {
            Sp::new(value, self.loc(file))
        }
        pub fn s(&self, value: &str, file: FileId) -> Sp<String> {
            self.sp(value.to_string(), file)
        }
        pub fn d(&self, value: &str, file: FileId) -> Sp<Date> {
            self.sp(date(value), file)
        }
    }

    use super::super::assessment::REQUIRED_SECTIONS as SECTIONS;

    pub fn section(b: &B, file: FileId, heading: &str, content: &str) -> Section {
        Section {
            level: 2,
            heading: b.s(heading, file),
            content: content.into(),
        }
    }

    /// A meeting with everything the rules of these files look at.
    pub fn meeting(
        b: &B,
        file: FileId,
        kind: MeetingKind,
        day: &str,
        status: MeetingStatus,
    ) -> Meeting {
        let held = status == MeetingStatus::Held;
        let agencies = ["csc", "education", "police", "community-safety"];
        Meeting {
            file,
            name: format!("{day}-{kind}"),
            loc: b.loc(file),
            kind: b.sp(kind, file),
            date: b.d(day, file),
            status: b.sp(status, file),
            start: None,
            end: None,
            venue: Some(b.s("Community Centre", file)),
            venue_agreed_by: None,
            minute_taker: None,
            approved: None,
            circulated_to: None,
            chair: Some(b.s("kim-davies", file)),
            chair_role: Some(b.s("community-safety-partnership-manager", file)),
            invited: Some(
                b.sp(
                    agencies
                        .iter()
                        .map(|a| Invitee {
                            loc: b.loc(file),
                            agency: b.s(a, file),
                            person: (*a == "csc").then(|| b.s("jo-smith", file)),
                            name: None,
                        })
                        .collect(),
                    file,
                ),
            ),
            attendance: held.then(|| {
                b.sp(
                    agencies
                        .iter()
                        .map(|a| Attendance {
                            loc: b.loc(file),
                            agency: b.s(a, file),
                            person: (*a == "community-safety").then(|| b.s("kim-davies", file)),
                            name: None,
                            absent: false,
                            represented_by: None,
                        })
                        .collect(),
                    file,
                )
            }),
            agenda: None,
            confidentiality_statement_read: Some(b.sp(held, file)),
            partner_reports: held.then(|| b.sp(vec![b.s("police", file)], file)),
            plan_shared_verbally: Some(b.sp(held, file)),
            review: (held && kind != MeetingKind::Interim).then(|| Review {
                loc: b.loc(file),
                date: Some(b.d("2026-12-10", file)),
                agencies: Some(b.sp(vec![b.s("csc", file), b.s("police", file)], file)),
                invitations_by: Some(b.s("jo-smith", file)),
            }),
            moved: None,
            exceptions: Vec::new(),
            learning: vec![Learning {
                loc: b.loc(file),
                text: b.s("Older males use the underpass.", file),
                forums: vec![b.s("mace-operational", file)],
                themes: vec![],
            }],
            papers: Vec::new(),
            body: MarkdownBody::default(),
        }
    }

    pub fn action(b: &B, file: FileId, id: &str, domain: Domain, status: ActionStatus) -> Action {
        Action {
            loc: b.loc(file),
            id: b.s(id, file),
            domain: Some(b.sp(domain, file)),
            action: b.s("Light the underpass.", file),
            goal: Some(b.s("g1", file)),
            owner: Some(Owner {
                loc: b.loc(file),
                agency: Some(b.s("community-safety", file)),
                person: Some(b.s("kim-davies", file)),
                name: None,
            }),
            agreed: Some(b.d("2026-09-14", file)),
            due: Some(b.d("2026-10-31", file)),
            status: Some(b.sp(status, file)),
            done: (status == ActionStatus::Done).then(|| b.d("2026-09-30", file)),
            measure: Some(b.s("Evening incidents at the underpass, by month", file)),
            metric: None,
            updates: vec![],
            partly_read: false,
        }
    }

    /// File ids of the good casebook, in the order its sources are added.
    pub const SETTINGS: FileId = FileId(0);
    pub const PARK: FileId = FileId(1);
    pub const ASSESSMENT: FileId = FileId(2);
    pub const PLAN: FileId = FileId(3);
    pub const INITIAL: FileId = FileId(4);
    pub const INTERIM: FileId = FileId(5);
    pub const REVIEW: FileId = FileId(6);
    pub const SCHOOL: FileId = FileId(7);

    /// A casebook that every rule of these files passes on 2026-10-01: a park
    /// context with a held initial conference, a held interim meeting and a
    /// scheduled review, and a school context with nothing held yet.
    pub fn good() -> Casebook {
        let b = B::new();
        let mut cb = Casebook::default();
        for p in [
            "contextpack.yaml",
            "cases/park/context.yaml",
            "cases/park/assessment.md",
            "cases/park/plan.yaml",
            "cases/park/conferences/2026-09-14-initial.md",
            "cases/park/conferences/2026-10-20-interim.md",
            "cases/park/conferences/2026-12-10-review.md",
            "cases/school/context.yaml",
        ] {
            cb.sources.add(SourceFile::new(p, ""));
        }
        cb.settings = settings(&b);
        cb.contexts = vec![park(&b), school(&b)];
        cb
    }

    fn settings(b: &B) -> Settings {
        let f = SETTINGS;
        let agency = |id: &str| Agency {
            id: b.s(id, f),
            name: id.to_string(),
            name_at: b.s(id, f).loc,
            public_name: None,
            core: true,
        };
        let person = |id: &str, agency: &str| Person {
            id: b.s(id, f),
            name: b.s(id, f),
            agency: b.s(agency, f),
            roles: vec![],
        };
        Settings {
            file: Some(f),
            agencies: ["csc", "education", "police", "community-safety"]
                .into_iter()
                .map(agency)
                .collect(),
            people: vec![
                person("jo-smith", "csc"),
                person("kim-davies", "community-safety"),
            ],
            ..Settings::default()
        }
    }

    fn young_person(b: &B, file: FileId, r: &str) -> YoungPerson {
        YoungPerson {
            loc: b.loc(file),
            reference: b.s(r, file),
            name: b.s("Jordan Example", file),
            age: Some(b.sp(15, file)),
            born: None,
            role: Some(b.sp(YoungPersonRole::Affected, file)),
            linked: None,
            unlinked: None,
            defined_in: None,
        }
    }

    fn context(b: &B, id: &str, file: FileId) -> Context {
        Context {
            id: id.to_string(),
            dir: format!("cases/{id}"),
            file,
            context_type: Some(b.sp(ContextType::Neighbourhood, file)),
            title: Some(b.s("Stonehouse parade", file)),
            area: Some(b.s("Stonehouse", file)),
            opened: Some(b.d("2026-06-02", file)),
            closed: None,
            lead_practitioner: Some(b.s("jo-smith", file)),
            managed_by: None,
            harms: vec![],
            young_people: vec![],
            related: vec![],
            assessment: None,
            plan: None,
            meetings: vec![],
            attachments: Vec::new(),
            incomplete: false,
        }
    }

    fn park(b: &B) -> Context {
        let mut c = context(b, "park", PARK);
        c.young_people = vec![young_person(b, PARK, "YP-A"), young_person(b, PARK, "YP-B")];
        c.assessment = Some(assessment(b));
        c.plan = Some(plan(b));
        c.meetings = vec![
            meeting(
                b,
                INITIAL,
                MeetingKind::Initial,
                "2026-09-14",
                MeetingStatus::Held,
            ),
            meeting(
                b,
                INTERIM,
                MeetingKind::Interim,
                "2026-09-28",
                MeetingStatus::Held,
            ),
            meeting(
                b,
                REVIEW,
                MeetingKind::Review,
                "2026-12-10",
                MeetingStatus::Scheduled,
            ),
        ];
        c
    }

    fn school(b: &B) -> Context {
        let mut c = context(b, "school", SCHOOL);
        c.young_people = vec![young_person(b, SCHOOL, "YP-C")];
        c
    }

    fn assessment(b: &B) -> Assessment {
        let f = ASSESSMENT;
        Assessment {
            file: f,
            loc: b.loc(f),
            date: Some(b.d("2026-08-20", f)),
            lead_practitioner: Some(b.s("jo-smith", f)),
            methods: vec![b.s("observation", f)],
            influencers: vec![],
            weighting_loc: Some(b.loc(f)),
            weighting: vec![WeightingFactor {
                loc: b.loc(f),
                level: Some(b.sp(WeightingLevel::Neighbourhood, f)),
                factor: b.s("Unlit underpass", f),
                weight: Some(b.sp(Weight::High, f)),
                rationale: Some(b.s("Seen in four of six evening observations.", f)),
            }],
            body: MarkdownBody {
                text: Default::default(),
                images: Vec::new(),
                loc: Some(b.loc(f)),
                sections: SECTIONS
                    .iter()
                    .map(|h| section(b, f, h, "Some findings.\n"))
                    .collect(),
            },
        }
    }

    fn plan(b: &B) -> Plan {
        let f = PLAN;
        Plan {
            file: Some(f),
            goals: vec![Goal {
                id: b.s("g1", f),
                text: b.s("Young people use the parade safely.", f),
            }],
            actions_loc: Some(b.loc(f)),
            actions: vec![
                action(b, f, "a1", Domain::Target, ActionStatus::InProgress),
                action(
                    b,
                    f,
                    "a2",
                    Domain::LegislativeFramework,
                    ActionStatus::Planned,
                ),
                action(b, f, "a3", Domain::Partnerships, ActionStatus::Done),
                action(b, f, "a4", Domain::Outcomes, ActionStatus::Planned),
            ],
            exceptions: vec![],
        }
    }

    pub fn park_mut(cb: &mut Casebook) -> &mut Context {
        &mut cb.contexts[0]
    }

    pub fn plan_mut(cb: &mut Casebook) -> &mut Plan {
        park_mut(cb).plan.as_mut().expect("the park has a plan")
    }
}

#[cfg(test)]
mod tests {
    use super::testkit::*;
    use super::*;
    use crate::diagnostic::Kind;

    fn refs(cb: &crate::model::Casebook) -> Vec<Diagnostic> {
        run(cb, today(), reference)
    }

    #[test]
    fn good_casebook_resolves() {
        let cb = good();
        assert_eq!(refs(&cb), vec![]);
        assert_eq!(run(&cb, today(), lead_practitioner), vec![]);
    }

    #[test]
    fn unknown_agency_suggests_the_nearest() {
        let mut cb = good();
        let m = &mut park_mut(&mut cb).meetings[0];
        let inv = &mut m.invited.as_mut().unwrap().value[2];
        inv.agency.value = "polce".into();
        let at = inv.agency.loc;
        let d = refs(&cb);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(
            (d[0].rule, d[0].kind, d[0].loc),
            (RuleId::Reference, Kind::Error, at)
        );
        assert!(d[0].message.contains("`polce`"), "{}", d[0].message);
        assert!(
            d[0].help
                .as_ref()
                .unwrap()
                .contains("did you mean `police`?")
        );
    }

    #[test]
    fn unknown_person_far_from_any_lists_the_known() {
        let mut cb = good();
        let m = &mut park_mut(&mut cb).meetings[0];
        m.chair.as_mut().unwrap().value = "zebedee".into();
        let d = refs(&cb);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(d[0].message.starts_with("the chair `zebedee`"));
        let help = d[0].help.as_ref().unwrap();
        assert!(
            help.contains("known people: `jo-smith`, `kim-davies`"),
            "{help}"
        );
    }

    #[test]
    fn every_kind_of_reference_is_checked() {
        let mut cb = good();
        cb.settings.people[0].agency.value = "nobody".into();
        let c = park_mut(&mut cb);
        c.assessment
            .as_mut()
            .unwrap()
            .lead_practitioner
            .as_mut()
            .unwrap()
            .value = "x1".into();
        let m = &mut c.meetings[0];
        m.attendance.as_mut().unwrap().value[0].agency.value = "x2".into();
        m.attendance.as_mut().unwrap().value[3]
            .person
            .as_mut()
            .unwrap()
            .value = "x3".into();
        m.invited.as_mut().unwrap().value[0]
            .person
            .as_mut()
            .unwrap()
            .value = "x4".into();
        let r = m.review.as_mut().unwrap();
        r.agencies.as_mut().unwrap().value[0].value = "x5".into();
        r.invitations_by.as_mut().unwrap().value = "x6".into();
        m.partner_reports.as_mut().unwrap().value[0].value = "x7".into();
        m.learning[0].forums[0].value = "x8".into();
        let a = &mut plan_mut(&mut cb).actions[0];
        a.goal.as_mut().unwrap().value = "x9".into();
        a.owner.as_mut().unwrap().agency.as_mut().unwrap().value = "x10".into();
        a.owner.as_mut().unwrap().person.as_mut().unwrap().value = "x11".into();
        let d = refs(&cb);
        assert_eq!(d.len(), 12, "{d:#?}");
        let lines: std::collections::HashSet<u32> = d.iter().map(|d| d.loc.line).collect();
        assert_eq!(lines.len(), 12, "each at its own value");
    }

    #[test]
    fn unknown_goal_points_to_plan_goals() {
        let mut cb = good();
        plan_mut(&mut cb).actions[1].goal.as_mut().unwrap().value = "g2".into();
        let d = refs(&cb);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("goals in plan.yaml"),
            "{}",
            d[0].message
        );
        assert!(d[0].help.as_ref().unwrap().contains("`g1`"));
    }

    #[test]
    fn duplicate_agency_points_at_the_second_and_names_the_first() {
        let mut cb = good();
        let mut second = cb.settings.agencies[2].clone();
        second.id.loc.line = 900;
        cb.settings.agencies.push(second);
        let first_line = cb.settings.agencies[2].id.loc.line;
        let d = refs(&cb);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].loc.line, 900);
        assert!(d[0].message.contains("agency id `police` is used twice"));
        let help = d[0].help.as_ref().unwrap();
        assert!(
            help.contains(&format!("contextpack.yaml:{first_line}")),
            "{help}"
        );
    }

    #[test]
    fn duplicate_goal_and_action_ids_within_a_plan() {
        let mut cb = good();
        let plan = plan_mut(&mut cb);
        let mut g = plan.goals[0].clone();
        g.id.loc.line = 901;
        plan.goals.push(g);
        plan.actions[3].id.value = "a1".into();
        let at = plan.actions[3].id.loc;
        let d = refs(&cb);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(
            d.iter()
                .any(|d| d.loc.line == 901 && d.message.contains("goal id `g1`"))
        );
        assert!(
            d.iter()
                .any(|d| d.loc == at && d.message.contains("action id `a1`"))
        );
    }

    #[test]
    fn same_action_id_in_two_plans_is_fine() {
        let mut cb = good();
        let b = B::new();
        let goals = park_mut(&mut cb).plan.as_ref().unwrap().goals.clone();
        cb.contexts[1].plan = Some(crate::model::Plan {
            file: Some(SCHOOL),
            actions: vec![action(
                &b,
                SCHOOL,
                "a1",
                crate::model::Domain::Target,
                crate::model::ActionStatus::Planned,
            )],
            goals,
            ..Default::default()
        });
        assert_eq!(refs(&cb), vec![]);
    }

    #[test]
    fn one_child_defined_alike_in_two_contexts_is_one_child() {
        let mut cb = good();
        cb.contexts[1].young_people[0].reference.value = "YP-B".into();
        assert_eq!(refs(&cb), vec![]);
    }

    #[test]
    fn two_definitions_of_one_ref_that_disagree_are_reported_at_both() {
        let mut cb = good();
        cb.contexts[1].young_people[0].reference.value = "YP-B".into();
        cb.contexts[1].young_people[0].name.value = "Casey Sample".into();
        let here = cb.contexts[1].young_people[0].reference.loc;
        let there = cb.contexts[0].young_people[1].reference.loc;
        let d = refs(&cb);
        assert_eq!(d.len(), 2, "{d:#?}");
        let at: Vec<_> = d.iter().map(|d| (d.rule, d.loc)).collect();
        assert!(at.contains(&(RuleId::Reference, here)), "{d:#?}");
        assert!(at.contains(&(RuleId::Reference, there)), "{d:#?}");
        let school = d.iter().find(|d| d.loc == here).unwrap();
        assert!(
            school
                .message
                .contains(&format!("cases/park/context.yaml:{}", there.line)),
            "{}",
            school.message
        );
        assert!(
            school.message.contains("Casey Sample, age 15"),
            "{}",
            school.message
        );
    }

    #[test]
    fn a_ref_listed_twice_in_one_context_is_reported_once() {
        let mut cb = good();
        cb.contexts[0].young_people[1].reference.value = "YP-A".into();
        let at = cb.contexts[0].young_people[1].reference.loc;
        let d = refs(&cb);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!((d[0].rule, d[0].loc), (RuleId::Reference, at));
    }

    #[test]
    fn a_related_context_must_exist_and_be_another() {
        let mut cb = good();
        let file = cb.contexts[0].file;
        let at = |line: u32, column: u32| Loc {
            file,
            line,
            column,
            start: 0,
            end: 0,
        };
        let relation = |id: &str, line: u32| crate::model::Relation {
            loc: at(line, 5),
            context: Sp::new(id.to_string(), at(line, 14)),
            relation: None,
        };
        park_mut(&mut cb).related = vec![
            relation("school", 40),
            relation("shcool", 41),
            relation("park", 42),
        ];
        let d = refs(&cb);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(
            d[0].help
                .as_ref()
                .unwrap()
                .contains("did you mean `school`"),
            "{d:#?}"
        );
        assert!(d[1].message.contains("lists itself"), "{d:#?}");
    }

    #[test]
    fn lead_practitioner_missing_or_unknown() {
        let mut cb = good();
        park_mut(&mut cb).lead_practitioner = None;
        cb.contexts[1].lead_practitioner.as_mut().unwrap().value = "jo-smyth".into();
        let at = cb.contexts[1].lead_practitioner.as_ref().unwrap().loc;
        let d = run(&cb, today(), lead_practitioner);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!(
            (d[0].rule, d[0].kind),
            (RuleId::LeadPractitioner, Kind::Error)
        );
        assert_eq!(d[0].loc, Loc::file_start(PARK));
        assert!(
            d[0].help
                .as_ref()
                .unwrap()
                .contains("the assessment names `jo-smith`")
        );
        assert_eq!(d[1].loc, at);
        assert!(
            d[1].help
                .as_ref()
                .unwrap()
                .contains("did you mean `jo-smith`?")
        );
        // The context-level lead is this rule's, not `reference`'s.
        assert_eq!(refs(&cb), vec![]);
    }

    #[test]
    fn lead_practitioner_quiet_when_the_context_could_not_be_read() {
        let mut cb = good();
        let c = park_mut(&mut cb);
        c.lead_practitioner = None;
        c.incomplete = true;
        assert_eq!(run(&cb, today(), lead_practitioner), vec![]);
    }

    #[test]
    fn nearest_is_case_insensitive_and_declines_strangers() {
        assert_eq!(nearest("Police", &["csc", "police"]), Some("police"));
        assert_eq!(
            nearest("kim", &["jo-smith", "kim-davies"]),
            Some("kim-davies")
        );
        assert_eq!(nearest("zebedee", &["jo-smith", "kim-davies"]), None);
        assert_eq!(nearest("x", &[] as &[&str]), None);
    }
}
