use super::*;

const GO: &str = "package main\n\n// Say hello.\nfunc main() {\n\tfmt.Println(\"a < b\")\n}\n";

/// What pulldown-cmark writes for a fenced block with `info`.
fn pulldown(info: &str, code: &str) -> String {
    let markdown = format!("```{info}\n{code}```\n");
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&markdown));
    html
}

fn numbered(options: &str) -> CodeOptions {
    CodeOptions::parse(options).expect("valid options")
}

fn classes(code: &str, language: &str, options: &CodeOptions) -> String {
    code_block(
        code,
        Some(language),
        options,
        Highlight::Classes,
        super::super::DEFAULT_HIGHLIGHT_THEME,
    )
}

/// Whether every `<span` in `html` is closed, and none is closed before it is opened.
fn balanced(html: &str) -> bool {
    let mut depth = 0i64;
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        if rest.starts_with("<span") {
            depth += 1;
        } else if rest.starts_with("</span>") {
            depth -= 1;
            if depth < 0 {
                return false;
            }
        }
        rest = &rest[1..];
    }
    depth == 0
}

#[test]
fn off_writes_exactly_what_pulldown_cmark_writes() {
    for (language, info) in [(Some("go"), "go"), (None, ""), (Some("a\"<b"), "a\"<b")] {
        let options = numbered("linenos=table,hl_lines=1");
        assert_eq!(
            code_block(GO, language, &options, Highlight::Off, "InspiredGitHub"),
            pulldown(info, GO),
            "{info}"
        );
    }
}

#[test]
fn an_unknown_language_is_plain_code_as_pulldown_cmark_writes_it() {
    for mode in [Highlight::Classes, Highlight::Inline] {
        assert_eq!(
            code_block(
                GO,
                Some("no-such-language"),
                &CodeOptions::default(),
                mode,
                "x"
            ),
            pulldown("no-such-language", GO)
        );
        assert_eq!(
            code_block(GO, None, &CodeOptions::default(), mode, "x"),
            pulldown("", GO)
        );
    }
    // Plain text is not wrapped in a token either.
    assert_eq!(
        classes("a < b\n", "text", &CodeOptions::default()),
        pulldown("text", "a < b\n")
    );
}

#[test]
fn classes_wrap_tokens_in_prefixed_classes_the_stylesheet_styles() {
    let html = classes(GO, "go", &CodeOptions::default());
    assert!(
        html.starts_with(
            "<pre class=\"highlight\"><code class=\"language-go\"><span class=\"hl-source hl-go\">"
        ),
        "{html}"
    );
    assert!(html.ends_with("</span></code></pre>\n"), "{html}");
    assert!(html.contains("hl-keyword"), "{html}");
    assert!(html.contains("<span class=\"hl-comment"), "{html}");
    assert!(html.contains("a &lt; b"), "{html}");
    assert!(!html.contains("style="), "{html}");
    assert!(balanced(&html), "{html}");

    let css = stylesheet(super::super::DEFAULT_HIGHLIGHT_THEME).expect("the default theme");
    assert!(css.contains(".hl-comment"), "{css}");
    assert!(css.contains(".highlight .hl {"), "{css}");
    assert!(css.contains(".highlight .lnt {") || css.contains(".highlight .lnt "));
}

#[test]
fn inline_styles_come_from_the_theme() {
    let light = code_block(
        GO,
        Some("go"),
        &CodeOptions::default(),
        Highlight::Inline,
        "InspiredGitHub",
    );
    assert!(
        light.starts_with("<pre class=\"highlight\" style=\"background-color:#ffffff;color:#323232;\"><code class=\"language-go\">"),
        "{light}"
    );
    assert!(light.contains("<span style=\"color:#"), "{light}");
    assert!(!light.contains("class=\"hl-"), "{light}");
    let dark = code_block(
        GO,
        Some("go"),
        &CodeOptions::default(),
        Highlight::Inline,
        "base16-ocean.dark",
    );
    assert_ne!(light, dark);
    // An unknown theme is the default one.
    let unknown = code_block(
        GO,
        Some("go"),
        &CodeOptions::default(),
        Highlight::Inline,
        "no such theme",
    );
    assert_eq!(unknown, light);
}

#[test]
fn numbers_and_emphasizes_lines_inline_as_hugo_does() {
    let html = classes(
        "a < b\nc\n",
        "nosuchlang",
        &numbered("linenos=inline,hl_lines=2"),
    );
    assert_eq!(
        html,
        "<pre class=\"highlight\"><code class=\"language-nosuchlang\">\
         <span class=\"line\"><span class=\"ln\">1</span><span class=\"cl\">a &lt; b\n</span></span>\
         <span class=\"line hl\"><span class=\"ln\">2</span><span class=\"cl\">c\n</span></span>\
         </code></pre>\n"
    );
    let emphasized = classes("a\nb\n", "nosuchlang", &numbered("hl_lines=1"));
    assert_eq!(
        emphasized,
        "<pre class=\"highlight\"><code class=\"language-nosuchlang\">\
         <span class=\"line hl\"><span class=\"cl\">a\n</span></span>\
         <span class=\"line\"><span class=\"cl\">b\n</span></span>\
         </code></pre>\n"
    );
}

#[test]
fn numbers_lines_in_hugos_two_cell_table() {
    let html = classes(
        "a\nb\n",
        "nosuchlang",
        &numbered("linenos=table,hl_lines=2,linenostart=10"),
    );
    assert_eq!(
        html,
        "<div class=\"highlight\"><table class=\"lntable\"><tr><td class=\"lntd\">\n\
         <pre class=\"highlight\"><code><span class=\"lnt\">10\n</span>\
         <span class=\"hl\"><span class=\"lnt\">11\n</span></span></code></pre></td>\n\
         <td class=\"lntd\">\n\
         <pre class=\"highlight\"><code class=\"language-nosuchlang\">\
         <span class=\"line\"><span class=\"cl\">a\n</span></span>\
         <span class=\"line hl\"><span class=\"cl\">b\n</span></span>\
         </code></pre></td></tr></table>\n</div>\n"
    );
}

#[test]
fn every_numbered_line_closes_the_tokens_it_opens() {
    // A comment and a raw string over several lines: their spans are open at line ends.
    let code = "/* one\n two */\nvar s = `x\ny`\n";
    for mode in [Highlight::Classes, Highlight::Inline] {
        let html = code_block(
            code,
            Some("go"),
            &numbered("linenos=inline"),
            mode,
            "InspiredGitHub",
        );
        let lines: Vec<&str> = html.split("<span class=\"line\"").skip(1).collect();
        assert_eq!(lines.len(), 4, "{html}");
        for line in &lines {
            let line = line.trim_end_matches("</code></pre>\n");
            assert!(balanced(&format!("<span{line}")), "{mode:?}: {line}");
        }
        if mode == Highlight::Classes {
            // The comment's class is opened again on its second line.
            assert!(lines[1].contains("hl-comment"), "{}", lines[1]);
        }
    }
}

#[test]
fn finds_languages_by_common_names() {
    for (token, grammar_name) in [
        ("go", "Go"),
        ("rust", "Rust"),
        ("rs", "Rust"),
        ("js", "JavaScript"),
        ("javascript", "JavaScript"),
        ("ts", "JavaScript"),
        ("sh", "Bourne Again Shell (bash)"),
        ("bash", "Bourne Again Shell (bash)"),
        ("shell", "Bourne Again Shell (bash)"),
        ("console", "Bourne Again Shell (bash)"),
        ("yaml", "YAML"),
        ("yml", "YAML"),
        ("json", "JSON"),
        ("toml", "Java Properties"),
        ("dockerfile", "Bourne Again Shell (bash)"),
        ("Python", "Python"),
        ("py", "Python"),
        ("html", "HTML"),
        ("css", "CSS"),
        ("scss", "CSS"),
        ("sql", "SQL"),
        ("c", "C"),
        ("cpp", "C++"),
        ("java", "Java"),
        ("ruby", "Ruby"),
        ("diff", "Diff"),
    ] {
        assert_eq!(
            grammar(token).map(|g| g.name.as_str()),
            Some(grammar_name),
            "{token}"
        );
    }
    for (alias, name) in ALIASES {
        assert!(
            SYNTAXES.find_syntax_by_name(name).is_some(),
            "{alias}: syntect has no {name}"
        );
    }
    assert!(grammar("text").is_none());
    assert!(grammar("kotlin").is_none());
}

#[test]
fn a_very_long_line_is_left_plain() {
    let code = format!("var x = \"{}\"\n", "a".repeat(MAX_LINE));
    assert_eq!(
        classes(&code, "go", &CodeOptions::default()),
        pulldown("go", &code)
    );
}

#[test]
fn themes_are_found_in_any_case_and_unknown_ones_are_listed() {
    assert!(themes().contains(&super::super::DEFAULT_HIGHLIGHT_THEME));
    assert_eq!(theme_name("inspiredgithub").ok(), Some("InspiredGitHub"));
    let error = stylesheet("Monokai").expect_err("no such theme");
    let message = error.to_string();
    assert!(message.contains("\"Monokai\""), "{message}");
    assert!(message.contains("base16-ocean.dark"), "{message}");
    for name in themes() {
        let css = stylesheet(name).expect(name);
        assert!(css.contains(&format!("theme \"{name}\"")), "{name}");
    }
}

/// Prints how long highlighting takes, per KB of code, against pulldown-cmark rendering the
/// same block as plain code. Not a test: run it on an optimized build,
/// `cargo test --release --lib highlight::tests::speed -- --ignored --nocapture`.
#[test]
#[ignore = "prints timings; run on an optimized build"]
fn speed() {
    use std::time::Instant;
    let rust = "/// Sums what is asked.\npub fn total(items: &[Item]) -> Result<u64, Error> {\n    let mut sum = 0u64;\n    for item in items.iter().filter(|i| i.count > 0) {\n        sum = sum.checked_add(item.count * 2).ok_or(Error::Overflow)?; // \"why\"\n    }\n    Ok(sum)\n}\n";
    let go = "// Handler answers one request.\nfunc (s *Server) Handler(w http.ResponseWriter, r *http.Request) {\n\tif err := s.check(r); err != nil {\n\t\thttp.Error(w, err.Error(), 400)\n\t\treturn\n\t}\n\tfmt.Fprintf(w, \"%d items\\n\", len(s.items))\n}\n";
    let _ = grammar("go");
    let _ = theme("InspiredGitHub");
    // The generated corpus' block (examples/corpus): what a small block costs.
    let small = "fn f17(x: u32) -> u32 {\n    x * 42\n}\n";
    for (language, code) in [
        ("go", go.repeat(2048 / go.len() + 1)),
        ("rust", rust.repeat(2048 / rust.len() + 1)),
        ("rust", small.to_owned()),
    ] {
        let kb = code.len() as f64 / 1024.0;
        let rounds = 20_000 / code.len().max(100) * 20;
        let time = |f: &dyn Fn() -> String| {
            let start = Instant::now();
            let mut bytes = 0;
            for _ in 0..rounds {
                bytes += f().len();
            }
            (
                start.elapsed().as_secs_f64() * 1e6 / rounds as f64 / kb,
                bytes,
            )
        };
        let (bare, _) = time(&|| pulldown(language, &code));
        let options = numbered("linenos=table,hl_lines=2");
        for (name, mode, options) in [
            ("classes", Highlight::Classes, CodeOptions::default()),
            ("inline", Highlight::Inline, CodeOptions::default()),
            ("classes+linenos", Highlight::Classes, options),
        ] {
            let (us, _) =
                time(&|| code_block(&code, Some(language), &options, mode, "InspiredGitHub"));
            println!(
                "{language} {name}: {us:.1} µs/KB ({kb:.1} KB block); pulldown plain: {bare:.2} µs/KB"
            );
        }
    }
}
