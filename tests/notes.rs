//! What designgate says besides its findings, on real repositories with the
//! real `git commit`: notes on what it did not check, the footer of a
//! blocked commit, silence in a hook with nothing to check, the grouped
//! block of missing sections, `explain`, and `install-hook --config`.

mod support;

use support::{COMPLETE, Repo, Sandbox, all_output, stderr, stdout, without_sla};

const DOC: &str = "design/export.md";

/// A repository with one commit holding a README, and designgate's
/// pre-commit hook installed.
fn hooked(sandbox: &Sandbox) -> Repo<'_> {
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(&[("README.md", "# Project\n")], "initial");
    let out = repo.designgate(&["install-hook"]);
    assert!(out.status.success(), "{}", all_output(&out));
    repo
}

fn notes(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|l| l.strip_prefix("designgate: note: "))
        .collect()
}

#[test]
fn a_commit_without_design_documents_prints_nothing() {
    let sandbox = Sandbox::new();
    let repo = hooked(&sandbox);
    repo.write("src/main.rs", "fn main() {}\n");
    repo.git_ok(&["add", "src/main.rs"]);
    let out = repo.commit("code only");
    assert!(out.status.success(), "{}", all_output(&out));
    assert!(
        !all_output(&out).contains("designgate"),
        "the hook says nothing:\n{}",
        all_output(&out)
    );
    // The same, run by hand in hook mode.
    let out = repo.designgate(&["check", "--staged"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(all_output(&out), "");
}

#[test]
fn a_blocked_commit_says_what_to_do_and_that_the_staged_version_was_checked() {
    let sandbox = Sandbox::new();
    let repo = hooked(&sandbox);
    repo.write(DOC, &without_sla());
    repo.git_ok(&["add", DOC]);
    // Fixed on disk, not staged: the commit is still blocked, and says why.
    repo.write(DOC, COMPLETE);
    let out = repo.commit("design");
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    let text = all_output(&out);
    assert!(
        text.contains("designgate: 1 error blocks this commit: fix, `git add`, commit again."),
        "{text}"
    );
    assert!(
        text.contains("`git commit --no-verify` skips the check once"),
        "{text}"
    );
    assert_eq!(
        notes(&text),
        [format!(
            "{DOC} has unstaged changes: the staged version was checked (`git add` it to check what is on disk)"
        )],
        "{text}"
    );
    // Staged, the fix goes through, and the footer is gone.
    repo.git_ok(&["add", DOC]);
    let out = repo.commit("design");
    assert!(out.status.success(), "{}", all_output(&out));
    assert!(!all_output(&out).contains("blocks this commit"));
    assert!(notes(&all_output(&out)).is_empty(), "{}", all_output(&out));
}

#[test]
fn a_run_by_hand_has_no_hook_footer() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.write(DOC, &without_sla());
    let out = repo.designgate(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !all_output(&out).contains("--no-verify"),
        "{}",
        all_output(&out)
    );
}

#[test]
fn named_paths_that_are_not_checked_get_a_note_with_the_cause() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.write(
        "designgate.toml",
        "design_dirs = [\"design\"]\nexclude = [\"**/template.md\"]\n",
    );
    repo.write(DOC, COMPLETE);
    repo.write("design/template.md", "# Template\n");
    repo.write("design/flow.svg", "<svg/>\n");
    repo.write("notes/idea.md", "# Idea\n");
    let args = [
        "check",
        DOC,
        "design/template.md",
        "design/flow.svg",
        "notes/idea.md",
        "notes",
    ];
    let out = repo.designgate(&args);
    assert_eq!(out.status.code(), Some(0), "notes never block");
    assert!(
        stdout(&out).contains("in 1 document checked"),
        "{}",
        stdout(&out)
    );
    let err = stderr(&out);
    assert_eq!(
        notes(&err),
        [
            "design/template.md: not checked: matched by `exclude` in designgate.toml",
            "design/flow.svg: not checked: not a Markdown file (.md or .markdown; set `include` in designgate.toml for others)",
            "notes/idea.md: not checked: outside the design folders (design/, from `design_dirs` in designgate.toml)",
            "notes: not checked: outside the design folders (design/, from `design_dirs` in designgate.toml)",
        ],
        "{err}"
    );
    // JSON carries the same notes, and stderr stays empty.
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let out = repo.designgate(&json_args);
    assert_eq!(stderr(&out), "");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let kinds: Vec<&str> = json["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| n["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(
        kinds,
        [
            "excluded",
            "not-included",
            "outside-design-dirs",
            "outside-design-dirs"
        ]
    );
    // Under a hook manager, the same paths are expected: no notes.
    let mut quiet = sandbox.command(&repo.dir, support::designgate_exe());
    quiet.args(args).env("PRE_COMMIT", "1");
    let out = quiet.output().expect("run designgate");
    assert_eq!(out.status.code(), Some(0));
    assert!(notes(&stderr(&out)).is_empty(), "{}", stderr(&out));
}

#[test]
fn a_check_that_finds_nothing_names_the_cause() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    // A design folder that does not exist.
    repo.write("designgate.toml", "design_dirs = [\"docs/design\"]\n");
    repo.write("design/a.md", COMPLETE);
    let out = repo.designgate(&["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        notes(&stderr(&out)),
        [
            "design folder `docs/design/` does not exist, so nothing in it was checked (design folders: docs/design/, from `design_dirs` in designgate.toml)"
        ]
    );
    // `include` patterns that match nothing.
    repo.write("designgate.toml", "include = [\"**/*.mdx\"]\n");
    let out = repo.designgate(&["check"]);
    assert_eq!(
        notes(&stderr(&out)),
        [
            "`include` pattern `**/*.mdx` in designgate.toml matches no file in the design folders (design/); patterns are relative to the folder holding the config file"
        ]
    );
    // A config file in a subfolder is not read.
    repo.write("designgate.toml", "");
    repo.write("services/api/designgate.toml", "design_dirs = [\"rfcs\"]\n");
    let out = repo.designgate(&["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        notes(&stderr(&out)),
        [
            "`services/api/designgate.toml` is not used: one configuration applies to a whole run (the one found from the current folder, or `--config FILE`); run from `services/api` or with `--config services/api/designgate.toml` to use it, or move its settings into the configuration in use"
        ]
    );
    // ... unless it is the one named.
    let out = repo.designgate(&["--config", "services/api/designgate.toml", "check"]);
    assert!(
        !stderr(&out).contains("services/api/designgate.toml` is not used"),
        "{}",
        stderr(&out)
    );
    // A config next to checked documents says how many it seems to govern.
    repo.write("design/team/designgate.toml", "");
    repo.write(
        "design/team/plan.md",
        "# Plan\n\n## Why\n\nNightly exports fail silently about once a week.\n",
    );
    let out = repo.designgate(&["check", "--format", "concise"]);
    assert_eq!(
        notes(&stderr(&out)),
        [
            "`design/team/designgate.toml` is not used for the document below `design/team/`: one configuration applies to a whole run (the one found from the current folder, or `--config FILE`); run from `design/team` or with `--config design/team/designgate.toml` to use it, or move its settings into the configuration in use",
            "`services/api/designgate.toml` is not used: one configuration applies to a whole run (the one found from the current folder, or `--config FILE`); run from `services/api` or with `--config services/api/designgate.toml` to use it, or move its settings into the configuration in use"
        ]
    );
    // A configuration named on the command line is a choice: the others
    // are not mentioned.
    let out = repo.designgate(&["--config", "designgate.toml", "check"]);
    assert!(notes(&stderr(&out)).is_empty(), "{}", stderr(&out));
}

#[test]
fn install_hook_refuses_a_config_it_would_not_use() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(&[("README.md", "# Project\n")], "initial");
    repo.write("team/designgate.toml", "design_dirs = [\"docs\"]\n");
    let out = repo.designgate(&["--config", "team/designgate.toml", "install-hook"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("install-hook does not take --config"),
        "{}",
        stderr(&out)
    );
    let hook = repo.dir.join(".git/hooks/pre-commit");
    assert!(!hook.exists(), "no hook was written");
    // With no hook, a commit of an incomplete design goes through.
    repo.write(DOC, &without_sla());
    repo.git_ok(&["add", DOC]);
    let out = repo.commit("design");
    assert!(out.status.success(), "{}", all_output(&out));
    assert!(!all_output(&out).contains("designgate"));
}

#[test]
fn several_missing_sections_make_one_block_in_human_output_only() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    repo.write(
        DOC,
        "# Export\n\n## Why\n\nNightly exports are run by hand today and fail silently about once a week.\n",
    );
    let out = repo.designgate(&["check"]);
    let text = stdout(&out);
    let missing = text.matches("missing-section").count();
    assert_eq!(missing, 1, "one block:\n{text}");
    assert!(
        text.contains("19 required sections are missing (3 errors, 16 warnings); add these headings (any level)"),
        "{text}"
    );
    for row in [
        "| error   ## SLA ",
        "| error   ## Load testing ",
        "| warning ## Cost ",
        "or SLO, SLA and SLOs, SLIs and SLOs, …",
    ] {
        assert!(text.contains(row), "{row}:\n{text}");
    }
    // Errors come first.
    let sla = text.find("## SLA").expect("sla row");
    let cost = text.find("## Cost").expect("cost row");
    assert!(sla < cost, "{text}");
    // Concise and JSON keep one finding per rule, titled with the heading.
    let concise = stdout(&repo.designgate(&["check", "--format", "concise"]));
    assert_eq!(concise.matches("missing section").count(), 19, "{concise}");
    assert!(
        concise.contains("warning[cost] missing section `## Cost`"),
        "{concise}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&repo.designgate(&["check", "--format", "json"]).stdout)
            .expect("JSON");
    let n = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["check"] == "missing-section")
        .count();
    assert_eq!(n, 19);
}

#[test]
fn explain_lists_only_the_checks_a_rule_has() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    let checks = |id: &str| -> Vec<String> {
        let out = stdout(&repo.designgate(&["explain", id]));
        let start = out.find("\nChecks\n").map(|i| i + 8);
        start.map_or(Vec::new(), |s| {
            out[s..]
                .lines()
                .take_while(|l| l.starts_with("  "))
                .map(|l| l.split_whitespace().next().unwrap_or("").to_owned())
                .collect()
        })
    };
    assert_eq!(
        checks("sla"),
        [
            "missing-section",
            "hollow-section",
            "placeholder",
            "missing-detail"
        ]
    );
    assert_eq!(
        checks("cost"),
        ["missing-section", "hollow-section", "placeholder"]
    );
    assert_eq!(checks("links"), ["broken-link"]);
    assert!(checks("owner").is_empty());
    // Accepted headings come as words before any regex.
    let out = stdout(&repo.designgate(&["explain", "cost"]));
    let words = out.find("  Cost, Cost monitoring").expect("headings");
    let regex = out.find("/^budget$/").expect("a regex");
    assert!(words < regex, "{out}");
}

#[cfg(unix)]
#[test]
fn a_note_never_prints_raw_control_characters() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("repo");
    let name = "notes/\u{1b}[31mred.md";
    repo.write(name, "# Red\n");
    let out = repo.designgate(&["check", name]);
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(err.contains("notes/␛[31mred.md: not checked"), "{err}");
}
