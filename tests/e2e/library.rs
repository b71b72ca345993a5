//! The commands as library calls: `build`, `report` and `status` each
//! return a structured outcome (what was written, held back, failed and
//! why), which the command line only prints.

use crate::common::{TODAY, TestCasebook};
use contextpack::build::command::{self, Request, Stopped, Unstarted};
use contextpack::build::one_quarter;
use contextpack::due::{self, StatusError, Who};
use contextpack::model::Date;

fn today() -> Date {
    TODAY.parse().expect("TODAY is a date")
}

fn request(cb: &TestCasebook, keep_going: bool) -> Request<'_> {
    Request {
        casebook: cb.path(),
        out: None,
        today: Some(today()),
        keep_going,
        reissue: &[],
    }
}

/// Makes the harbour-walk context fail `check`.
fn break_record(cb: &TestCasebook) {
    cb.edit(
        "cases/harbour-walk/conferences/2026-09-09-review.md",
        "status: held",
        "status: hold",
    );
}

#[test]
fn build_returns_what_it_wrote() {
    let cb = TestCasebook::clean();
    let outcome = command::run(&request(&cb, false), None).expect("starts");
    let built = outcome.result.as_ref().expect("builds");
    assert_eq!(built.contexts, 1);
    assert!(built.rendered > 0 && built.documents >= built.rendered);
    assert!(outcome.gate.all_clear());
    assert!(!outcome.summaries_withheld());
    assert_eq!(outcome.exit_code(), 0);
    assert!(cb.path().join("output/manifest.json").is_file());

    let again = command::run(&request(&cb, false), None).expect("starts");
    let rebuilt = again.result.as_ref().expect("builds");
    assert!(rebuilt.unchanged, "nothing changed: left as it was");
    assert_eq!(rebuilt.rendered, 0);
}

#[test]
fn build_says_what_it_held_back_and_why() {
    let cb = TestCasebook::clean();
    break_record(&cb);
    for keep_going in [false, true] {
        let outcome = command::run(&request(&cb, keep_going), None).expect("starts");
        assert!(matches!(outcome.result, Err(Stopped::HeldBack)));
        assert_eq!(outcome.exit_code(), 1);
        let held: Vec<&str> = outcome
            .gate
            .held_back
            .iter()
            .map(|h| h.context.as_str())
            .collect();
        assert_eq!(held, ["cases/harbour-walk"], "keep going: {keep_going}");
        assert!(outcome.gate.held_back[0].errors > 0);
        assert!(
            outcome
                .checked
                .diagnostics
                .iter()
                .any(|d| d.rule.as_str() == "schema"),
            "the findings come with the outcome"
        );
    }
    assert!(!cb.path().join("output").exists(), "nothing written");
}

#[test]
fn build_refuses_a_missing_casebook_before_starting() {
    let cb = TestCasebook::clean();
    let missing = cb.path().join("no-such-folder");
    let req = Request {
        casebook: &missing,
        ..request(&cb, false)
    };
    assert!(matches!(
        command::run(&req, None),
        Err(Unstarted::Casebook(_))
    ));
}

#[test]
fn report_returns_the_files_of_the_quarter() {
    let cb = TestCasebook::clean();
    let req = one_quarter::Request {
        casebook: cb.path(),
        out: None,
        today: Some(today()),
        quarter: "2026-Q3",
        forum: Some("mace-operational"),
        reissue: false,
    };
    let outcome = one_quarter::run(&req).expect("starts");
    let written = outcome.result.as_ref().expect("writes");
    assert_eq!(
        written,
        &[
            "anonymised/2026-Q3/mace-operational.csv",
            "anonymised/2026-Q3/mace-operational.html",
            "anonymised/2026-Q3/mace-operational.pdf",
        ]
    );
    let manifest = std::fs::read(cb.path().join("output/manifest.json")).expect("manifest");
    let m = contextpack::build::manifest::Manifest::read(&manifest).expect("one of ours");
    let paths: Vec<&str> = m.outputs.iter().map(|o| o.path.as_str()).collect();
    assert_eq!(
        paths,
        written.iter().map(String::as_str).collect::<Vec<_>>()
    );

    let bad = one_quarter::Request {
        quarter: "Q3 2026",
        ..req
    };
    assert!(matches!(
        one_quarter::run(&bad),
        Err(one_quarter::Unstarted::Quarter { .. })
    ));
    let bad = one_quarter::Request {
        forum: Some("mace"),
        ..req
    };
    assert!(matches!(
        one_quarter::run(&bad),
        Err(one_quarter::Unstarted::Forum { .. })
    ));
}

#[test]
fn status_names_the_nearest_id_for_one_it_does_not_know() {
    let cb = TestCasebook::clean();
    let status = due::status(cb.path(), Some(today()), Who::Everyone).expect("works out");
    assert_eq!(status.due.today, today());
    match due::status(cb.path(), Some(today()), Who::Agency("polce")) {
        Err(StatusError::Unknown { what, id, help }) => {
            assert_eq!((what, id.as_str()), ("agency", "polce"));
            assert_eq!(help, "did you mean `police`?");
        }
        other => panic!("{other:?}"),
    }
    match due::status(cb.path(), Some(today()), Who::Person("zzz")) {
        Err(StatusError::Unknown { help, .. }) => {
            assert!(
                help.starts_with("the people of contextpack.yaml are: "),
                "{help}"
            );
        }
        other => panic!("{other:?}"),
    }
}
