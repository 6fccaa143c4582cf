//! `designgate report --format json`: the [`Report`] as it is, versioned by
//! its `schema` and `version` fields (documented in docs/report.md).

use std::io::Write;

use super::Report;

/// Writes the report as pretty-printed JSON, one line break at the end.
pub fn write(out: &mut dyn Write, report: &Report) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report).map_err(std::io::Error::other)?;
    writeln!(out)
}
