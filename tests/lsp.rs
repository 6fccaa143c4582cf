//! `designgate lsp` over real stdio: the built binary, driven by JSON-RPC
//! frames as an editor sends them, in a real git repository. Each test
//! asserts what an editor would show: which diagnostics appear where (in
//! UTF-16 columns), that they are `check`'s findings, what a code action
//! changes, what hover and completion offer, and that a broken
//! configuration is a diagnostic, not a dead server.

mod support;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use serde_json::{Value, json};
use support::{COMPLETE, Repo, Sandbox, designgate_exe, stdout, without_sla};

/// How long a test waits for one message before it fails (a guard against
/// a hung server, not a speed check: see bench/lsp.py for that).
const PATIENCE: Duration = Duration::from_secs(60);

/// A language client talking to `designgate lsp` over its stdin and stdout.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Notifications read while waiting for something else.
    seen: VecDeque<Value>,
    next_id: i64,
    stderr: std::thread::JoinHandle<String>,
}

impl Client {
    fn start(repo: &Repo<'_>) -> Client {
        Client::start_with(repo, &repo.dir, &[])
    }

    /// `designgate ARGS` (which include `lsp`), run in `cwd`.
    fn start_with(repo: &Repo<'_>, cwd: &Path, args: &[&str]) -> Client {
        let mut child = repo
            .sandbox
            .command(cwd, designgate_exe())
            .args(if args.is_empty() { &["lsp"][..] } else { args })
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start designgate lsp");
        let out = child.stdout.take().expect("piped stdout");
        let mut err = child.stderr.take().expect("piped stderr");
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(out);
            while let Some(message) = read_frame(&mut out) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            text
        });
        Client {
            child,
            stdin: None,
            messages,
            seen: VecDeque::new(),
            next_id: 1,
            stderr,
        }
        .with_stdin()
    }

    fn with_stdin(mut self) -> Client {
        self.stdin = self.child.stdin.take();
        self
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).expect("write to the server");
        stdin.flush().expect("flush");
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("serialise");
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend(body);
        self.send_raw(&frame);
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.next();
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            self.seen.push_back(message);
        }
    }

    fn next(&mut self) -> Value {
        match self.messages.recv_timeout(PATIENCE) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in {PATIENCE:?}"),
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the server closed stdout; stderr:\n{}", self.stderr_now())
            }
        }
    }

    fn stderr_now(&mut self) -> String {
        let _ = self.child.kill();
        let handle = std::mem::replace(&mut self.stderr, std::thread::spawn(String::new));
        handle.join().unwrap_or_default()
    }

    /// The next `publishDiagnostics` for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        let is_it = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(i) = self.seen.iter().position(is_it) {
            return self.seen.remove(i).expect("just found")["params"].clone();
        }
        loop {
            let message = self.next();
            if is_it(&message) {
                return message["params"].clone();
            }
            self.seen.push_back(message);
        }
    }

    /// Whether a `publishDiagnostics` for `uri` was read and not consumed.
    fn has_diagnostics(&self, uri: &str) -> bool {
        self.seen
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
    }

    fn initialize(&mut self, root: &Path) -> Value {
        let response = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": file_uri(root),
                "capabilities": {},
            }),
        );
        self.notify("initialized", json!({}));
        response
    }

    /// `shutdown`, `exit`, and the exit code and stderr of the server.
    fn finish(mut self) -> (Option<i32>, String) {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        self.stdin = None;
        let status = wait(&mut self.child);
        let handle = std::mem::replace(&mut self.stderr, std::thread::spawn(String::new));
        (status, handle.join().unwrap_or_default())
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for the server to exit, up to [`PATIENCE`].
fn wait(child: &mut Child) -> Option<i32> {
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for the server") {
            return status.code();
        }
        assert!(start.elapsed() < PATIENCE, "the server did not exit");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The `file:` URI of a path (these test paths need no escaping but `%`
/// and spaces are escaped anyway).
fn file_uri(path: &Path) -> String {
    let text = path.to_str().expect("a UTF-8 temp path");
    format!("file://{}", text.replace('%', "%25").replace(' ', "%20"))
}

/// The byte offset of an LSP position (UTF-16 column) in `text`: the test's
/// own conversion, independent of the server's.
fn offset_of(text: &str, line: u64, character: u64) -> usize {
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').expect("the line exists") + 1;
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16() as u64;
    }
    text.len()
}

/// Applies LSP text edits (on `text`, as the editor does: all positions
/// refer to the text before any of them).
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let at = |p: &Value| {
                offset_of(
                    text,
                    p["line"].as_u64().expect("line"),
                    p["character"].as_u64().expect("character"),
                )
            };
            (
                at(&e["range"]["start"]),
                at(&e["range"]["end"]),
                e["newText"].as_str().expect("newText").to_owned(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

/// `(rule, severity, line, message)` of each diagnostic, line 1-based as
/// `check` prints it.
fn summary(diagnostics: &Value) -> Vec<(String, String, u64, String)> {
    let severity = |n: &Value| {
        match n.as_u64() {
            Some(1) => "error",
            Some(2) => "warning",
            Some(3) => "info",
            _ => "hint",
        }
        .to_owned()
    };
    diagnostics
        .as_array()
        .expect("a list of diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("a rule id").to_owned(),
                severity(&d["severity"]),
                d["range"]["start"]["line"].as_u64().expect("a line") + 1,
                d["message"].as_str().expect("a message").to_owned(),
            )
        })
        .collect()
}

/// What `designgate check --format json` reports for `text` as
/// `design/a.md` of a fresh repository with the same configuration.
fn check_summary(sandbox: &Sandbox, text: &str) -> Vec<(String, String, u64, String)> {
    let name = format!("check-{}", sandbox_counter());
    let repo = sandbox.repo(&name);
    repo.write("design/a.md", text);
    let out = repo.designgate(&["check", "--format", "json", "design/a.md"]);
    let report: Value = serde_json::from_str(&stdout(&out)).expect("check prints JSON");
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["waived"].is_null())
        .map(|d| {
            (
                d["rule"].as_str().expect("rule").to_owned(),
                d["severity"].as_str().expect("severity").to_owned(),
                d["line"].as_u64().expect("line"),
                d["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect()
}

fn sandbox_counter() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// [`without_sla`] with a placeholder after non-ASCII text (an emoji is
/// two UTF-16 units, `ë` one, and both more than one byte).
fn buffer_text() -> String {
    let text = without_sla().replace(
        "takes two people an hour",
        "takes two people Zoë 😀 TODO an hour",
    );
    assert!(text.contains("Zoë 😀 TODO"), "the fixture changed");
    text
}

fn open(client: &mut Client, uri: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
}

fn change(client: &mut Client, uri: &str, version: i64, changes: Value) {
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
    );
}

fn find<'a>(diagnostics: &'a Value, rule: &str) -> Option<&'a Value> {
    diagnostics.as_array()?.iter().find(|d| d["code"] == rule)
}

#[test]
fn a_session_over_stdio_shows_checks_findings_and_fixes_them() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(
        &[
            ("design/a.md", COMPLETE),
            ("notes/todo.md", "# Notes\n\nTODO\n"),
        ],
        "start",
    );
    let uri = file_uri(&repo.dir.join("design/a.md"));
    let notes = file_uri(&repo.dir.join("notes/todo.md"));
    let mut client = Client::start(&repo);

    let init = client.initialize(&repo.dir);
    let caps = &init["result"]["capabilities"];
    assert_eq!(
        caps["textDocumentSync"]["change"], 2,
        "incremental sync: {init}"
    );
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(
        caps["completionProvider"]["triggerCharacters"],
        json!(["#"])
    );
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    assert_eq!(caps["positionEncoding"], "utf-16");

    // The buffer, not the file on disk (which is complete), is checked.
    let mut text = buffer_text();
    open(&mut client, &uri, &text);
    let published = client.diagnostics(&uri);
    assert_eq!(published["version"], 1);
    let diagnostics = published["diagnostics"].clone();
    assert_eq!(
        summary(&diagnostics),
        check_summary(&sandbox, &text),
        "the same findings as `check`"
    );
    let sla = find(&diagnostics, "sla").expect("the missing SLA");
    assert_eq!(sla["severity"], 1);
    assert_eq!(sla["message"], "missing section `## SLA`");
    assert_eq!(sla["source"], "designgate");
    // The placeholder's column counts UTF-16 units: `😀` is two.
    let todo = find(&diagnostics, "why").expect("the placeholder");
    let line = text
        .lines()
        .position(|l| l.contains("Zoë 😀 TODO"))
        .expect("line");
    let line_text = text.lines().nth(line).expect("line");
    let byte = line_text.find("TODO").expect("TODO");
    assert_eq!(todo["range"]["start"]["line"], line as u64);
    assert_eq!(
        todo["range"]["start"]["character"],
        line_text[..byte].encode_utf16().count() as u64
    );
    assert_eq!(
        todo["range"]["end"]["character"],
        (line_text[..byte].encode_utf16().count() + 4) as u64
    );
    assert_ne!(
        line_text[..byte].encode_utf16().count(),
        line_text[..byte].chars().count(),
        "the test line must tell UTF-16 units from characters"
    );

    // A file outside the design folders gets no diagnostics, even with a
    // placeholder in it; hovering it says nothing.
    open(&mut client, &notes, "# Notes\n\nTODO\n");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": notes}, "position": {"line": 0, "character": 3}}),
    );
    assert_eq!(hover["result"], Value::Null);
    assert!(!client.has_diagnostics(&notes));

    // Hover on the title: the missing SLA and its help; on `## Why`, the
    // rule it satisfies, explained as `designgate explain` does.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": sla["range"]["start"]}),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .expect("hover text")
        .to_owned();
    assert!(shown.contains("missing section `## SLA`"), "{shown}");
    assert!(
        shown.contains("help: add it at any heading level"),
        "{shown}"
    );
    let why_line = text.lines().position(|l| l == "## Why").expect("## Why") as u64;
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": why_line, "character": 4}}),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .expect("hover text")
        .to_owned();
    let explained = stdout(&repo.designgate(&["explain", "why"]));
    assert!(shown.contains("`Why` satisfies: why"), "{shown}");
    assert!(
        shown.contains(explained.trim_end()),
        "{shown}\n---\n{explained}"
    );

    // Completion after `## ` on a new last line: the missing SLA heading.
    let last = text.lines().count() as u64;
    change(
        &mut client,
        &uri,
        2,
        json!([{"range": {"start": {"line": last, "character": 0}, "end": {"line": last, "character": 0}}, "text": "## "}]),
    );
    text.push_str("## ");
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": last, "character": 3},
               "context": {"triggerKind": 2, "triggerCharacter": "#"}}),
    );
    let items = completion["result"]
        .as_array()
        .expect("completion items")
        .clone();
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(labels, ["SLA"], "only the missing section: {completion}");
    let with_sla = apply_edits(&text, &[items[0]["textEdit"].clone()]);
    assert!(with_sla.ends_with("\n## SLA"), "{with_sla:?}");
    // A published update for version 2 came before the answer.
    assert_eq!(client.diagnostics(&uri)["version"], 2);

    // Writing the section (an incremental change after the emoji line)
    // clears the error.
    let sla_text = "\n\n- Availability: 99.9% of nights.\n- Latency: p99 under 30 minutes.\n";
    change(
        &mut client,
        &uri,
        3,
        json!([{"range": {"start": {"line": last, "character": 3}, "end": {"line": last, "character": 3}}, "text": format!("SLA{sla_text}")}]),
    );
    text.push_str("SLA");
    text.push_str(sla_text);
    let published = client.diagnostics(&uri);
    assert_eq!(published["version"], 3);
    assert!(
        find(&published["diagnostics"], "sla").is_none(),
        "{published}"
    );
    assert_eq!(
        summary(&published["diagnostics"]),
        check_summary(&sandbox, &text)
    );

    // "Waive this rule here" on the placeholder inserts a waiver whose
    // reason is left to write: until then it is an error of its own.
    let todo = find(&published["diagnostics"], "why")
        .expect("the placeholder")
        .clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": todo["range"],
               "context": {"diagnostics": [todo]}}),
    );
    let actions = actions["result"].as_array().expect("code actions").clone();
    let waive = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Waive `why` in section `Why`"))
        })
        .unwrap_or_else(|| panic!("a waiver action: {actions:?}"));
    assert_eq!(waive["kind"], "quickfix");
    let edits = waive["edit"]["changes"][&uri]
        .as_array()
        .expect("edits for the document")
        .clone();
    let waived = apply_edits(&text, &edits);
    assert!(
        waived.contains("## Why\n\n<!-- designgate: waive why: -->\n\nFinance"),
        "{waived}"
    );
    change(&mut client, &uri, 4, json!([{"text": waived}]));
    let published = client.diagnostics(&uri);
    let waiver = find(&published["diagnostics"], "waiver").expect("the waiver has no reason");
    assert_eq!(waiver["severity"], 1);
    assert_eq!(waiver["message"], "waiver for `why` gives no reason");
    assert!(find(&published["diagnostics"], "why").is_some());
    // With a reason, the placeholder is waived and nothing is left open.
    text = waived.replace(
        "waive why: -->",
        "waive why: the customer's words, quoted -->",
    );
    change(&mut client, &uri, 5, json!([{"text": text}]));
    let published = client.diagnostics(&uri);
    assert!(
        find(&published["diagnostics"], "why").is_none(),
        "{published}"
    );
    assert!(
        find(&published["diagnostics"], "waiver").is_none(),
        "{published}"
    );

    // A broken configuration: a diagnostic on designgate.toml at the line
    // and column `check` names, the rules in force kept; fixed, it clears
    // and the new rules apply.
    let broken = "# rules\npacks = [\"production-readiness\"]\n[severity]\nstatus = \"fatal\"\n";
    repo.write("designgate.toml", broken);
    let config_uri = file_uri(&repo.dir.join("designgate.toml"));
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    let published = client.diagnostics(&config_uri);
    let error = &published["diagnostics"][0];
    let checked = repo.designgate(&["check"]);
    let said = support::stderr(&checked);
    let at = format!(
        "designgate.toml:{}:{}:",
        error["range"]["start"]["line"].as_u64().expect("line") + 1,
        error["range"]["start"]["character"]
            .as_u64()
            .expect("character")
            + 1
    );
    assert!(
        said.contains(&at),
        "check says {said:?}, the server {published}"
    );
    assert_eq!(error["severity"], 1);
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("fatal")),
        "{published}"
    );
    let still = client.diagnostics(&uri);
    assert!(find(&still["diagnostics"], "status").is_some_and(|d| d["severity"] == 2));

    repo.write(
        "designgate.toml",
        "packs = [\"production-readiness\"]\n[severity]\nstatus = \"error\"\n",
    );
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    assert_eq!(client.diagnostics(&config_uri)["diagnostics"], json!([]));
    let relinted = client.diagnostics(&uri);
    assert!(
        find(&relinted["diagnostics"], "status").is_some_and(|d| d["severity"] == 1),
        "the new severity applies: {relinted}"
    );

    // "Insert missing section" makes the edit `check --fix` makes.
    let other = file_uri(&repo.dir.join("design/b.md"));
    let crlf = without_sla().replace('\n', "\r\n");
    open(&mut client, &other, &crlf);
    let published = client.diagnostics(&other);
    let sla = find(&published["diagnostics"], "sla")
        .expect("the missing SLA")
        .clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": other}, "range": sla["range"],
               "context": {"diagnostics": [sla]}}),
    );
    let actions = actions["result"].as_array().expect("code actions").clone();
    let insert = actions
        .iter()
        .find(|a| a["title"] == "Insert missing section `## SLA`")
        .unwrap_or_else(|| panic!("an insert action: {actions:?}"));
    assert_eq!(insert["diagnostics"][0]["code"], "sla");
    let edits = insert["edit"]["changes"][&other]
        .as_array()
        .expect("edits")
        .clone();
    let inserted = apply_edits(&crlf, &edits);
    let fixed_by_check = {
        let copy = sandbox.repo("fix");
        copy.write("design/b.md", &crlf);
        let out = copy.designgate(&["check", "--fix", "design/b.md"]);
        assert!(
            support::stdout(&out).contains("sla"),
            "{}",
            support::all_output(&out)
        );
        copy.read("design/b.md")
    };
    assert_ne!(inserted, crlf);
    assert_eq!(inserted, fixed_by_check, "the same edit as `check --fix`");
    change(&mut client, &other, 2, json!([{"text": inserted}]));
    let published = client.diagnostics(&other);
    // The section is there now, still to be written.
    let sla = find(&published["diagnostics"], "sla").expect("the empty SLA");
    assert_eq!(sla["data"]["check"], "hollow-section", "{published}");
    assert_eq!(sla["message"], "section `SLA` is empty");

    // Closing the document clears its diagnostics.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(client.diagnostics(&uri)["diagnostics"], json!([]));

    let (code, stderr) = client.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn bad_json_rpc_is_logged_and_the_server_carries_on() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.write("design/a.md", &without_sla());
    let uri = file_uri(&repo.dir.join("design/a.md"));
    let mut client = Client::start(&repo);

    // Before initialize, a request is refused.
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    client.initialize(&repo.dir);

    // Not JSON, not a message, wrong parameters, an unknown method.
    for body in ["{not json", r#"{"jsonrpc":"2.0","method":5}"#] {
        client.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }
    let bad = client.request("textDocument/hover", json!({"textDocument": 3}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    let unknown = client.request("textDocument/definition", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": 1}}));

    // Still serving: the document is checked.
    open(&mut client, &uri, &without_sla());
    let published = client.diagnostics(&uri);
    assert!(
        find(&published["diagnostics"], "sla").is_some(),
        "{published}"
    );

    let (code, stderr) = client.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("not JSON-RPC"), "logged: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn exit_without_shutdown_and_a_closed_input_end_with_1() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    let mut client = Client::start(&repo);
    client.initialize(&repo.dir);
    client.notify("exit", Value::Null);
    assert_eq!(wait(&mut client.child), Some(1));

    // `--stdio` (which VS Code's client may pass) changes nothing.
    let mut client = Client::start_with(&repo, &repo.dir, &["lsp", "--stdio"]);
    client.initialize(&repo.dir);
    client.stdin = None;
    assert_eq!(wait(&mut client.child), Some(1));
}

#[test]
fn a_broken_pack_is_a_diagnostic_on_the_pack_file() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.write("designgate.toml", "packs = [\"rules/team.toml\"]\n");
    let pack = "[pack]\nname = \"team\"\n\n[[rule]]\nid = \"risks\"\ntitle = \"Risks\"\nheadings = [\"Risks\"]\nrequired = true\n";
    repo.write("rules/team.toml", pack);
    repo.write(
        "design/a.md",
        "# Plan\n\n## Scope\n\nThe whole billing service, end to end.\n",
    );
    let uri = file_uri(&repo.dir.join("design/a.md"));
    let pack_uri = file_uri(&repo.dir.join("rules/team.toml"));
    let mut client = Client::start(&repo);
    client.initialize(&repo.dir);
    open(&mut client, &uri, &repo.read("design/a.md"));
    let published = client.diagnostics(&uri);
    let rules: Vec<String> = summary(&published["diagnostics"])
        .into_iter()
        .map(|d| d.0)
        .collect();
    assert_eq!(
        rules,
        ["risks"],
        "only the team pack's rule applies: {published}"
    );
    // An unknown key in the pack, saved: a diagnostic on the pack file.
    repo.write(
        "rules/team.toml",
        &pack.replace("required = true", "required = true\nrequird = false"),
    );
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": pack_uri}}),
    );
    let published = client.diagnostics(&pack_uri);
    let error = &published["diagnostics"][0];
    assert_eq!(error["range"]["start"]["line"], 8, "{published}");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("requird")),
        "{published}"
    );
    // The rules in force stay: the document keeps its finding.
    let kept = client.diagnostics(&uri);
    assert_eq!(kept["diagnostics"][0]["code"], "risks", "{kept}");
    // Fixed on disk with no notification at all (as from a client that
    // watches no files): the next change of a document notices it.
    repo.write("rules/team.toml", pack);
    change(
        &mut client,
        &uri,
        2,
        json!([{"text": "# Plan\n\n## Risks\n\nThe export may double-book a night.\n"}]),
    );
    assert_eq!(client.diagnostics(&pack_uri)["diagnostics"], json!([]));
    assert_eq!(client.diagnostics(&uri)["diagnostics"], json!([]));
    let (code, stderr) = client.finish();
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn started_in_a_subfolder_config_errors_land_on_the_right_file() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.write("design/a.md", &without_sla());
    repo.write(
        "conf/gate.toml",
        "packs = [\"production-readiness\"]\nbogus = 1\n",
    );
    let sub = repo.dir.join("design");
    // `--config` relative to the server's working directory, as for `check`.
    let mut client = Client::start_with(&repo, &sub, &["--config", "../conf/gate.toml", "lsp"]);
    client.initialize(&repo.dir);
    let uri = file_uri(&repo.dir.join("conf/gate.toml"));
    let published = client.diagnostics(&uri);
    let error = &published["diagnostics"][0];
    assert_eq!(error["range"]["start"]["line"], 1, "{published}");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("bogus")),
        "{published}"
    );
    let (code, stderr) = client.finish();
    assert_eq!(code, Some(0), "{stderr}");
}
