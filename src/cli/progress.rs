//! What `build` says while it works. On a terminal: one line redrawn in
//! place, with a bar, a count and the time left while documents render.
//! Piped, or with `CI` set: one plain line per phase and no animation, so
//! a log reads well. `--quiet`: nothing but problems and the closing line.

use crate::build::Event;
use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A bar redrawn in place on stderr.
    Animated,
    /// A line per phase.
    Plain,
    /// Nothing.
    Quiet,
}

impl Style {
    /// Animated only on a terminal outside CI; plain otherwise.
    pub fn detect(quiet: bool) -> Style {
        if quiet {
            Style::Quiet
        } else if io::stderr().is_terminal() && std::env::var_os("CI").is_none() {
            Style::Animated
        } else {
            Style::Plain
        }
    }
}

pub struct Reporter {
    style: Style,
    started: Instant,
    state: Mutex<State>,
}

struct State {
    render_started: Instant,
    last_drawn: Option<Instant>,
    drawn: bool,
}

impl Reporter {
    pub fn new(style: Style) -> Self {
        let now = Instant::now();
        Reporter {
            style,
            started: now,
            state: Mutex::new(State {
                render_started: now,
                last_drawn: None,
                drawn: false,
            }),
        }
    }

    /// How many documents were rendered and how many were unchanged.
    pub fn done(&self, rendered: usize, reused: usize) {
        if self.style != Style::Quiet {
            let _ = writeln!(
                io::stderr(),
                "build: rendered {rendered} documents, {reused} unchanged since the last build ({:.1} s)",
                self.started.elapsed().as_secs_f64()
            );
        }
    }

    pub fn event(&self, event: Event) {
        if self.style == Style::Quiet {
            return;
        }
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match event {
            Event::Loading => {
                if self.style == Style::Plain {
                    let _ = writeln!(io::stderr(), "build: loading and checking the records");
                }
            }
            // The command line prints the diagnostics itself.
            Event::Checked(_) => {}
            Event::Rendering { total } => {
                state.render_started = Instant::now();
                if self.style == Style::Plain {
                    let _ = writeln!(io::stderr(), "build: rendering {total} documents");
                }
            }
            Event::Document { done, total } => {
                if self.style != Style::Animated {
                    return;
                }
                let now = Instant::now();
                let due = state
                    .last_drawn
                    .is_none_or(|t| now - t >= Duration::from_millis(100));
                if due || done == total {
                    state.last_drawn = Some(now);
                    state.drawn = true;
                    let line = bar(done, total, now - state.render_started);
                    let _ = write!(io::stderr(), "\r\x1b[K{line}");
                }
            }
            Event::Summaries | Event::Writing => {
                let text = if matches!(event, Event::Summaries) {
                    "making the summaries, dashboard and calendar"
                } else {
                    "writing the output"
                };
                match self.style {
                    Style::Animated => {
                        state.drawn = true;
                        let _ = write!(io::stderr(), "\r\x1b[K{text}");
                    }
                    _ => {
                        let _ = writeln!(
                            io::stderr(),
                            "build: {text} ({:.1} s so far)",
                            self.started.elapsed().as_secs_f64()
                        );
                    }
                }
            }
        }
    }

    /// Clears the animated line, before the closing line is printed.
    pub fn finish(&self) {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if self.style == Style::Animated && state.drawn {
            let _ = write!(io::stderr(), "\r\x1b[K");
        }
    }
}

/// `rendering [=====>      ] 420/1479, 12 s left`.
fn bar(done: usize, total: usize, elapsed: Duration) -> String {
    const WIDTH: usize = 24;
    let filled = (done * WIDTH)
        .checked_div(total)
        .unwrap_or(WIDTH)
        .min(WIDTH);
    let mut bar = "=".repeat(filled);
    if filled < WIDTH {
        bar.push('>');
        bar.push_str(&" ".repeat(WIDTH - filled - 1));
    }
    let left = if done > 0 && done < total {
        let per = elapsed.as_secs_f64() / done as f64;
        format!(", {:.0} s left", per * (total - done) as f64)
    } else {
        String::new()
    };
    format!("rendering [{bar}] {done}/{total}{left}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_and_counts_down() {
        let half = bar(50, 100, Duration::from_secs(10));
        assert!(half.contains("] 50/100, 10 s left"), "{half}");
        assert!(
            bar(100, 100, Duration::from_secs(1))
                .starts_with("rendering [========================]")
        );
        assert!(bar(0, 0, Duration::ZERO).contains("0/0"));
    }
}
