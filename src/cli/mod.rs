//! The command line: a thin layer over the library.
//!
//! Exit codes (DESIGN.md): 0 clean, warnings and explained breaches allowed;
//! 1 errors or unexplained breaches (or warnings with `--deny-warnings`);
//! 2 the command itself could not run (bad arguments, no such folder, I/O).

use crate::diagnostic::{Kind, Summary};
use crate::load::FatalError;
use crate::model::Date;
use crate::report::{self, Scope};
use crate::rules::catalogue::{Doc, Quote, RULES, Rule, rule};
use crate::summary::Quarter;
use crate::text::count;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{self, IsTerminal, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

mod progress;
mod scaffold;
mod schema;
mod status;
mod summaries;

const EXIT_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;

/// Checks Context Safeguarding Conference records against the protocol.
#[derive(Parser, Debug)]
#[command(name = "contextpack", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check the casebook against the protocol and report what is wrong
    Check(CheckArgs),
    /// Check the casebook, then render its agendas, minutes, action plans and
    /// meeting packs (HTML and PDF) into the output folder
    Build(BuildArgs),
    /// List every rule: its id, its kind and what it checks
    Rules {
        /// The casebook whose settings fill in the numbers [default: found
        /// as for `check`; the protocol's own numbers when there is none]
        #[arg(long, value_name = "DIR")]
        casebook: Option<PathBuf>,
    },
    /// Explain a rule: what it checks, how to put it right, where it comes from
    Explain {
        /// The rule id, as printed in brackets: `breach[review-within]`
        #[arg(value_name = "RULE")]
        rule: String,
        /// The casebook whose settings fill in the numbers [default: found
        /// as for `check`; the protocol's own numbers when there is none]
        #[arg(long, value_name = "DIR")]
        casebook: Option<PathBuf>,
    },
    /// Render the anonymised summaries of one quarter
    Report(summaries::ReportArgs),
    /// Record in `published/` the summaries of a quarter as sent to the
    /// forums, so that no later build changes them unnoticed
    Publish(summaries::PublishArgs),
    /// What is due and overdue: meetings, reviews, actions, records with errors
    Status(status::StatusArgs),
    /// Create a new casebook
    Init(scaffold::InitArgs),
    /// Write a new record (a context or a conference) to fill in
    #[command(subcommand)]
    New(scaffold::NewArgs),
    /// Move a scheduled meeting to another day: mark it moved, with the
    /// reason and the chair's consent, and write the record for the new day
    Move(scaffold::MoveArgs),
    /// Write JSON Schemas of the records for editors: field names, values,
    /// and the casebook's own agencies, people, forums and contexts
    Schema(schema::SchemaArgs),
    /// A language server over stdin and stdout, for editors: the findings
    /// of `check` as you type, explanations on hover, completion of fields
    /// and ids, go to definition, and quick fixes
    /// Build, serve the output on this computer (127.0.0.1), rebuild when a
    /// record changes, and reload the open pages (or show what is wrong)
    Serve {
        #[command(flatten)]
        casebook: CasebookArgs,
        /// The output folder, as for `build` [default: `output` inside the
        /// casebook]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The port on 127.0.0.1 (0 for any free one)
        #[arg(long, default_value_t = 4040)]
        port: u16,
    },
    Lsp {
        /// The date deadlines are compared against [default: `as_of:` in
        /// contextpack.yaml, else the computer's date]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<Date>,
    },
}

/// Which casebook, and on which day: shared by every command that reads one.
#[derive(Args, Debug)]
pub struct CasebookArgs {
    /// The casebook folder (the one holding contextpack.yaml) [default: this
    /// folder or the nearest above it that holds contextpack.yaml]
    #[arg(long, value_name = "DIR")]
    pub casebook: Option<PathBuf>,
    /// The date deadlines are compared against [default: `as_of:` in
    /// contextpack.yaml, else the computer's date]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<Date>,
}

impl CasebookArgs {
    /// The casebook folder: `--casebook` when given, else this folder or
    /// the nearest folder above it that holds contextpack.yaml, as git
    /// finds a repository. A folder with neither contextpack.yaml nor
    /// records is no casebook: the error says to run `contextpack init`
    /// and the command exits 2, whichever command it is.
    pub fn root(&self) -> Result<PathBuf, ExitCode> {
        match &self.casebook {
            Some(dir) if !dir.is_dir() || is_casebook(dir) || dir.join("cases").exists() => {
                Ok(dir.clone())
            }
            Some(dir) => Err(no_casebook(dir, false)),
            None => {
                let here = current_folder();
                nearest_casebook(&here).ok_or_else(|| no_casebook(&here, true))
            }
        }
    }
}

fn is_casebook(dir: &std::path::Path) -> bool {
    dir.join("contextpack.yaml").is_file()
}

/// `start` or the nearest folder above it that holds contextpack.yaml.
fn nearest_casebook(start: &std::path::Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| is_casebook(d))
        .map(PathBuf::from)
}

/// For `rules` and `explain`, which fill in a casebook's numbers when
/// there is one and the protocol's own when there is none.
fn casebook_or_here(given: &Option<PathBuf>) -> PathBuf {
    given.clone().unwrap_or_else(|| {
        let here = current_folder();
        nearest_casebook(&here).unwrap_or(here)
    })
}

fn current_folder() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

fn no_casebook(dir: &std::path::Path, searched_up: bool) -> ExitCode {
    let above = if searched_up {
        ", nor does any folder above it"
    } else {
        ""
    };
    let _ = writeln!(
        io::stderr(),
        "error: `{}` has no contextpack.yaml{above}, so there is no casebook here\n  \
         help: `contextpack init` creates a new casebook; to use one elsewhere, run \
         contextpack inside it or give its folder with --casebook DIR",
        dir.display()
    );
    ExitCode::from(EXIT_USAGE)
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub casebook: CasebookArgs,
    /// How to print the findings
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail (exit 1) on warnings too
    #[arg(long)]
    pub deny_warnings: bool,
    /// Report only on these files or folders, and on what they make worse
    /// elsewhere (compared with the last commit)
    #[arg(value_name = "FILE", conflicts_with = "changed")]
    pub files: Vec<PathBuf>,
    /// Report only on the files changed since REF (a commit, branch or tag;
    /// without one, the files staged for the next commit), and on what those
    /// changes make worse elsewhere
    #[arg(long, value_name = "REF", num_args = 0..=1, default_missing_value = "")]
    pub changed: Option<String>,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub casebook: CasebookArgs,
    /// Where the documents go; replaced whole by each successful build
    /// [default: `output` inside the casebook]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Render every context that checks clean even when others do not (the
    /// exit code is still 1)
    #[arg(long)]
    pub keep_going: bool,
    /// Print only problems and the closing line
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print explained breaches in full, with the source line
    #[arg(long, short)]
    pub verbose: bool,
    /// How to print the findings
    #[arg(long, value_enum, default_value_t = BuildFormat::Human)]
    pub format: BuildFormat,
    /// Allow this quarter's summaries to differ from what was sent
    /// (`published/`): each changed one is marked as a reissue on its first
    /// page. May be given more than once
    #[arg(long, value_name = "YYYY-Qn", value_parser = parse_quarter)]
    pub reissue: Vec<Quarter>,
}

/// `--reissue`: a quarter written `YYYY-Qn`.
fn parse_quarter(s: &str) -> Result<Quarter, String> {
    s.parse::<Quarter>()
        .map_err(|_| "expected a quarter written YYYY-Qn, such as 2026-Q3".to_string())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BuildFormat {
    /// For people: the source line with the value underlined
    Human,
    /// GitHub Actions workflow annotations, for CI
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: the source line with the value underlined
    Human,
    /// One JSON object, for tools
    Json,
    /// GitHub Actions workflow annotations, for CI
    Github,
}

/// `--today`: a real calendar date written `YYYY-MM-DD`.
fn parse_date(s: &str) -> Result<Date, String> {
    let well_formed = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !well_formed {
        return Err("expected a date written YYYY-MM-DD, such as 2026-09-14".into());
    }
    Date::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("{s} is not a day of the calendar"))
}

pub fn main() -> ExitCode {
    match Cli::try_parse() {
        Ok(cli) => run(&cli),
        Err(e) => {
            // Help and version also arrive here, with exit code 0.
            let _ = e.print();
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(EXIT_USAGE))
        }
    }
}

pub fn run(cli: &Cli) -> ExitCode {
    match &cli.command {
        Command::Check(args) => check(args),
        Command::Build(args) => build(args),
        Command::Rules { casebook } => {
            let settings = settings_of(&casebook_or_here(casebook));
            emit(&rules_table(&settings.protocol, &settings.rules))
        }
        Command::Explain { rule, casebook } => {
            explain(rule, &settings_of(&casebook_or_here(casebook)))
        }
        Command::Report(args) => summaries::run(args),
        Command::Publish(args) => summaries::publish(args),
        Command::Status(args) => status::run(args),
        Command::Init(args) => scaffold::init(args),
        Command::New(args) => scaffold::new(args),
        Command::Move(args) => scaffold::move_meeting(args),
        Command::Schema(args) => schema::run(args),
        Command::Serve {
            casebook,
            out,
            port,
        } => serve(casebook, out.as_deref(), *port),
        Command::Lsp { today } => match crate::lsp::run(*today) {
            Ok(()) => ExitCode::SUCCESS,
            Err(why) => {
                let _ = writeln!(io::stderr(), "error: the language server stopped: {why}");
                ExitCode::from(EXIT_FAILED)
            }
        },
    }
}

// ---------------------------------------------------------------- check

fn check(args: &CheckArgs) -> ExitCode {
    let root = &match args.casebook.root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    let (checked, narrowed) = match narrowed(args, root) {
        Ok(n) => n,
        Err(code) => return code,
    };
    let diagnostics = narrowed
        .as_ref()
        .map_or(&checked.diagnostics, |n| &n.diagnostics);
    let sources = &checked.casebook.sources;
    let scope = Scope::of(&checked.casebook);
    let out = match args.format {
        Format::Human => report::human::render(diagnostics, sources, scope, colour_stdout()),
        Format::Json => report::json::render(diagnostics, sources),
        Format::Github => {
            report::github::render(diagnostics, sources, scope, &repository_prefix(root))
        }
    };
    let mut written = emit(&out);
    if let (Some(n), Format::Human) = (&narrowed, args.format) {
        written = written_too(written, &narrowed_note(n));
    }
    let code = if written != ExitCode::SUCCESS {
        written
    } else if Summary::of(diagnostics).fails(args.deny_warnings) {
        ExitCode::from(EXIT_FAILED)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends here: freeing a partnership's records value by value
    // takes longer than the system takes to reclaim them at once.
    std::mem::forget(checked);
    code
}

/// The casebook checked, with the narrowed findings of `check FILE...` and
/// `check --changed` (`None` for a whole check).
fn narrowed(
    args: &CheckArgs,
    root: &std::path::Path,
) -> Result<(crate::Checked, Option<crate::narrow::Narrowed>), ExitCode> {
    use crate::build::git::changes::Since;
    use crate::narrow::Unanswered;
    if let Some(rev) = &args.changed {
        let since = if rev.is_empty() {
            Since::Staged
        } else {
            Since::Rev(rev)
        };
        return match crate::narrow::changed(root, args.casebook.today, since) {
            Ok((checked, n)) => Ok((checked, Some(n))),
            Err(Unanswered::Casebook(e)) => Err(fatal(&e)),
            Err(Unanswered::Changes(why)) => {
                let _ = writeln!(
                    io::stderr(),
                    "error: cannot tell what changed: {}\n  help: run `contextpack check` \
                     without --changed to check the whole casebook",
                    report::terminal::lines(&why)
                );
                Err(ExitCode::from(EXIT_USAGE))
            }
        };
    }
    let checked = match crate::check_casebook(root, args.casebook.today) {
        Ok(checked) => checked,
        Err(e) => return Err(fatal(&e)),
    };
    if args.files.is_empty() {
        return Ok((checked, None));
    }
    let mut selection = crate::narrow::Selection::default();
    for f in &args.files {
        match casebook_path(root, f) {
            Some(path) => {
                selection.paths.insert(path);
            }
            None => {
                let _ = writeln!(
                    io::stderr(),
                    "error: `{}` is not a file or folder of the casebook at `{}`\n  help: give \
                     paths inside the casebook, such as cases/<context>/plan.yaml",
                    report::terminal::lines(&f.display().to_string()),
                    report::terminal::lines(&root.display().to_string())
                );
                return Err(ExitCode::from(EXIT_USAGE));
            }
        }
    }
    let narrowed = crate::narrow::files(root, &checked, selection);
    Ok((checked, Some(narrowed)))
}

/// `file` (from this folder) as a casebook-relative path with `/`
/// separators; a folder's ends in `/`. `None` outside the casebook.
fn casebook_path(root: &std::path::Path, file: &std::path::Path) -> Option<String> {
    let mut path = crate::fs_guard::relative_path(root, file)?;
    if file.is_dir() {
        path.push('/');
    }
    Some(path)
}

fn narrowed_note(n: &crate::narrow::Narrowed) -> String {
    let count = n.files.paths.len();
    let files = if count == 1 { "file" } else { "files" };
    let mut note = format!("reported on {count} {files}");
    match &n.no_base {
        Some(why) => note.push_str(&format!(
            " only ({}, so findings elsewhere cannot be told from older ones)",
            why
        )),
        None => note.push_str(" and what they made worse elsewhere"),
    }
    if n.left_out > 0 {
        note.push_str(&format!(
            "; {} finding{} in other files, there before, left out (`contextpack check` lists all)",
            n.left_out,
            if n.left_out == 1 { "" } else { "s" }
        ));
    }
    format!("{}\n", report::terminal::lines(&note))
}

fn written_too(before: ExitCode, text: &str) -> ExitCode {
    if before != ExitCode::SUCCESS {
        return before;
    }
    emit(text)
}

// ---------------------------------------------------------------- serve

fn serve(args: &CasebookArgs, out: Option<&std::path::Path>, port: u16) -> ExitCode {
    let root = match args.root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    let options = crate::serve::Options {
        casebook: &root,
        out,
        today: args.today,
        port,
    };
    let announce = |line: &str| {
        let mut stdout = io::stdout().lock();
        let _ = writeln!(stdout, "{}", report::terminal::lines(line));
        let _ = stdout.flush();
    };
    match crate::serve::run(&options, announce) {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            let _ = writeln!(
                io::stderr(),
                "error: cannot serve: {}",
                report::terminal::lines(&why)
            );
            ExitCode::from(EXIT_USAGE)
        }
    }
}

// ---------------------------------------------------------------- build

fn build(args: &BuildArgs) -> ExitCode {
    use crate::build::Event;
    use crate::build::command::{self, Request, Stopped, Unstarted};
    let root = &match args.casebook.root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    let reporter = progress::Reporter::new(progress::Style::detect(args.quiet));
    let on_event = |event: Event<'_>| match event {
        Event::Checked(checked) => print_diagnostics(args, root, checked),
        other => reporter.event(other),
    };
    let request = Request {
        casebook: root,
        out: args.out.as_deref(),
        today: args.casebook.today,
        keep_going: args.keep_going,
        reissue: &args.reissue,
    };
    let outcome = match command::run(&request, Some(&on_event)) {
        Ok(outcome) => outcome,
        Err(Unstarted::Casebook(e)) => return fatal(&e),
        Err(Unstarted::Output(e)) => {
            let none = crate::source::SourceMap::default();
            return build_failed(&crate::build::BuildError::Output(e), &none);
        }
    };
    reporter.finish();
    let built = match &outcome.result {
        Ok(built) => built,
        Err(Stopped::HeldBack) => {
            say_held_back(&outcome.gate);
            let why = if outcome.keep_going {
                "no context checks clean"
            } else {
                "the records have errors or unexplained breaches"
            };
            let _ = writeln!(
                io::stderr(),
                "error: nothing was built: {why}; the previous output is untouched\n  \
                 help: fix the records above{}",
                if outcome.keep_going {
                    ""
                } else {
                    ", or give --keep-going to build the contexts that check clean"
                }
            );
            return ExitCode::from(outcome.exit_code());
        }
        Err(Stopped::Failed(e)) => return build_failed(e, &outcome.checked.casebook.sources),
    };
    reporter.done(built.rendered, built.reused);
    if let Some(why) = built.provenance.problem() {
        let _ = writeln!(
            io::stderr(),
            "warning: the casebook's git repository could not be read ({}); the documents say so",
            crate::report::terminal::visible(why)
        );
    }
    say_held_back(&outcome.gate);
    if outcome.summaries_withheld() {
        let _ = writeln!(
            io::stderr(),
            "not rendered: anonymised summaries, because some contexts are held back"
        );
    }
    let written = emit(&format!(
        "built {} for {} into {}\n",
        count(built.documents, "document", "documents"),
        count(built.contexts, "context", "contexts"),
        shown_folder(&outcome.target.shown),
    ));
    if written != ExitCode::SUCCESS {
        written
    } else {
        ExitCode::from(outcome.exit_code())
    }
}

/// The check's findings on stderr, as `--verbose`, `--quiet` or
/// `--format github` ask: printed as soon as the records are checked, so
/// they are not waiting behind a long render.
fn print_diagnostics(args: &BuildArgs, root: &std::path::Path, checked: &crate::Checked) {
    let sources = &checked.casebook.sources;
    let scope = Scope::of(&checked.casebook);
    let report = if args.format == BuildFormat::Github {
        report::github::render(
            &checked.diagnostics,
            sources,
            scope,
            &repository_prefix(root),
        )
    } else if args.quiet {
        let problems: Vec<crate::diagnostic::Diagnostic> = checked
            .diagnostics
            .iter()
            .filter(|d| !d.is_explained())
            .cloned()
            .collect();
        report::human::render_each(&problems, sources, colour_stderr())
    } else if args.verbose {
        report::human::render(&checked.diagnostics, sources, scope, colour_stderr())
    } else {
        report::human::render_brief(&checked.diagnostics, sources, scope, colour_stderr())
    };
    let _ = io::stderr().write_all(report.as_bytes());
}

/// `not rendered: cases/x (2 errors)` for each context held back.
fn say_held_back(gate: &crate::build::Gate) {
    let mut err = io::stderr().lock();
    for (file, errors, breaches) in &gate.casebook_wide {
        let _ = writeln!(
            err,
            "not rendered: any context, because of {} ({})",
            shown(file),
            failures(*errors, *breaches)
        );
    }
    for c in &gate.held_back {
        if c.errors + c.breaches > 0 {
            let _ = writeln!(
                err,
                "not rendered: {} ({})",
                c.context,
                failures(c.errors, c.breaches)
            );
        } else {
            let _ = writeln!(err, "not rendered: {}", c.context);
        }
    }
}

fn failures(errors: usize, breaches: usize) -> String {
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(count(errors, "error", "errors"));
    }
    if breaches > 0 {
        parts.push(count(breaches, "breach", "breaches"));
    }
    parts.join(", ")
}

/// `output/`: the folder as given, without a leading `./`.
fn shown_folder(path: &Path) -> String {
    let parts: Vec<Component> = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    let clean: PathBuf = parts.iter().collect();
    let text = clean.display().to_string();
    if text.is_empty() {
        "./".to_string()
    } else if text.ends_with('/') {
        text
    } else {
        format!("{text}/")
    }
}

/// An error's text for the terminal: file names and quoted record text
/// may hold line breaks and escape sequences.
fn shown(e: &dyn std::fmt::Display) -> String {
    report::terminal::lines(&e.to_string())
}

/// Prints why a build wrote nothing; a template's failure is shown once for
/// all the documents it stopped.
fn build_failed(e: &crate::build::BuildError, sources: &crate::source::SourceMap) -> ExitCode {
    use crate::build::{BuildError, OutputError};
    let mut err = io::stderr().lock();
    match e {
        BuildError::Output(OutputError::Refused { help, .. }) => {
            let _ = writeln!(err, "error: {}\n  help: {help}", shown(e));
        }
        BuildError::Output(OutputError::Io { .. }) => {
            let _ = writeln!(err, "error: {}", shown(e));
        }
        BuildError::Templates(t) => {
            let _ = writeln!(err, "error: cannot load the templates: {}", shown(t));
        }
        BuildError::Anonymity(list) | BuildError::Published(list) => {
            // The leak is the error; where it came from is the record.
            let _ = write!(
                err,
                "{}",
                report::human::render_each(list, sources, colour_stderr())
            );
        }
        BuildError::Documents(list) => {
            // One report per distinct failure, by its first document.
            let mut groups: Vec<(&crate::build::DocumentError, usize)> = Vec::new();
            for d in list {
                let same = |g: &&mut (&crate::build::DocumentError, usize)| {
                    g.0.template == d.template && g.0.message == d.message
                };
                match groups.iter_mut().find(same) {
                    Some(group) => group.1 += 1,
                    None => groups.push((d, 0)),
                }
            }
            for (d, more) in groups {
                let _ = writeln!(err, "error: {}", shown(d));
                if more > 0 {
                    let noun = if more == 1 { "document" } else { "documents" };
                    let _ = writeln!(err, "  (and {more} more {noun} with the same error)");
                }
            }
        }
    }
    if !matches!(e, BuildError::Output(OutputError::Refused { .. })) {
        let _ = writeln!(err, "nothing was built; the previous output is untouched");
    }
    ExitCode::from(e.exit_code())
}

/// A casebook that cannot be read at all: say why and what to try, exit 2.
fn fatal(e: &FatalError) -> ExitCode {
    let (message, hint) = match e {
        FatalError::NoCasebook(p) if p.exists() => (
            format!("casebook folder `{}` is not a folder", p.display()),
            "give the folder that holds contextpack.yaml, not a file in it",
        ),
        FatalError::NoCasebook(p) => (
            format!("casebook folder `{}` does not exist", p.display()),
            "run contextpack from the casebook folder (the one holding contextpack.yaml), \
             or give its path with --casebook DIR",
        ),
        FatalError::Io(..) => (
            e.to_string(),
            "check that the folder exists and that you are allowed to read it",
        ),
    };
    let _ = writeln!(io::stderr(), "error: {message}\n  help: {hint}");
    ExitCode::from(EXIT_USAGE)
}

/// Colour only for a terminal, and never when NO_COLOR (or TERM=dumb) says no.
fn colour_stdout() -> bool {
    let stdout = io::stdout();
    stdout.is_terminal() && anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never
}

fn colour_stderr() -> bool {
    let stderr = io::stderr();
    stderr.is_terminal() && anstream::AutoStream::choice(&stderr) != anstream::ColorChoice::Never
}

/// The casebook folder as seen from the repository root, for GitHub: the
/// folder given, when it is relative; the part below the current folder, when
/// it is absolute and inside it; otherwise nothing.
fn repository_prefix(root: &Path) -> String {
    let relative = if root.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| root.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .unwrap_or_default()
    } else {
        root.to_path_buf()
    };
    let parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_string()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

/// Writes to stdout. A reader that went away (`| head`) is not an error; any
/// other failure to write is reported and exits 2.
fn emit(text: &str) -> ExitCode {
    let mut out = anstream::AutoStream::auto(io::stdout().lock());
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(io::stderr(), "error: cannot write the output: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

// ---------------------------------------------------------------- rules

/// The settings of the casebook at `root`: the defaults when it has no
/// contextpack.yaml, and for any setting that does not read cleanly (`check`
/// reports those).
fn settings_of(root: &std::path::Path) -> crate::model::Settings {
    crate::load::load_settings(root).unwrap_or_default()
}

/// `contextpack rules`: id, kind and one line per rule, in catalogue order,
/// with the casebook's settings in the lines that depend on them; each rule
/// the casebook's `rules:` changed is marked at the end of its line, with
/// the reasons below the table.
pub fn rules_table(
    protocol: &crate::model::Protocol,
    changes: &[crate::model::RuleChange],
) -> String {
    let id_width = RULES.iter().map(|r| r.id.as_str().len()).max().unwrap_or(0);
    let kind_width = "warning".len();
    let mut out = format!(
        "{:id_width$}  {:kind_width$}  WHAT IS CHECKED\n",
        "RULE", "KIND"
    );
    for r in RULES {
        out.push_str(&format!(
            "{:id_width$}  {:kind_width$}  {}",
            r.id.as_str(),
            r.kind().as_str(),
            r.summary_for(protocol)
        ));
        if let Some(c) = changes.iter().find(|c| c.rule.value == r.id) {
            out.push_str(&format!("  [this casebook: {}]", c.level_name()));
        }
        out.push('\n');
    }
    out.push_str("\n`contextpack explain <RULE>` tells you more about one rule.\n");
    if !changes.is_empty() {
        out.push_str("\nThis casebook's contextpack.yaml changes these rules (`rules:`):\n");
    }
    for c in changes {
        out.push_str(&format!(
            "  {} is {} (a {} in the protocol): {}\n",
            c.rule.value,
            c.level_name(),
            c.rule.value.kind().as_str(),
            crate::report::terminal::visible(c.reason_text())
        ));
    }
    out
}

// ---------------------------------------------------------------- explain

const WIDTH: usize = 80;

/// The rule id of `id` as a diagnostic prints it: `breach[review-within]`
/// (or `error[…]`, `warning[…]`, `explained[…]`) is `review-within`.
fn rule_as_printed(id: &str) -> &str {
    let id = id.trim();
    match id.strip_suffix(']').and_then(|s| s.split_once('[')) {
        Some((kind, rule)) if kind.chars().all(|c| c.is_ascii_alphabetic()) => rule.trim(),
        _ => id,
    }
}

fn explain(id: &str, settings: &crate::model::Settings) -> ExitCode {
    let wanted = rule_as_printed(id).to_lowercase();
    match rule(&wanted) {
        Some(r) => {
            let mut text = explanation(r, &settings.protocol);
            if let Some(c) = settings.rules.iter().find(|c| c.rule.value == r.id) {
                text.push_str(&format!(
                    "\nThis casebook\n  contextpack.yaml sets `{}: {}` under rules: {}\n",
                    r.id,
                    c.level_name(),
                    crate::report::terminal::visible(c.reason_text())
                ));
            }
            emit(&text)
        }
        None => {
            let ids: Vec<&str> = RULES.iter().map(|r| r.id.as_str()).collect();
            // A near miss is a typo; a far one only a pointer to the list.
            let suggestion = match crate::text::closest(&wanted, &ids) {
                Some(c) if c.likely_typo() => format!("did you mean `{}`?", c.word),
                Some(c) => format!("no rule has a similar id; the nearest is `{}`.", c.word),
                None => "there are no rules.".to_string(),
            };
            let _ = writeln!(
                io::stderr(),
                "error: there is no rule `{id}`\n  help: {suggestion} \
                 `contextpack rules` lists every rule"
            );
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `contextpack explain <RULE>`: everything a chair or lead practitioner needs
/// to act on a finding of this rule.
pub fn explanation(r: &Rule, protocol: &crate::model::Protocol) -> String {
    let mut out = format!("{} ({})\n", r.id, r.kind().as_str());
    out.push_str(&wrap(&r.summary_for(protocol), WIDTH, ""));
    out.push('\n');
    out.push_str(&wrap(kind_meaning(r), WIDTH, ""));
    out.push_str("\nWhat it checks\n");
    out.push_str(&wrap(&r.details_for(protocol), WIDTH, "  "));
    if !r.settings.is_empty() {
        out.push_str("\nSettings it reads (contextpack.yaml, under protocol:)\n");
        for setting in r.settings {
            out.push_str(&format!(
                "  {}: {}\n",
                setting.key(),
                setting.value(protocol)
            ));
        }
    }
    out.push_str("\nHow to put it right\n");
    out.push_str(&wrap(r.fix, WIDTH, "  "));
    if let Some(example) = &r.exception {
        out.push('\n');
        out.push_str(&wrap(
            &format!("To explain it, add to {}:", example.file),
            WIDTH,
            "  ",
        ));
        out.push_str(&format!(
            "\n    exceptions:\n      - rule: {}\n        reason: {}\n",
            r.id, example.reason
        ));
    }
    out.push_str("\nWhere it comes from\n");
    let mut last_heading = None;
    for q in r.passage {
        let heading = quote_heading(q);
        if last_heading.as_ref() != Some(&heading) {
            out.push_str(&wrap(&format!("{heading}:"), WIDTH, "  "));
        }
        out.push_str(&wrap(&format!("\"{}\"", q.text), WIDTH, "    "));
        last_heading = Some(heading);
    }
    out
}

fn quote_heading(q: &Quote) -> String {
    match q.doc {
        Doc::TermsOfReference => format!("{}, {}", q.doc.title(), q.heading),
        Doc::Format | Doc::Protocol => format!("{}, section \"{}\"", q.doc.title(), q.heading),
    }
}

fn kind_meaning(r: &Rule) -> &'static str {
    match r.kind() {
        Kind::Error => {
            "An error: the record is malformed or incomplete. It fails the run until the file \
             is corrected; an error cannot be explained with an exception."
        }
        Kind::Breach => {
            "A breach: the record is complete, but says that the protocol was not met. History \
             cannot be edited, so a breach passes once the record explains it under \
             `exceptions:`; the explained breach is then printed in the documents and counted \
             in the strategic summaries."
        }
        Kind::Warning if r.exception.is_none() => {
            "A warning: advice. It fails `check` only with --deny-warnings; a partnership that \
             means to keep the record as it is turns it off under `rules:` in contextpack.yaml."
        }
        Kind::Warning => {
            "A warning: advice. It fails `check` only with --deny-warnings, and can be \
             explained under `exceptions:` like a breach."
        }
    }
}

/// Wraps `text` at word boundaries to `width` columns, each line indented.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let len = indent.chars().count() + line.chars().count() + 1 + word.chars().count();
        if !line.is_empty() && len > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule_id::RuleId;

    #[test]
    fn a_rule_is_read_as_a_diagnostic_prints_it() {
        assert_eq!(rule_as_printed("breach[review-within]"), "review-within");
        assert_eq!(rule_as_printed("error[ schema ]"), "schema");
        assert_eq!(rule_as_printed("review-within"), "review-within");
        // Not a kind before the bracket: left as typed, for did-you-mean.
        assert_eq!(rule_as_printed("x-1[y]"), "x-1[y]");
    }

    #[test]
    fn dates_must_be_real_and_well_formed() {
        assert_eq!(
            parse_date("2026-09-14"),
            Ok(Date::from_ymd_opt(2026, 9, 14).unwrap_or_default())
        );
        assert!(parse_date("2026-02-30").is_err_and(|e| e.contains("not a day")));
        assert!(parse_date("14/09/2026").is_err_and(|e| e.contains("YYYY-MM-DD")));
        assert!(parse_date("2026-9-14").is_err());
        assert!(parse_date("").is_err());
    }

    #[test]
    fn cli_definition_is_valid() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn table_lists_every_rule_in_order_and_aligned() {
        let protocol = crate::model::Protocol::default();
        let table = rules_table(&protocol, &[]);
        let lines: Vec<&str> = table.lines().skip(1).take(RULES.len()).collect();
        for (line, r) in lines.iter().zip(RULES) {
            assert!(line.starts_with(r.id.as_str()), "{line}");
            assert!(line.ends_with(&r.summary_for(&protocol)), "{line}");
            assert!(!line.contains('{'), "a setting left unfilled: {line}");
        }
        let column = |l: &str, kind: &str| l.find(&format!("  {kind}")).unwrap_or(0);
        let breach = RULES
            .iter()
            .position(|r| r.kind() == Kind::Breach)
            .expect("a breach rule");
        assert_eq!(column(lines[0], "error"), column(lines[breach], "breach"));
    }

    #[test]
    fn every_rule_explains_itself() {
        let protocol = crate::model::Protocol::default();
        for r in RULES {
            let text = explanation(r, &protocol);
            assert!(
                !text.contains("{review") && !text.contains("{conf"),
                "{text}"
            );
            assert!(!r.details.is_empty() && !r.fix.is_empty(), "{}", r.id);
            assert!(!r.passage.is_empty(), "{}", r.id);
            assert!(text.contains("Where it comes from"), "{}", r.id);
            // Breaches and warnings can be explained; errors cannot, nor
            // warnings about files that are not read, nor about
            // contextpack.yaml, which has no `exceptions:` (its warnings
            // are turned off under `rules:`, with a reason), nor about
            // context.yaml, which has none either.
            let explainable = r.kind() != Kind::Error
                && !matches!(
                    r.id,
                    RuleId::ExceptionUnused
                        | RuleId::HiddenFile
                        | RuleId::PeopleListed
                        | RuleId::SuppressionConvention
                        | RuleId::AreaAddress
                        | RuleId::HarmerAssessed
                        | RuleId::RelatedContexts
                );
            assert_eq!(r.exception.is_some(), explainable, "{}", r.id);
            // Wrapped to the width, except the YAML example, which must stay one line.
            for line in text.lines().filter(|l| !l.starts_with("        reason: ")) {
                assert!(line.chars().count() <= WIDTH, "{line}");
            }
        }
    }

    #[test]
    fn explanation_quotes_the_passage_and_shows_an_exception() {
        let protocol = crate::model::Protocol::default();
        let text = rule("review-within")
            .map(|r| explanation(r, &protocol))
            .unwrap_or_default();
        assert!(text.starts_with("review-within (breach)\n"), "{text}");
        assert!(text.contains("Terms of reference, Governance and Accountability:"));
        assert!(text.contains("no later than 3 months to the present date."));
        assert!(text.contains("    exceptions:\n      - rule: review-within\n        reason: "));
    }

    #[test]
    fn rules_and_explain_give_the_casebooks_own_numbers() {
        let protocol = crate::model::Protocol {
            review_within_months: 2,
            reschedule_within_days: 10,
            ..crate::model::Protocol::default()
        };
        let table = rules_table(&protocol, &[]);
        assert!(
            table.contains("no later than 2 months after the conference"),
            "{table}"
        );
        assert!(
            table.contains("within 10 days of the missed date"),
            "{table}"
        );
        let text = rule("review-within")
            .map(|r| explanation(r, &protocol))
            .unwrap_or_default();
        assert!(text.contains("review_within_months: 2\n"), "{text}");
        assert!(!text.contains("than 3 months after"), "{text}");
    }

    #[test]
    fn wrap_keeps_words_whole() {
        assert_eq!(wrap("aa bb cc", 7, "  "), "  aa bb\n  cc\n");
        assert_eq!(wrap("", 7, "  "), "");
    }

    #[test]
    fn github_prefix_is_relative_with_slashes() {
        assert_eq!(repository_prefix(Path::new(".")), "");
        assert_eq!(
            repository_prefix(Path::new("./records/casebook/")),
            "records/casebook"
        );
        assert_eq!(repository_prefix(Path::new("/nowhere/else")), "");
    }
}
