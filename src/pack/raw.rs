//! The TOML as maintainers write it: strict serde types shared by pack files
//! and `designgate.toml` (both are *layers* of rules). Unknown keys, wrong
//! types, invalid regexes and globs are rejected while deserialising, with
//! the span of the offending value; what serde cannot see is validated when
//! the layer is applied (see `build.rs`).
//!
//! With the `schema` feature these types also derive the JSON Schemas in
//! `schema/` (see `src/schema.rs`): their doc comments are the descriptions
//! editors show, so they are written for pack authors.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::when::RawWhen;
use super::{Elements, Glob, HeadingPattern, Pattern, Severity};

/// A designgate rule pack: a design checklist of areas and rules. Packs are
/// layers: each may define areas and rules, change rules of the packs it
/// extends by id, relax severities and carry example documents. Reference:
/// docs/rules.md.
#[derive(Debug, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "Pack")
)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPack {
    /// `[pack]`: the pack's `name` and `description`, and the packs it
    /// `extends`.
    pub(crate) pack: RawPackMeta,
    /// `[defaults]`: values every rule of this pack inherits unless it sets
    /// its own.
    #[serde(default)]
    pub(crate) defaults: RawDefaults,
    /// `[[area]]`: checklist areas, such as Clarity or Monitoring; each rule
    /// names one in `area`.
    #[serde(default)]
    pub(crate) area: Vec<RawArea>,
    /// `[[rule]]`: new rules, one checklist item each. Each needs `id`,
    /// `title` and what it checks: `headings` or `heading_patterns` (a
    /// section), `field` (a front-matter field) or `links = true` (the
    /// document's relative links).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::schema::NewRule>"))]
    pub(crate) rule: Vec<Spanned<RawRule>>,
    /// `[rules.<id>]`: changes to a rule an earlier pack defined, by id, such
    /// as `[rules.sla]`. Each key given replaces the rule's value
    /// (`extra_headings` adds to `headings`); `id` cannot be changed.
    #[serde(default)]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "BTreeMap<String, crate::schema::RuleChange>")
    )]
    pub(crate) rules: BTreeMap<Spanned<String>, RawRule>,
    /// `[[relax]]`: caps the severity of some or all rules for documents
    /// that match, such as drafts.
    #[serde(default)]
    pub(crate) relax: Vec<RawRelax>,
    /// `[[test]]`: example documents, each of which must fail exactly the
    /// rules in `expect`; run by `designgate test-rules`.
    #[serde(default)]
    pub(crate) test: Vec<RawDocTest>,
}

/// `[pack]`: what the pack is, and which packs it builds on.
#[derive(Debug, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "PackMeta")
)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPackMeta {
    /// The pack's name: lower-case letters, digits and `-`, such as
    /// `team-checklist`. Shown by `designgate rules`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub(crate) name: Spanned<String>,
    /// What the pack is for.
    #[serde(default)]
    pub(crate) description: String,
    /// Packs loaded before this one: built-in names or paths relative to
    /// this file.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    pub(crate) extends: Vec<Spanned<String>>,
}

/// `[defaults]`: values every rule of this pack inherits unless it sets its
/// own.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "Defaults")
)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDefaults {
    /// Severity of this pack's rules that set none (`warning` if absent).
    pub(crate) severity: Option<Severity>,
    /// `min_words` of this pack's section rules that set none (0, no
    /// minimum, if absent).
    pub(crate) min_words: Option<usize>,
    /// `[[defaults.forbid]]`: placeholders forbidden in every section rule
    /// of this pack, checked before the rule's own `forbid` patterns.
    #[serde(default)]
    pub(crate) forbid: Vec<RawForbid>,
}

/// `[[area]]`: a checklist area that groups rules. A pack may repeat an area
/// an earlier pack defined, with the same `title`.
#[derive(Debug, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "Area")
)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawArea {
    /// The area's id: lower-case letters, digits and `-`. Rules refer to it
    /// in `area`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub(crate) id: Spanned<String>,
    /// The area's name, shown in findings (`area: Monitoring`) and by
    /// `designgate rules`.
    pub(crate) title: String,
}

/// A rule: in `[[rule]]` a new one (with `id`), in `[rules.<id>]` changes to
/// an existing one (every key optional, `id` not allowed).
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "Rule")
)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    /// The rule's id: lower-case letters, digits and `-`, unique across all
    /// loaded packs (`document` and `waiver` are reserved). Required in
    /// `[[rule]]`; not allowed in `[rules.<id>]`, whose table name is the id.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Id>"))]
    pub(crate) id: Option<Spanned<String>>,
    /// Id of the `[[area]]` the rule belongs to, defined in this pack or an
    /// earlier one.
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub(crate) area: Option<Spanned<String>>,
    /// The checklist item's name, used in messages (missing section `SLA`).
    /// Required in `[[rule]]`.
    pub(crate) title: Option<String>,
    /// Why the item matters; shown by `designgate explain`.
    pub(crate) description: Option<String>,
    /// What a good answer contains; added to every finding's help and shown
    /// by `designgate explain`.
    pub(crate) help: Option<String>,
    /// A sample section (Markdown), shown by `designgate explain`.
    pub(crate) example: Option<String>,
    // Which sections satisfy the rule.
    /// Section rule: headings that satisfy the rule, compared after
    /// normalisation (case, leading numbering such as `3.2`, trailing
    /// punctuation, `-`/`_`/`/` and `&` vs `and` do not matter).
    pub(crate) headings: Option<Vec<String>>,
    /// Headings added to `headings`: in `[rules.<id>]`, extends the list an
    /// earlier pack gave instead of replacing it.
    pub(crate) extra_headings: Option<Vec<String>>,
    /// Section rule: regexes matched against the normalised, lower-case
    /// heading, such as `'\bslos?\b'`.
    pub(crate) heading_patterns: Option<Vec<HeadingPattern>>,
    // Or: a front-matter field rule.
    /// Field rule: the front-matter key to check; a dotted key such as
    /// `service.tier` reaches into maps. A rule checks either a field or a
    /// section, not both.
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub(crate) field: Option<Spanned<String>>,
    /// Field rule: the allowed values, compared by their text (`1` matches
    /// `1` and `"1"`); for a list, every item must be one of them.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<Vec<crate::schema::Scalar>>")
    )]
    pub(crate) one_of: Option<Vec<Spanned<toml::Value>>>,
    /// Field rule: a regex the value (every item, for a list) must match.
    pub(crate) value_pattern: Option<Pattern>,
    /// Field rule: the form the value must have.
    pub(crate) format: Option<FieldFormat>,
    /// Field rule: `true` makes an empty string, list or map a finding.
    pub(crate) non_empty: Option<bool>,
    // Or a link rule, or links checked in a section.
    /// `true`: relative links and images must point at files that exist in
    /// the repository (`broken-link`). On its own it makes a link rule for
    /// the whole document; on a section rule it checks the links in its
    /// sections.
    pub(crate) links: Option<bool>,
    /// `true`: a document without a matching section (or without the
    /// front-matter field) is a finding (`missing-section`,
    /// `missing-field`). Default `false`.
    pub(crate) required: Option<bool>,
    /// Severity of the rule's findings: `[defaults]`, else `warning`, if
    /// absent. Only `error` blocks a commit.
    pub(crate) severity: Option<Severity>,
    /// Section rule: prose words the section and its subsections need, fewer
    /// is `hollow-section`; 0 turns the check off. `[defaults]` if absent.
    pub(crate) min_words: Option<usize>,
    /// Section rule: placeholders that must not appear in the section
    /// (`placeholder`), after those of `[[defaults.forbid]]`. In
    /// `[rules.<id>]` it replaces the rule's list.
    pub(crate) forbid: Option<Vec<RawForbid>>,
    /// Section rule: a lone `None`, `No`, `Nothing` or `N/A` under the
    /// rule's own heading is a complete answer (the list it asks for is
    /// empty): neither a `placeholder` (for `scope = "section"` patterns)
    /// nor a `hollow-section`. Default `false`.
    pub(crate) none_answers: Option<bool>,
    /// Section rule: text the section must contain; a pattern that matches
    /// nothing is a `missing-detail` finding.
    pub(crate) require: Option<Vec<RawRequire>>,
    /// Section rule: sub-items the section must cover, each as a subsection
    /// or a mention (`missing-sub-item`).
    pub(crate) cover: Option<Vec<RawCover>>,
    /// Section rule: ids of section rules whose sections must come before
    /// this rule's section when both are present (`out-of-order`).
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<String>>"))]
    pub(crate) after: Option<Vec<Spanned<String>>>,
    /// Section rule: elements the section must contain (`missing-element`),
    /// such as a diagram in Architecture.
    pub(crate) contains: Option<Vec<RawContains>>,
    // Where and when it applies.
    /// The rule applies only to documents matching one of these globs.
    pub(crate) paths: Option<Vec<Glob>>,
    /// The rule does not apply to documents matching one of these globs.
    pub(crate) exclude_paths: Option<Vec<Glob>>,
    /// The rule applies only to documents whose front matter meets every
    /// condition.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::When>"))]
    pub(crate) when: Option<Spanned<RawWhen>>,
    /// `false`: documents cannot waive the rule (front-matter `waivers` or
    /// a `<!-- designgate: waive … -->` comment). Default `true`.
    pub(crate) waivable: Option<bool>,
    /// `[[rule.test]]`: example documents for this rule, run by
    /// `designgate test-rules`.
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<RawRuleTest>>"))]
    pub(crate) test: Option<Vec<Spanned<RawRuleTest>>>,
}

/// The form a front-matter field's value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum FieldFormat {
    /// An ISO 8601 calendar date, `YYYY-MM-DD`.
    Date,
    /// A list.
    List,
    /// A string (not a number, list or map).
    String,
}

/// Text that must not appear in a section: each match is a `placeholder`
/// finding.
#[derive(Debug, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "Forbid")
)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawForbid {
    /// Searched in the prose of the section and its subsections; case
    /// sensitive unless it starts with `(?i)`.
    pub(crate) pattern: Pattern,
    /// Added to the finding after a colon, such as "a placeholder is not an
    /// answer".
    pub(crate) message: Option<String>,
    /// Where the pattern is searched: `subtree` (the default) searches the
    /// matched section and its subsections that no other rule claims;
    /// `section` only the sections the rule itself matched, for answers like
    /// a lone `N/A` that reply to the nearest heading's question.
    #[serde(default)]
    pub(crate) scope: ForbidScope,
    /// Also search inline code spans and autolinks, for templates that write
    /// their placeholders in backticks (`` `<package>` ``). Off by default:
    /// `{{#with foo}}` or `context.TODO()` in backticks is code, not a
    /// placeholder.
    #[serde(default)]
    pub(crate) code: bool,
}

/// Where a `forbid` pattern is searched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ForbidScope {
    /// The matched section and its subsections that no other rule claims.
    #[default]
    Subtree,
    /// Only the sections whose heading the rule matched.
    Section,
}

/// Text that must appear in a section.
#[derive(Debug, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "Require")
)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRequire {
    /// Searched in the prose of the section and its subsections; case
    /// sensitive unless it starts with `(?i)`.
    pub(crate) pattern: Pattern,
    /// What is missing when nothing matches: "section `SLA` is incomplete:
    /// <message>".
    pub(crate) message: String,
}

/// A sub-item a section must cover: as a subsection with one of `headings`,
/// or as a mention matching one of `mentions`.
#[derive(Debug, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "Cover")
)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCover {
    /// The sub-item's name, used in messages.
    pub(crate) item: String,
    /// Subsection headings that cover the item, compared after
    /// normalisation like a rule's `headings`.
    #[serde(default)]
    pub(crate) headings: Vec<String>,
    /// Regexes: a match anywhere in the section's prose covers the item.
    #[serde(default)]
    pub(crate) mentions: Vec<Pattern>,
}

/// An element a section must contain.
#[derive(Debug, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "Contains")
)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawContains {
    /// The element kind, or a list of kinds any of which will do.
    pub(crate) element: Elements,
    /// For links and images: the destination must match; for code blocks:
    /// the language must match.
    pub(crate) target: Option<Pattern>,
    /// What to say when the section lacks the element.
    pub(crate) message: Option<String>,
}

/// `[[relax]]`: lowers the severity of rules for documents that match.
#[derive(Debug, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "Relax")
)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRelax {
    /// Applies to documents whose front matter meets every condition, such
    /// as `{ status = "draft" }`.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::When>"))]
    pub(crate) when: Option<Spanned<RawWhen>>,
    /// Applies to documents matching one of these globs.
    pub(crate) paths: Option<Vec<Glob>>,
    /// Rule ids; all rules when absent.
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<String>>"))]
    pub(crate) rules: Option<Vec<Spanned<String>>>,
    /// The highest severity the rules keep for matching documents:
    /// `warning` lets a draft be committed while gaps stay visible.
    pub(crate) max_severity: Severity,
}

/// `[[rule.test]]`: an example document for one rule.
#[derive(Debug, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "RuleTest"),
    // why: `pass` or `fail`, exactly one (checked in build.rs).
    schemars(extend("oneOf" = [{ "required": ["pass"] }, { "required": ["fail"] }]))
)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRuleTest {
    /// Shown by `designgate test-rules`; `pass #1`, `fail #2`, … if absent.
    pub(crate) name: Option<String>,
    /// A document that must produce no finding of this rule.
    pub(crate) pass: Option<String>,
    /// A document that must produce at least one finding of this rule.
    pub(crate) fail: Option<String>,
    /// With `fail`: the checks that must fire (e.g. `placeholder`).
    #[serde(default)]
    pub(crate) checks: Vec<String>,
    /// The document's repository-relative path, for `paths` and links;
    /// `design/example.md` if absent.
    pub(crate) path: Option<String>,
    /// Files that exist next to the document, for link rules.
    #[serde(default)]
    pub(crate) files: Vec<String>,
}

/// `[[test]]`: a whole document and the exact rules it must fail.
#[derive(Debug, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "DocTest")
)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDocTest {
    /// Shown by `designgate test-rules`.
    pub(crate) name: String,
    /// The example document (Markdown, front matter included).
    pub(crate) document: String,
    /// Ids of the rules it must fail, no more, no fewer; empty: it must pass.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    pub(crate) expect: Vec<Spanned<String>>,
    /// The document's repository-relative path, for `paths` and links;
    /// `design/example.md` if absent.
    pub(crate) path: Option<String>,
    /// Files that exist next to the document, for link rules.
    #[serde(default)]
    pub(crate) files: Vec<String>,
}

impl FieldFormat {
    /// The name as written in a pack.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldFormat::Date => "date",
            FieldFormat::List => "list",
            FieldFormat::String => "string",
        }
    }
}
