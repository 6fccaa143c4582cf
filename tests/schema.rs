//! The JSON Schemas in `schema/` (editor support): the checked-in files match
//! what the Rust types generate, the shipped files are valid against them,
//! and typical mistakes are not.
//!
//! Needs the `schema` feature (see `required-features` in Cargo.toml):
//!
//! ```sh
//! cargo test --features schema --test schema
//! DESIGNGATE_BLESS=1 cargo test --features schema --test schema   # rewrite schema/*.json
//! ```
//!
//! The validation tests run a small validator for the JSON Schema keywords
//! the generated schemas use (below; it panics on any other keyword), not a
//! validator crate: `jsonschema` without default features adds some 35
//! crates, and dev-dependencies cannot be optional, so every `cargo test`
//! would build them. `taplo_validates_…` checks the same files with Taplo,
//! the engine editors use, when it is installed (`.ci/run` installs it).

#![allow(clippy::unwrap_used)] // a test: a panic is a failure

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use designgate::schema::{
    CONFIG_SCHEMA_PATH, PACK_SCHEMA_PATH, REPORT_SCHEMA_PATH, config_schema, pack_schema,
    report_schema, to_pretty_json,
};
use serde_json::{Value, json};

const BLESS: &str = "DESIGNGATE_BLESS";
const REGENERATE: &str = "DESIGNGATE_BLESS=1 cargo test --features schema --test schema";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn checked_in_schemas_are_current() {
    let mut stale = Vec::new();
    for (path, schema) in [
        (CONFIG_SCHEMA_PATH, config_schema()),
        (PACK_SCHEMA_PATH, pack_schema()),
        (REPORT_SCHEMA_PATH, report_schema()),
    ] {
        let want = to_pretty_json(&schema);
        let file = root().join(path);
        let have = std::fs::read_to_string(&file).unwrap_or_default();
        if have == want {
            continue;
        }
        if std::env::var_os(BLESS).is_some() {
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, want).unwrap();
            let _ = writeln!(std::io::stderr(), "wrote {path}");
            continue;
        }
        let line = have
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| have.lines().count().min(want.lines().count()))
            + 1;
        stale.push(format!(
            "  {path} (first difference at line {line}; {})",
            if have.is_empty() {
                "missing"
            } else {
                "out of date"
            }
        ));
    }
    assert!(
        stale.is_empty(),
        "the checked-in JSON Schema does not match the Rust types:\n{}\n\nregenerate it with\n\n    {REGENERATE}\n\nand commit the result",
        stale.join("\n")
    );
}

/// The checked-in schema (what editors use), parsed.
fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}; run {REGENERATE}"));
    serde_json::from_str(&text).unwrap()
}

/// TOML as an editor sees it: a JSON document (datetimes as strings).
fn toml_to_json(text: &str) -> Value {
    fn convert(v: toml::Value) -> Value {
        match v {
            toml::Value::String(s) => Value::String(s),
            toml::Value::Integer(i) => json!(i),
            toml::Value::Float(f) => json!(f),
            toml::Value::Boolean(b) => Value::Bool(b),
            toml::Value::Datetime(d) => Value::String(d.to_string()),
            toml::Value::Array(a) => Value::Array(a.into_iter().map(convert).collect()),
            toml::Value::Table(t) => {
                Value::Object(t.into_iter().map(|(k, v)| (k, convert(v))).collect())
            }
        }
    }
    convert(toml::Value::Table(toml::from_str(text).unwrap()))
}

fn errors(schema_path: &str, toml_text: &str) -> Vec<String> {
    let schema = load(schema_path);
    let mut out = Vec::new();
    Validator { root: &schema }.check(&schema, &toml_to_json(toml_text), "", &mut out);
    out
}

fn shipped_packs() -> Vec<PathBuf> {
    let mut packs: Vec<PathBuf> = std::fs::read_dir(root().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    packs.sort();
    assert!(!packs.is_empty());
    packs
}

#[test]
fn shipped_packs_and_example_config_are_valid() {
    for pack in shipped_packs() {
        let text = std::fs::read_to_string(&pack).unwrap();
        let errs = errors(PACK_SCHEMA_PATH, &text);
        assert!(errs.is_empty(), "{}: {errs:#?}", pack.display());
    }
    let config = root().join("examples/designgate.toml");
    let errs = errors(
        CONFIG_SCHEMA_PATH,
        &std::fs::read_to_string(config).unwrap(),
    );
    assert!(errs.is_empty(), "examples/designgate.toml: {errs:#?}");
}

/// A configuration that uses every kind of key, valid for designgate and for
/// the schema alike.
const FULL_CONFIG: &str = r##"
design_dirs = ["design", "docs/rfcs"]
include = ["**/*.md"]
exclude = ["**/template.md"]
packs = ["production-readiness"]

[severity]
fair-usage = "info"

[[area]]
id = "ops"
title = "Operations"

[[rule]]
id = "rollback"
area = "ops"
title = "Rollback plan"
headings = ["Rollback"]
paths = ["design/**"]
when = { tier = 1, status = ["review", "final"], owner = { matches = '^@' }, "svc.name" = { present = true } }
contains = [{ element = ["list", "table"], message = "list the steps" }]
cover = [{ item = "data", mentions = ['(?i)\bdata\b'] }]

[[rule.test]]
fail = "# X\n"

[rules.sla]
extra_headings = ["Service objectives"]
severity = "warning"
exclude_paths = ["design/legacy/**"]

[[relax]]
when = { status = { one_of = ["draft"] } }
rules = ["sla"]
max_severity = "info"

[[test]]
name = "empty"
document = "# Empty\n"
expect = ["why"]
"##;

#[test]
fn a_config_with_every_kind_of_key_is_valid_for_both() {
    designgate::Config::from_toml(Path::new("designgate.toml"), FULL_CONFIG).unwrap();
    let errs = errors(CONFIG_SCHEMA_PATH, FULL_CONFIG);
    assert!(errs.is_empty(), "{errs:#?}");
}

/// Mistakes that designgate rejects while parsing must fail the schema too,
/// at the right place.
#[test]
fn mistakes_fail_validation() {
    let cases: &[(&str, &str, &str)] = &[
        // (schema, TOML, where the schema complains: that JSON pointer or below)
        (
            CONFIG_SCHEMA_PATH,
            "exclude_paths = []\n",
            "/exclude_paths: unknown key",
        ),
        (
            CONFIG_SCHEMA_PATH,
            "design_dirs = \"design\"\n",
            "/design_dirs",
        ),
        (
            CONFIG_SCHEMA_PATH,
            "[severity]\nsla = \"fatal\"\n",
            "/severity/sla",
        ),
        (
            CONFIG_SCHEMA_PATH,
            "[rules.sla]\nmin_word = 3\n",
            "/rules/sla/min_word: unknown key",
        ),
        (
            CONFIG_SCHEMA_PATH,
            "[rules.sla]\nid = \"x\"\n",
            "/rules/sla/id",
        ),
        (
            CONFIG_SCHEMA_PATH,
            "[[rule]]\nid = \"x\"\nheadings = [\"X\"]\n",
            "/rule/0",
        ),
        (
            CONFIG_SCHEMA_PATH,
            "[[relax]]\nwhen = { status = { matchs = \"x\" } }\nmax_severity = \"info\"\n",
            "/relax/0/when/status",
        ),
        (
            CONFIG_SCHEMA_PATH,
            "[[relax]]\nmax_severity = \"warn\"\n",
            "/relax/0/max_severity",
        ),
        (PACK_SCHEMA_PATH, "[pak]\nname = \"x\"\n", ""),
        (
            PACK_SCHEMA_PATH,
            "[pack]\nname = \"Team_Pack\"\n",
            "/pack/name",
        ),
        (
            PACK_SCHEMA_PATH,
            "[pack]\nname = \"t\"\n[[defaults.forbid]]\nregex = 'x'\n",
            "/defaults/forbid/0",
        ),
        (
            PACK_SCHEMA_PATH,
            "[pack]\nname = \"t\"\n[[rule]]\nid = \"a\"\ntitle = \"A\"\nheadings = [\"A\"]\ncontains = [{ element = \"tabel\" }]\n",
            "/rule/0/contains/0/element",
        ),
        (
            PACK_SCHEMA_PATH,
            "[pack]\nname = \"t\"\n[[rule]]\nid = \"a\"\ntitle = \"A\"\nfield = \"f\"\nformat = \"datetime\"\n",
            "/rule/0/format",
        ),
        (
            PACK_SCHEMA_PATH,
            "[pack]\nname = \"t\"\n[[rule]]\nid = \"a\"\ntitle = \"A\"\nlinks = true\n[[rule.test]]\npass = \"x\"\nfail = \"y\"\n",
            "/rule/0/test/0",
        ),
    ];
    for (schema, text, at) in cases {
        let errs = errors(schema, text);
        assert!(
            errs.iter().any(|e| e.starts_with(at)),
            "{schema} accepts {text:?}, or complains elsewhere than at {at:?}: {errs:#?}"
        );
        // designgate itself rejects each of them too.
        let parsed = if *schema == CONFIG_SCHEMA_PATH {
            designgate::Config::from_toml(Path::new("designgate.toml"), text).map(drop)
        } else {
            designgate::pack::RuleSet::default().add_pack(Path::new("pack.toml"), text, "pack")
        };
        assert!(parsed.is_err(), "designgate accepts {text:?}");
    }
}

#[test]
fn every_key_has_a_description() {
    for path in [CONFIG_SCHEMA_PATH, PACK_SCHEMA_PATH] {
        let schema = load(path);
        let mut missing = Vec::new();
        undocumented(&schema, "", &mut missing);
        assert!(
            missing.is_empty(),
            "{path}: no description for {missing:#?}"
        );
    }
}

fn undocumented(schema: &Value, at: &str, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                for (key, prop) in props {
                    let documented =
                        prop.get("description").is_some() || prop.as_bool() == Some(false);
                    if !documented {
                        out.push(format!("{at}/properties/{key}"));
                    }
                }
            }
            for (key, value) in map {
                undocumented(value, &format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                undocumented(item, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// Taplo: the engine of Even Better TOML and `taplo lint`.

/// The `.taplo.toml` that README.md shows, between its markers.
fn readme_taplo_config() -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("```toml\n# .taplo.toml")
        .expect("README.md shows a .taplo.toml");
    let body = &readme[start + "```toml\n".len()..];
    body[..body.find("```").unwrap()].to_owned()
}

fn taplo() -> Option<PathBuf> {
    let local = root().join("node_modules/.bin/taplo");
    let candidates = [
        std::env::var_os("TAPLO").map(PathBuf::from),
        Some(local),
        Some(PathBuf::from("taplo")),
    ];
    candidates.into_iter().flatten().find(|c| {
        // why: not the exit status: the npm build of taplo 0.9 exits with 1
        // after printing its version.
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"taplo "))
    })
}

#[test]
fn taplo_validates_with_the_readme_config() {
    let Some(taplo) = taplo() else {
        // why: straight to stderr, not `eprintln!`, which the test harness
        // captures and shows only for failing tests.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED taplo_validates_with_the_readme_config: no taplo on PATH, in TAPLO or in node_modules (npm install @taplo/cli)"
        );
        return;
    };
    // A scratch repository laid out as the README describes: the schemas in
    // schema/, a config at the root, packs in rules/.
    let dir = tempfile::tempdir().unwrap();
    let d = &std::fs::canonicalize(dir.path()).unwrap();
    std::fs::create_dir_all(d.join("schema")).unwrap();
    std::fs::create_dir_all(d.join("rules")).unwrap();
    for path in [CONFIG_SCHEMA_PATH, PACK_SCHEMA_PATH] {
        std::fs::copy(root().join(path), d.join(path)).unwrap();
    }
    std::fs::write(d.join(".taplo.toml"), readme_taplo_config()).unwrap();
    // why: one taplo run per batch of files: each run of the npm build
    // takes seconds.
    let lint = |files: &[(String, String)]| {
        for (file, text) in files {
            std::fs::write(d.join(file), text).unwrap();
        }
        let out = Command::new(&taplo)
            .args(["lint", "--colors", "never"])
            .args(files.iter().map(|(file, _)| file))
            .current_dir(d)
            .output()
            .unwrap();
        for (file, _) in files {
            std::fs::remove_file(d.join(file)).unwrap();
        }
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), log)
    };
    let file = |name: &str, text: &str| (name.to_owned(), text.to_owned());

    // The shipped files, a config with every kind of key, and the
    // `#:schema` directive on a file no rule covers.
    let example = std::fs::read_to_string(root().join("examples/designgate.toml")).unwrap();
    let mut valid = vec![
        file("designgate.toml", &example),
        file(".designgate.toml", FULL_CONFIG),
        file(
            "other.toml",
            &format!("#:schema ./schema/designgate.schema.json\n{FULL_CONFIG}"),
        ),
    ];
    for pack in shipped_packs() {
        let name = pack.file_name().unwrap().to_str().unwrap();
        valid.push(file(
            &format!("rules/{name}"),
            &std::fs::read_to_string(&pack).unwrap(),
        ));
    }
    let (ok, log) = lint(&valid);
    assert!(ok, "taplo rejects a valid file:\n{log}");

    // The schemas are really applied: each of these files fails.
    let invalid = [
        file("designgate.toml", "exclude_paths = []\n"),
        file(".designgate.toml", "[severity]\nsla = \"fatal\"\n"),
        file(
            "rules/team.toml",
            "[pack]\nname = \"t\"\n[[rule]]\nid = \"a\"\ntitle = \"A\"\nheadings = [\"A\"]\nmin_word = 3\n",
        ),
        file(
            "other.toml",
            "#:schema ./schema/designgate.schema.json\npack = 1\n",
        ),
    ];
    let (ok, log) = lint(&invalid);
    assert!(!ok, "taplo accepts every invalid file:\n{log}");
    for (name, text) in &invalid {
        let shown = d.join(name);
        assert!(
            log.contains(&format!("{}:", shown.display())),
            "taplo finds nothing wrong in {name}:\n{text}\n{log}"
        );
    }
}

/// A real report (with history, waivers absent or not) is valid for
/// schema/report.schema.json, and a report missing a required key is not.
#[test]
fn a_real_report_is_valid_for_the_report_schema() {
    let out = Command::new(support::designgate_exe())
        .current_dir(root())
        .args([
            "--config",
            "examples/designgate.toml",
            "report",
            "--format",
            "json",
            "--history",
            "3",
        ])
        .output()
        .expect("run designgate");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let schema = load(REPORT_SCHEMA_PATH);
    let v = Validator { root: &schema };
    let errors = v.errors(&schema, &report, "");
    assert!(errors.is_empty(), "{errors:#?}");
    let mut broken = report.clone();
    broken["documents"][0]
        .as_object_mut()
        .expect("a document")
        .remove("areas");
    broken["summary"]["documents"] = json!("three");
    let errors = v.errors(&schema, &broken, "");
    assert!(
        errors.iter().any(|e| e.contains("missing `areas`"))
            && errors.iter().any(|e| e.contains("/summary/documents")),
        "{errors:#?}"
    );
}

// ---------------------------------------------------------------------------
// A validator for the keywords the generated schemas use.

struct Validator<'a> {
    root: &'a Value,
}

impl Validator<'_> {
    /// Pushes one `pointer: message` line per violation to `out`.
    fn check(&self, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
        let schema = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => return out.push(format!("{at}: not allowed")),
            Value::Object(map) => map,
            other => panic!("not a schema: {other}"),
        };
        if let Some(k) = schema.keys().find(|k| !KEYWORDS.contains(&k.as_str())) {
            panic!("the test validator does not know the keyword `{k}`; teach it");
        }
        let mut errs = Vec::new();
        if let Some(Value::String(r)) = schema.get("$ref") {
            let target = r
                .strip_prefix('#')
                .and_then(|p| self.root.pointer(p))
                .unwrap_or_else(|| panic!("unresolved $ref {r}"));
            self.check(target, value, at, out);
        }
        if let Some(t) = schema.get("type") {
            let types: Vec<&str> = match t {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => panic!("bad type {t}"),
            };
            if !types.iter().any(|t| has_type(value, t)) {
                errs.push(format!("expected {}, found {value}", types.join(" or ")));
            }
        }
        if let Some(Value::Array(options)) = schema.get("enum")
            && !options.contains(value)
        {
            errs.push(format!("{value} is not one of {options:?}"));
        }
        if let Some(c) = schema.get("const")
            && c != value
        {
            errs.push(format!("expected {c}, found {value}"));
        }
        if let Value::String(s) = value {
            if let Some(Value::String(p)) = schema.get("pattern")
                && !regex::Regex::new(p).unwrap().is_match(s)
            {
                errs.push(format!("{s:?} does not match /{p}/"));
            }
            if schema.get("format").and_then(Value::as_str) == Some("regex")
                && regex::Regex::new(s).is_err()
            {
                errs.push(format!("{s:?} is not a regex"));
            }
        }
        if let (Some(min), Some(n)) = (
            schema.get("minimum").and_then(Value::as_f64),
            value.as_f64(),
        ) && n < min
        {
            errs.push(format!("{n} is below {min}"));
        }
        if let Value::Array(items) = value {
            if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
                && (items.len() as u64) < min
            {
                errs.push(format!("fewer than {min} items"));
            }
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    self.check(item_schema, item, &format!("{at}/{i}"), out);
                }
            }
        }
        if let Value::Object(obj) = value {
            for key in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !obj.contains_key(key) {
                    errs.push(format!("missing `{key}`"));
                }
            }
            let props = schema.get("properties").and_then(Value::as_object);
            for (key, v) in obj {
                let here = format!("{at}/{key}");
                match (
                    props.and_then(|p| p.get(key)),
                    schema.get("additionalProperties"),
                ) {
                    (None, Some(Value::Bool(false))) => {
                        out.push(format!("{here}: unknown key `{key}`"));
                    }
                    (Some(s), _) | (None, Some(s)) => self.check(s, v, &here, out),
                    (None, None) => {}
                }
            }
        }
        for s in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.check(s, value, at, out);
        }
        if let Some(Value::Array(options)) = schema.get("anyOf") {
            let results: Vec<_> = options.iter().map(|s| self.errors(s, value, at)).collect();
            if !results.iter().any(Vec::is_empty) {
                errs.push(format!("matches none of the alternatives: {results:?}"));
            }
        }
        if let Some(Value::Array(options)) = schema.get("oneOf") {
            let passing = options
                .iter()
                .filter(|s| self.errors(s, value, at).is_empty())
                .count();
            if passing != 1 {
                errs.push(format!("matches {passing} alternatives of oneOf, not 1"));
            }
        }
        out.extend(errs.into_iter().map(|e| format!("{at}: {e}")));
    }

    fn errors(&self, schema: &Value, value: &Value, at: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.check(schema, value, at, &mut out);
        out
    }
}

/// The keywords the validator implements; annotations are ignored.
const KEYWORDS: &[&str] = &[
    "$schema",
    "title",
    "description",
    "x-taplo",
    "format",
    "default",
    "$ref",
    "type",
    "enum",
    "const",
    "pattern",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "minimum",
    "anyOf",
    "allOf",
    "oneOf",
    "definitions",
];

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "null" => value.is_null(),
        _ => panic!("unknown type {t}"),
    }
}
