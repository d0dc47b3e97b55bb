use super::*;

fn options(line_numbers: LineNumbers, start: usize, lines: &[(usize, usize)]) -> CodeOptions {
    CodeOptions {
        line_numbers,
        start,
        highlight_lines: lines.iter().map(|&(a, b)| a..=b).collect(),
    }
}

#[test]
fn reads_the_highlight_shortcodes_options() {
    assert_eq!(
        CodeOptions::parse("linenos=table,hl_lines=2 4-5,linenostart=10"),
        Ok(options(LineNumbers::Table, 10, &[(2, 2), (4, 5)]))
    );
    assert_eq!(
        CodeOptions::parse(" LineNos = inline , HL_LINES=3 "),
        Ok(options(LineNumbers::Inline, 1, &[(3, 3)]))
    );
    assert_eq!(CodeOptions::parse(""), Ok(CodeOptions::default()));
}

#[test]
fn linenos_true_is_a_table_unless_told_otherwise_as_in_hugo() {
    assert_eq!(
        CodeOptions::parse("linenos=true").map(|o| o.line_numbers),
        Ok(LineNumbers::Table)
    );
    assert_eq!(
        CodeOptions::parse("linenos=true,lineNumbersInTable=false").map(|o| o.line_numbers),
        Ok(LineNumbers::Inline)
    );
    assert_eq!(
        CodeOptions::parse("linenos=false").map(|o| o.line_numbers),
        Ok(LineNumbers::None)
    );
}

#[test]
fn accepts_hugos_other_options_without_applying_them() {
    assert_eq!(
        CodeOptions::parse("style=monokai,noClasses=false,anchorlinenos=true,linenos=inline"),
        Ok(options(LineNumbers::Inline, 1, &[]))
    );
}

#[test]
fn says_what_to_fix_in_wrong_options() {
    for (wrong, says) in [
        ("linenos", "has no value"),
        ("linenos=maybe", "true, false, inline or table"),
        ("hl_lines=two", "`two` is not a line"),
        ("hl_lines=0", "`0` is not a line"),
        ("hl_lines=5-3", "write 3-5"),
        ("linenostart=x", "whole number"),
        ("hl_line=2", "unknown code option `hl_line`"),
    ] {
        let error = CodeOptions::parse(wrong).expect_err(wrong);
        assert!(error.contains(says), "{wrong}: {error}");
    }
}

#[test]
fn splits_a_fenced_blocks_info_into_language_and_options() {
    let (language, parsed) =
        CodeOptions::from_info(r#"go {linenos=true, hl_lines=[1,"3-4"], linenostart=199}"#);
    assert_eq!(language.as_deref(), Some("go"));
    assert_eq!(
        parsed,
        Ok(options(LineNumbers::Table, 199, &[(1, 1), (3, 4)]))
    );

    let (language, parsed) = CodeOptions::from_info("rust{linenos=inline hl_lines=\"2 4\"}");
    assert_eq!(language.as_deref(), Some("rust"));
    assert_eq!(
        parsed,
        Ok(options(LineNumbers::Inline, 1, &[(2, 2), (4, 4)]))
    );

    assert_eq!(
        CodeOptions::from_info("go"),
        (Some("go".to_owned()), Ok(CodeOptions::default()))
    );
    assert_eq!(
        CodeOptions::from_info(""),
        (None, Ok(CodeOptions::default()))
    );
    let (language, parsed) = CodeOptions::from_info("{hl_lines=[2]}");
    assert_eq!(language, None);
    assert_eq!(parsed, Ok(options(LineNumbers::None, 1, &[(2, 2)])));
}

#[test]
fn ignores_attributes_that_are_not_code_options() {
    let (_, parsed) = CodeOptions::from_info(
        r#"js {.wide #listing-1 title="a, b } c" data-x='1' linenos=inline}"#,
    );
    assert_eq!(parsed, Ok(options(LineNumbers::Inline, 1, &[])));
    // Words after the language without braces: Hugo ignores them.
    let (language, parsed) = CodeOptions::from_info("sh  some words");
    assert_eq!(language.as_deref(), Some("sh"));
    assert_eq!(parsed, Ok(CodeOptions::default()));
}

#[test]
fn says_what_to_fix_in_wrong_attributes() {
    for (info, says) in [
        ("go {linenos=table", "no closing `}`"),
        ("go {hl_lines=[1, 2}", "no closing `]`"),
        ("go {title=\"x}", "no closing \""),
        ("go {hl_lines=[x]}", "`x` is not a line"),
        ("go {linenos=[1]}", "takes one value"),
        ("go {=1}", "no name"),
    ] {
        let (_, parsed) = CodeOptions::from_info(info);
        let error = parsed.expect_err(info);
        assert!(error.contains(says), "{info}: {error}");
    }
}

#[test]
fn emphasized_lines_count_from_the_blocks_first_line() {
    let parsed = CodeOptions::parse("linenostart=10,hl_lines=2-3").unwrap();
    assert!(parsed.by_line());
    assert!(!parsed.emphasizes(1));
    assert!(parsed.emphasizes(2) && parsed.emphasizes(3));
    assert!(!parsed.emphasizes(11));
    assert!(!CodeOptions::default().by_line());
}
