//! Document parse + lint with each built-in pack. The first byte picks the
//! rule set (production-readiness, kep, adr, or all three layered; low two
//! bits) and, with its high bit set, also checks that CRLF line endings and
//! a byte-order mark change no finding; the rest is the document, as
//! committed bytes (any bytes: UTF-8 or not).
#![no_main]

use designgate::pack::{RuleSet, Severity};
use designgate_fuzz::{RULE_SETS, check_report, lint_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, doc)) = data.split_first() else {
        return;
    };
    let rules = &RULE_SETS[usize::from(pick & 3) % RULE_SETS.len()];
    let report = lint_bytes(rules, doc);
    let plain = findings(&report.diagnostics);
    check_report(rules, report);

    if pick & 0x80 != 0
        && let Ok(text) = std::str::from_utf8(doc)
        && !text.contains(['\r', '\u{feff}'])
    {
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(
            plain,
            lint(rules, &crlf),
            "CRLF line endings change the findings"
        );
        let bom = format!("\u{feff}{text}");
        assert_eq!(
            plain,
            lint(rules, &bom),
            "a byte-order mark changes the findings"
        );
    }
});

type Finding = (String, &'static str, Severity, bool);

fn lint(rules: &RuleSet, text: &str) -> Vec<Finding> {
    findings(&lint_bytes(rules, text.as_bytes()).diagnostics)
}

/// (rule, check, severity, waived) of every finding, sorted.
fn findings(diagnostics: &[designgate::Diagnostic]) -> Vec<Finding> {
    let mut out: Vec<Finding> = diagnostics
        .iter()
        .map(|d| (d.rule.clone(), d.check, d.severity, d.waived.is_some()))
        .collect();
    out.sort();
    out
}
