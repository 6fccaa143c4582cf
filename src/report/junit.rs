//! `--format junit`: JUnit XML (the Jenkins/Surefire shape; validated
//! against junit-10.xsd in the tests): one `<testsuite>` per document, one
//! `<testcase>` per rule that applies to it, a `<failure>` per error.
//! Warnings, notes and waived findings are listed in the test case's
//! `<system-out>`: they do not fail it. The `document` and `waiver` rules
//! get a test case when they found something. Suites are written as
//! documents are checked; `<testsuites>` carries no totals.

use std::io::{self, Write};

use super::{Doc, SuppressionKind, suppression};
use crate::diagnostic::Diagnostic;
use crate::pack::{RuleSet, Severity};

/// `text` for XML character data or an attribute value: markup characters
/// as references, tabs and line breaks as character references (kept in
/// attributes), characters XML 1.0 cannot hold as U+FFFD.
pub fn escape(text: &str) -> String {
    let plain = |b: &u8| *b >= 0x20 && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    if text.as_bytes().iter().all(plain) && !text.contains(['\u{fffe}', '\u{ffff}']) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

pub fn start(out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"designgate\">"
    )
}

pub fn finish(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "</testsuites>")
}

/// `path:line:column: severity[rule/check] message`, and with `help` the
/// help on a second line.
fn describe(path: &str, (line, column, ..): Span, d: &Diagnostic, help: bool) -> String {
    let mut text = format!(
        "{path}:{line}:{column}: {}[{}/{}] {}",
        d.severity.as_str(),
        d.rule,
        d.check,
        d.message
    );
    if let Some(s) = suppression(d) {
        let how = match s.kind {
            SuppressionKind::InSource => "waived",
            SuppressionKind::External => "suppressed",
        };
        text.push_str(&format!(" ({how}: {})", s.justification));
    }
    if let Some(h) = d.help.as_deref().filter(|_| help) {
        text.push_str("\nhelp: ");
        text.push_str(h);
    }
    text
}

type Span = (usize, usize, usize, usize);

/// The `<testsuite>` of one document.
pub fn check_file(doc: &Doc<'_>, rules: &RuleSet) -> Vec<u8> {
    let file = doc.file;
    let mut ids: Vec<&str> = file
        .rules
        .iter()
        .filter_map(|&i| rules.rules.get(i))
        .map(|r| r.id.as_str())
        .collect();
    for d in &file.diagnostics {
        if !ids.contains(&d.rule.as_str()) {
            ids.push(&d.rule);
        }
    }
    let path = escape(&file.path);
    let mut cases = String::new();
    let mut failed = 0;
    for id in &ids {
        let findings: Vec<(&Diagnostic, Span)> = doc
            .findings()
            .filter(|(d, ..)| d.rule == *id)
            .map(|(d, span, _)| (d, span))
            .collect();
        let (failures, others): (Vec<_>, Vec<_>) = findings
            .iter()
            .partition(|(d, _)| d.severity == Severity::Error && d.is_open());
        let head = format!("    <testcase classname=\"{path}\" name=\"{}\"", escape(id));
        if findings.is_empty() {
            cases.push_str(&head);
            cases.push_str("/>\n");
            continue;
        }
        if !failures.is_empty() {
            failed += 1;
        }
        cases.push_str(&head);
        cases.push_str(">\n");
        for (d, span) in failures {
            cases.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                d.check,
                escape(&d.message),
                escape(&describe(&file.path, span, d, true))
            ));
        }
        if !others.is_empty() {
            let text: Vec<String> = others
                .iter()
                .map(|(d, span)| describe(&file.path, *span, d, false))
                .collect();
            cases.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                escape(&text.join("\n"))
            ));
        }
        cases.push_str("    </testcase>\n");
    }
    format!(
        "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">\n{cases}  </testsuite>\n",
        ids.len()
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn xml_escaping() {
        assert_eq!(
            escape("a<b>&\"c'\n\t\u{1b}\u{0}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;&#9;\u{fffd}\u{fffd}"
        );
    }
}
