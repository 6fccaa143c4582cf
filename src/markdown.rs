//! Stage 3: parse. Turns the text of one document into a [`Document`]: its
//! front matter, a flat list of [`Section`]s in document order (a tree encoded
//! by `parent` and `subtree_end`), and the document's *prose*.
//!
//! Prose is the text a reader sees as running text: paragraphs, list items,
//! table cells, block quotes and inline code. Headings, fenced and indented
//! code blocks, HTML blocks and HTML comments are not prose. All prose of the
//! document is concatenated into one string; every section owns a contiguous
//! range of it, so a section together with its subsections is one slice. A
//! table of [`Segment`]s maps prose offsets back to source byte offsets.
//!
//! Everything here works on byte offsets into the original text (BOM
//! included); line and column numbers are worked out by the renderers.

use std::ops::Range;

use pulldown_cmark::{Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

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
    /// Byte range of the first level-1 heading, if any: where findings about
    /// the document as a whole point.
    pub title: Option<Range<usize>>,
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
}

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
        let range = self.subtree_prose_range(index);
        (range.start, &self.prose[range])
    }

    fn subtree_prose_range(&self, index: usize) -> Range<usize> {
        let section = &self.sections[index];
        let last = &self.sections[section.subtree_end - 1];
        section.own_prose.start..last.own_prose.end
    }

    /// Prose words of section `index` including its subsections.
    pub fn subtree_words(&self, index: usize) -> usize {
        let section = &self.sections[index];
        self.sections[index..section.subtree_end]
            .iter()
            .map(|s| s.own_words)
            .sum()
    }

    /// Maps an offset into [`Document::prose`] back to a source byte offset.
    pub fn source_offset(&self, prose_offset: usize) -> usize {
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

    /// Where findings about the whole document point: the title heading, or
    /// the start of the document.
    pub fn anchor(&self) -> Range<usize> {
        self.title.clone().unwrap_or(0..0)
    }
}

/// Counts prose words: whitespace-separated tokens with at least one letter
/// or digit, so stray punctuation (`-`, `|`, `—`) does not count.
pub fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

const BOM: &str = "\u{feff}";

/// Parses a document. Never fails: malformed front matter is recorded in
/// [`FrontMatter::data`], and any text is valid Markdown.
pub fn parse(text: &str) -> Document {
    // why: pulldown-cmark does not skip a byte-order mark; a BOM before `# T`
    // would turn the heading into a paragraph. Parse after it and shift every
    // range back by its length so offsets stay offsets into `text`.
    let base = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let body = &text[base..];

    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    // Front matter is only recognised at the very start of the document; a
    // `---` later on is a thematic break or a setext underline.
    if body.starts_with("---") {
        options |= Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    } else if body.starts_with("+++") {
        options |= Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    }

    let mut builder = Builder {
        source: text,
        doc: Document::default(),
        base,
        heading: None,
        skip_depth: 0,
        open: Vec::new(),
        front: None,
    };
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let range = range.start + base..range.end + base;
        builder.event(event, range);
    }
    builder.finish(text.len())
}

struct PendingHeading {
    level: u8,
    title: String,
    range: Range<usize>,
}

struct Builder<'s> {
    source: &'s str,
    doc: Document,
    base: usize,
    heading: Option<PendingHeading>,
    /// Depth inside elements whose text is not prose (code blocks, metadata).
    skip_depth: usize,
    /// Indices of the sections still open, outermost first.
    open: Vec<usize>,
    /// Content of the front matter block being read, and where it starts.
    front: Option<(FrontMatterKind, usize, String)>,
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some(PendingHeading {
                    level: level as u8,
                    title: String::new(),
                    range,
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = self.heading.take() {
                    self.open_section(h);
                }
            }
            Event::Start(Tag::CodeBlock(_)) => self.skip_depth += 1,
            Event::End(TagEnd::CodeBlock) => self.skip_depth = self.skip_depth.saturating_sub(1),
            Event::Start(Tag::MetadataBlock(kind)) => {
                self.skip_depth += 1;
                // Only a block at the very start is front matter.
                if range.start == self.base && self.doc.front_matter.is_none() {
                    let kind = match kind {
                        MetadataBlockKind::YamlStyle => FrontMatterKind::Yaml,
                        MetadataBlockKind::PlusesStyle => FrontMatterKind::Toml,
                    };
                    self.front = Some((kind, usize::MAX, String::new()));
                }
            }
            Event::End(TagEnd::MetadataBlock(_)) => {
                self.skip_depth = self.skip_depth.saturating_sub(1);
                if let Some((kind, start, content)) = self.front.take() {
                    let start = if start == usize::MAX { range.start } else { start };
                    let data = match kind {
                        FrontMatterKind::Yaml => parse_yaml(&content, start),
                        FrontMatterKind::Toml => parse_toml(&content, start),
                    };
                    self.doc.front_matter = Some(FrontMatter {
                        kind,
                        range: start..start + content.len(),
                        data,
                    });
                }
            }
            Event::Text(t) if self.front.is_some() => {
                if let Some((_, start, content)) = &mut self.front {
                    if *start == usize::MAX {
                        *start = range.start;
                    }
                    content.push_str(&t);
                }
            }
            Event::Text(t) => {
                if let Some(h) = &mut self.heading {
                    h.title.push_str(&t);
                } else if self.skip_depth == 0 {
                    self.push_prose(&t, range);
                }
            }
            Event::Code(t) => {
                if let Some(h) = &mut self.heading {
                    h.title.push_str(&t);
                } else if self.skip_depth == 0 {
                    // The range covers the backticks; point inside them.
                    let inner = self
                        .source
                        .get(range.clone())
                        .and_then(|s| s.find(t.as_ref()))
                        .map_or(range.clone(), |i| range.start + i..range.start + i + t.len());
                    self.push_prose(&t, inner);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(h) = &mut self.heading {
                    h.title.push(' ');
                } else if self.skip_depth == 0 {
                    self.doc.prose.push('\n');
                }
            }
            // Block ends separate prose so that words and patterns never run
            // across two blocks.
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => self.doc.prose.push('\n'),
            _ => {}
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
        if h.level == 1 && self.doc.title.is_none() {
            self.doc.title = Some(h.range.clone());
        }
        self.doc.sections.push(Section {
            level: h.level,
            title: h.title.trim().to_owned(),
            heading: h.range,
            end: usize::MAX,
            parent: self.open.last().copied(),
            subtree_end: usize::MAX,
            own_words: 0,
            own_prose: prose_at..prose_at,
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
        self.doc
    }
}

fn parse_yaml(content: &str, offset: usize) -> Result<serde_json::Value, FrontMatterError> {
    if content.trim().is_empty() {
        return Ok(serde_json::Value::Object(Default::default()));
    }
    serde_saphyr::from_str::<serde_json::Value>(content).map_err(|e| FrontMatterError {
        offset: offset + yaml_error_offset(&e, content),
        message: format!("invalid YAML front matter: {}", first_line(&e.to_string())),
    })
}

fn yaml_error_offset(e: &serde_saphyr::Error, content: &str) -> usize {
    e.location()
        .map(|loc| {
            let line = (loc.line() as usize).saturating_sub(1);
            content
                .split_inclusive('\n')
                .take(line)
                .map(str::len)
                .sum::<usize>()
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
