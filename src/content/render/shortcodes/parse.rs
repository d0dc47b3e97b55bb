//! The shortcode tag grammar, as Hugo's page lexer reads it: one `{{< … >}}` or `{{% … %}}` tag
//! (opening, self-closing, closing or escaped) from a given position.
//!
//! Hugo's rules, with two leniencies: single-quoted values (`caption='y'`, which Hugo keeps
//! quotes and all) and bare values holding any character but whitespace (Hugo asks for quotes
//! around anything but letters, digits, `-` and `.`).

use super::Args;

/// One tag read from the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tag {
    /// `{{< name args >}}`, or `{{< name args />}}` when `self_closing`.
    Open {
        name: String,
        args: Args,
        self_closing: bool,
    },
    /// `{{< /name >}}`.
    Close { name: String },
    /// `{{</* text */>}}`: `literal` is what it shows, `{{< text >}}`.
    Escaped { literal: String },
}

/// A tag and where it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Parsed {
    pub(super) tag: Tag,
    /// Byte just past the tag's closing delimiter.
    pub(super) end: usize,
}

/// Reads the tag at `start`, where `text[start..]` begins with `{{<` or `{{%`.
///
/// # Errors
/// What is wrong with the tag and how to fix it, worded for a problem on the post.
pub(super) fn tag(text: &str, start: usize) -> Result<Parsed, String> {
    let markdown = text.as_bytes().get(start + 2) == Some(&b'%');
    let (open, close) = if markdown {
        ("{{%", "%}}")
    } else {
        ("{{<", ">}}")
    };
    let mut cursor = Cursor {
        text,
        pos: start + open.len(),
        open,
        close,
    };
    if cursor.rest().starts_with("/*") {
        return cursor.escaped();
    }
    cursor.skip_space();
    if cursor.eat('/') {
        cursor.skip_space();
        let name = cursor.name().ok_or_else(|| {
            format!("`{open} /` starts a closing tag but no shortcode name follows: write `{open} /name {close}`")
        })?;
        cursor.skip_space();
        if !cursor.rest().starts_with(close) {
            return Err(format!(
                "closing tag `{open} /{name}` is not closed: end it with `{close}`"
            ));
        }
        return Ok(Parsed {
            tag: Tag::Close { name },
            end: cursor.pos + close.len(),
        });
    }
    let name = cursor.name().ok_or_else(|| {
        format!(
            "`{open}` starts a shortcode but no name follows: write `{open}/* … */{close}` to show it as text"
        )
    })?;
    cursor.open_tag(name)
}

/// A position in the text inside one tag.
struct Cursor<'t> {
    text: &'t str,
    pos: usize,
    open: &'static str,
    close: &'static str,
}

impl<'t> Cursor<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.rest().starts_with(c);
        if found {
            self.pos += c.len_utf8();
        }
        found
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start_matches(is_space).len();
    }

    /// Bytes to the end of a self-closing `/ >}}` here, if one is here.
    fn self_closing(&self) -> Option<usize> {
        let after = self.rest().strip_prefix('/')?;
        let trimmed = after.trim_start_matches(is_space);
        trimmed
            .starts_with(self.close)
            .then(|| self.rest().len() - trimmed.len() + self.close.len())
    }

    /// The end of the tag is here: `>}}`, or `/>}}` when `self_closing` is allowed.
    fn at_end(&self) -> bool {
        self.rest().starts_with(self.close) || self.self_closing().is_some()
    }

    /// `{{</* text */>}}`: the text between the comment markers, between the delimiters.
    fn escaped(&mut self) -> Result<Parsed, String> {
        let (open, close) = (self.open, self.close);
        let body = self.pos + 2;
        let end_marker = format!("*/{close}");
        let Some(length) = self.text[body..].find(&end_marker) else {
            return Err(format!(
                "escaped shortcode `{open}/*` is not closed: end it with `{end_marker}`"
            ));
        };
        let literal = format!("{open}{}{close}", &self.text[body..body + length]);
        Ok(Parsed {
            tag: Tag::Escaped { literal },
            end: body + length + end_marker.len(),
        })
    }

    /// A shortcode name: letters, digits, `_`, `-`, `.`, and `/` between them (`blocks/cover`).
    fn name(&mut self) -> Option<String> {
        let start = self.pos;
        if !self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        while let Some(c) = self.peek() {
            let more = match c {
                '/' => self.rest()[1..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric),
                c => c.is_alphanumeric() || matches!(c, '_' | '-' | '.'),
            };
            if !more {
                break;
            }
            self.pos += c.len_utf8();
        }
        Some(self.text[start..self.pos].to_owned())
    }

    /// The arguments and end of an opening tag, after its name.
    fn open_tag(&mut self, name: String) -> Result<Parsed, String> {
        let (open, close) = (self.open, self.close);
        let unclosed = || format!("shortcode `{open} {name}` is not closed: end it with `{close}`");
        let mut named = Vec::new();
        let mut positional = Vec::new();
        loop {
            self.skip_space();
            if self.rest().starts_with(close) {
                self.pos += close.len();
                break;
            }
            if let Some(length) = self.self_closing() {
                self.pos += length;
                let args = to_args(named, positional);
                return Ok(Parsed {
                    tag: Tag::Open {
                        name,
                        args,
                        self_closing: true,
                    },
                    end: self.pos,
                });
            }
            let Some(first) = self.peek() else {
                return Err(unclosed());
            };
            if first == '=' {
                return Err(format!(
                    "shortcode `{name}` has `=` without a name before it: write `key=value`"
                ));
            }
            let (value, bare) = match self.value(&name)? {
                Some(quoted) => (quoted, false),
                None => (self.word(true).to_owned(), true),
            };
            if bare && runs_into_another_tag(&value) {
                return Err(unclosed());
            }
            let before_equals = self.pos;
            self.skip_space();
            if bare && self.eat('=') {
                self.skip_space();
                let named_value = match self.value(&name)? {
                    Some(quoted) => quoted,
                    None => {
                        let word = self.word(false);
                        if runs_into_another_tag(word) {
                            return Err(unclosed());
                        }
                        word.to_owned()
                    }
                };
                named.push((value, named_value));
            } else {
                self.pos = before_equals;
                positional.push(value);
            }
            if !named.is_empty() && !positional.is_empty() {
                return Err(format!(
                    "shortcode `{name}` mixes named and positional arguments: name every argument (`key=\"value\"`) or none"
                ));
            }
        }
        Ok(Parsed {
            tag: Tag::Open {
                name,
                args: to_args(named, positional),
                self_closing: false,
            },
            end: self.pos,
        })
    }

    /// A quoted (`"…"`, `'…'`) or raw-string (`` `…` ``) value here, if one starts here.
    fn value(&mut self, name: &str) -> Result<Option<String>, String> {
        match self.peek() {
            Some('"') => self.double_quoted(name).map(Some),
            Some('\'') => self.single_quoted(name).map(Some),
            Some('`') => self.raw_string(name).map(Some),
            _ => Ok(None),
        }
    }

    /// `"…"` on one line; `\"` is a quote, and then (as in Hugo) every backslash goes.
    fn double_quoted(&mut self, name: &str) -> Result<String, String> {
        let start = self.pos + 1;
        let mut escapes = false;
        let mut chars = self.text[start..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if self.text[start + i + 1..].starts_with('"') => {
                    escapes = true;
                    chars.next();
                }
                '"' => {
                    let value = &self.text[start..start + i];
                    self.pos = start + i + 1;
                    return Ok(if escapes {
                        value.replace('\\', "")
                    } else {
                        value.to_owned()
                    });
                }
                '\n' => break,
                _ => {}
            }
        }
        Err(format!(
            "shortcode `{name}` has a quoted argument not closed on its line: add the closing `\"`"
        ))
    }

    /// `'…'` on one line, no escapes.
    fn single_quoted(&mut self, name: &str) -> Result<String, String> {
        let start = self.pos + 1;
        let line = self.text[start..].split('\n').next().unwrap_or_default();
        let Some(length) = line.find('\'') else {
            return Err(format!(
                "shortcode `{name}` has a quoted argument not closed on its line: add the closing `'`"
            ));
        };
        self.pos = start + length + 1;
        Ok(self.text[start..start + length].to_owned())
    }

    /// `` `…` ``, across lines, no escapes.
    fn raw_string(&mut self, name: &str) -> Result<String, String> {
        let start = self.pos + 1;
        let Some(length) = self.text[start..].find('`') else {
            return Err(format!(
                "shortcode `{name}` has a raw-string argument not closed: add the closing backtick"
            ));
        };
        self.pos = start + length + 1;
        Ok(self.text[start..start + length].to_owned())
    }

    /// A bare word: up to whitespace or the end of the tag, and up to `=` when it may be a name.
    fn word(&mut self, may_be_name: bool) -> &'t str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if is_space(c) || (may_be_name && c == '=') || self.at_end() {
                break;
            }
            self.pos += c.len_utf8();
        }
        &self.text[start..self.pos]
    }
}

/// A bare word with braces in it: the tag was not closed and reading ran on into the text.
fn runs_into_another_tag(word: &str) -> bool {
    word.contains("{{") || word.contains('}')
}

/// Whitespace inside a tag: Hugo allows line breaks there.
fn is_space(c: char) -> bool {
    c.is_ascii_whitespace()
}

/// Named arguments unless positional ones were written; no arguments read as named (`{}`).
fn to_args(named: Vec<(String, String)>, positional: Vec<String>) -> Args {
    if positional.is_empty() {
        Args::Named(named)
    } else {
        Args::Positional(positional)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<(Tag, &str), String> {
        tag(text, 0).map(|parsed| (parsed.tag, &text[parsed.end..]))
    }

    fn open(text: &str) -> (String, Args, bool) {
        match parsed(text) {
            Ok((
                Tag::Open {
                    name,
                    args,
                    self_closing,
                },
                _,
            )) => (name, args, self_closing),
            other => panic!("{text}: {other:?}"),
        }
    }

    fn named(pairs: &[(&str, &str)]) -> Args {
        Args::Named(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    fn positional(values: &[&str]) -> Args {
        Args::Positional(values.iter().map(|v| (*v).to_owned()).collect())
    }

    #[test]
    fn reads_named_arguments_quoted_single_quoted_and_bare() {
        let (name, args, self_closing) =
            open(r#"{{< figure src="a b.png" caption='It is "so"' width=300 >}} after"#);
        assert_eq!(name, "figure");
        assert!(!self_closing);
        assert_eq!(
            args,
            named(&[
                ("src", "a b.png"),
                ("caption", "It is \"so\""),
                ("width", "300")
            ])
        );
        assert_eq!(parsed("{{< x a=1 >}} after").map(|p| p.1), Ok(" after"));
    }

    #[test]
    fn reads_positional_arguments_with_escaped_quotes_and_raw_strings() {
        let (_, args, _) = open(
            "{{< highlight go \"linenos=table,hl_lines=2 4-5\" \"say \\\"hi\\\"\" `a\n\"b\"` >}}",
        );
        assert_eq!(
            args,
            positional(&[
                "go",
                "linenos=table,hl_lines=2 4-5",
                "say \"hi\"",
                "a\n\"b\""
            ])
        );
    }

    #[test]
    fn allows_line_breaks_and_no_spaces_inside_the_delimiters() {
        let (name, args, _) = open("{{<\r\n  figure\r\n  src=\"x.png\"\r\n  alt = \"y\"\r\n>}}");
        assert_eq!(name, "figure");
        assert_eq!(args, named(&[("src", "x.png"), ("alt", "y")]));
        let (name, args, _) = open("{{%note%}}");
        assert_eq!((name.as_str(), args), ("note", Args::default()));
    }

    #[test]
    fn reads_self_closing_tags() {
        assert_eq!(
            open(r#"{{< x a="1" />}}"#),
            ("x".to_owned(), named(&[("a", "1")]), true)
        );
        assert_eq!(
            open("{{% y b / %}}"),
            ("y".to_owned(), positional(&["b"]), true)
        );
    }

    #[test]
    fn reads_namespaced_names_and_values_with_slashes() {
        let (name, args, self_closing) = open("{{< blocks/cover src=/img/x.png >}}");
        assert_eq!(name, "blocks/cover");
        assert_eq!(args, named(&[("src", "/img/x.png")]));
        assert!(!self_closing);
    }

    #[test]
    fn reads_closing_tags() {
        assert_eq!(
            parsed("{{< /note >}}x"),
            Ok((
                Tag::Close {
                    name: "note".to_owned()
                },
                "x"
            ))
        );
        assert_eq!(
            parsed("{{%/blocks/cover\n%}}").map(|p| p.0),
            Ok(Tag::Close {
                name: "blocks/cover".to_owned()
            })
        );
    }

    #[test]
    fn reads_escaped_tags_as_their_literal_text() {
        assert_eq!(
            parsed(r#"{{</* figure src="x" */>}}."#),
            Ok((
                Tag::Escaped {
                    literal: r#"{{< figure src="x" >}}"#.to_owned()
                },
                "."
            ))
        );
        assert_eq!(
            parsed("{{%/* /note */%}}").map(|p| p.0),
            Ok(Tag::Escaped {
                literal: "{{% /note %}}".to_owned()
            })
        );
    }

    #[test]
    fn says_how_to_fix_broken_tags() {
        let error = |text: &str| parsed(text).err().unwrap_or_default();
        assert!(error("{{< figure src=\"x\"").contains("end it with `>}}`"));
        assert!(error("{{< x \"abc\n\" >}}").contains("add the closing `\"`"));
        assert!(error("{{< x `abc >}}").contains("closing backtick"));
        assert!(error("{{< x a b=c >}}").contains("mixes named and positional"));
        assert!(error("{{< x a=b c >}}").contains("mixes named and positional"));
        assert!(error("{{< >}}").contains("no name follows"));
        assert!(error("{{< /x y >}}").contains("end it with `>}}`"));
        assert!(error("{{</* x */%}}").contains("end it with `*/>}}`"));
        assert!(error("{{< x\n\ntext {{< y >}}").contains("`{{< x` is not closed"));
        assert!(error("{{% x >}}").contains("end it with `%}}`"));
    }
}
