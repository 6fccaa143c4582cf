//! `designgate init`, `new` and `check --fix` in real git repositories, with
//! the real binary: skeletons that pass as drafts for every built-in pack, a
//! custom pack and the cookbook's packs; fixes that keep every byte (CRLF,
//! BOM, permissions), change nothing the second time and follow `after`;
//! the safety rules (no overwrite, no symlink out of the repository, the
//! 8 MiB cap, never under a hook); and a `new` document committed through
//! the installed hook.

mod support;

use std::fs;
use std::path::Path;

use serde_json::Value;
use support::{Repo, Sandbox, all_output, assert_success, stderr, stdout};

/// `(check, rule, severity)` of every finding `check --format json` reports
/// for `path`, and the exit code.
fn findings(repo: &Repo<'_>, path: &str) -> (Vec<(String, String, String)>, i32) {
    let out = repo.designgate(&["check", "--format", "json", path]);
    let json: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", all_output(&out)));
    let list = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_owned();
            (s("check"), s("rule"), s("severity"))
        })
        .collect();
    (list, out.status.code().unwrap_or(-1))
}

/// A repository with git's user.name set (the default owner).
fn named_repo<'a>(sandbox: &'a Sandbox, name: &str) -> Repo<'a> {
    let repo = sandbox.repo(name);
    repo.git_ok(&["config", "user.name", "Ada Lovelace"]);
    repo
}

/// A draft skeleton: no missing section, only hollow or placeholder
/// warnings, exit 0; and nothing for --fix to add.
#[track_caller]
fn assert_fresh_draft(repo: &Repo<'_>, path: &str) {
    let (found, code) = findings(repo, path);
    for (check, rule, severity) in &found {
        assert!(
            (check == "hollow-section" || check == "placeholder") && severity == "warning",
            "{path}: {severity}[{rule}] {check}\n{}",
            repo.read(path)
        );
    }
    assert_eq!(code, 0, "{path}");
    let before = fs::read(repo.dir.join(path)).expect("read");
    let out = repo.designgate(&["check", "--fix", path]);
    assert!(
        stderr(&out).contains("--fix: no missing section to add"),
        "{}",
        all_output(&out)
    );
    assert_eq!(fs::read(repo.dir.join(path)).expect("read"), before);
}

#[test]
fn init_then_new_gives_a_draft_that_passes_for_each_builtin_pack() {
    let sandbox = Sandbox::new();
    for pack in ["production-readiness", "kep", "adr"] {
        let repo = named_repo(&sandbox, pack);
        let out = repo.designgate(&["init", "--pack", pack]);
        assert_success(&out);
        let config = repo.read("designgate.toml");
        assert!(config.starts_with("#:schema ./schema/designgate.schema.json\n"));
        assert!(
            config.contains(&format!("packs = [\"{pack}\"]")),
            "{config}"
        );
        assert!(repo.dir.join("design").is_dir());
        // The schema the #:schema line names is there, and is designgate's.
        let schema: Value =
            serde_json::from_str(&repo.read("schema/designgate.schema.json")).expect("JSON");
        assert!(schema["properties"]["packs"].is_object(), "{schema}");
        // The generated configuration loads and passes an empty repository.
        assert_success(&repo.designgate(&["check"]));
        assert_success(&repo.designgate(&["rules"]));

        let out = repo.designgate(&["new", "design/first.md"]);
        assert_success(&out);
        assert!(
            stdout(&out).starts_with("designgate: wrote design/first.md: "),
            "{}",
            all_output(&out)
        );
        let text = repo.read("design/first.md");
        assert!(
            text.starts_with(
                "---\nowner: Ada Lovelace\nstatus: draft\nreviewers: []\n---\n\n# First\n\n## "
            ),
            "{text}"
        );
        assert_fresh_draft(&repo, "design/first.md");
        // Its sections are there, empty: reported as hollow.
        let (found, _) = findings(&repo, "design/first.md");
        assert!(
            found.iter().any(|(check, _, _)| check == "hollow-section"),
            "{found:?}"
        );
    }
}

#[test]
fn new_follows_a_custom_pack_scopes_and_when_as_a_draft() {
    let sandbox = Sandbox::new();
    let repo = named_repo(&sandbox, "custom");
    repo.write("designgate.toml", "packs = [\"rules/team.toml\"]\n");
    repo.write(
        "rules/team.toml",
        r#"[pack]
name = "team"

[defaults]
min_words = 4

[[defaults.forbid]]
pattern = '\bTODO\b'

[[relax]]
when = { status = "draft" }
max_severity = "warning"

[[rule]]
id = "decision"
title = "Decision"
headings = ["Decision", "Outcome"]
required = true
severity = "error"
after = ["context"]
help = "State the decision --> and why."

[[rule]]
id = "context"
title = "Context"
headings = ["Context"]
required = true
severity = "error"

[[rule]]
id = "capacity"
title = "Capacity plan"
headings = ["Capacity plan"]
required = true
severity = "error"
paths = ["design/services/**"]

[[rule]]
id = "sign-off"
title = "Sign-off"
headings = ["Sign-off"]
required = true
severity = "error"
when = { status = "approved" }

[[rule]]
id = "checks"
title = "Checks"
headings = ["Checks"]
required = true
min_words = 0

[[rule.contains]]
element = "list"

[[rule]]
id = "ops"
title = "Operations"
headings = ["Operations"]
required = true

[[rule.cover]]
item = "on-call"
headings = ["On-call"]

[[rule.cover]]
item = "dashboards"
headings = ["Dashboards"]

[[rule]]
id = "oncall"
title = "On-call field"
field = "oncall"
required = true
format = "list"

[[rule]]
id = "tier"
title = "Tier"
field = "tier"
required = true
one_of = ["3", "2", "1"]
"#,
    );
    assert_success(&repo.designgate(&["new", "design/cache.md", "--owner", "team-x"]));
    let text = repo.read("design/cache.md");
    assert_eq!(
        text,
        "---\nowner: team-x\nstatus: draft\nreviewers: []\noncall: []\ntier: \"3\"\n---\n\n# Cache\n\n\
         ## Context\n\n\
         ## Decision\n\n<!-- State the decision - -> and why. -->\n\n\
         ## Checks\n\n- [ ] TODO\n\n\
         ## Operations\n\n### On-call\n\n### Dashboards\n"
    );
    assert_fresh_draft(&repo, "design/cache.md");
    // In design/services/, the capacity plan applies too.
    assert_success(&repo.designgate(&[
        "new",
        "design/services/ledger.md",
        "--owner",
        "team-x",
        "--title",
        "The ledger",
    ]));
    let text = repo.read("design/services/ledger.md");
    assert!(text.contains("# The ledger\n"), "{text}");
    assert!(text.contains("## Capacity plan\n"), "{text}");
    assert!(!text.contains("Sign-off"), "{text}");
    assert_fresh_draft(&repo, "design/services/ledger.md");
}

/// The files of the cookbook recipe titled `title` (its `<!-- file: -->`
/// blocks that are not Markdown documents).
fn cookbook_files(title: &str) -> Vec<(String, String)> {
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cookbook.md"))
        .expect("docs/cookbook.md");
    let start = text
        .find(&format!("\n## {title}\n"))
        .unwrap_or_else(|| panic!("no recipe `{title}` in docs/cookbook.md"));
    let rest = &text[start + 4..];
    let section = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    let mut files = Vec::new();
    let mut at = 0;
    while let Some(i) = section[at..].find("<!-- file: ") {
        let from = at + i + "<!-- file: ".len();
        let name_end = from + section[from..].find(" -->").expect("a file marker ends");
        let name = section[from..name_end].to_owned();
        let fence = name_end
            + section[name_end..]
                .find("```toml\n")
                .unwrap_or(usize::MAX / 2);
        at = name_end;
        if !name.ends_with(".toml") || fence > section.len() {
            continue;
        }
        let body_start = fence + "```toml\n".len();
        let body_end = body_start + section[body_start..].find("\n```").expect("a fence ends");
        files.push((name, format!("{}\n", &section[body_start..body_end])));
        at = body_end;
    }
    assert!(!files.is_empty(), "recipe `{title}` has no TOML file");
    files
}

#[test]
fn new_works_with_the_cookbook_packs() {
    let sandbox = Sandbox::new();
    // A pack that relaxes drafts: a fresh document passes.
    let repo = named_repo(&sandbox, "drafts");
    for (name, body) in cookbook_files("Let drafts and experiments through") {
        repo.write(&name, &body);
    }
    assert_success(&repo.designgate(&["new", "design/basket.md"]));
    assert!(repo.read("design/basket.md").contains("\n## SLA\n"));
    assert_fresh_draft(&repo, "design/basket.md");

    // A pack that does not relax drafts and reports no placeholder: no
    // section is missing, the sub-items are there as sub-headings, and
    // `new` says that the draft blocks until written.
    let repo = repo_with(
        &sandbox,
        "monitoring",
        "Monitoring must cover usage, costs and logs",
    );
    let out = repo.designgate(&["new", "design/search.md"]);
    assert_success(&out);
    assert!(
        stderr(&out).contains("these rules do not relax drafts"),
        "{}",
        all_output(&out)
    );
    let text = repo.read("design/search.md");
    for sub in ["### Usage\n", "### Cost\n", "### Logs\n"] {
        assert!(text.contains(sub), "{sub:?} in\n{text}");
    }
    let (found, _) = findings(&repo, "design/search.md");
    assert!(
        found.iter().all(|(check, _, _)| check != "missing-section"),
        "{found:?}"
    );
}

fn repo_with<'a>(sandbox: &'a Sandbox, name: &str, recipe: &str) -> Repo<'a> {
    let repo = named_repo(sandbox, name);
    for (file, body) in cookbook_files(recipe) {
        repo.write(&file, &body);
    }
    repo
}

#[test]
fn new_takes_the_owner_from_git_and_refuses_what_it_should() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("owner");
    // No user.name nor user.email: no owner.
    let out = repo.designgate(&["new", "design/a.md"]);
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    assert!(
        stderr(&out).contains("no owner: pass --owner"),
        "{}",
        all_output(&out)
    );
    assert!(!repo.dir.join("design/a.md").exists());
    repo.git_ok(&["config", "user.email", "ada@example.com"]);
    assert_success(&repo.designgate(&["new", "design/a.md"]));
    assert!(
        repo.read("design/a.md")
            .starts_with("---\nowner: ada@example.com\n")
    );
    repo.git_ok(&["config", "user.name", "Ada"]);
    assert_success(&repo.designgate(&["new", "design/b.md"]));
    assert!(repo.read("design/b.md").starts_with("---\nowner: Ada\n"));

    // Never overwrites, not even through a dangling symlink.
    repo.write("design/c.md", "# Mine\n");
    let out = repo.designgate(&["new", "design/c.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(repo.read("design/c.md"), "# Mine\n");
    #[cfg(unix)]
    {
        let target = sandbox.base.join("outside.md");
        std::os::unix::fs::symlink(&target, repo.dir.join("design/d.md")).expect("symlink");
        let out = repo.designgate(&["new", "design/d.md"]);
        assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
        assert!(!target.exists());
        // A folder that leads out of the repository is refused.
        fs::create_dir_all(sandbox.base.join("elsewhere")).expect("mkdir");
        std::os::unix::fs::symlink(sandbox.base.join("elsewhere"), repo.dir.join("design/out"))
            .expect("symlink");
        let out = repo.designgate(&["new", "design/out/e.md"]);
        assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
        assert!(
            stderr(&out).contains("outside the repository"),
            "{}",
            all_output(&out)
        );
        assert!(!sandbox.base.join("elsewhere/e.md").exists());
    }
    // A file designgate would not check.
    let out = repo.designgate(&["new", "notes/idea.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("outside the design folders"));
    let out = repo.designgate(&["new", "design/idea.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no `include` pattern matches it"));
}

#[test]
fn a_new_document_commits_through_the_installed_hook() {
    let sandbox = Sandbox::new();
    let repo = named_repo(&sandbox, "hooked");
    assert_success(&repo.designgate(&["install-hook"]));
    // The Quick start: new, add, commit.
    assert_success(&repo.designgate(&[
        "new",
        "design/payments-retry.md",
        "--title",
        "Payments retry",
    ]));
    repo.git_ok(&["add", "design/payments-retry.md"]);
    let out = repo.commit("Design: payments retry");
    assert_success(&out);
    assert_eq!(repo.commit_count(), 1);
    // The hook ran, and showed the gaps as warnings.
    assert!(
        all_output(&out).contains("warning[sla]: section `SLA` is empty"),
        "{}",
        all_output(&out)
    );
    // Set to review with the sections still empty, the same hook blocks.
    let text = repo
        .read("design/payments-retry.md")
        .replace("status: draft", "status: review");
    repo.write("design/payments-retry.md", &text);
    repo.git_ok(&["add", "design/payments-retry.md"]);
    assert!(!repo.commit("Ready for review").status.success());
    assert_eq!(repo.commit_count(), 1);
}

#[test]
fn init_prints_the_setup_for_the_hook_manager_and_never_overwrites() {
    let sandbox = Sandbox::new();
    let snippets = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snippets");
    let snippet = |name: &str| fs::read_to_string(snippets.join(name)).expect("a snippet");

    let repo = named_repo(&sandbox, "plain");
    let out = repo.designgate(&["init"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("\ndesigngate install-hook\n"),
        "{}",
        stdout(&out)
    );

    let repo = named_repo(&sandbox, "lefthook");
    repo.write("lefthook.yml", "# ours\n");
    let out = repo.designgate(&["init"]);
    assert!(
        stdout(&out).contains(&snippet("lefthook.yml")),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("lefthook install"));
    assert_eq!(repo.read("lefthook.yml"), "# ours\n");
    // A manager that already runs designgate gets nothing more to add.
    let repo = named_repo(&sandbox, "lefthook-done");
    repo.write("lefthook.yml", &snippet("lefthook.yml"));
    let out = repo.designgate(&["init"]);
    assert!(
        stdout(&out).contains("lefthook.yml already mentions designgate: nothing to add."),
        "{}",
        stdout(&out)
    );

    let repo = named_repo(&sandbox, "husky");
    repo.write(".husky/pre-commit", "npm test\n");
    let out = repo.designgate(&["init"]);
    assert!(stdout(&out).contains(&format!(
        "add this line to .husky/pre-commit:\n\n{}",
        snippet("husky-pre-commit")
    )));
    assert_eq!(repo.read(".husky/pre-commit"), "npm test\n");

    let repo = named_repo(&sandbox, "pre-commit");
    repo.write(".pre-commit-config.yaml", "repos: []\n");
    let out = repo.designgate(&["init"]);
    // The README's local hook, as one more item of `repos:`.
    let local = snippet("pre-commit-local.yaml");
    let item = local.strip_prefix("repos:\n").expect("starts with repos:");
    assert!(stdout(&out).contains(item), "{}", stdout(&out));
    assert_eq!(repo.read(".pre-commit-config.yaml"), "repos: []\n");
    // Pasted under `repos:`, it is the hook the README shows.
    let printed = stdout(&out);
    let from = printed.find("  - repo: local\n").expect("the item");
    let to = from + printed[from..].find("\n\n").expect("its end");
    let pasted: Value =
        serde_saphyr::from_str(&format!("repos:\n{}\n", &printed[from..to])).expect("YAML");
    let readme: Value = serde_saphyr::from_str(&local).expect("YAML");
    assert_eq!(pasted, readme);

    // An existing configuration and schema are left alone, byte for byte.
    let repo = named_repo(&sandbox, "existing");
    repo.write(
        ".designgate.toml",
        "packs = [\"kep\"]\ndesign_dirs = [\"keps\"]\n",
    );
    let out = repo.designgate(&["init", "--pack", "adr"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("left .designgate.toml alone: it exists"),
        "{}",
        stdout(&out)
    );
    assert!(!repo.dir.join("designgate.toml").exists());
    assert!(!repo.dir.join("schema").exists());
    // Its design folder is the one created.
    assert!(repo.dir.join("keps").is_dir());
    assert!(stdout(&out).contains("designgate new keps/my-feature.md"));

    let repo = named_repo(&sandbox, "schema");
    repo.write("schema/designgate.schema.json", "{}\n");
    let out = repo.designgate(&["init"]);
    assert!(stdout(&out).contains("left schema/designgate.schema.json alone"));
    assert_eq!(repo.read("schema/designgate.schema.json"), "{}\n");

    // An unknown pack: exit 2, nothing written.
    let repo = named_repo(&sandbox, "unknown");
    let out = repo.designgate(&["init", "--pack", "kepp"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `kep`?"),
        "{}",
        stderr(&out)
    );
    assert!(!repo.dir.join("designgate.toml").exists());
    // A pack file of the repository.
    repo.write(
        "rules/mini.toml",
        "[pack]\nname = \"mini\"\n[[rule]]\nid = \"why\"\ntitle = \"Why\"\nheadings = [\"Why\"]\nrequired = true\n",
    );
    assert_success(&repo.designgate(&["init", "--pack", "rules/mini.toml"]));
    assert!(
        repo.read("designgate.toml")
            .contains("packs = [\"rules/mini.toml\"]")
    );
    assert_success(&repo.designgate(&["check"]));
}

/// A pack for fix tests: `why`, then `plan` after it, then `risk` after
/// that, defined in another order.
const ORDER_PACK: &str = r#"[pack]
name = "order"

[defaults]
min_words = 3

[[rule]]
id = "risk"
title = "Risks"
headings = ["Risks"]
required = true
after = ["plan"]
help = "Name what could go wrong."

[[rule]]
id = "why"
title = "Why"
headings = ["Why"]
required = true
help = "Say why."

[[rule]]
id = "plan"
title = "Plan"
headings = ["Plan"]
required = true
after = ["why"]
"#;

#[test]
fn fix_keeps_crlf_bom_and_every_byte_and_is_idempotent() {
    let sandbox = Sandbox::new();
    let repo = named_repo(&sandbox, "crlf");
    repo.write("designgate.toml", "packs = [\"order.toml\"]\n");
    repo.write("order.toml", ORDER_PACK);
    let original = "\u{feff}---\r\nowner: ada\r\n---\r\n# Cache\r\n\r\nIntro.\r\n\r\n## Plan\r\n\r\nShip it in two steps.\r\n";
    repo.write("design/cache.md", original);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(
            repo.dir.join("design/cache.md"),
            fs::Permissions::from_mode(0o640),
        )
        .expect("chmod");
    }
    let out = repo.designgate(&["check", "--fix", "design/cache.md"]);
    assert_eq!(
        stderr(&out),
        "designgate: design/cache.md: added 2 sections:\n  line 8: ## Why (why)\n  line 16: ## Risks (risk)\n"
    );
    let fixed = fs::read(repo.dir.join("design/cache.md")).expect("read");
    assert_eq!(
        String::from_utf8(fixed.clone()).expect("UTF-8"),
        "\u{feff}---\r\nowner: ada\r\n---\r\n# Cache\r\n\r\nIntro.\r\n\r\n\
         ## Why\r\n\r\n<!-- Say why. -->\r\n\r\n\
         ## Plan\r\n\r\nShip it in two steps.\r\n\r\n\
         ## Risks\r\n\r\n<!-- Name what could go wrong. -->\r\n"
    );
    #[cfg(unix)]
    assert_eq!(support::mode(&repo.dir.join("design/cache.md")), 0o640);
    // Nothing else appeared in the folder (no temporary file left).
    let names: Vec<_> = fs::read_dir(repo.dir.join("design"))
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["cache.md"]);
    // The check after the fix sees the sections (hollow ones, not missing).
    assert!(
        !stdout(&out).contains("missing-section"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("section `Why` is empty"),
        "{}",
        stdout(&out)
    );
    // A second run changes nothing.
    let out = repo.designgate(&["check", "--fix", "design/cache.md"]);
    assert_eq!(
        stderr(&out),
        "designgate: --fix: no missing section to add\n"
    );
    assert_eq!(
        fs::read(repo.dir.join("design/cache.md")).expect("read"),
        fixed
    );
}

#[test]
fn fix_places_sections_by_after_across_a_repository() {
    let sandbox = Sandbox::new();
    let repo = named_repo(&sandbox, "order");
    repo.write("designgate.toml", "packs = [\"order.toml\"]\n");
    repo.write("order.toml", ORDER_PACK);
    // `Risks` there, nested: `Why` and `Plan` go before it, at its level.
    repo.write(
        "design/a.md",
        "# A\n\n## Design\n\nText.\n\n### Risks\n\nOutage.\n\n### Notes\n\nMore.\n",
    );
    // Nothing of the checklist: appended in order, without a final newline
    // to start with.
    repo.write("design/b.md", "# B\n\nJust an idea");
    // Complete, out of order: left alone (only missing sections are added).
    let complete = "# C\n\n## Plan\n\nA plan.\n\n## Why\n\nA reason.\n\n## Risks\n\nNone.\n";
    repo.write("design/c.md", complete);
    let out = repo.designgate(&["check", "--fix", "--format", "concise"]);
    assert_eq!(
        repo.read("design/a.md"),
        "# A\n\n## Design\n\nText.\n\n### Why\n\n<!-- Say why. -->\n\n### Plan\n\n### Risks\n\nOutage.\n\n### Notes\n\nMore.\n"
    );
    assert_eq!(
        repo.read("design/b.md"),
        "# B\n\nJust an idea\n\n## Why\n\n<!-- Say why. -->\n\n## Plan\n\n## Risks\n\n<!-- Name what could go wrong. -->\n"
    );
    assert_eq!(repo.read("design/c.md"), complete);
    let text = stdout(&out);
    assert!(!text.contains("missing-section"), "{text}");
    // The inserted sections are in order: only c.md is out of order.
    let order: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("out-of-order"))
        .collect();
    assert!(order.iter().all(|l| l.starts_with("design/c.md")), "{text}");
    assert!(stderr(&out).contains("design/a.md: added 2 sections"));
    assert!(stderr(&out).contains("design/b.md: added 3 sections"));
}

#[test]
fn fix_refuses_modes_hooks_symlinks_out_and_huge_files() {
    let sandbox = Sandbox::new();
    let repo = named_repo(&sandbox, "safe");
    repo.write("designgate.toml", "packs = [\"order.toml\"]\n");
    repo.write("order.toml", ORDER_PACK);
    repo.write("design/a.md", "# A\n");
    repo.commit_unchecked(&[("design/a.md", "# A\n")], "a");
    for args in [
        &["check", "--fix", "--staged"][..],
        &["check", "--fix", "--rev", "HEAD"],
        &["check", "--fix", "--diff", "HEAD"],
        &["--fix", "--staged"],
    ] {
        let out = repo.designgate(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("--fix changes files in the work tree"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_eq!(repo.read("design/a.md"), "# A\n");
    }
    // Under a git hook (a hook manager, `git commit`'s index).
    for var in ["GIT_INDEX_FILE", "PRE_COMMIT"] {
        let out = sandbox
            .command(&repo.dir, support::designgate_exe())
            .args(["check", "--fix"])
            .env(
                var,
                if var == "PRE_COMMIT" {
                    "1"
                } else {
                    ".git/index"
                },
            )
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{var}");
        assert!(
            stderr(&out).contains("under a git hook"),
            "{}",
            stderr(&out)
        );
        assert_eq!(repo.read("design/a.md"), "# A\n");
    }
    #[cfg(unix)]
    {
        // A symlink to a file outside the repository is not followed.
        let outside = sandbox.base.join("outside.md");
        fs::write(&outside, "# Outside\n").expect("write");
        std::os::unix::fs::symlink(&outside, repo.dir.join("design/link.md")).expect("symlink");
        let out = repo.designgate(&["check", "--fix", "design/link.md"]);
        assert_eq!(fs::read_to_string(&outside).expect("read"), "# Outside\n");
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("which is outside the repository"),
            "{}",
            stderr(&out)
        );
        // Listed rather than named: not fixed either.
        let out = repo.designgate(&["check", "--fix"]);
        assert_eq!(fs::read_to_string(&outside).expect("read"), "# Outside\n");
        assert!(
            !stderr(&out).contains("design/link.md: added"),
            "{}",
            stderr(&out)
        );
        fs::remove_file(repo.dir.join("design/link.md")).expect("rm");
        // A symlink inside the repository: the file it names is fixed, the
        // link stays a link.
        repo.write("design/b.md", "# B\n");
        std::os::unix::fs::symlink("b.md", repo.dir.join("design/alias.md")).expect("symlink");
        let out = repo.designgate(&["check", "--fix", "design/alias.md"]);
        assert!(
            stderr(&out).contains("design/alias.md: added 3 sections"),
            "{}",
            stderr(&out)
        );
        assert!(
            fs::symlink_metadata(repo.dir.join("design/alias.md"))
                .expect("stat")
                .file_type()
                .is_symlink()
        );
        assert!(repo.read("design/b.md").contains("## Why\n"));
        fs::remove_file(repo.dir.join("design/alias.md")).expect("rm");
    }
    // Over 8 MiB: not read, not changed.
    let huge = format!("# Huge\n\n{}", "word ".repeat(2 * 1024 * 1024));
    repo.write("design/huge.md", &huge);
    let out = repo.designgate(&["check", "--fix", "design/huge.md"]);
    assert!(
        stderr(&out).contains("design/huge.md: not fixed: "),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        fs::read(repo.dir.join("design/huge.md"))
            .expect("read")
            .len(),
        huge.len()
    );
}
