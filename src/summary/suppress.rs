//! Small-number suppression of counts of children (rule `anonymity`).
//!
//! A table of counts with row totals, column totals and a grand total is
//! published with some entries replaced by `c`, so that no count of children
//! from 1 to `suppress_below - 1` can be read or worked out:
//!
//! 1. **Primary**: every entry, the totals included, from 1 to
//!    `suppress_below - 1` is suppressed. A true zero prints as `0`: zeros are
//!    never suppressed (an empty cell says nothing about a child).
//! 2. **Secondary**: the table with its margins is a set of sums: each row's
//!    cells add up to its row total, each column's to its column total, the row
//!    totals and the column totals each add up to the grand total. Where exactly
//!    one entry of such a line is suppressed it could be recovered by
//!    subtraction, so a second entry of that line is suppressed too: the smallest
//!    non-zero entry not yet suppressed (ties: the first by position, the total
//!    last, so a total goes only when no cell can). Repeat until no line has
//!    exactly one.
//! 3. **Combinations**: two lines that each hide two entries can still give a
//!    value away when combined (a suppressed entry that is a "bridge" between
//!    otherwise separate groups of suppressed entries). Each such entry gets a
//!    further suppression in its row (or else its column), and step 2 runs
//!    again, until none is left.
//!
//! 4. **Attack**: these steps are a heuristic, and a reader with a pencil
//!    can still solve what they leave ([`super::attack`]). While the attack
//!    finds something, one more non-zero entry is hidden and steps 2 and 3
//!    run again ([`protect`]); when no entry left to hide helps, the table is
//!    published coarser (by role, by age band, the total alone) or withheld.
//!
//! Every round hides at least one more non-zero entry of a finite table,
//! and the last level gives nothing, so the loop always ends.

use super::attack::{Audit, Bounds, Disclosure, Release, bounds};
use serde::{Serialize, Serializer};
use std::fmt;

/// One published count: the number, `c` where it is suppressed, or `x`
/// where the table was published coarser and this entry is not given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    Count(u32),
    Suppressed,
    Withheld,
}

impl Cell {
    pub fn is_suppressed(self) -> bool {
        self == Cell::Suppressed
    }

    /// The number, when one is printed.
    pub fn count(self) -> Option<u32> {
        match self {
            Cell::Count(n) => Some(n),
            _ => None,
        }
    }
}

impl fmt::Display for Cell {
    /// `12`, `0`, `c` or `x`: as printed in tables.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Count(n) => write!(f, "{n}"),
            Cell::Suppressed => f.write_str("c"),
            Cell::Withheld => f.write_str("x"),
        }
    }
}

impl Serialize for Cell {
    /// A number, or the string `"c"` or `"x"`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Count(n) => s.serialize_u32(*n),
            Cell::Suppressed => s.serialize_str("c"),
            Cell::Withheld => s.serialize_str("x"),
        }
    }
}

/// A table of raw counts, before suppression. Never published as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountTable {
    pub row_labels: Vec<String>,
    pub column_labels: Vec<String>,
    /// `cells[row][column]`; a short row reads as zeros beyond its end.
    pub cells: Vec<Vec<u32>>,
}

impl CountTable {
    /// A table of zeros with these labels.
    pub fn zeros(rows: &[&str], columns: &[&str]) -> Self {
        CountTable {
            row_labels: rows.iter().map(|s| s.to_string()).collect(),
            column_labels: columns.iter().map(|s| s.to_string()).collect(),
            cells: vec![vec![0; columns.len()]; rows.len()],
        }
    }

    /// The count at (row, column), zero outside the table.
    pub fn get(&self, row: usize, column: usize) -> u32 {
        self.cells
            .get(row)
            .and_then(|r| r.get(column))
            .copied()
            .unwrap_or(0)
    }

    /// Adds one at (row, column); ignored outside the table.
    pub fn add_one(&mut self, row: usize, column: usize) {
        if let Some(c) = self.cells.get_mut(row).and_then(|r| r.get_mut(column)) {
            *c = c.saturating_add(1);
        }
    }
}

/// How much of the table is published: everything, or coarser when the
/// full table could not be made safe (see [`protect`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Detail {
    /// Role by age band.
    Full,
    /// Age bands merged: a count per role and the total.
    ByRole,
    /// Roles merged: a count per age band and the total.
    ByAge,
    /// The total alone.
    TotalOnly,
    /// Nothing: not even the total could be published safely.
    Withheld,
}

impl Detail {
    /// From the most detailed to none, the order [`protect`] tries them in.
    const ALL: [Detail; 5] = [
        Detail::Full,
        Detail::ByRole,
        Detail::ByAge,
        Detail::TotalOnly,
        Detail::Withheld,
    ];

    /// Whether the entry at (row, column) of a `rows x cols` table with its
    /// margins is given at this level of detail.
    fn gives(self, (r, c): Pos, rows: usize, cols: usize) -> bool {
        let (row_total, col_total) = (c == cols, r == rows);
        match self {
            Detail::Full => true,
            Detail::ByRole => row_total,
            Detail::ByAge => col_total,
            Detail::TotalOnly => row_total && col_total,
            Detail::Withheld => false,
        }
    }

    /// How the data notes say it: "published by role only".
    pub fn describe(self) -> &'static str {
        match self {
            Detail::Full => "published in full",
            Detail::ByRole => "published by role only, with the age bands merged",
            Detail::ByAge => "published by age band only, with the roles merged",
            Detail::TotalOnly => "published as a total only",
            Detail::Withheld => "withheld",
        }
    }
}

/// A table as published: cells, row totals, column totals and grand total,
/// each a number, `c` or `x`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SuppressedTable {
    pub row_labels: Vec<String>,
    pub column_labels: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Cell>>,
    pub row_totals: Vec<Cell>,
    pub column_totals: Vec<Cell>,
    pub total: Cell,
    /// Counts from 1 to `suppress_below - 1` were suppressed.
    pub suppress_below: u32,
    /// Which counts a `c` stands for, as the summaries say it: "from 1 to
    /// 5", or "of exactly 1" when only ones are withheld.
    pub withheld: String,
    /// How much of the table is given.
    pub detail: Detail,
    /// Why the table is coarser than in full ("" when it is in full).
    pub coarsened: String,
    /// Whether a count of at least `suppress_below` is hidden too (secondary
    /// suppression, so that no `c` can be worked out).
    pub secondary: bool,
    /// The earlier releases this one was audited against, oldest first.
    pub audited_against: Vec<String>,
}

impl SuppressedTable {
    /// The published grid with its margins, as [`attack`](super::attack)
    /// reads it: the row totals last in each row, the column totals last.
    pub fn grid(&self) -> Vec<Vec<Cell>> {
        let mut out: Vec<Vec<Cell>> = self
            .cells
            .iter()
            .zip(&self.row_totals)
            .map(|(row, total)| row.iter().copied().chain([*total]).collect())
            .collect();
        out.push(
            self.column_totals
                .iter()
                .copied()
                .chain([self.total])
                .collect(),
        );
        out
    }

    /// Whether any entry is `c` or `x`.
    pub fn any_hidden(&self) -> bool {
        self.grid().iter().flatten().any(|c| c.count().is_none())
    }
}

/// One table published before this one, as its reader holds it.
#[derive(Clone, Debug)]
pub struct Earlier {
    /// What the data notes call it: `2026-Q2`.
    pub label: String,
    /// A table that fits what was printed, margins included: the true one
    /// when it is known, else one [`feasible`](super::attack::feasible)
    /// finds. The reader's ranges are the same whichever is taken.
    pub values: Vec<Vec<u32>>,
    /// What was printed, margins included.
    pub shown: Vec<Vec<Cell>>,
}

impl Earlier {
    /// A release made from `counts`, as `table` printed it.
    pub fn of(label: impl Into<String>, counts: &CountTable, table: &SuppressedTable) -> Self {
        Earlier {
            label: label.into(),
            values: counts.with_margins(),
            shown: table.grid(),
        }
    }

    /// A release known only by what it printed; `None` when nothing adds up
    /// to it.
    pub fn printed(label: impl Into<String>, shown: Vec<Vec<Cell>>) -> Option<Self> {
        let values = super::attack::feasible(&shown)?;
        Some(Earlier {
            label: label.into(),
            values,
            shown,
        })
    }

    /// What a reader of this release can know of each entry.
    fn bounds(&self) -> Vec<Vec<Bounds>> {
        bounds(&self.values, &self.shown)
    }
}

/// The attack on a table published after `earlier`.
fn audit(earlier: &[Earlier], suppress_below: u32) -> Audit {
    Audit::new(
        earlier.iter().map(Earlier::bounds).collect(),
        suppress_below,
    )
}

/// [`SuppressedTable::withheld`] for a threshold (at least 2: rule
/// `suppression-threshold`).
fn withheld(suppress_below: u32) -> String {
    match suppress_below {
        0..=1 => "of none".to_string(),
        2 => "of exactly 1".to_string(),
        n => format!("from 1 to {}", n - 1),
    }
}

/// The table with its margins as one grid: the last column holds the row
/// totals, the last row the column totals, the corner the grand total.
#[derive(Clone)]
struct Grid {
    values: Vec<Vec<u32>>,
    /// Not printed as a number: `c` or `x`.
    hidden: Vec<Vec<bool>>,
    /// Not given at this level of detail: `x`.
    withheld: Vec<Vec<bool>>,
}

/// An entry of the grid: (row, column).
type Pos = (usize, usize);

impl CountTable {
    /// The counts with their margins, as one grid (see [`Grid`]).
    pub fn with_margins(&self) -> Vec<Vec<u32>> {
        let (rows, cols) = (self.row_labels.len(), self.column_labels.len());
        let mut values = vec![vec![0u32; cols + 1]; rows + 1];
        for (r, line) in values.iter_mut().enumerate().take(rows) {
            for (c, v) in line.iter_mut().enumerate().take(cols) {
                *v = self.get(r, c);
            }
        }
        for r in 0..rows {
            let sum = (0..cols).fold(0u32, |a, c| a.saturating_add(self.get(r, c)));
            set(&mut values, (r, cols), sum);
        }
        for c in 0..=cols {
            let sum = (0..rows).fold(0u32, |a, r| a.saturating_add(at(&values, (r, c))));
            set(&mut values, (rows, c), sum);
        }
        values
    }
}

impl Grid {
    fn new(table: &CountTable) -> Self {
        let values = table.with_margins();
        let hidden: Vec<Vec<bool>> = values.iter().map(|l| vec![false; l.len()]).collect();
        Grid {
            withheld: hidden.clone(),
            values,
            hidden,
        }
    }

    /// A grid at `detail` with the primary suppression done.
    fn at_detail(table: &CountTable, detail: Detail, suppress_below: u32) -> Self {
        let mut grid = Grid::new(table);
        let (rows, cols) = (table.row_labels.len(), table.column_labels.len());
        for r in 0..=rows {
            for c in 0..=cols {
                let v = grid.value((r, c));
                if !detail.gives((r, c), rows, cols) {
                    grid.hide((r, c));
                    if let Some(w) = grid.withheld.get_mut(r).and_then(|l| l.get_mut(c)) {
                        *w = true;
                    }
                } else if v > 0 && v < suppress_below {
                    grid.hide((r, c));
                }
            }
        }
        grid.settle();
        grid
    }

    /// Steps 2 and 3 of the module docs.
    fn settle(&mut self) {
        loop {
            while self.secondary_pass() {}
            match self.first_bridge() {
                Some(p) if self.break_bridge(p) => continue,
                // A bridge with nothing beside it left to hide: the audit
                // that follows decides what more to do.
                _ => break,
            }
        }
    }

    fn shown(&self) -> Vec<Vec<Cell>> {
        (0..self.rows())
            .map(|r| (0..self.cols()).map(|c| self.cell((r, c))).collect())
            .collect()
    }

    fn visible_nonzero(&self) -> impl Iterator<Item = Pos> + '_ {
        (0..self.rows())
            .flat_map(move |r| (0..self.cols()).map(move |c| (r, c)))
            .filter(|&p| !self.is_hidden(p) && self.value(p) > 0)
    }

    fn rows(&self) -> usize {
        self.values.len()
    }

    fn cols(&self) -> usize {
        self.values.first().map_or(0, Vec::len)
    }

    fn value(&self, p: Pos) -> u32 {
        at(&self.values, p)
    }

    fn is_hidden(&self, p: Pos) -> bool {
        at_flag(&self.hidden, p)
    }

    fn hide(&mut self, p: Pos) {
        if let Some(h) = self.hidden.get_mut(p.0).and_then(|r| r.get_mut(p.1)) {
            *h = true;
        }
    }

    /// Every line whose entries add up: rows then columns, each with the
    /// entries in order and its total last.
    fn lines(&self) -> Vec<Vec<Pos>> {
        let (rows, cols) = (self.rows(), self.cols());
        let by_row = (0..rows).map(|r| (0..cols).map(|c| (r, c)).collect());
        let by_col = (0..cols).map(|c| (0..rows).map(|r| (r, c)).collect());
        by_row.chain(by_col).collect()
    }

    /// The smallest non-zero entry of `line` not yet hidden; ties go to the
    /// first, and the total, being last and never smaller than a cell, only
    /// when no cell is left.
    fn smallest_visible(&self, line: &[Pos]) -> Option<Pos> {
        line.iter()
            .copied()
            .filter(|&p| !self.is_hidden(p) && self.value(p) > 0)
            .min_by_key(|&p| self.value(p))
    }

    /// Step 2: one pass over the lines; whether anything changed.
    fn secondary_pass(&mut self) -> bool {
        let mut changed = false;
        for line in self.lines() {
            let hidden = line.iter().filter(|&&p| self.is_hidden(p)).count();
            if hidden == 1
                && let Some(p) = self.smallest_visible(&line)
            {
                self.hide(p);
                changed = true;
            }
        }
        changed
    }

    /// Step 3: the first hidden entry that the sums would still give away.
    fn first_bridge(&self) -> Option<Pos> {
        let (rows, cols) = (self.rows(), self.cols());
        (0..rows)
            .flat_map(|r| (0..cols).map(move |c| (r, c)))
            .find(|&p| self.is_hidden(p) && self.is_bridge(p))
    }

    /// Whether hidden entry `p` is on no cycle of hidden entries. Rows and
    /// columns are the nodes of a graph whose edges are the hidden entries;
    /// an edge on no cycle is fixed by the sums, one on a cycle can move.
    fn is_bridge(&self, p: Pos) -> bool {
        let (rows, cols) = (self.rows(), self.cols());
        // Nodes 0..rows are rows, rows..rows+cols are columns.
        let target = rows + p.1;
        let mut seen = vec![false; rows + cols];
        let mut stack = vec![p.0];
        while let Some(node) = stack.pop() {
            if node == target {
                return false;
            }
            match seen.get_mut(node) {
                Some(visited) if !*visited => *visited = true,
                _ => continue,
            }
            let edges: Vec<Pos> = if node < rows {
                (0..cols).map(|c| (node, c)).collect()
            } else {
                (0..rows).map(|r| (r, node - rows)).collect()
            };
            for e in edges {
                if e == p || !self.is_hidden(e) {
                    continue;
                }
                let other = if node < rows { rows + e.1 } else { e.0 };
                if seen.get(other) == Some(&false) {
                    stack.push(other);
                }
            }
        }
        true
    }

    /// Hides one more entry beside bridge `p`: in its row, else its column.
    fn break_bridge(&mut self, p: Pos) -> bool {
        let row: Vec<Pos> = (0..self.cols()).map(|c| (p.0, c)).collect();
        let col: Vec<Pos> = (0..self.rows()).map(|r| (r, p.1)).collect();
        match self
            .smallest_visible(&row)
            .or_else(|| self.smallest_visible(&col))
        {
            Some(q) => {
                self.hide(q);
                true
            }
            None => false,
        }
    }

    fn cell(&self, p: Pos) -> Cell {
        if at_flag(&self.withheld, p) {
            Cell::Withheld
        } else if self.is_hidden(p) {
            Cell::Suppressed
        } else {
            Cell::Count(self.value(p))
        }
    }
}

fn at_flag(flags: &[Vec<bool>], p: Pos) -> bool {
    flags
        .get(p.0)
        .and_then(|r| r.get(p.1))
        .copied()
        .unwrap_or(false)
}

fn at(values: &[Vec<u32>], p: Pos) -> u32 {
    values
        .get(p.0)
        .and_then(|r| r.get(p.1))
        .copied()
        .unwrap_or(0)
}

fn set(values: &mut [Vec<u32>], p: Pos, v: u32) {
    if let Some(x) = values.get_mut(p.0).and_then(|r| r.get_mut(p.1)) {
        *x = v;
    }
}

/// Suppresses `table` for publication with nothing published before it: see
/// [`protect`].
pub fn suppress(table: &CountTable, suppress_below: u32) -> SuppressedTable {
    protect(table, suppress_below, &[])
}

/// Suppresses `table` for publication so that a reader holding it and every
/// `earlier` release of the same table can work out no hidden count, no
/// change of a few children, and no role or age band shared by everyone in
/// a table of fewer than `suppress_below` children ([`attack`]).
///
/// The steps of the module docs come first; then, while the attack finds
/// something, one more entry is hidden (beside a count that can be worked
/// out, the one whose hiding frees it, smallest first; or the changed entry
/// itself). When nothing left to hide helps, the table is tried coarser, down
/// to withholding it: it is never published unsafe.
pub fn protect(table: &CountTable, suppress_below: u32, earlier: &[Earlier]) -> SuppressedTable {
    let values = table.with_margins();
    let attack = audit(earlier, suppress_below);
    let mut coarsened = String::new();
    for detail in Detail::ALL {
        let mut grid = Grid::at_detail(table, detail, suppress_below);
        loop {
            let shown = grid.shown();
            let now = Release {
                values: &values,
                shown: &shown,
            };
            let found = attack.disclosures(now);
            let Some(first) = found.first() else {
                return publish(table, &grid, suppress_below, detail, coarsened, earlier);
            };
            match remedy(&grid, &values, first) {
                Some(better) => grid = better,
                None => {
                    if coarsened.is_empty() {
                        coarsened = why(first, earlier, suppress_below);
                    }
                    break;
                }
            }
        }
    }
    // Withheld gives nothing, so the attack finds nothing: never reached.
    let grid = Grid::at_detail(table, Detail::Withheld, suppress_below);
    publish(
        table,
        &grid,
        suppress_below,
        Detail::Withheld,
        coarsened,
        earlier,
    )
}

/// The grid with one more entry hidden that answers `found`, or `None` when
/// hiding cannot.
fn remedy(grid: &Grid, values: &[Vec<u32>], found: &Disclosure) -> Option<Grid> {
    let hiding = |p: Pos| {
        let mut g = grid.clone();
        g.hide(p);
        g.settle();
        g
    };
    match *found {
        Disclosure::Exact { at, .. } => {
            let mut beside: Vec<Pos> = grid
                .visible_nonzero()
                .filter(|p| p.0 == at.0 || p.1 == at.1)
                .collect();
            if beside.is_empty() {
                beside = grid.visible_nonzero().collect();
            }
            beside.sort_by_key(|&p| (grid.value(p), p));
            let frees = |g: &Grid| {
                let shown = g.shown();
                bounds(values, &shown)
                    .get(at.0)
                    .and_then(|l| l.get(at.1))
                    .is_none_or(|b| b.exact().is_none())
            };
            // Tried in order, stopping at the first that frees it.
            let mut tried = beside.iter().map(|&p| hiding(p));
            let first = tried.next()?;
            if frees(&first) {
                return Some(first);
            }
            tried.find(frees).or(Some(first))
        }
        Disclosure::Flow { at, .. } if !grid.is_hidden(at) && grid.value(at) > 0 => {
            Some(hiding(at))
        }
        Disclosure::Flow { .. } | Disclosure::OneGroup => None,
    }
}

/// The data notes' reason for publishing coarser than in full.
fn why(found: &Disclosure, earlier: &[Earlier], suppress_below: u32) -> String {
    match found {
        Disclosure::Exact { .. } => {
            "in full, a hidden count could still be worked out from the totals".to_string()
        }
        Disclosure::Flow { earlier: i, .. } => format!(
            "in full, comparing it with {} would show a few children joining or leaving by role or age band",
            earlier
                .get(*i)
                .map_or("an earlier summary", |e| e.label.as_str())
        ),
        Disclosure::OneGroup => format!(
            "in full, it would show that every one of fewer than {suppress_below} children shares one role or one age band"
        ),
    }
}

fn publish(
    table: &CountTable,
    grid: &Grid,
    suppress_below: u32,
    detail: Detail,
    coarsened: String,
    earlier: &[Earlier],
) -> SuppressedTable {
    let (rows, cols) = (table.row_labels.len(), table.column_labels.len());
    let secondary = grid
        .shown()
        .iter()
        .flatten()
        .zip(grid.values.iter().flatten())
        .any(|(c, &v)| c.is_suppressed() && v >= suppress_below);
    SuppressedTable {
        row_labels: table.row_labels.clone(),
        column_labels: table.column_labels.clone(),
        cells: (0..rows)
            .map(|r| (0..cols).map(|c| grid.cell((r, c))).collect())
            .collect(),
        row_totals: (0..rows).map(|r| grid.cell((r, cols))).collect(),
        column_totals: (0..cols).map(|c| grid.cell((rows, c))).collect(),
        total: grid.cell((rows, cols)),
        suppress_below,
        withheld: withheld(suppress_below),
        detail,
        coarsened: if detail == Detail::Full {
            String::new()
        } else {
            coarsened
        },
        secondary,
        audited_against: earlier.iter().map(|e| e.label.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Cell::{Count as N, Suppressed as C};

    fn table(cells: &[&[u32]]) -> CountTable {
        let rows: Vec<String> = (0..cells.len()).map(|r| format!("r{r}")).collect();
        let cols = cells.first().map_or(0, |r| r.len());
        CountTable {
            row_labels: rows,
            column_labels: (0..cols).map(|c| format!("c{c}")).collect(),
            cells: cells.iter().map(|r| r.to_vec()).collect(),
        }
    }

    /// The published grid, margins included, as text: one line per row.
    fn shown(t: &SuppressedTable) -> Vec<String> {
        let mut out: Vec<String> = t
            .cells
            .iter()
            .zip(&t.row_totals)
            .map(|(row, total)| {
                let mut s: Vec<String> = row.iter().map(Cell::to_string).collect();
                s.push(format!("| {total}"));
                s.join(" ")
            })
            .collect();
        let mut last: Vec<String> = t.column_totals.iter().map(Cell::to_string).collect();
        last.push(format!("| {}", t.total));
        out.push(last.join(" "));
        out
    }

    /// Whether any hidden entry could be worked out: a line with exactly one.
    fn has_lonely_suppression(t: &SuppressedTable) -> bool {
        let mut lines: Vec<Vec<Cell>> = t
            .cells
            .iter()
            .zip(&t.row_totals)
            .map(|(r, tot)| r.iter().copied().chain([*tot]).collect())
            .collect();
        lines.push(t.column_totals.iter().copied().chain([t.total]).collect());
        let cols = t.column_totals.len() + 1;
        let rows: Vec<Vec<Cell>> = lines.clone();
        for c in 0..cols {
            lines.push(rows.iter().filter_map(|r| r.get(c).copied()).collect());
        }
        lines
            .iter()
            .any(|l| l.iter().filter(|c| c.is_suppressed()).count() == 1)
    }

    #[test]
    fn nothing_small_nothing_suppressed() {
        let t = suppress(&table(&[&[10, 0], &[7, 20]]), 6);
        assert_eq!(shown(&t), ["10 0 | 10", "7 20 | 27", "17 20 | 37"]);
    }

    #[test]
    fn all_zeros_print_as_zeros() {
        let t = suppress(&table(&[&[0, 0, 0], &[0, 0, 0]]), 6);
        assert_eq!(shown(&t), ["0 0 0 | 0", "0 0 0 | 0", "0 0 0 | 0"]);
        assert_eq!(t.total, N(0));
    }

    #[test]
    fn primary_only_when_every_line_already_hides_two() {
        // 3 and 2 are small; their row and column each hide two already.
        //  3  2 | 5(c)      the row total 5 is small too
        //  2  3 | 5(c)
        //  5  5 | 10        column totals 5 are small: hidden
        let t = suppress(&table(&[&[3, 2], &[2, 3]]), 6);
        assert_eq!(shown(&t), ["c c | c", "c c | c", "c c | 10"]);
        assert!(!has_lonely_suppression(&t));
    }

    #[test]
    fn secondary_in_a_row() {
        // Row 0 holds one small count (2): the smallest other non-zero cell of
        // the row (7, not 9 nor the total) goes too. Columns 0 and 2 then hold
        // one hidden cell each, so each takes its partner from row 1.
        //   2  9  7 | 18
        //  10 10  9 | 29
        //  12 19 16 | 47
        let t = suppress(&table(&[&[2, 9, 7], &[10, 10, 9]]), 6);
        assert_eq!(t.cells[0], vec![C, N(9), C]);
        assert_eq!(t.cells[1], vec![C, N(10), C]);
        assert_eq!(t.row_totals, vec![N(18), N(29)]);
        assert_eq!(t.column_totals, vec![N(12), N(19), N(16)]);
        assert_eq!(t.total, N(47));
        assert!(!has_lonely_suppression(&t));
    }

    #[test]
    fn secondary_in_a_column() {
        // Row 0 already hides two (3 and 4); each of their columns hides one,
        // so each takes its partner from row 1, which then hides two as well.
        //    3  4 | 7
        //   10 20 | 30
        //   13 24 | 37
        let t = suppress(&table(&[&[3, 4], &[10, 20]]), 6);
        assert_eq!(shown(&t), ["c c | 7", "c c | 30", "13 24 | 37"]);
        assert!(!has_lonely_suppression(&t));
    }

    #[test]
    fn secondary_in_a_row_then_a_column() {
        // 4 is alone in row 0: the row hides 8 (smaller than the total 12);
        // column 0 then holds 8 alone and hides 11, column 1 hides 20.
        //    8  4 | 12
        //   11 20 | 31
        //   19 24 | 43
        let t = suppress(&table(&[&[8, 4], &[11, 20]]), 6);
        assert_eq!(shown(&t), ["c c | 12", "c c | 31", "19 24 | 43"]);
        assert!(!has_lonely_suppression(&t));
    }

    #[test]
    fn a_lone_small_count_in_a_column_takes_the_column_partner() {
        // Only column 0 is affected: 3 is alone in column 0 and in row 1.
        // Row 1: smallest other is 6 -> hidden. Column 0: smallest other 7.
        // Column 1 (6 hidden) then hides 9; row 0 has 7 and 9: balanced.
        //    7  9 | 16
        //    3  6 | 9
        //   10 15 | 25
        let t = suppress(&table(&[&[7, 9], &[3, 6]]), 6);
        assert_eq!(shown(&t), ["c c | 16", "c c | 9", "10 15 | 25"]);
    }

    #[test]
    fn zeros_stay_and_small_totals_go() {
        // Row 0: 4 with only zeros beside it; its total (4) is small too.
        // Column 0 then hides 12 beside the 4, the row-total column hides 20
        // beside the 4; row 1 hides 12 and 20, so 8 and the zeros stay.
        //   4  0 0 | 4
        //  12  0 8 | 20
        //  16  0 8 | 24
        let t = suppress(&table(&[&[4, 0, 0], &[12, 0, 8]]), 6);
        assert_eq!(t.cells[0], vec![C, N(0), N(0)]);
        assert_eq!(t.cells[1][1], N(0), "a true zero is never suppressed");
        assert_eq!(t.row_totals[0], C);
        assert!(!has_lonely_suppression(&t));
        // The published numbers never include a hidden value in a line where
        // it is the only unknown.
        let visible_col2: Vec<Cell> = vec![t.cells[0][2], t.cells[1][2], t.column_totals[2]];
        let hidden = visible_col2.iter().filter(|c| c.is_suppressed()).count();
        assert_ne!(hidden, 1);
    }

    #[test]
    fn cascade_through_rows_and_columns() {
        //   1  20 30 | 51
        //  40  50  7 | 97
        //  60  70 80 | 210
        // 101 140 117| 358
        // Primary: 1 (r0) and... 7 is >= 6: only 1. Row 0 -> hide 20.
        // Column 0 -> hide 40. Column 1 (20) -> hide 50. Row 1 has 40, 50: ok.
        // Every line now has 0 or 2: rows r0 {1,20}, r1 {40,50};
        // columns c0 {1,40}, c1 {20,50}: a rectangle, no bridge.
        let t = suppress(&table(&[&[1, 20, 30], &[40, 50, 7], &[60, 70, 80]]), 6);
        assert_eq!(
            shown(&t),
            [
                "c c 30 | 51",
                "c c 7 | 97",
                "60 70 80 | 210",
                "101 140 117 | 358"
            ]
        );
        assert!(!has_lonely_suppression(&t));
    }

    #[test]
    fn the_threshold_comes_from_settings() {
        let cells: &[&[u32]] = &[&[6, 12], &[15, 30]];
        // Default 6: six is safe.
        assert_eq!(
            shown(&suppress(&table(cells), 6)),
            ["6 12 | 18", "15 30 | 45", "21 42 | 63"]
        );
        // A stricter partnership: suppress_below 10 hides 6, then its partners.
        let strict = suppress(&table(cells), 10);
        assert_eq!(strict.suppress_below, 10);
        assert_eq!(shown(&strict), ["c c | 18", "c c | 45", "21 42 | 63"]);
        // 0 and 1 switch suppression off.
        let small: &[&[u32]] = &[&[1, 2], &[0, 3]];
        assert_eq!(
            shown(&suppress(&table(small), 1)),
            ["1 2 | 3", "0 3 | 3", "1 5 | 6"]
        );
        assert_eq!(shown(&suppress(&table(small), 0))[0], "1 2 | 3");
    }

    #[test]
    fn a_small_total_is_suppressed_and_balanced() {
        // Row totals 3 and 30: 3 is small (the row's cells 1 and 2 too).
        // The column of row totals then holds 3 alone -> 30 goes with it.
        let t = suppress(&table(&[&[1, 2], &[10, 20]]), 6);
        assert_eq!(t.row_totals, vec![C, C]);
        assert!(!has_lonely_suppression(&t));
        assert!(t.cells[0].iter().all(|c| c.is_suppressed()));
    }

    #[test]
    fn combined_lines_cannot_give_a_value_away() {
        // Two separate rectangles of suppressed cells joined by one shared
        // line would leave a bridge; check that the result has no bridge by
        // trying every table of a small family and testing the graph.
        for a in 0..8u32 {
            for b in [0u32, 3, 9] {
                let t = table(&[&[a, 9, 12, b], &[2, 14, 0, 10], &[11, 1, 8, 30]]);
                let s = suppress(&t, 6);
                assert!(!has_lonely_suppression(&s), "{a} {b}: {:?}", shown(&s));
                let mut g = Grid::new(&t);
                let rows = s.row_totals.len();
                let cols = s.column_totals.len();
                for r in 0..=rows {
                    for c in 0..=cols {
                        let cell = if r == rows && c == cols {
                            s.total
                        } else if r == rows {
                            s.column_totals[c]
                        } else if c == cols {
                            s.row_totals[r]
                        } else {
                            s.cells[r][c]
                        };
                        if cell.is_suppressed() {
                            g.hide((r, c));
                        }
                    }
                }
                assert_eq!(g.first_bridge(), None, "{a} {b}: {:?}", shown(&s));
            }
        }
    }

    #[test]
    fn a_bridge_between_two_groups_is_broken() {
        // Hidden: a rectangle on rows 0-1 x cols 0-1, another on rows 2-3 x
        // cols 2-3, and one entry (0, 2) joining them: that joining entry is a
        // bridge and could be solved from the sums.
        let t = table(&[
            &[10, 10, 10, 0],
            &[10, 10, 0, 10],
            &[0, 10, 10, 10],
            &[10, 0, 10, 10],
        ]);
        let mut g = Grid::new(&t);
        for p in [
            (0, 0),
            (0, 1),
            (1, 0),
            (1, 1),
            (2, 2),
            (2, 3),
            (3, 2),
            (3, 3),
        ] {
            g.hide(p);
        }
        assert_eq!(g.first_bridge(), None);
        g.hide((0, 2));
        assert_eq!(g.first_bridge(), Some((0, 2)));
        assert!(g.break_bridge((0, 2)));
    }

    #[test]
    fn two_lines_combined_would_give_a_count_away() {
        // Every line hides 0 or at least 2 after step 2, yet the 2 at (0, 0)
        // could be worked out: columns 1 and 2 say their row-0 cells equal
        // their column totals, the totals row says those add to 10 - 6 = 4,
        // and row 0 totals 6, so (0, 0) = 2. Step 3 hides row 0's total.
        //   2 2 2 0 | 6
        //   2 0 0 0 | 2
        //   2 0 0 0 | 2
        //   6 2 2 0 | 10
        let t = suppress(&table(&[&[2, 2, 2, 0], &[2, 0, 0, 0], &[2, 0, 0, 0]]), 6);
        assert_eq!(
            shown(&t),
            ["c c c 0 | c", "c 0 0 0 | c", "c 0 0 0 | c", "6 c c 0 | 10"]
        );
    }

    #[test]
    fn serialises_counts_as_numbers_and_c() {
        let t = suppress(&table(&[&[3, 0], &[9, 9]]), 6);
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["cells"][0], serde_json::json!(["c", 0]));
        assert_eq!(json["row_totals"][0], serde_json::json!("c"));
        assert_eq!(json["total"], serde_json::json!(21));
    }

    /// What the attack finds in a table as published, alone and against
    /// `earlier`.
    fn found(t: &CountTable, s: &SuppressedTable, earlier: &[Earlier]) -> Vec<Disclosure> {
        let values = t.with_margins();
        let shown = s.grid();
        audit(earlier, s.suppress_below).disclosures(Release {
            values: &values,
            shown: &shown,
        })
    }

    /// The steps of the module docs alone, without the attack: what the
    /// summaries published before the attack was added.
    fn heuristic_only(t: &CountTable, suppress_below: u32) -> SuppressedTable {
        let grid = Grid::at_detail(t, Detail::Full, suppress_below);
        publish(t, &grid, suppress_below, Detail::Full, String::new(), &[])
    }

    fn roles(cells: &[&[u32]]) -> CountTable {
        CountTable {
            row_labels: ["Affected", "Alleged harmer", "Both"]
                .map(String::from)
                .to_vec(),
            column_labels: ["10-13", "14-15", "16-17", "Other"]
                .map(String::from)
                .to_vec(),
            cells: cells.iter().map(|r| r.to_vec()).collect(),
        }
    }

    #[test]
    fn case_2_the_bridge_the_old_loop_gave_up_on() {
        let t = roles(&[&[6, 3, 2, 0], &[3, 0, 1, 0], &[1, 0, 0, 0]]);
        let before = heuristic_only(&t, 6);
        assert!(!found(&t, &before, &[]).is_empty(), "{:?}", shown(&before));
        let after = suppress(&t, 6);
        assert_eq!(found(&t, &after, &[]), [], "{:?}", shown(&after));
        assert_eq!(after.detail, Detail::Full);
        println!(
            "case 2 before: {:?}\ncase 2 after: {:?}",
            shown(&before),
            shown(&after)
        );
    }

    #[test]
    fn case_3_a_new_child_between_quarters() {
        let q3 = roles(&[&[6, 6, 6, 0], &[0; 4], &[0; 4]]);
        let q4 = roles(&[&[6, 7, 6, 0], &[0; 4], &[0; 4]]);
        let q3_table = suppress(&q3, 6);
        let earlier = [Earlier::of("2026-Q3", &q3, &q3_table)];
        assert_eq!(shown(&q3_table)[0], "6 6 6 0 | 18");
        let before = heuristic_only(&q4, 6);
        let leaks = found(&q4, &before, &earlier);
        assert!(
            leaks.iter().any(|d| matches!(
                d,
                Disclosure::Flow {
                    at: (0, 1),
                    change: 1,
                    ..
                }
            )),
            "{leaks:?}"
        );
        let after = protect(&q4, 6, &earlier);
        assert_eq!(found(&q4, &after, &earlier), [], "{:?}", shown(&after));
        assert_eq!(after.audited_against, ["2026-Q3"]);
        assert!(after.secondary);
        println!(
            "case 3 before: {:?}\ncase 3 after: {:?}",
            shown(&before),
            shown(&after)
        );
    }

    #[test]
    fn case_5_one_child_is_published_as_a_total() {
        let t = roles(&[&[0; 4], &[1, 0, 0, 0], &[0; 4]]);
        let before = heuristic_only(&t, 6);
        assert_eq!(found(&t, &before, &[]), [Disclosure::OneGroup]);
        let after = suppress(&t, 6);
        assert_eq!(after.detail, Detail::TotalOnly);
        assert_eq!(shown(&after)[3], "x x x x | c");
        assert!(after.coarsened.contains("shares one role or one age band"));
        assert_eq!(found(&t, &after, &[]), []);
    }

    #[test]
    fn the_issue_totals_row_is_freed() {
        // Case 1: the sample's Q2 as the issue quotes its totals row.
        let t = roles(&[&[1, 3, 0, 0], &[0, 3, 0, 0], &[0, 0, 1, 0]]);
        let before = heuristic_only(&t, 6);
        assert_eq!(shown(&before)[3], "c 6 c 0 | 8");
        assert!(!found(&t, &before, &[]).is_empty());
        let after = suppress(&t, 6);
        assert_eq!(found(&t, &after, &[]), [], "{:?}", shown(&after));
        println!(
            "case 1 before: {:?}\ncase 1 after: {:?}",
            shown(&before),
            shown(&after)
        );
    }

    #[test]
    fn many_random_tables_leave_nothing_to_find() {
        // 300 tables of 0-9 children per cell, each against the one before.
        let mut rng = crate::test_rng::Rng::new(12345);
        let mut next = || rng.below(10) as u32;
        let mut previous: Option<Earlier> = None;
        for i in 0..300 {
            let cells: Vec<Vec<u32>> = (0..3)
                .map(|_| {
                    (0..4)
                        .map(|_| if next() < 5 { 0 } else { next() })
                        .collect()
                })
                .collect();
            let t = CountTable {
                cells,
                ..roles(&[])
            };
            let earlier: Vec<Earlier> = previous.iter().cloned().collect();
            let s = protect(&t, 6, &earlier);
            assert_eq!(found(&t, &s, &earlier), [], "table {i}: {:?}", shown(&s));
            previous = Some(Earlier::of(format!("t{i}"), &t, &s));
        }
    }

    #[test]
    fn odd_shapes_do_not_panic() {
        let empty = CountTable {
            row_labels: vec![],
            column_labels: vec![],
            cells: vec![],
        };
        assert_eq!(suppress(&empty, 6).total, Cell::Count(0));
        let ragged = CountTable {
            row_labels: vec!["a".into(), "b".into()],
            column_labels: vec!["x".into(), "y".into()],
            cells: vec![vec![1], vec![]],
        };
        // One child: published as a total only (see case 5).
        let s = suppress(&ragged, 6);
        assert_eq!(s.cells[1], vec![Cell::Withheld, Cell::Withheld]);
        assert_eq!(s.total, C);
        let huge = table(&[&[u32::MAX, u32::MAX], &[1, 0]]);
        let _ = suppress(&huge, 6);
    }
}
