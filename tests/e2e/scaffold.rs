//! `contextpack init` and `contextpack new`, through the binary: what they
//! write, that it loads and checks the way a practitioner expects, and that
//! they never overwrite a record.

use crate::common::{Diag, TODAY, TestCasebook, line_of};
use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

fn contextpack() -> Command {
    let mut cmd = Command::cargo_bin("contextpack").expect("the contextpack binary is built");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// `created <casebook>/<rel>`, as `new` prints it when given --casebook.
fn created(cb: &TestCasebook, rel: &str) -> String {
    format!("created {}\n", cb.path().join(rel).display())
}

/// (rule, file) of every diagnostic, sorted, for comparing whole reports.
fn rules_and_files(diags: &[Diag]) -> Vec<(String, String)> {
    let mut out: Vec<_> = diags
        .iter()
        .map(|d| (d.rule.clone(), d.file.clone()))
        .collect();
    out.sort();
    out
}

/// A casebook made by `init`, with two people added by hand as the next step
/// tells the user to.
fn initialised() -> TestCasebook {
    let cb = TestCasebook::empty();
    contextpack()
        .args(["init", "--no-git", "--partnership", "Test Partnership"])
        .arg(cb.path())
        .assert()
        .success();
    cb.edit(
        "contextpack.yaml",
        "people:\n",
        "people:\n  \
         - { id: jo-smith, name: Jo Smith, agency: csc, roles: [lead-practitioner] }\n  \
         - { id: kim-davies, name: Kim Davies, agency: community-safety, \
         roles: [community-safety-partnership-manager] }\n",
    );
    cb
}

/// `new context quay` in `area`, led by jo-smith.
fn new_quay(cb: &TestCasebook, area: &str) {
    cb.cmd(&[
        "new",
        "context",
        "quay",
        "--type",
        "neighbourhood",
        "--title",
        "The quay",
        "--lead",
        "jo-smith",
        "--area",
        area,
    ])
    .assert()
    .success();
}

// ---------------------------------------------------------------- init

#[test]
fn init_writes_a_casebook_whose_one_finding_is_its_empty_people() {
    let cb = TestCasebook::empty();
    let dir = cb.path().join("casebook");
    let out = contextpack()
        .args(["init", "--no-git"])
        .arg(&dir)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for file in [
        "contextpack.yaml",
        "cases/",
        ".gitignore",
        "schemas/context.schema.json",
    ] {
        assert!(
            stdout.contains(&format!("created {}", dir.join(file).display())),
            "{stdout}"
        );
    }
    assert!(stdout.contains("next:"), "{stdout}");
    assert!(dir.join("cases").is_dir());
    assert!(!dir.join(".git").exists(), "--no-git made a repository");
    let settings = cb.read("casebook/contextpack.yaml");
    assert!(settings.contains("partnership: Example Safeguarding Children Partnership"));
    assert!(settings.contains("marking: OFFICIAL-SENSITIVE"));
    assert!(settings.contains("suppress_below: 6"));
    assert!(settings.contains("FORMAT.md, section \"contextpack.yaml\""));
    let ignore = cb.read("casebook/.gitignore");
    assert!(ignore.lines().any(|l| l == "/output/"), "{ignore}");

    // Nothing is wrong but the empty `people:`, which no record can pass.
    contextpack()
        .args(["check", "--casebook"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(contains("warning[people-listed]"))
        .stdout(contains("0 errors, 0 breaches, 1 warning"));
}

/// The git a test runs `init` with: a name to commit under, and nothing of
/// the machine's configuration.
fn with_git_identity(cmd: &mut assert_cmd::Command) -> &mut assert_cmd::Command {
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Jo Smith")
        .env("GIT_AUTHOR_EMAIL", "jo@example.org")
        .env("GIT_COMMITTER_NAME", "Jo Smith")
        .env("GIT_COMMITTER_EMAIL", "jo@example.org")
}

#[test]
fn init_makes_a_new_folder_a_repository_with_a_first_commit() {
    if crate::common::git(std::path::Path::new("."), &["--version"]).is_none() {
        eprintln!("git is not installed: skipped");
        return;
    }
    let cb = TestCasebook::empty();
    let dir = cb.path().join("casebook");
    with_git_identity(contextpack().arg("init").arg(&dir))
        .assert()
        .success()
        .stdout(contains("made a git repository with a first commit"));
    let log = crate::common::git(&dir, &["log", "--format=%s"]).expect("a repository");
    assert_eq!(log.trim(), "Start the casebook (contextpack init)");
    let files = crate::common::git(&dir, &["ls-files"]).unwrap();
    for f in [
        ".gitignore",
        "contextpack.yaml",
        "schemas/meeting.schema.json",
    ] {
        assert!(files.lines().any(|l| l == f), "{f} not committed: {files}");
    }
    // The build stamps its documents from that commit, read as files.
    contextpack()
        .args(["check", "--casebook"])
        .arg(&dir)
        .assert()
        .success();

    // Inside a repository already: init leaves git alone and says so.
    let inner = dir.join("nested");
    with_git_identity(contextpack().arg("init").arg(&inner))
        .assert()
        .success()
        .stdout(contains("inside a git repository already"));
    assert!(!inner.join(".git").exists());
}

#[test]
fn init_without_a_git_identity_keeps_the_repository_and_says_what_to_run() {
    if crate::common::git(std::path::Path::new("."), &["--version"]).is_none() {
        eprintln!("git is not installed: skipped");
        return;
    }
    let cb = TestCasebook::empty();
    let dir = cb.path().join("casebook");
    contextpack()
        .arg("init")
        .arg(&dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", cb.path())
        .env("EMAIL", "")
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env_remove("GIT_COMMITTER_NAME")
        .env_remove("GIT_COMMITTER_EMAIL")
        .env("GIT_AUTHOR_NAME", "")
        .assert()
        .success()
        .stdout(contains("`git commit` failed"))
        .stdout(contains("git config --global user.name"));
    assert!(dir.join(".git").is_dir());
    assert!(dir.join("contextpack.yaml").is_file());
}

#[test]
fn every_scaffold_names_the_schema_that_checks_it() {
    let cb = initialised();
    new_quay(&cb, "Stonehouse");
    cb.cmd(&[
        "new",
        "conference",
        "quay",
        "--date",
        "2026-11-20",
        "--chair",
        "kim-davies",
    ])
    .assert()
    .success();
    let files = [
        ("contextpack.yaml", "schemas/contextpack.schema.json"),
        (
            "cases/quay/context.yaml",
            "../../schemas/context.schema.json",
        ),
        ("cases/quay/plan.yaml", "../../schemas/plan.schema.json"),
        (
            "cases/quay/assessment.md",
            "../../schemas/assessment.schema.json",
        ),
        (
            "cases/quay/conferences/2026-11-20-initial.md",
            "../../../schemas/meeting.schema.json",
        ),
    ];
    for (file, schema) in files {
        let text = cb.read(file);
        let line = format!("# yaml-language-server: $schema={schema}");
        assert!(text.lines().take(2).any(|l| l == line), "{file}:\n{text}");
        let folder = std::path::Path::new(file).parent().unwrap();
        let target = cb.path().join(folder).join(schema);
        assert!(
            target.is_file(),
            "{file} names {} which is not there",
            target.display()
        );
    }
}

#[test]
fn init_adds_to_an_existing_gitignore_and_keeps_its_lines() {
    let cb = TestCasebook::empty();
    cb.write(".gitignore", "notes/\n/output\n");
    contextpack()
        .args(["init", "--no-git"])
        .arg(cb.path())
        .assert()
        .success()
        .stdout(contains("updated"));
    let ignore = cb.read(".gitignore");
    assert!(ignore.starts_with("notes/\n/output\n"), "{ignore}");
    // `/output` already covered the output folder: only the staging folders are added.
    assert_eq!(ignore.matches("output/").count(), 0, "{ignore}");
    assert!(ignore.contains("/.output-*"), "{ignore}");
}

#[test]
fn init_refuses_a_folder_that_holds_a_casebook() {
    let cb = TestCasebook::clean();
    let before = cb.read("contextpack.yaml");
    contextpack()
        .args(["init", "--no-git"])
        .arg(cb.path())
        .assert()
        .code(2)
        .stderr(contains("already holds a casebook"))
        .stderr(contains("help:"));
    assert_eq!(cb.read("contextpack.yaml"), before);
    assert!(!cb.path().join(".gitignore").exists());
}

#[test]
fn init_refuses_a_folder_with_records() {
    let cb = TestCasebook::clean();
    cb.remove("contextpack.yaml");
    contextpack()
        .args(["init", "--no-git"])
        .arg(cb.path())
        .assert()
        .code(2)
        .stderr(contains("already holds records in cases/"));
    assert!(!cb.path().join("contextpack.yaml").exists());
}

// ---------------------------------------------------------------- init, new, check

/// The whole path of a new casebook: every finding left is a "fill this in"
/// pointing at a line the practitioner has to write, and filling those in
/// makes the casebook clean.
#[test]
fn new_records_check_with_only_the_findings_left_to_fill_in() {
    let cb = initialised();
    cb.cmd(&[
        "new",
        "context",
        "harbour-walk",
        "--type",
        "neighbourhood",
        "--title",
        "Harbour Walk: the Quay Steps",
        "--lead",
        "jo-smith",
        "--area",
        "Waterside",
        "--opened",
        "2026-10-01",
    ])
    .assert()
    .success()
    .stdout(contains(created(&cb, "cases/harbour-walk/context.yaml")))
    .stdout(contains(created(&cb, "cases/harbour-walk/assessment.md")))
    .stdout(contains(created(&cb, "cases/harbour-walk/plan.yaml")))
    .stdout(contains("next:"));
    cb.cmd(&[
        "new",
        "conference",
        "harbour-walk",
        "--date",
        "2026-11-20",
        "--chair",
        "kim-davies",
        "--venue",
        "Waterside Community Centre",
    ])
    .assert()
    .success()
    .stdout(contains(created(
        &cb,
        "cases/harbour-walk/conferences/2026-11-20-initial.md",
    )));

    let (code, report) = cb.check_json();
    assert_eq!(code, 1);
    let diags = report.diagnostics();
    let assessment = "cases/harbour-walk/assessment.md".to_string();
    let conference = "cases/harbour-walk/conferences/2026-11-20-initial.md".to_string();
    let mut expected = vec![("schema".to_string(), assessment.clone())];
    expected.extend((0..13).map(|_| ("assessment-sections".to_string(), assessment.clone())));
    expected.push(("venue-agreed".to_string(), conference.clone()));
    expected.push(("weighting-rationale".to_string(), assessment.clone()));
    expected.sort();
    assert_eq!(rules_and_files(&diags), expected, "{diags:#?}");
    let schema = diags.iter().find(|d| d.rule == "schema").expect("schema");
    assert_eq!(
        schema.line,
        line_of(&cb, "cases/harbour-walk/assessment.md", "date:")
    );
    assert!(schema.message.contains("`date` is empty"), "{schema:?}");

    fill_in_assessment(&cb);
    cb.edit(
        "cases/harbour-walk/conferences/2026-11-20-initial.md",
        "venue_agreed_by: [kim-davies]",
        "venue_agreed_by: [kim-davies, Centre manager]",
    );
    let (code, report) = cb.check_json();
    assert_eq!(report.diagnostics(), vec![], "after filling in");
    assert_eq!(code, 0);
}

/// Fills the skeleton's blanks: the date, one weighting factor, and a line
/// under every heading it wrote.
fn fill_in_assessment(cb: &TestCasebook) {
    let file = "cases/harbour-walk/assessment.md";
    let text = cb.read(file);
    let (front, body) = text.split_at(text.find("\n## ").expect("sections"));
    let front = front
        .replace("date:    # FILL IN", "date: 2026-11-01    # FILL IN")
        .replace(
            "weighting: []",
            "weighting:\n  - { level: neighbourhood, factor: Unlit steps, weight: high, \
             rationale: Seen on four evenings }",
        );
    let body: String = body
        .lines()
        .map(|l| {
            if l.starts_with("## ") {
                format!("{l}\nWritten.\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    cb.write(file, format!("{front}{body}"));
}

#[test]
fn new_context_without_an_area_leaves_it_to_fill_in() {
    let cb = initialised();
    cb.cmd(&[
        "new",
        "context",
        "quay",
        "--type",
        "neighbourhood",
        "--title",
        "The quay",
        "--lead",
        "jo-smith",
    ])
    .assert()
    .success()
    .stdout(contains("the area"));
    let (_, report) = cb.check_json();
    let area: Vec<_> = report
        .diagnostics()
        .into_iter()
        .filter(|d| d.file == "cases/quay/context.yaml")
        .collect();
    assert_eq!(area.len(), 1, "{area:#?}");
    assert_eq!(area[0].rule, "schema");
    assert_eq!(
        area[0].line,
        line_of(&cb, "cases/quay/context.yaml", "area:")
    );
    let context = cb.read("cases/quay/context.yaml");
    assert!(context.contains("title: The quay\n"), "{context}");
}

#[test]
fn new_context_quotes_titles_that_yaml_would_misread() {
    let cb = initialised();
    cb.cmd(&[
        "new",
        "context",
        "no-2",
        "--type",
        "school",
        "--title",
        "No: #2 school",
        "--lead",
        "jo-smith",
        "--area",
        "yes",
        "--today",
        TODAY,
    ])
    .assert()
    .success();
    let context = cb.read("cases/no-2/context.yaml");
    assert!(context.contains("title: \"No: #2 school\"\n"), "{context}");
    assert!(context.contains("area: \"yes\""), "{context}");
    assert!(context.contains(&format!("opened: {TODAY}\n")), "{context}");
}

// ---------------------------------------------------------------- new conference

#[test]
fn a_review_follows_the_previous_conference_and_its_review_arrangements() {
    let cb = TestCasebook::clean();
    cb.remove("cases/harbour-walk/conferences/2026-12-02-review.md");
    // No --kind: the context has held conferences, so this is a review.
    cb.cmd(&["new", "conference", "harbour-walk", "--date", "2026-12-02"])
        .assert()
        .success()
        .stdout(contains(created(
            &cb,
            "cases/harbour-walk/conferences/2026-12-02-review.md",
        )));
    let text = cb.read("cases/harbour-walk/conferences/2026-12-02-review.md");
    for line in [
        "kind: review\n",
        "date: 2026-12-02\n",
        "status: scheduled ",
        "chair: kim-davies\n",
        "chair_role: community-safety-partnership-manager ",
        "venue: Waterside Community Centre\n",
        "venue_agreed_by: [kim-davies, Harbour trust manager]\n",
        "start: \"10:00\"",
        "end: \"12:00\"\n",
        // The agencies agreed at the review of 2026-09-09, with whom they sent then.
        "invited:\n  - { agency: csc, person: jo-smith }\n  \
         - { agency: police, person: sam-lee }\n  \
         - { agency: community-safety, person: kim-davies }\n  \
         - { agency: youth-service, name: Detached youth worker }\n#",
        // A review's agenda starts from the last meeting and ends with any
        // other business, filling the two hours with 35 minutes of plan.
        "  - { item: previous-minutes, minutes: 10 }\n  - { item: action-progress, minutes: 15 }\n",
        "  - { item: plan-discussion, minutes: 35 }\n",
        "  - { item: any-other-business, minutes: 5 }\n",
    ] {
        assert!(text.contains(line), "`{line}` not in:\n{text}");
    }
    // Education was not chosen for the review: the file says so, and so does check.
    assert!(
        text.contains("# Core agencies not invited: education"),
        "{text}"
    );
    let (code, report) = cb.check_json();
    assert_eq!(code, 0);
    assert_eq!(
        report.only("core-agencies").file,
        "cases/harbour-walk/conferences/2026-12-02-review.md"
    );
}

#[test]
fn a_review_on_another_day_than_agreed_is_written_with_a_note() {
    let cb = TestCasebook::clean();
    cb.cmd(&[
        "new",
        "conference",
        "harbour-walk",
        "--date",
        "2026-12-09",
        "--kind",
        "review",
    ])
    .assert()
    .success()
    .stdout(contains(
        "note: the conference of 2026-09-09 agreed its review for 2026-12-02",
    ));
}

#[test]
fn a_review_needs_a_held_conference_before_it() {
    let cb = TestCasebook::clean();
    cb.cmd(&[
        "new",
        "conference",
        "harbour-walk",
        "--date",
        "2026-06-01",
        "--kind",
        "review",
    ])
    .assert()
    .code(2)
    .stderr(contains("a review follows a held conference"))
    .stderr(contains("help: give --kind initial"));
}

#[test]
fn the_first_conference_is_an_initial_one_with_the_core_agencies() {
    let cb = initialised();
    new_quay(&cb, "Waterside");
    cb.cmd(&["new", "conference", "quay", "--date", "2026-11-20"])
        .assert()
        .success()
        .stdout(contains(created(
            &cb,
            "cases/quay/conferences/2026-11-20-initial.md",
        )))
        .stdout(contains("the venue, the chair, the chair's role"));
    let text = cb.read("cases/quay/conferences/2026-11-20-initial.md");
    assert!(text.contains("  - { agency: csc, person: jo-smith }\n  - { agency: education }\n"));
    // Who may chair a neighbourhood context, from the settings.
    assert!(
        text.contains("may chair: kim-davies (community-safety-partnership-manager)"),
        "{text}"
    );
    let (_, report) = cb.check_json();
    let conference: Vec<(String, u64)> = report
        .diagnostics()
        .into_iter()
        .filter(|d| d.file.ends_with("2026-11-20-initial.md"))
        .map(|d| (d.rule, d.line))
        .collect();
    let file = "cases/quay/conferences/2026-11-20-initial.md";
    let mut expected = vec![
        ("schema".to_string(), line_of(&cb, file, "venue:")),
        ("schema".to_string(), line_of(&cb, file, "chair:")),
        ("schema".to_string(), line_of(&cb, file, "chair_role:")),
        (
            "venue-agreed".to_string(),
            line_of(&cb, file, "venue_agreed_by:"),
        ),
    ];
    expected.sort();
    let mut conference = conference;
    conference.sort();
    assert_eq!(conference, expected);
}

#[test]
fn an_interim_meeting_has_a_short_agenda_and_no_chair() {
    let cb = TestCasebook::clean();
    cb.cmd(&[
        "new",
        "conference",
        "harbour-walk",
        "--date",
        "2026-10-20",
        "--kind",
        "interim",
        "--venue",
        "Online",
        "--today",
        TODAY,
    ])
    .assert()
    .success()
    .stdout(contains("note: 2026-10-20 is in the past"))
    .stdout(contains("who agreed the venue").not());
    let text = cb.read("cases/harbour-walk/conferences/2026-10-20-interim.md");
    assert!(text.contains("end: \"11:00\"\n"), "{text}");
    assert!(!text.contains("\nchair:"), "{text}");
    assert!(
        text.contains("  - { agency: csc, person: jo-smith }\n#"),
        "{text}"
    );
    let (code, report) = cb.check_json();
    assert_eq!(code, 0, "{:#?}", report.diagnostics());
}

#[test]
fn new_never_overwrites_a_record() {
    let cb = TestCasebook::clean();
    let file = "cases/harbour-walk/conferences/2026-12-02-review.md";
    let before = cb.read(file);
    cb.cmd(&["new", "conference", "harbour-walk", "--date", "2026-12-02"])
        .assert()
        .code(2)
        .stderr(contains(format!(
            "error: not written: the file {file} already exists"
        )))
        .stderr(contains("help: contextpack never overwrites a record"));
    assert_eq!(cb.read(file), before);

    let before = cb.read("cases/harbour-walk/context.yaml");
    cb.cmd(&[
        "new",
        "context",
        "harbour-walk",
        "--type",
        "school",
        "--title",
        "X",
        "--lead",
        "jo-smith",
    ])
    .assert()
    .code(2)
    .stderr(contains("the context `harbour-walk` already exists"));
    assert_eq!(cb.read("cases/harbour-walk/context.yaml"), before);
}

#[test]
fn typos_get_a_did_you_mean_and_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "new",
                "context",
                "x",
                "--type",
                "neighborhood",
                "--title",
                "X",
                "--lead",
                "jo-smith",
            ],
            "help: did you mean `neighbourhood`?",
        ),
        (
            &[
                "new", "context", "x", "--type", "school", "--title", "X", "--lead", "jo-smyth",
            ],
            "help: did you mean `jo-smith`?",
        ),
        (
            &[
                "new",
                "context",
                "Harbour Steps",
                "--type",
                "school",
                "--title",
                "X",
                "--lead",
                "jo-smith",
            ],
            "help: use lowercase letters, digits and hyphens: did you mean `harbour-steps`?",
        ),
        (
            &["new", "conference", "harbour-wallk", "--date", "2026-12-09"],
            "help: did you mean `harbour-walk`?",
        ),
        (
            &[
                "new",
                "conference",
                "harbour-walk",
                "--date",
                "2026-12-09",
                "--kind",
                "reveiw",
            ],
            "help: did you mean `review`?",
        ),
        (
            &[
                "new",
                "conference",
                "harbour-walk",
                "--date",
                "2026-12-09",
                "--chair",
                "kim-davis",
            ],
            "help: did you mean `kim-davies`?",
        ),
        (
            &["new", "conference", "harbour-walk", "--date", "2026-02-30"],
            "not a day of the calendar",
        ),
    ];
    for (args, help) in cases {
        let cb = TestCasebook::clean();
        cb.cmd(args).assert().code(2).stderr(contains(*help));
        assert!(
            !cb.path().join("cases/x").exists()
                && !cb
                    .path()
                    .join("cases/harbour-walk/conferences/2026-12-09-review.md")
                    .exists(),
            "{args:?} wrote something"
        );
    }
}

#[test]
fn new_outside_a_casebook_says_to_run_init() {
    let cb = TestCasebook::empty();
    cb.cmd(&[
        "new", "context", "x", "--type", "school", "--title", "X", "--lead", "jo-smith",
    ])
    .assert()
    .code(2)
    .stderr(contains("has no contextpack.yaml"))
    .stderr(contains("`contextpack init` creates a new casebook"));
    assert!(!cb.path().join("cases").exists());
}

#[test]
fn a_conference_after_the_context_closed_is_written_with_a_note() {
    let cb = TestCasebook::clean();
    cb.edit(
        "cases/harbour-walk/context.yaml",
        "opened: 2026-05-20\n",
        "opened: 2026-05-20\nclosed: 2026-11-15\n",
    );
    cb.cmd(&[
        "new",
        "conference",
        "harbour-walk",
        "--date",
        "2026-12-09",
        "--today",
        TODAY,
    ])
    .assert()
    .success()
    .stdout(contains(
        "note: cases/harbour-walk closed on 2026-11-15: a closed context needs no further review",
    ))
    .stdout(contains("is in the past").not());
}

/// `init` names no place but the partnership's: the terms of reference's
/// forums with neutral names unless `--forum ID=NAME` gives the
/// partnership's own, which the new casebook then uses.
#[test]
fn init_writes_neutral_forums_or_the_ones_it_is_given() {
    let dir = tempfile::tempdir().expect("temp dir");
    let torbay = dir.path().join("torbay");
    contextpack()
        .args(["init", "--no-git"])
        .arg(&torbay)
        .args(["--partnership", "Torbay Safeguarding Children Partnership"])
        .assert()
        .success();
    let settings = std::fs::read_to_string(torbay.join("contextpack.yaml")).expect("read");
    let forums = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.strip_prefix("  - id: "))
            .map(str::to_string)
            .filter(|id| {
                ["mace-operational", "csp", "mace-strategic", "mace"].contains(&id.as_str())
            })
            .collect()
    };
    assert!(!settings.contains("Safer Plymouth"), "{settings}");
    assert_eq!(
        forums(&settings),
        ["mace-operational", "csp", "mace-strategic"]
    );

    let own = dir.path().join("own");
    contextpack()
        .args(["init", "--no-git"])
        .arg(&own)
        .args(["--forum", "csp=Safer Torbay Partnership"])
        .args(["--forum", "mace=Torbay MACE panel"])
        .assert()
        .success();
    let settings = std::fs::read_to_string(own.join("contextpack.yaml")).expect("read");
    assert_eq!(forums(&settings), ["csp", "mace"]);
    assert!(
        settings.contains("name: Safer Torbay Partnership"),
        "{settings}"
    );
    contextpack()
        .args(["check", "--casebook"])
        .arg(&own)
        .assert()
        .stdout(predicates::str::contains("forum").not())
        .stderr(predicates::str::contains("forum").not());

    contextpack()
        .args(["init", "--no-git"])
        .arg(dir.path().join("bad"))
        .args(["--forum", "Safer Torbay=x"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not an id"));
    assert!(!dir.path().join("bad").exists());
}

/// A scaffold's commented examples are valid YAML where they stand: taking
/// the `#` off the young person's and the goal's lines gives records that
/// read, with no syntax error.
#[test]
fn uncommented_examples_of_the_scaffolds_read() {
    let cb = initialised();
    cb.cmd(&[
        "new",
        "context",
        "harbour-walk",
        "--type",
        "neighbourhood",
        "--title",
        "Harbour Walk",
        "--lead",
        "jo-smith",
        "--area",
        "Waterside",
        "--opened",
        "2026-10-01",
    ])
    .assert()
    .success();
    let uncomment = |file: &str, first: &str, lines: usize| {
        let text = cb.read(file);
        let mut out = Vec::new();
        let mut left = 0;
        for line in text.lines() {
            if line.starts_with(first) {
                left = lines;
            }
            if left > 0 {
                out.push(line.replacen('#', "", 1));
                left -= 1;
            } else {
                out.push(line.to_string());
            }
        }
        cb.write(file, out.join("\n") + "\n");
    };
    uncomment("cases/harbour-walk/context.yaml", "#  - ref: YP-A", 5);
    uncomment("cases/harbour-walk/plan.yaml", "#  - id: g1", 2);
    assert!(
        cb.read("cases/harbour-walk/context.yaml")
            .contains("\n  - ref: YP-A\n")
    );
    let (_, report) = cb.check_json();
    let in_records: Vec<_> = report
        .diagnostics()
        .into_iter()
        .filter(|d| d.rule == "schema")
        .filter(|d| d.file.ends_with("context.yaml") || d.file.ends_with("plan.yaml"))
        .collect();
    assert!(in_records.is_empty(), "{in_records:#?}");
}

/// `contextpack move` records a moved conference as the protocol wants it:
/// the old record marked moved with reason and consent, a new scheduled
/// record for the new day with the same invitations; the result checks
/// clean. A day `moved-within` refuses, a meeting no longer scheduled and
/// an existing file are refused with nothing written; the reason is text.
#[test]
fn move_marks_the_meeting_moved_and_writes_the_new_day() {
    let cb = TestCasebook::clean();
    let old = "cases/harbour-walk/conferences/2026-12-02-review.md";
    let new = "cases/harbour-walk/conferences/2026-12-09-review.md";
    let before = cb.read(old);
    cb.cmd(&[
        "move",
        "harbour-walk",
        "2026-12-02-review",
        "--to",
        "2026-12-30",
        "--reason",
        "x",
        "--chair-consent",
        "--today",
        "2026-11-01",
    ])
    .assert()
    .code(2)
    .stderr(contains("between 2026-12-03 and 2026-12-16"));
    assert_eq!(cb.read(old), before, "nothing written");

    cb.cmd(&[
        "move",
        "harbour-walk",
        "2026-12-02-review",
        "--to",
        "2026-12-09",
        "--reason",
        "Chair at a \"strategic\" meeting }\nstatus: held",
        "--chair-consent",
        "--today",
        "2026-11-01",
    ])
    .assert()
    .success()
    .stdout(contains(created(&cb, new)));
    let moved = cb.read(old);
    assert!(moved.contains("status: moved\nmoved: { to: 2026-12-09, chair_consent: true, reason: \"Chair at a \\\"strategic\\\" meeting } status: held\" }\n"), "{moved}");
    let fresh = cb.read(new);
    assert!(
        fresh.contains("date: 2026-12-09  # moved from 2026-12-02\n"),
        "{fresh}"
    );
    assert!(fresh.contains("status: scheduled"), "{fresh}");
    assert!(
        fresh.contains("{ agency: youth-service, name: Detached youth worker }"),
        "{fresh}"
    );
    let (exit, report) = cb.check_json();
    assert_eq!(exit, 0, "{:#?}", report.diagnostics());

    cb.cmd(&[
        "move",
        "harbour-walk",
        "2026-12-02-review",
        "--to",
        "2026-12-10",
        "--reason",
        "again",
        "--today",
        "2026-11-01",
    ])
    .assert()
    .code(2)
    .stderr(contains("is moved, not scheduled"));
    cb.cmd(&[
        "move",
        "harbour-walk",
        "2026-12-09-review",
        "--to",
        "2026-12-09",
        "--reason",
        "same day",
        "--today",
        "2026-11-01",
    ])
    .assert()
    .code(2);
}
