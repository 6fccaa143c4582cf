//! The ready-made CI integrations, run as their CI would run them, on real
//! git repositories with a base branch and a pull request, with the freshly
//! built designgate:
//!
//! - `action.yml` (the GitHub Action): its steps are read from the YAML and
//!   run in order with a simulated `GITHUB_*` environment, a real event
//!   payload, a checkout made the way actions/checkout makes it (one merge
//!   commit, depth 1), and the step's own `env:` and `if:` evaluated from the
//!   action's inputs. Only the `actions/cache` step cannot run here; the
//!   install step behind it handles a cold cache. Release archives are
//!   served from a folder through a `file://` URL; without one, the action
//!   builds the version with `cargo install --locked` from a directory
//!   registry holding this crate as `cargo package` makes it (minutes, so
//!   only with `DESIGNGATE_TEST_RUST_HOOK_BUILD=1`, which `.ci/run` sets).
//! - `ci/gitlab/designgate.yml` (the GitLab CI template): the job's
//!   `before_script` and `script` run with `sh`, with the template's own
//!   variables and simulated `CI_*` ones, in a full clone checked out at the
//!   merge request's head.
//! - docs/ci.md: its workflows pass actionlint, its GitLab snippets parse,
//!   and every `designgate` command it shows runs.
//!
//! shellcheck and actionlint are found on `PATH` (`.ci/run` installs them).
//! `build.rs` looks for them when the tests are built: a test whose tool is
//! missing is reported as ignored, unless `DESIGNGATE_REQUIRE_CI_TOOLS=1`
//! (set by `.ci/run`) enables them all, so that a missing tool fails in CI.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};
use support::{COMPLETE, Repo, Sandbox, all_output, names_rule, stderr, stdout, without_sla};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    let path = manifest_dir().join(rel);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// A YAML file of this repository, as JSON values.
fn yaml(rel: &str) -> Value {
    serde_saphyr::from_str::<Value>(&read(rel)).unwrap_or_else(|e| panic!("{rel} is not YAML: {e}"))
}

fn crate_version() -> String {
    let manifest: toml::Table = read("Cargo.toml").parse().expect("Cargo.toml parses");
    manifest["package"]["version"]
        .as_str()
        .expect("a package version")
        .to_owned()
}

/// `name` on `PATH`. The tests that call it are ignored when it was not on
/// `PATH` at build time (see `build.rs`), so missing it here is a failure.
fn tool(name: &str) -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!("{name} is not on PATH, and this test needs it (bash .ci/run installs it)")
    })
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

// ---------------------------------------------------------------- the repositories

const CONFIG: &str =
    "# The team's policy.\ndesign_dirs = [\"design\"]\npacks = [\"production-readiness\"]\n";

/// The base's policy with the rule `sla` switched off: a pull request that
/// relaxes its own check.
fn config_sla_off() -> String {
    format!("{CONFIG}\n[severity]\nsla = \"off\"\n")
}

/// A hosted repository as CI sees it: `origin` (bare) with `main` and a
/// pull request branch `feature`, its merge commit under
/// `refs/pull/1/merge`, as GitHub keeps it.
struct Hosted<'a> {
    sandbox: &'a Sandbox,
    origin: PathBuf,
    /// `main` when the pull request was opened (its merge base).
    fork_point: String,
    /// The tip of `main` (the pull request's base).
    base: String,
    /// The tip of `feature` (the pull request's head).
    head: String,
    /// The merge of `head` into `base`.
    merge: String,
}

/// `main` holds the policy, a complete document and a document without an
/// SLA (so the whole repository fails); `feature` commits `pr_commits` on
/// top of it, and `main` moves on meanwhile.
fn hosted<'a>(sandbox: &'a Sandbox, pr_commits: &[&[(&str, &str)]]) -> Hosted<'a> {
    let dev = sandbox.repo("dev");
    let old = without_sla();
    dev.commit_unchecked(
        &[
            ("designgate.toml", CONFIG),
            ("design/ok.md", COMPLETE),
            ("design/old.md", &old),
        ],
        "designs so far",
    );
    let fork_point = dev.rev("HEAD").expect("main has a commit");
    dev.git_ok(&["checkout", "-q", "-b", "feature"]);
    for (i, files) in pr_commits.iter().enumerate() {
        dev.commit_unchecked(files, &format!("pull request, part {}", i + 1));
    }
    let head = dev.rev("HEAD").expect("feature has a commit");
    dev.git_ok(&["checkout", "-q", "main"]);
    dev.commit_unchecked(&[("design/later.md", COMPLETE)], "main moves on");
    let base = dev.rev("HEAD").expect("main has a commit");
    dev.git_ok(&["checkout", "-q", "--detach"]);
    dev.git_ok(&[
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge feature into main",
        "feature",
    ]);
    let merge = dev.rev("HEAD").expect("the merge commit");
    let origin = sandbox.bare("origin.git").dir;
    let url = origin.to_str().expect("a UTF-8 temp path");
    dev.git_ok(&[
        "push",
        "-q",
        url,
        "main",
        "feature",
        &format!("{merge}:refs/pull/1/merge"),
    ]);
    Hosted {
        sandbox,
        origin,
        fork_point,
        base,
        head,
        merge,
    }
}

impl Hosted<'_> {
    fn url(&self) -> String {
        format!("file://{}", self.origin.display())
    }

    /// What actions/checkout leaves: one commit fetched at depth 1 into a
    /// fresh repository with `origin` set, checked out detached.
    fn github_checkout(&self, name: &str, sha: &str, remote_ref: &str) -> Repo<'_> {
        let repo = self.sandbox.repo(name);
        repo.git_ok(&["remote", "add", "origin", &self.url()]);
        repo.git_ok(&[
            "fetch",
            "-q",
            "--no-tags",
            "--prune",
            "--no-recurse-submodules",
            "--depth=1",
            "origin",
            &format!("+{sha}:{remote_ref}"),
        ]);
        repo.git_ok(&["checkout", "-q", "--force", remote_ref]);
        assert_eq!(
            repo.git_ok(&["rev-parse", "--is-shallow-repository"])
                .stdout
                .trim_ascii(),
            b"true"
        );
        repo
    }

    /// What GitLab's runner leaves with `GIT_DEPTH: "0"`: a full clone,
    /// checked out detached at `sha`.
    fn gitlab_checkout(&self, name: &str, sha: &str) -> Repo<'_> {
        let dir = self.sandbox.base.join(name);
        let out = self.sandbox.run(
            &self.sandbox.base,
            "git",
            &["clone", "-q", &self.url(), dir.to_str().expect("UTF-8")],
        );
        assert!(out.status.success(), "clone: {}", all_output(&out));
        let repo = Repo {
            sandbox: self.sandbox,
            dir,
        };
        repo.git_ok(&["checkout", "-q", "--detach", sha]);
        repo
    }

    /// A `pull_request` event payload, with the fields GitHub sends that
    /// matter here (and a few around them).
    fn pull_request_event(&self) -> Value {
        let repo = json!({"full_name": "acme/designs", "default_branch": "main",
            "clone_url": "https://github.com/acme/designs.git"});
        json!({
            "action": "synchronize",
            "number": 1,
            "before": self.fork_point,
            "after": self.head,
            "pull_request": {
                "number": 1,
                "state": "open",
                "title": "Design: new service",
                "merge_commit_sha": self.merge,
                "head": {"label": "acme:feature", "ref": "feature", "sha": self.head, "repo": repo},
                "base": {"label": "acme:main", "ref": "main", "sha": self.base, "repo": repo},
            },
            "repository": repo,
            "sender": {"login": "ada", "type": "User"},
        })
    }
}

// ---------------------------------------------------------------- running action.yml

/// A run of the action's steps.
struct ActionRun {
    /// The exit status of the step that failed, else 0.
    status: i32,
    stdout: String,
    stderr: String,
    summary: String,
    outputs: BTreeMap<String, String>,
    /// The steps that ran (their names), and the `uses:` steps skipped.
    ran: Vec<String>,
    skipped_uses: Vec<String>,
}

impl ActionRun {
    fn annotations(&self, level: &str) -> Vec<&str> {
        let prefix = format!("::{level} ");
        self.stdout
            .lines()
            .filter(|l| l.starts_with(&prefix))
            .collect()
    }

    fn show(&self) -> String {
        format!(
            "status {}\n--- stdout\n{}--- stderr\n{}--- summary\n{}--- outputs {:?}",
            self.status, self.stdout, self.stderr, self.summary, self.outputs
        )
    }
}

/// The GitHub Actions side of a run: the event, the workspace and the
/// action's inputs.
struct Github<'a> {
    sandbox: &'a Sandbox,
    workspace: PathBuf,
    event_name: &'static str,
    event: Option<Value>,
    base_ref: Option<&'static str>,
    sha: String,
    inputs: BTreeMap<&'static str, String>,
    server_url: String,
    /// More variables for every step (the runner's own environment).
    env: Vec<(&'static str, std::ffi::OsString)>,
    /// Folders on the runner's `PATH` (after those added with GITHUB_PATH).
    path: Vec<PathBuf>,
}

fn runner_arch() -> &'static str {
    match std::env::consts::ARCH {
        "aarch64" => "ARM64",
        _ => "X64",
    }
}

fn release_target() -> &'static str {
    match std::env::consts::ARCH {
        "aarch64" => "aarch64-unknown-linux-musl",
        _ => "x86_64-unknown-linux-musl",
    }
}

impl<'a> Github<'a> {
    fn new(
        sandbox: &'a Sandbox,
        workspace: &Repo<'_>,
        event_name: &'static str,
        sha: &str,
    ) -> Self {
        Github {
            sandbox,
            workspace: workspace.dir.clone(),
            event_name,
            event: None,
            base_ref: None,
            sha: sha.to_owned(),
            // why: the tests run the freshly built binary, already on PATH.
            inputs: BTreeMap::from([("install", "false".to_owned())]),
            server_url: "https://github.com".to_owned(),
            env: Vec::new(),
            path: Vec::new(),
        }
    }

    fn input(mut self, name: &'static str, value: &str) -> Self {
        self.inputs.insert(name, value.to_owned());
        self
    }

    /// Runs the steps of action.yml in order, as the runner would; stops at
    /// the first step that fails.
    fn run(&self) -> ActionRun {
        let action = yaml("action.yml");
        let declared = action["inputs"].as_object().expect("action.yml has inputs");
        let mut inputs = BTreeMap::new();
        for (name, spec) in declared {
            let default = spec["default"].as_str().unwrap_or("").to_owned();
            inputs.insert(name.clone(), default);
        }
        for (name, value) in &self.inputs {
            assert!(
                declared.contains_key(*name),
                "action.yml declares no input `{name}`"
            );
            inputs.insert((*name).to_owned(), value.clone());
        }
        let temp = self.sandbox.base.join("runner-temp");
        let tool_cache = self.sandbox.base.join("tool-cache");
        fs::create_dir_all(&temp).expect("create RUNNER_TEMP");
        let files = |name: &str| {
            let path = temp.join(name);
            fs::write(&path, "").expect("create a runner file");
            path
        };
        let summary = files("step-summary.md");
        let output = files("github-output");
        let github_path = files("github-path");
        let event_path = temp.join("event.json");
        if let Some(event) = &self.event {
            fs::write(&event_path, serde_json::to_vec_pretty(event).expect("JSON"))
                .expect("write the event");
        }
        let contexts = Contexts {
            inputs: &inputs,
            runner: BTreeMap::from([
                ("os", "Linux".to_owned()),
                ("arch", runner_arch().to_owned()),
                ("temp", temp.display().to_string()),
                ("tool_cache", tool_cache.display().to_string()),
            ]),
            github: BTreeMap::from([
                ("server_url", self.server_url.clone()),
                ("action_repository", "designgate/designgate".to_owned()),
                ("action_path", manifest_dir().display().to_string()),
                ("sha", self.sha.clone()),
            ]),
        };
        let mut run = ActionRun {
            status: 0,
            stdout: String::new(),
            stderr: String::new(),
            summary: String::new(),
            outputs: BTreeMap::new(),
            ran: Vec::new(),
            skipped_uses: Vec::new(),
        };
        let steps = action["runs"]["steps"].as_array().expect("runs.steps");
        for step in steps {
            if let Some(cond) = step["if"].as_str()
                && !contexts.condition(cond)
            {
                continue;
            }
            if let Some(uses) = step["uses"].as_str() {
                run.skipped_uses.push(uses.to_owned());
                continue;
            }
            let script = step["run"]
                .as_str()
                .expect("a step runs a script or uses an action");
            assert_eq!(step["shell"], "bash", "every run step says shell: bash");
            let mut cmd = self.sandbox.command(&self.workspace, "bash");
            // why: GitHub runs `bash --noprofile --norc -eo pipefail {0}`.
            cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script]);
            let path_front: Vec<PathBuf> = fs::read_to_string(&github_path)
                .expect("read GITHUB_PATH")
                .lines()
                .rev()
                .map(PathBuf::from)
                .collect();
            let sandbox_path = cmd
                .get_envs()
                .find(|(k, _)| *k == "PATH")
                .and_then(|(_, v)| v.map(|v| v.to_owned()))
                .unwrap_or_default();
            let path = std::env::join_paths(
                path_front
                    .into_iter()
                    .chain(self.path.iter().cloned())
                    .chain(std::env::split_paths(&sandbox_path)),
            )
            .expect("a PATH");
            cmd.env("PATH", path)
                .env("CI", "true")
                .env("GITHUB_ACTIONS", "true")
                .env("GITHUB_WORKSPACE", &self.workspace)
                .env("GITHUB_EVENT_NAME", self.event_name)
                .env("GITHUB_SHA", &self.sha)
                .env("GITHUB_REPOSITORY", "acme/designs")
                .env("GITHUB_SERVER_URL", &self.server_url)
                .env("GITHUB_ACTION_PATH", manifest_dir())
                .env("GITHUB_STEP_SUMMARY", &summary)
                .env("GITHUB_OUTPUT", &output)
                .env("GITHUB_PATH", &github_path)
                .env("RUNNER_OS", "Linux")
                .env("RUNNER_ARCH", runner_arch())
                .env("RUNNER_TEMP", &temp)
                .env("RUNNER_TOOL_CACHE", &tool_cache)
                .env_remove("NO_COLOR");
            if self.event.is_some() {
                cmd.env("GITHUB_EVENT_PATH", &event_path);
            }
            if let Some(base_ref) = self.base_ref {
                cmd.env("GITHUB_BASE_REF", base_ref)
                    .env("GITHUB_HEAD_REF", "feature");
            }
            for (key, value) in &self.env {
                cmd.env(key, value);
            }
            if let Some(env) = step["env"].as_object() {
                for (key, value) in env {
                    let value = value.as_str().expect("env values are strings");
                    cmd.env(key, contexts.expand(value));
                }
            }
            let out = cmd.output().expect("run bash");
            run.ran.push(step["name"].as_str().unwrap_or("").to_owned());
            run.stdout.push_str(&stdout(&out));
            run.stderr.push_str(&stderr(&out));
            if !out.status.success() {
                run.status = code(&out);
                break;
            }
        }
        run.summary = fs::read_to_string(&summary).expect("read the summary");
        for line in fs::read_to_string(&output)
            .expect("read GITHUB_OUTPUT")
            .lines()
        {
            let (k, v) = line
                .split_once('=')
                .unwrap_or_else(|| panic!("GITHUB_OUTPUT line without `=`: {line}"));
            run.outputs.insert(k.to_owned(), v.to_owned());
        }
        run
    }
}

/// The expression contexts a step of action.yml may use. Anything else in
/// `${{ }}` fails the test, so the action cannot depend on a context this
/// simulation does not provide.
struct Contexts<'a> {
    inputs: &'a BTreeMap<String, String>,
    runner: BTreeMap<&'static str, String>,
    github: BTreeMap<&'static str, String>,
}

impl Contexts<'_> {
    fn operand(&self, text: &str) -> String {
        let text = text.trim();
        if let Some(lit) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
            return lit.to_owned();
        }
        let (context, name) = text
            .split_once('.')
            .unwrap_or_else(|| panic!("unexpected expression `{text}`"));
        let found = match context {
            "inputs" => self.inputs.get(name).cloned(),
            "runner" => self.runner.get(name).cloned(),
            "github" => self.github.get(name).cloned(),
            _ => None,
        };
        found.unwrap_or_else(|| panic!("action.yml uses `{text}`, which the test does not provide"))
    }

    /// `a || b || 'literal'`: the first non-empty operand.
    fn value(&self, expr: &str) -> String {
        expr.split("||")
            .map(|part| self.operand(part))
            .find(|v| !v.is_empty())
            .unwrap_or_default()
    }

    fn expand(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..]
                .find("}}")
                .unwrap_or_else(|| panic!("unclosed expression in `{text}`"));
            out.push_str(&self.value(&rest[start + 3..start + end]));
            rest = &rest[start + end + 2..];
        }
        out.push_str(rest);
        out
    }

    /// `if:` conditions of the form `X == 'literal'`.
    fn condition(&self, cond: &str) -> bool {
        let (left, right) = cond
            .split_once("==")
            .unwrap_or_else(|| panic!("unexpected condition `{cond}`"));
        self.value(left) == self.value(right)
    }
}

// ---------------------------------------------------------------- action.yml

#[test]
fn action_yml_is_a_composite_action_whose_inputs_reach_the_script_through_env() {
    let action = yaml("action.yml");
    assert!(action["name"].is_string() && action["description"].is_string());
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = action["inputs"].as_object().expect("inputs");
    for name in ["version", "install", "args", "sarif-file", "config-from"] {
        let input = &inputs[name];
        assert!(
            input["description"].as_str().is_some_and(|d| d.len() > 20),
            "input `{name}` needs a description"
        );
        assert!(input["default"].is_string(), "input `{name}` has a default");
    }
    assert_eq!(
        inputs["version"]["default"].as_str(),
        Some(crate_version().as_str()),
        "the action installs the release it belongs to by default"
    );
    assert_eq!(inputs["config-from"]["default"], "base");

    let steps = action["runs"]["steps"].as_array().expect("steps");
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .expect("a step caches the binary with actions/cache");
    let key = cache["with"]["key"].as_str().expect("a cache key");
    assert!(
        key.contains("inputs.version") && key.contains("runner.os"),
        "the cache key names the version and the OS: {key}"
    );
    let install = steps
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("run.sh\" install"))
        })
        .expect("an install step");
    assert_eq!(
        install["env"]["DESIGNGATE_INSTALL_DIR"], cache["with"]["path"],
        "the install step fills the cached folder"
    );
    for step in steps {
        if let Some(script) = step["run"].as_str() {
            // why: an input spliced into a script is a script injection
            // (a branch name or PR title in `args`); env is data.
            assert!(
                !script.contains("${{"),
                "a run script must take inputs through env, not `${{{{ }}}}`: {script}"
            );
            assert_eq!(step["shell"], "bash");
        }
    }
    let text = read("action.yml");
    for (name, _) in inputs {
        assert!(
            text.contains(&format!("inputs.{name}")),
            "input `{name}` is declared but never used"
        );
    }
}

#[test]
#[cfg_attr(not(has_shellcheck), ignore = "shellcheck not on PATH when built")]
fn the_action_script_passes_shellcheck() {
    let out = std::process::Command::new(tool("shellcheck"))
        .arg("--severity=style")
        .arg(manifest_dir().join("ci/github/run.sh"))
        .output()
        .expect("run shellcheck");
    assert!(out.status.success(), "shellcheck:\n{}", all_output(&out));
}

#[test]
fn a_pull_request_that_switches_a_rule_off_is_still_checked_under_the_base_policy() {
    let sandbox = Sandbox::new();
    let new = without_sla();
    let off = config_sla_off();
    let hosted = hosted(
        &sandbox,
        &[&[("design/new.md", &new)], &[("designgate.toml", &off)]],
    );
    let ws = hosted.github_checkout("runner", &hosted.merge, "refs/remotes/pull/1/merge");
    let mut gh = Github::new(&sandbox, &ws, "pull_request", &hosted.merge);
    gh.event = Some(hosted.pull_request_event());
    gh.base_ref = Some("main");

    let run = gh.run();
    assert_eq!(
        run.status,
        1,
        "blocked under the base policy:\n{}",
        run.show()
    );
    assert_eq!(run.outputs.get("exit-code").map(String::as_str), Some("1"));
    let errors = run.annotations("error");
    assert!(
        errors
            .iter()
            .any(|a| a.contains("file=design/new.md,") && names_rule(a, "sla")),
        "an error annotation on design/new.md for `sla`:\n{}",
        run.show()
    );
    // Only what the pull request changes: main's own failing document is
    // not this pull request's business.
    assert!(
        !run.stdout.contains("design/old.md") && !run.summary.contains("design/old.md"),
        "design/old.md is not part of the pull request:\n{}",
        run.show()
    );
    assert!(
        run.summary.contains("design/new.md") && names_rule(&run.summary, "sla"),
        "the job summary lists the finding:\n{}",
        run.show()
    );
    assert!(
        run.stderr.contains(&hosted.base),
        "says whose policy applies:\n{}",
        run.show()
    );

    // The same pull request with its own policy passes: the base policy
    // is what blocked it.
    let run = gh.input("config-from", "head").run();
    assert_eq!(
        run.status,
        0,
        "passes under its own policy:\n{}",
        run.show()
    );
    assert!(run.annotations("error").is_empty(), "{}", run.show());
    assert_eq!(run.outputs.get("exit-code").map(String::as_str), Some("0"));
}

#[test]
fn a_pull_request_whose_own_policy_does_not_load_fails_even_under_the_base_policy() {
    let sandbox = Sandbox::new();
    let broken = format!("{CONFIG}[severity]\nsla = \"of\"\n");
    let hosted = hosted(
        &sandbox,
        &[&[("design/new.md", COMPLETE), ("designgate.toml", &broken)]],
    );
    let ws = hosted.github_checkout("runner", &hosted.merge, "refs/remotes/pull/1/merge");
    let mut gh = Github::new(&sandbox, &ws, "pull_request", &hosted.merge);
    gh.event = Some(hosted.pull_request_event());
    let run = gh.run();
    assert_eq!(run.status, 2, "{}", run.show());
    assert_eq!(run.outputs.get("exit-code").map(String::as_str), Some("2"));
    assert!(
        run.annotations("error")
            .iter()
            .any(|a| a.contains("does not load")),
        "{}",
        run.show()
    );
    assert!(
        run.stderr.contains("designgate.toml:"),
        "names the file:\n{}",
        run.show()
    );
}

#[test]
fn without_an_event_payload_the_base_branch_comes_from_github_base_ref() {
    let sandbox = Sandbox::new();
    let new = without_sla();
    let off = config_sla_off();
    let hosted = hosted(
        &sandbox,
        &[&[("design/new.md", &new), ("designgate.toml", &off)]],
    );
    let ws = hosted.github_checkout("runner", &hosted.merge, "refs/remotes/pull/1/merge");
    let mut gh = Github::new(&sandbox, &ws, "pull_request", &hosted.merge);
    gh.base_ref = Some("main");
    let run = gh.run();
    assert_eq!(run.status, 1, "{}", run.show());
    let errors = run.annotations("error");
    assert!(
        errors.iter().any(|a| a.contains("file=design/new.md,")),
        "{}",
        run.show()
    );
    assert!(!run.stdout.contains("design/old.md"), "{}", run.show());
}

#[test]
fn on_pull_request_target_the_checkout_is_the_base_and_the_head_is_fetched() {
    let sandbox = Sandbox::new();
    let new = without_sla();
    let off = config_sla_off();
    let hosted = hosted(
        &sandbox,
        &[&[("design/new.md", &new), ("designgate.toml", &off)]],
    );
    // actions/checkout on pull_request_target: the base branch, one commit.
    let ws = hosted.github_checkout("runner", &hosted.base, "refs/remotes/origin/main");
    let head_commit = format!("{}^{{commit}}", hosted.head);
    assert!(
        !ws.git(&["cat-file", "-e", &head_commit]).status.success(),
        "the head is not in the clone yet"
    );
    let mut gh = Github::new(&sandbox, &ws, "pull_request_target", &hosted.base);
    gh.event = Some(hosted.pull_request_event());
    gh.base_ref = Some("main");
    let run = gh.run();
    assert_eq!(run.status, 1, "{}", run.show());
    assert!(
        run.annotations("error")
            .iter()
            .any(|a| a.contains("file=design/new.md,") && names_rule(a, "sla")),
        "{}",
        run.show()
    );
    assert!(!run.stdout.contains("design/old.md"), "{}", run.show());
    assert!(
        !ws.dir.join("design/new.md").exists(),
        "the work tree stays the base's: nothing of the pull request is checked out"
    );
}

#[test]
fn a_merge_queue_group_is_checked_like_its_pull_request() {
    let sandbox = Sandbox::new();
    let new = without_sla();
    let off = config_sla_off();
    let hosted = hosted(
        &sandbox,
        &[&[("design/new.md", &new), ("designgate.toml", &off)]],
    );
    // The merge queue tests a merge of the pull request into the base, on a
    // temporary branch; the payload names it and the base.
    let queue_ref = "refs/heads/gh-readonly-queue/main/pr-1-".to_owned() + &hosted.head;
    let ws = hosted.github_checkout("runner", &hosted.merge, "refs/remotes/origin/queue");
    let mut gh = Github::new(&sandbox, &ws, "merge_group", &hosted.merge);
    gh.event = Some(json!({
        "action": "checks_requested",
        "merge_group": {
            "head_sha": hosted.merge,
            "head_ref": queue_ref,
            "base_sha": hosted.base,
            "base_ref": "refs/heads/main",
            "head_commit": {"id": hosted.merge, "message": "Merge pull request #1"},
        },
        "repository": {"full_name": "acme/designs"},
    }));
    let run = gh.run();
    assert_eq!(run.status, 1, "the base policy holds:\n{}", run.show());
    let errors = run.annotations("error");
    assert!(
        errors
            .iter()
            .any(|a| a.contains("file=design/new.md,") && names_rule(a, "sla")),
        "{}",
        run.show()
    );
    assert!(!run.stdout.contains("design/old.md"), "{}", run.show());
}

#[test]
fn a_push_checks_the_whole_repository() {
    let sandbox = Sandbox::new();
    let hosted = hosted(&sandbox, &[&[("design/new.md", COMPLETE)]]);
    let ws = hosted.github_checkout("runner", &hosted.base, "refs/remotes/origin/main");
    let gh = Github::new(&sandbox, &ws, "push", &hosted.base);
    let run = gh.run();
    assert_eq!(run.status, 1, "main holds design/old.md:\n{}", run.show());
    assert!(
        run.annotations("error")
            .iter()
            .any(|a| a.contains("file=design/old.md,") && names_rule(a, "sla")),
        "{}",
        run.show()
    );
    assert!(run.summary.contains("design/old.md"), "{}", run.show());
}

#[test]
fn config_from_a_revision_applies_on_a_push_too() {
    let sandbox = Sandbox::new();
    let new = without_sla();
    let off = config_sla_off();
    let hosted = hosted(
        &sandbox,
        &[&[("design/new.md", &new), ("designgate.toml", &off)]],
    );
    // A push of the feature branch, checked out with fetch-depth: 0.
    let ws = hosted.gitlab_checkout("runner", &hosted.head);
    let gh = Github::new(&sandbox, &ws, "push", &hosted.head);
    let run = gh.run();
    assert_eq!(
        run.status,
        0,
        "its own policy switched `sla` off:\n{}",
        run.show()
    );
    let run = gh.input("config-from", "origin/main").run();
    assert_eq!(run.status, 1, "{}", run.show());
    assert!(
        run.annotations("error")
            .iter()
            .any(|a| a.contains("file=design/new.md,") && names_rule(a, "sla")),
        "main's policy applies:\n{}",
        run.show()
    );
}

#[test]
fn a_clean_pull_request_passes_and_says_so() {
    let sandbox = Sandbox::new();
    let hosted = hosted(&sandbox, &[&[("design/new.md", COMPLETE)]]);
    let ws = hosted.github_checkout("runner", &hosted.merge, "refs/remotes/pull/1/merge");
    let mut gh = Github::new(&sandbox, &ws, "pull_request", &hosted.merge);
    gh.event = Some(hosted.pull_request_event());
    gh.base_ref = Some("main");
    let run = gh.run();
    assert_eq!(run.status, 0, "{}", run.show());
    assert!(run.annotations("error").is_empty(), "{}", run.show());
    assert_eq!(run.outputs.get("exit-code").map(String::as_str), Some("0"));
    assert!(
        !run.summary.trim().is_empty(),
        "a summary even when clean:\n{}",
        run.show()
    );
}

#[test]
fn args_reach_designgate_and_a_usage_error_exits_2() {
    let sandbox = Sandbox::new();
    let hosted = hosted(&sandbox, &[&[("design/new.md", COMPLETE)]]);
    let ws = hosted.github_checkout("runner", &hosted.base, "refs/remotes/origin/main");
    let run = Github::new(&sandbox, &ws, "push", &hosted.base)
        .input("args", "--color never\n--no-such-option")
        .run();
    assert_eq!(run.status, 2, "{}", run.show());
    assert_eq!(run.outputs.get("exit-code").map(String::as_str), Some("2"));
    assert!(run.stderr.contains("--no-such-option"), "{}", run.show());
    assert!(
        run.annotations("error")
            .iter()
            .any(|a| a.contains("exited with status 2")),
        "the run's page says designgate failed:\n{}",
        run.show()
    );
}

#[test]
fn a_version_that_is_not_a_release_number_is_refused() {
    let sandbox = Sandbox::without_designgate_on_path();
    let hosted = hosted(&sandbox, &[&[("design/new.md", COMPLETE)]]);
    let ws = hosted.github_checkout("runner", &hosted.base, "refs/remotes/origin/main");
    for version in ["../../etc", "0.1.0 --git https://example.invalid/x", ""] {
        let run = Github::new(&sandbox, &ws, "push", &hosted.base)
            .input("install", "true")
            .input("version", version)
            .run();
        assert_eq!(run.status, 2, "{version:?}:\n{}", run.show());
        assert_eq!(run.ran.len(), 1, "only the install step ran: {:?}", run.ran);
        assert!(
            run.annotations("error")
                .iter()
                .any(|a| a.contains("is not a release version")),
            "{version:?}:\n{}",
            run.show()
        );
    }
}

/// The release archive of this build and its checksum, made once per test
/// run: `designgate-v<version>-<target>.tar.gz` (one folder of that name
/// with the binary in it) and its `.sha256` (`<hex>  <archive>`), the names
/// .github/workflows/release.yml documents. Where this checkout has the
/// release workflow's own packer, `release/package.sh`, it makes the
/// archive, so the integrations download exactly what a release holds.
fn release_archive(version: &str) -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ci-release");
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create the release folder");
        let name = format!("designgate-v{version}-{}", release_target());
        let archive = format!("{name}.tar.gz");
        let exe = support::designgate_exe();
        let packer = manifest_dir().join("release/package.sh");
        let out = if packer.is_file() {
            std::process::Command::new("bash")
                .arg(&packer)
                .args([version, release_target()])
                .arg(exe)
                .arg(&dir)
                .output()
                .expect("run release/package.sh")
        } else {
            let stage = dir.join("stage").join(&name);
            fs::create_dir_all(&stage).expect("create the archive folder");
            fs::copy(exe, stage.join("designgate")).expect("copy the binary");
            let out = std::process::Command::new("tar")
                .current_dir(dir.join("stage"))
                .arg("-czf")
                .arg(dir.join(&archive))
                .arg(&name)
                .output()
                .expect("run tar");
            assert!(out.status.success(), "tar: {}", all_output(&out));
            fs::remove_dir_all(dir.join("stage")).expect("remove the stage");
            let out = std::process::Command::new("sha256sum")
                .current_dir(&dir)
                .arg(&archive)
                .output()
                .expect("run sha256sum");
            fs::write(dir.join(format!("{archive}.sha256")), &out.stdout).expect("write");
            out
        };
        assert!(out.status.success(), "packing: {}", all_output(&out));
        let sum = fs::read_to_string(dir.join(format!("{archive}.sha256")))
            .expect("the archive has a checksum");
        assert!(
            sum.starts_with(|c: char| c.is_ascii_hexdigit()) && sum.contains(&archive),
            "{sum}"
        );
        dir
    })
}

/// A release folder served from `file://`, as GitHub serves a release:
/// `<server>/<owner>/<repo>/releases/download/v<version>/`.
fn publish_release(sandbox: &Sandbox, version: &str, corrupt_checksum: bool) -> String {
    let server = sandbox.base.join("server");
    let dir = server.join(format!(
        "designgate/designgate/releases/download/v{version}"
    ));
    fs::create_dir_all(&dir).expect("create the release folder");
    let archive = format!("designgate-v{version}-{}.tar.gz", release_target());
    let sum = format!("{archive}.sha256");
    let made = release_archive(version);
    fs::copy(made.join(&archive), dir.join(&archive)).expect("copy the archive");
    let text = fs::read_to_string(made.join(&sum)).expect("read the checksum");
    let text = if corrupt_checksum {
        format!("{}{}", "0".repeat(64), &text[64..])
    } else {
        text
    };
    fs::write(dir.join(&sum), text).expect("write the checksum");
    format!("file://{}", server.display())
}

#[test]
fn the_action_installs_the_release_archive_and_then_uses_the_cached_binary() {
    let sandbox = Sandbox::without_designgate_on_path();
    let hosted = hosted(&sandbox, &[&[("design/new.md", COMPLETE)]]);
    let ws = hosted.github_checkout("runner", &hosted.base, "refs/remotes/origin/main");
    let version = crate_version();
    let mut gh = Github::new(&sandbox, &ws, "push", &hosted.base).input("install", "true");
    gh.server_url = publish_release(&sandbox, &version, false);

    let run = gh.run();
    assert_eq!(
        run.skipped_uses.len(),
        1,
        "only actions/cache is skipped: {:?}",
        run.skipped_uses
    );
    assert_eq!(run.ran.len(), 2, "install and check ran: {:?}", run.ran);
    // designgate was nowhere on PATH: the check step found the installed
    // one through GITHUB_PATH, and it reported main's failing document.
    assert_eq!(run.status, 1, "{}", run.show());
    assert!(run.stdout.contains("file=design/old.md,"), "{}", run.show());
    assert!(
        run.stderr.contains(&format!("designgate {version}")),
        "{}",
        run.show()
    );
    let cached = sandbox
        .base
        .join("tool-cache/designgate")
        .join(&version)
        .join(runner_arch())
        .join("designgate");
    assert!(cached.is_file(), "the binary is in the cached folder");

    // A cache hit: the folder is restored, the server is gone.
    fs::remove_dir_all(sandbox.base.join("server")).expect("remove the server");
    let run = gh.run();
    assert_eq!(run.status, 1, "{}", run.show());
    assert!(run.stderr.contains("(cached)"), "{}", run.show());
}

/// Runs the cargo that runs the tests, with the user's own environment.
fn cargo(dir: &Path, args: &[&str]) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = std::process::Command::new(&cargo)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "cargo {args:?}:\n{}",
        all_output(&out)
    );
}

#[test]
#[cfg_attr(
    not(rust_hook_build),
    ignore = "builds designgate from source (minutes); DESIGNGATE_TEST_RUST_HOOK_BUILD=1"
)]
fn without_a_release_archive_the_action_builds_the_version_with_cargo_install() {
    let sandbox = Sandbox::without_designgate_on_path();
    let hosted = hosted(&sandbox, &[&[("design/new.md", COMPLETE)]]);
    let ws = hosted.github_checkout("runner", &hosted.base, "refs/remotes/origin/main");
    let version = crate_version();

    // A registry holding this crate as `cargo package` makes it, and its
    // dependencies (a directory source: no network).
    let registry = sandbox.base.join("registry");
    let target = sandbox.base.join("package-target");
    let target_arg = target.to_str().expect("UTF-8");
    let registry_arg = registry.to_str().expect("UTF-8");
    cargo(
        manifest_dir(),
        &[
            "package",
            "--locked",
            "--no-verify",
            "--allow-dirty",
            "-q",
            "--target-dir",
            target_arg,
        ],
    );
    cargo(
        manifest_dir(),
        &["vendor", "--locked", "--versioned-dirs", "-q", registry_arg],
    );
    let krate = target.join(format!("package/designgate-{version}.crate"));
    let out = sandbox.run(&registry, "tar", &["-xzf", krate.to_str().expect("UTF-8")]);
    assert!(out.status.success(), "{}", all_output(&out));
    let out = sandbox.run(&registry, "sha256sum", &[krate.to_str().expect("UTF-8")]);
    let sum = stdout(&out);
    fs::write(
        registry.join(format!("designgate-{version}/.cargo-checksum.json")),
        format!(r#"{{"files":{{}},"package":"{}"}}"#, &sum[..64]),
    )
    .expect("write the checksum");
    let cargo_home = sandbox.base.join("cargo-home");
    fs::create_dir_all(&cargo_home).expect("create CARGO_HOME");
    fs::write(
        cargo_home.join("config.toml"),
        format!(
            "[source.crates-io]\nreplace-with = \"here\"\n[source.here]\ndirectory = \"{}\"\n",
            registry.display()
        ),
    )
    .expect("write the cargo config");

    let mut gh = Github::new(&sandbox, &ws, "push", &hosted.base).input("install", "true");
    // No release at this address: the download fails.
    gh.server_url = format!("file://{}", sandbox.base.join("no-server").display());
    let toolchain = std::env::var_os("CARGO")
        .map(PathBuf::from)
        .and_then(|c| c.parent().map(Path::to_path_buf))
        .expect("cargo sets CARGO for tests");
    gh.path = vec![toolchain];
    gh.env = vec![
        ("CARGO_HOME", cargo_home.into_os_string()),
        (
            "CARGO_TARGET_DIR",
            sandbox.base.join("install-target").into_os_string(),
        ),
        // why: a release build of the dependencies takes minutes; the
        // test is about where the binary comes from, not how fast it is.
        ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0".into()),
        ("CARGO_PROFILE_RELEASE_LTO", "false".into()),
        ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16".into()),
    ];
    let run = gh.run();
    assert!(
        run.stderr
            .contains("falling back to cargo install --locked designgate"),
        "{}",
        run.show()
    );
    assert_eq!(run.status, 1, "main holds design/old.md:\n{}", run.show());
    assert!(run.stdout.contains("file=design/old.md,"), "{}", run.show());
    let cached = sandbox
        .base
        .join("tool-cache/designgate")
        .join(&version)
        .join(runner_arch())
        .join("designgate");
    assert!(cached.is_file(), "the built binary is in the cached folder");
}

#[test]
fn an_archive_that_does_not_match_its_checksum_is_not_run() {
    let sandbox = Sandbox::without_designgate_on_path();
    let hosted = hosted(&sandbox, &[&[("design/new.md", COMPLETE)]]);
    let ws = hosted.github_checkout("runner", &hosted.base, "refs/remotes/origin/main");
    let version = crate_version();
    let mut gh = Github::new(&sandbox, &ws, "push", &hosted.base).input("install", "true");
    gh.server_url = publish_release(&sandbox, &version, true);
    let run = gh.run();
    assert_eq!(run.status, 2, "{}", run.show());
    assert_eq!(
        run.ran.len(),
        1,
        "the check step did not run: {:?}",
        run.ran
    );
    assert!(
        run.annotations("error")
            .iter()
            .any(|a| a.contains("does not match its published SHA-256")),
        "{}",
        run.show()
    );
    let cached = sandbox
        .base
        .join("tool-cache/designgate")
        .join(&version)
        .join(runner_arch());
    assert!(
        !cached.join("designgate").exists(),
        "nothing is left for the cache to save"
    );
}

// ---------------------------------------------------------------- GitLab

const GITLAB_TEMPLATE: &str = "ci/gitlab/designgate.yml";

/// The template's job, as `extends` resolves it for the job `designgate`.
fn gitlab_job(template: &Value) -> &Value {
    assert_eq!(template["designgate"]["extends"], ".designgate");
    &template[".designgate"]
}

fn script_lines(job: &Value, key: &str) -> Vec<String> {
    job[key]
        .as_array()
        .unwrap_or_else(|| panic!("the job has a `{key}` list"))
        .iter()
        .map(|l| l.as_str().expect("script lines are strings").to_owned())
        .collect()
}

#[test]
fn the_gitlab_template_reports_code_quality_and_runs_on_merge_requests_and_branches() {
    let template = yaml(GITLAB_TEMPLATE);
    let job = gitlab_job(&template);
    assert_eq!(
        template["variables"]["DESIGNGATE_VERSION"].as_str(),
        Some(crate_version().as_str())
    );
    assert_eq!(template["variables"]["DESIGNGATE_CONFIG_FROM"], "base");
    let reports = &job["artifacts"]["reports"];
    assert_eq!(reports["codequality"], "gl-code-quality-report.json");
    assert_eq!(
        job["artifacts"]["when"], "always",
        "the report is kept when the job fails on findings"
    );
    assert_eq!(job["variables"]["GIT_DEPTH"], "0");
    let script = script_lines(job, "script").join("\n");
    for needle in [
        "CI_MERGE_REQUEST_DIFF_BASE_SHA",
        "--diff \"$base...$CI_COMMIT_SHA\"",
        "--config-from",
        "--format gitlab=gl-code-quality-report.json",
    ] {
        assert!(script.contains(needle), "the script uses {needle}");
    }
    let rules = template["designgate"]["rules"].as_array().expect("rules");
    assert!(
        rules
            .iter()
            .any(|r| r["if"].as_str() == Some("$CI_PIPELINE_SOURCE == \"merge_request_event\"")),
        "runs in merge request pipelines"
    );
    assert!(
        rules
            .iter()
            .any(|r| r["if"].as_str() == Some("$CI_COMMIT_BRANCH") && r.get("when").is_none()),
        "runs in branch pipelines"
    );
}

#[test]
#[cfg_attr(not(has_shellcheck), ignore = "shellcheck not on PATH when built")]
fn the_gitlab_template_script_passes_shellcheck() {
    let template = yaml(GITLAB_TEMPLATE);
    let job = gitlab_job(&template);
    let dir = tempfile::tempdir().expect("a temp dir");
    for key in ["before_script", "script"] {
        let body = script_lines(job, key).join("\n");
        let file = dir.path().join(format!("{key}.sh"));
        fs::write(&file, format!("#!/bin/sh\n{body}\n")).expect("write the script");
        let out = std::process::Command::new(tool("shellcheck"))
            .args(["--shell=sh", "--severity=style"])
            // why: the variables come from GitLab, not from the script.
            .args(["--exclude=SC2154"])
            .arg(&file)
            .output()
            .expect("run shellcheck");
        assert!(out.status.success(), "{key}:\n{}", all_output(&out));
    }
}

struct GitlabRun {
    status: i32,
    log: String,
    report: Option<Value>,
}

/// Runs the template's job in `project` with `sh`, as a GitLab runner
/// would: the template's variables, then the predefined `CI_*` ones, then
/// `overrides`.
fn run_gitlab_job(
    project: &Repo<'_>,
    ci: &[(&str, &str)],
    overrides: &[(&str, &str)],
) -> GitlabRun {
    run_gitlab_job_in(&["sh"], project, ci, overrides)
}

/// [`run_gitlab_job`] with another shell, e.g. `busybox sh` (alpine's).
fn run_gitlab_job_in(
    shell: &[&str],
    project: &Repo<'_>,
    ci: &[(&str, &str)],
    overrides: &[(&str, &str)],
) -> GitlabRun {
    let template = yaml(GITLAB_TEMPLATE);
    let job = gitlab_job(&template);
    let mut script = script_lines(job, "before_script");
    script.extend(script_lines(job, "script"));
    let mut cmd = project.sandbox.command(&project.dir, shell[0]);
    cmd.args(&shell[1..]).args(["-c", &script.join("\n")]);
    for scope in [&template["variables"], &job["variables"]] {
        for (k, v) in scope.as_object().expect("variables") {
            cmd.env(k, v.as_str().expect("a string variable"));
        }
    }
    cmd.env("CI", "true")
        .env("GITLAB_CI", "true")
        .env("CI_PROJECT_DIR", &project.dir)
        .env_remove("NO_COLOR");
    for (k, v) in ci.iter().chain(overrides) {
        cmd.env(k, v);
    }
    let report_path = project.dir.join("gl-code-quality-report.json");
    // why: a report left by an earlier run must not pass for this one's.
    let _ = fs::remove_file(&report_path);
    let out = cmd.output().expect("run sh");
    let report = fs::read(&report_path).ok().map(|bytes| {
        serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "gl-code-quality-report.json is not JSON ({e}):\n{}",
                String::from_utf8_lossy(&bytes)
            )
        })
    });
    GitlabRun {
        status: code(&out),
        log: all_output(&out),
        report,
    }
}

fn code_quality_paths(report: &Value) -> Vec<(String, String)> {
    report
        .as_array()
        .expect("a Code Quality report is a JSON array")
        .iter()
        .map(|issue| {
            for field in ["description", "check_name", "fingerprint", "severity"] {
                assert!(issue[field].is_string(), "issue without {field}: {issue}");
            }
            assert!(issue["location"]["lines"]["begin"].is_u64(), "{issue}");
            (
                issue["location"]["path"]
                    .as_str()
                    .expect("a path")
                    .to_owned(),
                issue["check_name"].as_str().expect("a check").to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_merge_request_is_checked_under_the_target_policy_with_a_code_quality_report() {
    let sandbox = Sandbox::new();
    let new = without_sla();
    let off = config_sla_off();
    let hosted = hosted(
        &sandbox,
        &[&[("design/new.md", &new)], &[("designgate.toml", &off)]],
    );
    let project = hosted.gitlab_checkout("project", &hosted.head);
    let ci = [
        ("CI_PIPELINE_SOURCE", "merge_request_event"),
        ("CI_COMMIT_SHA", hosted.head.as_str()),
        ("CI_MERGE_REQUEST_DIFF_BASE_SHA", hosted.fork_point.as_str()),
        ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main"),
        ("CI_MERGE_REQUEST_IID", "1"),
    ];
    // why: the freshly built binary is on PATH; no download.
    let run = run_gitlab_job(&project, &ci, &[("DESIGNGATE_VERSION", "")]);
    assert_eq!(run.status, 1, "{}", run.log);
    let report = run.report.expect("the Code Quality report is written");
    let issues = code_quality_paths(&report);
    assert!(
        issues
            .iter()
            .any(|(path, check)| path == "design/new.md" && names_rule(check, "sla")),
        "{issues:?}"
    );
    assert!(
        issues.iter().all(|(path, _)| path == "design/new.md"),
        "only the merge request's document: {issues:?}"
    );
    assert!(
        names_rule(&run.log, "sla") && run.log.contains("design/new.md"),
        "{}",
        run.log
    );

    let run = run_gitlab_job(
        &project,
        &ci,
        &[
            ("DESIGNGATE_VERSION", ""),
            ("DESIGNGATE_CONFIG_FROM", "head"),
        ],
    );
    assert_eq!(run.status, 0, "passes under its own policy:\n{}", run.log);
}

#[test]
fn a_merge_request_whose_own_policy_does_not_load_fails() {
    let sandbox = Sandbox::new();
    let broken = format!("{CONFIG}[severity]\nsla = \"of\"\n");
    let hosted = hosted(
        &sandbox,
        &[&[("design/new.md", COMPLETE), ("designgate.toml", &broken)]],
    );
    let project = hosted.gitlab_checkout("project", &hosted.head);
    let ci = [
        ("CI_PIPELINE_SOURCE", "merge_request_event"),
        ("CI_COMMIT_SHA", hosted.head.as_str()),
        ("CI_MERGE_REQUEST_DIFF_BASE_SHA", hosted.fork_point.as_str()),
    ];
    let run = run_gitlab_job(&project, &ci, &[("DESIGNGATE_VERSION", "")]);
    assert_eq!(run.status, 2, "{}", run.log);
    assert!(run.log.contains("does not load"), "{}", run.log);
}

#[test]
#[cfg_attr(not(has_busybox), ignore = "busybox not on PATH when built")]
fn the_gitlab_job_runs_under_busybox_sh_as_in_the_alpine_image() {
    let sandbox = Sandbox::new();
    let new = without_sla();
    let off = config_sla_off();
    let hosted = hosted(
        &sandbox,
        &[&[("design/new.md", &new)], &[("designgate.toml", &off)]],
    );
    let project = hosted.gitlab_checkout("project", &hosted.head);
    let version = crate_version();
    let server = publish_release(&sandbox, &version, false);
    let releases = format!("{server}/designgate/designgate/releases/download");
    let install_dir = sandbox.base.join("gl-bin");
    let ci = [
        ("CI_PIPELINE_SOURCE", "merge_request_event"),
        ("CI_COMMIT_SHA", hosted.head.as_str()),
        ("CI_MERGE_REQUEST_DIFF_BASE_SHA", hosted.fork_point.as_str()),
    ];
    let busybox = tool("busybox");
    let busybox = busybox.to_str().expect("UTF-8");
    let run = run_gitlab_job_in(
        &[busybox, "sh"],
        &project,
        &ci,
        &[
            ("DESIGNGATE_RELEASES", &releases),
            (
                "DESIGNGATE_INSTALL_DIR",
                install_dir.to_str().expect("UTF-8"),
            ),
            ("DESIGNGATE_ARGS", "--color never"),
        ],
    );
    assert_eq!(run.status, 1, "{}", run.log);
    assert!(
        run.log.contains(&format!("designgate {version}")),
        "{}",
        run.log
    );
    assert!(install_dir.join("designgate").is_file(), "installed");
    let issues = code_quality_paths(&run.report.expect("a report"));
    assert!(
        issues
            .iter()
            .any(|(path, check)| path == "design/new.md" && names_rule(check, "sla")),
        "{issues:?}"
    );
}

#[test]
fn a_shallow_merge_request_clone_fetches_the_merge_base() {
    let sandbox = Sandbox::new();
    let new = without_sla();
    let hosted = hosted(
        &sandbox,
        &[&[("design/new.md", &new)], &[("design/more.md", COMPLETE)]],
    );
    // GIT_DEPTH: 1 set by the project: the runner clones one commit.
    let dir = sandbox.base.join("project");
    let out = sandbox.run(
        &sandbox.base,
        "git",
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            "--branch",
            "feature",
            &hosted.url(),
            dir.to_str().expect("UTF-8"),
        ],
    );
    assert!(out.status.success(), "{}", all_output(&out));
    let project = Repo {
        sandbox: &sandbox,
        dir,
    };
    let ci = [
        ("CI_PIPELINE_SOURCE", "merge_request_event"),
        ("CI_COMMIT_SHA", hosted.head.as_str()),
        ("CI_MERGE_REQUEST_DIFF_BASE_SHA", hosted.fork_point.as_str()),
    ];
    let run = run_gitlab_job(
        &project,
        &ci,
        &[("DESIGNGATE_VERSION", ""), ("GIT_DEPTH", "1")],
    );
    assert_eq!(run.status, 1, "{}", run.log);
    let issues = code_quality_paths(&run.report.expect("a report"));
    assert!(
        issues
            .iter()
            .any(|(path, check)| path == "design/new.md" && names_rule(check, "sla")),
        "{issues:?}"
    );
    assert!(
        issues.iter().all(|(path, _)| path != "design/old.md"),
        "{issues:?}"
    );
}

#[test]
fn a_branch_pipeline_checks_the_whole_repository() {
    let sandbox = Sandbox::new();
    let hosted = hosted(&sandbox, &[&[("design/new.md", COMPLETE)]]);
    let project = hosted.gitlab_checkout("project", &hosted.base);
    let ci = [
        ("CI_PIPELINE_SOURCE", "push"),
        ("CI_COMMIT_SHA", hosted.base.as_str()),
        ("CI_COMMIT_BRANCH", "main"),
    ];
    let run = run_gitlab_job(&project, &ci, &[("DESIGNGATE_VERSION", "")]);
    assert_eq!(run.status, 1, "{}", run.log);
    let issues = code_quality_paths(&run.report.expect("a report"));
    assert!(
        issues.iter().any(|(path, _)| path == "design/old.md"),
        "{issues:?}"
    );
}

#[test]
fn the_gitlab_job_installs_the_release_archive() {
    let sandbox = Sandbox::without_designgate_on_path();
    let hosted = hosted(&sandbox, &[&[("design/new.md", COMPLETE)]]);
    let project = hosted.gitlab_checkout("project", &hosted.base);
    let version = crate_version();
    let server = publish_release(&sandbox, &version, false);
    let releases = format!("{server}/designgate/designgate/releases/download");
    let ci = [
        ("CI_PIPELINE_SOURCE", "push"),
        ("CI_COMMIT_SHA", hosted.base.as_str()),
        ("CI_COMMIT_BRANCH", "main"),
    ];
    let install_dir = sandbox.base.join("gl-bin");
    let run = run_gitlab_job(
        &project,
        &ci,
        &[
            ("DESIGNGATE_RELEASES", &releases),
            (
                "DESIGNGATE_INSTALL_DIR",
                install_dir.to_str().expect("UTF-8"),
            ),
        ],
    );
    assert_eq!(run.status, 1, "{}", run.log);
    assert!(
        run.log.contains(&format!("designgate {version}")),
        "{}",
        run.log
    );
    assert!(run.report.is_some(), "{}", run.log);

    let bad = publish_release(&sandbox, &version, true);
    let run = run_gitlab_job(
        &project,
        &ci,
        &[
            (
                "DESIGNGATE_RELEASES",
                &format!("{bad}/designgate/designgate/releases/download"),
            ),
            (
                "DESIGNGATE_INSTALL_DIR",
                sandbox.base.join("gl-bin2").to_str().expect("UTF-8"),
            ),
        ],
    );
    assert_eq!(run.status, 2, "{}", run.log);
    assert!(
        run.log.contains("does not match its published SHA-256"),
        "{}",
        run.log
    );
}

// ---------------------------------------------------------------- docs/ci.md

const CI_DOC: &str = "docs/ci.md";

/// The fenced blocks of a Markdown text: (info string, body).
fn fenced_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let mut body = String::new();
        for line in lines.by_ref() {
            if line == "```" {
                break;
            }
            body.push_str(line);
            body.push('\n');
        }
        blocks.push((info.trim().to_owned(), body));
    }
    blocks
}

fn doc_yaml_blocks() -> Vec<(String, Value)> {
    fenced_blocks(&read(CI_DOC))
        .into_iter()
        .filter(|(info, _)| info == "yaml")
        .map(|(_, body)| {
            let value = serde_saphyr::from_str::<Value>(&body).unwrap_or_else(|e| {
                panic!("a YAML block of docs/ci.md does not parse ({e}):\n{body}")
            });
            (body, value)
        })
        .collect()
}

#[test]
fn docs_ci_links_the_format_reference_and_names_the_current_release() {
    let text = read(CI_DOC);
    assert!(
        text.contains("](formats.md)"),
        "docs/ci.md links docs/formats.md"
    );
    let version = crate_version();
    let uses = format!("designgate/designgate@v{version}");
    let include = format!("designgate/designgate/v{version}/ci/gitlab/designgate.yml");
    let mut workflows = 0;
    let mut includes = 0;
    for (body, value) in doc_yaml_blocks() {
        if value.get("jobs").is_some() && body.contains("designgate/designgate@") {
            workflows += 1;
            assert!(body.contains(&uses), "a workflow uses {uses}:\n{body}");
        }
        if let Some(list) = value.get("include") {
            includes += 1;
            let remote = list[0]["remote"].as_str().expect("include: - remote: URL");
            assert!(
                remote.ends_with(&include),
                "{remote} names the template of v{version}"
            );
        }
    }
    assert!(
        workflows >= 2 && includes >= 2,
        "{workflows} workflows, {includes} includes"
    );
}

/// actionlint over the workflows of `root`, with shellcheck on their `run:`
/// scripts where shellcheck is there.
fn actionlint(root: &Path) -> Output {
    let shellcheck = if cfg!(has_shellcheck) {
        format!("-shellcheck={}", tool("shellcheck").display())
    } else {
        "-shellcheck=".to_owned()
    };
    std::process::Command::new(tool("actionlint"))
        .current_dir(root)
        .args(["-no-color", &shellcheck])
        .output()
        .expect("run actionlint")
}

#[test]
#[cfg_attr(not(has_actionlint_cli), ignore = "actionlint not on PATH when built")]
fn docs_ci_workflows_pass_actionlint_with_this_action() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("lint");
    let root = repo.dir.as_path();
    fs::create_dir_all(root.join(".github/workflows")).expect("create the workflow folder");
    fs::create_dir_all(root.join("ci/github")).expect("create ci/github");
    fs::copy(manifest_dir().join("action.yml"), root.join("action.yml")).expect("copy action.yml");
    fs::copy(
        manifest_dir().join("ci/github/run.sh"),
        root.join("ci/github/run.sh"),
    )
    .expect("copy run.sh");
    let version = crate_version();
    let mut n = 0;
    for (body, value) in doc_yaml_blocks() {
        if value.get("jobs").is_none() {
            continue;
        }
        // why: `uses: ./` makes actionlint read action.yml and check the
        // inputs the workflow passes against the ones it declares.
        let local = body.replace(&format!("designgate/designgate@v{version}"), "./");
        n += 1;
        fs::write(root.join(format!(".github/workflows/doc{n}.yml")), local).expect("write");
    }
    // A workflow that passes every input, so that a renamed one is caught.
    fs::write(
        root.join(".github/workflows/all-inputs.yml"),
        "on: pull_request\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v6\n      - id: dg\n        uses: ./\n        with:\n          version: 0.1.0\n          install: 'true'\n          args: --color never\n          sarif-file: d.sarif\n          config-from: base\n      - run: echo \"$CODE\"\n        env:\n          CODE: ${{ steps.dg.outputs.exit-code }}\n",
    )
    .expect("write");
    // The actions action.yml uses, with its `with:` keys: current versions.
    let action = yaml("action.yml");
    let mut steps = String::new();
    for step in action["runs"]["steps"].as_array().expect("steps") {
        if let Some(uses) = step["uses"].as_str() {
            steps.push_str(&format!("      - uses: {uses}\n        with:\n"));
            for key in step["with"].as_object().expect("with").keys() {
                steps.push_str(&format!("          {key}: x\n"));
            }
        }
    }
    fs::write(
        root.join(".github/workflows/action-uses.yml"),
        format!("on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n{steps}"),
    )
    .expect("write");
    assert!(n >= 3, "docs/ci.md shows the workflows");
    let out = actionlint(root);
    assert!(out.status.success(), "actionlint:\n{}", all_output(&out));

    // And a typo in an input is caught: the check above is not vacuous.
    let typo = fs::read_to_string(root.join(".github/workflows/all-inputs.yml"))
        .expect("read")
        .replace("config-from: base", "config-frm: base");
    fs::write(root.join(".github/workflows/all-inputs.yml"), typo).expect("write");
    let out = actionlint(root);
    assert!(
        !out.status.success() && stdout(&out).contains("config-frm"),
        "actionlint catches an unknown input:\n{}",
        all_output(&out)
    );
}

/// The `designgate check`/`designgate rules` commands of docs/ci.md, one
/// per line, as a shell would run them (without what follows `||`).
fn doc_commands() -> Vec<String> {
    let mut commands = Vec::new();
    for (_, body) in fenced_blocks(&read(CI_DOC)) {
        for line in body.lines() {
            let Some(at) = line
                .find("designgate check")
                .or_else(|| line.find("designgate rules"))
            else {
                continue;
            };
            let mut command = &line[at..];
            if line[..at].ends_with('\'') {
                command = command.split('\'').next().unwrap_or(command);
            }
            if let Some((before, _)) = command.split_once(" || ") {
                command = before;
            }
            commands.push(command.trim().to_owned());
        }
    }
    commands
}

#[test]
fn every_designgate_command_in_docs_ci_runs() {
    let sandbox = Sandbox::new();
    let new = without_sla();
    let hosted = hosted(&sandbox, &[&[("design/new.md", &new)]]);
    let project = hosted.gitlab_checkout("project", &hosted.head);
    let commands = doc_commands();
    assert!(commands.len() >= 10, "{commands:#?}");
    for command in &commands {
        for file in fs::read_dir(&project.dir).expect("list").flatten() {
            let name = file.file_name();
            if name.to_string_lossy().starts_with("designgate") {
                fs::remove_file(file.path()).expect("remove an earlier report");
            }
        }
        let out = sandbox
            .command(&project.dir, "sh")
            .args(["-c", command])
            .env("GITHUB_BASE_REF", "main")
            .env("CHANGE_TARGET", "main")
            .env("BASE", "main")
            .env("base", "origin/main")
            .env("CI_MERGE_REQUEST_DIFF_BASE_SHA", &hosted.fork_point)
            .env("CI_COMMIT_SHA", &hosted.head)
            .output()
            .expect("run sh");
        assert!(
            matches!(code(&out), 0 | 1),
            "`{command}` exits {}:\n{}",
            code(&out),
            all_output(&out)
        );
        for word in command.split_whitespace() {
            if let Some((_, file)) = word.split_once('=')
                && word.starts_with(['j', 's', 'g', 'm'])
            {
                assert!(
                    project.dir.join(file).is_file(),
                    "`{command}` writes {file}:\n{}",
                    all_output(&out)
                );
            }
        }
    }
}

#[test]
fn the_generic_runner_script_of_docs_ci_reports_the_exit_status() {
    let sandbox = Sandbox::new();
    let new = without_sla();
    let hosted = hosted(&sandbox, &[&[("design/new.md", &new)]]);
    let project = hosted.gitlab_checkout("project", &hosted.head);
    let script = fenced_blocks(&read(CI_DOC))
        .into_iter()
        .find(|(info, body)| info == "sh" && body.starts_with("#!/bin/sh"))
        .expect("docs/ci.md shows a runner script")
        .1;
    let run = |base: &str| {
        sandbox
            .command(&project.dir, "sh")
            .args(["-c", &script])
            .env("BASE", base)
            .output()
            .expect("run sh")
    };
    let out = run("main");
    assert_eq!(code(&out), 1, "{}", all_output(&out));
    assert!(
        stdout(&out).contains("blocking findings"),
        "{}",
        all_output(&out)
    );
    let json: Value = serde_json::from_slice(
        &fs::read(project.dir.join("designgate.json")).expect("designgate.json is written"),
    )
    .expect("JSON");
    assert_eq!(json["summary"]["errors"], 1, "only design/new.md: {json}");
}

// ---------------------------------------------------------------- schemas

/// `check-jsonschema --builtin-schema SCHEMA FILE`: SchemaStore's schemas,
/// vendored in check-jsonschema (no network).
fn check_jsonschema(schema: &str, file: &Path) -> Output {
    let mut cmd = std::process::Command::new(tool("check-jsonschema"));
    if schema == "vendor.azure-pipelines" {
        // why: the default regex engine (regress) rejects an escape in one
        // of the Azure schema's patterns and crashes.
        cmd.args(["--regex-variant", "nonunicode"]);
    }
    cmd.args(["--builtin-schema", schema, "--color", "never"])
        .arg(file)
        .output()
        .expect("run check-jsonschema")
}

/// GitLab's deep merge (of `extends`, and of a configuration over what it
/// includes): maps merge key by key, anything else is replaced.
fn deep_merge(base: &Value, over: &Value) -> Value {
    match (base, over) {
        (Value::Object(a), Value::Object(b)) => {
            let mut merged = a.clone();
            for (key, value) in b {
                let next = match a.get(key) {
                    Some(old) => deep_merge(old, value),
                    None => value.clone(),
                };
                merged.insert(key.clone(), next);
            }
            Value::Object(merged)
        }
        _ => over.clone(),
    }
}

/// A pipeline configuration with the job `designgate` as GitLab runs it:
/// `extends: .designgate` resolved, and `user` (a configuration that
/// includes the template) merged over the template.
fn resolved_gitlab_config(user: &Value) -> Value {
    let template = yaml(GITLAB_TEMPLATE);
    let mut config = deep_merge(&template, user);
    let config_map = config.as_object_mut().expect("a map");
    config_map.remove("include");
    let mut job = config_map["designgate"].clone();
    job.as_object_mut().expect("a job").remove("extends");
    let resolved = deep_merge(&template[".designgate"], &job);
    config_map.insert("designgate".to_owned(), resolved);
    config
}

#[test]
#[cfg_attr(
    not(has_check_jsonschema),
    ignore = "check-jsonschema not on PATH when built"
)]
fn action_yml_matches_the_action_metadata_schema() {
    let out = check_jsonschema("vendor.github-actions", &manifest_dir().join("action.yml"));
    assert!(out.status.success(), "{}", all_output(&out));
}

#[test]
#[cfg_attr(
    not(has_check_jsonschema),
    ignore = "check-jsonschema not on PATH when built"
)]
fn the_gitlab_template_and_the_docs_snippets_match_the_gitlab_ci_schema() {
    let out = check_jsonschema("vendor.gitlab-ci", &manifest_dir().join(GITLAB_TEMPLATE));
    assert!(out.status.success(), "{}", all_output(&out));
    // The schema does not look into hidden jobs (`.designgate`): check the
    // job with its `extends` resolved, alone and under each snippet of
    // docs/ci.md that includes the template.
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut users = vec![json!({})];
    users.extend(
        doc_yaml_blocks()
            .into_iter()
            .filter(|(_, v)| v.get("include").is_some())
            .map(|(_, v)| v),
    );
    assert!(users.len() >= 3, "docs/ci.md shows the include snippets");
    for (i, user) in users.iter().enumerate() {
        let config = resolved_gitlab_config(user);
        assert!(config["designgate"]["script"].is_array(), "{config}");
        let file = dir.path().join(format!("resolved{i}.json"));
        fs::write(&file, serde_json::to_vec_pretty(&config).expect("JSON")).expect("write");
        let out = check_jsonschema("vendor.gitlab-ci", &file);
        assert!(
            out.status.success(),
            "{}\n{}",
            serde_json::to_string_pretty(&config).expect("JSON"),
            all_output(&out)
        );
    }
}

#[test]
fn the_docs_junit_snippet_adds_a_junit_report_to_the_gitlab_job() {
    let snippet = doc_yaml_blocks()
        .into_iter()
        .map(|(_, v)| v)
        .find(|v| {
            v.get("include").is_some()
                && v["designgate"]["artifacts"]["reports"]["junit"].is_string()
        })
        .expect("docs/ci.md shows a JUnit report for GitLab");
    let config = resolved_gitlab_config(&snippet);
    let reports = &config["designgate"]["artifacts"]["reports"];
    assert_eq!(reports["codequality"], "gl-code-quality-report.json");
    let junit = reports["junit"].as_str().expect("a junit report");

    let sandbox = Sandbox::new();
    let new = without_sla();
    let hosted = hosted(&sandbox, &[&[("design/new.md", &new)]]);
    let project = hosted.gitlab_checkout("project", &hosted.head);
    let args = config["designgate"]["variables"]["DESIGNGATE_ARGS"]
        .as_str()
        .expect("the snippet sets DESIGNGATE_ARGS");
    let ci = [
        ("CI_PIPELINE_SOURCE", "merge_request_event"),
        ("CI_COMMIT_SHA", hosted.head.as_str()),
        ("CI_MERGE_REQUEST_DIFF_BASE_SHA", hosted.fork_point.as_str()),
    ];
    let run = run_gitlab_job(
        &project,
        &ci,
        &[("DESIGNGATE_VERSION", ""), ("DESIGNGATE_ARGS", args)],
    );
    assert_eq!(run.status, 1, "{}", run.log);
    assert!(
        run.report.is_some(),
        "the Code Quality report too:\n{}",
        run.log
    );
    let xml = fs::read_to_string(project.dir.join(junit)).expect("the JUnit report is written");
    assert!(
        xml.contains("<testsuite") && xml.contains("design/new.md"),
        "{xml}"
    );
}

/// The project's address, as Cargo.toml's `repository` gives it.
fn repository() -> String {
    let manifest: toml::Table = read("Cargo.toml").parse().expect("Cargo.toml parses");
    manifest["package"]
        .get("repository")
        .and_then(|r| r.as_str())
        // why: until the crate metadata names it, the address the
        // integrations were written for.
        .unwrap_or("https://github.com/designgate/designgate")
        .trim_end_matches('/')
        .to_owned()
}

#[test]
fn every_integration_downloads_from_the_repository_cargo_toml_names() {
    let repo = repository();
    let slug = repo
        .strip_prefix("https://github.com/")
        .expect("a GitHub repository");
    let releases = format!("{repo}/releases/download");
    assert!(
        read("action.yml").contains(&format!("github.action_repository || '{slug}'")),
        "action.yml falls back to {slug}"
    );
    assert!(read("ci/github/run.sh").contains(&format!("DESIGNGATE_RELEASES:-{releases}}}")));
    assert_eq!(
        yaml(GITLAB_TEMPLATE)["variables"]["DESIGNGATE_RELEASES"].as_str(),
        Some(releases.as_str())
    );
    let doc = read(CI_DOC);
    assert!(doc.contains(&format!("uses: {slug}@v")));
    assert!(
        read("README.md").contains(&format!("uses: {slug}@v{}", crate_version())),
        "the README names the current release of the action"
    );
    assert!(doc.contains(&format!(
        "https://raw.githubusercontent.com/{slug}/v{}/ci/gitlab/designgate.yml",
        crate_version()
    )));
    assert!(read(GITLAB_TEMPLATE).contains(&format!(
        "https://raw.githubusercontent.com/{slug}/v{}/ci/gitlab/designgate.yml",
        crate_version()
    )));
}

#[test]
#[cfg_attr(
    not(has_check_jsonschema),
    ignore = "check-jsonschema not on PATH when built"
)]
fn docs_ci_pipelines_match_their_ci_schemas() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut checked = Vec::new();
    for (i, (body, value)) in doc_yaml_blocks().into_iter().enumerate() {
        let schema = if value.get("jobs").is_some() {
            "vendor.github-workflows"
        } else if value.get("pool").is_some() {
            "vendor.azure-pipelines"
        } else if body.contains("label:") {
            "vendor.buildkite"
        } else {
            continue; // GitLab: with the template, above
        };
        let file = dir.path().join(format!("block{i}.yml"));
        fs::write(&file, &body).expect("write");
        let out = check_jsonschema(schema, &file);
        assert!(
            out.status.success(),
            "{schema}:\n{body}\n{}",
            all_output(&out)
        );
        checked.push(schema);
    }
    for schema in [
        "vendor.github-workflows",
        "vendor.azure-pipelines",
        "vendor.buildkite",
    ] {
        assert!(
            checked.contains(&schema),
            "no {schema} block in docs/ci.md: {checked:?}"
        );
    }
}

#[test]
fn the_action_writes_a_sarif_report_when_asked() {
    let sandbox = Sandbox::new();
    let new = without_sla();
    let hosted = hosted(&sandbox, &[&[("design/new.md", &new)]]);
    let ws = hosted.github_checkout("runner", &hosted.merge, "refs/remotes/pull/1/merge");
    let mut gh = Github::new(&sandbox, &ws, "pull_request", &hosted.merge)
        .input("sarif-file", "designgate.sarif");
    gh.event = Some(hosted.pull_request_event());
    let run = gh.run();
    assert_eq!(run.status, 1, "{}", run.show());
    assert_eq!(
        run.outputs.get("sarif-file").map(String::as_str),
        Some("designgate.sarif")
    );
    assert!(
        run.annotations("error")
            .iter()
            .any(|a| names_rule(a, "sla")),
        "annotations as well:\n{}",
        run.show()
    );
    let sarif: Value = serde_json::from_slice(
        &fs::read(ws.dir.join("designgate.sarif")).expect("the SARIF report is written"),
    )
    .expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let located = |r: &Value| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .map(str::to_owned)
    };
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "sla" && located(r).as_deref() == Some("design/new.md")),
        "{sarif}"
    );
    assert!(
        results
            .iter()
            .all(|r| located(r).as_deref() == Some("design/new.md")),
        "only the pull request's document: {sarif}"
    );
}
