//! Machine-readable output. The schema is versioned; fields are only ever
//! added within a version. See README.md ("JSON output").

use std::io::{self, Write};

use serde::Serialize;

use crate::check::rules_by_section;
use crate::diagnostic::{Summary, Waived};
use crate::error::LineIndex;
use crate::lint::FileReport;
use crate::markdown::{Document, FrontMatterKind};
use crate::notes::Note;
use crate::pack::{RuleKind, RuleSet, Severity};

/// The version of the JSON schema; bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct CheckOutput<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: &'a Summary,
    /// What was not checked, and why (see [`crate::notes`]); left out when
    /// there is nothing to say.
    #[serde(skip_serializing_if = "<[Note]>::is_empty")]
    notes: &'a [Note],
}

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
}

/// Renders the findings of a check run as one JSON document.
pub fn check(
    out: &mut dyn Write,
    files: &[FileReport],
    summary: &Summary,
    notes: &[Note],
) -> io::Result<()> {
    let diagnostics = files
        .iter()
        .flat_map(|f| {
            let lines = LineIndex::new(&f.bytes);
            f.diagnostics.iter().map(move |d| {
                let (line, column) = lines.line_column(d.range.start);
                let (end_line, end_column) = lines.line_column(d.range.end);
                JsonDiagnostic {
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
                }
            })
        })
        .collect();
    let doc = CheckOutput {
        version: SCHEMA_VERSION,
        diagnostics,
        summary,
        notes,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
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
