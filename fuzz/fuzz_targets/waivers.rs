//! Waiver parsing: documents built from pieces that waivers are made of
//! (front-matter `waivers:` lists in YAML and TOML, inline
//! `<!-- designgate: waive … -->` comments with odd spacing, dates and
//! reasons, inside and outside code, before and after headings), linted with
//! a built-in pack.
//!
//! Besides the invariants of every report, a waiver must never cover a rule
//! that is not waivable, never apply after its expiry date or without a
//! reason, and an inline waiver covers findings of its own section only.
#![no_main]

use arbitrary::Arbitrary;
use designgate::markdown;
use designgate_fuzz::{RULE_SETS, check_report, lint_bytes};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    pack: u8,
    bom: bool,
    crlf: bool,
    front: Option<Front>,
    blocks: Vec<Block>,
}

#[derive(Arbitrary, Debug)]
enum Front {
    Yaml(Vec<FmWaiver>, String),
    Toml(Vec<FmWaiver>),
    /// `waivers:` that is not a list.
    Scalar(Text),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct FmWaiver {
    rule: Name,
    reason: Option<Text>,
    expires: Option<DateLike>,
    /// `until:` instead of `expires:`.
    until_key: bool,
}

#[derive(Arbitrary, Debug)]
enum Name {
    /// A rule of the pack, by index.
    Known(u8),
    Raw(Text),
}

/// Short text from a palette of tricky pieces, or anything.
#[derive(Arbitrary, Debug)]
enum Text {
    Piece(u8),
    Raw(String),
}

const PIECES: &[&str] = &[
    "",
    " ",
    "internal tool",
    "reason: x",
    ":",
    "--",
    "-->",
    "<!--",
    "\u{1b}]52;c;SGVsbG8=\u{7}",
    "\u{202e}txt.exe",
    "é",
    "\r",
    "\n",
    "\"quoted\"",
    "'",
    "[a, b]",
    "{x: 1}",
    "null",
    "~",
    "until",
    "waive",
    "TBD",
    "N/A",
    "\u{feff}",
    "\0",
];

#[derive(Arbitrary, Debug)]
enum DateLike {
    Valid { year: u8, month: u8, day: u8 },
    Raw(Text),
}

#[derive(Arbitrary, Debug)]
enum Block {
    Heading {
        level: u8,
        name: Name,
        setext: bool,
    },
    Prose(Text),
    Words(u8),
    Placeholder,
    Waiver(Inline),
    /// A waiver comment inside a code fence (text, not a waiver).
    Fenced(Inline),
    /// Several comments in one HTML block.
    Html(Vec<Inline>),
    Link(Text),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct Inline {
    verb: Verb,
    rule: Name,
    until: Option<DateLike>,
    colon: bool,
    reason: Text,
    /// Line breaks and spaces inside the comment.
    newlines: bool,
    unclosed: bool,
}

#[derive(Arbitrary, Debug)]
enum Verb {
    Waive,
    Typo,
    Raw(Text),
}

fn text(t: &Text) -> &str {
    match t {
        Text::Piece(i) => PIECES[usize::from(*i) % PIECES.len()],
        Text::Raw(s) => s,
    }
}

struct Ctx<'a> {
    ids: Vec<&'a str>,
    titles: Vec<&'a str>,
}

impl Ctx<'_> {
    fn name<'n>(&'n self, n: &'n Name, headings: bool) -> &'n str {
        match n {
            Name::Known(i) => {
                let list = if headings { &self.titles } else { &self.ids };
                list.get(usize::from(*i) % list.len().max(1))
                    .copied()
                    .unwrap_or("Title")
            }
            Name::Raw(t) => text(t),
        }
    }
}

fn date(d: &DateLike) -> String {
    match d {
        DateLike::Valid { year, month, day } => format!(
            "{:04}-{:02}-{:02}",
            1990 + u32::from(*year) % 80,
            1 + month % 12,
            1 + day % 31
        ),
        DateLike::Raw(t) => text(t).to_owned(),
    }
}

fn inline(ctx: &Ctx<'_>, w: &Inline, out: &mut String) {
    let sep = if w.newlines { "\n  " } else { " " };
    out.push_str("<!--");
    out.push_str(sep);
    out.push_str("designgate:");
    out.push_str(sep);
    out.push_str(match &w.verb {
        Verb::Waive => "waive",
        Verb::Typo => "wavie",
        Verb::Raw(t) => text(t),
    });
    out.push(' ');
    out.push_str(ctx.name(&w.rule, false));
    if let Some(d) = &w.until {
        out.push_str(" until ");
        out.push_str(&date(d));
    }
    if w.colon {
        out.push(':');
    }
    out.push(' ');
    out.push_str(text(&w.reason));
    if !w.unclosed {
        out.push_str(sep);
        out.push_str("-->");
    }
    out.push('\n');
}

fn render(ctx: &Ctx<'_>, input: &Input) -> String {
    let mut out = String::new();
    if input.bom {
        out.push('\u{feff}');
    }
    match &input.front {
        None => {}
        Some(Front::Yaml(ws, extra)) => {
            out.push_str("---\nstatus: draft\nwaivers:\n");
            for w in ws {
                out.push_str("  - rule: ");
                out.push_str(ctx.name(&w.rule, false));
                out.push('\n');
                if let Some(r) = &w.reason {
                    out.push_str("    reason: ");
                    out.push_str(text(r));
                    out.push('\n');
                }
                if let Some(d) = &w.expires {
                    out.push_str(if w.until_key {
                        "    until: "
                    } else {
                        "    expires: "
                    });
                    out.push_str(&date(d));
                    out.push('\n');
                }
            }
            out.push_str(extra);
            out.push_str("\n---\n");
        }
        Some(Front::Toml(ws)) => {
            out.push_str("+++\n");
            for w in ws {
                out.push_str("[[waivers]]\nrule = ");
                out.push_str(&toml_string(ctx.name(&w.rule, false)));
                out.push('\n');
                if let Some(r) = &w.reason {
                    out.push_str("reason = ");
                    out.push_str(&toml_string(text(r)));
                    out.push('\n');
                }
                if let Some(d) = &w.expires {
                    out.push_str(if w.until_key {
                        "until = "
                    } else {
                        "expires = "
                    });
                    out.push_str(&date(d));
                    out.push('\n');
                }
            }
            out.push_str("+++\n");
        }
        Some(Front::Scalar(t)) => {
            out.push_str("---\nwaivers: ");
            out.push_str(text(t));
            out.push_str("\n---\n");
        }
        Some(Front::Raw(s)) => {
            out.push_str("---\n");
            out.push_str(s);
            out.push_str("\n---\n");
        }
    }
    for b in &input.blocks {
        match b {
            Block::Heading {
                level,
                name,
                setext,
            } => {
                let title = ctx.name(name, true);
                if *setext {
                    out.push_str(title);
                    out.push_str(if level % 2 == 0 { "\n===\n" } else { "\n---\n" });
                } else {
                    out.push_str(&"#".repeat(1 + usize::from(level % 6)));
                    out.push(' ');
                    out.push_str(title);
                    out.push('\n');
                }
            }
            Block::Prose(t) => {
                out.push_str(text(t));
                out.push('\n');
            }
            Block::Words(n) => {
                for i in 0..*n {
                    out.push_str(
                        ["latency ", "p99 ", "200ms ", "owner ", "runbook "][usize::from(i) % 5],
                    );
                }
                out.push('\n');
            }
            Block::Placeholder => out.push_str("TBD\n"),
            Block::Waiver(w) => inline(ctx, w, &mut out),
            Block::Fenced(w) => {
                out.push_str("```\n");
                inline(ctx, w, &mut out);
                out.push_str("```\n");
            }
            Block::Html(ws) => {
                out.push_str("<div>\n");
                for w in ws {
                    inline(ctx, w, &mut out);
                }
                out.push_str("</div>\n");
            }
            Block::Link(t) => {
                out.push_str("[x](");
                out.push_str(text(t));
                out.push_str(")\n");
            }
            Block::Raw(s) => out.push_str(s),
        }
        out.push('\n');
    }
    if input.crlf {
        out = out.replace('\n', "\r\n");
    }
    out
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fuzz_target!(|input: Input| {
    let rules = &RULE_SETS[usize::from(input.pack) % RULE_SETS.len()];
    let ctx = Ctx {
        ids: rules.rules.iter().map(|r| r.id.as_str()).collect(),
        titles: rules
            .rules
            .iter()
            .flat_map(|r| r.headings.first().map(String::as_str))
            .collect(),
    };
    let doc = render(&ctx, &input);
    let report = lint_bytes(rules, doc.as_bytes());
    let again = lint_bytes(rules, doc.as_bytes());
    assert_eq!(
        report.diagnostics, again.diagnostics,
        "lint is not deterministic"
    );

    // An inline waiver covers findings of its own section (with
    // subsections) only; a front-matter waiver sits in the front matter.
    let parsed = markdown::parse(&doc);
    let front = parsed.front_matter.as_ref().map(|f| f.range.clone());
    for d in &report.diagnostics {
        let Some(w) = &d.waived else { continue };
        if front
            .as_ref()
            .is_some_and(|r| r.start <= w.at && w.at <= r.end)
        {
            continue;
        }
        if let Some(s) = parsed
            .sections
            .iter()
            .rfind(|s| s.heading.start <= w.at && w.at < s.end)
        {
            assert!(
                s.heading.start <= d.range.start && d.range.start < s.end,
                "inline waiver at {} covers a finding outside its section: {d:?}",
                w.at
            );
        }
    }
    check_report(rules, report);
});
