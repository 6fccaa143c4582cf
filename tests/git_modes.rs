//! `check --diff`, `check --rev` and the snapshots links resolve against, on
//! real repositories, including the awkward ones: bare, linked worktrees,
//! submodules, detached and unborn HEAD, renames, symlinks, odd names,
//! `GIT_DIR`/`GIT_WORK_TREE` set by the caller.
//!
//! Every test builds a throwaway repository with the real `git` CLI, isolated
//! from the user's configuration (as in `tests/git_hook.rs`), and runs the
//! built `designgate`. Assertions are about what a user sees: the exit
//! status, which documents are named, how many were checked.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use designgate::snapshot::Entry;
use designgate::{Selection, Workspace};
use tempfile::TempDir;

// ---------------------------------------------------------------- documents

/// A design document that satisfies every rule of the built-in pack (the
/// shipped example, with its diagram as a Mermaid block instead of an image
/// file, so that no link check can fire).
fn good() -> String {
    let text = include_str!("../examples/design/payments-retry.md");
    let link = "![Retry flow](retry-flow.svg)\n";
    assert!(text.contains(link), "the example still has its image link");
    text.replace(
        link,
        "```mermaid\ngraph LR\n  api --> queue --> worker\n```\n",
    )
}

/// [`good`] without an `SLA` section: the only error is `sla`.
fn bad() -> String {
    let text = good();
    assert!(text.contains("\n## SLA\n"));
    text.replace("\n## SLA\n", "\n## Payment targets\n")
}

// ---------------------------------------------------------------- harness

struct Repo {
    _tmp: TempDir,
    base: PathBuf,
    dir: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let tmp = tempfile::Builder::new()
            .prefix("designgate-modes-")
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
        repo
    }

    fn write(&self, path: &str, text: &str) {
        let abs = self.dir.join(path);
        fs::create_dir_all(abs.parent().expect("a parent")).expect("create folders");
        fs::write(&abs, text).expect("write a file");
    }

    /// Commits everything in the work tree, hooks skipped.
    fn commit_all(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&[
            "commit",
            "-q",
            "--no-verify",
            "--allow-empty",
            "-m",
            message,
        ]);
    }

    /// Runs git in the work tree and requires it to succeed.
    fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.dir, args)
    }

    fn git_in(&self, cwd: &Path, args: &[&str]) -> String {
        let out = self.run(cwd, "git", args, &[]);
        assert!(out.status.success(), "git {args:?} failed:\n{}", text(&out));
        stdout(&out)
    }

    fn designgate(&self, args: &[&str]) -> Output {
        self.designgate_in(&self.dir, args)
    }

    fn designgate_in(&self, cwd: &Path, args: &[&str]) -> Output {
        self.run(cwd, support::designgate_exe(), args, &[])
    }

    /// Runs `program` with git isolated from the user, plus `env`.
    fn run(
        &self,
        cwd: &Path,
        program: impl AsRef<std::ffi::OsStr>,
        args: &[&str],
        env: &[(&str, &Path)],
    ) -> Output {
        let program = program.as_ref();
        let mut cmd = Command::new(program);
        cmd.args(args).current_dir(cwd);
        for var in INHERITED_GIT_VARS {
            cmd.env_remove(var);
        }
        cmd.env("HOME", self.base.join("home"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CEILING_DIRECTORIES", &self.base)
            .env("GIT_AUTHOR_NAME", "Ada Author")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada Author")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("NO_COLOR", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output()
            .unwrap_or_else(|e| panic!("run {program:?} {args:?}: {e}"))
    }
}

/// One list of variables to clear, shared with the hook tests.
use support::INHERITED_VARS as INHERITED_GIT_VARS;

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The run found `sla` errors in exactly the documents `bad`, and checked
/// `checked` documents in all.
#[track_caller]
fn assert_findings(out: &Output, bad: &[&str], checked: usize) {
    let all = text(out);
    let expected_code = if bad.is_empty() { 0 } else { 1 };
    assert_eq!(out.status.code(), Some(expected_code), "{all}");
    let mut named: Vec<&str> = all
        .lines()
        .filter(|l| l.contains("error[sla]"))
        .filter_map(|l| l.split(':').next())
        .collect();
    named.sort_unstable();
    named.dedup();
    let mut bad = bad.to_vec();
    bad.sort_unstable();
    assert_eq!(named, bad, "documents with an `sla` error:\n{all}");
    let plural = if checked == 1 {
        "document"
    } else {
        "documents"
    };
    assert!(
        all.contains(&format!("in {checked} {plural} checked")),
        "expected {checked} {plural} checked:\n{all}"
    );
}

/// The run failed with exit 2 and one line on stderr containing `needle`.
#[track_caller]
fn assert_usage_error(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}", text(out));
    assert!(err.contains(needle), "stderr should say `{needle}`:\n{err}");
    assert!(
        !err.contains("panicked"),
        "designgate must not panic:\n{err}"
    );
    assert!(out.stdout.is_empty(), "nothing on stdout:\n{}", stdout(out));
}

/// A repository with two commits on `main`:
/// 1. `a.md`, `b.md` good, `old.md` bad;
/// 2. `a.md` made bad, `c.md` added bad, `old.md` deleted, `b.md` unchanged.
///
/// The work tree then fixes `a.md` without committing.
fn two_commits() -> Repo {
    let repo = Repo::new();
    repo.write("design/a.md", &good());
    repo.write("design/b.md", &good());
    repo.write("design/old.md", &bad());
    repo.commit_all("first");
    repo.write("design/a.md", &bad());
    repo.write("design/c.md", &bad());
    fs::remove_file(repo.dir.join("design/old.md")).expect("remove old.md");
    repo.commit_all("second");
    repo.write("design/a.md", &good());
    repo
}

// ---------------------------------------------------------------- --diff

#[test]
fn diff_lints_added_and_modified_docs_as_committed_not_as_on_disk() {
    let repo = two_commits();
    for range in [
        "HEAD~1",
        "HEAD~1..",
        "HEAD~1..HEAD",
        "HEAD~1...HEAD",
        "main~1..main",
    ] {
        let out = repo.designgate(&["check", "--format", "concise", "--diff", range]);
        // a.md is fixed on disk but not in HEAD; old.md is deleted; b.md is
        // unchanged.
        assert_findings(&out, &["design/a.md", "design/c.md"], 2);
    }
    // The work tree itself is fine except c.md.
    let out = repo.designgate(&["check", "--format", "concise"]);
    assert_findings(&out, &["design/c.md"], 3);
}

#[test]
fn diff_with_nothing_changed_checks_nothing_and_passes() {
    let repo = two_commits();
    let out = repo.designgate(&["check", "--format", "concise", "--diff", "HEAD..HEAD"]);
    assert_findings(&out, &[], 0);
}

#[test]
fn three_dots_compare_with_the_merge_base_as_a_pull_request_does() {
    let repo = Repo::new();
    repo.write("design/shared.md", &good());
    repo.commit_all("base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("design/feature.md", &bad());
    repo.commit_all("feature");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("design/shared.md", &bad());
    repo.write("design/main-only.md", &bad());
    repo.commit_all("main moves on");
    repo.git(&["checkout", "-q", "feature"]);

    // What the pull request adds: feature.md only.
    let out = repo.designgate(&["check", "--format", "concise", "--diff", "main...HEAD"]);
    assert_findings(&out, &["design/feature.md"], 1);
    let out = repo.designgate(&["check", "--format", "concise", "--diff", "main...feature"]);
    assert_findings(&out, &["design/feature.md"], 1);

    // The two trees: shared.md differs too (read from HEAD, where it is
    // good); main-only.md is absent from HEAD, so not checked.
    let out = repo.designgate(&["check", "--format", "concise", "--diff", "main..HEAD"]);
    assert_findings(&out, &["design/feature.md"], 2);
}

#[test]
fn all_zeros_base_means_every_doc_of_the_commit_is_new() {
    let repo = two_commits();
    let zeros = "0".repeat(40);
    for args in [
        vec!["--diff".to_owned(), format!("{zeros}..HEAD")],
        vec!["--diff".to_owned(), format!("{zeros}...main")],
        vec![
            "--rev".to_owned(),
            "HEAD".to_owned(),
            "--diff".to_owned(),
            zeros.clone(),
        ],
    ] {
        let mut all = vec!["check", "--format", "concise"];
        all.extend(args.iter().map(String::as_str));
        let out = repo.designgate(&all);
        assert_findings(&out, &["design/a.md", "design/c.md"], 3);
    }
    let out = repo.designgate(&["check", "--diff", &format!("HEAD..{zeros}")]);
    assert_usage_error(&out, "all-zeros");
}

#[test]
fn rename_with_changes_and_case_only_rename_lint_the_new_path() {
    let repo = Repo::new();
    repo.write("design/draft.md", &good());
    repo.write("design/Upper.md", &bad());
    repo.commit_all("first");
    repo.git(&["mv", "design/draft.md", "design/final.md"]);
    repo.write(
        "design/final.md",
        &bad().replace("card payments", "card and bank payments"),
    );
    repo.git(&["mv", "design/Upper.md", "design/upper.md"]);
    repo.commit_all("renames");

    let out = repo.designgate(&["check", "--format", "concise", "--diff", "HEAD~1"]);
    assert_findings(&out, &["design/final.md", "design/upper.md"], 2);
    let all = text(&out);
    assert!(
        !all.contains("draft.md") && !all.contains("Upper.md"),
        "{all}"
    );
}

#[test]
fn diff_in_a_subfolder_and_with_odd_names_uses_repository_paths() {
    let repo = Repo::new();
    repo.write("design/équipe a/doc été.md", &good());
    repo.commit_all("first");
    repo.write("design/équipe a/doc été.md", &bad());
    repo.write("design/équipe a/\"quoted\" name.md", &bad());
    repo.commit_all("second");

    let sub = repo.dir.join("design/équipe a");
    for cwd in [&repo.dir, &sub] {
        let out = repo.designgate_in(cwd, &["check", "--format", "concise", "--diff", "HEAD~1"]);
        assert_findings(
            &out,
            &[
                "design/équipe a/\"quoted\" name.md",
                "design/équipe a/doc été.md",
            ],
            2,
        );
        let out = repo.designgate_in(cwd, &["check", "--format", "concise", "--rev", "HEAD"]);
        assert_findings(
            &out,
            &[
                "design/équipe a/\"quoted\" name.md",
                "design/équipe a/doc été.md",
            ],
            2,
        );
    }
}

// ---------------------------------------------------------------- --rev

#[test]
fn rev_lints_every_doc_of_a_commit_and_combines_with_diff() {
    let repo = two_commits();
    let out = repo.designgate(&["check", "--format", "concise", "--rev", "HEAD~1"]);
    assert_findings(&out, &["design/old.md"], 3);
    let out = repo.designgate(&["check", "--format", "concise", "--rev", "main"]);
    assert_findings(&out, &["design/a.md", "design/c.md"], 3);
    // --rev REV --diff BASE: BASE..REV.
    let out = repo.designgate(&[
        "check", "--format", "concise", "--rev", "HEAD", "--diff", "HEAD~1",
    ]);
    assert_findings(&out, &["design/a.md", "design/c.md"], 2);
    // An annotated tag is peeled to its commit.
    repo.git(&["tag", "-a", "-m", "v1", "v1", "HEAD~1"]);
    let out = repo.designgate(&["check", "--format", "concise", "--rev", "v1"]);
    assert_findings(&out, &["design/old.md"], 3);
}

#[test]
fn rev_and_diff_use_the_configuration_committed_in_the_checked_commit() {
    let repo = two_commits();
    repo.git(&["checkout", "--", "design/a.md"]);
    repo.write("designgate.toml", "[severity]\nsla = \"warning\"\n");
    repo.commit_all("sla is a warning");
    // On disk the config makes sla an error again.
    repo.write("designgate.toml", "[severity]\nsla = \"error\"\n");

    let out = repo.designgate(&["check", "--format", "concise", "--rev", "HEAD"]);
    assert_findings(&out, &[], 3);
    assert!(text(&out).contains("warning[sla]"), "{}", text(&out));
    // The commit before has no config file: the default applies.
    let out = repo.designgate(&["check", "--format", "concise", "--rev", "HEAD~1"]);
    assert_findings(&out, &["design/a.md", "design/c.md"], 3);
    // The work tree uses the file on disk.
    let out = repo.designgate(&["check", "--format", "concise"]);
    assert_findings(&out, &["design/a.md", "design/c.md"], 3);
    // --config wins.
    fs::write(repo.base.join("strict.toml"), "").expect("write a config");
    let strict = repo.base.join("strict.toml");
    let strict = strict.to_str().expect("a UTF-8 temp path");
    let out = repo.designgate(&[
        "--config", strict, "check", "--format", "concise", "--rev", "HEAD",
    ]);
    assert_findings(&out, &["design/a.md", "design/c.md"], 3);

    // A broken committed config, or a pack missing from the commit, is an
    // error that names the commit.
    repo.write("designgate.toml", "packs = [\"rules/team.toml\"]\n");
    repo.commit_all("pack not committed");
    let head = repo.git(&["rev-parse", "--short=7", "HEAD"]);
    let out = repo.designgate(&["check", "--rev", "HEAD"]);
    assert_usage_error(&out, &format!("{}:rules/team.toml", head.trim()));
}

#[test]
fn bare_repository_checks_a_rev_with_its_committed_config() {
    let repo = two_commits();
    repo.git(&["checkout", "--", "design/a.md"]);
    repo.write(".designgate.toml", "[severity]\nload-testing = \"off\"\n");
    repo.commit_all("config");
    let bare = repo.base.join("bare.git");
    let bare_arg = bare.to_str().expect("a UTF-8 temp path");
    repo.git_in(&repo.base, &["clone", "-q", "--bare", "repo", bare_arg]);

    let out = repo.designgate_in(&bare, &["check", "--format", "concise", "--rev", "main"]);
    assert_findings(&out, &["design/a.md", "design/c.md"], 3);
    let out = repo.designgate_in(
        &bare,
        &["check", "--format", "concise", "--diff", "main~2..main"],
    );
    assert_findings(&out, &["design/a.md", "design/c.md"], 2);

    // As pre-receive runs it: GIT_DIR set, current folder elsewhere.
    let elsewhere = repo.base.join("home");
    let out = repo.run(
        &elsewhere,
        support::designgate_exe(),
        &[
            "check", "--format", "concise", "--rev", "main", "--diff", "main~2",
        ],
        &[("GIT_DIR", &bare)],
    );
    assert_findings(&out, &["design/a.md", "design/c.md"], 2);

    // Without a rev there is nothing to read.
    for args in [&["check"][..], &["check", "--staged"][..]] {
        let out = repo.designgate_in(&bare, args);
        assert_usage_error(&out, "bare repository");
    }
}

/// A pre-receive hook like a server would run: bare repository, GIT_DIR
/// set, the pushed objects still in quarantine.
#[cfg(unix)]
#[test]
fn pre_receive_in_a_bare_repository_reads_quarantined_commits() {
    use std::os::unix::fs::PermissionsExt;
    let repo = Repo::new();
    repo.write("design/a.md", &good());
    repo.commit_all("first");
    let bare = repo.base.join("server.git");
    let bare_arg = bare.to_str().expect("a UTF-8 temp path");
    repo.git_in(&repo.base, &["clone", "-q", "--bare", "repo", bare_arg]);
    let hook = bare.join("hooks/pre-receive");
    fs::write(
        &hook,
        "#!/bin/sh\n\
         while read old new ref; do\n\
         case $new in *[!0]*) ;; *) continue ;; esac\n\
         designgate check --format concise --rev \"$new\" --diff \"$old\" || exit 1\n\
         done\n",
    )
    .expect("write the hook");
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).expect("chmod");
    let bin_dir = support::designgate_exe()
        .parent()
        .expect("the binary has a folder")
        .to_owned();
    let mut path = vec![bin_dir];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let path = PathBuf::from(std::env::join_paths(path).expect("a valid PATH"));
    let push = |refspec: &str| {
        repo.run(
            &repo.dir,
            "git",
            &["push", "-q", bare_arg, refspec],
            &[("PATH", &path)],
        )
    };
    let server_head = |branch: &str| {
        let out = repo.run(&bare, "git", &["rev-parse", "--verify", "-q", branch], &[]);
        stdout(&out).trim().to_owned()
    };

    repo.write("design/c.md", &bad());
    repo.commit_all("bad doc");
    let before = server_head("main");
    let out = push("HEAD:main");
    assert_ne!(
        out.status.code(),
        Some(0),
        "the push is rejected:\n{}",
        text(&out)
    );
    let all = text(&out);
    assert!(
        all.contains("design/c.md") && all.contains("error[sla]"),
        "{all}"
    );
    assert!(!all.contains("design/a.md"), "a.md did not change:\n{all}");
    assert_eq!(server_head("main"), before, "main did not move");
    // A new branch (all-zeros old id) is checked in full.
    let out = push("HEAD:refs/heads/topic");
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    let all = text(&out);
    assert!(
        all.contains("design/c.md") && all.contains("error[sla]"),
        "{all}"
    );
    assert!(all.contains("in 2 documents checked"), "{all}");
    assert_eq!(server_head("topic"), "", "topic was not created");

    repo.write("design/c.md", &good());
    repo.commit_all("fixed");
    let out = push("HEAD:main");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(server_head("main"), repo.git(&["rev-parse", "HEAD"]).trim());
}

#[test]
fn a_shallow_clone_says_that_history_is_missing() {
    let repo = two_commits();
    repo.git(&["checkout", "--", "design/a.md"]);
    let url = format!("file://{}", repo.dir.display());
    repo.git_in(
        &repo.base,
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let shallow = repo.base.join("shallow");
    let out = repo.designgate_in(&shallow, &["check", "--diff", "HEAD~1"]);
    assert_usage_error(&out, "shallow clone");
    // What is there can still be checked.
    let out = repo.designgate_in(&shallow, &["check", "--format", "concise", "--rev", "HEAD"]);
    assert_findings(&out, &["design/a.md", "design/c.md"], 3);
}

#[test]
fn linked_worktree_and_detached_head_check_their_own_head() {
    let repo = two_commits();
    repo.git(&["checkout", "--", "design/a.md"]);
    let wt = repo.base.join("wt");
    let wt_arg = wt.to_str().expect("a UTF-8 temp path");
    repo.git(&["worktree", "add", "-q", "-b", "side", wt_arg, "main"]);
    fs::write(wt.join("design/side.md"), bad()).expect("write in the worktree");
    repo.git_in(&wt, &["add", "design/side.md"]);
    repo.git_in(&wt, &["commit", "-q", "--no-verify", "-m", "side"]);

    let out = repo.designgate_in(
        &wt,
        &["check", "--format", "concise", "--diff", "main...HEAD"],
    );
    assert_findings(&out, &["design/side.md"], 1);
    let out = repo.designgate(&["check", "--format", "concise", "--diff", "main...side"]);
    assert_findings(&out, &["design/side.md"], 1);

    repo.git(&["checkout", "-q", "--detach", "HEAD~1"]);
    let out = repo.designgate(&["check", "--format", "concise", "--rev", "HEAD"]);
    assert_findings(&out, &["design/old.md"], 3);
    let out = repo.designgate(&["check", "--format", "concise", "--diff", "main"]);
    // main..HEAD: HEAD (the first commit) has a.md good, old.md bad.
    assert_findings(&out, &["design/old.md"], 2);
}

#[test]
fn unborn_head_has_no_commit_to_check_but_staged_works() {
    let repo = Repo::new();
    repo.write("design/a.md", &bad());
    repo.git(&["add", "design/a.md"]);
    for args in [
        &["check", "--rev", "HEAD"][..],
        &["check", "--diff", "main"][..],
    ] {
        let out = repo.designgate(args);
        assert_usage_error(&out, "does not name a commit");
    }
    let out = repo.designgate(&["check", "--format", "concise", "--staged"]);
    assert_findings(&out, &["design/a.md"], 1);
}

#[test]
fn git_dir_and_work_tree_set_by_the_caller_are_honoured() {
    let repo = two_commits();
    let elsewhere = repo.base.join("home");
    let git_dir = repo.dir.join(".git");
    let env = [
        ("GIT_DIR", git_dir.as_path()),
        ("GIT_WORK_TREE", repo.dir.as_path()),
    ];
    let bin = support::designgate_exe();
    let run = |args: &[&str]| repo.run(&elsewhere, bin, args, &env);

    assert_findings(
        &run(&["check", "--format", "concise", "--diff", "HEAD~1"]),
        &["design/a.md", "design/c.md"],
        2,
    );
    // The work tree: a.md fixed on disk.
    assert_findings(&run(&["check", "--format", "concise"]), &["design/c.md"], 3);
    repo.git(&["add", "design/a.md"]);
    repo.write("design/b.md", &bad());
    assert_findings(&run(&["check", "--format", "concise", "--staged"]), &[], 1);

    // A GIT_DIR that is not a repository is an error, not a folder walk.
    let missing = repo.base.join("missing.git");
    let out = repo.run(&elsewhere, bin, &["check"], &[("GIT_DIR", &missing)]);
    assert_usage_error(&out, "not a git repository");
}

#[test]
fn submodule_docs_belong_to_the_submodule() {
    let repo = Repo::new();
    // The submodule, a repository of its own with a bad design doc.
    let sub_src = repo.base.join("sub-src");
    fs::create_dir_all(sub_src.join("design")).expect("create the submodule source");
    repo.git_in(
        &sub_src,
        &["-c", "init.defaultBranch=main", "init", "-q", "."],
    );
    fs::write(sub_src.join("design/inner.md"), bad()).expect("write in the submodule");
    repo.git_in(&sub_src, &["add", "-A"]);
    repo.git_in(&sub_src, &["commit", "-q", "-m", "inner"]);

    repo.write("design/outer.md", &good());
    repo.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        "../sub-src",
        "design/vendor",
    ]);
    repo.commit_all("with a submodule inside design/");

    let zeros = format!("{}..HEAD", "0".repeat(40));
    for args in [
        &["check", "--format", "concise"][..],
        &["check", "--format", "concise", "--rev", "HEAD"][..],
        &["check", "--format", "concise", "--diff", &zeros][..],
    ] {
        let out = repo.designgate(args);
        assert_findings(&out, &[], 1);
    }
    // Inside the submodule, its own docs are checked.
    let inner = repo.dir.join("design/vendor");
    let out = repo.designgate_in(&inner, &["check", "--format", "concise", "--rev", "HEAD"]);
    assert_findings(&out, &["design/inner.md"], 1);
    let out = repo.designgate_in(&inner, &["check", "--format", "concise"]);
    assert_findings(&out, &["design/inner.md"], 1);
}

#[cfg(unix)]
#[test]
fn a_symlink_is_never_a_document_in_git_modes_and_never_followed_out() {
    let repo = Repo::new();
    fs::write(repo.base.join("secret.md"), bad()).expect("write outside the repo");
    repo.write("design/a.md", &good());
    repo.commit_all("first");
    std::os::unix::fs::symlink("../../secret.md", repo.dir.join("design/link.md"))
        .expect("make a symlink");
    std::os::unix::fs::symlink("a.md", repo.dir.join("design/alias.md")).expect("symlink");
    repo.commit_all("symlinks");

    for args in [
        &["check", "--format", "concise", "--rev", "HEAD"][..],
        &["check", "--format", "concise", "--diff", "HEAD~1"][..],
        &["check", "--format", "concise"][..],
    ] {
        let out = repo.designgate(args);
        let all = text(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}:\n{all}");
        assert!(
            !all.contains("link.md") && !all.contains("alias.md"),
            "{all}"
        );
    }
    // A symlink replaced by a regular file (a type change) is linted.
    fs::remove_file(repo.dir.join("design/link.md")).expect("remove the symlink");
    repo.write("design/link.md", &bad());
    repo.commit_all("type change");
    let out = repo.designgate(&["check", "--format", "concise", "--diff", "HEAD~1"]);
    assert_findings(&out, &["design/link.md"], 1);
}

// ---------------------------------------------------------------- bad input

#[test]
fn bad_revisions_and_ranges_exit_2_with_a_clear_message() {
    let repo = two_commits();
    let cases: &[(&[&str], &str)] = &[
        (
            &["check", "--diff", "nope..HEAD"],
            "`nope` does not name a commit",
        ),
        (
            &["check", "--diff", "HEAD..nope"],
            "`nope` does not name a commit",
        ),
        (&["check", "--rev", "HEAD:design"], "does not name a commit"),
        (&["check", "--rev", "HEAD~99"], "does not name a commit"),
        (&["check", "--diff", "..HEAD"], "has no base commit"),
        (&["check", "--diff="], "has no base commit"),
        (&["check", "--diff=--output=x"], "cannot start with `-`"),
        (&["check", "--rev=-p"], "cannot start with `-`"),
        (
            &["check", "--rev", "HEAD", "--diff", "HEAD~1..HEAD"],
            "both name the commit",
        ),
        (
            &["check", "--staged", "--rev", "HEAD"],
            "cannot be used with",
        ),
        (
            &["check", "--diff", "HEAD~1", "design/a.md"],
            "cannot be used with",
        ),
        (&["--rev", "HEAD", "rules"], "belong to `check`"),
    ];
    for (args, needle) in cases {
        let out = repo.designgate(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}:\n{}", text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(needle),
            "{args:?}: stderr should say `{needle}`:\n{err}"
        );
    }
    assert!(!repo.dir.join("x").exists(), "no option reached git");

    // Unrelated histories have no merge base; `..` still compares trees.
    repo.git(&["checkout", "--", "design/a.md"]);
    repo.git(&["checkout", "-q", "--orphan", "other"]);
    repo.write("design/z.md", &bad());
    repo.commit_all("unrelated");
    let out = repo.designgate(&["check", "--diff", "main...HEAD"]);
    assert_usage_error(&out, "no common ancestor");
    let out = repo.designgate(&["check", "--format", "concise", "--diff", "main..HEAD"]);
    assert_findings(&out, &["design/z.md"], 1);
}

#[test]
fn diff_and_rev_outside_a_repository_exit_2() {
    let repo = Repo::new();
    let plain = repo.base.join("plain");
    fs::create_dir_all(plain.join("design")).expect("create a plain folder");
    fs::write(plain.join("design/x.md"), good()).expect("write a doc");
    for (args, option) in [
        (&["check", "--diff", "main"][..], "--diff"),
        (&["check", "--rev", "HEAD"][..], "--rev"),
    ] {
        let out = repo.designgate_in(&plain, args);
        assert_usage_error(&out, &format!("{option} needs a git repository"));
    }
}

// ---------------------------------------------------------------- snapshots

#[allow(clippy::print_stderr)]
/// Runs `f` unless the test process itself runs with GIT_DIR or
/// GIT_INDEX_FILE set (e.g. from inside a git hook): the library calls git
/// with the process environment, which would point at another repository.
fn without_inherited_git_env(f: impl FnOnce()) {
    if std::env::var_os("GIT_DIR").is_some() || std::env::var_os("GIT_INDEX_FILE").is_some() {
        eprintln!("skipped: GIT_DIR or GIT_INDEX_FILE is set in the test environment");
        return;
    }
    f();
}

#[test]
fn a_diagram_only_on_disk_exists_in_the_work_tree_but_not_in_the_index_or_a_commit() {
    without_inherited_git_env(|| {
        let repo = Repo::new();
        repo.write("design/a.md", "# A\n\n![arch](img/diagram.png)\n");
        repo.commit_all("doc");
        repo.write("design/img/diagram.png", "png");
        let ws = Workspace::open(&repo.dir).expect("open the workspace");
        let head = match ws.commits(Some("HEAD"), None).expect("HEAD resolves") {
            s @ Selection::Commit(_) => s,
            other => panic!("expected a commit selection, got {other:?}"),
        };
        let disk = ws.snapshot(&Selection::All).expect("work tree");
        let index = ws.snapshot(&Selection::Staged).expect("index");
        let tree = ws.snapshot(&head).expect("tree");
        assert_eq!(disk.entry("design/img/diagram.png"), Entry::File);
        assert_eq!(index.entry("design/img/diagram.png"), Entry::Missing);
        assert_eq!(tree.entry("design/img/diagram.png"), Entry::Missing);
        assert_eq!(index.entry("design/img"), Entry::Missing);
        assert_eq!(index.entry("design"), Entry::Dir);
        assert_eq!(tree.entry("design/a.md"), Entry::File);
        assert_eq!(index.describe(), "the index");
        assert!(
            tree.describe().starts_with("commit "),
            "{}",
            tree.describe()
        );

        // Staged, the index has it; the commit still does not.
        repo.git(&["add", "design/img/diagram.png"]);
        let index = ws.snapshot(&Selection::Staged).expect("index");
        let tree = ws.snapshot(&head).expect("tree");
        assert_eq!(index.entry("design/img/diagram.png"), Entry::File);
        assert_eq!(index.entry("design/img"), Entry::Dir);
        assert_eq!(tree.entry("design/img/diagram.png"), Entry::Missing);
        assert!(index.failure().is_none() && tree.failure().is_none());
        assert_eq!(tree.entry("design"), Entry::Dir);
        assert_eq!(tree.entry("design/a.md/x"), Entry::Missing);

        // Past the first lookups the snapshot lists everything once; the
        // answers stay the same.
        for i in 0..40 {
            assert_eq!(
                index.entry(&format!("design/missing-{i}.png")),
                Entry::Missing
            );
            assert_eq!(
                tree.entry(&format!("design/missing-{i}.png")),
                Entry::Missing
            );
        }
        assert_eq!(index.entry("design/img/diagram.png"), Entry::File);
        assert_eq!(index.entry("design/img"), Entry::Dir);
        assert_eq!(tree.entry("design"), Entry::Dir);
        assert_eq!(tree.entry("design/a.md"), Entry::File);
        assert!(index.failure().is_none() && tree.failure().is_none());
    });
}

/// Through the binary: a staged design whose diagram is only on disk gets
/// one warning, from the `architecture` rule, at the image (the index has
/// no such file; the `links` rule does not report the same image again),
/// the work tree check does not, and staging the diagram clears it.
#[test]
fn a_staged_doc_linking_an_unstaged_diagram_reports_it_until_it_is_staged() {
    let repo = Repo::new();
    let doc = good().replace(
        "```mermaid\ngraph LR\n  api --> queue --> worker\n```\n",
        "![Retry flow](img/flow.svg)\n",
    );
    repo.write("design/retry.md", &doc);
    repo.write(
        "design/img/flow.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    repo.git(&["add", "design/retry.md"]);

    let out = repo.designgate(&["check", "--staged", "--format", "concise"]);
    let shown = text(&out);
    let about_flow: Vec<&str> = shown.lines().filter(|l| l.contains("flow.svg")).collect();
    assert_eq!(about_flow.len(), 1, "{shown}");
    assert!(
        about_flow[0].contains("warning[architecture]")
            && about_flow[0].contains("`design/img/flow.svg`, which is not in the index"),
        "{shown}"
    );

    // The work tree has the file: no finding there.
    let out = repo.designgate(&["check", "--format", "concise"]);
    assert!(!text(&out).contains("flow.svg"), "{}", text(&out));

    repo.git(&["add", "design/img/flow.svg"]);
    let out = repo.designgate(&["check", "--staged", "--format", "concise"]);
    assert!(!text(&out).contains("flow.svg"), "{}", text(&out));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

/// `--staged` discovery learns how the index differs from `HEAD` and
/// answers link lookups from that and `HEAD`'s trees, without listing the
/// index. Each answer must be the one the index itself gives (a snapshot
/// that asks git about each path): files kept, removed, added and
/// intent-to-add; folders emptied, thinned, only holding folders, or new;
/// symlinks, submodules and type changes.
#[test]
fn staged_link_lookups_answer_as_the_index_does() {
    without_inherited_git_env(|| {
        let repo = Repo::new();
        for path in [
            "design/keep/a.svg",
            "design/gone/x.svg",
            "design/onlydirs/sub/y.svg",
            "design/mixed/m1.svg",
            "design/mixed/m2.svg",
            "design/file.svg",
            "design/del.svg",
            "design/typechange.svg",
            "README.md",
        ] {
            repo.write(path, "x");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("keep/a.svg", repo.dir.join("design/link.svg"))
                .expect("symlink");
            std::os::unix::fs::symlink("keep", repo.dir.join("design/linkdir")).expect("symlink");
        }
        repo.commit_all("init");
        let head = repo.git(&["rev-parse", "HEAD"]);
        let head = head.trim();
        repo.git(&[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{head},design/sub"),
        ]);
        repo.commit_all("submodule");
        repo.git(&[
            "rm",
            "-q",
            "--cached",
            "design/gone/x.svg",
            "design/del.svg",
        ]);
        repo.git(&["rm", "-q", "--cached", "design/mixed/m1.svg"]);
        repo.write("design/new.svg", "n");
        repo.write("design/newdir/deeper/n.svg", "n");
        repo.write("design/ita.svg", "i");
        repo.git(&["add", "design/new.svg", "design/newdir"]);
        repo.git(&["add", "-N", "design/ita.svg"]);
        #[cfg(unix)]
        {
            fs::remove_file(repo.dir.join("design/typechange.svg")).expect("remove a file");
            std::os::unix::fs::symlink("keep/a.svg", repo.dir.join("design/typechange.svg"))
                .expect("symlink");
            repo.git(&["add", "design/typechange.svg"]);
        }
        repo.git(&[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{head},design/newsub"),
        ]);
        repo.write("design/doc.md", &good());
        repo.git(&["add", "design/doc.md"]);

        let ws = Workspace::open_staged(&repo.dir).expect("open the workspace");
        let config = ws
            .config(&Selection::Staged, &repo.dir, None, None)
            .expect("config");
        let docs = ws
            .discover(&config, &Selection::Staged, &repo.dir)
            .expect("discover");
        assert_eq!(docs.len(), 1);
        let fast = ws.snapshot(&Selection::Staged).expect("index");
        let reference = Workspace::open(&repo.dir)
            .expect("open the workspace")
            .snapshot(&Selection::Staged)
            .expect("index");
        let paths = [
            "design",
            "design/keep",
            "design/keep/a.svg",
            "design/gone",
            "design/gone/x.svg",
            "design/onlydirs",
            "design/onlydirs/sub",
            "design/onlydirs/sub/y.svg",
            "design/mixed",
            "design/mixed/m1.svg",
            "design/mixed/m2.svg",
            "design/file.svg",
            "design/file.svg/x",
            "design/del.svg",
            "design/typechange.svg",
            "design/link.svg",
            "design/linkdir",
            "design/linkdir/a.svg",
            "design/new.svg",
            "design/newdir",
            "design/newdir/deeper",
            "design/newdir/deeper/n.svg",
            "design/ita.svg",
            "design/sub",
            "design/sub/x",
            "design/newsub",
            "design/nothing.svg",
            "design/nodir/x.svg",
            "design/doc.md",
            "README.md",
        ];
        let answers: Vec<(&str, Entry)> = paths.iter().map(|&p| (p, fast.entry(p))).collect();
        let expected: Vec<(&str, Entry)> = paths.iter().map(|&p| (p, reference.entry(p))).collect();
        assert_eq!(answers, expected);
        let of = |p: &str| answers.iter().find(|(q, _)| *q == p).map(|(_, e)| *e);
        assert_eq!(of("design/keep/a.svg"), Some(Entry::File));
        assert_eq!(of("design/gone"), Some(Entry::Missing));
        assert_eq!(of("design/onlydirs"), Some(Entry::Dir));
        assert_eq!(of("design/mixed"), Some(Entry::Dir));
        assert_eq!(of("design/ita.svg"), Some(Entry::File));
        assert_eq!(of("design/newsub"), Some(Entry::Dir));
        assert!(fast.failure().is_none() && reference.failure().is_none());
    });
}
