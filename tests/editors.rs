//! Real editors as the language client: headless Neovim (Debian's package;
//! its built-in LSP client) runs `tests/editors/nvim.lua`, and Emacs in
//! batch mode with eglot runs `tests/editors/eglot.el`, against the built
//! `designgate lsp` in a real repository. The script edits a design
//! document without saving, waits for the diagnostics Neovim shows, picks
//! "Insert missing section" from Neovim's code action menu and saves;
//! here we assert what it saw and what it wrote.
//!
//! Without the editor on `PATH` a test is ignored, unless
//! `DESIGNGATE_REQUIRE_EDITORS=1` (as `.ci/run` sets): then it runs and
//! fails, so CI never counts it as passed without an editor.

mod support;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{Sandbox, all_output, designgate_exe, stdout, without_sla};

/// A guard against a hung editor, not a speed check.
const PATIENCE: Duration = Duration::from_secs(180);

#[test]
#[cfg_attr(
    not(has_nvim),
    ignore = "needs nvim on PATH (bash .ci/run installs Debian's neovim; DESIGNGATE_REQUIRE_EDITORS=1 makes this fail instead)"
)]
fn neovim_shows_the_diagnostics_and_applies_the_code_action() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    let text = without_sla();
    repo.commit_unchecked(&[("design/a.md", &text)], "start");
    let file = repo.dir.join("design/a.md");
    let report = sandbox.base.join("nvim-report.json");
    let why = text
        .lines()
        .position(|l| l == "## Why")
        .expect("a Why section");
    let edit_line = why + 2;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editors/nvim.lua");

    // What `check` finds in the file before Neovim touches it.
    let checked = repo.designgate(&["check", "--format", "json", "design/a.md"]);
    let checked: Value = serde_json::from_str(&stdout(&checked)).expect("check prints JSON");
    let expected: Vec<(String, u64, String)> = checked["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().expect("rule").to_owned(),
                d["line"].as_u64().expect("line"),
                d["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect();
    let mut child = sandbox
        .command(&repo.dir, "nvim")
        .args(["--headless", "-n", "-i", "NONE", "-u", "NONE", "--noplugin"])
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .env("XDG_STATE_HOME", sandbox.base.join("state"))
        .env("XDG_DATA_HOME", sandbox.base.join("data"))
        .env("DESIGNGATE_EXE", designgate_exe())
        .env("DESIGNGATE_ROOT", &repo.dir)
        .env("DESIGNGATE_FILE", &file)
        .env("DESIGNGATE_EDIT_LINE", edit_line.to_string())
        .env("DESIGNGATE_REPORT", &report)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("run nvim (apt-get install neovim): {e}"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for nvim") {
            break status;
        }
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("nvim did not finish in {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let seen: Value = serde_json::from_str(
        &std::fs::read_to_string(&report)
            .unwrap_or_else(|e| panic!("nvim wrote no report ({status}): {e}")),
    )
    .expect("the report is JSON");
    assert_eq!(
        seen["error"],
        Value::Null,
        "the script failed: {}",
        seen["error"]
    );
    assert!(status.success(), "nvim exited with {status}");

    let shown = |list: &Value| -> Vec<(String, u64, String)> {
        list.as_array()
            .expect("a list of diagnostics")
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().expect("code").to_owned(),
                    d["lnum"].as_u64().expect("lnum") + 1,
                    d["message"].as_str().expect("message").to_owned(),
                )
            })
            .collect()
    };
    // On opening: `check`'s findings for the file, on the lines it names.
    assert_eq!(shown(&seen["opened"]), expected, "{}", seen["opened"]);
    let sla = seen["opened"]
        .as_array()
        .and_then(|l| l.iter().find(|d| d["code"] == "sla"))
        .expect("the missing SLA");
    assert_eq!(sla["severity"], 1, "an error in Neovim's terms");

    // The unsaved edit's placeholder, at the byte column Neovim computes
    // from the server's UTF-16 column (`ë` and `😀` differ in both).
    let placeholder = seen["edited"]
        .as_array()
        .and_then(|l| l.iter().find(|d| d["check"] == "placeholder"))
        .expect("the placeholder");
    let line = "Zoë 😀 TODO here.";
    assert_eq!(placeholder["lnum"], edit_line as u64);
    assert_eq!(placeholder["col"], line.find("TODO").expect("TODO") as u64);
    assert_eq!(
        placeholder["end_col"],
        (line.find("TODO").expect("TODO") + 4) as u64
    );

    // The menu offered the fix, and the saved file is what `check --fix`
    // makes of the same text.
    let actions: Vec<&str> = seen["actions"]
        .as_array()
        .expect("the code action menu")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        actions.contains(&"Insert missing section `## SLA`"),
        "{actions:?}"
    );
    assert!(
        seen["fixed"]
            .as_array()
            .is_some_and(|l| l.iter().all(|d| d["check"] != "missing-section")),
        "{}",
        seen["fixed"]
    );
    let mut edited: Vec<&str> = text.lines().collect();
    edited.splice(edit_line..edit_line, [line, ""]);
    let edited = edited.join("\n") + "\n";
    let copy = sandbox.repo("fix");
    copy.write("design/a.md", &edited);
    let out = copy.designgate(&["check", "--fix", "design/a.md"]);
    assert!(stdout(&out).contains("sla"), "{}", all_output(&out));
    assert_eq!(repo.read("design/a.md"), copy.read("design/a.md"));
}

/// The Neovim 0.7 setup that docs/editors.md gives, run as a user's
/// `init.lua`: opening two design documents starts one designgate client
/// that shows each document's findings.
#[test]
#[cfg_attr(
    not(has_nvim),
    ignore = "needs nvim on PATH (bash .ci/run installs Debian's neovim; DESIGNGATE_REQUIRE_EDITORS=1 makes this fail instead)"
)]
fn the_neovim_setup_in_the_docs_works() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/editors.md"))
            .expect("read docs/editors.md");
    let marker = "<!-- test: nvim-0.7 -->\n```lua\n";
    let start = docs
        .find(marker)
        .expect("docs/editors.md marks its Neovim 0.7 setup")
        + marker.len();
    let init = &docs[start..start + docs[start..].find("```").expect("the block ends")];

    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(
        &[
            ("design/a.md", &without_sla()),
            ("design/b.md", "# Plan\n\n## Why\n\nTBD\n"),
        ],
        "start",
    );
    let init_path = sandbox.base.join("init.lua");
    std::fs::write(&init_path, init).expect("write init.lua");
    let report = sandbox.base.join("setup-report.json");
    let check = r#"
local seen = {}
local function wait_for(buf)
  return vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
end
for _, name in ipairs({ 'design/a.md', 'design/b.md' }) do
  vim.cmd('edit ' .. name)
  local buf = vim.api.nvim_get_current_buf()
  local codes = {}
  if wait_for(buf) then
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(codes, (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or d.code)
    end
  end
  table.sort(codes)
  seen[name] = codes
end
local names = {}
for _, c in pairs(vim.lsp.get_active_clients()) do table.insert(names, c.name) end
seen.clients = names
local out = assert(io.open(os.getenv('DESIGNGATE_REPORT'), 'w'))
out:write(vim.fn.json_encode(seen))
out:close()
vim.cmd('qall!')
"#;
    let check_path = sandbox.base.join("check.lua");
    std::fs::write(&check_path, check).expect("write check.lua");
    let mut child = sandbox
        .command(&repo.dir, "nvim")
        .args(["--headless", "-n", "-i", "NONE", "-u"])
        .arg(&init_path)
        .arg("-c")
        .arg(format!("luafile {}", check_path.display()))
        .env("XDG_STATE_HOME", sandbox.base.join("state"))
        .env("XDG_DATA_HOME", sandbox.base.join("data"))
        .env("XDG_CONFIG_HOME", sandbox.base.join("config"))
        .env("DESIGNGATE_REPORT", &report)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("run nvim (apt-get install neovim): {e}"));
    let start = Instant::now();
    while child.try_wait().expect("wait for nvim").is_none() {
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("nvim did not finish in {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let seen: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("nvim wrote a report"))
            .expect("the report is JSON");
    assert_eq!(
        seen["clients"],
        serde_json::json!(["designgate"]),
        "one client: {seen}"
    );
    for doc in ["design/a.md", "design/b.md"] {
        let out = repo.designgate(&["check", "--format", "json", doc]);
        let checked: Value = serde_json::from_str(&stdout(&out)).expect("check prints JSON");
        let mut rules: Vec<&str> = checked["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter_map(|d| d["rule"].as_str())
            .collect();
        rules.sort_unstable();
        assert!(!rules.is_empty());
        assert_eq!(seen[doc], serde_json::json!(rules), "{doc}: {seen}");
    }
}

/// Runs `command` to completion, killing it after [`PATIENCE`].
fn finish(mut child: std::process::Child, what: &str) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for the editor") {
            return status;
        }
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("{what} did not finish in {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Emacs with eglot, set up as docs/editors.md says: the diagnostics it
/// shows are `check`'s, and "Insert missing section" picked from
/// `eglot-code-actions` saves what `check --fix` writes.
#[test]
#[cfg_attr(
    not(has_eglot),
    ignore = "needs emacs with eglot and markdown-mode (bash .ci/run installs Debian's emacs-nox, elpa-eglot, elpa-markdown-mode; DESIGNGATE_REQUIRE_EDITORS=1 makes this fail instead)"
)]
fn emacs_eglot_shows_the_diagnostics_and_applies_the_code_action() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    let text = without_sla();
    repo.commit_unchecked(&[("design/a.md", &text)], "start");
    let out = repo.designgate(&["check", "--format", "json", "design/a.md"]);
    let checked: Value = serde_json::from_str(&stdout(&out)).expect("check prints JSON");
    let expected: Vec<Value> = checked["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| serde_json::json!([d["rule"], d["line"], d["message"]]))
        .collect();
    let report = sandbox.base.join("eglot-report.json");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editors/eglot.el");
    let child = sandbox
        .command(&repo.dir, "emacs")
        .arg("--batch")
        .arg("-l")
        .arg(&script)
        .env("DESIGNGATE_FILE", repo.dir.join("design/a.md"))
        .env("DESIGNGATE_REPORT", &report)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("run emacs (apt-get install emacs-nox elpa-eglot elpa-markdown-mode): {e}")
        });
    let status = finish(child, "emacs");
    let seen: Value = serde_json::from_str(
        &std::fs::read_to_string(&report)
            .unwrap_or_else(|e| panic!("emacs wrote no report ({status}): {e}")),
    )
    .expect("the report is JSON");
    assert_eq!(seen["error"], Value::Null, "the script failed: {seen}");
    assert!(status.success(), "emacs exited with {status}");
    assert_eq!(seen["opened"], serde_json::json!(expected), "{seen}");
    assert!(
        seen["actions"]
            .as_array()
            .is_some_and(|a| a.contains(&serde_json::json!("Insert missing section `## SLA`"))),
        "{seen}"
    );
    let copy = sandbox.repo("fix");
    copy.write("design/a.md", &text);
    let out = copy.designgate(&["check", "--fix", "design/a.md"]);
    assert!(stdout(&out).contains("sla"), "{}", all_output(&out));
    assert_eq!(repo.read("design/a.md"), copy.read("design/a.md"));
}
