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
        if index.set.is_some() {
            index.in_set = plain;
            index.unset = folded;
        } else {
            index.unset = (0..index.patterns.len()).collect();
        }
        index
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
    use super::word_match;
    use regex::Regex;

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
