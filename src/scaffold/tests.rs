use super::text::{self, push_comment, yaml_str};
use super::*;
use crate::model::AgendaItemId;
use crate::model::Settings;

fn time(h: u32, m: u32) -> Time {
    Time::from_hms_opt(h, m, 0).unwrap_or_default()
}

/// `init`'s settings are the model's defaults, written out (forums aside:
/// neutral names): loading them gives them back, with no finding at all.
#[test]
fn init_writes_the_real_defaults() {
    let dir = tempfile::tempdir().expect("temp dir");
    let written = init(dir.path(), Some("Test Partnership"), &[]).expect("init");
    assert_eq!(
        written.created,
        [
            "contextpack.yaml",
            "cases/",
            ".gitignore",
            "schemas/contextpack.schema.json",
            "schemas/context.schema.json",
            "schemas/assessment.schema.json",
            "schemas/meeting.schema.json",
            "schemas/plan.schema.json"
        ]
    );
    let loaded = crate::load::load_casebook(dir.path()).expect("load");
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let got = &loaded.casebook.settings;
    let want = Settings::default();
    assert_eq!(got.partnership, "Test Partnership");
    assert_eq!(got.marking, want.marking);
    assert_eq!(got.anonymised_marking, want.anonymised_marking);
    assert_eq!(got.suppress_below, want.suppress_below);
    let ids = |s: &Settings| -> Vec<(String, String)> {
        s.forums
            .iter()
            .map(|f| (f.id.value.clone(), f.name.clone()))
            .collect()
    };
    // The forums are the terms of reference's three under neutral names;
    // `Settings::default()` keeps Plymouth's, so a FORMAT.md casebook with
    // no `forums:` keeps the summaries it had.
    let neutral: Vec<(String, String)> = text::NEUTRAL_FORUMS
        .iter()
        .map(|(id, name)| (id.to_string(), name.to_string()))
        .collect();
    assert_eq!(ids(got), neutral);
    assert_eq!(ids(&want).len(), neutral.len());
    let (p, q) = (&got.protocol, &want.protocol);
    assert_eq!(
        (
            p.review_within_months,
            p.reschedule_within_days,
            p.plan_discussion_min_minutes,
            p.conference_minutes,
            p.conference_minutes_tolerance
        ),
        (
            q.review_within_months,
            q.reschedule_within_days,
            q.plan_discussion_min_minutes,
            q.conference_minutes,
            q.conference_minutes_tolerance
        )
    );
    let chairs = |p: &crate::model::Protocol| -> Vec<(ContextType, Vec<String>)> {
        p.chairs
            .iter()
            .map(|(t, rs)| (*t, rs.iter().map(|r| r.value.clone()).collect()))
            .collect()
    };
    assert_eq!(chairs(p), chairs(q));
    let core: Vec<&str> = got
        .agencies
        .iter()
        .filter(|a| a.core)
        .map(|a| a.id.value.as_str())
        .collect();
    assert_eq!(core, ["csc", "education", "police", "community-safety"]);
    assert!(got.people.is_empty());
}

#[test]
fn the_placeholder_partnership_is_used_when_none_is_given() {
    let settings = text::settings(text::PARTNERSHIP_PLACEHOLDER, &[]);
    assert!(settings.contains("partnership: Example Safeguarding Children Partnership\n"));
    // Every line a reader sees fits a terminal.
    for line in settings.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
}

/// Whatever is typed on the command line reads back as the same text.
#[test]
fn free_text_round_trips_through_yaml() {
    for s in [
        "Harbour Walk",
        "Children's Social Care",
        "No: #2 school",
        "yes",
        "Null",
        "10:00",
        "2026-09-14",
        "- a list?",
        "[a]",
        "@home",
        " padded ",
        "say \"hi\"",
        "back\\slash",
        "Émile's café; the quay",
        "a  b",
    ] {
        let yaml = format!("v: {}\n", yaml_str(s));
        let parsed: std::collections::BTreeMap<String, String> =
            serde_saphyr::from_str(&yaml).unwrap_or_default();
        assert_eq!(parsed.get("v").map(String::as_str), Some(s), "{yaml}");
    }
    // Inside flow collections too, where a comma ends a value.
    let s = "Chair, Union Street traders' group";
    let yaml = format!("v: {{ name: {} }}\nw: [{}, b]\n", yaml_str(s), yaml_str(s));
    let parsed: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap_or_default();
    assert_eq!(parsed["v"]["name"].as_str(), Some(s), "{yaml}");
    assert_eq!(parsed["w"][0].as_str(), Some(s), "{yaml}");
    assert_eq!(yaml_str("Harbour Walk"), "Harbour Walk");
    assert_eq!(yaml_str("yes"), "\"yes\"");
}

#[test]
fn comments_wrap_and_stay_comments() {
    let mut out = String::new();
    push_comment(&mut out, &"word ".repeat(40));
    push_comment(&mut out, "a line\nbreak cannot escape");
    for line in out.lines() {
        assert!(line.starts_with('#') && line.len() <= 78, "{line}");
    }
}

#[test]
fn gitignore_lines_are_recognised_with_or_without_slashes() {
    assert!(has_line("target\n/output\n", "/output/"));
    assert!(has_line("output/\n", "/output/"));
    assert!(!has_line("output-old/\n", "/output/"));
}

#[test]
fn ids_are_suggested_from_what_was_typed() {
    assert_eq!(slug("Harbour Walk"), "harbour-walk");
    assert_eq!(slug("  St. Budeaux's  "), "st-budeaux-s");
    assert_eq!(slug("__"), "");
    assert!(check_context_id("harbour-walk").is_ok());
    assert!(check_context_id("-walk").is_err());
}

#[test]
fn meetings_last_as_the_protocol_says() {
    let mut settings = Settings::default();
    assert_eq!(default_start(), time(10, 0));
    assert_eq!(default_end(&settings, MeetingKind::Initial), time(12, 0));
    assert_eq!(default_end(&settings, MeetingKind::Interim), time(11, 0));
    settings.protocol.conference_minutes = 90;
    assert_eq!(default_end(&settings, MeetingKind::Review), time(11, 30));
    // An absurd length still gives a time on the same day.
    settings.protocol.conference_minutes = 100_000;
    assert_eq!(default_end(&settings, MeetingKind::Review), time(23, 0));
}

#[test]
fn default_agendas_fill_the_meeting_and_end_with_any_other_business() {
    let total = |k, length| text::agenda(k, length).iter().map(|(_, m)| m).sum::<u32>();
    let plan = |k, length| {
        text::agenda(k, length)
            .into_iter()
            .find(|(id, _)| *id == AgendaItemId::PlanDiscussion)
            .map(|(_, m)| m)
    };
    assert_eq!(total(MeetingKind::Initial, 120), 120);
    assert_eq!(total(MeetingKind::Review, 120), 120);
    assert_eq!(total(MeetingKind::Review, 150), 150);
    assert_eq!(plan(MeetingKind::Initial, 120), Some(40));
    assert_eq!(plan(MeetingKind::Review, 120), Some(35));
    assert_eq!(plan(MeetingKind::Review, 150), Some(65));
    assert_eq!(total(MeetingKind::Interim, 60), 60);
    let review: Vec<_> = text::agenda(MeetingKind::Review, 120)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(review[2], AgendaItemId::PreviousMinutes);
    assert_eq!(review[3], AgendaItemId::ActionProgress);
    for kind in [
        MeetingKind::Initial,
        MeetingKind::Review,
        MeetingKind::Interim,
    ] {
        let items = text::agenda(kind, 120);
        assert_eq!(
            items.last().map(|(id, _)| *id),
            Some(AgendaItemId::AnyOtherBusiness)
        );
    }
}
