//! The one home for replacing files, as [`crate::snapshot`] is for reading
//! them: `check --fix`, `designgate baseline`, `designgate report --output`
//! and the report's history cache all write through [`replace_file`].

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Writes `content` to `path` through a new file in the same folder
/// (named `<prefix>…`) renamed over it, so that a reader never sees half a
/// file and a failed write leaves the old one. An existing file keeps its
/// permissions; a new one is readable by all, as a file git checks out is
/// (the temporary file starts private).
///
/// why: refuses a symbolic link or anything but a regular file at `path`,
/// so that writing never follows a link out of the repository.
///
/// With `expected`, the file must exist and still hold exactly those bytes
/// just before the rename: if an editor saved it meanwhile, nothing is
/// written and the error says so.
pub fn replace_file(
    path: &Path,
    content: &[u8],
    prefix: &str,
    expected: Option<&[u8]>,
) -> Result<(), Error> {
    let existing = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_file() => Some(meta.permissions()),
        Ok(_) => {
            return Err(Error::io(
                path,
                std::io::Error::other("not a regular file (a link or a folder); not overwritten"),
            ));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && expected.is_none() => None,
        Err(e) => return Err(Error::io(path, e)),
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(prefix)
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    tmp.write_all(content)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io(path, e))?;
    if let Some(permissions) = existing.or_else(default_permissions) {
        tmp.as_file()
            .set_permissions(permissions)
            .map_err(|e| Error::io(path, e))?;
    }
    if let Some(expected) = expected {
        let now = crate::snapshot::read_listed_file(path, crate::source::MAX_DOCUMENT_BYTES)
            .map_err(|e| Error::io(path, e))?;
        if now != crate::snapshot::Content::Bytes(expected.to_vec()) {
            return Err(Error::io(
                path,
                std::io::Error::other("it changed while designgate was fixing it; not changed"),
            ));
        }
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}
