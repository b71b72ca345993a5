//! Rules: `related-contexts`: contexts that share children know of each
//! other.

use super::Ctx;
use crate::diagnostic::Diagnostic;
use crate::model::{Context, YoungPerson};
use crate::rule_id::RuleId;
use std::collections::BTreeMap;

/// Whether `c` is open today and `y` linked to it today.
fn linked_today(ctx: &Ctx, c: &Context, y: &YoungPerson) -> bool {
    let opened = c.opened.as_ref().is_some_and(|o| o.value <= ctx.today);
    opened && !c.closed_by(ctx.today) && y.linked_during(c, ctx.today, ctx.today)
}

/// Whether either context lists the other under `related_contexts:`.
fn related(a: &Context, b: &Context) -> bool {
    a.related.iter().any(|r| r.context.value == b.id)
        || b.related.iter().any(|r| r.context.value == a.id)
}

/// `related-contexts`: the conference is to "intervene effectively across
/// associated peer groups, schools and public spaces" (Aims). Two open
/// contexts with a child linked to both today are associated; when neither
/// lists the other under `related_contexts:`, the link is known only from
/// the children. One warning per pair, at the first shared child's entry in
/// the later context.
pub(super) fn related_contexts(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let contexts = &ctx.casebook.contexts;
    // ref -> (context index, entry), for children linked today.
    let mut by_ref: BTreeMap<&str, Vec<(usize, &YoungPerson)>> = BTreeMap::new();
    for (i, c) in contexts.iter().enumerate() {
        for y in c.young_people.iter().filter(|y| linked_today(ctx, c, y)) {
            by_ref.entry(&y.reference.value).or_default().push((i, y));
        }
    }
    // (earlier, later) -> the shared refs and the later context's first entry.
    let mut pairs: BTreeMap<(usize, usize), (Vec<&str>, &YoungPerson)> = BTreeMap::new();
    for (reference, links) in &by_ref {
        for (n, &(a, _)) in links.iter().enumerate() {
            for &(b, entry) in &links[n + 1..] {
                if a == b || related(&contexts[a], &contexts[b]) {
                    continue;
                }
                let shared = pairs.entry((a, b)).or_insert_with(|| (Vec::new(), entry));
                if !shared.0.contains(reference) {
                    shared.0.push(reference);
                }
                if entry.reference.loc.line < shared.1.reference.loc.line {
                    shared.1 = entry;
                }
            }
        }
    }
    for ((a, b), (refs, entry)) in pairs {
        let (earlier, later) = (&contexts[a], &contexts[b]);
        let listed: Vec<String> = refs.iter().map(|r| format!("`{r}`")).collect();
        out.push(
            ctx.diag(
                RuleId::RelatedContexts,
                entry.reference.loc,
                format!(
                    "`{}` and `{}` share {} {}, and neither lists the other in `related_contexts:`",
                    later.id,
                    earlier.id,
                    crate::text::count(refs.len(), "young person", "young people"),
                    crate::text::join_and(&listed)
                ),
            )
            .with_help(format!(
                "add `related_contexts: [{{ context: {}, relation: <how they relate> }}]` to this \
                 context.yaml (meets-at, attends, lives-near, online-space-of, or words of your own), \
                 so that each conference sees the other",
                earlier.id
            )),
        );
    }
}
