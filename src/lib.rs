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
//! [`install`] writes designgate into a repository's git hooks.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod config;
pub mod diagnostic;
pub mod diagram;
pub mod discover;
pub mod error;
pub mod git;
pub mod heading;
pub mod html;
pub mod install;
pub mod lint;
pub mod markdown;
pub mod notes;
pub mod pack;
pub mod report;
pub mod rule_tests;
#[cfg(feature = "schema")]
pub mod schema;
pub mod snapshot;
pub mod source;
pub mod suggest;
pub mod waiver;

use std::path::Path;

use rayon::prelude::*;

pub use config::Config;
pub use diagnostic::{Diagnostic, Summary};
pub use discover::{Selection, Workspace};
pub use error::Error;
pub use lint::FileReport;

/// The outcome of `designgate check`.
#[derive(Debug)]
pub struct Run {
    /// One report per document, sorted by path.
    pub files: Vec<FileReport>,
    /// Documents that could not be read; each makes the run exit with 2.
    pub failures: Vec<Error>,
    pub summary: Summary,
}

/// Loads the configuration for the workspace around `cwd` (from the work
/// tree; see [`Workspace::config`] for a commit's own configuration).
pub fn load(cwd: &Path, config: Option<&Path>) -> Result<(Workspace, Config), Error> {
    let workspace = Workspace::open(cwd)?;
    let config = workspace.config(&Selection::All, cwd, config)?;
    Ok((workspace, config))
}

/// Discovers, reads, parses and checks the selected documents.
pub fn run(
    workspace: &Workspace,
    config: &Config,
    selection: &Selection,
    cwd: &Path,
) -> Result<Run, Error> {
    let pending = workspace.discover(config, selection, cwd)?;
    let snapshot = workspace.snapshot(selection)?;
    let opts = lint::Options {
        rules: &config.rules,
        snapshot: snapshot.as_ref(),
        base: config.base(),
        today: waiver::Date::today(),
    };
    let results: Vec<Result<FileReport, Error>> = pending
        .into_par_iter()
        .map(|p| p.read().map(|s| lint::lint_source(s, &opts)))
        .collect();
    let mut run = Run {
        files: Vec::with_capacity(results.len()),
        failures: Vec::new(),
        summary: Summary::default(),
    };
    // why: a snapshot that git could not list answered "missing" to every
    // link; those findings are wrong, and the run must not pass as clean.
    run.failures.extend(snapshot.failure());
    for result in results {
        match result {
            Ok(file) => {
                run.summary.documents += 1;
                for d in &file.diagnostics {
                    run.summary.add(d);
                }
                run.files.push(file);
            }
            Err(e) => run.failures.push(e),
        }
    }
    Ok(run)
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
