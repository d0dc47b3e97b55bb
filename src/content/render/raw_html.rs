//! What happens to raw HTML written in a post's Markdown (`--raw-html`), and the sanitizer of
//! `--raw-html sanitize`.
//!
//! # The sanitizer's policy
//! [`sanitize`] runs ammonia over a post's whole rendered HTML (raw HTML in Markdown comes as
//! fragments, `<span>` here and `</span>` there, that only make sense together). It keeps
//! what Quire's own output needs, and removes anything that runs code or reaches outside:
//!
//! - **Removed**: `<script>` and `<style>` with their content; event handlers (`on…`); forms
//!   and their controls (`<form>`, `<button>`, `<textarea>`, `<select>`: the tags go, their text
//!   stays); `<svg>`, `<math>`, `<object>`, `<embed>`; comments; URLs with a scheme other than
//!   ammonia's list of safe ones (`javascript:`, `data:`, `vbscript:` go; `https:`, `mailto:`
//!   stay); `target` and `name` attributes.
//! - **Kept**: the usual text, list, table, quotation and media tags (ammonia's defaults), plus
//!   `<section>`, `<figure>`, `<figcaption>`, `<details open>`, `<summary>`; `<img src alt
//!   title width height loading>`; relative and root-relative URLs (`photo.png`, `/files/…`,
//!   `#fn-1`) as written; `id` on the elements Quire gives one (headings, footnotes and their
//!   references); `aria-label` and `rel` on links; `data-shortcode` and `data-args` on `<div>`
//!   and `<span>`; task-list checkboxes.
//! - **`<iframe>`** only with its `src` on `https://www.youtube-nocookie.com/` or
//!   `https://player.vimeo.com/` (the embeds); any other source is removed, leaving an empty
//!   frame.
//! - **`<input>`** is always `type="checkbox" disabled`: a task list's box, whatever was written.
//! - **`class`** keeps only the class names Quire writes ([`CLASSES`], and the prefixes `hl-`
//!   and `language-`): a frontend's own utility classes (`fixed inset-0`) cannot be borrowed
//!   to lay a post over the page.
//! - **`style`** is kept on the elements Quire styles, with only the declarations each needs
//!   ([`allowed_style`]): alignment on table cells, colours and the line layout on
//!   highlighting's elements (so `--highlight inline` survives sanitizing), and the embeds'
//!   responsive wrapper (`position: relative`, `height: 0` with `overflow: hidden`) and frame
//!   (`position: absolute`, `top: 0`, `left: 0` on an `<iframe>` only). Values are keywords,
//!   non-negative lengths and `#` colours: no `url()` or other function, no escapes or
//!   comments. Raw HTML cannot take a box out of the flow or lay it over the page.
//! - **Not forced**: `rel="noopener noreferrer"` on links. `target` is removed, so a link
//!   cannot open a window that could reach back (what `noopener` guards against), and
//!   `noreferrer` would hide from the author's own sites where their readers come from.
//! - **Known risk kept**: `id`s are kept as written, so that in-page links and the table of
//!   contents work; a frontend must not read globals by element id (DOM clobbering).

use std::borrow::Cow;
use std::sync::LazyLock;

/// The raw-HTML policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum RawHtml {
    /// Kept as written: a repository's authors are trusted.
    Keep,
    /// Cleaned with ammonia, keeping what rendered Markdown, highlighting and embeds need.
    Sanitize,
    /// Replaced by `<!-- raw HTML omitted -->`, as Hugo does.
    Omit,
}

/// Class names Quire's output uses, beside the prefixes in [`CLASS_PREFIXES`]: highlighting's
/// layout, footnotes, GitHub's alerts, task lists.
const CLASSES: [&str; 19] = [
    "highlight",
    "line",
    "cl",
    "hl",
    "ln",
    "lnt",
    "lntable",
    "lntd",
    "footnotes",
    "footnote-ref",
    "footnote-backref",
    "footnote-definition",
    "task-list-item",
    "contains-task-list",
    "markdown-alert-note",
    "markdown-alert-tip",
    "markdown-alert-important",
    "markdown-alert-warning",
    "markdown-alert-caution",
];

/// Class name prefixes Quire's output uses: highlighted tokens, code languages.
const CLASS_PREFIXES: [&str; 2] = ["hl-", "language-"];

/// Elements whose `style` is kept (filtered by [`allowed_style`]).
const STYLED: [&str; 8] = ["div", "span", "pre", "code", "table", "td", "th", "iframe"];

/// Where embedded frames may come from.
const FRAME_SOURCES: [&str; 2] = [
    "https://www.youtube-nocookie.com/",
    "https://player.vimeo.com/",
];

/// Elements that may have an `id`.
const WITH_ID: [&str; 13] = [
    "h1", "h2", "h3", "h4", "h5", "h6", "li", "sup", "a", "section", "div", "span", "figure",
];

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["section", "input", "iframe"])
        .add_generic_attributes(["class"])
        .add_tag_attributes("a", ["aria-label", "rel"])
        .add_tag_attributes("img", ["title", "loading"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("div", ["data-shortcode", "data-args"])
        .add_tag_attributes("span", ["data-shortcode", "data-args"])
        .add_tag_attributes("input", ["type", "disabled", "checked"])
        .add_tag_attributes(
            "iframe",
            [
                "src",
                "width",
                "height",
                "title",
                "allow",
                "allowfullscreen",
                "loading",
                "referrerpolicy",
                "frameborder",
            ],
        )
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        .link_rel(None)
        .url_relative(ammonia::UrlRelative::PassThrough)
        .attribute_filter(filter);
    for tag in WITH_ID {
        builder.add_tag_attributes(tag, ["id"]);
    }
    for tag in STYLED {
        builder.add_tag_attributes(tag, ["style"]);
    }
    builder
});

/// Cleans a post's rendered HTML (its body, summary or footnotes: a whole fragment, not a
/// piece of one) by the module's policy.
pub(crate) fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// ammonia's attribute filter: `class`, `style` and frame sources by the module's policy.
fn filter<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match attribute {
        "class" => {
            let kept: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|class| {
                    CLASSES.contains(class) || CLASS_PREFIXES.iter().any(|p| class.starts_with(p))
                })
                .collect();
            match kept.len() {
                0 => None,
                n if n == value.split_ascii_whitespace().count() => Some(Cow::Borrowed(value)),
                _ => Some(Cow::Owned(kept.join(" "))),
            }
        }
        "style" => style(element, value).map(Cow::Owned),
        "src" if element == "iframe" => FRAME_SOURCES
            .iter()
            .any(|source| value.starts_with(source))
            .then_some(Cow::Borrowed(value)),
        _ => Some(Cow::Borrowed(value)),
    }
}

/// The declarations of `style` that the policy allows, `None` when none is.
fn style(element: &str, style: &str) -> Option<String> {
    // Escapes and comments could hide a property or a value from the checks below.
    if style.contains('\\') || style.contains("/*") {
        return None;
    }
    let declarations: Vec<(String, String)> = style
        .split(';')
        .filter_map(|declaration| {
            let (property, value) = declaration.split_once(':')?;
            let value = value.trim().to_ascii_lowercase();
            let safe = !value.is_empty() && value.split_ascii_whitespace().all(safe_value);
            safe.then(|| (property.trim().to_ascii_lowercase(), value))
        })
        .collect();
    let clipped = declarations
        .iter()
        .any(|(property, value)| property == "overflow" && value == "hidden");
    let mut kept = String::new();
    for (property, value) in &declarations {
        if allowed_style(element, property, value, clipped) {
            kept.push_str(property);
            kept.push(':');
            kept.push_str(value);
            kept.push(';');
        }
    }
    (!kept.is_empty()).then_some(kept)
}

/// Whether `element` may have `property: value`: what tables, highlighting and the embeds'
/// responsive frames set, and nothing that takes a box out of the flow or over the page.
/// `clipped` says whether the element also has `overflow: hidden`.
fn allowed_style(element: &str, property: &str, value: &str, clipped: bool) -> bool {
    let highlighting = matches!(element, "span" | "pre" | "code" | "table" | "td" | "th");
    match property {
        // pulldown-cmark's column alignment.
        "text-align" => matches!(element, "td" | "th"),
        // `--highlight inline`.
        "color"
        | "background-color"
        | "font-weight"
        | "font-style"
        | "text-decoration"
        | "display"
        | "white-space"
        | "user-select"
        | "-webkit-user-select"
        | "margin"
        | "margin-right"
        | "padding"
        | "border-spacing"
        | "vertical-align" => highlighting,
        "border" => highlighting || element == "iframe",
        "width" => matches!(element, "td" | "iframe"),
        // The embeds: a wrapper holding the frame's ratio, the frame filling it.
        "position" => {
            (element == "div" && value == "relative")
                || (element == "iframe" && value == "absolute")
        }
        "top" | "left" => element == "iframe" && value == "0",
        "height" => element == "iframe" || (element == "div" && value == "0" && clipped),
        "padding-bottom" => element == "div",
        "overflow" => element == "div" && value == "hidden",
        _ => false,
    }
}

/// A keyword (`bold`, `flex`), a non-negative number with an optional unit (`0`, `0.4em`,
/// `56.25%`) or a colour (`#a0b1c2`).
fn safe_value(word: &str) -> bool {
    if let Some(hex) = word.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    let first = word.bytes().next();
    match first {
        Some(b'0'..=b'9' | b'.') => {
            let unit = word.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
            matches!(unit, "" | "px" | "em" | "rem" | "%")
        }
        Some(b'a'..=b'z') => word.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
