//! The attacker's arithmetic: what a reader can work out of a published
//! table of counts, knowing only what it prints.
//!
//! A published table is a grid with its margins: cells, a column of row
//! totals, a row of column totals and the grand total. The reader knows that
//! every row's cells add up to its total, every column's to its total, that
//! counts are whole numbers, that a `c` stands for at least 1 (zeros print as
//! `0`) and a withheld `x` for at least 0. Nothing else.
//!
//! Giving the margins a minus sign turns the grid into a circulation: every
//! line of the signed grid adds up to zero. Rows and columns are the nodes of
//! a bipartite graph, each unknown entry an edge, and any other table the
//! reader could believe is the true one plus a circulation along the unknown
//! edges that keeps every entry above its floor. So an unknown entry can grow
//! by as much flow as can come back to it around the other unknown edges, and
//! shrink likewise the other way: two small max-flow problems per entry.
//! The constraint matrix is totally unimodular, so the whole-number range is
//! exactly the real one, every whole number in it is possible, and nothing
//! is assumed about what the reader cannot do.

use super::suppress::Cell;

/// What a reader can know of one entry: from `lo` to `hi` (`None`: no upper
/// bound).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub lo: u64,
    pub hi: Option<u64>,
}

impl Bounds {
    /// The value, when the reader can work it out exactly.
    pub fn exact(self) -> Option<u64> {
        (self.hi == Some(self.lo)).then_some(self.lo)
    }

    /// Whether the entry may be more than zero.
    pub fn may_be_positive(self) -> bool {
        self.hi != Some(0)
    }
}

/// Flow capacity standing for "as much as you like": far above any count.
const UNBOUNDED: u64 = 1 << 40;

/// The range a reader can give every entry of a published grid.
///
/// `values` is any table consistent with what is shown (the true one, in
/// practice) and `shown` what is printed, both `(rows + 1) x (columns + 1)`
/// with the margins last. Ragged or short grids read missing entries as
/// shown zeros.
pub fn bounds(values: &[Vec<u32>], shown: &[Vec<Cell>]) -> Vec<Vec<Bounds>> {
    let rows = values.len();
    let cols = values.iter().map(Vec::len).max().unwrap_or(0);
    let network = Network::new(values, shown, rows, cols);
    (0..rows)
        .map(|r| {
            (0..cols)
                .map(|c| network.bounds_of((r, c), value(values, (r, c))))
                .collect()
        })
        .collect()
}

/// One table as a reader holds it: what it printed, and a table consistent
/// with that (the true one) to measure from.
#[derive(Clone, Copy, Debug)]
pub struct Release<'a> {
    pub values: &'a [Vec<u32>],
    pub shown: &'a [Vec<Cell>],
}

/// Something a reader could learn about children from a release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Disclosure {
    /// A `c` or `x` at this entry of the grid can be worked out exactly.
    Exact { at: (usize, usize), value: u64 },
    /// The change at this entry since the `earlier`-th earlier release can be
    /// worked out exactly, and is a few children (1 to threshold - 1, either
    /// way): who joined or left would be known by role or age band.
    Flow {
        at: (usize, usize),
        earlier: usize,
        change: i64,
    },
    /// Possibly fewer children than the threshold, and every one who could be counted
    /// sits in one row (role) or one column (age band).
    OneGroup,
}

/// What a reader already holds when a table is published: the range of
/// every entry of every earlier release of the same table, worked out once.
pub struct Audit {
    earlier: Vec<Vec<Vec<Bounds>>>,
    threshold: u32,
}

impl Audit {
    /// `earlier` is each earlier release's [`bounds`], oldest first.
    pub fn new(earlier: Vec<Vec<Vec<Bounds>>>, threshold: u32) -> Self {
        Audit { earlier, threshold }
    }

    /// Every disclosure of `now`, read alone and against each earlier
    /// release. The grand total's own change is not one: it says how many
    /// more children there are, nothing of who.
    pub fn disclosures(&self, now: Release) -> Vec<Disclosure> {
        disclosures(now, &self.earlier, self.threshold)
    }
}

fn disclosures(now: Release, earlier: &[Vec<Vec<Bounds>>], threshold: u32) -> Vec<Disclosure> {
    let known = bounds(now.values, now.shown);
    let mut found = Vec::new();
    for (r, line) in known.iter().enumerate() {
        for (c, b) in line.iter().enumerate() {
            let printed = shown_at(now.shown, (r, c));
            if let (false, Some(v)) = (matches!(printed, Cell::Count(_)), b.exact())
                && (printed == Cell::Suppressed || v > 0)
            {
                found.push(Disclosure::Exact {
                    at: (r, c),
                    value: v,
                });
            }
        }
    }
    let rows = known.len();
    let cols = known.first().map_or(0, Vec::len);
    for (i, then) in earlier.iter().enumerate() {
        for (r, line) in known.iter().enumerate() {
            for (c, now) in line.iter().enumerate() {
                if (r + 1, c + 1) == (rows, cols) {
                    continue;
                }
                let (Some(a), Some(b)) = (
                    now.exact(),
                    then.get(r).and_then(|l| l.get(c)).and_then(|b| b.exact()),
                ) else {
                    continue;
                };
                let change = a as i64 - b as i64;
                if change != 0 && change.unsigned_abs() < u64::from(threshold) {
                    found.push(Disclosure::Flow {
                        at: (r, c),
                        earlier: i,
                        change,
                    });
                }
            }
        }
    }
    if one_group(&known, threshold) {
        found.push(Disclosure::OneGroup);
    }
    found
}

/// Case of rule `anonymity`'s attribute disclosure: see [`Disclosure::OneGroup`].
fn one_group(known: &[Vec<Bounds>], threshold: u32) -> bool {
    let rows = known.len().saturating_sub(1);
    let cols = known.first().map_or(0, Vec::len).saturating_sub(1);
    // As the reader sees it: there may be fewer children than the threshold.
    let total = known.get(rows).and_then(|l| l.get(cols));
    if total.is_none_or(|t| t.hi == Some(0) || t.lo >= u64::from(threshold)) {
        return false;
    }
    let possible: Vec<(usize, usize)> = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .filter(|&(r, c)| known[r][c].may_be_positive())
        .collect();
    let one_row = possible.windows(2).all(|w| w[0].0 == w[1].0);
    let one_col = possible.windows(2).all(|w| w[0].1 == w[1].1);
    one_row || one_col
}

fn value(values: &[Vec<u32>], (r, c): (usize, usize)) -> u64 {
    u64::from(values.get(r).and_then(|l| l.get(c)).copied().unwrap_or(0))
}

fn shown_at(shown: &[Vec<Cell>], (r, c): (usize, usize)) -> Cell {
    shown
        .get(r)
        .and_then(|l| l.get(c))
        .copied()
        .unwrap_or(Cell::Count(0))
}

/// One unknown entry as an edge between its row's node and its column's.
struct Edge {
    at: (usize, usize),
    row: usize,
    col: usize,
    margin: bool,
    /// How far the signed entry may rise, and fall, from the given table.
    up: u64,
    down: u64,
}

struct Network {
    edges: Vec<Edge>,
    nodes: usize,
}

impl Network {
    fn new(values: &[Vec<u32>], shown: &[Vec<Cell>], rows: usize, cols: usize) -> Self {
        let mut edges = Vec::new();
        for r in 0..rows {
            for c in 0..cols {
                let floor = match shown_at(shown, (r, c)) {
                    Cell::Count(_) => continue,
                    Cell::Suppressed => 1,
                    Cell::Withheld => 0,
                };
                let slack = value(values, (r, c)).saturating_sub(floor);
                // Cells and the grand total count plus, margins minus: a
                // margin growing is its signed entry falling.
                let margin = (r + 1 == rows) != (c + 1 == cols);
                let (up, down) = if margin {
                    (slack, UNBOUNDED)
                } else {
                    (UNBOUNDED, slack)
                };
                edges.push(Edge {
                    at: (r, c),
                    row: r,
                    col: rows + c,
                    margin,
                    up,
                    down,
                });
            }
        }
        Network {
            edges,
            nodes: rows + cols,
        }
    }

    fn bounds_of(&self, at: (usize, usize), v: u64) -> Bounds {
        let Some(edge) = self.edges.iter().find(|e| e.at == at) else {
            return Bounds { lo: v, hi: Some(v) };
        };
        // Rising sends flow row -> column along this edge; it must come back
        // column -> row along the others.
        let rise = edge.up.min(self.max_flow(edge.col, edge.row, at));
        let fall = edge.down.min(self.max_flow(edge.row, edge.col, at));
        let (more, less) = if edge.margin {
            (fall, rise)
        } else {
            (rise, fall)
        };
        let hi = (more < UNBOUNDED).then(|| v + more);
        Bounds {
            lo: v.saturating_sub(less),
            hi,
        }
    }

    /// Edmonds-Karp on the unknown edges but `skip`: each edge carries flow
    /// row -> column up to `up`, column -> row up to `down`.
    fn max_flow(&self, source: usize, sink: usize, skip: (usize, usize)) -> u64 {
        let n = self.nodes;
        let mut cap = vec![vec![0u64; n]; n];
        for e in self.edges.iter().filter(|e| e.at != skip) {
            cap[e.row][e.col] = cap[e.row][e.col].saturating_add(e.up).min(UNBOUNDED);
            cap[e.col][e.row] = cap[e.col][e.row].saturating_add(e.down).min(UNBOUNDED);
        }
        max_flow(&mut cap, source, sink)
    }
}

/// Edmonds-Karp on a capacity matrix, which it leaves as the residual.
fn max_flow(cap: &mut [Vec<u64>], source: usize, sink: usize) -> u64 {
    let n = cap.len();
    let mut total = 0u64;
    loop {
        let mut from = vec![usize::MAX; n];
        from[source] = source;
        let mut queue = std::collections::VecDeque::from([source]);
        while let Some(u) = queue.pop_front() {
            for w in 0..n {
                if from[w] == usize::MAX && cap[u][w] > 0 {
                    from[w] = u;
                    queue.push_back(w);
                }
            }
        }
        if from[sink] == usize::MAX || total >= UNBOUNDED {
            return total.min(UNBOUNDED);
        }
        let mut push = UNBOUNDED;
        let mut w = sink;
        while w != source {
            push = push.min(cap[from[w]][w]);
            w = from[w];
        }
        let mut w = sink;
        while w != source {
            let u = from[w];
            cap[u][w] -= push;
            cap[w][u] = cap[w][u].saturating_add(push);
            w = u;
        }
        total = total.saturating_add(push);
    }
}

/// A table that fits what `shown` prints, margins included, or `None` when
/// nothing does: what an earlier release's reader could take for the true
/// table, when only what it printed is kept (`published/`).
///
/// Every unknown entry starts at its floor (1 for a `c`, 0 for an `x`); the
/// lines that then do not add up are evened out by a flow along the unknown
/// entries, which may only grow: the circulation of the module docs, with
/// lower bounds.
pub fn feasible(shown: &[Vec<Cell>]) -> Option<Vec<Vec<u32>>> {
    let rows = shown.len();
    let cols = shown.first().map_or(0, Vec::len);
    if rows == 0 || cols == 0 || shown.iter().any(|l| l.len() != cols) {
        return None;
    }
    // Nodes: rows, then columns, then a source and a sink. A cell or the
    // grand total sends its value row -> column; a margin column -> row.
    let (source, sink) = (rows + cols, rows + cols + 1);
    let mut cap = vec![vec![0u64; rows + cols + 2]; rows + cols + 2];
    let mut excess = vec![0i64; rows + cols];
    let mut values = vec![vec![0u32; cols]; rows];
    for (r, line) in shown.iter().enumerate() {
        for (c, cell) in line.iter().enumerate() {
            let margin = (r + 1 == rows) != (c + 1 == cols);
            let (from, to) = if margin { (rows + c, r) } else { (r, rows + c) };
            let v = match *cell {
                Cell::Count(v) => v,
                Cell::Suppressed => 1,
                Cell::Withheld => 0,
            };
            values[r][c] = v;
            excess[from] -= i64::from(v);
            excess[to] += i64::from(v);
            if !matches!(cell, Cell::Count(_)) {
                cap[from][to] = UNBOUNDED;
            }
        }
    }
    let mut need = 0u64;
    for (node, &e) in excess.iter().enumerate() {
        if e > 0 {
            cap[source][node] = e.unsigned_abs();
            need += e.unsigned_abs();
        } else if e < 0 {
            cap[node][sink] = e.unsigned_abs();
        }
    }
    let before = cap.clone();
    if max_flow(&mut cap, source, sink) != need {
        return None;
    }
    for (r, line) in values.iter_mut().enumerate() {
        for (c, v) in line.iter_mut().enumerate() {
            let margin = (r + 1 == rows) != (c + 1 == cols);
            let (from, to) = if margin { (rows + c, r) } else { (r, rows + c) };
            if before[from][to] == UNBOUNDED {
                let sent = UNBOUNDED - cap[from][to];
                *v = u32::try_from(u64::from(*v) + sent).ok()?;
            }
        }
    }
    Some(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Cell::{Count as N, Suppressed as C, Withheld as X};

    /// Brute force: every choice of the unknown cells from 0 to `cap`, the
    /// margins summed from them, kept when it fits what is shown.
    fn brute(values: &[Vec<u32>], shown: &[Vec<Cell>], cap: u32) -> Vec<Vec<Option<(u32, u32)>>> {
        let (rows, cols) = (values.len() - 1, values[0].len() - 1);
        let unknown: Vec<(usize, usize)> = (0..rows)
            .flat_map(|r| (0..cols).map(move |c| (r, c)))
            .filter(|&(r, c)| !matches!(shown[r][c], N(_)))
            .collect();
        let mut seen = vec![vec![None; cols + 1]; rows + 1];
        let mut pick = vec![0u32; unknown.len()];
        let mut g = values.to_vec();
        'all: loop {
            for (i, &(r, c)) in unknown.iter().enumerate() {
                g[r][c] = pick[i];
            }
            for line in g.iter_mut().take(rows) {
                line[cols] = line[..cols].iter().sum();
            }
            for c in 0..=cols {
                let sum = g[..rows].iter().map(|l| l[c]).sum();
                g[rows][c] = sum;
            }
            let fits = (0..=rows).all(|r| {
                (0..=cols).all(|c| match shown[r][c] {
                    N(v) => g[r][c] == v,
                    C => g[r][c] >= 1,
                    X => true,
                })
            });
            if fits {
                for r in 0..=rows {
                    for c in 0..=cols {
                        let v = g[r][c];
                        let e: &mut (u32, u32) = seen[r][c].get_or_insert((v, v));
                        *e = (e.0.min(v), e.1.max(v));
                    }
                }
            }
            for p in pick.iter_mut() {
                if *p < cap {
                    *p += 1;
                    continue 'all;
                }
                *p = 0;
            }
            break;
        }
        seen
    }

    /// Every entry printed as its number.
    fn all_shown(values: &[Vec<u32>]) -> Vec<Vec<Cell>> {
        values
            .iter()
            .map(|r| r.iter().map(|&v| N(v)).collect())
            .collect()
    }

    fn grid_of(cells: &[&[u32]]) -> Vec<Vec<u32>> {
        let mut g: Vec<Vec<u32>> = cells
            .iter()
            .map(|r| {
                let mut v = r.to_vec();
                v.push(r.iter().sum());
                v
            })
            .collect();
        let cols = g[0].len();
        g.push((0..cols).map(|c| g.iter().map(|r| r[c]).sum()).collect());
        g
    }

    #[test]
    fn the_sample_totals_row_gives_its_ones_away() {
        // All roles: c 6 c 0 | 8 -> both c are 1.
        let values = vec![vec![1, 6, 1, 0, 8]];
        let values = {
            // one role row equal to the totals row
            let mut v = values.clone();
            v.insert(0, vec![1, 6, 1, 0, 8]);
            v
        };
        let shown = vec![vec![C, N(6), C, N(0), N(8)], vec![C, N(6), C, N(0), N(8)]];
        let b = bounds(&values, &shown);
        assert_eq!(b[1][0].exact(), Some(1));
        assert_eq!(b[1][2].exact(), Some(1));
    }

    #[test]
    fn a_rectangle_of_large_values_moves() {
        let values = grid_of(&[&[3, 10], &[8, 20]]);
        let mut shown = all_shown(&values);
        for p in [(0, 0), (0, 1), (1, 0), (1, 1)] {
            shown[p.0][p.1] = C;
        }
        let b = bounds(&values, &shown);
        // a + b = 13, a + c = 11, b + d = 30, c + d = 28, each at least 1:
        // a from 1 (c = 10) to 10 (c = 1); b = 13 - a, d = 17 + a.
        assert_eq!(
            b[0][0],
            Bounds {
                lo: 1,
                hi: Some(10)
            }
        );
        assert_eq!(
            b[0][1],
            Bounds {
                lo: 3,
                hi: Some(12)
            }
        );
        assert_eq!(
            b[1][1],
            Bounds {
                lo: 18,
                hi: Some(27)
            }
        );
    }

    #[test]
    fn everything_hidden_is_unbounded() {
        let values = grid_of(&[&[1, 0], &[0, 0]]);
        let mut shown = all_shown(&values);
        for p in [(0, 0), (0, 2), (2, 0), (2, 2)] {
            shown[p.0][p.1] = C;
        }
        let b = bounds(&values, &shown);
        for p in [(0, 0), (0, 2), (2, 0), (2, 2)] {
            assert_eq!(b[p.0][p.1], Bounds { lo: 1, hi: None }, "{p:?}");
        }
    }

    #[test]
    fn agrees_with_brute_force_on_small_tables() {
        // Every hiding pattern of a 2x2 table with its margins (9 entries):
        // the flow bounds equal the brute-force ones, where an unbounded
        // entry reaches the search's cap.
        let tables: [&[&[u32]]; 3] = [
            &[&[1, 2], &[0, 3]],
            &[&[2, 2], &[1, 4]],
            &[&[0, 1], &[1, 0]],
        ];
        let cap = 9;
        for cells in tables {
            let values = grid_of(cells);
            let entries: Vec<(usize, usize)> =
                (0..3).flat_map(|r| (0..3).map(move |c| (r, c))).collect();
            for mask in 0u32..(1 << 9) {
                let mut shown = all_shown(&values);
                for (i, &(r, c)) in entries.iter().enumerate() {
                    if mask & (1 << i) != 0 {
                        // A zero is never a c; some entries are withheld.
                        shown[r][c] = if values[r][c] == 0 || (mask >> 5) & 1 == 1 && i % 3 == 0 {
                            X
                        } else {
                            C
                        };
                    }
                }
                let flow = bounds(&values, &shown);
                let seen = brute(&values, &shown, cap);
                for &(r, c) in &entries {
                    let (lo, hi) = seen[r][c].expect("the true table fits");
                    let b = flow[r][c];
                    let at = format!("{cells:?} {mask:09b} ({r}, {c})");
                    assert_eq!(b.lo, u64::from(lo), "{at}");
                    match b.hi {
                        Some(h) => assert_eq!(h, u64::from(hi), "{at}"),
                        None => assert!(hi >= cap, "{at}: {hi}"),
                    }
                }
            }
        }
    }

    #[test]
    fn feasible_finds_a_table_that_fits_what_is_printed() {
        let mut rng = crate::test_rng::Rng::new(7);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..500 {
            let cells: Vec<Vec<u32>> = (0..3)
                .map(|_| (0..4).map(|_| next(9) as u32).collect())
                .collect();
            let refs: Vec<&[u32]> = cells.iter().map(Vec::as_slice).collect();
            let values = grid_of(&refs);
            let mut shown = all_shown(&values);
            for (r, line) in shown.iter_mut().enumerate() {
                for (c, cell) in line.iter_mut().enumerate() {
                    if next(3) == 0 {
                        *cell = if values[r][c] == 0 { X } else { C };
                    }
                }
            }
            let found = feasible(&shown).expect("the true table fits");
            let (rows, cols) = (3, 4);
            for (printed, line) in shown.iter().zip(&found) {
                for (cell, &v) in printed.iter().zip(line) {
                    match *cell {
                        N(n) => assert_eq!(v, n),
                        C => assert!(v >= 1),
                        X => {}
                    }
                }
            }
            for line in &found {
                assert_eq!(line[..cols].iter().sum::<u32>(), line[cols]);
            }
            for (c, total) in found[rows].iter().enumerate() {
                assert_eq!(found[..rows].iter().map(|l| l[c]).sum::<u32>(), *total);
            }
            // Measured from the table found, the reader's ranges are the
            // same as from the true one.
            assert_eq!(bounds(&found, &shown), bounds(&values, &shown));
        }
        // Totals that no counts give.
        let bad = vec![vec![N(1), N(1), N(3)], vec![N(1), N(1), N(2)]];
        assert_eq!(feasible(&bad), None);
        let c_above_zero_total = vec![vec![C, N(0)], vec![C, N(0)]];
        assert_eq!(feasible(&c_above_zero_total), None);
    }
}
