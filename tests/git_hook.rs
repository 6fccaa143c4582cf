//! designgate as a git pre-commit hook, on real repositories.
//!
//! Every test builds a throwaway repository with the real `git` CLI, installs
//! `hooks/pre-commit` into it and runs real `git commit`s, with the freshly
//! built `designgate` first on `PATH`. Git is isolated from the user's
//! configuration (`HOME` is the temp dir, no system config, no inherited
//! `GIT_DIR`/`GIT_INDEX_FILE`/`GIT_WORK_TREE`), so a test sees exactly what a
//! user would: the exit status of `git commit`, what the hook printed, and
//! whether `git log` gained a commit.
//!
//! The tests never match the report's exact layout (another part of the
//! crate); they only require that the output names the rule id (`sla`) and
//! the document path.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

// ---------------------------------------------------------------- documents

/// A design document that satisfies every rule of the built-in pack.
const COMPLETE: &str = "\
---
title: Nightly export of invoices to the ledger
owner: billing-team
status: review
---

# Nightly export of invoices to the ledger

## Why

Finance reconciles invoices against the ledger by hand every morning, which
takes two people an hour and still misses about one invoice in a thousand.

## Use cases

- An accountant opens the ledger at 8:00 and finds every invoice of the day
  before, already matched to its payment.
- A billing engineer replays the export of one day after fixing bad data.

## SLA

- Availability: the export completes successfully on 99.9% of nights.
- Latency: the export of one day finishes within 30 minutes, p99.
- A failed night is retried automatically before 6:00 or an engineer is paged.

## Fair-usage policy

Each tenant may export at most 200,000 invoices per night; larger tenants are
split into batches and exported over several runs without dropping data.

## Dependencies

| Service | Contract | If it fails |
|---|---|---|
| Ledger API | REST, 99.9%, p99 400 ms, 100 rps | retry with backoff for one hour |
| Invoice store | read replica, 99.95% | the run waits and retries every minute |

## Architecture

```mermaid
graph LR
  replica --> job --> ledger
```

A scheduled job reads the invoices of the day from the replica, maps them to
ledger entries and posts them in batches with an idempotency key per invoice.

## Testing

### Unit tests

Unit tests cover the mapping of every invoice type to ledger entries and the
batching; an integration test runs the job against a ledger stub in CI.

### Load testing

We export a synthetic day of 2,000,000 invoices, ten times the current peak,
against the staging ledger with the production job. It passes when the run
finishes within 30 minutes and no invoice is lost or duplicated.

### Security testing

The threat model lives next to this document. CI runs cargo-audit and
semgrep on every change, and the security team reviews the ledger client.

## Iteration

Every change ships behind a feature flag through the normal deploy pipeline,
and finance reviews a sample of exported entries with the team every week.

## Quality

### Scalability

The job is sharded by tenant and shards run in parallel. The first bottleneck
is the ledger API limit of 100 requests per second per account.

### Availability

The job runs on two schedulers in different zones with a lease, so one zone
can fail. A run that dies halfway resumes from its last committed batch.

### Security

Only the billing service account may read invoices and post to the ledger.
Customer names and addresses are never copied into ledger entries.

### Alerting

Page the billing on-call when a nightly run has not finished by 6:00 or when
more than ten invoices fail to post; the runbook is linked from the alert.

## Monitoring

### SLA monitoring

The duration and success of each run and the count of failed invoices are
graphed on the Billing SLO dashboard with a thirty-day error budget.

### Usage metrics

The number of invoices exported per tenant and night, and the weekly number
of manual corrections finance still makes in the ledger after the export.

### Costs

About $300 a month for the scheduler and the replica reads; the ledger API is
included in the existing contract. Tracked on the cloud cost dashboard.

### Logging

Every run logs a structured event per batch with the tenant, the batch number
and the ledger response code, kept for ninety days; no amounts are logged.

## Release plan

Behind the invoice-export flag: one internal tenant for a week, then 1%, 10%
and 50% of tenants for two nights each, then everyone. Any missed SLA turns
the flag off again, which is also the rollback.

## Simplicity

We reuse the existing scheduler and the ledger client, so there is no new
service to run. Streaming each invoice in real time was rejected as costlier.
";

const SLA_SECTION: &str = "\
## SLA

- Availability: the export completes successfully on 99.9% of nights.
- Latency: the export of one day finishes within 30 minutes, p99.
- A failed night is retried automatically before 6:00 or an engineer is paged.

";

/// [`COMPLETE`] without its `## SLA` section: the only error is `sla`.
fn without_sla() -> String {
    assert!(
        COMPLETE.contains(SLA_SECTION),
        "SLA_SECTION must be a part of COMPLETE"
    );
    COMPLETE.replace(SLA_SECTION, "")
}

/// [`COMPLETE`] with one more harmless sentence: a modification that keeps
/// the document complete.
fn complete_edited() -> String {
    COMPLETE.replace(
        "without dropping data.",
        "without dropping data. Batches are sized by invoice count.",
    )
}

/// [`COMPLETE`] without its `### Costs` section: a warning, not an error.
fn without_costs() -> String {
    let start = COMPLETE
        .find("### Costs")
        .expect("COMPLETE has a Costs section");
    let end = start
        + COMPLETE[start..]
            .find("### Logging")
            .expect("Logging follows Costs");
    format!("{}{}", &COMPLETE[..start], &COMPLETE[end..])
}

// ---------------------------------------------------------------- harness

/// A temporary folder holding `home/` (the user's `HOME`), `repo/` (a git
/// repository with the designgate hook installed) and room for files outside
/// the repository.
struct Repo {
    _tmp: TempDir,
    /// The canonical temp folder: git's discovery never goes above it.
    base: PathBuf,
    /// The work tree root.
    dir: PathBuf,
}

impl Repo {
    /// `git init` on branch `main` with `hooks/pre-commit` installed.
    fn new() -> Repo {
        let tmp = tempfile::Builder::new()
            .prefix("designgate-git-")
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
        repo.git_ok(&["-c", "init.defaultBranch=main", "init", "-q", "."]);
        repo.install_hook();
        repo
    }

    fn install_hook(&self) {
        let hooks = self.git_ok(&["rev-parse", "--git-path", "hooks"]);
        let hooks = self.dir.join(stdout(&hooks).trim());
        fs::create_dir_all(&hooks).expect("create the hooks folder");
        let hook = hooks.join("pre-commit");
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("hooks/pre-commit");
        fs::copy(&source, &hook).expect("copy hooks/pre-commit");
        make_executable(&hook);
    }

    /// Writes `text` to `path` (relative to the work tree), creating folders.
    fn write(&self, path: &str, text: &str) {
        let abs = self.dir.join(path);
        fs::create_dir_all(abs.parent().expect("a file has a parent")).expect("create folders");
        fs::write(&abs, text).expect("write a file");
    }

    /// Runs git in the work tree.
    fn git(&self, args: &[&str]) -> Output {
        self.run_in(&self.dir, "git", args)
    }

    /// Runs git in the work tree and requires it to succeed.
    fn git_ok(&self, args: &[&str]) -> Output {
        let out = self.git(args);
        assert!(
            out.status.success(),
            "git {args:?} failed:\n{}",
            all_output(&out)
        );
        out
    }

    /// `git add` these paths.
    fn add(&self, paths: &[&str]) {
        let mut args = vec!["add", "--"];
        args.extend_from_slice(paths);
        self.git_ok(&args);
    }

    /// `git commit <args>`, hook included.
    fn commit(&self, args: &[&str]) -> Output {
        let mut all = vec!["commit"];
        all.extend_from_slice(args);
        self.git(&all)
    }

    /// A commit of the whole index that skips the hook: how a bad document
    /// gets into history.
    fn commit_unchecked(&self, message: &str) {
        self.git_ok(&["commit", "-q", "--no-verify", "-m", message]);
    }

    /// Runs the built designgate directly, in the work tree.
    fn designgate(&self, args: &[&str]) -> Output {
        self.designgate_in(&self.dir, args)
    }

    fn designgate_in(&self, cwd: &Path, args: &[&str]) -> Output {
        self.run_in(cwd, support::designgate_exe(), args)
    }

    /// How many commits `git log` shows (0 on an unborn branch).
    fn commit_count(&self) -> usize {
        let out = self.git(&["rev-list", "--count", "HEAD"]);
        if !out.status.success() {
            return 0;
        }
        stdout(&out).trim().parse().expect("a commit count")
    }

    /// The paths the last commit changed.
    fn last_commit_paths(&self) -> Vec<String> {
        let out = self.git_ok(&[
            "-c",
            "core.quotepath=false",
            "show",
            "--no-renames",
            "--name-only",
            "--format=",
            "HEAD",
        ]);
        lines(&stdout(&out))
    }

    /// The paths staged for the next commit.
    fn staged_paths(&self) -> Vec<String> {
        let out = self.git_ok(&[
            "-c",
            "core.quotepath=false",
            "diff",
            "--cached",
            "--name-only",
        ]);
        lines(&stdout(&out))
    }

    /// A file's content in `HEAD`.
    fn committed(&self, path: &str) -> String {
        stdout(&self.git_ok(&["show", &format!("HEAD:{path}")]))
    }

    /// Runs designgate with a PATH on which there is no `git`.
    fn designgate_without_git(&self, args: &[&str]) -> Output {
        self.designgate_without_git_in(&self.dir, args)
    }

    fn designgate_without_git_in(&self, cwd: &Path, args: &[&str]) -> Output {
        let empty = self.base.join("no-git-bin");
        fs::create_dir_all(&empty).expect("create an empty bin folder");
        let mut cmd = Command::new(support::designgate_exe());
        cmd.args(args).current_dir(cwd);
        for var in INHERITED_GIT_VARS {
            cmd.env_remove(var);
        }
        cmd.env("PATH", &empty)
            .env("HOME", self.base.join("home"))
            .env("GIT_CEILING_DIRECTORIES", &self.base)
            .env("NO_COLOR", "1");
        cmd.output().expect("run designgate")
    }

    /// Runs `program` with git isolated from the user and designgate on PATH.
    fn run_in(&self, cwd: &Path, program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Output {
        self.run_in_with(cwd, program, args, &[])
    }

    /// [`Repo::run_in`] with more environment variables.
    fn run_in_with(
        &self,
        cwd: &Path,
        program: impl AsRef<std::ffi::OsStr>,
        args: &[&str],
        env: &[(&str, &Path)],
    ) -> Output {
        let program = program.as_ref();
        let bin_dir = support::designgate_exe()
            .parent()
            .expect("the binary has a folder");
        let mut path = vec![bin_dir.to_owned()];
        path.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let mut cmd = Command::new(program);
        cmd.args(args).current_dir(cwd);
        for var in INHERITED_GIT_VARS {
            cmd.env_remove(var);
        }
        cmd.env("PATH", std::env::join_paths(path).expect("a valid PATH"))
            .env("HOME", self.base.join("home"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CEILING_DIRECTORIES", &self.base)
            .env("GIT_AUTHOR_NAME", "Ada Author")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada Author")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("NO_COLOR", "1");
        for (name, value) in env {
            cmd.env(name, value);
        }
        cmd.output()
            .unwrap_or_else(|e| panic!("run {program:?} {args:?}: {e}"))
    }
}

/// One list of variables to clear, shared with the hook tests.
use support::INHERITED_VARS as INHERITED_GIT_VARS;

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut perms = fs::metadata(path).expect("hook metadata").permissions();
    perms.set_mode(0o755);
    fs::set_permissions(path, perms).expect("make the hook executable");
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) {}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// What the user sees in the terminal: git passes the hook's output through.
fn all_output(out: &Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether `text` names the rule `id` as a word of its own: `sla` matches
/// `error[sla]` or `rule sla:` but not `sla-monitoring`.
fn names_rule(text: &str, id: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    text.match_indices(id).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + id.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// The commit failed, and its output names every rule of `rules` and `file`.
#[track_caller]
fn assert_blocked(out: &Output, rules: &[&str], file: &str) {
    let text = all_output(out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the commit should be blocked:\n{text}"
    );
    for rule in rules {
        assert!(
            names_rule(&text, rule),
            "the output should name rule `{rule}`:\n{text}"
        );
    }
    assert!(
        text.contains(file),
        "the output should name {file}:\n{text}"
    );
}

#[track_caller]
fn assert_committed(out: &Output) {
    assert!(
        out.status.success(),
        "the commit should succeed:\n{}",
        all_output(out)
    );
}

// ---------------------------------------------------------------- the hook blocks or lets through

#[test]
fn commit_of_a_doc_without_sla_is_blocked_and_creates_no_commit() {
    let repo = Repo::new();
    repo.write("README.md", "# Billing\n");
    repo.add(&["README.md"]);
    repo.commit_unchecked("init");

    repo.write("design/export.md", &without_sla());
    repo.add(&["design/export.md"]);
    let out = repo.commit(&["-m", "add export design"]);

    assert_blocked(&out, &["sla"], "design/export.md");
    let text = all_output(&out);
    assert!(
        !names_rule(&text, "load-testing"),
        "only the SLA is missing:\n{text}"
    );
    assert_eq!(repo.commit_count(), 1, "no commit was created");
    assert_eq!(
        repo.staged_paths(),
        ["design/export.md"],
        "the doc stays staged"
    );
}

#[test]
fn commit_of_a_complete_doc_succeeds() {
    let repo = Repo::new();
    repo.write("README.md", "# Billing\n");
    repo.add(&["README.md"]);
    repo.commit_unchecked("init");

    repo.write("design/export.md", COMPLETE);
    repo.add(&["design/export.md"]);
    let out = repo.commit(&["-m", "add export design"]);

    assert_committed(&out);
    assert_eq!(repo.commit_count(), 2);
    assert_eq!(repo.committed("design/export.md"), COMPLETE);
}

#[test]
fn commit_with_only_warnings_succeeds_and_shows_them() {
    let repo = Repo::new();
    repo.write("design/export.md", &without_costs());
    repo.add(&["design/export.md"]);
    let out = repo.commit(&["-m", "add export design"]);

    assert_committed(&out);
    let text = all_output(&out);
    // Also proves the hook ran for a commit that succeeds.
    assert!(names_rule(&text, "cost"), "the warning is shown:\n{text}");
    assert!(
        text.contains("design/export.md"),
        "the doc is named:\n{text}"
    );
    assert_eq!(repo.commit_count(), 1);
}

// ---------------------------------------------------------------- staged content, not the work tree

#[test]
fn doc_staged_incomplete_but_completed_on_disk_is_blocked() {
    let repo = Repo::new();
    repo.write("design/export.md", &without_sla());
    repo.add(&["design/export.md"]);
    repo.write("design/export.md", COMPLETE); // fixed, but not staged

    let out = repo.commit(&["-m", "add export design"]);

    assert_blocked(&out, &["sla"], "design/export.md");
    assert_eq!(repo.commit_count(), 0);
}

#[test]
fn doc_staged_complete_but_broken_on_disk_commits_the_staged_version() {
    let repo = Repo::new();
    repo.write("design/export.md", COMPLETE);
    repo.add(&["design/export.md"]);
    repo.write("design/export.md", &without_sla()); // broken, but not staged

    let out = repo.commit(&["-m", "add export design"]);

    assert_committed(&out);
    assert_eq!(repo.commit_count(), 1);
    assert_eq!(repo.committed("design/export.md"), COMPLETE);
}

// ---------------------------------------------------------------- `git commit <path>` and `git commit -a`

/// Two complete docs committed; returns the repository.
fn repo_with_two_complete_docs() -> Repo {
    let repo = Repo::new();
    repo.write("design/a.md", COMPLETE);
    repo.write("design/b.md", COMPLETE);
    repo.add(&["design"]);
    repo.commit_unchecked("init");
    repo
}

#[test]
fn commit_of_a_path_ignores_other_broken_staged_docs() {
    let repo = repo_with_two_complete_docs();
    repo.write("design/a.md", &without_sla());
    repo.add(&["design/a.md"]); // broken A is staged...
    repo.write("design/b.md", &complete_edited()); // ...B is edited on disk only

    // The commit holds HEAD plus the work-tree B: A's staged content is not in it.
    let out = repo.commit(&["-m", "edit b", "design/b.md"]);

    assert_committed(&out);
    assert_eq!(repo.commit_count(), 2);
    assert_eq!(repo.last_commit_paths(), ["design/b.md"]);
    assert_eq!(
        repo.staged_paths(),
        ["design/a.md"],
        "broken A is still staged"
    );
}

#[test]
fn commit_of_a_path_lints_its_work_tree_content_not_the_index() {
    let repo = repo_with_two_complete_docs();
    repo.write("design/a.md", &complete_edited());
    repo.add(&["design/a.md"]); // the index copy is fine...
    repo.write("design/a.md", &without_sla()); // ...the work tree is broken

    // `git commit <path>` commits the work-tree content of the path.
    let out = repo.commit(&["-m", "edit a", "design/a.md"]);

    assert_blocked(&out, &["sla"], "design/a.md");
    assert_eq!(repo.commit_count(), 1);
}

#[test]
fn commit_of_a_path_from_a_subdirectory_lints_that_path() {
    let repo = repo_with_two_complete_docs();
    repo.write("design/a.md", &without_sla());
    let out = repo.run_in(
        &repo.dir.join("design"),
        "git",
        &["commit", "-m", "edit a", "a.md"],
    );

    assert_blocked(&out, &["sla"], "design/a.md");
    assert_eq!(repo.commit_count(), 1);
}

#[test]
fn commit_all_with_a_broken_modification_is_blocked() {
    let repo = repo_with_two_complete_docs();
    repo.write("design/b.md", &without_sla()); // modified, not staged

    let out = repo.commit(&["-a", "-m", "edit b"]);

    assert_blocked(&out, &["sla"], "design/b.md");
    assert_eq!(repo.commit_count(), 1);
}

#[test]
fn commit_all_with_a_complete_modification_succeeds() {
    let repo = repo_with_two_complete_docs();
    repo.write("design/b.md", &complete_edited());

    let out = repo.commit(&["-a", "-m", "edit b"]);

    assert_committed(&out);
    assert_eq!(repo.last_commit_paths(), ["design/b.md"]);
}

// ---------------------------------------------------------------- first commit, deletions, other files

#[test]
fn first_commit_of_a_complete_doc_succeeds() {
    let repo = Repo::new();
    repo.write("design/export.md", COMPLETE);
    repo.add(&["design/export.md"]);

    let out = repo.commit(&["-m", "first"]);

    assert_committed(&out);
    assert_eq!(repo.commit_count(), 1);
}

#[test]
fn first_commit_of_an_incomplete_doc_is_blocked() {
    let repo = Repo::new();
    repo.write("design/export.md", &without_sla());
    repo.add(&["design/export.md"]);

    let out = repo.commit(&["-m", "first"]);

    assert_blocked(&out, &["sla"], "design/export.md");
    assert_eq!(repo.commit_count(), 0, "HEAD is still unborn");
}

#[test]
fn staged_deletion_of_a_bad_doc_commits() {
    let repo = Repo::new();
    repo.write("design/old.md", "# Old idea\n\nNothing here.\n");
    repo.write("design/export.md", COMPLETE);
    repo.add(&["design"]);
    repo.commit_unchecked("bad doc, hook skipped");

    repo.git_ok(&["rm", "-q", "design/old.md"]);
    let out = repo.commit(&["-m", "drop old design"]);

    assert_committed(&out);
    assert_eq!(repo.commit_count(), 2);
    assert_eq!(repo.last_commit_paths(), ["design/old.md"]);
}

#[test]
fn commit_of_an_unchanged_bad_doc_is_not_blocked_by_other_changes() {
    let repo = Repo::new();
    repo.write("design/old.md", &without_sla());
    repo.add(&["design"]);
    repo.commit_unchecked("bad doc, hook skipped");

    // Only what the commit adds or changes is linted.
    repo.write("design/export.md", COMPLETE);
    repo.add(&["design/export.md"]);
    let out = repo.commit(&["-m", "add export design"]);

    assert_committed(&out);
    assert_eq!(repo.commit_count(), 2);
}

#[test]
fn files_outside_the_design_folder_are_ignored() {
    let repo = Repo::new();
    let bare = "# Notes\n\nNo sections at all.\n";
    repo.write("README.md", bare);
    repo.write("notes/x.md", bare);
    repo.write("docs/design/x.md", bare); // `design/` only counts at the root
    repo.write("design/diagram.txt", bare); // not Markdown
    repo.add(&["."]);

    let out = repo.commit(&["-m", "notes"]);

    assert_committed(&out);
    assert_eq!(repo.commit_count(), 1);
}

#[test]
fn intent_to_add_doc_is_not_linted_since_the_commit_leaves_it_out() {
    let repo = Repo::new();
    repo.write("README.md", "# Billing\n");
    repo.write("design/draft.md", "# Draft\n");
    repo.add(&["README.md"]);
    repo.git_ok(&["add", "-N", "design/draft.md"]); // `git add -N`: tracked, not staged

    let out = repo.commit(&["-m", "readme"]);

    assert_committed(&out);
    assert_eq!(repo.last_commit_paths(), ["README.md"]);
}

#[test]
fn intent_to_add_doc_is_linted_when_the_commit_includes_it() {
    let repo = Repo::new();
    repo.write("README.md", "# Billing\n");
    repo.add(&["README.md"]);
    repo.commit_unchecked("init");
    repo.write("design/draft.md", &without_sla());
    repo.git_ok(&["add", "-N", "design/draft.md"]);

    // `-a` and an explicit path both commit the work-tree content.
    assert_blocked(
        &repo.commit(&["-a", "-m", "all"]),
        &["sla"],
        "design/draft.md",
    );
    let out = repo.commit(&["-m", "draft", "design/draft.md"]);
    assert_blocked(&out, &["sla"], "design/draft.md");
    assert_eq!(repo.commit_count(), 1);
}

#[test]
fn doc_in_a_folder_with_spaces_and_non_ascii_is_linted() {
    let repo = Repo::new();
    let path = "design/équipe a/doc été.md";
    repo.write(path, &without_sla());
    repo.add(&[path]);

    let out = repo.commit(&["-m", "équipe"]);
    assert_blocked(&out, &["sla"], path);
    assert_eq!(repo.commit_count(), 0);

    let out = repo.designgate(&["check", "--staged"]);
    assert_blocked(&out, &["sla"], path);

    repo.write(path, COMPLETE);
    repo.add(&[path]);
    assert_committed(&repo.commit(&["-m", "équipe"]));
    assert_eq!(repo.commit_count(), 1);
}

#[test]
fn commit_in_a_linked_worktree_lints_that_worktree_index() {
    let repo = repo_with_two_complete_docs();
    let wt = repo.base.join("wt");
    let wt_arg = wt.to_str().expect("a UTF-8 temp path");
    repo.git_ok(&["worktree", "add", "-q", "-b", "side", wt_arg]);
    // In a linked worktree git sets GIT_DIR=.git/worktrees/wt for the hook.
    let git_wt = |args: &[&str]| repo.run_in(&wt, "git", args);

    fs::write(wt.join("design/c.md"), without_sla()).expect("write in the worktree");
    assert!(git_wt(&["add", "design/c.md"]).status.success());
    assert_blocked(&git_wt(&["commit", "-m", "c"]), &["sla"], "design/c.md");

    fs::write(wt.join("design/c.md"), COMPLETE).expect("write in the worktree");
    assert!(git_wt(&["add", "design/c.md"]).status.success());
    assert_committed(&git_wt(&["commit", "-m", "c"]));
    assert_eq!(repo.commit_count(), 1, "main did not move");
}

// ---------------------------------------------------------------- designgate check, run directly

#[test]
fn check_staged_reads_the_index_and_check_reads_the_work_tree() {
    let repo = Repo::new();
    repo.write("design/export.md", &without_sla());
    repo.add(&["design/export.md"]);
    repo.write("design/export.md", COMPLETE);

    let out = repo.designgate(&["check", "--staged"]);
    assert_blocked(&out, &["sla"], "design/export.md");

    let out = repo.designgate(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the work tree is complete:\n{}",
        all_output(&out)
    );
    assert!(
        !names_rule(&all_output(&out), "sla"),
        "{}",
        all_output(&out)
    );
}

#[test]
fn check_reads_the_work_tree_and_check_staged_the_index() {
    let repo = Repo::new();
    repo.write("design/export.md", COMPLETE);
    repo.add(&["design/export.md"]);
    repo.write("design/export.md", &without_sla());
    repo.write("design/untracked.md", COMPLETE);

    let out = repo.designgate(&["check"]);
    assert_blocked(&out, &["sla"], "design/export.md");
    assert!(
        !all_output(&out).contains("design/untracked.md"),
        "untracked.md is complete"
    );

    let out = repo.designgate(&["check", "--staged"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the index is complete:\n{}",
        all_output(&out)
    );
}

#[test]
fn without_git_on_path_check_walks_the_work_tree_and_git_modes_exit_2() {
    let repo = Repo::new();
    repo.write("design/export.md", COMPLETE);
    repo.add(&["design/export.md"]);
    repo.commit_unchecked("complete export");
    repo.write("design/export.md", &without_sla());
    repo.write("design/untracked.md", COMPLETE);

    // Plain `check` walks the folder: the work tree content is linted.
    let out = repo.designgate_without_git(&["check"]);
    assert_blocked(&out, &["sla"], "design/export.md");
    assert!(
        all_output(&out).contains("in 2 documents checked"),
        "{}",
        all_output(&out)
    );

    // From a subfolder, the repository root is still found through `.git`.
    let sub = repo.dir.join("design");
    let out = repo.designgate_without_git_in(&sub, &["check"]);
    assert_blocked(&out, &["sla"], "design/export.md");

    for (args, option) in [
        (&["check", "--staged"][..], "--staged"),
        (&["check", "--diff", "HEAD~1"][..], "--diff"),
        (&["check", "--rev", "HEAD"][..], "--rev"),
    ] {
        let out = repo.designgate_without_git(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}:\n{}",
            all_output(&out)
        );
        let err = stderr(&out);
        assert_eq!(err.trim_end().lines().count(), 1, "one line:\n{err}");
        assert!(
            err.contains(option) && err.contains("`git` could not be run"),
            "{args:?}: the message names the option and the missing git:\n{err}"
        );
        assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    }
}

#[test]
fn check_of_a_folder_lints_tracked_and_untracked_docs_but_not_ignored_ones() {
    let repo = Repo::new();
    repo.write(".gitignore", "design/scratch/\n");
    repo.write("design/team/tracked.md", COMPLETE);
    repo.add(&[".gitignore", "design/team/tracked.md"]);
    repo.write("design/team/untracked.md", &without_sla());
    repo.write("design/scratch/notes.md", &without_sla());

    for args in [&["check", "design"][..], &["check"][..]] {
        let out = repo.designgate(args);
        assert_blocked(&out, &["sla"], "design/team/untracked.md");
        let text = all_output(&out);
        assert!(
            !text.contains("scratch"),
            "{args:?}: an ignored file was linted:\n{text}"
        );
        assert!(text.contains("in 2 documents checked"), "{args:?}:\n{text}");
    }

    // With --staged, a folder means its staged documents only.
    let out = repo.designgate(&["check", "--staged", "design/team"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert!(
        all_output(&out).contains("in 1 document checked"),
        "{}",
        all_output(&out)
    );
}

#[test]
fn check_with_a_path_lints_only_that_doc() {
    let repo = Repo::new();
    repo.write("design/good.md", COMPLETE);
    repo.write("design/bad.md", &without_sla());
    repo.add(&["design"]);

    let out = repo.designgate(&["check", "design/good.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let out = repo.designgate(&["check", "--staged", "design/bad.md"]);
    assert_blocked(&out, &["sla"], "design/bad.md");
}

#[test]
fn check_staged_outside_a_repository_exits_2_with_a_one_line_message() {
    let repo = Repo::new();
    let outside = repo.base.join("outside");
    fs::create_dir_all(outside.join("design")).expect("create a plain folder");
    fs::write(outside.join("design/x.md"), COMPLETE).expect("write a doc");

    let out = repo.designgate_in(&outside, &["check", "--staged"]);

    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    let err = stderr(&out);
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one line on stderr:\n{err}"
    );
    assert!(
        err.contains("--staged"),
        "the message names the option:\n{err}"
    );
    assert!(
        stdout(&out).is_empty(),
        "nothing on stdout:\n{}",
        stdout(&out)
    );
}

#[test]
fn check_of_a_path_outside_the_repository_exits_2() {
    let repo = Repo::new();
    fs::write(repo.base.join("elsewhere.md"), COMPLETE).expect("write outside the repo");

    for args in [
        &["check", "../elsewhere.md"][..],
        &["check", "--staged", "../elsewhere.md"][..],
    ] {
        let out = repo.designgate(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}:\n{}",
            all_output(&out)
        );
        let err = stderr(&out);
        assert!(err.contains("outside the repository"), "{args:?}:\n{err}");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "one line on stderr:\n{err}"
        );
    }
}

// ---------------------------------------------------------------- the harness itself

#[test]
fn harness_isolates_git_from_the_user_configuration() {
    let repo = Repo::new();
    let out = repo.git_ok(&["config", "--show-origin", "--list"]);
    let home = format!("file:{}", repo.base.join("home").display());
    for line in stdout(&out).lines() {
        let origin = line.split('\t').next().unwrap_or_default();
        assert!(
            origin == "file:.git/config" || origin.starts_with(&home),
            "git read configuration from outside the test: {line}"
        );
    }
}

#[test]
fn names_rule_matches_a_rule_id_as_a_whole_word() {
    assert!(names_rule("error[sla]: missing section", "sla"));
    assert!(!names_rule(
        "warning[sla-monitoring]: missing section",
        "sla"
    ));
    assert!(!names_rule("designgate: atlas", "sla"));
}

/// How many times the git processes that `designgate args` starts read an
/// index to list staged content, from git's own trace (`GIT_TRACE2_EVENT`),
/// and the output.
fn index_reads(repo: &Repo, args: &[&str]) -> (usize, Output) {
    let trace = repo.base.join("trace2.json");
    let _ = fs::remove_file(&trace);
    let out = repo.run_in_with(
        &repo.dir,
        support::designgate_exe(),
        args,
        &[("GIT_TRACE2_EVENT", &trace)],
    );
    let events = fs::read_to_string(&trace).unwrap_or_default();
    // Every read counts, the `unstaged-changes` note's included: designgate
    // compares the work tree with the staged bytes it already holds.
    let reads = events
        .lines()
        .filter(|l| l.contains(r#""event":"region_enter""#) && l.contains("do_read_index"))
        .count();
    (reads, out)
}

#[test]
fn check_staged_reads_the_index_once_with_links_into_the_design_folder() {
    let repo = Repo::new();
    repo.write("design/flow.svg", "<svg/>");
    repo.write("README.md", "# Billing\n");
    repo.add(&["README.md", "design/flow.svg"]);
    repo.commit_unchecked("init");
    let linked =
        format!("{COMPLETE}\n![Flow](flow.svg) and ![Old flow](img/old.svg), [notes](./)\n");
    repo.write("design/export.md", &linked);
    // On disk only: the staged document's link to it is broken.
    repo.write("design/img/old.svg", "<svg/>");
    repo.add(&["design/export.md"]);

    let (reads, out) = index_reads(&repo, &["check", "--staged"]);
    let text = all_output(&out);
    // A broken link is a warning: exit 0, but it is reported.
    assert!(text.contains("broken-link"), "{text}");
    assert_eq!(text.matches("broken-link").count(), 1, "{text}");
    assert!(text.contains("img/old.svg"), "{text}");
    assert!(
        reads >= 1,
        "git's trace shows no index read: is GIT_TRACE2_EVENT supported?"
    );
    assert_eq!(reads, 1, "the index is read once:\n{text}");

    // Staged, the linked file satisfies the link; still one read.
    repo.add(&["design/img/old.svg"]);
    let (reads, out) = index_reads(&repo, &["check", "--staged"]);
    let text = all_output(&out);
    assert!(!text.contains("broken-link"), "{text}");
    assert_eq!(reads, 1, "{text}");

    // Changed on disk after staging: the note says the staged version was
    // checked, still from one read of the index.
    repo.write("design/export.md", &format!("{linked}\nMore on disk.\n"));
    let (reads, out) = index_reads(&repo, &["check", "--staged"]);
    let text = all_output(&out);
    assert!(
        text.contains("design/export.md has unstaged changes: the staged version was checked"),
        "{text}"
    );
    assert_eq!(reads, 1, "{text}");
    // Line endings alone are not a change.
    repo.write("design/export.md", &linked.replace('\n', "\r\n"));
    let (_, out) = index_reads(&repo, &["check", "--staged"]);
    assert!(
        !all_output(&out).contains("unstaged changes"),
        "{}",
        all_output(&out)
    );
}

#[test]
fn a_staged_empty_doc_is_linted_but_an_intent_to_add_one_is_not() {
    let repo = Repo::new();
    repo.write("README.md", "# Billing\n");
    repo.add(&["README.md"]);
    repo.commit_unchecked("init");
    repo.write("design/empty.md", "");
    repo.write("design/later.md", "");
    repo.add(&["design/empty.md"]);
    repo.git_ok(&["add", "-N", "design/later.md"]);

    let out = repo.designgate(&["check", "--staged"]);
    let text = all_output(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("design/empty.md"), "{text}");
    assert!(!text.contains("design/later.md"), "{text}");
}
