#![allow(clippy::unwrap_used, clippy::print_stdout)]
use designgate::markdown::parse;
use designgate::error::line_column;
#[test]
fn scratch() {
    let p = std::env::var("DOC").unwrap();
    let s = std::fs::read_to_string(&p).unwrap();
    let d = parse(&s);
    if let Some(f) = &d.front_matter { println!("fm {:?}", f.data); }
    for (i, x) in d.sections.iter().enumerate() {
        println!("[{i}] {}{} {:?} L{} own={} sub={}", " ".repeat(x.level as usize), x.level, x.title, line_column(s.as_bytes(), x.heading.start).0, x.own_words, d.subtree_words(i));
    }
}
