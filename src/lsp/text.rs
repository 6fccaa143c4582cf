//! Positions as LSP counts them, and the edits clients send.
//!
//! LSP positions are a 0-based line and a column in UTF-16 code units
//! (the encoding every client must support); designgate's findings are
//! byte ranges. A line ends at `\n`, `\r\n` or a lone `\r`, as the protocol
//! says. A byte-order mark is a character like any other here: clients
//! strip it from the buffer they send, and if one is left, they count it.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use lsp_types::{Position, TextDocumentContentChangeEvent};

/// Line starts of a text, for converting between byte offsets and LSP
/// positions.
#[derive(Debug, Clone)]
pub(super) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(super) fn new(text: &str) -> Lines {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
        }
        Lines { starts }
    }

    /// The LSP position of byte `offset` (clamped to the text, and moved
    /// back to a character boundary).
    pub(super) fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character = text[start..offset].encode_utf16().count();
        Position::new(to_u32(line), to_u32(character))
    }

    /// The byte offset of an LSP position. A column past the end of its
    /// line means the end of the line (before its line break), a line past
    /// the end of the text the end of the text, and a column inside a
    /// surrogate pair the start of that character.
    pub(super) fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self.line_end(text, line);
        let mut units = 0usize;
        for (i, c) in text[start..end].char_indices() {
            units += c.len_utf16();
            if units > position.character as usize {
                return start + i;
            }
        }
        end
    }

    /// Where line `line` ends, before its line break.
    pub(super) fn line_end(&self, text: &str, line: usize) -> usize {
        let next = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let start = self.starts.get(line).copied().unwrap_or(next);
        let content = &text.as_bytes()[start..next];
        let break_len = if content.ends_with(b"\r\n") {
            2
        } else {
            usize::from(content.ends_with(b"\n") || content.ends_with(b"\r"))
        };
        next - break_len
    }

    /// The byte range of the line holding `offset`, without its line break.
    pub(super) fn line_of(&self, text: &str, offset: usize) -> Range<usize> {
        let line = self
            .starts
            .partition_point(|&s| s <= offset.min(text.len()))
            - 1;
        self.starts[line]..self.line_end(text, line)
    }

    /// Where the line after the one holding `offset` starts (the end of the
    /// text on the last line).
    pub(super) fn next_line_start(&self, text: &str, offset: usize) -> usize {
        let line = self
            .starts
            .partition_point(|&s| s <= offset.min(text.len()));
        self.starts.get(line).copied().unwrap_or(text.len())
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The largest character boundary at or before `offset`.
pub(super) fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Applies one `didChange` content change: a whole new text, or a range
/// replaced (positions in UTF-16, as above).
pub(super) fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let lines = Lines::new(text);
            let start = lines.offset(text, range.start);
            let end = lines.offset(text, range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

/// The line break a document uses: `\r\n` if its first line ends so.
pub(super) fn line_break(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The local path of a `file:` URI, percent-decoded; `None` for other
/// schemes, a host other than `localhost`, or a path that is not absolute
/// or names `..`.
pub(super) fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let (host, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => return None,
    };
    if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let bytes = percent_decode(path)?;
    let text = String::from_utf8(bytes).ok()?;
    // A Windows drive (`/C:/x`) loses its leading slash.
    let text = match text.as_bytes() {
        [b'/', d, b':', ..] if d.is_ascii_alphabetic() && cfg!(windows) => text[1..].to_owned(),
        _ => text,
    };
    let path = PathBuf::from(text);
    let clean = path.is_absolute()
        && path
            .components()
            .all(|c| !matches!(c, Component::ParentDir | Component::CurDir));
    clean.then_some(path)
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The `file:` URI of an absolute path, percent-encoding all but the
/// characters RFC 3986 leaves unreserved and `/`.
pub(super) fn path_to_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) || (b == b':' && cfg!(windows)) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::Range as LspRange;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn columns_count_utf16_units_not_bytes_or_chars() {
        // `é` is 2 bytes and 1 unit; `😀` is 4 bytes and 2 units.
        let text = "# Café 😀 SLA\r\nx\ry\nz";
        let lines = Lines::new(text);
        let sla = text.find("SLA").unwrap();
        assert_eq!(lines.position(text, sla), pos(0, 10));
        assert_eq!(lines.offset(text, pos(0, 10)), sla);
        // CRLF, a lone CR and LF all end lines.
        assert_eq!(lines.position(text, text.find('x').unwrap()), pos(1, 0));
        assert_eq!(lines.position(text, text.find('y').unwrap()), pos(2, 0));
        assert_eq!(lines.position(text, text.find('z').unwrap()), pos(3, 0));
        // Past the end of a line: the end of the line, before `\r\n`.
        assert_eq!(lines.offset(text, pos(0, 99)), text.find('\r').unwrap());
        // Inside the surrogate pair: the start of the emoji.
        let emoji = text.find('😀').unwrap();
        assert_eq!(lines.offset(text, pos(0, 8)), emoji);
        assert_eq!(lines.offset(text, pos(0, 7)), emoji);
        // A byte offset inside a character moves back to its start.
        assert_eq!(lines.position(text, emoji + 1), pos(0, 7));
        assert_eq!(lines.offset(text, pos(9, 0)), text.len());
        assert_eq!(lines.position(text, text.len() + 5), pos(3, 1));
    }

    #[test]
    fn incremental_changes_apply_at_utf16_positions() {
        let mut text = "## Ünïcode\n\nTBD 😀 here\n".to_owned();
        let change =
            |range: Option<(Position, Position)>, new: &str| TextDocumentContentChangeEvent {
                range: range.map(|(start, end)| LspRange { start, end }),
                range_length: None,
                text: new.to_owned(),
            };
        // Replace `TBD` on line 2.
        apply_change(&mut text, change(Some((pos(2, 0), pos(2, 3))), "Done"));
        assert_eq!(text, "## Ünïcode\n\nDone 😀 here\n");
        // Insert after the emoji (5 + 2 units + 1 space).
        apply_change(&mut text, change(Some((pos(2, 8), pos(2, 8))), "now "));
        assert_eq!(text, "## Ünïcode\n\nDone 😀 now here\n");
        // A reversed range deletes nothing; a whole text replaces.
        apply_change(&mut text, change(Some((pos(2, 4), pos(2, 0))), "!"));
        assert_eq!(text, "## Ünïcode\n\nDone! 😀 now here\n");
        apply_change(&mut text, change(None, "new"));
        assert_eq!(text, "new");
    }

    #[test]
    fn file_uris_round_trip_and_refuse_others() {
        let path = Path::new("/tmp/a b/design/ü%.md");
        let uri = path_to_uri(path);
        assert_eq!(uri, "file:///tmp/a%20b/design/%C3%BC%25.md");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
        assert_eq!(
            uri_to_path("file://localhost/x/y.md").as_deref(),
            Some(Path::new("/x/y.md"))
        );
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
        assert_eq!(uri_to_path("file://server/share/a.md"), None);
        assert_eq!(uri_to_path("file:///x/../etc/passwd"), None);
        assert_eq!(uri_to_path("file:///x/%zz"), None);
    }

    #[test]
    fn line_helpers() {
        let text = "a\r\nbc\n";
        let lines = Lines::new(text);
        assert_eq!(lines.line_of(text, 4), 3..5);
        assert_eq!(lines.next_line_start(text, 0), 3);
        assert_eq!(lines.next_line_start(text, 4), 6);
        assert_eq!(lines.next_line_start(text, 6), 6);
        assert_eq!(line_break(text), "\r\n");
        assert_eq!(line_break("a\nb"), "\n");
    }
}
