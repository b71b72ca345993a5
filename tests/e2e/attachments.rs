//! Images in the records' Markdown and meetings' papers: shown in the HTML
//! (copied beside the page) and drawn in the PDFs, bound into the pack and
//! listed on the agenda; anything that is not a file of the context is an
//! `attachment` error at the place that names it.

use crate::common::{TODAY, TestCasebook, line_of};
use hayro_svg::hayro_syntax::Pdf;
use std::path::Path;

const CONTEXT: &str = "cases/harbour-walk";
const ASSESSMENT: &str = "cases/harbour-walk/assessment.md";
const REVIEW: &str = "cases/harbour-walk/conferences/2026-12-02-review.md";
const HELD: &str = "cases/harbour-walk/conferences/2026-09-09-review.md";
const OUT: &str = "output/restricted/harbour-walk";

/// A 2x2 PNG, written byte by byte: red, green, blue and white.
fn png() -> Vec<u8> {
    png_of([255, 255, 255])
}

/// A 2x2 PNG whose last pixel is `last`.
fn png_of(last: [u8; 3]) -> Vec<u8> {
    fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(data);
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(&crc_input);
        out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
        out
    }
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn adler32(bytes: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for &x in bytes {
            a = (a + u32::from(x)) % 65521;
            b = (b + a) % 65521;
        }
        (b << 16) | a
    }
    let raw: Vec<u8> = [
        &[0u8, 255, 0, 0, 0, 255, 0][..],
        &[0u8, 0, 0, 255, last[0], last[1], last[2]][..],
    ]
    .concat();
    // A zlib stream of one stored (uncompressed) block.
    let mut z = vec![0x78, 0x01, 0x01];
    z.extend_from_slice(&(raw.len() as u16).to_le_bytes());
    z.extend_from_slice(&(!(raw.len() as u16)).to_le_bytes());
    z.extend_from_slice(&raw);
    z.extend_from_slice(&adler32(&raw).to_be_bytes());
    let mut ihdr = 2u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&2u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(b"IDAT", &z));
    out.extend(chunk(b"IEND", &[]));
    out
}

fn build(cb: &TestCasebook) -> std::process::Output {
    cb.build_ok()
}

fn pages(path: &Path) -> usize {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Pdf::new(bytes).expect("a PDF").pages().len()
}

/// Whether a page of the PDF draws a raster image: hayro draws the page as
/// SVG, where an image is an `<image>` element.
fn draws_an_image(path: &Path) -> bool {
    let bytes = std::fs::read(path).expect("read PDF");
    let svgs = contextpack::render::paper::pages_as_svg(&bytes).expect("pages drawn");
    svgs.iter().any(|svg| svg.contains("<image"))
}

/// The clean fixture with a peer map in its assessment and in the minutes
/// of its September review.
fn with_images() -> TestCasebook {
    let cb = TestCasebook::clean();
    cb.write(&format!("{CONTEXT}/images/peer-map.png"), png());
    cb.edit(
        ASSESSMENT,
        "## Patterns\n",
        "## Patterns\n\n![Peer map \"><script>alert(1)</script>](images/peer-map.png)\n",
    );
    let minutes = cb.read(HELD);
    cb.write(
        HELD,
        format!("{minutes}\n![The map again](../images/peer-map.png)\n"),
    );
    cb
}

#[test]
fn an_image_of_the_context_is_copied_beside_its_pages_and_drawn_in_its_pdfs() {
    let cb = with_images();
    let (exit, report) = cb.check_json();
    assert_eq!(exit, 0, "{:#?}", report.diagnostics());
    build(&cb);
    let out = cb.path().join(OUT);
    let copies: Vec<_> = std::fs::read_dir(out.join("images"))
        .expect("images folder")
        .map(|e| e.expect("entry").file_name().into_string().expect("name"))
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    let name = &copies[0];
    assert!(
        name.starts_with("peer-map-") && name.ends_with(".png"),
        "{name}"
    );
    assert_eq!(
        std::fs::read(out.join("images").join(name)).expect("copy"),
        png()
    );

    let page = std::fs::read_to_string(out.join("assessment.html")).expect("page");
    assert!(
        page.contains(&format!("<img src=\"images/{name}\"")),
        "{page}"
    );
    // The alt text is text: escaped, never markup.
    assert!(
        page.contains("alt=\"Peer map &quot;&gt;&lt;script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<script>alert"), "{page}");
    let minutes =
        std::fs::read_to_string(out.join("2026-09-09-review/minutes.html")).expect("minutes");
    assert!(minutes.contains(&format!(
        "<img src=\"../images/{name}\" alt=\"The map again\">"
    )));

    assert!(draws_an_image(&out.join("assessment.pdf")));
    assert!(draws_an_image(&out.join("2026-09-09-review/minutes.pdf")));
    assert!(draws_an_image(&out.join("2026-12-02-review/pack.pdf")));
    // The manifest names the image as an input of what shows it.
    let manifest =
        std::fs::read_to_string(cb.path().join("output/manifest.json")).expect("manifest");
    assert!(manifest.contains("cases/harbour-walk/images/peer-map.png"));
}

#[test]
fn a_new_version_of_an_image_renders_what_shows_it_again() {
    let cb = with_images();
    build(&cb);
    let again = build(&cb);
    let said = String::from_utf8_lossy(&again.stderr).into_owned();
    assert!(said.contains("rendered 0 documents"), "{said}");
    let first = image_names(&cb);
    cb.write(&format!("{CONTEXT}/images/peer-map.png"), png_of([9, 9, 9]));
    let third = build(&cb);
    let said = String::from_utf8_lossy(&third.stderr).into_owned();
    assert!(!said.contains("rendered 0 documents"), "{said}");
    let second = image_names(&cb);
    assert_eq!(second.len(), 1, "{second:?}");
    assert_ne!(first, second, "the copy is named after its content");
    let page = std::fs::read_to_string(cb.path().join(OUT).join("assessment.html")).expect("page");
    assert!(page.contains(&format!("images/{}", second[0])), "{page}");
}

fn image_names(cb: &TestCasebook) -> Vec<String> {
    std::fs::read_dir(cb.path().join(OUT).join("images"))
        .expect("images folder")
        .map(|e| e.expect("entry").file_name().into_string().expect("name"))
        .collect()
}

#[test]
fn a_meetings_papers_are_listed_on_its_agenda_and_bound_into_its_pack() {
    let plain = TestCasebook::clean();
    build(&plain);
    let pack_pages = pages(&plain.path().join(OUT).join("2026-12-02-review/pack.pdf"));
    // A PDF of the build as a partner's paper: the plan, as a stand-in.
    let paper = std::fs::read(plain.path().join(OUT).join("action-plan.pdf")).expect("plan");
    let paper_pages = pages(&plain.path().join(OUT).join("action-plan.pdf"));

    let cb = TestCasebook::clean();
    cb.write(&format!("{CONTEXT}/papers/partner-update.pdf"), &paper);
    cb.write(
        &format!("{CONTEXT}/papers/police-briefing.md"),
        "# Police briefing\n\nPatrols on the **harbour walk** rose from 14 November.\n",
    );
    cb.edit(
        REVIEW,
        "status: scheduled\n",
        "status: scheduled\npapers:\n  - { file: papers/police-briefing.md, title: \"Police briefing: harbour walk\" }\n  - papers/partner-update.pdf\n",
    );
    let (exit, report) = cb.check_json();
    assert_eq!(exit, 0, "{:#?}", report.diagnostics());
    build(&cb);
    let out = cb.path().join(OUT).join("2026-12-02-review");
    let agenda = std::fs::read_to_string(out.join("agenda.html")).expect("agenda");
    assert!(
        agenda.contains("<li>Police briefing: harbour walk</li>"),
        "{agenda}"
    );
    assert!(agenda.contains("<li>partner-update.pdf</li>"), "{agenda}");
    // Every page of the PDF paper, and at least one for the Markdown one.
    let bound = pages(&out.join("pack.pdf"));
    assert!(
        bound > pack_pages + paper_pages,
        "{bound} pages, {pack_pages} without papers, {paper_pages} in the PDF paper"
    );
    // The agenda still fits one page with its papers listed.
    assert_eq!(pages(&out.join("agenda.pdf")), 1);
}

#[test]
pub(crate) fn what_is_not_a_file_of_the_context_is_an_error_where_it_is_named() {
    let cb = TestCasebook::clean();
    cb.write("elsewhere/map.png", png());
    cb.write(&format!("{CONTEXT}/images/fake.png"), "not a picture");
    cb.write(&format!("{CONTEXT}/images/map.gif"), "GIF89a");
    cb.write(
        &format!("{CONTEXT}/papers/notes.pdf"),
        "%PDF-1.7 nothing else",
    );
    cb.edit(
        ASSESSMENT,
        "## Patterns\n",
        "## Patterns\n\n![a](https://example.org/map.png)\n\n![b](../../elsewhere/map.png)\n\n![c](images/map.gif)\n\n![d](images/fake.png)\n\n![e](images/none.png)\n",
    );
    cb.edit(
        REVIEW,
        "status: scheduled\n",
        "status: scheduled\npapers: [papers/notes.pdf, ../other/paper.pdf, papers/brief.docx]\n",
    );
    let (exit, report) = cb.check_json();
    assert_eq!(exit, 1);
    let found: Vec<(String, u64, String)> = report
        .diagnostics()
        .into_iter()
        .filter(|d| d.rule == "attachment")
        .map(|d| (d.file.clone(), d.line, d.message.clone()))
        .collect();
    let at = |needle: &str| line_of(&cb, ASSESSMENT, needle);
    let expected = [
        (
            ASSESSMENT,
            at("![a]"),
            "it is an address, not a file of the context",
        ),
        (
            ASSESSMENT,
            at("![b]"),
            "it is outside the context's folder `cases/harbour-walk`",
        ),
        (ASSESSMENT, at("![c]"), "it is not a PNG, JPEG or SVG file"),
        (
            ASSESSMENT,
            at("![d]"),
            "it is named as a PNG file but is not one",
        ),
        (
            ASSESSMENT,
            at("![e]"),
            "there is no file `cases/harbour-walk/images/none.png`",
        ),
    ];
    for (file, line, why) in expected {
        assert!(
            found
                .iter()
                .any(|(f, l, m)| f == file && *l == line && m.contains(why)),
            "no `{why}` at {file}:{line} in {found:#?}"
        );
    }
    let papers = line_of(&cb, REVIEW, "papers:");
    for why in [
        "the PDF cannot be read",
        "it is outside the context's folder",
        "it is not a Markdown or PDF file",
    ] {
        assert!(
            found
                .iter()
                .any(|(f, l, m)| f == REVIEW && *l == papers && m.contains(why)),
            "no `{why}` at {REVIEW}:{papers} in {found:#?}"
        );
    }
    // Nothing is built from records with errors.
    let out = cb
        .cmd(&["build", "--today", TODAY])
        .output()
        .expect("build");
    assert_eq!(out.status.code(), Some(1));
}

#[cfg(unix)]
#[test]
fn an_image_linked_from_outside_the_casebook_is_not_read() {
    let cb = TestCasebook::clean();
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("secret.png"), png()).expect("write");
    std::fs::create_dir_all(cb.path().join(CONTEXT).join("images")).expect("mkdir");
    std::os::unix::fs::symlink(
        outside.path().join("secret.png"),
        cb.path().join(CONTEXT).join("images/map.png"),
    )
    .expect("link");
    cb.edit(
        ASSESSMENT,
        "## Patterns\n",
        "## Patterns\n\n![map](images/map.png)\n",
    );
    let (exit, report) = cb.check_json();
    assert_eq!(exit, 1);
    let d = report.only("attachment");
    assert_eq!(d.file, ASSESSMENT);
    assert!(d.message.contains("symbolic link"), "{}", d.message);
    assert!(
        !d.message.contains(&outside.path().display().to_string()),
        "{}",
        d.message
    );
}
