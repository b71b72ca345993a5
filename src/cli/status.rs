//! `contextpack status`: what is due and overdue, for a person, an agency or
//! everyone.
//!
//! The lists come from [`crate::due`], the same as the dashboard's and the
//! calendar's. Text is a table per list: stable plain text when stdout is not
//! a terminal, with colour on a terminal unless `NO_COLOR` says no.
//! `--format json` prints [`crate::due::Due`] as one object (its shape is in
//! the doc comment of [`StatusArgs::format`]).
//!
//! Exit codes: 0 whenever the status could be worked out, even with overdue
//! items or records with errors (status informs; `check` is the gate); 2 when
//! it could not (no casebook, unknown `--agency`/`--person`, cannot write).

use super::{CasebookArgs, EXIT_USAGE, colour_stdout, emit, fatal};
use crate::due::{
    self, ActionDue, Due, Filter, MeetingDue, RecordErrors, ReviewDue, ReviewState, StatusError,
    Who,
};
use crate::model::Settings;
use clap::{Args, ValueEnum};
use std::io::{self, Write};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct StatusArgs {
    #[command(flatten)]
    pub casebook: CasebookArgs,
    /// Only what concerns this agency (an id of contextpack.yaml `agencies:`)
    #[arg(long, value_name = "ID", conflicts_with = "person")]
    pub agency: Option<String>,
    /// Only what concerns this person (an id of contextpack.yaml `people:`)
    #[arg(long, value_name = "ID")]
    pub person: Option<String>,
    /// `text`: a table per list. `json`: one object with `today`,
    /// `upcoming_days`, `due_soon_days`, and the lists `meetings`, `reviews`,
    /// `actions`, `records_with_errors`, and `for`: `{"agency": ID or null,
    /// "person": ID or null}`. Exit code 0 even when items are overdue
    #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
    pub format: StatusFormat,
    /// Fit the tables to this many columns, cutting the last column's text
    /// [default: the terminal's width; no limit when piped]
    #[arg(long, value_name = "COLUMNS")]
    pub width: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    /// Tables for people
    Text,
    /// One JSON object, for tools
    Json,
}

pub fn run(args: &StatusArgs) -> ExitCode {
    let who = match (&args.agency, &args.person) {
        (Some(a), _) => Who::Agency(a),
        (None, Some(p)) => Who::Person(p),
        (None, None) => Who::Everyone,
    };
    let root = match args.casebook.root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    let status = match due::status(&root, args.casebook.today, who) {
        Ok(status) => status,
        Err(StatusError::Casebook(e)) => return fatal(&e),
        Err(StatusError::Unknown { what, id, help }) => {
            let _ = writeln!(
                io::stderr(),
                "error: there is no {what} `{}` in contextpack.yaml\n  help: {help}",
                crate::report::terminal::lines(&id)
            );
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let settings = &status.checked.casebook.settings;
    let width = args.width.or_else(terminal_width);
    let look = Look {
        colour: colour_stdout(),
        width,
    };
    match args.format {
        StatusFormat::Text => emit(&text(&status.due, &status.filter, settings, look)),
        StatusFormat::Json => emit(&json(&status.due, &status.filter)),
    }
}

// ---------------------------------------------------------------- json

fn json(due: &Due, filter: &Filter) -> String {
    let (agency, person) = match filter {
        Filter::Everyone => (None, None),
        Filter::Agency(a) => (Some(a.as_str()), None),
        Filter::Person(p) => (None, Some(p.as_str())),
    };
    let mut value = serde_json::to_value(due).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.insert(
            "for".into(),
            serde_json::json!({ "agency": agency, "person": person }),
        );
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

// ---------------------------------------------------------------- text

/// How a cell is coloured on a terminal; plain text ignores it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tone {
    Plain,
    Bad,
    Soon,
}

struct Cell {
    text: String,
    tone: Tone,
}

fn cell(text: impl Into<String>) -> Cell {
    toned(text, Tone::Plain)
}

/// A table cell: record text, so shown with its control characters as
/// symbols (a venue cannot retitle the terminal or start a line).
fn toned(text: impl Into<String>, tone: Tone) -> Cell {
    let text = text.into();
    Cell {
        text: crate::report::terminal::visible(&text).into_owned(),
        tone,
    }
}

/// How the tables are shown: in colour or not, and within how many columns.
#[derive(Clone, Copy)]
struct Look {
    colour: bool,
    width: Option<usize>,
}

/// The terminal's width, when stdout is one.
fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return None;
    }
    console::Term::stdout()
        .size_checked()
        .map(|(_, columns)| usize::from(columns))
}

fn text(due: &Due, filter: &Filter, settings: &Settings, look: Look) -> String {
    let mut out = format!("Status on {} for {}\n", due.today, whom(filter, settings));
    section(
        &mut out,
        &format!("Meetings in the next {} days", due.upcoming_days),
        &["Date", "Time", "When", "Context", "Meeting", "Venue"],
        due.meetings.iter().map(meeting_row).collect(),
        look,
    );
    section(
        &mut out,
        "Reviews to arrange, overdue or coming up",
        &[
            "Date",
            "When",
            "Context",
            "State",
            "Agreed at",
            "Invitations by",
        ],
        due.reviews
            .iter()
            .map(|r| review_row(r, settings))
            .collect(),
        look,
    );
    section(
        &mut out,
        &format!("Actions overdue or due within {} days", due.due_soon_days),
        &["Due", "When", "Context", "Action", "Owner", "What"],
        due.actions
            .iter()
            .map(|a| action_row(a, look.width.is_some()))
            .collect(),
        look,
    );
    section(
        &mut out,
        "Records with errors or unexplained breaches",
        &["File", "Errors", "Breaches"],
        due.records_with_errors.iter().map(record_row).collect(),
        look,
    );
    if !due.records_with_errors.is_empty() {
        out.push_str("\n`contextpack check` shows what is wrong with them.\n");
    }
    out
}

fn whom(filter: &Filter, settings: &Settings) -> String {
    match filter {
        Filter::Everyone => "everyone".to_string(),
        Filter::Agency(a) => match settings.agency(a) {
            Some(x) => format!("agency {a} ({})", x.name),
            None => format!("agency {a}"),
        },
        Filter::Person(p) => match settings.person(p) {
            Some(x) => format!("person {p} ({})", x.name.value),
            None => format!("person {p}"),
        },
    }
}

/// "overdue by 3 days", "today", "in 1 day".
pub fn when(days: i64) -> String {
    let plural = |n: i64| if n == 1 { "" } else { "s" };
    match days {
        0 => "today".to_string(),
        d if d < 0 => format!("overdue by {} day{}", -d, plural(-d)),
        d => format!("in {d} day{}", plural(d)),
    }
}

fn tone_of(days: i64) -> Tone {
    if days < 0 {
        Tone::Bad
    } else if days <= due::DUE_SOON_DAYS {
        Tone::Soon
    } else {
        Tone::Plain
    }
}

fn meeting_row(m: &MeetingDue) -> Vec<Cell> {
    let time = match (&m.start, &m.end) {
        (Some(s), Some(e)) => format!("{s}-{e}"),
        (Some(s), None) => s.clone(),
        _ => String::new(),
    };
    vec![
        cell(m.date.to_string()),
        cell(time),
        cell(when(m.days)),
        cell(&m.context),
        cell(m.kind_label),
        cell(m.venue.clone().unwrap_or_default()),
    ]
}

fn review_row(r: &ReviewDue, settings: &Settings) -> Vec<Cell> {
    let tone = match r.state {
        ReviewState::Overdue | ReviewState::NoDate => Tone::Bad,
        ReviewState::ToArrange => Tone::Soon,
        ReviewState::Scheduled => Tone::Plain,
    };
    let invitations = r
        .invitations_by
        .as_deref()
        .map_or_else(String::new, |i| settings.person_name(i));
    vec![
        cell(r.date.map_or_else(|| "-".to_string(), |d| d.to_string())),
        cell(r.days.map_or_else(String::new, when)),
        cell(&r.context),
        toned(r.state.label(), tone),
        cell(r.agreed_at.to_string()),
        cell(invitations),
    ]
}

/// An action's row; `whole`: its text on one line, uncut (the table is
/// fitted to a width afterwards).
fn action_row(a: &ActionDue, whole: bool) -> Vec<Cell> {
    let what = if whole {
        a.action.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        one_line(&a.action)
    };
    vec![
        cell(a.due.to_string()),
        toned(when(a.days), tone_of(a.days)),
        cell(&a.context),
        cell(&a.id),
        cell(a.owner.label()),
        cell(what),
    ]
}

fn record_row(r: &RecordErrors) -> Vec<Cell> {
    vec![
        toned(&r.file, Tone::Bad),
        cell(r.errors.to_string()),
        cell(r.breaches.to_string()),
    ]
}

/// How much of an action's text a row shows; `--format json` has all of it.
const WHAT_CHARS: usize = 60;

/// Record text may hold newlines, and run long; a table row may not.
fn one_line(s: &str) -> String {
    let line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= WHAT_CHARS {
        return line;
    }
    let kept: String = line.chars().take(WHAT_CHARS - 1).collect();
    format!("{}…", kept.trim_end())
}

/// Narrowest a column is cut to when fitting a width: below it the text
/// says nothing, and the line may run over instead.
const MIN_CUT_COLUMN: usize = 10;

/// A titled table, or "none" when the list is empty. Within `look.width`,
/// the columns of free text are cut with "…", the last column first (venue,
/// action text, who sends the invitations), then the owner, the meeting and
/// the context, so every line fits 80 columns.
fn section(out: &mut String, title: &str, header: &[&str], rows: Vec<Vec<Cell>>, look: Look) {
    out.push_str(&format!("\n{title} ({})\n", rows.len()));
    if rows.is_empty() {
        out.push_str("  none\n");
        return;
    }
    let mut header: Vec<Cell> = header.iter().map(|h| cell(*h)).collect();
    let mut rows = rows;
    let mut widths = vec![0usize; header.len()];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.text.chars().count());
        }
    }
    if let Some(limit) = look.width {
        // Two spaces of indent, and two between columns.
        let total = |w: &[usize]| w.iter().map(|w| w + 2).sum::<usize>();
        let last = widths.len() - 1;
        let next: Vec<usize> = ["Owner", "Meeting", "Context"]
            .iter()
            .filter_map(|name| header.iter().position(|h| h.text == *name))
            .collect();
        for col in std::iter::once(last).chain(next) {
            let excess = total(&widths).saturating_sub(limit);
            let take = excess.min(widths[col].saturating_sub(MIN_CUT_COLUMN));
            if take == 0 {
                continue;
            }
            widths[col] -= take;
            for row in std::iter::once(&mut header).chain(&mut rows) {
                if let Some(c) = row.get_mut(col) {
                    c.text = cut(&c.text, widths[col]);
                }
            }
        }
    }
    line(out, &header, &widths, look.colour, true);
    for row in &rows {
        line(out, row, &widths, look.colour, false);
    }
}

/// `text` in at most `chars` characters, ending in "…" when cut.
fn cut(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let kept: String = text.chars().take(chars.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

fn line(out: &mut String, row: &[Cell], widths: &[usize], colour: bool, header: bool) {
    let mut text = String::from(" ");
    for (c, w) in row.iter().zip(widths) {
        let pad = w.saturating_sub(c.text.chars().count());
        text.push(' ');
        text.push_str(&paint(&c.text, c.tone, colour, header));
        text.push_str(&" ".repeat(pad + 1));
    }
    out.push_str(text.trim_end());
    out.push('\n');
}

/// ANSI colour for a terminal: bold headers, red for overdue, yellow for soon.
fn paint(text: &str, tone: Tone, colour: bool, header: bool) -> String {
    let code = match (colour, header, tone) {
        (false, ..) => return text.to_string(),
        (true, true, _) => "1",
        (true, false, Tone::Bad) => "1;31",
        (true, false, Tone::Soon) => "33",
        (true, false, Tone::Plain) => return text.to_string(),
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_reads_naturally() {
        assert_eq!(when(-1), "overdue by 1 day");
        assert_eq!(when(-12), "overdue by 12 days");
        assert_eq!(when(0), "today");
        assert_eq!(when(1), "in 1 day");
    }

    #[test]
    fn colour_only_when_asked() {
        assert_eq!(paint("x", Tone::Bad, false, false), "x");
        assert_eq!(paint("x", Tone::Bad, true, false), "\x1b[1;31mx\x1b[0m");
        assert_eq!(paint("x", Tone::Plain, true, false), "x");
    }

    #[test]
    fn long_text_is_clipped_to_one_line() {
        assert_eq!(one_line("two\nlines"), "two lines");
        let long = "word ".repeat(30);
        let clipped = one_line(&long);
        assert_eq!(clipped.chars().count(), WHAT_CHARS);
        assert!(
            clipped.ends_with("word…") || clipped.ends_with('…'),
            "{clipped}"
        );
    }

    #[test]
    fn days_colour_by_how_near() {
        assert!(tone_of(-1) == Tone::Bad);
        assert!(tone_of(14) == Tone::Soon);
        assert!(tone_of(15) == Tone::Plain);
    }
}
