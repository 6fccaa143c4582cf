use std::ops::Range;

use super::{Budget, Check, Matched};
use crate::diagnostic::Diagnostic;
use crate::pack::ForbidScope;

/// ## What it does
/// Flags text in a section that matches one of the rule's `forbid` patterns:
/// placeholders such as `TBD`, `TODO`, `FIXME`, a lone `N/A`, lorem ipsum, or
/// untouched template text.
///
/// ## Why is this bad?
/// A placeholder makes a section look answered when it is not. Code blocks,
/// inline code, autolinks and bare URLs, HTML (comments, tags and their
/// attributes) and headings are not searched, so template instructions in
/// comments, `{{#with foo}}` or `context.TODO()` in backticks and a
/// `…/TODO.md` link do not trigger it. A placeholder word inside quotation
/// marks together with other words ("the “TODO list”") is named, not used,
/// and is not reported either.
///
/// ## Example
/// ```markdown
/// ## SLA
///
/// TBD with the platform team.
/// ```
pub struct Placeholder;

impl Check for Placeholder {
    fn name(&self) -> &'static str {
        "placeholder"
    }

    fn summary(&self) -> &'static str {
        "a section contains placeholder text matched by a `forbid` pattern"
    }

    fn applies_to(&self, rule: &crate::pack::Rule) -> bool {
        !rule.forbid.is_empty()
    }

    fn check(&self, m: &Matched<'_>, out: &mut Vec<Diagnostic>) {
        if m.rule.forbid.is_empty() {
            return;
        }
        let mut budget = Budget::new(out.len());
        for &top in &m.sections {
            let end = m.doc.sections[top].subtree_end;
            let mut i = top;
            while i < end {
                // Skip a subsection (and its subtree) that another rule claims.
                if i != top && m.claimed_by_other(i) {
                    i = m.doc.sections[i].subtree_end;
                    continue;
                }
                let own = i == top || m.claimed_by_self(i);
                self.search(m, i, own, out, &mut budget);
                i += 1;
            }
        }
        budget.finish(m, self.name(), "placeholder", out);
    }
}

impl Placeholder {
    /// Searches the prose directly in section `i` (not its subsections).
    /// `own`: the rule matched the section's heading itself, rather than
    /// the section being an unclaimed subsection of one it matched.
    fn search(
        &self,
        m: &Matched<'_>,
        i: usize,
        own: bool,
        out: &mut Vec<Diagnostic>,
        budget: &mut Budget,
    ) {
        let (base, prose) = m.doc.own_prose(i);
        if prose.trim().is_empty() {
            return;
        }
        // why: one pass of the combined set over the section finds which
        // patterns match at all; most sections match none, and a pack with
        // a hundred patterns would otherwise scan every section a hundred
        // times (issue 9: 65 s for one 256 KB section).
        let set = m.rule.forbid_set();
        if set.is_some() && !m.ctx.work.charge(prose.len()) {
            return;
        }
        let candidates = set.map(|set| set.matches(prose));
        for (n, forbid) in m.rule.forbid.iter().enumerate() {
            if candidates.as_ref().is_some_and(|c| !c.matched(n)) {
                continue;
            }
            // why: a lone `N/A` answers the question of the heading right
            // above it. Under a subsection no rule claims ("Related
            // proposals: N/A" inside Background) it says that subsection
            // does not apply, which is not the rule's concern.
            if forbid.scope == ForbidScope::Section && !own {
                continue;
            }
            if !m.ctx.work.charge(prose.len()) {
                return;
            }
            for hit in forbid.pattern.0.find_iter(prose) {
                if !m.ctx.work.charge(super::HIT_COST) {
                    return;
                }
                let text = hit.as_str().trim();
                if text.is_empty() {
                    continue;
                }
                let leading = hit.as_str().len() - hit.as_str().trim_start().len();
                let at = hit.start() + leading..hit.start() + leading + text.len();
                if !forbid.code && in_verbatim(m, base, &at, prose) {
                    continue;
                }
                if is_mentioned(prose, &at) || is_aside(prose, &at) {
                    continue;
                }
                // why: "What are other known failure modes? None." or "Are
                // there any …? No." answers the question: there are none.
                // A lone "N/A" says the question does not apply, and that
                // needs a reason; so does a "None" under a heading that
                // asks nothing ("## Alternatives").
                if forbid.scope == ForbidScope::Section
                    && (m.doc.sections[i].title.trim_end().ends_with('?')
                        || follows_question(prose, at.start))
                    && is_negative_answer(text)
                {
                    continue;
                }
                // why: a rule that asks for a list that may be empty
                // (`none_answers = true`: dependencies) takes "None." or
                // "N/A" under its own heading as the answer: there are none.
                if forbid.scope == ForbidScope::Section
                    && m.rule.none_answers
                    && (is_negative_answer(text) || is_not_applicable(text))
                {
                    continue;
                }
                if is_hedged(prose, &at) {
                    continue;
                }
                let start = m.doc.source_offset(base + at.start);
                if in_image_text(m.ctx.text, start..start + text.len()) {
                    continue;
                }
                if budget.full(out, start..start + text.len()) {
                    continue;
                }
                let mut message = format!(
                    "placeholder `{text}` in section `{}`",
                    m.doc.sections[i].title
                );
                if let Some(why) = &forbid.message {
                    message.push_str(": ");
                    message.push_str(why);
                }
                let help = "replace it with the real answer; if it is not known yet, say what is missing and who decides";
                out.push(m.diagnostic(
                    self.name(),
                    start..start + text.len(),
                    message,
                    Some(help.to_owned()),
                ));
            }
        }
    }
}

/// Whether the hit at `at` (relative to `prose`, which starts at `base` in
/// the document's prose) touches inline code, an autolink or a bare URL,
/// and so is not a placeholder. A hit that merely straddles a code span
/// (`{{` or `}}` written as two spans) counts as touching it.
fn in_verbatim(m: &Matched<'_>, base: usize, at: &Range<usize>, prose: &str) -> bool {
    let (start, end) = (base + at.start, base + at.end);
    let verbatim = &m.doc.verbatim;
    let i = verbatim.partition_point(|r| r.end <= start);
    if let Some(r) = verbatim.get(i).filter(|r| r.start < end) {
        // why: a code span holding one placeholder word and nothing else, or
        // a template slot in angle brackets (`` `pkg/x`: `2026-02-01` -
        // `TBD` ``, `` `<TBD date>` ``, as the KEP template's coverage lines
        // are written) is a placeholder in backticks, not code. Anything
        // else (`context.TODO()`, `{{#with foo}}`) is code.
        let raw = m.doc.prose[r.clone()].trim();
        let span = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let hit = &prose[at.clone()];
        let word = hit.chars().all(char::is_alphanumeric);
        let slot = raw.starts_with('<') && raw.ends_with('>') && r.start <= start && end <= r.end;
        // why: "the lines marked `XXX`", "a comment called `TODO`": a
        // placeholder word in backticks right after a naming word is
        // named, not left for later.
        let named = span == hit && names_next(&m.doc.prose, r.start);
        return !(word && ((span == hit && !named) || slot));
    }
    // GitHub links bare URLs; pulldown-cmark leaves them as text.
    // Bounded look-back: a line of thousands of hits must stay linear.
    let window = floor_char_boundary(prose, at.start.saturating_sub(URL_WINDOW));
    let token_start = prose[window..at.start]
        .rfind(char::is_whitespace)
        .map_or(window, |w| window + w + 1);
    let token = &prose[token_start..at.start];
    let token = token.trim_start_matches(['(', '[', '<', '"', '\'', '*', '_']);
    ["http://", "https://", "ftp://", "www."]
        .iter()
        .any(|scheme| {
            token
                .get(..scheme.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(scheme))
        })
}

/// How far back a hit is looked at for a bare URL it may be part of.
const URL_WINDOW: usize = 2048;
/// How far either side of a hit quotation marks are looked for.
const QUOTE_WINDOW: usize = 256;

/// The largest char boundary of `s` at or below `i`.
fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Whether the source range `at` lies in the text of a Markdown image
/// on its line: `![TBD][]`, `![TODO](todo.svg)`.
///
/// why: an image's text describes the image (a status badge reading "TBD"
/// in a table of goals); it is not an answer left unwritten. A missing
/// diagram is the business of the element and link checks.
fn in_image_text(source: &str, at: Range<usize>) -> bool {
    let (Some(before), Some(after)) = (
        source.get(floor_char_boundary(source, at.start.saturating_sub(QUOTE_WINDOW))..at.start),
        source.get(at.end..floor_char_boundary(source, (at.end + QUOTE_WINDOW).min(source.len()))),
    ) else {
        return false;
    };
    let before = before.rsplit('\n').next().unwrap_or_default();
    let after = after.split('\n').next().unwrap_or_default();
    let Some(open) = before.rfind("![") else {
        return false;
    };
    !before[open + 2..].contains([']', '['])
        && after.find(']').is_some_and(|c| !after[..c].contains('['))
}

/// Whether `text` is a plain negative answer ("None.", "No", "Nothing",
/// "Not known"), as opposed to "N/A", which says a question does not apply.
fn is_negative_answer(text: &str) -> bool {
    let t = text.trim().trim_end_matches(['.', '!']).trim();
    [
        "none",
        "no",
        "nothing",
        "not known",
        "none known",
        "unknown",
    ]
    .iter()
    .any(|w| t.eq_ignore_ascii_case(w))
}

/// Whether `text` is a lone "N/A", "NA" or "Not applicable".
fn is_not_applicable(text: &str) -> bool {
    let t = text.trim().trim_end_matches(['.', '!']).trim();
    ["n/a", "na", "not applicable"]
        .iter()
        .any(|w| t.eq_ignore_ascii_case(w))
}

/// Whether the line before the one holding `at` (blank lines skipped) asks
/// a question: "- What is the impact of not doing this?" / "None.".
///
/// why: a question written as a list item or a paragraph is answered by
/// the line below it just as one written as a heading is.
fn follows_question(prose: &str, at: usize) -> bool {
    let from = floor_char_boundary(prose, at.saturating_sub(QUOTE_WINDOW));
    let before = &prose[from..at];
    let Some(line_start) = before.rfind('\n') else {
        return false;
    };
    before[..line_start]
        .lines()
        .rev()
        .map(|l| l.trim().trim_end_matches(['*', '_']))
        .find(|l| !l.is_empty())
        .is_some_and(|l| l.ends_with('?'))
}

/// Whether the hit at `at` is hedged inside a sentence that goes on to give
/// the rough answer: "Exact details of the new format are still TBD, but
/// very roughly: it should be possible to …".
///
/// why: the author says which detail is open and answers the rest in the
/// same sentence. "Owner: TBD, but probably us" (too little before the
/// hit) or "TBD, but soon" (too little after it) are still placeholders.
fn is_hedged(prose: &str, at: &Range<usize>) -> bool {
    /// At least this many words before the hit on its line.
    const BEFORE: usize = 4;
    /// At least this many words after the "but", on the same line.
    const AFTER: usize = 5;
    let from = floor_char_boundary(prose, at.start.saturating_sub(QUOTE_WINDOW));
    let to = floor_char_boundary(prose, (at.end + QUOTE_WINDOW).min(prose.len()));
    let before = &prose[from..at.start];
    let before = before.rsplit('\n').next().unwrap_or_default();
    let after = prose[at.end..to].split('\n').next().unwrap_or_default();
    let Some(rest) = after
        .trim_start_matches([',', ';', ' '])
        .strip_prefix("but ")
    else {
        return false;
    };
    let words = |s: &str| {
        s.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
    };
    words(before) >= BEFORE && words(rest) >= AFTER
}

/// Whether the word before `at` in `prose` names what follows ("marked",
/// "called"): `the lines marked \`XXX\``.
fn names_next(prose: &str, at: usize) -> bool {
    let from = floor_char_boundary(prose, at.saturating_sub(QUOTE_WINDOW));
    let before = prose[from..at].trim_end();
    if before.len() == prose[from..at].len() {
        // why: no space before the span: it is glued to the word before.
        return false;
    }
    let word = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default();
    [
        "marked", "named", "called", "labelled", "labeled", "tagged", "flagged", "spelled",
    ]
    .iter()
    .any(|w| word.eq_ignore_ascii_case(w))
}

/// Whether the hit at `at` is a short aside in parentheses inside a line
/// that says something without it: "the following error (wording TBD)
/// when upgrading", "- (TODO) E2E test of a control-plane restart".
///
/// why: the sentence around it is the answer; the parenthesis only marks
/// one detail of it (a wording, a flag name, a test not written yet) as
/// open. "Owner: (TBD)" or "Rollback (TBD)" say nothing without it and
/// are still placeholders.
fn is_aside(prose: &str, at: &Range<usize>) -> bool {
    /// At most this many words inside the parentheses, the hit included.
    const INSIDE: usize = 4;
    /// At least this many words on the line outside the parentheses
    /// ("- Meeting notes and agenda (TBD)" is still a placeholder).
    const OUTSIDE: usize = 5;
    let from = floor_char_boundary(prose, at.start.saturating_sub(QUOTE_WINDOW));
    let to = floor_char_boundary(prose, (at.end + QUOTE_WINDOW).min(prose.len()));
    let line_start = prose[from..at.start]
        .rfind('\n')
        .map_or(from, |i| from + i + 1);
    let line_end = prose[at.end..to].find('\n').map_or(to, |i| at.end + i);
    let before = &prose[line_start..at.start];
    let after = &prose[at.end..line_end];
    let Some(open) = before.rfind('(').filter(|&o| !before[o..].contains(')')) else {
        return false;
    };
    let Some(close) = after.find(')').filter(|&c| !after[..c].contains('(')) else {
        return false;
    };
    let words = |s: &str| {
        s.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
    };
    let inside = words(&before[open + 1..]) + 1 + words(&after[..close]);
    let outside = words(&before[..open]) + words(&after[close + 1..]);
    inside <= INSIDE && outside >= OUTSIDE
}

/// Whether the hit at `at` sits inside quotation marks on its line together
/// with other words: "the "TODO list" of the council", “TBD markers”.
///
/// why: a placeholder word quoted with other words is being named (use
/// versus mention), not left for later. A quoted placeholder on its own
/// (`Owner: "TBD"`) is still a placeholder, and so is one in a block quote:
/// authors write their own notes and callouts (`> **Note:** TBD`) there,
/// and a TBD copied into a quote is no more finished.
fn is_mentioned(prose: &str, at: &Range<usize>) -> bool {
    // A quoted phrase is short: look at most QUOTE_WINDOW bytes either way,
    // so that a line of thousands of hits stays linear.
    let from = floor_char_boundary(prose, at.start.saturating_sub(QUOTE_WINDOW));
    let to = floor_char_boundary(prose, (at.end + QUOTE_WINDOW).min(prose.len()));
    let line_start = prose[from..at.start]
        .rfind('\n')
        .map_or(from, |i| from + i + 1);
    let line_end = prose[at.end..to].find('\n').map_or(to, |i| at.end + i);
    let before = &prose[line_start..at.start];
    let after = &prose[at.end..line_end];
    let quoted = |open: Option<usize>, close: Option<usize>| match (open, close) {
        (Some(o), Some(c)) => {
            let inside = format!("{}{}", &before[o..], &after[..c]);
            inside
                .split_whitespace()
                .any(|w| w.chars().any(char::is_alphanumeric))
        }
        _ => false,
    };
    // Straight quotes: inside when an odd number of them precede the hit.
    let straight = before.matches('"').count() % 2 == 1
        && quoted(before.rfind('"').map(|o| o + 1), after.find('"'));
    // Curly quotes: an opening one with no closing one after it, and a
    // closing one after the hit.
    let curly = before
        .rfind('“')
        .is_some_and(|o| !before[o..].contains('”'))
        && quoted(
            before.rfind('“').map(|o| o + '“'.len_utf8()),
            after.find('”'),
        );
    straight || curly
}

#[cfg(test)]
mod tests {
    use crate::check::test_support::{lint, rules};

    const FORBID: &str = "[[rule.forbid]]\npattern = '\\bTBD\\b'\nmessage = \"fill it in\"\n";

    #[test]
    fn reports_each_placeholder_at_its_position() {
        let found = lint(
            "# T\n\n## SLA\n\nLatency TBD.\n\n### More\n\n> Also TBD\n",
            &rules(FORBID),
        );
        assert_eq!(
            found,
            [
                "placeholder:5:placeholder `TBD` in section `SLA`: fill it in",
                "placeholder:9:placeholder `TBD` in section `More`: fill it in",
            ]
        );
    }

    #[test]
    fn ignores_code_comments_and_other_sections() {
        // A code span that is only the placeholder word is the placeholder
        // in backticks, and is reported.
        let text = "# TBD\n\n## SLA\n\n`TBD` is a placeholder in backticks.\n\n```\nTBD\n```\n\n<!-- TBD -->\n\n## Other\n\nTBD\n";
        assert_eq!(
            lint(text, &rules(FORBID)),
            ["placeholder:5:placeholder `TBD` in section `SLA`: fill it in"]
        );
    }

    #[test]
    fn placeholder_in_a_subsection_of_another_rule_belongs_to_that_rule() {
        let second = "[[rule]]\nid = \"load\"\narea = \"clarity\"\ntitle = \"Load\"\nheadings = [\"Load testing\"]\n[[rule.forbid]]\npattern = '\\bTBD\\b'\n";
        let rules = rules(&format!("{FORBID}{second}"));
        let found = lint(
            "## SLA\n\n### Load testing\n\nTBD\n\n### Notes\n\nTBD\n",
            &rules,
        );
        assert_eq!(
            found,
            [
                "placeholder:9:placeholder `TBD` in section `Notes`: fill it in",
                "placeholder:5:placeholder `TBD` in section `Load testing`",
            ]
        );
    }

    #[test]
    fn code_links_urls_and_html_are_not_searched() {
        let template = "[[rule.forbid]]\npattern = '\\{\\{[^}\\n]*\\}\\}|\\bTODO\\b'\n";
        let rules = rules(template);
        let text = "## SLA\n\n\
            Render it with `{{#with foo as bar}}` and call `context.TODO()` first.\n\
            Escape `{{` or `}}` in strings.\n\
            See <https://example.com/TODO> and https://example.com/TODO/list,\n\
            [the list](https://example.com/TODO) and <img alt=\"TODO\" src=\"x.png\">.\n\
            \n\
            {{service name}} is still TODO.\n";
        assert_eq!(
            lint(text, &rules),
            [
                "placeholder:8:placeholder `{{service name}}` in section `SLA`",
                "placeholder:8:placeholder `TODO` in section `SLA`",
            ]
        );
    }

    #[test]
    fn a_placeholder_named_in_quotes_is_a_mention() {
        let rules = rules("[[rule.forbid]]\npattern = '\\b(?:TODO|TBD)\\b'\n");
        let text = "## SLA\n\n\
            The council keeps a \"TODO list\" and “TBD markers”.\n\n\
            Owner: \"TBD\"\n\n\
            > **Note:** TODO ask the platform team.\n";
        assert_eq!(
            lint(text, &rules),
            [
                "placeholder:5:placeholder `TBD` in section `SLA`",
                "placeholder:7:placeholder `TODO` in section `SLA`",
            ]
        );
    }

    #[test]
    fn a_short_aside_in_a_full_line_is_not_a_placeholder() {
        let rules = rules("[[rule.forbid]]\npattern = '\\b(?:TODO|TBD)\\b'\n");
        let text = "## SLA\n\n\
            The upgrade fails with this error (wording TBD) on the 2021 edition.\n\n\
            - (TODO) E2E test of a control-plane restart after an upgrade.\n\n\
            Owner: (TBD)\n\n\
            - Meeting notes and agenda (TBD)\n\n\
            The target is (TBD, we wait for the platform team to measure it) soon.\n";
        assert_eq!(
            lint(text, &rules),
            [
                "placeholder:7:placeholder `TBD` in section `SLA`",
                "placeholder:9:placeholder `TBD` in section `SLA`",
                "placeholder:11:placeholder `TBD` in section `SLA`",
            ]
        );
    }

    #[test]
    fn a_placeholder_word_in_backticks_after_a_naming_word_is_named() {
        let rules = rules("[[rule.forbid]]\npattern = '\\b(?:XXX|TBD)\\b'\n");
        let text = "## SLA\n\n\
            The lines marked `XXX` have to use unwrap.\n\n\
            - `pkg/x`: `2026-02-01` - `TBD`\n\n\
            Latency: `TBD`\n";
        assert_eq!(
            lint(text, &rules),
            [
                "placeholder:5:placeholder `TBD` in section `SLA`",
                "placeholder:7:placeholder `TBD` in section `SLA`",
            ]
        );
    }

    #[test]
    fn a_lone_na_counts_only_under_the_rules_own_heading() {
        let na = "[[rule.forbid]]\npattern = '(?im)^\\s*(?:n/?a|none)\\s*\\.?\\s*$'\nscope = \"section\"\n\
                  [[rule.forbid]]\npattern = '\\bTBD\\b'\n";
        let rules = rules(na);
        let text = "## SLA\n\nN/A\n\n### Related proposals\n\nN/A\n\n### Targets\n\nTBD\n\n### Service level agreement\n\nNone.\n";
        assert_eq!(
            lint(text, &rules),
            [
                "placeholder:3:placeholder `N/A` in section `SLA`",
                "placeholder:11:placeholder `TBD` in section `Targets`",
                "placeholder:15:placeholder `None.` in section `Service level agreement`",
            ]
        );
    }

    #[test]
    fn the_text_of_an_image_is_not_searched() {
        let rules = rules(FORBID);
        let text = "## SLA\n\n| goal | owner |\n|---|---|\n| faster builds | ![TBD][] |\n\n\
                    ![TBD](tbd.svg) is our status badge; latency TBD.\n\n[TBD]: https://img.shields.io/badge/TBD-red\n";
        assert_eq!(
            lint(text, &rules),
            ["placeholder:7:placeholder `TBD` in section `SLA`: fill it in"]
        );
    }

    #[test]
    fn none_answers_a_question_heading_but_na_does_not() {
        let na = "[[rule]]\nid = \"avail\"\narea = \"clarity\"\ntitle = \"Availability\"\n\
                  headings = [\"What are other known failure modes?\", \"Alternatives\"]\n\
                  [[rule.forbid]]\npattern = '(?im)^\\s*(?:n/?a|none|nothing)\\s*\\.?\\s*$'\nscope = \"section\"\n";
        let rules = rules(na);
        let text = "# T\n\n## What are other known failure modes?\n\nNone.\n";
        assert_eq!(lint(text, &rules), Vec::<String>::new());
        let text = "# T\n\n## What are other known failure modes?\n\nN/A\n";
        assert_eq!(
            lint(text, &rules),
            ["placeholder:5:placeholder `N/A` in section `What are other known failure modes?`"]
        );
        let text = "# T\n\n## Alternatives\n\nNone.\n";
        assert_eq!(
            lint(text, &rules),
            ["placeholder:5:placeholder `None.` in section `Alternatives`"]
        );
    }

    #[test]
    fn none_answers_a_question_written_as_a_line() {
        let na = "[[rule.forbid]]\npattern = '(?im)^\\s*(?:n/?a|none)\\s*\\.?\\s*$'\nscope = \"section\"\n";
        let rules = rules(na);
        let text = "## SLA\n\n- What is the impact of not doing this?\n\n    None.\n\n\
                    - Which targets apply?\n\n    N/A\n\nNone.\n";
        assert_eq!(
            lint(text, &rules),
            [
                "placeholder:9:placeholder `N/A` in section `SLA`",
                "placeholder:11:placeholder `None.` in section `SLA`",
            ]
        );
    }

    #[test]
    fn a_rule_whose_list_may_be_empty_takes_none_and_na() {
        let forbid = "[[rule.forbid]]\npattern = '(?im)^\\s*(?:n/?a|none)\\s*\\.?\\s*$'\nscope = \"section\"\n\
                      [[rule.forbid]]\npattern = '\\bTBD\\b'\n";
        let with = rules(&format!("none_answers = true\n{forbid}"));
        let without = rules(forbid);
        let text = "## SLA\n\nNone.\n\n### Service level agreement\n\nN/A\n\nTBD\n";
        assert_eq!(
            lint(text, &with),
            ["placeholder:9:placeholder `TBD` in section `Service level agreement`"]
        );
        assert_eq!(lint(text, &without).len(), 3);
    }

    #[test]
    fn a_hedged_placeholder_followed_by_the_rough_answer_is_not_one() {
        let rules = rules("[[rule.forbid]]\npattern = '\\bTBD\\b'\n");
        let text = "## SLA\n\n\
            Exact details of the format are still TBD, but very roughly: a header, then\n\
            one blob per package.\n\n\
            Owner: TBD, but probably the platform team.\n\n\
            The latency target is TBD, but soon.\n";
        assert_eq!(
            lint(text, &rules),
            [
                "placeholder:6:placeholder `TBD` in section `SLA`",
                "placeholder:8:placeholder `TBD` in section `SLA`",
            ]
        );
    }

    #[test]
    fn a_section_of_two_rules_reports_the_more_severe_finding() {
        let forbid = "[[rule.forbid]]\npattern = '\\bTBD\\b'\n";
        let second = "[[rule]]\nid = \"avail\"\narea = \"clarity\"\ntitle = \"Availability\"\n\
                      severity = \"warning\"\nheading_patterns = ['\\bavailability\\b']\n";
        // The warning rule comes first in pack order, the error rule second.
        let rules = rules(&format!(
            "heading_patterns = ['\\bsla\\b']\n{forbid}{second}{forbid}"
        ));
        let doc = crate::markdown::parse("## Availability and SLA\n\nTBD\n");
        let ctx = crate::check::Context {
            rules: &rules,
            path: "design/t.md",
            local_path: "design/t.md",
            snapshot: &crate::snapshot::Empty,
            text: "",
            work: &crate::check::Work::default(),
        };
        let found: Vec<_> = crate::check::check_document(&doc, ctx)
            .into_iter()
            .filter(|d| d.check == "placeholder")
            .map(|d| (d.rule, d.severity))
            .collect();
        assert_eq!(found, [("sla".to_owned(), crate::pack::Severity::Error)]);
    }
}
