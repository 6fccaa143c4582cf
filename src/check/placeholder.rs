use super::{Check, Matched};
use crate::diagnostic::Diagnostic;

/// ## What it does
/// Flags text in a section that matches one of the rule's `forbid` patterns:
/// placeholders such as `TBD`, `TODO`, `FIXME`, a lone `N/A`, lorem ipsum, or
/// untouched template text.
///
/// ## Why is this bad?
/// A placeholder makes a section look answered when it is not. Code blocks,
/// HTML comments and headings are not searched, so template instructions in
/// comments and code samples do not trigger it.
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
        for &top in &m.sections {
            let end = m.doc.sections[top].subtree_end;
            let mut i = top;
            while i < end {
                // Skip a subsection (and its subtree) that another rule claims.
                if i != top && m.claimed_by_other[i] {
                    i = m.doc.sections[i].subtree_end;
                    continue;
                }
                self.search(m, i, out);
                i += 1;
            }
        }
    }
}

impl Placeholder {
    /// Searches the prose directly in section `i` (not its subsections).
    fn search(&self, m: &Matched<'_>, i: usize, out: &mut Vec<Diagnostic>) {
        let (base, prose) = m.doc.own_prose(i);
        for forbid in &m.rule.forbid {
            for hit in forbid.pattern.0.find_iter(prose) {
                let text = hit.as_str().trim();
                if text.is_empty() {
                    continue;
                }
                let leading = hit.as_str().len() - hit.as_str().trim_start().len();
                let start = m.doc.source_offset(base + hit.start() + leading);
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
        let text = "# TBD\n\n## SLA\n\n`TBD` is fine in code? no: inline code is prose.\n\n```\nTBD\n```\n\n<!-- TBD -->\n\n## Other\n\nTBD\n";
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
}
