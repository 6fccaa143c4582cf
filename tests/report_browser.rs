//! `designgate report` in a real browser: Debian's `chromium`, driven by
//! playwright-core (`tests/browser/report.mjs`), checks the HTML page
//! against the JSON report of the same repository: no console error, the
//! table's cells equal the JSON's numbers, filters and sorting work, the
//! chart has one point per commit, and axe-core finds no serious
//! violation.
//!
//! The tools: `node` on PATH, `/usr/bin/chromium` (or `DESIGNGATE_CHROMIUM`),
//! and `playwright-core` and `axe-core` under `DESIGNGATE_BROWSER_TOOLS`
//! (default `$HOME/.cache/designgate-ci-tools/browser`, where `.ci/run`
//! installs them). Without them these tests are ignored, unless
//! `DESIGNGATE_REQUIRE_BROWSER=1` (CI), and then they fail (see build.rs).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{Sandbox, all_output};

fn tools() -> PathBuf {
    std::env::var_os("DESIGNGATE_BROWSER_TOOLS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|h| Path::new(&h).join(".cache/designgate-ci-tools/browser"))
        })
        .expect("DESIGNGATE_BROWSER_TOOLS or HOME")
}

/// Runs the browser checks on `html` against `json`; panics with their
/// output if one fails or the tools are missing.
fn browse(html: &Path, json: &Path, screenshot: Option<&Path>) -> String {
    let tools = tools();
    let chromium = std::env::var_os("DESIGNGATE_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    assert!(
        tools
            .join("node_modules/playwright-core/package.json")
            .is_file()
            && tools.join("node_modules/axe-core/axe.min.js").is_file(),
        "the browser test needs playwright-core and axe-core in {} (npm install --prefix {} playwright-core axe-core; .ci/run does it)",
        tools.display(),
        tools.display()
    );
    assert!(
        chromium.is_file(),
        "the browser test needs Chromium at {} (apt-get install chromium)",
        chromium.display()
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/report.mjs");
    let mut cmd = Command::new("node");
    cmd.arg(script).arg(html).arg(json);
    if let Some(s) = screenshot {
        cmd.arg(s);
    }
    let out = cmd
        .env("DESIGNGATE_BROWSER_TOOLS", &tools)
        .env("DESIGNGATE_CHROMIUM", &chromium)
        .output()
        .expect("run node (is it installed?)");
    let text = all_output(&out);
    assert!(out.status.success(), "browser checks failed:\n{text}");
    assert!(text.contains(" passed, 0 failed"), "{text}");
    text
}

/// A repository with five commits of design documents, a waiver, a draft,
/// and hostile metadata.
fn history_repo(sandbox: &Sandbox) -> support::Repo<'_> {
    let repo = sandbox.repo("r");
    let doc = |title: &str, owner: &str, status: &str| {
        support::COMPLETE
            .replacen(
                "title: Nightly export of invoices to the ledger\nowner: billing-team\n",
                &format!(
                    "title: \"{title}\"\nowner: \"{owner}\"\nstatus: {status}\nreviewers: [carol]\n"
                ),
                1,
            )
            .replace(
                "![Export flow](export-flow.png)",
                "```mermaid\ngraph LR; a-->b\n```",
            )
    };
    let sla = "## SLA\n\n- Availability: the export completes successfully on 99.9% of nights.\n- Latency: the export of one day finishes within 30 minutes, p99.\n- A failed night is retried automatically before 6:00 or an engineer is paged.\n\n";
    repo.commit_unchecked(
        &[(
            "design/a.md",
            &doc("Alpha", "team-a", "review").replace(sla, ""),
        )],
        "a without SLA",
    );
    repo.commit_unchecked(
        &[(
            "design/b.md",
            &doc("<script>alert('b')</script>", "\\\"><img src=x>", "draft")
                .replace("## Load testing\n", "## Load testing\n\nTBD\n\n## Notes\n"),
        )],
        "b",
    );
    repo.commit_unchecked(
        &[("design/a.md", &doc("Alpha", "team-a", "review"))],
        "a gets its SLA",
    );
    let waived = doc("Waived", "team-a", "approved").replacen(
        "reviewers: [carol]\n",
        "reviewers: [carol]\nwaivers:\n  - rule: alerting\n    reason: \"alerts come from the <platform> & co\"\n    expires: 2999-12-31\n",
        1,
    );
    let waived = waived.replace("## Alerting\n", "## Old alerting notes\n");
    repo.commit_unchecked(&[("design/c.md", &waived)], "c");
    repo.commit_unchecked(&[("design/d.md", "# Just a title\n\nTBD\n")], "d");
    repo
}

#[test]
#[cfg_attr(
    not(has_browser),
    ignore = "needs chromium, node, playwright-core and axe-core (see .ci/run)"
)]
fn the_page_matches_the_json_in_a_real_browser() {
    let sandbox = Sandbox::new();
    let repo = history_repo(&sandbox);
    let html = sandbox.base.join("report.html");
    let json = sandbox.base.join("report.json");
    for (format, file) in [("html", &html), ("json", &json)] {
        let out = repo.designgate(&[
            "report",
            "--history",
            "10",
            "--format",
            format,
            "-o",
            file.to_str().expect("utf-8"),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    }
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).expect("read json")).expect("json");
    assert_eq!(
        report["history"]["points"].as_array().map(Vec::len),
        Some(5)
    );
    // DESIGNGATE_REPORT_SCREENSHOT=docs/report.png makes the README's picture.
    let screenshot = std::env::var_os("DESIGNGATE_REPORT_SCREENSHOT").map(PathBuf::from);
    let text = browse(&html, &json, screenshot.as_deref());
    assert!(
        text.contains("ok   chart has one point per commit"),
        "{text}"
    );
    assert!(text.contains("ok   status filter"), "{text}");
    assert!(text.contains("ok   owner filter"), "{text}");

    // A merged scorecard (with its repository column) passes the same checks.
    let mut parts = Vec::new();
    for name in ["alpha", "beta"] {
        let file = sandbox.base.join(format!("{name}.json"));
        let out = repo.designgate(&[
            "report",
            "--format",
            "json",
            "--repository",
            name,
            "-o",
            file.to_str().expect("utf-8"),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
        parts.push(file.to_str().expect("utf-8").to_owned());
    }
    let merged_html = sandbox.base.join("merged.html");
    let merged_json = sandbox.base.join("merged.json");
    for (format, file) in [("html", &merged_html), ("json", &merged_json)] {
        let mut args = vec![
            "report",
            "--format",
            format,
            "-o",
            file.to_str().expect("utf-8"),
            "--merge",
        ];
        args.extend(parts.iter().map(String::as_str));
        let out = repo.designgate(&args);
        assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    }
    let html = std::fs::read_to_string(&merged_html).expect("merged page");
    assert!(html.contains(">Repository</button>"), "a repository column");
    browse(&merged_html, &merged_json, None);
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn the_corpus_report_renders_in_a_real_browser() {
    let corpus = support::corpus("the corpus report").expect("corpus");
    let sandbox = Sandbox::new();
    let root = sandbox.base.join("corpus");
    std::fs::create_dir_all(&root).expect("mkdir");
    std::fs::write(root.join("designgate.toml"), "design_dirs = [\"design\"]\n").expect("config");
    let out = sandbox.run(
        &sandbox.base,
        "cp",
        &[
            "-r",
            corpus.to_str().expect("utf-8"),
            root.join("design").to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success(), "{}", all_output(&out));
    let html = sandbox.base.join("corpus.html");
    let json = sandbox.base.join("corpus.json");
    for (format, file) in [("html", &html), ("json", &json)] {
        let out = sandbox.run(
            &root,
            support::designgate_exe(),
            &[
                "report",
                "--format",
                format,
                "-o",
                file.to_str().expect("utf-8"),
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    }
    let size = std::fs::metadata(&html).expect("html").len();
    assert!(size <= 5_000_000, "the page is {size} bytes");
    if cfg!(has_browser) {
        let text = browse(&html, &json, None);
        assert!(
            text.contains("ok   document cells equal the JSON"),
            "{text}"
        );
    }
}
