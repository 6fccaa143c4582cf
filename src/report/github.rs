//! `--format github`: GitHub Actions workflow commands, one per finding
//! (`::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`),
//! which the runner turns into annotations on the pull request. Waived
//! findings are left out. The run ends with the summary line; when
//! `GITHUB_STEP_SUMMARY` is set, [`super::output`] also appends the
//! [`super::markdown`] summary to that file, since GitHub shows only 10
//! error and 10 warning annotations per step.

use std::io::{self, Write};

use super::Doc;
use crate::pack::Severity;

/// The workflow command of a severity.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Off => "notice",
    }
}

/// A command's message as GitHub's toolkit escapes it: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// A property value as GitHub's toolkit escapes it: as [`escape_data`],
/// and `:` and `,`, which would end the value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The commands for one document's findings, one line each.
pub fn check_file(out: &mut dyn Write, doc: &Doc<'_>) -> io::Result<()> {
    let file = doc.file;
    for (d, (line, col, end_line, end_col), _) in doc.findings().filter(|(d, ..)| d.is_open()) {
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        writeln!(
            out,
            "::{} file={},line={line},endLine={end_line},col={col},endColumn={end_col},title={}::{}",
            command(d.severity),
            escape_property(&file.path),
            escape_property(&format!("designgate {} ({})", d.rule, d.check)),
            escape_data(&message),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{escape_data, escape_property};

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
        // `%` first: an escape already in the text is not undone.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
