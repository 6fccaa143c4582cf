//! Heading normalisation: how a heading in a document and an alias in a rule
//! are made comparable.
//!
//! Both sides go through [`normalize`]: lower case; `&` read as `and`;
//! hyphens, underscores and slashes read as spaces; leading numbering such as
//! `3.2`, `3.2.`, `3)`, `IV.` or `B)` removed; trailing punctuation (`:`, `.`,
//! `?`, `!`, `;`, `,`, `…`) removed; control characters and runs of white
//! space collapsed to one space.

use std::sync::LazyLock;

use regex::Regex;

static NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    // why: a number needs a dot in it (`3.2`), a short number (`1 Summary`) or
    // a `.`/`)` after it (`2024. Roadmap`), or "2024 roadmap" would lose its
    // year; roman numerals (up to xxxix) and single letters need a `.` or `)`,
    // or "I want", "a plan" and "Mix. of" would lose their first word.
    #[allow(clippy::unwrap_used)] // a constant pattern, covered by the tests below
    Regex::new(
        r"^(?:(?:\d+(?:\.\d+)+\.?|\d{1,2}\.?|\d+[.)]|(?:x{0,3}(?:ix|iv|vi{0,3}|i{1,3})|x{1,3})[.)]|[a-z][.)]|§\s*\d+(?:\.\d+)*)\s+)+",
    )
    .unwrap()
});

/// Normalises a heading (or an alias) for comparison.
pub fn normalize(title: &str) -> String {
    let mut s = String::with_capacity(title.len());
    for c in title.chars() {
        match c {
            '&' => s.push_str(" and "),
            '-' | '_' | '/' | '\u{2010}'..='\u{2015}' => s.push(' '),
            c if c.is_control() => s.push(' '),
            c => s.extend(c.to_lowercase()),
        }
    }
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let stripped = NUMBERING.replace(&collapsed, "");
    stripped
        .trim_end_matches(|c: char| {
            matches!(c, ':' | '.' | '?' | '!' | ';' | ',' | '…') || c.is_whitespace()
        })
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn strips_numbering_case_and_punctuation() {
        for (input, want) in [
            ("SLA", "sla"),
            ("3.2 SLA", "sla"),
            ("3.2. SLA:", "sla"),
            ("3) Load testing", "load testing"),
            ("IV. Alerting", "alerting"),
            ("b) Alerting", "alerting"),
            ("§ 4.1 Alerting", "alerting"),
            ("1 Summary", "summary"),
            ("  Load-Testing  ", "load testing"),
            ("Alerting & On-call", "alerting and on call"),
            ("What are the SLOs?", "what are the slos"),
            ("Fair usage policy (FUP)", "fair usage policy (fup)"),
            ("I want a pony", "i want a pony"),
            ("A plan", "a plan"),
            ("2024 roadmap", "2024 roadmap"),
            ("2024. Roadmap", "roadmap"),
            ("Mix. of things", "mix. of things"),
            ("XIV) Alerting", "alerting"),
            ("12 Alerting", "alerting"),
            ("SLA\u{7}", "sla"),
            ("", ""),
        ] {
            assert_eq!(normalize(input), want, "input: {input:?}");
        }
    }
}
