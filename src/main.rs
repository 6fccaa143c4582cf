//! The thin binary: parse arguments, call the library, pick a renderer, map
//! the outcome to an exit code. The only file that prints.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod authoring;
mod cli;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use designgate::report::{self, Clean, Palette, Stream};
use designgate::snapshot::Content;
use designgate::{Error, Selection, Workspace, install, lint};

use cli::{Cli, ColorChoice, Command, Format};
use designgate::report::output::{self as outputs, Format as ReportFormat};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // why: the language server owns stdout for JSON-RPC; nothing else may
    // write there, so it starts before the sanitising writer takes stdout.
    if let Some(Command::Lsp(_)) = &cli.command {
        return lsp(&cli);
    }
    let colour = use_color(cli.global.color);
    let palette = Palette::new(colour);
    // why: everything printed goes through one sanitiser, so that no string
    // from a repository (file names, config values, git's messages) reaches
    // the terminal raw: an OSC 52 in a config key could write the clipboard.
    let stream = if json_output(&cli) {
        Stream::Json
    } else {
        Stream::Terminal { colour }
    };
    let mut stdout = Clean::new(std::io::stdout().lock(), stream);
    let code = match run(cli, palette, &mut stdout) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let _ = stdout.flush();
            say(&format!("error: {e}"));
            ExitCode::from(2)
        }
    };
    let _ = stdout.flush();
    code
}

/// Writes `designgate: <message>` to stderr, sanitised.
pub(crate) fn say(message: &str) {
    let text = report::clean_text(
        &format!("designgate: {message}\n"),
        Stream::Terminal { colour: false },
    );
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Whether the command prints JSON on stdout.
fn json_output(cli: &Cli) -> bool {
    match &cli.command {
        None => stdout_format(&cli.check).is_some_and(|f| f.stream(false) == Stream::Json),
        Some(Command::Check(a)) => {
            stdout_format(a).is_some_and(|f| f.stream(false) == Stream::Json)
        }
        Some(Command::Outline(a)) => a.format == Format::Json,
        Some(Command::Rules(a)) => a.format == Format::Json,
        Some(Command::TestRules(a)) => a.format == Format::Json,
        Some(Command::Explain(_) | Command::InstallHook(_) | Command::Lsp(_)) => false,
        Some(Command::Init(_) | Command::New(_) | Command::Baseline(_)) => false,
        Some(Command::Report(a)) => a.format == cli::ScorecardFormat::Json,
        Some(Command::Completions(_) | Command::Man(_)) => false,
    }
}

fn run(cli: Cli, palette: Palette, out: &mut dyn Write) -> Result<u8, Error> {
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    let config_path = cli.global.config.as_deref();
    let config_from = cli.global.config_from.as_deref();
    // why: `check`'s options are accepted without a subcommand (`designgate
    // --staged`); given before another subcommand they would be ignored.
    let top = &cli.check;
    if cli.command.is_some() && top.any_given() {
        return Err(Error::Usage(
            "--staged, --diff, --rev, --format, --output-file, --fix and paths before a subcommand belong to `check`; put them after the subcommand".into(),
        ));
    }
    if cli.command.is_some() && (top.baseline.is_some() || top.baseline_from.is_some()) {
        return Err(Error::Usage(
            "--baseline and --baseline-from before a subcommand belong to `check`; put them after `check`".into(),
        ));
    }
    match cli.command {
        None => check(cli.check, &cwd, (config_path, config_from), palette, out),
        Some(Command::Check(args)) => check(args, &cwd, (config_path, config_from), palette, out),
        Some(Command::Outline(args)) => {
            let (_, config) = designgate::load_from(&cwd, config_path, config_from)?;
            let mut code = 0;
            for file in &args.files {
                // why: the same checks as `check`: a FIFO must not hang the
                // command, nor a device or a huge file exhaust memory.
                let limit = designgate::source::MAX_DOCUMENT_BYTES;
                let bytes = match designgate::snapshot::read_file(file, limit) {
                    Ok(Content::Bytes(b)) => b,
                    Ok(other) => {
                        let why = match &other {
                            Content::TooLarge(size) => format!(
                                "{size} bytes; designgate reads documents of up to {limit} bytes"
                            ),
                            Content::NotAFile(what) => (*what).to_owned(),
                            _ => "no such file".to_owned(),
                        };
                        let e = match other {
                            // The system's own words for a missing file.
                            Content::Missing => std::fs::metadata(file).err(),
                            _ => None,
                        }
                        .unwrap_or_else(|| std::io::Error::other(why));
                        let e = Error::io(file, e);
                        say(&format!("error: {e}"));
                        code = 2;
                        continue;
                    }
                    Err(e) => {
                        say(&format!("error: {}", Error::io(file, e)));
                        code = 2;
                        continue;
                    }
                };
                let path = file.to_string_lossy().replace('\\', "/");
                let doc = match lint::parse_bytes(&bytes) {
                    Ok(doc) => doc,
                    Err(d) => {
                        say(&format!("error: {path}: {}", d.message));
                        code = 2;
                        continue;
                    }
                };
                match args.format {
                    Format::Human => {
                        report::human::outline(out, &path, &doc, &bytes, &config.rules, palette)
                    }
                    Format::Json => report::json::outline(out, &path, &doc, &bytes, &config.rules),
                }
                .or_else(written)?;
            }
            Ok(code)
        }
        Some(Command::Rules(args)) => {
            let (_, config) = designgate::load_from(&cwd, config_path, config_from)?;
            match args.format {
                Format::Human => report::human::rules(out, &config.rules, palette),
                Format::Json => report::json::rules(out, &config.rules),
            }
            .or_else(written)?;
            Ok(0)
        }
        Some(Command::Explain(args)) => {
            let (_, config) = designgate::load_from(&cwd, config_path, config_from)?;
            let Some(rule) = config.rules.rule(&args.rule) else {
                let ids: Vec<_> = config.rules.ids().collect();
                let hint = match designgate::suggest::closest(&args.rule, ids.iter().copied()) {
                    Some(id) => format!("did you mean `{id}`?"),
                    None => format!("rules: {}", ids.join(", ")),
                };
                return Err(Error::Usage(format!(
                    "unknown rule `{}`; {hint}",
                    args.rule
                )));
            };
            report::human::explain(out, rule, &config.rules, palette).or_else(written)?;
            Ok(0)
        }
        Some(Command::TestRules(args)) => {
            let sets = if args.packs.is_empty() {
                vec![
                    designgate::load_from(&cwd, config_path, config_from)?
                        .1
                        .rules,
                ]
            } else {
                args.packs
                    .iter()
                    .map(|p| designgate::config::standalone_pack(p, &cwd))
                    .collect::<Result<_, _>>()?
            };
            let today = designgate::waiver::Date::today();
            let outcomes: Vec<_> = sets
                .iter()
                .flat_map(|set| designgate::rule_tests::run(set, today))
                .collect();
            match args.format {
                Format::Human => report::human::rule_tests(out, &outcomes, palette),
                Format::Json => report::json::rule_tests(out, &outcomes),
            }
            .or_else(written)?;
            let failed = outcomes
                .iter()
                .any(|o| o.status == designgate::rule_tests::Status::Failed);
            Ok(u8::from(failed))
        }
        // The completion scripts and man pages describe designgate itself;
        // they read no repository.
        Some(Command::Completions(args)) => {
            // why: straight to stdout, not through the sanitiser: the
            // script is designgate's own text and must reach the file byte
            // for byte.
            raw_stdout(&cli::completions(args.shell))
        }
        Some(Command::Man(args)) => {
            if let Some(dir) = &args.out_dir {
                cli::man_pages(dir).map_err(|e| Error::io(dir, e))?;
                writeln!(
                    out,
                    "designgate: wrote the man pages into {}",
                    dir.display()
                )
                .or_else(written)?;
                return Ok(0);
            }
            let mut page = Vec::new();
            cli::man_page(&mut page).map_err(|e| Error::io("<stdout>", e))?;
            raw_stdout(&page)
        }
        Some(Command::InstallHook(args)) => {
            // why: the hook runs `designgate check` with the repository's own
            // configuration; accepting --config and dropping it would leave
            // the user believing the hook uses their file.
            if let Some(file) = config_path {
                return Err(Error::Usage(format!(
                    "install-hook does not take --config: the installed hook checks with designgate.toml at the repository root (pre-push and pre-receive: the one in the pushed commit), not with `{}`; move the settings there, or run `designgate --config {} check --staged` from a hook manager",
                    file.display(),
                    file.display()
                )));
            }
            install_hook(&args, &cwd, out)
        }
        Some(Command::Init(args)) => {
            if config_path.is_some() || config_from.is_some() {
                return Err(Error::Usage(
                    "init writes designgate.toml at the repository root; it does not take --config or --config-from"
                        .into(),
                ));
            }
            authoring::init(&args, &cwd, out)
        }
        Some(Command::New(args)) => authoring::new(&args, &cwd, (config_path, config_from), out),
        Some(Command::Baseline(args)) => baseline(&args, &cwd, (config_path, config_from), out),
        // Served from `main`, before stdout is taken.
        Some(Command::Lsp(_)) => Ok(2),
        Some(Command::Report(args)) => report_command(args, &cwd, (config_path, config_from), out),
    }
}

/// `designgate baseline`: writes the current findings to a baseline file.
fn baseline(
    args: &cli::BaselineArgs,
    cwd: &Path,
    (config_path, config_from): (Option<&Path>, Option<&str>),
    out: &mut dyn Write,
) -> Result<u8, Error> {
    use designgate::baseline::{self, WriteMode};
    let (workspace, config) = designgate::load_from(cwd, config_path, config_from)?;
    let (target, label) = match &args.path {
        Some(p) => (cwd.join(p), p.display().to_string()),
        None => (
            workspace.root.join(baseline::FILE_NAME),
            baseline::FILE_NAME.to_owned(),
        ),
    };
    let mode = match (args.update, args.force) {
        (true, _) => WriteMode::Update,
        (false, true) => WriteMode::Force,
        (false, false) => WriteMode::Fresh,
    };
    let (w, notes) = baseline::write_baseline(&workspace, &config, cwd, &target, label, mode)?;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let content = format!(
        "{} ({}) in {}",
        plural(w.findings, "finding"),
        if w.entries == 1 {
            "1 entry".to_owned()
        } else {
            format!("{} entries", w.entries)
        },
        plural(w.documents, "document")
    );
    let line = match (w.changed, w.before) {
        (false, _) => format!("{} is up to date: {content}", w.label),
        (true, Some(before)) if before > w.findings => {
            let removed = before - w.findings;
            format!(
                "updated {}: removed {removed} fixed finding{}, kept {content}",
                w.label,
                if removed == 1 { "" } else { "s" }
            )
        }
        (true, _) => format!("wrote {}: {content}", w.label),
    };
    writeln!(out, "designgate: {line}").or_else(written)?;
    out.flush().or_else(written)?;
    for note in &notes {
        say(&format!("note: {}", note.message));
    }
    if w.not_added > 0 {
        say(&format!(
            "note: {} not in the baseline {} not added (`designgate check --baseline {}` lists {})",
            plural(w.not_added, "finding"),
            if w.not_added == 1 { "was" } else { "were" },
            w.label,
            if w.not_added == 1 { "it" } else { "them" }
        ));
    }
    Ok(0)
}

/// The baseline `check --baseline FILE` / `--baseline-from REV` names, as
/// a tracker for the run, with the notes on how it applies.
fn load_baseline(
    (file, from): (Option<&Path>, Option<&str>),
    workspace: &Workspace,
    config: &designgate::Config,
    selection: &Selection,
    cwd: &Path,
) -> Result<Option<(designgate::baseline::Tracker, Vec<designgate::notes::Note>)>, Error> {
    use designgate::baseline::{self, Origin};
    let path;
    let origin = match (file, from) {
        (None, None) => return Ok(None),
        (file, Some(rev)) => {
            path = file.map_or(baseline::FILE_NAME.into(), |f| f.to_string_lossy());
            Origin::Committed { rev, path: &path }
        }
        (Some(file), None) => Origin::File(file),
    };
    baseline::for_check(workspace, config, selection, cwd, origin).map(Some)
}

/// `designgate lsp`: serves until the client says `exit`.
fn lsp(cli: &Cli) -> ExitCode {
    let top = &cli.check;
    if top.any_given() || top.baseline.is_some() || top.baseline_from.is_some() {
        say(
            "error: --staged, --diff, --rev, --fix, --format, --output-file, --baseline and paths belong to `check`; lsp checks the documents the editor opens",
        );
        return ExitCode::from(2);
    }
    if cli.global.config_from.is_some() {
        say(
            "error: lsp does not take --config-from: it checks the editor's buffers with the work tree's configuration",
        );
        return ExitCode::from(2);
    }
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => {
            say(&format!("error: {}", Error::io(".", e)));
            return ExitCode::from(2);
        }
    };
    ExitCode::from(designgate::lsp::serve(&cwd, cli.global.config.as_deref()))
}

/// `designgate report`: builds the scorecard (or merges JSON reports) and
/// writes it in one format, to stdout or `--output`.
fn report_command(
    args: cli::ReportArgs,
    cwd: &Path,
    (config_path, config_from): (Option<&Path>, Option<&str>),
    out: &mut dyn Write,
) -> Result<u8, Error> {
    use designgate::scorecard;
    let report = if args.merge.is_empty() {
        let workspace = Workspace::open(cwd)?;
        // why: a bare repository has no work tree to report on; its HEAD
        // is what a server shows.
        let bare = workspace
            .repo
            .as_ref()
            .is_some_and(|r| r.work_tree().is_none());
        let selection = match (&args.rev, bare) {
            (Some(rev), _) => workspace.commits(Some(rev), None)?,
            (None, true) => workspace.commits(Some("HEAD"), None)?,
            (None, false) => Selection::All,
        };
        let config = workspace.config(&selection, cwd, config_path, config_from)?;
        let options = scorecard::Options {
            history: args.history.map(|n| n as usize),
            since: args.since.clone(),
            weekly: args.weekly,
            repository: args.repository.clone(),
        };
        scorecard::build(&workspace, &config, &selection, cwd, &options)?
    } else {
        let mut inputs = Vec::new();
        for path in &args.merge {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            inputs.push((name, scorecard::merge::read(path)?));
        }
        scorecard::merge::merge(inputs)
    };
    let mut buf = Vec::new();
    match args.format {
        cli::ScorecardFormat::Html => scorecard::html::write(&mut buf, &report),
        cli::ScorecardFormat::Markdown => scorecard::markdown::write(&mut buf, &report),
        cli::ScorecardFormat::Json => scorecard::json::write(&mut buf, &report),
    }
    .map_err(|e| Error::io("<report>", e))?;
    match &args.output {
        // why: a file is written whole or not at all: a report cut short by
        // a full disk must not replace yesterday's page.
        Some(file) => designgate::write::replace_file(file, &buf, ".designgate-report-", None)?,
        None => out.write_all(&buf).or_else(written)?,
    }
    for failure in &report.failures {
        say(&format!("error: {failure}"));
    }
    Ok(if report.failures.is_empty() { 0 } else { 2 })
}

fn install_hook(args: &cli::InstallHookArgs, cwd: &Path, out: &mut dyn Write) -> Result<u8, Error> {
    let hook = args.hook.into();
    let outcome = if args.uninstall {
        install::uninstall(cwd, hook)?
    } else {
        // why: the hook falls back to this binary when a client runs hooks
        // with a PATH that lacks designgate (IDEs, GUI clients).
        let exe = std::env::current_exe().and_then(std::fs::canonicalize).ok();
        install::install(cwd, hook, args.force, exe.as_deref())?
    };
    writeln!(out, "designgate: {outcome}").or_else(written)?;
    if !args.uninstall && install::find_on_path("designgate").is_none() {
        say(
            "note: designgate is not on PATH; the hook will run the binary that installed it, and block if that is gone",
        );
    }
    Ok(0)
}

fn check(
    args: cli::CheckArgs,
    cwd: &Path,
    (config_path, config_from): (Option<&Path>, Option<&str>),
    palette: Palette,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let plan = report_plan(&args)?;
    let notes_on_stderr = stdout_format(&args).is_none_or(|f| f != ReportFormat::Json);
    // why: the hook's run; git starts reading the index at once (see
    // `Workspace::open_staged`). `--fix` may change what is staged first.
    let staged_only = args.staged && args.rev.is_none() && args.diff.is_none() && !args.fix;
    let workspace = if staged_only {
        Workspace::open_staged(cwd)?
    } else {
        Workspace::open(cwd)?
    };
    let fix_failed =
        args.fix && authoring::fix(&args, &workspace, cwd, (config_path, config_from))?;
    let selection = if args.rev.is_some() || args.diff.is_some() {
        workspace.commits(args.rev.as_deref(), args.diff.as_deref())?
    } else {
        match (args.paths.is_empty(), args.staged) {
            (true, false) => Selection::All,
            (true, true) => Selection::Staged,
            (false, staged) => Selection::Paths {
                paths: args.paths,
                staged,
            },
        }
    };
    let config = workspace.config(&selection, cwd, config_path, config_from)?;
    let baseline = load_baseline(
        (args.baseline.as_deref(), args.baseline_from.as_deref()),
        &workspace,
        &config,
        &selection,
        cwd,
    )?;
    // why: opened before checking, so that an unwritable report file fails
    // fast, and each is created afresh (an old report never survives).
    let mut reports = Vec::new();
    let mut stdout = Some(&mut *out);
    for (format, file) in &plan {
        let step_summary = if *format == ReportFormat::Github {
            step_summary_file()?
        } else {
            None
        };
        let spec = outputs::Spec {
            format: *format,
            palette: if file.is_none() {
                palette
            } else {
                Palette::new(false)
            },
            step_summary: step_summary.is_some(),
        };
        let sink: Box<dyn Write + '_> = match file {
            // `report_plan` sends one report at most to stdout.
            None => match stdout.take() {
                Some(out) => Box::new(out),
                None => Box::new(std::io::sink()),
            },
            Some(path) => {
                let f = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
                Box::new(Clean::new(std::io::BufWriter::new(f), format.stream(false)))
            }
        };
        reports.push((
            outputs::Report::new(spec, sink, step_summary),
            file.clone().unwrap_or_else(|| "<stdout>".into()),
        ));
    }
    let specs: Vec<outputs::Spec> = reports.iter().map(|(r, _)| r.spec()).collect();
    // Each document's pieces are rendered on a worker as soon as it is
    // checked, written here in path order, and dropped.
    let render = |file: lint::FileReport| outputs::render(&specs, &file, &config.rules);
    for (report, name) in &mut reports {
        if let Err(e) = report.start(&config.rules) {
            failed_write(report, name, e)?;
        }
    }
    let bl = baseline.as_ref().map(|(tracker, _)| tracker);
    let run = designgate::run_with(&workspace, &config, &selection, cwd, bl, render, |pieces| {
        for ((report, name), piece) in reports.iter_mut().zip(&pieces) {
            if let Err(e) = report.write(piece) {
                failed_write(report, name, e)?;
            }
        }
        Ok(())
    })?;
    let chosen = config_path.is_some() || config_from.is_some();
    let mut notes = designgate::notes::for_run(&workspace, &config, &selection, cwd, &run, chosen);
    if let Some((tracker, baseline_notes)) = &baseline {
        notes.extend(baseline_notes.iter().cloned());
        let whole = designgate::baseline::checks_everything(&selection);
        notes.extend(tracker.fixed_notes(&run.paths, whole));
    }
    let hook = designgate::notes::in_hook(&selection);
    // why: a hook runs on every commit; with no design document in it,
    // there is nothing to say (nothing was streamed above either).
    let quiet = hook && run.summary.documents == 0 && run.failures.is_empty() && notes.is_empty();
    let failures: Vec<String> = run.failures.iter().map(ToString::to_string).collect();
    let end = outputs::End {
        summary: &run.summary,
        notes: &notes,
        failures: &failures,
        hook,
        quiet,
    };
    for (report, name) in &mut reports {
        if let Err(e) = report.finish(end) {
            failed_write(report, name, e)?;
        }
    }
    drop(reports);
    out.flush().or_else(written)?;
    for failure in &failures {
        say(&format!("error: {failure}"));
    }
    // JSON on stdout carries the notes itself.
    if notes_on_stderr {
        for note in &notes {
            say(&format!("note: {}", note.message));
        }
    }
    if fix_failed {
        return Ok(2);
    }
    Ok(designgate::exit_code(&run))
}

/// The reports of a `check`: each format and its file (`None`: stdout).
/// At most one report goes to stdout; with only `FMT=FILE` reports, stdout
/// keeps the human one; `--output-file` sends the stdout report to a file.
/// Two reports to one file are a usage error.
fn report_plan(
    args: &cli::CheckArgs,
) -> Result<Vec<(ReportFormat, Option<std::path::PathBuf>)>, Error> {
    let mut plan: Vec<(ReportFormat, Option<std::path::PathBuf>)> = args
        .format
        .iter()
        .map(|s| (s.format, s.file.clone()))
        .collect();
    let to_stdout: Vec<&str> = plan
        .iter()
        .filter(|(_, f)| f.is_none())
        .map(|(f, _)| f.name())
        .collect();
    if to_stdout.len() > 1 {
        return Err(Error::Usage(format!(
            "--format {} all write to stdout; give all but one a file, as in --format {}=FILE",
            to_stdout.join(", --format "),
            to_stdout[1]
        )));
    }
    if to_stdout.is_empty() {
        plan.insert(0, (ReportFormat::Human, None));
    }
    if let Some(file) = &args.output_file {
        for (_, f) in &mut plan {
            if f.is_none() {
                *f = Some(file.clone());
            }
        }
    }
    let mut seen: Vec<std::path::PathBuf> = Vec::new();
    for file in plan.iter().filter_map(|(_, f)| f.as_ref()) {
        // why: two reports truncating and writing one file would interleave.
        let key = std::path::absolute(file).unwrap_or_else(|_| file.clone());
        if seen.contains(&key) {
            return Err(Error::Usage(format!(
                "two reports would be written to `{}`; give each its own file",
                file.display()
            )));
        }
        seen.push(key);
    }
    Ok(plan)
}

/// The format of the report that goes to stdout, if one does.
fn stdout_format(args: &cli::CheckArgs) -> Option<ReportFormat> {
    if args.output_file.is_some() {
        return None;
    }
    if args.format.iter().all(|s| s.file.is_some()) {
        return Some(ReportFormat::Human);
    }
    args.format
        .iter()
        .find(|s| s.file.is_none())
        .map(|s| s.format)
}

/// `GITHUB_STEP_SUMMARY`, opened for appending, when the variable is set
/// (GitHub Actions sets it in every step).
fn step_summary_file() -> Result<Option<Box<dyn Write + Send>>, Error> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    Ok(Some(Box::new(Clean::new(
        std::io::BufWriter::new(file),
        Stream::Terminal { colour: false },
    ))))
}

/// A failed write to a report: on stdout, a closed pipe (`| head`) stops
/// that report, not the check (the exit code still reports every finding);
/// anything else is an I/O error naming the destination.
fn failed_write(
    report: &mut outputs::Report<'_>,
    name: &std::path::Path,
    e: std::io::Error,
) -> Result<(), Error> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        report.closed = true;
        return Ok(());
    }
    Err(Error::io(name, e))
}

/// Writes designgate's own generated text (a completion script, a man page)
/// to stdout unchanged.
fn raw_stdout(bytes: &[u8]) -> Result<u8, Error> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .or_else(written)?;
    Ok(0)
}

/// Maps a failed write to stdout to an error, except a closed pipe
/// (`designgate rules | head -1`): the reader has all it wanted, and the exit
/// code still reports the findings.
pub(crate) fn written(e: std::io::Error) -> Result<(), Error> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(Error::io("<stdout>", e))
    }
}

/// Resolves `--color`. `auto` means: stdout is a terminal, `TERM` is not
/// `dumb`, and `NO_COLOR` is unset or empty (no-color.org); `CLICOLOR_FORCE`
/// (not `0`) forces colour without a terminal, but never beats `NO_COLOR`.
fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
            if set("NO_COLOR") {
                return false;
            }
            if std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
                return true;
            }
            std::io::stdout().is_terminal() && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}
