//! Shared harness for the hook tests (`tests/hooks.rs`, `tests/managers.rs`;
//! `tests/git_hook.rs` and `tests/git_modes.rs` share its environment list,
//! `tests/corpus.rs` and `tests/packs.rs` its corpus locator):
//! a sandbox folder with its own `HOME`, real git repositories made with the
//! real `git` CLI, and commands run with git isolated from the user's
//! configuration and the freshly built `designgate` first on `PATH`.

// why: each test crate uses a different part of this module.
#![allow(dead_code)]

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

/// A design document that satisfies every rule of the built-in pack.
pub(crate) const COMPLETE: &str = include_str!("../fixtures/complete.md");

const SLA_SECTION: &str = "\
## SLA

- Availability: the export completes successfully on 99.9% of nights.
- Latency: the export of one day finishes within 30 minutes, p99.
- A failed night is retried automatically before 6:00 or an engineer is paged.

";

/// [`COMPLETE`] without its `## SLA` section: the only error is `sla`.
pub(crate) fn without_sla() -> String {
    assert!(
        COMPLETE.contains(SLA_SECTION),
        "SLA_SECTION must be a part of COMPLETE"
    );
    COMPLETE.replace(SLA_SECTION, "")
}

/// [`COMPLETE`] with one more sentence: a change that keeps it complete.
pub(crate) fn complete_edited() -> String {
    COMPLETE.replace(
        "without dropping data.",
        "without dropping data. Batches are sized by invoice count.",
    )
}

/// The team's shared corpus of real design documents: `../shared/corpus`
/// next to the checkout, or the folder `DESIGNGATE_CORPUS` names. Tests
/// that need it are `#[ignore = "needs ../shared/corpus"]`, so a fresh
/// clone without it reports them as ignored, never as passed; run with
/// `cargo test -- --ignored` and a missing corpus fails them, saying why.
/// Always `Some`: the `Option` keeps `let Some(dir) = corpus(..) else`
/// callers compiling.
pub(crate) fn corpus(what: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("DESIGNGATE_CORPUS")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    assert!(
        dir.is_dir(),
        "{what} needs the shared corpus of real design documents, and {} is not there; set DESIGNGATE_CORPUS to its folder, or run without --ignored",
        dir.display()
    );
    Some(dir)
}

/// The binary under test: the one cargo built for this test run, or the one
/// `DESIGNGATE_BIN` names, so that the suite can check a release build made
/// elsewhere (`DESIGNGATE_BIN=target/x86_64-unknown-linux-musl/release/designgate
/// cargo test`; tests/cli.rs honours it too). Its file name must be
/// `designgate` (`designgate.exe`): the hook tests find it on `PATH`.
pub(crate) fn designgate_exe() -> &'static Path {
    static EXE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    EXE.get_or_init(|| {
        let Some(bin) = std::env::var_os("DESIGNGATE_BIN").filter(|v| !v.is_empty()) else {
            return PathBuf::from(env!("CARGO_BIN_EXE_designgate"));
        };
        let bin = fs::canonicalize(&bin)
            .unwrap_or_else(|e| panic!("DESIGNGATE_BIN={}: {e}", Path::new(&bin).display()));
        assert!(
            bin.file_stem().is_some_and(|s| s == "designgate"),
            "DESIGNGATE_BIN must name a file called designgate, not {}",
            bin.display()
        );
        bin
    })
}

/// Variables that would point git or designgate at another repository, index
/// or configuration (e.g. when the tests run from inside a git hook).
pub(crate) const INHERITED_VARS: &[&str] = &[
    "GIT_DIR",
    "GIT_INDEX_FILE",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_CONFIG",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_CONFIG_COUNT",
    "GIT_CONFIG_PARAMETERS",
    "GIT_QUARANTINE_PATH",
    "XDG_CONFIG_HOME",
    "CLICOLOR_FORCE",
    "PRE_COMMIT",
    "PRE_COMMIT_HOME",
    "PREK_HOME",
    "SKIP",
    "LEFTHOOK",
    "HUSKY",
];

/// A temporary folder with `home/` (the user's `HOME`) and room for
/// repositories.
pub(crate) struct Sandbox {
    _tmp: TempDir,
    /// The canonical temp folder: git's discovery never goes above it.
    pub(crate) base: PathBuf,
    /// Folders put first on `PATH`, before the inherited one.
    path_front: Vec<PathBuf>,
    /// Whether the inherited `PATH` keeps folders holding a `designgate`.
    designgate_on_path: bool,
    /// More variables for every command.
    env: Vec<(OsString, OsString)>,
}

impl Sandbox {
    pub(crate) fn new() -> Sandbox {
        let tmp = tempfile::Builder::new()
            .prefix("designgate-hooks-")
            .tempdir()
            .expect("create a temp dir");
        let base = fs::canonicalize(tmp.path()).expect("canonicalize the temp dir");
        fs::create_dir_all(base.join("home")).expect("create the home folder");
        let bin = designgate_exe()
            .parent()
            .expect("the binary has a folder")
            .to_owned();
        Sandbox {
            _tmp: tmp,
            base,
            path_front: vec![bin],
            designgate_on_path: true,
            env: Vec::new(),
        }
    }

    /// A sandbox whose `PATH` has no `designgate` at all.
    pub(crate) fn without_designgate_on_path() -> Sandbox {
        let mut sandbox = Sandbox::new();
        sandbox.path_front.clear();
        sandbox.designgate_on_path = false;
        sandbox
    }

    /// Sets `key` for every command run in this sandbox.
    pub(crate) fn set_env(&mut self, key: impl Into<OsString>, value: impl Into<OsString>) {
        self.env.push((key.into(), value.into()));
    }

    pub(crate) fn home(&self) -> PathBuf {
        self.base.join("home")
    }

    /// `git init` of a repository on branch `main` at `base/<name>`.
    pub(crate) fn repo(&self, name: &str) -> Repo<'_> {
        let dir = self.base.join(name);
        fs::create_dir_all(&dir).expect("create the repository folder");
        let repo = Repo { sandbox: self, dir };
        repo.git_ok(&["-c", "init.defaultBranch=main", "init", "-q", "."]);
        repo
    }

    /// `git init --bare` at `base/<name>`.
    pub(crate) fn bare(&self, name: &str) -> Repo<'_> {
        let dir = self.base.join(name);
        fs::create_dir_all(&dir).expect("create the repository folder");
        let repo = Repo { sandbox: self, dir };
        repo.git_ok(&["-c", "init.defaultBranch=main", "init", "-q", "--bare", "."]);
        repo
    }

    fn path_var(&self) -> OsString {
        let inherited = std::env::var_os("PATH").unwrap_or_default();
        let inherited = std::env::split_paths(&inherited)
            .filter(|dir| self.designgate_on_path || !dir.join("designgate").exists());
        std::env::join_paths(self.path_front.iter().cloned().chain(inherited))
            .expect("a valid PATH")
    }

    /// A command with git isolated from the user and the sandbox's `PATH`.
    pub(crate) fn command(&self, cwd: &Path, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(cwd).stdin(Stdio::null());
        for var in INHERITED_VARS {
            cmd.env_remove(var);
        }
        cmd.env("PATH", self.path_var())
            .env("HOME", self.home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CEILING_DIRECTORIES", &self.base)
            .env("GIT_AUTHOR_NAME", "Ada Author")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada Author")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("NO_COLOR", "1");
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    /// Runs `program` in `cwd`.
    pub(crate) fn run(
        &self,
        cwd: &Path,
        program: impl AsRef<std::ffi::OsStr>,
        args: &[&str],
    ) -> Output {
        let program = program.as_ref().to_owned();
        self.command(cwd, &program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("run {program:?} {args:?}: {e}"))
    }
}

/// A git repository in a [`Sandbox`].
pub(crate) struct Repo<'a> {
    pub(crate) sandbox: &'a Sandbox,
    /// The work tree root (the repository itself when bare).
    pub(crate) dir: PathBuf,
}

impl Repo<'_> {
    /// Writes `text` to `path` (relative to the work tree), creating folders.
    pub(crate) fn write(&self, path: &str, text: &str) {
        let abs = self.dir.join(path);
        fs::create_dir_all(abs.parent().expect("a file has a parent")).expect("create folders");
        fs::write(&abs, text).expect("write a file");
    }

    pub(crate) fn read(&self, path: &str) -> String {
        fs::read_to_string(self.dir.join(path)).expect("read a file")
    }

    pub(crate) fn git(&self, args: &[&str]) -> Output {
        self.sandbox.run(&self.dir, "git", args)
    }

    /// Runs git and requires it to succeed.
    #[track_caller]
    pub(crate) fn git_ok(&self, args: &[&str]) -> Output {
        let out = self.git(args);
        assert!(
            out.status.success(),
            "git {args:?} failed:\n{}",
            all_output(&out)
        );
        out
    }

    /// `git rev-parse <rev>`, or `None` if it does not resolve.
    pub(crate) fn rev(&self, rev: &str) -> Option<String> {
        let out = self.git(&["rev-parse", "--verify", "-q", rev]);
        out.status.success().then(|| stdout(&out).trim().to_owned())
    }

    /// Writes, stages and commits `files` without running hooks.
    pub(crate) fn commit_unchecked(&self, files: &[(&str, &str)], message: &str) {
        for (path, text) in files {
            self.write(path, text);
            self.git_ok(&["add", "--", path]);
        }
        self.git_ok(&["commit", "-q", "--no-verify", "-m", message]);
    }

    /// `git commit -m <message>`, hooks included.
    pub(crate) fn commit(&self, message: &str) -> Output {
        self.git(&["commit", "-m", message])
    }

    /// How many commits `HEAD` has (0 on an unborn branch).
    pub(crate) fn commit_count(&self) -> usize {
        let out = self.git(&["rev-list", "--count", "HEAD"]);
        if !out.status.success() {
            return 0;
        }
        stdout(&out).trim().parse().expect("a commit count")
    }

    /// Runs the built designgate in the work tree.
    pub(crate) fn designgate(&self, args: &[&str]) -> Output {
        self.sandbox.run(&self.dir, designgate_exe(), args)
    }
}

pub(crate) fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// What the user sees in the terminal.
pub(crate) fn all_output(out: &Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

/// Whether `text` names the rule `id` as a word of its own: `sla` matches
/// `error[sla]` but not `sla-monitoring`.
pub(crate) fn names_rule(text: &str, id: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    text.match_indices(id).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + id.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// The command failed, and its output names the rule `sla` and `file`.
#[track_caller]
pub(crate) fn assert_blocked_on_sla(out: &Output, file: &str) {
    let text = all_output(out);
    assert!(!out.status.success(), "should be blocked:\n{text}");
    assert!(names_rule(&text, "sla"), "should name rule `sla`:\n{text}");
    assert!(text.contains(file), "should name {file}:\n{text}");
}

#[track_caller]
pub(crate) fn assert_success(out: &Output) {
    assert!(out.status.success(), "should succeed:\n{}", all_output(out));
}

#[cfg(unix)]
pub(crate) fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

#[cfg(unix)]
pub(crate) fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).expect("chmod");
}
