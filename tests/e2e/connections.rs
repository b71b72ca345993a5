//! Connected contexts: one child in several contexts (defined once, linked
//! by `ref` elsewhere), `related_contexts:`, the map, and each young
//! person's own page, through the binary on the clean fixture with a second
//! context beside it.

use crate::common::{TODAY, TestCasebook, line_of, tree};
use contextpack::summary::Quarter;

const CONTEXT: &str = "cases/harbour-walk/context.yaml";
const SCHOOL: &str = "cases/quay-school/context.yaml";

/// A school context beside Harbour Walk: `young_people` and
/// `related` are YAML lines under those keys (empty for none).
fn with_school(cb: &TestCasebook, young_people: &str, related: &str) {
    let related = if related.is_empty() {
        String::new()
    } else {
        format!("related_contexts:\n{related}")
    };
    cb.write(
        SCHOOL,
        format!(
            "type: school\ntitle: Quay Street Academy\narea: Waterside\nopened: 2026-06-01\n\
             lead_practitioner: jo-smith\nharms: [criminal-exploitation]\nyoung_people:\n{young_people}{related}"
        ),
    );
}

const LINK_YP_A: &str = "  - { ref: YP-A, role: affected }\n";
const OWN_CHILD: &str = "  - { ref: YP-Q, name: Riley Quayle, born: 2011-03, role: affected }\n";
const ATTENDS: &str = "  - { context: harbour-walk, relation: attends }\n";

fn build(cb: &TestCasebook, out: &str) -> std::process::Output {
    cb.cmd(&["build", "--today", TODAY, "--out", out])
        .output()
        .expect("run build")
}

fn read(cb: &TestCasebook, path: &str) -> String {
    std::fs::read_to_string(cb.path().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
pub(crate) fn contexts_sharing_a_child_that_neither_lists() {
    let cb = TestCasebook::clean();
    with_school(&cb, &format!("{OWN_CHILD}{LINK_YP_A}"), "");
    let (code, report) = cb.check_json();
    let d = report.only("related-contexts");
    assert_eq!(
        (d.kind.as_str(), d.file.as_str()),
        ("warning", SCHOOL),
        "{d:#?}"
    );
    assert_eq!(d.line, line_of(&cb, SCHOOL, "ref: YP-A"), "{d:#?}");
    assert!(
        d.message
            .contains("`quay-school` and `harbour-walk` share 1 young person `YP-A`"),
        "{d:#?}"
    );
    assert!(
        d.help
            .as_deref()
            .unwrap_or("")
            .contains("context: harbour-walk"),
        "{d:#?}"
    );
    assert_eq!(code, 0);
}

#[test]
fn listing_the_relation_on_either_side_satisfies_it() {
    for (school, harbour) in [(ATTENDS, false), ("", true)] {
        let cb = TestCasebook::clean();
        with_school(&cb, &format!("{OWN_CHILD}{LINK_YP_A}"), school);
        if harbour {
            let text = cb.read(CONTEXT);
            cb.write(
                CONTEXT,
                format!(
                    "{text}related_contexts:\n  - {{ context: quay-school, relation: attends }}\n"
                ),
            );
        }
        let (code, report) = cb.check_json();
        assert_eq!(
            report.diagnostics(),
            vec![],
            "school lists it: {}",
            !harbour
        );
        assert_eq!(code, 0);
    }
}

#[test]
fn a_child_unlinked_from_one_context_no_longer_joins_the_two_today() {
    let cb = TestCasebook::clean();
    with_school(
        &cb,
        &format!("{OWN_CHILD}  - {{ ref: YP-A, role: affected, unlinked: 2026-10-01 }}\n"),
        "",
    );
    let (code, report) = cb.check_json();
    assert_eq!(report.diagnostics(), vec![]);
    assert_eq!(code, 0);
}

#[test]
fn a_link_that_no_context_defines_is_a_reference_error() {
    let cb = TestCasebook::clean();
    with_school(
        &cb,
        &format!("{OWN_CHILD}  - {{ ref: YP-Z, role: affected }}\n"),
        "",
    );
    let (code, report) = cb.check_json();
    let d = report.only("reference");
    assert_eq!(
        (d.file.as_str(), d.line),
        (SCHOOL, line_of(&cb, SCHOOL, "ref: YP-Z"))
    );
    assert!(
        d.message.contains("no other context defines them"),
        "{d:#?}"
    );
    assert!(
        d.help.as_deref().unwrap_or("").contains("born: YYYY-MM"),
        "{d:#?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn two_definitions_of_one_ref_that_disagree_are_errors_at_both() {
    let cb = TestCasebook::clean();
    with_school(
        &cb,
        "  - { ref: YP-A, name: Jordan Exemple, age: 15, role: affected }\n",
        ATTENDS,
    );
    let (code, report) = cb.check_json();
    let mut found: Vec<(String, u64)> = report
        .diagnostics()
        .into_iter()
        .map(|d| {
            assert_eq!(d.rule, "reference", "{d:#?}");
            (d.file, d.line)
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            (CONTEXT.to_string(), line_of(&cb, CONTEXT, "ref: YP-A")),
            (SCHOOL.to_string(), line_of(&cb, SCHOOL, "ref: YP-A")),
        ]
    );
    assert_eq!(code, 1);
    // The same definition written twice is one child, not an error.
    with_school(
        &cb,
        "  - { ref: YP-A, name: Jordan Example, age: 15, role: affected }\n",
        ATTENDS,
    );
    let (code, report) = cb.check_json();
    assert_eq!(report.diagnostics(), vec![]);
    assert_eq!(code, 0);
}

#[test]
fn a_child_linked_from_two_contexts_is_counted_once() {
    let cb = TestCasebook::clean();
    let q: Quarter = "2026-Q3".parse().unwrap();
    let today = TODAY.parse().unwrap();
    let total = |cb: &TestCasebook| {
        let checked = contextpack::check_casebook(cb.path(), Some(today)).expect("loads");
        let t = contextpack::summary::aggregate::children_counts(&checked.casebook, q);
        t.cells.iter().flatten().sum::<u32>()
    };
    let alone = total(&cb);
    with_school(&cb, LINK_YP_A, ATTENDS);
    assert_eq!(
        total(&cb),
        alone,
        "YP-A linked from the school is still one child"
    );
    with_school(&cb, &format!("{OWN_CHILD}{LINK_YP_A}"), ATTENDS);
    assert_eq!(total(&cb), alone + 1, "the school's own child is counted");
}

#[test]
fn a_linked_child_the_map_and_their_own_page_through_build() {
    let cb = TestCasebook::clean();
    with_school(&cb, &format!("{OWN_CHILD}{LINK_YP_A}"), ATTENDS);
    let out = build(&cb, "output");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The school's page names the child from Harbour Walk's definition.
    let school = read(&cb, "output/restricted/quay-school/index.html");
    assert!(
        school.contains("Jordan Example"),
        "the link takes the definition's name"
    );
    assert!(school.contains(r#"href="../young_people/yp-a.html""#));
    assert!(
        school.contains(
            r#"<a href="../harbour-walk/index.html">Harbour Walk and the Quay Steps</a>"#
        )
    );

    // Each context page draws its part of the map, with the links as a table.
    for page in [
        "output/restricted/quay-school/index.html",
        "output/restricted/harbour-walk/index.html",
    ] {
        let html = read(&cb, page);
        assert!(
            html.contains(r#"<h2 id="connected">Connected contexts</h2>"#),
            "{page}"
        );
        assert!(html.contains("<svg"), "{page}");
        assert!(
            html.contains("attends; 1 young person shared"),
            "{page}: the table"
        );
        assert!(
            html.contains("attends \u{b7} 1 shared"),
            "{page}: the map's label"
        );
        assert!(!html.contains("<script"), "{page}");
    }

    // The dashboard's map holds both contexts.
    let dashboard = read(&cb, "output/index.html");
    assert!(dashboard.contains("Map of connected contexts"));
    assert!(dashboard.contains(r#"<a href="restricted/quay-school/index.html"><rect"#));

    // The child's own page: both contexts, roles, and the meetings while linked.
    let child = read(&cb, "output/restricted/young_people/yp-a.html");
    assert!(child.contains("Jordan Example"));
    assert!(
        child.contains("Quay Street Academy") && child.contains("Harbour Walk and the Quay Steps")
    );
    assert!(child.contains("../harbour-walk/2026-06-10-initial/minutes.html"));
    assert!(read(&cb, "output/restricted/young_people/yp-q.html").contains("Riley Quayle"));
}

#[test]
fn an_edit_in_the_defining_context_reaches_the_linked_one_incrementally() {
    let cb = TestCasebook::clean();
    with_school(&cb, &format!("{OWN_CHILD}{LINK_YP_A}"), ATTENDS);
    assert!(build(&cb, "output").status.success());
    cb.edit(CONTEXT, "name: Jordan Example", "name: Jordan Sample");
    assert!(build(&cb, "output").status.success());
    let school = read(&cb, "output/restricted/quay-school/index.html");
    assert!(
        school.contains("Jordan Sample"),
        "the school's page follows the definition"
    );
    // And the rebuilt folder is the folder a clean build makes.
    assert!(build(&cb, "clean-output").status.success());
    let strip = |t: std::collections::BTreeMap<String, Vec<u8>>| {
        t.into_iter()
            .filter(|(p, _)| !p.starts_with(".contextpack-cache"))
            .collect::<Vec<_>>()
    };
    let (a, b) = (
        strip(tree(&cb.path().join("output"))),
        strip(tree(&cb.path().join("clean-output"))),
    );
    let names = |t: &Vec<(String, Vec<u8>)>| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{path} differs between the incremental and the clean build"
        );
    }
}
