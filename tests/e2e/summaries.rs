//! The anonymised quarterly summaries end to end, through the binary: the
//! files `build` writes, numbers counted by hand from the `summary-counts`
//! fixture (read back from the CSV, and found in the HTML and PDF text),
//! small-number suppression, the 31 March / 1 April boundary, the comparison
//! with the previous quarter, the leak guard by every route a name can take,
//! and `contextpack report`.
//!
//! The fixture is described in its contextpack.yaml; it is checked on
//! 2026-08-01, so 2026-Q3 is the quarter in progress.

use crate::common::{TestCasebook, line_of, tree};
use contextpack::build::{Provenance, Renderer};
use contextpack::summary::guard::html_text;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::LazyLock;

const FIXTURE: &str = "summary-counts";
const TODAY: &str = "2026-08-01";
const QUARTERS: &[&str] = &["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"];
const FORUMS: &[&str] = &["mace-operational", "mace-strategic", "safer-plymouth"];

// ---------------------------------------------------------------- helpers

fn fixture() -> TestCasebook {
    TestCasebook::fixture(FIXTURE)
}

fn run(cb: &TestCasebook, args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend(["--today", TODAY]);
    cb.cmd(&all).output().expect("run contextpack")
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "{}", text(out));
}

/// The fixture built once for the whole test binary: a pristine output to
/// copy into casebooks that then try to leak.
static BUILT: LazyLock<(tempfile::TempDir, BTreeMap<String, Vec<u8>>)> = LazyLock::new(|| {
    let cb = fixture();
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().join("output");
    let out_arg = format!("--out={}", dir.display());
    let o = cb
        .cmd(&["build", "--today", TODAY, &out_arg])
        .output()
        .expect("run build");
    assert_exit(&o, 0);
    let files = tree(&dir);
    (out, files)
});

fn built_output() -> PathBuf {
    BUILT.0.path().join("output")
}

fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        let p = to.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }
}

/// The CSV of a summary as `(table, key, measure) -> value`, checking the
/// quarter and forum of every row on the way. An empty value reads as its
/// flag (`c`, `coarsened`, `withheld`), as a reader would.
fn csv(dir: &Path, quarter: &str, forum: &str) -> BTreeMap<(String, String, String), String> {
    let path = dir.join(format!("anonymised/{quarter}/{forum}.csv"));
    let text = std::fs::read_to_string(&path).expect("read csv");
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    assert_eq!(
        lines.next(),
        Some("quarter,forum,table,key,label,measure,value,flag")
    );
    lines
        .map(|l| {
            let f = fields(l);
            assert_eq!(f.len(), 8, "{l}");
            assert_eq!((f[0].as_str(), f[1].as_str()), (quarter, forum), "{l}");
            // A value is a number or empty, and then flagged.
            assert!(
                f[6].parse::<u64>().is_ok() || (f[6].is_empty() && !f[7].is_empty()),
                "{l}"
            );
            let value = if f[6].is_empty() { &f[7] } else { &f[6] };
            ((f[2].clone(), f[3].clone(), f[5].clone()), value.clone())
        })
        .collect()
}

/// One CSV line's fields (RFC 4180 quoting).
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().expect("field").push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => out.last_mut().expect("field").push(c),
        }
    }
    out
}

fn get<'a>(
    t: &'a BTreeMap<(String, String, String), String>,
    table: &str,
    key: &str,
    measure: &str,
) -> &'a str {
    t.get(&(table.into(), key.into(), measure.into()))
        .unwrap_or_else(|| panic!("no {table}/{key}/{measure} in the CSV"))
}

/// The HTML of a summary, and the text a reader sees in it.
fn html(dir: &Path, quarter: &str, forum: &str) -> (String, String) {
    let path = dir.join(format!("anonymised/{quarter}/{forum}.html"));
    let page = std::fs::read_to_string(path).expect("read html");
    let seen = html_text(&page)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (page, seen)
}

/// One row of the children table (a role, or `all`): the four age bands
/// and the total, as printed.
fn children_row(t: &BTreeMap<(String, String, String), String>, key: &str) -> Vec<String> {
    [
        "age 10-13",
        "age 14-15",
        "age 16-17",
        "age Other",
        "all ages",
    ]
    .iter()
    .map(|m| get(t, "children", key, m).to_string())
    .collect()
}

/// The laid-out text of a summary's PDF, rendered through the library as
/// `build` renders it.
fn pdf_text(root: &Path, quarter: &str, forum: &str) -> String {
    let today = TODAY.parse().expect("date");
    let checked = contextpack::check_casebook(root, Some(today)).expect("casebook loads");
    let renderer = Renderer::load(root).expect("templates");
    let summary =
        contextpack::summary::summary_for(&checked, quarter.parse().expect("quarter"), forum)
            .expect("forum");
    let out = contextpack::build::summaries::render_one(
        &renderer,
        &checked,
        &Provenance::Unversioned,
        summary,
        &contextpack::build::Reuse::none(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    out.pdf.text
}

/// The text with its whitespace runs as single spaces.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------- files

#[test]
fn build_writes_every_quarter_and_forum() {
    let files = &BUILT.1;
    let anonymised: Vec<&str> = files
        .keys()
        .map(String::as_str)
        .filter(|p| p.starts_with("anonymised/"))
        .collect();
    let mut expected = Vec::new();
    for q in QUARTERS {
        for f in FORUMS {
            for ext in ["csv", "html", "pdf"] {
                expected.push(format!("anonymised/{q}/{f}.{ext}"));
            }
        }
    }
    assert_eq!(anonymised, expected);
    // The manifest lists them, each made from every record.
    let manifest: serde_json::Value =
        serde_json::from_slice(&files["manifest.json"]).expect("manifest");
    let outputs = manifest["outputs"].as_array().expect("outputs");
    for path in &expected {
        let o = outputs
            .iter()
            .find(|o| o["path"] == path.as_str())
            .unwrap_or_else(|| panic!("{path} not in the manifest"));
        let inputs = o["inputs"].as_array().expect("inputs");
        assert!(inputs.contains(&"contextpack.yaml".into()), "{o}");
        assert!(
            inputs.contains(&"cases/plym-chat/context.yaml".into()),
            "{o}"
        );
    }
}

// ---------------------------------------------------------------- numbers

#[test]
fn hand_counted_numbers_of_the_second_quarter() {
    let dir = built_output();
    let t = csv(&dir, "2026-Q2", "safer-plymouth");
    let n = |table: &str, key: &str, measure: &str| get(&t, table, key, measure).to_string();
    // A, B and C active (C closed on 15 April); E closed 31 March, D opened in July.
    assert_eq!(n("contexts", "active", "count"), "3");
    assert_eq!(n("contexts", "opened", "count"), "0");
    assert_eq!(n("contexts", "closed", "count"), "1");
    assert_eq!(n("contexts-by-type", "peer-group", "active"), "1");
    assert_eq!(n("contexts-by-type", "school", "active"), "1");
    assert_eq!(n("contexts-by-type", "neighbourhood", "active"), "1");
    assert_eq!(n("contexts-by-type", "online", "active"), "0");
    assert_eq!(
        n("contexts-by-harm", "criminal-exploitation", "active"),
        "2"
    );
    assert_eq!(n("contexts-by-harm", "county-lines", "active"), "1");
    assert_eq!(n("contexts-by-harm", "child-on-child-abuse", "active"), "1");
    assert_eq!(n("contexts-by-harm", "missing", "active"), "0");
    assert_eq!(n("contexts-by-area", "Waterside", "active"), "1");
    assert_eq!(n("contexts-by-area", "Ham", "active"), "1");
    // A's and B's reviews, A's interim on 1 April.
    assert_eq!(n("meetings", "conferences", "held"), "2");
    assert_eq!(n("meetings", "initial", "held"), "0");
    assert_eq!(n("meetings", "review", "held"), "2");
    assert_eq!(n("meetings", "interim", "held"), "1");
    // B's review on 05-12 on time; A's due 06-10, moved and held 06-20: late.
    assert_eq!(n("reviews", "due", "count"), "2");
    assert_eq!(n("reviews", "on-time", "count"), "1");
    assert_eq!(n("reviews", "late", "count"), "1");
    assert_eq!(n("reviews", "overdue", "count"), "0");
    assert_eq!(n("conferences-moved", "moved", "count"), "1");
    assert_eq!(n("conferences-moved", "within", "count"), "1");
    assert_eq!(n("explained-breaches", "representation", "count"), "1");
    // Agreed a3 a4 a5 b1; done a1 b1 b2, by the due date a1 b2; overdue a2 a3.
    assert_eq!(n("actions", "all", "agreed"), "4");
    assert_eq!(n("actions", "all", "done"), "3");
    assert_eq!(n("actions", "all", "done-by-due-date"), "2");
    assert_eq!(n("actions", "all", "overdue-at-quarter-end"), "2");
    assert_eq!(n("actions-by-domain", "target", "done"), "2");
    assert_eq!(
        n(
            "actions-by-domain",
            "legislative-framework",
            "overdue-at-quarter-end"
        ),
        "1"
    );
    assert_eq!(n("actions-by-agency", "youth-service", "agreed"), "1");
    assert_eq!(n("learning", "items", "count"), "3");

    // The same numbers where a reader finds them.
    let (_, seen) = html(&dir, "2026-Q2", "safer-plymouth");
    for phrase in [
        "3 Contexts active 0 opened, 1 closed",
        "2 Conferences held and 1 interim meeting",
        "1 Reviews on time of 2 due; 1 late, 0 overdue",
        "4 Actions agreed 3 done, 2 by the due date",
        "2 Actions overdue at the end of the quarter",
        "Moved to a date within 14 days 1",
        "Children's Social Care 1 1 1 0",
        // No two active contexts share a type or an area: attributed to none.
        "From a context Approaches moved to the car park.",
        "From a context Image sharing moved from school to evening group chats.",
    ] {
        assert!(seen.contains(phrase), "`{phrase}` not in the HTML:\n{seen}");
    }
    let pdf = squash(&pdf_text(fixture().path(), "2026-Q2", "safer-plymouth"));
    for phrase in [
        "3 Contexts active 0 opened, 1 closed",
        "4 Actions agreed",
        "Held late 1",
        "Approaches moved to the car park.",
        "From a context Image sharing",
    ] {
        assert!(pdf.contains(phrase), "`{phrase}` not in the PDF:\n{pdf}");
    }
}

#[test]
fn charts_are_labelled_in_html_and_pdf() {
    let dir = built_output();
    let (page, seen) = html(&dir, "2026-Q2", "safer-plymouth");
    assert_eq!(page.matches("<svg").count(), 3, "harms, themes, quarters");
    for title in [
        "Active contexts by harm type",
        "Themes of learning items, 2026-Q2 against 2026-Q1",
        "The last four quarters",
    ] {
        assert!(seen.contains(title), "{title}");
    }
    // Bars carry their values and labels; the quarter line its quarters.
    assert!(page.contains(">Criminal exploitation</text>"), "{page}");
    assert!(
        page.contains("<title>County lines, 2026-Q2: 3</title>"),
        "{page}"
    );
    for q in ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"] {
        assert!(page.contains(&format!(">{q}</text>")), "{q}");
    }
    let pdf = squash(&pdf_text(fixture().path(), "2026-Q2", "safer-plymouth"));
    assert!(
        pdf.contains("Criminal exploitation 2 Child on child abuse 1 County lines 1"),
        "{pdf}"
    );
    assert!(pdf.contains("The last four quarters"), "{pdf}");
    assert!(pdf.contains("2025-Q3 2025-Q4 2026-Q1 2026-Q2"), "{pdf}");
}

#[test]
fn children_are_suppressed_below_the_threshold() {
    // Q2 by hand (role x 10-13, 14-15, 16-17, other | all):
    //   affected  2 1 1 1 | 5
    //   harmer    0 3 0 0 | 3
    //   both      0 0 1 0 | 1
    //   all       2 4 2 1 | 9
    // With suppress_below 6 every non-zero count but the 9 is hidden.
    let t = csv(&built_output(), "2026-Q2", "safer-plymouth");
    let row = |key: &str| children_row(&t, key);
    assert_eq!(row("affected"), ["c", "c", "c", "c", "c"]);
    assert_eq!(row("alleged-harmer"), ["0", "c", "0", "0", "c"]);
    assert_eq!(row("both"), ["0", "0", "c", "0", "c"]);
    assert_eq!(row("all"), ["c", "c", "c", "c", "9"]);
    // Counts of contexts and meetings are not about children: printed as they are.
    assert_eq!(get(&t, "meetings", "interim", "held"), "1");
    let (_, seen) = html(&built_output(), "2026-Q2", "safer-plymouth");
    assert!(seen.contains("Affected c c c c c"), "{seen}");
    assert!(seen.contains("A c stands for a count of children from 1 to 5"));
}

#[test]
fn a_second_cell_is_suppressed_so_the_first_cannot_be_worked_out() {
    // suppress_below 2 hides the ones (primary); then, by hand:
    // the totals row hides only its 1 -> also its first smallest, the 2 of
    // 10-13; that column then hides only that total -> also affected's 2;
    // 14-15 hides only affected's 1 -> also the harmers' 3, whose row then
    // hides its total 3 too.
    let cb = fixture();
    cb.edit("contextpack.yaml", "suppress_below: 6", "suppress_below: 2");
    let out = run(
        &cb,
        &[
            "report",
            "--quarter",
            "2026-Q2",
            "--forum",
            "safer-plymouth",
        ],
    );
    assert_exit(&out, 0);
    // A warning, not an error: 2 is allowed, below the convention.
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warning[suppression-convention]"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, seen) = html(&cb.path().join("output"), "2026-Q2", "safer-plymouth");
    assert!(
        seen.contains("a count of children of exactly 1, withheld"),
        "the real range: {seen}"
    );
    let t = csv(&cb.path().join("output"), "2026-Q2", "safer-plymouth");
    let row = |key: &str| children_row(&t, key);
    // Hand counting stopped at `c c c c | 5` and `c 4 2 c | 9`. The attack
    // hides more: 2026-Q1 published 6 affected children, so a 5 would say
    // that exactly one affected child left; and the 2 of 16-17 stands over
    // two c, each at least 1, so both would be exactly 1.
    assert_eq!(row("affected"), ["c", "c", "c", "c", "c"]);
    assert_eq!(row("alleged-harmer"), ["0", "c", "0", "0", "c"]);
    assert_eq!(row("both"), ["0", "0", "c", "0", "c"]);
    assert_eq!(row("all"), ["c", "c", "c", "c", "9"]);
    let q2 = std::fs::read_to_string(
        cb.path()
            .join("output/anonymised/2026-Q2/safer-plymouth.csv"),
    )
    .expect("csv");
    assert_eq!(
        crate::attacker::findings(&crate::attacker::read_table(&q2), &[], 2),
        Vec::<String>::new()
    );
    // No row or column hides exactly one entry.
    let grid: Vec<Vec<String>> = ["affected", "alleged-harmer", "both", "all"]
        .iter()
        .map(|k| row(k))
        .collect();
    for r in &grid {
        assert_ne!(r.iter().filter(|v| *v == "c").count(), 1, "{r:?}");
    }
    for c in 0..5 {
        let hidden = grid.iter().filter(|r| r[c] == "c").count();
        assert_ne!(hidden, 1, "column {c}");
    }
}

#[test]
fn meetings_on_31_march_and_1_april_fall_in_their_own_quarters() {
    let dir = built_output();
    let q1 = csv(&dir, "2026-Q1", "mace-operational");
    let q2 = csv(&dir, "2026-Q2", "mace-operational");
    // Q1: A's initial (01-20) and review (31 March), B's initial; C's interim.
    assert_eq!(get(&q1, "meetings", "review", "held"), "1");
    assert_eq!(get(&q1, "meetings", "conferences", "held"), "3");
    assert_eq!(get(&q1, "meetings", "interim", "held"), "1");
    // Q2: A's interim on 1 April, and the two reviews.
    assert_eq!(get(&q2, "meetings", "interim", "held"), "1");
    assert_eq!(get(&q2, "meetings", "conferences", "held"), "2");
    // The review due on 31 March was held that day: on time, in Q1.
    assert_eq!(get(&q1, "reviews", "on-time", "count"), "1");
    // Learning follows its meeting: 31 March's item is in Q1 only, 1 April's in Q2 only.
    let (_, q1_mace) = html(&dir, "2026-Q1", "mace-operational");
    let (_, q2_mace) = html(&dir, "2026-Q2", "mace-operational");
    assert!(q1_mace.contains("Deliveries start at the station."));
    assert!(!q2_mace.contains("Deliveries start at the station."));
    let (_, q1_safer) = html(&dir, "2026-Q1", "safer-plymouth");
    let (_, q2_safer) = html(&dir, "2026-Q2", "safer-plymouth");
    assert!(q2_safer.contains("Approaches moved to the car park."));
    assert!(!q1_safer.contains("Approaches moved to the car park."));
    // A context closed on 31 March (E) is active in Q1, not in Q2.
    assert_eq!(get(&q1, "contexts-by-harm", "missing", "active"), "1");
    assert_eq!(get(&q2, "contexts-by-harm", "missing", "active"), "0");
}

#[test]
fn themes_are_compared_with_the_previous_quarter() {
    // Q1: county-lines 2, grooming 1, harmful-sexual-behaviour 1.
    // Q2: county-lines 3, displacement 2, harmful-sexual-behaviour 1, online-sharing 1.
    let dir = built_output();
    let t = csv(&dir, "2026-Q2", "safer-plymouth");
    // The CSV gives both counts; the trend follows from them (it is no row,
    // so the value column stays numeric), and the documents print it.
    let theme = |key: &str| {
        (
            get(&t, "themes", key, "count").to_string(),
            get(&t, "themes", key, "count 2026-Q1").to_string(),
        )
    };
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    // Only the items addressed to safer-plymouth count: in Q1 harbour-walk's
    // (county-lines, grooming); drake-school's and the station item went
    // to mace-operational.
    assert_eq!(theme("county-lines"), s("3", "1"));
    assert_eq!(theme("displacement"), s("2", "0"));
    assert_eq!(theme("harmful-sexual-behaviour"), s("1", "0"));
    assert_eq!(theme("online-sharing"), s("1", "0"));
    assert_eq!(theme("grooming"), s("0", "1"));
    assert!(!t.keys().any(|(_, _, measure)| measure == "trend"));
    // mace-strategic was sent the lighting item alone.
    let strategic = csv(&dir, "2026-Q2", "mace-strategic");
    let themes: Vec<&String> = strategic
        .keys()
        .filter(|(table, _, measure)| table == "themes" && measure == "count")
        .map(|(_, key, _)| key)
        .collect();
    assert_eq!(themes, ["county-lines", "displacement"]);
    let (_, seen) = html(&dir, "2026-Q2", "safer-plymouth");
    for row in [
        "County lines 3 1 ▲ Rising",
        "Displacement 2 0 New",
        "Harmful sexual behaviour 1 0 New",
        "Grooming 0 1 ▼ Falling",
    ] {
        assert!(seen.contains(row), "`{row}` not in:\n{seen}");
    }
    let pdf = squash(&pdf_text(fixture().path(), "2026-Q2", "safer-plymouth"));
    assert!(pdf.contains("County lines 3 1 ▲ Rising"), "{pdf}");
    assert!(pdf.contains("Grooming 0 1 ▼ Falling"), "{pdf}");
}

// ---------------------------------------------------------------- marking

#[test]
fn summaries_carry_the_anonymised_marking_only() {
    let dir = built_output();
    let (page, seen) = html(&dir, "2026-Q2", "safer-plymouth");
    assert!(
        page.contains("Protective marking: </span>OFFICIAL</p>"),
        "{page}"
    );
    assert!(!page.contains("SENSITIVE"), "the restricted marking");
    assert!(!seen.contains("Restricted"), "{seen}");
    let pdf = pdf_text(fixture().path(), "2026-Q2", "safer-plymouth");
    let pages: Vec<&str> = pdf.split('\x0c').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() >= 2, "{}", pages.len());
    for (i, p) in pages.iter().enumerate() {
        assert!(
            p.contains("OFFICIAL"),
            "page {} has no marking:\n{p}",
            i + 1
        );
        assert!(!p.contains("SENSITIVE"), "page {}", i + 1);
    }
}

// ---------------------------------------------------------------- the guard

/// A learning item addressed to safer-plymouth in 2026-Q2.
const ITEM_FILE: &str = "cases/harbour-walk/conferences/2026-04-01-interim.md";
const ITEM: &str = "  - text: Approaches moved to the car park.\n";

/// Puts `text` into the learning item, builds over a good output, and checks
/// the build fails with an `anonymity` error pointing at the item and
/// describing `what`, leaving the output as it was.
fn assert_leak_stops_the_build(item: &str, first_line: &str, what: &str) -> String {
    let cb = fixture();
    copy_tree(&built_output(), &cb.path().join("output"));
    cb.edit(ITEM_FILE, ITEM, item);
    let out = run(&cb, &["build"]);
    assert_exit(&out, 1);
    let printed = text(&out);
    // The error points at the text's first line.
    let line = line_of(&cb, ITEM_FILE, first_line);
    assert!(
        printed.contains(&format!("--> {ITEM_FILE}:{line}:")),
        "not pointed at the learning item:\n{printed}"
    );
    assert!(
        printed.contains("error[anonymity]: this learning item puts"),
        "{printed}"
    );
    assert!(printed.contains(what), "`{what}` not in:\n{printed}");
    assert!(
        printed.contains("anonymised/2026-Q2/safer-plymouth."),
        "{printed}"
    );
    assert!(printed.contains("nothing was built"), "{printed}");
    assert!(
        printed.contains("the previous output is untouched"),
        "{printed}"
    );
    // The check's own summary line comes once, before the leak; the leak
    // gets no second one counting nothing.
    assert_eq!(printed.matches("contextpack: ").count(), 1, "{printed}");
    assert!(
        tree(&cb.path().join("output")) == BUILT.1,
        "the previous output changed"
    );
    printed
}

/// Nothing the build printed holds any of `forms` as words (in any case;
/// ids such as `kim-davies` are one word): the snippet under the error
/// shows the place of the name, masked.
fn assert_never_printed(printed: &str, forms: &[&str]) {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let printed_words = words(printed);
    for form in forms {
        let form_words = words(form);
        assert!(
            !printed_words
                .windows(form_words.len())
                .any(|w| w == form_words.as_slice()),
            "`{form}` was printed:\n{printed}"
        );
    }
    assert!(printed.contains('█'), "no mask in:\n{printed}");
}

#[test]
pub(crate) fn guard_catches_a_person_name() {
    let printed = assert_leak_stops_the_build(
        "  - text: Kim Davies saw approaches move to the car park.\n",
        "Kim Davies",
        "the name of person kim-davies (contextpack.yaml)",
    );
    assert_never_printed(&printed, &["Kim Davies", "Davies"]);
}

#[test]
fn guard_catches_a_young_persons_full_name() {
    let printed = assert_leak_stops_the_build(
        "  - text: Alex Thorne was approached in the car park.\n",
        "Alex Thorne",
        "the full name of young person YP-C (cases/harbour-walk/context.yaml)",
    );
    assert_never_printed(&printed, &["Alex", "Thorne"]);
}

#[test]
fn guard_catches_a_surname_alone() {
    let printed = assert_leak_stops_the_build(
        "  - text: The Penrose family saw approaches move to the car park.\n",
        "Penrose",
        "the surname of young person YP-G (cases/drake-school/context.yaml)",
    );
    assert_never_printed(&printed, &["Penrose", "Gus"]);
}

#[test]
fn guard_catches_a_given_name_alone() {
    let printed = assert_leak_stops_the_build(
        "  - text: Gus saw approaches move to the car park.\n",
        "Gus saw",
        "the given name of young person YP-G (cases/drake-school/context.yaml)",
    );
    assert_never_printed(&printed, &["Gus", "Penrose"]);
}

#[test]
fn a_rare_given_name_is_caught_and_an_ordinary_word_given_name_is_not() {
    // Kenzo alone points at one child in a city.
    let cb = fixture();
    cb.edit(
        "cases/drake-school/context.yaml",
        "Gus Penrose",
        "Kenzo Penrose",
    );
    cb.edit(
        ITEM_FILE,
        ITEM,
        "  - text: Kenzo was approached in the car park.\n",
    );
    let out = run(&cb, &["check"]);
    assert_exit(&out, 1);
    let printed = text(&out);
    assert!(
        printed.contains(
            "error[anonymity]: this learning item puts the given name of young person YP-G"
        ),
        "{printed}"
    );
    assert_never_printed(&printed, &["Kenzo"]);
    // Rose is a word as well as a name: "numbers rose" builds, and the full
    // name is still caught.
    let cb = fixture();
    cb.edit(
        "cases/drake-school/context.yaml",
        "Gus Penrose",
        "Rose Penrose",
    );
    cb.edit(
        ITEM_FILE,
        ITEM,
        "  - text: Approaches rose near the car park.\n",
    );
    assert_exit(&run(&cb, &["build"]), 0);
    cb.edit(
        ITEM_FILE,
        "  - text: Approaches rose near the car park.\n",
        "  - text: Rose Penrose was approached near the car park.\n",
    );
    let out = run(&cb, &["check"]);
    assert_exit(&out, 1);
    assert!(
        text(&out).contains("the full name of young person YP-G"),
        "{}",
        text(&out)
    );
}

#[test]
fn guard_catches_a_surname_disguised_as_a_reader_would_still_read_it() {
    // Cyrillic "е", a left-to-right mark and an accent the record lacks.
    assert_leak_stops_the_build(
        "  - text: \"The P\u{0435}n\u{200E}rosé family saw approaches move to the car park.\"\n",
        "The P",
        "the surname of young person YP-G (cases/drake-school/context.yaml)",
    );
}

#[test]
fn every_disguise_of_the_issue_is_caught_through_the_binary() {
    // The first table of the name-guard issue, for the surname Penrose of
    // young person YP-G: invisible and format characters inside it, the
    // name reversed behind a right-to-left override, look-alike and
    // compatibility letters, a family plural, a username, letters spaced.
    let disguises = [
        "Pen\u{200E}rose",
        "Pen\u{2062}rose",
        "Pen\u{2063}rose",
        "Pen\u{034F}rose",
        "Pen\u{E0020}rose",
        "Pen\u{180E}rose",
        "\u{202E}esorneP\u{202C}",
        "Penr\u{03BF}se",
        "\u{FF30}\u{FF45}\u{FF4E}\u{FF52}\u{FF4F}\u{FF53}\u{FF45}",
        "\u{1D40F}\u{1D41E}\u{1D427}\u{1D42B}\u{1D428}\u{1D42C}\u{1D41E}",
        "the Penroses",
        "Penrose14",
        "P e n r o s e",
        "PENROSE",
    ];
    for disguise in disguises {
        let printed = assert_leak_stops_the_build(
            &format!("  - text: \"Seen with {disguise} at the gates.\"\n"),
            "Seen with",
            "the surname of young person YP-G (cases/drake-school/context.yaml)",
        );
        assert_never_printed(&printed, &["Penrose", "Gus"]);
        assert!(
            !printed.contains(disguise),
            "{disguise:?} printed:\n{printed}"
        );
    }
    // The given name and surname run together, as in an address.
    assert_leak_stops_the_build(
        "  - text: \"Messages from guspenrose@mail.test at the gates.\"\n",
        "Messages from",
        "the full name of young person YP-G (cases/drake-school/context.yaml)",
    );
    // A reference in any dash or spacing.
    for disguise in ["YPG", "YP G", "YP\u{2013}G", "YP\u{2212}G", "yp-g"] {
        let printed = assert_leak_stops_the_build(
            &format!("  - text: \"Seen with {disguise} at the gates.\"\n"),
            "Seen with",
            "the reference of young person YP-G",
        );
        assert!(
            !printed.contains(disguise),
            "{disguise:?} printed:\n{printed}"
        );
    }
}

#[test]
fn a_name_in_the_settings_a_summary_prints_is_caught_before_the_commit() {
    let cb = fixture();
    let settings = cb.read("contextpack.yaml");
    cb.write(
        "contextpack.yaml",
        format!("{settings}\nforums:\n  - {{ id: safer-plymouth, name: Gus Penrose Safer Plymouth Partnership }}\n"),
    );
    let out = run(&cb, &["check"]);
    assert_exit(&out, 1);
    let printed = text(&out);
    assert!(
        printed.contains(
            "error[anonymity]: this forum's name puts the full name of young person YP-G"
        ),
        "{printed}"
    );
    assert_never_printed(&printed, &["Gus", "Penrose"]);
}

#[test]
fn a_surname_spelt_without_its_accents_or_with_a_ligature_is_caught() {
    // The record's spelling, and how a learning item writes it.
    for (record, written) in [
        ("Gus Wróbel", "Wrobel"),
        ("Gus Yılmaz", "YILMAZ"),
        ("Gus Yılmaz", "Yilmaz"),
        ("Gus Strauß", "Strauss"),
        ("Gus Penrose", "Pénrose"),
        ("Gus Griffiths", "Gri\u{FB03}ths"),
    ] {
        let cb = fixture();
        cb.edit("cases/drake-school/context.yaml", "Gus Penrose", record);
        cb.edit(
            ITEM_FILE,
            ITEM,
            &format!("  - text: \"Seen with {written} at the gates.\"\n"),
        );
        let out = run(&cb, &["check"]);
        assert_exit(&out, 1);
        let printed = text(&out);
        assert!(
            printed.contains(
                "error[anonymity]: this learning item puts the surname of young person YP-G"
            ),
            "{record} / {written}:\n{printed}"
        );
        let surname = record.split_once(' ').map_or(record, |(_, s)| s);
        assert_never_printed(&printed, &[surname, written]);
    }
}

#[test]
fn a_name_written_only_in_an_attendance_list_is_caught() {
    let cb = fixture();
    let file = ITEM_FILE;
    let minutes = cb.read(file).replace("name: PC Lee", "name: PC Tregarthen");
    cb.write(file, minutes);
    cb.edit(
        file,
        ITEM,
        "  - text: Tregarthen saw approaches move to the car park.\n",
    );
    let out = run(&cb, &["check"]);
    assert_exit(&out, 1);
    let printed = text(&out);
    assert!(
        printed.contains("error[anonymity]: this learning item puts"),
        "{printed}"
    );
    assert_never_printed(&printed, &["Tregarthen"]);
}

#[test]
fn a_ref_that_is_ordinary_text_is_an_error_in_the_record() {
    // "A" (the "Child A" convention) and "14" are in every summary's own
    // words and tables.
    for (weak, why) in [
        ("A", "has fewer than three"),
        ("14", "has fewer than three"),
        ("2014", "is only a number"),
    ] {
        let cb = fixture();
        let file = "cases/drake-school/context.yaml";
        cb.edit(file, "ref: YP-G", &format!("ref: \"{weak}\""));
        let out = run(&cb, &["check"]);
        assert_exit(&out, 1);
        let printed = text(&out);
        let line = line_of(&cb, file, &format!("ref: \"{weak}\""));
        assert!(
            printed.contains(&format!("--> {file}:{line}:")),
            "{printed}"
        );
        assert!(printed.contains(why), "{printed}");
        assert!(printed.contains("as `YP-A` or `DP-03`"), "{printed}");
    }
}

#[test]
fn a_name_in_a_free_text_theme_is_caught_before_the_commit() {
    let cb = fixture();
    cb.edit(
        ITEM_FILE,
        "themes: [county-lines, displacement]",
        "themes: [county-lines, \"Gus, 14, Union St\"]",
    );
    let out = run(&cb, &["check"]);
    assert_exit(&out, 1);
    let printed = text(&out);
    assert!(
        printed.contains("error[anonymity]: this theme puts the given name of young person YP-G"),
        "{printed}"
    );
    assert_never_printed(&printed, &["Gus", "Penrose"]);
}

#[test]
fn guard_catches_a_surname_behind_markdown_marks_or_a_character_reference() {
    for text in ["Pen**rose**", "&#80;enrose"] {
        let printed = assert_leak_stops_the_build(
            &format!("  - text: \"The {text} family saw approaches move to the car park.\"\n"),
            text,
            "the surname of young person YP-G (cases/drake-school/context.yaml)",
        );
        assert_never_printed(&printed, &[text, "Penrose"]);
    }
}

#[test]
fn guard_catches_a_reference() {
    assert_leak_stops_the_build(
        "  - text: Approaches to yp-b moved to the car park.\n",
        "yp-b",
        "the reference of young person YP-B",
    );
}

#[test]
fn guard_catches_a_context_title() {
    assert_leak_stops_the_build(
        "  - text: Approaches moved from drake school to the car park.\n",
        "drake school",
        "the title of context drake-school (cases/drake-school/context.yaml)",
    );
}

#[test]
fn guard_catches_the_distinctive_part_of_a_context_title() {
    let printed = assert_leak_stops_the_build(
        "  - text: Approaches moved to the quay steps after dark.\n",
        "quay steps",
        "part of the title of context harbour-walk (cases/harbour-walk/context.yaml)",
    );
    assert_never_printed(&printed, &["Quay", "Harbour"]);
}

#[test]
fn guard_catches_a_possessive() {
    assert_leak_stops_the_build(
        "  - text: Approaches moved to Fay Marsh's street.\n",
        "Fay Marsh's",
        "the full name of young person YP-F",
    );
}

#[test]
fn guard_catches_a_name_split_across_a_line_break() {
    // A literal block keeps the line break inside the name.
    let printed = assert_leak_stops_the_build(
        "  - text: |\n      Approaches to Ivy\n      Jago moved to the car park.\n",
        "Approaches to Ivy",
        "the full name of young person YP-I (cases/plym-chat/context.yaml)",
    );
    assert_never_printed(&printed, &["Ivy", "Jago"]);
}

/// Children whose surnames are words of the summaries' own text: "Page 2
/// of 5", "Alleged harmer", "Child on child abuse", "County lines", "Devon
/// and Cornwall Police".
const TEMPLATE_WORD_NAMES: [(&str, &str, &str); 5] = [
    (
        "cases/drake-school/context.yaml",
        "Dee Fairweather",
        "Ruby Page",
    ),
    (
        "cases/drake-school/context.yaml",
        "Eve Quillon",
        "Tyler Harmer",
    ),
    ("cases/drake-school/context.yaml", "Fay Marsh", "Sam Child"),
    ("cases/drake-school/context.yaml", "Gus Penrose", "Jo Lines"),
    (
        "cases/harbour-walk/context.yaml",
        "Jordan Example",
        "Lee Police",
    ),
];

fn with_template_word_names() -> TestCasebook {
    let cb = fixture();
    for (file, from, to) in TEMPLATE_WORD_NAMES {
        cb.edit(file, from, to);
    }
    cb
}

#[test]
fn children_surnamed_like_the_summaries_own_words_build() {
    let cb = with_template_word_names();
    let out = run(&cb, &["build"]);
    assert_exit(&out, 0);
    let files = tree(&cb.path().join("output"));
    // The words are still there, as the template's, and the police keep
    // their own row.
    let html = String::from_utf8_lossy(&files["anonymised/2026-Q2/safer-plymouth.html"]);
    assert!(html.contains("Alleged harmer"), "{html}");
    assert!(html.contains("Devon and Cornwall Police"), "{html}");
    let pdf = pdf_text(cb.path(), "2026-Q2", "safer-plymouth");
    assert!(pdf.contains("Page 1 of"), "{pdf}");
}

/// A school that is an agency and a context: its name would say which
/// context the actions are in. `check` stops it at the agency's line
/// without printing it, until the agency has a name for the summaries.
#[test]
fn an_agency_named_like_a_context_needs_a_public_name() {
    let cb = fixture();
    let agency = "  - { id: education, name: Education, core: true }";
    cb.edit(
        "contextpack.yaml",
        agency,
        "  - { id: education, name: Drake School, core: true }",
    );
    let out = run(&cb, &["check"]);
    assert_exit(&out, 1);
    let printed = text(&out);
    assert!(
        printed.contains(
            "error[anonymity]: this agency's name puts the title of context drake-school"
        ),
        "{printed}"
    );
    assert!(printed.contains("--> contextpack.yaml:9:"), "{printed}");
    assert!(
        printed.contains("give the agency a `public_name:`"),
        "{printed}"
    );
    // Other findings may name the agency (the casebook is restricted); the
    // anonymity error, which says where a name would be published, does not.
    let error = printed
        .split("\n\n")
        .find(|block| block.contains("error[anonymity]"))
        .expect("the anonymity error");
    assert_never_printed(error, &["Drake"]);

    cb.edit(
        "contextpack.yaml",
        "name: Drake School, core: true }",
        "name: Drake School, public_name: A secondary school, core: true }",
    );
    let out = run(&cb, &["build"]);
    assert_exit(&out, 0);
    let files = tree(&cb.path().join("output"));
    let html = String::from_utf8_lossy(&files["anonymised/2026-Q2/safer-plymouth.html"]);
    assert!(html.contains("A secondary school"), "{html}");
    assert!(!html.contains("Drake School"), "{html}");
}

#[test]
fn a_template_word_surname_written_in_a_learning_item_is_still_caught() {
    let cb = with_template_word_names();
    copy_tree(&built_output(), &cb.path().join("output"));
    let before = tree(&cb.path().join("output"));
    cb.edit(
        ITEM_FILE,
        ITEM,
        "  - text: Page was seen at the gates with older males.\n",
    );
    let out = run(&cb, &["build"]);
    assert_exit(&out, 1);
    let printed = text(&out);
    assert!(
        printed.contains("error[anonymity]: this learning item puts the surname of young person"),
        "{printed}"
    );
    let line = line_of(&cb, ITEM_FILE, "Page was seen");
    assert!(
        printed.contains(&format!("--> {ITEM_FILE}:{line}:")),
        "{printed}"
    );
    assert_never_printed(&printed, &["Page", "Ruby"]);
    assert!(
        tree(&cb.path().join("output")) == before,
        "the output changed"
    );
}

#[test]
fn check_catches_a_name_before_the_commit_and_masks_it() {
    // Shown by any reader as "Approaches to Alex Thorne ...": the name is
    // stored reversed behind a right-to-left override.
    let cb = fixture();
    cb.edit(
        ITEM_FILE,
        ITEM,
        "  - text: \"Approaches to \u{202E}enrohT xelA\u{202C} moved to the car park.\"\n",
    );
    let out = run(&cb, &["check"]);
    assert_exit(&out, 1);
    let printed = text(&out);
    assert!(
        printed.contains(
            "error[anonymity]: this learning item puts the full name of young person YP-C (cases/harbour-walk/context.yaml) into the anonymised summary anonymised/2026-Q2/safer-plymouth.html"
        ),
        "{printed}"
    );
    let line = line_of(&cb, ITEM_FILE, "Approaches to");
    assert!(
        printed.contains(&format!("--> {ITEM_FILE}:{line}:")),
        "{printed}"
    );
    assert_never_printed(&printed, &["Alex", "Thorne", "enrohT", "xelA"]);
    // The JSON report names the record, never the name.
    let json = run(&cb, &["check", "--format", "json"]);
    let json = text(&json);
    assert!(json.contains("\"anonymity\""), "{json}");
    assert!(
        !json.contains("enrohT") && !json.contains("Thorne"),
        "{json}"
    );
}

#[test]
fn part_of_a_surname_is_caught() {
    for (name, written) in [
        ("Gus Tregenza-Smith", "Tregenza"),
        ("Gus O'Kessock", "Kessock"),
        ("Gus O'Kessock", "OKessock"),
        ("Maria Garcia Lopez", "Garcia"),
        ("PENROSE, Gus", "Penrose"),
    ] {
        let cb = fixture();
        cb.edit("cases/drake-school/context.yaml", "Gus Penrose", name);
        cb.edit(
            ITEM_FILE,
            ITEM,
            &format!("  - text: The {written} family saw approaches move to the car park.\n"),
        );
        let out = run(&cb, &["check"]);
        assert_exit(&out, 1);
        let printed = text(&out);
        assert!(
            printed.contains(
                "error[anonymity]: this learning item puts the surname of young person YP-G"
            ),
            "{name} / {written}:\n{printed}"
        );
        assert_never_printed(&printed, &[written]);
    }
}

#[test]
fn a_practitioner_by_title_or_initial_is_caught() {
    for written in ["Ms Tremayne", "H. Tremayne"] {
        let printed = assert_leak_stops_the_build(
            &format!("  - text: Approaches moved to the car park, {written} said.\n"),
            "Approaches moved",
            "the surname of person helen-tremayne (contextpack.yaml)",
        );
        assert_never_printed(&printed, &["Tremayne"]);
    }
}

#[test]
fn report_applies_the_guard_too() {
    let cb = fixture();
    cb.edit(ITEM_FILE, ITEM, "  - text: Casey Sample was seen.\n");
    let out = run(&cb, &["report", "--quarter", "2026-Q2"]);
    assert_exit(&out, 1);
    assert!(text(&out).contains("error[anonymity]"), "{}", text(&out));
    assert!(!cb.path().join("output/anonymised").exists());
}

// ---------------------------------------------------------------- report

#[test]
fn report_replaces_only_the_files_of_its_quarter_and_forum() {
    let cb = fixture();
    let dir = cb.path().join("output");
    copy_tree(&built_output(), &dir);
    // Mark one file of the quarter, to see it replaced, and one of another.
    let mine = dir.join("anonymised/2026-Q2/safer-plymouth.csv");
    let other = dir.join("anonymised/2026-Q2/mace-strategic.csv");
    std::fs::write(&mine, "stale").expect("write");
    std::fs::write(&other, "left alone").expect("write");
    let out = run(
        &cb,
        &[
            "report",
            "--quarter",
            "2026-Q2",
            "--forum",
            "safer-plymouth",
        ],
    );
    assert_exit(&out, 0);
    assert!(
        text(&out).contains("wrote 3 anonymised summary files of 2026-Q2 into"),
        "{}",
        text(&out)
    );
    let after = tree(&dir);
    // Byte-identical to what build wrote: deterministic.
    assert_eq!(
        after["anonymised/2026-Q2/safer-plymouth.csv"],
        BUILT.1["anonymised/2026-Q2/safer-plymouth.csv"]
    );
    assert_eq!(
        after["anonymised/2026-Q2/safer-plymouth.pdf"],
        BUILT.1["anonymised/2026-Q2/safer-plymouth.pdf"]
    );
    assert_eq!(
        after["anonymised/2026-Q2/mace-strategic.csv"],
        b"left alone"
    );
    for (path, bytes) in &BUILT.1 {
        if !path.starts_with("anonymised/2026-Q2/") && path != "manifest.json" {
            assert_eq!(&after[path], bytes, "{path} changed");
        }
    }
    assert!(
        !after.keys().any(|k| k.contains(".tmp")),
        "no temporary file left"
    );
}

#[test]
fn report_without_forum_writes_every_forum_of_the_quarter() {
    let cb = fixture();
    let out = run(&cb, &["report", "--quarter", "2026-q1"]);
    assert_exit(&out, 0);
    let files: Vec<String> = tree(&cb.path().join("output")).into_keys().collect();
    let mut expected: Vec<String> = FORUMS
        .iter()
        .flat_map(|f| ["csv", "html", "pdf"].map(|e| format!("anonymised/2026-Q1/{f}.{e}")))
        .collect();
    expected.push("manifest.json".into());
    assert_eq!(files, expected);
    // A build may replace the folder the report started.
    let out = run(&cb, &["build"]);
    assert_exit(&out, 0);
}

#[test]
fn report_refuses_a_bad_quarter_or_forum() {
    let cb = fixture();
    let out = run(&cb, &["report", "--quarter", "2026-Q5"]);
    assert_exit(&out, 2);
    let printed = text(&out);
    assert!(
        printed.contains("`2026-Q5` is not a calendar quarter"),
        "{printed}"
    );
    assert!(
        printed.contains("quarters with held meetings: 2025-Q4, 2026-Q1, 2026-Q2, 2026-Q3"),
        "{printed}"
    );
    let out = run(
        &cb,
        &["report", "--quarter", "2026-Q2", "--forum", "safer-plymoth"],
    );
    assert_exit(&out, 2);
    assert!(
        text(&out).contains("did you mean `safer-plymouth`?"),
        "{}",
        text(&out)
    );
    assert!(!cb.path().join("output").exists());
}

#[test]
fn report_refuses_a_quarter_that_has_not_begun() {
    let cb = fixture();
    // TODAY is 2026-08-01, in 2026-Q3.
    let out = run(&cb, &["report", "--quarter", "2026-Q4"]);
    assert_exit(&out, 2);
    let printed = text(&out);
    assert!(
        printed.contains("2026-Q4 has not begun: it starts on 2026-10-01, and today is 2026-08-01"),
        "{printed}"
    );
    assert!(
        printed.contains("such as 2026-Q3 (this quarter, so far)"),
        "{printed}"
    );
    assert!(!cb.path().join("output").exists(), "nothing written");
    // The quarter in progress is allowed.
    let out = run(&cb, &["report", "--quarter", "2026-Q3"]);
    assert_exit(&out, 0);
}

#[test]
fn report_checks_the_records_first() {
    let cb = fixture();
    cb.edit(
        "cases/plym-chat/context.yaml",
        "lead_practitioner: jo-smith",
        "lead_practitioner: nobody",
    );
    let out = run(&cb, &["report", "--quarter", "2026-Q2"]);
    assert_exit(&out, 1);
    assert!(
        text(&out).contains("no summary was rendered"),
        "{}",
        text(&out)
    );
    assert!(!cb.path().join("output").exists());
}

#[test]
fn keep_going_builds_no_summary_of_part_of_the_casebook() {
    let cb = fixture();
    cb.edit(
        "cases/plym-chat/context.yaml",
        "lead_practitioner: jo-smith",
        "lead_practitioner: nobody",
    );
    let out = run(&cb, &["build", "--keep-going"]);
    assert_exit(&out, 1);
    assert!(
        text(&out)
            .contains("not rendered: anonymised summaries, because some contexts are held back"),
        "{}",
        text(&out)
    );
    assert!(cb.path().join("output/restricted/harbour-walk").is_dir());
    assert!(!cb.path().join("output/anonymised").exists());
}

// ---------------------------------------------------------------- history

/// Every summary file of a quarter, by path.
fn quarter_files(cb: &TestCasebook, quarter: &str) -> BTreeMap<String, Vec<u8>> {
    tree(&cb.path().join("output/anonymised").join(quarter))
        .into_iter()
        .filter(|(path, _)| path.ends_with(".csv"))
        .collect()
}

#[test]
fn a_child_linked_later_leaves_earlier_quarters_as_published() {
    let cb = fixture();
    for q in ["2026-Q2", "2026-Q3"] {
        assert_exit(&run(&cb, &["report", "--quarter", q]), 0);
    }
    let q2 = quarter_files(&cb, "2026-Q2");
    let q3 = quarter_files(&cb, "2026-Q3");
    // Linked in July, to a context open since January.
    cb.edit(
        "cases/harbour-walk/context.yaml",
        "young_people:\n",
        "young_people:\n  - ref: YP-N\n    name: Noel Penhallow\n    born: 2011-03\n    role: affected\n    linked: 2026-07-20\n",
    );
    for q in ["2026-Q2", "2026-Q3"] {
        assert_exit(&run(&cb, &["report", "--quarter", q]), 0);
    }
    assert_eq!(quarter_files(&cb, "2026-Q2"), q2, "Q2 as it was published");
    assert_ne!(quarter_files(&cb, "2026-Q3"), q3, "Q3 counts the new child");

    // Unlinked in June: counted in Q2 (linked part of it), not in Q3.
    cb.edit(
        "cases/harbour-walk/context.yaml",
        "    linked: 2026-07-20\n",
        "    linked: 2026-05-01\n    unlinked: 2026-06-15\n",
    );
    for q in ["2026-Q2", "2026-Q3"] {
        assert_exit(&run(&cb, &["report", "--quarter", q]), 0);
    }
    assert_ne!(quarter_files(&cb, "2026-Q2"), q2, "linked during Q2");
    assert_eq!(quarter_files(&cb, "2026-Q3"), q3, "no longer linked in Q3");
}

#[test]
fn linked_and_born_are_checked() {
    let cb = fixture();
    cb.edit(
        "cases/harbour-walk/context.yaml",
        "young_people:\n",
        "young_people:\n  - ref: YP-N\n    name: Noel Penhallow\n    born: 2011-13\n    age: 14\n    role: affected\n    linked: 2026-07-20\n    unlinked: 2026-07-01\n",
    );
    let out = run(&cb, &["check"]);
    assert_exit(&out, 1);
    let said = text(&out);
    assert!(
        said.contains("expected a month (YYYY-MM) in `born`"),
        "{said}"
    );
    assert!(said.contains("has both `age` and `born`"), "{said}");
    assert!(
        said.contains("`unlinked` 2026-07-01 is before `linked` 2026-07-20"),
        "{said}"
    );
}

// ---------------------------------------------------------------- key messages

const MESSAGES: &str = "messages/2026-Q2/safer-plymouth.md";

/// The analyst's key messages for one forum and quarter open that summary,
/// in HTML and PDF, and reach no other forum's.
#[test]
fn key_messages_open_their_forums_summary_and_no_other() {
    let cb = fixture();
    cb.write(
        MESSAGES,
        "Approaches have moved from the **town centre** to transport hubs.\n\n\
         - Ask transport partners to join the next review.\n",
    );
    let dir = cb.path().join("output");
    let out_arg = format!("--out={}", dir.display());
    assert_exit(&run(&cb, &["build", &out_arg]), 0);
    let (_, seen) = html(&dir, "2026-Q2", "safer-plymouth");
    let messages = seen.find("Key messages").expect("a key messages heading");
    let glance = seen
        .find("The quarter at a glance")
        .expect("the charts heading");
    assert!(messages < glance, "the messages come before the charts");
    assert!(seen.contains("Approaches have moved from the town centre to transport hubs."));
    assert!(seen.contains("Ask transport partners to join the next review."));
    for (quarter, forum) in [("2026-Q2", "mace-strategic"), ("2026-Q1", "safer-plymouth")] {
        let (_, other) = html(&dir, quarter, forum);
        assert!(!other.contains("Key messages"), "{quarter} {forum}");
        assert!(!other.contains("transport hubs"), "{quarter} {forum}");
    }
    let pdf = squash(&pdf_text(cb.path(), "2026-Q2", "safer-plymouth"));
    assert!(pdf.contains("Key messages"), "{pdf}");
    assert!(pdf.contains("Approaches have moved from the town centre to transport hubs."));
    assert!(pdf.contains("Ask transport partners to join the next review."));
}

/// A name in the key messages is an anonymity error at the messages file,
/// from `check`, before any summary is made; the name is never printed.
#[test]
fn a_name_in_the_key_messages_is_caught_before_the_commit() {
    let cb = fixture();
    cb.write(
        MESSAGES,
        "Youth workers report progress.\n\nKim Davies saw approaches move to the car park.\n",
    );
    let out = run(&cb, &["check"]);
    assert_exit(&out, 1);
    let printed = text(&out);
    assert!(
        printed.contains("error[anonymity]: this file of key messages puts"),
        "{printed}"
    );
    assert!(printed.contains(&format!("--> {MESSAGES}:3:")), "{printed}");
    assert!(
        printed.contains("anonymised/2026-Q2/safer-plymouth.html"),
        "{printed}"
    );
    assert_never_printed(&printed, &["Kim Davies", "Davies"]);
}

/// Key messages are filed by quarter and forum id; anything else there is
/// an error that says how to name it.
#[test]
fn key_messages_filed_under_no_forum_or_no_quarter_are_errors() {
    let cb = fixture();
    cb.write("messages/2026-Q2/safer-plymoth.md", "Misnamed.\n");
    cb.write("messages/summer/safer-plymouth.md", "Misfiled.\n");
    let out = run(&cb, &["check"]);
    assert_exit(&out, 1);
    let printed = text(&out);
    assert!(
        printed.contains("no forum `safer-plymoth` for `messages/2026-Q2/safer-plymoth.md`"),
        "{printed}"
    );
    assert!(
        printed.contains("did you mean `safer-plymouth.md`?"),
        "{printed}"
    );
    assert!(
        printed.contains("folder `summer` in `messages/` is not a quarter"),
        "{printed}"
    );
}

/// No summary of the sample ends on a page that holds only its colophon or
/// a heading: the last page carries at least three lines of the summary.
#[test]
fn no_summary_ends_on_a_page_of_only_its_colophon() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checked = contextpack::check_casebook(root, None).expect("the sample loads");
    let renderer = Renderer::load(root).expect("templates");
    let mut seen = 0;
    for quarter in ["2026-Q2", "2026-Q3", "2026-Q4"] {
        for forum in &checked.casebook.settings.forums {
            let Some(summary) = contextpack::summary::summary_for(
                &checked,
                quarter.parse().expect("quarter"),
                &forum.id.value,
            ) else {
                continue;
            };
            let out = contextpack::build::summaries::render_one(
                &renderer,
                &checked,
                &Provenance::Unversioned,
                summary,
                &contextpack::build::Reuse::none(),
            )
            .unwrap_or_else(|e| panic!("{e}"));
            let text = out.pdf.text;
            let pages: Vec<&str> = text.split('\x0c').collect();
            seen += 1;
            if pages.len() < 2 {
                continue;
            }
            let settings = &checked.casebook.settings;
            let last: Vec<&str> = pages[pages.len() - 1]
                .lines()
                .map(str::trim)
                .filter(|l| {
                    !(l.is_empty()
                        || l.starts_with("Issued ")
                        || (l.starts_with("Page ") && l.contains(" of "))
                        || *l == settings.anonymised_marking
                        || *l == settings.partnership)
                })
                .collect();
            assert!(
                last.len() >= 3,
                "{quarter} {} ends on a page of {last:?}:\n{text}",
                forum.id.value
            );
        }
    }
    assert!(seen >= 3, "{seen} summaries");
}
