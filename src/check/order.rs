use super::{Check, Matched};
use crate::diagnostic::Diagnostic;

/// ## What it does
/// Flags a section that comes before a section it must follow (the rule's
/// `after` list). Only sections that are both present are compared.
///
/// ## Why is this bad?
/// Some checklists read as a story: the release plan builds on the testing
/// plan, the design on the motivation. Out of order, reviewers read answers
/// before questions.
///
/// ## Example
/// `## Rollout` placed before `## Testing` when the pack says
/// `after = ["testing"]` for the rollout rule.
pub struct OutOfOrder;

impl Check for OutOfOrder {
    fn name(&self) -> &'static str {
        "out-of-order"
    }

    fn summary(&self) -> &'static str {
        "a section comes before a section it must follow (`after`)"
    }

    fn applies_to(&self, rule: &crate::pack::Rule) -> bool {
        !rule.after.is_empty()
    }

    fn check(&self, m: &Matched<'_>, out: &mut Vec<Diagnostic>) {
        let Some(&mine) = m.sections.first() else {
            return;
        };
        for id in &m.rule.after {
            let Some((other, sections)) = m.all.iter().find(|(r, _)| r.id == *id) else {
                continue;
            };
            let Some(&theirs) = sections.first() else {
                continue;
            };
            if mine < theirs {
                let other_title = &m.doc.sections[theirs].title;
                out.push(m.diagnostic(
                    self.name(),
                    m.doc.sections[mine].heading.clone(),
                    format!(
                        "section `{}` comes before `{other_title}`; it should come after it",
                        m.title()
                    ),
                    Some(format!(
                        "move `{}` below `{other_title}` ({})",
                        m.title(),
                        other.title
                    )),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::pack::RuleSet;

    #[test]
    fn a_section_before_the_one_it_follows_is_flagged() {
        let text = "[pack]\nname = \"t\"\n\
            [[rule]]\nid = \"why\"\ntitle = \"Why\"\nheadings = [\"Why\"]\n\
            [[rule]]\nid = \"plan\"\ntitle = \"Plan\"\nheadings = [\"Plan\"]\nafter = [\"why\"]\n";
        let mut rules = RuleSet::default();
        rules.add_pack(Path::new("t.toml"), text, "t").unwrap();
        assert_eq!(
            crate::check::test_support::lint("## Plan\n\nA.\n\n## Why\n\nB.\n", &rules),
            ["out-of-order:1:section `Plan` comes before `Why`; it should come after it"]
        );
        assert!(
            crate::check::test_support::lint("## Why\n\nB.\n\n## Plan\n\nA.\n", &rules).is_empty()
        );
        // Absent sections are not compared.
        assert!(crate::check::test_support::lint("## Plan\n\nA.\n", &rules).is_empty());
    }
}
