//! Stage 3: parse. Turns the text of one document into a [`Document`]: its
//! front matter, a flat list of [`Section`]s in document order (a tree encoded
//! by `parent` and `subtree_end`), and the document's *prose*.
//!
//! Prose is the text a reader sees as running text: paragraphs, list items,
//! table cells, block quotes and inline code. Headings, fenced and indented
//! code blocks, HTML blocks and HTML comments are not prose. All prose of the
//! document is concatenated into one string, with a line break between
//! blocks (and for `<br>`) so that words never run across them; every
//! section owns a contiguous range of it, so a section together with its
//! subsections is one slice. A table of [`Segment`]s maps prose offsets back
//! to source byte offsets.
//!
//! Everything here works on byte offsets into the original text (BOM
//! included); line and column numbers are worked out by the renderers.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

/// A parsed design document.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Parsed front matter, if the document starts with a `---` (YAML) or
    /// `+++` (TOML) block.
    pub front_matter: Option<FrontMatter>,
    /// Sections in document order.
    pub sections: Vec<Section>,
    /// All prose of the document, sections and preamble alike.
    pub prose: String,
    segments: Vec<Segment>,
    /// Byte range of the document's title heading, if it has one (see
    /// [`Document::title_section`]): where findings about the document as a
    /// whole point.
    pub title: Option<Range<usize>>,
    /// Index of the title in `sections`.
    title_index: Option<usize>,
    /// Parsed by [`parse_outline`]: only the first section has its prose,
    /// words, elements and HTML.
    pub outline_only: bool,
    /// Lists, tables, links, images and code blocks, in document order.
    pub elements: Vec<Element>,
    /// Byte ranges of raw HTML (blocks and inline), where HTML comments such
    /// as inline waivers live. Never inside code.
    pub html: Vec<Range<usize>>,
    /// Ranges of [`Document::prose`] that are verbatim rather than written
    /// words: inline code spans and the text of autolinks (`<https://…>`),
    /// in order. They count as prose for word counts; placeholder patterns
    /// do not search them.
    pub verbatim: Vec<Range<usize>>,
}

/// A structural element of the body, for "must contain" rules and link checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub kind: ElementKind,
    /// Byte range in the source (the whole element).
    pub range: Range<usize>,
    /// The destination of a link or image, as written (reference links
    /// resolved); the info string's first word of a code block, or
    /// [`TEXT_DIAGRAM`] for a block that is a diagram drawn in text
    /// ([`crate::diagram`]).
    pub target: String,
}

/// The target of a code block that is a diagram drawn in text (box-drawing
/// or ASCII art, no programming language), so that a `contains` rule can
/// ask for a diagram with `target = '^ascii-art$'`.
pub const TEXT_DIAGRAM: &str = "ascii-art";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ElementKind {
    List,
    Table,
    Link,
    Image,
    Code,
}

impl ElementKind {
    pub const ALL: [ElementKind; 5] = [
        ElementKind::List,
        ElementKind::Table,
        ElementKind::Link,
        ElementKind::Image,
        ElementKind::Code,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ElementKind::List => "list",
            ElementKind::Table => "table",
            ElementKind::Link => "link",
            ElementKind::Image => "image",
            ElementKind::Code => "code",
        }
    }
}

/// Front matter of a document.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    pub kind: FrontMatterKind,
    /// The byte range of the block's content in the source.
    pub range: Range<usize>,
    /// The parsed data, or why it could not be parsed.
    pub data: Result<serde_json::Value, FrontMatterError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FrontMatterKind {
    Yaml,
    Toml,
}

/// Why front matter could not be parsed; `offset` is a byte offset into the
/// source where the parser gave up.
#[derive(Debug, Clone)]
pub struct FrontMatterError {
    pub offset: usize,
    pub message: String,
}

/// A heading and everything up to the next heading of the same or a higher
/// level.
#[derive(Debug, Clone)]
pub struct Section {
    /// 1 to 6.
    pub level: u8,
    /// The heading as plain text: markup reduced to its text.
    pub title: String,
    /// Byte range of the heading in the source (both lines of a setext heading).
    pub heading: Range<usize>,
    /// Byte offset where the section (with its subsections) ends.
    pub end: usize,
    /// Index of the enclosing section.
    pub parent: Option<usize>,
    /// One past the index of the last subsection: `sections[i + 1..subtree_end]`
    /// are this section's descendants.
    pub subtree_end: usize,
    /// Prose words directly in this section (not in subsections).
    pub own_words: usize,
    /// Range of `Document::prose` owned directly by this section.
    own_prose: Range<usize>,
    /// The heading's text with each inline code span replaced by one
    /// [`CODE_MARK`], for matching headings on their words.
    pub title_words: String,
}

/// Stands for an inline code span in [`Section::title_words`].
pub const CODE_MARK: char = '\u{FFFC}';

/// A piece of prose and where it came from.
#[derive(Debug, Clone, Copy)]
struct Segment {
    prose_start: usize,
    source_start: usize,
    source_len: usize,
}

impl Document {
    /// The prose of section `index` including its subsections.
    pub fn subtree_prose(&self, index: usize) -> (usize, &str) {
        debug_assert!(!self.outline_only, "prose of an outline-only document");
        let range = self.subtree_prose_range(index);
        (range.start, &self.prose[range])
    }

    /// The prose directly in section `index`, without its subsections.
    pub fn own_prose(&self, index: usize) -> (usize, &str) {
        debug_assert!(!self.outline_only, "prose of an outline-only document");
        let range = self.sections[index].own_prose.clone();
        (range.start, &self.prose[range])
    }

    fn subtree_prose_range(&self, index: usize) -> Range<usize> {
        let section = &self.sections[index];
        let last = &self.sections[section.subtree_end - 1];
        section.own_prose.start..last.own_prose.end
    }

    /// Prose words of section `index` including its subsections.
    pub fn subtree_words(&self, index: usize) -> usize {
        debug_assert!(!self.outline_only, "prose of an outline-only document");
        let section = &self.sections[index];
        self.sections[index..section.subtree_end]
            .iter()
            .map(|s| s.own_words)
            .sum()
    }

    /// Maps an offset into [`Document::prose`] back to a source byte offset.
    pub fn source_offset(&self, prose_offset: usize) -> usize {
        debug_assert!(!self.outline_only, "prose of an outline-only document");
        let i = self
            .segments
            .partition_point(|s| s.prose_start <= prose_offset);
        match i.checked_sub(1).map(|i| self.segments[i]) {
            // Entities and escapes make a segment's text differ in length from
            // its source; clamp into the segment.
            Some(seg) => {
                seg.source_start
                    + (prose_offset - seg.prose_start).min(seg.source_len.saturating_sub(1))
            }
            None => 0,
        }
    }

    /// The section that is the document's title, not a section of it: it
    /// names the subject ("Delete the alarm API") and satisfies no rule.
    ///
    /// The first heading is the title when no heading is shallower and
    /// 1. it is a setext heading (`Title` / `---`), other headings follow,
    ///    and every other heading of its level is an ATX heading
    ///    (`## Background`): the author marked it apart; or
    /// 2. it is a level-1 heading and the only one (`# Title` over `##`
    ///    sections); or
    /// 3. it is a level-1 heading, its subsections follow it directly after
    ///    at most a few short lines, and no paragraph comes before it
    ///    (`# Proposal: X`, `Discussion at URL`, `## Abstract`, and later
    ///    `# Appendix`).
    ///
    /// A level-2 heading over level-3 ones is a section (`## SLA` over
    /// `### Targets`) unless one of the other rules makes it a title.
    /// Whatever the levels, it is also the title when what it holds before
    /// the next heading is a metadata block: at least two short
    /// `Label: value` lines and nothing longer (`## Restrictions` then
    /// `- Start Date: ...`, `- RFC PR: ...`, then `## Summary`).
    ///
    /// So a document whose sections are all level 2 (`## Summary`,
    /// `## Motivation`, as the Rust RFC template has) has no title, and
    /// neither has one with several level-1 sections (older RFCs).
    pub fn title_section(&self) -> Option<usize> {
        self.title_index
    }

    /// Where findings about the whole document point: the title heading, or
    /// the start of the document.
    pub fn anchor(&self) -> Range<usize> {
        self.title.clone().unwrap_or(0..0)
    }
}

/// Counts prose words: whitespace-separated tokens with at least one letter
/// or digit, so stray punctuation (`-`, `|`, `—`) does not count.
pub fn count_words(text: &str) -> usize {
    // why: every section's prose is counted while parsing (a tenth of a
    // run of the built-in pack). One pass over the bytes gives the same
    // count as `split_whitespace` with a `char::is_alphanumeric` filter:
    // ASCII bytes are classed by a table (white space is what
    // `char::is_whitespace` calls white space in ASCII: U+0009 to U+000D
    // and the space), eight at a time while none has its high bit set, and
    // only the other characters are decoded. The step is branch-free: a
    // word ends at white space after a token with a letter or digit.
    let bytes = text.as_bytes();
    let (mut words, mut alphanumeric) = (0usize, 0u8);
    let mut step = |b: u8| {
        let class = ASCII_CLASS[usize::from(b)];
        let space = class & SPACE;
        words += usize::from(space & alphanumeric);
        alphanumeric = (space ^ SPACE) & (alphanumeric | (class >> 1));
    };
    let mut at = 0;
    while at < bytes.len() {
        if let Some(chunk) = bytes
            .get(at..at + 8)
            .and_then(|c| <[u8; 8]>::try_from(c).ok())
            && u64::from_le_bytes(chunk) & 0x8080_8080_8080_8080 == 0
        {
            chunk.into_iter().for_each(&mut step);
            at += 8;
            continue;
        }
        match bytes.get(at) {
            Some(&b) if b.is_ascii() => {
                step(b);
                at += 1;
            }
            _ => {
                let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
                    // Unreachable for a `str`: `at` is always on a boundary.
                    break;
                };
                // A character outside ASCII stands for the ASCII byte of its
                // class: a space, a letter or neither.
                step(if c.is_whitespace() {
                    b' '
                } else if c.is_alphanumeric() {
                    b'a'
                } else {
                    b'.'
                });
                at += c.len_utf8();
            }
        }
    }
    words + usize::from(alphanumeric)
}

/// Classes of [`ASCII_CLASS`]: bit 0 white space, bit 1 a letter or digit.
const OTHER: u8 = 0;
const SPACE: u8 = 1;
const LETTER: u8 = 2;

/// The class of each byte for [`count_words`]; bytes outside ASCII are
/// never looked up.
const ASCII_CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        class[b] = match b as u8 {
            b' ' | b'\t'..=b'\r' => SPACE,
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => LETTER,
            _ => OTHER,
        };
        b += 1;
    }
    class
};

const BOM: &str = "\u{feff}";

/// Parses a document. Never fails: malformed front matter is recorded in
/// [`FrontMatter::data`], and any text is valid Markdown.
pub fn parse(text: &str) -> Document {
    let (front_matter, base) = front_matter_of(text);
    let body = close_fences_with_tabs(&text[base..]);
    parse_body(text, front_matter, base, &body)
}

/// The front matter of `text`, and where the Markdown after it (and after
/// a byte-order mark) starts.
fn front_matter_of(text: &str) -> (Option<FrontMatter>, usize) {
    // why: pulldown-cmark does not skip a byte-order mark; a BOM before `# T`
    // would turn the heading into a paragraph. Parse after it and shift every
    // range back by its length so offsets stay offsets into `text`.
    let mut base = if text.starts_with(BOM) { BOM.len() } else { 0 };

    // why: front matter is split off here rather than by pulldown-cmark's
    // metadata-block options. Those options apply to every block of the
    // document, so a later thematic break directly followed by text and, any
    // distance further on, another `---` line would be swallowed as a
    // "metadata block", headings and all. pulldown-cmark also drops the `\r`
    // of CRLF lines from metadata text, which shifted error offsets.
    let mut front_matter = None;
    if let Some(block) = split_front_matter(&text[base..]) {
        let content = base + block.content.start..base + block.content.end;
        let data = match block.kind {
            FrontMatterKind::Yaml => parse_yaml(&text[content.clone()], content.start),
            FrontMatterKind::Toml => parse_toml(&text[content.clone()], content.start),
        };
        front_matter = Some(FrontMatter {
            kind: block.kind,
            range: content,
            data,
        });
        base += block.end;
    }
    (front_matter, base)
}

/// The parser's options.
fn options() -> Options {
    // why: no ENABLE_HEADING_ATTRIBUTES. GitHub and GitLab render
    // `## Options {A, B}` and `# {Your title}` with their braces, and
    // `{#id}` too; parsing them as attributes emptied or cut titles.
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Parses `body`, the Markdown of `text` from `base` on (or a part of it
/// from there), into a document whose ranges are offsets into `text`.
fn parse_body(text: &str, front_matter: Option<FrontMatter>, base: usize, body: &str) -> Document {
    let mut builder = Builder::new(text, front_matter);
    // why: the prose is most of the text; growing it by doubling copied it
    // about twice over (a percent of a run of the built-in pack).
    builder.doc.prose.reserve(body.len());
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let range = range.start + base..range.end + base;
        builder.event(event, range);
    }
    builder.finish(text.len())
}

/// [`parse`] for rule sets that look at nothing but headings: the same
/// front matter, sections (levels, titles, ranges, nesting) and title as
/// [`parse`] gives, without the prose, words, elements and HTML of any
/// section but the first (`Document::outline_only` is set, and what reads
/// them must not be used). `None` where the block scanner does not follow
/// the parser ([`crate::blocks`]): parse the whole document then.
///
/// why: a full parse was more than half of a run with a headings-only
/// pack, most of it inline parsing and prose nobody reads.
pub fn parse_outline(text: &str) -> Option<Document> {
    let (front_matter, base) = front_matter_of(text);
    let body = close_fences_with_tabs(&text[base..]);
    let found: Vec<_> = crate::blocks::scan(&body)?
        .into_iter()
        .filter(|h| !h.quoted)
        .collect();
    let defs = Definitions::of(&body);
    let mut doc = Document {
        front_matter,
        outline_only: true,
        ..Document::default()
    };
    let cut = found.get(1).map_or(body.len(), |h| h.range.start);
    doc.sections.reserve_exact(found.len());
    for h in found {
        let (title, title_words) = heading_text(&body, &h, &defs)?;
        doc.sections.push(Section {
            level: h.level,
            title,
            heading: base + h.range.start..base + h.range.end,
            end: text.len(),
            parent: None,
            subtree_end: 0,
            own_words: 0,
            own_prose: 0..0,
            title_words,
        });
    }
    nest(&mut doc.sections, text.len());
    // Whether the first heading is the title depends on the prose before
    // the second heading in some documents only (see [`title_from`]); that
    // part is parsed in full then. Everything after the cut starts at the
    // second heading's line, so it changes nothing before it, except link
    // definitions it may have that a link before the cut names.
    let title = title_from(&doc.sections, text, || {
        let prefix = &body[..cut];
        if defs.may_define_any(prefix) {
            return None;
        }
        let part = parse_body(text, None, base, prefix);
        let same =
            part.sections.len() == 1 && part.sections[0].heading == doc.sections.first()?.heading;
        same.then(|| {
            let (start, own) = part.own_prose(0);
            (
                Cow::Owned(own.to_owned()),
                Cow::Owned(part.prose[..start].to_owned()),
            )
        })
    })?;
    doc.title_index = title;
    doc.title = title.map(|i| doc.sections[i].heading.clone());
    Some(doc)
}

/// The link reference definitions a text may have, for telling whether a
/// part of it parses the same alone.
///
/// why: an inline parse consults the definitions only to look up a
/// bracketed text (`[text]`, `[text][label]`, `![alt]`, and `[text](url)`
/// when the URL part does not parse). A part none of whose bracketed texts
/// may be a defined label parses alike with and without them. "May be"
/// errs on the side of yes: every `]:` of the text is taken for the end of
/// a definition whose label starts at the last `[` before it (and after the
/// `]:` before, since a label holds no bracket), labels compare in
/// ASCII lower case with white space collapsed, and a bracketed text with
/// anything but ASCII, or with a bracket or a backslash inside, may be one.
struct Definitions<'a> {
    body: &'a str,
    /// The labels, made on first use (each once: a text of a million
    /// definitions of one label holds one).
    labels: std::cell::OnceCell<Labels>,
}

impl<'a> Definitions<'a> {
    fn of(body: &'a str) -> Self {
        Definitions {
            body,
            labels: std::cell::OnceCell::new(),
        }
    }

    fn labels(&self) -> &Labels {
        self.labels.get_or_init(|| {
            let bytes = self.body.as_bytes();
            // why: a label with an escaped bracket (`[a\]b]:`) does not
            // start at the last `[` before its `]:`; with any `\]` in the
            // text, every bracketed text may be defined.
            if memchr::memmem::find(bytes, b"\\]").is_some() {
                return Labels::Any;
            }
            // A label holds no `]`, so it starts after the previous `]:`:
            // each `[` is looked at once, and the labels together are no
            // longer than the text (searching back from each `]:` to the
            // start was quadratic in time and memory).
            let mut from = 0;
            let mut labels = std::collections::BTreeSet::new();
            for end in memchr::memmem::find_iter(bytes, b"]:") {
                if let Some(open) = memchr::memrchr(b'[', &bytes[from..end]) {
                    labels.insert(label_key(&self.body[from + open + 1..end]));
                }
                from = end + 2;
            }
            Labels::These(labels)
        })
    }

    /// Whether a bracketed text in `part` may be a defined label.
    fn may_define_any(&self, part: &str) -> bool {
        if !part.contains('[') {
            return false;
        }
        let labels = match self.labels() {
            Labels::Any => return true,
            Labels::These(labels) if labels.is_empty() => return false,
            Labels::These(labels) => labels,
        };
        let mut rest = part;
        while let Some(open) = rest.find('[') {
            let after = &rest[open + 1..];
            let Some(close) = after.find(']') else {
                // An unclosed bracket names nothing.
                return false;
            };
            let label = &after[..close];
            if !label.is_ascii()
                || label.contains(['[', '\\'])
                || labels.contains(&label_key(label))
            {
                return true;
            }
            rest = &after[close + 1..];
        }
        false
    }
}

/// The labels a text may define.
enum Labels {
    /// Any: the text has a definition whose label is not read here.
    Any,
    These(std::collections::BTreeSet<String>),
}

/// A label as [`Definitions`] compares it: ASCII lower case, white space
/// collapsed and trimmed.
fn label_key(label: &str) -> String {
    let mut key = String::with_capacity(label.len());
    for word in label.split_ascii_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    }
    key
}

/// Sets each section's end, parent and subtree from the levels, as the
/// builder does while parsing.
fn nest(sections: &mut [Section], len: usize) {
    let mut open: Vec<usize> = Vec::new();
    for index in 0..sections.len() {
        let (level, start) = (sections[index].level, sections[index].heading.start);
        while let Some(&top) = open.last() {
            if sections[top].level < level {
                break;
            }
            sections[top].end = start;
            sections[top].subtree_end = index;
            open.pop();
        }
        sections[index].parent = open.last().copied();
        open.push(index);
    }
    let count = sections.len();
    for i in open {
        sections[i].end = len;
        sections[i].subtree_end = count;
    }
}

/// A heading's title and title words, as the parser gives them: read off
/// the source when the text has no markup, otherwise parsed on its own.
fn heading_text(
    body: &str,
    h: &crate::blocks::BlockHeading,
    defs: &Definitions<'_>,
) -> Option<(String, String)> {
    // why: inline syntax needs one of these bytes (escapes, code, emphasis,
    // links, HTML and autolinks, entities, strikethrough), `#` may close an
    // ATX heading, and a control character may be replaced; any other text
    // is its own title.
    const MARKUP: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            table[b] = b != b'\t' as usize;
            b += 1;
        }
        let special = b"\\`*_[]<&~!#";
        let mut i = 0;
        while i < special.len() {
            table[special[i] as usize] = true;
            i += 1;
        }
        table
    };
    let plain = |s: &str| !s.bytes().any(|b| MARKUP[usize::from(b)]);
    // The text lines, then a setext heading's underline (see
    // `BlockHeading::range`), line endings left out.
    let whole = &body[h.range.clone()];
    let mut lines: Vec<&str> = whole
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .collect();
    let underline = if h.setext { lines.pop() } else { None };
    fn content(line: &str, setext: bool) -> &str {
        if setext {
            line
        } else {
            line.trim_start_matches('#')
        }
    }
    if lines.iter().all(|l| plain(content(l, h.setext))) {
        let mut words = String::new();
        for l in &lines {
            for w in content(l, h.setext).split_whitespace() {
                if !words.is_empty() {
                    words.push(' ');
                }
                words.push_str(w);
            }
        }
        return Some((words.clone(), words));
    }
    // A link in a heading may name a definition elsewhere in the text,
    // which the heading parsed alone does not have.
    //
    // why not several lines: parsed alone, a continuation line would need
    // other indentation not to start a block of its own, and a code span
    // across the line break keeps that indentation in its text (found by
    // the `outline` fuzz target); such headings are rare.
    if defs.may_define_any(whole) || lines.len() > 1 {
        return None;
    }
    let mut snippet = lines.concat();
    if let Some(u) = underline {
        snippet.push('\n');
        snippet.push_str(u.trim_start());
    }
    let doc = parse_body(&snippet, None, 0, &snippet);
    match doc.sections.as_slice() {
        [s] if s.level == h.level => Some((s.title.clone(), s.title_words.clone())),
        _ => None,
    }
}

/// why: CommonMark lets a closing code fence be followed by spaces *or tabs*,
/// and GitHub (cmark-gfm) closes a fence on three backticks and a tab, but
/// pulldown-cmark only accepts spaces. One such line (KEP-4460 has one)
/// turns the rest of the document into code and hides every later heading.
/// Tabs after a bare fence are replaced by spaces: same length, so every
/// offset still holds. An opening fence is unaffected (its info string is
/// trimmed either way).
fn close_fences_with_tabs(body: &str) -> Cow<'_, str> {
    fn tabs_after_fence(line: &str) -> Option<usize> {
        let rest = line.trim_start_matches([' ', '\t', '>']);
        let fence = rest.chars().next().filter(|&c| c == '`' || c == '~')?;
        let after = rest.trim_start_matches(fence);
        let trailing = after.trim_end_matches(['\r', '\n']);
        let is_fence = rest.len() - after.len() >= 3
            && trailing.contains('\t')
            && trailing.chars().all(|c| c == ' ' || c == '\t');
        is_fence.then(|| line.len() - after.len())
    }
    // A line that needs it has a tab: most documents have none at all, and
    // in the others only the lines with a tab are looked at.
    // why: each line once, however many tabs it has (a line of a million
    // tabs looked at once per tab was quadratic).
    let bytes = body.as_bytes();
    let mut next_line = 0;
    let needed = memchr::memchr_iter(b'\t', bytes).any(|tab| {
        if tab < next_line {
            return false;
        }
        let start = memchr::memrchr(b'\n', &bytes[..tab]).map_or(0, |i| i + 1);
        next_line = memchr::memchr(b'\n', &bytes[tab..]).map_or(bytes.len(), |i| tab + i + 1);
        tabs_after_fence(&body[start..next_line]).is_some()
    });
    if !needed {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    for line in body.split_inclusive('\n') {
        match tabs_after_fence(line) {
            Some(at) => {
                out.push_str(&line[..at]);
                out.push_str(&line[at..].replace('\t', " "));
            }
            None => out.push_str(line),
        }
    }
    Cow::Owned(out)
}

/// A front matter block found at the start of a document.
struct FrontMatterBlock {
    kind: FrontMatterKind,
    /// The lines between the delimiters (relative to the text searched).
    content: Range<usize>,
    /// Where the block ends: after the closing delimiter's line.
    end: usize,
}

/// Finds front matter at the very start of `text`, by the rules
/// pulldown-cmark uses for metadata blocks: an opening line of exactly `---`
/// (YAML) or `+++` (TOML), then a first line that is neither blank nor the
/// closing line, then a closing line of `---` or `...` (YAML) or `+++`
/// (TOML). Trailing whitespace is allowed on both delimiter lines. An empty
/// block (`---` directly followed by `---`) counts too, as in Jekyll.
fn split_front_matter(text: &str) -> Option<FrontMatterBlock> {
    let (kind, closers): (_, &[&str]) = if text.starts_with("---") {
        (FrontMatterKind::Yaml, &["---", "..."])
    } else if text.starts_with("+++") {
        (FrontMatterKind::Toml, &["+++"])
    } else {
        return None;
    };
    fn bare(line: &str) -> &str {
        line.trim_end_matches([' ', '\t', '\r', '\n'])
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if bare(first) != &text[..3] {
        return None;
    }
    let start = first.len();
    let mut at = start;
    for (i, line) in lines.enumerate() {
        if closers.contains(&bare(line)) {
            return Some(FrontMatterBlock {
                kind,
                content: start..at,
                end: at + line.len(),
            });
        }
        if i == 0 && line.trim().is_empty() {
            // `---` followed by a blank line is a thematic break.
            return None;
        }
        at += line.len();
    }
    None
}

struct PendingHeading {
    level: u8,
    title: String,
    range: Range<usize>,
    words: String,
}

struct Builder<'s> {
    source: &'s str,
    doc: Document,
    heading: Option<PendingHeading>,
    /// Depth inside elements whose text is not prose (code blocks).
    skip_depth: usize,
    /// Indices of the sections still open, outermost first.
    open: Vec<usize>,
    /// Depth of nested block quotes.
    quote_depth: usize,
    /// Start of the HTML block being read.
    html_block: Option<usize>,
    /// Whether raw HTML so far left a comment open (`<!--` without `-->`).
    html_comment: bool,
    /// Inside an autolink, whose text is its destination.
    autolink: bool,
}

impl<'s> Builder<'s> {
    fn new(source: &'s str, front_matter: Option<FrontMatter>) -> Self {
        Builder {
            source,
            doc: Document {
                front_matter,
                ..Document::default()
            },
            heading: None,
            skip_depth: 0,
            open: Vec::new(),
            quote_depth: 0,
            html_block: None,
            html_comment: false,
            autolink: false,
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        // Block boundaries separate prose so that words and patterns never
        // run across two blocks. Starts count as well as ends: in a tight
        // list an item's text runs straight into a nested list or a code
        // block, with no paragraph end in between.
        match &event {
            // Cells of one row stay on one line, so that a lone `-` or `N/A`
            // in a cell does not look like a section saying only "N/A".
            Event::Start(Tag::TableCell) | Event::End(TagEnd::TableCell) => self.cell_break(),
            Event::Start(tag) if is_block(&tag.to_end()) => self.separate(),
            Event::End(tag) if is_block(tag) => self.separate(),
            Event::Rule => self.separate(),
            _ => {}
        }
        self.element(&event, &range);
        match event {
            Event::Start(Tag::BlockQuote(_)) => self.quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => {
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            // why: a heading inside a block quote is quoted text (RFCs quote
            // the template's `> ## Prior art`), not a section of this
            // document; its words stay prose of the enclosing section.
            Event::Start(Tag::Heading { .. }) if self.quote_depth > 0 => {}
            Event::Start(Tag::Heading { level, .. }) => {
                // The range ends after the line break; point at the text only.
                let text = self.source.get(range.clone()).unwrap_or_default();
                let end = range.start + text.trim_end_matches(['\n', '\r']).len();
                self.heading = Some(PendingHeading {
                    level: level as u8,
                    title: String::new(),
                    range: range.start..end,
                    words: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = self.heading.take() {
                    self.open_section(h);
                }
            }
            Event::Start(Tag::Link { link_type, .. }) => {
                self.autolink = matches!(
                    link_type,
                    pulldown_cmark::LinkType::Autolink | pulldown_cmark::LinkType::Email
                );
            }
            Event::End(TagEnd::Link) => self.autolink = false,
            Event::Start(Tag::CodeBlock(_)) => self.skip_depth += 1,
            Event::End(TagEnd::CodeBlock) => self.skip_depth = self.skip_depth.saturating_sub(1),
            Event::Text(t) => {
                if let Some(h) = &mut self.heading {
                    h.title.push_str(&t);
                    h.words.push_str(&t);
                } else if self.skip_depth == 0 {
                    let start = self.doc.prose.len();
                    self.push_prose(&t, range);
                    if self.autolink {
                        self.doc.verbatim.push(start..self.doc.prose.len());
                    }
                }
            }
            Event::Code(t) => {
                if let Some(h) = &mut self.heading {
                    h.title.push_str(&t);
                    h.words.push(CODE_MARK);
                } else if self.skip_depth == 0 {
                    let start = self.doc.prose.len();
                    self.push_code(&t, range);
                    self.doc.verbatim.push(start..self.doc.prose.len());
                }
            }
            // why: a list item `- [x] Docs:` underlined by `-` is a setext
            // heading, and GitHub shows its `[x]` as text (a task box needs
            // a paragraph); pulldown-cmark reports it as a task marker.
            Event::TaskListMarker(_) if self.heading.is_some() => {
                if let Some(h) = &mut self.heading {
                    h.title
                        .push_str(self.source.get(range).unwrap_or_default().trim());
                    h.title.push(' ');
                }
            }
            // `<br>` renders as a line break: words on either side of it
            // must not run together (KEP tables use `a<br>b`).
            Event::SoftBreak | Event::HardBreak => self.line_break(),
            Event::InlineHtml(html) if is_br(&html) => self.line_break(),
            _ => {}
        }
    }

    /// Records structural elements and raw HTML. Elements inside headings
    /// count for nothing: a heading that is a link is still a heading.
    fn element(&mut self, event: &Event<'_>, range: &Range<usize>) {
        if self.heading.is_some() {
            return;
        }
        let (kind, target) = match event {
            Event::Start(Tag::List(_)) => (ElementKind::List, String::new()),
            Event::Start(Tag::Table(_)) => (ElementKind::Table, String::new()),
            // why: an e-mail autolink `<name@example.com>` comes without its
            // scheme; it is a `mailto:` URL, not a relative path.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                ..
            }) if !has_mailto(dest_url) => (ElementKind::Link, format!("mailto:{dest_url}")),
            Event::Start(Tag::Link { dest_url, .. }) => (ElementKind::Link, dest_url.to_string()),
            Event::Start(Tag::Image { dest_url, .. }) => (ElementKind::Image, dest_url.to_string()),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                let body = self.source.get(range.clone()).unwrap_or_default();
                let body = match kind {
                    // why: the fence lines are not part of the picture.
                    pulldown_cmark::CodeBlockKind::Fenced(_) => {
                        let inner = body.split_once('\n').map_or("", |(_, rest)| rest);
                        inner
                            .trim_end()
                            .rsplit_once('\n')
                            .filter(|(_, last)| last.trim_start().starts_with(['`', '~']))
                            .map_or(inner, |(rest, _)| rest)
                    }
                    pulldown_cmark::CodeBlockKind::Indented => body,
                };
                if crate::diagram::is_text_diagram(&lang, body) {
                    (ElementKind::Code, TEXT_DIAGRAM.to_owned())
                } else {
                    (ElementKind::Code, lang)
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                self.html_block = Some(range.start);
                return;
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(start) = self.html_block.take() {
                    self.doc.html.push(start..range.end);
                    self.html_elements(start..range.end);
                }
                return;
            }
            Event::InlineHtml(_) => {
                self.doc.html.push(range.clone());
                self.html_elements(range.clone());
                return;
            }
            _ => return,
        };
        self.doc.elements.push(Element {
            kind,
            range: range.clone(),
            target,
        });
    }

    /// Records the images and links of the raw HTML at `range`
    /// (`<img src>`, `<a href>`, `<source srcset>`), as Markdown ones.
    fn html_elements(&mut self, range: Range<usize>) {
        let Some(html) = self.source.get(range.clone()) else {
            return;
        };
        for found in crate::html::scan(html, &mut self.html_comment) {
            self.doc.elements.push(Element {
                kind: found.kind,
                range: range.start + found.range.start..range.start + found.range.end,
                target: found.url,
            });
        }
    }

    fn line_break(&mut self) {
        if let Some(h) = &mut self.heading {
            h.title.push(' ');
            h.words.push(' ');
        } else if self.skip_depth == 0 {
            self.doc.prose.push('\n');
        }
    }

    /// Separates two table cells of a row.
    fn cell_break(&mut self) {
        if self.heading.is_none()
            && self.skip_depth == 0
            && !self.doc.prose.is_empty()
            && !self.doc.prose.ends_with(['\n', '\t'])
        {
            self.doc.prose.push('\t');
        }
    }

    /// Ends the current line of prose, if any, at a block boundary.
    fn separate(&mut self) {
        if !self.doc.prose.is_empty() && !self.doc.prose.ends_with('\n') {
            self.doc.prose.push('\n');
        }
    }

    fn push_prose(&mut self, text: &str, range: Range<usize>) {
        self.doc.segments.push(Segment {
            prose_start: self.doc.prose.len(),
            source_start: range.start,
            source_len: range.len(),
        });
        self.doc.prose.push_str(text);
    }

    /// Pushes the text of the code span at `range`, which covers the
    /// backticks.
    fn push_code(&mut self, code: &str, range: Range<usize>) {
        let Some(src) = self.source.get(range.clone()) else {
            return self.push_prose(code, range);
        };
        // why: a span's text is nearly always its source between the
        // backticks, or between one space inside each (`` `` `a` `` ``).
        // Compared directly, that is the first place `find` would give:
        // an earlier one would start inside the opening backticks, or at
        // the space, and the text starts with neither. `find` sets up a
        // substring searcher per span otherwise.
        let ticks = src.len() - src.trim_start_matches('`').len();
        let inner = src
            .get(ticks..src.len().saturating_sub(ticks))
            .unwrap_or_default();
        let direct = if code.starts_with(['`', ' ']) || code.is_empty() {
            None
        } else if inner == code {
            Some(ticks)
        } else if inner.len() == code.len() + 2
            && inner.starts_with(' ')
            && inner.ends_with(' ')
            && inner.get(1..inner.len() - 1) == Some(code)
        {
            Some(ticks + 1)
        } else {
            None
        };
        if let Some(i) = direct.or_else(|| src.find(code)) {
            return self.push_prose(code, range.start + i..range.start + i + code.len());
        }
        // Not verbatim: line endings became spaces, continuation lines lost
        // their indentation and `>` markers, and in a table `\|` became `|`.
        // Align the text with the source character by character, starting a
        // new segment wherever source characters were skipped.
        let (mut pos, end) = (range.start + ticks, range.end.saturating_sub(ticks));
        let prose_start = self.doc.prose.len();
        let first_segment = self.doc.segments.len();
        let mut run: Option<Segment> = None;
        for (i, c) in code.char_indices() {
            let rest = self.source.get(pos..end).unwrap_or_default();
            let found = match c {
                ' ' => rest.find([' ', '\t', '\r', '\n']),
                _ => rest.find(c),
            };
            let Some(skip) = found else { break };
            let at = pos + skip;
            // A space stands for one whitespace byte (pulldown-cmark turns
            // a CRLF into two spaces), any other character for itself.
            let len = c.len_utf8();
            match &mut run {
                Some(seg) if skip == 0 => seg.source_len += len,
                _ => {
                    self.doc.segments.extend(run.take());
                    run = Some(Segment {
                        prose_start: prose_start + i,
                        source_start: at,
                        source_len: len,
                    });
                }
            }
            pos = at + len;
        }
        if run.is_some() || self.doc.segments.len() > first_segment {
            self.doc.segments.extend(run);
            self.doc.prose.push_str(code);
        } else {
            self.push_prose(code, range);
        }
    }

    fn open_section(&mut self, h: PendingHeading) {
        let start = h.range.start;
        let prose_at = self.doc.prose.len();
        let index = self.doc.sections.len();
        self.close_own_prose(prose_at);
        // Close every open section of the same or a deeper level.
        while let Some(&top) = self.open.last() {
            let s = &mut self.doc.sections[top];
            if s.level < h.level {
                break;
            }
            s.end = start;
            s.subtree_end = index;
            self.open.pop();
        }
        self.doc.sections.push(Section {
            level: h.level,
            // One line of plain text: runs of spaces (`a <br> b`, a
            // line break in a setext heading) are one space, as a reader sees.
            title: one_line(h.title),
            heading: h.range,
            end: usize::MAX,
            parent: self.open.last().copied(),
            subtree_end: usize::MAX,
            own_words: 0,
            own_prose: prose_at..prose_at,
            title_words: one_line(h.words),
        });
        self.open.push(index);
    }

    /// Ends the directly owned prose of the most recent section at `at`.
    fn close_own_prose(&mut self, at: usize) {
        if let Some(last) = self.doc.sections.last_mut() {
            last.own_prose.end = at;
            last.own_words = count_words(&self.doc.prose[last.own_prose.start..at]);
        }
    }

    fn finish(mut self, len: usize) -> Document {
        let at = self.doc.prose.len();
        self.close_own_prose(at);
        let count = self.doc.sections.len();
        for i in self.open.drain(..) {
            let s = &mut self.doc.sections[i];
            s.end = len;
            s.subtree_end = count;
        }
        self.doc.title_index = find_title(&self.doc, self.source);
        self.doc.title = self
            .doc
            .title_index
            .map(|i| self.doc.sections[i].heading.clone());
        self.doc
    }
}

/// `text` with each run of white space made one space, and none at either
/// end: the words joined by single spaces.
fn one_line(text: String) -> String {
    // why: nearly every title is one already (ASCII words and single
    // spaces); it is kept as it is rather than split and copied.
    let mut previous = b' ';
    let plain = text.bytes().all(|b| {
        let single =
            b.is_ascii() && !matches!(b, b'\t'..=b'\r') && !(b == b' ' && previous == b' ');
        previous = b;
        single
    }) && previous != b' ';
    if plain {
        return text;
    }
    let mut line = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    line
}

/// See [`Document::title_section`].
fn find_title(doc: &Document, source: &str) -> Option<usize> {
    title_from(&doc.sections, source, || {
        let (start, own) = doc.own_prose(0);
        Some((Cow::Borrowed(own), Cow::Borrowed(&doc.prose[..start])))
    })
    .flatten()
}

/// See [`Document::title_section`]: the title of a document with these
/// sections. `prose` gives the first section's own prose and the prose
/// before it, and is asked only when the answer depends on them; `None`
/// when it had to be asked and gave nothing.
fn title_from<'p>(
    sections: &[Section],
    source: &str,
    prose: impl FnOnce() -> Option<(Cow<'p, str>, Cow<'p, str>)>,
) -> Option<Option<usize>> {
    let Some(first) = sections.first() else {
        return Some(None);
    };
    let rest = &sections[1..];
    let shallower = rest.iter().any(|s| s.level < first.level);
    let is_atx = |s: &Section| {
        source
            .get(s.heading.clone())
            .is_some_and(|h| h.trim_start().starts_with('#'))
    };
    let mut same = rest.iter().filter(|s| s.level == first.level).peekable();
    let alone = same.peek().is_none();
    // why: these answers hold whatever the prose says (the metadata rule
    // below can only make the first heading a title), so documents that
    // reach them need no prose.
    if !shallower && !is_atx(first) && !rest.is_empty() && same.all(is_atx) {
        return Some(Some(0));
    }
    if !shallower && first.level == 1 && alone {
        return Some(Some(0));
    }
    let (own, preamble) = prose()?;
    let labels = metadata_labels(&own);
    if labels.is_some_and(|(labels, lines)| labels >= 2 && labels * 2 > lines) {
        return Some(Some(0));
    }
    if shallower {
        return Some(None);
    }
    // Below level 1, `## SLA` over `### Targets` is a section, not a title.
    if first.level > 1 {
        return Some(None);
    }
    // Subsections straight under it, with at most a few short lines first,
    // and no paragraphs before it (then it is a section of a document whose
    // title is not a heading).
    let next_is_deeper = rest.first().is_some_and(|s| s.level > first.level);
    let preamble = metadata_labels(&preamble).is_some();
    Some((next_is_deeper && labels.is_some() && preamble).then_some(0))
}

/// How many `Label: value` lines prose has (a label of one to four words,
/// a short value), and how many lines, if every other line is short
/// (`Discussion at https://...`); `None` when it holds a longer line, as a
/// wrapped paragraph (`Replace Vec::drain by ...`) does.
fn metadata_labels(prose: &str) -> Option<(usize, usize)> {
    let short = |text: &str, words| count_words(text) <= words && text.chars().count() <= 60;
    let (mut labels, mut lines) = (0, 0);
    for line in prose.lines().map(str::trim).filter(|l| !l.is_empty()) {
        lines += 1;
        let label = line.split_once(':').filter(|(label, value)| {
            (1..=4).contains(&count_words(label))
                && label.chars().count() <= 40
                && label.starts_with(char::is_alphabetic)
                && value.starts_with(char::is_whitespace)
                && count_words(value) <= 15
                && value.chars().count() <= 150
        });
        match label {
            Some(_) => labels += 1,
            None if !short(line, 6) => return None,
            None => {}
        }
    }
    Some((labels, lines))
}

fn has_mailto(url: &str) -> bool {
    url.get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("mailto:"))
}

/// Whether inline HTML is a `<br>` tag (`<br>`, `<br/>`, `<BR />`).
fn is_br(html: &str) -> bool {
    let tag = html.trim_start_matches('<').trim_end_matches('>');
    let tag = tag.trim_end_matches('/').trim_end();
    tag.eq_ignore_ascii_case("br")
}

/// Whether a tag is a block (paragraph, list item, table cell, ...) rather
/// than inline markup (emphasis, link, ...).
fn is_block(tag: &TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn parse_yaml(content: &str, offset: usize) -> Result<serde_json::Value, FrontMatterError> {
    if content.trim().is_empty() {
        return Ok(serde_json::Value::Object(Default::default()));
    }
    serde_saphyr::from_str::<serde_json::Value>(content).map_err(|e| FrontMatterError {
        offset: offset + yaml_error_offset(&e, content),
        message: format!(
            "invalid YAML front matter: {}",
            yaml_message(&e.to_string())
        ),
    })
}

/// The parser's message without its "error: line 3 column 7:" prefix: those
/// numbers count from the start of the front matter, not of the file, and
/// the finding already points at the right place.
fn yaml_message(full: &str) -> &str {
    let line = first_line(full);
    let rest = line.strip_prefix("error:").unwrap_or(line).trim_start();
    match rest.strip_prefix("line ").and_then(|r| r.split_once(": ")) {
        Some((position, message)) if position.contains("column") => message,
        _ => rest,
    }
}

fn yaml_error_offset(e: &serde_saphyr::Error, content: &str) -> usize {
    e.location()
        .map(|loc| {
            // Line and column are 1-based; the column counts characters.
            let line = (loc.line() as usize).saturating_sub(1);
            let line_start = content
                .split_inclusive('\n')
                .take(line)
                .map(str::len)
                .sum::<usize>();
            let rest = &content[line_start..];
            let line_text = rest[..rest.find('\n').unwrap_or(rest.len())].trim_end_matches('\r');
            let column = (loc.column() as usize).saturating_sub(1);
            line_start
                + line_text
                    .char_indices()
                    .nth(column)
                    .map_or(line_text.len(), |(i, _)| i)
        })
        .unwrap_or(0)
}

fn parse_toml(content: &str, offset: usize) -> Result<serde_json::Value, FrontMatterError> {
    toml::from_str::<serde_json::Value>(content).map_err(|e| FrontMatterError {
        offset: offset + e.span().map_or(0, |s| s.start),
        message: format!("invalid TOML front matter: {}", e.message().trim()),
    })
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

#[cfg(test)]
mod tests {
    use super::{count_words, one_line};

    #[test]
    fn one_line_joins_the_words_with_single_spaces() {
        let pieces = [
            "", " ", "  ", "a", "Rollout", "\t", "\n", "\r\n", "\u{b}", "\u{c}", "\u{1c}",
            "\u{a0}", "\u{2003}", "\u{3000}", "\u{85}", "é", "-", "`x`",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for text in [format!("{a}{b} {c}{a}x{b}"), format!("{a}x{b}y{c}")] {
                        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
                        assert_eq!(one_line(text.clone()), words, "{text:?}");
                    }
                }
            }
        }
    }

    /// The definition the byte-wise count must agree with.
    fn by_chars(text: &str) -> usize {
        text.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
    }

    #[test]
    fn word_counts_agree_with_unicode_ones() {
        // ASCII and not: Unicode white space (no-break, em and ideographic
        // spaces, the next-line control), letters, digits and punctuation.
        let pieces = [
            "",
            " ",
            "a",
            "N/A",
            "-",
            "|",
            "--",
            "a-b",
            "\t",
            "\n",
            "\r\n",
            "\u{b}",
            "\u{c}",
            "\u{1c}",
            "\u{1f}",
            "x\u{b}y",
            "9",
            "_",
            "(a)",
            "`code`",
            "a,b",
            "\u{7f}",
            "é",
            "\u{a0}",
            "—",
            "\u{2003}",
            "\u{3000}",
            "\u{85}",
            "日",
            "\u{661}",
            "“",
            "\u{1F600}",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b} {c}{a}");
                    assert_eq!(count_words(&text), by_chars(&text), "{text:?}");
                }
            }
        }
        // Not ASCII: the char-based count, Unicode white space and letters.
        for text in ["a\u{a0}b", "é — x", "\u{2003}–\u{2003}", "日本 語"] {
            assert_eq!(count_words(text), by_chars(text), "{text:?}");
        }
        assert_eq!(count_words("Adds a\u{b}field to\tpods - | 3"), 6);
    }
}
