//! `designgate baseline` and `check --baseline` on real repositories: edits
//! elsewhere keep entries, renames git sees keep them, fixed entries become
//! notes, `--update` only shrinks the file, writing never grows it
//! silently, `--baseline-from` ignores entries a pushed change adds, and
//! hostile baseline files fail closed.
//!
//! Every test builds a throwaway repository with the real `git` CLI,
//! isolated from the user's configuration, and runs the built binary.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

const BASELINE: &str = ".designgate-baseline.json";

/// A pack of four sections, so that each finding is easy to name.
const PACK: &str = r#"[pack]
name = "small"
description = "Four sections."

[defaults]
severity = "error"
min_words = 8

[[defaults.forbid]]
pattern = '\b(?:TBD|TODO)\b'
message = "a placeholder is not an answer"

[[rule]]
id = "sla"
title = "SLA"
headings = ["SLA"]
required = true

[[rule]]
id = "load-testing"
title = "Load testing"
headings = ["Load testing"]
required = true

[[rule]]
id = "alerting"
title = "Alerting"
headings = ["Alerting"]
required = true

[[rule]]
id = "cost"
title = "Cost"
headings = ["Cost"]
required = true
severity = "warning"
"#;

/// A document with one `sla` error (a placeholder), one `load-testing`
/// error (missing section) and complete alerting and cost sections.
const OLD: &str = "# Search\n\n## SLA\n\nTODO\n\n## Alerting\n\nWe page the search on-call when p99 latency stays above 300 ms for ten minutes.\n\n## Cost\n\nTwo small instances and a managed index, about 400 euros a month in all.\n";

/// A complete document.
const GOOD: &str = "# Billing\n\n## SLA\n\nInvoices are generated within one hour of the period end, 99.9% of months.\n\n## Load testing\n\nWe replay the largest month of invoices at twice its volume with k6 nightly.\n\n## Alerting\n\nWe page billing on-call when a run fails twice or is an hour late, any time.\n\n## Cost\n\nOne batch worker, about fifty euros a month, plus storage for the PDFs.\n";

struct Repo {
    _tmp: TempDir,
    base: PathBuf,
    dir: PathBuf,
}

impl Repo {
    /// A repository with the small pack, `design/search.md` ([`OLD`]) and
    /// `design/billing.md` ([`GOOD`]) committed.
    fn new() -> Repo {
        let tmp = tempfile::Builder::new()
            .prefix("designgate-baseline-")
            .tempdir()
            .expect("create a temp dir");
        let base = fs::canonicalize(tmp.path()).expect("canonicalize the temp dir");
        let dir = base.join("repo");
        fs::create_dir_all(&dir).expect("create the repository folder");
        fs::create_dir_all(base.join("home")).expect("create the home folder");
        let repo = Repo {
            _tmp: tmp,
            base,
            dir,
        };
        repo.git(&["-c", "init.defaultBranch=main", "init", "-q", "."]);
        repo.write("designgate.toml", "packs = [\"rules/small.toml\"]\n");
        repo.write("rules/small.toml", PACK);
        repo.write("design/search.md", OLD);
        repo.write("design/billing.md", GOOD);
        repo.commit_all("first");
        repo
    }

    fn write(&self, path: &str, text: &str) {
        let abs = self.dir.join(path);
        fs::create_dir_all(abs.parent().expect("a parent")).expect("create folders");
        fs::write(&abs, text).expect("write a file");
    }

    fn read(&self, path: &str) -> String {
        fs::read_to_string(self.dir.join(path)).expect("read a file")
    }

    fn commit_all(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--no-verify", "-m", message]);
    }

    fn git(&self, args: &[&str]) -> String {
        let out = self.run("git", args);
        assert!(out.status.success(), "git {args:?} failed:\n{}", text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn designgate(&self, args: &[&str]) -> Output {
        self.run(support::designgate_exe(), args)
    }

    fn run(&self, program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Output {
        let program = program.as_ref();
        let mut cmd = Command::new(program);
        cmd.args(args).current_dir(&self.dir);
        for var in support::INHERITED_VARS {
            cmd.env_remove(var);
        }
        cmd.env("HOME", self.base.join("home"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CEILING_DIRECTORIES", &self.base)
            .env("GIT_AUTHOR_NAME", "Ada Author")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada Author")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .env("NO_COLOR", "1")
            .output()
            .unwrap_or_else(|e| panic!("run {program:?} {args:?}: {e}"))
    }

    /// `designgate baseline`, which must succeed.
    fn write_baseline(&self) {
        let out = self.designgate(&["baseline"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    }

    /// `check --baseline` of every document, as JSON.
    fn check_json(&self, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(extra);
        let out = self.designgate(&args);
        let json = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("JSON from {args:?}: {e}\n{}", text(&out)));
        (out.status.code(), json)
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `(path, rule, check)` of the findings that count (not suppressed, not
/// waived), sorted.
fn open_findings(json: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d.get("suppressed").is_none() && d["waived"].is_null())
        .map(|d| {
            (
                d["path"].as_str().unwrap_or_default().to_owned(),
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["check"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

fn suppressed_count(json: &serde_json::Value) -> usize {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d.get("suppressed").is_some())
        .count()
}

fn note_kinds(json: &serde_json::Value) -> Vec<(String, String)> {
    json["notes"]
        .as_array()
        .map(|notes| {
            notes
                .iter()
                .map(|n| {
                    (
                        n["kind"].as_str().unwrap_or_default().to_owned(),
                        n["path"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn finding(path: &str, rule: &str, check: &str) -> (String, String, String) {
    (path.to_owned(), rule.to_owned(), check.to_owned())
}

#[test]
fn edits_elsewhere_keep_entries_and_only_new_findings_count() {
    let repo = Repo::new();
    let (code, before) = repo.check_json(&[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        open_findings(&before),
        [
            finding("design/search.md", "load-testing", "missing-section"),
            finding("design/search.md", "sla", "placeholder"),
        ]
    );
    repo.write_baseline();
    repo.commit_all("baseline");
    // After the commit, the same findings leave the file as it is.
    let out = repo.designgate(&["baseline"]);
    assert!(text(&out).contains("is up to date"), "{}", text(&out));
    assert!(repo.git(&["status", "--porcelain"]).is_empty());
    // Lines shift: a paragraph before everything, text added to other
    // sections; the SLA placeholder itself is untouched.
    let edited = OLD
        .replace(
            "# Search\n",
            "# Search\n\nA new introduction.\n\nAnd a second paragraph of context.\n",
        )
        .replace("ten minutes.", "ten minutes, or when errors pass 1%.");
    repo.write("design/search.md", &edited);
    let (code, json) = repo.check_json(&["--baseline", BASELINE]);
    assert_eq!(code, Some(0), "{json:#}");
    assert!(open_findings(&json).is_empty(), "{json:#}");
    assert_eq!(suppressed_count(&json), 2);
    assert_eq!(json["summary"]["suppressed"], 2);
    assert_eq!(json["summary"]["errors"], 0);
    assert!(note_kinds(&json).is_empty(), "{json:#}");
    // A new problem counts, in the same document and in another.
    repo.write(
        "design/search.md",
        &edited.replace("about 400 euros", "TBD euros"),
    );
    repo.write(
        "design/billing.md",
        &GOOD.replace("## Alerting", "## Alarms"),
    );
    let (code, json) = repo.check_json(&["--baseline", BASELINE]);
    assert_eq!(code, Some(1));
    assert_eq!(
        open_findings(&json),
        [
            finding("design/billing.md", "alerting", "missing-section"),
            finding("design/search.md", "cost", "placeholder"),
        ]
    );
    // Human output shows only the new ones and counts the rest.
    let out = repo.designgate(&["check", "--baseline", BASELINE]);
    let shown = text(&out);
    assert!(shown.contains("error[alerting]"), "{shown}");
    assert!(!shown.contains("error[sla]"), "{shown}");
    assert!(shown.contains("2 baselined"), "{shown}");
}

#[test]
fn a_second_identical_finding_is_new() {
    let repo = Repo::new();
    repo.write_baseline();
    // One more `TODO` in the SLA section: the same key, one more than listed.
    repo.write("design/search.md", &OLD.replace("TODO\n", "TODO\n\nTODO\n"));
    let (code, json) = repo.check_json(&["--baseline", BASELINE]);
    assert_eq!(code, Some(1), "{json:#}");
    assert_eq!(
        open_findings(&json),
        [finding("design/search.md", "sla", "placeholder")]
    );
    // The first is the baselined one.
    let sla: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "sla")
        .map(|d| (d["line"].as_u64(), d.get("suppressed").is_some()))
        .collect();
    assert_eq!(sla, [(Some(5), true), (Some(7), false)]);
}

#[test]
fn fixed_entries_are_notes_and_update_only_removes() {
    let repo = Repo::new();
    repo.write_baseline();
    repo.commit_all("baseline");
    let original = repo.read(BASELINE);
    assert_eq!(original.matches("\"path\"").count(), 2, "{original}");
    // Fix the SLA placeholder; add a new placeholder under Cost.
    let fixed = OLD.replace(
        "TODO\n",
        "99.9% of searches answer within 300 ms, monthly.\n",
    );
    repo.write(
        "design/search.md",
        &fixed.replace("about 400 euros", "TBD euros"),
    );
    let (code, json) = repo.check_json(&["--baseline", BASELINE]);
    assert_eq!(code, Some(0), "a warning does not block: {json:#}");
    assert_eq!(
        note_kinds(&json),
        [("baseline-fixed".to_owned(), "design/search.md".to_owned())]
    );
    let note = json["notes"][0]["message"].as_str().unwrap();
    assert!(note.contains("`sla` (placeholder)"), "{note}");
    assert!(note.contains("designgate baseline --update"), "{note}");
    // Human output puts the note on stderr.
    let out = repo.designgate(&["check", "--baseline", BASELINE]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("note: design/search.md: a baselined finding is fixed"),
        "{err}"
    );

    // Writing over it would add the Cost placeholder: refused, untouched.
    let out = repo.designgate(&["baseline"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("never grows silently"),
        "{}",
        text(&out)
    );
    assert_eq!(repo.read(BASELINE), original);

    // --update drops the fixed entry and does not add the new finding.
    let out = repo.designgate(&["baseline", "--update"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("removed 1 fixed finding"),
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains("1 finding not in the baseline was not added"),
        "{}",
        text(&out)
    );
    let updated = repo.read(BASELINE);
    assert_eq!(updated.matches("\"path\"").count(), 1, "{updated}");
    assert!(updated.contains("\"rule\":\"load-testing\""), "{updated}");
    assert!(!updated.contains("\"rule\":\"cost\""), "{updated}");
    // Every line of the update was in the original, the commit aside.
    for line in updated.lines().filter(|l| !l.contains("\"commit\"")) {
        assert!(
            original.contains(line.trim_end_matches(',')),
            "new line {line}"
        );
    }
    // The Cost placeholder still counts (as a warning).
    let (_, json) = repo.check_json(&["--baseline", BASELINE]);
    assert_eq!(
        open_findings(&json),
        [finding("design/search.md", "cost", "placeholder")]
    );
    // A second update changes nothing.
    let out = repo.designgate(&["baseline", "--update"]);
    assert!(text(&out).contains("is up to date"), "{}", text(&out));
    assert_eq!(repo.read(BASELINE), updated);
    // --force records it, on purpose.
    let out = repo.designgate(&["baseline", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(repo.read(BASELINE).contains("\"rule\":\"cost\""));
}

#[test]
fn renames_git_reports_keep_their_entries() {
    let repo = Repo::new();
    repo.write_baseline();
    repo.commit_all("baseline");
    // Staged rename: --staged and the work tree both follow it.
    repo.git(&["mv", "design/search.md", "design/search-v2.md"]);
    for extra in [&["--staged"][..], &[]] {
        let mut args = vec!["--baseline", BASELINE];
        args.extend_from_slice(extra);
        let (code, json) = repo.check_json(&args);
        assert_eq!(code, Some(0), "{extra:?}: {json:#}");
        assert_eq!(suppressed_count(&json), 2, "{extra:?}: {json:#}");
        assert!(note_kinds(&json).is_empty(), "{extra:?}: {json:#}");
    }
    // Committed, with an edit: --rev and --diff follow it from the
    // baseline's commit to the checked one.
    let text_now = repo.read("design/search-v2.md");
    repo.write(
        "design/search-v2.md",
        &text_now.replace("# Search\n", "# Search, version 2\n\nRenamed.\n"),
    );
    repo.commit_all("rename");
    for args in [
        &["--rev", "HEAD"][..],
        &["--diff", "HEAD~1..HEAD"],
        &["--diff", "HEAD~1..HEAD", "--baseline-from", "HEAD~1"],
    ] {
        let mut all = args.to_vec();
        if !all.contains(&"--baseline-from") {
            all.extend(["--baseline", BASELINE]);
        }
        let (code, json) = repo.check_json(&all);
        assert_eq!(code, Some(0), "{args:?}: {json:#}");
        assert_eq!(suppressed_count(&json), 2, "{args:?}: {json:#}");
    }
    // `--update` writes the new path and the new commit.
    let out = repo.designgate(&["baseline", "--update"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let updated = repo.read(BASELINE);
    assert!(updated.contains("design/search-v2.md"), "{updated}");
    assert!(!updated.contains("design/search.md"), "{updated}");
    let head = repo.git(&["rev-parse", "HEAD"]);
    assert!(updated.contains(head.trim()), "{updated}");
}

#[test]
fn a_rename_git_does_not_see_loses_its_entries_and_says_so() {
    let repo = Repo::new();
    repo.write_baseline();
    repo.commit_all("baseline");
    // Moved by hand and rewritten: git sees a new file, not a rename.
    fs::remove_file(repo.dir.join("design/search.md")).unwrap();
    repo.write(
        "design/moved.md",
        &OLD.replace("# Search\n", "# Something else entirely\n\nWith a long new introduction that is not in the old file at all, and more.\n"),
    );
    let (code, json) = repo.check_json(&["--baseline", BASELINE]);
    assert_eq!(code, Some(1), "{json:#}");
    assert_eq!(
        open_findings(&json),
        [
            finding("design/moved.md", "load-testing", "missing-section"),
            finding("design/moved.md", "sla", "placeholder"),
        ]
    );
    let notes = note_kinds(&json);
    assert_eq!(
        notes,
        [("baseline-fixed".to_owned(), "design/search.md".to_owned())],
        "{json:#}"
    );
    // A run over some documents only says nothing about the others.
    let (_, json) = repo.check_json(&["--baseline", BASELINE, "design/billing.md"]);
    assert!(note_kinds(&json).is_empty(), "{json:#}");
}

#[test]
fn baseline_from_the_old_revision_ignores_entries_a_change_adds() {
    let repo = Repo::new();
    repo.write_baseline();
    repo.commit_all("baseline");
    // A change adds a failing document and baselines it in the same commit.
    repo.write("design/new.md", &OLD.replace("# Search", "# New"));
    let out = repo.designgate(&["baseline", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    repo.commit_all("sneak");
    // Its own baseline lets it through...
    let (code, _) = repo.check_json(&["--diff", "HEAD~1..HEAD", "--baseline", BASELINE]);
    assert_eq!(code, Some(0));
    // ...the base revision's does not.
    let (code, json) = repo.check_json(&["--diff", "HEAD~1..HEAD", "--baseline-from", "HEAD~1"]);
    assert_eq!(code, Some(1), "{json:#}");
    assert_eq!(
        open_findings(&json),
        [
            finding("design/new.md", "load-testing", "missing-section"),
            finding("design/new.md", "sla", "placeholder"),
        ]
    );
    // A revision without a baseline baselines nothing, and says so.
    let (code, json) = repo.check_json(&["--rev", "HEAD", "--baseline-from", "HEAD~2"]);
    assert_eq!(code, Some(1));
    assert_eq!(suppressed_count(&json), 0);
    assert_eq!(
        note_kinds(&json),
        [("baseline-unavailable".to_owned(), BASELINE.to_owned())]
    );
    // A path that leaves the repository is refused.
    let out = repo.designgate(&[
        "check",
        "--baseline-from",
        "HEAD",
        "--baseline",
        "../x.json",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("not a repository-relative path"),
        "{}",
        text(&out)
    );
}

#[test]
fn waived_findings_are_not_baselined() {
    let repo = Repo::new();
    repo.write(
        "design/search.md",
        &OLD.replace(
            "## SLA\n",
            "## SLA\n\n<!-- designgate: waive sla: agreed with the search team -->\n",
        ),
    );
    repo.write_baseline();
    let written = repo.read(BASELINE);
    assert!(!written.contains("\"rule\":\"sla\""), "{written}");
    let (code, json) = repo.check_json(&["--baseline", BASELINE]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["waived"], 1);
    assert_eq!(json["summary"]["suppressed"], 1);
}

#[test]
fn many_alike_findings_are_one_entry_with_a_count() {
    let repo = Repo::new();
    // Eight placeholders in one section: five are listed, three summed up.
    let many = "TODO\n\n".repeat(8);
    repo.write("design/search.md", &OLD.replace("TODO\n", &many));
    repo.write_baseline();
    let written = repo.read(BASELINE);
    assert!(written.contains("\"count\":8"), "{written}");
    let (code, json) = repo.check_json(&["--baseline", BASELINE]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["summary"]["suppressed"], 9);
    assert_eq!(json["summary"]["errors"], 0);
    // One more: exactly one counts.
    let more = "TODO\n\n".repeat(9);
    repo.write("design/search.md", &OLD.replace("TODO\n", &more));
    let (code, json) = repo.check_json(&["--baseline", BASELINE]);
    assert_eq!(code, Some(1));
    assert_eq!(json["summary"]["errors"], 1, "{json:#}");
    assert_eq!(json["summary"]["suppressed"], 9);
}

/// A hostile baseline: each case fails with exit 2, a file:line:column
/// error, and nothing suppressed or written.
#[test]
fn hostile_baseline_files_fail_closed() {
    let repo = Repo::new();
    repo.write_baseline();
    let good = repo.read(BASELINE);
    let entry_line = good
        .lines()
        .find(|l| l.contains("\"rule\":\"sla\""))
        .expect("an sla entry")
        .trim()
        .trim_end_matches(',')
        .to_owned();
    let with_entry = |e: &str| {
        format!("{{\n  \"version\": 1,\n  \"commit\": null,\n  \"entries\": [\n    {e}\n  ]\n}}\n")
    };
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "wildcard rule",
            with_entry(&entry_line.replace("\"rule\":\"sla\"", "\"rule\":\"*\"")),
            "no patterns",
        ),
        (
            "absolute path",
            with_entry(&entry_line.replace("\"path\":\"design/", "\"path\":\"/design/")),
            "not a repository-relative path",
        ),
        (
            "parent path",
            with_entry(&entry_line.replace("\"path\":\"design/", "\"path\":\"design/../design/")),
            "not a repository-relative path",
        ),
        (
            "unknown key",
            with_entry(&entry_line.replace("{", "{\"all\":true,")),
            "unknown field `all`",
        ),
        (
            "zero count",
            with_entry(&entry_line.replace("}", ",\"count\":0}")),
            "between 1 and",
        ),
        (
            "huge count",
            with_entry(&entry_line.replace("}", ",\"count\":99999999999}")),
            "between 1 and",
        ),
        (
            "duplicate",
            with_entry(&format!("{entry_line},\n    {entry_line}")),
            "repeats an earlier entry",
        ),
        (
            "bad fingerprint",
            with_entry(&entry_line.replace("\"fingerprint\":\"", "\"fingerprint\":\"*")),
            "16 lowercase hex",
        ),
        (
            "escape in a rule id",
            with_entry(
                &entry_line.replace("\"rule\":\"sla\"", "\"rule\":\"sla\\u001b]52;c;x\\u0007\""),
            ),
            "not a rule or check id",
        ),
        (
            "newer version",
            good.replace("\"version\": 1", "\"version\": 9"),
            "version 9",
        ),
        (
            "not JSON",
            "{\"version\": 1, \"entries\": [".to_owned(),
            "EOF",
        ),
        (
            "no entries",
            "{\"version\": 1}".to_owned(),
            "missing field `entries`",
        ),
    ];
    for (what, text_in, needle) in cases {
        repo.write("hostile.json", &text_in);
        let out = repo.designgate(&["check", "--baseline", "hostile.json"]);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{what}: {}", text(&out));
        assert!(
            err.starts_with("designgate: error: hostile.json:"),
            "{what}: {err}"
        );
        let place = err["designgate: error: hostile.json:".len()..]
            .split(':')
            .take(2)
            .map(|n| n.parse::<usize>().is_ok())
            .collect::<Vec<_>>();
        assert_eq!(place, [true, true], "{what}: line and column: {err}");
        assert!(err.contains(needle), "{what}: {err}");
        assert!(!err.contains('\u{1b}'), "{what}: raw escape in {err:?}");
        assert!(out.stdout.is_empty(), "{what}");
        // Writing over it is refused too, and the file is left as it was.
        let out = repo.designgate(&["baseline", "hostile.json"]);
        assert_eq!(out.status.code(), Some(2), "{what}: {}", text(&out));
        assert_eq!(repo.read("hostile.json"), text_in, "{what}");
    }
    // An entry for another section suppresses nothing.
    repo.write(
        "narrow.json",
        &with_entry(&entry_line.replace("\"section\":\"SLA\"", "\"section\":\"Alerting\"")),
    );
    let (code, json) = repo.check_json(&["--baseline", "narrow.json"]);
    assert_eq!(code, Some(1));
    assert_eq!(suppressed_count(&json), 0);
    // A file over the size cap is refused before it is parsed.
    let huge = format!("{{\"version\":1,\"entries\":[{}]}}", " ".repeat(17 << 20));
    repo.write("huge.json", &huge);
    let out = repo.designgate(&["check", "--baseline", "huge.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("baselines of up to"), "{}", text(&out));
}

#[cfg(unix)]
#[test]
fn writing_never_follows_a_link_or_blocks_on_a_fifo() {
    let repo = Repo::new();
    let outside = repo.base.join("outside.json");
    fs::write(&outside, "keep me\n").unwrap();
    std::os::unix::fs::symlink(&outside, repo.dir.join(BASELINE)).unwrap();
    let out = repo.designgate(&["baseline", "--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert_eq!(fs::read_to_string(&outside).unwrap(), "keep me\n");
    let fifo = repo.dir.join("fifo.json");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let out = repo.designgate(&["check", "--baseline", "fifo.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn outside_git_a_baseline_has_no_commit_and_works() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("design")).unwrap();
    fs::create_dir_all(dir.join("rules")).unwrap();
    fs::write(
        dir.join("designgate.toml"),
        "packs = [\"rules/small.toml\"]\n",
    )
    .unwrap();
    fs::write(dir.join("rules/small.toml"), PACK).unwrap();
    fs::write(dir.join("design/search.md"), OLD).unwrap();
    let run = |args: &[&str]| {
        let mut cmd = Command::new(support::designgate_exe());
        cmd.args(args)
            .current_dir(dir)
            .env("GIT_CEILING_DIRECTORIES", dir);
        for var in support::INHERITED_VARS {
            cmd.env_remove(var);
        }
        cmd.output().unwrap()
    };
    let out = run(&["baseline"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let written = fs::read_to_string(dir.join(BASELINE)).unwrap();
    assert!(written.contains("\"commit\": null"), "{written}");
    let out = run(&["check", "--baseline", BASELINE]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = run(&["check", "--baseline-from", "HEAD"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let _ = Path::new("");
}

// ---------------------------------------------------------------- hooks

/// The installed hooks honour a baseline: pre-commit the work tree's,
/// pre-receive (and pre-push) the one committed before the push, so a push
/// that baselines its own findings is still rejected.
#[test]
fn installed_hooks_take_the_baseline_from_before_the_change() {
    use support::{Sandbox, all_output, without_sla};
    let sandbox = Sandbox::new();
    let server = sandbox.bare("server.git");
    let work = sandbox.repo("repo");
    work.commit_unchecked(&[("design/legacy.md", &without_sla())], "legacy");
    let out = work.designgate(&["baseline"]);
    assert!(out.status.success(), "{}", all_output(&out));
    work.commit_unchecked(&[(BASELINE, &work.read(BASELINE))], "baseline");
    work.git_ok(&[
        "remote",
        "add",
        "origin",
        server.dir.to_str().expect("UTF-8"),
    ]);
    work.git_ok(&["push", "-q", "origin", "main"]);
    for (repo, hook) in [
        (&server, "pre-receive"),
        (&work, "pre-commit"),
        (&work, "pre-push"),
    ] {
        let out = repo.designgate(&["install-hook", hook]);
        assert!(out.status.success(), "{hook}: {}", all_output(&out));
    }

    // Touching the legacy document without fixing it: the hooks pass.
    work.write(
        "design/legacy.md",
        &format!("{}\nMore context.\n", without_sla()),
    );
    work.git_ok(&["add", "design/legacy.md"]);
    let out = work.commit("touch the legacy design");
    assert!(out.status.success(), "pre-commit: {}", all_output(&out));
    let out = work.git(&["push", "origin", "main"]);
    assert!(out.status.success(), "push: {}", all_output(&out));
    assert_eq!(server.rev("main"), work.rev("main"));

    // A new failing document, baselined in the same commit: the client
    // hooks use the new baseline, the server the old one.
    work.write("design/new.md", &without_sla());
    let out = work.designgate(&["baseline", "--force"]);
    assert!(out.status.success(), "{}", all_output(&out));
    work.git_ok(&["add", "-A"]);
    let out = work.commit("a new design, baselined");
    assert!(out.status.success(), "pre-commit: {}", all_output(&out));
    let before = server.rev("main");
    // pre-push predicts the server: blocked; --no-verify reaches the
    // server, which rejects it.
    let out = work.git(&["push", "origin", "main"]);
    assert!(!out.status.success(), "pre-push: {}", all_output(&out));
    let out = work.git(&["push", "--no-verify", "origin", "main"]);
    let text = all_output(&out);
    assert!(!out.status.success(), "pre-receive: {text}");
    assert!(text.contains("design/new.md"), "{text}");
    assert!(!text.contains("design/legacy.md:"), "{text}");
    assert!(text.contains("rejected refs/heads/main"), "{text}");
    assert_eq!(server.rev("main"), before);
}

// ---------------------------------------------------------------- round trips

/// Writes a baseline of `dir`'s documents (a copy, outside git) and checks
/// against it: every finding is suppressed, none is open, no entry is
/// fixed, and the counts are those of the plain run.
fn round_trip(dir: &Path) {
    let run = |args: &[&str]| {
        let mut cmd = Command::new(support::designgate_exe());
        cmd.args(args)
            .current_dir(dir)
            .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap_or(dir));
        for var in support::INHERITED_VARS {
            cmd.env_remove(var);
        }
        cmd.output().expect("designgate runs")
    };
    let json = |out: &Output| -> serde_json::Value {
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
    };
    let plain = json(&run(&["check", "--format", "json"]));
    let out = run(&["baseline"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = run(&["check", "--format", "json", "--baseline", BASELINE]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let against = json(&out);
    let s = &against["summary"];
    let p = &plain["summary"];
    assert_eq!(
        (
            s["errors"].as_u64(),
            s["warnings"].as_u64(),
            s["infos"].as_u64()
        ),
        (Some(0), Some(0), Some(0))
    );
    let total = |k: &str| p[k].as_u64().unwrap_or(0);
    assert_eq!(
        s["suppressed"].as_u64(),
        Some(total("errors") + total("warnings") + total("infos")),
        "{s} against {p}"
    );
    assert!(open_findings(&against).is_empty());
    let kinds = note_kinds(&against);
    assert!(
        !kinds.iter().any(|(k, _)| k.starts_with("baseline")),
        "{kinds:?}"
    );
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create a folder");
    for entry in fs::read_dir(from).expect("read a folder") {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        let kind = entry.file_type().expect("a file type");
        if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if kind.is_file() {
            fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

#[test]
fn the_examples_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("examples");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
        &dir,
    );
    round_trip(&dir);
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn the_corpus_round_trips() {
    let Some(corpus) = support::corpus("the baseline round trip") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    for part in ["keps", "rfcs", "go-proposal", "madr"] {
        if corpus.join(part).is_dir() {
            copy_tree(&corpus.join(part), &dir.join("design").join(part));
        }
    }
    round_trip(&dir);
}

/// Whatever a document's name, headings and text hold (control characters,
/// a backslash, bidi overrides), the baseline designgate writes reads back
/// and matches; what it prints stays sanitised.
#[test]
fn hostile_names_and_headings_round_trip() {
    let repo = Repo::new();
    let name = "design/we\\ird \u{1b}[31mname\u{202e}.md";
    let doc = OLD.replace(
        "## SLA\n",
        "## SLA\n\n### Targets \u{1b}]52;c;eA==\u{7} \u{202e}x\n",
    );
    repo.write(name, &doc);
    repo.commit_all("hostile");
    repo.write_baseline();
    let written = repo.read(BASELINE);
    assert!(
        written.contains("\"section\":\"Targets \\u001b]52"),
        "{written}"
    );
    assert!(!written.contains('\u{1b}'), "JSON escapes it: {written}");
    let (code, json) = repo.check_json(&["--baseline", BASELINE]);
    assert_eq!(code, Some(0), "{json:#}");
    assert!(open_findings(&json).is_empty(), "{json:#}");
    // Fixed: the note names the path and section, sanitised.
    repo.write(
        name,
        &doc.replace("TODO\n", "99.9% of searches answer within 300 ms.\n"),
    );
    let out = repo.designgate(&["check", "--baseline", BASELINE]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("baselined finding is fixed"), "{err}");
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "{err:?}"
    );
}

/// Every CI format agrees on what a baseline suppresses: SARIF lists the
/// baselined findings as `external` suppressions naming the baseline; the
/// formats without suppressions (GitHub, GitLab, Markdown) leave them out,
/// and the Markdown summary counts them.
#[test]
fn ci_formats_show_baselined_findings_as_suppressed() {
    let repo = Repo::new();
    repo.write_baseline();
    repo.commit_all("baseline");
    repo.write(
        "design/billing.md",
        &GOOD.replace("## Alerting", "## Alarms"),
    );
    let out = repo.designgate(&[
        "check",
        "--baseline",
        BASELINE,
        "--format",
        "github",
        "--format",
        "sarif=out.sarif",
        "--format",
        "gitlab=out.gitlab.json",
        "--format",
        "markdown=out.md",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let github = String::from_utf8_lossy(&out.stdout);
    assert_eq!(github.matches("::error ").count(), 1, "{github}");
    assert!(github.contains("title=designgate alerting"), "{github}");

    let sarif: serde_json::Value =
        serde_json::from_str(&repo.read("out.sarif")).expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let suppressed: Vec<(&str, &str, &str)> = results
        .iter()
        .filter_map(|r| {
            let s = r["suppressions"].get(0)?;
            Some((
                r["ruleId"].as_str()?,
                s["kind"].as_str()?,
                s["justification"].as_str()?,
            ))
        })
        .collect();
    let justification = "listed in the baseline `.designgate-baseline.json`";
    assert_eq!(
        suppressed,
        [
            ("load-testing", "external", justification),
            ("sla", "external", justification),
        ],
        "{sarif:#}"
    );
    let open: Vec<&str> = results
        .iter()
        .filter(|r| r.get("suppressions").is_none())
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    assert_eq!(open, ["alerting"]);

    let gitlab: serde_json::Value =
        serde_json::from_str(&repo.read("out.gitlab.json")).expect("Code Quality is JSON");
    let names: Vec<&str> = gitlab
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|i| i["check_name"].as_str())
        .collect();
    assert_eq!(names.len(), 1, "{gitlab:#}");
    let markdown = repo.read("out.md");
    assert!(markdown.contains("2 baselined"), "{markdown}");
}
