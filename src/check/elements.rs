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
        // why: an empty or hollow section is reported as such; that it also
        // lacks its diagram or table is part of the same gap (as for
        // missing-detail and missing-sub-item).
        if m.words() < m.rule.min_words {
            return;
        }
        // why: a section that says why it does not apply ("N/A - this KEP
        // only changes test-infra") expects no list or diagram.
        if super::not_applicable::says_not_applicable(m.doc.own_prose(first).1) == Some(true) {
            return;
        }
        let in_sections: Vec<&Element> = m
            .doc
            .elements
            .iter()
            // why: a binary search over the (sorted, disjoint) sections,
            // not a scan per element: 280k sections with a link each took
            // minutes.
            .filter(|e| {
                let at = e.range.start;
                let i = m
                    .sections
                    .partition_point(|&i| m.doc.sections[i].heading.end <= at);
                i > 0 && at < m.doc.sections[m.sections[i - 1]].end
            })
            .collect();
        for want in &m.rule.contains {
            // The first wanted element whose target is broken, and why.
            let mut broken: Option<(&Element, String)> = None;
            let found = in_sections.iter().any(|e| {
                let wanted = want.elements.contains(&e.kind)
                    && want.target.as_ref().is_none_or(|p| p.0.is_match(&e.target));
                if !wanted {
                    return false;
                }
                if !matches!(e.kind, ElementKind::Link | ElementKind::Image) {
                    return true;
                }
                let why = match links::target(m, e) {
                    Target::Fine => return true,
                    Target::Outside => format!("`{}`, which is outside the repository", e.target),
                    Target::Missing(path) => {
                        format!("`{path}`, which is not in {}", m.ctx.snapshot.describe())
                    }
                };
                broken.get_or_insert((e, why));
                false
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
            // why: one problem, one finding. When the section has the
            // element but its target is broken, the finding points at the
            // element and says how to fix it, like the link check would;
            // `check_document` then drops the link check's finding on the
            // same element (keeping the more severe of the two).
            if let Some((e, why)) = &broken {
                message.push_str(&format!(" (it links to {why})"));
                out.push(m.diagnostic(
                    self.name(),
                    e.range.clone(),
                    message,
                    Some("fix the path, or add (and stage) the file".to_owned()),
                ));
                continue;
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
                "missing-element:3:section `SLA` has no image (it links to `design/diagram.png`, which is not in an empty snapshot)"
            ]
        );
    }

    #[test]
    fn a_broken_image_is_reported_once_at_the_image() {
        let rules = rules("links = true\n[[rule.contains]]\nelement = \"image\"\n");
        assert_eq!(
            lint(
                "## SLA\n\n![diagram](diagram.png)\n\n[up](../../x.png)\n",
                &rules
            ),
            [
                "missing-element:3:section `SLA` has no image (it links to `design/diagram.png`, which is not in an empty snapshot)",
                "broken-link:5:link `../../x.png` points outside the repository",
            ]
        );
    }

    #[test]
    fn a_hollow_section_is_not_also_missing_its_element() {
        let rules = rules("min_words = 5\n[[rule.contains]]\nelement = \"table\"\n");
        assert_eq!(
            lint("## SLA\n\nSoon.\n", &rules),
            ["hollow-section:1:section `SLA` is hollow: 1 word, at least 5 expected"]
        );
    }
}
