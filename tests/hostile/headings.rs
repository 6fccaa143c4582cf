//! Heading matching at scale: a committed pack may hold thousands of rules
//! and a document many thousands of headings. Matching keeps only the matches
//! (not a rules × headings table), so the result must stay exact and the run
//! must finish. The memory numbers (2,000 rules × 100,000 headings) are in
//! docs/rules.md ("Matching headings"); this test checks the answers at a
//! size a debug build runs in seconds.

use std::fmt::Write as _;
use std::fs;
use std::process::Command;

const RULES: usize = 2_000;
const HEADINGS: usize = 20_000;

#[test]
fn thousands_of_rules_and_headings_match_exactly() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    let mut pack = String::from("[pack]\nname = \"big\"\n");
    for r in 0..RULES {
        // Half the rules by alias, half by pattern, every one required.
        let _ = write!(
            pack,
            "[[rule]]\nid = \"r{r}\"\ntitle = \"R{r}\"\nrequired = true\nheadings = [\"Topic {r}\"]\nheading_patterns = ['^subject {r}$']\n"
        );
    }
    let mut doc = String::from("# Big\n\n");
    for h in 0..HEADINGS {
        // Plural aliases, patterns, code headings and sentences mixed.
        let r = (h / 4) % RULES;
        let heading = match h % 4 {
            0 => format!("Topics {r}"),
            1 => format!("Subject {r}"),
            2 => format!("`subject {r}`"),
            _ => format!("Subject {r} is discussed at length in this long sentence"),
        };
        let _ = write!(doc, "## {heading}\n\nword\n\n");
    }
    fs::create_dir_all(root.join("design")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(root.join("pack.toml"), pack).unwrap_or_else(|e| panic!("{e}"));
    fs::write(root.join("designgate.toml"), "packs = [\"pack.toml\"]\n")
        .unwrap_or_else(|e| panic!("{e}"));
    fs::write(root.join("design/big.md"), doc).unwrap_or_else(|e| panic!("{e}"));

    let out = Command::new(crate::support::designgate_exe())
        .args(["outline", "--format", "json", "design/big.md"])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let sections = json["sections"].as_array().cloned().unwrap_or_default();
    assert_eq!(sections.len(), HEADINGS + 1);
    for (h, s) in sections[1..].iter().enumerate() {
        let rules: Vec<&str> = s["rules"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        let want = format!("r{}", (h / 4) % RULES);
        let expected: Vec<&str> = if h % 4 < 2 { vec![&want] } else { vec![] };
        assert_eq!(rules, expected, "heading {h}: {}", s["title"]);
    }

    // Every rule is answered (by its `Topics` or `Subject` heading): no finding.
    let out = Command::new(crate::support::designgate_exe())
        .args(["check", "--format", "concise", "design/big.md"])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("0 errors, 0 warnings"), "{stdout}");
}
