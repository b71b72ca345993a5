//! A meeting's PDF papers, page by page, as SVG for the pack.
//!
//! typst cannot embed a PDF in a PDF/A document, and every document here is
//! PDF/A. hayro (which typst itself uses to show PDFs) draws each page as
//! an SVG whose glyphs are paths, which typst then embeds as vector art: the
//! page stays sharp and searchable nowhere but in the paper itself, which is
//! what a pack's copy of a partner's briefing needs. No font of the machine
//! is read: the 14 standard fonts a PDF may rely on come from typst's own
//! assets.

use hayro_svg::hayro_interpret::InterpreterSettings;
use hayro_svg::hayro_interpret::font::{FontData, FontQuery, StandardFont};
use hayro_svg::hayro_syntax::Pdf;
use hayro_svg::{RenderCache, SvgRenderSettings};
use std::sync::Arc;

/// Every page of `bytes` (a PDF the loader has checked) as an SVG
/// document, or why it cannot be drawn.
pub fn pages_as_svg(bytes: &[u8]) -> Result<Vec<String>, String> {
    let bytes = bytes.to_vec();
    // A hostile file must not take the build down with it.
    std::panic::catch_unwind(move || {
        let pdf = Pdf::new(bytes).map_err(|_| "the PDF cannot be read".to_string())?;
        let settings = InterpreterSettings {
            font_resolver: Arc::new(|query| match query {
                FontQuery::Standard(s) => standard_font(*s),
                FontQuery::Fallback(f) => standard_font(f.pick_standard_font()),
            }),
            cmap_resolver: Arc::new(|_| None),
            warning_sink: Arc::new(|_| {}),
            render_annotations: false,
        };
        let cache = RenderCache::new();
        let background = SvgRenderSettings {
            bg_color: [255, 255, 255, 255],
        };
        Ok(pdf
            .pages()
            .iter()
            .map(|page| hayro_svg::convert(page, &cache, &settings, &background))
            .collect())
    })
    .unwrap_or_else(|_| Err("the PDF's pages cannot be drawn".to_string()))
}

fn standard_font(font: StandardFont) -> Option<(FontData, u32)> {
    use typst_assets::pdf as f;
    let bytes: &'static [u8] = match font {
        StandardFont::Helvetica => f::SANS,
        StandardFont::HelveticaBold => f::SANS_BOLD,
        StandardFont::HelveticaOblique => f::SANS_ITALIC,
        StandardFont::HelveticaBoldOblique => f::SANS_BOLD_ITALIC,
        StandardFont::Courier => f::FIXED,
        StandardFont::CourierBold => f::FIXED_BOLD,
        StandardFont::CourierOblique => f::FIXED_ITALIC,
        StandardFont::CourierBoldOblique => f::FIXED_BOLD_ITALIC,
        StandardFont::TimesRoman => f::SERIF,
        StandardFont::TimesBold => f::SERIF_BOLD,
        StandardFont::TimesItalic => f::SERIF_ITALIC,
        StandardFont::TimesBoldItalic => f::SERIF_BOLD_ITALIC,
        StandardFont::ZapfDingBats => f::DING_BATS,
        StandardFont::Symbol => f::SYMBOL,
    };
    Some((Arc::new(bytes), 0))
}

/// Where typst finds page `n` (from 1) of the paper at `virtual_path`.
pub fn page_path(virtual_path: &str, n: usize) -> String {
    format!("{virtual_path}.page-{n}.svg")
}
