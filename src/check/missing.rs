use super::{Check, Matched};
use crate::diagnostic::Diagnostic;

/// ## What it does
/// Flags a document with no section for a required checklist item.
///
/// ## Why is this bad?
/// A design that does not address an item (the SLA, load testing, alerting…)
/// has not been thought through for it; reviewers cannot see the gap unless
/// someone points at it.
///
/// ## Example
/// A service design with `## Motivation` and `## Architecture` but no
/// `## SLA` section.
pub struct MissingSection;

impl Check for MissingSection {
    fn name(&self) -> &'static str {
        "missing-section"
    }

    fn summary(&self) -> &'static str {
        "a required section is absent"
    }

    fn applies_to(&self, rule: &crate::pack::Rule) -> bool {
        rule.required
    }

    fn check(&self, m: &Matched<'_>, out: &mut Vec<Diagnostic>) {
        if !m.rule.required || !m.sections.is_empty() {
            return;
        }
        let heading = m.rule.headings.first().unwrap_or(&m.rule.title);
        let mut d = m.diagnostic(
            self.name(),
            m.doc.anchor(),
            format!("missing section `## {heading}`"),
            Some(format!(
                "add it at any heading level; `designgate explain {}` lists the other headings it accepts",
                m.rule.id
            )),
        );
        d.whole_document = true;
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::check::test_support::{lint, rules};

    #[test]
    fn missing_required_section_points_at_title() {
        let rules = rules("required = true");
        let found = lint("intro\n\n# Checkout\n\n## Motivation\n\nText.\n", &rules);
        assert_eq!(found, ["missing-section:3:missing section `## SLA`"]);
        assert!(
            lint("# Checkout\n\n### Service-Level Agreement:\n", &rules)
                .iter()
                .all(|f| !f.starts_with("missing-section"))
        );
    }

    #[test]
    fn optional_rule_is_not_reported_when_absent() {
        assert!(lint("# Checkout\n", &rules("required = false")).is_empty());
    }

    #[test]
    fn heading_in_code_or_comment_does_not_count() {
        let rules = rules("required = true");
        for text in [
            "# T\n\n```\n## SLA\n```\n",
            "# T\n\n    ## SLA\n",
            "# T\n\n<!--\n## SLA\n-->\n",
            "# T\n\n<div>\n\n## SLA\n\n</div>\n",
        ] {
            let found = lint(text, &rules);
            let expect_missing = !text.contains("<div>");
            assert_eq!(
                found.iter().any(|f| f.starts_with("missing-section")),
                expect_missing,
                "{text:?}: {found:?}"
            );
        }
    }
}
