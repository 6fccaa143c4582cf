//! Baselines: the findings a repository already had when it adopted
//! designgate, so that `check --baseline FILE` reports only new ones.
//!
//! A baseline file (`.designgate-baseline.json`) lists findings by what
//! they are, not where: path, rule, check, the title of the section they
//! are in, and a fingerprint of their message (digits and spacing aside),
//! with a count for several alike. An edit elsewhere in the document does
//! not change any of these. The file is versioned, sorted and written one
//! entry per line, so that a review diff shows exactly what changed. The
//! format and its rules are documented in `docs/baseline.md`.
//!
//! The file comes from the repository, so it is untrusted: it is read with
//! a size cap and strictly (unknown keys, bad values and duplicate entries
//! are errors with file:line:column), an entry suppresses at most `count`
//! findings that match it exactly (there are no patterns), and its paths
//! are repository-relative names that are compared, never opened.
//!
//! Matching happens per document in [`crate::lint`], before findings are
//! summed up, through a [`Tracker`], which also counts what each entry
//! matched: entries that match less than they list are fixed and reported
//! as notes ([`Tracker::fixed_notes`]), and `designgate baseline --update`
//! drops them ([`Tracker::kept`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Suppressed, SuppressionKind};
use crate::discover::{Selection, Workspace};
use crate::error::Error;
use crate::git::RenameTarget;
use crate::notes::Note;
use crate::pack::Severity;

/// The default baseline file, at the repository root.
pub const FILE_NAME: &str = ".designgate-baseline.json";

/// The version of the baseline format this designgate reads and writes.
pub const VERSION: u32 = 1;

/// The largest baseline file read, in bytes.
pub const MAX_BYTES: u64 = 16 << 20;

/// The most entries a baseline may hold.
pub const MAX_ENTRIES: usize = 100_000;

/// The largest `count` of one entry.
pub const MAX_COUNT: usize = 1_000_000;

/// Characters of a section title that are part of an entry's key (and
/// written): a heading of a megabyte is not copied into the baseline.
pub const MAX_SECTION_CHARS: usize = 200;

/// Characters of a finding's message written into an entry (for readers;
/// the fingerprint is what matches).
pub const MAX_MESSAGE_CHARS: usize = 200;

/// The longest rule or check id, path or message an entry may hold.
const MAX_FIELD_CHARS: usize = 4096;

/// Checks whose findings no baseline suppresses: the rules could not be
/// checked, so the run must fail closed.
const NEVER_SUPPRESSED: &[&str] = &["too-expensive"];

/// Notes on fixed entries listed one by one; the rest are counted in one.
pub const MAX_FIXED_NOTES: usize = 20;

/// One entry: `count` findings in the document at `path` of `rule` and
/// `check`, in the section titled `section` (none: before the first
/// heading, or about the whole document), whose messages have
/// `fingerprint`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    #[serde(deserialize_with = "de_path")]
    pub path: String,
    #[serde(deserialize_with = "de_id")]
    pub rule: String,
    #[serde(deserialize_with = "de_id")]
    pub check: String,
    #[serde(
        default,
        deserialize_with = "de_section",
        skip_serializing_if = "Option::is_none"
    )]
    pub section: Option<String>,
    #[serde(deserialize_with = "de_fingerprint")]
    pub fingerprint: String,
    #[serde(
        default = "one",
        deserialize_with = "de_count",
        skip_serializing_if = "is_one"
    )]
    pub count: usize,
    /// The first finding's message, shortened: for readers of the file
    /// only; matching ignores it.
    #[serde(
        default,
        deserialize_with = "de_message",
        skip_serializing_if = "Option::is_none"
    )]
    pub message: Option<String>,
}

impl Entry {
    /// What findings it names, `count` aside.
    fn key(&self) -> Key<'_> {
        (
            &self.path,
            &self.rule,
            &self.check,
            self.section.as_deref(),
            &self.fingerprint,
        )
    }

    /// "`sla` (missing-detail): <message>", for notes.
    fn describe(&self) -> String {
        match (&self.message, &self.section) {
            (Some(m), _) => format!("`{}` ({}): {m}", self.rule, self.check),
            (None, Some(s)) => format!("`{}` ({}) in section `{s}`", self.rule, self.check),
            (None, None) => format!("`{}` ({})", self.rule, self.check),
        }
    }
}

type Key<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, &'a str);

/// A finding's key within its document: rule, check, section, fingerprint.
type GroupKey = (String, String, Option<String>, String);

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

/// A baseline file's content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    /// The commit `HEAD` named when the file was written: renames are
    /// followed from it. `None` outside git or on an unborn branch.
    pub commit: Option<String>,
    /// One per key, in the file's order ([`to_json`] sorts them).
    pub entries: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    #[serde(deserialize_with = "de_version")]
    version: u32,
    #[serde(default, deserialize_with = "de_commit")]
    commit: Option<String>,
    entries: Entries,
}

/// The entries, at most [`MAX_ENTRIES`], none twice.
struct Entries(Vec<Entry>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Seq;
        impl<'de> Visitor<'de> for Seq {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of baseline entries")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entries, A::Error> {
                let mut out: Vec<Entry> = Vec::new();
                // Entries by the hash of their key; a hit is compared in
                // full, so a collision is never taken for a duplicate.
                let mut seen: HashMap<u64, Vec<usize>> = HashMap::new();
                while let Some(entry) = seq.next_element::<Entry>()? {
                    if out.len() >= MAX_ENTRIES {
                        return Err(de::Error::custom(format!(
                            "more than {MAX_ENTRIES} entries; a baseline holds at most {MAX_ENTRIES}"
                        )));
                    }
                    let hash = {
                        use std::hash::{Hash, Hasher};
                        let mut h = std::collections::hash_map::DefaultHasher::new();
                        entry.key().hash(&mut h);
                        h.finish()
                    };
                    let same = seen.entry(hash).or_default();
                    if same.iter().any(|&i| out[i].key() == entry.key()) {
                        return Err(de::Error::custom(format!(
                            "entry {} repeats an earlier entry (same path, rule, check, section and fingerprint); give one entry a `count` instead",
                            out.len() + 1
                        )));
                    }
                    same.push(out.len());
                    out.push(entry);
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_seq(Seq)
    }
}

fn de_version<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let v = u32::deserialize(d)?;
    if v != VERSION {
        return Err(de::Error::custom(format!(
            "baseline version {v} is not supported: this designgate reads version {VERSION}"
        )));
    }
    Ok(v)
}

fn de_commit<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let Some(c) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    if !matches!(c.len(), 40 | 64) || !c.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(de::Error::custom(
            "`commit` must be a full commit id (40 or 64 lowercase hex digits)",
        ));
    }
    Ok(Some(c))
}

/// A text field: not empty, at most [`MAX_FIELD_CHARS`] characters.
/// Control characters are allowed: file names, headings and messages come
/// from documents and may hold them (the file escapes them as JSON does;
/// everything printed goes through the sanitiser).
fn checked_text<E: de::Error>(what: &str, s: String) -> Result<String, E> {
    if s.is_empty() {
        return Err(E::custom(format!("`{what}` is empty")));
    }
    if s.chars().count() > MAX_FIELD_CHARS {
        return Err(E::custom(format!(
            "`{what}` is longer than {MAX_FIELD_CHARS} characters"
        )));
    }
    Ok(s)
}

/// A rule or check id: lower-case ASCII letters, digits and `-`, as pack
/// ids are (and designgate's own checks).
fn de_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    let ok = !s.is_empty()
        && s.len() <= 200
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !ok {
        return Err(de::Error::custom(format!(
            "`{}` is not a rule or check id (lower-case letters, digits and `-`): baseline entries name exact findings, there are no patterns",
            s.escape_debug()
        )));
    }
    Ok(s)
}

fn de_section<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|s| {
            let s = checked_text("section", s)?;
            if s.chars().count() > MAX_SECTION_CHARS {
                return Err(de::Error::custom(format!(
                    "`section` is longer than {MAX_SECTION_CHARS} characters (designgate writes at most that many)"
                )));
            }
            Ok(s)
        })
        .transpose()
}

fn de_message<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|s| checked_text("message", s))
        .transpose()
}

fn de_fingerprint<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.len() != 16 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(de::Error::custom(
            "`fingerprint` must be 16 lowercase hex digits, as `designgate baseline` writes it",
        ));
    }
    Ok(s)
}

fn de_count<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let n = u64::deserialize(d)?;
    if n == 0 || n > MAX_COUNT as u64 {
        return Err(de::Error::custom(format!(
            "`count` must be between 1 and {MAX_COUNT}"
        )));
    }
    // At most MAX_COUNT, so it fits.
    Ok(usize::try_from(n).unwrap_or(MAX_COUNT))
}

fn de_path<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = checked_text("path", String::deserialize(d)?)?;
    check_path(&s).map_err(de::Error::custom)?;
    Ok(s)
}

/// Whether `path` is a repository-relative path in designgate's form:
/// `/`-separated, no empty, `.` or `..` part, not absolute. (Entry paths
/// are compared with the checked documents' paths, never opened.)
pub fn check_path(path: &str) -> Result<(), String> {
    let bad = path.starts_with('/')
        || path
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..");
    if bad {
        return Err(format!(
            "`{}` is not a repository-relative path (`design/x.md`: no leading `/`, no `.` or `..` parts, `/` between folders)",
            path.escape_debug()
        ));
    }
    Ok(())
}

/// Parses a baseline file's bytes; `shown` names it in errors.
pub fn parse(shown: &Path, bytes: &[u8]) -> Result<Baseline, Error> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_large(shown, bytes.len() as u64));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = crate::error::line_column(bytes, e.valid_up_to());
        Error::Config {
            path: shown.to_owned(),
            line,
            column,
            message: "the baseline is not UTF-8".into(),
        }
    })?;
    let raw: RawBaseline = serde_json::from_str(text).map_err(|e| {
        // serde_json's message ends with its own " at line L column C".
        let message = e.to_string();
        let message = match message.rfind(" at line ") {
            Some(at) => message[..at].to_owned(),
            None => message,
        };
        Error::Config {
            path: shown.to_owned(),
            line: e.line().max(1),
            column: e.column().max(1),
            message,
        }
    })?;
    let _ = raw.version;
    Ok(Baseline {
        commit: raw.commit,
        entries: raw.entries.0,
    })
}

fn too_large(shown: &Path, size: u64) -> Error {
    Error::Config {
        path: shown.to_owned(),
        line: 1,
        column: 1,
        message: format!(
            "the baseline is {size} bytes; designgate reads baselines of up to {MAX_BYTES} bytes"
        ),
    }
}

/// Reads a baseline file from disk (`shown`: its name for the user).
/// `None` when there is no file.
pub fn read_file(path: &Path, shown: &Path) -> Result<Option<Baseline>, Error> {
    use crate::snapshot::{Content, read_file};
    match read_file(path, MAX_BYTES).map_err(|e| Error::io(shown, e))? {
        Content::Bytes(bytes) => parse(shown, &bytes).map(Some),
        Content::Missing => Ok(None),
        Content::TooLarge(size) => Err(too_large(shown, size)),
        Content::NotAFile(what) => Err(Error::io(shown, std::io::Error::other(what))),
    }
}

/// Reads a baseline committed in `commit` (a full id) at `path`
/// (repository-relative). `None` when that commit has no such file.
pub fn read_committed(
    repo: &crate::git::Repo,
    rev: &str,
    commit: &str,
    path: &str,
) -> Result<Option<Baseline>, Error> {
    use crate::git::Object;
    check_path(path).map_err(Error::Usage)?;
    let shown = std::path::PathBuf::from(format!("{rev}:{path}"));
    let name = format!("{commit}:{path}");
    match repo.read_objects(&[name], MAX_BYTES)?.pop() {
        Some(Object::Content(bytes)) => parse(&shown, &bytes).map(Some),
        Some(Object::TooLarge(size)) => Err(too_large(&shown, size)),
        Some(Object::Missing) | None => Ok(None),
    }
}

/// The file's text: sorted entries, one per line, so that a diff shows
/// each added or removed entry as one line.
pub fn to_json(baseline: &Baseline) -> String {
    let mut out = format!("{{\n  \"version\": {VERSION},\n  \"commit\": ");
    match &baseline.commit {
        Some(c) => out.push_str(&format!("\"{c}\"")),
        None => out.push_str("null"),
    }
    out.push_str(",\n  \"entries\": [");
    let mut entries: Vec<&Entry> = baseline.entries.iter().collect();
    entries.sort();
    for (i, e) in entries.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        // Serialising plain strings and numbers cannot fail.
        out.push_str(&serde_json::to_string(e).unwrap_or_default());
    }
    if entries.is_empty() {
        out.push_str("]\n}\n");
    } else {
        out.push_str("\n  ]\n}\n");
    }
    out
}

/// The fingerprint of a message: FNV-1a (64 bits, hex) of the message with
/// every run of digits read as `0` and every run of white space as one
/// space, so that "has 12 words" and "has 14 words" agree.
pub fn fingerprint(message: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    let mut digits = false;
    let mut space = false;
    let mut started = false;
    let mut buf = [0u8; 4];
    for c in message.chars() {
        if c.is_ascii_digit() {
            if space && started {
                feed(b" ");
            }
            space = false;
            if !digits {
                feed(b"0");
            }
            digits = true;
            started = true;
            continue;
        }
        digits = false;
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && started {
            feed(b" ");
        }
        space = false;
        started = true;
        feed(c.encode_utf8(&mut buf).as_bytes());
    }
    format!("{hash:016x}")
}

/// `text` cut to at most `max` characters (`max` ≥ 1), the last one `…`
/// if it was cut.
fn shorten(text: &str, max: usize) -> String {
    if text.char_indices().nth(max).is_none() {
        return text.to_owned();
    }
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// Applies a baseline to the documents of one run, and counts what each
/// entry matched; optionally records every finding as an entry (for
/// `designgate baseline`). Shared by the worker threads of a run.
#[derive(Debug)]
pub struct Tracker {
    /// How the baseline is named in justifications and notes.
    label: String,
    /// The entries, each under the path its document has now (renames
    /// followed).
    entries: Vec<Entry>,
    /// For each entry, the path the file lists, if it was renamed.
    renamed_from: Vec<Option<String>>,
    by_path: HashMap<String, Vec<usize>>,
    used: Vec<AtomicUsize>,
    recorded: Option<Mutex<Vec<Entry>>>,
}

impl Tracker {
    /// A tracker for `baseline` (named `label`), with the renames git
    /// reports from its commit, `(old, new)`: an entry for `old` applies to
    /// `new`. `record`: also record every finding seen.
    pub fn new(
        baseline: Baseline,
        renames: &[(String, String)],
        label: String,
        record: bool,
    ) -> Tracker {
        let renames: HashMap<&str, &str> = renames
            .iter()
            .map(|(old, new)| (old.as_str(), new.as_str()))
            .collect();
        let mut entries = baseline.entries;
        let mut renamed_from = Vec::with_capacity(entries.len());
        let mut by_path: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter_mut().enumerate() {
            match renames.get(e.path.as_str()) {
                Some(new) => {
                    renamed_from.push(Some(std::mem::replace(&mut e.path, (*new).to_owned())));
                }
                None => renamed_from.push(None),
            }
            by_path.entry(e.path.clone()).or_default().push(i);
        }
        let used = entries.iter().map(|_| AtomicUsize::new(0)).collect();
        Tracker {
            label,
            entries,
            renamed_from,
            by_path,
            used,
            recorded: record.then(|| Mutex::new(Vec::new())),
        }
    }

    /// How the baseline is named in messages.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Marks the findings of the document at `path` that the baseline
    /// lists as suppressed, first ones first, at most `count` per entry.
    /// `diagnostics` are sorted by position and not summed up yet;
    /// `sections` are (heading start, title) in document order.
    pub fn apply(&self, path: &str, diagnostics: &mut [Diagnostic], sections: &[(usize, String)]) {
        let entries = self.by_path.get(path);
        if entries.is_none() && self.recorded.is_none() {
            return;
        }
        // Findings by key (rule, check, section, fingerprint), in order.
        let mut groups: BTreeMap<GroupKey, Vec<usize>> = BTreeMap::new();
        for (i, d) in diagnostics.iter().enumerate() {
            // why: a waived finding is already accounted for; a summary of
            // findings not collected, and a document too expensive to
            // check, stand for findings nobody has seen (fail closed).
            if d.waived.is_some()
                || d.suppressed.is_some()
                || d.elided > 0
                || d.severity == Severity::Off
                || NEVER_SUPPRESSED.contains(&d.check)
            {
                continue;
            }
            let section = if d.whole_document {
                None
            } else {
                sections
                    .partition_point(|(start, _)| *start <= d.range.start)
                    .checked_sub(1)
                    .and_then(|s| sections.get(s))
                    .map(|(_, title)| shorten(title, MAX_SECTION_CHARS))
            };
            let key = (
                d.rule.clone(),
                d.check.to_owned(),
                section,
                fingerprint(&d.message),
            );
            groups.entry(key).or_default().push(i);
        }
        if let Some(recorded) = &self.recorded {
            let mut list = recorded.lock().unwrap_or_else(PoisonError::into_inner);
            for ((rule, check, section, fingerprint), found) in &groups {
                list.push(Entry {
                    path: path.to_owned(),
                    rule: rule.clone(),
                    check: check.clone(),
                    section: section.clone(),
                    fingerprint: fingerprint.clone(),
                    count: found.len(),
                    message: found
                        .first()
                        .map(|&i| shorten(&diagnostics[i].message, MAX_MESSAGE_CHARS)),
                });
            }
        }
        let Some(entries) = entries else { return };
        // How many of each group are suppressed already.
        let mut taken: HashMap<GroupKey, usize> = HashMap::new();
        let suppressed = Suppressed {
            kind: SuppressionKind::Baseline,
            justification: format!("listed in the baseline `{}`", self.label),
        };
        for &e in entries {
            let entry = &self.entries[e];
            let key = (
                entry.rule.clone(),
                entry.check.clone(),
                entry.section.clone(),
                entry.fingerprint.clone(),
            );
            let Some(found) = groups.get(&key) else {
                continue;
            };
            let from = taken.entry(key).or_insert(0);
            let n = entry.count.min(found.len() - *from);
            for &i in &found[*from..*from + n] {
                diagnostics[i].suppressed = Some(suppressed.clone());
            }
            *from += n;
            self.used[e].fetch_add(n, Ordering::Relaxed);
        }
    }

    /// The entries recorded (one per key and document), sorted.
    pub fn recorded(&self) -> Vec<Entry> {
        let mut list = match &self.recorded {
            Some(r) => r.lock().unwrap_or_else(PoisonError::into_inner).clone(),
            None => Vec::new(),
        };
        list.sort();
        list
    }

    /// The entries as far as they still match: each under its document's
    /// path now, with `count` what it matched; entries that matched nothing
    /// are gone. What `designgate baseline --update` writes, after a run
    /// over every document.
    pub fn kept(&self) -> Vec<Entry> {
        // One entry per key: after a rename, an entry for the old path and
        // one for the new may name the same findings; their counts add up.
        let mut merged: BTreeMap<Key<'_>, Entry> = BTreeMap::new();
        for (e, used) in self.entries.iter().zip(&self.used) {
            let used = used.load(Ordering::Relaxed);
            if used == 0 {
                continue;
            }
            merged
                .entry(e.key())
                .and_modify(|m| m.count = (m.count + used).min(MAX_COUNT))
                .or_insert_with(|| Entry {
                    count: used.min(MAX_COUNT),
                    ..e.clone()
                });
        }
        merged.into_values().collect()
    }

    /// Notes on entries that match fewer findings than they list: in a
    /// document that was checked (`checked`, sorted), or, when `whole` (the
    /// run checked every document), in a document that was not.
    pub fn fixed_notes(&self, checked: &[String], whole: bool) -> Vec<Note> {
        let mut notes = Vec::new();
        let mut more = 0usize;
        let mut gone: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, e) in self.entries.iter().enumerate() {
            let used = self.used[i].load(Ordering::Relaxed);
            let left = e.count.saturating_sub(used);
            if left == 0 {
                continue;
            }
            if checked.binary_search(&e.path).is_err() {
                if whole {
                    *gone.entry(&e.path).or_insert(0) += left;
                }
                continue;
            }
            if notes.len() >= MAX_FIXED_NOTES {
                more += left;
                continue;
            }
            let how_many = if e.count == 1 {
                "a baselined finding is".to_owned()
            } else {
                format!("{left} of {} baselined findings are", e.count)
            };
            let renamed = match &self.renamed_from[i] {
                Some(old) => format!(" (listed for `{old}`, renamed)"),
                None => String::new(),
            };
            notes.push(Note::new(
                "baseline-fixed",
                Some(e.path.clone()),
                format!(
                    "{}: {how_many} fixed{renamed}: {}; `designgate baseline --update` removes {} from `{}`",
                    e.path,
                    e.describe(),
                    if e.count == left { "the entry" } else { "them" },
                    self.label
                ),
            ));
        }
        for (path, left) in gone {
            if notes.len() >= MAX_FIXED_NOTES {
                more += left;
                continue;
            }
            notes.push(Note::new(
                "baseline-fixed",
                Some(path.to_owned()),
                format!(
                    "{path}: not a checked design document any more (deleted, excluded, or renamed where git does not see it), so its {left} baselined finding{} are gone; `designgate baseline --update` removes {} from `{}`",
                    if left == 1 { "" } else { "s" },
                    if left == 1 { "it" } else { "them" },
                    self.label
                ),
            ));
        }
        if more > 0 {
            notes.push(Note::new(
                "baseline-fixed",
                None,
                format!(
                    "…and {more} more baselined findings are fixed; `designgate baseline --update` removes them from `{}`",
                    self.label
                ),
            ));
        }
        notes
    }
}

/// What git can compare a baseline's commit with for `selection`.
fn rename_target(selection: &Selection) -> RenameTarget<'_> {
    match selection {
        Selection::All | Selection::Paths { staged: false, .. } => RenameTarget::WorkTree,
        Selection::Staged | Selection::Paths { staged: true, .. } => RenameTarget::Index,
        Selection::Commit(c) => RenameTarget::Commit(&c.commit),
    }
}

/// The renames git reports under the design folders from the commit the
/// baseline was written at to what `selection` checks (the work tree, the
/// index, or the checked commit), and a note when they cannot be known.
pub fn renames(
    workspace: &Workspace,
    config: &Config,
    selection: &Selection,
    baseline: &Baseline,
    label: &str,
) -> (Vec<(String, String)>, Option<Note>) {
    let (Some(repo), Some(commit)) = (&workspace.repo, &baseline.commit) else {
        return (Vec::new(), None);
    };
    let unknown = |why: String| {
        Some(Note::new(
            "baseline-renames",
            None,
            format!(
                "renamed documents keep no baseline entries in this run: {why}; `designgate baseline --update` records the current commit in `{label}`"
            ),
        ))
    };
    if repo.commit_id(commit).is_err() {
        return (
            Vec::new(),
            unknown(format!(
                "the baseline's commit {commit} is not in this repository{}",
                repo.shallow_hint()
            )),
        );
    }
    match repo.renames(commit, rename_target(selection), &config.design_dirs) {
        Ok(renames) => (renames, None),
        Err(e) => (Vec::new(), unknown(e.to_string())),
    }
}

/// Where `check` reads the baseline from.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// A file (`--baseline FILE`, relative to the current folder).
    File(&'a Path),
    /// A file committed in a revision (`--baseline-from REV`), at `path`
    /// (repository-relative; [`FILE_NAME`] unless `--baseline` names one).
    Committed { rev: &'a str, path: &'a str },
}

/// The tracker for `check` with a baseline from `origin`, and the notes on
/// how it applies (no baseline in the revision, renames unknown).
pub fn for_check(
    workspace: &Workspace,
    config: &Config,
    selection: &Selection,
    cwd: &Path,
    origin: Origin<'_>,
) -> Result<(Tracker, Vec<Note>), Error> {
    let mut notes = Vec::new();
    let (baseline, label) = match origin {
        Origin::File(file) => {
            let abs = cwd.join(file);
            let label = file.display().to_string();
            match read_file(&abs, file)? {
                Some(b) => (b, label),
                None => {
                    return Err(Error::io(
                        file,
                        std::io::Error::new(
                            std::io::ErrorKind::NotFound,
                            "no such baseline (write one with `designgate baseline`)",
                        ),
                    ));
                }
            }
        }
        Origin::Committed { rev, path } => {
            let path = path.strip_prefix("./").unwrap_or(path);
            crate::git::validate_rev(rev)?;
            let repo = workspace.repo.as_ref().ok_or_else(|| {
                Error::Usage(
                    "--baseline-from needs a git repository, and this is not inside one".into(),
                )
            })?;
            let commit = repo.commit_id(rev)?;
            let label = format!("{rev}:{path}");
            match read_committed(repo, rev, &commit, path)? {
                Some(b) => (b, label),
                None => {
                    notes.push(Note::new(
                        "baseline-unavailable",
                        Some(path.to_owned()),
                        format!(
                            "`{rev}` has no `{path}`, so no finding is baselined in this run (a baseline counts once it is in `{rev}`)"
                        ),
                    ));
                    (Baseline::default(), label)
                }
            }
        }
    };
    let (renames, note) = renames(workspace, config, selection, &baseline, &label);
    notes.extend(note);
    Ok((Tracker::new(baseline, &renames, label, false), notes))
}

/// Whether a run of `selection` checks every design document, so that an
/// entry whose document was not checked is fixed (its document is gone).
pub fn checks_everything(selection: &Selection) -> bool {
    matches!(
        selection,
        Selection::All | Selection::Commit(crate::discover::Commits { base: None, .. })
    )
}

/// How `designgate baseline` treats an existing baseline file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Write the current findings; over an existing baseline, only if that
    /// adds none (then it is the same as [`WriteMode::Update`]).
    Fresh,
    /// `--update`: keep the entries that still match, drop the fixed ones;
    /// never add. The baseline must exist.
    Update,
    /// `--force`: write the current findings, whatever is there.
    Force,
}

/// What `designgate baseline` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The file, as named for the user.
    pub label: String,
    /// Findings and entries now in the file, and the documents they are in.
    pub findings: usize,
    pub entries: usize,
    pub documents: usize,
    /// Findings the file listed before (`None`: there was no file, or
    /// `--force` did not read it).
    pub before: Option<usize>,
    /// Current findings the file does not list (left out by `--update`).
    pub not_added: usize,
    /// Whether the file's bytes changed.
    pub changed: bool,
}

fn total(entries: &[Entry]) -> usize {
    entries.iter().map(|e| e.count).sum()
}

/// `designgate baseline`: checks every design document and writes their
/// findings to `target` (absolute; `label` names it for the user) as
/// `mode` says. The notes are the run's own (renames unknown).
///
/// why: a baseline never grows silently: over an existing file, a write
/// that would add findings is refused unless `--force` says so.
pub fn write_baseline(
    workspace: &Workspace,
    config: &Config,
    cwd: &Path,
    target: &Path,
    label: String,
    mode: WriteMode,
) -> Result<(Written, Vec<Note>), Error> {
    let old_bytes = match crate::snapshot::read_file(target, MAX_BYTES) {
        Ok(crate::snapshot::Content::Bytes(b)) => Some(b),
        _ => None,
    };
    let existing = match mode {
        WriteMode::Force => None,
        WriteMode::Fresh | WriteMode::Update => read_file(target, Path::new(&label)).map_err(|e| match e {
            Error::Config { .. } => Error::Usage(format!(
                "{e}\n(the existing baseline is not valid; fix it, or replace it with `designgate baseline --force`)"
            )),
            e => e,
        })?,
    };
    if mode == WriteMode::Update && existing.is_none() {
        return Err(Error::Usage(format!(
            "there is no baseline `{label}` to update; `designgate baseline` writes one"
        )));
    }
    let mut notes = Vec::new();
    let selection = Selection::All;
    let (renames, note) = match &existing {
        Some(b) => renames(workspace, config, &selection, b, &label),
        None => (Vec::new(), None),
    };
    notes.extend(note);
    let before = existing.as_ref().map(|b| total(&b.entries));
    let tracker = Tracker::new(
        existing.clone().unwrap_or_default(),
        &renames,
        label.clone(),
        true,
    );
    let mut run = crate::run_with(
        workspace,
        config,
        &selection,
        cwd,
        Some(&tracker),
        |_| (),
        |()| Ok(()),
    )?;
    if !run.failures.is_empty() {
        let first = run.failures.remove(0);
        return Err(Error::Usage(format!(
            "{first}\n(the baseline was not written: a document that cannot be read has no findings to record)"
        )));
    }
    let fresh = tracker.recorded();
    let (entries, not_added) = match &existing {
        None => (fresh, 0),
        Some(_) => {
            let kept = tracker.kept();
            let added = added(&fresh, &kept);
            if mode == WriteMode::Fresh && added > 0 {
                return Err(Error::Usage(format!(
                    "writing `{label}` would add {added} finding{} to it, and a baseline never grows silently: fix {} (`designgate check --baseline {label}` lists {}), or run `designgate baseline --update` to only remove fixed entries, or `designgate baseline --force` to record every current finding (review the diff)",
                    if added == 1 { "" } else { "s" },
                    if added == 1 { "it" } else { "them" },
                    if added == 1 { "it" } else { "them" },
                )));
            }
            (kept, added)
        }
    };
    // why: the same entries keep the commit they were recorded at (while
    // it exists), so that rewriting an unchanged baseline after a commit
    // changes no byte.
    let unchanged = existing.as_ref().is_some_and(|b| {
        let mut before = b.entries.clone();
        before.sort();
        before == entries
    });
    let commit = workspace.repo.as_ref().and_then(|repo| {
        let kept = existing
            .as_ref()
            .and_then(|b| b.commit.clone())
            .filter(|c| unchanged && repo.commit_id(c).is_ok());
        kept.or_else(|| repo.commit_id("HEAD").ok())
    });
    let baseline = Baseline { commit, entries };
    let text = to_json(&baseline);
    let changed = old_bytes.as_deref() != Some(text.as_bytes());
    if changed {
        crate::write::replace_file(target, text.as_bytes(), ".designgate-baseline.", None)?;
    }
    let documents = baseline
        .entries
        .iter()
        .map(|e| e.path.as_str())
        .collect::<HashSet<_>>()
        .len();
    Ok((
        Written {
            label,
            findings: total(&baseline.entries),
            entries: baseline.entries.len(),
            documents,
            before,
            not_added,
            changed,
        },
        notes,
    ))
}

/// How many findings `fresh` (entries recorded by a run) has beyond what
/// `kept` lists: what writing `fresh` over the baseline would add.
pub fn added(fresh: &[Entry], kept: &[Entry]) -> usize {
    let listed: HashMap<Key<'_>, usize> = kept.iter().map(|e| (e.key(), e.count)).collect();
    fresh
        .iter()
        .map(|e| {
            e.count
                .saturating_sub(listed.get(&e.key()).copied().unwrap_or(0))
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, message: &str, count: usize) -> Entry {
        Entry {
            path: path.into(),
            rule: "sla".into(),
            check: "hollow-section".into(),
            section: Some("SLA".into()),
            fingerprint: fingerprint(message),
            count,
            message: Some(message.into()),
        }
    }

    #[test]
    fn a_rename_onto_a_listed_path_merges_entries() {
        let fp = fingerprint("x");
        let mut old = entry("design/old.md", "x", 1);
        old.message = Some("first".into());
        let mut new = entry("design/new.md", "x", 2);
        new.message = Some("second".into());
        assert_eq!(old.fingerprint, fp);
        let baseline = Baseline {
            commit: None,
            entries: vec![old, new],
        };
        let renames = [("design/old.md".to_owned(), "design/new.md".to_owned())];
        let tracker = Tracker::new(baseline, &renames, "b.json".into(), false);
        let finding = |at: usize| Diagnostic {
            rule: "sla".into(),
            check: "hollow-section",
            area: None,
            severity: Severity::Error,
            range: at..at + 1,
            message: "x".into(),
            help: None,
            whole_document: false,
            waived: None,
            suppressed: None,
            elided: 0,
        };
        let mut found: Vec<Diagnostic> = (10..14).map(finding).collect();
        let sections = [(0, "SLA".to_owned())];
        tracker.apply("design/new.md", &mut found, &sections);
        let suppressed: Vec<bool> = found.iter().map(|d| d.suppressed.is_some()).collect();
        assert_eq!(suppressed, [true, true, true, false]);
        let kept = tracker.kept();
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(kept[0].count, 3);
        assert_eq!(kept[0].path, "design/new.md");
        // What --update writes reads back.
        let text = to_json(&Baseline {
            commit: None,
            entries: kept,
        });
        parse(Path::new("b.json"), text.as_bytes()).unwrap();
    }

    /// Found by the `baseline` fuzz target: a heading past the section
    /// limit was written one character longer than the reader accepts.
    #[test]
    fn a_long_heading_is_recorded_so_that_it_reads_back() {
        let tracker = Tracker::new(Baseline::default(), &[], "b.json".into(), true);
        let title = "é".repeat(MAX_SECTION_CHARS + 50);
        let mut found = vec![Diagnostic {
            rule: "sla".into(),
            check: "placeholder",
            area: None,
            severity: Severity::Error,
            range: 300..303,
            message: "placeholder".into(),
            help: None,
            whole_document: false,
            waived: None,
            suppressed: None,
            elided: 0,
        }];
        tracker.apply("design/a.md", &mut found, &[(0, title)]);
        let entries = tracker.recorded();
        let section = entries[0].section.clone().unwrap_or_default();
        assert_eq!(section.chars().count(), MAX_SECTION_CHARS);
        assert!(section.ends_with('…'));
        let text = to_json(&Baseline {
            commit: None,
            entries,
        });
        let back = parse(Path::new("b.json"), text.as_bytes()).unwrap();
        // And it matches the same finding again.
        let tracker = Tracker::new(back, &[], "b.json".into(), false);
        found[0].suppressed = None;
        let title = "é".repeat(MAX_SECTION_CHARS + 50);
        tracker.apply("design/a.md", &mut found, &[(0, title)]);
        assert!(found[0].suppressed.is_some());
    }

    #[test]
    fn fingerprints_ignore_digits_and_spacing() {
        assert_eq!(
            fingerprint("section `SLA` has 3 words"),
            fingerprint("section  `SLA` has 14\twords")
        );
        assert_ne!(
            fingerprint("section `SLA` has 3 words"),
            fingerprint("section `Cost` has 3 words")
        );
        assert_eq!(fingerprint("").len(), 16);
    }

    #[test]
    fn writes_sorted_one_entry_per_line_and_reads_it_back() {
        let b = Baseline {
            commit: None,
            entries: vec![entry("design/b.md", "x", 1), entry("design/a.md", "y", 2)],
        };
        let text = to_json(&b);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 8, "{text}");
        assert!(lines[4].contains("design/a.md") && lines[4].contains("\"count\":2"));
        assert!(lines[5].contains("design/b.md") && !lines[5].contains("count"));
        let back = parse(Path::new("b.json"), text.as_bytes()).unwrap();
        let mut sorted = b.entries.clone();
        sorted.sort();
        assert_eq!(back.entries, sorted);
        assert_eq!(to_json(&back), text);
    }

    #[test]
    fn rejects_hostile_entries_with_positions() {
        let cases = [
            (
                r#"{"version":1,"entries":[{"path":"../x.md","rule":"sla","check":"c","fingerprint":"0123456789abcdef"}]}"#,
                "repository-relative",
            ),
            (
                r#"{"version":1,"entries":[{"path":"/etc/x.md","rule":"sla","check":"c","fingerprint":"0123456789abcdef"}]}"#,
                "repository-relative",
            ),
            (
                r#"{"version":1,"entries":[{"path":"a.md","rule":"*","check":"c","fingerprint":"0123456789abcdef"}]}"#,
                "no patterns",
            ),
            (
                r#"{"version":1,"entries":[{"path":"a.md","rule":"sla","check":"c","fingerprint":"*"}]}"#,
                "16 lowercase hex",
            ),
            (
                r#"{"version":1,"entries":[{"path":"a.md","rule":"sla","check":"c","fingerprint":"0123456789abcdef","count":0}]}"#,
                "between 1 and",
            ),
            (
                r#"{"version":1,"entries":[{"path":"a.md","rule":"sla","check":"c","fingerprint":"0123456789abcdef","all":true}]}"#,
                "unknown field `all`",
            ),
            (r#"{"version":2,"entries":[]}"#, "version 2"),
            (
                r#"{"version":1,"entries":[{"path":"a.md","rule":"sla","check":"c","fingerprint":"0123456789abcdef"},{"path":"a.md","rule":"sla","check":"c","fingerprint":"0123456789abcdef"}]}"#,
                "repeats",
            ),
        ];
        for (text, needle) in cases {
            let err = parse(Path::new("b.json"), text.as_bytes()).unwrap_err();
            let shown = err.to_string();
            assert!(shown.starts_with("b.json:1:"), "{shown}");
            assert!(shown.contains(needle), "{shown} should say {needle}");
        }
        let text = "{\n  \"version\": 1,\n  \"entries\": [\n    {\"path\": \"a/../b.md\", \"rule\": \"sla\", \"check\": \"c\", \"fingerprint\": \"0123456789abcdef\"}\n  ]\n}\n";
        let err = parse(Path::new("b.json"), text.as_bytes()).unwrap_err();
        assert!(err.to_string().starts_with("b.json:4:"), "{err}");
    }
}
