//! Applying layers: packs (with `extends`), then the config. Each layer may
//! define areas and rules, change earlier rules by id, add relaxations and
//! examples. Errors name the file, line and column of the offending key.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::raw::{RawArea, RawDefaults, RawDocTest, RawPack, RawRelax, RawRule};
use super::{
    Area, Contains, Cover, DEFAULT_TEST_PATH, DocTest, Forbid, Globs, PackInfo, Relax, Require,
    Rule, RuleKind, RuleSet, RuleTest, Severity, check_id, when,
};
use crate::error::Error;
use crate::heading::{key, normalize};
use crate::suggest::did_you_mean;

/// Where the pack files that a configuration or pack names are read from.
/// The configuration layer implements it over a snapshot of the repository
/// (or, for a file named on the command line, the host).
pub trait PackFiles {
    /// The path of pack `name` as written in a file in folder `dir`; it is
    /// also the pack's identity and, up to its last `/`, the folder its own
    /// `extends` resolve against. An error message when `name` may not be
    /// read from here (an absolute path or one that leaves the repository).
    fn resolve(&self, dir: &str, name: &str) -> Result<String, String>;
    /// The path to show for `path` (as [`PackFiles::resolve`] gave it) and
    /// its text, or `None` if there is no such file.
    fn read(&self, path: &str) -> Result<(std::path::PathBuf, Option<String>), Error>;
}

/// How deep `extends` may nest. why: each level is a few stack frames; a
/// chain of thousands would overflow the stack, and no real set of packs
/// comes close to this.
pub const MAX_EXTENDS_DEPTH: usize = 32;

/// How many packs one configuration may load in all. why: each pack file
/// is a read (a `git` process in a commit's tree); a configuration naming
/// thousands of them would stall a server hook.
pub const MAX_PACKS: usize = 256;

/// Files for built-in packs, which extend built-ins only.
struct NoFiles;

impl PackFiles for NoFiles {
    fn resolve(&self, _dir: &str, name: &str) -> Result<String, String> {
        Err(format!(
            "a built-in pack can only extend built-in packs, not `{name}`"
        ))
    }

    fn read(&self, _path: &str) -> Result<(std::path::PathBuf, Option<String>), Error> {
        Ok((std::path::PathBuf::new(), None))
    }
}

/// The file a layer comes from, for error positions and provenance.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    /// How `designgate rules` names this layer.
    pub origin: &'a str,
}

impl Ctx<'_> {
    pub(crate) fn err(&self, span: Range<usize>, message: impl Into<String>) -> Error {
        Error::config_at(self.path, self.text, Some(span), message)
    }
}

/// The parts of a pack or config that define and change rules.
#[derive(Default)]
pub(crate) struct Layer {
    pub(crate) defaults: RawDefaults,
    pub(crate) area: Vec<RawArea>,
    pub(crate) rule: Vec<Spanned<RawRule>>,
    pub(crate) rules: BTreeMap<Spanned<String>, RawRule>,
    pub(crate) relax: Vec<RawRelax>,
    pub(crate) test: Vec<RawDocTest>,
}

/// Builds a [`RuleSet`] layer by layer.
#[derive(Default)]
pub struct Builder {
    set: RuleSet,
    /// Packs already loaded (built-in names, canonical paths): a pack reached
    /// twice through `extends` is applied once.
    loaded: Vec<String>,
    /// Packs being loaded (identity, name as written), to report `extends`
    /// cycles.
    stack: Vec<(String, String)>,
}

impl From<RuleSet> for Builder {
    fn from(set: RuleSet) -> Self {
        Builder {
            set,
            ..Builder::default()
        }
    }
}

impl Builder {
    pub fn finish(mut self) -> RuleSet {
        self.set.rules_changed();
        self.set
    }

    /// Loads the pack `name`: a built-in name, or a path relative to `dir`
    /// (a `/`-separated folder below the root of `files`; `""` for the
    /// root), named at `span` of the file in `ctx`.
    pub fn pack(
        &mut self,
        name: &str,
        files: &dyn PackFiles,
        dir: &str,
        span: Range<usize>,
        ctx: &Ctx<'_>,
    ) -> Result<(), Error> {
        if let Some(text) = super::builtin(name) {
            return self.guarded(name.to_owned(), name, span, ctx, |b| {
                // Built-in patterns compile on first use (see `LazyRegex`).
                super::builtin_patterns(|| {
                    b.pack_text(Path::new(&format!("<built-in {name}>")), text, name, None)
                })
            });
        }
        let looks_like_path = name.contains('/') || name.contains('\\') || name.ends_with(".toml");
        if !looks_like_path {
            return Err(ctx.err(
                span,
                format!(
                    "unknown built-in pack `{name}`, expected {}",
                    expected_packs(name)
                ),
            ));
        }
        let relative = files
            .resolve(dir, name)
            .map_err(|m| ctx.err(span.clone(), m))?;
        let (path, text) = files.read(&relative)?;
        let Some(text) = text else {
            return Err(ctx.err(span, format!("pack file `{}` not found", path.display())));
        };
        let folder = relative.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
        self.guarded(relative.clone(), name, span, ctx, |b| {
            b.pack_text(&path, &text, name, Some((files, &folder)))
        })
    }

    /// Loads one pack on its own, as named on the command line: a built-in
    /// name, or a path relative to folder `cwd` of `files`.
    pub fn standalone(name: &str, files: &dyn PackFiles, cwd: &str) -> Result<RuleSet, Error> {
        super::reset_pattern_count();
        let mut b = Builder::default();
        let found = super::builtin(name).is_some()
            || files
                .resolve(cwd, name)
                .ok()
                .is_some_and(|p| Path::new(&p).is_file());
        if !found {
            return Err(Error::Usage(format!(
                "no pack `{name}`: expected {}",
                expected_packs(name)
            )));
        }
        let ctx = Ctx {
            path: Path::new("<command line>"),
            text: name,
            origin: "<command line>",
        };
        b.pack(name, files, cwd, 0..name.len(), &ctx)?;
        Ok(b.finish())
    }

    /// Runs `load` unless the pack was loaded already; reports cycles.
    fn guarded(
        &mut self,
        identity: String,
        name: &str,
        span: Range<usize>,
        ctx: &Ctx<'_>,
        load: impl FnOnce(&mut Self) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if let Some(start) = self.stack.iter().position(|(id, _)| *id == identity) {
            let mut chain: Vec<&str> = self.stack[start..]
                .iter()
                .map(|(_, n)| n.as_str())
                .collect();
            chain.push(name);
            return Err(ctx.err(span, format!("`extends` cycle: {}", chain.join(" → "))));
        }
        if self.loaded.contains(&identity) {
            return Ok(());
        }
        if self.stack.len() >= MAX_EXTENDS_DEPTH {
            return Err(ctx.err(
                span,
                format!("`extends` nests more than {MAX_EXTENDS_DEPTH} packs deep"),
            ));
        }
        if self.loaded.len() >= MAX_PACKS {
            return Err(ctx.err(
                span,
                format!("more than {MAX_PACKS} packs in one configuration"),
            ));
        }
        self.stack.push((identity.clone(), name.to_owned()));
        let result = load(self);
        self.stack.pop();
        self.loaded.push(identity);
        result
    }

    /// Applies the pack in `text`. `files` and the pack's folder resolve
    /// relative `extends`; a built-in pack (`None`) extends built-ins only.
    pub fn pack_text(
        &mut self,
        path: &Path,
        text: &str,
        origin: &str,
        files: Option<(&dyn PackFiles, &str)>,
    ) -> Result<(), Error> {
        let ctx = Ctx { path, text, origin };
        let raw: RawPack = parse_toml(path, text)?;
        let (files, folder) = files.unwrap_or((&NoFiles, ""));
        for parent in &raw.pack.extends {
            self.pack(parent.get_ref(), files, folder, parent.span(), &ctx)?;
        }
        check_id(&raw.pack.name).map_err(|m| ctx.err(raw.pack.name.span(), m))?;
        self.set.packs.push(PackInfo {
            name: raw.pack.name.into_inner(),
            description: raw.pack.description.trim().to_owned(),
            origin: origin.to_owned(),
            extends: raw
                .pack
                .extends
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
        });
        self.layer(
            Layer {
                defaults: raw.defaults,
                area: raw.area,
                rule: raw.rule,
                rules: raw.rules,
                relax: raw.relax,
                test: raw.test,
            },
            &ctx,
        )
    }

    /// Applies one layer.
    pub(crate) fn layer(&mut self, layer: Layer, ctx: &Ctx<'_>) -> Result<(), Error> {
        for area in layer.area {
            self.area(area, ctx)?;
        }
        let mut touched = Vec::new();
        for rule in layer.rule {
            let span = rule.span();
            let raw = rule.into_inner();
            touched.push((self.define(raw, span.clone(), &layer.defaults, ctx)?, span));
        }
        for (id, raw) in layer.rules {
            let span = id.span();
            let Some(index) = self.set.rules.iter().position(|r| r.id == *id.get_ref()) else {
                return Err(ctx.err(
                    span,
                    format!(
                        "unknown rule id `{}` in [rules] (`designgate rules` lists the rules; [[rule]] adds a new one){}",
                        id.get_ref(),
                        did_you_mean(id.get_ref(), self.set.ids())
                    ),
                ));
            };
            if let Some(inner) = &raw.id {
                return Err(ctx.err(
                    inner.span(),
                    "`id` cannot be changed: the table name is the rule id",
                ));
            }
            let mut rule = self.set.rules[index].clone();
            self.apply(&mut rule, raw, span.clone(), ctx, true)?;
            self.set.rules[index] = rule;
            touched.push((index, span));
        }
        for (index, span) in touched {
            self.check_references(index, span, ctx)?;
        }
        for relax in layer.relax {
            let relax = self.relax(relax, ctx)?;
            self.set.relax.push(relax);
        }
        let scope: Vec<String> = self.set.ids().map(str::to_owned).collect();
        for test in layer.test {
            self.set.tests.push(DocTest {
                scope: scope.clone(),
                name: test.name,
                document: test.document,
                expect: test.expect.into_iter().map(Spanned::into_inner).collect(),
                path: test.path.unwrap_or_else(|| DEFAULT_TEST_PATH.to_owned()),
                files: test.files,
                origin: ctx.origin.to_owned(),
            });
        }
        Ok(())
    }

    /// Sets a rule's severity (`[severity]` in the config).
    pub(crate) fn set_severity(
        &mut self,
        id: &Spanned<String>,
        severity: Severity,
        ctx: &Ctx<'_>,
    ) -> Result<(), Error> {
        let Some(rule) = self.set.rules.iter_mut().find(|r| r.id == *id.get_ref()) else {
            let suggestion = did_you_mean(id.get_ref(), self.set.ids());
            return Err(ctx.err(
                id.span(),
                format!(
                    "unknown rule id `{}` in [severity]; `designgate rules` lists the rules{suggestion}",
                    id.get_ref()
                ),
            ));
        };
        rule.severity = severity;
        rule.changes
            .push(("severity".to_owned(), ctx.origin.to_owned()));
        Ok(())
    }

    fn area(&mut self, area: RawArea, ctx: &Ctx<'_>) -> Result<(), Error> {
        check_id(&area.id).map_err(|m| ctx.err(area.id.span(), m))?;
        if let Some(existing) = self.set.areas.iter().find(|a| a.id == *area.id.get_ref()) {
            // Packs may share areas; a later pack may not silently retitle one.
            if existing.title != area.title {
                return Err(ctx.err(
                    area.id.span(),
                    format!(
                        "area `{}` is already defined with title {:?}",
                        area.id.get_ref(),
                        existing.title
                    ),
                ));
            }
            return Ok(());
        }
        self.set.areas.push(Area {
            id: area.id.into_inner(),
            title: area.title,
        });
        Ok(())
    }

    /// Defines a new rule from `[[rule]]`; returns its index.
    fn define(
        &mut self,
        raw: RawRule,
        span: Range<usize>,
        defaults: &RawDefaults,
        ctx: &Ctx<'_>,
    ) -> Result<usize, Error> {
        let Some(id) = &raw.id else {
            return Err(ctx.err(span, "this [[rule]] has no `id`"));
        };
        let id_span = id.span();
        check_id(id).map_err(|m| ctx.err(id_span.clone(), m))?;
        let id = id.get_ref().clone();
        if id == super::DOCUMENT_RULE || id == super::WAIVER_RULE {
            return Err(ctx.err(
                id_span,
                format!("the rule id `{id}` is reserved for designgate's own findings"),
            ));
        }
        if let Some(existing) = self.set.rule(&id) {
            return Err(ctx.err(
                id_span,
                format!(
                    "duplicate rule id `{id}` (already defined by {}); use [rules.{id}] to change it",
                    existing.origin
                ),
            ));
        }
        if raw.title.is_none() {
            return Err(ctx.err(id_span, format!("rule `{id}` has no `title`")));
        }
        let mut rule = Rule::blank(id, ctx.origin);
        rule.kind = if raw.field.is_some() {
            if raw.headings.is_some() || raw.heading_patterns.is_some() {
                return Err(ctx.err(
                    id_span,
                    format!(
                        "rule `{}` has both `field` and `headings`: a rule checks either a front-matter field or a section",
                        rule.id
                    ),
                ));
            }
            RuleKind::Field
        } else if raw.headings.is_some() || raw.heading_patterns.is_some() {
            RuleKind::Section
        } else if raw.links == Some(true) {
            RuleKind::Links
        } else {
            return Err(ctx.err(
                id_span,
                format!(
                    "rule `{}` has nothing to check: give it `headings` or `heading_patterns` (a section), `field` (front matter), or `links = true`",
                    rule.id
                ),
            ));
        };
        rule.severity = defaults.severity.unwrap_or(Severity::Warning);
        if rule.kind == RuleKind::Section {
            rule.min_words = defaults.min_words.unwrap_or(0);
            rule.forbid = defaults.forbid.iter().map(forbid).collect();
        }
        self.apply(&mut rule, raw, id_span, ctx, false)?;
        rule.defined_severity = rule.severity;
        if rule.kind == RuleKind::Section
            && rule.aliases.is_empty()
            && rule.heading_patterns.is_empty()
        {
            return Err(ctx.err(
                span,
                format!(
                    "rule `{}` lists no `headings` and no `heading_patterns`, so no section can satisfy it",
                    rule.id
                ),
            ));
        }
        self.set.rules.push(rule);
        Ok(self.set.rules.len() - 1)
    }

    /// Applies the keys present in `raw` to `rule`. `record`: note each key
    /// as changed by this layer (an override, not a definition).
    fn apply(
        &self,
        rule: &mut Rule,
        raw: RawRule,
        span: Range<usize>,
        ctx: &Ctx<'_>,
        record: bool,
    ) -> Result<(), Error> {
        for key in raw.keys() {
            let allowed = match rule.kind {
                RuleKind::Section => !FIELD_KEYS.contains(&key),
                RuleKind::Field => !SECTION_KEYS.contains(&key) && key != "links",
                RuleKind::Links => {
                    !SECTION_KEYS.contains(&key) && !FIELD_KEYS.contains(&key) && key != "required"
                }
            };
            if !allowed {
                let kind = match rule.kind {
                    RuleKind::Section => "a section rule",
                    RuleKind::Field => "a front-matter field rule",
                    RuleKind::Links => "a link rule",
                };
                return Err(ctx.err(
                    span,
                    format!("`{key}` does not apply to `{}`, which is {kind}", rule.id),
                ));
            }
            if record {
                rule.changes.push((key.to_owned(), ctx.origin.to_owned()));
            }
        }
        let RawRule {
            id: _,
            area,
            title,
            description,
            help,
            example,
            headings,
            extra_headings,
            heading_patterns,
            field,
            one_of,
            value_pattern,
            format,
            non_empty,
            links,
            required,
            severity,
            min_words,
            forbid: forbids,
            none_answers,
            require,
            cover,
            after,
            contains,
            paths,
            exclude_paths,
            when: conditions,
            waivable,
            test,
        } = raw;
        if let Some(area) = area {
            let Some(i) = self.set.areas.iter().position(|a| a.id == *area.get_ref()) else {
                let known: Vec<_> = self
                    .set
                    .areas
                    .iter()
                    .map(|a| format!("`{}`", a.id))
                    .collect();
                return Err(ctx.err(
                    area.span(),
                    format!(
                        "unknown area `{}`, expected one of {}{}",
                        area.get_ref(),
                        if known.is_empty() {
                            "the areas defined with [[area]]".to_owned()
                        } else {
                            known.join(", ")
                        },
                        did_you_mean(area.get_ref(), self.set.areas.iter().map(|a| a.id.as_str()))
                    ),
                ));
            };
            rule.area = Some(i);
        }
        if let Some(v) = title {
            rule.title = v;
        }
        if let Some(v) = description {
            rule.description = v.trim().to_owned();
        }
        if let Some(v) = help {
            rule.help = v.trim().to_owned();
        }
        if let Some(v) = example {
            rule.example = v.trim_matches('\n').to_owned();
        }
        if let Some(v) = headings {
            rule.headings = v;
        }
        if let Some(v) = extra_headings {
            rule.headings.extend(v);
        }
        rule.aliases = rule.headings.iter().map(|h| key(&normalize(h))).collect();
        if let Some(v) = heading_patterns {
            rule.heading_patterns = v.into_iter().map(|p| p.0).collect();
        }
        if let Some(v) = field {
            if v.get_ref().trim().is_empty() {
                return Err(ctx.err(v.span(), "`field` is empty"));
            }
            rule.field.key = v.into_inner();
        }
        if let Some(values) = one_of {
            rule.field.one_of = values
                .into_iter()
                .map(|v| {
                    let span = v.span();
                    when::scalar_text(v.into_inner()).map_err(|m| ctx.err(span, m))
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(v) = value_pattern {
            rule.field.value_pattern = Some(v);
        }
        if let Some(v) = format {
            rule.field.format = Some(v);
        }
        if let Some(v) = non_empty {
            rule.field.non_empty = v;
        }
        if let Some(v) = links {
            rule.links = v;
        }
        if let Some(v) = required {
            rule.required = v;
        }
        if let Some(v) = severity {
            rule.severity = v;
        }
        if let Some(v) = min_words {
            rule.min_words = v;
        }
        if let Some(v) = forbids {
            // A new rule keeps the pack's default placeholders; an override
            // replaces the list.
            if !record {
                rule.forbid.extend(v.iter().map(forbid));
            } else {
                rule.forbid = v.iter().map(forbid).collect();
            }
        }
        if let Some(v) = none_answers {
            rule.none_answers = v;
        }
        if let Some(v) = require {
            rule.require = v
                .into_iter()
                .map(|r| Require {
                    pattern: r.pattern,
                    message: r.message,
                })
                .collect();
        }
        if let Some(v) = cover {
            rule.cover = v
                .into_iter()
                .map(|c| Cover {
                    aliases: c.headings.iter().map(|h| key(&normalize(h))).collect(),
                    item: c.item,
                    headings: c.headings,
                    mentions: c.mentions,
                })
                .collect();
            if let Some(empty) = rule
                .cover
                .iter()
                .find(|c| c.headings.is_empty() && c.mentions.is_empty())
            {
                return Err(ctx.err(
                    span,
                    format!(
                        "cover item `{}` of `{}` has neither `headings` nor `mentions`, so nothing can cover it",
                        empty.item, rule.id
                    ),
                ));
            }
        }
        if let Some(v) = after {
            rule.after = v.into_iter().map(Spanned::into_inner).collect();
        }
        if let Some(v) = contains {
            rule.contains = v
                .into_iter()
                .map(|c| Contains {
                    elements: c.element.0,
                    target: c.target,
                    message: c.message,
                })
                .collect();
        }
        if let Some(v) = paths {
            rule.paths = Globs::new(v);
        }
        if let Some(v) = exclude_paths {
            rule.exclude_paths = Globs::new(v);
        }
        if let Some(v) = conditions {
            let span = v.span();
            rule.when = when::compile(v.into_inner())
                .map_err(|(s, m)| ctx.err(if s.is_empty() { span.clone() } else { s }, m))?;
        }
        if let Some(v) = waivable {
            rule.waivable = v;
        }
        if let Some(tests) = test {
            for t in tests {
                let span = t.span();
                let t = t.into_inner();
                let (pass, document) = match (t.pass, t.fail) {
                    (Some(doc), None) => (true, doc),
                    (None, Some(doc)) => (false, doc),
                    _ => {
                        return Err(ctx.err(
                            span,
                            format!(
                                "a test of `{}` needs exactly one of `pass` (a document without findings of the rule) or `fail` (one with)",
                                rule.id
                            ),
                        ));
                    }
                };
                if pass && !t.checks.is_empty() {
                    return Err(ctx.err(span, "`checks` only applies to a `fail` test"));
                }
                let n = rule.tests.len() + 1;
                rule.tests.push(RuleTest {
                    name: t
                        .name
                        .unwrap_or_else(|| format!("{} #{n}", if pass { "pass" } else { "fail" })),
                    pass,
                    document,
                    checks: t.checks,
                    path: t.path.unwrap_or_else(|| DEFAULT_TEST_PATH.to_owned()),
                    files: t.files,
                });
            }
        }
        Ok(())
    }

    /// Checks ids that a rule refers to (`after`) exist.
    fn check_references(
        &self,
        index: usize,
        span: Range<usize>,
        ctx: &Ctx<'_>,
    ) -> Result<(), Error> {
        let rule = &self.set.rules[index];
        for id in &rule.after {
            match self.set.rule(id) {
                None => {
                    return Err(ctx.err(
                        span,
                        format!(
                            "`after` of `{}` names unknown rule `{id}`{}",
                            rule.id,
                            did_you_mean(id, self.set.ids())
                        ),
                    ));
                }
                Some(other) if other.kind != RuleKind::Section => {
                    return Err(ctx.err(
                        span,
                        format!(
                            "`after` of `{}` names `{id}`, which is not a section rule",
                            rule.id
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    fn relax(&self, raw: RawRelax, ctx: &Ctx<'_>) -> Result<Relax, Error> {
        let mut rules = Vec::new();
        for id in raw.rules.unwrap_or_default() {
            if self.set.rule(id.get_ref()).is_none() {
                return Err(ctx.err(
                    id.span(),
                    format!(
                        "unknown rule id `{}` in [[relax]]{}",
                        id.get_ref(),
                        did_you_mean(id.get_ref(), self.set.ids())
                    ),
                ));
            }
            rules.push(id.into_inner());
        }
        let when = match raw.when {
            Some(w) => {
                let span = w.span();
                when::compile(w.into_inner())
                    .map_err(|(s, m)| ctx.err(if s.is_empty() { span.clone() } else { s }, m))?
            }
            None => Vec::new(),
        };
        Ok(Relax {
            when,
            paths: Globs::new(raw.paths.unwrap_or_default()),
            rules,
            max_severity: raw.max_severity,
            origin: ctx.origin.to_owned(),
        })
    }
}

/// "one of `a`, `b` or a path to a .toml file; did you mean `a`?" for a
/// pack name that is neither built in nor a file.
fn expected_packs(name: &str) -> String {
    let names = super::BUILTIN_PACKS.iter().map(|(n, _)| *n);
    let known: Vec<_> = names.clone().map(|n| format!("`{n}`")).collect();
    format!(
        "one of {} or a path to a .toml file{}",
        known.join(", "),
        did_you_mean(name, names)
    )
}

/// Keys that only make sense for a section rule.
const SECTION_KEYS: &[&str] = &[
    "headings",
    "extra_headings",
    "heading_patterns",
    "min_words",
    "forbid",
    "none_answers",
    "require",
    "cover",
    "after",
    "contains",
];

/// Keys that only make sense for a front-matter field rule.
const FIELD_KEYS: &[&str] = &["field", "one_of", "value_pattern", "format", "non_empty"];

fn forbid(f: &super::raw::RawForbid) -> Forbid {
    Forbid {
        pattern: f.pattern.clone(),
        message: f.message.clone(),
        scope: f.scope,
        code: f.code,
    }
}

/// Deserialises TOML, with "did you mean" added to unknown-key errors.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
) -> Result<T, Error> {
    toml::from_str(text).map_err(|e| {
        Error::config_at(
            path,
            text,
            e.span(),
            crate::suggest::enrich_serde_message(e.message().trim()),
        )
    })
}

impl RawRule {
    /// The keys present, by their TOML names (`id` excluded).
    fn keys(&self) -> Vec<&'static str> {
        let present = [
            ("area", self.area.is_some()),
            ("title", self.title.is_some()),
            ("description", self.description.is_some()),
            ("help", self.help.is_some()),
            ("example", self.example.is_some()),
            ("headings", self.headings.is_some()),
            ("extra_headings", self.extra_headings.is_some()),
            ("heading_patterns", self.heading_patterns.is_some()),
            ("field", self.field.is_some()),
            ("one_of", self.one_of.is_some()),
            ("value_pattern", self.value_pattern.is_some()),
            ("format", self.format.is_some()),
            ("non_empty", self.non_empty.is_some()),
            ("links", self.links.is_some()),
            ("required", self.required.is_some()),
            ("severity", self.severity.is_some()),
            ("min_words", self.min_words.is_some()),
            ("forbid", self.forbid.is_some()),
            ("none_answers", self.none_answers.is_some()),
            ("require", self.require.is_some()),
            ("cover", self.cover.is_some()),
            ("after", self.after.is_some()),
            ("contains", self.contains.is_some()),
            ("paths", self.paths.is_some()),
            ("exclude_paths", self.exclude_paths.is_some()),
            ("when", self.when.is_some()),
            ("waivable", self.waivable.is_some()),
            ("test", self.test.is_some()),
        ];
        present
            .into_iter()
            .filter(|&(_, set)| set)
            .map(|(k, _)| k)
            .collect()
    }
}
