//! The thin binary: parse arguments, call the library, pick a renderer, map
//! the outcome to an exit code. The only file that prints.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use designgate::report::{self, Clean, Palette, Stream};
use designgate::snapshot::Content;
use designgate::{Error, Selection, Workspace, install, lint};

use cli::{CheckFormat, Cli, ColorChoice, Command, Format};

fn main() -> ExitCode {
    let cli = Cli::parse();
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
fn say(message: &str) {
    let text = report::clean_text(
        &format!("designgate: {message}\n"),
        Stream::Terminal { colour: false },
    );
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Whether the command prints JSON on stdout.
fn json_output(cli: &Cli) -> bool {
    match &cli.command {
        None => cli.check.format == CheckFormat::Json,
        Some(Command::Check(a)) => a.format == CheckFormat::Json,
        Some(Command::Outline(a)) => a.format == Format::Json,
        Some(Command::Rules(a)) => a.format == Format::Json,
        Some(Command::TestRules(a)) => a.format == Format::Json,
        Some(Command::Explain(_) | Command::InstallHook(_)) => false,
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
    if cli.command.is_some()
        && (top.staged
            || top.diff.is_some()
            || top.rev.is_some()
            || !top.paths.is_empty()
            || top.format != CheckFormat::Human)
    {
        return Err(Error::Usage(
            "--staged, --diff, --rev, --format and paths before a subcommand belong to `check`; put them after the subcommand".into(),
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
    }
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
    let workspace = Workspace::open(cwd)?;
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
    // Each document's report is rendered on a worker as soon as it is
    // checked, written here in path order, and dropped.
    let format = args.format;
    let render = |file: lint::FileReport| -> Vec<u8> {
        let mut buf = Vec::new();
        // Writing to memory cannot fail.
        let _ = match format {
            CheckFormat::Human => {
                report::human::check_file(&mut buf, &file, &config.rules, palette)
            }
            CheckFormat::Concise => report::human::concise_file(&mut buf, &file, palette),
            CheckFormat::Json => {
                buf = report::json::check_items(&file);
                Ok(())
            }
        };
        buf
    };
    let mut closed = false;
    let mut json = None;
    if format == CheckFormat::Json {
        match report::json::CheckStream::start(out) {
            Ok(stream) => json = Some(stream),
            Err(e) => {
                written(e)?;
                closed = true;
            }
        }
    }
    let run = designgate::run(&workspace, &config, &selection, cwd, render, |buf| {
        if closed {
            return Ok(());
        }
        let result = match &mut json {
            Some(stream) => stream.items(out, &buf),
            None => out.write_all(&buf),
        };
        // why: a closed pipe (`| head`) stops the writing, not the check:
        // the exit code still reports every finding.
        if let Err(e) = result {
            closed = e.kind() == std::io::ErrorKind::BrokenPipe;
            return written(e);
        }
        Ok(())
    })?;
    let chosen = config_path.is_some() || config_from.is_some();
    let notes = designgate::notes::for_run(&workspace, &config, &selection, cwd, &run, chosen);
    let hook = designgate::notes::in_hook(&selection);
    // why: a hook runs on every commit; with no design document in it,
    // there is nothing to say (nothing was streamed above either).
    let quiet = hook
        && run.summary.documents == 0
        && run.failures.is_empty()
        && notes.is_empty()
        && format != CheckFormat::Json;
    if !closed && !quiet {
        match json {
            Some(stream) => stream.finish(out, &run.summary, &notes),
            None => report::human::summary_line(out, &run.summary, palette),
        }
        .or_else(written)?;
        if hook && format != CheckFormat::Json {
            report::human::hook_footer(out, &run.summary, palette).or_else(written)?;
        }
    }
    out.flush().or_else(written)?;
    for failure in &run.failures {
        say(&format!("error: {failure}"));
    }
    if args.format != CheckFormat::Json {
        for note in &notes {
            say(&format!("note: {}", note.message));
        }
    }
    Ok(designgate::exit_code(&run))
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
fn written(e: std::io::Error) -> Result<(), Error> {
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
