//! Content checks through the real binary, in real git repositories: which
//! placeholder finding wins when one section answers two rules, that one
//! problem gives one finding, and that code is not mistaken for template
//! text. Every case starts from the complete fixture, which passes.

#![allow(clippy::unwrap_used)] // a test: a panic is a failure

mod support;

use support::{COMPLETE, Sandbox, all_output, names_rule, stdout};

const ALERTING: &str = "### Alerting\n\n\
Page the billing on-call when a nightly run has not finished by 6:00 or when\n\
more than ten invoices fail to post; the runbook is linked from the alert.\n";

/// A repository with the built-in pack, the diagram the fixture links, and
/// `design/export.md` holding `doc`, staged.
fn repo_with(sandbox: &Sandbox, doc: &str) -> std::path::PathBuf {
    let repo = sandbox.repo("r");
    repo.write("design/export.md", doc);
    repo.write("design/export-flow.png", "png");
    repo.git_ok(&["add", "."]);
    repo.dir.clone()
}

fn check(doc: &str, args: &[&str]) -> std::process::Output {
    let sandbox = Sandbox::new();
    let dir = repo_with(&sandbox, doc);
    sandbox.run(&dir, support::designgate_exe(), args)
}

#[test]
fn the_fixture_passes() {
    let out = check(COMPLETE, &["check", "--staged"]);
    assert!(out.status.success(), "{}", all_output(&out));
}

/// issue 9: "TBD" under `### Availability and alerting` was a warning (the
/// `availability` rule comes first) and exited 0, where under `### Alerting`
/// it is an `alerting` error and exits 1. The most severe finding wins.
#[test]
fn a_placeholder_in_a_combined_section_blocks_like_in_the_single_one() {
    assert!(
        COMPLETE.contains(ALERTING),
        "ALERTING must be a part of COMPLETE"
    );
    let alone = COMPLETE.replace(ALERTING, "### Alerting\n\nTBD\n");
    let combined = COMPLETE.replace(ALERTING, "### Availability and alerting\n\nTBD\n");
    for (name, doc) in [("alone", alone), ("combined", combined)] {
        let out = check(&doc, &["check", "--staged", "--format", "concise"]);
        let text = all_output(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: must block:\n{text}");
        let tbd: Vec<&str> = text.lines().filter(|l| l.contains("`TBD`")).collect();
        assert_eq!(tbd.len(), 1, "{name}: one placeholder finding:\n{text}");
        assert!(
            tbd[0].contains("error[alerting]"),
            "{name}: reported for the error rule:\n{text}"
        );
    }
}

/// The same, with the config relaxing `alerting` to a warning: then neither
/// finding blocks, and the placeholder is still reported once.
#[test]
fn a_relaxed_rule_does_not_win_over_an_unrelaxed_one() {
    let sandbox = Sandbox::new();
    let doc = COMPLETE.replace(ALERTING, "### Availability and alerting\n\nTBD\n");
    let dir = repo_with(&sandbox, &doc);
    std::fs::write(
        dir.join("designgate.toml"),
        "packs = [\"production-readiness\"]\n[severity]\nalerting = \"warning\"\n",
    )
    .unwrap();
    let out = sandbox.run(
        &dir,
        support::designgate_exe(),
        &["check", "--format", "concise"],
    );
    let text = all_output(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(text.matches("`TBD`").count(), 1, "{text}");
}

/// issue 8 item 11: a diagram whose file is missing was reported twice,
/// as `architecture` "no diagram" and as a `links` broken link. It is one
/// finding of the rule the section answers, at the image, naming the file.
#[test]
fn a_missing_diagram_file_is_one_finding() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("r");
    repo.write("design/export.md", COMPLETE);
    repo.git_ok(&["add", "."]);
    let out = repo.designgate(&["check", "--staged", "--format", "concise"]);
    let text = stdout(&out);
    let findings: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.contains("export.md:") && (l.contains("diagram") || l.contains("export-flow"))
        })
        .collect();
    assert_eq!(findings.len(), 1, "{text}");
    assert!(findings[0].contains("export.md:39:"), "{text}");
    assert!(findings[0].contains("`design/export-flow.png`"), "{text}");
    assert!(names_rule(findings[0], "architecture"), "{text}");
}

/// issue 8 item 1: template syntax and API names in backticks, link
/// destinations, autolinks and HTML attributes are not placeholders; the
/// same words in prose are.
#[test]
fn code_and_links_are_not_placeholders() {
    let architecture =
        "A scheduled job reads the invoices of the day from the replica, maps them to\n";
    assert!(COMPLETE.contains(architecture));
    let clean = COMPLETE.replace(
        architecture,
        &format!(
            "{architecture}renders `{{{{#with invoice as inv}}}}` and `{{{{ .Values.TODO }}}}`, calls \
             `context.TODO()`, see <https://example.com/TODO> and \
             [the list](https://example.com/TBD) <img alt=\"TBD\" src=\"export-flow.png\">, and\n"
        ),
    );
    let out = check(&clean, &["check", "--staged", "--format", "concise"]);
    let text = all_output(&out);
    assert!(out.status.success(), "{text}");
    // The architecture rule is a warning: the exit code alone would not
    // show a false placeholder finding.
    assert!(!text.contains("placeholder"), "{text}");

    let prose = COMPLETE.replace(
        architecture,
        &format!("{architecture}renders {{{{invoice template}}}} and\n"),
    );
    let out = check(&prose, &["check", "--staged", "--format", "concise"]);
    let text = all_output(&out);
    assert!(text.contains("`{{invoice template}}`"), "{text}");
}
