//! When things fall due, read one way for the rules, the documents, the
//! dashboard, `status`, the calendar and the summaries: the marks an action
//! carries on a given day, and (in [`review`]) where an agreed review stands.
//! Below rules, rendering and summaries, which only show what it says.

pub mod review;

use crate::model::{Action, ActionStatus, Date};
use serde::Serialize;

/// How many days before its due date an open action counts as "due soon".
pub const DUE_SOON_DAYS: i64 = 14;

/// A status a reader sees at a glance: a symbol and a word, never colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Mark {
    /// `done`, `on-track`, `due-soon`, `overdue`, `dropped`: for styling.
    pub key: &'static str,
    pub symbol: &'static str,
    pub label: &'static str,
}

impl Mark {
    pub const DONE: Mark = Mark {
        key: "done",
        symbol: "✓",
        label: "Done",
    };
    pub const ON_TRACK: Mark = Mark {
        key: "on-track",
        symbol: "→",
        label: "On track",
    };
    pub const DUE_SOON: Mark = Mark {
        key: "due-soon",
        symbol: "◷",
        label: "Due within 14 days",
    };
    pub const OVERDUE: Mark = Mark {
        key: "overdue",
        symbol: "!",
        label: "Overdue",
    };
    pub const DROPPED: Mark = Mark {
        key: "dropped",
        symbol: "–",
        label: "Dropped",
    };

    /// The mark of an action on `today`.
    pub fn of(action: &Action, today: Date) -> Mark {
        match action.status.as_ref().map(|s| s.value) {
            Some(ActionStatus::Done) => Mark::DONE,
            Some(ActionStatus::Dropped) => Mark::DROPPED,
            _ => match action.due.as_ref().map(|d| (d.value - today).num_days()) {
                Some(days) if days < 0 => Mark::OVERDUE,
                Some(days) if days <= DUE_SOON_DAYS => Mark::DUE_SOON,
                _ => Mark::ON_TRACK,
            },
        }
    }
}
