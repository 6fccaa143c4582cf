//! `designgate test-rules`: runs the example documents that packs and the
//! config carry, so that a rule change that breaks an example fails CI
//! before it blocks anyone's commit.
//!
//! A rule example (`[[rule.test]]`) is either `pass` (the document must
//! produce no finding of that rule) or `fail` (at least one, and every check
//! named in `checks` must fire). A document example (`[[test]]`) must fail
//! exactly the rules in `expect`, no more, no fewer. Findings of any
//! severity count; waived ones do not.

use std::collections::BTreeSet;

use crate::lint::{self, Options};
use crate::pack::RuleSet;
use crate::snapshot::Files;
use crate::source::{Origin, Source};
use crate::waiver::Date;

/// The outcome of one example.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    /// The pack or config that carries the example.
    pub origin: String,
    /// The rule a rule example belongs to; `None` for a document example.
    pub rule: Option<String>,
    pub name: String,
    pub status: Status,
    /// Why it failed, or what it checked.
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Passed,
    Failed,
    /// The rule is switched off by the configuration.
    Skipped,
    /// The rule has no examples (not a failure; shown so it gets some).
    Untested,
}

impl Status {
    fn of(passed: bool) -> Status {
        if passed {
            Status::Passed
        } else {
            Status::Failed
        }
    }
}

/// Runs every example in `rules`, in definition order.
pub fn run(rules: &RuleSet, today: Date) -> Vec<Outcome> {
    let mut out = Vec::new();
    for rule in &rules.rules {
        if rule.tests.is_empty() {
            out.push(Outcome {
                origin: rule.origin.clone(),
                rule: Some(rule.id.clone()),
                name: "no examples".to_owned(),
                status: Status::Untested,
                detail: "add [[rule.test]] with `pass` and `fail` documents".to_owned(),
            });
        }
        for t in &rule.tests {
            if rule.severity == crate::pack::Severity::Off {
                out.push(Outcome {
                    origin: rule.origin.clone(),
                    rule: Some(rule.id.clone()),
                    name: t.name.clone(),
                    status: Status::Skipped,
                    detail: "the rule is off".to_owned(),
                });
                continue;
            }
            let found = findings(rules, &t.path, &t.document, &t.files, today);
            let mine: Vec<&(String, &'static str, String)> =
                found.iter().filter(|(r, _, _)| *r == rule.id).collect();
            let (passed, detail) = if t.pass {
                match mine.first() {
                    None => (true, "no finding, as expected".to_owned()),
                    Some((_, check, message)) => (
                        false,
                        format!(
                            "expected no finding of `{}`, got {check}: {message}",
                            rule.id
                        ),
                    ),
                }
            } else if mine.is_empty() {
                (
                    false,
                    format!("expected a finding of `{}`, got none", rule.id),
                )
            } else {
                let fired: BTreeSet<&str> = mine.iter().map(|(_, c, _)| *c).collect();
                let missing: Vec<&str> = t
                    .checks
                    .iter()
                    .map(String::as_str)
                    .filter(|c| !fired.contains(c))
                    .collect();
                if missing.is_empty() {
                    let fired: Vec<&str> = fired.into_iter().collect();
                    (true, format!("failed as expected ({})", fired.join(", ")))
                } else {
                    let fired: Vec<&str> = fired.into_iter().collect();
                    (
                        false,
                        format!(
                            "expected check {} to fire, got {}",
                            missing.join(", "),
                            fired.join(", ")
                        ),
                    )
                }
            };
            out.push(Outcome {
                origin: rule.origin.clone(),
                rule: Some(rule.id.clone()),
                name: t.name.clone(),
                status: Status::of(passed),
                detail,
            });
        }
    }
    for t in &rules.tests {
        // why: a pack's examples were written against the pack (and what
        // it extends); a rule a later pack or the config adds would make
        // every "complete" example fail. Changes to its own rules (a
        // severity, an alias) still apply, and a rule switched off is not
        // expected any more.
        let found: Vec<_> = findings(rules, &t.path, &t.document, &t.files, today)
            .into_iter()
            .filter(|(r, _, _)| {
                t.scope.iter().any(|s| s == r)
                    || r == crate::lint::DOCUMENT_RULE
                    || r == crate::waiver::WAIVER_RULE
            })
            .collect();
        let got: BTreeSet<&str> = found.iter().map(|(r, _, _)| r.as_str()).collect();
        let want: BTreeSet<&str> = t
            .expect
            .iter()
            .map(String::as_str)
            .filter(|id| {
                rules
                    .rule(id)
                    .is_none_or(|r| r.severity != crate::pack::Severity::Off)
            })
            .collect();
        let passed = got == want;
        let detail = if passed {
            if want.is_empty() {
                "no finding, as expected".to_owned()
            } else {
                format!("failed {} as expected", join(&want))
            }
        } else {
            let extra: BTreeSet<&str> = got.difference(&want).copied().collect();
            let missing: BTreeSet<&str> = want.difference(&got).copied().collect();
            let mut parts = Vec::new();
            if !missing.is_empty() {
                parts.push(format!(
                    "expected findings of {} but got none",
                    join(&missing)
                ));
            }
            if !extra.is_empty() {
                let samples: Vec<String> = found
                    .iter()
                    .filter(|(r, _, _)| extra.contains(r.as_str()))
                    .map(|(r, c, m)| format!("{r} ({c}: {m})"))
                    .collect();
                parts.push(format!("unexpected: {}", samples.join("; ")));
            }
            parts.join("; ")
        };
        out.push(Outcome {
            origin: t.origin.clone(),
            rule: None,
            name: t.name.clone(),
            status: Status::of(passed),
            detail,
        });
    }
    out
}

fn join(ids: &BTreeSet<&str>) -> String {
    ids.iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `(rule, check, message)` of every finding that is not waived.
fn findings(
    rules: &RuleSet,
    path: &str,
    document: &str,
    files: &[String],
    today: Date,
) -> Vec<(String, &'static str, String)> {
    let snapshot = Files {
        paths: files.to_vec(),
    };
    let opts = Options {
        rules,
        snapshot: &snapshot,
        base: "",
        today,
    };
    let source = Source {
        path: path.to_owned(),
        origin: Origin::Disk,
        bytes: document.as_bytes().to_vec(),
        oversized: None,
    };
    lint::lint_source(source, &opts)
        .diagnostics
        .into_iter()
        .filter(|d| d.waived.is_none())
        .map(|d| (d.rule, d.check, d.message))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Status, run};
    use crate::pack::RuleSet;
    use crate::waiver::Date;

    #[test]
    fn a_packs_document_examples_ignore_rules_later_layers_add() {
        let mut rules = RuleSet::default();
        rules
            .add_pack(
                Path::new("base.toml"),
                "[pack]\nname = \"base\"\n[[rule]]\nid = \"a\"\ntitle = \"A\"\nheadings = [\"A\"]\nrequired = true\n\
                 [[test]]\nname = \"complete\"\ndocument = \"## A\\n\\nText.\\n\"\n\
                 [[test]]\nname = \"empty\"\ndocument = \"# T\\n\"\nexpect = [\"a\"]\n",
                "base",
            )
            .unwrap();
        rules
            .add_pack(
                Path::new("child.toml"),
                "[pack]\nname = \"child\"\n[[rule]]\nid = \"b\"\ntitle = \"B\"\nheadings = [\"B\"]\nrequired = true\n\
                 [[test]]\nname = \"child sees both\"\ndocument = \"# T\\n\"\nexpect = [\"a\", \"b\"]\n",
                "child",
            )
            .unwrap();
        let today = Date::parse("2026-01-01").unwrap();
        let outcomes = run(&rules, today);
        let docs: Vec<(&str, Status)> = outcomes
            .iter()
            .filter(|o| o.rule.is_none())
            .map(|o| (o.name.as_str(), o.status))
            .collect();
        assert_eq!(
            docs,
            [
                ("complete", Status::Passed),
                ("empty", Status::Passed),
                ("child sees both", Status::Passed)
            ]
        );
        // Switching `a` off: it is no longer expected.
        rules.rules[0].severity = crate::pack::Severity::Off;
        let outcomes = run(&rules, today);
        assert!(
            outcomes
                .iter()
                .filter(|o| o.rule.is_none())
                .all(|o| o.status == Status::Passed)
        );
    }
}
