//! `contextpack build` end to end: the files it writes, the manifest, the
//! swap that leaves a failed build without effect, `--keep-going`, the commit
//! line, and the folders it refuses to replace.

use crate::common::{TODAY, TestCasebook, copy_dir, git, tree};
use contextpack::build::Renderer;
use contextpack::model::Date;
use contextpack::render::view::Views;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Every file the clean fixture's build writes.
/// Sorted, as a directory walk lists them. The fixture names no forums, so
/// the three default forums get a summary for each quarter with a held
/// meeting (2026-Q2 and 2026-Q3).
const CLEAN_FILES: &[&str] = &[
    // The incremental build's keys (src/build/cache.rs).
    ".contextpack-cache.json",
    "anonymised/2026-Q2/mace-operational.csv",
    "anonymised/2026-Q2/mace-operational.html",
    "anonymised/2026-Q2/mace-operational.pdf",
    "anonymised/2026-Q2/mace-strategic.csv",
    "anonymised/2026-Q2/mace-strategic.html",
    "anonymised/2026-Q2/mace-strategic.pdf",
    "anonymised/2026-Q2/safer-plymouth.csv",
    "anonymised/2026-Q2/safer-plymouth.html",
    "anonymised/2026-Q2/safer-plymouth.pdf",
    "anonymised/2026-Q3/mace-operational.csv",
    "anonymised/2026-Q3/mace-operational.html",
    "anonymised/2026-Q3/mace-operational.pdf",
    "anonymised/2026-Q3/mace-strategic.csv",
    "anonymised/2026-Q3/mace-strategic.html",
    "anonymised/2026-Q3/mace-strategic.pdf",
    "anonymised/2026-Q3/safer-plymouth.csv",
    "anonymised/2026-Q3/safer-plymouth.html",
    "anonymised/2026-Q3/safer-plymouth.pdf",
    "calendar.ics",
    "index.html",
    "manifest.json",
    "restricted/harbour-walk/2026-06-10-initial/agenda.docx",
    "restricted/harbour-walk/2026-06-10-initial/agenda.html",
    "restricted/harbour-walk/2026-06-10-initial/agenda.pdf",
    "restricted/harbour-walk/2026-06-10-initial/minutes.docx",
    "restricted/harbour-walk/2026-06-10-initial/minutes.html",
    "restricted/harbour-walk/2026-06-10-initial/minutes.pdf",
    "restricted/harbour-walk/2026-06-10-initial/pack.pdf",
    "restricted/harbour-walk/2026-07-15-interim/agenda.docx",
    "restricted/harbour-walk/2026-07-15-interim/agenda.html",
    "restricted/harbour-walk/2026-07-15-interim/agenda.pdf",
    "restricted/harbour-walk/2026-07-15-interim/minutes.docx",
    "restricted/harbour-walk/2026-07-15-interim/minutes.html",
    "restricted/harbour-walk/2026-07-15-interim/minutes.pdf",
    "restricted/harbour-walk/2026-09-09-review/agenda.docx",
    "restricted/harbour-walk/2026-09-09-review/agenda.html",
    "restricted/harbour-walk/2026-09-09-review/agenda.pdf",
    "restricted/harbour-walk/2026-09-09-review/minutes.docx",
    "restricted/harbour-walk/2026-09-09-review/minutes.html",
    "restricted/harbour-walk/2026-09-09-review/minutes.pdf",
    "restricted/harbour-walk/2026-09-09-review/pack.pdf",
    "restricted/harbour-walk/2026-12-02-review/agenda.docx",
    "restricted/harbour-walk/2026-12-02-review/agenda.html",
    "restricted/harbour-walk/2026-12-02-review/agenda.pdf",
    "restricted/harbour-walk/2026-12-02-review/pack.pdf",
    "restricted/harbour-walk/action-plan.docx",
    "restricted/harbour-walk/action-plan.html",
    "restricted/harbour-walk/action-plan.pdf",
    "restricted/harbour-walk/assessment.html",
    "restricted/harbour-walk/assessment.pdf",
    "restricted/harbour-walk/index.html",
    // Each young person's own page, across contexts.
    "restricted/young_people/yp-a.html",
    "restricted/young_people/yp-b.html",
];

const CONTEXT_PAGE: &str = "output/restricted/harbour-walk/index.html";

// ---------------------------------------------------------------- helpers

fn build(cb: &TestCasebook, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--today", TODAY];
    args.extend_from_slice(extra);
    cb.cmd(&args).output().expect("run contextpack build")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Fails with everything the command printed when the exit code differs.
fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
}

fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

fn manifest(dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("manifest.json")).expect("manifest.json");
    serde_json::from_str(&text).expect("manifest is JSON")
}

/// The names in a folder, sorted (to see temporary folders left behind).
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn sample() -> TestCasebook {
    TestCasebook::sample()
}

/// The clean fixture with a second context, `quay-two`: a copy of the first
/// with its own young people's references.
fn two_contexts() -> TestCasebook {
    let cb = TestCasebook::clean();
    copy_dir(
        &cb.path().join("cases/harbour-walk"),
        &cb.path().join("cases/quay-two"),
    );
    let file = "cases/quay-two/context.yaml";
    cb.edit(file, "ref: YP-A", "ref: YP-C")
        .edit(file, "ref: YP-B", "ref: YP-D")
        .edit(file, "title: Harbour Walk", "title: Second Quay");
    cb
}

/// Makes `file` malformed: an unknown field is an error.
fn break_record(cb: &TestCasebook, file: &str) {
    let text = cb.read(file);
    cb.write(file, format!("{text}colour: blue\n"));
}

fn have_git() -> bool {
    let found = Command::new("git").arg("--version").output().is_ok();
    if !found {
        println!("skipped: git is not installed");
    }
    found
}

fn read_text(cb: &TestCasebook, file: &str) -> String {
    std::fs::read_to_string(cb.path().join(file)).expect("read output file")
}

// ---------------------------------------------------------------- tests

#[test]
fn builds_every_document_of_the_clean_fixture() {
    let cb = TestCasebook::clean();
    let out = build(&cb, &[]);
    assert_exit(&out, 0);
    let line = stdout(&out);
    assert!(
        line.starts_with("built 52 documents for 1 context into ") && line.ends_with("output/\n"),
        "{line}"
    );
    assert!(
        stderr(&out).contains("no problems found"),
        "{}",
        stderr(&out)
    );

    let files = tree(&cb.path().join("output"));
    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(paths, CLEAN_FILES);
    assert_eq!(names(cb.path()), ["cases", "contextpack.yaml", "output"]);

    let m = manifest(&cb.path().join("output"));
    assert_eq!(m["built_for"], TODAY);
    let outputs = m["outputs"].as_array().expect("outputs");
    let listed: Vec<&str> = outputs
        .iter()
        .map(|o| o["path"].as_str().expect("path"))
        .collect();
    let documents: Vec<&str> = CLEAN_FILES
        .iter()
        .copied()
        .filter(|p| *p != "manifest.json" && *p != ".contextpack-cache.json")
        .collect();
    assert_eq!(listed, documents, "every document, sorted");
    for o in outputs {
        let bytes = &files[o["path"].as_str().expect("path")];
        assert_eq!(o["sha256"], sha256(bytes), "{o}");
        assert_eq!(o["bytes"], bytes.len(), "{o}");
        let inputs = o["inputs"].as_array().expect("inputs");
        assert!(inputs.contains(&"contextpack.yaml".into()), "{o}");
        // The assessment is the one document the plan does not reach.
        let is_assessment = o["path"]
            .as_str()
            .is_some_and(|p| p.contains("/assessment."));
        assert_eq!(
            inputs.contains(&"cases/harbour-walk/plan.yaml".into()),
            !is_assessment,
            "{o}"
        );
        assert_eq!(
            inputs.contains(&"cases/harbour-walk/assessment.md".into()),
            is_assessment
                || !o["path"]
                    .as_str()
                    .is_some_and(|p| p.contains("/action-plan.")),
            "{o}"
        );
    }
    for input in m["inputs"].as_array().expect("inputs") {
        let file = input["path"].as_str().expect("path");
        let bytes = std::fs::read(cb.path().join(file)).expect("input file");
        assert_eq!(input["sha256"], sha256(&bytes), "{file}");
    }
    for pdf in paths.iter().filter(|p| p.ends_with(".pdf")) {
        assert!(files[*pdf].starts_with(b"%PDF-"), "{pdf}");
    }
    for html in paths.iter().filter(|p| p.ends_with(".html")) {
        assert!(!files[*html].is_empty(), "{html} is empty");
    }
}

#[test]
fn the_context_page_links_to_every_document_beside_it() {
    let cb = TestCasebook::clean();
    assert_exit(&build(&cb, &[]), 0);
    let page = read_text(&cb, CONTEXT_PAGE);
    let context = "restricted/harbour-walk/";
    for file in CLEAN_FILES.iter().filter_map(|f| f.strip_prefix(context)) {
        if file != "index.html" {
            assert!(
                page.contains(&format!("href=\"{file}\"")),
                "no link to {file}"
            );
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let cb = sample();
    let out = cb.cmd(&["build"]).output().expect("build");
    assert_exit(&out, 0);
    let first = tree(&cb.path().join("output"));
    let out = cb.cmd(&["build"]).output().expect("build");
    assert_exit(&out, 0);
    let second = tree(&cb.path().join("output"));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(*bytes == second[path], "{path} differs between builds");
    }
    // The sample: 4 contexts, 12 meetings, one of them moved.
    assert!(
        stdout(&out).starts_with("built 133 documents for 4 contexts into "),
        "{}",
        stdout(&out)
    );
    let manifest = manifest(&cb.path().join("output"));
    assert_eq!(
        manifest["built_for"], "2026-11-27",
        "the sample's as_of date"
    );
}

#[test]
fn documents_deleted_from_the_output_are_made_again_as_they_were() {
    // Nothing changed in the records: the rebuild links what is still
    // there and renders what is gone. A pack binds its agenda, plan and
    // minutes, linked from the previous output or rendered again.
    let cb = sample();
    let output = cb.path().join("output");
    assert_exit(&cb.cmd(&["build"]).output().expect("build"), 0);
    let first = tree(&output);
    let context = output.join("restricted/north-prospect-group");
    for gone in [
        "2026-12-01-review/pack.pdf",
        "2026-09-03-initial/pack.pdf",
        "2026-09-03-initial/minutes.pdf",
    ] {
        std::fs::remove_file(context.join(gone)).expect(gone);
    }
    let out = cb.cmd(&["build"]).output().expect("build");
    assert_exit(&out, 0);
    let second = tree(&output);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(
            *bytes == second[path],
            "{path} differs from the first build"
        );
    }
}

#[test]
fn a_failing_casebook_leaves_the_previous_output_untouched() {
    let cb = TestCasebook::clean();
    assert_exit(&build(&cb, &[]), 0);
    let before = tree(&cb.path().join("output"));

    break_record(&cb, "cases/harbour-walk/context.yaml");
    let out = build(&cb, &[]);
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("error[schema]"), "{err}");
    assert!(err.contains("nothing was built"), "{err}");
    assert!(err.contains("--keep-going"), "{err}");
    assert!(stdout(&out).is_empty());
    assert!(tree(&cb.path().join("output")) == before, "output changed");
    assert_eq!(names(cb.path()), ["cases", "contextpack.yaml", "output"]);
}

#[test]
fn a_failing_casebook_writes_nothing_at_all() {
    let cb = TestCasebook::clean();
    break_record(&cb, "cases/harbour-walk/plan.yaml");
    assert_exit(&build(&cb, &[]), 1);
    assert_eq!(names(cb.path()), ["cases", "contextpack.yaml"]);
}

#[test]
fn keep_going_renders_the_contexts_that_check_clean() {
    let cb = two_contexts();
    break_record(&cb, "cases/quay-two/plan.yaml");
    let out = build(&cb, &["--keep-going"]);
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("not rendered: cases/quay-two (1 error)"),
        "{err}"
    );
    assert!(
        stdout(&out).starts_with("built 34 documents for 1 context"),
        "{}",
        stdout(&out)
    );
    // The context's 30 documents, the dashboard and the calendar; no
    // summaries, which would count a casebook with a context missing.
    assert!(err.contains("not rendered: anonymised summaries"), "{err}");
    let files = tree(&cb.path().join("output"));
    assert!(files.contains_key("restricted/harbour-walk/index.html"));
    assert!(files.contains_key("index.html") && files.contains_key("calendar.ics"));
    assert!(!files.keys().any(|p| p.starts_with("anonymised/")));
    assert!(!files.keys().any(|p| p.starts_with("restricted/quay-two")));
    let m = manifest(&cb.path().join("output"));
    assert_eq!(m["not_rendered"][0]["context"], "cases/quay-two");
    assert_eq!(m["not_rendered"][0]["errors"], 1);

    // Without --keep-going the same casebook builds nothing.
    let before = tree(&cb.path().join("output"));
    assert_exit(&build(&cb, &[]), 1);
    assert!(tree(&cb.path().join("output")) == before);
}

#[test]
fn keep_going_with_a_broken_settings_file_builds_nothing() {
    let cb = two_contexts();
    break_record(&cb, "contextpack.yaml");
    let out = build(&cb, &["--keep-going"]);
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("not rendered: any context, because of contextpack.yaml"),
        "{err}"
    );
    assert!(!cb.path().join("output").exists());
}

#[test]
fn a_successful_build_removes_stale_files() {
    let cb = two_contexts();
    assert_exit(&build(&cb, &[]), 0);
    cb.write("output/junk.html", "left over");
    cb.remove("cases/quay-two");
    let out = build(&cb, &[]);
    assert_exit(&out, 0);
    let files = tree(&cb.path().join("output"));
    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(paths, CLEAN_FILES, "junk and the removed context are gone");
    assert_eq!(names(cb.path()), ["cases", "contextpack.yaml", "output"]);
}

#[test]
fn a_moved_meeting_gets_no_documents() {
    let cb = TestCasebook::clean();
    let file = "cases/harbour-walk/conferences/2026-12-02-review.md";
    cb.edit(
        file,
        "status: scheduled",
        "status: moved\nmoved: { to: 2026-12-09, chair_consent: true, reason: Venue flooded }",
    );
    cb.write(
        "cases/harbour-walk/conferences/2026-12-09-review.md",
        cb.read(file)
            .replace("date: 2026-12-02", "date: 2026-12-09")
            .replace(
                "status: moved\nmoved: { to: 2026-12-09, chair_consent: true, reason: Venue flooded }",
                "status: scheduled",
            ),
    );
    let out = build(&cb, &[]);
    assert_exit(&out, 0);
    let files = tree(&cb.path().join("output"));
    assert!(!files.keys().any(|p| p.contains("2026-12-02-review")));
    assert!(files.contains_key("restricted/harbour-walk/2026-12-09-review/pack.pdf"));
}

#[test]
fn provenance_names_the_commit() {
    if !have_git() {
        return;
    }
    let cb = TestCasebook::clean();
    git(cb.path(), &["init", "-q"]);
    git(cb.path(), &["add", "-A"]);
    git(cb.path(), &["commit", "-q", "-m", "records"]);
    let short = git(cb.path(), &["rev-parse", "--short", "HEAD"]).unwrap_or_default();
    let full = git(cb.path(), &["rev-parse", "HEAD"]).unwrap_or_default();

    assert_exit(&build(&cb, &[]), 0);
    let committed = format!("records version {short}");
    let m = manifest(&cb.path().join("output"));
    assert_eq!(m["commit"]["hash"], full.as_str());
    assert_eq!(m["commit"]["short"], short.as_str());
    assert_eq!(m["commit"]["dirty"], false);
    assert_eq!(m["provenance"], committed.as_str());
    let page = read_text(&cb, CONTEXT_PAGE);
    assert!(page.contains(&committed), "{page}");
    assert!(!page.contains("uncommitted"), "{page}");

    // The output folder itself, untracked, does not make the tree dirty.
    assert_exit(&build(&cb, &[]), 0);
    assert_eq!(
        manifest(&cb.path().join("output"))["commit"]["dirty"],
        false
    );

    let file = "cases/harbour-walk/conferences/2026-07-15-interim.md";
    cb.edit(file, "two new approaches", "three new approaches");
    assert_exit(&build(&cb, &[]), 0);
    let m = manifest(&cb.path().join("output"));
    assert_eq!(m["commit"]["dirty"], true);
    let dirty = format!("records version {short} with uncommitted changes");
    assert_eq!(m["provenance"], dirty.as_str());
    assert!(read_text(&cb, CONTEXT_PAGE).contains(&dirty));
}

#[test]
fn provenance_outside_git() {
    let cb = TestCasebook::clean();
    let inside_git = Command::new("git")
        .arg("-C")
        .arg(cb.path())
        .args(["rev-parse", "--git-dir"])
        .output()
        .is_ok_and(|o| o.status.success());
    if inside_git {
        println!("skipped: the temporary folder is inside a git repository");
        return;
    }
    assert_exit(&build(&cb, &[]), 0);
    let m = manifest(&cb.path().join("output"));
    assert!(m["commit"].is_null());
    let line = "records not under version control";
    assert_eq!(m["provenance"], line);
    assert!(read_text(&cb, CONTEXT_PAGE).contains(line));
}

#[test]
fn refuses_an_output_folder_that_would_delete_records() {
    let cb = TestCasebook::clean();
    let parent = cb
        .path()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let casebook = cb.path().display().to_string();
    for out in [
        casebook.clone(),
        ".".to_string(),
        parent.display().to_string(),
        "cases".to_string(),
    ] {
        let run = build(&cb, &["--out", &out]);
        assert_exit(&run, 2);
        let err = stderr(&run);
        assert!(err.contains("will not write to"), "{out}: {err}");
        assert!(err.contains("help:"), "{out}: {err}");
    }
    assert_eq!(names(cb.path()), ["cases", "contextpack.yaml"]);
}

#[test]
fn refuses_a_folder_it_did_not_build() {
    let cb = TestCasebook::clean();
    cb.write("documents/letter.txt", "keep me");
    let run = build(&cb, &["--out", "documents"]);
    assert_exit(&run, 2);
    assert!(stderr(&run).contains("did not build"), "{}", stderr(&run));
    assert_eq!(cb.read("documents/letter.txt"), "keep me");
}

#[test]
fn builds_into_a_folder_outside_the_casebook() {
    let cb = TestCasebook::clean();
    let place = tempfile::tempdir().expect("temp dir");
    let out: PathBuf = place.path().join("site/packs");
    let run = build(&cb, &["--out", &out.display().to_string()]);
    assert_exit(&run, 0);
    assert!(out.join("manifest.json").is_file());
    assert_eq!(names(place.path().join("site").as_path()), ["packs"]);
    assert_eq!(names(cb.path()), ["cases", "contextpack.yaml"]);
}

#[test]
fn a_missing_casebook_is_a_usage_error() {
    let cb = TestCasebook::empty();
    let out = assert_cmd::Command::cargo_bin("contextpack")
        .expect("binary")
        .args(["build", "--casebook"])
        .arg(cb.path().join("nowhere"))
        .output()
        .expect("run");
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
}

#[test]
fn a_broken_casebook_template_is_named_and_nothing_is_written() {
    let cb = TestCasebook::clean();
    cb.write("templates/agenda.html", "<p>{{ meeting.venue </p>\n");
    let out = build(&cb, &[]);
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("templates/agenda.html"), "{err}");
    assert!(err.contains("nothing was built"), "{err}");
    assert!(!cb.path().join("output").exists());

    cb.remove("templates/agenda.html");
    cb.write(
        "templates/agenda.typ",
        "#let data = json(\"/data.json\")\n#oops\n",
    );
    let out = build(&cb, &[]);
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("cannot render restricted/harbour-walk/2026-06-10-initial/agenda.pdf"),
        "{err}"
    );
    assert!(err.contains("templates/agenda.typ:2:2"), "{err}");
    assert!(
        err.contains("and 3 more documents with the same error"),
        "{err}"
    );
    assert_eq!(names(cb.path()), ["cases", "contextpack.yaml", "templates"]);
}

#[test]
fn a_casebook_template_replaces_the_built_in_and_is_an_input() {
    let cb = TestCasebook::clean();
    cb.write(
        "templates/context.html",
        "<h1>{{ context.title }}</h1><p>{{ stamp.marking }} (our own page)</p>\n",
    );
    assert_exit(&build(&cb, &[]), 0);
    let page = read_text(&cb, CONTEXT_PAGE);
    assert_eq!(
        page,
        "<h1>Harbour Walk and the Quay Steps</h1><p>OFFICIAL-SENSITIVE (our own page)</p>\n"
    );
    let m = manifest(&cb.path().join("output"));
    let outputs = m["outputs"].as_array().expect("outputs");
    let inputs_of = |path: &str| -> Vec<Value> {
        outputs
            .iter()
            .find(|o| o["path"] == path)
            .and_then(|o| o["inputs"].as_array().cloned())
            .unwrap_or_default()
    };
    let own: Value = "templates/context.html".into();
    assert!(inputs_of("restricted/harbour-walk/index.html").contains(&own));
    assert!(!inputs_of("restricted/harbour-walk/action-plan.html").contains(&own));
}

#[test]
fn record_text_stays_text_in_html() {
    let cb = TestCasebook::clean();
    let file = "cases/harbour-walk/conferences/2026-06-10-initial.md";
    cb.edit(
        file,
        "Partners agreed the outline plan.",
        "Partners agreed <script>alert(1)</script> [click](javascript:alert(2)) \
         #read(\"/etc/passwd\") #import \"x\" $x$ {{ 7*7 }} back\\slash ]] [(",
    );
    cb.edit(
        file,
        "venue: Waterside Community Centre",
        "venue: \"Waterside <b>Centre</b> {{ 7*7 }}\"",
    );
    let out = build(&cb, &[]);
    assert_exit(&out, 0);
    let minutes = read_text(
        &cb,
        "output/restricted/harbour-walk/2026-06-10-initial/minutes.html",
    );
    assert!(!minutes.contains("<script>alert"), "{minutes}");
    assert!(!minutes.contains("javascript:"), "{minutes}");
    assert!(minutes.contains("&lt;script&gt;"), "{minutes}");
    assert!(minutes.contains("{{ 7*7 }}"), "{minutes}");
    assert!(!minutes.contains("49"), "{minutes}");
    assert!(minutes.contains("#read("), "{minutes}");
    let agenda = read_text(
        &cb,
        "output/restricted/harbour-walk/2026-06-10-initial/agenda.html",
    );
    assert!(agenda.contains("Waterside &lt;b&gt;Centre"), "{agenda}");
}

/// The agenda PDF's text, compiled the way `build` compiles it.
#[test]
fn agenda_pdf_carries_marking_pages_venue_and_commit() {
    let root = crate::common::fixtures().join("clean");
    let today = Date::from_ymd_opt(2026, 11, 1).expect("date");
    let checked = contextpack::check_casebook(&root, Some(today)).expect("loads");
    let renderer = Renderer::load(&root).expect("templates");
    let provenance = "records version 1a2b3c4 with uncommitted changes";
    let views = Views::new(&checked.casebook, today, provenance);
    let context = &checked.casebook.contexts[0];
    let meeting = context
        .meetings
        .iter()
        .find(|m| m.name == "2026-06-10-initial")
        .expect("meeting");
    let doc = views.agenda_doc(context, meeting);
    let ident = "restricted/harbour-walk/2026-06-10-initial/agenda.pdf";
    let rendered = renderer
        .pdf("agenda.typ", &doc, &doc.title, ident, today)
        .unwrap_or_else(|e| panic!("{e}"));
    // Lines break where the page is full: compare words, not lines.
    let text = rendered
        .text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for wanted in [
        "OFFICIAL-SENSITIVE",
        "Page 1 of",
        "Waterside Community Centre",
        provenance,
    ] {
        assert!(text.contains(wanted), "no {wanted:?} in:\n{text}");
    }
    assert!(
        rendered.metadata.contains("Agenda"),
        "{}",
        rendered.metadata
    );
}

// ---------------------------------------------------------------- logo

/// An 8 by 4 pixel PNG, the partnership's logo in these tests.
const LOGO_PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 8, 0, 0, 0, 4, 8, 2, 0,
    0, 0, 60, 175, 233, 167, 0, 0, 0, 17, 73, 68, 65, 84, 120, 156, 99, 144, 183, 142, 193, 138,
    24, 168, 39, 1, 0, 106, 128, 22, 193, 112, 95, 56, 159, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66,
    96, 130,
];

fn with_logo(cb: &TestCasebook, path: &str) {
    cb.edit(
        "contextpack.yaml",
        "anonymised_marking: OFFICIAL\n",
        &format!("anonymised_marking: OFFICIAL\nlogo: {path}\n"),
    );
}

/// `logo:` puts the partnership's logo on every PDF (the first page of
/// each document, the cover of each pack); a new logo renders them again.
#[test]
fn a_logo_is_printed_in_every_pdf_and_a_new_one_renders_them_again() {
    let cb = TestCasebook::clean();
    assert_exit(&build(&cb, &[]), 0);
    let before = tree(&cb.path().join("output"));
    cb.write("branding/logo.png", LOGO_PNG);
    with_logo(&cb, "branding/logo.png");
    let out = build(&cb, &[]);
    assert_exit(&out, 0);
    let files = tree(&cb.path().join("output"));
    let pdfs: Vec<&String> = files.keys().filter(|p| p.ends_with(".pdf")).collect();
    assert!(pdfs.len() >= 10, "{pdfs:?}");
    for pdf in &pdfs {
        let bytes = &files[pdf.as_str()];
        let image: &[u8] = b"/Subtype/Image";
        assert!(
            bytes.windows(image.len()).any(|w| w == image),
            "{pdf} has no image"
        );
        assert_ne!(bytes, &before[pdf.as_str()], "{pdf} was not rendered again");
    }
    // Every page's masthead shows the copy at the top of the output
    // folder, by a relative address that leads there from the page.
    let copies: Vec<&String> = files
        .keys()
        .filter(|p| p.starts_with("logo-") && p.ends_with(".png"))
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert_eq!(files[copies[0].as_str()], LOGO_PNG);
    let pages: Vec<&String> = files.keys().filter(|p| p.ends_with(".html")).collect();
    assert!(pages.len() >= 10, "{pages:?}");
    for page in pages {
        let html = String::from_utf8_lossy(&files[page.as_str()]).into_owned();
        let root = "../".repeat(page.matches('/').count());
        let img = format!("<img class=\"logo\" src=\"{root}{}\" alt=\"\">", copies[0]);
        assert!(html.contains(&img), "{page} has no {img}");
    }
    // Another image: every PDF again, as a clean build makes it.
    cb.write(
        "branding/logo.svg",
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#1f3b5c"/></svg>"##,
    );
    cb.edit(
        "contextpack.yaml",
        "logo: branding/logo.png",
        "logo: branding/logo.svg",
    );
    assert_exit(&build(&cb, &[]), 0);
    let again = tree(&cb.path().join("output"));
    let clean_out = cb.path().join("clean-output");
    let out_arg = format!("--out={}", clean_out.display());
    assert_exit(&build(&cb, &[&out_arg]), 0);
    let clean = tree(&clean_out);
    for pdf in &pdfs {
        let pdf = pdf.as_str();
        assert_ne!(again[pdf], files[pdf], "{pdf} kept the old logo");
        assert_eq!(again[pdf], clean[pdf], "{pdf} differs from a clean build");
    }
}

/// A logo outside the casebook, missing, of another kind, or not what its
/// name says is an error at `logo:` in check, and nothing is read outside.
#[test]
fn a_logo_that_cannot_be_used_is_an_error_at_logo() {
    let cases: [(&str, Option<&[u8]>, &str); 4] = [
        ("../outside.png", None, "is not a path inside the casebook"),
        ("branding/missing.png", None, "there is no such file"),
        (
            "branding/logo.gif",
            Some(b"GIF89a"),
            "is not a PNG, JPEG or SVG file",
        ),
        (
            "branding/logo.png",
            Some(b"<html>not a png</html>"),
            "is named as a png file but is not one",
        ),
    ];
    for (path, content, expected) in cases {
        let cb = TestCasebook::clean();
        if let Some(bytes) = content {
            cb.write(path, bytes);
        }
        with_logo(&cb, path);
        let out = cb
            .cmd(&["check", "--today", TODAY])
            .output()
            .expect("run check");
        assert_exit(&out, 1);
        let err = stderr(&out) + &stdout(&out);
        assert!(err.contains(expected), "{path}: {err}");
        assert!(err.contains("--> contextpack.yaml:"), "{path}: {err}");
        assert!(err.contains("logo"), "{path}: {err}");
    }
}
