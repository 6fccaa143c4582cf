//! Reads and writes outside the repository, odd names, git hygiene and who
//! sets the policy (issue 9, `io` family). Each test builds real
//! repositories, runs the real binary (with a deadline, so a hang fails the
//! test instead of stalling CI) and asserts what a user or an attacker would
//! notice: the exit code, the message, and that nothing outside the
//! repository was read, run or written.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{
    COMPLETE, Repo, Sandbox, all_output, assert_blocked_on_sla, assert_success, complete_edited,
    designgate_exe, names_rule, stdout, without_sla,
};

/// How long any one command may take before it counts as a hang.
const DEADLINE: Duration = Duration::from_secs(30);

/// Runs `cmd`, killing it and failing the test if it outlives [`DEADLINE`].
#[track_caller]
fn bounded(mut cmd: Command) -> Output {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} still ran after {DEADLINE:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    }
}

/// The built designgate in `dir`, bounded.
#[track_caller]
fn designgate(sandbox: &Sandbox, dir: &Path, args: &[&str]) -> Output {
    let mut cmd = sandbox.command(dir, designgate_exe());
    cmd.args(args);
    bounded(cmd)
}

#[track_caller]
fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "{}", all_output(out));
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

/// A file outside every repository whose content must never show up.
fn host_secret(sandbox: &Sandbox) -> PathBuf {
    let path = sandbox.base.join("host-secret.toml");
    fs::write(&path, "HOST-SECRET-LINE = [\n").expect("write the host file");
    path
}

#[track_caller]
fn assert_no_secret(out: &Output) {
    let text = all_output(out);
    assert!(
        !text.contains("HOST-SECRET"),
        "host file content was echoed:\n{text}"
    );
}

// ------------------------------------------------ committed config reads the host

#[test]
fn a_committed_config_naming_host_files_is_an_error_and_reads_nothing() {
    let sandbox = Sandbox::new();
    let secret = host_secret(&sandbox);
    let secret = secret.to_str().expect("UTF-8");
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(&[("design/export.md", COMPLETE)], "init");
    let escape = format!("../../../../../../../../..{secret}");
    for (what, config, pack) in [
        ("device", "packs = [\"/dev/zero\"]\n".to_owned(), None),
        ("stdin", "packs = [\"/dev/stdin\"]\n".to_owned(), None),
        ("absolute", format!("packs = [{secret:?}]\n"), None),
        ("dot-dot", format!("packs = [{escape:?}]\n"), None),
        (
            "extends",
            "packs = [\"rules/team.toml\"]\n".to_owned(),
            Some(format!("[pack]\nname = \"team\"\nextends = [{secret:?}]\n")),
        ),
    ] {
        let mut files = vec![("designgate.toml", config.as_str())];
        if let Some(pack) = &pack {
            files.push(("rules/team.toml", pack.as_str()));
        }
        repo.commit_unchecked(&files, what);
        // The work tree holds the same files: neither mode may read the host.
        for args in [
            &["check", "--rev", "HEAD"][..],
            &["check", "--diff", "HEAD~1"],
            &["check"],
        ] {
            let out = designgate(&sandbox, &repo.dir, args);
            assert_exit(&out, 2);
            assert_no_secret(&out);
            let text = all_output(&out);
            assert!(
                text.contains("leaves the repository"),
                "{what} {args:?}: the error says why:\n{text}"
            );
            assert!(
                text.contains(":1:") || text.contains(":3:"),
                "file:line:column:\n{text}"
            );
        }
    }
}

#[test]
fn work_tree_config_and_packs_must_be_regular_files_inside_the_repository() {
    let sandbox = Sandbox::new();
    let secret = host_secret(&sandbox);
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(&[("design/export.md", COMPLETE)], "init");
    fs::create_dir_all(repo.dir.join("rules")).expect("mkdir");
    repo.write("designgate.toml", "packs = [\"rules/team.toml\"]\n");

    let pack = repo.dir.join("rules/team.toml");
    for (what, make) in [
        (
            "a FIFO",
            Box::new(|p: &Path| mkfifo(p)) as Box<dyn Fn(&Path)>,
        ),
        ("a device", Box::new(|p: &Path| symlink("/dev/zero", p))),
        (
            "a symlink to a host file",
            Box::new(|p: &Path| symlink(&secret, p)),
        ),
    ] {
        let _ = fs::remove_file(&pack);
        make(&pack);
        let out = designgate(&sandbox, &repo.dir, &["check"]);
        assert_exit(&out, 2);
        assert_no_secret(&out);
        assert!(
            all_output(&out).contains("team.toml"),
            "{what}: names the pack:\n{}",
            all_output(&out)
        );
    }

    // The configuration file itself.
    let _ = fs::remove_file(&pack);
    fs::remove_file(repo.dir.join("designgate.toml")).expect("rm");
    mkfifo(&repo.dir.join("designgate.toml"));
    let out = designgate(&sandbox, &repo.dir, &["check"]);
    assert_exit(&out, 2);
    assert!(
        all_output(&out).contains("regular file"),
        "{}",
        all_output(&out)
    );
    fs::remove_file(repo.dir.join("designgate.toml")).expect("rm");
    symlink(&secret, &repo.dir.join("designgate.toml"));
    let out = designgate(&sandbox, &repo.dir, &["rules"]);
    assert_exit(&out, 2);
    assert_no_secret(&out);
}

#[test]
fn a_fifo_or_device_named_as_a_document_is_an_error_not_a_hang() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(&[("design/export.md", COMPLETE)], "init");
    mkfifo(&repo.dir.join("design/pipe.md"));
    symlink("/dev/zero", &repo.dir.join("design/zero.md"));

    let out = designgate(&sandbox, &repo.dir, &["check", "design/pipe.md"]);
    assert_exit(&out, 2);
    assert!(
        all_output(&out).contains("design/pipe.md"),
        "{}",
        all_output(&out)
    );

    let out = designgate(&sandbox, &repo.dir, &["check", "design/zero.md"]);
    assert_exit(&out, 2);

    // The whole work tree: git lists the FIFO as untracked; it is not read.
    let out = designgate(&sandbox, &repo.dir, &["check"]);
    assert_exit(&out, 0);
}

#[test]
fn outline_has_the_same_type_and_size_checks_as_check() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(&[("design/export.md", COMPLETE)], "init");
    mkfifo(&repo.dir.join("pipe.md"));
    for target in ["pipe.md", "/dev/zero"] {
        let out = designgate(&sandbox, &repo.dir, &["outline", target]);
        assert_exit(&out, 2);
        assert!(
            all_output(&out).contains("not a regular file"),
            "{target}: {}",
            all_output(&out)
        );
    }
    let big = repo.dir.join("big.md");
    fs::write(&big, "x".repeat(9 * 1024 * 1024)).expect("write");
    let out = designgate(&sandbox, &repo.dir, &["outline", "big.md"]);
    assert_exit(&out, 2);
    assert!(all_output(&out).contains("bytes"), "{}", all_output(&out));
    // A real document still outlines.
    let out = designgate(&sandbox, &repo.dir, &["outline", "design/export.md"]);
    assert_exit(&out, 0);
}

// ------------------------------------------------ deep extends

#[test]
fn a_deep_extends_chain_is_a_clear_error_not_a_crash() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    let depth = 6_000;
    let mut files: Vec<(String, String)> = (0..depth)
        .map(|i| {
            let extends = if i + 1 < depth {
                format!("extends = [\"p{}.toml\"]\n", i + 1)
            } else {
                String::new()
            };
            (
                format!("rules/p{i}.toml"),
                format!("[pack]\nname = \"p{i}\"\n{extends}"),
            )
        })
        .collect();
    files.push((
        "designgate.toml".into(),
        "packs = [\"rules/p0.toml\"]\n".into(),
    ));
    for (path, text) in &files {
        repo.write(path, text);
    }
    repo.git_ok(&["add", "-A"]);
    repo.git_ok(&["commit", "-q", "--no-verify", "-m", "deep"]);

    for args in [&["check"][..], &["check", "--rev", "HEAD"]] {
        let out = designgate(&sandbox, &repo.dir, args);
        assert_exit(&out, 2);
        assert!(
            all_output(&out).contains("`extends` nests more than 32 packs deep"),
            "{}",
            all_output(&out)
        );
    }
}

#[test]
fn a_config_naming_thousands_of_packs_is_an_error_not_a_stall() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    let names: Vec<String> = (0..2_000).map(|i| format!("\"rules/p{i}.toml\"")).collect();
    for i in 0..2_000 {
        repo.write(
            &format!("rules/p{i}.toml"),
            &format!("[pack]\nname = \"p{i}\"\n"),
        );
    }
    repo.write(
        "designgate.toml",
        &format!("packs = [{}]\n", names.join(", ")),
    );
    repo.git_ok(&["add", "-A"]);
    repo.git_ok(&["commit", "-q", "--no-verify", "-m", "wide"]);
    let start = Instant::now();
    let out = designgate(&sandbox, &repo.dir, &["check", "--rev", "HEAD"]);
    assert_exit(&out, 2);
    assert!(
        all_output(&out).contains("more than 256 packs in one configuration"),
        "{}",
        all_output(&out)
    );
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}

// ------------------------------------------------ install-hook writes

#[test]
fn install_hook_never_writes_through_a_planted_symlink() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(&[("design/export.md", COMPLETE)], "init");
    let hooks = repo.dir.join(".git/hooks");
    fs::create_dir_all(&hooks).expect("mkdir");
    let victim = sandbox.base.join("victim.txt");
    fs::write(&victim, "precious\n").expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&victim, fs::Permissions::from_mode(0o644)).expect("chmod");
    }
    // The name the temporary file used to have, planted as a symlink.
    symlink(&victim, &hooks.join(".pre-commit.designgate-tmp"));

    let out = designgate(&sandbox, &repo.dir, &["install-hook"]);
    assert_success(&out);
    assert_eq!(fs::read_to_string(&victim).expect("read"), "precious\n");
    #[cfg(unix)]
    assert_eq!(
        crate::support::mode(&victim),
        0o644,
        "the victim was not chmodded"
    );
    let hook = hooks.join("pre-commit");
    assert!(
        fs::symlink_metadata(&hook)
            .expect("hook")
            .file_type()
            .is_file(),
        "the hook is a new regular file"
    );
    assert!(
        fs::read_to_string(&hook)
            .expect("read")
            .contains("check --staged")
    );

    // A hook that is itself a symlink to someone's file: replaced with
    // --force (kept as the backup), never written through.
    fs::remove_file(&hook).expect("rm");
    symlink(&victim, &hook);
    let out = designgate(&sandbox, &repo.dir, &["install-hook"]);
    assert_exit(&out, 2);
    let out = designgate(&sandbox, &repo.dir, &["install-hook", "--force"]);
    assert_success(&out);
    assert_eq!(fs::read_to_string(&victim).expect("read"), "precious\n");
    assert!(
        fs::symlink_metadata(&hook)
            .expect("hook")
            .file_type()
            .is_file()
    );
    let out = designgate(&sandbox, &repo.dir, &["install-hook", "--uninstall"]);
    assert_success(&out);
    assert!(
        fs::symlink_metadata(&hook)
            .expect("restored")
            .file_type()
            .is_symlink(),
        "--uninstall put the symlink back"
    );
    assert_eq!(fs::read_to_string(&victim).expect("read"), "precious\n");
}

#[test]
fn install_hook_does_not_hang_on_a_fifo_hook() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(&[("design/export.md", COMPLETE)], "init");
    let hooks = repo.dir.join(".git/hooks");
    fs::create_dir_all(&hooks).expect("mkdir");
    mkfifo(&hooks.join("pre-commit"));
    let out = designgate(&sandbox, &repo.dir, &["install-hook"]);
    assert_exit(&out, 2);
    assert!(
        all_output(&out).contains("not written by designgate"),
        "{}",
        all_output(&out)
    );
}

// ------------------------------------------------ non-UTF-8 file names

#[cfg(unix)]
fn write_bytes_name(repo: &Repo<'_>, name: &[u8], text: &str) {
    use std::os::unix::ffi::OsStrExt;
    let path = repo.dir.join(std::ffi::OsStr::from_bytes(name));
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

#[track_caller]
fn assert_bad_name_blocks(out: &Output) {
    assert_exit(out, 1);
    let text = stdout(out);
    assert!(names_rule(&text, "document"), "a document finding:\n{text}");
    assert!(text.contains("caf\\xE9.md"), "the escaped name:\n{text}");
    assert!(text.contains("not valid UTF-8"), "{text}");
    assert!(
        !out.stdout.contains(&0xE9),
        "the raw byte never reaches the terminal"
    );
}

#[cfg(unix)]
#[test]
fn a_design_document_with_a_non_utf8_name_blocks_in_every_mode() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(&[("design/export.md", COMPLETE)], "init");
    // A complete document: only its name is wrong.
    write_bytes_name(&repo, b"design/caf\xe9.md", COMPLETE);
    repo.git_ok(&["add", "-A"]);
    assert_bad_name_blocks(&designgate(&sandbox, &repo.dir, &["check", "--staged"]));
    assert_bad_name_blocks(&designgate(&sandbox, &repo.dir, &["check"]));
    // Named on the command line (as the pre-commit framework does): an
    // error that names it, escaped.
    {
        use std::os::unix::ffi::OsStrExt;
        for staged in [true, false] {
            let mut cmd = sandbox.command(&repo.dir, designgate_exe());
            cmd.arg("check");
            if staged {
                cmd.arg("--staged");
            }
            cmd.arg(std::ffi::OsStr::from_bytes(b"design/caf\xe9.md"));
            let out = bounded(cmd);
            assert_exit(&out, 2);
            let text = all_output(&out);
            assert!(
                text.contains("design/caf\\xE9.md: the file name is not valid UTF-8"),
                "{text}"
            );
        }
    }
    repo.git_ok(&["commit", "-q", "--no-verify", "-m", "odd name"]);
    assert_bad_name_blocks(&designgate(
        &sandbox,
        &repo.dir,
        &["check", "--rev", "HEAD"],
    ));
    assert_bad_name_blocks(&designgate(
        &sandbox,
        &repo.dir,
        &["check", "--diff", "HEAD~1"],
    ));

    // Outside git, the folder walk reports it too.
    let plain = sandbox.base.join("plain");
    fs::create_dir_all(plain.join("design")).expect("mkdir");
    {
        use std::os::unix::ffi::OsStrExt;
        fs::write(
            plain.join(std::ffi::OsStr::from_bytes(b"design/caf\xe9.md")),
            COMPLETE,
        )
        .expect("write");
    }
    assert_bad_name_blocks(&designgate(&sandbox, &plain, &["check"]));
}

// ------------------------------------------------ literal pathspecs

#[test]
fn a_link_that_looks_like_pathspec_magic_is_just_a_missing_file() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    let doc = format!("{COMPLETE}\nSee [all](/:(glob)**) and [top](/:(top)design).\n");
    repo.commit_unchecked(&[("design/export.md", &doc)], "magic links");
    // Staged: the same document, one more line.
    repo.write("design/export.md", &format!("{doc}More.\n"));
    repo.git_ok(&["add", "design"]);
    for args in [
        &["check", "--rev", "HEAD"][..],
        &["check", "--staged"],
        &["check"],
    ] {
        let out = designgate(&sandbox, &repo.dir, args);
        assert_exit(&out, 0);
        let text = stdout(&out);
        assert!(
            text.contains(":(glob)**") && text.contains("does not exist"),
            "{args:?}: reported as a missing file:\n{text}"
        );
    }
}

// ------------------------------------------------ no fsmonitor or other helpers

#[cfg(unix)]
#[test]
fn configured_fsmonitor_and_diff_helpers_never_run() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(&[("design/export.md", COMPLETE)], "init");
    let marker = sandbox.base.join("helper-ran");
    let script = sandbox.base.join("helper.sh");
    fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$0 $*\" >> '{}'\nexit 1\n",
            marker.display()
        ),
    )
    .expect("write");
    crate::support::make_executable(&script);
    let script = script.to_str().expect("UTF-8");
    repo.git_ok(&["config", "core.fsmonitor", script]);
    repo.git_ok(&["config", "diff.external", script]);
    repo.git_ok(&["config", "core.pager", script]);
    repo.git_ok(&["config", "diff.md.textconv", script]);
    repo.write(".gitattributes", "*.md diff=md\n");
    repo.git_ok(&["add", ".gitattributes"]);
    repo.write("design/export.md", &complete_edited());
    repo.git_ok(&["add", "design"]);

    // The helper is real: git itself runs it.
    let _ = repo.git(&["status", "--porcelain"]);
    assert!(marker.exists(), "git status runs the fsmonitor hook");
    fs::remove_file(&marker).expect("rm");

    for args in [
        &["check"][..],
        &["check", "--staged"],
        &["check", "--rev", "HEAD"],
        &["check", "--diff", "HEAD"],
        &["check", "design/export.md", "--staged"],
    ] {
        let mut cmd = sandbox.command(&repo.dir, designgate_exe());
        cmd.args(args).env("GIT_EXTERNAL_DIFF", script);
        let out = bounded(cmd);
        assert!(
            out.status.code() == Some(0),
            "{args:?}: {}",
            all_output(&out)
        );
        assert!(
            !marker.exists(),
            "{args:?} ran a helper: {}",
            fs::read_to_string(&marker).unwrap_or_default()
        );
    }
}

// ------------------------------------------------ the pushed commit cannot switch the gate off

const GATE_OFF: &str = "design_dirs = [\"nothing-here\"]\n";

/// A bare `server.git` with the pre-receive hook and one complete document
/// on main, and a `work` clone pushing to it.
fn server_and_clone(sandbox: &Sandbox) -> (Repo<'_>, Repo<'_>) {
    let server = sandbox.bare("server.git");
    let work = sandbox.repo("work");
    work.commit_unchecked(&[("design/export.md", COMPLETE)], "init");
    work.git_ok(&[
        "remote",
        "add",
        "origin",
        server.dir.to_str().expect("UTF-8"),
    ]);
    work.git_ok(&["push", "-q", "origin", "main"]);
    assert_success(&designgate(
        sandbox,
        &server.dir,
        &["install-hook", "pre-receive"],
    ));
    (server, work)
}

#[test]
fn pre_receive_checks_a_push_under_the_configuration_before_it() {
    let sandbox = Sandbox::new();
    let (server, work) = server_and_clone(&sandbox);
    let before = server.rev("main");
    work.commit_unchecked(
        &[
            ("designgate.toml", GATE_OFF),
            ("design/export.md", &without_sla()),
        ],
        "switch the gate off and break the design",
    );

    let out = work.git(&["push", "--no-verify", "origin", "main"]);
    assert_blocked_on_sla(&out, "design/export.md");
    assert_eq!(server.rev("main"), before, "the server did not move");

    // A new branch is checked under the default branch's configuration.
    work.git_ok(&["switch", "-q", "-c", "sneaky"]);
    let out = work.git(&["push", "--no-verify", "origin", "sneaky"]);
    assert_blocked_on_sla(&out, "design/export.md");
    assert_eq!(server.rev("sneaky"), None);

    // A legitimate configuration change lands, and rules from then on.
    work.git_ok(&["switch", "-q", "main"]);
    work.git_ok(&["reset", "-q", "--hard", "origin/main"]);
    work.commit_unchecked(
        &[("designgate.toml", "[severity]\nsla = \"warning\"\n")],
        "relax sla",
    );
    assert_success(&work.git(&["push", "origin", "main"]));
    work.commit_unchecked(&[("design/export.md", &without_sla())], "now a warning");
    assert_success(&work.git(&["push", "origin", "main"]));
}

#[test]
fn pre_receive_without_a_default_branch_takes_the_rules_of_the_fork_point() {
    let sandbox = Sandbox::new();
    let (server, work) = server_and_clone(&sandbox);
    // HEAD names a branch nobody pushed (`git init --bare` with another
    // default branch name).
    server.git_ok(&["symbolic-ref", "HEAD", "refs/heads/nothing"]);
    work.git_ok(&["switch", "-q", "-c", "sneaky"]);
    work.commit_unchecked(
        &[
            ("designgate.toml", GATE_OFF),
            ("design/export.md", &without_sla()),
        ],
        "switch the gate off",
    );
    let out = work.git(&["push", "--no-verify", "origin", "sneaky"]);
    assert_blocked_on_sla(&out, "design/export.md");
    assert_eq!(server.rev("sneaky"), None);
}

#[test]
fn pre_receive_takes_an_admin_config_over_any_committed_one() {
    let sandbox = Sandbox::new();
    let (server, work) = server_and_clone(&sandbox);
    let policy = sandbox.base.join("policy.toml");
    fs::write(&policy, "[severity]\nowner = \"error\"\n").expect("write");
    let hook = server.dir.join("hooks/pre-receive");
    let text = fs::read_to_string(&hook).expect("read");
    fs::write(
        &hook,
        text.replacen(
            "designgate_config=${DESIGNGATE_CONFIG:-}",
            &format!("designgate_config='{}'", policy.display()),
            1,
        ),
    )
    .expect("write");
    work.commit_unchecked(
        &[
            ("designgate.toml", GATE_OFF),
            ("design/export.md", &without_sla()),
        ],
        "switch the gate off",
    );
    let out = work.git(&["push", "--no-verify", "origin", "main"]);
    assert_blocked_on_sla(&out, "design/export.md");
}

#[test]
fn pre_push_predicts_the_server_and_checks_under_the_remotes_rules() {
    let sandbox = Sandbox::new();
    let server = sandbox.bare("server.git");
    let work = sandbox.repo("work");
    work.commit_unchecked(&[("design/export.md", COMPLETE)], "init");
    work.git_ok(&[
        "remote",
        "add",
        "origin",
        server.dir.to_str().expect("UTF-8"),
    ]);
    work.git_ok(&["push", "-q", "origin", "main"]);
    assert_success(&designgate(
        &sandbox,
        &work.dir,
        &["install-hook", "pre-push"],
    ));
    work.commit_unchecked(
        &[
            ("designgate.toml", GATE_OFF),
            ("design/export.md", &without_sla()),
        ],
        "switch the gate off",
    );
    let out = work.git(&["push", "origin", "main"]);
    assert_blocked_on_sla(&out, "design/export.md");
    assert_ne!(server.rev("main"), work.rev("main"), "nothing was pushed");
}

#[test]
fn ci_takes_the_policy_from_the_base_with_config_from() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(&[("design/export.md", COMPLETE)], "init");
    repo.git_ok(&["switch", "-q", "-c", "pr"]);
    repo.commit_unchecked(
        &[
            ("designgate.toml", GATE_OFF),
            ("design/export.md", &without_sla()),
        ],
        "switch the gate off",
    );
    // The hole: the pull request's own configuration lets it through.
    let out = designgate(&sandbox, &repo.dir, &["check", "--diff", "main...HEAD"]);
    assert_exit(&out, 0);
    // The CI recipe: the base's configuration.
    let out = designgate(
        &sandbox,
        &repo.dir,
        &["check", "--diff", "main...HEAD", "--config-from", "main"],
    );
    assert_blocked_on_sla(&out, "design/export.md");
    assert_exit(&out, 1);
    // --config and --config-from name the same thing.
    let out = designgate(
        &sandbox,
        &repo.dir,
        &[
            "check",
            "--config",
            "designgate.toml",
            "--config-from",
            "main",
        ],
    );
    assert_exit(&out, 2);
}

// ------------------------------------------------ a list value never relaxes

#[test]
fn a_list_status_relaxes_nothing_and_is_reported() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    let body = without_sla();
    let body = body
        .split_once("\n---\n")
        .map_or(body.as_str(), |(_, rest)| rest)
        .to_owned();
    let draft = format!("---\nowner: \"@ada\"\nstatus: draft\n---\n{body}");
    let listed = format!("---\nowner: \"@ada\"\nstatus: [draft, approved]\n---\n{body}");
    repo.commit_unchecked(&[("design/draft.md", &draft)], "a draft");
    // A draft is relaxed: the same gaps are warnings.
    let out = designgate(&sandbox, &repo.dir, &["check"]);
    assert_exit(&out, 0);

    repo.commit_unchecked(&[("design/draft.md", &listed)], "a list");
    for args in [&["check"][..], &["check", "--rev", "HEAD"]] {
        let out = designgate(&sandbox, &repo.dir, args);
        assert_exit(&out, 1);
        let text = stdout(&out);
        assert!(names_rule(&text, "sla"), "sla blocks again:\n{text}");
        assert!(
            text.contains("`status` in the front matter is a list"),
            "{text}"
        );
    }
}
