use super::not_applicable::says_not_applicable;
use super::{Check, Matched};
use crate::diagnostic::Diagnostic;
use crate::heading::Heading;
use crate::markdown::ElementKind;
use crate::pack::Cover;

/// ## What it does
/// Flags a section that does not cover one of the rule's `cover` items: no
/// subsection with one of the item's headings and an answer in it (prose or
/// a code block), and no mention of it anywhere in the section: neither one
/// of its `mentions` patterns nor the text of one of its headings (a
/// question kept as a bold list item counts).
///
/// Headings and questions are compared on their words: case, punctuation,
/// emphasis and line breaks do not matter, and a hyphen inside a word does
/// not either (`re-enable` is `reenable`). A subsection whose heading starts
/// with the item's heading covers it (`#### Alpha release` for `Alpha`), and
/// so does a heading that is the start of the item's question when the rest
/// wrapped onto the next line. A section that opens by saying it does not
/// apply and why ("N/A: this KEP only changes documentation") answers all of
/// its items; a bare "N/A" is left to the placeholder and hollow-section
/// checks, which report it once.
///
/// ## Why is this bad?
/// Some checklist items have parts: monitoring means usage metrics, costs
/// *and* logs. A section that covers one part reads as done and hides the
/// others.
///
/// ## Example
/// ```markdown
/// ## Monitoring
///
/// We will graph request rates and error ratios on the team dashboard.
/// ```
/// (nothing on costs or logs)
pub struct MissingSubItem;

/// The words of `text` for comparison, each followed by a space and the
/// whole preceded by one: lower case letters and digits; a hyphen between
/// two of them joins (`re-enable` = `reenable`); anything else separates.
fn words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    let mut prev_alnum = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            prev_alnum = true;
            continue;
        }
        let joins = matches!(c, '-' | '\u{2010}' | '\u{2011}')
            && prev_alnum
            && chars.peek().is_some_and(|n| n.is_alphanumeric());
        if !joins && !out.ends_with(' ') {
            out.push(' ');
        }
        prev_alnum = joins;
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// A matched section as the items are looked for in it: its prose with line
/// breaks folded, its words, and per subsection its index, heading words and
/// whether it holds an answer.
type SectionView = (String, String, Vec<(usize, String, bool)>);

/// `words(title)` without leading numbering (`3.2`, `1)`).
fn heading_words(title: &str) -> String {
    let mut w = words(title);
    while let Some(rest) = w.strip_prefix(' ') {
        let first = rest.split(' ').next().unwrap_or_default();
        if first.is_empty() || !first.chars().all(|c| c.is_ascii_digit()) {
            break;
        }
        w = rest[first.len()..].to_owned();
    }
    w
}

/// Whether a subsection titled `title` (as [`heading_words`]) is one of the
/// item's headings: it starts with one of them, or it is the first half or
/// more (at least five words) of a longer one, the rest wrapped to the next
/// source line.
fn names_item(title: &str, item: &Cover) -> bool {
    let title_len = title.split_whitespace().count();
    item.headings.iter().any(|h| {
        let h = heading_words(h);
        if title.starts_with(&h) {
            return true;
        }
        let h_len = h.split_whitespace().count();
        title_len >= 5 && 2 * title_len >= h_len && h.starts_with(title)
    })
}

/// Whether the item's question (a heading of at least four words) is asked
/// in `prose_words` (as [`words`]).
fn asks_item(prose_words: &str, item: &Cover) -> bool {
    item.headings.iter().any(|h| {
        let h = heading_words(h);
        h.split_whitespace().count() >= 4 && prose_words.contains(&h)
    })
}

impl Check for MissingSubItem {
    fn name(&self) -> &'static str {
        "missing-sub-item"
    }

    fn summary(&self) -> &'static str {
        "a section does not cover one of the rule's `cover` items"
    }

    fn applies_to(&self, rule: &crate::pack::Rule) -> bool {
        !rule.cover.is_empty()
    }

    fn check(&self, m: &Matched<'_>, out: &mut Vec<Diagnostic>) {
        let Some(&first) = m.sections.first() else {
            return;
        };
        if m.rule.cover.is_empty() {
            return;
        }
        // A hollow section is reported as such; listing every missing part
        // of an empty section adds nothing.
        if m.words() < m.rule.min_words {
            return;
        }
        // why: a section with no text and no subsections at all is one
        // problem (hollow-section, or the template's comments left in), not
        // one per missing part.
        let blank = m.sections.iter().all(|&i| {
            let s = &m.doc.sections[i];
            s.subtree_end == i + 1
                && m.doc.subtree_words(i) == 0
                && !m
                    .doc
                    .elements
                    .iter()
                    .any(|e| e.range.start >= s.heading.end && e.range.start < s.end)
        });
        if blank {
            return;
        }
        // why: "N/A, because …" answers every item at once. A bare "N/A" is
        // one problem, and the placeholder and hollow-section checks already
        // report it; one finding per item would repeat it.
        if says_not_applicable(m.doc.own_prose(first).1).is_some() {
            return;
        }
        // Per matched section: its prose with line breaks folded (for the
        // `mentions` patterns), its words (for the questions), and its
        // subsections with their heading words and whether they hold an
        // answer (prose or a code block).
        let answered = |j: usize| {
            let s = &m.doc.sections[j];
            m.doc.subtree_words(j) > 0
                || m.doc.elements.iter().any(|e| {
                    e.kind == ElementKind::Code
                        && e.range.start >= s.heading.end
                        && e.range.start < s.end
                })
        };
        let views: Vec<SectionView> = m
            .sections
            .iter()
            .map(|&i| {
                let prose = m.doc.subtree_prose(i).1;
                let folded = prose.split_whitespace().collect::<Vec<_>>().join(" ");
                let subs = (i + 1..m.doc.sections[i].subtree_end)
                    .map(|j| (j, heading_words(&m.doc.sections[j].title), answered(j)))
                    .collect();
                (folded, words(prose), subs)
            })
            .collect();
        for item in &m.rule.cover {
            // The first subsection with the item's heading but no answer:
            // kept from a template, never answered.
            let mut empty_heading = None;
            let covered = views.iter().any(|(folded, prose_words, subs)| {
                let by_heading = subs.iter().any(|(j, title, has_answer)| {
                    let named = Heading::new(&m.doc.sections[*j].title_words)
                        .is_some_and(|h| item.matches_heading(&h))
                        || names_item(title, item);
                    if named && !has_answer {
                        empty_heading.get_or_insert(*j);
                    }
                    named && *has_answer
                });
                let mentioned = item.mentions.iter().any(|p| {
                    // Counted against the document's regex budget.
                    m.ctx.work.charge(folded.len()) && p.0.is_match(folded)
                        || subs.iter().any(|(j, _, has_answer)| {
                            let title = &m.doc.sections[*j].title;
                            *has_answer && m.ctx.work.charge(title.len()) && p.0.is_match(title)
                        })
                });
                by_heading || mentioned || asks_item(prose_words, item)
            });
            if covered {
                continue;
            }
            if let Some(j) = empty_heading {
                let sub = &m.doc.sections[j];
                out.push(m.diagnostic(
                    self.name(),
                    sub.heading.clone(),
                    format!(
                        "`{}` in section `{}` is empty: {} is not covered",
                        sub.title,
                        m.title(),
                        item.item
                    ),
                    Some("answer it under the heading".to_owned()),
                ));
                continue;
            }
            let mut ways = Vec::new();
            if let Some(h) = item.headings.first() {
                ways.push(format!("a subsection such as `### {h}`"));
            }
            if !item.mentions.is_empty() {
                ways.push("a paragraph on it".to_owned());
            }
            out.push(m.diagnostic(
                self.name(),
                m.doc.sections[first].heading.clone(),
                format!("section `{}` does not cover {}", m.title(), item.item),
                Some(format!("add {}", ways.join(" or "))),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::test_support::{lint, rules};

    const COVER: &str = "[[rule.cover]]\nitem = \"costs\"\nheadings = [\"Cost\", \"Costs\"]\nmentions = ['(?i)\\bcosts?\\b']\n\
[[rule.cover]]\nitem = \"logs\"\nheadings = [\"Logging\"]\n";

    #[test]
    fn items_are_covered_by_subsections_or_mentions() {
        let rules = rules(COVER);
        assert_eq!(
            lint("## SLA\n\nWe graph rates.\n", &rules),
            [
                "missing-sub-item:1:section `SLA` does not cover costs",
                "missing-sub-item:1:section `SLA` does not cover logs"
            ]
        );
        assert!(
            lint(
                "## SLA\n\nThe cost is small.\n\n### 1. Logging\n\nLogs go to Loki.\n",
                &rules
            )
            .is_empty()
        );
        // An empty subsection covers nothing.
        assert_eq!(
            lint(
                "## SLA\n\nThe cost is small.\n\n### Logging\n\n### Other\n\nText.\n",
                &rules
            ),
            ["missing-sub-item:5:`Logging` in section `SLA` is empty: logs is not covered"]
        );
        // A subsection answered by a code block is answered.
        assert!(
            lint(
                "## SLA\n\nThe cost is small.\n\n### Logging\n\n```\nk8s.io/kubelet: 2024-01-05 - 81%\n```\n",
                &rules
            )
            .is_empty()
        );
        // A mention in code does not count: code is not prose.
        assert_eq!(
            lint("## SLA\n\n```\ncost\n```\n\n### Logging\n\nLoki.\n", &rules),
            ["missing-sub-item:1:section `SLA` does not cover costs"]
        );
    }

    const QUESTIONS: &str = "[[rule.cover]]\nitem = \"cloud calls\"\nheadings = [\"Will enabling / using this feature result in any new calls to the cloud provider?\"]\nmentions = ['(?i)new calls to the cloud provider']\n\
[[rule.cover]]\nitem = \"rollback\"\nheadings = [\"Can the feature be disabled once it has been enabled (i.e. can we roll back the enablement)?\"]\n\
[[rule.cover]]\nitem = \"re-enabling\"\nheadings = [\"What happens if we reenable the feature if it was previously rolled back?\"]\n";

    #[test]
    fn questions_match_on_words_across_line_breaks_and_punctuation() {
        let rules = rules(QUESTIONS);
        // Bold list items wrapping over two source lines, as the 2020 PRR
        // template wrote them.
        let bold = "## SLA\n\n\
* **Will enabling / using this feature result in any new calls to the cloud\n  provider?**\n\n  No.\n\n\
* **Can the feature be disabled once it has been enabled (i.e. can we roll back\n  the enablement)?**\n  Yes.\n\n\
* **What happens if we reenable the feature if it was previously rolled\n  back?** Nothing.\n";
        assert!(lint(bold, &rules).is_empty(), "{:?}", lint(bold, &rules));
        // Headings with "i.e.," and "re-enable".
        let headings = "## SLA\n\nSee below.\n\n\
###### Will enabling / using this feature result in any new calls to the cloud provider?\n\nNo.\n\n\
###### Can the feature be disabled once it has been enabled (i.e., can we roll back the enablement)?\n\nYes.\n\n\
###### What happens if we re-enable the feature if it was previously rolled back?\n\nIt works again.\n";
        assert!(
            lint(headings, &rules).is_empty(),
            "{:?}",
            lint(headings, &rules)
        );
        // A heading cut short, its question wrapped onto the next line.
        let cut = "## SLA\n\nSee below.\n\n\
###### Will enabling / using this feature result in any new calls to the\ncloud provider?\n\nNo.\n\n\
###### Can the feature be disabled once it has been enabled (i.e., can we\nroll back the enablement)?\n\nYes.\n\n\
###### What happens if we re-enable the feature\nif it was previously rolled back?\n\nIt works again.\n";
        assert!(lint(cut, &rules).is_empty(), "{:?}", lint(cut, &rules));
        // Other questions, or the question's first words only, do not count.
        assert_eq!(
            lint(
                "## SLA\n\nSee below.\n\n###### Will enabling\n\nNo.\n\n\
###### Can the feature be disabled?\n\nYes.\n\n**What happens if we reenable it?** Fine.\n",
                &rules
            ),
            [
                "missing-sub-item:1:section `SLA` does not cover cloud calls",
                "missing-sub-item:1:section `SLA` does not cover rollback",
                "missing-sub-item:1:section `SLA` does not cover re-enabling",
            ]
        );
    }

    #[test]
    fn a_heading_that_starts_with_the_items_heading_covers_it() {
        let rules =
            rules("[[rule.cover]]\nitem = \"a stage\"\nheadings = [\"Alpha\", \"Beta\", \"GA\"]\n");
        assert!(
            lint(
                "## SLA\n\n#### Alpha release\n\n- behind a gate\n\n#### GA release\n\n- two users\n",
                &rules
            )
            .is_empty()
        );
        // A word that only starts like the heading is another word.
        assert_eq!(
            lint(
                "## SLA\n\nSoon.\n\n#### Alphabetical order\n\n- sorted\n",
                &rules
            ),
            ["missing-sub-item:1:section `SLA` does not cover a stage"]
        );
    }

    #[test]
    fn a_section_that_says_why_it_does_not_apply_answers_every_item() {
        let rules = rules(QUESTIONS);
        assert!(
            lint(
                "## SLA\n\nN/A. This KEP does not plan to change code, just documentation.\n",
                &rules
            )
            .is_empty()
        );
        // A blank section is one problem, for hollow-section.
        assert!(
            lint(
                "## SLA\n\n<!-- Answer the questions. -->\n\n## Next\n\nText.\n",
                &rules
            )
            .is_empty()
        );
        // A bare N/A is the placeholder check's (and hollow-section's) to
        // report, once.
        assert!(lint("## SLA\n\nN/A\n", &rules).is_empty());
        // "N/A" for one item further down is not the whole section.
        assert_eq!(
            lint(
                "## SLA\n\nWe add no calls.\n\nRollback: N/A because it is a library.\n",
                &rules
            )
            .len(),
            3
        );
    }
}
