//! Stage 2: read. A [`Source`] is the bytes of one design document and where
//! they came from. Content from git (the index or a commit) is read during
//! discovery, all documents in one `git cat-file` process; files on disk are
//! read here, in parallel, by [`Pending::read`].

use std::path::PathBuf;

use serde::Serialize;

use crate::error::Error;
use crate::snapshot::{Content, read_file, read_listed_file};

/// Documents larger than this are reported, not parsed.
pub const MAX_DOCUMENT_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// A blob in the git index: what the next commit will contain.
    Index,
    /// A file in the work tree (or a plain folder).
    Disk,
    /// A blob in a commit's tree (`--rev`, `--diff`).
    Commit,
}

/// The content of one design document.
#[derive(Debug, Clone)]
pub struct Source {
    /// Repository-relative path with `/` separators.
    pub path: String,
    pub origin: Origin,
    pub bytes: Vec<u8>,
    /// Set when the document exceeded [`MAX_DOCUMENT_BYTES`]; `bytes` is then
    /// empty and this is its size.
    pub oversized: Option<u64>,
}

/// A document found by discovery, not necessarily read yet.
#[derive(Debug)]
pub enum Pending {
    Loaded(Source),
    /// A file on disk; `listed`: found as a regular file by a listing (a
    /// symlink there now is not followed), not named on the command line.
    File {
        path: String,
        abs: PathBuf,
        listed: bool,
    },
    /// A document whose file name is not UTF-8: `path` is an escaped
    /// rendering of it. It is reported (a `document` finding), not read.
    BadName {
        path: String,
        origin: Origin,
    },
}

impl Pending {
    pub fn path(&self) -> &str {
        match self {
            Pending::Loaded(s) => &s.path,
            Pending::File { path, .. } | Pending::BadName { path, .. } => path,
        }
    }

    /// Reads the content. Fails only on an I/O error; a huge file becomes a
    /// source marked `oversized`, which the lint stage reports.
    pub fn read(self) -> Result<Source, Error> {
        match self {
            Pending::Loaded(s) => Ok(s),
            Pending::File { path, abs, listed } => {
                let origin = Origin::Disk;
                let read = if listed { read_listed_file } else { read_file };
                match read(&abs, MAX_DOCUMENT_BYTES).map_err(|e| Error::io(&abs, e))? {
                    Content::Bytes(bytes) => Ok(Source {
                        path,
                        origin,
                        bytes,
                        oversized: None,
                    }),
                    Content::TooLarge(size) => Ok(Source::oversized(path, origin, size)),
                    Content::Missing => Err(Error::io(
                        &abs,
                        std::io::Error::from(std::io::ErrorKind::NotFound),
                    )),
                    Content::NotAFile(what) => Err(Error::io(&abs, std::io::Error::other(what))),
                }
            }
            // why: a name that is not UTF-8 cannot be opened by the name
            // shown; `crate::run` reports it with `lint::bad_name` instead.
            Pending::BadName { path, .. } => {
                Err(Error::Usage(format!("{path}: the file name is not UTF-8")))
            }
        }
    }
}

impl Source {
    /// A source from the bytes of a git blob.
    pub fn from_git(path: String, origin: Origin, bytes: Vec<u8>) -> Source {
        let size = bytes.len() as u64;
        if size > MAX_DOCUMENT_BYTES {
            return Source::oversized(path, origin, size);
        }
        Source {
            path,
            origin,
            bytes,
            oversized: None,
        }
    }

    /// A document of `size` bytes, too large to be read.
    pub fn oversized(path: String, origin: Origin, size: u64) -> Source {
        Source {
            path,
            origin,
            bytes: Vec::new(),
            oversized: Some(size),
        }
    }
}
