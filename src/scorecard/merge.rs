//! `designgate report --merge a.json b.json …`: one scorecard from the JSON
//! reports of several repositories (each made by its own CI job), with a
//! repository column. Areas are united by id (the first title wins), rows
//! keep their repository, waivers are sorted again. Histories are not
//! merged (each repository's commits are its own); rows keep their
//! sparklines.

use std::path::Path;

use crate::date::Date;
use crate::error::Error;
use crate::snapshot::{Content, read_file};

use super::{Area, Counts, Report, SCHEMA, SourceInfo, VERSION, sort_waivers, totals};

/// The largest report file read.
pub const MAX_REPORT_BYTES: u64 = 256 * 1024 * 1024;

/// Reads one report, checking its schema and version.
pub fn read(path: &Path) -> Result<Report, Error> {
    let bytes = match read_file(path, MAX_REPORT_BYTES).map_err(|e| Error::io(path, e))? {
        Content::Bytes(b) => b,
        Content::TooLarge(size) => {
            return Err(Error::io(
                path,
                std::io::Error::other(format!(
                    "{size} bytes; designgate merges reports of up to {MAX_REPORT_BYTES} bytes"
                )),
            ));
        }
        Content::NotAFile(what) => return Err(Error::io(path, std::io::Error::other(what))),
        Content::Missing => {
            return Err(Error::io(
                path,
                std::io::Error::from(std::io::ErrorKind::NotFound),
            ));
        }
    };
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        Error::Usage(format!(
            "{}:{}:{}: not a JSON report: {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    let schema = value.get("schema").and_then(|s| s.as_str());
    let version = value.get("version").and_then(serde_json::Value::as_u64);
    if schema != Some(SCHEMA) {
        return Err(Error::Usage(format!(
            "{}: not a designgate report (its `schema` is not \"{SCHEMA}\"); make one with `designgate report --format json`",
            path.display()
        )));
    }
    if version != Some(u64::from(VERSION)) {
        return Err(Error::Usage(format!(
            "{}: report version {} is not the version this designgate reads ({VERSION}); make it again with this version",
            path.display(),
            version.map_or("(none)".to_owned(), |v| v.to_string())
        )));
    }
    serde_json::from_value(value)
        .map_err(|e| Error::Usage(format!("{}: malformed report: {e}", path.display())))
}

/// Merges reports, in the order given. A report's repository is its
/// `source.repository`, else its file name; a merged report's rows keep
/// theirs.
pub fn merge(inputs: Vec<(String, Report)>) -> Report {
    let today = Date::today();
    let mut areas: Vec<Area> = Vec::new();
    let mut documents = Vec::new();
    let mut waivers = Vec::new();
    let mut failures = Vec::new();
    let mut repositories = Vec::new();
    for (fallback, report) in inputs {
        let name = report.source.repository.clone().unwrap_or(fallback);
        if report.source.repositories.is_empty() {
            repositories.push(name.clone());
        } else {
            repositories.extend(report.source.repositories.iter().cloned());
        }
        for a in report.areas {
            match areas.iter_mut().find(|x| x.id == a.id) {
                Some(x) => {
                    for r in a.rules {
                        if !x.rules.contains(&r) {
                            x.rules.push(r);
                        }
                    }
                }
                None => areas.push(a),
            }
        }
        for mut d in report.documents {
            d.repository.get_or_insert_with(|| name.clone());
            documents.push(d);
        }
        for mut w in report.waivers {
            w.repository.get_or_insert_with(|| name.clone());
            waivers.push(w);
        }
        failures.extend(report.failures.into_iter().map(|f| format!("{name}: {f}")));
    }
    documents.sort_by(|a, b| (&a.repository, &a.path).cmp(&(&b.repository, &b.path)));
    for a in &mut areas {
        let mut counts = Counts::default();
        for d in &documents {
            counts.add(d.areas.get(&a.id).copied().unwrap_or_default());
        }
        a.coverage = counts.coverage();
        a.counts = counts;
    }
    sort_waivers(&mut waivers, today);
    Report {
        schema: SCHEMA.to_owned(),
        version: VERSION,
        designgate: env!("CARGO_PKG_VERSION").to_owned(),
        generated: today.to_string(),
        source: SourceInfo {
            kind: "merged".to_owned(),
            repository: None,
            commit: None,
            repositories,
        },
        summary: totals(&documents),
        areas,
        documents,
        waivers,
        history: None,
        failures,
    }
}
