//! A section that says it does not apply, and why.
//!
//! "N/A. This KEP only changes documentation." under `### Scalability`
//! answers every question of the section at once; asking for each question
//! (or for the checklist's list) again would be one finding per sub-item for
//! one deliberate answer. Only an explicit marker at the start of the
//! section's own text counts: `N/A`, `NA`, `not applicable`, `does not
//! apply`, or "this KEP/enhancement/… does not apply / target any release",
//! optionally after `Note:`.

use std::sync::LazyLock;

use regex::Regex;

use crate::markdown::count_words;

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // a constant pattern, covered by the tests below
    Regex::new(
        r"(?i)^[^\p{L}\p{N}]*(?:note[^\p{L}\p{N}]+)?(?:n/?a\b|not applicable\b|(?:it )?(?:does not|doesn't) apply\b|(?:this|the) (?:kep|enhancement|proposal|feature|change) (?:does not|doesn't|will not|won't|is not) (?:apply|applicable|target any release)\b)",
    )
    .unwrap()
});

/// Compiles this check's pattern now (see [`super::warm_up`]).
pub(super) fn warm_up() {
    LazyLock::force(&MARKER);
}

/// Whether `own_prose` (a section's text before its subsections) opens by
/// saying the section does not apply: `None` if it does not, `Some(true)`
/// if it also says why (at least three more words), `Some(false)` for a
/// bare "N/A".
pub(super) fn says_not_applicable(own_prose: &str) -> Option<bool> {
    let text = own_prose.trim_start();
    let marker = MARKER.find(text)?;
    Some(count_words(&text[marker.end()..]) >= 3)
}

#[cfg(test)]
mod tests {
    use super::says_not_applicable;

    #[test]
    fn explicit_markers_with_and_without_a_reason() {
        for (text, want) in [
            (
                "N/A. This KEP does not plan to change code, just documentation.",
                Some(true),
            ),
            (
                "N/A - this KEP is related to code solely in kubernetes/test-infra",
                Some(true),
            ),
            ("NA -- distributed as a client-side binary", Some(true)),
            (
                "Note: this KEP does not target any release\n\nOnce approved, docs change.",
                Some(true),
            ),
            (
                "Not applicable: the feature has no API surface at all.",
                Some(true),
            ),
            ("N/A", Some(false)),
            ("n/a.", Some(false)),
            ("Not applicable.", Some(false)),
            // Not a marker: prose that happens to start with the letters.
            ("Namespaces are created by the controller.", None),
            ("No new API calls.", None),
            ("This KEP does not add new API types.", None),
            ("We will graph request rates. N/A for logs.", None),
            ("", None),
        ] {
            assert_eq!(says_not_applicable(text), want, "text: {text:?}");
        }
    }
}
