//! `contextpack init` and `contextpack new`: new casebooks and records that
//! follow FORMAT.md, with comments saying what to fill in.

use clap::Args;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct InitArgs {}

#[derive(clap::Subcommand, Debug)]
pub enum NewArgs {
    /// A context folder with its context.yaml
    Context {},
}

pub fn init(_args: &InitArgs) -> ExitCode {
    let _ = super::emit("init: being written this session\n");
    ExitCode::from(super::EXIT_USAGE)
}

pub fn new(_args: &NewArgs) -> ExitCode {
    let _ = super::emit("new: being written this session\n");
    ExitCode::from(super::EXIT_USAGE)
}
