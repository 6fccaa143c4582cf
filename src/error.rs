//! Tool failures: everything that makes designgate exit with code 2. Findings
//! about documents are not errors; they are [`crate::Diagnostic`]s.

use std::ops::Range;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A configuration or rule-pack file is malformed. `line` and `column`
    /// are 1-based.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Config {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A `git` command failed; `message` is what git said.
    #[error("git {command}: {message}")]
    Git { command: String, message: String },
    /// The command line asks for something that cannot be done.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A failed `git <command>`, with git's own message from `stderr`
    /// (its `fatal: ` prefix removed, lines joined).
    pub(crate) fn git(command: &str, stderr: &[u8]) -> Self {
        let text = String::from_utf8_lossy(stderr);
        let lines: Vec<&str> = text
            .lines()
            .map(|l| {
                let l = l.trim();
                l.strip_prefix("fatal: ")
                    .or_else(|| l.strip_prefix("error: "))
                    .unwrap_or(l)
            })
            .filter(|l| !l.is_empty())
            .collect();
        Error::Git {
            command: command.to_owned(),
            message: if lines.is_empty() {
                "failed".to_owned()
            } else {
                lines.join("; ")
            },
        }
    }

    /// A configuration error at byte `span` of `text`, the content of `path`.
    pub(crate) fn config_at(
        path: &Path,
        text: &str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = span.map_or((1, 1), |s| line_column(text.as_bytes(), s.start));
        Error::Config {
            path: path.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// 1-based line and column (in characters) of byte `offset` in `bytes`.
/// Works on invalid UTF-8 too, counting each undecodable byte as a character.
/// One pass over `bytes[..offset]`; for many offsets in one text, build a
/// [`LineIndex`] once.
pub fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let mut line = 1;
    let mut line_start = 0;
    for (i, &b) in before.iter().enumerate() {
        if b == b'\n' {
            line += 1;
            line_start = i + 1;
        }
    }
    (line, column_of(&bytes[line_start..offset], line_start == 0))
}

/// 1-based column (in characters) after `prefix`; a byte-order mark at the
/// very start of the file is invisible in editors and is not counted.
fn column_of(prefix: &[u8], first_line: bool) -> usize {
    let prefix = if first_line {
        prefix.strip_prefix("\u{feff}".as_bytes()).unwrap_or(prefix)
    } else {
        prefix
    };
    String::from_utf8_lossy(prefix).chars().count() + 1
}

/// Line starts of a text, for turning many byte offsets into line and
/// column numbers without rescanning the text for each: the line is a
/// binary search, and the column counts on from the previous answer on the
/// same line, so offsets asked in increasing order cost one pass in all
/// (a line of a megabyte with 250,000 findings stays linear).
#[derive(Debug)]
pub struct LineIndex<'a> {
    bytes: &'a [u8],
    /// The line starts found so far: a report that points near the top of
    /// a long document does not scan all of it (`scan_to`).
    starts: std::cell::RefCell<Vec<usize>>,
    /// Where finding line starts stopped.
    scanned: std::cell::Cell<usize>,
    /// Recent answers `(offset, column)` whose line prefix is valid UTF-8,
    /// to count on from: start and end offsets alternate.
    recent: std::cell::Cell<[(usize, usize); 2]>,
}

impl<'a> LineIndex<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        LineIndex {
            bytes,
            starts: std::cell::RefCell::new(vec![0]),
            scanned: std::cell::Cell::new(0),
            recent: std::cell::Cell::new([(usize::MAX, 0); 2]),
        }
    }

    /// Finds line starts until one lies past `offset` (or the text ends),
    /// and at least `lines` + 1 of them, if the text has as many.
    fn scan_to(&self, offset: usize, lines: usize) {
        let mut scanned = self.scanned.get();
        if scanned >= self.bytes.len() {
            return;
        }
        let mut starts = self.starts.borrow_mut();
        let last = starts.last().copied().unwrap_or(0);
        if last > offset && starts.len() > lines {
            return;
        }
        for nl in memchr::memchr_iter(b'\n', &self.bytes[scanned..]) {
            let start = scanned + nl + 1;
            starts.push(start);
            if start > offset && starts.len() > lines {
                scanned = start;
                self.scanned.set(scanned);
                return;
            }
        }
        self.scanned.set(self.bytes.len());
    }

    /// 1-based line and column (in characters) of byte `offset`; the same
    /// as [`line_column`].
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.bytes.len());
        self.scan_to(offset, 0);
        let (line, start) = {
            let starts = self.starts.borrow();
            let line = starts.partition_point(|&s| s <= offset);
            (line, starts[line - 1])
        };
        let mut recent = self.recent.get();
        // Count on from an earlier answer on this line when the bytes in
        // between are UTF-8 (then counting in two parts is the same); a
        // byte-order mark at the very start is never counted, so answers
        // before its end are not counted on from.
        let bom = if start == 0 && self.bytes.starts_with("\u{feff}".as_bytes()) {
            3
        } else {
            0
        };
        let on = recent
            .iter()
            .filter(|&&(at, _)| at != usize::MAX && start + bom <= at && at <= offset)
            .max_by_key(|&&(at, _)| at)
            .and_then(|&(at, column)| {
                let between = std::str::from_utf8(&self.bytes[at..offset]).ok()?;
                Some(column + between.chars().count())
            });
        let column = match on {
            Some(column) => column,
            None => {
                let column = column_of(&self.bytes[start..offset], start == 0);
                if std::str::from_utf8(&self.bytes[start..offset]).is_err() {
                    return (line, column);
                }
                column
            }
        };
        if offset >= start + bom {
            recent[1] = recent[0];
            recent[0] = (offset, column);
            self.recent.set(recent);
        }
        (line, column)
    }

    /// The bytes of 1-based line `line`, without its line break.
    pub fn line(&self, line: usize) -> &'a [u8] {
        self.scan_to(0, line);
        let starts = self.starts.borrow();
        let start = starts.get(line - 1).copied().unwrap_or(self.bytes.len());
        let end = starts.get(line).map_or(self.bytes.len(), |&next| next - 1);
        let text = &self.bytes[start..end.max(start)];
        text.strip_suffix(b"\r").unwrap_or(text)
    }

    /// Byte offset where 1-based line `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.scan_to(0, line);
        self.starts
            .borrow()
            .get(line - 1)
            .copied()
            .unwrap_or(self.bytes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::{LineIndex, line_column};

    #[test]
    fn line_index_agrees_with_line_column() {
        let text: &[u8] = b"ab\r\n\xc3\xa7d\n\nx\xff";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line_column(offset),
                line_column(text, offset),
                "offset {offset}"
            );
        }
        // In any order, and counting on from earlier answers.
        let text: &[u8] = b"\xef\xbb\xbfa\xc3\xa9 b\n\xc3\xa7d \xc3\xa9\xffz \xc3\xa9";
        let index = LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len()).chain((0..=text.len()).rev()).collect();
        for offset in offsets.iter().copied().chain(offsets.iter().map(|o| o / 2)) {
            assert_eq!(
                index.line_column(offset),
                line_column(text, offset),
                "offset {offset}"
            );
        }
        let index = LineIndex::new(b"ab\r\n\xc3\xa7d\n\nx\xff");
        assert_eq!(index.line(1), b"ab");
        assert_eq!(index.line(2), "çd".as_bytes());
        assert_eq!(index.line(3), b"");
        assert_eq!(index.line_start(4), 9);
    }

    #[test]
    fn line_column_is_one_based_and_counts_characters() {
        let text = "ab\r\nçd\nx";
        assert_eq!(line_column(text.as_bytes(), 0), (1, 1));
        assert_eq!(line_column(text.as_bytes(), 4), (2, 1));
        // `ç` is two bytes but one column.
        assert_eq!(line_column(text.as_bytes(), 6), (2, 2));
        assert_eq!(line_column(text.as_bytes(), text.len()), (3, 2));
        assert_eq!(line_column(b"a\xffb", 2), (1, 3));
        // A BOM is not a column.
        assert_eq!(line_column("\u{feff}# T".as_bytes(), 3), (1, 1));
        assert_eq!(line_column("\u{feff}# T".as_bytes(), 5), (1, 3));
    }
}
