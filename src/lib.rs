//! designgate: keeps design documents honest, inside git.
//!
//! The pipeline, one module per stage:
//! 1. [`discover`]: which documents (staged, explicit paths, a commit or
//!    a range of commits, or all);
//! 2. [`source`]: read their content (git index, a commit, or disk);
//! 3. [`markdown`]: parse into sections;
//! 4. [`check`]: evaluate the rules of [`pack`]s chosen by [`config`];
//! 5. [`report`]: render the findings.
//!
//! [`run`] strings stages 1–4 together; the binary picks a renderer.
//! [`install`] writes designgate into a repository's git hooks; [`lsp`]
//! serves the same findings to editors as a language server.
//! [`scorecard`] is another consumer of the findings: `designgate report`.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod author;
pub mod baseline;
mod blocks;
pub mod check;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod diagram;
pub mod discover;
pub mod error;
pub mod git;
pub mod heading;
pub mod html;
pub mod init;
pub mod install;
pub mod lint;
pub mod lsp;
pub mod markdown;
pub mod notes;
pub mod pack;
pub mod report;
pub mod rule_tests;
#[cfg(feature = "schema")]
pub mod schema;
pub mod scorecard;
pub mod snapshot;
pub mod source;
pub mod suggest;
pub mod waiver;
pub mod write;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

pub use config::Config;
pub use diagnostic::{Diagnostic, Summary};
pub use discover::{Selection, Workspace};
pub use error::Error;
pub use lint::FileReport;

/// The outcome of `designgate check`. The reports themselves were handed
/// out one by one as they were made (see [`run`]) and are not kept.
#[derive(Debug, Default)]
pub struct Run {
    /// The paths of the documents checked, sorted.
    pub paths: Vec<String>,
    /// Documents checked from the index whose work-tree copy differs: the
    /// user sees other text than what was checked.
    pub unstaged: Vec<String>,
    /// Documents that could not be read; each makes the run exit with 2.
    pub failures: Vec<Error>,
    pub summary: Summary,
}

/// Documents linted in parallel before their reports are handed out, in
/// path order. Memory holds at most this many documents and reports.
const BATCH: usize = 32;

/// Loads the configuration for the workspace around `cwd` (from the work
/// tree; see [`Workspace::config`] for a commit's own configuration).
pub fn load(cwd: &Path, config: Option<&Path>) -> Result<(Workspace, Config), Error> {
    load_from(cwd, config, None)
}

/// [`load`], or with `config_from`, the configuration committed in that
/// revision (`--config-from`).
pub fn load_from(
    cwd: &Path,
    config: Option<&Path>,
    config_from: Option<&str>,
) -> Result<(Workspace, Config), Error> {
    let workspace = Workspace::open(cwd)?;
    let config = workspace.config(&Selection::All, cwd, config, config_from)?;
    Ok((workspace, config))
}

/// Discovers, reads, parses and checks the selected documents. Each
/// document's report goes through `render` (on a worker thread) as soon as
/// it is checked, and what that returns to `each`, in path order; then it
/// is dropped, so memory stays flat however many documents there are.
///
/// why: three documents of 8 MiB with a placeholder per line needed 5 GB
/// when every report was kept until the end.
pub fn run<R: Send>(
    workspace: &Workspace,
    config: &Config,
    selection: &Selection,
    cwd: &Path,
    render: impl Fn(FileReport) -> R + Sync,
    each: impl FnMut(R) -> Result<(), Error>,
) -> Result<Run, Error> {
    run_with(workspace, config, selection, cwd, None, render, each)
}

/// [`run`] with a baseline: findings it lists are suppressed (see
/// [`baseline`]), and it learns which of its entries still match.
pub fn run_with<R: Send>(
    workspace: &Workspace,
    config: &Config,
    selection: &Selection,
    cwd: &Path,
    baseline: Option<&baseline::Tracker>,
    render: impl Fn(FileReport) -> R + Sync,
    mut each: impl FnMut(R) -> Result<(), Error>,
) -> Result<Run, Error> {
    // why: the patterns checking needs compile on the other core (see
    // `check::warm_up`) while discovery waits for git, and go on compiling
    // while the first documents are checked; once there is nothing left to
    // check, the rest is not waited for.
    //
    // why: the warm-up runs on a clone of the rules, on a thread no one
    // waits for: a run that is done (often the hook, before the warm-up is)
    // used to wait for the pattern being compiled. What it compiles is
    // shared with the original (patterns and sets behind `Arc`s, the
    // heading index too), so checking never compiles anything twice.
    let stop = Arc::new(AtomicBool::new(false));
    let (rules, stop_warm_up) = (config.rules.clone(), Arc::clone(&stop));
    std::thread::spawn(move || check::warm_up(&rules, &stop_warm_up));
    // Whatever the outcome, nothing is left to check.
    struct Stop<'a>(&'a AtomicBool);
    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    let _stop = Stop(&stop);
    let pending = workspace.discover(config, selection, cwd)?;
    if pending.is_empty() {
        stop.store(true, Ordering::Relaxed);
    }
    let snapshot = workspace.snapshot(selection)?;
    let opts = lint::Options {
        rules: &config.rules,
        snapshot: snapshot.as_ref(),
        base: config.base(),
        today: waiver::Date::today(),
    };
    let work = |p: source::Pending| -> Result<(String, Summary, R, bool), Error> {
        let mut unstaged = false;
        let file = match p {
            source::Pending::BadName { path, origin } => lint::bad_name(path, origin),
            p => {
                let source = p.read()?;
                unstaged = differs_on_disk(workspace, &source);
                lint::lint_source_with(source, &opts, baseline)
            }
        };
        let mut summary = Summary {
            documents: 1,
            ..Summary::default()
        };
        for d in &file.diagnostics {
            summary.add(d);
        }
        Ok((file.path.clone(), summary, render(file), unstaged))
    };
    let mut run = Run::default();
    let mut pending = pending.into_iter();
    loop {
        let batch: Vec<_> = pending.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        // why: one document (the usual commit) is checked on this thread;
        // starting the thread pool would cost more than it saves.
        let results: Vec<Result<(String, Summary, R, bool), Error>> = if batch.len() == 1 {
            batch.into_iter().map(&work).collect()
        } else {
            batch.into_par_iter().map(&work).collect()
        };
        for result in results {
            match result {
                Ok((path, summary, rendered, unstaged)) => {
                    if unstaged {
                        run.unstaged.push(path.clone());
                    }
                    run.summary.merge(&summary);
                    run.paths.push(path);
                    each(rendered)?;
                }
                Err(e) => run.failures.push(e),
            }
        }
    }
    // why: a snapshot that git could not list answered "missing" to every
    // link; those findings are wrong, and the run must not pass as clean.
    // (Asked after checking: the answers are only known then.)
    if let Some(e) = snapshot.failure() {
        run.failures.insert(0, e);
    }
    Ok(run)
}

/// Whether a document checked from the index has other content in the work
/// tree (changed, or deleted there), line endings aside.
///
/// why: compared here, with the staged bytes already in hand, rather than
/// by asking git (`git diff`), which would read the index a second time in
/// the hook. Only a note depends on it; a work-tree file that cannot be read
/// counts as different.
fn differs_on_disk(workspace: &Workspace, source: &source::Source) -> bool {
    if source.origin != source::Origin::Index || source.oversized.is_some() {
        return false;
    }
    let on_disk = workspace.root.join(&source.path);
    match snapshot::read_listed_file(&on_disk, source::MAX_DOCUMENT_BYTES) {
        Ok(snapshot::Content::Bytes(disk)) => {
            let lf = |b: &[u8]| -> Vec<u8> {
                let mut out = Vec::with_capacity(b.len());
                for (i, &c) in b.iter().enumerate() {
                    if !(c == b'\r' && b.get(i + 1) == Some(&b'\n')) {
                        out.push(c);
                    }
                }
                out
            };
            disk != source.bytes && lf(&disk) != lf(&source.bytes)
        }
        _ => true,
    }
}

/// The process exit code for a finished run: 2 if a document could not be
/// read, 1 if any finding has error severity, 0 otherwise.
pub fn exit_code(run: &Run) -> u8 {
    if !run.failures.is_empty() {
        2
    } else if run.summary.errors > 0 {
        1
    } else {
        0
    }
}
