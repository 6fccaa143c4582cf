use super::{Check, Matched};
use crate::diagnostic::Diagnostic;

/// ## What it does
/// Flags a section that is present but has fewer prose words (in it and its
/// subsections; code and headings do not count) than the rule's `min_words`.
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
        "a section has fewer prose words than the rule's `min_words`"
    }

    fn applies_to(&self, rule: &crate::pack::Rule) -> bool {
        rule.min_words > 0
    }

    fn check(&self, m: &Matched<'_>, out: &mut Vec<Diagnostic>) {
        let Some(&first) = m.sections.first() else {
            return;
        };
        let words = m.words();
        if words >= m.rule.min_words {
            return;
        }
        let message = if words == 0 {
            format!("section `{}` is empty", m.title())
        } else {
            format!(
                "section `{}` is hollow: {words} word{}, at least {} expected",
                m.title(),
                if words == 1 { "" } else { "s" },
                m.rule.min_words
            )
        };
        let help = format!(
            "write at least {} words of prose (code blocks and headings do not count)",
            m.rule.min_words
        );
        out.push(m.diagnostic(
            self.name(),
            m.doc.sections[first].heading.clone(),
            message,
            Some(help),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::check::test_support::{lint, rules};

    #[test]
    fn counts_prose_of_subsections_but_not_code_or_headings() {
        let rules = rules("min_words = 5");
        assert_eq!(
            lint(
                "# T\n\n## SLA\n\n```\none two three four five six\n```\n",
                &rules
            ),
            ["hollow-section:3:section `SLA` is empty"]
        );
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
}
