//! Stage 4: check. Applies compiled rules to a parsed document. Everything
//! here is pure: no I/O, no colour, no terminal.
//!
//! For each rule, [`check_document`] finds the sections whose normalised
//! heading the rule accepts (at any level: `## Quality` › `### Alerting`
//! counts), then runs every [`Check`] in [`CHECKS`] on them. Adding a check
//! means adding a file here and a line in [`CHECKS`].

mod elements;
mod field;
mod hollow;
mod links;
mod missing;
mod missing_detail;
mod not_applicable;
mod order;
mod placeholder;
mod sub_items;

use std::collections::HashSet;

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::heading::normalize;
use crate::markdown::Document;
use crate::pack::{Rule, RuleKind, RuleSet, Severity};
use crate::snapshot::Snapshot;

pub use elements::MissingElement;
pub use field::{FIELD_CHECKS, check_field, key_range as field_key_range};
pub use hollow::HollowSection;
pub use links::{BROKEN_LINK, check_links};
pub use missing::MissingSection;
pub use missing_detail::MissingDetail;
pub use order::OutOfOrder;
pub use placeholder::Placeholder;
pub use sub_items::MissingSubItem;

/// What checks may look at besides the document: where it is, the rules,
/// and the snapshot its links resolve against.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub rules: &'a RuleSet,
    /// Repository-relative path of the document, for resolving links.
    pub path: &'a str,
    /// Path relative to the folder holding the config, for `paths` scopes.
    pub local_path: &'a str,
    pub snapshot: &'a dyn Snapshot,
    /// The document's text, for checks that quote or search the source.
    pub text: &'a str,
}

/// One rule applied to one document: the sections that satisfy it.
pub struct Matched<'a> {
    pub doc: &'a Document,
    pub rule: &'a Rule,
    pub area: Option<&'a str>,
    /// The rule's severity for this document (after `[[relax]]`).
    pub severity: Severity,
    pub ctx: Context<'a>,
    /// Every active section rule with its outermost matching sections, for
    /// checks that relate sections to each other (ordering).
    pub all: &'a [(&'a Rule, Vec<usize>)],
    /// Indices of matching sections, outermost only: a match nested inside
    /// another match of the same rule is part of it.
    pub sections: Vec<usize>,
    /// Per section of the document: whether some *other* rule claims it.
    /// A subsection claimed by another rule is that rule's to judge for
    /// placeholders (`## Testing` › `### Load testing: TBD` is a load-testing
    /// finding, not a unit-tests one).
    pub claimed_by_other: Vec<bool>,
}

impl<'a> Matched<'a> {
    /// `rule` applied to `doc`, with no sections matched yet; the severity
    /// is the rule's for this document (after `[[relax]]`).
    fn new(
        doc: &'a Document,
        rule: &'a Rule,
        ctx: Context<'a>,
        all: &'a [(&'a Rule, Vec<usize>)],
    ) -> Self {
        Matched {
            doc,
            rule,
            area: ctx.rules.area_of(rule).map(|a| a.title.as_str()),
            severity: ctx
                .rules
                .severity_for(rule, ctx.local_path, front_matter(doc)),
            ctx,
            all,
            sections: Vec::new(),
            claimed_by_other: Vec::new(),
        }
    }

    /// Prose words in all matched sections, subsections included.
    pub fn words(&self) -> usize {
        self.sections
            .iter()
            .map(|&i| self.doc.subtree_words(i))
            .sum()
    }

    /// The first matched section's title, for messages.
    pub fn title(&self) -> &str {
        self.sections
            .first()
            .map_or(self.rule.title.as_str(), |&i| {
                self.doc.sections[i].title.as_str()
            })
    }

    /// A finding of check `check` for this rule. `help` says how to fix
    /// this particular finding; the rule's own `help` (what a good section
    /// contains) is appended to it.
    pub(crate) fn diagnostic(
        &self,
        check: &'static str,
        range: std::ops::Range<usize>,
        message: String,
        help: Option<String>,
    ) -> Diagnostic {
        let help = match (help, self.rule.help.as_str()) {
            (Some(h), "") => Some(h),
            (Some(h), rule) => Some(format!("{h}. {rule}")),
            (None, "") => None,
            (None, rule) => Some(rule.to_owned()),
        };
        self.finding(check, range, message, help)
    }

    /// A finding with exactly this help, nothing appended.
    pub(crate) fn finding(
        &self,
        check: &'static str,
        range: std::ops::Range<usize>,
        message: String,
        help: Option<String>,
    ) -> Diagnostic {
        Diagnostic {
            rule: self.rule.id.clone(),
            check,
            area: self.area.map(str::to_owned),
            severity: self.severity,
            range,
            message,
            help,
            whole_document: false,
            waived: None,
        }
    }
}

/// A kind of check. Implementations are unit structs listed in [`CHECKS`].
pub trait Check: Sync {
    /// The kebab-case name shown in output, such as `missing-section`.
    fn name(&self) -> &'static str;
    /// One line on what it flags, for `designgate explain`.
    fn summary(&self) -> &'static str;
    /// Whether this check can report anything for `rule`: a rule without
    /// `require` patterns has no missing details. For `designgate explain`.
    fn applies_to(&self, rule: &Rule) -> bool;
    fn check(&self, m: &Matched<'_>, out: &mut Vec<Diagnostic>);
}

/// Every check, in the order their findings are reported.
pub const CHECKS: &[&dyn Check] = &[
    &MissingSection,
    &HollowSection,
    &Placeholder,
    &MissingDetail,
    &MissingSubItem,
    &MissingElement,
    &OutOfOrder,
];

/// The front matter's data, if it parsed.
pub fn front_matter(doc: &Document) -> Option<&Value> {
    doc.front_matter.as_ref().and_then(|f| f.data.as_ref().ok())
}

/// The section rules that take part in checking a document: not switched
/// `off`, and in scope (paths, `when`). Without a context (`outline`), every
/// rule not switched off.
fn active<'r>(rules: &'r RuleSet, scope: Option<(&str, Option<&Value>)>) -> Vec<&'r Rule> {
    rules
        .rules
        .iter()
        .filter(|r| r.severity != Severity::Off && r.kind == RuleKind::Section)
        .filter(|r| scope.is_none_or(|(path, fm)| r.applies(path, fm)))
        .collect()
}

/// `table[r][i]`: whether `rules[r]` accepts section `i` of `doc`. The one
/// place where headings meet rules, for checking and for `outline` alike.
fn match_table(doc: &Document, rules: &[&Rule]) -> Vec<Vec<bool>> {
    // why: the title of "# Alerting pipeline redesign" names the subject, not
    // a checklist section; matching it would make the whole document count
    // as the alerting section and hide every gap.
    let title = title_section(doc);
    let titles: Vec<Option<String>> = doc
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| (Some(i) != title).then(|| normalize(&s.title)))
        .collect();
    rules
        .iter()
        .map(|r| {
            titles
                .iter()
                .map(|t| t.as_deref().is_some_and(|t| r.matches_heading(t)))
                .collect()
        })
        .collect()
}

/// Applies every active rule to `doc`. Waivers are applied afterwards, by
/// [`crate::waiver`].
pub fn check_document(doc: &Document, ctx: Context<'_>) -> Vec<Diagnostic> {
    let fm = front_matter(doc);
    let active = active(ctx.rules, Some((ctx.local_path, fm)));
    let matches = match_table(doc, &active);
    let claims: Vec<usize> = (0..doc.sections.len())
        .map(|i| matches.iter().filter(|m| m[i]).count())
        .collect();
    let all: Vec<(&Rule, Vec<usize>)> = active
        .iter()
        .zip(&matches)
        .map(|(r, m)| (*r, outermost(doc, m)))
        .collect();
    let mut out = Vec::new();
    for ((rule, sections), matched) in all.iter().zip(&matches) {
        let mut m = Matched::new(doc, rule, ctx, &all);
        m.sections = sections.clone();
        m.claimed_by_other = claims
            .iter()
            .zip(matched)
            .map(|(&n, &mine)| n > usize::from(mine))
            .collect();
        for check in CHECKS {
            check.check(&m, &mut out);
        }
        if rule.links {
            let ranges: Vec<_> = m
                .sections
                .iter()
                .map(|&i| doc.sections[i].heading.start..doc.sections[i].end)
                .collect();
            check_links(&m, Some(&ranges), &mut out);
        }
    }
    // One section may satisfy two rules ("Scalability and availability");
    // report a placeholder in it once, for the first rule.
    let mut seen = HashSet::new();
    out.retain(|d| d.check != Placeholder.name() || seen.insert(d.range.start));

    // Front-matter and whole-document link rules.
    for rule in ctx.rules.rules.iter().filter(|r| {
        r.severity != Severity::Off && r.kind != RuleKind::Section && r.applies(ctx.local_path, fm)
    }) {
        let m = Matched::new(doc, rule, ctx, &all);
        match rule.kind {
            RuleKind::Field => check_field(&m, &mut out),
            RuleKind::Links => check_links(&m, None, &mut out),
            RuleKind::Section => {}
        }
    }
    out
}

/// The document's title section, which satisfies no rule: see
/// [`Document::title_section`].
pub fn title_section(doc: &Document) -> Option<usize> {
    doc.title_section()
}

/// For each section of `doc`, the ids of the active rules it satisfies, for
/// `designgate outline`.
pub fn rules_by_section<'r>(doc: &Document, rules: &'r RuleSet) -> Vec<Vec<&'r str>> {
    let active = active(rules, None);
    let table = match_table(doc, &active);
    (0..doc.sections.len())
        .map(|i| {
            active
                .iter()
                .zip(&table)
                .filter(|(_, row)| row[i])
                .map(|(r, _)| r.id.as_str())
                .collect()
        })
        .collect()
}

/// The matching sections that are not inside another matching section.
fn outermost(doc: &Document, matched: &[bool]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut covered_until = 0;
    for (i, &is_match) in matched.iter().enumerate() {
        if i >= covered_until && is_match {
            found.push(i);
            covered_until = doc.sections[i].subtree_end;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::test_support::{lint, rules};

    #[test]
    fn a_lone_title_satisfies_no_rule_but_level_one_sections_do() {
        let rules = rules("required = true\nmin_words = 1");
        assert_eq!(
            lint(
                "# SLA dashboard redesign\n\nLots of words about it.\n",
                &rules
            ),
            ["missing-section:1:missing section `## SLA`"]
        );
        assert!(lint("# Summary\n\nText.\n\n# SLA\n\n99.9% uptime.\n", &rules).is_empty());
        // A level-2 title (setext, over ATX sections of its level) neither
        // satisfies a rule nor gets its findings; whole-document findings
        // point at it.
        assert_eq!(
            lint(
                "Intro.\n\nSLA dashboard: TBD\n------------------\n\n## Context\n\nText.\n",
                &rules
            ),
            ["missing-section:3:missing section `## SLA`"]
        );
        // A title that is not the first heading is a section like any other.
        assert!(
            lint(
                "Intro.\n\n## Context\n\nText.\n\n# SLA\n\n99.9% uptime.\n",
                &rules
            )
            .is_empty()
        );
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use std::path::Path;

    use crate::diagnostic::Diagnostic;
    use crate::pack::RuleSet;

    /// A one-rule pack with the given extra keys, for check unit tests.
    pub(crate) fn rules(extra: &str) -> RuleSet {
        let text = format!(
            "[pack]\nname = \"t\"\n[[area]]\nid = \"clarity\"\ntitle = \"Clarity\"\n\
             [[rule]]\nid = \"sla\"\narea = \"clarity\"\ntitle = \"SLA\"\n\
             headings = [\"SLA\", \"Service level agreement\"]\nseverity = \"error\"\n{extra}"
        );
        let mut set = RuleSet::default();
        set.add_pack(Path::new("t.toml"), &text, "t.toml")
            .unwrap_or_else(|e| panic!("{e}"));
        set
    }

    /// `check:line:message` for each finding, to compare in one assertion.
    pub(crate) fn lint(text: &str, rules: &RuleSet) -> Vec<String> {
        let doc = crate::markdown::parse(text);
        let ctx = super::Context {
            rules,
            path: "design/t.md",
            local_path: "design/t.md",
            snapshot: &crate::snapshot::Empty,
            text,
        };
        super::check_document(&doc, ctx)
            .into_iter()
            .map(|d: Diagnostic| {
                let (line, _) = crate::error::line_column(text.as_bytes(), d.range.start);
                format!("{}:{line}:{}", d.check, d.message)
            })
            .collect()
    }
}
