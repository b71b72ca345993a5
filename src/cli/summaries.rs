//! `contextpack report --quarter 2026-Q3 [--forum ID]`: the anonymised
//! summaries of one quarter, without the restricted documents.

use super::CasebookArgs;
use clap::Args;
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
}

pub fn run(_args: &ReportArgs) -> ExitCode {
    let _ = super::emit("report: being written this session\n");
    ExitCode::from(super::EXIT_USAGE)
}
