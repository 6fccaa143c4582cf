//! `designgate install-hook`: writes, updates or removes a plain git hook
//! that runs designgate, without a hook manager.
//!
//! The hook goes where git looks for it: `git rev-parse --git-path hooks`,
//! which honours `core.hooksPath` (a relative one resolved against the work
//! tree root, as git does) and, in a linked worktree, the hooks folder shared
//! by all worktrees. The script written is the one shipped in `hooks/`, with
//! a marker line naming designgate as its author and the path of the
//! installing binary as a fallback for a short `PATH` at hook time.
//!
//! A hook designgate did not write is never lost: it is only replaced with
//! `--force`, and then kept as `<hook>.designgate-backup`, which
//! `--uninstall` puts back. This module does no printing; [`Outcome`]
//! says what happened.

use std::fmt;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;
use crate::snapshot::Content;

/// A git hook that designgate can install.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    /// Checks the staged design documents before each commit.
    PreCommit,
    /// Checks the design documents changed by the pushed commits.
    PrePush,
    /// Server side: checks the design documents changed by a received push.
    PreReceive,
}

impl Hook {
    /// The hook's file name, as git knows it.
    pub fn name(self) -> &'static str {
        match self {
            Hook::PreCommit => "pre-commit",
            Hook::PrePush => "pre-push",
            Hook::PreReceive => "pre-receive",
        }
    }

    /// The shipped script, from `hooks/`: one source for the copied and the
    /// installed hook.
    fn template(self) -> &'static str {
        match self {
            Hook::PreCommit => include_str!("../hooks/pre-commit"),
            Hook::PrePush => include_str!("../hooks/pre-push"),
            Hook::PreReceive => include_str!("../hooks/pre-receive"),
        }
    }

    /// Whether git runs this hook in a bare repository. Nobody commits or
    /// pushes from a bare repository; it only receives.
    fn runs_in_bare(self) -> bool {
        self == Hook::PreReceive
    }
}

/// The start of the line that marks a hook as written by designgate.
pub const MARKER: &str = "# designgate install-hook:";

/// The line of each shipped script that [`script`] fills in.
const FALLBACK_LINE: &str = "\ndesigngate_fallback=''\n";

/// The suffix of the file a replaced foreign hook is kept in.
pub const BACKUP_SUFFIX: &str = ".designgate-backup";

/// What `install` or `uninstall` did, with the paths involved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// There was no hook; designgate's is now at `path`.
    Installed { hook: Hook, path: PathBuf },
    /// designgate's hook was already there, identical.
    AlreadyInstalled { hook: Hook, path: PathBuf },
    /// An older or edited designgate hook was rewritten.
    Updated { hook: Hook, path: PathBuf },
    /// A foreign hook was moved to `backup` (`--force`).
    Replaced {
        hook: Hook,
        path: PathBuf,
        backup: PathBuf,
    },
    /// designgate's hook was deleted.
    Removed { hook: Hook, path: PathBuf },
    /// designgate's hook was replaced by the hook kept in `backup`.
    Restored {
        hook: Hook,
        path: PathBuf,
        backup: PathBuf,
    },
    /// `--uninstall` found no hook.
    NotInstalled { hook: Hook, path: PathBuf },
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Installed { hook, path } => {
                write!(
                    f,
                    "installed the {} hook at {}",
                    hook.name(),
                    path.display()
                )
            }
            Outcome::AlreadyInstalled { hook, path } => write!(
                f,
                "the {} hook at {} is already installed and up to date",
                hook.name(),
                path.display()
            ),
            Outcome::Updated { hook, path } => {
                write!(f, "updated the {} hook at {}", hook.name(), path.display())
            }
            Outcome::Replaced { hook, path, backup } => write!(
                f,
                "installed the {} hook at {}; the previous hook is kept at {} (`designgate install-hook --uninstall {}` puts it back)",
                hook.name(),
                path.display(),
                backup.display(),
                hook.name()
            ),
            Outcome::Removed { hook, path } => {
                write!(f, "removed the {} hook at {}", hook.name(), path.display())
            }
            Outcome::Restored { hook, path, backup } => write!(
                f,
                "removed the {} hook at {} and restored the previous hook from {}",
                hook.name(),
                path.display(),
                backup.display()
            ),
            Outcome::NotInstalled { hook, path } => write!(
                f,
                "no {} hook at {}; nothing to remove",
                hook.name(),
                path.display()
            ),
        }
    }
}

/// The hook script for `hook`: the shipped one, with the marker line after
/// the shebang and `fallback` (the installing binary) filled in. A fallback
/// path that is not UTF-8 is left out.
pub fn script(hook: Hook, fallback: Option<&Path>) -> String {
    let template = hook.template();
    let (shebang, body) = template.split_once('\n').unwrap_or((template, ""));
    let marker = format!(
        "{MARKER} written by designgate {}; `designgate install-hook --uninstall {}` removes it. Edits are lost when it is reinstalled.",
        env!("CARGO_PKG_VERSION"),
        hook.name()
    );
    let body = match fallback.and_then(Path::to_str) {
        Some(exe) => body.replacen(
            FALLBACK_LINE,
            &format!("\ndesigngate_fallback={}\n", sh_quote(exe)),
            1,
        ),
        None => body.to_owned(),
    };
    format!("{shebang}\n{marker}\n{body}")
}

/// `text` as one single-quoted POSIX shell word.
fn sh_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Whether a hook's content carries designgate's marker near its top.
///
/// why: only the first lines count, so that a foreign script that merely
/// mentions the marker (to look for it, say) is not taken for ours.
pub fn is_designgate_hook(content: &[u8]) -> bool {
    content
        .split(|&b| b == b'\n')
        .take(5)
        .any(|line| line.starts_with(MARKER.as_bytes()))
}

/// Where git looks for hooks, as seen from `cwd`.
#[derive(Debug)]
struct HooksDir {
    path: PathBuf,
    bare: bool,
}

/// Asks git: `git rev-parse --is-bare-repository --git-path hooks`.
///
/// why: git itself decides where hooks live (`core.hooksPath` from any
/// config file, `~` expansion, relative paths, worktrees), so asking it
/// gives exactly the folder git will run hooks from.
fn hooks_dir(cwd: &Path) -> Result<HooksDir, Error> {
    let output = Command::new("git")
        .args(["rev-parse", "--is-bare-repository", "--git-path", "hooks"])
        .current_dir(cwd)
        .output()
        .map_err(|e| {
            Error::Usage(format!(
                "cannot run git to find the hooks folder (is git installed and on PATH?): {e}"
            ))
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let reason = stderr
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("fatal: ")
            .trim();
        return Err(if reason.starts_with("not a git repository") {
            Error::Usage(format!(
                "{} is not inside a git repository; run install-hook in the repository whose commits designgate should check",
                cwd.display()
            ))
        } else {
            Error::Usage(format!("git could not find the hooks folder: {reason}"))
        });
    }
    let mut lines = output.stdout.split(|&b| b == b'\n');
    let bare = lines.next() == Some(b"true");
    let path = lines
        .next()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| Error::Usage("git did not print the hooks folder".into()))?;
    Ok(HooksDir {
        path: cwd.join(bytes_to_path(path)?),
        bare,
    })
}

#[cfg(unix)]
fn bytes_to_path(bytes: &[u8]) -> Result<PathBuf, Error> {
    use std::os::unix::ffi::OsStrExt;
    Ok(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
}

#[cfg(not(unix))]
fn bytes_to_path(bytes: &[u8]) -> Result<PathBuf, Error> {
    String::from_utf8(bytes.to_vec())
        .map(PathBuf::from)
        .map_err(|_| Error::Usage("the hooks folder's path is not UTF-8".into()))
}

/// The hook file for `hook`, refusing hooks git never runs in a bare
/// repository.
fn hook_path(cwd: &Path, hook: Hook) -> Result<PathBuf, Error> {
    let dir = hooks_dir(cwd)?;
    if dir.bare && !hook.runs_in_bare() {
        return Err(Error::Usage(format!(
            "this is a bare repository: nobody commits or pushes from it, so git never runs its {} hook; on a server use `designgate install-hook pre-receive`",
            hook.name()
        )));
    }
    Ok(tidy(&dir.path).join(hook.name()))
}

/// `dir` without `..` and symlinks when it exists, so messages show the
/// folder a user would look in; as given otherwise.
fn tidy(dir: &Path) -> PathBuf {
    fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned())
}

/// Installs designgate's `hook` in the repository around `cwd`.
///
/// A hook that designgate wrote is rewritten if it differs; a foreign hook
/// is an error unless `force`, and then it is kept as
/// `<hook>.designgate-backup` (never overwriting an existing backup).
/// `fallback` is the binary the hook runs when `designgate` is not on
/// `PATH`.
pub fn install(
    cwd: &Path,
    hook: Hook,
    force: bool,
    fallback: Option<&Path>,
) -> Result<Outcome, Error> {
    let path = hook_path(cwd, hook)?;
    let wanted = script(hook, fallback);
    let Some(existing) = read_hook(&path)? else {
        let dir = path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        // Shown canonical now that the folder exists.
        let path = tidy(dir).join(hook.name());
        write_hook(&path, &wanted)?;
        return Ok(Outcome::Installed { hook, path });
    };
    if is_designgate_hook(&existing) {
        if existing == wanted.as_bytes() && is_executable(&path) {
            return Ok(Outcome::AlreadyInstalled { hook, path });
        }
        write_hook(&path, &wanted)?;
        return Ok(Outcome::Updated { hook, path });
    }
    let backup = backup_path(&path);
    if !force {
        return Err(Error::Usage(format!(
            "{} exists and was not written by designgate; left unchanged. Rerun with --force to replace it (it will be kept as {})",
            path.display(),
            backup.display()
        )));
    }
    if exists(&backup)? {
        return Err(Error::Usage(format!(
            "{} exists and was not written by designgate, and {} already holds an earlier hook; left both unchanged. Move the backup away, then rerun",
            path.display(),
            backup.display()
        )));
    }
    // why: the new script is written to a temporary file first, so that a
    // failure at any step leaves the foreign hook where it was.
    let tmp = temp_hook(&path, &wanted)?;
    fs::rename(&path, &backup).map_err(|e| Error::io(&path, e))?;
    if let Err(e) = tmp.persist(&path) {
        let _ = fs::rename(&backup, &path);
        return Err(Error::io(&path, e.error));
    }
    Ok(Outcome::Replaced { hook, path, backup })
}

/// Removes designgate's `hook` from the repository around `cwd`, putting
/// back the hook it replaced if one was kept. A foreign hook is an error and
/// stays.
pub fn uninstall(cwd: &Path, hook: Hook) -> Result<Outcome, Error> {
    let path = hook_path(cwd, hook)?;
    let Some(existing) = read_hook(&path)? else {
        return Ok(Outcome::NotInstalled { hook, path });
    };
    if !is_designgate_hook(&existing) {
        return Err(Error::Usage(format!(
            "{} was not written by designgate (it has no `{MARKER}` line); left unchanged",
            path.display()
        )));
    }
    let backup = backup_path(&path);
    if exists(&backup)? {
        // `rename` replaces designgate's hook in one step.
        fs::rename(&backup, &path).map_err(|e| Error::io(&backup, e))?;
        return Ok(Outcome::Restored { hook, path, backup });
    }
    fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
    Ok(Outcome::Removed { hook, path })
}

/// The hook's content; `None` if there is no hook. A dangling symlink is a
/// hook (empty content): it is not ours, and must not be replaced silently.
fn read_hook(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    if meta.is_dir() {
        return Err(Error::Usage(format!(
            "{} is a folder, not a hook; left unchanged",
            path.display()
        )));
    }
    // why: a hook may be a symlink to anything (a FIFO, a device); it is
    // read with the same type and size checks as a document. Anything that
    // is not a small regular file is not ours.
    match crate::snapshot::read_file(path, MAX_HOOK_BYTES) {
        Ok(Content::Bytes(bytes)) => Ok(Some(bytes)),
        Ok(Content::TooLarge(_) | Content::NotAFile(_)) => Ok(Some(Vec::new())),
        Ok(Content::Missing) if meta.file_type().is_symlink() => Ok(Some(Vec::new())),
        Ok(Content::Missing) => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Hooks larger than this are not designgate's, and are not read.
const MAX_HOOK_BYTES: u64 = 1024 * 1024;

fn exists(path: &Path) -> Result<bool, Error> {
    match fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io(path, e)),
    }
}

fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(BACKUP_SUFFIX);
    path.with_file_name(name)
}

/// Writes `content` to a new executable (0755) file beside `path`, with an
/// unpredictable name, created exclusively (O_EXCL: never through a symlink
/// or a file someone planted there). It is deleted when dropped unless
/// persisted.
fn temp_hook(path: &Path, content: &str) -> Result<tempfile::NamedTempFile, Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(path.file_name().unwrap_or_default());
    prefix.push(".");
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".designgate-tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    let shown = tmp.path().to_owned();
    let io = |e| Error::io(&shown, e);
    std::io::Write::write_all(&mut tmp, content.as_bytes()).map_err(io)?;
    set_executable(tmp.as_file()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    Ok(tmp)
}

/// Writes the hook through a temporary file and a rename, so git never runs
/// a half-written hook, and a symlinked hook is replaced, not written
/// through.
fn write_hook(path: &Path, content: &str) -> Result<(), Error> {
    temp_hook(path, content)?
        .persist(path)
        .map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

#[cfg(unix)]
fn set_executable(file: &fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    // On the open handle (fchmod): never on whatever a path points to.
    file.set_permissions(fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn set_executable(_file: &fs::File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o777 == 0o755)
}

#[cfg(not(unix))]
fn is_executable(_path: &Path) -> bool {
    true
}

/// The first `name` on `PATH`, as the hook's `command -v` would find it.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOOKS: [Hook; 3] = [Hook::PreCommit, Hook::PrePush, Hook::PreReceive];

    #[test]
    fn every_template_has_one_fallback_line_to_fill_in() {
        for hook in HOOKS {
            assert_eq!(
                hook.template().matches(FALLBACK_LINE).count(),
                1,
                "{}",
                hook.name()
            );
            assert!(
                hook.template().starts_with("#!/bin/sh\n"),
                "{}",
                hook.name()
            );
        }
    }

    #[test]
    fn script_marks_the_hook_and_fills_in_the_quoted_fallback() {
        let text = script(Hook::PrePush, Some(Path::new("/opt/it's here/designgate")));
        assert!(text.starts_with("#!/bin/sh\n# designgate install-hook: written by designgate"));
        assert!(text.contains("\ndesigngate_fallback='/opt/it'\\''s here/designgate'\n"));
        assert!(!text.contains(FALLBACK_LINE));
        assert!(is_designgate_hook(text.as_bytes()));
        // Everything else is the shipped script.
        let (_, body) = Hook::PrePush
            .template()
            .split_once(FALLBACK_LINE)
            .expect("the fallback line");
        assert!(text.ends_with(body));
    }

    #[test]
    fn script_without_fallback_keeps_the_empty_one() {
        let text = script(Hook::PreCommit, None);
        assert!(text.contains(FALLBACK_LINE));
        assert!(text.ends_with("exec \"$designgate\" check --staged \"$@\"\n"));
    }

    #[test]
    fn only_a_marker_near_the_top_makes_a_hook_ours() {
        assert!(!is_designgate_hook(b"#!/bin/sh\nexec lint\n"));
        assert!(!is_designgate_hook(
            b"#!/bin/sh\n\n\n\n\n# designgate install-hook: late\n"
        ));
        assert!(!is_designgate_hook(
            b"#!/bin/sh\ngrep -q '# designgate install-hook:' x\n"
        ));
        assert!(!is_designgate_hook(b""));
        assert!(is_designgate_hook(
            b"#!/bin/sh\n# designgate install-hook: x\n"
        ));
    }

    #[test]
    fn sh_quote_makes_one_word() {
        assert_eq!(sh_quote("a b"), "'a b'");
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
        assert_eq!(sh_quote("$x`y`"), "'$x`y`'");
    }

    #[test]
    fn backup_files_sit_next_to_the_hook() {
        let hook = Path::new("/r/.git/hooks/pre-commit");
        assert_eq!(
            backup_path(hook),
            Path::new("/r/.git/hooks/pre-commit.designgate-backup")
        );
    }
}
