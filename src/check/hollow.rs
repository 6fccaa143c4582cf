use std::sync::LazyLock;

use regex::Regex;

use super::{Check, Matched};
use crate::diagnostic::Diagnostic;
use crate::markdown::{Document, ElementKind, count_words};

/// ## What it does
/// Flags a section that is present but holds less than the rule's
/// `min_words`: a heading with nothing under it, a bare `N/A` or `TBD`, or a
/// word or two where an answer belongs.
///
/// What counts, in the section and its subsections:
/// - prose words (headings and HTML comments do not count);
/// - each non-blank line of a code block, as one word: an API signature or a
///   config sample is content;
/// - not a bare placeholder: prose that is only `N/A`, `TBD`, `TODO` or
///   `Not applicable` counts as nothing.
///
/// Two kinds of short sections are complete whatever their length:
/// - one that says why it does not apply: `N/A (docs only)`,
///   `NA -- distributed as a client-side binary`;
/// - a questionnaire whose every question (a subsection heading ending in
///   `?`) is answered: "No." answers a yes/no question ("Does this feature
///   depend on …?"); an open question ("What are other known failure
///   modes?") needs more than one word.
///
/// A section whose only prose is a placeholder the rule forbids (`TBD`) is
/// left to the placeholder check: one problem, one finding.
///
/// ## Why is this bad?
/// An empty heading, or one line, satisfies a checklist on paper only. The
/// checklist exists to make the author think the item through.
///
/// ## Example
/// ```markdown
/// ## Load testing
///
/// We will do it.
/// ```
pub struct HollowSection;

impl Check for HollowSection {
    fn name(&self) -> &'static str {
        "hollow-section"
    }

    fn summary(&self) -> &'static str {
        "a section has less content than the rule's `min_words`"
    }

    fn applies_to(&self, rule: &crate::pack::Rule) -> bool {
        rule.min_words > 0
    }

    fn check(&self, m: &Matched<'_>, out: &mut Vec<Diagnostic>) {
        let Some(&first) = m.sections.first() else {
            return;
        };
        let min = m.rule.min_words;
        if min == 0 {
            return;
        }
        let content = Content::of(m.doc, m.ctx.text, &m.sections);
        if content.words >= min || content.not_applicable_with_reason || content.all_answered() {
            return;
        }
        // A rule that asks for a list that may be empty (dependencies)
        // takes a lone "None." or "N/A" as the answer: there are none.
        if m.rule.none_answers && content.lone_none {
            return;
        }
        // One problem, one finding: a section that only says `TBD` is the
        // placeholder check's to report when the rule forbids that text.
        if let (Some(bare), 0) = (&content.bare, content.words)
            && m.rule.forbid.iter().any(|f| f.pattern.0.is_match(bare))
        {
            return;
        }
        let title = m.title();
        let mut message = match (&content.bare, content.words) {
            (Some(bare), 0) => {
                format!("section `{title}` only says `{bare}`: a bare placeholder is not an answer")
            }
            (None, 0) => format!("section `{title}` is empty"),
            (_, words) => format!(
                "section `{title}` is hollow: {words} word{}, at least {min} expected",
                if words == 1 { "" } else { "s" },
            ),
        };
        let open = content.questions - content.answered;
        match content.unanswered {
            // The section is the question: its title says it all.
            Some(q) if q == first && content.questions == 1 => {}
            Some(_) if content.answered == 0 && open > 1 => {
                message.push_str(&format!("; none of its {open} questions has an answer"));
            }
            Some(q) => {
                message.push_str(&format!(
                    "; question `{}` has no answer",
                    m.doc.sections[q].title
                ));
                if open > 1 {
                    message.push_str(&format!(" ({open} of {} are open)", content.questions));
                }
            }
            None => {}
        }
        let help = format!(
            "write at least {min} word{}, or say why it does not apply (\"N/A: <reason>\"); \
             a line of code counts as one word, headings and a bare N/A or TBD count as none",
            if min == 1 { "" } else { "s" },
        );
        out.push(m.diagnostic(
            self.name(),
            m.doc.sections[first].heading.clone(),
            message,
            Some(help),
        ));
    }
}

/// What a rule's matched sections hold, as this check counts it.
#[derive(Debug, Default)]
struct Content {
    /// Prose words outside bare placeholders, plus one per line of code.
    words: usize,
    /// The placeholder, when the only prose is bare placeholders.
    bare: Option<String>,
    /// The whole prose is "N/A" (or "not applicable") followed by a reason.
    not_applicable_with_reason: bool,
    /// Question subsections (headings ending in `?`).
    questions: usize,
    /// Questions with an answer.
    answered: usize,
    /// The first question without an answer.
    unanswered: Option<usize>,
    /// The whole prose is one "None", "No", "Nothing" or "N/A".
    lone_none: bool,
}

impl Content {
    fn of(doc: &Document, text: &str, sections: &[usize]) -> Content {
        let mut c = Content::default();
        // The prose of the first section that has any: where a
        // not-applicable and its reason stand (a "No." to the next question
        // is not the reason for an "N/A." before it).
        let mut first_prose = None;
        let mut only_bare = true;
        let mut prose_lines = 0;
        let mut lone = true;
        for &top in sections {
            c.words += code_lines(doc, text, top);
            for i in top..doc.sections[top].subtree_end {
                let (_, own) = doc.own_prose(i);
                // `own_words` is `count_words(own)`, counted while parsing.
                let has_words = doc.sections[i].own_words > 0;
                if first_prose.is_none() && has_words {
                    first_prose = Some(own);
                }
                if has_words {
                    prose_lines += 1;
                    lone &= is_none(own);
                }
                if let Some(p) = bare_placeholder(own) {
                    c.bare.get_or_insert(p);
                } else if has_words {
                    c.words += doc.sections[i].own_words;
                    only_bare = false;
                }
                if is_question(&doc.sections[i].title) {
                    c.questions += 1;
                    if answered(doc, text, i) {
                        c.answered += 1;
                    } else if c.unanswered.is_none() {
                        c.unanswered = Some(i);
                    }
                }
            }
        }
        if !only_bare {
            c.bare = None;
        }
        c.not_applicable_with_reason = first_prose.is_some_and(not_applicable_with_reason);
        c.lone_none = prose_lines == 1 && lone;
        c
    }

    /// A questionnaire with every question answered.
    fn all_answered(&self) -> bool {
        self.questions > 0 && self.unanswered.is_none()
    }
}

/// Whether `prose` is a bare "No" / "N/A" rather than "None"/"Nothing".
fn is_no(prose: &str) -> bool {
    let core = prose
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '/')
        .to_lowercase();
    ["no", "n/a", "na", "not applicable"].contains(&core.as_str())
}

/// A question about whether any exist ("What are other known failure
/// modes?", "Which other components are affected, if any?"), as opposed to
/// one that asks for a thing every design has ("What are the reasonable
/// SLOs?", which "None" does not answer).
fn asks_for_any(title: &str) -> bool {
    title
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case("any") || w.eq_ignore_ascii_case("other"))
}

/// Whether `prose` is one "None", "No", "Nothing" or "N/A", with markup
/// and a full stop around it.
fn is_none(prose: &str) -> bool {
    if prose.len() > 32 {
        return false;
    }
    let core = prose
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '/')
        .to_lowercase();
    [
        "none",
        "none known",
        "not known",
        "no",
        "nothing",
        "n/a",
        "na",
        "not applicable",
    ]
    .contains(&core.as_str())
}

/// Non-blank lines of code blocks in section `i` and its subsections (the
/// fence lines not included).
fn code_lines(doc: &Document, text: &str, i: usize) -> usize {
    let s = &doc.sections[i];
    // Elements are recorded as they start, so they are sorted by start.
    let first = doc
        .elements
        .partition_point(|e| e.range.start < s.heading.end);
    doc.elements[first..]
        .iter()
        .take_while(|e| e.range.start < s.end)
        .filter(|e| e.kind == ElementKind::Code && e.range.end <= s.end)
        .filter_map(|e| text.get(e.range.clone()))
        .map(|code| {
            code.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("```") && !l.starts_with("~~~"))
                .count()
        })
        .sum()
}

/// A heading that asks something: "Does this feature depend on …?".
fn is_question(title: &str) -> bool {
    title.trim_end().ends_with('?')
}

/// A question that "yes" or "no" answers: it starts with an auxiliary verb.
fn is_yes_no(title: &str) -> bool {
    const AUX: &[&str] = &[
        "is", "are", "was", "were", "do", "does", "did", "will", "would", "can", "could", "should",
        "shall", "may", "might", "must", "has", "have", "had",
    ];
    let first = title
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_lowercase();
    AUX.contains(&first.as_str())
}

/// Whether question section `q` is answered: by code, by a not-applicable
/// with its reason, by any word for a yes/no question ("No."), by more than
/// one word for an open one ("What are other known failure modes?" is not
/// answered by "No").
fn answered(doc: &Document, text: &str, q: usize) -> bool {
    let (_, prose) = doc.subtree_prose(q);
    if code_lines(doc, text, q) > 0 || not_applicable_with_reason(doc.own_prose(q).1) {
        return true;
    }
    if bare_placeholder(prose).is_some() {
        return false;
    }
    // "What are other known failure modes?" / "None.": a question about
    // whether any exist is answered by "none".
    // ("No" stays too short for it: it answers a yes/no question.)
    if is_none(prose) && !is_no(prose) && asks_for_any(&doc.sections[q].title) {
        return true;
    }
    let words = count_words(prose);
    words
        >= if is_yes_no(&doc.sections[q].title) {
            1
        } else {
            2
        }
}

/// Words that mean "this does not apply".
const NOT_APPLICABLE: &[&str] = &["n/a", "n.a.", "na", "not applicable", "does not apply"];

/// Words that stand in for an answer not written yet.
const NOT_YET: &[&str] = &[
    "tbd",
    "tbc",
    "todo",
    "fixme",
    "xxx",
    "to be determined",
    "to be decided",
    "not yet",
];

/// The placeholder, when `prose` is nothing but one ("N/A", "TBD.",
/// "*Not applicable*"), as written.
fn bare_placeholder(prose: &str) -> Option<String> {
    // The longest, "to be determined", with markup and white space around.
    if prose.len() > 64 {
        return None;
    }
    let trimmed = prose.trim_matches(|c: char| !c.is_alphanumeric() && c != '/' && c != '.');
    let core = trimmed.trim_end_matches('.').trim();
    let lower = core.to_lowercase();
    let hit = NOT_APPLICABLE
        .iter()
        .chain(NOT_YET)
        .any(|p| lower == *p || lower == p.trim_end_matches('.'));
    (hit && !core.is_empty()).then(|| trimmed.to_owned())
}

/// Compiles this check's pattern now (see [`super::warm_up`]).
pub(super) fn warm_up() {
    LazyLock::force(&PLACEHOLDER_WORDS);
}

/// Every placeholder of [`NOT_APPLICABLE`] and [`NOT_YET`], as whole words.
static PLACEHOLDER_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // a constant pattern, covered by the tests below
    Regex::new(
        r"(?i)\b(?:n/a|n\.a|na|not applicable|does not apply|tbd|tbc|todo|fixme|xxx|to be determined|to be decided|not yet)\b",
    )
    .unwrap()
});

/// "N/A (docs only)", "NA -- distributed as a client-side binary", "Not
/// applicable: the feature has no API": a not-applicable followed by a
/// reason of at least one word that is not itself a placeholder ("N/A.
/// N/A." under two headings gives no reason).
fn not_applicable_with_reason(prose: &str) -> bool {
    let text = prose.trim_start_matches(|c: char| !c.is_alphanumeric());
    let lower = text.to_lowercase();
    NOT_APPLICABLE.iter().any(|p| {
        let Some(rest) = lower.strip_prefix(p) else {
            return false;
        };
        // A whole word: "NA" is not the start of "NAT".
        if rest.chars().next().is_some_and(char::is_alphanumeric) {
            return false;
        }
        count_words(&PLACEHOLDER_WORDS.replace_all(rest, " ")) > 0
    })
}

#[cfg(test)]
mod tests {
    use crate::check::test_support::{lint, rules};

    #[test]
    fn counts_prose_and_code_lines_of_subsections_but_not_headings() {
        let rules = rules("min_words = 5");
        assert_eq!(
            lint(
                "# T\n\n## SLA\n\nOne `two` three.\n### Four five six seven\n",
                &rules
            ),
            ["hollow-section:3:section `SLA` is hollow: 3 words, at least 5 expected"]
        );
        assert!(
            lint(
                "# T\n\n## SLA\n\nOne two.\n\n### Detail\n\n- three\n- four five\n",
                &rules
            )
            .is_empty()
        );
        // An HTML comment is no content: the template's guidance left alone.
        assert_eq!(
            lint(
                "# T\n\n## SLA\n\n<!--\nWhat are the reasonable SLOs for the service?\n-->\n",
                &rules
            ),
            ["hollow-section:3:section `SLA` is empty"]
        );
    }

    #[test]
    fn a_design_given_as_code_is_content() {
        let rules = rules("min_words = 5");
        // The whole design as a code block (rust-lang/rfcs 1581): five lines.
        let design = "# T\n\n## SLA\n\n```rust\ntrait FusedIterator: Iterator {}\n\n\
                      impl<I: Iterator> FusedIterator for Fuse<I> {}\n\
                      impl<A> FusedIterator for Range<A> {}\n\
                      impl<T> FusedIterator for Empty<T> {}\n\
                      impl<T> FusedIterator for Once<T> {}\n```\n";
        assert!(lint(design, &rules).is_empty());
        // A few words and a short code sample add up.
        assert!(
            lint(
                "# T\n\n## SLA\n\nAdd these methods:\n\n    fn get(&self) -> Option<&T>;\n    fn take(&mut self) -> Option<T>;\n",
                &rules
            )
            .is_empty()
        );
        // One line of code is one word: still hollow.
        assert_eq!(
            lint("# T\n\n## SLA\n\n```\nslo: 99.9\n```\n", &rules),
            ["hollow-section:3:section `SLA` is hollow: 1 word, at least 5 expected"]
        );
    }

    #[test]
    fn a_questionnaire_with_every_question_answered_is_complete() {
        let rules = rules("min_words = 10");
        let all_no = "# T\n\n## SLA\n\n###### Will enabling this feature result in any new API calls?\n\nNo.\n\n\
                      ###### Will enabling this feature result in introducing new API types?\n\nNo\n";
        assert!(lint(all_no, &rules).is_empty());
        // One unanswered question: the section is judged by its words, and
        // the message names the question.
        let one_open = "# T\n\n## SLA\n\n###### Does this feature depend on any specific services?\n\n\
                        ###### Will it increase the size of API objects?\n\nNo.\n";
        assert_eq!(
            lint(one_open, &rules),
            [
                "hollow-section:3:section `SLA` is hollow: 1 word, at least 10 expected; \
                 question `Does this feature depend on any specific services?` has no answer"
            ]
        );
        // "No" does not answer an open question.
        assert_eq!(
            lint(
                "# T\n\n## SLA\n\n###### What are other known failure modes?\n\nNo\n",
                &rules
            ),
            [
                "hollow-section:3:section `SLA` is hollow: 1 word, at least 10 expected; \
                 question `What are other known failure modes?` has no answer"
            ]
        );
        // A section that is itself the question is not named twice.
        // (A question heading matches a rule by its whole text, see
        // `heading::Heading`.)
        let question = {
            let mut set = crate::pack::RuleSet::default();
            set.add_pack(
                std::path::Path::new("t.toml"),
                "[pack]\nname = \"t\"\n[[area]]\nid = \"a\"\ntitle = \"A\"\n\
                 [[rule]]\nid = \"modes\"\narea = \"a\"\ntitle = \"Failure modes\"\n\
                 headings = [\"What are other known failure modes?\"]\nmin_words = 5\n",
                "t.toml",
            )
            .unwrap_or_else(|e| panic!("{e}"));
            set
        };
        assert_eq!(
            lint(
                "# T\n\n## Notes\n\nText.\n\n###### What are other known failure modes?\n\nNo\n",
                &question
            ),
            [
                "hollow-section:7:section `What are other known failure modes?` is hollow: 1 word, at least 5 expected"
            ]
        );
        // Nothing answered: the count, not the first question.
        assert_eq!(
            lint(
                "# T\n\n## SLA\n\n###### Is it on?\n\n###### What breaks?\n\n###### Who is paged?\n\nThe on-call engineer.\n",
                &rules
            ),
            [
                "hollow-section:3:section `SLA` is hollow: 3 words, at least 10 expected; \
                 question `Is it on?` has no answer (2 of 3 are open)"
            ]
        );
        assert_eq!(
            lint(
                "# T\n\n## SLA\n\n###### Is it on?\n\n###### What breaks?\n",
                &rules
            ),
            ["hollow-section:3:section `SLA` is empty; none of its 2 questions has an answer"]
        );
        assert!(
            lint(
                "# T\n\n## SLA\n\n###### What are other known failure modes?\n\nNone known.\n",
                &rules
            )
            .is_empty()
        );
        // "None." answers a question about whether any exist; it does not
        // answer one that asks for what every design has.
        assert!(
            lint(
                "# T\n\n## SLA\n\n###### What are other known failure modes?\n\nNone.\n",
                &question
            )
            .is_empty()
        );
        assert_eq!(
            lint(
                "# T\n\n## SLA\n\n###### What are the reasonable SLOs?\n\nNone.\n",
                &rules
            ),
            [
                "hollow-section:3:section `SLA` is hollow: 1 word, at least 10 expected; \
                 question `What are the reasonable SLOs?` has no answer"
            ]
        );
        // Bare N/A under every question is not an answer, and no content.
        assert_eq!(
            lint(
                "# T\n\n## SLA\n\n###### Does it depend on other services?\n\nN/A\n\n\
                 ###### How can a rollout fail?\n\nNot applicable.\n",
                &rules
            ),
            [
                "hollow-section:3:section `SLA` only says `N/A`: a bare placeholder is not an answer; \
                 none of its 2 questions has an answer"
            ]
        );
    }

    #[test]
    fn not_applicable_with_a_reason_is_an_answer_but_a_bare_one_is_not() {
        let rules = rules("min_words = 10");
        for answered in [
            "N/A (docs only)",
            "NA -- distributed as a client-side binary",
            "N/A - just a library/protocol",
            "Not applicable: this KEP changes documentation only.",
            "*N/A*. The feature has no server side.",
        ] {
            let doc = format!("# T\n\n## SLA\n\n{answered}\n");
            assert!(lint(&doc, &rules).is_empty(), "{answered}");
        }
        for bare in ["N/A", "n/a.", "TBD", "Not applicable.", "**TODO**"] {
            let doc = format!("# T\n\n## SLA\n\n{bare}\n");
            let found = lint(&doc, &rules);
            assert_eq!(found.len(), 1, "{bare}: {found:?}");
            assert!(found[0].contains("only says"), "{bare}: {found:?}");
        }
        // N/A under the heading and N/A under its subsection: no reason.
        assert_eq!(
            lint(
                "# T\n\n## SLA\n\nNot applicable.\n\n### Targets\n\nNot applicable.\n",
                &rules
            ),
            [
                "hollow-section:3:section `SLA` only says `Not applicable.`: a bare placeholder is not an answer"
            ]
        );
        // A reason is in the same paragraph; the next answer is not one.
        assert_eq!(
            lint(
                "# T\n\n## SLA\n\n###### How can a rollout fail?\n\nNot applicable.\n\n\
                 ###### Is the rollout accompanied by any deprecations?\n\nNo.\n",
                &rules
            ),
            [
                "hollow-section:3:section `SLA` is hollow: 1 word, at least 10 expected; \
                 question `How can a rollout fail?` has no answer"
            ]
        );
        // A reason that is itself a placeholder is no reason; "NAT" is a word.
        assert_eq!(lint("# T\n\n## SLA\n\nN/A, TBD\n", &rules).len(), 1);
        assert_eq!(
            lint("# T\n\n## SLA\n\nNAT gateway.\n", &rules),
            ["hollow-section:3:section `SLA` is hollow: 2 words, at least 10 expected"]
        );
        // A bare placeholder adds nothing to real words elsewhere.
        assert_eq!(
            lint(
                "# T\n\n## SLA\n\nTBD\n\n### Targets\n\nThree words here.\n",
                &rules
            ),
            ["hollow-section:3:section `SLA` is hollow: 3 words, at least 10 expected"]
        );
    }

    #[test]
    fn a_placeholder_the_rule_forbids_is_reported_once() {
        let rules = rules(
            "min_words = 10\n[[rule.forbid]]\npattern = '\\bTBD\\b'\nmessage = \"fill it in\"\n",
        );
        assert_eq!(
            lint("# T\n\n## SLA\n\nTBD\n", &rules),
            ["placeholder:5:placeholder `TBD` in section `SLA`: fill it in"]
        );
        // Not forbidden by the rule: hollow says it.
        assert_eq!(
            lint("# T\n\n## SLA\n\nN/A\n", &rules),
            ["hollow-section:3:section `SLA` only says `N/A`: a bare placeholder is not an answer"]
        );
    }

    #[test]
    fn short_complete_text_passes_a_low_minimum() {
        // A dated entry is an implementation history; one word is not.
        let rules = rules("min_words = 2");
        assert!(lint("# T\n\n## SLA\n\n- 2023-01-17: Created\n", &rules).is_empty());
        assert_eq!(
            lint("# T\n\n## SLA\n\nNone.\n", &rules),
            ["hollow-section:3:section `SLA` is hollow: 1 word, at least 2 expected"]
        );
        let off = crate::check::test_support::rules("min_words = 0");
        assert!(lint("# T\n\n## SLA\n\n", &off).is_empty());
    }

    #[test]
    fn next_section_of_same_level_ends_the_section() {
        let rules = rules("min_words = 3");
        assert_eq!(
            lint("## SLA\n\n## Other\n\nplenty of words here\n", &rules),
            ["hollow-section:1:section `SLA` is empty"]
        );
    }

    #[test]
    fn a_section_that_only_holds_a_placeholder_is_reported_as_that() {
        let rules = rules("min_words = 5\n[[rule.forbid]]\npattern = '\\bTBD\\b'\n");
        assert_eq!(
            lint("## SLA\n\nTBD\n", &rules),
            ["placeholder:3:placeholder `TBD` in section `SLA`"]
        );
        // Other words besides the placeholder: two problems, two findings.
        assert_eq!(
            lint("## SLA\n\nTBD by Friday.\n", &rules),
            [
                "hollow-section:1:section `SLA` is hollow: 3 words, at least 5 expected",
                "placeholder:3:placeholder `TBD` in section `SLA`"
            ]
        );
    }

    #[test]
    fn a_rule_whose_list_may_be_empty_takes_none_as_the_answer() {
        let with = rules("min_words = 5\nnone_answers = true");
        let without = rules("min_words = 5");
        for answer in ["None.", "N/A", "*Nothing*", "No"] {
            let doc = format!("# T\n\n## SLA\n\n{answer}\n");
            assert!(lint(&doc, &with).is_empty(), "{answer}");
            assert_eq!(lint(&doc, &without).len(), 1, "{answer}");
        }
        // Only a lone answer: a thin sentence is still hollow, and a TBD is
        // still not an answer.
        assert_eq!(
            lint("# T\n\n## SLA\n\nNone yet, maybe later.\n", &with),
            ["hollow-section:3:section `SLA` is hollow: 4 words, at least 5 expected"]
        );
        assert_eq!(lint("# T\n\n## SLA\n\nTBD\n", &with).len(), 1);
    }
}
