//! How contexts connect: the relations their records declare
//! (`related_contexts:`) and the children they share (one `ref` linked from
//! several contexts). The map on the dashboard and on each context page, and
//! its table, are drawn from [`links`].

use crate::model::Casebook;
use std::collections::{BTreeMap, BTreeSet};

/// Two contexts and what joins them. `a` comes before `b` in the casebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Indexes into `Casebook::contexts`.
    pub a: usize,
    pub b: usize,
    /// Declared relations: (the context that declared it, its words), in
    /// the order written, `a`'s first.
    pub relations: Vec<(usize, String)>,
    /// The refs of the young people linked to both, at any time, sorted.
    pub shared: Vec<String>,
}

impl Link {
    /// The other end of the link from context `i`.
    pub fn other(&self, i: usize) -> usize {
        if self.a == i { self.b } else { self.a }
    }

    /// "attends; 2 young people shared", as the table and the map say it.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (_, words) in &self.relations {
            if !parts.contains(words) {
                parts.push(words.clone());
            }
        }
        if !self.shared.is_empty() {
            parts.push(crate::text::count(
                self.shared.len(),
                "young person shared",
                "young people shared",
            ));
        }
        parts.join("; ")
    }
}

/// Every pair of contexts joined by a declared relation or a shared child,
/// in the casebook's order of pairs. A relation to an unknown context (a
/// `reference` error) joins nothing.
pub fn links(cb: &Casebook) -> Vec<Link> {
    let index: BTreeMap<&str, usize> = cb
        .contexts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut pairs: BTreeMap<(usize, usize), Link> = BTreeMap::new();
    let pair = |x: usize, y: usize| if x < y { (x, y) } else { (y, x) };
    for (i, c) in cb.contexts.iter().enumerate() {
        for r in &c.related {
            let Some(&j) = index.get(r.context.value.as_str()) else {
                continue;
            };
            if i == j {
                continue;
            }
            let words = r
                .relation
                .as_ref()
                .map(|w| w.value.trim().to_string())
                .filter(|w| !w.is_empty())
                .unwrap_or_else(|| "related".to_string());
            let key = pair(i, j);
            let link = pairs.entry(key).or_insert_with(|| empty(key));
            link.relations.push((i, words));
        }
    }
    let mut by_ref: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (i, c) in cb.contexts.iter().enumerate() {
        for y in &c.young_people {
            by_ref
                .entry(y.reference.value.as_str())
                .or_default()
                .insert(i);
        }
    }
    for (reference, contexts) in by_ref {
        let contexts: Vec<usize> = contexts.into_iter().collect();
        for (n, &a) in contexts.iter().enumerate() {
            for &b in &contexts[n + 1..] {
                let link = pairs.entry((a, b)).or_insert_with(|| empty((a, b)));
                link.shared.push(reference.to_string());
            }
        }
    }
    for link in pairs.values_mut() {
        // The context that comes first declares first.
        link.relations.sort_by_key(|(from, _)| *from);
    }
    pairs.into_values().collect()
}

fn empty((a, b): (usize, usize)) -> Link {
    Link {
        a,
        b,
        relations: Vec::new(),
        shared: Vec::new(),
    }
}

/// The groups of contexts joined by links, each sorted, in the order of
/// their first context; contexts joined to nothing are in no group.
pub fn groups(count: usize, links: &[Link]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..count).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for l in links {
        let (ra, rb) = (root(&mut parent, l.a), root(&mut parent, l.b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for l in links {
        for i in [l.a, l.b] {
            let r = root(&mut parent, i);
            let group = by_root.entry(r).or_default();
            if !group.contains(&i) {
                group.push(i);
            }
        }
    }
    let mut out: Vec<Vec<usize>> = by_root.into_values().collect();
    for g in &mut out {
        g.sort_unstable();
    }
    out.sort_by_key(|g| g[0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(a: usize, b: usize) -> Link {
        empty((a, b))
    }

    #[test]
    fn groups_join_what_links_join_and_leave_the_rest_out() {
        let links = vec![link(0, 2), link(2, 5), link(3, 4)];
        assert_eq!(groups(7, &links), vec![vec![0, 2, 5], vec![3, 4]]);
    }

    #[test]
    fn a_link_describes_its_relations_once_and_its_shared_children() {
        let mut l = link(0, 1);
        l.relations = vec![(0, "attends".into()), (1, "attends".into())];
        l.shared = vec!["YP-A".into(), "YP-B".into()];
        assert_eq!(l.describe(), "attends; 2 young people shared");
        assert_eq!(l.other(1), 0);
    }
}
