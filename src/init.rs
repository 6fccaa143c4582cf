//! `designgate init` and the files authoring commands write: the commented
//! configuration, the hook setup for the hook managers a repository uses,
//! and writing a file without losing one (a new file never replaces one; a
//! changed file is replaced atomically, with its permissions).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::pack::{RuleKind, RuleSet, Severity};

/// The JSON Schema of `designgate.toml`, written next to it by `init` so
/// that the `#:schema` line works in editors built on Taplo.
pub const CONFIG_SCHEMA: &str = include_str!("../schema/designgate.schema.json");

/// Where `init` writes [`CONFIG_SCHEMA`], relative to the repository root.
pub const SCHEMA_PATH: &str = "schema/designgate.schema.json";

/// The configuration file `init` writes.
pub const CONFIG_FILE: &str = "designgate.toml";

/// The commented `designgate.toml` for `pack` (a built-in name or a pack
/// file relative to the repository root), whose rules are `rules` (for
/// severity examples that name real rule ids).
pub fn config_text(pack: &str, rules: &RuleSet) -> String {
    let sections = rules
        .rules
        .iter()
        .filter(|r| r.kind == RuleKind::Section && r.required);
    let blocking = sections
        .clone()
        .find(|r| r.severity == Severity::Error)
        .map(|r| r.id.as_str());
    let lenient: Vec<&str> = sections
        .clone()
        .filter(|r| r.severity == Severity::Warning)
        .map(|r| r.id.as_str())
        .collect();
    let mut lines: Vec<(String, &str)> = Vec::new();
    if let Some(id) = lenient.last() {
        lines.push((
            format!("{id} = \"off\""),
            "a rule that does not fit this team",
        ));
    }
    if let Some(id) = blocking {
        lines.push((
            format!("{id} = \"warning\""),
            "report it, but do not block a commit",
        ));
    }
    if let Some(id) = lenient.first().filter(|_| lenient.len() > 1) {
        lines.push((format!("{id} = \"error\""), "make it block"));
    }
    let width = lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    let mut severity = String::new();
    for (line, why) in &lines {
        severity.push_str(&format!("# {line:<width$}  # {why}\n"));
    }
    let draft = serde_json::json!({ "status": "draft" });
    let relaxes_drafts = rules.relax.iter().any(|r| {
        r.rules.is_empty()
            && r.paths.is_empty()
            && r.max_severity <= Severity::Warning
            && !r.when.is_empty()
            && crate::pack::when::all_hold_strictly(&r.when, Some(&draft))
    });
    let drafts = if relaxes_drafts {
        "# A document with `status: draft` gets warnings only.\n"
    } else {
        ""
    };
    let pack = toml::Value::String(pack.to_owned()).to_string();
    format!(
        "#:schema ./{SCHEMA_PATH}
# designgate: which Markdown files are design documents, and the checklist
# they are held to. Every key is optional. `designgate rules` lists the
# active rules, `designgate explain ID` explains one; the reference is
# docs/rules.md in designgate's repository.

# Folders holding design documents, relative to this file.
design_dirs = [\"design\"]

# Which files in those folders are design documents (globs relative to
# this file; `*` does not cross `/`).
# include = [\"**/*.md\", \"**/*.markdown\"]
# exclude = [\"**/template.md\"]

# Rule packs, applied in order: built-in names (production-readiness, kep,
# adr) or TOML files relative to this file.
packs = [{pack}]

# A rule's severity, by id: error (blocks a commit), warning, info or off.
{drafts}[severity]
{severity}
# A rule changed, or one of your own, only for some documents:
# [rules.ID]
# extra_headings = [\"Another accepted heading\"]
#
# [[rule]]
# id = \"capacity-plan\"
# title = \"Capacity plan\"
# headings = [\"Capacity plan\"]
# required = true
# severity = \"error\"
# paths = [\"design/services/**\"]
# when = {{ tier = 1 }}
"
    )
}

/// A hook manager a repository already uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Manager {
    /// pre-commit or prek, with this configuration file.
    PreCommit(String),
    /// lefthook, with this configuration file.
    Lefthook(String),
    /// husky (`.husky/`).
    Husky,
}

/// The hook managers whose configuration is at `root`, in a fixed order.
pub fn managers(root: &Path) -> Vec<Manager> {
    let mut found = Vec::new();
    if root.join(".pre-commit-config.yaml").is_file() {
        found.push(Manager::PreCommit(".pre-commit-config.yaml".into()));
    } else if root.join(".pre-commit-config.yml").is_file() {
        found.push(Manager::PreCommit(".pre-commit-config.yml".into()));
    }
    for name in [
        "lefthook.yml",
        "lefthook.yaml",
        ".lefthook.yml",
        ".lefthook.yaml",
    ] {
        if root.join(name).is_file() {
            found.push(Manager::Lefthook(name.into()));
            break;
        }
    }
    if root.join(".husky").is_dir() {
        found.push(Manager::Husky);
    }
    found
}

/// The file a manager's designgate hook goes in, relative to the root.
pub fn manager_file(manager: &Manager) -> &str {
    match manager {
        Manager::PreCommit(file) | Manager::Lefthook(file) => file,
        Manager::Husky => ".husky/pre-commit",
    }
}

/// Whether the manager's file at `root` already mentions designgate (read
/// up to 1 MiB; a file that cannot be read does not).
pub fn mentions_designgate(root: &Path, manager: &Manager) -> bool {
    let path = root.join(manager_file(manager));
    matches!(
        crate::snapshot::read_file(&path, 1 << 20),
        Ok(crate::snapshot::Content::Bytes(b)) if b.windows(10).any(|w| w == b"designgate")
    )
}

/// What to add for each manager (the snippets of the README), or the
/// `install-hook` command when there is none. `design_dirs` are the
/// configuration's design folders, for pre-commit's `files` filter.
/// Managers in `done` already run designgate: they are only named.
pub fn hook_setup(managers: &[Manager], done: &[bool], design_dirs: &[String]) -> String {
    if managers.is_empty() {
        return "To check every commit, install the git hook:\n\ndesigngate install-hook\n"
            .to_owned();
    }
    let files = match design_dirs {
        [dir] if !dir.is_empty() => format!("^{}/", regex_escape(dir)),
        dirs if dirs.iter().all(|d| !d.is_empty()) => format!(
            "^({})/",
            dirs.iter()
                .map(|d| regex_escape(d))
                .collect::<Vec<_>>()
                .join("|")
        ),
        _ => String::new(),
    };
    let mut out = String::new();
    for (i, m) in managers.iter().enumerate() {
        if !out.is_empty() {
            out.push('\n');
        }
        if done.get(i).copied().unwrap_or(false) {
            out.push_str(&format!(
                "{} already mentions designgate: nothing to add.\n",
                manager_file(m)
            ));
            continue;
        }
        match m {
            Manager::PreCommit(file) => {
                out.push_str(&format!(
                    "This repository uses pre-commit: add to the `repos:` list of {file}:\n\n"
                ));
                out.push_str("  - repo: local\n    hooks:\n      - id: designgate\n        name: designgate\n        entry: designgate check\n        language: system\n");
                if !files.is_empty() {
                    out.push_str(&format!("        files: {files}\n"));
                }
                out.push_str("        types: [markdown]\n\nthen run `pre-commit install` (or `prek install`).\n");
            }
            Manager::Lefthook(file) => {
                out.push_str(&format!(
                    "This repository uses lefthook: add to {file} (as one more job if `pre-commit:` is there):\n\npre-commit:\n  jobs:\n    - name: designgate\n      run: designgate check --staged\n\nthen run `lefthook install`.\n"
                ));
            }
            Manager::Husky => {
                out.push_str("This repository uses husky: add this line to .husky/pre-commit:\n\ndesigngate check --staged\n");
            }
        }
    }
    out
}

fn regex_escape(text: &str) -> String {
    regex::escape(text)
}

/// What happened to one file `init` would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    Created,
    /// It was there already (left alone).
    Exists,
}

/// Writes `content` to a new file at `path`; an existing file (or
/// symlink, even a dangling one) is left alone. Missing parent folders are
/// created; a write that fails removes the new file.
pub fn create_new(path: &Path, content: &[u8]) -> Result<Written, Error> {
    if fs::symlink_metadata(path).is_ok() {
        return Ok(Written::Exists);
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    // why: O_EXCL: an existing name (a symlink too) is never opened, and
    // the file gets the mode the user's umask gives new files.
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(Written::Exists),
        Err(e) => return Err(Error::io(path, e)),
    };
    if let Err(e) = file.write_all(content).and_then(|()| file.sync_all()) {
        // A half-written new file is worse than none.
        let _ = fs::remove_file(path);
        return Err(Error::io(path, e));
    }
    Ok(Written::Created)
}

/// The folder `path` (absolute, possibly not existing yet) would be
/// written in, resolved: its nearest existing ancestor canonicalised, the
/// rest appended. `None` if that ancestor is outside `root` (a symlinked
/// folder leading out of the repository).
pub fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let mut existing = path;
    let mut rest = Vec::new();
    loop {
        if fs::symlink_metadata(existing).is_ok() {
            break;
        }
        rest.push(existing.file_name()?);
        existing = existing.parent()?;
    }
    let mut real = fs::canonicalize(existing).ok()?;
    if !real.starts_with(root) {
        return None;
    }
    for part in rest.iter().rev() {
        real.push(part);
    }
    Some(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_loads_for_every_builtin_pack() {
        for (name, _) in crate::pack::BUILTIN_PACKS {
            let rules = crate::config::standalone_pack(name, Path::new("."))
                .unwrap_or_else(|e| panic!("{e}"));
            let text = config_text(name, &rules);
            assert!(text.starts_with("#:schema ./schema/designgate.schema.json\n"));
            let config = crate::config::Config::from_toml(Path::new(CONFIG_FILE), &text)
                .unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
            assert_eq!(config.design_dirs, ["design"]);
            assert!(config.rules.packs.iter().any(|p| p.name == *name));
            // The commented severities name real rules: uncommented, they load.
            let open = text.replace("\n# ", "\n").replace("#:schema", "# schema");
            let severity = &open[open.find("[severity]").unwrap_or(0)..];
            let severity = &severity[..severity.find("\n\n").unwrap_or(severity.len())];
            let toml = format!("packs = [\"{name}\"]\n{severity}\n");
            crate::config::Config::from_toml(Path::new(CONFIG_FILE), &toml)
                .unwrap_or_else(|e| panic!("{name}: {e}\n{toml}"));
        }
    }

    #[test]
    fn setup_names_each_manager() {
        let dirs = vec!["design".to_owned()];
        assert!(hook_setup(&[], &[], &dirs).contains("designgate install-hook"));
        let managers = [
            Manager::PreCommit(".pre-commit-config.yaml".into()),
            Manager::Lefthook("lefthook.yml".into()),
            Manager::Husky,
        ];
        let all = hook_setup(&managers, &[], &dirs);
        let done = hook_setup(&managers, &[false, true, false], &dirs);
        assert!(
            done.contains("lefthook.yml already mentions designgate"),
            "{done}"
        );
        assert!(!done.contains("lefthook install"), "{done}");
        assert!(all.contains("files: ^design/\n"), "{all}");
        assert!(all.contains("run: designgate check --staged"), "{all}");
        assert!(all.contains(".husky/pre-commit"), "{all}");
    }
}
