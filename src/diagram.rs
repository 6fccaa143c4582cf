//! Diagrams drawn as text: which code blocks are pictures, not code.
//!
//! A fenced block counts as a drawn diagram when its info string names no
//! programming language (none, `text`, `txt`, `plain`, `ascii`, …) and its
//! lines are mostly drawing: box-drawing characters (`┌─┐`, `│`), ASCII boxes
//! and connectors (`+----+`, `|  |`, `-->`, `<--`, `==>`). It needs at least
//! three non-blank lines, two of them with a corner, a box edge or an arrow,
//! half of its lines drawn, and something that connects: an arrow, a
//! junction (`┬`, `-+-`) or two boxes side by side. A directory tree
//! (`├── src`, `|-- src`), a frame around a note, a shell pipeline
//! (`a | b`) and closures (`|x| -> T`) are not diagrams.

/// Info strings that say "not a programming language".
const PLAIN: [&str; 9] = [
    "",
    "text",
    "txt",
    "plain",
    "plaintext",
    "ascii",
    "none",
    "diagram",
    "art",
];

/// Whether a code block with info word `info` and body `body` is a diagram
/// drawn in text.
pub fn is_text_diagram(info: &str, body: &str) -> bool {
    if !PLAIN.iter().any(|p| p.eq_ignore_ascii_case(info)) {
        return false;
    }
    // why: every plain code block of every document comes here (YAML,
    // shell sessions, logs). A diagram needs drawn lines (`is_strong`), and
    // each has a character outside ASCII or an ASCII corner or arrow, all
    // of which have `--` or `==`; a block with neither is not a diagram.
    if body.is_ascii()
        && memchr::memmem::find(body.as_bytes(), b"--").is_none()
        && memchr::memmem::find(body.as_bytes(), b"==").is_none()
    {
        return false;
    }
    is_drawn(body)
}

/// [`is_text_diagram`] for a plain block, without the shortcut.
fn is_drawn(body: &str) -> bool {
    let (mut lines, mut strong, mut drawn, mut connects) = (0usize, 0usize, 0usize, false);
    for line in body.lines().filter(|l| !l.trim().is_empty()) {
        lines += 1;
        if is_tree_line(line) {
            continue;
        }
        if is_strong(line) {
            strong += 1;
            drawn += 1;
        } else if is_weak(line) {
            drawn += 1;
        }
        connects |= connects_things(line);
    }
    lines >= 3 && strong >= 2 && 2 * drawn >= lines && connects
}

fn is_box_char(c: char) -> bool {
    matches!(c, '\u{2500}'..='\u{257F}')
}

fn is_arrow_char(c: char) -> bool {
    matches!(c, '\u{2190}'..='\u{21FF}' | '\u{25B2}'..='\u{25C4}')
}

/// A corner, a box edge or an arrow.
fn is_strong(line: &str) -> bool {
    line.chars().any(|c| is_box_char(c) || is_arrow_char(c))
        || (has_dash_or_equals(line)
            && ["+--", "--+", "-->", "<--", "==>", "<=="]
                .iter()
                .any(|p| line.contains(p)))
}

/// Whether `line` has a `-` or `=`, which every ASCII arrow and corner
/// (`-->`, `==>`, `+--`) has: lines without one skip those searches.
fn has_dash_or_equals(line: &str) -> bool {
    memchr::memchr2(b'-', b'=', line.as_bytes()).is_some()
}

/// The side of a box (`|  text  |`) or a vertical connector (`|`, `v`, `^`).
fn is_weak(line: &str) -> bool {
    let t = line.trim();
    (t.starts_with('|') && t.ends_with('|') && t.len() > 1)
        || t.chars().all(|c| matches!(c, '|' | 'v' | '^' | ' '))
}

/// What makes boxes a picture rather than a frame around a note: an arrow,
/// a junction of lines, or two boxes side by side.
fn connects_things(line: &str) -> bool {
    let t = line.trim();
    line.chars()
        .any(|c| is_arrow_char(c) || matches!(c, '┬' | '┴' | '┼' | '┤' | '╋' | '╦' | '╩'))
        || ((has_dash_or_equals(line) || !line.is_ascii())
            && ["-->", "<--", "==>", "<==", "-+-", "─┼", "┤ "]
                .iter()
                .any(|p| line.contains(p)))
        || matches!(t, "v" | "^" | "V")
        || line.matches('+').count() >= 4
        || line.matches(['┌', '┐', '└', '┘']).count() >= 4
}

/// `├── src`, `└── main.rs`, `|-- src`, `` `-- main.rs ``, `+-- src`.
fn is_tree_line(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\t', '│', '|']);
    ["├──", "└──", "|--", "`--", "+--", "├─", "└─"]
        .iter()
        .any(|p| t.starts_with(p))
        && !t.contains("--+")
        && !t.contains("─┐")
        && !t.contains("─┘")
}

#[cfg(test)]
mod tests {
    use super::{is_drawn, is_text_diagram};

    #[test]
    fn the_shortcut_only_skips_blocks_that_are_not_drawn() {
        let pieces = [
            "+", "-", "--", "=", "==", ">", "<", "|", "v", " ", "\n", "a", "\u{2500}", "\u{2192}",
            "\u{251c}",
        ];
        let mut drawn = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let line = format!("{a}{b}{c}{a}");
                    let body = format!("{line}\n{line} {c}{b}\n{a}{c}\n{line}\n");
                    assert_eq!(is_text_diagram("", &body), is_drawn(&body), "{body:?}");
                    drawn += usize::from(is_drawn(&body));
                }
            }
        }
        // The bodies include diagrams, so the comparison says something.
        assert!(drawn > 0);
    }

    #[test]
    fn drawn_boxes_and_arrows_are_diagrams() {
        let boxes = "┌──────────┬──────────┐\n│  static  │ dynamic  │\n└──────────┴──────────┘\n";
        assert!(is_text_diagram("", boxes));
        let ascii =
            "+--------+      +--------+\n| client | ---> | server |\n+--------+      +--------+\n";
        assert!(is_text_diagram("text", ascii));
        let flow = "kubelet\n   |\n   v\napiserver --> etcd\n   |\n   v\nscheduler --> node\n";
        assert!(is_text_diagram("", flow));
    }

    #[test]
    fn code_trees_and_pipelines_are_not() {
        let ascii =
            "+--------+      +--------+\n| client | ---> | server |\n+--------+      +--------+\n";
        // A language says it is code, whatever it looks like.
        assert!(!is_text_diagram("go", ascii));
        assert!(!is_text_diagram(
            "",
            "├── cmd\n│   └── main.go\n└── pkg\n    └── api.go\n"
        ));
        assert!(!is_text_diagram("", "|-- cmd\n|   `-- main.go\n`-- pkg\n"));
        assert!(!is_text_diagram(
            "",
            "kubectl get pods | grep web | wc -l\n"
        ));
        assert!(!is_text_diagram(
            "",
            "func f() {\n    x := a - b\n    return x\n}\n"
        ));
        // Two lines of arrows are not enough.
        assert!(!is_text_diagram("", "a -> b\nb -> c\n"));
        // A frame around a note is not a picture.
        assert!(!is_text_diagram(
            "",
            "+------ IMPORTANT ------+\n| NOTE: this will not  |\n| graduate to GA.      |\n+-----------------------+\n"
        ));
        // A grammar or closures with `|` and `->`.
        assert!(!is_text_diagram(
            "",
            "CLOSURE = ['ref'] '|' [SELF] {ARG} '|' ['->' TYPE] EXPR\nopt.map(ref |v| {\n    v.fold(|a, &b| a + b)\n})\n"
        ));
        // YAML with a document separator.
        assert!(!is_text_diagram(
            "",
            "---\nkind: Pod\nspec:\n  containers: []\n"
        ));
    }
}
