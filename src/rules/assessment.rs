//! Rules: `assessment-sections`, `assessment-before-conference`, `weighting-rationale`.

use super::Ctx;
use crate::diagnostic::Diagnostic;
use crate::model::{Assessment, Context, Meeting, Section};
use crate::rule_id::RuleId;

pub(super) use crate::model::ASSESSMENT_SECTIONS as REQUIRED_SECTIONS;

/// `assessment-sections`: the assessment has each required section, with
/// text in it. The terms of reference list what the lead practitioner
/// presents (themes to capacity to safeguard, methods, the voices of young
/// people and parents, weighting, outline plan); a section left out or left
/// blank is a gap the conference would not notice until it met.
pub(super) fn sections(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for c in &ctx.casebook.contexts {
        if let Some(a) = &c.assessment {
            check_sections(ctx, c, a, out);
        }
    }
}

fn check_sections(ctx: &Ctx, c: &Context, a: &Assessment, out: &mut Vec<Diagnostic>) {
    let level2: Vec<&Section> = a.body.sections.iter().filter(|s| s.level == 2).collect();
    let mut missing = Vec::new();
    for &title in REQUIRED_SECTIONS {
        let found: Vec<&Section> = level2
            .iter()
            .copied()
            .filter(|s| same_heading(&s.heading.value, title))
            .collect();
        match found.first() {
            None => missing.push(title),
            // A repeated heading is fine as long as one of them has text.
            Some(first) if !found.iter().any(|s| has_visible_text(&s.content)) => {
                out.push(empty_section(ctx, first, title));
            }
            Some(_) => {}
        }
    }
    // A body that could not be read at all is the loader's to report.
    let unreadable = c.incomplete && a.body.sections.is_empty();
    if !missing.is_empty() && !unreadable {
        out.push(missing_sections(ctx, a, &missing));
    }
}

fn missing_sections(ctx: &Ctx, a: &Assessment, missing: &[&str]) -> Diagnostic {
    let loc = a.body.loc.unwrap_or(a.loc);
    let names = missing.join(", ");
    let message = if missing.len() == 1 {
        format!("the assessment has no `{names}` section")
    } else {
        format!(
            "the assessment is missing {} of its {} sections: {names}",
            missing.len(),
            REQUIRED_SECTIONS.len()
        )
    };
    let headings: Vec<String> = missing.iter().map(|t| format!("`## {t}`")).collect();
    let each = if missing.len() == 1 { "" } else { "each " };
    let mut help = format!(
        "add {} to assessment.md, {each}with the findings under it",
        headings.join(", ")
    );
    for (s, title) in misspelt(a, missing) {
        help.push_str(&format!(
            "; `## {}` (line {}) may be meant as `## {title}`",
            s.heading.value.trim(),
            s.heading.loc.line
        ));
    }
    // A common slip: the right words under a heading of the wrong level.
    let wrong_level: Vec<String> = a
        .body
        .sections
        .iter()
        .filter(|s| s.level != 2 && missing.iter().any(|t| same_heading(&s.heading.value, t)))
        .map(|s| {
            format!(
                "`# {}` (line {})",
                s.heading.value.trim(),
                s.heading.loc.line
            )
        })
        .collect();
    if !wrong_level.is_empty() {
        help.push_str(&format!(
            "; {} must be a second-level heading (`##`)",
            wrong_level.join(", ")
        ));
    }
    ctx.diag(RuleId::AssessmentSections, loc, message)
        .with_help(help)
}

/// Level-2 headings that are not required sections but look like a missing
/// one ("Trend" for "Trends"), with the section they look like.
fn misspelt<'a>(a: &'a Assessment, missing: &[&'a str]) -> Vec<(&'a Section, &'a str)> {
    a.body
        .sections
        .iter()
        .filter(|s| s.level == 2)
        .filter(|s| {
            !REQUIRED_SECTIONS
                .iter()
                .any(|t| same_heading(&s.heading.value, t))
        })
        .filter_map(|s| crate::text::nearest(s.heading.value.trim(), missing).map(|t| (s, t)))
        .collect()
}

fn empty_section(ctx: &Ctx, s: &Section, title: &str) -> Diagnostic {
    ctx.diag(
        RuleId::AssessmentSections,
        s.heading.loc,
        format!("the assessment's `{title}` section is empty"),
    )
    .with_help(format!(
        "write what the assessment found under `## {title}`: the lead practitioner presents it to the conference"
    ))
}

/// Headings match without regard to case or surrounding spaces.
fn same_heading(written: &str, title: &str) -> bool {
    written.trim().to_lowercase() == title.to_lowercase()
}

/// Whether Markdown has text a reader would see: HTML comments (the prompts a
/// template leaves under each heading) do not count.
fn has_visible_text(markdown: &str) -> bool {
    let mut rest = markdown;
    loop {
        match rest.find("<!--") {
            None => return !rest.trim().is_empty(),
            Some(open) => {
                if !rest[..open].trim().is_empty() {
                    return true;
                }
                let after = &rest[open + 4..];
                match after.find("-->") {
                    Some(close) => rest = &after[close + 3..],
                    // An unclosed comment runs to the end, as in HTML.
                    None => return false,
                }
            }
        }
    }
}

/// `assessment-before-conference`: a context that has held a conference has
/// an assessment dated on or before the first one. The conference exists "to
/// review the findings of a Context Assessment", so it cannot come first.
pub(super) fn before_conference(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for c in &ctx.casebook.contexts {
        let Some(first) = first_held_conference(c) else {
            continue;
        };
        match &c.assessment {
            // An assessment.md that could not be read is the loader's to report.
            None if c.incomplete => {}
            None => out.push(
                ctx.diag(
                    RuleId::AssessmentBeforeConference,
                    first.date.loc,
                    format!(
                        "the {} conference on {} was held, but the context has no assessment",
                        first.kind.value, first.date.value
                    ),
                )
                .with_help(format!(
                    "add {}/assessment.md, dated on or before {}: the conference reviews the assessment's findings",
                    c.dir, first.date.value
                )),
            ),
            Some(a) => {
                let Some(date) = &a.date else { continue };
                if date.value > first.date.value {
                    out.push(
                        ctx.diag(
                            RuleId::AssessmentBeforeConference,
                            date.loc,
                            format!(
                                "the assessment is dated {}, after the first conference held on {}",
                                date.value, first.date.value
                            ),
                        )
                        .with_help(format!(
                            "check the date: the assessment must be complete on or before {}, when the conference reviewed it",
                            first.date.value
                        )),
                    );
                }
            }
        }
    }
}

fn first_held_conference(c: &Context) -> Option<&Meeting> {
    c.meetings
        .iter()
        .filter(|m| m.is_held() && m.is_conference())
        .min_by_key(|m| m.date.value)
}

/// `weighting-rationale`: the assessment weighs at least one context factor
/// and gives the reason for every weight. The lead practitioner must provide
/// "clear rationale of the context weighting factors"; a weight without a
/// reason cannot be challenged or reviewed.
pub(super) fn weighting_rationale(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for c in &ctx.casebook.contexts {
        let Some(a) = &c.assessment else { continue };
        // Factors that could not be read were dropped after being reported.
        if a.weighting.is_empty() && !c.incomplete {
            out.push(
                ctx.diag(
                    RuleId::WeightingRationale,
                    a.weighting_loc.unwrap_or(a.loc),
                    "the assessment lists no context weighting factors",
                )
                .with_help(
                    "add at least one under `weighting:`, with its level, factor, weight and rationale",
                ),
            );
        }
        for f in &a.weighting {
            let blank = f
                .rationale
                .as_ref()
                .is_none_or(|r| r.value.trim().is_empty());
            if blank {
                let weight = f
                    .weight
                    .as_ref()
                    .map(|w| format!(" weight {}", w.value))
                    .unwrap_or_default();
                out.push(
                    ctx.diag(
                        RuleId::WeightingRationale,
                        f.loc,
                        format!("weighting factor \"{}\" has no rationale", f.factor.value),
                    )
                    .with_help(format!(
                        "add `rationale:` saying why it carries{weight}: what was seen, heard or reported, and by whom"
                    )),
                );
            }
        }
    }
}

/// `harmer-assessed`: "Children who may be alleged perpetrators should also
/// be assessed in order to understand the impact of contextual issues on
/// their safety and welfare" (Background). A young person linked as an
/// alleged harmer (or both) whom the assessment never names by reference has
/// not visibly been assessed.
pub(super) fn harmer_assessed(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    use crate::model::YoungPersonRole::{AllegedHarmer, Both};
    for c in ctx.casebook.contexts.iter().filter(|c| !c.incomplete) {
        let Some(a) = &c.assessment else { continue };
        let said = |r: &str| {
            crate::text::mentions(&a.body.text, r)
                || a.weighting.iter().any(|w| {
                    crate::text::mentions(&w.factor.value, r)
                        || w.rationale
                            .as_ref()
                            .is_some_and(|t| crate::text::mentions(&t.value, r))
                })
        };
        for y in &c.young_people {
            let Some(role) = y
                .role
                .as_ref()
                .filter(|r| matches!(r.value, AllegedHarmer | Both))
            else {
                continue;
            };
            if said(&y.reference.value) {
                continue;
            }
            out.push(
                ctx.diag(
                    RuleId::HarmerAssessed,
                    y.reference.loc,
                    format!(
                        "young person `{}` is linked as `{}`, but the assessment never mentions them",
                        y.reference.value,
                        role.value.as_str()
                    ),
                )
                .with_help(format!(
                    "write in assessment.md, by their reference `{}`, what the assessment found about the \
                     context's impact on their own safety and welfare",
                    y.reference.value
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::references::testkit::*;
    use super::*;
    use crate::diagnostic::Kind;
    use crate::model::{Casebook, MeetingKind, MeetingStatus};

    fn assessment_mut(cb: &mut Casebook) -> &mut Assessment {
        park_mut(cb).assessment.as_mut().unwrap()
    }

    #[test]
    fn good_assessment_passes() {
        let cb = good();
        for rule in [sections, before_conference, weighting_rationale] {
            assert_eq!(run(&cb, today(), rule), vec![]);
        }
    }

    #[test]
    fn missing_sections_reported_once_at_the_body() {
        let mut cb = good();
        let a = assessment_mut(&mut cb);
        a.body
            .sections
            .retain(|s| s.heading.value != "Trends" && s.heading.value != "Parental capacity");
        let body = a.body.loc.unwrap();
        let d = run(&cb, today(), sections);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(
            (d[0].rule, d[0].kind, d[0].loc),
            (RuleId::AssessmentSections, Kind::Error, body)
        );
        assert!(
            d[0].message
                .contains("missing 2 of its 13 sections: Trends, Parental capacity")
        );
        let help = d[0].help.as_ref().unwrap();
        assert!(
            help.contains("`## Trends`, `## Parental capacity` to assessment.md, each with"),
            "{help}"
        );
    }

    #[test]
    fn missing_sections_fall_back_to_the_front_matter() {
        let mut cb = good();
        let a = assessment_mut(&mut cb);
        a.body.sections.clear();
        a.body.loc = None;
        let at = a.loc;
        let d = run(&cb, today(), sections);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc, at);
        assert!(d[0].message.contains("missing 13 of its 13"));
    }

    #[test]
    fn headings_match_without_case_or_spaces() {
        let mut cb = good();
        let a = assessment_mut(&mut cb);
        a.body.sections[8].heading.value = "  VOICE OF YOUNG PEOPLE ".into();
        assert_eq!(run(&cb, today(), sections), vec![]);
    }

    #[test]
    fn misspelt_heading_is_pointed_out() {
        let mut cb = good();
        let a = assessment_mut(&mut cb);
        a.body.sections[2].heading.value = "Trend".into();
        let line = a.body.sections[2].heading.loc.line;
        let d = run(&cb, today(), sections);
        assert_eq!(d.len(), 1, "{d:#?}");
        let help = d[0].help.as_ref().unwrap();
        assert!(
            help.starts_with("add `## Trends` to assessment.md, with"),
            "{help}"
        );
        assert!(
            help.ends_with(&format!(
                "`## Trend` (line {line}) may be meant as `## Trends`"
            )),
            "{help}"
        );
    }

    #[test]
    fn level_one_heading_does_not_count_and_help_says_so() {
        let mut cb = good();
        let a = assessment_mut(&mut cb);
        a.body.sections[0].level = 1;
        let d = run(&cb, today(), sections);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("no `Themes` section"));
        assert!(d[0].help.as_ref().unwrap().contains("`# Themes` (line"));
    }

    #[test]
    fn empty_section_reported_at_its_heading() {
        let mut cb = good();
        let a = assessment_mut(&mut cb);
        a.body.sections[2].content = "\n  \n".into();
        a.body.sections[5].content = "<!-- what is going well? -->\n".into();
        let (trends, strengths) = (
            a.body.sections[2].heading.loc,
            a.body.sections[5].heading.loc,
        );
        let d = run(&cb, today(), sections);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!(d[0].loc, trends);
        assert!(d[0].message.contains("`Trends` section is empty"));
        assert_eq!(d[1].loc, strengths);
    }

    #[test]
    fn visible_text_ignores_comments_only() {
        assert!(!has_visible_text(" \n<!-- a -->\n<!-- b"));
        assert!(has_visible_text("<!-- a --> text"));
        assert!(has_visible_text("text <!-- a"));
        assert!(has_visible_text("### Sub-heading\n"));
    }

    #[test]
    fn assessment_after_first_held_conference() {
        let mut cb = good();
        let a = assessment_mut(&mut cb);
        a.date.as_mut().unwrap().value = date("2026-09-15");
        let at = a.date.as_ref().unwrap().loc;
        let d = run(&cb, today(), before_conference);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(
            (d[0].rule, d[0].kind, d[0].loc),
            (RuleId::AssessmentBeforeConference, Kind::Error, at)
        );
        assert!(d[0].message.contains("2026-09-15"));
        assert!(d[0].message.contains("2026-09-14"));
    }

    #[test]
    fn assessment_on_the_conference_day_is_fine() {
        let mut cb = good();
        assessment_mut(&mut cb).date.as_mut().unwrap().value = date("2026-09-14");
        assert_eq!(run(&cb, today(), before_conference), vec![]);
    }

    #[test]
    fn missing_assessment_reported_at_first_held_conference() {
        let mut cb = good();
        let c = park_mut(&mut cb);
        c.assessment = None;
        let at = c.meetings[0].date.loc;
        let d = run(&cb, today(), before_conference);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc, at);
        assert!(
            d[0].help
                .as_ref()
                .unwrap()
                .contains("cases/park/assessment.md")
        );
        park_mut(&mut cb).incomplete = true;
        assert_eq!(run(&cb, today(), before_conference), vec![]);
    }

    #[test]
    fn interim_meetings_do_not_need_an_assessment_first() {
        let mut cb = good();
        let c = park_mut(&mut cb);
        c.assessment = None;
        c.meetings.retain(|m| m.kind.value == MeetingKind::Interim);
        c.meetings
            .iter_mut()
            .for_each(|m| m.status.value = MeetingStatus::Held);
        assert_eq!(run(&cb, today(), before_conference), vec![]);
    }

    #[test]
    fn weighting_needs_a_factor_and_each_a_rationale() {
        let mut cb = good();
        let a = assessment_mut(&mut cb);
        let mut second = a.weighting[0].clone();
        second.loc.line = 950;
        second.rationale.as_mut().unwrap().value = "  ".into();
        a.weighting.push(second);
        let d = run(&cb, today(), weighting_rationale);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(
            (d[0].rule, d[0].kind, d[0].loc.line),
            (RuleId::WeightingRationale, Kind::Error, 950)
        );
        assert!(d[0].help.as_ref().unwrap().contains("carries weight high"));

        let a = assessment_mut(&mut cb);
        a.weighting.clear();
        let at = a.weighting_loc.unwrap();
        let d = run(&cb, today(), weighting_rationale);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc, at);
    }
}
