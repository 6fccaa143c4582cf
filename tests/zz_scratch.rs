#![allow(clippy::unwrap_used, clippy::print_stdout)]
use designgate::markdown::parse;
use designgate::error::line_column;
fn dump(name: &str, s: &str) {
    let d = parse(s);
    println!("== {name}");
    for (i, x) in d.sections.iter().enumerate() {
        println!("  [{i}] L{} {:?} line={:?} parent={:?} sub={} own={} heading={:?} end={}", x.level, x.title, line_column(s.as_bytes(), x.heading.start), x.parent, x.subtree_end, x.own_words, &s[x.heading.clone()], x.end);
    }
    println!("  prose={:?}", d.prose);
    if let Some(f) = &d.front_matter { println!("  fm={:?} {:?} {:?} {:?}", f.kind, f.range, &s[f.range.clone()], f.data); if let Err(e) = &f.data { println!("  err at {:?}", line_column(s.as_bytes(), e.offset)); } }
}
#[test]
fn scratch() {
    dump("fm+break", "---\ntitle: x\n---\n# T\n\n## A\n\ntext\n\n---\n## B\n\nbody\n\n---\n\n## C\n\nmore\n");
    dump("crlf fm err", "---\r\na: 1\r\nb: 2\r\nc: [\r\n---\r\n# T\r\n");
    dump("crlf toml err", "+++\r\na = 1\r\nb = 2\r\nc = \r\n+++\r\n# T\r\n");
    dump("yaml dup", "---\na: 1\na: 2\n---\n");
    dump("yaml tab", "---\na:\n\t- b\n---\n");
    dump("yaml indent", "---\nkey: value\n  bad: indent\n---\n");
    dump("yaml unclosed quote", "---\ntitle: \"abc\nx: 1\n---\n");
    dump("empty fm", "---\n---\n# T\n");
    dump("dots", "---\na: 1\n...\n# T\n");
    dump("----", "----\na: 1\n----\n# T\n");
    dump("bom fm", "\u{feff}---\na: [\n---\n# Title\n\ntext TBD\n");
}
