//! Front-matter field rules: required keys, allowed values (a list or a
//! regex), ISO dates, lists, non-empty values.

use std::ops::Range;

use serde_json::Value;

use super::Matched;
use crate::diagnostic::Diagnostic;
use crate::markdown::Document;
use crate::pack::FieldFormat;
use crate::pack::when::{lookup, text};
use crate::suggest::did_you_mean;

/// The check names of field findings: a required field that is absent, and
/// a value that breaks the rule.
pub const FIELD_CHECKS: [&str; 2] = ["missing-field", "invalid-field"];

/// Checks one front-matter field rule. A document whose front matter does
/// not parse is reported once, as a `document` finding, not here.
pub fn check_field(m: &Matched<'_>, out: &mut Vec<Diagnostic>) {
    let spec = &m.rule.field;
    let fm = match &m.doc.front_matter {
        Some(f) => match &f.data {
            Ok(v) => Some(v),
            Err(_) => return,
        },
        None => None,
    };
    let Some(value) = lookup(fm, &spec.key) else {
        if m.rule.required {
            let help = if fm.is_none() {
                format!(
                    "start the document with a front matter block: a `---` line, `{}: …`, then another `---` line",
                    spec.key
                )
            } else {
                format!("add `{}: …` to the front matter", spec.key)
            };
            push(
                m,
                out,
                FIELD_CHECKS[0],
                anchor(m.doc),
                format!("front matter has no `{}`", spec.key),
                help,
            );
            // Nothing to quote: the field is absent.
            if let Some(d) = out.last_mut() {
                d.whole_document = true;
            }
        }
        return;
    };
    let at = key_range(m.doc, m.ctx.text, &spec.key);
    let key = &spec.key;
    let shown = display(value);
    if spec.non_empty && is_empty(value) {
        push(
            m,
            out,
            FIELD_CHECKS[1],
            at,
            format!("`{key}` is empty"),
            format!("give `{key}` a value"),
        );
        return;
    }
    if let Some(format) = spec.format {
        let ok = match format {
            FieldFormat::Date => value
                .as_str()
                .is_some_and(|s| crate::date::Date::parse(s).is_some()),
            FieldFormat::List => value.is_array(),
            FieldFormat::String => value.is_string(),
        };
        if !ok {
            let want = match format {
                FieldFormat::Date => "an ISO 8601 date such as 2026-11-27",
                FieldFormat::List => "a list",
                FieldFormat::String => "a string",
            };
            push(
                m,
                out,
                FIELD_CHECKS[1],
                at,
                format!("`{key}` is {shown}, expected {want}"),
                format!("write `{key}` as {want}"),
            );
            return;
        }
    }
    let texts: Vec<String> = match value {
        Value::Array(items) => items.iter().filter_map(text).collect(),
        v => text(v).into_iter().collect(),
    };
    if !spec.one_of.is_empty()
        && let Some(bad) = texts.iter().find(|t| !spec.one_of.contains(t))
    {
        let options: Vec<String> = spec.one_of.iter().map(|o| format!("`{o}`")).collect();
        push(
            m,
            out,
            FIELD_CHECKS[1],
            at.clone(),
            format!(
                "`{key}` is `{bad}`, expected one of {}{}",
                options.join(", "),
                did_you_mean(bad, spec.one_of.iter().map(String::as_str))
            ),
            format!("use one of the values the checklist defines for `{key}`"),
        );
        return;
    }
    if let Some(p) = &spec.value_pattern
        && let Some(bad) = texts.iter().find(|t| !p.0.is_match(t))
    {
        push(
            m,
            out,
            FIELD_CHECKS[1],
            at,
            format!("`{key}` is `{bad}`, which does not match /{}/", p.as_str()),
            format!("write `{key}` in the expected form"),
        );
    }
}

fn push(
    m: &Matched<'_>,
    out: &mut Vec<Diagnostic>,
    check: &'static str,
    range: Range<usize>,
    message: String,
    help: String,
) {
    out.push(m.diagnostic(check, range, message, Some(help)));
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Null => true,
        _ => false,
    }
}

fn display(v: &Value) -> String {
    match v {
        Value::String(s) => format!("`{s}`"),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a map".to_owned(),
        other => format!("`{other}`"),
    }
}

/// Where findings about a missing field point: the front matter, else the
/// document's anchor.
fn anchor(doc: &Document) -> Range<usize> {
    match &doc.front_matter {
        Some(f) => f.range.start..f.range.start,
        None => doc.anchor(),
    }
}

/// The range of the line that sets top-level `key` (the last part of a dotted
/// key) in the front matter, found textually; the front matter's start if it
/// cannot be found.
pub fn key_range(doc: &Document, text: &str, key: &str) -> Range<usize> {
    let Some(fm) = &doc.front_matter else {
        return doc.anchor();
    };
    let Some(source) = text.get(fm.range.clone()) else {
        return fm.range.start..fm.range.start;
    };
    let name = key.rsplit('.').next().unwrap_or(key);
    let mut offset = fm.range.start;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let bare = trimmed.trim_start_matches(['"', '\'']);
        if let Some(rest) = bare.strip_prefix(name) {
            let rest = rest.trim_start_matches(['"', '\'']).trim_start();
            if rest.starts_with(':') || rest.starts_with('=') {
                let start = offset + (line.len() - trimmed.len());
                let end = offset + line.trim_end_matches(['\n', '\r']).len();
                return start..end;
            }
        }
        offset += line.len();
    }
    fm.range.start..fm.range.start
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::pack::RuleSet;

    fn rules(extra: &str) -> RuleSet {
        let mut set = RuleSet::default();
        set.add_pack(
            Path::new("t.toml"),
            &format!("[pack]\nname = \"t\"\n{extra}"),
            "t",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        set
    }

    #[test]
    fn field_rules_check_presence_values_and_dates() {
        let rules = rules(
            "[[rule]]\nid = \"owner\"\ntitle = \"Owner\"\nfield = \"owner\"\nrequired = true\nvalue_pattern = '^@'\n\
             [[rule]]\nid = \"status\"\ntitle = \"Status\"\nfield = \"status\"\nrequired = true\none_of = [\"draft\", \"approved\"]\n\
             [[rule]]\nid = \"reviewers\"\ntitle = \"Reviewers\"\nfield = \"reviewers\"\nrequired = true\nnon_empty = true\nformat = \"list\"\nwhen = { status = \"approved\" }\n\
             [[rule]]\nid = \"date\"\ntitle = \"Date\"\nfield = \"date\"\nformat = \"date\"\n",
        );
        let lint = |t: &str| crate::check::test_support::lint(t, &rules);
        assert_eq!(
            lint("# T\n"),
            [
                "missing-field:1:front matter has no `owner`",
                "missing-field:1:front matter has no `status`"
            ]
        );
        assert_eq!(
            lint("---\nowner: bob\nstatus: aproved\ndate: 2026-02-30\n---\n# T\n"),
            [
                "invalid-field:2:`owner` is `bob`, which does not match /^@/",
                "invalid-field:3:`status` is `aproved`, expected one of `draft`, `approved`; did you mean `approved`?",
                "invalid-field:4:`date` is `2026-02-30`, expected an ISO 8601 date such as 2026-11-27"
            ]
        );
        assert_eq!(
            lint("---\nowner: '@bob'\nstatus: approved\nreviewers: []\n---\n# T\n"),
            ["invalid-field:4:`reviewers` is empty"]
        );
        assert!(lint("---\nowner: '@bob'\nstatus: draft\ndate: 2026-02-28\n---\n# T\n").is_empty());
    }
}
