//! `contextpack lsp`, driven as an editor drives it: JSON-RPC messages with
//! `Content-Length` headers on the binary's stdin and stdout.

use crate::common::TestCasebook;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(cb: &TestCasebook) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_contextpack"))
            .args(["lsp", "--today", crate::common::TODAY])
            .current_dir(cb.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the language server");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                if send.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its answer.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let answer = self.wait(|m| m["id"] == json!(id));
        assert!(answer.get("error").is_none(), "{answer}");
        answer["result"].clone()
    }

    /// The next message that `wanted` accepts, skipping others.
    fn wait(&self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let m = self
                .messages
                .recv_timeout(Duration::from_secs(60))
                .expect("the server answers within a minute");
            if wanted(&m) {
                return m;
            }
        }
    }

    /// The next findings published for `uri`.
    fn diagnostics(&self, uri: &str) -> Vec<Value> {
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }
}

fn uri(cb: &TestCasebook, rel: &str) -> String {
    let path = std::fs::canonicalize(cb.path()).unwrap().join(rel);
    format!("file://{}", path.display())
}

/// The labels of a completion answer.
fn labels_of(completion: &Value) -> Vec<String> {
    completion
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

/// The position of the first occurrence of `needle` in `text`, plus `shift`
/// characters (ASCII text).
fn position(text: &str, needle: &str, shift: usize) -> Value {
    let at = text.find(needle).unwrap() + shift;
    let line = text[..at].matches('\n').count();
    let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": column })
}

#[test]
fn an_editor_sees_findings_explanations_completions_definitions_and_fixes() {
    let cb = TestCasebook::clean();
    let mut client = Client::start(&cb);
    let root = uri(&cb, "");
    client.request(
        "initialize",
        json!({ "processId": null, "rootUri": root, "capabilities": {} }),
    );
    client.notify("initialized", json!({}));

    // The author opens the plan and writes a status as a heading would.
    let plan = uri(&cb, "cases/harbour-walk/plan.yaml");
    let text = cb
        .read("cases/harbour-walk/plan.yaml")
        .replacen("status: done", "status: Done", 1);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": plan, "languageId": "yaml", "version": 1, "text": text } }),
    );
    let found = client.diagnostics(&plan);
    let finding = found
        .iter()
        .find(|d| d["code"] == "schema")
        .unwrap_or_else(|| panic!("no schema finding: {found:#?}"))
        .clone();
    assert_eq!(finding["severity"], 1, "{finding}");
    assert_eq!(
        finding["range"]["start"],
        position(&text, "Done", 0),
        "{finding}"
    );
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.contains("unknown action status `Done`"),
        "{message}"
    );
    assert!(message.contains("did you mean `done`?"), "{message}");

    // Hover on it: the finding and what the rule is.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": plan }, "position": position(&text, "Done", 1) }),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("schema (error)"), "{shown}");
    assert!(shown.contains("How to put it right"), "{shown}");

    // Hover on a key: what the field holds.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": plan }, "position": position(&text, "measure:", 2) }),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.starts_with("**measure**: How its outcome is measured"),
        "{shown}"
    );

    // The quick fix writes what the help says.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": plan },
            "range": finding["range"],
            "context": { "diagnostics": [finding] },
        }),
    );
    let edit = &actions[0]["edit"]["changes"][&plan][0];
    assert_eq!(edit["newText"], "done", "{actions}");
    assert_eq!(actions[0]["title"], "Write `done`");

    // Completion of an owner's agency offers the casebook's agencies.
    let owner = "owner: { agency: community-safety";
    let completion = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": plan }, "position": position(&text, owner, 17) }),
    );
    let labels = labels_of(&completion);
    for id in ["csc", "police", "community-safety", "youth-service"] {
        assert!(labels.iter().any(|l| l == id), "{labels:?}");
    }

    // Go to definition of a person: their line in contextpack.yaml.
    let definition = client.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": plan }, "position": position(&text, "kim-davies", 3) }),
    );
    assert_eq!(
        definition["uri"],
        uri(&cb, "contextpack.yaml"),
        "{definition}"
    );
    let settings = cb.read("contextpack.yaml");
    assert_eq!(
        definition["range"]["start"]["line"],
        json!(
            settings[..settings.find("id: kim-davies").unwrap()]
                .matches('\n')
                .count()
        ),
    );

    // Put right as typed, unsaved: the finding goes.
    let fixed = text.replacen("status: Done", "status: done", 1);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": plan, "version": 2 },
            "contentChanges": [{ "text": fixed }],
        }),
    );
    assert_eq!(client.diagnostics(&plan), Vec::<Value>::new());
    // Nothing was saved: the file on disk is as it was.
    assert!(
        cb.read("cases/harbour-walk/plan.yaml")
            .contains("status: done")
    );

    // A meeting's front matter, in Markdown: a chair who is not in people:
    // is found as typed, and completion offers those who are.
    let minutes = "cases/harbour-walk/conferences/2026-09-09-review.md";
    let meeting_uri = uri(&cb, minutes);
    let meeting = cb
        .read(minutes)
        .replacen("chair: kim-davies", "chair: kim-davis", 1);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": meeting_uri, "languageId": "markdown", "version": 1, "text": meeting } }),
    );
    let found = client.diagnostics(&meeting_uri);
    let chair = found
        .iter()
        .find(|d| d["code"] == "reference")
        .unwrap_or_else(|| panic!("no reference finding: {found:#?}"));
    assert_eq!(
        chair["range"]["start"],
        position(&meeting, "kim-davis", 0),
        "{chair}"
    );
    assert!(
        chair["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `kim-davies`?"),
        "{chair}"
    );
    let completion = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": meeting_uri }, "position": position(&meeting, "kim-davis", 0) }),
    );
    let labels = labels_of(&completion);
    for id in ["kim-davies", "jo-smith"] {
        assert!(labels.iter().any(|l| l == id), "{labels:?}");
    }

    // A file opened with nothing wrong is told so (an empty list), so an
    // editor clears whatever it showed before.
    let settings_uri = uri(&cb, "contextpack.yaml");
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": settings_uri, "languageId": "yaml", "version": 1, "text": settings } }),
    );
    assert_eq!(client.diagnostics(&settings_uri), Vec::<Value>::new());

    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert!(status.success(), "{status}");
}
