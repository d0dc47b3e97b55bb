use super::*;
use crate::content::FootnoteMode;
use crate::content::render::highlight::{CodeOptions, Highlight, code_block};
use crate::content::render::{render_for_test, resolve_markers};

/// A post as Quire renders it: Markdown through pulldown-cmark, with what the other stages add
/// (heading ids, a figure, an embed, an unknown shortcode, details) written in as raw HTML.
const POST: &str = r#"<h2 id="intro">Intro</h2>

Text with a footnote[^1], a [relative link](other/page.md), a [root link](/files/abc/x.pdf),
an ![image](photo.png "A photo") and a [mail](mailto:me@example.com).

| left | center | right |
| :--- | :----: | ----: |
| a    | b      | c     |

- [x] done
- [ ] open

<figure><img src="/files/abc/posts/a/photo.png" alt="A photo" title="Photo" width="640" height="480" loading="lazy"><figcaption><h4>Title</h4><p>Caption</p></figcaption></figure>

<div style="position: relative; padding-bottom: 56.25%; height: 0; overflow: hidden;"><iframe src="https://www.youtube-nocookie.com/embed/abc" style="position: absolute; top: 0; left: 0; width: 100%; height: 100%; border:0;" allowfullscreen title="YouTube video"></iframe></div>

<iframe src="https://player.vimeo.com/video/123?dnt=1" title="Vimeo video"></iframe>

<div data-shortcode="note" data-args='{"kind":"tip"}'><p><strong>bold</strong></p></div>

<details><summary>More</summary>Hidden</details>

[^1]: The note.
"#;

fn rendered() -> String {
    let rendered = render_for_test(POST, FootnoteMode::Section);
    resolve_markers(&rendered.html, &rendered, |_| None, |_| None).into_owned()
}

#[test]
fn keeps_what_rendered_markdown_and_quires_stages_need() {
    let clean = sanitize(&rendered());
    for kept in [
        r#"<h2 id="intro">Intro</h2>"#,
        r##"<sup class="footnote-ref"><a href="#fn-1" id="fnref-1">1</a></sup>"##,
        r#"<section class="footnotes">"#,
        r#"<li id="fn-1">"#,
        r##"<a href="#fnref-1" class="footnote-backref" aria-label="Back to reference 1">"##,
        r#"<a href="other/page.md">"#,
        r#"<a href="/files/abc/x.pdf">"#,
        r#"<img src="photo.png" alt="image" title="A photo">"#,
        r#"<a href="mailto:me@example.com">"#,
        r#"<th style="text-align:left;">left</th>"#,
        r#"<td style="text-align:right;">c</td>"#,
        r#"<input disabled="" type="checkbox" checked="">"#,
        r#"<input disabled="" type="checkbox">"#,
        r#"<figure><img src="/files/abc/posts/a/photo.png" alt="A photo" title="Photo" width="640" height="480" loading="lazy"><figcaption><h4>Title</h4><p>Caption</p></figcaption></figure>"#,
        r#"<div style="position:relative;padding-bottom:56.25%;height:0;overflow:hidden;">"#,
        r#"<iframe src="https://www.youtube-nocookie.com/embed/abc" style="position:absolute;top:0;left:0;width:100%;height:100%;border:0;" allowfullscreen="" title="YouTube video"></iframe>"#,
        r#"<iframe src="https://player.vimeo.com/video/123?dnt=1" title="Vimeo video"></iframe>"#,
        r#"<div data-shortcode="note" data-args="{&quot;kind&quot;:&quot;tip&quot;}"><p><strong>bold</strong></p></div>"#,
        r#"<details><summary>More</summary>Hidden</details>"#,
    ] {
        assert!(clean.contains(kept), "lost {kept}\nin {clean}");
    }
    assert!(!clean.contains("rel="), "no rel forced onto links: {clean}");
}

#[test]
fn keeps_highlighted_code_in_both_modes() {
    let code = "// Say \"hi\".\nfunc main() {}\n";
    let options = CodeOptions::parse("linenos=table,hl_lines=2").expect("options");
    let classes = code_block(
        code,
        Some("go"),
        &options,
        Highlight::Classes,
        "InspiredGitHub",
    );
    let clean = sanitize(&classes);
    for kept in [
        r#"<div class="highlight"><table class="lntable"><tbody><tr><td class="lntd">"#,
        r#"<span class="hl"><span class="lnt">2"#,
        r#"<pre class="highlight"><code class="language-go">"#,
        r#"<span class="line hl"><span class="cl">"#,
        r#"<span class="hl-source hl-go">"#,
        r#"<span class="hl-comment hl-line hl-double-slash hl-go">"#,
    ] {
        assert!(clean.contains(kept), "lost {kept}\nin {clean}");
    }

    let options = CodeOptions::parse("linenos=inline,hl_lines=1").expect("options");
    let inline = code_block(
        code,
        Some("go"),
        &options,
        Highlight::Inline,
        "InspiredGitHub",
    );
    // Re-serialized (`&quot;` becomes `"` in text), but every element and style is kept.
    let unescape = |html: &str| html.replace("&quot;", "\"");
    assert_eq!(unescape(&sanitize(&inline)), unescape(&inline));
}

#[test]
fn removes_scripts_handlers_and_foreign_frames() {
    for (attack, never) in [
        ("<script>alert(1)</script>", "alert"),
        ("<img src=x onerror=alert(1)>", "onerror"),
        ("<a href=\"javascript:alert(1)\">x</a>", "javascript"),
        ("<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "ascript"),
        (
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
            "data:",
        ),
        ("<iframe src=\"https://evil.example/\"></iframe>", "evil"),
        (
            "<iframe src=\"https://player.vimeo.com.evil.example/\"></iframe>",
            "evil",
        ),
        (
            "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
            "alert",
        ),
        ("<svg onload=alert(1)><circle r=1 /></svg>", "onload"),
        (
            "<svg><a href=\"javascript:alert(1)\">x</a></svg>",
            "javascript",
        ),
        ("<style>body { display: none }</style>", "display"),
        (
            "<form action=\"https://evil.example/\"><input name=q></form>",
            "evil",
        ),
        (
            "<button formaction=\"https://evil.example/\">x</button>",
            "evil",
        ),
        (
            "<object data=\"https://evil.example/x.swf\"></object>",
            "evil",
        ),
        (
            "<a href=\"https://example.com/\" target=\"_blank\">x</a>",
            "target",
        ),
        ("<p onclick=\"alert(1)\">x</p>", "onclick"),
        ("<div style=\"position: fixed; inset: 0\">x</div>", "fixed"),
        (
            "<div style=\"position: absolute; top: 0\">x</div>",
            "absolute",
        ),
        (
            "<span style=\"background: url(https://evil.example/t.png)\">x</span>",
            "evil",
        ),
        (
            "<span style=\"color: expression(alert(1))\">x</span>",
            "alert",
        ),
        ("<span style=\"colo\\r: red\">x</span>", "red"),
        ("<span style=\"margin: -900px\">x</span>", "900"),
        ("<div style=\"height: 0\">x</div>", "height"),
        ("<div class=\"fixed inset-0 z-50\">x</div>", "fixed"),
        (
            "<img src=\"x.png\" name=\"getElementById\">",
            "getElementById",
        ),
    ] {
        let clean = sanitize(attack);
        assert!(
            !clean
                .to_ascii_lowercase()
                .contains(&never.to_ascii_lowercase()),
            "{attack} gave {clean}"
        );
    }
}

#[test]
fn a_written_input_is_only_ever_a_disabled_checkbox() {
    assert_eq!(
        sanitize("<input type=\"text\" value=\"x\">"),
        "<input type=\"checkbox\" disabled=\"\">"
    );
}

#[test]
fn keeps_the_classes_quire_writes_and_drops_others() {
    assert_eq!(
        sanitize("<pre class=\"highlight wide\"><code class=\"language-go hl-x\">x</code></pre>"),
        "<pre class=\"highlight\"><code class=\"language-go hl-x\">x</code></pre>"
    );
}
