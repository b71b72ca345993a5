//! `init`'s one use of git: a new casebook in no repository becomes one,
//! with a first commit of what `init` wrote, so every later change to the
//! records is on record from the start.
//!
//! This is the only place contextpack runs a program, and it runs it only
//! here: in a folder `init` has just written, with no `.git` in it or any
//! folder above it, so no casebook's git configuration is ever in force.
//! Every command that reads a casebook reads `.git` as files instead.

use super::Written;
use std::path::Path;
use std::process::{Command, Stdio};

const MESSAGE: &str = "Start the casebook (contextpack init)";

/// Whether `dir` or a folder above it holds a git repository.
pub fn in_repository(dir: &Path) -> bool {
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    dir.ancestors().any(|d| d.join(".git").exists())
}

/// `git init` and a first commit of everything in `dir`, saying in `w`
/// what happened and, when git could not, what to run instead.
pub fn first_commit(dir: &Path, w: &mut Written) {
    if in_repository(dir) {
        w.notes.push(
            "the casebook is inside a git repository already: add and commit these files there"
                .into(),
        );
        return;
    }
    let steps: [&[&str]; 3] = [
        &["init", "--quiet"],
        &["add", "--all"],
        &["commit", "--quiet", "--message", MESSAGE],
    ];
    for step in steps {
        match git(dir, step) {
            Ok(()) => {}
            Err(Failure::NoGit) => {
                w.notes.push(
                    "git was not found, so the casebook is not yet a repository: records belong \
                     in git, where every change is on record; install git, then run \
                     `git init`, `git add --all` and `git commit` in the casebook"
                        .into(),
                );
                return;
            }
            Err(Failure::Refused(why)) => {
                let done = if step[0] == "init" {
                    ""
                } else {
                    "made a git repository, but "
                };
                w.notes.push(format!(
                    "{done}`git {}` failed ({why}): run `git add --all` and \
                     `git commit -m \"{MESSAGE}\"` in the casebook once git knows who you are \
                     (`git config --global user.name` and `user.email`)",
                    step[0]
                ));
                return;
            }
        }
    }
    w.notes.push(format!(
        "made a git repository with a first commit of these files (\"{MESSAGE}\")"
    ));
}

enum Failure {
    NoGit,
    Refused(String),
}

fn git(dir: &Path, args: &[&str]) -> Result<(), Failure> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|_| Failure::NoGit)?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let why = stderr
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("no message")
        .to_string();
    Err(Failure::Refused(crate::report::terminal::lines(&why)))
}
