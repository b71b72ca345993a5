//! `published/<YYYY>-Q<n>/<forum>.yaml`: what was sent to a forum, written
//! by `contextpack publish` and read back so that a build can compare its
//! summaries with it and audit them against it. A record that does not read
//! is an error like any other: a build that could not see what was sent
//! must not go on as if nothing had been.

use super::decode::Dec;
use super::yaml::{Value, Yaml};
use crate::model::{Published, Release, Shown, ShownTable};
use crate::source::{FileId, Sp};

const FIELDS: &[&str] = &["quarter", "forum", "releases"];
const RELEASE_FIELDS: &[&str] = &["issue", "published", "sha256", "children"];
const SHA_FIELDS: &[&str] = &["csv", "html", "pdf"];
const TABLE_FIELDS: &[&str] = &["rows", "columns", "shown"];

/// The record of `file`, named `<quarter>/<forum>.yaml` in `published/`.
pub fn decode(
    d: &mut Dec,
    root: &Yaml,
    file: FileId,
    (quarter, forum): (&str, &str),
) -> Option<Published> {
    let m = d.map(root, "a published summary", FIELDS)?;
    let q = d.req(&m, "quarter", Dec::text);
    let f = d.req(&m, "forum", Dec::id);
    let written = m.get("releases").map_or(0, |y| match &y.value {
        Value::Seq(items) => items.len(),
        _ => 1,
    });
    let releases = match m.entry("releases") {
        Some(e) => d.list(&e.value, "releases", release),
        None => {
            d.required(&m, "releases");
            Vec::new()
        }
    };
    if releases.len() < written {
        // A release that does not read is reported where it is.
        return None;
    }
    let (q, f) = (q?, f?);
    if q.value != quarter || f.value != forum {
        d.error_help(
            m.loc,
            format!(
                "this record is for `{}` and forum `{}`, but it is filed as `published/{quarter}/{forum}.yaml`",
                q.value, f.value
            ),
            format!(
                "records are written by `contextpack publish`: move it to `published/{}/{}.yaml`, or restore it from git",
                q.value, f.value
            ),
        );
        return None;
    }
    for (i, r) in releases.iter().enumerate() {
        let expected = i as u32 + 1;
        if r.issue.value != expected {
            d.error_help(
                r.issue.loc,
                format!("release {expected} is numbered {}", r.issue.value),
                "releases are numbered 1, 2, 3... oldest first: restore the record from git",
            );
            return None;
        }
    }
    if releases.is_empty() {
        d.error_help(
            m.loc,
            "this published record lists no release",
            "remove the file, or restore it from git",
        );
        return None;
    }
    Some(Published {
        file,
        quarter: q,
        forum: f,
        releases,
    })
}

fn release(d: &mut Dec, y: &Yaml) -> Option<Release> {
    let m = d.map(y, "a release", RELEASE_FIELDS)?;
    let issue = d.req(&m, "issue", Dec::positive);
    let published = d.req(&m, "published", Dec::date);
    let sha = d
        .required(&m, "sha256")
        .and_then(|y| d.map(y, "the sha256 of a release", SHA_FIELDS));
    let (csv, html, pdf) = match sha {
        Some(s) => (
            d.req(&s, "csv", sha256),
            d.opt(&s, "html", sha256),
            d.opt(&s, "pdf", sha256),
        ),
        None => (None, None, None),
    };
    let children = m.get("children").and_then(|y| table(d, y));
    Some(Release {
        loc: m.loc,
        issue: issue?,
        published: published?,
        csv_sha256: csv?,
        html_sha256: html,
        pdf_sha256: pdf,
        children,
    })
}

/// 64 lowercase hexadecimal digits.
fn sha256(d: &mut Dec, y: &Yaml, field: &str) -> Option<Sp<String>> {
    let t = d.text(y, field)?;
    let hex = t.value.len() == 64
        && t.value
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
    if !hex {
        d.error(
            t.loc,
            format!("`{field}` must be a sha256: 64 lowercase hexadecimal digits"),
        );
        return None;
    }
    Some(t)
}

fn table(d: &mut Dec, y: &Yaml) -> Option<ShownTable> {
    let m = d.map(y, "a published table", TABLE_FIELDS)?;
    let rows = d.req(&m, "rows", |d, y, f| {
        Some(d.list(y, f, |d, y| d.text(y, f)))
    });
    let columns = d.req(&m, "columns", |d, y, f| {
        Some(d.list(y, f, |d, y| d.text(y, f)))
    });
    let shown = d.req(&m, "shown", |d, y, f| {
        let lines = match &y.value {
            Value::Seq(items) => items.len(),
            _ => 0,
        };
        // A line with a bad entry is reported there, and only there.
        let read = d.list(y, f, line);
        (read.len() == lines).then_some(read)
    });
    let (rows, columns, shown) = (rows?, columns?, shown?);
    let fits = shown.len() == rows.len() + 1 && shown.iter().all(|l| l.len() == columns.len() + 1);
    if !fits {
        d.error_help(
            m.loc,
            format!(
                "`shown` must have {} lines of {} entries (the totals last)",
                rows.len() + 1,
                columns.len() + 1
            ),
            "records are written by `contextpack publish`: restore it from git",
        );
        return None;
    }
    let table = ShownTable {
        loc: m.loc,
        rows: rows.into_iter().map(|r| r.value).collect(),
        columns: columns.into_iter().map(|c| c.value).collect(),
        shown,
    };
    let grid = crate::summary::published::grid_of(&table);
    if crate::summary::attack::feasible(&grid).is_none() {
        d.error_help(
            m.loc,
            "`shown` does not add up: no counts give these totals",
            "records are written by `contextpack publish`: restore it from git",
        );
        return None;
    }
    Some(table)
}

fn line(d: &mut Dec, y: &Yaml) -> Option<Vec<Shown>> {
    let entries = d.list(y, "shown", entry);
    match &y.value {
        Value::Seq(items) if items.len() == entries.len() => Some(entries),
        _ => None,
    }
}

fn entry(d: &mut Dec, y: &Yaml) -> Option<Shown> {
    match &y.value {
        Value::Str(s) if s == "c" => Some(Shown::Suppressed),
        Value::Str(s) if s == "x" => Some(Shown::Withheld),
        Value::Int(_) => d.count(y, "shown").map(|n| Shown::Count(n.value)),
        _ => {
            d.error(
                y.loc,
                format!(
                    "a shown entry is a count, `c` or `x`, found {}",
                    y.describe()
                ),
            );
            None
        }
    }
}
