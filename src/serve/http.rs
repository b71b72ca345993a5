//! The server: the output folder's files on 127.0.0.1, a script added to
//! each HTML page as it is sent, and the build's status for that script.
//!
//! Only this computer can connect, and only under its own names: a request
//! whose `Host` is another name is refused, so a web page elsewhere cannot
//! reach the records through a name it points at 127.0.0.1 (DNS
//! rebinding). Only files inside the output folder are sent.

use super::Shared;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Request, Response, StatusCode};

const STATUS: &str = "/__contextpack/status";
const SCRIPT: &str = "/__contextpack/reload.js";

/// Waits for the next build, then reloads the page; lays the findings of
/// a failed build over it, as text.
const RELOAD_JS: &str = r#"(function () {
  var seen = -1;
  function show(status) {
    var old = document.getElementById("contextpack-problems");
    if (old) { old.remove(); }
    if (status.ok) { return; }
    var box = document.createElement("div");
    box.id = "contextpack-problems";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60%;overflow:auto;" +
      "background:#fff8f0;color:#3d1d00;border-top:3px solid #b45309;padding:1em;z-index:99999;" +
      "font:13px/1.45 ui-monospace,monospace;white-space:pre-wrap;";
    var title = document.createElement("strong");
    title.textContent = "The last build held records back: these pages may be out of date.\n\n";
    var text = document.createElement("span");
    text.textContent = status.report;
    box.appendChild(title);
    box.appendChild(text);
    document.body.appendChild(box);
  }
  function poll() {
    fetch("/__contextpack/status?since=" + seen + "&wait=20", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (status) {
        if (seen >= 0 && status.generation !== seen) { location.reload(); return; }
        seen = status.generation;
        show(status);
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"#;

pub struct Server {
    inner: tiny_http::Server,
    out: PathBuf,
    shared: Arc<Shared>,
    port: u16,
}

impl Server {
    pub fn bind(port: u16, out: PathBuf, shared: Arc<Shared>) -> Result<Server, String> {
        let inner = tiny_http::Server::http(("127.0.0.1", port))
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        let port = inner.server_addr().to_ip().map_or(port, |a| a.port());
        Ok(Server {
            inner,
            out,
            shared,
            port,
        })
    }

    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Answers requests until the process ends, each on a thread of its
    /// own: a page waiting for the next build holds its request open.
    pub fn serve(self) {
        let this = Arc::new(self);
        for request in this.inner.incoming_requests() {
            let this = this.clone();
            std::thread::spawn(move || this.answer(request));
        }
    }

    fn answer(&self, request: Request) {
        let response = if !self.own_host(&request) {
            text(403, "this server answers only to 127.0.0.1 and localhost")
        } else {
            let url = request.url().to_string();
            let (path, query) = url.split_once('?').unwrap_or((&url, ""));
            match path {
                STATUS => self.status(query),
                SCRIPT => with_type(Response::from_string(RELOAD_JS), "text/javascript"),
                _ => self.file(path),
            }
        };
        let _ = request.respond(response);
    }

    fn own_host(&self, request: &Request) -> bool {
        let host = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str().to_ascii_lowercase());
        let port = self.port.to_string();
        match host.as_deref().map(|h| h.rsplit_once(':')) {
            Some(Some((name, p))) => p == port && (name == "127.0.0.1" || name == "localhost"),
            _ => false,
        }
    }

    fn status(&self, query: &str) -> Response<std::io::Cursor<Vec<u8>>> {
        let number = |key: &str| {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
                .and_then(|v| v.parse::<i64>().ok())
        };
        let status = match number("since") {
            Some(since) if since >= 0 => {
                let wait = number("wait").unwrap_or(0).clamp(0, 60) as u64;
                self.shared.after(since as u64, Duration::from_secs(wait))
            }
            _ => self.shared.get(),
        };
        let json = serde_json::to_string(&status).unwrap_or_else(|_| "{}".into());
        with_type(Response::from_string(json), "application/json")
    }

    fn file(&self, path: &str) -> Response<std::io::Cursor<Vec<u8>>> {
        let Some(rel) = safe_path(path) else {
            return text(404, "not found");
        };
        let mut full = self.out.join(&rel);
        if full.is_dir() {
            full = full.join("index.html");
        }
        let inside = std::fs::canonicalize(&full)
            .ok()
            .zip(std::fs::canonicalize(&self.out).ok())
            .is_some_and(|(f, out)| f.starts_with(out));
        let bytes = match inside.then(|| std::fs::read(&full)).transpose() {
            Ok(Some(bytes)) => bytes,
            _ if rel.as_os_str().is_empty() || rel == Path::new("index.html") => {
                // Nothing built yet: a page that shows why, and reloads.
                return html(with_script(NOTHING_YET.as_bytes().to_vec()));
            }
            _ => return text(404, "not found"),
        };
        match full.extension().and_then(|e| e.to_str()) {
            Some("html") => html(with_script(bytes)),
            ext => with_type(Response::from_data(bytes), content_type(ext)),
        }
    }
}

const NOTHING_YET: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>contextpack: nothing built yet</title></head><body style=\"font-family:sans-serif\">\
<h1>Nothing is built yet</h1><p>No context checks clean, so there is nothing to show. \
What holds the records back is listed below; this page reloads itself when they are \
put right.</p></body></html>";

/// The path of a request as a relative path with normal parts only.
fn safe_path(path: &str) -> Option<PathBuf> {
    let decoded = crate::text::percent_decoded(path.trim_start_matches('/'));
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let rel = PathBuf::from(decoded);
    rel.components()
        .all(|c| matches!(c, Component::Normal(n) if !n.to_string_lossy().starts_with('.')))
        .then_some(rel)
}

/// The page with the reload script before `</body>`.
fn with_script(mut page: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT}\"></script>");
    let at = page
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(page.len());
    page.splice(at..at, tag.into_bytes());
    page
}

fn content_type(ext: Option<&str>) -> &'static str {
    match ext {
        Some("css") => "text/css",
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("svg") => "image/svg+xml",
        Some("csv") => "text/csv; charset=utf-8",
        Some("json") => "application/json",
        Some("ics") => "text/calendar; charset=utf-8",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("js") => "text/javascript",
        _ => "application/octet-stream",
    }
}

fn with_type<R: std::io::Read>(response: Response<R>, kind: &str) -> Response<R> {
    let header = Header::from_bytes(&b"Content-Type"[..], kind.as_bytes())
        .unwrap_or_else(|()| unreachable!("a fixed header"));
    let no_store = Header::from_bytes(&b"Cache-Control"[..], &b"no-store"[..])
        .unwrap_or_else(|()| unreachable!("a fixed header"));
    response.with_header(header).with_header(no_store)
}

fn html(page: Vec<u8>) -> Response<std::io::Cursor<Vec<u8>>> {
    with_type(Response::from_data(page), "text/html; charset=utf-8")
}

fn text(code: u16, message: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    with_type(
        Response::from_string(message).with_status_code(StatusCode(code)),
        "text/plain; charset=utf-8",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_inside_the_output_are_served() {
        assert_eq!(
            safe_path("/restricted/x/plan.pdf"),
            Some(PathBuf::from("restricted/x/plan.pdf"))
        );
        assert_eq!(safe_path("/a%20b.html"), Some(PathBuf::from("a b.html")));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/.git/config",
            "/a/%00",
            "/a\\b",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let page = with_script(b"<html><body><p>x</p></body></html>".to_vec());
        let page = String::from_utf8(page).unwrap();
        assert!(page.ends_with("<script src=\"/__contextpack/reload.js\"></script></body></html>"));
    }
}
