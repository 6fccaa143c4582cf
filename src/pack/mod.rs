//! Rule packs: the TOML format maintainers write and the compiled form
//! checks see ([`Rule`], [`RuleSet`]).
//!
//! Rules come in *layers*: built-in packs, pack files (which may `extends`
//! others), and finally `designgate.toml`. Each layer can define areas and
//! rules (`[[rule]]`), change rules of earlier layers by id (`[rules.<id>]`),
//! relax severities (`[[relax]]`) and carry example documents (`[[test]]`,
//! `[[rule.test]]`). Every rule remembers which layer defined it and which
//! changed which key, for `designgate rules`.
//!
//! Parsing happens in two phases: deserialisation ([`raw`]) rejects unknown
//! keys, wrong types and invalid regexes and globs with the TOML span of the
//! offending value; applying a layer ([`build`]) validates what serde cannot
//! see (unknown areas and ids, a rule with nothing to match) at the span of
//! the key. Either way the error names the file, line and column. The
//! reference for this format is `docs/rules.md`.

pub mod build;
mod forbid;
pub mod headings;
pub(crate) mod raw;
pub mod when;

use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

pub use forbid::{ForbidMatches, ForbidSet};
pub use raw::{FieldFormat, ForbidScope};
pub use when::Condition;

use crate::error::Error;
use crate::heading::Heading;
use crate::markdown::ElementKind;

/// The packs compiled into the binary, by name.
pub const BUILTIN_PACKS: &[(&str, &str)] = &[
    (
        "production-readiness",
        include_str!("../../rules/production-readiness.toml"),
    ),
    ("kep", include_str!("../../rules/kep.toml")),
    ("adr", include_str!("../../rules/adr.toml")),
];

/// The pack used when no configuration names one.
pub const DEFAULT_PACK: &str = "production-readiness";

/// The rule id of findings about the file rather than its sections. Rule
/// ids designgate reserves live here, with the rule model, so that packs can
/// refuse them without knowing the linter.
pub const DOCUMENT_RULE: &str = "document";

/// The rule id of findings about waivers themselves.
pub const WAIVER_RULE: &str = "waiver";

/// How much a finding matters. Only `error` blocks a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl<'de> Deserialize<'de> for Severity {
    // why: a derived enum makes toml say "wanted string or table" for
    // `sla = 3`; this names the accepted values whatever the mistake.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Severity;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("one of `error`, `warning`, `info`, `off`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Severity, E> {
                match v {
                    "error" => Ok(Severity::Error),
                    "warning" => Ok(Severity::Warning),
                    "info" => Ok(Severity::Info),
                    "off" => Ok(Severity::Off),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Str(v), &self)),
                }
            }
        }
        d.deserialize_str(Visitor)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Regexes from configuration may come from anyone who can open a pull
/// request; the `regex` crate runs in linear time, and these limits bound the
/// memory a pattern may compile to.
pub(crate) const REGEX_SIZE_LIMIT: usize = 1 << 20;
pub(crate) const REGEX_DFA_SIZE_LIMIT: usize = 1 << 21;

/// At most this many regexes (`forbid`, `require`, `cover` mentions,
/// `heading_patterns`, `value_pattern`, element targets) in one
/// configuration, its packs and the packs they extend together.
///
/// why: each pattern is compiled when its file is read, and a heavy one
/// (`\w{1,6}` is Unicode-aware) costs milliseconds, and a pack of 8 MiB
/// could hold a hundred thousand. The built-in packs together hold about
/// 100; large packs give each of thousands of rules a heading pattern.
pub const MAX_PATTERNS: usize = 4096;

thread_local! {
    /// Patterns compiled by the configuration being loaded on this thread.
    static PATTERNS_LOADED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Starts counting patterns for a new configuration (or pack) load.
pub(crate) fn reset_pattern_count() {
    PATTERNS_LOADED.with(|n| n.set(0));
}

/// Counts one pattern about to be compiled; an error once there are more
/// than [`MAX_PATTERNS`], before compiling it.
pub(crate) fn count_pattern() -> Result<(), String> {
    let n = PATTERNS_LOADED.with(|n| {
        let v = n.get().saturating_add(1);
        n.set(v);
        v
    });
    if n > MAX_PATTERNS {
        return Err(format!(
            "more than {MAX_PATTERNS} regex patterns in one configuration (its packs included); use fewer, or combine alternatives into one pattern"
        ));
    }
    Ok(())
}

/// A regex that was compiled while the TOML was deserialised, so that an
/// invalid pattern is reported at its position in the file; or, in a
/// built-in pack, one that compiles on first use (see [`LazyRegex`]).
#[derive(Debug, Clone)]
pub struct Pattern(pub LazyRegex);

impl Pattern {
    pub(crate) fn compile(source: &str, case_insensitive: bool) -> Result<Self, String> {
        build_regex(source, case_insensitive)
            .map(|re| Pattern(LazyRegex::compiled(re, case_insensitive)))
    }

    /// The pattern as a configuration or pack wrote it, or compiled now
    /// if it comes from a built-in pack (see [`LazyRegex`]).
    fn read(source: String, case_insensitive: bool) -> Result<Self, String> {
        count_pattern()?;
        if BUILTIN_PATTERNS.with(std::cell::Cell::get) {
            return Ok(Pattern(LazyRegex::deferred(source, case_insensitive)));
        }
        Pattern::compile(&source, case_insensitive)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// Compiles a pattern of a configuration or pack, within the size limits.
fn build_regex(source: &str, case_insensitive: bool) -> Result<Regex, String> {
    RegexBuilder::new(source)
        .case_insensitive(case_insensitive)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_SIZE_LIMIT)
        .build()
        .map_err(|e| {
            // The regex crate's message quotes the pattern over several
            // lines; its last line says what is wrong.
            let text = e.to_string();
            let why = text.lines().last().unwrap_or_default();
            let why = why.trim().trim_start_matches("error: ");
            format!("invalid regex `{source}`: {why}")
        })
}

thread_local! {
    /// Whether the TOML being deserialised on this thread is a built-in
    /// pack's (see [`builtin_patterns`]).
    static BUILTIN_PATTERNS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `parse` (the deserialisation of a built-in pack's text) with its
/// patterns compiled on first use rather than now.
pub(crate) fn builtin_patterns<T>(parse: impl FnOnce() -> T) -> T {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            BUILTIN_PATTERNS.with(|b| b.set(self.0));
        }
    }
    let _reset = Reset(BUILTIN_PATTERNS.with(|b| b.replace(true)));
    parse()
}

/// A regex of a configuration or pack: compiled already, or compiled on
/// first use. Clones share the compiled regex.
///
/// why: compiling the built-in pack's patterns (Unicode classes and word
/// boundaries) cost the hook more than git's whole listing of the index,
/// and most of them (a heading pattern whose section the document lacks, a
/// `forbid` pattern its rule's combined set did not find) are never run.
/// Only built-in patterns wait, and they are known to compile (a test
/// compiles every one); a pattern from a configuration or a pack file is
/// compiled when it is read, so that an error names its file, line and
/// column as before.
#[derive(Clone)]
pub struct LazyRegex(std::sync::Arc<LazyInner>);

struct LazyInner {
    source: String,
    case_insensitive: bool,
    regex: OnceLock<Regex>,
}

impl LazyRegex {
    fn compiled(regex: Regex, case_insensitive: bool) -> Self {
        LazyRegex(std::sync::Arc::new(LazyInner {
            source: regex.as_str().to_owned(),
            case_insensitive,
            regex: OnceLock::from(regex),
        }))
    }

    fn deferred(source: String, case_insensitive: bool) -> Self {
        LazyRegex(std::sync::Arc::new(LazyInner {
            source,
            case_insensitive,
            regex: OnceLock::new(),
        }))
    }

    /// The pattern as written (without compiling it).
    pub fn as_str(&self) -> &str {
        &self.0.source
    }

    /// Whether it matches without regard to case (`(?i)` aside).
    pub(crate) fn case_insensitive(&self) -> bool {
        self.0.case_insensitive
    }

    /// The compiled regex.
    pub fn regex(&self) -> &Regex {
        self.0.regex.get_or_init(|| {
            // A built-in pattern: it compiles (see `builtin_packs_compile`);
            // were it ever not to, it matches nothing rather than panic.
            build_regex(&self.0.source, self.0.case_insensitive).unwrap_or_else(|_| never())
        })
    }
}

/// A regex that matches nothing.
fn never() -> Regex {
    static NEVER: OnceLock<Regex> = OnceLock::new();
    NEVER
        .get_or_init(|| {
            RegexBuilder::new(r"[^\s\S]")
                .build()
                .expect("a constant pattern compiles")
        })
        .clone()
}

impl std::ops::Deref for LazyRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.regex()
    }
}

impl fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LazyRegex").field(&self.0.source).finish()
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Pattern::read(s, false).map_err(serde::de::Error::custom)
    }
}

/// A heading regex: matched against the normalised (lower-case) heading, so
/// it behaves as if case-insensitive.
#[derive(Debug, Clone)]
pub(crate) struct HeadingPattern(pub(crate) LazyRegex);

impl<'de> Deserialize<'de> for HeadingPattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        // why: the heading is already lower case, so a pattern without
        // upper-case letters matches the same with or without case folding;
        // case folding multiplies the literal alternatives the regex crate
        // builds prefilters from, which doubled designgate's start-up time.
        let fold = s.chars().any(char::is_uppercase);
        Pattern::read(s, fold)
            .map(|p| HeadingPattern(p.0))
            .map_err(serde::de::Error::custom)
    }
}

/// A glob over document paths, relative to the folder holding
/// `designgate.toml`; `*` does not cross `/`.
#[derive(Debug, Clone)]
pub struct Glob(pub globset::Glob);

impl<'de> Deserialize<'de> for Glob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        compile_glob(&s).map(Glob).map_err(serde::de::Error::custom)
    }
}

/// Compiles a path glob the way every designgate glob works: `*` stops at `/`.
pub(crate) fn compile_glob(s: &str) -> Result<globset::Glob, String> {
    globset::GlobBuilder::new(s)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("invalid glob `{s}`: {}", e.kind()))
}

/// A set of globs, keeping the patterns as written for display.
#[derive(Debug, Clone, Default)]
pub struct Globs {
    pub patterns: Vec<String>,
    set: globset::GlobSet,
}

impl Globs {
    pub(crate) fn new(globs: Vec<Glob>) -> Self {
        let mut b = globset::GlobSetBuilder::new();
        let mut patterns = Vec::new();
        for g in globs {
            patterns.push(g.0.glob().to_owned());
            b.add(g.0);
        }
        // A set of globs that each compiled cannot fail to build.
        let set = b.build().unwrap_or_else(|_| globset::GlobSet::empty());
        Globs { patterns, set }
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    pub fn is_match(&self, path: &str) -> bool {
        self.set.is_match(path)
    }
}

/// Element kinds for `contains`: one (`"table"`) or a list of alternatives
/// (`["image", "link"]`).
#[derive(Debug, Clone)]
pub struct Elements(pub Vec<ElementKind>);

impl<'de> Deserialize<'de> for Elements {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        fn kind<E: serde::de::Error>(v: &str) -> Result<ElementKind, E> {
            ElementKind::ALL
                .into_iter()
                .find(|k| k.as_str() == v)
                .ok_or_else(|| {
                    E::custom(format!(
                        "unknown element `{v}`, expected one of `list`, `table`, `link`, `image`, `code`{}",
                        crate::suggest::did_you_mean(v, ElementKind::ALL.map(ElementKind::as_str))
                    ))
                })
        }
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Elements;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an element kind or a list of them")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Elements, E> {
                kind(v).map(|k| Elements(vec![k]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Elements, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(kind(&s)?);
                }
                if out.is_empty() {
                    return Err(serde::de::Error::custom("`element` lists no element kind"));
                }
                Ok(Elements(out))
            }
        }
        d.deserialize_any(Visitor)
    }
}

// ---------------------------------------------------------------------------
// Compiled types.

/// A checklist area, such as "Clarity" or "Monitoring".
#[derive(Debug, Clone, Serialize)]
pub struct Area {
    pub id: String,
    pub title: String,
}

/// Text that must not appear in a section (a placeholder).
#[derive(Debug, Clone)]
pub struct Forbid {
    pub pattern: Pattern,
    pub message: Option<String>,
    pub scope: ForbidScope,
    /// Whether inline code and autolinks are searched too.
    pub code: bool,
}

/// Text that must appear in a section, and what to say when it does not.
#[derive(Debug, Clone)]
pub struct Require {
    pub pattern: Pattern,
    pub message: String,
}

/// A sub-item a section must cover, as a subsection or a mention.
#[derive(Debug, Clone)]
pub struct Cover {
    pub item: String,
    /// Subsection headings as written, and their [`crate::heading::key`]s.
    pub headings: Vec<String>,
    aliases: Vec<String>,
    pub mentions: Vec<Pattern>,
}

impl Cover {
    /// Whether a subsection's heading names this item (an alias, word for
    /// word).
    pub fn matches_heading(&self, heading: &Heading) -> bool {
        heading.keys.iter().any(|k| self.aliases.contains(k))
    }
}

/// An element a section must contain (any of `elements`).
#[derive(Debug, Clone)]
pub struct Contains {
    pub elements: Vec<ElementKind>,
    pub target: Option<Pattern>,
    pub message: Option<String>,
}

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// A checklist section, found by its heading.
    Section,
    /// A front-matter field.
    Field,
    /// Relative links and images of the whole document.
    Links,
}

/// A front-matter field rule.
#[derive(Debug, Clone, Default)]
pub struct FieldSpec {
    pub key: String,
    pub one_of: Vec<String>,
    pub value_pattern: Option<Pattern>,
    pub format: Option<FieldFormat>,
    pub non_empty: bool,
}

/// An example document for one rule, run by `designgate test-rules`.
#[derive(Debug, Clone)]
pub struct RuleTest {
    pub name: String,
    /// `true`: the document must produce no finding of the rule.
    pub pass: bool,
    pub document: String,
    pub checks: Vec<String>,
    pub path: String,
    pub files: Vec<String>,
}

/// A whole-document example: it must fail exactly the `expect`ed rules.
#[derive(Debug, Clone)]
pub struct DocTest {
    pub name: String,
    pub document: String,
    pub expect: Vec<String>,
    pub path: String,
    pub files: Vec<String>,
    /// The pack or config that carries it.
    pub origin: String,
    /// The rules known when it was defined: its own layer's and earlier
    /// ones. Rules that later layers add are not its concern.
    pub scope: Vec<String>,
}

/// Where test documents live when a test does not say.
pub const DEFAULT_TEST_PATH: &str = "design/example.md";

/// Lowers the severity of (some) rules for documents that match.
#[derive(Debug, Clone)]
pub struct Relax {
    pub when: Vec<Condition>,
    pub paths: Globs,
    /// Rule ids; empty means every rule.
    pub rules: Vec<String>,
    pub max_severity: Severity,
    pub origin: String,
}

impl Relax {
    pub fn applies(&self, rule: &str, local_path: &str, front_matter: Option<&Value>) -> bool {
        (self.rules.is_empty() || self.rules.iter().any(|r| r == rule))
            && (self.paths.is_empty() || self.paths.is_match(local_path))
            && when::all_hold_strictly(&self.when, front_matter)
    }
}

/// A compiled rule: everything a check needs, nothing it must parse.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    /// Index into [`RuleSet::areas`].
    pub area: Option<usize>,
    pub title: String,
    pub description: String,
    pub help: String,
    pub example: String,
    pub kind: RuleKind,
    /// Aliases as written, for messages.
    pub headings: Vec<String>,
    /// [`crate::heading::key`]s of the aliases.
    aliases: Vec<String>,
    heading_patterns: Vec<LazyRegex>,
    pub field: FieldSpec,
    /// Check that relative links in the rule's sections (or, for a link
    /// rule, the whole document) exist in the snapshot.
    pub links: bool,
    pub required: bool,
    pub severity: Severity,
    /// The severity the defining layer gave, before later changes.
    pub defined_severity: Severity,
    pub min_words: usize,
    pub forbid: Vec<Forbid>,
    /// A lone `None`/`No`/`Nothing`/`N/A` under the rule's own heading is a
    /// complete answer: the rule asks for a list that may be empty.
    pub none_answers: bool,
    /// `forbid` as one set, built on first use by [`Rule::forbid_set`].
    /// Rules are complete before any check runs, so it never goes stale.
    /// Shared by clones, as the heading index is: the warm-up builds it on
    /// a clone of the rules (see [`crate::run_with`]), and the sets it
    /// builds are held weakly elsewhere ([`ForbidSet::shared`]), so a clone
    /// of its own would drop them when the warm-up ends.
    forbid_set: std::sync::Arc<OnceLock<Option<ForbidSet>>>,
    pub require: Vec<Require>,
    pub cover: Vec<Cover>,
    /// Rule ids whose sections must come before this rule's.
    pub after: Vec<String>,
    pub contains: Vec<Contains>,
    pub paths: Globs,
    pub exclude_paths: Globs,
    pub when: Vec<Condition>,
    pub waivable: bool,
    pub tests: Vec<RuleTest>,
    /// The pack (built-in name or file) or config that defined the rule.
    pub origin: String,
    /// Keys changed after the rule was defined, and by which pack or
    /// config, in the order they were changed.
    pub changes: Vec<(String, String)>,
}

impl Rule {
    /// Whether this rule's checks read nothing of a document but its front
    /// matter and headings: required sections, their order, front matter
    /// fields. A rule that counts words, searches prose, wants elements or
    /// checks links does not.
    pub fn looks_at_headings_only(&self) -> bool {
        matches!(self.kind, RuleKind::Section | RuleKind::Field)
            && self.min_words == 0
            && self.forbid.is_empty()
            && self.require.is_empty()
            && self.cover.is_empty()
            && self.contains.is_empty()
            && !self.links
    }

    /// Whether a heading satisfies this rule: one of its parts is an alias
    /// (word for word, plurals and `-ing` forms alike), or a pattern matches
    /// the heading or a part on whole words (not for sentence-like
    /// headings). [`RuleSet::heading_index`] answers this for all rules at
    /// once.
    pub fn matches_heading(&self, heading: &Heading) -> bool {
        self.kind == RuleKind::Section
            && (heading.keys.iter().any(|k| self.aliases.contains(k))
                || heading.pattern_candidates().iter().any(|c| {
                    self.heading_patterns
                        .iter()
                        .any(|p| headings::word_match(p, c))
                }))
    }

    /// The `forbid` patterns compiled into one [`ForbidSet`], which tells
    /// in one pass over a text which patterns match in it at all, so that
    /// only those are searched for their positions. `None` when there are
    /// no patterns, or when the set exceeds the size limits (each pattern
    /// then runs on its own, as it compiled on its own).
    pub fn forbid_set(&self) -> Option<&ForbidSet> {
        self.forbid_set
            .get_or_init(|| ForbidSet::shared(&self.forbid_patterns()))
            .as_ref()
    }

    fn forbid_patterns(&self) -> Vec<&LazyRegex> {
        self.forbid.iter().map(|f| &f.pattern.0).collect()
    }

    /// Every pattern of the rule but its `forbid` ones.
    fn patterns_but_forbid(&self) -> impl Iterator<Item = &LazyRegex> {
        self.heading_patterns
            .iter()
            .chain(self.require.iter().map(|q| &q.pattern.0))
            .chain(
                self.cover
                    .iter()
                    .flat_map(|c| c.mentions.iter().map(|p| &p.0)),
            )
            .chain(
                self.contains
                    .iter()
                    .filter_map(|c| c.target.as_ref().map(|p| &p.0)),
            )
            .chain(self.field.value_pattern.as_ref().map(|p| &p.0))
    }

    /// The heading patterns as written.
    pub fn heading_patterns(&self) -> impl Iterator<Item = &str> {
        self.heading_patterns.iter().map(LazyRegex::as_str)
    }

    /// Whether the rule applies to a document at `local_path` (relative to
    /// the config's folder) with this front matter.
    pub fn applies(&self, local_path: &str, front_matter: Option<&Value>) -> bool {
        (self.paths.is_empty() || self.paths.is_match(local_path))
            && !self.exclude_paths.is_match(local_path)
            && when::all_hold(&self.when, front_matter)
    }

    fn blank(id: String, origin: &str) -> Rule {
        Rule {
            id,
            area: None,
            title: String::new(),
            description: String::new(),
            help: String::new(),
            example: String::new(),
            kind: RuleKind::Section,
            headings: Vec::new(),
            aliases: Vec::new(),
            heading_patterns: Vec::new(),
            field: FieldSpec::default(),
            links: false,
            required: false,
            severity: Severity::Warning,
            defined_severity: Severity::Warning,
            min_words: 0,
            forbid: Vec::new(),
            none_answers: false,
            forbid_set: std::sync::Arc::default(),
            require: Vec::new(),
            cover: Vec::new(),
            after: Vec::new(),
            contains: Vec::new(),
            paths: Globs::default(),
            exclude_paths: Globs::default(),
            when: Vec::new(),
            waivable: true,
            tests: Vec::new(),
            origin: origin.to_owned(),
            changes: Vec::new(),
        }
    }
}

/// A pack that took part, for `designgate rules`.
#[derive(Debug, Clone, Serialize)]
pub struct PackInfo {
    pub name: String,
    pub description: String,
    /// Built-in name or file path.
    pub origin: String,
    pub extends: Vec<String>,
}

/// All rules, from every pack and the config, in definition order.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub areas: Vec<Area>,
    pub rules: Vec<Rule>,
    pub relax: Vec<Relax>,
    pub tests: Vec<DocTest>,
    pub packs: Vec<PackInfo>,
    /// Built on first use, after the last layer.
    /// Shared by clones, so that one compiled on a clone (see
    /// [`crate::run_with`]'s warm-up) serves the original.
    heading_index: std::sync::Arc<std::sync::OnceLock<headings::HeadingIndex>>,
}

impl RuleSet {
    /// Builds the `forbid` set of every rule with at most `max` patterns
    /// that has none yet, once for each list of patterns (see
    /// [`ForbidSet::shared`]): rules that take only a pack's
    /// `[[defaults.forbid]]` share one set.
    pub(crate) fn warm_forbid_sets(&self, max: usize) {
        for rule in &self.rules {
            if rule.forbid.len() <= max {
                rule.forbid_set();
            }
        }
    }

    /// Compiles the patterns of every rule that checking runs whenever
    /// their rule's section is there (heading patterns, `require`, `cover`
    /// mentions, `contains` targets, `value_pattern`), stopping early once
    /// `stop` is set. `forbid` patterns run on their own only where their
    /// rule's combined set found them, so they wait for that.
    pub(crate) fn warm_patterns(&self, stop: &std::sync::atomic::AtomicBool) {
        for p in self.rules.iter().flat_map(Rule::patterns_but_forbid) {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                return;
            }
            p.regex();
        }
    }

    /// Aliases and patterns of all section rules, for matching headings.
    pub fn heading_index(&self) -> &headings::HeadingIndex {
        self.heading_index
            .get_or_init(|| headings::HeadingIndex::new(&self.rules))
    }

    /// Whether checking a document needs nothing of it but its front
    /// matter and its headings (levels, titles, where they are): no rule
    /// that is on looks at prose, words, elements or links. Then documents
    /// are parsed for their outline only ([`crate::markdown::parse_outline`]).
    pub fn headings_only(&self) -> bool {
        self.rules
            .iter()
            .filter(|r| r.severity != Severity::Off)
            .all(Rule::looks_at_headings_only)
    }

    /// Forgets the heading index, after rules changed.
    pub(crate) fn rules_changed(&mut self) {
        self.heading_index = std::sync::Arc::default();
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn area_of(&self, rule: &Rule) -> Option<&Area> {
        rule.area.and_then(|i| self.areas.get(i))
    }

    /// The rule ids, for suggestions.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }

    /// The severity of `rule` for one document, after `[[relax]]`.
    pub fn severity_for(
        &self,
        rule: &Rule,
        local_path: &str,
        front_matter: Option<&Value>,
    ) -> Severity {
        self.relax
            .iter()
            .filter(|r| r.applies(&rule.id, local_path, front_matter))
            .fold(rule.severity, |s, r| s.min(r.max_severity))
    }

    /// The front-matter keys that a relaxation compares as one value but
    /// that hold a list or a map in this document, each with the origin of
    /// such a relaxation. Such a value relaxes nothing (see
    /// [`when::Condition::holds_strictly`]); the linter reports it.
    pub fn malformed_relax_keys(
        &self,
        local_path: &str,
        front_matter: Option<&Value>,
    ) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for relax in &self.relax {
            if !(relax.paths.is_empty() || relax.paths.is_match(local_path)) {
                continue;
            }
            for c in relax.when.iter().filter(|c| c.malformed(front_matter)) {
                if !out.iter().any(|(k, _)| *k == c.key) {
                    out.push((c.key.clone(), relax.origin.clone()));
                }
            }
        }
        out
    }

    /// Adds a pack's text as a layer; for tests and tools that have one pack
    /// in hand. `origin` names it in `designgate rules`.
    pub fn add_pack(&mut self, path: &Path, text: &str, origin: &str) -> Result<(), Error> {
        reset_pattern_count();
        let mut b = build::Builder::from(std::mem::take(self));
        let result = b.pack_text(path, text, origin, None);
        *self = b.finish();
        result
    }
}

pub(crate) fn check_id(id: &toml::Spanned<String>) -> Result<(), String> {
    let s = id.get_ref();
    let ok = !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "invalid id `{s}`: expected lower-case letters, digits and `-`, such as `load-testing`"
        ))
    }
}

/// The text of a built-in pack.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTIN_PACKS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<RuleSet, String> {
        let mut set = RuleSet::default();
        set.add_pack(Path::new("pack.toml"), text, "pack.toml")
            .map(|()| set)
            .map_err(|e| e.to_string())
    }

    const AREA: &str = "[pack]\nname = \"t\"\n[[area]]\nid = \"clarity\"\ntitle = \"Clarity\"\n";

    /// What the warm-up builds on a clone of the rules is what checking on
    /// the original finds, once the clone is gone.
    #[test]
    fn clones_share_what_they_build() {
        let text = BUILTIN_PACKS
            .iter()
            .find(|(name, _)| name.starts_with("production-readiness"))
            .map(|(_, text)| *text)
            .expect("the built-in pack");
        let rules = load(text).expect("the built-in pack loads");
        let clone = rules.clone();
        let built: Vec<*const ForbidSet> = clone
            .rules
            .iter()
            .filter_map(|r| r.forbid_set().map(std::ptr::from_ref))
            .collect();
        let index = std::ptr::from_ref(clone.heading_index());
        drop(clone);
        let found: Vec<*const ForbidSet> = rules
            .rules
            .iter()
            .filter_map(|r| {
                r.forbid_set
                    .get()
                    .and_then(Option::as_ref)
                    .map(std::ptr::from_ref)
            })
            .collect();
        assert!(!built.is_empty());
        assert_eq!(built, found);
        assert_eq!(index, std::ptr::from_ref(rules.heading_index()));
    }

    #[test]
    fn builtin_packs_compile() {
        for (name, text) in BUILTIN_PACKS {
            let mut set = RuleSet::default();
            set.add_pack(Path::new(name), text, name)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!set.rules.is_empty());
        }
    }

    /// Built-in patterns compile on first use (`LazyRegex`): each must
    /// compile, within the limits, as a configuration's pattern would.
    #[test]
    fn builtin_patterns_compile_when_used() {
        for (name, _) in BUILTIN_PACKS {
            let config = crate::Config::from_toml(
                Path::new("designgate.toml"),
                &format!("packs = [\"{name}\"]\n"),
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
            let mut seen = 0;
            for rule in &config.rules.rules {
                let forbid = rule.forbid.iter().map(|f| &f.pattern.0);
                for p in rule.patterns_but_forbid().chain(forbid) {
                    build_regex(p.as_str(), p.0.case_insensitive)
                        .unwrap_or_else(|e| panic!("{name}: {e}"));
                    assert_eq!(p.regex().as_str(), p.as_str());
                    seen += 1;
                }
            }
            assert!(seen > 0, "{name}");
        }
    }

    /// A configuration's own patterns compile when it is read, so that an
    /// error names its line; a built-in pack's wait for first use.
    #[test]
    fn only_builtin_patterns_wait() {
        let own = "[[rule]]\nid = \"x\"\ntitle = \"X\"\nheadings = [\"X\"]\nrequire = [{ pattern = 'y', message = 'm' }]\n";
        let config = crate::Config::from_toml(Path::new("designgate.toml"), own)
            .unwrap_or_else(|e| panic!("{e}"));
        for rule in &config.rules.rules {
            for p in rule.patterns_but_forbid() {
                assert_eq!(p.0.regex.get().is_some(), rule.id == "x", "{}", rule.id);
            }
        }
    }

    #[test]
    fn unknown_key_is_reported_at_its_line() {
        let text = format!(
            "{AREA}[[rule]]\nid = \"sla\"\narea = \"clarity\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\nmin_word = 3\n"
        );
        let e = load(&text).unwrap_err();
        assert!(
            e.starts_with("pack.toml:11:1: unknown field `min_word`"),
            "{e}"
        );
    }

    #[test]
    fn bad_regex_is_reported_at_the_pattern() {
        let text = format!(
            "{AREA}[[rule]]\nid = \"sla\"\narea = \"clarity\"\ntitle = \"SLA\"\nheading_patterns = [\"(unclosed\"]\n"
        );
        let e = load(&text).unwrap_err();
        assert!(e.starts_with("pack.toml:10:"), "{e}");
        assert!(e.contains("invalid regex"), "{e}");
    }

    #[test]
    fn unknown_area_and_duplicate_ids_are_errors() {
        let text = format!(
            "{AREA}[[rule]]\nid = \"sla\"\narea = \"clarty\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\n"
        );
        let e = load(&text).unwrap_err();
        assert!(e.starts_with("pack.toml:8:8: unknown area `clarty`"), "{e}");

        let rule =
            "[[rule]]\nid = \"sla\"\narea = \"clarity\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\n";
        let e = load(&format!("{AREA}{rule}{rule}")).unwrap_err();
        assert!(
            e.starts_with("pack.toml:12:6: duplicate rule id `sla`"),
            "{e}"
        );
    }

    #[test]
    fn aliases_and_patterns_match_normalised_headings() {
        let text = format!(
            "{AREA}[[rule]]\nid = \"sla\"\narea = \"clarity\"\ntitle = \"SLA\"\nheadings = [\"Service-level agreement\"]\nheading_patterns = ['\\bSLOs?\\b']\n"
        );
        let set = load(&text).unwrap();
        let rule = &set.rules[0];
        let heading = |h: &str| Heading::new(h).unwrap_or_default();
        assert!(rule.matches_heading(&heading("3.1 Service level Agreements:")));
        assert!(rule.matches_heading(&heading("Our SLOs")));
        assert!(!rule.matches_heading(&heading("Slowness")));
    }
}
