//! Raw escapes reach the terminal (issue 9, "Terminal and git hygiene"):
//! file names, config text and document text from a repository carry ESC,
//! BEL, an OSC 52 clipboard write and bidi overrides. Nothing of it may
//! reach stdout or stderr raw, in any command or format.

use std::os::unix::ffi::OsStrExt;

use serde_json::Value;

use super::bounds_harness::{Hostile, Ran, designgate};

/// An OSC 52 clipboard write, a bell, a screen clear, a right-to-left
/// override and an isolate: what a hostile repository hides in names.
const NASTY: &str = "\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}[2J\u{202e}gpj.\u{2066}x\u{2069}";

/// Fails if `bytes` hold a raw escape, bell, C1 control or an invisible
/// bidi/format character.
fn assert_clean(what: &str, bytes: &[u8]) {
    assert!(
        !bytes.contains(&0x1b),
        "{what}: raw ESC in {}",
        String::from_utf8_lossy(bytes)
    );
    assert!(
        !bytes.contains(&0x07),
        "{what}: raw BEL in {}",
        String::from_utf8_lossy(bytes)
    );
    let text = String::from_utf8_lossy(bytes);
    for c in text.chars() {
        let control = c.is_control() && c != '\n';
        let bidi = matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}'
        );
        assert!(!control && !bidi, "{what}: raw {c:?} in {text}");
    }
}

fn assert_ran_clean(what: &str, ran: &Ran) {
    // designgate's own colours (`--color always`) are the only escapes
    // allowed: `ESC [ 0 m`, `ESC [ 31;1 m` and the like.
    let own = regex::bytes::Regex::new(r"\x1b\[(?:(?:0|1|2|31|33|34|36);?)+m").expect("a regex");
    assert_clean(
        &format!("{what} stdout"),
        &own.replace_all(&ran.raw_stdout, &b""[..]),
    );
    assert_clean(&format!("{what} stderr"), &ran.raw_stderr);
}

#[test]
fn file_names_and_excerpts_with_escapes_are_shown_inert() {
    let repo = Hostile::new();
    let name = format!("design/{NASTY}.md");
    repo.write_bytes(
        name.as_bytes(),
        format!("# A\n\n## SLA\n\nTBD {NASTY} and more\n").as_bytes(),
    );
    for args in [
        &["check"][..],
        &["check", "--format", "concise"],
        &["--color", "always", "check"],
    ] {
        let ran = designgate(repo.path(), args);
        assert_eq!(ran.code, 1, "{args:?}: {}", ran.stderr);
        assert_ran_clean(&format!("{args:?}"), &ran);
        // Shown, not dropped: the control pictures stand in for them.
        assert!(ran.stdout.contains("␛]52;c;"), "{args:?}: {}", ran.stdout);
    }
    // JSON escapes them: the same value, and no raw byte on the terminal.
    let ran = designgate(repo.path(), &["check", "--format", "json"]);
    assert_ran_clean("json", &ran);
    let json: Value = serde_json::from_str(&ran.stdout).expect("one JSON document");
    let paths: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["path"].as_str())
        .collect();
    assert!(paths.contains(&name.as_str()), "{paths:?}");
}

#[test]
fn an_unreadable_document_named_with_escapes_is_reported_inert_on_stderr() {
    let repo = Hostile::new();
    let name = format!("design/{NASTY}.md");
    // A dangling symlink: listed as a document, and reading it fails.
    std::os::unix::fs::symlink(
        std::ffi::OsStr::from_bytes(b"/nonexistent/\x1b]52;c;eA==\x07"),
        repo.path()
            .join(std::ffi::OsStr::from_bytes(name.as_bytes())),
    )
    .expect("make a symlink");
    // As a hook manager passes it: by name.
    let ran = designgate(repo.path(), &["check", &name]);
    assert_ran_clean("unreadable", &ran);
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("␛]52;c;"), "{}", ran.stderr);
    // A name that does not exist at all.
    let ran = designgate(repo.path(), &["check", &format!("design/{NASTY}-gone.md")]);
    assert_ran_clean("missing", &ran);
    assert_eq!(ran.code, 2, "{}", ran.stderr);
}

#[test]
fn config_errors_do_not_carry_escapes_to_stderr() {
    let repo = Hostile::new();
    repo.write("design/a.md", "# A\n");
    // An unknown key: the message quotes it.
    repo.write(
        "designgate.toml",
        "\"\\u001b]52;c;cm0gLXJmIH4=\\u0007\\u202e\" = 1\n",
    );
    for args in [&["check"][..], &["rules"], &["explain", "sla"]] {
        let ran = designgate(repo.path(), args);
        assert_eq!(ran.code, 2, "{args:?}: {}", ran.stderr);
        assert!(ran.stderr.contains("unknown"), "{args:?}: {}", ran.stderr);
        assert_ran_clean(&format!("{args:?}"), &ran);
    }
}

#[test]
fn rules_and_explain_show_a_hostile_config_inert() {
    let repo = Hostile::new();
    repo.write("design/a.md", "# A\n");
    let evil = "\\u001b]52;c;cm0gLXJmIH4=\\u0007\\u001b[2J\\u202e";
    repo.write(
        "designgate.toml",
        &format!(
            "[[rule]]\nid = \"evil\"\ntitle = \"Evil {evil}\"\nheadings = [\"Evil {evil}\"]\nrequired = true\n\
             description = \"Why {evil}\"\nhelp = \"Fix {evil}\"\nexample = \"## Evil {evil}\"\n\
             [[rule.forbid]]\npattern = 'TBD'\nmessage = \"no {evil}\"\n"
        ),
    );
    for args in [
        &["rules"][..],
        &["--color", "always", "rules"],
        &["rules", "--format", "json"],
        &["explain", "evil"],
        &["check"],
        &["check", "--format", "json"],
    ] {
        let ran = designgate(repo.path(), args);
        assert!(ran.code == 0 || ran.code == 1, "{args:?}: {}", ran.stderr);
        assert_ran_clean(&format!("{args:?}"), &ran);
    }
    let ran = designgate(repo.path(), &["explain", "evil"]);
    assert!(ran.stdout.contains("Evil ␛]52;c;"), "{}", ran.stdout);
    // Multi-line text keeps its lines.
    assert!(ran.stdout.contains("\nWhy ␛]52"), "{}", ran.stdout);
}
