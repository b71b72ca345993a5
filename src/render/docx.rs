//! Word versions of the agenda, the minutes and the action plan, which
//! councils circulate and edit (docx-rs, pure Rust).
//!
//! Built from the same views as the HTML and PDF, so they say the same
//! things. Record text only ever becomes a run's text: docx-rs escapes it
//! for XML, and nothing in a record can add a field, a link or markup. The
//! marking is in every page's header and footer, with "Page N of M" and
//! the date of issue; headings use Word's own heading styles, so the
//! navigation pane and a table of contents find them. Output is
//! deterministic: docx-rs writes fixed dates and zip times.

use super::view::{
    ActionView, AgendaDoc, AttendanceView, DomainView, MeetingView, MinutesDoc, PlanDoc, Stamp, Who,
};
use docx_rs::{
    Docx, Footer, Header, LineSpacing, NumPages, PageMargin, PageNum, Paragraph, Run, RunFonts,
    Style, StyleType, Table, TableCell, TableRow, WidthType,
};

/// A4 in twentieths of a point.
const A4: (u32, u32) = (11906, 16838);
/// The width between the margins, in twentieths of a point.
const TEXT_WIDTH: usize = 11906 - 2 * 1134;
/// Half-points.
const BODY_SIZE: usize = 21;
const FONT: &str = "Arial";

/// `agenda.docx`.
pub fn agenda(d: &AgendaDoc) -> Result<Vec<u8>, String> {
    let m = &d.meeting;
    let mut doc = meeting_page("Agenda", &d.stamp, &d.context.title, m);
    doc = doc.add_table(pairs(&[
        ("Venue", m.venue.clone()),
        ("Chair", m.chair.as_ref().map(who).unwrap_or_default()),
        ("Lead practitioner", who(&d.context.lead_practitioner)),
        ("Status", m.status_label.clone()),
    ]));
    doc = doc.add_paragraph(heading(2, "Invited"));
    doc = if m.invited.is_empty() {
        doc.add_paragraph(text("No one is recorded as invited."))
    } else {
        doc.add_table(grid(
            &[("Agency", 1), ("Name", 1)],
            m.invited
                .iter()
                .map(|w| vec![w.agency.clone(), w.name.clone()])
                .collect(),
        ))
    };
    doc = doc.add_paragraph(heading(2, "Items and timings"));
    doc = doc.add_table(grid(
        &[("No.", 1), ("Time", 3), ("Item", 11), ("Length", 2)],
        m.agenda
            .iter()
            .map(|i| {
                vec![
                    i.number.to_string(),
                    format!("{}–{}", i.at, i.until),
                    i.title.clone(),
                    format!("{} min", i.minutes),
                ]
            })
            .collect(),
    ));
    doc = doc
        .add_paragraph(heading(
            3,
            "Information Sharing and Confidentiality Statement",
        ))
        .add_paragraph(text(d.confidentiality_statement))
        .add_paragraph(heading(2, "Papers"));
    for paper in &m.papers {
        doc = doc.add_paragraph(bullet(paper));
    }
    pack(doc)
}

/// `minutes.docx`.
pub fn minutes(d: &MinutesDoc) -> Result<Vec<u8>, String> {
    let m = &d.meeting;
    let mi = &d.minutes;
    let mut doc = meeting_page("Minutes", &d.stamp, &d.context.title, m);
    doc = doc.add_table(pairs(&[
        ("Venue", m.venue.clone()),
        ("Chair", m.chair.as_ref().map(who).unwrap_or_default()),
        (
            "Minutes taken by",
            mi.minute_taker.as_ref().map(who).unwrap_or_default(),
        ),
        (
            "Approved",
            mi.approved
                .as_ref()
                .map(|a| match &a.by {
                    Some(by) => format!("{} by {}", a.date, who(by)),
                    None => a.date.clone(),
                })
                .unwrap_or_default(),
        ),
        ("Circulated to", mi.circulated_to.join(", ")),
    ]));
    doc = doc.add_paragraph(heading(2, "Attendance"));
    // `attendance` lists everyone, the absent with their apologies.
    let rows = mi.attendance.iter().map(attendance_row).collect();
    doc = doc.add_table(grid(&[("Agency", 3), ("Name", 3), ("Attendance", 3)], rows));
    doc = doc.add_paragraph(heading(2, "Discussion"));
    doc = markdown(doc, &mi.body_md);
    doc = doc.add_paragraph(heading(2, "Actions agreed"));
    if mi.actions_agreed.iter().all(|dm| dm.actions.is_empty()) {
        doc = doc.add_paragraph(text("No actions were agreed at this meeting."));
    }
    for domain in mi.actions_agreed.iter().filter(|dm| !dm.actions.is_empty()) {
        doc = doc.add_paragraph(heading(3, &domain.title));
        doc = doc.add_table(actions(domain));
    }
    doc = doc.add_paragraph(heading(2, "Review"));
    doc = match &mi.review {
        Some(r) => doc.add_table(pairs(&[
            ("Review date", r.date.clone()),
            ("Agencies to attend", r.agencies.join(", ")),
            ("Invitations sent by", r.invitations_by.clone()),
        ])),
        None => doc.add_paragraph(text("No review was arranged at this meeting.")),
    };
    pack(doc)
}

/// `action-plan.docx`.
pub fn plan(d: &PlanDoc) -> Result<Vec<u8>, String> {
    let mut doc = page(&d.stamp, &d.context.title);
    doc = doc
        .add_paragraph(heading(1, "Action plan"))
        .add_paragraph(lede(
            &d.context.title,
            &format!("Status as at {}", d.stamp.today),
        ))
        .add_paragraph(heading(2, "Goals"));
    for g in &d.plan.goals {
        doc = doc.add_paragraph(text(&format!("{}  {}", g.id, g.text)));
    }
    for (i, domain) in d.plan.domains.iter().enumerate() {
        doc = doc.add_paragraph(heading(2, &format!("{}. {}", i + 1, domain.title)));
        doc = if domain.actions.is_empty() {
            doc.add_paragraph(text("No actions in this domain."))
        } else {
            doc.add_table(actions(domain))
        };
    }
    pack(doc)
}

// ---------------------------------------------------------------- parts

/// An A4 document with Word's heading styles, the marking, partnership and
/// context in the header, and the marking, date of issue, records version
/// and page numbers in the footer.
fn page(stamp: &Stamp, context: &str) -> Docx {
    let marking = || Run::new().add_text(&stamp.marking).bold().size(18);
    let header = Header::new()
        .add_paragraph(Paragraph::new().add_run(marking()))
        .add_paragraph(
            Paragraph::new().add_run(small(&format!("{} · {}", stamp.partnership, context))),
        );
    let footer = Footer::new()
        .add_paragraph(Paragraph::new().add_run(marking()))
        .add_paragraph(
            Paragraph::new()
                .add_run(small(&format!(
                    "{} · {} · Page ",
                    stamp.issued, stamp.provenance
                )))
                .add_page_num(PageNum::new())
                .add_run(small(" of "))
                .add_num_pages(NumPages::new()),
        );
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(PageMargin {
            top: 1361,
            left: 1134,
            bottom: 1361,
            right: 1134,
            header: 567,
            footer: 567,
            gutter: 0,
        })
        .header(header)
        .footer(footer)
        .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT))
        .default_size(BODY_SIZE);
    for (level, size) in [(1, 36), (2, 28), (3, 24)] {
        doc = doc.add_style(
            Style::new(format!("Heading{level}"), StyleType::Paragraph)
                .name(format!("heading {level}"))
                .based_on("Normal")
                .bold()
                .size(size)
                .color("1F3B5C")
                .line_spacing(LineSpacing::new().before(240).after(80))
                .outline_lvl(level - 1),
        );
    }
    doc
}

/// A meeting's document: its title, then the context and the meeting's
/// kind, date and times.
fn meeting_page(title: &str, stamp: &Stamp, context: &str, m: &MeetingView) -> Docx {
    page(stamp, context)
        .add_paragraph(heading(1, title))
        .add_paragraph(lede(
            context,
            &meeting_line(&m.kind_label, &m.date, &m.start, &m.end),
        ))
}

fn pack(doc: Docx) -> Result<Vec<u8>, String> {
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| format!("the Word file could not be written: {e}"))?;
    Ok(out.into_inner())
}

fn heading(level: usize, title: &str) -> Paragraph {
    Paragraph::new()
        .style(&format!("Heading{level}"))
        .add_run(Run::new().add_text(title))
}

fn text(s: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(s))
}

fn small(s: &str) -> Run {
    Run::new().add_text(s).size(16).color("5B6470")
}

fn bullet(s: &str) -> Paragraph {
    text(&format!("• {s}"))
}

/// The context's title in bold and the line under it.
fn lede(title: &str, line: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(title).bold())
        .add_run(Run::new().add_text(format!(" · {line}")))
}

fn meeting_line(kind: &str, date: &str, start: &str, end: &str) -> String {
    let time = match (start.is_empty(), end.is_empty()) {
        (false, false) => format!("{start}–{end}"),
        _ => format!("{start}{end}"),
    };
    [kind, date, &time]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

fn who(w: &Who) -> String {
    match (w.name.is_empty(), w.agency.is_empty()) {
        (false, false) => format!("{}, {}", w.name, w.agency),
        _ => format!("{}{}", w.name, w.agency),
    }
}

fn attendance_row(a: &AttendanceView) -> Vec<String> {
    let how = if !a.absent {
        "Present".to_string()
    } else if a.represented_by.is_empty() {
        "Apologies; not represented".to_string()
    } else {
        format!("Apologies; represented by {}", a.represented_by)
    };
    vec![a.agency.clone(), a.name.clone(), how]
}

fn actions(domain: &DomainView) -> Table {
    grid(
        &[
            ("Id", 2),
            ("Status", 4),
            ("Action", 10),
            ("Owner", 6),
            ("Due", 5),
            ("Done", 5),
        ],
        domain.actions.iter().map(action_row).collect(),
    )
}

fn action_row(a: &ActionView) -> Vec<String> {
    vec![
        a.id.clone(),
        a.mark.label.to_string(),
        a.action.clone(),
        who(&a.owner),
        a.due.clone(),
        a.done.clone(),
    ]
}

/// Label–value rows; rows with an empty value are left out.
fn pairs(rows: &[(&str, String)]) -> Table {
    let widths = widths(&[1, 3]);
    let table = Table::new(
        rows.iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(label, value)| {
                TableRow::new(vec![
                    cell(Run::new().add_text(*label).bold(), widths[0]),
                    cell(Run::new().add_text(value), widths[1]),
                ])
            })
            .collect(),
    );
    fixed(table, widths)
}

/// A table with a bold header row; each column's share of the text width
/// beside its heading.
fn grid(columns: &[(&str, usize)], rows: Vec<Vec<String>>) -> Table {
    let shares: Vec<usize> = columns.iter().map(|(_, share)| *share).collect();
    let widths = widths(&shares);
    let head = TableRow::new(
        columns
            .iter()
            .zip(&widths)
            .map(|((h, _), w)| cell(Run::new().add_text(*h).bold(), *w))
            .collect(),
    );
    let body = rows.into_iter().map(|row| {
        TableRow::new(
            row.iter()
                .zip(&widths)
                .map(|(v, w)| cell(Run::new().add_text(v), *w))
                .collect(),
        )
    });
    fixed(
        Table::new(std::iter::once(head).chain(body).collect()),
        widths,
    )
}

/// Column widths in twentieths of a point from shares of the text width.
fn widths(shares: &[usize]) -> Vec<usize> {
    let total: usize = shares.iter().sum::<usize>().max(1);
    shares.iter().map(|s| TEXT_WIDTH * s / total).collect()
}

fn fixed(table: Table, widths: Vec<usize>) -> Table {
    table.set_grid(widths).width(TEXT_WIDTH, WidthType::Dxa)
}

fn cell(run: Run, width: usize) -> TableCell {
    TableCell::new()
        .width(width, WidthType::Dxa)
        .add_paragraph(Paragraph::new().add_run(run))
}

/// Minutes' Markdown as Word paragraphs: `#` headings become headings
/// under the document's own, list items bullets, anything else plain text
/// (the marks as written: Word is where it will be edited).
fn markdown(mut doc: Docx, md: &str) -> Docx {
    if md.trim().is_empty() {
        return doc.add_paragraph(text("No minutes are written yet."));
    }
    for block in md.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        let mut prose: Vec<&str> = Vec::new();
        for line in block.lines().map(str::trim) {
            let hashes = line.chars().take_while(|c| *c == '#').count();
            let title = (1..=6)
                .contains(&hashes)
                .then(|| line[hashes..].strip_prefix(' '))
                .flatten();
            let item = line.strip_prefix("- ").or(line.strip_prefix("* "));
            if title.is_none() && item.is_none() {
                prose.push(line);
                continue;
            }
            if !prose.is_empty() {
                doc = doc.add_paragraph(text(&prose.join(" ")));
                prose.clear();
            }
            doc = match (title, item) {
                (Some(title), _) => doc.add_paragraph(heading(3, title.trim())),
                (_, Some(item)) => doc.add_paragraph(bullet(item)),
                _ => doc,
            };
        }
        if !prose.is_empty() {
            doc = doc.add_paragraph(text(&prose.join(" ")));
        }
    }
    doc
}
