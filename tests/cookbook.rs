//! Every recipe in docs/cookbook.md works as written.
//!
//! The cookbook marks its parts with HTML comments that GitHub does not
//! render:
//!
//! - `<!-- file: PATH -->` before a fenced block: the block is a file of the
//!   recipe, written to PATH in a fresh folder;
//! - `<!-- run: designgate ARGS (exit N) -->` before a fenced block: running
//!   designgate with ARGS in that folder prints exactly the block on stdout
//!   and exits with N.
//!
//! Each `## ` section is one recipe with its own folder; files accumulate
//! through the recipe, so a later `file:` can change an earlier one and the
//! next `run:` sees the change. `DESIGNGATE_BLESS=1 cargo test --test
//! cookbook` rewrites the expected outputs from what designgate prints.

use std::path::{Path, PathBuf};
use std::process::Command;

const COOKBOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cookbook.md");

#[derive(Debug)]
enum Step {
    File {
        path: String,
        body: String,
    },
    Run {
        args: Vec<String>,
        exit: i32,
        expected: String,
        /// Byte range of the expected block's body in the cookbook.
        body: std::ops::Range<usize>,
    },
}

#[derive(Debug)]
struct Recipe {
    title: String,
    steps: Vec<Step>,
}

/// The fenced block that starts at the first fence line at or after `from`:
/// its body range and the offset after its closing fence.
fn fenced_block(text: &str, from: usize) -> (std::ops::Range<usize>, usize) {
    let rest = &text[from..];
    let open_at = rest
        .find("```")
        .unwrap_or_else(|| panic!("no code block after byte {from}"));
    let line_start = from + open_at;
    let fence_len = text[line_start..].chars().take_while(|&c| c == '`').count();
    let fence = "`".repeat(fence_len);
    let body_start = line_start
        + text[line_start..]
            .find('\n')
            .expect("an opening fence ends its line")
        + 1;
    let mut pos = body_start;
    loop {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = text[pos..line_end].trim_end();
        if line == fence {
            return (body_start..pos, line_end);
        }
        assert!(
            line_end < text.len(),
            "unclosed code block at byte {line_start}"
        );
        pos = line_end;
    }
}

fn parse(text: &str) -> Vec<Recipe> {
    let mut recipes: Vec<Recipe> = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = text[pos..line_end].trim_end();
        if let Some(title) = line.strip_prefix("## ") {
            recipes.push(Recipe {
                title: title.to_owned(),
                steps: Vec::new(),
            });
        } else if let Some(path) = line
            .strip_prefix("<!-- file: ")
            .and_then(|l| l.strip_suffix(" -->"))
        {
            let (body, after) = fenced_block(text, line_end);
            recipes
                .last_mut()
                .expect("a file inside a recipe")
                .steps
                .push(Step::File {
                    path: path.to_owned(),
                    body: text[body].to_owned(),
                });
            pos = after;
            continue;
        } else if let Some(cmd) = line
            .strip_prefix("<!-- run: ")
            .and_then(|l| l.strip_suffix(" -->"))
        {
            let (cmd, exit) = match cmd.rsplit_once(" (exit ") {
                Some((cmd, code)) => (
                    cmd,
                    code.trim_end_matches(')')
                        .parse()
                        .expect("exit code is a number"),
                ),
                None => (cmd, 0),
            };
            let mut words = cmd.split_whitespace().map(str::to_owned);
            assert_eq!(words.next().as_deref(), Some("designgate"), "{cmd}");
            let (body, after) = fenced_block(text, line_end);
            recipes
                .last_mut()
                .expect("a run inside a recipe")
                .steps
                .push(Step::Run {
                    args: words.collect(),
                    exit,
                    expected: text[body.clone()].to_owned(),
                    body,
                });
            pos = after;
            continue;
        }
        pos = line_end;
    }
    recipes
}

fn run(dir: &Path, args: &[String]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_designgate"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap_or(dir))
        .output()
        .expect("designgate runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_recipe_works_as_written() {
    let text = std::fs::read_to_string(COOKBOOK).expect("docs/cookbook.md exists");
    let recipes = parse(&text);
    assert!(
        recipes.iter().filter(|r| !r.steps.is_empty()).count() >= 8,
        "the cookbook has its recipes"
    );
    let bless = std::env::var_os("DESIGNGATE_BLESS").is_some();
    let mut blessed: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut failures = Vec::new();
    for recipe in &recipes {
        if recipe.steps.is_empty() {
            continue;
        }
        assert!(
            recipe.steps.iter().any(|s| matches!(s, Step::Run { .. })),
            "recipe `{}` runs nothing",
            recipe.title
        );
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir: PathBuf = tmp.path().join("repo");
        std::fs::create_dir_all(&dir).expect("repo dir");
        for step in &recipe.steps {
            match step {
                Step::File { path, body } => {
                    let file = dir.join(path);
                    std::fs::create_dir_all(file.parent().expect("a parent")).expect("mkdir");
                    std::fs::write(&file, body).expect("write recipe file");
                }
                Step::Run {
                    args,
                    exit,
                    expected,
                    body,
                } => {
                    let (code, stdout, stderr) = run(&dir, args);
                    if bless {
                        blessed.push((body.clone(), stdout.clone()));
                    } else if stdout != *expected {
                        failures.push(format!(
                            "recipe `{}`: `designgate {}` printed\n{stdout}\nexpected\n{expected}\nstderr: {stderr}",
                            recipe.title,
                            args.join(" ")
                        ));
                    }
                    if code != *exit {
                        failures.push(format!(
                            "recipe `{}`: `designgate {}` exited with {code}, the cookbook says {exit}\nstdout: {stdout}\nstderr: {stderr}",
                            recipe.title,
                            args.join(" ")
                        ));
                    }
                }
            }
        }
    }
    if bless {
        let mut text = text;
        for (range, stdout) in blessed.into_iter().rev() {
            text.replace_range(range, &stdout);
        }
        std::fs::write(COOKBOOK, text).expect("rewrite the cookbook");
    }
    assert!(
        failures.is_empty(),
        "{}\n(DESIGNGATE_BLESS=1 cargo test --test cookbook rewrites the outputs)",
        failures.join("\n---\n")
    );
}
