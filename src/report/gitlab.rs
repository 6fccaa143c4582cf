//! `--format gitlab`: a GitLab Code Quality report (the Code Climate issue
//! format GitLab reads): a JSON array of `{description, check_name,
//! fingerprint, severity, location: {path, lines: {begin, end}}}`, written
//! element by element. Waived findings are left out: GitLab has no notion
//! of a suppressed finding, and they do not block.
//!
//! Severity: error → `critical`, warning → `minor`, info → `info`.
//! The fingerprint is [`super::fingerprint`]: stable when lines shift.

use std::io::{self, Write};

use serde::Serialize;

use super::Doc;
use crate::pack::Severity;

/// GitLab's severity for a designgate severity (see the module docs).
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "minor",
        Severity::Info | Severity::Off => "info",
    }
}

/// Writes the array piece by piece: [`Stream::start`], [`Stream::items`]
/// with what [`check_items`] made of each document, [`Stream::finish`].
#[derive(Debug, Default)]
pub struct Stream {
    any: bool,
}

impl Stream {
    pub fn start(out: &mut dyn Write) -> io::Result<Self> {
        write!(out, "[")?;
        Ok(Stream::default())
    }

    pub fn items(&mut self, out: &mut dyn Write, items: &[u8]) -> io::Result<()> {
        let items = match items.split_first() {
            Some((b',', rest)) if !self.any => rest,
            Some(_) => items,
            None => return Ok(()),
        };
        self.any = true;
        out.write_all(items)
    }

    pub fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}]", if self.any { "\n" } else { "" })
    }
}

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    description: &'a str,
    check_name: &'a str,
    fingerprint: &'a str,
    severity: &'static str,
    location: IssueLocation<'a>,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// One document's issues, each as `,\n  {…}` on one line.
pub fn check_items(doc: &Doc<'_>) -> Vec<u8> {
    let file = doc.file;
    let mut out = Vec::new();
    for (d, (begin, _, end, _), print) in doc.findings() {
        if !d.is_open() {
            continue;
        }
        let issue = Issue {
            kind: "issue",
            description: &d.message,
            check_name: &d.rule,
            fingerprint: print,
            severity: severity(d.severity),
            location: IssueLocation {
                path: &file.path,
                lines: Lines { begin, end },
            },
        };
        out.extend_from_slice(b",\n  ");
        // Writing to memory fails only on serialisation errors, which these
        // plain types do not have.
        let _ = serde_json::to_writer(&mut out, &issue);
    }
    out
}
