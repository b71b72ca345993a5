//! `contextpack serve`: build, then serve the output folder on this
//! computer alone (127.0.0.1), rebuild whenever a record changes, and have
//! every open page reload itself after a rebuild, or show the findings of
//! a build that failed.
//!
//! The rebuild is `build`'s own, incremental: an edit renders again only
//! the documents it changes. The pages are served as `build` wrote them,
//! with one script added to each HTML page as it is sent (never to the
//! files): it waits on the server for the next build and reloads, or lays
//! the findings over the page as text.

mod http;

use crate::build::Event;
use crate::build::command::{self, Request, Stopped, Unstarted};
use crate::model::Date;
use crate::report::human;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// What the pages learn of the last build.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Status {
    /// Counts the builds, so a page knows when it is stale.
    pub generation: u64,
    /// Whether the last build wrote the documents of every context.
    pub ok: bool,
    /// What went wrong, as `check` prints it (plain text); empty when ok.
    pub report: String,
}

/// The status and a way to wait for it to change.
#[derive(Default)]
pub struct Shared {
    status: Mutex<Status>,
    changed: Condvar,
}

impl Shared {
    pub fn get(&self) -> Status {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn set(&self, ok: bool, report: String) {
        if let Ok(mut s) = self.status.lock() {
            s.generation += 1;
            s.ok = ok;
            s.report = report;
        }
        self.changed.notify_all();
    }

    /// The status once its generation is past `since`, or after `wait`.
    pub fn after(&self, since: u64, wait: Duration) -> Status {
        let Ok(guard) = self.status.lock() else {
            return Status::default();
        };
        let guard = self
            .changed
            .wait_timeout_while(guard, wait, |s| s.generation <= since)
            .map(|(g, _)| g);
        guard.map(|g| g.clone()).unwrap_or_default()
    }
}

pub struct Options<'a> {
    pub casebook: &'a Path,
    pub out: Option<&'a Path>,
    pub today: Option<Date>,
    /// 0 for any free port.
    pub port: u16,
}

/// Serves until the process is stopped. Errors that stop it before it
/// starts (no casebook, the port taken) come back as text.
pub fn run(options: &Options, announce: impl Fn(&str)) -> Result<(), String> {
    let casebook = std::fs::canonicalize(options.casebook)
        .map_err(|e| format!("`{}`: {e}", options.casebook.display()))?;
    let shared = Arc::new(Shared::default());
    let out = build_once(&casebook, options, &shared)?;
    let server = http::Server::bind(options.port, out.clone(), shared.clone())?;
    announce(&format!(
        "serving {} at http://{}/ (this computer only); watching {} for changes; Ctrl-C stops",
        out.display(),
        server.address(),
        casebook.display()
    ));
    std::thread::spawn(move || server.serve());
    watch(&casebook, &out, options, &shared, &announce)
}

/// One build, its outcome told to the pages; the output folder.
fn build_once(casebook: &Path, options: &Options, shared: &Shared) -> Result<PathBuf, String> {
    let request = Request {
        casebook,
        out: options.out,
        today: options.today,
        // Every context that checks clean is rendered; the pages show what
        // holds the others back.
        keep_going: true,
        reissue: &[],
    };
    let quiet = |_: Event<'_>| {};
    let outcome = match command::run(&request, Some(&quiet)) {
        Ok(outcome) => outcome,
        Err(Unstarted::Casebook(e)) => return Err(e.to_string()),
        Err(Unstarted::Output(e)) => return Err(e.to_string()),
    };
    let checked = &outcome.checked;
    let failing: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| !d.is_explained() && d.kind != crate::diagnostic::Kind::Warning)
        .cloned()
        .collect();
    let mut report = human::render_each(&failing, &checked.casebook.sources, false);
    let ok = match &outcome.result {
        Ok(_) => outcome.gate.all_clear(),
        Err(Stopped::HeldBack) => false,
        Err(Stopped::Failed(e)) => {
            report.push_str(&format!("the build failed: {e}\n"));
            false
        }
    };
    shared.set(ok, report);
    Ok(outcome.target.out)
}

/// Rebuilds after each change to the casebook's files, a burst of changes
/// (an editor's save, a `git checkout`) taken as one.
fn watch(
    casebook: &Path,
    out: &Path,
    options: &Options,
    shared: &Shared,
    announce: &impl Fn(&str),
) -> Result<(), String> {
    use notify::Watcher;
    let (send, changes) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(send).map_err(|e| e.to_string())?;
    watcher
        .watch(casebook, notify::RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch `{}`: {e}", casebook.display()))?;
    let out = std::fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf());
    // A build reads every record: reading is not a change.
    let relevant = |event: &notify::Result<notify::Event>| match event {
        Ok(e) => {
            use notify::EventKind::{Create, Modify, Remove};
            let writes = matches!(e.kind, Create(_) | Remove(_))
                || matches!(e.kind, Modify(m) if !matches!(m, notify::event::ModifyKind::Metadata(_)));
            writes && e.paths.iter().any(|p| is_record_change(casebook, &out, p))
        }
        Err(_) => false,
    };
    while let Ok(event) = changes.recv() {
        if !relevant(&event) {
            continue;
        }
        // Let the burst settle.
        while changes.recv_timeout(Duration::from_millis(200)).is_ok() {}
        match build_once(casebook, options, shared) {
            Ok(_) => {
                let s = shared.get();
                announce(if s.ok {
                    "rebuilt"
                } else {
                    "rebuilt what checks clean; the pages show what is wrong"
                });
            }
            Err(why) => {
                shared.set(false, format!("{why}\n"));
                announce(&format!("cannot build: {why}"));
            }
        }
    }
    Ok(())
}

/// Whether a change at `path` can change what is built: not in the output
/// folder, its staging folders or `.git`, and not a hidden file.
fn is_record_change(casebook: &Path, out: &Path, path: &Path) -> bool {
    if path.starts_with(out) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(casebook) else {
        return false;
    };
    // The casebook folder itself changes as the output folder is swapped.
    rel.components().next().is_some()
        && !rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changes_to_records_rebuild() {
        let cb = Path::new("/cb");
        let out = Path::new("/cb/output");
        assert!(is_record_change(
            cb,
            out,
            Path::new("/cb/cases/quay/plan.yaml")
        ));
        assert!(is_record_change(cb, out, Path::new("/cb/contextpack.yaml")));
        assert!(!is_record_change(
            cb,
            out,
            Path::new("/cb/output/index.html")
        ));
        assert!(!is_record_change(
            cb,
            out,
            Path::new("/cb/.output-tmp-1/x.pdf")
        ));
        assert!(!is_record_change(cb, out, Path::new("/cb/.git/index")));
        assert!(!is_record_change(
            cb,
            out,
            Path::new("/cb/cases/quay/.plan.yaml.swp")
        ));
        assert!(!is_record_change(cb, out, Path::new("/elsewhere/x")));
        assert!(!is_record_change(cb, out, Path::new("/cb")));
    }

    #[test]
    fn a_page_waiting_hears_of_the_next_build() {
        let shared = Arc::new(Shared::default());
        let waiting = {
            let shared = shared.clone();
            std::thread::spawn(move || shared.after(0, Duration::from_secs(30)))
        };
        std::thread::sleep(Duration::from_millis(50));
        shared.set(false, "error[schema]: ...".into());
        let seen = waiting.join().unwrap();
        assert_eq!((seen.generation, seen.ok), (1, false));
        assert_eq!(shared.after(1, Duration::from_millis(10)).generation, 1);
    }
}
