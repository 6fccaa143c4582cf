//! `--format gitlab`: a GitLab Code Quality report (the Code Climate issue
//! format GitLab reads): a JSON array of `{description, check_name,
//! fingerprint, severity, location: {path, lines: {begin, end}}}`, written
//! element by element. Waived findings are left out: GitLab has no notion
//! of a suppressed finding, and they do not block.
//!
//! Severity: error → `critical`, warning → `minor`, info → `info`.
//! The fingerprint is [`super::fingerprint`]: stable when lines shift.

use std::io::{self, Write};

use serde_json::json;

use super::{fingerprints, is_open, span};
use crate::error::LineIndex;
use crate::lint::FileReport;
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

/// One document's issues, each as `,\n  {…}` on one line.
pub fn check_items(file: &FileReport) -> Vec<u8> {
    let lines = LineIndex::new(&file.bytes);
    let mut out = Vec::new();
    for (d, print) in file.diagnostics.iter().zip(fingerprints(file)) {
        if !is_open(d) {
            continue;
        }
        let (begin, _, end, _) = span(&lines, d);
        let issue = json!({
            "type": "issue",
            "description": d.message,
            "check_name": d.rule,
            "fingerprint": print,
            "severity": severity(d.severity),
            "location": { "path": file.path, "lines": { "begin": begin, "end": end } },
        });
        out.extend_from_slice(b",\n  ");
        out.extend_from_slice(issue.to_string().as_bytes());
    }
    out
}
