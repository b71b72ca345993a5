//! The small chart of an outcome measure's readings, laid out here as
//! numbers and words: HTML draws it as inline SVG, typst with its own
//! shapes, and both print its words, so the chart is never the only place
//! a figure is given.

use crate::model::{Better, Date, MeasureLevel, Metric};
use serde::Serialize;

const W: f64 = 260.0;
const H: f64 = 64.0;
/// Room for the value labels left and right, and the dates below.
const LEFT: f64 = 8.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 10.0;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChartView {
    pub width: u32,
    pub height: u32,
    pub points: Vec<ChartPoint>,
    /// The baseline's height, for the dashed line across the chart.
    pub baseline_y: f64,
    /// "Context" or "Individuals", when the measure says.
    pub level: String,
    pub unit: String,
    /// "Lower is better".
    pub direction: String,
    /// "improving", "steady", "worsening"; empty with one reading.
    pub trend: String,
    /// "Baseline 9 on 1 Jun 2026; latest 4 on 31 Oct 2026: improving."
    pub summary: String,
    /// Every reading, for the table under the chart.
    pub readings: Vec<ReadingView>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChartPoint {
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReadingView {
    pub date: String,
    pub value: String,
    pub note: String,
}

/// A value as people write it: `4`, `4.5`, never `4.0`.
fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn rounded(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The chart of the readings taken by `today`; `None` without readings.
pub fn chart(m: &Metric, today: Date) -> Option<ChartView> {
    let readings: Vec<_> = m.readings_by(today).collect();
    let (first, last) = (readings.first()?, readings.last()?);
    let lo = readings
        .iter()
        .map(|r| r.value.value)
        .fold(f64::INFINITY, f64::min);
    let hi = readings
        .iter()
        .map(|r| r.value.value)
        .fold(f64::NEG_INFINITY, f64::max);
    let span_v = if hi > lo { hi - lo } else { 1.0 };
    let days = |d: Date| (d - first.date.value).num_days() as f64;
    let span_d = days(last.date.value).max(1.0);
    let x = |d: Date| {
        if readings.len() == 1 {
            W / 2.0
        } else {
            LEFT + (W - LEFT - RIGHT) * days(d) / span_d
        }
    };
    // Higher values higher up; a flat run sits in the middle.
    let y = |v: f64| {
        if hi > lo {
            TOP + (H - TOP - BOTTOM) * (hi - v) / span_v
        } else {
            H / 2.0
        }
    };
    let unit = m.unit.as_ref().map_or("", |u| u.value.as_str());
    let with_unit = |v: f64| {
        if unit.is_empty() {
            number(v)
        } else {
            format!("{} {unit}", number(v))
        }
    };
    let trend = m.trend_by(today).map_or("", |t| t.as_str()).to_string();
    let long = |d: Date| d.format("%-d %b %Y").to_string();
    let mut summary = format!(
        "Baseline {} on {}",
        with_unit(first.value.value),
        long(first.date.value)
    );
    if readings.len() > 1 {
        summary.push_str(&format!(
            "; latest {} on {}",
            with_unit(last.value.value),
            long(last.date.value)
        ));
    }
    if !trend.is_empty() {
        summary.push_str(&format!(": {trend}"));
    }
    summary.push('.');
    Some(ChartView {
        width: W as u32,
        height: H as u32,
        points: readings
            .iter()
            .map(|r| ChartPoint {
                x: rounded(x(r.date.value)),
                y: rounded(y(r.value.value)),
            })
            .collect(),
        baseline_y: rounded(y(first.value.value)),
        level: match m.level.as_ref().map(|l| l.value) {
            Some(MeasureLevel::Context) => "Context".to_string(),
            Some(MeasureLevel::Individual) => "Individuals".to_string(),
            None => String::new(),
        },
        unit: unit.to_string(),
        direction: match m.better.as_ref().map(|b| b.value) {
            Some(Better::Up) => "Higher is better".to_string(),
            Some(Better::Down) => "Lower is better".to_string(),
            None => String::new(),
        },
        trend,
        summary,
        readings: readings
            .iter()
            .map(|r| ReadingView {
                date: r.date.value.to_string(),
                value: number(r.value.value),
                note: r
                    .note
                    .as_ref()
                    .map_or_else(String::new, |n| n.value.clone()),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Reading;
    use crate::source::{FileId, Loc, Sp};

    fn sp<T>(v: T) -> Sp<T> {
        Sp::new(
            v,
            Loc {
                file: FileId(1),
                line: 1,
                column: 1,
                start: 0,
                end: 0,
            },
        )
    }

    fn metric(better: Better, values: &[(&str, f64)]) -> Metric {
        Metric {
            loc: sp(()).loc,
            level: Some(sp(MeasureLevel::Context)),
            unit: Some(sp("approaches a month".to_string())),
            better: Some(sp(better)),
            readings: values
                .iter()
                .map(|(d, v)| Reading {
                    date: sp(d.parse().unwrap()),
                    value: sp(*v),
                    note: None,
                })
                .collect(),
        }
    }

    #[test]
    fn fewer_approaches_is_improving_and_the_chart_says_so_in_words() {
        let m = metric(
            Better::Down,
            &[
                ("2026-06-01", 9.0),
                ("2026-08-01", 6.5),
                ("2026-10-01", 4.0),
            ],
        );
        let c = chart(&m, "2026-11-01".parse().unwrap()).unwrap();
        assert_eq!(c.trend, "improving");
        assert_eq!(
            c.summary,
            "Baseline 9 approaches a month on 1 Jun 2026; latest 4 approaches a month on 1 Oct 2026: improving."
        );
        // Oldest left, newest right; the highest value at the top.
        assert!(c.points[0].x < c.points[2].x);
        assert!(c.points[0].y < c.points[2].y);
        assert_eq!(c.baseline_y, c.points[0].y);
        assert_eq!(c.readings[1].value, "6.5");
    }

    #[test]
    fn readings_after_today_are_not_drawn_and_one_reading_has_no_trend() {
        let m = metric(Better::Up, &[("2026-06-01", 3.0), ("2026-12-01", 5.0)]);
        let c = chart(&m, "2026-07-01".parse().unwrap()).unwrap();
        assert_eq!(c.points.len(), 1);
        assert_eq!(c.trend, "");
        assert!(chart(&m, "2026-05-01".parse().unwrap()).is_none());
        let steady = metric(Better::Up, &[("2026-06-01", 3.0), ("2026-08-01", 3.0)]);
        assert_eq!(
            chart(&steady, "2026-09-01".parse().unwrap()).unwrap().trend,
            "steady"
        );
    }
}
