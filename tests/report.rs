//! `designgate report`: the scorecard over real git repositories made in
//! temp folders, with the real binary. The numbers are checked against what
//! `designgate check` says about the same documents, so the report cannot
//! drift from the linter it is built on.

mod support;

use std::fs;

use serde_json::Value;
use support::{Repo, Sandbox, all_output, stdout};

const COMPLETE: &str = support::COMPLETE;

/// COMPLETE with `status: review` and reviewers: no field finding.
fn reviewed(title: &str) -> String {
    COMPLETE
        .replacen(
            "owner: billing-team\n",
            "owner: billing-team\nstatus: review\nreviewers: [carol, dan]\n",
            1,
        )
        .replacen(
            "title: Nightly export of invoices to the ledger",
            &format!("title: {title}"),
            1,
        )
        // No relative image: links are not what these tests are about.
        .replace(
            "![Export flow](export-flow.png)",
            "```mermaid\ngraph LR; a-->b\n```",
        )
}

fn json_report(repo: &Repo<'_>, args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json"];
    all.extend_from_slice(args);
    let out = repo.designgate(&all);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)))
}

fn doc<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .find(|d| d["path"] == path)
        .unwrap_or_else(|| panic!("no row for {path}: {report:#}"))
}

/// `check --format json` per document with findings: (errors, warnings,
/// waived) by path.
fn check_counts(repo: &Repo<'_>, args: &[&str]) -> Vec<(String, u64, u64, u64)> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = repo.designgate(&all);
    let v: Value = serde_json::from_slice(&out.stdout).expect("check json");
    let mut by_path: std::collections::BTreeMap<String, (u64, u64, u64)> = Default::default();
    for d in v["diagnostics"].as_array().expect("diagnostics") {
        let e = by_path
            .entry(d["path"].as_str().expect("path").into())
            .or_default();
        let n = d.get("elided").and_then(Value::as_u64).unwrap_or(1).max(1);
        if d.get("waived").is_some_and(|w| !w.is_null()) {
            e.2 += n;
        } else if d["severity"] == "error" {
            e.0 += n;
        } else if d["severity"] == "warning" {
            e.1 += n;
        }
    }
    by_path
        .into_iter()
        .map(|(p, (e, w, v))| (p, e, w, v))
        .collect()
}

fn setup(sandbox: &Sandbox) -> Repo<'_> {
    let repo = sandbox.repo("r");
    repo.write(
        "designgate.toml",
        "[[rule]]\nid = \"capacity-plan\"\narea = \"quality\"\ntitle = \"Capacity plan\"\nheadings = [\"Capacity plan\"]\nrequired = true\nseverity = \"warning\"\npaths = [\"design/services/**\"]\n",
    );
    repo.commit_unchecked(&[("design/complete.md", &reviewed("Complete"))], "complete");
    let without_sla = reviewed("No SLA").replace(
        "## SLA\n\n- Availability: the export completes successfully on 99.9% of nights.\n- Latency: the export of one day finishes within 30 minutes, p99.\n- A failed night is retried automatically before 6:00 or an engineer is paged.\n\n",
        "",
    );
    assert_ne!(
        without_sla,
        reviewed("No SLA"),
        "the SLA section was removed"
    );
    let placeholder = reviewed("Placeholder").replace(
        "## Load testing\n",
        "## Load testing\n\nTBD\n\n## Old load notes\n",
    );
    let waived = reviewed("Waived").replacen(
        "reviewers: [carol, dan]\n",
        "reviewers: [carol, dan]\nwaivers:\n  - rule: sla\n    reason: internal batch job, no SLA\n    expires: 2999-01-01\n",
        1,
    );
    let waived = waived.replace(
        "## SLA\n\n- Availability: the export completes successfully on 99.9% of nights.\n- Latency: the export of one day finishes within 30 minutes, p99.\n- A failed night is retried automatically before 6:00 or an engineer is paged.\n\n",
        "",
    );
    repo.commit_unchecked(
        &[
            ("design/no-sla.md", &without_sla),
            ("design/services/placeholder.md", &placeholder),
            ("design/waived.md", &waived),
        ],
        "more designs",
    );
    repo
}

#[test]
fn cells_follow_the_findings_and_counts_equal_check() {
    let sandbox = Sandbox::new();
    let repo = setup(&sandbox);
    let r = json_report(&repo, &[]);
    assert_eq!(r["schema"], "designgate-report");
    assert_eq!(r["version"], 1);
    assert_eq!(r["source"]["kind"], "work-tree");

    let complete = doc(&r, "design/complete.md");
    assert_eq!(complete["title"], "Complete");
    assert_eq!(complete["owner"], "billing-team");
    assert_eq!(complete["status"], "review");
    assert_eq!(complete["reviewers"], serde_json::json!(["carol", "dan"]));
    assert_eq!(complete["areas"]["clarity"], "covered");
    // The scoped rule applies only under design/services/.
    assert_eq!(complete["rules"]["capacity-plan"], "not-applicable");

    let no_sla = doc(&r, "design/no-sla.md");
    assert_eq!(no_sla["rules"]["sla"], "missing");
    assert_eq!(no_sla["areas"]["clarity"], "missing");
    assert_eq!(no_sla["rules"]["why"], "covered");

    let placeholder = doc(&r, "design/services/placeholder.md");
    assert_eq!(placeholder["rules"]["load-testing"], "placeholder");
    assert_eq!(placeholder["areas"]["preparation"], "placeholder");
    assert_eq!(placeholder["rules"]["capacity-plan"], "missing");

    let waived = doc(&r, "design/waived.md");
    assert_eq!(waived["rules"]["sla"], "waived");
    assert_eq!(waived["areas"]["clarity"], "waived");
    let waivers = r["waivers"].as_array().expect("waivers");
    assert_eq!(waivers.len(), 1, "{waivers:#?}");
    assert_eq!(waivers[0]["path"], "design/waived.md");
    assert_eq!(waivers[0]["reason"], "internal batch job, no SLA");
    assert_eq!(waivers[0]["expires"], "2999-01-01");

    // Every count is the linter's.
    let check = check_counts(&repo, &[]);
    assert_eq!(check.len(), 3, "the complete document has no finding");
    for d in r["documents"].as_array().expect("documents") {
        let path = d["path"].as_str().expect("path");
        let (errors, warnings, waived) = check
            .iter()
            .find(|c| c.0 == path)
            .map_or((0, 0, 0), |c| (c.1, c.2, c.3));
        assert_eq!(d["errors"], errors, "{path}");
        assert_eq!(d["warnings"], warnings, "{path}");
        assert_eq!(d["waived"], waived, "{path}");
    }
    assert_eq!(r["summary"]["documents"], 4);
    assert_eq!(r["summary"]["blocking_documents"], 2);

    // Score: rules covered or waived among those that apply.
    let rules = complete["rules"].as_object().expect("rules");
    let applicable = rules.values().filter(|s| *s != "not-applicable").count();
    let done = rules
        .values()
        .filter(|s| *s == "covered" || *s == "waived")
        .count();
    assert_eq!(
        complete["score"].as_u64(),
        Some(((done * 200 + applicable) / (applicable * 2)) as u64)
    );
    // Area coverage: cells covered or waived among those that apply.
    let clarity = r["areas"]
        .as_array()
        .expect("areas")
        .iter()
        .find(|a| a["id"] == "clarity")
        .expect("clarity");
    assert_eq!(clarity["counts"]["missing"], 1);
    assert_eq!(clarity["counts"]["waived"], 1);
    assert_eq!(clarity["coverage"], 75);
}

#[test]
fn last_change_comes_from_git_and_rev_works_in_a_bare_clone() {
    let sandbox = Sandbox::new();
    let repo = setup(&sandbox);
    let first = repo.rev("HEAD~1").expect("first commit");
    let second = repo.rev("HEAD").expect("second commit");
    let r = json_report(&repo, &[]);
    assert_eq!(
        doc(&r, "design/complete.md")["last_change"]["commit"],
        first.as_str()
    );
    assert_eq!(
        doc(&r, "design/no-sla.md")["last_change"]["commit"],
        second.as_str()
    );
    assert_eq!(
        doc(&r, "design/no-sla.md")["last_change"]["author"],
        "Ada Author"
    );

    // A bare clone: HEAD by default, any commit with --rev.
    let bare = sandbox.base.join("bare.git");
    let out = sandbox.run(
        &sandbox.base,
        "git",
        &[
            "clone",
            "-q",
            "--bare",
            repo.dir.to_str().expect("utf-8"),
            "bare.git",
        ],
    );
    assert!(out.status.success(), "{}", all_output(&out));
    let run = |args: &[&str]| {
        let out = sandbox.run(&bare, support::designgate_exe(), args);
        assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
        serde_json::from_slice::<Value>(&out.stdout).expect("json")
    };
    let head = run(&["report", "--format", "json"]);
    assert_eq!(head["source"]["kind"], "commit");
    assert_eq!(head["summary"]["documents"], 4);
    let old = run(&["report", "--format", "json", "--rev", &first]);
    assert_eq!(old["summary"]["documents"], 1);
    assert_eq!(old["source"]["commit"], first.as_str());
}

#[test]
fn history_points_match_check_at_each_commit_and_the_cache_is_used() {
    let sandbox = Sandbox::new();
    let repo = setup(&sandbox);
    // A commit that fixes the SLA, one that touches no design document.
    repo.commit_unchecked(&[("design/no-sla.md", &reviewed("No SLA"))], "add the SLA");
    repo.commit_unchecked(&[("README.md", "hello\n")], "not a design doc");

    let r = json_report(&repo, &["--history", "10"]);
    let history = &r["history"];
    let points = history["points"].as_array().expect("points");
    assert_eq!(points.len(), 3, "three commits changed design documents");
    assert_eq!(history["cached"], 0);
    for p in points {
        let commit = p["commit"].as_str().expect("commit");
        let errors: u64 = check_counts(&repo, &["--rev", commit])
            .iter()
            .map(|c| c.1)
            .sum();
        assert_eq!(p["blocking"], errors, "at {commit}");
    }
    assert_eq!(points[0]["documents"], 1);
    assert_eq!(points[2]["documents"], 4);
    assert_eq!(points[2]["coverage"]["clarity"], 100);
    // Each row has its sparkline: one score per point.
    let spark = doc(&r, "design/no-sla.md")["history"]
        .as_array()
        .expect("sparkline");
    assert_eq!(spark.len(), 3);
    assert!(spark[0].is_null(), "not there yet at the first commit");

    // The second run lints nothing: every blob is in the cache.
    let cache = repo.dir.join(".git/designgate/report-cache.json");
    assert!(cache.is_file(), "the cache lives in the git folder");
    let again = json_report(&repo, &["--history", "10"]);
    assert_eq!(again["history"]["linted"], 0);
    assert_eq!(again["history"]["points"], r["history"]["points"]);

    // A corrupted cache is ignored, and rewritten.
    fs::write(&cache, b"{\"version\": 1, \"entries\": [garbage").expect("corrupt");
    let third = json_report(&repo, &["--history", "10"]);
    assert_eq!(third["history"]["points"], r["history"]["points"]);
    assert!(third["history"]["linted"].as_u64() > Some(0));
    let fourth = json_report(&repo, &["--history", "10"]);
    assert_eq!(fourth["history"]["linted"], 0);

    // Other rules: another digest, linted again.
    let toml = repo.read("designgate.toml");
    repo.write(
        "designgate.toml",
        &format!("{toml}\n[severity]\nwhy = \"error\"\n"),
    );
    let other = json_report(&repo, &["--history", "10"]);
    assert!(other["history"]["linted"].as_u64() > Some(0));

    // --weekly: the commits here were made seconds apart, so one point (two
    // if a week ended in between), the last being the last commit's.
    let weekly = json_report(&repo, &["--weekly"]);
    let w = weekly["history"]["points"].as_array().expect("points");
    assert!((1..=2).contains(&w.len()), "{w:#?}");
    assert_eq!(w.last().map(|p| &p["commit"]), Some(&points[2]["commit"]));
    assert_eq!(weekly["history"]["weekly"], true);
    assert_eq!(
        doc(&weekly, "design/no-sla.md")["history"]
            .as_array()
            .map(Vec::len),
        Some(w.len())
    );

    // --since: git's dates; every commit here is after 2001.
    let since = json_report(&repo, &["--since", "2001-01-01"]);
    assert_eq!(since["history"]["points"].as_array().map(Vec::len), Some(3));
}

#[test]
fn hostile_metadata_is_escaped_in_html_and_markdown_and_sanitised_on_the_terminal() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("r");
    let hostile = "title: \"<script>alert(1)</script>\\e]52;c;aGk=\\a\\u202e\"\nowner: \"'><img src=x onerror=alert(2)>\"\nstatus: \"\\\"><svg onload=alert(3)>|@team\"\nreviewers: [\"<iframe>\", \"[x](javascript:alert(4))\"]\n";
    let text = reviewed("T").replacen(
        "---\ntitle: T\nowner: billing-team\nstatus: review\nreviewers: [carol, dan]\n",
        &format!("---\n{hostile}"),
        1,
    );
    assert!(text.contains("<script>"));
    let name = "design/<b>x\"'.md";
    repo.write(name, &text);
    repo.git_ok(&["add", "--", name]);
    repo.git_ok(&[
        "commit",
        "-q",
        "--no-verify",
        "--author=Eve \"&' O'Neil <x@example.com>",
        "-m",
        "x",
    ]);

    let out = repo.designgate(&["report", "--format", "html"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let html = stdout(&out);
    for bad in [
        "<script>alert",
        "<img",
        "<svg onload",
        "<iframe",
        "<b>x",
        "\u{1b}",
        "\u{7}",
        "\u{202e}",
    ] {
        assert!(!html.contains(bad), "{bad:?} in the HTML");
    }
    assert_eq!(
        html.matches("<script").count(),
        2,
        "only the page's own scripts"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&#39;&gt;&lt;img src=x onerror=alert(2)&gt;"));
    assert!(html.contains("&lt;b&gt;x&quot;&#39;.md"));
    assert!(
        html.contains("Eve &quot;&amp;&#39; O&#39;Neil"),
        "the author"
    );

    let out = repo.designgate(&["report", "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let md = stdout(&out);
    for bad in ["<script", "<img", "<iframe", "\u{1b}", "@team", "[x]("] {
        assert!(!md.contains(bad), "{bad:?} in the Markdown");
    }
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(md.contains("\\[x\\](javascript"), "the link is escaped");

    // JSON keeps the values as they are (it is data), escaped as JSON.
    let r = json_report(&repo, &[]);
    assert_eq!(r["documents"][0]["owner"], "'><img src=x onerror=alert(2)>");
}

#[test]
fn merge_adds_a_repository_column() {
    let sandbox = Sandbox::new();
    let a = setup(&sandbox);
    let b = sandbox.repo("other");
    b.commit_unchecked(&[("design/x.md", &reviewed("Other"))], "x");
    let ja = sandbox.base.join("a.json");
    let jb = sandbox.base.join("b.json");
    for (repo, file, name) in [(&a, &ja, "alpha"), (&b, &jb, "beta")] {
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
        assert!(out.stdout.is_empty(), "written to the file");
    }
    let out = sandbox.run(
        &sandbox.base,
        support::designgate_exe(),
        &[
            "report",
            "--format",
            "json",
            "--merge",
            ja.to_str().expect("utf-8"),
            jb.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let m: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(m["source"]["kind"], "merged");
    assert_eq!(
        m["source"]["repositories"],
        serde_json::json!(["alpha", "beta"])
    );
    assert_eq!(m["summary"]["documents"], 5);
    let repos: Vec<&str> = m["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| d["repository"].as_str().expect("repository"))
        .collect();
    assert_eq!(repos, ["alpha", "alpha", "alpha", "alpha", "beta"]);
    assert_eq!(m["summary"]["blocking_documents"], 2);
    assert_eq!(m["waivers"][0]["repository"], "alpha");

    let out = sandbox.run(
        &sandbox.base,
        support::designgate_exe(),
        &[
            "report",
            "--format",
            "markdown",
            "--merge",
            ja.to_str().expect("utf-8"),
            jb.to_str().expect("utf-8"),
        ],
    );
    assert!(
        stdout(&out).contains("| Repository | Document |"),
        "{}",
        stdout(&out)
    );

    // Not a report: a usage error naming the file.
    let bogus = sandbox.base.join("bogus.json");
    fs::write(&bogus, "{\"schema\": \"something-else\"}").expect("write");
    let out = sandbox.run(
        &sandbox.base,
        support::designgate_exe(),
        &["report", "--merge", bogus.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        all_output(&out).contains("bogus.json: not a designgate report"),
        "{}",
        all_output(&out)
    );
}

#[test]
fn outside_git_unborn_and_usage_errors() {
    let sandbox = Sandbox::new();
    // A plain folder: the report works, without last changes; history
    // needs commits and says so (exit 2).
    let plain = sandbox.base.join("plain");
    fs::create_dir_all(plain.join("design")).expect("mkdir");
    fs::write(plain.join("design/a.md"), reviewed("Plain")).expect("write");
    let run =
        |dir: &std::path::Path, args: &[&str]| sandbox.run(dir, support::designgate_exe(), args);
    let out = run(&plain, &["report", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let r: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(r["documents"][0]["last_change"], Value::Null);
    let out = run(&plain, &["report", "--history", "5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        support::stderr(&out).contains("--history, --since and --weekly read past commits"),
        "{}",
        all_output(&out)
    );

    // An unborn branch: documents are there, no commit yet.
    let repo = sandbox.repo("unborn");
    repo.write("design/a.md", &reviewed("Unborn"));
    let r = json_report(&repo, &[]);
    assert_eq!(r["summary"]["documents"], 1);
    assert_eq!(r["source"]["commit"], Value::Null);

    // --history 0 and a file in a missing folder are errors (exit 2), and
    // nothing is written.
    let out = repo.designgate(&["report", "--history", "0"]);
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    let out = repo.designgate(&["report", "-o", "no/such/dir/r.html"]);
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    assert!(!repo.dir.join("no").exists());

    // --output replaces a file whole, keeping its permissions.
    let target = repo.dir.join("r.md");
    fs::write(&target, "old\n").expect("write");
    let out = repo.designgate(&["report", "--format", "markdown", "-o", "r.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert!(repo.read("r.md").starts_with("# Design scorecard"));
    #[cfg(unix)]
    {
        let out = repo.designgate(&["report", "-o", "new.html"]);
        assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
        assert_eq!(support::mode(&repo.dir.join("new.html")) & 0o777, 0o644);
    }
}
