//! git2 only: opening the repository the way git hooks need, listing the
//! design documents in the index and the work tree, and reading staged blobs.

use std::path::{Path, PathBuf};

use git2::{
    Delta, DiffOptions, FileMode, IndexEntry, IndexEntryExtendedFlag, Repository, StatusOptions,
};

use crate::config::Config;
use crate::error::Error;
use crate::source::{Pending, Source};

/// Opens the repository around the current directory.
///
/// why: `Repository::open_from_env` honours `GIT_DIR`, `GIT_WORK_TREE` and
/// above all `GIT_INDEX_FILE`, which git sets to a temporary index during
/// `git commit <path>` and `git commit -a`. `Repository::discover` would read
/// `.git/index` and lint the wrong content.
pub fn open() -> Result<Option<Repository>, Error> {
    match Repository::open_from_env() {
        Ok(repo) => Ok(Some(repo)),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The work tree root of `repo`.
pub fn work_tree(repo: &Repository) -> Result<PathBuf, Error> {
    repo.workdir().map(Path::to_owned).ok_or_else(|| {
        Error::Usage(
            "this is a bare repository: it has no work tree to lint (use --staged or run inside a clone)"
                .into(),
        )
    })
}

fn pathspecs(config: &Config, opts: &mut DiffOptions) {
    for dir in config.design_dirs.iter().filter(|d| !d.is_empty()) {
        opts.pathspec(dir);
    }
}

fn is_regular(mode: u32) -> bool {
    mode == u32::from(FileMode::Blob) || mode == u32::from(FileMode::BlobExecutable)
}

fn entry_path(entry: &IndexEntry) -> Option<String> {
    String::from_utf8(entry.path.clone()).ok()
}

/// The staged content of design documents that the next commit adds or
/// changes: the index against `HEAD` (or against nothing on an unborn
/// branch). Deleted documents are not returned. If `only` is given, just
/// those repository-relative paths are considered.
pub fn staged(
    repo: &Repository,
    config: &Config,
    only: Option<&[String]>,
) -> Result<Vec<Pending>, Error> {
    let index = repo.index()?;
    let head = match repo.head() {
        Ok(head) => Some(head.peel_to_tree()?),
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
            ) =>
        {
            None
        }
        Err(e) => return Err(e.into()),
    };
    let mut opts = DiffOptions::new();
    pathspecs(config, &mut opts);
    opts.include_typechange(true);
    let diff = repo.diff_tree_to_index(head.as_ref(), Some(&index), Some(&mut opts))?;
    let mut out = Vec::new();
    for delta in diff.deltas() {
        if !matches!(
            delta.status(),
            Delta::Added | Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange
        ) {
            continue;
        }
        let file = delta.new_file();
        // Symlinks and submodules are not documents.
        if !is_regular(u32::from(file.mode())) {
            continue;
        }
        let Some(path) = file
            .path()
            .and_then(Path::to_str)
            .map(|p| p.replace('\\', "/"))
        else {
            continue;
        };
        if !config.is_design_doc(&path) || only.is_some_and(|o| !o.contains(&path)) {
            continue;
        }
        // why: `git add -N` leaves an intent-to-add entry (the empty blob)
        // that `git commit` does not commit; linting it would block a commit
        // that does not contain the document. (`git commit -a` and
        // `git commit <path>` replace it with the real content first.)
        if index.get_path(Path::new(&path), 0).is_some_and(|e| {
            IndexEntryExtendedFlag::from_bits_truncate(e.flags_extended).is_intent_to_add()
        }) {
            continue;
        }
        let blob = repo.find_blob(file.id())?;
        out.push(Pending::Loaded(Source::from_blob(path, blob.content())));
    }
    Ok(out)
}

/// Every design document of the work tree: tracked files (from the index)
/// that exist on disk, plus untracked files that git does not ignore.
pub fn all(repo: &Repository, root: &Path, config: &Config) -> Result<Vec<Pending>, Error> {
    let index = repo.index()?;
    let mut paths = Vec::new();
    let dirs: Vec<&str> = if config.design_dirs.iter().any(String::is_empty) {
        vec![""]
    } else {
        config.design_dirs.iter().map(String::as_str).collect()
    };
    for dir in &dirs {
        // The index is sorted by path: jump to the folder and stop after it.
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let start = if prefix.is_empty() {
            0
        } else {
            match index.find_prefix(prefix.as_str()) {
                Ok(i) => i,
                Err(e) if e.code() == git2::ErrorCode::NotFound => continue,
                Err(e) => return Err(e.into()),
            }
        };
        for i in start..index.len() {
            let Some(entry) = index.get(i) else { break };
            if !entry.path.starts_with(prefix.as_bytes()) {
                break;
            }
            // A conflicted path has up to three entries; `dedup` below keeps one.
            if !is_regular(entry.mode) {
                continue;
            }
            if let Some(path) = entry_path(&entry)
                && config.is_design_doc(&path)
            {
                paths.push(path);
            }
        }
    }

    let mut opts = StatusOptions::new();
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false)
        .exclude_submodules(true);
    for dir in dirs.iter().filter(|d| !d.is_empty()) {
        opts.pathspec(dir);
    }
    for status in repo.statuses(Some(&mut opts))?.iter() {
        if !status.status().contains(git2::Status::WT_NEW) {
            continue;
        }
        if let Ok(path) = status.path()
            && config.is_design_doc(path)
        {
            paths.push(path.to_owned());
        }
    }
    paths.sort();
    paths.dedup();
    Ok(paths
        .into_iter()
        .filter_map(|path| {
            let abs = root.join(&path);
            // A tracked file deleted from the work tree has nothing to lint;
            // a symlink is not followed.
            let meta = std::fs::symlink_metadata(&abs).ok()?;
            meta.file_type()
                .is_file()
                .then_some(Pending::File { path, abs })
        })
        .collect())
}
