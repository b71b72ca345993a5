//! `agenda.docx`, `minutes.docx` and `action-plan.docx`, opened with a real
//! Word parser (python-docx) as a council's Word would read them: Word's
//! heading styles, real tables, the marking in every header and footer with
//! page numbers, and record text as text, however hostile. `.ci/run`
//! installs python-docx; where it cannot be imported the test says so and
//! checks nothing further.

use crate::common::TestCasebook;
use std::path::Path;
use std::process::Command;

/// What python-docx reads of a Word file, one line each: `heading<TAB>
/// level<TAB>text`, `table<TAB>rows<TAB>first row`, `header<TAB>text`,
/// `footer<TAB>text`, `text<TAB>paragraph`.
const READER: &str = r#"
import sys, docx
d = docx.Document(sys.argv[1])
for p in d.paragraphs:
    name = p.style.name if p.style is not None else ""
    if name.startswith("Heading"):
        print("heading\t" + name.split()[-1] + "\t" + p.text)
    else:
        print("text\t" + p.text)
for t in d.tables:
    print("table\t" + str(len(t.rows)) + "\t" + " | ".join(c.text for c in t.rows[0].cells))
    for r in t.rows[1:]:
        print("row\t" + " | ".join(c.text for c in r.cells))
s = d.sections[0]
print("page\t" + str(round(s.page_width.mm)) + "x" + str(round(s.page_height.mm)))
for p in s.header.paragraphs:
    print("header\t" + p.text)
for p in s.footer.paragraphs:
    print("footer\t" + p.text)
"#;

/// python-docx's reading of `file`, or `None` when python-docx is missing.
fn read(file: &Path) -> Option<String> {
    let out = Command::new("python3")
        .args(["-c", READER])
        .arg(file)
        .output()
        .ok()?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("No module named") {
            eprintln!(
                "python-docx is not installed (pip install python-docx): Word files not read"
            );
            return None;
        }
        panic!("python-docx could not read {}:\n{err}", file.display());
    }
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

const HOSTILE: &str = r#"Light the steps </w:t></w:r><w:r><w:t>injected { PAGE } & <b>bold</b>"#;

#[test]
fn word_files_have_headings_tables_marking_and_page_numbers() {
    let cb = TestCasebook::clean();
    cb.edit(
        "cases/harbour-walk/plan.yaml",
        "action: Light the Quay Steps.",
        &format!("action: '{HOSTILE}'"),
    );
    cb.build_ok();
    let dir = cb.path().join("output/restricted/harbour-walk");
    let cases: [(&str, &str, &[&str], &[&str]); 3] = [
        (
            "2026-12-02-review/agenda.docx",
            "Agenda",
            &["Invited", "Items and timings", "Papers"],
            &["Agency | Name", "No. | Time | Item | Length"],
        ),
        (
            "2026-06-10-initial/minutes.docx",
            "Minutes",
            &["Attendance", "Discussion", "Actions agreed", "Review"],
            &[
                "Agency | Name | Attendance",
                "Id | Status | Action | Owner | Due | Done",
            ],
        ),
        (
            "action-plan.docx",
            "Action plan",
            &[
                "Goals",
                "1. Target",
                "2. Legislative framework",
                "3. Partnerships",
                "4. Outcomes measurement",
            ],
            &["Id | Status | Action | Owner | Due | Done"],
        ),
    ];
    for (file, title, headings, tables) in cases {
        let Some(read) = read(&dir.join(file)) else {
            return;
        };
        let lines: Vec<Vec<&str>> = read.lines().map(|l| l.split('\t').collect()).collect();
        let has = |kind: &str, rest: &[&str]| {
            lines
                .iter()
                .any(|l| l.first() == Some(&kind) && l[1..].starts_with(rest))
        };
        assert!(
            has("heading", &["1", title]),
            "{file}: no title heading\n{read}"
        );
        for h in headings {
            assert!(
                has("heading", &["2", h]),
                "{file}: no heading {h:?}\n{read}"
            );
        }
        for header_row in tables {
            assert!(
                lines
                    .iter()
                    .any(|l| l.first() == Some(&"table") && l.get(2) == Some(header_row)),
                "{file}: no table headed {header_row:?}\n{read}"
            );
        }
        assert!(has("page", &["210x297"]), "{file}: not A4\n{read}");
        assert!(has("header", &["OFFICIAL-SENSITIVE"]), "{file}\n{read}");
        assert!(has("footer", &["OFFICIAL-SENSITIVE"]), "{file}\n{read}");
        let footer = lines
            .iter()
            .find(|l| l[0] == "footer" && l[1].contains("Page"))
            .unwrap_or_else(|| panic!("{file}: no page numbers\n{read}"));
        assert!(
            footer[1].starts_with("Issued 1 November 2026 · ") && footer[1].contains(" of "),
            "{file}: {footer:?}"
        );
    }
    // Record text stays text: the hostile action is one cell, as written.
    let plan = read(&dir.join("action-plan.docx")).expect("read once already");
    assert!(
        plan.lines()
            .any(|l| l.starts_with("row\t") && l.contains(&format!("| {HOSTILE} |"))),
        "{plan}"
    );
}
