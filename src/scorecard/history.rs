//! The scorecard over past commits (`--history N`, `--since DATE`), from git
//! objects alone: one `git log --first-parent -m --raw` lists the commits
//! that changed design documents and the blob each change left; one
//! `git ls-tree` gives the documents of the oldest; the state after each
//! later commit follows from the changes. Blobs are read with
//! `git cat-file --batch` (one process per [`CHUNK`] blobs) and linted only
//! when the cache does not know them.
//!
//! The cache ([`Cache`]) lives in the git common folder
//! (`designgate/report-cache.json`, shared by worktrees, present in bare
//! repositories) and is keyed by blob id, path (rule scopes depend on it)
//! and a digest of the rules. It holds at most [`MAX_ENTRIES`] entries
//! (least recently used go first); a cache that cannot be read or parsed
//! is ignored, and one that cannot be written is not written.
//!
//! What history does not judge: relative links. Whether a link resolves
//! depends on the whole tree, not on the document's blob, so in history
//! every link counts as resolving (the current report checks them).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::date::Date;
use crate::error::Error;
use crate::git::{Object, Repo};
use crate::lint;
use crate::pack::RuleSet;
use crate::snapshot::{Entry, Snapshot};
use crate::source::{MAX_DOCUMENT_BYTES, Origin, Source};

use super::gitlog::{self, LogCommit};
use super::{Counts, Document, History, Options, Outcome, Point, area_states, score};

/// Commits history reads at most, whatever `--history` or `--since` ask.
pub const MAX_COMMITS: usize = 10_000;
/// Entries the cache keeps at most.
pub const MAX_ENTRIES: usize = 50_000;
/// A cache file larger than this is ignored.
const MAX_CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// Blobs read by one `git cat-file --batch`: memory holds at most this many
/// documents at once.
pub const CHUNK: usize = 512;
/// The cache's own format version.
const CACHE_VERSION: u32 = 1;

/// History, and each document's score along it.
#[derive(Debug)]
pub(crate) struct Computed {
    pub(crate) history: History,
    /// Path → score at each point.
    per_document: HashMap<String, Vec<Option<u32>>>,
}

impl Computed {
    /// Gives each document its sparkline.
    pub(crate) fn attach(&self, documents: &mut [Document]) {
        for d in documents {
            d.history = Some(
                self.per_document
                    .get(&d.path)
                    .cloned()
                    .unwrap_or_else(|| vec![None; self.history.points.len()]),
            );
        }
    }
}

/// A snapshot in which every path exists: history does not judge links.
struct AnyPath;

impl Snapshot for AnyPath {
    fn describe(&self) -> String {
        "history (links not checked)".to_owned()
    }

    fn entry(&self, _path: &str) -> Entry {
        Entry::File
    }
}

/// One cached result.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Cached {
    outcome: Outcome,
    /// The earliest expiry of a waiver in force: after that day the result
    /// may change, and the blob is linted again.
    #[serde(default)]
    valid_until: Option<String>,
    /// The run that last used it, for eviction.
    used: u64,
}

/// The blob cache: `key` → result.
#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    /// Runs so far; each stamps the entries it uses.
    runs: u64,
    entries: HashMap<String, Cached>,
}

/// The cache as read, and where it goes.
pub(crate) struct Cache {
    path: Option<PathBuf>,
    file: CacheFile,
    changed: bool,
}

impl Cache {
    /// The cache of `repo`; empty if absent, unreadable or corrupted.
    pub(crate) fn open(repo: &Repo) -> Cache {
        let path = common_dir(repo).map(|d| d.join("designgate").join("report-cache.json"));
        let file = path
            .as_deref()
            .and_then(
                |p| match crate::snapshot::read_listed_file(p, MAX_CACHE_BYTES) {
                    Ok(crate::snapshot::Content::Bytes(bytes)) => {
                        serde_json::from_slice::<CacheFile>(&bytes).ok()
                    }
                    _ => None,
                },
            )
            .filter(|f| f.version == CACHE_VERSION)
            .unwrap_or(CacheFile {
                version: CACHE_VERSION,
                ..CacheFile::default()
            });
        let mut cache = Cache {
            path,
            file,
            changed: false,
        };
        cache.file.runs += 1;
        cache
    }

    fn get(&mut self, key: &str, today: Date) -> Option<Outcome> {
        let run = self.file.runs;
        let entry = self.file.entries.get_mut(key)?;
        if let Some(until) = entry.valid_until.as_deref().and_then(Date::parse)
            && until < today
        {
            return None;
        }
        if entry.used != run {
            entry.used = run;
            self.changed = true;
        }
        Some(entry.outcome.clone())
    }

    fn put(&mut self, key: String, outcome: Outcome, valid_until: Option<String>) {
        self.file.entries.insert(
            key,
            Cached {
                outcome,
                valid_until,
                used: self.file.runs,
            },
        );
        self.changed = true;
    }

    /// Writes the cache (atomically) if it changed, dropping the least
    /// recently used entries past [`MAX_ENTRIES`]. Failing to write is not
    /// an error: the next run lints again.
    pub(crate) fn save(mut self) {
        let Some(path) = self.path.take() else { return };
        if !self.changed {
            return;
        }
        evict(&mut self.file.entries, MAX_ENTRIES);
        let Some(dir) = path.parent() else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let Ok(bytes) = serde_json::to_vec(&self.file) else {
            return;
        };
        let _ = crate::write::replace_file(&path, &bytes, ".report-cache.", None);
    }
}

/// Drops the least recently used entries until at most `max` are left
/// (among those last used in the same run, any).
fn evict(entries: &mut HashMap<String, Cached>, max: usize) {
    if entries.len() <= max {
        return;
    }
    let mut by_age: Vec<(u64, String)> = entries.iter().map(|(k, e)| (e.used, k.clone())).collect();
    by_age.sort_unstable();
    let extra = entries.len() - max;
    for (_, k) in by_age.into_iter().take(extra) {
        entries.remove(&k);
    }
}

/// The git common folder (shared by linked worktrees; the repository
/// itself when bare), absolute.
fn common_dir(repo: &Repo) -> Option<PathBuf> {
    let out = repo
        .command()
        .args(["rev-parse", "--path-format=absolute", "--git-common-dir"])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let dir = PathBuf::from(text.trim_end_matches(['\n', '\r']));
    dir.is_absolute().then_some(dir)
}

/// 64-bit FNV-1a, for the rules digest (not a defence: the cache is the
/// repository owner's own).
fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A digest of everything that decides a document's result besides its
/// bytes and path: the compiled rules, areas and relaxations, the config's
/// folder and designgate's version.
pub(crate) fn rules_digest(rules: &RuleSet, base: &str) -> String {
    // why: the forbid sets are built on first use; built here, the Debug
    // text is the same whether or not a document was linted before.
    for r in &rules.rules {
        let _ = r.forbid_set();
    }
    let mut h = 0xcbf2_9ce4_8422_2325;
    h = fnv(env!("CARGO_PKG_VERSION").as_bytes(), h);
    h = fnv(base.as_bytes(), h);
    h = fnv(format!("{:?}", rules.areas).as_bytes(), h);
    h = fnv(format!("{:?}", rules.rules).as_bytes(), h);
    h = fnv(format!("{:?}", rules.relax).as_bytes(), h);
    format!("{h:016x}")
}

/// The history of the design documents reachable from `head`.
pub(crate) fn history(
    repo: &Repo,
    config: &Config,
    head: &str,
    options: &Options,
) -> Result<Computed, Error> {
    let count = options.history.unwrap_or(MAX_COMMITS).clamp(1, MAX_COMMITS);
    let mut args = vec![
        "--first-parent".to_owned(),
        "-m".to_owned(),
        format!("--max-count={count}"),
    ];
    if let Some(since) = &options.since {
        if since.is_empty() || since.contains(['\n', '\r', '\0']) {
            return Err(Error::Usage(format!(
                "--since `{}` is not a date",
                since.escape_debug()
            )));
        }
        args.push(format!("--since={since}"));
    }
    crate::git::validate_rev(head)?;
    args.push(head.to_owned());
    let mut commits: Vec<LogCommit> = Vec::new();
    gitlog::log(repo, &args, &config.design_dirs, |c| {
        commits.push(c);
        true
    })?;
    commits.reverse();
    let Some(oldest) = commits.first() else {
        return Ok(Computed {
            history: History {
                points: Vec::new(),
                linted: 0,
                cached: 0,
                weekly: options.weekly,
            },
            per_document: HashMap::new(),
        });
    };
    // The documents after each commit, as path → blob; each state is kept
    // as indices into `docs` (one entry per path and blob seen), so a long
    // history of many documents holds each path and blob id once.
    let mut state: BTreeMap<String, String> = repo
        .tree_files(&oldest.id, &config.design_dirs)?
        .into_iter()
        .filter(|b| b.utf8 && config.is_design_doc(&b.path))
        .map(|b| (b.path, b.id))
        .collect();
    let mut docs: Vec<(String, String)> = Vec::new();
    let mut index: HashMap<(String, String), u32> = HashMap::new();
    let mut intern = |state: &BTreeMap<String, String>| -> Vec<u32> {
        state
            .iter()
            .map(|(p, b)| {
                let next = u32::try_from(docs.len()).unwrap_or(u32::MAX);
                *index.entry((p.clone(), b.clone())).or_insert_with(|| {
                    docs.push((p.clone(), b.clone()));
                    next
                })
            })
            .collect()
    };
    let mut states: Vec<Vec<u32>> = Vec::with_capacity(commits.len());
    states.push(intern(&state));
    for c in commits.iter().skip(1) {
        for change in &c.changes {
            if !config.is_design_doc(&change.path) {
                continue;
            }
            match &change.blob {
                Some(id) => state.insert(change.path.clone(), id.clone()),
                None => state.remove(&change.path),
            };
        }
        states.push(intern(&state));
    }
    drop(state);
    drop(index);

    let digest = rules_digest(&config.rules, config.base());
    let key = |path: &str, blob: &str| format!("{digest} {blob} {path}");
    let today = Date::today();
    let mut cache = Cache::open(repo);
    let mut results: Vec<Option<Outcome>> = vec![None; docs.len()];
    let mut unseen: Vec<usize> = Vec::new();
    let mut cached = 0;
    for (i, (path, blob)) in docs.iter().enumerate() {
        match cache.get(&key(path, blob), today) {
            Some(o) => {
                cached += 1;
                results[i] = Some(o);
            }
            None => unseen.push(i),
        }
    }
    let linted = unseen.len();
    let opts = lint::Options {
        rules: &config.rules,
        snapshot: &AnyPath,
        base: config.base(),
        today,
    };
    for chunk in unseen.chunks(CHUNK) {
        let names: Vec<String> = chunk.iter().map(|&i| docs[i].1.clone()).collect();
        let objects = repo.read_objects(&names, MAX_DOCUMENT_BYTES)?;
        let done: Vec<(usize, Outcome, Option<String>)> = chunk
            .par_iter()
            .zip(objects.into_par_iter())
            .map(|(&i, object)| {
                let path = docs[i].0.clone();
                let source = match object {
                    Object::Content(bytes) => Source::from_git(path, Origin::Commit, bytes),
                    Object::TooLarge(size) => Source::oversized(path, Origin::Commit, size),
                    Object::Missing => Source::from_git(path, Origin::Commit, Vec::new()),
                };
                let file = lint::lint_source(source, &opts);
                let valid_until = file
                    .diagnostics
                    .iter()
                    .filter_map(|d| d.waived.as_ref()?.expires.clone())
                    .min();
                let doc = lint::parse_bytes(&file.bytes).ok();
                let fm = doc.as_ref().and_then(crate::check::front_matter);
                let local = super::local_path(&file.path, config.base());
                let (outcome, _) = super::outcome(&file, fm, &config.rules, local);
                (i, outcome, valid_until)
            })
            .collect();
        for (i, outcome, valid_until) in done {
            let (path, blob) = &docs[i];
            cache.put(key(path, blob), outcome.clone(), valid_until);
            results[i] = Some(outcome);
        }
    }
    cache.save();

    let mut points = Vec::with_capacity(commits.len());
    let mut per_document: HashMap<String, Vec<Option<u32>>> = HashMap::new();
    for (i, (commit, s)) in commits.iter().zip(&states).enumerate() {
        let mut counts: BTreeMap<String, Counts> = config
            .rules
            .areas
            .iter()
            .map(|a| (a.id.clone(), Counts::default()))
            .collect();
        let mut blocking = 0;
        for &d in s {
            let d = d as usize;
            let Some(o) = results.get(d).and_then(Option::as_ref) else {
                continue;
            };
            blocking += o.errors;
            for (area, state) in area_states(&config.rules, &o.rules) {
                counts.entry(area).or_default().add(state);
            }
            let line = per_document
                .entry(docs[d].0.clone())
                .or_insert_with(|| vec![None; commits.len()]);
            line[i] = score(&o.rules);
        }
        points.push(Point {
            commit: commit.id.clone(),
            date: commit.date.clone(),
            documents: s.len(),
            blocking,
            coverage: counts.into_iter().map(|(a, c)| (a, c.coverage())).collect(),
        });
    }
    if options.weekly {
        let keep = last_of_each_week(&points);
        points = keep.iter().map(|&i| points[i].clone()).collect();
        for line in per_document.values_mut() {
            *line = keep.iter().map(|&i| line[i]).collect();
        }
    }
    Ok(Computed {
        history: History {
            points,
            linted,
            cached,
            weekly: options.weekly,
        },
        per_document,
    })
}

/// The indices of the points that end a week (Monday to Sunday, by the
/// date the commit was written in): the last point of each run of points
/// in the same week. A point whose date cannot be read stands alone.
fn last_of_each_week(points: &[Point]) -> Vec<usize> {
    let week = |p: &Point| {
        p.date
            .get(..10)
            .and_then(Date::parse)
            // 1970-01-01 was a Thursday: +3 makes weeks start on Monday.
            .map(|d| (super::days(d) + 3).div_euclid(7))
    };
    let mut keep = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let this = week(p);
        let next = points.get(i + 1).map(week);
        if this.is_none() || next != Some(this) {
            keep.push(i);
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(used: u64) -> Cached {
        Cached {
            outcome: Outcome {
                rules: BTreeMap::new(),
                errors: 0,
                warnings: 0,
                waived: 0,
            },
            valid_until: None,
            used,
        }
    }

    #[test]
    fn weeks_end_on_sunday() {
        let p = |date: &str| Point {
            commit: String::new(),
            date: date.into(),
            documents: 0,
            blocking: 0,
            coverage: BTreeMap::new(),
        };
        // 2026-11-29 is a Sunday, 2026-11-30 a Monday.
        let points = [
            p("2026-11-23T10:00:00Z"),
            p("2026-11-29T23:00:00+01:00"),
            p("2026-11-30T08:00:00Z"),
            p("garbled"),
            p("2026-12-02T08:00:00Z"),
            p("2026-12-03T08:00:00Z"),
        ];
        assert_eq!(last_of_each_week(&points), [1, 2, 3, 5]);
    }

    #[test]
    fn eviction_keeps_the_most_recently_used() {
        let mut entries: HashMap<String, Cached> =
            (0..10).map(|i| (format!("k{i}"), entry(i % 5))).collect();
        evict(&mut entries, 4);
        assert_eq!(entries.len(), 4);
        assert!(entries.values().all(|e| e.used >= 3), "{entries:?}");
        evict(&mut entries, 10);
        assert_eq!(entries.len(), 4);
    }

    #[test]
    fn the_rules_digest_is_stable_and_tells_rule_sets_apart() {
        let a = crate::Config::from_toml(std::path::Path::new("designgate.toml"), "")
            .expect("default config");
        let b = crate::Config::from_toml(
            std::path::Path::new("designgate.toml"),
            "[severity]\nsla = \"warning\"\n",
        )
        .expect("config");
        let first = rules_digest(&a.rules, "");
        // Building the rules' caches (as linting does) changes nothing,
        // nor do the parts of the `forbid` sets compiled on first use.
        let _ = a.rules.heading_index();
        for rule in &a.rules.rules {
            if let Some(set) = rule.forbid_set() {
                let _ = set.matches("TBD, lorem ipsum, [add it], {{x}}.\nN/A\n");
            }
        }
        assert_eq!(first, rules_digest(&a.rules, ""));
        assert_ne!(first, rules_digest(&b.rules, ""));
        assert_ne!(first, rules_digest(&a.rules, "sub"));
    }
}
