//! `contextpack init` and `contextpack new`: new casebooks and records that
//! follow FORMAT.md, with comments saying what to fill in.
//!
//! Exit codes: 0 written; 2 nothing written (a bad argument, an unknown
//! person, type or context, or a file that already exists: contextpack never
//! overwrites a record).

use super::{CasebookArgs, EXIT_USAGE, emit, parse_date};
use crate::model::Date;
use crate::scaffold::{self, Error, NewConference, NewContext, Written};
use clap::Args;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The folder to create the casebook in (created if missing)
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// The partnership's name, printed on every pack [default: a placeholder
    /// to replace in contextpack.yaml]
    #[arg(long, value_name = "NAME")]
    pub partnership: Option<String>,
    /// A strategic forum that receives the anonymised summaries, as its id
    /// and name (`--forum csp="Safer Torbay Partnership"`); repeat for each.
    /// [default: the terms of reference's three, with neutral names]
    #[arg(long = "forum", value_name = "ID=NAME", value_parser = parse_forum)]
    pub forums: Vec<(String, String)>,
    /// Do not make the folder a git repository. Without this, a folder in
    /// no repository gets `git init` and a first commit of what init wrote
    #[arg(long)]
    pub no_git: bool,
}

fn parse_forum(s: &str) -> Result<(String, String), String> {
    let (id, name) = s
        .split_once('=')
        .ok_or_else(|| "expected ID=NAME, such as csp=\"Safer Torbay Partnership\"".to_string())?;
    let (id, name) = (id.trim(), name.trim());
    if !crate::load::decode::is_id(id) {
        return Err(format!(
            "`{id}` is not an id: use lower-case letters, digits and hyphens, such as csp"
        ));
    }
    if name.is_empty() {
        return Err(format!("forum `{id}` has no name after ="));
    }
    Ok((id.to_string(), name.to_string()))
}

#[derive(clap::Subcommand, Debug)]
pub enum NewArgs {
    /// A context, with its assessment and plan to fill in
    ///
    /// Writes cases/<ID>/ with context.yaml, an assessment.md holding every
    /// required section, and an empty plan.yaml. Never overwrites a file.
    Context(NewContextArgs),
    /// A scheduled conference or interim meeting to fill in
    ///
    /// Writes cases/<CONTEXT>/conferences/<DATE>-<KIND>.md with the standard
    /// agenda. A review takes its chair, venue and times from the previous
    /// conference and its invitations from the review arrangements that
    /// conference agreed. Never overwrites a file.
    Conference(NewConferenceArgs),
}

#[derive(Args, Debug)]
pub struct NewContextArgs {
    /// The context's id, which names its folder: lowercase letters, digits
    /// and hyphens, like `stonehouse-parade`
    #[arg(value_name = "ID")]
    pub id: String,
    /// peer-group, school, neighbourhood or online
    #[arg(long = "type", value_name = "TYPE")]
    pub context_type: String,
    /// The context's title: "Stonehouse parade and Victoria Park"
    #[arg(long, value_name = "TITLE")]
    pub title: String,
    /// The lead practitioner: a person id from contextpack.yaml
    #[arg(long, value_name = "PERSON")]
    pub lead: String,
    /// The ward or locality [default: left to fill in]
    #[arg(long, value_name = "AREA")]
    pub area: Option<String>,
    /// The date the context was opened [default: today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub opened: Option<Date>,
    #[command(flatten)]
    pub casebook: CasebookArgs,
}

#[derive(Args, Debug)]
pub struct NewConferenceArgs {
    /// The context's id (its folder under cases/)
    #[arg(value_name = "CONTEXT")]
    pub context: String,
    /// The day of the meeting
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Date,
    /// initial, review or interim [default: review when the context has held
    /// a conference before DATE, otherwise initial]
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// The chair: a person id [default: a review's previous chair; otherwise
    /// left to fill in]
    #[arg(long, value_name = "PERSON")]
    pub chair: Option<String>,
    /// The venue [default: a review's previous venue; otherwise left to fill in]
    #[arg(long, value_name = "VENUE")]
    pub venue: Option<String>,
    #[command(flatten)]
    pub casebook: CasebookArgs,
}

#[derive(Args, Debug)]
pub struct MoveArgs {
    /// The context's id (its folder under cases/)
    #[arg(value_name = "CONTEXT")]
    pub context: String,
    /// The meeting: its file name without .md (`2026-12-01-review`), or its date
    #[arg(value_name = "MEETING")]
    pub meeting: String,
    /// The new day; a conference must be held again within the days
    /// `moved-within` allows
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub to: Date,
    /// Why it moved, as the minutes will say
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// The chair agreed to the move (without it, `chair_consent: false` is
    /// recorded, a `moved-consent` breach for a conference)
    #[arg(long)]
    pub chair_consent: bool,
    #[command(flatten)]
    pub casebook: CasebookArgs,
}

/// `contextpack move`.
pub fn move_meeting(a: &MoveArgs) -> ExitCode {
    let root = &match a.casebook.root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    let req = scaffold::MoveMeeting {
        context: &a.context,
        meeting: &a.meeting,
        to: a.to,
        reason: &a.reason,
        chair_consent: a.chair_consent,
    };
    finish(root, scaffold::move_meeting(root, &req))
}

pub fn init(args: &InitArgs) -> ExitCode {
    let mut result = scaffold::init(&args.dir, args.partnership.as_deref(), &args.forums);
    if let Ok(w) = &mut result
        && !args.no_git
    {
        scaffold::repository::first_commit(&args.dir, w);
    }
    finish(&args.dir, result)
}

pub fn new(args: &NewArgs) -> ExitCode {
    match args {
        NewArgs::Context(a) => new_context(a),
        NewArgs::Conference(a) => new_conference(a),
    }
}

fn new_context(a: &NewContextArgs) -> ExitCode {
    let root = &match a.casebook.root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    let opened = a
        .opened
        .unwrap_or_else(|| scaffold::today(root, a.casebook.today));
    let req = NewContext {
        id: &a.id,
        context_type: &a.context_type,
        title: &a.title,
        lead: &a.lead,
        area: a.area.as_deref(),
        opened,
    };
    finish(root, scaffold::new_context(root, &req))
}

fn new_conference(a: &NewConferenceArgs) -> ExitCode {
    let root = &match a.casebook.root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    let req = NewConference {
        context: &a.context,
        date: a.date,
        kind: a.kind.as_deref(),
        chair: a.chair.as_deref(),
        venue: a.venue.as_deref(),
        today: scaffold::today(root, a.casebook.today),
    };
    finish(root, scaffold::new_conference(root, &req))
}

/// Prints what was written and what to do next, or why nothing was.
fn finish(root: &Path, result: Result<Written, Error>) -> ExitCode {
    match result {
        Ok(w) => emit(&report(root, &w)),
        Err(e) => {
            let _ = writeln!(
                io::stderr(),
                "error: {}\n  help: {}",
                crate::report::terminal::lines(&e.to_string()),
                e.help()
            );
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `created cases/x/context.yaml` per file, notes, then `next:` steps.
pub fn report(root: &Path, w: &Written) -> String {
    let mut out = String::new();
    for f in &w.created {
        out.push_str(&format!("created {}\n", shown(root, f)));
    }
    for f in &w.updated {
        out.push_str(&format!("updated {}\n", shown(root, f)));
    }
    for n in &w.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    if !w.next.is_empty() {
        out.push_str("next:\n");
        for (i, step) in w.next.iter().enumerate() {
            out.push_str(&format!("  {}. {step}\n", i + 1));
        }
    }
    out
}

/// The file as the user would type it: under the casebook folder they gave,
/// or bare when that is the current folder.
fn shown(root: &Path, rel: &str) -> String {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        rel.to_string()
    } else {
        root.join(rel).display().to_string()
    }
}
