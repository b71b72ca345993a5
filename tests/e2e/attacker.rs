//! An attacker with a pencil, written apart from the implementation: it
//! reads a summary's children table from the CSV as any reader could, and
//! works out the range of every hidden entry by linear programming (an exact
//! two-phase simplex over fractions, Bland's rule), knowing only that rows
//! and columns add up to their totals, that counts are whole numbers, that a
//! `c` is at least 1 and a `coarsened` or `withheld` entry at least 0. The
//! tables are network matrices, so the real ranges are the whole-number ones.
//!
//! `src/summary/attack.rs` does the same with max-flow; this file shares
//! nothing with it.

// Tableau and grid arithmetic reads best by row and column number.
#![allow(clippy::needless_range_loop)]

use std::collections::BTreeMap;

/// The roles and age measures of the children table, as the CSV keys them.
pub const ROWS: [&str; 4] = ["affected", "alleged-harmer", "both", "all"];
pub const COLS: [&str; 5] = [
    "age 10-13",
    "age 14-15",
    "age 16-17",
    "age Other",
    "all ages",
];

/// One published entry: a number, or unknown with a floor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    Known(i64),
    Unknown { floor: i64 },
}

/// A children table as read from a CSV: `grid[row][col]` over [`ROWS`] x
/// [`COLS`], margins last.
pub type Table = [[Entry; 5]; 4];

/// The children table of a summary CSV (the file's text).
pub fn read_table(csv: &str) -> Table {
    let mut rows: BTreeMap<(String, String), (String, String)> = BTreeMap::new();
    for line in csv.split("\r\n").skip(1).filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        if f.get(2) == Some(&"children") {
            rows.insert(
                (f[3].to_string(), f[5].to_string()),
                (f[6].to_string(), f[7].to_string()),
            );
        }
    }
    let mut t = [[Entry::Known(0); 5]; 4];
    for (r, key) in ROWS.iter().enumerate() {
        for (c, measure) in COLS.iter().enumerate() {
            let (value, flag) = rows
                .get(&(key.to_string(), measure.to_string()))
                .unwrap_or_else(|| panic!("no children/{key}/{measure}"));
            t[r][c] = match (value.as_str(), flag.as_str()) {
                (v, "") => Entry::Known(v.parse().expect("a number")),
                ("", "c") => Entry::Unknown { floor: 1 },
                ("", "coarsened" | "withheld") => Entry::Unknown { floor: 0 },
                other => panic!("unexpected children entry {other:?}"),
            };
        }
    }
    t
}

/// What the attacker knows of one entry: from `lo` to `hi` (`None`: no
/// upper bound).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub lo: i64,
    pub hi: Option<i64>,
}

impl Range {
    pub fn exact(self) -> Option<i64> {
        (self.hi == Some(self.lo)).then_some(self.lo)
    }
}

/// Every entry's range.
pub fn ranges(t: &Table) -> [[Range; 5]; 4] {
    let unknowns: Vec<(usize, usize)> = (0..4)
        .flat_map(|r| (0..5).map(move |c| (r, c)))
        .filter(|&(r, c)| matches!(t[r][c], Entry::Unknown { .. }))
        .collect();
    let index = |p: (usize, usize)| unknowns.iter().position(|&u| u == p);
    let floor = |p: (usize, usize)| match t[p.0][p.1] {
        Entry::Unknown { floor } => floor,
        Entry::Known(v) => v,
    };
    // Lines: each role row (cells minus its total) and each column (roles
    // minus the all-roles entry) sums to zero. With x = floor + z, z >= 0.
    let mut lines: Vec<Vec<(usize, usize, i64)>> = Vec::new();
    for r in 0..3 {
        let mut l: Vec<_> = (0..4).map(|c| (r, c, 1)).collect();
        l.push((r, 4, -1));
        lines.push(l);
    }
    for c in 0..5 {
        let mut l: Vec<_> = (0..3).map(|r| (r, c, 1)).collect();
        l.push((3, c, -1));
        lines.push(l);
    }
    let n = unknowns.len();
    let mut a: Vec<Vec<Frac>> = Vec::new();
    let mut b: Vec<Frac> = Vec::new();
    for l in &lines {
        let mut row = vec![Frac::int(0); n];
        let mut rhs = 0i64;
        for &(r, c, sign) in l {
            rhs -= sign * floor((r, c));
            if let Some(i) = index((r, c)) {
                row[i] = row[i].add(Frac::int(sign));
            }
        }
        a.push(row);
        b.push(Frac::int(rhs));
    }
    let mut out = [[Range { lo: 0, hi: Some(0) }; 5]; 4];
    for r in 0..4 {
        for c in 0..5 {
            out[r][c] = match index((r, c)) {
                None => {
                    let v = floor((r, c));
                    Range { lo: v, hi: Some(v) }
                }
                Some(i) => {
                    let mut up = vec![Frac::int(0); n];
                    up[i] = Frac::int(1);
                    let down: Vec<Frac> = up.iter().map(|f| f.neg()).collect();
                    let hi = maximise(&a, &b, &up).map(|f| f.whole() + floor((r, c)));
                    let lo = maximise(&a, &b, &down)
                        .map(|f| floor((r, c)) - f.whole())
                        .expect("z >= 0 bounds the minimum");
                    Range { lo, hi }
                }
            };
        }
    }
    out
}

/// Whether a reader could tell that every child of a table of possibly fewer
/// than `threshold` shares one role or one age band.
pub fn one_group(t: &Table, threshold: i64) -> bool {
    let k = ranges(t);
    let total = k[3][4];
    if total.hi == Some(0) || total.lo >= threshold {
        return false;
    }
    let possible: Vec<(usize, usize)> = (0..3)
        .flat_map(|r| (0..4).map(move |c| (r, c)))
        .filter(|&(r, c)| k[r][c].hi != Some(0))
        .collect();
    possible.iter().all(|p| p.0 == possible[0].0) || possible.iter().all(|p| p.1 == possible[0].1)
}

/// Everything the attacker finds in `now`, alone and against each of
/// `earlier`: hidden entries worked out, changes of 1 to threshold - 1
/// worked out (the grand total's aside), one-group tables.
pub fn findings(now: &Table, earlier: &[Table], threshold: i64) -> Vec<String> {
    let k = ranges(now);
    let mut found = Vec::new();
    for r in 0..4 {
        for c in 0..5 {
            if let (Entry::Unknown { floor }, Some(v)) = (now[r][c], k[r][c].exact())
                && (floor == 1 || v > 0)
            {
                found.push(format!("{} / {} is exactly {v}", ROWS[r], COLS[c]));
            }
        }
    }
    for (i, before) in earlier.iter().enumerate() {
        let then = ranges(before);
        for r in 0..4 {
            for c in 0..5 {
                if (r, c) == (3, 4) {
                    continue;
                }
                if let (Some(a), Some(b)) = (k[r][c].exact(), then[r][c].exact()) {
                    let d = a - b;
                    if d != 0 && d.abs() < threshold {
                        found.push(format!(
                            "{} / {} changed by exactly {d} since release {i}",
                            ROWS[r], COLS[c]
                        ));
                    }
                }
            }
        }
    }
    if one_group(now, threshold) {
        found.push("every child counted shares one role or one age band".to_string());
    }
    found
}

/// The table as a reader sees it, one line per row: `c 6 c 0 | 8`.
pub fn show(t: &Table) -> Vec<String> {
    t.iter()
        .map(|row| {
            let e = |x: &Entry| match x {
                Entry::Known(v) => v.to_string(),
                Entry::Unknown { floor: 1 } => "c".to_string(),
                Entry::Unknown { .. } => "x".to_string(),
            };
            let cells: Vec<String> = row[..4].iter().map(e).collect();
            format!("{} | {}", cells.join(" "), e(&row[4]))
        })
        .collect()
}

// ---------------------------------------------------------------- simplex

/// An exact fraction, always in lowest terms with a positive denominator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Frac {
    n: i128,
    d: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

impl Frac {
    fn new(n: i128, d: i128) -> Self {
        let g = gcd(n, d).max(1);
        let s = if d < 0 { -1 } else { 1 };
        Frac {
            n: s * n / g,
            d: s * d / g,
        }
    }
    fn int(v: i64) -> Self {
        Frac::new(i128::from(v), 1)
    }
    fn add(self, o: Frac) -> Self {
        Frac::new(self.n * o.d + o.n * self.d, self.d * o.d)
    }
    fn sub(self, o: Frac) -> Self {
        self.add(o.neg())
    }
    fn mul(self, o: Frac) -> Self {
        Frac::new(self.n * o.n, self.d * o.d)
    }
    fn div(self, o: Frac) -> Self {
        Frac::new(self.n * o.d, self.d * o.n)
    }
    fn neg(self) -> Self {
        Frac::new(-self.n, self.d)
    }
    fn positive(self) -> bool {
        self.n > 0
    }
    fn zero(self) -> bool {
        self.n == 0
    }
    /// The value, which a network LP's optimum always is: a whole number.
    fn whole(self) -> i64 {
        assert_eq!(self.d, 1, "a fractional optimum: {self:?}");
        i64::try_from(self.n).expect("small")
    }
}

/// The maximum of `obj . z` subject to `a z = b`, `z >= 0`; `None` when it
/// is unbounded. Panics when infeasible: the true table always fits.
fn maximise(a: &[Vec<Frac>], b: &[Frac], obj: &[Frac]) -> Option<Frac> {
    let n = obj.len();
    let m = a.len();
    // Tableau over n real columns and m artificial ones, then the rhs.
    let mut t: Vec<Vec<Frac>> = (0..m)
        .map(|i| {
            let flip = if b[i].n < 0 {
                Frac::int(-1)
            } else {
                Frac::int(1)
            };
            let mut row: Vec<Frac> = a[i].iter().map(|x| x.mul(flip)).collect();
            row.extend((0..m).map(|j| Frac::int(i64::from(i == j))));
            row.push(b[i].mul(flip));
            row
        })
        .collect();
    let mut basis: Vec<usize> = (n..n + m).collect();
    let phase1: Vec<Frac> = (0..n + m)
        .map(|j| if j >= n { Frac::int(-1) } else { Frac::int(0) })
        .collect();
    assert!(
        run(&mut t, &mut basis, &phase1, n + m),
        "phase 1 is bounded"
    );
    let infeasibility = basis
        .iter()
        .zip(&t)
        .filter(|(j, _)| **j >= n)
        .fold(Frac::int(0), |s, (_, row)| s.add(row[n + m]));
    assert!(infeasibility.zero(), "the published table has no solution");
    // Drive artificials out of the basis, or drop their redundant rows.
    let mut i = 0;
    while i < t.len() {
        if basis[i] >= n {
            if let Some(j) = (0..n).find(|&j| !t[i][j].zero()) {
                pivot(&mut t, &mut basis, i, j);
            } else {
                t.remove(i);
                basis.remove(i);
                continue;
            }
        }
        i += 1;
    }
    let mut phase2: Vec<Frac> = obj.to_vec();
    phase2.extend((0..m).map(|_| Frac::int(0)));
    if !run(&mut t, &mut basis, &phase2, n) {
        return None;
    }
    Some(basis.iter().zip(&t).fold(Frac::int(0), |s, (&j, row)| {
        s.add(phase2[j].mul(row[n + m]))
    }))
}

/// Simplex iterations with Bland's rule, entering only columns below
/// `allowed`; false when unbounded.
fn run(t: &mut [Vec<Frac>], basis: &mut [usize], obj: &[Frac], allowed: usize) -> bool {
    let rhs = obj.len();
    loop {
        let reduced = |j: usize| {
            basis
                .iter()
                .zip(t.iter())
                .fold(obj[j], |s, (&bj, row)| s.sub(obj[bj].mul(row[j])))
        };
        let Some(enter) = (0..allowed).find(|&j| !basis.contains(&j) && reduced(j).positive())
        else {
            return true;
        };
        let leave = (0..t.len())
            .filter(|&i| t[i][enter].positive())
            .min_by(|&x, &y| {
                let rx = t[x][rhs].div(t[x][enter]);
                let ry = t[y][rhs].div(t[y][enter]);
                let d = rx.sub(ry);
                d.n.cmp(&0).then(basis[x].cmp(&basis[y]))
            });
        let Some(leave) = leave else {
            return false;
        };
        pivot(t, basis, leave, enter);
    }
}

fn pivot(t: &mut [Vec<Frac>], basis: &mut [usize], i: usize, j: usize) {
    let p = t[i][j];
    for x in t[i].iter_mut() {
        *x = x.div(p);
    }
    let pivot_row = t[i].clone();
    for (k, row) in t.iter_mut().enumerate() {
        if k != i && !row[j].zero() {
            let f = row[j];
            for (x, y) in row.iter_mut().zip(&pivot_row) {
                *x = x.sub(f.mul(*y));
            }
        }
    }
    basis[i] = j;
}

#[test]
fn the_attacker_solves_the_sample_totals_row_of_the_issue() {
    // The issue's 2026-Q2 "All roles" row, `c 6 c 0 | 8`, with the roles
    // above it as the old code printed them: both c are 1.
    use Entry::{Known as K, Unknown as U};
    let c = U { floor: 1 };
    let t: Table = [
        [c, K(6), K(0), K(0), c],
        [K(0), K(0), K(0), K(0), K(0)],
        [K(0), K(0), c, K(0), c],
        [c, K(6), c, K(0), K(8)],
    ];
    let k = ranges(&t);
    assert_eq!(k[3][0].exact(), Some(1));
    assert_eq!(k[3][2].exact(), Some(1));
    assert_eq!(k[0][4].exact(), Some(7));
    assert!(!findings(&t, &[], 6).is_empty());
    // Hiding the 6 as well frees both.
    let mut safer = t;
    safer[3][1] = c;
    safer[0][1] = c;
    assert_eq!(ranges(&safer)[3][0].exact(), None);
}

#[test]
fn unbounded_when_every_total_is_hidden() {
    use Entry::{Known as K, Unknown as U};
    let c = U { floor: 1 };
    let z = K(0);
    let t: Table = [
        [c, z, z, z, c],
        [z, z, z, z, z],
        [z, z, z, z, z],
        [c, z, z, z, c],
    ];
    assert_eq!(ranges(&t)[0][0], Range { lo: 1, hi: None });
    // ...and yet every child is affected and aged 10-13.
    assert!(one_group(&t, 6));
}
