//! Machine-readable output. The schema is versioned; fields are only ever
//! added within a version. See README.md ("JSON output").

use std::io::{self, Write};

use serde::Serialize;

use crate::check::rules_by_section;
use crate::diagnostic::{Summary, Suppressed, Waived};
use crate::error::LineIndex;
use crate::lint::FileReport;
use crate::markdown::{Document, FrontMatterKind};
use crate::notes::Note;
use crate::pack::{RuleKind, RuleSet, Severity};

/// The version of the JSON schema; bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    rule: &'a str,
    check: &'a str,
    area: Option<&'a str>,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    /// The waiver covering this finding; a waived finding does not count
    /// towards the summary's errors and warnings, nor the exit code.
    waived: Option<&'a Waived>,
    /// Set when a baseline lists this finding (`check --baseline`): like
    /// a waived one, it does not count. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<&'a Suppressed>,
    /// For a summary of findings not listed one by one ("…and 12 more
    /// placeholders in section `SLA`"), how many it stands for; they count
    /// in the summary as if listed. Absent for an ordinary finding.
    #[serde(skip_serializing_if = "is_zero")]
    elided: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Renders the findings of a check run as one JSON document.
pub fn check(
    out: &mut dyn Write,
    files: &[FileReport],
    summary: &Summary,
    notes: &[Note],
) -> io::Result<()> {
    let mut stream = CheckStream::start(out)?;
    for f in files {
        stream.items(out, &check_items(f))?;
    }
    stream.finish(out, summary, notes)
}

/// Writes the JSON document of a check run piece by piece, so that reports
/// need not be kept: [`CheckStream::start`], then [`CheckStream::items`]
/// with what [`check_items`] made of each document, then
/// [`CheckStream::finish`]. The output is the same as one
/// `serde_json::to_writer_pretty` of the whole document.
#[derive(Debug, Default)]
pub struct CheckStream {
    /// Whether an element of `diagnostics` was written.
    any: bool,
}

impl CheckStream {
    pub fn start(out: &mut dyn Write) -> io::Result<Self> {
        write!(
            out,
            "{{\n  \"version\": {SCHEMA_VERSION},\n  \"diagnostics\": ["
        )?;
        Ok(CheckStream::default())
    }

    /// Writes elements made by [`check_items`].
    pub fn items(&mut self, out: &mut dyn Write, items: &[u8]) -> io::Result<()> {
        // Each element starts with `,`; the first of the array does not.
        let items = match items.split_first() {
            Some((b',', rest)) if !self.any => rest,
            Some(_) => items,
            None => return Ok(()),
        };
        self.any = true;
        out.write_all(items)
    }

    /// Ends the document with the summary and, when there are any, the
    /// notes on what was not checked (see [`crate::notes`]).
    pub fn finish(self, out: &mut dyn Write, summary: &Summary, notes: &[Note]) -> io::Result<()> {
        if self.any {
            write!(out, "\n  ]")?;
        } else {
            write!(out, "]")?;
        }
        write!(out, ",\n  \"summary\": ")?;
        write_indented(out, summary, "  ")?;
        if !notes.is_empty() {
            write!(out, ",\n  \"notes\": ")?;
            write_indented(out, &notes, "  ")?;
        }
        writeln!(out, "\n}}")
    }
}

/// The `diagnostics` elements of one document, each as `,\n    {…}`, for
/// [`CheckStream::items`].
pub fn check_items(f: &FileReport) -> Vec<u8> {
    let lines = LineIndex::new(&f.bytes);
    let mut out = Vec::new();
    for d in &f.diagnostics {
        let (line, column) = lines.line_column(d.range.start);
        let (end_line, end_column) = lines.line_column(d.range.end);
        let item = JsonDiagnostic {
            path: &f.path,
            line,
            column,
            end_line,
            end_column,
            rule: &d.rule,
            check: d.check,
            area: d.area.as_deref(),
            severity: d.severity,
            message: &d.message,
            help: d.help.as_deref(),
            waived: d.waived.as_ref(),
            suppressed: d.suppressed.as_ref(),
            elided: d.elided,
        };
        out.extend_from_slice(b",\n    ");
        // Writing to memory fails only on serialisation errors, which these
        // plain types do not have.
        let _ = write_indented(&mut out, &item, "    ");
    }
    out
}

/// `value` pretty-printed, every line after the first indented by `indent`
/// (JSON strings hold no raw line breaks, so this is the nesting of pretty
/// output).
fn write_indented(out: &mut dyn Write, value: &impl Serialize, indent: &str) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    let mut lines = text.split('\n');
    if let Some(first) = lines.next() {
        out.write_all(first.as_bytes())?;
    }
    for line in lines {
        write!(out, "\n{indent}{line}")?;
    }
    Ok(())
}

#[derive(Serialize)]
struct OutlineOutput<'a> {
    version: u32,
    path: &'a str,
    front_matter: Option<FrontMatterOut<'a>>,
    sections: Vec<OutlineSection<'a>>,
}

#[derive(Serialize)]
struct FrontMatterOut<'a> {
    kind: FrontMatterKind,
    data: Option<&'a serde_json::Value>,
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct OutlineSection<'a> {
    level: u8,
    title: &'a str,
    line: usize,
    words: usize,
    rules: Vec<&'a str>,
}

/// Renders `designgate outline --format json` for one document, one line.
pub fn outline(
    out: &mut dyn Write,
    path: &str,
    doc: &Document,
    bytes: &[u8],
    rules: &RuleSet,
) -> io::Result<()> {
    let lines = LineIndex::new(bytes);
    let sections = doc
        .sections
        .iter()
        .enumerate()
        .zip(rules_by_section(doc, rules))
        .map(|((i, s), rules)| OutlineSection {
            level: s.level,
            title: &s.title,
            line: lines.line_column(s.heading.start).0,
            words: doc.subtree_words(i),
            rules,
        })
        .collect();
    let front_matter = doc.front_matter.as_ref().map(|f| FrontMatterOut {
        kind: f.kind,
        data: f.data.as_ref().ok(),
        error: f.data.as_ref().err().map(|e| e.message.as_str()),
    });
    serde_json::to_writer(
        &mut *out,
        &OutlineOutput {
            version: SCHEMA_VERSION,
            path,
            front_matter,
            sections,
        },
    )?;
    writeln!(out)
}

#[derive(Serialize)]
struct RuleOut<'a> {
    id: &'a str,
    title: &'a str,
    area: Option<&'a str>,
    kind: RuleKind,
    required: bool,
    severity: Severity,
    /// The severity the defining pack gave.
    pack_severity: Severity,
    min_words: usize,
    waivable: bool,
    paths: &'a [String],
    exclude_paths: &'a [String],
    when: Vec<String>,
    origin: &'a str,
    changes: Vec<Change<'a>>,
}

#[derive(Serialize)]
struct Change<'a> {
    key: &'a str,
    by: &'a str,
}

/// Renders `designgate rules --format json`.
pub fn rules(out: &mut dyn Write, rules: &RuleSet) -> io::Result<()> {
    let list: Vec<RuleOut<'_>> = rules
        .rules
        .iter()
        .map(|r| RuleOut {
            id: &r.id,
            title: &r.title,
            area: rules.area_of(r).map(|a| a.id.as_str()),
            kind: r.kind,
            required: r.required,
            severity: r.severity,
            pack_severity: r.defined_severity,
            min_words: r.min_words,
            waivable: r.waivable,
            paths: &r.paths.patterns,
            exclude_paths: &r.exclude_paths.patterns,
            when: r.when.iter().map(ToString::to_string).collect(),
            origin: &r.origin,
            changes: r
                .changes
                .iter()
                .map(|(key, by)| Change { key, by })
                .collect(),
        })
        .collect();
    serde_json::to_writer(
        &mut *out,
        &serde_json::json!({ "version": SCHEMA_VERSION, "packs": rules.packs, "rules": list }),
    )?;
    writeln!(out)
}

/// Renders `designgate test-rules --format json`.
pub fn rule_tests(out: &mut dyn Write, outcomes: &[crate::rule_tests::Outcome]) -> io::Result<()> {
    serde_json::to_writer_pretty(
        &mut *out,
        &serde_json::json!({ "version": SCHEMA_VERSION, "tests": outcomes }),
    )?;
    writeln!(out)
}
