//! Resource bounds: documents that would make the gate print gigabytes, hold
//! every report until the end or spend quadratic time (issue 9, "Resource
//! bounds"). Output size and truthful counts are asserted; wall-clock time
//! is not (a generous timeout only turns a hang into a failure).

use std::fmt::Write as _;

use serde_json::Value;

use super::bounds_harness::{Hostile, designgate};

/// The summary line's numbers: `designgate: N errors, M warnings…`.
fn errors_in_summary(stdout: &str) -> usize {
    let last = stdout.lines().last().unwrap_or_default();
    let after = last
        .strip_prefix("designgate: ")
        .unwrap_or_else(|| panic!("no summary line in {last:?}"));
    after
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no error count in {last:?}"))
}

/// Checks that a JSON report is one document whose listed findings,
/// counted with `elided`, add up to its summary.
fn json_counts_add_up(stdout: &str) -> Value {
    let json: Value = serde_json::from_str(stdout).expect("--format json prints one JSON document");
    let diagnostics = json["diagnostics"].as_array().expect("a diagnostics array");
    let mut counted = 0;
    let mut elided = 0;
    for d in diagnostics {
        let n = d.get("elided").and_then(Value::as_u64).unwrap_or(0);
        elided += n;
        if d["waived"].is_null() {
            counted += n.max(1);
        }
    }
    let s = &json["summary"];
    let total = ["errors", "warnings", "infos"]
        .iter()
        .map(|k| s[k].as_u64().unwrap_or(0))
        .sum::<u64>();
    assert_eq!(
        counted, total,
        "listed findings with `elided` add up to the summary"
    );
    assert_eq!(
        elided,
        s.get("elided").and_then(Value::as_u64).unwrap_or(0),
        "the summary says how many findings were not listed"
    );
    json
}

#[test]
fn one_line_of_thirty_two_thousand_placeholders_prints_a_few_and_counts_all() {
    let repo = Hostile::new();
    let line = "TBD ".repeat(32_000);
    repo.write("design/a.md", &format!("# A\n\n## SLA\n\n{line}\n"));
    let out = designgate(repo.path(), &["check"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.len() < 64 * 1024,
        "human output is bounded, got {} bytes",
        out.stdout.len()
    );
    assert!(
        errors_in_summary(&out.stdout) >= 32_000,
        "{}",
        out.stdout.lines().last().unwrap_or_default()
    );
    assert!(
        out.stdout.contains("more placeholders in section `SLA`"),
        "{}",
        out.stdout
    );
    // Quoted lines are windows of the 128 KB line.
    assert!(out.stdout.lines().all(|l| l.chars().count() < 400));

    let json = designgate(repo.path(), &["check", "--format", "json"]);
    assert_eq!(json.code, 1);
    assert!(
        json.stdout.len() < 256 * 1024,
        "{} bytes",
        json.stdout.len()
    );
    let value = json_counts_add_up(&json.stdout);
    assert!(value["summary"]["errors"].as_u64().unwrap_or(0) >= 32_000);
    // Columns are right at the far end of the line too.
    let last = value["diagnostics"]
        .as_array()
        .and_then(|d| d.iter().rfind(|d| d["check"] == "placeholder"))
        .expect("placeholder findings");
    let column = last["column"].as_u64().unwrap_or(0) as usize;
    assert_eq!(&line[column - 1..column + 2], "TBD");
}

#[test]
fn eight_mebibytes_of_one_placeholder_per_line_stay_bounded() {
    let repo = Hostile::new();
    let mut text = String::from("# A\n\n## SLA\n\n");
    while text.len() < 8 * 1024 * 1024 - 8 {
        text.push_str("TBD\n");
    }
    let lines = text.lines().filter(|l| *l == "TBD").count();
    repo.write("design/a.md", &text);
    let out = designgate(repo.path(), &["check"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.len() < 1024 * 1024, "{} bytes", out.stdout.len());
    assert!(errors_in_summary(&out.stdout) >= lines);
    let json = designgate(repo.path(), &["check", "--format", "json"]);
    json_counts_add_up(&json.stdout);
}

#[test]
fn a_megabyte_line_is_quoted_as_a_window_around_the_finding() {
    let repo = Hostile::new();
    let pad = "word ".repeat(100_000);
    repo.write("design/a.md", &format!("# A\n\n## SLA\n\n{pad}TBD {pad}\n"));
    let out = designgate(repo.path(), &["check"]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.len() < 16 * 1024, "{} bytes", out.stdout.len());
    let quoted = out
        .stdout
        .lines()
        .find(|l| l.contains("TBD") && l.contains(" | "))
        .expect("the finding's line is quoted");
    assert!(
        quoted.contains("…word") && quoted.ends_with('…'),
        "{quoted}"
    );
    // The caret points at the placeholder in the window.
    let caret = out
        .stdout
        .lines()
        .skip_while(|l| *l != quoted)
        .nth(1)
        .expect("a caret line");
    let at = caret.find('^').expect("a caret");
    assert_eq!(caret.matches('^').count(), 3);
    assert_eq!(quoted.chars().skip(at).take(3).collect::<String>(), "TBD");
}

#[test]
fn a_heading_of_a_megabyte_does_not_make_a_megabyte_per_finding() {
    let repo = Hostile::new();
    let title = format!("SLA {}", "x".repeat(1024 * 1024));
    let mut doc = format!("# A\n\n## {title}\n\n");
    for _ in 0..50 {
        doc.push_str("TBD\n\n");
    }
    // Many sections with the same long heading, each with a placeholder.
    for _ in 0..20 {
        doc.push_str(&format!(
            "## SLA\n\nTBD and [x](missing-{}.md)\n\n",
            "y".repeat(10_000)
        ));
    }
    repo.write("design/a.md", &doc);
    repo.write(
        "designgate.toml",
        &format!("[rules.sla]\nextra_headings = [\"{title}\"]\n"),
    );
    let out = designgate(repo.path(), &["check"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.len() < 1024 * 1024, "{} bytes", out.stdout.len());
}

#[test]
fn many_sections_and_links_are_summed_up_per_document() {
    let repo = Hostile::new();
    let mut doc = String::from("# A\n\n");
    for i in 0..5_000 {
        writeln!(doc, "## SLA\n\nTBD [gone](gone-{i}.md)\n").unwrap_or_default();
    }
    repo.write("design/a.md", &doc);
    let out = designgate(repo.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json = json_counts_add_up(&out.stdout);
    let listed = json["diagnostics"].as_array().map_or(0, Vec::len);
    assert!(listed <= 110, "{listed} findings listed");
    assert!(json["summary"]["errors"].as_u64().unwrap_or(0) >= 5_000);
    let human = designgate(repo.path(), &["check"]);
    assert!(
        human
            .stdout
            .contains("more errors in this document, not listed"),
        "{}",
        human.stdout
    );
}

#[test]
fn many_waivers_and_many_findings_match_without_quadratic_work() {
    let repo = Hostile::new();
    let mut doc = String::from("# A\n\n");
    for _ in 0..3_000 {
        doc.push_str(
            "## SLA\n\nTBD\n<!-- designgate: waive sla: the platform team owns this -->\n\n",
        );
    }
    // And a waiver for a rule whose name is a megabyte long.
    doc.push_str(&format!(
        "<!-- designgate: waive {}: why -->\n",
        "r".repeat(1024 * 1024)
    ));
    repo.write("design/a.md", &doc);
    let out = designgate(repo.path(), &["check", "--format", "json"]);
    let json = json_counts_add_up(&out.stdout);
    assert!(
        json["summary"]["waived"].as_u64().unwrap_or(0) >= 3_000,
        "{}",
        json["summary"]
    );
    assert!(out.stdout.len() < 1024 * 1024);
}

#[test]
fn reports_stream_in_path_order() {
    let repo = Hostile::new();
    // More documents than are checked at once, named out of creation order.
    let names: Vec<String> = (0..150)
        .map(|i| format!("design/d{:03}.md", (i * 7) % 150))
        .collect();
    for name in &names {
        repo.write(name, "# A\n\n## SLA\n\nTBD\n");
    }
    let out = designgate(repo.path(), &["check", "--format", "concise"]);
    let paths: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains("[sla]") && l.contains("placeholder"))
        .filter_map(|l| l.split(':').next())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths.len(), 150);
    assert_eq!(paths, sorted);
}

#[test]
fn findings_past_what_a_check_collects_cannot_be_waived_unseen() {
    let repo = Hostile::new();
    let mut doc = String::from(
        "# A\n\n## SLA\n\n<!-- designgate: waive sla: the platform team owns it -->\n\n",
    );
    for _ in 0..12_000 {
        doc.push_str("TBD\n\n");
    }
    repo.write("design/a.md", &doc);
    let out = designgate(repo.path(), &["check", "--format", "json"]);
    let json = json_counts_add_up(&out.stdout);
    // The waiver covers the placeholders collected one by one; the rest,
    // counted but never seen by the waiver, still block.
    assert_eq!(out.code, 1, "{}", json["summary"]);
    let waived = json["summary"]["waived"].as_u64().unwrap_or(0);
    let errors = json["summary"]["errors"].as_u64().unwrap_or(0);
    assert!(waived >= 9_000, "{}", json["summary"]);
    assert!(errors >= 1_000, "{}", json["summary"]);
}

/// A configuration whose patterns would search a long document hundreds of
/// times (issue 9, "Regex work"): checking stops at the work budget with a
/// blocking `document` finding, never a silent pass; the same rules on a
/// short document check normally.
#[test]
fn rules_too_expensive_for_a_document_block_it() {
    let repo = Hostile::new();
    let mut pack = String::from(
        "[pack]\nname = \"slow\"\n[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\n",
    );
    for i in 0..140 {
        writeln!(
            pack,
            "[[rule.require]]\npattern = 'zq{i}x'\nmessage = \"say zq{i}x\""
        )
        .expect("write to a string");
    }
    repo.write("pack.toml", &pack);
    repo.write("designgate.toml", "packs = [\"pack.toml\"]\n");
    let mut text = String::from("# A\n\n## SLA\n\n");
    while text.len() < 2 * 1024 * 1024 {
        text.push_str("words of an answer that never says the word it is asked for\n");
    }
    repo.write("design/long.md", &text);
    repo.write("design/short.md", "# B\n\n## SLA\n\nA short answer.\n");

    let out = designgate(repo.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json = json_counts_add_up(&out.stdout);
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    // How many findings of `rule/check` a document has, listed or summed up.
    let count = |path: &str, id: &str| -> u64 {
        diagnostics
            .iter()
            .filter(|d| d["path"] == path)
            .filter(|d| {
                format!(
                    "{}/{}",
                    d["rule"].as_str().unwrap_or(""),
                    d["check"].as_str().unwrap_or("")
                ) == id
            })
            .map(|d| d.get("elided").and_then(Value::as_u64).unwrap_or(0).max(1))
            .sum()
    };
    let blocking = diagnostics.iter().any(|d| {
        d["path"] == "design/long.md" && d["check"] == "too-expensive" && d["severity"] == "error"
    });
    assert!(blocking, "{}", out.stdout);
    // The rule ran until the budget was spent: some requirements were
    // asked (and reported), not all 140.
    let asked = count("design/long.md", "sla/missing-detail");
    assert!(asked > 0 && asked < 140, "{asked}");
    assert_eq!(count("design/short.md", "document/too-expensive"), 0);
    assert_eq!(count("design/short.md", "sla/missing-detail"), 140);
}

/// A configuration may not compile unbounded numbers of patterns: the
/// 4,097th is a configuration error at its position (exit 2), before any
/// document is read.
#[test]
fn too_many_patterns_are_a_configuration_error_at_the_pattern() {
    let repo = Hostile::new();
    let mut pack = String::from(
        "[pack]\nname = \"many\"\n[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\n",
    );
    for i in 0..4200 {
        writeln!(
            pack,
            "[[rule.require]]\npattern = 'zq{i}x'\nmessage = \"m{i}\""
        )
        .expect("write to a string");
    }
    repo.write("pack.toml", &pack);
    repo.write("designgate.toml", "packs = [\"pack.toml\"]\n");
    repo.write("design/a.md", "# A\n\n## SLA\n\n99.9% uptime.\n");
    let out = designgate(repo.path(), &["check"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    // Line of the 4,097th pattern: 6 header lines, then 3 per pattern.
    let line = 6 + 3 * 4096 + 2;
    assert!(
        out.stderr.contains(&format!("pack.toml:{line}:")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("more than 4096 regex patterns"),
        "{}",
        out.stderr
    );
    // 4,096 patterns load.
    let mut pack = String::from(
        "[pack]\nname = \"many\"\n[[rule]]\nid = \"sla\"\ntitle = \"SLA\"\nheadings = [\"SLA\"]\n",
    );
    for i in 0..4096 {
        writeln!(
            pack,
            "[[rule.require]]\npattern = 'zq{i}x'\nmessage = \"m{i}\""
        )
        .expect("write to a string");
    }
    repo.write("pack.toml", &pack);
    let out = designgate(repo.path(), &["check", "--format", "json"]);
    // Each requirement is asked (a warning each): the rule was checked.
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = json_counts_add_up(&out.stdout);
    assert_eq!(json["summary"]["warnings"], 4096, "{}", out.stdout);
}

/// Blockquotes nested millions deep are a blocking `document` finding, not
/// half a gigabyte inside the Markdown parser; a hundred levels still parse.
#[test]
fn blockquotes_nested_too_deep_are_reported_not_parsed() {
    let repo = Hostile::new();
    let deep = ">".repeat(1024 * 1024);
    repo.write("design/deep.md", &format!("# A\n\n## SLA\n\n{deep} TBD\n"));
    repo.write(
        "design/ok.md",
        &format!("# B\n\n## SLA\n\n{} 99.9% uptime.\n", "> ".repeat(100)),
    );
    let out = designgate(repo.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json = json_counts_add_up(&out.stdout);
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    let deep: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["path"] == "design/deep.md")
        .collect();
    assert_eq!(deep.len(), 1, "{deep:?}");
    assert_eq!(deep[0]["check"], "too-deep");
    assert_eq!(deep[0]["line"], 5);
    assert!(
        !diagnostics
            .iter()
            .any(|d| d["path"] == "design/ok.md" && d["rule"] == "document"),
        "{}",
        out.stdout
    );
    let outline = designgate(repo.path(), &["outline", "design/deep.md"]);
    assert_ne!(outline.code, 0, "{}", outline.stdout);
}

/// A rule set that reads only headings takes the headings-only parse
/// (`src/blocks.rs`, `markdown::parse_outline`); its hostile inputs stay
/// linear. Both of these were quadratic once: a line of two million tabs
/// (each tab looked at its whole line) and a million `]:` after a heading
/// with a bracket (each searched back to the bracket for a label).
#[test]
fn headings_only_parsing_stays_linear_on_tabs_and_definitions() {
    let repo = Hostile::new();
    repo.write(
        "headings.toml",
        "[pack]\nname = \"headings\"\ndescription = \"Required headings only.\"\n\n\
         [defaults]\nseverity = \"error\"\n\n[[rule]]\nid = \"summary\"\ntitle = \"Summary\"\nrequired = true\nheadings = [\"Summary\"]\n",
    );
    repo.write("designgate.toml", "packs = [\"headings.toml\"]\n");
    let tabs = "\t".repeat(2 * 1024 * 1024);
    repo.write(
        "design/tabs.md",
        &format!("# A\n\n{tabs}\n\n## Motivation\n"),
    );
    let colons = "]:".repeat(1024 * 1024);
    repo.write(
        "design/colons.md",
        &format!("# B\n\n## A [x]\n\n{colons}\n"),
    );
    repo.write("design/ok.md", "# C\n\n## Summary\n\nText.\n");
    let out = designgate(repo.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json = json_counts_add_up(&out.stdout);
    let missing: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["check"] == "missing-section")
        .filter_map(|d| d["path"].as_str())
        .collect();
    assert_eq!(
        missing,
        ["design/colons.md", "design/tabs.md"],
        "{}",
        out.stdout
    );
}
