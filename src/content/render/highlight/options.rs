//! Hugo's code options: line numbers (`linenos`, `linenostart`, `lineNumbersInTable`) and
//! emphasized lines (`hl_lines`), written as the `highlight` shortcode's second argument
//! (`linenos=table,hl_lines=2 4-5,linenostart=10`) or as a fenced block's attributes
//! (```` ```go {linenos=true, hl_lines=[1,"3-4"]} ````). Hugo's other options (`style`,
//! `noClasses`, `anchorLineNos`, …) are accepted and have no effect here.

use std::ops::RangeInclusive;

/// Where line numbers are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum LineNumbers {
    #[default]
    None,
    /// A number at the start of each line.
    Inline,
    /// Hugo's two-cell table: the numbers in the left cell, the code in the right.
    Table,
}

/// Hugo's code options for one block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodeOptions {
    pub(crate) line_numbers: LineNumbers,
    /// The number of the first line (`linenostart`, 1 unless given).
    pub(crate) start: usize,
    /// Lines to emphasize (`hl_lines`), counted from 1 at the block's first line whatever
    /// `start` is, as Hugo counts them.
    pub(crate) highlight_lines: Vec<RangeInclusive<usize>>,
}

impl Default for CodeOptions {
    fn default() -> Self {
        CodeOptions {
            line_numbers: LineNumbers::None,
            start: 1,
            highlight_lines: Vec::new(),
        }
    }
}

/// How to write options in a message.
const EXAMPLE: &str = "linenos=table,hl_lines=2 4-5,linenostart=10";

/// Hugo's options that Quire accepts and does not apply, in lower case.
const IGNORED: [&str; 10] = [
    "anchorlinenos",
    "codefences",
    "guesssyntax",
    "hl_inline",
    "lineanchors",
    "noclasses",
    "style",
    "tabwidth",
    "wrapperclass",
    "type",
];

impl CodeOptions {
    /// Parses the `highlight` shortcode's options: `key=value` pairs separated by commas, keys
    /// in any case, as Hugo reads them.
    ///
    /// # Errors
    /// A message saying what to fix: a pair without `=`, an unknown key, a value that is not
    /// one the key takes.
    pub(crate) fn parse(options: &str) -> Result<CodeOptions, String> {
        let mut settings = Settings::default();
        let options = options.trim();
        if options.is_empty() {
            return Ok(CodeOptions::default());
        }
        for pair in options.split(',') {
            let Some((key, value)) = pair.split_once('=') else {
                return Err(format!(
                    "code option `{}` has no value: write options as {EXAMPLE}",
                    pair.trim()
                ));
            };
            let key = key.trim();
            if !settings.apply(key, Value::One(value.trim().to_owned()))? {
                return Err(format!(
                    "unknown code option `{key}`: Hugo's options are linenos, hl_lines, \
                     linenostart and lineNumbersInTable (as in {EXAMPLE})"
                ));
            }
        }
        Ok(settings.finish())
    }

    /// Splits a fenced block's info string into its language and its options:
    /// `go {linenos=table}` gives `go`. Words after the language that are not in braces are
    /// ignored, as Hugo ignores them; so are attributes that are not code options (`.class`,
    /// `#id`, `title="…"`).
    pub(crate) fn from_info(info: &str) -> (Option<String>, Result<CodeOptions, String>) {
        let info = info.trim();
        let (language, rest) = match info.find(|c: char| c.is_whitespace() || c == '{') {
            Some(at) => (&info[..at], info[at..].trim_start()),
            None => (info, ""),
        };
        let language = (!language.is_empty()).then(|| language.to_owned());
        let options = match rest.strip_prefix('{') {
            Some(attributes) => Self::from_attributes(attributes),
            None => Ok(CodeOptions::default()),
        };
        (language, options)
    }

    /// Parses the attributes after `{`, up to the closing `}`.
    fn from_attributes(attributes: &str) -> Result<CodeOptions, String> {
        let mut settings = Settings::default();
        let mut cursor = Cursor { rest: attributes };
        loop {
            cursor.skip_separators();
            match cursor.peek() {
                None => {
                    return Err(
                        "the code block's attributes have no closing `}`: write them as \
                         {linenos=table, hl_lines=[2, \"4-5\"]}"
                            .to_owned(),
                    );
                }
                Some('}') => return Ok(settings.finish()),
                Some(_) => {
                    let key = cursor.take_while(|c| !c.is_whitespace() && !"=,}".contains(c));
                    if key.is_empty() {
                        return Err(
                            "`=` with no name before it in the code block's attributes".to_owned()
                        );
                    }
                    cursor.skip_whitespace();
                    // A name alone is a class, an id or a flag: not an option.
                    if cursor.eat('=') {
                        cursor.skip_whitespace();
                        let value = cursor.value(key)?;
                        settings.apply(key, value)?;
                    }
                }
            }
        }
    }

    /// Whether the block is laid out line by line: with numbers or emphasized lines.
    pub(crate) fn by_line(&self) -> bool {
        self.line_numbers != LineNumbers::None || !self.highlight_lines.is_empty()
    }

    /// Whether line `n` of the block (from 1) is emphasized.
    pub(crate) fn emphasizes(&self, n: usize) -> bool {
        self.highlight_lines.iter().any(|lines| lines.contains(&n))
    }
}

/// An option's value: one word or quoted string, or a list (`[1, "3-4"]`).
enum Value {
    One(String),
    List(Vec<String>),
}

/// Hugo's `linenos`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LineNos {
    Off,
    /// `true`: a table unless `lineNumbersInTable=false`.
    On,
    Inline,
    Table,
}

/// The options read so far.
struct Settings {
    line_nos: LineNos,
    in_table: bool,
    start: usize,
    highlight_lines: Vec<RangeInclusive<usize>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            line_nos: LineNos::Off,
            in_table: true,
            start: 1,
            highlight_lines: Vec::new(),
        }
    }
}

impl Settings {
    /// Applies `key=value`; `false` when the key is not one of Hugo's options.
    fn apply(&mut self, key: &str, value: Value) -> Result<bool, String> {
        let lower = key.to_ascii_lowercase();
        match lower.as_str() {
            "linenos" => {
                self.line_nos = match one(key, value)?.to_ascii_lowercase().as_str() {
                    "true" => LineNos::On,
                    "false" => LineNos::Off,
                    "inline" => LineNos::Inline,
                    "table" => LineNos::Table,
                    other => {
                        return Err(format!(
                            "linenos={other}: write linenos=true, false, inline or table"
                        ));
                    }
                }
            }
            "linenumbersintable" => {
                self.in_table = match one(key, value)?.to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    other => {
                        return Err(format!("{key}={other}: write {key}=true or false"));
                    }
                }
            }
            "linenostart" => {
                let text = one(key, value)?;
                self.start = text.parse().map_err(|_| {
                    format!("linenostart={text}: the first line's number must be a whole number")
                })?;
            }
            "hl_lines" => {
                let fields = match value {
                    Value::One(text) => vec![text],
                    Value::List(items) => items,
                };
                self.highlight_lines.clear();
                for field in fields.iter().flat_map(|f| f.split_whitespace()) {
                    self.highlight_lines.push(lines(field)?);
                }
            }
            ignored if IGNORED.contains(&ignored) => {}
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn finish(self) -> CodeOptions {
        let line_numbers = match (self.line_nos, self.in_table) {
            (LineNos::Off, _) => LineNumbers::None,
            (LineNos::Inline, _) | (LineNos::On, false) => LineNumbers::Inline,
            (LineNos::Table, _) | (LineNos::On, true) => LineNumbers::Table,
        };
        CodeOptions {
            line_numbers,
            start: self.start,
            highlight_lines: self.highlight_lines,
        }
    }
}

/// A single value, for options that take one.
fn one(key: &str, value: Value) -> Result<String, String> {
    match value {
        Value::One(text) => Ok(text),
        Value::List(_) => Err(format!("{key} takes one value, not a list")),
    }
}

/// One field of `hl_lines`: a line (`3`) or a range of lines (`4-5`).
fn lines(field: &str) -> Result<RangeInclusive<usize>, String> {
    let wrong =
        || format!("hl_lines: `{field}` is not a line or a range of lines (write hl_lines=2 4-5)");
    let number = |text: &str| {
        // Hugo's list form has numbers, which may come as `3.0`.
        let text = text.trim().strip_suffix(".0").unwrap_or(text.trim());
        text.parse::<usize>().ok().filter(|&n| n > 0)
    };
    let (first, last) = match field.split_once('-') {
        Some((first, last)) => (number(first), number(last)),
        None => (number(field), number(field)),
    };
    match (first, last) {
        (Some(first), Some(last)) if first <= last => Ok(first..=last),
        (Some(first), Some(last)) => Err(format!(
            "hl_lines: the range {first}-{last} ends before it starts (write {last}-{first})"
        )),
        _ => Err(wrong()),
    }
}

/// Reads attributes, goldmark's syntax: `name=value` separated by spaces or commas, values
/// quoted, bare or in a list.
struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.rest.chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        match self.rest.strip_prefix(c) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let end = self.rest.find(|c| !keep(c)).unwrap_or(self.rest.len());
        let (taken, rest) = self.rest.split_at(end);
        self.rest = rest;
        taken
    }

    fn skip_whitespace(&mut self) {
        self.rest = self.rest.trim_start();
    }

    fn skip_separators(&mut self) {
        self.rest = self
            .rest
            .trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    }

    /// The value of `key`, after its `=`.
    fn value(&mut self, key: &str) -> Result<Value, String> {
        match self.peek() {
            Some('[') => {
                self.eat('[');
                let mut items = Vec::new();
                loop {
                    self.skip_separators();
                    match self.peek() {
                        None => return Err(format!("{key}: the list has no closing `]`")),
                        Some(']') => {
                            self.eat(']');
                            return Ok(Value::List(items));
                        }
                        Some(_) => items.push(self.word(key, "]")?),
                    }
                }
            }
            _ => Ok(Value::One(self.word(key, "}")?)),
        }
    }

    /// A quoted string or a bare word ending before whitespace, a comma or `end`.
    fn word(&mut self, key: &str, end: &str) -> Result<String, String> {
        if let Some(quote) = self.peek().filter(|&c| c == '"' || c == '\'') {
            self.eat(quote);
            let mut text = String::new();
            let mut chars = self.rest.char_indices();
            while let Some((at, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            text.push(escaped);
                        }
                    }
                    c if c == quote => {
                        self.rest = &self.rest[at + c.len_utf8()..];
                        return Ok(text);
                    }
                    c => text.push(c),
                }
            }
            return Err(format!("{key}: a value has no closing {quote}"));
        }
        let word = self.take_while(|c| !c.is_whitespace() && c != ',' && !end.contains(c));
        if word.is_empty() {
            return Err(format!("{key}= has no value"));
        }
        Ok(word.to_owned())
    }
}

#[cfg(test)]
mod tests;
