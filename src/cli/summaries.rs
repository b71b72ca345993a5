//! `contextpack report --quarter 2026-Q3 [--forum ID]`: the anonymised
//! summaries of one quarter, without the restricted documents.
//!
//! The casebook is checked first, as by `build`: a summary of records with
//! errors or unexplained breaches would count the wrong things, so nothing is
//! written then. The summaries go through the same leak guard, and only their
//! own files in `<out>/anonymised/<YYYY>-Q<n>/` are replaced (each written
//! beside its place, then renamed over it); the rest of the output folder,
//! restricted documents included, is left as it is. The manifest's entries
//! for those files are updated (or a manifest is started), so a later `build`
//! still recognises the folder as its own.

use super::{CasebookArgs, EXIT_FAILED, EXIT_USAGE};
use crate::build::manifest::{self, FileEntry, Manifest, OutputEntry};
use crate::build::output::{MANIFEST, Staging};
use crate::build::{BuildError, CasebookFile, Gate, OutputError, Renderer, Target, git};
use crate::load::FatalError;
use crate::report::{self, Scope};
use crate::summary::{Quarter, quarters_with_held_meetings, summary_for};
use clap::Args;
use serde_json::Value;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub casebook: CasebookArgs,
    /// The calendar quarter, written YYYY-Qn: 2026-Q3 is July to September
    #[arg(long, value_name = "YYYY-Qn")]
    pub quarter: String,
    /// Only the summary for this forum (an id from `forums:`)
    #[arg(long, value_name = "ID")]
    pub forum: Option<String>,
    /// The output folder [default: `output` inside the casebook]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(args: &ReportArgs) -> ExitCode {
    let root = &args.casebook.casebook;
    if !root.is_dir() {
        return super::fatal(&FatalError::NoCasebook(root.clone()));
    }
    let checked = match crate::check_casebook(root, args.casebook.today) {
        Ok(checked) => checked,
        Err(e) => return super::fatal(&e),
    };
    let cb = &checked.casebook;
    let held = quarters_with_held_meetings(cb);
    let Ok(quarter) = args.quarter.parse::<Quarter>() else {
        return usage(
            &format!("`{}` is not a calendar quarter", args.quarter),
            &format!(
                "write the quarter as YYYY-Qn, such as 2026-Q3 (July to September 2026); {}",
                quarters_held(&held)
            ),
        );
    };
    let forums: Vec<&str> = cb
        .settings
        .forums
        .iter()
        .map(|f| f.id.value.as_str())
        .collect();
    if let Some(id) = &args.forum
        && !forums.contains(&id.as_str())
    {
        return usage(
            &format!("there is no forum `{id}`"),
            &forum_help(id, &forums),
        );
    }
    let target = match Target::resolve(root, args.out.as_deref()) {
        Ok(target) => target,
        Err(e) => return super::build_failed(&BuildError::Output(e), &cb.sources),
    };

    let sources = &cb.sources;
    let diagnostics = report::human::render(
        &checked.diagnostics,
        sources,
        Scope::of(cb),
        super::colour_stderr(),
    );
    let _ = io::stderr().write_all(diagnostics.as_bytes());
    let gate = Gate::of(&checked);
    if !gate.all_clear() {
        super::say_held_back(&gate);
        let _ = writeln!(
            io::stderr(),
            "error: no summary was rendered: the records have errors or unexplained breaches, \
             and a summary of part of the casebook would undercount; the previous output is \
             untouched\n  help: fix the records above, then run the report again"
        );
        return ExitCode::from(EXIT_FAILED);
    }
    if !held.contains(&quarter) {
        let _ = writeln!(
            io::stderr(),
            "note: no meeting was held in {quarter}; the summary shows only what was active \
             ({})",
            quarters_held(&held)
        );
    }

    let summaries = forums
        .iter()
        .filter(|f| args.forum.as_deref().is_none_or(|want| want == **f))
        .filter_map(|f| summary_for(&checked, quarter, f))
        .collect();
    let written = Renderer::load(&target.casebook).and_then(|renderer| {
        // Held from before the old output is read until the new one is in
        // place: a build or another report on this folder waits.
        let staging = Staging::new(&target.out)?;
        let provenance = crate::build::history(&target, &checked, &renderer).casebook;
        let reuse = crate::build::Reuse::from(&target.out);
        let files = crate::build::summaries::render_summaries(
            &renderer,
            &checked,
            &provenance,
            summaries,
            &reuse,
        )?;
        write_files(
            staging,
            &target,
            &files,
            &checked.today.to_string(),
            &provenance,
        )?;
        Ok(files.len())
    });
    match written {
        Ok(n) => super::emit(&format!(
            "wrote {} of {quarter} into {}\n",
            crate::text::count(n, "anonymised summary file", "anonymised summary files"),
            super::shown_folder(&target.shown.join("anonymised").join(quarter.to_string()))
        )),
        Err(e) => super::build_failed(&e, sources),
    }
}

/// A usage error (exit 2) with a hint.
fn usage(message: &str, help: &str) -> ExitCode {
    let _ = writeln!(
        io::stderr(),
        "error: {}\n  help: {help}",
        crate::report::terminal::lines(message)
    );
    ExitCode::from(EXIT_USAGE)
}

/// "quarters with held meetings: 2026-Q2, 2026-Q3".
fn quarters_held(held: &[Quarter]) -> String {
    if held.is_empty() {
        return "the casebook has no held meeting yet".to_string();
    }
    let list: Vec<String> = held.iter().map(Quarter::to_string).collect();
    format!("quarters with held meetings: {}", list.join(", "))
}

/// Suggests the nearest forum id and lists them all.
pub fn forum_help(typed: &str, forums: &[&str]) -> String {
    let all = forums
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match crate::text::nearest(typed, forums) {
        _ if forums.is_empty() => "contextpack.yaml lists no forum under `forums:`".to_string(),
        Some(f) => format!("did you mean `{f}`? The forums in contextpack.yaml are {all}"),
        None => format!("the forums in contextpack.yaml are {all}"),
    }
}

// ---------------------------------------------------------------- writing

/// Stages the output folder with these files and the manifest replaced and
/// everything else kept, then swaps it in whole, as `build` does: a reader
/// never finds a manifest that disagrees with a summary, and a killed
/// `report` leaves the previous output as it was.
fn write_files(
    staging: Staging,
    target: &Target,
    files: &[CasebookFile],
    today: &str,
    provenance: &git::Provenance,
) -> Result<(), BuildError> {
    let mut skip: std::collections::HashSet<String> =
        files.iter().map(|f| f.path.clone()).collect();
    skip.insert(MANIFEST.to_string());
    staging.keep_previous(&skip)?;
    for f in files {
        staging.write(&f.path, &f.bytes)?;
    }
    let manifest_path = target.out.join(MANIFEST);
    let bytes = match crate::fs_guard::read_regular(&manifest_path, 512 * 1024 * 1024) {
        Ok(old) => updated_manifest(&old, files),
        Err(_) => None,
    };
    let bytes = match bytes {
        Some(b) => b,
        None => new_manifest(&target.casebook, files, today, provenance)?,
    };
    staging.write(MANIFEST, &bytes)?;
    staging.commit()?;
    Ok(())
}

fn entry(f: &CasebookFile) -> OutputEntry {
    OutputEntry {
        path: f.path.clone(),
        sha256: manifest::sha256(&f.bytes),
        bytes: f.bytes.len() as u64,
        inputs: f.inputs.clone(),
    }
}

/// The manifest of a previous build with these files' entries replaced or
/// added (sorted by path, as `build` writes them); `None` when it cannot be
/// read as one.
fn updated_manifest(old: &[u8], files: &[CasebookFile]) -> Option<Vec<u8>> {
    if !manifest::is_ours(old) {
        return None;
    }
    let mut m: Value = serde_json::from_slice(old).ok()?;
    // A manifest from before the format marker gets it now.
    m.as_object_mut()?
        .insert("format".into(), Value::from(manifest::FORMAT));
    let outputs = m.get_mut("outputs")?.as_array_mut()?;
    for f in files {
        outputs.retain(|o| o.get("path").and_then(Value::as_str) != Some(f.path.as_str()));
        outputs.push(serde_json::to_value(entry(f)).ok()?);
    }
    outputs.sort_by(|a, b| {
        let path = |v: &Value| {
            v.get("path")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        path(a).cmp(&path(b))
    });
    let mut bytes = serde_json::to_vec_pretty(&m).ok()?;
    bytes.push(b'\n');
    Some(bytes)
}

/// A manifest for an output folder that had none, so `build` may later
/// replace the folder it started.
fn new_manifest(
    root: &Path,
    files: &[CasebookFile],
    today: &str,
    provenance: &git::Provenance,
) -> Result<Vec<u8>, OutputError> {
    let mut m = Manifest::new(today.to_string(), provenance);
    m.outputs = files.iter().map(entry).collect();
    let mut inputs: Vec<&str> = files
        .iter()
        .flat_map(|f| f.inputs.iter().map(String::as_str))
        .collect();
    inputs.sort_unstable();
    inputs.dedup();
    for p in inputs {
        let file = root.join(p);
        let bytes = crate::fs_guard::read_inside(root, p, 512 * 1024 * 1024).map_err(|e| {
            OutputError::Io {
                path: file.clone(),
                error: io::Error::other(e.to_string()),
            }
        })?;
        m.inputs.push(FileEntry {
            path: p.to_string(),
            sha256: manifest::sha256(&bytes),
            bytes: bytes.len() as u64,
        });
    }
    Ok(m.to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forum_typos_get_a_suggestion() {
        let forums = ["mace-operational", "safer-plymouth", "mace-strategic"];
        let help = forum_help("safer-plymoth", &forums);
        assert!(help.starts_with("did you mean `safer-plymouth`?"), "{help}");
        let help = forum_help("police", &forums);
        assert!(help.starts_with("the forums in contextpack.yaml are `mace-operational`"));
        assert!(forum_help("x", &[]).contains("no forum"));
    }

    #[test]
    fn the_manifest_keeps_other_entries() {
        let old = br#"{"format":"contextpack-output","manifest_version":1,"outputs":[{"path":"b"},{"path":"anonymised/2026-Q3/f.csv","sha256":"old"}],"x":1}"#;
        let f = CasebookFile {
            path: "anonymised/2026-Q3/f.csv".into(),
            bytes: b"abc".to_vec(),
            inputs: vec![],
        };
        let new = updated_manifest(old, &[f]).unwrap_or_default();
        let v: Value = serde_json::from_slice(&new).unwrap_or_default();
        let outputs = v["outputs"].as_array().cloned().unwrap_or_default();
        assert_eq!(outputs.len(), 2);
        assert_eq!(outputs[0]["path"], "anonymised/2026-Q3/f.csv");
        assert_eq!(outputs[0]["bytes"], 3);
        assert_eq!(outputs[1]["path"], "b");
        assert_eq!(v["x"], 1);
    }
}
