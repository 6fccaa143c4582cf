//! What a check did not look at, and why: named paths that are not design
//! documents, design folders that do not exist, `include` patterns that
//! match nothing, config files in subfolders that are not read, and staged
//! documents whose work-tree copy differs. A note never changes the exit
//! code; it keeps a pass from being silent.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::{CONFIG_FILES, Config, Skip};
use crate::discover::{Resolved, Selection, Workspace};
use crate::git;

/// One thing designgate did not check, or checked differently from what
/// the user may expect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// What kind of note: `outside-design-dirs`, `excluded`, `not-included`,
    /// `missing-design-dir`, `include-unmatched`, `unused-config`,
    /// `no-documents`, `unstaged-changes`, or about a baseline (see
    /// [`crate::baseline`]): `baseline-fixed`, `baseline-unavailable`,
    /// `baseline-renames`.
    pub kind: &'static str,
    /// The path it is about, as named on the command line or
    /// repository-relative.
    pub path: Option<String>,
    pub message: String,
}

impl Note {
    pub(crate) fn new(kind: &'static str, path: Option<String>, message: String) -> Note {
        Note {
            kind,
            path,
            message,
        }
    }
}

/// Whether designgate runs inside a git hook or a hook manager: `--staged`,
/// pre-commit and prek (`PRE_COMMIT`), or any git pre-commit hook (git sets
/// `GIT_INDEX_FILE` for it).
///
/// why: a hook manager passes every staged file that matches its filter;
/// that files outside the design folders are skipped is expected there, and
/// a note on each would repeat on every commit.
pub fn in_hook(selection: &Selection) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    matches!(
        selection,
        Selection::Staged | Selection::Paths { staged: true, .. }
    ) || set("PRE_COMMIT")
        || set("GIT_INDEX_FILE")
}

/// The notes for a finished check of `selection` with `config`, given the
/// documents it checked. `chosen`: the configuration was named on the
/// command line (`--config`, `--config-from`), so other configuration
/// files in the work tree are not worth a note.
pub fn for_run(
    workspace: &Workspace,
    config: &Config,
    selection: &Selection,
    cwd: &Path,
    run: &crate::Run,
    chosen: bool,
) -> Vec<Note> {
    let files = &run.paths;
    let hook = in_hook(selection);
    let mut notes = Vec::new();
    match selection {
        Selection::All => {
            notes.extend(missing_dirs(workspace, config));
            notes.extend(unmatched_includes(workspace, config));
            if !chosen {
                notes.extend(unused_configs(workspace, config, cwd, files));
            }
            if files.is_empty() && notes.is_empty() {
                notes.push(no_documents(config));
            }
        }
        Selection::Paths { paths, .. } if !hook => {
            notes.extend(skipped_paths(workspace, config, cwd, paths));
        }
        _ => {}
    }
    if matches!(
        selection,
        Selection::Staged | Selection::Paths { staged: true, .. }
    ) {
        notes.extend(unstaged(&run.unstaged));
    }
    notes
}

fn shown_dirs(config: &Config) -> String {
    config
        .design_dirs
        .iter()
        .map(|d| {
            if d.is_empty() {
                "./".to_owned()
            } else {
                format!("{d}/")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The design folders and where they come from, for messages.
fn dirs_origin(config: &Config) -> String {
    match &config.file {
        Some(f) => format!(
            "{}, from `design_dirs` in {}",
            shown_dirs(config),
            f.display()
        ),
        None => format!(
            "{}, the default without a designgate.toml",
            shown_dirs(config)
        ),
    }
}

/// The config file, for messages.
fn config_name(config: &Config) -> String {
    match &config.file {
        Some(f) => f.display().to_string(),
        None => "designgate.toml".to_owned(),
    }
}

/// Paths named on the command line that are not design documents.
fn skipped_paths(
    workspace: &Workspace,
    config: &Config,
    cwd: &Path,
    paths: &[PathBuf],
) -> Vec<Note> {
    let Ok(cwd) = std::fs::canonicalize(cwd) else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    for p in paths {
        let shown = p.display().to_string();
        let Ok(resolved) = workspace.resolve(&cwd, p) else {
            continue;
        };
        let cause = match resolved {
            Resolved::File(rel) => config.skip_reason(&rel),
            // A folder is looked into if it is in a design folder or holds one.
            Resolved::Dir(rel) => {
                let related = config.design_dirs.iter().any(|d| {
                    crate::config::is_under(&rel, d)
                        || rel == *d
                        || crate::config::is_under(d, &rel)
                });
                (!related).then_some(Skip::OutsideDesignDirs)
            }
        };
        let Some(cause) = cause else { continue };
        let (kind, why) = match cause {
            Skip::OutsideDesignDirs => (
                "outside-design-dirs",
                format!("outside the design folders ({})", dirs_origin(config)),
            ),
            Skip::Excluded => (
                "excluded",
                format!("matched by `exclude` in {}", config_name(config)),
            ),
            Skip::NotIncluded if config.has_include() => (
                "not-included",
                format!("not matched by `include` in {}", config_name(config)),
            ),
            Skip::NotIncluded => (
                "not-included",
                "not a Markdown file (.md or .markdown; set `include` in designgate.toml for others)"
                    .to_owned(),
            ),
        };
        notes.push(Note::new(
            kind,
            Some(shown.clone()),
            format!("{shown}: not checked: {why}"),
        ));
    }
    notes
}

/// Design folders that do not exist in the work tree.
fn missing_dirs(workspace: &Workspace, config: &Config) -> Vec<Note> {
    config
        .design_dirs
        .iter()
        .filter(|d| !d.is_empty() && !workspace.root.join(d).is_dir())
        .map(|d| {
            Note::new(
                "missing-design-dir",
                Some(d.clone()),
                format!(
                    "design folder `{d}/` does not exist, so nothing in it was checked (design folders: {})",
                    dirs_origin(config)
                ),
            )
        })
        .collect()
}

/// Files of the work tree under `pathspecs`: listed by git in a
/// repository, else walked (hidden folders skipped).
fn listed(workspace: &Workspace, pathspecs: &[String], dirs: &[String]) -> Vec<String> {
    if let Some(repo) = &workspace.repo {
        return repo.listed_files(pathspecs).unwrap_or_default();
    }
    if let Some(files) = workspace.walked(dirs) {
        return files;
    }
    let mut out = Vec::new();
    for dir in dirs {
        let walker = walkdir::WalkDir::new(workspace.root.join(dir))
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !e.file_name().to_str().is_some_and(|n| n.starts_with('.'))
            });
        for entry in walker.flatten() {
            if entry.file_type().is_file()
                && let Some(rel) = workspace.relative(entry.path())
            {
                out.push(rel);
            }
        }
    }
    out
}

/// `include` patterns written in the config that match no file in the
/// design folders.
fn unmatched_includes(workspace: &Workspace, config: &Config) -> Vec<Note> {
    if !config.has_include() {
        return Vec::new();
    }
    let files = listed(
        workspace,
        &git::pathspecs(&config.design_dirs),
        &config.design_dirs,
    );
    config
        .unmatched_includes(&files)
        .into_iter()
        .map(|glob| {
            Note::new(
                "include-unmatched",
                None,
                format!(
                    "`include` pattern `{glob}` in {} matches no file in the design folders ({}); patterns are relative to the folder holding the config file",
                    config_name(config),
                    shown_dirs(config)
                ),
            )
        })
        .collect()
}

/// Config files in subfolders: designgate reads only the one at the root
/// (or `--config`), so their settings do not apply.
fn unused_configs(
    workspace: &Workspace,
    config: &Config,
    cwd: &Path,
    files: &[String],
) -> Vec<Note> {
    let Some(_) = &workspace.repo else {
        return Vec::new();
    };
    let specs: Vec<String> = CONFIG_FILES
        .iter()
        .map(|f| format!(":(top,glob)**/{f}"))
        .collect();
    let in_use = config
        .file
        .as_ref()
        .and_then(|f| std::fs::canonicalize(cwd.join(f)).ok());
    listed(workspace, &specs, &[])
        .into_iter()
        .filter_map(|rel| {
            let folder = rel.rsplit_once('/')?.0.to_owned();
            // The checked documents it seems to govern, for the message.
            let governed = files
                .iter()
                .filter(|f| f.strip_prefix(folder.as_str()).is_some_and(|r| r.starts_with('/')))
                .count();
            let abs = workspace.root.join(&rel);
            (in_use.as_ref() != std::fs::canonicalize(&abs).ok().as_ref())
                .then_some((rel, folder, governed))
        })
        .map(|(rel, folder, governed)| {
            let scope = match governed {
                0 => String::new(),
                1 => format!(" for the document below `{folder}/`"),
                n => format!(" for the {n} documents below `{folder}/`"),
            };
            Note::new(
                "unused-config",
                Some(rel.clone()),
                format!(
                    "`{rel}` is not used{scope}: one configuration applies to a whole run (the one found from the current folder, or `--config FILE`); run from `{folder}` or with `--config {rel}` to use it, or move its settings into the configuration in use"
                ),
            )
        })
        .collect()
}

/// The generic note for a whole-repository check that found nothing, when
/// no more precise cause was found.
fn no_documents(config: &Config) -> Note {
    Note::new(
        "no-documents",
        None,
        format!(
            "no design documents found in {} (set `design_dirs` in designgate.toml)",
            shown_dirs(config)
        ),
    )
}

/// Staged documents whose work-tree copy differs from the index.
fn unstaged(files: &[String]) -> Vec<Note> {
    files
        .iter()
        .map(|p| {
            Note::new(
                "unstaged-changes",
                Some(p.clone()),
                format!(
                    "{p} has unstaged changes: the staged version was checked (`git add` it to check what is on disk)"
                ),
            )
        })
        .collect()
}
