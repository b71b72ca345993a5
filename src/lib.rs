//! contextpack: checks Context Safeguarding Conference records against the
//! protocol, like a compiler checks code, and renders their documents.
//!
//! The binary is a thin layer over this library: [`load::load_casebook`] reads a
//! casebook into a [`model::Casebook`] with a diagnostic for every problem,
//! [`rules::check`] runs the protocol over it, and [`report`] prints the result.

pub mod build;
pub mod cli;
pub mod connections;
pub mod deadline;
pub mod diagnostic;
pub mod due;
pub mod fs_guard;
pub mod generate;
pub mod load;
pub mod lsp;
pub mod model;
pub mod narrow;
pub mod render;
pub mod report;
pub mod rule_id;
pub mod rules;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod source;
pub mod summary;
#[cfg(test)]
mod test_rng;
pub mod text;

use diagnostic::{Diagnostic, Kind};
use model::{Casebook, Date};
use std::collections::BTreeMap;
use std::path::Path;

/// A casebook loaded and checked.
#[derive(Debug)]
pub struct Checked {
    pub casebook: Casebook,
    /// Every diagnostic, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// The date the rules compared against.
    pub today: Date,
    /// Findings of rules the casebook's `rules:` turned off: reported
    /// nowhere, counted in the summaries beside the reason.
    pub turned_off: Vec<Diagnostic>,
}

impl Checked {
    /// `(errors, breaches)` not explained, by casebook-relative file path
    /// (`/` separators), for every file that has any: what holds a context
    /// back from `build` and what `status` lists.
    pub fn failures_by_file(&self) -> BTreeMap<String, (usize, usize)> {
        let mut per_file: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for d in self.diagnostics.iter().filter(|d| !d.is_explained()) {
            let slot = per_file.entry(self.path_of(d.loc.file)).or_default();
            match d.kind {
                Kind::Error => slot.0 += 1,
                Kind::Breach => slot.1 += 1,
                Kind::Warning => {}
            }
        }
        per_file.retain(|_, (e, b)| *e + *b > 0);
        per_file
    }

    /// A file's casebook-relative path with `/` separators; empty for a
    /// file the casebook does not know.
    pub fn path_of(&self, file: source::FileId) -> String {
        self.casebook
            .sources
            .get(file)
            .map_or_else(String::new, |f| f.path.replace('\\', "/"))
    }
}

/// The date records are checked and dated against: `given` (`--today`),
/// else the casebook's `as_of:` setting, else the clock.
pub fn today_of(given: Option<Date>, settings: &model::Settings) -> Date {
    given
        .or(settings.as_of.as_ref().map(|d| d.value))
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Loads the casebook at `root` and checks it against the protocol, on
/// [`today_of`] `today`.
pub fn check_casebook(root: &Path, today: Option<Date>) -> Result<Checked, load::FatalError> {
    check_casebook_with(root, today, fs_guard::Overlay::default())
}

/// [`check_casebook`] with an editor's unsaved texts in place of their files.
pub fn check_casebook_with(
    root: &Path,
    today: Option<Date>,
    overlay: fs_guard::Overlay,
) -> Result<Checked, load::FatalError> {
    let loaded = load::load_casebook_with(root, overlay)?;
    let today = today_of(today, &loaded.casebook.settings);
    let rules::Checked {
        diagnostics,
        turned_off,
    } = rules::check(&loaded.casebook, today, loaded.diagnostics);
    Ok(Checked {
        casebook: loaded.casebook,
        diagnostics,
        today,
        turned_off,
    })
}
