//! The transparency scorecard (`designgate report`): where every design
//! document stands against the checklist, as data, and one renderer per
//! format ([`json`], [`markdown`], [`html`]).
//!
//! The scorecard is another consumer of the linter's findings, not a second
//! linter: [`build`] runs the same pipeline as `check` ([`crate::run`]:
//! discover → read → parse → check) and turns each document's
//! [`FileReport`] into a [`Document`] row: one [`State`] per checklist area
//! (the worst of its rules' states), the counts `check` would print, and
//! the metadata a reader wants (title, owner, status, reviewers, and the
//! last commit that changed it, from one `git log`). [`history`] does the
//! same for past commits, from git objects, with a blob cache; [`merge`]
//! combines reports of several repositories.
//!
//! Everything here is data: the renderers escape what a document controls
//! (HTML, Markdown), and the binary's [`crate::report::Clean`] writer
//! sanitises what reaches a terminal.

pub mod gitlog;
pub mod history;
pub mod html;
pub mod json;
pub mod markdown;
pub mod merge;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::Config;
use crate::date::Date;
use crate::diagnostic::Summary;
use crate::discover::{Selection, Workspace};
use crate::error::Error;
use crate::lint::FileReport;
use crate::pack::{RuleSet, Severity};

/// The `schema` field of every report.
pub const SCHEMA: &str = "designgate-report";
/// The version of the JSON format; raised on any incompatible change.
pub const VERSION: u32 = 1;

/// Waivers that expire within this many days are marked as expiring soon.
pub const SOON_DAYS: i64 = 30;

/// Where one rule, or one area, stands in one document. Ordered from best
/// to worst: an area's state is the worst of its rules' states.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// The rule does not apply: switched off, or out of its `paths` scope
    /// or `when` condition (or relaxed to `off`).
    #[default]
    NotApplicable,
    /// No finding.
    Covered,
    /// Every finding is waived (with a reason, maybe an expiry).
    Waived,
    /// The section is there but incomplete: too few words, a missing
    /// detail, sub-item or element, out of order, an invalid field, a
    /// broken link.
    Hollow,
    /// The section holds a placeholder (`TBD`, `TODO`, a lone `N/A`, …).
    Placeholder,
    /// The section (or front-matter field) is absent.
    Missing,
}

impl State {
    pub const ALL: [State; 6] = [
        State::Covered,
        State::Hollow,
        State::Placeholder,
        State::Missing,
        State::Waived,
        State::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::NotApplicable => "not-applicable",
            State::Covered => "covered",
            State::Waived => "waived",
            State::Hollow => "hollow",
            State::Placeholder => "placeholder",
            State::Missing => "missing",
        }
    }

    /// A short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            State::NotApplicable => "n/a",
            State::Covered => "covered",
            State::Waived => "waived",
            State::Hollow => "hollow",
            State::Placeholder => "placeholder",
            State::Missing => "missing",
        }
    }

    /// Whether the item counts as done for coverage and score.
    pub fn done(self) -> bool {
        matches!(self, State::Covered | State::Waived)
    }

    /// The state a finding of `check` gives its rule.
    fn of_check(check: &str) -> State {
        match check {
            "missing-section" | "missing-field" => State::Missing,
            "placeholder" => State::Placeholder,
            _ => State::Hollow,
        }
    }
}

/// How many cells are in each state.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub covered: usize,
    pub hollow: usize,
    pub placeholder: usize,
    pub missing: usize,
    pub waived: usize,
    pub not_applicable: usize,
}

impl Counts {
    pub fn add(&mut self, state: State) {
        *self.slot(state) += 1;
    }

    pub fn get(&self, state: State) -> usize {
        match state {
            State::NotApplicable => self.not_applicable,
            State::Covered => self.covered,
            State::Waived => self.waived,
            State::Hollow => self.hollow,
            State::Placeholder => self.placeholder,
            State::Missing => self.missing,
        }
    }

    fn slot(&mut self, state: State) -> &mut usize {
        match state {
            State::NotApplicable => &mut self.not_applicable,
            State::Covered => &mut self.covered,
            State::Waived => &mut self.waived,
            State::Hollow => &mut self.hollow,
            State::Placeholder => &mut self.placeholder,
            State::Missing => &mut self.missing,
        }
    }

    /// Cells that apply.
    pub fn applicable(&self) -> usize {
        self.covered + self.hollow + self.placeholder + self.missing + self.waived
    }

    /// Covered or waived, in percent of the cells that apply (rounded half
    /// up); `None` when none applies.
    pub fn coverage(&self) -> Option<u32> {
        percent(self.covered + self.waived, self.applicable())
    }
}

/// `part` of `whole` in percent, rounded half up; `None` for an empty whole.
pub fn percent(part: usize, whole: usize) -> Option<u32> {
    if whole == 0 {
        return None;
    }
    let p = (part as u128 * 200 + whole as u128) / (whole as u128 * 2);
    u32::try_from(p).ok()
}

/// A whole scorecard: what `--format json` writes and `--merge` reads.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// [`VERSION`].
    pub version: u32,
    /// The designgate version that wrote it.
    pub designgate: String,
    /// The day it was made (`YYYY-MM-DD`, UTC): waivers expire against it.
    pub generated: String,
    /// What was read: the work tree or a commit; for a merged report, the
    /// repositories.
    pub source: SourceInfo,
    pub summary: Totals,
    /// The checklist areas, in pack order, with their rules and coverage.
    pub areas: Vec<Area>,
    /// One row per design document, by path (repository, then path, when
    /// merged).
    pub documents: Vec<Document>,
    /// Every active waiver, those expiring soonest first (no expiry last).
    pub waivers: Vec<WaiverRow>,
    /// Coverage over past commits, oldest first; absent without
    /// `--history`/`--since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<History>,
    /// Documents that could not be read, and other errors (each made the
    /// command exit with 2).
    #[serde(default)]
    pub failures: Vec<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SourceInfo {
    /// `work-tree`, `commit` or `merged`.
    pub kind: String,
    /// The repository's name (`--repository`, else its folder's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// The full commit id read (`commit`), or `HEAD`'s for the work tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// For a merged report: the repositories, in the order given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repositories: Vec<String>,
}

/// Totals over all documents.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Totals {
    pub documents: usize,
    /// Documents with at least one blocking (error) finding.
    pub blocking_documents: usize,
    /// Blocking findings (errors), as `check` counts them.
    pub errors: usize,
    pub warnings: usize,
    /// Findings covered by a waiver.
    pub waived: usize,
    /// Mean of the documents' scores, rounded; `None` without any.
    pub score: Option<u32>,
    /// Area cells over all documents.
    pub cells: Counts,
}

/// A checklist area and how the documents cover it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Area {
    pub id: String,
    pub title: String,
    pub rules: Vec<RuleInfo>,
    /// The documents' cells of this area, by state.
    pub counts: Counts,
    /// Covered or waived, in percent of the documents it applies to.
    pub coverage: Option<u32>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
}

/// One design document's row.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    /// Set in a merged report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// Repository-relative, with `/`.
    pub path: String,
    /// Front matter `title`, else the title heading, else the file name.
    pub title: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub reviewers: Vec<String>,
    /// The last commit that changed the file; `None` outside git or for a
    /// file never committed.
    #[serde(default)]
    pub last_change: Option<Change>,
    pub errors: usize,
    pub warnings: usize,
    pub waived: usize,
    /// Rules covered or waived, in percent of the rules that apply.
    pub score: Option<u32>,
    /// Area id → the worst state of its rules.
    pub areas: BTreeMap<String, State>,
    /// Rule id → state, for the rules of an area (on demand in HTML).
    pub rules: BTreeMap<String, State>,
    /// The document's score at each history point (`null` where it did
    /// not exist); absent without history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<Option<u32>>>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Change {
    pub commit: String,
    pub author: String,
    /// Author date, ISO 8601 as git writes it (`%aI`).
    pub date: String,
}

/// A waiver that covers at least one finding.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct WaiverRow {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    pub path: String,
    pub rule: String,
    #[serde(default)]
    pub area: Option<String>,
    pub reason: String,
    /// `YYYY-MM-DD`, if it expires.
    #[serde(default)]
    pub expires: Option<String>,
    /// Days from `generated` to `expires`.
    #[serde(default)]
    pub days_left: Option<i64>,
    /// Expires within [`SOON_DAYS`] days.
    #[serde(default)]
    pub expiring_soon: bool,
}

/// Coverage over past commits.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct History {
    /// Oldest first.
    pub points: Vec<Point>,
    /// Documents linted for this history (blobs not in the cache).
    pub linted: usize,
    /// Documents whose results came from the cache.
    pub cached: usize,
    /// One point per week (`--weekly`) rather than per commit.
    #[serde(default)]
    pub weekly: bool,
}

/// The state of the design documents after one commit.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Point {
    pub commit: String,
    pub date: String,
    pub documents: usize,
    /// Blocking findings (errors) over all documents.
    pub blocking: usize,
    /// Area id → coverage in percent (`null`: the area applies to none).
    pub coverage: BTreeMap<String, Option<u32>>,
}

/// Options of [`build`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--history N`: the last N commits that changed design documents.
    pub history: Option<usize>,
    /// `--since DATE`: the commits since then (any `git log --since` date).
    pub since: Option<String>,
    /// `--weekly`: one history point per week (the state after its last
    /// commit); alone, over the whole history.
    pub weekly: bool,
    /// The repository's name in the report.
    pub repository: Option<String>,
}

impl Options {
    fn wants_history(&self) -> bool {
        self.history.is_some() || self.since.is_some() || self.weekly
    }
}

/// What one document contributes, made on a worker thread from its
/// [`FileReport`] (see [`row`]).
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) document: Document,
    pub(crate) waivers: Vec<WaiverRow>,
}

/// The per-rule states of one document, and its counts: what [`history`]
/// caches per blob.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// Rule id → state (rules that belong to an area).
    pub(crate) rules: BTreeMap<String, State>,
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    pub(crate) waived: usize,
}

/// Front-matter values as text: a string, a number, or a list of them
/// joined; `None` for anything else.
fn text_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(text_value).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => None,
    }
}

/// A list field (`reviewers`): a list of strings, or one string split on
/// commas.
fn list_value(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().filter_map(text_value).collect(),
        Value::String(s) => s
            .split(',')
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect(),
        other => text_value(other).into_iter().collect(),
    }
}

/// Characters kept of a title, owner, status or reviewer: a front matter
/// of megabytes must not make a report of megabytes per row.
const MAX_FIELD_CHARS: usize = 200;
/// Reviewers kept per document.
const MAX_REVIEWERS: usize = 20;

fn bounded(s: String) -> String {
    match s.char_indices().nth(MAX_FIELD_CHARS) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s,
    }
}

/// The first key of `keys` present in the front matter, as text.
fn field(fm: Option<&Value>, keys: &[&str]) -> Option<String> {
    let map = fm?.as_object()?;
    keys.iter()
        .find_map(|k| map.get(*k).and_then(text_value))
        .map(bounded)
}

/// The per-rule states and counts of one linted document. `local_path` is
/// relative to the config's folder (for `paths` scopes).
pub(crate) fn outcome(
    file: &FileReport,
    fm: Option<&Value>,
    rules: &RuleSet,
    local_path: &str,
) -> (Outcome, Vec<WaiverRow>) {
    let mut summary = Summary::default();
    let mut found: HashMap<&str, (State, Option<&crate::diagnostic::Waived>)> = HashMap::new();
    for d in &file.diagnostics {
        summary.add(d);
        let state = if d.waived.is_some() {
            State::Waived
        } else {
            State::of_check(d.check)
        };
        let entry = found
            .entry(d.rule.as_str())
            .or_insert((state, d.waived.as_ref()));
        if state > entry.0 {
            entry.0 = state;
        }
        if entry.1.is_none() {
            entry.1 = d.waived.as_ref();
        }
    }
    // A document that could not be read (binary, too large, not UTF-8, a
    // name that is not UTF-8, nested too deep) has no sections, and one
    // whose rules were too expensive was not fully checked: every rule
    // that applies counts as missing (fail closed, as the linter blocks).
    let unreadable = file.diagnostics.iter().any(|d| {
        d.rule == crate::pack::DOCUMENT_RULE
            && matches!(
                d.check,
                "binary-file"
                    | "too-large"
                    | "invalid-utf8"
                    | "file-name"
                    | "too-deep"
                    | "too-expensive"
            )
    });
    let mut states = BTreeMap::new();
    let mut waivers = Vec::new();
    for rule in rules.rules.iter().filter(|r| r.area.is_some()) {
        let applies = rule.severity != Severity::Off
            && rule.applies(local_path, fm)
            && rules.severity_for(rule, local_path, fm) != Severity::Off;
        let state = if !applies {
            State::NotApplicable
        } else if unreadable {
            State::Missing
        } else {
            match found.get(rule.id.as_str()) {
                Some((state, waived)) => {
                    if let (State::Waived, Some(w)) = (state, waived) {
                        waivers.push(WaiverRow {
                            repository: None,
                            path: file.path.clone(),
                            rule: rule.id.clone(),
                            area: rules.area_of(rule).map(|a| a.id.clone()),
                            reason: bounded(w.reason.clone()),
                            expires: w.expires.clone(),
                            days_left: None,
                            expiring_soon: false,
                        });
                    }
                    *state
                }
                None => State::Covered,
            }
        };
        states.insert(rule.id.clone(), state);
    }
    (
        Outcome {
            rules: states,
            errors: summary.errors,
            warnings: summary.warnings,
            waived: summary.waived,
        },
        waivers,
    )
}

/// Area id → the worst state of its rules (not applicable if none applies).
pub(crate) fn area_states(
    rules: &RuleSet,
    states: &BTreeMap<String, State>,
) -> BTreeMap<String, State> {
    let mut out: BTreeMap<String, State> = rules
        .areas
        .iter()
        .map(|a| (a.id.clone(), State::NotApplicable))
        .collect();
    for rule in &rules.rules {
        let (Some(area), Some(&state)) = (rules.area_of(rule), states.get(&rule.id)) else {
            continue;
        };
        if let Some(slot) = out.get_mut(&area.id)
            && state > *slot
        {
            *slot = state;
        }
    }
    out
}

/// The score of a document: rules covered or waived, in percent of those
/// that apply.
pub(crate) fn score(states: &BTreeMap<String, State>) -> Option<u32> {
    let mut counts = Counts::default();
    for &s in states.values() {
        counts.add(s);
    }
    counts.coverage()
}

/// One document's row, from its report.
pub(crate) fn row(file: &FileReport, rules: &RuleSet, base: &str) -> Row {
    let local = local_path(&file.path, base);
    let doc = crate::lint::parse_bytes(&file.bytes).ok();
    let fm = doc.as_ref().and_then(crate::check::front_matter);
    let (outcome, waivers) = outcome(file, fm, rules, local);
    let title = field(fm, &["title"])
        .or_else(|| {
            let doc = doc.as_ref()?;
            let i = doc
                .title_section()
                .or_else(|| (!doc.sections.is_empty()).then_some(0))?;
            Some(bounded(doc.sections[i].title.trim().to_owned())).filter(|t| !t.is_empty())
        })
        .unwrap_or_else(|| {
            file.path
                .rsplit('/')
                .next()
                .unwrap_or(&file.path)
                .to_owned()
        });
    let reviewers = fm
        .and_then(|f| f.as_object())
        .and_then(|m| m.get("reviewers").or_else(|| m.get("approvers")))
        .map(list_value)
        .unwrap_or_default()
        .into_iter()
        .take(MAX_REVIEWERS)
        .map(bounded)
        .collect();
    Row {
        document: Document {
            repository: None,
            path: file.path.clone(),
            title,
            owner: field(fm, &["owner", "owners", "authors", "author"]),
            status: field(fm, &["status"]),
            reviewers,
            last_change: None,
            errors: outcome.errors,
            warnings: outcome.warnings,
            waived: outcome.waived,
            score: score(&outcome.rules),
            areas: area_states(rules, &outcome.rules),
            rules: outcome.rules,
            history: None,
        },
        waivers,
    }
}

/// `path` relative to the config's folder, as rule `paths` globs see it.
fn local_path<'p>(path: &'p str, base: &str) -> &'p str {
    if base.is_empty() {
        return path;
    }
    path.strip_prefix(base)
        .and_then(|p| p.strip_prefix('/'))
        .unwrap_or(path)
}

/// Days from 1970-01-01 to `d` (Howard Hinnant's algorithm).
pub fn days(d: Date) -> i64 {
    let y = i64::from(d.year) - i64::from(d.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(d.month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Sorts waivers: soonest expiry first, those without one last; then by
/// repository, path and rule. Fills in the days left.
pub(crate) fn sort_waivers(waivers: &mut [WaiverRow], today: Date) {
    for w in waivers.iter_mut() {
        w.days_left = w
            .expires
            .as_deref()
            .and_then(Date::parse)
            .map(|e| days(e) - days(today));
        w.expiring_soon = w.days_left.is_some_and(|d| d <= SOON_DAYS);
    }
    waivers.sort_by(|a, b| {
        let key = |w: &WaiverRow| (w.days_left.is_none(), w.days_left);
        key(a)
            .cmp(&key(b))
            .then_with(|| a.repository.cmp(&b.repository))
            .then_with(|| a.path.cmp(&b.path))
            .then_with(|| a.rule.cmp(&b.rule))
    });
}

/// The areas of `rules`, with their rules and the documents' coverage.
fn areas(rules: &RuleSet, documents: &[Document]) -> Vec<Area> {
    rules
        .areas
        .iter()
        .map(|a| {
            let mut counts = Counts::default();
            for d in documents {
                counts.add(d.areas.get(&a.id).copied().unwrap_or_default());
            }
            Area {
                id: a.id.clone(),
                title: a.title.clone(),
                rules: rules
                    .rules
                    .iter()
                    .filter(|r| rules.area_of(r).is_some_and(|x| x.id == a.id))
                    .map(|r| RuleInfo {
                        id: r.id.clone(),
                        title: r.title.clone(),
                    })
                    .collect(),
                coverage: counts.coverage(),
                counts,
            }
        })
        .collect()
}

/// Totals over `documents`.
pub(crate) fn totals(documents: &[Document]) -> Totals {
    let mut t = Totals {
        documents: documents.len(),
        ..Totals::default()
    };
    let mut scores = (0u64, 0u64);
    for d in documents {
        t.errors += d.errors;
        t.warnings += d.warnings;
        t.waived += d.waived;
        t.blocking_documents += usize::from(d.errors > 0);
        if let Some(s) = d.score {
            scores.0 += u64::from(s);
            scores.1 += 1;
        }
        for &s in d.areas.values() {
            t.cells.add(s);
        }
    }
    t.score = (scores.1 > 0).then(|| {
        let mean = (scores.0 * 2 + scores.1) / (scores.1 * 2);
        u32::try_from(mean).unwrap_or(100)
    });
    t
}

/// Makes the scorecard of `selection` (the work tree, or a commit with
/// `--rev`), with history if asked. Documents that cannot be read are
/// listed in [`Report::failures`].
pub fn build(
    workspace: &Workspace,
    config: &Config,
    selection: &Selection,
    cwd: &Path,
    options: &Options,
) -> Result<Report, Error> {
    let rules = &config.rules;
    let base = config.base();
    let mut rows = Vec::new();
    let run = crate::run(
        workspace,
        config,
        selection,
        cwd,
        |file| row(&file, rules, base),
        |r| {
            rows.push(r);
            Ok(())
        },
    )?;
    let today = Date::today();
    let (commit, kind) = match selection {
        Selection::Commit(c) => (Some(c.commit.clone()), "commit"),
        _ => (None, "work-tree"),
    };
    let head = match (&commit, &workspace.repo) {
        (Some(c), _) => Some(c.clone()),
        (None, Some(repo)) => repo.commit_id("HEAD").ok(),
        (None, None) => None,
    };
    let mut documents: Vec<Document> = Vec::with_capacity(rows.len());
    let mut waivers = Vec::new();
    for r in rows {
        documents.push(r.document);
        waivers.extend(r.waivers);
    }
    if let (Some(repo), Some(head)) = (&workspace.repo, &head) {
        let paths: Vec<&str> = documents.iter().map(|d| d.path.as_str()).collect();
        let changes = gitlog::last_changes(repo, head, &config.design_dirs, &paths)?;
        for d in &mut documents {
            d.last_change = changes.get(&d.path).cloned();
        }
    }
    let history = match (&workspace.repo, &head) {
        (Some(repo), Some(head)) if options.wants_history() => {
            let h = history::history(repo, config, head, options)?;
            h.attach(&mut documents);
            Some(h.history)
        }
        (None, _) | (_, None) if options.wants_history() => {
            return Err(Error::Usage(
                "--history, --since and --weekly read past commits, and there are none here: run inside a git repository with at least one commit".into(),
            ));
        }
        _ => None,
    };
    sort_waivers(&mut waivers, today);
    let repository = options.repository.clone().or_else(|| {
        workspace
            .root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
    });
    Ok(Report {
        schema: SCHEMA.to_owned(),
        version: VERSION,
        designgate: env!("CARGO_PKG_VERSION").to_owned(),
        generated: today.to_string(),
        source: SourceInfo {
            kind: kind.to_owned(),
            repository,
            commit: head,
            repositories: Vec::new(),
        },
        summary: totals(&documents),
        areas: areas(rules, &documents),
        documents,
        waivers,
        history,
        failures: run.failures.iter().map(ToString::to_string).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_half_up() {
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 8), Some(13));
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(5, 5), Some(100));
    }

    #[test]
    fn days_agree_with_the_calendar() {
        let d = |s| Date::parse(s).unwrap_or_else(|| panic!("{s}"));
        assert_eq!(days(d("1970-01-01")), 0);
        assert_eq!(days(d("2000-03-01")) - days(d("2000-02-28")), 2);
        assert_eq!(days(d("2027-01-01")) - days(d("2026-12-01")), 31);
    }

    #[test]
    fn waivers_expiring_first_then_none() {
        let w = |path: &str, expires: Option<&str>| WaiverRow {
            repository: None,
            path: path.into(),
            rule: "sla".into(),
            area: None,
            reason: "r".into(),
            expires: expires.map(Into::into),
            days_left: None,
            expiring_soon: false,
        };
        let mut all = vec![
            w("a", None),
            w("b", Some("2027-06-01")),
            w("c", Some("2026-12-20")),
        ];
        let today = Date::parse("2026-12-01").unwrap_or_else(|| unreachable!());
        sort_waivers(&mut all, today);
        let order: Vec<_> = all.iter().map(|w| w.path.as_str()).collect();
        assert_eq!(order, ["c", "b", "a"]);
        assert_eq!(all[0].days_left, Some(19));
        assert!(all[0].expiring_soon && !all[1].expiring_soon);
    }
}
