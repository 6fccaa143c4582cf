//! The `git` command line: finding the repository, listing design documents
//! in the index, the work tree or a commit, and reading blobs.
//!
//! why the CLI and not a library: git itself honours everything a hook or a
//! CI job may set up — `GIT_DIR`, `GIT_WORK_TREE`, `GIT_INDEX_FILE` (the
//! temporary index of `git commit <path>`), linked worktrees, bare
//! repositories, the quarantine of `pre-receive` (`GIT_OBJECT_DIRECTORY`,
//! `GIT_ALTERNATE_OBJECT_DIRECTORIES`), split and sparse indexes — and
//! building libgit2 was most of the cost of installing designgate.
//!
//! Every listing uses `-z` output, so paths are never quoted or translated;
//! human-readable output is never parsed. Revisions given by users are
//! validated before they reach a command line (see [`validate_rev`]), and
//! object names are otherwise passed on standard input. Every path reaches
//! git as a literal pathspec (`:(top,literal)` or `--literal-pathspecs`), so
//! a file named `:(glob)*` is only a file. Nothing git could run on the
//! side is allowed to (see [`Repo::command`]).
//!
//! This module knows nothing of designgate's configuration: callers say
//! which folders to list, and decide which paths are design documents.

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::Error;

/// A repository found by [`open`].
#[derive(Debug, Clone)]
pub struct Repo {
    /// Where git commands run: the caller's current folder, so that relative
    /// `GIT_DIR`/`GIT_WORK_TREE`/`GIT_INDEX_FILE` keep their meaning.
    cwd: PathBuf,
    /// The work tree root; `None` in a bare repository (or inside `.git`).
    work_tree: Option<PathBuf>,
}

/// What [`open`] found around a folder.
#[derive(Debug)]
pub enum Found {
    Repo(Repo),
    /// Not inside a git repository.
    NotARepo,
    /// `git` could not be run at all (not installed, not on `PATH`).
    NoGit(std::io::Error),
}

/// A blob, tree entry or diff entry: a repository-relative path and the id
/// of its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    /// The path; when git's path is not UTF-8, an escaped rendering of it
    /// (see [`escape_path`]) and `utf8` is false.
    pub path: String,
    pub id: String,
    /// Whether `path` is the path itself.
    pub utf8: bool,
}

/// A path from git's `-z` output (or the file system) as text: itself when
/// it is UTF-8 (and `true`); else each byte that is not UTF-8 written as
/// `\xNN` and each control character as `\u{N}` (and `false`): a name
/// that can be shown, but not opened.
pub fn escape_path(bytes: &[u8]) -> (String, bool) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_owned(), true);
    }
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    (out, false)
}

/// Finds the repository around `cwd` the way git does, environment included.
pub fn open(cwd: &Path) -> Result<Found, Error> {
    let mut cmd = Command::new("git");
    cmd.current_dir(cwd).args([
        "rev-parse",
        "--is-bare-repository",
        "--absolute-git-dir",
        "--is-inside-work-tree",
        "--show-toplevel",
    ]);
    // why: the one place where git's message is inspected (to tell "not a
    // repository" from a real failure), so it must not be translated.
    cmd.env("LC_ALL", "C");
    let output = match cmd.stdin(Stdio::null()).output() {
        Ok(o) => o,
        Err(e) => return Ok(Found::NoGit(e)),
    };
    let stdout = output.stdout;
    let lines: Vec<&[u8]> = stdout
        .strip_suffix(b"\n")
        .unwrap_or(&stdout)
        .split(|&b| b == b'\n')
        .collect();
    // `--show-toplevel` fails after printing the first three answers when
    // there is no work tree (a bare repository, or inside `.git`).
    if lines.len() >= 3 && (output.status.success() || lines[2] == b"false") {
        let work_tree = match lines.get(3) {
            Some(top) if output.status.success() && !top.is_empty() => Some(path_from(top)),
            _ => None,
        };
        return Ok(Found::Repo(Repo {
            cwd: cwd.to_owned(),
            work_tree,
        }));
    }
    let message = String::from_utf8_lossy(&output.stderr);
    // why: a caller who sets GIT_DIR means a repository; a wrong one is an
    // error, not a reason to lint the folder without git.
    if message.contains("not a git repository") && std::env::var_os("GIT_DIR").is_none() {
        return Ok(Found::NotARepo);
    }
    Err(Error::git("rev-parse", &output.stderr))
}

#[cfg(unix)]
fn path_from(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// Checks that a revision given by a user can only be read as a revision:
/// not empty, not an option (`--output=x`), no line breaks or other control
/// characters (object names are sent to `git cat-file` one per line).
pub fn validate_rev(rev: &str) -> Result<(), Error> {
    if rev.is_empty() {
        return Err(Error::Usage("an empty revision names no commit".into()));
    }
    if rev.starts_with('-') {
        return Err(Error::Usage(format!(
            "`{rev}` is not a revision: revisions cannot start with `-`"
        )));
    }
    if rev.chars().any(char::is_control) {
        return Err(Error::Usage(format!(
            "`{}` is not a revision: it contains control characters",
            rev.escape_debug()
        )));
    }
    Ok(())
}

/// Whether `rev` is the all-zeros object id that git hooks receive for a ref
/// that does not exist yet (or any more).
pub fn is_null_id(rev: &str) -> bool {
    matches!(rev.len(), 40 | 64) && rev.bytes().all(|b| b == b'0')
}

/// [`Repo::command`] for a repository not opened yet: git run in `cwd`.
fn command_in(cwd: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(cwd)
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.untrackedCache=false",
            "-c",
            "core.pager=cat",
            "--no-pager",
        ])
        // why: designgate only reads; without this, some commands may
        // refresh and rewrite the index and contend for its lock with
        // the `git commit` that runs the hook.
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_PAGER", "cat")
        // `diff --cached` also gets `--no-ext-diff`; `diff-tree --raw`
        // never runs one.
        .env_remove("GIT_EXTERNAL_DIFF")
        .env_remove("GIT_GLOB_PATHSPECS")
        .env_remove("GIT_NOGLOB_PATHSPECS")
        .env_remove("GIT_ICASE_PATHSPECS")
        .env_remove("GIT_LITERAL_PATHSPECS")
        .stdin(Stdio::null());
    cmd
}

/// `git diff --cached` of the whole index against `HEAD`, started before
/// the repository is opened; [`Repo::staged_listing_from`] takes its answer.
#[derive(Debug)]
pub struct StagedDiff {
    /// Its output, or `None` if it failed.
    output: std::thread::JoinHandle<Option<Vec<u8>>>,
}

/// The arguments of [`StagedDiff`]: every staged change (deletions too),
/// full ids, one path per record, repository-relative paths whatever the
/// configuration (`diff.relative`), intent-to-add entries listed as the
/// empty blob that the index holds for them (as `ls-files` lists them),
/// submodules whatever their `ignore` setting, nothing run on the side.
const STAGED_DIFF: &[&str] = &[
    "diff",
    "--cached",
    "--raw",
    "-z",
    "--no-abbrev",
    "--no-renames",
    "--ita-visible-in-index",
    "--no-relative",
    "--ignore-submodules=none",
    "--no-ext-diff",
    "--no-textconv",
    "--no-color",
];

impl StagedDiff {
    /// Starts the diff in `cwd`, the folder [`open`] is then given.
    ///
    /// why: in the hook, git reading the index is most of the cost. Started
    /// first, it reads the index on the other core while designgate finds
    /// the repository and loads its configuration, which names the design
    /// folders; so it lists the whole index (no pathspec), and the caller
    /// keeps what lies in those folders. With a cache tree, `diff --cached`
    /// skips every folder whose tree id is unchanged.
    pub fn start(cwd: &Path) -> StagedDiff {
        let mut cmd = command_in(cwd);
        // why: `spawn` hands the child this process's standard input, where
        // `output` gave it none; git reads none, and a hook's stays unread.
        cmd.args(STAGED_DIFF)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        // why: started on this thread, git is running before a thread to
        // read its answer exists (a tenth of a millisecond sooner, on the
        // path every hook run waits on); the thread only reads.
        let child = cmd.spawn();
        let output = std::thread::spawn(move || {
            let out = child.ok()?.wait_with_output().ok()?;
            out.status.success().then_some(out.stdout)
        });
        StagedDiff { output }
    }
}

/// A `git cat-file --batch` kept open for a run: staged blobs, and the
/// trees of `HEAD` that answer link lookups, each asked when needed without
/// starting git again.
///
/// why: started with [`StagedDiff`], git's start-up happens while the
/// index is read; a `cat-file` started after the listing cost the hook a
/// tenth of its time. It never reads the index: objects are named by id
/// or as `HEAD:<path>`.
#[derive(Debug)]
pub struct Batch {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    stdout: std::io::BufReader<std::process::ChildStdout>,
    /// Set once git failed or answered something unexpected: no more
    /// questions are asked.
    broken: bool,
}

/// The largest tree object [`Batch::head_tree`] reads (a folder of about
/// half a million entries).
const MAX_TREE_BYTES: u64 = 32 * 1024 * 1024;

/// At most this many bytes of names are written to [`Batch`] before its
/// answers are read, so that writing never waits for git (a pipe holds
/// 64 KiB) while git waits for its answers to be read.
const BATCH_NAMES: usize = 16 * 1024;

impl Batch {
    /// Starts `git cat-file --batch` in `cwd`; `None` if git cannot run.
    pub fn start(cwd: &Path) -> Option<Batch> {
        let mut child = command_in(cwd)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        };
        Some(Batch {
            child,
            stdin: Some(stdin),
            stdout: std::io::BufReader::new(stdout),
            broken: false,
        })
    }

    /// [`Repo::read_objects`] through this process; `None` if git failed
    /// (or a name holds a line break): the caller asks `read_objects`,
    /// which says why.
    pub fn read(&mut self, names: &[String], limit: u64) -> Option<Vec<Object>> {
        if self.broken || names.iter().any(|n| n.contains(['\n', '\r', '\0'])) {
            return None;
        }
        let mut out = Vec::with_capacity(names.len());
        let mut rest = names;
        while !rest.is_empty() {
            let mut bytes = 0;
            let take = rest
                .iter()
                .take_while(|n| {
                    bytes += n.len() + 1;
                    bytes <= BATCH_NAMES
                })
                .count()
                .max(1);
            let (chunk, next) = rest.split_at(take);
            rest = next;
            let answers = self
                .ask(chunk)
                .and_then(|()| read_batch(&mut self.stdout, chunk.len(), limit).ok());
            match answers {
                Some(answers) => out.extend(answers),
                None => {
                    self.broken = true;
                    return None;
                }
            }
        }
        Some(out)
    }

    /// The entries of the tree `HEAD:<dir>` (`""`: the root): name and
    /// mode (`None`: a mode of no file, link, submodule or folder).
    /// `Some(None)` when `HEAD` has no folder there (or no commit);
    /// `None` if git failed.
    pub fn head_tree(&mut self, dir: &str) -> Option<Option<TreeEntries>> {
        let name = format!("HEAD:{dir}");
        if self.broken || name.contains(['\n', '\r', '\0']) {
            return None;
        }
        let answer = self
            .ask(std::slice::from_ref(&name))
            .and_then(|()| self.tree_answer());
        if answer.is_none() {
            self.broken = true;
        }
        answer
    }

    fn ask(&mut self, names: &[String]) -> Option<()> {
        let stdin = self.stdin.as_mut()?;
        let mut input = Vec::new();
        for n in names {
            input.extend_from_slice(n.as_bytes());
            input.push(b'\n');
        }
        stdin.write_all(&input).ok()?;
        stdin.flush().ok()
    }

    /// Reads one answer, parsed if it is a tree.
    fn tree_answer(&mut self) -> Option<Option<TreeEntries>> {
        use std::io::BufRead;
        let mut header = Vec::new();
        self.stdout.read_until(b'\n', &mut header).ok()?;
        let line = std::str::from_utf8(header.strip_suffix(b"\n")?).ok()?;
        if line.ends_with(" missing") {
            return Some(None);
        }
        let mut parts = line.split(' ');
        let (Some(id), Some(kind), Some(size), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let size: u64 = size.parse().ok()?;
        if !is_object_id(id) {
            return None;
        }
        if kind != "tree" || size > MAX_TREE_BYTES {
            // A file (or a submodule's commit) where a folder was asked
            // for is read past, not kept; a tree this large is left to
            // `ls-files`.
            let skipped =
                std::io::copy(&mut (&mut self.stdout).take(size + 1), &mut std::io::sink()).ok()?;
            return (kind != "tree" && skipped == size + 1).then_some(None);
        }
        let mut content = Vec::with_capacity(usize::try_from(size).ok()? + 1);
        (&mut self.stdout)
            .take(size + 1)
            .read_to_end(&mut content)
            .ok()?;
        if content.pop() != Some(b'\n') || content.len() as u64 != size {
            return None;
        }
        parse_tree(&content, id.len() / 2).map(Some)
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        drop(self.stdin.take());
        // why: git may still be writing an answer nobody reads; ending it
        // (this process's own child) cannot block.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The entries of a tree object: raw name and mode.
pub type TreeEntries = Vec<(Vec<u8>, Option<Mode>)>;

/// Parses a tree object: `<octal mode> <name>\0<id, hash_len bytes>`
/// records.
fn parse_tree(mut raw: &[u8], hash_len: usize) -> Option<TreeEntries> {
    let mut out = Vec::new();
    while !raw.is_empty() {
        let space = raw.iter().position(|&b| b == b' ')?;
        let (mode, rest) = raw.split_at(space);
        let rest = &rest[1..];
        let nul = rest.iter().position(|&b| b == 0)?;
        let (name, rest) = rest.split_at(nul);
        raw = rest.get(1 + hash_len..)?;
        out.push((name.to_vec(), Mode::parse(mode)));
    }
    Some(out)
}

/// One record of [`StagedDiff`]'s output.
struct Change<'a> {
    status: u8,
    new_mode: &'a str,
    new_id: &'a str,
    path: &'a [u8],
}

/// The records of [`StagedDiff`]'s output (`:<mode> <mode> <id> <id>
/// <status>\0<path>\0`) under `dirs`; `None` when the output is not as
/// expected or a path there is conflicted (stages 1-3: `U`).
fn parse_staged_diff<'a>(raw: &'a [u8], dirs: &[String]) -> Option<Vec<Change<'a>>> {
    let mut out = Vec::new();
    let mut fields = raw.split(|&b| b == 0);
    while let Some(meta) = fields.next() {
        if meta.is_empty() {
            continue;
        }
        let path = fields.next().filter(|p| !p.is_empty())?;
        let meta = std::str::from_utf8(meta.strip_prefix(b":")?).ok()?;
        let mut parts = meta.split(' ');
        let (Some(_), Some(new_mode), Some(_), Some(new_id), Some(status), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let under = dirs.iter().any(|d| {
            d.is_empty()
                || path
                    .strip_prefix(d.as_bytes())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(b"/"))
        });
        if !under {
            continue;
        }
        let status = match status.as_bytes() {
            [s @ (b'A' | b'M' | b'T' | b'D')] => *s,
            _ => return None,
        };
        if !is_object_id(new_id) || new_mode.len() != 6 {
            return None;
        }
        out.push(Change {
            status,
            new_mode,
            new_id,
            path,
        });
    }
    Some(out)
}

impl Repo {
    /// The work tree root, or `None` in a bare repository.
    pub fn work_tree(&self) -> Option<&Path> {
        self.work_tree.as_deref()
    }

    /// The folder git commands run in.
    pub(crate) fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// A `git` command for this repository.
    ///
    /// why: designgate's git calls only list and read objects, and run where
    /// someone else's bytes meet a trusted process (a server's pre-receive,
    /// CI). Nothing configured to run on the side may: not an fsmonitor
    /// hook (`core.fsmonitor`, which `ls-files` and `diff --cached` would
    /// start), not an external diff or textconv, not a pager, not a lazy
    /// fetch of a partial clone's missing objects. Pathspec behaviour is
    /// git's default whatever the environment says (the callers choose
    /// literal pathspecs).
    pub(crate) fn command(&self) -> Command {
        command_in(&self.cwd)
    }

    /// Runs git with `args` and returns its standard output.
    fn run<I, S>(&self, args: I) -> Result<Vec<u8>, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        let name = args
            .first()
            .map(|a| a.to_string_lossy().into_owned())
            .unwrap_or_default();
        let output = self
            .command()
            .args(&args)
            .output()
            .map_err(|e| Error::git(&name, e.to_string().as_bytes()))?;
        if !output.status.success() {
            return Err(Error::git(&name, &output.stderr));
        }
        Ok(output.stdout)
    }

    /// Runs git with `args`, then `--` and a literal pathspec per folder of
    /// `dirs` (repository-relative; `""` is the whole repository).
    fn run_in_dirs(&self, args: &[&str], dirs: &[String]) -> Result<Vec<u8>, Error> {
        let mut all: Vec<String> = args.iter().map(|&a| a.to_owned()).collect();
        all.push("--".to_owned());
        all.extend(pathspecs(dirs));
        self.run(all)
    }

    /// A configuration value (`git config --get KEY`), if set and not
    /// empty; for `designgate new`'s default owner.
    pub fn config_value(&self, key: &str) -> Option<String> {
        let out = self.run(["config", "--get", key]).ok()?;
        let value = String::from_utf8(out).ok()?;
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_owned())
    }

    /// The full id of the commit `rev` names. A name that does not exist, or
    /// names something other than a commit, is a usage error.
    pub fn commit_id(&self, rev: &str) -> Result<String, Error> {
        validate_rev(rev)?;
        let output = self
            .command()
            // `--verify` takes exactly one argument and `^{commit}` peels a
            // tag; the argument cannot be an option (validated above).
            .args(["rev-parse", "--verify", "--quiet"])
            .arg(format!("{rev}^{{commit}}"))
            .output()
            .map_err(|e| Error::git("rev-parse", e.to_string().as_bytes()))?;
        let id = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        if !output.status.success() || id.is_empty() {
            return Err(Error::Usage(format!(
                "`{rev}` does not name a commit in this repository{}",
                self.shallow_hint()
            )));
        }
        Ok(id)
    }

    /// A hint for a commit or merge base that was not found: in a shallow
    /// clone (the default in CI), it is often just not fetched.
    pub fn shallow_hint(&self) -> &'static str {
        match self.run(["rev-parse", "--is-shallow-repository"]) {
            Ok(out) if out.starts_with(b"true") => {
                " (this is a shallow clone: fetch the history it needs, e.g. `git fetch --unshallow`, `fetch-depth: 0` on GitHub, `GIT_DEPTH: 0` on GitLab)"
            }
            _ => "",
        }
    }

    /// The best common ancestor of two commits, as `git diff A...B` uses.
    pub fn merge_base(&self, a: &str, b: &str) -> Result<Option<String>, Error> {
        let output = self
            .command()
            .args(["merge-base", a, b])
            .output()
            .map_err(|e| Error::git("merge-base", e.to_string().as_bytes()))?;
        match output.status.code() {
            Some(0) => Ok(Some(
                String::from_utf8_lossy(&output.stdout).trim().to_owned(),
            )),
            // Exit 1 with no output: the histories share no commit.
            Some(1) if output.stderr.is_empty() => Ok(None),
            _ => Err(Error::git("merge-base", &output.stderr)),
        }
    }

    /// The staged files under `dirs` that the next commit adds or changes:
    /// the index (as named by `GIT_INDEX_FILE`) against `HEAD`, or against
    /// nothing on an unborn branch. Deleted documents are not returned, nor
    /// intent-to-add entries (`git add -N`), which a commit leaves out.
    ///
    /// why: this is the hook's hot path; see [`Repo::staged_listing`].
    pub fn staged(&self, dirs: &[String]) -> Result<Vec<Blob>, Error> {
        Ok(self.staged_listing(dirs)?.changed)
    }

    /// [`Repo::staged`] with one read of the index: the staged documents,
    /// and every index entry under `dirs` (path and mode, UTF-8 paths
    /// only), so that links into the design folders are answered without
    /// reading the index again ([`crate::snapshot::Git::with_index`]).
    ///
    /// why: `git diff --cached` and then `git ls-files` for each linked
    /// path read the whole index each time (a 100,000-entry index: about
    /// 7 ms a read). Here the index is listed once, limited to `dirs`, and
    /// compared with `HEAD`'s tree under `dirs` (`ls-tree` reads no index).
    /// An intent-to-add entry (`git add -N`) lists as the empty blob, like
    /// a staged empty file: only when a new empty file is staged is
    /// `git diff --cached` asked which it is.
    pub fn staged_listing(&self, dirs: &[String]) -> Result<StagedListing, Error> {
        // why not `--modified` as well, to answer the `unstaged-changes`
        // note from the same listing: it stats every entry of the index
        // whatever the pathspec (170 ms on a 100,000-file index against
        // 10 ms without); the note asks `git diff` about the checked
        // documents instead.
        //
        // why a thread: `ls-tree` reads no index, so it runs beside
        // `ls-files` (the hook's longest wait) on the other core instead of
        // after it.
        let (raw, head) = std::thread::scope(|s| {
            let head = s.spawn(|| self.head_entries(dirs));
            let raw = self.run_in_dirs(&["ls-files", "-z", "--stage", "--full-name"], dirs);
            let head = head
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (raw, head)
        });
        let raw = raw?;
        let mut index: Vec<(&[u8], &str, &str, &[u8])> = Vec::new();
        for record in raw.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            // `<mode> <id> <stage>\t<path>`
            let (meta, path) = split_tab(record).ok_or_else(|| malformed("ls-files"))?;
            let meta = std::str::from_utf8(meta).map_err(|_| malformed("ls-files"))?;
            let mut parts = meta.split(' ');
            let (Some(mode), Some(id), Some(stage)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(malformed("ls-files"));
            };
            if !is_object_id(id) {
                return Err(malformed("ls-files"));
            }
            index.push((path, mode, id, stage.as_bytes()));
        }
        let head = head?;
        let mut changed = Vec::new();
        let mut maybe_intent = Vec::new();
        let mut entries = Vec::new();
        let mut previous: Option<&[u8]> = None;
        for (i, &(path, mode, id, stage)) in index.iter().enumerate() {
            if let (Ok(p), Some(m)) = (std::str::from_utf8(path), Mode::parse(mode.as_bytes())) {
                entries.push((p.to_owned(), m));
            }
            // A conflicted path (stages 1-3) is not a staged change that a
            // commit takes; `diff --cached` calls it unmerged.
            let conflicted = stage != b"0"
                || previous == Some(path)
                || index.get(i + 1).is_some_and(|next| next.0 == path);
            previous = Some(path);
            if conflicted || Mode::parse(mode.as_bytes()) != Some(Mode::File) {
                continue;
            }
            if head.get(path).is_some_and(|(m, h)| m == mode && h == id) {
                continue;
            }
            let (shown, utf8) = escape_path(path);
            let blob = Blob {
                path: shown,
                id: id.to_owned(),
                utf8,
            };
            if id == EMPTY_BLOB_SHA1 || id == EMPTY_BLOB_SHA256 {
                maybe_intent.push((path, blob));
            } else {
                changed.push(blob);
            }
        }
        changed.extend(self.not_intent_to_add(maybe_intent)?);
        changed.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(StagedListing {
            changed,
            entries: Known::Entries(entries),
        })
    }

    /// Of `candidates` (staged as the empty blob), those that are staged
    /// files rather than intent-to-add entries (`git add -N`), which list
    /// alike in the index: the ones `git diff --cached` lists.
    fn not_intent_to_add(&self, candidates: Vec<(&[u8], Blob)>) -> Result<Vec<Blob>, Error> {
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let mut args: Vec<OsString> = [
            "diff",
            "--cached",
            "--name-only",
            "-z",
            "--no-renames",
            "--no-ext-diff",
            "--diff-filter=AMT",
            "--",
        ]
        .map(OsString::from)
        .to_vec();
        args.extend(candidates.iter().map(|(p, _)| {
            let mut spec = OsString::from(":(top,literal)");
            spec.push(os_str(p));
            spec
        }));
        let listed = self.run(args)?;
        let listed: std::collections::HashSet<&[u8]> = listed
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .collect();
        Ok(candidates
            .into_iter()
            .filter(|(p, _)| listed.contains(p))
            .map(|(_, b)| b)
            .collect())
    }

    /// [`Repo::staged_listing`] from a [`StagedDiff`] started earlier: the
    /// same answers, with the index read once by `git diff --cached`
    /// (which compares unchanged folders by their cached tree ids) instead
    /// of listed by `git ls-files`, and compared with `HEAD` by git. The
    /// index entries are known as the changes against `HEAD`
    /// ([`Known::Changes`]).
    ///
    /// Anything the diff cannot answer exactly falls back to
    /// [`Repo::staged_listing`], errors included: a diff that failed (no
    /// repository, an old git), a conflicted path under `dirs`, a design
    /// folder that is not written plainly.
    pub fn staged_listing_from(
        &self,
        dirs: &[String],
        diff: StagedDiff,
    ) -> Result<StagedListing, Error> {
        let plain = dirs
            .iter()
            .all(|d| d.is_empty() || d.split('/').all(|c| !c.is_empty() && c != "." && c != ".."));
        if !plain {
            return self.staged_listing(dirs);
        }
        let raw = diff.output.join().ok().flatten();
        let Some(changes) = raw.as_deref().and_then(|raw| parse_staged_diff(raw, dirs)) else {
            return self.staged_listing(dirs);
        };
        let mut changed = Vec::new();
        let mut maybe_intent = Vec::new();
        let mut known = Vec::new();
        for change in changes {
            let mode = match change.status {
                b'D' => None,
                _ => Mode::parse(change.new_mode.as_bytes()),
            };
            if let Ok(path) = std::str::from_utf8(change.path) {
                known.push((path.to_owned(), mode));
            }
            if mode != Some(Mode::File) {
                continue;
            }
            let (shown, utf8) = escape_path(change.path);
            let blob = Blob {
                path: shown,
                id: change.new_id.to_owned(),
                utf8,
            };
            if change.new_id == EMPTY_BLOB_SHA1 || change.new_id == EMPTY_BLOB_SHA256 {
                maybe_intent.push((change.path, blob));
            } else {
                changed.push(blob);
            }
        }
        changed.extend(self.not_intent_to_add(maybe_intent)?);
        changed.sort_by(|a, b| a.path.cmp(&b.path));
        known.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(StagedListing {
            changed,
            entries: Known::Changes(known),
        })
    }

    /// The files, links and submodules of `HEAD` under the folder `dir`
    /// (UTF-8 paths); none on an unborn branch.
    pub(crate) fn head_files_under(&self, dir: &str) -> Result<Vec<String>, Error> {
        Ok(self
            .head_entries(&[dir.to_owned()])?
            .into_iter()
            .filter(|(_, (mode, _))| Mode::parse(mode.as_bytes()).is_some_and(|m| m != Mode::Tree))
            .filter_map(|(path, _)| String::from_utf8(path).ok())
            .collect())
    }

    /// `HEAD`'s files under `dirs` (raw path to raw mode and id); none on
    /// an unborn branch.
    fn head_entries(&self, dirs: &[String]) -> Result<HashMap<Vec<u8>, (String, String)>, Error> {
        let raw = match self.run_in_dirs(&["ls-tree", "-r", "-z", "--full-tree", "HEAD"], dirs) {
            Ok(raw) => raw,
            Err(e) => {
                // An unborn branch has no `HEAD` commit: nothing is staged
                // against it. Any other failure is an error.
                let unborn = self
                    .command()
                    .args(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
                    .output()
                    .is_ok_and(|o| o.status.code() == Some(1) && o.stdout.is_empty());
                return if unborn { Ok(HashMap::new()) } else { Err(e) };
            }
        };
        let mut out = HashMap::new();
        for record in raw.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            // `<mode> <type> <id>\t<path>`
            let (meta, path) = split_tab(record).ok_or_else(|| malformed("ls-tree"))?;
            let meta = std::str::from_utf8(meta).map_err(|_| malformed("ls-tree"))?;
            let mut parts = meta.split(' ');
            let (Some(mode), Some(_), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
                return Err(malformed("ls-tree"));
            };
            out.insert(path.to_vec(), (mode.to_owned(), id.to_owned()));
        }
        Ok(out)
    }

    /// The files under `dirs` of `commit` that differ from `base`: added,
    /// modified, renamed or copied (as their new path) or turned into a
    /// regular file. Without `base`, every regular file under `dirs`.
    pub fn changed(
        &self,
        base: Option<&str>,
        commit: &str,
        dirs: &[String],
    ) -> Result<Vec<Blob>, Error> {
        let Some(base) = base else {
            return self.tree_files(commit, dirs);
        };
        let raw = self.run_in_dirs(
            &[
                "diff-tree",
                "-r",
                "--raw",
                "--no-abbrev",
                "-z",
                "--no-renames",
                "--no-ext-diff",
                "--no-textconv",
                "--diff-filter=AMT",
                base,
                commit,
            ],
            dirs,
        )?;
        parse_raw_diff(&raw)
    }

    /// Every regular file under `dirs` in the tree of `commit`.
    pub fn tree_files(&self, commit: &str, dirs: &[String]) -> Result<Vec<Blob>, Error> {
        let raw = self.run_in_dirs(&["ls-tree", "-r", "-z", "--full-tree", commit], dirs)?;
        Ok(parse_ls_tree_all(&raw)?
            .into_iter()
            .filter(|e| e.mode.is_regular())
            .map(|e| Blob {
                path: e.path,
                id: e.id,
                utf8: e.utf8,
            })
            .collect())
    }

    /// Files under `dirs` in the work tree: tracked files and untracked
    /// files that git does not ignore, as repository-relative paths (each
    /// with whether it is UTF-8, see [`escape_path`]), sorted. Whether each
    /// is a regular file on disk is left to the caller.
    pub fn work_tree_files(&self, dirs: &[String]) -> Result<Vec<(String, bool)>, Error> {
        self.ls_work_tree(pathspecs(dirs))
    }

    /// `git ls-files` of the work tree (tracked, plus untracked files git
    /// does not ignore) under `pathspecs`: repository-relative paths, each
    /// with whether it is UTF-8 (see [`escape_path`]), sorted, once each.
    fn ls_work_tree(&self, pathspecs: Vec<String>) -> Result<Vec<(String, bool)>, Error> {
        let mut args: Vec<String> = [
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
            "--full-name",
            "--",
        ]
        .map(str::to_owned)
        .to_vec();
        args.extend(pathspecs);
        let raw = self.run(args)?;
        let mut paths: Vec<(String, bool)> = raw
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .map(escape_path)
            .collect();
        paths.sort();
        paths.dedup();
        Ok(paths)
    }

    /// Every entry of the index (stage 0 or the first conflict stage): path
    /// and mode. For link checks against `--staged` content.
    pub fn index_entries(&self) -> Result<Vec<(String, Mode)>, Error> {
        self.ls_files_stage(":(top)".to_owned())
    }

    /// The index entries at `path` or under the folder `path`, for one link
    /// lookup: git reads the index, but only matching entries are listed.
    pub fn index_entries_at(&self, path: &str) -> Result<Vec<(String, Mode)>, Error> {
        self.ls_files_stage(format!(":(top,literal){path}"))
    }

    /// `git ls-files --stage` for one pathspec: path and mode of each entry.
    fn ls_files_stage(&self, pathspec: String) -> Result<Vec<(String, Mode)>, Error> {
        let raw = self.run([
            "ls-files".to_owned(),
            "-z".to_owned(),
            "--stage".to_owned(),
            "--full-name".to_owned(),
            "--".to_owned(),
            pathspec,
        ])?;
        let mut out = Vec::new();
        for record in raw.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            // `<mode> <id> <stage>\t<path>`
            let (meta, path) = split_tab(record).ok_or_else(|| malformed("ls-files"))?;
            let mode = meta
                .split(|&b| b == b' ')
                .next()
                .and_then(Mode::parse)
                .ok_or_else(|| malformed("ls-files"))?;
            if let Ok(path) = String::from_utf8(path.to_vec()) {
                out.push((path, mode));
            }
        }
        Ok(out)
    }

    /// The entry of `commit`'s tree at `path` (a blob, a tree, a link), if
    /// any: `git ls-tree` walks only the path's folders.
    pub fn tree_entries_at(&self, commit: &str, path: &str) -> Result<Vec<(String, Mode)>, Error> {
        // why: the path comes from a document's link; `--literal-pathspecs`
        // keeps `:(glob)*` a name (`--full-tree`: relative to the root).
        let raw = self.run([
            "--literal-pathspecs",
            "ls-tree",
            "-z",
            "--full-tree",
            commit,
            "--",
            path,
        ])?;
        Ok(parse_ls_tree(&raw)?
            .into_iter()
            .map(|e| (e.path, e.mode))
            .collect())
    }

    /// Every entry of the tree of `commit`, recursively: path and mode.
    pub fn tree_entries(&self, commit: &str) -> Result<Vec<(String, Mode)>, Error> {
        let raw = self.run(["ls-tree", "-r", "-z", "--full-tree", commit])?;
        Ok(parse_ls_tree(&raw)?
            .into_iter()
            .map(|e| (e.path, e.mode))
            .collect())
    }

    /// Reads objects in one `git cat-file --batch`. Each name is an object
    /// id or `<commit>:<path>`; the answer is `None` for a name that does
    /// not exist. Content larger than `limit` bytes is not kept: its size
    /// is returned instead.
    pub fn read_objects(&self, names: &[String], limit: u64) -> Result<Vec<Object>, Error> {
        if names.is_empty() {
            return Ok(Vec::new());
        }
        if let Some(bad) = names.iter().find(|n| n.contains(['\n', '\r', '\0'])) {
            return Err(Error::Usage(format!(
                "`{}` cannot be read from git: it contains a line break",
                bad.escape_debug()
            )));
        }
        let mut child = self
            .command()
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Error::git("cat-file", e.to_string().as_bytes()))?;
        let (Some(mut stdin), Some(stdout), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(Error::git("cat-file", b"could not open pipes to git"));
        };
        let input: Vec<u8> = names
            .iter()
            .flat_map(|n| [n.as_bytes(), b"\n"])
            .flatten()
            .copied()
            .collect();
        // why: write from another thread, or git could block writing its
        // answers while this thread blocks writing questions.
        let result = std::thread::scope(|scope| {
            let writer = scope.spawn(move || {
                // A write error means git stopped early; its stderr says why.
                let _ = stdin.write_all(&input);
            });
            let answers = read_batch(std::io::BufReader::new(stdout), names.len(), limit);
            let _ = writer.join();
            answers
        });
        let mut message = Vec::new();
        let _ = stderr.read_to_end(&mut message);
        let status = child
            .wait()
            .map_err(|e| Error::git("cat-file", e.to_string().as_bytes()))?;
        match result {
            Ok(objects) if status.success() => Ok(objects),
            Ok(_) => Err(Error::git("cat-file", &message)),
            Err(e) if message.is_empty() => Err(e),
            Err(_) => Err(Error::git("cat-file", &message)),
        }
    }

    /// The renames git detects (`-M`, its default similarity) under `dirs`
    /// from `from` (a commit id) to `to`: `(old path, new path)`, both
    /// repository-relative. Paths that are not UTF-8 are left out.
    ///
    /// why: a baseline names findings by path; a renamed document keeps
    /// its entries when git sees the rename (see [`crate::baseline`]).
    pub fn renames(
        &self,
        from: &str,
        to: RenameTarget<'_>,
        dirs: &[String],
    ) -> Result<Vec<(String, String)>, Error> {
        let mut args = match to {
            RenameTarget::Commit(_) => vec!["diff-tree", "-r"],
            RenameTarget::Index => vec!["diff", "--cached"],
            RenameTarget::WorkTree => vec!["diff"],
        };
        args.extend([
            "-M",
            "--name-status",
            "-z",
            "--no-ext-diff",
            "--no-textconv",
            "--diff-filter=R",
            from,
        ]);
        if let RenameTarget::Commit(commit) = to {
            args.push(commit);
        }
        let raw = self.run_in_dirs(&args, dirs)?;
        let mut out = Vec::new();
        let mut fields = raw.split(|&b| b == 0);
        while let Some(status) = fields.next() {
            if status.is_empty() {
                continue;
            }
            let (Some(old), Some(new)) = (fields.next(), fields.next()) else {
                return Err(malformed("diff"));
            };
            if !status.starts_with(b"R") {
                return Err(malformed("diff"));
            }
            if let (Ok(old), Ok(new)) = (std::str::from_utf8(old), std::str::from_utf8(new)) {
                out.push((old.to_owned(), new.to_owned()));
            }
        }
        Ok(out)
    }

    /// Files of the work tree under `pathspecs` (tracked, plus untracked
    /// that git does not ignore), repository-relative; for the notes on
    /// what a check did not look at.
    pub fn listed_files(&self, pathspecs: &[String]) -> Result<Vec<String>, Error> {
        Ok(self
            .ls_work_tree(pathspecs.to_vec())?
            .into_iter()
            .filter_map(|(path, utf8)| utf8.then_some(path))
            .collect())
    }
}

/// What [`Repo::renames`] compares a commit with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameTarget<'a> {
    /// The tracked files of the work tree.
    WorkTree,
    /// The index (as `GIT_INDEX_FILE` names it).
    Index,
    /// Another commit's tree (a full id).
    Commit(&'a str),
}

/// One answer of [`Repo::read_objects`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Object {
    Missing,
    Content(Vec<u8>),
    /// Larger than the limit: its size in bytes.
    TooLarge(u64),
}

/// Reads `count` answers of `git cat-file --batch`:
/// `<id> <type> <size>\n<content>\n`, or `<name> missing\n`.
fn read_batch(
    mut r: impl std::io::BufRead,
    count: usize,
    limit: u64,
) -> Result<Vec<Object>, Error> {
    let mut out = Vec::with_capacity(count);
    let mut header = Vec::new();
    for _ in 0..count {
        header.clear();
        r.read_until(b'\n', &mut header)
            .map_err(|e| Error::git("cat-file", e.to_string().as_bytes()))?;
        let line = header
            .strip_suffix(b"\n")
            .ok_or_else(|| malformed("cat-file"))?;
        let line = std::str::from_utf8(line).map_err(|_| malformed("cat-file"))?;
        if line.ends_with(" missing") || line.ends_with(" ambiguous") {
            out.push(Object::Missing);
            continue;
        }
        let size: u64 = line
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| malformed("cat-file"))?;
        let io = |e: std::io::Error| Error::git("cat-file", e.to_string().as_bytes());
        if size > limit {
            std::io::copy(&mut (&mut r).take(size + 1), &mut std::io::sink()).map_err(io)?;
            out.push(Object::TooLarge(size));
            continue;
        }
        let mut content = Vec::with_capacity(usize::try_from(size).unwrap_or(0) + 1);
        (&mut r)
            .take(size + 1)
            .read_to_end(&mut content)
            .map_err(io)?;
        if content.pop() != Some(b'\n') || content.len() as u64 != size {
            return Err(malformed("cat-file"));
        }
        out.push(Object::Content(content));
    }
    Ok(out)
}

/// The kind of a tree or index entry, from its octal mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `100644` or `100755`.
    File,
    /// `120000`.
    Symlink,
    /// `160000`, a submodule.
    Gitlink,
    /// `040000`, only in non-recursive listings.
    Tree,
}

impl Mode {
    fn parse(octal: &[u8]) -> Option<Mode> {
        match octal {
            b"100644" | b"100755" | b"100664" => Some(Mode::File),
            b"120000" => Some(Mode::Symlink),
            b"160000" => Some(Mode::Gitlink),
            // `ls-tree` writes `040000`; a tree object holds `40000`.
            b"040000" | b"40000" => Some(Mode::Tree),
            _ => None,
        }
    }

    fn is_regular(self) -> bool {
        self == Mode::File
    }
}

/// Pathspecs for folders, relative to the repository root whatever the
/// current folder (`top`); `literal`: a folder named `a*b` is not a glob.
pub(crate) fn pathspecs(dirs: &[String]) -> Vec<String> {
    if dirs.iter().any(String::is_empty) {
        vec![":(top)".to_owned()]
    } else {
        dirs.iter().map(|d| format!(":(top,literal){d}")).collect()
    }
}

/// The id of the empty blob, which an intent-to-add index entry carries.
const EMPTY_BLOB_SHA1: &str = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
const EMPTY_BLOB_SHA256: &str = "473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813";

/// What [`Repo::staged_listing`] found.
#[derive(Debug)]
pub struct StagedListing {
    /// The staged documents, as [`Repo::staged`] returns them.
    pub changed: Vec<Blob>,
    /// The index entries under the folders listed.
    pub entries: Known,
}

/// The index entries under some folders, as far as a staged listing knows
/// them (UTF-8 paths only).
#[derive(Debug)]
pub enum Known {
    /// Every entry (`ls-files`).
    Entries(Vec<(String, Mode)>),
    /// How the index differs from `HEAD` there, sorted by path: the mode
    /// staged at each path, `None` where nothing is (deleted, or a mode
    /// that is no file, link or submodule). Other paths are as in `HEAD`.
    Changes(Vec<(String, Option<Mode>)>),
}

/// Raw path bytes as an argument.
fn os_str(bytes: &[u8]) -> OsString {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::ffi::OsStr::from_bytes(bytes).to_owned()
    }
    #[cfg(not(unix))]
    {
        OsString::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

fn malformed(command: &str) -> Error {
    Error::git(command, b"unexpected output")
}

fn split_tab(record: &[u8]) -> Option<(&[u8], &[u8])> {
    let tab = record.iter().position(|&b| b == b'\t')?;
    Some((&record[..tab], &record[tab + 1..]))
}

fn is_object_id(s: &str) -> bool {
    matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

struct TreeEntry {
    mode: Mode,
    id: String,
    path: String,
    utf8: bool,
}

/// Parses `git ls-tree -r -z` records: `<mode> <type> <id>\t<path>\0`.
/// Paths that are not UTF-8 are skipped: no link can name them.
fn parse_ls_tree(raw: &[u8]) -> Result<Vec<TreeEntry>, Error> {
    Ok(parse_ls_tree_all(raw)?
        .into_iter()
        .filter(|e| e.utf8)
        .collect())
}

/// [`parse_ls_tree`], keeping paths that are not UTF-8 (escaped).
fn parse_ls_tree_all(raw: &[u8]) -> Result<Vec<TreeEntry>, Error> {
    let mut out = Vec::new();
    for record in raw.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let (meta, path) = split_tab(record).ok_or_else(|| malformed("ls-tree"))?;
        let mut parts = meta.split(|&b| b == b' ');
        let (Some(mode), Some(_), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(malformed("ls-tree"));
        };
        let Some(mode) = Mode::parse(mode) else {
            continue;
        };
        let id = std::str::from_utf8(id).map_err(|_| malformed("ls-tree"))?;
        if !is_object_id(id) {
            return Err(malformed("ls-tree"));
        }
        let (path, utf8) = escape_path(path);
        out.push(TreeEntry {
            mode,
            id: id.to_owned(),
            path,
            utf8,
        });
    }
    Ok(out)
}

/// Parses `git diff --raw -z` records, `:<mode> <mode> <id> <id> <status>\0<path>\0`,
/// keeping those whose new side is a regular file. With `--no-renames`
/// every record has one path.
fn parse_raw_diff(raw: &[u8]) -> Result<Vec<Blob>, Error> {
    let mut out = Vec::new();
    let mut fields = raw.split(|&b| b == 0);
    while let Some(meta) = fields.next() {
        if meta.is_empty() {
            continue;
        }
        let path = fields.next().ok_or_else(|| malformed("diff"))?;
        let meta = std::str::from_utf8(meta).map_err(|_| malformed("diff"))?;
        let mut parts = meta
            .strip_prefix(':')
            .ok_or_else(|| malformed("diff"))?
            .split(' ');
        let (Some(_), Some(new_mode), Some(_), Some(new_id)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed("diff"));
        };
        if !is_object_id(new_id) {
            return Err(malformed("diff"));
        }
        // Symlinks and submodules are not documents.
        if Mode::parse(new_mode.as_bytes()) != Some(Mode::File) {
            continue;
        }
        let (path, utf8) = escape_path(path);
        out.push(Blob {
            path,
            id: new_id.to_owned(),
            utf8,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_raw_diff_records() {
        let raw = b":000000 100644 0000000000000000000000000000000000000000 8baef1b4abc478178b004d62031cf7fe6db6f903 A\0design/a b.md\0\
:100644 120000 8baef1b4abc478178b004d62031cf7fe6db6f903 1111111111111111111111111111111111111111 T\0design/link.md\0\
:100644 100755 8baef1b4abc478178b004d62031cf7fe6db6f903 2222222222222222222222222222222222222222 M\0design/\xc3\xa9.md\0";
        let parsed = parse_raw_diff(raw).unwrap();
        let paths: Vec<_> = parsed
            .iter()
            .map(|b| format!("{} {}", b.path, b.id))
            .collect();
        assert_eq!(
            paths,
            [
                "design/a b.md 8baef1b4abc478178b004d62031cf7fe6db6f903",
                "design/é.md 2222222222222222222222222222222222222222",
            ]
        );
        assert_eq!(parse_raw_diff(b"").unwrap(), []);
        assert!(parse_raw_diff(b":garbage\0").is_err());
        assert!(parse_raw_diff(b":100644 100644 abc abc M\0x.md\0").is_err());
    }

    #[test]
    fn parses_staged_diff_records_under_the_folders() {
        let raw = b":100644 100644 8baef1b4abc478178b004d62031cf7fe6db6f903 1111111111111111111111111111111111111111 M\0design/a.md\0\
:100644 000000 8baef1b4abc478178b004d62031cf7fe6db6f903 0000000000000000000000000000000000000000 D\0design/gone.md\0\
:000000 100644 0000000000000000000000000000000000000000 2222222222222222222222222222222222222222 A\0designs/not.md\0\
:000000 160000 0000000000000000000000000000000000000000 3333333333333333333333333333333333333333 A\0design\0";
        let dirs = ["design".to_owned()];
        let changes = parse_staged_diff(raw, &dirs).unwrap();
        let seen: Vec<_> = changes
            .iter()
            .map(|c| (c.path, c.status, c.new_mode))
            .collect();
        assert_eq!(
            seen,
            [
                (&b"design/a.md"[..], b'M', "100644"),
                (&b"design/gone.md"[..], b'D', "000000"),
                (&b"design"[..], b'A', "160000"),
            ]
        );
        assert_eq!(parse_staged_diff(raw, &[String::new()]).unwrap().len(), 4);
        // A conflicted path under the folders, or output of another shape:
        // the caller lists the index instead.
        let conflict = b":100644 000000 8baef1b4abc478178b004d62031cf7fe6db6f903 0000000000000000000000000000000000000000 U\0design/a.md\0";
        assert!(parse_staged_diff(conflict, &dirs).is_none());
        assert!(parse_staged_diff(conflict, &["other".to_owned()]).is_some());
        assert!(parse_staged_diff(b":100644 100644 x y M\0design/a.md\0", &dirs).is_none());
        assert!(parse_staged_diff(b"design/a.md\0", &dirs).is_none());
    }

    #[test]
    fn parses_tree_objects() {
        let mut raw = Vec::new();
        for (mode, name) in [
            ("100644", "a.md"),
            ("40000", "img"),
            ("120000", "l"),
            ("160000", "sub"),
            ("100600", "odd"),
        ] {
            raw.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            raw.extend_from_slice(&[7u8; 20]);
        }
        let entries = parse_tree(&raw, 20).unwrap();
        let modes: Vec<_> = entries.iter().map(|(n, m)| (n.as_slice(), *m)).collect();
        assert_eq!(
            modes,
            [
                (&b"a.md"[..], Some(Mode::File)),
                (&b"img"[..], Some(Mode::Tree)),
                (&b"l"[..], Some(Mode::Symlink)),
                (&b"sub"[..], Some(Mode::Gitlink)),
                (&b"odd"[..], None),
            ]
        );
        assert!(parse_tree(&raw[..raw.len() - 1], 20).is_none());
        assert_eq!(parse_tree(b"", 20), Some(Vec::new()));
    }

    #[test]
    fn parses_ls_tree_records() {
        let raw = b"100644 blob 8baef1b4abc478178b004d62031cf7fe6db6f903\tdesign/a.md\0\
120000 blob 1111111111111111111111111111111111111111\tdesign/link.md\0\
160000 commit 2222222222222222222222222222222222222222\tvendor/sub\0";
        let entries = parse_ls_tree(raw).unwrap();
        let modes: Vec<_> = entries.iter().map(|e| (e.path.as_str(), e.mode)).collect();
        assert_eq!(
            modes,
            [
                ("design/a.md", Mode::File),
                ("design/link.md", Mode::Symlink),
                ("vendor/sub", Mode::Gitlink)
            ]
        );
        assert!(parse_ls_tree(b"100644 blob xyz\n").is_err());
    }

    #[test]
    fn reads_batch_answers() {
        let raw = b"8baef1b4abc478178b004d62031cf7fe6db6f903 blob 3\nabc\n\
HEAD:nope missing\n\
1111111111111111111111111111111111111111 blob 5\nhello\n";
        let objects = read_batch(&raw[..], 3, 4).unwrap();
        assert_eq!(
            objects,
            [
                Object::Content(b"abc".to_vec()),
                Object::Missing,
                Object::TooLarge(5)
            ]
        );
        assert!(read_batch(&b"x blob 10\nshort\n"[..], 1, 100).is_err());
        assert!(read_batch(&b""[..], 1, 100).is_err());
    }

    #[test]
    fn user_revisions_cannot_become_options() {
        assert!(validate_rev("main").is_ok());
        assert!(validate_rev("origin/main~2").is_ok());
        assert!(validate_rev("--output=x").is_err());
        assert!(validate_rev("-p").is_err());
        assert!(validate_rev("").is_err());
        assert!(validate_rev("main\nHEAD").is_err());
        assert!(is_null_id(&"0".repeat(40)));
        assert!(is_null_id(&"0".repeat(64)));
        assert!(!is_null_id("0000"));
    }
}
