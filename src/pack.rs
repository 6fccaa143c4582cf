//! Rule packs: the TOML format maintainers write (raw serde types, strict) and
//! the compiled form checks see ([`Rule`], [`RuleSet`]).
//!
//! Parsing happens in two phases. Deserialisation rejects unknown keys, wrong
//! types and invalid regexes with the TOML span of the offending value;
//! compilation then validates what serde cannot see (unknown areas, duplicate
//! ids) using `toml::Spanned` positions. Either way the error names the file,
//! line and column. The reference for this format is `docs/rules.md`.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Deserializer, Serialize};
use toml::Spanned;

use crate::error::Error;
use crate::heading::normalize;

/// The packs compiled into the binary, by name.
pub const BUILTIN_PACKS: &[(&str, &str)] = &[(
    "production-readiness",
    include_str!("../rules/production-readiness.toml"),
)];

/// The pack used when no configuration names one.
pub const DEFAULT_PACK: &str = "production-readiness";

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
const REGEX_SIZE_LIMIT: usize = 1 << 20;
const REGEX_DFA_SIZE_LIMIT: usize = 1 << 21;

/// A regex that was compiled while the TOML was deserialised, so that an
/// invalid pattern is reported at its position in the file.
#[derive(Debug, Clone)]
pub struct Pattern(pub Regex);

impl Pattern {
    fn compile(source: &str, case_insensitive: bool) -> Result<Self, String> {
        RegexBuilder::new(source)
            .case_insensitive(case_insensitive)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_DFA_SIZE_LIMIT)
            .build()
            .map(Pattern)
            .map_err(|e| {
                // The regex crate's message quotes the pattern over several
                // lines; its last line says what is wrong.
                let text = e.to_string();
                let why = text.lines().last().unwrap_or_default();
                let why = why.trim().trim_start_matches("error: ");
                format!("invalid regex `{source}`: {why}")
            })
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Pattern::compile(&s, false).map_err(serde::de::Error::custom)
    }
}

/// A heading regex: matched against the normalised (lower-case) heading, so
/// it behaves as if case-insensitive.
#[derive(Debug, Clone)]
struct HeadingPattern(Regex);

impl<'de> Deserialize<'de> for HeadingPattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        // why: the heading is already lower case, so a pattern without
        // upper-case letters matches the same with or without case folding;
        // case folding multiplies the literal alternatives the regex crate
        // builds prefilters from, which doubled designgate's start-up time.
        let fold = s.chars().any(char::is_uppercase);
        Pattern::compile(&s, fold)
            .map(|p| HeadingPattern(p.0))
            .map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------
// Raw, strict serde types.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    #[expect(dead_code, reason = "validated metadata, not shown yet")]
    pack: RawPackMeta,
    #[serde(default)]
    defaults: RawDefaults,
    #[serde(default)]
    area: Vec<RawArea>,
    #[serde(default)]
    rule: Vec<RawRule>,
}

/// `[pack]`: required so that a pack file says what it is; not shown yet.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "validated metadata; `designgate rules` does not show it yet"
)]
struct RawPackMeta {
    name: String,
    #[serde(default)]
    description: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    severity: Option<Severity>,
    min_words: Option<usize>,
    #[serde(default)]
    forbid: Vec<RawForbid>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArea {
    id: Spanned<String>,
    title: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    area: Spanned<String>,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    help: String,
    #[serde(default)]
    example: String,
    #[serde(default)]
    headings: Vec<String>,
    #[serde(default)]
    heading_patterns: Vec<HeadingPattern>,
    #[serde(default)]
    required: bool,
    severity: Option<Severity>,
    min_words: Option<usize>,
    #[serde(default)]
    forbid: Vec<RawForbid>,
    #[serde(default)]
    require: Vec<RawRequire>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForbid {
    pattern: Pattern,
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequire {
    pattern: Pattern,
    message: String,
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
}

/// Text that must appear in a section, and what to say when it does not.
#[derive(Debug, Clone)]
pub struct Require {
    pub pattern: Pattern,
    pub message: String,
}

/// A compiled section rule: everything a check needs, nothing it must parse.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    /// Index into [`RuleSet::areas`].
    pub area: usize,
    pub title: String,
    pub description: String,
    pub help: String,
    pub example: String,
    /// Aliases as written, for messages.
    pub headings: Vec<String>,
    /// Aliases normalised with [`normalize`].
    aliases: Vec<String>,
    heading_patterns: Vec<Regex>,
    pub required: bool,
    pub severity: Severity,
    /// The severity the pack gave, before configuration overrides.
    pub pack_severity: Severity,
    pub min_words: usize,
    pub forbid: Vec<Forbid>,
    pub require: Vec<Require>,
    /// The pack the rule came from: a built-in name or a file path.
    pub origin: String,
}

impl Rule {
    /// Whether a heading (already normalised) satisfies this rule.
    pub fn matches_heading(&self, normalized: &str) -> bool {
        self.aliases.iter().any(|a| a == normalized)
            || self.heading_patterns.iter().any(|p| p.is_match(normalized))
    }

    /// The heading patterns as written.
    pub fn heading_patterns(&self) -> impl Iterator<Item = &str> {
        self.heading_patterns.iter().map(Regex::as_str)
    }
}

/// All active rules, from every pack, in pack order.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub areas: Vec<Area>,
    pub rules: Vec<Rule>,
}

impl RuleSet {
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn area_of(&self, rule: &Rule) -> &Area {
        &self.areas[rule.area]
    }

    /// Adds a pack. `path` and `text` are used for error positions; `origin`
    /// is what `designgate rules` shows as the rule's source.
    pub fn add_pack(&mut self, path: &Path, text: &str, origin: &str) -> Result<(), Error> {
        let raw: RawPack = toml::from_str(text)
            .map_err(|e| Error::config_at(path, text, e.span(), e.message().trim()))?;
        let err = |span: std::ops::Range<usize>, msg: String| {
            Error::config_at(path, text, Some(span), msg)
        };

        let mut area_index: HashMap<String, usize> = self
            .areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        for area in raw.area {
            check_id(&area.id).map_err(|m| err(area.id.span(), m))?;
            if let Some(&i) = area_index.get(area.id.get_ref()) {
                // Packs may share areas; a later pack may not silently retitle one.
                if self.areas[i].title != area.title {
                    return Err(err(
                        area.id.span(),
                        format!(
                            "area `{}` is already defined with title {:?}",
                            area.id.get_ref(),
                            self.areas[i].title
                        ),
                    ));
                }
                continue;
            }
            area_index.insert(area.id.get_ref().clone(), self.areas.len());
            self.areas.push(Area {
                id: area.id.into_inner(),
                title: area.title,
            });
        }

        let defaults = raw.defaults;
        for rule in raw.rule {
            check_id(&rule.id).map_err(|m| err(rule.id.span(), m))?;
            if rule.id.get_ref() == crate::lint::DOCUMENT_RULE {
                return Err(err(
                    rule.id.span(),
                    "the rule id `document` is reserved for findings about the file itself".into(),
                ));
            }
            if let Some(existing) = self.rule(rule.id.get_ref()) {
                return Err(err(
                    rule.id.span(),
                    format!(
                        "duplicate rule id `{}` (already defined by {})",
                        rule.id.get_ref(),
                        existing.origin
                    ),
                ));
            }
            let Some(&area) = area_index.get(rule.area.get_ref()) else {
                let known: Vec<_> = self.areas.iter().map(|a| format!("`{}`", a.id)).collect();
                return Err(err(
                    rule.area.span(),
                    format!(
                        "unknown area `{}`, expected one of {}",
                        rule.area.get_ref(),
                        known.join(", ")
                    ),
                ));
            };
            if rule.headings.is_empty() && rule.heading_patterns.is_empty() {
                return Err(err(
                    rule.id.span(),
                    format!(
                        "rule `{}` lists no `headings` and no `heading_patterns`, so no section can satisfy it",
                        rule.id.get_ref()
                    ),
                ));
            }
            let severity = rule
                .severity
                .or(defaults.severity)
                .unwrap_or(Severity::Warning);
            let forbid = defaults
                .forbid
                .iter()
                .map(|f| Forbid {
                    pattern: f.pattern.clone(),
                    message: f.message.clone(),
                })
                .chain(rule.forbid.into_iter().map(|f| Forbid {
                    pattern: f.pattern,
                    message: f.message,
                }))
                .collect();
            self.rules.push(Rule {
                id: rule.id.into_inner(),
                area,
                title: rule.title,
                description: rule.description.trim().to_owned(),
                help: rule.help.trim().to_owned(),
                example: rule.example.trim_matches('\n').to_owned(),
                aliases: rule.headings.iter().map(|h| normalize(h)).collect(),
                headings: rule.headings,
                heading_patterns: rule.heading_patterns.into_iter().map(|p| p.0).collect(),
                required: rule.required,
                severity,
                pack_severity: severity,
                min_words: rule.min_words.or(defaults.min_words).unwrap_or(0),
                forbid,
                require: rule
                    .require
                    .into_iter()
                    .map(|r| Require {
                        pattern: r.pattern,
                        message: r.message,
                    })
                    .collect(),
                origin: origin.to_owned(),
            });
        }
        Ok(())
    }
}

fn check_id(id: &Spanned<String>) -> Result<(), String> {
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

    #[test]
    fn builtin_packs_compile() {
        for (name, text) in BUILTIN_PACKS {
            let mut set = RuleSet::default();
            set.add_pack(Path::new(name), text, name)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!set.rules.is_empty());
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
        assert!(rule.matches_heading(&normalize("3.1 Service level Agreement:")));
        assert!(rule.matches_heading(&normalize("Our SLOs")));
        assert!(!rule.matches_heading(&normalize("Slowness")));
    }
}
