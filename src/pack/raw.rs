//! The TOML as maintainers write it: strict serde types shared by pack files
//! and `designgate.toml` (both are *layers* of rules). Unknown keys, wrong
//! types, invalid regexes and globs are rejected while deserialising, with
//! the span of the offending value; what serde cannot see is validated when
//! the layer is applied (see `build.rs`).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::when::RawWhen;
use super::{Elements, Glob, HeadingPattern, Pattern, Severity};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPack {
    pub(crate) pack: RawPackMeta,
    #[serde(default)]
    pub(crate) defaults: RawDefaults,
    #[serde(default)]
    pub(crate) area: Vec<RawArea>,
    #[serde(default)]
    pub(crate) rule: Vec<Spanned<RawRule>>,
    #[serde(default)]
    pub(crate) rules: BTreeMap<Spanned<String>, RawRule>,
    #[serde(default)]
    pub(crate) relax: Vec<RawRelax>,
    #[serde(default)]
    pub(crate) test: Vec<RawDocTest>,
}

/// `[pack]`: what the pack is, and which packs it builds on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPackMeta {
    pub(crate) name: Spanned<String>,
    #[serde(default)]
    pub(crate) description: String,
    /// Packs loaded before this one: built-in names or paths relative to
    /// this file.
    #[serde(default)]
    pub(crate) extends: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDefaults {
    pub(crate) severity: Option<Severity>,
    pub(crate) min_words: Option<usize>,
    #[serde(default)]
    pub(crate) forbid: Vec<RawForbid>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawArea {
    pub(crate) id: Spanned<String>,
    pub(crate) title: String,
}

/// A rule: in `[[rule]]` a new one (with `id`), in `[rules.<id>]` changes to
/// an existing one (every key optional, `id` not allowed).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub(crate) id: Option<Spanned<String>>,
    pub(crate) area: Option<Spanned<String>>,
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) help: Option<String>,
    pub(crate) example: Option<String>,
    // Which sections satisfy the rule.
    pub(crate) headings: Option<Vec<String>>,
    pub(crate) extra_headings: Option<Vec<String>>,
    pub(crate) heading_patterns: Option<Vec<HeadingPattern>>,
    // Or: a front-matter field rule.
    pub(crate) field: Option<Spanned<String>>,
    pub(crate) one_of: Option<Vec<Spanned<toml::Value>>>,
    pub(crate) value_pattern: Option<Pattern>,
    pub(crate) format: Option<FieldFormat>,
    pub(crate) non_empty: Option<bool>,
    // Or a link rule, or links checked in a section.
    pub(crate) links: Option<bool>,
    pub(crate) required: Option<bool>,
    pub(crate) severity: Option<Severity>,
    pub(crate) min_words: Option<usize>,
    pub(crate) forbid: Option<Vec<RawForbid>>,
    pub(crate) require: Option<Vec<RawRequire>>,
    pub(crate) cover: Option<Vec<RawCover>>,
    pub(crate) after: Option<Vec<Spanned<String>>>,
    pub(crate) contains: Option<Vec<RawContains>>,
    // Where and when it applies.
    pub(crate) paths: Option<Vec<Glob>>,
    pub(crate) exclude_paths: Option<Vec<Glob>>,
    pub(crate) when: Option<Spanned<RawWhen>>,
    pub(crate) waivable: Option<bool>,
    pub(crate) test: Option<Vec<Spanned<RawRuleTest>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldFormat {
    /// An ISO 8601 calendar date, `YYYY-MM-DD`.
    Date,
    /// A list.
    List,
    /// A string (not a number, list or map).
    String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawForbid {
    pub(crate) pattern: Pattern,
    pub(crate) message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRequire {
    pub(crate) pattern: Pattern,
    pub(crate) message: String,
}

/// A sub-item a section must cover: as a subsection with one of `headings`,
/// or as a mention matching one of `mentions`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCover {
    pub(crate) item: String,
    #[serde(default)]
    pub(crate) headings: Vec<String>,
    #[serde(default)]
    pub(crate) mentions: Vec<Pattern>,
}

/// An element a section must contain.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawContains {
    pub(crate) element: Elements,
    /// For links and images: the destination must match; for code blocks:
    /// the language must match.
    pub(crate) target: Option<Pattern>,
    pub(crate) message: Option<String>,
}

/// `[[relax]]`: lowers the severity of rules for documents that match.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRelax {
    pub(crate) when: Option<Spanned<RawWhen>>,
    pub(crate) paths: Option<Vec<Glob>>,
    /// Rule ids; all rules when absent.
    pub(crate) rules: Option<Vec<Spanned<String>>>,
    pub(crate) max_severity: Severity,
}

/// `[[rule.test]]`: an example document for one rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRuleTest {
    pub(crate) name: Option<String>,
    /// A document that must produce no finding of this rule.
    pub(crate) pass: Option<String>,
    /// A document that must produce at least one finding of this rule.
    pub(crate) fail: Option<String>,
    /// With `fail`: the checks that must fire (e.g. `placeholder`).
    #[serde(default)]
    pub(crate) checks: Vec<String>,
    pub(crate) path: Option<String>,
    /// Files that exist next to the document, for link rules.
    #[serde(default)]
    pub(crate) files: Vec<String>,
}

/// `[[test]]`: a whole document and the exact rules it must fail.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDocTest {
    pub(crate) name: String,
    pub(crate) document: String,
    #[serde(default)]
    pub(crate) expect: Vec<Spanned<String>>,
    pub(crate) path: Option<String>,
    #[serde(default)]
    pub(crate) files: Vec<String>,
}
