//! Which rules a heading satisfies, for every section rule at once.
//!
//! A [`HeadingIndex`] is built once per rule set: every alias, by its
//! [`key`](crate::heading::key), points at the rules that list it, and the
//! heading patterns are compiled into one [`RegexSet`] that finds, in one
//! pass over a heading, the few patterns worth running on their own. Matching
//! a document costs time per heading, not per rule × heading, and the result
//! holds only the matches.

use std::collections::HashMap;

use regex::{Regex, RegexSet, RegexSetBuilder};

use super::LazyRegex;

use super::{REGEX_DFA_SIZE_LIMIT, REGEX_SIZE_LIMIT, Rule, RuleKind};
use crate::heading::Heading;

/// The most memory the combined pattern set may compile to; beyond it
/// (thousands of large patterns) patterns are run one by one.
const SET_SIZE_LIMIT: usize = 32 * REGEX_SIZE_LIMIT;

/// Aliases and patterns of every section rule, for matching headings.
#[derive(Debug, Clone, Default)]
pub struct HeadingIndex {
    /// Alias key → indices of the rules that list it.
    by_key: HashMap<String, Vec<u32>>,
    /// Every heading pattern with its rule's index.
    patterns: Vec<(u32, LazyRegex)>,
    /// The patterns that `set` holds, by their position in `patterns`; the
    /// others are run on every heading.
    in_set: Vec<usize>,
    unset: Vec<usize>,
    set: Option<RegexSet>,
    /// Whether [`HeadingIndex::may_match`] can rule headings out: no heading
    /// patterns, and every alias key ASCII and of three bytes or more.
    shortcut: bool,
    /// The first one, two and three bytes of every alias key
    /// ([`prefix_code`]), sorted.
    prefixes: Vec<u32>,
}

impl HeadingIndex {
    pub fn new(rules: &[Rule]) -> Self {
        let mut index = HeadingIndex::default();
        for (r, rule) in rules.iter().enumerate() {
            if rule.kind != RuleKind::Section {
                continue;
            }
            let Ok(r) = u32::try_from(r) else { break };
            for key in &rule.aliases {
                let rules = index.by_key.entry(key.clone()).or_default();
                if rules.last() != Some(&r) {
                    rules.push(r);
                }
            }
            for p in &rule.heading_patterns {
                index.patterns.push((r, p.clone()));
            }
        }
        // why: a pattern with upper-case letters was compiled case-folding
        // (see `HeadingPattern`); the set compiles sources as written, so
        // it holds only the patterns for which that is the same regex.
        let (folded, plain): (Vec<usize>, Vec<usize>) = (0..index.patterns.len())
            .partition(|&i| index.patterns[i].1.as_str().chars().any(char::is_uppercase));
        if !plain.is_empty() {
            index.set = RegexSetBuilder::new(plain.iter().map(|&i| index.patterns[i].1.as_str()))
                .size_limit(SET_SIZE_LIMIT)
                .dfa_size_limit(SET_SIZE_LIMIT.max(REGEX_DFA_SIZE_LIMIT))
                .build()
                .ok();
        }
        index.prepare_shortcut();
        if index.set.is_some() {
            index.in_set = plain;
            index.unset = folded;
        } else {
            index.unset = (0..index.patterns.len()).collect();
        }
        index
    }

    /// Whether a heading whose words (as [`crate::markdown::Section::
    /// title_words`] has them) are `words` may satisfy some rule: `false`
    /// means [`HeadingIndex::matches`] would find none, so the heading need
    /// not be prepared.
    ///
    /// why: preparing a heading (normalising, splitting it into parts,
    /// stemming) was a fifth of a run with a headings-only pack, and most
    /// headings of a document satisfy no rule. An alias key is the stems of
    /// a part's words run together, and a stem keeps its word's first three
    /// letters (its first two, for a few `-ies` and `-ing` words; a word of
    /// three letters or fewer is its own stem), so a key can only match a
    /// heading one of whose words starts as the key does. Only for ASCII
    /// headings and aliases alone: heading patterns (regexes) are not
    /// read this way, and a set with any answers `true`.
    pub fn may_match(&self, words: &str) -> bool {
        if !self.shortcut || !words.is_ascii() {
            return true;
        }
        let bytes = words.as_bytes();
        if bytes.contains(&b'&') && self.may_start(b"and") {
            return true;
        }
        bytes
            .split(|b| !b.is_ascii_alphanumeric())
            .any(|w| !w.is_empty() && self.may_start(w))
    }

    /// Sets up [`HeadingIndex::may_match`] from the alias keys and patterns.
    fn prepare_shortcut(&mut self) {
        self.shortcut =
            self.patterns.is_empty() && self.by_key.keys().all(|k| k.is_ascii() && k.len() >= 3);
        self.prefixes.clear();
        if self.shortcut {
            let keys = self.by_key.keys().map(String::as_bytes);
            self.prefixes = keys
                .flat_map(|k| (1..=3).map(|n| prefix_code(&k[..n])))
                .collect();
            self.prefixes.sort_unstable();
            self.prefixes.dedup();
        }
    }

    /// Whether the stem of `word` (ASCII) may start an alias key: see
    /// [`HeadingIndex::may_match`] and [`crate::heading::stem`].
    fn may_start(&self, word: &[u8]) -> bool {
        let known = |prefix: &[u8]| self.prefixes.binary_search(&prefix_code(prefix)).is_ok();
        if word.len() <= 3 {
            return known(word);
        }
        // `-ies` becomes `-y` ("aries" → "ary"), and `-ing` after a doubled
        // consonant loses one ("abbing" → "ab"): two letters are kept then.
        let ends = |end: &[u8]| {
            word.len() >= end.len() && word[word.len() - end.len()..].eq_ignore_ascii_case(end)
        };
        known(&word[..3]) || (ends(b"ies") || ends(b"ing") || ends(b"ings")) && known(&word[..2])
    }

    /// The indices of the rules (section rules of the set it was built from)
    /// that `heading` satisfies, ascending, into `out` (cleared first).
    pub fn matches(&self, heading: &Heading, out: &mut Vec<u32>) {
        out.clear();
        for key in &heading.keys {
            if let Some(rules) = self.by_key.get(key) {
                out.extend(rules);
            }
        }
        if !self.patterns.is_empty() {
            for text in heading.pattern_candidates() {
                let mut check = |i: usize| {
                    let (rule, re) = &self.patterns[i];
                    if word_match(re, text) {
                        out.push(*rule);
                    }
                };
                if let Some(set) = &self.set {
                    for j in set.matches(text).iter() {
                        check(self.in_set[j]);
                    }
                }
                self.unset.iter().for_each(|&i| check(i));
            }
        }
        out.sort_unstable();
        out.dedup();
    }
}

/// Up to three ASCII bytes, lower case, with their count, as one number.
fn prefix_code(bytes: &[u8]) -> u32 {
    bytes.iter().take(3).fold(0u32, |code, b| {
        code << 8 | u32::from(b.to_ascii_lowercase())
    }) | (bytes.len().min(3) as u32) << 24
}

/// Whether `re` matches `text` on whole words: some match neither starts
/// nor ends inside a word (`\bauth` finds nothing in "authorization", and
/// `resilien` nothing in "resiliency").
pub fn word_match(re: &Regex, text: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let edge = |i: usize| !(word(text[..i].chars().next_back()) && word(text[i..].chars().next()));
    re.find_iter(text).any(|m| edge(m.start()) && edge(m.end()))
}

#[cfg(test)]
mod tests {
    use super::{HeadingIndex, word_match};
    use crate::heading::stem;
    use regex::Regex;

    /// A key made from a word's stem (then anything) is never ruled out by
    /// that word.
    #[test]
    fn a_word_may_start_every_key_its_stem_starts() {
        let words = [
            "a",
            "ci",
            "api",
            "aries",
            "dies",
            "ties",
            "policies",
            "abbing",
            "abbings",
            "bettings",
            "case",
            "logs",
            "scale",
            "scaling",
            "testing",
            "tests",
            "classes",
            "sses",
            "status",
            "basis",
            "bus",
            "goals",
            "non",
            "and",
            "ageing",
            "running",
            "dependencies",
            "ing",
            "ings",
            "xxing",
            "rollout",
            "release",
            "summary",
            "v1",
            "k8s",
            "cpu",
            "used",
            "Tests",
            "ABBINGS",
        ];
        for w in words {
            let s = stem(&w.to_lowercase());
            for rest in ["", "x", "signoffchecklist", "y", "yy"] {
                let key = format!("{s}{rest}");
                if key.len() < 3 {
                    continue;
                }
                let index = index_of(&[&key]);
                assert!(
                    index.may_match(w),
                    "{w:?} (stem {s:?}) ruled out key {key:?}"
                );
                assert!(
                    index.may_match(&format!("The {w} here")),
                    "{w:?} in a heading"
                );
            }
        }
        let index = index_of(&["summary", "release"]);
        assert!(!index.may_match("Goals"));
        assert!(!index.may_match("Risks and Mitigations"));
        assert!(index.may_match("Summaries"));
        assert!(index.may_match("\u{FFFC} only")); // a code span: not ASCII
        assert!(index_of(&["andor"]).may_match("Q & A"));
        assert!(index_of(&["ab"]).may_match("anything")); // a short key
    }

    fn index_of(keys: &[&str]) -> HeadingIndex {
        let mut index = HeadingIndex::default();
        for k in keys {
            index.by_key.insert((*k).to_owned(), vec![0]);
        }
        index.prepare_shortcut();
        index
    }

    #[test]
    fn patterns_match_whole_words() {
        let re = |p: &str| Regex::new(p).unwrap_or_else(|e| panic!("{e}"));
        assert!(word_match(&re("auth"), "auth and tokens"));
        assert!(!word_match(
            &re("auth"),
            "authorization server interceptors"
        ));
        assert!(!word_match(&re("resilienc"), "go resiliency breaker"));
        assert!(word_match(&re("resilienc(?:e|y)"), "go resiliency breaker"));
        assert!(!word_match(&re("^benchmark"), "benchmarking"));
        // A later match counts when the first one is inside a word.
        assert!(word_match(&re("test"), "attest and test"));
    }
}
