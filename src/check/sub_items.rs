use super::{Check, Matched};
use crate::diagnostic::Diagnostic;
use crate::heading::Heading;

/// ## What it does
/// Flags a section that does not cover one of the rule's `cover` items: no
/// subsection with one of the item's headings and some prose in it, and no
/// mention matching one of its `mentions` patterns anywhere in the section.
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
        // A hollow section is reported as such; listing every missing part
        // of an empty section adds nothing.
        if m.words() < m.rule.min_words {
            return;
        }
        for item in &m.rule.cover {
            // The first subsection with the item's heading but no prose:
            // kept from a template, never answered.
            let mut empty_heading = None;
            let covered = m.sections.iter().any(|&i| {
                let s = &m.doc.sections[i];
                let by_heading = (i + 1..s.subtree_end).any(|j| {
                    let named = Heading::new(&m.doc.sections[j].title_words)
                        .is_some_and(|h| item.matches_heading(&h));
                    if named && m.doc.subtree_words(j) == 0 {
                        empty_heading.get_or_insert(j);
                    }
                    named && m.doc.subtree_words(j) > 0
                });
                let (_, prose) = m.doc.subtree_prose(i);
                by_heading
                    || item
                        .mentions
                        .iter()
                        .any(|p| m.ctx.work.charge(prose.len()) && p.0.is_match(prose))
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
                "## SLA\n\nThe cost is small.\n\n### Logging\n\n```\nlog\n```\n",
                &rules
            ),
            ["missing-sub-item:5:`Logging` in section `SLA` is empty: logs is not covered"]
        );
        // A mention in code does not count: code is not prose.
        assert_eq!(
            lint("## SLA\n\n```\ncost\n```\n\n### Logging\n\nLoki.\n", &rules),
            ["missing-sub-item:1:section `SLA` does not cover costs"]
        );
    }
}
