//! Which rules a heading satisfies, for every section rule at once.
//!
//! A [`HeadingIndex`] is built once per rule set: every alias, by its
//! [`key`](crate::heading::key), points at the rules that list it, and the
//! heading patterns are compiled into one [`RegexSet`] that finds, in one
//! pass over a heading, the few patterns worth running on their own. Matching
//! a document costs time per heading, not per rule × heading, and the result
//! holds only the matches.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use regex::{Regex, RegexSet, RegexSetBuilder};

use super::LazyRegex;

use super::{REGEX_DFA_SIZE_LIMIT, REGEX_SIZE_LIMIT, Rule, RuleKind};
use crate::heading::Heading;

/// The most memory the combined pattern set may compile to; beyond it
/// (thousands of large patterns) patterns are run one by one.
const SET_SIZE_LIMIT: usize = 32 * REGEX_SIZE_LIMIT;

/// The longest heading (in bytes of its words) whose answer
/// [`HeadingIndex::matches_words`] remembers.
pub const REMEMBERED_HEADING_BYTES: usize = 160;

/// How many headings [`HeadingIndex::matches_words`] remembers the answer
/// of at most: about 2 MB at most (a key of up to 160 bytes and a few rule
/// indices each).
pub const REMEMBERED_HEADINGS: usize = 8192;

/// Aliases and patterns of every section rule, for matching headings.
#[derive(Debug, Clone, Default)]
pub struct HeadingIndex {
    /// Alias key → indices of the rules that list it.
    by_key: HashMap<String, Vec<u32>>,
    /// Every heading pattern with its rule's index.
    patterns: Vec<(u32, LazyRegex)>,
    /// The patterns in sets, compiled once [`SET_AFTER`] pattern runs were
    /// matched; `None` inside when they exceed the size limits.
    set: std::sync::OnceLock<Option<PatternSet>>,
    /// How many headings [`HeadingIndex::matches`] has matched.
    asked: Asked,
    /// Whether [`HeadingIndex::may_match`] can rule headings out: no heading
    /// patterns, and every alias key of three or more ASCII letters and
    /// digits.
    shortcut: bool,
    /// The first one, two and three bytes of every alias key, as bits
    /// ([`prefix_bit`]).
    prefixes: Vec<u64>,
    /// The answers of [`HeadingIndex::matches_words`], by heading words.
    answers: Answers,
}

/// The heading patterns in [`RegexSet`]s, which tell in one pass each
/// which of them can match a heading at all.
#[derive(Debug, Clone)]
struct PatternSet {
    /// Each set with the patterns it holds, by their position in
    /// `patterns`: those anchored at the start (`^…`), then the others.
    ///
    /// why: apart, the two sets' lazy DFAs stay small; in one set, each
    /// state paired the anchored patterns' progress with the others', and
    /// building states was most of matching the headings a run had not
    /// seen (the built-in pack on the KEPs' 7,640 new parts: 4.3 ms in one
    /// set, 2.8 ms in two).
    sets: Vec<(RegexSet, Vec<usize>)>,
    /// The patterns in no set, run on every heading.
    unset: Vec<usize>,
}

/// After how many pattern runs (headings matched times patterns)
/// [`HeadingIndex::matches`] compiles the patterns into sets: before
/// that, each pattern runs on each heading.
///
/// why: the set costs about as much to compile as its patterns, which are
/// compiled anyway (each one confirms the set's answer on whole words), and
/// a commit checks one document of a few dozen headings: in the hook, the
/// set was a millisecond of compiling that the run waited on. Counted in
/// runs rather than headings, so that a pack of thousands of patterns gets
/// its set after a heading or two, and the runs before it stay few.
const SET_AFTER: usize = 4096;

/// A count that a copy of the index starts again.
#[derive(Debug, Default)]
struct Asked(std::sync::atomic::AtomicUsize);

impl Clone for Asked {
    fn clone(&self) -> Self {
        Asked::default()
    }
}

/// Remembered answers: each heading's words, and the rules it satisfies.
#[derive(Debug, Default)]
struct Answers(Mutex<HashMap<Box<str>, Box<[u32]>>>);

impl Clone for Answers {
    /// Empty: what a copy of the index would remember, it learns again.
    fn clone(&self) -> Self {
        Answers::default()
    }
}

impl Answers {
    fn lock(&self) -> MutexGuard<'_, HashMap<Box<str>, Box<[u32]>>> {
        // A panic while holding it leaves whole entries only.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
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
        index.prepare_shortcut();
        index
    }

    /// The patterns in sets (built on first use), or `None` when none
    /// can be in one or they exceed the size limits.
    fn pattern_set(&self) -> Option<&PatternSet> {
        self.set
            .get_or_init(|| {
                // why: a pattern with upper-case letters was compiled
                // case-folding (see `HeadingPattern`); the set compiles
                // sources as written, so it holds only the patterns for
                // which that is the same regex.
                let (unset, in_set): (Vec<usize>, Vec<usize>) = (0..self.patterns.len())
                    .partition(|&i| self.patterns[i].1.as_str().chars().any(char::is_uppercase));
                if in_set.is_empty() {
                    return None;
                }
                let (anchored, rest): (Vec<usize>, Vec<usize>) = in_set
                    .into_iter()
                    .partition(|&i| self.patterns[i].1.as_str().starts_with('^'));
                let groups: Vec<Vec<usize>> = [anchored, rest]
                    .into_iter()
                    .filter(|g| !g.is_empty())
                    .collect();
                // Each of n sets gets an n-th of the limits, so that they
                // take no more memory than one set did; when that is not
                // enough for one of them, the patterns go into one set.
                let build = |members: &[usize], n: usize| {
                    RegexSetBuilder::new(members.iter().map(|&i| self.patterns[i].1.as_str()))
                        .size_limit(SET_SIZE_LIMIT / n)
                        .dfa_size_limit(SET_SIZE_LIMIT.max(REGEX_DFA_SIZE_LIMIT) / n)
                        .build()
                        .ok()
                };
                let sets = match groups
                    .iter()
                    .map(|g| build(g, groups.len()))
                    .collect::<Option<Vec<RegexSet>>>()
                {
                    Some(sets) => sets.into_iter().zip(groups).collect(),
                    None if groups.len() > 1 => {
                        let all = groups.concat();
                        vec![(build(&all, 1)?, all)]
                    }
                    None => return None,
                };
                Some(PatternSet { sets, unset })
            })
            .as_ref()
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
        if !self.shortcut {
            return true;
        }
        // why: one pass over the bytes (a non-ASCII byte, an `&` or a word
        // that may start a key each answers `true`); it ran on every heading
        // of every document, and three passes (ASCII, `&`, words) were a
        // twentieth of a run with a headings-only pack.
        let bytes = words.as_bytes();
        let mut start = None;
        for (i, &b) in bytes.iter().enumerate() {
            let digit = DIGITS[usize::from(b)];
            if digit < 36 {
                start.get_or_insert(i);
                continue;
            }
            if digit == NOT_ASCII || (b == b'&' && self.may_start(b"and")) {
                return true;
            }
            if let Some(s) = start.take()
                && self.may_start(&bytes[s..i])
            {
                return true;
            }
        }
        start.is_some_and(|s| self.may_start(&bytes[s..]))
    }

    /// [`HeadingIndex::may_match`] as first written (three passes), for
    /// the tests.
    #[cfg(test)]
    fn may_match_plain(&self, words: &str) -> bool {
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
        // An alias key is made of letters and digits; any other (ASCII)
        // byte has no bit, and turns the shortcut off.
        self.shortcut = self.patterns.is_empty()
            && self
                .by_key
                .keys()
                .all(|k| k.len() >= 3 && k.bytes().all(|b| b.is_ascii_alphanumeric()));
        self.prefixes.clear();
        if self.shortcut {
            self.prefixes = vec![0; PREFIX_BITS.div_ceil(64)];
            for k in self.by_key.keys().map(String::as_bytes) {
                for bit in (1..=3).filter_map(|n| prefix_bit(&k[..n])) {
                    self.prefixes[bit / 64] |= 1 << (bit % 64);
                }
            }
        }
    }

    /// Whether the stem of `word` (ASCII) may start an alias key: see
    /// [`HeadingIndex::may_match`] and [`crate::heading::stem`].
    fn may_start(&self, word: &[u8]) -> bool {
        let known = |prefix: &[u8]| {
            prefix_bit(prefix)
                .and_then(|bit| {
                    self.prefixes
                        .get(bit / 64)
                        .map(|w| w >> (bit % 64) & 1 == 1)
                })
                .unwrap_or(true)
        };
        if word.len() <= 3 {
            return known(word);
        }
        // `-ies` becomes `-y` ("aries" → "ary"), and `-ing` after a doubled
        // consonant loses one ("abbing" → "ab"): two letters are kept then.
        let ends = |end: &[u8]| {
            word.len() >= end.len() && word[word.len() - end.len()..].eq_ignore_ascii_case(end)
        };
        known(&word[..3]) || known(&word[..2]) && (ends(b"ies") || ends(b"ing") || ends(b"ings"))
    }

    /// The indices of the rules (section rules of the set it was built from)
    /// that a heading whose words (as [`crate::markdown::Section::
    /// title_words`] has them) are `words` satisfies, ascending, into `out`
    /// (cleared first): [`HeadingIndex::matches`] of [`Heading::new`], or
    /// nothing for a heading that is not one.
    ///
    /// why: documents written from one template repeat its headings
    /// (hundreds of KEPs ask the same Production Readiness questions), and
    /// the answer depends on nothing but the words and this index, so it is
    /// remembered: a repeated heading is neither prepared nor matched again
    /// (preparing a heading and running the patterns on its parts were a
    /// sixth of a run with the built-in pack). Bounded: headings of at most
    /// [`REMEMBERED_HEADING_BYTES`], and at most [`REMEMBERED_HEADINGS`] of
    /// them (the first ones seen; later ones are matched each time).
    pub fn matches_words(&self, words: &str, out: &mut Vec<u32>) {
        out.clear();
        if (self.by_key.is_empty() && self.patterns.is_empty()) || !self.may_match(words) {
            return;
        }
        let remember = words.len() <= REMEMBERED_HEADING_BYTES;
        if remember && let Some(rules) = self.answers.lock().get(words) {
            out.extend_from_slice(rules);
            return;
        }
        if let Some(heading) = Heading::new(words) {
            self.matches(&heading, out);
        }
        if remember {
            let mut answers = self.answers.lock();
            if answers.len() < REMEMBERED_HEADINGS {
                answers.insert(words.into(), out.as_slice().into());
            }
        }
    }

    /// How many headings' answers [`HeadingIndex::matches_words`] holds.
    #[cfg(test)]
    fn remembered(&self) -> usize {
        self.answers.lock().len()
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
            // Counted only until the set is built: after that, every
            // thread would otherwise touch the shared count per heading.
            let set = match self.set.get() {
                Some(set) => set.as_ref(),
                None => {
                    let asked = self
                        .asked
                        .0
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if asked.saturating_mul(self.patterns.len()) >= SET_AFTER {
                        self.pattern_set()
                    } else {
                        None
                    }
                }
            };
            for text in heading.pattern_candidates() {
                let mut check = |i: usize| {
                    let (rule, re) = &self.patterns[i];
                    if word_match(re, text) {
                        out.push(*rule);
                    }
                };
                // The set only rules out patterns that do not match at all;
                // each one left decides on whole words. Without the set,
                // every pattern decides.
                match set {
                    Some(p) => {
                        for (set, members) in &p.sets {
                            for j in set.matches(text).iter() {
                                check(members[j]);
                            }
                        }
                        p.unset.iter().for_each(|&i| check(i));
                    }
                    None => (0..self.patterns.len()).for_each(check),
                }
            }
        }
        out.sort_unstable();
        out.dedup();
    }
}

/// How many prefixes [`prefix_bit`] numbers: every run of one, two or three
/// of the 36 ASCII letters (either case) and digits.
const PREFIX_BITS: usize = 36 + 36 * 36 + 36 * 36 * 36;

/// The number of a prefix of one to three ASCII letters (either case) or
/// digits, below [`PREFIX_BITS`]: `None` for anything else.
///
/// why: a bit per prefix (6 KB) answers [`HeadingIndex::may_match`] for a
/// word in one look-up, where a binary search of the keys' prefixes took a
/// few; it ran on every word of every heading.
fn prefix_bit(bytes: &[u8]) -> Option<usize> {
    let digit = |b: &u8| {
        Some(DIGITS[usize::from(*b)])
            .filter(|&d| d < 36)
            .map(usize::from)
    };
    let offset = match bytes.len() {
        1 => 0,
        2 => 36,
        3 => 36 + 36 * 36,
        _ => return None,
    };
    bytes
        .iter()
        .try_fold(0usize, |n, b| Some(n * 36 + digit(b)?))
        .map(|n| offset + n)
}

/// [`DIGITS`] of an ASCII byte that is no letter or digit.
const NOT_DIGIT: u8 = 36;

/// [`DIGITS`] of a byte that is not ASCII.
const NOT_ASCII: u8 = 37;

/// Each byte's number in [`prefix_bit`]'s numbering: 0 to 9 for the
/// digits, 10 to 35 for the letters of either case; [`NOT_DIGIT`] for any
/// other ASCII byte, [`NOT_ASCII`] for the rest.
///
/// why: one look-up per byte in [`HeadingIndex::may_match`], which reads
/// every byte of every heading, where comparing with the three ranges
/// took a few branches.
const DIGITS: [u8; 256] = {
    let mut digits = [NOT_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        // Base 36 is exactly the numbering: the test spells it out.
        digits[b] = match (b as u8 as char).to_digit(36) {
            Some(d) => d as u8,
            None => NOT_DIGIT,
        };
        b += 1;
    }
    digits
};

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
    use super::{
        HeadingIndex, REMEMBERED_HEADING_BYTES, REMEMBERED_HEADINGS, SET_AFTER, word_match,
    };
    use crate::heading::{Heading, stem};
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

    /// A remembered answer is the answer: the same as preparing the heading
    /// and matching it, first time and again, for headings long and short,
    /// and the index remembers no more than its bound.
    #[test]
    fn a_remembered_answer_is_the_answer() {
        let mut pack = String::from("[pack]\nname = \"t\"\n");
        for (id, alias, pattern) in [
            ("risks", "Risks and mitigations", "^risk"),
            ("test", "Test plan", "\\btest(?:ing)?\\b"),
            ("slo", "SLO", "Service[- ]level"),
        ] {
            pack.push_str(&format!(
                "[[rule]]\nid = \"{id}\"\ntitle = \"{id}\"\nheadings = [\"{alias}\"]\n\
                 heading_patterns = ['{pattern}']\n"
            ));
        }
        let mut set = crate::pack::RuleSet::default();
        set.add_pack(std::path::Path::new("t.toml"), &pack, "t.toml")
            .unwrap_or_else(|e| panic!("{e}"));
        let index = HeadingIndex::new(&set.rules);
        let long = format!(
            "Risks and {}",
            "mitigations ".repeat(REMEMBERED_HEADING_BYTES / 8)
        );
        let headings = [
            "Risks and Mitigations",
            "3.2. Service-Level Agreement:",
            "Unit and load testing",
            "`foo` and `bar`",
            "",
            "How can an operator determine if the feature is in use by workloads?",
            "SLOs (service level objectives)",
            long.as_str(),
        ];
        let (mut got, mut want, mut matched) = (Vec::new(), Vec::new(), 0);
        for round in 0..2 {
            for h in headings {
                index.matches_words(h, &mut got);
                want.clear();
                if let Some(heading) = Heading::new(h) {
                    index.matches(&heading, &mut want);
                }
                assert_eq!(got, want, "{h:?}, round {round}");
                matched += usize::from(!got.is_empty());
            }
        }
        assert!(matched >= 2 * 3, "{matched}: {headings:?}");
        // The long one is not remembered.
        assert_eq!(index.remembered(), headings.len() - 1);
        for n in 0..REMEMBERED_HEADINGS + 100 {
            index.matches_words(&format!("Risk {n}"), &mut got);
            assert_eq!(got, [0], "Risk {n}");
        }
        assert_eq!(index.remembered(), REMEMBERED_HEADINGS);
        // A copy of the index starts empty and answers the same.
        let copy = index.clone();
        assert_eq!(copy.remembered(), 0);
        copy.matches_words("Unit and load testing", &mut got);
        assert_eq!(got, [1]);
    }

    /// The built-in pack's heading patterns, on headings of the corpus's
    /// kinds: the same answers before the patterns are compiled into one
    /// set ([`SET_AFTER`] pattern runs) as after, and with the set built.
    #[test]
    fn answers_are_the_same_with_and_without_the_pattern_set() {
        let mut rules = crate::pack::RuleSet::default();
        rules
            .add_pack(
                std::path::Path::new("production-readiness"),
                crate::pack::builtin("production-readiness").unwrap_or_default(),
                "production-readiness",
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let headings = [
            "Why",
            "Motivation",
            "Background and motivation",
            "SLA",
            "Service-level objectives",
            "Scalability",
            "Will enabling the feature increase resource usage?",
            "Alerting",
            "Monitoring requirements",
            "Load testing",
            "Unit tests",
            "Security considerations",
            "Rollout plan",
            "Graduation criteria",
            "Architecture",
            "Design details",
            "Costs",
            "Dependencies",
            "Why now?",
            "Problem statement",
            "Test Plan",
            "Alternatives",
            "Observability and logging",
            "Fair usage",
            "Rate limits",
            "Availability and scalability",
        ];
        let cold = HeadingIndex::new(&rules.rules);
        let warm = HeadingIndex::new(&rules.rules);
        assert!(!warm.patterns.is_empty());
        warm.asked
            .0
            .store(SET_AFTER, std::sync::atomic::Ordering::Relaxed);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let mut matched = 0;
        for h in headings {
            let Some(heading) = Heading::new(h) else {
                continue;
            };
            cold.asked.0.store(0, std::sync::atomic::Ordering::Relaxed);
            cold.matches(&heading, &mut a);
            warm.matches(&heading, &mut b);
            assert_eq!(a, b, "{h:?}");
            matched += usize::from(!a.is_empty());
        }
        // The anchored patterns in one set, the others in another.
        assert!(
            warm.set
                .get()
                .and_then(Option::as_ref)
                .is_some_and(|p| p.sets.len() == 2 && p.unset.is_empty())
        );
        assert!(cold.set.get().is_none());
        assert!(matched >= headings.len() - 3, "{matched}");
    }

    /// What the index answers for a heading (remembered or not, after the
    /// one-pass [`HeadingIndex::may_match`] and the shortcuts of
    /// [`Heading::new`]) is what asking each rule on its own gives of the
    /// heading prepared the plain way: on each built-in pack, on a pack of
    /// their aliases alone (which rules headings out by their words), for
    /// the built-in packs' headings, tricky ones and generated ones.
    #[test]
    fn the_index_gives_each_rules_own_answer() {
        use proptest::prelude::*;
        let mut sets = Vec::new();
        let mut aliases = String::from("[pack]\nname = \"aliases\"\n");
        for (name, text) in crate::pack::BUILTIN_PACKS {
            let mut set = crate::pack::RuleSet::default();
            set.add_pack(std::path::Path::new(name), text, name)
                .unwrap_or_else(|e| panic!("{e}"));
            for (r, rule) in set.rules.iter().enumerate() {
                let keep: Vec<String> = rule
                    .headings
                    .iter()
                    .filter(|h| crate::heading::key(&crate::heading::normalize(h)).len() >= 3)
                    .map(|h| format!("{h:?}"))
                    .collect();
                if rule.kind == super::RuleKind::Section && !keep.is_empty() {
                    aliases.push_str(&format!(
                        "[[rule]]\nid = \"{name}-{r}\"\ntitle = \"t\"\nheadings = [{}]\n",
                        keep.join(", ")
                    ));
                }
            }
            sets.push(set);
        }
        // A key that starts as `&` reads ("& more" is "and more").
        aliases.push_str("[[rule]]\nid = \"and\"\ntitle = \"t\"\nheadings = [\"And more\"]\n");
        let mut set = crate::pack::RuleSet::default();
        set.add_pack(std::path::Path::new("aliases"), &aliases, "aliases")
            .unwrap_or_else(|e| panic!("{e}"));
        sets.push(set);
        let headings = crate::heading::test_headings();
        let mut runner = crate::check::test_support::proptest_runner(2000);
        for set in &sets {
            let index = HeadingIndex::new(&set.rules);
            let check = |h: &str| -> Result<usize, TestCaseError> {
                let want: Vec<u32> = set
                    .rules
                    .iter()
                    .enumerate()
                    .filter(|(_, rule)| {
                        Heading::plain(h).is_some_and(|heading| rule.matches_heading(&heading))
                    })
                    .filter_map(|(r, _)| u32::try_from(r).ok())
                    .collect();
                let mut got = Vec::new();
                // Asked first, then remembered.
                for round in 0..2 {
                    index.matches_words(h, &mut got);
                    prop_assert_eq!(&got, &want, "{:?}, round {}", h, round);
                }
                prop_assert_eq!(index.may_match(h), index.may_match_plain(h), "{:?}", h);
                prop_assert!(want.is_empty() || index.may_match(h), "{:?}", h);
                Ok(want.len())
            };
            let mut matched = 0;
            for h in &headings {
                matched += check(h).unwrap_or_else(|e| panic!("{e}"));
            }
            assert!(matched > 20, "{matched}");
            runner
                .run(
                    &proptest::collection::vec(crate::heading::heading_pieces(), 0..12),
                    |pieces| check(&pieces.concat()).map(|_| ()),
                )
                .unwrap_or_else(|e| panic!("{e}"));
        }
        // The pack of aliases alone rules headings out by their words.
        assert!(HeadingIndex::new(&sets[sets.len() - 1].rules).shortcut);
    }

    /// Each byte's number is the one [`prefix_bit`] had for it when it
    /// compared ranges.
    #[test]
    fn every_byte_has_its_digit() {
        for b in 0..=u8::MAX {
            let want = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'z' => b - b'a' + 10,
                b'A'..=b'Z' => b - b'A' + 10,
                0..=127 => super::NOT_DIGIT,
                _ => super::NOT_ASCII,
            };
            assert_eq!(super::DIGITS[usize::from(b)], want, "{b}");
        }
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
