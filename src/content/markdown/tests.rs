use super::*;
use crate::content::render::{Rendered, render_for_test as render};

fn body(markdown: &str) -> String {
    render(markdown, FootnoteMode::Separate).html
}

fn labels(rendered: &Rendered) -> Vec<(usize, &str, usize)> {
    rendered
        .footnotes
        .iter()
        .map(|f| (f.number, f.label.as_str(), f.references))
        .collect()
}

#[test]
fn numbers_footnotes_in_reference_order() {
    let r = render(
        "B[^b] then A[^a].\n\n[^a]: First defined.\n[^b]: Second defined.\n",
        FootnoteMode::Separate,
    );
    assert_eq!(labels(&r), [(1, "b", 1), (2, "a", 1)]);
    assert_eq!(
        r.html,
        "<p>B<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup> then A<sup class=\"footnote-ref\"><a href=\"#fn-2\" id=\"fnref-2\">2</a></sup>.</p>\n"
    );
    assert_eq!(r.footnotes[0].html, "<p>Second defined.</p>\n");
}

#[test]
fn keeps_one_number_for_a_footnote_referenced_twice() {
    let r = render(
        "One[^n], two[^x], again[^n].\n\n[^n]: Note.\n[^x]: Other.\n",
        FootnoteMode::Separate,
    );
    assert_eq!(labels(&r), [(1, "n", 2), (2, "x", 1)]);
    assert!(
        r.html.contains(
            "again<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1-2\">1</a></sup>"
        ),
        "{}",
        r.html
    );
    assert_eq!(r.footnotes[0].reference_anchors(), ["fnref-1", "fnref-1-2"]);
    assert_eq!(r.footnotes[0].anchor(), "fn-1");
}

#[test]
fn drops_definitions_that_are_never_referenced() {
    let r = render(
        "Text[^used].\n\n[^used]: Yes.\n[^unused]: No.\n",
        FootnoteMode::Section,
    );
    assert_eq!(labels(&r), [(1, "used", 1)]);
    assert!(!r.html.contains("No."), "{}", r.html);
}

#[test]
fn leaves_references_without_definition_as_text() {
    assert_eq!(
        body("Dangling[^missing] here.\n"),
        "<p>Dangling[^missing] here.</p>\n"
    );
}

#[test]
fn accepts_a_tab_after_the_definition_colon() {
    let r = render(
        "Ref[^1].\n\n[^1]:\tTabbed *note*.\n",
        FootnoteMode::Separate,
    );
    assert_eq!(labels(&r), [(1, "1", 1)]);
    assert_eq!(r.footnotes[0].html, "<p>Tabbed <em>note</em>.</p>\n");
}

#[test]
fn treats_a_mid_line_label_colon_as_a_reference() {
    let r = render(
        "Call `code`[^6]: then text.\n\n[^6]: The note.\n",
        FootnoteMode::Separate,
    );
    assert_eq!(labels(&r), [(1, "6", 1)]);
    assert!(r.html.contains("</sup>: then text."), "{}", r.html);
}

#[test]
fn matches_labels_case_insensitively() {
    let r = render(
        "See[^Note].\n\n[^note]: Defined lower-case.\n",
        FootnoteMode::Separate,
    );
    assert_eq!(r.footnotes.len(), 1);
}

#[test]
fn body_excludes_definitions_and_section_appends_them() {
    let markdown = "Text[^1] and more[^2], again[^1].\n\n[^1]: The footnote, with *Markdown* inside.\n[^2]: Second.\n\n    Second paragraph.\n";
    let separate = render(markdown, FootnoteMode::Separate);
    assert!(!separate.html.contains("footnote, with"));
    assert!(!separate.html.contains("<section"));
    let section = render(markdown, FootnoteMode::Section);
    assert_eq!(section.footnotes, separate.footnotes);
    assert!(section.html.starts_with(&separate.html));
    insta::assert_snapshot!(section.html);
}

#[test]
fn renders_gfm_extensions() {
    let html = body("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n\n- [x] done\n- [ ] open\n");
    insta::assert_snapshot!(html);
}

#[test]
fn renders_footnote_references_inside_footnotes() {
    let r = render(
        "A[^a].\n\n[^a]: See also[^b].\n[^b]: Nested.\n",
        FootnoteMode::Separate,
    );
    assert_eq!(labels(&r), [(1, "a", 1), (2, "b", 1)]);
    assert!(r.footnotes[0].html.contains("href=\"#fn-2\""));
}

#[test]
fn keeps_nested_definitions_out_of_the_body() {
    let r = render(
        "A[^a] and B[^b].\n\n[^a]: > [^b]: Inner.\n",
        FootnoteMode::Separate,
    );
    assert_eq!(
        r.html,
        "<p>A<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup> and B<sup class=\"footnote-ref\"><a href=\"#fn-2\" id=\"fnref-2\">2</a></sup>.</p>\n"
    );
    assert_eq!(labels(&r), [(1, "a", 1), (2, "b", 1)]);
    assert!(
        !r.footnotes[0].html.contains("Inner"),
        "{}",
        r.footnotes[0].html
    );
    assert_eq!(r.footnotes[1].html, "<p>Inner.</p>\n");
}

#[test]
fn folds_label_case_like_pulldown_cmark() {
    // Full Unicode case folding: "STRASSE" and "straße" are one label.
    let r = render(
        "Strasse[^STRASSE].\n\n[^straße]: Folded.\n",
        FootnoteMode::Separate,
    );
    assert_eq!(labels(&r), [(1, "straße", 1)]);
    assert!(r.html.contains("href=\"#fn-1\""), "{}", r.html);
}

/// `n` footnotes, referenced in reverse order of definition: `[^f{n}]` first.
fn many_footnotes(n: usize) -> String {
    let mut markdown = String::with_capacity(n * 24);
    for i in (0..n).rev() {
        let _ = write!(markdown, "x[^f{i}] ");
    }
    markdown.push_str("\n\n");
    for i in 0..n {
        let _ = writeln!(markdown, "[^f{i}]: Note {i}.");
    }
    markdown
}

#[test]
fn renders_a_hundred_thousand_footnotes_in_reference_order() {
    let n = 100_000;
    let markdown = many_footnotes(n);
    let started = std::time::Instant::now();
    let r = render(&markdown, FootnoteMode::Section);
    // Not asserted (timing belongs to benchmarks); printed for `--nocapture` runs.
    println!("{n} footnotes rendered in {:?}", started.elapsed());
    assert_eq!(r.footnotes.len(), n);
    for (k, note) in r.footnotes.iter().enumerate() {
        let i = n - 1 - k;
        assert_eq!(note.number, k + 1);
        assert_eq!(note.label, format!("f{i}"));
        assert_eq!(note.references, 1);
        assert_eq!(note.html, format!("<p>Note {i}.</p>\n"));
    }
    assert_eq!(r.html.matches("class=\"footnote-ref\"").count(), n);
    assert_eq!(r.html.matches("class=\"footnote-backref\"").count(), n);
    let last = format!("<a href=\"#fn-{n}\" id=\"fnref-{n}\">{n}</a>");
    assert!(r.html.contains(&last));
}
