//! What was sent is on record: `contextpack publish` writes
//! `published/<quarter>/<forum>.yaml`; a later build that would change a
//! summary a forum holds is refused unless it reissues the quarter, and a
//! reissue is marked and audited against the issue it replaces (case 4 of
//! the disclosure issue), by the independent attacker of
//! [`crate::attacker`].

use crate::attacker::{Table, findings, read_table, show};
use crate::common::{TestCasebook, line_of, tree};
use crate::disclosure::{build, many, released, text, with_children};
use std::process::Output;

const TODAY: &str = "2026-10-12";

fn run(cb: &TestCasebook, args: &[&str]) -> Output {
    cb.cmd(args).output().expect("run contextpack")
}

fn publish(cb: &TestCasebook, quarter: &str) -> Output {
    run(cb, &["publish", "--quarter", quarter, "--today", TODAY])
}

/// 18 affected children, 6 in each of three bands, since the context
/// opened in Q2: every count shown in Q2 and Q3.
fn eighteen() -> TestCasebook {
    let mut children = many("affected", 12, 6);
    children.extend(many("affected", 14, 6));
    children.extend(many("affected", 16, 6));
    with_children(&children)
}

/// One more affected child aged 15 with no `linked:` date: counted from the
/// context's opening, so in Q2 and Q3 too.
fn add_a_child_without_a_date(cb: &TestCasebook) {
    let file = "cases/harbour-walk/context.yaml";
    let yaml = cb.read(file);
    let extra =
        "young_people:\n  - ref: YP-Z9\n    name: Quinn Extra\n    age: 15\n    role: affected\n";
    cb.write(file, yaml.replacen("young_people:\n", extra, 1));
}

fn csv_table(cb: &TestCasebook, quarter: &str) -> Table {
    let csv = std::fs::read_to_string(
        cb.path()
            .join(format!("output/anonymised/{quarter}/safer-plymouth.csv")),
    )
    .expect("read csv");
    read_table(&csv)
}

fn sha256_of(path: &std::path::Path) -> String {
    use sha2::{Digest, Sha256};
    format!("{:x}", Sha256::digest(std::fs::read(path).expect("read")))
}

#[test]
fn publish_records_each_forum_with_the_hashes_of_what_was_built() {
    let cb = eighteen();
    build(&cb, TODAY);
    let out = publish(&cb, "2026-Q2");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("recorded issue 1 of 2026-Q2 in published/2026-Q2/safer-plymouth.yaml"),
        "{stdout}"
    );
    for forum in ["mace-operational", "mace-strategic", "safer-plymouth"] {
        let record = cb.read(&format!("published/2026-Q2/{forum}.yaml"));
        for ext in ["csv", "html", "pdf"] {
            let file = cb
                .path()
                .join(format!("output/anonymised/2026-Q2/{forum}.{ext}"));
            let line = format!("      {ext}: {}\n", sha256_of(&file));
            assert!(record.contains(&line), "{forum}.{ext}:\n{record}");
        }
        assert!(record.contains("        - [6, 6, 6, 0, 18]\n"), "{record}");
        assert!(record.contains("    published: 2026-10-12\n"), "{record}");
    }
    // The record reads back cleanly, and a build with it changes nothing.
    let (code, report) = cb.check_json_on(TODAY);
    assert_eq!((code, report.rules()), (0, vec![]));
    let before = tree(&cb.path().join("output/anonymised"));
    build(&cb, TODAY);
    assert_eq!(before, tree(&cb.path().join("output/anonymised")));
    // Publishing again adds nothing.
    let again = publish(&cb, "2026-Q2");
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(
        text(&again).contains("already records issue 1 with these figures"),
        "{}",
        text(&again)
    );
    assert_eq!(
        cb.read("published/2026-Q2/safer-plymouth.yaml")
            .matches("- issue:")
            .count(),
        1
    );
}

#[test]
pub(crate) fn a_changed_published_summary_is_refused_without_reissue() {
    let cb = eighteen();
    build(&cb, TODAY);
    for q in ["2026-Q2", "2026-Q3"] {
        let out = publish(&cb, q);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    }
    add_a_child_without_a_date(&cb);
    let before = tree(&cb.path().join("output"));
    let out = run(&cb, &["build", "--today", TODAY]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("error[published-summary]"), "{all}");
    let file = "published/2026-Q2/safer-plymouth.yaml";
    let line = line_of(&cb, file, "- issue: 1");
    assert!(all.contains(&format!("{file}:{line}:")), "{all}");
    assert!(all.contains("was sent on 2026-10-12 (issue 1)"), "{all}");
    assert!(all.contains("--reissue 2026-Q2"), "{all}");
    // One error per forum and quarter; nothing was written.
    assert_eq!(all.matches("error[published-summary]").count(), 6, "{all}");
    assert_eq!(before, tree(&cb.path().join("output")));
    // `report` refuses the same way.
    let out = run(&cb, &["report", "--quarter", "2026-Q3", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("error[published-summary]"));
    assert_eq!(before, tree(&cb.path().join("output")));
}

#[test]
fn a_reissue_is_marked_and_gives_no_child_away_against_the_issue_it_replaces() {
    // Case 4: a child added today rewrote Q2 and Q3, and comparing the two
    // copies gave the new child's role and age band away.
    let cb = eighteen();
    build(&cb, TODAY);
    for q in ["2026-Q2", "2026-Q3"] {
        assert_eq!(publish(&cb, q).status.code(), Some(0));
    }
    let first: Vec<Table> = ["2026-Q2", "2026-Q3"]
        .iter()
        .map(|q| csv_table(&cb, q))
        .collect();
    assert_eq!(show(&first[1])[0], "6 6 6 0 | 18");
    add_a_child_without_a_date(&cb);
    // Publishing is refused while the output is the first issue's.
    let stale = publish(&cb, "2026-Q2");
    assert_eq!(stale.status.code(), Some(1), "{}", text(&stale));
    assert!(text(&stale).contains("not the one today's records give"));
    let out = run(
        &cb,
        &[
            "build",
            "--today",
            TODAY,
            "--reissue",
            "2026-Q2",
            "--reissue",
            "2026-Q3",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let html = cb.read("output/anonymised/2026-Q3/safer-plymouth.html");
    assert!(
        html.contains("Reissued: this is issue 2 of this summary, replacing the one sent on Monday 12 October 2026"),
        "{html}"
    );
    let now: Vec<Table> = ["2026-Q2", "2026-Q3"]
        .iter()
        .map(|q| csv_table(&cb, q))
        .collect();
    // Each reissue against everything sent before it: both first issues,
    // and for Q3 the Q2 reissue too.
    let q2 = findings(&now[0], &first, 6);
    assert!(q2.is_empty(), "{:?}\n{q2:?}", show(&now[0]));
    let q3 = findings(&now[1], &[first[0], first[1], now[0]], 6);
    assert!(q3.is_empty(), "{:?}\n{q3:?}", show(&now[1]));
    assert_ne!(show(&now[1])[0], "6 7 6 0 | 19");
    println!(
        "case 4: Q3 first issue {:?}; reissue {:?}",
        show(&first[1]),
        show(&now[1])
    );
    // Recorded as issue 2; then a plain build keeps the mark and the bytes.
    for q in ["2026-Q2", "2026-Q3"] {
        let out = publish(&cb, q);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        assert!(String::from_utf8_lossy(&out.stdout).contains("reissue (issue 2)"));
    }
    let record = cb.read("published/2026-Q3/safer-plymouth.yaml");
    assert_eq!(record.matches("- issue:").count(), 2, "{record}");
    let before = tree(&cb.path().join("output/anonymised"));
    build(&cb, TODAY);
    assert_eq!(before, tree(&cb.path().join("output/anonymised")));
    // The data notes say figures once sent are final.
    assert!(html.contains("summary has been sent its figures are final"));
    let releases = released(cb.path());
    assert_eq!(releases.len(), 2);
}

#[test]
fn a_quarter_in_progress_is_not_published() {
    let cb = eighteen();
    build(&cb, "2026-09-20");
    let out = run(
        &cb,
        &["publish", "--quarter", "2026-Q3", "--today", "2026-09-20"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("2026-Q3 has not ended: it runs to 2026-09-30"));
    assert!(!cb.path().join("published").exists());
    // Nor before the summaries are built.
    let fresh = eighteen();
    let out = publish(&fresh, "2026-Q2");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("build the casebook first"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_damaged_published_record_is_an_error_at_its_line() {
    let cb = eighteen();
    build(&cb, TODAY);
    assert_eq!(publish(&cb, "2026-Q2").status.code(), Some(0));
    let file = "published/2026-Q2/safer-plymouth.yaml";
    let (good, bad) = (
        "        - [6, 6, 6, 0, 18]\n        - [0, 0, 0, 0, 0]",
        "        - [6, 6, 6, 0, 17]\n        - [0, 0, 0, 0, 0]",
    );
    cb.edit(file, good, bad);
    let (code, report) = cb.check_json_on(TODAY);
    assert_eq!(code, 1);
    let d = report.only("schema");
    assert_eq!(d.file, file);
    let table = line_of(&cb, file, "children:")..=line_of(&cb, file, "shown:");
    assert!(table.contains(&d.line), "{d:#?}");
    assert!(d.message.contains("does not add up"), "{d:#?}");
    cb.edit(file, bad, good);
    cb.edit(file, "  - issue: 1", "  - issue: one");
    let (code, report) = cb.check_json_on(TODAY);
    assert_eq!(code, 1);
    let d = report.only("schema");
    assert_eq!(
        (d.file.as_str(), d.line),
        (file, line_of(&cb, file, "issue: one"))
    );
    // A record filed under the wrong name, and a folder that is no quarter.
    cb.edit(file, "  - issue: one", "  - issue: 1");
    let text = cb.read(file);
    cb.write("published/2026-Q3/safer-plymouth.yaml", &text);
    cb.write("published/Q2/notes.yaml", "x: 1\n");
    let (code, report) = cb.check_json_on(TODAY);
    assert_eq!(code, 1);
    let rules = report.rules();
    assert!(rules.contains(&"schema".to_string()), "{rules:?}");
    assert!(rules.contains(&"file-name".to_string()), "{rules:?}");
}
