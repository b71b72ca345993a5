//! Meeting packs bound from the documents the build has just rendered: a
//! pack's pages are its agenda's, assessment's and minutes' own pages
//! (not laid out again), between pages of its own; its outline and its
//! structure tree name each part; the plan is bound too when no action
//! was agreed after the meeting; and a casebook's own `pack.typ` still
//! lays out the whole pack itself.

use crate::common::TestCasebook;
use contextpack::render::bind::Part;
use hayro_svg::hayro_syntax::Pdf;

const OUT: &str = "output/restricted/harbour-walk";
const PACK: &str = "2026-12-02-review/pack.pdf";

fn read(cb: &TestCasebook, file: &str) -> Vec<u8> {
    read_in(cb, OUT, file)
}

/// A file of the output folder `dir` of `cb`.
fn read_in(cb: &TestCasebook, dir: &str, file: &str) -> Vec<u8> {
    let path = cb.path().join(dir).join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A pack's top-level bookmarks: each title and the page it leads to.
fn bookmarks(pdf: &[u8]) -> Vec<(String, usize)> {
    let pack = Part::read("pack", pdf).expect("the pack reads");
    pack.bookmarks().expect("bookmarks")
}

/// How many documents a pack's structure tree holds (its `Part`s).
fn parts(pdf: &[u8]) -> usize {
    String::from_utf8_lossy(pdf).matches("/S/Part").count()
}

/// Each page's content stream, decoded, read by a parser not ours.
fn page_streams(pdf: &[u8]) -> Vec<Vec<u8>> {
    let pdf = Pdf::new(pdf.to_vec()).expect("a PDF hayro reads");
    pdf.pages()
        .iter()
        .map(|page| page.page_stream().expect("a content stream").to_vec())
        .collect()
}

/// Where `part`'s pages run, in order, inside `whole`.
fn position_of(whole: &[Vec<u8>], part: &[Vec<u8>]) -> Option<usize> {
    whole.windows(part.len()).position(|w| w == part)
}

#[test]
fn a_pack_binds_the_agenda_assessment_and_minutes_as_they_were_rendered() {
    let cb = TestCasebook::clean();
    cb.build_ok();
    let pack = read(&cb, PACK);
    let pages = page_streams(&pack);
    let agenda = page_streams(&read(&cb, "2026-12-02-review/agenda.pdf"));
    let assessment = page_streams(&read(&cb, "assessment.pdf"));
    let plan = page_streams(&read(&cb, "action-plan.pdf"));
    let minutes = page_streams(&read(&cb, "2026-09-09-review/minutes.pdf"));

    // Their pages, byte for byte, in the pack's order, after the cover. No
    // action was agreed after this conference, so the plan as it stood is
    // the plan as it is: bound as rendered too.
    let at_agenda = position_of(&pages, &agenda).expect("the agenda's pages");
    let at_assessment = position_of(&pages, &assessment).expect("the assessment's pages");
    let at_plan = position_of(&pages, &plan).expect("the action plan's pages");
    let at_minutes = position_of(&pages, &minutes).expect("the minutes' pages");
    assert!(at_agenda >= 1, "the cover comes first");
    assert_eq!(at_assessment, at_agenda + agenda.len());
    assert_eq!(at_plan, at_assessment + assessment.len());
    assert_eq!(at_minutes, at_plan + plan.len());

    // The outline: the cover's briefing, each document's own bookmarks
    // (the minutes under the meeting they record), on the pages they are.
    // (This context is linked to no other: no connected contexts.)
    let marks = bookmarks(&pack);
    let titles: Vec<&str> = marks.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Briefing for the chair",
            "Agenda",
            "Context assessment",
            "Action plan",
            "Minutes: review conference, 9 September 2026",
        ],
        "{marks:?}"
    );
    let page_of = |title: &str| marks.iter().find(|(t, _)| t == title).expect(title).1;
    assert_eq!(page_of("Agenda"), at_agenda);
    assert_eq!(page_of("Context assessment"), at_assessment);
    assert_eq!(page_of("Action plan"), at_plan);
    assert_eq!(
        page_of("Minutes: review conference, 9 September 2026"),
        at_minutes
    );

    // The structure tree: one Document, a Part for each document bound.
    let raw = String::from_utf8_lossy(&pack);
    assert_eq!(raw.matches("/S/Document").count(), 1, "one Document");
    assert_eq!(parts(&pack), 5, "cover, agenda, assessment, plan, minutes");
    assert!(raw.contains("pdfaid:part"), "still PDF/A");
}

#[test]
fn a_pack_lays_out_the_plan_as_it_stood_when_actions_were_agreed_after_it() {
    // North Prospect: actions a2, a4 and a7 were agreed at the interim
    // meeting of 8 October, after the initial conference.
    let cb = TestCasebook::sample();
    cb.build_ok();
    let dir = "output/restricted/north-prospect-group";
    let file = |name: &str| read_in(&cb, dir, name);
    let plan = page_streams(&file("action-plan.pdf"));
    let titles =
        |pdf: &[u8]| -> Vec<String> { bookmarks(pdf).into_iter().map(|(t, _)| t).collect() };

    // The initial conference's pack lays out the plan as it stood, on the
    // pages after the connected contexts: not the plan as it is.
    let initial = file("2026-09-03-initial/pack.pdf");
    assert_eq!(position_of(&page_streams(&initial), &plan), None);
    assert_eq!(parts(&initial), 4, "cover, agenda, assessment, own plan");
    let marks = titles(&initial);
    let at = marks.iter().position(|t| t == "Connected contexts");
    assert_eq!(
        at.map(|i| marks[i + 1].as_str()),
        Some("Action plan"),
        "{marks:?}"
    );

    // The December review's: the plan has not changed since, so its pages
    // are action-plan.pdf's, bound after the connected contexts laid out
    // on their own.
    let review = file("2026-12-01-review/pack.pdf");
    let pages = page_streams(&review);
    let at_plan = position_of(&pages, &plan).expect("the action plan's pages");
    assert_eq!(
        parts(&review),
        7,
        "cover, agenda, assessment, connected contexts, plan, two minutes"
    );
    let marks = bookmarks(&review);
    let connected = marks
        .iter()
        .position(|(t, _)| t == "Connected contexts")
        .expect("connected contexts");
    assert_eq!(
        marks[connected + 1],
        ("Action plan".to_string(), at_plan),
        "{marks:?}"
    );

    // What the initial pack's plan leaves out, read by poppler where it is
    // installed (CI installs it).
    let path = cb.path().join(dir).join("2026-09-03-initial/pack.pdf");
    if let Some(text) = pdftotext(&path) {
        let text = text.join("\n");
        assert!(
            text.contains("Two extra evening sessions"),
            "a1, agreed then"
        );
        assert!(
            !text.contains("Disrupt the adults running the line"),
            "a4 was agreed later"
        );
    }
}

/// The text of each page as poppler's `pdftotext` lays it out, or `None`
/// where poppler is not installed (CI installs it).
fn pdftotext(pdf: &std::path::Path) -> Option<Vec<String>> {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    Some(text.split('\x0c').map(str::to_string).collect())
}

#[test]
fn the_covers_contents_give_the_page_each_part_starts_on() {
    let cb = TestCasebook::clean();
    cb.build_ok();
    let path = cb.path().join(OUT).join(PACK);
    let Some(pages) = pdftotext(&path) else {
        eprintln!("pdftotext is not installed (poppler-utils): the cover's text is not read");
        return;
    };
    let marks = bookmarks(&read(&cb, PACK));
    let cover = &pages[0];
    for (title, page) in &marks {
        let line = cover
            .lines()
            .find(|l| l.trim_start().starts_with(title.as_str()))
            .unwrap_or_else(|| panic!("the cover does not list {title:?}:\n{cover}"));
        let listed: usize = line
            .split_whitespace()
            .last()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no page number in {line:?}"));
        assert_eq!(listed, page + 1, "{title}: the cover says {listed}");
        // And that page opens with it, under the running header.
        let opens = pages[*page]
            .lines()
            .skip(1)
            .map(str::trim)
            .find(|l| !l.is_empty());
        let heading = if title.starts_with("Minutes") {
            "Minutes"
        } else {
            title.as_str()
        };
        assert_eq!(opens, Some(heading), "page {listed}:\n{}", pages[*page]);
    }
}

#[test]
fn a_casebooks_own_pack_template_still_lays_out_the_whole_pack() {
    let cb = TestCasebook::clean();
    cb.write(
        "templates/pack.typ",
        "#import \"/contextpack.typ\": *\n#let data = json(\"/data.json\")\n#show: setup.with(data)\n= Our own pack\n",
    );
    cb.build_ok();
    let pack = read(&cb, PACK);
    assert_eq!(
        page_streams(&pack).len(),
        1,
        "one page of its own, nothing bound"
    );
    assert_eq!(parts(&pack), 0);
}

#[test]
fn a_casebooks_own_pack_parts_template_lays_out_the_plan_itself() {
    // Its own pack-parts.typ may not know the "connected" part: the plan is
    // laid out after the connected contexts in its "plan" part, as before
    // plans were bound.
    let cb = TestCasebook::sample();
    let built_in = include_str!("../../templates/pack-parts.typ");
    cb.write(
        "templates/pack-parts.typ",
        format!("// Our partnership's pack pages.\n{built_in}"),
    );
    cb.build_ok();
    let file = |name: &str| read_in(&cb, "output/restricted/north-prospect-group", name);
    let pack = file("2026-12-01-review/pack.pdf");
    let pages = page_streams(&pack);
    let plan = page_streams(&file("action-plan.pdf"));
    assert_eq!(position_of(&pages, &plan), None, "laid out, not bound");
    let agenda = page_streams(&file("2026-12-01-review/agenda.pdf"));
    assert!(position_of(&pages, &agenda).is_some(), "still bound");
    assert_eq!(
        parts(&pack),
        6,
        "cover, agenda, assessment, connected contexts with the plan, two minutes"
    );
}
