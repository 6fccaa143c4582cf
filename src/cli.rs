//! The command line (clap derive). Kept apart from `main.rs` so the
//! definition can be self-checked in a unit test.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use designgate::report::output::Format as ReportFormat;

#[derive(Debug, Parser)]
#[command(
    name = "designgate",
    version,
    about = "Keep design documents honest: check Markdown design docs against a checklist of required sections.",
    after_help = "Exit status: 0 no error-severity findings, 1 findings that block, 2 usage, configuration or I/O error.\nWithout a subcommand, designgate runs `check`."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,

    #[command(flatten)]
    pub(crate) check: CheckArgs,

    #[command(flatten)]
    pub(crate) global: GlobalArgs,
}

#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Use this configuration file instead of designgate.toml at the repository root.
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,

    /// Take the configuration, and the pack files it names, from this
    /// commit's tree instead of the work tree or the checked commit: for a
    /// server hook or CI, the rules as they were before the change being
    /// checked (e.g. --config-from origin/main with --diff origin/main...HEAD).
    #[arg(long, global = true, value_name = "REV", conflicts_with = "config")]
    pub(crate) config_from: Option<String>,

    /// When to colour output: auto follows the terminal and NO_COLOR.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check design documents (the default command).
    Check(CheckArgs),
    /// Show the sections designgate sees in a document, and which rules each satisfies.
    Outline(OutlineArgs),
    /// List the active rules: area, severity and where each comes from.
    Rules(RulesArgs),
    /// Explain what a rule wants, why, and how to satisfy it.
    Explain(ExplainArgs),
    /// Run the example documents of rule packs: each must pass or fail as it says.
    TestRules(TestRulesArgs),
    /// Install designgate as a plain git hook, in the folder git runs hooks
    /// from (`core.hooksPath` honoured; shared by all worktrees).
    #[command(
        after_help = "A hook designgate did not write is never replaced without --force, and then kept as <hook>.designgate-backup; --uninstall puts it back.\nThe hook runs the designgate on PATH, else the one that installed it; if neither is there, it blocks and says so."
    )]
    InstallHook(InstallHookArgs),
    /// Set up designgate in this repository: a commented designgate.toml,
    /// the design folder, and the hook setup to add for the hook manager it uses.
    #[command(
        after_help = "Never overwrites a file: an existing designgate.toml (or .designgate.toml) is left alone, and it says so."
    )]
    Init(InitArgs),
    /// Start a design document: front matter and every required section of
    /// the checklist that applies to PATH, each with a prompt, as a draft.
    #[command(
        after_help = "The sections are those the rules require for PATH (their scopes and `when` conditions included) with `status: draft`, in checklist order; a fresh document has no missing section, only hollow ones (warnings: it is a draft). Never overwrites a file."
    )]
    New(NewArgs),
    /// Record the current findings in a baseline file, so that `check
    /// --baseline FILE` reports only new ones (see docs/baseline.md).
    #[command(
        after_help = "A baseline never grows silently: over an existing baseline, writing is refused if it would add findings, unless --force.\n--update only removes the entries that match nothing any more (fixed)."
    )]
    Baseline(BaselineArgs),
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The rule pack designgate.toml names: production-readiness (the
    /// default), kep, adr, or a pack file.
    #[arg(long, value_name = "NAME")]
    pub(crate) pack: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// The document to write, inside a design folder (such as design/payments-retry.md).
    #[arg(value_name = "PATH")]
    pub(crate) path: PathBuf,

    /// The title (`# T`); by default made from the file name.
    #[arg(long, value_name = "T")]
    pub(crate) title: Option<String>,

    /// The owner in the front matter; by default git's user.name (else user.email).
    #[arg(long, value_name = "O")]
    pub(crate) owner: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct BaselineArgs {
    /// The baseline file to write (default: .designgate-baseline.json at
    /// the repository root).
    #[arg(value_name = "PATH")]
    pub(crate) path: Option<PathBuf>,

    /// Only remove the entries that no longer match a finding (fixed);
    /// never add one. The baseline must exist.
    #[arg(long, conflicts_with = "force")]
    pub(crate) update: bool,

    /// Record every current finding, even over a baseline that lists fewer
    /// (the baseline grows: review the diff).
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct TestRulesArgs {
    /// Packs to test on their own: built-in names or .toml files. Without
    /// packs, the effective rules of the configuration (packs and config).
    #[arg(value_name = "PACK")]
    pub(crate) packs: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
}

#[derive(Debug, Args, Default)]
pub(crate) struct CheckArgs {
    /// Documents or folders to check. Paths that are not design documents
    /// are skipped, with a note saying why (none under a git hook or hook
    /// manager). Without paths, every design document of the repository.
    #[arg(value_name = "PATHS")]
    pub(crate) paths: Vec<PathBuf>,

    /// Check the staged content (the git index), not the work tree: what the
    /// next commit will contain.
    #[arg(long)]
    pub(crate) staged: bool,

    /// Report only the findings this baseline file does not list (written
    /// by `designgate baseline`); the others are counted as "in the
    /// baseline", and listed in JSON as suppressed. With --baseline-from,
    /// the file's repository-relative path in that revision.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,

    /// Read the baseline committed in this revision (at
    /// .designgate-baseline.json, or --baseline FILE), not the work tree's:
    /// for a server hook or CI, the baseline as it was before the change
    /// being checked, which that change cannot extend.
    #[arg(long, value_name = "REV")]
    pub(crate) baseline_from: Option<String>,

    /// Check the design documents that a range of commits adds or changes,
    /// as read from its right side: BASE..HEAD (the two trees), BASE...HEAD
    /// (since the merge base, as a pull request shows it), or BASE alone
    /// (BASE..HEAD, or BASE..REV with --rev). The work tree is not read.
    #[arg(long, value_name = "RANGE", conflicts_with_all = ["staged", "paths"])]
    pub(crate) diff: Option<String>,

    /// Check the design documents of this commit's tree, with the
    /// configuration committed in it (works in a bare repository).
    #[arg(long, value_name = "REV", conflicts_with_all = ["staged", "paths"])]
    pub(crate) rev: Option<String>,

    /// Report format, FMT or FMT=FILE; repeat for several reports from one
    /// run (`--format human --format sarif=designgate.sarif`). human
    /// (blocks with excerpts), concise (`path:line:column: severity[rule]
    /// message`), json, sarif (SARIF 2.1.0), github (workflow commands and
    /// the job summary), gitlab (Code Quality), junit (JUnit XML), markdown
    /// (a summary for a comment). Without =FILE a report goes to stdout
    /// (one at most); with only =FILE reports, stdout keeps the human one.
    /// See docs/formats.md.
    #[arg(long, value_name = "FMT[=FILE]", value_parser = parse_format_spec)]
    pub(crate) format: Vec<FormatSpec>,

    /// Write the stdout report (the --format without =FILE, or human) to
    /// FILE instead, as ruff's --output-file does.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output_file: Option<PathBuf>,

    /// Add the skeleton of each missing required section to the work-tree
    /// files (where the checklist order puts it, every other byte kept),
    /// say what was added, then check. Not with --staged, --rev or --diff.
    #[arg(long)]
    pub(crate) fix: bool,
}

/// A `--format FMT[=FILE]` of `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FormatSpec {
    pub(crate) format: ReportFormat,
    pub(crate) file: Option<PathBuf>,
}

fn parse_format_spec(value: &str) -> Result<FormatSpec, String> {
    let (name, file) = match value.split_once('=') {
        Some((name, "")) => {
            return Err(format!(
                "`{name}=` names no file; write {name}=FILE, or {name} for stdout"
            ));
        }
        Some((name, file)) => (name, Some(PathBuf::from(file))),
        None => (value, None),
    };
    let format = ReportFormat::parse(name).ok_or_else(|| {
        let names: Vec<&str> = ReportFormat::ALL.iter().map(|(n, _)| *n).collect();
        format!("unknown format `{name}`; formats: {}", names.join(", "))
    })?;
    Ok(FormatSpec { format, file })
}

#[derive(Debug, Args)]
pub(crate) struct OutlineArgs {
    /// Markdown files to outline.
    #[arg(required = true, value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,

    /// Output format (json: one object per file, one per line).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// A rule id, as shown by `designgate rules`.
    pub(crate) rule: String,
}

#[derive(Debug, Args)]
pub(crate) struct InstallHookArgs {
    /// pre-commit checks the staged design docs; pre-push the docs changed
    /// by the pushed commits; pre-receive (server side, also in a bare
    /// repository) the docs changed by a received push.
    #[arg(value_enum, default_value_t = HookName::PreCommit)]
    pub(crate) hook: HookName,

    /// Replace a hook designgate did not write, keeping it as
    /// <hook>.designgate-backup.
    #[arg(long, conflicts_with = "uninstall")]
    pub(crate) force: bool,

    /// Remove the hook designgate wrote, restoring the hook it replaced.
    #[arg(long)]
    pub(crate) uninstall: bool,
}

// why: the variants spell git's hook names (`pre-commit`, ...) on the command line.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum HookName {
    PreCommit,
    PrePush,
    PreReceive,
}

impl From<HookName> for designgate::install::Hook {
    fn from(name: HookName) -> Self {
        match name {
            HookName::PreCommit => Self::PreCommit,
            HookName::PrePush => Self::PrePush,
            HookName::PreReceive => Self::PreReceive,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum Format {
    #[default]
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
