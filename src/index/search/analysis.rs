//! How text becomes terms, for the index and the queries alike: words split at anything not a
//! letter or digit (each CJK character a word of its own, as those scripts put no space between
//! words), lower-cased, stemmed in the index's language, and folded to ASCII (`café` is
//! `cafe`). A prefix (`kube*`) is not stemmed: [`Analyzers::raw`] gives its terms.

use std::fmt;
use std::str::{CharIndices, FromStr};

use foldhash::{HashMap, HashMapExt as _};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer,
    TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

use crate::content::is_cjk;

/// The name the index's analyzer is registered under.
pub(super) const TOKENIZER: &str = "quire";

/// Words longer than this many bytes are not indexed (base64, hashes, minified code).
const LONGEST_WORD: usize = 40;
/// Stems an analyzer remembers before it starts over.
const STEMS_KEPT: usize = 50_000;

/// The language words are stemmed in (`--search-language`): English by default, `none` to
/// match words only as written (less case and accents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) enum SearchLanguage {
    Arabic,
    Danish,
    Dutch,
    #[default]
    English,
    Finnish,
    French,
    German,
    Greek,
    Hungarian,
    Italian,
    Norwegian,
    Portuguese,
    Romanian,
    Russian,
    Spanish,
    Swedish,
    Tamil,
    Turkish,
    /// No stemming.
    None,
}

/// Every language, with its name as `--search-language` takes it.
const LANGUAGES: [(SearchLanguage, &str); 19] = [
    (SearchLanguage::Arabic, "arabic"),
    (SearchLanguage::Danish, "danish"),
    (SearchLanguage::Dutch, "dutch"),
    (SearchLanguage::English, "english"),
    (SearchLanguage::Finnish, "finnish"),
    (SearchLanguage::French, "french"),
    (SearchLanguage::German, "german"),
    (SearchLanguage::Greek, "greek"),
    (SearchLanguage::Hungarian, "hungarian"),
    (SearchLanguage::Italian, "italian"),
    (SearchLanguage::Norwegian, "norwegian"),
    (SearchLanguage::Portuguese, "portuguese"),
    (SearchLanguage::Romanian, "romanian"),
    (SearchLanguage::Russian, "russian"),
    (SearchLanguage::Spanish, "spanish"),
    (SearchLanguage::Swedish, "swedish"),
    (SearchLanguage::Tamil, "tamil"),
    (SearchLanguage::Turkish, "turkish"),
    (SearchLanguage::None, "none"),
];

impl SearchLanguage {
    /// The names `--search-language` takes, in order.
    pub(crate) fn names() -> impl Iterator<Item = &'static str> {
        LANGUAGES.iter().map(|(_, name)| *name)
    }

    /// tantivy's stemmer for the language; `None` for [`SearchLanguage::None`].
    fn stemmer(self) -> Option<Language> {
        Some(match self {
            SearchLanguage::Arabic => Language::Arabic,
            SearchLanguage::Danish => Language::Danish,
            SearchLanguage::Dutch => Language::Dutch,
            SearchLanguage::English => Language::English,
            SearchLanguage::Finnish => Language::Finnish,
            SearchLanguage::French => Language::French,
            SearchLanguage::German => Language::German,
            SearchLanguage::Greek => Language::Greek,
            SearchLanguage::Hungarian => Language::Hungarian,
            SearchLanguage::Italian => Language::Italian,
            SearchLanguage::Norwegian => Language::Norwegian,
            SearchLanguage::Portuguese => Language::Portuguese,
            SearchLanguage::Romanian => Language::Romanian,
            SearchLanguage::Russian => Language::Russian,
            SearchLanguage::Spanish => Language::Spanish,
            SearchLanguage::Swedish => Language::Swedish,
            SearchLanguage::Tamil => Language::Tamil,
            SearchLanguage::Turkish => Language::Turkish,
            SearchLanguage::None => return None,
        })
    }
}

/// A `--search-language` that is not one of [`SearchLanguage::names`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "there is no search language {name:?}: the languages are {}",
    SearchLanguage::names().collect::<Vec<_>>().join(", ")
)]
pub(crate) struct UnknownLanguage {
    pub(crate) name: String,
}

impl FromStr for SearchLanguage {
    type Err = UnknownLanguage;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        LANGUAGES
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(language, _)| *language)
            .ok_or_else(|| UnknownLanguage {
                name: name.to_owned(),
            })
    }
}

/// The lower-case name, as `--search-language` takes it.
impl fmt::Display for SearchLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = LANGUAGES
            .iter()
            .find(|(language, _)| language == self)
            .map_or("none", |(_, name)| *name);
        f.write_str(name)
    }
}

/// The two analyzers of an index's language.
#[derive(Clone)]
pub(super) struct Analyzers {
    /// What the index holds: stemmed terms.
    pub(super) terms: TextAnalyzer,
    /// The same words unstemmed, for prefixes and typo-tolerant prefixes.
    pub(super) raw: TextAnalyzer,
}

impl Analyzers {
    pub(super) fn new(language: SearchLanguage) -> Analyzers {
        let base = || {
            TextAnalyzer::builder(Words::default())
                .filter(RemoveLongFilter::limit(LONGEST_WORD))
                .filter(LowerCaser)
                .dynamic()
        };
        let terms = match language.stemmer() {
            Some(language) => base().filter_dynamic(CachedStemmer { language }),
            None => base(),
        };
        Analyzers {
            terms: terms.filter_dynamic(AsciiFoldingFilter).build(),
            raw: base().filter_dynamic(AsciiFoldingFilter).build(),
        }
    }

    /// The stemmed terms of `text`.
    pub(super) fn terms(&self, text: &str) -> Vec<String> {
        tokens(&self.terms, text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    /// Each word of `text` unstemmed and stemmed: the same words, as both analyzers split and
    /// drop words alike.
    pub(super) fn pairs(&self, text: &str) -> Vec<(String, String)> {
        let raw = tokens(&self.raw, text);
        let terms = tokens(&self.terms, text);
        raw.into_iter()
            .zip(terms)
            .map(|(raw, term)| (raw.text, term.text))
            .collect()
    }
}

/// The tokens `analyzer` makes of `text`, with their places in it.
pub(super) fn tokens(analyzer: &TextAnalyzer, text: &str) -> Vec<Token> {
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().clone());
    }
    out
}

/// tantivy's stemmer, with the stems of the words it has seen remembered: a post's words are
/// mostly words it and others used before, and stemming takes a third of the time to index.
#[derive(Clone)]
struct CachedStemmer {
    language: Language,
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemFilter<T> {
        CachedStemFilter {
            inner: tokenizer,
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(self.language))
                .build(),
            stems: HashMap::new(),
        }
    }
}

#[derive(Clone)]
struct CachedStemFilter<T> {
    inner: T,
    /// Stems one word.
    stemmer: TextAnalyzer,
    /// Word to stem, at most [`STEMS_KEPT`].
    stems: HashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for CachedStemFilter<T> {
    type TokenStream<'a> = CachedStemStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemStream {
            tail: self.inner.token_stream(text),
            stemmer: &mut self.stemmer,
            stems: &mut self.stems,
        }
    }
}

struct CachedStemStream<'a, S> {
    tail: S,
    stemmer: &'a mut TextAnalyzer,
    stems: &'a mut HashMap<String, String>,
}

impl<S: TokenStream> TokenStream for CachedStemStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.stems.get(&token.text) {
            token.text.clone_from(stem);
            return true;
        }
        let mut stream = self.stemmer.token_stream(&token.text);
        let stem = if stream.advance() {
            stream.token().text.clone()
        } else {
            token.text.clone()
        };
        drop(stream);
        if self.stems.len() >= STEMS_KEPT {
            self.stems.clear();
        }
        let word = std::mem::replace(&mut token.text, stem.clone());
        self.stems.insert(word, stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Splits text into words: runs of letters and digits, and each CJK character alone.
#[derive(Clone, Default)]
struct Words {
    token: Token,
}

/// The words of one text.
struct WordStream<'a> {
    text: &'a str,
    chars: std::iter::Peekable<CharIndices<'a>>,
    token: &'a mut Token,
}

impl Tokenizer for Words {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            chars: text.char_indices().peekable(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        while let Some((from, c)) = self.chars.next() {
            if !c.is_alphanumeric() {
                continue;
            }
            let mut to = from + c.len_utf8();
            if !is_cjk(c) {
                while let Some(&(at, next)) = self.chars.peek() {
                    if !next.is_alphanumeric() || is_cjk(next) {
                        break;
                    }
                    to = at + next.len_utf8();
                    self.chars.next();
                }
            }
            self.token.offset_from = from;
            self.token.offset_to = to;
            self.token.text.push_str(&self.text[from..to]);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_and_each_cjk_character() {
        let analyzers = Analyzers::new(SearchLanguage::None);
        assert_eq!(
            analyzers.terms("Service-Mesh, café 日本語abc 2.0"),
            ["service", "mesh", "cafe", "日", "本", "語", "abc", "2", "0"]
        );
    }

    #[test]
    fn stems_in_the_language_then_folds_accents() {
        let english = Analyzers::new(SearchLanguage::English);
        assert_eq!(english.terms("Running runs"), ["run", "run"]);
        assert_eq!(
            english.pairs("Kubernetes happy"),
            [
                ("kubernetes".to_owned(), "kubernet".to_owned()),
                ("happy".to_owned(), "happi".to_owned())
            ]
        );
        let french = Analyzers::new(SearchLanguage::French);
        assert_eq!(french.terms("éléphants Éléphant"), ["eleph", "eleph"]);
    }

    #[test]
    fn language_names_round_trip_and_an_unknown_one_lists_them() {
        for name in SearchLanguage::names() {
            let language: SearchLanguage = name.parse().unwrap();
            assert_eq!(language.to_string(), name);
        }
        assert_eq!("English".parse(), Ok(SearchLanguage::English));
        let error = "klingon".parse::<SearchLanguage>().unwrap_err();
        assert!(error.to_string().contains("english, finnish"), "{error}");
    }
}
