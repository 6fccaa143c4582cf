//! `designgate lsp`: a language server over stdio, so that editors show
//! findings while the document is written, not when the commit is refused.
//!
//! One thread reads and frames messages ([`transport`]); this one keeps the
//! state and answers. Open design documents are linted from the editor's
//! unsaved buffer through the same path as `check` ([`crate::lint`]), with
//! links resolved against the work tree, and republished after each change.
//! Changes that arrive faster than they can be linted are coalesced: a
//! document is linted once no message is waiting, or when a request needs
//! its findings.
//!
//! The configuration is read at start-up and again when the client reports
//! a change to a `.toml` file (`workspace/didChangeWatchedFiles`, or a save
//! of one): a configuration that does not load becomes a diagnostic on the
//! file at fault, and the last good rules stay in force.

mod features;
mod text;
mod transport;

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionOptions, CodeActionParams, CodeActionProviderCapability, CompletionOptions,
    CompletionParams, Diagnostic as LspDiagnostic, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    FileSystemWatcher, GlobPattern, Hover, HoverContents, HoverParams, HoverProviderCapability,
    InitializeParams, InitializeResult, Position, PositionEncodingKind, PublishDiagnosticsParams,
    Range, Registration, RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde_json::Value;

use crate::Workspace;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::lint;
use crate::report::{Stream, clean_text};
use crate::snapshot::{self, Content, WorkTree};
use crate::source::{MAX_DOCUMENT_BYTES, Origin, Source};
use crate::waiver::Date;

use text::Lines;

/// The largest buffer kept for a document: larger ones are linted as too
/// large (past [`MAX_DOCUMENT_BYTES`]) and, past this, not kept at all.
const MAX_TRACKED_BYTES: usize = 4 * MAX_DOCUMENT_BYTES as usize;

/// The most documents kept open at once; more are not tracked.
const MAX_OPEN_DOCUMENTS: usize = 1000;

/// Writes a line to stderr, which clients show as the server's log.
fn log(message: &str) {
    let text = clean_text(
        &format!("designgate lsp: {message}\n"),
        Stream::Terminal { colour: false },
    );
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Serves the language server protocol on stdin and stdout until the
/// client says `exit`. Returns the exit code: 0 after `shutdown` and
/// `exit`, 1 if the input ended (or `exit` came) without `shutdown`.
/// `cwd` is where the workspace is, unless the client names its root;
/// `config` is `--config`.
pub fn serve(cwd: &Path, config: Option<&Path>) -> u8 {
    let input = transport::spawn_reader(log);
    let mut stdout = std::io::stdout().lock();
    let mut server = Server::new(cwd, config, &mut stdout);
    server.run(&input)
}

/// One open document.
struct Doc {
    /// The buffer; `None` when it grew past [`MAX_TRACKED_BYTES`].
    text: Option<String>,
    /// Its length in bytes, kept when the text is not.
    size: usize,
    version: i32,
    /// Repository-relative path, if the file lies in the workspace.
    rel: Option<String>,
    /// The findings of the last lint (of `text` as it is, unless dirty).
    findings: Vec<Diagnostic>,
    /// Diagnostics were published and not yet cleared.
    published: bool,
}

/// The state of the server.
pub struct Server<'o> {
    out: &'o mut dyn Write,
    cwd: PathBuf,
    explicit_config: Option<PathBuf>,
    /// The canonical work-tree root (or folder) the workspace is in.
    root: PathBuf,
    /// The rules in force: the last configuration that loaded.
    config: Option<Config>,
    /// The file a configuration diagnostic was published on.
    config_error: Option<Uri>,
    docs: HashMap<Uri, Doc>,
    /// Documents changed since they were last linted.
    dirty: BTreeSet<Uri>,
    initialized: bool,
    shutdown: bool,
    watch_dynamically: bool,
    /// Set when stdout cannot be written: the client is gone.
    closed: bool,
    /// Size and modification time of the configuration's files when it was
    /// last loaded (see [`Server::stamp`]).
    config_stamp: Vec<Option<(std::time::SystemTime, u64)>>,
    /// The last request answered, so that a panic after the answer does
    /// not answer it twice.
    answered: Option<RequestId>,
}

impl<'o> Server<'o> {
    pub fn new(cwd: &Path, config: Option<&Path>, out: &'o mut dyn Write) -> Self {
        Server {
            out,
            cwd: cwd.to_owned(),
            explicit_config: config.map(Path::to_owned),
            root: cwd.to_owned(),
            config: None,
            config_error: None,
            docs: HashMap::new(),
            dirty: BTreeSet::new(),
            initialized: false,
            shutdown: false,
            watch_dynamically: false,
            closed: false,
            config_stamp: Vec::new(),
            answered: None,
        }
    }

    /// Handles messages until `exit`, the end of the input, or a client
    /// that no longer reads.
    pub fn run(&mut self, input: &Receiver<Message>) -> u8 {
        loop {
            let message = if self.dirty.is_empty() {
                input.recv().ok()
            } else {
                match input.try_recv() {
                    Ok(m) => Some(m),
                    Err(TryRecvError::Empty) => {
                        if self.stamp() != self.config_stamp {
                            self.reload();
                        }
                        self.lint_dirty();
                        continue;
                    }
                    Err(TryRecvError::Disconnected) => None,
                }
            };
            let Some(message) = message else {
                log("the input ended without `exit`");
                return 1;
            };
            if let Message::Notification(n) = &message
                && n.method == "exit"
            {
                return if self.shutdown { 0 } else { 1 };
            }
            // why: a bug in a check must cost one answer, not the server
            // the editor relies on; the client still gets that answer.
            let request = match &message {
                Message::Request(r) => Some((r.id.clone(), r.method.clone())),
                _ => None,
            };
            if catch_unwind(AssertUnwindSafe(|| self.handle(message))).is_err() {
                log("internal error while handling a message; carrying on");
                if let Some((id, method)) =
                    request.filter(|(id, _)| self.answered.as_ref() != Some(id))
                {
                    let why = format!("internal error while answering `{method}`");
                    self.respond(id, Err((ErrorCode::InternalError, why)));
                }
            }
            if self.closed {
                return 1;
            }
        }
    }

    fn send(&mut self, message: Message) {
        if self.closed {
            return;
        }
        if let Err(e) = transport::write_message(self.out, &message) {
            log(&format!("writing to stdout: {e}"));
            self.closed = true;
        }
    }

    fn respond(&mut self, id: RequestId, result: Result<Value, (ErrorCode, String)>) {
        self.answered = Some(id.clone());
        let response = match result {
            Ok(value) => Response {
                id,
                response_result: Ok(value),
            },
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(Message::Response(response));
    }

    fn notify(&mut self, method: &str, params: impl serde::Serialize) {
        let params = serde_json::to_value(params).unwrap_or(Value::Null);
        self.send(Message::Notification(Notification::new(
            method.to_owned(),
            params,
        )));
    }

    fn handle(&mut self, message: Message) {
        match message {
            Message::Request(r) => self.request(r),
            Message::Notification(n) => self.notification(n),
            // Answers to our registration request: nothing to do.
            Message::Response(_) => {}
        }
    }

    fn request(&mut self, r: Request) {
        let id = r.id.clone();
        let result = if r.method == "initialize" {
            self.initialize(r.params)
        } else if !self.initialized {
            Err((
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet".to_owned(),
            ))
        } else if self.shutdown {
            Err((
                ErrorCode::InvalidRequest,
                "the server is shutting down".to_owned(),
            ))
        } else {
            match r.method.as_str() {
                "shutdown" => {
                    self.shutdown = true;
                    Ok(Value::Null)
                }
                "textDocument/hover" => params(r.params).map(|p| self.hover(p)),
                "textDocument/completion" => params(r.params).map(|p| self.completion(p)),
                "textDocument/codeAction" => params(r.params).map(|p| self.code_actions(p)),
                other => Err((
                    ErrorCode::MethodNotFound,
                    format!("designgate lsp does not handle `{other}`"),
                )),
            }
        };
        if let Err((_, why)) = &result {
            log(&format!("request `{}`: {why}", r.method));
        }
        let started = r.method == "initialize" && result.is_ok();
        self.respond(id, result);
        if started {
            self.reload();
        }
    }

    fn notification(&mut self, n: Notification) {
        if !self.initialized || self.shutdown {
            return;
        }
        let result = match n.method.as_str() {
            "initialized" => {
                self.register_watchers();
                Ok(())
            }
            "textDocument/didOpen" => params(n.params).map(|p| self.did_open(p)),
            "textDocument/didChange" => params(n.params).map(|p| self.did_change(p)),
            "textDocument/didSave" => params(n.params).map(|p| self.did_save(p)),
            "textDocument/didClose" => params(n.params).map(|p| self.did_close(p)),
            "workspace/didChangeWatchedFiles" => {
                self.reload();
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err((_, why)) = result {
            log(&format!("notification `{}`: {why}", n.method));
        }
    }

    fn initialize(&mut self, params: Value) -> Result<Value, (ErrorCode, String)> {
        if self.initialized {
            return Err((
                ErrorCode::InvalidRequest,
                "initialize was already received".to_owned(),
            ));
        }
        let params: InitializeParams = serde_json::from_value(params)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
        #[allow(deprecated)] // root_uri and root_path: older clients send only these
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.as_str().to_owned())
            .or_else(|| params.root_uri.as_ref().map(|u| u.as_str().to_owned()))
            .and_then(|u| text::uri_to_path(&u))
            .or_else(|| params.root_path.as_ref().map(PathBuf::from))
            .unwrap_or_else(|| self.cwd.clone());
        match Workspace::open(&root) {
            Ok(w) => self.root = w.root,
            Err(e) => {
                log(&format!("{e}; using {} as the workspace", root.display()));
                self.root = std::fs::canonicalize(&root).unwrap_or(root);
            }
        }
        self.watch_dynamically = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.initialized = true;
        let capabilities = ServerCapabilities {
            position_encoding: Some(PositionEncodingKind::UTF16),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(false),
                    })),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec!["#".to_owned()]),
                ..CompletionOptions::default()
            }),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![lsp_types::CodeActionKind::QUICKFIX]),
                ..CodeActionOptions::default()
            })),
            ..ServerCapabilities::default()
        };
        let result = InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "designgate".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
        };
        serde_json::to_value(result).map_err(|e| (ErrorCode::InternalError, e.to_string()))
    }

    /// Asks the client to report changes to configuration and pack files,
    /// if it can be asked (otherwise it may still send them, configured by
    /// the user; a save of a `.toml` file reloads too).
    fn register_watchers(&mut self) {
        if !self.watch_dynamically {
            return;
        }
        let watchers = ["**/designgate.toml", "**/.designgate.toml", "**/*.toml"]
            .into_iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob.to_owned()),
                kind: None,
            })
            .collect();
        let options = lsp_types::DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "designgate-config".to_owned(),
                method: "workspace/didChangeWatchedFiles".to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.send(Message::Request(Request::new(
            RequestId::from("designgate-watch".to_owned()),
            "client/registerCapability".to_owned(),
            params,
        )));
    }

    /// Loads the configuration again; every open document is linted again
    /// with the new rules. A configuration that does not load is published
    /// as a diagnostic on its file, and the rules in force stay.
    fn reload(&mut self) {
        // `--config` is relative to the server's working directory, and so
        // are the paths in the errors (see `config_diagnostic`).
        let loaded = Config::load(&self.root, &self.cwd, self.explicit_config.as_deref());
        let previous = self.config_error.take();
        match loaded {
            Ok(config) => {
                self.config = Some(config);
                if let Some(uri) = previous {
                    self.publish(uri, Vec::new(), None);
                }
            }
            Err(e) => {
                log(&format!("configuration: {e}"));
                let (uri, diagnostic) = self.config_diagnostic(&e);
                if let Some(old) = previous.filter(|old| *old != uri) {
                    self.publish(old, Vec::new(), None);
                }
                self.publish(uri.clone(), vec![diagnostic], None);
                self.config_error = Some(uri);
            }
        }
        self.dirty.extend(self.docs.keys().cloned());
        self.config_stamp = self.stamp();
    }

    /// The files the configuration was read from (or failed in): the
    /// configuration files at the root, `--config`, the pack files.
    ///
    /// why: many clients (Neovim before 0.9, Helix) never send
    /// `workspace/didChangeWatchedFiles`, and a `.toml` they do not attach
    /// the server to is saved unseen. A few `stat` calls before each lint
    /// notice the change in any client.
    fn config_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = crate::config::CONFIG_FILES
            .iter()
            .map(|f| self.root.join(f))
            .collect();
        files.extend(self.explicit_config.as_ref().map(|c| self.cwd.join(c)));
        if let Some(config) = &self.config {
            for pack in &config.rules.packs {
                if crate::pack::builtin(&pack.origin).is_none() {
                    files.push(self.root.join(&pack.origin));
                }
            }
        }
        files.extend(
            self.config_error
                .as_ref()
                .and_then(|uri| text::uri_to_path(uri.as_str())),
        );
        files
    }

    /// Size and modification time of each of [`Server::config_files`].
    fn stamp(&self) -> Vec<Option<(std::time::SystemTime, u64)>> {
        self.config_files()
            .iter()
            .map(|f| {
                let meta = std::fs::metadata(f).ok()?;
                Some((meta.modified().ok()?, meta.len()))
            })
            .collect()
    }

    /// A configuration error as a diagnostic on the file at fault (at its
    /// line and column), or on `designgate.toml` when no file is named.
    fn config_diagnostic(&self, e: &Error) -> (Uri, LspDiagnostic) {
        let (path, line, column, message) = match e {
            Error::Config {
                path,
                line,
                column,
                message,
            } => (Some(path.clone()), *line, *column, message.clone()),
            Error::Io { path, source } => (Some(path.clone()), 1, 1, source.to_string()),
            other => (None, 1, 1, other.to_string()),
        };
        let path = path
            .map(|p| {
                if p.is_absolute() {
                    p
                } else {
                    std::fs::canonicalize(&self.cwd)
                        .unwrap_or_else(|_| self.cwd.clone())
                        .join(p)
                }
            })
            .unwrap_or_else(|| self.root.join(crate::config::CONFIG_FILES[0]));
        let position = utf16_position(&path, line, column);
        let uri = parse_uri(&text::path_to_uri(&path));
        let diagnostic = LspDiagnostic {
            range: Range::new(position, position),
            severity: Some(lsp_types::DiagnosticSeverity::ERROR),
            code: Some(lsp_types::NumberOrString::String("config".to_owned())),
            source: Some(features::SOURCE.to_owned()),
            message: format!("{message} (designgate keeps the rules it had until this file loads)"),
            ..LspDiagnostic::default()
        };
        (uri, diagnostic)
    }

    fn did_open(&mut self, p: DidOpenTextDocumentParams) {
        let uri = p.text_document.uri;
        if !self.docs.contains_key(&uri) && self.docs.len() >= MAX_OPEN_DOCUMENTS {
            log(&format!(
                "{} documents are open; {} is not checked",
                MAX_OPEN_DOCUMENTS,
                uri.as_str()
            ));
            return;
        }
        let rel = self.relative(&uri);
        let size = p.text_document.text.len();
        let text = (size <= MAX_TRACKED_BYTES).then_some(p.text_document.text);
        self.docs.insert(
            uri.clone(),
            Doc {
                text,
                size,
                version: p.text_document.version,
                rel,
                findings: Vec::new(),
                published: false,
            },
        );
        self.dirty.insert(uri);
    }

    fn did_change(&mut self, p: DidChangeTextDocumentParams) {
        let uri = p.text_document.uri;
        let Some(doc) = self.docs.get_mut(&uri) else {
            return;
        };
        doc.version = p.text_document.version;
        for change in p.content_changes {
            match (&mut doc.text, change.range) {
                (_, None) => {
                    doc.size = change.text.len();
                    doc.text = (doc.size <= MAX_TRACKED_BYTES).then_some(change.text);
                }
                (Some(text), Some(_)) => {
                    text::apply_change(text, change);
                    doc.size = text.len();
                    if doc.size > MAX_TRACKED_BYTES {
                        doc.text = None;
                    }
                }
                // The buffer is not kept: a partial change cannot apply.
                (None, Some(_)) => {}
            }
        }
        self.dirty.insert(uri);
    }

    fn did_save(&mut self, p: DidSaveTextDocumentParams) {
        let uri = p.text_document.uri;
        if uri.as_str().ends_with(".toml") {
            self.reload();
        } else if self.docs.contains_key(&uri) {
            self.dirty.insert(uri);
        }
    }

    fn did_close(&mut self, p: DidCloseTextDocumentParams) {
        let uri = p.text_document.uri;
        self.dirty.remove(&uri);
        if let Some(doc) = self.docs.remove(&uri)
            && doc.published
        {
            self.publish(uri, Vec::new(), None);
        }
    }

    /// The repository-relative path of a `file:` URI inside the workspace.
    fn relative(&self, uri: &Uri) -> Option<String> {
        let path = text::uri_to_path(uri.as_str())?;
        // why: the file may not exist yet (a new buffer); its folder does.
        let real = std::fs::canonicalize(&path).ok().or_else(|| {
            let parent = std::fs::canonicalize(path.parent()?).ok()?;
            Some(parent.join(path.file_name()?))
        })?;
        let rel = real.strip_prefix(&self.root).ok()?;
        let parts: Option<Vec<&str>> = rel.iter().map(|c| c.to_str()).collect();
        Some(parts?.join("/"))
    }

    /// Lints every document changed since its last lint.
    fn lint_dirty(&mut self) {
        for uri in std::mem::take(&mut self.dirty) {
            self.lint(&uri);
        }
    }

    /// Lints one document if it changed, and publishes its diagnostics.
    fn ensure_linted(&mut self, uri: &Uri) {
        if self.dirty.remove(uri) {
            self.lint(uri);
        }
    }

    fn lint(&mut self, uri: &Uri) {
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        let design = match (&self.config, &doc.rel) {
            (Some(config), Some(rel)) => config.is_design_doc(rel),
            _ => false,
        };
        let (Some(config), Some(rel), true) = (&self.config, &doc.rel, design) else {
            doc.findings.clear();
            if doc.published {
                doc.published = false;
                let version = doc.version;
                self.publish(uri.clone(), Vec::new(), Some(version));
            }
            return;
        };
        let source = match &doc.text {
            Some(text) if text.len() as u64 <= MAX_DOCUMENT_BYTES => Source {
                path: rel.clone(),
                origin: Origin::Disk,
                bytes: text.as_bytes().to_vec(),
                oversized: None,
            },
            _ => Source::oversized(rel.clone(), Origin::Disk, doc.size as u64),
        };
        let snapshot = WorkTree {
            root: self.root.clone(),
            shown_from: None,
        };
        let opts = lint::Options {
            rules: &config.rules,
            snapshot: &snapshot,
            base: config.base(),
            today: Date::today(),
        };
        doc.findings = lint::lint_source(source, &opts).diagnostics;
        let text = doc.text.as_deref().unwrap_or_default();
        let lines = Lines::new(text);
        let diagnostics = doc
            .findings
            .iter()
            .filter_map(|d| features::to_lsp(d, text, &lines))
            .collect();
        doc.published = true;
        let version = doc.version;
        self.publish(uri.clone(), diagnostics, Some(version));
    }

    fn publish(&mut self, uri: Uri, diagnostics: Vec<LspDiagnostic>, version: Option<i32>) {
        self.notify(
            "textDocument/publishDiagnostics",
            PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        );
    }

    /// The document at `uri`, linted, with the rules, if it is a design
    /// document whose buffer is kept: what requests need.
    fn linted(&mut self, uri: &Uri) -> Option<(&Doc, &Config)> {
        self.ensure_linted(uri);
        let doc = self.docs.get(uri)?;
        let config = self.config.as_ref()?;
        (doc.published && doc.text.is_some()).then_some((doc, config))
    }

    fn hover(&mut self, p: HoverParams) -> Value {
        let uri = p.text_document_position_params.text_document.uri;
        let position = p.text_document_position_params.position;
        let Some((doc, config)) = self.linted(&uri) else {
            return Value::Null;
        };
        let text = doc.text.as_deref().unwrap_or_default();
        let parsed = crate::markdown::parse(text);
        let Some(content) = features::hover(&parsed, text, &doc.findings, &config.rules, position)
        else {
            return Value::Null;
        };
        let hover = Hover {
            contents: HoverContents::Markup(features::hover_content(content)),
            range: None,
        };
        serde_json::to_value(hover).unwrap_or(Value::Null)
    }

    fn completion(&mut self, p: CompletionParams) -> Value {
        let uri = p.text_document_position.text_document.uri;
        let position: Position = p.text_document_position.position;
        let Some((doc, config)) = self.linted(&uri) else {
            return Value::Null;
        };
        let text = doc.text.as_deref().unwrap_or_default();
        let items = features::complete_heading(text, &doc.findings, &config.rules, position);
        serde_json::to_value(items).unwrap_or(Value::Null)
    }

    fn code_actions(&mut self, p: CodeActionParams) -> Value {
        let uri = p.text_document.uri;
        let Some((doc, config)) = self.linted(&uri) else {
            return Value::Array(Vec::new());
        };
        let text = doc.text.as_deref().unwrap_or_default();
        let parsed = crate::markdown::parse(text);
        let rel = doc.rel.as_deref().unwrap_or_default();
        let mut actions =
            features::missing_section_actions(&uri, text, rel, config, &doc.findings, p.range);
        actions.extend(features::waiver_actions(
            &uri,
            &parsed,
            text,
            &doc.findings,
            &config.rules,
            p.range,
        ));
        serde_json::to_value(actions).unwrap_or(Value::Null)
    }
}

/// Deserialises request or notification parameters.
fn params<P: serde::de::DeserializeOwned>(value: Value) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(value).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

/// A URI made by [`text::path_to_uri`], which always parses.
fn parse_uri(text: &str) -> Uri {
    text.parse()
        .unwrap_or_else(|_| "file:///".parse().unwrap_or_else(|_| unreachable!()))
}

/// The LSP position of 1-based `line` and `column` (in characters, as
/// configuration errors count them) in the file at `path`.
fn utf16_position(path: &Path, line: usize, column: usize) -> Position {
    let line0 = line.saturating_sub(1);
    let text = match snapshot::read_file(path, crate::config::MAX_CONFIG_BYTES) {
        Ok(Content::Bytes(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        _ => String::new(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let units: usize = text
        .split('\n')
        .nth(line0)
        .map(|l| {
            l.chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf16)
                .sum()
        })
        .unwrap_or(0);
    Position::new(
        u32::try_from(line0).unwrap_or(u32::MAX),
        u32::try_from(units).unwrap_or(u32::MAX),
    )
}
