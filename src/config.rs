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
use crate::pack::build::{Builder, Ctx, Layer, parse_toml};
use crate::pack::raw::{RawArea, RawDocTest, RawRelax, RawRule};
use crate::pack::{self, RuleSet, Severity};

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
    /// The configuration to use for the repository (or folder) at `root`:
    /// `explicit` if given, else a config file at the root, else the default.
    /// Paths in messages are shown relative to `cwd` where possible.
    pub fn load(root: &Path, cwd: &Path, explicit: Option<&Path>) -> Result<Config, Error> {
        let file = match explicit {
            Some(p) => Some(p.to_owned()),
            None => CONFIG_FILES
                .iter()
                .map(|name| root.join(name))
                .find(|p| p.is_file())
                .map(|p| match std::fs::canonicalize(cwd) {
                    Ok(cwd) => p.strip_prefix(&cwd).map(Path::to_owned).unwrap_or(p),
                    Err(_) => p,
                }),
        };
        match file {
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
                let mut config = Config::from_toml(&path, &text)?;
                // why: design folders are relative to the folder holding the
                // config file, so `--config examples/designgate.toml` means
                // `examples/design`. A config outside the repository is
                // relative to the repository root.
                let folder = std::fs::canonicalize(&path)
                    .ok()
                    .and_then(|p| p.parent().map(Path::to_owned));
                if let Some(rel) = folder.as_deref().and_then(|f| f.strip_prefix(root).ok()) {
                    let prefix: Vec<_> = rel
                        .components()
                        .filter_map(|c| c.as_os_str().to_str())
                        .collect();
                    if !prefix.is_empty() {
                        let prefix = prefix.join("/");
                        config.base = prefix.clone();
                        for dir in &mut config.design_dirs {
                            *dir = if dir.is_empty() {
                                prefix.clone()
                            } else {
                                format!("{prefix}/{dir}")
                            };
                        }
                    }
                }
                Ok(config)
            }
            None => Config::from_toml(Path::new("<default>"), ""),
        }
    }

    /// Parses a configuration; relative pack paths resolve against the
    /// folder of `path`.
    pub fn from_toml(path: &Path, text: &str) -> Result<Config, Error> {
        let base = path.parent().unwrap_or(Path::new("."));
        Config::from_toml_with(path, text, &Disk { base })
    }

    /// Parses a configuration whose pack files are read by `files` (from
    /// disk, or from a commit's tree).
    pub fn from_toml_with(path: &Path, text: &str, files: &dyn PackFiles) -> Result<Config, Error> {
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
            builder.pack(name.get_ref(), files, "", name.span(), &ctx)?;
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

/// Where the pack files that a configuration names are read from.
pub trait PackFiles {
    /// The path to show for pack file `name` (relative to the folder holding
    /// the config, `/`-separated, already normalised), and its text, or
    /// `None` if there is no such file.
    fn read(&self, name: &str) -> Result<(PathBuf, Option<String>), Error>;
}

/// Pack files on disk, relative to the folder holding the config file (or,
/// for `designgate test-rules PACK`, the current directory).
pub(crate) struct Disk<'a> {
    pub(crate) base: &'a Path,
}

impl PackFiles for Disk<'_> {
    fn read(&self, name: &str) -> Result<(PathBuf, Option<String>), Error> {
        let path = self.base.join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok((path, Some(text))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((path, None)),
            Err(e) => Err(Error::io(&path, e)),
        }
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
