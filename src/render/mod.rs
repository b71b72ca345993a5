//! Rendering of documents from a checked casebook: HTML through tera templates,
//! PDF through typst, Markdown converted safely for both.

pub mod bind;
pub mod cells;
pub mod chart;
pub mod document;
pub mod docx;
pub mod html;
pub mod map;
pub mod markdown;
pub mod paper;
pub mod pdf;
pub mod templates;
pub mod view;
