//! "Did you mean" suggestions for misspelt keys, rule ids and areas.

/// Words longer than this get no suggestion: typos are in names people
/// type, and comparing a name of megabytes would cost its length squared.
const MAX_WORD_CHARS: usize = 64;

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo: about a third of the word's length in edits (and at least one).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    if len > MAX_WORD_CHARS {
        return None;
    }
    let limit = (len.div_ceil(3)).max(1);
    candidates
        .into_iter()
        // A length difference is a lower bound of the distance.
        .filter(|c| c.len() <= 4 * MAX_WORD_CHARS && c.chars().count().abs_diff(len) <= limit)
        .map(|c| (distance(word, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// `"; did you mean `x`?"`, or nothing.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

/// Edit distance over characters, case-insensitive, where swapping two
/// neighbours (`tabel` → `table`) is one edit (optimal string alignment).
/// Keeps three rows of the table, not all of it.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    // Rows i-2, i-1 and i of the full table.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            row[j] = best;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

/// Adds a suggestion to a serde "unknown field `x`, expected one of `a`,
/// `b`" (or "unknown variant") message, as toml reports it.
pub fn enrich_serde_message(message: &str) -> String {
    let Some(rest) = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))
    else {
        return message.to_owned();
    };
    let Some((word, expected)) = rest.split_once('`') else {
        return message.to_owned();
    };
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    format!("{message}{}", did_you_mean(word, candidates))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(
            closest("min_word", ["min_words", "headings"]),
            Some("min_words")
        );
        assert_eq!(
            closest("load-test", ["load-testing", "sla"]),
            Some("load-testing")
        );
        assert_eq!(closest("alerts", ["sla", "cost"]), None);
        assert_eq!(
            closest("laod-testing", ["load-testing", "sla"]),
            Some("load-testing")
        );
        assert_eq!(closest("x", ["sla"]), None);
        assert_eq!(closest("tabel", ["list", "table"]), Some("table"));
        assert_eq!(closest("match", ["equals", "matches"]), Some("matches"));
        assert_eq!(closest("ab", ["ba"]), Some("ba"));
        assert_eq!(super::distance("kitten", "sitting"), 3);
        assert_eq!(super::distance("", "abc"), 3);
        assert_eq!(super::distance("ca", "abc"), 3);
        // A name of megabytes is not compared at all.
        let huge = "x".repeat(1 << 20);
        assert_eq!(closest(&huge, ["x", huge.as_str()]), None);
        assert_eq!(
            enrich_serde_message("unknown field `min_word`, expected one of `id`, `min_words`"),
            "unknown field `min_word`, expected one of `id`, `min_words`; did you mean `min_words`?"
        );
    }
}
