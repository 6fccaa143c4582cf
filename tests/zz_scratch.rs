#![allow(clippy::unwrap_used, clippy::print_stdout)]
use designgate::error::line_column;
use designgate::markdown::{Document, count_words, parse};
use std::time::Instant;
include!("/tmp/cd.rs");
#[test]
fn scratch() {
    let files: Vec<_> = walkdir::WalkDir::new("/work/shared/corpus")
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    let docs: Vec<_> = files.iter().map(|t| parse(t)).collect();
    let t = Instant::now();
    for (f, d) in files.iter().zip(&docs) {
        check_document(f, d).unwrap();
    }
    println!("check {:?}", t.elapsed());
}
