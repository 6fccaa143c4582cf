//! Finds the images and links of raw HTML in a Markdown document:
//! `<img src>`, `<img srcset>`, `<source src>`, `<source srcset>` and
//! `<a href>`, outside comments, `<script>` and `<style>`. A small tag
//! scanner, not an HTML parser: tag and attribute names are
//! case-insensitive, values are double-quoted, single-quoted or unquoted,
//! and character references (`&amp;`) in values are decoded. It reads each
//! byte a bounded number of times, so hostile HTML costs linear time.

use std::ops::Range;

use crate::markdown::ElementKind;

/// One image or link found in HTML: the tag's byte range (relative to the
/// scanned text) and the URL as the browser would read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: ElementKind,
    pub range: Range<usize>,
    pub url: String,
}

/// Scans one piece of raw HTML. `in_comment` carries an unclosed `<!--`
/// from one piece to the next (an HTML block may open a comment that a
/// later one closes) and is left set if this piece ends inside one.
pub fn scan(html: &str, in_comment: &mut bool) -> Vec<Found> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if *in_comment {
            match html[at..].find("-->") {
                Some(end) => {
                    at += end + 3;
                    *in_comment = false;
                }
                None => return found,
            }
            continue;
        }
        let Some(lt) = html[at..].find('<') else {
            break;
        };
        let start = at + lt;
        let rest = &html[start + 1..];
        if rest.starts_with("!--") {
            *in_comment = true;
            at = start + 4;
            continue;
        }
        let name_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        let name = &rest[..name_len];
        if name_len == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
            at = start + 1;
            continue;
        }
        let Some((attrs, end)) = attributes(html, start + 1 + name_len) else {
            // An unterminated tag swallows the rest, as in a browser.
            break;
        };
        at = end;
        let range = start..end;
        if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style") {
            // Their content is not markup; skip to the closing tag.
            let close = format!("</{}", name.to_ascii_lowercase());
            match find_ascii_ci(&html[at..], &close) {
                Some(i) => at += i,
                None => break,
            }
            continue;
        }
        let kind = if name.eq_ignore_ascii_case("a") {
            ElementKind::Link
        } else if name.eq_ignore_ascii_case("img") || name.eq_ignore_ascii_case("source") {
            ElementKind::Image
        } else {
            continue;
        };
        for (key, value) in attrs {
            let urls: Vec<String> = match (kind, key.to_ascii_lowercase().as_str()) {
                (ElementKind::Link, "href") | (ElementKind::Image, "src") => {
                    vec![decode(value).trim().to_owned()]
                }
                (ElementKind::Image, "srcset") => srcset(&decode(value)),
                _ => continue,
            };
            for url in urls.into_iter().filter(|u| !u.is_empty()) {
                // `src="a.png" srcset="a.png 1x, ..."` names one file once.
                if found
                    .iter()
                    .any(|f: &Found| f.range == range && f.url == url)
                {
                    continue;
                }
                found.push(Found {
                    kind,
                    range: range.clone(),
                    url,
                });
            }
        }
    }
    found
}

/// Reads the attributes of a tag from `at` (just after its name) to its
/// `>`: the (name, raw value) pairs and the offset after the `>`. `None`
/// if the tag never ends.
fn attributes(html: &str, mut at: usize) -> Option<(Vec<(&str, &str)>, usize)> {
    let bytes = html.as_bytes();
    let mut attrs = Vec::new();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if *bytes.get(at)? == b'>' {
            return Some((attrs, at + 1));
        }
        let name_start = at;
        while at < bytes.len()
            && !bytes[at].is_ascii_whitespace()
            && !matches!(bytes[at], b'=' | b'>' | b'/' | b'"' | b'\'')
        {
            at += 1;
        }
        if at == name_start {
            // A stray quote: skip it.
            at += 1;
            continue;
        }
        let name = &html[name_start..at];
        let mut after = at;
        while after < bytes.len() && bytes[after].is_ascii_whitespace() {
            after += 1;
        }
        if bytes.get(after) != Some(&b'=') {
            attrs.push((name, ""));
            continue;
        }
        at = after + 1;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let value = match bytes.get(at)? {
            &q @ (b'"' | b'\'') => {
                let end = at + 1 + html[at + 1..].find(q as char)?;
                let value = &html[at + 1..end];
                at = end + 1;
                value
            }
            _ => {
                let start = at;
                while at < bytes.len() && !bytes[at].is_ascii_whitespace() && bytes[at] != b'>' {
                    at += 1;
                }
                &html[start..at]
            }
        };
        attrs.push((name, value));
    }
}

/// The URLs of a `srcset`: comma-separated candidates, each a URL and an
/// optional descriptor (`a.png 1x, b.png 2x`).
fn srcset(value: &str) -> Vec<String> {
    value
        .split(',')
        .filter_map(|candidate| candidate.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// Byte offset of `needle` (ASCII) in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    // why: a linear search keyed on the first byte; `needle` is a short
    // tag name, so each start costs at most its length.
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Decodes the character references a URL attribute may hold: the named
/// ones URLs use (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`) and numeric
/// ones (`&#38;`, `&#x26;`). Anything else is kept as written.
pub fn decode(value: &str) -> String {
    if !value.contains('&') {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .bytes()
            .take(10)
            .position(|b| b == b';')
            .map(|p| p + 1);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            };
            c.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(html: &str) -> Vec<(ElementKind, String)> {
        let mut in_comment = false;
        scan(html, &mut in_comment)
            .into_iter()
            .map(|f| (f.kind, f.url))
            .collect()
    }

    #[test]
    fn images_and_links_with_any_quoting_and_case() {
        assert_eq!(
            urls(
                r#"<p align="center"><IMG SRC='arch.png' width=400><a href=x.md title="a > b">x</a>
<picture><source srcset="a.png 1x, b.png 2x" media="(x)"><img src="c.svg?raw=true&amp;v=1" srcset="c.svg?raw=true&#38;v=1 1x" alt=""></picture>
<a name="anchor"></a><img alt="no source">"#
            ),
            [
                (ElementKind::Image, "arch.png".to_owned()),
                (ElementKind::Link, "x.md".to_owned()),
                (ElementKind::Image, "a.png".to_owned()),
                (ElementKind::Image, "b.png".to_owned()),
                (ElementKind::Image, "c.svg?raw=true&v=1".to_owned()),
            ]
        );
    }

    #[test]
    fn comments_scripts_and_broken_tags_hide_nothing_else() {
        assert_eq!(
            urls(
                "<!-- <img src=\"gone.png\"> --><img src=kept.png><script>x = '<a href=\"no.md\">'</script><a href=\"yes.md\">"
            ),
            [
                (ElementKind::Image, "kept.png".to_owned()),
                (ElementKind::Link, "yes.md".to_owned()),
            ]
        );
        // A comment left open carries over to the next piece.
        let mut in_comment = false;
        assert!(scan("<div><!-- <img src=a.png>", &mut in_comment).is_empty());
        assert!(in_comment);
        assert_eq!(
            scan("<img src=b.png> --> <img src=c.png>", &mut in_comment).len(),
            1
        );
        assert!(!in_comment);
        // Unterminated tags and quotes, `a <b` in text: no panic, no URL.
        for text in [
            "<img src=\"x.png",
            "<img src=",
            "<a href",
            "1 < 2 <3",
            "<",
            "<-->",
            "&#xFFFFFFFF;",
        ] {
            assert!(urls(text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn character_references() {
        assert_eq!(decode("a&amp;b&#38;c&#x26;d&lt;&nope;&"), "a&b&c&d<&nope;&");
        assert_eq!(decode("&#0;&#55296;"), "\u{0}&#55296;");
    }

    #[test]
    fn hostile_input_is_linear() {
        let text = "<a ".repeat(20_000) + &"<!--".repeat(20_000) + &"\"".repeat(20_000);
        let started = std::time::Instant::now();
        let _ = urls(&text);
        assert!(started.elapsed().as_secs() < 5);
    }
}
