//! A rule's `forbid` patterns compiled for searching section prose: which
//! of them match a text at all, in as little work as possible.
//!
//! why: the combined [`RegexSet`] scans a whole section for every pattern
//! at once, but the built-in patterns use Unicode word boundaries (`\b`),
//! and the regex crate's lazy DFA gives up on those at the first non-ASCII
//! byte (a curly quote, an em dash) and runs its slow NFA simulation over
//! the whole text instead. That was a fifth of a run of the built-in pack
//! over the KEPs. Most patterns start with a literal (`TBD`, `{{`, `lorem`
//! in any case), so one Aho-Corasick pass over the text tells when none of
//! those patterns can match; only the patterns without such a literal
//! (`^\s*(?:n/?a|none)…$`) then need a regex pass, in a set of their own.
//! When some literal is there, the combined set runs as before, so the
//! answer is always the combined set's answer.

use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

use aho_corasick::AhoCorasick;
use regex::{RegexSet, RegexSetBuilder};
use regex_syntax::hir::literal::{ExtractKind, Extractor};

use super::{LazyRegex, REGEX_DFA_SIZE_LIMIT, REGEX_SIZE_LIMIT};

/// The most literals the prefilter holds for one rule. A pattern whose
/// literals would take it past this many is searched with the regexes.
const MAX_LITERALS: usize = 4096;

/// A rule's `forbid` patterns, compiled (see the module docs). Clones
/// share everything.
#[derive(Debug, Clone)]
pub struct ForbidSet(Arc<Inner>);

#[derive(Debug)]
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

#[derive(Debug, Clone)]
struct Prefilter {
    /// Every literal that a match of one of the literal patterns starts with.
    literals: AhoCorasick,
    /// The other patterns, searched alone. `None` when every pattern has
    /// literals.
    rest: Option<Rest>,
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
        let prefilter = Prefilter::new(patterns);
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
        let inner = &*self.0;
        let mut found = vec![false; inner.sources.len()];
        match &inner.prefilter {
            // No literal of a literal pattern is there, so none of those
            // patterns matches: only the rest can.
            Some(p) if !p.literals.is_match(text) => match &p.rest {
                Some(Rest::One(regex, n)) => found[*n] = regex.is_match(text),
                Some(Rest::Many(set, index)) => mark(set, text, &mut found, |n| index[n]),
                None => {}
            },
            _ => match inner.set.get_or_init(|| build(&inner.sources)) {
                Some(set) => mark(set, text, &mut found, |n| n),
                None => found.fill(true),
            },
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
    /// `None` when no pattern has literals to look for.
    fn new(patterns: &[&LazyRegex]) -> Option<Prefilter> {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut rest = Vec::new();
        for (n, pattern) in patterns.iter().enumerate() {
            match prefix_literals(pattern.as_str(), pattern.case_insensitive()) {
                Some(lits) if literals.len() + lits.len() <= MAX_LITERALS => literals.extend(lits),
                _ => rest.push(n),
            }
        }
        if rest.len() == patterns.len() {
            return None;
        }
        let literals = AhoCorasick::new(&literals).ok()?;
        let rest = match rest[..] {
            [] => None,
            [n] => Some(Rest::One(patterns[n].clone(), n)),
            _ => {
                let sources: Vec<String> = rest.iter().map(|&n| set_source(patterns[n])).collect();
                Some(Rest::Many(build(&sources)?, rest))
            }
        };
        Some(Prefilter { literals, rest })
    }
}

/// Literals such that every match of `source` starts with one of them, or
/// `None` when there is no such finite set (a pattern that can start
/// anywhere, such as `^\s*none$`).
///
/// The regex crate parses patterns with `regex_syntax`'s defaults, as this
/// does, so the literals describe the same regex. A pattern that matches
/// nothing has no literals, and is never a candidate.
fn prefix_literals(source: &str, case_insensitive: bool) -> Option<Vec<Vec<u8>>> {
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
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
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
            Some(
                ["TBD", "TBC", "TODO", "FIXME", "XXX"]
                    .map(|s| s.as_bytes().to_vec())
                    .to_vec()
            )
        );
        // Case-insensitive: every case of a prefix, kept short.
        let lorem = prefix_literals(DEFAULTS[1], false).unwrap_or_default();
        assert!(lorem.contains(&b"LoRe".to_vec()) && lorem.contains(&b"lore".to_vec()));
        // `\s*` can start a match anywhere.
        assert_eq!(prefix_literals(DEFAULTS[2], false), None);
        assert_eq!(prefix_literals("a?b*", false), None);
        // Matches nothing: no literals, never a candidate.
        assert_eq!(prefix_literals(r"[^\s\S]", false), Some(Vec::new()));
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
                    prop_assert_eq!(set.matches(&text), set.matches_without_prefilter(&text));
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
                        prop_assert_eq!(
                            set.matches(text),
                            set.matches_without_prefilter(text),
                            "patterns {:?}, text {:?}",
                            &sources,
                            text
                        );
                    }
                    Ok(())
                },
            )
            .unwrap();
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
