//! Hugo-compatible URL slugs.
//!
//! Hugo's `:slug` permalink token runs the title (or the `slug` field) through `urlize`, which keeps
//! Unicode letters, digits and a few URL-safe marks, turns runs of whitespace into one hyphen and
//! lower-cases the result. The `slug` crate transliterates to ASCII and drops dots, which would give
//! different URLs than the site the content came from, so this follows Hugo's rules instead
//! (`helpers.PathSpec.UnicodeSanitize` in gohugoio/hugo).

/// Turns `text` into the slug Hugo would build for it: `"Week 48, 2015"` becomes `"week-48-2015"`.
pub(crate) fn urlize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prepend_hyphen = false;
    let mut was_hyphen = false;
    for c in text.trim().chars() {
        let allowed = c.is_alphanumeric()
            || matches!(c, '.' | '_' | '-' | '#' | '+' | '~' | '@')
            || is_combining_mark(c);
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

/// Combining marks (accents written as separate code points) belong to the letter before them.
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
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
    }
}
