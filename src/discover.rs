//! Stage 1: discover. Decides which documents to lint and where their content
//! comes from: the work tree (default), the git index (`--staged`), a
//! commit's tree (`--rev`, `--diff`), or a walk of the folder when there is
//! no repository (or no `git` to read it with).

use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::config::{CONFIG_FILES, Config, is_under};
use crate::error::Error;
use crate::git::{self, Found, Object, Repo};
use crate::snapshot::{self, GitContent, Snapshot, WorkTree};
use crate::source::{MAX_DOCUMENT_BYTES, Origin, Pending, Source};

/// What to lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every design document of the repository (or folder).
    All,
    /// The staged content of added or modified design documents.
    Staged,
    /// These paths (relative to the current directory), read from disk or,
    /// with `staged`, from the index. Paths outside the design folders are
    /// skipped here; [`crate::notes`] says so, except under a hook, where
    /// pre-commit passes every staged file that matches the hook's filter.
    Paths { paths: Vec<PathBuf>, staged: bool },
    /// Documents read from one commit (`--rev`, `--diff`); made by
    /// [`Workspace::commits`].
    Commit(Commits),
}

/// The commit whose tree is read, and which of its documents to lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commits {
    /// The full id of the commit whose tree is read.
    pub commit: String,
    /// The full id of the commit to compare with: only documents that
    /// differ from it are linted. `None`: every design document (`--rev`
    /// alone, or an all-zeros base, which is how hooks name a new ref).
    pub base: Option<String>,
}

/// `--diff` as written: `BASE`, `BASE..HEAD` or `BASE...HEAD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeSpec<'a> {
    pub base: &'a str,
    /// The right side, if written.
    pub head: Option<&'a str>,
    /// `...`: compare with the merge base of both sides.
    pub merge_base: bool,
}

/// Splits a `--diff` value. The right side may be left out (`main..`), as
/// in git; the base may not.
pub fn parse_range(spec: &str) -> Result<RangeSpec<'_>, Error> {
    let (base, head, merge_base) = if let Some((a, b)) = spec.split_once("...") {
        (a, b, true)
    } else if let Some((a, b)) = spec.split_once("..") {
        (a, b, false)
    } else {
        (spec, "", false)
    };
    if base.is_empty() {
        return Err(Error::Usage(format!(
            "--diff `{spec}` has no base commit; write BASE, BASE..HEAD or BASE...HEAD"
        )));
    }
    Ok(RangeSpec {
        base,
        head: (!head.is_empty()).then_some(head),
        merge_base,
    })
}

/// The design folders `--staged` discovery listed, and the index entries
/// under them.
type IndexListing = (Vec<String>, git::Known);

/// Where designgate runs: the repository (if any) and its root folder.
pub struct Workspace {
    /// The work tree root; in a bare repository, the current folder.
    pub root: PathBuf,
    pub repo: Option<Repo>,
    /// Why `git` could not be used in what looks like a repository (a
    /// `.git` above the current folder, or `GIT_DIR` set).
    no_git: Option<String>,
    /// The index entries under the design folders that `--staged`
    /// discovery listed, for [`Workspace::snapshot`]: the index is read
    /// once per run.
    index_listing: Mutex<Option<IndexListing>>,
    /// Every file (UTF-8 names) the walk of the whole root found, for the
    /// notes that list the design folders' files ([`Workspace::walked`]):
    /// the tree is walked once per run.
    walked: Mutex<Option<Vec<String>>>,
    /// The staged diff started by [`Workspace::open_staged`], for the
    /// first `--staged` discovery.
    staged_diff: Mutex<Option<git::StagedDiff>>,
    /// The `cat-file` started with it: it reads the staged documents, and
    /// then answers the snapshot's link lookups.
    batch: Mutex<Option<git::Batch>>,
}

impl Workspace {
    /// The repository around the current directory, or, outside git, the
    /// nearest folder upwards holding a config file, else `cwd` itself.
    ///
    /// why: when `git` cannot be run inside a repository, plain `check`
    /// still works by walking the work tree (ignored files included), and
    /// the modes that need git say so.
    pub fn open(cwd: &Path) -> Result<Workspace, Error> {
        let found = git::open(cwd)?;
        if let Found::Repo(repo) = found {
            let root = repo.work_tree().unwrap_or(cwd).to_owned();
            return Ok(Workspace {
                root: canonical(&root)?,
                repo: Some(repo),
                no_git: None,
                index_listing: Mutex::new(None),
                walked: Mutex::new(None),
                staged_diff: Mutex::new(None),
                batch: Mutex::new(None),
            });
        }
        let cwd = canonical(cwd)?;
        let enclosing = match &found {
            Found::NoGit(_) => cwd.ancestors().find(|d| d.join(".git").exists()),
            _ => None,
        };
        let no_git = match found {
            Found::NoGit(e) if enclosing.is_some() || std::env::var_os("GIT_DIR").is_some() => {
                Some(e.to_string())
            }
            _ => None,
        };
        let root = enclosing
            .or_else(|| {
                cwd.ancestors()
                    .find(|dir| CONFIG_FILES.iter().any(|f| dir.join(f).is_file()))
            })
            .unwrap_or(&cwd)
            .to_owned();
        Ok(Workspace {
            root,
            repo: None,
            no_git,
            index_listing: Mutex::new(None),
            walked: Mutex::new(None),
            staged_diff: Mutex::new(None),
            batch: Mutex::new(None),
        })
    }

    /// [`Workspace::open`] for a run that will check staged documents: git
    /// starts reading the index (see [`git::StagedDiff`]) before the
    /// repository is even found, and [`Workspace::discover`] takes its
    /// answer.
    pub fn open_staged(cwd: &Path) -> Result<Workspace, Error> {
        let diff = git::StagedDiff::start(cwd);
        // why: `rev-parse` (in `open`) before `cat-file`: loading the
        // configuration and compiling its patterns wait for it, while
        // `cat-file` is only asked once the diff is in, and starts well
        // before that either way.
        let workspace = Workspace::open(cwd)?;
        if workspace.repo.is_some() {
            *lock(&workspace.staged_diff) = Some(diff);
            *lock(&workspace.batch) = git::Batch::start(cwd);
        }
        Ok(workspace)
    }

    /// The repository, for a mode (`what`) that cannot work without one.
    fn require_repo(&self, what: &str) -> Result<&Repo, Error> {
        match (&self.repo, &self.no_git) {
            (Some(repo), _) => Ok(repo),
            (None, Some(why)) => Err(Error::Usage(format!(
                "{what} needs git, but `git` could not be run ({why}); install git or put it on PATH"
            ))),
            (None, None) => Err(Error::Usage(format!(
                "{what} needs a git repository, and this is not inside one"
            ))),
        }
    }

    /// The repository, for a mode (`what`) that reads its work tree or index.
    fn require_work_tree(&self, what: &str) -> Result<&Repo, Error> {
        let repo = self.require_repo(what)?;
        if repo.work_tree().is_none() {
            return Err(Error::Usage(format!(
                "{what} needs a work tree, and this is a bare repository (or a .git folder); check a commit with --rev REV or --diff BASE..REV"
            )));
        }
        Ok(repo)
    }

    /// Resolves `--rev` and `--diff` to commits. `--diff BASE` alone means
    /// `BASE..HEAD`; with `--rev REV` it means `BASE..REV`. An all-zeros
    /// base means the empty tree: every document of the commit is new.
    pub fn commits(&self, rev: Option<&str>, diff: Option<&str>) -> Result<Selection, Error> {
        let what = if diff.is_some() { "--diff" } else { "--rev" };
        // The command line is checked before the repository is looked at.
        let range = diff.map(parse_range).transpose()?;
        for rev in [
            rev,
            range.as_ref().map(|r| r.base),
            range.as_ref().and_then(|r| r.head),
        ]
        .into_iter()
        .flatten()
        {
            git::validate_rev(rev)?;
        }
        let repo = self.require_repo(what)?;
        let head = match (rev, range.as_ref().and_then(|r| r.head)) {
            (Some(_), Some(_)) => {
                return Err(Error::Usage(
                    "--rev and the right side of --diff both name the commit to check; use --rev REV --diff BASE, or --diff BASE..REV alone".into(),
                ));
            }
            (Some(rev), None) | (None, Some(rev)) => rev,
            (None, None) => "HEAD",
        };
        if git::is_null_id(head) {
            return Err(Error::Usage(format!(
                "`{head}` is the all-zeros id (a deleted ref): there is no commit to check"
            )));
        }
        let commit = repo.commit_id(head)?;
        let base = match range {
            None => None,
            Some(r) if git::is_null_id(r.base) => None,
            Some(r) => {
                let base = repo.commit_id(r.base)?;
                if r.merge_base {
                    Some(repo.merge_base(&base, &commit)?.ok_or_else(|| {
                        Error::Usage(format!(
                            "`{}` and `{head}` have no common ancestor, so `...` has no merge base; compare the two trees with `..`{}",
                            r.base,
                            repo.shallow_hint()
                        ))
                    })?)
                } else {
                    Some(base)
                }
            }
        };
        Ok(Selection::Commit(Commits { commit, base }))
    }

    /// The configuration for `selection`: `explicit` (`--config`) if given
    /// (see [`Config::load`]); with `config_from` (`--config-from REV`),
    /// the one committed in that commit's tree; for a commit, the one
    /// committed in its own tree; otherwise the work tree's. Pack files come
    /// from the same place as the configuration that names them.
    ///
    /// why: a bare repository has no work tree to read the rules from, and
    /// a committed configuration must not reach outside its commit. Where
    /// the pusher must not choose the rules (pre-receive, CI on pull
    /// requests), `config_from` names a commit they do not control.
    pub fn config(
        &self,
        selection: &Selection,
        cwd: &Path,
        explicit: Option<&Path>,
        config_from: Option<&str>,
    ) -> Result<Config, Error> {
        if let Some(rev) = config_from {
            if explicit.is_some() {
                return Err(Error::Usage(
                    "--config and --config-from both name the configuration; give one".into(),
                ));
            }
            git::validate_rev(rev)?;
            let repo = self.require_repo("--config-from")?;
            let commit = repo.commit_id(rev)?;
            let files = snapshot::Git::new(repo.clone(), GitContent::Commit(commit));
            return Config::in_snapshot(&files, None);
        }
        match (selection, explicit, &self.repo) {
            (Selection::Commit(c), None, Some(repo)) => {
                let files = snapshot::Git::new(repo.clone(), GitContent::Commit(c.commit.clone()));
                Config::in_snapshot(&files, None)
            }
            _ => Config::load(&self.root, cwd, explicit),
        }
    }

    /// The snapshot that links in the selected documents resolve against:
    /// the same content the documents are read from.
    pub fn snapshot(&self, selection: &Selection) -> Result<Box<dyn Snapshot>, Error> {
        let content = match selection {
            Selection::All | Selection::Paths { staged: false, .. } => None,
            Selection::Staged | Selection::Paths { staged: true, .. } => Some(GitContent::Index),
            Selection::Commit(c) => Some(GitContent::Commit(c.commit.clone())),
        };
        let known = lock(&self.index_listing).take();
        match (content, &self.repo) {
            (Some(GitContent::Index), Some(repo)) if known.is_some() => {
                let (dirs, entries) =
                    known.unwrap_or((Vec::new(), git::Known::Entries(Vec::new())));
                Ok(Box::new(snapshot::Git::with_index(
                    repo.clone(),
                    dirs,
                    entries,
                    lock(&self.batch).take(),
                )))
            }
            (Some(content), Some(repo)) => Ok(Box::new(snapshot::Git::new(repo.clone(), content))),
            _ => Ok(Box::new(WorkTree {
                root: self.root.clone(),
                shown_from: None,
            })),
        }
    }

    /// Lists the documents to lint, sorted by path.
    pub fn discover(
        &self,
        config: &Config,
        selection: &Selection,
        cwd: &Path,
    ) -> Result<Vec<Pending>, Error> {
        let mut found = match selection {
            Selection::All => match &self.repo {
                Some(_) => self.work_tree_docs(config)?,
                None => {
                    let mut all = Vec::new();
                    let found = self.walk(&self.root, config, Some(&mut all))?;
                    *self.walked.lock().unwrap_or_else(PoisonError::into_inner) = Some(all);
                    found
                }
            },
            Selection::Staged => {
                let repo = self.require_work_tree("--staged")?;
                let staged = self.staged(repo, config)?;
                read_blobs(repo, staged, config, Origin::Index, Some(&self.batch))?
            }
            Selection::Commit(c) => {
                let repo = self.require_repo("--rev")?;
                let docs = repo.changed(c.base.as_deref(), &c.commit, &config.design_dirs)?;
                read_blobs(repo, docs, config, Origin::Commit, None)?
            }
            Selection::Paths { paths, staged } => {
                let repo = if *staged {
                    Some(self.require_work_tree("--staged")?)
                } else {
                    None
                };
                let named = self.resolve_all(&canonical(cwd)?, paths)?;
                match repo {
                    Some(repo) => {
                        let docs = self
                            .staged(repo, config)?
                            .into_iter()
                            .filter(|b| named.contains(&b.path))
                            .collect();
                        read_blobs(repo, docs, config, Origin::Index, Some(&self.batch))?
                    }
                    None => {
                        // A folder means what `check` without paths would
                        // find there: in git, tracked and unignored files.
                        let mut out = match &self.repo {
                            Some(_) if !named.dirs.is_empty() => self
                                .work_tree_docs(config)?
                                .into_iter()
                                .filter(|p| named.in_dirs(p.path()))
                                .collect(),
                            _ => {
                                let mut out = Vec::new();
                                for dir in &named.dirs {
                                    out.extend(self.walk(&self.root.join(dir), config, None)?);
                                }
                                out
                            }
                        };
                        out.extend(
                            named
                                .files
                                .into_iter()
                                .filter(|rel| config.is_design_doc(rel))
                                .map(|rel| Pending::File {
                                    abs: self.root.join(&rel),
                                    path: rel,
                                    listed: false,
                                }),
                        );
                        out
                    }
                }
            }
        };
        found.sort_by(|a, b| a.path().cmp(b.path()));
        found.dedup_by(|a, b| a.path() == b.path());
        Ok(found)
    }

    /// The staged documents under the design folders; the index entries
    /// listed on the way are kept for [`Workspace::snapshot`].
    fn staged(&self, repo: &Repo, config: &Config) -> Result<Vec<git::Blob>, Error> {
        let diff = lock(&self.staged_diff)
            .take()
            .unwrap_or_else(|| git::StagedDiff::start(repo.cwd()));
        let listing = repo.staged_listing_from(&config.design_dirs, diff)?;
        *lock(&self.index_listing) = Some((config.design_dirs.clone(), listing.entries));
        Ok(listing.changed)
    }

    /// Every design document of the work tree: tracked files that exist on
    /// disk, plus untracked files that git does not ignore.
    fn work_tree_docs(&self, config: &Config) -> Result<Vec<Pending>, Error> {
        let repo = self.require_work_tree("`check` without --rev or --diff")?;
        Ok(repo
            .work_tree_files(&config.design_dirs)?
            .into_iter()
            .filter(|(path, _)| config.is_design_doc(path))
            .filter_map(|(path, utf8)| {
                if !utf8 {
                    return Some(Pending::BadName {
                        path,
                        origin: Origin::Disk,
                    });
                }
                let abs = self.root.join(&path);
                // A tracked file deleted from the work tree has nothing to
                // lint; a symlink is not followed; a submodule is a folder.
                let meta = std::fs::symlink_metadata(&abs).ok()?;
                meta.file_type().is_file().then_some(Pending::File {
                    path,
                    abs,
                    listed: true,
                })
            })
            .collect())
    }

    /// Walks `dir` (inside the root) for design documents, without following
    /// symlinks.
    ///
    /// why: its folders are listed on all cores (each folder a task). Listing
    /// a tree of a thousand folders (the KEPs) on one core cost as much as
    /// `rg` takes to search it,
    /// and the walk must end before checking starts (documents are checked
    /// and reported in path order).
    ///
    /// `all`, if given, receives every file found (UTF-8 names), design
    /// document or not.
    fn walk(
        &self,
        dir: &Path,
        config: &Config,
        all: Option<&mut Vec<String>>,
    ) -> Result<Vec<Pending>, Error> {
        let keep = all.is_some();
        let found = Mutex::new((Vec::new(), Vec::new()));
        // The failure with the smallest path, so that the error does not
        // depend on which thread got there first.
        let failed: Mutex<Option<(PathBuf, std::io::Error)>> = Mutex::new(None);
        rayon::scope(|s| self.walk_folder(s, dir.to_owned(), config, keep, &found, &failed));
        if let Some((path, e)) = lock(&failed).take() {
            return Err(Error::io(path, e));
        }
        let (out, files) = std::mem::take(&mut *lock(&found));
        if let Some(all) = all {
            *all = files;
        }
        Ok(out)
    }

    /// Lists `folder` (hidden entries left out, symlinks not followed)
    /// into `found` (documents, and files when `keep`), and walks its
    /// subfolders as tasks of `scope`.
    fn walk_folder<'s>(
        &'s self,
        scope: &rayon::Scope<'s>,
        folder: PathBuf,
        config: &'s Config,
        keep: bool,
        found: &'s Mutex<(Vec<Pending>, Vec<String>)>,
        failed: &'s Mutex<Option<(PathBuf, std::io::Error)>>,
    ) {
        let fail = |path: PathBuf, e: std::io::Error| {
            let mut failed = lock(failed);
            if failed.as_ref().is_none_or(|(first, _)| path < *first) {
                *failed = Some((path, e));
            }
        };
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) => return fail(folder, e),
        };
        let (mut out, mut files) = (Vec::new(), Vec::new());
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => return fail(folder, e),
            };
            if is_hidden(&entry.file_name()) {
                continue;
            }
            let kind = match entry.file_type() {
                Ok(kind) => kind,
                Err(e) => return fail(entry.path(), e),
            };
            if kind.is_dir() {
                let path = entry.path();
                scope.spawn(move |s| self.walk_folder(s, path, config, keep, found, failed));
            } else if kind.is_file() {
                self.take(entry.path(), config, &mut out, keep.then_some(&mut files));
            }
        }
        let mut found = lock(found);
        found.0.extend(out);
        found.1.extend(files);
    }

    /// Adds the walked file at `path` to `out` if it is a design document,
    /// and to `all` if its name is UTF-8.
    fn take(
        &self,
        path: PathBuf,
        config: &Config,
        out: &mut Vec<Pending>,
        all: Option<&mut Vec<String>>,
    ) {
        match self.relative(&path) {
            Some(rel) => {
                if config.is_design_doc(&rel) {
                    out.push(Pending::File {
                        path: rel.clone(),
                        abs: path,
                        listed: true,
                    });
                }
                if let Some(all) = all {
                    all.push(rel);
                }
            }
            None => {
                // A name that is not UTF-8: reported, never skipped.
                let rel = path.strip_prefix(&self.root).unwrap_or(&path);
                let (rel, _) = git::escape_path(rel.as_os_str().as_encoded_bytes());
                if config.is_design_doc(&rel) {
                    out.push(Pending::BadName {
                        path: rel,
                        origin: Origin::Disk,
                    });
                }
            }
        }
    }

    /// The files (UTF-8 names) under `dirs` as a walk of each would find
    /// them, from the walk `check` made of the whole root, if it made one
    /// and it saw the same: no folder of `dirs` is hidden or a symlink (a
    /// walk of the root skips the one and does not enter the other).
    pub(crate) fn walked(&self, dirs: &[String]) -> Option<Vec<String>> {
        let walked = self.walked.lock().unwrap_or_else(PoisonError::into_inner);
        let files = walked.as_ref()?;
        for dir in dirs {
            let mut at = self.root.clone();
            for part in dir.split('/').filter(|p| !p.is_empty() && *p != ".") {
                at.push(part);
                let plain_dir =
                    std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_dir());
                if part.starts_with('.') || !plain_dir {
                    return None;
                }
            }
        }
        Some(
            files
                .iter()
                .filter(|f| dirs.iter().any(|d| crate::config::is_under(f, d)))
                .cloned()
                .collect(),
        )
    }

    pub(crate) fn relative(&self, abs: &Path) -> Option<String> {
        let rel = abs.strip_prefix(&self.root).ok()?;
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        Some(parts?.join("/"))
    }

    /// Sorts command-line paths into repository-relative files and folders.
    fn resolve_all(&self, cwd: &Path, paths: &[PathBuf]) -> Result<Named, Error> {
        let mut named = Named::default();
        for p in paths {
            match self.resolve(cwd, p)? {
                Resolved::File(rel) => named.files.push(rel),
                Resolved::Dir(rel) => named.dirs.push(rel),
            }
        }
        Ok(named)
    }

    /// Turns a command-line path into a repository-relative one.
    pub(crate) fn resolve(&self, cwd: &Path, path: &Path) -> Result<Resolved, Error> {
        let abs = lexical(&cwd.join(path));
        let meta = std::fs::symlink_metadata(&abs).map_err(|e| Error::io(path, e))?;
        // why: resolve the parent folder but not the file itself, so that a
        // symlinked document keeps its own path; a symlink that leaves the
        // repository is caught when its target is checked below.
        let real = if meta.file_type().is_symlink() {
            let target = std::fs::canonicalize(&abs).map_err(|e| Error::io(path, e))?;
            if !target.starts_with(&self.root) {
                return Err(Error::Usage(format!(
                    "{}: a symlink to {}, which is outside the repository at {}",
                    path.display(),
                    target.display(),
                    self.root.display()
                )));
            }
            abs.clone()
        } else {
            canonical(&abs)?
        };
        let rel = self.relative(&real).ok_or_else(|| {
            if real.starts_with(&self.root) {
                // Inside, but a name that is not UTF-8: never skipped.
                let (shown, _) = git::escape_path(path.as_os_str().as_encoded_bytes());
                return Error::Usage(format!(
                    "{shown}: the file name is not valid UTF-8, so designgate cannot check it; rename it"
                ));
            }
            Error::Usage(format!(
                "{}: outside the repository at {}",
                path.display(),
                self.root.display()
            ))
        })?;
        if std::fs::metadata(&abs)
            .map_err(|e| Error::io(path, e))?
            .is_dir()
        {
            Ok(Resolved::Dir(rel))
        } else {
            Ok(Resolved::File(rel))
        }
    }
}

pub(crate) enum Resolved {
    File(String),
    Dir(String),
}

/// Paths named on the command line, repository-relative; `""` is the root.
#[derive(Default)]
struct Named {
    files: Vec<String>,
    dirs: Vec<String>,
}

impl Named {
    fn in_dirs(&self, path: &str) -> bool {
        self.dirs.iter().any(|d| is_under(path, d))
    }

    fn contains(&self, path: &str) -> bool {
        self.files.iter().any(|f| f == path) || self.in_dirs(path)
    }
}

/// Reads the content of the design documents among `blobs` in one `git
/// cat-file --batch`. A name that is not UTF-8 is not read: it is reported.
fn read_blobs(
    repo: &Repo,
    blobs: Vec<git::Blob>,
    config: &Config,
    origin: Origin,
    batch: Option<&Mutex<Option<git::Batch>>>,
) -> Result<Vec<Pending>, Error> {
    let (docs, bad): (Vec<git::Blob>, Vec<git::Blob>) = blobs
        .into_iter()
        .filter(|b| config.is_design_doc(&b.path))
        .partition(|b| b.utf8);
    let ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
    // A `cat-file` already running reads them if it can; if git failed
    // there, a new one says why.
    let read = match batch {
        Some(batch) if !ids.is_empty() => lock(batch)
            .as_mut()
            .and_then(|b| b.read(&ids, MAX_DOCUMENT_BYTES)),
        _ => None,
    };
    let objects = match read {
        Some(objects) => objects,
        None => repo.read_objects(&ids, MAX_DOCUMENT_BYTES)?,
    };
    let bad = bad.into_iter().map(|b| {
        Ok(Pending::BadName {
            path: b.path,
            origin,
        })
    });
    docs.into_iter()
        .zip(objects)
        .map(|(doc, object)| match object {
            Object::Content(bytes) => {
                Ok(Pending::Loaded(Source::from_git(doc.path, origin, bytes)))
            }
            Object::TooLarge(size) => {
                Ok(Pending::Loaded(Source::oversized(doc.path, origin, size)))
            }
            Object::Missing => Err(Error::Git {
                command: "cat-file".into(),
                message: format!(
                    "{}: object {} is missing from the repository",
                    doc.path, doc.id
                ),
            }),
        })
        .chain(bad)
        .collect()
}

/// Locks `m`; a panic elsewhere leaves its data usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn canonical(path: &Path) -> Result<PathBuf, Error> {
    std::fs::canonicalize(path).map_err(|e| Error::io(path, e))
}

/// Removes `.` and resolves `..` without touching the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{RangeSpec, parse_range};

    fn range(base: &str, head: Option<&str>, merge_base: bool) -> RangeSpec<'static> {
        RangeSpec {
            base: Box::leak(base.to_owned().into_boxed_str()),
            head: head.map(|h| &*Box::leak(h.to_owned().into_boxed_str())),
            merge_base,
        }
    }

    #[test]
    fn ranges_mirror_git_diff() {
        assert_eq!(parse_range("main").unwrap(), range("main", None, false));
        assert_eq!(parse_range("main..").unwrap(), range("main", None, false));
        assert_eq!(
            parse_range("main..topic").unwrap(),
            range("main", Some("topic"), false)
        );
        assert_eq!(
            parse_range("origin/main...HEAD").unwrap(),
            range("origin/main", Some("HEAD"), true)
        );
        assert_eq!(parse_range("v1...").unwrap(), range("v1", None, true));
        for missing_base in ["", "..", "...", "..HEAD", "...HEAD"] {
            let e = parse_range(missing_base).unwrap_err().to_string();
            assert!(e.contains("has no base commit"), "{missing_base}: {e}");
        }
    }
}
