//! What the scorecard asks `git log`: the last change of every document
//! (one pass, stopped as soon as every document is found) and the commits
//! that changed design documents (for [`super::history`]).
//!
//! Both read `git log -z --raw --no-renames --no-abbrev` with a format of
//! `\x01<id>\0<author>\0<date>`, parsed positionally: after a header come
//! the author and date; after a `:<modes> <ids> <status>` entry comes
//! exactly one path. A path can hold any byte but NUL, so it is never
//! mistaken for a header.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use crate::error::Error;
use crate::git::{self, Repo};

use super::Change;

/// One commit of a log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogCommit {
    pub id: String,
    pub author: String,
    /// Author date, ISO 8601 (`%aI`).
    pub date: String,
    pub changes: Vec<RawChange>,
}

/// One changed path of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawChange {
    pub path: String,
    /// The new blob, if the path is now a regular file (`None`: deleted,
    /// or a symlink or submodule now).
    pub blob: Option<String>,
}

const FORMAT: &str = "--format=%x01%H%x00%an%x00%aI";

/// Characters kept of an author's name.
const MAX_AUTHOR_CHARS: usize = 200;

/// Runs `git log` with `args` (before the pathspecs of `dirs`), giving each
/// commit to `each`, newest first, until it returns false; git is then
/// stopped.
pub fn log(
    repo: &Repo,
    args: &[String],
    dirs: &[String],
    mut each: impl FnMut(LogCommit) -> bool,
) -> Result<(), Error> {
    let mut child = repo
        .command()
        .args([
            "log",
            "-z",
            "--raw",
            "--no-renames",
            "--no-abbrev",
            "--no-color",
            FORMAT,
        ])
        .args(args)
        .arg("--")
        .args(git::pathspecs(dirs))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::git("log", e.to_string().as_bytes()))?;
    let (Some(stdout), Some(mut stderr)) = (child.stdout.take(), child.stderr.take()) else {
        return Err(Error::git("log", b"could not open pipes to git"));
    };
    // why: read git's messages on the side, or a full stderr pipe could
    // block it while this thread waits on stdout.
    let errors = std::thread::spawn(move || {
        let mut message = Vec::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut message);
        message
    });
    let mut reader = BufReader::new(stdout);
    let mut stopped = false;
    let result = parse(&mut reader, |c| {
        let go = each(c);
        stopped |= !go;
        go
    });
    if stopped {
        let _ = child.kill();
    }
    drop(reader);
    let status = child
        .wait()
        .map_err(|e| Error::git("log", e.to_string().as_bytes()))?;
    let message = errors.join().unwrap_or_default();
    result?;
    if !stopped && !status.success() {
        return Err(Error::git("log", &message));
    }
    Ok(())
}

/// Parses log output, handing out each commit once its entries are read.
fn parse(r: &mut impl BufRead, mut each: impl FnMut(LogCommit) -> bool) -> Result<(), Error> {
    let malformed = || Error::git("log", b"unexpected output");
    let mut current: Option<LogCommit> = None;
    let mut token = Vec::new();
    let next = |r: &mut dyn BufRead, token: &mut Vec<u8>| -> Result<bool, Error> {
        token.clear();
        let n = r
            .read_until(0, token)
            .map_err(|e| Error::git("log", e.to_string().as_bytes()))?;
        if token.last() == Some(&0) {
            token.pop();
        }
        Ok(n > 0)
    };
    while next(r, &mut token)? {
        let t = token.strip_prefix(b"\n").unwrap_or(&token);
        if t.is_empty() {
            continue;
        }
        if let Some(id) = t.strip_prefix(b"\x01") {
            if let Some(done) = current.take()
                && !each(done)
            {
                return Ok(());
            }
            let id = std::str::from_utf8(id).map_err(|_| malformed())?.to_owned();
            if !next(r, &mut token)? {
                return Err(malformed());
            }
            let author = shorten(&String::from_utf8_lossy(&token));
            if !next(r, &mut token)? {
                return Err(malformed());
            }
            let date = String::from_utf8_lossy(&token).into_owned();
            current = Some(LogCommit {
                id,
                author,
                date,
                changes: Vec::new(),
            });
        } else if let Some(entry) = t.strip_prefix(b":") {
            let entry = String::from_utf8_lossy(entry).into_owned();
            if !next(r, &mut token)? {
                return Err(malformed());
            }
            let (path, utf8) = git::escape_path(&token);
            let fields: Vec<&str> = entry.split(' ').collect();
            let (Some(mode), Some(id), Some(status)) =
                (fields.get(1), fields.get(3), fields.get(4))
            else {
                return Err(malformed());
            };
            let regular = matches!(*mode, "100644" | "100755" | "100664");
            let blob = (regular && !status.starts_with('D')).then(|| (*id).to_owned());
            if let (true, Some(c)) = (utf8, current.as_mut()) {
                c.changes.push(RawChange { path, blob });
            }
        } else {
            return Err(malformed());
        }
    }
    if let Some(done) = current {
        each(done);
    }
    Ok(())
}

fn shorten(s: &str) -> String {
    match s.char_indices().nth(MAX_AUTHOR_CHARS) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

/// The last commit (reachable from `head`) that changed each of `paths`:
/// one `git log` over the design folders, stopped once every path is found.
/// Paths never committed are left out.
pub fn last_changes(
    repo: &Repo,
    head: &str,
    dirs: &[String],
    paths: &[&str],
) -> Result<HashMap<String, Change>, Error> {
    let mut wanted: std::collections::HashSet<&str> = paths.iter().copied().collect();
    let mut found = HashMap::new();
    if wanted.is_empty() {
        return Ok(found);
    }
    git::validate_rev(head)?;
    log(repo, &[head.to_owned()], dirs, |commit| {
        for c in &commit.changes {
            if wanted.remove(c.path.as_str()) {
                found.insert(
                    c.path.clone(),
                    Change {
                        commit: commit.id.clone(),
                        author: commit.author.clone(),
                        date: commit.date.clone(),
                    },
                );
            }
        }
        !wanted.is_empty()
    })?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_headers_entries_and_odd_paths() {
        let id = "a".repeat(40);
        let blob = "b".repeat(40);
        let zero = "0".repeat(40);
        let out = format!(
            "\x01{id}\0Ada \x01 L\02026-01-02T03:04:05Z\0\n:100644 100644 {zero} {blob} M\0design/\x01{id}.md\0:100644 000000 {blob} {zero} D\0design/gone.md\0\x01{id}\0B\02026-01-01T00:00:00Z\0\n:000000 120000 {zero} {blob} A\0design/link.md\0"
        );
        let mut got = Vec::new();
        parse(&mut out.as_bytes(), |c| {
            got.push(c);
            true
        })
        .unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].author, "Ada \x01 L");
        assert_eq!(got[0].changes[0].path, format!("design/\x01{id}.md"));
        assert_eq!(got[0].changes[0].blob.as_deref(), Some(blob.as_str()));
        assert_eq!(got[0].changes[1].blob, None);
        assert_eq!(got[1].changes[0].blob, None, "a symlink is no document");
    }
}
