//! Hostile raw HTML: the tag scanner that finds `<img>`, `<source>` and
//! `<a>` in a document (src/html.rs) meets unterminated tags and quotes,
//! endless comments and character references, a megabyte of them. The gate
//! must finish quickly, still check the links before them, and never panic.

use std::time::{Duration, Instant};

use crate::support::{Sandbox, all_output};

#[test]
fn hostile_html_is_scanned_in_bounded_time() {
    let sandbox = Sandbox::new();
    let repo = sandbox.repo("r");
    let mut doc = String::from(
        "# Payments\n\n<p><img src=\"first.png\" srcset=\"first.png 1x, second.png 2x\"></p>\n\n\
         See <a href='../missing.md#part'>notes</a> and <sam@example.com>.\n\n",
    );
    let unit =
        "<a href=\"x<img src='y &#xFFFFFFFF; &amp &#99999999999; <source srcset=\", , ,\" \n";
    while doc.len() < 1_000_000 {
        doc.push_str(unit);
    }
    doc.push_str("\n\n<div><!--");
    doc.push_str(&"<!-- <img src=z.png> ".repeat(20_000));
    doc.push_str("\n\n<img src=\"after-comment.png\">\n");
    repo.write("design/payments.md", &doc);

    let started = Instant::now();
    let out = repo.designgate(&["check", "--format", "json", "design/payments.md"]);
    let took = started.elapsed();
    let text = all_output(&out);
    assert!(
        took < Duration::from_secs(20),
        "took {took:?} on a megabyte of hostile HTML"
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        &text[..text.len().min(2000)]
    );
    for target in ["design/first.png", "design/second.png", "missing.md"] {
        assert!(
            text.contains(&format!("target `{target}` does not exist")),
            "no broken-link finding for {target}: {}",
            &text[..text.len().min(4000)]
        );
    }
    // The e-mail autolink is not a file; the image after a comment left
    // open is hidden, as a browser hides it.
    assert!(
        !text.contains("example.com` does not exist"),
        "{text:.4000}"
    );
    assert!(!text.contains("after-comment.png"), "{text:.4000}");
}
