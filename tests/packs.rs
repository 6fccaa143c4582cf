//! The built-in packs (`production-readiness`, `kep`, `adr`): every rule
//! carries examples that pass and fail, `designgate test-rules` runs them
//! green through the real binary, and the packs behave as documented on
//! whole documents (the KEP template's stages, the KEP template itself).

#![allow(clippy::print_stderr)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use designgate::pack::{BUILTIN_PACKS, RuleSet};
use serde_json::Value;

fn designgate(dir: &Path, args: &[&str]) -> Output {
    Command::new(support::designgate_exe())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run designgate")
}

fn load(name: &str, text: &str) -> RuleSet {
    let mut set = RuleSet::default();
    set.add_pack(Path::new(name), text, name)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    set
}

#[test]
fn every_rule_of_every_builtin_pack_has_a_passing_and_a_failing_example() {
    let mut missing = Vec::new();
    for (name, text) in BUILTIN_PACKS {
        let set = load(name, text);
        assert!(!set.rules.is_empty(), "{name} has no rules");
        for rule in &set.rules {
            if !rule.tests.iter().any(|t| t.pass) {
                missing.push(format!("{name}: `{}` has no `pass` example", rule.id));
            }
            if !rule.tests.iter().any(|t| !t.pass) {
                missing.push(format!("{name}: `{}` has no `fail` example", rule.id));
            }
        }
        if set.tests.is_empty() {
            missing.push(format!("{name}: no whole-document [[test]]"));
        }
    }
    assert!(
        missing.is_empty(),
        "add [[rule.test]] examples:\n{}",
        missing.join("\n")
    );
}

#[test]
fn test_rules_passes_every_builtin_pack_through_the_binary() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, _) in BUILTIN_PACKS {
        let out = designgate(dir.path(), &["test-rules", name]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "designgate test-rules {name}:\n{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let summary = stdout.lines().last().unwrap_or_default();
        assert!(
            summary.starts_with("test-rules: ")
                && summary.contains(" 0 failed")
                && !summary.contains("without examples"),
            "{name}: {summary}"
        );

        let out = designgate(dir.path(), &["test-rules", name, "--format", "json"]);
        let json: Value = serde_json::from_slice(&out.stdout).expect("test-rules JSON");
        let tests = json["tests"].as_array().expect("tests array");
        let statuses: Vec<&str> = tests.iter().filter_map(|t| t["status"].as_str()).collect();
        assert!(
            statuses.len() > 10,
            "{name}: only {} examples",
            statuses.len()
        );
        assert!(
            statuses.iter().all(|s| *s == "passed"),
            "{name}: {:?}",
            tests
                .iter()
                .filter(|t| t["status"] != "passed")
                .collect::<Vec<_>>()
        );
    }
}

/// A folder with `designgate.toml` using `pack`, and `docs` written into it.
fn project(pack: &str, docs: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("designgate.toml"),
        format!("design_dirs = [\"design\"]\npacks = [\"{pack}\"]\n"),
    )
    .expect("write config");
    for (path, text) in docs {
        let path = dir.path().join("design").join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write doc");
    }
    dir
}

/// `(rule, check, severity)` of each finding of `designgate check`, and the exit code.
fn check(dir: &Path) -> (Option<i32>, Vec<(String, String, String)>) {
    let out = designgate(dir, &["check", "--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let found = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_owned();
            (s("rule"), s("check"), s("severity"))
        })
        .collect();
    (out.status.code(), found)
}

const PROVISIONAL_KEP: &str = "\
# KEP-4242: DaemonSet surge

## Summary

This KEP adds a `maxSurge` field to DaemonSet rolling updates, so that a new
pod can start on a node before the old one stops. Node agents such as CNI
plugins can then be updated without a gap in service.

## Motivation

Updating a CNI plugin today deletes its pod before the new one runs, so every
node loses pod networking for the length of an image pull. Operators work
around it with hand-written scripts that nobody maintains.
";

#[test]
fn a_provisional_kep_needs_only_summary_and_motivation_to_pass() {
    let with_status = format!("---\nstatus: provisional\n---\n{PROVISIONAL_KEP}");
    let dir = project("kep", &[("surge/README.md", &with_status)]);
    let (code, found) = check(dir.path());
    assert_eq!(code, Some(0), "{found:?}");
    // The missing PRR is still reported, as a warning.
    assert!(
        found
            .iter()
            .any(|(r, c, s)| r == "kep-prr" && c == "missing-section" && s == "warning"),
        "{found:?}"
    );

    // Without front matter every rule applies at full strength.
    let dir = project("kep", &[("surge/README.md", PROVISIONAL_KEP)]);
    let (code, found) = check(dir.path());
    assert_eq!(code, Some(1));
    assert!(
        found
            .iter()
            .any(|(r, c, s)| r == "kep-prr" && c == "missing-section" && s == "error"),
        "{found:?}"
    );
}

#[test]
fn an_alpha_kep_need_not_answer_the_beta_parts_of_the_prr_yet() {
    let doc = "---\nstage: alpha\n---\n# KEP-1: Example\n\n## Production Readiness Review Questionnaire\n\nSee below.\n";
    let dir = project("kep", &[("x/README.md", doc)]);
    let (_, found) = check(dir.path());
    let severity = |rule: &str| {
        found
            .iter()
            .find(|(r, c, _)| r == rule && c == "missing-section")
            .map(|(_, _, s)| s.as_str())
    };
    // Feature enablement is needed for alpha; monitoring only for beta.
    assert_eq!(severity("kep-feature-enablement"), Some("error"));
    assert_eq!(severity("kep-monitoring"), Some("warning"));
    assert_eq!(severity("kep-scalability"), Some("warning"));
}

#[test]
fn nygard_and_madr_records_both_pass_the_adr_pack() {
    let nygard = "# 3. Use PostgreSQL for the ledger\n\n## Status\n\nAccepted\n\n## Context\n\n\
        The ledger must record every payment exactly once and answer balance queries within 50 ms;\n\
        Redis loses acknowledged writes on failover.\n\n## Decision\n\n\
        We will store the ledger in PostgreSQL 16 with synchronous replication to a second zone.\n\n\
        ## Consequences\n\nBalance queries become one indexed read, but the team must run a failover drill\n\
        every quarter.\n";
    let madr = "---\nstatus: accepted\ndate: 2025-03-14\ndecision-makers: [alice]\n---\n\
        # Use PostgreSQL for the ledger\n\n## Context and Problem Statement\n\n\
        The ledger must record every payment exactly once and answer balance queries within 50 ms.\n\
        Which store should hold it?\n\n## Considered Options\n\n* PostgreSQL\n* DynamoDB\n\n\
        ## Decision Outcome\n\nChosen option: \"PostgreSQL\", because it is the only option with\n\
        transactional exactly-once writes.\n\n### Consequences\n\n\
        * Good, because balance queries are one indexed read.\n\
        * Bad, because the team must run a failover drill every quarter.\n";
    let dir = project("adr", &[("0003-nygard.md", nygard), ("0003-madr.md", madr)]);
    let (code, found) = check(dir.path());
    assert_eq!((code, found), (Some(0), Vec::new()));

    // A wrong MADR status and date block the commit.
    let broken = madr
        .replace("status: accepted", "status: approved")
        .replace("2025-03-14", "14/03/2025");
    let dir = project("adr", &[("0003-madr.md", &broken)]);
    let (code, found) = check(dir.path());
    assert_eq!(code, Some(1));
    let rules: Vec<&str> = found.iter().map(|(r, _, _)| r.as_str()).collect();
    assert!(rules.contains(&"adr-status-field"), "{found:?}");
    assert!(rules.contains(&"adr-date"), "{found:?}");
}

fn corpus() -> Option<PathBuf> {
    support::corpus("KEP template test")
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn the_untouched_kep_template_fails_the_kep_pack() {
    let Some(corpus) = corpus() else { return };
    let template = std::fs::read_to_string(corpus.join("keps/keps/NNNN-kep-template/README.md"))
        .expect("read the KEP template");
    let dir = project("kep", &[("NNNN-kep-template/README.md", &template)]);
    let (code, found) = check(dir.path());
    assert_eq!(code, Some(1));
    let has = |rule: &str, check: &str| found.iter().any(|(r, c, _)| r == rule && c == check);
    // Guidance in HTML comments is not an answer...
    assert!(has("kep-summary", "hollow-section"), "{found:?}");
    assert!(has("kep-motivation", "hollow-section"), "{found:?}");
    // ...and the template's example lines and options are spotted.
    assert!(has("kep-test-plan", "placeholder"), "{found:?}");
    assert!(
        has("kep-feature-enablement-questions", "placeholder"),
        "{found:?}"
    );
    assert!(has("kep-monitoring-questions", "placeholder"), "{found:?}");
    // Its question headings are all there, so no section or question is
    // reported missing; the questions are reported unanswered.
    assert!(
        !found.iter().any(|(_, c, _)| c == "missing-section"),
        "{found:?}"
    );
    let out = designgate(dir.path(), &["check", "--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let questions: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["check"] == "missing-sub-item")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(!questions.is_empty(), "{found:?}");
    assert!(
        questions.iter().all(|m| m.contains("is empty")),
        "{questions:?}"
    );
}
