//! A rule's `forbid` patterns compiled for searching section prose: which
//! of them match a text at all, in as little work as possible.
//!
//! why: the combined [`RegexSet`] scans a whole section for every pattern
//! at once, but the built-in patterns use Unicode word boundaries (`\b`),
//! and the regex crate's lazy DFA gives up on those at the first non-ASCII
//! byte (a curly quote, an em dash) and runs its slow NFA simulation over
//! the whole text instead. That was a fifth of a run of the built-in pack
//! over the KEPs. Most patterns start with a literal (`TBD`, `{{`, `lorem`
//! in any case), so one literal pass over the text tells when none of
//! those patterns can match; only the patterns without such a literal
//! (`^\s*(?:n/?a|none)…$`) then need a regex pass, in a set of their own.
//!
//! When some literal is there, a match of its pattern can only start where
//! one of the pattern's literals does: each such pattern is tried anchored
//! at its literals' occurrences only (seeing the whole text, so that `\b`
//! and `^` still look at the byte before). Were those tries to cost more
//! than a few passes over the text (a section of a million `TODO`s that are
//! all `TODOs`), the combined set searches the text instead, as it did
//! before. Either way the answer is the combined set's.
//!
//! Measured over the KEPs' sections (8 MB, 18,711 sections, 672 with a
//! literal): the Aho-Corasick pass took 21 ms, a Teddy (packed SIMD) pass
//! for the first occurrence 6 ms; the combined set over the sections with a
//! literal 11 ms, the anchored tries at their 731 occurrences well under one.

use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

use aho_corasick::AhoCorasick;
use aho_corasick::packed;
use regex::{RegexSet, RegexSetBuilder};
use regex_automata::{Anchored, Input, meta};
use regex_syntax::hir::literal::{ExtractKind, Extractor};

use super::{LazyRegex, REGEX_DFA_SIZE_LIMIT, REGEX_SIZE_LIMIT};

/// The most literals the prefilter holds for one rule. A pattern whose
/// literals would take it past this many is searched with the regexes.
const MAX_LITERALS: usize = 4096;

/// The most literals the first-occurrence scan (Teddy) takes: the most
/// the packed searcher holds. With more, the Aho-Corasick pass alone.
const MAX_PACKED_LITERALS: usize = 128;

/// What the anchored tries at literal occurrences may cost for one text:
/// this many times its length, plus [`VERIFY_SLACK`], counting for each try
/// the bytes it may scan and [`VERIFY_COST`], and for each occurrence one.
/// Past it, the combined set searches the text (one pass, as before), so
/// a text full of near misses stays linear, and the search of a text costs
/// at most a constant times its length, as the `Work` budget assumes.
///
/// why 4: a try of a pattern that can match any length (`\[add[^\]]*\]`)
/// may scan to the end of the text; a section with a few of those near its
/// start is common (KEPs), and should not need the set.
const VERIFY_FACTOR: usize = 4;
const VERIFY_SLACK: usize = 64;
const VERIFY_COST: usize = 32;

/// A rule's `forbid` patterns, compiled (see the module docs). Clones
/// share everything.
#[derive(Clone)]
pub struct ForbidSet(Arc<Inner>);

/// The patterns, as the set compiles them: all the rest is built from
/// them.
///
/// why: the report's cache keys on the rules' debug text, and the parts
/// compiled on first use would make it depend on what was searched before.
impl std::fmt::Debug for ForbidSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ForbidSet").field(&self.0.sources).finish()
    }
}

struct Inner {
    /// All patterns, in the rule's order, as the set compiles them (see
    /// [`set_source`]).
    sources: Vec<String>,
    /// All patterns in one set. With a prefilter, it is compiled on first
    /// use: one document in a hook rarely has a literal, and the set costs
    /// as much to compile as its patterns. `None` when it exceeds the
    /// size limits.
    set: OnceLock<Option<RegexSet>>,
    prefilter: Option<Prefilter>,
}

#[derive(Debug)]
struct Prefilter {
    /// Every literal that a match of one of the literal patterns starts
    /// with, for every occurrence (overlapping).
    literals: AhoCorasick,
    /// The same literals, for the first occurrence only (leftmost): a SIMD
    /// scan, several times faster than the automaton over text that holds
    /// none. `None` when it does not build (too many literals, a literal of
    /// one byte, no SIMD).
    first: Option<packed::Searcher>,
    /// For each literal of `literals`, the pattern (in the rule's list)
    /// whose literal it is.
    owner: Vec<usize>,
    /// For each pattern in the rule's list, how to try it anchored; `None`
    /// for the rest.
    anchored: Vec<Option<Anchor>>,
    /// How many patterns have literals.
    literal_patterns: usize,
    /// The other patterns, searched alone. `None` when every pattern has
    /// literals.
    rest: Option<Rest>,
}

/// A literal pattern, tried anchored where its literals occur.
#[derive(Debug)]
struct Anchor {
    /// The pattern as the set compiles it (see [`set_source`]).
    source: String,
    /// The longest match, in bytes, when bounded: a try then scans no
    /// further.
    max_len: Option<usize>,
    /// Compiled on first use; `None` when it exceeds the size limits.
    regex: OnceLock<Option<meta::Regex>>,
}

/// The patterns of a rule without literals to look for.
#[derive(Debug, Clone)]
enum Rest {
    /// One pattern (the common case) and its index in the rule's list: the
    /// rule's own compiled regex, which stops at its first match where a
    /// set finds every pattern's.
    One(LazyRegex, usize),
    /// Several: a set of them alone, and each one's index in the list.
    Many(RegexSet, Vec<usize>),
}

/// Which of a rule's `forbid` patterns match a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForbidMatches(Vec<bool>);

impl ForbidMatches {
    /// Whether pattern `n` (in the rule's order) matches.
    pub fn matched(&self, n: usize) -> bool {
        self.0.get(n).copied().unwrap_or(false)
    }
}

/// The sets built so far, by their patterns (and whether each ignores
/// case), held weakly: rules with the same list share one set, whichever
/// rule or thread asks first.
///
/// why: every rule of a pack that takes only its `[[defaults.forbid]]`
/// has the same list; built once per rule, the hook compiled the same
/// patterns two dozen times whenever checking asked before the warm-up
/// had shared them.
type Registry = Vec<(Vec<(String, bool)>, Weak<Inner>)>;
static SHARED: Mutex<Registry> = Mutex::new(Vec::new());

impl ForbidSet {
    /// [`ForbidSet::new`], or the set already built for the same patterns.
    pub fn shared(patterns: &[&LazyRegex]) -> Option<ForbidSet> {
        let key: Vec<(String, bool)> = patterns
            .iter()
            .map(|p| (p.as_str().to_owned(), p.case_insensitive()))
            .collect();
        // Held while building, so that a thread asking for the same set
        // waits for it rather than compiling it again.
        let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
        shared.retain(|(_, set)| set.strong_count() > 0);
        if let Some(set) = shared
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, set)| set.upgrade())
        {
            return Some(ForbidSet(set));
        }
        let set = ForbidSet::new(patterns)?;
        shared.push((key, Arc::downgrade(&set.0)));
        Some(set)
    }

    /// Compiles `patterns`; `None` when there are none, or when there is
    /// no prefilter and the set exceeds the size limits (each pattern then
    /// runs on its own, as it compiled on its own).
    pub fn new(patterns: &[&LazyRegex]) -> Option<ForbidSet> {
        if patterns.is_empty() {
            return None;
        }
        let sources: Vec<String> = patterns.iter().map(|p| set_source(p)).collect();
        let prefilter = Prefilter::new(patterns, &sources);
        let set = OnceLock::new();
        if prefilter.is_none() {
            set.get_or_init(|| build(&sources)).as_ref()?;
        }
        Some(ForbidSet(Arc::new(Inner {
            sources,
            set,
            prefilter,
        })))
    }

    /// Which patterns match somewhere in `text`: exactly what the combined
    /// set says. (Were the set, compiled on first use, ever to exceed the
    /// size limits, every pattern counts as matching, and each one's own
    /// search decides.)
    pub fn matches(&self, text: &str) -> ForbidMatches {
        let budget = text
            .len()
            .saturating_mul(VERIFY_FACTOR)
            .saturating_add(VERIFY_SLACK);
        self.matches_within(text, budget)
    }

    /// [`ForbidSet::matches`], with the anchored tries bounded by `budget`
    /// (tests give a small one, to make them give up part way).
    fn matches_within(&self, text: &str, budget: usize) -> ForbidMatches {
        let inner = &*self.0;
        let mut found = vec![false; inner.sources.len()];
        match &inner.prefilter {
            // The literal patterns tried where their literals occur (none
            // matches where none occurs), then the rest on their own.
            Some(p) if p.literal_matches(text, &mut found, budget) => match &p.rest {
                Some(Rest::One(regex, n)) => found[*n] = regex.is_match(text),
                Some(Rest::Many(set, index)) => mark(set, text, &mut found, |n| index[n]),
                None => {}
            },
            _ => {
                found.fill(false);
                match inner.set.get_or_init(|| build(&inner.sources)) {
                    Some(set) => mark(set, text, &mut found, |n| n),
                    None => found.fill(true),
                }
            }
        }
        ForbidMatches(found)
    }

    /// The combined set alone, without the prefilter: what [`matches`]
    /// must always agree with (for tests).
    ///
    /// [`matches`]: ForbidSet::matches
    #[cfg(test)]
    fn matches_without_prefilter(&self, text: &str) -> ForbidMatches {
        let mut found = vec![false; self.0.sources.len()];
        // The same set `matches` falls back to, compiled once.
        if let Some(set) = self.0.set.get_or_init(|| build(&self.0.sources)) {
            mark(set, text, &mut found, |n| n);
        }
        ForbidMatches(found)
    }
}

impl Prefilter {
    /// `None` when no pattern has literals to look for. `sources` are the
    /// patterns as the set compiles them ([`set_source`]).
    fn new(patterns: &[&LazyRegex], sources: &[String]) -> Option<Prefilter> {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut owner = Vec::new();
        let mut anchored = Vec::new();
        let mut rest = Vec::new();
        for (n, pattern) in patterns.iter().enumerate() {
            match prefix_literals(pattern.as_str(), pattern.case_insensitive()) {
                Some((lits, max_len)) if literals.len() + lits.len() <= MAX_LITERALS => {
                    owner.extend(std::iter::repeat_n(n, lits.len()));
                    literals.extend(lits);
                    anchored.push(Some(Anchor {
                        source: sources[n].clone(),
                        max_len,
                        regex: OnceLock::new(),
                    }));
                }
                _ => {
                    rest.push(n);
                    anchored.push(None);
                }
            }
        }
        if rest.len() == patterns.len() {
            return None;
        }
        let first = (literals.len() <= MAX_PACKED_LITERALS
            && literals.iter().all(|l| l.len() >= 2))
        .then(|| {
            packed::Config::new()
                .heuristic_pattern_limits(false)
                .builder()
                .extend(&literals)
                .build()
        })
        .flatten();
        let literal_patterns = patterns.len() - rest.len();
        let literals = AhoCorasick::new(&literals).ok()?;
        let rest = match rest[..] {
            [] => None,
            [n] => Some(Rest::One(patterns[n].clone(), n)),
            _ => {
                let rest_sources: Vec<String> = rest.iter().map(|&n| sources[n].clone()).collect();
                Some(Rest::Many(build(&rest_sources)?, rest))
            }
        };
        Some(Prefilter {
            literals,
            first,
            owner,
            anchored,
            literal_patterns,
            rest,
        })
    }

    /// Marks in `found` the literal patterns that match `text`, each tried
    /// anchored at its literals' occurrences; false when the tries would
    /// cost more than their bound (or a pattern's own regex exceeds the size
    /// limits), and the combined set must answer instead. `budget` is
    /// their bound (see [`VERIFY_FACTOR`]).
    ///
    /// why it is the set's answer: every match of a literal pattern starts
    /// with one of its literals, so it matches somewhere exactly when it
    /// matches anchored at one of their occurrences. A try sees the whole
    /// text (`\b` and `^` look at the byte before it), and a pattern whose
    /// matches are at most `max_len` long is not searched past that.
    fn literal_matches(&self, text: &str, found: &mut [bool], mut budget: usize) -> bool {
        let start = match &self.first {
            Some(first) => match first.find(text) {
                Some(hit) => hit.start(),
                None => return true,
            },
            None => 0,
        };
        let mut left = self.literal_patterns;
        let input = aho_corasick::Input::new(text).span(start..text.len());
        // The automaton is built for overlapping, unanchored searches, as
        // this one is; were it ever to refuse, the set answers.
        let Ok(hits) = self.literals.try_find_overlapping_iter(input) else {
            return false;
        };
        for hit in hits {
            let Some(budget_left) = budget.checked_sub(1) else {
                return false;
            };
            budget = budget_left;
            let n = self.owner[hit.pattern().as_usize()];
            if found[n] {
                continue;
            }
            let Some(anchor) = &self.anchored[n] else {
                continue;
            };
            let at = hit.start();
            let end = anchor
                .max_len
                .map_or(text.len(), |max| at.saturating_add(max).min(text.len()));
            let Some(budget_left) = budget.checked_sub(end - at + VERIFY_COST) else {
                return false;
            };
            budget = budget_left;
            let Some(regex) = anchor.regex() else {
                return false;
            };
            if regex.is_match(Input::new(text).span(at..end).anchored(Anchored::Yes)) {
                found[n] = true;
                left -= 1;
                if left == 0 {
                    break;
                }
            }
        }
        true
    }
}

impl Anchor {
    /// The pattern compiled as the regex crate compiles it (the same
    /// syntax, match kind and size limits), for anchored searches.
    fn regex(&self) -> Option<&meta::Regex> {
        self.regex
            .get_or_init(|| {
                meta::Builder::new()
                    .configure(
                        meta::Config::new()
                            .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                            .hybrid_cache_capacity(REGEX_DFA_SIZE_LIMIT),
                    )
                    .build(&self.source)
                    .ok()
            })
            .as_ref()
    }
}

/// Literals such that every match of `source` starts with one of them, or
/// `None` when there is no such finite set (a pattern that can start
/// anywhere, such as `^\s*none$`); with them, the longest a match can be
/// (`None`: unbounded).
///
/// The regex crate parses patterns with `regex_syntax`'s defaults, as this
/// does, so the literals describe the same regex. A pattern that matches
/// nothing has no literals, and is never a candidate.
fn prefix_literals(source: &str, case_insensitive: bool) -> Option<(Vec<Vec<u8>>, Option<usize>)> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .parse(source)
        .ok()?;
    let mut seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    // why: keeps the set small and drops literals other literals start;
    // every match still starts with one of those left (a literal that is
    // kept only gets shorter).
    seq.optimize_for_prefix_by_preference();
    let literals = seq.literals()?;
    if literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some((
        literals.iter().map(|l| l.as_bytes().to_vec()).collect(),
        hir.properties().maximum_len(),
    ))
}

/// `pattern` as a member of a set: a set has one case setting for all,
/// so a pattern that ignores case says so itself. (A flag group at the
/// start of a pattern covers all of it, as the builder's setting does.)
fn set_source(pattern: &LazyRegex) -> String {
    if pattern.case_insensitive() {
        format!("(?i){}", pattern.as_str())
    } else {
        pattern.as_str().to_owned()
    }
}

/// Marks in `found` the patterns of `set` that match `text`; `index` says
/// where a member of the set is in the rule's list.
fn mark(set: &RegexSet, text: &str, found: &mut [bool], index: impl Fn(usize) -> usize) {
    for n in set.matches(text).iter() {
        found[index(n)] = true;
    }
}

fn build(sources: &[String]) -> Option<RegexSet> {
    if sources.is_empty() {
        return None;
    }
    RegexSetBuilder::new(sources)
        .size_limit(REGEX_SIZE_LIMIT * 8)
        .dfa_size_limit(REGEX_DFA_SIZE_LIMIT * 4)
        .build()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled(sources: &[&str]) -> Option<ForbidSet> {
        let patterns: Vec<LazyRegex> = sources
            .iter()
            .map(|s| LazyRegex::deferred((*s).to_owned(), false))
            .collect();
        ForbidSet::new(&patterns.iter().collect::<Vec<_>>())
    }

    /// The built-in pack's default `forbid` patterns.
    const DEFAULTS: [&str; 4] = [
        r"\b(?:TBD|TBC|TODO|FIXME|XXX)\b",
        r"(?i)\blorem ipsum\b",
        r"(?im)^\s*(?:n/?a|none|nothing|-)\s*\.?\s*$",
        r"(?i)\[(?:fill in|insert|describe|add)[^\]\n]*\]|\{\{[^}\n]*\}\}|\bfill (?:this|me) in\b",
    ];

    #[test]
    fn literal_patterns_are_prefiltered_and_the_rest_searched() {
        assert_eq!(
            prefix_literals(DEFAULTS[0], false),
            Some((
                ["TBD", "TBC", "TODO", "FIXME", "XXX"]
                    .map(|s| s.as_bytes().to_vec())
                    .to_vec(),
                Some(5)
            ))
        );
        // Case-insensitive: every case of a prefix, kept short.
        let lorem = prefix_literals(DEFAULTS[1], false).unwrap_or_default().0;
        assert!(lorem.contains(&b"LoRe".to_vec()) && lorem.contains(&b"lore".to_vec()));
        // `\s*` can start a match anywhere.
        assert_eq!(prefix_literals(DEFAULTS[2], false), None);
        assert_eq!(prefix_literals("a?b*", false), None);
        // Matches nothing: no literals, never a candidate.
        assert_eq!(
            prefix_literals(r"[^\s\S]", false).map(|l| l.0),
            Some(Vec::new())
        );
        // `[^\]\n]*`: a match can be any length.
        assert_eq!(prefix_literals(DEFAULTS[3], false).map(|l| l.1), Some(None));
        let set = compiled(&DEFAULTS).unwrap();
        let p = set.0.prefilter.as_ref().unwrap();
        assert!(matches!(p.rest, Some(Rest::One(_, 2))));
    }

    #[test]
    fn prefiltered_answers_are_the_combined_sets() {
        let set = compiled(&DEFAULTS).unwrap();
        for text in [
            "",
            "Plain prose with “curly quotes” — and no placeholder.",
            "N/A",
            "Explanation:\n  none.  \nmore",
            "Still TBD — “soon”.",
            "TBDX and XTODO are not words, but FIXME is.",
            "Lorem Ipsum dolor; explore the lore.",
            "[Insert the SLA here] and {{owner}}.",
            "Please FILL THIS IN.",
            "Kelvin: \u{212A}elvin, long s: [in\u{17F}ert x]",
            "TBD\nN/A",
            "None of this applies. Nothing else.",
        ] {
            assert_eq!(
                set.matches(text),
                set.matches_without_prefilter(text),
                "{text:?}"
            );
        }
        // The long s folds to `s` under `(?i)`: the prefilter's literals
        // cover it, so the template pattern is found.
        assert!(set.matches("[in\u{17F}ert the SLA]").matched(3));
    }

    /// Texts built from pieces near every pattern's edges, against sets of
    /// patterns with and without literals: the prefilter never changes the
    /// answer.
    #[test]
    fn generated_texts_get_the_combined_sets_answer() {
        use proptest::prelude::*;
        let sets: [&[&str]; 4] = [
            &DEFAULTS,
            &[r"(?i)\bt[o0]do\b", r"^\s*$", r"(?m)^-+$", r"\bXXX+"],
            &[r"é|ü", r"(?i)straße", r"(?s)\{\{.*\}\}", r"a|b?"],
            &[r"\bTBD\b", r"[^\s\S]", r"(?x) n / a "],
        ];
        let pieces = prop::sample::select(vec![
            " ",
            "\n",
            "\r\n",
            "\t",
            "-",
            ".",
            "TBD",
            "TBDs",
            "xTODO",
            "todo",
            "T0DO",
            "XXXX",
            "N/A",
            "n/a",
            "none",
            "Nothing",
            "lorem",
            "ipsum",
            "LOREM IPSUM",
            "[add",
            "[fill in]",
            "]",
            "{{",
            "}}",
            "fill me in",
            "“",
            "”",
            "—",
            "é",
            "ü",
            "STRASSE",
            "straße",
            "ſ",
            "\u{212A}",
            "a",
            "b",
            "word",
            "日本",
        ]);
        let mut runner = crate::check::test_support::proptest_runner(2000);
        for sources in sets {
            let set = compiled(sources).unwrap();
            runner
                .run(&prop::collection::vec(pieces.clone(), 0..12), |parts| {
                    let text = parts.concat();
                    let want = set.matches_without_prefilter(&text);
                    prop_assert_eq!(&set.matches(&text), &want);
                    // Tries that give up part way leave the answer to the set.
                    for budget in [0, 40, 120] {
                        prop_assert_eq!(&set.matches_within(&text, budget), &want);
                    }
                    Ok(())
                })
                .unwrap();
        }
    }

    /// Generated patterns (literals, classes, alternations, repetitions,
    /// word boundaries, anchors and flags, in and out of case folding)
    /// against generated texts: whatever literals the extractor finds, the
    /// prefilter's answer is the combined set's.
    #[test]
    fn generated_patterns_get_the_combined_sets_answer() {
        use proptest::prelude::*;
        let atom = prop::sample::select(vec![
            "a",
            "b",
            "ab",
            "TODO",
            "tbd",
            "é",
            "ſ",
            "k",
            "\\.",
            "\\[",
            "\\{\\{",
            "-",
            " ",
            "[ab]",
            "[^a]",
            "\\w",
            "\\d",
            "\\s",
            ".",
            "\\b",
            "\\B",
            "^",
            "$",
            "(?i:todo)",
            "(?i:s)",
            "(?-u:\\b)",
            "\\p{Greek}",
        ]);
        let piece = atom
            .prop_map(str::to_owned)
            .prop_recursive(3, 12, 3, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.concat()),
                    prop::collection::vec(inner.clone(), 2..4)
                        .prop_map(|v| format!("(?:{})", v.join("|"))),
                    (
                        inner.clone(),
                        prop::sample::select(vec!["*", "+", "?", "{2}", "{0,2}", "*?"])
                    )
                        .prop_map(|(p, r)| format!("(?:{p}){r}")),
                ]
            });
        let pattern = (
            prop::sample::select(vec!["", "(?i)", "(?m)", "(?s)", "(?im)", "(?x)"]),
            piece,
        )
            .prop_map(|(flags, p)| format!("{flags}{p}"));
        let text = prop::collection::vec(
            prop::sample::select(vec![
                "a", "b", "A", "B", "TODO", "todo", "ToDo", "tbd", "TBD", "é", "É", "ſ", "s", "S",
                "k", "K", "\u{212A}", ".", "[", "{{", "-", " ", "\n", "\t", "1", "_", "“", "—",
                "λ",
            ]),
            0..16,
        )
        .prop_map(|v| v.concat());
        // Compiling regexes is slow in a debug build.
        let cases = if cfg!(debug_assertions) { 1000 } else { 5000 };
        let mut runner = crate::check::test_support::proptest_runner(cases);
        runner
            .run(
                &(
                    prop::collection::vec(pattern, 1..4),
                    prop::collection::vec(text, 1..6),
                ),
                |(sources, texts)| {
                    let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
                    // Patterns the regex crate refuses are not in any rule.
                    prop_assume!(refs.iter().all(|p| regex::Regex::new(p).is_ok()));
                    let Some(set) = compiled(&refs) else {
                        return Ok(());
                    };
                    for text in &texts {
                        let want = set.matches_without_prefilter(text);
                        prop_assert_eq!(
                            &set.matches(text),
                            &want,
                            "patterns {:?}, text {:?}",
                            &sources,
                            text
                        );
                        prop_assert_eq!(&set.matches_within(text, 50), &want);
                    }
                    Ok(())
                },
            )
            .unwrap();
    }

    /// A match can only start at a literal, but not at every one: each
    /// occurrence is tried, overlapping ones too, with the text around it
    /// in view.
    #[test]
    fn every_occurrence_is_tried_in_its_context() {
        let set = compiled(&[r"XXX\b", r"\bTODO\b", r"(?m)^\{\{x", r"(?i)ab+c|b{3}"]).unwrap();
        assert!(set.0.prefilter.as_ref().is_some_and(|p| p.first.is_some()));
        for (text, want) in [
            // Not at the first `XXX`, only at the second, which overlaps it.
            ("XXXX", [true, false, false, false]),
            ("XXXXa", [false, false, false, false]),
            // `\b` and `^` look at the byte before the occurrence.
            ("aTODO TODO", [false, true, false, false]),
            ("aTODO xTODO", [false, false, false, false]),
            ("a{{x\n{{x", [false, false, true, false]),
            ("a{{x {{x", [false, false, false, false]),
            // Unbounded: tried to the end of the text.
            (
                "xABBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBC",
                [false, false, false, true],
            ),
            (
                "xABBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBX",
                [false, false, false, true],
            ),
            ("xABBX", [false, false, false, false]),
        ] {
            let got = set.matches(text);
            assert_eq!(got, set.matches_without_prefilter(text), "{text:?}");
            assert_eq!(got, ForbidMatches(want.to_vec()), "{text:?}");
        }
    }

    /// Many occurrences that never match: the tries give up once they have
    /// cost a few passes over the text, and the set answers.
    #[test]
    fn near_misses_everywhere_fall_back_to_the_set() {
        let set = compiled(&[r"\bTODO\b", r"(?s)\{\{.*\}\}", DEFAULTS[2]]).unwrap();
        let p = set.0.prefilter.as_ref().unwrap();
        let text = "TODOs {{ ".repeat(20_000);
        let mut found = vec![false; 3];
        assert!(!p.literal_matches(&text, &mut found, text.len() * VERIFY_FACTOR + VERIFY_SLACK));
        let closed = format!("{text}}}}} TODO");
        for text in [text.as_str(), closed.as_str()] {
            assert_eq!(set.matches(text), set.matches_without_prefilter(text));
        }
        assert_eq!(set.matches(&closed), ForbidMatches(vec![true, true, false]));
        // Occurrences of a pattern already found cost little, and are
        // counted: a million of them stay within the bound.
        let todos = "TODO ".repeat(1_000_000);
        let mut found = vec![false; 3];
        assert!(p.literal_matches(
            &todos,
            &mut found,
            todos.len() * VERIFY_FACTOR + VERIFY_SLACK
        ));
        assert_eq!(found, [true, false, false]);
    }

    #[test]
    fn rules_with_the_same_patterns_share_one_set() {
        let make = |sources: &[&str]| -> Vec<LazyRegex> {
            sources
                .iter()
                .map(|s| LazyRegex::deferred((*s).to_owned(), false))
                .collect()
        };
        let (a, b, c) = (make(&DEFAULTS), make(&DEFAULTS), make(&DEFAULTS[..3]));
        let shared = |p: &[LazyRegex]| ForbidSet::shared(&p.iter().collect::<Vec<_>>());
        let (sa, sb, sc) = (
            shared(&a).unwrap(),
            shared(&b).unwrap(),
            shared(&c).unwrap(),
        );
        assert!(Arc::ptr_eq(&sa.0, &sb.0));
        assert!(!Arc::ptr_eq(&sa.0, &sc.0));
        // Case-insensitive patterns are other patterns.
        let i = vec![LazyRegex::deferred(DEFAULTS[0].to_owned(), true)];
        let si = shared(&i).unwrap();
        assert!(si.matches("tbd").matched(0));
        assert!(!sa.matches("tbd").matched(0));
        // Once no rule holds it, the set is freed.
        let weak = Arc::downgrade(&sc.0);
        drop(sc);
        assert!(weak.upgrade().is_none());
    }

    #[test]
    fn sets_without_literals_or_regexes_are_handled() {
        assert!(compiled(&[]).is_none());
        let only_rest = compiled(&[DEFAULTS[2]]).unwrap();
        assert!(only_rest.0.prefilter.is_none());
        assert!(only_rest.matches("n/a").matched(0));
        let only_literals = compiled(&[DEFAULTS[0]]).unwrap();
        assert!(only_literals.0.prefilter.as_ref().unwrap().rest.is_none());
        assert!(!only_literals.matches("nothing here").matched(0));
        assert!(only_literals.matches("a TODO here").matched(0));
        assert!(!only_literals.matches("a TODO here").matched(1));
    }
}
