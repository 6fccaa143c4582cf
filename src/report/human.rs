//! Human output, in the shape of rustc and ruff: one block per finding with
//! a source excerpt, then a summary line.

use std::io::{self, Write};

use super::{Palette, sanitize};
use crate::check::{CHECKS, rules_by_section};
use crate::diagnostic::{Diagnostic, Summary};
use crate::error::LineIndex;
use crate::lint::FileReport;
use crate::markdown::Document;
use crate::pack::{Rule, RuleSet, Severity};

/// Renders the findings of a check run.
pub fn check(
    out: &mut dyn Write,
    files: &[FileReport],
    summary: &Summary,
    palette: Palette,
) -> io::Result<()> {
    for file in files {
        let lines = LineIndex::new(&file.bytes);
        for d in &file.diagnostics {
            diagnostic(out, file, &lines, d, palette)?;
        }
    }
    summary_line(out, summary, palette)
}

/// Renders the findings one per line, `path:line:column: severity[rule]
/// message`, the shape editors and `grep` understand, then the summary.
pub fn concise(
    out: &mut dyn Write,
    files: &[FileReport],
    summary: &Summary,
    palette: Palette,
) -> io::Result<()> {
    for file in files {
        let lines = LineIndex::new(&file.bytes);
        let path = sanitize(&file.path);
        for d in &file.diagnostics {
            let (line, column) = lines.line_column(d.range.start);
            writeln!(
                out,
                "{}:{line}:{column}: {} {}",
                palette.strong(&path),
                palette.severity(d.severity, &format!("{}[{}]", d.severity, d.rule)),
                sanitize(&d.message)
            )?;
        }
    }
    summary_line(out, summary, palette)
}

fn diagnostic(
    out: &mut dyn Write,
    file: &FileReport,
    lines: &LineIndex<'_>,
    d: &Diagnostic,
    palette: Palette,
) -> io::Result<()> {
    let (line, column) = lines.line_column(d.range.start);
    let label = format!("{}[{}]", d.severity, d.rule);
    writeln!(
        out,
        "{}: {}",
        palette.severity(d.severity, &label),
        palette.strong(&sanitize(&d.message))
    )?;
    let width = line.to_string().len();
    let pad = " ".repeat(width);
    writeln!(
        out,
        "{pad}{} {}:{line}:{column}",
        palette.gutter("-->"),
        sanitize(&file.path)
    )?;
    let quoted = if d.whole_document {
        None
    } else {
        excerpt(lines, d, line)
    };
    if let Some((text, caret_at, caret_len)) = quoted {
        writeln!(out, "{pad} {}", palette.gutter("|"))?;
        writeln!(
            out,
            "{} {} {text}",
            palette.gutter(&line.to_string()),
            palette.gutter("|")
        )?;
        writeln!(
            out,
            "{pad} {} {}{}",
            palette.gutter("|"),
            " ".repeat(caret_at),
            palette.severity(d.severity, &"^".repeat(caret_len))
        )?;
    }
    let mut facts = Vec::new();
    if let Some(area) = &d.area {
        facts.push(format!("area: {}", sanitize(area)));
    }
    facts.push(format!("check: {}", d.check));
    writeln!(out, "{pad} {} {}", palette.gutter("="), facts.join(", "))?;
    if let Some(help) = &d.help {
        writeln!(
            out,
            "{pad} {} help: {}",
            palette.gutter("="),
            sanitize(help)
        )?;
    }
    writeln!(out)
}

/// The finding's line, sanitised, and where its caret goes (in characters).
fn excerpt(lines: &LineIndex<'_>, d: &Diagnostic, line: usize) -> Option<(String, usize, usize)> {
    let mut raw = lines.line(line);
    let mut start_of_line = lines.line_start(line);
    // A byte-order mark is invisible in editors; neither quote nor count it.
    if line == 1
        && let Some(rest) = raw.strip_prefix("\u{feff}".as_bytes())
    {
        raw = rest;
        start_of_line += 3;
    }
    let text = String::from_utf8_lossy(raw);
    if text.trim().is_empty() && d.range.is_empty() {
        return None;
    }
    let col = d.range.start.saturating_sub(start_of_line).min(raw.len());
    let end = d
        .range
        .end
        .saturating_sub(start_of_line)
        .clamp(col, raw.len());
    // `sanitize` maps one character to one, so counts on the raw text hold.
    let prefix = String::from_utf8_lossy(&raw[..col]).chars().count();
    let marked = String::from_utf8_lossy(&raw[col..end]).chars().count();
    let text = sanitize(text.trim_end()).into_owned();
    Some((text, prefix, marked.max(1)))
}

fn summary_line(out: &mut dyn Write, s: &Summary, palette: Palette) -> io::Result<()> {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    parts.push(palette.severity(
        if s.errors > 0 {
            Severity::Error
        } else {
            Severity::Off
        },
        &plural(s.errors, "error"),
    ));
    parts.push(palette.severity(
        if s.warnings > 0 {
            Severity::Warning
        } else {
            Severity::Off
        },
        &plural(s.warnings, "warning"),
    ));
    if s.infos > 0 {
        parts.push(palette.severity(Severity::Info, &format!("{} info", s.infos)));
    }
    writeln!(
        out,
        "{}: {} in {} checked",
        palette.strong("designgate"),
        parts.join(", "),
        plural(s.documents, "document")
    )
}

/// Renders `designgate outline` for one document.
pub fn outline(
    out: &mut dyn Write,
    path: &str,
    doc: &Document,
    bytes: &[u8],
    rules: &RuleSet,
    palette: Palette,
) -> io::Result<()> {
    writeln!(out, "{}", palette.strong(&sanitize(path)))?;
    let lines = LineIndex::new(bytes);
    if doc.sections.is_empty() {
        writeln!(out, "  (no headings)")?;
        return Ok(());
    }
    writeln!(
        out,
        "  {}",
        palette.dim(&format!(
            "{:>5} {:<50} {:>6}  rules",
            "line", "section", "words"
        ))
    )?;
    let matched_rules = rules_by_section(doc, rules);
    for ((i, s), matched) in doc.sections.iter().enumerate().zip(matched_rules) {
        let (line, _) = lines.line_column(s.heading.start);
        let title = format!(
            "{}{} {}",
            "  ".repeat(usize::from(s.level.saturating_sub(1))),
            "#".repeat(usize::from(s.level)),
            sanitize(&s.title)
        );
        let matched = matched.join(", ");
        let row = format!(
            "  {} {title:<50} {:>6}  {}",
            palette.dim(&format!("{line:>5}")),
            doc.subtree_words(i),
            palette.gutter(&matched)
        );
        writeln!(out, "{}", row.trim_end())?;
    }
    Ok(())
}

/// Renders `designgate rules`.
pub fn rules(out: &mut dyn Write, rules: &RuleSet, palette: Palette) -> io::Result<()> {
    let id_width = rules.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let title_width = rules
        .rules
        .iter()
        .map(|r| r.title.chars().count())
        .max()
        .unwrap_or(0);
    let mut last_area = None;
    for rule in &rules.rules {
        if last_area != Some(rule.area) {
            writeln!(out, "{}", palette.strong(&rules.area_of(rule).title))?;
            last_area = Some(rule.area);
        }
        let severity = if rule.severity == rule.pack_severity {
            rule.severity.to_string()
        } else {
            format!("{} (pack: {})", rule.severity, rule.pack_severity)
        };
        writeln!(
            out,
            "  {:<id_width$}  {:<title_width$}  {:<8}  {}  {}",
            rule.id,
            rule.title,
            if rule.required {
                "required"
            } else {
                "optional"
            },
            palette.severity(rule.severity, &format!("{severity:<24}")),
            palette.dim(&rule.origin)
        )?;
    }
    Ok(())
}

/// Renders `designgate explain RULE`.
pub fn explain(
    out: &mut dyn Write,
    rule: &Rule,
    rules: &RuleSet,
    palette: Palette,
) -> io::Result<()> {
    writeln!(out, "{} {}", palette.strong(&rule.id), rule.title)?;
    writeln!(out)?;
    writeln!(out, "Area:      {}", rules.area_of(rule).title)?;
    writeln!(
        out,
        "Severity:  {}{}",
        palette.severity(rule.severity, rule.severity.as_str()),
        if rule.severity == rule.pack_severity {
            String::new()
        } else {
            format!(
                " (the pack says {}; changed by configuration)",
                rule.pack_severity
            )
        }
    )?;
    writeln!(
        out,
        "Required:  {}",
        if rule.required { "yes" } else { "no" }
    )?;
    writeln!(out, "From:      {}", rule.origin)?;
    if !rule.description.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", palette.strong("Why"))?;
        writeln!(out, "{}", rule.description)?;
    }
    writeln!(out)?;
    writeln!(out, "{}", palette.strong("What satisfies it"))?;
    if !rule.headings.is_empty() {
        writeln!(
            out,
            "A heading at any level named: {}",
            rule.headings.join(", ")
        )?;
    }
    for p in rule.heading_patterns() {
        writeln!(out, "A heading matching the regex /{p}/ (case-insensitive)")?;
    }
    writeln!(
        out,
        "Headings are compared after normalisation: case, leading numbering (3.2, IV.), trailing punctuation."
    )?;
    if rule.min_words > 0 {
        writeln!(
            out,
            "At least {} words of prose in the section and its subsections (code and headings do not count).",
            rule.min_words
        )?;
    }
    for r in &rule.require {
        writeln!(out, "Text matching /{}/: {}", r.pattern.as_str(), r.message)?;
    }
    if !rule.forbid.is_empty() {
        writeln!(out, "No text matching any of:")?;
        for f in &rule.forbid {
            match &f.message {
                Some(m) => writeln!(out, "  /{}/ ({m})", f.pattern.as_str())?,
                None => writeln!(out, "  /{}/", f.pattern.as_str())?,
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", palette.strong("Checks"))?;
    for check in CHECKS {
        writeln!(out, "  {:<16} {}", check.name(), check.summary())?;
    }
    if !rule.help.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", palette.strong("How to fix"))?;
        writeln!(out, "{}", rule.help)?;
    }
    if !rule.example.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", palette.strong("Example"))?;
        writeln!(out, "{}", rule.example)?;
    }
    Ok(())
}
