//! Several reports from one run: `--format human --format sarif=x.sarif`.
//! Each [`Report`] has a format and a destination; every document's piece
//! of every report is rendered on a worker ([`render`]), then written in
//! path order ([`Report::write`]), so no report holds the run in memory
//! (Markdown keeps a bounded summary: see [`super::markdown`]).

use std::io::{self, Write};

use super::{Doc, Palette, Stream, github, gitlab, human, json, junit, markdown, sarif};
use crate::diagnostic::Summary;
use crate::lint::FileReport;
use crate::notes::Note;
use crate::pack::RuleSet;

/// A report format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
    Gitlab,
    Junit,
    Markdown,
}

impl Format {
    /// Every format, by the name `--format` takes.
    pub const ALL: &[(&str, Format)] = &[
        ("human", Format::Human),
        ("concise", Format::Concise),
        ("json", Format::Json),
        ("sarif", Format::Sarif),
        ("github", Format::Github),
        ("gitlab", Format::Gitlab),
        ("junit", Format::Junit),
        ("markdown", Format::Markdown),
    ];

    pub fn parse(name: &str) -> Option<Format> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|&(_, f)| f)
    }

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("human", |(n, _)| n)
    }

    /// What the [`super::Clean`] writer of this format lets through:
    /// JSON formats escape hidden characters inside strings; the others are
    /// text for a terminal or a log (colour only for human and concise).
    pub fn stream(self, colour: bool) -> Stream {
        match self {
            Format::Json | Format::Sarif | Format::Gitlab => Stream::Json,
            Format::Human | Format::Concise => Stream::Terminal { colour },
            Format::Github | Format::Junit | Format::Markdown => Stream::Terminal { colour: false },
        }
    }
}

/// A format with the palette of its destination (colour only on a
/// terminal).
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub format: Format,
    pub palette: Palette,
}

/// One document's piece of one report.
#[derive(Debug, Default)]
pub struct Piece {
    /// What is written as it comes.
    pub bytes: Vec<u8>,
    /// For `markdown` and `github`: the document's table for the summary.
    pub table: Vec<u8>,
    /// For `markdown` and `github`, how many findings the table lists (for
    /// the count of what the summary leaves out); for `sarif`, how many
    /// results `bytes` holds.
    pub listed: usize,
}

/// The pieces of one document for each report of `specs`, in order. Runs
/// on a worker thread.
pub fn render(specs: &[Spec], file: &FileReport, rules: &RuleSet) -> Vec<Piece> {
    // Positions and fingerprints once, for every CI format that wants them.
    let ci = |f: &Format| !matches!(f, Format::Human | Format::Concise | Format::Json);
    let prints = |f: &Format| matches!(f, Format::Sarif | Format::Gitlab);
    let doc = Doc::new(
        file,
        specs.iter().any(|s| ci(&s.format)),
        specs.iter().any(|s| prints(&s.format)),
    );
    specs
        .iter()
        .map(|spec| {
            let mut bytes = Vec::new();
            let (mut table, mut listed) = (Vec::new(), 0);
            // Writing to memory cannot fail.
            let _ = match spec.format {
                Format::Human => human::check_file(&mut bytes, file, rules, spec.palette),
                Format::Concise => human::concise_file(&mut bytes, file, spec.palette),
                Format::Github => {
                    (table, listed) = markdown::check_file(&doc);
                    github::check_file(&mut bytes, &doc)
                }
                Format::Json => {
                    bytes = json::check_items(file);
                    Ok(())
                }
                Format::Sarif => {
                    (bytes, listed) = sarif::check_items(&doc);
                    Ok(())
                }
                Format::Gitlab => {
                    bytes = gitlab::check_items(&doc);
                    Ok(())
                }
                Format::Junit => {
                    bytes = junit::check_file(&doc, rules);
                    Ok(())
                }
                Format::Markdown => {
                    (table, listed) = markdown::check_file(&doc);
                    Ok(())
                }
            };
            Piece {
                bytes,
                table,
                listed,
            }
        })
        .collect()
}

/// What a report writes at its end.
#[derive(Debug, Clone, Copy)]
pub struct End<'a> {
    pub summary: &'a Summary,
    pub notes: &'a [Note],
    /// The documents that could not be read, as error messages.
    pub failures: &'a [String],
    /// Run by a git hook: human output ends with what to do next.
    pub hook: bool,
    /// Nothing to say (a hook run without design documents): human and
    /// concise output print nothing at all.
    pub quiet: bool,
}

enum State {
    Plain,
    Json(json::CheckStream),
    Sarif(sarif::Stream),
    Gitlab(gitlab::Stream),
    Markdown(markdown::Collector),
    /// `github`: the table kept for the step summary, and that file.
    Github(markdown::Collector, Option<Box<dyn Write + Send>>),
}

/// One report of a run being written to its destination.
pub struct Report<'a> {
    spec: Spec,
    out: Box<dyn Write + 'a>,
    state: State,
    /// The reader went away (a closed pipe): nothing more is written.
    pub closed: bool,
}

impl<'a> Report<'a> {
    /// A report to `out`, which should be a [`super::Clean`] writer of
    /// [`Format::stream`]. With `step_summary` (the `GITHUB_STEP_SUMMARY`
    /// file, opened for appending), a `github` report appends its Markdown
    /// summary there at the end.
    pub fn new(
        spec: Spec,
        out: Box<dyn Write + 'a>,
        step_summary: Option<Box<dyn Write + Send>>,
    ) -> Self {
        let state = match spec.format {
            Format::Markdown => State::Markdown(markdown::Collector::default()),
            Format::Github => State::Github(markdown::Collector::default(), step_summary),
            _ => State::Plain,
        };
        Report {
            spec,
            out,
            state,
            closed: false,
        }
    }

    pub fn spec(&self) -> Spec {
        self.spec
    }

    /// Writes what comes before the first document.
    pub fn start(&mut self, rules: &RuleSet) -> io::Result<()> {
        match self.spec.format {
            Format::Json => self.state = State::Json(json::CheckStream::start(&mut *self.out)?),
            Format::Sarif => {
                self.state = State::Sarif(sarif::Stream::start(&mut *self.out, rules)?);
            }
            Format::Gitlab => self.state = State::Gitlab(gitlab::Stream::start(&mut *self.out)?),
            Format::Junit => junit::start(&mut *self.out)?,
            _ => {}
        }
        Ok(())
    }

    /// Writes one document's piece from [`render`].
    pub fn write(&mut self, piece: &Piece) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let out = &mut *self.out;
        match &mut self.state {
            State::Json(s) => s.items(out, &piece.bytes),
            State::Sarif(s) => s.items(out, &piece.bytes, piece.listed),
            State::Gitlab(s) => s.items(out, &piece.bytes),
            State::Markdown(c) => {
                c.add(&piece.table, piece.listed);
                Ok(())
            }
            State::Github(c, _) => {
                c.add(&piece.table, piece.listed);
                out.write_all(&piece.bytes)
            }
            State::Plain => out.write_all(&piece.bytes),
        }
    }

    /// Writes the end of the report and flushes it.
    pub fn finish(&mut self, end: End<'_>) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let out = &mut *self.out;
        let plain = Palette::new(false);
        match std::mem::replace(&mut self.state, State::Plain) {
            State::Json(s) => s.finish(out, end.summary, end.notes)?,
            State::Sarif(s) => s.finish(out, end.failures, end.notes)?,
            State::Gitlab(s) => s.finish(out)?,
            State::Markdown(c) => c.finish(out, end.summary, end.failures.len())?,
            State::Github(c, summary_file) => {
                human::summary_line(out, end.summary, plain)?;
                if let Some(mut file) = summary_file {
                    c.finish(&mut file, end.summary, end.failures.len())?;
                    file.flush()?;
                }
            }
            State::Plain => match self.spec.format {
                Format::Junit => junit::finish(out)?,
                Format::Human | Format::Concise if !end.quiet => {
                    human::summary_line(out, end.summary, self.spec.palette)?;
                    if end.hook {
                        human::hook_footer(out, end.summary, self.spec.palette)?;
                    }
                }
                _ => {}
            },
        }
        out.flush()
    }
}
