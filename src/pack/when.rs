//! Front-matter conditions (`when`): the part of the rule language that
//! decides whether a rule applies to a document, or whether a relaxation
//! does.
//!
//! ```toml
//! when = { tier = 1 }                          # equals
//! when = { status = ["draft", "proposed"] }    # one of
//! when = { owner = { matches = '^@' } }        # regex
//! when = { reviewers = { present = true } }    # present (and not null)
//! ```
//!
//! Every key must hold. Keys may be dotted (`"service.tier"`) to reach into
//! nested maps. Scalars compare by their text, so `tier = 1` matches YAML
//! `tier: 1` and `tier: "1"`; a list in the front matter matches a rule's
//! `when` when any of its items does.
//!
//! why: a relaxation lowers severities, so its conditions fail closed: they
//! compare one scalar value, and a list or a map where they expect one
//! ([`Condition::malformed`]) never relaxes anything (`status: [draft,
//! approved]` is not a draft); the linter reports it instead. A rule's
//! `when` only narrows where the rule applies, so a list matching when any
//! item does makes the rule apply more, never less.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;
use toml::Spanned;

use super::Pattern;

/// One compiled condition on one front-matter key.
#[derive(Debug, Clone)]
pub struct Condition {
    /// The key, possibly dotted.
    pub key: String,
    pub test: Test,
}

#[derive(Debug, Clone)]
pub enum Test {
    OneOf(Vec<String>),
    Matches(Pattern),
    Present(bool),
}

/// A raw `when` table, spans kept for errors.
pub(crate) type RawWhen = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// Compiles a `when` table. Errors carry the span of the offending value.
pub(crate) fn compile(raw: RawWhen) -> Result<Vec<Condition>, (std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    for (key, value) in raw {
        let span = value.span();
        let test = test(value.into_inner()).map_err(|m| (span, m))?;
        out.push(Condition {
            key: key.into_inner(),
            test,
        });
    }
    Ok(out)
}

const EXPECTED: &str = "expected a value, a list of values, or a table with one of `equals`, `one_of`, `matches`, `present`";

fn test(value: toml::Value) -> Result<Test, String> {
    match value {
        toml::Value::Array(items) => items
            .into_iter()
            .map(scalar_text)
            .collect::<Result<_, _>>()
            .map(Test::OneOf),
        toml::Value::Table(table) => {
            let mut entries = table.into_iter();
            let (Some((name, value)), None) = (entries.next(), entries.next()) else {
                return Err(EXPECTED.into());
            };
            match name.as_str() {
                "equals" => Ok(Test::OneOf(vec![scalar_text(value)?])),
                "one_of" => match value {
                    toml::Value::Array(items) => items
                        .into_iter()
                        .map(scalar_text)
                        .collect::<Result<_, _>>()
                        .map(Test::OneOf),
                    _ => Err("`one_of` expects a list of values".into()),
                },
                "matches" => match value {
                    toml::Value::String(s) => super::count_pattern()
                        .and_then(|()| Pattern::compile(&s, false))
                        .map(Test::Matches),
                    _ => Err("`matches` expects a regex string".into()),
                },
                "present" => match value {
                    toml::Value::Boolean(b) => Ok(Test::Present(b)),
                    _ => Err("`present` expects true or false".into()),
                },
                other => Err(format!(
                    "unknown condition `{other}`, {EXPECTED}{}",
                    crate::suggest::did_you_mean(other, ["equals", "one_of", "matches", "present"])
                )),
            }
        }
        other => scalar_text(other).map(|s| Test::OneOf(vec![s])),
    }
}

pub(crate) fn scalar_text(value: toml::Value) -> Result<String, String> {
    match value {
        toml::Value::String(s) => Ok(s),
        toml::Value::Integer(i) => Ok(i.to_string()),
        toml::Value::Float(f) => Ok(f.to_string()),
        toml::Value::Boolean(b) => Ok(b.to_string()),
        toml::Value::Datetime(d) => Ok(d.to_string()),
        _ => Err(format!("{EXPECTED}; lists and tables cannot be compared")),
    }
}

/// Looks up a dotted key in front matter.
pub fn lookup<'v>(front_matter: Option<&'v Value>, key: &str) -> Option<&'v Value> {
    let mut value = front_matter?;
    if let Some(v) = value.get(key) {
        return Some(v).filter(|v| !v.is_null());
    }
    for part in key.split('.') {
        value = value.get(part)?;
    }
    Some(value).filter(|v| !v.is_null())
}

/// The text of a scalar front-matter value, as conditions compare it.
pub fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Condition {
    /// Whether the condition holds, for a rule's scope: a list value holds
    /// when any of its items does.
    pub fn holds(&self, front_matter: Option<&Value>) -> bool {
        let value = lookup(front_matter, &self.key);
        match &self.test {
            Test::Present(want) => value.is_some() == *want,
            Test::OneOf(options) => values(value).any(|v| options.contains(&v)),
            Test::Matches(p) => values(value).any(|v| p.0.is_match(&v)),
        }
    }
}

impl Condition {
    /// Whether the condition holds for a relaxation: only on one scalar
    /// value (or presence); a malformed value never holds.
    pub fn holds_strictly(&self, front_matter: Option<&Value>) -> bool {
        let value = lookup(front_matter, &self.key);
        match &self.test {
            Test::Present(want) => value.is_some() == *want,
            Test::OneOf(options) => value.and_then(text).is_some_and(|v| options.contains(&v)),
            Test::Matches(p) => value.and_then(text).is_some_and(|v| p.0.is_match(&v)),
        }
    }

    /// Whether the value this condition compares is there but is not one
    /// scalar (a list or a map): malformed for a condition that expects one.
    pub fn malformed(&self, front_matter: Option<&Value>) -> bool {
        match &self.test {
            Test::Present(_) => false,
            Test::OneOf(_) | Test::Matches(_) => {
                lookup(front_matter, &self.key).is_some_and(|v| text(v).is_none())
            }
        }
    }
}

/// Whether every condition holds for a relaxation (see
/// [`Condition::holds_strictly`]).
pub fn all_hold_strictly(conditions: &[Condition], front_matter: Option<&Value>) -> bool {
    conditions.iter().all(|c| c.holds_strictly(front_matter))
}

/// The scalar texts of a value: itself, or each item of a list.
fn values(value: Option<&Value>) -> impl Iterator<Item = String> + '_ {
    let items: Box<dyn Iterator<Item = &Value>> = match value {
        Some(Value::Array(items)) => Box::new(items.iter()),
        Some(v) => Box::new(std::iter::once(v)),
        None => Box::new(std::iter::empty()),
    };
    items.filter_map(text)
}

/// Whether every condition holds.
pub fn all_hold(conditions: &[Condition], front_matter: Option<&Value>) -> bool {
    conditions.iter().all(|c| c.holds(front_matter))
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.test {
            Test::OneOf(v) if v.len() == 1 => write!(f, "{} = {:?}", self.key, v[0]),
            Test::OneOf(v) => write!(f, "{} in {:?}", self.key, v),
            Test::Matches(p) => write!(f, "{} matches /{}/", self.key, p.as_str()),
            Test::Present(true) => write!(f, "{} is present", self.key),
            Test::Present(false) => write!(f, "{} is absent", self.key),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(toml_text: &str) -> Vec<Condition> {
        #[derive(serde::Deserialize)]
        struct W {
            when: RawWhen,
        }
        let w: W = toml::from_str(toml_text).unwrap();
        compile(w.when).unwrap()
    }

    #[test]
    fn conditions_compare_scalars_by_text() {
        let fm = serde_json::json!({"tier": 1, "status": "draft", "tags": ["a", "b"], "svc": {"tier": "2"}});
        assert!(all_hold(&when("when = { tier = 1 }"), Some(&fm)));
        assert!(all_hold(&when("when = { tier = \"1\" }"), Some(&fm)));
        assert!(!all_hold(&when("when = { tier = 2 }"), Some(&fm)));
        assert!(all_hold(
            &when("when = { status = [\"draft\", \"review\"] }"),
            Some(&fm)
        ));
        assert!(all_hold(&when("when = { tags = \"b\" }"), Some(&fm)));
        assert!(all_hold(&when("when = { \"svc.tier\" = 2 }"), Some(&fm)));
        assert!(all_hold(
            &when("when = { status = { matches = '^dr' } }"),
            Some(&fm)
        ));
        assert!(all_hold(
            &when("when = { owner = { present = false } }"),
            Some(&fm)
        ));
        assert!(!all_hold(
            &when("when = { owner = { present = true } }"),
            None
        ));
        assert!(!all_hold(&when("when = { status = \"draft\" }"), None));
    }

    #[test]
    fn relaxations_hold_only_on_one_scalar_value() {
        let listed = serde_json::json!({"status": ["draft", "approved"], "svc": {"tier": 1}});
        let draft = serde_json::json!({"status": "draft"});
        let w = when("when = { status = \"draft\" }");
        assert!(all_hold(&w, Some(&listed)), "a rule's scope: any item");
        assert!(!all_hold_strictly(&w, Some(&listed)), "a relaxation: never");
        assert!(w[0].malformed(Some(&listed)));
        assert!(all_hold_strictly(&w, Some(&draft)));
        assert!(!w[0].malformed(Some(&draft)));
        let m = when("when = { status = { matches = '^dr' } }");
        assert!(!all_hold_strictly(&m, Some(&listed)));
        assert!(m[0].malformed(Some(&listed)));
        let nested = when("when = { svc = 1 }");
        assert!(!all_hold_strictly(&nested, Some(&listed)));
        assert!(nested[0].malformed(Some(&listed)));
        let present = when("when = { status = { present = true } }");
        assert!(all_hold_strictly(&present, Some(&listed)));
        assert!(!present[0].malformed(Some(&listed)));
    }
}
