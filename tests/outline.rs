//! `markdown::parse_outline` (the headings-only fast path) against
//! `markdown::parse` (the full parse): wherever the fast path gives a
//! document, its front matter, sections (level, title, title words, heading
//! range, end, nesting) and title must be the full parse's. On the shared corpus (skipped with a message when it is
//! absent), on tricky Markdown written here, and on generated documents.

#![allow(clippy::print_stderr)]

mod support;

use designgate::markdown::{Document, parse, parse_outline};
use proptest::prelude::*;

/// What the fast path must agree on, as one comparable value.
fn outline(doc: &Document) -> String {
    let mut out = String::new();
    if let Some(fm) = &doc.front_matter {
        out += &format!(
            "front matter {:?} {:?} {:?}\n",
            fm.kind,
            fm.range,
            fm.data.as_ref().map_err(|e| (&e.message, e.offset))
        );
    }
    out += &format!("title {:?} {:?}\n", doc.title, doc.title_section());
    for (i, s) in doc.sections.iter().enumerate() {
        out += &format!(
            "{i}: h{} {:?} {:?} {:?} end {} parent {:?} subtree {}\n",
            s.level, s.title, s.title_words, s.heading, s.end, s.parent, s.subtree_end
        );
    }
    out
}

/// `None` when the fast path gave up (allowed), otherwise whether it
/// agrees; panics with both outlines when it does not.
fn agrees(text: &str, name: &str) -> Option<()> {
    let fast = parse_outline(text)?;
    let full = parse(text);
    let (a, b) = (outline(&fast), outline(&full));
    assert!(
        a == b,
        "{name}: the fast outline differs from the full parse\n--- text ---\n{text}\n--- fast ---\n{a}--- full ---\n{b}"
    );
    assert!(fast.outline_only);
    Some(())
}

#[test]
fn agrees_with_the_full_parse_on_the_corpus() {
    let Some(dir) = support::corpus("outline agreement on the corpus") else {
        return;
    };
    let (mut fast, mut all) = (0usize, 0usize);
    for entry in walkdir::WalkDir::new(&dir) {
        let entry = entry.expect("walk the corpus");
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        all += 1;
        let took = agrees(&text, &path.display().to_string()).is_some();
        if !took && std::env::var_os("OUTLINE_DEBUG").is_some() {
            eprintln!("gave up: {}", path.display());
        }
        fast += usize::from(took);
    }
    eprintln!("outline fast path: {fast} of {all} corpus documents");
    assert!(all > 1000, "the corpus has {all} documents");
    // Most documents take the fast path, or it is not a fast path.
    assert!(
        fast * 10 >= all * 7,
        "only {fast} of {all} took the fast path"
    );
}

/// Each case: the fast path must give a document, and it must agree.
#[test]
fn agrees_on_tricky_markdown() {
    let cases = [
        "# Title\n\nIntro.\n\n## Summary\n\nText.\n\n## Motivation\n",
        "Title\n=====\n\nSome text\n---\n\n## Next\n",
        "# T\n\n```\n## not a heading\n```\n\n## Real\n",
        "# T\n\n~~~~\n## not\n~~~\n## still not\n~~~~\n## Real\n",
        "# T\n\n<!--\n## commented out\n-->\n\n## Real\n",
        "# T\n\n<div>\n## inside html\n\n## Real\n",
        "# T\n\n> ## quoted\n> > ## deeper\n\n## Real\n",
        "# T\n\n- item\n  ## in a list item\n- next\n\n## Real\n",
        "# T\n\n- item\n\n      ## indented code in item\n## Real\n",
        "# T\n\n    ## indented code\n\n## Real\n",
        "# T\n\n| a | b |\n|---|---|\n| c | d |\n===\n\n## Real\n",
        "# T\n\na | b\n---\n\n## Real\n",
        "# T\n\n| a |\n---\n\n## Real\n",
        "# T\n\npara\n| a | b |\n| - | - |\n\n## Real\n",
        "# T\r\n\r\nText\r\n---\r\n\r\n## CRLF\r\n",
        "\u{feff}# BOM\n\n## After\n",
        "---\ntitle: x\n---\n# Front\n\n## Matter\n",
        "+++\ntitle = \"x\"\n+++\n# Toml\n\n## Matter\n",
        "# T\n\n## `code` in *heading* with [link](x)\n\n## Tom &amp; Jerry\n",
        "# T\n\nline one\nline two\n===\n\n## Next ##\n\n## Trailing #hash\n",
        "# T\n\n-\n\n  foo\n---\n\n## Real\n",
        "# T\n\n1. a\n2. b\n\n   ## in item two\n\n3) c\n---\n",
        "# T\n\n* a\n\n\n  b\n---\n",
        "# T\n\n\t## tab-indented\n\n-\t## tab after marker\n\n## Real\n",
        "# T\n\n> quote\ncontinued lazily\n---\n## Real\n",
        "# T\n\n>     code in quote\n## Real\n",
        "# T\n\n```\nunclosed fence\n## hidden\n",
        "# T\n\n- a\n```\nfence at top\n```\n## Real\n",
        "# T\n\n<pre>\n## in pre\n</pre>\n## Real\n",
        "# T\n\n<!-- one line --> text\n## Real\n",
        "# T\n\n***\n---\n___\n## Real\n",
        "# T\n\nFoo\n-\n\nBar\n=\n",
        "# T\n\n- [ ] task\n- [x] done\n\n## Real\n",
        "Setext over ATX\n---------------\n\n## A\n\n## B\n",
        "## Restrictions\n\n- Start Date: 2020-01-01\n- RFC PR: x\n\n## Summary\n",
        "# Proposal: X\n\nDiscussion at https://x\n\n## Abstract\n\n# Appendix\n",
        "Intro paragraph.\n\n# One\n\n# Two\n",
        "# Only one heading\n\nand text\n",
        "no headings at all\n",
        "# T\n\nText[^1]\n\n[^1]: note\n    ## in a footnote\n\n## B\n",
        "# T\n\npara\n[^n]: interrupts\n\n    ## still in it\n## B\n[^x\ny]: not one\n",
        "",
    ];
    for (i, text) in cases.iter().enumerate() {
        if text.matches('#').count() + text.matches("\n-").count() + text.matches("\n=").count()
            >= 2
        {
            agrees(text, &format!("case {i}"))
                .unwrap_or_else(|| panic!("case {i}: the fast path gave up on\n{text}"));
        } else {
            agrees(text, &format!("case {i}"));
        }
    }
}

#[test]
fn gives_up_where_it_does_not_follow_the_parser() {
    for text in [
        "# T\n\n[ref]: /url\n===\n\n## B\n",
        "# T\n\n[a]: /url\nSetext after a definition\n---\n\n## B\n",
        "# T\n\n[a]: /url\nx | y\n--|--\n\n## B\n",
        "# T\n\n## A [link][a]\n\n[a]: /url\n",
        "# T\rcarriage\r## B\n",
        "# T\n\n- [ ] task\n  ---\n\n## B\n",
        // A code span across the lines of a setext heading (found by the
        // `outline` fuzz target).
        "# T\n\nabc ` x\n`y\n---\n\n## B\n",
    ] {
        assert!(parse_outline(text).is_none(), "should give up on\n{text}");
    }
}

/// Lines that exercise the block structure; documents are made of them.
const LINES: &[&str] = &[
    "# Title",
    "## Section",
    "### Sub `code` *em*",
    "#### Deep ##",
    "####### not a heading",
    "#no space",
    "Text",
    "more text  ",
    "===",
    "---",
    "-",
    "- - -",
    "***",
    "___",
    "- item",
    "* star item",
    "+ plus",
    "1. one",
    "2) two",
    "10. ten",
    "- [ ] task",
    "- [x] done",
    "-",
    "  - nested",
    "    indented",
    "      deeper",
    "\tTabbed",
    "-\tTab item",
    ">",
    "> quote",
    "> ## quoted heading",
    "> - quoted item",
    ">> double",
    "  > spaced quote",
    "```",
    "```rust",
    "~~~",
    "````",
    "  ```",
    "    ```",
    "``` `bad info`",
    "<!-- comment",
    "-->",
    "<!-- one -->",
    "<div>",
    "</div>",
    "<pre>",
    "</pre>",
    "<details><summary>More</summary>",
    "<?php",
    "?>",
    "<!DOCTYPE html>",
    "<![CDATA[",
    "]]>",
    "| a | b |",
    "|---|---|",
    "| - | :-: |",
    "a | b",
    "--|--",
    "| single |",
    "| --- |",
    "|",
    "\\| escaped",
    "text \\",
    "",
    "",
    "",
    "   ",
    "Setext *title*",
    "Tom &amp; Jerry",
    "  ## indented heading",
    "   ### three spaces",
    "[^1]: a footnote",
    "[^a b]:",
    "[^]: empty",
    "    ## indented in a footnote",
    "Text with a note[^1]",
    "[label]: /url",
    "[label]: /url \"title\"",
    "[Label]",
];

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec((0..LINES.len(), prop::bool::weighted(0.1)), 0..40).prop_map(|picks| {
        let mut out = String::new();
        for (i, crlf) in picks {
            out.push_str(LINES[i]);
            out.push_str(if crlf { "\r\n" } else { "\n" });
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn agrees_on_generated_documents(text in document()) {
        agrees(&text, "generated");
    }

    /// The same, cut anywhere: documents that end mid-line or mid-block.
    #[test]
    fn agrees_on_cut_documents(text in document(), cut in 0usize..2000) {
        let mut cut = cut.min(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        agrees(&text[..cut], "cut");
    }
}

/// A heading that `HeadingIndex::may_match` rules out satisfies no rule:
/// every heading of the corpus, against the MD043 pack's aliases (a set
/// with no heading patterns, where the shortcut applies).
#[test]
fn headings_ruled_out_early_satisfy_no_rule() {
    use designgate::config::Config;
    use designgate::heading::Heading;
    let Some(dir) = support::corpus("heading shortcut on the corpus") else {
        return;
    };
    let work = tempfile::tempdir().expect("temp dir");
    let pack = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/md043.toml");
    std::fs::copy(&pack, work.path().join("md043.toml")).expect("copy the pack");
    std::fs::write(
        work.path().join("designgate.toml"),
        "packs = [\"md043.toml\"]\n",
    )
    .expect("write the config");
    let config = Config::load(work.path(), work.path(), None).expect("load the config");
    let index = config.rules.heading_index();
    let (mut ruled_out, mut all) = (0usize, 0usize);
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&dir) {
        let entry = entry.expect("walk the corpus");
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        for s in parse(&text).sections {
            all += 1;
            if index.may_match(&s.title_words) {
                continue;
            }
            ruled_out += 1;
            if let Some(h) = Heading::new(&s.title_words) {
                index.matches(&h, &mut found);
                assert!(found.is_empty(), "{:?} was ruled out but matches", s.title);
            }
        }
    }
    eprintln!("ruled out {ruled_out} of {all} headings");
    assert!(
        ruled_out * 2 > all,
        "the shortcut ruled out only {ruled_out} of {all}"
    );
}

/// Linting with a headings-only rule set (which takes the fast parse) gives
/// the findings that the same rules give when a content rule in the set
/// makes every document parse in full: on tricky documents (a waiver, front
/// matter, setext titles, link definitions) and on the corpus when present.
#[test]
fn a_headings_only_rule_set_finds_what_a_full_parse_finds() {
    use designgate::config::Config;
    use designgate::lint::{Options, lint_source};
    use designgate::source::{Origin, Source};

    let work = tempfile::tempdir().expect("temp dir");
    let pack = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/md043.toml");
    std::fs::copy(&pack, work.path().join("md043.toml")).expect("copy the pack");
    std::fs::write(
        work.path().join("content.toml"),
        "[pack]\nname = \"content\"\ndescription = \"One rule that reads prose.\"\n\n\
         [[rule]]\nid = \"zz-content\"\ntitle = \"Nothing\"\nheadings = [\"Zzz Nothing Here\"]\nmin_words = 5\n",
    )
    .expect("write the content pack");
    let load = |packs: &str| {
        let dir = work.path().join(packs.replace(['"', ',', ' '], "_"));
        std::fs::create_dir_all(&dir).expect("config folder");
        for f in ["md043.toml", "content.toml"] {
            std::fs::copy(work.path().join(f), dir.join(f)).expect("copy a pack");
        }
        std::fs::write(dir.join("designgate.toml"), format!("packs = [{packs}]\n"))
            .expect("write the config");
        Config::load(&dir, &dir, None)
            .expect("load the config")
            .rules
    };
    let fast = load("\"md043.toml\"");
    let full = load("\"md043.toml\", \"content.toml\"");
    assert!(fast.headings_only() && !full.headings_only());

    let mut docs: Vec<(String, String)> = [
        "# KEP-1: T\n\n## Summary\n\nx\n\n## Motivation\n\n<!-- designgate: waive proposal: not yet -->\n",
        "---\ntitle: x\n---\nTitle\n=====\n\n## Summary\n\n## Proposal\n\n[a]: /url\n",
        "## Restrictions\n\n- Start Date: 2020\n- RFC PR: [x](y)\n\n## Summary\n\n## Drawbacks\n",
        "# One\n\n```\n## Summary\n```\n\n> ## Motivation\n\n- ## Proposal\n",
        "",
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| (format!("case{i}.md"), (*t).to_owned()))
    .collect();
    if let Some(dir) = support::corpus("headings-only findings on the corpus") {
        for entry in walkdir::WalkDir::new(&dir) {
            let entry = entry.expect("walk the corpus");
            if entry.path().extension().is_some_and(|e| e == "md")
                && let Ok(text) = std::fs::read_to_string(entry.path())
            {
                docs.push((entry.path().display().to_string(), text));
            }
        }
    }
    let findings = |rules, path: &str, text: &str| -> Vec<String> {
        let report = lint_source(
            Source {
                path: path.to_owned(),
                origin: Origin::Disk,
                bytes: text.as_bytes().to_vec(),
                oversized: None,
            },
            &Options {
                rules,
                snapshot: &designgate::snapshot::Empty,
                base: "",
                today: designgate::waiver::Date::today(),
            },
        );
        report
            .diagnostics
            .iter()
            .filter(|d| d.rule != "zz-content")
            .map(|d| format!("{d:?}"))
            .collect()
    };
    let mut outlined = 0;
    for (path, text) in &docs {
        outlined += usize::from(parse_outline(text).is_some());
        assert_eq!(
            findings(&fast, path, text),
            findings(&full, path, text),
            "{path}: the headings-only parse changed the findings"
        );
    }
    // The comparison is worth something only if the fast parse was taken.
    assert!(
        outlined * 10 >= docs.len() * 7,
        "only {outlined} of {} documents took the headings-only parse",
        docs.len()
    );
}

/// The generated documents exercise the fast path, not only its giving up.
#[test]
fn generated_documents_mostly_take_the_fast_path() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = document();
    let (mut fast, all) = (0, 2000);
    for _ in 0..all {
        let text = strategy
            .new_tree(&mut runner)
            .expect("a generated document")
            .current();
        fast += usize::from(parse_outline(&text).is_some());
    }
    eprintln!("fast path: {fast} of {all} generated documents");
    assert!(fast * 2 > all, "only {fast} of {all} took the fast path");
}

/// A code span across a setext heading's lines: the fast parse once gave
/// "x y" where the parser gives "xy" (found by the `outline` fuzz target).
#[test]
fn a_code_span_across_setext_lines_agrees() {
    let text = "# T\n\nabc ` x\n`y\n---\n\n## B\n";
    assert!(parse(text).sections[1].title.ends_with("xy"));
    agrees(text, "code span");
}
