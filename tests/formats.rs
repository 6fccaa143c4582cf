//! The CI report formats through the real binary, in real git repositories
//! with hostile file names and headings: SARIF against the SARIF 2.1.0
//! JSON Schema (python jsonschema) and Microsoft's SARIF multitool, JUnit
//! against junit-10.xsd (python xmlschema), GitLab Code Quality against its
//! documented required keys, GitHub workflow commands decoded back to the
//! findings, the Markdown summary rendered by a GFM parser (comrak), and
//! fingerprints that survive edits elsewhere in the document.
//!
//! The validators come from `.ci/run` (DESIGNGATE_VALIDATOR_PYTHON,
//! SARIF_MULTITOOL); without them their tests are ignored, and with
//! DESIGNGATE_REQUIRE_REPORT_VALIDATORS=1 a missing one fails (build.rs).

#![allow(clippy::unwrap_used)] // a test: a panic is a failure

mod support;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{COMPLETE, Sandbox, all_output, stdout, without_sla};

/// A file name with every character GitHub's property escaping is about,
/// and a URI's delimiters.
const HOSTILE_NAME: &str = "design/50% off, a:b #1 ?.md";

/// [`COMPLETE`] whose `### Alerting` heading carries markup (escaped in
/// the heading, so literal in its text), control characters and
/// escape-like text, with a placeholder in that section, so that a
/// finding's message quotes the heading.
fn hostile_heading_doc() -> String {
    let doc = COMPLETE.replace(
        "### Alerting\n",
        "### Alerting: %0A::error file=x::pwned, a:b \\!\\[t\\](http://t.invalid/p.png) www.t.invalid/w \\<img src=x\\> | \\`c\\` \u{1b}]0;title\u{7} & \"q\" 'a'\n\nTODO: page someone.\n",
    );
    assert_ne!(doc, COMPLETE, "the fixture has `### Alerting`");
    doc
}

/// A document with a waived error: `sla` missing, waived with a reason.
fn waived_doc() -> String {
    format!(
        "---\nwaivers:\n  - rule: sla\n    reason: \"internal batch job, no users: see ADR-7\"\n{}",
        without_sla().trim_start_matches("---\n")
    )
}

/// A repository with four documents: one complete, one without an SLA
/// (an error), one with a hostile heading under a hostile file name, one
/// whose missing SLA is waived; the diagram the fixture links.
fn repo(sandbox: &Sandbox) -> PathBuf {
    let repo = sandbox.repo("r");
    repo.write("design/complete.md", COMPLETE);
    repo.write("design/no-sla.md", &without_sla());
    repo.write(HOSTILE_NAME, &hostile_heading_doc());
    repo.write("design/waived.md", &waived_doc());
    repo.write("design/export-flow.png", "png");
    repo.git_ok(&["add", "."]);
    repo.dir.clone()
}

fn run(sandbox: &Sandbox, dir: &Path, args: &[&str]) -> std::process::Output {
    sandbox.run(dir, support::designgate_exe(), args)
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()))
}

/// Every report format from one run, to files; human on stdout.
struct Reports {
    out: std::process::Output,
    sarif: Value,
    gitlab: Value,
    json: Value,
    junit: String,
    markdown: String,
    dir: PathBuf,
}

fn all_reports(sandbox: &Sandbox, dir: &Path) -> Reports {
    let out = run(
        sandbox,
        dir,
        &[
            "check",
            "--format",
            "human",
            "--format",
            "sarif=out/r.sarif",
            "--format",
            "gitlab=out/gl.json",
            "--format",
            "json=out/r.json",
            "--format",
            "junit=out/junit.xml",
            "--format",
            "markdown=out/summary.md",
        ],
    );
    Reports {
        sarif: read_json(&dir.join("out/r.sarif")),
        gitlab: read_json(&dir.join("out/gl.json")),
        json: read_json(&dir.join("out/r.json")),
        junit: std::fs::read_to_string(dir.join("out/junit.xml")).unwrap(),
        markdown: std::fs::read_to_string(dir.join("out/summary.md")).unwrap(),
        out,
        dir: dir.to_owned(),
    }
}

fn prepared(sandbox: &Sandbox) -> Reports {
    let dir = repo(sandbox);
    std::fs::create_dir_all(dir.join("out")).unwrap();
    all_reports(sandbox, &dir)
}

/// `%XX` escapes undone.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 3 <= bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The JSON report's findings as (path, rule, line, message, waived).
fn json_findings(json: &Value) -> Vec<(String, String, u64, String, bool)> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["rule"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
                !d["waived"].is_null(),
            )
        })
        .collect()
}

#[test]
fn one_run_writes_every_report_and_the_exit_code_reflects_findings() {
    let sandbox = Sandbox::new();
    let r = prepared(&sandbox);
    assert_eq!(r.out.status.code(), Some(1), "{}", all_output(&r.out));
    let human = stdout(&r.out);
    assert!(human.contains("error[sla]"), "{human}");
    assert!(human.contains("designgate: "), "{human}");
    let findings = json_findings(&r.json);
    assert!(
        findings
            .iter()
            .any(|f| f.0 == "design/no-sla.md" && f.1 == "sla" && !f.4)
    );
    assert!(
        findings
            .iter()
            .any(|f| f.0 == "design/waived.md" && f.1 == "sla" && f.4)
    );
    // The same findings in SARIF (all, waived included) and GitLab (not
    // waived ones).
    let results = r.sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    let issues = r.gitlab.as_array().unwrap();
    assert_eq!(issues.len(), findings.iter().filter(|f| !f.4).count());
    assert!(r.junit.contains("<testsuites"), "{}", r.junit);
    assert!(r.markdown.starts_with("## designgate: "), "{}", r.markdown);
}

#[test]
fn output_file_takes_the_stdout_report_and_conflicts_are_usage_errors() {
    let sandbox = Sandbox::new();
    let dir = repo(&sandbox);
    let out = run(
        &sandbox,
        &dir,
        &["check", "--format", "json", "-o", "r.json"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    let json = read_json(&dir.join("r.json"));
    assert!(json["summary"]["errors"].as_u64().unwrap() >= 1);

    for (args, says) in [
        (&["--format", "json", "--format", "sarif"][..], "stdout"),
        (&["--format", "sarif=x", "--format", "junit=x"][..], "`x`"),
        (&["--format", "sarif="][..], "names no file"),
        (&["--format", "xml"][..], "unknown format `xml`"),
    ] {
        let out = run(&sandbox, &dir, &[&["check"][..], args].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", all_output(&out));
        assert!(
            all_output(&out).contains(says),
            "{args:?}: {}",
            all_output(&out)
        );
    }
    // A report file that cannot be created is an I/O error, before checking.
    let out = run(
        &sandbox,
        &dir,
        &["check", "--format", "sarif=no/such/dir/x.sarif"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    assert!(
        all_output(&out).contains("no/such/dir/x.sarif"),
        "{}",
        all_output(&out)
    );
}

/// GitHub code scanning's documented requirements and limits.
#[test]
fn sarif_meets_github_code_scanning_requirements() {
    let sandbox = Sandbox::new();
    let r = prepared(&sandbox);
    let sarif = &r.sarif;
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "designgate");
    let rules = driver["rules"].as_array().unwrap();
    let mut ids = HashSet::new();
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        assert!(ids.insert(id), "duplicate rule {id}");
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                !rule[key]["text"].as_str().unwrap_or("").is_empty(),
                "{id}: {key}.text"
            );
        }
        assert_ne!(rule["name"].as_str().unwrap().to_lowercase(), id);
        assert!(
            ["error", "warning", "note"]
                .contains(&rule["defaultConfiguration"]["level"].as_str().unwrap())
        );
        assert!(
            rule["properties"]["tags"]
                .as_array()
                .is_none_or(|t| t.len() <= 20)
        );
    }
    // Built-in rules link their docs.
    let sla = rules.iter().find(|r| r["id"] == "sla").unwrap();
    let help = sla["helpUri"].as_str().unwrap();
    assert!(
        help.starts_with("https://") && help.contains("docs/packs.md#production-readiness"),
        "{help}"
    );
    assert!(ids.contains("document") && ids.contains("waiver"));

    let results = runs[0]["results"].as_array().unwrap();
    assert!(!results.is_empty() && results.len() <= 25_000);
    let mut paths = BTreeSet::new();
    for res in results {
        let rule = res["ruleId"].as_str().unwrap();
        assert!(ids.contains(rule), "result of unknown rule {rule}");
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        let locations = res["locations"].as_array().unwrap();
        assert!((1..=10).contains(&locations.len()));
        let physical = &locations[0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            !uri.starts_with('/') && !uri.starts_with("./") && !uri.contains("://"),
            "{uri}"
        );
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(
            r.dir.join(percent_decode(uri)).is_file(),
            "{uri} names no file"
        );
        paths.insert(percent_decode(uri));
        let region = &physical["region"];
        let n = |k: &str| region[k].as_u64().unwrap_or_else(|| panic!("region.{k}"));
        assert!(n("startLine") >= 1 && n("startColumn") >= 1);
        assert!((n("endLine"), n("endColumn")) >= (n("startLine"), n("startColumn")));
        let print = res["partialFingerprints"]["designgate/v1"]
            .as_str()
            .unwrap();
        assert_eq!(print.len(), 32);
    }
    // The hostile name, percent-encoded, decodes back to the file.
    assert!(paths.contains(HOSTILE_NAME), "{paths:?}");
    // The waived finding is a suppression with the reason.
    let waived: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(waived.len(), 1, "{waived:?}");
    let s = &waived[0]["suppressions"][0];
    assert_eq!(s["kind"], "inSource");
    assert_eq!(
        s["justification"],
        "internal batch job, no users: see ADR-7"
    );
    assert_eq!(waived[0]["ruleId"], "sla");
    assert_eq!(runs[0]["invocations"][0]["executionSuccessful"], true);
}

/// The python of `.ci/run` with jsonschema and xmlschema.
fn validator_python() -> String {
    std::env::var("DESIGNGATE_VALIDATOR_PYTHON").unwrap_or_else(|_| {
        panic!("DESIGNGATE_VALIDATOR_PYTHON is not set: .ci/run installs the report validators (a python with jsonschema, rfc3987 and xmlschema) and sets it")
    })
}

fn third_party(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema/third_party")
        .join(file)
}

/// Runs `script` with the validator python; its stdout is what it found.
fn python(script: &str, args: &[&Path]) -> String {
    let out = std::process::Command::new(validator_python())
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run the validator python: {e}"));
    assert!(
        out.status.success(),
        "the validator failed:\n{}",
        all_output(&out)
    );
    stdout(&out)
}

const JSON_SCHEMA_CHECK: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
errors = list(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(doc))
for e in errors:
    print("/".join(map(str, e.absolute_path)), e.message)
print(len(errors), "errors")
"#;

#[test]
#[cfg_attr(
    not(has_report_validators),
    ignore = "needs DESIGNGATE_VALIDATOR_PYTHON (a python with jsonschema, rfc3987, xmlschema; .ci/run installs it)"
)]
fn sarif_is_valid_against_the_sarif_2_1_0_schema() {
    let sandbox = Sandbox::new();
    let r = prepared(&sandbox);
    let schema = third_party("sarif-2.1.0.json");
    let found = python(JSON_SCHEMA_CHECK, &[&schema, &r.dir.join("out/r.sarif")]);
    assert!(found.ends_with("0 errors\n"), "{found}");
    // The check can fail: a result without its required message does.
    let mut broken = r.sarif.clone();
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    broken["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        Value::from("a b%zz");
    let bad = r.dir.join("out/broken.sarif");
    std::fs::write(&bad, broken.to_string()).unwrap();
    let found = python(JSON_SCHEMA_CHECK, &[&schema, &bad]);
    assert!(
        found.contains("'message' is a required property"),
        "{found}"
    );
    assert!(found.contains("is not a 'uri-reference'"), "{found}");
}

#[test]
#[cfg_attr(
    not(has_sarif_multitool),
    ignore = "needs SARIF_MULTITOOL (Microsoft's SARIF multitool; .ci/run installs it)"
)]
fn sarif_passes_the_sarif_multitool() {
    let sandbox = Sandbox::new();
    let r = prepared(&sandbox);
    let tool = std::env::var("SARIF_MULTITOOL").unwrap_or_else(|_| {
        panic!("SARIF_MULTITOOL is not set: .ci/run installs the multitool and sets it")
    });
    let log = r.dir.join("out/validation.sarif");
    let out = std::process::Command::new(&tool)
        .args([
            "validate",
            "--level",
            "Error;Warning;Note",
            "--log",
            "ForceOverwrite",
            "-o",
        ])
        .arg(&log)
        .arg(r.dir.join("out/r.sarif"))
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .unwrap_or_else(|e| panic!("run {tool}: {e}"));
    assert!(out.status.success(), "{}", all_output(&out));
    // Its findings are a SARIF log too: no error and no warning; notes
    // (suggestions such as code snippets) are allowed.
    let found = read_json(&log);
    let problems: Vec<String> = found["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] != "note")
        .map(|r| format!("{}: {}", r["ruleId"], r["message"]))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

const XSD_CHECK: &str = r#"
import sys, xmlschema
schema = xmlschema.XMLSchema(sys.argv[1])
errors = list(schema.iter_errors(sys.argv[2]))
for e in errors:
    print(e.reason, e.path)
print(len(errors), "errors")
"#;

#[test]
#[cfg_attr(
    not(has_report_validators),
    ignore = "needs DESIGNGATE_VALIDATOR_PYTHON (a python with jsonschema, rfc3987, xmlschema; .ci/run installs it)"
)]
fn junit_is_valid_against_the_junit_xsd() {
    let sandbox = Sandbox::new();
    let r = prepared(&sandbox);
    let xsd = third_party("junit-10.xsd");
    let found = python(XSD_CHECK, &[&xsd, &r.dir.join("out/junit.xml")]);
    assert!(found.ends_with("0 errors\n"), "{found}");
    // A testcase without its name fails the same check.
    let bad = r.dir.join("out/broken.xml");
    std::fs::write(&bad, r.junit.replacen(" name=\"why\"", "", 1)).unwrap();
    let found = python(XSD_CHECK, &[&xsd, &bad]);
    assert!(
        !found.ends_with(" 0 errors\n") && found.contains("name"),
        "{found}"
    );
}

#[test]
fn junit_has_a_suite_per_document_a_case_per_rule_and_a_failure_per_error() {
    let sandbox = Sandbox::new();
    let r = prepared(&sandbox);
    let junit = &r.junit;
    let suites: Vec<&str> = junit.split("<testsuite ").skip(1).collect();
    assert_eq!(suites.len(), 4, "{junit}");
    let rules = run(&sandbox, &r.dir, &["rules", "--format", "json"]);
    let rules: Value = serde_json::from_slice(&rules.stdout).unwrap();
    // Every rule of the pack applies to a `review` document but `reviewers`
    // (only when approved); the fixture has no status, so also not `status`-
    // dependent ones: count the names instead of assuming.
    let active = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["severity"] != "off")
        .count();
    for suite in &suites {
        let names: Vec<&str> = suite
            .split("<testcase ")
            .skip(1)
            .map(|c| {
                c.split(" name=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
            })
            .collect();
        let unique: HashSet<&&str> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "duplicate test cases: {names:?}");
        assert!(
            names.len() + 2 >= active && names.len() <= active + 2,
            "{names:?}"
        );
        let tests: usize = suite
            .split("tests=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(tests, names.len());
    }
    let suite = |name: &str| {
        *suites
            .iter()
            .find(|s| s.starts_with(&format!("name=\"{name}\"")))
            .unwrap_or_else(|| panic!("no suite {name}: {junit}"))
    };
    let no_sla = suite("design/no-sla.md");
    assert!(no_sla.contains("failures=\"1\""), "{no_sla}");
    let sla_case = no_sla.split("name=\"sla\"").nth(1).unwrap();
    assert!(
        sla_case
            .trim_start()
            .starts_with(">\n      <failure type=\"missing-section\""),
        "{sla_case}"
    );
    assert!(suite("design/complete.md").contains("failures=\"0\""));
    // Waived: not a failure, but visible.
    let waived = suite("design/waived.md");
    assert!(
        waived.contains("failures=\"0\"") && waived.contains("(waived: internal batch job"),
        "{waived}"
    );
    // The hostile heading reaches XML escaped, its control characters gone.
    let hostile = suite("design/50% off, a:b #1 ?.md");
    assert!(
        hostile.contains("&lt;img src=x&gt;")
            && hostile.contains("&amp; &quot;q&quot; &apos;a&apos;"),
        "{hostile}"
    );
    assert!(!junit.contains('\u{1b}') && !junit.contains('\u{7}'));
}

#[test]
fn gitlab_code_quality_has_the_required_keys() {
    let sandbox = Sandbox::new();
    let r = prepared(&sandbox);
    let bytes = std::fs::read(r.dir.join("out/gl.json")).unwrap();
    assert!(
        !bytes.starts_with("\u{feff}".as_bytes()),
        "no byte-order mark"
    );
    let issues = r.gitlab.as_array().unwrap();
    assert!(!issues.is_empty());
    let mut prints = HashSet::new();
    for issue in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(
                !issue[key].as_str().unwrap_or("").is_empty(),
                "{key}: {issue}"
            );
        }
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap()),
            "{issue}"
        );
        assert!(
            prints.insert(issue["fingerprint"].as_str().unwrap().to_owned()),
            "duplicate fingerprint: {issue}"
        );
        let path = issue["location"]["path"].as_str().unwrap();
        assert!(!path.starts_with("./") && !path.starts_with('/'), "{path}");
        assert!(r.dir.join(path).is_file(), "{path}");
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let sla = issues
        .iter()
        .find(|i| i["location"]["path"] == "design/no-sla.md" && i["check_name"] == "sla")
        .unwrap();
    assert_eq!(sla["severity"], "critical");
    // Waived findings are not issues.
    assert!(
        !issues
            .iter()
            .any(|i| i["location"]["path"] == "design/waived.md" && i["check_name"] == "sla")
    );
}

/// (fingerprint, line) of every SARIF result and GitLab issue.
/// (fingerprint, line) pairs.
type Prints = Vec<(String, u64)>;

fn prints(r: &Reports) -> (Prints, Prints) {
    let sarif = r.sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|res| {
            (
                res["partialFingerprints"]["designgate/v1"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                res["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect();
    let gitlab = r
        .gitlab
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["fingerprint"].as_str().unwrap().to_owned(),
                i["location"]["lines"]["begin"].as_u64().unwrap(),
            )
        })
        .collect();
    (sarif, gitlab)
}

#[test]
fn fingerprints_survive_edits_elsewhere_and_change_with_the_finding() {
    let sandbox = Sandbox::new();
    let before = prepared(&sandbox);
    // Lines added above every finding of the hostile document, and one more
    // placeholder in another section of it.
    let edited = hostile_heading_doc().replacen(
        "## Why\n",
        "## Why\n\nA new paragraph,\nover three lines,\nabove every finding.\n",
        1,
    );
    std::fs::write(before.dir.join(HOSTILE_NAME), edited).unwrap();
    let after = all_reports(&sandbox, &before.dir);
    for ((b, a), format) in [
        (prints(&before).0, prints(&after).0),
        (prints(&before).1, prints(&after).1),
    ]
    .into_iter()
    .zip(["sarif", "gitlab"])
    {
        let b_set: BTreeSet<&String> = b.iter().map(|(p, _)| p).collect();
        let a_set: BTreeSet<&String> = a.iter().map(|(p, _)| p).collect();
        assert_eq!(
            b_set, a_set,
            "{format}: the same findings keep their fingerprints"
        );
        let moved = b
            .iter()
            .filter(|(p, line)| a.iter().any(|(q, l)| q == p && l == &(line + 4)))
            .count();
        assert!(
            moved >= 1,
            "{format}: some finding moved down 4 lines: {b:?} {a:?}"
        );
    }
    // Fixing the SLA of no-sla.md removes exactly its fingerprint.
    std::fs::write(before.dir.join("design/no-sla.md"), COMPLETE).unwrap();
    let fixed = all_reports(&sandbox, &before.dir);
    let b: BTreeSet<String> = prints(&before).1.into_iter().map(|(p, _)| p).collect();
    let f: BTreeSet<String> = prints(&fixed).1.into_iter().map(|(p, _)| p).collect();
    assert!(f.is_subset(&b) && b.len() == f.len() + 1, "{b:?} {f:?}");
}

/// A workflow command's properties and message, unescaped.
fn parse_command(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line.strip_prefix("::").unwrap();
    let (head, message) = rest.split_once("::").unwrap();
    let (command, props) = head.split_once(' ').unwrap();
    let unescape = |s: &str| {
        s.replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%25", "%")
    };
    let props = props
        .split(',')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (k.to_owned(), unescape(v))
        })
        .collect();
    (command.to_owned(), props, unescape(message))
}

#[test]
fn github_commands_escape_hostile_names_and_messages() {
    let sandbox = Sandbox::new();
    let dir = repo(&sandbox);
    let summary = dir.join("step-summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = sandbox
        .command(&dir, support::designgate_exe())
        .args(["check", "--format", "github", "--format", "json=r.json"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    let text = stdout(&out);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\r'),
        "{text:?}"
    );
    let commands: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    let other: Vec<&str> = text.lines().filter(|l| !l.starts_with("::")).collect();
    assert_eq!(
        other.len(),
        1,
        "only the summary line besides commands: {other:?}"
    );
    let json = read_json(&dir.join("r.json"));
    let shown: Vec<_> = json_findings(&json).into_iter().filter(|f| !f.4).collect();
    assert_eq!(commands.len(), shown.len(), "{text}");
    for ((path, rule, line, message, _), command) in shown.iter().zip(&commands) {
        let (kind, props, text) = parse_command(command);
        assert!(["error", "warning", "notice"].contains(&kind.as_str()));
        let prop = |k: &str| {
            props
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(prop("file"), Some(path.as_str()), "{command}");
        assert_eq!(prop("line"), Some(line.to_string().as_str()));
        assert!(prop("title").unwrap().contains(rule.as_str()));
        for k in ["endLine", "col", "endColumn"] {
            assert!(prop(k).unwrap().parse::<u64>().unwrap() >= 1);
        }
        // The message, control characters shown as pictures, is the finding's.
        let shown_message = message.replace('\u{1b}', "␛").replace('\u{7}', "␇");
        assert!(
            text.starts_with(&shown_message),
            "{text:?} vs {shown_message:?}"
        );
    }
    // The hostile heading's fake command stays inside the message.
    assert!(
        commands
            .iter()
            .any(|c| c.contains("Alerting: %250A::error file=x::pwned, a:b")),
        "{text}"
    );
    assert_eq!(
        commands
            .iter()
            .filter(|c| c.starts_with("::error file=x"))
            .count(),
        0
    );

    // The step summary was appended: the earlier step's text stays, the
    // blocking count and one table row per annotation follow.
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with("earlier step\n## designgate: 2 errors block\n"),
        "{md}"
    );
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Severity"))
        .count();
    assert_eq!(rows, commands.len(), "{md}");
}

#[test]
fn markdown_summary_renders_as_tables_without_document_markup() {
    let sandbox = Sandbox::new();
    let r = prepared(&sandbox);
    let md = &r.markdown;
    assert!(md.starts_with("## designgate: 2 errors block\n"), "{md}");
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    let html = comrak::markdown_to_html(md, &options);
    // One <h3> per document with findings, one row per finding not waived,
    // and nothing the hostile heading tried to add (no image, code or link).
    let findings = json_findings(&r.json);
    let shown = findings.iter().filter(|f| !f.4).count();
    let documents: HashSet<&str> = findings
        .iter()
        .filter(|f| !f.4)
        .map(|f| f.0.as_str())
        .collect();
    assert_eq!(html.matches("<h3>").count(), documents.len(), "{html}");
    assert_eq!(
        html.matches("<tr>").count(),
        shown + documents.len(),
        "{html}"
    );
    assert!(
        !html.contains("<img") && !html.contains("<code>") && !html.contains("<a "),
        "{html}"
    );
    assert!(html.contains("&lt;img src=x&gt;"), "{html}");
    assert!(
        html.contains("<h3>design/50% off, a:b #1 ?.md</h3>"),
        "{html}"
    );
}

#[test]
fn line_breaks_in_file_names_stay_inside_one_command_and_one_attribute() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("r");
    let name = "design/evil\n::error file=y::pwned\r.md";
    repo.write(name, &without_sla());
    let out = repo.designgate(&[
        "check",
        "--format",
        "github",
        "--format",
        "sarif=r.sarif",
        "--format",
        "junit=r.xml",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    let text = stdout(&out);
    let commands: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    assert!(!commands.is_empty() && !text.contains('\r'), "{text:?}");
    for command in &commands {
        let (_, props, _) = parse_command(command);
        assert_eq!(props[0], ("file".to_owned(), name.to_owned()), "{command}");
    }
    assert!(
        !text.lines().any(|l| l.starts_with("::error file=y")),
        "{text}"
    );
    let sarif = read_json(&repo.dir.join("r.sarif"));
    let uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert_eq!(percent_decode(uri), name);
    let junit = std::fs::read_to_string(repo.dir.join("r.xml")).unwrap();
    assert!(
        junit.contains("name=\"design/evil&#10;::error file=y::pwned&#13;.md\""),
        "{junit}"
    );
}
