//! `--format markdown`: a summary for a pull-request comment or a job
//! summary: a title with the blocking count, the counts, then a table of
//! findings per document. Everything from a document is escaped, so a
//! heading cannot add a link, an image or HTML to the comment.
//!
//! The tables are collected (the title, which comes first, needs the
//! totals) up to [`MAX_TABLE_BYTES`], which keeps the summary inside a
//! GitHub comment (65,536 characters) and a step summary (1 MiB); the
//! findings past it are counted in a last line.

use std::io::{self, Write};

use super::{Doc, sanitize};
use crate::diagnostic::Summary;

/// Bytes of tables kept; the rest is counted.
pub const MAX_TABLE_BYTES: usize = 48 * 1024;

/// Characters of a message shown in a table cell.
const MAX_CELL_CHARS: usize = 300;

/// `text` safe inside Markdown inline text and a table cell: characters
/// that would start markup (emphasis, code, links, images, HTML, entities,
/// tables, math, strikethrough, headings' closing `#`, and the `:` or
/// `.` that would make an address a link) are backslash escaped, `@` (a
/// mention) becomes `&#64;`; line breaks become spaces; control characters as [`sanitize`].
pub fn escape(text: &str) -> String {
    let text = sanitize(&text.replace(['\r', '\n'], " ")).into_owned();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        let rest = &text[i + c.len_utf8()..];
        let markup = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '!' | '~' | '&' | '$' | '#'
        );
        // `http://…` and `www.…` would become links (GFM autolinks).
        let link = (c == ':' && rest.starts_with("//"))
            || (c == '.' && i >= 3 && text.as_bytes()[i - 3..i].eq_ignore_ascii_case(b"www"));
        if c == '@' {
            // why: a heading or message is repository text, and `@team` in a
            // PR comment is a mention. The same entity as the scorecard's
            // Markdown (scorecard::markdown::text); whether GitHub's mention
            // filter skips it is not tested here (no network).
            out.push_str("&#64;");
            continue;
        }
        if markup || link {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One document's table, and how many findings it lists.
pub fn check_file(doc: &Doc<'_>) -> (Vec<u8>, usize) {
    let file = doc.file;
    let shown: Vec<_> = doc.findings().filter(|(d, ..)| d.is_open()).collect();
    if shown.is_empty() {
        return (Vec::new(), 0);
    }
    let mut out = format!(
        "### {}\n\n| Severity | Line | Rule | Check | Message |\n|---|---:|---|---|---|\n",
        escape(&file.path)
    );
    for &(d, (line, ..), _) in &shown {
        let mut message: String = d.message.chars().take(MAX_CELL_CHARS).collect();
        if message.len() < d.message.len() {
            message.push('…');
        }
        out.push_str(&format!(
            "| {} | {line} | {} | {} | {} |\n",
            d.severity.as_str(),
            escape(&d.rule),
            d.check,
            escape(&message)
        ));
    }
    out.push('\n');
    (out.into_bytes(), shown.len())
}

/// The tables of a run, kept up to [`MAX_TABLE_BYTES`].
#[derive(Debug, Default)]
pub struct Collector {
    body: Vec<u8>,
    omitted_findings: usize,
    omitted_documents: usize,
}

impl Collector {
    /// Keeps a document's table from [`check_file`], or counts it when the
    /// limit is reached.
    pub fn add(&mut self, table: &[u8], findings: usize) {
        if table.is_empty() {
            return;
        }
        if self.omitted_documents == 0 && self.body.len() + table.len() <= MAX_TABLE_BYTES {
            self.body.extend_from_slice(table);
        } else {
            self.omitted_findings += findings;
            self.omitted_documents += 1;
        }
    }

    /// Writes the summary: the title with the blocking count, the counts,
    /// the tables kept, and what was left out.
    pub fn finish(&self, out: &mut dyn Write, s: &Summary, failures: usize) -> io::Result<()> {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let blocking = s.errors + failures;
        if blocking == 0 {
            writeln!(out, "## designgate: nothing blocks\n")?;
        } else {
            writeln!(
                out,
                "## designgate: {} block{}\n",
                plural(blocking, "error"),
                if blocking == 1 { "s" } else { "" }
            )?;
        }
        let mut parts = vec![plural(s.errors, "error"), plural(s.warnings, "warning")];
        if s.infos > 0 {
            parts.push(format!("{} info", s.infos));
        }
        if s.waived > 0 {
            parts.push(format!("{} waived", s.waived));
        }
        if s.suppressed > 0 {
            parts.push(format!("{} baselined", s.suppressed));
        }
        writeln!(
            out,
            "{} in {} checked.",
            parts.join(", "),
            plural(s.documents, "document")
        )?;
        if failures > 0 {
            writeln!(
                out,
                "\n**{} could not be read** (see the job log).",
                plural(failures, "document")
            )?;
        }
        if !self.body.is_empty() {
            writeln!(out)?;
            out.write_all(&self.body)?;
        }
        if self.omitted_documents > 0 {
            writeln!(
                out,
                "{} more in {} not listed here (the summary is kept short); the full list is in the job log.",
                plural(self.omitted_findings, "finding"),
                plural(self.omitted_documents, "document")
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn a_mention_from_a_document_notifies_nobody() {
        assert_eq!(escape("ask @payments-team"), "ask &#64;payments-team");
    }

    #[test]
    fn markup_from_documents_is_escaped() {
        assert_eq!(
            escape("![x](http://t/p.png) <img> a|b `c` *d*\nnext"),
            "\\!\\[x\\](http\\://t/p.png) \\<img\\> a\\|b \\`c\\` \\*d\\* next"
        );
        assert_eq!(
            escape("$x$ ~~s~~ &amp; \u{1b}[31m"),
            "\\$x\\$ \\~\\~s\\~\\~ \\&amp; ␛\\[31m"
        );
        assert_eq!(escape("see www.x.org: a"), "see www\\.x.org: a");
    }
}
