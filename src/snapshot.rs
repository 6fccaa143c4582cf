//! Where bytes come from: the work tree, the git index, or one commit's
//! tree. This is the one home of "a file as of the snapshot a run reads":
//! the configuration and the packs it names ([`crate::config`]), the
//! documents ([`crate::discover`]) and the answers to "does this linked file
//! exist?" all come from a [`Snapshot`], so that a diagram that exists only
//! on disk does not satisfy a staged or committed document, and a committed
//! configuration cannot make designgate read the host.
//!
//! Lookups take repository-relative paths with `/` separators that have
//! already been normalised (no `.`/`..` components, never leaving the
//! repository): [`normalize`] and [`resolve_link`] do that and report paths
//! outside the repository without reading them. Files are read only when
//! they are regular files (never a device, a FIFO or a socket), and never
//! beyond a size limit ([`read_file`]).

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::error::Error;
use crate::git::{Batch, Known, Mode, Object, Repo, TreeEntries};

/// What reading one file of a snapshot found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    Missing,
    /// Larger than the limit asked for: its size in bytes.
    TooLarge(u64),
    /// There, but not a regular file (a folder, a device, a FIFO, a socket,
    /// a submodule, or a symlink, in git, or one that leaves the work tree).
    NotAFile(&'static str),
}

/// Reads the file at `abs` from the host, if it is a regular file of at
/// most `limit` bytes.
///
/// why: the file is opened first (non-blocking, so that a FIFO cannot hang
/// the open) and its type and size are taken from the opened handle, so the
/// checked file is the read one (no check-then-open race); the read itself
/// stops after `limit + 1` bytes whatever the file claims.
pub fn read_file(abs: &Path, limit: u64) -> std::io::Result<Content> {
    read_opened(abs, limit, true)
}

/// [`read_file`] for a file found as a regular file by a listing: if it
/// has become a symlink since (its last component), it is not followed.
pub fn read_listed_file(abs: &Path, limit: u64) -> std::io::Result<Content> {
    read_opened(abs, limit, false)
}

fn read_opened(abs: &Path, limit: u64, follow: bool) -> std::io::Result<Content> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(libc::O_NONBLOCK | nofollow);
    }
    let file = match options.open(abs) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Content::Missing),
        #[cfg(unix)]
        Err(e) if !follow && e.raw_os_error() == Some(libc::ELOOP) => {
            return Ok(Content::NotAFile("a symlink"));
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Ok(Content::NotAFile("a folder"));
    }
    if !meta.is_file() {
        return Ok(Content::NotAFile(
            "not a regular file (a device, FIFO or socket)",
        ));
    }
    if meta.len() > limit {
        return Ok(Content::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        // It grew while being read.
        return Ok(Content::TooLarge(bytes.len() as u64));
    }
    Ok(Content::Bytes(bytes))
}

/// `name`, relative to folder `dir` (both `/`-separated, `\` accepted as a
/// separator), as a normalised repository-relative path; `None` when it is
/// absolute or climbs above the root.
pub fn normalize(dir: &str, name: &str) -> Option<String> {
    if name.starts_with(['/', '\\']) || has_drive(name) {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in name.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// `C:` and friends: a Windows drive, absolute or not, is never relative.
fn has_drive(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic()
}

/// What a repository-relative path is in a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    File,
    Dir,
    Missing,
}

/// A read-only view of the files a run checks against. Implementations must
/// be cheap to query from many threads at once.
pub trait Snapshot: Sync {
    /// How the snapshot is named in messages: "the work tree", "the index",
    /// "commit 1a2b3c4".
    fn describe(&self) -> String;
    /// What `path` (repository-relative, normalised) is in this snapshot.
    fn entry(&self, path: &str) -> Entry;
    /// Why the snapshot could not be read, if it could not: its answers
    /// were then all [`Entry::Missing`] and must not be trusted. The run
    /// reports this as an error (exit 2) after checking.
    fn failure(&self) -> Option<Error> {
        None
    }
    /// The content of the regular file at `path` (repository-relative,
    /// normalised), if it has at most `limit` bytes. The default: nothing
    /// can be read.
    fn read(&self, path: &str, limit: u64) -> Result<Content, Error> {
        let _ = (path, limit);
        Ok(Content::Missing)
    }
    /// How `path` is named in messages.
    fn show(&self, path: &str) -> PathBuf {
        PathBuf::from(path)
    }
}

/// The work tree (or a plain folder outside git). Symlinks are followed only
/// while they stay inside `root`.
#[derive(Debug, Clone)]
pub struct WorkTree {
    /// Canonical.
    pub root: PathBuf,
    /// Paths in messages are shown relative to this folder (the current
    /// one) when they lie under it.
    pub shown_from: Option<PathBuf>,
}

impl WorkTree {
    /// The canonical path of `path` if it stays inside the root.
    fn inside(&self, path: &str) -> Option<PathBuf> {
        let real = std::fs::canonicalize(self.root.join(path)).ok()?;
        real.starts_with(&self.root).then_some(real)
    }
}

impl Snapshot for WorkTree {
    fn describe(&self) -> String {
        "the work tree".to_owned()
    }

    fn read(&self, path: &str, limit: u64) -> Result<Content, Error> {
        let abs = self.root.join(path);
        if std::fs::symlink_metadata(&abs).is_err() {
            return Ok(Content::Missing);
        }
        let Some(real) = self.inside(path) else {
            return Ok(Content::NotAFile("a symlink that leaves the repository"));
        };
        read_file(&real, limit).map_err(|e| Error::io(self.show(path), e))
    }

    fn show(&self, path: &str) -> PathBuf {
        let abs = self.root.join(path);
        match &self.shown_from {
            Some(cwd) => abs.strip_prefix(cwd).map(Path::to_owned).unwrap_or(abs),
            None => abs,
        }
    }

    fn entry(&self, path: &str) -> Entry {
        let Some(real) = self.inside(path) else {
            return Entry::Missing;
        };
        match std::fs::metadata(&real) {
            Ok(m) if m.is_dir() => Entry::Dir,
            Ok(m) if m.is_file() => Entry::File,
            _ => Entry::Missing,
        }
    }
}

/// The index git uses (`GIT_INDEX_FILE` included) or the tree of one
/// commit. Nothing is read until a link is looked up, so a run whose
/// documents link nothing pays nothing.
///
/// why: the hook checks a few documents in what may be a huge repository.
/// The first [`PER_PATH_LOOKUPS`] distinct paths are asked of git one at a
/// time (`ls-files`/`ls-tree` limited to the path: a few milliseconds each);
/// listing a 100,000-entry index instead cost the hook 100 ms. A run that
/// asks more (a whole repository with many links) lists everything once.
///
/// Regular files are [`Entry::File`]; a folder is [`Entry::Dir`] when any
/// path lies under it, and so is a submodule. A symlink is
/// [`Entry::Missing`]: its target is not resolved (a link through a symlink
/// works in the work tree but not in git modes).
#[derive(Debug)]
pub struct Git {
    repo: Repo,
    content: GitContent,
    listing: OnceLock<Result<Listing, (String, String)>>,
    /// Answers to single-path lookups, and the first error git gave.
    asked: Mutex<Asked>,
    /// The index entries under these folders, already known (by
    /// discovery): paths there are answered without reading the index.
    known: Option<(Vec<String>, KnownIndex)>,
}

/// What [`Git::with_index`] knows of the index under its folders.
#[derive(Debug)]
enum KnownIndex {
    /// Every entry.
    Listing(Listing),
    /// How it differs from `HEAD` ([`Known::Changes`]); `HEAD`'s trees are
    /// read as lookups need them.
    Staged(Box<Staged>),
}

/// The index as `HEAD` plus the staged changes.
#[derive(Debug)]
struct Staged {
    /// Sorted by path; `None`: nothing there any more.
    changes: Vec<(String, Option<Mode>)>,
    /// Reads `HEAD`'s trees; started on first use if discovery had none.
    batch: Mutex<(Option<Batch>, bool)>,
    /// `HEAD`'s trees read so far, by folder (`None`: no folder there).
    trees: Mutex<HashMap<String, Option<TreeEntries>>>,
    /// Folders asked of `ls-tree` (see [`Staged::entry`]), with their
    /// answers.
    listed: Mutex<HashMap<String, Entry>>,
}

/// At most this many of `HEAD`'s trees are read, and at most
/// [`PER_PATH_LOOKUPS`] folders listed, for one [`Staged`] snapshot;
/// past that, lookups go the way of a snapshot that knows nothing (one
/// path at a time, then the whole index listed once).
///
/// why: the links of one document decide how many folders are asked about.
const MAX_TREE_READS: usize = 256;

#[derive(Debug, Default)]
struct Asked {
    answers: HashMap<String, Entry>,
    error: Option<(String, String)>,
}

/// Distinct paths looked up one by one before the whole snapshot is listed.
const PER_PATH_LOOKUPS: usize = 16;

/// Which content a [`Git`] snapshot lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitContent {
    Index,
    /// The tree of this commit (a full object id).
    Commit(String),
}

impl Git {
    pub fn new(repo: Repo, content: GitContent) -> Git {
        Git {
            repo,
            content,
            listing: OnceLock::new(),
            asked: Mutex::new(Asked::default()),
            known: None,
        }
    }

    /// The index, of which every entry under `dirs` (`""`: the whole
    /// repository) is already known: `entries`, as
    /// [`Repo::staged_listing`](crate::git::Repo::staged_listing) listed
    /// them. Links into those folders never read the index again.
    pub fn with_index(repo: Repo, dirs: Vec<String>, entries: Known, batch: Option<Batch>) -> Git {
        let known = match entries {
            Known::Entries(entries) => KnownIndex::Listing(Listing::new(entries)),
            Known::Changes(changes) => KnownIndex::Staged(Box::new(Staged {
                changes,
                batch: Mutex::new((batch, false)),
                trees: Mutex::new(HashMap::new()),
                listed: Mutex::new(HashMap::new()),
            })),
        };
        Git {
            known: Some((dirs, known)),
            ..Git::new(repo, GitContent::Index)
        }
    }

    /// The answer for `path` from the entries already known, if it lies
    /// in one of their folders.
    fn known(&self, path: &str) -> Option<Entry> {
        let (dirs, listing) = self.known.as_ref()?;
        let inside = dirs.iter().any(|d| {
            d.is_empty()
                || path
                    .strip_prefix(d.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        });
        if !inside {
            return None;
        }
        match listing {
            KnownIndex::Listing(listing) => Some(listing.entry(path)),
            KnownIndex::Staged(staged) => staged.entry(&self.repo, path),
        }
    }

    /// Looks up one path with a git command limited to it, or `None` once
    /// enough paths were asked that listing everything is cheaper.
    fn ask(&self, path: &str) -> Option<Entry> {
        let mut asked = self.asked.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&answer) = asked.answers.get(path) {
            return Some(answer);
        }
        if asked.answers.len() >= PER_PATH_LOOKUPS {
            return None;
        }
        let entries = match &self.content {
            GitContent::Index => self.repo.index_entries_at(path),
            GitContent::Commit(id) => self.repo.tree_entries_at(id, path),
        };
        let answer = match entries {
            Ok(entries) => Listing::new(entries).entry(path),
            Err(e) => {
                asked.error.get_or_insert_with(|| match e {
                    Error::Git { command, message } => (command, message),
                    e => ("ls".to_owned(), e.to_string()),
                });
                Entry::Missing
            }
        };
        asked.answers.insert(path.to_owned(), answer);
        Some(answer)
    }

    fn listing(&self) -> Result<&Listing, &(String, String)> {
        self.listing
            .get_or_init(|| {
                let entries = match &self.content {
                    GitContent::Index => self.repo.index_entries(),
                    GitContent::Commit(id) => self.repo.tree_entries(id),
                };
                entries.map(Listing::new).map_err(|e| match e {
                    Error::Git { command, message } => (command, message),
                    e => ("ls".to_owned(), e.to_string()),
                })
            })
            .as_ref()
    }
}

impl Snapshot for Git {
    fn describe(&self) -> String {
        match &self.content {
            GitContent::Index => "the index".to_owned(),
            GitContent::Commit(id) => format!("commit {}", id.get(..7).unwrap_or(id)),
        }
    }

    fn entry(&self, path: &str) -> Entry {
        if path.is_empty() {
            return Entry::Dir;
        }
        if let Some(answer) = self.known(path) {
            return answer;
        }
        if self.listing.get().is_none()
            && let Some(answer) = self.ask(path)
        {
            return answer;
        }
        self.listing().map_or(Entry::Missing, |l| l.entry(path))
    }

    fn read(&self, path: &str, limit: u64) -> Result<Content, Error> {
        // why: `<commit>:<path>` names a symlink's blob or a tree just as
        // well as a file, so the entry's mode is looked at first.
        match self.entry(path) {
            Entry::Missing => {
                if let Some(e) = self.failure() {
                    return Err(e);
                }
                return Ok(Content::Missing);
            }
            Entry::Dir => return Ok(Content::NotAFile("a folder")),
            Entry::File => {}
        }
        let name = match &self.content {
            GitContent::Index => format!(":{path}"),
            GitContent::Commit(id) => format!("{id}:{path}"),
        };
        let object = self.repo.read_objects(&[name], limit)?;
        Ok(match object.into_iter().next() {
            Some(Object::Content(bytes)) => Content::Bytes(bytes),
            Some(Object::TooLarge(size)) => Content::TooLarge(size),
            Some(Object::Missing) | None => Content::Missing,
        })
    }

    fn show(&self, path: &str) -> PathBuf {
        match &self.content {
            GitContent::Index => PathBuf::from(format!(":{path}")),
            GitContent::Commit(id) => {
                PathBuf::from(format!("{}:{path}", id.get(..7).unwrap_or(id)))
            }
        }
    }

    fn failure(&self) -> Option<Error> {
        let asked = self.asked.lock().unwrap_or_else(PoisonError::into_inner);
        let (command, message) = match self.listing.get() {
            Some(Err(e)) => e.clone(),
            _ => asked.error.clone()?,
        };
        Some(Error::Git { command, message })
    }
}

impl Staged {
    /// What `path` is in the index, or `None` when git could not say (the
    /// caller asks git about the path alone).
    fn entry(&self, repo: &Repo, path: &str) -> Option<Entry> {
        let at = self.changes.partition_point(|(p, _)| p.as_str() < path);
        let exact = self
            .changes
            .get(at)
            .filter(|(p, _)| p == path)
            .map(|&(_, mode)| mode);
        if let Some(Some(mode)) = exact {
            return Some(of_mode(mode));
        }
        let prefix = format!("{path}/");
        let from = self
            .changes
            .partition_point(|(p, _)| p.as_str() < prefix.as_str());
        let under: Vec<&(String, Option<Mode>)> = self.changes[from..]
            .iter()
            .take_while(|(p, _)| p.starts_with(&prefix))
            .collect();
        if under.iter().any(|(_, mode)| mode.is_some()) {
            return Some(Entry::Dir);
        }
        if exact.is_some() {
            // Removed, and nothing staged under it.
            return Some(Entry::Missing);
        }
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let head = self.head_tree(repo, dir, |entries| {
            entries
                .iter()
                .find(|(n, _)| n.as_slice() == name.as_bytes())
                .map(|&(_, mode)| mode)
        })?;
        // Not in `HEAD` (no such folder, or no such name in it): missing.
        match head.flatten() {
            None => Some(Entry::Missing),
            // A mode git lists as no file, link, submodule or folder.
            Some(None) => None,
            Some(Some(Mode::Tree)) => {
                // A folder is there while a path lies under it: certainly
                // when its tree holds a file (a UTF-8 name, as listings
                // keep) and nothing under it was removed.
                let holds_file = under.is_empty()
                    && self
                        .head_tree(repo, path, |entries| {
                            entries.iter().any(|(n, mode)| {
                                mode.is_some_and(|m| m != Mode::Tree)
                                    && std::str::from_utf8(n).is_ok()
                            })
                        })?
                        .unwrap_or(false);
                if holds_file {
                    return Some(Entry::Dir);
                }
                let mut listed = self.listed.lock().unwrap_or_else(PoisonError::into_inner);
                if let Some(&answer) = listed.get(path) {
                    return Some(answer);
                }
                if listed.len() >= PER_PATH_LOOKUPS {
                    return None;
                }
                // A set: a commit that removes a large folder would
                // otherwise cost its files times its removals.
                let removed: std::collections::HashSet<&str> =
                    under.iter().map(|(p, _)| p.as_str()).collect();
                let files = repo.head_files_under(path).ok()?;
                let answer = if files.iter().any(|f| !removed.contains(&f.as_str())) {
                    Entry::Dir
                } else {
                    Entry::Missing
                };
                listed.insert(path.to_owned(), answer);
                Some(answer)
            }
            Some(Some(mode)) => Some(of_mode(mode)),
        }
    }

    /// `answer` applied to the entries of `HEAD`'s tree at `dir` (`None`
    /// inside: no folder there); `None` if git could not say.
    fn head_tree<T>(
        &self,
        repo: &Repo,
        dir: &str,
        answer: impl FnOnce(&TreeEntries) -> T,
    ) -> Option<Option<T>> {
        let mut trees = self.trees.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(tree) = trees.get(dir) {
            return Some(tree.as_ref().map(answer));
        }
        if trees.len() >= MAX_TREE_READS {
            return None;
        }
        let tree = {
            let mut batch = self.batch.lock().unwrap_or_else(PoisonError::into_inner);
            if batch.0.is_none() && !batch.1 {
                batch.1 = true;
                batch.0 = Batch::start(repo.cwd());
            }
            batch.0.as_mut()?.head_tree(dir)?
        };
        let out = tree.as_ref().map(answer);
        trees.insert(dir.to_owned(), tree);
        Some(out)
    }
}

/// What an index or tree entry of this mode is to a link.
fn of_mode(mode: Mode) -> Entry {
    match mode {
        Mode::File => Entry::File,
        Mode::Gitlink | Mode::Tree => Entry::Dir,
        Mode::Symlink => Entry::Missing,
    }
}

/// Paths of a git snapshot, sorted, for binary search.
#[derive(Debug, Default)]
struct Listing {
    /// Regular files and submodules, sorted by bytes (as git sorts).
    paths: Vec<(String, Mode)>,
}

impl Listing {
    fn new(mut paths: Vec<(String, Mode)>) -> Listing {
        paths.sort_by(|a, b| a.0.cmp(&b.0));
        // A conflicted index path has up to three entries.
        paths.dedup_by(|a, b| a.0 == b.0);
        Listing { paths }
    }

    fn entry(&self, path: &str) -> Entry {
        if path.is_empty() {
            return Entry::Dir;
        }
        let at = self.paths.partition_point(|(p, _)| p.as_str() < path);
        match self.paths.get(at) {
            Some((p, Mode::File)) if p == path => return Entry::File,
            Some((p, Mode::Gitlink | Mode::Tree)) if p == path => return Entry::Dir,
            Some((p, Mode::Symlink)) if p == path => return Entry::Missing,
            _ => {}
        }
        // why: folders are not listed; one is there when a path lies under
        // it, and all such paths sort together right after `path/`.
        let prefix = format!("{path}/");
        let at = self
            .paths
            .partition_point(|(p, _)| p.as_str() < prefix.as_str());
        match self.paths.get(at) {
            Some((p, _)) if p.starts_with(&prefix) => Entry::Dir,
            _ => Entry::Missing,
        }
    }
}

/// A snapshot with nothing in it, for checking text that has no repository
/// around it (rule examples, unit tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct Empty;

impl Snapshot for Empty {
    fn describe(&self) -> String {
        "an empty snapshot".to_owned()
    }

    fn entry(&self, _path: &str) -> Entry {
        Entry::Missing
    }
}

/// A fixed set of files, for rule examples that declare `files`.
#[derive(Debug, Clone, Default)]
pub struct Files {
    pub paths: Vec<String>,
}

impl Snapshot for Files {
    fn describe(&self) -> String {
        "the example's files".to_owned()
    }

    fn entry(&self, path: &str) -> Entry {
        if path.is_empty() {
            return Entry::Dir;
        }
        for p in &self.paths {
            if p == path {
                return Entry::File;
            }
            if p.strip_prefix(path)
                .is_some_and(|rest| rest.starts_with('/'))
            {
                return Entry::Dir;
            }
        }
        Entry::Missing
    }
}

/// Where a link written in a document points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `https://…`, `mailto:`, or any other URL with a scheme: accepted,
    /// never fetched.
    External,
    /// `#section`: an anchor in the same document.
    Fragment,
    /// A repository-relative path (fragment and query removed).
    Path(String),
    /// A relative path that climbs out of the repository, or an absolute
    /// file-system path: a finding, never read.
    Outside,
}

/// Resolves `link`, written in the document at repository-relative path
/// `doc`, to a [`LinkTarget`]. `/`-rooted links are repository-relative, as
/// on GitHub and GitLab.
pub fn resolve_link(doc: &str, link: &str) -> LinkTarget {
    let link = link.trim();
    if link.is_empty() {
        return LinkTarget::Fragment;
    }
    if link.starts_with('#') {
        return LinkTarget::Fragment;
    }
    if link
        .get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("file:"))
    {
        return LinkTarget::Outside;
    }
    if has_scheme(link) || link.starts_with("//") {
        // A Windows drive path (`C:\x`, `C:/x`) is a file-system path.
        let bytes = link.as_bytes();
        if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
            let rest = &link[2..];
            if rest.is_empty() || rest.starts_with('\\') || rest.starts_with('/') {
                return LinkTarget::Outside;
            }
        }
        return LinkTarget::External;
    }
    let path = link.split(['#', '?']).next().unwrap_or_default();
    let path = percent_decode(path);
    let (base, rest): (Vec<&str>, &str) = match path.strip_prefix('/') {
        Some(rest) => (Vec::new(), rest),
        None => (
            doc.rsplit_once('/')
                .map(|(dir, _)| dir.split('/').collect())
                .unwrap_or_default(),
            path.as_str(),
        ),
    };
    let mut parts = base;
    for part in rest.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return LinkTarget::Outside;
                }
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        // `/` or `..` back to the root: the repository itself.
        return LinkTarget::Path(String::new());
    }
    LinkTarget::Path(parts.join("/"))
}

fn has_scheme(link: &str) -> bool {
    // RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
    let Some((scheme, _)) = link.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Decodes `%20` and friends; invalid escapes are kept as written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::{Content, Entry, LinkTarget, Listing, Snapshot, WorkTree, normalize, resolve_link};
    use crate::git::Mode;

    #[test]
    fn git_listing_answers_files_folders_and_missing() {
        let listing = Listing::new(
            [
                ("design/a.md", Mode::File),
                ("design/img/arch.png", Mode::File),
                ("design/img-old.png", Mode::File),
                ("design/link.png", Mode::Symlink),
                ("vendor/lib", Mode::Gitlink),
                ("design/a.md", Mode::File),
            ]
            .map(|(p, m)| (p.to_owned(), m))
            .into(),
        );
        assert_eq!(listing.entry("design/a.md"), Entry::File);
        assert_eq!(listing.entry("design/img/arch.png"), Entry::File);
        assert_eq!(listing.entry("design/img"), Entry::Dir);
        assert_eq!(listing.entry("design"), Entry::Dir);
        assert_eq!(listing.entry(""), Entry::Dir);
        // `design/img-old.png` sorts between `design/img` and `design/img/`.
        assert_eq!(listing.entry("design/img-old.png"), Entry::File);
        assert_eq!(listing.entry("design/im"), Entry::Missing);
        assert_eq!(listing.entry("design/a.md/x"), Entry::Missing);
        assert_eq!(listing.entry("design/A.md"), Entry::Missing);
        assert_eq!(listing.entry("design/link.png"), Entry::Missing);
        assert_eq!(listing.entry("vendor/lib"), Entry::Dir);
        assert_eq!(listing.entry("vendor/lib/README.md"), Entry::Missing);
        assert_eq!(Listing::default().entry("design"), Entry::Missing);
    }

    #[test]
    fn normalize_keeps_paths_inside_the_root() {
        assert_eq!(
            normalize("", "rules/a.toml").as_deref(),
            Some("rules/a.toml")
        );
        assert_eq!(
            normalize("cfg", "../rules/./a.toml").as_deref(),
            Some("rules/a.toml")
        );
        assert_eq!(normalize("cfg", "..\\a.toml").as_deref(), Some("a.toml"));
        assert_eq!(normalize("", "../a.toml"), None);
        assert_eq!(normalize("cfg", "../../a.toml"), None);
        assert_eq!(normalize("", "/etc/passwd"), None);
        assert_eq!(normalize("", "\\\\host\\share"), None);
        assert_eq!(normalize("", "C:x.toml"), None);
    }

    #[test]
    fn the_work_tree_reads_regular_files_inside_it_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        std::fs::write(root.join("a.toml"), "x = 1\n").expect("write");
        std::fs::create_dir(root.join("sub")).expect("mkdir");
        let tree = WorkTree {
            root: root.clone(),
            shown_from: Some(root.clone()),
        };
        assert_eq!(
            tree.read("a.toml", 100).ok(),
            Some(Content::Bytes(b"x = 1\n".to_vec()))
        );
        assert_eq!(tree.read("a.toml", 3).ok(), Some(Content::TooLarge(6)));
        assert_eq!(tree.read("nope.toml", 100).ok(), Some(Content::Missing));
        assert!(matches!(tree.read("sub", 100), Ok(Content::NotAFile(_))));
        assert_eq!(tree.show("sub/x.toml"), std::path::Path::new("sub/x.toml"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/dev/zero", root.join("zero")).expect("symlink");
            assert!(matches!(tree.read("zero", 100), Ok(Content::NotAFile(_))));
            assert!(matches!(
                super::read_file(std::path::Path::new("/dev/zero"), 100),
                Ok(Content::NotAFile(_))
            ));
        }
    }

    fn path(p: &str) -> LinkTarget {
        LinkTarget::Path(p.to_owned())
    }

    #[test]
    fn resolves_links_relative_to_the_document() {
        assert_eq!(
            resolve_link("design/a.md", "diagrams/x.png"),
            path("design/diagrams/x.png")
        );
        assert_eq!(
            resolve_link("design/a.md", "./x.svg#frag"),
            path("design/x.svg")
        );
        assert_eq!(
            resolve_link("design/a.md", "../docs/b.md?plain=1"),
            path("docs/b.md")
        );
        assert_eq!(
            resolve_link("design/a.md", "/img/arch%20v2.png"),
            path("img/arch v2.png")
        );
        assert_eq!(resolve_link("a.md", "x.png"), path("x.png"));
        assert_eq!(
            resolve_link("design/a.md", "../../etc/passwd"),
            LinkTarget::Outside
        );
        assert_eq!(
            resolve_link("design/a.md", "C:\\diagram.png"),
            LinkTarget::Outside
        );
        assert_eq!(
            resolve_link("design/a.md", "https://example.com/x.png"),
            LinkTarget::External
        );
        assert_eq!(
            resolve_link("design/a.md", "mailto:a@b.c"),
            LinkTarget::External
        );
        assert_eq!(
            resolve_link("design/a.md", "file:///etc/passwd"),
            LinkTarget::Outside
        );
        assert_eq!(resolve_link("design/a.md", "#sla"), LinkTarget::Fragment);
    }
}
