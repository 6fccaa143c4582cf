//! What the server answers, as pure functions of a document's text, its
//! findings and the rules: diagnostics, hover, completion, code actions.
//! The server (`super`) keeps the state and calls these.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CompletionItem, CompletionItemKind, CompletionTextEdit,
    Diagnostic as LspDiagnostic, DiagnosticSeverity, Documentation, MarkupContent, MarkupKind,
    NumberOrString, Position, Range, TextEdit, Uri, WorkspaceEdit,
};

use crate::author;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::markdown::Document;
use crate::pack::{DOCUMENT_RULE, RuleKind, RuleSet, Severity, WAIVER_RULE};
use crate::report::{Palette, human};

use super::text::{Lines, line_break};

/// The name diagnostics carry as their source.
pub(super) const SOURCE: &str = "designgate";

/// The LSP range of a finding. An empty range covers the rest of its line,
/// so that editors have something to underline.
pub(super) fn range_of(d: &Diagnostic, text: &str, lines: &Lines) -> Range {
    let start = d.range.start.min(text.len());
    let end = if d.range.end > start {
        d.range.end.min(text.len())
    } else {
        lines.line_of(text, start).end.max(start)
    };
    Range::new(lines.position(text, start), lines.position(text, end))
}

/// A finding as an LSP diagnostic: the rule id as its code, the severity
/// and message as `check` gives them. Waived findings are not shown (as in
/// `check`'s human output).
pub(super) fn to_lsp(d: &Diagnostic, text: &str, lines: &Lines) -> Option<LspDiagnostic> {
    if d.waived.is_some() {
        return None;
    }
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Off => DiagnosticSeverity::HINT,
    };
    Some(LspDiagnostic {
        range: range_of(d, text, lines),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.rule.clone())),
        source: Some(SOURCE.to_owned()),
        message: d.message.clone(),
        data: Some(serde_json::json!({ "check": d.check })),
        ..LspDiagnostic::default()
    })
}

/// Whether `position` lies in `range` (its end included, where a cursor
/// just after the last character is still "on" it).
fn touches(range: &Range, position: Position) -> bool {
    range.start <= position && position <= range.end
}

/// The index of the section whose heading lines hold `offset`.
fn heading_at(doc: &Document, text: &str, lines: &Lines, offset: usize) -> Option<usize> {
    doc.sections.iter().position(|s| {
        let first = lines.line_of(text, s.heading.start);
        let last = lines.line_of(text, s.heading.end.saturating_sub(1).max(s.heading.start));
        first.start <= offset && offset <= last.end
    })
}

/// Hover: on a heading, the rules it satisfies with their explanation (as
/// `designgate explain` gives it); on a finding, its rule, message and
/// help. `None` where there is nothing to say.
pub(super) fn hover(
    doc: &Document,
    text: &str,
    findings: &[Diagnostic],
    rules: &RuleSet,
    position: Position,
) -> Option<String> {
    let lines = Lines::new(text);
    let offset = lines.offset(text, position);
    let mut parts = Vec::new();
    for d in findings.iter().filter(|d| d.waived.is_none()) {
        if touches(&range_of(d, text, &lines), position) {
            let mut part = format!("{} [{}]: {}", d.severity, d.rule, d.message);
            if let Some(help) = &d.help {
                part.push_str(&format!("\nhelp: {help}"));
            }
            parts.push(part);
        }
    }
    if let Some(i) = heading_at(doc, text, &lines, offset) {
        let ids = crate::check::rules_by_section(doc, rules)
            .into_iter()
            .nth(i)
            .unwrap_or_default();
        let title = &doc.sections[i].title;
        if ids.is_empty() {
            parts.push(format!(
                "`{title}` satisfies no rule of the checklist; `designgate rules` lists the rules and the headings they accept"
            ));
        } else {
            parts.push(format!("`{title}` satisfies: {}", ids.join(", ")));
            for rule in ids.iter().filter_map(|id| rules.rule(id)) {
                let mut out = Vec::new();
                // Writing to memory cannot fail.
                let _ = human::explain(&mut out, rule, rules, Palette::new(false));
                parts.push(String::from_utf8_lossy(&out).trim_end().to_owned());
            }
        }
    }
    (!parts.is_empty()).then(|| parts.join("\n\n---\n\n"))
}

/// The hover as LSP content: plain text, so that nothing a pack or a
/// document wrote is read as Markdown.
pub(super) fn hover_content(text: String) -> MarkupContent {
    MarkupContent {
        kind: MarkupKind::PlainText,
        value: text,
    }
}

/// Completion after `#` at the start of a line: the first heading of each
/// required section the document still misses (its open `missing-section`
/// findings), in checklist order.
pub(super) fn complete_heading(
    text: &str,
    findings: &[Diagnostic],
    rules: &RuleSet,
    position: Position,
) -> Vec<CompletionItem> {
    let lines = Lines::new(text);
    let offset = lines.offset(text, position);
    let line = lines.line_of(text, offset);
    let before = &text[line.start..offset];
    let indent = before.len() - before.trim_start_matches(' ').len();
    let after_indent = &before[indent..];
    let hashes = after_indent.len() - after_indent.trim_start_matches('#').len();
    if indent > 3 || !(1..=6).contains(&hashes) {
        return Vec::new();
    }
    let typed = &after_indent[hashes..];
    // `##Foo` is not a heading: only `##`, `## ` and `## Fo` complete.
    if !typed.is_empty() && !typed.starts_with(' ') {
        return Vec::new();
    }
    let spaces = typed.len() - typed.trim_start_matches(' ').len();
    let edit_start = line.start + indent + hashes + spaces;
    let range = Range::new(lines.position(text, edit_start), position);
    let missing: Vec<&str> = findings
        .iter()
        .filter(|d| d.check == "missing-section" && d.waived.is_none())
        .map(|d| d.rule.as_str())
        .collect();
    rules
        .rules
        .iter()
        .filter(|r| r.kind == RuleKind::Section && missing.contains(&r.id.as_str()))
        .map(|r| {
            let heading = r.headings.first().unwrap_or(&r.title).clone();
            let new_text = if spaces == 0 {
                format!(" {heading}")
            } else {
                heading.clone()
            };
            CompletionItem {
                label: heading.clone(),
                kind: Some(CompletionItemKind::TEXT),
                detail: Some(format!("{} ({}): missing", r.title, r.id)),
                documentation: (!r.help.is_empty())
                    .then(|| Documentation::MarkupContent(hover_content(r.help.trim().to_owned()))),
                filter_text: Some(heading.clone()),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text })),
                ..CompletionItem::default()
            }
        })
        .collect()
}

/// "Waive this rule here": for each open finding touching `range` whose
/// rule may be waived, an action that inserts an inline waiver with an
/// empty reason in the finding's section (or, before the first heading,
/// for the whole document). The reason is left for the author to write:
/// until it is written, the waiver is itself an error and waives nothing.
pub(super) fn waiver_actions(
    uri: &Uri,
    doc: &Document,
    text: &str,
    findings: &[Diagnostic],
    rules: &RuleSet,
    range: Range,
) -> Vec<CodeAction> {
    let lines = Lines::new(text);
    let br = line_break(text);
    let mut seen = Vec::new();
    let mut actions = Vec::new();
    for d in findings.iter().filter(|d| d.waived.is_none()) {
        let at = range_of(d, text, &lines);
        if at.end < range.start || range.end < at.start {
            continue;
        }
        if d.rule == DOCUMENT_RULE || d.rule == WAIVER_RULE {
            continue;
        }
        let Some(rule) = rules.rule(&d.rule) else {
            continue;
        };
        if !rule.waivable {
            continue;
        }
        let section = innermost_section(doc, d.range.start);
        if seen.contains(&(d.rule.as_str(), section)) {
            continue;
        }
        seen.push((d.rule.as_str(), section));
        let comment = format!("<!-- designgate: waive {}: -->", d.rule);
        let (offset, new_text, place) = match section {
            Some(i) => {
                let s = &doc.sections[i];
                let after = lines.next_line_start(text, s.heading.end.saturating_sub(1));
                let lead = if after == text.len() && !text.ends_with(['\n', '\r']) {
                    format!("{br}{br}")
                } else {
                    br.to_owned()
                };
                let next_blank = text[after..]
                    .split(['\n', '\r'])
                    .next()
                    .is_none_or(|l| l.trim().is_empty());
                let tail = if next_blank || after == text.len() {
                    br.to_owned()
                } else {
                    format!("{br}{br}")
                };
                (
                    after,
                    format!("{lead}{comment}{tail}"),
                    format!("in section `{}`", s.title),
                )
            }
            None => {
                let after = doc
                    .front_matter
                    .as_ref()
                    .map_or(0, |f| lines.next_line_start(text, f.range.end));
                (
                    after,
                    format!("{comment}{br}{br}"),
                    "for the whole document".to_owned(),
                )
            }
        };
        let position = lines.position(text, offset);
        let edit = TextEdit {
            range: Range::new(position, position),
            new_text,
        };
        let lsp = to_lsp(d, text, &lines);
        actions.push(CodeAction {
            title: format!(
                "Waive `{}` {place} (then write the reason after `{}:`)",
                d.rule, d.rule
            ),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: lsp.map(|l| vec![l]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                ..WorkspaceEdit::default()
            }),
            ..CodeAction::default()
        });
    }
    actions
}

/// The innermost section holding `offset` (its heading included), as an
/// inline waiver's scope is found.
fn innermost_section(doc: &Document, offset: usize) -> Option<usize> {
    let mut at = doc
        .sections
        .partition_point(|s| s.heading.start <= offset)
        .checked_sub(1);
    while let Some(i) = at {
        if offset < doc.sections[i].end {
            return Some(i);
        }
        at = doc.sections[i].parent;
    }
    None
}

/// "Insert missing section": for each open `missing-section` finding
/// touching `range`, the edit that adds that section's skeleton; and, when
/// several are missing, one action adding them all. Both are the edits
/// `designgate check --fix` makes ([`author::missing_section_edits`]).
pub(super) fn missing_section_actions(
    uri: &Uri,
    text: &str,
    path: &str,
    config: &Config,
    findings: &[Diagnostic],
    range: Range,
) -> Vec<CodeAction> {
    let lines = Lines::new(text);
    let missing: Vec<&Diagnostic> = findings
        .iter()
        .filter(|d| d.check == "missing-section" && d.waived.is_none())
        .collect();
    let action = |title: String, fix: author::Fix, on: Vec<&Diagnostic>| {
        if fix.edits.is_empty() {
            return None;
        }
        let edits = fix
            .edits
            .iter()
            .map(|e| {
                let at = lines.position(text, e.offset);
                TextEdit {
                    range: Range::new(at, at),
                    new_text: e.text.clone(),
                }
            })
            .collect();
        Some(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(on.iter().filter_map(|d| to_lsp(d, text, &lines)).collect()),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), edits)])),
                ..WorkspaceEdit::default()
            }),
            is_preferred: Some(true),
            ..CodeAction::default()
        })
    };
    let mut actions = Vec::new();
    for d in &missing {
        let at = range_of(d, text, &lines);
        if at.end < range.start || range.end < at.start {
            continue;
        }
        let fix = author::missing_section_edit(text, path, config, &d.rule);
        let heading = fix
            .edits
            .iter()
            .flat_map(|e| &e.added)
            .find(|a| a.rule == d.rule)
            .map(|a| format!("{} {}", "#".repeat(usize::from(a.level)), a.heading));
        let Some(heading) = heading else {
            continue;
        };
        actions.extend(action(
            format!("Insert missing section `{heading}`"),
            fix,
            vec![d],
        ));
    }
    if missing.len() > 1 && !actions.is_empty() {
        let fix = author::missing_section_edits(text, path, config);
        let n: usize = fix.edits.iter().map(|e| e.added.len()).sum();
        actions.extend(action(
            format!("Insert all {n} missing sections (as `designgate check --fix` does)"),
            fix,
            missing.clone(),
        ));
    }
    actions
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::lint;
    use crate::source::{Origin, Source};

    fn config() -> Config {
        Config::from_toml(Path::new("designgate.toml"), "").expect("the default configuration")
    }

    fn findings(text: &str, config: &Config) -> Vec<Diagnostic> {
        let source = Source {
            path: "design/a.md".to_owned(),
            origin: Origin::Disk,
            bytes: text.as_bytes().to_vec(),
            oversized: None,
        };
        let opts = lint::Options {
            rules: &config.rules,
            snapshot: &crate::snapshot::Empty,
            base: config.base(),
            today: crate::waiver::Date::today(),
        };
        lint::lint_source(source, &opts).diagnostics
    }

    /// Applies a code action's single edit to `text`.
    fn apply(text: &str, action: &CodeAction) -> String {
        let edits: Vec<&TextEdit> = action
            .edit
            .iter()
            .flat_map(|e| e.changes.iter().flat_map(|c| c.values().flatten()))
            .collect();
        assert_eq!(edits.len(), 1, "{action:?}");
        let lines = Lines::new(text);
        let at = lines.offset(text, edits[0].range.start);
        let mut out = text.to_owned();
        out.insert_str(at, &edits[0].new_text);
        out
    }

    /// The waiver action for the open finding of `rule`, applied, with a
    /// reason written: the finding must then be waived, and every other
    /// byte kept.
    fn waive(text: &str, rule: &str) -> String {
        let config = config();
        let found = findings(text, &config);
        let d = found
            .iter()
            .find(|d| d.rule == rule && d.waived.is_none())
            .unwrap_or_else(|| panic!("no open `{rule}` finding in {text:?}: {found:?}"));
        let lines = Lines::new(text);
        let range = range_of(d, text, &lines);
        let uri: Uri = "file:///r/design/a.md".parse().expect("a URI");
        let doc = crate::markdown::parse(text);
        let actions = waiver_actions(&uri, &doc, text, &found, &config.rules, range);
        let action = actions
            .iter()
            .find(|a| a.title.starts_with(&format!("Waive `{rule}`")))
            .unwrap_or_else(|| panic!("no waiver action: {actions:?}"));
        let edited = apply(text, action);
        let with_reason = edited.replace(": -->", ": quoted from the customer -->");
        let after = findings(&with_reason, &config);
        assert!(
            after.iter().any(|d| d.rule == rule && d.waived.is_some()),
            "{with_reason:?}: {after:?}"
        );
        assert!(
            after.iter().all(|d| d.rule != "waiver"),
            "{with_reason:?}: {after:?}"
        );
        edited
    }

    #[test]
    fn a_waiver_goes_under_its_sections_heading_and_covers_the_finding() {
        // ATX, LF.
        let text = "# T\n\n## Why\n\nPeople wait TODO hours for it.\n";
        assert_eq!(
            waive(text, "why"),
            "# T\n\n## Why\n\n<!-- designgate: waive why: -->\n\nPeople wait TODO hours for it.\n"
        );
        // Setext, CRLF, text right under the heading.
        let text = "T\r\n=\r\n\r\nWhy\r\n---\r\nPeople wait TODO hours for it.\r\n";
        assert_eq!(
            waive(text, "why"),
            "T\r\n=\r\n\r\nWhy\r\n---\r\n\r\n<!-- designgate: waive why: -->\r\n\r\nPeople wait TODO hours for it.\r\n"
        );
        // The finding in a subsection: the waiver goes in the subsection.
        let text = "# T\n\n## Why\n\nA long enough motivation here.\n\n### Detail\n\nTODO\n";
        assert!(
            waive(text, "why").ends_with("### Detail\n\n<!-- designgate: waive why: -->\n\nTODO\n")
        );
    }

    #[test]
    fn a_waiver_for_the_whole_document_goes_after_the_front_matter() {
        let text = "---\nowner: a\n---\nNo headings at all.\n";
        let edited = waive(text, "why");
        assert_eq!(
            edited,
            "---\nowner: a\n---\n<!-- designgate: waive why: -->\n\nNo headings at all.\n"
        );
        // A last heading with no line break after it.
        let text = "# T\n\n## Why";
        assert_eq!(
            waive(text, "why"),
            "# T\n\n## Why\n\n<!-- designgate: waive why: -->\n"
        );
    }

    #[test]
    fn completion_offers_the_missing_headings_after_hashes_only() {
        let config = config();
        let text = "# T\n\n## Why\n\nPeople wait six hours for an invoice today.\n\n## Sl";
        let found = findings(text, &config);
        let at = |line, character| Position::new(line, character);
        let items = complete_heading(text, &found, &config.rules, at(6, 5));
        let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        assert!(labels.contains(&"SLA"), "{labels:?}");
        assert!(!labels.contains(&"Why"), "present sections are not offered");
        // The edit replaces what was typed after `## `.
        let Some(CompletionTextEdit::Edit(edit)) = &items[0].text_edit else {
            panic!("a text edit");
        };
        assert_eq!(edit.range, Range::new(at(6, 3), at(6, 5)));
        // Not in the middle of a line, not after `#` glued to a word.
        assert!(complete_heading("a # b", &found, &config.rules, at(0, 3)).is_empty());
        assert!(complete_heading("#Sl", &found, &config.rules, at(0, 3)).is_empty());
        assert!(complete_heading("    #", &found, &config.rules, at(0, 5)).is_empty());
        let bare = complete_heading("##", &found, &config.rules, at(0, 2));
        let Some(CompletionTextEdit::Edit(edit)) = &bare[0].text_edit else {
            panic!("a text edit");
        };
        assert!(edit.new_text.starts_with(' '), "a space after `##`");
    }

    #[test]
    fn hover_on_a_heading_names_its_rules_and_on_plain_text_nothing() {
        let config = config();
        let text = "# T\n\n## Service level objectives\n\n99.9% of requests succeed.\n";
        let found = findings(text, &config);
        let doc = crate::markdown::parse(text);
        let shown = hover(&doc, text, &found, &config.rules, Position::new(2, 5))
            .expect("a hover on the heading");
        assert!(
            shown.contains("`Service level objectives` satisfies: sla"),
            "{shown}"
        );
        assert!(shown.contains("What satisfies it"), "{shown}");
        assert_eq!(
            hover(&doc, text, &found, &config.rules, Position::new(4, 3)),
            None
        );
    }
}
