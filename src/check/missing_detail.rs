use super::{Check, Matched};
use crate::diagnostic::Diagnostic;

/// ## What it does
/// Flags a section that lacks text matched by one of the rule's `require`
/// patterns, such as a measurable target in an SLA (`99.9%`, `p99 < 200 ms`).
/// The pattern is looked for in the section's prose and in the headings of
/// its subsections (`### Version 1.10`), not in code blocks nor in the
/// section's own heading.
///
/// ## Why is this bad?
/// "The service will be fast and reliable" is not an SLA. A required detail
/// is what makes a section checkable.
///
/// ## Example
/// ```markdown
/// ## SLA
///
/// The service should be highly available and respond quickly to users.
/// ```
pub struct MissingDetail;

impl Check for MissingDetail {
    fn name(&self) -> &'static str {
        "missing-detail"
    }

    fn summary(&self) -> &'static str {
        "a section lacks text that a `require` pattern asks for"
    }

    fn applies_to(&self, rule: &crate::pack::Rule) -> bool {
        !rule.require.is_empty()
    }

    fn check(&self, m: &Matched<'_>, out: &mut Vec<Diagnostic>) {
        let Some(&first) = m.sections.first() else {
            return;
        };
        // why: a section below `min_words` is already reported as hollow;
        // asking it for details as well would only repeat that.
        if m.words() < m.rule.min_words.max(1) {
            return;
        }
        for require in &m.rule.require {
            // why: a subsection's heading is part of the answer: KEPs head
            // each milestone with its release or date (`### Version 1.10`,
            // `### 09/25/2019`). The section's own heading is the question.
            let mut refused = false;
            let found = m.sections.iter().any(|&i| {
                let prose = m.doc.subtree_prose(i).1;
                // Counted against the document's regex budget.
                refused = !m.ctx.work.charge(prose.len());
                !refused
                    && (require.pattern.0.is_match(prose)
                        || (i + 1..m.doc.sections[i].subtree_end).any(|j| {
                            let title = &m.doc.sections[j].title;
                            m.ctx.work.charge(title.len()) && require.pattern.0.is_match(title)
                        }))
            });
            if refused {
                return;
            }
            if !found {
                out.push(m.diagnostic(
                    self.name(),
                    m.doc.sections[first].heading.clone(),
                    format!("section `{}` is incomplete: {}", m.title(), require.message),
                    None,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::test_support::{lint, rules};

    const REQUIRE: &str =
        "[[rule.require]]\npattern = '\\d+(\\.\\d+)?%'\nmessage = \"state a target\"\n";

    #[test]
    fn requires_pattern_somewhere_in_the_section() {
        let rules = rules(REQUIRE);
        assert_eq!(
            lint("# T\n\n## SLA\n\nFast and reliable.\n", &rules),
            ["missing-detail:3:section `SLA` is incomplete: state a target"]
        );
        assert!(
            lint(
                "# T\n\n## SLA\n\nFast.\n\n### Availability\n\n99.9% monthly.\n",
                &rules
            )
            .is_empty()
        );
        // A subsection's heading counts.
        assert!(
            lint(
                "## SLA\n\nFast.\n\n### 99.9% monthly\n\nMeasured.\n",
                &rules
            )
            .is_empty()
        );
        // A target only in a code block does not count.
        assert_eq!(lint("## SLA\n\nSee:\n\n```\n99.9%\n```\n", &rules).len(), 1);
    }

    #[test]
    fn empty_section_is_not_also_incomplete() {
        assert!(lint("## SLA\n", &rules(REQUIRE)).is_empty());
    }
}
