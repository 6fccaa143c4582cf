//! Waivers: a document's way to say "this rule does not apply here, because…",
//! visible in review.
//!
//! In front matter, for the whole document:
//!
//! ```yaml
//! waivers:
//!   - rule: load-testing
//!     reason: batch job with no external traffic
//!     expires: 2027-03-31        # optional
//! ```
//!
//! Inline, for one section (the section holding the comment and its
//! subsections; before the first heading, the whole document):
//!
//! ```markdown
//! <!-- designgate: waive load-testing until 2027-03-31: shares the load test of payments -->
//! ```
//!
//! A waiver without a reason, for an unknown rule, for a rule the pack marks
//! `waivable = false`, or past its date is itself a finding (rule `waiver`,
//! error) and waives nothing; a waiver that covers no finding is a warning.
//! Waived findings are kept, marked as waived: JSON output lists them, and
//! they do not count towards the exit code.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Waived};
use crate::markdown::Document;
use crate::pack::{RuleSet, Severity};
use crate::suggest::did_you_mean;

/// The rule id of findings about waivers themselves.
pub use crate::pack::WAIVER_RULE;

/// A calendar date, for waiver expiry (it lives in [`crate::date`]).
pub use crate::date::Date;

/// One waiver as written.
#[derive(Debug, Clone)]
struct Waiver {
    rule: String,
    reason: String,
    expires: Option<String>,
    /// Where it is written, for findings about it.
    at: Range<usize>,
    /// The byte range of findings it covers.
    scope: Range<usize>,
    inline: bool,
}

static INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<!--\s*designgate:\s*(\S+)\s*(.*?)\s*-->").unwrap_or_else(|_| unreachable!())
});

/// Compiles the inline-waiver pattern now (see [`crate::check::warm_up`]).
pub(crate) fn warm_up() {
    LazyLock::force(&INLINE);
}

/// Applies the document's waivers to `findings` (marking the covered ones
/// waived) and appends findings about the waivers themselves.
pub fn apply(
    doc: &Document,
    text: &str,
    rules: &RuleSet,
    today: Date,
    findings: &mut Vec<Diagnostic>,
) {
    let mut problems = Vec::new();
    let mut waivers = front_matter_waivers(doc, text, &mut problems);
    waivers.extend(inline_waivers(doc, text, &mut problems));
    // Most documents waive nothing: no index of their findings is built.
    if waivers.is_empty() {
        findings.extend(problems);
        return;
    }
    // The findings of each rule, by position: a waiver looks at the ones
    // of its rule in its scope only.
    // why: matching every waiver against every finding was quadratic.
    let mut by_rule: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (i, d) in findings.iter().enumerate() {
        by_rule.entry(d.rule.as_str()).or_default().push(i);
    }
    let mut by_rule: std::collections::HashMap<String, Vec<usize>> = by_rule
        .into_iter()
        .map(|(rule, mut list)| {
            list.sort_by_key(|&i| (findings[i].range.start, i));
            (rule.to_owned(), list)
        })
        .collect();

    for w in waivers {
        let Some(rule) = rules.rule(&w.rule) else {
            problems.push(problem(
                w.at.clone(),
                Severity::Error,
                format!(
                    "waiver for unknown rule `{}`{}",
                    w.rule,
                    did_you_mean(&w.rule, rules.ids())
                ),
                "name a rule id from `designgate rules`",
            ));
            continue;
        };
        if w.reason.trim().is_empty() {
            let how = if w.inline {
                format!(
                    "<!-- designgate: waive {}: <why it does not apply> -->",
                    w.rule
                )
            } else {
                "add `reason: <why it does not apply>` to the waiver".to_owned()
            };
            problems.push(problem(
                w.at.clone(),
                Severity::Error,
                format!("waiver for `{}` gives no reason", w.rule),
                &how,
            ));
            continue;
        }
        if !rule.waivable {
            problems.push(problem(
                w.at.clone(),
                Severity::Error,
                format!(
                    "rule `{}` cannot be waived (its pack sets `waivable = false`)",
                    w.rule
                ),
                "address the finding instead; the checklist makes this item mandatory",
            ));
            continue;
        }
        if let Some(expires) = &w.expires {
            match Date::parse(expires) {
                None => {
                    problems.push(problem(
                        w.at.clone(),
                        Severity::Error,
                        format!(
                            "waiver for `{}` has an invalid expiry date `{expires}`",
                            w.rule
                        ),
                        "write the date as YYYY-MM-DD",
                    ));
                    continue;
                }
                Some(date) if date < today => {
                    problems.push(problem(
                        w.at.clone(),
                        Severity::Error,
                        format!("waiver for `{}` expired on {date}", w.rule),
                        "address the finding, or renew the waiver with a new date and reason",
                    ));
                    continue;
                }
                Some(_) => {}
            }
        }
        let mut used = false;
        let list = by_rule.entry(w.rule.clone()).or_default();
        let from = list.partition_point(|&i| findings[i].range.start < w.scope.start);
        for &i in &list[from..] {
            let d = &mut findings[i];
            if !w.scope.contains(&d.range.start) {
                break;
            }
            // why: a summary of findings not collected stands for findings
            // anywhere after it; waiving it would waive them all unseen.
            if d.waived.is_some() || d.elided > 0 {
                continue;
            }
            d.waived = Some(Waived {
                reason: w.reason.trim().to_owned(),
                expires: w.expires.clone(),
                at: w.at.start,
            });
            used = true;
        }
        if !used {
            problems.push(problem(
                w.at.clone(),
                Severity::Warning,
                format!(
                    "unused waiver: the document has no finding of `{}` here",
                    w.rule
                ),
                "remove the waiver",
            ));
        }
    }
    findings.extend(problems);
}

fn problem(range: Range<usize>, severity: Severity, message: String, help: &str) -> Diagnostic {
    Diagnostic {
        rule: WAIVER_RULE.to_owned(),
        check: "waiver",
        area: None,
        severity,
        range,
        message,
        help: Some(help.to_owned()),
        whole_document: false,
        waived: None,
        suppressed: None,
        elided: 0,
    }
}

fn front_matter_waivers(doc: &Document, text: &str, problems: &mut Vec<Diagnostic>) -> Vec<Waiver> {
    let Some(fm) = &doc.front_matter else {
        return Vec::new();
    };
    let Ok(data) = &fm.data else {
        return Vec::new();
    };
    let Some(list) = data.get("waivers") else {
        return Vec::new();
    };
    let key_at = crate::check::field_key_range(doc, text, "waivers");
    let Some(items) = list.as_array() else {
        problems.push(problem(
            key_at,
            Severity::Error,
            "`waivers` must be a list of `{rule, reason, expires}` entries".to_owned(),
            "write each waiver as `- rule: <id>` with `reason:` (and optionally `expires: YYYY-MM-DD`) below it",
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let get = |k: &str| item.get(k).and_then(crate::pack::when::text);
        let Some(rule) = get("rule") else {
            problems.push(problem(
                key_at.clone(),
                Severity::Error,
                "a waiver without `rule`".to_owned(),
                "name the rule id the waiver is for: `- rule: <id>`",
            ));
            continue;
        };
        let at = find_in(text, fm.range.clone(), &rule).unwrap_or_else(|| key_at.clone());
        let expires = match item.get("expires").or_else(|| item.get("until")) {
            None | Some(Value::Null) => None,
            Some(v) => Some(crate::pack::when::text(v).unwrap_or_else(|| v.to_string())),
        };
        out.push(Waiver {
            rule,
            reason: get("reason").unwrap_or_default(),
            expires,
            at,
            scope: 0..usize::MAX,
            inline: false,
        });
    }
    out
}

/// The first occurrence of `needle` in `text[range]`, as a range.
fn find_in(text: &str, range: Range<usize>, needle: &str) -> Option<Range<usize>> {
    let hay = text.get(range.clone())?;
    hay.find(needle)
        .map(|i| range.start + i..range.start + i + needle.len())
}

fn inline_waivers(doc: &Document, text: &str, problems: &mut Vec<Diagnostic>) -> Vec<Waiver> {
    let mut out = Vec::new();
    for html in &doc.html {
        let Some(chunk) = text.get(html.clone()) else {
            continue;
        };
        // why: every HTML comment of every document comes here (the KEP
        // template is full of them), and a waiver has this literal.
        if memchr::memmem::find(chunk.as_bytes(), b"designgate:").is_none() {
            continue;
        }
        for caps in INLINE.captures_iter(chunk) {
            let (Some(whole), Some(verb), Some(rest)) = (caps.get(0), caps.get(1), caps.get(2))
            else {
                continue;
            };
            let at = html.start + whole.start()..html.start + whole.end();
            if verb.as_str() != "waive" {
                problems.push(problem(
                    at,
                    Severity::Error,
                    format!(
                        "unknown designgate comment `{}`{}",
                        verb.as_str(),
                        did_you_mean(verb.as_str(), ["waive"])
                    ),
                    "write <!-- designgate: waive <rule> [until YYYY-MM-DD]: <reason> -->",
                ));
                continue;
            }
            let (head, reason) = rest.as_str().split_once(':').unwrap_or((rest.as_str(), ""));
            let mut words = head.split_whitespace();
            let rule = words.next().unwrap_or_default().to_owned();
            let expires = match (words.next(), words.next()) {
                (Some("until"), Some(date)) => Some(date.to_owned()),
                _ => None,
            };
            let scope = section_scope(doc, at.start);
            out.push(Waiver {
                rule,
                reason: reason.trim().to_owned(),
                expires,
                at,
                scope,
                inline: true,
            });
        }
    }
    out
}

/// The byte range an inline waiver at `offset` covers: its innermost
/// section with subsections, or the whole document before the first heading.
fn section_scope(doc: &Document, offset: usize) -> Range<usize> {
    // The last heading at or before `offset`, then out through its parents
    // to one that still holds it: a binary search, not a scan per waiver.
    let mut at = doc
        .sections
        .partition_point(|s| s.heading.start <= offset)
        .checked_sub(1);
    while let Some(i) = at {
        let s = &doc.sections[i];
        if offset < s.end {
            return s.heading.start..s.end;
        }
        at = s.parent;
    }
    0..usize::MAX
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::Date;
    use crate::pack::RuleSet;

    /// `rule:check:line:waived` for each finding, with two section rules.
    fn lint(text: &str, today: &str) -> Vec<String> {
        let mut rules = RuleSet::default();
        rules
            .add_pack(
                Path::new("t.toml"),
                "[pack]\nname = \"t\"\n\
                 [[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\nrequired = true\nmin_words = 3\n\
                 [[rule]]\nid = \"cost\"\ntitle = \"Cost\"\nheadings = [\"Cost\"]\nrequired = true\nmin_words = 3\nwaivable = false\n",
                "t",
            )
            .unwrap();
        let doc = crate::markdown::parse(text);
        let ctx = crate::check::Context {
            rules: &rules,
            path: "design/a.md",
            local_path: "design/a.md",
            snapshot: &crate::snapshot::Empty,
            text,
            work: &crate::check::Work::default(),
        };
        let mut findings = crate::check::check_document(&doc, ctx);
        super::apply(
            &doc,
            text,
            &rules,
            Date::parse(today).unwrap(),
            &mut findings,
        );
        findings.sort_by_key(|d| d.range.start);
        findings
            .iter()
            .map(|d| {
                let (line, _) = crate::error::line_column(text.as_bytes(), d.range.start);
                format!(
                    "{}:{}:{line}:{}",
                    d.rule,
                    d.check,
                    if d.waived.is_some() { "waived" } else { "open" }
                )
            })
            .collect()
    }

    #[test]
    fn an_inline_waiver_covers_its_own_section_only() {
        let text = "# T\n\n## SLA\n\nFast.\n<!-- designgate: waive sla: internal tool -->\n\n## Cost\n\nCheap.\n";
        assert_eq!(
            lint(text, "2026-01-01"),
            ["sla:hollow-section:3:waived", "cost:hollow-section:8:open"]
        );
        // The same comment in another section waives nothing there.
        let text = "# T\n\n## SLA\n\nFast.\n\n## Cost\n\nCheap.\n<!-- designgate: waive sla: internal tool -->\n";
        assert_eq!(
            lint(text, "2026-01-01"),
            [
                "sla:hollow-section:3:open",
                "cost:hollow-section:7:open",
                "waiver:waiver:10:open"
            ]
        );
    }

    #[test]
    fn a_waiver_in_code_is_text_and_expiry_includes_the_day() {
        let text = "# T\n\n## SLA\n\nFast.\n\n```\n<!-- designgate: waive sla: no -->\n```\n\n## Cost\n\nA fair amount.\n";
        assert_eq!(lint(text, "2026-01-01"), ["sla:hollow-section:3:open"]);
        let text = "---\nwaivers:\n  - rule: sla\n    reason: internal\n    expires: 2026-01-31\n---\n# T\n\n## Cost\n\nA fair amount.\n";
        assert_eq!(lint(text, "2026-01-31"), ["sla:missing-section:7:waived"]);
        assert_eq!(
            lint(text, "2026-02-01"),
            ["waiver:waiver:3:open", "sla:missing-section:7:open"]
        );
    }

    #[test]
    fn a_rule_that_is_not_waivable_stays_open() {
        let text = "---\nwaivers:\n  - rule: cost\n    reason: free\n---\n# T\n\n## SLA\n\n99.9% of the time.\n";
        assert_eq!(
            lint(text, "2026-01-01"),
            ["waiver:waiver:3:open", "cost:missing-section:6:open"]
        );
    }

    #[test]
    fn dates_parse_strictly_and_today_is_plausible() {
        assert_eq!(
            Date::parse("2024-02-29"),
            Some(Date {
                year: 2024,
                month: 2,
                day: 29
            })
        );
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2023-13-01"), None);
        assert_eq!(Date::parse("2023-1-01"), None);
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_513).to_string(), "2026-03-01");
        assert!(
            Date::today()
                > Date::parse("2025-01-01").unwrap_or(Date {
                    year: 0,
                    month: 1,
                    day: 1
                })
        );
    }
}
