//! `contextpack report --quarter 2026-Q3 [--forum ID]`: the arguments, and
//! what [`crate::build::one_quarter::run`] did, printed: the findings, what
//! was held back, the files written, or why nothing was.

use super::{CasebookArgs, EXIT_USAGE};
use crate::build::BuildError;
use crate::report::{self, Scope};
use crate::summary::Quarter;
use clap::Args;
use std::io::{self, Write};
use std::path::PathBuf;
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
    /// Allow a summary already sent (`published/`) to change: it is marked
    /// as a reissue on its first page
    #[arg(long)]
    pub reissue: bool,
}

pub fn run(args: &ReportArgs) -> ExitCode {
    use crate::build::one_quarter::{self, Request, Stopped, Unstarted};
    let root = match args.casebook.root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    let request = Request {
        casebook: &root,
        out: args.out.as_deref(),
        today: args.casebook.today,
        quarter: &args.quarter,
        forum: args.forum.as_deref(),
        reissue: args.reissue,
    };
    let outcome = match one_quarter::run(&request) {
        Ok(outcome) => outcome,
        Err(Unstarted::Casebook(e)) => return super::fatal(&e),
        Err(Unstarted::Quarter { typed, held }) => {
            return usage(
                &format!("`{typed}` is not a calendar quarter"),
                &format!(
                    "write the quarter as YYYY-Qn, such as 2026-Q3 (July to September 2026); {}",
                    quarters_held(&held)
                ),
            );
        }
        Err(Unstarted::NotBegun { quarter, today }) => {
            return usage(
                &format!(
                    "{quarter} has not begun: it starts on {}, and today is {today}",
                    quarter.first_day()
                ),
                &format!(
                    "report a quarter that has begun, such as {} (this quarter, so far)",
                    crate::summary::Quarter::of(today)
                ),
            );
        }
        Err(Unstarted::Forum { typed, forums }) => {
            let forums: Vec<&str> = forums.iter().map(String::as_str).collect();
            return usage(
                &format!("there is no forum `{typed}`"),
                &forum_help(&typed, &forums),
            );
        }
        Err(Unstarted::Output(e)) => {
            let none = crate::source::SourceMap::default();
            return super::build_failed(&BuildError::Output(e), &none);
        }
    };
    let cb = &outcome.checked.casebook;
    let diagnostics = report::human::render(
        &outcome.checked.diagnostics,
        &cb.sources,
        Scope::of(cb),
        super::colour_stderr(),
    );
    let _ = io::stderr().write_all(diagnostics.as_bytes());
    let quarter = outcome.quarter;
    match &outcome.result {
        Err(Stopped::HeldBack) => {
            super::say_held_back(&outcome.gate);
            let _ = writeln!(
                io::stderr(),
                "error: no summary was rendered: the records have errors or unexplained breaches, \
                 and a summary of part of the casebook would undercount; the previous output is \
                 untouched\n  help: fix the records above, then run the report again"
            );
            ExitCode::from(outcome.exit_code())
        }
        Err(Stopped::Failed(e)) => super::build_failed(e, &cb.sources),
        Ok(written) => {
            if !outcome.held.contains(&quarter) {
                let _ = writeln!(
                    io::stderr(),
                    "note: no meeting was held in {quarter}; the summary shows only what was active \
                     ({})",
                    quarters_held(&outcome.held)
                );
            }
            super::emit(&format!(
                "wrote {} of {quarter} into {}\n",
                crate::text::count(
                    written.len(),
                    "anonymised summary file",
                    "anonymised summary files"
                ),
                super::shown_folder(
                    &outcome
                        .target
                        .shown
                        .join("anonymised")
                        .join(quarter.to_string())
                )
            ))
        }
    }
}

#[derive(Args, Debug)]
pub struct PublishArgs {
    #[command(flatten)]
    pub casebook: CasebookArgs,
    /// The calendar quarter sent, written YYYY-Qn; it must have ended
    #[arg(long, value_name = "YYYY-Qn")]
    pub quarter: String,
    /// Only the summary sent to this forum (an id from `forums:`)
    #[arg(long, value_name = "ID")]
    pub forum: Option<String>,
    /// The output folder the summaries were built into [default: `output`
    /// inside the casebook]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `contextpack publish`: what [`crate::build::publish::run`] recorded.
pub fn publish(args: &PublishArgs) -> ExitCode {
    use crate::build::publish::{self, Recorded, Request, Stopped, Unstarted};
    let root = match args.casebook.root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    let request = Request {
        casebook: &root,
        out: args.out.as_deref(),
        today: args.casebook.today,
        quarter: &args.quarter,
        forum: args.forum.as_deref(),
    };
    let outcome = match publish::run(&request) {
        Ok(outcome) => outcome,
        Err(Unstarted::Casebook(e)) => return super::fatal(&e),
        Err(Unstarted::Quarter(typed)) => {
            return usage(
                &format!("`{typed}` is not a calendar quarter"),
                "write the quarter as YYYY-Qn, such as 2026-Q3 (July to September 2026)",
            );
        }
        Err(Unstarted::Forum { typed, forums }) => {
            let forums: Vec<&str> = forums.iter().map(String::as_str).collect();
            return usage(
                &format!("there is no forum `{typed}`"),
                &forum_help(&typed, &forums),
            );
        }
        Err(Unstarted::Output(e)) => {
            let none = crate::source::SourceMap::default();
            return super::build_failed(&BuildError::Output(e), &none);
        }
    };
    let cb = &outcome.checked.casebook;
    let diagnostics = report::human::render(
        &outcome.checked.diagnostics,
        &cb.sources,
        Scope::of(cb),
        super::colour_stderr(),
    );
    let mut err = io::stderr().lock();
    let _ = err.write_all(diagnostics.as_bytes());
    let quarter = outcome.quarter;
    let list = match &outcome.result {
        Err(Stopped::HeldBack) => {
            super::say_held_back(&outcome.gate);
            let _ = writeln!(
                err,
                "error: nothing was recorded: the records have errors or unexplained breaches, \
                 so no summary was built from them\n  help: fix the records above, build, \
                 send, then publish"
            );
            return ExitCode::from(outcome.exit_code());
        }
        Err(Stopped::InProgress { last_day }) => {
            let _ = writeln!(
                err,
                "error: {quarter} has not ended: it runs to {last_day}, and its figures change \
                 until then\n  help: publish a quarter after its last day (`--today` gives the \
                 day the summaries were sent)"
            );
            return ExitCode::from(outcome.exit_code());
        }
        Err(Stopped::Io(path, e)) => {
            let _ = writeln!(err, "error: cannot write `{}`: {e}", path.display());
            return ExitCode::from(outcome.exit_code());
        }
        Ok(list) => list,
    };
    let mut out = String::new();
    for r in list {
        match r {
            Ok(Recorded::Release { record, issue }) => {
                let what = if *issue == 1 {
                    "issue 1".to_string()
                } else {
                    format!("reissue (issue {issue})")
                };
                out.push_str(&format!("recorded {what} of {quarter} in {record}\n"));
            }
            Ok(Recorded::AlreadySent { record, issue }) => {
                let _ = writeln!(
                    err,
                    "note: {record} already records issue {issue} with these figures; nothing to add"
                );
            }
            Err(refused) => {
                let _ = writeln!(
                    err,
                    "error: {}: {}\n  help: {}",
                    refused.file, refused.reason, refused.help
                );
            }
        }
    }
    drop(err);
    if out.contains("recorded") {
        out.push_str("commit published/ with the summaries you sent\n");
    }
    let _ = super::emit(&out);
    ExitCode::from(outcome.exit_code())
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
}
