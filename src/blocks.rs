//! Where a document's headings are, without parsing the rest of it: the
//! block structure (containers, code, HTML blocks, tables, paragraphs) and
//! nothing inline.
//!
//! why: a rule set that looks at nothing but headings (required sections,
//! their order, front matter fields) needs no prose, yet a full parse
//! (pulldown-cmark's block *and* inline passes, and the builder that turns
//! events into prose) was more than half of such a run. This scanner walks
//! the lines once and finds the same headings.
//!
//! "The same" is the contract: [`scan`] follows pulldown-cmark 0.13's
//! first pass ([`crate::markdown::parse`]'s parser) decision for decision —
//! the same container matching (`LineStart`, tabs as partial columns), the
//! same paragraph interruptions, the same table detection, the same quirks
//! (an empty list item that takes a blank line stops nesting; a list's
//! "last line empty" flag). Where following it would mean porting a large
//! part for a rare construct it gives up instead and returns `None`, and the
//! caller parses the whole document: a lone carriage return as a line
//! ending, a setext heading under a task-list marker, and
//! the few places where link reference definitions could change the
//! headings ([`Pass::defs`]). Tests compare it with the
//! full parse on the shared corpus, on generated documents and by fuzzing.

use std::ops::Range;

/// A heading [`scan`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BlockHeading {
    pub level: u8,
    /// Where the parser's heading starts (the first `#`, or the first
    /// character of a setext heading's text) and where its last line ends,
    /// line ending excluded: the range [`crate::markdown::Section::heading`]
    /// holds.
    ///
    /// A setext heading's lines in `range` are its text lines (the first
    /// from its first character, the others after nothing but white space:
    /// a heading in a block quote is `quoted`) and its underline last.
    pub range: Range<usize>,
    pub setext: bool,
    /// Inside a block quote: quoted text, not a section.
    pub quoted: bool,
}

/// The headings of `text` in document order, or `None` where this scanner
/// does not follow the full parser (see the module docs).
pub(crate) fn scan(text: &str) -> Option<Vec<BlockHeading>> {
    let bytes = text.as_bytes();
    // why: `]:` is in every link reference definition (see `Pass::defs`).
    let defs = memchr::memmem::find(bytes, b"]:").is_some();
    // A carriage return is a line ending only as part of CRLF here.
    if memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n')) {
        return None;
    }
    let mut pass = Pass {
        bytes,
        spine: Vec::new(),
        begin_list_item: None,
        last_line_blank: false,
        headings: Vec::new(),
        gave_up: false,
        defs,
    };
    let mut ix = 0;
    while ix < bytes.len() && !pass.gave_up {
        ix = pass.parse_block(ix);
    }
    (!pass.gave_up).then_some(pass.headings)
}

/// An open node on the path from the document to the current block, as
/// pulldown-cmark's tree "spine" holds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    /// A list: its marker character, whether it is tight, and whether the
    /// last line scanned for containers was empty.
    List {
        ch: u8,
        tight: bool,
        last_empty: bool,
    },
    /// A list item and the columns its content is indented by.
    Item(usize),
    /// A footnote definition (`[^1]: ...`, GitHub's kind: continued by
    /// lines indented four columns).
    Footnote,
    Quote,
    /// A leaf being parsed (paragraph, table, code, HTML): matches any line.
    Leaf,
    /// A table being parsed (matches any line, and list items end it).
    Table,
}

struct Pass<'a> {
    bytes: &'a [u8],
    spine: Vec<Node>,
    begin_list_item: Option<usize>,
    last_line_blank: bool,
    headings: Vec<BlockHeading>,
    gave_up: bool,
    /// The text may define link references.
    ///
    /// why: the parser reads definitions (`[label]: url "title"`) where a
    /// paragraph would start, and starts the paragraph after them. Here
    /// such lines are read as the paragraph's: the block ends where it
    /// would, and the only differences are where the paragraph after the
    /// definitions starts, which matters when it turns into a setext
    /// heading or a table. A paragraph that starts with `[` in a text that
    /// has `]:` gives up on both.
    defs: bool,
}

impl Pass<'_> {
    fn quoted(&self) -> bool {
        self.spine.contains(&Node::Quote)
    }

    /// The columns the open list items take together, when the spine holds
    /// nothing but lists and their items (and the leaf being parsed).
    fn item_widths(&self) -> Option<usize> {
        let mut widths = 0;
        for node in &self.spine {
            match node {
                Node::Item(w) => widths += w,
                Node::List { .. } | Node::Leaf => {}
                _ => return None,
            }
        }
        Some(widths)
    }

    fn in_table(&self) -> bool {
        self.spine.last() == Some(&Node::Table)
    }

    fn pop(&mut self) {
        if let Some(Node::List { tight: true, .. }) = self.spine.pop() {
            self.begin_list_item = None;
        }
    }

    fn finish_list(&mut self) {
        self.finish_empty_list_item();
        if let Some(Node::List { .. }) = self.spine.last() {
            self.pop();
        }
        if self.last_line_blank {
            if let Some(i) = self.spine.len().checked_sub(2)
                && let Node::List { tight, .. } = &mut self.spine[i]
            {
                *tight = false;
            }
            self.last_line_blank = false;
        }
    }

    fn finish_empty_list_item(&mut self) {
        if self.begin_list_item.is_some()
            && self.last_line_blank
            && matches!(self.spine.last(), Some(Node::Item(_)))
        {
            self.pop();
        }
        self.begin_list_item = None;
    }

    fn continue_list(&mut self, ch: u8) {
        self.finish_empty_list_item();
        if let Some(top) = self.spine.last_mut() {
            if let Node::List {
                ch: existing,
                tight,
                ..
            } = top
                && *existing == ch
            {
                if self.last_line_blank {
                    *tight = false;
                    self.last_line_blank = false;
                }
                return;
            }
            self.finish_list();
        }
        self.spine.push(Node::List {
            ch,
            tight: true,
            last_empty: false,
        });
        self.last_line_blank = false;
    }

    /// How many open nodes the line at `line` continues, with `line`
    /// advanced past their markers (pulldown-cmark's `scan_containers`).
    fn scan_containers(&mut self, line: &mut LineStart<'_>, update_flags: bool) -> usize {
        let mut i = 0;
        let len = self.spine.len();
        while i < len {
            match &mut self.spine[i] {
                Node::List { last_empty, .. } if update_flags => {
                    if line.is_at_eol() {
                        if *last_empty && line.remaining_space() == 0 {
                            return len;
                        }
                        *last_empty = true;
                    } else {
                        *last_empty = false;
                    }
                }
                Node::Quote => {
                    let save = line.clone();
                    let _ = line.scan_space(3);
                    if !line.scan_blockquote_marker() {
                        *line = save;
                        break;
                    }
                }
                &mut Node::Item(indent) => {
                    let save = line.clone();
                    if !line.scan_space(indent) && !line.is_at_eol() {
                        *line = save;
                        break;
                    }
                }
                Node::Footnote => {
                    let save = line.clone();
                    if !line.scan_space(4) && !line.is_at_eol() {
                        *line = save;
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        for node in &mut self.spine[i..] {
            if let Node::List { last_empty, .. } = node {
                *last_empty = false;
            }
        }
        i
    }

    /// Parses the block starting at `start_ix`; returns where the next one
    /// starts (pulldown-cmark's `parse_block`).
    fn parse_block(&mut self, mut start_ix: usize) -> usize {
        let bytes = self.bytes;
        let mut line = LineStart::new(&bytes[start_ix..]);
        let i = self.scan_containers(&mut line, true);
        while self.spine.len() > i {
            self.pop();
        }

        // New containers.
        loop {
            let save = line.clone();
            let outer_indent = line.scan_space_upto(4);
            if outer_indent >= 4 {
                line = save;
                break;
            }
            let container_start = start_ix + line.bytes_scanned();
            if let Some(n) = footnote_definition(&bytes[container_start..], false) {
                self.finish_list();
                if self.spine.last() == Some(&Node::Footnote) {
                    self.pop();
                }
                start_ix = container_start + n;
                line = LineStart::new(&bytes[start_ix..]);
                self.spine.push(Node::Footnote);
                continue;
            }
            if let Some((ch, indent)) = line.scan_list_marker_with_indent(outer_indent) {
                let after_marker = start_ix + line.bytes_scanned();
                self.continue_list(ch);
                self.spine.push(Node::Item(indent));
                if let Some(n) = scan_blank_line(&bytes[after_marker..]) {
                    self.begin_list_item = Some(after_marker + n);
                    return after_marker + n;
                }
                let save = line.clone();
                if line.scan_task_list_marker() {
                    let end = start_ix + line.bytes_scanned();
                    if let Some(n) = scan_blank_line(&bytes[end..]) {
                        self.begin_list_item = Some(end + n);
                        return end + n;
                    }
                    line.scan_all_space();
                    let ix = start_ix + line.bytes_scanned();
                    return self.parse_paragraph(ix, true);
                }
                line = save;
            } else if line.scan_blockquote_marker() {
                self.finish_list();
                self.spine.push(Node::Quote);
            } else {
                line = save;
                break;
            }
        }

        let ix = start_ix + line.bytes_scanned();
        if let Some(n) = scan_blank_line(&bytes[ix..]) {
            let begin = self.begin_list_item.is_some();
            match self.spine.last_mut() {
                Some(Node::Quote) => {}
                Some(Node::Item(indent)) if begin => {
                    self.last_line_blank = true;
                    *indent = 0;
                }
                _ => self.last_line_blank = true,
            }
            return ix + n;
        }

        let indent = line.scan_space_upto(4);
        if indent == 4 {
            self.finish_list();
            let ix = start_ix + line.bytes_scanned();
            return self.parse_indented_code_block(ix);
        }
        let ix = start_ix + line.bytes_scanned();
        start_ix = ix;

        if bytes[ix] == b'<' {
            if let Some(end_tag) = html_end_tag(&bytes[ix + 1..]) {
                self.finish_list();
                return self.parse_html_block_type_1_to_5(ix, end_tag);
            }
            if starts_html_block_type_6(&bytes[ix + 1..]) {
                self.finish_list();
                return self.parse_html_block_type_6_or_7(ix);
            }
            if scan_html_type_7(&bytes[ix..]) {
                self.finish_list();
                return self.parse_html_block_type_6_or_7(ix);
            }
        }
        if let Ok(n) = scan_hrule(&bytes[ix..]) {
            self.finish_list();
            return ix + n;
        }
        if let Some(level) = scan_atx_heading(&bytes[ix..]) {
            self.finish_list();
            return self.parse_atx_heading(ix, level);
        }
        if let Some((n, ch)) = scan_code_fence(&bytes[ix..]) {
            self.finish_list();
            return self.parse_fenced_code_block(ix, indent, ch, n);
        }
        self.parse_paragraph(start_ix, false)
    }

    /// Whether a paragraph starting at `ix` may begin with link reference
    /// definitions (see [`Pass::defs`]).
    fn may_define(&self, ix: usize) -> bool {
        self.defs && self.bytes.get(ix) == Some(&b'[')
    }

    fn parse_atx_heading(&mut self, start: usize, level: u8) -> usize {
        let next = start + scan_nextline(&self.bytes[start..]);
        let end = line_end(self.bytes, start, next);
        self.headings.push(BlockHeading {
            level,
            range: start..end,
            setext: false,
            quoted: self.quoted(),
        });
        next
    }

    /// A paragraph from `start_ix` (pulldown-cmark's `parse_paragraph`):
    /// its lines, and whether it turns into a table or a setext heading.
    fn parse_paragraph(&mut self, start_ix: usize, after_task_marker: bool) -> usize {
        self.finish_list();
        self.spine.push(Node::Leaf);
        let bytes = self.bytes;
        let may_define = !after_task_marker && self.may_define(start_ix);
        let mut ix = start_ix;
        loop {
            let next_ix = ix + scan_nextline(&bytes[ix..]);
            if may_define && bytes[ix..next_ix].contains(&b'|') {
                self.gave_up = true;
                return bytes.len();
            }
            if ix == start_ix
                && let Some(body) = self.table_head(start_ix, next_ix)
            {
                if let Some(top) = self.spine.last_mut() {
                    *top = Node::Table;
                }
                return self.parse_table(body);
            }
            ix = next_ix;
            if ix >= bytes.len() {
                break;
            }
            // why: the common case: a line whose text starts with a letter
            // continues the paragraph, whether or not it matches the open
            // containers (if not, it is a lazy continuation): it cannot
            // underline, interrupt or be blank. Skip the checks. (They
            // would also clear lists' "last line empty" flags, which a
            // paragraph's first line cleared already.)
            let text = bytes[ix..]
                .iter()
                .position(|&b| b != b' ' && b != b'\t')
                .map(|i| bytes[ix + i]);
            if text.is_some_and(|b| b.is_ascii_alphabetic()) {
                continue;
            }
            let mut line = LineStart::new(&bytes[ix..]);
            let position = self.scan_containers(&mut line, false);
            let current = position == self.spine.len();
            // why: a line ending in an odd number of backslashes is a hard
            // break, and its trailing backslash is text: nothing changes for
            // headings, so it needs no handling here.
            if !line.scan_space(4) {
                let ix_new = ix + line.bytes_scanned();
                if current && let Some((n, level)) = scan_setext_heading(&bytes[ix_new..]) {
                    if after_task_marker || may_define {
                        self.gave_up = true;
                        return bytes.len();
                    }
                    let end = line_end(bytes, ix_new, ix_new + n);
                    self.headings.push(BlockHeading {
                        level,
                        range: start_ix..end,
                        setext: true,
                        quoted: self.quoted(),
                    });
                    self.pop();
                    return ix_new + n;
                }
                if self.scan_paragraph_interrupt(ix_new, current) {
                    break;
                }
            }
            line.scan_all_space();
            if line.is_at_eol() {
                break;
            }
            ix += line.bytes_scanned();
        }
        self.pop();
        ix
    }

    /// Whether the first line of a paragraph, `start..next`, heads a table:
    /// it has pipes and the next line is a delimiter row with as many
    /// columns. Returns where the table's body starts.
    fn table_head(&mut self, start: usize, next: usize) -> Option<usize> {
        let bytes = self.bytes;
        let line = &bytes[start..next];
        let content = &bytes[start..line_end(bytes, start, next)];
        // why: most first lines of a paragraph have no pipe at all, and a
        // line without one heads no table; a vectorised search says so
        // before the byte-by-byte count below.
        memchr::memchr(b'|', content)?;
        // why: a line ending in an odd number of backslashes (a hard break)
        // is never a table head (the parser checks for that first).
        let trailing = content.iter().rev().take_while(|&&b| b == b'\\').count();
        if trailing % 2 == 1 && next < bytes.len() {
            return None;
        }
        let mut pipes = 0;
        let mut last_pipe = 0;
        for (i, &b) in content.iter().enumerate() {
            if b == b'|' && (i == 0 || content[i - 1] != b'\\') {
                pipes += 1;
                last_pipe = i;
            }
        }
        if pipes == 0 || next >= bytes.len() || line.last() != Some(&b'\n') {
            return None;
        }
        let mut line_start = LineStart::new(&bytes[next..]);
        if self.scan_containers(&mut line_start, false) != self.spine.len() {
            return None;
        }
        let head = next + line_start.bytes_scanned();
        let (n, cols) = scan_table_head(&bytes[head..]);
        if n == 0 || cols != header_cols(content, pipes, last_pipe) {
            return None;
        }
        Some(head + n)
    }

    /// A table's body rows from `ix`; returns where the table ends
    /// (pulldown-cmark's `parse_table`). Rows hold no headings.
    fn parse_table(&mut self, mut ix: usize) -> usize {
        let bytes = self.bytes;
        while ix < bytes.len() {
            let mut line = LineStart::new(&bytes[ix..]);
            if self.scan_containers(&mut line, false) != self.spine.len() {
                break;
            }
            line.scan_all_space();
            let at = ix + line.bytes_scanned();
            if self.interrupts_no_table(at, true) {
                break;
            }
            // A row of no cells (`|` alone) ends the table.
            let rest = &bytes[at..];
            let pipe = usize::from(rest.first() == Some(&b'|'));
            if scan_blank_line(&rest[pipe..]).is_some() {
                break;
            }
            ix = at + scan_nextline(rest);
        }
        self.pop();
        ix
    }

    /// pulldown-cmark's `scan_paragraph_interrupt`: whether the line at
    /// `at` (after its containers and up to three spaces) ends a paragraph.
    fn scan_paragraph_interrupt(&mut self, at: usize, current: bool) -> bool {
        if self.interrupts_no_table(at, current) {
            return true;
        }
        let bytes = self.bytes;
        if !bytes[at..].starts_with(b"|") {
            return false;
        }
        let rest = &bytes[at..];
        let mut pipes = 0;
        let mut last_pipe = 0;
        let mut escaped = false;
        let mut next_line = None;
        for (i, &b) in rest.iter().enumerate() {
            match b {
                b'\\' => {
                    escaped = true;
                    continue;
                }
                b'|' if !escaped => {
                    pipes += 1;
                    last_pipe = i;
                }
                b'\r' | b'\n' => {
                    next_line = Some(i + scan_eol(&rest[i..]).unwrap_or(1));
                    break;
                }
                _ => {}
            }
            escaped = false;
        }
        let Some(next_line) = next_line else {
            return false;
        };
        let mut line = LineStart::new(&rest[next_line..]);
        if self.scan_containers(&mut line, false) != self.spine.len() {
            return false;
        }
        let head = next_line + line.bytes_scanned();
        let (n, cols) = scan_table_head(&rest[head..]);
        n != 0 && cols == header_cols(&rest[..next_line], pipes, last_pipe)
    }

    /// pulldown-cmark's `scan_paragraph_interrupt_no_table`.
    fn interrupts_no_table(&self, at: usize, current: bool) -> bool {
        let bytes = &self.bytes[at..];
        // why: most paragraph lines start with a letter; only these bytes
        // (or the end of the line) can start anything that interrupts.
        if !matches!(
            bytes.first(),
            None | Some(
                b'\n'
                    | b'\r'
                    | b'*'
                    | b'-'
                    | b'_'
                    | b'#'
                    | b'`'
                    | b'~'
                    | b'>'
                    | b'+'
                    | b'<'
                    | b'['
                    | b'0'..=b'9'
            )
        ) {
            return false;
        }
        scan_eol(bytes).is_some()
            || scan_hrule(bytes).is_ok()
            || scan_atx_heading(bytes).is_some()
            || scan_code_fence(bytes).is_some()
            || bytes.first() == Some(&b'>')
            || scan_listitem(bytes).is_some_and(|(ix, delim, index)| {
                !current
                    || self.in_table()
                    || (matches!(delim, b'*' | b'-' | b'+') || index == 1)
                        && scan_blank_line(&bytes[ix..]).is_none()
            })
            || bytes.first() == Some(&b'<')
                && (html_end_tag(&bytes[1..]).is_some() || starts_html_block_type_6(&bytes[1..]))
            || footnote_definition(bytes, self.in_table()).is_some()
    }

    fn parse_indented_code_block(&mut self, start_ix: usize) -> usize {
        self.spine.push(Node::Leaf);
        let bytes = self.bytes;
        self.last_line_blank = false;
        let mut ix = start_ix;
        loop {
            ix += scan_nextline(&bytes[ix..]);
            let mut line = LineStart::new(&bytes[ix..]);
            let n = self.scan_containers(&mut line, false);
            if n < self.spine.len() || !(line.scan_space(4) || line.is_at_eol()) {
                break;
            }
            let next = ix + line.bytes_scanned();
            if next == bytes.len() {
                break;
            }
            ix = next;
            self.last_line_blank = scan_blank_line(&bytes[ix..]).is_some();
        }
        self.pop();
        ix
    }

    fn parse_fenced_code_block(
        &mut self,
        start_ix: usize,
        indent: usize,
        ch: u8,
        n: usize,
    ) -> usize {
        self.spine.push(Node::Leaf);
        let bytes = self.bytes;
        let mut ix = start_ix + scan_nextline(&bytes[start_ix..]);
        loop {
            if ix >= bytes.len() {
                self.pop();
                return ix;
            }
            // why: the common case, skipped cheaply. Inside list items only
            // (no quote or footnote), with spaces for indentation, a line
            // continues the items when blank or indented by their widths,
            // and it closes the fence only when its text starts with the
            // fence character; a line that matches and does not is code.
            if let Some(widths) = self.item_widths() {
                let spaces = bytes[ix..].iter().take_while(|&&b| b == b' ').count();
                let first = bytes.get(ix + spaces).copied();
                let blank = matches!(first, None | Some(b'\n' | b'\r'));
                if blank || (spaces >= widths && first != Some(b'\t') && first != Some(ch)) {
                    ix += scan_nextline(&bytes[ix..]);
                    continue;
                }
            }
            let mut line = LineStart::new(&bytes[ix..]);
            let matched = self.scan_containers(&mut line, false);
            if matched < self.spine.len() {
                self.pop();
                return ix;
            }
            let _ = line.scan_space(indent);
            let mut close = line.clone();
            if !close.scan_space(4 - indent) {
                let close_ix = ix + close.bytes_scanned();
                if let Some(len) = scan_closing_code_fence(&bytes[close_ix..], ch, n) {
                    let end = close_ix + len;
                    self.pop();
                    return end + scan_blank_line(&bytes[end..]).unwrap_or(0);
                }
            }
            ix += line.bytes_scanned();
            ix += scan_nextline(&bytes[ix..]);
        }
    }

    fn parse_html_block_type_1_to_5(&mut self, start_ix: usize, end_tag: &[u8]) -> usize {
        self.spine.push(Node::Leaf);
        let bytes = self.bytes;
        let mut ix = start_ix;
        loop {
            let line_start = ix;
            ix += scan_nextline(&bytes[ix..]);
            let mut line = LineStart::new(&bytes[ix..]);
            let n = self.scan_containers(&mut line, false);
            if n < self.spine.len() {
                break;
            }
            if memchr::memmem::find(&bytes[line_start..ix], end_tag).is_some() {
                break;
            }
            let next = ix + line.bytes_scanned();
            if next == bytes.len() {
                break;
            }
            ix = next;
        }
        self.pop();
        ix
    }

    fn parse_html_block_type_6_or_7(&mut self, start_ix: usize) -> usize {
        self.spine.push(Node::Leaf);
        let bytes = self.bytes;
        let mut ix = start_ix;
        loop {
            ix += scan_nextline(&bytes[ix..]);
            let mut line = LineStart::new(&bytes[ix..]);
            let n = self.scan_containers(&mut line, false);
            if n < self.spine.len() || line.is_at_eol() {
                break;
            }
            let next = ix + line.bytes_scanned();
            if next == bytes.len() || scan_blank_line(&bytes[next..]).is_some() {
                break;
            }
            ix = next;
        }
        self.pop();
        ix
    }
}

/// The start of a footnote definition, `[^label]:` and the white space
/// after it, as pulldown-cmark reads one (GitHub's kind: the label on one
/// line, at most a thousand non-ASCII bytes, no `[` in it, not all white
/// space): its length.
fn footnote_definition(bytes: &[u8], in_table: bool) -> Option<usize> {
    let rest = bytes.strip_prefix(b"[^")?;
    let (mut ix, mut blank, mut codepoints) = (0, true, 0);
    loop {
        if codepoints >= 1000 {
            return None;
        }
        match *rest.get(ix)? {
            b'[' => return None,
            b']' => break,
            b'|' if in_table && ix != 0 && rest[ix - 1] == b'\\' => {
                ix += 1;
                blank = false;
            }
            b'\\' if in_table && rest.get(ix + 1) == Some(&b'|') => {
                ix += 2;
                codepoints += 1;
                blank = false;
            }
            b'\\' if rest.get(ix + 1)?.is_ascii_punctuation() => {
                ix += 2;
                codepoints += 2;
                blank = false;
            }
            b if is_ascii_whitespace(b) => {
                let start = ix;
                let mut weight = 0;
                while ix < rest.len() && is_ascii_whitespace(rest[ix]) {
                    if matches!(rest[ix], b'\n' | b'\r') {
                        // A label of GitHub's footnotes does not span lines.
                        return None;
                    }
                    weight += if rest[ix] == b' ' { 1 } else { 2 };
                    ix += 1;
                }
                codepoints += if weight > 1 { ix - start } else { 1 };
            }
            b => {
                blank = false;
                ix += 1;
                if b & 0x80 != 0 {
                    codepoints += 1;
                }
            }
        }
    }
    if blank || rest.get(ix + 1) != Some(&b':') {
        return None;
    }
    let n = 2 + ix + 2;
    Some(n + scan_whitespace_no_nl(&bytes[n..]))
}

/// Where the line `start..next` ends without its line ending.
fn line_end(bytes: &[u8], start: usize, next: usize) -> usize {
    let mut end = next;
    if end > start && bytes[end - 1] == b'\n' {
        end -= 1;
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
    }
    end
}

/// The columns of a table's header line, from its pipes (pulldown-cmark's
/// `count_header_cols`): a leading pipe and a trailing one opens or closes
/// no column.
fn header_cols(line: &[u8], mut pipes: usize, last_pipe: usize) -> usize {
    let start = scan_whitespace_no_nl(line);
    if line.get(start) == Some(&b'|') {
        pipes -= 1;
    }
    if scan_blank_line(&line[last_pipe + 1..]).is_some() {
        pipes
    } else {
        pipes + 1
    }
}

/// The start of a line, with the part scanned so far (pulldown-cmark's
/// `LineStart`): tabs count to the next multiple of four columns, and a tab
/// can be consumed in part.
#[derive(Clone)]
struct LineStart<'a> {
    bytes: &'a [u8],
    tab_start: usize,
    ix: usize,
    spaces_remaining: usize,
    min_hrule_offset: usize,
}

impl<'a> LineStart<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineStart {
            bytes,
            tab_start: 0,
            ix: 0,
            spaces_remaining: 0,
            min_hrule_offset: 0,
        }
    }

    fn scan_space(&mut self, n: usize) -> bool {
        self.scan_space_inner(n) == 0
    }

    fn scan_space_upto(&mut self, n: usize) -> usize {
        n - self.scan_space_inner(n)
    }

    fn scan_space_inner(&mut self, mut n: usize) -> usize {
        let from_remaining = self.spaces_remaining.min(n);
        self.spaces_remaining -= from_remaining;
        n -= from_remaining;
        while n > 0 && self.ix < self.bytes.len() {
            match self.bytes[self.ix] {
                b' ' => {
                    self.ix += 1;
                    n -= 1;
                }
                b'\t' => {
                    let spaces = 4 - (self.ix - self.tab_start) % 4;
                    self.ix += 1;
                    self.tab_start = self.ix;
                    let taken = spaces.min(n);
                    n -= taken;
                    self.spaces_remaining = spaces - taken;
                }
                _ => break,
            }
        }
        n
    }

    fn scan_all_space(&mut self) {
        self.spaces_remaining = 0;
        self.ix += self.bytes[self.ix..]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
    }

    fn is_at_eol(&self) -> bool {
        self.bytes
            .get(self.ix)
            .is_none_or(|&c| c == b'\r' || c == b'\n')
    }

    fn scan_ch(&mut self, c: u8) -> bool {
        if self.bytes.get(self.ix) == Some(&c) {
            self.ix += 1;
            true
        } else {
            false
        }
    }

    fn scan_blockquote_marker(&mut self) -> bool {
        if self.scan_ch(b'>') {
            let _ = self.scan_space(1);
            true
        } else {
            false
        }
    }

    /// A list marker: its character (the delimiter of an ordered one) and
    /// the item's content indent.
    fn scan_list_marker_with_indent(&mut self, indent: usize) -> Option<(u8, usize)> {
        let save = self.clone();
        if let Some(&c) = self.bytes.get(self.ix) {
            if c == b'-' || c == b'+' || c == b'*' {
                if self.ix >= self.min_hrule_offset {
                    match scan_hrule(&self.bytes[self.ix..]) {
                        Err(min) => self.min_hrule_offset = min,
                        Ok(_) => {
                            *self = save;
                            return None;
                        }
                    }
                }
                self.ix += 1;
                if self.scan_space(1) || self.is_at_eol() {
                    return Some((c, self.finish_list_marker(indent + 2)));
                }
            } else if c.is_ascii_digit() {
                let start = self.ix;
                let mut ix = self.ix + 1;
                while ix < self.bytes.len() && ix - start < 10 {
                    let c = self.bytes[ix];
                    ix += 1;
                    if c.is_ascii_digit() {
                        continue;
                    }
                    if c == b')' || c == b'.' {
                        self.ix = ix;
                        if self.scan_space(1) || self.is_at_eol() {
                            return Some((c, self.finish_list_marker(indent + 1 + ix - start)));
                        }
                    }
                    break;
                }
            }
        }
        *self = save;
        None
    }

    fn finish_list_marker(&mut self, mut indent: usize) -> usize {
        let save = self.clone();
        if scan_blank_line(&self.bytes[self.ix..]).is_some() {
            return indent;
        }
        let post = self.scan_space_upto(4);
        if post < 4 {
            indent += post;
        } else {
            *self = save;
        }
        indent
    }

    fn scan_task_list_marker(&mut self) -> bool {
        let save = self.clone();
        self.scan_space_upto(3);
        let ok = self.scan_ch(b'[')
            && match self.bytes.get(self.ix) {
                Some(&c) if is_ascii_whitespace_no_nl(c) || c == b'x' || c == b'X' => {
                    self.ix += 1;
                    true
                }
                _ => false,
            }
            && self.scan_ch(b']')
            && self
                .bytes
                .get(self.ix)
                .is_some_and(|&b| is_ascii_whitespace(b));
        if !ok {
            *self = save;
        }
        ok
    }

    fn bytes_scanned(&self) -> usize {
        self.ix
    }

    fn remaining_space(&self) -> usize {
        self.spaces_remaining
    }
}

fn is_ascii_whitespace(c: u8) -> bool {
    (0x09..=0x0d).contains(&c) || c == b' '
}

fn is_ascii_whitespace_no_nl(c: u8) -> bool {
    c == b'\t' || c == 0x0b || c == 0x0c || c == b' '
}

fn scan_whitespace_no_nl(data: &[u8]) -> usize {
    data.iter()
        .take_while(|&&b| is_ascii_whitespace_no_nl(b))
        .count()
}

fn scan_eol(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [] => Some(0),
        [b'\n', ..] => Some(1),
        [b'\r', b'\n', ..] => Some(2),
        [b'\r', ..] => Some(1),
        _ => None,
    }
}

fn scan_blank_line(bytes: &[u8]) -> Option<usize> {
    let i = scan_whitespace_no_nl(bytes);
    scan_eol(&bytes[i..]).map(|n| i + n)
}

fn scan_nextline(bytes: &[u8]) -> usize {
    memchr::memchr(b'\n', bytes).map_or(bytes.len(), |x| x + 1)
}

fn scan_closing_code_fence(bytes: &[u8], ch: u8, n: usize) -> Option<usize> {
    if bytes.is_empty() {
        return Some(0);
    }
    let found = bytes.iter().take_while(|&&b| b == ch).count();
    if found < n {
        return None;
    }
    let spaces = bytes[found..].iter().take_while(|&&b| b == b' ').count();
    let i = found + spaces;
    scan_eol(&bytes[i..]).map(|_| i)
}

fn scan_hrule(bytes: &[u8]) -> Result<usize, usize> {
    if bytes.len() < 3 {
        return Err(0);
    }
    let c = bytes[0];
    if !(c == b'*' || c == b'-' || c == b'_') {
        return Err(0);
    }
    let mut n = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | b'\r' => {
                i += scan_eol(&bytes[i..]).unwrap_or(0);
                break;
            }
            c2 if c2 == c => n += 1,
            b' ' | b'\t' => {}
            _ => return Err(i),
        }
        i += 1;
    }
    if n >= 3 { Ok(i) } else { Err(i) }
}

fn scan_atx_heading(data: &[u8]) -> Option<u8> {
    let level = data.iter().take_while(|&&b| b == b'#').count();
    let ok = data.get(level).is_none_or(|&c| is_ascii_whitespace(c));
    u8::try_from(level)
        .ok()
        .filter(|l| ok && (1..=6).contains(l))
}

fn scan_setext_heading(data: &[u8]) -> Option<(usize, u8)> {
    let c = *data.first()?;
    let level = match c {
        b'=' => 1,
        b'-' => 2,
        _ => return None,
    };
    let mut i = 1 + data[1..].iter().take_while(|&&b| b == c).count();
    i += scan_blank_line(&data[i..])?;
    Some((i, level))
}

/// A table's delimiter row: its length (line ending included) and how many
/// columns it has; `(0, 0)` when it is not one.
fn scan_table_head(data: &[u8]) -> (usize, usize) {
    let (mut i, spaces) = calc_indent(data, 4);
    if spaces > 3 || i == data.len() {
        return (0, 0);
    }
    let mut cols = 0;
    let mut start_col = true;
    let mut found_pipe = false;
    let mut found_hyphen = false;
    let mut found_hyphen_in_col = false;
    if data[i] == b'|' {
        i += 1;
        found_pipe = true;
    }
    for &c in &data[i..] {
        if let Some(n) = scan_eol(&data[i..]) {
            i += n;
            break;
        }
        match c {
            b' ' => {}
            b':' => start_col = false,
            b'-' => {
                start_col = false;
                found_hyphen = true;
                found_hyphen_in_col = true;
            }
            b'|' => {
                start_col = true;
                found_pipe = true;
                cols += 1;
                if !found_hyphen_in_col {
                    return (0, 0);
                }
                found_hyphen_in_col = false;
            }
            _ => return (0, 0),
        }
        i += 1;
    }
    if !start_col {
        cols += 1;
    }
    if !found_pipe || !found_hyphen {
        return (0, 0);
    }
    (i, cols)
}

fn calc_indent(text: &[u8], max: usize) -> (usize, usize) {
    let mut spaces = 0;
    let mut offset = 0;
    for (i, &b) in text.iter().enumerate() {
        offset = i;
        match b {
            b' ' => {
                spaces += 1;
                if spaces == max {
                    break;
                }
            }
            b'\t' => {
                let new = spaces + 4 - (spaces & 3);
                if new > max {
                    break;
                }
                spaces = new;
            }
            _ => break,
        }
    }
    (offset, spaces)
}

fn scan_code_fence(data: &[u8]) -> Option<(usize, u8)> {
    let c = *data.first()?;
    if !(c == b'`' || c == b'~') {
        return None;
    }
    let i = 1 + data[1..].iter().take_while(|&&b| b == c).count();
    if i < 3 {
        return None;
    }
    if c == b'`' {
        let suffix = &data[i..];
        let next = scan_nextline(suffix);
        if suffix[..next].contains(&b'`') {
            return None;
        }
    }
    Some((i, c))
}

/// A list item marker as a paragraph interruption sees it: where its
/// content starts, its character or delimiter, and its number.
fn scan_listitem(bytes: &[u8]) -> Option<(usize, u8, u64)> {
    let mut c = *bytes.first()?;
    let (w, start) = match c {
        b'-' | b'+' | b'*' => (1, 0),
        b'0'..=b'9' => {
            let digits = bytes
                .iter()
                .take(9)
                .take_while(|b| b.is_ascii_digit())
                .count();
            let start = bytes[..digits]
                .iter()
                .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
            c = *bytes.get(digits)?;
            if !(c == b'.' || c == b')') {
                return None;
            }
            (digits + 1, start)
        }
        _ => return None,
    };
    let (mut postn, postindent) = calc_indent(&bytes[w..], 5);
    if postindent == 0 {
        scan_eol(&bytes[w..])?;
    } else if postindent > 4 {
        postn = 1;
    }
    if scan_blank_line(&bytes[w..]).is_some() {
        postn = 0;
    }
    Some((w + postn, c, start))
}

/// The end marker of an HTML block of kinds 1 to 5 starting `<` + `data`.
fn html_end_tag(data: &[u8]) -> Option<&'static [u8]> {
    const BEGIN: [(&[u8], &[u8]); 4] = [
        (b"pre", b"</pre>"),
        (b"style", b"</style>"),
        (b"script", b"</script>"),
        (b"textarea", b"</textarea>"),
    ];
    for (begin, end) in BEGIN {
        if data.len() < begin.len() {
            break;
        }
        if !data[..begin.len()].eq_ignore_ascii_case(begin) {
            continue;
        }
        match data.get(begin.len()) {
            None => return Some(end),
            Some(&s) if is_ascii_whitespace(s) || s == b'>' => return Some(end),
            _ => {}
        }
    }
    for (begin, end) in [
        (&b"!--"[..], &b"-->"[..]),
        (b"?", b"?>"),
        (b"![CDATA[", b"]]>"),
    ] {
        if data.starts_with(begin) {
            return Some(end);
        }
    }
    (data.len() > 1 && data[0] == b'!' && data[1].is_ascii_alphabetic()).then_some(b">")
}

/// The block-level HTML tag names (CommonMark's, as pulldown-cmark has them).
const HTML_TAGS: [&str; 62] = [
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

fn starts_html_block_type_6(data: &[u8]) -> bool {
    let i = usize::from(data.first() == Some(&b'/'));
    let tail = &data[i..];
    let n = tail
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if n == 0
        || !HTML_TAGS
            .iter()
            .any(|t| t.as_bytes().eq_ignore_ascii_case(&tail[..n]))
    {
        return false;
    }
    let tail = &tail[n..];
    tail.is_empty()
        || matches!(tail[0], b' ' | b'\t' | b'\r' | b'\n' | b'>')
        || tail.starts_with(b"/>")
}

/// Whether `data` (from its `<`) starts an HTML block of the seventh
/// kind: one complete open or closing tag, then nothing but white space on
/// its line (pulldown-cmark's `scan_html_type_7`, where a tag cannot span
/// lines).
fn scan_html_type_7(data: &[u8]) -> bool {
    let close = usize::from(data.get(1) == Some(&b'/'));
    let name = data[1 + close..]
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    if name == 0 {
        return false;
    }
    let mut i = 1 + close + name;
    i += data[i..]
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'-')
        .count();
    if close == 0 {
        loop {
            let before = i;
            i += scan_whitespace_no_nl(&data[i..]);
            if scan_eol(&data[i..]).is_some() {
                return false;
            }
            if matches!(data.get(i), Some(b'/' | b'>')) {
                break;
            }
            if before == i {
                return false;
            }
            match scan_attribute(data, i) {
                Some(end) => i = end,
                None => return false,
            }
        }
    }
    i += scan_whitespace_no_nl(&data[i..]);
    if close == 0 && data.get(i) == Some(&b'/') {
        i += 1;
    }
    if data.get(i) != Some(&b'>') {
        return false;
    }
    scan_blank_line(&data[i + 1..]).is_some()
}

/// One attribute of a tag from `i`, on one line; where it ends.
fn scan_attribute(data: &[u8], mut i: usize) -> Option<usize> {
    let (&c, tail) = data.get(i..)?.split_first()?;
    if !(c.is_ascii_alphabetic() || c == b'_' || c == b':') {
        return None;
    }
    i += 1 + tail
        .iter()
        .take_while(|&&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':' | b'-'))
        .count();
    let after_name = i;
    let j = skip_space_on_line(data, i)?;
    if data.get(j) != Some(&b'=') {
        return Some(after_name);
    }
    let mut i = skip_space_on_line(data, j + 1)?;
    match *data.get(i)? {
        quote @ (b'"' | b'\'') => {
            i += 1;
            while i < data.len() {
                if data[i] == quote {
                    return Some(i + 1);
                }
                if matches!(data[i], b'\n' | b'\r') {
                    return None;
                }
                i += 1;
            }
            None
        }
        b' ' | b'=' | b'>' | b'<' | b'`' | b'\n' | b'\r' => None,
        _ => Some(
            i + data[i..]
                .iter()
                .take_while(|&&c| {
                    !matches!(
                        c,
                        b'\'' | b'"' | b' ' | b'=' | b'>' | b'<' | b'`' | b'\n' | b'\r'
                    )
                })
                .count(),
        ),
    }
}

/// Skips ASCII white space from `i`; `None` at a line ending.
fn skip_space_on_line(data: &[u8], mut i: usize) -> Option<usize> {
    while i < data.len() {
        if !is_ascii_whitespace(data[i]) {
            return Some(i);
        }
        if matches!(data[i], b'\n' | b'\r') {
            return None;
        }
        i += 1;
    }
    Some(i)
}
