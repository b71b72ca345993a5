//! Files a context's records draw on without being records: the images its
//! Markdown shows and the papers its meetings send. Each is found inside the
//! context's folder, read once through the casebook's guard, checked to be
//! what its name says, and kept for the documents; anything else is an
//! `attachment` error at the place that names it.

use super::Loader;
use crate::diagnostic::Diagnostic;
use crate::model::{Attachment, AttachmentFormat, Context, ImageRef};
use crate::rule_id::RuleId;
use crate::source::Sp;

/// Largest image or paper read: a scanned briefing fits, a video does not.
pub const MAX_ATTACHMENT_BYTES: u64 = 20 * 1024 * 1024;

const IMAGES: &[AttachmentFormat] = &[
    AttachmentFormat::Png,
    AttachmentFormat::Jpeg,
    AttachmentFormat::Svg,
];
const PAPERS: &[AttachmentFormat] = &[AttachmentFormat::Markdown, AttachmentFormat::Pdf];

impl Loader<'_> {
    /// Finds and reads every image and paper of `c`, recording each found
    /// file's path on what names it.
    pub(super) fn attachments(&mut self, c: &mut Context) {
        let mut found: Vec<Attachment> = Vec::new();
        let dir = c.dir.clone();
        if let Some(a) = c.assessment.as_mut() {
            let folder = parent(self.sources.path(a.file));
            self.images(&dir, &folder, &mut a.body.images, &mut found);
        }
        for m in &mut c.meetings {
            let folder = parent(self.sources.path(m.file));
            self.images(&dir, &folder, &mut m.body.images, &mut found);
            for p in &mut m.papers {
                p.path = self.attach(&dir, &dir, &p.file, PAPERS, &mut found);
            }
        }
        c.attachments = found;
    }

    fn images(
        &mut self,
        dir: &str,
        folder: &str,
        images: &mut [ImageRef],
        found: &mut Vec<Attachment>,
    ) {
        for image in images {
            image.path = self.attach(dir, folder, &image.written, IMAGES, found);
        }
    }

    /// The casebook path of the file `written` names (relative to
    /// `folder`), read into `found`, when it is one of `formats` inside the
    /// context's folder `dir`; reported otherwise.
    fn attach(
        &mut self,
        dir: &str,
        folder: &str,
        written: &Sp<String>,
        formats: &[AttachmentFormat],
        found: &mut Vec<Attachment>,
    ) -> Option<String> {
        let is_image = formats == IMAGES;
        let what = if is_image { "image" } else { "paper" };
        let help = if is_image {
            format!(
                "keep the image in the context's folder, for example `{dir}/images/peer-map.png`, and write its path from this file: `![Peer map](images/peer-map.png)` (PNG, JPEG or SVG)"
            )
        } else {
            format!(
                "keep the paper in the context's folder, for example `{dir}/papers/police-briefing.pdf`, and list its path from that folder: `papers: [papers/police-briefing.pdf]` (Markdown or PDF)"
            )
        };
        let refuse = |loader: &mut Self, why: String| {
            loader.diags.push(
                Diagnostic::new(
                    RuleId::Attachment,
                    written.loc,
                    format!("{what} `{}` cannot be used: {why}", shown(&written.value)),
                )
                .with_help(help.clone()),
            );
            None
        };
        let rel = match resolve(dir, folder, &written.value) {
            Ok(rel) => rel,
            Err(why) => return refuse(self, why),
        };
        let Some(format) = format_of(&rel).filter(|f| formats.contains(f)) else {
            let kinds = if is_image {
                "a PNG, JPEG or SVG file"
            } else {
                "a Markdown or PDF file"
            };
            return refuse(self, format!("it is not {kinds}"));
        };
        if found.iter().any(|a| a.path == rel) {
            return Some(rel);
        }
        let bytes = match self.guard.read(&self.root.join(&rel), MAX_ATTACHMENT_BYTES) {
            Ok(bytes) => bytes,
            Err(e) => {
                use crate::fs_guard::ReadError;
                let why = match e {
                    ReadError::Missing => format!("there is no file `{rel}`"),
                    ReadError::TooLarge(n) => format!(
                        "it is {:.1} MiB, over the {} MiB an attachment may have",
                        n as f64 / (1024.0 * 1024.0),
                        MAX_ATTACHMENT_BYTES / (1024 * 1024)
                    ),
                    other => other.to_string(),
                };
                return refuse(self, why);
            }
        };
        let pages = match check_content(format, &bytes) {
            Ok(pages) => pages,
            Err(why) => return refuse(self, why),
        };
        found.push(Attachment {
            hash: short_hash(&bytes),
            path: rel.clone(),
            format,
            bytes: bytes.into(),
            pages,
        });
        Some(rel)
    }
}

/// The folder of a casebook path.
fn parent(path: &str) -> String {
    path.rsplit_once('/')
        .map_or_else(String::new, |(dir, _)| dir.to_string())
}

/// `written`, relative to `folder`, as a casebook path inside `dir`.
fn resolve(dir: &str, folder: &str, written: &str) -> Result<String, String> {
    let path = crate::text::percent_decoded(written);
    if path.trim().is_empty() {
        return Err("it names no file".into());
    }
    let scheme = path
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains('/'));
    if scheme {
        return Err(
            "it is an address, not a file of the context; documents never fetch anything".into(),
        );
    }
    if path.starts_with('/') || path.contains('\\') {
        return Err("write a path relative to the file, with `/` between folders".into());
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let rel = parts.join("/");
    if !rel.starts_with(&format!("{dir}/")) {
        return Err(format!("it is outside the context's folder `{dir}`"));
    }
    Ok(rel)
}

pub(super) fn format_of(path: &str) -> Option<AttachmentFormat> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => AttachmentFormat::Png,
        "jpg" | "jpeg" => AttachmentFormat::Jpeg,
        "svg" => AttachmentFormat::Svg,
        "pdf" => AttachmentFormat::Pdf,
        "md" => AttachmentFormat::Markdown,
        _ => return None,
    })
}

/// Whether the bytes are what the name says (a PDF's pages when it is
/// one), so a renamed file is an error here rather than a failed build.
pub(super) fn check_content(format: AttachmentFormat, bytes: &[u8]) -> Result<usize, String> {
    let named = |kind: &str| format!("it is named as a {kind} file but is not one");
    match format {
        AttachmentFormat::Png if bytes.starts_with(b"\x89PNG\r\n\x1a\n") => Ok(0),
        AttachmentFormat::Png => Err(named("PNG")),
        AttachmentFormat::Jpeg if bytes.starts_with(&[0xff, 0xd8, 0xff]) => Ok(0),
        AttachmentFormat::Jpeg => Err(named("JPEG")),
        AttachmentFormat::Svg => match std::str::from_utf8(bytes) {
            Ok(t) if t.contains("<svg") => Ok(0),
            _ => Err(named("SVG")),
        },
        AttachmentFormat::Markdown => match std::str::from_utf8(bytes) {
            Ok(t) if t.len() <= super::markdown::MAX_BODY_BYTES => Ok(0),
            Ok(_) => Err("a Markdown paper may be at most 1 MiB".into()),
            Err(_) => Err("it is not UTF-8 text".into()),
        },
        AttachmentFormat::Pdf => {
            if !bytes.starts_with(b"%PDF-") {
                return Err(named("PDF"));
            }
            match hayro_svg::hayro_syntax::Pdf::new(bytes.to_vec()) {
                Ok(pdf) if !pdf.pages().is_empty() => Ok(pdf.pages().len()),
                Ok(_) => Err("the PDF has no pages".into()),
                Err(_) => {
                    Err("the PDF cannot be read (damaged, or protected by a password)".into())
                }
            }
        }
    }
}

/// The first 12 hex digits of the bytes' SHA-256: what names a file's copy.
pub(super) fn short_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(bytes);
    hash.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// A path as a message shows it: control characters would garble a
/// terminal, and a very long one would bury the message.
fn shown(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    crate::load::yaml::shorten(&clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_inside_the_context_only() {
        let dir = "cases/harbour-walk";
        let conf = "cases/harbour-walk/conferences";
        assert_eq!(
            resolve(dir, dir, "images/map.png").as_deref(),
            Ok("cases/harbour-walk/images/map.png")
        );
        assert_eq!(
            resolve(dir, conf, "../images/a%20b.png").as_deref(),
            Ok("cases/harbour-walk/images/a b.png")
        );
        assert_eq!(
            resolve(dir, conf, "./x.png").as_deref(),
            Ok("cases/harbour-walk/conferences/x.png")
        );
        for bad in [
            "../../other/x.png",
            "/etc/passwd",
            "https://example.org/x.png",
            "data:image/png;base64,AA",
            "C:/x.png",
            "a\\b.png",
            "",
            "../",
        ] {
            assert!(resolve(dir, conf, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn content_must_match_the_name() {
        assert!(check_content(AttachmentFormat::Png, b"GIF89a").is_err());
        assert!(
            check_content(
                AttachmentFormat::Svg,
                b"<svg xmlns='http://www.w3.org/2000/svg'/>"
            )
            .is_ok()
        );
        assert!(check_content(AttachmentFormat::Pdf, b"%PDF-1.7 nonsense").is_err());
        assert!(check_content(AttachmentFormat::Markdown, &[0xff, 0xfe]).is_err());
    }
}
