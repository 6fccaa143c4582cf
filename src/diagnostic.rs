//! Findings as plain data. Checks produce them; renderers turn them into text.
//! A diagnostic stores a byte range into its document; line and column are
//! worked out when it is rendered.

use std::ops::Range;

use serde::Serialize;

use crate::pack::Severity;

/// One finding in one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule that found it: a pack rule id such as `sla`, or `document`
    /// for findings about the file itself (invalid UTF-8, bad front matter).
    pub rule: String,
    /// The kind of check, such as `missing-section` (see [`crate::check`]).
    pub check: &'static str,
    /// The checklist area's title, if the rule belongs to one.
    pub area: Option<String>,
    pub severity: Severity,
    /// Byte range in the source that the finding points at.
    pub range: Range<usize>,
    pub message: String,
    pub help: Option<String>,
    /// The finding is about the document as a whole (a missing section, an
    /// unreadable file): `range` only says where to point, and renderers
    /// need not quote the line.
    pub whole_document: bool,
    /// Set when a waiver in the document covers this finding: it is kept
    /// (visible in JSON) but does not count or block.
    pub waived: Option<Waived>,
    /// 0 for a finding. For a summary that stands for findings left out of
    /// the report ("…and 31995 more placeholders in section `SLA`"), how
    /// many it stands for: they count (summary, exit code) as if listed.
    /// See [`crate::lint`] for the limits.
    pub elided: usize,
}

impl Diagnostic {
    /// How many findings this stands for: 1, or [`Diagnostic::elided`].
    pub fn count(&self) -> usize {
        if self.elided > 0 { self.elided } else { 1 }
    }
}

/// The waiver that covers a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waived {
    pub reason: String,
    /// `YYYY-MM-DD`, if the waiver has an expiry date.
    pub expires: Option<String>,
    /// Byte offset of the waiver in the document.
    #[serde(skip)]
    pub at: usize,
}

/// Totals over a run; the exit code is derived from these alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings covered by a waiver: listed in JSON, not counted above.
    pub waived: usize,
    /// Findings counted above (or as waived) but not listed one by one:
    /// summed up by summary findings instead. Absent from JSON when 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub elided: usize,
    pub documents: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    pub fn add(&mut self, d: &Diagnostic) {
        let n = d.count();
        self.elided += d.elided;
        if d.waived.is_some() {
            self.waived += n;
            return;
        }
        match d.severity {
            Severity::Error => self.errors += n,
            Severity::Warning => self.warnings += n,
            Severity::Info => self.infos += n,
            Severity::Off => {}
        }
    }

    /// Adds the counts of another summary (of other documents).
    pub fn merge(&mut self, other: &Summary) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.waived += other.waived;
        self.elided += other.elided;
        self.documents += other.documents;
    }
}
