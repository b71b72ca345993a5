//! The map of connected contexts, laid out here once as plain numbers and
//! words: HTML templates draw it as inline SVG, typst templates with its
//! own shapes, and both print [`MapView::rows`] as its text alternative.
//!
//! The layout is deterministic and needs no fonts: each group of connected
//! contexts is a block with Appendix 1's levels as rows (peer groups, then
//! schools, neighbourhoods and online spaces), contexts in casebook order
//! within a row; blocks flow left to right and wrap.

use crate::connections::{self, Link};
use crate::model::{Casebook, Context, ContextType};
use serde::Serialize;

const NODE_W: u32 = 200;
const NODE_H: u32 = 48;
const GAP_X: u32 = 28;
const GAP_Y: u32 = 64;
const PAD: u32 = 20;
/// How far an arc past a row reaches beyond the boxes' right edge; each
/// group keeps that much room, and room for the arc's label, on its right.
const ARC: u32 = 120;
/// Widest a map gets before its groups wrap onto a new band.
const MAX_W: u32 = 1000;
/// Characters of a title inside a box; the table gives it whole.
const TITLE_CHARS: usize = 26;
const LABEL_CHARS: usize = 30;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MapView {
    pub width: u32,
    pub height: u32,
    pub nodes: Vec<MapNode>,
    pub edges: Vec<MapEdge>,
    /// Every link among the contexts considered, drawn or not.
    pub rows: Vec<MapRow>,
    /// Groups of connected contexts drawn, and how many there are.
    pub groups_shown: usize,
    pub groups: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MapNode {
    pub id: String,
    /// Shortened to fit the box.
    pub title: String,
    pub full_title: String,
    /// "peer group", "school".
    pub kind: String,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// Where the title and the type are written inside the box.
    pub text_x: u32,
    pub title_y: u32,
    pub kind_y: u32,
    /// Empty when the context's page was not built.
    pub href: String,
    /// The context whose page this is.
    pub current: bool,
    pub closed: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MapEdge {
    pub x1: u32,
    pub y1: u32,
    pub x2: u32,
    pub y2: u32,
    /// The control point of a link within one row, drawn as a curve above
    /// it; equal to the midpoint for a straight line.
    pub cx: u32,
    pub cy: u32,
    /// Where the label sits.
    pub lx: u32,
    pub ly: u32,
    pub label: String,
    /// Declared in `related_contexts:`: drawn solid; joined only by shared
    /// children: dashed.
    pub declared: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MapRow {
    pub from: String,
    pub from_href: String,
    pub to: String,
    pub to_href: String,
    /// "attends; 2 young people shared".
    pub how: String,
}

/// The row of a context type, in Appendix 1's order from the child outward.
fn level(c: &Context) -> usize {
    match c.context_type.as_ref().map(|t| t.value) {
        Some(ContextType::PeerGroup) => 0,
        Some(ContextType::School) => 1,
        Some(ContextType::Neighbourhood) => 2,
        Some(ContextType::Online) => 3,
        None => 4,
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max - 1).collect();
    format!("{}\u{2026}", kept.trim_end())
}

/// The map of the dashboard: every group of connected contexts, at most
/// `max_groups` of them drawn. `href` gives each context's page.
pub fn whole(
    cb: &Casebook,
    links: &[Link],
    max_groups: usize,
    href: &dyn Fn(&Context) -> String,
) -> MapView {
    let groups = connections::groups(cb.contexts.len(), links);
    draw(cb, links, &groups, max_groups, None, href)
}

/// The map of one context's page and pack: the context and those it is
/// linked to, with the links among them.
pub fn around(
    cb: &Casebook,
    links: &[Link],
    context: usize,
    href: &dyn Fn(&Context) -> String,
) -> MapView {
    let mut members: Vec<usize> = vec![context];
    for l in links.iter().filter(|l| l.a == context || l.b == context) {
        members.push(l.other(context));
    }
    members.sort_unstable();
    members.dedup();
    let near: Vec<Link> = links
        .iter()
        .filter(|l| members.contains(&l.a) && members.contains(&l.b))
        .cloned()
        .collect();
    let groups = if near.is_empty() {
        Vec::new()
    } else {
        vec![members]
    };
    draw(cb, &near, &groups, 1, Some(context), href)
}

fn draw(
    cb: &Casebook,
    links: &[Link],
    groups: &[Vec<usize>],
    max_groups: usize,
    current: Option<usize>,
    href: &dyn Fn(&Context) -> String,
) -> MapView {
    let mut nodes: Vec<MapNode> = Vec::new();
    let mut at: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    // Room above the first row for the curves of links within it.
    let (mut x0, mut y0, mut band_h, mut width) = (PAD, PAD + GAP_Y / 2, 0u32, 0u32);
    for group in groups.iter().take(max_groups) {
        let mut rows: Vec<Vec<usize>> = vec![Vec::new(); 5];
        for &i in group {
            rows[level(&cb.contexts[i])].push(i);
        }
        rows.retain(|r| !r.is_empty());
        let across = rows.iter().map(Vec::len).max().unwrap_or(1) as u32;
        let boxes_w = across * NODE_W + (across - 1) * GAP_X;
        // Room on the right for arcs past a row, when the group has three rows or more.
        let group_w = boxes_w + if rows.len() > 2 { ARC } else { 0 };
        let group_h = rows.len() as u32 * NODE_H + (rows.len() as u32 - 1) * GAP_Y;
        if x0 > PAD && x0 + group_w > MAX_W {
            x0 = PAD;
            y0 += band_h + GAP_Y;
            band_h = 0;
        }
        for (r, row) in rows.iter().enumerate() {
            let row_w = row.len() as u32 * NODE_W + (row.len() as u32 - 1) * GAP_X;
            let left = x0 + (boxes_w - row_w) / 2;
            for (k, &i) in row.iter().enumerate() {
                let c = &cb.contexts[i];
                at.insert(i, nodes.len());
                nodes.push(MapNode {
                    id: c.id.clone(),
                    title: shorten(c.title_text(), TITLE_CHARS),
                    full_title: c.title_text().to_string(),
                    kind: c
                        .context_type
                        .as_ref()
                        .map_or("context", |t| t.value.label())
                        .to_string(),
                    x: left + k as u32 * (NODE_W + GAP_X),
                    y: y0 + r as u32 * (NODE_H + GAP_Y),
                    w: NODE_W,
                    h: NODE_H,
                    text_x: left + k as u32 * (NODE_W + GAP_X) + 10,
                    title_y: y0 + r as u32 * (NODE_H + GAP_Y) + 20,
                    kind_y: y0 + r as u32 * (NODE_H + GAP_Y) + 38,
                    href: href(c),
                    current: current == Some(i),
                    closed: c.closed.is_some(),
                });
            }
        }
        width = width.max(x0 + group_w + PAD);
        band_h = band_h.max(group_h);
        x0 += group_w + GAP_X * 2;
    }
    let height = if nodes.is_empty() {
        0
    } else {
        y0 + band_h + PAD
    };
    let edges = links
        .iter()
        .filter_map(|l| Some(edge(&nodes[*at.get(&l.a)?], &nodes[*at.get(&l.b)?], l)))
        .collect();
    let rows = links
        .iter()
        .map(|l| {
            let (a, b) = (&cb.contexts[l.a], &cb.contexts[l.b]);
            MapRow {
                from: a.title_text().to_string(),
                from_href: href(a),
                to: b.title_text().to_string(),
                to_href: href(b),
                how: l.describe(),
            }
        })
        .collect();
    MapView {
        width: if nodes.is_empty() { 0 } else { width },
        height,
        nodes,
        edges,
        rows,
        groups_shown: groups.len().min(max_groups),
        groups: groups.len(),
    }
}

fn edge(a: &MapNode, b: &MapNode, l: &Link) -> MapEdge {
    let words = l.relations.first().map(|(_, w)| w.as_str());
    let label = match (words, l.shared.len()) {
        (Some(w), 0) => shorten(w, LABEL_CHARS),
        (Some(w), n) => format!("{} \u{b7} {n} shared", shorten(w, LABEL_CHARS - 10)),
        (None, n) => format!("{n} shared"),
    };
    let declared = !l.relations.is_empty();
    let centre = |n: &MapNode| n.x + n.w / 2;
    if a.y == b.y {
        // Same row: a curve over the boxes between them.
        let (x1, x2) = (centre(a), centre(b));
        let y = a.y;
        let cx = (x1 + x2) / 2;
        let cy = y.saturating_sub(GAP_Y / 2 + 8);
        return MapEdge {
            x1,
            y1: y,
            x2,
            y2: y,
            cx,
            cy,
            lx: cx,
            ly: (y + cy) / 2 - 2,
            label,
            declared,
        };
    }
    let (upper, lower) = if a.y < b.y { (a, b) } else { (b, a) };
    if lower.y - upper.y > NODE_H + GAP_Y {
        // Across a row between them: an arc out to the right, from side to
        // side, so that it passes no box of the rows in between.
        let (x1, y1) = (upper.x + upper.w, upper.y + upper.h / 2);
        let (x2, y2) = (lower.x + lower.w, lower.y + lower.h / 2);
        let cx = x1.max(x2) + ARC;
        let cy = (y1 + y2) / 2;
        // The curve's middle: a quarter of each end and half the control point.
        let (mx, my) = ((x1 + 2 * cx + x2) / 4, (y1 + 2 * cy + y2) / 4);
        return MapEdge {
            x1,
            y1,
            x2,
            y2,
            cx,
            cy,
            lx: mx,
            ly: my + 4,
            label,
            declared,
        };
    }
    let (x1, y1, x2, y2) = (centre(upper), upper.y + upper.h, centre(lower), lower.y);
    MapEdge {
        x1,
        y1,
        x2,
        y2,
        cx: (x1 + x2) / 2,
        cy: (y1 + y2) / 2,
        lx: (x1 + x2) / 2,
        ly: (y1 + y2) / 2 + 4,
        label,
        declared,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Context, ContextType};
    use crate::source::{FileId, Loc, Sp};

    fn context(id: &str, kind: ContextType) -> Context {
        let loc = Loc {
            file: FileId(1),
            line: 1,
            column: 1,
            start: 0,
            end: 0,
        };
        Context {
            id: id.into(),
            dir: format!("cases/{id}"),
            file: FileId(1),
            context_type: Some(Sp::new(kind, loc)),
            title: Some(Sp::new(format!("The {id}"), loc)),
            area: None,
            opened: None,
            closed: None,
            lead_practitioner: None,
            managed_by: None,
            harms: vec![],
            young_people: vec![],
            related: vec![],
            assessment: None,
            plan: None,
            meetings: vec![],
            attachments: Vec::new(),
            incomplete: false,
        }
    }

    fn link(a: usize, b: usize, shared: &[&str]) -> Link {
        Link {
            a,
            b,
            relations: vec![],
            shared: shared.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn three_levels() -> Casebook {
        Casebook {
            contexts: vec![
                context("park", ContextType::Neighbourhood),
                context("group", ContextType::PeerGroup),
                context("school", ContextType::School),
            ],
            ..Casebook::default()
        }
    }

    #[test]
    fn levels_are_rows_in_appendix_one_order_and_a_link_past_a_row_arcs_round_it() {
        let cb = three_levels();
        let links = vec![link(0, 1, &["YP-A"]), link(1, 2, &["YP-B", "YP-C"])];
        let href = |c: &Context| format!("{}.html", c.id);
        let map = whole(&cb, &links, 12, &href);
        let y = |id: &str| map.nodes.iter().find(|n| n.id == id).unwrap().y;
        assert!(y("group") < y("school") && y("school") < y("park"));
        // Peer group to neighbourhood passes the school's row: its control
        // point is right of every box, and the map is wide enough for it.
        let arc = map.edges.iter().find(|e| e.label == "1 shared").unwrap();
        let right = map.nodes.iter().map(|n| n.x + n.w).max().unwrap();
        assert!(arc.cx > right && arc.cx < map.width, "{arc:?}");
        assert_eq!(map.rows.len(), 2);
        assert_eq!(map.rows[1].how, "2 young people shared");
        // The same records give the same drawing.
        assert_eq!(map, whole(&cb, &links, 12, &href));
    }

    #[test]
    fn a_context_page_shows_its_neighbours_only_and_nothing_when_alone() {
        let cb = three_levels();
        let links = vec![link(0, 1, &["YP-A"])];
        let href = |c: &Context| c.id.clone();
        let near = around(&cb, &links, 0, &href);
        let ids: Vec<&str> = near.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["group", "park"]);
        assert!(near.nodes.iter().find(|n| n.id == "park").unwrap().current);
        let alone = around(&cb, &links, 2, &href);
        assert!(alone.nodes.is_empty() && alone.rows.is_empty() && alone.width == 0);
    }

    #[test]
    fn groups_beyond_the_limit_are_counted_not_drawn() {
        let cb = Casebook {
            contexts: (0..6)
                .map(|i| context(&format!("c{i}"), ContextType::School))
                .collect(),
            ..Casebook::default()
        };
        let links = vec![
            link(0, 1, &["A1"]),
            link(2, 3, &["A2"]),
            link(4, 5, &["A3"]),
        ];
        let map = whole(&cb, &links, 2, &|c: &Context| c.id.clone());
        assert_eq!((map.groups_shown, map.groups), (2, 3));
        assert_eq!(map.nodes.len(), 4);
        assert_eq!(map.rows.len(), 3, "the table lists every link");
    }
}
