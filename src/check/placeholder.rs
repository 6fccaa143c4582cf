use std::ops::Range;

use super::{Budget, Check, Matched};
use crate::diagnostic::Diagnostic;
use crate::pack::ForbidScope;

/// ## What it does
/// Flags text in a section that matches one of the rule's `forbid` patterns:
/// placeholders such as `TBD`, `TODO`, `FIXME`, a lone `N/A`, lorem ipsum, or
/// untouched template text.
///
/// ## Why is this bad?
/// A placeholder makes a section look answered when it is not. Code blocks,
/// inline code, autolinks and bare URLs, HTML (comments, tags and their
/// attributes) and headings are not searched, so template instructions in
/// comments, `{{#with foo}}` or `context.TODO()` in backticks and a
/// `…/TODO.md` link do not trigger it. A placeholder word inside quotation
/// marks together with other words ("the “TODO list”") is named, not used,
/// and is not reported either.
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
        if m.rule.forbid.is_empty() {
            return;
        }
        let mut budget = Budget::new(out.len());
        for &top in &m.sections {
            let end = m.doc.sections[top].subtree_end;
            let mut i = top;
            while i < end {
                // Skip a subsection (and its subtree) that another rule claims.
                if i != top && m.claimed_by_other(i) {
                    i = m.doc.sections[i].subtree_end;
                    continue;
                }
                let own = i == top || m.claimed_by_self(i);
                self.search(m, i, own, out, &mut budget);
                i += 1;
            }
        }
        budget.finish(m, self.name(), "placeholder", out);
    }
}

impl Placeholder {
    /// Searches the prose directly in section `i` (not its subsections).
    /// `own`: the rule matched the section's heading itself, rather than
    /// the section being an unclaimed subsection of one it matched.
    fn search(
        &self,
        m: &Matched<'_>,
        i: usize,
        own: bool,
        out: &mut Vec<Diagnostic>,
        budget: &mut Budget,
    ) {
        let (base, prose) = m.doc.own_prose(i);
        if prose.trim().is_empty() {
            return;
        }
        // why: one pass of the combined set over the section finds which
        // patterns match at all; most sections match none, and a pack with
        // a hundred patterns would otherwise scan every section a hundred
        // times (issue 9: 65 s for one 256 KB section).
        let set = m.rule.forbid_set();
        if set.is_some() && !m.ctx.work.charge(prose.len()) {
            return;
        }
        let candidates = set.map(|set| set.matches(prose));
        for (n, forbid) in m.rule.forbid.iter().enumerate() {
            if candidates.as_ref().is_some_and(|c| !c.matched(n)) {
                continue;
            }
            // why: a lone `N/A` answers the question of the heading right
            // above it. Under a subsection no rule claims ("Related
            // proposals: N/A" inside Background) it says that subsection
            // does not apply, which is not the rule's concern.
            if forbid.scope == ForbidScope::Section && !own {
                continue;
            }
            if !m.ctx.work.charge(prose.len()) {
                return;
            }
            for hit in forbid.pattern.0.find_iter(prose) {
                if !m.ctx.work.charge(super::HIT_COST) {
                    return;
                }
                let text = hit.as_str().trim();
                if text.is_empty() {
                    continue;
                }
                let leading = hit.as_str().len() - hit.as_str().trim_start().len();
                let at = hit.start() + leading..hit.start() + leading + text.len();
                if !forbid.code && in_verbatim(m, base, &at, prose) {
                    continue;
                }
                if is_mentioned(prose, &at) {
                    continue;
                }
                let start = m.doc.source_offset(base + at.start);
                if budget.full(out, start..start + text.len()) {
                    continue;
                }
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

/// Whether the hit at `at` (relative to `prose`, which starts at `base` in
/// the document's prose) touches inline code, an autolink or a bare URL,
/// and so is not a placeholder. A hit that merely straddles a code span
/// (`{{` or `}}` written as two spans) counts as touching it.
fn in_verbatim(m: &Matched<'_>, base: usize, at: &Range<usize>, prose: &str) -> bool {
    let (start, end) = (base + at.start, base + at.end);
    let verbatim = &m.doc.verbatim;
    let i = verbatim.partition_point(|r| r.end <= start);
    if let Some(r) = verbatim.get(i).filter(|r| r.start < end) {
        // why: a code span holding one placeholder word and nothing else, or
        // a template slot in angle brackets (`` `pkg/x`: `2026-02-01` -
        // `TBD` ``, `` `<TBD date>` ``, as the KEP template's coverage lines
        // are written) is a placeholder in backticks, not code. Anything
        // else (`context.TODO()`, `{{#with foo}}`) is code.
        let raw = m.doc.prose[r.clone()].trim();
        let span = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let hit = &prose[at.clone()];
        let word = hit.chars().all(char::is_alphanumeric);
        let slot = raw.starts_with('<') && raw.ends_with('>') && r.start <= start && end <= r.end;
        return !(word && (span == hit || slot));
    }
    // GitHub links bare URLs; pulldown-cmark leaves them as text.
    // Bounded look-back: a line of thousands of hits must stay linear.
    let window = floor_char_boundary(prose, at.start.saturating_sub(URL_WINDOW));
    let token_start = prose[window..at.start]
        .rfind(char::is_whitespace)
        .map_or(window, |w| window + w + 1);
    let token = &prose[token_start..at.start];
    let token = token.trim_start_matches(['(', '[', '<', '"', '\'', '*', '_']);
    ["http://", "https://", "ftp://", "www."]
        .iter()
        .any(|scheme| {
            token
                .get(..scheme.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(scheme))
        })
}

/// How far back a hit is looked at for a bare URL it may be part of.
const URL_WINDOW: usize = 2048;
/// How far either side of a hit quotation marks are looked for.
const QUOTE_WINDOW: usize = 256;

/// The largest char boundary of `s` at or below `i`.
fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Whether the hit at `at` sits inside quotation marks on its line together
/// with other words: "the "TODO list" of the council", “TBD markers”.
///
/// why: a placeholder word quoted with other words is being named (use
/// versus mention), not left for later. A quoted placeholder on its own
/// (`Owner: "TBD"`) is still a placeholder, and so is one in a block quote:
/// authors write their own notes and callouts (`> **Note:** TBD`) there,
/// and a TBD copied into a quote is no more finished.
fn is_mentioned(prose: &str, at: &Range<usize>) -> bool {
    // A quoted phrase is short: look at most QUOTE_WINDOW bytes either way,
    // so that a line of thousands of hits stays linear.
    let from = floor_char_boundary(prose, at.start.saturating_sub(QUOTE_WINDOW));
    let to = floor_char_boundary(prose, (at.end + QUOTE_WINDOW).min(prose.len()));
    let line_start = prose[from..at.start]
        .rfind('\n')
        .map_or(from, |i| from + i + 1);
    let line_end = prose[at.end..to].find('\n').map_or(to, |i| at.end + i);
    let before = &prose[line_start..at.start];
    let after = &prose[at.end..line_end];
    let quoted = |open: Option<usize>, close: Option<usize>| match (open, close) {
        (Some(o), Some(c)) => {
            let inside = format!("{}{}", &before[o..], &after[..c]);
            inside
                .split_whitespace()
                .any(|w| w.chars().any(char::is_alphanumeric))
        }
        _ => false,
    };
    // Straight quotes: inside when an odd number of them precede the hit.
    let straight = before.matches('"').count() % 2 == 1
        && quoted(before.rfind('"').map(|o| o + 1), after.find('"'));
    // Curly quotes: an opening one with no closing one after it, and a
    // closing one after the hit.
    let curly = before
        .rfind('“')
        .is_some_and(|o| !before[o..].contains('”'))
        && quoted(
            before.rfind('“').map(|o| o + '“'.len_utf8()),
            after.find('”'),
        );
    straight || curly
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
        // A code span that is only the placeholder word is the placeholder
        // in backticks, and is reported.
        let text = "# TBD\n\n## SLA\n\n`TBD` is a placeholder in backticks.\n\n```\nTBD\n```\n\n<!-- TBD -->\n\n## Other\n\nTBD\n";
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

    #[test]
    fn code_links_urls_and_html_are_not_searched() {
        let template = "[[rule.forbid]]\npattern = '\\{\\{[^}\\n]*\\}\\}|\\bTODO\\b'\n";
        let rules = rules(template);
        let text = "## SLA\n\n\
            Render it with `{{#with foo as bar}}` and call `context.TODO()` first.\n\
            Escape `{{` or `}}` in strings.\n\
            See <https://example.com/TODO> and https://example.com/TODO/list,\n\
            [the list](https://example.com/TODO) and <img alt=\"TODO\" src=\"x.png\">.\n\
            \n\
            {{service name}} is still TODO.\n";
        assert_eq!(
            lint(text, &rules),
            [
                "placeholder:8:placeholder `{{service name}}` in section `SLA`",
                "placeholder:8:placeholder `TODO` in section `SLA`",
            ]
        );
    }

    #[test]
    fn a_placeholder_named_in_quotes_is_a_mention() {
        let rules = rules("[[rule.forbid]]\npattern = '\\b(?:TODO|TBD)\\b'\n");
        let text = "## SLA\n\n\
            The council keeps a \"TODO list\" and “TBD markers”.\n\n\
            Owner: \"TBD\"\n\n\
            > **Note:** TODO ask the platform team.\n";
        assert_eq!(
            lint(text, &rules),
            [
                "placeholder:5:placeholder `TBD` in section `SLA`",
                "placeholder:7:placeholder `TODO` in section `SLA`",
            ]
        );
    }

    #[test]
    fn a_lone_na_counts_only_under_the_rules_own_heading() {
        let na = "[[rule.forbid]]\npattern = '(?im)^\\s*(?:n/?a|none)\\s*\\.?\\s*$'\nscope = \"section\"\n\
                  [[rule.forbid]]\npattern = '\\bTBD\\b'\n";
        let rules = rules(na);
        let text = "## SLA\n\nN/A\n\n### Related proposals\n\nN/A\n\n### Targets\n\nTBD\n\n### Service level agreement\n\nNone.\n";
        assert_eq!(
            lint(text, &rules),
            [
                "placeholder:3:placeholder `N/A` in section `SLA`",
                "placeholder:11:placeholder `TBD` in section `Targets`",
                "placeholder:15:placeholder `None.` in section `Service level agreement`",
            ]
        );
    }

    #[test]
    fn a_section_of_two_rules_reports_the_more_severe_finding() {
        let forbid = "[[rule.forbid]]\npattern = '\\bTBD\\b'\n";
        let second = "[[rule]]\nid = \"avail\"\narea = \"clarity\"\ntitle = \"Availability\"\n\
                      severity = \"warning\"\nheading_patterns = ['\\bavailability\\b']\n";
        // The warning rule comes first in pack order, the error rule second.
        let rules = rules(&format!(
            "heading_patterns = ['\\bsla\\b']\n{forbid}{second}{forbid}"
        ));
        let doc = crate::markdown::parse("## Availability and SLA\n\nTBD\n");
        let ctx = crate::check::Context {
            rules: &rules,
            path: "design/t.md",
            local_path: "design/t.md",
            snapshot: &crate::snapshot::Empty,
            text: "",
            work: &crate::check::Work::default(),
        };
        let found: Vec<_> = crate::check::check_document(&doc, ctx)
            .into_iter()
            .filter(|d| d.check == "placeholder")
            .map(|d| (d.rule, d.severity))
            .collect();
        assert_eq!(found, [("sla".to_owned(), crate::pack::Severity::Error)]);
    }
}
