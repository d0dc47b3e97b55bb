//! The `related` table of a Hugo config: which front matter fields make posts related, and how
//! much each weighs. Read as Hugo 0.111 reads it (`related.DecodeConfig`, keys in any case,
//! numbers and booleans also accepted as strings), but a key Hugo would silently ignore is an
//! error here, so that a misspelt `weigth` does not switch an index off unnoticed.

use serde_json::{Map, Value};

/// How related posts are ranked: Hugo's `related` config.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RelatedConfig {
    /// Least normalized rank (0 to 100) a related post needs; divided by the number of terms it
    /// shares, so posts sharing many terms pass more easily.
    pub(crate) threshold: u8,
    /// Also list posts newer than the one asked about. Off (as in Hugo) so that a post's list
    /// does not change as newer posts are published.
    pub(crate) include_newer: bool,
    /// Lowercase terms of every index (as if each index had `to_lower`).
    pub(crate) to_lower: bool,
    pub(crate) indices: Vec<RelatedIndex>,
}

/// One field that makes posts related.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RelatedIndex {
    /// The front matter field (any case): `keywords`, `categories`, `tags`, any other taxonomy
    /// or string field; `date` for the post's date.
    pub(crate) name: String,
    /// How much a shared term weighs; 0 turns the index off, a negative weight pushes down.
    pub(crate) weight: i32,
    /// For `date`: the Go layout that turns a date into a term, such as `"2006"` (same year,
    /// the default) or `"200601"` (same month). Ignored for other indices, as in Hugo.
    pub(crate) pattern: Option<String>,
    /// Lowercase this index's terms, so that `Rust` and `rust` match.
    pub(crate) to_lower: bool,
    /// Percentage (1 to 100) of posts above which a term is dropped as too common; 0 keeps all.
    pub(crate) cardinality_threshold: u8,
}

impl RelatedIndex {
    /// An index with `name` and `weight`, and nothing else set.
    pub(crate) fn new(name: &str, weight: i32) -> RelatedIndex {
        RelatedIndex {
            name: name.to_owned(),
            weight,
            pattern: None,
            to_lower: false,
            cardinality_threshold: 0,
        }
    }

    /// True for the index of the post's date.
    pub(crate) fn is_date(&self) -> bool {
        self.name.eq_ignore_ascii_case("date")
    }
}

/// Quire's ranking when the site has no `related` config: a shared keyword counts most, then a
/// shared category, then the same year. Hugo's own default is keywords 100 and date 10 (plus
/// tags 80 when the site has tags), threshold 80, newer posts left out; Quire keeps all of that
/// but ranks categories (its other taxonomy) where Hugo ranks tags, and matches terms in any
/// case, as Quire's category and keyword lookups do. With threshold 80, one shared keyword or
/// category is enough; the same year alone is not (norm 10 < 80), it only breaks ties.
impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig {
            threshold: 80,
            include_newer: false,
            to_lower: true,
            indices: vec![
                RelatedIndex::new("keywords", 100),
                RelatedIndex::new("categories", 80),
                RelatedIndex {
                    pattern: Some("2006".to_owned()),
                    ..RelatedIndex::new("date", 10)
                },
            ],
        }
    }
}

impl RelatedConfig {
    /// Reads the `related` table of a Hugo config, as JSON. Keys are matched in any case.
    ///
    /// # Errors
    /// A sentence naming the key (`related.indices[1].weight`) and what was wrong with it: a
    /// value of the wrong type or out of range, an unknown key, an index without a name or
    /// listed twice, an index of type `fragments` (Quire does not index headings), or an
    /// empty table (Hugo rejects it too).
    pub(crate) fn from_hugo(value: &Value) -> Result<RelatedConfig, String> {
        let table = value
            .as_object()
            .ok_or_else(|| format!("related must be a table, got {}", describe(value)))?;
        if table.is_empty() {
            return Err(
                "related is empty: give at least its indices, or remove it to use the \
                        default ranking"
                    .to_owned(),
            );
        }
        let fields = Fields::read(
            "related",
            table,
            &["threshold", "includenewer", "tolower", "indices"],
        )?;
        let threshold = match fields.get("threshold") {
            Some(v) => int(v, "related.threshold")?,
            None => 0,
        };
        let threshold = u8::try_from(threshold)
            .ok()
            .filter(|t| *t <= 100)
            .ok_or_else(|| {
                format!("related.threshold must be between 0 and 100, got {threshold}")
            })?;
        let include_newer = fields
            .get("includenewer")
            .map_or(Ok(false), |v| boolean(v, "related.includeNewer"))?;
        let to_lower = fields
            .get("tolower")
            .map_or(Ok(false), |v| boolean(v, "related.toLower"))?;
        let indices = match fields.get("indices") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| index(item, &format!("related.indices[{i}]"), to_lower))
                .collect::<Result<_, _>>()?,
            // A single table stands for a list of one, as Hugo's weak decoding has it.
            Some(item @ Value::Object(_)) => vec![index(item, "related.indices[0]", to_lower)?],
            Some(other) => {
                return Err(format!(
                    "related.indices must be a list of tables, got {}",
                    describe(other)
                ));
            }
        };
        for (i, a) in indices.iter().enumerate() {
            if let Some(j) = indices[..i]
                .iter()
                .position(|b: &RelatedIndex| b.name.eq_ignore_ascii_case(&a.name))
            {
                return Err(format!(
                    "related.indices[{i}] repeats the name `{}` of related.indices[{j}]; \
                     keep one",
                    a.name
                ));
            }
        }
        Ok(RelatedConfig {
            threshold,
            include_newer,
            to_lower,
            indices,
        })
    }
}

/// One entry of `related.indices`.
fn index(value: &Value, at: &str, to_lower_all: bool) -> Result<RelatedIndex, String> {
    let table = value
        .as_object()
        .ok_or_else(|| format!("{at} must be a table, got {}", describe(value)))?;
    let fields = Fields::read(
        at,
        table,
        &[
            "name",
            "type",
            "applyfilter",
            "pattern",
            "weight",
            "cardinalitythreshold",
            "tolower",
        ],
    )?;
    let text = |key: &str, shown: &str| {
        fields
            .get(key)
            .map_or(Ok(String::new()), |v| string(v, &format!("{at}.{shown}")))
    };
    let name = text("name", "name")?;
    if name.is_empty() {
        return Err(format!(
            "{at} has no name: set name to the front matter field it compares, such as \"tags\""
        ));
    }
    match text("type", "type")?.as_str() {
        "" | "basic" => {}
        "fragments" => {
            return Err(format!(
                "{at}.type \"fragments\" is not supported: Quire does not index headings; \
                 remove this index or make it \"basic\""
            ));
        }
        other => {
            return Err(format!(
                "{at}.type must be \"basic\" or \"fragments\", got {other:?}"
            ));
        }
    }
    // Only used by `fragments` indices, which are refused above; checked for its type.
    if let Some(v) = fields.get("applyfilter") {
        boolean(v, &format!("{at}.applyFilter"))?;
    }
    let pattern = text("pattern", "pattern")?;
    let weight = match fields.get("weight") {
        Some(v) => int(v, &format!("{at}.weight"))?,
        None => 0,
    };
    let weight = i32::try_from(weight).map_err(|_| {
        format!(
            "{at}.weight must be between {} and {}, got {weight}",
            i32::MIN,
            i32::MAX
        )
    })?;
    let cardinality = match fields.get("cardinalitythreshold") {
        Some(v) => int(v, &format!("{at}.cardinalityThreshold"))?,
        None => 0,
    };
    let cardinality_threshold = u8::try_from(cardinality)
        .ok()
        .filter(|c| *c <= 100)
        .ok_or_else(|| {
            format!("{at}.cardinalityThreshold must be between 0 and 100, got {cardinality}")
        })?;
    let to_lower = match fields.get("tolower") {
        Some(v) => boolean(v, &format!("{at}.toLower"))?,
        None => false,
    };
    Ok(RelatedIndex {
        name,
        weight,
        pattern: (!pattern.is_empty()).then_some(pattern),
        to_lower: to_lower || to_lower_all,
        cardinality_threshold,
    })
}

/// The keys of one table, matched in any case against the known (lowercase) ones.
struct Fields<'a>(Vec<(&'static str, &'a Value)>);

impl<'a> Fields<'a> {
    fn read(
        at: &str,
        table: &'a Map<String, Value>,
        known: &[&'static str],
    ) -> Result<Self, String> {
        let mut found: Vec<(&'static str, &'a Value)> = Vec::new();
        for (key, value) in table {
            let lower = key.to_lowercase();
            let Some(&name) = known.iter().find(|k| **k == lower) else {
                return Err(format!(
                    "{at}.{key} is not a related setting; the settings are {}",
                    known.join(", ")
                ));
            };
            if found.iter().any(|(k, _)| *k == name) {
                return Err(format!(
                    "{at}.{key} is set twice (keys are case-insensitive); keep one"
                ));
            }
            found.push((name, value));
        }
        Ok(Fields(found))
    }

    /// The value of `key`; a null is as if it were not set, as in Hugo.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.0
            .iter()
            .find(|(k, v)| *k == key && !v.is_null())
            .map(|(_, v)| *v)
    }
}

/// An integer: a number (a fraction is cut off, as Go does) or a string of digits.
fn int(value: &Value, at: &str) -> Result<i64, String> {
    let wrong = || format!("{at} must be a whole number, got {}", describe(value));
    match value {
        Value::Number(n) => match n.as_i64() {
            Some(i) => Ok(i),
            // Saturating cast: out-of-range values are refused by the caller's range check.
            None => n.as_f64().map(|f| f.trunc() as i64).ok_or_else(wrong),
        },
        Value::String(s) if s.is_empty() => Ok(0),
        Value::String(s) => s.parse().map_err(|_| wrong()),
        _ => Err(wrong()),
    }
}

/// A boolean: `true`/`false`, a number (non-zero is true), or a string Go's `ParseBool` reads.
fn boolean(value: &Value, at: &str) -> Result<bool, String> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) => Ok(n.as_f64().is_some_and(|f| f != 0.0)),
        Value::String(s) => match s.as_str() {
            "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
            "" | "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
            _ => Err(format!("{at} must be true or false, got {s:?}")),
        },
        _ => Err(format!(
            "{at} must be true or false, got {}",
            describe(value)
        )),
    }
}

/// A string: text, or a number written out.
fn string(value: &Value, at: &str) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(format!("{at} must be text, got {}", describe(value))),
    }
}

/// A value as shown in an error: its JSON, shortened.
fn describe(value: &Value) -> String {
    let kind = match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    };
    let json = value.to_string();
    if json.len() > 40 {
        kind.to_owned()
    } else {
        format!("{kind} ({json})")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_a_hugo_related_table() {
        let config = RelatedConfig::from_hugo(&json!({
            "threshold": 80,
            "includeNewer": true,
            "toLower": false,
            "indices": [
                {"name": "keywords", "weight": 100},
                {"name": "tags", "weight": 80, "toLower": true, "cardinalityThreshold": 50},
                {"name": "date", "weight": 10, "pattern": "200601", "type": "basic"},
            ],
        }))
        .unwrap();
        assert_eq!(
            config,
            RelatedConfig {
                threshold: 80,
                include_newer: true,
                to_lower: false,
                indices: vec![
                    RelatedIndex::new("keywords", 100),
                    RelatedIndex {
                        to_lower: true,
                        cardinality_threshold: 50,
                        ..RelatedIndex::new("tags", 80)
                    },
                    RelatedIndex {
                        pattern: Some("200601".into()),
                        ..RelatedIndex::new("date", 10)
                    },
                ],
            }
        );
    }

    #[test]
    fn reads_keys_in_any_case_and_values_weakly_as_hugo_does() {
        let config = RelatedConfig::from_hugo(&json!({
            "THRESHOLD": "20",
            "includenewer": "true",
            "ToLower": 1,
            "Indices": {"NAME": "Tags", "Weight": 7.9, "applyFilter": false, "pattern": null},
        }))
        .unwrap();
        assert_eq!(config.threshold, 20);
        assert!(config.include_newer);
        assert!(config.to_lower);
        // The top-level toLower applies to every index; a single table is a list of one.
        assert_eq!(
            config.indices,
            [RelatedIndex {
                to_lower: true,
                ..RelatedIndex::new("Tags", 7)
            }]
        );
        // Unset keys take Go's zero values, as Hugo leaves them.
        let bare = RelatedConfig::from_hugo(&json!({"indices": [{"name": "tags"}]})).unwrap();
        assert_eq!(bare.threshold, 0);
        assert!(!bare.include_newer);
        assert_eq!(bare.indices, [RelatedIndex::new("tags", 0)]);
    }

    #[test]
    fn says_which_key_is_wrong() {
        let error = |value: Value| RelatedConfig::from_hugo(&value).unwrap_err();
        assert_eq!(
            error(json!({"threshold": 120})),
            "related.threshold must be between 0 and 100, got 120"
        );
        assert_eq!(
            error(json!({"threshold": -1})),
            "related.threshold must be between 0 and 100, got -1"
        );
        assert_eq!(
            error(
                json!({"indices": [{"name": "a", "weight": 1}, {"name": "b", "weight": "heavy"}]})
            ),
            "related.indices[1].weight must be a whole number, got text (\"heavy\")"
        );
        assert_eq!(
            error(json!({"includeNewer": "yes"})),
            "related.includeNewer must be true or false, got \"yes\""
        );
        assert_eq!(
            error(json!({"indices": [{"name": "a", "weigth": 1}]})),
            "related.indices[0].weigth is not a related setting; the settings are name, type, \
             applyfilter, pattern, weight, cardinalitythreshold, tolower"
        );
        assert_eq!(
            error(json!({"treshold": 10})),
            "related.treshold is not a related setting; the settings are threshold, \
             includenewer, tolower, indices"
        );
        assert_eq!(
            error(json!({"threshold": 1, "Threshold": 2})),
            "related.Threshold is set twice (keys are case-insensitive); keep one"
        );
        assert!(
            error(json!({"indices": [{"name": "refs", "type": "fragments", "weight": 80}]}))
                .starts_with("related.indices[0].type \"fragments\" is not supported")
        );
        assert_eq!(
            error(json!({"indices": [{"name": "a", "type": "fancy"}]})),
            "related.indices[0].type must be \"basic\" or \"fragments\", got \"fancy\""
        );
        assert!(
            error(json!({"indices": [{"weight": 80}]}))
                .starts_with("related.indices[0] has no name")
        );
        assert_eq!(
            error(json!({"indices": [{"name": "tags"}, {"name": "Tags"}]})),
            "related.indices[1] repeats the name `Tags` of related.indices[0]; keep one"
        );
        assert_eq!(
            error(json!({"indices": [{"name": "a", "cardinalityThreshold": 101}]})),
            "related.indices[0].cardinalityThreshold must be between 0 and 100, got 101"
        );
        assert_eq!(
            error(json!({"indices": [{"name": "a", "weight": 3_000_000_000_i64}]})),
            "related.indices[0].weight must be between -2147483648 and 2147483647, got 3000000000"
        );
        assert_eq!(
            error(json!({"indices": "tags"})),
            "related.indices must be a list of tables, got text (\"tags\")"
        );
        assert_eq!(
            error(json!({"indices": ["tags"]})),
            "related.indices[0] must be a table, got text (\"tags\")"
        );
        assert!(error(json!({})).starts_with("related is empty"));
        assert_eq!(
            error(json!(true)),
            "related must be a table, got a boolean (true)"
        );
    }

    #[test]
    fn default_ranks_keywords_then_categories_then_the_year() {
        let config = RelatedConfig::default();
        assert_eq!((config.threshold, config.include_newer), (80, false));
        let weights: Vec<_> = config
            .indices
            .iter()
            .map(|i| (i.name.as_str(), i.weight, i.pattern.as_deref()))
            .collect();
        assert_eq!(
            weights,
            [
                ("keywords", 100, None),
                ("categories", 80, None),
                ("date", 10, Some("2006"))
            ]
        );
    }
}
