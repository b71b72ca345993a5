//! A casebook from elsewhere, tried as an attacker would: each test makes
//! the attack, then shows it refused, nothing leaked and nothing deleted.
//! One test per finding of the security review (issue 10).
#![cfg(unix)]

use crate::common::{TODAY, TestCasebook, git, tree};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

/// What a CI runner's environment or a stolen file would hold.
const SECRET: &str = "CONTEXTPACK_TEST_SECRET=s3cr3t-token-7f1e";

fn run(cb: &TestCasebook, args: &[&str]) -> Output {
    cb.cmd(args)
        .env("CONTEXTPACK_TEST_SECRET", "s3cr3t-token-7f1e")
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run contextpack")
}

fn build(cb: &TestCasebook, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--today", TODAY];
    args.extend_from_slice(extra);
    run(cb, &args)
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn exit(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// A folder outside the casebook holding a file with the secret.
fn outside() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("secret.txt");
    std::fs::write(&file, format!("{SECRET}\ntitle: {SECRET}\n")).expect("write");
    (dir, file)
}

/// Neither the command's output nor any file under `dir` holds the secret.
fn leaks_nothing(out: &Output, dir: &Path) {
    assert!(!text(out).contains("s3cr3t"), "{}", text(out));
    if dir.exists() {
        for (path, bytes) in tree(dir) {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("s3cr3t"),
                "the secret is in {path}"
            );
        }
    }
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

fn executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

fn have_git() -> bool {
    let found = std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok();
    if !found {
        println!("skipped: git is not installed");
    }
    found
}

fn commit_all(cb: &TestCasebook) {
    git(cb.path(), &["init", "-q"]);
    git(cb.path(), &["add", "-A"]);
    git(cb.path(), &["commit", "-q", "-m", "records"]);
}

// ------------------------------------------------------- no code runs

#[test]
fn a_repository_configuration_runs_nothing_during_check_build_report_or_status() {
    if !have_git() {
        return;
    }
    let cb = TestCasebook::clean();
    commit_all(&cb);
    let short = git(cb.path(), &["rev-parse", "--short", "HEAD"]).expect("rev-parse");
    let markers = tempfile::tempdir().expect("temp dir");
    let m = markers.path().display().to_string();
    let hooks = markers.path().join("hooks");
    std::fs::create_dir(&hooks).expect("mkdir");
    for hook in [
        "post-checkout",
        "pre-commit",
        "reference-transaction",
        "post-index-change",
        "fsmonitor-watchman",
    ] {
        let path = hooks.join(hook);
        std::fs::write(&path, format!("#!/bin/sh\ntouch {m}/hook-{hook}\n")).expect("hook");
        executable(&path);
    }
    let gpg = markers.path().join("gpg.sh");
    std::fs::write(&gpg, format!("#!/bin/sh\ntouch {m}/gpg\n")).expect("gpg");
    executable(&gpg);
    let include = markers.path().join("included.config");
    std::fs::write(
        &include,
        format!("[core]\n\tfsmonitor = \"touch {m}/include\"\n"),
    )
    .expect("include");
    let alternate = markers.path().join("objects");
    std::fs::create_dir(&alternate).expect("mkdir");
    let config = format!(
        "[core]\n\tfsmonitor = \"touch {m}/fsmonitor\"\n\tpager = \"touch {m}/pager\"\n\
         \tsshCommand = \"touch {m}/ssh\"\n\thooksPath = {hooks}\n\
         \talternateRefsCommand = \"touch {m}/altrefs\"\n\
         [filter \"x\"]\n\tclean = \"touch {m}/clean\"\n\tsmudge = \"touch {m}/smudge\"\n\
         \tprocess = \"touch {m}/process\"\n\trequired = true\n\
         [diff \"x\"]\n\ttextconv = \"touch {m}/textconv\"\n\
         [diff]\n\texternal = \"touch {m}/external\"\n\
         [log]\n\tshowSignature = true\n[gpg]\n\tprogram = {gpg}\n\
         [pager]\n\tlog = \"touch {m}/pager-log\"\n\
         [includeIf \"gitdir:/\"]\n\tpath = {include}\n",
        hooks = hooks.display(),
        gpg = gpg.display(),
        include = include.display(),
    );
    let git_dir = cb.path().join(".git");
    let mut written = std::fs::read_to_string(git_dir.join("config")).expect("config");
    written.push_str(&config);
    std::fs::write(git_dir.join("config"), written).expect("config");
    std::fs::create_dir_all(git_dir.join("info")).expect("mkdir");
    std::fs::write(git_dir.join("info/attributes"), "* filter=x diff=x\n").expect("attrs");
    std::fs::write(
        git_dir.join("objects/info/alternates"),
        format!("{}\n", alternate.display()),
    )
    .expect("alternates");

    for args in [
        vec!["check", "--today", TODAY],
        vec!["build", "--today", TODAY],
        vec!["report", "--quarter", "2026-Q2", "--today", TODAY],
        vec!["status", "--today", TODAY],
    ] {
        let out = run(&cb, &args);
        assert_eq!(exit(&out), 0, "{args:?}: {}", text(&out));
    }
    let ran: Vec<String> = std::fs::read_dir(markers.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !["hooks", "gpg.sh", "included.config", "objects"].contains(&n.as_str()))
        .collect();
    assert!(ran.is_empty(), "these ran: {ran:?}");
    // Provenance is still read, from the files alone.
    let manifest = std::fs::read_to_string(cb.path().join("output/manifest.json")).expect("m");
    let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("json");
    assert_eq!(manifest["commit"]["short"], short.as_str(), "{manifest}");
    assert_eq!(manifest["commit"]["dirty"], false, "{manifest}");
}

#[test]
fn a_record_git_ignores_makes_the_stamp_say_uncommitted() {
    if !have_git() {
        return;
    }
    let cb = TestCasebook::clean();
    cb.write(".gitignore", "cases/harbour-walk/plan.yaml\noutput/\n");
    commit_all(&cb);
    let out = build(&cb, &[]);
    assert_eq!(exit(&out), 0, "{}", text(&out));
    let manifest = cb.read("output/manifest.json");
    let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("json");
    assert_eq!(manifest["commit"]["dirty"], true, "{manifest}");
    let page = cb.read("output/restricted/harbour-walk/index.html");
    assert!(page.contains("with uncommitted changes"), "{page}");
}

// ---------------------------------------------- nothing outside is read

#[test]
fn a_template_linked_outside_publishes_nothing() {
    let cb = TestCasebook::clean();
    assert_eq!(exit(&build(&cb, &[])), 0);
    let before = tree(&cb.path().join("output"));
    let (_dir, secret) = outside();
    std::fs::create_dir(cb.path().join("templates")).expect("mkdir");
    for (name, target) in [
        ("agenda.html", PathBuf::from("/proc/self/environ")),
        ("minutes.html", secret.clone()),
        ("context.html", PathBuf::from("/etc/passwd")),
        ("agenda.typ", PathBuf::from("/dev/zero")),
    ] {
        symlink(&target, cb.path().join("templates").join(name)).expect("link");
    }
    let out = build(&cb, &[]);
    assert_eq!(exit(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("leads outside the casebook"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains("root:"), "{}", text(&out));
    leaks_nothing(&out, &cb.path().join("output"));
    assert_eq!(
        tree(&cb.path().join("output")),
        before,
        "the output is untouched"
    );
}

#[test]
fn a_fifo_template_is_refused_not_waited_on() {
    let cb = TestCasebook::clean();
    std::fs::create_dir(cb.path().join("templates")).expect("mkdir");
    mkfifo(&cb.path().join("templates/agenda.html"));
    let out = build(&cb, &[]);
    assert_eq!(exit(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("FIFO"), "{}", text(&out));
    assert!(!cb.path().join("output").exists());
}

#[test]
fn records_linked_outside_are_named_never_echoed() {
    let (_dir, secret) = outside();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    std::fs::write(elsewhere.path().join("context.yaml"), SECRET).expect("write");
    let cb = TestCasebook::clean();
    let ctx = cb.path().join("cases/harbour-walk/context.yaml");
    std::fs::remove_file(&ctx).expect("rm");
    symlink(&secret, &ctx).expect("link");
    symlink(
        "/proc/self/environ",
        cb.path().join("cases/harbour-walk/plan.yml"),
    )
    .expect("link");
    symlink(elsewhere.path(), cb.path().join("cases/linked-away")).expect("link");
    for format in ["human", "json", "github"] {
        let out = run(&cb, &["check", "--today", TODAY, "--format", format]);
        assert_eq!(exit(&out), 1, "{format}: {}", text(&out));
        leaks_nothing(&out, cb.path());
        let shown = text(&out);
        for path in [
            "cases/harbour-walk/context.yaml",
            "cases/harbour-walk/plan.yml",
            "cases/linked-away",
        ] {
            assert!(shown.contains(path), "{format}: {path} not named: {shown}");
        }
        assert!(shown.contains("unsafe-file"), "{format}: {shown}");
    }
    // The settings linked out: refused the same way.
    let settings = cb.path().join("contextpack.yaml");
    std::fs::remove_file(&settings).expect("rm");
    symlink(&secret, &settings).expect("link");
    let out = run(&cb, &["check", "--today", TODAY]);
    assert_eq!(exit(&out), 1, "{}", text(&out));
    leaks_nothing(&out, cb.path());
}

#[test]
fn a_link_that_stays_inside_is_followed() {
    let cb = TestCasebook::clean();
    let plan = cb.path().join("cases/harbour-walk/plan.yaml");
    std::fs::create_dir(cb.path().join("shared")).expect("mkdir");
    std::fs::rename(&plan, cb.path().join("shared/plan.yaml")).expect("mv");
    symlink("../../shared/plan.yaml", &plan).expect("link");
    let out = run(&cb, &["check", "--today", TODAY]);
    assert_eq!(exit(&out), 0, "{}", text(&out));
}

#[test]
fn a_fifo_record_is_refused_not_waited_on() {
    let cb = TestCasebook::clean();
    mkfifo(
        &cb.path()
            .join("cases/harbour-walk/conferences/2026-12-01-interim.md"),
    );
    let out = run(&cb, &["check", "--today", TODAY]);
    assert_eq!(exit(&out), 1, "{}", text(&out));
    assert!(
        text(&out).contains("is a FIFO (named pipe)"),
        "{}",
        text(&out)
    );
}

// ------------------------------------------ no folder deleted that is not ours

#[test]
fn an_unrelated_manifest_does_not_make_a_folder_ours() {
    let cb = TestCasebook::clean();
    let site = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        site.path().join("manifest.json"),
        r#"{"manifest_version": 3, "name": "A browser extension"}"#,
    )
    .expect("write");
    std::fs::write(site.path().join("index.html"), "keep me").expect("write");
    let before = tree(site.path());
    let out = build(&cb, &["--out", &site.path().display().to_string()]);
    assert_eq!(exit(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("not a contextpack manifest"),
        "{}",
        text(&out)
    );
    assert_eq!(tree(site.path()), before);
}

#[test]
fn a_symlinked_output_folder_is_refused() {
    let cb = TestCasebook::clean();
    // A folder elsewhere that even looks like an output of ours.
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let real = TestCasebook::clean();
    assert_eq!(exit(&build(&real, &[])), 0);
    crate::common::copy_dir(&real.path().join("output"), elsewhere.path());
    let before = tree(elsewhere.path());
    symlink(elsewhere.path(), cb.path().join("output")).expect("link");
    let out = build(&cb, &[]);
    assert_eq!(exit(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("is a symbolic link"), "{}", text(&out));
    // Through a linked folder on the way.
    symlink(elsewhere.path(), cb.path().join("site")).expect("link");
    let out = build(&cb, &["--out", "site/out"]);
    assert_eq!(exit(&out), 2, "{}", text(&out));
    assert_eq!(tree(elsewhere.path()), before, "nothing elsewhere changed");
}

// ------------------------------------------- every sink escapes for itself

#[test]
fn a_form_feed_in_a_setting_cannot_end_the_css_string() {
    let cb = TestCasebook::clean();
    cb.edit(
        "contextpack.yaml",
        "marking: OFFICIAL-SENSITIVE",
        "marking: \"OFFICIAL-SENSITIVE\\f} .marking{display:none} x{content:\\\"\"",
    );
    let out = build(&cb, &[]);
    assert_eq!(exit(&out), 0, "{}", text(&out));
    let page = cb.read("output/restricted/harbour-walk/index.html");
    let style = &page[page.find("<style>").expect("style")..page.find("</style>").expect("end")];
    assert!(!style.contains('\u{c}'), "a raw form feed in the CSS");
    assert!(
        style.contains("OFFICIAL-SENSITIVE\\c } .marking{display:none} x{content:\\22 "),
        "{style}"
    );
}

#[test]
fn record_text_never_starts_a_line_of_ci_output() {
    let cb = TestCasebook::clean();
    cb.write(
        "cases/harbour-walk/conferences/x\n::error file=README.md::INJECTED.md",
        "---\nkind: interim\n---\n",
    );
    cb.edit(
        "cases/harbour-walk/conferences/2026-06-10-initial.md",
        "chair: kim-davies",
        "chair: \"nobody\\n::error file=README.md::INJECTED\"",
    );
    for args in [
        vec!["check", "--today", TODAY],
        vec!["build", "--today", TODAY],
        vec!["build", "--today", TODAY, "--keep-going"],
        vec!["build", "--today", TODAY, "--format", "github"],
        vec!["check", "--today", TODAY, "--format", "github"],
    ] {
        let out = run(&cb, &args);
        assert_eq!(exit(&out), 1, "{args:?}: {}", text(&out));
        let shown = text(&out);
        assert!(
            shown.contains("INJECTED"),
            "{args:?}: the finding is shown: {shown}"
        );
        for line in shown.lines() {
            assert!(
                !line.trim_start().starts_with("::error file=README.md"),
                "{args:?}: injected: {line}"
            );
        }
    }
    // In GitHub format the findings are annotations on the records.
    let out = run(&cb, &["build", "--today", TODAY, "--format", "github"]);
    assert!(
        text(&out).contains("::error file=cases/harbour-walk/conferences/"),
        "{}",
        text(&out)
    );
}

#[test]
fn status_shows_escape_sequences_as_symbols() {
    let cb = TestCasebook::fixture("due-mixed");
    cb.edit(
        "cases/harbour-walk/conferences/2026-12-02-review.md",
        "venue: Waterside Community Centre",
        "venue: \"Hall \\e]0;pwned\\a \\e]52;c;cHduZWQ=\\a \\u009b31m red\"",
    );
    let out = run(&cb, &["status", "--today", "2026-11-20"]);
    let shown = text(&out);
    assert!(shown.contains("Hall"), "{shown}");
    assert!(
        !shown.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reached the terminal: {shown:?}"
    );
}

// ------------------------------------------------- swaps and report

#[test]
fn an_interrupted_swap_is_recovered_by_the_next_build() {
    let cb = TestCasebook::clean();
    assert_eq!(exit(&build(&cb, &[])), 0);
    // Killed between the two renames of a swap: no output, the old one aside.
    std::fs::rename(cb.path().join("output"), cb.path().join(".output-old-4242")).expect("mv");
    std::fs::create_dir(cb.path().join(".output-tmp-4343")).expect("mkdir");
    let out = build(&cb, &[]);
    assert_eq!(exit(&out), 0, "{}", text(&out));
    let mut names: Vec<String> = std::fs::read_dir(cb.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n == "output")
        .collect();
    names.sort();
    assert_eq!(names, ["output"], "recovered, then tidied");
}

#[test]
fn report_never_writes_through_a_symlink_and_leaves_no_stray_file() {
    let cb = TestCasebook::clean();
    assert_eq!(exit(&build(&cb, &[])), 0);
    let quarter = cb.path().join("output/anonymised/2026-Q2");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    if quarter.exists() {
        std::fs::remove_dir_all(&quarter).expect("rm");
    }
    symlink(elsewhere.path(), &quarter).expect("link");
    let out = run(&cb, &["report", "--quarter", "2026-Q2", "--today", TODAY]);
    assert_eq!(exit(&out), 0, "{}", text(&out));
    assert_eq!(std::fs::read_dir(elsewhere.path()).expect("ls").count(), 0);
    let meta = std::fs::symlink_metadata(&quarter).expect("quarter");
    assert!(meta.is_dir(), "a real folder now");
    let files = tree(&cb.path().join("output"));
    assert!(
        files.keys().all(|p| !p.contains(".tmp-")),
        "{:?}",
        files.keys()
    );
    assert!(files.keys().any(|p| p.starts_with("anonymised/2026-Q2/")));
}

#[test]
fn report_and_build_at_once_keep_the_manifest_true() {
    let cb = TestCasebook::clean();
    assert_eq!(exit(&build(&cb, &[])), 0);
    for _ in 0..3 {
        let mut b = cb.cmd(&["build", "--today", TODAY]);
        let mut r = cb.cmd(&["report", "--quarter", "2026-Q2", "--today", TODAY]);
        let (b, r) = std::thread::scope(|s| {
            let b = s.spawn(move || b.output().expect("build"));
            let r = s.spawn(move || r.output().expect("report"));
            (b.join().expect("b"), r.join().expect("r"))
        });
        assert_eq!(exit(&b), 0, "{}", text(&b));
        assert_eq!(exit(&r), 0, "{}", text(&r));
        let out = cb.path().join("output");
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).expect("m"))
                .expect("json");
        let files = tree(&out);
        for o in m["outputs"].as_array().expect("outputs") {
            let path = o["path"].as_str().expect("path");
            let bytes = files
                .get(path)
                .unwrap_or_else(|| panic!("{path} is missing"));
            use sha2::Digest;
            assert_eq!(
                o["sha256"],
                format!("{:x}", sha2::Sha256::digest(bytes)),
                "{path}"
            );
        }
    }
}

// -------------------------------------------- check passing means build works

#[test]
fn a_run_no_line_can_break_still_builds() {
    let cb = TestCasebook::clean();
    cb.edit(
        "cases/harbour-walk/conferences/2026-07-15-interim.md",
        "two new approaches",
        &format!("two new approaches {}", ".".repeat(40_000)),
    );
    let check = run(&cb, &["check", "--today", TODAY]);
    assert_eq!(exit(&check), 0, "{}", text(&check));
    let out = build(&cb, &[]);
    assert_eq!(exit(&out), 0, "{}", text(&out));
}

#[test]
fn a_title_too_long_for_a_pdf_is_a_check_error() {
    let cb = TestCasebook::clean();
    cb.edit(
        "cases/harbour-walk/context.yaml",
        "title: Harbour Walk",
        &format!("title: Harbour Walk {}", "and the quay ".repeat(3000)),
    );
    let out = run(&cb, &["check", "--today", TODAY]);
    assert_eq!(exit(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("the limit is 300"), "{}", text(&out));
    assert!(
        text(&out).contains("cases/harbour-walk/context.yaml:"),
        "{}",
        text(&out)
    );
    let heading = TestCasebook::clean();
    heading.edit(
        "cases/harbour-walk/conferences/2026-07-15-interim.md",
        "two new approaches",
        &format!("two new approaches\n\n## {}\n", "H".repeat(5000)),
    );
    let out = run(&heading, &["check", "--today", TODAY]);
    assert_eq!(exit(&out), 1, "{}", text(&out));
    assert!(
        text(&out).contains("this heading is 5000 characters long"),
        "{}",
        text(&out)
    );
}

// ------------------------------------------------ init and new stay inside

#[test]
fn init_and_new_never_write_through_a_link_out() {
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let ignore = elsewhere.path().join("gitignore");
    std::fs::write(&ignore, "keep\n").expect("write");
    let cb = TestCasebook::empty();
    symlink(&ignore, cb.path().join(".gitignore")).expect("link");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_contextpack"))
        .arg("init")
        .arg(cb.path())
        .output()
        .expect("init");
    assert_eq!(exit(&out), 2, "{}", text(&out));
    assert_eq!(std::fs::read_to_string(&ignore).expect("read"), "keep\n");
    assert!(!cb.path().join("contextpack.yaml").exists());

    let cb = TestCasebook::clean();
    let conferences = cb.path().join("cases/harbour-walk/conferences");
    std::fs::remove_dir_all(&conferences).expect("rm");
    symlink(elsewhere.path(), &conferences).expect("link");
    let out = run(
        &cb,
        &[
            "new",
            "conference",
            "harbour-walk",
            "--date",
            "2026-11-20",
            "--chair",
            "kim-davies",
            "--venue",
            "Waterside Community Centre",
        ],
    );
    assert_eq!(exit(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("leads outside the casebook"),
        "{}",
        text(&out)
    );
    let names: Vec<_> = std::fs::read_dir(elsewhere.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names.len(), 1, "only the file that was there: {names:?}");
}

#[test]
fn hidden_folders_and_records_are_named() {
    let cb = TestCasebook::clean();
    cb.write("cases/.hidden-ctx/context.yaml", "title: x\n");
    cb.write("cases/harbour-walk/conferences/.x.md", "---\n---\n");
    cb.write("cases/harbour-walk/conferences/.gitkeep", "");
    let out = run(&cb, &["check", "--today", TODAY]);
    assert_eq!(exit(&out), 0, "{}", text(&out));
    let shown = text(&out);
    assert!(
        shown.contains("hidden `.hidden-ctx` in `cases` is not read"),
        "{shown}"
    );
    assert!(
        shown.contains("hidden `.x.md` in `cases/harbour-walk/conferences` is not read"),
        "{shown}"
    );
    assert!(!shown.contains(".gitkeep"), "{shown}");
}

#[test]
fn a_template_sees_only_the_data_it_is_given() {
    let cb = TestCasebook::clean();
    cb.write(
        "templates/agenda.typ",
        "#read(\"/etc/passwd\")\n#read(\"/proc/self/environ\")\n#read(\"../contextpack.yaml\")\n",
    );
    let out = build(&cb, &[]);
    assert_eq!(exit(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("file not found"), "{}", text(&out));
    assert!(!text(&out).contains("root:"), "{}", text(&out));
    leaks_nothing(&out, &cb.path().join("output"));

    let cb = TestCasebook::clean();
    cb.write(
        "templates/agenda.html",
        "{% include \"/etc/passwd\" %}{{ get_env(name=\"CONTEXTPACK_TEST_SECRET\") }}",
    );
    let out = build(&cb, &[]);
    assert_ne!(exit(&out), 0, "{}", text(&out));
    leaks_nothing(&out, &cb.path().join("output"));
}

#[test]
fn a_link_planted_in_the_previous_output_is_never_reused() {
    let cb = TestCasebook::clean();
    assert_eq!(exit(&build(&cb, &[])), 0);
    let ctx = cb.path().join("output/restricted/harbour-walk");
    // The same files elsewhere, one of them swapped for a secret of the
    // same size, and the context's folder in the output linked to them.
    let elsewhere = tempfile::tempdir().expect("temp dir");
    crate::common::copy_dir(&ctx, elsewhere.path());
    let plan = elsewhere.path().join("action-plan.html");
    let size = std::fs::metadata(&plan).expect("plan").len() as usize;
    let mut secret = SECRET.as_bytes().to_vec();
    secret.resize(size, b'x');
    std::fs::write(&plan, secret).expect("write");
    std::fs::remove_dir_all(&ctx).expect("rm");
    symlink(elsewhere.path(), &ctx).expect("link");
    let before = tree(elsewhere.path());
    let out = build(&cb, &[]);
    assert_eq!(exit(&out), 0, "{}", text(&out));
    leaks_nothing(&out, &cb.path().join("output"));
    let meta = std::fs::symlink_metadata(&ctx).expect("context folder");
    assert!(meta.is_dir(), "a real folder again");
    assert_eq!(tree(elsewhere.path()), before, "nothing elsewhere changed");
}

#[test]
fn objects_kept_elsewhere_are_not_read_and_the_documents_say_so() {
    if !have_git() {
        return;
    }
    let source = TestCasebook::clean();
    commit_all(&source);
    let shared = tempfile::tempdir().expect("temp dir");
    let clone = shared.path().join("casebook");
    // `--shared` keeps the objects in the source, named by alternates.
    git(
        source.path(),
        &["clone", "-q", "--shared", ".", &clone.display().to_string()],
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_contextpack"))
        .args(["build", "--today", TODAY, "--casebook"])
        .arg(&clone)
        .output()
        .expect("build");
    assert_eq!(exit(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("git repository could not be read"),
        "{}",
        text(&out)
    );
    let m: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(clone.join("output/manifest.json")).expect("manifest"),
    )
    .expect("json");
    assert_eq!(
        m["provenance"],
        "records in a git repository that could not be read"
    );
    assert!(m["commit"].is_null());
}
