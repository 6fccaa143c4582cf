//! Configuration: `designgate.toml` (or `.designgate.toml`) at the repository
//! root, or a file named with `--config`. It says where design documents live,
//! which packs of rules apply, and how severe each rule is.
//!
//! No configuration file at all means: the built-in `production-readiness`
//! pack applied to `design/**/*.md` and `design/**/*.markdown`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::error::Error;
use crate::pack::build::{Builder, Ctx, Layer, PackFiles, parse_toml};
use crate::pack::raw::{RawArea, RawDocTest, RawRelax, RawRule};
use crate::pack::{self, RuleSet, Severity};
use crate::snapshot::{self, Content, Snapshot};

/// Configuration and pack files larger than this are errors, not read.
pub const MAX_CONFIG_BYTES: u64 = 8 * 1024 * 1024;

/// File names looked for at the repository root, in order.
pub const CONFIG_FILES: &[&str] = &["designgate.toml", ".designgate.toml"];

const DEFAULT_INCLUDE: &[&str] = &["**/*.md", "**/*.markdown"];

/// designgate configuration: where design documents live, which rule packs
/// apply and how severe each rule is. It sits at the repository root as
/// `designgate.toml` or `.designgate.toml`; every key is optional. It is the
/// last layer of rules, so it may also add and change rules as a pack does.
/// Reference: docs/rules.md.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "Config")
)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    /// Folders holding design documents, relative to this file; `"."` is
    /// this file's folder. Default `["design"]`.
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<String>>"))]
    design_dirs: Option<Spanned<Vec<Spanned<String>>>>,
    /// Globs, relative to this file's folder, of the files in the design
    /// folders that are design documents; `*` does not cross `/`, `**` does.
    /// Replaces the default `["**/*.md", "**/*.markdown"]`.
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<crate::pack::Glob>>"))]
    include: Option<Vec<Spanned<String>>>,
    /// Globs, relative to this file's folder, of files to skip even if
    /// `include` matches them, such as `"**/template.md"`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::pack::Glob>"))]
    exclude: Vec<Spanned<String>>,
    /// Rule packs to load, in order: built-in names (`production-readiness`)
    /// or paths to TOML files relative to this file. Default
    /// `["production-readiness"]`.
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<String>>"))]
    packs: Option<Spanned<Vec<Spanned<String>>>>,
    /// Severity per rule id, overriding the packs': `error`, `warning`,
    /// `info` or `off`. `designgate rules` lists the ids.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "BTreeMap<String, Severity>"))]
    severity: BTreeMap<Spanned<String>, Severity>,
    // The config is the last layer of rules: it may add areas and rules,
    // change rules by id, relax severities and carry examples, as packs do.
    /// `[[area]]`: checklist areas for the rules defined here.
    #[serde(default)]
    area: Vec<RawArea>,
    /// `[[rule]]`: new rules, as in a pack. Each needs `id`, `title` and
    /// what it checks: `headings` or `heading_patterns` (a section), `field`
    /// (a front-matter field) or `links = true` (the document's relative
    /// links).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::schema::NewRule>"))]
    rule: Vec<Spanned<RawRule>>,
    /// `[rules.<id>]`: changes to a rule of the packs, by id, such as
    /// `[rules.sla]`. Each key given replaces the rule's value
    /// (`extra_headings` adds to `headings`); `id` cannot be changed.
    #[serde(default)]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "BTreeMap<String, crate::schema::RuleChange>")
    )]
    rules: BTreeMap<Spanned<String>, RawRule>,
    /// `[[relax]]`: caps the severity of some or all rules for documents
    /// that match, such as drafts.
    #[serde(default)]
    relax: Vec<RawRelax>,
    /// `[[test]]`: example documents, each of which must fail exactly the
    /// rules in `expect`; run by `designgate test-rules`.
    #[serde(default)]
    test: Vec<RawDocTest>,
}

/// The effective configuration.
#[derive(Debug)]
pub struct Config {
    /// The file it was read from; `None` for the built-in default.
    pub file: Option<PathBuf>,
    /// Design folders, relative to the repository root, with `/` and without
    /// a trailing slash; `""` is the whole repository.
    pub design_dirs: Vec<String>,
    /// The folder holding the config file, relative to the repository root
    /// (`""` for the root): `include`/`exclude` globs are relative to it.
    base: String,
    include: GlobSet,
    /// The `include` patterns as written, if the file sets `include`.
    include_written: Vec<String>,
    exclude: GlobSet,
    pub rules: RuleSet,
}

/// Why a file is not a design document (see [`Config::skip_reason`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// Not inside any design folder.
    OutsideDesignDirs,
    /// Matched by an `exclude` pattern.
    Excluded,
    /// Not matched by `include` (by default: not a `.md`/`.markdown` file).
    NotIncluded,
}

impl Config {
    /// The configuration to use for the work tree at `root` (canonical):
    /// `explicit` if given, else a config file at the root, else the
    /// default. Paths in messages are shown relative to `cwd` where
    /// possible. See [`Config::in_snapshot`] and [`Config::from_host_file`].
    pub fn load(root: &Path, cwd: &Path, explicit: Option<&Path>) -> Result<Config, Error> {
        let files = snapshot::WorkTree {
            root: root.to_owned(),
            shown_from: std::fs::canonicalize(cwd).ok(),
        };
        let Some(explicit) = explicit else {
            return Config::in_snapshot(&files, None);
        };
        let abs = std::fs::canonicalize(cwd.join(explicit)).map_err(|e| Error::io(explicit, e))?;
        match abs.strip_prefix(root).ok().and_then(rel_path) {
            // why: a file inside the repository is the repository's content,
            // whoever names it: its packs must stay inside too.
            Some(rel) => Config::in_snapshot(&files, Some(&rel)),
            None => Config::from_host_file(explicit),
        }
    }

    /// The configuration at `rel` in `files` (a work tree, the index or a
    /// commit), or, without `rel`, `designgate.toml` or `.designgate.toml`
    /// at its root, else the default. Design folders and pack files are
    /// relative to the configuration's folder, and pack files are read from
    /// `files` too: never an absolute path, never above the root.
    pub fn in_snapshot(files: &dyn Snapshot, rel: Option<&str>) -> Result<Config, Error> {
        let found = match rel {
            Some(rel) => match read_text(files, rel)? {
                (shown, Some(text)) => Some((rel.to_owned(), shown, text)),
                (shown, None) => {
                    return Err(Error::io(
                        shown,
                        std::io::Error::from(std::io::ErrorKind::NotFound),
                    ));
                }
            },
            None => {
                let mut found = None;
                for name in CONFIG_FILES {
                    if let (shown, Some(text)) = read_text(files, name)? {
                        found = Some(((*name).to_owned(), shown, text));
                        break;
                    }
                }
                found
            }
        };
        let Some((rel, shown, text)) = found else {
            return Config::from_toml(Path::new("<default>"), "");
        };
        let folder = rel.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
        let packs = SnapshotPacks { files };
        let mut config = Config::from_toml_with(&shown, &text, &packs, &folder)?;
        // why: design folders are relative to the folder holding the config
        // file, so `--config examples/designgate.toml` means
        // `examples/design`.
        if !folder.is_empty() {
            config.base = folder.clone();
            for dir in &mut config.design_dirs {
                *dir = if dir.is_empty() {
                    folder.clone()
                } else {
                    format!("{folder}/{dir}")
                };
            }
        }
        Ok(config)
    }

    /// A configuration file outside the repository, named on the command
    /// line by whoever runs designgate (a server admin's policy): read from
    /// the host, as are the packs it names (relative to its folder, or
    /// absolute), regular files only. Design folders are relative to the
    /// repository root.
    pub fn from_host_file(path: &Path) -> Result<Config, Error> {
        let text =
            match snapshot::read_file(path, MAX_CONFIG_BYTES).map_err(|e| Error::io(path, e))? {
                Content::Bytes(bytes) => text_of(path, bytes)?,
                Content::Missing => {
                    return Err(Error::io(
                        path,
                        std::io::Error::from(std::io::ErrorKind::NotFound),
                    ));
                }
                other => return Err(unreadable(path, &other)),
            };
        Config::from_toml(path, &text)
    }

    /// Parses a configuration; relative pack paths resolve against the
    /// folder of `path` on the host.
    pub fn from_toml(path: &Path, text: &str) -> Result<Config, Error> {
        let base = path.parent().unwrap_or(Path::new("")).to_string_lossy();
        Config::from_toml_with(path, text, &HostPacks, &base)
    }

    /// Parses a configuration whose pack files are read by `files`,
    /// relative to folder `dir` of them.
    pub(crate) fn from_toml_with(
        path: &Path,
        text: &str,
        files: &dyn PackFiles,
        dir: &str,
    ) -> Result<Config, Error> {
        crate::pack::reset_pattern_count();
        let raw: RawConfig = parse_toml(path, text)?;
        let err = |span: std::ops::Range<usize>, msg: String| {
            Error::config_at(path, text, Some(span), msg)
        };

        let design_dirs = match raw.design_dirs {
            None => vec!["design".to_owned()],
            Some(dirs) if dirs.get_ref().is_empty() => {
                return Err(err(
                    dirs.span(),
                    "`design_dirs` is empty, so no document would be checked; use [\".\"] for the folder holding this file".into(),
                ));
            }
            Some(dirs) => dirs
                .into_inner()
                .into_iter()
                .map(|d| normalize_dir(d.get_ref()).map_err(|m| err(d.span(), m)))
                .collect::<Result<_, _>>()?,
        };

        let include_written = raw
            .include
            .as_ref()
            .map(|globs| globs.iter().map(|g| g.get_ref().clone()).collect())
            .unwrap_or_default();
        let include = raw.include.unwrap_or_else(|| {
            DEFAULT_INCLUDE
                .iter()
                .map(|g| Spanned::new(0..0, (*g).to_owned()))
                .collect()
        });
        let include = build_set(&include).map_err(|(span, m)| err(span, m))?;
        let exclude = build_set(&raw.exclude).map_err(|(span, m)| err(span, m))?;

        let origin = path.display().to_string();
        let ctx = Ctx {
            path,
            text,
            origin: &origin,
        };
        let mut builder = Builder::default();
        let packs = match raw.packs {
            None => vec![Spanned::new(0..0, pack::DEFAULT_PACK.to_owned())],
            Some(packs) if packs.get_ref().is_empty() => {
                return Err(err(
                    packs.span(),
                    "`packs` is empty, so no rule would apply; name at least one pack, such as \"production-readiness\"".into(),
                ));
            }
            Some(packs) => packs.into_inner(),
        };
        for name in &packs {
            builder.pack(name.get_ref(), files, dir, name.span(), &ctx)?;
        }
        for (id, severity) in &raw.severity {
            builder.set_severity(id, *severity, &ctx)?;
        }
        builder.layer(
            Layer {
                defaults: Default::default(),
                area: raw.area,
                rule: raw.rule,
                rules: raw.rules,
                relax: raw.relax,
                test: raw.test,
            },
            &ctx,
        )?;
        let rules: RuleSet = builder.finish();

        Ok(Config {
            file: (path != Path::new("<default>")).then(|| path.to_owned()),
            design_dirs,
            base: String::new(),
            include,
            include_written,
            exclude,
            rules,
        })
    }

    /// Whether a repository-relative path (with `/`) is a design document:
    /// inside a design folder, and, relative to the config file's folder,
    /// matched by `include` and not by `exclude`.
    pub fn is_design_doc(&self, rel: &str) -> bool {
        if !self.in_design_dir(rel) {
            return false;
        }
        let local = if self.base.is_empty() {
            rel
        } else {
            match rel
                .strip_prefix(self.base.as_str())
                .and_then(|r| r.strip_prefix('/'))
            {
                Some(local) => local,
                None => return false,
            }
        };
        self.include.is_match(local) && !self.exclude.is_match(local)
    }

    /// Why repository-relative `rel` is not a design document, or `None`
    /// if it is one.
    pub fn skip_reason(&self, rel: &str) -> Option<Skip> {
        if self.is_design_doc(rel) {
            return None;
        }
        let Some(local) = self.in_design_dir(rel).then(|| self.local(rel)).flatten() else {
            return Some(Skip::OutsideDesignDirs);
        };
        if self.include.is_match(local) {
            Some(Skip::Excluded)
        } else {
            Some(Skip::NotIncluded)
        }
    }

    /// The `include` patterns written in the config file that match none of
    /// `files` (repository-relative); empty when `include` is the default.
    pub fn unmatched_includes(&self, files: &[String]) -> Vec<&str> {
        let mut matched = vec![false; self.include_written.len()];
        for file in files.iter().filter(|f| self.in_design_dir(f)) {
            if let Some(local) = self.local(file) {
                for i in self.include.matches(local) {
                    if let Some(m) = matched.get_mut(i) {
                        *m = true;
                    }
                }
            }
        }
        // why: a list copied from the default (`**/*.markdown` where all
        // documents are `.md`) loses nothing; only a written pattern of
        // one's own that matches nothing, or an `include` that matches no
        // file at all, hides documents.
        let any = matched.iter().any(|&m| m);
        self.include_written
            .iter()
            .zip(matched)
            .filter(|(g, m)| {
                let copied_default = any && DEFAULT_INCLUDE.contains(&g.as_str());
                !m && !copied_default
            })
            .map(|(g, _)| g.as_str())
            .collect()
    }

    /// Whether the config file sets `include`.
    pub fn has_include(&self) -> bool {
        !self.include_written.is_empty()
    }

    /// `rel` relative to the folder holding the config file, if inside it.
    fn local<'p>(&self, rel: &'p str) -> Option<&'p str> {
        if self.base.is_empty() {
            Some(rel)
        } else {
            rel.strip_prefix(self.base.as_str())
                .and_then(|r| r.strip_prefix('/'))
        }
    }

    /// The folder holding the config file, repository-relative (`""` for
    /// the root): `include`, `exclude` and rule `paths` are relative to it.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Whether a repository-relative path lies inside a design folder.
    pub fn in_design_dir(&self, rel: &str) -> bool {
        self.design_dirs.iter().any(|d| is_under(rel, d))
    }
}

/// Whether repository-relative `path` lies inside folder `dir` (`""` is the
/// root); `design` contains `design/a.md` but not `designs/a.md`.
pub fn is_under(path: &str, dir: &str) -> bool {
    dir.is_empty()
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// One pack on its own, as named on the command line (`designgate
/// test-rules PACK`): a built-in name, or a file relative to `cwd`.
pub fn standalone_pack(name: &str, cwd: &Path) -> Result<RuleSet, Error> {
    Builder::standalone(name, &HostPacks, &cwd.to_string_lossy())
}

/// Pack files read from a snapshot (the work tree, the index or a commit):
/// repository-relative, never absolute, never above the root.
struct SnapshotPacks<'a> {
    files: &'a dyn Snapshot,
}

impl PackFiles for SnapshotPacks<'_> {
    fn resolve(&self, dir: &str, name: &str) -> Result<String, String> {
        snapshot::normalize(dir, name).ok_or_else(|| {
            format!(
                "pack path `{name}` leaves the repository: a repository's configuration names pack files inside it, relative to the configuration's folder, and they are read from {}",
                self.files.describe()
            )
        })
    }

    fn read(&self, path: &str) -> Result<(PathBuf, Option<String>), Error> {
        read_text(self.files, path)
    }
}

/// Pack files on the host, for a configuration that is not the
/// repository's: one named outside the repository on the command line,
/// `designgate test-rules PACK`, or a configuration built in code.
pub(crate) struct HostPacks;

impl PackFiles for HostPacks {
    fn resolve(&self, dir: &str, name: &str) -> Result<String, String> {
        if Path::new(name).is_absolute() {
            return Ok(name.to_owned());
        }
        Ok(join(dir, name))
    }

    fn read(&self, path: &str) -> Result<(PathBuf, Option<String>), Error> {
        let shown = PathBuf::from(path);
        match snapshot::read_file(&shown, MAX_CONFIG_BYTES).map_err(|e| Error::io(&shown, e))? {
            Content::Bytes(bytes) => {
                let text = text_of(&shown, bytes)?;
                Ok((shown, Some(text)))
            }
            Content::Missing => Ok((shown, None)),
            other => Err(unreadable(&shown, &other)),
        }
    }
}

/// The text of the file at `path` of `files`, with the path to show, or
/// `None` if there is no such file. A file that is too large, not a
/// regular file or not UTF-8 is an error that never quotes its content.
fn read_text(files: &dyn Snapshot, path: &str) -> Result<(PathBuf, Option<String>), Error> {
    let shown = files.show(path);
    match files.read(path, MAX_CONFIG_BYTES)? {
        Content::Bytes(bytes) => {
            let text = text_of(&shown, bytes)?;
            Ok((shown, Some(text)))
        }
        Content::Missing => Ok((shown, None)),
        other => Err(unreadable(&shown, &other)),
    }
}

fn text_of(shown: &Path, bytes: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|_| Error::Config {
        path: shown.to_owned(),
        line: 1,
        column: 1,
        message: "not UTF-8 text".into(),
    })
}

fn unreadable(shown: &Path, content: &Content) -> Error {
    let message = match content {
        Content::TooLarge(size) => format!(
            "{size} bytes is too large for a configuration or pack file (at most {MAX_CONFIG_BYTES})"
        ),
        Content::NotAFile(what) => {
            format!("{what}: configuration and pack files must be regular files")
        }
        Content::Bytes(_) | Content::Missing => "cannot be read".to_owned(),
    };
    Error::Config {
        path: shown.to_owned(),
        line: 1,
        column: 1,
        message,
    }
}

/// A repository-relative path from a relative file-system path, if every
/// part is UTF-8.
fn rel_path(rel: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// `name` relative to folder `dir` on the host, `/`-separated, with `.` and
/// `..` resolved lexically (`..` above a relative `dir` is kept).
fn join(dir: &str, name: &str) -> String {
    let absolute = dir.starts_with('/');
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in name.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

fn build_set(globs: &[Spanned<String>]) -> Result<GlobSet, (std::ops::Range<usize>, String)> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        // why: `*` must not cross `/`, as in git pathspecs and .gitignore.
        let glob = GlobBuilder::new(g.get_ref())
            .literal_separator(true)
            .build()
            .map_err(|e| {
                (
                    g.span(),
                    format!("invalid glob `{}`: {}", g.get_ref(), e.kind()),
                )
            })?;
        b.add(glob);
    }
    b.build().map_err(|e| (0..0, e.to_string()))
}

fn normalize_dir(dir: &str) -> Result<String, String> {
    let d = dir.replace('\\', "/");
    let d = d.trim_start_matches("./").trim_end_matches('/');
    if d.starts_with('/') || d.split('/').any(|c| c == "..") {
        return Err(format!(
            "design folder `{dir}` must be a relative path (to the folder holding this file) that stays inside the repository"
        ));
    }
    Ok(if d == "." {
        String::new()
    } else {
        d.to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> Result<Config, String> {
        Config::from_toml(Path::new("designgate.toml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn default_config_uses_design_folder_and_builtin_pack() {
        let c = cfg("").unwrap();
        assert!(c.is_design_doc("design/a.md"));
        assert!(c.is_design_doc("design/sub/b.markdown"));
        assert!(!c.is_design_doc("designs/a.md"));
        assert!(!c.is_design_doc("README.md"));
        assert!(!c.is_design_doc("design/a.txt"));
        assert!(c.rules.rule("sla").is_some());
    }

    #[test]
    fn globs_and_dirs_are_applied() {
        let c =
            cfg("design_dirs = [\"./docs/design/\", \"rfcs\"]\nexclude = [\"**/template.md\"]\n")
                .unwrap();
        assert!(c.is_design_doc("docs/design/x.md"));
        assert!(c.is_design_doc("rfcs/0001.md"));
        assert!(!c.is_design_doc("docs/design/template.md"));
        assert!(!c.is_design_doc("design/x.md"));
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = cfg("design_dirs = [\"design\"]\nseverty = {}\n").unwrap_err();
        assert!(
            e.starts_with("designgate.toml:2:1: unknown field `severty`"),
            "{e}"
        );
        let e = cfg("design_dirs = \"design\"\n").unwrap_err();
        assert!(e.starts_with("designgate.toml:1:15: invalid type"), "{e}");
        let e = cfg("[severity]\nsla = \"fatal\"\n").unwrap_err();
        assert!(
            e.starts_with("designgate.toml:2:7: invalid value: string \"fatal\", expected one of `error`, `warning`, `info`, `off`"),
            "{e}"
        );
        let e = cfg("[severity]\nslaa = \"off\"\n").unwrap_err();
        assert!(
            e.starts_with("designgate.toml:2:1: unknown rule id `slaa`"),
            "{e}"
        );
        let e = cfg("packs = [\"nope\"]\n").unwrap_err();
        assert!(
            e.starts_with("designgate.toml:1:10: unknown built-in pack `nope`"),
            "{e}"
        );
        let e = cfg("exclude = [\"a/{b\"]\n").unwrap_err();
        assert!(e.starts_with("designgate.toml:1:12: invalid glob"), "{e}");
        let e = cfg("# no dirs\ndesign_dirs = []\n").unwrap_err();
        assert!(
            e.starts_with("designgate.toml:2:15: `design_dirs` is empty"),
            "{e}"
        );
        let e = cfg("packs = []\n").unwrap_err();
        assert!(
            e.starts_with("designgate.toml:1:9: `packs` is empty"),
            "{e}"
        );
        let e = cfg("design_dirs = [\"../x\"]\n").unwrap_err();
        assert!(
            e.starts_with("designgate.toml:1:16: design folder `../x`"),
            "{e}"
        );
    }

    #[test]
    fn a_repository_config_names_packs_inside_the_repository_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        let files = crate::snapshot::WorkTree {
            root: root.clone(),
            shown_from: Some(root.clone()),
        };
        for (config, shown) in [
            (
                "packs = [\"/etc/passwd\"]\n",
                "designgate.toml:1:10: pack path `/etc/passwd` leaves the repository",
            ),
            (
                "packs = [\"../x.toml\"]\n",
                "designgate.toml:1:10: pack path `../x.toml` leaves the repository",
            ),
            (
                "packs = [\"rules/../../x.toml\"]\n",
                "designgate.toml:1:10: pack path",
            ),
        ] {
            std::fs::write(root.join("designgate.toml"), config).expect("write");
            let e = Config::in_snapshot(&files, None)
                .expect_err(config)
                .to_string();
            assert!(e.starts_with(shown), "{e}");
        }
        std::fs::create_dir(root.join("rules")).expect("mkdir");
        std::fs::write(
            root.join("rules/team.toml"),
            "[pack]\nname = \"team\"\nextends = [\"../../up.toml\"]\n",
        )
        .expect("write");
        std::fs::write(
            root.join("designgate.toml"),
            "packs = [\"rules/team.toml\"]\n",
        )
        .expect("write");
        let e = Config::in_snapshot(&files, None)
            .expect_err("extends")
            .to_string();
        assert!(
            e.starts_with("rules/team.toml:3:12: pack path `../../up.toml` leaves the repository"),
            "{e}"
        );
    }

    #[test]
    fn severity_override_changes_a_rule() {
        let c = cfg("[severity]\nsla = \"warning\"\n").unwrap();
        let sla = c.rules.rule("sla").unwrap();
        assert_eq!(sla.severity, Severity::Warning);
        assert_eq!(
            sla.changes,
            [("severity".to_owned(), "designgate.toml".to_owned())]
        );
    }
}
