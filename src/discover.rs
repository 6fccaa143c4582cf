//! Stage 1: discover. Decides which documents to lint and where their content
//! comes from: the git index (`--staged`), the work tree (default), or a walk
//! of the folder when there is no repository.

use std::path::{Component, Path, PathBuf};

use git2::Repository;

use crate::config::{CONFIG_FILES, Config, is_under};
use crate::error::Error;
use crate::git;
use crate::snapshot::{Snapshot, WorkTree};
use crate::source::Pending;

/// What to lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every design document of the repository (or folder).
    All,
    /// The staged content of added or modified design documents.
    Staged,
    /// These paths (relative to the current directory), read from disk or,
    /// with `staged`, from the index. Paths outside the design folders are
    /// skipped silently: pre-commit passes every staged file that matches
    /// the hook's filter.
    Paths { paths: Vec<PathBuf>, staged: bool },
}

/// Where designgate runs: the repository (if any) and its root folder.
pub struct Workspace {
    pub root: PathBuf,
    pub repo: Option<Repository>,
}

impl Workspace {
    /// The repository around the current directory, or, outside git, the
    /// nearest folder upwards holding a config file, else `cwd` itself.
    pub fn open(cwd: &Path) -> Result<Workspace, Error> {
        match git::open()? {
            Some(repo) => {
                let root = match repo.workdir() {
                    Some(w) => w.to_owned(),
                    // A bare repository: only index/object reads make sense.
                    None => cwd.to_owned(),
                };
                Ok(Workspace {
                    root: canonical(&root)?,
                    repo: Some(repo),
                })
            }
            None => {
                let cwd = canonical(cwd)?;
                let root = cwd
                    .ancestors()
                    .find(|dir| CONFIG_FILES.iter().any(|f| dir.join(f).is_file()))
                    .unwrap_or(&cwd)
                    .to_owned();
                Ok(Workspace { root, repo: None })
            }
        }
    }

    /// The snapshot that links in the selected documents resolve against:
    /// the same content the documents are read from.
    pub fn snapshot(&self, selection: &Selection) -> Result<Box<dyn Snapshot>, Error> {
        let _ = selection;
        Ok(Box::new(WorkTree {
            root: self.root.clone(),
        }))
    }

    /// Lists the documents to lint, sorted by path.
    pub fn discover(
        &self,
        config: &Config,
        selection: &Selection,
        cwd: &Path,
    ) -> Result<Vec<Pending>, Error> {
        let mut found = match (selection, &self.repo) {
            (Selection::All, Some(repo)) => git::all(repo, &git::work_tree(repo)?, config)?,
            (Selection::All, None) => self.walk(&self.root, config)?,
            (Selection::Staged, Some(repo)) => git::staged(repo, config)?,
            (Selection::Staged | Selection::Paths { staged: true, .. }, None) => {
                return Err(Error::Usage(
                    "--staged needs a git repository, and this is not inside one".into(),
                ));
            }
            (Selection::Paths { paths, staged }, repo) => {
                let named = self.resolve_all(&canonical(cwd)?, paths)?;
                match repo {
                    Some(repo) if *staged => git::staged(repo, config)?
                        .into_iter()
                        .filter(|p| named.contains(p.path()))
                        .collect(),
                    _ => {
                        // A folder means what `check` without paths would
                        // find there: in git, tracked and unignored files.
                        let mut out = match repo {
                            Some(repo) if !named.dirs.is_empty() => {
                                git::all(repo, &git::work_tree(repo)?, config)?
                                    .into_iter()
                                    .filter(|p| named.in_dirs(p.path()))
                                    .collect()
                            }
                            _ => {
                                let mut out = Vec::new();
                                for dir in &named.dirs {
                                    out.extend(self.walk(&self.root.join(dir), config)?);
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

    /// Walks `dir` (inside the root) for design documents, without following
    /// symlinks.
    fn walk(&self, dir: &Path, config: &Config) -> Result<Vec<Pending>, Error> {
        let mut out = Vec::new();
        let walker = walkdir::WalkDir::new(dir).follow_links(false).into_iter();
        for entry in walker.filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name())) {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(dir).to_owned();
                Error::io(path, e.into())
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            if let Some(rel) = self.relative(entry.path())
                && config.is_design_doc(&rel)
            {
                out.push(Pending::File {
                    path: rel,
                    abs: entry.path().to_owned(),
                });
            }
        }
        Ok(out)
    }

    fn relative(&self, abs: &Path) -> Option<String> {
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
    fn resolve(&self, cwd: &Path, path: &Path) -> Result<Resolved, Error> {
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

enum Resolved {
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
