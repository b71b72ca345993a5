//! `contextpack publish --quarter 2026-Q3 [--forum ID]` as one call: record
//! in the casebook what was sent to each forum, so that a later build can
//! tell when it would change it ([`crate::summary::published`]).
//!
//! What is recorded is what the output folder holds: the summary files a
//! build wrote, whose CSV must be the one today's records give (else the
//! output is out of date and nothing is recorded). Each forum's record,
//! `published/<quarter>/<forum>.yaml`, gains one release: its issue number,
//! the date, the sha256 of the CSV, HTML and PDF, and the children table as
//! printed. The file is written whole beside itself and renamed into place,
//! so a reader never finds half a record. It is for version control: commit
//! it with the date the summaries went out.

use super::manifest::sha256;
use super::{Gate, OutputError, Target};
use crate::Checked;
use crate::load::FatalError;
use crate::model::{Date, Published, Shown};
use crate::summary::published::{self, Standing, shown_of};
use crate::summary::{Quarter, QuarterSummary, quarter_summaries};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What a publish is asked to do.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub casebook: &'a Path,
    /// The output folder the summaries were built into; `output` inside the
    /// casebook when `None`.
    pub out: Option<&'a Path>,
    /// The day the summaries are sent; the casebook's `as_of:`, else the clock.
    pub today: Option<Date>,
    /// As typed: `2026-Q3`.
    pub quarter: &'a str,
    /// Only this forum's summary.
    pub forum: Option<&'a str>,
}

/// Why nothing could be recorded.
#[derive(Debug)]
pub enum Unstarted {
    Casebook(FatalError),
    /// Not written `YYYY-Qn`.
    Quarter(String),
    /// No forum of contextpack.yaml has this id.
    Forum {
        typed: String,
        forums: Vec<String>,
    },
    Output(OutputError),
}

/// What happened to one forum's summary.
#[derive(Debug, PartialEq, Eq)]
pub enum Recorded {
    /// A release was added: `published/...yaml`, its issue number.
    Release { record: String, issue: u32 },
    /// The last release already has these figures.
    AlreadySent { record: String, issue: u32 },
}

/// Why one forum's summary could not be recorded.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused {
    /// `anonymised/2026-Q3/safer-plymouth.csv`.
    pub file: String,
    pub reason: String,
    pub help: String,
}

#[derive(Debug)]
pub struct Outcome {
    pub checked: Checked,
    pub gate: Gate,
    pub quarter: Quarter,
    /// Per forum, in the order of `forums:`.
    pub result: Result<Vec<Result<Recorded, Refused>>, Stopped>,
}

#[derive(Debug)]
pub enum Stopped {
    /// The records have errors or unexplained breaches.
    HeldBack,
    /// The quarter has not ended on the day given.
    InProgress { last_day: Date },
    /// The record could not be written.
    Io(PathBuf, std::io::Error),
}

impl Outcome {
    /// 0 when every summary asked for is on record, else 1 (2 when the
    /// record could not be written).
    pub fn exit_code(&self) -> u8 {
        match &self.result {
            Ok(list) if list.iter().all(Result::is_ok) => 0,
            Ok(_) | Err(Stopped::HeldBack | Stopped::InProgress { .. }) => 1,
            Err(Stopped::Io(..)) => 2,
        }
    }
}

/// Checks the casebook, then records each summary of the quarter that the
/// output folder holds as built from today's records.
pub fn run(request: &Request) -> Result<Outcome, Unstarted> {
    let checked =
        crate::check_casebook(request.casebook, request.today).map_err(Unstarted::Casebook)?;
    let Ok(quarter) = request.quarter.parse::<Quarter>() else {
        return Err(Unstarted::Quarter(request.quarter.to_string()));
    };
    let forums: Vec<String> = checked
        .casebook
        .settings
        .forums
        .iter()
        .map(|f| f.id.value.clone())
        .collect();
    if let Some(id) = request.forum
        && !forums.iter().any(|f| f == id)
    {
        return Err(Unstarted::Forum {
            typed: id.to_string(),
            forums,
        });
    }
    let target = Target::resolve(request.casebook, request.out).map_err(Unstarted::Output)?;
    let gate = Gate::of(&checked);
    let result = if !gate.all_clear() {
        Err(Stopped::HeldBack)
    } else if checked.today <= quarter.last_day() {
        Err(Stopped::InProgress {
            last_day: quarter.last_day(),
        })
    } else {
        record_all(&checked, &target, quarter, request.forum)
    };
    Ok(Outcome {
        checked,
        gate,
        quarter,
        result,
    })
}

fn record_all(
    checked: &Checked,
    target: &Target,
    quarter: Quarter,
    forum: Option<&str>,
) -> Result<Vec<Result<Recorded, Refused>>, Stopped> {
    let cb = &checked.casebook;
    let mut summaries = quarter_summaries(checked, quarter, forum);
    // Publishing a quarter is reissuing it where its figures changed: the
    // build that wrote the output must have been asked to (its CSV is
    // compared below), so nothing is sent unmarked.
    let _ = published::settle(cb, &mut summaries, &[quarter]);
    let mut out = Vec::new();
    for s in &summaries {
        let rel = format!("published/{quarter}/{}.yaml", s.forum.id);
        let (standing, last) = published::standing(cb, s);
        if let (Standing::AsSent, Some(last)) = (standing, last) {
            out.push(Ok(Recorded::AlreadySent {
                record: rel,
                issue: last.issue.value,
            }));
            continue;
        }
        let files = match sent_files(target, s) {
            Ok(f) => f,
            Err(refused) => {
                out.push(Err(refused));
                continue;
            }
        };
        let record = published::record(cb, quarter, &s.forum.id);
        let issue = s.reissue.as_ref().map_or(1, |r| r.issue);
        let text = record_text(record, s, issue, checked.today, &files);
        let path = target.casebook.join(&rel);
        write_whole(&path, &text).map_err(|e| Stopped::Io(path.clone(), e))?;
        out.push(Ok(Recorded::Release { record: rel, issue }));
    }
    Ok(out)
}

/// The sha256 of the CSV, HTML and PDF of `s` in the output folder, when
/// its CSV is the one the records give.
fn sent_files(target: &Target, s: &QuarterSummary) -> Result<[String; 3], Refused> {
    let stem = super::summaries::stem(s);
    let read = |ext: &str| {
        let rel = format!("{stem}.{ext}");
        crate::fs_guard::read_regular(&target.out.join(&rel), 512 * 1024 * 1024).map_err(|_| {
            Refused {
                file: rel,
                reason: "the output folder has no such summary".to_string(),
                help: "build the casebook first (`contextpack build`), then publish what it wrote"
                    .to_string(),
            }
        })
    };
    let csv = read("csv")?;
    if sha256(&csv) != published::csv_sha256(s) {
        let reissue = if s.reissue.is_some() {
            format!(" with `--reissue {}`", s.quarter)
        } else {
            String::new()
        };
        return Err(Refused {
            file: format!("{stem}.csv"),
            reason: "the summary in the output folder is not the one today's records give"
                .to_string(),
            help: format!("build again{reissue} and send the summary it writes, then publish it"),
        });
    }
    let html = read("html")?;
    let pdf = read("pdf")?;
    Ok([sha256(&csv), sha256(&html), sha256(&pdf)])
}

/// The record with one more release, the earlier ones as they were read.
fn record_text(
    record: Option<&Published>,
    s: &QuarterSummary,
    issue: u32,
    today: Date,
    [csv, html, pdf]: &[String; 3],
) -> String {
    let mut t = String::new();
    t.push_str(
        "# What contextpack sent to a forum, written by `contextpack publish`: keep it\n\
         # under version control and do not edit it. A build refuses to change a\n\
         # summary recorded here unless it is given `--reissue <quarter>`.\n",
    );
    let _ = writeln!(t, "quarter: {}", s.quarter);
    let _ = writeln!(t, "forum: {}", s.forum.id);
    t.push_str("releases:\n");
    for r in record.map_or(&[][..], |p| &p.releases) {
        let sha = |s: &Option<crate::source::Sp<String>>| s.as_ref().map(|s| s.value.clone());
        release_text(
            &mut t,
            (r.issue.value, r.published.value),
            [
                Some(r.csv_sha256.value.clone()),
                sha(&r.html_sha256),
                sha(&r.pdf_sha256),
            ],
            r.children
                .as_ref()
                .map(|c| (&c.rows[..], &c.columns[..], c.shown.clone())),
        );
    }
    let table = &s.children;
    release_text(
        &mut t,
        (issue, today),
        [Some(csv.clone()), Some(html.clone()), Some(pdf.clone())],
        Some((&table.row_labels, &table.column_labels, shown_of(table))),
    );
    t
}

/// A children table to write: its rows, its columns, what it printed.
type TableText<'a> = (&'a [String], &'a [String], Vec<Vec<Shown>>);

/// One release of a record, in the YAML the loader reads back.
fn release_text(
    t: &mut String,
    (issue, date): (u32, Date),
    [csv, html, pdf]: [Option<String>; 3],
    children: Option<TableText>,
) {
    let _ = writeln!(t, "  - issue: {issue}");
    let _ = writeln!(t, "    published: {date}");
    t.push_str("    sha256:\n");
    for (name, sha) in [("csv", csv), ("html", html), ("pdf", pdf)] {
        if let Some(sha) = sha {
            let _ = writeln!(t, "      {name}: {sha}");
        }
    }
    let Some((rows, columns, shown)) = children else {
        return;
    };
    // Labels as JSON strings, which YAML reads as its double-quoted ones.
    let quoted = |list: &[String]| {
        list.iter()
            .map(|l| serde_json::to_string(l).unwrap_or_default())
            .collect::<Vec<_>>()
            .join(", ")
    };
    t.push_str("    children:\n");
    let _ = writeln!(t, "      rows: [{}]", quoted(rows));
    let _ = writeln!(t, "      columns: [{}]", quoted(columns));
    t.push_str("      shown:\n");
    for line in shown {
        let cells: Vec<String> = line
            .iter()
            .map(|c| match c {
                Shown::Count(n) => n.to_string(),
                Shown::Suppressed => "c".to_string(),
                Shown::Withheld => "x".to_string(),
            })
            .collect();
        let _ = writeln!(t, "        - [{}]", cells.join(", "));
    }
}

/// Writes `text` beside `path` and renames it into place: a reader never
/// sees the file half written. (`contextpack move` rewrites a record so too.)
pub(crate) fn write_whole(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&temp, text)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}
