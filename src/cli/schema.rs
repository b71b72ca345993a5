//! `contextpack schema`: the records' JSON Schemas, for editors.

use super::{EXIT_USAGE, current_folder, nearest_casebook};
use crate::schema::{Known, SCHEMA_DIR};
use clap::Args;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// The casebook whose agencies, people, forums and contexts the
    /// references must name [default: found as for `check`; open references
    /// when there is none]
    #[arg(long, value_name = "DIR")]
    pub casebook: Option<PathBuf>,
    /// Where to write the schemas [default: `schemas` in the casebook, or in
    /// this folder when there is no casebook]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(args: &SchemaArgs) -> ExitCode {
    let root = args
        .casebook
        .clone()
        .or_else(|| nearest_casebook(&current_folder()));
    let known = match &root {
        Some(root) => match crate::load::load_casebook(root) {
            Ok(loaded) => Known::of(&loaded.casebook),
            Err(e) => return super::fatal(&e),
        },
        None => Known::builtin(),
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.clone().unwrap_or_else(current_folder).join(SCHEMA_DIR));
    match crate::schema::write_all(&out, &known) {
        Ok(paths) => {
            let mut stdout = io::stdout().lock();
            for p in &paths {
                let _ = writeln!(stdout, "wrote {}", p.display());
            }
            let whose = if root.is_some() {
                "the casebook's ids"
            } else {
                "no casebook found: references are left open"
            };
            let _ = writeln!(
                stdout,
                "{} schemas ({whose}); rerun after adding people, agencies, forums or contexts",
                paths.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(
                io::stderr(),
                "error: cannot write the schemas to `{}`: {e}",
                out.display()
            );
            ExitCode::from(EXIT_USAGE)
        }
    }
}
