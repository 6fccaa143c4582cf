//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF
//! viewers. One run; `tool.driver.rules` holds the configuration's active
//! rules (and the `document` and `waiver` rules); each finding is a result
//! with its region, a fingerprint that survives edits elsewhere in the
//! document ([`super::fingerprint`]) and, when suppressed, a suppression
//! with its reason ([`super::suppression`]). Written result by result, like
//! the JSON report. Reference: docs/formats.md.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Value, json};

use super::{Doc, Suppression, SuppressionKind, suppression};
use crate::notes::Note;
use crate::pack::{DOCUMENT_RULE, RuleKind, RuleSet, Severity, WAIVER_RULE, builtin};

/// The `uriBaseId` of every location: the repository root.
pub const SRCROOT: &str = "%SRCROOT%";

/// The key of designgate's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "designgate/v1";

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where the project lives: the crate's `repository`.
pub const REPOSITORY: &str = if env!("CARGO_PKG_REPOSITORY").is_empty() {
    "https://github.com/designgate/designgate"
} else {
    env!("CARGO_PKG_REPOSITORY")
};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Off => "note",
    }
}

/// `load-testing` → `LoadTesting`: the start of the rule's `name`, a
/// readable identifier.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

/// A repository-relative path as a URI reference: every byte but
/// unreserved characters and `/` percent-encoded (a `#`, `?`, `%` or space
/// in a file name would otherwise change what the URI names).
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The documentation of a rule: the built-in pack's section of
/// docs/packs.md, or docs/formats.md for the `document` and `waiver` rules.
/// Rules from a team's own packs have none (their help is in `help`).
fn help_uri(id: &str, origin: &str) -> Option<String> {
    let docs = format!("{REPOSITORY}/blob/v{VERSION}/docs");
    if id == DOCUMENT_RULE || id == WAIVER_RULE {
        Some(format!("{docs}/formats.md#the-document-and-waiver-rules"))
    } else if builtin(origin).is_some() {
        Some(format!("{docs}/packs.md#{origin}"))
    } else {
        None
    }
}

/// What `tool.driver.rules` says of one rule.
struct Entry<'a> {
    id: &'a str,
    name: String,
    title: &'a str,
    description: &'a str,
    help: &'a str,
    severity: Severity,
    origin: &'a str,
    area: Option<&'a str>,
}

fn rule_entry(e: Entry<'_>) -> Value {
    let Entry {
        id,
        name,
        title,
        description,
        help,
        severity,
        origin,
        area,
    } = e;
    let or = |text: &str, fallback: &str| {
        if text.trim().is_empty() {
            fallback.to_owned()
        } else {
            text.trim().to_owned()
        }
    };
    let mut rule = json!({
        "id": id,
        "name": name,
        "shortDescription": { "text": or(title, id) },
        "fullDescription": { "text": or(description, &or(title, id)) },
        "help": { "text": or(help, &format!("Run `designgate explain {id}` for what the rule wants.")) },
        "defaultConfiguration": { "level": level(severity) },
        "properties": { "origin": origin },
    });
    if let Some(uri) = help_uri(id, origin) {
        rule["helpUri"] = json!(uri);
    }
    if let Some(area) = area {
        rule["properties"]["tags"] = json!([area]);
    }
    rule
}

/// `tool.driver.rules`: the active rules (not switched off) in the order of
/// the rule set, then `document` and `waiver`.
pub fn rules(set: &RuleSet) -> Vec<Value> {
    let mut out: Vec<Value> = set
        .rules
        .iter()
        .filter(|r| r.severity != Severity::Off)
        .map(|r| {
            // why: SARIF wants a `name` other than the `id` (SARIF1001).
            let kind = match r.kind {
                RuleKind::Section => "Section",
                RuleKind::Field => "Field",
                RuleKind::Links => "Resolve",
            };
            rule_entry(Entry {
                id: &r.id,
                name: format!("{}{kind}", pascal_case(&r.id)),
                title: &r.title,
                description: &r.description,
                help: &r.help,
                severity: r.severity,
                origin: &r.origin,
                area: set.area_of(r).map(|a| a.title.as_str()),
            })
        })
        .collect();
    out.push(rule_entry(Entry {
        id: DOCUMENT_RULE,
        name: "DocumentReadable".into(),
        title: "Document is readable",
        description: "The file is UTF-8 text of at most 8 MiB with front matter that parses, and the rules could be checked on it within their budget.",
        help: "Fix what the message names (encoding, size, front matter), or exclude the file in designgate.toml.",
        severity: Severity::Error,
        origin: "designgate",
        area: None,
    }));
    out.push(rule_entry(Entry {
        id: WAIVER_RULE,
        name: "WaiverValid".into(),
        title: "Waivers are valid",
        description: "A waiver names a known, waivable rule, gives a reason, has not expired, and waives a finding.",
        help: "Fix or remove the waiver the message points at.",
        severity: Severity::Error,
        origin: "designgate",
        area: None,
    }));
    out
}

/// Writes the SARIF log piece by piece: [`Stream::start`], then
/// [`Stream::items`] with what [`check_items`] made of each document, then
/// [`Stream::finish`].
#[derive(Debug, Default)]
pub struct Stream {
    any: bool,
    /// Results written, and results left out past [`MAX_RESULTS`].
    written: usize,
    omitted: usize,
}

/// Results per run: GitHub code scanning rejects a run with more. The
/// documents past it are left out whole, and a notification says how many
/// results that was.
pub const MAX_RESULTS: usize = 25_000;

/// `value` as pretty JSON, every line after the first indented.
fn indented(value: &Value, indent: &str) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned());
    text.replace('\n', &format!("\n{indent}"))
}

impl Stream {
    pub fn start(out: &mut dyn Write, set: &RuleSet) -> io::Result<Self> {
        let driver = json!({
            "name": "designgate",
            "version": VERSION,
            "semanticVersion": VERSION,
            "informationUri": REPOSITORY,
            "rules": rules(set),
        });
        let bases = json!({
            SRCROOT: { "description": { "text": "The root of the git repository (the work tree)." } }
        });
        write!(
            out,
            "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {{\n        \"driver\": {}\n      }},\n      \"originalUriBaseIds\": {},\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [",
            indented(&driver, "        "),
            indented(&bases, "      "),
        )?;
        Ok(Stream::default())
    }

    /// Writes the `count` results of one document made by [`check_items`].
    pub fn items(&mut self, out: &mut dyn Write, items: &[u8], count: usize) -> io::Result<()> {
        if self.omitted > 0 || self.written + count > MAX_RESULTS {
            self.omitted += count;
            return Ok(());
        }
        self.written += count;
        let items = match items.split_first() {
            Some((b',', rest)) if !self.any => rest,
            Some(_) => items,
            None => return Ok(()),
        };
        self.any = true;
        out.write_all(items)
    }

    /// Ends the log with the invocation: whether every document could be
    /// read (`failures` are the errors of those that could not) and the
    /// notes on what was not checked, as notifications.
    pub fn finish(
        self,
        out: &mut dyn Write,
        failures: &[String],
        notes: &[Note],
    ) -> io::Result<()> {
        write!(out, "{}]", if self.any { "\n      " } else { "" })?;
        let mut notifications: Vec<Value> = failures
            .iter()
            .map(|f| json!({ "level": "error", "message": { "text": f } }))
            .collect();
        if self.omitted > 0 {
            notifications.push(json!({
                "level": "warning",
                "message": { "text": format!(
                    "{} more results are not in this log: GitHub code scanning rejects a run of more than {MAX_RESULTS} results; the summary, the exit code and the other formats count them",
                    self.omitted
                ) },
                "descriptor": { "id": "results-omitted" },
            }));
        }
        notifications.extend(notes.iter().map(|n| {
            json!({
                "level": "note",
                "message": { "text": n.message },
                "descriptor": { "id": n.kind },
            })
        }));
        let mut invocation = json!({ "executionSuccessful": failures.is_empty() });
        if !notifications.is_empty() {
            invocation["toolExecutionNotifications"] = json!(notifications);
        }
        writeln!(
            out,
            ",\n      \"invocations\": [\n        {}\n      ]\n    }}\n  ]\n}}",
            indented(&invocation, "        ")
        )
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    level: &'static str,
    message: Text<'a>,
    locations: [Location<'a>; 1],
    partial_fingerprints: Fingerprints<'a>,
    properties: Properties<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[SuppressionOut<'a>; 1]>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: Physical<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical<'a> {
    artifact_location: Artifact<'a>,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact<'a> {
    uri: &'a str,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Fingerprints<'a> {
    #[serde(rename = "designgate/v1")]
    v1: &'a str,
}

#[derive(Serialize)]
struct Properties<'a> {
    check: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    area: Option<&'a str>,
    #[serde(skip_serializing_if = "is_zero")]
    elided: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct SuppressionOut<'a> {
    kind: &'static str,
    status: &'static str,
    justification: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Expires<'a>>,
}

#[derive(Serialize)]
struct Expires<'a> {
    expires: &'a str,
}

fn suppression_out(s: Suppression<'_>) -> SuppressionOut<'_> {
    SuppressionOut {
        kind: match s.kind {
            SuppressionKind::InSource => "inSource",
            SuppressionKind::External => "external",
        },
        status: "accepted",
        justification: s.justification,
        properties: s.expires.map(|expires| Expires { expires }),
    }
}

/// The results of one document, each as `,\n        {…}` on one line,
/// for [`Stream::items`], and how many there are.
pub fn check_items(doc: &Doc<'_>) -> (Vec<u8>, usize) {
    let file = doc.file;
    let uri = uri_path(&file.path);
    let mut out = Vec::new();
    for (d, (start_line, start_column, end_line, end_column), print) in doc.findings() {
        let result = SarifResult {
            rule_id: &d.rule,
            level: level(d.severity),
            message: Text { text: &d.message },
            locations: [Location {
                physical_location: Physical {
                    artifact_location: Artifact {
                        uri: &uri,
                        uri_base_id: SRCROOT,
                    },
                    region: Region {
                        start_line,
                        start_column,
                        end_line,
                        end_column,
                    },
                },
            }],
            partial_fingerprints: Fingerprints { v1: print },
            properties: Properties {
                check: d.check,
                area: d.area.as_deref(),
                elided: d.elided,
            },
            suppressions: suppression(d).map(|s| [suppression_out(s)]),
        };
        out.extend_from_slice(b",\n        ");
        // Writing to memory fails only on serialisation errors, which these
        // plain types do not have.
        let _ = serde_json::to_writer(&mut out, &result);
    }
    (out, file.diagnostics.len())
}

#[cfg(test)]
mod tests {
    use super::{pascal_case, uri_path};

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal_case("load-testing"), "LoadTesting");
        assert_eq!(pascal_case("sla"), "Sla");
        assert_eq!(uri_path("design/a b#1?%.md"), "design/a%20b%231%3F%25.md");
        assert_eq!(uri_path("design/é.md"), "design/%C3%A9.md");
    }
}
