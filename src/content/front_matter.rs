//! Splitting a post into front matter and body, and parsing the front matter, as Hugo does:
//! YAML between `---` lines, TOML between `+++` lines, or a JSON object at the top of the file.
//! A file may have none. Keys keep their original spelling here; lookups of known fields are
//! case-insensitive (see [`FrontMatter::get`]).

use serde_json::{Map, Value};

/// The front matter of one post, parsed into JSON values.
#[derive(Debug, Clone, Default)]
pub(crate) struct FrontMatter {
    /// Every key with its original spelling, in the order written.
    pub(crate) fields: Map<String, Value>,
    /// The raw block, to find the line a key is on.
    block: String,
    /// 1-based line of the file on which `block` starts.
    first_line: usize,
    format: Format,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Format {
    #[default]
    None,
    Yaml,
    Toml,
    Json,
}

/// Why a front matter block could not be read; `line` is 1-based in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) line: Option<usize>,
    pub(crate) message: String,
}

/// Splits `text` (BOM and CRLF already removed) into front matter and the Markdown body.
///
/// # Errors
/// When a front matter block is opened but not closed, or its YAML, TOML or JSON does not parse.
pub(crate) fn split(text: &str) -> Result<(FrontMatter, &str), SyntaxError> {
    let leading = text.len() - text.trim_start_matches(['\n', ' ', '\t']).len();
    let start = &text[leading..];
    let skipped_lines = text[..leading].matches('\n').count();
    let first_line = first_line_of(start);
    let format = match first_line.trim_end() {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        // `{{< shortcode >}}` opens many Hugo bodies; a JSON object never starts with `{{`.
        _ if start.starts_with('{') && !start.starts_with("{{") => Format::Json,
        _ => return Ok((FrontMatter::default(), text)),
    };
    if format == Format::Json {
        return split_json(start, skipped_lines);
    }
    let delimiter = if format == Format::Yaml { "---" } else { "+++" };
    let after_open = &start[first_line.len()..];
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == delimiter {
            let block = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            let front = FrontMatter::parse(format, block, skipped_lines + 2)?;
            return Ok((front, body));
        }
        offset += line.len();
    }
    Err(SyntaxError {
        line: Some(skipped_lines + 1),
        message: format!(
            "front matter opened with `{delimiter}` is never closed: add a `{delimiter}` line after the last field"
        ),
    })
}

fn first_line_of(text: &str) -> &str {
    text.split_inclusive('\n').next().unwrap_or("")
}

fn split_json(text: &str, skipped_lines: usize) -> Result<(FrontMatter, &str), SyntaxError> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Map<String, Value>>();
    match stream.next() {
        Some(Ok(fields)) => {
            let end = stream.byte_offset();
            let rest = &text[end..];
            let body = rest.strip_prefix(['\r', ' ', '\t']).unwrap_or(rest);
            let body = body.strip_prefix('\n').unwrap_or(body);
            Ok((
                FrontMatter {
                    fields,
                    block: text[..end].to_owned(),
                    first_line: skipped_lines + 1,
                    format: Format::Json,
                },
                body,
            ))
        }
        Some(Err(err)) => Err(SyntaxError {
            line: Some(skipped_lines + err.line()),
            message: format!("JSON front matter: {}", strip_position(&err.to_string())),
        }),
        None => Ok((FrontMatter::default(), text)),
    }
}

/// serde_json appends " at line L column C"; the line is reported separately, relative to the file.
pub(super) fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i])
}

impl FrontMatter {
    fn parse(format: Format, block: &str, first_line: usize) -> Result<Self, SyntaxError> {
        let fields = match format {
            Format::Yaml => parse_yaml(block, first_line)?,
            Format::Toml => parse_toml(block, first_line)?,
            Format::None | Format::Json => unreachable!("handled by split"),
        };
        Ok(FrontMatter {
            fields,
            block: block.to_owned(),
            first_line,
            format,
        })
    }

    /// Front matter made of `fields` alone, such as a nested map (no lines to report).
    pub(crate) fn from_fields(fields: Map<String, Value>) -> Self {
        FrontMatter {
            fields,
            ..FrontMatter::default()
        }
    }

    /// The value of `key`, compared case-insensitively as Hugo does (`Date` is `date`).
    pub(crate) fn get(&self, key: &str) -> Option<(&str, &Value)> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(k, v)| (k.as_str(), v))
    }

    /// The 1-based line of the file on which the top-level `key` is written, when it can be found.
    pub(crate) fn line_of(&self, key: &str) -> Option<usize> {
        let quoted = format!("\"{key}\"");
        self.block.lines().enumerate().find_map(|(i, line)| {
            let name = match self.format {
                Format::Yaml | Format::Toml if line.starts_with([' ', '\t']) => return None,
                Format::Json => line.trim_start(),
                _ => line,
            };
            let name = name
                .strip_prefix(quoted.as_str())
                .or_else(|| name.strip_prefix(key))?;
            let rest = name.trim_start();
            rest.starts_with([':', '=']).then_some(self.first_line + i)
        })
    }
}

fn parse_yaml(block: &str, first_line: usize) -> Result<Map<String, Value>, SyntaxError> {
    if block.trim().is_empty() {
        return Ok(Map::new());
    }
    let value: Value =
        serde_saphyr::from_str_with_options(block, yaml_options()).map_err(|err| SyntaxError {
            line: err.location().map(|l| first_line + l.line() as usize - 1),
            message: format!("YAML front matter: {}", yaml_message(&err)),
        })?;
    into_map(value, first_line)
}

/// YAML as Hugo (go-yaml v3) reads it into untyped values: only `true`/`false` are booleans
/// (`slug: y` stays the string "y"), and `007` keeps its zeros.
pub(super) fn yaml_options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.leading_zero_numbers_as_strings = true;
    options.with_snippet = false;
    options
}

/// serde-saphyr renders a source snippet; the problem report wants one line.
pub(super) fn yaml_message(err: &serde_saphyr::Error) -> String {
    let text = err.to_string();
    let first = text.lines().next().unwrap_or("unreadable YAML").trim();
    let message = strip_position(first).trim_end_matches(':');
    match message.strip_prefix("duplicate mapping key: ") {
        Some(rest) => {
            let key = rest.split(',').next().unwrap_or(rest).trim();
            format!("`{key}` is set twice: keep one of them")
        }
        None => message.to_owned(),
    }
}

fn parse_toml(block: &str, first_line: usize) -> Result<Map<String, Value>, SyntaxError> {
    let table: toml::Table = toml::from_str(block).map_err(|err| SyntaxError {
        line: err
            .span()
            .map(|s| first_line + block[..s.start].matches('\n').count()),
        message: format!("TOML front matter: {}", err.message()),
    })?;
    Ok(table
        .into_iter()
        .map(|(k, v)| (k, toml_to_json(v)))
        .collect())
}

/// TOML values as JSON; native datetimes become their RFC 3339 text.
pub(super) fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

fn into_map(value: Value, first_line: usize) -> Result<Map<String, Value>, SyntaxError> {
    let found = match value {
        Value::Object(map) => return Ok(map),
        Value::Null => return Ok(Map::new()),
        Value::Array(_) => "a list",
        Value::String(_) => "a single string",
        Value::Number(_) | Value::Bool(_) => "a single value",
    };
    Err(SyntaxError {
        line: Some(first_line),
        message: format!("front matter must be `key: value` lines, found {found}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> (Map<String, Value>, String) {
        let (front, body) = split(text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
        (front.fields, body.to_owned())
    }

    #[test]
    fn reads_hugo_style_yaml() {
        let text = "---\ntitle:        Week 50, 2017 - Some Conference\nslug:         week-50-2017\nauthor:       Jane Author   \nDate:   2017-12-11T21:45:37+11:00  \ncategories:   [\"Weekly Notes\"]\nkeywords:\n  - kubernetes\n  - cloudflare\nDescription:  \"One-line summary.\"\n---\nBody\n";
        let (f, body) = fields(text);
        assert_eq!(f["title"], "Week 50, 2017 - Some Conference");
        assert_eq!(f["author"], "Jane Author");
        assert_eq!(f["Date"], "2017-12-11T21:45:37+11:00");
        assert_eq!(f["categories"], serde_json::json!(["Weekly Notes"]));
        assert_eq!(
            f["keywords"],
            serde_json::json!(["kubernetes", "cloudflare"])
        );
        assert_eq!(f["Description"], "One-line summary.");
        assert_eq!(body, "Body\n");
    }

    #[test]
    fn reads_yaml_quirks() {
        let text = "---   \n# a comment\ntitle: |-\n  Two\n  lines\nslug: 1\ncSpell:ignore: foo bar\nparams:\n  author:\n    name: Ann\nempty:\n---\n";
        let (f, body) = fields(text);
        assert_eq!(f["title"], "Two\nlines");
        assert_eq!(f["slug"], 1);
        assert_eq!(f["cSpell:ignore"], "foo bar");
        assert_eq!(f["params"]["author"]["name"], "Ann");
        assert_eq!(f["empty"], Value::Null);
        let (f, _) = fields("---\nslug: y\ntitle: yes\nshow: on\ndraft: true\nid: 007\n---\n");
        assert_eq!(
            (&f["slug"], &f["title"], &f["show"]),
            (&Value::from("y"), &Value::from("yes"), &Value::from("on"))
        );
        assert_eq!(
            (&f["draft"], &f["id"]),
            (&Value::Bool(true), &Value::from("007"))
        );
        assert_eq!(body, "");
    }

    #[test]
    fn accepts_empty_and_missing_front_matter() {
        assert!(fields("---\n---\nHello").0.is_empty());
        assert!(fields("---\n\n---\nHello").0.is_empty());
        let (f, body) = fields("# Just Markdown\n\n---\n");
        assert!(f.is_empty());
        assert_eq!(body, "# Just Markdown\n\n---\n");
    }

    #[test]
    fn reads_a_leading_shortcode_as_body() {
        let (f, body) = fields("{{< note >}}\nHello\n{{< /note >}}\n");
        assert!(f.is_empty());
        assert!(body.starts_with("{{< note >}}"));
    }

    #[test]
    fn names_a_duplicate_key() {
        let err = split("---\ntitle: a\ntitle: b\n---\n").unwrap_err();
        assert_eq!(
            err,
            SyntaxError {
                line: Some(3),
                message: "YAML front matter: `title` is set twice: keep one of them".into()
            }
        );
    }

    #[test]
    fn reads_toml_with_native_dates() {
        let text = "+++\ntitle = \"T\"\ndate = 2021-01-01T10:00:00+10:00\ntags = [\"a\"]\n[params]\nx = 1\n+++\nBody";
        let (f, body) = fields(text);
        assert_eq!(f["title"], "T");
        assert_eq!(f["date"], "2021-01-01T10:00:00+10:00");
        assert_eq!(f["params"]["x"], 1);
        assert_eq!(body, "Body");
    }

    #[test]
    fn reads_json_front_matter() {
        let text = "{\n  \"title\": \"J\",\n  \"categories\": [\"A\"]\n}\n\nBody";
        let (f, body) = fields(text);
        assert_eq!(f["title"], "J");
        assert_eq!(body, "\nBody");
    }

    #[test]
    fn reports_syntax_errors_with_file_lines() {
        let err = split("---\ntitle: ok\ncategories: [a, b\n---\n").unwrap_err();
        assert!(err.message.starts_with("YAML front matter"), "{err:?}");
        assert!(err.line.is_some_and(|l| (3..=4).contains(&l)), "{err:?}");

        let err = split("+++\ntitle = \"T\"\ndate = \n+++\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err:?}");
        assert!(err.message.starts_with("TOML front matter"), "{err:?}");

        let err = split("{\n\"title\": \"J\",\n\"x\": nope\n}\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err:?}");

        let err = split("---\ntitle: never closed\n").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(err.message.contains("never closed"));

        let err = split("---\n- a\n- b\n---\n").unwrap_err();
        assert!(err.message.contains("found a list"), "{err:?}");
    }

    #[test]
    fn finds_the_line_of_a_key() {
        let (front, _) =
            split("\n---\ntitle: x\nparams:\n  date: nested\nDate: 2020-01-01\n---\n").unwrap();
        assert_eq!(front.line_of("Date"), Some(6));
        assert_eq!(front.line_of("title"), Some(3));
        assert_eq!(front.line_of("missing"), None);
        let (front, _) = split("{\n  \"title\": \"J\",\n  \"date\": 5\n}\n").unwrap();
        assert_eq!(front.line_of("date"), Some(3));
    }
}
