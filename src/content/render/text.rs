//! Text measures: the body as plain text, its word count and its reading time, counted as Hugo
//! counts them (words are runs between white space), with CJK text counted per character.

/// Words and CJK characters of a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Count {
    /// Runs of non-space text, not counting the CJK characters in them.
    pub(crate) words: usize,
    /// Han, Hiragana, Katakana and Hangul characters: each counts as a word.
    pub(crate) cjk: usize,
}

/// Words read in a minute of CJK text, as Hugo reckons it.
const CJK_PER_MINUTE: usize = 500;

impl Count {
    /// Counts `text` as Hugo counts a CJK page: a run without CJK characters is one word; a
    /// run with any counts each of its characters (CJK punctuation and Latin letters beside
    /// them included). Unlike Hugo, `café` is one word whatever the page's language.
    pub(crate) fn of(text: &str) -> Count {
        if text.is_ascii() {
            // Most text: words are runs between ASCII white space, counted over bytes (the
            // same runs `split_whitespace` finds, several times faster).
            let mut words = 0;
            let mut in_word = false;
            for &byte in text.as_bytes() {
                let space = matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b'\x0B' | b'\x0C');
                words += usize::from(!space && !in_word);
                in_word = !space;
            }
            return Count { words, cjk: 0 };
        }
        let mut count = Count::default();
        for word in text.split_whitespace() {
            if !word.is_ascii() && word.chars().any(is_cjk) {
                count.cjk += word.chars().count();
            } else {
                count.words += 1;
            }
        }
        count
    }

    /// `wordCount`: words plus CJK characters.
    pub(crate) fn total(self) -> usize {
        self.words + self.cjk
    }

    /// Whole minutes, at least 1: words at `words_per_minute`, CJK characters at 500 a minute.
    pub(crate) fn reading_minutes(self, words_per_minute: u32) -> usize {
        let wpm = usize::try_from(words_per_minute.max(1)).unwrap_or(usize::MAX);
        // Minutes as a fraction over wpm * 500, rounded up.
        let scale = wpm.saturating_mul(CJK_PER_MINUTE);
        let parts = self
            .words
            .saturating_mul(CJK_PER_MINUTE)
            .saturating_add(self.cjk.saturating_mul(wpm));
        parts.div_ceil(scale).max(1)
    }
}

/// Characters of the CJK scripts that are written without spaces between words.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'     // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}'   // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK Unified Ideographs
        | '\u{AC00}'..='\u{D7AF}'   // Hangul syllables
        | '\u{F900}'..='\u{FAFF}'   // CJK Compatibility Ideographs
        | '\u{FF66}'..='\u{FF9F}'   // half-width Katakana
        | '\u{20000}'..='\u{2FA1F}' // Extensions B to F, compatibility supplement
    )
}

/// The text of a piece of HTML that Quire wrote or that a post holds as raw HTML: tags dropped
/// (a block's tag or a line break leaves a space, an inline one nothing, so highlighted code
/// keeps its words whole), the entities Quire writes decoded. Not a sanitizer: its output is
/// text, never HTML.
pub(crate) fn strip_tags(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        decode_into(&rest[..open], out);
        match rest[open..].find('>') {
            Some(close) => {
                if separates(&rest[open + 1..open + close]) {
                    out.push(' ');
                }
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    decode_into(rest, out);
}

/// Whether a tag (its text between `<` and `>`) separates words: block elements and `<br>`.
fn separates(tag: &str) -> bool {
    let name = tag.trim_start_matches('/');
    let end = name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    matches!(
        name[..end].to_ascii_lowercase().as_str(),
        "p" | "br"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "thead"
            | "tbody"
            | "pre"
            | "blockquote"
            | "figure"
            | "figcaption"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "section"
            | "details"
            | "summary"
            | "iframe"
            | "img"
    )
}

fn decode_into(text: &str, out: &mut String) {
    if !text.contains('&') {
        out.push_str(text);
        return;
    }
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let entity = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
            ("&#x27;", '\''),
            ("&nbsp;", ' '),
        ]
        .into_iter()
        .find(|(name, _)| tail.starts_with(name));
        match entity {
            Some((name, c)) => {
                out.push(c);
                rest = &tail[name.len()..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_ascii_text_as_split_whitespace_does() {
        for text in [
            "",
            " ",
            "a",
            " a  b\tc\r\nd \x0b e\x0c",
            "one. two,three -- 4",
        ] {
            assert_eq!(
                Count::of(text).words,
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn counts_words_between_white_space() {
        assert_eq!(Count::of("Hello, world! It's 2.0 -- fine.").total(), 6);
        assert_eq!(Count::of("").total(), 0);
    }

    #[test]
    fn counts_cjk_text_per_character() {
        let count = Count::of("日本語の文章です。 Quire は速い Quireは");
        assert_eq!(
            count.cjk,
            9 + 3 + 6,
            "every character of a run with CJK in it"
        );
        assert_eq!(count.words, 1, "Quire alone");
        assert_eq!(count.total(), 19);
    }

    #[test]
    fn reading_time_is_whole_minutes_and_at_least_one() {
        let words = |n| Count { words: n, cjk: 0 };
        assert_eq!(words(0).reading_minutes(212), 1);
        assert_eq!(words(212).reading_minutes(212), 1);
        assert_eq!(words(213).reading_minutes(212), 2);
        assert_eq!(words(1000).reading_minutes(100), 10);
        let cjk = Count {
            words: 0,
            cjk: 1500,
        };
        assert_eq!(cjk.reading_minutes(212), 3);
        let both = Count {
            words: 106,
            cjk: 250,
        };
        assert_eq!(both.reading_minutes(212), 1, "half a minute each");
        assert_eq!(
            Count {
                words: 107,
                cjk: 250
            }
            .reading_minutes(212),
            2
        );
    }

    #[test]
    fn strips_tags_and_decodes_what_quire_writes() {
        let mut out = String::new();
        strip_tags(
            "<p>Fish &amp; <em>chips</em></p><p>&lt;tag&gt; &#39;q&#39; &unknown;</p>",
            &mut out,
        );
        assert_eq!(out, " Fish & chips  <tag> 'q' &unknown; ");
        out.clear();
        strip_tags(
            "<span class=\"hl-k\">fn</span><span>(</span>x<br/>y",
            &mut out,
        );
        assert_eq!(out, "fn(x y", "inline tags keep a word whole");
    }
}
