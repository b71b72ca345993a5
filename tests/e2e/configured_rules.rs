//! `rules:` in contextpack.yaml: a partnership's own level for a rule,
//! applied everywhere a finding goes, and printed wherever it matters.

use crate::common::{TestCasebook, tree};
use crate::rules::police_absent_and_unrepresented;

const NEXT: &str = "cases/harbour-walk/conferences/2026-12-02-review.md";

/// The clean fixture with a representation breach (police absent, no one
/// in their place) and a venue-agreed warning.
fn breaking_two_rules() -> TestCasebook {
    let cb = TestCasebook::clean();
    police_absent_and_unrepresented(&cb);
    cb.edit(
        NEXT,
        "venue_agreed_by: [kim-davies, Harbour trust manager]",
        "venue_agreed_by: [Harbour trust manager]",
    );
    cb
}

fn with_rules(cb: &TestCasebook, rules: &str) {
    let settings = cb.read("contextpack.yaml");
    cb.write("contextpack.yaml", format!("{settings}\nrules:\n{rules}"));
}

#[test]
fn a_partnership_lowers_a_breach_with_a_reason_and_turns_a_warning_off() {
    let cb = breaking_two_rules();
    let (code, report) = cb.check_json();
    assert_eq!(
        code,
        1,
        "the breach fails the check: {:#?}",
        report.diagnostics()
    );
    assert_eq!(report.rules(), ["representation", "venue-agreed"]);

    let reason = "Police attend by report only under the 2026 county-lines protocol";
    with_rules(
        &cb,
        &format!(
            "  venue-agreed: off\n  representation: {{ level: warning, reason: \"{reason}\" }}\n"
        ),
    );
    let (code, report) = cb.check_json();
    let d = report.only("representation");
    assert_eq!(d.kind, "warning", "{d:#?}");
    assert_eq!(code, 0, "a warning does not fail the check");

    // `rules` marks what this casebook changed; `explain` says so too.
    let out = cb.cmd(&["rules"]).output().expect("run contextpack");
    let table = String::from_utf8_lossy(&out.stdout);
    let line = table
        .lines()
        .find(|l| l.starts_with("venue-agreed "))
        .expect("venue-agreed listed");
    assert!(line.ends_with("[this casebook: off]"), "{table}");
    assert!(table.contains(&format!(
        "representation is warning (a breach in the protocol): {reason}"
    )));
    let out = cb
        .cmd(&["explain", "representation"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("sets `representation: warning` under rules"),
        "{text}"
    );

    // Built, every document says the protocol was changed, and why.
    cb.build_ok();
    let files = tree(&cb.path().join("output"));
    let page = String::from_utf8_lossy(&files["restricted/harbour-walk/index.html"]);
    assert!(
        page.contains("This partnership has changed the protocol"),
        "{page}"
    );
    assert!(page.contains(reason), "{page}");
    assert!(page.contains("<code>venue-agreed</code> (a warning in the protocol) is turned off"));
    let summary = files
        .iter()
        .find(|(path, _)| path.starts_with("anonymised/2026-Q2/") && path.ends_with(".html"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .expect("a summary of the initial conference's quarter");
    assert!(summary.contains("changes to the protocol"), "{summary}");
    // The one absence of the quarter, counted beside the reason.
    let row = summary
        .lines()
        .find(|l| l.contains(reason))
        .expect("the representation change is listed");
    assert!(
        row.contains(r#"<td class="num" data-label="Findings">1</td>"#),
        "{row}"
    );
}

#[test]
fn errors_stay_errors_and_a_lowered_breach_needs_a_reason() {
    let cb = TestCasebook::clean();
    with_rules(
        &cb,
        "  schema: off\n  representation: warning\n  venue-agreed: loud\n  venue-agred: off\n",
    );
    let (code, report) = cb.check_json();
    assert_eq!(code, 1);
    let messages: Vec<String> = report
        .diagnostics()
        .into_iter()
        .filter(|d| d.rule == "schema" && d.file == "contextpack.yaml")
        .map(|d| d.message)
        .collect();
    assert_eq!(
        messages,
        [
            "`schema` finds errors, and an error cannot be lowered or turned off",
            "`representation: warning` lowers a breach of the terms of reference, and needs a reason",
            "unknown level `loud` for rule `venue-agreed`",
            "unknown rule `venue-agred` in `rules`",
        ],
        "{:#?}",
        report.diagnostics()
    );
}
