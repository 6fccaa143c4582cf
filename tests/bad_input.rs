//! Bad input gets a clear message and the right exit code, never a panic,
//! and designgate never changes a file. Runs the real binary on folders
//! outside any git repository.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Folder {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

impl Folder {
    fn new() -> Folder {
        let tmp = tempfile::tempdir().expect("create a temp dir");
        let dir = fs::canonicalize(tmp.path()).expect("canonicalize");
        fs::create_dir_all(dir.join("design")).expect("create design/");
        Folder { _tmp: tmp, dir }
    }

    fn write(&self, path: &str, bytes: &[u8]) {
        let abs = self.dir.join(path);
        fs::create_dir_all(abs.parent().expect("parent")).expect("create folders");
        fs::write(abs, bytes).expect("write");
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(support::designgate_exe())
            .args(args)
            .current_dir(&self.dir)
            .env(
                "GIT_CEILING_DIRECTORIES",
                self.dir.parent().unwrap_or(&self.dir),
            )
            .env("NO_COLOR", "1")
            .output()
            .expect("run designgate")
    }

    /// Every file under the folder with its bytes (symlinks as their target).
    fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut all = Vec::new();
        for entry in walkdir::WalkDir::new(&self.dir).follow_links(false) {
            let entry = entry.expect("walk");
            let path = entry.path().to_owned();
            if entry.path_is_symlink() {
                let target = fs::read_link(&path).expect("read link");
                all.push((path, target.to_string_lossy().as_bytes().to_vec()));
            } else if entry.file_type().is_file() {
                all.push((path.clone(), fs::read(&path).expect("read")));
            }
        }
        all.sort();
        all
    }
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_exit(out: &Output, code: i32) {
    let (stdout, stderr) = text(out);
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[cfg(unix)]
fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("create a symlink");
}

#[cfg(unix)]
#[test]
fn symlink_loop_and_symlink_out_of_the_folder_are_errors_with_a_cause() {
    let f = Folder::new();
    symlink("loop2.md", &f.dir.join("design/loop1.md"));
    symlink("loop1.md", &f.dir.join("design/loop2.md"));
    symlink("/etc/hostname", &f.dir.join("design/outside.md"));
    symlink(".", &f.dir.join("design/self"));
    let before = f.snapshot();

    let out = f.run(&["check", "design/loop1.md"]);
    assert_exit(&out, 2);
    let (_, stderr) = text(&out);
    assert!(
        stderr.starts_with("designgate: error: design/loop1.md:"),
        "{stderr}"
    );
    // why: the system's words: glibc says "Too many levels of symbolic
    // links", musl (the static release build) "Symbolic link loop".
    assert!(stderr.to_lowercase().contains("symbolic link"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line of cause: {stderr}");

    let out = f.run(&["check", "design/outside.md"]);
    assert_exit(&out, 2);
    assert!(
        text(&out).1.contains("outside the repository"),
        "{}",
        text(&out).1
    );

    // A walk of the folder does not follow symlinks, so neither the loop
    // nor the self-link nor the way out is entered.
    let out = f.run(&["check"]);
    assert_exit(&out, 0);
    assert!(
        text(&out).0.contains("in 0 documents checked"),
        "{}",
        text(&out).0
    );

    assert_eq!(f.snapshot(), before, "designgate changed a file");
}

#[test]
fn huge_binary_and_undecodable_documents_are_findings_and_the_rest_is_checked() {
    let f = Folder::new();
    let mut huge = b"# Huge\n\n".to_vec();
    huge.resize(8 * 1024 * 1024 + 1, b'a');
    f.write("design/huge.md", &huge);
    f.write("design/binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    f.write("design/latin1.md", b"# Caf\xe9\n\n## SLA\n");
    f.write("design/empty.md", b"");
    let before = f.snapshot();

    let out = f.run(&["check", "--format", "json"]);
    assert_exit(&out, 1);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let found: Vec<(String, String, String)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "document")
        .map(|d| {
            (
                d["path"].as_str().unwrap_or_default().to_owned(),
                d["check"].as_str().unwrap_or_default().to_owned(),
                d["severity"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expect = |p: &str, c: &str| (p.to_owned(), c.to_owned(), "error".to_owned());
    assert_eq!(
        found,
        [
            expect("design/binary.md", "binary-file"),
            expect("design/huge.md", "too-large"),
            expect("design/latin1.md", "invalid-utf8"),
        ]
    );
    // The empty document is still checked: it misses every required section.
    assert_eq!(json["summary"]["documents"], 4);
    assert!(
        json["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["path"] == "design/empty.md" && d["rule"] == "sla"),
        "{json}"
    );
    assert_eq!(f.snapshot(), before, "designgate changed a file");
}

#[test]
fn broken_configuration_exits_2_and_changes_nothing() {
    let f = Folder::new();
    f.write("design/a.md", b"# A\n");
    for (config, expected) in [
        (
            "packs = [\"production-readiness\"\n",
            "designgate.toml:1:32: unclosed array, expected `]`",
        ),
        (
            "[severity]\nsla = 3\n",
            "designgate.toml:2:7: invalid type: integer `3`, expected one of `error`, `warning`, `info`, `off`",
        ),
        (
            "[severity]\nsla = \"fatal\"\n",
            "designgate.toml:2:7: invalid value: string \"fatal\", expected one of `error`",
        ),
        ("\u{feff}design_dirs = [1]\n", "designgate.toml:1:"),
        (
            "packs = [\"missing.toml\"]\n",
            "designgate.toml:1:10: pack file `missing.toml` not found",
        ),
    ] {
        f.write("designgate.toml", config.as_bytes());
        let before = f.snapshot();
        let out = f.run(&["check"]);
        assert_exit(&out, 2);
        let (stdout, stderr) = text(&out);
        assert!(stdout.is_empty(), "no report on a config error: {stdout}");
        assert!(stderr.contains(expected), "{config:?}: {stderr}");
        assert_eq!(f.snapshot(), before, "designgate changed a file");
    }
}
