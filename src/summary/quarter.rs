//! Calendar quarters: the period of every anonymised summary (`2026-Q3`).

use crate::model::{Casebook, Date};
use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// A calendar quarter: Q1 is January to March, Q4 October to December.
///
/// Ordered by time. The fields are public for convenience; [`Quarter::new`],
/// [`Quarter::of`] and parsing only ever make quarters whose days exist in the
/// calendar, and the day functions clamp anything else rather than panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub q: u8,
}

/// Why a quarter could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseQuarterError(String);

impl fmt::Display for ParseQuarterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a quarter: write the year, `-Q` and 1 to 4, like 2026-Q3",
            self.0
        )
    }
}

impl std::error::Error for ParseQuarterError {}

impl Quarter {
    /// The quarter, if `q` is 1 to 4 and the year is within the calendar.
    pub fn new(year: i32, q: u8) -> Option<Self> {
        let quarter = Quarter { year, q };
        let valid = (1..=4).contains(&q)
            && NaiveDate::from_ymd_opt(year, 1, 1).is_some()
            && NaiveDate::from_ymd_opt(year, 12, 31).is_some();
        valid.then_some(quarter)
    }

    /// The quarter a date falls in.
    pub fn of(date: Date) -> Self {
        // month0 is 0..=11, so this is 1..=4 and fits a u8.
        let q = (date.month0() / 3 + 1) as u8;
        Quarter {
            year: date.year(),
            q,
        }
    }

    /// The first month of the quarter (1, 4, 7 or 10).
    fn first_month(self) -> u32 {
        u32::from(self.q.clamp(1, 4) - 1) * 3 + 1
    }

    /// The quarter's first day: 1 January, 1 April, 1 July or 1 October.
    pub fn first_day(self) -> Date {
        NaiveDate::from_ymd_opt(self.year, self.first_month(), 1).unwrap_or(if self.year < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
    }

    /// The quarter's last day: 31 March, 30 June, 30 September or 31 December.
    pub fn last_day(self) -> Date {
        let month = self.first_month() + 2;
        let day = if matches!(month, 3 | 12) { 31 } else { 30 };
        NaiveDate::from_ymd_opt(self.year, month, day).unwrap_or(if self.year < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
    }

    /// Whether `date` falls in this quarter.
    pub fn contains(self, date: Date) -> bool {
        Quarter::of(date) == self
    }

    /// The quarter before: 2026-Q1 comes after 2025-Q4. The calendar's first
    /// quarter is its own predecessor rather than a panic.
    pub fn previous(self) -> Self {
        let prev = if self.q <= 1 {
            Quarter::new(self.year.saturating_sub(1), 4)
        } else {
            Quarter::new(self.year, self.q - 1)
        };
        prev.unwrap_or(self)
    }

    /// The quarter after; the calendar's last quarter is its own successor.
    pub fn next(self) -> Self {
        let next = if self.q >= 4 {
            Quarter::new(self.year.saturating_add(1), 1)
        } else {
            Quarter::new(self.year, self.q + 1)
        };
        next.unwrap_or(self)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

impl FromStr for Quarter {
    type Err = ParseQuarterError;

    /// `2026-Q3` (also `2026-q3`); the year has four digits, as in the
    /// `anonymised/<YYYY>-Q<n>/` folder names.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseQuarterError(s.to_string());
        let (year, q) = s.trim().split_once(['-']).ok_or_else(err)?;
        let q = q.strip_prefix(['Q', 'q']).ok_or_else(err)?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        if q.len() != 1 {
            return Err(err());
        }
        let year: i32 = year.parse().map_err(|_| err())?;
        let q: u8 = q.parse().map_err(|_| err())?;
        Quarter::new(year, q).ok_or_else(err)
    }
}

impl Serialize for Quarter {
    /// As written in folder names: `"2026-Q3"`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Every quarter in which the casebook has a held meeting (any kind), oldest
/// first: the quarters that get an anonymised summary.
pub fn quarters_with_held_meetings(casebook: &Casebook) -> Vec<Quarter> {
    let set: BTreeSet<Quarter> = casebook
        .contexts
        .iter()
        .flat_map(|c| c.held_meetings())
        .map(|m| Quarter::of(m.date.value))
        .collect();
    set.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_displays() {
        let q: Quarter = "2026-Q3".parse().unwrap();
        assert_eq!(q, Quarter { year: 2026, q: 3 });
        assert_eq!(q.to_string(), "2026-Q3");
        assert_eq!("2026-q1".parse::<Quarter>().unwrap().q, 1);
        assert_eq!(
            serde_json::to_string(&q).unwrap(),
            "\"2026-Q3\"".to_string()
        );
    }

    #[test]
    fn refuses_what_is_not_a_quarter() {
        for bad in [
            "",
            "2026",
            "2026-Q5",
            "2026-Q0",
            "2026-3",
            "26-Q1",
            "2026-Q12",
            "Q3-2026",
            "2026Q3",
            "2026-Q",
            "+202-Q1",
            "2026-Q+",
            "２０２６-Q1",
        ] {
            assert!(bad.parse::<Quarter>().is_err(), "{bad:?} parsed");
        }
        let e = "2026-Q5".parse::<Quarter>().unwrap_err();
        assert!(e.to_string().contains("like 2026-Q3"));
    }

    #[test]
    fn first_and_last_days() {
        let days = |s: &str| {
            let q: Quarter = s.parse().unwrap();
            (q.first_day().to_string(), q.last_day().to_string())
        };
        assert_eq!(days("2026-Q1"), ("2026-01-01".into(), "2026-03-31".into()));
        assert_eq!(days("2026-Q2"), ("2026-04-01".into(), "2026-06-30".into()));
        assert_eq!(days("2026-Q3"), ("2026-07-01".into(), "2026-09-30".into()));
        assert_eq!(days("2026-Q4"), ("2026-10-01".into(), "2026-12-31".into()));
    }

    #[test]
    fn a_date_belongs_to_its_quarter() {
        assert_eq!(Quarter::of(d("2026-03-31")).to_string(), "2026-Q1");
        assert_eq!(Quarter::of(d("2026-04-01")).to_string(), "2026-Q2");
        assert_eq!(Quarter::of(d("2026-12-31")).to_string(), "2026-Q4");
        assert_eq!(Quarter::of(d("2027-01-01")).to_string(), "2027-Q1");
        let q3 = Quarter::of(d("2026-08-15"));
        assert!(q3.contains(d("2026-07-01")) && q3.contains(d("2026-09-30")));
        assert!(!q3.contains(d("2026-10-01")) && !q3.contains(d("2026-06-30")));
    }

    #[test]
    fn previous_and_next_cross_years() {
        let q1: Quarter = "2026-Q1".parse().unwrap();
        assert_eq!(q1.previous().to_string(), "2025-Q4");
        assert_eq!(q1.previous().next(), q1);
        assert_eq!("2026-Q3".parse::<Quarter>().unwrap().previous().q, 2);
        assert!(q1.previous() < q1 && q1 < q1.next());
    }

    #[test]
    fn out_of_range_quarters_do_not_panic() {
        let odd = Quarter {
            year: 300_000,
            q: 9,
        };
        let _ = (odd.first_day(), odd.last_day(), odd.previous(), odd.next());
        let first = Quarter::of(NaiveDate::MIN);
        assert_eq!(first.previous(), first);
        let last = Quarter::of(NaiveDate::MAX);
        assert_eq!(last.next(), last);
    }
}
