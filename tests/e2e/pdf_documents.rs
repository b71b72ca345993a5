//! The PDF documents as a chair reads them: the built-in typst templates
//! rendered from the clean fixture through the real engine, and their page
//! text checked for what each document must show.
//!
//! To look at the pages, dump them and render PNGs:
//! `CONTEXTPACK_PDF_DUMP=/tmp/pdfs cargo test --test pdf_documents dump -- --ignored`
//! then `pdftoppm -png -r 60 /tmp/pdfs/<file>.pdf /tmp/page`.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use contextpack::model::{Casebook, Context, Date, Meeting};
use contextpack::render::pdf::{PdfDocument, PdfEngine, Rendered};
use contextpack::render::templates::TypstTemplates;
use contextpack::render::view::Views;
use serde::Serialize;

const PROVENANCE: &str = "records version 1a2b3c4";
const MARKING: &str = "OFFICIAL-SENSITIVE";
const PARTNERSHIP: &str = "Test Safeguarding Children Partnership";

static ENGINE: LazyLock<PdfEngine> = LazyLock::new(PdfEngine::new);
static BUILT_IN: LazyLock<TypstTemplates> =
    LazyLock::new(|| TypstTemplates::load(None).expect("built-in templates"));
static CLEAN: LazyLock<Casebook> = LazyLock::new(|| load(&fixture()));
/// The fixture's documents on its usual day, rendered once for all tests.
static DOCS: LazyLock<Docs> = LazyLock::new(|| Docs::of(&CLEAN, date(2026, 11, 1), &BUILT_IN));

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_opt(y, m, d).expect("date")
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean")
}

fn load(root: &Path) -> Casebook {
    contextpack::check_casebook(root, Some(date(2026, 11, 1)))
        .expect("casebook loads")
        .casebook
}

fn context<'c>(casebook: &'c Casebook, id: &str) -> &'c Context {
    casebook
        .contexts
        .iter()
        .find(|c| c.id == id)
        .expect("context")
}

fn meeting<'c>(c: &'c Context, name: &str) -> &'c Meeting {
    c.meetings.iter().find(|m| m.name == name).expect("meeting")
}

/// Compiles one document template with its data, as `build` does.
fn render(
    templates: &TypstTemplates,
    template: &str,
    data: &impl Serialize,
    today: Date,
) -> Rendered {
    let data = serde_json::to_vec(data).expect("data serialises");
    // `build` gives the PDF its title from the view's `title`; the templates
    // leave it out, so that documents can share typst's cached layout.
    let value: serde_json::Value = serde_json::from_slice(&data).expect("data is JSON");
    let title = value["title"].as_str().unwrap_or("untitled").to_string();
    let extra = templates.extra();
    let main = templates.document(template).expect("template exists");
    let doc = PdfDocument {
        extra: &extra,
        ident: template,
        ..PdfDocument::new(main, &data, &title, today)
    };
    let rendered = ENGINE
        .render(&doc)
        .unwrap_or_else(|e| panic!("{template} failed:\n{e}"));
    let warnings: Vec<String> = rendered.warnings.iter().map(|w| w.to_string()).collect();
    assert!(warnings.is_empty(), "{template} warns: {warnings:#?}");
    rendered
}

/// The four documents of the fixture's Harbour Walk context.
struct Docs {
    /// The scheduled review of 2026-12-02 (default agenda).
    agenda: Rendered,
    /// The held initial conference of 2026-06-10 (an absent, represented agency).
    minutes: Rendered,
    plan: Rendered,
    /// The pack of the 2026-12-02 review: its earlier minutes are 2026-09-09's.
    pack: Rendered,
}

impl Docs {
    fn of(casebook: &Casebook, today: Date, templates: &TypstTemplates) -> Docs {
        let views = Views::new(casebook, today, PROVENANCE);
        let c = context(casebook, "harbour-walk");
        let next = meeting(c, "2026-12-02-review");
        let initial = meeting(c, "2026-06-10-initial");
        Docs {
            agenda: render(templates, "agenda.typ", &views.agenda_doc(c, next), today),
            minutes: render(
                templates,
                "minutes.typ",
                &views.minutes_doc(c, initial),
                today,
            ),
            plan: render(templates, "action-plan.typ", &views.plan_doc(c), today),
            pack: render(templates, "pack.typ", &views.pack_doc(c, next), today),
        }
    }

    fn all(&self) -> [(&str, &Rendered); 4] {
        [
            ("agenda", &self.agenda),
            ("minutes", &self.minutes),
            ("plan", &self.plan),
            ("pack", &self.pack),
        ]
    }
}

fn pages(r: &Rendered) -> Vec<&str> {
    r.text.split('\x0c').collect()
}

/// Page text with line breaks undone, so a phrase the layout wrapped is found.
fn flat(text: &str) -> String {
    text.replace('\n', " ")
}

/// Text without any whitespace: for strings whose wrapping we cannot predict.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[track_caller]
fn assert_shows(r: &Rendered, what: &[&str]) {
    let text = flat(&r.text);
    for needle in what {
        assert!(text.contains(needle), "missing {needle:?} in:\n{}", r.text);
    }
}

#[test]
fn every_page_carries_marking_page_numbers_date_of_issue_records_version_and_partnership() {
    for (name, doc) in DOCS.all() {
        let pages = pages(doc);
        let n = pages.len();
        for (i, page) in pages.iter().enumerate() {
            let page = flat(page);
            let where_ = format!("{name} page {}:\n{page}", i + 1);
            assert!(
                page.matches(MARKING).count() >= 2,
                "header+footer marking, {where_}"
            );
            assert!(page.contains(&format!("Page {} of {n}", i + 1)), "{where_}");
            assert!(
                page.contains(&format!("Issued 1 November 2026 · {PROVENANCE}")),
                "a footer a partner agency understands, {where_}"
            );
            assert!(page.contains(PARTNERSHIP), "{where_}");
        }
    }
}

#[test]
fn pdfs_are_pdf_a_with_title_and_language() {
    for (name, doc) in DOCS.all() {
        let raw = String::from_utf8_lossy(&doc.pdf);
        assert!(raw.starts_with("%PDF-"), "{name}");
        assert!(raw.contains("pdfaid:part"), "{name}: no PDF/A declaration");
        assert!(
            raw.contains("Harbour Walk and the Quay Steps"),
            "{name}: no title"
        );
        assert!(raw.contains("en-GB"), "{name}: no language");
        assert!(raw.contains("/StructTreeRoot"), "{name}: not tagged");
        assert!(doc.metadata.contains(PARTNERSHIP), "{name}: no author");
    }
}

#[test]
fn agenda_shows_meeting_people_times_statement_and_papers() {
    let agenda = &DOCS.agenda;
    assert!(pages(agenda)[0].starts_with(PARTNERSHIP), "{}", agenda.text);
    assert_shows(
        agenda,
        &[
            "Harbour Walk and the Quay Steps",
            "Neighbourhood",
            "Review conference",
            "Wednesday 2 December 2026",
            "Waterside Community Centre",
            "10:00–12:00",
            "Kim Davies",
            "Community Safety Partnership Manager",
            "Jo Smith",
            // Invited: agency and person, or a free-text name.
            "Devon and Cornwall Police",
            "Sam Lee",
            "Youth Service",
            "Detached youth worker",
            "Information Sharing and Confidentiality Statement",
            "Context assessment of Monday 1 June 2026",
            "Current action plan",
            "Minutes of the review conference of Wednesday 9 September 2026",
        ],
    );
    // A review's default agenda, timed from 10:00, item by item: it starts
    // from the last meeting and ends with any other business.
    assert_shows(
        agenda,
        &[
            "10:00–10:10 Introductions and apologies",
            "10:10–10:15 Information Sharing",
            "10:15–10:25 Minutes of the last meeting and matters arising",
            "10:25–10:40 Progress on the actions",
            "10:40–10:50 Context assessment",
            "10:50–11:00 Partner reports",
            "11:00–11:35 Discussion of the suggested outline plan",
            "11:35–11:45 Action plan",
            "11:45–11:50 Review date",
            "11:50–11:55 Themes, trends and learning",
            "11:55–12:00 Any other business",
        ],
    );
    // The plan discussion states its length against the minimum.
    assert_shows(agenda, &["35 minutes", "the minimum is 30"]);
}

#[test]
fn moved_meeting_says_so() {
    let cb = casebook_with(&[(
        "cases/harbour-walk/conferences/2026-12-02-review.md",
        "status: scheduled",
        "status: moved\nmoved: { to: 2026-12-09, chair_consent: true, reason: Venue flooded }",
    )]);
    let views = Views::new(&cb.casebook, date(2026, 11, 1), PROVENANCE);
    let c = context(&cb.casebook, "harbour-walk");
    let m = meeting(c, "2026-12-02-review");
    let today = date(2026, 11, 1);
    let agenda = render(&BUILT_IN, "agenda.typ", &views.agenda_doc(c, m), today);
    assert_shows(
        &agenda,
        &["Moved", "Wednesday 9 December 2026", "Venue flooded"],
    );
    let pack = render(&BUILT_IN, "pack.typ", &views.pack_doc(c, m), today);
    assert_shows(&pack, &["Wednesday 9 December 2026"]);
}

#[test]
fn minutes_show_attendance_body_actions_review_and_learning() {
    assert_shows(
        &DOCS.minutes,
        &[
            "Initial conference",
            "Wednesday 10 June 2026",
            // Attendance, apologies and who stood in.
            "Ria Patel",
            "represented by PC Alex Moore",
            // The Markdown body.
            "Apologies from Sam Lee; PC Alex Moore attended for the police.",
            "Partners agreed the outline plan.",
            // Partner reports.
            "Children's Social Care",
            "Community Safety Partnership",
            // Actions agreed on the day, by domain; a2 and a3 came later.
            "Target",
            "Light the Quay Steps.",
            "Outcomes measurement",
            "Count approaches reported by young people each month.",
            "shared verbally",
            // Review arrangements.
            "Wednesday 9 September 2026",
            "Invitations",
            "Jo Smith",
            // Learning and its forums.
            "Older males use the steps to approach younger children after school.",
            "Operational Missing and Child Exploitation (MACE) panel",
        ],
    );
    let text = flat(&DOCS.minutes.text);
    assert!(!text.contains("Apply for a public spaces protection order."));
}

#[test]
fn action_plan_shows_goals_domains_owners_and_status_marks() {
    assert_shows(
        &DOCS.plan,
        &[
            "Children can use Harbour Walk after school without being approached.",
            "Target",
            "Legislative framework",
            "Partnerships",
            "Outcomes measurement",
            "Light the Quay Steps.",
            "Kim Davies",
            "Licensing team",
            "Evening incidents at the steps, month by month",
            "Contractor booked.",
            "✓ Done",
            "→ On track",
        ],
    );
    // Later, the open actions come due and then overdue.
    let late = date(2026, 12, 5);
    let views = Views::new(&CLEAN, late, PROVENANCE);
    let c = context(&CLEAN, "harbour-walk");
    let plan = render(&BUILT_IN, "action-plan.typ", &views.plan_doc(c), late);
    assert_shows(
        &plan,
        &["Due within 14 days", "Overdue", "Saturday 5 December 2026"],
    );
}

#[test]
fn pack_has_cover_agenda_assessment_plan_and_previous_minutes() {
    let pack = &DOCS.pack;
    let pages = pages(pack);
    assert!(pages.len() >= 5, "{} pages", pages.len());
    let cover = flat(pages[0]);
    for needle in [
        "Meeting pack",
        "Harbour Walk and the Quay Steps",
        "Review conference",
        "Wednesday 2 December 2026",
        "Waterside Community Centre",
        "Kim Davies",
    ] {
        assert!(cover.contains(needle), "cover lacks {needle:?}:\n{cover}");
    }
    assert!(
        !cover.contains("11:55"),
        "the agenda starts on its own page"
    );
    for section in contextpack::model::ASSESSMENT_SECTIONS {
        assert_shows(pack, &[section]);
    }
    assert_shows(
        pack,
        &[
            // Assessment: weighting table, influencers, methods, a section body.
            "Unlit steps used to approach younger children",
            "Seen in four of six evening observations.",
            "High",
            "Quay cafe owners",
            "peer mapping",
            "Cafe owners willing to act as guardians.",
            // The plan and the previous meeting's minutes.
            "Apply for a public spaces protection order.",
            "The steps are lit; approaches have moved to the quay car park.",
            "Lighting alone moved the approaches to the next street.",
        ],
    );
    // Each part opens a page.
    for part in [
        "Agenda",
        "Context assessment",
        "Action plan",
        "Minutes: review conference, 9 September 2026",
    ] {
        assert!(
            pages.iter().any(|p| page_opens_with(p, part)),
            "no page opens with {part:?}"
        );
    }
}

/// A review's pack holds the minutes of the last conference and of every
/// interim meeting since, not only the last meeting's.
#[test]
fn a_pack_holds_the_last_conference_and_every_interim_meeting_since() {
    let today = date(2026, 11, 1);
    let views = Views::new(&CLEAN, today, PROVENANCE);
    let c = context(&CLEAN, "harbour-walk");
    let review = meeting(c, "2026-09-09-review");
    let pack = render(&BUILT_IN, "pack.typ", &views.pack_doc(c, review), today);
    let pages = pages(&pack);
    let opening = |part: &str| pages.iter().position(|p| page_opens_with(p, part));
    let initial = opening("Minutes: initial conference, 10 June 2026").expect("the conference's");
    let interim = opening("Minutes: interim meeting, 15 July 2026").expect("the interim's");
    assert!(initial < interim, "oldest first");
    let agenda = render(&BUILT_IN, "agenda.typ", &views.agenda_doc(c, review), today);
    assert_shows(
        &agenda,
        &[
            "Minutes of the initial conference of Wednesday 10 June 2026",
            "Minutes of the interim meeting of Wednesday 15 July 2026",
        ],
    );
    // The pack of the next review starts again from this conference.
    assert!(
        !flat(&DOCS.pack.text).contains("Minutes: interim meeting"),
        "an interim meeting before the last conference is not in the pack"
    );
}

/// A pack's cover says on which page each part starts.
#[test]
fn pack_cover_lists_the_page_each_part_starts_on() {
    let pack = pages(&DOCS.pack);
    let cover = flat(pack[0]);
    for part in [
        "Agenda",
        "Context assessment",
        "Action plan",
        "Minutes: review conference, 9 September 2026",
    ] {
        let opens = pack
            .iter()
            .position(|p| page_opens_with(p, part))
            .unwrap_or_else(|| panic!("no page opens with {part:?}"));
        let listed = cover
            .split(&format!("{part} "))
            .nth(1)
            .and_then(|rest| {
                // The number follows the dot leader, after a word joiner.
                rest.split_whitespace().find_map(|w| {
                    w.trim_matches(|c: char| !c.is_ascii_digit())
                        .parse::<usize>()
                        .ok()
                })
            })
            .unwrap_or_else(|| panic!("the cover lists no page for {part:?}:\n{cover}"));
        assert_eq!(listed, opens + 1, "{part}: cover says {listed}\n{cover}");
    }
}

/// Whether the first line after the running header is `heading`.
fn page_opens_with(page: &str, heading: &str) -> bool {
    page.lines().skip(1).find(|l| !l.trim().is_empty()) == Some(heading)
}

const HOSTILE: [&str; 7] = [
    r#"#read("/etc/passwd")"#,
    r#"#import "x""#,
    "$x$",
    "{{ 7*7 }}",
    r"C:\temp",
    "]]) [(",
    "<script>alert(1)</script>",
];

/// The fixture with every hostile string in the context's title, the body of
/// the 2026-09-09 minutes (a paragraph and a list item) and an exception's
/// reason.
fn hostile_casebook() -> Edited {
    let line = HOSTILE.join(" ");
    let title_yaml = format!("title: '{line}'");
    let body = format!("\n## Plan discussion\n{line}\n\n- {line}\n");
    casebook_with(&[
        (
            "cases/harbour-walk/context.yaml",
            "title: Harbour Walk and the Quay Steps",
            &title_yaml,
        ),
        (
            "cases/harbour-walk/conferences/2026-09-09-review.md",
            "## Review of the plan",
            &format!("{body}\n## Review of the plan"),
        ),
        (
            "cases/harbour-walk/conferences/2026-09-09-review.md",
            "learning:",
            &format!("exceptions:\n  - {{ rule: representation, reason: '{line}' }}\nlearning:"),
        ),
    ])
}

#[test]
fn hostile_record_text_is_printed_literally() {
    let cb = hostile_casebook();
    let today = date(2026, 11, 1);
    let views = Views::new(&cb.casebook, today, PROVENANCE);
    let c = context(&cb.casebook, "harbour-walk");
    let held = meeting(c, "2026-09-09-review");
    let next = meeting(c, "2026-12-02-review");
    for (template, rendered) in [
        (
            "minutes.typ",
            render(&BUILT_IN, "minutes.typ", &views.minutes_doc(c, held), today),
        ),
        (
            "pack.typ",
            render(&BUILT_IN, "pack.typ", &views.pack_doc(c, next), today),
        ),
        (
            "agenda.typ",
            render(&BUILT_IN, "agenda.typ", &views.agenda_doc(c, next), today),
        ),
        (
            "action-plan.typ",
            render(&BUILT_IN, "action-plan.typ", &views.plan_doc(c), today),
        ),
    ] {
        let text = squeezed(&rendered.text);
        for needle in HOSTILE {
            let n = text.matches(&squeezed(needle)).count();
            // Title on every page header; in minutes and pack also the body
            // paragraph, the list item and the exception's reason.
            let expected = if template == "minutes.typ" { 4 } else { 1 };
            assert!(
                n >= expected,
                "{template}: {needle:?} {n}x in\n{}",
                rendered.text
            );
        }
        assert!(!text.contains("root:"), "{template} read a file");
        assert!(!text.contains("49"), "{template} evaluated 7*7");
        let raw = String::from_utf8_lossy(&rendered.pdf);
        assert!(raw.contains("pdfaid:part"), "{template}");
    }
}

/// A pack of a context linked to another carries the map of the two and
/// its table, drawn from the same layout as the HTML.
#[test]
fn pack_draws_the_connected_contexts() {
    let cb = casebook_with(&[(
        "cases/harbour-walk/context.yaml",
        "young_people:",
        "related_contexts:\n  - { context: quay-school, relation: lives-near }\nyoung_people:",
    )]);
    let root = cb._dir.path();
    std::fs::create_dir_all(root.join("cases/quay-school")).expect("mkdir");
    std::fs::write(
        root.join("cases/quay-school/context.yaml"),
        "type: school\ntitle: Quay Street Academy\narea: Waterside\nopened: 2026-06-01\n\
         lead_practitioner: jo-smith\nharms: [criminal-exploitation]\n\
         young_people:\n  - { ref: YP-A, role: affected }\n",
    )
    .expect("write");
    let casebook = load(root);
    let today = date(2026, 11, 1);
    let views = Views::new(&casebook, today, PROVENANCE);
    let c = context(&casebook, "harbour-walk");
    let pack = render(
        &BUILT_IN,
        "pack.typ",
        &views.pack_doc(c, meeting(c, "2026-12-02-review")),
        today,
    );
    assert!(
        pages(&pack)
            .iter()
            .any(|p| page_opens_with(p, "Connected contexts")),
        "no page opens with the map"
    );
    assert_shows(
        &pack,
        &[
            "Quay Street Academy",
            "lives-near · 1 shared",
            "lives-near; 1 young person shared",
        ],
    );
    // The linked child is named from Harbour Walk's definition in the school's documents.
    let school = context(&casebook, "quay-school");
    assert_eq!(school.young_people[0].name.value, "Jordan Example");
}

/// A temporary copy of the clean fixture with `(file, from, to)` edits, loaded.
struct Edited {
    _dir: tempfile::TempDir,
    casebook: Casebook,
}

fn casebook_with(edits: &[(&str, &str, &str)]) -> Edited {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture(), dir.path());
    for (file, from, to) in edits {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text.matches(from).count(), 1, "{from:?} in {file}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    }
    let casebook = load(dir.path());
    Edited {
        _dir: dir,
        casebook,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Writes every PDF of the fixture and of the sample casebook, rendered from
/// the templates on disk (no rebuild needed to see a template change), into
/// `$CONTEXTPACK_PDF_DUMP` (default `/tmp/contextpack-pdfs`).
#[test]
#[ignore = "writes files for a person to look at"]
fn dump() {
    let out = std::env::var_os("CONTEXTPACK_PDF_DUMP")
        .map_or_else(|| PathBuf::from("/tmp/contextpack-pdfs"), PathBuf::from);
    std::fs::create_dir_all(&out).expect("output folder");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let templates = TypstTemplates::load(Some(&root.join("templates"))).expect("templates");
    let sample = contextpack::check_casebook(root, None).expect("sample casebook");
    let hostile = hostile_casebook();
    for (label, casebook, today) in [
        ("fixture", &*CLEAN, date(2026, 11, 1)),
        ("hostile", &hostile.casebook, date(2026, 11, 1)),
        ("late", &*CLEAN, date(2026, 12, 5)),
        ("sample", &sample.casebook, sample.today),
    ] {
        let views = Views::new(casebook, today, PROVENANCE);
        for c in &casebook.contexts {
            let write = |name: String, template: &str, data: &dyn erased::Data| {
                let json = data.json();
                let rendered = render_json(&templates, template, &json, today);
                let stem = out.join(format!("{label}-{}-{name}", c.id));
                std::fs::write(stem.with_extension("pdf"), &rendered.pdf).expect("write pdf");
                std::fs::write(stem.with_extension("json"), &json).expect("write json");
            };
            write("action-plan".into(), "action-plan.typ", &views.plan_doc(c));
            for m in &c.meetings {
                write(
                    format!("{}-agenda", m.name),
                    "agenda.typ",
                    &views.agenda_doc(c, m),
                );
                if m.is_held() {
                    let doc = views.minutes_doc(c, m);
                    write(format!("{}-minutes", m.name), "minutes.typ", &doc);
                }
                if m.is_conference() {
                    write(
                        format!("{}-pack", m.name),
                        "pack.typ",
                        &views.pack_doc(c, m),
                    );
                }
            }
        }
    }
}

fn render_json(templates: &TypstTemplates, template: &str, json: &[u8], today: Date) -> Rendered {
    let value: serde_json::Value = serde_json::from_slice(json).expect("json");
    render(templates, template, &value, today)
}

/// Documents of different types through one closure.
mod erased {
    pub trait Data {
        fn json(&self) -> Vec<u8>;
    }
    impl<T: serde::Serialize> Data for T {
        fn json(&self) -> Vec<u8> {
            serde_json::to_vec_pretty(self).expect("serialise")
        }
    }
}

/// Characters no embedded font has (emoji, CJK) must not stop a PDF/A
/// build: they are shown as their code points, the rest of the text as is.
#[test]
fn characters_without_a_glyph_do_not_break_the_pdf() {
    let line = "Young people said 🙂 ❤️ and wrote 日本語; Zoë, Łukasz, Ørjan, Ἀθῆναι.";
    let cb = casebook_with(&[
        (
            "cases/harbour-walk/conferences/2026-09-09-review.md",
            "## Review of the plan",
            &format!("{line}\n\n`{line}`\n\n## Review of the plan"),
        ),
        (
            "cases/harbour-walk/context.yaml",
            "title: Harbour Walk and the Quay Steps",
            "title: Harbour Walk 🙂",
        ),
    ]);
    let today = date(2026, 11, 1);
    let views = Views::new(&cb.casebook, today, PROVENANCE);
    let c = context(&cb.casebook, "harbour-walk");
    let doc = views.minutes_doc(c, meeting(c, "2026-09-09-review"));
    let minutes = render(&BUILT_IN, "minutes.typ", &doc, today);
    assert_shows(
        &minutes,
        &[
            "Harbour Walk [U+1F642]",
            "Young people said [U+1F642] ❤ and wrote [U+65E5][U+672C][U+8A9E]; \
             Zoë, Łukasz, Ørjan, Ἀθῆναι.",
        ],
    );
}

/// `shown` in markdown.typ keeps exactly the characters that typst's
/// embedded fonts can draw; when the fonts change, its list must too.
#[test]
fn drawable_ranges_match_the_embedded_fonts() {
    let mut covered = std::collections::BTreeSet::new();
    for (_, info) in typst_kit::fonts::embedded() {
        covered.extend(info.coverage.iter());
    }
    // NUL is never text; the whitespace controls are typst's to handle.
    covered.remove(&0);
    covered.extend(0x09..=0x0D);
    let mut expected: Vec<String> = Vec::new();
    let mut run: Option<(u32, u32)> = None;
    for c in covered {
        run = match run {
            Some((from, to)) if to + 1 == c => Some((from, c)),
            Some((from, to)) => {
                expected.push(format!("{from:04X}-{to:04X}"));
                Some((c, c))
            }
            None => Some((c, c)),
        };
    }
    if let Some((from, to)) = run {
        expected.push(format!("{from:04X}-{to:04X}"));
    }
    let source = &BUILT_IN
        .extra()
        .into_iter()
        .find(|(path, _)| *path == "/markdown.typ")
        .expect("markdown.typ")
        .1
        .to_string();
    let list = source
        .split("#let _covered = (")
        .nth(1)
        .and_then(|rest| rest.split(").join").next())
        .expect("_covered list in markdown.typ");
    let actual: Vec<String> = list
        .split(|c: char| c.is_whitespace() || c == '"' || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    assert_eq!(
        actual,
        expected,
        "update _covered in templates/markdown.typ to:\n{}",
        expected.join(" ")
    );
}

/// A pack opens with what the chair needs before the meeting: the young
/// people (restricted: refs, names, ages, roles), the harm types, the date
/// the review must be held by, the breaches already explained, and what
/// moved in the plan since the last conference.
#[test]
fn pack_briefs_the_chair_before_the_agenda() {
    let today = date(2026, 11, 1);
    let views = Views::new(&CLEAN, today, PROVENANCE);
    let c = context(&CLEAN, "harbour-walk");
    let review = meeting(c, "2026-09-09-review");
    let pack = render(&BUILT_IN, "pack.typ", &views.pack_doc(c, review), today);
    let pages = pages(&pack);
    let at = pages
        .iter()
        .position(|p| page_opens_with(p, "Briefing for the chair"))
        .expect("a page opens with the briefing");
    let agenda = pages
        .iter()
        .position(|p| page_opens_with(p, "Agenda"))
        .expect("an agenda page");
    assert!(at < agenda, "the briefing comes before the agenda");
    let briefing = flat(&pages[at..agenda].join(" "));
    for needle in [
        "YP-A",
        "Jordan Example",
        "15",
        "YP-B",
        "Casey Sample",
        "Harm types",
        "Criminal exploitation",
        // Three months from the initial conference of 10 June 2026.
        "This review must be held by",
        "10 September 2026",
        "initial conference of 10 June 2026",
        // And the review this one must agree.
        "9 December 2026",
        "The plan since the last conference (10 June 2026)",
        // a2 agreed at the interim meeting, a1 and e1 done, updates.
        "Apply for a public spaces protection order.",
        "added",
        "done",
        "Contractor booked.",
        "July and August counts collected.",
        "No breach has been explained",
    ] {
        assert!(
            briefing.contains(needle),
            "briefing lacks {needle:?}:\n{briefing}"
        );
    }
    // Actions agreed at the last conference or before it are not changes.
    assert!(
        !briefing.contains("Count approaches reported by young people each month. added"),
        "{briefing}"
    );
}

/// A first conference has no plan to compare: the briefing says when its
/// review must be held and lists no changes.
#[test]
fn a_first_conference_briefing_has_no_plan_changes() {
    let today = date(2026, 11, 1);
    let views = Views::new(&CLEAN, today, PROVENANCE);
    let c = context(&CLEAN, "harbour-walk");
    let initial = meeting(c, "2026-06-10-initial");
    let briefing = views.briefing(c, initial);
    assert!(briefing.since.is_empty());
    assert!(briefing.changes.is_empty());
    assert!(briefing.this_review_due.is_none());
    assert_eq!(briefing.next_review_by, "2026-09-10");
}

/// The assessment as a PDF of its own: the part a pack prints, on its own
/// pages with the marking, and every section of the file.
#[test]
fn the_assessment_is_a_pdf_of_its_own() {
    let today = date(2026, 11, 1);
    let views = Views::new(&CLEAN, today, PROVENANCE);
    let c = context(&CLEAN, "harbour-walk");
    let pdf = render(&BUILT_IN, "assessment.typ", &views.assessment_doc(c), today);
    let pages = pages(&pdf);
    assert!(page_opens_with(pages[0], "Context assessment"));
    for section in contextpack::model::ASSESSMENT_SECTIONS {
        assert_shows(&pdf, &[section]);
    }
    assert_shows(
        &pdf,
        &[
            "Unlit steps used to approach younger children",
            "Quay cafe owners",
            "Cafe owners willing to act as guardians.",
        ],
    );
}

/// Every agenda of the sample casebook (README's first command builds it)
/// fits one A4 page: a review's longer agenda (matters arising, progress on
/// actions, any other business) and its papers included.
#[test]
fn every_agenda_of_the_sample_fits_one_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checked = contextpack::check_casebook(root, None).expect("the sample loads");
    let casebook = &checked.casebook;
    let today = checked.today;
    let views = Views::new(casebook, today, PROVENANCE);
    let mut seen = 0;
    for c in &casebook.contexts {
        for m in c.meetings.iter().filter(|m| m.is_active()) {
            let agenda = render(&BUILT_IN, "agenda.typ", &views.agenda_doc(c, m), today);
            let pages = pages(&agenda);
            assert_eq!(pages.len(), 1, "{} {}:\n{}", c.id, m.name, agenda.text);
            assert!(flat(pages[0]).contains("Papers"), "{} {}", c.id, m.name);
            seen += 1;
        }
    }
    assert!(seen >= 10, "{seen} agendas");
}

/// The lines of a page that are not its running header and footer: the
/// partnership, the marking, the context's title, the issue line and the
/// page number repeat on every page and say nothing of what it holds.
fn body_lines<'p>(page: &'p str, c: &Context) -> Vec<&'p str> {
    let title = c.title.as_ref().map_or("", |t| t.value.as_str());
    page.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter(|l| {
            !(l.starts_with("Issued ")
                || (l.starts_with("Page ") && l.contains(" of "))
                || *l == MARKING_OF_SAMPLE
                || l.contains("Safeguarding Children Partnership")
                || *l == title)
        })
        .collect()
}

const MARKING_OF_SAMPLE: &str = "OFFICIAL-SENSITIVE";

/// No document of the sample or of the fixture ends on a page that holds
/// only a colophon, a heading, or a heading and one line: what the last
/// page shows is the end of a section, not a fragment pushed over.
#[test]
fn no_document_ends_on_a_page_of_only_a_heading_or_a_colophon() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample = contextpack::check_casebook(root, None).expect("the sample loads");
    let mut seen = 0;
    for (casebook, today) in [
        (&sample.casebook, sample.today),
        (&*CLEAN, date(2026, 11, 1)),
    ] {
        let views = Views::new(casebook, today, PROVENANCE);
        for c in &casebook.contexts {
            let mut docs: Vec<(String, Rendered)> = vec![(
                "action-plan".into(),
                render(&BUILT_IN, "action-plan.typ", &views.plan_doc(c), today),
            )];
            if c.assessment.is_some() {
                let doc = views.assessment_doc(c);
                docs.push((
                    "assessment".into(),
                    render(&BUILT_IN, "assessment.typ", &doc, today),
                ));
            }
            for m in c.meetings.iter().filter(|m| m.is_active()) {
                if m.is_held() {
                    let doc = views.minutes_doc(c, m);
                    docs.push((
                        format!("{} minutes", m.name),
                        render(&BUILT_IN, "minutes.typ", &doc, today),
                    ));
                }
                if m.is_conference() {
                    let doc = views.pack_doc(c, m);
                    docs.push((
                        format!("{} pack", m.name),
                        render(&BUILT_IN, "pack.typ", &doc, today),
                    ));
                }
            }
            for (name, doc) in docs {
                let pages = pages(&doc);
                seen += 1;
                if pages.len() < 2 {
                    continue;
                }
                let last = body_lines(pages[pages.len() - 1], c);
                assert!(
                    last.len() >= 3,
                    "{} {name} ends on a page of {last:?}:\n{}",
                    c.id,
                    doc.text
                );
            }
        }
    }
    assert!(seen >= 30, "{seen} documents");
}

/// An update that re-dates an action (`due:` in the update) is a change the
/// chair's briefing names, with the new date; a plan whose `due:` is not
/// the latest re-dating is an error at `due:`.
#[test]
fn the_briefing_names_an_action_re_dated_since_the_last_conference() {
    let cb = crate::common::TestCasebook::clean();
    let plan = "cases/harbour-walk/plan.yaml";
    cb.edit(
        plan,
        "      - { date: 2026-09-02, note: July and August counts collected. }\n",
        "      - { date: 2026-09-02, note: July and August counts collected. }\n      - { date: 2026-07-20, note: Youth Service counts start late., due: 2026-12-01 }\n",
    );
    let today = date(2026, 11, 1);
    let casebook = load(cb.path());
    let views = Views::new(&casebook, today, PROVENANCE);
    let c = context(&casebook, "harbour-walk");
    let review = meeting(c, "2026-09-09-review");
    let pack = render(&BUILT_IN, "pack.typ", &views.pack_doc(c, review), today);
    let text = flat(&pack.text);
    for needle in [
        "re-dated",
        "Now due 1 December 2026. Youth Service counts start late.",
    ] {
        assert!(text.contains(needle), "pack lacks {needle:?}:\n{text}");
    }

    cb.edit(plan, "due: 2026-12-01 }", "due: 2027-01-15 }");
    let (exit, report) = cb.check_json();
    assert_eq!(exit, 1);
    let d = report.only("schema");
    assert_eq!(d.file, plan);
    assert!(
        d.message.contains("re-dated it to 2027-01-15"),
        "{}",
        d.message
    );
}

/// With a logo, the first page holds the logo and the document's first
/// part under it: the part's page break does not leave the logo alone on
/// a page of its own.
#[test]
fn the_logo_and_the_first_part_share_the_first_page() {
    use contextpack::render::pdf::Asset;
    let today = date(2026, 11, 1);
    let views = Views::new(&CLEAN, today, PROVENANCE);
    let c = context(&CLEAN, "harbour-walk");
    let next = meeting(c, "2026-12-02-review");
    let held = meeting(c, "2026-06-10-initial");
    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#1f3b5c"/></svg>"##;
    let assets = [Asset::new("/logo-test.svg".into(), svg.to_vec())];
    let json = |v: &dyn erased::Data| -> serde_json::Value {
        serde_json::from_slice(&v.json()).expect("json")
    };
    let docs = [
        ("action-plan.typ", json(&views.plan_doc(c)), "Action plan"),
        ("agenda.typ", json(&views.agenda_doc(c, next)), "Agenda"),
        ("minutes.typ", json(&views.minutes_doc(c, held)), "Minutes"),
        (
            "assessment.typ",
            json(&views.assessment_doc(c)),
            "Context assessment",
        ),
        ("pack.typ", json(&views.pack_doc(c, next)), "Meeting pack"),
    ];
    for (template, mut value, heading) in docs {
        value["stamp"]["logo"] = "/logo-test.svg".into();
        let data = serde_json::to_vec(&value).expect("data");
        let extra = BUILT_IN.extra();
        let main = BUILT_IN.document(template).expect("template");
        let doc = PdfDocument {
            extra: &extra,
            ident: template,
            assets: &assets,
            ..PdfDocument::new(main, &data, "With a logo", today)
        };
        let rendered = ENGINE
            .render(&doc)
            .unwrap_or_else(|e| panic!("{template}: {e}"));
        let first = flat(pages(&rendered)[0]);
        assert!(first.contains(heading), "{template}: page 1 is {first:?}");
        assert!(
            first.split_whitespace().count() > 40,
            "{template}: page 1 holds little but the logo: {first:?}"
        );
    }
}
