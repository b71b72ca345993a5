//! What a summary document shows, ready for the templates: the
//! [`QuarterSummary`] itself, the headline figures, and the charts with their
//! geometry worked out here.
//!
//! Charts are data, not markup: numbers (positions and sizes in chart units)
//! and labels. `summary.html` writes them as inline SVG through tera, which
//! escapes every label; `summary.typ` draws the same geometry with typst,
//! scaled, so the HTML and the PDF show the same picture. No record text is
//! ever turned into SVG or typst code.

use super::aggregate::{Count, QuarterSummary, ThemeCount};
use crate::render::view::Stamp;
use serde::Serialize;

/// Chart width in chart units (CSS pixels in the HTML).
pub const CHART_WIDTH: u32 = 640;
/// Where the bars start: the labels sit to the left of it.
const BAR_LEFT: u32 = 230;
/// Room to the right of the longest bar for its value.
const VALUE_ROOM: u32 = 50;
/// The height of a row with one bar; each further series adds [`SERIES_HEIGHT`].
const ROW_HEIGHT: u32 = 24;
const SERIES_HEIGHT: u32 = 13;
const TOP: u32 = 8;
/// Room under the bars for the axis and its numbers.
const AXIS_ROOM: u32 = 26;
/// Most themes a chart shows; the table lists all of them.
pub const MAX_THEMES: usize = 12;

/// `anonymised/<YYYY>-Q<n>/<forum>.html|.pdf`.
#[derive(Clone, Debug, Serialize)]
pub struct SummaryDoc {
    pub stamp: Stamp,
    pub title: String,
    /// "July to September 2026".
    pub period: String,
    pub summary: QuarterSummary,
    pub headline: Vec<Headline>,
    pub charts: Charts,
    /// Whether any count of children is shown as `c` or `x`.
    pub any_suppressed: bool,
    /// The data notes of the children table: what `c` and `x` mean and why.
    pub children_notes: Vec<String>,
    /// For a reissue, the sentence its first page carries; else empty.
    pub reissue_note: String,
    /// The sibling files, for links: `safer-plymouth.pdf`, `.csv`.
    pub pdf_file: String,
    pub csv_file: String,
    /// The analyst's key messages for this forum and quarter
    /// (`messages/<quarter>/<forum>.md`), as Markdown for the HTML and as
    /// a node tree for typst; empty when there are none.
    pub key_messages_md: String,
    pub key_messages: serde_json::Value,
}

/// A figure at the top of the page.
#[derive(Clone, Debug, Serialize)]
pub struct Headline {
    pub label: String,
    /// A number, or `c`.
    pub value: String,
    /// A few words of context: "of 3 due".
    pub note: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Charts {
    pub harms: BarChart,
    pub themes: BarChart,
    pub quarters: LineChart,
}

/// A horizontal bar chart: one row per category, one bar per series.
#[derive(Clone, Debug, Serialize)]
pub struct BarChart {
    pub id: String,
    pub title: String,
    /// One sentence for screen readers and for an empty chart.
    pub description: String,
    pub width: u32,
    pub height: u32,
    /// Where the bars start (the labels end a little before it).
    pub bar_left: u32,
    /// Where the row labels end (right-aligned there).
    pub label_x: u32,
    /// The baseline of the axis numbers.
    pub tick_y: u32,
    /// The baseline under the bars.
    pub axis_y: u32,
    pub series: Vec<Series>,
    pub rows: Vec<BarRow>,
    pub ticks: Vec<Tick>,
    pub empty: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Series {
    pub name: String,
    /// `s0`, `s1`: the colour class.
    pub class: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct BarRow {
    pub label: String,
    /// The middle of the row, for its label.
    pub label_y: u32,
    pub bars: Vec<Bar>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Bar {
    pub class: String,
    pub series: String,
    pub value: u32,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// Where the value is written: just right of the bar, vertically centred.
    pub text_x: u32,
    pub text_y: u32,
}

/// A value on an axis and where it sits.
#[derive(Clone, Debug, Serialize)]
pub struct Tick {
    pub value: u32,
    pub at: u32,
}

/// A line chart across quarters.
#[derive(Clone, Debug, Serialize)]
pub struct LineChart {
    pub id: String,
    pub title: String,
    pub description: String,
    pub width: u32,
    pub height: u32,
    pub left: u32,
    pub right: u32,
    pub top: u32,
    pub bottom: u32,
    /// Where the axis numbers end (right-aligned there).
    pub tick_x: u32,
    /// The baseline of the quarter labels.
    pub column_y: u32,
    /// Quarter labels along the bottom.
    pub columns: Vec<Column>,
    pub ticks: Vec<Tick>,
    pub lines: Vec<Line>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Column {
    pub label: String,
    pub x: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct Line {
    pub name: String,
    pub class: String,
    /// `x,y x,y ...` for an SVG polyline: numbers only.
    pub points: String,
    pub dots: Vec<Dot>,
    /// The legend entry, right of the plot: a short line, then the name.
    pub legend_x: u32,
    pub legend_y: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct Dot {
    pub x: u32,
    pub y: u32,
    pub value: u32,
}

impl SummaryDoc {
    /// `forum` is the file name stem of the outputs (the forum id).
    pub fn new(summary: QuarterSummary, stamp: Stamp) -> Self {
        let period = period(&summary);
        let title = format!(
            "{} theme summary for {}",
            summary.quarter, summary.forum.name
        );
        let id = summary.forum.id.clone();
        SummaryDoc {
            stamp,
            title,
            period,
            headline: headline(&summary),
            charts: Charts {
                harms: harm_chart(&summary.contexts.by_harm),
                themes: theme_chart(&summary),
                quarters: quarter_chart(&summary),
            },
            any_suppressed: summary.children.any_hidden(),
            children_notes: children_notes(&summary),
            reissue_note: reissue_note(&summary),
            pdf_file: format!("{id}.pdf"),
            csv_file: format!("{id}.csv"),
            key_messages_md: String::new(),
            key_messages: serde_json::Value::Null,
            summary,
        }
    }

    /// The key messages the casebook holds for this summary's forum and
    /// quarter, if any.
    pub fn with_key_messages(mut self, casebook: &crate::model::Casebook) -> Self {
        let quarter = self.summary.quarter.to_string();
        let written = casebook
            .messages
            .iter()
            .find(|m| m.quarter == quarter && m.forum == self.summary.forum.id);
        if let Some(m) = written.filter(|m| !m.text.value.trim().is_empty()) {
            self.key_messages_md = m.text.value.clone();
            self.key_messages = crate::render::markdown::to_typst_data(&m.text.value);
        }
        self
    }
}

/// "July to September 2026".
fn period(s: &QuarterSummary) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let first = usize::from(s.quarter.q.saturating_sub(1)) * 3;
    let month = |i: usize| MONTHS.get(i).copied().unwrap_or("");
    format!(
        "{} to {} {}",
        month(first),
        month(first + 2),
        s.quarter.year
    )
}

/// "Reissued: issue 2 of this summary, replacing the one sent on 10 July
/// 2026...", or nothing for a first issue.
fn reissue_note(s: &QuarterSummary) -> String {
    let Some(r) = &s.reissue else {
        return String::new();
    };
    let replaces = r
        .replaces
        .parse::<crate::model::Date>()
        .map_or_else(|_| r.replaces.clone(), crate::render::view::long_date);
    format!(
        "Reissued: this is issue {} of this summary, replacing the one sent on {replaces}, \
         whose figures have been corrected. Please use this issue and withdraw the earlier one.",
        r.issue
    )
}

/// The data notes under the children table, as plain sentences.
fn children_notes(s: &QuarterSummary) -> Vec<String> {
    let t = &s.children;
    let mut notes = vec![
        "Each child is counted once, by role and by age band at the end of the quarter, \
         among the children linked to a context active in the quarter."
            .to_string(),
        format!(
            "A c stands for a count of children {}, withheld so that no child can be identified. \
             Zeros are true zeros: a c is never 0.",
            t.withheld
        ),
    ];
    if t.secondary {
        notes.push(format!(
            "Some larger counts are shown as c too (secondary suppression): where a hidden count \
             could be worked out from the totals, or from the summaries of earlier quarters, \
             more counts are hidden, so a c may stand for a count of {} or more.",
            t.suppress_below
        ));
    }
    if t.detail != super::suppress::Detail::Full {
        notes.push(format!(
            "This quarter the table is {}, because {}. An x marks a figure not given.",
            t.detail.describe(),
            t.coarsened
        ));
    }
    let range = match t.suppress_below {
        0..=2 => "1".to_string(),
        n => format!("1 to {}", n - 1),
    };
    notes.push(match t.audited_against.as_slice() {
        [] => "Before publication the table was checked so that no hidden count can be worked out \
               from it."
            .to_string(),
        quarters => format!(
            "Before publication the table was checked against the summaries of {}: no hidden \
             count, and no change of {range} children in a role or an age band between quarters, \
             can be worked out from what has been published.",
            crate::text::join_and(quarters)
        ),
    });
    notes.push(
        "A quarter counts the children linked to a context at some time during it, aged at its \
         end, so a quarter that has ended keeps its figures when children are linked later: they \
         change only if a record is corrected."
            .to_string(),
    );
    notes.push(
        "Once a quarter's summary has been sent its figures are final: a correction is sent as a \
         reissue, marked as such on its first page, and checked against the issue it replaces."
            .to_string(),
    );
    notes
}

/// The figures an analyst reads first.
fn headline(s: &QuarterSummary) -> Vec<Headline> {
    let h = |label: &str, value: String, note: String| Headline {
        label: label.to_string(),
        value,
        note,
    };
    let c = &s.contexts;
    let r = &s.reviews;
    let a = &s.actions.all;
    let children = s.children.total.to_string();
    vec![
        h(
            "Contexts active",
            c.active.to_string(),
            format!("{} opened, {} closed", c.opened, c.closed),
        ),
        h(
            "Conferences held",
            s.meetings.conferences_held.to_string(),
            format!(
                "and {}",
                crate::text::count(
                    s.meetings.interim_held,
                    "interim meeting",
                    "interim meetings"
                )
            ),
        ),
        h(
            "Reviews on time",
            r.on_time.to_string(),
            format!("of {} due; {} late, {} overdue", r.due, r.late, r.overdue),
        ),
        h(
            "Actions agreed",
            a.agreed.to_string(),
            format!("{} done, {} by the due date", a.done, a.done_on_time),
        ),
        h(
            "Actions overdue",
            a.overdue.to_string(),
            "at the end of the quarter".to_string(),
        ),
        h(
            "Children linked",
            children,
            "to the active contexts".to_string(),
        ),
        h(
            "Learning items",
            s.learning.len().to_string(),
            "addressed to this forum".to_string(),
        ),
    ]
}

// ---------------------------------------------------------------- axes

/// A round axis maximum at or above `max`, and its step: at most about five
/// steps of 1, 2, 5, 10, 20, 50... so every tick is a whole number.
pub fn nice_axis(max: u32) -> (u32, u32) {
    let max = max.max(1);
    let mut unit: u32 = 1;
    loop {
        for m in [1, 2, 5] {
            let step = unit.saturating_mul(m);
            if max.div_ceil(step) <= 5 {
                return (max.div_ceil(step).saturating_mul(step), step);
            }
        }
        match unit.checked_mul(10) {
            Some(u) => unit = u,
            None => return (max, max),
        }
    }
}

/// `value` of `max` as a length of `span`, rounded; zero when `max` is zero.
pub fn scale(value: u32, max: u32, span: u32) -> u32 {
    if max == 0 {
        return 0;
    }
    let v = u64::from(value.min(max)) * u64::from(span);
    let scaled = (v + u64::from(max) / 2) / u64::from(max);
    u32::try_from(scaled).unwrap_or(span)
}

fn ticks(axis_max: u32, step: u32, at: impl Fn(u32) -> u32) -> Vec<Tick> {
    let step = step.max(1);
    (0..=axis_max / step)
        .map(|i| {
            let value = i * step;
            Tick {
                value,
                at: at(value),
            }
        })
        .collect()
}

// ---------------------------------------------------------------- bar charts

/// A horizontal bar chart of `rows` (label, one value per series).
pub fn bar_chart(
    id: &str,
    title: &str,
    description: String,
    series: &[&str],
    rows: &[(String, Vec<u32>)],
) -> BarChart {
    let max = rows.iter().flat_map(|(_, v)| v.iter().copied()).max();
    let (axis_max, step) = nice_axis(max.unwrap_or(0));
    let span = CHART_WIDTH - BAR_LEFT - VALUE_ROOM;
    let n = u32::try_from(series.len().max(1)).unwrap_or(1);
    // Each bar tall enough for its value beside it, a gap between rows.
    let row_height = ROW_HEIGHT + SERIES_HEIGHT * (n - 1);
    let bar_h = ((row_height - 6) / n).max(4);
    let mut chart_rows = Vec::new();
    let mut y = TOP;
    for (label, values) in rows {
        let bars = values
            .iter()
            .zip(series)
            .enumerate()
            .map(|(i, (&value, name))| {
                let i = u32::try_from(i).unwrap_or(0);
                let w = scale(value, axis_max, span);
                let top = y + 3 + i * bar_h;
                Bar {
                    class: format!("s{i}"),
                    series: (*name).to_string(),
                    value,
                    x: BAR_LEFT,
                    y: top,
                    w,
                    h: bar_h,
                    text_x: BAR_LEFT + w + 4,
                    text_y: top + bar_h / 2,
                }
            })
            .collect();
        chart_rows.push(BarRow {
            label: label.clone(),
            label_y: y + row_height / 2,
            bars,
        });
        y += row_height;
    }
    BarChart {
        id: id.to_string(),
        title: title.to_string(),
        description,
        width: CHART_WIDTH,
        height: y + AXIS_ROOM,
        bar_left: BAR_LEFT,
        label_x: BAR_LEFT - 8,
        tick_y: y + 16,
        axis_y: y,
        series: series
            .iter()
            .enumerate()
            .map(|(i, name)| Series {
                name: (*name).to_string(),
                class: format!("s{i}"),
            })
            .collect(),
        empty: rows.is_empty(),
        rows: chart_rows,
        ticks: ticks(axis_max, step, |v| BAR_LEFT + scale(v, axis_max, span)),
    }
}

/// Harm types of the active contexts, most first; harms with none left out
/// (the table lists them all).
fn harm_chart(by_harm: &[Count]) -> BarChart {
    let mut harms: Vec<&Count> = by_harm.iter().filter(|c| c.count > 0).collect();
    harms.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    let rows: Vec<(String, Vec<u32>)> = harms
        .iter()
        .map(|c| (c.label.clone(), vec![c.count]))
        .collect();
    let description = if rows.is_empty() {
        "No active context has a harm type recorded.".to_string()
    } else {
        let parts: Vec<String> = harms
            .iter()
            .map(|c| format!("{} {}", c.label, c.count))
            .collect();
        format!("Active contexts by harm type: {}.", parts.join(", "))
    };
    bar_chart(
        "chart-harms",
        "Active contexts by harm type",
        description,
        &["Contexts"],
        &rows,
    )
}

/// Themes of this quarter beside the previous quarter's, most first.
fn theme_chart(s: &QuarterSummary) -> BarChart {
    let shown: Vec<&ThemeCount> = s.themes.iter().take(MAX_THEMES).collect();
    let rows: Vec<(String, Vec<u32>)> = shown
        .iter()
        .map(|t| (t.label.clone(), vec![t.count, t.previous]))
        .collect();
    let this = s.quarter.to_string();
    let before = s.previous_quarter.to_string();
    let description = if rows.is_empty() {
        format!("No learning item of {this} or {before} names a theme.")
    } else {
        let parts: Vec<String> = shown
            .iter()
            .map(|t| {
                format!(
                    "{} {} ({} in {before}, {})",
                    t.label,
                    t.count,
                    t.previous,
                    t.trend.as_str()
                )
            })
            .collect();
        format!("Themes of learning items in {this}: {}.", parts.join(", "))
    };
    let mut title = format!("Themes of learning items, {this} against {before}");
    if s.themes.len() > MAX_THEMES {
        title.push_str(&format!(" (the {MAX_THEMES} most frequent)"));
    }
    bar_chart(
        "chart-themes",
        &title,
        description,
        &[&this, &before],
        &rows,
    )
}

// ---------------------------------------------------------------- line chart

const LINE_LEFT: u32 = 40;
const LINE_RIGHT: u32 = 150;
const LINE_TOP: u32 = 12;
const LINE_HEIGHT: u32 = 200;

/// One measure of a quarter, for a line.
type PointValue = fn(&super::aggregate::QuarterPoint) -> u32;

fn number_word(n: usize) -> String {
    match n {
        2 => "two".to_string(),
        3 => "three".to_string(),
        4 => "four".to_string(),
        n => n.to_string(),
    }
}

/// Contexts active, conferences held and learning items over the recent
/// quarters: is the work growing or shrinking?
fn quarter_chart(s: &QuarterSummary) -> LineChart {
    let series: [(&str, PointValue); 3] = [
        ("Contexts active", |p| p.contexts_active),
        ("Conferences held", |p| p.conferences_held),
        ("Learning items", |p| p.learning_items),
    ];
    let max = s
        .recent
        .iter()
        .flat_map(|p| series.iter().map(move |(_, f)| f(p)))
        .max()
        .unwrap_or(0);
    let (axis_max, step) = nice_axis(max);
    let bottom = LINE_TOP + LINE_HEIGHT;
    let right = CHART_WIDTH - LINE_RIGHT;
    let n = u32::try_from(s.recent.len()).unwrap_or(1);
    let x_of = |i: u32| {
        if n <= 1 {
            (LINE_LEFT + right) / 2
        } else {
            LINE_LEFT + 20 + scale(i, n - 1, right - LINE_LEFT - 40)
        }
    };
    let y_of = |v: u32| bottom - scale(v, axis_max, LINE_HEIGHT);
    let columns = s
        .recent
        .iter()
        .enumerate()
        .map(|(i, p)| Column {
            label: p.quarter.to_string(),
            x: x_of(u32::try_from(i).unwrap_or(0)),
        })
        .collect();
    let lines: Vec<Line> = series
        .iter()
        .enumerate()
        .map(|(k, (name, f))| {
            let dots: Vec<Dot> = s
                .recent
                .iter()
                .enumerate()
                .map(|(i, p)| Dot {
                    x: x_of(u32::try_from(i).unwrap_or(0)),
                    y: y_of(f(p)),
                    value: f(p),
                })
                .collect();
            Line {
                name: (*name).to_string(),
                class: format!("s{k}"),
                legend_x: right + 16,
                legend_y: LINE_TOP + 14 + 22 * u32::try_from(k).unwrap_or(0),
                points: dots
                    .iter()
                    .map(|d| format!("{},{}", d.x, d.y))
                    .collect::<Vec<_>>()
                    .join(" "),
                dots,
            }
        })
        .collect();
    let description = s
        .recent
        .iter()
        .map(|p| {
            format!(
                "{}: {} contexts active, {} conferences held, {} learning items",
                p.quarter, p.contexts_active, p.conferences_held, p.learning_items
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    LineChart {
        id: "chart-quarters".to_string(),
        title: match s.recent.len() {
            1 => "This quarter".to_string(),
            n => format!("The last {} quarters", number_word(n)),
        },
        description: format!("{description}."),
        width: CHART_WIDTH,
        height: bottom + 30,
        left: LINE_LEFT,
        right,
        top: LINE_TOP,
        bottom,
        tick_x: LINE_LEFT - 8,
        column_y: bottom + 20,
        columns,
        ticks: ticks(axis_max, step, y_of),
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_are_round() {
        assert_eq!(nice_axis(0), (1, 1));
        assert_eq!(nice_axis(1), (1, 1));
        assert_eq!(nice_axis(3), (3, 1));
        assert_eq!(nice_axis(5), (5, 1));
        assert_eq!(nice_axis(6), (6, 2));
        assert_eq!(nice_axis(7), (8, 2));
        assert_eq!(nice_axis(11), (15, 5));
        assert_eq!(nice_axis(48), (50, 10));
        assert_eq!(nice_axis(u32::MAX).0, u32::MAX);
    }

    #[test]
    fn scaling_rounds_and_never_overflows() {
        assert_eq!(scale(0, 10, 300), 0);
        assert_eq!(scale(5, 10, 300), 150);
        assert_eq!(scale(1, 3, 100), 33);
        assert_eq!(scale(2, 3, 100), 67);
        assert_eq!(scale(10, 10, 300), 300);
        assert_eq!(scale(20, 10, 300), 300, "clamped to the axis");
        assert_eq!(scale(3, 0, 300), 0, "no division by zero");
        assert_eq!(scale(u32::MAX, u32::MAX, 300), 300);
    }

    #[test]
    fn bars_are_proportional_and_inside_the_chart() {
        let rows = vec![
            ("Criminal exploitation".to_string(), vec![4, 2]),
            ("County lines".to_string(), vec![2, 0]),
        ];
        let c = bar_chart("x", "T", String::new(), &["Q3", "Q2"], &rows);
        let span = CHART_WIDTH - BAR_LEFT - VALUE_ROOM;
        // Axis 0..4, step 1: the longest bar fills the span.
        assert_eq!(c.ticks.len(), 5);
        let first = &c.rows[0].bars;
        assert_eq!(first[0].w, span);
        assert_eq!(first[1].w, span / 2);
        assert_eq!(c.rows[1].bars[1].w, 0);
        for row in &c.rows {
            for b in &row.bars {
                assert!(b.x + b.w <= c.width && b.y + b.h <= c.axis_y, "{b:?}");
                assert!(b.text_x < c.width);
            }
        }
        // Two series share a row without overlapping.
        assert!(first[0].y + first[0].h <= first[1].y);
        assert_eq!(c.height, TOP + 2 * (ROW_HEIGHT + SERIES_HEIGHT) + AXIS_ROOM);
        assert!(first[0].h >= 12, "room for the value beside each bar");
    }

    #[test]
    fn an_empty_bar_chart_is_marked_empty() {
        let c = bar_chart("x", "T", "none".into(), &["a"], &[]);
        assert!(c.empty && c.rows.is_empty());
        assert_eq!(c.height, TOP + AXIS_ROOM);
    }
}
