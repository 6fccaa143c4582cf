use super::links::{self, Target};
use super::{Check, Matched};
use crate::diagnostic::Diagnostic;
use crate::markdown::{Element, ElementKind};

/// ## What it does
/// Flags a section that lacks an element the rule's `contains` demands: a
/// list, a table, a link, an image or a code block, optionally with a
/// destination (or code language) matching `target`. A relative link or
/// image counts only if its target exists in the snapshot being checked
/// (the index for `--staged`, the commit for `--rev`, else the work tree).
///
/// ## Why is this bad?
/// Some answers have a shape: an architecture section without a diagram, or
/// an SLA without a table of targets, is prose standing in for the thing.
///
/// ## Example
/// ```markdown
/// ## Architecture
///
/// Requests go through the gateway to the ledger service.
/// ```
/// (with `contains = [{ element = ["image", "link"], target = '\.(png|svg)$' }]`)
pub struct MissingElement;

impl Check for MissingElement {
    fn name(&self) -> &'static str {
        "missing-element"
    }

    fn summary(&self) -> &'static str {
        "a section lacks a list, table, link, image or code block the rule demands"
    }

    fn applies_to(&self, rule: &crate::pack::Rule) -> bool {
        !rule.contains.is_empty()
    }

    fn check(&self, m: &Matched<'_>, out: &mut Vec<Diagnostic>) {
        let Some(&first) = m.sections.first() else {
            return;
        };
        // why: a section that says why it does not apply ("N/A - this KEP
        // only changes test-infra") expects no list or diagram.
        if super::not_applicable::says_not_applicable(m.doc.own_prose(first).1) == Some(true) {
            return;
        }
        let in_sections: Vec<&Element> = m
            .doc
            .elements
            .iter()
            .filter(|e| {
                m.sections.iter().any(|&i| {
                    let s = &m.doc.sections[i];
                    e.range.start >= s.heading.end && e.range.start < s.end
                })
            })
            .collect();
        for want in &m.rule.contains {
            let mut absent_targets = Vec::new();
            let found = in_sections.iter().any(|e| {
                let wanted = want.elements.contains(&e.kind)
                    && want.target.as_ref().is_none_or(|p| p.0.is_match(&e.target));
                if !wanted {
                    return false;
                }
                if !matches!(e.kind, ElementKind::Link | ElementKind::Image) {
                    return true;
                }
                match links::target(m, e) {
                    Target::Fine => true,
                    Target::Outside => false,
                    Target::Missing(path) => {
                        absent_targets.push(path);
                        false
                    }
                }
            });
            if found {
                continue;
            }
            let names: Vec<&str> = want.elements.iter().map(|k| k.as_str()).collect();
            let what = match &want.target {
                Some(p) => format!("{} matching /{}/", names.join(" or "), p.as_str()),
                None => names.join(" or "),
            };
            let mut message = match &want.message {
                Some(msg) => format!("section `{}`: {msg}", m.title()),
                None => format!("section `{}` has no {what}", m.title()),
            };
            if let Some(path) = absent_targets.first() {
                message.push_str(&format!(
                    " (it links to `{path}`, which is not in {})",
                    m.ctx.snapshot.describe()
                ));
            }
            // A custom message says what is wanted in the author's terms;
            // the generic help would only repeat the pattern.
            let help = want
                .message
                .is_none()
                .then(|| format!("add {} to the section", article(&what)));
            out.push(m.diagnostic(
                self.name(),
                m.doc.sections[first].heading.clone(),
                message,
                help,
            ));
        }
    }
}

/// `a table`, `an image`.
fn article(what: &str) -> String {
    if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {what}")
    } else {
        format!("a {what}")
    }
}

#[cfg(test)]
mod tests {
    use crate::check::test_support::{lint, rules};

    #[test]
    fn elements_are_found_inside_the_section_only() {
        let rules = rules(
            "[[rule.contains]]\nelement = \"table\"\n[[rule.contains]]\nelement = [\"image\", \"code\"]\ntarget = '^(https://|mermaid$)'\n",
        );
        assert_eq!(
            lint("| a |\n|---|\n| b |\n\n## SLA\n\nText.\n", &rules),
            [
                "missing-element:5:section `SLA` has no table",
                "missing-element:5:section `SLA` has no image or code matching /^(https://|mermaid$)/"
            ]
        );
        assert!(
            lint(
                "## SLA\n\n| a |\n|---|\n| b |\n\n```mermaid\ngraph TD\n```\n",
                &rules
            )
            .is_empty()
        );
        assert!(
            lint(
                "## SLA\n\n- x\n\n| a |\n|---|\n| b |\n\n![d](https://x/y.png)\n",
                &rules
            )
            .is_empty()
        );
    }

    #[test]
    fn an_html_image_counts() {
        let rules = rules("[[rule.contains]]\nelement = \"image\"\ntarget = '\\.png$'\n");
        assert!(
            lint(
                "## SLA\n\n<p align=\"center\">\n  <IMG SRC=\"https://x/arch.png\" width=400>\n</p>\n",
                &rules
            )
            .is_empty()
        );
        assert_eq!(
            lint(
                "## SLA\n\n<!-- <img src=\"https://x/arch.png\"> -->\n",
                &rules
            ),
            ["missing-element:1:section `SLA` has no image matching /\\.png$/"]
        );
    }

    #[test]
    fn a_relative_image_counts_only_if_it_exists() {
        let rules = rules("[[rule.contains]]\nelement = \"image\"\n");
        assert_eq!(
            lint("## SLA\n\n![diagram](diagram.png)\n", &rules),
            [
                "missing-element:1:section `SLA` has no image (it links to `design/diagram.png`, which is not in an empty snapshot)"
            ]
        );
    }
}
