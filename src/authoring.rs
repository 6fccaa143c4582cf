//! The authoring commands of the binary: `init`, `new` and `check --fix`.
//! What they write is made by the library ([`designgate::author`],
//! [`designgate::init`]); this file finds the paths, writes and says what
//! it did.

use std::io::Write;
use std::path::Path;

use designgate::config::Skip;
use designgate::init::{self, Written};
use designgate::source::Pending;
use designgate::{Error, Selection, Workspace, author, pack};

use crate::cli::{CheckArgs, InitArgs, NewArgs};
use crate::{say, written};

/// Writes `text` to stderr, sanitised.
fn tell(text: &str) {
    let text = designgate::report::clean_text(
        text,
        designgate::report::Stream::Terminal { colour: false },
    );
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// A repository-relative path with `/`, if `real` (canonical) is inside
/// `root` and its name is UTF-8.
fn relative(root: &Path, real: &Path) -> Option<String> {
    let rel = real.strip_prefix(root).ok()?;
    let rel = rel.to_str()?.replace('\\', "/");
    (!rel.is_empty()).then_some(rel)
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

pub(crate) fn init(args: &InitArgs, cwd: &Path, out: &mut dyn Write) -> Result<u8, Error> {
    let workspace = Workspace::open(cwd)?;
    let root = workspace.root.clone();
    let name = args.pack.as_deref().unwrap_or(pack::DEFAULT_PACK);
    // The pack as designgate.toml names it: a built-in name, or a file
    // relative to the repository root.
    let named = if pack::builtin(name).is_some() {
        name.to_owned()
    } else {
        let abs = cwd.join(name);
        if !abs.is_file() {
            let names = pack::BUILTIN_PACKS.iter().map(|(n, _)| *n);
            return Err(Error::Usage(format!(
                "unknown pack `{name}`{}: --pack takes a built-in pack (production-readiness, kep, adr) or a pack file",
                designgate::suggest::did_you_mean(name, names)
            )));
        }
        let real = std::fs::canonicalize(&abs).map_err(|e| Error::io(&abs, e))?;
        relative(&root, &real).ok_or_else(|| {
            Error::Usage(format!(
                "pack file `{name}` is outside the repository; designgate.toml can only name packs inside it"
            ))
        })?
    };
    let rules = designgate::config::standalone_pack(name, cwd)?;

    let existing = designgate::config::CONFIG_FILES
        .iter()
        .find(|f| std::fs::symlink_metadata(root.join(f)).is_ok());
    match existing {
        Some(file) => {
            writeln!(
                out,
                "designgate: left {file} alone: it exists (init never overwrites a file)"
            )
            .or_else(written)?;
        }
        None => {
            let text = init::config_text(&named, &rules);
            let path = root.join(init::CONFIG_FILE);
            // The file is checked before it is written: it must load.
            designgate::config::Config::from_toml(&path, &text)?;
            match init::create_new(&path, text.as_bytes())? {
                Written::Created => writeln!(
                    out,
                    "designgate: wrote {} (packs = [\"{named}\"])",
                    init::CONFIG_FILE
                ),
                Written::Exists => writeln!(
                    out,
                    "designgate: left {} alone: it exists (init never overwrites a file)",
                    init::CONFIG_FILE
                ),
            }
            .or_else(written)?;
            let schema = root.join(init::SCHEMA_PATH);
            match init::inside(&root, &schema) {
                Some(schema) => match init::create_new(&schema, init::CONFIG_SCHEMA.as_bytes()) {
                    Ok(Written::Created) => writeln!(
                        out,
                        "designgate: wrote {} (the #:schema line's schema: editors built on Taplo complete and check designgate.toml)",
                        init::SCHEMA_PATH
                    )
                    .or_else(written)?,
                    Ok(Written::Exists) => writeln!(
                        out,
                        "designgate: left {} alone: it exists",
                        init::SCHEMA_PATH
                    )
                    .or_else(written)?,
                    Err(e) => say(&format!(
                        "note: {e}; the #:schema line of {} names a missing file",
                        init::CONFIG_FILE
                    )),
                },
                None => say(&format!(
                    "note: {} leads outside the repository; not written",
                    init::SCHEMA_PATH
                )),
            }
        }
    }

    let config = workspace.config(&Selection::All, cwd, None, None)?;
    for dir in &config.design_dirs {
        let shown_dir = if dir.is_empty() { "." } else { dir.as_str() };
        let path = root.join(dir);
        if std::fs::symlink_metadata(&path).is_ok() {
            writeln!(out, "designgate: {shown_dir}/ is there").or_else(written)?;
            continue;
        }
        let Some(real) = init::inside(&root, &path) else {
            say(&format!(
                "note: {shown_dir}/ leads outside the repository; not created"
            ));
            continue;
        };
        std::fs::create_dir_all(&real).map_err(|e| Error::io(&real, e))?;
        writeln!(out, "designgate: created {shown_dir}/").or_else(written)?;
    }

    let mut setup = String::new();
    if workspace.repo.is_none() {
        setup.push_str("This is not a git repository yet: run `git init` first.\n");
    }
    let managers = init::managers(&root);
    let done: Vec<bool> = managers
        .iter()
        .map(|m| init::mentions_designgate(&root, m))
        .collect();
    setup.push_str(&init::hook_setup(&managers, &done, &config.design_dirs));
    let example = match config.design_dirs.first().map(String::as_str) {
        Some("") | None => "my-feature.md".to_owned(),
        Some(dir) => format!("{dir}/my-feature.md"),
    };
    write!(
        out,
        "\n{setup}\nStart a design from the checklist:\n\ndesigngate new {example}\n"
    )
    .or_else(written)?;
    Ok(0)
}

/// The title `new` gives a document named `path`: its file name without
/// the extension, `-` and `_` as spaces, the first letter upper case.
fn title_from(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let words: Vec<&str> = stem
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    let text = words.join(" ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Design".to_owned(),
    }
}

pub(crate) fn new(
    args: &NewArgs,
    cwd: &Path,
    (config_path, config_from): (Option<&Path>, Option<&str>),
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let workspace = Workspace::open(cwd)?;
    let root = workspace.root.clone();
    let shown_path = shown(&args.path);
    let abs = cwd.join(&args.path);
    if std::fs::symlink_metadata(&abs).is_ok() {
        return Err(Error::Usage(format!(
            "{shown_path} exists; designgate new never overwrites a file (`designgate check --fix {shown_path}` adds the sections it misses)"
        )));
    }
    let real = init::inside(&root, &abs).ok_or_else(|| {
        Error::Usage(format!(
            "{shown_path} is outside the repository ({})",
            root.display()
        ))
    })?;
    let rel = relative(&root, &real).ok_or_else(|| {
        Error::Usage(format!(
            "{shown_path}: not a file inside the repository with a UTF-8 name"
        ))
    })?;
    let config = workspace.config(&Selection::All, cwd, config_path, config_from)?;
    if let Some(skip) = config.skip_reason(&rel) {
        let dirs: Vec<String> = config
            .design_dirs
            .iter()
            .map(|d| {
                if d.is_empty() {
                    "./".into()
                } else {
                    format!("{d}/")
                }
            })
            .collect();
        let why = match skip {
            Skip::OutsideDesignDirs => format!(
                "it is outside the design folders ({}); put it in one, or add its folder to design_dirs in designgate.toml",
                dirs.join(", ")
            ),
            Skip::Excluded => "an `exclude` pattern of designgate.toml matches it".to_owned(),
            Skip::NotIncluded => {
                "no `include` pattern matches it (by default: a .md or .markdown file)".to_owned()
            }
        };
        return Err(Error::Usage(format!("{rel} would not be checked: {why}")));
    }
    let owner = match &args.owner {
        Some(o) if !o.trim().is_empty() => o.trim().to_owned(),
        Some(_) => return Err(Error::Usage("--owner is empty".into())),
        None => workspace
            .repo
            .as_ref()
            .and_then(|r| {
                r.config_value("user.name")
                    .or_else(|| r.config_value("user.email"))
            })
            .ok_or_else(|| {
                Error::Usage(
                    "no owner: pass --owner NAME, or set git's user.name (`git config user.name`)"
                        .into(),
                )
            })?,
    };
    let title = match &args.title {
        Some(t) if !t.trim().is_empty() => t.trim().to_owned(),
        Some(_) => return Err(Error::Usage("--title is empty".into())),
        None => title_from(&args.path),
    };
    let doc = author::new_document(
        &config,
        &rel,
        &title,
        &owner,
        designgate::waiver::Date::today(),
    );
    match init::create_new(&real, doc.text.as_bytes())? {
        Written::Created => {}
        Written::Exists => {
            return Err(Error::Usage(format!(
                "{shown_path} exists; designgate new never overwrites a file"
            )));
        }
    }
    let packs: Vec<&str> = config.rules.packs.iter().map(|p| p.name.as_str()).collect();
    let n = doc.sections.len();
    writeln!(
        out,
        "designgate: wrote {rel}: {n} section{} to fill in ({}), status: draft",
        if n == 1 { "" } else { "s" },
        packs.join(", ")
    )
    .or_else(written)?;
    for nf in &doc.not_fixable {
        say(&format!(
            "note: no section for `{}`: {}",
            nf.rule, nf.reason
        ));
    }
    // What `check` will say of it, for rules that do not relax drafts.
    let source = designgate::source::Source {
        path: rel.clone(),
        origin: designgate::source::Origin::Disk,
        bytes: doc.text.clone().into_bytes(),
        oversized: None,
    };
    let opts = designgate::lint::Options {
        rules: &config.rules,
        snapshot: &designgate::snapshot::Empty,
        base: config.base(),
        today: designgate::waiver::Date::today(),
    };
    let report = designgate::lint::lint_source(source, &opts);
    let errors: usize = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == pack::Severity::Error && d.waived.is_none())
        .map(|d| d.count())
        .sum();
    if errors > 0 {
        say(&format!(
            "note: these rules do not relax drafts: {errors} finding{} in {rel} will block a commit until written (a pack relaxes drafts with [[relax]] when = {{ status = \"draft\" }} max_severity = \"warning\")",
            if errors == 1 { "" } else { "s" }
        ));
    }
    writeln!(
        out,
        "Each section's comment says what it needs; `designgate check {rel}` shows what is left."
    )
    .or_else(written)?;
    Ok(0)
}

/// `check --fix`: adds the missing sections to the work-tree files of the
/// selection, saying what it added. Returns whether some file could not be
/// fixed because of an error (the run then exits with 2).
pub(crate) fn fix(
    args: &CheckArgs,
    workspace: &Workspace,
    cwd: &Path,
    (config_path, config_from): (Option<&Path>, Option<&str>),
) -> Result<bool, Error> {
    let refused = if args.staged {
        Some(("--staged", "the staged content (the index)"))
    } else if args.rev.is_some() {
        Some(("--rev", "a commit"))
    } else if args.diff.is_some() {
        Some(("--diff", "commits"))
    } else {
        None
    };
    if let Some((flag, what)) = refused {
        return Err(Error::Usage(format!(
            "--fix changes files in the work tree, but {flag} checks {what}, which --fix cannot change; run `designgate check --fix [PATHS]`, then `git add` what it changed"
        )));
    }
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if let Some(var) = ["GIT_INDEX_FILE", "PRE_COMMIT"]
        .into_iter()
        .find(|v| set(v))
    {
        return Err(Error::Usage(format!(
            "--fix does not change files under a git hook ({var} is set): the commit would not contain the change; run `designgate check --fix` yourself, then `git add`"
        )));
    }
    let selection = if args.paths.is_empty() {
        Selection::All
    } else {
        Selection::Paths {
            paths: args.paths.clone(),
            staged: false,
        }
    };
    let config = workspace.config(&selection, cwd, config_path, config_from)?;
    let pending = workspace.discover(&config, &selection, cwd)?;
    let root = &workspace.root;
    let mut changed = 0usize;
    let mut failed = false;
    for p in pending {
        let Pending::File { path, abs, .. } = p else {
            continue;
        };
        let real = match std::fs::canonicalize(&abs) {
            Ok(real) => real,
            Err(e) => {
                say(&format!("error: {}", Error::io(&path, e)));
                failed = true;
                continue;
            }
        };
        if !real.starts_with(root) {
            say(&format!(
                "note: {path}: not fixed: it is a symbolic link to a file outside the repository"
            ));
            continue;
        }
        let limit = designgate::source::MAX_DOCUMENT_BYTES;
        let bytes = match designgate::snapshot::read_listed_file(&real, limit) {
            Ok(designgate::snapshot::Content::Bytes(b)) => b,
            Ok(designgate::snapshot::Content::TooLarge(size)) => {
                say(&format!(
                    "note: {path}: not fixed: {size} bytes, larger than the {limit} bytes designgate reads"
                ));
                continue;
            }
            // Reported by the check that follows.
            Ok(_) => continue,
            Err(e) => {
                say(&format!("error: {}", Error::io(&path, e)));
                failed = true;
                continue;
            }
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            say(&format!("note: {path}: not fixed: not UTF-8 text"));
            continue;
        };
        if designgate::lint::parse_bytes(&bytes).is_err() {
            say(&format!(
                "note: {path}: not fixed: designgate cannot read it as a design document (see below)"
            ));
            continue;
        }
        let plan = author::missing_section_edits(text, &path, &config);
        for nf in &plan.not_fixable {
            say(&format!(
                "note: {path}: cannot add `{}`: {}",
                nf.rule, nf.reason
            ));
        }
        if plan.edits.is_empty() {
            continue;
        }
        let fixed = author::apply_edits(text, &plan.edits);
        if let Err(e) = designgate::write::replace_file(
            &real,
            fixed.as_bytes(),
            ".designgate-fix-",
            Some(&bytes),
        ) {
            say(&format!("error: {e}"));
            failed = true;
            continue;
        }
        changed += 1;
        let n: usize = plan.edits.iter().map(|e| e.added.len()).sum();
        let mut lines = format!(
            "designgate: {path}: added {n} section{}:\n",
            if n == 1 { "" } else { "s" }
        );
        let mut shift = 0;
        for e in &plan.edits {
            for a in &e.added {
                let at = e.offset + shift + a.at;
                let line = fixed.as_bytes()[..at.min(fixed.len())]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                lines.push_str(&format!(
                    "  line {line}: {} {} ({})\n",
                    "#".repeat(usize::from(a.level)),
                    a.heading,
                    a.rule
                ));
            }
            shift += e.text.len();
        }
        tell(&lines);
    }
    if changed == 0 && !failed {
        say("--fix: no missing section to add");
    }
    Ok(failed)
}
