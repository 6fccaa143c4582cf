//! The documentation shows what designgate really prints: every output
//! sample in README.md and docs/*.md is produced by the binary under test,
//! and the tables that describe designgate's own data (the built-in packs,
//! the configuration errors) are rebuilt from it.
//!
//! The documents mark their parts with HTML comments that GitHub does not
//! render:
//!
//! - `<!-- file: PATH -->` before a fenced block: the block is a file,
//!   written to PATH in the section's folder. `<!-- file: PATH` followed by
//!   lines and a closing `-->` is a file that is not shown.
//! - `<!-- run: designgate ARGS -->` before a fenced block: running
//!   designgate with ARGS prints exactly the block. Options, each in
//!   parentheses after ARGS: `(exit N)` the exit status (default 0);
//!   `(in DIR)` run in a fresh copy of this repository's DIR instead of
//!   the section's folder; `(stderr)` compare standard error, not standard
//!   output; `(block "PREFIX")` compare only the first block of the output
//!   (lines up to a blank line) whose first line starts with PREFIX;
//!   `(lines A-B)` compare only lines A to B (1-based, inclusive);
//!   `(git)` make the folder a git repository and stage every file first
//!   (for `--staged`); `(file PATH)` compare the content of file PATH
//!   (in the folder) after the run, not the output.
//! - `<!-- table: NAME -->` before a Markdown table: the table is rebuilt
//!   by the generator NAME below.
//!
//! Each `## ` section has its own folder, with no git repository; files
//! accumulate through the section, so a later `file:` can change an earlier
//! one. `DESIGNGATE_BLESS=1 cargo test --test docs` rewrites samples and
//! tables from what designgate prints; read the diff before committing it.

mod support;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const DOCS: &[&str] = &[
    "README.md",
    "docs/authoring.md",
    "docs/cookbook.md",
    "docs/baseline.md",
    "docs/rules.md",
    "docs/packs.md",
    "docs/git.md",
    "docs/formats.md",
];

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[derive(Debug)]
struct Run {
    args: Vec<String>,
    exit: i32,
    /// A folder of this repository to run in (a fresh copy of it).
    dir: Option<String>,
    stderr: bool,
    block: Option<String>,
    lines: Option<(usize, usize)>,
    git: bool,
    file: Option<String>,
}

#[derive(Debug)]
enum Step {
    File { path: String, body: String },
    Run { run: Run, body: Range<usize> },
    Table { name: String, body: Range<usize> },
}

#[derive(Debug)]
struct Section {
    title: String,
    steps: Vec<Step>,
}

/// The fenced block that starts at the first fence line at or after `from`:
/// its body range and the offset after its closing fence.
fn fenced_block(text: &str, from: usize) -> (Range<usize>, usize) {
    let rest = &text[from..];
    let open_at = rest
        .find("```")
        .unwrap_or_else(|| panic!("no code block after byte {from}"));
    let line_start = from + open_at;
    let fence_len = text[line_start..].chars().take_while(|&c| c == '`').count();
    let fence = "`".repeat(fence_len);
    let body_start = line_start
        + text[line_start..]
            .find('\n')
            .expect("an opening fence ends its line")
        + 1;
    let mut pos = body_start;
    loop {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = text[pos..line_end].trim_end();
        if line == fence {
            return (body_start..pos, line_end);
        }
        assert!(
            line_end < text.len(),
            "unclosed code block at byte {line_start}"
        );
        pos = line_end;
    }
}

/// The Markdown table that starts at the first `|` line at or after `from`.
fn table_block(text: &str, from: usize) -> Range<usize> {
    let mut pos = from;
    while pos < text.len() && !text[pos..].starts_with('|') {
        pos = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
    }
    let start = pos;
    while pos < text.len() && text[pos..].starts_with('|') {
        pos = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
    }
    assert!(pos > start, "no table after byte {from}");
    start..pos
}

/// `ARGS (opt) (opt)` → the run it describes.
fn parse_run(spec: &str) -> Run {
    let mut rest = spec.trim();
    let mut run = Run {
        args: Vec::new(),
        exit: 0,
        dir: None,
        stderr: false,
        block: None,
        lines: None,
        git: false,
        file: None,
    };
    // Options are parenthesised and come last.
    while rest.ends_with(')') {
        let open = rest
            .rfind(" (")
            .unwrap_or_else(|| panic!("bad run: {spec}"));
        let opt = &rest[open + 2..rest.len() - 1];
        if let Some(code) = opt.strip_prefix("exit ") {
            run.exit = code.parse().expect("exit code is a number");
        } else if let Some(dir) = opt.strip_prefix("in ") {
            run.dir = Some(dir.to_owned());
        } else if let Some((a, b)) = opt.strip_prefix("lines ").and_then(|r| r.split_once('-')) {
            run.lines = Some((
                a.parse().expect("a line number"),
                b.parse().expect("a line number"),
            ));
        } else if let Some(file) = opt.strip_prefix("file ") {
            run.file = Some(file.to_owned());
        } else if opt == "git" {
            run.git = true;
        } else if opt == "stderr" {
            run.stderr = true;
        } else if let Some(prefix) = opt.strip_prefix("block ") {
            run.block = Some(prefix.trim_matches('"').to_owned());
        } else {
            break;
        }
        rest = rest[..open].trim_end();
    }
    let mut words = rest.split_whitespace().map(str::to_owned);
    assert_eq!(words.next().as_deref(), Some("designgate"), "{spec}");
    run.args = words.collect();
    run
}

fn parse(text: &str) -> Vec<Section> {
    let mut sections = vec![Section {
        title: "(top)".to_owned(),
        steps: Vec::new(),
    }];
    let mut pos = 0;
    let mut in_fence: Option<String> = None;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = text[pos..line_end].trim_end();
        let fence: String = line.chars().take_while(|&c| c == '`').collect();
        if fence.len() >= 3 {
            match &in_fence {
                Some(open) if *open == fence => in_fence = None,
                None => in_fence = Some(fence),
                Some(_) => {}
            }
            pos = line_end;
            continue;
        }
        if in_fence.is_some() {
            pos = line_end;
            continue;
        }
        let section = sections.last_mut().expect("a section");
        if let Some(title) = line.strip_prefix("## ") {
            sections.push(Section {
                title: title.to_owned(),
                steps: Vec::new(),
            });
        } else if let Some(path) = line
            .strip_prefix("<!-- file: ")
            .and_then(|l| l.strip_suffix(" -->"))
        {
            let (body, after) = fenced_block(text, line_end);
            section.steps.push(Step::File {
                path: path.to_owned(),
                body: text[body].to_owned(),
            });
            pos = after;
            continue;
        } else if let Some(path) = line.strip_prefix("<!-- file: ") {
            let close = text[line_end..]
                .find("\n-->")
                .map(|i| line_end + i + 1)
                .expect("a hidden file ends with a `-->` line");
            section.steps.push(Step::File {
                path: path.trim().to_owned(),
                body: text[line_end..close].to_owned(),
            });
            pos = close;
            continue;
        } else if let Some(spec) = line
            .strip_prefix("<!-- run: ")
            .and_then(|l| l.strip_suffix(" -->"))
        {
            let (body, after) = fenced_block(text, line_end);
            section.steps.push(Step::Run {
                run: parse_run(spec),
                body,
            });
            pos = after;
            continue;
        } else if let Some(name) = line
            .strip_prefix("<!-- table: ")
            .and_then(|l| l.strip_suffix(" -->"))
        {
            let body = table_block(text, line_end);
            pos = body.end;
            section.steps.push(Step::Table {
                name: name.to_owned(),
                body,
            });
            continue;
        }
        pos = line_end;
    }
    sections
}

/// Runs the binary in `dir`, isolated from the caller's git and colours.
fn designgate(dir: &Path, args: &[String]) -> (i32, String, String) {
    let out = Command::new(support::designgate_exe())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("PRE_COMMIT")
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap_or(dir))
        .output()
        .expect("designgate runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Makes `dir` a git repository (if it is not one) and stages every file,
/// with git isolated from the user's configuration.
fn stage_all(dir: &Path) {
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap_or(dir))
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    if !dir.join(".git").exists() {
        git(&["init", "-q", "."]);
    }
    git(&["add", "-A"]);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read a folder to copy") {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// The first block (lines up to a blank line) of `output` that starts with
/// `prefix`, with its line end.
fn block_of(output: &str, prefix: &str) -> Option<String> {
    output
        .split("\n\n")
        .find(|b| b.trim_start_matches('\n').starts_with(prefix))
        .map(|b| format!("{}\n", b.trim_matches('\n')))
}

// ---------------------------------------------------------------- tables

/// `designgate rules --format json` for a configuration that loads `packs`.
fn rules_json(packs: &str) -> Value {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        tmp.path().join("designgate.toml"),
        format!("packs = [\"{packs}\"]\n"),
    )
    .expect("write config");
    let (code, stdout, stderr) = designgate(
        tmp.path(),
        &["rules".into(), "--format".into(), "json".into()],
    );
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).expect("rules --format json is JSON")
}

fn rules_of(json: &Value) -> &Vec<Value> {
    json["rules"].as_array().expect("a list of rules")
}

/// The README's table of the default pack: per area, its rule ids, the
/// ones that can block in bold.
fn readme_checks(_old: &str) -> String {
    let json = rules_json("production-readiness");
    let mut out = String::from("| Area | Rules (id) |\n|---|---|\n");
    let toml = std::fs::read_to_string(manifest_dir().join("rules/production-readiness.toml"))
        .expect("read the pack");
    let pack: toml::Value = toml::from_str(&toml).expect("the pack is TOML");
    for area in pack["area"].as_array().expect("areas") {
        let id = area["id"].as_str().expect("area id");
        let title = area["title"].as_str().expect("area title");
        let members: Vec<&Value> = rules_of(&json).iter().filter(|r| r["area"] == id).collect();
        let ids: Vec<String> = members
            .iter()
            .map(|r| {
                let rid = r["id"].as_str().expect("rule id");
                if r["severity"] == "error" {
                    format!("**`{rid}`**")
                } else {
                    format!("`{rid}`")
                }
            })
            .collect();
        let fields = if members.iter().all(|r| r["kind"] == "field") {
            " (front matter)"
        } else {
            ""
        };
        out.push_str(&format!("| {title} | {}{fields} |\n", ids.join(", ")));
    }
    out
}

/// docs/packs.md's overview: per pack, its number of rules and the rules
/// that are errors (they block a commit). The first two columns are kept.
fn packs_overview(old: &str) -> String {
    let mut out = String::new();
    for (i, line) in old.lines().enumerate() {
        if i < 2 {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let cells: Vec<&str> = line
            .trim_start_matches("| ")
            .trim_end_matches(" |")
            .split(" | ")
            .collect();
        let pack = cells[0]
            .split('`')
            .nth(1)
            .expect("the pack name in backticks");
        let json = rules_json(pack);
        let rules = rules_of(&json);
        let errors: Vec<String> = rules
            .iter()
            .filter(|r| r["severity"] == "error")
            .map(|r| format!("`{}`", r["id"].as_str().expect("rule id")))
            .collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            cells[0],
            cells[1],
            rules.len(),
            errors.join(", ")
        ));
    }
    out
}

/// A configuration mistake of docs/rules.md's error table: the files of a
/// folder in which `designgate rules` fails with the documented message.
struct Mistake {
    name: &'static str,
    files: &'static [(&'static str, &'static str)],
}

const PACK_CONFIG: (&str, &str) = ("designgate.toml", "packs = [\"pack.toml\"]\n");

macro_rules! pack {
    ($body:expr) => {
        &[
            PACK_CONFIG,
            (
                "pack.toml",
                concat!(
                    "[pack]\nname = \"team\"\n\n[[area]]\nid = \"ops\"\ntitle = \"Operations\"\n\n",
                    $body
                ),
            ),
        ]
    };
}

const MISTAKES: &[Mistake] = &[
    Mistake {
        name: "Misspelt key in a rule",
        files: pack!(
            "[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\nmin_word = 10\n"
        ),
    },
    Mistake {
        name: "Misspelt key in a forbid",
        files: pack!(
            "[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\n\n[[rule.forbid]]\nregex = \"TBD\"\n"
        ),
    },
    Mistake {
        name: "Wrong type",
        files: pack!(
            "[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\nmin_words = \"10\"\n"
        ),
    },
    Mistake {
        name: "Unknown severity",
        files: pack!(
            "[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\nseverity = \"fatal\"\n"
        ),
    },
    Mistake {
        name: "Severity that is not a string",
        files: pack!(
            "[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\nseverity = 3\n"
        ),
    },
    Mistake {
        name: "Missing required key",
        files: pack!("[[rule]]\nid = \"sla\"\nheadings = [\"SLA\"]\n"),
    },
    Mistake {
        name: "`require` without `message`",
        files: pack!(
            "[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\n\n[[rule.require]]\npattern = '\\d+%'\n"
        ),
    },
    Mistake {
        name: "No `[pack]` table",
        files: &[
            PACK_CONFIG,
            (
                "pack.toml",
                "[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\n",
            ),
        ],
    },
    Mistake {
        name: "TOML syntax",
        files: pack!("[[rule]]\nid = \"sla\"\ntitle = \"SLA\nheadings = [\"SLA\"]\n"),
    },
    Mistake {
        name: "Invalid regex",
        files: pack!("[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheading_patterns = ['^(slo|sla']\n"),
    },
    Mistake {
        name: "Regex too large",
        files: pack!(
            "[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\n\n[[rule.forbid]]\npattern = '\\w{5000}'\n"
        ),
    },
    Mistake {
        name: "Unknown area",
        files: pack!(
            "[[rule]]\nid = \"sla\"\narea = \"operations\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\n"
        ),
    },
    Mistake {
        name: "Duplicate rule id (same pack)",
        files: pack!(
            "[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\n\n[[rule]]\nid = \"sla\"\ntitle = \"SLO\"\nheadings = [\"SLO\"]\n"
        ),
    },
    Mistake {
        name: "Duplicate rule id (other pack)",
        files: &[
            (
                "designgate.toml",
                "packs = [\"production-readiness\", \"extra.toml\"]\n",
            ),
            (
                "extra.toml",
                "[pack]\nname = \"extra\"\n\n[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\n",
            ),
        ],
    },
    Mistake {
        name: "Reserved rule id",
        files: pack!(
            "[[rule]]\nid = \"document\"\ntitle = \"Document\"\nheadings = [\"Document\"]\n"
        ),
    },
    Mistake {
        name: "Unknown rule in `[rules]`",
        files: &[("designgate.toml", "[rules.load-test]\nmin_words = 20\n")],
    },
    Mistake {
        name: "Key that does not fit the rule",
        files: &[("designgate.toml", "[rules.owner]\nmin_words = 20\n")],
    },
    Mistake {
        name: "Rule with nothing to check",
        files: pack!("[[rule]]\nid = \"x\"\ntitle = \"X\"\n"),
    },
    Mistake {
        name: "Unknown rule in `after`",
        files: pack!(
            "[[rule]]\nid = \"plan\"\ntitle = \"Plan\"\nheadings = [\"Plan\"]\nafter = [\"wy\"]\n\n[[rule]]\nid = \"why\"\ntitle = \"Why\"\nheadings = [\"Why\"]\n"
        ),
    },
    Mistake {
        name: "Bad `when`",
        files: pack!(
            "[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\nwhen = { tier = { match = '^1' } }\n"
        ),
    },
    Mistake {
        name: "Unknown element",
        files: pack!(
            "[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\n\n[[rule.contains]]\nelement = \"tabel\"\n"
        ),
    },
    Mistake {
        name: "`extends` cycle",
        files: &[
            ("designgate.toml", "packs = [\"a.toml\"]\n"),
            ("a.toml", "[pack]\nname = \"a\"\nextends = [\"b.toml\"]\n"),
            ("b.toml", "[pack]\nname = \"b\"\nextends = [\"a.toml\"]\n"),
        ],
    },
    Mistake {
        name: "Test with both `pass` and `fail`",
        files: pack!(
            "[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\n\n[[rule.test]]\npass = \"## SLA\\n\\n99.9%\\n\"\nfail = \"## SLA\\n\"\n"
        ),
    },
    Mistake {
        name: "Area retitled",
        files: &[
            (
                "designgate.toml",
                "packs = [\"production-readiness\", \"extra.toml\"]\n",
            ),
            (
                "extra.toml",
                "[pack]\nname = \"extra\"\n\n[[area]]\nid = \"clarity\"\ntitle = \"Purpose\"\n",
            ),
        ],
    },
    Mistake {
        name: "Invalid id",
        files: pack!(
            "[[rule]]\nid = \"Load_Testing\"\ntitle = \"Load testing\"\nheadings = [\"Load testing\"]\n"
        ),
    },
    Mistake {
        name: "Rule with no headings",
        files: pack!("[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = []\n"),
    },
    Mistake {
        name: "Unknown key in config",
        files: &[("designgate.toml", "design_dir = [\"docs\"]\n")],
    },
    Mistake {
        name: "String instead of array",
        files: &[("designgate.toml", "design_dirs = \"docs\"\n")],
    },
    Mistake {
        name: "Empty `design_dirs`",
        files: &[("designgate.toml", "design_dirs = []\n")],
    },
    Mistake {
        name: "Empty `packs`",
        files: &[("designgate.toml", "packs = []\n")],
    },
    Mistake {
        name: "Unknown built-in pack",
        files: &[("designgate.toml", "packs = [\"production-readines\"]\n")],
    },
    Mistake {
        name: "Pack file missing",
        files: &[("designgate.toml", "packs = [\"rules/missing.toml\"]\n")],
    },
    Mistake {
        name: "Unknown rule in `[severity]`",
        files: &[("designgate.toml", "[severity]\nload-test = \"off\"\n")],
    },
    Mistake {
        name: "Unknown severity in `[severity]`",
        files: &[("designgate.toml", "[severity]\nload-testing = \"fatal\"\n")],
    },
    Mistake {
        name: "Invalid glob",
        files: &[("designgate.toml", "exclude = [\"**/{draft\"]\n")],
    },
    Mistake {
        name: "Design folder outside the repository",
        files: &[("designgate.toml", "design_dirs = [\"../shared/design\"]\n")],
    },
];

/// The message `designgate rules` prints for `mistake`, without the
/// `designgate: error: ` prefix.
fn mistake_message(mistake: &Mistake) -> String {
    let tmp = tempfile::tempdir().expect("temp dir");
    for (path, body) in mistake.files {
        let file = tmp.path().join(path);
        std::fs::create_dir_all(file.parent().expect("a parent")).expect("mkdir");
        std::fs::write(file, body).expect("write a file");
    }
    let (code, stdout, stderr) = designgate(
        tmp.path(),
        &["rules".into(), "--config".into(), "designgate.toml".into()],
    );
    assert_eq!(
        code, 2,
        "{}: designgate rules exits with 2\n{stdout}{stderr}",
        mistake.name
    );
    let line = stderr.trim_end();
    assert_eq!(
        line.lines().count(),
        1,
        "{}: one line\n{stderr}",
        mistake.name
    );
    line.strip_prefix("designgate: error: ")
        .unwrap_or_else(|| panic!("{}: {stderr}", mistake.name))
        .to_owned()
}

/// A message as a table cell: a code span (doubled backticks if it holds
/// one), with `|` escaped.
fn code_cell(message: &str) -> String {
    let span = if message.contains('`') {
        format!("`` {message} ``")
    } else {
        format!("`{message}`")
    };
    span.replace('|', "\\|")
}

/// docs/rules.md's table of configuration errors: each row's message is
/// what designgate prints for the mistake its first cell names; text after
/// the code span (where it points) is kept.
fn config_errors(old: &str) -> String {
    let mut out = String::new();
    let mut seen = Vec::new();
    for (i, line) in old.lines().enumerate() {
        if i < 2 {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let inner = line.trim_start_matches("| ").trim_end_matches(" |");
        let (name, cell) = inner.split_once(" | ").expect("two cells");
        let mistake = MISTAKES
            .iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("no fixture for the mistake `{name}` in docs/rules.md"));
        seen.push(name);
        // The note after the code span, such as "(points at the `[[rule]]` line)".
        let span_end = if let Some(rest) = cell.strip_prefix("`` ") {
            rest.find(" ``").map(|i| 3 + i + 3)
        } else {
            cell.get(1..).and_then(|r| r.find('`')).map(|i| i + 2)
        };
        let note = span_end.map_or("", |end| &cell[end..]);
        out.push_str(&format!(
            "| {name} | {}{note} |\n",
            code_cell(&mistake_message(mistake))
        ));
    }
    for m in MISTAKES {
        assert!(
            seen.contains(&m.name),
            "docs/rules.md has no row for the mistake `{}`",
            m.name
        );
    }
    out
}

/// docs/rules.md's table of the default pack: id, area, title, severity
/// and `min_words` of every rule. What the old table says after a field
/// rule's title (its key and constraints, in parentheses) is kept.
fn builtin_rules(old: &str) -> String {
    let json = rules_json("production-readiness");
    let mut out = String::new();
    for line in old.lines().take(2) {
        out.push_str(line);
        out.push('\n');
    }
    for r in rules_of(&json) {
        let id = r["id"].as_str().expect("rule id");
        let title = r["title"].as_str().expect("rule title");
        let detail = match r["kind"].as_str() {
            Some("links") => " (link rule)".to_owned(),
            Some("field") => old
                .lines()
                .find(|l| l.starts_with(&format!("| `{id}` |")))
                .and_then(|l| l.split(" | ").nth(2))
                .and_then(|cell| cell.find(" (").map(|i| cell[i..].to_owned()))
                .unwrap_or_default(),
            _ => String::new(),
        };
        let severity = match r["severity"].as_str().expect("severity") {
            "error" => "**error**".to_owned(),
            s => s.to_owned(),
        };
        let min_words = match r["kind"].as_str() {
            Some("section") => r["min_words"].to_string(),
            _ => String::new(),
        };
        let area = r["area"].as_str().unwrap_or("");
        let row = format!("| `{id}` | {area} | {title}{detail} | {severity} | {min_words} |");
        out.push_str(&row.replace("|  |", "| |"));
        out.push('\n');
    }
    out
}

fn generate(name: &str, old: &str) -> String {
    match name {
        "builtin-rules" => builtin_rules(old),
        "readme-checks" => readme_checks(old),
        "packs-overview" => packs_overview(old),
        "config-errors" => config_errors(old),
        _ => panic!("unknown table generator `{name}`"),
    }
}

// ---------------------------------------------------------------- the test

/// Runs every sample of `doc`; returns the failures and the rewrites.
/// A part of a document to replace, and its new text.
type Rewrite = (Range<usize>, String);

fn check_doc(doc: &str, text: &str) -> (Vec<String>, Vec<Rewrite>, usize) {
    let mut failures = Vec::new();
    let mut rewrites = Vec::new();
    let mut runs = 0;
    for section in parse(text) {
        if section.steps.is_empty() {
            continue;
        }
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir: PathBuf = tmp.path().join("repo");
        std::fs::create_dir_all(&dir).expect("repo dir");
        for step in &section.steps {
            match step {
                Step::File { path, body } => {
                    let file = dir.join(path);
                    std::fs::create_dir_all(file.parent().expect("a parent")).expect("mkdir");
                    std::fs::write(&file, body).expect("write a doc file");
                }
                Step::Run { run, body } => {
                    runs += 1;
                    let copy = tempfile::tempdir().expect("temp dir");
                    let cwd = match &run.dir {
                        Some(d) => {
                            let to = copy.path().join("repo");
                            copy_dir(&manifest_dir().join(d), &to);
                            to
                        }
                        None => dir.clone(),
                    };
                    if run.git {
                        stage_all(&cwd);
                    }
                    let (code, stdout, stderr) = designgate(&cwd, &run.args);
                    let written = run.file.as_ref().map(|f| {
                        std::fs::read_to_string(cwd.join(f))
                            .unwrap_or_else(|e| format!("(cannot read {f}: {e})\n"))
                    });
                    let shown = match &written {
                        Some(text) => text,
                        None if run.stderr => &stderr,
                        None => &stdout,
                    };
                    let actual = match &run.block {
                        Some(prefix) => block_of(shown, prefix).unwrap_or_else(|| {
                            format!("(no block starting with {prefix:?} in)\n{shown}")
                        }),
                        None => match run.lines {
                            Some((a, b)) => shown
                                .lines()
                                .skip(a.saturating_sub(1))
                                .take(b + 1 - a)
                                .map(|l| format!("{l}\n"))
                                .collect(),
                            None => shown.clone(),
                        },
                    };
                    let what = format!(
                        "{doc}, section `{}`: `designgate {}`",
                        section.title,
                        run.args.join(" ")
                    );
                    if actual != text[body.clone()] {
                        failures.push(format!(
                            "{what} printed\n{actual}\nthe document shows\n{}\nstderr: {stderr}",
                            &text[body.clone()]
                        ));
                        rewrites.push((body.clone(), actual));
                    }
                    if code != run.exit {
                        failures.push(format!(
                            "{what} exited with {code}, the document says {}\nstdout: {stdout}\nstderr: {stderr}",
                            run.exit
                        ));
                    }
                }
                Step::Table { name, body } => {
                    let old = &text[body.clone()];
                    let new = generate(name, old);
                    if new != old {
                        failures.push(format!(
                            "{doc}, section `{}`: table `{name}` is\n{old}\nbut designgate says\n{new}",
                            section.title
                        ));
                        rewrites.push((body.clone(), new));
                    }
                }
            }
        }
    }
    (failures, rewrites, runs)
}

#[test]
fn every_sample_and_table_is_real_output() {
    let bless = std::env::var_os("DESIGNGATE_BLESS").is_some();
    let mut failures = Vec::new();
    for doc in DOCS {
        let path = manifest_dir().join(doc);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{doc}: {e}"));
        let (mut found, rewrites, runs) = check_doc(doc, &text);
        if *doc == "docs/cookbook.md" {
            assert!(runs >= 8, "the cookbook has its recipes");
        }
        if bless && !rewrites.is_empty() {
            let mut text = text;
            for (range, new) in rewrites.into_iter().rev() {
                text.replace_range(range, &new);
            }
            std::fs::write(&path, text).expect("rewrite the document");
            // Exit codes are not rewritten: they stay failures.
            found.retain(|f| f.contains(" exited with "));
        }
        failures.extend(found);
    }
    assert!(
        failures.is_empty(),
        "{}\n(DESIGNGATE_BLESS=1 cargo test --test docs rewrites samples and tables; read the diff)",
        failures.join("\n---\n")
    );
}

#[test]
fn the_markers_are_understood() {
    let run =
        parse_run(r#"designgate check --format json (in examples) (exit 1) (block "error[sla]")"#);
    assert_eq!(run.args, ["check", "--format", "json"]);
    assert_eq!(run.exit, 1);
    assert_eq!(run.dir.as_deref(), Some("examples"));
    assert_eq!(run.block.as_deref(), Some("error[sla]"));
    assert!(!run.stderr);
    let text = "## A\n\n<!-- file: x.md\n# X\n-->\n\n<!-- run: designgate check (stderr) -->\n```\nout\n```\n\n<!-- table: t -->\n| a |\n|---|\n| 1 |\n\nafter\n";
    let sections = parse(text);
    let steps = &sections[1].steps;
    assert!(matches!(&steps[0], Step::File { path, body } if path == "x.md" && body == "# X\n"));
    assert!(
        matches!(&steps[1], Step::Run { run, body } if run.stderr && &text[body.clone()] == "out\n")
    );
    assert!(
        matches!(&steps[2], Step::Table { name, body } if name == "t" && &text[body.clone()] == "| a |\n|---|\n| 1 |\n")
    );
    assert_eq!(
        block_of("a\nb\n\nerror[x]: y\n  z\n\nlast\n", "error[x]").as_deref(),
        Some("error[x]: y\n  z\n")
    );
}
