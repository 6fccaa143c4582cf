//! Baseline files (`.designgate-baseline.json`, repository-controlled) and
//! their application to a document.
//!
//! The input is a baseline file, then, after a line `%%%`, a document
//! (checked as `design/doc.md` with the built-in pack). Invariants:
//!
//! - a file that does not parse gives an error naming `b.json:LINE:COLUMN`;
//! - one that parses is written back sorted, and that text reads back to
//!   the same entries and the same bytes;
//! - applied to the document, the baseline suppresses at most the sum of
//!   the counts of the entries for its path, never a waived finding, and
//!   every suppressed finding is one its entries name exactly;
//! - the baseline recorded from the document (as `designgate baseline`
//!   does) is written and read back, and suppresses every finding that is
//!   not waived, not a summary of uncollected findings and not
//!   `too-expensive`.
#![no_main]

use std::path::Path;

use designgate::baseline::{self, Baseline, Tracker};
use designgate::lint::{self, Options};
use designgate::pack::RuleSet;
use designgate::source::{Origin, Source};
use designgate_fuzz::{DOC_PATH, today};
use libfuzzer_sys::fuzz_target;

fn lint_with(rules: &RuleSet, doc: &[u8], tracker: &Tracker) -> lint::FileReport {
    let source = Source::from_git(DOC_PATH.to_owned(), Origin::Commit, doc.to_vec());
    let snapshot = designgate::snapshot::Empty;
    let opts = Options {
        rules,
        snapshot: &snapshot,
        base: "",
        today: today(),
    };
    lint::lint_source_with(source, &opts, Some(tracker))
}

fuzz_target!(|data: &[u8]| {
    let (file, doc) = match data.windows(5).position(|w| w == b"\n%%%\n") {
        Some(at) => (&data[..at], &data[at + 5..]),
        None => (data, &b"# Doc\n\n## SLA\n\nTBD\n"[..]),
    };
    // The built-in production-readiness pack.
    let rules = &designgate_fuzz::RULE_SETS[0];
    let shown = Path::new("b.json");

    // What `designgate baseline` records reads back and covers everything.
    let recorder = Tracker::new(Baseline::default(), &[], "b.json".into(), true);
    let plain = lint_with(rules, doc, &recorder);
    let recorded = Baseline {
        commit: None,
        entries: recorder.recorded(),
    };
    let text = baseline::to_json(&recorded);
    let back = baseline::parse(shown, text.as_bytes())
        .unwrap_or_else(|e| panic!("a recorded baseline does not read back: {e}\n{text}"));
    let tracker = Tracker::new(back, &[], "b.json".into(), false);
    let report = lint_with(rules, doc, &tracker);
    for d in &report.diagnostics {
        let coverable = d.waived.is_none() && d.elided == 0 && d.check != "too-expensive";
        if coverable {
            assert!(
                d.suppressed.is_some(),
                "recorded but not suppressed: {d:?}\n{text}"
            );
        }
    }
    assert_eq!(plain.diagnostics.len(), report.diagnostics.len());

    // A file from the repository.
    match baseline::parse(shown, file) {
        Err(e) => {
            let message = e.to_string();
            let rest = message
                .strip_prefix("b.json:")
                .unwrap_or_else(|| panic!("error does not name the file: {message}"));
            let mut parts = rest.splitn(3, ':');
            for what in ["line", "column"] {
                let n = parts.next().and_then(|p| p.parse::<usize>().ok());
                assert!(n.is_some_and(|n| n >= 1), "no {what} in {message}");
            }
        }
        Ok(parsed) => {
            let text = baseline::to_json(&parsed);
            let again = baseline::parse(shown, text.as_bytes())
                .unwrap_or_else(|e| panic!("written baseline does not read back: {e}\n{text}"));
            assert_eq!(baseline::to_json(&again), text, "not stable");
            let mut a = parsed.entries.clone();
            a.sort();
            assert_eq!(a, again.entries);
            let listed: usize = parsed
                .entries
                .iter()
                .filter(|e| e.path == DOC_PATH)
                .map(|e| e.count)
                .sum();
            let entries = parsed.entries.clone();
            let tracker = Tracker::new(parsed, &[], "b.json".into(), false);
            let report = lint_with(rules, doc, &tracker);
            let mut suppressed = 0;
            for d in report.diagnostics.iter().filter(|d| d.suppressed.is_some()) {
                assert!(d.waived.is_none(), "waived and suppressed: {d:?}");
                // A summary made when listing stands for suppressed findings.
                assert!(
                    d.elided > 0
                        || entries.iter().any(|e| e.path == DOC_PATH
                            && e.rule == d.rule
                            && e.check == d.check
                            && e.fingerprint == baseline::fingerprint(&d.message)),
                    "suppressed by no entry: {d:?}"
                );
                suppressed += d.count();
            }
            assert!(
                suppressed <= listed,
                "{suppressed} suppressed, {listed} listed"
            );
        }
    }
});
