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
    #[error("git: {}", .0.message())]
    Git(#[from] git2::Error),
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
pub fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&bytes[line_start..offset])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::line_column;

    #[test]
    fn line_column_is_one_based_and_counts_characters() {
        let text = "ab\r\nçd\nx";
        assert_eq!(line_column(text.as_bytes(), 0), (1, 1));
        assert_eq!(line_column(text.as_bytes(), 4), (2, 1));
        // `ç` is two bytes but one column.
        assert_eq!(line_column(text.as_bytes(), 6), (2, 2));
        assert_eq!(line_column(text.as_bytes(), text.len()), (3, 2));
        assert_eq!(line_column(b"a\xffb", 2), (1, 3));
    }
}
