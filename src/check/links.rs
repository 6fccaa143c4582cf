//! Link checks: relative links and images must point at files that exist in
//! the snapshot being checked, inside the repository. External URLs are
//! accepted and never fetched.

use std::ops::Range;

use super::{Budget, Matched};
use crate::diagnostic::Diagnostic;
use crate::markdown::{Element, ElementKind};
use crate::snapshot::{Entry, LinkTarget, resolve_link};

/// The check name of a link finding.
pub const BROKEN_LINK: &str = "broken-link";

/// What a link or image points at, as far as checks care.
pub(super) enum Target {
    /// A URL, an anchor, or a path the snapshot has.
    Fine,
    /// A repository path the snapshot does not have.
    Missing(String),
    /// A path outside the repository: never read.
    Outside,
}

/// Judges the destination of link or image `e` against the snapshot.
pub(super) fn target(m: &Matched<'_>, e: &Element) -> Target {
    match resolve_link(m.ctx.path, &e.target) {
        LinkTarget::External | LinkTarget::Fragment => Target::Fine,
        LinkTarget::Outside => Target::Outside,
        LinkTarget::Path(path) => {
            if m.ctx.snapshot.entry(&path) == Entry::Missing {
                Target::Missing(path)
            } else {
                Target::Fine
            }
        }
    }
}

/// Checks the links and images whose start lies in one of `ranges` (or
/// anywhere, for `None`).
pub fn check_links(m: &Matched<'_>, ranges: Option<&[Range<usize>]>, out: &mut Vec<Diagnostic>) {
    let mut budget = Budget::new(out.len());
    for e in &m.doc.elements {
        if !matches!(e.kind, ElementKind::Link | ElementKind::Image)
            || ranges.is_some_and(|r| !in_ranges(r, e.range.start))
        {
            continue;
        }
        let what = if e.kind == ElementKind::Image {
            "image"
        } else {
            "link"
        };
        let (message, help) = match target(m, e) {
            Target::Fine => continue,
            _ if budget.full(out, e.range.clone()) => continue,
            Target::Outside => (
                format!("{what} `{}` points outside the repository", e.target),
                "link to a file inside the repository, or to a URL",
            ),
            Target::Missing(path) => (
                format!(
                    "{what} target `{path}` does not exist in {}",
                    m.ctx.snapshot.describe()
                ),
                "fix the path, or add (and stage) the file",
            ),
        };
        out.push(m.finding(BROKEN_LINK, e.range.clone(), message, Some(help.to_owned())));
    }
    budget.finish(m, BROKEN_LINK, "link", out);
}
/// Whether `at` lies in one of `ranges` (sorted, not overlapping: the
/// outermost sections of a rule), by binary search.
fn in_ranges(ranges: &[Range<usize>], at: usize) -> bool {
    let i = ranges.partition_point(|r| r.start <= at);
    i > 0 && ranges[i - 1].contains(&at)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::pack::RuleSet;

    #[test]
    fn relative_targets_must_exist_and_stay_inside() {
        let mut rules = RuleSet::default();
        rules
            .add_pack(
                Path::new("t.toml"),
                "[pack]\nname = \"t\"\n[[rule]]\nid = \"links\"\ntitle = \"Links\"\nlinks = true\n",
                "t",
            )
            .unwrap();
        assert_eq!(
            crate::check::test_support::lint(
                "# T\n\n[ok](https://example.com) [frag](#t) ![d](d.png)\n\n[up](../../../x)\n",
                &rules
            ),
            [
                "broken-link:3:image target `design/d.png` does not exist in an empty snapshot",
                "broken-link:5:link `../../../x` points outside the repository"
            ]
        );
        // E-mail autolinks and other URL schemes are not paths; HTML images
        // and links are checked like Markdown ones (entities decoded, query
        // and fragment ignored), but not inside comments.
        assert_eq!(
            crate::check::test_support::lint(
                "# T\n\n<sam@example.com> [m](mailto:a@b.c) [t](tel:+1555) [irc](irc://x/y)\n\n\
                 <p><img src=\"arch.png?raw=true&amp;v=2#x\" width=300></p>\n\n\
                 See <a href='../Notes.md#top'>notes</a>.\n\n\
                 <picture><source srcset=\"a.png 1x, https://x/b.png 2x\"></picture>\n\n\
                 <!-- <img src=\"hidden.png\"> -->\n\n`<img src=\"code.png\">`\n",
                &rules
            ),
            [
                "broken-link:5:image target `design/arch.png` does not exist in an empty snapshot",
                "broken-link:7:link target `Notes.md` does not exist in an empty snapshot",
                "broken-link:9:image target `design/a.png` does not exist in an empty snapshot"
            ]
        );
    }
}
