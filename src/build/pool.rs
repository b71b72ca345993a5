//! The threads that render documents: plain threads of our own, never
//! rayon's.
//!
//! typst's PDF export (krilla) calls into rayon and, while it waits, a rayon
//! worker steals whatever job is queued: if the document loop were itself a
//! rayon job, that would be the next whole document, rendered on top of the
//! first one's stack, and so on until the stack overflows (84 documents deep
//! at 40 contexts). A document started on a thread of this pool can only
//! block while rayon's own workers run typst's small jobs, so at most
//! [`workers`] documents are in flight and each has a known stack.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Stack of each render thread. typst lays out nested content recursively;
/// 64 MiB is far beyond any record's depth (the loader caps nesting) and
/// costs only address space until used.
const STACK: usize = 64 << 20;

/// How many documents render at once: one per core, as typst itself
/// parallelises little inside one document.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs `work` on every item, on [`workers`] threads of its own, and returns
/// the results in the items' order. Items are taken in order, so work that
/// benefits from what an earlier item left in typst's cache should come
/// after it in the same item.
pub fn run<T: Send, R: Send>(items: Vec<T>, work: impl Fn(T) -> R + Sync) -> Vec<R> {
    let count = items.len();
    let items: Vec<Mutex<Option<T>>> = items.into_iter().map(|i| Mutex::new(Some(i))).collect();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..count).map(|_| None).collect());
    let drain = || {
        loop {
            let at = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = items.get(at) else { break };
            // Each index is taken by exactly one thread.
            let Some(item) = slot.lock().unwrap_or_else(|e| e.into_inner()).take() else {
                continue;
            };
            let result = work(item);
            let mut slots = results.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(slot) = slots.get_mut(at) {
                *slot = Some(result);
            }
        }
    };
    let threads = workers().min(count).max(1);
    std::thread::scope(|scope| {
        for i in 0..threads {
            let spawned = std::thread::Builder::new()
                .name(format!("contextpack-render-{i}"))
                .stack_size(STACK)
                .spawn_scoped(scope, drain);
            // Could not start a thread (out of resources): the ones that
            // did start take the work, or this thread below.
            if spawned.is_err() {
                break;
            }
        }
    });
    drain();
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order() {
        let items: Vec<usize> = (0..100).collect();
        let out = run(items, |i| i * 2);
        assert_eq!(out, (0..100).map(|i| i * 2).collect::<Vec<_>>());
        assert!(run(Vec::<usize>::new(), |i| i).is_empty());
    }

    #[test]
    fn work_never_runs_on_a_rayon_worker() {
        let items: Vec<usize> = (0..8).collect();
        let on_rayon = run(items, |_| rayon::current_thread_index().is_some());
        assert!(on_rayon.iter().all(|r| !r));
    }
}
