//! `output/index.html`, the dashboard, end to end: built by the binary from
//! the `due-mixed` fixture, its HTML checked for content, structure and
//! links, then loaded in headless chromium (when installed), which renders
//! the DOM and a screenshot.

use crate::common::{TODAY, TestCasebook, git};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const INDEX: &str = "output/index.html";

/// Builds on [`TODAY`] with `--keep-going` (due-mixed holds one context
/// back) and returns the dashboard.
fn build(cb: &TestCasebook) -> String {
    let out = cb
        .cmd(&["build", "--today", TODAY, "--keep-going"])
        .output()
        .expect("run contextpack build");
    std::fs::read_to_string(cb.path().join(INDEX)).unwrap_or_else(|e| {
        panic!(
            "no dashboard ({e}); build said:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Every `href="..."` of the page.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|h| h.replace("&#x2F;", "/").replace("&amp;", "&"))
        .collect()
}

/// The text of the section `<h2 id="{id}">` up to the next `<h2`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<h2 id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let rest = &html[start + 4..];
    let end = rest.find("<h2").unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn what_is_due_at_a_glance() {
    let html = build(&TestCasebook::fixture("due-mixed"));
    assert!(html.contains("OFFICIAL-SENSITIVE"), "the marking");
    assert!(
        html.contains("Sunday 1 November 2026"),
        "the date built for"
    );
    assert!(html.contains("records "), "the provenance");

    let meetings = section(&html, "meetings");
    assert!(meetings.contains("Castle Hill School, the bus bay"));
    assert!(meetings.contains("In 11 days"));
    assert!(meetings.contains("Castle Hill School; library"));

    let reviews = section(&html, "reviews");
    assert!(reviews.contains("Quarry Park skate area"));
    assert!(reviews.contains("Overdue by 4 days"));
    assert!(reviews.contains("Jo Smith"), "who sends the invitations");

    let actions = section(&html, "actions");
    assert!(actions.contains("<caption>Devon and Cornwall Police</caption>"));
    assert!(actions.contains("<caption>Education</caption>"));
    assert!(actions.contains("Overdue by 12 days"));
    assert!(actions.contains("Due in 9 days"));
    assert!(
        !actions.contains("Old Mill"),
        "a closed context owes nothing"
    );

    let errors = section(&html, "errors");
    assert!(errors.contains("cases/quarry-park/conferences/2026-08-05-initial.md"));

    let contexts = section(&html, "contexts");
    for title in [
        "Castle Hill School, the bus bay",
        "Harbour Walk and the Quay Steps",
        "Old Mill friendship group",
        "Quarry Park skate area",
    ] {
        assert!(contexts.contains(title), "{title} is listed");
    }
    assert!(contexts.contains("Not rendered: its records have errors"));
    assert!(contexts.contains("Closed 2026-10-01"));
    assert!(contexts.contains("Ria Patel"), "the lead practitioner");
}

#[test]
fn names_the_commit_it_was_built_from() {
    let cb = TestCasebook::clean();
    if git(cb.path(), &["init", "-q"]).is_none() {
        eprintln!("SKIPPED names_the_commit_it_was_built_from: git is not installed");
        return;
    }
    git(cb.path(), &["add", "."]);
    git(cb.path(), &["commit", "-q", "-m", "records"]);
    let short = git(cb.path(), &["rev-parse", "--short=7", "HEAD"]).unwrap_or_default();
    let html = build(&cb);
    assert!(
        html.contains(&format!("records version {short}")),
        "{short}"
    );
}

#[test]
fn accessible_structure() {
    let html = build(&TestCasebook::fixture("due-mixed"));
    assert!(html.contains("<html lang=\"en-GB\">"));
    let tables = html.matches("<table").count();
    assert!(tables >= 6, "{tables} tables");
    assert_eq!(
        html.matches("<caption").count(),
        tables,
        "a caption per table"
    );
    assert!(html.contains("<th scope=\"col\">"));
    assert!(html.contains("<th scope=\"row\" data-label=\"Context\">"));
    // Status in words beside the colour.
    assert!(html.contains("mark-overdue"));
    assert!(html.contains("Overdue</span>"));
    assert!(html.contains("@media print"));
}

#[test]
fn self_contained_and_every_link_resolves() {
    let cb = TestCasebook::fixture("due-mixed");
    let html = build(&cb);
    assert!(!html.contains("<script"), "no JavaScript");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no network"
    );
    assert!(!html.contains("src=\""), "no external resources");
    let out = cb.path().join("output");
    let links = hrefs(&html);
    assert!(links.contains(&"calendar.ics".to_string()));
    assert!(links.contains(&"restricted/castle-school/index.html".to_string()));
    assert!(links.contains(&"restricted/castle-school/2026-11-12-initial/agenda.html".to_string()));
    assert!(
        !links.iter().any(|l| l.contains("quarry-park")),
        "held back: nothing to link to"
    );
    for link in links.iter().filter(|l| !l.starts_with('#')) {
        assert!(!link.starts_with('/'), "relative: {link}");
        assert!(out.join(link).is_file(), "{link} does not exist");
    }
}

#[test]
fn links_to_every_file_of_the_build() {
    let cb = TestCasebook::clean();
    let html = build(&cb);
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(cb.path().join("output/manifest.json")).expect("manifest"),
    )
    .expect("manifest JSON");
    let links = hrefs(&html);
    let outputs = manifest["outputs"].as_array().expect("outputs");
    for o in outputs {
        let path = o["path"].as_str().expect("path");
        if path == "index.html" {
            continue;
        }
        assert!(links.iter().any(|l| l == path), "no link to {path}");
    }
    let index = outputs
        .iter()
        .find(|o| o["path"] == "index.html")
        .expect("the dashboard is in the manifest");
    let inputs = index["inputs"].as_array().expect("inputs");
    assert!(inputs.iter().any(|i| i == "contextpack.yaml"));
}

// ---------------------------------------------------------------- chromium

/// The first chromium-like browser on PATH.
pub(crate) fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
    .find(|p| p.is_file())
}

/// Runs headless chromium on `url` with `extra` flags, killed after a minute
/// so a stuck browser cannot hang the suite; returns its stdout.
/// Headless, quiet, and nothing fetched but what a test asks for.
pub(crate) const HEADLESS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
];

fn headless(browser: &Path, profile: &Path, extra: &[&str], url: &str) -> String {
    let mut child = Command::new(browser)
        .args(HEADLESS)
        .args([
            "--no-default-browser-check",
            "--metrics-recording-only",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium did not finish within a minute on {url}");
            }
        }
    }
    reader.join().unwrap_or_default()
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.get(..8)? != b"\x89PNG\r\n\x1a\n" || bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    let word = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    Some((word(16)?, word(20)?))
}

#[test]
fn renders_in_a_real_browser() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED renders_in_a_real_browser: no chromium on PATH \
             (.ci/run installs Debian's chromium; `apt-get install chromium` to run it here)"
        );
        return;
    };
    let cb = TestCasebook::fixture("due-mixed");
    build(&cb);
    let index = cb.path().join(INDEX);
    let url = format!("file://{}", index.display());
    let profile = tempfile::tempdir().expect("profile dir");

    let dom = headless(&browser, profile.path(), &["--dump-dom"], &url);
    assert!(dom.contains("<h1>Casebook at a glance</h1>"), "DOM:\n{dom}");
    assert!(dom.contains("<caption>Every context of the casebook</caption>"));
    assert!(dom.contains("<caption>Devon and Cornwall Police</caption>"));
    assert!(dom.contains("href=\"restricted/castle-school/index.html\""));
    assert!(dom.contains("Overdue by 12 days"));

    let shot = cb.path().join("dashboard.png");
    headless(
        &browser,
        profile.path(),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000",
        ],
        &url,
    );
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert_eq!(png_size(&png), Some((1280, 2000)));
    assert!(
        png.len() > 20_000,
        "a screenshot of {} bytes is blank",
        png.len()
    );
}

#[test]
fn a_held_back_context_with_a_missing_file_still_builds() {
    // The loader stands in an empty placeholder for a missing context.yaml;
    // the manifest must not try to hash it.
    let cb = TestCasebook::fixture("due-mixed");
    cb.remove("cases/quarry-park/context.yaml");
    let out = cb
        .cmd(&["build", "--today", TODAY, "--keep-going"])
        .output()
        .expect("run contextpack build");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("built "),
        "{err}"
    );
    let html = std::fs::read_to_string(cb.path().join(INDEX)).expect("dashboard");
    assert!(
        html.contains("cases/quarry-park/context.yaml"),
        "listed with errors"
    );
}

/// A page that loads `page` in a 390 px frame and writes into its own body
/// how many elements of it stick out of the frame or scroll sideways (the
/// running header of a visually hidden table head is not counted). Test
/// scaffolding only: contextpack's pages carry no script.
const NARROW_HARNESS: &str = r#"<!doctype html><html><body><div id="out">pending</div>
<iframe id="f" src="PAGE" style="width:390px;height:800px;border:0"></iframe>
<script>
document.getElementById('f').onload = function () {
  var w = this.contentWindow, doc = this.contentDocument, bad = [];
  doc.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    var scrolls = e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible';
    if (r.width > 1 && !e.closest('thead, .visually-hidden') && (r.right > w.innerWidth + 1 || scrolls))
      bad.push(e.tagName + '.' + e.className);
  });
  document.getElementById('out').textContent = 'overflowing ' + bad.length + ': ' + bad.slice(0, 8).join(' ');
};
</script></body></html>"#;

#[test]
fn pages_reflow_at_390_pixels() {
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED pages_reflow_at_390_pixels: no chromium on PATH");
        return;
    };
    let cb = TestCasebook::fixture("due-mixed");
    build(&cb);
    let out = cb.path().join("output");
    let profile = tempfile::tempdir().expect("profile dir");
    let pages = [
        "index.html",
        "restricted/harbour-walk/index.html",
        "restricted/harbour-walk/action-plan.html",
        "restricted/harbour-walk/2026-06-10-initial/minutes.html",
        "restricted/harbour-walk/2026-12-02-review/agenda.html",
    ];
    for page in pages {
        assert!(out.join(page).is_file(), "{page} was built");
        let harness = out.join(format!("narrow-{}.html", page.replace('/', "-")));
        std::fs::write(&harness, NARROW_HARNESS.replace("PAGE", page)).expect("harness");
        let url = format!("file://{}", harness.display());
        let dom = headless(
            &browser,
            profile.path(),
            &[
                "--allow-file-access-from-files",
                "--virtual-time-budget=10000",
                "--dump-dom",
            ],
            &url,
        );
        let verdict = dom
            .split("<div id=\"out\">")
            .nth(1)
            .and_then(|rest| rest.split("</div>").next())
            .unwrap_or("no verdict");
        assert_eq!(verdict, "overflowing 0: ", "{page} at 390 px");
    }
}

/// The page's text without tags, spaces collapsed, for phrases.
fn shown(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&nbsp;", " ").replace("&#39;", "'");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.replace(" ;", ";")
        .replace(" ,", ",")
        .replace(" .", ".")
}

#[test]
fn explained_breaches_and_moved_meetings_are_listed_with_their_reasons() {
    let cb = TestCasebook::sample();
    let html = build(&cb);
    let departures = shown(section(&html, "departures"));
    for phrase in [
        "North Prospect and Ham Woods peer group Initial conference, 3 September 2026 representation",
        "The BTP county-lines officer was redeployed",
        "Drake's Reach Academy Review conference 13 Oct 2026 20 Oct 2026 The academy was notified",
        "Given",
    ] {
        assert!(
            departures.contains(phrase),
            "`{phrase}` not in:\n{departures}"
        );
    }
    assert!(
        html.contains("href=\"restricted/north-prospect-group/2026-09-03-initial/minutes.html\""),
        "the breach links to the minutes that explain it"
    );
    // The context page: the review deadline, the breach, the move and the learning.
    let page = |id: &str| {
        shown(
            &std::fs::read_to_string(cb.path().join(format!("output/restricted/{id}/index.html")))
                .expect("context page"),
        )
    };
    let north = page("north-prospect-group");
    for phrase in [
        "Next review Agreed for Tuesday 1 December 2026; must be held by Thursday 3 December 2026 \
         (within 3 months of the initial conference of 3 September 2026)",
        "Explained breaches of the protocol",
        "representation an invited agency absent",
        "Learning for the strategic forums",
        "Recruitment into a drug line ran through the oldest member",
    ] {
        assert!(north.contains(phrase), "`{phrase}` not in:\n{north}");
    }
    let drakes = page("drakes-reach-academy");
    assert!(
        drakes.contains("Moved to 20 Oct 2026. The academy was notified"),
        "{drakes}"
    );
    assert!(drakes.contains("The chair consented."), "{drakes}");
}
