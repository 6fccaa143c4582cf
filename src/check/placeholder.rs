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

    fn check(&self, m: &Matched<'_>, out: &mut Vec<Diagnostic>) {
        for &section in &m.sections {
            let (base, prose) = m.doc.subtree_prose(section);
            for forbid in &m.rule.forbid {
                for hit in forbid.pattern.0.find_iter(prose) {
                    let text = hit.as_str().trim();
                    if text.is_empty() {
                        continue;
                    }
                    let offset = hit.start() + (hit.as_str().len() - hit.as_str().trim_start().len());
                    let start = m.doc.source_offset(base + offset);
                    let mut message = format!("placeholder `{text}` in section `{}`", m.doc.sections[section].title);
                    if let Some(why) = &forbid.message {
                        message.push_str(": ");
                        message.push_str(why);
                    }
                    out.push(m.diagnostic(self, start..start + text.len(), message));
                }
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
        let found = lint("# T\n\n## SLA\n\nLatency TBD.\n\n### More\n\n> Also TBD\n", &rules(FORBID));
        assert_eq!(
            found,
            [
                "placeholder:5:placeholder `TBD` in section `SLA`: fill it in",
                "placeholder:9:placeholder `TBD` in section `SLA`: fill it in",
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
}
