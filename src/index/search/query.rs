//! A search box's text to clauses, and clauses to a tantivy query. The syntax is described in
//! the module doc of [`super`]; every way a query can be malformed is a [`QueryError`] whose
//! message says what was wrong and how to write it.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::SearchMode;
use super::analysis::Analyzers;
use super::fields::{Fields, SearchField};

/// Characters a query may have.
pub(super) const MAX_CHARS: usize = 256;
/// Words, phrases and prefixes a query may have.
pub(super) const MAX_CLAUSES: usize = 32;
/// Letters a prefix needs before its `*` (a shorter one matches nearly every post).
const MIN_PREFIX: usize = 2;

/// A query that cannot be searched: each message says what was wrong and how to write it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum QueryError {
    #[error("the query is empty: type at least one word to search for")]
    Empty,
    #[error("the query is {chars} characters long, more than {MAX_CHARS}: shorten it")]
    TooLong { chars: usize },
    #[error(
        "the query has {clauses} words, phrases and prefixes, more than {MAX_CLAUSES}: \
         leave some out"
    )]
    TooManyWords { clauses: usize },
    #[error(
        "the query has no word to search for, only punctuation: type a word, or a phrase in \
         double quotes"
    )]
    NoWords,
    #[error(
        "the double quote at character {at} is not closed: end the phrase with another `\"` \
         (as in `\"service mesh\"`), or leave the quote out"
    )]
    UnbalancedQuote { at: usize },
    #[error(
        "the double quotes at character {at} hold no word: put the words of a phrase between \
         them, as in `\"service mesh\"`"
    )]
    EmptyPhrase { at: usize },
    #[error("a `*` alone matches nothing: put it at the end of a word, as in `kube*`")]
    LoneWildcard,
    #[error(
        "`{written}`: `*` may only end a word, to find the words that start with it, as in \
         `kube*`"
    )]
    MisplacedWildcard { written: String },
    #[error(
        "`{written}`: a prefix needs at least {MIN_PREFIX} letters before its `*`, as in \
         `ku*`"
    )]
    ShortPrefix { written: String },
    #[error(
        "there is no field `{field}`: the fields are {}; to search for `{field}:` as text, put \
         it in double quotes",
        SearchField::names()
    )]
    UnknownField { field: String },
    #[error(
        "`{field}:` is followed by nothing: write what to find in that field right after the \
         colon, as in `{field}:kubernetes` or `{field}:\"service mesh\"`"
    )]
    EmptyField { field: String },
    #[error("the query only leaves words out: say what to find as well, as in `mesh -istio`")]
    NothingToFind,
    #[error("the search failed inside the index ({0}): this is a bug in Quire, report it")]
    Failed(String),
}

/// One part of a query: a word, a phrase or a prefix, in one field or all.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Clause {
    pub(super) field: Option<SearchField>,
    /// Written with a leading `-`: posts that match it are left out.
    pub(super) exclude: bool,
    pub(super) kind: Kind,
}

/// What a clause matches.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    /// Stemmed terms: one is a word, more a phrase (as `"service mesh"` or `service-mesh`).
    Terms(Vec<String>),
    /// Stemmed terms, then a word's beginning: the terms that start with `raw` (as written, in
    /// lower case without accents), and `stemmed`, the word itself in any form (`running*`
    /// finds `runs`, as the word `running` is indexed `run`).
    Prefix {
        before: Vec<String>,
        raw: String,
        stemmed: String,
    },
    /// A word of a typo-tolerant query: `term` (stemmed) within `distance` edits, and when
    /// `prefix`, a word that starts with `raw` within `distance` edits.
    Fuzzy {
        term: String,
        raw: String,
        distance: u8,
        prefix: bool,
    },
}

/// The clauses of `query`.
///
/// # Errors
/// A [`QueryError`] saying what is wrong in the query.
pub(super) fn parse(
    query: &str,
    mode: SearchMode,
    analyzers: &Analyzers,
) -> Result<Vec<Clause>, QueryError> {
    let chars = query.chars().count();
    if chars > MAX_CHARS {
        return Err(QueryError::TooLong { chars });
    }
    if query.trim().is_empty() {
        return Err(QueryError::Empty);
    }
    let clauses = match mode {
        SearchMode::Exact => exact(query, analyzers)?,
        SearchMode::Typo => typo(query, analyzers),
    };
    if clauses.len() > MAX_CLAUSES {
        return Err(QueryError::TooManyWords {
            clauses: clauses.len(),
        });
    }
    if clauses.is_empty() {
        return Err(QueryError::NoWords);
    }
    if clauses.iter().all(|c| c.exclude) {
        return Err(QueryError::NothingToFind);
    }
    Ok(clauses)
}

/// Edits a typo-tolerant word may be away from a term: none up to 3 letters, 1 up to 7, then 2.
pub(super) fn distance(word: &str) -> u8 {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Search-as-you-type: every word, fuzzy; the last one also as a prefix. No syntax.
fn typo(query: &str, analyzers: &Analyzers) -> Vec<Clause> {
    let pairs = analyzers.pairs(query);
    let last = pairs.len().saturating_sub(1);
    pairs
        .into_iter()
        .enumerate()
        .map(|(i, (raw, term))| Clause {
            field: None,
            exclude: false,
            kind: Kind::Fuzzy {
                distance: distance(&raw),
                term,
                raw,
                prefix: i == last,
            },
        })
        .collect()
}

/// The query syntax: words, `"phrases"`, `prefixes*`, `-excluded`, `field:word`.
fn exact(query: &str, analyzers: &Analyzers) -> Result<Vec<Clause>, QueryError> {
    let mut clauses = Vec::new();
    let mut rest = query;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Ok(clauses);
        }
        let mut exclude = false;
        if let Some(after) = rest.strip_prefix(['-', '+'])
            && after.starts_with(|c: char| !c.is_whitespace())
        {
            exclude = rest.starts_with('-');
            rest = after;
        }
        let field = field(&mut rest)?;
        let kind = if let Some(phrase) = rest.strip_prefix('"') {
            let quote = query.len() - rest.len();
            let position = query[..quote].chars().count() + 1;
            let close = phrase
                .find('"')
                .ok_or(QueryError::UnbalancedQuote { at: position })?;
            let (inside, after) = (&phrase[..close], &phrase[close + 1..]);
            rest = after;
            if after.starts_with('*') {
                return Err(QueryError::MisplacedWildcard {
                    written: query[quote..=quote + close + 2].to_owned(),
                });
            }
            let terms = analyzers.terms(inside);
            if terms.is_empty() {
                if inside.trim().is_empty() {
                    return Err(QueryError::EmptyPhrase { at: position });
                }
                continue;
            }
            Kind::Terms(terms)
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '"')
                .unwrap_or(rest.len());
            let written = &rest[..end];
            rest = &rest[end..];
            match word(written, analyzers)? {
                Some(kind) => kind,
                None => continue,
            }
        };
        clauses.push(Clause {
            field,
            exclude,
            kind,
        });
    }
}

/// A `field:` at the start of `rest`, taken off it. A word of letters and a colon with nothing
/// after it that is not a field's name is text (`note: this`); one with something after it
/// must name a field.
fn field(rest: &mut &str) -> Result<Option<SearchField>, QueryError> {
    let letters = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let Some(after) = rest[letters..].strip_prefix(':') else {
        return Ok(None);
    };
    if letters == 0 {
        return Ok(None);
    }
    let name = &rest[..letters];
    let field = SearchField::named(name);
    let empty = after.is_empty() || after.starts_with(char::is_whitespace);
    match (field, empty) {
        (None, true) => Ok(None),
        (None, false) => Err(QueryError::UnknownField {
            field: name.to_owned(),
        }),
        (Some(_), true) => Err(QueryError::EmptyField {
            field: name.to_owned(),
        }),
        (Some(field), false) => {
            *rest = after;
            Ok(Some(field))
        }
    }
}

/// A word as written (no white space, no quote): `None` when it holds no letter or digit.
fn word(written: &str, analyzers: &Analyzers) -> Result<Option<Kind>, QueryError> {
    let Some(start) = written.strip_suffix('*') else {
        if written.contains('*') {
            return Err(wildcard_error(written));
        }
        let terms = analyzers.terms(written);
        return Ok((!terms.is_empty()).then_some(Kind::Terms(terms)));
    };
    if start.contains('*') {
        return Err(wildcard_error(written));
    }
    let mut pairs = analyzers.pairs(start);
    let Some((raw, stemmed)) = pairs.pop() else {
        return Err(QueryError::LoneWildcard);
    };
    if pairs.is_empty() && raw.chars().count() < MIN_PREFIX {
        return Err(QueryError::ShortPrefix {
            written: written.to_owned(),
        });
    }
    Ok(Some(Kind::Prefix {
        before: pairs.into_iter().map(|(_, term)| term).collect(),
        raw,
        stemmed,
    }))
}

fn wildcard_error(written: &str) -> QueryError {
    if written.chars().all(|c| c == '*') {
        QueryError::LoneWildcard
    } else {
        QueryError::MisplacedWildcard {
            written: written.to_owned(),
        }
    }
}

/// The tantivy queries for `clauses`: the posts to find (every clause not excluded), and the
/// posts to leave out (any clause excluded), if any. The caller leaves them out: tantivy's own
/// exclusion trips an assertion of its phrase scorer (0.27, in debug builds).
pub(super) fn build(
    clauses: &[Clause],
    fields: &Fields,
) -> (Box<dyn Query>, Option<Box<dyn Query>>) {
    let (excluded, included): (Vec<&Clause>, Vec<&Clause>) =
        clauses.iter().partition(|c| c.exclude);
    let all = |clauses: Vec<&Clause>, occur| -> Box<dyn Query> {
        let parts = clauses
            .into_iter()
            .map(|clause| (occur, clause_query(clause, fields)))
            .collect();
        Box::new(BooleanQuery::new(parts))
    };
    let exclude = (!excluded.is_empty()).then(|| all(excluded, Occur::Should));
    (all(included, Occur::Must), exclude)
}

/// One clause over its field, or over every field, each with its boost.
fn clause_query(clause: &Clause, fields: &Fields) -> Box<dyn Query> {
    let targets: Vec<SearchField> = match clause.field {
        Some(field) => vec![field],
        None => SearchField::ALL.to_vec(),
    };
    let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for target in targets {
        let field = fields.get(target);
        for query in in_field(&clause.kind, field) {
            parts.push((
                Occur::Should,
                Box::new(BoostQuery::new(query, target.boost())),
            ));
        }
    }
    Box::new(BooleanQuery::new(parts))
}

/// The queries whose union is `kind` in `field`.
fn in_field(kind: &Kind, field: Field) -> Vec<Box<dyn Query>> {
    let term = |text: &str| Term::from_field_text(field, text);
    match kind {
        Kind::Terms(terms) if terms.len() == 1 => vec![Box::new(TermQuery::new(
            term(&terms[0]),
            IndexRecordOption::WithFreqs,
        ))],
        Kind::Terms(terms) => vec![Box::new(PhraseQuery::new(
            terms.iter().map(|t| term(t)).collect(),
        ))],
        Kind::Prefix {
            before,
            raw,
            stemmed,
        } if before.is_empty() => {
            let mut queries: Vec<Box<dyn Query>> =
                vec![Box::new(FuzzyTermQuery::new_prefix(term(raw), 0, false))];
            if stemmed != raw {
                queries.push(Box::new(TermQuery::new(
                    term(stemmed),
                    IndexRecordOption::WithFreqs,
                )));
            }
            queries
        }
        Kind::Prefix { before, raw, .. } => {
            let mut terms: Vec<Term> = before.iter().map(|t| term(t)).collect();
            terms.push(term(raw));
            vec![Box::new(PhrasePrefixQuery::new(terms))]
        }
        Kind::Fuzzy {
            term: stemmed,
            raw,
            distance,
            prefix,
        } => {
            // The exact term ranks by BM25; the near ones count once, at half weight.
            let mut queries: Vec<Box<dyn Query>> = vec![Box::new(TermQuery::new(
                term(stemmed),
                IndexRecordOption::WithFreqs,
            ))];
            if *distance > 0 {
                queries.push(Box::new(BoostQuery::new(
                    Box::new(FuzzyTermQuery::new(term(stemmed), *distance, true)),
                    0.5,
                )));
            }
            if *prefix {
                queries.push(Box::new(BoostQuery::new(
                    Box::new(FuzzyTermQuery::new_prefix(term(raw), *distance, true)),
                    0.5,
                )));
            }
            queries
        }
    }
}
