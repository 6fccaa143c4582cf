//! JSON Schemas for `designgate.toml` and rule packs (cargo feature
//! `schema`), for editors: Taplo and Even Better TOML complete keys, show
//! their descriptions and flag mistakes as you type.
//!
//! The schemas are derived from the raw serde types in `config.rs` and
//! `pack/raw.rs`, so they list exactly the keys the parser accepts, and the
//! doc comments there are the descriptions editors show. This module adds
//! what derive cannot see: the types with hand-written `Deserialize`
//! (severities, regexes, globs, element kinds), the `when` table, ids, and
//! the keys `[[rule]]` requires. It leaves the checks serde cannot make
//! (unknown areas, a rule with nothing to check) to designgate itself.
//!
//! `tests/schema.rs` keeps the copies checked in under `schema/` current.

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::Value;

use crate::config::RawConfig;
use crate::markdown::ElementKind;
use crate::pack::raw::{RawPack, RawRule};
use crate::pack::{Elements, Glob, HeadingPattern, Pattern, Severity};

/// Where the configuration schema is checked in, relative to the crate root.
pub const CONFIG_SCHEMA_PATH: &str = "schema/designgate.schema.json";

/// Where the rule-pack schema is checked in, relative to the crate root.
pub const PACK_SCHEMA_PATH: &str = "schema/pack.schema.json";

/// Where the schema of `designgate report --format json` is checked in.
pub const REPORT_SCHEMA_PATH: &str = "schema/report.schema.json";

/// The schema of the JSON report (`designgate report --format json`,
/// read back by `--merge`). Not tidied for editors: `null` is a value a
/// report holds.
pub fn report_schema() -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<crate::scorecard::Report>();
    schema.insert(
        "title".into(),
        "designgate report (designgate report --format json)".into(),
    );
    schema.to_value()
}

/// The schema of `designgate.toml`.
pub fn config_schema() -> Value {
    root::<RawConfig>("designgate configuration (designgate.toml)")
}

/// The schema of a rule pack.
pub fn pack_schema() -> Value {
    root::<RawPack>("designgate rule pack")
}

/// A schema as checked in: pretty-printed with sorted keys and a final
/// newline, so that regenerating it gives the same bytes.
pub fn to_pretty_json(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(schema.clone()))
        .expect("a JSON value always serialises");
    text.push('\n');
    text
}

fn root<T: JsonSchema>(title: &str) -> Value {
    // why: draft 07, not schemars' default 2020-12: the draft editors'
    // validators support most widely; tests/schema.rs runs Taplo on it.
    let generator = SchemaSettings::draft07()
        .with_transform(Tidy)
        .into_generator();
    let mut schema = generator.into_root_schema_for::<T>();
    schema.insert("title".into(), title.into());
    schema.to_value()
}

/// Recursively sorts object keys, whatever serde_json's map type is.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// Tidies every subschema for editors: removes `null` from the types that
/// `Option` fields get (TOML has no null, so an editor should not offer
/// it), and unwraps the lines of doc comments, so that a description is one
/// paragraph per paragraph.
#[derive(Clone)]
struct Tidy;

impl Transform for Tidy {
    fn transform(&mut self, schema: &mut Schema) {
        transform_subschemas(self, schema);
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        if let Some(Value::String(text)) = obj.get_mut("description") {
            *text = unwrap_lines(text);
        }
        if let Some(Value::Array(types)) = obj.get_mut("type") {
            types.retain(|t| t != "null");
            if let [only] = types.as_slice() {
                let only = only.clone();
                obj.insert("type".into(), only);
            }
        }
        if let Some(Value::Array(options)) = obj.get_mut("anyOf") {
            options.retain(|o| o.get("type").and_then(Value::as_str) != Some("null"));
            if let [only] = options.as_slice() {
                let only = only.clone();
                obj.remove("anyOf");
                // The one remaining alternative: a `$ref` becomes `allOf`
                // so that its sibling `description` is kept in draft 07.
                if only.get("$ref").is_some() {
                    obj.insert("allOf".into(), Value::Array(vec![only]));
                } else if let Value::Object(inner) = only {
                    for (k, v) in inner {
                        obj.entry(k).or_insert(v);
                    }
                }
            }
        }
        if let Some(Value::Array(values)) = obj.get_mut("enum") {
            values.retain(|v| !v.is_null());
        }
    }
}

/// Joins the lines of each paragraph with spaces; paragraphs stay apart.
fn unwrap_lines(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `x-taplo` documentation for each value of a string enum: Taplo shows it
/// when completing the value.
fn enum_docs(values: &[(&str, &str)], description: &str) -> Schema {
    let names: Vec<&str> = values.iter().map(|(v, _)| *v).collect();
    let docs: Vec<&str> = values.iter().map(|(_, d)| *d).collect();
    json_schema!({
        "type": "string",
        "enum": names,
        "description": description,
        "x-taplo": { "docs": { "enumValues": docs } },
    })
}

impl JsonSchema for Severity {
    fn schema_name() -> Cow<'static, str> {
        "Severity".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        enum_docs(
            &[
                (
                    "error",
                    "Reported; makes `designgate check` exit with 1, which blocks the commit.",
                ),
                ("warning", "Reported; does not block."),
                ("info", "Reported; does not block."),
                ("off", "The rule is not run."),
            ],
            "How much a finding matters: `error`, `warning`, `info` or `off`. Only `error` blocks a commit.",
        )
    }
}

impl JsonSchema for Pattern {
    fn schema_name() -> Cow<'static, str> {
        "Regex".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "regex",
            "description": "A regex in the syntax of Rust's `regex` crate (no look-around or backreferences). Case sensitive unless it starts with `(?i)`; write it as a TOML literal string ('...') so backslashes need no escaping.",
        })
    }
}

impl JsonSchema for HeadingPattern {
    fn schema_name() -> Cow<'static, str> {
        "HeadingRegex".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "regex",
            "description": "A regex (Rust `regex` syntax) matched against the normalised heading: lower case, no leading numbering, `-`, `_` and `/` as spaces, `&` as `and`, no trailing punctuation. Write it in lower case, such as '\\bslos?\\b'.",
        })
    }
}

impl JsonSchema for Glob {
    fn schema_name() -> Cow<'static, str> {
        "Glob".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A glob over document paths, relative to the folder holding designgate.toml, with `/` separators: `*` does not cross `/`, `**` does; `?`, `[abc]` and `{a,b}` work as usual. Case sensitive.",
        })
    }
}

impl JsonSchema for Elements {
    fn schema_name() -> Cow<'static, str> {
        "Elements".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let kind = enum_docs(
            &ElementKind::ALL.map(|k| {
                let doc = match k {
                    ElementKind::List => "A bulleted or numbered list.",
                    ElementKind::Table => "A table.",
                    ElementKind::Link => "A link; a relative one must point at a file that exists.",
                    ElementKind::Image => "An image, such as a diagram; a relative one must point at a file that exists.",
                    ElementKind::Code => "A fenced or indented code block.",
                };
                (k.as_str(), doc)
            }),
            "An element kind.",
        );
        json_schema!({
            "description": "An element kind (`list`, `table`, `link`, `image`, `code`), or a list of kinds any of which will do, such as [\"image\", \"link\"].",
            "anyOf": [
                kind,
                { "type": "array", "items": kind, "minItems": 1 },
            ],
        })
    }
}

/// An id: lower-case letters, digits and `-` (see `pack::check_id`).
pub(crate) struct Id;

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[a-z0-9][a-z0-9-]*$",
            "description": "Lower-case letters, digits and `-`, starting with a letter or digit, such as `load-testing`.",
        })
    }
}

/// A value a front-matter field is compared with: any TOML scalar.
pub(crate) struct Scalar;

impl JsonSchema for Scalar {
    fn schema_name() -> Cow<'static, str> {
        "Scalar".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["string", "integer", "number", "boolean"],
            "description": "A value, compared with the front matter by its text: `1` matches `1` and `\"1\"`.",
        })
    }
}

/// A `when` table (see `pack::when`).
pub(crate) struct When;

impl JsonSchema for When {
    fn schema_name() -> Cow<'static, str> {
        "When".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let scalar = generator.subschema_for::<Scalar>();
        let scalars = json_schema!({
            "type": "array",
            "items": scalar,
            "description": "Values, any of which will do.",
        });
        // One of the four condition tables, such as `{ matches = '^@' }`.
        let test = |key: &str, value: Schema, description: &str| {
            json_schema!({
                "type": "object",
                "properties": { key: describe(value, description) },
                "required": [key],
                "additionalProperties": false,
                "description": description,
            })
        };
        json_schema!({
            "type": "object",
            "description": "Front-matter conditions, all of which must hold. Each key is a front-matter key (dotted, such as \"service.tier\", to reach into maps); each value is a value it must equal, a list of values it may equal, or a table with one of `equals`, `one_of`, `matches` (a regex) or `present` (true or false). A list in the front matter matches when any item does. Example: { status = [\"draft\", \"proposed\"], owner = { present = true } }.",
            "additionalProperties": {
                "anyOf": [
                    scalar,
                    scalars,
                    test("equals", scalar.clone(), "The value must equal this."),
                    test("one_of", scalars.clone(), "The value must equal one of these."),
                    test("matches", generator.subschema_for::<Pattern>(), "The value must match this regex."),
                    test("present", json_schema!({ "type": "boolean" }), "`true`: the key must be present (and not null); `false`: absent."),
                ],
            },
        })
    }
}

/// `schema` with a description; a `$ref` is wrapped in `allOf`, as derive
/// does, since draft 07 ignores the siblings of `$ref`.
fn describe(schema: Schema, description: &str) -> Schema {
    let mut schema = if schema.get("$ref").is_some() {
        json_schema!({ "allOf": [schema] })
    } else {
        schema
    };
    schema.insert("description".into(), description.into());
    schema
}

/// `[[rule]]`: a new rule, so `id` and `title` are required.
pub(crate) struct NewRule;

impl JsonSchema for NewRule {
    fn schema_name() -> Cow<'static, str> {
        "NewRule".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "allOf": [generator.subschema_for::<RawRule>()],
            "required": ["id", "title"],
            "x-taplo": { "initKeys": ["id", "area", "title"] },
            "description": "A new rule: one checklist item. It needs `id`, `title` and what it checks: `headings` or `heading_patterns` (a section), `field` (a front-matter field) or `links = true` (the document's relative links).",
        })
    }
}

/// `[rules.<id>]`: changes to an existing rule, so `id` is not allowed.
pub(crate) struct RuleChange;

impl JsonSchema for RuleChange {
    fn schema_name() -> Cow<'static, str> {
        "RuleChange".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "allOf": [generator.subschema_for::<RawRule>()],
            "properties": { "id": false },
            "description": "Changes to a rule defined earlier: each key given replaces the rule's value (`extra_headings` adds to `headings`). The table name is the rule id, so `id` is not allowed.",
        })
    }
}
