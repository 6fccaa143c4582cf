//! designgate under the real hook managers: pre-commit, prek, lefthook and
//! husky, each installed in a scratch repository and driven by real
//! `git commit`s, using the very configuration snippets the README shows.
//!
//! The snippets live in `tests/fixtures/snippets/`; a test requires the
//! README to contain each of them verbatim, so the documentation cannot
//! drift from what is tested.
//!
//! The managers are found on `PATH` (`.ci/run` installs them from PyPI and
//! npm). `build.rs` looks for them when the tests are built: a test whose
//! manager is missing is reported as ignored, never as passed, unless
//! `DESIGNGATE_REQUIRE_HOOK_MANAGERS=1` (set by `.ci/run`) enables them all,
//! so that a missing manager fails in CI. Building the hook from source with
//! `language: rust` takes minutes, so those two tests (pre-commit's
//! `install-hooks` and `try-repo`) are ignored unless
//! `DESIGNGATE_TEST_RUST_HOOK_BUILD=1` (also set by `.ci/run`). A change of
//! `PATH` or of these variables rebuilds the tests.

mod support;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Instant;

use support::{
    COMPLETE, Repo, Sandbox, all_output, assert_blocked_on_sla, assert_success, complete_edited,
    names_rule, stdout, without_sla,
};

const DOC: &str = "design/export.md";

// ---------------------------------------------------------------- snippets

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A configuration snippet the README shows.
fn snippet(name: &str) -> String {
    let path = manifest_dir().join("tests/fixtures/snippets").join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

const SNIPPETS: &[&str] = &[
    "pre-commit.yaml",
    "pre-commit-local.yaml",
    "lefthook.yml",
    "husky-pre-commit",
];

#[test]
fn readme_shows_every_tested_snippet_verbatim() {
    let readme = fs::read_to_string(manifest_dir().join("README.md")).expect("read README.md");
    for name in SNIPPETS {
        let text = snippet(name);
        let fenced = format!("\n{text}```\n");
        assert!(
            readme.contains(&fenced),
            "README.md must show tests/fixtures/snippets/{name} verbatim, as a whole code block:\n{text}"
        );
    }
}

// ---------------------------------------------------------------- finding the tools

/// `name` on `PATH`. The tests that call it are ignored when it was not on
/// `PATH` at build time (see `build.rs`), so missing it here is a failure.
fn tool(name: &str) -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!("{name} is not on PATH, and this test needs it (bash .ci/run installs it)")
    })
}

// ---------------------------------------------------------------- the scenario every manager passes

/// A repository with one commit (hooks skipped) holding a README.
fn scratch(sandbox: &Sandbox) -> Repo<'_> {
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(&[("README.md", "# Billing\n")], "init");
    repo
}

/// Commits the manager's configuration files without running hooks.
fn commit_config(repo: &Repo<'_>, files: &[(&str, &str)]) {
    repo.commit_unchecked(files, "hook configuration");
}

/// Real commits through whatever hook is installed in `repo`:
/// 1. a design doc missing its SLA is blocked, and nothing is committed;
/// 2. the complete doc commits;
/// 3. only the staged version counts: staged broken but fixed on disk is
///    blocked; staged fine but broken on disk commits the staged text;
///    either way the work tree keeps the user's unstaged edit.
fn blocks_then_passes_on_the_staged_version(repo: &Repo<'_>) {
    let count = repo.commit_count();
    repo.write(DOC, &without_sla());
    repo.git_ok(&["add", DOC]);
    assert_blocked_on_sla(&repo.commit("add a design without SLA"), DOC);
    assert_eq!(repo.commit_count(), count, "nothing was committed");

    repo.write(DOC, COMPLETE);
    repo.git_ok(&["add", DOC]);
    assert_success(&repo.commit("add the export design"));
    assert_eq!(repo.commit_count(), count + 1);

    repo.write(DOC, &without_sla());
    repo.git_ok(&["add", DOC]);
    repo.write(DOC, &complete_edited());
    assert_blocked_on_sla(&repo.commit("staged without SLA, fixed on disk"), DOC);
    assert_eq!(repo.commit_count(), count + 1);
    assert_eq!(
        repo.read(DOC),
        complete_edited(),
        "the unstaged fix is kept"
    );

    repo.git_ok(&["add", DOC]);
    repo.write(DOC, &without_sla());
    assert_success(&repo.commit("staged fine, broken on disk"));
    assert_eq!(repo.commit_count(), count + 2);
    let committed = stdout(&repo.git_ok(&["show", &format!("HEAD:{DOC}")]));
    assert_eq!(
        committed,
        complete_edited(),
        "the staged version was committed"
    );
    assert_eq!(repo.read(DOC), without_sla(), "the unstaged edit is kept");
}

// ---------------------------------------------------------------- pre-commit and prek, local hook

fn local_hook_with(manager: &str) {
    let exe = tool(manager);
    let sandbox = Sandbox::new();
    let repo = scratch(&sandbox);
    commit_config(
        &repo,
        &[(".pre-commit-config.yaml", &snippet("pre-commit-local.yaml"))],
    );
    assert_success(&repo.sandbox.run(&repo.dir, &exe, &["install"]));

    blocks_then_passes_on_the_staged_version(&repo);

    // Documents outside design/ are not passed to designgate.
    repo.write("notes/x.md", "# Notes\n");
    repo.git_ok(&["add", "notes"]);
    assert_success(&repo.commit("notes"));
}

#[test]
#[cfg_attr(
    not(has_pre_commit),
    ignore = "needs pre-commit on PATH (bash .ci/run installs it)"
)]
fn pre_commit_local_hook_blocks_and_passes_real_commits() {
    local_hook_with("pre-commit");
}

#[test]
#[cfg_attr(
    not(has_prek),
    ignore = "needs prek on PATH (bash .ci/run installs it)"
)]
fn prek_local_hook_blocks_and_passes_real_commits() {
    local_hook_with("prek");
}

// ---------------------------------------------------------------- language: rust, built from this repository

/// A sandbox without designgate on `PATH` (the hook must run the one it
/// built), where the rust toolchain is reachable and builds share a folder.
///
/// why: the sandbox's `HOME` hides rustup's toolchains, so their folders are
/// passed explicitly, to every command: pre-commit asks `cargo --version` on
/// each run to name the environment it built. The shared target folder under
/// `target/` lets the second build (`try-repo` after `install-hooks`, or a rerun) reuse
/// the compiled dependencies.
fn rust_sandbox() -> Sandbox {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let mut sandbox = Sandbox::without_designgate_on_path();
    sandbox.set_env(
        "RUSTUP_HOME",
        std::env::var_os("RUSTUP_HOME").unwrap_or_else(|| home.join(".rustup").into()),
    );
    sandbox.set_env(
        "CARGO_HOME",
        std::env::var_os("CARGO_HOME").unwrap_or_else(|| home.join(".cargo").into()),
    );
    sandbox.set_env("CARGO_TARGET_DIR", manifest_dir().join("target/hook-build"));
    sandbox.set_env("CARGO_TERM_COLOR", "never");
    sandbox
}

/// This repository's `HEAD`, which `repo:`/`rev:` and `try-repo` build from.
fn this_repository_head() -> String {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "--verify", "-q", "HEAD"])
        .current_dir(manifest_dir())
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "this checkout is not a git repository, so it cannot serve as a hook repository"
    );
    stdout(&out).trim().to_owned()
}

/// Runs `manager args` with the rust toolchain reachable; reports the time.
fn run_building(repo: &Repo<'_>, manager: &Path, args: &[&str]) -> Output {
    let mut cmd = repo.sandbox.command(&repo.dir, manager);
    cmd.args(args);
    let start = Instant::now();
    let out = cmd.output().expect("run the hook manager");
    let _ = writeln!(
        std::io::stderr(),
        "{} {}: {:.0} s (builds designgate with cargo install)",
        manager.file_name().unwrap_or_default().to_string_lossy(),
        args.join(" "),
        start.elapsed().as_secs_f64()
    );
    out
}

#[test]
#[cfg_attr(
    not(all(has_pre_commit, rust_hook_build)),
    ignore = "builds designgate with cargo install through pre-commit (minutes); needs pre-commit and DESIGNGATE_TEST_RUST_HOOK_BUILD=1"
)]
fn pre_commit_builds_the_readme_hook_from_source_and_blocks_real_commits() {
    let exe = tool("pre-commit");
    let head = this_repository_head();
    let sandbox = rust_sandbox();
    let repo = scratch(&sandbox);
    let config = snippet("pre-commit.yaml")
        .replace(
            "<URL of your designgate clone>",
            manifest_dir().to_str().expect("a UTF-8 checkout path"),
        )
        .replace("<tag or commit>", &head);
    commit_config(&repo, &[(".pre-commit-config.yaml", &config)]);
    assert_success(&repo.sandbox.run(&repo.dir, &exe, &["install"]));
    assert_success(&run_building(&repo, &exe, &["install-hooks"]));

    // No designgate on PATH: the commits run the one pre-commit built.
    blocks_then_passes_on_the_staged_version(&repo);
}

/// why: `try-repo` is pre-commit's, not prek's: prek's `cargo install`
/// seemed not to honour `CARGO_TARGET_DIR` and rebuilt everything (about
/// six minutes of CPU here) on every run, while its one difference,
/// `--locked`, is already proven by `cargo test --locked` in `.ci/run`.
#[test]
#[cfg_attr(
    not(all(has_pre_commit, rust_hook_build)),
    ignore = "builds designgate with cargo install through pre-commit (minutes); needs pre-commit and DESIGNGATE_TEST_RUST_HOOK_BUILD=1"
)]
fn pre_commit_try_repo_builds_this_repository_and_checks_the_staged_doc() {
    let exe = tool("pre-commit");
    // try-repo builds from this checkout's HEAD.
    this_repository_head();
    let sandbox = rust_sandbox();
    let repo = scratch(&sandbox);
    repo.write(DOC, &without_sla());
    repo.git_ok(&["add", DOC]);
    repo.write(DOC, COMPLETE); // only the staged version counts
    let hook_repo = manifest_dir().to_str().expect("a UTF-8 checkout path");

    let out = run_building(&repo, &exe, &["try-repo", hook_repo, "designgate"]);

    assert_blocked_on_sla(&out, DOC);
    assert_eq!(repo.read(DOC), COMPLETE, "the unstaged fix is kept");
}

// ---------------------------------------------------------------- lefthook

#[test]
#[cfg_attr(
    not(has_lefthook),
    ignore = "needs lefthook on PATH (bash .ci/run installs it)"
)]
fn lefthook_snippet_blocks_and_passes_real_commits() {
    let exe = tool("lefthook");
    let sandbox = Sandbox::new();
    let repo = scratch(&sandbox);
    commit_config(&repo, &[("lefthook.yml", &snippet("lefthook.yml"))]);
    assert_success(&repo.sandbox.run(&repo.dir, &exe, &["install"]));

    blocks_then_passes_on_the_staged_version(&repo);
}

// ---------------------------------------------------------------- husky

#[test]
#[cfg_attr(
    not(has_husky),
    ignore = "needs husky on PATH (bash .ci/run installs it)"
)]
fn husky_snippet_blocks_and_passes_real_commits() {
    let exe = tool("husky");
    let sandbox = Sandbox::new();
    let repo = scratch(&sandbox);
    // `husky` sets core.hooksPath to .husky/_ and writes its stubs there.
    assert_success(&repo.sandbox.run(&repo.dir, &exe, &[]));
    assert_eq!(
        stdout(&repo.git_ok(&["config", "core.hooksPath"])).trim(),
        ".husky/_"
    );
    commit_config(
        &repo,
        &[(".husky/pre-commit", &snippet("husky-pre-commit"))],
    );
    assert!(
        fs::metadata(repo.dir.join(".husky/pre-commit")).is_ok(),
        "{}",
        all_output(&repo.git(&["status"]))
    );

    blocks_then_passes_on_the_staged_version(&repo);
}

// ---------------------------------------------------------------- pre-commit at pre-push

/// The `entry` of hook `id` in this repository's `.pre-commit-hooks.yaml`,
/// as written (one line).
fn manifest_entry(id: &str) -> String {
    let manifest = std::fs::read_to_string(manifest_dir().join(".pre-commit-hooks.yaml"))
        .expect("read .pre-commit-hooks.yaml");
    let start = manifest
        .find(&format!("- id: {id}\n"))
        .unwrap_or_else(|| panic!("no hook `{id}` in the manifest"));
    manifest[start..]
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .expect("the hook has an entry")
        .to_owned()
}

/// A scratch repository with a bare `origin`, `main` pushed, and the
/// manifest's `designgate-push` hook installed by the real pre-commit at
/// pre-push (as a local hook with the manifest's exact entry, so that no
/// build is needed).
fn push_hook_repo(sandbox: &Sandbox) -> (Repo<'_>, Repo<'_>) {
    let exe = tool("pre-commit");
    let remote = sandbox.bare("remote.git");
    let repo = scratch(sandbox);
    let entry = manifest_entry("designgate-push");
    let config = format!(
        "repos:\n  - repo: local\n    hooks:\n      - id: designgate-push\n        name: designgate-push\n        entry: {entry}\n        language: system\n        pass_filenames: false\n        always_run: true\n        stages: [pre-push]\n"
    );
    commit_config(&repo, &[(".pre-commit-config.yaml", &config)]);
    repo.git_ok(&["remote", "add", "origin", &remote.dir.to_string_lossy()]);
    repo.git_ok(&["push", "-q", "--no-verify", "-u", "origin", "main"]);
    assert_success(&sandbox.run(&repo.dir, &exe, &["install", "-t", "pre-push"]));
    (repo, remote)
}

/// The manifest's `designgate-push` hook, run by the real pre-commit at
/// pre-push (as a local hook with the manifest's exact entry, so that no
/// build is needed): a push carrying a doc without SLA is blocked; the fix
/// goes through; what counts is the pushed commits, not the work tree.
#[test]
#[cfg_attr(
    not(has_pre_commit),
    ignore = "needs pre-commit on PATH (bash .ci/run installs it)"
)]
fn pre_commit_push_hook_checks_the_pushed_commits() {
    let sandbox = Sandbox::new();
    let (repo, remote) = push_hook_repo(&sandbox);

    // A commit without SLA: the push is blocked and the remote unchanged.
    repo.commit_unchecked(&[(DOC, &without_sla())], "design without SLA");
    let before = remote.rev("main");
    let out = repo.git(&["push", "origin", "main"]);
    assert!(
        !out.status.success(),
        "push must be blocked:\n{}",
        all_output(&out)
    );
    assert!(names_rule(&all_output(&out), "sla"), "{}", all_output(&out));
    assert_eq!(remote.rev("main"), before, "the remote did not move");

    // Fixed in a new commit, but broken again on disk: the pushed commits
    // are complete, so the push goes through.
    repo.commit_unchecked(&[(DOC, COMPLETE)], "add the SLA");
    repo.write(DOC, &without_sla());
    assert_success(&repo.git(&["push", "origin", "main"]));
    assert_eq!(remote.rev("main"), repo.rev("main"));
}

/// The manifest's `designgate-push` hook takes the rules from the remote's
/// side of the range, as hooks/pre-push and the server's pre-receive do: a
/// push that switches the gate off (`design_dirs` pointing nowhere) in the
/// same commit as a document without SLA is still blocked.
#[test]
#[cfg_attr(
    not(has_pre_commit),
    ignore = "needs pre-commit on PATH (bash .ci/run installs it)"
)]
fn pre_commit_push_hook_checks_under_the_remote_rules() {
    let sandbox = Sandbox::new();
    let (repo, remote) = push_hook_repo(&sandbox);

    repo.commit_unchecked(
        &[
            (DOC, &without_sla()),
            ("designgate.toml", "design_dirs = [\"nothing-here\"]\n"),
        ],
        "design without SLA, and no more design folder",
    );
    let before = remote.rev("main");
    let out = repo.git(&["push", "origin", "main"]);
    assert!(
        !out.status.success(),
        "push must be blocked under the remote's rules:\n{}",
        all_output(&out)
    );
    assert!(names_rule(&all_output(&out), "sla"), "{}", all_output(&out));
    assert_eq!(remote.rev("main"), before, "the remote did not move");
}
