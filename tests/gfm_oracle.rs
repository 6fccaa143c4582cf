//! designgate's outline against a GitHub Flavored Markdown oracle: comrak,
//! a port of cmark-gfm (the renderer behind github.com), with the
//! extensions GitHub enables. Every heading GitHub shows must be a section
//! of designgate's outline, with the same level, the same plain-text title
//! and on the same line, and designgate must see no heading GitHub does not.
//!
//! Two deliberate differences, applied to the oracle's side:
//! - Front matter (`---` YAML or `+++` TOML at the very start) is data, not
//!   Markdown, for designgate; the oracle is given the same lines blanked.
//!   (GitHub shows YAML front matter as a table, so no heading there either.)
//! - A heading inside a block quote is quoted text, not a section of the
//!   document (RFCs quote the template's `> ## Prior art`): GitHub renders
//!   it, designgate's outline leaves it out on purpose.
//!
//! The hand-written cases run everywhere; the whole-corpus comparison needs
//! `../shared/corpus`.

#![allow(clippy::print_stderr)]

mod support;

use std::path::Path;

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options, parse_document};
use designgate::error::line_column;
use designgate::markdown::parse;

/// (level, title, line) of a heading.
type Heading = (u8, String, usize);

/// The GFM options github.com renders with. (Tag filtering only changes
/// the HTML written out, not the parse.)
fn gfm() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o
}

/// designgate's outline of `text`.
fn designgate_headings(text: &str) -> Vec<Heading> {
    let doc = parse(text);
    doc.sections
        .iter()
        .map(|s| {
            let line = line_column(text.as_bytes(), s.heading.start).0;
            (s.level, s.title.clone(), line)
        })
        .collect()
}

/// The headings GitHub renders for `text`, outside block quotes, with
/// designgate's front matter blanked out.
fn gfm_headings(text: &str) -> Vec<Heading> {
    let doc = parse(text);
    let mut input = text.to_owned();
    if let Some(fm) = &doc.front_matter {
        // The block ends after the closing delimiter's line; keep its line
        // breaks (as blank lines) so that line numbers still agree.
        let after = text[fm.range.end..]
            .find('\n')
            .map_or(text.len(), |i| fm.range.end + i + 1);
        let bom = if text.starts_with('\u{feff}') {
            "\u{feff}"
        } else {
            ""
        };
        let lines = text[..after].matches('\n').count();
        input = format!("{bom}{}{}", "\n".repeat(lines), &text[after..]);
    }
    let arena = Arena::new();
    let root = parse_document(&arena, &input, &gfm());
    let mut out = Vec::new();
    for node in root.descendants() {
        let data = node.data();
        let NodeValue::Heading(h) = &data.value else {
            continue;
        };
        if node
            .ancestors()
            .any(|a| matches!(a.data().value, NodeValue::BlockQuote))
        {
            continue;
        }
        let mut title = String::new();
        plain_text(node, &mut title);
        // Runs of white space are one space in both outlines.
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        out.push((h.level, title, data.sourcepos.start.line));
    }
    out
}

/// The text of a heading as a reader sees it: text and code spans, with
/// line breaks as spaces; markup and inline HTML leave nothing.
fn plain_text<'a>(node: &'a AstNode<'a>, out: &mut String) {
    for child in node.children() {
        match &child.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            _ => plain_text(child, out),
        }
    }
}

/// Where the two outlines of `text` disagree, one line each.
fn disagreements(text: &str) -> Vec<String> {
    let ours = designgate_headings(text);
    let theirs = gfm_headings(text);
    if ours == theirs {
        return Vec::new();
    }
    let mut out = Vec::new();
    for h in &theirs {
        if !ours.contains(h) {
            out.push(format!("  GitHub only:     {h:?}"));
        }
    }
    for h in &ours {
        if !theirs.contains(h) {
            out.push(format!("  designgate only: {h:?}"));
        }
    }
    if out.is_empty() {
        out.push(format!("  order differs: {ours:?} vs {theirs:?}"));
    }
    out
}

fn assert_agrees(text: &str, expected: &[(u8, &str, usize)]) {
    let expected: Vec<Heading> = expected
        .iter()
        .map(|&(l, t, n)| (l, t.to_owned(), n))
        .collect();
    assert_eq!(gfm_headings(text), expected, "the oracle, for {text:?}");
    assert_eq!(
        designgate_headings(text),
        expected,
        "designgate, for {text:?}"
    );
}

#[test]
fn setext_title_then_atx_sections() {
    assert_agrees(
        "Proposal: Faster builds\n-----------------------\n\nAuthor: A\n\n## Background\n\nText.\n\nDetails\n=======\n",
        &[
            (2, "Proposal: Faster builds", 1),
            (2, "Background", 6),
            (1, "Details", 10),
        ],
    );
}

#[test]
fn braces_in_headings_are_text() {
    assert_agrees(
        "# {Your title}\n\n## Options {A, B}\n\n## Anchor {#anchor}\n\n### x/text/{template|html/template} {.cls}\n",
        &[
            (1, "{Your title}", 1),
            (2, "Options {A, B}", 3),
            (2, "Anchor {#anchor}", 5),
            (3, "x/text/{template|html/template} {.cls}", 7),
        ],
    );
}

#[test]
fn html_headings_comments_and_details_are_not_sections() {
    assert_agrees(
        "# Title\n\n<h2>HTML heading</h2>\n\n<!--\n## Commented out\n-->\n\n<details>\n<summary>More</summary>\n\n## Inside details\n\n</details>\n\n<div>\n## Inside a div block\n</div>\n\n## Code `spans` and *emphasis* <br> here\n",
        &[
            (1, "Title", 1),
            (2, "Inside details", 12),
            (2, "Code spans and emphasis here", 20),
        ],
    );
}

#[test]
fn crlf_bom_and_front_matter() {
    assert_agrees(
        "\u{feff}---\r\ntitle: x\r\n---\r\n# Title\r\n\r\nSub\r\n---\r\n\r\n## Last #\r\n",
        &[(1, "Title", 4), (2, "Sub", 6), (2, "Last", 9)],
    );
}

#[test]
fn tables_lists_and_quotes() {
    assert_agrees(
        "# T\n| a | b |\n|---|---|\n| # not | a heading |\n\n- item\n  ## In a list\n\n> ## Quoted\n\n    # indented code\n\n```\n# fenced\n```\n",
        &[(1, "T", 1), (2, "In a list", 7)],
    );
    // A task item underlined by `-` is a heading; its box stays text.
    assert_agrees(
        "- [x] Docs (`k/website`):\n  -\n- [ ] Next\n",
        &[(2, "[x] Docs (k/website):", 1)],
    );
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn outline_agrees_with_github_on_every_corpus_document() {
    // The shared locator also takes DESIGNGATE_CORPUS.
    let Some(dir) = support::corpus("GFM oracle over the corpus") else {
        return;
    };
    let mut files: Vec<_> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    assert!(files.len() > 1000, "only {} documents found", files.len());
    let mut failures = Vec::new();
    let mut headings = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        headings += gfm_headings(&text).len();
        let diff = disagreements(&text);
        if !diff.is_empty() {
            let name = path.strip_prefix(&dir).unwrap_or(path);
            failures.push(format!(
                "{}:\n{}",
                Path::new(name).display(),
                diff.join("\n")
            ));
        }
    }
    assert!(headings > 10_000, "only {headings} headings compared");
    assert!(
        failures.is_empty(),
        "{} of {} documents disagree with GFM:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
