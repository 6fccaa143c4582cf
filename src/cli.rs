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
    /// Run a language server on stdin and stdout, for editors: findings while
    /// typing, quick fixes, hover and heading completion (docs/editors.md).
    Lsp(LspArgs),
    /// Write the transparency scorecard: every design document against every
    /// checklist area, with owners, waivers and history (HTML, Markdown or
    /// JSON).
    #[command(
        after_help = "Exit status: 0 the report was written (findings do not change it), 2 usage, configuration or I/O error, or a document that could not be read (the report is still written and lists it)."
    )]
    Report(ReportArgs),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a folder.
    #[command(
        after_help = "Read it with `designgate man | man -l -`; packagers install `designgate man --out-dir DIR` into man1/."
    )]
    Man(ManArgs),
}

const COMPLETIONS_HELP: &str = "\
Install (or see the README):
  bash        designgate completions bash > ~/.local/share/bash-completion/completions/designgate
  zsh         designgate completions zsh > ~/.zfunc/_designgate   (with fpath+=~/.zfunc before compinit)
  fish        designgate completions fish > ~/.config/fish/completions/designgate.fish
  powershell  designgate completions powershell >> $PROFILE
  elvish      designgate completions elvish >> ~/.config/elvish/rc.elv
`explain` completes the built-in rule ids and `test-rules` the built-in pack names; rules and pack files of your own are typed (bash and fish fall back to file names).";

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// Write designgate.1 and designgate-<command>.1 into this folder
    /// (existing pages of those names are replaced) instead of printing
    /// designgate.1.
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub(crate) out_dir: Option<PathBuf>,
}

/// The command line as the completion scripts describe it: `explain` offers
/// the built-in rule ids and `test-rules` the built-in pack names, each with
/// its title, as possible values. Only the scripts see them: parsing uses
/// [`Cli`] as it is, so a repository's own rule ids and pack files still work.
///
/// why static, not clap_complete's dynamic completion (`unstable-dynamic`,
/// `CompleteEnv`), which asks the binary on each TAB and so could also offer
/// a repository's own rule ids. Measured (clap_complete 4.6.12, this 2-core
/// machine under load): dynamic would add two crates (shlex, is_executable)
/// and clap's `unstable-ext`, and each TAB would load the configuration of
/// the repository the shell is in (`designgate rules` in examples/: 13 ms of
/// CPU, 85 ms wall, against 3 ms for `--version`), fast enough. It loses on
/// two other counts: the feature is exempt from semver (its registration
/// line and environment protocol have changed between 4.x releases, which
/// would break the line users keep in their shell profile), and a TAB would
/// parse an untrusted repository's configuration without the user asking.
/// The static scripts (10 to 19 KB) are generated once and carry the
/// built-in ids, which cover the packs most repositories use.
pub(crate) fn completion_command() -> clap::Command {
    use clap::CommandFactory;
    use clap::builder::{PossibleValue, PossibleValuesParser};

    let mut ids: Vec<PossibleValue> = Vec::new();
    let mut packs: Vec<PossibleValue> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (name, _) in designgate::pack::BUILTIN_PACKS {
        packs.push(PossibleValue::new(*name).help(format!("built-in pack `{name}`")));
        // A built-in pack always loads (a unit test says so); if one did
        // not, its ids are left out of the scripts rather than failing them.
        let Ok(set) = designgate::config::standalone_pack(name, std::path::Path::new("/")) else {
            continue;
        };
        for rule in &set.rules {
            if seen.insert(rule.id.clone()) {
                ids.push(PossibleValue::new(rule.id.clone()).help(rule.title.clone()));
            }
        }
    }
    // why: without the top-level PATHS: clap_complete's zsh script takes
    // an optional positional before the subcommand as the first word, so
    // `designgate explain <TAB>` would complete `explain` as a path and the
    // rule id as a subcommand. `designgate check PATHS` still completes
    // files, and bash falls back to file names (`-o default`).
    let full = Cli::command();
    let mut top = clap::Command::new(full.get_name().to_owned());
    if let Some(version) = full.get_version() {
        top = top.version(version.to_owned());
    }
    if let Some(about) = full.get_about() {
        top = top.about(about.clone());
    }
    for arg in full.get_arguments().filter(|a| a.get_id() != "paths") {
        let mut arg = arg.clone();
        if arg.get_id() == "diff" || arg.get_id() == "rev" {
            // Their conflicts name `paths`, which is not here.
            arg = arg
                .conflicts_with(clap::builder::Resettable::<clap::Id>::Reset)
                .conflicts_with("staged");
        }
        top = top.arg(arg);
    }
    for sub in full.get_subcommands() {
        top = top.subcommand(sub.clone());
    }
    top.mut_subcommand("explain", |c| {
        c.mut_arg("rule", |a| a.value_parser(PossibleValuesParser::new(ids)))
    })
    .mut_subcommand("test-rules", |c| {
        c.mut_arg("packs", |a| {
            a.value_parser(PossibleValuesParser::new(packs))
        })
    })
}

/// The completion script for `shell`.
pub(crate) fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = completion_command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "designgate", &mut script);
    match shell {
        clap_complete::Shell::Fish => fish_positionals(&cmd, &mut script),
        clap_complete::Shell::PowerShell => {
            script = add_positionals(&cmd, &script, |sub| {
                (format!("        'designgate;{sub}' {{"), |name, help| {
                    format!(
                        "            [CompletionResult]::new({name}, {name}, [CompletionResultType]::ParameterValue, {help})"
                    )
                })
            })
        }
        clap_complete::Shell::Elvish => {
            script = add_positionals(&cmd, &script, |sub| {
                (format!("        &'designgate;{sub}'= {{"), |name, help| {
                    format!("            cand {name} {help}")
                })
            })
        }
        _ => {}
    }
    script
}

/// The possible values of `explain`'s rule and `test-rules`' packs, as
/// `(subcommand, name, help)`.
fn positional_values(cmd: &clap::Command) -> Vec<(&'static str, String, String)> {
    let mut values = Vec::new();
    for (sub, arg) in [("explain", "rule"), ("test-rules", "packs")] {
        let found = cmd
            .find_subcommand(sub)
            .and_then(|c| c.get_arguments().find(|a| a.get_id() == arg))
            .map(clap::Arg::get_possible_values)
            .unwrap_or_default();
        for value in found {
            let help = value
                .get_help()
                .map(ToString::to_string)
                .unwrap_or_default();
            values.push((sub, value.get_name().to_owned(), help));
        }
    }
    values
}

/// clap_complete's PowerShell and elvish scripts complete options and
/// subcommands only; this adds `explain`'s rule ids and `test-rules`' pack
/// names as candidates in the subcommand's block, right after the line that
/// opens it (`marker(sub).0`), each written by `marker(sub).1` from a quoted
/// name and help (both shells quote with `'`, doubling a `'` inside).
fn add_positionals(
    cmd: &clap::Command,
    script: &[u8],
    marker: impl Fn(&str) -> (String, fn(&str, &str) -> String),
) -> Vec<u8> {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let values = positional_values(cmd);
    let text = String::from_utf8_lossy(script);
    let mut out = String::with_capacity(text.len() + values.len() * 80);
    for line in text.split_inclusive('\n') {
        out.push_str(line);
        for sub in ["explain", "test-rules"] {
            let (open, candidate) = marker(sub);
            if line.trim_end_matches(['\r', '\n']) == open {
                for (_, name, help) in values.iter().filter(|(s, _, _)| *s == sub) {
                    out.push_str(&candidate(&quote(name), &quote(help)));
                    out.push('\n');
                }
            }
        }
    }
    out.into_bytes()
}

/// clap_complete's fish script completes options and subcommands only; this
/// adds the rule ids of `explain` (nothing else: no file names) and the pack
/// names of `test-rules` (files too, for pack files), with their titles,
/// through the script's own `__fish_designgate_using_subcommand`.
fn fish_positionals(cmd: &clap::Command, script: &mut Vec<u8>) {
    let quote = |s: &str| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"));
    for (sub, name, help) in positional_values(cmd) {
        // `-f` for rule ids: nothing else is one; pack files are files.
        let files = if sub == "explain" { " -f" } else { "" };
        script.extend_from_slice(
            format!(
                "complete -c designgate -n \"__fish_designgate_using_subcommand {sub}\"{files} -a {} -d {}\n",
                quote(&name),
                quote(&help)
            )
            .as_bytes(),
        );
    }
}

/// Writes designgate(1) as roff.
pub(crate) fn man_page(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use clap::CommandFactory;
    // why: as generate_to does for the pages in a folder: no help(1) page.
    clap_mangen::Man::new(Cli::command().disable_help_subcommand(true)).render(out)
}

/// Writes designgate.1 and one designgate-<command>.1 per command into `dir`.
pub(crate) fn man_pages(dir: &std::path::Path) -> std::io::Result<()> {
    use clap::CommandFactory;
    clap_mangen::generate_to(Cli::command(), dir)
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
pub(crate) struct LspArgs {
    /// Accepted and ignored: stdio is the only transport (some clients,
    /// such as VS Code's, pass this flag).
    #[arg(long)]
    pub(crate) stdio: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// Output format: html (one self-contained page), markdown (tables, for
    /// pull-request comments and wikis) or json (versioned; see
    /// docs/report.md).
    #[arg(long, value_enum, default_value_t = ScorecardFormat::Html)]
    pub(crate) format: ScorecardFormat,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Report on this commit's tree, with the configuration committed in it
    /// (works in a bare repository).
    #[arg(long, value_name = "REV")]
    pub(crate) rev: Option<String>,

    /// Add the history: coverage per area and blocking findings over the
    /// last N commits that changed design documents.
    #[arg(long, value_name = "N", conflicts_with = "since", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub(crate) history: Option<u32>,

    /// Add the history since DATE (any date `git log --since` takes, such
    /// as 2026-01-01 or "12 weeks ago").
    #[arg(long, value_name = "DATE")]
    pub(crate) since: Option<String>,

    /// History with one point per week (the state after the week's last
    /// commit); alone, over the whole history (at most 10,000 commits).
    #[arg(long)]
    pub(crate) weekly: bool,

    /// The repository's name in the report (default: its folder's name).
    #[arg(long, value_name = "NAME")]
    pub(crate) repository: Option<String>,

    /// Combine JSON reports (made per repository with --format json) into
    /// one scorecard with a repository column.
    #[arg(long, num_args = 1.., value_name = "JSON", conflicts_with_all = ["rev", "history", "since", "weekly", "repository"])]
    pub(crate) merge: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum ScorecardFormat {
    #[default]
    Html,
    Markdown,
    Json,
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

impl CheckArgs {
    /// Whether any of `check`'s selection, format or fix options is given
    /// (the baseline options are asked apart: their error names them).
    pub(crate) fn any_given(&self) -> bool {
        self.staged
            || self.diff.is_some()
            || self.rev.is_some()
            || !self.paths.is_empty()
            || self.fix
            || !self.format.is_empty()
            || self.output_file.is_some()
    }
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

    #[test]
    fn completion_command_offers_every_builtin_rule_and_pack() {
        let cmd = super::completion_command();
        cmd.clone().debug_assert();
        let values = |sub: &str, arg: &str| -> Vec<String> {
            let sub = cmd.find_subcommand(sub).expect("the subcommand exists");
            let arg = sub
                .get_arguments()
                .find(|a| a.get_id() == arg)
                .expect("the argument exists");
            arg.get_possible_values()
                .iter()
                .map(|v| v.get_name().to_owned())
                .collect()
        };
        let ids = values("explain", "rule");
        for (name, _) in designgate::pack::BUILTIN_PACKS {
            let set = designgate::config::standalone_pack(name, std::path::Path::new("/"))
                .expect("a built-in pack loads");
            for id in set.ids() {
                assert!(ids.iter().any(|i| i == id), "{id} of {name} is offered");
            }
        }
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
            clap_complete::Shell::PowerShell,
            clap_complete::Shell::Elvish,
        ] {
            let script = String::from_utf8(super::completions(shell)).expect("UTF-8");
            for id in &ids {
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-');
                let named = script.match_indices(id.as_str()).any(|(i, _)| {
                    !word(script[..i].chars().next_back())
                        && !word(script[i + id.len()..].chars().next())
                });
                assert!(named, "{shell:?} script lacks {id}");
            }
        }
        let packs = values("test-rules", "packs");
        let builtin: Vec<_> = designgate::pack::BUILTIN_PACKS
            .iter()
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(packs, builtin);
    }
}
