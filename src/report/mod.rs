//! Printing diagnostics: for people (rustc-style snippets), as JSON, and as
//! GitHub workflow annotations.
//!
//! Every renderer returns a `String` rather than writing to a stream, so the
//! command line decides where it goes and tests can compare it whole.

pub mod github;
pub mod human;
pub mod json;
pub mod terminal;

use crate::model::Casebook;
use crate::source::{FileId, SourceFile, SourceMap};

/// How much of the casebook was checked, for the closing summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    pub contexts: usize,
    /// Meeting records of every kind and status.
    pub meetings: usize,
}

impl Scope {
    pub fn of(casebook: &Casebook) -> Self {
        Scope {
            contexts: casebook.contexts.len(),
            meetings: casebook.contexts.iter().map(|c| c.meetings.len()).sum(),
        }
    }
}

/// The file a diagnostic points at, if the source map has it. Looked up
/// without indexing so that a stray id can never bring the report down.
fn source_file(sources: &SourceMap, id: FileId) -> Option<&SourceFile> {
    sources.get(id)
}

/// The casebook-relative path of a diagnostic's file, with `/` separators.
fn path_of(sources: &SourceMap, id: FileId) -> String {
    source_file(sources, id).map_or_else(String::new, |f| f.path.replace('\\', "/"))
}

/// [`path_of`], made safe to print: a file name may hold a line break.
fn shown_path(sources: &SourceMap, id: FileId) -> String {
    terminal::visible(&path_of(sources, id)).into_owned()
}
