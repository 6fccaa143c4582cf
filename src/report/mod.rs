//! Stage 5: report. Renders data to a writer: one module per format, colour
//! only through [`Palette`]. Nothing here decides the exit code.
//! [`output`] drives several reports of one run at once (`--format` given
//! more than once); the CI formats are [`sarif`], [`github`], [`gitlab`],
//! [`junit`] and [`markdown`] (reference: docs/formats.md).

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod output;
pub mod sarif;

use std::io::Write;

use owo_colors::{OwoColorize, Style};

use crate::diagnostic::Diagnostic;
use crate::error::LineIndex;
use crate::lint::FileReport;
use crate::pack::Severity;

/// Whether and how to colour human output. Resolved once, in `main`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Palette {
    enabled: bool,
}

impl Palette {
    pub fn new(enabled: bool) -> Self {
        Palette { enabled }
    }

    fn paint(&self, text: &str, style: Style) -> String {
        if self.enabled {
            text.style(style).to_string()
        } else {
            text.to_owned()
        }
    }

    pub fn severity(&self, severity: Severity, text: &str) -> String {
        let style = match severity {
            Severity::Error => Style::new().red().bold(),
            Severity::Warning => Style::new().yellow().bold(),
            Severity::Info => Style::new().cyan().bold(),
            Severity::Off => Style::new().dimmed(),
        };
        self.paint(text, style)
    }

    pub fn gutter(&self, text: &str) -> String {
        self.paint(text, Style::new().blue().bold())
    }

    pub fn strong(&self, text: &str) -> String {
        self.paint(text, Style::new().bold())
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint(text, Style::new().dimmed())
    }
}

/// Makes text from a document safe to print on a terminal: C0 control
/// characters (escape, bell, carriage return…) become their Unicode control
/// pictures (`␛`, `␇`, `␍`), DEL becomes `␡`, other control characters and
/// invisible format characters that reorder or hide text (bidi overrides
/// and isolates, zero-width spaces: see [`is_hidden_format`]) become `�`,
/// and a tab a space. Each character maps to exactly one, so columns and
/// carets stay aligned.
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || is_hidden_format(c)) {
        return text.into();
    }
    text.chars().map(safe_char).collect::<String>().into()
}

/// One character as [`sanitize`] shows it.
fn safe_char(c: char) -> char {
    match c {
        '\t' => ' ',
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        c if c.is_control() || is_hidden_format(c) => '\u{fffd}',
        c => c,
    }
}

/// Invisible characters that change how the text around them is shown:
/// bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069,
/// the marks U+200E, U+200F, U+061C), zero-width and invisible operators
/// (U+200B, U+2060–U+2064, U+FEFF inside text), line and paragraph
/// separators (U+2028, U+2029), and the interlinear annotation marks
/// (U+FFF9–U+FFFB). Zero-width joiners (U+200C, U+200D) are kept: scripts
/// and emoji need them, and they reorder nothing.
pub fn is_hidden_format(c: char) -> bool {
    matches!(
        c,
        '\u{061c}'
            | '\u{200b}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
    )
}

/// What a [`Clean`] writer lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Text for a terminal: as [`sanitize`], line breaks kept. With
    /// `colour`, the colour sequences [`Palette`] writes (`ESC [ 1 ; 31 m`:
    /// bold, dim, red, yellow, blue, cyan, reset) pass; nothing else does.
    Terminal { colour: bool },
    /// JSON: control characters cannot occur raw (serde escapes them);
    /// hidden format characters inside strings are written as `\uXXXX`
    /// escapes, which is the same JSON value.
    Json,
}

/// A writer that makes everything written through it safe for a terminal:
/// the one boundary every stream of the binary goes through, so that no
/// string from a repository (a file name, a config value, a git message)
/// reaches the terminal raw. Line-buffered: call [`Write::flush`] at the
/// end.
pub struct Clean<W: Write> {
    inner: W,
    stream: Stream,
    pending: Vec<u8>,
}

impl<W: Write> Clean<W> {
    pub fn new(inner: W, stream: Stream) -> Self {
        Clean {
            inner,
            stream,
            pending: Vec::new(),
        }
    }

    /// Writes the first `cut` bytes of `pending`, made safe.
    fn drain(&mut self, cut: usize) -> std::io::Result<()> {
        if cut == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&self.pending[..cut]);
        let clean = clean(&text, self.stream);
        self.inner.write_all(clean.as_bytes())?;
        self.pending.drain(..cut);
        Ok(())
    }
}

/// How many bytes at the end of `bytes` are the start of a UTF-8 character
/// whose other bytes have not come yet (0 to 3).
fn incomplete_tail(bytes: &[u8]) -> usize {
    for back in 1..=bytes.len().min(3) {
        let b = bytes[bytes.len() - back];
        if b & 0xc0 != 0x80 {
            // A lead byte (or ASCII): how long its character is.
            let len = match b {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => 1,
            };
            return if len > back { back } else { 0 };
        }
    }
    0
}

impl<W: Write> Write for Clean<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let before = self.pending.len();
        self.pending.extend_from_slice(buf);
        // why: only the new bytes are searched. `pending` holds no line
        // break once a write returns, and searching all of it (and checking
        // it was UTF-8) on every write was quadratic in a long line: the
        // JSON outline of 20,000 headings, one line of a few megabytes
        // written in small pieces, took 8 s.
        if let Some(i) = memchr::memrchr(b'\n', buf) {
            return self.drain(before + i + 1).map(|()| buf.len());
        }
        // why: a line of megabytes is written as it comes, not held; up to
        // a character boundary, so that no character is split.
        if self.pending.len() > 64 * 1024 {
            let cut = self.pending.len() - incomplete_tail(&self.pending);
            self.drain(cut)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.drain(self.pending.len())?;
        self.inner.flush()
    }
}

/// `text` made safe for `stream` (see [`Stream`]).
pub fn clean_text(text: &str, stream: Stream) -> String {
    clean(text, stream).into_owned()
}

/// [`clean_text`], borrowing `text` when it is safe as it is (the usual
/// case: reports are written through [`Clean`] without a copy).
fn clean(text: &str, stream: Stream) -> std::borrow::Cow<'_, str> {
    if !needs_cleaning(text.as_bytes()) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (stream, c) {
            (Stream::Json, c) if is_hidden_format(c) || c.is_control() && c != '\n' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            (Stream::Json, c) | (Stream::Terminal { .. }, c @ '\n') => out.push(c),
            (Stream::Terminal { colour: true }, '\u{1b}') => match palette_sequence(&text[i..]) {
                Some(len) => {
                    out.push_str(&text[i..i + len]);
                    while chars.peek().is_some_and(|&(j, _)| j < i + len) {
                        chars.next();
                    }
                }
                None => out.push(safe_char(c)),
            },
            (Stream::Terminal { .. }, c) => out.push(safe_char(c)),
        }
    }
    out.into()
}

/// Whether UTF-8 `text` holds a character that [`clean`] changes: a control
/// character but a line break, or a hidden format character (see
/// [`is_hidden_format`]). Looks at bytes, not characters: reports are
/// megabytes, and almost all of them are safe.
fn needs_cleaning(text: &[u8]) -> bool {
    // Bytes that may start such a character: C0 controls but `\n`, DEL, and
    // the lead bytes below. Most text has none, and a table lookup per byte
    // finds that fast.
    const SUSPECT: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            t[b] = b != b'\n' as usize;
            b += 1;
        }
        t[0x7f] = true;
        t[0xc2] = true;
        t[0xd8] = true;
        t[0xe2] = true;
        t[0xef] = true;
        t
    };
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    let mut from = 0;
    while let Some(skip) = text[from..].iter().position(|&b| SUSPECT[usize::from(b)]) {
        let i = from + skip;
        from = i + 1;
        let hit = match text[i] {
            b'\n' => false,
            0..=0x1f | 0x7f => true,
            // C1 controls, U+0080–U+009F.
            0xc2 => (0x80..=0x9f).contains(&at(i + 1)),
            // U+061C.
            0xd8 => at(i + 1) == 0x9c,
            // U+200B, U+200E, U+200F, U+2028–U+202E; U+2060–U+2064, U+2066–U+2069.
            0xe2 => match (at(i + 1), at(i + 2)) {
                (0x80, y) => matches!(y, 0x8b | 0x8e | 0x8f | 0xa8..=0xae),
                (0x81, y) => matches!(y, 0xa0..=0xa4 | 0xa6..=0xa9),
                _ => false,
            },
            // U+FEFF; U+FFF9–U+FFFB.
            0xef => matches!((at(i + 1), at(i + 2)), (0xbb, 0xbf) | (0xbf, 0xb9..=0xbb)),
            _ => false,
        };
        if hit {
            return true;
        }
    }
    false
}

/// The length of the colour sequence [`Palette`] may write at the start of
/// `text` (`ESC [ 31;1 m`, `ESC [ 0 m`), if there is one.
fn palette_sequence(text: &str) -> Option<usize> {
    let params = text.strip_prefix("\u{1b}[")?;
    let end = params.find('m')?;
    let params = &params[..end];
    let allowed = ["0", "1", "2", "31", "33", "34", "36"];
    (end <= 8 && params.split(';').all(|p| allowed.contains(&p))).then_some(2 + end + 1)
}

/// Why a finding does not count although it was found: the generic shape
/// the formats that show suppressed findings (SARIF) render, so that a new
/// kind of suppression is one more arm of [`suppression`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suppression<'a> {
    pub kind: SuppressionKind,
    /// The reason given, as written.
    pub justification: &'a str,
    /// `YYYY-MM-DD`, when the suppression ends by itself.
    pub expires: Option<&'a str>,
}

/// Where a suppression is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionKind {
    /// In the document itself: a waiver in front matter or a comment.
    InSource,
    /// Outside the document, such as a baseline file.
    External,
}

/// The suppression of `d`, if it is suppressed: a waiver in the document
/// (`inSource`), or a baseline entry (`external`).
pub fn suppression(d: &Diagnostic) -> Option<Suppression<'_>> {
    if let Some(w) = &d.waived {
        return Some(Suppression {
            kind: SuppressionKind::InSource,
            justification: &w.reason,
            expires: w.expires.as_deref(),
        });
    }
    d.suppressed.as_ref().map(|s| match s.kind {
        crate::diagnostic::SuppressionKind::Baseline => Suppression {
            kind: SuppressionKind::External,
            justification: &s.justification,
            expires: None,
        },
    })
}

/// A finding's identity that survives edits elsewhere in its document:
/// a 128-bit FNV-1a hash, as 32 hex digits, of the path, rule, check and
/// message (which names the section), and `occurrence`, the number of
/// earlier findings of the document with the same four. Line and column
/// are left out on purpose. The algorithm and input are fixed: changing
/// them would make every CI system see all findings as new.
pub fn fingerprint(path: &str, d: &Diagnostic, occurrence: usize) -> String {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut hash = OFFSET;
    let occurrence = occurrence.to_string();
    for part in [
        "designgate/v1",
        path,
        &d.rule,
        d.check,
        &d.message,
        &occurrence,
    ] {
        // A separator that no part holds keeps ("ab", "c") apart from ("a", "bc").
        for &b in part.as_bytes().iter().chain(&[0xff]) {
            hash ^= u128::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:032x}")
}

/// The fingerprints of a document's findings, in order (see
/// [`fingerprint`]).
pub fn fingerprints(file: &FileReport) -> Vec<String> {
    let mut seen: std::collections::HashMap<(&str, &str, &str), usize> =
        std::collections::HashMap::new();
    file.diagnostics
        .iter()
        .map(|d| {
            let n = seen.entry((&d.rule, d.check, &d.message)).or_insert(0);
            let print = fingerprint(&file.path, d, *n);
            *n += 1;
            print
        })
        .collect()
}

/// A document's findings prepared once for all the reports of a run: where
/// each starts and ends, and (when asked) its fingerprint.
pub struct Doc<'a> {
    pub file: &'a FileReport,
    /// [`span`] of each finding, in order.
    pub spans: Vec<(usize, usize, usize, usize)>,
    /// [`fingerprints`], or empty when not asked for.
    pub prints: Vec<String>,
}

impl<'a> Doc<'a> {
    /// With `spans` (and `prints`) false, nothing is worked out: for runs
    /// without a format that needs them.
    pub fn new(file: &'a FileReport, spans: bool, prints: bool) -> Self {
        let spans = if !spans || file.diagnostics.is_empty() {
            Vec::new()
        } else {
            let lines = LineIndex::new(&file.bytes);
            file.diagnostics.iter().map(|d| span(&lines, d)).collect()
        };
        Doc {
            file,
            spans,
            prints: if prints {
                fingerprints(file)
            } else {
                Vec::new()
            },
        }
    }

    /// Each finding with its span and fingerprint (`""` when not asked for).
    pub fn findings(
        &self,
    ) -> impl Iterator<Item = (&Diagnostic, (usize, usize, usize, usize), &str)> {
        self.file.diagnostics.iter().enumerate().map(|(i, d)| {
            (
                d,
                self.spans.get(i).copied().unwrap_or_default(),
                self.prints.get(i).map_or("", String::as_str),
            )
        })
    }
}

/// Line and column, 1-based, of where a finding starts and ends, the end
/// never before the start.
pub fn span(lines: &LineIndex<'_>, d: &Diagnostic) -> (usize, usize, usize, usize) {
    let (line, column) = lines.line_column(d.range.start);
    let (end_line, end_column) = lines.line_column(d.range.end.max(d.range.start));
    (line, column, end_line, end_column)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::{Clean, Stream, clean_text, sanitize};

    /// Whatever pieces a text is written in (splitting lines and
    /// characters), [`Clean`] writes what cleaning it whole gives; lines
    /// longer than its buffer included.
    #[test]
    fn clean_writes_the_same_in_any_pieces() {
        use proptest::prelude::*;
        let piece = prop::sample::select(vec![
            "a",
            "word ",
            "\n",
            "\r\n",
            "é",
            "日本",
            "\u{1F600}",
            "\u{1b}[1m",
            "\u{1b}[0m",
            "\u{7}",
            "\u{200b}",
            "\u{feff}",
            "\"",
            "{",
            "}",
        ]);
        let mut runner = crate::check::test_support::proptest_runner(300);
        runner
            .run(
                &(
                    prop::collection::vec(piece, 0..200),
                    prop::collection::vec(1usize..40, 1..20),
                    0usize..3,
                    any::<bool>(),
                ),
                |(pieces, cuts, long, colour)| {
                    let mut text = pieces.concat();
                    // A line past the 64 KiB buffer, now and then.
                    if long > 0 {
                        text.push_str(&"long line é ".repeat(long * 7_000));
                    }
                    for stream in [Stream::Json, Stream::Terminal { colour }] {
                        let mut out = Clean::new(Vec::new(), stream);
                        let bytes = text.as_bytes();
                        let (mut at, mut n) = (0, 0);
                        while at < bytes.len() {
                            let len = cuts[n % cuts.len()] * if n % 7 == 0 { 997 } else { 1 };
                            let end = (at + len).min(bytes.len());
                            out.write_all(&bytes[at..end])
                                .unwrap_or_else(|e| panic!("{e}"));
                            (at, n) = (end, n + 1);
                        }
                        out.flush().unwrap_or_else(|e| panic!("{e}"));
                        let got = String::from_utf8(out.inner).unwrap_or_default();
                        prop_assert_eq!(got, clean_text(&text, stream));
                    }
                    Ok(())
                },
            )
            .unwrap();
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(sanitize("plain"), "plain");
        assert_eq!(sanitize("a\u{1b}[31mb\r\u{7}\tc\u{7f}"), "a␛[31mb␍␇ c␡");
        assert_eq!(sanitize("\u{9b}2J"), "\u{fffd}2J");
        assert_eq!(sanitize("a\u{202e}gnp.exe"), "a\u{fffd}gnp.exe");
        assert_eq!(sanitize("zw\u{200b}j\u{200d}"), "zw\u{fffd}j\u{200d}");
    }

    #[test]
    fn the_byte_check_agrees_with_the_characters() {
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            let mut text = String::from("a\nb");
            text.push(c);
            text.push('z');
            let changed = c != '\n' && (c.is_control() || super::is_hidden_format(c));
            assert_eq!(super::needs_cleaning(text.as_bytes()), changed, "{c:?}");
        }
    }

    #[test]
    fn clean_streams_let_only_palette_colours_through() {
        use super::{Stream, clean_text};
        let hostile = "\u{1b}]52;c;aGk=\u{7}x\u{1b}[31;1my\u{1b}[0m\u{1b}[8mz\u{202e}\n";
        assert_eq!(
            clean_text(hostile, Stream::Terminal { colour: false }),
            "␛]52;c;aGk=␇x␛[31;1my␛[0m␛[8mz\u{fffd}\n"
        );
        assert_eq!(
            clean_text(hostile, Stream::Terminal { colour: true }),
            "␛]52;c;aGk=␇x\u{1b}[31;1my\u{1b}[0m␛[8mz\u{fffd}\n"
        );
        assert_eq!(
            clean_text("{\"p\": \"a\u{202e}b\"}\n", Stream::Json),
            "{\"p\": \"a\\u202eb\"}\n"
        );
    }
}
