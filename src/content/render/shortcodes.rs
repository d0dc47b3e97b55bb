//! Hugo shortcodes: found in the Markdown (outside code), replaced by placeholders before
//! pulldown-cmark parses it, and rendered to HTML where the placeholders come out.
//!
//! [`scan`] reads a body's top-level shortcodes (a paired one's inner stays raw: the pipeline
//! scans it again when [`Host::markdown`] renders it); [`render`] turns one into HTML, through
//! Hugo's built-in templates ([`builtin`]) or, for any other name, a `data-shortcode` element a
//! frontend can map to its own component.

mod builtin;
mod parse;
mod scan;

use std::borrow::Cow;

use pulldown_cmark_escape::{escape_href, escape_html};

// The lead's render pipeline is the user; until it is wired, only tests use the entry points.
pub(crate) use scan::{placeholder, placeholders, scan};

/// One shortcode as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shortcode {
    pub(crate) name: String,
    pub(crate) args: Args,
    /// Text between the opening and closing tags, raw, for paired shortcodes.
    pub(crate) inner: Option<String>,
    /// Written with `{{% %}}`: the inner is Markdown.
    pub(crate) markdown: bool,
    /// 1-based line of the opening tag in the text given to `scan` (callers add their offset).
    pub(crate) line: usize,
    /// Lines from the opening tag's first line to the inner's first line: the line breaks
    /// inside the opening tag. Relative, so it stays right when callers offset `line`.
    pub(crate) inner_line_offset: usize,
    /// The spaces and tabs before the opening tag when only they precede it on its line (a
    /// shortcode in a list item): taken off the inner's lines, as Hugo's `.InnerDeindent` does.
    pub(crate) indent: String,
}

impl Shortcode {
    /// 1-based line where the inner starts (right after the opening tag).
    pub(crate) fn inner_line(&self) -> usize {
        self.line + self.inner_line_offset
    }

    /// The inner with the opening tag's indentation taken off each line.
    fn inner_deindented(&self) -> Option<Cow<'_, str>> {
        let inner = self.inner.as_deref()?;
        if self.indent.is_empty() {
            return Some(Cow::Borrowed(inner));
        }
        Some(Cow::Owned(
            inner
                .split_inclusive('\n')
                .map(|line| line.strip_prefix(self.indent.as_str()).unwrap_or(line))
                .collect(),
        ))
    }
}

/// The Markdown with every top-level shortcode (opening, inner, closing) replaced by `placeholder(i)`,
/// escaped ones (`{{</* x */>}}`, `{{%/* x */%}}`) turned into their literal text (`{{< x >}}`),
/// and the shortcodes in order. Shortcodes inside code spans and fenced/indented code are left
/// alone; escaped ones are turned into their text there too, as Hugo does (its documentation
/// shows shortcodes in fenced code that way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scanned {
    pub(crate) text: String,
    pub(crate) shortcodes: Vec<Shortcode>,
    /// (1-based line, what to fix): stray closing tags (removed) and tags that do not parse
    /// (kept as text, their `<` written `&lt;` so no HTML tag can start there).
    pub(crate) problems: Vec<(usize, String)>,
}

/// A shortcode's arguments: Hugo allows named or positional ones, never both in one tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Args {
    /// `src="x.png" caption='y' width=300`, in the order written.
    Named(Vec<(String, String)>),
    /// `go "linenos=table"`.
    Positional(Vec<String>),
}

impl Default for Args {
    /// No arguments: an empty object in `to_json`, the shape a component's props take.
    fn default() -> Self {
        Args::Named(Vec::new())
    }
}

impl Args {
    /// The named argument `name` (the last one when it is written twice, as in Hugo).
    pub(crate) fn named(&self, name: &str) -> Option<&str> {
        match self {
            Args::Named(pairs) => pairs
                .iter()
                .rev()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str()),
            Args::Positional(_) => None,
        }
    }

    /// The positional argument `i` (0-based).
    pub(crate) fn positional(&self, i: usize) -> Option<&str> {
        match self {
            Args::Positional(values) => values.get(i).map(String::as_str),
            Args::Named(_) => None,
        }
    }

    /// `name`, else the positional argument `i` (Hugo's `.Get "src"` / `.Get 0`).
    pub(crate) fn get(&self, name: &str, i: usize) -> Option<&str> {
        self.named(name).or_else(|| self.positional(i))
    }

    /// A JSON object for named, an array for positional (for data-args and the GraphQL field).
    /// Values stay strings, as written.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match self {
            Args::Named(pairs) => serde_json::Value::Object(
                pairs
                    .iter()
                    .map(|(key, value)| (key.clone(), serde_json::Value::from(value.as_str())))
                    .collect(),
            ),
            Args::Positional(values) => values.iter().map(String::as_str).collect(),
        }
    }
}

/// What rendering a shortcode needs from the rest of the pipeline (the lead implements it).
pub(crate) trait Host {
    /// Inner Markdown rendered to HTML (nested shortcodes included). `line` = line of the inner's start.
    fn markdown(&mut self, markdown: &str, line: usize) -> String;
    /// A code block's HTML for the `highlight` shortcode: lang and Hugo's options string ("linenos=table,hl_lines=2 4-5").
    fn code(&mut self, code: &str, lang: Option<&str>, options: &str) -> String;
    /// A page parameter (front matter key, case-insensitive, dotted paths like `author.name`), as text.
    fn param(&self, name: &str) -> Option<String>;
    /// The text to write for a `ref`/`relref` target (already HTML-attribute-safe is NOT assumed: you escape).
    fn reference(&mut self, target: &str, relative: bool, line: usize) -> String;
    /// The URL to write for a local file named in a shortcode: an image (`figure`'s `src`) or a
    /// link (`figure`'s `link`, which may name a page); may be returned unchanged.
    fn file_url(&mut self, src: &str, image: bool, line: usize) -> String;
    /// A built-in shortcode written without what it needs (a `youtube` without an id): it
    /// renders as nothing, and this says what to fix. Ignored unless the host keeps it.
    fn problem(&mut self, line: usize, message: String) {
        let _ = (line, message);
    }
}

/// HTML for one shortcode; `block` is true when it stood alone in its paragraph.
///
/// Hugo's built-ins come out as its templates write them. Any other shortcode becomes
/// `<div data-shortcode="name" data-args='{json}'>INNER</div>` (a `<span>` when inline), where
/// INNER is the inner rendered as Markdown: Quire renders the inner of unknown shortcodes as
/// Markdown for both forms, `{{< >}}` as well as `{{% %}}`, since it cannot run their templates.
pub(crate) fn render(shortcode: &Shortcode, block: bool, host: &mut dyn Host) -> String {
    builtin::render(shortcode, host).unwrap_or_else(|| element(shortcode, block, host))
}

/// The `data-shortcode` element for a shortcode Quire has no template for.
fn element(shortcode: &Shortcode, block: bool, host: &mut dyn Host) -> String {
    let tag = if block { "div" } else { "span" };
    let mut html = format!(
        "<{tag} data-shortcode=\"{}\" data-args='{}'>",
        escaped(&shortcode.name),
        single_quoted(&shortcode.args.to_json().to_string())
    );
    if let Some(inner) = shortcode.inner_deindented() {
        let rendered = host.markdown(&inner, shortcode.inner_line());
        if block {
            if !rendered.is_empty() && !rendered.starts_with('\n') {
                html.push('\n');
            }
            html.push_str(&rendered);
        } else {
            html.push_str(unwrap_paragraph(&rendered));
        }
    }
    html.push_str("</");
    html.push_str(tag);
    html.push('>');
    html
}

/// `text` escaped for HTML text or a double-quoted attribute.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = escape_html(&mut out, text);
    out
}

/// A URL escaped for an `href` or `src` attribute.
fn href(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let _ = escape_href(&mut out, url);
    out
}

/// `text` escaped for a single-quoted attribute, double quotes kept readable (`data-args='{"a":1}'`).
fn single_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Rendered Markdown without the `<p>` around it when it is one paragraph (Hugo's `markdownify`).
fn unwrap_paragraph(html: &str) -> &str {
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
    {
        Some(inside) if !inside.contains("<p>") && !inside.contains("</p>") => inside,
        _ => trimmed,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::collections::HashMap;

    use pulldown_cmark::{Parser, html::push_html};

    use super::*;

    /// A pipeline in miniature: Markdown through pulldown-cmark, shortcodes through `render`.
    #[derive(Default)]
    pub(crate) struct FakeHost {
        pub(crate) params: HashMap<String, String>,
        pub(crate) problems: Vec<(usize, String)>,
        /// Lines `markdown` was called with.
        pub(crate) markdown_lines: Vec<usize>,
    }

    impl Host for FakeHost {
        fn markdown(&mut self, markdown: &str, line: usize) -> String {
            self.markdown_lines.push(line);
            let scanned = scan(markdown);
            let mut html = String::new();
            push_html(
                &mut html,
                Parser::new_ext(&scanned.text, crate::content::markdown_options()),
            );
            let mut out = String::new();
            let mut last = 0;
            for (range, i) in placeholders(&html).collect::<Vec<_>>() {
                let block =
                    html[..range.start].ends_with("<p>") && html[range.end..].starts_with("</p>");
                let (start, end) = if block {
                    (range.start - 3, range.end + 4)
                } else {
                    (range.start, range.end)
                };
                out.push_str(&html[last..start]);
                out.push_str(&render(&scanned.shortcodes[i], block, self));
                last = end;
            }
            out.push_str(&html[last..]);
            out
        }

        fn code(&mut self, code: &str, lang: Option<&str>, options: &str) -> String {
            format!(
                "<pre data-lang=\"{}\" data-options=\"{}\"><code>{}</code></pre>",
                lang.unwrap_or("-"),
                escaped(options),
                escaped(code)
            )
        }

        fn param(&self, name: &str) -> Option<String> {
            self.params.get(&name.to_lowercase()).cloned()
        }

        fn reference(&mut self, target: &str, relative: bool, _line: usize) -> String {
            let base = if relative { "" } else { "https://example.org" };
            format!("{base}/posts/{}?a=1&b=2", target.trim_end_matches(".md"))
        }

        fn file_url(&mut self, src: &str, _image: bool, _line: usize) -> String {
            if src.contains("://") {
                src.to_owned()
            } else {
                format!("/files/c0ffee/{src}")
            }
        }

        fn problem(&mut self, line: usize, message: String) {
            self.problems.push((line, message));
        }
    }

    /// The shortcode `{{< text >}}` (or other), as `scan` reads it.
    pub(crate) fn one(text: &str) -> Shortcode {
        let mut scanned = scan(text);
        assert_eq!(scanned.problems, Vec::new(), "{text}");
        assert_eq!(scanned.shortcodes.len(), 1, "{text}");
        scanned.shortcodes.remove(0)
    }

    /// `text` scanned and rendered through the fake host.
    pub(crate) fn html(text: &str) -> String {
        FakeHost::default().markdown(text, 1)
    }

    #[test]
    fn gets_named_then_positional_arguments() {
        let named = one(r#"{{< x src="a.png" src="b.png" w=3 >}}"#).args;
        assert_eq!(named.named("src"), Some("b.png"));
        assert_eq!(named.get("w", 0), Some("3"));
        assert_eq!(named.positional(0), None);
        let positional = one(r#"{{< x a "b c" >}}"#).args;
        assert_eq!(positional.get("src", 1), Some("b c"));
        assert_eq!(positional.named("a"), None);
    }

    #[test]
    fn writes_arguments_as_json_in_their_order() {
        let named = one(r#"{{< x z="1" a='2' >}}"#).args.to_json();
        assert_eq!(named.to_string(), r#"{"z":"1","a":"2"}"#);
        let positional = one(r#"{{< x b a >}}"#).args.to_json();
        assert_eq!(positional.to_string(), r#"["b","a"]"#);
        assert_eq!(one("{{< x >}}").args.to_json().to_string(), "{}");
    }

    #[test]
    fn renders_an_unknown_paired_shortcode_as_a_div_with_markdown_inside() {
        let html = html("{{% note kind=\"warn\" %}}\n**bold** text\n{{% /note %}}\n");
        assert_eq!(
            html,
            "<div data-shortcode=\"note\" data-args='{\"kind\":\"warn\"}'>\n\
             <p><strong>bold</strong> text</p>\n</div>\n"
        );
    }

    #[test]
    fn renders_the_inner_of_angle_bracket_unknown_shortcodes_as_markdown_too() {
        let html = html("{{< note >}}*it*{{< /note >}}");
        assert_eq!(
            html,
            "<div data-shortcode=\"note\" data-args='{}'>\n<p><em>it</em></p>\n</div>\n"
        );
    }

    #[test]
    fn renders_an_inline_unknown_shortcode_as_a_span() {
        let html = html("Press {{< kbd Ctrl >}} or {{% mark %}}*this*{{% /mark %}} now.");
        assert_eq!(
            html,
            "<p>Press <span data-shortcode=\"kbd\" data-args='[\"Ctrl\"]'></span> or \
             <span data-shortcode=\"mark\" data-args='{}'><em>this</em></span> now.</p>\n"
        );
    }

    #[test]
    fn escapes_data_args_for_a_single_quoted_attribute() {
        let html = html(r#"{{< y title="It's <b> & \"q\"" >}}"#);
        assert_eq!(
            html,
            "<div data-shortcode=\"y\" data-args='{\"title\":\"It&#39;s &lt;b&gt; &amp; \\\"q\\\"\"}'></div>\n"
        );
    }

    #[test]
    fn renders_nested_shortcodes_through_the_host() {
        let html = html(
            "{{% tabs %}}\n{{% tab \"Go\" %}}\nGo *code*\n{{% /tab %}}\n\n\
             {{% tab \"Rust\" %}}\n{{< kbd x >}}\n{{% /tab %}}\n{{% /tabs %}}\n",
        );
        assert_eq!(
            html,
            "<div data-shortcode=\"tabs\" data-args='{}'>\n\
             <div data-shortcode=\"tab\" data-args='[\"Go\"]'>\n<p>Go <em>code</em></p>\n</div>\n\
             <div data-shortcode=\"tab\" data-args='[\"Rust\"]'>\n\
             <div data-shortcode=\"kbd\" data-args='[\"x\"]'></div>\n</div>\n</div>\n"
        );
    }

    #[test]
    fn takes_the_opening_indentation_off_the_inner() {
        let text = "- item\n\n    {{% note %}}\n        text\n    {{% /note %}}\n";
        let shortcode = scan(text).shortcodes.remove(0);
        assert_eq!(shortcode.indent, "    ");
        assert_eq!(
            shortcode.inner_deindented().as_deref(),
            Some("\n    text\n")
        );
    }
}
