//! One child, several contexts: a young person is defined once (ref, name,
//! and `born` or `age`) in one context's `young_people:`, and linked from any
//! other context by `ref` and `role` alone. This fills each link in from its
//! definition, so every document and every count sees the same child.
//!
//! Two definitions that disagree are the rules' to report (`reference`, at
//! both places); a link with no definition anywhere is reported here, as the
//! entry cannot be kept without a name.

use crate::diagnostic::Diagnostic;
use crate::model::{Context, YoungPerson};
use crate::rule_id::RuleId;
use std::collections::HashMap;

/// Fills in every link from the first definition of its ref (in folder
/// order), and drops, with a diagnostic, links that no context defines.
pub fn resolve(contexts: &mut [Context], diags: &mut Vec<Diagnostic>) {
    let mut definitions: HashMap<String, (String, YoungPerson)> = HashMap::new();
    for c in contexts.iter() {
        for y in c.young_people.iter().filter(|y| y.defined_in.is_none()) {
            definitions
                .entry(y.reference.value.clone())
                .or_insert_with(|| (c.id.clone(), y.clone()));
        }
    }
    for c in contexts.iter_mut() {
        let id = c.id.clone();
        c.young_people.retain_mut(|y| {
            if y.defined_in.is_none() {
                return true;
            }
            match definitions.get(&y.reference.value) {
                Some((home, d)) if *home != id => {
                    y.name = d.name.clone();
                    y.age = d.age.clone();
                    y.born = d.born.clone();
                    y.defined_in = Some(home.clone());
                    true
                }
                _ => {
                    diags.push(undefined(y, &id));
                    false
                }
            }
        });
    }
}

fn undefined(y: &YoungPerson, context: &str) -> Diagnostic {
    Diagnostic::new(
        RuleId::Reference,
        y.reference.loc,
        format!(
            "young person `{}` is linked to `{context}` by `ref` alone, and no other context defines them",
            y.reference.value
        ),
    )
    .with_help(
        "give their `name` and `born: YYYY-MM` (or `age`) here; other contexts then link the same child by `ref` and `role` alone"
            .to_string(),
    )
}
