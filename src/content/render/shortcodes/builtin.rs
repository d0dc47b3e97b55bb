//! Hugo's built-in shortcodes, written as its embedded templates write them (those of Hugo
//! 0.150 and later, `tpl/tplimpl/embedded/templates/_shortcodes/`), with the whitespace its
//! templates leave between tags dropped and its privacy settings on: YouTube from
//! youtube-nocookie.com, Vimeo with `dnt=1`. Where Hugo fetches an embed from a third party
//! at build time (X/Twitter, Instagram), Quire writes the script-free blockquote those embeds
//! start from, with a link to the post. `gist` and `tweet`, removed from Hugo in 0.156, keep
//! the HTML of their last templates, since older posts still use them.

mod embeds;

use embeds::{gist, instagram, tweet, vimeo, youtube};

use super::{Host, Shortcode, escaped, href, unwrap_paragraph};

/// The HTML of a built-in shortcode, or `None` when `shortcode` names none.
pub(super) fn render(shortcode: &Shortcode, host: &mut dyn Host) -> Option<String> {
    let html = match shortcode.name.as_str() {
        "figure" => figure(shortcode, host),
        "youtube" => youtube(shortcode, host),
        "vimeo" => vimeo(shortcode, host),
        "tweet" | "twitter" => tweet(shortcode, host, "https://twitter.com"),
        "x" => tweet(shortcode, host, "https://x.com"),
        "gist" => gist(shortcode, host),
        "instagram" => instagram(shortcode, host),
        "param" => param(shortcode, host),
        "ref" => reference(shortcode, false, host),
        "relref" => reference(shortcode, true, host),
        "highlight" => highlight(shortcode, host),
        "details" => details(shortcode, host),
        // Hugo's `comment` writes nothing.
        "comment" => String::new(),
        _ => return None,
    };
    Some(html)
}

/// A named argument, when given and not empty (Hugo's `with .Get "name"`).
fn named<'s>(shortcode: &'s Shortcode, name: &str) -> Option<&'s str> {
    shortcode.args.named(name).filter(|value| !value.is_empty())
}

/// A named argument, else the positional one `i`, when given and not empty.
fn get<'s>(shortcode: &'s Shortcode, name: &str, i: usize) -> Option<&'s str> {
    shortcode
        .args
        .get(name, i)
        .filter(|value| !value.is_empty())
}

/// Hugo's boolean arguments: `true`/`1` and `false`/`0`; anything else keeps the default.
fn flag(shortcode: &Shortcode, name: &str, default: bool) -> bool {
    match shortcode.args.named(name) {
        Some("true" | "1") => true,
        Some("false" | "0") => false,
        _ => default,
    }
}

/// ` name="value"` when there is a value.
fn attribute(name: &str, value: Option<&str>) -> String {
    value.map_or_else(String::new, |value| {
        format!(" {name}=\"{}\"", escaped(value))
    })
}

/// Reports a built-in written without what it needs; it then renders as nothing.
fn missing(shortcode: &Shortcode, host: &mut dyn Host, needs: &str, example: &str) -> String {
    host.problem(
        shortcode.line,
        format!(
            "shortcode `{}` needs {needs}: write `{example}`",
            shortcode.name
        ),
    );
    String::new()
}

/// Rendered Markdown as an inline fragment (Hugo's `markdownify`).
fn markdownify(shortcode: &Shortcode, host: &mut dyn Host, markdown: &str) -> String {
    unwrap_paragraph(&host.markdown(markdown, shortcode.line)).to_owned()
}

/// HTML as text for a double-quoted attribute (Hugo's `plainify`): tags dropped, quotes escaped.
fn plain_attribute(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut quote = None;
    for c in html.chars() {
        match (in_tag, quote, c) {
            (true, Some(q), c) if c == q => quote = None,
            (true, Some(_), _) => {}
            (true, None, '"' | '\'') => quote = Some(c),
            (true, None, '>') => in_tag = false,
            (true, None, _) => {}
            (false, _, '<') => in_tag = true,
            (false, _, '"') => out.push_str("&quot;"),
            (false, _, c) => out.push(c),
        }
    }
    out.trim().to_owned()
}

/// Hugo's `figure`: `src` (through [`Host::file_url`]), `link`, `target`, `rel`, `alt`,
/// `title`, `caption` and `attr` (Markdown), `attrlink`, `class`, `width`, `height`, `loading`.
/// The alt text falls back to the caption as text; Hugo escapes that text twice (`&amp;amp;`),
/// Quire once.
fn figure(shortcode: &Shortcode, host: &mut dyn Host) -> String {
    let Some(src) = named(shortcode, "src") else {
        return missing(
            shortcode,
            host,
            "an image",
            "{{< figure src=\"photo.png\" >}}",
        );
    };
    // In the order of the HTML, so that the files and pages it links come in that order.
    let link = named(shortcode, "link").map(|link| host.file_url(link, false, shortcode.line));
    let src = host.file_url(src, true, shortcode.line);
    let caption = named(shortcode, "caption").map(|c| markdownify(shortcode, host, c));
    let attr = named(shortcode, "attr").map(|a| markdownify(shortcode, host, a));
    let mut html = format!("<figure{}>", attribute("class", named(shortcode, "class")));
    if let Some(link) = &link {
        html.push_str(&format!(
            "<a href=\"{}\"{}{}>",
            href(link),
            attribute("target", named(shortcode, "target")),
            attribute("rel", named(shortcode, "rel"))
        ));
    }
    html.push_str(&format!("<img src=\"{}\"", href(&src)));
    if let Some(alt) = named(shortcode, "alt") {
        html.push_str(&attribute("alt", Some(alt)));
    } else if let Some(caption) = &caption {
        html.push_str(&format!(" alt=\"{}\"", plain_attribute(caption)));
    }
    for name in ["width", "height", "loading"] {
        html.push_str(&attribute(name, named(shortcode, name)));
    }
    html.push('>');
    if link.is_some() {
        html.push_str("</a>");
    }
    let title = named(shortcode, "title");
    if title.is_some() || caption.is_some() || attr.is_some() {
        html.push_str("<figcaption>");
        if let Some(title) = title {
            html.push_str(&format!("<h4>{}</h4>", escaped(title)));
        }
        if caption.is_some() || attr.is_some() {
            html.push_str("<p>");
            html.push_str(caption.as_deref().unwrap_or_default());
            let attrlink = named(shortcode, "attrlink");
            if let Some(attrlink) = attrlink {
                html.push_str(&format!(" <a href=\"{}\">", href(attrlink)));
            }
            html.push_str(attr.as_deref().unwrap_or_default());
            if attrlink.is_some() {
                html.push_str("</a>");
            }
            html.push_str("</p>");
        }
        html.push_str("</figcaption>");
    }
    html.push_str("</figure>");
    html
}

/// A page parameter's value as text; nothing when the page has no such parameter.
fn param(shortcode: &Shortcode, host: &mut dyn Host) -> String {
    let Some(name) = get(shortcode, "name", 0) else {
        return missing(
            shortcode,
            host,
            "a parameter name",
            "{{< param \"author.name\" >}}",
        );
    };
    host.param(name)
        .map_or_else(String::new, |value| escaped(&value))
}

/// The target's URL from [`Host::reference`] (`lang` and `outputFormat` are Hugo's
/// multilingual options: ignored).
fn reference(shortcode: &Shortcode, relative: bool, host: &mut dyn Host) -> String {
    let Some(target) = get(shortcode, "path", 0) else {
        let example = format!("{{{{< {} \"post.md\" >}}}}", shortcode.name);
        return missing(shortcode, host, "a target", &example);
    };
    escaped(&host.reference(target, relative, shortcode.line))
}

/// `{{< highlight LANG "OPTIONS" >}}CODE{{< /highlight >}}`: the code trimmed of line breaks
/// at both ends, as Hugo's template does.
fn highlight(shortcode: &Shortcode, host: &mut dyn Host) -> String {
    let inner = shortcode.inner_deindented().unwrap_or_default();
    let code = inner.trim_matches(['\n', '\r']);
    let lang = get(shortcode, "lang", 0);
    let options = get(shortcode, "options", 1).unwrap_or_default();
    host.code(code, lang, options)
}

/// Hugo 0.140's `<details>`: `summary` (Markdown, default "Details"), `open`, `class`,
/// `name`, `title`, and the inner rendered as Markdown.
fn details(shortcode: &Shortcode, host: &mut dyn Host) -> String {
    let summary = named(shortcode, "summary").unwrap_or("Details");
    let summary = markdownify(shortcode, host, summary);
    let mut html = format!(
        "<details{}{}{}{}>\n<summary>{summary}</summary>\n",
        attribute("class", named(shortcode, "class")),
        attribute("name", named(shortcode, "name")),
        if flag(shortcode, "open", false) {
            " open"
        } else {
            ""
        },
        attribute("title", named(shortcode, "title")),
    );
    if let Some(inner) = shortcode.inner_deindented() {
        html.push_str(&host.markdown(&inner, shortcode.inner_line()));
        if !html.ends_with('\n') {
            html.push('\n');
        }
    }
    html.push_str("</details>");
    html
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::render;
    use super::super::tests::{FakeHost, one};

    /// `text` (one shortcode) rendered as a block, with the problems it raised.
    pub(super) fn rendered(text: &str) -> (String, Vec<(usize, String)>) {
        let mut host = FakeHost::default();
        host.params
            .insert("author.name".to_owned(), "Ann & Bo".to_owned());
        let html = render(&one(text), true, &mut host);
        (html, host.problems)
    }

    pub(super) fn ok(text: &str) -> String {
        let (html, problems) = rendered(text);
        assert_eq!(problems, Vec::new(), "{text}");
        html
    }

    #[test]
    fn renders_a_bare_figure() {
        assert_eq!(
            ok("{{< figure src=\"img/a b.png\" >}}"),
            "<figure><img src=\"/files/c0ffee/img/a%20b.png\"></figure>"
        );
    }

    #[test]
    fn renders_a_figure_with_every_option() {
        let text = "{{< figure src=\"x.png\" alt=\"Alt & text\" caption=\"A *caption* & more\" \
                    title=\"T <1>\" attr=\"By **me**\" attrlink=\"https://e.org/a?b=1&c=2\" \
                    link=\"https://l.org\" target=\"_blank\" rel=\"noopener\" class=\"c\" \
                    width=\"10\" height=\"20\" loading=\"lazy\" >}}";
        assert_eq!(
            ok(text),
            "<figure class=\"c\"><a href=\"https://l.org\" target=\"_blank\" rel=\"noopener\">\
             <img src=\"/files/c0ffee/x.png\" alt=\"Alt &amp; text\" width=\"10\" height=\"20\" loading=\"lazy\"></a>\
             <figcaption><h4>T &lt;1&gt;</h4><p>A <em>caption</em> &amp; more \
             <a href=\"https://e.org/a?b=1&amp;c=2\">By <strong>me</strong></a></p></figcaption></figure>"
        );
    }

    #[test]
    fn renders_a_figure_with_a_caption_as_its_alt_text() {
        assert_eq!(
            ok("{{< figure src=\"x.png\" caption='Fish & *chips* \"q\"' >}}"),
            "<figure><img src=\"/files/c0ffee/x.png\" alt=\"Fish &amp; chips &quot;q&quot;\">\
             <figcaption><p>Fish &amp; <em>chips</em> \"q\"</p></figcaption></figure>"
        );
    }

    #[test]
    fn reports_a_figure_without_src() {
        let (html, problems) = rendered("{{< figure caption=\"x\" >}}");
        assert_eq!(html, "");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].1.contains("figure src="));
    }

    #[test]
    fn renders_a_page_parameter_as_escaped_text() {
        assert_eq!(ok("{{< param \"author.name\" >}}"), "Ann &amp; Bo");
        assert_eq!(ok("{{% param missing %}}"), "");
        assert_eq!(rendered("{{< param >}}").1.len(), 1);
    }

    #[test]
    fn renders_ref_and_relref_through_the_host() {
        assert_eq!(
            ok("{{< ref path=\"a.md\" lang=\"en\" >}}"),
            "https://example.org/posts/a?a=1&amp;b=2"
        );
        assert_eq!(
            ok("{{< ref \"a.md\" >}}"),
            "https://example.org/posts/a?a=1&amp;b=2"
        );
        assert_eq!(
            ok("{{< relref path=\"b.md\" outputFormat=\"rss\" >}}"),
            "/posts/b?a=1&amp;b=2"
        );
    }

    #[test]
    fn renders_highlight_through_the_host_with_its_options() {
        assert_eq!(
            ok(
                "{{< highlight go \"linenos=table,hl_lines=2 4-5\" >}}\r\nfunc main() {}\n\n{{< /highlight >}}"
            ),
            "<pre data-lang=\"go\" data-options=\"linenos=table,hl_lines=2 4-5\">\
             <code>func main() {}</code></pre>"
        );
        assert_eq!(
            ok("{{< highlight >}}x{{< /highlight >}}"),
            "<pre data-lang=\"-\" data-options=\"\"><code>x</code></pre>"
        );
    }

    #[test]
    fn renders_details_with_a_markdown_summary_and_inner() {
        assert_eq!(
            ok("{{< details >}}\nA *collapsible* section.\n{{< /details >}}"),
            "<details>\n<summary>Details</summary>\n<p>A <em>collapsible</em> section.</p>\n</details>"
        );
        assert_eq!(
            ok(
                "{{< details summary=\"Custom **Summary**\" open=true class=\"x\" name=\"n\" title=\"t\" >}}\nOne.\n\nTwo.\n{{< /details >}}"
            ),
            "<details class=\"x\" name=\"n\" open title=\"t\">\n<summary>Custom <strong>Summary</strong></summary>\n\
             <p>One.</p>\n<p>Two.</p>\n</details>"
        );
    }

    #[test]
    fn renders_a_comment_as_nothing() {
        assert_eq!(ok("{{< comment >}}not shown{{< /comment >}}"), "");
    }
}
