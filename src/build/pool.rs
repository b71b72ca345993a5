//! The threads that render documents: the workers of a rayon pool of their
//! own, each running one loop that takes the next document.
//!
//! typst lays out pages with rayon and krilla compresses each page on a
//! rayon job it then waits for. Two rules follow:
//!
//! - A document must never be a rayon job. A worker waiting inside one
//!   document's export steals whatever job is queued; if that were the next
//!   whole document, it would be rendered on top of the first one's stack,
//!   and so on until the stack overflows (84 documents deep at 40 contexts).
//!   Here each worker runs [`run`]'s loop as a broadcast job, which only
//!   that worker can take, and the loop takes documents by index from a
//!   counter: the only jobs a waiting worker can steal are typst's and
//!   krilla's own small ones.
//! - typst's jobs should run on the thread that rendered them. A document
//!   rendered on a thread outside rayon hands each of them to rayon's global
//!   workers and sleeps until they finish: on two cores that is two render
//!   threads and two rayon workers waking each other, spinning and
//!   yielding (18,000 `sched_yield` calls for a 100-context build).
//!   Rendered on a worker of this pool, krilla's page job is pushed on the
//!   worker's own queue and run by the same worker when it waits.

use std::cell::Cell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Stack of each render thread. typst lays out nested content recursively;
/// 64 MiB is far beyond any record's depth (the loader caps nesting) and
/// costs only address space until used.
const STACK: usize = 64 << 20;

/// How many documents render at once: one per core.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

thread_local! {
    /// Whether this thread is inside `work` for an item: a second item
    /// started under it would be the nesting this module exists to prevent.
    static IN_ITEM: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work` on every item, on [`workers`] threads of a pool of its own,
/// and returns the results in the items' order. Items are taken in order,
/// so work that benefits from what an earlier item left in typst's cache
/// should come after it in the same item.
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
            let nested = IN_ITEM.with(|flag| flag.replace(true));
            assert!(
                !nested,
                "a document started inside another document's render"
            );
            let result = work(item);
            IN_ITEM.with(|flag| flag.set(false));
            let mut slots = results.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(slot) = slots.get_mut(at) {
                *slot = Some(result);
            }
        }
    };
    let threads = workers().min(count).max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(STACK)
        .thread_name(|i| format!("contextpack-render-{i}"))
        .build();
    match pool {
        Ok(pool) => {
            pool.broadcast(|_| drain());
        }
        // Could not start the threads (out of resources): this thread
        // takes the work. Never a rayon worker's, so nothing nests.
        Err(_) => drain(),
    }
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

    /// Work that waits on rayon jobs, as typst's layout and krilla's export
    /// do, never has another item started on its stack: the assertion in
    /// `run` would panic, and each item sees itself alone on its thread.
    #[test]
    fn an_item_waiting_on_rayon_never_takes_another_item() {
        let items: Vec<usize> = (0..64).collect();
        let depths = run(items, |i| {
            let (a, b) = rayon::join(
                || (0..2000u64).map(|x| x * i as u64).sum::<u64>(),
                || {
                    let (tx, rx) = std::sync::mpsc::channel();
                    rayon::spawn(move || tx.send(7u64).unwrap_or(()));
                    while let Some(rayon::Yield::Executed) = rayon::yield_now() {}
                    rx.recv().unwrap_or(0)
                },
            );
            assert!(a > 0 || i == 0);
            assert_eq!(b, 7);
            IN_ITEM.with(Cell::get)
        });
        assert_eq!(depths.len(), 64);
        assert!(depths.iter().all(|inside| *inside));
    }

    #[test]
    fn work_runs_on_a_pool_of_its_own() {
        let items: Vec<usize> = (0..8).collect();
        let global = rayon::current_num_threads();
        let pools = run(items, |_| {
            rayon::current_thread_index().is_some() && rayon::current_num_threads() <= workers()
        });
        assert!(pools.iter().all(|own| *own), "global pool has {global}");
    }
}
