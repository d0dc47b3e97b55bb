use serde_json::{Map, Value, json};

use super::*;
use crate::content::markdown::FootnoteMode;
use crate::content::render::{
    Highlight, RawHtml, Rendered, render, render_for_test, render_with, resolve_markers,
};

fn file(path: &str) -> LinkTarget {
    LinkTarget::File(path.to_owned())
}

fn path(path: &str) -> LinkTarget {
    LinkTarget::Path(path.to_owned())
}

fn relative(path: &str) -> LinkTarget {
    LinkTarget::Relative(path.to_owned())
}

fn fragment(f: &str) -> Option<String> {
    Some(f.to_owned())
}

#[test]
fn classifies_content_files_site_paths_and_relative_urls() {
    let cases = [
        ("other.md", Some((file("other.md"), None))),
        ("../other.md", Some((file("../other.md"), None))),
        (
            "./x/_index.MD#top",
            Some((file("./x/_index.MD"), fragment("top"))),
        ),
        (
            "other/index.markdown",
            Some((file("other/index.markdown"), None)),
        ),
        (
            "my%20post.md#Part%202",
            Some((file("my post.md"), fragment("Part 2"))),
        ),
        ("/posts/x/", Some((path("/posts/x/"), None))),
        ("/posts/x", Some((path("/posts/x"), None))),
        (
            "/posts/x.html#a",
            Some((path("/posts/x.html"), fragment("a"))),
        ),
        ("/posts/x.md", Some((path("/posts/x.md"), None))),
        ("/", Some((path("/"), None))),
        ("../other/", Some((relative("../other/"), None))),
        ("other", Some((relative("other"), None))),
        ("other.html", Some((relative("other.html"), None))),
        (".md", Some((relative(".md"), None))),
        ("x.md#", Some((file("x.md"), None))),
    ];
    for (dest, expected) in cases {
        assert_eq!(classify_link(dest), expected, "{dest}");
    }
}

#[test]
fn leaves_urls_fragments_queries_and_files_alone() {
    for dest in [
        "",
        "  ",
        "#top",
        "https://site.example/posts/x/",
        "//site.example/posts/x/",
        "mailto:a@b.org",
        "javascript:alert(1)",
        "report.pdf",
        "/img/x.png",
        "/search/?q=rust",
        "other.md?x=1",
        "a\\b.md",
        "%00.md",
        "%FF.md",
    ] {
        assert_eq!(classify_link(dest), None, "{dest:?}");
    }
}

#[test]
fn reads_ref_arguments_as_hugo_does() {
    assert_eq!(
        reference("other.md", false),
        Some((LinkTarget::Ref("other.md".into()), None))
    );
    assert_eq!(
        reference(" /posts/other.md#Sec%20Two ", true),
        Some((
            LinkTarget::RelRef("/posts/other.md".into()),
            fragment("Sec Two")
        ))
    );
    assert_eq!(
        reference("other?x=1#a", false),
        Some((LinkTarget::Ref("other".into()), fragment("a")))
    );
    assert_eq!(reference("#here", false), None);
}

fn rendered(markdown: &str) -> Rendered {
    render_for_test(markdown, FootnoteMode::Separate)
}

/// (target, fragment, text, line) of each link.
fn listed(r: &Rendered) -> Vec<(LinkTarget, Option<String>, String, usize)> {
    r.links
        .iter()
        .map(|l| (l.target.clone(), l.fragment.clone(), l.text.clone(), l.line))
        .collect()
}

#[test]
fn page_links_are_markers_resolved_with_their_fragment_when_served() {
    let r = rendered(
        "See [the *other* post](other.md#Part%202 \"t\") and [home](/) and [out](https://e.org/).\n\n\
         [same](#top) [x](/search/?q=1)\n",
    );
    assert_eq!(
        listed(&r),
        [
            (
                file("other.md"),
                fragment("Part 2"),
                "the other post".into(),
                1
            ),
            (path("/"), None, "home".into(), 1),
        ]
    );
    let html = resolve_markers(
        &r.html,
        &r,
        |_| None,
        |i| (i == 0).then(|| "/posts/other/".to_owned()),
    );
    assert_eq!(
        html,
        "<p>See <a href=\"/posts/other/#Part%202\" title=\"t\">the <em>other</em> post</a> and \
         <a href=\"/\">home</a> and <a href=\"https://e.org/\">out</a>.</p>\n\
         <p><a href=\"#top\">same</a> <a href=\"/search/?q=1\">x</a></p>\n"
    );
}

#[test]
fn ref_and_relref_are_links_without_a_problem() {
    let r = rendered(
        "[a]({{< ref \"a.md\" >}}) [b]({{< relref \"/posts/b.md#s\" >}}#t)\n\n\
         Text {{< relref \"c.md#x\" >}} and {{< ref \"#here\" >}}.\n",
    );
    assert_eq!(r.problems, []);
    assert_eq!(
        listed(&r),
        [
            (LinkTarget::Ref("a.md".into()), None, "a".into(), 1),
            (
                LinkTarget::RelRef("/posts/b.md".into()),
                fragment("s#t"),
                "b".into(),
                1
            ),
            (
                LinkTarget::RelRef("c.md".into()),
                fragment("x"),
                "".into(),
                3
            ),
        ]
    );
    assert_eq!(r.links[1].written, "/posts/b.md#s#t");
    assert_eq!(r.shortcodes.len(), 4, "each listed as a shortcode too");
    let url = |i: usize| Some(["https://s.org/a/", "/b/", "/c/"][i].to_owned());
    assert_eq!(
        resolve_markers(&r.html, &r, |_| None, url),
        "<p><a href=\"https://s.org/a/\">a</a> <a href=\"/b/#s#t\">b</a></p>\n\
         <p>Text /c/#x and #here.</p>\n"
    );
    // Without URLs, each is written as it was: what Hugo's ref was given.
    assert_eq!(
        resolve_markers(&r.html, &r, |_| None, |_| None),
        "<p><a href=\"a.md\">a</a> <a href=\"/posts/b.md#s#t\">b</a></p>\n\
         <p>Text c.md#x and #here.</p>\n"
    );
    assert_eq!(r.plain_text, "a b\nText c.md#x and #here.");
}

#[test]
fn a_ref_elsewhere_in_a_url_is_resolved_where_it_is() {
    let r = rendered("![i]({{< ref \"a.md\" >}}) [x](https://e.org/?to={{< relref \"b.md\" >}})\n");
    assert!(r.files.is_empty());
    assert_eq!(
        listed(&r),
        [
            (LinkTarget::Ref("a.md".into()), None, "".into(), 1),
            (LinkTarget::RelRef("b.md".into()), None, "".into(), 1),
        ]
    );
    let html = resolve_markers(&r.html, &r, |_| None, |i| Some(format!("/p{i}/")));
    assert_eq!(
        html,
        "<p><img src=\"/p0/\" alt=\"i\" /> <a href=\"https://e.org/?to=/p1/\">x</a></p>\n"
    );
}

#[test]
fn a_figure_link_is_a_page_link() {
    let r = rendered("{{< figure src=\"p.png\" link=\"/posts/x/\" caption=\"[c](c.md)\" >}}\n");
    assert_eq!(
        listed(&r),
        [
            (path("/posts/x/"), None, "".into(), 1),
            (file("c.md"), None, "c".into(), 1),
        ]
    );
    let html = resolve_markers(&r.html, &r, |_| None, |i| Some(format!("/p{i}/")));
    assert!(
        html.starts_with("<figure><a href=\"/p0/\"><img src=\"p.png\" alt=\"c\"></a>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"/p1/\">c</a>"), "{html}");
}

#[test]
fn link_markers_survive_sanitizing() {
    let options = RenderOptions {
        raw_html: RawHtml::Sanitize,
        highlight: Highlight::Off,
        ..RenderOptions::default()
    };
    let r = render_with(
        "[a](a.md) {{< ref \"b.md\" >}}\n",
        &options,
        FootnoteMode::Separate,
    );
    let html = resolve_markers(&r.html, &r, |_| None, |i| Some(format!("/p{i}/")));
    assert_eq!(html, "<p><a href=\"/p0/\">a</a> /p1/</p>\n");
}

#[test]
fn links_in_headings_footnotes_and_summaries_are_listed_once() {
    let r = rendered(
        "## See [a](a.md) {{< ref \"b.md\" >}}\n\nText[^1] and [c](c.md).\n\n[^1]: Note [d](d.md).\n",
    );
    assert_eq!(
        r.links
            .iter()
            .map(|l| l.written.as_str())
            .collect::<Vec<_>>(),
        ["a.md", "b.md", "c.md", "d.md"]
    );
    assert_eq!(r.headings[0].text, "See a b.md");
    assert!(
        r.summary.html.contains("\u{E005}"),
        "the summary shares the markers"
    );
    assert!(r.footnotes[0].html.contains("%EE%80%853%EE%80%86"));
}

fn page<'a>(front_matter: &'a Map<String, Value>, summary: Option<&'a str>) -> Page<'a> {
    Page {
        front_matter,
        summary,
        first_line: 5,
    }
}

/// Bodies whose links are hard to list: every Markdown construct that holds links, links that
/// are not (code, escaped shortcodes, raw HTML), and shortcodes in every place.
const BODIES: &[&str] = &[
    "- [a](a.md)\n- item\n  - [b](/b/ \"t\")\n\n1. [c](../c.md#x)\n",
    "| h | [t](t.md) |\n|---|---|\n| [u](u/) | ![i](i.png) |\n",
    "Text[^n] [x](x.md).\n\n[^n]: In a note, [y](y.md) and `[z](z.md)`.\n",
    "# [Head](h.md) {#id}\n\nSetext [s](s.md)\n---\n",
    "[![alt *text*](p.png)](other.md) [![](q.png)](/q/)\n",
    "[a][b] and [b] and [c][] \n\n[b]: other.md#frag\n[c]: /c/ \"title\"\n",
    "<https://e.org/x.md> <a@b.org> <other.md>\n",
    "<a href=\"raw.md\">raw</a> {{< ref \"intext.md\" >}}\n\n<div>\n{{< ref \"inhtml.md\" >}}\n</div>\n",
    "`[x](code.md)` and\n\n```md\n[y](fenced.md) {{< ref \"f.md\" >}}\n```\n\n    [z](indented.md)\n",
    "[r]({{< ref \"r.md\" >}}) [rr]({{< relref \"rr.md#a\" >}}#b) {{< ref \"t.md\" >}} {{< ref \"#x\" >}}\n",
    "{{</* ref \"escaped.md\" */>}} [w]({{< param dest >}}) [v]({{< param missing >}}x.md)\n",
    "{{% note %}}\n[in](note.md)\n\n{{< ref \"nested.md\" >}}\n{{% /note %}}\n\nAfter [a](a.md).\n",
    "{{< details summary=\"[s](sum.md)\" >}}\n[d](det.md)\n{{< /details >}}\n",
    "{{< figure src=\"p.png\" link=\"fig.md\" caption=\"[c](cap.md)\" attr=\"[a](attr.md)\" >}}\n",
    "{{< highlight go >}}\n[h](hl.md)\n{{< /highlight >}}\n{{< comment >}}[c](c.md){{< /comment >}}\n",
    "Intro [i](i.md).\n\n<!--more-->\n\n[rest](rest.md) [bad](javascript:x) [e]()\n",
    "[a\nb](multi\nline.md) [c](\n<spaced name.md>\n)\n",
    "> quote [q](q.md)\n>\n> - [l](l.md)\n\n- [ ] [task](task.md)\n",
    "[x](%E2%82%AC.md) [y](/posts/%C3%A9t%C3%A9/) [z](a%2Fb.md)\n",
    "{{< unclosed [a](a.md)\n\n[b](b.md) {{< /stray >}} [c](c.md)\n",
    "[a](a.md) \u{E005}0\u{E006} [b](%EE%80%850%EE%80%86.md) ![i]({{< ref \"i.md\" >}})\n",
    "[x]({{% s %}}a.md{{% /s %}}) {{% s %}}b.md{{% /s %}} {{< s >}}\n[c](c.md)\n{{< /s >}}\n",
];

#[test]
fn extract_links_lists_what_render_lists() {
    let mut front_matter = Map::new();
    front_matter.insert("dest".into(), json!("/from/param/"));
    let summaries = [
        None,
        Some("Summary with [s](s.md) and {{< ref \"t.md\" >}}."),
    ];
    let raw_html = [RawHtml::Keep, RawHtml::Sanitize, RawHtml::Omit];
    let mut listed = 0;
    for body in BODIES {
        for summary in summaries {
            for raw_html in raw_html {
                let options = RenderOptions {
                    raw_html,
                    ..RenderOptions::default()
                };
                let page = page(&front_matter, summary);
                let rendered = render(body, &page, &options, FootnoteMode::Section);
                let extracted = extract_links(body, &page, &options);
                assert_eq!(
                    extracted, rendered.links,
                    "{body:?} {summary:?} {raw_html:?}"
                );
                listed += extracted.len();
            }
        }
    }
    assert!(listed > 200, "the bodies have links: {listed}");
}

#[test]
fn lists_each_construct_as_expected() {
    let front_matter = Map::from_iter([("dest".to_owned(), json!("/from/param/"))]);
    let links = |body: &str, raw_html: RawHtml| {
        let options = RenderOptions {
            raw_html,
            ..RenderOptions::default()
        };
        extract_links(body, &page(&front_matter, None), &options)
            .into_iter()
            .map(|l| (l.written, l.text, l.line))
            .collect::<Vec<_>>()
    };
    let written = |body: &str| {
        links(body, RawHtml::Keep)
            .into_iter()
            .map(|(w, _, _)| w)
            .collect::<Vec<_>>()
    };
    assert_eq!(written(BODIES[0]), ["a.md", "/b/", "../c.md#x"]);
    assert_eq!(written(BODIES[1]), ["t.md", "u/"]);
    assert_eq!(written(BODIES[2]), ["x.md", "y.md"]);
    assert_eq!(written(BODIES[3]), ["h.md", "s.md"]);
    assert_eq!(
        links(BODIES[4], RawHtml::Keep),
        [
            ("other.md".into(), "alt text".into(), 5),
            ("/q/".into(), "".into(), 5)
        ]
    );
    assert_eq!(
        written(BODIES[5]),
        ["other.md#frag", "other.md#frag", "/c/"]
    );
    assert_eq!(written(BODIES[6]), Vec::<String>::new());
    // Raw HTML anchors are the author's; shortcodes in raw HTML go with it when it is omitted.
    assert_eq!(written(BODIES[7]), ["intext.md", "inhtml.md"]);
    assert_eq!(
        links(BODIES[7], RawHtml::Omit),
        [("intext.md".into(), "".into(), 5)]
    );
    assert_eq!(written(BODIES[8]), Vec::<String>::new());
    assert_eq!(
        links(BODIES[9], RawHtml::Keep),
        [
            ("r.md".into(), "r".into(), 5),
            ("rr.md#a#b".into(), "rr".into(), 5),
            ("t.md".into(), "".into(), 5)
        ]
    );
    assert_eq!(written(BODIES[10]), ["/from/param/", "x.md"]);
    assert_eq!(
        links(BODIES[11], RawHtml::Keep),
        [
            ("note.md".into(), "in".into(), 6),
            ("nested.md".into(), "".into(), 8),
            ("a.md".into(), "a".into(), 11)
        ]
    );
    assert_eq!(written(BODIES[12]), ["sum.md", "det.md"]);
    assert_eq!(written(BODIES[13]), ["fig.md", "cap.md", "attr.md"]);
    assert_eq!(written(BODIES[14]), Vec::<String>::new());
    assert_eq!(written(BODIES[15]), ["i.md", "rest.md"]);
    assert_eq!(
        links(BODIES[16], RawHtml::Keep),
        [("spaced name.md".into(), "c".into(), 7)]
    );
    assert_eq!(written(BODIES[17]), ["q.md", "l.md", "task.md"]);
    assert_eq!(
        extract_links(
            BODIES[18],
            &page(&front_matter, None),
            &RenderOptions::default()
        )
        .into_iter()
        .map(|l| l.target)
        .collect::<Vec<_>>(),
        [file("€.md"), path("/posts/été/"), file("a/b.md")]
    );
    assert_eq!(written(BODIES[19]), ["a.md", "b.md", "c.md"]);
    assert_eq!(
        written(BODIES[20]),
        ["a.md", "%ee%80%850%ee%80%86.md", "i.md"]
    );
    // A shortcode's inner Markdown written as a destination is the destination.
    assert_eq!(written(BODIES[21]), ["a.md", "c.md"]);
}

/// A post of about 6 KB like the generated corpus' (examples/corpus), with links of each kind.
fn six_kb_post() -> String {
    let mut out = String::new();
    let mut n = 0;
    while out.len() < 6000 {
        n += 1;
        out.push_str(&format!(
            "## Part {n} of the notes\n\n\
             Content from git is rendered once per blob and cached; see [the cache post](../cache-{n}.md) \
             and [the index](/posts/index-{n}/) before the [release notes](https://e.org/{n}). \
             Every commit gives a snapshot that lookups read[^{n}].\n\n\
             - a replica serves the query\n- the webhook refreshes [it]({{{{< relref \"hook.md\" >}}}})\n\n\
             ```rust\nfn f{n}(x: u32) -> u32 {{\n    x * {n}\n}}\n```\n\n\
             [^{n}]: A note on snapshots.\n\n"
        ));
        if n % 2 == 0 {
            out.push_str("{{< figure src=\"photo.png\" caption=\"A *caption*\" >}}\n\n");
        } else {
            out.push_str(
                "{{% note %}}\nSee [also](also.md) with **bold** text.\n{{% /note %}}\n\n",
            );
        }
    }
    out
}

/// Prints the throughput of `extract_links` against `render` (highlighting off and on) and a
/// bare pulldown-cmark parse, over a 6 KB post. Not a test: run it on an optimized build,
/// `cargo test --release --lib links::tests::speed -- --ignored --nocapture`.
#[test]
#[ignore = "prints timings; run on an optimized build"]
fn speed() {
    use std::time::Instant;
    let body = six_kb_post();
    let front_matter = Map::new();
    let page = page(&front_matter, None);
    let off = RenderOptions {
        highlight: Highlight::Off,
        ..RenderOptions::default()
    };
    let on = RenderOptions::default();
    let rounds = 200;
    let time = |f: &dyn Fn() -> usize| {
        let start = Instant::now();
        let mut sum = 0;
        for _ in 0..rounds {
            sum += f();
        }
        let mbps = (body.len() * rounds) as f64 / 1e6 / start.elapsed().as_secs_f64();
        (mbps, sum)
    };
    let (parse, _) = time(&|| {
        pulldown_cmark::Parser::new_ext(&body, crate::content::markdown_options()).count()
    });
    let (links, n) = time(&|| extract_links(&body, &page, &off).len());
    let (plain, _) = time(&|| {
        render(&body, &page, &off, FootnoteMode::Separate)
            .html
            .len()
    });
    let (highlighted, _) = time(&|| render(&body, &page, &on, FootnoteMode::Separate).html.len());
    println!(
        "{} bytes, {} links: pulldown parse {parse:.1} MB/s, extract_links {links:.1} MB/s, \
         render {plain:.1} MB/s (highlighting off), {highlighted:.1} MB/s (classes)",
        body.len(),
        n / rounds
    );
}
