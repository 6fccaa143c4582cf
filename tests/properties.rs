//! Properties of linting, over random Markdown-ish documents built from the
//! pieces that break parsers: fences (closed and not), HTML comments and
//! waivers, setext underlines, CRLF, a BOM, front matter, headings, links,
//! control characters and a huge line. The fuzz targets in fuzz/ explore
//! the same space for hours; this is the short, deterministic run that the
//! stable suite keeps (a fixed seed and case count, a few seconds).

use std::path::Path;

use designgate::diagnostic::Summary;
use designgate::error::{LineIndex, line_column};
use designgate::lint::{self, FileReport, Options};
use designgate::markdown;
use designgate::pack::{BUILTIN_PACKS, RuleSet, Severity};
use designgate::report::{Palette, human, json};
use designgate::snapshot::Empty;
use designgate::source::{Origin, Source};
use designgate::waiver::Date;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

const PIECES: &[&str] = &[
    "# Title\n",
    "## SLA\n",
    "### Availability and alerting\n",
    "## Alerting\n",
    "## Summary\n",
    "## Context\n",
    "## Decision\n",
    "####### seven\n",
    "#no-space\n",
    "Setext title\n===\n",
    "Setext sub\n---\n",
    "---\n",
    "---\nstatus: draft\nowner: [a, b]\n---\n",
    "---\nwaivers:\n  - rule: sla\n    reason: internal\n    expires: 2099-01-01\n---\n",
    "---\nwaivers: nope\n---\n",
    "+++\nstatus = \"implementable\"\n+++\n",
    "+++\nbroken = \n+++\n",
    "```\n",
    "```toml\n## not a heading\n```\n",
    "~~~\n",
    "    ## indented code\n",
    "<!--\n",
    "-->\n",
    "<!-- designgate: waive sla: internal tool -->\n",
    "<!-- designgate: waive cost until 2020-01-01: expired -->\n",
    "<!-- designgate: wave sla: typo -->\n",
    "<!-- designgate: waive nope -->\n",
    "<details><summary>x</summary>\n\n## Hidden\n</details>\n",
    "TBD\n",
    "N/A\n",
    "TODO: fill in\n",
    "99.9% of requests within 200 ms, paged to the on-call.\n",
    "- item one\n- [ ] task\n",
    "| a | b |\n|---|---|\n| 1 | TBD |\n",
    "> ## quoted heading\n",
    "[link](./other.md) ![d](diagram.png) [up](../../../etc/passwd)\n",
    "[ref][r]\n\n[r]: /:(glob)x\n",
    "<img src=\"a.png\"> <a href=\"b.md\">b</a>\n",
    "\r\n",
    "\r",
    "\n",
    "\u{feff}",
    "\u{1b}]52;c;SGk=\u{7}",
    "\u{202e}gpj.exe",
    "\t\u{0}\u{8}\u{7f}\u{85}",
    "é日本語🦀",
    "&amp; &#0; &#x110000;",
    "\\# escaped\n",
];

/// A document: tricky pieces and short random text, in any order.
fn document() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => proptest::sample::select(PIECES).prop_map(str::to_owned),
        2 => proptest::collection::vec(any::<char>(), 0..12).prop_map(String::from_iter),
        // A huge line (issue 9: its findings must not cost its length each).
        1 => (1usize..4).prop_map(|n| format!("{} TBD\n", "word ".repeat(n * 1500))),
    ];
    proptest::collection::vec(piece, 0..16).prop_map(|parts| parts.concat())
}

/// A pack that random documents can pass: one optional section rule.
const LENIENT: &str = r#"
[pack]
name = "lenient"

[[rule]]
id = "sla"
title = "SLA"
headings = ["SLA"]
min_words = 3
severity = "error"
forbid = [{ pattern = '(?i)\bTBD\b', message = "placeholder" }]
"#;

/// Each built-in pack, and the lenient one.
fn rule_sets() -> Vec<RuleSet> {
    BUILTIN_PACKS
        .iter()
        .copied()
        .chain([("lenient", LENIENT)])
        .map(|(name, text)| {
            let mut set = RuleSet::default();
            set.add_pack(Path::new(name), text, name)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            set
        })
        .collect()
}

fn lint(rules: &RuleSet, bytes: &[u8]) -> FileReport {
    let opts = Options {
        rules,
        snapshot: &Empty,
        base: "",
        today: Date {
            year: 2026,
            month: 6,
            day: 1,
        },
    };
    let source = Source::from_git("design/doc.md".to_owned(), Origin::Commit, bytes.to_vec());
    lint::lint_source(source, &opts)
}

/// The invariants of one linted document; returns the exit code.
fn check(rules: &RuleSet, bytes: &[u8]) -> Result<u8, TestCaseError> {
    let report = lint(rules, bytes);
    let text = std::str::from_utf8(bytes).ok();
    let lines = LineIndex::new(bytes);
    for d in &report.diagnostics {
        let r = &d.range;
        prop_assert!(r.start <= r.end && r.end <= bytes.len(), "{d:?}");
        if let Some(text) = text {
            prop_assert!(
                text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
                "{d:?}"
            );
        }
        prop_assert_eq!(lines.line_column(r.start), line_column(bytes, r.start));
        prop_assert!(d.severity != Severity::Off);
        if let Some(w) = &d.waived {
            prop_assert!(rules.rule(&d.rule).is_some_and(|r| r.waivable), "{d:?}");
            prop_assert!(!w.reason.trim().is_empty());
        }
    }

    let mut summary = Summary {
        documents: 1,
        ..Summary::default()
    };
    for d in &report.diagnostics {
        summary.add(d);
    }
    let files = vec![report];
    let mut out = Vec::new();
    json::check(&mut out, &files, &summary, &[])?;
    let value: serde_json::Value = serde_json::from_slice(&out)
        .map_err(|e| TestCaseError::fail(format!("JSON report: {e}")))?;
    prop_assert_eq!(
        value["diagnostics"].as_array().map(Vec::len),
        Some(files[0].diagnostics.len())
    );
    let mut out = Vec::new();
    human::check(&mut out, &files, &summary, rules, Palette::new(false))?;
    let out = String::from_utf8(out).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(
        !out.chars().any(|c| c != '\n' && c.is_control()),
        "raw control character in human output:\n{out}"
    );

    let run = designgate::Run {
        paths: files.iter().map(|f| f.path.clone()).collect(),
        unstaged: Vec::new(),
        failures: Vec::new(),
        summary,
    };
    Ok(designgate::exit_code(&run))
}

/// (level, title) of every section.
fn outline(text: &str) -> Vec<(u8, String)> {
    markdown::parse(text)
        .sections
        .into_iter()
        .map(|s| (s.level, s.title))
        .collect()
}

/// (rule, check, severity, waived) of every finding, sorted.
fn findings(rules: &RuleSet, text: &str) -> Vec<(String, &'static str, Severity, bool)> {
    let mut out: Vec<_> = lint(rules, text.as_bytes())
        .diagnostics
        .into_iter()
        .map(|d| (d.rule, d.check, d.severity, d.waived.is_some()))
        .collect();
    out.sort();
    out
}

#[test]
fn random_documents_keep_every_invariant() {
    let sets = rule_sets();
    let config = Config {
        cases: 64,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        ..Config::default()
    };
    // A fixed seed: the same documents on every run and machine.
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let codes = std::cell::RefCell::new([0usize; 3]);
    let result = runner.run(&(document(), 0..sets.len()), |(doc, pack)| {
        let rules = &sets[pack];
        let code = check(rules, doc.as_bytes())?;
        prop_assert!(code <= 2);
        // The same bytes give the same outline and the same exit code.
        prop_assert_eq!(outline(&doc), outline(&doc));
        prop_assert_eq!(check(rules, doc.as_bytes())?, code);
        // Line endings and a byte-order mark change neither the outline
        // nor the findings.
        if !doc.contains('\r') && !doc.contains('\u{feff}') {
            let crlf = doc.replace('\n', "\r\n");
            prop_assert_eq!(outline(&doc), outline(&crlf));
            prop_assert_eq!(findings(rules, &doc), findings(rules, &crlf), "CRLF");
            let bom = format!("\u{feff}{doc}");
            prop_assert_eq!(findings(rules, &doc), findings(rules, &bom), "BOM");
        }
        // Bytes that are not UTF-8 are a blocking `document` finding.
        let mut broken = doc.clone().into_bytes();
        broken.extend_from_slice(b"\xff\xfe");
        prop_assert_eq!(check(rules, &broken)?, 1);
        codes.borrow_mut()[usize::from(code)] += 1;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // The generator reaches both outcomes, or the properties test little.
    let codes = codes.into_inner();
    assert!(codes[0] > 0 && codes[1] > 0, "exit codes seen: {codes:?}");
}

/// `check --fix`'s edits (issue 10), over the same random documents and
/// every built-in pack: they only insert (the original is the fixed text
/// with the insertions taken out), in the document's line endings, leave no
/// section they add missing, and a second run finds nothing to add.
#[test]
fn random_documents_fix_by_inserting_only_and_once() {
    use designgate::author::{apply_edits, missing_section_edits};
    let configs: Vec<designgate::Config> = BUILTIN_PACKS
        .iter()
        .map(|(name, _)| {
            designgate::Config::from_toml(
                Path::new("designgate.toml"),
                &format!("packs = [\"{name}\"]\n"),
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"))
        })
        .collect();
    let config = Config {
        cases: 48,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[11; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let fixed_some = std::cell::Cell::new(0usize);
    let result = runner.run(&(document(), 0..configs.len()), |(doc, pack)| {
        let config = &configs[pack];
        let fix = missing_section_edits(&doc, "design/doc.md", config);
        let fixed = apply_edits(&doc, &fix.edits);
        // Only insertions: taking them out gives the document back.
        let mut back = String::new();
        let mut at = 0;
        let mut shift = 0;
        for e in &fix.edits {
            prop_assert!(doc.is_char_boundary(e.offset));
            back.push_str(&fixed[at..e.offset + shift]);
            at = e.offset + shift + e.text.len();
            shift += e.text.len();
            let crlf = doc.find('\n').is_some_and(|i| doc[..i].ends_with('\r'));
            if crlf {
                prop_assert!(!e.text.replace("\r\n", "").contains('\n'), "{:?}", e.text);
            } else {
                prop_assert!(!e.text.contains('\r'), "{:?}", e.text);
            }
        }
        back.push_str(&fixed[at..]);
        prop_assert_eq!(&back, &doc);
        // Once is enough.
        let again = missing_section_edits(&fixed, "design/doc.md", config);
        prop_assert!(again.edits.is_empty(), "{:?}\n{fixed:?}", again.edits);
        if !fix.edits.is_empty() {
            fixed_some.set(fixed_some.get() + 1);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(fixed_some.get() > 10, "too few documents needed a fix");
}
