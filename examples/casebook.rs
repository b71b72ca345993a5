//! Makes a large clean casebook from the sample, for benchmarks and trials:
//!
//! ```sh
//! cargo run --release --example casebook -- 1000 /tmp/casebook-1000 [--people 20000] [--git]
//! ```
//!
//! The sample's four contexts are copied round-robin under new ids, titles,
//! refs and names; `--people N` adds N people to `contextpack.yaml`;
//! `--git` makes the folder a repository with one commit, as a
//! partnership's casebook is.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut positional = Vec::new();
    let mut people = 0;
    let mut git = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--people" => people = args.next().and_then(|n| n.parse().ok()).unwrap_or(0),
            "--git" => git = true,
            _ => positional.push(arg),
        }
    }
    let (Some(n), Some(dest)) = (
        positional.first().and_then(|n| n.parse::<usize>().ok()),
        positional.get(1).map(PathBuf::from),
    ) else {
        eprintln!("usage: casebook N DIR [--people N] [--git]");
        return ExitCode::from(2);
    };
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = contextpack::generate::Options {
        contexts: n,
        extra_people: people,
    };
    if let Err(e) = contextpack::generate::casebook(sample, &dest, &options) {
        eprintln!("casebook: {e}");
        return ExitCode::from(1);
    }
    if git {
        let run = |args: &[&str]| {
            Command::new("git")
                .arg("-C")
                .arg(&dest)
                .args(args)
                .status()
                .is_ok_and(|s| s.success())
        };
        let ok = run(&["init", "-q"])
            && run(&["add", "-A"])
            && run(&[
                "-c",
                "user.name=contextpack",
                "-c",
                "user.email=contextpack@example.invalid",
                "commit",
                "-q",
                "-m",
                "generated casebook",
            ]);
        if !ok {
            eprintln!("casebook: git failed");
            return ExitCode::from(1);
        }
    }
    println!("{n} contexts in {}", dest.display());
    ExitCode::SUCCESS
}
