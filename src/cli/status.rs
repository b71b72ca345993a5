//! `contextpack status`: what is due and overdue, for a person, an agency or
//! everyone.

use super::CasebookArgs;
use clap::Args;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct StatusArgs {
    #[command(flatten)]
    pub casebook: CasebookArgs,
}

pub fn run(_args: &StatusArgs) -> ExitCode {
    let _ = super::emit("status: being written this session\n");
    ExitCode::from(super::EXIT_USAGE)
}
