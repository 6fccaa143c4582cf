//! Document parse + lint with each built-in pack. The first byte picks the
//! rule set (production-readiness, kep, adr, or all three layered); the rest
//! is the document, as committed bytes (any bytes: UTF-8 or not).
#![no_main]

use designgate_fuzz::{RULE_SETS, check_report, lint_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, doc)) = data.split_first() else {
        return;
    };
    let rules = &RULE_SETS[usize::from(pick) % RULE_SETS.len()];
    let report = lint_bytes(rules, doc);
    check_report(rules, report);
});
