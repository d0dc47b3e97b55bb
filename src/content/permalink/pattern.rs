//! Permalink patterns from config (`/:year/:month/:slug/`): which tokens Hugo 0.111.3 accepts and
//! how it reads them, including any word Go's date formatting changes (`:2006`, `:Jan`, `:Mon`).

use crate::content::GoTime;

/// A permalink pattern from config (`/:year/:month/:slug/`), parsed once.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pattern {
    text: String,
    /// Every token in order of appearance with the text it replaces (`:year`, `:sections[1:]`).
    tokens: Vec<(String, Token)>,
}

/// What one `:token` of a pattern stands for.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Year,
    Month,
    MonthName,
    Day,
    Weekday,
    WeekdayName,
    YearDay,
    Section,
    Sections,
    SectionsSlice(Slice),
    Title,
    Slug,
    SlugOrFilename,
    Filename,
    ContentBaseName,
    SlugOrContentBaseName,
    /// A word Go's `Time.Format` changes (`2006`, `Jan`, `Monday`, `02`): formatted with the date.
    Layout(String),
}

/// `:sections[...]`: one entry or a range of the current section's path entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slice {
    Index(Bound),
    Range(Bound, Bound),
}

/// One side of a slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Bound {
    /// Left out: the start, or the end.
    Open,
    /// `last`: the index of the last entry.
    Last,
    /// A number (negative or unreadable numbers are 0, as Go's `strconv.Atoi` leaves them).
    At(usize),
}

/// The named tokens: Hugo 0.111.3's `knownPermalinkAttributes`, and the last two from later Hugo.
const NAMED_TOKENS: &[(&str, Token)] = &[
    ("year", Token::Year),
    ("month", Token::Month),
    ("monthname", Token::MonthName),
    ("day", Token::Day),
    ("weekday", Token::Weekday),
    ("weekdayname", Token::WeekdayName),
    ("yearday", Token::YearDay),
    ("section", Token::Section),
    ("sections", Token::Sections),
    ("title", Token::Title),
    ("slug", Token::Slug),
    ("slugorfilename", Token::SlugOrFilename),
    ("filename", Token::Filename),
    ("contentbasename", Token::ContentBaseName),
    ("slugorcontentbasename", Token::SlugOrContentBaseName),
];

/// Why a permalink pattern from config cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("permalink pattern {pattern:?}: {problem}")]
pub(crate) struct PatternError {
    pattern: String,
    problem: Problem,
}

/// What is wrong with a pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum Problem {
    #[error("the pattern is empty; write one such as \"/:year/:month/:slug/\"")]
    Empty,
    #[error("it has an empty path segment (`//`) before its end; remove the extra `/`")]
    EmptySegment,
    #[error(
        "unknown token `:{0}`; the tokens are :year :month :monthname :day :weekday \
         :weekdayname :yearday :section :sections :sections[i:j] :title :slug :slugorfilename \
         :filename :contentbasename :slugorcontentbasename, and Go date layouts such as :2006 \
         :06 :01 :1 :Jan :January :02 :2 :_2 :Mon :Monday :002 :15 :03 :04 :05 :MST :Z0700"
    )]
    UnknownToken(String),
}

impl Pattern {
    /// Reads a pattern as Hugo 0.111.3 does: a token is `:` and a word (`[A-Za-z0-9_]+`),
    /// optionally followed by `[...]`. Checked against Hugo: unknown tokens and `//` inside the
    /// pattern stop Hugo with "permalink ill-formed"; an empty pattern makes it panic.
    ///
    /// # Errors
    /// A [`PatternError`] naming the unknown token (and listing the known ones), an empty segment,
    /// or an empty pattern.
    pub(crate) fn parse(text: &str) -> Result<Pattern, PatternError> {
        let fail = |problem| PatternError {
            pattern: text.to_owned(),
            problem,
        };
        if text.is_empty() {
            return Err(fail(Problem::Empty));
        }
        // Hugo's `validate`: the segments after the first byte, checked one by one, so an empty
        // one may only come last (a trailing `/`).
        let mut segments = text.as_bytes()[1..].split(|&b| b == b'/').peekable();
        while let Some(segment) = segments.next() {
            if segment.is_empty() && segments.peek().is_some() {
                return Err(fail(Problem::EmptySegment));
            }
            for (start, end) in token_spans(segment) {
                let attr = String::from_utf8_lossy(&segment[start + 1..end]);
                if token(&attr).is_none() {
                    return Err(fail(Problem::UnknownToken(attr.into_owned())));
                }
            }
        }
        // Hugo's `parse`: the tokens of the whole pattern (a `[...]` may span a `/`).
        let mut tokens = Vec::new();
        for (start, end) in token_spans(text.as_bytes()) {
            let attr = &text[start + 1..end];
            match token(attr) {
                Some(t) => tokens.push((text[start..end].to_owned(), t)),
                None => return Err(fail(Problem::UnknownToken(attr.to_owned()))),
            }
        }
        Ok(Pattern {
            text: text.to_owned(),
            tokens,
        })
    }

    /// The pattern as written in config.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// Hugo's expander: each token, in order, replaces the first place its text still appears
    /// with what `value` gives for it.
    pub(super) fn expand(&self, value: impl Fn(&Token) -> String) -> String {
        let mut field = self.text.clone();
        for (text, token) in &self.tokens {
            field = field.replacen(text.as_str(), &value(token), 1);
        }
        field
    }
}

/// Where Go's `:\w+(\[.+?\])?` matches in `s`: (start of `:`, end) byte ranges, left to right.
fn token_spans(s: &[u8]) -> Vec<(usize, usize)> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut spans = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if s[i] != b':' || !s.get(i + 1).copied().is_some_and(word) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < s.len() && word(s[end]) {
            end += 1;
        }
        // `\[.+?\]`: the first `]` after at least one character, with no newline in between.
        if s.get(end) == Some(&b'[') {
            let inner = s.get(end + 2..).unwrap_or_default();
            if let Some(close) = inner.iter().position(|&b| b == b']' || b == b'\n')
                && inner[close] == b']'
                && s[end + 1] != b'\n'
            {
                end += 2 + close + 1;
            }
        }
        spans.push((i, end));
        i = end;
    }
    spans
}

/// What a token's word means, as Hugo's `callback`: a named token, `sections[...]`, or any word
/// that Go's `Time.Format` changes. Checked against Hugo: `:Jan2`, `:JanX`, `:Month1`, `:_2006` and
/// `:slug[1]` are date layouts; `:PM`, `:pm`, `:Janet`, `:Monthly` are not (formatting the
/// reference time, 23:01, leaves them unchanged).
fn token(attr: &str) -> Option<Token> {
    if let Some((_, t)) = NAMED_TOKENS.iter().find(|(name, _)| *name == attr) {
        return Some(t.clone());
    }
    if let Some(cut) = attr.strip_prefix("sections")
        && cut.starts_with('[')
    {
        return Some(Token::SectionsSlice(Slice::parse(cut)));
    }
    (GoTime::REFERENCE.format(attr) != attr).then(|| Token::Layout(attr.to_owned()))
}

impl Slice {
    /// Hugo's `toSliceFunc` for `[i]`, `[i:j]`, `[last]`; `cut` is bracketed (the token pattern
    /// guarantees it). Case does not matter (`[LAST]`); only the first two `:` parts count.
    fn parse(cut: &str) -> Slice {
        let inner = cut.trim().to_lowercase();
        let inner = inner
            .strip_prefix('[')
            .and_then(|s| s.strip_suffix(']'))
            .unwrap_or_default();
        let mut parts = inner.split(':');
        let first = Bound::parse(parts.next().unwrap_or_default());
        match parts.next() {
            Some(second) => Slice::Range(first, Bound::parse(second)),
            None => Slice::Index(first),
        }
    }

    /// The selected entries. Checked against Hugo: `[1:]`, `[:1]`, `[:last]`, `[0]`, `[last]`,
    /// `[-1]` (as 0), `[abc]` (as 0), `[1:2:3]` (as `[1:2]`). An index past the end, or a range
    /// running backwards, makes Hugo 0.111.3 panic; later Hugo gives nothing, and so does this.
    pub(super) fn select<'s>(self, entries: &'s [&'s str]) -> &'s [&'s str] {
        let len = entries.len();
        if len == 0 {
            return &[];
        }
        let resolve = |bound: Bound, low: bool| match bound {
            Bound::Open if low => 0,
            Bound::Open => len,
            Bound::Last => len - 1,
            Bound::At(n) => n.min(len),
        };
        match self {
            Slice::Index(b) => match entries.get(resolve(b, true)) {
                Some(v) if !v.is_empty() => std::slice::from_ref(v),
                _ => &[],
            },
            Slice::Range(lo, hi) => entries
                .get(resolve(lo, true)..resolve(hi, false))
                .unwrap_or_default(),
        }
    }
}

impl Bound {
    fn parse(text: &str) -> Bound {
        match text {
            "" => Bound::Open,
            "last" => Bound::Last,
            _ => Bound::At(go_atoi(text)),
        }
    }
}

/// Go's `strconv.Atoi` as Hugo uses it here: 0 for anything unreadable or negative, the largest
/// value for a number too big (Go saturates).
fn go_atoi(text: &str) -> usize {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if negative || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    digits.parse().unwrap_or(usize::MAX)
}
