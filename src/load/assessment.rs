//! `cases/<id>/assessment.md`: the front matter of the context assessment.

use super::decode::Dec;
use super::yaml::Yaml;
use crate::model::{Assessment, Weight, WeightingFactor, WeightingLevel};
use crate::schema::records as R;

/// The shape shown when the front matter is missing.
pub const EXAMPLE: &str = "---\ndate: 2026-08-20\nlead_practitioner: jo-smith\nweighting:\n  - level: neighbourhood\n    factor: ...\n    weight: high\n    rationale: ...\n---\n## Themes\n...";

/// Fills `a` (whose body is already read) from the parsed front matter.
pub fn decode(d: &mut Dec, root: &Yaml, a: &mut Assessment) {
    let Some(m) = d.record(root, &R::ASSESSMENT) else {
        return;
    };
    a.loc = m.loc;
    a.date = d.req(&m, "date", Dec::date);
    a.lead_practitioner = d.opt(&m, "lead_practitioner", Dec::reference);
    a.methods = d.opt_list(&m, "methods", Dec::text);
    a.influencers = d.opt_list(&m, "influencers", Dec::text);
    if let Some(e) = m.entry("weighting") {
        a.weighting_loc = Some(e.key_loc);
        a.weighting = d.list(&e.value, "weighting", factor);
    }
}

fn factor(d: &mut Dec, y: &Yaml) -> Option<WeightingFactor> {
    let m = d.record(y, &R::WEIGHTING_FACTOR)?;
    let level = d.req(&m, "level", |d, y, f| {
        d.vocab(
            y,
            f,
            "weighting level",
            WeightingLevel::NAMES,
            WeightingLevel::parse,
        )
    });
    let factor = d.req(&m, "factor", Dec::text);
    let weight = d.req(&m, "weight", |d, y, f| {
        d.vocab(y, f, "weight", Weight::NAMES, Weight::parse)
    });
    let rationale = d.opt(&m, "rationale", Dec::text);
    Some(WeightingFactor {
        loc: m.loc,
        level,
        factor: factor?,
        weight,
        rationale,
    })
}
