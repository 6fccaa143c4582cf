//! Parsing real-world Markdown into sections: the outline (level, title,
//! line), nesting, word counts, front matter and offsets.

use designgate::error::line_column;
use designgate::lint::parse_bytes;
use designgate::markdown::{Document, FrontMatterKind, parse};
use serde_json::json;

/// (level, title, line) of every section, in document order.
fn outline(text: &str) -> Vec<(u8, String, usize)> {
    outline_of(text, &parse(text))
}

fn outline_of(text: &str, doc: &Document) -> Vec<(u8, String, usize)> {
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

/// Shorthand for an expected outline.
fn sections(expected: &[(u8, &str, usize)]) -> Vec<(u8, String, usize)> {
    expected
        .iter()
        .map(|&(level, title, line)| (level, title.to_owned(), line))
        .collect()
}

/// (parent, subtree_end) of every section.
fn tree(doc: &Document) -> Vec<(Option<usize>, usize)> {
    doc.sections
        .iter()
        .map(|s| (s.parent, s.subtree_end))
        .collect()
}

/// Line and column of the first `needle` in the prose of section `index`
/// (with subsections), mapped back to the source.
fn locate(text: &str, doc: &Document, index: usize, needle: &str) -> (usize, usize) {
    let (base, prose) = doc.subtree_prose(index);
    let at = prose
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in prose {prose:?}"));
    let offset = doc.source_offset(base + at);
    assert_eq!(
        text.get(offset..offset + needle.len()),
        Some(needle),
        "source_offset of {needle:?} points elsewhere"
    );
    line_column(text.as_bytes(), offset)
}

// ---------------------------------------------------------------------------
// Code blocks

#[test]
fn headings_inside_fenced_code_are_not_sections() {
    let text = "\
# Title

```bash
# install the tool
## not a heading either
```

~~~yaml
# a YAML comment
~~~

## Real

````markdown
```
# still inside the four-backtick fence
```
## and still inside
````

## After fences
";
    assert_eq!(
        outline(text),
        sections(&[(1, "Title", 1), (2, "Real", 12), (2, "After fences", 21)])
    );
}

#[test]
fn a_shorter_or_different_fence_does_not_close_a_block() {
    let text = "\
## A

~~~~
```
## inside: backticks do not close a tilde fence
~~~
## inside: three tildes do not close four
~~~~

## B
";
    assert_eq!(outline(text), sections(&[(2, "A", 1), (2, "B", 10)]));
}

#[test]
fn an_unclosed_fence_runs_to_the_end_of_the_document() {
    let text = "\
# Title

Some prose here.

```
## Swallowed

text
";
    let doc = parse(text);
    assert_eq!(outline_of(text, &doc), sections(&[(1, "Title", 1)]));
    assert_eq!(doc.sections[0].own_words, 3);
    assert_eq!(doc.sections[0].end, text.len());
}

#[test]
fn indented_code_is_not_a_heading_but_three_spaces_are() {
    let text = "\
# Title

    # indented code, not a heading
    ## neither is this

   ## Three spaces is a heading

\t## a tab indents code too
";
    let doc = parse(text);
    assert_eq!(
        outline_of(text, &doc),
        sections(&[(1, "Title", 1), (2, "Three spaces is a heading", 6)])
    );
    assert_eq!(doc.prose.trim(), "", "code is not prose");
}

// ---------------------------------------------------------------------------
// HTML

#[test]
fn headings_in_html_comments_are_absent() {
    // Kubernetes KEPs "remove" template sections by commenting them out,
    // blank lines and all.
    let text = "\
# KEP-1234: Widgets

<!-- ## Single-line comment -->

## Summary

Widgets are great.

<!--
## Drawbacks

Nobody filled this in.

### Alternatives
-->

## Design Details <!-- required -->

<!-- toc -->
- [Summary](#summary)
<!-- /toc -->

  <!--
## Indented opener still opens a comment block
  -->
## Infrastructure Needed
";
    let doc = parse(text);
    assert_eq!(
        outline_of(text, &doc),
        sections(&[
            (1, "KEP-1234: Widgets", 1),
            (2, "Summary", 5),
            (2, "Design Details", 17),
            (2, "Infrastructure Needed", 26),
        ])
    );
    assert_eq!(doc.sections[1].own_words, 3, "comment text is not prose");
    assert!(!doc.prose.contains("Nobody"));
}

#[test]
fn html_blocks_hide_headings_until_a_blank_line() {
    let text = "\
# T

<details>
<summary>Click</summary>
## Inside the HTML block
</details>

<details>
<summary>Expand</summary>

## Markdown inside details

Body text.

</details>

<div align=\"center\">
## Also HTML
</div>
";
    let doc = parse(text);
    assert_eq!(
        outline_of(text, &doc),
        sections(&[(1, "T", 1), (2, "Markdown inside details", 11)])
    );
    assert_eq!(doc.sections[1].own_words, 2);
}

// ---------------------------------------------------------------------------
// Heading syntax

#[test]
fn setext_headings_and_thematic_breaks() {
    let text = "\
Design Doc
==========

Overview
--------

Text.

---

***

Multi-line
setext title
---

A paragraph directly followed by dashes
---
";
    let doc = parse(text);
    assert_eq!(
        outline_of(text, &doc),
        sections(&[
            (1, "Design Doc", 1),
            (2, "Overview", 4),
            (2, "Multi-line setext title", 13),
            // CommonMark: `---` right under a paragraph is an underline.
            (2, "A paragraph directly followed by dashes", 17),
        ])
    );
    // The heading range covers both lines of a setext heading.
    let h = &doc.sections[0].heading;
    assert!(text[h.clone()].starts_with("Design Doc\n====="));
    assert_eq!(doc.sections[1].own_words, 1);
}

#[test]
fn atx_closing_hashes_and_edge_cases() {
    let text = "\
## SLA ##
### Error budget ###   
## C# ##
## Issue #42
## Foo#
#hashtag is not a heading
\\## escaped is not a heading
#
####### seven is too many
";
    assert_eq!(
        outline(text),
        sections(&[
            (2, "SLA", 1),
            (3, "Error budget", 2),
            (2, "C#", 3),
            (2, "Issue #42", 4),
            (2, "Foo#", 5),
            (1, "", 8),
        ])
    );
}

#[test]
fn markup_in_titles_is_reduced_to_plain_text() {
    let text = "\
## The *fast* [SLA](x) for `api`
## **Bold** and __strong__ and ~~gone~~
## ![logo](logo.png) Rollout <a name=\"rollout\"></a>
## Escapes \\*not emphasis\\* &amp; entities
## [Link with `code`](https://example.com)
";
    assert_eq!(
        outline(text),
        sections(&[
            (2, "The fast SLA for api", 1),
            (2, "Bold and strong and gone", 2),
            (2, "logo Rollout", 3),
            (2, "Escapes *not emphasis* & entities", 4),
            (2, "Link with code", 5),
        ])
    );
}

#[test]
fn numbered_titles_are_kept_as_written() {
    let text = "\
# 1. Introduction
## 1.1 Goals
## 2) Non-Goals
## IV. Alternatives
### A.3 - Risks and Mitigations
";
    assert_eq!(
        outline(text),
        sections(&[
            (1, "1. Introduction", 1),
            (2, "1.1 Goals", 2),
            (2, "2) Non-Goals", 3),
            (2, "IV. Alternatives", 4),
            (3, "A.3 - Risks and Mitigations", 5),
        ])
    );
}

#[test]
fn headings_of_every_level_nest() {
    let text = "\
# One
one
## Two
two two
### Three
three three three
#### Four
four
##### Five
five
###### Six
six
## Two again
end
";
    let doc = parse(text);
    assert_eq!(
        outline_of(text, &doc),
        sections(&[
            (1, "One", 1),
            (2, "Two", 3),
            (3, "Three", 5),
            (4, "Four", 7),
            (5, "Five", 9),
            (6, "Six", 11),
            (2, "Two again", 13),
        ])
    );
    assert_eq!(
        tree(&doc),
        vec![
            (None, 7),
            (Some(0), 6),
            (Some(1), 6),
            (Some(2), 6),
            (Some(3), 6),
            (Some(4), 6),
            (Some(0), 7),
        ]
    );
    let own: Vec<usize> = doc.sections.iter().map(|s| s.own_words).collect();
    assert_eq!(own, vec![1, 2, 3, 1, 1, 1, 1]);
    assert_eq!(doc.subtree_words(0), 10);
    assert_eq!(doc.subtree_words(1), 8);
    assert_eq!(doc.subtree_words(4), 2);
    assert_eq!(
        doc.subtree_prose(2).1,
        "three three three\nfour\nfive\nsix\n"
    );
    // A section ends where the next heading of the same or a higher level
    // starts.
    let two_again = doc.sections[6].heading.start;
    for s in &doc.sections[1..6] {
        assert_eq!(s.end, two_again);
    }
    assert_eq!(doc.sections[0].end, text.len());
}

#[test]
fn skipped_levels_still_nest_by_level() {
    let text = "\
# Title
### Deep
#### Deeper
## Shallower
### Child
# Second title
";
    let doc = parse(text);
    assert_eq!(
        outline_of(text, &doc),
        sections(&[
            (1, "Title", 1),
            (3, "Deep", 2),
            (4, "Deeper", 3),
            (2, "Shallower", 4),
            (3, "Child", 5),
            (1, "Second title", 6),
        ])
    );
    assert_eq!(
        tree(&doc),
        vec![
            (None, 5),
            (Some(0), 3),
            (Some(1), 3),
            (Some(0), 5),
            (Some(3), 5),
            (None, 6),
        ]
    );
    // The document title is the first level-1 heading.
    assert_eq!(doc.title, Some(doc.sections[0].heading.clone()));
}

#[test]
fn title_after_preamble_text() {
    let text = "\
Status: draft, owner: someone

Some preamble words here.

# The Title

Intro.

## Summary

Summary words.
";
    let doc = parse(text);
    assert_eq!(
        outline_of(text, &doc),
        sections(&[(1, "The Title", 5), (2, "Summary", 9)])
    );
    let title = doc.title.clone().expect("a title");
    assert_eq!(line_column(text.as_bytes(), title.start), (5, 1));
    assert!(text[title].starts_with("# The Title"));
    // The preamble belongs to no section.
    assert_eq!(doc.sections[0].own_words, 1);
    assert_eq!(doc.subtree_words(0), 3);
    assert!(doc.prose.starts_with("Status: draft"));
}

/// The title section's heading line, if the document has a title.
fn title_of(text: &str) -> Option<(String, usize)> {
    let doc = parse(text);
    let i = doc.title_section()?;
    assert_eq!(doc.title, Some(doc.sections[i].heading.clone()));
    assert_eq!(doc.anchor(), doc.sections[i].heading);
    let line = line_column(text.as_bytes(), doc.sections[i].heading.start).0;
    Some((doc.sections[i].title.clone(), line))
}

fn titled(title: &str, line: usize) -> Option<(String, usize)> {
    Some((title.to_owned(), line))
}

#[test]
fn a_title_at_any_level() {
    // The only level-1 heading.
    assert_eq!(
        title_of("Status: draft\n\n# Load shedding\n\nIntro.\n\n## Summary\n\n## Design\n"),
        titled("Load shedding", 3)
    );
    // A setext title over ATX sections of the same level.
    assert_eq!(
        title_of(
            "Delete the alarm API\n--------------------\n\nIntro.\n\n## Summary\n\nText.\n\n## Release\n"
        ),
        titled("Delete the alarm API", 1)
    );
    // A title over a metadata block, sections at the same level (Go and
    // Rust proposals).
    let go = "## Proposal: faster builds\n\nAuthors: A, B\n\nLast Updated: 2020-09-29\n\n\
              Discussion at https://example.com/issue/1.\n\n## Abstract\n\nWords.\n";
    assert_eq!(title_of(go), titled("Proposal: faster builds", 1));
    let rfc = "## Restrictions\n\n- Start Date: 2022-10-09\n- RFC PR: [rfcs#3323](https://x/3323)\n\n\
               ## Summary\n\nText.\n";
    assert_eq!(title_of(rfc), titled("Restrictions", 1));
    // The same block under a deeper first heading still makes it the title.
    assert_eq!(
        title_of("### Proposal: pmem\n\nAuthor: A\nLast updated: B\n\n## Background\n"),
        titled("Proposal: pmem", 1)
    );
    // Subsections straight under the first heading, a later heading of
    // the same level (an appendix).
    assert_eq!(
        title_of(
            "# Proposal: X\n\nDiscussion at https://example.com/1\n\n## Abstract\n\nText.\n\n# Appendix\n"
        ),
        titled("Proposal: X", 1)
    );
    // After front matter and a comment.
    assert_eq!(
        title_of("---\nowner: a\n---\n<!-- toc -->\n\nTitle\n=====\n\n# Summary\n"),
        titled("Title", 6)
    );
}

#[test]
fn sections_of_one_level_have_no_title() {
    for text in [
        // The Rust RFC template: level-2 sections, metadata before them.
        "- Feature Name: x\n- Start Date: y\n\n## Summary\n\nOne line.\n\n## Motivation\n\nText.\n",
        // A wrapped paragraph with colons is not metadata.
        "## Summary\n\nReplace `Vec::drain` by a method that accepts a range. Add\n`String::drain` with similar functionality.\n\n## Motivation\n",
        // A table of contents with a few `Future work: x` entries is not either.
        "## Table of Contents\n\n- [Goal](#goal)\n- [API](#api)\n- [Future work: HA](#ha)\n- [Future work: docs](#docs)\n- [Risks](#risks)\n\n## Goal\n",
        // Older RFCs: several level-1 sections.
        "# Summary\n\nText.\n\n# Motivation\n\nMore.\n",
        // A setext section among setext sections.
        "Summary\n-------\n\nText.\n\nMotivation\n----------\n",
        // A heading after paragraphs heads a section of an untitled document.
        "**The council**\n\nThis RFC establishes a council. It has several paragraphs of text.\n\n# Procedural information\n\n## Discussion\n\n# Translations\n",
        // A level-2 heading over level-3 ones is a section.
        "## SLA\n\n### Targets\n\n99.9%.\n",
        "## SLA\n\nText.\n",
        // A later heading is shallower.
        "## Context\n\n# SLA\n",
        "## Summary\n\n### Detail\n\n# Other\n",
        "",
        "Just text.\n",
    ] {
        let doc = parse(text);
        assert_eq!(doc.title_section(), None, "{text:?}");
        assert_eq!(doc.title, None, "{text:?}");
        assert_eq!(doc.anchor(), 0..0, "{text:?}");
    }
}

// ---------------------------------------------------------------------------
// Encodings and line endings

#[test]
fn crlf_line_endings() {
    let text = "# Title\r\n\r\nIntro words.\r\n\r\n## Sub ##\r\n\r\nSome words here\r\nand more\r\n\r\nSetext\r\n------\r\n\r\n- item one\r\n- item two\r\n";
    let doc = parse(text);
    assert_eq!(
        outline_of(text, &doc),
        sections(&[(1, "Title", 1), (2, "Sub", 5), (2, "Setext", 10)])
    );
    for s in &doc.sections {
        assert!(!s.title.contains('\r'), "{:?}", s.title);
    }
    let own: Vec<usize> = doc.sections.iter().map(|s| s.own_words).collect();
    assert_eq!(own, vec![2, 5, 4]);
    assert_eq!(locate(text, &doc, 1, "more"), (8, 5));
    assert_eq!(locate(text, &doc, 2, "two"), (14, 8));
}

#[test]
fn byte_order_mark() {
    let text = "\u{feff}# Title\n\nSome TBD text.\n\n## Next\n";
    let doc = parse(text);
    assert_eq!(
        outline_of(text, &doc),
        sections(&[(1, "Title", 1), (2, "Next", 5)])
    );
    // Offsets are into the text with the BOM: the heading starts after it.
    assert_eq!(doc.sections[0].heading.start, 3);
    assert_eq!(doc.title, Some(doc.sections[0].heading.clone()));
    assert_eq!(doc.sections[0].own_words, 3);
    assert_eq!(locate(text, &doc, 0, "TBD"), (3, 6));
    // A BOM before front matter.
    let text = "\u{feff}---\nowner: team-a\n---\n# Title\n";
    let doc = parse(text);
    let fm = doc.front_matter.expect("front matter");
    assert_eq!(fm.data.expect("valid"), json!({"owner": "team-a"}));
    assert_eq!(outline(text), sections(&[(1, "Title", 4)]));
}

#[test]
fn empty_and_blank_documents() {
    for text in ["", "\n", "   \n\t\n  ", "\r\n\r\n", "\u{feff}"] {
        let doc = parse(text);
        assert!(doc.sections.is_empty(), "{text:?}");
        assert!(doc.front_matter.is_none(), "{text:?}");
        assert_eq!(doc.title, None);
        assert_eq!(doc.prose.trim(), "");
    }
}

#[test]
fn invalid_utf8_is_a_diagnostic() {
    let bytes = b"# Title\n\nCaf\xe9 au lait\n";
    let d = parse_bytes(bytes).expect_err("not UTF-8");
    assert_eq!(d.rule, "document");
    assert_eq!(d.check, "invalid-utf8");
    assert_eq!(d.range, 12..13);
    assert_eq!(line_column(bytes, d.range.start), (3, 4));
    // A truncated multi-byte sequence at the very end.
    let d = parse_bytes(b"# T\n\xe2\x82").expect_err("truncated");
    assert_eq!(d.check, "invalid-utf8");
    assert_eq!(d.range.start, 4);
}

#[test]
fn binary_file_is_a_diagnostic() {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend([0xff; 64]);
    let d = parse_bytes(&bytes).expect_err("binary");
    assert_eq!(d.rule, "document");
    assert_eq!(d.check, "binary-file");
    // Valid UTF-8 with a NUL is still binary.
    let d = parse_bytes(b"# Title\n\0\n").expect_err("NUL");
    assert_eq!(d.check, "binary-file");
    // And plain text parses.
    let doc = parse_bytes("# Título\n".as_bytes()).expect("valid");
    assert_eq!(doc.sections[0].title, "Título");
}

// ---------------------------------------------------------------------------
// Front matter

#[test]
fn yaml_front_matter() {
    let text = "\
---
title: Widgets
authors:
  - alice
  - bob
status: implementable
---
# Widgets

## Summary
";
    let doc = parse(text);
    let fm = doc.front_matter.as_ref().expect("front matter");
    assert_eq!(fm.kind, FrontMatterKind::Yaml);
    assert_eq!(
        fm.data.as_ref().expect("valid"),
        &json!({"title": "Widgets", "authors": ["alice", "bob"], "status": "implementable"})
    );
    assert!(text[fm.range.clone()].starts_with("title: Widgets\n"));
    assert!(text[fm.range.clone()].ends_with("status: implementable\n"));
    assert_eq!(
        outline_of(text, &doc),
        sections(&[(1, "Widgets", 8), (2, "Summary", 10)])
    );
    assert!(doc.prose.trim().is_empty(), "front matter is not prose");
}

#[test]
fn toml_front_matter() {
    let text = "\
+++
title = \"Widgets\"
draft = false
[owner]
team = \"platform\"
+++

# Widgets
";
    let doc = parse(text);
    let fm = doc.front_matter.as_ref().expect("front matter");
    assert_eq!(fm.kind, FrontMatterKind::Toml);
    assert_eq!(
        fm.data.as_ref().expect("valid"),
        &json!({"title": "Widgets", "draft": false, "owner": {"team": "platform"}})
    );
    assert_eq!(outline_of(text, &doc), sections(&[(1, "Widgets", 8)]));
}

#[test]
fn yaml_front_matter_may_end_with_dots_and_may_be_empty() {
    let doc = parse("---\na: 1\n...\n# T\n");
    assert_eq!(
        doc.front_matter.expect("fm").data.expect("valid"),
        json!({"a": 1})
    );
    let doc = parse("---\n---\n# T\n");
    assert_eq!(
        doc.front_matter.expect("fm").data.expect("valid"),
        json!({})
    );
}

#[test]
fn invalid_front_matter_points_at_the_bad_line() {
    let text = "---\ntitle: ok\nreviewers: [alice\n---\n# T\n";
    let doc = parse(text);
    let fm = doc.front_matter.as_ref().expect("front matter");
    let e = fm.data.as_ref().expect_err("invalid YAML");
    assert!(e.message.contains("YAML"), "{}", e.message);
    assert_eq!(line_column(text.as_bytes(), e.offset).0, 3);
    assert_eq!(outline_of(text, &doc), sections(&[(1, "T", 5)]));

    let text = "+++\ntitle = \"ok\"\nstatus = draft\n+++\n# T\n";
    let doc = parse(text);
    let e = doc
        .front_matter
        .as_ref()
        .expect("fm")
        .data
        .as_ref()
        .expect_err("invalid TOML");
    assert!(e.message.contains("TOML"), "{}", e.message);
    assert_eq!(line_column(text.as_bytes(), e.offset), (3, 10));

    // The same with CRLF line endings: the `\r`s must not shift the offset.
    let text = "---\r\na: 1\r\nb: 2\r\nc: [\r\n---\r\n# T\r\n";
    let doc = parse(text);
    let e = doc
        .front_matter
        .as_ref()
        .expect("fm")
        .data
        .as_ref()
        .expect_err("invalid");
    assert_eq!(line_column(text.as_bytes(), e.offset).0, 4);
    let text = "+++\r\na = 1\r\nb = 2\r\nc = \r\n+++\r\n# T\r\n";
    let doc = parse(text);
    let e = doc
        .front_matter
        .as_ref()
        .expect("fm")
        .data
        .as_ref()
        .expect_err("invalid");
    assert_eq!(line_column(text.as_bytes(), e.offset), (4, 5));

    // After a BOM.
    let text = "\u{feff}---\nok: 1\nbad: [\n---\n";
    let e = parse(text)
        .front_matter
        .expect("fm")
        .data
        .expect_err("invalid");
    assert_eq!(line_column(text.as_bytes(), e.offset).0, 3);
}

#[test]
fn invalid_front_matter_is_reported_by_lint() {
    let rules = designgate::Config::from_toml(std::path::Path::new("designgate.toml"), "")
        .expect("built-in config")
        .rules;
    let bytes = b"---\ntitle: [\n---\n# T\n".to_vec();
    let report = designgate::lint::lint_source(
        designgate::source::Source {
            path: "design/x.md".into(),
            origin: designgate::source::Origin::Disk,
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
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.check == "front-matter")
        .expect("a front-matter diagnostic");
    assert_eq!(line_column(&bytes, d.range.start).0, 2);
}

#[test]
fn dashes_later_in_the_document_are_not_front_matter() {
    let text = "\
# Title

---
title: not front matter
---
";
    let doc = parse(text);
    assert!(doc.front_matter.is_none());
    assert_eq!(
        outline_of(text, &doc),
        sections(&[(1, "Title", 1), (2, "title: not front matter", 4)])
    );
}

#[test]
fn thematic_breaks_after_front_matter_do_not_swallow_sections() {
    // With front matter, a thematic break directly followed by text used to
    // open a "metadata block" that ran to the next `---` line.
    let text = "\
---
title: Widgets
---
# Widgets

## A

text

---
## B

body

---

## C

more
";
    let doc = parse(text);
    assert!(doc.front_matter.as_ref().expect("fm").data.is_ok());
    assert_eq!(
        outline_of(text, &doc),
        sections(&[(1, "Widgets", 4), (2, "A", 6), (2, "B", 11), (2, "C", 17)])
    );
    assert_eq!(doc.sections[2].own_words, 1);
}

#[test]
fn a_document_may_start_with_a_thematic_break() {
    // `---` and a blank line: a thematic break, not front matter.
    let text = "---\n\nIntro text.\n\n# Title\n\nBody.\n";
    let doc = parse(text);
    assert!(doc.front_matter.is_none());
    assert_eq!(outline_of(text, &doc), sections(&[(1, "Title", 5)]));
    assert!(doc.prose.starts_with("Intro text."));

    // `---` followed by text but never closed: a thematic break too.
    let text = "---\nIntro text.\n\n# Title\n";
    let doc = parse(text);
    assert!(doc.front_matter.is_none());
    assert_eq!(outline_of(text, &doc), sections(&[(1, "Title", 4)]));

    // Four dashes are never front matter.
    let text = "----\nkey: value\n----\n# T\n";
    let doc = parse(text);
    assert!(doc.front_matter.is_none());
    assert_eq!(
        outline_of(text, &doc),
        sections(&[(2, "key: value", 2), (1, "T", 4)])
    );
}

// ---------------------------------------------------------------------------
// Mapping prose back to the source

#[test]
fn source_offset_maps_prose_back_to_line_and_column() {
    let text = "\
# Title

## SLA

Latency is TBD.

- first item
- second: TBD

| Metric | Target |
|--------|--------|
| p99    | TBD    |

> Quoted TBD here.

### Detail

Use `curl -X POST` then TBD.

A &amp; B &lt;-&gt; C: TBD.

Ünïcödé text: TBD.
";
    let doc = parse(text);
    let (base, prose) = doc.subtree_prose(1);
    let hits: Vec<(usize, usize)> = prose
        .match_indices("TBD")
        .map(|(i, _)| line_column(text.as_bytes(), doc.source_offset(base + i)))
        .collect();
    assert_eq!(
        hits,
        vec![
            (5, 12),
            (8, 11),
            (12, 12),
            (14, 10),
            (18, 25),
            (20, 24),
            (22, 15)
        ]
    );
    assert_eq!(locate(text, &doc, 2, "POST"), (18, 14));
    assert_eq!(locate(text, &doc, 2, "then"), (18, 20));
    assert_eq!(locate(text, &doc, 2, "C:"), (20, 21));
}

#[test]
fn source_offset_after_bom_and_with_crlf() {
    let text = "\u{feff}# Title\r\n\r\nFirst line\r\nsecond line TBD\r\n\r\n## Next\r\n\r\n`code` &amp; TBD\r\n";
    let doc = parse(text);
    assert_eq!(
        outline_of(text, &doc),
        sections(&[(1, "Title", 1), (2, "Next", 6)])
    );
    assert_eq!(locate(text, &doc, 0, "TBD"), (4, 13));
    assert_eq!(locate(text, &doc, 1, "TBD"), (8, 14));
    assert_eq!(locate(text, &doc, 1, "code"), (8, 2));
}

#[test]
fn a_closing_fence_may_be_followed_by_a_tab() {
    // CommonMark and GitHub close the fence; KEP-4460 relies on it.
    let text = "## A\n\n```\ncode\n```\t\n\n## B\n\n~~~~\r\ncode\r\n~~~~ \t\r\n\r\n## C\n\n> ```\n> code\n> ```\t\n\n## D\n";
    let doc = parse(text);
    assert_eq!(
        outline_of(text, &doc),
        sections(&[(2, "A", 1), (2, "B", 7), (2, "C", 13), (2, "D", 19)])
    );
    // An opening fence with a tab still opens.
    assert_eq!(outline("```\t\n## in code\n```\n"), sections(&[]));
}

#[test]
fn blocks_never_run_together_in_prose() {
    // In a tight list an item's text is directly followed by a nested list
    // or code block, without a paragraph around it.
    let text = "\
## A

- **umbrella privileges**
  - Several privileges
- text
  ```
  code
  ```
  more
1. `impl Trait`
   - This syntax

| a | b |
|---|---|
| c | d |
";
    let doc = parse(text);
    let words: Vec<&str> = doc.prose.split_whitespace().collect();
    assert_eq!(
        words,
        [
            "umbrella",
            "privileges",
            "Several",
            "privileges",
            "text",
            "more",
            "impl Trait",
            "This",
            "syntax",
            "a",
            "b",
            "c",
            "d"
        ]
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
    );
    assert_eq!(doc.sections[0].own_words, 14);
}

#[test]
fn source_offset_inside_a_code_span_over_several_lines() {
    // Line endings in a code span become spaces and the indentation of a
    // list item's continuation line is dropped.
    let text = "\
# T

- See `Sum[over j such that t_dispatch(i,j) <= t <
  t_finish(i,j)] width(i,j)` and TBD.
> Quoted `first
> second` TBD
";
    let doc = parse(text);
    assert_eq!(locate(text, &doc, 0, "such"), (3, 19));
    assert_eq!(locate(text, &doc, 0, "t_finish"), (4, 3));
    assert_eq!(locate(text, &doc, 0, "width"), (4, 18));
    assert_eq!(locate(text, &doc, 0, "TBD"), (4, 34));
    assert_eq!(locate(text, &doc, 0, "second"), (6, 3));
    let (base, prose) = doc.subtree_prose(0);
    let last = prose.rfind("TBD").expect("TBD");
    assert_eq!(
        line_column(text.as_bytes(), doc.source_offset(base + last)),
        (6, 11)
    );
}

#[test]
fn source_offset_inside_escaped_and_crlf_code_spans() {
    let text = "# T\r\n\r\n| rule | expr |\r\n|---|---|\r\n| keep | `oldSelf \\|\\| self` TBD |\r\n\r\nSee `first\r\nsecond third` and TBD.\r\n";
    let doc = parse(text);
    assert_eq!(locate(text, &doc, 0, "oldSelf"), (5, 11));
    assert_eq!(locate(text, &doc, 0, "self"), (5, 24));
    assert_eq!(locate(text, &doc, 0, "TBD"), (5, 30));
    assert_eq!(locate(text, &doc, 0, "first"), (7, 6));
    assert_eq!(locate(text, &doc, 0, "third"), (8, 8));
    let (base, prose) = doc.subtree_prose(0);
    let last = prose.rfind("TBD").expect("TBD");
    assert_eq!(
        line_column(text.as_bytes(), doc.source_offset(base + last)),
        (8, 19)
    );
}

#[test]
fn headings_in_list_items_are_sections_but_quoted_headings_are_prose() {
    // GitHub renders a heading in a list item as a heading, and some KEPs use
    // `- ##### Alpha` as one. A heading inside a block quote is quoted text:
    // RFCs 2333 and 2561 quote the template's `> ## Prior art`, which must not
    // count as having that section.
    let text = "\
## Graduation

- ##### Alpha - 1
  - CRI changes merged

> ## Prior art
>
> Quoted template text.
";
    let doc = parse(text);
    assert_eq!(
        outline_of(text, &doc),
        sections(&[(2, "Graduation", 1), (5, "Alpha - 1", 3)])
    );
    assert_eq!(doc.sections[1].own_words, 3 + 2 + 3);
}

/// GitHub (GFM) has no heading attributes: braces are text, as RFC 0048
/// (`## Alternatives and downsides { #alternatives }`) and MADR templates
/// (`# {short title ...}`) show.
#[test]
fn braces_in_headings_are_text_as_on_github() {
    let text = "# {Your title}\n\n## Options {A, B}\n\n## Load testing {#load .perf}\n\nText.\n";
    let doc = parse(text);
    assert_eq!(
        outline_of(text, &doc),
        sections(&[
            (1, "{Your title}", 1),
            (2, "Options {A, B}", 3),
            (2, "Load testing {#load .perf}", 5)
        ])
    );
}

#[test]
fn table_cells_of_a_row_share_a_line_of_prose() {
    let text = "## SLA\n\n| Metric | Target |\n|---|---|\n| Latency | - |\n| Errors | N/A |\n";
    let doc = parse(text);
    let (_, prose) = doc.subtree_prose(0);
    let lines: Vec<&str> = prose
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines, ["Metric\tTarget", "Latency\t-", "Errors\tN/A"]);
}

#[test]
fn a_br_tag_separates_words() {
    let text = "\
## Rollout<br/>plan

| Stage | Criteria |
|---|---|
| Beta | Enabled<br>TBD<BR />later |

Line<br >one and a <span>glued</span>word.
";
    let doc = parse(text);
    assert_eq!(doc.sections[0].title, "Rollout plan");
    let words: Vec<&str> = doc.prose.split_whitespace().collect();
    assert_eq!(
        words,
        [
            "Stage",
            "Criteria",
            "Beta",
            "Enabled",
            "TBD",
            "later",
            "Line",
            "one",
            "and",
            "a",
            "gluedword."
        ]
    );
    assert_eq!(locate(text, &doc, 0, "TBD"), (5, 21));
}
