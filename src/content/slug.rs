//! Hugo-compatible URL slugs.
//!
//! Hugo's `:slug` permalink token runs the title (or the `slug` field) through `urlize`, which keeps
//! Unicode letters, digits and a few URL-safe marks, turns runs of whitespace into one hyphen and
//! lower-cases the result. The `slug` crate transliterates to ASCII and drops dots, which would give
//! different URLs than the site the content came from, so this follows Hugo's rules instead
//! (`helpers.PathSpec.UnicodeSanitize` in gohugoio/hugo), with Unicode general categories from
//! `unicode-properties` (Go's `unicode.IsLetter`, `IsDigit` and `IsMark`).

use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// Turns `text` into the slug Hugo would build for it: `"Week 48, 2015"` becomes `"week-48-2015"`.
///
/// Kept: letters and marks of any script, decimal digits, `. / \ _ # + ~ - @`, and `%` escapes
/// (`%2F`). Runs of whitespace become one hyphen (none next to a written hyphen); everything else
/// is dropped; the result is lower-cased.
pub(crate) fn urlize(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut prepend_hyphen = false;
    let mut was_hyphen = false;
    for (i, &c) in chars.iter().enumerate() {
        let is_escape = c == '%'
            && chars.get(i + 1).is_some_and(char::is_ascii_hexdigit)
            && chars.get(i + 2).is_some_and(char::is_ascii_hexdigit);
        let allowed = matches!(c, '.' | '/' | '\\' | '_' | '#' | '+' | '~' | '-' | '@')
            || matches!(
                c.general_category_group(),
                GeneralCategoryGroup::Letter | GeneralCategoryGroup::Mark
            )
            || c.general_category() == GeneralCategory::DecimalNumber
            || is_escape;
        if allowed {
            was_hyphen = c == '-';
            if prepend_hyphen && !was_hyphen {
                out.push('-');
            }
            prepend_hyphen = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() && !out.is_empty() && !was_hyphen {
            prepend_hyphen = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::urlize;

    #[test]
    fn urlizes_like_hugo() {
        assert_eq!(urlize("Week 48, 2015"), "week-48-2015");
        assert_eq!(
            urlize("Week 50, 2017 - Some Conference"),
            "week-50-2017-some-conference"
        );
        assert_eq!(urlize("Weekly Notes"), "weekly-notes");
        assert_eq!(urlize("weekly-notes"), "weekly-notes");
        assert_eq!(urlize("  Quire 1.0 released!  "), "quire-1.0-released");
        assert_eq!(urlize("C++ & Rust"), "c++-rust");
        assert_eq!(urlize("Café au lait"), "café-au-lait");
        assert_eq!(urlize("日本語 タイトル"), "日本語-タイトル");
        assert_eq!(urlize("!!!"), "");
        assert_eq!(urlize("2017/W50"), "2017/w50");
        assert_eq!(urlize("नमस्ते दुनिया"), "नमस्ते-दुनिया");
        assert_eq!(urlize("x² ½ Ⅻ"), "x");
        assert_eq!(urlize("100%2F done, 50% off"), "100%2f-done-50-off");
    }
}
