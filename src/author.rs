//! Authoring: the checklist as something to start from. Pure functions of a
//! rule set (and, for a fix, a document's text); the binary does the I/O.
//!
//! - [`section_skeleton`]: the skeleton of one rule's section: the first
//!   heading the rule accepts, its sub-items as sub-headings, and the rule's
//!   help as an HTML comment prompt (a comment is not prose, so it counts
//!   for no word and hides no gap).
//! - [`new_document`]: `designgate new`: front matter and every required
//!   section that will apply to a path, as if its status were `draft`.
//! - [`missing_section_edits`]: `designgate check --fix` and the language
//!   server's "insert missing section": text insertions that add each missing
//!   required section where the pack's `after` ordering and the checklist
//!   order put it, changing no other byte (line endings and a BOM kept).
//!
//! The order of a checklist is the order its rules are defined in (built-in
//! and pack layers first, then `designgate.toml`), moved as little as
//! `after` demands: a rule comes after every rule it names in `after`.

use serde_json::{Map, Value};

use crate::check::{self, Check};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::heading::Heading;
use crate::markdown::{self, Document};
use crate::pack::{FieldFormat, Rule, RuleKind, RuleSet, Severity};
use crate::waiver::{self, Date};

/// One insertion into a document: `text` goes at byte `offset` of the
/// original text (offsets are never shifted by earlier edits; apply them
/// from the last to the first, or use [`apply_edits`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Byte offset into the document's text (BOM included); always on a
    /// line boundary or at the end of the text.
    pub offset: usize,
    /// What to insert, in the document's own line endings.
    pub text: String,
    /// The sections this insertion adds, in order.
    pub added: Vec<Added>,
}

/// A section an [`Edit`] adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// The rule it answers.
    pub rule: String,
    /// The heading as inserted, without `#` marks.
    pub heading: String,
    /// Its level (number of `#`).
    pub level: u8,
    /// Where its heading line starts in [`Edit::text`] (for
    /// [`NewDocument::sections`], in the document).
    pub at: usize,
}

/// A missing required section that no edit can add, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFixable {
    pub rule: String,
    pub reason: String,
}

/// What [`missing_section_edits`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fix {
    /// Insertions, ascending by offset, at most one per offset.
    pub edits: Vec<Edit>,
    /// Missing sections left alone.
    pub not_fixable: Vec<NotFixable>,
}

/// The path `paths` globs see: `path` (repository-relative) relative to the
/// folder holding the configuration.
pub fn local_path<'p>(config: &Config, path: &'p str) -> &'p str {
    let base = config.base();
    if base.is_empty() {
        return path;
    }
    path.strip_prefix(base)
        .and_then(|p| p.strip_prefix('/'))
        .unwrap_or(path)
}

/// The section rules that apply to a document at `local_path` with this
/// front matter (scope, `when`, not switched off), in checklist order:
/// definition order, each rule moved after the rules its `after` names.
pub fn checklist<'r>(
    rules: &'r RuleSet,
    local_path: &str,
    front_matter: Option<&Value>,
) -> Vec<&'r Rule> {
    let applicable: Vec<&Rule> = rules
        .rules
        .iter()
        .filter(|r| r.kind == RuleKind::Section && r.severity != Severity::Off)
        .filter(|r| r.applies(local_path, front_matter))
        .collect();
    order(&applicable)
}

/// Definition order, moved as little as `after` demands (a stable
/// topological sort; a cycle is broken at its first rule).
fn order<'r>(rules: &[&'r Rule]) -> Vec<&'r Rule> {
    let pos: std::collections::HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut placed = vec![false; rules.len()];
    let mut out = Vec::with_capacity(rules.len());
    while out.len() < rules.len() {
        let ready = |i: usize| {
            !placed[i]
                && rules[i]
                    .after
                    .iter()
                    .all(|a| pos.get(a.as_str()).is_none_or(|&j| placed[j] || j == i))
        };
        let Some(next) = (0..rules.len())
            .find(|&i| ready(i))
            .or_else(|| (0..rules.len()).find(|&i| !placed[i]))
        else {
            break;
        };
        placed[next] = true;
        out.push(rules[next]);
    }
    out
}

/// The heading a skeleton uses for `rule`: the first alias the rule
/// accepts, else its title if it accepts that; `None` when neither (a rule
/// matched only by patterns whose title they do not match).
pub fn skeleton_heading(rule: &Rule) -> Option<&str> {
    rule.headings
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(rule.title.as_str()))
        .find(|h| accepts(rule, h))
}

/// Whether `rule` accepts `heading` as written.
fn accepts(rule: &Rule, heading: &str) -> bool {
    Heading::new(heading).is_some_and(|h| rule.matches_heading(&h))
}

/// The skeleton of `rule`'s section at heading `level`, with `\n` line
/// endings, each block followed by a blank line: the heading (see
/// [`skeleton_heading`]), the rule's help (else its description) as an
/// HTML comment, then one sub-heading per sub-item (`cover`) of every rule
/// in `rules` that accepts the same heading. `None` when no heading of the
/// rule is accepted by it (see [`skeleton_heading`]).
pub fn section_skeleton(rule: &Rule, rules: &[&Rule], level: u8) -> Option<Skeleton> {
    let heading = skeleton_heading(rule)?;
    let level = level.clamp(1, 6);
    let mut out = String::new();
    out.push_str(&"#".repeat(usize::from(level)));
    out.push(' ');
    out.push_str(&one_line(heading));
    out.push_str("\n\n");
    let prompt = if rule.help.trim().is_empty() {
        rule.description.as_str()
    } else {
        rule.help.as_str()
    };
    if let Some(comment) = comment(prompt) {
        out.push_str(&comment);
        out.push_str("\n\n");
    }
    // why: an empty section is hollow, and a hollow section is not asked
    // for its elements; with `min_words = 0` it is, so the skeleton holds
    // the element, with a placeholder the rule itself reports in it (none
    // when the rule reports none: the missing element is then reported).
    if rule.min_words == 0
        && let Some(mark) = placeholder(rule, false)
    {
        for want in rule.contains.iter().filter(|c| c.target.is_none()) {
            let sample = want.elements.iter().find_map(|k| match k {
                crate::markdown::ElementKind::List => Some(format!("- [ ] {mark}")),
                crate::markdown::ElementKind::Table => {
                    Some(format!("| {mark} |\n| --- |\n| {mark} |"))
                }
                _ => None,
            });
            if let Some(sample) = sample {
                out.push_str(&sample);
                out.push_str("\n\n");
            }
        }
    }
    let parsed = Heading::new(heading);
    let same = |other: &Rule| {
        other.id == rule.id || parsed.as_ref().is_some_and(|h| other.matches_heading(h))
    };
    // why: likewise, a sub-heading left empty is a missing sub-item unless
    // the section is hollow, which it cannot be with `min_words = 0`.
    let strict = rules
        .iter()
        .filter(|r| same(r) && !r.cover.is_empty() && r.min_words == 0)
        .find_map(|r| placeholder(r, true));
    let mut subs: Vec<String> = Vec::new();
    for other in rules {
        if !same(other) {
            continue;
        }
        for cover in &other.cover {
            let sub = cover.headings.first().unwrap_or(&cover.item);
            let sub = one_line(sub);
            if subs.contains(&sub) {
                continue;
            }
            out.push_str(&"#".repeat(usize::from((level + 1).min(6))));
            out.push(' ');
            out.push_str(&sub);
            out.push_str("\n\n");
            if heading_key(&cover.item) != heading_key(&sub)
                && let Some(c) = comment(&format!("Cover {}.", cover.item.trim()))
            {
                out.push_str(&c);
                out.push_str("\n\n");
            }
            if let Some(mark) = strict {
                out.push_str(mark);
                out.push_str("\n\n");
            }
            subs.push(sub);
        }
    }
    let mut headings = vec![one_line(heading)];
    headings.extend(subs);
    Some(Skeleton {
        heading: heading.to_owned(),
        text: out,
        headings,
    })
}

/// A section skeleton (see [`section_skeleton`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skeleton {
    /// The section's heading, without `#` marks.
    pub heading: String,
    /// The Markdown, `\n` line endings, ending with a blank line.
    pub text: String,
    /// Every heading it writes (the section's and its sub-headings').
    pub headings: Vec<String>,
}

/// A placeholder that `rule`'s own `forbid` patterns report (in its
/// subsections too, with `nested`), if any.
fn placeholder(rule: &Rule, nested: bool) -> Option<&'static str> {
    ["TODO", "TBD", "FIXME", "XXX"].into_iter().find(|mark| {
        rule.forbid.iter().any(|f| {
            (!nested || f.scope == crate::pack::ForbidScope::Subtree) && f.pattern.0.is_match(mark)
        })
    })
}

fn heading_key(text: &str) -> String {
    crate::heading::normalize(text)
}

/// `text` on one line: line breaks and other control characters become
/// spaces, runs of spaces one space.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` as an HTML comment wrapped at about 76 columns, or `None` for
/// empty text. `-->` inside it is broken up so that the comment cannot end
/// early, and a text that would read as an inline waiver is prefixed.
fn comment(text: &str) -> Option<String> {
    let mut text = one_line(text).replace("--", "- -");
    if text.is_empty() {
        return None;
    }
    if text.to_ascii_lowercase().starts_with("designgate") {
        text.insert_str(0, "Prompt: ");
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::from("<!--");
    for word in text.split(' ') {
        if line.chars().count() + 1 + word.chars().count() > 76 && line != "<!--" {
            lines.push(std::mem::take(&mut line));
        } else if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    line.push_str(" -->");
    lines.push(line);
    Some(lines.join("\n"))
}

/// What `designgate new` writes in the front matter and under the title.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// The document, with `\n` line endings.
    pub text: String,
    /// The sections it holds, in order.
    pub sections: Vec<Added>,
    /// Required sections it could not write a heading for (see
    /// [`skeleton_heading`]).
    pub not_fixable: Vec<NotFixable>,
}

/// The skeleton of a new design document at repository-relative `path`:
/// front matter (`owner`, `status: draft`, `reviewers: []`, and a value for
/// every other required field that applies), `# title`, then every
/// required section that applies to the path as if its status were draft,
/// in checklist order, at level 2 (see [`section_skeleton`]).
pub fn new_document(
    config: &Config,
    path: &str,
    title: &str,
    owner: &str,
    today: Date,
) -> NewDocument {
    let rules = &config.rules;
    let local = local_path(config, path);
    let mut fields: Vec<(String, Value)> = vec![
        ("owner".into(), Value::String(owner.to_owned())),
        ("status".into(), Value::String("draft".into())),
        ("reviewers".into(), Value::Array(Vec::new())),
    ];
    // Required fields, given a value each rule accepts where one can be
    // known: a date is today, a list is empty, a choice is the first one.
    // Repeated while a new field makes another field rule apply.
    loop {
        let fm = object(&fields);
        let next = rules.rules.iter().find(|r| {
            r.kind == RuleKind::Field
                && r.required
                && r.severity != Severity::Off
                && !r.field.key.is_empty()
                && !fields.iter().any(|(k, _)| *k == r.field.key)
                && r.applies(local, Some(&fm))
        });
        let Some(rule) = next else { break };
        let spec = &rule.field;
        let value = match spec.format {
            Some(FieldFormat::Date) => Value::String(today.to_string()),
            Some(FieldFormat::List) => Value::Array(Vec::new()),
            _ => match spec.one_of.first() {
                Some(first) => Value::String(first.clone()),
                None => Value::String(String::new()),
            },
        };
        fields.push((spec.key.clone(), value));
    }
    let fm = object(&fields);
    let mut text = String::from("---\n");
    for (key, value) in &fields {
        text.push_str(&yaml_key(key));
        text.push_str(": ");
        text.push_str(&yaml_value(value));
        text.push('\n');
    }
    text.push_str("---\n\n# ");
    text.push_str(&one_line(title));
    text.push_str("\n\n");
    let applicable = checklist(rules, local, Some(&fm));
    let mut sections: Vec<Added> = Vec::new();
    let mut written: Vec<String> = Vec::new();
    let mut not_fixable = Vec::new();
    for rule in applicable.iter().filter(|r| r.required) {
        if written.iter().any(|h| accepts(rule, h)) {
            continue;
        }
        match section_skeleton(rule, &applicable, 2) {
            Some(sk) => {
                written.extend(sk.headings);
                sections.push(Added {
                    rule: rule.id.clone(),
                    heading: sk.heading,
                    level: 2,
                    at: text.len(),
                });
                text.push_str(&sk.text);
            }
            None => not_fixable.push(NotFixable {
                rule: rule.id.clone(),
                reason: no_heading_reason(rule),
            }),
        }
    }
    while text.ends_with("\n\n") {
        text.pop();
    }
    NewDocument {
        text,
        sections,
        not_fixable,
    }
}

fn no_heading_reason(rule: &Rule) -> String {
    format!(
        "rule `{}` names no heading it accepts (only patterns); write its section by hand (`designgate explain {}`)",
        rule.id, rule.id
    )
}

fn object(fields: &[(String, Value)]) -> Value {
    let mut map = Map::new();
    for (k, v) in fields {
        map.insert(k.clone(), v.clone());
    }
    Value::Object(map)
}

/// A YAML key: plain when it is a simple word, else double-quoted.
fn yaml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        key.to_owned()
    } else {
        quoted(key)
    }
}

/// A YAML value for a front-matter field: a list, or a plain scalar when
/// that reads back as the same string, else a double-quoted one.
fn yaml_value(value: &Value) -> String {
    match value {
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(yaml_value).collect();
            format!("[{}]", items.join(", "))
        }
        Value::String(s) => {
            let plain = !s.is_empty()
                && s.chars().all(|c| {
                    c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '@' | '+' | '/')
                })
                && s.starts_with(|c: char| c.is_alphanumeric())
                && !s.ends_with(' ')
                && !matches!(
                    s.to_ascii_lowercase().as_str(),
                    "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
                )
                && s.parse::<f64>().is_err()
                && Date::parse(s).is_none_or(|_| s.len() == 10);
            if plain { s.clone() } else { quoted(s) }
        }
        other => other.to_string(),
    }
}

/// A double-quoted YAML scalar (JSON's escapes are YAML's).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// The edits that add each missing required section of the document
/// `text` at repository-relative `path`, under `config`'s rules: the same
/// sections `designgate check` reports as `missing-section` (waived ones
/// excepted), each as [`section_skeleton`] writes it.
///
/// A section goes right after the last section (in the document) of the
/// rules that come before it in the checklist order, at that section's
/// level; when none of those is there, right before the first section of
/// the rules after it; when none of the checklist is there, at the end, one
/// level below the title. Consecutive missing sections share one edit.
/// Inserted text uses the document's line endings (CRLF when its first
/// line break is one) and keeps a blank line on either side; every other
/// byte is kept. Applying the edits and calling this again gives no edit.
///
/// The result is verified: when the document with the edits applied would
/// still miss one of the sections (an unclosed code fence at the end
/// swallowing the insertion, say), no edit is returned, and every missing
/// section is listed in [`Fix::not_fixable`]. The language server offers
/// the same edits as its "insert missing section" code action.
pub fn missing_section_edits(text: &str, path: &str, config: &Config) -> Fix {
    let local = local_path(config, path);
    plan(text, local, &config.rules, None)
}

/// [`missing_section_edits`] for one rule only: the edit that adds rule
/// `rule_id`'s section if it is missing (for a code action on one finding).
pub fn missing_section_edit(text: &str, path: &str, config: &Config, rule_id: &str) -> Fix {
    let local = local_path(config, path);
    plan(text, local, &config.rules, Some(rule_id))
}

/// Applies `edits` (as returned by [`missing_section_edits`]) to `text`.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| e.offset);
    let extra: usize = sorted.iter().map(|e| e.text.len()).sum();
    let mut out = String::with_capacity(text.len() + extra);
    let mut at = 0;
    for e in sorted {
        let offset = e.offset.clamp(at, text.len());
        let Some(chunk) = text.get(at..offset) else {
            continue;
        };
        out.push_str(chunk);
        out.push_str(&e.text);
        at = offset;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// The rule ids `check` reports as missing sections in `doc`, unwaived.
fn missing_rules(doc: &Document, text: &str, local: &str, rules: &RuleSet) -> Vec<String> {
    let work = check::Work::default();
    let snapshot = crate::snapshot::Empty;
    let ctx = check::Context {
        rules,
        path: local,
        local_path: local,
        snapshot: &snapshot,
        text,
        work: &work,
    };
    let mut found: Vec<Diagnostic> = check::check_document(doc, ctx);
    waiver::apply(doc, text, rules, Date::today(), &mut found);
    let mut ids: Vec<String> = Vec::new();
    for d in found {
        if d.check == check::MissingSection.name() && d.waived.is_none() && !ids.contains(&d.rule) {
            ids.push(d.rule);
        }
    }
    ids
}

fn plan(text: &str, local: &str, rules: &RuleSet, only: Option<&str>) -> Fix {
    let doc = markdown::parse(text);
    let all_missing = missing_rules(&doc, text, local, rules);
    let mut missing = all_missing.clone();
    if let Some(id) = only {
        missing.retain(|r| r == id);
    }
    if missing.is_empty() {
        return Fix::default();
    }
    let fm = check::front_matter(&doc);
    let order = checklist(rules, local, fm);
    let nl = if line_ending_is_crlf(text) {
        "\r\n"
    } else {
        "\n"
    };

    // The first section each rule of the checklist matches (the title
    // answers none).
    let title = doc.title_section();
    let index = rules.heading_index();
    let slot: std::collections::HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let by_index: std::collections::HashMap<usize, usize> = rules
        .rules
        .iter()
        .enumerate()
        .filter_map(|(ri, r)| slot.get(r.id.as_str()).map(|&s| (ri, s)))
        .collect();
    let mut first: Vec<Option<usize>> = vec![None; order.len()];
    let mut found = Vec::new();
    for (i, s) in doc.sections.iter().enumerate() {
        if Some(i) == title {
            continue;
        }
        let Some(heading) = Heading::new(&s.title_words) else {
            continue;
        };
        index.matches(&heading, &mut found);
        for &r in &found {
            if let Some(&s) = by_index.get(&(r as usize)) {
                first[s].get_or_insert(i);
            }
        }
    }
    let default_level = match title {
        Some(t) => doc.sections[t].level.saturating_add(1).min(6),
        None => doc.sections.iter().map(|s| s.level).min().unwrap_or(2),
    };

    // (offset, checklist position, level, rule)
    let mut placed: Vec<(usize, usize, u8, &Rule)> = Vec::new();
    let mut not_fixable = Vec::new();
    for (k, rule) in order.iter().enumerate() {
        if !missing.contains(&rule.id) {
            continue;
        }
        if skeleton_heading(rule).is_none() {
            not_fixable.push(NotFixable {
                rule: rule.id.clone(),
                reason: no_heading_reason(rule),
            });
            continue;
        }
        let before = first[..k].iter().flatten().max().copied();
        let after = first[k + 1..].iter().flatten().min().copied();
        let (offset, level) = match (before, after) {
            (Some(i), _) => (doc.sections[i].end, doc.sections[i].level),
            (None, Some(j)) => (doc.sections[j].heading.start, doc.sections[j].level),
            (None, None) => (text.len(), default_level),
        };
        placed.push((offset, k, level, rule));
    }
    // Missing sections that the rules' own headings answer together
    // ("Test plan" for two rules) are written once.
    placed.sort_by_key(|&(offset, k, _, _)| (offset, k));
    let mut edits: Vec<Edit> = Vec::new();
    let mut written: Vec<String> = Vec::new();
    for (offset, _, level, rule) in placed {
        if written.iter().any(|h| accepts(rule, h)) {
            continue;
        }
        let Some(sk) = section_skeleton(rule, &order, level) else {
            continue;
        };
        written.extend(sk.headings);
        let block = sk.text;
        let mut added = Added {
            rule: rule.id.clone(),
            heading: sk.heading,
            level,
            at: 0,
        };
        match edits.last_mut() {
            Some(e) if e.offset == offset => {
                added.at = e.text.len();
                e.text.push_str(&block);
                e.added.push(added);
            }
            _ => edits.push(Edit {
                offset,
                text: block,
                added: vec![added],
            }),
        }
    }
    for e in &mut edits {
        let before = &text[..e.offset];
        let breaks = trailing_breaks(before);
        let at_start = before.is_empty() || before == "\u{feff}";
        let mut block = std::mem::take(&mut e.text);
        if e.offset == text.len() {
            // The file ends with one line break after the insertion.
            block.pop();
        }
        let prefix = if at_start {
            ""
        } else {
            match breaks {
                0 => "\n\n",
                1 => "\n",
                _ => "",
            }
        };
        for a in &mut e.added {
            let lines_before = block.get(..a.at).map_or(0, |b| b.matches('\n').count());
            a.at += prefix.len();
            if nl == "\r\n" {
                a.at += lines_before + prefix.len();
            }
        }
        e.text = format!("{prefix}{block}");
        if nl == "\r\n" {
            e.text = e.text.replace('\n', "\r\n");
        }
    }
    if !edits.is_empty() {
        // Verify: every section added is found, and no other missing
        // section appears.
        let fixed = apply_edits(text, &edits);
        let doc2 = markdown::parse(&fixed);
        let still = missing_rules(&doc2, &fixed, local, rules);
        let added: Vec<&str> = edits
            .iter()
            .flat_map(|e| e.added.iter().map(|a| a.rule.as_str()))
            .collect();
        let ok = still.iter().all(|r| !added.contains(&r.as_str()))
            && still.iter().all(|r| all_missing.contains(r));
        if !ok {
            for rule in added {
                not_fixable.push(NotFixable {
                    rule: rule.to_owned(),
                    reason: "the inserted section would not be recognised in this document (an unclosed code block or HTML block at the insertion point?); add it by hand".into(),
                });
            }
            edits.clear();
        }
    }
    not_fixable.sort_by(|a, b| a.rule.cmp(&b.rule));
    Fix { edits, not_fixable }
}

/// Whether the document's first line break is CRLF.
fn line_ending_is_crlf(text: &str) -> bool {
    text.find('\n')
        .is_some_and(|i| i > 0 && text.as_bytes()[i - 1] == b'\r')
}

/// How many line breaks `text` ends with (a line of only spaces counts as
/// empty).
fn trailing_breaks(text: &str) -> usize {
    let mut n = 0;
    for line in text.split_inclusive('\n').rev() {
        if !line.ends_with('\n') {
            break;
        }
        n += 1;
        if !line.trim().is_empty() {
            break;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn config(toml: &str) -> Config {
        Config::from_toml(Path::new("designgate.toml"), toml).unwrap_or_else(|e| panic!("{e}"))
    }

    fn today() -> Date {
        Date::parse("2026-12-01").unwrap_or_else(|| unreachable!())
    }

    /// `check:rule` of every finding `check` reports for `text`.
    fn findings(text: &str, config: &Config) -> Vec<String> {
        let doc = markdown::parse(text);
        let work = check::Work::default();
        let ctx = check::Context {
            rules: &config.rules,
            path: "design/x.md",
            local_path: "design/x.md",
            snapshot: &crate::snapshot::Empty,
            text,
            work: &work,
        };
        check::check_document(&doc, ctx)
            .into_iter()
            .map(|d| format!("{}:{}", d.check, d.rule))
            .collect()
    }

    /// Every added heading is where its `at` says.
    fn assert_located(fix: &Fix) {
        for e in &fix.edits {
            for a in &e.added {
                let want = format!("{} {}", "#".repeat(usize::from(a.level)), a.heading);
                assert!(
                    e.text.get(a.at..).is_some_and(|t| t.starts_with(&want)),
                    "{want:?} at {} in {:?}",
                    a.at,
                    e.text
                );
            }
        }
    }

    #[test]
    fn a_new_document_misses_no_section_in_any_builtin_pack() {
        for (pack, _) in crate::pack::BUILTIN_PACKS {
            let config = config(&format!("packs = [\"{pack}\"]\n"));
            let new = new_document(&config, "design/x.md", "Payments retry", "alice", today());
            assert!(new.not_fixable.is_empty(), "{pack}: {:?}", new.not_fixable);
            assert!(
                new.text
                    .starts_with("---\nowner: alice\nstatus: draft\nreviewers: []\n")
            );
            for f in findings(&new.text, &config) {
                assert!(
                    f.starts_with("hollow-section:") || f.starts_with("placeholder:"),
                    "{pack}: {f}\n{}",
                    new.text
                );
            }
            // Nothing left to fix.
            assert_eq!(
                missing_section_edits(&new.text, "design/x.md", &config),
                Fix::default()
            );
        }
    }

    #[test]
    fn fix_keeps_crlf_and_bom_and_is_idempotent() {
        let config = config("packs = [\"adr\"]\n");
        let text = "\u{feff}---\r\nstatus: proposed\r\n---\r\n# Use Postgres\r\n\r\n## Context\r\n\r\nWe need a database for the ledger, with transactions.\r\n";
        let fix = missing_section_edits(text, "design/x.md", &config);
        assert!(fix.not_fixable.is_empty());
        assert_located(&fix);
        let fixed = apply_edits(text, &fix.edits);
        assert!(fixed.starts_with(text), "only appended here: {fixed:?}");
        assert!(!fixed.replace("\r\n", "").contains('\n'), "{fixed:?}");
        assert!(fixed.contains("\r\n\r\n## Decision\r\n"), "{fixed:?}");
        assert!(
            !findings(&fixed, &config)
                .iter()
                .any(|f| f.starts_with("missing-section"))
        );
        assert_eq!(
            missing_section_edits(&fixed, "design/x.md", &config),
            Fix::default()
        );
    }

    #[test]
    fn fix_puts_a_section_where_after_wants_it() {
        // Defined a, c, b; `c` must come after `b`, which comes after `a`.
        let pack = "[pack]\nname = \"t\"\n\
            [[rule]]\nid = \"a\"\ntitle = \"A\"\nheadings = [\"Alpha\"]\nrequired = true\nhelp = \"Say alpha.\"\n\
            [[rule]]\nid = \"c\"\ntitle = \"C\"\nheadings = [\"Gamma\"]\nrequired = true\nafter = [\"b\"]\n\
            [[rule]]\nid = \"b\"\ntitle = \"B\"\nheadings = [\"Beta\"]\nrequired = true\nafter = [\"a\"]\n";
        let mut rules = RuleSet::default();
        rules
            .add_pack(Path::new("t.toml"), pack, "t")
            .unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<&str> = checklist(&rules, "design/x.md", None)
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b", "c"]);
        // Gamma is there: Beta goes before it, Alpha before Beta.
        let text = "# T\n\nIntro.\n\n## Gamma\n\nText.\n\n### Detail\n\nMore.\n";
        let fix = plan(text, "design/x.md", &rules, None);
        assert_eq!(
            fix.edits.len(),
            1,
            "{fix:?} {:?}",
            missing_rules(&markdown::parse(text), text, "design/x.md", &rules)
        );
        let fixed = apply_edits(text, &fix.edits);
        assert_eq!(
            fixed,
            "# T\n\nIntro.\n\n## Alpha\n\n<!-- Say alpha. -->\n\n## Beta\n\n## Gamma\n\nText.\n\n### Detail\n\nMore.\n"
        );
        // Alpha there, nested: Beta and Gamma follow it at its level.
        let text = "# T\n\n## Part\n\n### Alpha\n\nText.\n\n### Other\n\nx\n";
        let fixed = apply_edits(text, &plan(text, "design/x.md", &rules, None).edits);
        assert_eq!(
            fixed,
            "# T\n\n## Part\n\n### Alpha\n\nText.\n\n### Beta\n\n### Gamma\n\n### Other\n\nx\n"
        );
        // Only one rule asked for.
        let one = plan(text, "design/x.md", &rules, Some("c"));
        assert_eq!(one.edits.len(), 1);
        assert_eq!(one.edits[0].added.len(), 1);
        assert_eq!(one.edits[0].added[0].heading, "Gamma");
        // No newline at the end, nothing of the checklist there.
        let text = "Just a note";
        let fixed = apply_edits(text, &plan(text, "design/x.md", &rules, None).edits);
        assert!(fixed.starts_with("Just a note\n\n## Alpha\n"), "{fixed:?}");
        assert!(fixed.ends_with("## Gamma\n"), "{fixed:?}");
        // An unclosed fence at the end would swallow the insertion.
        let text = "# T\n\n```\ncode\n";
        let fix = plan(text, "design/x.md", &rules, None);
        assert!(fix.edits.is_empty());
        assert_eq!(fix.not_fixable.len(), 3);
    }

    #[test]
    fn comments_cannot_end_early_or_read_as_waivers() {
        let c = comment("designgate: waive sla --> <b>").unwrap_or_default();
        assert_eq!(c, "<!-- Prompt: designgate: waive sla - -> <b> -->");
        assert_eq!(comment("  \n "), None);
        let long = comment(&"word ".repeat(40)).unwrap_or_default();
        assert!(long.lines().all(|l| l.chars().count() <= 80), "{long}");
    }

    #[test]
    fn yaml_values_read_back_as_written() {
        for (value, want) in [
            ("alice", "alice"),
            ("Jane Doe", "Jane Doe"),
            ("jane@example.com", "jane@example.com"),
            ("yes", "\"yes\""),
            ("12", "\"12\""),
            ("a: b", "\"a: b\""),
            ("#x", "\"#x\""),
            ("", "\"\""),
        ] {
            assert_eq!(yaml_value(&Value::String(value.into())), want);
        }
    }
}
