//! `contextpack build` as one call, in the shape of mdBook's and Zola's
//! commands: check the casebook, decide what may be rendered, render it, and
//! return what happened. The command line only prints the [`Outcome`].

use super::{BuildError, Built, Event, Gate, OutputError, Progress, Target, build};
use crate::Checked;
use crate::load::FatalError;
use crate::model::Date;
use crate::summary::Quarter;
use std::path::Path;

/// What a build is asked to do.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The casebook folder (holding contextpack.yaml).
    pub casebook: &'a Path,
    /// The output folder; `output` inside the casebook when `None`.
    pub out: Option<&'a Path>,
    /// The date to build for; the casebook's `as_of:`, else the clock.
    pub today: Option<Date>,
    /// Render the contexts that check clean when others do not.
    pub keep_going: bool,
    /// Quarters whose summaries may differ from what `published/` records
    /// was sent: each changed one is marked as the next issue.
    pub reissue: &'a [Quarter],
}

/// Why a build could not even start.
#[derive(Debug)]
pub enum Unstarted {
    /// The casebook cannot be read at all (exit 2).
    Casebook(FatalError),
    /// The output folder is refused (exit 2).
    Output(OutputError),
}

/// What a build did.
#[derive(Debug)]
pub struct Outcome {
    /// The records as checked, with every diagnostic.
    pub checked: Checked,
    pub target: Target,
    /// Which contexts were rendered and which held back, and why.
    pub gate: Gate,
    pub keep_going: bool,
    pub result: Result<Built, Stopped>,
}

/// Why nothing was written; the previous output is untouched either way.
#[derive(Debug)]
pub enum Stopped {
    /// The records have errors or unexplained breaches, and `keep_going`
    /// was not given or leaves no context to render.
    HeldBack,
    /// Rendering or writing failed.
    Failed(BuildError),
}

impl Outcome {
    /// Whether the anonymised summaries were left out: they count the whole
    /// casebook, and a part would undercount silently.
    pub fn summaries_withheld(&self) -> bool {
        self.result.is_ok() && !self.gate.all_clear()
    }

    /// The exit code DESIGN.md gives: 0 all built, 1 records held back or
    /// documents failed, 2 the output could not be written.
    pub fn exit_code(&self) -> u8 {
        match &self.result {
            Ok(_) if self.gate.all_clear() => 0,
            Ok(_) | Err(Stopped::HeldBack) => 1,
            Err(Stopped::Failed(e)) => e.exit_code(),
        }
    }
}

/// Checks the casebook and builds what the gate lets through. `progress`
/// hears each phase, the checked records (so problems are shown before a
/// long render), and each document.
pub fn run(request: &Request, progress: Option<Progress>) -> Result<Outcome, Unstarted> {
    let tell = |event| {
        if let Some(p) = progress {
            p(event);
        }
    };
    if !request.casebook.is_dir() {
        return Err(Unstarted::Casebook(FatalError::NoCasebook(
            request.casebook.to_path_buf(),
        )));
    }
    let target = Target::resolve(request.casebook, request.out).map_err(Unstarted::Output)?;
    tell(Event::Loading);
    let checked =
        crate::check_casebook(request.casebook, request.today).map_err(Unstarted::Casebook)?;
    tell(Event::Checked(&checked));
    let gate = Gate::of(&checked);
    let result = if !gate.all_clear() && (!request.keep_going || gate.renderable.is_empty()) {
        Err(Stopped::HeldBack)
    } else {
        build(&checked, &target, &gate, progress, request.reissue).map_err(Stopped::Failed)
    };
    Ok(Outcome {
        checked,
        target,
        gate,
        keep_going: request.keep_going,
        result,
    })
}
