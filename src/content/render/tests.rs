use super::*;

fn rendered(markdown: &str) -> Rendered {
    render_for_test(markdown, FootnoteMode::Separate)
}

#[test]
fn gives_every_heading_a_unique_id_and_an_explicit_one_wins() {
    let r =
        rendered("# Intro\n\n## Intro\n\n## Setup {#intro-1}\n\n## `code` & *more*\n\n## Intro\n");
    assert_eq!(
        r.html,
        "<h1 id=\"intro\">Intro</h1>\n<h2 id=\"intro-2\">Intro</h2>\n<h2 id=\"intro-1\">Setup</h2>\n<h2 id=\"code--more\"><code>code</code> &amp; <em>more</em></h2>\n<h2 id=\"intro-3\">Intro</h2>\n"
    );
    let ids: Vec<_> = r
        .headings
        .iter()
        .map(|h| (h.level, h.id.as_str(), h.text.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            (1, "intro", "Intro"),
            (2, "intro-2", "Intro"),
            (2, "intro-1", "Setup"),
            (2, "code--more", "code & more"),
            (2, "intro-3", "Intro")
        ]
    );
    assert_eq!(r.headings[3].html, "<code>code</code> &amp; <em>more</em>");
}

#[test]
fn marks_headings_in_blockquotes_as_nested() {
    let r = rendered("## Top\n\n> ## Quoted\n");
    assert_eq!(
        r.headings.iter().map(|h| h.nested).collect::<Vec<_>>(),
        [false, true]
    );
    assert!(
        r.html.contains("<h2 id=\"quoted\">Quoted</h2>"),
        "{}",
        r.html
    );
}

#[test]
fn summary_is_the_text_before_more_without_footnote_references() {
    let r = rendered("First[^1] paragraph.\n\n<!--more-->\n\nRest.\n\n[^1]: A note.\n");
    assert_eq!(r.summary.html, "<p>First paragraph.</p>\n");
    assert_eq!(r.summary.plain, "First paragraph.");
    assert!(r.summary.truncated);
    assert!(!r.html.contains("more"), "{}", r.html);
    assert!(r.html.contains("<p>Rest.</p>"), "{}", r.html);
}

#[test]
fn summary_stops_at_the_block_that_reaches_seventy_words() {
    let para = |n: usize| format!("{}.", vec!["word"; n].join(" "));
    let body = format!("{}\n\n{}\n\n{}\n", para(40), para(40), para(10));
    let r = rendered(&body);
    assert_eq!(
        r.summary.html.matches("<p>").count(),
        2,
        "{}",
        r.summary.html
    );
    assert!(r.summary.truncated);
    let short = rendered("Just this.\n");
    assert_eq!(short.summary.html, "<p>Just this.</p>\n");
    assert!(!short.summary.truncated);
}

#[test]
fn a_long_first_paragraph_is_cut_at_a_sentence_end() {
    let sentence = format!("{}.", vec!["word"; 30].join(" "));
    let body = format!("{}\n", [sentence.as_str(); 6].join(" "));
    let r = rendered(&body);
    assert!(r.summary.truncated);
    assert_eq!(
        r.summary.plain.split_whitespace().count(),
        90,
        "{}",
        r.summary.plain
    );
    assert!(r.summary.html.ends_with(".</p>\n"), "{}", r.summary.html);
}

#[test]
fn counts_words_of_the_plain_text_without_footnote_markers() {
    let r = rendered("# Title\n\nOne *two* `three`[^n].\n\n- four\n- five\n\n[^n]: six seven\n");
    assert_eq!(r.plain_text, "Title\nOne two three.\nfour\nfive\nsix seven");
    assert_eq!(r.count.total(), 8);
    assert_eq!(r.reading_minutes, 1);
}

#[test]
fn omits_raw_html_as_hugo_does() {
    let options = RenderOptions {
        raw_html: RawHtml::Omit,
        highlight: Highlight::Off,
        ..RenderOptions::default()
    };
    let r = render_with(
        "<div class=\"x\">\nhi\n</div>\n\nText <b>bold</b>.\n",
        &options,
        FootnoteMode::Separate,
    );
    assert_eq!(
        r.html,
        "<!-- raw HTML omitted -->\n<p>Text <!-- raw HTML omitted -->bold<!-- raw HTML omitted -->.</p>\n"
    );
}

#[test]
fn links_to_local_files_are_markers_resolved_when_served() {
    let r = rendered(
        "![a photo](photo.png \"t\")\n\n[report](../files/report.pdf#p2) and [other](other.md)\n",
    );
    assert_eq!(r.files.len(), 2);
    assert_eq!(r.files[0].path, FilePath::Relative("photo.png".into()));
    assert_eq!(r.files[1].line, 3);
    let html = resolve_markers(
        &r.html,
        &r,
        |i| (i == 0).then(|| "/files/c/content/posts/photo.png".to_owned()),
        |_| None,
    );
    assert_eq!(
        html,
        "<p><img src=\"/files/c/content/posts/photo.png\" alt=\"a photo\" title=\"t\" /></p>\n<p><a href=\"../files/report.pdf#p2\">report</a> and <a href=\"other.md\">other</a></p>\n"
    );
}

#[test]
fn private_use_markers_in_a_post_cannot_forge_a_file_or_page_link() {
    let r = rendered("a \u{E002}0\u{E003} b \u{E005}0\u{E006}\n");
    assert!(r.files.is_empty() && r.links.is_empty());
    assert_eq!(r.html, "<p>a \u{FFFD}0\u{FFFD} b \u{FFFD}0\u{FFFD}</p>\n");
}

fn sanitized(markdown: &str) -> Rendered {
    let options = RenderOptions {
        raw_html: RawHtml::Sanitize,
        highlight: Highlight::Off,
        ..RenderOptions::default()
    };
    render_with(markdown, &options, FootnoteMode::Separate)
}

#[test]
fn a_heading_in_a_footnote_is_nested() {
    let r = rendered("Text[^1].\n\n[^1]: Note.\n\n    ## In note\n\n## After\n");
    let headings: Vec<_> = r
        .headings
        .iter()
        .map(|h| (h.text.as_str(), h.nested))
        .collect();
    assert_eq!(headings, [("In note", true), ("After", false)]);
}

#[test]
fn an_explicit_id_is_reserved_before_a_heading_in_a_shortcode_takes_it() {
    let r = rendered("{{% note %}}\n## Setup\n{{% /note %}}\n\n## Other {#setup}\n");
    assert!(
        r.html.contains("<h2 id=\"setup-1\">Setup</h2>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<h2 id=\"setup\">Other</h2>"), "{}", r.html);
}

#[test]
fn shortcodes_inside_raw_html_are_expanded() {
    let r = rendered(
        "<div class=\"g\">\n{{< youtube abc >}}\n</div>\n\nText <span>{{< badge x >}}</span>.\n",
    );
    assert!(
        r.html.contains("youtube-nocookie.com/embed/abc"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<span data-shortcode=\"badge\""),
        "{}",
        r.html
    );
    assert!(
        !r.html.contains('\u{E000}'),
        "no placeholder left: {}",
        r.html
    );
    assert_eq!(r.shortcodes.len(), 2);
}

#[test]
fn sanitize_cleans_posts_without_raw_html_too() {
    let r = sanitized(
        "[x](javascript:alert(1)) and {{< gist u 1 >}}\n\n## Hi <b onclick=\"x()\">b</b>\n",
    );
    assert!(!r.html.contains("javascript:"), "{}", r.html);
    assert!(!r.html.contains("<script"), "{}", r.html);
    assert!(
        !r.headings[0].html.contains("onclick"),
        "{}",
        r.headings[0].html
    );
    let r = sanitized("Note[^1].\n\n[^1]: <img src=x onerror=\"alert(1)\">\n");
    assert!(
        !r.footnotes[0].html.contains("onerror"),
        "{}",
        r.footnotes[0].html
    );
}

#[test]
fn omit_drops_script_urls_as_hugo_does() {
    let options = RenderOptions {
        raw_html: RawHtml::Omit,
        highlight: Highlight::Off,
        ..RenderOptions::default()
    };
    let r = render_with(
        "[x](javascript:alert(1)) [y](https://x.org/)\n",
        &options,
        FootnoteMode::Separate,
    );
    assert_eq!(
        r.html,
        "<p><a href=\"\">x</a> <a href=\"https://x.org/\">y</a></p>\n"
    );
}

#[test]
fn an_encoded_marker_written_in_a_post_is_not_a_marker() {
    let r = rendered(
        "![p](photo.png) [a](https://e.org/%EE%80%820%EE%80%83) [o](other.md) \
         [b](https://e.org/%EE%80%850%EE%80%86)\n",
    );
    let html = resolve_markers(
        &r.html,
        &r,
        |_| Some("/files/c/photo.png".to_owned()),
        |_| Some("/posts/x/".to_owned()),
    );
    assert!(
        html.contains("href=\"https://e.org/%ee%80%820%ee%80%83\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"https://e.org/%ee%80%850%ee%80%86\""),
        "{html}"
    );
    assert!(html.contains("<a href=\"/posts/x/\">o</a>"), "{html}");
}

#[test]
fn a_front_matter_summary_has_no_footnote_marks_or_heading_ids_and_lists_nothing() {
    let front_matter = Map::new();
    let page = Page {
        front_matter: &front_matter,
        summary: Some("## Head\n\nWords[^1] {{< badge >}}\n\n[^1]: n"),
        first_line: 1,
    };
    let r = render(
        "Body.\n",
        &page,
        &RenderOptions::default(),
        FootnoteMode::Separate,
    );
    assert!(
        r.summary.html.starts_with("<h2>Head</h2>"),
        "{}",
        r.summary.html
    );
    assert!(!r.summary.html.contains("fnref"), "{}", r.summary.html);
    assert!(r.shortcodes.is_empty(), "the body's shortcodes only");
}

/// Bodies that exercise every kind of text a render produces.
const VARIED_BODIES: [&str; 12] = [
    "# Title\n\nSome *emphasis*, `code` and a [link](/posts/other/) to [a file](img.png).\n",
    "```go {linenos=table,hl_lines=[2]}\nfunc main() {\n\tfmt.Println(\"<hi>\" && 'x')\n}\n```\n\nAfter.\n",
    "```rust\nfn main() { let x = \"a & b\"; }\n```\n\n```\nplain <code>\n```\n\n    indented\n",
    "```python {linenos=inline}\nprint('x')\n```\n\n```unknownlang {linenos=true}\na\nb\n```\n",
    "Text[^1] and more[^note].\n\n[^1]: The *first* note.\n[^note]: ## A heading in a note\n",
    "{{< highlight js \"linenos=table\" >}}\nlet a = 1 < 2;\n{{< /highlight >}}\n\n{{< figure src=\"a.png\" caption=\"A **caption**\" >}}\n\n{{< param title >}} and {{< ref \"/posts/x\" >}}\n",
    "日本語の文章です。Quire は速い。\n\n## 見出し\n\n한국어 텍스트\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n> quoted\n> text\n\n- one\n- two\n\n<div class=\"x\">raw <b>html</b></div>\n\nA<br>b <span>inline</span>\n",
    "Intro paragraph.\n\n<!--more-->\n\n{{% details summary=\"More\" %}}\nInner **markdown** with `code`.\n{{% /details %}}\n\n{{< youtube abc >}}\n",
    "Line one  \nhard break\n\n* * *\n\n1. first\n2. second\n\nTerm &amp; entity &copy; \"quotes\"\n",
    "A reference to no note[^missing].\n",
    "A note no one references.\n\n[^lonely]: Alone.\n",
];

#[test]
fn plain_text_is_the_renders_plain_text_and_count() {
    let mut front_matter = Map::new();
    front_matter.insert("title".into(), Value::String("A <title>".into()));
    let page = Page {
        front_matter: &front_matter,
        summary: Some("Written *summary*."),
        first_line: 4,
    };
    for highlight in [Highlight::Off, Highlight::Classes, Highlight::Inline] {
        for raw_html in [RawHtml::Keep, RawHtml::Sanitize, RawHtml::Omit] {
            let options = RenderOptions {
                highlight,
                raw_html,
                ..RenderOptions::default()
            };
            for body in VARIED_BODIES {
                let rendered = render(body, &page, &options, FootnoteMode::Separate);
                let text = body_text(body, &page, &options);
                assert_eq!(
                    text.plain, rendered.plain_text,
                    "{highlight:?} {raw_html:?}: {body}"
                );
                assert_eq!(
                    text.count, rendered.count,
                    "{highlight:?} {raw_html:?}: {body}"
                );
                assert_eq!(
                    text.footnotes,
                    !rendered.footnotes.is_empty(),
                    "{highlight:?} {raw_html:?}: {body}"
                );
            }
        }
    }
}

#[test]
fn plain_text_keeps_line_numbers_as_the_highlighted_block_does() {
    let body = "```go {linenos=table}\nfunc a() {}\nfunc b() {}\n```\n";
    let options = RenderOptions::default();
    let front_matter = Map::new();
    let page = Page {
        front_matter: &front_matter,
        summary: None,
        first_line: 1,
    };
    let text = body_text(body, &page, &options).plain;
    assert!(text.contains('1') && text.contains("func b()"), "{text}");
}

/// How much faster [`body_text`] is than [`render`] on a long post with code:
/// `cargo test --lib content::render::tests::plain_text_speed -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn plain_text_speed() {
    let section = "## Setting up\n\nSome prose about **services**, a [link](/posts/x/) and \
                   `inline code` that goes on for a while to make a paragraph of words.\n\n\
                   ```rust\nfn main() {\n    let mesh = Mesh::new(\"a\");\n    for s in \
                   mesh.services() {\n        println!(\"{s}\");\n    }\n}\n```\n\n\
                   ```yaml\nkind: Deployment\nmetadata:\n  name: app\n```\n\n";
    let body = section.repeat(40);
    let options = RenderOptions::default();
    let front_matter = Map::new();
    let page = Page {
        front_matter: &front_matter,
        summary: None,
        first_line: 1,
    };
    // Warm syntect's grammars up first.
    let _ = render(&body, &page, &options, FootnoteMode::Separate);
    let runs = 20;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        std::hint::black_box(render(&body, &page, &options, FootnoteMode::Separate));
    }
    let full = start.elapsed() / runs;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        std::hint::black_box(body_text(&body, &page, &options));
    }
    let text = start.elapsed() / runs;
    println!(
        "{} bytes: render {full:?}, plain_text {text:?} ({:.1}x faster)",
        body.len(),
        full.as_secs_f64() / text.as_secs_f64()
    );
}
