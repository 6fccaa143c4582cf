//! Plain git hooks, on real repositories: `designgate install-hook` (where
//! the hook goes, what it never overwrites, how it is removed), and the
//! installed pre-commit, pre-push and pre-receive hooks under real
//! `git commit` and `git push` to a local bare repository.
//!
//! Nothing is mocked: every repository is made with the real `git`, every
//! hook runs because git runs it, and each test asserts what a user would
//! notice: the exit status, what was printed, which file is where, and
//! whether a commit or a push landed.

mod support;

use std::fs;
use std::path::Path;
use std::process::Output;

use support::{
    COMPLETE, Repo, Sandbox, all_output, assert_blocked_on_sla, assert_success, complete_edited,
    designgate_exe, stderr, stdout, without_sla,
};

// ---------------------------------------------------------------- helpers

fn install(repo: &Repo<'_>, args: &[&str]) -> Output {
    let mut all = vec!["install-hook"];
    all.extend_from_slice(args);
    repo.designgate(&all)
}

#[track_caller]
fn assert_exit_2_naming(out: &Output, needles: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{}", all_output(out));
    for needle in needles {
        assert!(
            err.contains(needle),
            "stderr should contain {needle:?}:\n{err}"
        );
    }
}

fn hook_text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// A repository with one complete design document committed (hooks skipped).
fn repo_with_a_doc(sandbox: &Sandbox) -> Repo<'_> {
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(&[("design/export.md", COMPLETE)], "init");
    repo
}

const FOREIGN: &str = "#!/bin/sh\n# the team's own hook\nexit 0\n";

// ---------------------------------------------------------------- install-hook: where

#[test]
fn install_writes_an_executable_marked_hook_in_the_hooks_folder() {
    let sandbox = Sandbox::new();
    let repo = repo_with_a_doc(&sandbox);

    let out = install(&repo, &[]);

    assert_success(&out);
    let hook = repo.dir.join(".git/hooks/pre-commit");
    assert!(
        stdout(&out).contains(&hook.display().to_string()),
        "the message names the path written:\n{}",
        stdout(&out)
    );
    let text = hook_text(&hook);
    assert!(
        text.starts_with("#!/bin/sh\n# designgate install-hook: "),
        "{text}"
    );
    assert!(text.contains("check --staged"), "{text}");
    #[cfg(unix)]
    assert_eq!(support::mode(&hook), 0o755);
}

#[test]
fn install_twice_says_already_installed_and_leaves_the_file_alone() {
    let sandbox = Sandbox::new();
    let repo = repo_with_a_doc(&sandbox);
    assert_success(&install(&repo, &[]));
    let hook = repo.dir.join(".git/hooks/pre-commit");
    let before = (
        hook_text(&hook),
        fs::metadata(&hook).and_then(|m| m.modified()).ok(),
    );

    let out = install(&repo, &["pre-commit"]);

    assert_success(&out);
    assert!(
        stdout(&out).contains("already installed"),
        "{}",
        all_output(&out)
    );
    assert!(stdout(&out).contains(&hook.display().to_string()));
    let after = (
        hook_text(&hook),
        fs::metadata(&hook).and_then(|m| m.modified()).ok(),
    );
    assert_eq!(before, after, "the hook was not rewritten");
}

#[test]
fn install_rewrites_an_edited_designgate_hook() {
    let sandbox = Sandbox::new();
    let repo = repo_with_a_doc(&sandbox);
    assert_success(&install(&repo, &[]));
    let hook = repo.dir.join(".git/hooks/pre-commit");
    let original = hook_text(&hook);
    fs::write(&hook, original.replace("check --staged", "check")).expect("edit the hook");

    let out = install(&repo, &[]);

    assert_success(&out);
    assert!(stdout(&out).contains("updated"), "{}", all_output(&out));
    assert_eq!(hook_text(&hook), original);
    assert!(
        !repo
            .dir
            .join(".git/hooks/pre-commit.designgate-backup")
            .exists(),
        "designgate's own hook needs no backup"
    );
}

#[test]
fn install_honours_an_absolute_core_hooks_path() {
    let sandbox = Sandbox::new();
    let repo = repo_with_a_doc(&sandbox);
    let shared = sandbox.base.join("shared hooks");
    repo.git_ok(&["config", "core.hooksPath", shared.to_str().expect("UTF-8")]);

    let out = install(&repo, &[]);

    assert_success(&out);
    let hook = shared.join("pre-commit");
    assert!(hook.is_file(), "{}", all_output(&out));
    assert!(stdout(&out).contains(&hook.display().to_string()));
    assert!(!repo.dir.join(".git/hooks/pre-commit").exists());
    repo.write("design/export.md", &without_sla());
    repo.git_ok(&["add", "design"]);
    assert_blocked_on_sla(&repo.commit("break"), "design/export.md");
}

#[test]
fn install_resolves_a_relative_core_hooks_path_against_the_work_tree_root() {
    let sandbox = Sandbox::new();
    let repo = repo_with_a_doc(&sandbox);
    repo.git_ok(&["config", "core.hooksPath", ".githooks"]);

    // Run from a subfolder: the path is still the root's `.githooks`.
    let out = sandbox.run(
        &repo.dir.join("design"),
        designgate_exe(),
        &["install-hook"],
    );

    assert_success(&out);
    let hook = repo.dir.join(".githooks/pre-commit");
    assert!(hook.is_file(), "{}", all_output(&out));
    assert!(
        stdout(&out).contains(&hook.display().to_string()),
        "the path is shown without `..`:\n{}",
        stdout(&out)
    );
    repo.write("design/export.md", &without_sla());
    repo.git_ok(&["add", "design"]);
    assert_blocked_on_sla(&repo.commit("break"), "design/export.md");
    assert_eq!(repo.commit_count(), 1);
}

#[test]
fn install_from_a_linked_worktree_writes_to_the_shared_hooks_folder() {
    let sandbox = Sandbox::new();
    let repo = repo_with_a_doc(&sandbox);
    let wt_dir = sandbox.base.join("wt");
    repo.git_ok(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "side",
        wt_dir.to_str().expect("UTF-8"),
    ]);
    let wt = Repo {
        sandbox: &sandbox,
        dir: wt_dir,
    };

    let out = install(&wt, &[]);

    assert_success(&out);
    let hook = repo.dir.join(".git/hooks/pre-commit");
    assert!(hook.is_file(), "{}", all_output(&out));
    assert!(stdout(&out).contains(&hook.display().to_string()));
    // It runs for commits in both worktrees.
    for r in [&wt, &repo] {
        r.write("design/export.md", &without_sla());
        r.git_ok(&["add", "design"]);
        assert_blocked_on_sla(&r.commit("break"), "design/export.md");
    }
}

// ---------------------------------------------------------------- install-hook: a foreign hook is never lost

#[test]
fn install_refuses_to_replace_a_foreign_hook_without_force() {
    let sandbox = Sandbox::new();
    let repo = repo_with_a_doc(&sandbox);
    let hook = repo.dir.join(".git/hooks/pre-commit");
    fs::write(&hook, FOREIGN).expect("write a foreign hook");

    let out = install(&repo, &[]);

    assert_exit_2_naming(&out, &[&hook.display().to_string(), "--force"]);
    assert_eq!(hook_text(&hook), FOREIGN, "the foreign hook is unchanged");
    assert!(
        !repo
            .dir
            .join(".git/hooks/pre-commit.designgate-backup")
            .exists()
    );
}

#[test]
fn install_with_force_keeps_the_foreign_hook_as_a_backup_and_uninstall_restores_it() {
    let sandbox = Sandbox::new();
    let repo = repo_with_a_doc(&sandbox);
    let hook = repo.dir.join(".git/hooks/pre-push");
    let backup = repo.dir.join(".git/hooks/pre-push.designgate-backup");
    fs::write(&hook, FOREIGN).expect("write a foreign hook");

    let out = install(&repo, &["pre-push", "--force"]);

    assert_success(&out);
    assert!(
        stdout(&out).contains(&backup.display().to_string()),
        "{}",
        all_output(&out)
    );
    assert_eq!(hook_text(&backup), FOREIGN);
    assert!(hook_text(&hook).contains("# designgate install-hook:"));

    let out = install(&repo, &["pre-push", "--uninstall"]);

    assert_success(&out);
    assert!(stdout(&out).contains("restored"), "{}", all_output(&out));
    assert!(stdout(&out).contains(&hook.display().to_string()));
    assert_eq!(hook_text(&hook), FOREIGN, "the foreign hook is back");
    assert!(!backup.exists());
}

#[test]
fn install_with_force_never_overwrites_an_earlier_backup() {
    let sandbox = Sandbox::new();
    let repo = repo_with_a_doc(&sandbox);
    let hook = repo.dir.join(".git/hooks/pre-commit");
    let backup = repo.dir.join(".git/hooks/pre-commit.designgate-backup");
    fs::write(&hook, FOREIGN).expect("write a foreign hook");
    fs::write(&backup, "#!/bin/sh\n# an older hook\n").expect("write a backup");

    let out = install(&repo, &["--force"]);

    assert_exit_2_naming(&out, &[&backup.display().to_string()]);
    assert_eq!(hook_text(&hook), FOREIGN);
    assert_eq!(hook_text(&backup), "#!/bin/sh\n# an older hook\n");
}

#[test]
fn uninstall_removes_designgate_hook_but_never_a_foreign_one() {
    let sandbox = Sandbox::new();
    let repo = repo_with_a_doc(&sandbox);
    let hook = repo.dir.join(".git/hooks/pre-commit");
    assert_success(&install(&repo, &[]));

    let out = install(&repo, &["--uninstall"]);
    assert_success(&out);
    assert!(stdout(&out).contains("removed"), "{}", all_output(&out));
    assert!(stdout(&out).contains(&hook.display().to_string()));
    assert!(!hook.exists());

    let out = install(&repo, &["--uninstall"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("nothing to remove"),
        "{}",
        all_output(&out)
    );

    fs::write(&hook, FOREIGN).expect("write a foreign hook");
    let out = install(&repo, &["--uninstall"]);
    assert_exit_2_naming(
        &out,
        &[&hook.display().to_string(), "not written by designgate"],
    );
    assert_eq!(hook_text(&hook), FOREIGN);
}

// ---------------------------------------------------------------- install-hook: bad places

#[test]
fn install_outside_a_repository_exits_2_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let plain = sandbox.base.join("plain");
    fs::create_dir_all(&plain).expect("create a folder");

    let out = sandbox.run(&plain, designgate_exe(), &["install-hook"]);

    assert_exit_2_naming(&out, &["not inside a git repository"]);
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert_eq!(fs::read_dir(&plain).expect("list").count(), 0);
}

#[test]
fn install_in_a_bare_repository_accepts_only_pre_receive() {
    let sandbox = Sandbox::new();
    let bare = sandbox.bare("server.git");

    for hook in ["pre-commit", "pre-push"] {
        let out = install(&bare, &[hook]);
        assert_exit_2_naming(&out, &["bare repository", "pre-receive"]);
        assert!(!bare.dir.join("hooks").join(hook).exists());
    }
    let out = install(&bare, &["pre-receive"]);
    assert_success(&out);
    assert!(bare.dir.join("hooks/pre-receive").is_file());
}

// ---------------------------------------------------------------- the installed pre-commit hook

#[test]
fn installed_pre_commit_hook_blocks_a_real_commit_and_lets_the_fix_through() {
    let sandbox = Sandbox::new();
    let repo = repo_with_a_doc(&sandbox);
    assert_success(&install(&repo, &[]));

    repo.write("design/export.md", &without_sla());
    repo.git_ok(&["add", "design"]);
    assert_blocked_on_sla(&repo.commit("break the design"), "design/export.md");
    assert_eq!(repo.commit_count(), 1, "no commit was created");

    repo.write("design/export.md", &complete_edited());
    repo.git_ok(&["add", "design"]);
    assert_success(&repo.commit("edit the design"));
    assert_eq!(repo.commit_count(), 2);
}

#[test]
fn installed_hook_falls_back_to_the_installing_binary_and_blocks_when_it_is_gone() {
    let sandbox = Sandbox::without_designgate_on_path();
    let repo = repo_with_a_doc(&sandbox);
    // A designgate installed somewhere that is not on PATH.
    let elsewhere = sandbox.base.join("opt bin");
    fs::create_dir_all(&elsewhere).expect("create a folder");
    let exe = elsewhere.join("designgate");
    copy_designgate(&exe);
    let out = sandbox.run(&repo.dir, &exe, &["install-hook"]);
    assert_success(&out);
    assert!(
        stderr(&out).contains("not on PATH"),
        "install warns that designgate is not on PATH:\n{}",
        stderr(&out)
    );

    // PATH has no designgate: the hook runs the one that installed it.
    repo.write("design/export.md", &without_sla());
    repo.git_ok(&["add", "design"]);
    assert_blocked_on_sla(&repo.commit("break"), "design/export.md");

    // Gone altogether: the commit is blocked, and the hook says why.
    fs::remove_file(&exe).expect("remove the binary");
    repo.write("design/export.md", &complete_edited());
    repo.git_ok(&["add", "design"]);
    let out = repo.commit("fine, but unchecked");
    assert!(!out.status.success(), "{}", all_output(&out));
    let text = all_output(&out);
    assert!(text.contains("designgate: not found on PATH"), "{text}");
    assert!(text.contains(&exe.display().to_string()), "{text}");
    assert!(text.contains("--no-verify"), "{text}");
    assert_eq!(repo.commit_count(), 1);
}

/// Copies the designgate binary to `to`, and returns once the copy runs.
///
/// why: while this test writes the copy, another test's thread may fork a
/// process, which holds the file open for writing until it executes its
/// program; running the copy meanwhile fails with "Text file busy"
/// (ETXTBSY), as it did once. The copy is closed when `fs::copy` returns,
/// so no process forked later holds it: once one run got through, no later
/// one is refused.
fn copy_designgate(to: &Path) {
    fs::copy(designgate_exe(), to).expect("copy the binary");
    for _ in 0..500 {
        match std::process::Command::new(to).arg("--version").output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(e) => panic!("run the copy of designgate: {e}"),
            Ok(_) => return,
        }
    }
    panic!("the copy of designgate stayed busy for 5 s");
}

// ---------------------------------------------------------------- pre-push

/// A bare `remote.git` and a clone-like `work` repository whose `origin` it
/// is, with one complete document pushed (hooks skipped), and designgate's
/// pre-push hook installed in `work`.
fn pushed_repo(sandbox: &Sandbox) -> (Repo<'_>, Repo<'_>) {
    let remote = sandbox.bare("remote.git");
    let work = repo_with_a_doc(sandbox);
    work.git_ok(&[
        "remote",
        "add",
        "origin",
        remote.dir.to_str().expect("UTF-8"),
    ]);
    work.git_ok(&["push", "-q", "--no-verify", "-u", "origin", "main"]);
    assert_success(&install(&work, &["pre-push"]));
    (work, remote)
}

#[test]
fn pre_push_blocks_a_push_carrying_a_failing_doc_and_lets_the_fix_through() {
    let sandbox = Sandbox::new();
    let (work, remote) = pushed_repo(&sandbox);
    let before = remote.rev("main");
    work.commit_unchecked(&[("design/export.md", &without_sla())], "break the design");

    let out = work.git(&["push", "origin", "main"]);

    assert_blocked_on_sla(&out, "design/export.md");
    assert!(
        all_output(&out).contains("refs/heads/main"),
        "{}",
        all_output(&out)
    );
    assert_eq!(remote.rev("main"), before, "the remote did not move");

    // Fixed in a later commit: the pushed tip is what counts.
    work.commit_unchecked(
        &[("design/export.md", &complete_edited())],
        "fix the design",
    );
    assert_success(&work.git(&["push", "origin", "main"]));
    assert_eq!(remote.rev("main"), work.rev("main"));
}

#[test]
fn pre_push_checks_the_pushed_commit_not_the_work_tree() {
    let sandbox = Sandbox::new();
    let (work, remote) = pushed_repo(&sandbox);
    work.commit_unchecked(&[("design/export.md", &complete_edited())], "edit");
    work.write("design/export.md", &without_sla()); // not committed

    assert_success(&work.git(&["push", "origin", "main"]));
    assert_eq!(remote.rev("main"), work.rev("main"));
}

#[test]
fn pre_push_ignores_legacy_docs_the_push_does_not_change() {
    let sandbox = Sandbox::new();
    let (work, remote) = pushed_repo(&sandbox);
    work.commit_unchecked(
        &[("design/legacy.md", "# Legacy\n\nOld notes.\n")],
        "legacy",
    );
    work.git_ok(&["push", "-q", "--no-verify", "origin", "main"]);

    work.commit_unchecked(&[("design/export.md", &complete_edited())], "edit");
    assert_success(&work.git(&["push", "origin", "main"]));
    assert_eq!(remote.rev("main"), work.rev("main"));
}

#[test]
fn pre_push_of_a_new_branch_checks_only_its_new_commits() {
    let sandbox = Sandbox::new();
    let (work, remote) = pushed_repo(&sandbox);
    // main carries a legacy failing doc the remote already has.
    work.commit_unchecked(&[("design/legacy.md", &without_sla())], "legacy");
    work.git_ok(&["push", "-q", "--no-verify", "origin", "main"]);

    work.git_ok(&["switch", "-q", "-c", "good"]);
    work.commit_unchecked(&[("design/new.md", COMPLETE)], "a good design");
    let out = work.git(&["push", "origin", "good"]);
    assert_success(&out);
    assert!(
        !all_output(&out).contains("legacy.md"),
        "{}",
        all_output(&out)
    );
    assert_eq!(remote.rev("good"), work.rev("good"));

    work.git_ok(&["switch", "-q", "-c", "bad", "main"]);
    work.commit_unchecked(&[("design/other.md", &without_sla())], "a bad design");
    let out = work.git(&["push", "origin", "bad"]);
    assert_blocked_on_sla(&out, "design/other.md");
    assert!(
        !all_output(&out).contains("legacy.md"),
        "{}",
        all_output(&out)
    );
    assert_eq!(remote.rev("bad"), None, "the branch was not created");
}

#[test]
fn pre_push_to_an_empty_remote_checks_every_doc_of_the_pushed_commit() {
    let sandbox = Sandbox::new();
    let remote = sandbox.bare("remote.git");
    let work = sandbox.repo("repo");
    work.commit_unchecked(
        &[
            ("design/export.md", COMPLETE),
            ("design/old.md", &without_sla()),
        ],
        "init",
    );
    work.git_ok(&[
        "remote",
        "add",
        "origin",
        remote.dir.to_str().expect("UTF-8"),
    ]);
    assert_success(&install(&work, &["pre-push"]));

    let out = work.git(&["push", "origin", "main"]);

    assert_blocked_on_sla(&out, "design/old.md");
    assert_eq!(remote.rev("main"), None);
}

#[test]
fn pre_push_of_a_branch_deletion_is_not_checked() {
    let sandbox = Sandbox::new();
    let (work, remote) = pushed_repo(&sandbox);
    work.git_ok(&["switch", "-q", "-c", "old"]);
    work.commit_unchecked(&[("design/export.md", &without_sla())], "bad");
    work.git_ok(&["push", "-q", "--no-verify", "origin", "old"]);
    assert!(remote.rev("old").is_some());

    let out = work.git(&["push", "origin", "--delete", "old"]);

    assert_success(&out);
    assert_eq!(remote.rev("old"), None, "the branch was deleted");
}

// ---------------------------------------------------------------- pre-receive

/// A bare `server.git` with designgate's pre-receive hook and one complete
/// document on main, and a `work` clone whose `origin` it is.
fn server_and_clone(sandbox: &Sandbox) -> (Repo<'_>, Repo<'_>) {
    let server = sandbox.bare("server.git");
    let work = repo_with_a_doc(sandbox);
    work.git_ok(&[
        "remote",
        "add",
        "origin",
        server.dir.to_str().expect("UTF-8"),
    ]);
    work.git_ok(&["push", "-q", "origin", "main"]);
    assert_success(&install(&server, &["pre-receive"]));
    (server, work)
}

#[test]
fn pre_receive_rejects_a_push_with_a_failing_doc_and_accepts_the_fix() {
    let sandbox = Sandbox::new();
    let (server, work) = server_and_clone(&sandbox);
    let before = server.rev("main");
    work.commit_unchecked(&[("design/export.md", &without_sla())], "break the design");

    // --no-verify skips client hooks only: the server still checks.
    let out = work.git(&["push", "--no-verify", "origin", "main"]);

    assert_blocked_on_sla(&out, "design/export.md");
    let text = all_output(&out);
    assert!(text.contains("rejected refs/heads/main"), "{text}");
    assert!(text.contains("pre-receive hook declined"), "{text}");
    assert_eq!(server.rev("main"), before, "the server did not move");

    work.commit_unchecked(&[("design/export.md", &complete_edited())], "fix");
    assert_success(&work.git(&["push", "origin", "main"]));
    assert_eq!(server.rev("main"), work.rev("main"));
}

#[test]
fn pre_receive_rejects_a_push_it_cannot_check_and_says_so() {
    let sandbox = Sandbox::new();
    let (server, work) = server_and_clone(&sandbox);
    let before = server.rev("main");
    work.commit_unchecked(
        &[
            ("designgate.toml", "design_dirz = [\"design\"]\n"),
            ("design/export.md", &complete_edited()),
        ],
        "a misspelt configuration",
    );

    let out = work.git(&["push", "--no-verify", "origin", "main"]);

    assert!(!out.status.success(), "{}", all_output(&out));
    let text = all_output(&out);
    assert!(
        text.contains("designgate.toml"),
        "the broken file is named:\n{text}"
    );
    assert!(
        text.contains(
            "rejected refs/heads/main: the designgate configuration it carries does not load"
        ),
        "{text}"
    );
    assert_eq!(server.rev("main"), before);
}

#[test]
fn pre_receive_lets_a_repository_with_legacy_docs_adopt_it() {
    let sandbox = Sandbox::new();
    let server = sandbox.bare("server.git");
    let work = sandbox.repo("repo");
    work.commit_unchecked(&[("design/legacy.md", &without_sla())], "legacy");
    work.git_ok(&[
        "remote",
        "add",
        "origin",
        server.dir.to_str().expect("UTF-8"),
    ]);
    work.git_ok(&["push", "-q", "origin", "main"]);
    assert_success(&install(&server, &["pre-receive"]));

    // Changes elsewhere pass; a new branch of good work passes.
    work.commit_unchecked(&[("design/export.md", COMPLETE)], "a good design");
    assert_success(&work.git(&["push", "origin", "main"]));
    work.git_ok(&["switch", "-q", "-c", "feature"]);
    work.commit_unchecked(&[("README.md", "# Billing\n")], "readme");
    assert_success(&work.git(&["push", "origin", "feature"]));
    assert_eq!(server.rev("feature"), work.rev("feature"));

    // A new branch that touches the legacy doc without fixing it is rejected.
    work.git_ok(&["switch", "-q", "-c", "touch", "main"]);
    work.commit_unchecked(
        &[("design/legacy.md", &format!("{}\nMore.\n", without_sla()))],
        "touch",
    );
    let out = work.git(&["push", "origin", "touch"]);
    assert_blocked_on_sla(&out, "design/legacy.md");
    assert!(
        all_output(&out).contains("rejected refs/heads/touch"),
        "{}",
        all_output(&out)
    );
    assert_eq!(server.rev("touch"), None);
}

#[test]
fn pre_receive_checks_everything_pushed_into_an_empty_repository() {
    let sandbox = Sandbox::new();
    let server = sandbox.bare("server.git");
    assert_success(&install(&server, &["pre-receive"]));
    let work = sandbox.repo("repo");
    work.commit_unchecked(&[("design/legacy.md", &without_sla())], "legacy");
    work.git_ok(&[
        "remote",
        "add",
        "origin",
        server.dir.to_str().expect("UTF-8"),
    ]);

    let out = work.git(&["push", "origin", "main"]);

    assert_blocked_on_sla(&out, "design/legacy.md");
    assert_eq!(server.rev("main"), None);
}

#[test]
fn pre_receive_skips_deletions_and_tags() {
    let sandbox = Sandbox::new();
    let (server, work) = server_and_clone(&sandbox);
    // A branch with a failing doc, pushed before the hook existed.
    assert_success(&install(&server, &["pre-receive", "--uninstall"]));
    work.git_ok(&["switch", "-q", "-c", "old"]);
    work.commit_unchecked(&[("design/export.md", &without_sla())], "bad");
    work.git_ok(&["push", "-q", "origin", "old"]);
    assert_success(&install(&server, &["pre-receive"]));

    assert_success(&work.git(&["push", "origin", "--delete", "old"]));
    assert_eq!(server.rev("old"), None, "the branch was deleted");

    // A tag on a commit no branch has: branches are what the hook guards.
    work.commit_unchecked(
        &[("design/export.md", &format!("{}\nMore.\n", without_sla()))],
        "worse",
    );
    work.git_ok(&["tag", "v0-bad"]);
    assert_success(&work.git(&["push", "origin", "v0-bad"]));
    assert!(server.rev("refs/tags/v0-bad").is_some());
    // The same commits are still checked when a branch brings them.
    let out = work.git(&["push", "origin", "old"]);
    assert_blocked_on_sla(&out, "design/export.md");
    assert_eq!(server.rev("old"), None);
}

#[test]
fn pre_receive_without_designgate_on_the_server_rejects_the_push() {
    let sandbox = Sandbox::without_designgate_on_path();
    let server = sandbox.bare("server.git");
    let work = repo_with_a_doc(&sandbox);
    // A copy of the hook script with no fallback, as `cp hooks/pre-receive` gives.
    let hook = server.dir.join("hooks/pre-receive");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("hooks/pre-receive"),
        &hook,
    )
    .expect("copy the hook");
    support::make_executable(&hook);
    work.git_ok(&[
        "remote",
        "add",
        "origin",
        server.dir.to_str().expect("UTF-8"),
    ]);

    let out = work.git(&["push", "origin", "main"]);

    assert!(!out.status.success(), "{}", all_output(&out));
    assert!(
        all_output(&out).contains("not found on the server's PATH"),
        "{}",
        all_output(&out)
    );
    assert_eq!(server.rev("main"), None);
}
