//! Heading normalisation: how a heading in a document and an alias in a rule
//! are made comparable.
//!
//! Both sides go through [`normalize`]: lower case; `&` read as `and`;
//! hyphens, underscores and slashes read as spaces; leading numbering such as
//! `3.2`, `3.2.`, `3)`, `IV.` or `B)` removed; trailing punctuation (`:`, `.`,
//! `?`, `!`, `;`, `,`, `…`) removed; control characters and runs of white
//! space collapsed to one space.
//!
//! Rules match a heading on its *words* ([`Heading::new`]): inline code
//! spans and path- or identifier-like tokens are not words, and a heading
//! that is mostly code (`` `testing` package ``, a file path) is no checklist
//! section at all. A heading that names several topics ("Availability and
//! scalability", "Testing: unit and load") is also read as each of its
//! parts, so it answers every rule one of its parts answers. Aliases compare
//! word by word after [`stem`] (plural and `-ing` forms are one word), and a
//! sentence-like heading (a question, or more than [`MAX_PHRASE_WORDS`]
//! words) is a section only for an alias that names it whole.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

static NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    // why: a number needs a dot in it (`3.2`), a short number (`1 Summary`) or
    // a `.`/`)` after it (`2024. Roadmap`), or "2024 roadmap" would lose its
    // year; roman numerals (up to xxxix) and single letters need a `.` or `)`,
    // or "I want", "a plan" and "Mix. of" would lose their first word.
    #[allow(clippy::unwrap_used)] // a constant pattern, covered by the tests below
    Regex::new(
        r"^(?:(?:\d+(?:\.\d+)+\.?|\d{1,2}\.?|\d+[.)]|(?:x{0,3}(?:ix|iv|vi{0,3}|i{1,3})|x{1,3})[.)]|[a-z][.)]|§\s*\d+(?:\.\d+)*)\s+)+",
    )
    .unwrap()
});

/// Compiles the numbering pattern now (see [`crate::check::warm_up`]).
pub(crate) fn warm_up() {
    LazyLock::force(&NUMBERING);
}

/// Normalises a heading (or an alias) for comparison.
pub fn normalize(title: &str) -> String {
    normalize_chars::<true>(title.chars())
}

/// [`normalize`] of the text that `chars` spell. `SHORTCUTS`: the
/// numbering pattern runs only where [`may_be_numbered`] (`false`: always,
/// for the tests that compare the two).
///
/// why: one pass and one string (white space collapsed as the characters
/// come, numbering cut and trailing punctuation trimmed in place); this ran
/// for every part of every new heading, with four strings each.
fn normalize_chars<const SHORTCUTS: bool>(chars: impl Iterator<Item = char>) -> String {
    let mut s = String::new();
    // Runs of white space become one space between words, none at the ends.
    let mut space = false;
    let mut push = |s: &mut String, c: char| {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !s.is_empty() {
                s.push(' ');
            }
            space = false;
            s.push(c);
        }
    };
    for c in chars {
        match c {
            '&' => " and ".chars().for_each(|c| push(&mut s, c)),
            '-' | '_' | '/' | '\u{2010}'..='\u{2015}' => push(&mut s, ' '),
            c if c.is_control() => push(&mut s, ' '),
            c if c.is_ascii() => push(&mut s, c.to_ascii_lowercase()),
            c => c.to_lowercase().for_each(|c| push(&mut s, c)),
        }
    }
    if (!SHORTCUTS || may_be_numbered(&s))
        && let Some(m) = NUMBERING.find(&s)
    {
        s.replace_range(m.range(), "");
    }
    let kept = s
        .trim_end_matches(|c: char| {
            matches!(c, ':' | '.' | '?' | '!' | ';' | ',' | '…') || c.is_whitespace()
        })
        .len();
    s.truncate(kept);
    s
}

/// Whether [`NUMBERING`] may match at the start of `s`: every kind of
/// numbering it takes starts with a digit (`\d`, which `char::is_numeric`
/// covers) or `§`, or is a run of ASCII letters (a roman numeral or one
/// letter) followed by `.` or `)`.
///
/// why: most headings start with a word, and the pattern ran on every
/// heading and part a run had not seen before.
fn may_be_numbered(s: &str) -> bool {
    let letters = s.bytes().take_while(u8::is_ascii_lowercase).count();
    s.starts_with(|c: char| c.is_numeric() || c == '§')
        || (letters > 0 && matches!(s.as_bytes().get(letters), Some(b'.' | b')')))
}

/// Headings longer than this (in words, parentheses and code left out) read
/// as sentences ("Verifies all dependencies in the current install, e.g:"):
/// heading patterns do not apply to them, only whole aliases.
pub const MAX_PHRASE_WORDS: usize = 6;

/// A heading prepared for matching: computed once per section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Heading {
    /// The normalised heading, code and paths left out, then each part it
    /// names: segments split at `:`, `;`, brackets and dashes, items of a
    /// list joined by `,`, `/`, `&` or `and`, and items that share a word
    /// ("unit and load testing" also reads "unit testing"). A sentence-like
    /// heading has only its label's parts ([`label`]). No duplicates; the whole heading first.
    pub candidates: Vec<String>,
    /// [`key`] of each candidate, for aliases.
    pub keys: Vec<String>,
    /// The first candidate heading patterns apply to: 0 for a heading that
    /// reads as a name; 1 for a sentence-like one, whose parts are only its
    /// label ([`label`]), so patterns see only that.
    patterns_from: usize,
}

/// Read as a space in a heading's words (it once stood for a left-out code
/// token, and the words' own are read the same way still).
const GAP: char = '\u{1}';

impl Heading {
    /// Prepares a heading given as plain text in which each inline code
    /// span is one [`crate::markdown::CODE_MARK`]. `None`: the heading is
    /// mostly code or paths (no more words than code tokens), or has no
    /// words at all.
    pub fn new(words: &str) -> Option<Heading> {
        Heading::prepare::<true>(words)
    }

    /// [`Heading::new`] without its shortcuts ([`one_part`],
    /// [`may_be_numbered`]): what the tests compare it with.
    #[cfg(test)]
    pub(crate) fn plain(words: &str) -> Option<Heading> {
        Heading::prepare::<false>(words)
    }

    /// [`Heading::new`], with its shortcuts or (`SHORTCUTS` false) without.
    fn prepare<const SHORTCUTS: bool>(words: &str) -> Option<Heading> {
        let mut kept = String::with_capacity(words.len());
        let (mut code, mut prose) = (0usize, 0usize);
        for token in words.split_whitespace() {
            if is_code_token(token) {
                code += 1;
                // why: "Alternatives to gengo/v2" keeps its words; the code
                // is a gap, so words either side do not run together.
                kept.push_str("  ");
            } else {
                if token.chars().any(char::is_alphabetic) {
                    prose += 1;
                }
                if token.contains(GAP) {
                    kept.extend(token.chars().map(|c| if c == GAP { ' ' } else { c }));
                } else {
                    kept.push_str(token);
                }
                kept.push(' ');
            }
        }
        if prose == 0 || code >= prose {
            return None;
        }
        let whole = normalize_chars::<SHORTCUTS>(kept.chars());
        if whole.is_empty() {
            return None;
        }
        // `words`, not `kept`: "… implied `RUSTC_BOOTSTRAP`?" is a question.
        let question = words.trim_end().ends_with('?');
        // why: parts multiply (items × shared words); a heading with many
        // words in brackets is a sentence too, which bounds them.
        let sentence = question
            || phrase_words(&kept) > MAX_PHRASE_WORDS
            || kept.split_whitespace().count() > 2 * MAX_PHRASE_WORDS;
        let mut candidates = vec![whole];
        let extra = if !sentence {
            if SHORTCUTS && one_part(&kept) {
                // `parts` would give the whole heading again.
                Vec::new()
            } else {
                parts::<SHORTCUTS>(&kept)
            }
        } else if question {
            Vec::new()
        } else {
            label(&kept)
                .map(|l| parts::<SHORTCUTS>(&l))
                .unwrap_or_default()
        };
        for part in extra {
            if !part.is_empty() && !candidates.contains(&part) {
                candidates.push(part);
            }
        }
        let keys = candidates.iter().map(|c| key(c)).collect();
        Some(Heading {
            candidates,
            keys,
            patterns_from: usize::from(sentence),
        })
    }

    /// The same heading read only as a whole, without its parts: what a
    /// rule answered by the whole heading (not by one part of a combined
    /// one) still matches.
    pub fn whole(&self) -> Heading {
        Heading {
            candidates: self.candidates.iter().take(1).cloned().collect(),
            keys: self.keys.iter().take(1).cloned().collect(),
            patterns_from: self.patterns_from,
        }
    }

    /// The candidates heading patterns apply to.
    pub fn pattern_candidates(&self) -> &[String] {
        self.candidates
            .get(self.patterns_from..)
            .unwrap_or_default()
    }
}

/// Words that end the label of a sentence-like heading: "Version skew
/// within the control plane" is about version skew.
const LABEL_ENDS: &[&str] = &[
    "a", "an", "the", "with", "within", "for", "of", "to", "in", "on", "and", "or", "vs", "via",
    "using", "from", "by", "into", "when", "if",
];

/// The label that a sentence-like heading starts with: the words before a
/// `:` ("Alternative 1: add an admission plugin that …"), if that is one to
/// three words, or before the first of [`LABEL_ENDS`] ("Rollout plan and
/// transitioning to Rust 2018"), if that is one or two. (A short heading is not cut: "Privacy
/// for macros" and "Integration with doctests" are not about privacy or
/// integrations in the checklist's sense.) A verb in `-ing` before an article
/// ("Testing an imported package …") is an action, not a label.
fn label(text: &str) -> Option<String> {
    // A colon that ends the heading ("…, e.g:") introduces what follows the
    // heading, not the rest of it.
    let colon = text
        .split_once(':')
        .filter(|(_, rest)| !rest.trim().is_empty());
    let head = colon.map_or(text, |(h, _)| h);
    let mut words = Vec::new();
    let mut ended_by = None;
    for w in head.split_whitespace() {
        let lower = w.to_lowercase();
        if LABEL_ENDS.contains(&lower.as_str()) {
            ended_by = Some(lower);
            break;
        }
        words.push(w);
    }
    let gerund = words.len() == 1
        && words[0].to_lowercase().ends_with("ing")
        && matches!(ended_by.as_deref(), Some("a" | "an" | "the"));
    // Before a colon a label may have three words ("Alternative 1b"); cut
    // at a small word, two ("Version skew", not "Verifies all dependencies").
    let short = if colon.is_some() && ended_by.is_none() {
        (1..=3).contains(&words.len())
    } else {
        ended_by.is_some() && (1..=2).contains(&words.len())
    };
    (short && !gerund).then(|| words.join(" "))
}

/// Whether a whitespace-separated token of a heading is code or a path, not
/// a word: an inline code span, a path (`a/b.go`, `./x`, `github.com/x/y`,
/// `gengo/v2`), a dotted or `::` name (`testing.F`, `std::io`), a
/// snake_case identifier, or a token with code punctuation (`#[x]`, `f()`,
/// `a=b`, `<T>`, `{x}`, `$HOME`).
fn is_code_token(token: &str) -> bool {
    let t = token.trim_matches(|c: char| {
        matches!(
            c,
            '"' | '\'' | ',' | ';' | '(' | ')' | '[' | ']' | '!' | '?' | '“' | '”'
        )
    });
    let t = t.strip_suffix(':').unwrap_or(t);
    // why: most tokens are plain words, and every test below needs one of
    // these characters (or is about non-ASCII text).
    let marked = |b: u8| {
        matches!(
            b,
            b'/' | b'.' | b'_' | b':' | b'(' | b'#' | b'=' | b'{' | b'}' | b'$' | b'<'
        ) || !b.is_ascii()
    };
    if !t.bytes().any(marked) {
        return false;
    }
    if t.contains(crate::markdown::CODE_MARK) {
        return true;
    }
    let word = |c: char| c.is_alphanumeric();
    let chars: Vec<char> = t.chars().collect();
    let slash_path = t.contains('/')
        && (t.starts_with('/')
            || t.starts_with("./")
            || t.starts_with("~/")
            || t.contains("://")
            || t.split('/').any(|p| {
                p.chars().any(|c| c.is_ascii_digit()) || (p.len() > 2 && p.contains('.'))
            }));
    // `e.g`, `i.e.` and `U.S.` are words: a dotted name has two letters
    // before a dot; `1.18` and `v1.2` are versions, not names.
    let dotted = chars
        .windows(4)
        .any(|w| word(w[0]) && word(w[1]) && w[2] == '.' && word(w[3]))
        && !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == 'v');
    let snake = chars
        .windows(3)
        .any(|w| word(w[0]) && w[1] == '_' && word(w[2]));
    slash_path
        || dotted
        || snake
        || t.contains("::")
        || t.contains("()")
        || t.contains("#[")
        || t.contains(['=', '{', '}', '$'])
        || (t.contains('<') && t.contains('>'))
}

/// Words of a heading for the sentence test, as written (`Upgrade/downgrade`
/// is one): parenthesised and bracketed asides ("(Optional)",
/// "[optional]") and code left out.
fn phrase_words(text: &str) -> usize {
    // The words of the text outside brackets (which may join the words
    // either side of an aside), counted as they come.
    let (mut depth, mut count) = (0usize, 0usize);
    let mut alphanumeric = false;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_whitespace() => {
                count += usize::from(alphanumeric);
                alphanumeric = false;
            }
            c if depth == 0 => alphanumeric |= c.is_alphanumeric(),
            _ => {}
        }
    }
    count + usize::from(alphanumeric)
}

/// Whether [`parts`] of `text` can only be the whole of it, normalised:
/// nothing in it splits it into segments (`:`, `;`, dashes, brackets) or
/// items (`,`, `/`, `+`, `&`, the word `and`), so its one segment is its
/// one item, which is its words normalised, as the whole heading is.
///
/// why: most headings are such ("Design Details", "Non-Goals"), and
/// splitting them into parts ran for every heading a run had not seen
/// before (the KEPs' 5,900 distinct headings were prepared in 11.6 ms,
/// 8.7 ms with this and [`may_be_numbered`]).
fn one_part(text: &str) -> bool {
    !text.contains([':', ';', '—', '–', '(', ')', '[', ']', ',', '/', '+', '&'])
        && !text.contains(" - ")
        && !text
            .split_whitespace()
            .any(|w| w.eq_ignore_ascii_case("and"))
}

/// The parts a heading names, normalised: see [`Heading::candidates`].
fn parts<const SHORTCUTS: bool>(text: &str) -> Vec<String> {
    // Asides in brackets are parts of their own; the words around them
    // stay together ("Pod Security Standards (PSS) integration").
    let mut outer = String::with_capacity(text.len());
    let mut asides = vec![String::new()];
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' => {
                depth += 1;
                outer.push(' ');
            }
            ')' | ']' => {
                depth = depth.saturating_sub(1);
                asides.push(String::new());
            }
            c if depth == 0 => outer.push(c),
            c => asides.last_mut().into_iter().for_each(|a| a.push(c)),
        }
    }
    let mut segments: Vec<Vec<String>> = Vec::new();
    for segment in outer
        .split([':', ';', '—', '–'])
        .flat_map(|s| s.split(" - "))
        .chain(asides.iter().map(String::as_str))
    {
        let segment = if segment.contains('&') {
            Cow::Owned(segment.replace('&', " and "))
        } else {
            Cow::Borrowed(segment)
        };
        let (mut items, mut words) = (Vec::new(), Vec::new());
        for piece in segment.split([',', '/', '+']) {
            words.clear();
            words.extend(piece.split_whitespace());
            for run in words.split(|w| w.eq_ignore_ascii_case("and")) {
                let item = normalize_chars::<SHORTCUTS>(spaced(run));
                if !item.is_empty() {
                    items.push(item);
                }
            }
        }
        if !items.is_empty() {
            segments.push(items);
        }
    }
    // Each segment's items, then the parts made from them, moved (not
    // copied) into `out`; `before` is where the previous segment's items
    // start in it.
    let mut out: Vec<String> = Vec::new();
    let mut before: Option<(usize, usize)> = None;
    for items in segments {
        let mut made = Vec::new();
        if items.len() > 1 {
            // "unit and load testing": unit testing; "service level
            // objectives and indicators": service level indicators.
            let words: Vec<Vec<&str>> = items.iter().map(|i| i.split(' ').collect()).collect();
            let (first, last) = (&words[0], &words[words.len() - 1]);
            let singles = |ws: &[Vec<&str>]| ws.iter().all(|w| w.len() == 1);
            if last.len() > 1 && singles(&words[..words.len() - 1]) {
                let tail = last[1..].join(" ");
                made.extend(
                    words[..words.len() - 1]
                        .iter()
                        .map(|w| format!("{} {tail}", w[0])),
                );
            }
            if first.len() > 1 && singles(&words[1..]) {
                let head = first[..first.len() - 1].join(" ");
                made.extend(words[1..].iter().map(|w| format!("{head} {}", w[0])));
            }
        }
        // "Testing: unit and load": unit testing, load testing.
        if let Some((at, 1)) = before
            && let Some(before) = out.get(at)
            && before.split(' ').count() <= 2
            && items.iter().all(|i| !i.contains(' '))
        {
            made.extend(items.iter().map(|i| format!("{i} {before}")));
        }
        before = Some((out.len(), items.len()));
        out.extend(items);
        out.extend(made);
    }
    out
}

/// The characters of `words` with a space between each two.
fn spaced<'a>(words: &'a [&'a str]) -> impl Iterator<Item = char> + 'a {
    let mut gaps = std::iter::once(None).chain(std::iter::repeat(Some(' ')));
    words
        .iter()
        .flat_map(move |w| gaps.next().flatten().into_iter().chain(w.chars()))
}

/// The comparison key of a normalised heading or alias: its words (runs of
/// letters and digits), each reduced by [`stem`], run together, so that
/// punctuation and spacing do not matter ("re-enable" is "reenable",
/// "roll out" is "rollout", "i.e.," is "i.e.").
pub fn key(normalized: &str) -> String {
    let mut key = String::with_capacity(normalized.len());
    for word in normalized
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        push_stem(word, &mut key);
    }
    key
}

/// Reduces an English word so that its plural and `-ing` forms compare
/// equal to it: "designs" → "design", "dependencies" → "dependency",
/// "testing"/"tests" → "test", "logging"/"logs" → "log", "scaling"/"scale"
/// → "scal". Words of three letters or fewer are kept. Both sides of a
/// comparison are stemmed, so a stem need not be a word.
pub fn stem(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    push_stem(word, &mut out);
    out
}

/// Appends [`stem`] of `word` to `out`.
///
/// why: in place, on the end of `out`, counting characters (not bytes);
/// the suffixes are ASCII, so a suffix of characters is one of bytes. This
/// ran for every word of every part of every new heading, with a vector of
/// characters for the word and for each suffix it was compared with.
fn push_stem(word: &str, out: &mut String) {
    let start = out.len();
    out.push_str(word);
    // Length in characters of the stem so far, `out[start..]`.
    let mut n = if word.is_ascii() {
        word.len()
    } else {
        word.chars().count()
    };
    if n <= 3 {
        return;
    }
    let ends = |out: &String, n: usize, s: &str| n > s.len() && out[start..].ends_with(s);
    let cut = |out: &mut String, n: &mut usize, by: usize| {
        out.truncate(out.len() - by);
        *n -= by;
    };
    if ends(out, n, "ies") && n > 4 {
        cut(out, &mut n, 3);
        out.push('y');
        n += 1;
    } else if ends(out, n, "sses") {
        cut(out, &mut n, 2);
    } else if ends(out, n, "s") && !ends(out, n, "ss") && !ends(out, n, "us") && !ends(out, n, "is")
    {
        cut(out, &mut n, 1);
    }
    let vowel = |c: char| "aeiouy".contains(c);
    if ends(out, n, "ing") && n >= 6 && out[start..out.len() - 3].chars().any(vowel) {
        cut(out, &mut n, 3);
        let mut last = out[start..].chars().rev();
        if let (Some(a), Some(b)) = (last.next(), last.next())
            && a == b
            && !vowel(a)
            && !"lsz".contains(a)
        {
            out.pop();
            n -= 1;
        }
    }
    if n > 3 && out[start..].ends_with('e') {
        out.pop();
    }
}

/// Headings to compare the shortcuts of [`Heading::new`] and of the
/// heading index with the plain reading on: tricky ones, then the built-in
/// packs' aliases and the headings of their examples and rule tests, as
/// the parser gives them.
#[cfg(test)]
pub(crate) fn test_headings() -> Vec<String> {
    let code = crate::markdown::CODE_MARK;
    let mut out: Vec<String> = [
        "",
        " ",
        "SLA",
        "3.2. SLA:",
        "3.2 Summary & Motivation",
        "§ 4.1 Alerting",
        "§4 Alerting",
        "IV. Alerting",
        "xiv) Alerting",
        "b) Alerting",
        "ab. Alerting",
        "1) a) Nested numbering",
        "12 Alerting",
        "2024 roadmap",
        "2024. Roadmap",
        "\u{663}. Arabic-Indic three",
        "\u{663}\u{664} Alerting",
        "\u{212A}) Kelvin sign",
        "\u{130}. Dotted capital I",
        "Mix. of things",
        "I want a pony",
        "Testing: unit and load",
        "Unit and load testing",
        "Availability and Scalability",
        "Scalability & availability",
        "Security and privacy considerations",
        "Rollout, Upgrade and Rollback Planning",
        "Notes/Constraints/Caveats (Optional)",
        "Pod Security Standards (PSS) integration",
        "Service level objectives (SLOs)",
        "SLOs [optional]",
        "Design - details",
        "Design-details",
        "Design \u{2014} details",
        "Design\u{2013}details",
        "Design\u{2010}details",
        "Design \u{2003}-\u{2003} details",
        "Tests+benchmarks",
        "Rust and Go",
        "AND",
        "And so on",
        "Sandy band",
        "Alerts;paging",
        "& more",
        "X & Y",
        "x&y",
        "Zebra ZONE zz",
        "Load testing!",
        "What are the SLOs?",
        "Why not run load tests in CI?",
        "Version Skew within the Control Plane and Nodes",
        "Alternative 1: Add admission plugin that blocks gitRepo volumes",
        "Clean separation of contextual logging and traditional klog logging",
        "Alternatives to gengo/v2",
        "src/load/tests.rs",
        "testing.F",
        "snake_case tests",
        "Load\ttesting\u{a0}plan",
        "SLA\u{7}",
        "Design\u{1}details",
        "\u{130}stanbul alerting",
        "\u{FB01}les and logs",
        "Caf\u{e9} SLA",
        "\u{65E5}\u{672C} SLA",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    out.push(format!("{code} and bar"));
    out.push(format!("Security of {code} files"));
    out.push(format!("{code} {code} tests"));
    for (name, text) in crate::pack::BUILTIN_PACKS {
        let mut set = crate::pack::RuleSet::default();
        set.add_pack(std::path::Path::new(name), text, name)
            .unwrap_or_else(|e| panic!("{e}"));
        for rule in &set.rules {
            out.extend(rule.headings.iter().cloned());
            let documents =
                std::iter::once(&rule.example).chain(rule.tests.iter().map(|t| &t.document));
            for document in documents {
                let doc = crate::markdown::parse(document);
                out.extend(doc.sections.into_iter().map(|s| s.title_words));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Pieces that generated headings are made of: words, numbering,
/// separators, code and white space of every kind the shortcuts look
/// at.
#[cfg(test)]
pub(crate) fn heading_pieces() -> proptest::sample::Select<&'static str> {
    proptest::sample::select(vec![
        " ",
        "  ",
        "\t",
        "\u{a0}",
        "\u{2003}",
        "\u{1}",
        "\u{7}",
        "-",
        " - ",
        "_",
        "/",
        "+",
        ",",
        ":",
        ";",
        "&",
        "(",
        ")",
        "[",
        "]",
        "\u{2014}",
        "\u{2013}",
        "\u{2010}",
        ".",
        "?",
        "!",
        "\u{2026}",
        "\u{a7}",
        "3",
        "3.2",
        "12",
        "2024",
        "\u{663}",
        "iv",
        "xiv",
        "x",
        "i",
        "b",
        "ab",
        "\u{212A}",
        "\u{130}",
        "and",
        "And",
        "AND",
        "sandy",
        "load",
        "testing",
        "tests",
        "unit",
        "alerting",
        "SLA",
        "slos",
        "service",
        "level",
        "objectives",
        "Design",
        "details",
        "security",
        "privacy",
        "considerations",
        "rollout",
        "plan",
        "why",
        "the",
        "with",
        "src/a.rs",
        "a_b",
        "f()",
        "\u{FFFC}",
        "caf\u{e9}",
        "\u{FB01}les",
    ])
}

#[cfg(test)]
mod tests {
    use super::{
        Heading, heading_pieces, key, normalize, normalize_chars, one_part, parts, stem,
        test_headings,
    };

    /// The shortcuts of [`Heading::new`] ([`one_part`] and
    /// [`super::may_be_numbered`]) give what preparing the heading without
    /// them gives, on the built-in packs' headings, tricky ones and
    /// generated ones: a shortcut that skipped a part or a numbering would
    /// fail here.
    #[test]
    fn the_shortcuts_give_the_plain_reading() {
        use proptest::prelude::*;
        let check = |h: &str| -> Result<(), TestCaseError> {
            prop_assert_eq!(Heading::new(h), Heading::plain(h), "{:?}", h);
            let plain = normalize_chars::<false>(h.chars());
            prop_assert_eq!(normalize(h), plain.clone(), "{:?}", h);
            if one_part(h) {
                for part in parts::<false>(h) {
                    prop_assert_eq!(&part, &plain, "{:?}", h);
                }
            }
            Ok(())
        };
        let headings = test_headings();
        assert!(headings.len() > 300, "{}", headings.len());
        let mut shortcut = 0;
        for h in &headings {
            check(h).unwrap_or_else(|e| panic!("{e}"));
            shortcut += usize::from(one_part(h) && Heading::new(h).is_some());
        }
        // Both ways are taken.
        assert!(
            shortcut > 50 && shortcut < headings.len() - 50,
            "{shortcut}"
        );
        crate::check::test_support::proptest_runner(4000)
            .run(
                &proptest::collection::vec(heading_pieces(), 0..12),
                |pieces| check(&pieces.concat()),
            )
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// A heading's words as the parser gives them: each `code` span one mark.
    fn mark(s: &str) -> String {
        let mut out = String::new();
        let mut code = false;
        for c in s.chars() {
            if c == '`' {
                if !code {
                    out.push(crate::markdown::CODE_MARK);
                }
                code = !code;
            } else if !code {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn stems_plurals_and_ing_forms() {
        for (a, b) in [
            ("designs", "design"),
            ("dependencies", "dependency"),
            ("tests", "testing"),
            ("logs", "logging"),
            ("scale", "scaling"),
            ("alerts", "alerting"),
            ("scenarios", "scenario"),
            ("planning", "plan"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
        for (a, b) in [("status", "statu"), ("access", "acces"), ("thing", "th")] {
            assert_ne!(stem(a), stem(b), "{a} / {b}");
        }
        // Lengths count characters, not bytes.
        assert_eq!(stem("ñies"), "ñie");
        assert_eq!(stem("ﬁles"), "ﬁle");
        assert_eq!(stem("naïves"), "naïv");
        assert_eq!(stem("café"), "café");
        assert_eq!(stem("ǅǅing"), "ǅǅing");
        assert_eq!(stem("ŝaŝŝing"), "ŝaŝ");
        assert_eq!(key("detailed designs"), key("detailed design"));
        assert_eq!(
            key("what happens if we re enable it"),
            key("what happens if we reenable it")
        );
        assert_eq!(
            key("enabled (i.e., can we roll back)"),
            key("enabled (i.e. can we roll back)")
        );
        assert_eq!(
            key("slos (service level objectives)"),
            key(&normalize("SLO service-level objective"))
        );
    }

    #[test]
    fn a_combined_heading_names_each_part() {
        let has = |h: &str, want: &[&str]| {
            let got = Heading::new(&mark(h))
                .map(|h| h.candidates)
                .unwrap_or_default();
            for w in want {
                assert!(got.iter().any(|c| c == w), "{h:?}: no {w:?} in {got:?}");
            }
        };
        has(
            "Availability and Scalability",
            &[
                "availability and scalability",
                "availability",
                "scalability",
            ],
        );
        has(
            "Scalability & availability",
            &["scalability", "availability"],
        );
        has(
            "Testing: unit and load",
            &["testing", "unit testing", "load testing"],
        );
        has("Unit and load testing", &["unit testing", "load testing"]);
        has(
            "Security and privacy considerations",
            &["security considerations", "privacy considerations"],
        );
        has(
            "Context and Problem Statement",
            &["context", "problem statement"],
        );
        has(
            "Notes/Constraints/Caveats (Optional)",
            &["notes", "constraints", "caveats", "optional"],
        );
        has(
            "Rollout, Upgrade and Rollback Planning",
            &["rollout", "upgrade", "rollback planning"],
        );
        has("3.2 Summary & Motivation", &["summary", "motivation"]);
        has(
            "Pod Security Standards (PSS) integration",
            &["pod security standards integration", "pss"],
        );
        has("Service level objectives (SLOs)", &["slos"]);
    }

    #[test]
    fn code_and_paths_are_not_words() {
        for h in [
            "`testing` package",
            "`foo` `bar`",
            "github.com/minio/minio/vendor/github.com/eapache/go-resiliency/breaker/breaker.go:120",
            "testing.F",
            "`std::io` and `fs`",
            "",
        ] {
            assert_eq!(Heading::new(&mark(h)), None, "{h:?}");
        }
        for (h, whole) in [
            ("Alternatives to gengo/v2", "alternatives to"),
            ("Security of `designgate.toml` files", "security of files"),
            ("Upgrade/Downgrade Strategy", "upgrade downgrade strategy"),
            ("I/O and e.g. caching", "i o and e.g. caching"),
            ("Go 1.18 testing", "go 1.18 testing"),
        ] {
            let got = Heading::new(&mark(h)).unwrap_or_else(|| panic!("{h:?} has words"));
            assert_eq!(got.candidates[0], whole, "{h:?}");
        }
    }

    #[test]
    fn sentences_are_not_phrases() {
        let phrase = |h: &str| Heading::new(h).is_some_and(|h| h.patterns_from == 0);
        assert!(!phrase(
            "Verifies all dependencies in the current install, e.g:"
        ));
        assert!(!phrase("Why not pursue the alternatives?"));
        assert!(phrase(
            "Implementation Details/Notes/Constraints (Optional)"
        ));
        assert!(phrase("Rollout, Upgrade and Rollback Planning"));
        assert!(phrase("Upgrade/downgrade & feature enabled/disable tests"));
        // A sentence is matched whole, and by its label only.
        let candidates = |h: &str| Heading::new(h).unwrap_or_default().candidates;
        assert_eq!(
            candidates("Clean separation of contextual logging and traditional klog logging")[1..],
            ["clean separation"]
        );
        assert_eq!(
            candidates("Version Skew within the Control Plane and Nodes")[1..],
            ["version skew"]
        );
        assert_eq!(
            candidates("Alternative 1: Add admission plugin that blocks gitRepo volumes")[1..],
            ["alternative 1"]
        );
        assert_eq!(
            candidates("Testing an imported package found in another module").len(),
            1
        );
        assert_eq!(candidates("Why not use a CRD instead of a flag?").len(), 1);
        assert_eq!(
            candidates("Verifies all dependencies in the current install, e.g:").len(),
            1
        );
        // Brackets full of words do not make a short heading.
        let long = format!("Tests ({} and load testing)", "unit, ".repeat(5000));
        assert_eq!(candidates(&long).len(), 1);
    }

    #[test]
    fn strips_numbering_case_and_punctuation() {
        for (input, want) in [
            ("SLA", "sla"),
            ("3.2 SLA", "sla"),
            ("3.2. SLA:", "sla"),
            ("3) Load testing", "load testing"),
            ("IV. Alerting", "alerting"),
            ("b) Alerting", "alerting"),
            ("§ 4.1 Alerting", "alerting"),
            ("1 Summary", "summary"),
            ("  Load-Testing  ", "load testing"),
            ("Alerting & On-call", "alerting and on call"),
            ("What are the SLOs?", "what are the slos"),
            ("Fair usage policy (FUP)", "fair usage policy (fup)"),
            ("I want a pony", "i want a pony"),
            ("A plan", "a plan"),
            ("2024 roadmap", "2024 roadmap"),
            ("2024. Roadmap", "roadmap"),
            ("Mix. of things", "mix. of things"),
            ("XIV) Alerting", "alerting"),
            ("12 Alerting", "alerting"),
            ("SLA\u{7}", "sla"),
            ("", ""),
        ] {
            assert_eq!(normalize(input), want, "input: {input:?}");
        }
    }
}
