use super::{Check, Matched};
use crate::diagnostic::Diagnostic;
use crate::heading::Heading;

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
            // why: a part of a combined heading is enough to say a section
            // is there, but not where it is: "Background and Major
            // Considered Alternatives" answers the motivation through its
            // first word, and sits where the alternatives go. Only headings
            // that answer both rules as a whole are put in order.
            if mine < theirs
                && answers_as_a_whole(m, m.rule, mine)
                && answers_as_a_whole(m, other, theirs)
            {
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

/// Whether `rule` accepts section `i`'s heading read as a whole.
fn answers_as_a_whole(m: &Matched<'_>, rule: &crate::pack::Rule, i: usize) -> bool {
    Heading::new(&m.doc.sections[i].title_words).is_some_and(|h| rule.matches_heading(&h.whole()))
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
        // A heading that answers `why` only through one of its parts says
        // the section is there, not that it is in the wrong place.
        assert!(
            crate::check::test_support::lint(
                "## Plan\n\nA.\n\n## Why and other options\n\nB.\n",
                &rules
            )
            .is_empty()
        );
        assert!(
            crate::check::test_support::lint("## Why\n\nB.\n\n## Plan\n\nA.\n", &rules).is_empty()
        );
        // Absent sections are not compared.
        assert!(crate::check::test_support::lint("## Plan\n\nA.\n", &rules).is_empty());
    }
}
