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
}

/// Parses `bytes` as a document, if they are UTF-8 text.
pub fn parse_bytes(bytes: &[u8]) -> Result<Document, Box<Diagnostic>> {
    text_of(bytes).map(markdown::parse)
}

/// The text of `bytes`, or the `document` finding that says why they are
/// not a text document.
fn text_of(bytes: &[u8]) -> Result<&str, Box<Diagnostic>> {
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(Box::new(document_error(
            "binary-file",
            0..0,
            "not a text document: it contains NUL bytes".into(),
            "design documents must be UTF-8 Markdown; exclude this file in designgate.toml",
            true,
        )));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        Box::new(document_error(
            "invalid-utf8",
            at..at + e.error_len().unwrap_or(1),
            format!("invalid UTF-8 at byte {at}"),
            "save the document as UTF-8",
            false,
        ))
    })
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
    let mut diagnostics = Vec::new();
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
                let doc = markdown::parse(text);
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
                let ctx = check::Context {
                    rules: opts.rules,
                    path: &source.path,
                    local_path: opts.local_path(&source.path),
                    snapshot: opts.snapshot,
                    text,
                };
                let mut findings = check::check_document(&doc, ctx);
                waiver::apply(&doc, text, opts.rules, opts.today, &mut findings);
                diagnostics.extend(findings);
            }
        }
    }
    // Document order reads best; `sort_by_key` is stable, so findings at the
    // same place keep rule order.
    diagnostics.sort_by_key(|d| d.range.start);
    FileReport {
        path: source.path,
        origin: source.origin,
        bytes: source.bytes,
        diagnostics,
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
    }
}
