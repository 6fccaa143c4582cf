//! Machine-readable output. The schema is versioned; fields are only ever
//! added within a version. See README.md ("JSON output").

use std::io::{self, Write};

use serde::Serialize;

use crate::check::rules_by_section;
use crate::diagnostic::Summary;
use crate::error::LineIndex;
use crate::lint::FileReport;
use crate::markdown::{Document, FrontMatterKind};
use crate::pack::{RuleSet, Severity};

/// The version of the JSON schema; bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct CheckOutput<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: &'a Summary,
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
}

/// Renders the findings of a check run as one JSON document.
pub fn check(out: &mut dyn Write, files: &[FileReport], summary: &Summary) -> io::Result<()> {
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
                }
            })
        })
        .collect();
    let doc = CheckOutput {
        version: SCHEMA_VERSION,
        diagnostics,
        summary,
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
    area: &'a str,
    required: bool,
    severity: Severity,
    pack_severity: Severity,
    min_words: usize,
    origin: &'a str,
}

/// Renders `designgate rules --format json`.
pub fn rules(out: &mut dyn Write, rules: &RuleSet) -> io::Result<()> {
    let list: Vec<RuleOut<'_>> = rules
        .rules
        .iter()
        .map(|r| RuleOut {
            id: &r.id,
            title: &r.title,
            area: &rules.area_of(r).id,
            required: r.required,
            severity: r.severity,
            pack_severity: r.pack_severity,
            min_words: r.min_words,
            origin: &r.origin,
        })
        .collect();
    serde_json::to_writer(
        &mut *out,
        &serde_json::json!({ "version": SCHEMA_VERSION, "rules": list }),
    )?;
    writeln!(out)
}
