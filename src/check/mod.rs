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

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;

use crate::diagnostic::Diagnostic;
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
    /// The regex work spent on this document so far.
    pub work: &'a Work,
}

/// Bytes of regex search one document may cost (32 passes over a document
/// of the largest size read), whatever the configuration: each pass of a
/// pattern or of a rule's pattern set over a text counts its length, and
/// each hit [`HIT_COST`]. Once spent, no more rules are checked and the
/// document gets a blocking finding ([`Work::exhausted`]): a configuration
/// cannot make a check pass by being slow.
pub const MAX_REGEX_WORK: u64 = 32 * crate::source::MAX_DOCUMENT_BYTES;

/// What one regex hit counts towards [`MAX_REGEX_WORK`]: the look-around
/// and bookkeeping it costs.
pub const HIT_COST: usize = 32;

/// The regex work spent on one document.
#[derive(Debug, Default)]
pub struct Work {
    used: std::sync::atomic::AtomicU64,
}

impl Work {
    /// Counts a search over `bytes`; false once the budget is spent (the
    /// search must then not run).
    pub fn charge(&self, bytes: usize) -> bool {
        let bytes = u64::try_from(bytes).unwrap_or(u64::MAX);
        let before = self
            .used
            .fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
        before.saturating_add(bytes) <= MAX_REGEX_WORK
    }

    /// Whether some search was refused: the document was not fully checked.
    pub fn exhausted(&self) -> bool {
        self.used.load(std::sync::atomic::Ordering::Relaxed) > MAX_REGEX_WORK
    }
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
    /// Per section of the document: how many active rules claim it.
    claims: &'a [u32],
    /// The sections this rule claims (nested ones included), ascending.
    claimed: &'a [usize],
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
            claims: &[],
            claimed: &[],
        }
    }

    /// Whether some *other* rule claims section `i`. A subsection claimed by
    /// another rule is that rule's to judge for placeholders (`## Testing` ›
    /// `### Load testing: TBD` is a load-testing finding, not a unit-tests
    /// one); a section that answers several rules ("Testing: unit and
    /// load") is claimed by each.
    pub fn claimed_by_other(&self, i: usize) -> bool {
        let mine = u32::from(self.claimed.binary_search(&i).is_ok());
        self.claims.get(i).is_some_and(|&n| n > mine)
    }

    /// Whether this rule matches the heading of section `i` (nested
    /// matches included).
    pub fn claimed_by_self(&self, i: usize) -> bool {
        self.claimed.binary_search(&i).is_ok()
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
            suppressed: None,
            elided: 0,
        }
    }
}

/// Findings one check collects for one rule before it only counts the
/// rest: a document of 8 MiB can hold a million placeholders, and
/// [`crate::lint`] lists at most [`crate::lint::MAX_PER_DOCUMENT`] anyway.
/// Far above what a real document has: the findings past it are counted
/// (as errors of the rule's severity) but cannot be waived one by one, and
/// the summary finding that stands for them is never waived (fail closed).
pub(crate) const MAX_COLLECTED_PER_CHECK: usize = 10_000;

/// Counts findings past [`MAX_COLLECTED_PER_CHECK`].
pub(crate) struct Budget {
    /// `out.len()` when the check started.
    from: usize,
    /// Findings counted but not collected, and where the first one is.
    over: usize,
    first: Option<std::ops::Range<usize>>,
}

impl Budget {
    pub(crate) fn new(from: usize) -> Self {
        Budget {
            from,
            over: 0,
            first: None,
        }
    }

    /// Whether the check has collected its share; if so, counts a finding
    /// at `range` instead.
    pub(crate) fn full(&mut self, out: &[Diagnostic], range: std::ops::Range<usize>) -> bool {
        if out.len() - self.from < MAX_COLLECTED_PER_CHECK {
            return false;
        }
        self.over += 1;
        self.first.get_or_insert(range);
        true
    }

    /// Adds one finding that stands for those counted and not collected.
    pub(crate) fn finish(
        self,
        m: &Matched<'_>,
        check: &'static str,
        what: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(range) = self.first else { return };
        let mut d = m.finding(
            check,
            range,
            format!(
                "…and {} more {what}{} from here on, not listed",
                self.over,
                if self.over == 1 { "" } else { "s" }
            ),
            Some(format!(
                "designgate collects at most {MAX_COLLECTED_PER_CHECK} per rule and document; fix these and check again to see the rest"
            )),
        );
        d.elided = self.over;
        out.push(d);
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

/// The section rules that take part in checking a document, as indices
/// into `rules.rules`: not switched `off`, and in scope (paths, `when`).
/// Without a context (`outline`), every rule not switched off.
fn active(rules: &RuleSet, scope: Option<(&str, Option<&Value>)>) -> Vec<usize> {
    rules
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.severity != Severity::Off && r.kind == RuleKind::Section)
        .filter(|(_, r)| scope.is_none_or(|(path, fm)| r.applies(path, fm)))
        .map(|(i, _)| i)
        .collect()
}

/// For each rule of `active` (indices into `rules.rules`), the sections of
/// `doc` it accepts, ascending. The one place where headings meet rules, for
/// checking and for `outline` alike. Each heading is prepared once and
/// looked up in the rule set's [`crate::pack::headings::HeadingIndex`]
/// (which remembers the answers for headings seen before), so
/// time and memory grow with headings plus matches, not rules × headings.
fn match_table(doc: &Document, rules: &RuleSet, active: &[usize]) -> Vec<Vec<usize>> {
    let mut slot = vec![None; rules.rules.len()];
    for (n, &r) in active.iter().enumerate() {
        slot[r] = Some(n);
    }
    let mut table = vec![Vec::new(); active.len()];
    // why: the title of "# Alerting pipeline redesign" names the subject, not
    // a checklist section; matching it would make the whole document count
    // as the alerting section and hide every gap.
    let title = title_section(doc);
    let index = rules.heading_index();
    let mut found = Vec::new();
    for (i, s) in doc.sections.iter().enumerate() {
        if Some(i) == title {
            continue;
        }
        index.matches_words(&s.title_words, &mut found);
        for &r in &found {
            if let Some(n) = slot.get(r as usize).copied().flatten() {
                table[n].push(i);
            }
        }
    }
    table
}

/// Compiles now what checking compiles on first use: the heading index of
/// the rules, the fixed patterns of headings, checks and waivers, and each
/// rule's combined `forbid` set (one set for rules with the same patterns).
/// Nothing else changes: what a check finds is the same whether this ran
/// or not. Stops between steps once `stop` is set.
///
/// why: [`crate::run_with`] runs this on the other core while discovery
/// waits for git; in a hook, that wait is most of the run, and the
/// patterns cost a tenth of it when compiled after.
pub fn warm_up(rules: &RuleSet, stop: &AtomicBool) {
    let steps: [&dyn Fn(); 7] = [
        &|| {
            rules.heading_index();
        },
        &|| rules.warm_patterns(stop),
        &crate::heading::warm_up,
        &crate::waiver::warm_up,
        &hollow::warm_up,
        &not_applicable::warm_up,
        // Only sets of a few patterns: a rule with hundreds of them whose
        // section no document has would otherwise cost memory for nothing.
        &|| rules.warm_forbid_sets(WARM_FORBID),
    ];
    for step in steps {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        step();
    }
}

/// The most `forbid` patterns a rule may have for [`warm_up`] to compile its
/// set (the built-in packs have at most a handful per rule).
const WARM_FORBID: usize = 16;

/// Applies every active rule to `doc`. Waivers are applied afterwards, by
/// [`crate::waiver`].
pub fn check_document(doc: &Document, ctx: Context<'_>) -> Vec<Diagnostic> {
    let fm = front_matter(doc);
    let active = active(ctx.rules, Some((ctx.local_path, fm)));
    let matches = match_table(doc, ctx.rules, &active);
    let mut claims = vec![0u32; doc.sections.len()];
    for &i in matches.iter().flatten() {
        claims[i] = claims[i].saturating_add(1);
    }
    let all: Vec<(&Rule, Vec<usize>)> = active
        .iter()
        .zip(&matches)
        .map(|(&r, m)| (&ctx.rules.rules[r], outermost(doc, m)))
        .collect();
    let mut out = Vec::new();
    for ((rule, sections), matched) in all.iter().zip(&matches) {
        if ctx.work.exhausted() {
            break;
        }
        let mut m = Matched::new(doc, rule, ctx, &all);
        m.sections = sections.clone();
        m.claims = &claims;
        m.claimed = matched;
        let from = out.len();
        // why: a check finds nothing for a rule it does not apply to, and
        // asking would read what a headings-only parse did not collect.
        for check in CHECKS.iter().filter(|c| c.applies_to(rule)) {
            check.check(&m, &mut out);
        }
        drop_hollow_that_is_only_placeholders(&m, &mut out, from);
        if rule.links {
            let ranges: Vec<_> = m
                .sections
                .iter()
                .map(|&i| doc.sections[i].heading.start..doc.sections[i].end)
                .collect();
            check_links(&m, Some(&ranges), &mut out);
        }
    }
    dedup_placeholders(&mut out);

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
    dedup_broken_diagrams(&mut out);
    out
}

/// One problem, one finding: an image or link that a `contains` demand
/// wanted but whose target is broken gets a `missing-element` finding at the
/// element (it names the target), and the link check reports the same
/// element as `broken-link`. Only the more severe of the two is kept; on a
/// tie, the `missing-element` one, which names the rule the section answers
/// (`architecture`), so that rule's examples, waivers and severity govern it.
fn dedup_broken_diagrams(out: &mut Vec<Diagnostic>) {
    let element: HashMap<usize, Severity> = out
        .iter()
        .filter(|d| d.check == MissingElement.name())
        .fold(HashMap::new(), |mut map, d| {
            let s = map.entry(d.range.start).or_insert(d.severity);
            *s = (*s).max(d.severity);
            map
        });
    if element.is_empty() {
        return;
    }
    let link: HashMap<usize, Severity> = out
        .iter()
        .filter(|d| d.check == BROKEN_LINK && element.contains_key(&d.range.start))
        .fold(HashMap::new(), |mut map, d| {
            let s = map.entry(d.range.start).or_insert(d.severity);
            *s = (*s).max(d.severity);
            map
        });
    out.retain(|d| {
        let at = d.range.start;
        match (element.get(&at), link.get(&at)) {
            (Some(&e), Some(&l)) if d.check == BROKEN_LINK => l > e,
            (Some(&e), Some(&l)) if d.check == MissingElement.name() => e >= l,
            _ => true,
        }
    });
}

/// One problem, one finding: a section whose only words are placeholders
/// (`## SLA` › `TBD`, `## Alternatives` › `None.`) gets the placeholder
/// finding, which names the text and says what to write instead, and not
/// also a hollow-section finding for the same missing answer. `from` is
/// where this rule's findings start in `out`.
fn drop_hollow_that_is_only_placeholders(m: &Matched<'_>, out: &mut Vec<Diagnostic>, from: usize) {
    let placeholder_words: usize = out[from..]
        .iter()
        .filter(|d| d.check == Placeholder.name())
        .map(|d| {
            m.ctx
                .text
                .get(d.range.clone())
                .map_or(0, crate::markdown::count_words)
        })
        .sum();
    if placeholder_words == 0 || placeholder_words < m.words() {
        return;
    }
    let mut i = 0;
    out.retain(|d| {
        let keep = i < from || d.check != HollowSection.name();
        i += 1;
        keep
    });
}

/// One section may satisfy two rules ("Availability and alerting"): a
/// placeholder in it is reported once, for the rule whose finding is the
/// most severe (after `[[relax]]`), the first such rule in pack order on a
/// tie. Keeping the first rule's finding whatever its severity would let
/// "TBD" under `### Availability and alerting` pass as a warning where
/// under `### Alerting` it blocks.
fn dedup_placeholders(out: &mut Vec<Diagnostic>) {
    let mut best: HashMap<usize, (Severity, usize)> = HashMap::new();
    for (i, d) in out.iter().enumerate() {
        if d.check != Placeholder.name() {
            continue;
        }
        best.entry(d.range.start)
            .and_modify(|b| {
                if d.severity > b.0 {
                    *b = (d.severity, i);
                }
            })
            .or_insert((d.severity, i));
    }
    let mut i = 0;
    out.retain(|d| {
        let keep = d.check != Placeholder.name()
            || best.get(&d.range.start).is_some_and(|&(_, at)| at == i);
        i += 1;
        keep
    });
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
    let table = match_table(doc, rules, &active);
    let mut by_section = vec![Vec::new(); doc.sections.len()];
    for (&r, sections) in active.iter().zip(&table) {
        for &i in sections {
            by_section[i].push(rules.rules[r].id.as_str());
        }
    }
    by_section
}

/// The matching sections (ascending) that are not inside another matching
/// section.
fn outermost(doc: &Document, matched: &[usize]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut covered_until = 0;
    for &i in matched {
        if i >= covered_until {
            found.push(i);
            covered_until = doc.sections[i].subtree_end;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::test_support::{lint, rules};
    use crate::pack::RuleSet;

    /// Three section rules (availability, scalability, load testing), each
    /// forbidding `TBD`, with a pattern for load testing.
    fn three_rules() -> RuleSet {
        let rule = |id: &str, headings: &str, extra: &str| {
            format!(
                "[[rule]]\nid = \"{id}\"\ntitle = \"{id}\"\nheadings = [{headings}]\nrequired = true\nmin_words = 3\n{extra}[[rule.forbid]]\npattern = '\\bTBD\\b'\n"
            )
        };
        let text = format!(
            "[pack]\nname = \"t\"\n{}{}{}",
            rule("availability", "\"Availability\"", ""),
            rule("scalability", "\"Scalability\"", ""),
            rule(
                "load",
                "\"Load testing\"",
                "heading_patterns = ['^(?:load|stress) tests?$']\n"
            ),
        );
        let mut set = RuleSet::default();
        set.add_pack(Path::new("t.toml"), &text, "t.toml")
            .unwrap_or_else(|e| panic!("{e}"));
        set
    }

    #[test]
    fn a_combined_heading_answers_every_rule_it_names() {
        let rules = three_rules();
        for doc in [
            "## Availability and Scalability\n\nThree zones, stateless workers.\n\n## Load testing\n\nk6 at twice the peak.\n",
            "## Scalability & availability\n\nThree zones, stateless workers.\n\n## Tests: load and stress\n\nk6 at twice the peak.\n",
            "## Quality\n\n### Availability/scalability\n\nThree zones, stateless workers.\n\n### Load tests\n\nk6 at twice the peak.\n",
        ] {
            assert_eq!(lint(doc, &rules), Vec::<String>::new(), "{doc}");
        }
    }

    #[test]
    fn a_placeholder_in_a_shared_subsection_is_not_the_enclosing_rules() {
        // `### Availability and scalability` is claimed by two rules; inside
        // `## Availability` it is not availability's alone to judge, so the
        // placeholder is reported once, for the rules that claim it.
        let rules = three_rules();
        let found = lint(
            "## Scalability\n\nStateless workers scale out.\n\n### Availability and scalability\n\nTBD\n\n## Load testing\n\nk6 at twice the peak.\n",
            &rules,
        );
        assert_eq!(
            found,
            // One problem, one finding: the placeholder says it; no
            // hollow-section finding for the same missing answer.
            ["placeholder:7:placeholder `TBD` in section `Availability and scalability`"]
        );
    }

    #[test]
    fn headings_of_code_paths_and_sentences_answer_no_pattern() {
        let rules = three_rules();
        let missing = "missing-section:1:missing section `## Load testing`";
        for heading in [
            "## `load` tests",
            "## src/load/tests.rs",
            "## Verifies all load tests in the current install, e.g:",
            "## Why not run load tests in CI?",
            "## Overload tests",
        ] {
            let doc = format!(
                "# T\n\n## Availability\n\nThree zones here.\n\n## Scalability\n\nStateless workers here.\n\n{heading}\n\nk6 at twice the peak.\n"
            );
            assert_eq!(lint(&doc, &rules), [missing], "{heading}");
        }
        // The label of a long heading still names it.
        let doc = "## Availability and scalability\n\nThree zones, stateless.\n\n## Load tests: a week of replayed traffic at twice the peak\n\nk6 at twice the peak.\n";
        assert!(lint(doc, &rules).is_empty());
    }

    #[test]
    fn the_match_table_holds_matches_not_rules_times_headings() {
        // 300 rules and 3,000 headings: each heading answers one rule.
        let mut text = String::from("[pack]\nname = \"t\"\n");
        for r in 0..300 {
            text.push_str(&format!(
                "[[rule]]\nid = \"r{r}\"\ntitle = \"R{r}\"\nheadings = [\"Topic {r}\"]\nheading_patterns = ['^subject {r}$']\n"
            ));
        }
        let mut set = RuleSet::default();
        set.add_pack(Path::new("t.toml"), &text, "t.toml")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut doc = String::new();
        for h in 0..3000 {
            let r = h % 300;
            let name = if h % 2 == 0 { "Topics" } else { "Subject" };
            doc.push_str(&format!("## {name} {r}\n\ntext\n\n"));
        }
        let parsed = crate::markdown::parse(&doc);
        let by_section = super::rules_by_section(&parsed, &set);
        assert_eq!(by_section.len(), 3000);
        for (h, rules) in by_section.iter().enumerate() {
            let want = format!("r{}", h % 300);
            assert_eq!(rules, &[want.as_str()], "heading {h}");
        }
    }

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

    /// A proptest runner of `cases` cases that writes no failure files
    /// into the source tree (a failing case is printed).
    pub(crate) fn proptest_runner(cases: u32) -> proptest::test_runner::TestRunner {
        proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
            cases,
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })
    }

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
            work: &crate::check::Work::default(),
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
