//! A small harness for the `bounds` and `terminal` families: a git
//! repository in a temp folder, isolated from the user's git configuration,
//! and the real binary run on it with a timeout that turns a hang into a
//! failure (no wall-clock assertion).

use std::ffi::OsStr;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// Long enough for a debug build on a busy machine; a hang still fails.
const TIMEOUT: Duration = Duration::from_secs(300);

/// Variables that would point git or designgate elsewhere: the shared list,
/// plus `NO_COLOR`, which would change the output these tests compare.
fn cleared_vars() -> impl Iterator<Item = &'static str> {
    crate::support::INHERITED_VARS
        .iter()
        .copied()
        .chain(["NO_COLOR"])
}

/// A hostile repository under construction.
pub(crate) struct Hostile {
    _tmp: TempDir,
    root: PathBuf,
}

impl Hostile {
    pub(crate) fn new() -> Hostile {
        let tmp = tempfile::Builder::new()
            .prefix("designgate-hostile-")
            .tempdir()
            .expect("create a temp dir");
        let root = std::fs::canonicalize(tmp.path()).expect("canonicalize the temp dir");
        std::fs::create_dir_all(root.join("design")).expect("create design/");
        let repo = Hostile { _tmp: tmp, root };
        repo.git(&["init", "-q"]);
        repo
    }

    pub(crate) fn path(&self) -> &Path {
        &self.root
    }

    pub(crate) fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel.as_bytes(), text.as_bytes());
    }

    /// Writes a file whose name may be any bytes (escapes, bidi overrides).
    pub(crate) fn write_bytes(&self, rel: &[u8], content: &[u8]) {
        let path = self.root.join(OsStr::from_bytes(rel));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create the folder");
        }
        std::fs::write(&path, content).expect("write the file");
    }

    pub(crate) fn git(&self, args: &[&str]) {
        let mut cmd = Command::new("git");
        cmd.current_dir(&self.root)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .env("HOME", &self.root)
            .env("GIT_CONFIG_NOSYSTEM", "1");
        for var in cleared_vars() {
            cmd.env_remove(var);
        }
        let out = cmd.output().expect("run git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// What a run printed, as bytes and (lossily) as text.
pub(crate) struct Ran {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) raw_stdout: Vec<u8>,
    pub(crate) raw_stderr: Vec<u8>,
}

/// Runs the real binary in `dir`.
pub(crate) fn designgate(dir: &Path, args: &[&str]) -> Ran {
    let mut cmd = Command::new(crate::support::designgate_exe());
    cmd.current_dir(dir)
        .args(args)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in cleared_vars() {
        cmd.env_remove(var);
    }
    let mut child = cmd.spawn().expect("run designgate");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for designgate") {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("designgate {args:?} did not finish in {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let raw_stdout = out.join().expect("read stdout");
    let raw_stderr = err.join().expect("read stderr");
    Ran {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&raw_stdout).into_owned(),
        stderr: String::from_utf8_lossy(&raw_stderr).into_owned(),
        raw_stdout,
        raw_stderr,
    }
}
