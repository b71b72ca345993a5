//! The end-to-end tests: fixture casebooks copied to a temporary folder,
//! changed one thing at a time, and run through the real binary. One test
//! binary, as ripgrep and mdBook have, so typst is linked once, not once
//! per file.

mod common;

mod attachments;
mod attacker;
mod bad_input;
mod build;
mod calendar;
mod changed;
mod ci_recipes;
mod cli_basics;
mod configured_rules;
mod connections;
mod dashboard;
mod deadlines;
mod disclosure;
mod hostile;
mod html_documents;
mod library;
mod lsp;
mod mutations;
mod packs;
mod pdf_documents;
mod publish;
mod rules;
mod scaffold;
mod scale;
mod schemas;
mod serve;
mod snapshots;
mod status;
mod summaries;
mod word_documents;
