//! `contextpack report --quarter 2026-Q3 [--forum ID]` as one call: the
//! anonymised summaries of one quarter, without the restricted documents.
//!
//! The casebook is checked first, as by `build`: a summary of records with
//! errors or unexplained breaches would count the wrong things, so nothing is
//! written then. The summaries go through the same leak guard. The output
//! folder is staged with only these files and the manifest replaced and
//! everything else kept, then swapped in whole, as `build` does (one writer,
//! [`super::output::Staging`]): a reader never finds a manifest that
//! disagrees with a summary, and a killed `report` leaves the previous
//! output as it was. The manifest's entries for those files are updated (or
//! a manifest is started), so a later `build` still recognises the folder.

use super::manifest::{self, FileEntry, Manifest, OutputEntry};
use super::output::{MANIFEST, Staging};
use super::{BuildError, CasebookFile, Gate, OutputError, Renderer, Reuse, Target, git};
use crate::Checked;
use crate::load::FatalError;
use crate::model::Date;
use crate::summary::{Quarter, quarter_summaries, quarters_with_held_meetings};
use std::path::Path;

/// What a report is asked to do.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub casebook: &'a Path,
    pub out: Option<&'a Path>,
    pub today: Option<Date>,
    /// As typed: `2026-Q3`.
    pub quarter: &'a str,
    /// Only this forum's summary.
    pub forum: Option<&'a str>,
    /// The quarter's summaries may differ from what `published/` records
    /// was sent: each changed one is marked as the next issue.
    pub reissue: bool,
}

/// Why a report could not start; nothing was written.
#[derive(Debug)]
pub enum Unstarted {
    /// The casebook cannot be read at all (exit 2).
    Casebook(FatalError),
    /// The quarter is not written `YYYY-Qn` (exit 2).
    Quarter { typed: String, held: Vec<Quarter> },
    /// The quarter begins after today: there is nothing to summarise yet,
    /// and a summary of it would be all zeros (exit 2).
    NotBegun { quarter: Quarter, today: Date },
    /// No forum of contextpack.yaml has this id (exit 2).
    Forum { typed: String, forums: Vec<String> },
    /// The output folder is refused (exit 2).
    Output(OutputError),
}

/// What a report did.
#[derive(Debug)]
pub struct Outcome {
    pub checked: Checked,
    pub target: Target,
    pub gate: Gate,
    pub quarter: Quarter,
    /// The quarters with a held meeting (a report of another is allowed,
    /// but shows only what was active).
    pub held: Vec<Quarter>,
    /// The files written, relative to the output folder, sorted.
    pub result: Result<Vec<String>, Stopped>,
}

#[derive(Debug)]
pub enum Stopped {
    /// Some records have errors or unexplained breaches: a summary of part
    /// of the casebook would undercount.
    HeldBack,
    Failed(BuildError),
}

impl Outcome {
    pub fn exit_code(&self) -> u8 {
        match &self.result {
            Ok(_) => 0,
            Err(Stopped::HeldBack) => 1,
            Err(Stopped::Failed(e)) => e.exit_code(),
        }
    }
}

/// Checks the casebook and writes the quarter's summaries.
pub fn run(request: &Request) -> Result<Outcome, Unstarted> {
    // A missing casebook folder is the loader's `FatalError::NoCasebook`.
    let checked =
        crate::check_casebook(request.casebook, request.today).map_err(Unstarted::Casebook)?;
    let cb = &checked.casebook;
    let held = quarters_with_held_meetings(cb);
    let Ok(quarter) = request.quarter.parse::<Quarter>() else {
        return Err(Unstarted::Quarter {
            typed: request.quarter.to_string(),
            held,
        });
    };
    if quarter.first_day() > checked.today {
        return Err(Unstarted::NotBegun {
            quarter,
            today: checked.today,
        });
    }
    let forums: Vec<String> = cb
        .settings
        .forums
        .iter()
        .map(|f| f.id.value.clone())
        .collect();
    if let Some(id) = request.forum
        && !forums.iter().any(|f| f == id)
    {
        return Err(Unstarted::Forum {
            typed: id.to_string(),
            forums,
        });
    }
    let target = Target::resolve(request.casebook, request.out).map_err(Unstarted::Output)?;
    let gate = Gate::of(&checked);
    let result = if gate.all_clear() {
        write_quarter(&checked, &target, quarter, request).map_err(Stopped::Failed)
    } else {
        Err(Stopped::HeldBack)
    };
    Ok(Outcome {
        checked,
        target,
        gate,
        quarter,
        held,
        result,
    })
}

fn write_quarter(
    checked: &Checked,
    target: &Target,
    quarter: Quarter,
    request: &Request,
) -> Result<Vec<String>, BuildError> {
    let mut summaries = quarter_summaries(checked, quarter, request.forum);
    let reissue: &[Quarter] = if request.reissue { &[quarter] } else { &[] };
    super::summaries::settle_all(checked, &mut summaries, reissue)?;
    let renderer = Renderer::load(&target.casebook)?.with_logo(&checked.casebook.settings);
    // Held from before the old output is read until the new one is in
    // place: a build or another report on this folder waits.
    let staging = Staging::new(&target.out)?;
    let provenance = super::history(target, checked, &renderer).casebook;
    let reuse = Reuse::from(&target.out);
    let files =
        super::summaries::render_summaries(&renderer, checked, &provenance, summaries, &reuse)?;
    let mut keep: std::collections::HashSet<String> =
        files.iter().map(|f| f.path.clone()).collect();
    keep.insert(MANIFEST.to_string());
    staging.keep_previous(&keep)?;
    for f in &files {
        staging.write(&f.path, &f.bytes)?;
    }
    let previous = crate::fs_guard::read_regular(&target.out.join(MANIFEST), 512 * 1024 * 1024)
        .ok()
        .and_then(|old| Manifest::read(&old));
    let manifest = match previous {
        Some(m) => with_files(m, &files),
        None => new_manifest(&target.casebook, &files, checked.today, &provenance)?,
    };
    staging.write(MANIFEST, &manifest.to_bytes())?;
    staging.commit()?;
    let mut written: Vec<String> = files.into_iter().map(|f| f.path).collect();
    written.sort();
    Ok(written)
}

fn entry(f: &CasebookFile) -> OutputEntry {
    OutputEntry {
        path: f.path.clone(),
        sha256: manifest::sha256(&f.bytes),
        bytes: f.bytes.len() as u64,
        inputs: f.inputs.clone(),
    }
}

/// The previous build's manifest with these files' entries replaced or added.
fn with_files(mut m: Manifest, files: &[CasebookFile]) -> Manifest {
    m.outputs
        .retain(|o| !files.iter().any(|f| f.path == o.path));
    m.outputs.extend(files.iter().map(entry));
    m
}

/// A manifest for an output folder that had none, so `build` may later
/// replace the folder it started.
fn new_manifest(
    root: &Path,
    files: &[CasebookFile],
    today: Date,
    provenance: &git::Provenance,
) -> Result<Manifest, OutputError> {
    let mut m = Manifest::new(today.to_string(), provenance);
    m.outputs = files.iter().map(entry).collect();
    let mut inputs: Vec<&str> = files
        .iter()
        .flat_map(|f| f.inputs.iter().map(String::as_str))
        .collect();
    inputs.sort_unstable();
    inputs.dedup();
    for p in inputs {
        let bytes = crate::fs_guard::read_inside(root, p, 512 * 1024 * 1024).map_err(|e| {
            OutputError::Io {
                path: root.join(p),
                error: std::io::Error::other(e.to_string()),
            }
        })?;
        m.inputs.push(FileEntry {
            path: p.to_string(),
            sha256: manifest::sha256(&bytes),
            bytes: bytes.len() as u64,
        });
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_keeps_other_entries() {
        let mut old = Manifest::new("2026-11-01".into(), &git::Provenance::Unversioned);
        for (path, sha) in [("b", "b"), ("anonymised/2026-Q3/f.csv", "old")] {
            old.outputs.push(OutputEntry {
                path: path.into(),
                sha256: sha.into(),
                bytes: 0,
                inputs: vec![],
            });
        }
        let f = CasebookFile {
            path: "anonymised/2026-Q3/f.csv".into(),
            bytes: b"abc".to_vec(),
            inputs: vec![],
        };
        let bytes = with_files(old, &[f]).to_bytes();
        let m = Manifest::read(&bytes).expect("ours");
        let paths: Vec<(&str, u64)> = m
            .outputs
            .iter()
            .map(|o| (o.path.as_str(), o.bytes))
            .collect();
        assert_eq!(paths, [("anonymised/2026-Q3/f.csv", 3), ("b", 0)]);
    }
}
