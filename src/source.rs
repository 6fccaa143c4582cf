//! Stage 2: read. A [`Source`] is the bytes of one design document and where
//! they came from. Content from the git index is read during discovery (the
//! repository handle is not shareable across threads, and staged documents
//! are few); files on disk are read here, in parallel, by [`Pending::read`].

use std::path::PathBuf;

use serde::Serialize;

use crate::error::Error;

/// Documents larger than this are reported, not parsed.
pub const MAX_DOCUMENT_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// A blob in the git index: what the next commit will contain.
    Index,
    /// A file in the work tree (or a plain folder).
    Disk,
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
    File { path: String, abs: PathBuf },
}

impl Pending {
    pub fn path(&self) -> &str {
        match self {
            Pending::Loaded(s) => &s.path,
            Pending::File { path, .. } => path,
        }
    }

    /// Reads the content. Fails only on an I/O error; a huge file becomes a
    /// source marked `oversized`, which the lint stage reports.
    pub fn read(self) -> Result<Source, Error> {
        match self {
            Pending::Loaded(s) => Ok(s),
            Pending::File { path, abs } => {
                let meta = std::fs::metadata(&abs).map_err(|e| Error::io(&abs, e))?;
                if !meta.is_file() {
                    return Err(Error::io(&abs, std::io::Error::other("not a regular file")));
                }
                if meta.len() > MAX_DOCUMENT_BYTES {
                    return Ok(Source {
                        path,
                        origin: Origin::Disk,
                        bytes: Vec::new(),
                        oversized: Some(meta.len()),
                    });
                }
                let bytes = std::fs::read(&abs).map_err(|e| Error::io(&abs, e))?;
                Ok(Source {
                    path,
                    origin: Origin::Disk,
                    bytes,
                    oversized: None,
                })
            }
        }
    }
}

impl Source {
    /// A source from bytes in the index (or any blob).
    pub fn from_blob(path: String, bytes: &[u8]) -> Source {
        let size = bytes.len() as u64;
        let oversized = (size > MAX_DOCUMENT_BYTES).then_some(size);
        Source {
            path,
            origin: Origin::Index,
            bytes: if oversized.is_some() {
                Vec::new()
            } else {
                bytes.to_vec()
            },
            oversized,
        }
    }
}
