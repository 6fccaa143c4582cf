//! Shared pieces of the designgate fuzz targets: the built-in rule sets,
//! linting bytes through the library exactly as `designgate check` does, and
//! the invariants every report must satisfy. A broken invariant panics, which
//! libFuzzer records as a crash.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use designgate::Run;
use designgate::diagnostic::Summary;
use designgate::error::{LineIndex, line_column};
use designgate::lint::{self, FileReport, Options};
use designgate::markdown::{self, Document};
use designgate::pack::{BUILTIN_PACKS, RuleSet, Severity};
use designgate::report::{Palette, human, json};
use designgate::snapshot::{Content, Entry, Files, Snapshot};
use designgate::source::{Origin, Source};
use designgate::waiver::Date;

/// The date waivers expire against: fixed, so that a crash reproduces on
/// any day.
pub fn today() -> Date {
    Date {
        year: 2026,
        month: 6,
        day: 1,
    }
}

/// Each built-in pack on its own, and all three layered together.
pub static RULE_SETS: LazyLock<Vec<RuleSet>> = LazyLock::new(|| {
    let mut sets: Vec<RuleSet> = BUILTIN_PACKS
        .iter()
        .map(|(name, text)| {
            let mut set = RuleSet::default();
            set.add_pack(Path::new(name), text, name)
                .unwrap_or_else(|e| panic!("built-in pack {name} does not load: {e}"));
            set
        })
        .collect();
    let mut all = RuleSet::default();
    for (name, text) in BUILTIN_PACKS {
        // Packs that define the same id cannot be layered; keep those that fit.
        let _ = all.add_pack(Path::new(name), text, name);
    }
    sets.push(all);
    sets
});

/// Files that exist for link checks, so that both "exists" and "missing"
/// answers are exercised.
pub static FILES: LazyLock<Files> = LazyLock::new(|| Files {
    paths: [
        "design/diagram.png",
        "design/other.md",
        "design/sub/deep.md",
        "README.md",
        "docs/runbook.md",
    ]
    .map(str::to_owned)
    .to_vec(),
});

/// The path every fuzzed document is checked as.
pub const DOC_PATH: &str = "design/doc.md";

/// Lints `bytes` as `designgate check` lints a committed document.
pub fn lint_bytes(rules: &RuleSet, bytes: &[u8]) -> FileReport {
    lint_at(rules, DOC_PATH, bytes, &*FILES)
}

pub fn lint_at(rules: &RuleSet, path: &str, bytes: &[u8], snapshot: &dyn Snapshot) -> FileReport {
    let source = Source::from_git(path.to_owned(), Origin::Commit, bytes.to_vec());
    let opts = Options {
        rules,
        snapshot,
        base: "",
        today: today(),
    };
    lint::lint_source(source, &opts)
}

/// Checks every invariant of one report, renders it in every format, and
/// returns the run (for the exit code).
pub fn check_report(rules: &RuleSet, report: FileReport) -> Run {
    let bytes = &report.bytes;
    let text = std::str::from_utf8(bytes).ok();
    let lines = LineIndex::new(bytes);
    for (i, d) in report.diagnostics.iter().enumerate() {
        let r = &d.range;
        assert!(
            r.start <= r.end && r.end <= bytes.len(),
            "finding range {r:?} outside the {} bytes of the document: {d:?}",
            bytes.len()
        );
        if let Some(text) = text {
            assert!(
                text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
                "finding range {r:?} splits a character: {d:?}"
            );
        }
        let (line, column) = lines.line_column(r.start);
        assert!(line >= 1 && column >= 1, "{line}:{column}");
        // `line_column` rescans the text: compare for the first findings only.
        if i < 32 {
            assert_eq!(
                (line, column),
                line_column(bytes, r.start),
                "LineIndex and line_column disagree at {}",
                r.start
            );
        }
        let (end_line, _) = lines.line_column(r.end);
        assert!(end_line >= line);
        assert!(!d.rule.is_empty() && !d.message.is_empty(), "{d:?}");
        if d.rule != lint::DOCUMENT_RULE && d.rule != designgate::waiver::WAIVER_RULE {
            assert!(
                rules.rule(&d.rule).is_some(),
                "finding of a rule that is not in the rule set: {d:?}"
            );
        }
        if let Some(w) = &d.waived {
            let rule = rules
                .rule(&d.rule)
                .unwrap_or_else(|| panic!("waived finding of an unknown rule: {d:?}"));
            assert!(rule.waivable, "a waiver covered an unwaivable rule: {d:?}");
            assert!(!w.reason.trim().is_empty(), "waived without reason: {d:?}");
            if let Some(expires) = &w.expires {
                let date = Date::parse(expires)
                    .unwrap_or_else(|| panic!("waived by an invalid date: {d:?}"));
                assert!(date >= today(), "waived by an expired waiver: {d:?}");
            }
            assert!(w.at <= bytes.len());
        }
        assert_ne!(d.severity, Severity::Off, "a finding of a rule that is off");
    }
    assert!(
        report
            .diagnostics
            .windows(2)
            .all(|w| w[0].range.start <= w[1].range.start),
        "findings are not in document order"
    );
    if let Some(text) = text {
        check_document(text, rules);
    }

    let mut summary = Summary {
        documents: 1,
        ..Summary::default()
    };
    for d in &report.diagnostics {
        summary.add(d);
    }
    let blocking = report
        .diagnostics
        .iter()
        .any(|d| d.waived.is_none() && d.severity == Severity::Error);
    let files = vec![report];

    // JSON: valid, one entry per finding, positions that match.
    let mut out = Vec::new();
    json::check(&mut out, &files, &summary, &[]).expect("writing to a Vec");
    let value: serde_json::Value = serde_json::from_slice(&out)
        .unwrap_or_else(|e| panic!("JSON report is not valid JSON: {e}"));
    let listed = value["diagnostics"].as_array().map_or(0, Vec::len);
    assert_eq!(listed, files[0].diagnostics.len(), "JSON lost findings");

    // Human and concise: UTF-8, and without raw control characters.
    for concise in [false, true] {
        let mut out = Vec::new();
        if concise {
            human::concise(&mut out, &files, &summary, Palette::new(false))
        } else {
            human::check(&mut out, &files, &summary, rules, Palette::new(false))
        }
        .expect("writing to a Vec");
        let out = String::from_utf8(out).expect("human output is UTF-8");
        assert_no_controls(&out, "human report");
    }

    let run = Run {
        paths: files.iter().map(|f| f.path.clone()).collect(),
        unstaged: Vec::new(),
        failures: Vec::new(),
        summary,
    };
    let code = designgate::exit_code(&run);
    assert_eq!(
        code,
        u8::from(blocking),
        "exit code disagrees with findings"
    );
    run
}

/// Invariants of the parsed document: every range inside the text and on
/// character boundaries, a well-formed section tree, a deterministic parse,
/// and outlines that render.
pub fn check_document(text: &str, rules: &RuleSet) {
    let doc = markdown::parse(text);
    let in_text = |r: &std::ops::Range<usize>, what: &str| {
        assert!(
            r.start <= r.end && r.end <= text.len(),
            "{what} range {r:?} outside the text ({} bytes)",
            text.len()
        );
        assert!(
            text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
            "{what} range {r:?} splits a character"
        );
    };
    for (i, s) in doc.sections.iter().enumerate() {
        in_text(&s.heading, "heading");
        assert!(s.heading.end <= s.end && s.end <= text.len(), "section {i}");
        assert!((1..=6).contains(&s.level));
        if let Some(p) = s.parent {
            assert!(p < i && doc.sections[p].level < s.level, "parent of {i}");
            assert!(doc.sections[p].subtree_end > i);
        }
        assert!(s.subtree_end > i && s.subtree_end <= doc.sections.len());
        let _ = doc.subtree_prose(i);
        let _ = doc.own_prose(i);
        let _ = doc.subtree_words(i);
    }
    for e in &doc.elements {
        in_text(&e.range, "element");
    }
    for h in &doc.html {
        in_text(h, "html");
    }
    if let Some(t) = &doc.title {
        in_text(t, "title");
    }
    if let Some(fm) = &doc.front_matter {
        in_text(&fm.range, "front matter");
        if let Err(e) = &fm.data {
            assert!(e.offset <= text.len(), "front-matter error offset");
        }
    }
    for p in [0, doc.prose.len() / 2, doc.prose.len()] {
        assert!(doc.source_offset(p) <= text.len());
    }
    assert_eq!(
        outline(&doc),
        outline(&markdown::parse(text)),
        "parse is not deterministic"
    );

    let mut out = Vec::new();
    json::outline(&mut out, DOC_PATH, &doc, text.as_bytes(), rules).expect("Vec");
    let _: serde_json::Value =
        serde_json::from_slice(&out).unwrap_or_else(|e| panic!("outline JSON: {e}"));
    let mut out = Vec::new();
    human::outline(
        &mut out,
        DOC_PATH,
        &doc,
        text.as_bytes(),
        rules,
        Palette::new(false),
    )
    .expect("Vec");
    assert_no_controls(&String::from_utf8(out).expect("UTF-8"), "outline");
}

/// The outline as plain data, for comparing two parses.
fn outline(doc: &Document) -> Vec<(u8, String, std::ops::Range<usize>, usize, usize)> {
    doc.sections
        .iter()
        .map(|s| {
            (
                s.level,
                s.title.clone(),
                s.heading.clone(),
                s.end,
                s.own_words,
            )
        })
        .collect()
}

/// Panics if `out` holds a C0 control character other than a line break, or
/// DEL or a C1 control: terminal output must be sanitised.
pub fn assert_no_controls(out: &str, what: &str) {
    if let Some(c) = out.chars().find(|&c| c != '\n' && c.is_control()) {
        panic!("{what} prints the raw control character {c:?}:\n{out}");
    }
}

/// A repository snapshot held in memory: the files of one config input.
/// Nothing is read from the host, and every path the loader asks for must
/// be repository-relative and normalised, as the [`Snapshot`] contract says.
pub struct MemSnapshot {
    pub files: BTreeMap<String, String>,
}

impl MemSnapshot {
    fn check_path(path: &str) {
        assert!(
            !path.starts_with(['/', '\\'])
                && !path.split(['/', '\\']).any(|p| p == ".." || p == ".")
                && !(path.len() >= 2 && path.as_bytes()[1] == b':'),
            "the loader asked the snapshot for a path that is not normalised: {path:?}"
        );
    }
}

impl Snapshot for MemSnapshot {
    fn describe(&self) -> String {
        "the fuzzer's files".to_owned()
    }

    fn entry(&self, path: &str) -> Entry {
        Self::check_path(path);
        if path.is_empty() {
            return Entry::Dir;
        }
        if self.files.contains_key(path) {
            return Entry::File;
        }
        let dir = format!("{path}/");
        if self.files.keys().any(|k| k.starts_with(&dir)) {
            Entry::Dir
        } else {
            Entry::Missing
        }
    }

    fn read(&self, path: &str, limit: u64) -> Result<Content, designgate::Error> {
        Self::check_path(path);
        Ok(match self.files.get(path) {
            Some(text) if text.len() as u64 > limit => Content::TooLarge(text.len() as u64),
            Some(text) => Content::Bytes(text.as_bytes().to_vec()),
            None => Content::Missing,
        })
    }
}
