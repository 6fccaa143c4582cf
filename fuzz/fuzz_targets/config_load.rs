//! Config + pack loading through the real loaders, with every pack file held
//! in memory (nothing is read from disk).
//!
//! The input is UTF-8 text split into files at lines `%%% <name>`: the text
//! before the first marker is `designgate.toml`; each marker starts a file
//! `<name>` (a repository-relative path) that the config's `packs` and a
//! pack's `extends` can name (`packs = ["team.toml"]`). They form an
//! in-memory snapshot, loaded with `Config::in_snapshot`, as a committed,
//! staged or work-tree configuration is; the snapshot asserts that the
//! loader asks only for normalised repository paths, and nothing is read
//! from the host. If the first byte is `!`, the rest is one pack, loaded
//! on its own as `designgate test-rules PACK` does.
//!
//! A config or pack that loads must give a rule set that lints, renders and
//! runs its own examples without breaking an invariant; one that does not
//! load must give an error that names the file.
#![no_main]

use std::collections::BTreeMap;
use std::path::Path;

use designgate::config::Config;
use designgate::pack::RuleSet;
use designgate::report::{Palette, human, json};
use designgate_fuzz::{MemSnapshot, check_report, lint_bytes, today};
use libfuzzer_sys::fuzz_target;

/// Documents linted with every rule set that loads.
const DOCS: &[&str] = &[
    "---\nstatus: draft\nowner: [a, b]\nwaivers:\n  - rule: sla\n    reason: internal\n---\n# Title\n\n## Summary\n\nTBD\n\n## SLA\n\n99.9% of requests within 200 ms.\n<!-- designgate: waive rollback: none -->\n\n### Rollback\n\n[plan](rollback.md) ![d](diagram.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "Title\n=====\n\n```toml\n[x]\n```\n\n## Alerting\n\nN/A\n\n## Security\n\n- item\n- TODO\n",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rules = if let Some(pack) = text.strip_prefix('!') {
        let mut set = RuleSet::default();
        match set.add_pack(Path::new("pack.toml"), pack, "pack.toml") {
            Ok(()) => set,
            Err(e) => return check_error(&e.to_string(), "pack.toml"),
        }
    } else {
        let mut parts = text.split("\n%%% ");
        let config = parts.next().unwrap_or_default();
        let mut files = BTreeMap::new();
        for part in parts {
            let (name, body) = part.split_once('\n').unwrap_or((part, ""));
            files.insert(name.trim().to_owned(), body.to_owned());
        }
        files.insert("designgate.toml".to_owned(), config.to_owned());
        let snapshot = MemSnapshot { files };
        match Config::in_snapshot(&snapshot, None) {
            Ok(config) => {
                for path in [
                    "design/a.md",
                    "design/sub/b.markdown",
                    "",
                    "/",
                    "a/../b",
                    "design/\u{1b}.md",
                ] {
                    let _ = config.is_design_doc(path);
                }
                config.rules
            }
            Err(e) => return check_error(&e.to_string(), ""),
        }
    };

    // Ids are unique and areas exist.
    for (i, rule) in rules.rules.iter().enumerate() {
        assert!(
            rules.rules[..i].iter().all(|r| r.id != rule.id),
            "duplicate rule id {}",
            rule.id
        );
        if let Some(a) = rule.area {
            assert!(a < rules.areas.len(), "rule {} has no area {a}", rule.id);
        }
    }

    let mut out = Vec::new();
    json::rules(&mut out, &rules).expect("Vec");
    let _: serde_json::Value =
        serde_json::from_slice(&out).unwrap_or_else(|e| panic!("rules JSON: {e}"));
    let mut out = Vec::new();
    human::rules(&mut out, &rules, Palette::new(false)).expect("Vec");
    let out = String::from_utf8(out).expect("UTF-8");
    if cfg!(feature = "strict-sanitize") {
        designgate_fuzz::assert_no_controls(&out, "rules listing");
    }

    let outcomes = designgate::rule_tests::run(&rules, today());
    let mut out = Vec::new();
    json::rule_tests(&mut out, &outcomes).expect("Vec");
    let _: serde_json::Value =
        serde_json::from_slice(&out).unwrap_or_else(|e| panic!("test-rules JSON: {e}"));

    for doc in DOCS {
        check_report(&rules, lint_bytes(&rules, doc.as_bytes()));
    }
});

/// A load error names its file, and line and column when it has a position.
fn check_error(message: &str, file: &str) {
    assert!(!message.is_empty());
    if !file.is_empty() {
        assert!(
            message.starts_with(file),
            "error does not name {file}: {message}"
        );
    }
}
