//! `contextpack serve`: a page open in headless Chromium reloads itself
//! when a record changes, and shows the findings when a build fails.

use crate::common::{TODAY, TestCasebook};
use crate::dashboard::chromium;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server, stopped when dropped.
struct Serving {
    child: Child,
    address: String,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(cb: &TestCasebook) -> Serving {
    let mut child = Command::new(env!("CARGO_BIN_EXE_contextpack"))
        .args(["serve", "--port", "0", "--today", TODAY, "--casebook"])
        .arg(cb.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("serve says where").expect("a line");
    // Keep reading, so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    let address = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    assert!(address.starts_with("127.0.0.1:"), "{first}");
    Serving { child, address }
}

/// GET `path` from a server on this computer, as `host`: the status line
/// and the body (of `Content-Length` bytes, or to the end).
fn get(address: &str, host: &str, path: &str) -> (String, String) {
    let Ok(mut stream) = std::net::TcpStream::connect(address) else {
        return (String::new(), String::new());
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return (String::new(), String::new());
    }
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    let _ = reader.read_line(&mut status);
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            let _ = reader.read_exact(&mut body);
        }
        None => {
            let _ = reader.read_to_end(&mut body);
        }
    }
    (
        status.trim().to_string(),
        String::from_utf8_lossy(&body).into_owned(),
    )
}

fn status(s: &Serving) -> serde_json::Value {
    let (_, body) = get(&s.address, &s.address, "/__contextpack/status");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn wait_for(s: &Serving, what: &str, done: impl Fn(&serde_json::Value) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if done(&status(s)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("serve did not {what} within two minutes: {}", status(s));
}

#[test]
fn serves_this_computer_only_and_nothing_outside_the_output() {
    let cb = TestCasebook::clean();
    let s = serve(&cb);
    let (line, body) = get(&s.address, &s.address, "/");
    assert!(line.contains("200"), "{line}");
    assert!(body.contains("<script src=\"/__contextpack/reload.js\"></script></body>"));
    // The files on disk have no script: only what is sent.
    let on_disk = cb.read("output/index.html");
    assert!(!on_disk.contains("__contextpack"), "the output was changed");
    // Another name for this computer (DNS rebinding) is refused.
    let (line, _) = get(&s.address, "attacker.example", "/");
    assert!(line.contains("403"), "{line}");
    for path in [
        "/../contextpack.yaml",
        "/%2e%2e/contextpack.yaml",
        "/.git/config",
    ] {
        let (line, body) = get(&s.address, &s.address, path);
        assert!(line.contains("404"), "{path}: {line}");
        assert!(!body.contains("partnership"), "{path}: {body}");
    }
}

/// Headless Chromium with an open page, driven over the DevTools protocol:
/// what a person sees is asked of the page as it is, reloads included.
struct Browser {
    child: Child,
    page: tungstenite::WebSocket<std::net::TcpStream>,
    next: u64,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn open(browser: &std::path::Path, url: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(browser)
            .args(crate::dashboard::HEADLESS)
            .arg("--remote-debugging-port=0")
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(url)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromium");
        let port_file = profile.path().join("DevToolsActivePort");
        let deadline = Instant::now() + Duration::from_secs(60);
        let port = loop {
            if let Some(port) = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|t| t.lines().next().map(str::to_string))
                .filter(|p| !p.is_empty())
            {
                break port;
            }
            assert!(Instant::now() < deadline, "chromium did not start");
            std::thread::sleep(Duration::from_millis(100));
        };
        let devtools = format!("127.0.0.1:{port}");
        let ws = loop {
            let (_, list) = get(&devtools, &devtools, "/json/list");
            let targets: serde_json::Value = serde_json::from_str(&list).unwrap_or_default();
            let page = targets.as_array().and_then(|t| {
                t.iter()
                    .find(|t| t["type"] == "page")
                    .and_then(|t| t["webSocketDebuggerUrl"].as_str().map(str::to_string))
            });
            if let Some(ws) = page {
                break ws;
            }
            assert!(Instant::now() < deadline, "chromium opened no page");
            std::thread::sleep(Duration::from_millis(100));
        };
        let stream = std::net::TcpStream::connect(&devtools).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let (page, _) = tungstenite::client(ws.as_str(), stream).expect("connect to the page");
        Browser {
            child,
            page,
            next: 1,
            _profile: profile,
        }
    }

    /// The value of a JavaScript expression in the page.
    fn eval(&mut self, expression: &str) -> serde_json::Value {
        let id = self.next;
        self.next += 1;
        let call = serde_json::json!({
            "id": id,
            "method": "Runtime.evaluate",
            "params": { "expression": expression, "returnByValue": true },
        });
        self.page
            .send(tungstenite::Message::Text(call.to_string().into()))
            .unwrap();
        loop {
            let message = self.page.read().expect("the page answers");
            let Ok(text) = message.into_text() else {
                continue;
            };
            let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            if v["id"] == id {
                return v["result"]["result"]["value"].clone();
            }
        }
    }

    /// Waits until `expression` is true in the page.
    fn until(&mut self, what: &str, expression: &str) {
        let deadline = Instant::now() + Duration::from_secs(120);
        while Instant::now() < deadline {
            if self.eval(expression) == serde_json::Value::Bool(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        let body = self.eval("document.body ? document.body.innerText : ''");
        panic!("the page did not {what} within two minutes:\n{body}");
    }
}

#[test]
fn an_open_page_reloads_after_an_edit_and_shows_a_failed_build() {
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED: no chromium on PATH (.ci/run installs it)");
        return;
    };
    let cb = TestCasebook::clean();
    let s = serve(&cb);
    wait_for(&s, "build", |st| st["generation"] == 1 && st["ok"] == true);
    let mut page = Browser::open(&browser, &format!("http://{}/index.html", s.address));
    page.until(
        "show the dashboard",
        "document.body.innerText.includes('Harbour Walk and the Quay Steps')",
    );
    // A mark that a reload wipes away.
    page.eval("window.stillTheSamePage = true");

    // The author renames the context; the open page reloads by itself.
    cb.edit(
        "cases/harbour-walk/context.yaml",
        "title: Harbour Walk and the Quay Steps",
        "title: Harbour Walk after the lighting",
    );
    page.until(
        "reload with the new title",
        "document.body.innerText.includes('Harbour Walk after the lighting')",
    );
    assert_eq!(
        page.eval("window.stillTheSamePage === true"),
        serde_json::json!(false)
    );

    // A broken record: the build holds the context back, and the page
    // says why, as text laid over it (record text never becomes markup).
    cb.edit(
        "cases/harbour-walk/context.yaml",
        "type: neighbourhood",
        "type: <b>skool</b>",
    );
    page.until(
        "show the failed build",
        "!!document.getElementById('contextpack-problems')",
    );
    let shown = page.eval("document.getElementById('contextpack-problems').innerText");
    let shown = shown.as_str().unwrap();
    assert!(
        shown.contains("unknown context type `<b>skool</b>`"),
        "{shown}"
    );
    assert!(
        shown.contains("cases/harbour-walk/context.yaml:1:7"),
        "{shown}"
    );
    assert_eq!(
        page.eval("document.querySelectorAll('#contextpack-problems b').length"),
        serde_json::json!(0)
    );

    // Put right: the findings go.
    cb.edit(
        "cases/harbour-walk/context.yaml",
        "type: <b>skool</b>",
        "type: neighbourhood",
    );
    page.until(
        "clear the findings",
        "!document.getElementById('contextpack-problems')",
    );
}
