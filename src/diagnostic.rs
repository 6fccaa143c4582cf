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
    /// Set when a baseline (`check --baseline`) lists this finding: it is
    /// kept (visible in JSON and SARIF, as suppressed) but does not count
    /// or block. Never set on a waived finding.
    pub suppressed: Option<Suppressed>,
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

    /// Whether the finding counts and is shown: neither waived in the
    /// document nor suppressed by a baseline.
    pub fn is_open(&self) -> bool {
        self.waived.is_none() && self.suppressed.is_none()
    }
}

/// Why a finding is suppressed from outside the document. Renderers map
/// it to their own notion of a suppression: in SARIF, a waiver
/// ([`Waived`]) is a suppression of kind `inSource` (justification: its
/// reason) and this one of kind `external` (justification:
/// [`Suppressed::justification`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    pub kind: SuppressionKind,
    /// Where the suppression comes from, for a reader: "listed in the
    /// baseline `.designgate-baseline.json`".
    pub justification: String,
}

/// What suppressed a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressionKind {
    /// An entry of a baseline file (see [`crate::baseline`]).
    Baseline,
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
    /// Findings a baseline lists: listed in JSON (as `suppressed`), not
    /// counted above. Absent from JSON when 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub suppressed: usize,
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
        if d.suppressed.is_some() {
            self.suppressed += n;
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
        self.suppressed += other.suppressed;
        self.elided += other.elided;
        self.documents += other.documents;
    }
}
