//! The middle of the pipeline for one document: bytes → text → [`Document`]
//! → findings. Problems with the file itself (too large, binary, not UTF-8,
//! broken front matter) become findings of the `document` rule, so that one
//! bad file never stops the others from being checked.

use crate::check;
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Document};
use crate::pack::{RuleSet, Severity};
use crate::snapshot::Snapshot;
use crate::source::{MAX_DOCUMENT_BYTES, Origin, Source};
use crate::waiver::{self, Date};

/// The rule id of findings about the file rather than its sections.
pub use crate::pack::DOCUMENT_RULE;

/// The result of linting one document.
#[derive(Debug)]
pub struct FileReport {
    pub path: String,
    pub origin: Origin,
    /// The content, for line numbers and excerpts.
    pub bytes: Vec<u8>,
    pub diagnostics: Vec<Diagnostic>,
    /// The rules that apply to this document: indices into the rule set's
    /// rules, not switched off and in scope (paths, `when`), in rule order.
    /// Empty when the document could not be parsed. For reports that list
    /// passed rules too (JUnit).
    pub rules: Vec<usize>,
}

/// Parses `bytes` as a document, if they are UTF-8 text.
pub fn parse_bytes(bytes: &[u8]) -> Result<Document, Box<Diagnostic>> {
    text_of(bytes).map(markdown::parse)
}

/// The text of `bytes`, or the `document` finding that says why they are
/// not a text document.
fn text_of(bytes: &[u8]) -> Result<&str, Box<Diagnostic>> {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(Box::new(document_error(
            "binary-file",
            0..0,
            "not a text document: it contains NUL bytes".into(),
            "design documents must be UTF-8 Markdown; exclude this file in designgate.toml",
            true,
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        Box::new(document_error(
            "invalid-utf8",
            at..at + e.error_len().unwrap_or(1),
            format!("invalid UTF-8 at byte {at}"),
            "save the document as UTF-8",
            false,
        ))
    })?;
    if let Some((at, depth)) = too_deep(text) {
        return Err(Box::new(document_error(
            "too-deep",
            at..at + 1,
            format!(
                "blockquotes nest {depth} levels deep here; designgate reads documents whose blockquotes nest at most {MAX_QUOTE_DEPTH} levels"
            ),
            "remove the extra `>` markers",
            false,
        )));
    }
    Ok(text)
}

/// The deepest blockquote nesting a document may have. GitHub renders
/// nothing useful past a few levels; real documents use one or two.
pub const MAX_QUOTE_DEPTH: usize = 100;

/// Where a line starts with more than [`MAX_QUOTE_DEPTH`] `>` markers (spaces
/// and tabs between them allowed), and how many: such a document is not
/// parsed.
///
/// why: the Markdown parser keeps a frame per open blockquote; one line of
/// 8 million `>` took it to 464 MB. One pass over the text finds it first.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    // why: a line's depth counts its `>` bytes, so a document with at most
    // MAX_QUOTE_DEPTH of them in all has no such line; a vectorised search
    // that stops at the first one past that many, instead of a walk over
    // every line (or a count of every byte).
    memchr::memchr_iter(b'>', text.as_bytes()).nth(MAX_QUOTE_DEPTH)?;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let mut depth = 0usize;
        for b in line.bytes() {
            match b {
                b'>' => depth += 1,
                b' ' | b'\t' => {}
                _ => break,
            }
        }
        if depth > MAX_QUOTE_DEPTH {
            return Some((at, depth));
        }
        at += line.len();
    }
    None
}

/// Parses `text` for checking with `rules`: for its outline only when that
/// is all the rules read and the text has no inline waiver (which lives in
/// HTML the outline does not collect), in full otherwise.
fn parse_for(text: &str, rules: &RuleSet) -> Document {
    if rules.headings_only()
        && memchr::memmem::find(text.as_bytes(), b"designgate:").is_none()
        && let Some(doc) = markdown::parse_outline(text)
    {
        return doc;
    }
    markdown::parse(text)
}

/// What linting a document needs besides the document.
#[derive(Clone, Copy)]
pub struct Options<'a> {
    pub rules: &'a RuleSet,
    /// What links resolve against.
    pub snapshot: &'a dyn Snapshot,
    /// The folder holding the config, repository-relative (`""` for the
    /// root): rule `paths` are relative to it.
    pub base: &'a str,
    /// The date waivers expire against.
    pub today: Date,
}

impl Options<'_> {
    /// The path `paths` globs see: relative to the config's folder.
    pub fn local_path<'p>(&self, path: &'p str) -> &'p str {
        if self.base.is_empty() {
            return path;
        }
        path.strip_prefix(self.base)
            .and_then(|p| p.strip_prefix('/'))
            .unwrap_or(path)
    }
}

/// Lints one document with every active rule, then applies its waivers.
pub fn lint_source(source: Source, opts: &Options<'_>) -> FileReport {
    lint_source_with(source, opts, None)
}

/// [`lint_source`], then marks the findings `baseline` lists as suppressed
/// (and, when it records, records them): before findings are summed up, so
/// that a baseline names each finding, listed or not.
pub fn lint_source_with(
    source: Source,
    opts: &Options<'_>,
    baseline: Option<&crate::baseline::Tracker>,
) -> FileReport {
    let mut diagnostics = Vec::new();
    // Where each section's heading starts and its title, for summing up
    // findings per section (see [`limit`]).
    let mut sections: Vec<(usize, String)> = Vec::new();
    let mut in_scope = Vec::new();
    if let Some(size) = source.oversized {
        diagnostics.push(document_error(
            "too-large",
            0..0,
            format!("document is {size} bytes; designgate reads documents of up to {MAX_DOCUMENT_BYTES} bytes"),
            "split the document, or exclude it in designgate.toml",
            true,
        ));
    } else {
        match text_of(&source.bytes) {
            Err(d) => diagnostics.push(*d),
            Ok(text) => {
                let doc = parse_for(text, opts.rules);
                if let Some(Err(e)) = doc.front_matter.as_ref().map(|f| &f.data) {
                    diagnostics.push(document_error(
                        "front-matter",
                        e.offset..e.offset,
                        e.message.clone(),
                        "fix the front matter, or remove it",
                        false,
                    ));
                }
                if let Some(Ok(fm)) = doc.front_matter.as_ref().map(|f| &f.data) {
                    let local = opts.local_path(&source.path);
                    for (key, origin) in opts.rules.malformed_relax_keys(local, Some(fm)) {
                        diagnostics.push(document_error(
                            "invalid-field",
                            0..0,
                            format!("`{key}` in the front matter is a list or a table, but a relaxation ({origin}) compares it as one value, so it relaxes nothing"),
                            "give the key one value, such as `status: draft`",
                            false,
                        ));
                    }
                }
                let local = opts.local_path(&source.path);
                let fm = check::front_matter(&doc);
                in_scope = (opts.rules.rules.iter().enumerate())
                    .filter(|(_, r)| r.severity != Severity::Off && r.applies(local, fm))
                    .map(|(i, _)| i)
                    .collect();
                let work = check::Work::default();
                let ctx = check::Context {
                    rules: opts.rules,
                    path: &source.path,
                    local_path: opts.local_path(&source.path),
                    snapshot: opts.snapshot,
                    text,
                    work: &work,
                };
                let mut findings = check::check_document(&doc, ctx);
                waiver::apply(&doc, text, opts.rules, opts.today, &mut findings);
                diagnostics.extend(findings);
                // why: after the waivers, so that none can waive it: a
                // configuration too slow for a document fails closed.
                if work.exhausted() {
                    diagnostics.push(document_error(
                        "too-expensive",
                        0..0,
                        format!(
                            "the rules are too expensive for this document: their patterns would search more than {} MiB of text in it, so checking stopped and some rules were not checked",
                            check::MAX_REGEX_WORK >> 20
                        ),
                        "use fewer or narrower `forbid`, `require` and `cover` patterns on the sections this document makes long, or split the document",
                        true,
                    ));
                }
                // Moved out of the document, which is done with: a copy of
                // every title cost a run over the KEPs 40,000 allocations.
                sections = doc
                    .sections
                    .into_iter()
                    .map(|s| (s.heading.start, s.title))
                    .collect();
            }
        }
    }
    // Document order reads best; `sort_by_key` is stable, so findings at the
    // same place keep rule order.
    diagnostics.sort_by_key(|d| d.range.start);
    if let Some(baseline) = baseline {
        baseline.apply(&source.path, &mut diagnostics, &sections);
    }
    let diagnostics = limit(diagnostics, &sections);
    FileReport {
        path: source.path,
        origin: source.origin,
        bytes: source.bytes,
        diagnostics,
        rules: in_scope,
    }
}

/// The report for a document whose file name is not UTF-8 (`path` is an
/// escaped rendering of it): one blocking `document` finding.
///
/// why: such a name cannot be shown or matched faithfully, and skipping it
/// would let a failing document through a gate silently.
pub fn bad_name(path: String, origin: Origin) -> FileReport {
    FileReport {
        path,
        origin,
        bytes: Vec::new(),
        diagnostics: vec![document_error(
            "file-name",
            0..0,
            "the file name is not valid UTF-8, so designgate cannot check this document".into(),
            "rename the file to a UTF-8 name (bytes that are not UTF-8 are shown as \\xNN), or exclude it in designgate.toml",
            true,
        )],
        rules: Vec::new(),
    }
}

/// Findings of one rule and check in one section that are listed; the rest
/// are summed up in one finding ("…and 12 more placeholders in section
/// `SLA`").
pub const MAX_PER_SECTION: usize = 5;

/// Findings listed per document (summaries included); the rest are summed
/// up by severity in one finding each.
pub const MAX_PER_DOCUMENT: usize = 100;

/// Characters of a finding's message or help that are kept: a message that
/// quotes a heading of a megabyte would otherwise be a megabyte.
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// Bounds what a document reports, keeping every count true: at most
/// [`MAX_PER_SECTION`] findings of one rule and check per section, at most
/// [`MAX_PER_DOCUMENT`] in all, messages of at most [`MAX_MESSAGE_CHARS`].
/// What is left out is summed up by findings whose
/// [`Diagnostic::elided`] says how many they stand for, so the summary and
/// the exit code are those of the full list. `diagnostics` are sorted by
/// position; `sections` are (heading start, title) in document order.
///
/// why: one line of 32k `TBD ` made 6 GB of human output; nobody reads the
/// 6th placeholder of a section before fixing the first five.
fn limit(diagnostics: Vec<Diagnostic>, sections: &[(usize, String)]) -> Vec<Diagnostic> {
    use std::collections::HashMap;
    // The index of a finding's section: the last heading at or before it.
    let section_of = |d: &Diagnostic| {
        if d.whole_document {
            0
        } else {
            sections.partition_point(|(start, _)| *start <= d.range.start)
        }
    };
    let mut kept: Vec<Diagnostic> = Vec::new();
    // A group: rule, check, section, severity, waived or not, baselined
    // or not.
    type Group = (String, &'static str, usize, Severity, bool, bool);
    // Per group: how many were seen, and the index of its summary in `kept`.
    let mut groups: HashMap<Group, (usize, Option<usize>)> = HashMap::new();
    // The summaries made here, whose message is written once counted.
    let mut made = Vec::new();
    for mut d in diagnostics {
        truncate(&mut d.message);
        if let Some(help) = &mut d.help {
            truncate(help);
        }
        // A summary made by a check stands on its own.
        if d.elided > 0 {
            kept.push(d);
            continue;
        }
        let section = section_of(&d);
        let key = (
            d.rule.clone(),
            d.check,
            section,
            d.severity,
            d.waived.is_some(),
            d.suppressed.is_some(),
        );
        let (seen, summary) = groups.entry(key).or_insert((0, None));
        *seen += 1;
        if *seen <= MAX_PER_SECTION {
            kept.push(d);
            continue;
        }
        match *summary {
            Some(i) => kept[i].elided += 1,
            None => {
                // Kept in case it is the only one past the limit: a
                // finding is shorter than "…and 1 more".
                let original = d.clone();
                d.elided = 1;
                let title = section
                    .checked_sub(1)
                    .and_then(|i| sections.get(i))
                    .map(|(_, t)| t.as_str());
                d.help = Some(format!(
                    "only the first {MAX_PER_SECTION} are listed; fix them and check again to see the rest"
                ));
                d.message = match title {
                    Some(t) => format!("in section `{}`", shorten(t, 80)),
                    None => "before the first heading".to_owned(),
                };
                *summary = Some(kept.len());
                made.push((kept.len(), original));
                kept.push(d);
            }
        }
    }
    for (i, original) in made {
        let d = &mut kept[i];
        if d.elided == 1 {
            *d = original;
            continue;
        }
        d.message = format!(
            "…and {} more {} {}",
            d.elided,
            noun(d.check, d.elided),
            d.message
        );
    }
    if kept.len() <= MAX_PER_DOCUMENT {
        return kept;
    }
    // Past the document's limit: one summary per severity (and waived or
    // not), so the counts stay those of the full list.
    let rest = kept.split_off(MAX_PER_DOCUMENT);
    let mut overflow: Vec<Diagnostic> = Vec::new();
    for d in rest {
        let n = d.count();
        match overflow
            .iter_mut()
            .find(|o| {
                o.severity == d.severity
                    && o.waived.is_some() == d.waived.is_some()
                    && o.suppressed.is_some() == d.suppressed.is_some()
            })
        {
            Some(o) => o.elided += n,
            None => overflow.push(Diagnostic {
                rule: DOCUMENT_RULE.to_owned(),
                check: "too-many-findings",
                area: None,
                severity: d.severity,
                range: d.range.clone(),
                message: String::new(),
                help: Some(format!(
                    "designgate lists at most {MAX_PER_DOCUMENT} findings per document; fix these and check again to see the rest"
                )),
                whole_document: true,
                waived: d.waived.clone(),
                suppressed: d.suppressed.clone(),
                elided: n,
            }),
        }
    }
    for o in &mut overflow {
        let what = match o.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Off => "finding",
        };
        let plural = if o.elided == 1 || o.severity == Severity::Info {
            ""
        } else {
            "s"
        };
        o.message = format!(
            "…and {} more {what}{plural}{} in this document, not listed",
            o.elided,
            if o.waived.is_some() {
                " (waived)"
            } else if o.suppressed.is_some() {
                " (in the baseline)"
            } else {
                ""
            }
        );
    }
    kept.extend(overflow);
    kept
}

/// What a check's findings are called, for "…and 12 more placeholders".
pub fn noun(check: &str, n: usize) -> String {
    let one = match check {
        "placeholder" => "placeholder".to_owned(),
        "broken-link" => "broken link".to_owned(),
        other => return format!("`{other}` finding{}", if n == 1 { "" } else { "s" }),
    };
    if n == 1 { one } else { format!("{one}s") }
}

/// Cuts `text` to [`MAX_MESSAGE_CHARS`] characters, marking the cut.
fn truncate(text: &mut String) {
    // No more bytes than the limit is no more characters either: most
    // messages and helps are shorter, and are not walked.
    if text.len() <= MAX_MESSAGE_CHARS {
        return;
    }
    if let Some((at, _)) = text.char_indices().nth(MAX_MESSAGE_CHARS) {
        text.truncate(at);
        text.push('…');
    }
}

/// `text` cut to `max` characters, with `…` if it was cut.
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// A finding of the `document` rule. `whole_document` is for files with no
/// line worth quoting (binary, oversized).
fn document_error(
    check: &'static str,
    range: std::ops::Range<usize>,
    message: String,
    help: &str,
    whole_document: bool,
) -> Diagnostic {
    Diagnostic {
        rule: DOCUMENT_RULE.to_owned(),
        check,
        area: None,
        severity: Severity::Error,
        range,
        message,
        help: Some(help.to_owned()),
        whole_document,
        waived: None,
        suppressed: None,
        elided: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_QUOTE_DEPTH, too_deep};

    #[test]
    fn only_one_line_of_markers_is_too_deep() {
        let one = "> ".repeat(MAX_QUOTE_DEPTH + 1);
        let text = format!("# A\n\n{one}x\n");
        assert_eq!(too_deep(&text), Some((5, MAX_QUOTE_DEPTH + 1)));
        // as many markers and more, spread over lines or after text
        let spread = format!("{}\nx {one}\n", ">\n".repeat(MAX_QUOTE_DEPTH * 3));
        assert_eq!(too_deep(&spread), None);
        assert_eq!(too_deep(&"> ".repeat(MAX_QUOTE_DEPTH)), None);
    }
}
