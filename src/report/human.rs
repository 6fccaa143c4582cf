//! Human output, in the shape of rustc and ruff: one block per finding with
//! a source excerpt, then a summary line.

use std::io::{self, Write};

use super::{Palette, sanitize};
use crate::check::{BROKEN_LINK, CHECKS, rules_by_section};
use crate::diagnostic::{Diagnostic, Summary};
use crate::error::LineIndex;
use crate::lint::FileReport;
use crate::markdown::Document;
use crate::pack::{Rule, RuleKind, RuleSet, Severity};
use crate::rule_tests::{Outcome, Status};

/// Renders the findings of a check run. Several missing sections of one
/// document make one block listing the headings to add (see
/// [`missing_sections`]); every other finding is a block of its own.
pub fn check(
    out: &mut dyn Write,
    files: &[FileReport],
    summary: &Summary,
    rules: &RuleSet,
    palette: Palette,
) -> io::Result<()> {
    for file in files {
        check_file(out, file, rules, palette)?;
    }
    summary_line(out, summary, palette)
}

const MISSING_SECTION: &str = "missing-section";

/// `3 errors, 16 warnings`: the findings by severity, most severe first.
fn counts(findings: &[&Diagnostic]) -> String {
    let mut parts = Vec::new();
    for (severity, word) in [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ] {
        let n = findings.iter().filter(|d| d.severity == severity).count();
        match n {
            0 => {}
            1 => parts.push(format!("1 {word}")),
            n if severity == Severity::Info => parts.push(format!("{n} info")),
            n => parts.push(format!("{n} {word}s")),
        }
    }
    parts.join(", ")
}

/// Accepted headings shown per missing section in the grouped block; the
/// rest are one `designgate explain` away.
const ALTERNATIVES_SHOWN: usize = 3;

/// The ` --> path:line:column` line of a block, indented to the width of
/// the line number; returns that indent for the lines that follow.
fn location(
    out: &mut dyn Write,
    path: &str,
    line: usize,
    column: usize,
    palette: Palette,
) -> io::Result<String> {
    let pad = " ".repeat(line.to_string().len());
    writeln!(
        out,
        "{pad}{} {}:{line}:{column}",
        palette.gutter("-->"),
        sanitize(path)
    )?;
    Ok(pad)
}

/// One block for the missing sections of a document: per section, its
/// severity, the heading to write, a few other headings it accepts, and
/// the rule id for `designgate explain`. Errors first.
fn missing_sections(
    out: &mut dyn Write,
    file: &FileReport,
    lines: &LineIndex<'_>,
    missing: &[&Diagnostic],
    rules: &RuleSet,
    palette: Palette,
) -> io::Result<()> {
    let mut missing = missing.to_vec();
    missing.sort_by_key(|d| std::cmp::Reverse(d.severity));
    let worst = missing.first().map_or(Severity::Warning, |d| d.severity);
    let rows: Vec<(Severity, String, &str, String)> = missing
        .iter()
        .map(|d| {
            let rule = rules.rule(&d.rule);
            let headings = rule.map(|r| r.headings.as_slice()).unwrap_or_default();
            let heading = headings
                .first()
                .or(rule.map(|r| &r.title))
                .map_or(d.rule.as_str(), String::as_str);
            let others = headings.iter().skip(1);
            let mut also: Vec<&str> = others
                .clone()
                .take(ALTERNATIVES_SHOWN)
                .map(String::as_str)
                .collect();
            if others.len() > ALTERNATIVES_SHOWN {
                also.push("…");
            }
            let also = if also.is_empty() {
                String::new()
            } else {
                format!("or {}", also.join(", "))
            };
            (
                d.severity,
                format!("## {}", sanitize(heading)),
                d.rule.as_str(),
                sanitize(&also).into_owned(),
            )
        })
        .collect();
    let (line, column) = lines.line_column(missing.first().map_or(0, |d| d.range.start));
    writeln!(
        out,
        "{}: {}",
        palette.severity(worst, worst.as_str()),
        palette.strong(&format!(
            "{} required sections are missing ({}); add these headings (any level)",
            missing.len(),
            counts(&missing)
        ))
    )?;
    let pad = location(out, &file.path, line, column, palette)?;
    writeln!(out, "{pad} {}", palette.gutter("|"))?;
    let heading_width = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    let id_width = rows.iter().map(|r| r.2.len()).max().unwrap_or(0);
    for (severity, heading, id, also) in &rows {
        let row = format!(
            "{pad} {} {} {heading:<heading_width$}  {id:<id_width$}  {also}",
            palette.gutter("|"),
            palette.severity(*severity, &format!("{:<7}", severity.as_str())),
        );
        writeln!(out, "{}", row.trim_end())?;
    }
    writeln!(out, "{pad} {}", palette.gutter("|"))?;
    writeln!(
        out,
        "{pad} {} check: {MISSING_SECTION}",
        palette.gutter("=")
    )?;
    writeln!(
        out,
        "{pad} {} help: `designgate explain ID`, with an ID from the list, says what a section needs and every heading it accepts",
        palette.gutter("=")
    )?;
    writeln!(out)
}

/// Renders the findings of one document (not waived or baselined ones), as [`check`]
/// does; [`summary_line`] ends the run. Two or more missing sections make
/// one block.
pub fn check_file(
    out: &mut dyn Write,
    file: &FileReport,
    rules: &RuleSet,
    palette: Palette,
) -> io::Result<()> {
    let lines = LineIndex::new(&file.bytes);
    let shown = || file.diagnostics.iter().filter(|d| d.is_open());
    let missing: Vec<&Diagnostic> = shown().filter(|d| d.check == MISSING_SECTION).collect();
    let group = missing.len() > 1;
    let mut grouped = false;
    for d in shown() {
        if group && d.check == MISSING_SECTION {
            if !grouped {
                missing_sections(out, file, &lines, &missing, rules, palette)?;
                grouped = true;
            }
            continue;
        }
        diagnostic(out, file, &lines, d, palette)?;
    }
    Ok(())
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
        concise_file(out, file, palette)?;
    }
    summary_line(out, summary, palette)
}

/// The lines of [`concise`] for one document.
pub fn concise_file(out: &mut dyn Write, file: &FileReport, palette: Palette) -> io::Result<()> {
    let lines = LineIndex::new(&file.bytes);
    let path = sanitize(&file.path);
    for d in file.diagnostics.iter().filter(|d| d.is_open()) {
        let (line, column) = lines.line_column(d.range.start);
        writeln!(
            out,
            "{}:{line}:{column}: {} {}",
            palette.strong(&path),
            palette.severity(d.severity, &format!("{}[{}]", d.severity, d.rule)),
            sanitize(&d.message)
        )?;
    }
    Ok(())
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
    let pad = location(out, &file.path, line, column, palette)?;
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

/// Characters of a line quoted before and after a finding's span, and of
/// the span itself: a line of a megabyte is quoted as a window around the
/// finding, cut ends marked with `…`.
const EXCERPT_CONTEXT: usize = 60;
const EXCERPT_SPAN: usize = 80;

/// The finding's line (or a window of it), sanitised, and where its caret
/// goes (in characters).
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
    let col = d.range.start.saturating_sub(start_of_line).min(raw.len());
    let end = d
        .range
        .end
        .saturating_sub(start_of_line)
        .clamp(col, raw.len());
    // The window: whole characters around the span, so that the work and
    // the output do not grow with the line.
    let from = back_chars(raw, col, EXCERPT_CONTEXT);
    let span_end = forward_chars(raw, col, EXCERPT_SPAN).min(end);
    let to = forward_chars(raw, span_end, EXCERPT_CONTEXT);
    let window = &raw[from..to];
    if window.iter().all(u8::is_ascii_whitespace) && d.range.is_empty() {
        return None;
    }
    let lead = if from > 0 { "…" } else { "" };
    let tail = if to < raw.len() { "…" } else { "" };
    // `sanitize` maps one character to one, so counts on the raw text hold.
    let prefix = String::from_utf8_lossy(&raw[from..col]).chars().count() + lead.chars().count();
    let marked = String::from_utf8_lossy(&raw[col..span_end]).chars().count();
    let body = String::from_utf8_lossy(window);
    let body = if tail.is_empty() {
        body.trim_end()
    } else {
        &body
    };
    let text = format!("{lead}{}{tail}", sanitize(body));
    Some((text, prefix, marked.max(1)))
}

/// The byte offset `n` characters before `at` in `raw` (or its start).
fn back_chars(raw: &[u8], at: usize, n: usize) -> usize {
    let mut i = at;
    let mut seen = 0;
    while i > 0 && seen < n {
        i -= 1;
        // Continuation bytes of UTF-8 are not characters of their own.
        if raw[i] & 0xc0 != 0x80 {
            seen += 1;
        }
    }
    i
}

/// The byte offset `n` characters after `at` in `raw` (or its end).
fn forward_chars(raw: &[u8], at: usize, n: usize) -> usize {
    let mut i = at;
    let mut seen = 0;
    while i < raw.len() && seen < n {
        i += 1;
        while i < raw.len() && raw[i] & 0xc0 == 0x80 {
            i += 1;
        }
        seen += 1;
    }
    i
}

/// The last line of a check run: the counts.
pub fn summary_line(out: &mut dyn Write, s: &Summary, palette: Palette) -> io::Result<()> {
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
    if s.waived > 0 {
        // Waived findings are not shown here; `--format json` lists them
        // with their reasons.
        parts.push(palette.dim(&format!("{} waived", s.waived)));
    }
    if s.suppressed > 0 {
        // Listed in JSON as `suppressed`.
        parts.push(palette.dim(&format!("{} baselined", s.suppressed)));
    }
    writeln!(
        out,
        "{}: {} in {} checked",
        palette.strong("designgate"),
        parts.join(", "),
        plural(s.documents, "document")
    )
}

/// The footer of a check run by a git hook: what blocks and what to do
/// next. Nothing when no finding blocks.
pub fn hook_footer(out: &mut dyn Write, s: &Summary, palette: Palette) -> io::Result<()> {
    if s.errors == 0 {
        return Ok(());
    }
    let errors = if s.errors == 1 {
        "1 error blocks".to_owned()
    } else {
        format!("{} errors block", s.errors)
    };
    writeln!(
        out,
        "{}: {} this commit: fix, `git add`, commit again.",
        palette.strong("designgate"),
        palette.severity(Severity::Error, &errors)
    )?;
    writeln!(
        out,
        "{}: `git commit --no-verify` skips the check once.",
        palette.strong("designgate")
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

/// Renders `designgate rules`: the packs, then every rule by area with its
/// severity and where it comes from, then the relaxations.
pub fn rules(out: &mut dyn Write, rules: &RuleSet, palette: Palette) -> io::Result<()> {
    for p in &rules.packs {
        let from = if p.origin == p.name {
            "built-in".to_owned()
        } else {
            p.origin.clone()
        };
        let extends = if p.extends.is_empty() {
            String::new()
        } else {
            format!(", extends {}", p.extends.join(", "))
        };
        writeln!(
            out,
            "{} {}",
            palette.strong(&format!("pack {}", p.name)),
            palette.dim(&format!("({from}{extends})"))
        )?;
    }
    if !rules.packs.is_empty() {
        writeln!(out)?;
    }
    let id_width = rules.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let title_width = rules
        .rules
        .iter()
        .map(|r| r.title.chars().count())
        .max()
        .unwrap_or(0);
    // Areas in the order they were defined, then rules without one.
    let mut groups: Vec<(Option<usize>, &str)> = (0..rules.areas.len())
        .map(|i| (Some(i), rules.areas[i].title.as_str()))
        .collect();
    groups.push((None, "Other"));
    for (area, title) in groups {
        let members: Vec<&Rule> = rules.rules.iter().filter(|r| r.area == area).collect();
        if members.is_empty() {
            continue;
        }
        writeln!(out, "{}", palette.strong(title))?;
        for rule in members {
            let need = match rule.kind {
                RuleKind::Links => "links",
                _ if rule.required => "required",
                _ => "optional",
            };
            let mut from = rule.origin.clone();
            for (keys, by) in grouped_changes(rule) {
                from.push_str(&format!("; {keys} from {by}"));
            }
            writeln!(
                out,
                "  {:<id_width$}  {:<title_width$}  {need:<8}  {}  {}",
                rule.id,
                rule.title,
                palette.severity(rule.severity, &format!("{:<7}", rule.severity.as_str())),
                palette.dim(&from)
            )?;
            if let Some(scope) = scope(rule) {
                writeln!(out, "  {:<id_width$}  {}", "", palette.dim(&scope))?;
            }
        }
    }
    for relax in &rules.relax {
        writeln!(out)?;
        writeln!(out, "{} {}", palette.strong("relaxed:"), relax_text(relax))?;
    }
    Ok(())
}

/// `severity, min_words` per layer that changed them, in order.
fn grouped_changes(rule: &Rule) -> Vec<(String, &str)> {
    let mut out: Vec<(Vec<&str>, &str)> = Vec::new();
    for (key, by) in &rule.changes {
        match out.iter_mut().find(|(_, b)| *b == by.as_str()) {
            Some((keys, _)) if !keys.contains(&key.as_str()) => keys.push(key),
            Some(_) => {}
            None => out.push((vec![key], by)),
        }
    }
    out.into_iter().map(|(k, by)| (k.join(", "), by)).collect()
}

/// Where and when a rule applies, if it is limited.
fn scope(rule: &Rule) -> Option<String> {
    let mut parts = Vec::new();
    if !rule.paths.is_empty() {
        parts.push(format!("only {}", rule.paths.patterns.join(", ")));
    }
    if !rule.exclude_paths.is_empty() {
        parts.push(format!("not {}", rule.exclude_paths.patterns.join(", ")));
    }
    if !rule.when.is_empty() {
        let when: Vec<String> = rule.when.iter().map(ToString::to_string).collect();
        parts.push(format!("when {}", when.join(" and ")));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn relax_text(relax: &crate::pack::Relax) -> String {
    let mut scope = Vec::new();
    if !relax.when.is_empty() {
        let when: Vec<String> = relax.when.iter().map(ToString::to_string).collect();
        scope.push(format!("documents with {}", when.join(" and ")));
    }
    if !relax.paths.is_empty() {
        scope.push(format!("documents in {}", relax.paths.patterns.join(", ")));
    }
    if scope.is_empty() {
        scope.push("all documents".to_owned());
    }
    let rules = if relax.rules.is_empty() {
        "every rule".to_owned()
    } else {
        relax.rules.join(", ")
    };
    format!(
        "{}: {rules} at most {} ({})",
        scope.join(", "),
        relax.max_severity,
        relax.origin
    )
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
    if let Some(area) = rules.area_of(rule) {
        writeln!(out, "Area:      {}", area.title)?;
    }
    writeln!(
        out,
        "Severity:  {}{}",
        palette.severity(rule.severity, rule.severity.as_str()),
        if rule.severity == rule.defined_severity {
            String::new()
        } else {
            format!(" (defined as {})", rule.defined_severity)
        }
    )?;
    writeln!(
        out,
        "Required:  {}",
        if rule.required { "yes" } else { "no" }
    )?;
    writeln!(
        out,
        "Waivable:  {}",
        if rule.waivable { "yes" } else { "no" }
    )?;
    writeln!(out, "From:      {}", rule.origin)?;
    for (keys, by) in grouped_changes(rule) {
        writeln!(out, "Changed:   {keys} by {by}")?;
    }
    if let Some(scope) = scope(rule) {
        writeln!(out, "Applies:   {scope}")?;
    }
    for relax in rules
        .relax
        .iter()
        .filter(|r| r.rules.is_empty() || r.rules.contains(&rule.id))
    {
        writeln!(out, "Relaxed:   {}", relax_text(relax))?;
    }
    if !rule.description.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", palette.strong("Why"))?;
        writeln!(out, "{}", rule.description)?;
    }
    writeln!(out)?;
    writeln!(out, "{}", palette.strong("What satisfies it"))?;
    match rule.kind {
        RuleKind::Section => explain_section(out, rule)?,
        RuleKind::Field => explain_field(out, rule)?,
        RuleKind::Links => writeln!(
            out,
            "Every relative link and image points at a file that exists in the snapshot being checked (the index, a commit, or the work tree), inside the repository. URLs are accepted and never fetched."
        )?,
    }
    let checks: Vec<(&str, &str)> = match rule.kind {
        RuleKind::Section => {
            let mut checks: Vec<(&str, &str)> = CHECKS
                .iter()
                .filter(|c| c.applies_to(rule))
                .map(|c| (c.name(), c.summary()))
                .collect();
            if rule.links {
                checks.push((
                    BROKEN_LINK,
                    "a relative link or image in the section points at nothing",
                ));
            }
            checks
        }
        RuleKind::Links => vec![(BROKEN_LINK, "a relative link or image points at nothing")],
        RuleKind::Field => Vec::new(),
    };
    if !checks.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", palette.strong("Checks"))?;
        for (name, summary) in checks {
            writeln!(out, "  {name:<16} {summary}")?;
        }
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

fn explain_section(out: &mut dyn Write, rule: &Rule) -> io::Result<()> {
    if !rule.headings.is_empty() {
        writeln!(out, "A heading, at any level, named one of:")?;
        for line in wrap(&rule.headings, 76) {
            writeln!(out, "  {line}")?;
        }
        writeln!(
            out,
            "Case, leading numbering (3.2, IV.), punctuation and plural or -ing endings\n\
             do not matter; a combined heading (`Availability and scalability`)\n\
             answers each rule it names. Code spans and paths are not words."
        )?;
    }
    let patterns: Vec<&str> = rule.heading_patterns().collect();
    if !patterns.is_empty() {
        writeln!(
            out,
            "{} a heading matching one of these regular expressions (case-insensitive):",
            if rule.headings.is_empty() {
                "A heading"
            } else {
                "Or"
            }
        )?;
        for p in patterns {
            writeln!(out, "  /{p}/")?;
        }
    }
    if rule.min_words > 0 {
        writeln!(
            out,
            "At least {} words in the section and its subsections (a line of code counts as one; headings and a bare N/A or TBD count as none).",
            rule.min_words
        )?;
    }
    for r in &rule.require {
        writeln!(
            out,
            "Detail: {} (text matching /{}/)",
            r.message,
            r.pattern.as_str()
        )?;
    }
    for c in &rule.cover {
        let mut ways = Vec::new();
        if !c.headings.is_empty() {
            ways.push(format!("a subsection named {}", c.headings.join(", ")));
        }
        for m in &c.mentions {
            ways.push(format!("a mention matching /{}/", m.as_str()));
        }
        writeln!(out, "Covers {}: {}", c.item, ways.join(" or "))?;
    }
    for c in &rule.contains {
        let kinds: Vec<&str> = c.elements.iter().map(|k| k.as_str()).collect();
        let target = c
            .target
            .as_ref()
            .map(|t| format!(" matching /{}/", t.as_str()))
            .unwrap_or_default();
        writeln!(out, "Contains a {}{target}", kinds.join(" or "))?;
    }
    if !rule.after.is_empty() {
        writeln!(
            out,
            "Comes after the sections of: {}",
            rule.after.join(", ")
        )?;
    }
    if rule.links {
        writeln!(
            out,
            "Relative links and images in the section point at files that exist."
        )?;
    }
    if !rule.forbid.is_empty() {
        writeln!(out, "No placeholder text:")?;
        for f in &rule.forbid {
            match &f.message {
                Some(m) => writeln!(out, "  {m}: /{}/", f.pattern.as_str())?,
                None => writeln!(out, "  /{}/", f.pattern.as_str())?,
            }
        }
    }
    Ok(())
}

/// `items` joined by `, ` into lines of at most `width` characters (an
/// item longer than that gets a line of its own).
fn wrap(items: &[String], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let count = items.len();
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < count {
            format!("{item},")
        } else {
            item.clone()
        };
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + piece.chars().count() <= width => {
                line.push(' ');
                line.push_str(&piece);
            }
            _ => lines.push(piece),
        }
    }
    lines
}

fn explain_field(out: &mut dyn Write, rule: &Rule) -> io::Result<()> {
    let f = &rule.field;
    writeln!(
        out,
        "Front-matter field `{}`{}.",
        f.key,
        if rule.required {
            ", required"
        } else {
            ", checked when present"
        }
    )?;
    if f.non_empty {
        writeln!(out, "Not empty.")?;
    }
    if let Some(format) = f.format {
        writeln!(out, "Format: {}.", format.as_str())?;
    }
    if !f.one_of.is_empty() {
        writeln!(out, "One of: {}.", f.one_of.join(", "))?;
    }
    if let Some(p) = &f.value_pattern {
        writeln!(out, "Matching /{}/.", p.as_str())?;
    }
    Ok(())
}

/// Renders `designgate test-rules`: one line per example, failures with
/// their reason, then a summary.
pub fn rule_tests(out: &mut dyn Write, outcomes: &[Outcome], palette: Palette) -> io::Result<()> {
    let mut last_origin = None;
    let (mut passed, mut failed, mut skipped, mut untested) = (0, 0, 0, 0);
    for o in outcomes {
        if last_origin != Some(o.origin.as_str()) {
            writeln!(out, "{}", palette.strong(&o.origin))?;
            last_origin = Some(o.origin.as_str());
        }
        let label = match o.status {
            Status::Passed => {
                passed += 1;
                palette.severity(Severity::Off, "ok  ")
            }
            Status::Failed => {
                failed += 1;
                palette.severity(Severity::Error, "FAIL")
            }
            Status::Skipped => {
                skipped += 1;
                palette.dim("skip")
            }
            Status::Untested => {
                untested += 1;
                palette.severity(Severity::Warning, "none")
            }
        };
        let name = match &o.rule {
            Some(rule) => format!("{rule}: {}", o.name),
            None => o.name.clone(),
        };
        if o.status == Status::Passed {
            writeln!(out, "  {label} {}", sanitize(&name))?;
        } else {
            writeln!(
                out,
                "  {label} {}: {}",
                sanitize(&name),
                sanitize(&o.detail)
            )?;
        }
    }
    let mut summary = format!("{passed} passed, {failed} failed");
    if skipped > 0 {
        summary.push_str(&format!(", {skipped} skipped"));
    }
    if untested > 0 {
        summary.push_str(&format!(
            ", {untested} rule{} without examples",
            if untested == 1 { "" } else { "s" }
        ));
    }
    writeln!(out, "{}: {summary}", palette.strong("test-rules"))
}
