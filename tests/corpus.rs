//! Runs the parser and the full check over real design documents: the
//! Kubernetes KEPs and Rust RFCs in `../shared/corpus` (see its README.md).
//! The corpus is not part of the repository, so these tests are ignored by
//! default; `cargo test --test corpus -- --ignored` runs them (and fails
//! them if the corpus is missing; `DESIGNGATE_CORPUS` may name its folder).

#![allow(clippy::print_stderr)]

mod support;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use designgate::error::line_column;
use designgate::lint::{lint_source, parse_bytes};
use designgate::markdown::{Document, parse};
use designgate::source::{Origin, Source};
use rayon::prelude::*;

fn corpus() -> Option<PathBuf> {
    support::corpus("corpus test")
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk the corpus"))
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Checks that must hold for every parsed document.
fn check_document(text: &str, doc: &Document) -> Result<(), String> {
    let n = doc.sections.len();
    for (i, s) in doc.sections.iter().enumerate() {
        let at = || format!("section {i} {:?}", s.title);
        if !(1..=6).contains(&s.level) {
            return Err(format!("{}: level {}", at(), s.level));
        }
        if s.title != s.title.trim() || s.title.contains(['\r', '\n']) {
            return Err(format!("{}: title not trimmed to one line", at()));
        }
        let heading = text
            .get(s.heading.clone())
            .ok_or_else(|| format!("{}: heading range {:?} is not in the text", at(), s.heading))?;
        // An ATX heading starts with `#`; a setext heading spans two lines.
        if !heading.starts_with('#') && !heading.trim_end().contains('\n') {
            return Err(format!("{}: heading text {heading:?}", at()));
        }
        if !(s.subtree_end > i && s.subtree_end <= n) {
            return Err(format!("{}: subtree_end {}", at(), s.subtree_end));
        }
        if let Some(p) = s.parent {
            let parent = &doc.sections[p];
            if p >= i || parent.level >= s.level || parent.subtree_end < s.subtree_end {
                return Err(format!("{}: bad parent {p}", at()));
            }
        }
        if doc.sections[i + 1..s.subtree_end]
            .iter()
            .any(|d| d.level <= s.level)
        {
            return Err(format!("{}: a descendant is not deeper", at()));
        }
        let next = doc.sections.get(s.subtree_end);
        if next.is_some_and(|next| next.level > s.level) {
            return Err(format!("{}: the subtree ends too early", at()));
        }
        let expected_end = next.map_or(text.len(), |next| next.heading.start);
        if s.end != expected_end {
            return Err(format!("{}: end {} != {expected_end}", at(), s.end));
        }
        // Own prose ranges tile the prose; a subtree's prose is its
        // sections' own prose.
        let (start, own) = doc.own_prose(i);
        if i + 1 < n && doc.own_prose(i + 1).0 != start + own.len() {
            return Err(format!(
                "{}: own prose does not end where the next starts",
                at()
            ));
        }
        let (sub_start, sub) = doc.subtree_prose(i);
        let (last_start, last) = doc.own_prose(s.subtree_end - 1);
        if sub_start != start || sub_start + sub.len() != last_start + last.len() {
            return Err(format!(
                "{}: subtree prose is not its sections' prose",
                at()
            ));
        }
    }
    // Every plain word of prose maps back to the start of that word in the
    // source. A word may run on past markup (`Kind`s, CEL[language](..)), so
    // only the letters up to the first markup character must match. (A byte
    // loop: `split_whitespace` is slow in a debug build.)
    let prose = doc.prose.as_bytes();
    let mut end = 0;
    while end < prose.len() {
        let start = end;
        while end < prose.len() && !prose[end].is_ascii_whitespace() {
            end += 1;
        }
        let word = &prose[start..end];
        end += 1;
        if word.len() < 4 || !word.iter().all(u8::is_ascii_alphanumeric) {
            continue;
        }
        let offset = doc.source_offset(start);
        let source = text.as_bytes().get(offset..).unwrap_or_default();
        let run = source
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(source.len());
        if run == 0 || !word.starts_with(&source[..run]) {
            let (line, column) = line_column(text.as_bytes(), offset);
            let word = String::from_utf8_lossy(word);
            return Err(format!("prose word {word:?} maps to {line}:{column}"));
        }
    }
    Ok(())
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn every_document_parses_and_lints_without_panic() {
    let Some(dir) = corpus() else { return };
    let rules = designgate::Config::from_toml(Path::new("designgate.toml"), "")
        .expect("built-in configuration")
        .rules;
    let files = markdown_files(&dir);
    assert!(files.len() > 1000, "only {} documents found", files.len());

    let failures: Vec<String> = files
        .par_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(path).expect("read a corpus file");
            let name = path
                .strip_prefix(&dir)
                .unwrap_or(path)
                .display()
                .to_string();
            let outcome = catch_unwind(AssertUnwindSafe(|| -> Result<(), String> {
                let doc = parse_bytes(&bytes).map_err(|d| format!("not parsed: {}", d.message))?;
                let text = std::str::from_utf8(&bytes).map_err(|e| e.to_string())?;
                check_document(text, &doc)?;
                let report = lint_source(
                    Source {
                        path: name.clone(),
                        origin: Origin::Disk,
                        bytes: bytes.clone(),
                        oversized: None,
                    },
                    &designgate::lint::Options {
                        rules: &rules,
                        snapshot: &designgate::snapshot::Empty,
                        base: "",
                        today: designgate::waiver::Date::today(),
                    },
                );
                for d in &report.diagnostics {
                    if text.get(d.range.clone()).is_none() {
                        return Err(format!("finding {} has range {:?}", d.check, d.range));
                    }
                }
                Ok(())
            }));
            match outcome {
                Ok(Ok(())) => None,
                Ok(Err(e)) => Some(format!("{name}: {e}")),
                Err(_) => Some(format!("{name}: panicked")),
            }
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} documents failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// (level, title, line) of every section of a corpus document.
fn outline(dir: &Path, rel: &str) -> Vec<(u8, String, usize)> {
    let path = dir.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc = parse(&text);
    doc.sections
        .iter()
        .map(|s| {
            (
                s.level,
                s.title.clone(),
                line_column(text.as_bytes(), s.heading.start).0,
            )
        })
        .collect()
}

/// Asserts that `outline` has each (level, title), in this order.
fn assert_has_in_order(outline: &[(u8, String, usize)], expected: &[(u8, &str)]) {
    let mut rest = outline.iter();
    for &(level, title) in expected {
        assert!(
            rest.any(|(l, t, _)| *l == level && t == title),
            "no level-{level} section {title:?} (in this order) in {outline:#?}"
        );
    }
}

fn titles_at(outline: &[(u8, String, usize)], level: u8) -> Vec<&str> {
    outline
        .iter()
        .filter(|(l, _, _)| *l == level)
        .map(|(_, t, _)| t.as_str())
        .collect()
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn kep_template_outline() {
    let Some(dir) = corpus() else { return };
    let o = outline(&dir, "keps/keps/NNNN-kep-template/README.md");
    // The title comes after a 67-line HTML comment of instructions.
    assert_eq!(
        o[0],
        (1, "KEP-NNNN: Your short, descriptive title".to_owned(), 68)
    );
    assert_eq!(
        titles_at(&o, 2),
        [
            "Release Signoff Checklist",
            "Summary",
            "Motivation",
            "Proposal",
            "Design Details",
            "Production Readiness Review Questionnaire",
            "Implementation History",
            "Drawbacks",
            "Alternatives",
            "Infrastructure Needed (Optional)",
        ]
    );
    assert_has_in_order(
        &o,
        &[
            (2, "Design Details"),
            (3, "Test Plan"),
            (5, "Unit tests"),
            (3, "Graduation Criteria"),
            (2, "Production Readiness Review Questionnaire"),
            (3, "Monitoring Requirements"),
            (
                6,
                "What are the reasonable SLOs (Service Level Objectives) for the enhancement?",
            ),
            (3, "Dependencies"),
            (3, "Scalability"),
            (3, "Troubleshooting"),
        ],
    );
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn rfc_template_outline() {
    let Some(dir) = corpus() else { return };
    let o = outline(&dir, "rfcs/0000-template.md");
    assert_eq!(
        o.iter()
            .map(|(l, t, _)| (*l, t.as_str()))
            .collect::<Vec<_>>(),
        [
            (2, "Summary"),
            (2, "Motivation"),
            (2, "Guide-level explanation"),
            (2, "Reference-level explanation"),
            (2, "Drawbacks"),
            (2, "Rationale and alternatives"),
            (2, "Prior art"),
            (2, "Unresolved questions"),
            (2, "Future possibilities"),
        ]
    );
    assert_eq!(o[0].2, 6);
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn implemented_keps_outlines() {
    let Some(dir) = corpus() else { return };
    // KEP-2232 (suspend Jobs), status implemented.
    let o = outline(&dir, "keps/keps/sig-apps/2232-suspend-jobs/README.md");
    assert_eq!(o[0], (1, "KEP-2322: Suspend Jobs".to_owned(), 61));
    assert_has_in_order(
        &o,
        &[
            (2, "Summary"),
            (2, "Motivation"),
            (3, "Goals"),
            (3, "Non-Goals"),
            (2, "Proposal"),
            (4, "Story 2"),
            (2, "Design Details"),
            (3, "Update related to KEP-5440"),
            (4, "Beta -> GA Graduation"),
            (2, "Production Readiness Review Questionnaire"),
            (3, "Monitoring Requirements"),
            (3, "Troubleshooting"),
            (2, "Implementation History"),
            (2, "Drawbacks"),
            (2, "Alternatives"),
            (2, "Infrastructure Needed"),
        ],
    );
    assert!(o.contains(&(2, "Design Details".to_owned(), 200)));

    // KEP-1693 (warnings): the title is on line 1, PRR questions at level 6.
    let o = outline(&dir, "keps/keps/sig-api-machinery/1693-warnings/README.md");
    assert_eq!(
        o[0],
        (
            1,
            "KEP-1693: Warning mechanism for use of deprecated APIs".to_owned(),
            1
        )
    );
    assert_has_in_order(
        &o,
        &[
            (2, "Proposal"),
            (3, "Server-side changes"),
            (3, "Client-side changes"),
            (3, "Graduation Criteria"),
            (4, "Beta"),
            (4, "GA"),
            (3, "Feature Enablement and Rollback"),
            (
                6,
                "How can this feature be enabled / disabled in a live cluster?",
            ),
            (3, "Scalability"),
            (
                6,
                "Will enabling / using this feature result in any new API calls?",
            ),
            (2, "References"),
            (2, "Implementation History"),
        ],
    );
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn headings_commented_out_in_a_kep_are_absent() {
    let Some(dir) = corpus() else { return };
    // KEP-2458 "removes" Drawbacks, Alternatives and a Proposal subsection by
    // wrapping them in `<!-- ... -->`.
    let rel = "keps/keps/sig-scheduling/2458-node-resource-score-strategy/README.md";
    let text = std::fs::read_to_string(dir.join(rel)).expect("read KEP-2458");
    for commented in [
        "\n<!--\n## Alternatives\n",
        "\n<!--\n\n## Drawbacks\n",
        "### Notes/Constraints/Caveats (Optional)",
    ] {
        assert!(
            text.contains(commented),
            "KEP-2458 changed upstream: {commented:?}"
        );
    }
    let o = outline(&dir, rel);
    for absent in [
        "Alternatives",
        "Drawbacks",
        "Notes/Constraints/Caveats (Optional)",
    ] {
        assert!(
            !o.iter().any(|(_, t, _)| t == absent),
            "commented-out heading {absent:?} reported: {o:#?}"
        );
    }
    assert_has_in_order(
        &o,
        &[
            (2, "Proposal"),
            (4, "Story 1"),
            (3, "Risks and Mitigations"),
            (2, "Production Readiness Review Questionnaire"),
            (3, "Troubleshooting"),
            (2, "Implementation History"),
        ],
    );
    // Its live "Alpha -> Beta Graduation" counts once, the commented copy not.
    let alpha = o
        .iter()
        .filter(|(_, t, _)| t == "Alpha -> Beta Graduation")
        .count();
    assert_eq!(alpha, 1);
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn a_closing_fence_with_a_trailing_tab_closes_in_kep_4460() {
    let Some(dir) = corpus() else { return };
    // Line 955 is "```\t"; everything after it used to be one code block.
    let o = outline(
        &dir,
        "keps/keps/sig-api-machinery/4460-per-request-deadline/README.md",
    );
    assert!(
        o.contains(&(
            6,
            "Test Exercising the Complete Server Handler Chain".to_owned(),
            969
        )),
        "{o:#?}"
    );
    assert_has_in_order(
        &o,
        &[
            (2, "Production Readiness Review Questionnaire"),
            (3, "Monitoring Requirements"),
            (3, "Troubleshooting"),
            (2, "Implementation History"),
        ],
    );
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn real_rfc_outlines() {
    let Some(dir) = corpus() else { return };
    // RFC 1522, on the older template ("Detailed design", "Alternatives").
    let o = outline(&dir, "rfcs/text/1522-conservative-impl-trait.md");
    assert_has_in_order(
        &o,
        &[
            (2, "Summary"),
            (2, "Background"),
            (2, "Motivation"),
            (2, "Detailed design"),
            (3, "Syntax"),
            (3, "Semantics"),
            (3, "Rationale"),
            (4, "Why these semantics for the return type?"),
            (5, "OIBIT transparency"),
            (2, "Drawbacks"),
            (2, "Alternatives"),
            (2, "Unresolved questions"),
        ],
    );
    assert_eq!(o[0], (2, "Summary".to_owned(), 6));

    // RFC 3529 has CRLF line endings throughout; lines must still be right.
    let o = outline(&dir, "rfcs/text/3529-cargo-path-bases.md");
    assert_has_in_order(
        &o,
        &[
            (2, "Summary"),
            (2, "Motivation"),
            (4, "Example"),
            (3, "Other uses"),
        ],
    );
    assert_eq!(
        &o[..3],
        &[
            (2, "Summary".to_owned(), 6),
            (2, "Motivation".to_owned(), 15),
            (4, "Example".to_owned(), 44),
        ]
    );
    assert!(o.contains(&(3, "cargo add".to_owned(), 219)));

    // A one-line "Moved to ..." stub.
    assert!(outline(&dir, "rfcs/text/2071-impl-trait-type-alias.md").is_empty());
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn rfc_with_yaml_front_matter() {
    let Some(dir) = corpus() else { return };
    let rel = "rfcs/text/3327-lang-team-advisors.md";
    let text = std::fs::read_to_string(dir.join(rel)).expect("read RFC 3327");
    let doc = parse(&text);
    let fm = doc.front_matter.as_ref().expect("front matter");
    assert_eq!(
        fm.data.as_ref().expect("valid YAML"),
        &serde_json::json!({"title": "Lang team advisors RFC"})
    );
    let o = outline(&dir, rel);
    assert_eq!(o[0], (2, "Summary".to_owned(), 10));
    assert_eq!(o.len(), 15);
}
