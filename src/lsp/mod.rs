//! `contextpack lsp`: a language server over stdin and stdout, small and
//! synchronous in the manner of rust-analyzer's `lsp-server`.
//!
//! As the author types, the casebook is checked with the editor's unsaved
//! texts in place of their files, and the findings are published for every
//! file that has any: the same findings, from the same code, as `check`.
//! Hover explains a rule (on its id, or anywhere in a finding) and a field
//! (on its key); completion offers the field names of the record and the
//! values a field may take, the casebook's own ids among them; go to
//! definition finds a person, agency, forum, context or goal; and every
//! finding whose help names one replacement (`did you mean ...`, `write
//! ...`) has a code action that makes it.

mod complete;
mod convert;

use crate::Checked;
use crate::fs_guard::Overlay;
use crate::schema::Known;
use convert::{Text, range_of};
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types as lsp;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Serves one editor until it says `exit`, checking deadlines against
/// `today` (else `as_of:`, else the clock).
pub fn run(today: Option<crate::model::Date>) -> Result<(), String> {
    let (connection, threads) = Connection::stdio();
    let capabilities = lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(
            lsp::TextDocumentSyncKind::FULL,
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into(), "[".into(), ",".into()]),
            ..Default::default()
        }),
        definition_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Simple(true)),
        ..Default::default()
    };
    let caps = serde_json::to_value(capabilities).map_err(|e| e.to_string())?;
    let params = connection.initialize(caps).map_err(|e| e.to_string())?;
    let params: lsp::InitializeParams =
        serde_json::from_value(params).map_err(|e| e.to_string())?;
    #[allow(deprecated)]
    let start = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| f.uri.to_file_path().ok())
        .or_else(|| params.root_uri.as_ref()?.to_file_path().ok());
    let mut server = Server {
        connection,
        root: start.as_deref().and_then(casebook_of),
        docs: HashMap::new(),
        checked: None,
        published: BTreeSet::new(),
        today,
    };
    server.serve().map_err(|e| e.to_string())?;
    let Server { connection, .. } = server;
    drop(connection);
    threads.join().map_err(|e| e.to_string())
}

/// The casebook holding `path`: the nearest folder at or above it with
/// contextpack.yaml, as every command finds it.
fn casebook_of(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .find(|d| d.join("contextpack.yaml").is_file())
        .map(Path::to_path_buf)
}

struct Server {
    connection: Connection,
    root: Option<PathBuf>,
    /// The editor's open files, by address.
    docs: HashMap<lsp::Url, Arc<String>>,
    /// The last check, with the open files' texts.
    checked: Option<Checked>,
    /// Files last published with findings, to clear when they have none.
    published: BTreeSet<lsp::Url>,
    today: Option<crate::model::Date>,
}

type Served = Result<(), Box<dyn std::error::Error + Send + Sync>>;

impl Server {
    fn serve(&mut self) -> Served {
        while let Ok(message) = self.connection.receiver.recv() {
            let mut stale = false;
            let mut next = Some(message);
            // Everything already waiting is taken in before checking again:
            // one check for a burst of keystrokes.
            while let Some(message) = next.take() {
                match message {
                    Message::Request(req) => {
                        if stale {
                            self.recheck()?;
                            stale = false;
                        }
                        if self.connection.handle_shutdown(&req)? {
                            return Ok(());
                        }
                        self.request(req)?;
                    }
                    Message::Notification(n) => stale |= self.notification(n),
                    Message::Response(_) => {}
                }
                next = self.connection.receiver.try_recv().ok();
            }
            if stale {
                self.recheck()?;
            }
        }
        Ok(())
    }

    /// Takes in a notification; `true` when the casebook must be checked again.
    fn notification(&mut self, n: Notification) -> bool {
        use lsp::notification::Notification as _;
        match n.method.as_str() {
            lsp::notification::DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params)
                else {
                    return false;
                };
                self.find_root(&p.text_document.uri);
                self.docs
                    .insert(p.text_document.uri, Arc::new(p.text_document.text));
                true
            }
            lsp::notification::DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params)
                else {
                    return false;
                };
                // Full synchronisation: the last change is the whole text.
                match p.content_changes.into_iter().last() {
                    Some(change) => {
                        self.docs.insert(p.text_document.uri, Arc::new(change.text));
                        true
                    }
                    None => false,
                }
            }
            lsp::notification::DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params)
                else {
                    return false;
                };
                self.docs.remove(&p.text_document.uri);
                true
            }
            lsp::notification::DidSaveTextDocument::METHOD => true,
            _ => false,
        }
    }

    fn find_root(&mut self, uri: &lsp::Url) {
        if self.root.is_none() {
            self.root = uri.to_file_path().ok().as_deref().and_then(casebook_of);
        }
    }

    /// Checks the casebook with the open files' texts and publishes what
    /// it finds, clearing the files that had findings and have none now.
    fn recheck(&mut self) -> Served {
        let Some(root) = self.root.clone() else {
            return Ok(());
        };
        let overlay: HashMap<PathBuf, Arc<String>> = self
            .docs
            .iter()
            .filter_map(|(uri, text)| {
                let path = std::fs::canonicalize(uri.to_file_path().ok()?).ok()?;
                Some((path, text.clone()))
            })
            .collect();
        let checked = match crate::check_casebook_with(&root, self.today, Overlay::new(overlay)) {
            Ok(checked) => checked,
            // contextpack.yaml gone: nothing to say until it is back.
            Err(_) => return Ok(()),
        };
        let mut by_file: HashMap<lsp::Url, Vec<lsp::Diagnostic>> = HashMap::new();
        for d in &checked.diagnostics {
            let Some(file) = checked.casebook.sources.get(d.loc.file) else {
                continue;
            };
            let Ok(uri) = lsp::Url::from_file_path(root.join(&file.path)) else {
                continue;
            };
            by_file
                .entry(uri)
                .or_default()
                .push(convert::diagnostic(d, &Text::new(&file.text)));
        }
        let now: BTreeSet<lsp::Url> = by_file.keys().cloned().collect();
        // An open file with nothing wrong is told so, as is one whose
        // findings are gone.
        let cleared: BTreeSet<lsp::Url> = self
            .published
            .iter()
            .chain(self.docs.keys())
            .filter(|uri| !now.contains(*uri))
            .cloned()
            .collect();
        for uri in cleared {
            self.publish(uri, Vec::new())?;
        }
        for (uri, diagnostics) in by_file {
            self.publish(uri, diagnostics)?;
        }
        self.published = now;
        self.checked = Some(checked);
        Ok(())
    }

    fn publish(&self, uri: lsp::Url, diagnostics: Vec<lsp::Diagnostic>) -> Served {
        use lsp::notification::Notification as _;
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                lsp::notification::PublishDiagnostics::METHOD.to_string(),
                params,
            )))?;
        Ok(())
    }

    fn request(&mut self, req: Request) -> Served {
        use lsp::request::Request as _;
        let id = req.id.clone();
        let result = match req.method.as_str() {
            lsp::request::HoverRequest::METHOD => {
                let p: lsp::HoverParams = serde_json::from_value(req.params)?;
                serde_json::to_value(self.hover(&p.text_document_position_params))?
            }
            lsp::request::Completion::METHOD => {
                let p: lsp::CompletionParams = serde_json::from_value(req.params)?;
                serde_json::to_value(self.complete(&p.text_document_position))?
            }
            lsp::request::GotoDefinition::METHOD => {
                let p: lsp::GotoDefinitionParams = serde_json::from_value(req.params)?;
                serde_json::to_value(self.definition(&p.text_document_position_params))?
            }
            lsp::request::CodeActionRequest::METHOD => {
                let p: lsp::CodeActionParams = serde_json::from_value(req.params)?;
                serde_json::to_value(code_actions(&p))?
            }
            _ => {
                return self.respond(Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("contextpack does not answer `{}`", req.method),
                ));
            }
        };
        self.respond(Response::new_ok(id, result))
    }

    fn respond(&self, response: Response) -> Served {
        self.connection.sender.send(Message::Response(response))?;
        Ok(())
    }

    /// The open text of `uri`, else what is on disk.
    fn text(&self, uri: &lsp::Url) -> Option<Arc<String>> {
        if let Some(text) = self.docs.get(uri) {
            return Some(text.clone());
        }
        let path = uri.to_file_path().ok()?;
        std::fs::read_to_string(path).ok().map(Arc::new)
    }

    /// The casebook-relative path of `uri`, with `/` separators.
    fn relative(&self, uri: &lsp::Url) -> Option<String> {
        crate::fs_guard::relative_path(self.root.as_ref()?, &uri.to_file_path().ok()?)
    }

    fn hover(&self, at: &lsp::TextDocumentPositionParams) -> Option<lsp::Hover> {
        let text = self.text(&at.text_document.uri)?;
        let doc = Text::new(&text);
        let offset = doc.offset(at.position)?;
        let protocol = self
            .checked
            .as_ref()
            .map(|c| c.casebook.settings.protocol.clone())
            .unwrap_or_default();
        let word = convert::word_at(&text, offset);
        let explain = |rule: crate::rule_id::RuleId| -> Option<String> {
            let r = crate::rules::RULES.iter().find(|r| r.id == rule)?;
            Some(format!(
                "```text\n{}```",
                crate::cli::explanation(r, &protocol)
            ))
        };
        // A rule id, written in an exception or a `rules:` line.
        if let Some(rule) = word.and_then(|(w, _)| crate::rule_id::RuleId::parse(w)) {
            return Some(markdown(explain(rule)?));
        }
        // Anywhere in a finding: what it means and how to put it right.
        if let Some(d) = self.finding_at(&at.text_document.uri, offset) {
            let mut out = format!("**{}[{}]** {}", d.kind.as_str(), d.rule, d.message);
            if let Some(help) = &d.help {
                out.push_str(&format!("\n\n*help:* {help}"));
            }
            out.push_str("\n\n");
            out.push_str(&explain(d.rule)?);
            return Some(markdown(out));
        }
        // A field's key: what it holds.
        let (key, _) = complete::key_at(&text, offset)?;
        let record = self.relative(&at.text_document.uri)?;
        let field = complete::field_named(complete::shape_of(&record)?, &key)?;
        Some(markdown(format!("**{}**: {}", field.name, field.doc)))
    }

    /// The finding of the last check at `offset` of the file `uri`.
    fn finding_at(&self, uri: &lsp::Url, offset: usize) -> Option<&crate::diagnostic::Diagnostic> {
        let checked = self.checked.as_ref()?;
        let rel = self.relative(uri)?;
        checked.diagnostics.iter().find(|d| {
            checked.path_of(d.loc.file) == rel
                && d.loc.start <= offset
                && offset <= d.loc.end.max(d.loc.start + 1)
        })
    }

    fn complete(&self, at: &lsp::TextDocumentPositionParams) -> Option<lsp::CompletionResponse> {
        let text = self.text(&at.text_document.uri)?;
        let offset = Text::new(&text).offset(at.position)?;
        let rel = self.relative(&at.text_document.uri)?;
        let known = self
            .checked
            .as_ref()
            .map_or_else(Known::builtin, |c| Known::of(&c.casebook));
        let goals: Vec<String> = self
            .checked
            .as_ref()
            .and_then(|c| plan_of(c, &rel))
            .map(|p| p.goals.iter().map(|g| g.id.value.clone()).collect())
            .unwrap_or_default();
        let items = complete::items(&rel, &text, offset, &known, &goals)?;
        Some(lsp::CompletionResponse::Array(items))
    }

    fn definition(
        &self,
        at: &lsp::TextDocumentPositionParams,
    ) -> Option<lsp::GotoDefinitionResponse> {
        let checked = self.checked.as_ref()?;
        let root = self.root.as_ref()?;
        let text = self.text(&at.text_document.uri)?;
        let offset = Text::new(&text).offset(at.position)?;
        let (word, _) = convert::word_at(&text, offset)?;
        let rel = self.relative(&at.text_document.uri)?;
        let s = &checked.casebook.settings;
        let loc = s
            .people
            .iter()
            .map(|p| &p.id)
            .chain(s.agencies.iter().map(|a| &a.id))
            .chain(s.forums.iter().map(|f| &f.id))
            .chain(s.themes.iter().map(|t| &t.id))
            .chain(
                plan_of(checked, &rel)
                    .into_iter()
                    .flat_map(|p| p.goals.iter().map(|g| &g.id)),
            )
            .find(|id| id.value == word)
            .map(|id| id.loc);
        let location = match loc {
            Some(loc) => {
                let file = checked.casebook.sources.get(loc.file)?;
                lsp::Location {
                    uri: lsp::Url::from_file_path(root.join(&file.path)).ok()?,
                    range: range_of(&loc, &Text::new(&file.text)),
                }
            }
            None => {
                let c = checked.casebook.contexts.iter().find(|c| c.id == word)?;
                let path = root.join("cases").join(&c.id).join("context.yaml");
                lsp::Location {
                    uri: lsp::Url::from_file_path(path).ok()?,
                    range: lsp::Range::default(),
                }
            }
        };
        Some(lsp::GotoDefinitionResponse::Scalar(location))
    }
}

/// The plan of the context a casebook path is in.
fn plan_of<'c>(checked: &'c Checked, rel: &str) -> Option<&'c crate::model::Plan> {
    let id = rel.strip_prefix("cases/")?.split('/').next()?;
    let c = checked.casebook.contexts.iter().find(|c| c.id == id)?;
    c.plan.as_ref()
}

fn markdown(value: String) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value,
        }),
        range: None,
    }
}

/// A quick fix for every finding whose help names one replacement.
fn code_actions(p: &lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
    p.context
        .diagnostics
        .iter()
        .filter(|d| d.source.as_deref() == Some(convert::SOURCE) && d.range.start != d.range.end)
        .filter_map(|d| {
            let help = d.data.as_ref()?.as_str()?;
            let new_text = convert::replacement(help)?;
            let edit = lsp::TextEdit {
                range: d.range,
                new_text: new_text.clone(),
            };
            let changes = HashMap::from([(p.text_document.uri.clone(), vec![edit])]);
            Some(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("Write `{new_text}`"),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(lsp::WorkspaceEdit {
                    changes: Some(changes),
                    ..Default::default()
                }),
                is_preferred: Some(true),
                ..Default::default()
            }))
        })
        .collect()
}
