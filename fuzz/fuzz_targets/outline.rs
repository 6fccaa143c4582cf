//! The headings-only parse against the full one: wherever
//! `markdown::parse_outline` gives a document (it may give up), its front
//! matter, sections (level, title, title words, heading range, end,
//! nesting) and title must be what `markdown::parse` gives. The input is
//! the document's text (UTF-8 only: the parse never sees anything else).
#![no_main]

use designgate::markdown::{Document, parse, parse_outline};
use libfuzzer_sys::fuzz_target;

fn outline(doc: &Document) -> String {
    let mut out = format!(
        "front matter {:?} title {:?} {:?}\n",
        doc.front_matter
            .as_ref()
            .map(|f| (f.kind, f.range.clone(), f.data.is_ok())),
        doc.title,
        doc.title_section()
    );
    for s in &doc.sections {
        out += &format!(
            "h{} {:?} {:?} {:?} end {} parent {:?} subtree {}\n",
            s.level, s.title, s.title_words, s.heading, s.end, s.parent, s.subtree_end
        );
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(fast) = parse_outline(text) {
        assert_eq!(
            outline(&fast),
            outline(&parse(text)),
            "the headings-only parse differs from the full parse"
        );
    }
});
